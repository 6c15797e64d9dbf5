"""Value vectors (``valuespace/vector.h``): one double per dimension of a level; NaN = missing."""

from __future__ import annotations

import math
import sys
import weakref
from array import array
from ctypes import byref, c_double, c_size_t
from dataclasses import dataclass
from typing import Any, Optional, Union

from . import errors
from ._convert import dimension_values
from ._lib import Handle, VectorPtr, lib, use, vs_circle_fit
from .space import LevelRef, Space

__all__ = ["Vector", "CircleFit", "AGGREGATE_MEAN", "AGGREGATE_MAX_MAGNITUDE",
           "AGGREGATE_SIGN_VOTE", "METRIC_L1", "METRIC_L2", "METRIC_COSINE", "METRIC_SPEARMAN",
           "WEIGHTED_SUM_NORMALIZE"]

AGGREGATE_MEAN = 0
AGGREGATE_MAX_MAGNITUDE = 1
AGGREGATE_SIGN_VOTE = 2
METRIC_L1 = 0
METRIC_L2 = 1
METRIC_COSINE = 2
METRIC_SPEARMAN = 3
WEIGHTED_SUM_NORMALIZE = 1

_POLICIES = {"mean": AGGREGATE_MEAN, "max_magnitude": AGGREGATE_MAX_MAGNITUDE,
             "sign_vote": AGGREGATE_SIGN_VOTE}
_METRICS = {"l1": METRIC_L1, "l2": METRIC_L2, "cosine": METRIC_COSINE,
            "spearman": METRIC_SPEARMAN}

_NATIVE_DOUBLE = {"d", "@d", "=d", "<d" if sys.byteorder == "little" else ">d"}


def _enum(value, table, what):
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key not in table:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown {what} '{value}' (one of {', '.join(table)})")
        return table[key]
    return int(value)


def to_double_array(values: Any) -> Any:
    """(ctypes double array, n) from a buffer of doubles (array('d'), memoryview, numpy
    float64) or any iterable of numbers; None entries become NaN (missing)."""
    try:
        mv = memoryview(values)
    except TypeError:
        mv = None
    if mv is not None and mv.ndim == 1 and mv.format in _NATIVE_DOUBLE and mv.c_contiguous:
        n = mv.shape[0]
        return (c_double * n).from_buffer_copy(mv), n
    seq = [math.nan if v is None else float(v) for v in values]
    return (c_double * len(seq))(*seq), len(seq)


@dataclass(frozen=True)
class CircleFit:
    """Least-squares fit x_k = mesor + amplitude * cos(theta_k - phase) over the circle."""

    mesor: float
    amplitude: float
    phase_degrees: float
    r_squared: float
    n: int


