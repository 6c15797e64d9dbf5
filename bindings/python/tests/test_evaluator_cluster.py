"""Evaluators (a Python judge through the evaluate callback, the built-in model) and
clustering; the small expected values are worked out by hand in the comments."""

import math

import pytest

import valuespace as vs
from valuespace.evaluator import Evaluator, metrics, profiles
from valuespace.cluster import Cluster, adjusted_rand, silhouette


class Judge:
    def __init__(self):
        self.batches = []

    def evaluate(self, batch):
        self.batches.append([it.index for it in batch])
        out = []
        for it in batch:
            if it.response == "fail":
                out.append(RuntimeError("cannot judge"))
            else:
                v = [1.0 if "help" in it.response else 0.0] + [None] * 9
                probs = [[0.0, 0.0, 1.0] if v[0] else [0.0, 1.0, 0.0]] + [[math.nan] * 3] * 9
                out.append((v, probs))
        return out


def test_python_judge(schwartz10):
    judge = Judge()
    ev = Evaluator.from_callback(schwartz10, 0, judge, batch_size=2)
    assert ev.kind == "callback" and ev.ready and len(ev) == 10
    p = ev.predict(["I help", "no", "help!"], prompts=["a", "b", "c"])
    assert judge.batches == [[0, 1], [2]]
    assert [row[0] for row in p.values] == [1.0, 0.0, 1.0]
    assert math.isnan(p.values[0, 1]) and p.probs[0][:3].tolist() == [0.0, 0.0, 1.0] and p.ok
    with pytest.raises(vs.CallbackError) as e:
        ev.predict(["help", "fail"])
    assert e.value.prediction.statuses[1] < 0 and e.value.prediction.values[0, 0] == 1.0


def test_judge_exception_propagates(schwartz10):
    class Broken:
        def evaluate(self, batch):
            raise ZeroDivisionError("judge bug")

    with pytest.raises(ZeroDivisionError, match="judge bug"):
        Evaluator.from_callback(schwartz10, 0, Broken()).predict(["x"])


def test_builtin_evaluator_round_trip(schwartz10, tmp_path):
    responses = ["I help my friends", "power and money", "I help people", "money is power"] * 3
    k = len(schwartz10.keys(0))
    power, benev = schwartz10.find("power"), schwartz10.find("benevolence")
    labels = []
    for r in responses:
        row = [0.0] * k
        row[benev if "help" in r else power] = 1.0
        labels.append(row)
    ev = Evaluator(schwartz10, 0, buckets=1024)
    assert not ev.ready
    ev.train(responses, labels)
    p = ev.predict(["help them", "more money"])
    assert p.values[0, benev] == 1.0 and p.values[1, power] == 1.0
    again = Evaluator.loads(ev.dumps())
    assert (again.predict(["help them", "more money"]).values == p.values).all()
    ev.save(tmp_path / "m.vse")
    assert Evaluator.load(tmp_path / "m.vse", schwartz10).get("buckets") == 1024
    cv = ev.cross_validate(responses, labels, folds=3, seed=1)
    assert cv.fold_count == 3 and cv.count == 12 and sorted(set(cv.get("fold").tolist())) == [0, 1, 2]
    assert cv.metrics(benev).n == 12


def test_metrics_and_profiles():
    # truth (1, 0, -1, 1), prediction (1, 0, 0, 1): 3 of 4 right
    m = metrics([1, 0, -1, 1], [1, 0, 0, 1])
    assert m.accuracy == 0.75 and m.n == 4 and m.confusion[0] == (0, 1, 0)
    # group 0 holds rows (1, 0) and (0, 1): means 0.5, 0.5
    pr = profiles([[1, 0], [0, 1], [1, 1]], groups=[0, 0, 1], replicates=100)
    assert len(pr) == 2 and pr[0].mean.tolist() == [0.5, 0.5] and pr[1].size == 1



