#!/usr/bin/python3
"""The openai backend's request window against lock-step batches (issue 14, item 4).

A local server (latency_server.c, compiled here with libmicrohttpd) answers every chat request after an exponential random time
(mean 200 ms). `valuespace projective run --judge choice` sends 500 requests (125 items of the
valuelex bank x 4 repeats) with concurrency 32:
  window     the default --batch (1024): 32 requests in flight, a finished one frees its slot;
  lock-step  --batch 32: each call sends 32 requests and waits for all of them (the behaviour
             before the window).
A capability probe (one chat request) goes first in both modes. Per run it prints the wall time
next to two lower bounds: requests x mean / concurrency (the
brief's "ideal") and a perfect window replayed on the latencies the server actually drew (no
scheduler that cannot see the future does better: the last requests' tail is unavoidable; the
probe's latency counted).
Usage: tests/bench/bench_openai_window.py [BUILD_DIR] [RUNS]   (default build-h, 5)
"""
import heapq
import json
import os
import subprocess
import sys
import tempfile
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SRC, "build-h")
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
ITEMS, REPEATS, CONC, MEAN_MS = 125, 4, 32, 200
VS = os.path.join(BUILD, "valuespace")


def perfect_window(lat, conc):
    """Makespan of the requests started in order, each as soon as one of conc slots is free."""
    slots = [0.0] * conc
    end = 0.0
    for d in lat:
        t = heapq.heappop(slots) + d
        end = max(end, t)
        heapq.heappush(slots, t)
    return end


def one(work, mode, seed, mean_ms=MEAN_MS):
    port_file, log = os.path.join(work, "port"), os.path.join(work, "lat.log")
    for f in (port_file, log):
        if os.path.exists(f):
            os.remove(f)
    srv = subprocess.Popen([os.path.join(work, "latency_server"), port_file, log, str(mean_ms), str(seed)])
    try:
        for _ in range(100):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        port = open(port_file).read().strip()
        journal = os.path.join(work, "run.jsonl")
        if os.path.exists(journal):
            os.remove(journal)
        cmd = [VS, "projective", "run", "--bank", os.path.join(work, "bank.json"), "--backend", "openai",
               "--backend-opt", "base_url=http://127.0.0.1:" + port, "--backend-opt", "model=bench",
               "--backend-opt", "concurrency=%d" % CONC, "--judge", "choice", "--repeats", str(REPEATS),
               "--journal", journal, "--json"]
        if mode == "lock-step":
            cmd += ["--batch", str(CONC)]
        t0 = time.monotonic()
        out = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.monotonic() - t0
        if out.returncode != 0:
            sys.exit("run failed (%d): %s" % (out.returncode, out.stderr))
        done = json.loads(out.stdout)["done"]
        lat = [float(x) for x in open(log).read().split()]
        return wall, done, lat
    finally:
        srv.terminate()
        srv.wait()


def main():
    with tempfile.TemporaryDirectory() as work:
        mhd = subprocess.run(["pkg-config", "--cflags", "--libs", "libmicrohttpd"], check=True, capture_output=True,
                             text=True).stdout.split()
        subprocess.run(["cc", "-O2", os.path.join(SRC, "tests/bench/latency_server.c"), "-o",
                        os.path.join(work, "latency_server")] + mhd + ["-lpthread", "-lm"], check=True)
        bank = json.loads(subprocess.run([VS, "projective", "bank", "show", "valuelex", "--json"], check=True,
                                         capture_output=True, text=True).stdout)
        bank["items"] = bank["items"][:ITEMS]
        bank["name"] = "valuelex-bench"
        with open(os.path.join(work, "bank.json"), "w") as f:
            json.dump(bank, f)
        n = ITEMS * REPEATS
        ideal = n * MEAN_MS / 1000.0 / CONC
        print("%d requests, latency exp(mean %d ms), concurrency %d; ideal n x mean / c = %.3f s"
              % (n, MEAN_MS, CONC, ideal))
        fixed, _, _ = one(work, "window", 1, 0)
        print("the same run with latency 0: %.3f s (CLI start, bank, journal, HTTP)" % fixed)
        worst = {}
        for run in range(RUNS):
            for mode in ("window", "lock-step"):
                wall, done, lat = one(work, mode, 1000 + run)
                if len(lat) != n + 1 or done != n:
                    sys.exit("%s: %d requests served, %d records done, %d + the probe expected" % (mode, len(lat), done, n))
                best = lat[0] + perfect_window(lat[1:], CONC)  # the capability probe runs first, alone
                print("run %d %-9s wall %.3f s  (%.2f x ideal, %.2f x the perfect window %.3f s on these latencies)"
                      % (run + 1, mode, wall, wall / ideal, wall / best, best))
                w = worst.get(mode)
                if not w or wall > w[0]:
                    worst[mode] = (wall, best)
        for mode, (wall, best) in worst.items():
            print("worst %-9s %.3f s = %.2f x ideal, %.2f x its perfect window" % (mode, wall, wall / ideal, wall / best))


if __name__ == "__main__":
    main()
