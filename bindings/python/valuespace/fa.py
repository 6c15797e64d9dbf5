"""Exploratory factor analysis (``valuespace/fa.h``), following R's psych::fa conventions.

* :class:`FactorData` -- the input: raw data (n x p, NaN/None = missing) or a correlation
  (or covariance) matrix with its number of observations; factorability (KMO, Bartlett) and
  Kaiser's rule.
* :class:`FactorAnalysis` -- the options (``nfactors``, ``method``, ``rotation``, ``mode``,
  ``starts``, ``seed`` ... as keyword arguments or :meth:`~FactorAnalysis.set`), and
  :meth:`~FactorAnalysis.fit`, :meth:`~FactorAnalysis.parallel`, :meth:`~FactorAnalysis.map`.
* :class:`FactorResult` -- one fitted solution: matrices and vectors (numpy arrays) and
  statistics.

Data go in as a pandas DataFrame (column names become the variable names, NaN / None / pd.NA are
missing, a non-numeric column raises TypeError naming it; ``skip=`` / ``columns=`` choose the
variables), a 2-D numpy array, a :class:`Matrix`, a sequence of rows or any C-contiguous 2-D
buffer of doubles. Results come out as numpy arrays; when the variables have names (a DataFrame
input, or ``names=``), as a pandas DataFrame / Series labelled with the variable names and
``F1``..``Fk`` (index = variables, columns = factors). For a scikit-learn / factor_analyzer
style estimator see :class:`valuespace.FactorAnalyzer`.
"""

from __future__ import annotations

import ctypes
import math
import sys
from array import array
from ctypes import byref, c_double, c_int, c_size_t
from dataclasses import dataclass
from typing import Any, List, Optional, Sequence, Union

import numpy as np

from . import errors
from ._convert import data_matrix, is_frame
from ._options import OptionsMixin
from ._lib import FaDataPtr, FaOmegaPtr, FaPtr, FaResultPtr, Handle, lib, use

__all__ = ["FactorData", "FactorAnalysis", "FactorResult", "Matrix", "KMO", "Bartlett",
           "ParallelAnalysis", "MapResult", "OPTIONS", "ARRAYS", "STATS"]

PAIRWISE = 0
LISTWISE = 1

# name: (vs_fa_option, kind, enum names by value)
_METHODS = ("minres", "uls", "pa", "ml", "wls", "gls", "alpha", "minchi")
_ROTATIONS = ("none", "varimax", "quartimax", "equamax", "promax", "oblimin", "quartimin",
              "geominQ", "geominT", "bentlerT", "bentlerQ", "targetT", "targetQ", "simplimax",
              "biquartimin", "Promax")
_MODES = ("psych", "tight")
_SCORES = ("none", "regression", "bartlett", "tenBerge", "Anderson")
OPTIONS = {
    "nfactors": (1, "int", None),
    "method": (2, "enum", _METHODS),
    "rotation": (3, "enum", _ROTATIONS),
    "mode": (4, "enum", _MODES),
    "starts": (5, "int", None),
    "seed": (6, "int", None),
    "max_iter": (7, "int", None),
    "rotate_max_iter": (8, "int", None),
    "kaiser_normalize": (9, "int", None),
    "oblimin_gamma": (10, "double", None),
    "geomin_delta": (11, "double", None),
    "promax_power": (12, "double", None),
    "scores": (13, "enum", _SCORES),
    "parallel_iter": (14, "int", None),
    "parallel_quantile": (15, "double", None),
    "map_max": (16, "int", None),
    "rmsea_alpha": (17, "double", None),
    "threads": (18, "int", None),
    "rotate_starts": (19, "int", None),
    "simplimax_m": (40, "int", None),
    "boot_iter": (41, "int", None),
    "boot_alpha": (42, "double", None),
}

# name: (vs_fa_array, shape as a function of (p, k, n))
ARRAYS = {
    "loadings": (1, lambda p, k, n: (p, k)),
    "structure": (2, lambda p, k, n: (p, k)),
    "phi": (3, lambda p, k, n: (k, k)),
    "communality": (4, lambda p, k, n: (p,)),
    "uniquenesses": (5, lambda p, k, n: (p,)),
    "eigenvalues": (6, lambda p, k, n: (p,)),
    "eigenvalues_reduced": (7, lambda p, k, n: (p,)),
    "ss_loadings": (8, lambda p, k, n: (k,)),
    "variance": (9, lambda p, k, n: (5, k)),
    "rotation_matrix": (10, lambda p, k, n: (k, k)),
    "unrotated": (11, lambda p, k, n: (p, k)),
    "psi": (12, lambda p, k, n: (p,)),
    "residual": (13, lambda p, k, n: (p, p)),
    "weights": (14, lambda p, k, n: (p, k)),
    "scores": (15, lambda p, k, n: (n, k)),
    "rmsea_ci": (16, lambda p, k, n: (2,)),
    "heywood": (17, lambda p, k, n: (p,)),
    "score_r2": (18, lambda p, k, n: (k,)),
    "means": (19, lambda p, k, n: (p,)),
    "sds": (20, lambda p, k, n: (p,)),
}

