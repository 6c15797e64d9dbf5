"""ValueLex construction (``valuespace/lexical.h``): elicit value words from models, parse
them into terms, factor-analyse the response x term matrix, cluster each factor's terms on word
vectors into sub-dimensions, and build a new :class:`~valuespace.space.Space`.

* :class:`Lexicon` — responses and their parsed terms (``add_response``, ``add_journal``,
  ``load_csv``), stop-terms, a Python lemmatiser, the frequency filters; ``terms``, ``matrix()``;
* :class:`WordVectors` — word vectors (``load``, ``add``, ``get``, ``embed`` with a Model);
* :class:`LexicalOptions` — the analysis options; ``analyze(lexicon, vectors)`` gives a
  :class:`LexicalResult` (``scalar``/properties, ``get`` arrays, ``terms``, ``name``,
  ``space()``, ``report()``); :func:`analyze` is the one-call form;
* :func:`elicit` runs prompts over :class:`~valuespace.model.Model` objects into a JSONL
  journal; :func:`journal_failures` tells how many of a journal's items failed and why;
  :func:`prompts` lists the built-in prompts.

Example::

    lex = Lexicon()
    lex.add_response("gpt", "1. Honesty\\n2. Kindness - being nice to others")
    lex.terms                            # ["honesty", "kindness"]
    res = analyze(lex, vecs, nfactors=3, subdims=2, seed=1)
    space = res.space("mylex")

Matrices and vectors come back as numpy arrays (the term matrix, word vectors, the result's
arrays); ``as_frame=True`` labels them with pandas (terms, factor names, words). Word vectors go
in as sequences, numpy arrays or pandas Series, many at once with :meth:`WordVectors.update`
(a dict word -> vector, or a DataFrame indexed by word).
"""

from __future__ import annotations

import ctypes
import json
import os
from ctypes import byref, c_char_p, c_double, c_size_t, c_uint64, c_void_p
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np

from . import _callback, errors
from ._convert import data_matrix, is_frame, is_series, labelled
from ._options import OptionsMixin
from ._lib import (Handle, LexicalPtr, LexicalResultPtr, LexiconPtr, ModelPtr, SpacePtr,
                   WordvecsPtr, lib, use, vs_lexical_elicit_opts, vs_lexicon_lemma_fn)
from ._util import cdoubles, doubles, encode, read_array, strv

__all__ = ["Lexicon", "WordVectors", "LexicalOptions", "LexicalResult", "analyze", "elicit",
           "journal_failures", "JournalFailures", "prompts", "prompt_count", "MAX_TERM_BYTES", "LEXICON_OPTIONS", "OPTIONS", "STATS",
           "ARRAYS"]

MAX_TERM_BYTES = 255

LEXICON_OPTIONS = {"min_freq": 1, "min_models": 2, "max_words": 3}

# name: (vs_lexical_option, kind, names of enum values or None)
OPTIONS = {
    "nfactors": (1, "int", None),
    "counts": (2, "int", None),
    "method": (3, "enum", ("minres", "uls", "pa", "ml", "wls", "gls")),
    "rotation": (4, "enum", None),
    "seed": (5, "int", None),
    "subdims": (6, "int", None),
    "subdims_min": (7, "int", None),
    "subdims_max": (8, "int", None),
    "name_terms": (9, "int", None),
    "metric": (10, "enum", ("cosine", "euclidean")),
}
STATS = {"n_responses": 1, "n_terms": 2, "kmo": 3, "bartlett_chi2": 4, "bartlett_df": 5,
         "bartlett_p": 6, "n_factors": 7, "parallel_factors": 8, "n_subdims": 9,
         "silhouette": 10}
ARRAYS = {"loadings": 1, "factor": 2, "loading": 3, "subdim": 4, "subdim_factor": 5,
          "factor_silhouette": 6, "msa": 7, "eigenvalues": 8, "communality": 9}
_INDEX_ARRAYS = ("factor", "subdim", "subdim_factor")


def _bad_option(kind: str, name: str) -> Exception:
    return errors.InvalidArgument(errors.Status.EINVAL, f"unknown {kind} option {name!r}")


