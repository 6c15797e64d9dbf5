"""Model callbacks from Python (``valuespace/model.h``).

Any Python object with one or more of the methods

* ``generate(batch)`` -- `batch` is a list of :class:`GenRequest` (with ``seed`` set to the
  per-item seed); returns one ``str`` per request;
* ``loglikelihood(batch)`` -- a list of :class:`LoglikRequest`; returns one ``float`` (natural
  log, <= 0) or ``(float, is_greedy)`` per request;
* ``embed(batch, dim)`` -- a list of :class:`TextRequest`; returns one sequence of `dim`
  floats per request;
* ``classify(batch, labels)`` -- a list of :class:`TextRequest` and the labels; returns one
  sequence of ``len(labels)`` probabilities per request

becomes a model with ``Model(obj)``. Outputs go to the library through vs_model_set_text /
vs_model_set_vector (copied and validated there: an invalid output makes only that item a
``bad_output`` failure).

Failures:

* an entry of the returned list may be a :class:`Transient` (retried with the model's backoff)
  or :class:`Permanent` exception *instance*: that item fails (its message goes to
  vs_model_set_error);
* raising :class:`Transient` from the method fails the whole batch transiently (every item is
  retried); raising :class:`Permanent` fails every item of the batch for good;
* raising anything else stops the run, and the run method raises **that exception** (the
  trampoline stores it, returns a fatal code to C, and the wrapper re-raises it after the C call
  returns; see valuespace._callback);
* items that fail stop the run with :class:`~valuespace.errors.FailedError` (``VS_EFAILED``)
  beyond the failure threshold (options ``max_failed``, ``max_failed_fraction``), or when the
  first ``stop_after_same_failures`` items (default 20, 0 = never) all failed with the same
  status and message -- a server that is down fails fast instead of failing every request.

Runs (:meth:`Model.generate`, :meth:`~Model.loglikelihood`, :meth:`~Model.embed`,
:meth:`~Model.classify`) return a :class:`ModelResults`. Results never depend on the batch size
(``max_batch``). The sleep hook (``sleep=``, e.g. to test backoff without waiting) and the item
hook (``item_hook=``, called with an :class:`Item` as soon as it is final) are Python callables
too; an exception raised in them also propagates from the run.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from ctypes import POINTER, byref, c_char_p, c_double, c_int, c_size_t, cast, pointer
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

import numpy as np

from . import _callback, errors
from ._convert import labelled, name_matcher, named_values
from ._options import OptionsMixin
from ._lib import (DESTROY_FN, MODEL_CLASSIFY_FN, MODEL_EMBED_FN, MODEL_GENERATE_FN,
                   MODEL_LOGLIK_FN, CancelPtr, Handle, ModelPtr, ModelResultsPtr, lib, use,
                   vs_model_callbacks, vs_model_gen_request, vs_model_item_fn,
                   vs_model_loglik_request, vs_model_sleep_fn, vs_model_text_request)
from ._util import encode, strv

__all__ = ["Model", "ModelResults", "Cancel", "GenRequest", "LoglikRequest", "TextRequest",
           "Item", "Transient", "Permanent", "item_seed", "GENERATE", "LOGLIKELIHOOD", "EMBED",
           "CLASSIFY", "ITEM_OK", "ITEM_TRANSIENT", "ITEM_PERMANENT", "ITEM_BAD_OUTPUT",
           "ITEM_NOT_RUN", "STATUS_NAMES", "OPTIONS"]

GENERATE, LOGLIKELIHOOD, EMBED, CLASSIFY = 0, 1, 2, 3
KINDS = ("generate", "loglikelihood", "embed", "classify")
ITEM_OK, ITEM_TRANSIENT, ITEM_PERMANENT, ITEM_BAD_OUTPUT, ITEM_NOT_RUN = 0, 1, 2, 3, 4
STATUS_NAMES = ("ok", "transient", "permanent", "bad_output", "not_run")
_FATAL = int(errors.Status.ECALLBACK)

# name: (vs_model_option, "int" | "double")
OPTIONS = {
    "max_batch": (1, "int"),
    "max_attempts": (2, "int"),
    "backoff_base": (3, "double"),
    "backoff_max": (4, "double"),
    "max_failed": (5, "int"),
    "max_failed_fraction": (6, "double"),
    "max_text_bytes": (7, "int"),
    "stop_after_same_failures": (8, "int"),
}


class Transient(Exception):
    """A transient failure (HTTP 429/503, a time-out): the item (or batch) is retried."""


class Permanent(Exception):
    """A permanent failure of an item: retrying would not help."""


def item_seed(run_seed: int, item_id: Optional[str], repeat: int = 0) -> int:
    """vs_model_item_seed(): the documented per-item seed."""
    return lib.vs_model_item_seed(run_seed, None if item_id is None else encode(item_id), repeat)


# ------------------------------------------------------------------ requests

@dataclass
class GenRequest:
    """A generation request: a plain `prompt`, or chat `messages` [(role, content), ...]."""
    prompt: Optional[str] = None
    messages: Optional[Sequence] = None
    id: Optional[str] = None
    repeat: int = 0
    max_tokens: int = 0
    temperature: float = 1.0
    stop: Sequence = ()
    seed: int = 0  #: set by the library in requests passed to a callback (ignored on input)


@dataclass
class LoglikRequest:
    """log P(continuation | context)."""
    context: str
    continuation: str
    id: Optional[str] = None


@dataclass
class TextRequest:
    """A text to embed or classify (with an optional context, e.g. its prompt)."""
    text: str
    context: Optional[str] = None
    id: Optional[str] = None


def _s(b) -> Optional[str]:
    return None if b is None else b.decode("utf-8", "surrogateescape")


def _strs(ptr, n) -> list:
    return [_s(ptr[i]) for i in range(n)]


def _gen_from_c(r) -> GenRequest:
    n = r.n_messages
    return GenRequest(prompt=_s(r.prompt),
                      messages=list(zip(_strs(r.roles, n), _strs(r.contents, n))) if n else None,
                      id=_s(r.id), repeat=r.repeat, max_tokens=r.max_tokens,
                      temperature=r.temperature, stop=tuple(_strs(r.stop, r.n_stop)), seed=r.seed)


# ------------------------------------------------------------------ trampolines

def _fail_item(batch, i, status, exc, code):
    status[i] = code
    msg = str(exc) or type(exc).__name__
    try:
        lib.vs_model_set_error(batch, i, encode(msg.replace("\0", " ")))
    except errors.ValueSpaceError:
        pass


def _item_failure(out):
    if isinstance(out, Transient):
        return ITEM_TRANSIENT
    if isinstance(out, Permanent):
        return ITEM_PERMANENT
    return None


def _run_batch(st, method, args, batch, n, status, store):
    """Calls the user's method and distributes its outputs; returns the callback's result."""
    try:
        outputs = method(*args)
    except Transient:
        return ITEM_TRANSIENT
    except Permanent as exc:
        for i in range(n):
            _fail_item(batch, i, status, exc, ITEM_PERMANENT)
        return 0
    outputs = list(outputs)
    if len(outputs) != n:
        raise ValueError(f"{method.__qualname__} returned {len(outputs)} outputs for a batch "
                         f"of {n} requests")
    for i, out in enumerate(outputs):
        code = _item_failure(out)
        if code is not None:
            _fail_item(batch, i, status, out, code)
            continue
        try:
            store(i, out)
        except errors.ValueSpaceError:
            pass  # the library marks the item bad_output (an invalid text or vector)
    return 0


def _set_text(batch):
    def store(i, text):
        if text is None:
            return
        b = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
        lib.vs_model_set_text(batch, i, b, len(b))
    return store


def _set_vector(batch):
    def store(i, values):
        if values is None:
            return
        vals = [float(v) for v in values]
        lib.vs_model_set_vector(batch, i, (c_double * max(len(vals), 1))(*vals), len(vals))
    return store


def _generate_impl(st, batch, requests, n, status):
    reqs = [_gen_from_c(requests[i][0]) for i in range(n)]
    return _run_batch(st, st.obj.generate, (reqs,), batch, n, status, _set_text(batch))


def _loglik_impl(st, batch, requests, n, logprob, is_greedy, status):
    reqs = []
    for i in range(n):
        r = requests[i][0]
        reqs.append(LoglikRequest(_s(r.context), _s(r.continuation), _s(r.id)))

    def store(i, out):
        if isinstance(out, tuple):
            lp, greedy = out
        else:
            lp, greedy = out, None
        logprob[i] = float(lp)
        if is_greedy and greedy is not None:
            is_greedy[i] = 1 if greedy else 0

    return _run_batch(st, st.obj.loglikelihood, (reqs,), batch, n, status, store)


def _text_reqs(requests, n):
    out = []
    for i in range(n):
        r = requests[i][0]
        out.append(TextRequest(_s(r.text), _s(r.context), _s(r.id)))
    return out


def _embed_impl(st, batch, requests, n, dim, status):
    return _run_batch(st, st.obj.embed, (_text_reqs(requests, n), dim), batch, n, status,
                      _set_vector(batch))


def _classify_impl(st, batch, requests, n, labels, n_labels, status):
    names = _strs(labels, n_labels)
    store_vector = _set_vector(batch)
    matcher = name_matcher(names, "the request's labels")

    def store(i, out):  # a sequence in label order, or a dict / Series keyed by label
        store_vector(i, None if out is None else named_values(out, matcher, "classify output"))

    return _run_batch(st, st.obj.classify, (_text_reqs(requests, n), names), batch, n, status,
                      store)


def _dispatch(impl):
    def trampoline(user_data, *args):
        st = _callback.lookup(user_data)
        if st is None:
            return _FATAL
        return st.call(impl, (st,) + args, _FATAL)
    return trampoline


def _destroy(user_data):
    _callback.unregister(user_data)


def _sleep_impl(st, seconds):
    st.sleep(seconds)


def _sleep(user_data, seconds):
    st = _callback.lookup(user_data)
    if st is not None and st.sleep is not None:
        st.call(_sleep_impl, (st, seconds), None)


def _hook_impl(st, results, index):
    st.item_hook(_item(results, index))
    return 0


def _item_hook(user_data, results, index):
    st = _callback.lookup(user_data)
    if st is None or st.item_hook is None:
        return 0
    return st.call(_hook_impl, (st, results, index), 1)


# Module-level C function pointers: they live as long as the process, so a model C keeps
# (e.g. inside a runner) never calls a collected CFUNCTYPE object.
_C_GENERATE = MODEL_GENERATE_FN(_dispatch(_generate_impl))
_C_LOGLIK = MODEL_LOGLIK_FN(_dispatch(_loglik_impl))
_C_EMBED = MODEL_EMBED_FN(_dispatch(_embed_impl))
_C_CLASSIFY = MODEL_CLASSIFY_FN(_dispatch(_classify_impl))
_C_DESTROY = DESTROY_FN(_destroy)
_C_SLEEP = vs_model_sleep_fn(_sleep)
_C_ITEM_HOOK = vs_model_item_fn(_item_hook)


# ------------------------------------------------------------------ results

@dataclass(frozen=True)
class Item:
    """The outcome of one item of a run."""
    index: int
    status: str
    attempts: int
    latency: float
    error: str
    output: Any = None  #: text, logprob (or (logprob, is_greedy)), or a list of floats


def _output(p, kind, i):
    if lib.vs_model_results_status(p, i) != ITEM_OK:
        return None
    if kind == GENERATE:
        return lib.vs_model_results_text(p, i)
    if kind == LOGLIKELIHOOD:
        lp, g = c_double(), c_int()
        lib.vs_model_results_loglik(byref(lp), byref(g), p, i)
        return lp.value if g.value < 0 else (lp.value, bool(g.value))
    if kind in (EMBED, CLASSIFY):
        d = lib.vs_model_results_dim(p)
        buf = (c_double * max(d, 1))()
        needed = c_size_t()
        lib.vs_model_results_vector(byref(needed), p, i, buf, d)
        return list(buf[:d])
    return None


def _item(p, i) -> Item:
    st = lib.vs_model_results_status(p, i)
    return Item(i, STATUS_NAMES[st], lib.vs_model_results_attempts(p, i),
                lib.vs_model_results_latency(p, i), lib.vs_model_results_error(p, i),
                _output(p, lib.vs_model_results_kind(p), i))


class ModelResults(Handle, Sequence):
    """Per-item outcomes of a run: ``results[i]`` is an :class:`Item`; ``outputs()`` the
    outputs (None for failed items). Reusable: pass it to another run with ``results=``."""

    _free_name = "vs_model_results_free"
    _kind = "model results"

    def __init__(self) -> None:
        out = ModelResultsPtr()
        lib.vs_model_results_create(byref(out))
        Handle.__init__(self, out)

    def __len__(self):
        with self._use() as p:
            return lib.vs_model_results_item_count(p)

    @property
    def kind(self) -> Optional[str]:
        with self._use() as p:
            k = lib.vs_model_results_kind(p)
        return KINDS[k] if 0 <= k < len(KINDS) else None

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        with self._use() as p:
            n = lib.vs_model_results_item_count(p)
            if not -n <= i < n:
                raise IndexError("result index out of range")
            return _item(p, i % n)

    def status(self, i: int) -> str:
        with self._use() as p:
            return STATUS_NAMES[lib.vs_model_results_status(p, i)]

    def count(self, status: Union[str, int]) -> int:
        """Number of items whose final status is `status` ("ok", "transient", ...)."""
        code = STATUS_NAMES.index(status) if isinstance(status, str) else int(status)
        with self._use() as p:
            return lib.vs_model_results_count(p, code)

    def outputs(self) -> list:
        """Every item's output (see :class:`Item`; None for a failed item)."""
        with self._use() as p:
            kind = lib.vs_model_results_kind(p)
            return [_output(p, kind, i) for i in range(lib.vs_model_results_item_count(p))]

    def vectors(self, *, as_frame: bool = False, columns: Optional[Sequence[str]] = None) -> Any:
        """The vectors of an embed / classify run as an n x dim numpy array (NaN rows for the
        items that failed); ``as_frame=True``: a DataFrame (`columns`, e.g. the classify
        labels)."""
        with self._use() as p:
            kind = lib.vs_model_results_kind(p)
            if kind not in (EMBED, CLASSIFY):
                raise errors.InvalidArgument(errors.Status.EINVAL,
                                             "vectors() needs the results of embed or classify")
            n, d = lib.vs_model_results_item_count(p), lib.vs_model_results_dim(p)
            out = np.full((n, d), np.nan)
            for i in range(n):
                v = _output(p, kind, i)
                if v is not None:
                    out[i] = v
        return labelled(out, as_frame, columns=list(columns) if columns is not None else None)

    @property
    def dim(self) -> int:
        with self._use() as p:
            return lib.vs_model_results_dim(p)

    def __repr__(self):
        if self.closed:
            return "<ModelResults (closed)>"
        return f"<ModelResults {self.kind}: {len(self)} items, {self.count('ok')} ok>"