STATS = ("objective", "chi_square", "df", "p_value", "rmsea", "rmsea_lower", "rmsea_upper",
         "tli", "bic", "rmsr", "criterion", "converged", "iterations", "heywood",
         "null_chi_square", "null_df", "n_obs", "rotate_iterations", "best_start", "smoothed",
         "rotation_criterion", "rotation_best_start", "extraction_converged",
         "rotation_converged", "ultra_heywood", "sabic", "ebic", "esabic", "crms")
_INT_STATS = {"converged", "iterations", "heywood", "rotate_iterations", "best_start",
              "smoothed", "rotation_best_start", "extraction_converged", "rotation_converged",
              "ultra_heywood"}

_NATIVE_DOUBLE = {"d", "@d", "=d", "<d" if sys.byteorder == "little" else ">d"}


class Matrix:
    """A row-major matrix of doubles: ``m.rows``, ``m.cols``, ``m.data`` (array('d')),
    ``m[i, j]``, ``m[i]`` (a row as a list), ``m.tolist()``, ``m.memoryview()`` (2-D, zero
    copy) and ``numpy.asarray(m)``."""

    __slots__ = ("rows", "cols", "data")

    def __init__(self, rows: int, cols: int, data: Any = None) -> None:
        self.rows, self.cols = int(rows), int(cols)
        self.data = array("d", bytes(8 * self.rows * self.cols)) if data is None else array("d", data)
        if len(self.data) != self.rows * self.cols:
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"{len(self.data)} values for a {rows} x {cols} matrix")

    @classmethod
    def from_any(cls, x: Any, rows: Optional[int] = None, cols: Optional[int] = None) -> "Matrix":
        """A Matrix from a Matrix, a 2-D buffer of doubles (numpy), a sequence of rows, or a
        flat sequence with `rows` and `cols` given. None entries become NaN."""
        if isinstance(x, Matrix):
            return x
        try:
            mv = memoryview(x)
        except TypeError:
            mv = None
        if mv is not None and mv.ndim == 2 and mv.format in _NATIVE_DOUBLE and mv.c_contiguous:
            return cls(mv.shape[0], mv.shape[1], mv.cast("B").cast("d"))
        if rows is not None and cols is not None:
            return cls(rows, cols, [math.nan if v is None else float(v) for v in x])
        rows_ = [list(r) for r in x]
        ncol = len(rows_[0]) if rows_ else 0
        if any(len(r) != ncol for r in rows_):
            raise errors.MismatchError(errors.Status.EMISMATCH, "rows of different lengths")
        return cls(len(rows_), ncol,
                   [math.nan if v is None else float(v) for r in rows_ for v in r])

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.cols

    def __getitem__(self, key):
        if isinstance(key, tuple):
            i, j = key
            if not (-self.rows <= i < self.rows and -self.cols <= j < self.cols):
                raise IndexError("matrix index out of range")
            return self.data[(i % self.rows) * self.cols + (j % self.cols)]
        i = range(self.rows)[key]
        return self.data[i * self.cols:(i + 1) * self.cols].tolist()

    def __len__(self):
        return self.rows

    def tolist(self) -> list:
        return [self[i] for i in range(self.rows)]

    def memoryview(self) -> memoryview:
        return memoryview(self.data).cast("B").cast("d", (self.rows, self.cols))

    def to_numpy(self) -> np.ndarray:
        import numpy  # optional
        return numpy.frombuffer(self.data, dtype=numpy.float64).reshape(self.rows, self.cols).copy()

    def __array__(self, dtype=None, copy=None):
        a = self.to_numpy()
        return a if dtype is None else a.astype(dtype)

    def _c(self):
        return (c_double * max(len(self.data), 1)).from_buffer(self.data) if self.data else None

    def __eq__(self, other):
        return isinstance(other, Matrix) and self.shape == other.shape and self.data == other.data

    def __repr__(self):
        return f"Matrix({self.rows}, {self.cols}, {self.tolist()!r})"


def _read(call, shape):
    """Runs call(out_needed, buf, cap) with a buffer of the expected `shape` (growing it if the
    library needs more); returns a Matrix for a 2-D shape, else a list."""
    n = math.prod(shape)
    needed = c_size_t()
    while True:
        buf = array("d", bytes(8 * n))
        try:
            call(byref(needed), (c_double * n).from_buffer(buf) if n else None, n)
            break
        except errors.BufferSizeError:
            if needed.value <= n:
                raise
            n = needed.value
    del buf[needed.value:]
    if len(shape) == 2 and math.prod(shape) == len(buf):
        return Matrix(shape[0], shape[1], buf)
    return buf.tolist()


