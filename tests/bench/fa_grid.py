#!/usr/bin/env python3
"""Our side of run_bench_fa_grid.sh, and the summary.

    fa_grid.py VALUESPACE DIR REPS

For every cell of DIR/cells.txt (written by bench_fa_grid.R) runs the whole command
`valuespace fa FILE --mode psych OPTIONS --json > out` REPS times (parse + fit + statistics +
output), timing each run's wall clock and reading its peak RSS from wait4; compares our loadings
and RMSEA interval with psych's (DIR/<cell>.loadings.csv, .rmsea) and prints, per cell, psych's
fa() times, ours, the ratio of the medians and its spread (psych's fastest over our slowest, psych's
slowest over our fastest). Then one line per row of README's table: the WORST cell of the row
(k below / at / above the true k) by the ratio of medians, with the row's lowest conservative
ratio beside it, against the row's goal. Standard library only.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run_ours(exe, args, out):
    t0 = time.perf_counter()
    with open(out, "w") as f:
        proc = subprocess.Popen([exe] + args, stdout=f, stderr=subprocess.PIPE)
        _, status, ru = os.wait4(proc.pid, 0)
    t = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(args), err.strip()))
    return t, ru.ru_maxrss / 1024.0


def read_times(path):
    with open(path) as f:
        return [float(x) for x in f.read().split()]


def max_abs_diff(ours, path):
    try:
        with open(path) as f:
            ref = [[float(v) for v in line.split(",")] for line in f if line.strip()]
    except OSError:
        return float("nan")
    d = 0.0
    for a, b in zip(ours, ref):
        for x, y in zip(a, b):
            d = max(d, abs(x - y))
    return d


def main():
    exe, wdir, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cells = []
    with open(os.path.join(wdir, "cells.txt")) as f:
        for line in f:
            cid, file, opts, p, kt, k, m, kind = line.rstrip("\n").split("\t")
            cells.append(dict(id=cid, file=file, opts=opts.split(), p=int(p), kt=int(kt), k=int(k), m=m, kind=kind))
    rows = {}
    print("%-26s %-17s %-23s %7s %-13s %8s %9s %s" % ("cell", "psych fa() s", "ours (whole command) s", "ratio",
                                                        "spread", "max RSS", "max |dL|", "RMSEA interval diff"))
    for c in cells:
        tpath = os.path.join(wdir, c["id"] + ".time")
        if not os.path.exists(tpath):
            continue
        tr = read_times(tpath)
        inp = os.path.join(wdir, c["file"])
        out = os.path.join(wdir, c["id"] + ".ours.json")
        if c["kind"] == "parallel":
            args = ["fa", "parallel", inp] + c["opts"] + ["--json"]
        else:
            args = ["fa", inp, "--mode", "psych"] + c["opts"] + ["--json"]
        ts, rss = [], 0.0
        for _ in range(reps):
            t, r = run_ours(exe, args, out)
            ts.append(t)
            rss = max(rss, r)
        dl, dci = float("nan"), float("nan")
        if c["kind"] != "parallel":
            with open(out) as f:
                js = json.load(f)
            dl = max_abs_diff(js.get("loadings", []), os.path.join(wdir, c["id"] + ".loadings.csv"))
            rpath = os.path.join(wdir, c["id"] + ".rmsea")
            ci = js.get("fit", {}).get("rmsea_ci")
            if ci and os.path.exists(rpath):
                ref = read_times(rpath)
                dci = max(abs(ci[0] - ref[1]), abs(ci[1] - ref[2]))
        ratio = statistics.median(tr) / statistics.median(ts)
        lo, hi = min(tr) / max(ts), max(tr) / min(ts)
        print("%-26s %-17s %-23s %6.1fx %5.1f-%-6.1fx %6.0f MB %9.2g %.2g" % (
            c["id"], "%.3f-%.3f" % (min(tr), max(tr)), "%.3f-%.3f (med %.3f)" % (min(ts), max(ts), statistics.median(ts)),
            ratio, lo, hi, rss, dl, dci))
        if c["kind"] == "fa":
            inp_kind = "correlation matrix" if "--cor" in c["opts"] else "raw, 10% missing"
            key = ("fa %s, p = %d, %s" % (c["m"], c["p"], inp_kind), 20.0 if c["p"] >= 300 else None)
        elif c["kind"] == "poly":
            key = ("polychoric, p = 50, n = 2000, 5 categories", 20.0)
        elif c["kind"] == "heywood":
            key = ("Heywood-prone, p = 300, n = 1000 (minres, ml)", 20.0)
        else:
            key = ("parallel analysis, p = 100, 100 iterations", 50.0)
        rows.setdefault(key, []).append((ratio, lo, c["id"]))
    print("\nrows (worst cell by the ratio of medians; lowest conservative ratio; goal):")
    for (name, goal), v in rows.items():
        worst = min(v)
        cons = min(x[1] for x in v)
        verdict = "" if goal is None else ("meets %gx" % goal if worst[0] >= goal else "BELOW %gx" % goal)
        print("  %-50s %6.1fx (%s)  conservative %5.1fx  %s" % (name, worst[0], worst[2], cons, verdict))


if __name__ == "__main__":
    main()
