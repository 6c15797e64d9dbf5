"""Labelled inputs: per-dimension values (sequence, dict, pandas Series) and data matrices
(numpy arrays, pandas DataFrames). pandas is never imported here; a pandas object is recognised
by its type's module, so pandas stays optional."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import errors

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from .space import Space

__all__ = ["is_pandas", "is_series", "is_frame", "dimension_values", "named_values",
           "level_matcher", "name_matcher", "data_matrix", "named_matrix", "align_rows",
           "label_codes", "wants_frame", "labelled"]


def is_pandas(x: Any, kind: str) -> bool:
    """True when `x` is a pandas object of class `kind` ("Series", "DataFrame")."""
    t = type(x)
    return t.__module__.split(".")[0] == "pandas" and any(
        c.__name__ == kind for c in t.__mro__)


def is_series(x: Any) -> bool:
    """True for a pandas Series."""
    return is_pandas(x, "Series")


def is_frame(x: Any) -> bool:
    """True for a pandas DataFrame."""
    return is_pandas(x, "DataFrame")


def _is_default_index(index: Any) -> bool:
    """A pandas index with no labels of its own: 0, 1, ..., n-1."""
    return list(index) == list(range(len(index)))


def _match_names(names: Sequence[Any], keys: Sequence[str], lookup: Callable[[str], int],
                 what: str, context: str, fill: str) -> List[int]:
    """The position (into `keys`) of each of `names`, found with `lookup` (which raises
    LookupError for an unknown name). Every key must be named exactly once, else KeyError
    naming the unknown, duplicated and missing names."""
    seen: Dict[int, Any] = {}
    pos: List[int] = []
    unknown: List[str] = []
    duplicated: List[str] = []
    for name in names:
        if not isinstance(name, (str, bytes)):
            raise TypeError(f"{what}: labels must be names (str), not "
                            f"{type(name).__name__} {name!r}")
        try:
            i = lookup(name)
        except LookupError:
            unknown.append(str(name))
            pos.append(-1)
            continue
        if i in seen:
            duplicated.append(f"{name!r} and {seen[i]!r} both name {keys[i]!r}")
        seen[i] = name
        pos.append(i)
    missing = [k for i, k in enumerate(keys) if i not in seen]
    if unknown or duplicated or missing:
        parts = []
        if unknown:
            parts.append(f"unknown names {unknown} ({context} has {list(keys)})")
        if duplicated:
            parts.append("duplicated: " + "; ".join(duplicated))
        if missing:
            parts.append(f"missing names {missing} ({fill})")
        raise KeyError(f"{what}: " + "; ".join(parts))
    return pos


def level_matcher(space: "Space", level: int) -> Tuple[Tuple[str, ...], Callable[[str], int], str]:
    """(keys, lookup, description) of a level of a space: lookup is the space's folded lookup
    (keys, labels, aliases; :meth:`Space.find`) giving a position within the level."""
    keys = space.keys(level)
    offset = space.level_offset(level)

    def lookup(name: str) -> int:
        try:
            return space.find(name, level) - offset
        except errors.NotFound as exc:
            raise LookupError(str(exc)) from None

    return keys, lookup, f"level {space.levels[level]!r} of space {space.name!r}"


def name_matcher(names: Sequence[str], context: str = "the names"
                 ) -> Tuple[Tuple[str, ...], Callable[[str], int], str]:
    """(keys, lookup, description) of plain names (exact match, str)."""
    keys = tuple(str(n) for n in names)
    index = {k: i for i, k in enumerate(keys)}

    def lookup(name: str) -> int:
        return index[name]  # KeyError is a LookupError

    return keys, lookup, context


def named_values(values: Any, matcher: Tuple[Tuple[str, ...], Callable[[str], int], str],
                 what: str = "values") -> Any:
    """Per-name values in the matcher's order: a dict or a pandas Series with string labels is
    matched by name (every name exactly once, else KeyError; NaN for a missing value); a
    pandas Series with the default index (0..n-1) and any other sequence or buffer is returned
    positionally (its length is checked where it is used)."""
    if is_series(values):
        if _is_default_index(values.index):
            return values.to_numpy(dtype=float, na_value=math.nan)
        items = list(zip(values.index, values.to_numpy(dtype=float, na_value=math.nan)))
    elif isinstance(values, dict):
        items = list(values.items())
    else:
        return values
    keys, lookup, context = matcher
    pos = _match_names([n for n, _ in items], keys, lookup, what, context,
                       "give NaN for a missing value")
    out = [math.nan] * len(keys)
    for i, (_, value) in zip(pos, items):
        out[i] = math.nan if value is None else float(value)
    return out


def dimension_values(values: Any, space: "Space", level: int, what: str = "values") -> Any:
    """Per-dimension values over `level` of `space`, in the level's order.

    * a dict or a pandas Series with string labels: matched by name with the space's folded
      lookup (keys, labels, aliases: :meth:`Space.find`); every dimension of the level must be
      named exactly once, else KeyError naming the unknown, duplicated and missing names
      (use NaN for a missing value);
    * a pandas Series with the default index (0..n-1) and any other sequence or buffer:
      positional (the length is checked where the values are used).
    """
    return named_values(values, level_matcher(space, level), what)


def data_matrix(x: Any, *, skip: Optional[Sequence[str]] = None,
                columns: Optional[Sequence[str]] = None, what: str = "data"
                ) -> Tuple["numpy.ndarray", Optional[List[str]], Any]:
    """(C-contiguous float64 2-D array, column names or None, row index or None).

    A pandas DataFrame: its column names become variable names, NaN / None / pd.NA are missing,
    `columns` selects (and orders) columns, `skip` drops columns; a non-numeric column raises
    TypeError naming it. Anything else goes through ``numpy.asarray(x, dtype=float)`` (None is
    NaN)."""
    import numpy as np
    if is_frame(x):
        df = x
        if columns is not None:
            absent = [c for c in columns if c not in df.columns]
            if absent:
                raise KeyError(f"{what}: columns= names {absent} that are not in the DataFrame "
                               f"(it has {list(df.columns)})")
            df = df[list(columns)]
        if skip is not None:
            absent = [c for c in skip if c not in df.columns]
            if absent:
                raise KeyError(f"{what}: skip= names {absent} that are not in the DataFrame")
            df = df.drop(columns=list(skip))
        bad = []
        for name in df.columns:
            kind = df[name].dtype.kind
            if kind not in "biuf":
                bad.append(f"{name!r} ({df[name].dtype})")
        if bad:
            raise TypeError(f"{what}: non-numeric column(s) {', '.join(bad)}; drop them with "
                            "skip=[...] or choose the variables with columns=[...]")
        a = np.ascontiguousarray(df.to_numpy(dtype=float, na_value=np.nan))
        return a, [str(c) for c in df.columns], df.index
    if skip is not None or columns is not None:
        raise TypeError(f"{what}: skip= and columns= need a pandas DataFrame")
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what}: expected a 2-D array of numbers or a pandas DataFrame "
                        f"({exc})") from None
    if a.ndim != 2:
        raise errors.InvalidArgument(errors.Status.EINVAL,
                                     f"{what}: expected a 2-D array (rows x variables), got "
                                     f"{a.ndim} dimension(s)")
    return np.ascontiguousarray(a), None, None


def named_matrix(x: Any, matcher: Tuple[Tuple[str, ...], Callable[[str], int], str], *,
                 skip: Optional[Sequence[str]] = None, columns: Optional[Sequence[str]] = None,
                 what: str = "data") -> Tuple["numpy.ndarray", Any]:
    """(rows x len(keys) array in the matcher's column order, row index or None).

    :func:`data_matrix` of `x`; a DataFrame's columns are matched by name (the matcher's
    lookup: a space's folded lookup for dimensions), so their order does not matter; every
    key must be a column exactly once, else KeyError naming the unknown, duplicated and missing
    columns. Unlabelled data are positional (the column count is checked)."""
    import numpy as np
    a, names, index = data_matrix(x, skip=skip, columns=columns, what=what)
    keys, lookup, context = matcher
    if names is None:
        if a.shape[1] != len(keys) and a.size:
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"{what}: {a.shape[1]} columns where {len(keys)} are "
                                       f"needed ({list(keys)})")
        return a, index
    pos = _match_names(names, keys, lookup, what, context,
                       "give a column of NaN for values not observed")
    out = np.empty((a.shape[0], len(keys)))
    out[:, pos] = a
    return out, index


def align_rows(x: Any, index: Any, what: str) -> Any:
    """A pandas object `x` with its rows in the order of `index` (another pandas object's
    index) when both carry labels of their own and hold the same labels; KeyError naming the
    labels only one has. Anything else is returned unchanged (positional)."""
    if index is None or not (is_frame(x) or is_series(x)):
        return x
    if _is_default_index(index) or _is_default_index(x.index) or x.index.equals(index):
        return x
    extra = [k for k in x.index if k not in index]
    absent = [k for k in index if k not in x.index]
    if extra or absent or x.index.has_duplicates:
        raise KeyError(f"{what}: row labels differ from the data's: only in {what} "
                       f"{extra[:10]}, only in the data {absent[:10]}")
    return x.loc[index]


def label_codes(labels: Any, what: str = "labels") -> Tuple["numpy.ndarray", Optional[list]]:
    """(non-negative integer codes as a numpy uintp array, the distinct labels in code order or
    None). Non-negative integers are kept as they are (None); anything else (strings, floats,
    a pandas Categorical, ...) is numbered in order of first appearance. A missing label (None,
    NaN) raises naming its position."""
    import numpy as np
    if is_series(labels):
        values = labels.tolist()
    else:
        values = list(np.asarray(labels).tolist()) if not isinstance(labels, (list, tuple)) \
            else list(labels)
    bad = [i for i, v in enumerate(values)
           if v is None or (isinstance(v, float) and math.isnan(v))]
    if bad:
        raise errors.InvalidArgument(errors.Status.EINVAL,
                                     f"{what}: missing label at position(s) {bad[:10]}")
    if all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        return np.asarray(values, dtype=np.uintp).reshape(len(values)), None
    codes: Dict[Any, int] = {}
    out = [codes.setdefault(v, len(codes)) for v in values]
    return np.asarray(out, dtype=np.uintp).reshape(len(out)), list(codes)


def wants_frame(as_frame: Optional[bool], *inputs: Any) -> bool:
    """The `as_frame` argument: True / False as given; None (the default) = True exactly when
    one of `inputs` is a pandas object (pandas is then installed)."""
    if as_frame is None:
        return any(is_frame(x) or is_series(x) for x in inputs)
    return bool(as_frame)


def labelled(a: "numpy.ndarray", frame: bool, *, index: Any = None, columns: Any = None,
             name: Optional[str] = None) -> Any:
    """`a` unchanged, or (frame True) a pandas DataFrame (2-D, `index` x `columns`) / Series
    (1-D, `index`, `name`). Labels of the wrong length are dropped (a default index)."""
    if not frame:
        return a
    import pandas as pd  # only when asked for (as_frame=True) or given a pandas input
    if index is not None and len(index) != a.shape[0]:
        index = None
    if a.ndim == 1:
        return pd.Series(a, index=index, name=name)
    if columns is not None and len(columns) != a.shape[1]:
        columns = None
    return pd.DataFrame(a, index=index, columns=columns)
