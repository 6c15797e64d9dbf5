"""Value evaluators (``valuespace/evaluator.h``): (prompt, response) -> a value per dimension of a
level of a space, plus class probabilities (p(-1), p(0), p(+1)).

* ``Evaluator(space, level)`` -- the built-in trainable model: ``train()``, ``predict()``,
  ``dumps()`` / ``loads()``, ``save()`` / ``load()``, ``cross_validate()``;
* ``Evaluator.from_callback(space, level, judge)`` -- a Python judge: any object with a method
  ``evaluate(batch)``, `batch` a list of :class:`EvalItem`; it returns one entry per item:
  a sequence of K values (None/NaN = not evaluated), a pair ``(values, probs)`` with probs
  K x 3, or an exception *instance* (that item fails). Raising an exception fails the call and
  ``predict`` raises that exception (after the C call returns);
* :func:`metrics`, :func:`profiles` -- classification metrics and per-group value profiles.
"""

from __future__ import annotations

import ctypes
import math
import os
from collections.abc import Sequence
from ctypes import byref, c_double, c_int32, c_int64, c_size_t, c_void_p
from dataclasses import dataclass, fields
from typing import Optional, Union

from . import _callback, errors
from ._lib import (DESTROY_FN, EVALUATE_FN, EvaluatorCvPtr, EvaluatorProfilePtr, EvaluatorPtr,
                   Handle, ModelPtr, lib, vs_evaluator_callbacks, vs_evaluator_metrics)
from ._util import cdoubles, doubles, read_array, strv
from .fa import Matrix
from .space import Space

__all__ = ["Evaluator", "EvalItem", "Prediction", "Metrics", "CrossValidation", "Profiles",
           "metrics", "profiles", "OPTIONS", "BUILTIN", "CALLBACK"]

BUILTIN, CALLBACK = 0, 1
_FATAL = int(errors.Status.ECALLBACK)

# name: (vs_evaluator_option, kind)
OPTIONS = {
    "buckets": (1, "int"), "max_ngram": (2, "int"), "text_flags": (3, "int"),
    "input": (4, "int"), "weighting": (5, "int"), "seed": (6, "int"), "C": (7, "double"),
    "class_weight": (8, "int"), "max_iter": (9, "int"), "tolerance": (10, "double"),
    "history": (11, "int"), "value": (12, "int"), "batch_size": (13, "int"),
    "threads": (14, "int"),
}
_CV_ARRAYS = {"values": 1, "probs": 2, "baseline": 3, "fold": 4}


@dataclass(frozen=True)
class EvalItem:
    """One item passed to a judge: its index in the predict() call and its texts."""
    index: int
    prompt: str
    response: str


@dataclass(frozen=True)
class Prediction:
    """predict() output: values (n x K Matrix), probs (n x 3K Matrix: per dimension
    p(-1), p(0), p(+1)), statuses (0 or the item's error code)."""
    values: Matrix
    probs: Matrix
    statuses: list

    @property
    def ok(self) -> bool:
        return not any(self.statuses)


# ------------------------------------------------------------------ the judge trampoline

def _evaluate_impl(st, items, prompts, responses, n, k, values, probs, statuses):
    batch = [EvalItem(items[i], prompts[i].decode("utf-8", "surrogateescape"),
                      responses[i].decode("utf-8", "surrogateescape")) for i in range(n)]
    outputs = list(st.obj.evaluate(batch))
    if len(outputs) != n:
        raise ValueError(f"evaluate() returned {len(outputs)} entries for a batch of {n} items")
    for i, out in enumerate(outputs):
        if isinstance(out, BaseException):
            statuses[i] = _FATAL
            continue
        vals, prob = (out if isinstance(out, tuple) else (out, None))
        vals = list(vals)
        if len(vals) != k:
            raise ValueError(f"evaluate(): item {batch[i].index} has {len(vals)} values, "
                             f"the level has {k}")
        for d, v in enumerate(vals):
            values[i * k + d] = math.nan if v is None else float(v)
        if prob is not None:
            flat = doubles(prob, 3 * k, "probs")
            for j, v in enumerate(flat):
                probs[i * 3 * k + j] = v
    return 0


def _evaluate(user_data, *args):
    st = _callback.lookup(user_data)
    if st is None:
        return _FATAL
    return st.call(_evaluate_impl, (st,) + args, _FATAL)


def _destroy(user_data):
    _callback.unregister(user_data)


_C_EVALUATE = EVALUATE_FN(_evaluate)
_C_DESTROY = DESTROY_FN(_destroy)