def _read_np(call, shape) -> np.ndarray:
    """Like _read, as a float64 numpy array of `shape` (1-D when the library returned another
    number of values)."""
    out = _read(call, shape)
    a = np.asarray(out.data if isinstance(out, Matrix) else out, dtype=np.float64)
    return a.reshape(shape) if a.size == math.prod(shape) else a


def _pandas():
    import pandas  # optional: only reached when the input was labelled
    return pandas


#: Row names of the "variance" array (psych's Vaccounted).
VARIANCE_ROWS = ("SS loadings", "Proportion Var", "Cumulative Var", "Proportion Explained",
                 "Cumulative Proportion")

# Labels of each result array: (row labels, column labels); "var" = the variables, "fac" = the
# factors, "obs" = the rows of the data, a tuple = fixed names, None = unlabelled.
_LABELS = {
    "loadings": ("var", "fac"), "structure": ("var", "fac"), "unrotated": ("var", "fac"),
    "weights": ("var", "fac"), "phi": ("fac", "fac"), "rotation_matrix": ("fac", "fac"),
    "residual": ("var", "var"), "communality": ("var",), "uniquenesses": ("var",),
    "psi": ("var",), "ss_loadings": ("fac",), "variance": (VARIANCE_ROWS, "fac"),
    "heywood": ("var",), "score_r2": ("fac",),
    "scores": ("obs", "fac"), "cor": ("var", "var"),
}


def _labelled(a: np.ndarray, name: str, var_names, k: int, index=None):
    """`a` as a pandas DataFrame / Series with the labels of `name` when the variables have
    names, else `a` unchanged."""
    spec = _LABELS.get(name)
    if var_names is None or spec is None:
        return a
    fac = [f"F{j + 1}" for j in range(k)]

    def labels(kind, n):
        if kind == "var":
            return list(var_names)
        if kind == "fac":
            return fac
        if kind == "obs":
            return index if index is not None and len(index) == n else None
        return list(kind)

    pd = _pandas()
    if a.ndim == 1 and len(spec) == 1:
        lab = labels(spec[0], a.shape[0])
        return pd.Series(a, index=lab, name=name) if lab is not None and len(lab) == a.shape[0] else a
    if a.ndim == 2 and len(spec) == 2:
        rows, cols = labels(spec[0], a.shape[0]), labels(spec[1], a.shape[1])
        if (rows is None or len(rows) == a.shape[0]) and len(cols) == a.shape[1]:
            return pd.DataFrame(a, index=rows, columns=cols)
    return a


def _training_scale(x: np.ndarray, listwise: bool):
    """Column means and standard deviations (n - 1) of raw data, ignoring NaN (listwise: over
    the complete rows only), as the data's fit saw them."""
    if listwise:
        x = x[~np.isnan(x).any(axis=1)]
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmean(x, axis=0), np.nanstd(x, axis=0, ddof=1)


@dataclass(frozen=True)
class KMO:
    overall: float
    msa: tuple  # per variable


@dataclass(frozen=True)
class Bartlett:
    chi_square: float
    df: float
    p_value: float


@dataclass(frozen=True)
class ParallelAnalysis:
    nfactors: int
    ncomponents: int
    observed_fa: list
    observed_pc: list
    simulated_fa: list
    simulated_pc: list
    resampled_fa: list  # NaN for matrix input
    resampled_pc: list


@dataclass(frozen=True)
class MapResult:
    nfactors: int
    values: list  # mean squared partial correlation for m = 1..M


@dataclass(frozen=True)
class Omega:
    """psych::omega's coefficients and Schmid-Leiman solution (:meth:`FactorAnalysis.omega`).
    Arrays are numpy arrays, or pandas objects labelled like psych's when the variables have
    names: ``sl_loadings`` columns g, F1*..Fk*, h2, u2, p2; ``subscales`` rows g, F1*..Fk*,
    columns total, general, group (psych's omega.group)."""
    omega_total: float
    omega_hierarchical: float
    omega_limit: float
    alpha: float
    g6: float
    ecv: float
    sl_loadings: Any
    subscales: Any
    oblique: Any
    phi: Any
    general: Any  # the group factors' loadings on g
    key: Any      # -1 for an item reversed because its g loading was negative
    converged: bool = True  # every step (fit, rotation, the general factor's fit) converged

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


_OMEGA_STATS = ("omega_total", "omega_hierarchical", "omega_limit", "alpha", "g6", "ecv")


