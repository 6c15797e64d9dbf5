"""Projective tests (``valuespace/projective.h``): item banks of sentence-completion stems, and
the runner that measures a :class:`~valuespace.model.Model` with a bank.

* :class:`Bank` -- immutable, shareable; ``Bank.builtin("valuelex")``, ``Bank.load(path)``,
  ``Bank.loads(json)``, :class:`BankBuilder`; ``len(bank)``, ``bank[i]`` / ``bank["id"]``
  (:class:`BankItem`), ``bank.space``, ``dumps()`` / ``save()``.
* :class:`Runner` -- ``Runner(bank, model, judge="loglik")`` or ``judge="classify"`` with a
  ``judge_model``; options as keywords (``repeats``, ``shard_index``, ``shard_count``,
  ``replicates``, ``journal``, ...); ``run()`` / ``resume()`` give a :class:`RunnerResult`
  (``scores()``, ``accumulator()``, ``failed`` and ``first_failure``, a :class:`Failure`);
  :func:`merge_journals`. The progress hook is a Python callable; an exception raised in it,
  or in the models' callbacks, propagates from the run. A run stopped because its items failed
  (the model's failure threshold, or its first ``stop_after_same_failures`` records all failed
  alike) raises :class:`~valuespace.errors.FailedError`; the journal keeps what finished.
"""

from __future__ import annotations

import ctypes
import os
import weakref
from collections.abc import Sequence
from ctypes import byref, c_char_p, c_int, c_size_t, c_uint64, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple, Optional, Sequence as TSequence, Union

from . import _callback, errors
from ._options import OptionsMixin
from ._lib import (BankBuilderPtr, BankPtr, Handle, RunnerJournalHeaderPtr, RunnerPtr, RunnerResultPtr, lib, use,
                   vs_runner_progress_fn, vs_runner_score)
from ._util import strv
from .accum import Accumulator
from .space import Space

__all__ = ["Bank", "BankBuilder", "BankItem", "builtin_bank_names", "ITEM_REVERSE", "Runner",
           "RunnerResult", "Score", "Failure", "merge_journals", "journal_field", "JournalHeader", "JUDGE_LOGLIK",
           "JUDGE_CLASSIFY", "JUDGE_CLASSIFY3", "JUDGE_CHOICE", "LABEL_HIGH", "LABEL_UNRELATED", "LABEL_LOW", "RUNNER_OPTIONS"]

ITEM_REVERSE = 1
JUDGE_LOGLIK = 0
JUDGE_CLASSIFY = 1
#: three-way classify judge: the judge model gets the labels KEY + LABEL_HIGH, KEY +
#: LABEL_UNRELATED, KEY + LABEL_LOW per dimension (projective.h, VS_RUNNER_JUDGE_CLASSIFY3)
JUDGE_CLASSIFY3 = 2
#: forced choice through generation (chat-only servers): options A/B in a seeded order
JUDGE_CHOICE = 3
LABEL_HIGH = ":high"
LABEL_UNRELATED = ":unrelated"
LABEL_LOW = ":low"
_JUDGES = {"loglik": JUDGE_LOGLIK, "classify": JUDGE_CLASSIFY, "classify3": JUDGE_CLASSIFY3,
           "choice": JUDGE_CHOICE}


def builtin_bank_names() -> tuple:
    return tuple(lib.vs_bank_builtin_name(i) for i in range(lib.vs_bank_builtin_count()))


@dataclass(frozen=True)
class BankItem:
    """One item of a bank; `dimensions` are global indices into ``bank.space``."""
    index: int
    id: str
    stem: str
    context: str
    reverse: bool
    dimensions: tuple
    high: Optional[str]
    low: Optional[str]