# ------------------------------------------------------------------ metrics

@dataclass(frozen=True)
class Metrics:
    """Classification metrics of one dimension (class arrays in the order -1, 0, +1;
    confusion: truth rows x predicted columns)."""
    n: int
    n_skipped: int
    n_neg: int
    n_zero: int
    n_pos: int
    accuracy: float
    macro_f1: float
    baseline_accuracy: float
    baseline_macro_f1: float
    baseline_class: float
    precision: tuple
    recall: tuple
    f1: tuple
    confusion: tuple


def _metrics(m) -> Metrics:
    d = {}
    for f in fields(Metrics):
        v = getattr(m, f.name)
        d[f.name] = tuple(v) if f.name in ("precision", "recall", "f1", "confusion") else v
    d["confusion"] = tuple(tuple(d["confusion"][3 * r:3 * r + 3]) for r in range(3))
    return Metrics(**d)


def metrics(truth, pred) -> Metrics:
    """Metrics of predictions against truth (-1/0/+1/NaN) for one dimension."""
    t, p = doubles(truth), doubles(pred)
    if len(t) != len(p):
        raise errors.MismatchError(errors.Status.EMISMATCH, "truth and pred differ in length")
    m = vs_evaluator_metrics()
    lib.vs_evaluator_metrics_compute(byref(m), cdoubles(t), cdoubles(p), len(t), 1)
    return _metrics(m)


# ------------------------------------------------------------------ evaluators

def _texts(xs, n, what):
    if xs is None:
        return None
    xs = list(xs)
    if len(xs) != n:
        raise errors.MismatchError(errors.Status.EMISMATCH, f"{len(xs)} {what} for {n} items")
    return strv(xs, what)


