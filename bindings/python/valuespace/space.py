"""Value spaces (``valuespace/space.h``): Space, SpaceBuilder and Dimension."""

from __future__ import annotations

import ctypes
import math
import os
from collections.abc import Mapping, Sequence
from ctypes import byref, c_size_t, c_void_p
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional, Union

if TYPE_CHECKING:  # pragma: no cover
    from .vector import Vector

from . import errors
from ._lib import VS_NPOS, Handle, SpaceBuilderPtr, SpacePtr, lib

__all__ = ["Space", "SpaceBuilder", "Dimension", "builtin_space_names"]

LevelRef = Union[int, str]


def builtin_space_names() -> tuple[str, ...]:
    """Names of the built-in spaces ("schwartz10", "schwartz19", ...)."""
    return tuple(lib.vs_space_builtin_name(i) for i in range(lib.vs_space_builtin_count()))


def _encode_text(text: Union[str, bytes]) -> bytes:
    if isinstance(text, str):
        # surrogatepass: lone surrogates reach the library, which reports VS_EUTF8.
        return text.encode("utf-8", "surrogatepass")
    return bytes(text)


@dataclass(frozen=True)
class Dimension:
    """One dimension of a space (a snapshot: spaces are immutable).

    ``index`` is the global index; ``level`` the level index, ``level_name`` its name;
    ``angle`` is the circle angle in degrees or None; ``parents`` maps each higher level index
    at which the dimension has a parent to the parent's global index (use :meth:`parent`).
    """

    index: int
    key: str
    label: str
    description: str
    level: int
    level_name: str
    aliases: tuple[str, ...]
    angle: Optional[float]
    parents: Mapping[int, int]
    space: "Space" = field(repr=False, compare=False)

    def parent(self, level: LevelRef) -> Optional["Dimension"]:
        """The parent dimension at `level` (index or name), or None (a border value)."""
        i = self.parents.get(self.space.level_index(level))
        return None if i is None else self.space.dimensions[i]

    @property
    def position(self) -> int:
        """Position within its level (the index into a vector over that level)."""
        return self.index - self.space.level_offset(self.level)


