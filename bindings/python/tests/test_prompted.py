"""Prompted evaluators from Python model objects: an oracle that knows the human labels reaches
agreement 1.0, noise sits at chance, answer mode keeps malformed answers, and bad inputs fail
with the specific error."""

import math
import random

import numpy as np
import pytest

import valuespace as vs
from valuespace.evaluator import Evaluator, agreement, fulcra_template, prompt_text

CONT = [" Opposed", " No connection", " Important"]


def human_labels(n, k, seed=4):
    rng = random.Random(seed)
    return np.array([[rng.choice((-1, 0, 0, 0, 1, 1)) for _ in range(k)] for _ in range(n)], float)


class Oracle:
    """Scores the human label's continuation highest (request ids are ITEM/DIMENSION/CLASS)."""

    def __init__(self, truth, noise=False):
        self.truth, self.noise, self.rng, self.contexts = truth, noise, random.Random(9), []

    def loglikelihood(self, batch):
        out = []
        for r in batch:
            item, dim, cls = (int(x) for x in r.id.split("/"))
            assert CONT[cls] == r.continuation
            self.contexts.append(r.context)
            if self.noise:
                out.append(-self.rng.random() * 3)
            else:
                out.append(-0.1 if cls == self.truth[item, dim] + 1 else -4.0)
        return out


def test_oracle_reaches_one_noise_sits_at_chance(schwartz10):
    n, k = 300, 10
    truth = human_labels(n, k)
    texts = [f"response {i}" for i in range(n)]
    oracle = Oracle(truth)
    ev = Evaluator.prompted(schwartz10, 0, oracle, batch_size=50)
    pred = ev.predict(texts, prompts=["q"] * n)
    assert pred.ok
    for d in range(k):
        a = agreement(truth[:, d], pred.values[:, d], replicates=200)
        assert a.kappa == 1.0 and a.accuracy == 1.0 and a.macro_f1 == 1.0
    # the prompts are the documented ones
    assert oracle.contexts[0] == prompt_text(schwartz10, 0, "response 0", "q")
    assert oracle.contexts[0].startswith(fulcra_template().split("{")[0])
    noisy = Evaluator.prompted(schwartz10, 0, Oracle(truth, noise=True))
    pv = noisy.predict(texts).values
    kappas = [agreement(truth[:, d], pv[:, d], replicates=200, seed=d) for d in range(k)]
    assert all(a.kappa_low < 0.0 < a.kappa_high for a in kappas)


class Answers:
    def generate(self, batch):
        return ["Important" if r.id.startswith("0/") else "well... Opposed" for r in batch]


def test_answer_mode_keeps_malformed_answers(schwartz10):
    ev = Evaluator.prompted(schwartz10, "value", Answers(), mode="answer")
    with pytest.raises(vs.CallbackError) as e:
        ev.predict(["a", "b"])
    p = e.value.prediction
    assert p.statuses[0] == 0 and p.statuses[1] != 0 and (p.values[0] == 1.0).all()
    assert ev.answer(1, "power") == "well... Opposed" and ev.answer(0, 0) == "Important"


def test_bad_inputs(schwartz10):
    with pytest.raises(vs.InvalidArgument) as e:
        Evaluator.prompted(schwartz10, 0, Oracle(None), template="{value} but no dialogue")
    assert e.value.code == vs.errors.Status.EINVAL
    with pytest.raises(vs.InvalidArgument):
        Evaluator.prompted(schwartz10, 0, Oracle(None), mode="guess")
    with pytest.raises(vs.StateError):  # answer mode needs generate
        Evaluator.prompted(schwartz10, 0, Oracle(None), mode="answer")
    with pytest.raises(vs.OutOfRange):
        prompt_text(schwartz10, 99, "r")
    with pytest.raises(vs.NotFound):
        prompt_text(schwartz10, "no_such_value", "r")
