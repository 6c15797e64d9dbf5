"""A projective run sharded over a Dask distributed cluster.

Each Dask task runs one shard k/N of the run (runner option shard_index/shard_count: item i
belongs to shard vs_accum_item_hash(id) mod N) in a worker process, with its own copy of the
model, and returns the shard's serialised accumulator (bytes). The client merges the
accumulators and computes the scores: 100 x exact mean per dimension, with the 95% percentile
bootstrap interval. Because accumulators merge exactly, the result equals the single-process
run bit for bit (scores, intervals, counts and the accumulator's exact state).

    python3 dask_shards.py [--workers 2] [--shards 4] [--bank valuelex]

Needs the library (VALUESPACE_LIBRARY) and Debian's python3-distributed.
"""

from __future__ import annotations

import argparse
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # bindings/python, for running from a checkout

import valuespace as vs  # noqa: E402
from valuespace.accum import Accumulator  # noqa: E402


class ToyLM:
    """A deterministic stand-in for a language model's log-likelihoods: a pure function of
    (context, continuation), so every process gives the same numbers."""

    def loglikelihood(self, batch):
        out = []
        for r in batch:
            h = zlib.crc32((r.context + "\x00" + r.continuation).encode("utf-8"))
            out.append(-0.05 * len(r.continuation) - (h % 1000) / 250.0)
        return out


def make_runner(bank_name: str, seed: int, replicates: int, shard: int = 0, shards: int = 1,
                repeats: int = 1):
    bank = vs.Bank.builtin(bank_name)
    model = vs.Model(ToyLM(), max_batch=16)
    return vs.Runner(bank, model, "loglik", seed=seed, replicates=replicates,
                     shard_index=shard, shard_count=shards, repeats=repeats, model_id="toy-lm")


def run_shard(bank_name: str, seed: int, replicates: int, shard: int, shards: int) -> dict:
    """One Dask task: runs shard `shard` of `shards`; returns its accumulator as bytes."""
    with make_runner(bank_name, seed, replicates, shard, shards) as runner:
        result = runner.run()
        return {"shard": shard, "done": result.done, "failed": result.failed,
                "keys": [s.key for s in result], "accum": bytes(result.accumulator())}


def scores_from_accumulator(acc: Accumulator, keys) -> dict:
    """The scores projective.h defines, from a (merged) accumulator."""
    out = {}
    for d, key in enumerate(keys):
        st = acc.stats(d)
        try:
            lo, hi = acc.ci(d, 0.95, "percentile")
            ci = (100 * lo, 100 * hi)
        except vs.UndefinedError:
            ci = (float("nan"), float("nan"))
        out[key] = (st.n, 100 * st.exact_mean, ci[0], ci[1])
    return out


def exact_state(acc: Accumulator) -> list:
    """What merges bit for bit (accum.h "exact state"): counts, exact sums and moments, and
    every replicate mean. (The Welford mean/M2 are floating-point and may differ in the last
    bits between a merged and a single accumulator, so the serialised bytes may too.)"""
    out = []
    for d in range(acc.dimension_count):
        st = acc.stats(d)
        row = (st.n, st.min, st.max, st.exact_sum, st.exact_mean, st.exact_variance,
               st.boot_defined, st.boot_mean, st.boot_se, *acc.replicate_means(d))
        out.append(tuple(None if v != v else v for v in row))  # NaN -> None, comparable
    return out


def run_distributed(client, bank_name="valuelex", seed=2024, replicates=200, shards=4):
    """Runs every shard as a Dask task and merges the accumulators on the client."""
    futures = [client.submit(run_shard, bank_name, seed, replicates, k, shards, pure=False)
               for k in range(shards)]
    parts = client.gather(futures)
    merged = None
    for part in sorted(parts, key=lambda p: p["shard"]):
        acc = Accumulator.from_bytes(part["accum"])
        merged = acc if merged is None else merged.merge(acc)
    keys = parts[0]["keys"]
    return {"accum": merged, "keys": keys, "scores": scores_from_accumulator(merged, keys),
            "done": sum(p["done"] for p in parts), "failed": sum(p["failed"] for p in parts)}


def run_single(bank_name="valuelex", seed=2024, replicates=200) -> dict:
    with make_runner(bank_name, seed, replicates) as runner:
        result = runner.run()
        return {"accum": result.accumulator(), "keys": [s.key for s in result],
                "scores": {s.key: (s.n, s.score, s.ci_low, s.ci_high) for s in result},
                "done": result.done, "failed": result.failed}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--bank", default="valuelex")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--replicates", type=int, default=200)
    args = ap.parse_args(argv)
    from dask.distributed import Client, LocalCluster

    # worker processes import this module by name: put its folder and the package on their path
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [HERE, os.path.dirname(HERE)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        dist = run_distributed(client, args.bank, args.seed, args.replicates, args.shards)
    single = run_single(args.bank, args.seed, args.replicates)
    for key, (n, score, lo, hi) in dist["scores"].items():
        print(f"{key:24s} n={n:4d} score={score:7.3f}  95% CI [{lo:7.3f}, {hi:7.3f}]")
    same = (dist["scores"] == single["scores"]
            and exact_state(dist["accum"]) == exact_state(single["accum"]))
    print(f"records: {dist['done']} ok, {dist['failed']} failed; "
          f"equal to the single-process run: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