def _vector(x: Any) -> Any:
    """A 1-D vector of doubles (numpy float64 buffer for arrays and Series)."""
    if is_series(x):
        return x.to_numpy(dtype=float)
    if isinstance(x, np.ndarray):
        return np.ascontiguousarray(x, dtype=np.float64).ravel()
    return x


# ------------------------------------------------------------------ lemmatiser callback

def _lemma_impl(st, term, buf, cap):
    lemma = st.fn(term.decode("utf-8", "surrogateescape"))
    if lemma is None:
        lemma = ""
    b = encode(lemma, "lemma")
    if len(b) + 1 > cap:
        raise errors.InvalidArgument(errors.Status.ERANGE,
                                     f"lemma of {len(b)} bytes (at most {cap - 1})")
    ctypes.memmove(buf, b + b"\0", len(b) + 1)
    return 0


def _lemma(user_data, term, buf, cap):
    st = _callback.lookup(user_data)
    if st is None or st.fn is None:
        return int(errors.Status.ECALLBACK)
    return st.call(_lemma_impl, (st, term, buf, cap))


# Module level: lives as long as the process (C keeps the pointer in the lexicon).
_C_LEMMA = vs_lexicon_lemma_fn(_lemma)
_NULL_LEMMA = vs_lexicon_lemma_fn()  # a NULL function pointer


# ------------------------------------------------------------------ lexicon

class Lexicon(OptionsMixin, Handle):
    """Responses and the terms parsed from them (or a term matrix read from CSV).

    ``Lexicon(min_freq=2, ...)`` creates an empty lexicon with options set."""

    _free_name = "vs_lexicon_free"
    _kind = "lexicon"
    _opt_prefix = "vs_lexicon"
    _opt_table = LEXICON_OPTIONS
    _opt_what = "lexicon"

    def __init__(self, **options: int) -> None:
        out = LexiconPtr()
        lib.vs_lexicon_create(byref(out))
        self._setup(out)
        for name, value in options.items():
            self.set(name, value)

    def _setup(self, ptr: Any) -> None:
        Handle.__init__(self, ptr)
        self._state = _callback.CallbackState(fn=None)
        import weakref
        weakref.finalize(self, _callback.unregister, _callback.register(self._state))

    @classmethod
    def create(cls, **options: int) -> "Lexicon":
        return cls(**options)

    @classmethod
    def load_csv(cls, path: Union[str, os.PathLike]) -> "Lexicon":
        """A term matrix from CSV (header of term names, one row per response)."""
        out = LexiconPtr()
        lib.vs_lexicon_load_csv(byref(out), os.fspath(path))
        obj = cls.__new__(cls)
        obj._setup(out)
        return obj

    # options (get/set: OptionsMixin)
    def set_lemmatizer(self, fn: Optional[Callable[[str], Optional[str]]]) -> "Lexicon":
        """A callable term -> lemma (str; "" or None drops the term), or None for none. An
        exception it raises propagates out of add_response / add_journal."""
        if fn is not None and not callable(fn):
            raise TypeError("lemmatizer must be callable or None")
        with self._use() as p:
            lib.vs_lexicon_set_lemmatizer(p, _C_LEMMA if fn is not None else _NULL_LEMMA,
                                          self._state.key if fn is not None else None)
        self._state.fn = fn
        return self

    def add_stop_term(self, term: str) -> "Lexicon":
        with self._use() as p:
            lib.vs_lexicon_add_stop_term(p, term)
        return self

    def add_stop_terms(self, terms: Sequence[str]) -> "Lexicon":
        for t in terms:
            self.add_stop_term(t)
        return self

    def add_response(self, model_id: Optional[str], text: str) -> "Lexicon":
        """Parses a response of a model and adds it with its terms."""
        _callback.not_running(self._state)
        with self._use() as p:
            with _callback.active(self._state):
                lib.vs_lexicon_add_response(p, model_id, text)
        return self

    def add_journal(self, path: Union[str, os.PathLike]) -> "Lexicon":
        """Adds the successful responses of an elicitation journal (see :func:`elicit`)."""
        _callback.not_running(self._state)
        with self._use() as p:
            with _callback.active(self._state):
                lib.vs_lexicon_add_journal(p, os.fspath(path))
        return self

    # queries
    def __len__(self) -> int:
        with self._use() as p:
            return lib.vs_lexicon_response_count(p)

    @property
    def response_count(self) -> int:
        return len(self)

    def response_terms(self, i: int) -> List[str]:
        """Distinct terms of response i (before the filters), in order of first occurrence."""
        with self._use() as p:
            n = lib.vs_lexicon_response_count(p)
            if not 0 <= i < n:
                raise IndexError(f"response {i} out of range (0..{n - 1})")
            m = lib.vs_lexicon_response_term_count(p, i)
            return [lib.vs_lexicon_response_term(p, i, j) for j in range(m)]

    @property
    def terms(self) -> List[str]:
        """The kept terms (after the filters), by decreasing total count."""
        with self._use() as p:
            return [lib.vs_lexicon_term(p, j) for j in range(lib.vs_lexicon_term_count(p))]

    def term_stats(self, j: int) -> Tuple[float, int]:
        """(total count, number of distinct models) of kept term j."""
        total, models = c_double(), c_size_t()
        with self._use() as p:
            lib.vs_lexicon_term_stats(byref(total), byref(models), p, j)
        return total.value, models.value

    def matrix(self, counts: bool = False, *, as_frame: bool = False) -> Any:
        """The responses x kept terms matrix (presence, or counts) as a numpy array; a pandas
        DataFrame with the terms as columns when ``as_frame=True``."""
        with self._use() as p:
            rows = lib.vs_lexicon_response_count(p)
            cols = lib.vs_lexicon_term_count(p)
            data = read_array(lambda nd, b, c: lib.vs_lexicon_matrix(nd, p, int(bool(counts)), b, c),
                              rows * cols)
        a = np.frombuffer(data, dtype=np.float64).copy().reshape(rows, cols) if rows * cols \
            else np.zeros((rows, cols))
        return labelled(a, as_frame, columns=self.terms if as_frame else None)

    def __repr__(self) -> str:
        if self.closed:
            return "<valuespace.Lexicon (closed)>"
        return f"<valuespace.Lexicon responses={len(self)} terms={len(self.terms)}>"