def _omega_from(ptr, names) -> Omega:
    k = lib.vs_fa_omega_factor_count(ptr)
    vals = []
    for code in range(1, 7):
        out = c_double()
        lib.vs_fa_omega_scalar(byref(out), ptr, code)
        vals.append(out.value)

    def arr(code, shape):
        return _read_np(lambda nd, b, c: lib.vs_fa_omega_get(nd, ptr, code, b, c), shape)

    p = len(names) if names is not None else None
    sl = arr(1, (-1, k + 4)) if p is None else arr(1, (p, k + 4))
    p = sl.shape[0]
    sub, obl, phi = arr(2, (k + 1, 3)), arr(3, (p, k)), arr(4, (k, k))
    gen, key = arr(5, (k,)), arr(6, (p,))
    if names is not None:
        pd = _pandas()
        fac = [f"F{j + 1}" for j in range(k)]
        star = [f + "*" for f in fac]
        sl = pd.DataFrame(sl, index=list(names), columns=["g"] + star + ["h2", "u2", "p2"])
        sub = pd.DataFrame(sub, index=["g"] + star, columns=["total", "general", "group"])
        obl = pd.DataFrame(obl, index=list(names), columns=fac)
        phi = pd.DataFrame(phi, index=fac, columns=fac)
        gen = pd.Series(gen, index=fac, name="general")
        key = pd.Series(key, index=list(names), name="key")
    conv = c_double()
    lib.vs_fa_omega_scalar(byref(conv), ptr, 7)
    return Omega(*vals, sl, sub, obl, phi, gen, key, conv.value == 1)


def congruence(a: Any, b: Any, *, match: bool = False, procrustes: bool = False) -> tuple:
    """Tucker's congruence coefficients of the columns of loading matrices `a` (p x ka) and
    `b` (p x kb), as psych::factor.congruence (the C function vs_fa_congruence).
    ``procrustes=True`` first rotates `b` orthogonally onto `a`; ``match=True`` reorders and
    reflects `b`'s columns to their best match in `a` (largest sum of |congruence|).
    Returns (phi ka x kb, order: b's column of each result column, signs +1/-1)."""
    A = np.ascontiguousarray(np.asarray(a, dtype=np.float64))
    B = np.ascontiguousarray(np.asarray(b, dtype=np.float64))
    if A.ndim != 2 or B.ndim != 2 or A.shape[0] != B.shape[0]:
        raise errors.MismatchError(errors.Status.EMISMATCH,
                                   f"congruence: loadings of shapes {A.shape} and {B.shape} "
                                   "need the same number of rows (variables)")
    ka, kb = A.shape[1], B.shape[1]
    out = np.empty((ka, kb))
    order = (c_size_t * max(kb, 1))()
    sign = np.empty(kb)
    dp = ctypes.POINTER(c_double)
    lib.vs_fa_congruence(out.ctypes.data_as(dp), order, sign.ctypes.data_as(dp),
                         A.ctypes.data_as(dp), B.ctypes.data_as(dp), A.shape[0], ka, kb,
                         (1 if match else 0) | (2 if procrustes else 0))
    return out, [order[j] for j in range(kb)], sign


def _score_method(method) -> int:
    if isinstance(method, str):
        if method not in _SCORES:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown score method {method!r} (one of {_SCORES})")
        return _SCORES.index(method)
    return int(method)


