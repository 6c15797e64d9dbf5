"""Checks the demo's comparisons (report.json "comparisons", comparisons_*.csv, profile_agreement.csv)
against an independent recomputation: the label-based profiles are computed again through the
Python bindings with the demo's seed and replicates, their per-resample means and rewards read
with Profiles.replicates(), and the difference intervals recomputed with numpy (np.quantile of
resample a minus resample b); the resamples themselves are checked to give the profiles' own
intervals in report.json. The agreement correlations are recomputed from report.json's mean
profiles with numpy and scipy.
  check_demo_compare.py DEMO_DIR DATA.jsonl"""
import csv
import json
import math
import sys

import numpy as np
from scipy import stats

import valuespace as vs
from valuespace.evaluator import profiles

out, data = sys.argv[1], sys.argv[2]
rep = json.load(open(f"{out}/report.json"))
cmp = rep["comparisons"]
B, seed, conf = rep["bootstrap"]["replicates"], rep["bootstrap"]["seed"], rep["bootstrap"]["confidence"]
q = [(1 - conf) / 2, (1 + conf) / 2]
fails = 0


def close(a, b, what, tol=1e-12):
    global fails
    a = None if a is None or (isinstance(a, float) and math.isnan(a)) else a
    b = None if b is None or (isinstance(b, float) and math.isnan(b)) else b
    if (a is None) != (b is None) or (a is not None and abs(a - b) > tol * max(1.0, abs(b))):
        print(f"FAIL {what}: {a} != {b}")
        fails += 1


ds = vs.Dataset.load_fulcra(data)
labels = ds.labels(0)
groups = ds.source_indices()
names = ds.sources
keys = rep["keys"]
targets = ["default", "uk", "netherlands", "france"]
checked = 0
for ti, tname in enumerate(targets):
    prof = profiles(labels, groups, tname, threshold=0.3, replicates=B, confidence=conf, seed=seed)
    gids = [int(g) for g in prof.groups]
    ng = len(gids)
    reps = [prof.replicates(j) for j in range(ng)]
    rew = [prof.replicates(j, "reward") for j in range(ng)]
    means = prof.get("mean")
    if ti == 0:
        # the resamples give the profiles' own intervals (the accessor returns what they came from)
        for j in range(ng):
            own = rep["profiles_labels"][j]
            assert own["source"] == names[gids[j]]
            for t in range(len(keys)):
                r = reps[j][:, t]
                r = r[~np.isnan(r)]
                lo, hi = np.quantile(r, q)
                close(lo, own["ci_low"][t], f"{own['source']} {keys[t]} ci_low from the resamples")
                close(hi, own["ci_high"][t], f"{own['source']} {keys[t]} ci_high from the resamples")
        rows = iter(cmp["profiles_labels"])
        for a in range(ng):
            for b in range(a + 1, ng):
                d = reps[a] - reps[b]
                for t in range(len(keys)):
                    row = next(rows)
                    assert (row["a"], row["b"], row["key"]) == (names[gids[a]], names[gids[b]], keys[t]), row
                    x = d[:, t][~np.isnan(d[:, t])]
                    lo, hi = np.quantile(x, q)
                    close(row["diff"], means[a, t] - means[b, t], f"{row} diff")
                    close(row["ci_low"], lo, f"{row} ci_low")
                    close(row["ci_high"], hi, f"{row} ci_high")
                    if row["excludes_zero"] != bool(lo > 0 or hi < 0):
                        print(f"FAIL {row} excludes_zero")
                        fails += 1
                    checked += 1
    rows = [r for r in cmp["reward_labels"] if r["target"] == tname]
    i = 0
    for a in range(ng):
        for b in range(a + 1, ng):
            row = rows[i]
            i += 1
            assert (row["a"], row["b"]) == (names[gids[a]], names[gids[b]]), row
            lo, hi = np.quantile(rew[a] - rew[b], q)
            close(row["diff"], prof[a].reward - prof[b].reward, f"{row} diff")
            close(row["ci_low"], lo, f"{row} ci_low")
            close(row["ci_high"], hi, f"{row} ci_high")
            checked += 1

# the predictions' differences: the point estimates are differences of report.json's means
pp = rep["profiles_predicted"]
rows = iter(cmp["profiles_predicted"])
for a in range(len(pp)):
    for b in range(a + 1, len(pp)):
        for t in range(len(keys)):
            row = next(rows)
            close(row["diff"], pp[a]["mean"][t] - pp[b]["mean"][t], f"{row} diff", 1e-12)
            if not (row["ci_low"] <= row["ci_high"]):
                print(f"FAIL {row}: interval out of order")
                fails += 1


# agreement: numpy / scipy on report.json's mean profiles
def agree(x, y):
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[ok], y[ok]
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None, None, len(x)
    return float(np.corrcoef(x, y)[0, 1]), float(stats.spearmanr(x, y).statistic), len(x)


L = np.array([g["mean"] for g in rep["profiles_labels"]])
P = np.array([g["mean"] for g in rep["profiles_predicted"]])
for t, row in enumerate(cmp["agreement"]["per_value"]):
    p, s, n = agree(L[:, t], P[:, t])
    close(row["pearson"], p, f"agreement {row['key']} pearson")
    close(row["spearman"], s, f"agreement {row['key']} spearman")
    assert row["n"] == n
for g, row in enumerate(cmp["agreement"]["per_model"]):
    p, s, n = agree(L[g], P[g])
    close(row["pearson"], p, f"agreement {row['source']} pearson")
    close(row["spearman"], s, f"agreement {row['source']} spearman")
    assert row["n"] == n

# the CSVs say what report.json says, at full precision
def num(s):
    return None if s == "" else float(s)


with open(f"{out}/comparisons_profiles.csv") as f:
    csv_rows = list(csv.DictReader(f))
json_rows = [("labels", r) for r in cmp["profiles_labels"]] + [("predicted", r) for r in cmp["profiles_predicted"]]
assert len(csv_rows) == len(json_rows), (len(csv_rows), len(json_rows))
for c, (src, r) in zip(csv_rows, json_rows):
    assert (c["from"], c["a"], c["b"], c["key"]) == (src, r["a"], r["b"], r["key"])
    for k in ("diff", "ci_low", "ci_high"):
        close(num(c[k]), r[k], f"comparisons_profiles.csv {k}", 0)
    assert int(c["excludes_zero"]) == int(r["excludes_zero"])
with open(f"{out}/comparisons_reward.csv") as f:
    csv_rows = list(csv.DictReader(f))
json_rows = [("labels", r) for r in cmp["reward_labels"]] + [("predicted", r) for r in cmp["reward_predicted"]]
assert len(csv_rows) == len(json_rows)
for c, (src, r) in zip(csv_rows, json_rows):
    assert (c["from"], c["a"], c["b"], c["target"]) == (src, r["a"], r["b"], r["target"])
    for k in ("diff", "ci_low", "ci_high"):
        close(num(c[k]), r[k], f"comparisons_reward.csv {k}", 0)
with open(f"{out}/profile_agreement.csv") as f:
    csv_rows = list(csv.DictReader(f))
json_rows = cmp["agreement"]["per_value"] + cmp["agreement"]["per_model"]
assert len(csv_rows) == len(json_rows)
for c, r in zip(csv_rows, json_rows):
    close(num(c["pearson"]), r["pearson"], "profile_agreement.csv pearson", 0)
    close(num(c["spearman"]), r["spearman"], "profile_agreement.csv spearman", 0)

print(f"{checked} difference intervals recomputed, {fails} failures")
sys.exit(1 if fails or checked == 0 else 0)
