"""Checks `valuespace projective compare`'s report directory against an independent
recomputation from the journals alone: every run's scores, n, n_related and coverage from its
records (the latest record of each item and repeat; reverse-keyed judgements flipped; unrelated
ones left out); the bootstrap replicates rebuilt from the documented Poisson weights
(tests/data/accum/weights.py, plain Python written from accum.h) -> the runs' own intervals and
every difference interval (numpy's type-7 quantiles of replicate a minus replicate b); the
figure's data marks against report.json; the CSVs against report.json.
  check_projective_compare.py OUT_DIR"""
import csv
import json
import math
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data", "accum"))
import weights  # noqa: E402

out = sys.argv[1]
rep = json.load(open(f"{out}/report.json"))
keys = rep["dimensions"]
B = rep["bootstrap"]["replicates"]
fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL", msg)


def same(a, b, what, tol=1e-9):
    na = a is None or (isinstance(a, float) and math.isnan(a))
    nb = b is None or (isinstance(b, float) and math.isnan(b))
    if na != nb or (not na and abs(a - b) > tol * max(1.0, abs(b))):
        fail(f"{what}: {a} != {b}")


def run_from_journals(paths):
    """Per dimension: {item: [values]} of the related judgements, n, the seed."""
    header, latest = None, {}
    for p in paths:
        lines = [json.loads(x) for x in open(p) if x.strip()]
        header = header or lines[0]
        for r in lines[1:]:
            latest[(r["item"], r["repeat"])] = r
    dims = [d["key"] for d in header["dimensions"]]
    vals = {k: {} for k in dims}
    n = {k: 0 for k in dims}
    for (item, _), r in latest.items():
        if r["status"] != "ok":
            continue
        for di, j in zip(r["dims"], r["judgements"]):
            k = dims[di]
            n[k] += 1
            if j is None:
                continue
            vals[k].setdefault(item, []).append(1 - j if r["reverse"] else j)
    return header, vals, n


def replicates(seed, item_vals):
    """B replicate means (NaN where no weight) with the documented weights."""
    items = list(item_vals)
    if not items:
        return np.full(B, np.nan)
    hashes = [weights.item_hash(i) for i in items]
    sums = [sum(item_vals[i]) for i in items]
    counts = [len(item_vals[i]) for i in items]
    out_ = np.empty(B)
    for b in range(B):
        w = [weights.weight(seed, b, h) for h in hashes]
        sw = sum(wi * c for wi, c in zip(w, counts))
        out_[b] = sum(wi * s for wi, s in zip(w, sums)) / sw if sw else np.nan
    return out_


runs = rep["runs"]
reps = []
for ri, run in enumerate(runs):
    header, vals, n = run_from_journals(run["journals"])
    seed = int(header["seed"])
    assert run["seed"] == header["seed"]
    assert header["replicates"] == B, (header["replicates"], B)
    r_reps = {}
    for s in run["scores"]:
        k = s["key"]
        allv = [v for lst in vals[k].values() for v in lst]
        if s["n"] != n[k] or s["n_related"] != len(allv):
            fail(f"run {ri} {k}: n {s['n']}/{s['n_related']} != {n[k]}/{len(allv)}")
        same(s["score"], 100 * sum(allv) / len(allv) if allv else None, f"run {ri} {k} score", 1e-12)
        same(s["coverage"], len(allv) / n[k] if n[k] else None, f"run {ri} {k} coverage", 1e-12)
        r = 100 * replicates(seed, vals[k])
        r_reps[k] = r
        d = r[~np.isnan(r)]
        if allv and len(d) >= 2:  # the run's own interval from the rebuilt replicates
            lo, hi = np.quantile(d, [0.025, 0.975])
            same(s["ci_low"], lo, f"run {ri} {k} ci_low")
            same(s["ci_high"], hi, f"run {ri} {k} ci_high")
    reps.append(r_reps)