class FactorData(Handle):
    """Input of a factor analysis; immutable, shareable between threads."""

    _free_name = "vs_fa_data_free"
    _kind = "factor data"
    _shared = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use FactorData.from_raw(...) or FactorData.from_cor(...)")

    @classmethod
    def _wrap(cls, ptr, names=None, index=None, means=None, sds=None, nrows=None):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        obj._nrows = nrows
        obj._names = None if names is None else tuple(names)
        obj._index = index
        obj._means, obj._sds = means, sds
        return obj

    @staticmethod
    def _names_arg(names, p: int, given):
        if names is None:
            return given
        names = [str(n) for n in names]
        if len(names) != p:
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"{len(names)} names for {p} variables")
        return names

    @classmethod
    def from_raw(cls, x: Any, rows: Optional[int] = None, cols: Optional[int] = None,
                 missing: Union[str, int] = "pairwise", *, skip: Optional[Sequence[str]] = None,
                 columns: Optional[Sequence[str]] = None,
                 names: Optional[Sequence[str]] = None,
                 cor: Union[str, int, None] = None) -> "FactorData":
        """Raw data, rows = observations, columns = variables; NaN/None = missing;
        missing="pairwise" (psych's default) or "listwise"; cor = the correlation kind,
        "pearson" (None: the default), "spearman", "kendall", "polychoric" or "tetrachoric".

        `x` is a pandas DataFrame (its column names become the variable names; ``skip=`` drops
        columns, ``columns=`` selects them; a non-numeric column raises TypeError naming it),
        a 2-D numpy array, a sequence of rows, or a flat sequence with `rows` and `cols`.
        `names` names the variables of unlabelled data. The columns' means and standard
        deviations are kept: :meth:`FactorResult.scores` standardises new rows with them."""
        if rows is not None and cols is not None and not is_frame(x):
            a, var_names, index = np.asarray(Matrix.from_any(x, rows, cols)), None, None
        else:
            a, var_names, index = data_matrix(x, skip=skip, columns=columns, what="from_raw")
        var_names = cls._names_arg(names, a.shape[1], var_names)
        mode = {"pairwise": PAIRWISE, "listwise": LISTWISE}.get(missing, missing)  # type: ignore[arg-type]
        if not isinstance(mode, int):
            raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown missing mode {missing!r}")
        out = FaDataPtr()
        buf = a.ctypes.data_as(ctypes.POINTER(c_double)) if a.size else None
        if cor is None:
            lib.vs_fa_data_from_raw(byref(out), buf, a.shape[0], a.shape[1], mode)
        else:
            kind = c_int(cor) if isinstance(cor, int) else c_int()
            if not isinstance(cor, int):
                lib.vs_fa_cor_kind_from_name(byref(kind), cor)
            lib.vs_fa_data_from_raw_kind(byref(out), buf, a.shape[0], a.shape[1], mode, kind.value)
        means, sds = _training_scale(a, bool(mode & LISTWISE))
        return cls._wrap(out, var_names, index, means, sds, a.shape[0])

    @classmethod
    def from_cor(cls, r: Any, n_obs: float = 0, *,
                 names: Optional[Sequence[str]] = None) -> "FactorData":
        """A correlation (or covariance) matrix with its number of observations (0 = unknown);
        a pandas DataFrame's column names become the variable names (or give `names`)."""
        a, var_names, _ = data_matrix(r, what="from_cor")
        var_names = cls._names_arg(names, a.shape[1], var_names)
        out = FaDataPtr()
        buf = a.ctypes.data_as(ctypes.POINTER(c_double)) if a.size else None
        lib.vs_fa_data_from_cor(byref(out), buf, a.shape[0], a.shape[1], float(n_obs))
        return cls._wrap(out, var_names)

    @property
    def names(self) -> Optional[tuple]:
        """The variables' names (from a DataFrame's columns or names=), or None."""
        return self._names

    @property
    def means(self) -> Optional[np.ndarray]:
        """Column means of raw input (None for a correlation matrix)."""
        return self._means

    @property
    def sds(self) -> Optional[np.ndarray]:
        """Column standard deviations (n - 1) of raw input (None for a correlation matrix)."""
        return self._sds

    @property
    def variable_count(self) -> int:
        with self._use() as p:
            return lib.vs_fa_data_variable_count(p)

    nvars = variable_count  # the former name (README, "Deprecated names")

    @property
    def nobs(self) -> float:
        """Number of observations (0 when unknown)."""
        with self._use() as p:
            return lib.vs_fa_data_nobs(p)

    def cor(self) -> Any:
        """The p x p correlation matrix (numpy; a DataFrame when the variables have names)."""
        p_ = self.variable_count
        with self._use() as p:
            a = _read_np(lambda nd, b, c: lib.vs_fa_data_cor(nd, p, b, c), (p_, p_))
        return _labelled(a, "cor", self._names, 0)

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of the correlation matrix, decreasing."""
        p_ = self.variable_count
        with self._use() as p:
            return _read_np(lambda nd, b, c: lib.vs_fa_data_eigenvalues(nd, p, b, c), (p_,))

    def kmo(self) -> KMO:
        """Kaiser-Meyer-Olkin measure of sampling adequacy (psych::KMO)."""
        n = self.variable_count
        overall = c_double()
        msa = (c_double * n)()
        with self._use() as p:
            lib.vs_fa_kmo(byref(overall), msa, n, p)
        return KMO(overall.value, tuple(msa))

    def bartlett(self) -> Bartlett:
        """Bartlett's test of sphericity (needs the number of observations)."""
        chi, df, pv = c_double(), c_double(), c_double()
        with self._use() as p:
            lib.vs_fa_bartlett(byref(chi), byref(df), byref(pv), p)
        return Bartlett(chi.value, df.value, pv.value)

    def kaiser(self) -> int:
        """Number of eigenvalues greater than 1."""
        out = c_size_t()
        with self._use() as p:
            lib.vs_fa_kaiser(byref(out), p)
        return out.value

    def __repr__(self):
        if self.closed:
            return "<valuespace.FactorData (closed)>"
        return f"<valuespace.FactorData p={self.variable_count} n={self.nobs:g}>"