class Space(Handle):
    """An immutable value space. Create with :meth:`builtin`, :meth:`load`, :meth:`loads` or
    :class:`SpaceBuilder`. Shareable between threads. ``len(space)`` is the number of
    dimensions over all levels; iteration yields :class:`Dimension` objects."""

    _free_name = "vs_space_free"
    _kind = "space"
    _shared = True  # a frozen space is immutable and shareable

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("create a Space with Space.builtin(), Space.load(), Space.loads() "
                        "or SpaceBuilder(...).freeze()")

    @classmethod
    def _wrap(cls, ptr, parents=(), owned=True) -> "Space":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents, owned)
        obj._records = None
        return obj

    # ---------------------------------------------------------------- constructors

    @classmethod
    def builtin(cls, name: str) -> "Space":
        """A built-in space by name (folded match): see :func:`builtin_space_names`."""
        out = SpacePtr()
        lib.vs_space_builtin(byref(out), name)
        return cls._wrap(out)

    @staticmethod
    def builtin_names() -> tuple[str, ...]:
        return builtin_space_names()

    @classmethod
    def load(cls, path: Union[str, os.PathLike]) -> "Space":
        """Loads a space from a JSON file (schema "valuespace/space" v1)."""
        out = SpacePtr()
        lib.vs_space_load_file(byref(out), os.fspath(path))
        return cls._wrap(out)

    @classmethod
    def loads(cls, text: Union[str, bytes], source_name: Optional[str] = None) -> "Space":
        """Loads a space from JSON text; errors name ``source_name:line:column``."""
        data = _encode_text(text)
        out = SpacePtr()
        lib.vs_space_load_json(byref(out), data, len(data), source_name)
        return cls._wrap(out)

    # ---------------------------------------------------------------- serialisation

    def dumps(self) -> str:
        """The space as pretty-printed JSON (loads() of it gives an equal space)."""
        text = c_void_p()
        with self._use() as p:
            lib.vs_space_save_json(byref(text), p)
        try:
            return ctypes.string_at(text).decode("utf-8")
        finally:
            lib.vs_free(text)

    def save(self, path: Union[str, os.PathLike]) -> None:
        """Writes dumps() to a file."""
        with self._use() as p:
            lib.vs_space_save_file(p, os.fspath(path))

    # ---------------------------------------------------------------- queries

    @property
    def name(self) -> str:
        with self._use() as p:
            return lib.vs_space_name(p)

    @property
    def description(self) -> str:
        with self._use() as p:
            return lib.vs_space_description(p)

    @property
    def levels(self) -> tuple[str, ...]:
        """Level names, finest first."""
        with self._use() as p:
            return tuple(lib.vs_space_level_name(p, i) for i in range(lib.vs_space_level_count(p)))

    def level_index(self, level: LevelRef) -> int:
        """The index of a level given by index or name (exact or folded)."""
        with self._use() as p:
            count = lib.vs_space_level_count(p)
            if isinstance(level, str):
                i = lib.vs_space_level_find(p, level)
                if i == VS_NPOS:
                    raise errors.NotFound(errors.Status.ENOTFOUND,
                                          f"space '{lib.vs_space_name(p)}' has no level '{level}'")
                return i
        i = _as_index(level, "level")
        if not 0 <= i < count:
            raise errors.OutOfRange(errors.Status.ERANGE,
                                    f"level {i} out of range (the space has {count})")
        return i

    def level_dimension_count(self, level: LevelRef) -> int:
        i = self.level_index(level)
        with self._use() as p:
            return lib.vs_space_level_dimension_count(p, i)

    level_size = level_dimension_count  # the former name (README, "Deprecated names")

    def level_offset(self, level: LevelRef) -> int:
        """Global index of the first dimension of a level."""
        i = self.level_index(level)
        with self._use() as p:
            return lib.vs_space_level_offset(p, i)

    def level_dimensions(self, level: LevelRef) -> tuple[Dimension, ...]:
        off, n = self.level_offset(level), self.level_dimension_count(level)
        return self.dimensions[off:off + n]

    def keys(self, level: LevelRef = 0) -> tuple[str, ...]:
        """Keys of the dimensions of one level, in vector order."""
        return tuple(d.key for d in self.level_dimensions(level))

    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_space_dimension_count(p)

    @property
    def dimensions(self) -> "DimensionList":
        """All dimensions by global index (level 0 first), as a read-only sequence."""
        if self._records is None:
            self._records = self._read_records()
        return DimensionList(self, self._records)

    def _read_records(self) -> tuple:
        # Plain tuples cached on the space (no reference back to it, so no cycle).
        records = []
        with self._use() as p:
            nlev = lib.vs_space_level_count(p)
            level_names = [lib.vs_space_level_name(p, i) for i in range(nlev)]
            for i in range(lib.vs_space_dimension_count(p)):
                level = lib.vs_space_dimension_level(p, i)
                angle = lib.vs_space_angle(p, i)
                parents = {}
                for up in range(level + 1, nlev):
                    j = lib.vs_space_parent(p, i, up)
                    if j != VS_NPOS:
                        parents[up] = j
                records.append((
                    i, lib.vs_space_key(p, i), lib.vs_space_label(p, i),
                    lib.vs_space_dimension_description(p, i) or "", level, level_names[level],
                    tuple(lib.vs_space_alias(p, i, k) for k in range(lib.vs_space_alias_count(p, i))),
                    None if math.isnan(angle) else angle, _FrozenMap(parents)))
        return tuple(records)

    def __iter__(self):
        return iter(self.dimensions)

    def __getitem__(self, item) -> Dimension:
        """space[i] → dimension by global index; space["name"] → first match of find()."""
        if isinstance(item, str):
            return self.dimensions[self.find(item)]
        return self.dimensions[item]

    def find(self, name: str, level: Optional[LevelRef] = None) -> int:
        """Global index of a dimension by key, label or alias (folded match), optionally
        within one level. Raises NotFound."""
        lev = VS_NPOS if level is None else self.level_index(level)
        out = c_size_t()
        with self._use() as p:
            lib.vs_space_find(byref(out), p, lev, name)
        return out.value

    def dimension(self, name: Union[str, int], level: Optional[LevelRef] = None) -> Dimension:
        """A Dimension by name (see find()) or global index."""
        if isinstance(name, str):
            return self.dimensions[self.find(name, level)]
        return self.dimensions[name]

    def __contains__(self, name) -> bool:
        if not isinstance(name, str):
            return name in self.dimensions
        try:
            self.find(name)
        except errors.NotFound:
            return False
        return True

    def parent(self, index: int, level: LevelRef) -> Optional[int]:
        """Global index of a dimension's parent at `level`, or None."""
        lev = self.level_index(level)
        with self._use() as p:
            j = lib.vs_space_parent(p, _as_index(index, "index"), lev)
        return None if j == VS_NPOS else j

    def vector(self, level: LevelRef = 0, values: Any = None) -> "Vector":
        """A new Vector over `level` (all missing, or set from `values`)."""
        from .vector import Vector
        return Vector(self, level, values)

    def __repr__(self) -> str:
        if self.closed:
            return "<valuespace.Space (closed)>"
        return f"<valuespace.Space {self.name!r} levels={list(self.levels)} dimensions={len(self)}>"


