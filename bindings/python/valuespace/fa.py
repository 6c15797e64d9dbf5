"""Exploratory factor analysis (``valuespace/fa.h``), following R's psych::fa conventions.

* :class:`FactorData` -- the input: raw data (n x p, NaN/None = missing) or a correlation
  (or covariance) matrix with its number of observations; factorability (KMO, Bartlett) and
  Kaiser's rule.
* :class:`FactorAnalysis` -- the options (``nfactors``, ``method``, ``rotation``, ``mode``,
  ``starts``, ``seed`` ... as keyword arguments or :meth:`~FactorAnalysis.set`), and
  :meth:`~FactorAnalysis.fit`, :meth:`~FactorAnalysis.parallel`, :meth:`~FactorAnalysis.map`.
* :class:`FactorResult` -- one fitted solution: matrices (:class:`Matrix`), vectors (lists)
  and statistics.

Matrices go in as a :class:`Matrix`, a sequence of rows, a 2-D numpy array or any C-contiguous
2-D buffer of doubles; they come out as :class:`Matrix` (row-major ``array('d')`` with a 2-D
memoryview, ``tolist()`` and numpy conversion).
"""

from __future__ import annotations

import math
import sys
from array import array
from ctypes import byref, c_double, c_int64, c_size_t
from dataclasses import dataclass
from typing import Optional, Union

from . import errors
from ._lib import FaDataPtr, FaPtr, FaResultPtr, Handle, lib, use

__all__ = ["FactorData", "FactorAnalysis", "FactorResult", "Matrix", "KMO", "Bartlett",
           "ParallelAnalysis", "MapResult", "OPTIONS", "ARRAYS", "STATS"]

PAIRWISE = 0
LISTWISE = 1

# name: (vs_fa_option, kind, enum names by value)
_METHODS = ("minres", "uls", "pa", "ml", "wls", "gls")
_ROTATIONS = ("none", "varimax", "quartimax", "equamax", "promax", "oblimin", "quartimin",
              "geominQ", "geominT", "bentlerT", "bentlerQ")
_MODES = ("psych", "tight")
_SCORES = ("none", "regression", "bartlett")
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
}

STATS = ("objective", "chi_square", "df", "p_value", "rmsea", "rmsea_lower", "rmsea_upper",
         "tli", "bic", "rmsr", "criterion", "converged", "iterations", "heywood",
         "null_chi_square", "null_df", "n_obs", "rotate_iterations", "best_start", "smoothed",
         "rotation_criterion", "rotation_best_start")
_INT_STATS = {"converged", "iterations", "heywood", "rotate_iterations", "best_start",
              "smoothed", "rotation_best_start"}

_NATIVE_DOUBLE = {"d", "@d", "=d", "<d" if sys.byteorder == "little" else ">d"}


class Matrix:
    """A row-major matrix of doubles: ``m.rows``, ``m.cols``, ``m.data`` (array('d')),
    ``m[i, j]``, ``m[i]`` (a row as a list), ``m.tolist()``, ``m.memoryview()`` (2-D, zero
    copy) and ``numpy.asarray(m)``."""

    __slots__ = ("rows", "cols", "data")

    def __init__(self, rows: int, cols: int, data=None):
        self.rows, self.cols = int(rows), int(cols)
        self.data = array("d", bytes(8 * self.rows * self.cols)) if data is None else array("d", data)
        if len(self.data) != self.rows * self.cols:
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"{len(self.data)} values for a {rows} x {cols} matrix")

    @classmethod
    def from_any(cls, x, rows: Optional[int] = None, cols: Optional[int] = None) -> "Matrix":
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

    def to_numpy(self):
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

    def __init__(self, *args, **kwargs):
        raise TypeError("use FactorData.from_raw(...) or FactorData.from_cor(...)")

    @classmethod
    def _wrap(cls, ptr):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        obj._nrows = None
        return obj

    @classmethod
    def from_raw(cls, x, rows: Optional[int] = None, cols: Optional[int] = None,
                 missing: Union[str, int] = "pairwise") -> "FactorData":
        """Raw data, rows = observations, columns = variables; NaN/None = missing;
        missing="pairwise" (psych's default) or "listwise"."""
        m = Matrix.from_any(x, rows, cols)
        mode = {"pairwise": PAIRWISE, "listwise": LISTWISE}.get(missing, missing)
        if not isinstance(mode, int):
            raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown missing mode {missing!r}")
        out = FaDataPtr()
        lib.vs_fa_data_from_raw(byref(out), m._c(), m.rows, m.cols, mode)
        obj = cls._wrap(out)
        obj._nrows = m.rows
        return obj

    @classmethod
    def from_cor(cls, r, n_obs: float = 0) -> "FactorData":
        """A correlation (or covariance) matrix with its number of observations (0 = unknown)."""
        m = Matrix.from_any(r)
        out = FaDataPtr()
        lib.vs_fa_data_from_cor(byref(out), m._c(), m.rows, m.cols, float(n_obs))
        return cls._wrap(out)

    @property
    def nvars(self) -> int:
        with self._use() as p:
            return lib.vs_fa_data_nvars(p)

    @property
    def nobs(self) -> float:
        """Number of observations (0 when unknown)."""
        with self._use() as p:
            return lib.vs_fa_data_nobs(p)

    def cor(self) -> Matrix:
        """The p x p correlation matrix."""
        p_ = self.nvars
        with self._use() as p:
            return _read(lambda nd, b, c: lib.vs_fa_data_cor(nd, p, b, c), (p_, p_))

    def eigenvalues(self) -> list:
        """Eigenvalues of the correlation matrix, decreasing."""
        p_ = self.nvars
        with self._use() as p:
            return _read(lambda nd, b, c: lib.vs_fa_data_eigenvalues(nd, p, b, c), (p_,))

    def kmo(self) -> KMO:
        """Kaiser-Meyer-Olkin measure of sampling adequacy (psych::KMO)."""
        n = self.nvars
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
        return f"<valuespace.FactorData p={self.nvars} n={self.nobs:g}>"


