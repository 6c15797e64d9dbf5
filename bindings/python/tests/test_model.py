"""Model callbacks from Python (valuespace.model, model.h): a Python object's generate /
loglikelihood / embed / classify methods run through ctypes trampolines; outputs go back through
vs_model_set_text / set_vector / set_error; exceptions propagate as themselves.

Expected seeds and backoff delays come from the formulas documented in model.h, re-implemented
below in plain Python (not from the library's output)."""

import math
import threading

import pytest

import valuespace as vs
from valuespace import _callback
from valuespace.model import Model, ModelResults, Permanent, Transient

M64 = (1 << 64) - 1


def py_item_seed(run_seed, item_id, repeat):
    """vs_model_item_seed() from its documentation in model.h."""
    h = 0xcbf29ce484222325
    for b in (item_id or "").encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & M64
    x = h ^ run_seed
    x = ((x ^ (x >> 33)) * 0xff51afd7ed558ccd) & M64
    x = ((x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53) & M64
    x ^= x >> 33
    y = x ^ ((repeat + 0x9e3779b97f4a7c15 + (x << 6) + (x >> 2)) & M64)
    y = ((y ^ (y >> 30)) * 0xbf58476d1ce4e5b9) & M64
    y = ((y ^ (y >> 27)) * 0x94d049bb133111eb) & M64
    return y ^ (y >> 31)


def test_documented_seed_examples():
    assert py_item_seed(0, "", 0) == 0x140aa43cf279fba2  # model.h examples
    assert py_item_seed(42, "q1", 3) == 0x4e767f54070c711d
    assert vs.model.item_seed(0, "", 0) == 0x140aa43cf279fba2
    assert vs.model.item_seed(42, "q1", 3) == 0x4e767f54070c711d


class Deterministic:
    """Output depends only on the request and its seed; records the batch sizes it saw."""

    def __init__(self):
        self.batches = []

    def generate(self, batch):
        self.batches.append(len(batch))
        return [f"{r.prompt}/{r.id}/{r.repeat}/{r.seed:016x}" for r in batch]

    def loglikelihood(self, batch):
        self.batches.append(len(batch))
        return [(-0.25 * len(r.continuation), r.continuation.startswith("a")) for r in batch]

    def embed(self, batch, dim):
        self.batches.append(len(batch))
        return [[len(r.text) + j for j in range(dim)] for r in batch]

    def classify(self, batch, labels):
        self.batches.append(len(batch))
        return [[(len(r.text) % 5) / 4, 1.0 / (1 + j)] for r, j in zip(batch, range(len(batch)))]


def _requests(n):
    return [vs.GenRequest(prompt=f"p{i}", id=f"item-{i % 50}", repeat=i // 50) for i in range(n)]


@pytest.mark.parametrize("kind", ["generate", "loglikelihood", "embed"])
def test_batch_size_independence(kind):
    n = 100
    outs = {}
    for max_batch in (1, 7, 64):
        obj = Deterministic()
        with Model(obj, seed=12345, max_batch=max_batch) as m:
            if kind == "generate":
                res = m.generate(_requests(n))
            elif kind == "loglikelihood":
                res = m.loglikelihood([(f"c{i}", "ab" * (i % 4 + 1)) for i in range(n)],
                                      want_greedy=True)
            else:
                res = m.embed([f"text {i}" * (i % 3 + 1) for i in range(n)], 3)
            assert len(res) == n and res.count("ok") == n
            assert max(obj.batches) <= max_batch and sum(obj.batches) == n
            outs[max_batch] = res.outputs()
    assert outs[1] == outs[7] == outs[64]
    if kind == "generate":
        for i, text in enumerate(outs[1]):
            assert text == f"p{i}/item-{i % 50}/{i // 50}/{py_item_seed(12345, f'item-{i % 50}', i // 50):016x}"
    if kind == "loglikelihood":
        assert outs[1][3] == (-0.25 * 8, True)


def test_classify_and_vectors():
    with Model(Deterministic()) as m:
        res = m.classify([vs.TextRequest("abc", context="q", id="x"), "hello"], ["a", "b"])
        assert res.kind == "classify" and res.dim == 2
        assert res.outputs() == [[0.75, 1.0], [0.0, 0.5]]
        assert m.supports("classify") and m.supports(vs.model.GENERATE)


def test_transient_item_is_retried_with_documented_backoff():
    calls = {}

    class Flaky:
        def generate(self, batch):
            out = []
            for r in batch:
                calls[r.id] = calls.get(r.id, 0) + 1
                if r.id == "b" and calls[r.id] < 3:
                    out.append(Transient("HTTP 503"))
                else:
                    out.append(r.prompt.upper())
            return out

    slept = []
    m = Model(Flaky(), seed=7, sleep=slept.append, backoff_base=0.5, backoff_max=60)
    res = m.generate([vs.GenRequest("x", id="a"), vs.GenRequest("y", id="b")])
    assert res.outputs() == ["X", "Y"]
    assert [it.attempts for it in res] == [1, 3]
    # model.h: delay(a) = min(max, base * 2^(a-1)) * (0.5 + 0.5 u),
    # u = (item_seed(seed ^ SALT, id, a) >> 11) * 2^-53
    salt = 0x6a6974746572
    expected = []
    for a in (1, 2):
        u = (py_item_seed(7 ^ salt, "b", a) >> 11) * 2.0 ** -53
        expected.append(min(60.0, 0.5 * 2 ** (a - 1)) * (0.5 + 0.5 * u))
    assert slept == pytest.approx(expected, rel=1e-12, abs=1e-12)
    m.close()


def test_whole_batch_transient_and_permanent():
    state = {"n": 0}

    class Obj:
        def generate(self, batch):
            state["n"] += 1
            if state["n"] == 1:
                raise Transient("rate limited")
            return [Permanent("refused") if r.prompt == "bad" else "ok" for r in batch]

    with Model(Obj(), sleep=lambda s: None) as m:
        res = m.generate(["good", "bad"])
    assert [it.status for it in res] == ["ok", "permanent"]
    assert [it.attempts for it in res] == [2, 2]
    assert res[1].error.endswith("refused") and res[1].output is None


def test_invalid_output_is_bad_output_only_for_that_item():
    class Obj:
        def generate(self, batch):
            return ["fine", "nul\0byte", None, "\udc80"]

        def embed(self, batch, dim):
            return [[0.0] * dim, [math.nan] * dim, [1.0] * (dim + 1)]

    with Model(Obj()) as m:
        res = m.generate(["a", "b", "c", "d"])
        assert [it.status for it in res] == ["ok", "bad_output", "bad_output", "bad_output"]
        res = m.embed(["a", "b", "c"], 2)
        assert [it.status for it in res] == ["ok", "bad_output", "bad_output"]


class MyError(Exception):
    pass


def test_exception_in_callback_propagates_as_itself():
    seen = []

    class Broken:
        def generate(self, batch):
            seen.append(len(batch))
            if any(r.prompt == "boom" for r in batch):
                raise MyError("backend exploded")
            return [r.prompt for r in batch]

    m = Model(Broken(), max_batch=2)
    with pytest.raises(MyError, match="backend exploded") as e:
        m.generate(["a", "b", "boom", "c", "d"])
    assert any(tb.name == "generate" for tb in e.traceback)
    assert seen == [2, 2]  # the run stopped at the failing batch
    # the model is usable afterwards; a wrong number of outputs is a ValueError
    assert m.generate(["z"]).outputs() == ["z"]

    class Short:
        def loglikelihood(self, batch):
            return []

    with pytest.raises(ValueError, match="0 outputs"):
        Model(Short()).loglikelihood([("a", "b")])


def test_exceptions_in_hooks_propagate():
    def bad_sleep(seconds):
        raise MyError("sleep hook")

    class Once:
        n = 0

        def generate(self, batch):
            Once.n += 1
            return [Transient("again") if Once.n == 1 else "x" for _ in batch]

    with pytest.raises(MyError, match="sleep hook"):
        Model(Once(), sleep=bad_sleep).generate(["a"])

    items = []

    def hook(item):
        items.append(item)
        if item.index == 1:
            raise KeyError("stop here")

    with pytest.raises(KeyError, match="stop here"):
        Model(Deterministic(), item_hook=hook, max_batch=1).generate(["a", "b", "c"])
    assert [it.index for it in items] == [0, 1] and items[0].output.startswith("a/")


class Refuse:
    def generate(self, batch):
        return [Permanent("server down") for _ in batch]


def test_failure_threshold_raises_failed_error_with_results():
    with pytest.raises(vs.FailedError) as e:
        Model(Refuse(), max_failed=0).generate(["a", "b"])
    assert e.value.code == vs.Status.EFAILED and not isinstance(e.value, vs.CallbackError)
    assert "VS_MODEL_OPT_MAX_FAILED = 0" in e.value.message and "server down" in e.value.message
    assert isinstance(e.value.results, ModelResults)
    assert e.value.results.count("permanent") == 2  # the whole first batch finished
    with pytest.raises(vs.FailedError, match="MAX_FAILED_FRACTION"):
        Model(Refuse(), max_failed_fraction=0.5, stop_after_same_failures=0).generate(["a", "b"])


def test_a_run_whose_first_items_all_fail_alike_stops_after_20():
    prompts = [f"p{i}" for i in range(50)]
    m = Model(Refuse(), max_batch=4)
    assert m.get("stop_after_same_failures") == 20  # the default
    lo, hi = Model.bounds("stop_after_same_failures")
    assert lo == 0 and hi >= 20
    with pytest.raises(vs.FailedError) as e:
        m.generate(prompts)
    msg = e.value.message
    assert "first 20 items all failed alike" in msg and "server down" in msg, msg
    assert "STOP_AFTER_SAME_FAILURES = 20" in msg
    res = e.value.results
    assert res.count("permanent") == 20 and res.count("not_run") == 30
    assert res[0].status == res[19].status == "permanent" and res[20].status == "not_run"

    with pytest.raises(vs.FailedError, match="first 3 items") as e:
        Model(Refuse(), max_batch=1, stop_after_same_failures=3).generate(prompts)
    assert e.value.results.count("permanent") == 3

    # 0 = never: every item runs and fails, and the run returns
    m.set("stop_after_same_failures", 0)
    assert m.get("stop_after_same_failures") == 0
    res = m.generate(prompts)
    assert res.count("permanent") == 50 and res[0].error.endswith("server down")
    with pytest.raises(vs.OutOfRange):
        m.set("stop_after_same_failures", -1)


def test_one_success_or_another_failure_switches_the_early_stop_off():
    class Mostly:
        def __init__(self, good):
            self.good = good

        def generate(self, batch):
            return [r.prompt if r.prompt == self.good else Permanent("down") for r in batch]

    prompts = [f"p{i}" for i in range(30)]
    assert Model(Mostly("p7"), max_batch=1).generate(prompts).count("permanent") == 29
    with pytest.raises(vs.FailedError):  # the success comes after the first 20
        Model(Mostly("p25"), max_batch=1).generate(prompts)
    # fewer items than N never stop this way
    assert Model(Refuse()).generate(prompts[:19]).count("permanent") == 19


def test_cancel_from_another_thread():
    cancel = vs.Cancel()
    started = threading.Event()

    class Slow:
        def generate(self, batch):
            started.set()
            cancel.request()
            return ["x" for _ in batch]

    m = Model(Slow(), max_batch=1, cancel=cancel)
    with pytest.raises(vs.Cancelled):
        m.generate(["a", "b", "c"])
    assert cancel.requested
    cancel.reset()
    assert not cancel.requested


def test_options_and_errors():
    m = Model(Deterministic(), max_batch=5, backoff_base=0.25)
    assert m.get("max_batch") == 5 and m.get("backoff_base") == 0.25
    lo, hi = Model.bounds("max_attempts")
    assert lo >= 1
    with pytest.raises(vs.OutOfRange):
        m.set("max_batch", 0)
    with pytest.raises(vs.InvalidArgument):
        m.set("nope", 1)
    m.seed = 99
    assert m.seed == 99
    with pytest.raises(vs.InvalidArgument):
        Model(object())
    with pytest.raises(vs.InvalidArgument):  # both prompt and messages
        m.generate([vs.GenRequest(prompt="a", messages=[("user", "b")])])
    chat = m.generate([vs.GenRequest(messages=[("system", "s"), ("user", "u")], id="c")])
    assert chat.outputs()[0].startswith("None/c/0/")


def test_registry_is_released_when_the_model_is_freed():
    m = Model(Deterministic())
    key = m._state.key
    assert key in _callback._registry
    m.close()
    assert key not in _callback._registry  # the table's destroy callback ran
    m2 = Model(Deterministic())
    key2 = m2._state.key
    del m2
    import gc
    gc.collect()
    assert key2 not in _callback._registry


def test_one_model_shared_by_threads_runs_one_call_at_a_time():
    inside = {"now": 0, "max": 0}
    lock = threading.Lock()

    class Counting:
        def generate(self, batch):
            with lock:
                inside["now"] += 1
                inside["max"] = max(inside["max"], inside["now"])
            out = [r.prompt * 2 for r in batch]
            with lock:
                inside["now"] -= 1
            return out

    m = Model(Counting(), max_batch=3)
    results = {}

    def work(t):
        results[t] = m.generate([f"{t}-{i}" for i in range(30)]).outputs()

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert inside["max"] == 1  # the per-handle lock serialises runs of one model
    assert all(results[t] == [f"{t}-{i}" * 2 for i in range(30)] for t in range(4))


def test_calling_the_running_model_from_its_callback_is_a_state_error():
    class Reentrant:
        def generate(self, batch):
            return model.generate(["inner"]).outputs()

    model = Model(Reentrant())
    with pytest.raises(vs.StateError, match="already running"):
        model.generate(["outer"])
    model.obj.generate = lambda batch: ["fine"] * len(batch)
    assert model.generate(["again"]).outputs() == ["fine"]