def test_profile_replicates():
    """Group 1 has one row, so every resample is that row; group 0's resamples of (1, 0) and
    (0, 1) have means 0, 0.5 or 1 that sum to 1 per resample. The resamples give the intervals."""
    import numpy as np
    pr = profiles([[1, 0], [0, 1], [1, 1]], groups=[0, 0, 1], replicates=200, confidence=0.9,
                  target=None, seed=4)
    r0, r1 = pr.replicates(0), pr.replicates(1)
    assert r0.shape == (200, 2) and (r1 == 1).all()
    assert set(r0[:, 0].tolist()) <= {0.0, 0.5, 1.0} and (r0.sum(axis=1) == 1).all()
    lo, hi = np.quantile(r0, [0.05, 0.95], axis=0)
    assert lo.tolist() == pr[0].ci_low.tolist() and hi.tolist() == pr[0].ci_high.tolist()
    with pytest.raises(vs.UndefinedError):
        pr.replicates(0, "reward")  # no target, no reward
    with pytest.raises(IndexError):
        pr.replicates(2)

def test_cluster():
    x = [[0, 0], [0, 1], [10, 10], [10, 11]]
    r = Cluster(k=2, seed=3).fit(x)
    # two obvious clusters: centres (0, 0.5) and (10, 10.5); inertia 4 * 0.25 = 1
    assert r.labels.tolist() == [0, 0, 1, 1] and r.centers.tolist() == [[0, 0.5], [10, 10.5]]
    assert r.inertia == 1.0 and r.sizes.tolist() == [2, 2]
    agg = Cluster(method="agglomerative", k=2, linkage="average").fit(x)
    assert agg.labels.tolist() == [0, 0, 1, 1] and agg.get("linkage").shape == (3, 4)
    assert Cluster(method="agglomerative").get("method") == "agglomerative"
    assert adjusted_rand([0, 0, 1, 1], [5, 5, 2, 2]) == 1.0
    mean, samples = silhouette(x, [0, 0, 1, 1], samples=True)
    assert len(samples) == 4 and mean == pytest.approx(sum(samples) / 4)
    with pytest.raises(vs.InvalidArgument):
        Cluster().fit([[0, math.nan], [1, 1]])


def test_evaluator_as_judge(schwartz10):
    """P(high) = (1 + p(+1) - p(-1)) / 2: 1 for [0, 0, 1], 0.5 for [0, 1, 0] (worked by hand)."""
    from valuespace.model import TextRequest
    ev = Evaluator.from_callback(schwartz10, 0, Judge())
    judge = ev.as_judge(max_attempts=1)
    assert judge.supports("classify") and not judge.supports("generate")
    first = schwartz10.keys(0)[0]
    res = judge.classify([TextRequest("I help", "When I can, I"), TextRequest("no")], [first])
    assert res.outputs() == [[1.0], [0.5]]
    # a dimension the judge cannot predict (NaN probabilities and values) and an unknown label
    res = judge.classify(["I help"], [first, schwartz10.keys(0)[1]])
    assert res.status(0) == "permanent" and "no prediction" in res[0].error
    res = judge.classify(["I help"], ["not-a-value"])
    assert res.status(0) == "permanent" and "not-a-value" in res[0].error
    # the evaluator lives as long as its judge, and cannot be closed during a run
    del ev
    assert judge.classify(["help"], [first]).outputs() == [[1.0]]


def test_runner_with_the_evaluator_as_judge(schwartz10):
    """Repeat 0 writes 'help' (judged high on every value), repeat 1 'refuse' (low): every
    dimension scores exactly 50."""
    from valuespace.projective import Bank, Runner

    class AllValues:
        def evaluate(self, batch):
            k = 10
            return [([1.0 if "help" in it.response else -1.0] * k,
                     [[0.0, 0.0, 1.0] if "help" in it.response else [1.0, 0.0, 0.0]] * k)
                    for it in batch]

    class Writer:
        def generate(self, batch):
            return ["I help" if r.repeat == 0 else "I refuse" for r in batch]

    with Bank.builtin("schwartz10") as bank:
        ev = Evaluator.from_callback(bank.space, 0, AllValues())
        with Runner(bank, vs.Model(Writer()), "classify", ev.as_judge(), repeats=2) as r:
            res = r.run()
        assert res.done == 2 * len(bank) and res.failed == 0
        assert [s.score for s in res] == [50.0] * 10