# ------------------------------------------------------------------ word vectors

class WordVectors(Handle):
    """Word vectors of one dimension. ``WordVectors(dim)`` is empty; ``WordVectors.load(path)``
    reads the text format ("word d1 d2 ..."). Shareable by readers (analysis)."""

    _free_name = "vs_wordvecs_free"
    _kind = "word vectors"

    def __init__(self, dim: int) -> None:
        out = WordvecsPtr()
        lib.vs_wordvecs_create(byref(out), int(dim))
        Handle.__init__(self, out)

    @classmethod
    def create(cls, dim: int) -> "WordVectors":
        return cls(dim)

    @classmethod
    def load(cls, path: Union[str, os.PathLike]) -> "WordVectors":
        out = WordvecsPtr()
        lib.vs_wordvecs_load(byref(out), os.fspath(path))
        obj = cls.__new__(cls)
        Handle.__init__(obj, out)
        return obj

    @property
    def dim(self) -> int:
        with self._use(shared=True) as p:
            return lib.vs_wordvecs_dim(p)

    def __len__(self) -> int:
        with self._use(shared=True) as p:
            return lib.vs_wordvecs_count(p)

    def add(self, word: str, vector: Any) -> "WordVectors":
        """Adds (or replaces) the vector of a word (a sequence, numpy array or Series of dim
        finite numbers)."""
        a = doubles(_vector(vector))
        with self._use() as p:
            lib.vs_wordvecs_add(p, word, cdoubles(a), len(a))
        return self

    def update(self, vectors: Any) -> "WordVectors":
        """Adds many vectors: a dict word -> vector, or a pandas DataFrame with one row per word
        (index = the words; a non-numeric column raises naming it)."""
        if is_frame(vectors):
            a, _, index = data_matrix(vectors, what="word vectors")
            for word, row in zip(index, a):
                self.add(str(word), row)
        else:
            for word, vec in dict(vectors).items():
                self.add(word, vec)
        return self

    def __setitem__(self, word: str, vector: Any) -> None:
        self.add(word, vector)

    def get(self, word: str, default: Any = None) -> Any:
        """The vector of a term (a numpy array; a phrase's is the mean of its words'), or
        `default` when it has none."""
        try:
            return self[word]
        except errors.NotFound:
            return default

    def __getitem__(self, word: str) -> np.ndarray:
        with self._use(shared=True) as p:
            return np.asarray(read_array(lambda nd, b, c: lib.vs_wordvecs_get(nd, p, word, b, c),
                                         lib.vs_wordvecs_dim(p)), dtype=np.float64)

    def vectors(self, words: Sequence[str], *, as_frame: bool = False) -> Any:
        """The vectors of `words` as a len(words) x dim numpy array (NaN rows for words without
        one); a DataFrame indexed by word when ``as_frame=True``."""
        words = list(words)
        d = self.dim
        out = np.full((len(words), d), np.nan)
        for i, w in enumerate(words):
            v = self.get(w)
            if v is not None:
                out[i] = v
        return labelled(out, as_frame, index=words)

    def __contains__(self, word: Any) -> bool:
        return self.get(word) is not None

    def embed(self, model: Any, words: Sequence[str]) -> "WordVectors":
        """Embeds the words without a vector with the model's embed callback."""
        words = list(words)
        arr = strv(words, "words")
        _callback.not_running(model._state)
        with use(self, model, shared=False) as (p, m):
            with _callback.active(model._state):
                lib.vs_wordvecs_embed(p, m, arr, len(words))
        return self

    def __repr__(self) -> str:
        if self.closed:
            return "<valuespace.WordVectors (closed)>"
        return f"<valuespace.WordVectors dim={self.dim} words={len(self)}>"


