"""valuespace.evaluator.agreement(): figures against scikit-learn, a perfect oracle evaluator
reaches 1.0, a noise evaluator sits at chance, and bad inputs raise the specific error."""

import math
import random

import numpy as np
import pytest

import valuespace as vs
from valuespace.evaluator import Evaluator, agreement

sklearn = pytest.importorskip("sklearn.metrics")


def labels(n, k, seed):
    rng = random.Random(seed)
    return np.array([[rng.choice((-1.0, 0.0, 0.0, 0.0, 1.0, 1.0)) for _ in range(k)] for _ in range(n)])


def test_matches_scikit_learn():
    rng = random.Random(3)
    t = [rng.choice((-1, 0, 0, 1)) for _ in range(300)]
    p = [x if rng.random() < 0.6 else rng.choice((-1, 0, 1)) for x in t]
    a = agreement(t, p, replicates=500, seed=1)
    assert a.n == 300 and a.n_skipped == 0
    assert a.accuracy == pytest.approx(sklearn.accuracy_score(t, p), abs=1e-12)
    assert a.macro_f1 == pytest.approx(sklearn.f1_score(t, p, average="macro"), abs=1e-12)
    assert a.kappa == pytest.approx(sklearn.cohen_kappa_score(t, p), abs=1e-12)
    cm = sklearn.confusion_matrix(t, p, labels=[-1, 0, 1])
    assert a.confusion == tuple(tuple(int(x) for x in row) for row in cm)
    assert a.kappa_low < a.kappa < a.kappa_high and a.replicates == 500


class Oracle:
    """A judge that answers with the human labels (perfect) or with noise."""

    def __init__(self, truth, noise=False):
        self.truth, self.noise, self.rng = truth, noise, random.Random(11)

    def evaluate(self, batch):
        k = self.truth.shape[1]
        if self.noise:
            return [[float(self.rng.choice((-1, 0, 1))) for _ in range(k)] for _ in batch]
        return [self.truth[item.index].tolist() for item in batch]


def test_oracle_reaches_one_and_noise_sits_at_chance(schwartz10):
    n, k = 600, len(schwartz10.keys(0))
    truth = labels(n, k, 5)
    texts = [f"response {i}" for i in range(n)]
    for noise in (False, True):
        ev = Evaluator.from_callback(schwartz10, 0, Oracle(truth, noise), batch_size=64)
        pred = ev.predict(texts).values
        for d in range(k):
            a = agreement(truth[:, d], pred[:, d], replicates=400, seed=d)
            if not noise:
                assert a.accuracy == 1.0 and a.macro_f1 == 1.0 and a.kappa == 1.0
                assert a.kappa_low == 1.0 and a.kappa_high == 1.0
            else:
                # chance agreement: kappa's interval holds the baseline's 0, and noise does not
                # beat the majority baseline's accuracy
                assert a.kappa_low < 0.0 < a.kappa_high and abs(a.kappa) < 0.1
                assert a.accuracy < a.baseline_accuracy and a.baseline_kappa == 0.0


def test_missing_values_and_bad_inputs():
    a = agreement([1, math.nan, 0, -1], [1, 1, math.nan, -1], replicates=0)
    assert a.n == 2 and a.n_skipped == 2 and math.isnan(a.kappa_low)
    for kwargs, status in ((dict(truth=[1, 2, 0], pred=[1, 0, 0], replicates=0), "EINVAL"),
                           (dict(truth=[1, 0], pred=[1, 0], replicates=100, confidence=1.5), "EINVAL"),
                           (dict(truth=[1, 0], pred=[1, 0], replicates=3), "ERANGE")):
        with pytest.raises(vs.InvalidArgument) as e:
            agreement(**kwargs)
        assert e.value.code == vs.errors.Status[status]
    with pytest.raises(vs.UndefinedError):
        agreement([math.nan], [1.0], replicates=0)
    with pytest.raises(vs.MismatchError):
        agreement([1, 0], [1], replicates=0)