class Vector(Handle):
    """A vector over one level of a space. Entries are floats; NaN (``float('nan')``) marks a
    missing entry, and ``None`` may be used for missing when setting.

    ``v[i]`` / ``v["Self-direction"]`` read an entry (negative indices count from the end;
    names use the space's folded lookup), assignment writes one; ``len(v)``, iteration,
    :meth:`tolist`, :meth:`to_array` (array('d'), usable as a memoryview), :meth:`to_dict`
    and, if numpy is installed, ``numpy.asarray(v)``. The vector keeps its Space alive.
    """

    _free_name = "vs_vector_free"
    _kind = "vector"

    def __init__(self, space: Space, level: LevelRef = 0, values: Any = None) -> None:
        if not isinstance(space, Space):
            raise TypeError(f"space must be a valuespace.Space, not {type(space).__name__}")
        lev = space.level_index(level)
        out = VectorPtr()
        with space._use() as sp:
            lib.vs_vector_create(byref(out), sp, lev)
        Handle.__init__(self, out, parents=(space,))
        self._space = space
        self._space_ref = None
        if values is not None:
            self.set_values(values)

    @classmethod
    def _wrap(cls, ptr, space: Optional[Space]) -> "Vector":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents=(space,) if space is not None else ())
        obj._space = space
        obj._space_ref = None
        return obj

    @classmethod
    def from_list(cls, space: Space, values: Any, level: LevelRef = 0) -> "Vector":
        """A vector over `level` set from `values` (length = the level's size)."""
        return cls(space, level, values)

    # ---------------------------------------------------------------- structure

    @property
    def space(self) -> Space:
        """The Space this vector is over."""
        if self._space is not None:
            return self._space
        # A vector made by the library itself (align_target): wrap its space as a borrowed
        # handle that keeps this vector alive; cached weakly to avoid a reference cycle.
        sp = self._space_ref() if self._space_ref is not None else None
        if sp is None:
            with self._use() as p:
                sp = Space._wrap(lib.vs_vector_space(p), parents=(self,), owned=False)
            self._space_ref = weakref.ref(sp)
        return sp

    @property
    def level(self) -> int:
        with self._use() as p:
            return lib.vs_vector_level(p)

    @property
    def level_name(self) -> str:
        return self.space.levels[self.level]

    @property
    def keys(self) -> tuple[str, ...]:
        """Keys of the entries, in order."""
        return self.space.keys(self.level)

    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_vector_dimension_count(p)

    @property
    def missing_count(self) -> int:
        with self._use() as p:
            return lib.vs_vector_missing_count(p)

    # ---------------------------------------------------------------- entries

    def _position(self, p, i) -> int:
        try:
            i = i.__index__()
        except AttributeError:
            raise TypeError(f"vector indices must be int or str, not {type(i).__name__}") from None
        if i < 0:
            i += lib.vs_vector_dimension_count(p)
            if i < 0:
                raise errors.OutOfRange(errors.Status.ERANGE, "vector index out of range")
        return i

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.tolist()[key]
        out = c_double()
        with self._use() as p:
            if isinstance(key, (str, bytes)):
                lib.vs_vector_get_by_name(byref(out), p, key)
            else:
                lib.vs_vector_get(byref(out), p, self._position(p, key))
        return out.value

    def __setitem__(self, key, value) -> None:
        value = math.nan if value is None else float(value)
        with self._use() as p:
            if isinstance(key, (str, bytes)):
                lib.vs_vector_set_by_name(p, key, value)
            else:
                lib.vs_vector_set(p, self._position(p, key), value)

    def get(self, key: Union[int, str], default: Any = None) -> Any:
        """Entry by index or name; `default` when the name or index does not exist."""
        try:
            return self[key]
        except (errors.NotFound, errors.OutOfRange):
            return default

    def is_missing(self, key: Union[int, str]) -> bool:
        return math.isnan(self[key])

    def __iter__(self):
        return iter(self.tolist())

    def set_values(self, values: Any) -> "Vector":
        """Sets every entry; on failure nothing changes. `values` is a sequence or buffer in
        the level's order (its length must equal len(self)), or a dict / pandas Series keyed by
        dimension name (folded lookup; KeyError names unknown, duplicated or missing names)."""
        values = dimension_values(values, self.space, self.level, "vector values")
        buf, n = to_double_array(values)
        with self._use() as p:
            lib.vs_vector_set_values(p, buf, n)
        return self

    def to_array(self) -> array:
        """The entries as array('d') (supports the buffer protocol: memoryview(v.to_array()))."""
        with self._use() as p:
            n = lib.vs_vector_dimension_count(p)
            arr = array("d", bytes(8 * n))
            needed = c_size_t()
            if n:
                lib.vs_vector_get_values(byref(needed), p, (c_double * n).from_buffer(arr), n)
        return arr

    def tolist(self) -> list:
        return self.to_array().tolist()

    to_list = tolist

    def to_dict(self) -> dict:
        """{key: value} in order."""
        return dict(zip(self.keys, self.tolist()))

    def to_numpy(self) -> Any:
        """The entries as a numpy float64 array (needs numpy)."""
        import numpy  # optional dependency, imported only here
        return numpy.frombuffer(self.to_array(), dtype=numpy.float64).copy()

    def __array__(self, dtype=None, copy=None):
        a = self.to_numpy()
        return a if dtype is None else a.astype(dtype)

    def copy(self) -> "Vector":
        """An independent copy over the same space and level."""
        out = VectorPtr()
        with self._use() as p:
            lib.vs_vector_clone(byref(out), p)
        return Vector._wrap(out, self._space if self._space is not None else self.space)

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()

    # ---------------------------------------------------------------- operations

    def aggregate(self, to_level: LevelRef, policy: Union[str, int] = "mean") -> "Vector":
        """A new vector over a higher level: each entry combines the present children
        ("mean", "max_magnitude" or "sign_vote")."""
        space = self.space
        lev = space.level_index(to_level)
        pol = _enum(policy, _POLICIES, "aggregation policy")
        out = VectorPtr()
        with self._use() as p:
            lib.vs_vector_aggregate(byref(out), p, lev, pol)
        return Vector._wrap(out, space)

    def ipsatize(self) -> "Vector":
        """Subtracts the mean of the present entries from each (in place); returns self.
        Raises UndefinedError (vector unchanged) when no entry is present."""
        with self._use() as p:
            lib.vs_vector_ipsatize(p)
        return self

    def ipsatized(self) -> "Vector":
        """An ipsatised copy."""
        return self.copy().ipsatize()

    def compare(self, other: "Vector", metric: Union[str, int] = "l2") -> float:
        """Distance ("l1", "l2") or similarity ("cosine", "spearman") over the entries present
        in both vectors."""
        m = _enum(metric, _METRICS, "metric")
        other = self._coerce(other)
        out = c_double()
        with use(self, other) as (a, b):
            lib.vs_vector_compare(byref(out), a, b, m)
        return out.value

    def weighted_sum(self, weights: Any, normalize: bool = False) -> float:
        """sum_k w_k v_k over the entries present in both (divided by sum |w_k| with
        normalize=True). `weights` is a Vector or a sequence of the same length."""
        weights = self._coerce(weights)
        out = c_double()
        with use(self, weights) as (a, b):
            lib.vs_vector_weighted_sum(byref(out), a, b,
                                       WEIGHTED_SUM_NORMALIZE if normalize else 0)
        return out.value

    def circle_fit(self) -> CircleFit:
        """Fits a sinusoid over the dimensions' circle angles (needs >= 4 usable ones)."""
        fit = vs_circle_fit()
        with self._use() as p:
            lib.vs_vector_circle_fit(byref(fit), p)
        return CircleFit(fit.mesor, fit.amplitude, fit.phase_degrees, fit.r_squared, fit.n)

    def _coerce(self, other) -> "Vector":
        """`other` as a Vector: a sequence, dict or pandas Series becomes a vector over this
        vector's space and level (names matched, see set_values)."""
        if isinstance(other, Vector):
            return other
        return Vector(self.space, self.level, other)

    def __repr__(self) -> str:
        if self.closed:
            return "<valuespace.Vector (closed)>"
        return (f"<valuespace.Vector {self.space.name}/{self.level_name} "
                f"{[round(x, 6) for x in self.tolist()]}>")