class Bank(Handle, Sequence):
    """An immutable item bank bound to a space (which it keeps alive)."""

    _free_name = "vs_bank_free"
    _kind = "bank"
    _shared = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use Bank.builtin(), Bank.load(), Bank.loads() or BankBuilder(...).freeze()")

    @classmethod
    def _wrap(cls, ptr, parents=()):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr, parents)
        return obj

    @classmethod
    def builtin(cls, name: str) -> "Bank":
        out = BankPtr()
        lib.vs_bank_builtin(byref(out), name)
        return cls._wrap(out)

    builtin_names = staticmethod(builtin_bank_names)

    @classmethod
    def loads(cls, text: Union[str, bytes], source_name: Optional[str] = None,
              space: Optional[Space] = None) -> "Bank":
        """A bank from JSON text (schema "valuespace/bank" v1); `space` replaces the lookup of
        the document's "space"."""
        b = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
        out = BankPtr()
        if space is None:
            lib.vs_bank_load_json(byref(out), b, len(b), source_name, None)
        else:
            with space._use() as sp:
                lib.vs_bank_load_json(byref(out), b, len(b), source_name, sp)
        return cls._wrap(out)

    @classmethod
    def load(cls, path: Union[str, os.PathLike], space: Optional[Space] = None) -> "Bank":
        out = BankPtr()
        if space is None:
            lib.vs_bank_load_file(byref(out), os.fspath(path), None)
        else:
            with space._use() as sp:
                lib.vs_bank_load_file(byref(out), os.fspath(path), sp)
        return cls._wrap(out)

    def dumps(self) -> str:
        text = c_void_p()
        with self._use() as p:
            lib.vs_bank_save_json(byref(text), p)
        try:
            return ctypes.string_at(text).decode("utf-8")
        finally:
            lib.vs_free(text)

    def save(self, path: Union[str, os.PathLike]) -> None:
        with self._use() as p:
            lib.vs_bank_save_file(p, os.fspath(path))

    # ---------------------------------------------------------------- queries

    @property
    def name(self) -> str:
        with self._use() as p:
            return lib.vs_bank_name(p)

    @property
    def description(self) -> str:
        with self._use() as p:
            return lib.vs_bank_description(p)

    @property
    def space_ref(self) -> str:
        with self._use() as p:
            return lib.vs_bank_space_ref(p)

    @property
    def space(self) -> Space:
        """The bank's space (kept alive by the bank)."""
        with self._use() as p:
            return Space._wrap(lib.vs_bank_space(p), parents=(self,), owned=False)

    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_bank_item_count(p)

    def find(self, item_id: str) -> int:
        """The index of an item by id (NotFound if none)."""
        out = c_size_t()
        with self._use() as p:
            lib.vs_bank_find_item(byref(out), p, item_id)
        return out.value

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self[j] for j in range(len(self))[key]]
        with self._use() as p:
            if isinstance(key, str):
                out = c_size_t()
                lib.vs_bank_find_item(byref(out), p, key)
                i = out.value
            else:
                n = lib.vs_bank_item_count(p)
                if not -n <= key < n:
                    raise IndexError("bank item index out of range")
                i = key % n
            stem = lib.vs_bank_item_stem(p, i)
            ctx = stem.encode("utf-8", "surrogateescape")[:lib.vs_bank_item_context_length(p, i)]
            dims = tuple(lib.vs_bank_item_dimension(p, i, k)
                         for k in range(lib.vs_bank_item_dimension_count(p, i)))
            return BankItem(i, lib.vs_bank_item_id(p, i), stem,
                            ctx.decode("utf-8", "surrogateescape"),
                            bool(lib.vs_bank_item_reverse(p, i)), dims,
                            lib.vs_bank_item_high(p, i), lib.vs_bank_item_low(p, i))

    def item_flags(self, i: int) -> int:
        with self._use() as p:
            return lib.vs_bank_item_flags(p, i)

    def dimension_item_count(self, dimension: Union[int, str]) -> int:
        """Number of items probing a dimension (global index, or a name found in the space)."""
        if isinstance(dimension, str):
            dimension = self.space.find(dimension)
        with self._use() as p:
            return lib.vs_bank_dimension_item_count(p, dimension)

    @property
    def continuation_count(self) -> int:
        with self._use() as p:
            return lib.vs_bank_continuation_count(p)

    def __repr__(self):
        if self.closed:
            return "<Bank (closed)>"
        return f"<Bank {self.name!r}: {len(self)} items over {self.space.name!r}>"


