"""Clustering (``valuespace/cluster.h``): k-means (k-means++ seeding) and agglomerative
clustering, choosing k by silhouette, silhouettes and the adjusted Rand index.

``Cluster(method="kmeans", k=3, seed=0, ...)`` holds the options; ``fit(x)`` and
``choose_k(x)`` give a :class:`ClusterResult` (``labels``, ``centers``, ``sizes``, ``linkage``,
``k_scores`` as numpy arrays, ``stat(name)``).

Points go in as a pandas DataFrame (its column names are kept and label ``centers``; a
non-numeric column raises TypeError naming it, ``skip=`` / ``columns=`` choose the columns), a
2-D numpy array, a sequence of rows or a :class:`~valuespace.fa.Matrix`. The library refuses a
NaN coordinate, so a missing value raises naming its column(s) unless ``missing="drop"``: then
the rows with a missing value are left out of the clustering and get the label -1 (their
silhouette is NaN). Results are numpy arrays; pandas objects (labels indexed like the input's
rows, centers with its columns) when the points were a DataFrame or ``as_frame=True``.
Labellings (:func:`silhouette`, :func:`adjusted_rand`) may be any labels (ints, strings, a
pandas Series -- aligned by index with a labelled DataFrame / Series).
"""

from __future__ import annotations

import ctypes
from ctypes import byref, c_double, c_size_t
from typing import Any, Optional, Sequence

import numpy as np

from . import errors
from ._convert import align_rows, data_matrix, label_codes, labelled, wants_frame
from ._options import OptionsMixin
from ._lib import ClusterPtr, ClusterResultPtr, Handle, lib
from ._util import read_array
from .fa import Matrix

__all__ = ["Cluster", "ClusterResult", "silhouette", "adjusted_rand", "OPTIONS", "STATS"]

# name: (vs_cluster_option, kind, names of enum values)
OPTIONS = {
    "method": (1, "enum", ("kmeans", "agglomerative")),
    "k": (2, "int", None),
    "metric": (3, "enum", ("euclidean", "cosine")),
    "linkage": (4, "enum", ("ward", "average", "complete")),
    "seed": (5, "int", None),
    "n_init": (6, "int", None),
    "max_iter": (7, "int", None),
    "tol": (8, "double", None),
    "threads": (9, "int", None),
    "k_min": (10, "int", None),
    "k_max": (11, "int", None),
}
STATS = {"k": 1, "n": 2, "d": 3, "nonempty": 4, "inertia": 5, "iterations": 6,
         "converged": 7, "best_init": 8, "silhouette": 9, "k_min": 10}
ctypes_double_p = ctypes.POINTER(c_double)
_ARRAYS = {"centers": 1, "sizes": 2, "linkage": 3, "k_scores": 4}
#: Column names of the linkage matrix (SciPy's Z: the two merged clusters, their distance and
#: the size of the new cluster).
LINKAGE_COLUMNS = ("left", "right", "distance", "size")


class _Points:
    """Points as the library takes them: the complete rows of the data, with what is needed to
    label the results (column names, the rows' index, which rows were kept)."""

    def __init__(self, x: Any, skip: Optional[Sequence[str]], columns: Optional[Sequence[str]],
                 missing: str, what: str) -> None:
        if missing not in ("raise", "drop"):
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"{what}: missing={missing!r}: 'raise' or 'drop'")
        if isinstance(x, Matrix):
            x = np.asarray(x)
        a, self.names, self.index = data_matrix(x, skip=skip, columns=columns, what=what)
        self.pandas = self.names is not None
        self.n = a.shape[0]
        bad = np.isnan(a)
        self.keep: Optional[np.ndarray] = None
        if bad.any():
            if missing == "raise":
                cols = np.flatnonzero(bad.any(axis=0))
                named = ([self.names[j] for j in cols] if self.names is not None
                         else [int(j) for j in cols])
                raise errors.InvalidArgument(
                    errors.Status.EINVAL,
                    f"{what}: missing values (NaN) in column(s) {named} "
                    f"({int(bad.any(axis=1).sum())} row(s)); clustering needs complete rows: "
                    "pass missing='drop' to leave those rows out (label -1)")
            self.keep = ~bad.any(axis=1)
            a = np.ascontiguousarray(a[self.keep])
        self.a = a

    def c(self) -> Any:
        return self.a.ctypes.data_as(ctypes_double_p) if self.a.size else None

    def expand(self, values: np.ndarray, fill: Any) -> np.ndarray:
        """Per kept row values -> per input row (`fill` for the dropped rows)."""
        if self.keep is None:
            return values
        out = np.full(self.n, fill, dtype=values.dtype)
        out[self.keep] = values
        return out


