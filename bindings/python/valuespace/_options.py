"""One mixin for the options of every handle that has them (FactorAnalysis, Cluster, Runner,
Model, Evaluator, LexicalOptions, Lexicon, Accumulator): get/set/bounds by name, item access and
``options()``, all through the C library's generic option functions ``<prefix>_set_int`` /
``_set_double`` / ``_set_str``, ``_get_int`` / ``_get_double`` / ``_get_str`` and
``_option_bounds``. A class sets three attributes:

* ``_opt_prefix``: the C prefix, e.g. ``"vs_fa"``;
* ``_opt_table``: its module's public table, name -> (option id, kind[, enum names]) or
  name -> option id (integer options only); kind is "int", "double", "enum" (an integer option
  that also takes and reads back a name) or "str";
* ``_opt_what``: what messages call the handle's options ("factor-analysis").
"""

from __future__ import annotations

import os
from ctypes import byref, c_char_p, c_double, c_int, c_int64
from typing import Any, Dict, Tuple

from . import errors
from ._lib import lib


class OptionsMixin:
    """Options by name: ``h.set("seed", 1)``, ``h.get("seed")``, ``h["seed"]``,
    ``type(h).bounds("seed")``, ``h.options()``."""

    _opt_prefix: str = ""
    _opt_table: Dict[str, Any] = {}
    _opt_what: str = ""

    @classmethod
    def _option(cls, name: Any) -> Tuple[int, str]:
        """(option id, kind) of an option given by name (or by its id)."""
        spec = cls._opt_table.get(name) if isinstance(name, str) else None
        if spec is None and isinstance(name, int) and not isinstance(name, bool):
            for s in cls._opt_table.values():
                if (s if isinstance(s, int) else s[0]) == name:
                    spec = s
                    break
        if spec is None:
            raise errors.InvalidArgument(
                errors.Status.EINVAL,
                f"unknown {cls._opt_what} option {name!r} (one of {', '.join(cls._opt_table)})")
        if isinstance(spec, int):
            return spec, "int"
        return spec[0], spec[1]

    def set(self, name: Any, value: Any):
        """Sets an option (enum options also by name); returns self."""
        code, kind = self._option(name)
        prefix = self._opt_prefix
        if kind == "str" or (kind == "enum" and isinstance(value, str)):
            if isinstance(value, os.PathLike):
                value = os.fspath(value)
            fn, arg = getattr(lib, prefix + "_set_str"), value
        elif kind == "double":
            fn, arg = getattr(lib, prefix + "_set_double"), float(value)
        else:
            if isinstance(value, float) and not value.is_integer():
                raise errors.InvalidArgument(errors.Status.EINVAL,
                                             f"option {name!r} needs an integer, not {value!r}")
            fn, arg = getattr(lib, prefix + "_set_int"), int(value)
        with self._use(shared=False) as p:
            fn(p, code, arg)
        return self

    def get(self, name: Any) -> Any:
        """An option's value: int, float, str (string options and the names of enum options)."""
        code, kind = self._option(name)
        prefix = self._opt_prefix
        if kind in ("str", "enum"):
            out: Any = c_char_p()
            fn = getattr(lib, prefix + "_get_str")
        elif kind == "double":
            out, fn = c_double(), getattr(lib, prefix + "_get_double")
        else:
            out, fn = c_int64(), getattr(lib, prefix + "_get_int")
        with self._use() as p:
            fn(byref(out), p, code)
            value = out.value
        return value.decode("utf-8") if isinstance(value, bytes) else value

    __getitem__ = get

    def __setitem__(self, name: Any, value: Any) -> None:
        self.set(name, value)

    def options(self) -> Dict[str, Any]:
        """Every option's current value, by name."""
        return {name: self.get(name) for name in self._opt_table}

    @classmethod
    def bounds(cls, name: Any) -> Tuple[float, float]:
        """Inclusive (min, max) of an integer or double option."""
        code, _ = cls._option(name)
        lo, hi = c_double(), c_double()
        getattr(lib, cls._opt_prefix + "_option_bounds")(byref(lo), byref(hi), code)
        return lo.value, hi.value

    @classmethod
    def option_id(cls, name: str) -> int:
        """The library's option id of `name` (raises NotFound for an unknown name)."""
        v = c_int()
        getattr(lib, cls._opt_prefix + "_option_id")(byref(v), name)
        return v.value

    @classmethod
    def option_name(cls, code: int) -> Any:
        """The library's name of option id `code`, or None."""
        return getattr(lib, cls._opt_prefix + "_option_name")(int(code))
