"""Labels in the evaluator: label DataFrames matched by dimension name, judges returning dicts
/ Series, responses as a Series, profiles and metrics by name; numpy / pandas results. The
expected values are worked by hand in the comments (or are the positional call's)."""

import math

import numpy as np
import pytest

import valuespace as vs
from valuespace.evaluator import Evaluator, metrics, profiles

pd = pytest.importorskip("pandas")

RESPONSES = ["I help my friends", "power and money", "I help people", "money is power"] * 3


def positional_labels(space):
    k = len(space.keys(0))
    power, benev = space.find("power"), space.find("benevolence")
    rows = []
    for r in RESPONSES:
        row = [0.0] * k
        row[benev if "help" in r else power] = 1.0
        rows.append(row)
    return rows


def test_train_with_a_dataframe_matched_by_name(schwartz10):
    rows = positional_labels(schwartz10)
    keys = schwartz10.keys(0)
    # columns named by label (folded lookup), in reverse order, with a text column and a NaN
    labels = {schwartz10.dimension(k).label.upper(): [r[j] for r in rows]
              for j, k in reversed(list(enumerate(keys)))}
    df = pd.DataFrame(labels)
    df.insert(0, "response", RESPONSES)
    with pytest.raises(TypeError, match="'response'"):
        Evaluator(schwartz10, 0, buckets=1024).train(RESPONSES, df)
    df.loc[0, "TRADITION"] = math.nan  # not labelled: no effect on a dimension never 1
    by_name = Evaluator(schwartz10, 0, buckets=1024).train(RESPONSES, df, skip=["response"])
    by_pos = Evaluator(schwartz10, 0, buckets=1024).train(RESPONSES, rows)
    test = ["help them", "more money"]
    a, b = by_name.predict(test).values, by_pos.predict(test).values
    assert isinstance(a, np.ndarray) and a.shape == (2, 10)
    assert np.array_equal(a, b, equal_nan=True)
    benev, power = schwartz10.find("benevolence"), schwartz10.find("power")
    assert a[0, benev] == 1.0 and a[1, power] == 1.0
    # rows of dicts keyed by name, a flat sequence and a Matrix are accepted too
    dicts = [dict(zip(reversed(keys), reversed(r))) for r in rows]
    flat = [v for r in rows for v in r]
    for other in (dicts, flat, vs.Matrix.from_any(rows)):
        ev = Evaluator(schwartz10, 0, buckets=1024).train(RESPONSES, other)
        assert np.array_equal(ev.predict(test).values, b, equal_nan=True)
    with pytest.raises(KeyError, match=r"unknown names \['nope'\]"):
        Evaluator(schwartz10, 0).train(RESPONSES, df.drop(columns="response")
                                       .rename(columns={"POWER": "nope"}))
    with pytest.raises(KeyError, match=r"missing names \['power'\]"):
        Evaluator(schwartz10, 0).train(RESPONSES, df.drop(columns=["response", "POWER"]))


def test_predict_and_cv_frames(schwartz10):
    rows = positional_labels(schwartz10)
    keys = list(schwartz10.keys(0))
    idx = [f"r{i}" for i in range(len(RESPONSES))]
    resp = pd.Series(RESPONSES, index=idx)
    df = pd.DataFrame(rows, columns=keys, index=idx)
    ev = Evaluator(schwartz10, 0, buckets=1024).train(resp, df.iloc[::-1])  # rows by label
    pos = Evaluator(schwartz10, 0, buckets=1024).train(RESPONSES, rows)
    p = ev.predict(pd.Series(["help them", "more money"], index=["x", "y"]))
    assert isinstance(p.values, pd.DataFrame) and list(p.values.columns) == keys
    assert list(p.values.index) == ["x", "y"] and p.values.loc["x", "benevolence"] == 1.0
    assert p.probs.shape == (2, 30) and p.probs.loc["y", ("power", 1)] == p.class_probs[1, 4, 2]
    assert p.keys == tuple(keys) and p.ok and isinstance(p.statuses, pd.Series)
    assert np.array_equal(p.values.to_numpy(), pos.predict(["help them", "more money"]).values,
                          equal_nan=True)
    cv = ev.cross_validate(resp, df, folds=3, seed=1)
    cv_pos = pos.cross_validate(RESPONSES, rows, folds=3, seed=1)
    values = cv.get("values")
    assert isinstance(values, pd.DataFrame) and list(values.index) == idx
    assert np.array_equal(values.to_numpy(), cv_pos.get("values"), equal_nan=True)
    assert isinstance(cv_pos.get("values"), np.ndarray) and cv_pos.get("fold").dtype == np.int64
    assert repr(cv.metrics("Benevolence")) == repr(cv_pos.metrics(schwartz10.find("benevolence")))
    # groups as strings, a Series matched by index: the folds of the int ids given positionally
    groups = pd.Series([f"g{i % 4}" for i in range(len(idx))], index=idx)
    folds = ev.cross_validate(resp, df, groups=groups[::-1], folds=2, seed=1).get("fold")
    ints = pos.cross_validate(RESPONSES, rows, groups=[i % 4 for i in range(len(idx))], folds=2,
                              seed=1).get("fold")
    assert folds.tolist() == ints.tolist()
    for g in set(groups):  # stratified: each group's 3 items are dealt 2 + 1 to the folds
        assert sorted(np.bincount(folds[groups == g], minlength=2).tolist()) == [1, 2]


