"""Accumulators (valuespace.accum, accum.h): shards merge bit for bit, serialisation, pickling,
and the documented bootstrap weight mapping re-implemented in plain Python."""

import math
import pickle
from fractions import Fraction

import numpy as np
import pytest

import valuespace as vs
from valuespace.accum import Accumulator, item_hash, weight

M64 = (1 << 64) - 1


def _mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _combine(h, v):
    return _mix64(h ^ ((v + 0x9E3779B97F4A7C15 + (h << 6) + (h >> 2)) & M64))


def py_weight(seed, b, h):
    """accum.h: u = combine(combine(seed, b // 2), h); x = high/low 32 bits; w = #{x >= T_k}."""
    thresholds = []
    cdf = Fraction(0)
    term = Fraction(1)  # e^-1 factored out: P(<= k) = e^-1 * sum 1/j!
    for k in range(12):
        if k:
            term /= k
        cdf += term
        thresholds.append(math.floor(2 ** 32 * float(cdf) * math.exp(-1)))
    u = _combine(_combine(seed, b // 2), h)
    x = (u >> 32) if b % 2 == 0 else (u & 0xFFFFFFFF)
    return sum(1 for t in thresholds if x >= t)


def _rows(n):
    # 0/1 judgements and a few other values, some missing
    return [(f"item-{i % 37}", [float(i % 2), (i * 7 % 11) / 4 if i % 5 else None, 1.0])
            for i in range(n)]


def test_weights_match_the_documented_mapping():
    for seed in (0, 42):
        for b in range(6):
            for item in ("a", "vlx-ethical-007", "item-3"):
                h = item_hash(item)
                assert weight(seed, b, h) == py_weight(seed, b, h), (seed, b, item)
                assert weight(seed, b, item) == weight(seed, b, h)


def test_merge_of_two_shards_equals_one_run_bit_for_bit():
    rows = _rows(300)
    one = Accumulator(3, 200, seed=9)
    for item, values in rows:
        one.add(item, values)
    a, b = Accumulator(3, 200, seed=9), Accumulator(3, 200, seed=9)
    for item, values in rows:
        (a if item_hash(item) % 2 else b).add(item, values)
    merged = Accumulator(3, 200, seed=9)
    merged += b
    merged.merge(a)
    assert merged.row_count == one.row_count == 300
    for d in range(3):
        sm, so = merged.stats(d), one.stats(d)
        for f in ("n", "exact_sum", "exact_mean", "exact_variance", "boot_defined", "boot_mean",
                  "boot_se"):
            assert getattr(sm, f) == getattr(so, f) or (
                math.isnan(getattr(sm, f)) and math.isnan(getattr(so, f))), f
        assert np.array_equal(merged.replicate_means(d), one.replicate_means(d), equal_nan=True)
        assert merged.ci(d) == one.ci(d)
    # the exact 0/1 mean is the fraction of ones
    assert one.stats(0).exact_mean == 150 / 300
    # add_rows is the same as adding row by row
    batch = Accumulator(3, 200, seed=9)
    batch.add_rows([r[0] for r in rows], [r[1] for r in rows])
    assert np.array_equal(batch.replicate_means(1), one.replicate_means(1), equal_nan=True)
    assert batch.stats(1).exact_sum == one.stats(1).exact_sum


def test_serialisation_pickle_and_files(tmp_path):
    acc = Accumulator(2, 50, seed=3)
    for i in range(20):
        acc.add(f"x{i}", [i % 3, None])
    blob = bytes(acc)
    again = Accumulator.from_bytes(blob)
    assert bytes(again) == blob and again == acc
    assert pickle.loads(pickle.dumps(acc)) == acc
    acc.save(tmp_path / "a.acc")
    assert Accumulator.load(tmp_path / "a.acc") == acc
    assert acc.clone() == acc
    with pytest.raises(vs.CorruptError):
        Accumulator.from_bytes(blob[:-1])
    with pytest.raises(vs.CorruptError):
        Accumulator.from_bytes(b"garbage!" + blob[8:])


def test_errors_leave_the_accumulator_unchanged():
    acc = Accumulator(2, 10, seed=1)
    acc.add("a", [1, 2])
    before = bytes(acc)
    with pytest.raises(vs.MismatchError):
        acc.add("b", [1, 2, 3])
    with pytest.raises(vs.OutOfRange):
        acc.add("b", [1e300, 0])
    with pytest.raises(vs.MismatchError):
        acc.merge(Accumulator(2, 10, seed=2))
    with pytest.raises(vs.InvalidArgument):
        acc.merge(acc)
    assert bytes(acc) == before
    with pytest.raises(vs.StateError):
        acc.scale_bits = 10
    fresh = Accumulator(1, 0, scale_bits=20)
    assert fresh.scale_bits == 20 and Accumulator.scale_bits_bounds() == (0, 62)
    with pytest.raises(vs.UndefinedError):
        fresh.ci(0)
