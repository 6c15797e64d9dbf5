"""ValueLex construction: parsing (expected terms worked out by hand from lexical.h's rules),
a lemmatiser raising, the built-in prompts, and a synthetic 3-factor x 2-cluster recovery."""

import math
import random

import pytest

import valuespace as vs
from valuespace.cluster import adjusted_rand
from valuespace.lexical import LexicalOptions, LexicalResult, Lexicon, WordVectors, analyze


def test_parse_hand_written_responses():
    with Lexicon() as lex:
        # list markers dropped, definitions keep their head, emphasis and case folded
        lex.add_response("a", "1. Honesty - telling the truth\n2) **Kindness**: being nice\n- Fairness")
        # a ':' line without marker whose tail is a list: the tail is the list; "and" splits
        lex.add_response("b", "My values: honesty, compassion and respect; Curiosity")
        # a sentence is more than 3 words and is dropped; digits-only dropped; (...) cut
        lex.add_response("b", "I really value being helpful to everyone.\n* Honesty (always)\n* 42")
        assert len(lex) == 3
        assert lex.response_terms(0) == ["honesty", "kindness", "fairness"]
        assert lex.response_terms(1) == ["honesty", "compassion", "respect", "curiosity"]
        assert lex.response_terms(2) == ["honesty"]
        # kept terms: by decreasing count, ties by bytes
        assert lex.terms == ["honesty", "compassion", "curiosity", "fairness", "kindness", "respect"]
        assert lex.term_stats(0) == (3.0, 2)
        m = lex.matrix()
        assert m.shape == (3, 6)
        assert m[0].tolist() == [1.0, 0.0, 0.0, 1.0, 1.0, 0.0]
        lex.set("min_models", 2)
        assert lex.get("min_models") == 2 and lex.terms == ["honesty"]


def test_stop_terms_and_lemmatizer():
    lex = Lexicon()
    lex.add_stop_term("Respect")
    seen = []

    def lemma(term):
        seen.append(term)
        return {"values": "", "kindnesses": "kindness"}.get(term, term)

    lex.set_lemmatizer(lemma)
    lex.add_response(None, "Respect, Kindnesses, values, honesty")
    assert lex.response_terms(0) == ["kindness", "honesty"]
    assert "kindnesses" in seen
    lex.set_lemmatizer(None)
    lex.add_response(None, "values")
    assert lex.response_terms(1) == ["values"]
    lex.close()
    assert lex.closed
    with pytest.raises(vs.ClosedError):
        lex.terms


def test_lemmatizer_exception_propagates():
    class Boom(Exception):
        pass

    def lemma(term):
        if term == "kindness":
            raise Boom(term)
        return term

    with Lexicon() as lex:
        lex.set_lemmatizer(lemma)
        with pytest.raises(Boom) as e:
            lex.add_response("m", "honesty, kindness")
        assert e.value.args == ("kindness",)
        assert len(lex) == 0  # unchanged on failure
        lex.add_response("m", "honesty")
        assert lex.terms == ["honesty"]


def test_prompts():
    ps = vs.lexical.prompts()
    assert len(ps) >= 15 and vs.lexical.prompt_count() == len(ps)
    assert all(isinstance(p, str) and p for p in ps) and len(set(ps)) == len(ps)


def test_word_vectors(tmp_path):
    path = tmp_path / "v.vec"
    path.write_text("2 3\nHonesty 1 0 0\nkindness 0 1 0\n")
    with WordVectors.load(path) as wv:
        assert wv.dim == 3 and len(wv) == 2
        assert wv["honesty"].tolist() == [1.0, 0.0, 0.0]
        assert wv.get("honesty kindness").tolist() == [0.5, 0.5, 0.0]  # mean of its words
        assert wv.get("missing") is None
        wv.add("care", [0, 0, 2])
        assert wv["care"].tolist() == [0.0, 0.0, 2.0] and "care" in wv
        with pytest.raises(vs.MismatchError):
            wv.add("x", [1, 2])


def test_options():
    opts = LexicalOptions(nfactors=3, seed=5, method="ml")
    assert opts.get("nfactors") == 3 and opts.get("seed") == 5 and opts.get("method") == "ml"
    lo, hi = LexicalOptions.bounds("subdims_max")
    assert lo <= 4 <= hi
    with pytest.raises(vs.InvalidArgument):
        opts.set("nope", 1)
    opts.close()


WORDS = ["amber", "basil", "cedar", "delta", "ember", "flint", "grove", "heron", "ivory",
         "jasper", "kelp", "lotus", "maple", "nectar", "onyx", "pearl", "quartz", "raven"]