class Cluster(OptionsMixin, Handle):
    """Clustering options (shareable by threads that only fit with them)."""

    _free_name = "vs_cluster_free"
    _kind = "cluster options"
    _opt_prefix = "vs_cluster"
    _opt_table = OPTIONS
    _opt_what = "cluster"

    def __init__(self, **options: Any) -> None:
        out = ClusterPtr()
        lib.vs_cluster_create(byref(out))
        Handle.__init__(self, out)
        self._center_names: Optional[list] = None
        for name, value in options.items():
            self.set(name, value)

    def set_init_centers(self, centers: Any) -> "Cluster":
        """Initial k-means centres (k x d: a 2-D array, a DataFrame, rows, a Matrix), or None to
        remove them. A DataFrame's column names must then be the fitted data's columns (in any
        order: they are matched when fitting a DataFrame)."""
        with self._use() as p:
            if centers is None:
                lib.vs_cluster_set_init_centers(p, None, 0, 0)
                self._center_names = None
            else:
                if isinstance(centers, Matrix):
                    centers = np.asarray(centers)
                a, names, _ = data_matrix(centers, what="init centers")
                lib.vs_cluster_set_init_centers(
                    p, a.ctypes.data_as(ctypes_double_p) if a.size else None, a.shape[0],
                    a.shape[1])
                self._center_names = names
        return self

    def _check_centers(self, pts: _Points) -> None:
        names = getattr(self, "_center_names", None)
        if names is None or pts.names is None or names == pts.names:
            return
        if sorted(names) != sorted(pts.names):
            raise KeyError(f"init centers have columns {names}, the data {pts.names}")
        # same columns in another order: reorder the data's columns to the centres' order
        order = [pts.names.index(n) for n in names]
        pts.a = np.ascontiguousarray(pts.a[:, order])
        pts.names = list(names)

    def _fit(self, func: Any, x: Any, skip: Optional[Sequence[str]],
             columns: Optional[Sequence[str]], missing: str, as_frame: Optional[bool],
             what: str) -> "ClusterResult":
        pts = _Points(x, skip, columns, missing, what)
        self._check_centers(pts)
        out = ClusterResultPtr()
        with self._use(shared=True) as p:
            func(byref(out), p, pts.c(), pts.a.shape[0], pts.a.shape[1])
        return ClusterResult._wrap(out, pts, wants_frame(as_frame, x))

    def fit(self, x: Any, *, skip: Optional[Sequence[str]] = None,
            columns: Optional[Sequence[str]] = None, missing: str = "raise",
            as_frame: Optional[bool] = None) -> "ClusterResult":
        """Clusters the rows of `x` (see the module docstring for inputs and missing values)."""
        return self._fit(lib.vs_cluster_fit, x, skip, columns, missing, as_frame, "fit")

    def choose_k(self, x: Any, *, skip: Optional[Sequence[str]] = None,
                 columns: Optional[Sequence[str]] = None, missing: str = "raise",
                 as_frame: Optional[bool] = None) -> "ClusterResult":
        """Fits every k in k_min..k_max and keeps the best mean silhouette."""
        return self._fit(lib.vs_cluster_choose_k, x, skip, columns, missing, as_frame,
                         "choose_k")

    def silhouette(self, x: Any, labels: Any, samples: bool = False, **kwargs: Any) -> Any:
        """:func:`silhouette` with these options (metric)."""
        return silhouette(x, labels, samples=samples, options=self, **kwargs)


