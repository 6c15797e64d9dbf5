"""Labels in lexical, accumulators and model outputs: numpy results (pandas with
as_frame=True), rows in by name (dicts, Series, DataFrames with NaN), non-numeric columns
named. Expected numbers are worked by hand in the comments."""

import math

import numpy as np
import pytest

import valuespace as vs
from valuespace.accum import STATS_FIELDS, Accumulator
from valuespace.lexical import Lexicon, WordVectors

pd = pytest.importorskip("pandas")


def test_lexicon_matrix_numpy_and_frame():
    with Lexicon() as lex:
        lex.add_response("a", "1. Honesty\n2. Kindness")
        lex.add_response("b", "- honesty\n- fairness")
        # kept terms by decreasing count, ties by bytes: honesty (2), fairness, kindness
        assert lex.terms == ["honesty", "fairness", "kindness"]
        m = lex.matrix()
        assert isinstance(m, np.ndarray) and m.tolist() == [[1, 0, 1], [1, 1, 0]]
        df = lex.matrix(as_frame=True)
        assert list(df.columns) == lex.terms and df["fairness"].tolist() == [0, 1]


def test_word_vectors_numpy_series_and_frame():
    wv = WordVectors(3)
    wv.add("care", np.array([0, 0, 2]))              # ints through numpy
    wv.add("duty", pd.Series([1.0, 0, 0], index=list("xyz")))
    frame = pd.DataFrame({"d0": [0.0, 1.0], "d1": [1.0, 1.0], "d2": [0.0, 0.0]},
                         index=["kindness", "honesty"])
    wv.update(frame)
    wv.update({"truth": [0.0, 0.0, 1.0]})
    assert isinstance(wv["care"], np.ndarray) and wv["care"].tolist() == [0, 0, 2]
    assert wv["honesty"].tolist() == [1, 1, 0] and wv["duty"].tolist() == [1, 0, 0]
    # a phrase is the mean of its words: (care + truth) / 2 = (0, 0, 1.5)
    v = wv.vectors(["care truth", "missing"], as_frame=True)
    assert v.loc["care truth"].tolist() == [0, 0, 1.5] and v.loc["missing"].isna().all()
    with pytest.raises(TypeError, match="'label'"):
        wv.update(frame.assign(label=["a", "b"]))


def test_lexical_result_arrays():
    import random
    rnd = random.Random(3)
    words = [f"w{f}{j}" for f in range(2) for j in range(4)]
    lex, wv = Lexicon(min_models=1), WordVectors(2)
    for r in range(60):
        f = r % 2
        lex.add_response(f"m{r % 3}", "\n".join(
            f"- {w}" for w in words if w[1] == str(f) and rnd.random() < 0.8))
    for w in words:
        wv.add(w, [1.0 if w[2] in "01" else 0.0, 0.0 if w[2] in "01" else 1.0])
    res = vs.lexical.analyze(lex, wv, nfactors=2, subdims=2, seed=1)
    load = res.get("loadings")
    assert isinstance(load, np.ndarray) and load.shape == (len(res.terms), 2)
    df = res.get("loadings", as_frame=True)
    assert list(df.index) == res.terms and list(df.columns) == res.factor_names
    factor = res.get("factor", as_frame=True)
    assert factor.dtype == np.int64 and list(factor.index) == res.terms
    # each term's own loading is its row's entry in its factor's column
    own = res.get("loading")
    assert own.tolist() == [load[i, f] for i, f in enumerate(res.get("factor"))]
    assert list(res.get("factor_silhouette", as_frame=True).index) == res.factor_names


def test_accumulator_rows_by_name():
    names = ["power", "benevolence", "security"]
    a = Accumulator(names, replicates=20, seed=5)
    b = Accumulator(3, replicates=20, seed=5)
    # item i1: (1, 2, 3); item i2: (3, NaN, 5); item i3: (5, 4, NaN)
    a.add("i1", {"security": 3.0, "power": 1.0, "benevolence": 2.0})
    a.add("i2", pd.Series([5.0, math.nan, 3.0], index=["security", "benevolence", "power"]))
    b.add("i1", [1, 2, 3])
    b.add("i2", np.array([3, math.nan, 5]))
    df = pd.DataFrame({"benevolence": [4.0], "security": [math.nan], "power": [5.0],
                       "note": ["x"]}, index=["i3"])
    with pytest.raises(TypeError, match="'note'"):
        a.add_rows(df)
    a.add_rows(df, skip=["note"])          # items from the index
    b.add_rows(["i3"], [[5, 4, math.nan]])
    assert bytes(a) == bytes(b)            # the same state bit for bit
    # power: 1, 3, 5 -> mean 3, sd 2; benevolence: 2, 4 -> mean 3; security: 3, 5 -> mean 4
    s = a.summary(as_frame=True)
    assert list(s.index) == names and list(s.columns) == list(STATS_FIELDS)
    assert s.loc["power", "mean"] == 3 and s.loc["power", "sd"] == 2
    assert s["mean"].tolist() == [3, 3, 4] and s["n"].tolist() == [3, 2, 2]
    assert np.array_equal(b.summary(), s.to_numpy(), equal_nan=True)
    assert a.stats("benevolence") == b.stats(1) and a.ci("power") == b.ci(0)
    assert isinstance(a.replicate_means("security"), np.ndarray)
    assert np.array_equal(a.replicate_means("security"), b.replicate_means(2), equal_nan=True)
    with pytest.raises(KeyError, match=r"missing names \['security'\]"):
        a.add("i4", {"power": 1.0, "benevolence": 1.0})
    with pytest.raises(KeyError, match="need an accumulator with names"):
        b.add("i4", {"power": 1.0})
    # names survive clone and pickle
    import pickle
    assert pickle.loads(pickle.dumps(a)).names == tuple(names) == a.clone().names


def test_model_vectors_and_classify_by_label():
    class Obj:
        def embed(self, batch, dim):
            return [np.arange(dim, dtype=float) + len(r.text) for r in batch]

        def classify(self, batch, labels):
            # probabilities keyed by label, in reverse order: "hi" 0.75, "lo" 0.25
            return [pd.Series([0.25, 0.75], index=["lo", "hi"]) for _ in batch]

    with vs.Model(Obj()) as m:
        res = m.embed(["a", "bcd"], 2)
        assert res.vectors().tolist() == [[1, 2], [3, 4]]
        res = m.classify(["x"], ["hi", "lo"])
        assert res.vectors(as_frame=True, columns=["hi", "lo"]).loc[0].tolist() == [0.75, 0.25]
        # "lo" is not one of the labels: the KeyError naming it propagates from the run
        with pytest.raises(KeyError, match=r"unknown names \['lo'\]"):
            m.classify(["x"], ["hi", "other"])
