"""Labelled value datasets (``valuespace/dataset.h``): the FULCRA JSONL reader, the generic
JSONL/CSV reader and the report of everything the reader skipped.

* :meth:`Dataset.load_fulcra` / :meth:`Dataset.read_fulcra` -- FULCRA files (two label sets:
  ``TYPES`` over "schwartz10", ``ITEMS`` over the 54 FULCRA value items);
* :meth:`Dataset.load` / :meth:`Dataset.read` -- generic JSON lines or CSV over a level of a
  caller-given :class:`~valuespace.space.Space`.

A dataset is immutable and shareable between threads. ``len(ds)`` is the number of records,
``ds[i]`` a :class:`Record`; ``ds.labels(set)`` is the label matrix (a numpy array, records x
dimensions, NaN = not labelled; ``as_frame=True`` gives a pandas DataFrame with the dimension
keys as columns), ``ds.skips`` the report (:class:`Skip` entries). Counts and indices are numpy
integer arrays.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from ctypes import byref, c_char_p, c_size_t
from dataclasses import dataclass
from typing import Any, List, Optional, Union

import numpy as np

from . import errors
from ._convert import labelled
from ._lib import DatasetPtr, Handle, lib, vs_dataset_options
from ._util import encode, read_array
from .space import Space

__all__ = ["Dataset", "Record", "Skip", "STRICT", "JSONL", "CSV", "TYPES", "ITEMS",
           "SKIP_REASONS", "skip_reason_name"]

STRICT = 1 << 0
JSONL = 1 << 1
CSV = 1 << 2
TYPES = 0
ITEMS = 1

#: reason name -> code (VS_DATASET_SKIP_*)
SKIP_REASONS = {
    "invalid_json": 1, "invalid_utf8": 2, "line_too_long": 3, "bad_record": 4,
    "bad_dialogue": 5, "malformed_label": 6, "unknown_label": 7, "conflict": 8,
    "duplicate": 9, "blank_line": 10, "ignored_field": 11, "invalid_csv": 12,
}
_FIELDS = {"id": 0, "prompt": 1, "response": 2, "text": 3, "source": 4, "query_source": 5}
_COUNTS = {"positive": 0, "negative": 1, "zero": 2, "missing": 3, "written_plus": 4,
           "written_one": 5, "written_minus": 6}


def skip_reason_name(reason: int) -> str:
    """The snake_case name of a skip reason code ("unknown" for others)."""
    return lib.vs_dataset_skip_reason_name(reason)


def _reason(reason: Union[str, int]) -> int:
    if isinstance(reason, str):
        try:
            return SKIP_REASONS[reason]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown skip reason {reason!r}") from None
    return int(reason)


def _ints(values: List[int]) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).reshape(len(values))


@dataclass(frozen=True)
class Record:
    """One record of a dataset."""
    index: int
    id: str
    prompt: str
    response: str
    text: str
    source: str
    query_source: str
    line: int


@dataclass(frozen=True)
class Skip:
    """One entry of the report: what was skipped, where, and why."""
    reason: str
    code: int
    line: int
    column: int
    token: str
    message: str


class Dataset(Handle, Sequence):
    """An immutable list of labelled records. Create with :meth:`load_fulcra`,
    :meth:`read_fulcra`, :meth:`load` or :meth:`read`."""

    _free_name = "vs_dataset_free"
    _kind = "dataset"
    _shared = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use Dataset.load_fulcra(), read_fulcra(), load() or read()")

    @classmethod
    def _wrap(cls, ptr: Any, parents: tuple = ()) -> "Dataset":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents)
        return obj

    # ---------------------------------------------------------------- constructors

    @classmethod
    def load_fulcra(cls, path: Union[str, os.PathLike], strict: bool = False) -> "Dataset":
        """Reads a FULCRA JSONL file; lenient by default (problems go to :attr:`skips`)."""
        out = DatasetPtr()
        lib.vs_dataset_load_fulcra(byref(out), os.fspath(path), STRICT if strict else 0)
        return cls._wrap(out)

    @classmethod
    def read_fulcra(cls, data: Union[str, bytes], source_name: Optional[str] = None,
                    strict: bool = False) -> "Dataset":
        """Reads FULCRA JSON lines from memory."""
        b = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
        out = DatasetPtr()
        lib.vs_dataset_read_fulcra(byref(out), b, len(b), source_name, STRICT if strict else 0)
        return cls._wrap(out)

    @staticmethod
    def _options(space: Space, level: Union[int, str], fmt: Optional[str], strict: bool,
                 id_field: Optional[str], text_field: Optional[str],
                 prompt_field: Optional[str], group_field: Optional[str],
                 labels_field: Optional[str], max_line_bytes: int, keep: list) -> Any:
        if not isinstance(space, Space):
            raise TypeError("space must be a valuespace.Space")
        o = vs_dataset_options()
        flags = STRICT if strict else 0
        if fmt is not None:
            flags |= {"jsonl": JSONL, "csv": CSV}[fmt.lower()]
        o.flags = flags
        for name, value in (("id_field", id_field), ("text_field", text_field),
                            ("prompt_field", prompt_field), ("group_field", group_field),
                            ("labels_field", labels_field)):
            if value is not None:
                b = encode(value, name)
                keep.append(b)
                setattr(o, name, b)
        o.level = space.level_index(level)
        o.max_line_bytes = int(max_line_bytes)
        return o

    @classmethod
    def load(cls, path: Union[str, os.PathLike], space: Space, level: Union[int, str] = 0, *,
             format: Optional[str] = None, strict: bool = False,
             id_field: Optional[str] = None, text_field: Optional[str] = None,
             prompt_field: Optional[str] = None, group_field: Optional[str] = None,
             labels_field: Optional[str] = None, max_line_bytes: int = 0) -> "Dataset":
        """Reads a generic JSONL or CSV file (``format`` "jsonl"/"csv"; default by extension)
        with labels over `level` of `space`."""
        keep = []
        o = cls._options(space, level, format, strict, id_field, text_field, prompt_field,
                         group_field, labels_field, max_line_bytes, keep)
        out = DatasetPtr()
        with space._use() as sp:
            o.space = sp
            lib.vs_dataset_load(byref(out), os.fspath(path), byref(o))
        return cls._wrap(out)

    @classmethod
    def read(cls, data: Union[str, bytes], space: Space, level: Union[int, str] = 0, *,
             source_name: Optional[str] = None, format: Optional[str] = None,
             strict: bool = False, id_field: Optional[str] = None,
             text_field: Optional[str] = None, prompt_field: Optional[str] = None,
             group_field: Optional[str] = None, labels_field: Optional[str] = None,
             max_line_bytes: int = 0) -> "Dataset":
        """Like :meth:`load` from memory (JSONL unless ``format="csv"``)."""
        keep = []
        o = cls._options(space, level, format, strict, id_field, text_field, prompt_field,
                         group_field, labels_field, max_line_bytes, keep)
        b = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
        out = DatasetPtr()
        with space._use() as sp:
            o.space = sp
            lib.vs_dataset_read(byref(out), b, len(b), source_name, byref(o))
        return cls._wrap(out)

    # ---------------------------------------------------------------- records

    @property
    def name(self) -> str:
        with self._use() as p:
            return lib.vs_dataset_name(p)

    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_dataset_count(p)

    @property
    def line_count(self) -> int:
        with self._use() as p:
            return lib.vs_dataset_line_count(p)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        with self._use() as p:
            n = lib.vs_dataset_count(p)
            if not -n <= i < n:
                raise IndexError("record index out of range")
            i %= n
            return Record(i, lib.vs_dataset_id(p, i), lib.vs_dataset_prompt(p, i),
                          lib.vs_dataset_response(p, i), lib.vs_dataset_text(p, i),
                          lib.vs_dataset_source(p, i), lib.vs_dataset_query_source(p, i),
                          lib.vs_dataset_line(p, i))

    def strings(self, field: str) -> List[str]:
        """One string per record: field "id", "prompt", "response", "text", "source" or
        "query_source"."""
        try:
            code = _FIELDS[field]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown field {field!r}") from None
        with self._use() as p:
            n = lib.vs_dataset_count(p)
            buf = (c_char_p * max(n, 1))()
            needed = c_size_t()
            lib.vs_dataset_strings(byref(needed), p, code, buf, n)
            return [b.decode("utf-8", "surrogateescape") for b in buf[:needed.value]]

    # ---------------------------------------------------------------- sources

    @property
    def sources(self) -> List[str]:
        """Source names in order of first appearance."""
        with self._use() as p:
            return [lib.vs_dataset_source_name(p, j) for j in range(lib.vs_dataset_source_count(p))]

    def source_record_counts(self, *, as_frame: bool = False) -> Any:
        """The number of records of each source (numpy int64; a Series by source name with
        as_frame=True)."""
        with self._use() as p:
            a = np.array([lib.vs_dataset_source_record_count(p, j)
                          for j in range(lib.vs_dataset_source_count(p))], dtype=np.int64)
        return labelled(a, as_frame, index=self.sources if as_frame else None, name="records")

    source_sizes = source_record_counts  # the former name (README, "Deprecated names")

    def source_indices(self) -> np.ndarray:
        """The source index of every record (numpy int64; names in :attr:`sources`)."""
        with self._use() as p:
            return _ints(read_array(lambda nd, b, c: lib.vs_dataset_source_indices(nd, p, b, c),
                                    lib.vs_dataset_count(p), "N"))

    # ---------------------------------------------------------------- labels

    @property
    def label_set_count(self) -> int:
        with self._use() as p:
            return lib.vs_dataset_label_set_count(p)

    def label_space(self, set: int = 0) -> Space:
        """The space of a label set (kept alive by this dataset)."""
        with self._use() as p:
            sp = lib.vs_dataset_label_space(p, set)
            if not sp:
                raise errors.OutOfRange(errors.Status.ERANGE, f"no label set {set}")
            return Space._wrap(sp, parents=(self,), owned=False)

    def label_level(self, set: int = 0) -> int:
        with self._use() as p:
            return lib.vs_dataset_label_level(p, set)

    def label_keys(self, set: int = 0) -> List[str]:
        """The keys of the label set's dimensions, in column order."""
        return list(self.label_space(set).keys(self.label_level(set)))

    def labels(self, set: int = 0, record: Optional[int] = None, *,
               as_frame: bool = False) -> Any:
        """The label matrix of a set (records x dimensions, a numpy array; -1, 0, +1 or a
        written score, NaN = not labelled), or one record's labels (a vector) when `record` is
        given. ``as_frame=True``: a pandas DataFrame (columns = :meth:`label_keys`, index = the
        record positions) or Series (index = the keys)."""
        keys = self.label_keys(set) if as_frame else None
        with self._use() as p:
            k = lib.vs_dataset_label_dimension_count(p, set)
            if record is not None:
                a = np.asarray(read_array(
                    lambda nd, b, c: lib.vs_dataset_labels(nd, p, record, set, b, c), k),
                    dtype=np.float64)
                return labelled(a, as_frame, index=keys, name=record)
            n = lib.vs_dataset_count(p)
            data = read_array(lambda nd, b, c: lib.vs_dataset_label_matrix(nd, p, set, b, c), n * k)
        a = np.frombuffer(data, dtype=np.float64).copy().reshape(n, k) if n * k else \
            np.empty((n, k))
        return labelled(a, as_frame, columns=keys)

    def label_counts(self, set: int = 0, which: str = "positive", *,
                     as_frame: bool = False) -> Any:
        """Per dimension: "positive", "negative", "zero", "missing", "written_plus",
        "written_one" or "written_minus" counts."""
        try:
            code = _COUNTS[which]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown count {which!r}") from None
        with self._use() as p:
            a = _ints(read_array(
                lambda nd, b, c: lib.vs_dataset_label_counts(nd, p, set, code, b, c),
                lib.vs_dataset_label_dimension_count(p, set), "N"))
        return labelled(a, as_frame, index=self.label_keys(set) if as_frame else None, name=which)

    # ---------------------------------------------------------------- report

    @property
    def skips(self) -> List[Skip]:
        """Every report entry, in input order."""
        with self._use() as p:
            out = []
            for k in range(lib.vs_dataset_skip_total(p)):
                code = lib.vs_dataset_skip_reason(p, k)
                out.append(Skip(skip_reason_name(code), code, lib.vs_dataset_skip_line(p, k),
                                lib.vs_dataset_skip_column(p, k), lib.vs_dataset_skip_token(p, k),
                                lib.vs_dataset_skip_message(p, k)))
            return out

    def skip_count(self, reason: Union[str, int, None] = None) -> int:
        """Number of report entries (of one reason, by name or code)."""
        with self._use() as p:
            if reason is None:
                return lib.vs_dataset_skip_total(p)
            return lib.vs_dataset_skip_count(p, _reason(reason))

    def skip_lines(self, reason: Union[str, int]) -> np.ndarray:
        """The line of every report entry with `reason` (numpy int64)."""
        code = _reason(reason)
        with self._use() as p:
            return _ints(read_array(lambda nd, b, c: lib.vs_dataset_skip_lines(nd, p, code, b, c),
                              lib.vs_dataset_skip_count(p, code), "N"))

    def __repr__(self) -> str:
        if self.closed:
            return "<Dataset (closed)>"
        return f"<Dataset {self.name!r}: {len(self)} records, {self.skip_count()} skipped>"