# ------------------------------------------------------------------ analysis

class LexicalOptions(OptionsMixin, Handle):
    """Analysis options: ``LexicalOptions(nfactors=3, rotation="varimax", seed=1, ...)``."""

    _free_name = "vs_lexical_free"
    _kind = "lexical options"
    _opt_prefix = "vs_lexical"
    _opt_table = OPTIONS
    _opt_what = "lexical"

    def __init__(self, **options: Any) -> None:
        out = LexicalPtr()
        lib.vs_lexical_create(byref(out))
        Handle.__init__(self, out)
        for name, value in options.items():
            self.set(name, value)

    def analyze(self, lexicon: Lexicon, vectors: Optional[WordVectors] = None) -> "LexicalResult":
        """Runs the analysis on the lexicon's kept terms (vectors None: no clustering)."""
        out = LexicalResultPtr()
        handles = [self, lexicon] + ([vectors] if vectors is not None else [])
        with use(*handles, shared=True) as ptrs:
            lib.vs_lexical_analyze(byref(out), ptrs[0], ptrs[1],
                                   ptrs[2] if vectors is not None else None)
        return LexicalResult._wrap(out)


def analyze(lexicon: Lexicon, vectors: Optional[WordVectors] = None,
            **options: Any) -> "LexicalResult":
    """One call: ``analyze(lexicon, vectors, nfactors=3, seed=1)``."""
    with LexicalOptions(**options) as opts:
        return opts.analyze(lexicon, vectors)


