"""Mergeable per-dimension statistics with a shard-exact Poisson bootstrap
(``valuespace/accum.h``).

``Accumulator(dims, replicates, seed)``; ``add(item, values)`` (item: an id string or a 64-bit
item hash; NaN/None = not observed), ``add_rows(items, matrix)``, ``merge(other)`` (``a += b``
too), ``stats(d)`` (:class:`Stats`), ``replicate_means(d)``, ``ci(d)``. Accumulators serialise
to bytes (``bytes(acc)`` / ``Accumulator.from_bytes``), pickle through those bytes (so they
travel between processes, e.g. Dask workers), and save to / load from files. Shards merged in
any order give bit-identical exact state (compare ``bytes()``).

Names: ``Accumulator(["power", "benevolence"], ...)`` names the dimensions (kept by clone and
pickle; give ``names=`` to :meth:`~Accumulator.from_bytes` / :meth:`~Accumulator.load`). Rows
then go in by name too: ``add(item, values)`` takes a sequence (positional, length checked),
a dict or a pandas Series keyed by name; ``add_rows(df)`` takes a DataFrame whose columns are
matched by name (any order; NaN = not observed; a non-numeric column raises naming it, ``skip=``
/ ``columns=``) and whose index gives the items. Statistics come out as numpy arrays
(``replicate_means``, ``summary()``; ``as_frame=True`` labels them), and ``stats`` / ``ci`` take
a dimension's position or name.
"""

from __future__ import annotations

import os
from ctypes import byref, c_double, c_size_t, c_ubyte, c_uint64
from dataclasses import dataclass, fields
from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np

from . import errors
from ._convert import (data_matrix, is_frame, is_series, labelled, name_matcher, named_matrix,
                       named_values)
from ._options import OptionsMixin
from ._lib import AccumPtr, Handle, lib, use, vs_accum_stats
from ._util import cdoubles, doubles, read_array

__all__ = ["Accumulator", "Stats", "STATS_FIELDS", "item_hash", "weight", "CI_PERCENTILE",
           "CI_NORMAL", "FORMAT_VERSION"]

CI_PERCENTILE = 0
CI_NORMAL = 1
FORMAT_VERSION = 1
_OPT_SCALE_BITS = 0
#: name: (vs_accum_option, kind)
OPTIONS = {"scale_bits": (_OPT_SCALE_BITS, "int")}


def item_hash(item_id: str) -> int:
    """The 64-bit hash every module identifies items by."""
    out = c_uint64()
    lib.vs_accum_item_hash(byref(out), item_id)
    return out.value


def weight(seed: int, replicate: int, item: Union[str, int]) -> int:
    """The bootstrap weight (0..12) of an item in a replicate."""
    h = item_hash(item) if isinstance(item, str) else int(item)
    return lib.vs_accum_weight(seed, replicate, h)


def _default_index(x: Any) -> bool:
    return list(x.index) == list(range(len(x.index)))


@dataclass(frozen=True)
class Stats:
    """Statistics of one dimension (vs_accum_stats)."""
    n: int
    mean: float
    m2: float
    variance: float
    sd: float
    min: float
    max: float
    exact_sum: float
    exact_mean: float
    exact_variance: float
    exact_sd: float
    se: float
    boot_defined: int
    boot_mean: float
    boot_se: float


#: The fields of :class:`Stats`, the columns of :meth:`Accumulator.summary`.
STATS_FIELDS = tuple(f.name for f in fields(Stats))


