import math
import threading

import pytest

import valuespace as vs

RAW = [0.1, -0.2, 0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9]


def test_distinct_vectors_over_one_shared_space(schwartz10):
    target = vs.align_target("default")
    errors = []
    n_threads, rounds = 8, 300

    def worker(seed):
        try:
            v = vs.Vector(schwartz10, 0)
            for r in range(rounds):
                values = [(seed * 31 + r * 7 + k) % 11 - 5 for k in range(10)]
                v.set_values(values)
                assert v.tolist() == values
                mean = sum(values) / 10
                v.ipsatize()
                assert v.tolist() == pytest.approx([x - mean for x in values], abs=1e-12)
                g = v.aggregate("group")
                assert len(g) == schwartz10.level_dimension_count(1)
                v.set_values(RAW)
                res = vs.basealign(v, target, raw=True)
                assert res.distance == pytest.approx(2.319675, abs=1e-6)
                assert schwartz10.find("universalism") == 9
                try:
                    v["no-such-value-%d" % seed]
                except vs.NotFound as e:  # thread-local message
                    assert ("no-such-value-%d" % seed) in e.message
        except BaseException as e:  # noqa: B902
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def test_one_vector_shared_by_threads_is_serialised(schwartz10):
    # The per-handle lock makes concurrent calls on one handle safe (they run one at a time).
    v = vs.Vector(schwartz10, 0, [0.0] * 10)
    errors = []

    def writer(k):
        try:
            for r in range(500):
                v.set_values([float(k)] * 10)
                vals = v.tolist()
                assert len(set(vals)) >= 1 and not any(math.isnan(x) for x in vals)
        except BaseException as e:  # noqa: B902
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_close_while_other_threads_use_it(schwartz10):
    v = vs.Vector(schwartz10, 0, range(10))
    outcomes = []
    start = threading.Barrier(5)

    def user():
        start.wait()
        for _ in range(2000):
            try:
                v.tolist()
            except vs.ClosedError:
                outcomes.append("closed")
                return
        outcomes.append("done")

    threads = [threading.Thread(target=user) for _ in range(4)]
    for t in threads:
        t.start()
    start.wait()
    v.close()
    for t in threads:
        t.join()
    assert len(outcomes) == 4 and set(outcomes) <= {"closed", "done"}


def test_shared_readers_and_close():
    # A Space is shared (any number of readers at once); close() waits for running readers.
    space = vs.Space.builtin("fulcra")
    errors = []
    n_threads = 8
    barrier = threading.Barrier(n_threads + 1)

    def reader():
        barrier.wait()
        try:
            for _ in range(200):
                assert space.find(space.dimensions[0].key) == 0
                assert len(space.levels) >= 1
        except vs.ClosedError:
            pass
        except BaseException as e:  # noqa: B902
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(n_threads)]
    for t in threads:
        t.start()
    barrier.wait()
    space.close()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    assert space.closed and space._readers == 0


def test_factor_analysis_shared_by_threads():
    from valuespace.fa import FactorAnalysis, FactorData
    from test_fa import THURSTONE, OBLIMIN_LOADINGS, flat
    data = FactorData.from_cor(THURSTONE, 213)
    fa = FactorAnalysis(nfactors=3)
    results, errors = [], []

    def worker():
        try:
            for _ in range(5):
                results.append(flat(fa.fit(data).loadings.tolist()))
        except BaseException as e:  # noqa: B902
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]
    assert len(results) == 20 and all(r == results[0] for r in results)
    assert results[0] == pytest.approx(flat(OBLIMIN_LOADINGS), abs=1e-5)