class BankBuilder(Handle):
    """Builds a bank item by item: ``BankBuilder(name, space).add(...).freeze()``."""

    _free_name = "vs_bank_builder_free"
    _kind = "bank builder"

    def __init__(self, name: str, space: Space, description: Optional[str] = None) -> None:
        out = BankBuilderPtr()
        with space._use() as sp:
            lib.vs_bank_builder_create(byref(out), name, sp)
        Handle.__init__(self, out, parents=(space,))
        if description is not None:
            self.set_description(description)

    def set_description(self, text: str) -> "BankBuilder":
        with self._use() as p:
            lib.vs_bank_builder_set_description(p, text)
        return self

    def set_space_ref(self, ref: str) -> "BankBuilder":
        with self._use() as p:
            lib.vs_bank_builder_set_space_ref(p, ref)
        return self

    def add(self, item_id: str, stem: str, dimensions: Any, *, reverse: bool = False,
            high: Optional[str] = None, low: Optional[str] = None) -> "BankBuilder":
        """Appends an item; `dimensions` are names (folded lookup) or global indices."""
        dims = list(dimensions) if not isinstance(dimensions, (str, int)) else [dimensions]
        flags = ITEM_REVERSE if reverse else 0
        with self._use() as p:
            if all(isinstance(d, int) for d in dims):
                arr = (c_size_t * max(len(dims), 1))(*dims)
                lib.vs_bank_builder_add_item_indexed(p, item_id, stem, arr, len(dims), flags,
                                                     high, low)
            else:
                lib.vs_bank_builder_add_item(p, item_id, stem, strv(dims, "dimension"),
                                             len(dims), flags, high, low)
        return self

    def freeze(self) -> Bank:
        out = BankPtr()
        with self._use() as p:
            lib.vs_bank_builder_freeze(byref(out), p)
        return Bank._wrap(out)


# ================================================================ runner

# name: (vs_runner_option, kind)
RUNNER_OPTIONS = {
    "repeats": (1, "int"),
    "shard_index": (2, "int"),
    "shard_count": (3, "int"),
    "replicates": (4, "int"),
    "fsync": (5, "int"),
    "max_tokens": (6, "int"),
    "temperature": (7, "double"),
    "model_id": (8, "str"),
    "judge_id": (9, "str"),
    "bank_ref": (10, "str"),
    "journal": (11, "str"),
}


@dataclass(frozen=True)
class Score:
    """Score of one dimension: 100 x the share of its related judgements that are high (the
    exact mean of their values), with a 95% percentile bootstrap interval (NaN when undefined).
    ``n`` counts the judgements, ``n_related`` those that are high or low (not unrelated),
    ``coverage`` = n_related / n (NaN when n = 0). ``score`` is None when n_related is 0: no
    related judgement gives no score (never 0, 50 or 100)."""
    key: str
    level: str
    n: int
    score: Optional[float]
    ci_low: float
    ci_high: float
    n_related: int = 0
    coverage: float = float("nan")


class Failure(NamedTuple):
    """The first failed record of a run (:attr:`RunnerResult.first_failure`): its item id,
    repeat, ``VS_MODEL_ITEM_*`` status (:data:`valuespace.model.ITEM_PERMANENT`, ...) and error
    message ("" when it had none)."""
    item: str
    repeat: int
    status: int
    message: str

    @property
    def status_name(self) -> str:
        """"transient", "permanent", "bad_output", ... (valuespace.model.STATUS_NAMES)."""
        from .model import STATUS_NAMES
        return STATUS_NAMES[self.status] if 0 <= self.status < len(STATUS_NAMES) else str(self.status)


class RunnerResult(Handle, Sequence):
    """Immutable result of a run or merge: ``done``, ``failed``, ``first_failure``,
    ``result[i]`` / ``scores()`` (:class:`Score` per reported dimension), ``accumulator()`` (a
    copy of the accumulator behind the scores; serialise it to merge shards)."""

    _free_name = "vs_runner_result_free"
    _kind = "runner result"
    _shared = True

    @classmethod
    def _wrap(cls, ptr):
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        return obj

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("results come from Runner.run(), Runner.resume() or merge_journals()")

    @property
    def done(self) -> int:
        with self._use() as p:
            return lib.vs_runner_result_done(p)

    @property
    def failed(self) -> int:
        with self._use() as p:
            return lib.vs_runner_result_failed(p)

    @property
    def first_failure(self) -> Optional[Failure]:
        """The first record that failed (in the order records finished, or journal order for
        :func:`merge_journals`) as a :class:`Failure`, or None when none failed -- e.g. to say
        why ``failed`` is not 0 and the scores are NaN."""
        item, message = c_char_p(), c_char_p()
        repeat, status = c_uint64(), c_int()
        with self._use() as p:
            try:
                lib.vs_runner_result_first_failure(p, byref(item), byref(repeat), byref(status),
                                                   byref(message))
            except errors.NotFound:
                return None
            return Failure(_text(item.value), repeat.value, status.value, _text(message.value))

    def __len__(self):
        with self._use() as p:
            return lib.vs_runner_result_dimension_count(p)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(len(self))[i]]
        with self._use() as p:
            n = lib.vs_runner_result_dimension_count(p)
            if not -n <= i < n:
                raise IndexError("dimension index out of range")
            i %= n
            s = vs_runner_score()
            lib.vs_runner_result_score(byref(s), p, i)
            return Score(lib.vs_runner_result_dimension_key(p, i),
                         lib.vs_runner_result_dimension_level(p, i), s.n,
                         None if s.n_related == 0 else s.score, s.ci_low, s.ci_high, s.n_related,
                         s.coverage)

    @property
    def position(self) -> tuple:
        """Position bias of a choice run: (answers that took option A, answers counted); (0, 0)
        for other judges (vs_runner_result_position)."""
        first, answers = c_uint64(), c_uint64()
        with self._use() as p:
            lib.vs_runner_result_position(p, byref(first), byref(answers))
        return first.value, answers.value

    def scores(self) -> dict:
        """{dimension key: Score}."""
        return {s.key: s for s in self}

    def accumulator(self) -> Accumulator:
        """A copy of the accumulator behind the scores (one dimension per reported dimension,
        named by the dimensions' keys)."""
        with self._use() as p:
            borrowed = Accumulator.__new__(Accumulator)
            Handle.__init__(borrowed, lib.vs_runner_result_accum(p), parents=(self,), owned=False)
            keys = [lib.vs_runner_result_dimension_key(p, i)
                    for i in range(lib.vs_runner_result_dimension_count(p))]
            borrowed._names = tuple(keys) if len(set(keys)) == len(keys) else None
            return borrowed.clone()

    def __repr__(self):
        if self.closed:
            return "<RunnerResult (closed)>"
        return f"<RunnerResult done={self.done} failed={self.failed} dims={len(self)}>"