class Accumulator(OptionsMixin, Handle):
    """An accumulator over `dims` dimensions (a number, or the dimensions' names) with
    `replicates` bootstrap replicates."""

    _free_name = "vs_accum_free"
    _kind = "accumulator"
    _opt_prefix = "vs_accum"
    _opt_table = OPTIONS
    _opt_what = "accumulator"

    def __init__(self, dims: Union[int, Sequence[str]], replicates: int = 0, seed: int = 0, *,
                 scale_bits: Optional[int] = None) -> None:
        names = None
        if not isinstance(dims, int):
            names = [str(n) for n in dims]
            dims = len(names)
        out = AccumPtr()
        lib.vs_accum_create(byref(out), dims, replicates, seed)
        Handle.__init__(self, out)
        self._names: Optional[Tuple[str, ...]] = None
        self._set_names(names)
        if scale_bits is not None:
            self.scale_bits = scale_bits

    @classmethod
    def _wrap(cls, ptr: Any, names: Optional[Sequence[str]] = None) -> "Accumulator":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        obj._names = None
        obj._set_names(names)
        return obj

    def _set_names(self, names: Optional[Sequence[str]]) -> None:
        if names is None:
            return
        names = tuple(str(n) for n in names)
        if len(names) != self.dimension_count or len(set(names)) != len(names):
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"{len(names)} names (distinct?) for {self.dimension_count} dimensions")
        self._names = names

    @property
    def names(self) -> Optional[Tuple[str, ...]]:
        """The dimensions' names, or None."""
        return getattr(self, "_names", None)

    def _dim(self, dim: Union[int, str]) -> int:
        if isinstance(dim, str):
            names = self.names
            if names is None or dim not in names:
                raise KeyError(f"unknown dimension {dim!r} (the accumulator's names: "
                               f"{list(names) if names else None})")
            return names.index(dim)
        return int(dim)

    def _matcher(self, what: str) -> Any:
        if self.names is None:
            raise KeyError(f"{what}: values keyed by name need an accumulator with names "
                           "(Accumulator([name, ...], ...))")
        return name_matcher(self.names, "the accumulator")

    # ---------------------------------------------------------------- properties

    @property
    def dimension_count(self) -> int:
        with self._use() as p:
            return lib.vs_accum_dimension_count(p)

    dims = dimension_count  # the former name (README, "Deprecated names")

    @property
    def replicate_count(self) -> int:
        with self._use() as p:
            return lib.vs_accum_replicate_count(p)

    replicates = replicate_count  # the former name (README, "Deprecated names")

    @property
    def seed(self) -> int:
        with self._use() as p:
            return lib.vs_accum_seed(p)

    @property
    def row_count(self) -> int:
        with self._use() as p:
            return lib.vs_accum_row_count(p)

    rows = row_count  # the former name (README, "Deprecated names")

    @property
    def scale_bits(self) -> int:
        return self.get("scale_bits")

    @scale_bits.setter
    def scale_bits(self, value: int) -> None:
        self.set("scale_bits", value)

    @classmethod
    def scale_bits_bounds(cls) -> Tuple[float, float]:
        return cls.bounds("scale_bits")

    # ---------------------------------------------------------------- adding, merging

    def add(self, item: Union[str, int], values: Any) -> "Accumulator":
        """Adds one row for `item` (an id string or an item hash): a sequence / array in
        dimension order, or a dict / Series keyed by dimension name (every name once; NaN =
        not observed)."""
        if isinstance(values, dict) or (is_series(values) and not _default_index(values)):
            values = named_values(values, self._matcher("add"), "add")
        elif is_series(values):
            values = values.to_numpy(dtype=float, na_value=np.nan)
        elif isinstance(values, np.ndarray):
            values = np.ascontiguousarray(values, dtype=np.float64).ravel()
        a = doubles(values)
        with self._use() as p:
            if isinstance(item, str):
                lib.vs_accum_add_id(p, item, cdoubles(a), len(a))
            else:
                lib.vs_accum_add(p, int(item), cdoubles(a), len(a))
        return self

    def add_rows(self, items: Any, values: Any = None, *, skip: Optional[Sequence[str]] = None,
                 columns: Optional[Sequence[str]] = None) -> "Accumulator":
        """Adds many rows at once: `items` (ids or hashes), `values` rows x dims (a DataFrame,
        a 2-D numpy array, a sequence of rows, a flat sequence or a Matrix). A DataFrame's
        columns are matched by name when the accumulator has names (else positional), and
        ``add_rows(df)`` takes the items from its index. All-or-nothing."""
        if values is None and is_frame(items):
            values, items = items, list(items.index)
            if _default_index(values):
                raise errors.InvalidArgument(errors.Status.EINVAL,
                                             "add_rows(df): the DataFrame's index must hold the "
                                             "item ids (or pass items)")
        if is_frame(values):
            if self.names is not None:
                m, _ = named_matrix(values, self._matcher("add_rows"), skip=skip,
                                    columns=columns, what="add_rows")
            else:
                m, _, _ = data_matrix(values, skip=skip, columns=columns, what="add_rows")
            values = np.ascontiguousarray(m).ravel()
        elif isinstance(values, np.ndarray):
            values = np.ascontiguousarray(values, dtype=np.float64).ravel()
        hashes = [item_hash(i) if isinstance(i, str) else int(i) for i in items]
        a = doubles(values.data if hasattr(values, "data") and hasattr(values, "rows") else values)
        rows = len(hashes)
        dims = len(a) // rows if rows else 0
        if rows and dims * rows != len(a):
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"{len(a)} values are not {rows} equal rows")
        h = (c_uint64 * max(rows, 1))(*hashes)
        with self._use() as p:
            lib.vs_accum_add_rows(p, h, cdoubles(a), rows, dims if rows else self.dimension_count)
        return self

    def merge(self, other: "Accumulator") -> "Accumulator":
        """Adds `other`'s contents into this accumulator (other is unchanged)."""
        if other is self:
            raise errors.InvalidArgument(errors.Status.EINVAL, "cannot merge an accumulator into itself")
        with use(self, other, shared=False) as (p, q):
            lib.vs_accum_merge(p, q)
        return self

    def __iadd__(self, other: "Accumulator") -> "Accumulator":
        return self.merge(other)

    def clone(self) -> "Accumulator":
        """An independent copy (names included)."""
        out = AccumPtr()
        with self._use() as p:
            lib.vs_accum_clone(byref(out), p)
        return Accumulator._wrap(out, self.names)

    def __copy__(self) -> "Accumulator":
        return self.clone()

    def __deepcopy__(self, memo: Any) -> "Accumulator":
        return self.clone()

    # ---------------------------------------------------------------- statistics

    def stats(self, dim: Union[int, str]) -> Stats:
        """Statistics of a dimension (its position or name)."""
        d = self._dim(dim)
        s = vs_accum_stats()
        with self._use() as p:
            lib.vs_accum_stats_get(byref(s), p, d)
        return Stats(**{f.name: getattr(s, f.name) for f in fields(Stats)})

    def summary(self, *, as_frame: bool = False) -> Any:
        """The statistics of every dimension: a dims x len(STATS_FIELDS) numpy array (columns in
        the order of :data:`STATS_FIELDS`); a DataFrame indexed by the names with
        ``as_frame=True``."""
        rows = [[float(getattr(self.stats(d), f)) for f in STATS_FIELDS]
                for d in range(self.dimension_count)]
        a = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(STATS_FIELDS))
        return labelled(a, as_frame, index=list(self.names) if self.names else None,
                        columns=list(STATS_FIELDS))

    def replicate_means(self, dim: Union[int, str]) -> np.ndarray:
        """The B replicate means of a dimension (numpy; NaN where a replicate has no weight)."""
        d = self._dim(dim)
        with self._use() as p:
            return np.asarray(read_array(
                lambda nd, b, c: lib.vs_accum_replicate_means(nd, p, d, b, c),
                lib.vs_accum_replicate_count(p)), dtype=np.float64)

    def ci(self, dim: Union[int, str], level: float = 0.95,
           method: Union[str, int] = "percentile") -> Tuple[float, float]:
        """A bootstrap interval (low, high) for the mean of `dim` ("percentile" or "normal")."""
        dim = self._dim(dim)
        m = {"percentile": CI_PERCENTILE, "normal": CI_NORMAL}.get(method, method)
        lo, hi = c_double(), c_double()
        with self._use() as p:
            lib.vs_accum_ci(byref(lo), byref(hi), p, dim, int(m), level)
        return lo.value, hi.value

    # ---------------------------------------------------------------- serialisation

    def to_bytes(self) -> bytes:
        needed = c_size_t()
        with self._use() as p:
            try:
                lib.vs_accum_serialize(byref(needed), p, None, 0)
            except errors.BufferSizeError:
                pass  # sizes the blob
            buf = (c_ubyte * needed.value)()
            lib.vs_accum_serialize(byref(needed), p, buf, needed.value)
        return bytes(buf)

    def __bytes__(self) -> bytes:
        return self.to_bytes()

    @classmethod
    def from_bytes(cls, data: Any, names: Optional[Sequence[str]] = None) -> "Accumulator":
        """An accumulator from :meth:`to_bytes` (names are not in the bytes: give them)."""
        b = bytes(data)
        buf = (c_ubyte * max(len(b), 1)).from_buffer_copy(b or b"\0")
        out = AccumPtr()
        lib.vs_accum_deserialize(byref(out), buf, len(b))
        return cls._wrap(out, names)

    def __reduce__(self) -> Any:
        return (Accumulator.from_bytes, (self.to_bytes(), self.names))

    def save(self, path: Union[str, os.PathLike]) -> None:
        with self._use() as p:
            lib.vs_accum_save(p, os.fspath(path))

    @classmethod
    def load(cls, path: Union[str, os.PathLike],
             names: Optional[Sequence[str]] = None) -> "Accumulator":
        """Reads a file written by :meth:`save` (give the names, which are not saved)."""
        out = AccumPtr()
        lib.vs_accum_load(byref(out), os.fspath(path))
        return cls._wrap(out, names)

    def __eq__(self, other: Any) -> bool:
        """Equal serialised state (exact and Welford state bit for bit)."""
        return isinstance(other, Accumulator) and self.to_bytes() == other.to_bytes()

    __hash__ = None

    def __repr__(self) -> str:
        if self.closed:
            return "<Accumulator (closed)>"
        return (f"<Accumulator dims={self.dimension_count} replicates={self.replicate_count} "
                f"seed={self.seed} rows={self.row_count}>")
