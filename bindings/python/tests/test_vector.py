import copy
import math
from array import array

import pytest

import valuespace as vs


def test_create_all_missing(schwartz10):
    v = vs.Vector(schwartz10, "value")
    assert len(v) == 10 and v.level == 0 and v.level_name == "value"
    assert v.missing_count == 10
    assert all(math.isnan(x) for x in v)
    assert v.space is schwartz10
    assert v.keys == schwartz10.keys(0)


def test_indexing(schwartz10):
    v = vs.Vector.from_list(schwartz10, range(10))
    assert v[0] == 0.0 and v[-1] == 9.0 and v[2:4] == [2.0, 3.0]
    assert v["Hedonism"] == 2.0 and v["HE"] == 2.0
    v[1] = 1.5
    v["power"] = -4
    v[-2] = None
    assert v[1] == 1.5 and v[4] == -4.0 and math.isnan(v[8]) and v.is_missing(8)
    assert v.missing_count == 1
    with pytest.raises(IndexError):
        v[10]
    with pytest.raises(IndexError):
        v[-11]
    with pytest.raises(vs.NotFound):
        v["nonexistent"]
    with pytest.raises(TypeError):
        v[1.5]
    assert v.get("nonexistent", 7) == 7
    d = v.to_dict()
    assert list(d) == list(schwartz10.keys(0)) and d["power"] == -4.0


def test_buffers(schwartz10):
    data = array("d", [float(i) for i in range(10)])
    v = vs.Vector(schwartz10, 0, data)
    assert v.tolist() == list(data)
    v.set_values(memoryview(data)[::-1].tolist())
    a = v.to_array()
    assert isinstance(a, array) and a.typecode == "d"
    m = memoryview(a)
    assert m.format == "d" and m[0] == 9.0
    v.set_values(memoryview(array("d", [1.0] * 10)))
    assert v.tolist() == [1.0] * 10


def test_numpy_optional(schwartz10):
    np = pytest.importorskip("numpy")
    v = vs.Vector(schwartz10, 0, np.arange(10, dtype=float))
    assert np.asarray(v).tolist() == list(range(10))
    assert v.to_numpy().dtype == np.float64


def test_set_values_all_or_nothing(schwartz10):
    v = vs.Vector(schwartz10, 0, range(10))
    before = v.tolist()
    with pytest.raises(vs.MismatchError) as e:
        v.set_values([1.0, 2.0])
    assert e.value.code == vs.Status.EMISMATCH
    with pytest.raises(vs.InvalidArgument):
        v.set_values([1.0] * 9 + [math.inf])
    with pytest.raises(vs.InvalidArgument):
        v[3] = math.inf
    assert v.tolist() == before


def test_copy_is_independent(schwartz10):
    v = vs.Vector(schwartz10, 0, range(10))
    for w in (v.copy(), copy.copy(v), copy.deepcopy(v)):
        w[0] = 100
        assert v[0] == 0.0 and w.space is schwartz10


def test_aggregate(schwartz10):
    v = vs.Vector(schwartz10, 0, [1, 1, 1, 2, 2, 3, 3, 3, 4, 4])
    g = v.aggregate("group")
    assert g.level == 1 and len(g) == schwartz10.level_dimension_count(1) and g.space is schwartz10
    # every group value is the mean of its children's values
    for j, dim in enumerate(schwartz10.level_dimensions(1)):
        kids = [v[d.position] for d in schwartz10.level_dimensions(0)
                if d.parents.get(1) == dim.index]
        if kids:
            assert g[j] == pytest.approx(sum(kids) / len(kids))
    vote = v.aggregate(1, "sign_vote")
    assert set(vote.tolist()) <= {1.0, 0.0, -1.0}
    v.aggregate(1, vs.AGGREGATE_MAX_MAGNITUDE)
    with pytest.raises(vs.InvalidArgument):
        v.aggregate(1, "median")
    with pytest.raises(vs.OutOfRange):
        g.aggregate(0)


def test_compare_and_weighted_sum(schwartz10):
    a = vs.Vector(schwartz10, 0, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    b = vs.Vector(schwartz10, 0, [0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    assert a.compare(b, "l1") == pytest.approx(2.0)
    assert a.compare(b) == pytest.approx(math.sqrt(2))
    assert a.compare(b, "cosine") == pytest.approx(0.0)
    assert a.compare(a, "cosine") == pytest.approx(1.0)
    r = vs.Vector(schwartz10, 0, range(10))
    assert r.compare(list(range(0, 20, 2)), "spearman") == pytest.approx(1.0)
    assert r.compare(r, vs.METRIC_L1) == 0.0
    assert r.weighted_sum([1] * 10) == pytest.approx(45.0)
    assert r.weighted_sum([2] * 10, normalize=True) == pytest.approx(4.5)
    with pytest.raises(vs.UndefinedError):
        a.compare(vs.Vector(schwartz10, 0, [0] * 10), "cosine")
    with pytest.raises(vs.InvalidArgument):
        a.compare(b, "chebyshev")
    mismatch = vs.Vector(vs.Space.builtin("mft5"), 0)
    with pytest.raises(vs.MismatchError):
        a.compare(mismatch)


def test_ipsatize_all_missing_is_undefined(schwartz10):
    v = vs.Vector(schwartz10, 0)
    with pytest.raises(vs.UndefinedError) as e:
        v.ipsatize()
    assert e.value.code == vs.Status.EUNDEFINED and e.value.name == "VS_EUNDEFINED"
    assert v.missing_count == 10
    w = vs.Vector(schwartz10, 0, [1, 2, None, 3, None, None, None, None, None, None])
    assert w.ipsatized().tolist()[:4] == pytest.approx([-1, 0, math.nan, 1], nan_ok=True)
    assert w[0] == 1.0  # ipsatized() copies


def test_circle_fit(schwartz10):
    angles = [d.angle for d in schwartz10.level_dimensions(0)]
    assert all(a is not None for a in angles)
    values = [2 + 3 * math.cos(math.radians(a - 120)) for a in angles]
    fit = vs.Vector(schwartz10, 0, values).circle_fit()
    assert fit.mesor == pytest.approx(2) and fit.amplitude == pytest.approx(3)
    assert fit.phase_degrees == pytest.approx(120) and fit.r_squared == pytest.approx(1)
    assert fit.n == 10
    with pytest.raises(vs.UndefinedError):
        vs.Vector(schwartz10, 0, [1, 2, 3] + [None] * 7).circle_fit()


def test_repr(schwartz10):
    v = vs.Vector(schwartz10, 0, range(10))
    assert "schwartz10" in repr(v) and "schwartz10" in repr(schwartz10)
    v.close()
    assert "closed" in repr(v)