# ------------------------------------------------------------------ cancellation, models

class Cancel(Handle):
    """A cancellation token: ``request()`` from any thread stops the runs of models using it
    (they raise :class:`~valuespace.errors.Cancelled`)."""

    _free_name = "vs_cancel_free"
    _kind = "cancel token"
    _shared = True  # atomic flag

    def __init__(self) -> None:
        out = CancelPtr()
        lib.vs_cancel_create(byref(out))
        Handle.__init__(self, out)

    def request(self) -> None:
        with self._use() as p:
            lib.vs_cancel_request(p)

    def reset(self) -> None:
        with self._use() as p:
            lib.vs_cancel_reset(p)

    @property
    def requested(self) -> bool:
        with self._use() as p:
            return bool(lib.vs_cancel_requested(p))


def _gen_to_c(r, i, keep):
    if isinstance(r, str):
        r = GenRequest(prompt=r)
    c = vs_model_gen_request()
    c.max_tokens = r.max_tokens
    c.id = keep(encode(r.id, "id")) if r.id is not None else None
    c.repeat = r.repeat
    c.prompt = keep(encode(r.prompt, "prompt")) if r.prompt is not None else None
    if r.messages:
        roles = keep(strv([m[0] for m in r.messages], "role"))
        contents = keep(strv([m[1] for m in r.messages], "content"))
        c.n_messages = len(r.messages)
        c.roles = cast(roles, POINTER(c_char_p))
        c.contents = cast(contents, POINTER(c_char_p))
    c.temperature = r.temperature
    if r.stop:
        stop = keep(strv(list(r.stop), "stop"))
        c.n_stop = len(r.stop)
        c.stop = cast(stop, POINTER(c_char_p))
    return c


