"""valuespace.FactorAnalyzer: psych's numbers (tests/data/fa), factor_analyzer's interface,
scikit-learn's conventions (get_params, clone, Pipeline, pickle, the estimator checks)."""

import os
import pickle

import numpy as np
import pytest

import valuespace as vs

pd = pytest.importorskip("pandas")
FA_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "data", "fa")


def reference(case_id):
    """{block name: numpy array} of one case of tests/data/fa/reference.txt."""
    out, inside = {}, False
    with open(os.path.join(FA_DIR, "reference.txt")) as f:
        for line in f:
            if line.startswith("case "):
                inside = line.split()[1] == case_id
            elif line.startswith("end"):
                if inside:
                    return out
            elif inside:
                name, r, c, *vals = line.split()
                out[name] = np.array([float(v) for v in vals]).reshape(int(r), int(c))
    raise KeyError(case_id)


@pytest.fixture(scope="module")
def bfi():
    return pd.read_csv(os.path.join(FA_DIR, "bfi.csv"))


def test_matches_psych_bfi_with_missing_values(bfi):
    # case 416: psych::fa(bfi, 5, fm = "minres", rotate = "promax"), pairwise correlations
    ref = reference("416")
    fa = vs.FactorAnalyzer(n_factors=5, rotation="promax", method="minres").fit(bfi)
    np.testing.assert_allclose(fa.loadings_, ref["loadings"], atol=1e-4)
    np.testing.assert_allclose(fa.phi_, ref["phi"], atol=1e-4)
    np.testing.assert_allclose(fa.get_uniquenesses(), ref["uniquenesses"].ravel(), atol=1e-4)
    np.testing.assert_allclose(fa.get_communalities(), ref["communality"].ravel(), atol=1e-4)
    ev, common = fa.get_eigenvalues()
    np.testing.assert_allclose(ev, ref["e_values"].ravel(), atol=1e-9)
    np.testing.assert_allclose(common, ref["values"].ravel(), atol=1e-4)
    np.testing.assert_allclose(fa.weights_, ref["weights"], atol=1e-3)
    ss, prop, cum = fa.get_factor_variance()
    assert cum[-1] == pytest.approx(prop.sum()) and ss.shape == (5,)
    assert list(fa.feature_names_in_) == list(bfi.columns) and fa.n_features_in_ == 25


def test_matches_psych_from_correlation_matrix():
    # case 172: Thurstone, 2 factors, minres, oblimin
    ref = reference("172")
    r = pd.read_csv(os.path.join(FA_DIR, "thurstone.csv"))
    fa = vs.FactorAnalyzer(2, rotation="oblimin", is_corr_matrix=True, n_obs=213).fit(r)
    np.testing.assert_allclose(fa.loadings_, ref["loadings"], atol=1e-4)
    np.testing.assert_allclose(fa.corr_, r.to_numpy(), atol=1e-12)
    assert fa.stats_["n_obs"] == 213
    with pytest.raises(ValueError, match="correlation matrix"):
        fa.transform(r)
    orth = vs.FactorAnalyzer(2, rotation="varimax", is_corr_matrix=True).fit(r)
    assert orth.phi_ is None and orth.structure_ is None
    assert orth.rotation_matrix_.shape == (2, 2)


