"""The end-to-end scenario shared with the C and Rust tests (same numbers as docs/METHODS.md)."""

import math

import pytest

import valuespace as vs

RAW = [0.1, -0.2, 0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9]
SCHWARTZ10 = ["self_direction", "stimulation", "hedonism", "achievement", "power", "security",
              "tradition", "conformity", "benevolence", "universalism"]


def test_schwartz10_loads(schwartz10):
    assert schwartz10.name == "schwartz10"
    assert schwartz10.level_dimension_count(0) == 10
    assert [d.label.lower().replace("-", "_") for d in schwartz10.level_dimensions(0)] == SCHWARTZ10
    assert schwartz10.find("Self-Direction") == schwartz10.find("self direction") == \
        schwartz10.find("SELF_DIRECTION") == 0
    assert "schwartz10" in vs.builtin_space_names()


def test_basealign_worked_example_default_target(schwartz10):
    scores = vs.Vector(schwartz10, 0, RAW)
    r = vs.basealign(scores, "default", raw=True)
    assert r.mask == (0, 0, 0, 1, 1, 1, 0, 0, 1, 1)
    assert r.distance == pytest.approx(2.319675, abs=1e-6)
    assert r.reward == pytest.approx(-2.319675, abs=1e-6)
    assert r.reward == -r.distance


def test_basealign_worked_example_uk_target():
    r = vs.basealign(RAW, vs.align_target("uk"), raw=True)
    assert r.distance == pytest.approx(1.281675, abs=1e-6)
    assert r.mask == (0, 0, 0, 1, 1, 1, 0, 0, 1, 1)


def test_basealign_unmasked_worked_example():
    d = vs.basealign_unmasked(RAW, "default", raw=True)
    assert d.l1 == pytest.approx(3.074756, abs=1e-6)
    assert d.l2 == pytest.approx(1.952429, abs=1e-6)


def test_basealign_pre_squashed_scores_equal_raw():
    squashed = [math.tanh(x) for x in RAW]
    a = vs.basealign(squashed)
    b = vs.basealign(RAW, raw=True)
    assert a.distance == pytest.approx(b.distance, abs=1e-12)
    assert a.mask == b.mask


def test_basealign_threshold():
    # threshold above every |tanh(s)|: nothing counts
    r = vs.basealign(RAW, raw=True, threshold=0.99)
    assert r.mask == (0,) * 10 and r.distance == 0.0


def test_align_targets():
    assert vs.align_target_names() == ("default", "uk", "netherlands", "france")
    assert vs.align_target("default").tolist() == [0, 0, 0, 1, 0, 1, 0, 1, 1, 1]
    uk = vs.align_target("UK")
    assert uk.tolist() == pytest.approx([0.4809, 0.1305, 0.1004, 0.0029, -0.2383, 0.4362,
                                         0.2712, 0.1420, 0.6520, 0.5906])
    assert uk.space.name == "schwartz10" and uk.level == 0
    assert uk["benevolence"] == pytest.approx(0.6520)


def test_ipsatisation_worked_example(schwartz10):
    v = vs.Vector(schwartz10, 0, [5, 4, 6, 3, 2, 5, 4, 4, 6, 5])
    assert v.ipsatize() is v
    assert v.tolist() == pytest.approx([0.6, -0.4, 1.6, -1.4, -2.4, 0.6, -0.4, -0.4, 1.6, 0.6],
                                       abs=1e-12)
