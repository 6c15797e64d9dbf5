"""Labels are respected: per-dimension values by name (dict, pandas Series), data matrices as
DataFrames (names kept, NaN missing, non-numeric columns named)."""

import math

import numpy as np
import pytest

import valuespace as vs
from valuespace.fa import FactorAnalysis, FactorData

pd = pytest.importorskip("pandas")

RAW = [0.1, -0.2, 0, 1.0, -0.5, 2.0, 0.2, 0.25, -1.0, 0.9]
DIST = 2.3196745497251587


def keys():
    return vs.align_target("default").keys


def test_basealign_series_is_matched_by_name():
    s = pd.Series(RAW, index=keys())
    positional = vs.basealign(RAW, raw=True)
    assert positional.distance == pytest.approx(DIST, abs=1e-12)
    for labelled in (s, s[::-1], s.sample(frac=1, random_state=1), dict(zip(keys(), RAW))):
        r = vs.basealign(labelled, raw=True)
        assert r.distance == positional.distance and r.mask == positional.mask
    assert vs.basealign(s[::-1], raw=True).keys == keys()
    # folded lookup: labels and other spellings name the same dimensions
    space = vs.Space.builtin("schwartz10")
    labels = {space.dimension(k).label.upper(): v for k, v in zip(keys(), RAW)}
    assert vs.basealign(labels, raw=True).distance == positional.distance
    assert vs.basealign_unmasked(s[::-1], raw=True) == vs.basealign_unmasked(RAW, raw=True)


def test_default_index_series_and_arrays_are_positional():
    assert vs.basealign(pd.Series(RAW), raw=True).distance == pytest.approx(DIST, abs=1e-12)
    assert vs.basealign(np.array(RAW), raw=True).distance == pytest.approx(DIST, abs=1e-12)
    with pytest.raises(vs.MismatchError):
        vs.basealign(RAW[:9], raw=True)


def test_unknown_missing_and_duplicated_names_raise_naming_them():
    d = dict(zip(keys(), RAW))
    bad = dict(d)
    bad["benevolance"] = bad.pop("benevolence")
    with pytest.raises(KeyError, match="benevolance.*missing names \\['benevolence'\\]"):
        vs.basealign(bad, raw=True)
    short = dict(d)
    del short["power"]
    with pytest.raises(KeyError, match="missing names \\['power'\\]"):
        vs.basealign(pd.Series(short), raw=True)
    dup = dict(d)
    dup["Power"] = 1.0
    with pytest.raises(KeyError, match="duplicated"):
        vs.basealign(dup, raw=True)


def test_vector_from_dict_and_series():
    space = vs.Space.builtin("schwartz10")
    values = dict(zip(keys(), RAW))
    v = vs.Vector(space, 0, pd.Series(values)[::-1])
    assert v.tolist() == pytest.approx(RAW)
    w = vs.Vector(space, 0, RAW)
    assert w.compare(pd.Series(values)[::-1], "l1") == 0
    assert w.weighted_sum({k: 1.0 for k in keys()}) == pytest.approx(sum(RAW))
    nan = dict(values, power=float("nan"))
    assert vs.Vector(space, 0, nan).missing_count == 1


def _frame(seed=3, n=120):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 2))
    x = np.hstack([f[:, [0]] + 0.6 * rng.normal(size=(n, 3)), f[:, [1]] + 0.6 * rng.normal(size=(n, 3))])
    df = pd.DataFrame(x, columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    df.iloc[4, 2] = np.nan
    return df


def test_dataframe_into_factor_analysis_keeps_names_and_missing():
    df = _frame()
    data = FactorData.from_raw(df)
    assert data.names == tuple(df.columns) and data.nobs == len(df)
    same = FactorData.from_raw(df.to_numpy())  # NaN is missing either way
    fa = FactorAnalysis(nfactors=2, rotation="varimax")
    res, res2 = fa.fit(data), fa.fit(same)
    L = res.loadings
    assert isinstance(L, pd.DataFrame) and list(L.index) == list(df.columns)
    assert list(L.columns) == ["F1", "F2"]
    assert isinstance(res2.loadings, np.ndarray)
    np.testing.assert_array_equal(L.to_numpy(), res2.loadings)
    assert isinstance(res.uniquenesses, pd.Series) and res.uniquenesses.index[0] == "a1"
    assert isinstance(data.cor(), pd.DataFrame)
    sc = res.scores()
    assert isinstance(sc, pd.DataFrame) and math.isnan(sc.iloc[4, 0])
    # new rows: columns matched by name, standardised with the training means and sds
    first = res.scores(df.iloc[:5][list(reversed(df.columns))])
    np.testing.assert_allclose(first.to_numpy(), sc.to_numpy()[:5], atol=1e-12)
    one = res.scores(df.iloc[[0]])
    np.testing.assert_allclose(one.to_numpy(), sc.to_numpy()[:1], atol=1e-12)


def test_dataframe_non_numeric_columns():
    df = _frame()
    df.insert(0, "id", [f"r{i}" for i in range(len(df))])
    with pytest.raises(TypeError, match="'id'.*skip="):
        FactorData.from_raw(df)
    assert FactorData.from_raw(df, skip=["id"]).names == ("a1", "a2", "a3", "b1", "b2", "b3")
    assert FactorData.from_raw(df, columns=["b1", "a1", "a2"]).names == ("b1", "a1", "a2")
    df["a1"] = df["a1"].astype("Float64")  # nullable: pd.NA is missing
    df.loc[7, "a1"] = pd.NA
    assert FactorData.from_raw(df, skip=["id"]).variable_count == 6
    with pytest.raises(KeyError, match="nope"):
        FactorData.from_raw(df, columns=["nope"])


def test_cor_dataframe_and_scores_without_training_means():
    df = _frame()
    r = df.corr()
    data = FactorData.from_cor(r, n_obs=len(df))
    assert data.names == tuple(df.columns)
    res = FactorAnalysis(nfactors=2).fit(data)
    with pytest.raises(vs.UndefinedError, match="means="):
        res.scores(df.to_numpy())
    out = res.scores(df, means=df.mean().to_numpy(), sds=df.std().to_numpy())
    assert out.shape == (len(df), 2)
    assert res.scores(df, standardize="own").shape == (len(df), 2)