def _synthetic(seed=11, n=600):
    """3 factors of 6 terms; within a factor, 2 word-vector clusters of 3 terms."""
    rng = random.Random(seed)
    factor = [j // 6 for j in range(18)]
    cluster = [j // 3 for j in range(18)]  # 6 global clusters
    lex = Lexicon()
    lex.add_stop_term("nothing")  # used by responses added afterwards
    for i in range(n):
        z = [rng.gauss(0, 1) for _ in range(3)]
        present = [w for j, w in enumerate(WORDS) if 0.9 * z[factor[j]] + 0.45 * rng.gauss(0, 1) > 0.2]
        lex.add_response(f"m{i % 4}", ", ".join(present) if present else "nothing")
    wv = WordVectors(8)
    for j, w in enumerate(WORDS):
        v = [rng.gauss(0, 0.05) for _ in range(8)]
        v[cluster[j]] += 1.0
        wv.add(w, v)
    return lex, wv, factor, cluster


def test_synthetic_recovery():
    lex, wv, factor, cluster = _synthetic()
    assert len(lex.terms) == 18
    res = analyze(lex, wv, nfactors=3, subdims=2, seed=1)
    assert isinstance(res, LexicalResult)
    assert res.n_factors == 3 and res.n_subdims == 6 and res.n_terms == 18
    assert res.n_responses == len(lex)
    index = {w: j for j, w in enumerate(WORDS)}
    terms = res.terms
    assert sorted(terms) == sorted(WORDS)
    assert adjusted_rand([factor[index[t]] for t in terms], res.get("factor")) >= 0.9
    assert adjusted_rand([cluster[index[t]] for t in terms], res.subdim) >= 0.9
    assert res.loadings.shape == (18, 3)
    assert len(res.subdim_factor) == 6 and 0 < res.kmo <= 1
    assert res.bartlett_p < 1e-6
    rep = res.report()
    assert rep["n_factors"] == 3 and len(rep["factors"]) == 3
    assert sum(len(f["terms"]) for f in rep["factors"]) == 18
    names = res.factor_names
    assert len(names) == 3 and all(names)
    with res.space("synthetic") as space:
        assert space.name == "synthetic" and "F1" in [d.key for d in space.dimensions]
        assert len(space.dimensions) == 9  # 6 sub-dimensions + 3 dimensions
    # the default parallel analysis finds the three factors as well
    auto = LexicalOptions(seed=3).analyze(lex, None)
    assert auto.n_factors == 3 and auto.n_subdims == 3
    assert math.isfinite(auto.parallel_factors)
    for h in (res, auto, lex, wv):
        h.close()


def test_elicit_journal(tmp_path):
    class LM:
        def __init__(self, words):
            self.words = words
            self.prompts = []

        def generate(self, batch):
            self.prompts.extend(r.prompt for r in batch)
            return ["1. " + self.words[0] + "\n2. " + self.words[1] for _ in batch]

    a, b = LM(["Honesty", "Care"]), LM(["Honesty", "Wisdom"])
    ma, mb = vs.Model(a), vs.Model(b)
    journal = tmp_path / "j.jsonl"
    n = vs.elicit({"alpha": ma, "beta": mb}, journal, prompts=["List your values.", "Name them."],
                  repeats=2, seed=4)
    assert n == 2 * 2 * 2 and sorted(set(a.prompts)) == ["List your values.", "Name them."]
    with Lexicon(min_models=2) as lex:
        lex.add_journal(journal)
        assert len(lex) == 8 and lex.terms == ["honesty"]
        assert lex.term_stats(0) == (8.0, 2)
    # resuming a complete journal writes nothing; without resume it must be empty
    assert vs.elicit([ma, mb], journal, model_ids=["alpha", "beta"],
                     prompts=["List your values.", "Name them."], repeats=2, seed=4,
                     resume=True) == 0
    with pytest.raises(vs.StateError):
        vs.elicit([ma], tmp_path / "j.jsonl", model_ids=["alpha"])
    ma.close(); mb.close()


def test_journal_failures_counts_and_names_the_first_failure(tmp_path):
    class Picky:
        def generate(self, batch):
            return [vs.Permanent("content filter") if r.id == "beta/prompt-02/r1"
                    else "1. Honesty\n2. Care" for r in batch]

    ma, mb = vs.Model(Picky()), vs.Model(Picky())
    prompts = ["List your values.", "Name them."]
    journal = tmp_path / "j.jsonl"
    # the item failure does not stop the run: it is journalled and elicit returns
    assert vs.elicit({"alpha": ma, "beta": mb}, journal, prompts=prompts, repeats=2) == 8
    jf = vs.lexical.journal_failures(journal)
    assert jf.ok == 7 and jf.failed == 1 and jf.first_id == "beta/prompt-02/r1"
    assert jf.first_error.endswith("content filter"), jf.first_error
    with Lexicon(min_models=1) as lex:
        lex.add_journal(journal)
        assert len(lex) == 7

    # a resume runs the failed item again; once it succeeds, nothing failed
    mb.obj.generate = lambda batch: ["1. Honesty\n2. Care" for _ in batch]
    assert vs.elicit({"alpha": ma, "beta": mb}, journal, prompts=prompts, repeats=2,
                     resume=True) == 1
    assert vs.lexical.journal_failures(str(journal)) == (8, 0, None, None)

    # every item failing alike stops the run after the first 20 (VS_MODEL_OPT_STOP_AFTER_SAME_FAILURES)
    class Down:
        def generate(self, batch):
            return [vs.Permanent("connection refused") for _ in batch]

    down = tmp_path / "down.jsonl"
    with pytest.raises(vs.FailedError) as e:
        vs.elicit([vs.Model(Down(), max_batch=5)], down, model_ids=["m"], repeats=25)
    assert e.value.written == 20 and "first 20 items all failed alike" in e.value.message
    jf = vs.lexical.journal_failures(down)
    assert jf.ok == 0 and jf.failed == 20 and jf.first_id.startswith("m/prompt-01/")
    assert jf.first_error.endswith("connection refused")

    with pytest.raises(vs.NotFound):
        vs.lexical.journal_failures(tmp_path / "missing.jsonl")
    (tmp_path / "other.jsonl").write_text('{"schema": "other"}\n')
    with pytest.raises(vs.ParseError):
        vs.lexical.journal_failures(tmp_path / "other.jsonl")
    ma.close(); mb.close()