class FactorAnalysis(Handle):
    """Factor-analysis options (psych's defaults: 1 factor, minres, oblimin, psych mode).

    ``FactorAnalysis(nfactors=3, method="ml", rotation="varimax", starts=10, seed=1)``;
    options by name (see :data:`OPTIONS`) through keywords, :meth:`set`/:meth:`get` or item
    access ``fa["rotation"] = "promax"``. Fitting only reads the options, so one object may
    be used by several threads at once (setting an option waits for running fits)."""

    _free_name = "vs_fa_free"
    _kind = "factor analysis"
    _shared = True  # fit/parallel/map only read it; setters take the lock exclusively

    def __init__(self, **options):
        out = FaPtr()
        lib.vs_fa_create(byref(out))
        Handle.__init__(self, out)
        for name, value in options.items():
            self.set(name, value)

    @staticmethod
    def _option(name):
        if isinstance(name, str):
            try:
                return OPTIONS[name]
            except KeyError:
                raise errors.InvalidArgument(
                    errors.Status.EINVAL,
                    f"unknown factor-analysis option {name!r} (one of {', '.join(OPTIONS)})") from None
        for spec in OPTIONS.values():
            if spec[0] == name:
                return spec
        raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown option {name!r}")

    def set(self, name, value) -> "FactorAnalysis":
        code, kind, names = self._option(name)
        with self._use(shared=False) as p:
            if kind == "enum" and isinstance(value, str):
                lib.vs_fa_set_str(p, code, value)
            elif kind == "double":
                lib.vs_fa_set_double(p, code, float(value))
            else:
                if isinstance(value, float) and not value.is_integer():
                    raise errors.InvalidArgument(errors.Status.EINVAL,
                                                 f"option {name!r} needs an integer")
                lib.vs_fa_set_int(p, code, int(value))
        return self

    def get(self, name):
        """An option's value (enum options by name)."""
        code, kind, names = self._option(name)
        with self._use() as p:
            if kind == "double":
                out = c_double()
                lib.vs_fa_get_double(byref(out), p, code)
                return out.value
            out = c_int64()
            lib.vs_fa_get_int(byref(out), p, code)
        if kind == "enum" and 0 <= out.value < len(names):
            return names[out.value]
        return out.value

    __getitem__ = get
    __setitem__ = set

    def options(self) -> dict:
        return {name: self.get(name) for name in OPTIONS}

    @classmethod
    def bounds(cls, name) -> tuple[float, float]:
        """Inclusive (min, max) of an option."""
        code = cls._option(name)[0]
        lo, hi = c_double(), c_double()
        lib.vs_fa_option_bounds(byref(lo), byref(hi), code)
        return lo.value, hi.value

    def fit(self, data: FactorData) -> "FactorResult":
        out = FaResultPtr()
        with use(self, data) as (f, d):
            lib.vs_fa_fit(byref(out), f, d)
        return FactorResult._wrap(out, getattr(data, "_nrows", None))

    def parallel(self, data: FactorData) -> ParallelAnalysis:
        """Parallel analysis (psych::fa.parallel, fa = "both")."""
        p_ = data.nvars
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

        m = max(1, min(int(self.get("map_max")), data.nvars - 1))
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

    def __init__(self, *args, **kwargs):
        raise TypeError("FactorResult objects come from FactorAnalysis.fit()")

    @classmethod
    def _wrap(cls, ptr, nrows):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        obj._nrows = nrows
        return obj

    @property
    def nvars(self) -> int:
        with self._use() as p:
            return lib.vs_fa_result_nvars(p)

    @property
    def nfactors(self) -> int:
        with self._use() as p:
            return lib.vs_fa_result_nfactors(p)

    def get(self, name: str):
        """An array of the result: a Matrix for matrices, a list for vectors."""
        try:
            code, shape_of = ARRAYS[name]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown result array {name!r}") from None
        shape = shape_of(self.nvars, self.nfactors, self._nrows or 0)
        with self._use() as p:
            return _read(lambda nd, b, c: lib.vs_fa_result_get(nd, p, code, b, c), shape)

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

    def weights(self, method: Union[str, int, None] = None) -> Matrix:
        """Score weights (p x k): those of the fitted VS_FA_OPT_SCORES method (None), or of
        "regression" / "bartlett" computed for this solution."""
        if method is None:
            return self.get("weights")
        code = _score_method(method)
        with self._use() as p:
            return _read(lambda nd, b, c: lib.vs_fa_result_weights(nd, p, code, b, c),
                         (self.nvars, self.nfactors))

    def scores(self, x=None, method: Union[str, int] = "regression") -> Matrix:
        """Factor scores: of the raw input data (x None; rows x k), or of new raw data `x`
        with the same p columns (each column standardised with its own mean and sd)."""
        if x is None:
            return self.get("scores")
        code = _score_method(method)
        m = Matrix.from_any(x)
        with self._use() as p:
            return _read(lambda nd, b, c: lib.vs_fa_result_scores(nd, p, code, m._c(), m.rows,
                                                                  m.cols, b, c),
                         (m.rows, self.nfactors))

    def __repr__(self):
        if self.closed:
            return "<valuespace.FactorResult (closed)>"
        return f"<valuespace.FactorResult p={self.nvars} k={self.nfactors}>"