class Evaluator(Handle):
    """A value evaluator (built-in model or a Python judge)."""

    _free_name = "vs_evaluator_free"
    _kind = "evaluator"

    def __init__(self, space: Space, level: Union[int, str] = 0, **options):
        out = EvaluatorPtr()
        with space._use() as sp:
            lib.vs_evaluator_create(byref(out), sp, space.level_index(level))
        Handle.__init__(self, out, parents=(space,))
        self._state = None
        for name, value in options.items():
            self.set(name, value)

    @classmethod
    def _wrap(cls, ptr, parents=(), state=None):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents)
        obj._state = state
        return obj

    @classmethod
    def from_callback(cls, space: Space, level: Union[int, str], judge, **options) -> "Evaluator":
        """An evaluator backed by `judge.evaluate(batch)` (see the module docstring)."""
        if not callable(getattr(judge, "evaluate", None)):
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"{type(judge).__name__} has no evaluate() method")
        table = vs_evaluator_callbacks()
        table.evaluate = _C_EVALUATE
        table.destroy = _C_DESTROY
        state = _callback.CallbackState(obj=judge)
        key = _callback.register(state)
        out = EvaluatorPtr()
        try:
            with space._use() as sp:
                lib.vs_evaluator_create_callback(byref(out), sp, space.level_index(level),
                                                 byref(table), key)
        finally:
            if not out:
                _callback.unregister(key)  # destroy may or may not have run: idempotent
        obj = cls._wrap(out, (space,), state)
        obj.judge = judge
        for name, value in options.items():
            obj.set(name, value)
        return obj

    def as_judge(self, **options):
        """This evaluator as a classify judge (a :class:`~valuespace.model.Model`, e.g. the
        ``judge_model`` of a classify :class:`~valuespace.projective.Runner`): for each request
        (text = the completion, context = the prompt) and label (a dimension key, label or alias
        of the evaluator's level) it answers P(high) = (1 + p(+1) - p(-1)) / 2. The evaluator is
        kept alive by the model and cannot be closed while the model runs; do not change it
        while the model is in use. Options as :class:`~valuespace.model.Model`'s."""
        from .model import Model
        out = ModelPtr()
        with self._use() as p:
            lib.vs_evaluator_judge_create(byref(out), p)
        judge = Model._adopt(out, parents=(self,), pinned=(self,))
        for name, value in options.items():
            judge.set(name, value)
        return judge

    @classmethod
    def loads(cls, data: bytes, space: Optional[Space] = None) -> "Evaluator":
        b = bytes(data)
        out = EvaluatorPtr()
        if space is None:
            lib.vs_evaluator_load_buffer(byref(out), b, len(b), None)
        else:
            with space._use() as sp:
                lib.vs_evaluator_load_buffer(byref(out), b, len(b), sp)
        return cls._wrap(out, (space,) if space is not None else ())

    @classmethod
    def load(cls, path: Union[str, os.PathLike], space: Optional[Space] = None) -> "Evaluator":
        out = EvaluatorPtr()
        if space is None:
            lib.vs_evaluator_load(byref(out), os.fspath(path), None)
        else:
            with space._use() as sp:
                lib.vs_evaluator_load(byref(out), os.fspath(path), sp)
        return cls._wrap(out, (space,) if space is not None else ())

    def dumps(self) -> bytes:
        buf, n = c_void_p(), c_size_t()
        with self._use() as p:
            lib.vs_evaluator_save_buffer(byref(buf), byref(n), p)
        try:
            return ctypes.string_at(buf, n.value)
        finally:
            lib.vs_free(buf)

    def save(self, path: Union[str, os.PathLike]) -> None:
        with self._use() as p:
            lib.vs_evaluator_save(p, os.fspath(path))

    # ---------------------------------------------------------------- properties, options

    @property
    def kind(self) -> str:
        with self._use() as p:
            return ("builtin", "callback")[lib.vs_evaluator_kind(p)]

    @property
    def space(self) -> Space:
        with self._use() as p:
            return Space._wrap(lib.vs_evaluator_space(p), parents=(self,), owned=False)

    @property
    def level(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_level(p)

    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_size(p)

    @property
    def ready(self) -> bool:
        with self._use() as p:
            return bool(lib.vs_evaluator_is_ready(p))

    @property
    def active_buckets(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_active_buckets(p)

    @staticmethod
    def _option(name):
        try:
            return OPTIONS[name]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown evaluator option {name!r}") from None

    def set(self, name: str, value) -> "Evaluator":
        code, kind = self._option(name)
        with self._use() as p:
            if kind == "int":
                lib.vs_evaluator_set_int(p, code, int(value))
            else:
                lib.vs_evaluator_set_double(p, code, float(value))
        return self

    def get(self, name: str):
        code, kind = self._option(name)
        with self._use() as p:
            v = c_int64() if kind == "int" else c_double()
            (lib.vs_evaluator_get_int if kind == "int" else lib.vs_evaluator_get_double)(
                byref(v), p, code)
            return v.value

    @classmethod
    def bounds(cls, name: str) -> tuple:
        code, _ = cls._option(name)
        lo, hi = c_double(), c_double()
        lib.vs_evaluator_option_bounds(byref(lo), byref(hi), code)
        return lo.value, hi.value

    # ---------------------------------------------------------------- training, prediction

    def train(self, responses, labels, prompts=None) -> "Evaluator":
        """Trains the built-in model: `labels` n x K (-1, 0, +1, None/NaN)."""
        n = len(responses)
        lab = doubles(labels.data if isinstance(labels, Matrix) else labels)
        r, pr = _texts(responses, n, "responses"), _texts(prompts, n, "prompts")
        with self._use() as p:
            lib.vs_evaluator_train(p, pr, r, cdoubles(lab), n)
        return self

    def predict(self, responses, prompts=None, *, check: bool = True) -> Prediction:
        """Evaluates n items. A failing item raises (the judge's own exception, or the
        library's error with ``.prediction`` attached) unless ``check=False``."""
        n = len(responses)
        r, pr = _texts(responses, n, "responses"), _texts(prompts, n, "prompts")
        k = len(self)
        values = (c_double * max(n * k, 1))()
        probs = (c_double * max(n * k * 3, 1))()
        statuses = (c_int32 * max(n, 1))()
        error = None
        _callback.not_running(self._state)
        with self._use(shared=self._state is None) as p:
            try:
                with _callback.active(self._state):
                    lib.vs_evaluator_predict(values, n * k, probs, n * k * 3, statuses, n, p,
                                             pr, r, n)
            except errors.ValueSpaceError as exc:
                if exc.code in (errors.Status.EINVAL, errors.Status.ESTATE,
                                errors.Status.ENOMEM, errors.Status.EBUFSIZE):
                    raise
                error = exc
        pred = Prediction(Matrix(n, k, values[:n * k]), Matrix(n, 3 * k, probs[:n * k * 3]),
                          list(statuses[:n]))
        if error is not None and check:
            error.prediction = pred
            raise error
        return pred

    def cross_validate(self, responses, labels, prompts=None, groups=None, folds: int = 5,
                       seed: int = 0) -> "CrossValidation":
        """Seeded k-fold cross-validation of the built-in model with this evaluator's options."""
        n = len(responses)
        lab = doubles(labels.data if isinstance(labels, Matrix) else labels)
        r, pr = _texts(responses, n, "responses"), _texts(prompts, n, "prompts")
        g = None if groups is None else (c_size_t * max(n, 1))(*[int(x) for x in groups])
        out = EvaluatorCvPtr()
        with self._use() as p:
            lib.vs_evaluator_cv_run(byref(out), p, pr, r, cdoubles(lab), g, n, folds, seed)
        return CrossValidation._wrap(out)

    def __repr__(self):
        if self.closed:
            return "<Evaluator (closed)>"
        return f"<Evaluator {self.kind} over {len(self)} dimensions, ready={self.ready}>"


class CrossValidation(Handle):
    """An immutable cross-validation result."""

    _free_name = "vs_evaluator_cv_free"
    _kind = "cross-validation"
    _shared = True

    @classmethod
    def _wrap(cls, ptr):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        return obj

    @property
    def count(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_cv_count(p)

    @property
    def size(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_cv_size(p)

    @property
    def folds(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_cv_folds(p)

    def metrics(self, dim: int, fold: Optional[int] = None) -> Metrics:
        m = vs_evaluator_metrics()
        with self._use() as p:
            lib.vs_evaluator_cv_metrics(byref(m), p, dim, c_size_t(-1).value if fold is None
                                        else fold)
        return _metrics(m)

    def get(self, what: str):
        """"values" / "baseline" (n x K Matrix), "probs" (n x 3K Matrix) or "fold" (list)."""
        code = _CV_ARRAYS[what]
        with self._use() as p:
            data = read_array(lambda nd, b, c: lib.vs_evaluator_cv_get(nd, p, code, b, c))
            n = lib.vs_evaluator_cv_count(p)
        if what == "fold":
            return [int(v) for v in data]
        return Matrix(n, len(data) // n if n else 0, data)


@dataclass(frozen=True)
class GroupProfile:
    group: int
    size: int
    mean: list
    ci_low: list
    ci_high: list
    distance: float
    distance_ci: tuple
    rank: float


class Profiles(Handle, Sequence):
    """Per-group value profiles (immutable); ``profiles[j]`` is a :class:`GroupProfile`."""

    _free_name = "vs_evaluator_profile_free"
    _kind = "profiles"
    _shared = True

    @classmethod
    def _wrap(cls, ptr, parents=()):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents)
        return obj

    def __len__(self):
        with self._use() as p:
            return lib.vs_evaluator_profile_group_count(p)

    @property
    def size(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_profile_size(p)

    def __getitem__(self, j):
        if isinstance(j, slice):
            return [self[i] for i in range(len(self))[j]]
        with self._use() as p:
            n = lib.vs_evaluator_profile_group_count(p)
            if not -n <= j < n:
                raise IndexError("group index out of range")
            j %= n

            def arr(what):
                return read_array(lambda nd, b, c: lib.vs_evaluator_profile_get(nd, p, j, what, b, c),
                                  lib.vs_evaluator_profile_size(p)).tolist()

            def scalar(what):
                v = c_double()
                lib.vs_evaluator_profile_scalar(byref(v), p, j, what)
                return v.value

            return GroupProfile(lib.vs_evaluator_profile_group_id(p, j),
                                lib.vs_evaluator_profile_group_size(p, j), arr(1), arr(2), arr(3),
                                scalar(1), (scalar(2), scalar(3)), scalar(4))


def profiles(values, groups=None, target=None, *, threshold: float = 0.3,
             replicates: int = 1000, confidence: float = 0.95, seed: int = 0) -> Profiles:
    """Per-group means with bootstrap intervals (and BaseAlign distances to `target`, a
    Vector). `values` n x k (a Matrix, a sequence of rows or a 2-D buffer)."""
    m = Matrix.from_any(values)
    g = None if groups is None else (c_size_t * max(m.rows, 1))(*[int(x) for x in groups])
    out = EvaluatorProfilePtr()
    if target is None:
        lib.vs_evaluator_profile_compute(byref(out), m._c(), m.rows, m.cols, g, None, threshold,
                                         replicates, confidence, seed)
        return Profiles._wrap(out)
    with target._use() as t:
        lib.vs_evaluator_profile_compute(byref(out), m._c(), m.rows, m.cols, g, t, threshold,
                                         replicates, confidence, seed)
    return Profiles._wrap(out)