checked = 0
for x in rep["differences"]:
    a, b, k = x["a"], x["b"], x["key"]
    sa = next(s for s in runs[a]["scores"] if s["key"] == k)
    sb = next(s for s in runs[b]["scores"] if s["key"] == k)
    if sa["score"] is None or sb["score"] is None:
        if x["diff"] is not None or x["ci_low"] is not None:
            fail(f"difference {a}-{b} {k} has numbers without a score")
        continue
    same(x["diff"], sa["score"] - sb["score"], f"diff {a}-{b} {k}", 1e-12)
    d = reps[a][k] - reps[b][k]
    d = d[~np.isnan(d)]
    lo, hi = np.quantile(d, [0.025, 0.975])
    same(x["ci_low"], lo, f"diff {a}-{b} {k} ci_low")
    same(x["ci_high"], hi, f"diff {a}-{b} {k} ci_high")
    if x["excludes_zero"] != bool(lo > 0 or hi < 0):
        fail(f"diff {a}-{b} {k} excludes_zero")
    if x["paired"] != (runs[a]["seed"] == runs[b]["seed"]):
        fail(f"diff {a}-{b} paired")
    checked += 1


def num(s):
    return None if s == "" else float(s)


with open(f"{out}/scores.csv") as f:
    rows = list(csv.DictReader(f))
want = [(ri, run, s) for ri, run in enumerate(runs) for s in run["scores"]]
assert len(rows) == len(want)
for c, (ri, run, s) in zip(rows, want):
    assert (int(c["run"]), c["label"], c["key"]) == (ri, run["label"], s["key"])
    for f_ in ("score", "ci_low", "ci_high", "coverage"):
        same(num(c[f_]), s[f_], f"scores.csv {f_}", 0)
    assert int(c["n"]) == s["n"] and int(c["n_related"]) == s["n_related"]
with open(f"{out}/differences.csv") as f:
    rows = list(csv.DictReader(f))
assert len(rows) == len(rep["differences"])
for c, x in zip(rows, rep["differences"]):
    assert (int(c["a"]), int(c["b"]), c["key"]) == (x["a"], x["b"], x["key"])
    for f_ in ("diff", "ci_low", "ci_high"):
        same(num(c[f_]), x[f_], f"differences.csv {f_}", 0)

# the figure: one score and one coverage mark per dimension and run, with the JSON's numbers
if rep["figures"]:
    svg = ET.parse(f"{out}/projective_scores.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    marks = {"mark score": [], "mark coverage": []}
    for g in svg.iter(f"{ns}g"):
        if g.get("class") in marks:
            marks[g.get("class")].append(g)
    for cls, field in (("mark score", "score"), ("mark coverage", "coverage")):
        if len(marks[cls]) != len(keys) * len(runs):
            fail(f"{len(marks[cls])} '{cls}' marks, expected {len(keys) * len(runs)}")
        for m in marks[cls]:
            run = next(r for r in runs if r["label"] == m.get("data-run"))
            s = next(s for s in run["scores"] if s["key"] == m.get("data-dim"))
            v = float(m.get("data-value"))
            same(None if math.isnan(v) else v, s[field], f"figure {cls} {run['label']} {s['key']}", 0)
            has_bar = m.find(f"{ns}rect") is not None
            if has_bar == (s[field] is None):
                fail(f"figure {cls} {run['label']} {s['key']}: bar drawn {has_bar}, value {s[field]}")
            if cls == "mark score" and s["score"] is None and "n/a" not in "".join(m.itertext()):
                fail(f"figure: {run['label']} {s['key']} has no score but does not say n/a")
            if cls == "mark score" and s["score"] is not None:
                same(float(m.get("data-low")), s["ci_low"], "figure data-low", 0)
                same(float(m.get("data-high")), s["ci_high"], "figure data-high", 0)
    w, h = (float(re.sub("[^0-9.]", "", svg.get(a))) for a in ("width", "height"))
    with open(f"{out}/projective_scores.png", "rb") as f:
        pw, ph = struct.unpack(">II", f.read(24)[16:24])
    if (pw, ph) != (round(w), round(h)):
        fail(f"PNG {pw}x{ph}, SVG {w}x{h}")

print(f"{checked} difference intervals recomputed, {fails} failures")
sys.exit(1 if fails or checked == 0 else 0)
