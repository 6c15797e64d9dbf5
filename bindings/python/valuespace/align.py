"""BaseAlign (``valuespace/vector.h``): masked weighted L1 distance to a target vector, the
unmasked distances the FULCRA script reports beside it, and the built-in targets."""

from __future__ import annotations

from ctypes import byref, c_double, c_ubyte
from dataclasses import dataclass
from typing import Any, Union

from ._lib import VectorPtr, lib, use
from .vector import Vector

__all__ = ["BaseAlignResult", "UnmaskedDistances", "basealign", "basealign_unmasked",
           "align_target", "align_target_names", "BASEALIGN_THRESHOLD", "BASEALIGN_RAW"]

#: The published mask threshold: a dimension counts only if |s_k| > 0.3.
BASEALIGN_THRESHOLD = 0.3
#: Flag: the scores are raw evaluator outputs (tanh is applied first).
BASEALIGN_RAW = 1


@dataclass(frozen=True)
class BaseAlignResult:
    distance: float
    reward: float
    mask: tuple[int, ...]  # m_k (0 or 1) per dimension
    keys: tuple[str, ...] = ()  # the dimensions' keys, in the order of mask


@dataclass(frozen=True)
class UnmaskedDistances:
    l1: float
    l2: float


def align_target_names() -> tuple[str, ...]:
    """Names of the built-in BaseAlign targets ("default", "uk", "netherlands", "france")."""
    return tuple(lib.vs_align_target_name(i) for i in range(lib.vs_align_target_count()))


def align_target(name: str = "default") -> Vector:
    """A built-in target vector over level 0 of a new "schwartz10" space."""
    out = VectorPtr()
    lib.vs_align_target(byref(out), name)
    return Vector._wrap(out, None)


def _operands(scores, target):
    if not isinstance(target, Vector):
        target = align_target(target)
    if not isinstance(scores, Vector):
        scores = Vector(target.space, target.level, scores)
    return scores, target


def basealign(scores: Any, target: Union[Vector, str] = "default", *, raw: bool = False,
              threshold: float = BASEALIGN_THRESHOLD) -> BaseAlignResult:
    """BaseAlign: s = tanh(score) when `raw`, m_k = |s_k| > threshold,
    d = sum_k |s_k - t_k| m_k |t_k|, reward = -d. `scores` is a Vector, a sequence in the
    target's dimension order (length checked), or a dict / pandas Series keyed by dimension name
    (matched with the space's folded lookup; KeyError names unknown or missing names); `target`
    a Vector or a built-in target name."""
    scores, target = _operands(scores, target)
    n = len(scores)
    mask = (c_ubyte * max(n, 1))()
    dist, reward = c_double(), c_double()
    with use(scores, target) as (s, t):
        lib.vs_basealign(byref(dist), byref(reward), s, t, BASEALIGN_RAW if raw else 0,
                         float(threshold), mask, n)
    return BaseAlignResult(dist.value, reward.value, tuple(mask[:n]), target.keys)


def basealign_unmasked(scores: Any, target: Union[Vector, str] = "default", *,
                       raw: bool = False) -> UnmaskedDistances:
    """The unmasked L1 and L2 distances over the dimensions with a non-zero target."""
    scores, target = _operands(scores, target)
    l1, l2 = c_double(), c_double()
    with use(scores, target) as (s, t):
        lib.vs_basealign_unmasked(byref(l1), byref(l2), s, t, BASEALIGN_RAW if raw else 0)
    return UnmaskedDistances(l1.value, l2.value)