def _text(b) -> str:
    return "" if b is None else b.decode("utf-8", "surrogateescape")


def _progress_impl(st, done, total):
    st.progress(done, total)
    return 0


def _progress(user_data, done, total):
    st = _callback.lookup(user_data)
    if st is None or st.progress is None:
        return 0
    return st.call(_progress_impl, (st, done, total), 1)


_C_PROGRESS = vs_runner_progress_fn(_progress)


class Runner(OptionsMixin, Handle):
    """Measures `model` with `bank`. ``judge="loglik"`` (forced choice with the model's
    loglikelihood), ``"classify"`` (the model generates, `judge_model` answers P(high) per
    dimension) or ``"classify3"`` (`judge_model` answers p(high), p(unrelated), p(low) per
    dimension, for the labels KEY + LABEL_HIGH, LABEL_UNRELATED, LABEL_LOW) or ``"choice"`` (the
    model's generate answers A or B for the keyed continuations; see ``RunnerResult.position``).
    Options as keywords (see RUNNER_OPTIONS), ``seed=``, ``progress=fn(done, total)``."""

    _free_name = "vs_runner_free"
    _kind = "runner"
    _opt_prefix = "vs_runner"
    _opt_table = RUNNER_OPTIONS
    _opt_what = "runner"

    def __init__(self, bank: Bank, model: Any, judge: Union[str, int] = "loglik",
                 judge_model: Any = None, *, seed: int = 0,
                 progress: Optional[Callable[[int, int], Any]] = None, **options: Any) -> None:
        j = _JUDGES.get(judge, judge)
        out = RunnerPtr()
        handles = [bank, model] + ([judge_model] if judge_model is not None else [])
        with use(*handles, shared=False) as ptrs:
            lib.vs_runner_create(byref(out), ptrs[0], ptrs[1], int(j),
                                 ptrs[2] if judge_model is not None else None)
        self._init(out, bank, model, judge_model, seed, progress, options)

    def _init(self, out, bank, model, judge_model, seed, progress, options):
        Handle.__init__(self, out, parents=tuple(h for h in (bank, model, judge_model) if h))
        self.bank, self.model, self.judge_model = bank, model, judge_model
        self._state = _callback.CallbackState(progress=None)
        weakref.finalize(self, _callback.unregister, _callback.register(self._state))
        if seed:
            self.set_seed(seed)
        for name, value in options.items():
            self.set(name, value)
        if progress is not None:
            self.set_progress(progress)

    @classmethod
    def from_journal(cls, journal: Union[str, os.PathLike], bank: Bank, model: Any,
                     judge_model: Any = None, *,
                     progress: Optional[Callable[[int, int], Any]] = None) -> "Runner":
        """A runner configured from a journal's header, for :meth:`resume`."""
        out = RunnerPtr()
        handles = [bank, model] + ([judge_model] if judge_model is not None else [])
        with use(*handles, shared=False) as ptrs:
            lib.vs_runner_create_from_journal(byref(out), os.fspath(journal), ptrs[0], ptrs[1],
                                              ptrs[2] if judge_model is not None else None)
        obj = cls.__new__(cls)
        obj._init(out, bank, model, judge_model, 0, progress, {})
        return obj

    @classmethod
    def rejudge(cls, source_journal: Union[str, os.PathLike], bank: Bank, judge_model: Any,
                judge: Union[str, int] = "classify3", *,
                progress: Optional[Callable[[int, int], Any]] = None, **options: Any) -> "Runner":
        """A runner that scores the completions recorded in `source_journal` (a classify run of
        `bank`) with `judge_model`, without calling the model that generated them
        (vs_runner_create_rejudge). Configured from the source's header; set ``journal=`` (a
        new file), ``judge_id=`` and, if wanted, a shard, then :meth:`run` or :meth:`resume`.
        With the source's own judge the scores are the source's, bit for bit."""
        out = RunnerPtr()
        with use(bank, judge_model, shared=False) as ptrs:
            lib.vs_runner_create_rejudge(byref(out), os.fspath(source_journal), ptrs[0],
                                         int(_JUDGES.get(judge, judge)), ptrs[1])
        obj = cls.__new__(cls)
        obj._init(out, bank, None, judge_model, 0, progress, options)
        return obj

    @classmethod
    def from_header(cls, header: "JournalHeader", bank: Bank, model: Any, judge_model: Any = None, *,
                    progress: Optional[Callable[[int, int], Any]] = None) -> "Runner":
        """:meth:`from_journal` from a header read once with :class:`JournalHeader`."""
        out = RunnerPtr()
        handles = [bank, model] + ([judge_model] if judge_model is not None else [])
        with use(*handles, shared=False) as ptrs:
            lib.vs_runner_create_from_header(byref(out), header._ptr, ptrs[0], ptrs[1],
                                             ptrs[2] if judge_model is not None else None)
        obj = cls.__new__(cls)
        obj._init(out, bank, model, judge_model, 0, progress, {})
        return obj

    def set_seed(self, seed: int) -> "Runner":
        with self._use() as p:
            lib.vs_runner_set_seed(p, int(seed))
        return self

    def set_progress(self, fn: Optional[Callable[[int, int], Any]]) -> "Runner":
        """fn(done, total) after each record; raising stops the run (the exception propagates)."""
        with self._use() as p:
            lib.vs_runner_set_progress(p, _C_PROGRESS if fn is not None else None,
                                       self._state.key if fn is not None else None)
        self._state.progress = fn
        return self

    def _go(self, func) -> RunnerResult:
        out = RunnerResultPtr()
        models = [m for m in (self.model, self.judge_model) if m is not None]  # no model: a rejudge
        if len(models) == 2 and models[0] is models[1]:
            models = models[:1]
        states = [self._state] + [m._state for m in models]
        _callback.not_running(*states)
        with use(self, *models, shared=False) as ptrs:
            with _callback.active(*states):
                func(byref(out), ptrs[0])
        return RunnerResult._wrap(out)

    def run(self) -> RunnerResult:
        return self._go(lib.vs_runner_run)

    def resume(self) -> RunnerResult:
        return self._go(lib.vs_runner_resume)