class FactorAnalysis(OptionsMixin, Handle):
    """Factor-analysis options (psych's defaults: 1 factor, minres, oblimin, psych mode).

    ``FactorAnalysis(nfactors=3, method="ml", rotation="varimax", starts=10, seed=1)``;
    options by name (see :data:`OPTIONS`) through keywords, :meth:`set`/:meth:`get` or item
    access ``fa["rotation"] = "promax"``. Fitting only reads the options, so one object may
    be used by several threads at once (setting an option waits for running fits)."""

    _free_name = "vs_fa_free"
    _kind = "factor analysis"
    _opt_prefix = "vs_fa"
    _opt_table = OPTIONS
    _opt_what = "factor-analysis"
    _shared = True  # fit/parallel/map only read it; setters take the lock exclusively

    def __init__(self, **options: Any) -> None:
        out = FaPtr()
        lib.vs_fa_create(byref(out))
        Handle.__init__(self, out)
        for name, value in options.items():
            self.set(name, value)


    def set_target(self, target: Any) -> "FactorAnalysis":
        """The target pattern (p x k; NaN / None = unspecified entry) of the rotations "targetT"
        and "targetQ"; None removes it. Any 2-D input :class:`Matrix` takes."""
        with self._use(shared=False) as p:
            if target is None:
                lib.vs_fa_set_target(p, None, 0, 0)
                return self
            m = Matrix.from_any(target)
            lib.vs_fa_set_target(p, m._c(), m.rows, m.cols)
        return self

    def bootstrap(self, data: FactorData) -> dict:
        """Bootstrap intervals (vs_fa_bootstrap): ``boot_iter`` row resamples of raw data, each
        refitted and aligned to the full solution by order and sign. Returns a dict with "used"
        (replicates kept) and "mean", "sd", "lower", "upper", each a dict of numpy arrays
        "loadings" (p x k), "phi" (k x k) and "communality" (p)."""
        p, k = data.variable_count, int(self.get("nfactors"))
        m = p * k + k * k + p
        buf = (c_double * (4 * m))()
        used, needed = c_size_t(), c_size_t()
        with use(self, data) as (f, d):
            lib.vs_fa_bootstrap(byref(used), byref(needed), f, d, buf, 4 * m)
        a = np.frombuffer(buf, dtype=np.float64).copy()
        out: dict = {"used": used.value}
        for b, name in enumerate(("mean", "sd", "lower", "upper")):
            v = a[b * m:(b + 1) * m]
            out[name] = {"loadings": v[:p * k].reshape(p, k), "phi": v[p * k:p * k + k * k].reshape(k, k),
                         "communality": v[p * k + k * k:]}
        return out

    def fit(self, data: FactorData) -> "FactorResult":
        out = FaResultPtr()
        with use(self, data) as (f, d):
            lib.vs_fa_fit(byref(out), f, d)
        return FactorResult._wrap(out, data)

    def omega(self, data: FactorData) -> Omega:
        """McDonald's omega from a Schmid-Leiman transformation, as psych::omega (the C
        function vs_fa_omega): the options' nfactors (>= 2; psych's default is 3), method and
        oblique rotation."""
        out = FaOmegaPtr()
        with use(self, data) as (f, d):
            lib.vs_fa_omega(byref(out), f, d)
        try:
            return _omega_from(out, data._names)
        finally:
            lib.vs_fa_omega_free(out)

    def parallel(self, data: FactorData) -> ParallelAnalysis:
        """Parallel analysis (psych::fa.parallel, fa = "both")."""
        p_ = data.variable_count
        nf, nc, needed = c_size_t(), c_size_t(), c_size_t()
        n = 6 * p_
        buf = (c_double * n)()
        with use(self, data) as (f, d):
            lib.vs_fa_parallel(byref(nf), byref(nc), byref(needed), f, d, buf, n)
        rows = [list(buf[i * p_:(i + 1) * p_]) for i in range(6)]
        return ParallelAnalysis(nf.value, nc.value, *rows)

    def map(self, data: FactorData) -> MapResult:
        """Velicer's minimum average partial (psych::VSS "map")."""
        nf = c_size_t()

        def call(needed, buf, cap):
            with use(self, data) as (f, d):
                lib.vs_fa_map(byref(nf), needed, f, d, buf, cap)

        m = max(1, min(int(self.get("map_max")), data.variable_count - 1))
        values = _read(call, (m,))
        return MapResult(nf.value, values)

    def __repr__(self):
        if self.closed:
            return "<valuespace.FactorAnalysis (closed)>"
        o = self.options()
        return (f"<valuespace.FactorAnalysis nfactors={o['nfactors']} method={o['method']} "
                f"rotation={o['rotation']}>")


