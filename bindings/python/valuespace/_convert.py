"""Labelled inputs: per-dimension values (sequence, dict, pandas Series) and data matrices
(numpy arrays, pandas DataFrames). pandas is never imported here; a pandas object is recognised
by its type's module, so pandas stays optional."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Tuple

from . import errors

if TYPE_CHECKING:  # pragma: no cover
    import numpy

    from .space import Space

__all__ = ["is_pandas", "is_series", "is_frame", "dimension_values", "data_matrix"]


def is_pandas(x: Any, kind: str) -> bool:
    """True when `x` is a pandas object of class `kind` ("Series", "DataFrame")."""
    t = type(x)
    return t.__module__.split(".")[0] == "pandas" and any(
        c.__name__ == kind for c in t.__mro__)


def is_series(x: Any) -> bool:
    return is_pandas(x, "Series")


def is_frame(x: Any) -> bool:
    return is_pandas(x, "DataFrame")


def _is_default_index(index) -> bool:
    """A pandas index with no labels of its own: 0, 1, ..., n-1."""
    return list(index) == list(range(len(index)))


def dimension_values(values: Any, space: "Space", level: int, what: str = "values") -> Any:
    """Per-dimension values over `level` of `space`, in the level's order.

    * a dict or a pandas Series with string labels: matched by name with the space's folded
      lookup (keys, labels, aliases: :meth:`Space.find`); every dimension of the level must be
      named exactly once, else KeyError naming the unknown, duplicated and missing names
      (use NaN for a missing value);
    * a pandas Series with the default index (0..n-1) and any other sequence or buffer:
      positional (the length is checked where the values are used).
    """
    if is_series(values):
        if _is_default_index(values.index):
            return values.to_numpy(dtype=float, na_value=math.nan)
        items = list(zip(values.index, values.to_numpy(dtype=float, na_value=math.nan)))
    elif isinstance(values, dict):
        items = list(values.items())
    else:
        return values
    keys = space.keys(level)
    offset = space.level_offset(level)
    out = [math.nan] * len(keys)
    seen: dict = {}
    unknown: List[str] = []
    duplicated: List[str] = []
    for name, value in items:
        if not isinstance(name, (str, bytes)):
            raise TypeError(f"{what}: labels must be dimension names (str), not "
                            f"{type(name).__name__} {name!r}")
        try:
            i = space.find(name, level) - offset
        except errors.NotFound:
            unknown.append(str(name))
            continue
        if i in seen:
            duplicated.append(f"{name!r} and {seen[i]!r} both name {keys[i]!r}")
            continue
        seen[i] = name
        out[i] = math.nan if value is None else float(value)
    missing = [k for i, k in enumerate(keys) if i not in seen]
    if unknown or duplicated or missing:
        parts = []
        if unknown:
            parts.append(f"unknown names {unknown} (level {space.levels[level]!r} of space "
                         f"{space.name!r} has {list(keys)})")
        if duplicated:
            parts.append("duplicated: " + "; ".join(duplicated))
        if missing:
            parts.append(f"missing names {missing} (give NaN for a missing value)")
        raise KeyError(f"{what}: " + "; ".join(parts))
    return out


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