def test_transform_uses_training_scale(bfi):
    fa = vs.FactorAnalyzer(n_factors=5, rotation="oblimin")
    scores = fa.fit_transform(bfi)
    assert scores.shape == (len(bfi), 5)
    np.testing.assert_allclose(fa.transform(bfi.iloc[:5]), scores[:5], atol=1e-12)
    np.testing.assert_allclose(fa.transform(bfi.iloc[[7]]), scores[7:8], atol=1e-12)
    np.testing.assert_allclose(fa.transform(bfi.to_numpy()[:5]), scores[:5], atol=1e-12)
    # columns matched by name
    np.testing.assert_allclose(fa.transform(bfi.iloc[:5, ::-1]), scores[:5], atol=1e-12)
    assert np.isnan(scores[np.isnan(bfi.to_numpy()).any(axis=1)]).all()
    # the library's own raw-data scores of the complete rows agree
    res = vs.fa.FactorAnalysis(nfactors=5, rotation="oblimin").fit(vs.FactorData.from_raw(bfi))
    lib_scores = res.scores().to_numpy()
    ok = ~np.isnan(lib_scores).any(axis=1)
    np.testing.assert_allclose(scores[ok], lib_scores[ok], atol=1e-8)
    with pytest.raises(ValueError, match="features"):
        fa.transform(bfi.to_numpy()[:, :24])


def test_params_clone_pipeline_pickle(bfi):
    sklearn = pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    fa = vs.FactorAnalyzer(n_factors=5, rotation="varimax", rotation_kwargs={"normalize": 1})
    params = fa.get_params()
    assert params["n_factors"] == 5 and params["rotation"] == "varimax"
    assert params["method"] == "minres" and params["use_smc"] is True
    assert params["is_corr_matrix"] is False and params["bounds"] == (0.005, 1)
    c = clone(fa).set_params(n_factors=4)
    assert c.n_factors == 4 and fa.n_factors == 5
    pipe = make_pipeline(FunctionTransformer(lambda x: x), fa).fit(bfi)
    assert pipe.transform(bfi.iloc[:3]).shape == (3, 5)
    pipe.set_params(factoranalyzer__n_factors=3)
    assert pipe.fit_transform(bfi).shape == (len(bfi), 3)
    back = pickle.loads(pickle.dumps(fa.fit(bfi)))
    np.testing.assert_array_equal(back.loadings_, fa.loadings_)
    with pytest.raises(sklearn.exceptions.NotFittedError):
        vs.FactorAnalyzer().transform(bfi)
    for bad in (dict(use_smc=False), dict(bounds=(0.01, 1)), dict(method="principal"),
                dict(n_factors=0)):
        with pytest.raises(ValueError):
            vs.FactorAnalyzer(**bad).fit(bfi)


# scikit-learn's checks that do not apply, and why.
NOT_APPLICABLE = {
    # fewer variables than factors (n_factors=3 by default; 1 or 2 features cannot be fitted)
    "check_fit2d_1feature": "a 1-variable factor analysis is not defined",
    "check_fit2d_1sample": "one observation has no correlations",
    "check_fit2d_predict1d": "needs p > n_factors",
}
# These checks fit make_blobs data with 2 features: one factor of two variables leaves -1
# degrees of freedom (psych refuses it too), so the fit raises OutOfRange (a ValueError).
for _name in ("check_estimators_fit_returns_self", "check_estimators_overwrite_params",
              "check_fit_idempotent", "check_fit_check_is_fitted", "check_n_features_in"):
    NOT_APPLICABLE[_name] = "the check's data has 2 variables: no 1-factor model with df >= 0"


def _checks():
    pytest.importorskip("sklearn")
    from sklearn.utils.estimator_checks import check_estimator
    # n_factors=1 fits the checks' small random data sets (often 3-10 features)
    est = vs.FactorAnalyzer(n_factors=1, rotation=None)
    return list(check_estimator(est, generate_only=True))


def _check_id(item):
    est, check = item
    return getattr(check, "func", check).__name__


try:
    CHECKS = _checks()
except BaseException:  # scikit-learn missing: one skipped test below
    CHECKS = []


@pytest.mark.skipif(not CHECKS, reason="scikit-learn is not installed")
@pytest.mark.parametrize("item", CHECKS, ids=[_check_id(c) for c in CHECKS])
def test_sklearn_estimator_checks(item):
    est, check = item
    name = _check_id(item)
    if name in NOT_APPLICABLE:
        pytest.skip(NOT_APPLICABLE[name])
    check(est)