def merge_journals(paths: TSequence[Union[str, os.PathLike]]) -> RunnerResult:
    """The result of the unsharded run from the journals of its shards."""
    ps = [os.fspath(p) for p in paths]
    out = RunnerResultPtr()
    lib.vs_runner_merge_journals(byref(out), strv(ps, "path"), len(ps))
    return RunnerResult._wrap(out)


class JournalHeader:
    """A journal's header, read once without its records (``vs_runner_journal_header_read``):
    its string fields by name (``header["model"]``) and :meth:`Runner.from_header`."""

    def __init__(self, path: Union[str, os.PathLike]) -> None:
        ptr = RunnerJournalHeaderPtr()
        lib.vs_runner_journal_header_read(byref(ptr), os.fspath(path))
        self._ptr = ptr
        weakref.finalize(self, lib.vs_runner_journal_header_free, ptr)

    def __getitem__(self, field: str) -> str:
        value = lib.vs_runner_journal_header_field(self._ptr, field)
        if value is None:
            raise KeyError(field)
        return value


def journal_field(path: Union[str, os.PathLike], field: str) -> str:
    """A string field of a journal's header ("bank", "model", "seed", ...)."""
    text = c_void_p()
    lib.vs_runner_journal_field(byref(text), os.fspath(path), field)
    try:
        return ctypes.string_at(text).decode("utf-8")
    finally:
        lib.vs_free(text)
