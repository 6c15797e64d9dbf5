"""The one option mixin (valuespace/_options.py) on every handle that has options: each Python
table agrees with the library's own names and ids (vs_<x>_option_id / _option_name), every
option reads back with its type, bounds come from the library, and bad input raises the error
class of its status with the handle unchanged."""

import math
import os
import pathlib
import sys

import pytest

import valuespace as vs
from valuespace import errors
from valuespace._options import OptionsMixin
from valuespace.accum import Accumulator
from valuespace.cluster import Cluster
from valuespace.fa import FactorAnalysis
from valuespace.lexical import LexicalOptions, Lexicon
from valuespace.projective import Bank, Runner

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
import dask_shards  # noqa: E402  (ToyLM)

CLASSES = [FactorAnalysis, Cluster, Runner, vs.Model, vs.Evaluator, LexicalOptions, Lexicon,
           Accumulator]


@pytest.fixture
def handles(schwartz10):
    """One live object of every class with options."""
    model = vs.Model(dask_shards.ToyLM(), sleep=lambda s: None)
    bank = Bank.builtin("valuelex")
    made = {
        FactorAnalysis: FactorAnalysis(),
        Cluster: Cluster(),
        Runner: Runner(bank, model, "loglik"),
        vs.Model: model,
        vs.Evaluator: vs.Evaluator(schwartz10, 0),
        LexicalOptions: LexicalOptions(),
        Lexicon: Lexicon(),
        Accumulator: Accumulator(3),
    }
    yield made
    for h in made.values():
        h.close()
    bank.close()


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_table_agrees_with_the_library(cls):
    assert issubclass(cls, OptionsMixin)
    for name in cls._opt_table:
        code, _ = cls._option(name)
        assert cls.option_id(name) == code, name
        assert cls.option_name(code) == name
        assert cls._option(code) == cls._option(name)  # by id too
    with pytest.raises(errors.NotFound, match="did you mean"):
        cls.option_id(next(iter(cls._opt_table)) + "x")
    with pytest.raises(errors.InvalidArgument, match="unknown"):
        cls._option("no_such_option")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_option_reads_back_with_its_type(cls, handles):
    h = handles[cls]
    expected = {"int": int, "double": float, "enum": str, "str": str}
    values = h.options()
    assert list(values) == list(cls._opt_table)
    for name, value in values.items():
        _, kind = cls._option(name)
        assert isinstance(value, expected[kind]), (name, value)
        if kind in ("int", "double"):
            lo, hi = cls.bounds(name)
            assert lo <= value <= hi, name
            if kind == "int":  # a bound of 2^63 (a seed's, as a double) is INT64_MAX as an integer
                lo, hi = max(int(lo), -2**63), min(int(hi), 2**63 - 1)
            h.set(name, hi)  # both bounds are accepted
            h[name] = lo
            assert h[name] == lo
            h.set(name, value)


def test_documented_defaults_and_names(handles):
    fa = handles[FactorAnalysis]
    assert fa.get("rotation") == "oblimin" and fa.get("scores") == "regression"
    fa.set("method", "mle")  # an alias reads back as the canonical name
    assert fa["method"] == "ml"
    lex = handles[LexicalOptions]
    assert lex.get("rotation") == "oblimin" and lex.get("metric") == "cosine"
    run = handles[Runner]
    assert run.get("temperature") == 1.0 and run.get("bank_ref") == "valuelex"
    assert run.get("journal") == ""
    run.set("journal", pathlib.Path("some", "path.jsonl"))  # a path-like is accepted
    assert run.get("journal") == os.path.join("some", "path.jsonl")
    assert handles[Accumulator].scale_bits == handles[Accumulator].get("scale_bits") == 32
    assert Accumulator.scale_bits_bounds() == (0, 62)
    assert Lexicon.bounds("max_words") == (1, 1000000)


def test_bad_values_raise_and_change_nothing(handles):
    fa = handles[FactorAnalysis]
    with pytest.raises(errors.OutOfRange, match=r"option nfactors = 0 is outside \[1, 1000000\]"):
        fa.set("nfactors", 0)
    with pytest.raises(errors.InvalidArgument, match="needs an integer"):
        fa.set("nfactors", 2.5)
    with pytest.raises(errors.NotFound, match="unknown rotation 'varimx'"):
        fa.set("rotation", "varimx")
    assert fa.get("nfactors") == 1 and fa.get("rotation") == "oblimin"
    ev = handles[vs.Evaluator]
    with pytest.raises(errors.InvalidArgument, match="NaN"):
        ev.set("C", math.nan)
    with pytest.raises(errors.OutOfRange, match="power of two"):
        ev.set("buckets", 1000)
    assert ev.get("C") == 10.0 and ev.get("buckets") == 1 << 18
    run = handles[Runner]
    with pytest.raises(errors.Utf8Error):
        run.set("model_id", b"bad \xff")
    with pytest.raises(errors.InvalidArgument, match="holds a string, which has no bounds"):
        Runner.bounds("journal")
    assert run.get("model_id") == ""
    lexicon = handles[Lexicon]
    with pytest.raises(errors.OutOfRange):
        lexicon.set("min_freq", 0)
    assert lexicon.get("min_freq") == 1
