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

Labels: training labels (``train``, ``cross_validate``) are an n x K matrix -- a pandas
DataFrame whose columns are matched to the level's dimensions by name (the space's folded
lookup: keys, labels, aliases; any order; KeyError names unknown or missing columns; NaN / None
/ pd.NA = not labelled; a non-numeric column raises naming it, ``skip=`` / ``columns=`` choose
the columns), a 2-D numpy array, a sequence of rows or a Matrix (positional). When the
responses are a pandas Series with an index of its own, a DataFrame's rows are matched to it
by label. A judge may return each item's values as a sequence, a dict or a pandas Series
(matched by name). Results are numpy arrays (values n x K, probs n x 3K, statuses); pandas
objects labelled with the dimension keys (and the responses' index) when the responses or
labels were pandas objects, or with ``as_frame=True``.
"""

from __future__ import annotations

import ctypes
import math
import os
from collections.abc import Sequence
from ctypes import byref, c_double, c_int32, c_size_t, c_void_p
from dataclasses import dataclass, fields
from typing import Any, List, Optional, Tuple, Union

import numpy as np

from . import _callback, errors
from ._convert import (_match_names, align_rows, data_matrix, dimension_values, is_frame,
                       is_series, label_codes, labelled, level_matcher, named_matrix,
                       wants_frame)
from ._options import OptionsMixin
from ._lib import (DESTROY_FN, EVALUATE_FN, EvaluatorCvPtr, EvaluatorProfilePtr, EvaluatorPtr,
                   Handle, ModelPtr, lib, vs_evaluator_agreement, vs_evaluator_callbacks,
                   vs_evaluator_metrics)
from ._util import cdoubles, doubles, read_array, strv
from .fa import Matrix
from .space import Space

__all__ = ["Evaluator", "EvalItem", "Prediction", "Metrics", "Agreement", "CrossValidation",
           "Profiles", "metrics", "agreement", "profiles", "fulcra_template", "prompt_text", "OPTIONS", "BUILTIN", "CALLBACK"]

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
    """predict() output: values (n x K), probs (n x 3K: per dimension p(-1), p(0), p(+1)),
    statuses (n: 0 or the item's error code) as numpy arrays -- or, for pandas input /
    ``as_frame=True``, DataFrames with the dimension keys as columns (probs: a (key, class)
    MultiIndex) and a Series; `keys` names the K dimensions."""
    values: Any
    probs: Any
    statuses: Any
    keys: Tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every item was evaluated."""
        return not np.asarray(self.statuses).any()

    @property
    def class_probs(self) -> np.ndarray:
        """probs as an n x K x 3 numpy array (class order -1, 0, +1)."""
        a = np.asarray(self.probs, dtype=float)
        return a.reshape(a.shape[0], -1, 3)


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
        vals = dimension_values(vals, st.space, st.level, "evaluate() values")
        vals = [None if v is None else float(v) for v in np.asarray(vals, dtype=object).ravel()] \
            if isinstance(vals, np.ndarray) else list(vals)
        if len(vals) != k:
            raise ValueError(f"evaluate(): item {batch[i].index} has {len(vals)} values, "
                             f"the level has {k}")
        for d, v in enumerate(vals):
            values[i * k + d] = math.nan if v is None else float(v)
        if prob is not None:
            if isinstance(prob, dict) or is_series(prob):
                flat = _named_probs(prob, st, k)
            else:
                flat = doubles(np.asarray(prob, dtype=float).ravel(), 3 * k, "probs")
            for j, v in enumerate(flat):
                probs[i * 3 * k + j] = v
    return 0


def _named_probs(prob: Any, st: Any, k: int) -> List[float]:
    """(p(-1), p(0), p(+1)) per dimension from a dict / Series keyed by dimension name."""
    items = list(prob.items())
    keys, lookup, context = level_matcher(st.space, st.level)
    pos = _match_names([n for n, _ in items], keys, lookup, "evaluate() probs", context,
                       "give (nan, nan, nan) for a dimension without probabilities")
    out = [math.nan] * (3 * k)
    for i, (name, triple) in zip(pos, items):
        t = doubles(np.asarray(triple, dtype=float).ravel(), 3, f"probs of {name!r}")
        out[3 * i:3 * i + 3] = t
    return out


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


def _vector(x: Any) -> Any:
    if is_series(x):
        return x.to_numpy(dtype=float, na_value=math.nan)
    return np.ascontiguousarray(np.asarray(x, dtype=float).ravel())


def metrics(truth: Any, pred: Any) -> Metrics:
    """Metrics of predictions against truth (-1/0/+1/NaN) for one dimension: sequences, numpy
    arrays or pandas Series (two Series with indexes of their own are matched by label)."""
    if is_series(truth) and is_series(pred):
        pred = align_rows(pred, truth.index, "pred")
    t, p = doubles(_vector(truth)), doubles(_vector(pred))
    if len(t) != len(p):
        raise errors.MismatchError(errors.Status.EMISMATCH, "truth and pred differ in length")
    m = vs_evaluator_metrics()
    lib.vs_evaluator_metrics_compute(byref(m), cdoubles(t), cdoubles(p), len(t), 1)
    return _metrics(m)


@dataclass(frozen=True)
class Agreement:
    """Agreement of predictions with human labels for one dimension (vs_evaluator_agreement):
    accuracy, macro-F1 and Cohen's kappa with bootstrap intervals (NaN without replicates),
    the majority-class baseline, and the confusion matrix (truth rows x predicted columns,
    classes -1, 0, +1)."""
    n: int
    n_skipped: int
    replicates: int
    confidence: float
    accuracy: float
    accuracy_low: float
    accuracy_high: float
    macro_f1: float
    macro_f1_low: float
    macro_f1_high: float
    kappa: float
    kappa_low: float
    kappa_high: float
    baseline_class: float
    baseline_accuracy: float
    baseline_accuracy_low: float
    baseline_accuracy_high: float
    baseline_macro_f1: float
    baseline_macro_f1_low: float
    baseline_macro_f1_high: float
    baseline_kappa: float
    confusion: tuple


def agreement(truth: Any, pred: Any, replicates: int = 1000, confidence: float = 0.95,
              seed: int = 0) -> Agreement:
    """Agreement of predictions with human labels (-1/0/+1/NaN) for one dimension, with
    percentile bootstrap intervals (``replicates`` 0 or 10..10,000,000). Sequences, numpy arrays
    or pandas Series (two Series with indexes of their own are matched by label)."""
    if is_series(truth) and is_series(pred):
        pred = align_rows(pred, truth.index, "pred")
    t, p = doubles(_vector(truth)), doubles(_vector(pred))
    if len(t) != len(p):
        raise errors.MismatchError(errors.Status.EMISMATCH, "truth and pred differ in length")
    a = vs_evaluator_agreement()
    lib.vs_evaluator_agreement_compute(byref(a), cdoubles(t), cdoubles(p), len(t), 1,
                                       int(replicates), float(confidence), int(seed))
    d = {f.name: getattr(a, f.name) for f in fields(Agreement)}
    c = tuple(a.confusion)
    d["confusion"] = tuple(tuple(c[3 * r:3 * r + 3]) for r in range(3))
    return Agreement(**d)


def fulcra_template() -> str:
    """The built-in prompt template of prompted evaluators: FULCRA's evaluator prompt with an
    answer cue; placeholders {value}, {definition}, {dialogue}."""
    return lib.vs_evaluator_fulcra_template()


def prompt_text(space: Space, dim: Union[int, str], response: str, prompt: str = "",
                template: Optional[str] = None) -> str:
    """The exact text a prompted evaluator sends for one response and dimension (`dim`: an index
    in the space or a key)."""
    index = dim if isinstance(dim, int) else space.find(dim)
    need = c_size_t()
    with space._use() as sp:
        try:
            lib.vs_evaluator_prompt_format(byref(need), None, 0, sp, index, template, prompt, response)
        except errors.BufferSizeError:
            pass
        buf = ctypes.create_string_buffer(need.value)
        lib.vs_evaluator_prompt_format(byref(need), buf, need.value, sp, index, template, prompt,
                                       response)
    return buf.value.decode("utf-8", "surrogateescape")


# ------------------------------------------------------------------ evaluators

def _texts(xs: Any, n: int, what: str) -> Any:
    if xs is None:
        return None
    xs = list(xs)
    if len(xs) != n:
        raise errors.MismatchError(errors.Status.EMISMATCH, f"{len(xs)} {what} for {n} items")
    return strv(xs, what)


class Evaluator(OptionsMixin, Handle):
    """A value evaluator (built-in model or a Python judge)."""

    _free_name = "vs_evaluator_free"
    _kind = "evaluator"
    _opt_prefix = "vs_evaluator"
    _opt_table = OPTIONS
    _opt_what = "evaluator"

    def __init__(self, space: Space, level: Union[int, str] = 0, **options: Any) -> None:
        out = EvaluatorPtr()
        with space._use() as sp:
            lib.vs_evaluator_create(byref(out), sp, space.level_index(level))
        Handle.__init__(self, out, parents=(space,))
        self._state = None
        for name, value in options.items():
            self.set(name, value)

    @classmethod
    def _wrap(cls, ptr: Any, parents: tuple = (), state: Any = None) -> "Evaluator":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents)
        obj._state = state
        return obj

    @classmethod
    def from_callback(cls, space: Space, level: Union[int, str], judge: Any,
                      **options: Any) -> "Evaluator":
        """An evaluator backed by `judge.evaluate(batch)` (see the module docstring)."""
        if not callable(getattr(judge, "evaluate", None)):
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"{type(judge).__name__} has no evaluate() method")
        table = vs_evaluator_callbacks()
        table.evaluate = _C_EVALUATE
        table.destroy = _C_DESTROY
        state = _callback.CallbackState(obj=judge, space=space, level=space.level_index(level))
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

    def as_judge(self, **options: Any) -> Any:
        """This evaluator as a classify judge (a :class:`~valuespace.model.Model`, e.g. the
        ``judge_model`` of a classify :class:`~valuespace.projective.Runner`): for each request
        (text = the completion, context = the prompt) and label (a dimension key, label or alias
        of the evaluator's level) it answers P(high) = (1 + p(+1) - p(-1)) / 2 (the two-way
        ``"classify"`` judge), and for the three-way labels KEY:high, KEY:unrelated, KEY:low of
        a ``"classify3"`` Runner p(+1), p(0), p(-1) (use this: an unrelated completion is then
        unrelated, not high). The evaluator is
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
    def prompted(cls, space: Space, level: Union[int, str], model: Any, mode: str = "score",
                 template: Optional[str] = None, **options: Any) -> "Evaluator":
        """An evaluator whose judgement comes from a model (vs_evaluator_create_prompted): the
        prompt `template` (default: FULCRA's, :func:`fulcra_template`) is filled for every item
        and dimension and sent to `model` -- a :class:`~valuespace.model.Model` or any Python
        object a Model accepts (with ``loglikelihood`` for ``mode="score"``, ``generate`` for
        ``mode="answer"``). The model is kept alive by the evaluator."""
        from .model import Model
        modes = {"score": 0, "answer": 1}
        if mode not in modes:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown mode {mode!r} (use 'score' or 'answer')")
        if not isinstance(model, Model):
            model = Model(model)
        out = EvaluatorPtr()
        with space._use() as sp, model._use() as mp:
            lib.vs_evaluator_create_prompted(byref(out), sp, space.level_index(level), mp,
                                             modes[mode], template)
        obj = cls._wrap(out, (space, model))
        obj.model = model
        for name, value in options.items():
            obj.set(name, value)
        return obj

    def answer(self, item: int, dim: Union[int, str]) -> Optional[str]:
        """The raw answer of (item, dimension) in the last predict() call of a prompted evaluator
        in answer mode (also when it did not parse); None otherwise."""
        d = dim if isinstance(dim, int) else self.keys.index(dim)
        with self._use() as p:
            return lib.vs_evaluator_prompted_answer(p, int(item), int(d))

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
            return lib.vs_evaluator_dimension_count(p)

    @property
    def ready(self) -> bool:
        with self._use() as p:
            return bool(lib.vs_evaluator_is_ready(p))

    @property
    def active_bucket_count(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_active_bucket_count(p)

    active_buckets = active_bucket_count  # the former name (README, "Deprecated names")

    # ---------------------------------------------------------------- training, prediction

    @property
    def keys(self) -> Tuple[str, ...]:
        """The keys of the level's dimensions (the columns of labels and values)."""
        return tuple(self.space.keys(self.level))

    def _labels(self, responses: Any, labels: Any, skip: Optional[Any], columns: Optional[Any]
                ) -> Tuple[np.ndarray, Any]:
        """(n x K labels in the level's order, the rows' index) of any labels input."""
        n = len(responses)
        space, level = self.space, self.level
        if is_series(responses):
            labels = align_rows(labels, responses.index, "labels")
        if isinstance(labels, Matrix):
            labels = np.asarray(labels)
        if isinstance(labels, (list, tuple)) and labels and (
                isinstance(labels[0], dict) or is_series(labels[0])):
            # one dict / Series per row, matched by name
            labels = [dimension_values(row, space, level, "labels row") for row in labels]
        elif not is_frame(labels):
            flat = np.asarray(labels, dtype=float)
            k = len(space.keys(level))
            if flat.ndim == 1 and n and flat.size == n * k:
                labels = flat.reshape(n, k)  # a flat n*K sequence (row-major)
        a, index = named_matrix(labels, level_matcher(space, level), skip=skip, columns=columns,
                                what="labels")
        if a.shape[0] != n:
            raise errors.MismatchError(errors.Status.EMISMATCH,
                                       f"{a.shape[0]} rows of labels for {n} responses")
        return np.ascontiguousarray(a), index

    def train(self, responses: Any, labels: Any, prompts: Any = None, *,
              skip: Optional[Any] = None, columns: Optional[Any] = None) -> "Evaluator":
        """Trains the built-in model: `labels` n x K (-1, 0, +1, NaN = not labelled): a
        DataFrame (columns matched by dimension name), an array, rows (sequences, or dicts /
        Series keyed by dimension name) or a Matrix; see the module docstring."""
        n = len(responses)
        lab, _ = self._labels(responses, labels, skip, columns)
        flat = doubles(lab.ravel())
        r, pr = _texts(responses, n, "responses"), _texts(prompts, n, "prompts")
        with self._use() as p:
            lib.vs_evaluator_train(p, pr, r, cdoubles(flat), n)
        return self

    def predict(self, responses: Any, prompts: Any = None, *, check: bool = True,
                as_frame: Optional[bool] = None) -> Prediction:
        """Evaluates n items. A failing item raises (the judge's own exception, or the
        library's error with ``.prediction`` attached) unless ``check=False``. Results are
        numpy arrays; DataFrames (columns = dimension keys, index = the responses' index) when
        the responses are a pandas Series or ``as_frame=True``."""
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
        keys = self.keys
        frame = wants_frame(as_frame, responses)
        index = responses.index if is_series(responses) else None
        v = np.asarray(values[:n * k], dtype=np.float64).reshape(n, k)
        pr3 = np.asarray(probs[:n * k * 3], dtype=np.float64).reshape(n, 3 * k)
        st = np.asarray(statuses[:n], dtype=np.int32).reshape(n)
        pcols = None
        if frame:
            import pandas as pd
            pcols = pd.MultiIndex.from_product([keys, (-1, 0, 1)], names=["dimension", "class"])
        pred = Prediction(labelled(v, frame, index=index, columns=list(keys)),
                          labelled(pr3, frame, index=index, columns=pcols),
                          labelled(st, frame, index=index, name="status"), keys)
        if error is not None and check:
            error.prediction = pred
            raise error
        return pred

    def cross_validate(self, responses: Any, labels: Any, prompts: Any = None,
                       groups: Any = None, folds: int = 5, seed: int = 0, *,
                       skip: Optional[Any] = None, columns: Optional[Any] = None,
                       as_frame: Optional[bool] = None) -> "CrossValidation":
        """Seeded k-fold cross-validation of the built-in model with this evaluator's options.
        `labels` as for :meth:`train`; `groups` (folds are stratified by group: each fold holds
        an equal share of every group) any labels (ints, strings, a Series matched by index to
        the responses / labels)."""
        n = len(responses)
        lab, index = self._labels(responses, labels, skip, columns)
        if is_series(responses):
            index = responses.index
        flat = doubles(lab.ravel())
        r, pr = _texts(responses, n, "responses"), _texts(prompts, n, "prompts")
        g = None
        if groups is not None:
            groups = align_rows(groups, index, "groups")
            codes, _ = label_codes(groups, "groups")
            if len(codes) != n:
                raise errors.MismatchError(errors.Status.EMISMATCH,
                                           f"{len(codes)} groups for {n} items")
            g = (c_size_t * max(n, 1))(*[int(x) for x in codes])
        out = EvaluatorCvPtr()
        with self._use() as p:
            lib.vs_evaluator_cv_run(byref(out), p, pr, r, cdoubles(flat), g, n, folds, seed)
        return CrossValidation._wrap(out, self.space, self.level,
                                     wants_frame(as_frame, responses, labels), index)

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
    def _wrap(cls, ptr: Any, space: Optional[Space] = None, level: int = 0, frame: bool = False,
              index: Any = None) -> "CrossValidation":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        obj._space, obj._level, obj._frame, obj._index = space, level, frame, index
        return obj

    @property
    def keys(self) -> Tuple[str, ...]:
        """The dimension keys (columns of values / baseline), when known."""
        sp = getattr(self, "_space", None)
        return tuple(sp.keys(self._level)) if sp is not None else ()

    @property
    def count(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_cv_count(p)

    @property
    def dimension_count(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_cv_dimension_count(p)

    size = dimension_count  # the former name (README, "Deprecated names")

    @property
    def fold_count(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_cv_fold_count(p)

    folds = fold_count  # the former name (README, "Deprecated names")

    def metrics(self, dim: Union[int, str], fold: Optional[int] = None) -> Metrics:
        """Metrics of a dimension (its position, or its name: folded lookup) over all folds or
        one fold."""
        if isinstance(dim, str):
            sp = getattr(self, "_space", None)
            if sp is None:
                raise errors.InvalidArgument(errors.Status.EINVAL,
                                             "this result has no space: give the position")
            dim = sp.find(dim, self._level) - sp.level_offset(self._level)
        m = vs_evaluator_metrics()
        with self._use() as p:
            lib.vs_evaluator_cv_metrics(byref(m), p, dim, c_size_t(-1).value if fold is None
                                        else fold)
        return _metrics(m)

    def get(self, what: str) -> Any:
        """The out-of-fold "values" / "baseline" (n x K), "probs" (n x 3K) or each item's
        "fold" (n ints) as numpy arrays; DataFrames / a Series labelled with the dimension keys
        and the responses' index for pandas input (or as_frame=True)."""
        code = _CV_ARRAYS[what]
        with self._use() as p:
            data = read_array(lambda nd, b, c: lib.vs_evaluator_cv_get(nd, p, code, b, c))
            n = lib.vs_evaluator_cv_count(p)
        a = np.frombuffer(data, dtype=np.float64).copy() if len(data) else np.empty(0)
        frame, index = getattr(self, "_frame", False), getattr(self, "_index", None)
        if what == "fold":
            return labelled(a.astype(np.int64), frame, index=index, name="fold")
        a = a.reshape(n, len(data) // n if n else 0)
        keys = list(self.keys)
        cols: Any = keys
        if what == "probs" and frame and keys:
            import pandas as pd
            cols = pd.MultiIndex.from_product([keys, (-1, 0, 1)], names=["dimension", "class"])
        return labelled(a, frame, index=index, columns=cols or None)


@dataclass(frozen=True)
class GroupProfile:
    """One group's profile: mean and interval per dimension (numpy arrays, or Series named by
    the columns), and with a target its alignment two ways. FULCRA's: `reward`, the mean of
    the per-response BaseAlign reward (the mask on each response's own values), with
    `reward_ci`, `reward_rank` (1 = highest) and `coverage` (the share of responses with a
    value past the mask: a response with none has reward 0). Secondary: the `distance` of the
    mean vector (interval, `rank`, 1 = closest), NaN when no value of the mean passes the mask.
    `group` is the group's label as given (an int id, or a string ...)."""
    group: Any
    size: int
    mean: Any
    ci_low: Any
    ci_high: Any
    distance: float
    distance_ci: Tuple[float, float]
    rank: float
    reward: float = float("nan")
    reward_ci: Tuple[float, float] = (float("nan"), float("nan"))
    reward_rank: float = float("nan")
    coverage: float = float("nan")


class Profiles(Handle, Sequence):
    """Per-group value profiles (immutable); ``profiles[j]`` is a :class:`GroupProfile`."""

    _free_name = "vs_evaluator_profile_free"
    _kind = "profiles"
    _shared = True

    @classmethod
    def _wrap(cls, ptr: Any, parents: tuple = (), names: Optional[List[str]] = None,
              group_labels: Optional[list] = None, frame: bool = False) -> "Profiles":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents)
        obj._names, obj._group_labels, obj._frame = names, group_labels, frame
        return obj

    @property
    def names(self) -> Optional[List[str]]:
        """The columns' names (a DataFrame's, or the target's dimension keys), or None."""
        return getattr(self, "_names", None)

    def _group(self, gid: int) -> Any:
        labels = getattr(self, "_group_labels", None)
        return labels[gid] if labels is not None and gid < len(labels) else gid

    @property
    def groups(self) -> list:
        """The groups' labels, in the order of ``profiles[j]``."""
        with self._use() as p:
            return [self._group(lib.vs_evaluator_profile_group_id(p, j))
                    for j in range(lib.vs_evaluator_profile_group_count(p))]

    def get(self, what: str = "mean") -> Any:
        """"mean", "ci_low" or "ci_high" of every group: groups x k (numpy; a DataFrame indexed
        by group with the columns' names for pandas input or as_frame=True)."""
        code = {"mean": 1, "ci_low": 2, "ci_high": 3}.get(what)
        if code is None:
            raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown profile array {what!r}")
        with self._use() as p:
            k = lib.vs_evaluator_profile_dimension_count(p)
            rows = [np.asarray(read_array(
                lambda nd, b, c, j=j: lib.vs_evaluator_profile_get(nd, p, j, code, b, c), k),
                dtype=np.float64) for j in range(lib.vs_evaluator_profile_group_count(p))]
        a = np.vstack(rows) if rows else np.empty((0, k))
        return labelled(a, getattr(self, "_frame", False), index=self.groups, columns=self.names)

    def replicates(self, j: int, what: str = "mean") -> np.ndarray:
        """Group ``j``'s bootstrap resamples in resample order: "mean" (B x k, each resample's
        mean vector) or "reward" (B, each resample's mean reward; needs a target). Groups are
        resampled independently, so ``a - b`` of two groups' arrays is a bootstrap of their
        difference (``np.quantile(a - b, [0.025, 0.975], axis=0)``)."""
        code = {"mean": 1, "reward": 2}.get(what)
        if code is None:
            raise errors.InvalidArgument(errors.Status.EINVAL, f"unknown replicate array {what!r}")
        with self._use() as p:
            n = lib.vs_evaluator_profile_group_count(p)
            if not -n <= j < n:
                raise IndexError("group index out of range")
            j %= n
            b = lib.vs_evaluator_profile_replicate_count(p)
            k = lib.vs_evaluator_profile_dimension_count(p)
            a = np.asarray(read_array(
                lambda nd, buf, c: lib.vs_evaluator_profile_replicates(nd, p, j, code, buf, c),
                b * k if code == 1 else b), dtype=np.float64)
        return a.reshape(b, k) if code == 1 else a

    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_profile_group_count(p)

    @property
    def dimension_count(self) -> int:
        with self._use() as p:
            return lib.vs_evaluator_profile_dimension_count(p)

    size = dimension_count  # the former name (README, "Deprecated names")

    def __getitem__(self, j: Any) -> Any:
        if isinstance(j, slice):
            return [self[i] for i in range(len(self))[j]]
        with self._use() as p:
            n = lib.vs_evaluator_profile_group_count(p)
            if not -n <= j < n:
                raise IndexError("group index out of range")
            j %= n

            def arr(what):
                a = np.asarray(read_array(
                    lambda nd, b, c: lib.vs_evaluator_profile_get(nd, p, j, what, b, c),
                    lib.vs_evaluator_profile_dimension_count(p)), dtype=np.float64)
                return labelled(a, getattr(self, "_frame", False), index=self.names,
                                name=("mean", "ci_low", "ci_high")[what - 1])

            def scalar(what):
                v = c_double()
                lib.vs_evaluator_profile_scalar(byref(v), p, j, what)
                return v.value

            return GroupProfile(self._group(lib.vs_evaluator_profile_group_id(p, j)),
                                lib.vs_evaluator_profile_group_item_count(p, j), arr(1), arr(2), arr(3),
                                scalar(1), (scalar(2), scalar(3)), scalar(4),
                                scalar(5), (scalar(6), scalar(7)), scalar(8), scalar(9))


def profiles(values: Any, groups: Any = None, target: Any = None, *, threshold: float = 0.3,
             replicates: int = 1000, confidence: float = 0.95, seed: int = 0,
             skip: Optional[Any] = None, columns: Optional[Any] = None,
             as_frame: Optional[bool] = None) -> Profiles:
    """Per-group means with bootstrap intervals (and BaseAlign distances to
    `target`: a Vector or a built-in target name such as "default").

    `values` n x k (NaN = missing): a DataFrame (with a target its columns are matched to the
    target's dimensions by name, folded lookup; without one the names are kept), a 2-D array,
    a sequence of rows or a Matrix. `groups`: n labels of any kind (ints, strings; a Series is
    matched by index to a DataFrame's rows), None = one group."""
    if isinstance(target, str):
        from .align import align_target
        target = align_target(target)
    if isinstance(values, Matrix):
        values = np.asarray(values)
    if target is not None:
        a, index = named_matrix(values, level_matcher(target.space, target.level), skip=skip,
                                columns=columns, what="profiles values")
        names: Optional[List[str]] = list(target.keys)
    else:
        a, names, index = data_matrix(values, skip=skip, columns=columns,
                                      what="profiles values")
    a = np.ascontiguousarray(a)
    n, k = a.shape
    g, glabels = None, None
    if groups is not None:
        groups = align_rows(groups, index, "groups")
        codes, glabels = label_codes(groups, "groups")
        if len(codes) != n:
            raise errors.MismatchError(errors.Status.EMISMATCH, f"{len(codes)} groups for {n} rows")
        g = (c_size_t * max(n, 1))(*[int(x) for x in codes])
    buf = a.ctypes.data_as(ctypes.POINTER(c_double)) if a.size else None
    out = EvaluatorProfilePtr()
    frame = wants_frame(as_frame, values)
    if target is None:
        lib.vs_evaluator_profile_compute(byref(out), buf, n, k, g, None, threshold,
                                         replicates, confidence, seed)
        return Profiles._wrap(out, (), names, glabels, frame)
    with target._use() as t:
        lib.vs_evaluator_profile_compute(byref(out), buf, n, k, g, t, threshold,
                                         replicates, confidence, seed)
    return Profiles._wrap(out, (), names, glabels, frame)
