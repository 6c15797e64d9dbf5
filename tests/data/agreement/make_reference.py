#!/usr/bin/python3
"""Reference values for vs_evaluator_agreement_compute() from scikit-learn.

Writes reference.txt: for each case a line "case NAME N", N lines "truth pred" (-1, 0, +1), then
"accuracy X", "macro_f1 X" and "kappa X" computed by sklearn's accuracy_score,
f1_score(average="macro") and cohen_kappa_score. Run: /usr/bin/python3 make_reference.py
"""
import random

from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score


def cases():
    rng = random.Random(20)
    # independent noise: kappa near 0
    yield "noise", [(rng.choice((-1, 0, 0, 1)), rng.choice((-1, 0, 1))) for _ in range(200)]
    # a noisy copy of the truth: kappa well above 0
    pairs = []
    for _ in range(300):
        t = rng.choice((-1, 0, 0, 0, 1, 1))
        pairs.append((t, t if rng.random() < 0.7 else rng.choice((-1, 0, 1))))
    yield "noisy_copy", pairs
    # the prediction never says -1 and the truth never says +1
    yield "missing_classes", [(rng.choice((-1, 0)), rng.choice((0, 1))) for _ in range(50)]


with open("reference.txt", "w") as out:
    for name, pairs in cases():
        t = [a for a, _ in pairs]
        p = [b for _, b in pairs]
        out.write(f"case {name} {len(pairs)}\n")
        for a, b in pairs:
            out.write(f"{a} {b}\n")
        out.write(f"accuracy {accuracy_score(t, p)!r}\n")
        out.write(f"macro_f1 {f1_score(t, p, average='macro')!r}\n")
        out.write(f"kappa {cohen_kappa_score(t, p)!r}\n")
