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


class _Words:
    """Writes one of three words chosen by the record's seed."""
    words = ("help", "refuse", "weather")

    def generate(self, batch):
        return [self.words[r.seed % 3] for r in batch]


class _Judge3:
    """Three-way: help high, refuse low, weather unrelated (its p(unrelated) is the largest);
    every label of the dimension `never` is unrelated."""

    def __init__(self, never=None):
        self.never = never

    def classify(self, batch, labels):
        probs = {"help": (0.7, 0.2, 0.1), "refuse": (0.1, 0.2, 0.7), "weather": (0.3, 0.4, 0.3)}
        out = []
        for r in batch:
            row = []
            for label in labels:
                key, _, cls = label.rpartition(":")
                p = (0.05, 0.9, 0.05) if key == self.never else probs[r.text]
                row.append(p[{"high": 0, "unrelated": 1, "low": 2}[cls]])
            out.append(row)
        return out


def test_three_way_judge_and_rejudge(bank, tmp_path):
    keys = {d: bank.space.dimensions[d].key for item in bank for d in item.dimensions}
    never = keys[bank[0].dimensions[0]]
    journal = tmp_path / "run.jsonl"
    with Runner(bank, vs.Model(_Words()), "classify3", vs.Model(_Judge3(never)), seed=3, repeats=2,
                journal=str(journal), judge_id="j3") as r:
        res = r.run()
    # by hand: per dimension, n judgements, related = help or refuse, high = help
    expect = {}
    for item in bank:
        for rep in range(2):
            word = _Words.words[vs.model.item_seed(3, item.id, rep) % 3]
            for d in item.dimensions:
                n, rel, hi = expect.get(keys[d], (0, 0, 0))
                related = word != "weather" and keys[d] != never
                expect[keys[d]] = (n + 1, rel + related, hi + (related and word == "help"))
    for s in res:
        n, rel, hi = expect[s.key]
        assert (s.n, s.n_related) == (n, rel)
        assert s.coverage == rel / n
        if rel == 0:
            assert s.key == never and s.score is None  # no related judgement: no score
        else:
            assert s.score == pytest.approx(100 * hi / rel, abs=1e-12)
    assert sum(s.score is None for s in res) == 1

    # rejudged with the same judge: the same scores bit for bit; the generator is never called
    # (the rejudge runner holds no model of ours but the judge)
    with Runner.rejudge(journal, bank, vs.Model(_Judge3(never)), journal=str(tmp_path / "re.jsonl"),
                        judge_id="j3") as r:
        assert r.model is None
        re = r.run()
    full = lambda result: [repr((s.key, s.n, s.n_related, s.score, s.ci_low, s.ci_high)) for s in result]
    assert full(re) == full(res)
    # with another judge (nothing unrelated): every judgement related
    with Runner.rejudge(journal, bank, vs.Model(_Judge3())) as r:
        other = r.run()
    assert all(s.n_related < s.n for s in other if s.key != never)  # "weather" stays unrelated
    assert [s for s in other if s.key == never][0].score is not None
    with pytest.raises(vs.errors.NotFound):
        Runner.rejudge(tmp_path / "missing.jsonl", bank, vs.Model(_Judge3()))
    with Runner(bank, vs.Model(dask_shards.ToyLM()), journal=str(tmp_path / "ll.jsonl")) as r:
        r.run()
    with pytest.raises(vs.errors.ValueSpaceError, match="loglik judge"):  # no generated text
        Runner.rejudge(tmp_path / "ll.jsonl", bank, vs.Model(_Judge3()))


def test_choice_judge(bank):
    """The model answers the letter of the shorter continuation (the high one on equal lengths;
    strictly parsed); 'Z' fails the
    record with its text; position bias counts answers of option A."""
    class Chooser:
        def generate(self, batch):
            out = []
            for r in batch:
                a = r.prompt.split("\nA) ")[1].split("\nB) ")[0]
                item = bank[bank.find(r.id)]
                want = item.high if len(item.high) <= len(item.low) else item.low  # ties: high
                out.append("Z" if r.id.endswith("9") else ("A" if a == want else "B"))
            return out

    res = _run(bank, Chooser(), "choice", replicates=0, repeats=2)
    bad = sum(2 for item in bank if item.id.endswith("9"))
    assert res.failed == bad and res.done == 2 * len(bank) - bad
    assert res.first_failure.message == 'choice: the answer is not the letter A or B: "Z"'
    first, answers = res.position
    assert answers == res.done and 0 < first < answers
    # by hand: the shorter continuation wins, whatever the order
    expect = {}
    for item in bank:
        if item.id.endswith("9"):
            continue
        high = len(item.high) <= len(item.low)
        v = (1 - high) if item.reverse else high
        for d in item.dimensions:
            k = bank.space.dimensions[d].key
            s, n = expect.get(k, (0, 0))
            expect[k] = (s + 2 * v, n + 2)
    for s in res:
        assert s.n == s.n_related == expect[s.key][1]
        assert s.score == pytest.approx(100 * expect[s.key][0] / expect[s.key][1], abs=1e-12)


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
    assert all(s.score is None and s.n_related == 0 for s in res)

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
