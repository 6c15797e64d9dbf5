"""Omega (Schmid-Leiman) and Tucker's congruence through the binding, against R psych 2.2.9:
the reference blocks of tests/data/fa/reference_omega.txt (written by make_reference_omega.R)."""

import os

import numpy as np
import pytest

import valuespace as vs
from valuespace.fa import FactorAnalysis, FactorData, congruence

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "data", "fa")


def _cases():
    cases, cur = {}, None
    with open(os.path.join(DATA, "reference_omega.txt")) as f:
        for line in f:
            t = line.split()
            if not t:
                continue
            if t[0] == "case":
                cur = cases.setdefault(t[1], {})
            elif t[0] == "end":
                cur = None
            elif cur is not None:
                r, c = int(t[1]), int(t[2])
                cur[t[0]] = np.array([float(v) for v in t[3:]]).reshape(r, c)
    return cases


def _thurstone():
    x = np.genfromtxt(os.path.join(DATA, "thurstone.csv"), delimiter=",", names=True)
    names = x.dtype.names
    return np.array([list(row) for row in x]), list(names)


def test_omega_thurstone_matches_psych():
    ref = _cases()["o1"]
    r, names = _thurstone()
    pd = pytest.importorskip("pandas")
    d = FactorData.from_cor(pd.DataFrame(r, columns=names, index=names), 213)
    om = FactorAnalysis(nfactors=3).omega(d)
    coef = [om.omega_total, om.omega_hierarchical, om.omega_limit, om.alpha, om.g6, om.ecv]
    assert np.max(np.abs(np.array(coef) - ref["polished_coefficients"][0])) < 1e-4
    assert list(om.sl_loadings.columns) == ["g", "F1*", "F2*", "F3*", "h2", "u2", "p2"]
    assert np.max(np.abs(om.sl_loadings.to_numpy() - ref["polished_sl"])) < 1e-4
    assert list(om.subscales.index) == ["g", "F1*", "F2*", "F3*"]
    assert np.max(np.abs(om.subscales.to_numpy() - ref["polished_group"])) < 1e-4
    assert set(om.as_dict()) >= {"omega_total", "ecv", "sl_loadings"}
    assert om.converged is True
    assert FactorAnalysis(nfactors=3, rotate_max_iter=1).omega(d).converged is False


def test_omega_needs_oblique_rotation_and_two_factors():
    r, _ = _thurstone()
    d = FactorData.from_cor(r, 213)
    with pytest.raises(vs.errors.InvalidArgument):
        FactorAnalysis(nfactors=3, rotation="varimax").omega(d)
    with pytest.raises(vs.errors.OutOfRange):
        FactorAnalysis(nfactors=1).omega(d)


def test_congruence_matches_psych():
    ref = _cases()["c1"]
    phi, order, sign = congruence(ref["a"], ref["b"])
    assert np.max(np.abs(phi - ref["phi"])) < 1e-12
    assert order == [0, 1, 2, 3] and list(sign) == [1, 1, 1, 1]
    phi, order, sign = congruence(ref["a"], ref["b"], match=True)
    assert [o + 1 for o in order] == [int(v) for v in ref["perm"][0]]
    assert np.max(np.abs(phi - ref["matched"])) < 1e-12
    phi, _, _ = congruence(ref["a"], ref["b"], procrustes=True)
    assert np.max(np.abs(phi - ref["procrustes"])) < 1e-10
    with pytest.raises(vs.errors.MismatchError):
        congruence(ref["a"], ref["b"][:, :3], procrustes=True)


def test_save_and_load_solution(tmp_path):
    pd = pytest.importorskip("pandas")
    r, names = _thurstone()
    d = FactorData.from_cor(pd.DataFrame(r, columns=names, index=names), 213)
    res = FactorAnalysis(nfactors=3).fit(d)
    path = str(tmp_path / "sol.json")
    res.save(path)
    back = vs.fa.FactorResult.load(path)
    assert back.names == tuple(names)
    np.testing.assert_array_equal(np.asarray(back.loadings), np.asarray(res.loadings))
    assert back.stat("chi_square") == res.stat("chi_square")
    assert back.stat("extraction_converged") == 1
    np.testing.assert_array_equal(np.asarray(back.weights("bartlett")), np.asarray(res.weights("bartlett")))
    with pytest.raises(vs.errors.ValueSpaceError):
        vs.fa.FactorResult.load(str(tmp_path / "missing.json"))


def test_loaded_solution_scores_new_rows_on_the_training_scale(tmp_path):
    # scoring some fitted rows through a saved and loaded solution gives the fit's own scores
    # of those rows; standardising them by their own means (the old behaviour) would not
    x = np.genfromtxt(os.path.join(DATA, "bfi_complete.csv"), delimiter=",", skip_header=1)
    res = FactorAnalysis(nfactors=5, scores="bartlett").fit(FactorData.from_raw(x))
    fitted = np.asarray(res.scores())
    path = str(tmp_path / "bfi.json")
    res.save(path)
    back = vs.fa.FactorResult.load(path)
    np.testing.assert_array_equal(back.get("means"), res.get("means"))
    assert abs(back.get("sds")[0] - np.std(x[:, 0], ddof=1)) < 1e-12
    sub = np.asarray(back.scores(x[700:740], "bartlett"))
    assert np.max(np.abs(sub - fitted[700:740])) < 1e-12
    own = np.asarray(back.scores(x[700:740], "bartlett", standardize="own"))
    assert np.max(np.abs(own - fitted[700:740])) > 0.05
    # a solution fitted from a correlation matrix has no training means: refused, or given them
    cor = FactorAnalysis(nfactors=5).fit(FactorData.from_cor(np.corrcoef(x, rowvar=False), len(x)))
    cor.save(path)
    back = vs.fa.FactorResult.load(path)
    with pytest.raises(vs.errors.UndefinedError, match="means="):
        back.scores(x[:3])
    given = np.asarray(back.scores(x[700:740], means=x.mean(axis=0), sds=x.std(axis=0, ddof=1)))
    plain = np.asarray(cor.scores(x[700:740], means=res.get("means"), sds=res.get("sds")))
    assert np.max(np.abs(given - plain)) < 1e-12


def test_fit_extras_and_flags_match_psych():
    ref = _cases()["e2"]
    r, _ = _thurstone()
    res = FactorAnalysis(nfactors=2).fit(FactorData.from_cor(r, 213))
    got = [res.bic, res.sabic, res.ebic, res.esabic]
    assert np.max(np.abs(np.array(got) - ref["fit"][0][:4]) / np.abs(ref["fit"][0][:4])) < 1e-4
    assert abs(res.crms - ref["fit"][0][4]) < 1e-5
    assert np.max(np.abs(np.asarray(res.score_r2) - ref["R2"][0])) < 1e-5
    assert res.extraction_converged == 1 and res.rotation_converged == 1 and res.ultra_heywood == 0
    assert np.all(np.asarray(res.heywood) == 0)
