"""The rotations target / simplimax / biquartimin / Promax through the binding, against R psych
2.2.9 with GPArotation: tests/data/fa/reference_rotate.txt (tests/data/fa/make_reference_rotate.R)."""

import math
import os

import numpy as np
import pytest

import valuespace as vs
from valuespace import FactorAnalyzer
from valuespace.fa import FactorAnalysis, FactorData

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tests", "data", "fa")


def _cases(name):
    cases, cur = {}, None
    with open(os.path.join(DATA, name)) as f:
        for line in f:
            t = line.split()
            if not t:
                continue
            if t[0] == "case":
                cur = cases.setdefault(t[1], {"set": t[2], "k": int(t[3]), "rot": t[5]})
            elif t[0] == "end":
                cur = None
            elif cur is not None:
                r, c = int(t[1]), int(t[2])
                cur[t[0]] = np.array([float(v) for v in t[3:]]).reshape(r, c)
    return cases


ROT = _cases("reference_rotate.txt")


def _thurstone():
    r = np.loadtxt(os.path.join(DATA, "thurstone.csv"), delimiter=",", skiprows=1)
    return FactorData.from_cor(r, 213)


@pytest.mark.parametrize("case", ["p1", "b1", "s1", "t2"])
def test_rotations_match_psych(case):
    c = ROT[case]
    fa = FactorAnalysis(nfactors=c["k"], rotation=c["rot"])
    if "target" in c:
        fa.set_target(c["target"])
    res = fa.fit(_thurstone())
    assert fa["rotation"] == c["rot"]
    np.testing.assert_allclose(np.asarray(res.loadings), c["fa_loadings"], atol=1e-4)
    np.testing.assert_allclose(np.asarray(res.phi), c["fa_phi"], atol=1e-4)


def test_partial_target_and_estimator():
    c = ROT["t4"]  # pstQ: NaN entries unspecified
    r = np.loadtxt(os.path.join(DATA, "thurstone.csv"), delimiter=",", skiprows=1)
    est = FactorAnalyzer(n_factors=3, rotation="targetQ", is_corr_matrix=True, n_obs=213,
                         rotation_kwargs={"target": c["target"]})
    est.fit(r)
    # psych's own extraction is 1e-5 accurate; the rotation of the same unrotated loadings 1e-6
    np.testing.assert_allclose(est.loadings_, c["loadings"], atol=1e-4)
    assert est.phi_ is not None and est.phi_.shape == (3, 3)


METH = _cases("reference_methods.txt")


@pytest.mark.parametrize("method", ["alpha", "minchi"])
def test_methods_match_psych(method):
    c = next(c for c in METH.values() if c["set"] == "thurstone" and c["k"] == 3 and c["rot"] == "oblimin"
             and ("polished_loadings" in c) == (method == "minchi"))
    res = FactorAnalysis(nfactors=3, method=method).fit(_thurstone())
    ref = c["polished_loadings"] if method == "minchi" else c["loadings"]
    np.testing.assert_allclose(np.asarray(res.loadings), ref, atol=1e-5)
    est = FactorAnalyzer(n_factors=3, method=method, rotation="oblimin", is_corr_matrix=True, n_obs=213)
    r = np.loadtxt(os.path.join(DATA, "thurstone.csv"), delimiter=",", skiprows=1)
    np.testing.assert_allclose(est.fit(r).loadings_, ref, atol=1e-5)


def _bfi300():
    import csv
    with open(os.path.join(DATA, "bfi.csv")) as f:
        rows = list(csv.reader(f))[1:301]
    return np.array([[math.nan if v == "NA" else float(v) for v in r[:8]] for r in rows])


@pytest.mark.parametrize("kind", ["spearman", "kendall"])
def test_rank_correlations_match_r(kind):
    ref = _cases("reference_cor.txt")[kind]
    x = _bfi300()
    d = FactorData.from_raw(x, cor=kind)
    np.testing.assert_allclose(np.asarray(d.cor()), ref["cor_pairwise"], atol=1e-13)
    d = FactorData.from_raw(x, missing="listwise", cor=kind)
    np.testing.assert_allclose(np.asarray(d.cor()), ref["cor_listwise"], atol=1e-13)
    est = FactorAnalyzer(n_factors=2, rotation="oblimin", cor=kind).fit(x)
    np.testing.assert_allclose(est.loadings_, ref["loadings"], atol=1e-4)
    with pytest.raises(vs.NotFound):
        FactorData.from_raw(x, cor=kind.capitalize())


def test_bootstrap():
    x = _bfi300()[:, :8]
    data = FactorData.from_raw(x, missing="listwise")
    fa = FactorAnalysis(nfactors=2, boot_iter=30, seed=4)
    b1 = fa.bootstrap(data)
    fa["threads"] = 2
    b2 = fa.bootstrap(data)
    assert b1["used"] == 30
    np.testing.assert_array_equal(b1["lower"]["loadings"], b2["lower"]["loadings"])
    est = np.asarray(fa.fit(data).loadings)
    assert np.all(b1["lower"]["loadings"] <= est + 1e-12) and np.all(est <= b1["upper"]["loadings"] + 1e-12)
    np.testing.assert_allclose(np.diag(b1["mean"]["phi"]), 1)
    with pytest.raises(vs.ValueSpaceError):
        fa.bootstrap(_thurstone())  # a matrix has no rows to resample


def test_target_errors():
    fa = FactorAnalysis(nfactors=3, rotation="targetT")
    with pytest.raises(vs.InvalidArgument):
        fa.fit(_thurstone())  # no target
    fa.set_target(np.zeros((9, 2)))
    with pytest.raises(vs.MismatchError):
        fa.fit(_thurstone())
    with pytest.raises(vs.InvalidArgument):
        fa.set_target([[math.nan, math.nan]])
    fa.set_target(None)
    with pytest.raises(vs.InvalidArgument):
        fa.fit(_thurstone())
    fa["rotation"] = "simplimax"
    fa["simplimax_m"] = 28
    with pytest.raises(vs.OutOfRange):
        fa.fit(_thurstone())