class ClusterResult(Handle):
    """One clustering (immutable): ``labels``, ``centers``, ``sizes``, ``linkage``,
    ``k_scores`` (numpy arrays; pandas objects when the points were a DataFrame), ``stat()``,
    ``names`` (the points' column names or None)."""

    _free_name = "vs_cluster_result_free"
    _kind = "cluster result"
    _shared = True

    @classmethod
    def _wrap(cls, ptr: Any, pts: Optional[_Points] = None, frame: bool = False
              ) -> "ClusterResult":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        obj._pts = pts
        obj._frame = frame
        if pts is not None:
            pts.a = None  # the points are not needed any more
        return obj

    @property
    def names(self) -> Optional[list]:
        """The points' column names (a DataFrame's), or None."""
        return None if self._pts is None else self._pts.names

    @property
    def labels(self) -> Any:
        """The cluster of every input row (numpy int64; -1 for a row left out by
        missing="drop"); a pandas Series indexed like the input's rows for a DataFrame."""
        with self._use() as p:
            raw = read_array(lambda nd, b, c: lib.vs_cluster_result_labels(nd, p, b, c),
                             int(self.stat("n")), "N")
        lab = np.asarray(raw, dtype=np.int64).reshape(len(raw))
        pts = self._pts
        if pts is None:
            return lab
        lab = pts.expand(lab, -1)
        return labelled(lab, self._frame, index=pts.index, name="cluster")

    def stat(self, name: str) -> float:
        """A statistic (:data:`STATS`; NaN when not defined)."""
        v = c_double()
        with self._use() as p:
            lib.vs_cluster_result_scalar(byref(v), p, STATS[name])
        return v.value

    def get(self, what: str) -> Any:
        """"centers" (k x d), "linkage" ((n-1) x 4, SciPy's Z), "sizes" (k) or "k_scores" (one
        mean silhouette per k from stat("k_min")) as numpy arrays; with a DataFrame input,
        centers is a DataFrame with its columns, k_scores a Series indexed by k."""
        code = _ARRAYS[what]
        with self._use() as p:
            data = read_array(lambda nd, b, c: lib.vs_cluster_result_get(nd, p, code, b, c))
        a = np.frombuffer(data, dtype=np.float64).copy() if len(data) else np.empty(0)
        names = self.names
        if what == "centers":
            d = int(self.stat("d"))
            a = a.reshape(len(data) // d if d else 0, d)
            return labelled(a, self._frame, columns=names)
        if what == "linkage":
            return a.reshape(len(data) // 4, 4)
        if what == "sizes":
            return labelled(a.astype(np.int64), self._frame, name="size")
        k_min = self.stat("k_min")
        index = (list(range(int(k_min), int(k_min) + len(a))) if k_min == k_min else None)
        return labelled(a, self._frame, index=index, name="silhouette")

    @property
    def centers(self) -> Any:
        """The k x d centres (k-means; NaN-free)."""
        return self.get("centers")

    @property
    def sizes(self) -> Any:
        """The number of points in each cluster."""
        return self.get("sizes")

    @property
    def inertia(self) -> float:
        """Sum of squared distances of the points to their centres (k-means)."""
        return self.stat("inertia")


def silhouette(x: Any, labels: Any, *, samples: bool = False, options: Optional[Cluster] = None,
               skip: Optional[Sequence[str]] = None, columns: Optional[Sequence[str]] = None,
               missing: str = "raise", as_frame: Optional[bool] = None) -> Any:
    """Mean silhouette of a labelling (and the per-point values when samples=True, a numpy
    array, or a Series indexed like a DataFrame's rows; NaN for rows left out by
    missing="drop"). `labels` are any labels (ints, strings; a pandas Series with an index of
    its own is aligned to a DataFrame's rows by label)."""
    pts = _Points(x, skip, columns, missing, "silhouette")
    labels = align_rows(labels, pts.index, "labels")
    codes, _ = label_codes(labels, "labels")
    if len(codes) != pts.n:
        raise errors.MismatchError(errors.Status.EMISMATCH,
                                   f"silhouette: {len(codes)} labels for {pts.n} rows")
    if pts.keep is not None:
        codes = np.ascontiguousarray(codes[pts.keep])
    n = pts.a.shape[0]
    lab = (c_size_t * max(n, 1))(*[int(v) for v in codes])
    mean, needed = c_double(), c_size_t()
    buf = (c_double * max(n, 1))() if samples else None
    cap = n if samples else 0
    if options is None:
        lib.vs_cluster_silhouette(byref(mean), byref(needed), None, pts.c(), n, pts.a.shape[1],
                                  lab, buf, cap)
    else:
        with options._use(shared=True) as p:
            lib.vs_cluster_silhouette(byref(mean), byref(needed), p, pts.c(), n,
                                      pts.a.shape[1], lab, buf, cap)
    if not samples:
        return mean.value
    s = pts.expand(np.asarray(buf[:n], dtype=np.float64).reshape(n), np.nan)
    return mean.value, labelled(s, wants_frame(as_frame, x), index=pts.index, name="silhouette")


def adjusted_rand(a: Any, b: Any) -> float:
    """Adjusted Rand index of two labellings of the same points: any labels (ints, strings,
    numpy arrays, pandas Series -- two Series with indexes of their own are aligned by
    label)."""
    if hasattr(a, "index") and hasattr(b, "index"):
        b = align_rows(b, a.index, "second labelling")
    ca, _ = label_codes(a, "first labelling")
    cb, _ = label_codes(b, "second labelling")
    if len(ca) != len(cb):
        raise errors.MismatchError(errors.Status.EMISMATCH, "labellings differ in length")
    n = len(ca)
    out = c_double()
    lib.vs_cluster_adjusted_rand(byref(out), (c_size_t * max(n, 1))(*[int(v) for v in ca]),
                                 (c_size_t * max(n, 1))(*[int(v) for v in cb]), n)
    return out.value
