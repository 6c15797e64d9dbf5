"""The projective runner from Python (projective.h runner section): Python callback models,
batch-size and shard independence, journals, and exceptions propagating through a run."""

import math
import os
import sys
import zlib

import pytest

import valuespace as vs
from valuespace.accum import Accumulator
from valuespace.projective import Bank, Runner, merge_journals

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
import dask_shards  # noqa: E402  (ToyLM, exact_state, scores_from_accumulator)

if "vs_runner_run" in vs._lib.MISSING:
    pytest.skip("the library has no runner yet", allow_module_level=True)


def _scores(result):
    return [(s.key, s.n, s.score, s.ci_low, s.ci_high) for s in result]


@pytest.fixture(scope="module")
def bank():
    with Bank.builtin("valuelex") as b:
        yield b


def _run(bank, model_obj=None, judge="loglik", judge_obj=None, **options):
    model = vs.Model(model_obj or dask_shards.ToyLM(), max_batch=options.pop("max_batch", 16),
                     sleep=lambda s: None)
    jm = vs.Model(judge_obj) if judge_obj is not None else None
    with Runner(bank, model, judge, jm, seed=options.pop("seed", 5), **options) as r:
        return r.run()


def test_batch_size_independence(bank):
    results = [_run(bank, max_batch=b, replicates=100, repeats=2) for b in (1, 7, 64)]
    assert _scores(results[0]) == _scores(results[1]) == _scores(results[2])
    assert results[0].done == 2 * len(bank) and results[0].failed == 0


def test_shards_merge_to_the_single_run(bank):
    single = _run(bank, replicates=100)
    merged = None
    for k in range(3):
        part = _run(bank, replicates=100, shard_index=k, shard_count=3)
        acc = Accumulator.from_bytes(bytes(part.accumulator()))
        merged = acc if merged is None else merged.merge(acc)
    keys = [s.key for s in single]
    assert dask_shards.exact_state(merged) == dask_shards.exact_state(single.accumulator())
    expected = {s.key: (s.n, s.score, s.ci_low, s.ci_high) for s in single}
    assert dask_shards.scores_from_accumulator(merged, keys) == expected


def test_scores_are_exact_ratios(bank):
    """Score = 100 x (items judged high, keyed) / n, recomputed here from the ToyLM directly."""
    res = _run(bank, replicates=0)
    lm = dask_shards.ToyLM()
    space = bank.space
    counts = {}
    for it in bank:
        hi = lm.loglikelihood([vs.LoglikRequest(it.context, " " + it.high)])[0]
        lo = lm.loglikelihood([vs.LoglikRequest(it.context, " " + it.low)])[0]
        j = 1.0 if hi > lo else 0.0 if lo > hi else 0.5
        v = 1 - j if it.reverse else j
        for d in it.dimensions:
            key = space[d].key
            s, n = counts.get(key, (0.0, 0))
            counts[key] = (s + v, n + 1)
    for s in res:
        total, n = counts[s.key]
        assert s.n == n and s.score == 100 * (total / n)  # 100 x the (correctly rounded) mean
        assert math.isnan(s.ci_low)  # no replicates, no interval


def test_transient_failures_are_retried(bank):
    seen = set()

    class Flaky(dask_shards.ToyLM):
        def loglikelihood(self, batch):
            out = super().loglikelihood(batch)
            for i, r in enumerate(batch):
                if r.context not in seen:
                    seen.add(r.context)
                    out[i] = vs.Transient("try again")
            return out

    res = _run(bank, Flaky(), replicates=50)
    assert res.failed == 0 and _scores(res) == _scores(_run(bank, replicates=50))


class JudgeBroke(Exception):
    pass


def test_exceptions_propagate_through_a_run(bank):
    class Broken:
        def loglikelihood(self, batch):
            raise JudgeBroke("model down")

    with pytest.raises(JudgeBroke, match="model down"):
        _run(bank, Broken())

    def progress(done, total):
        if done >= 3:
            raise KeyboardInterrupt

    model = vs.Model(dask_shards.ToyLM(), max_batch=1)
    with Runner(bank, model, progress=progress) as r, pytest.raises(KeyboardInterrupt):
        r.run()


def test_classify_judge_with_python_models(bank):
    class Writer:
        def generate(self, batch):
            return [f"{r.prompt} and so on ({r.seed % 7})" for r in batch]

    class Judge:
        def classify(self, batch, labels):
            return [[(zlib.crc32((r.text + l).encode()) % 100) / 99 for l in labels]
                    for r in batch]

    res = _run(bank, Writer(), "classify", Judge(), replicates=20, judge_id="crc")
    assert res.done == len(bank) and len(res) == 6
    assert all(0 <= s.score <= 100 for s in res)