class NamedJudge:
    """Values and probabilities keyed by dimension name (a reversed Series / a dict)."""

    def __init__(self, keys):
        self.keys = list(keys)

    def evaluate(self, batch):
        out = []
        for it in batch:
            high = "help" in it.response
            vals = pd.Series([1.0 if high and k == "benevolence" else 0.0 for k in self.keys],
                             index=self.keys)[::-1]
            probs = {k: ([0.0, 0.0, 1.0] if high and k == "benevolence" else [0.0, 1.0, 0.0])
                     for k in reversed(self.keys)}
            out.append((vals, probs))
        return out


def test_judge_returns_names(schwartz10):
    keys = schwartz10.keys(0)
    ev = Evaluator.from_callback(schwartz10, 0, NamedJudge(keys))
    p = ev.predict(["I help", "no"])
    b = schwartz10.find("benevolence")
    expected = np.zeros((2, 10))
    expected[0, b] = 1.0
    assert np.array_equal(p.values, expected)
    assert p.class_probs[0, b].tolist() == [0.0, 0.0, 1.0]
    assert p.class_probs[1, b].tolist() == [0.0, 1.0, 0.0]

    class Unknown:
        def evaluate(self, batch):
            return [{"nope": 1.0} for _ in batch]

    with pytest.raises(KeyError, match="nope"):
        Evaluator.from_callback(schwartz10, 0, Unknown()).predict(["x"])


def test_metrics_series_by_index():
    truth = pd.Series([1, 0, -1, 1], index=list("abcd"))
    pred = pd.Series([1, 0, 0, 1], index=list("abcd"))[::-1]
    # 3 of 4 right (c: truth -1, predicted 0), as positionally
    m = metrics(truth, pred)
    assert repr(m) == repr(metrics([1, 0, -1, 1], np.array([1, 0, 0, 1.0]))) and m.accuracy == 0.75


def test_profiles_by_name_with_a_target():
    keys = list(vs.align_target("default").keys)  # target 1 on achievement, security,
    rows = np.zeros((3, 10))                      # conformity, benevolence, universalism
    b, u, pw, st = (keys.index(k) for k in ("benevolence", "universalism", "power", "stimulation"))
    rows[0, [b, u, pw]] = [1, 1, -1]
    rows[1, b] = 1
    rows[1, st] = math.nan
    rows[2, b] = -1
    # m1 mean: benevolence 1, universalism 0.5, power -0.5: distance (mask |s| > 0.3)
    # |1 - 1| + |0.5 - 1| + |-0.5 - 0| * 0 = 0.5; m2: benevolence -1: |-1 - 1| = 2
    df = pd.DataFrame(rows, columns=keys, index=["i0", "i1", "i2"])
    shuffled = df[keys[::-1]]
    groups = pd.Series(["m2", "m1", "m1"], index=["i2", "i1", "i0"])
    pr = profiles(shuffled, groups=groups, target="default", replicates=100, seed=1)
    pos = profiles(rows, groups=[0, 0, 1], target=vs.align_target("default"), replicates=100,
                   seed=1)
    assert pr.groups == ["m1", "m2"] and [g.group for g in pr] == ["m1", "m2"]
    assert [g.distance for g in pr] == pytest.approx([0.5, 2.0], abs=1e-12)
    assert [g.rank for g in pr] == [1.0, 2.0]
    # FULCRA's per-response rewards: i0 (benevolence 1, universalism 1, power -1 where the
    # target is 0) 0; i1 0 (its NaN counts for nothing); i2 (benevolence -1) -2
    assert [g.reward for g in pr] == pytest.approx([0.0, -2.0], abs=1e-12)
    assert [g.reward_rank for g in pr] == [1.0, 2.0] and [g.coverage for g in pr] == [1.0, 1.0]
    assert pr[1].reward_ci == pytest.approx((-2.0, -2.0), abs=1e-12)
    assert [g.distance for g in pos] == [g.distance for g in pr]
    mean = pr.get("mean")
    assert isinstance(mean, pd.DataFrame) and list(mean.columns) == keys
    assert mean.loc["m1", "universalism"] == 0.5 and mean.loc["m1", "stimulation"] == 0.0
    assert isinstance(pr[0].mean, pd.Series) and pr[0].mean["power"] == -0.5
    assert isinstance(pos.get("mean"), np.ndarray)
    assert np.array_equal(pos.get("mean"), mean.to_numpy())
    assert isinstance(pos[0].ci_low, np.ndarray)
    with pytest.raises(KeyError, match="nope"):
        profiles(df.rename(columns={"power": "nope"}), target="default")


def test_profiles_without_target_keep_names():
    df = pd.DataFrame({"a": [1.0, 0.0, 1.0], "b": [0.0, 1.0, 1.0], "who": ["x", "x", "y"]})
    with pytest.raises(TypeError, match="'who'"):
        profiles(df)
    pr = profiles(df, groups=df["who"], skip=["who"], replicates=0)
    # x holds (1, 0) and (0, 1): means 0.5, 0.5; y (1, 1)
    assert pr.get("mean").loc["x"].tolist() == [0.5, 0.5] and pr[1].mean.tolist() == [1.0, 1.0]
    assert pr.names == ["a", "b"] and pr[0].size == 2