class LexicalResult(Handle):
    """One analysis (immutable): scalars (``kmo``, ``n_factors``, ...), arrays (``get``),
    ``terms``, default ``names``, ``space()`` and ``report()``."""

    _free_name = "vs_lexical_result_free"
    _kind = "lexical result"
    _shared = True

    @classmethod
    def _wrap(cls, ptr: Any) -> "LexicalResult":
        obj = cls.__new__(cls)
        Handle.__init__(obj, ptr)
        return obj

    def scalar(self, name: str) -> float:
        try:
            code = STATS[name]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown lexical statistic {name!r}") from None
        v = c_double()
        with self._use() as p:
            lib.vs_lexical_result_scalar(byref(v), p, code)
        return v.value

    def scalars(self) -> Dict[str, float]:
        return {name: self.scalar(name) for name in STATS}

    def __getattr__(self, name: str) -> Any:
        if name in STATS:
            v = self.scalar(name)
            if name in ("n_responses", "n_terms", "n_factors", "n_subdims"):
                return int(v)
            return v
        if name in ARRAYS:
            return self.get(name)
        raise AttributeError(name)

    def get(self, what: str, *, as_frame: bool = False) -> Any:
        """An array as numpy: "loadings" (p terms x k factors), "factor", "subdim" (p, int64),
        "subdim_factor" (s, int64), "loading", "msa", "eigenvalues", "communality" (p),
        "factor_silhouette" (k). ``as_frame=True``: pandas, labelled with :attr:`terms`,
        :attr:`factor_names` and :attr:`subdim_names`."""
        try:
            code = ARRAYS[what]
        except KeyError:
            raise errors.InvalidArgument(errors.Status.EINVAL,
                                         f"unknown lexical array {what!r}") from None
        with self._use() as p:
            data = read_array(lambda nd, b, c: lib.vs_lexical_result_get(nd, p, code, b, c))
        a = np.frombuffer(data, dtype=np.float64).copy() if len(data) else np.empty(0)
        if what in _INDEX_ARRAYS:
            a = a.astype(np.int64)
        if what == "loadings":
            k = int(self.scalar("n_factors"))
            a = a.reshape(len(data) // k if k else 0, k)
            return labelled(a, as_frame, index=self.terms if as_frame else None,
                            columns=self.factor_names if as_frame else None)
        if not as_frame:
            return a
        index: Any = None
        if what == "factor_silhouette":
            index = self.factor_names
        elif what == "subdim_factor":
            index = self.subdim_names
        elif what != "eigenvalues":
            index = self.terms
        return labelled(a, True, index=index, name=what)

    @property
    def terms(self) -> List[str]:
        n = int(self.scalar("n_terms"))
        with self._use() as p:
            return [lib.vs_lexical_result_term(p, j) for j in range(n)]

    def name(self, level: Union[int, str], index: int) -> Optional[str]:
        """Default name of a factor (level 1 / "dimension") or sub-dimension (0 / "subdimension")."""
        lev = {"subdimension": 0, "subdim": 0, "dimension": 1, "factor": 1}.get(level, level)
        with self._use() as p:
            return lib.vs_lexical_result_name(p, int(lev), index)

    @property
    def factor_names(self) -> List[Optional[str]]:
        return [self.name(1, i) for i in range(int(self.scalar("n_factors")))]

    @property
    def subdim_names(self) -> List[Optional[str]]:
        return [self.name(0, i) for i in range(int(self.scalar("n_subdims")))]

    def space(self, name: Optional[str] = None, factor_names: Optional[Sequence[str]] = None,
              subdim_names: Optional[Sequence[str]] = None) -> Any:
        """The space it defines (levels "subdimension" -> "dimension")."""
        from .space import Space
        fn, sn = strv(factor_names, "factor names"), strv(subdim_names, "sub-dimension names")
        out = SpacePtr()
        with self._use() as p:
            lib.vs_lexical_result_space(byref(out), p, name, fn,
                                        len(factor_names) if factor_names is not None else 0,
                                        sn, len(subdim_names) if subdim_names is not None else 0)
        return Space._wrap(out)

    def report_json(self) -> str:
        text = c_void_p()
        with self._use() as p:
            lib.vs_lexical_result_report(byref(text), p)
        try:
            return ctypes.string_at(text).decode("utf-8")
        finally:
            lib.vs_free(text)

    def report(self) -> Dict[str, Any]:
        """The JSON report as a dict (NaN values are accepted)."""
        return json.loads(self.report_json())

    def __repr__(self) -> str:
        if self.closed:
            return "<valuespace.LexicalResult (closed)>"
        return (f"<valuespace.LexicalResult terms={self.n_terms} factors={self.n_factors} "
                f"subdims={self.n_subdims}>")


# ------------------------------------------------------------------ elicitation

def prompt_count() -> int:
    return lib.vs_lexical_prompt_count()


def prompts() -> List[str]:
    """The built-in elicitation prompts."""
    return [lib.vs_lexical_prompt(i) for i in range(lib.vs_lexical_prompt_count())]


def elicit(models: Any, journal: Union[str, os.PathLike], *, model_ids: Optional[Sequence[str]] = None,
           prompts: Optional[Sequence[str]] = None, repeats: int = 1, seed: int = 0,
           max_tokens: int = 0, temperature: float = 1.0, resume: bool = False) -> int:
    """Runs every prompt over every model `repeats` times into a JSONL journal; returns the
    number of records written. `models` is a sequence of Model objects (ids from `model_ids`)
    or a dict id -> Model.

    Items that fail are journalled as failures and the call still returns (use
    :func:`journal_failures` to tell how many and why), unless a model's failure threshold or its
    early stop (option ``stop_after_same_failures``) stops it: then it raises
    :class:`~valuespace.errors.FailedError` (``exc.written`` records were written; resume with
    ``resume=True`` once the cause is fixed)."""
    if isinstance(models, dict):
        ids = list(models.keys())
        models = list(models.values())
    else:
        models = list(models)
        ids = list(model_ids) if model_ids is not None else [f"m{i + 1}" for i in range(len(models))]
    if len(ids) != len(models):
        raise errors.MismatchError(errors.Status.EMISMATCH, "one model id per model is needed")
    if not models:
        raise errors.InvalidArgument(errors.Status.EINVAL, "no model")
    opts = vs_lexical_elicit_opts(repeats=int(repeats), temperature=float(temperature))
    opts.seed = int(seed)
    opts.max_tokens = int(max_tokens)
    opts.resume = 1 if resume else 0
    parr = None
    if prompts is not None:
        prompts = list(prompts)
        parr = strv(prompts, "prompts")
        opts.prompts = ctypes.cast(parr, type(opts.prompts))
        opts.n_prompts = len(prompts)
    idarr = strv(ids, "model ids")
    written = c_size_t()
    states = [m._state for m in models]
    _callback.not_running(*states)
    with use(*models, shared=False) as ptrs:
        if len(models) == 1:
            ptrs = (ptrs,)
        marr = (ModelPtr * len(models))(*ptrs)
        try:
            with _callback.active(*states):
                lib.vs_lexical_elicit(byref(written), marr, idarr, len(models), os.fspath(journal),
                                      byref(opts))
        except errors.ValueSpaceError as exc:
            exc.written = written.value
            raise
        finally:
            for m in models:
                m._state.item_hook = None  # the C side clears each model's item hook
            del parr
    return written.value


class JournalFailures(NamedTuple):
    """What an elicitation journal holds (:func:`journal_failures`): the counts of the latest
    record of each item that succeeded and failed, and the first failed item's id and error
    message (None when none failed)."""
    ok: int
    failed: int
    first_id: Optional[str]
    first_error: Optional[str]


def _take_string(p: c_void_p) -> Optional[str]:
    if not p.value:
        return None
    try:
        return ctypes.string_at(p).decode("utf-8", "surrogateescape")
    finally:
        lib.vs_free(p)


def journal_failures(path: Union[str, os.PathLike]) -> JournalFailures:
    """Counts the successful and failed items of an elicitation journal (:func:`elicit`; an
    item retried by a resume counts once, as its latest record) and names the first failure in
    journal order -- e.g. to tell a user, after :func:`elicit` returned, that some items failed
    and why. Raises NotFound / IOFailure (the file), ParseError (not an elicitation journal, a
    malformed record: path:line), VersionError."""
    ok, failed = c_uint64(), c_uint64()
    first_id, first_error = c_void_p(), c_void_p()
    lib.vs_lexical_journal_failures(byref(ok), byref(failed), byref(first_id), byref(first_error),
                                    os.fspath(path))
    fid, ferr = _take_string(first_id), _take_string(first_error)
    return JournalFailures(ok.value, failed.value, fid, ferr)