def test_journal_and_merge(bank, tmp_path):
    paths = []
    for k in range(2):
        p = tmp_path / f"shard{k}.jsonl"
        _run(bank, replicates=30, shard_index=k, shard_count=2, journal=str(p))
        paths.append(p)
    merged = merge_journals(paths)
    single = _run(bank, replicates=30)
    assert _scores(merged) == _scores(single) and merged.done == single.done
    assert vs.projective.journal_field(paths[0], "bank") == "valuelex"


def test_interrupted_run_resumes_from_its_journal(bank, tmp_path):
    journal = tmp_path / "run.jsonl"
    model = vs.Model(dask_shards.ToyLM(), max_batch=4)

    def stop_early(done, total):
        if done >= 10:  # journalled records arrive in batches
            raise RuntimeError("interrupted")

    with Runner(bank, model, seed=5, replicates=40, journal=str(journal), progress=stop_early) as r:
        with pytest.raises(RuntimeError, match="interrupted"):
            r.run()
    with Runner.from_journal(journal, bank, model) as r:
        assert r.get("replicates") == 40
        resumed = r.resume()
    single = _run(bank, replicates=40, seed=5)
    assert _scores(resumed) == _scores(single) and resumed.done == len(bank)


class Down:
    """A judge model whose server is down: every request fails alike."""

    def loglikelihood(self, batch):
        return [vs.Permanent("connection refused") for _ in batch]


def test_a_run_whose_records_all_fail_stops_with_failed_error(bank, tmp_path):
    journal = tmp_path / "down.jsonl"
    model = vs.Model(Down(), max_batch=4)
    with Runner(bank, model, seed=5, replicates=40, journal=str(journal)) as r:
        with pytest.raises(vs.FailedError) as e:
            r.run()
    assert not isinstance(e.value, vs.CallbackError) and e.value.code == vs.Status.EFAILED
    msg = e.value.message
    assert "first 20 records all failed alike" in msg and "connection refused" in msg, msg
    # what finished is in the journal: the 20 failed records; it reads back
    merged = merge_journals([journal])
    assert merged.done == 0 and merged.failed == 20
    first = merged.first_failure
    assert first.item == bank[0].id and first.repeat == 0
    assert first.status == vs.model.ITEM_PERMANENT and first.status_name == "permanent"
    assert first.message.endswith("connection refused")
    # once the server is back, the resumed run runs the failed records again: as a clean run
    with Runner.from_journal(journal, bank, vs.Model(dask_shards.ToyLM())) as r:
        resumed = r.resume()
    assert resumed.failed == 0 and resumed.first_failure is None
    assert _scores(resumed) == _scores(_run(bank, replicates=40, seed=5))


def test_first_failure_names_the_first_failed_record(bank):
    ok = _run(bank, replicates=0)
    assert ok.failed == 0 and ok.first_failure is None

    # the early stop switched off: every record runs and fails
    model = vs.Model(Down(), max_batch=4, stop_after_same_failures=0)
    with Runner(bank, model, seed=5, replicates=0, repeats=2) as r:
        res = r.run()
    assert res.done == 0 and res.failed == 2 * len(bank)
    assert res.first_failure == vs.projective.Failure(
        bank[0].id, 0, vs.model.ITEM_PERMANENT,
        "permanent failure reported by the loglikelihood callback: connection refused")
    assert all(math.isnan(s.score) for s in res)

    # one item fails: counted, named, and the failure threshold turns it into FailedError
    bad = bank[3].id

    class OneRefused(dask_shards.ToyLM):
        def loglikelihood(self, batch):
            out = super().loglikelihood(batch)
            return [vs.Permanent(f"refused {r.id}") if r.id.startswith(bad) else o
                    for r, o in zip(batch, out)]

    res = _run(bank, OneRefused(), replicates=0)
    assert (res.done, res.failed) == (len(bank) - 1, 1)
    item, repeat, status, message = res.first_failure
    assert (item, repeat, status) == (bad, 0, vs.model.ITEM_PERMANENT)
    assert message.endswith(f"refused {bad}"), message
    model = vs.Model(OneRefused(), max_failed=0)
    with Runner(bank, model, seed=5) as r, pytest.raises(vs.FailedError) as e:
        r.run()
    assert "VS_MODEL_OPT_MAX_FAILED" in e.value.message and bad in e.value.message
