import math

import pytest

import valuespace as vs


def test_builtins_all_load():
    names = vs.builtin_space_names()
    assert set(names) >= {"schwartz10", "schwartz19", "fulcra", "valuelex", "mft5", "mfq2"}
    for name in names:
        with vs.Space.builtin(name) as s:
            assert s.name == name
            assert len(s) == sum(s.level_dimension_count(i) for i in range(len(s.levels)))
            assert [d.index for d in s.dimensions] == list(range(len(s)))


def test_dimensions_and_hierarchy(schwartz10):
    s = schwartz10
    assert s.levels[0] == "value" and len(s.levels) >= 2
    d = s.dimension("SD")  # an alias
    assert d.key == "self_direction" and d.label == "Self-direction"
    assert d.level == 0 and d.level_name == "value" and d.position == 0
    assert "SD" in d.aliases
    assert d.angle is not None and 0 <= d.angle < 360
    up = d.parent(1)
    assert up is not None and up.level == 1
    assert d.parent(s.levels[1]) == up
    assert s.parent(d.index, 1) == up.index
    assert d.parents[1] == up.index
    assert s[0] == d and s["self-direction"] == d
    assert "Self Direction" in s and "no such value" not in s
    assert s.level_offset(1) == 10 and s.level_index("VALUE") == 0
    assert s.keys(0)[0] == "self_direction"
    assert s.find("self_direction", level=0) == 0
    with pytest.raises(vs.NotFound):
        s.find("self_direction", level=1)
    assert isinstance(s.description, str)


def _toy_builder():
    b = vs.SpaceBuilder("toy", description="A toy space")
    b.add_level("item").add_level("value")
    b.add_dimension("value", "care", "Care", aliases=["kindness"], angle=90)
    b.add_dimension("value", "fair", "Fairness", angle=-90)
    b.add_dimension("item", "i1", "Item one", description="first", parents={"value": "care"})
    b.add_dimension("item", "i2", None)
    b.set_parent("item", "i2", "value", "fair")
    b.add_dimension("item", "i3", "Ïtem three")  # border item: no parent
    b.add_alias("item", "i3", "third")
    b.set_angle("item", "i3", 725.0)
    b.set_dimension_description("item", "i3", "ünïcode")
    return b


def test_builder_round_trip(tmp_path):
    with _toy_builder() as b:
        s = b.freeze()
    assert s.name == "toy" and s.description == "A toy space"
    assert s.levels == ("item", "value")
    assert [d.key for d in s.dimensions] == ["i1", "i2", "i3", "care", "fair"]
    i2 = s.dimension("i2")
    assert i2.label == "i2"  # NULL label uses the key
    assert s.dimension("i1").parent("value").key == "care"
    assert s.dimension("i3").parent("value") is None
    assert s.dimension("third").angle == pytest.approx(5.0)
    assert s.dimension("fair").angle == pytest.approx(270.0)
    assert s.dimension("i1").angle is None
    assert s.dimension("kindness").key == "care"
    assert s.dimension("i3").description == "ünïcode"

    text = s.dumps()
    s2 = vs.Space.loads(text)
    assert s2.dumps() == text
    assert list(s2.dimensions) == list(s.dimensions)
    path = tmp_path / "toy.json"
    s.save(path)
    s3 = vs.Space.load(path)
    assert s3.dumps() == text
    assert vs.Space.load(str(path)).name == "toy"


def test_builder_still_usable_after_freeze():
    b = _toy_builder()
    s1 = b.freeze()
    b.add_dimension("item", "i4")
    s2 = b.freeze()
    assert len(s1) == 5 and len(s2) == 6
    b.close()
    assert len(s2) == 6


def test_builder_errors_leave_builder_unchanged():
    b = _toy_builder()
    with pytest.raises(vs.DuplicateError) as e:
        b.add_dimension("item", "i1")
    assert e.value.code == vs.Status.EDUPLICATE and "i1" in e.value.message
    with pytest.raises(vs.NotFound):
        b.add_dimension("nolevel", "x")
    with pytest.raises(vs.InvalidArgument):
        b.add_dimension("item", "bad key with spaces")
    with pytest.raises(vs.CycleError):
        b.set_parent("value", "care", "item", "i1")
    with pytest.raises(vs.DuplicateError):
        b.set_parent("item", "i1", "value", "fair")
    with pytest.raises(vs.InvalidArgument):
        b.set_angle("item", "i1", math.inf)
    assert len(b.freeze()) == 5


def test_space_constructor_is_not_public():
    with pytest.raises(TypeError):
        vs.Space()


def test_load_missing_file(tmp_path):
    with pytest.raises((vs.NotFound, vs.IOFailure)) as e:
        vs.Space.load(tmp_path / "absent.json")
    assert "absent.json" in e.value.message