class FactorResult(Handle):
    """One fitted factor solution (immutable). Arrays by name (see :data:`ARRAYS`) as
    attributes (``res.loadings``, ``res.phi`` ...) or :meth:`get` -- except ``weights()`` and
    ``scores()``, which are methods; statistics (see :data:`STATS`) as attributes or
    :meth:`stat`/:meth:`stats`."""

    _free_name = "vs_fa_result_free"
    _kind = "factor result"
    _shared = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("FactorResult objects come from FactorAnalysis.fit()")

    @classmethod
    def _wrap(cls, ptr, data: FactorData):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        obj._nrows = data._nrows
        obj._names = data._names
        obj._index = data._index
        obj._means, obj._sds = data._means, data._sds
        return obj

    @property
    def names(self) -> Optional[tuple]:
        """The variables' names, or None."""
        return self._names

    @property
    def variable_count(self) -> int:
        with self._use() as p:
            return lib.vs_fa_result_variable_count(p)

    nvars = variable_count  # the former name (README, "Deprecated names")

    @property
    def factor_count(self) -> int:
        with self._use() as p:
            return lib.vs_fa_result_factor_count(p)

    nfactors = factor_count  # the former name (README, "Deprecated names")

    def get(self, name: str) -> Any:
        """An array of the result as a numpy array (matrices 2-D, vectors 1-D); a pandas
        DataFrame / Series labelled with the variables' names and F1..Fk when the variables
        have names."""
        try:
            code, shape_of = ARRAYS[name]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown result array {name!r}") from None
        k = self.factor_count
        shape = shape_of(self.variable_count, k, self._nrows or 0)
        with self._use() as p:
            a = _read_np(lambda nd, b, c: lib.vs_fa_result_get(nd, p, code, b, c), shape)
        return _labelled(a, name, self._names, k, self._index)

    def stat(self, name: str) -> float:
        """A statistic of the result (NaN when not defined)."""
        try:
            code = STATS.index(name) + 1
        except ValueError:
            raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown statistic {name!r}") from None
        out = c_double()
        with self._use() as p:
            lib.vs_fa_result_scalar(byref(out), p, code)
        v = out.value
        return int(v) if name in _INT_STATS and not math.isnan(v) else v

    def stats(self) -> dict:
        return {name: self.stat(name) for name in STATS}

    def __getattr__(self, name):
        if name in ARRAYS:
            return self.get(name)
        if name in STATS:
            return self.stat(name)
        raise AttributeError(f"'FactorResult' object has no attribute {name!r}")

    def weights(self, method: Union[str, int, None] = None) -> Any:
        """Score weights (p x k): those of the fitted VS_FA_OPT_SCORES method (None), or of
        "regression" / "bartlett" / "tenBerge" / "Anderson" computed for this solution."""
        if method is None:
            return self.get("weights")
        code = _score_method(method)
        with self._use() as p:
            a = _read_np(lambda nd, b, c: lib.vs_fa_result_weights(nd, p, code, b, c),
                         (self.variable_count, self.factor_count))
        return _labelled(a, "weights", self._names, self.factor_count)

    def _new_rows(self, x: Any) -> tuple:
        """(n x p array in the fitted variables' order, row index or None)."""
        a, cols, index = data_matrix(x, what="scores")
        if cols is not None and self._names is not None:
            absent = [n for n in self._names if n not in cols]
            if absent:
                raise KeyError(f"scores: the DataFrame lacks the fitted variables {absent}")
            a = np.ascontiguousarray(a[:, [cols.index(n) for n in self._names]])
        if a.shape[1] != self.variable_count:
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"scores: {a.shape[1]} columns where the fit has "
                                       f"{self.variable_count} variables")
        return a, index

    def _has_moments(self) -> bool:
        """Whether the solution keeps its training data's means and sds (VS_FA_MEANS)."""
        need = c_size_t()
        with self._use() as p:
            try:
                lib.vs_fa_result_get(byref(need), p, ARRAYS["means"][0], None, 0)
            except errors.UndefinedError:
                return False
            except errors.BufferSizeError:
                return True
        return True

    def scores(self, x: Any = None, method: Union[str, int] = "regression", *,
               means: Any = None, sds: Any = None, standardize: Optional[str] = None) -> Any:
        """Factor scores (rows x k): of the raw input data (x None), or of new rows `x` with
        the fitted p variables (a DataFrame's columns are matched by name).

        New rows are standardised with the *training* data's column means and standard
        deviations (n - 1), which the solution keeps (also when saved and loaded; the C
        function vs_fa_result_scores) -- so one row works, and a row's score does not depend on
        the other rows given with it -- or with `means` and `sds` when given
        (vs_fa_result_scores_scaled). ``standardize="own"`` standardises each column of `x` by
        its own mean and sd instead. A fit of a correlation matrix (or a solution loaded from a
        version-1 file) has no training means: give `means` and `sds`, else UndefinedError.
        Rows with a missing value get NaN scores."""
        if x is None:
            return self.get("scores")
        a, index = self._new_rows(x)
        k = self.factor_count
        if standardize not in (None, "training", "own"):
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"standardize={standardize!r}: 'training' or 'own'")
        code = _score_method(method)
        if standardize == "own":
            if means is not None or sds is not None:
                raise errors.InvalidArgument(errors.Status.EINVAL,
                                             "scores: standardize='own' takes no means= or sds=")
            counts = np.sum(~np.isnan(a), axis=0)
            if np.any(counts < 2):
                raise errors.UndefinedError(errors.Status.EUNDEFINED,
                                            "scores: a column has fewer than 2 values to standardise by")
            means, sds = np.nanmean(a, axis=0), np.nanstd(a, axis=0, ddof=1)
            if not np.all(sds > 0):
                raise errors.UndefinedError(errors.Status.EUNDEFINED, "scores: a column is constant")
        xp = a.ctypes.data_as(ctypes.POINTER(c_double))
        if means is None and sds is None:
            if not self._has_moments():
                raise errors.UndefinedError(
                    errors.Status.EUNDEFINED,
                    "scores: this solution was fitted from a correlation matrix (or loaded from a "
                    "version-1 file), so the training means and standard deviations are unknown; "
                    "pass means= and sds= (or standardize='own' to use the new rows' own)")
            with self._use() as p:
                out = _read_np(lambda nd, b, c: lib.vs_fa_result_scores(
                    nd, p, code, xp, a.shape[0], a.shape[1], b, c), (a.shape[0], k))
            return _labelled(out, "scores", self._names, k, index)
        if means is None or sds is None:
            raise errors.InvalidArgument(errors.Status.EINVAL, "scores: give both means= and sds=")
        mu = np.ascontiguousarray(np.asarray(means, dtype=float))
        sd = np.ascontiguousarray(np.asarray(sds, dtype=float))
        if mu.shape != (self.variable_count,) or sd.shape != (self.variable_count,):
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"scores: means and sds need {self.variable_count} values each")
        mp, sp = mu.ctypes.data_as(ctypes.POINTER(c_double)), sd.ctypes.data_as(ctypes.POINTER(c_double))
        with self._use() as p:
            out = _read_np(lambda nd, b, c: lib.vs_fa_result_scores_scaled(
                nd, p, code, xp, a.shape[0], a.shape[1], mp, sp, b, c), (a.shape[0], k))
        return _labelled(out, "scores", self._names, k, index)

    def save(self, path: str, names: Optional[Sequence[str]] = None) -> None:
        """Saves the solution as a JSON document (the C function vs_fa_result_save_file) with
        the variables' names (`names`, else those of the data), to load with :meth:`load`."""
        names = list(names) if names is not None else (list(self._names) if self._names else None)
        arr = None
        if names is not None:
            if len(names) != self.variable_count:
                raise errors.MismatchError(errors.Status.EMISMATCH,
                                           f"save: {len(names)} names for {self.variable_count} variables")
            enc = [n.encode("utf-8") for n in names]
            arr = (ctypes.c_char_p * len(enc))(*enc)
        with self._use() as p:
            lib.vs_fa_result_save_file(p, arr, path)

    @classmethod
    def load(cls, path: str) -> "FactorResult":
        """A solution saved by :meth:`save` (or ``valuespace fa ... --save``): every array and
        statistic but the scores of the fitted data; weights() and scores(x) work (scores in the
        training data's scale; a version-1 file or a correlation-matrix fit needs means=, sds=)."""
        out = FaResultPtr()
        lib.vs_fa_result_load_file(byref(out), path)
        obj = cls.__new__(cls)
        Handle.__init__(obj, out)
        p = lib.vs_fa_result_variable_count(out)
        first = lib.vs_fa_result_variable(out, 0)
        obj._names = tuple(lib.vs_fa_result_variable(out, i) for i in range(p)) if first is not None else None
        obj._nrows, obj._index, obj._means, obj._sds = None, None, None, None
        if obj._has_moments():  # a version-2 file keeps the training data's means and sds
            m, s = obj.get("means"), obj.get("sds")
            obj._means, obj._sds = np.asarray(m, dtype=float), np.asarray(s, dtype=float)
        return obj

    def __repr__(self):
        if self.closed:
            return "<valuespace.FactorResult (closed)>"
        return f"<valuespace.FactorResult p={self.variable_count} k={self.factor_count}>"