def _loglik_to_c(r, i, keep):
    if isinstance(r, tuple):
        r = LoglikRequest(*r)
    c = vs_model_loglik_request()
    c.id = keep(encode(r.id, "id")) if r.id is not None else None
    c.context = keep(encode(r.context, "context"))
    c.continuation = keep(encode(r.continuation, "continuation"))
    return c


def _text_to_c(r, i, keep):
    if isinstance(r, str):
        r = TextRequest(r)
    c = vs_model_text_request()
    c.id = keep(encode(r.id, "id")) if r.id is not None else None
    c.text = keep(encode(r.text, "text"))
    c.context = keep(encode(r.context, "context")) if r.context is not None else None
    return c


def _request_array(requests, convert, ctype):
    keep = []

    def k(obj):
        keep.append(obj)
        return obj

    structs = [convert(r, i, k) for i, r in enumerate(requests)]
    ptrs = (POINTER(ctype) * max(len(structs), 1))(*[pointer(s) for s in structs])
    return ptrs, (structs, keep)


class Model(OptionsMixin, Handle):
    """A model backed by a Python object (see the module docstring).

    ``Model(obj, seed=0, sleep=None, item_hook=None, cancel=None, **options)`` with options
    ``max_batch``, ``max_attempts``, ``backoff_base``, ``backoff_max``, ``max_failed``,
    ``max_failed_fraction``, ``max_text_bytes``, ``stop_after_same_failures``. The kinds the
    object supports are the methods it has (``model.supports("embed")``).

    A run stops with :class:`~valuespace.errors.FailedError` (the partial results attached as
    ``exc.results``) when more items failed than ``max_failed`` (default -1: no limit) or
    ``max_failed_fraction`` (default 1) allow, or when its first ``stop_after_same_failures``
    items (default 20; 0 = never) all failed with the same status and message."""

    _free_name = "vs_model_free"
    _kind = "model"
    _opt_prefix = "vs_model"
    _opt_table = OPTIONS
    _opt_what = "model"

    def __init__(self, obj: Any, *, seed: int = 0, sleep: Optional[Callable[[float], Any]] = None,
                 item_hook: Optional[Callable[..., Any]] = None,
                 cancel: Optional[Cancel] = None, **options: Any) -> None:
        table = vs_model_callbacks()
        kinds = []
        for name, cfn, attr in (("generate", _C_GENERATE, "generate"),
                                ("loglikelihood", _C_LOGLIK, "loglikelihood"),
                                ("embed", _C_EMBED, "embed"), ("classify", _C_CLASSIFY, "classify")):
            if callable(getattr(obj, attr, None)):
                setattr(table, name, cfn)
                kinds.append(name)
        if not kinds:
            raise errors.InvalidArgument(
                errors.Status.EINVAL,
                f"{type(obj).__name__} has none of generate, loglikelihood, embed, classify")
        table.destroy = _C_DESTROY
        self._state = _callback.CallbackState(obj=obj, sleep=None, item_hook=None)
        key = _callback.register(self._state)
        out = ModelPtr()
        try:
            lib.vs_model_create(byref(out), byref(table), key)
        except BaseException:
            _callback.unregister(key)  # the caller still owns user_data when create fails
            raise
        Handle.__init__(self, out)
        self.obj = obj
        self._cancel = None
        if seed:
            self.seed = seed
        for name, value in options.items():
            self.set(name, value)
        if sleep is not None:
            self.set_sleep(sleep)
        if item_hook is not None:
            self.set_item_hook(item_hook)
        if cancel is not None:
            self.set_cancel(cancel)

    @classmethod
    def _adopt(cls, ptr, parents=(), pinned=()) -> "Model":
        """Wraps a model the library made (Evaluator.as_judge()): `parents` stay alive as long
        as the model, and the `pinned` handles are held (not closable) during its runs."""
        model = cls.__new__(cls)
        Handle.__init__(model, ptr, parents)
        model._state = _callback.CallbackState(obj=None, sleep=None, item_hook=None)
        weakref.finalize(model, _callback.unregister, _callback.register(model._state))
        model.obj = None
        model._cancel = None
        model._pinned = tuple(pinned)
        return model

    # ---------------------------------------------------------------- options

    def supports(self, kind: Union[str, int]) -> bool:
        k = KINDS.index(kind) if isinstance(kind, str) else int(kind)
        with self._use() as p:
            return bool(lib.vs_model_supports(p, k))

    @property
    def seed(self) -> int:
        with self._use() as p:
            return lib.vs_model_get_seed(p)

    @seed.setter
    def seed(self, value: int) -> None:
        with self._use() as p:
            lib.vs_model_set_seed(p, int(value))

    def set_cancel(self, cancel: Optional[Cancel]) -> "Model":
        """Uses a cancellation token (the model keeps a reference), or none."""
        if cancel is None:
            with self._use() as p:
                lib.vs_model_set_cancel(p, None)
        else:
            with use(self, cancel, shared=False) as (p, c):
                lib.vs_model_set_cancel(p, c)
        self._cancel = cancel
        return self

    def set_sleep(self, fn: Optional[Callable[[float], Any]]) -> "Model":
        """fn(seconds) replaces the backoff sleep (None restores the default)."""
        with self._use() as p:
            lib.vs_model_set_sleep(p, _C_SLEEP if fn is not None else None,
                                   self._state.key if fn is not None else None)
        self._state.sleep = fn
        return self

    def set_item_hook(self, fn: Optional[Callable[..., Any]]) -> "Model":
        """fn(item: Item) is called as soon as each item is final; raising stops the run
        (the exception propagates). None removes it."""
        with self._use() as p:
            lib.vs_model_set_item_hook(p, _C_ITEM_HOOK if fn is not None else None,
                                       self._state.key if fn is not None else None)
        self._state.item_hook = fn
        return self

    # ---------------------------------------------------------------- runs

    def _run(self, results, call):
        _callback.not_running(self._state)
        results = ModelResults() if results is None else results
        with use(self, results, *getattr(self, "_pinned", ()), shared=False) as (p, r, *_):
            try:
                with _callback.active(self._state):
                    call(r, p)
            except errors.ValueSpaceError as exc:
                exc.results = results
                raise
        return results

    def generate(self, requests: Any, results: Optional[ModelResults] = None) -> ModelResults:
        """Generates text for each request (a :class:`GenRequest` or a prompt string)."""
        arr, keep = _request_array(requests, _gen_to_c, vs_model_gen_request)
        n = len(requests)
        return self._run(results, lambda r, p: lib.vs_model_generate(r, p, arr, n))

    def loglikelihood(self, requests: Any, results: Optional[ModelResults] = None, *,
                      want_greedy: bool = False) -> ModelResults:
        """log P(continuation | context) for each request (a :class:`LoglikRequest` or a
        (context, continuation) tuple)."""
        arr, keep = _request_array(requests, _loglik_to_c, vs_model_loglik_request)
        n = len(requests)
        flags = 1 if want_greedy else 0
        return self._run(results, lambda r, p: lib.vs_model_loglikelihood(r, p, arr, n, flags))

    def embed(self, requests: Any, dim: int, results: Optional[ModelResults] = None) -> ModelResults:
        """Embeds each request (a :class:`TextRequest` or a string) into `dim` floats."""
        arr, keep = _request_array(requests, _text_to_c, vs_model_text_request)
        n = len(requests)
        return self._run(results, lambda r, p: lib.vs_model_embed(r, p, arr, n, dim))

    def classify(self, requests: Any, labels: Sequence[str], results: Optional[ModelResults] = None) -> ModelResults:
        """One probability per label for each request (a :class:`TextRequest` or a string)."""
        arr, keep = _request_array(requests, _text_to_c, vs_model_text_request)
        labs = strv(list(labels), "label")
        n, nl = len(requests), len(labels)
        return self._run(results, lambda r, p: lib.vs_model_classify(r, p, arr, n, labs, nl))

    def __repr__(self):
        return f"<Model {type(self.obj).__name__}{' (closed)' if self.closed else ''}>"