class SpaceBuilder(Handle):
    """Builds a space step by step; :meth:`freeze` makes an immutable :class:`Space`. The
    builder stays usable after freezing. Mutating methods return the builder."""

    _free_name = "vs_space_builder_free"
    _kind = "space builder"

    def __init__(self, name: str, description: Optional[str] = None) -> None:
        out = SpaceBuilderPtr()
        lib.vs_space_builder_create(byref(out), name)
        Handle.__init__(self, out)
        if description is not None:
            self.set_description(description)

    def set_description(self, text: str) -> "SpaceBuilder":
        with self._use() as p:
            lib.vs_space_builder_set_description(p, text)
        return self

    def add_level(self, level: str) -> "SpaceBuilder":
        """Appends a level (finest first)."""
        with self._use() as p:
            lib.vs_space_builder_add_level(p, level)
        return self

    def add_dimension(self, level: str, key: str, label: Optional[str] = None, *,
                      description: Optional[str] = None, aliases: Sequence[str] = (), angle: Optional[float] = None,
                      parents: Optional[Mapping[str, str]] = None) -> "SpaceBuilder":
        """Appends a dimension to `level`; optional description, aliases, angle (degrees) and
        parents ({parent_level: parent_key}) are set in the same call."""
        with self._use() as p:
            lib.vs_space_builder_add_dimension(p, level, key, label)
            if description is not None:
                lib.vs_space_builder_set_dimension_description(p, level, key, description)
            for alias in aliases:
                lib.vs_space_builder_add_alias(p, level, key, alias)
            if angle is not None:
                lib.vs_space_builder_set_angle(p, level, key, float(angle))
            for parent_level, parent_key in (parents or {}).items():
                lib.vs_space_builder_set_parent(p, level, key, parent_level, parent_key)
        return self

    def set_dimension_description(self, level: str, key: str, text: str) -> "SpaceBuilder":
        with self._use() as p:
            lib.vs_space_builder_set_dimension_description(p, level, key, text)
        return self

    def add_alias(self, level: str, key: str, alias: str) -> "SpaceBuilder":
        with self._use() as p:
            lib.vs_space_builder_add_alias(p, level, key, alias)
        return self

    def set_angle(self, level: str, key: str, degrees: float) -> "SpaceBuilder":
        with self._use() as p:
            lib.vs_space_builder_set_angle(p, level, key, float(degrees))
        return self

    def set_parent(self, level: str, key: str, parent_level: str, parent_key: str) -> "SpaceBuilder":
        with self._use() as p:
            lib.vs_space_builder_set_parent(p, level, key, parent_level, parent_key)
        return self

    def freeze(self) -> Space:
        """A new immutable Space from the current definition."""
        out = SpacePtr()
        with self._use() as p:
            lib.vs_space_builder_freeze(byref(out), p)
        return Space._wrap(out)

    def __repr__(self) -> str:
        return f"<valuespace.SpaceBuilder{' (closed)' if self.closed else ''}>"


class DimensionList(Sequence):
    """The dimensions of a space: ``dims[i]`` is a :class:`Dimension`, slices give tuples."""

    __slots__ = ("_space", "_records")

    def __init__(self, space, records):
        self._space = space
        self._records = records

    def __len__(self):
        return len(self._records)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return tuple(Dimension(*r, space=self._space) for r in self._records[i])
        return Dimension(*self._records[i], space=self._space)

    def __repr__(self):
        return f"<dimensions of {self._space!r}>"


class _FrozenMap(Mapping):
    """A small read-only dict (Dimension.parents)."""

    __slots__ = ("_d",)

    def __init__(self, d):
        self._d = dict(d)

    def __getitem__(self, k):
        return self._d[k]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __hash__(self):
        return hash(frozenset(self._d.items()))

    def __repr__(self):
        return repr(self._d)


def _as_index(value, what: str) -> int:
    try:
        i = value.__index__()
    except AttributeError:
        raise TypeError(f"{what} must be an int or a str, not {type(value).__name__}") from None
    if i < 0:
        raise errors.OutOfRange(errors.Status.ERANGE, f"{what} {i} is negative")
    return i
