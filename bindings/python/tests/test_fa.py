"""Factor analysis through the binding, against R psych 2.2.9 (with GPArotation) on the
Thurstone correlation matrix (9 ability tests, n = 213; psych's data set `Thurstone`). The
reference numbers were produced with

    library(psych); f <- fa(Thurstone, 3, n.obs = 213)            # minres + oblimin
    fv <- fa(Thurstone, 3, n.obs = 213, rotate = "varimax")
    fm <- fa(Thurstone, 2, n.obs = 213, fm = "ml", rotate = "none")
    KMO(Thurstone); cortest.bartlett(Thurstone, n = 213)
"""

import math

import numpy as np
import pytest

import valuespace as vs
from valuespace.fa import FactorAnalysis, FactorData, Matrix

THURSTONE = [
    [1, 0.828, 0.776, 0.439, 0.432, 0.447, 0.447, 0.541, 0.38],
    [0.828, 1, 0.779, 0.493, 0.464, 0.489, 0.432, 0.537, 0.358],
    [0.776, 0.779, 1, 0.46, 0.425, 0.443, 0.401, 0.534, 0.359],
    [0.439, 0.493, 0.46, 1, 0.674, 0.59, 0.381, 0.35, 0.424],
    [0.432, 0.464, 0.425, 0.674, 1, 0.541, 0.402, 0.367, 0.446],
    [0.447, 0.489, 0.443, 0.59, 0.541, 1, 0.288, 0.32, 0.325],
    [0.447, 0.432, 0.401, 0.381, 0.402, 0.288, 1, 0.555, 0.598],
    [0.541, 0.537, 0.534, 0.35, 0.367, 0.32, 0.555, 1, 0.452],
    [0.38, 0.358, 0.359, 0.424, 0.446, 0.325, 0.598, 0.452, 1],
]
N = 213

OBLIMIN_LOADINGS = [
    [0.9008473576, -0.032957823, 0.0413776812],
    [0.8901111883, 0.064935005, -0.0304250810],
    [0.8377134570, 0.031117875, 0.0049427452],
    [-0.0011855049, 0.853319782, 0.0021659612],
    [-0.0175373207, 0.747175485, 0.1038624641],
    [0.1801093322, 0.625524804, -0.0821509292],
    [0.0309157364, -0.013886463, 0.8420856966],
    [0.3821213249, -0.050099972, 0.4631057401],
    [-0.0597254136, 0.212355215, 0.6267309453],
]
OBLIMIN_PHI = [[1, 0.592627729983602, 0.533443439413927],
               [0.592627729983602, 1, 0.515133644375170],
               [0.533443439413927, 0.515133644375170, 1]]
OBLIMIN_UNIQUENESSES = [0.182502716643095, 0.164981374306399, 0.261770314818855,
                        0.271136814183578, 0.368155736482237, 0.504724928481889,
                        0.274524418501913, 0.494801987077159, 0.476396671817130]
OBLIMIN_SS = [2.647368317452857, 1.866567885684965, 1.487068834549925]
VARIMAX_LOADINGS = [
    [0.829202892508431, 0.246931138376056, 0.262573531249557],
    [0.828170077615603, 0.318927514334611, 0.217803096479626],
    [0.779555384560266, 0.279600323463998, 0.228794114222960],
    [0.230204906608108, 0.790086943284524, 0.227225678217254],
    [0.211453696950687, 0.708800013322276, 0.291091289251313],
    [0.314514483006362, 0.615129665986969, 0.134056725008898],
    [0.231518530588960, 0.177308025522858, 0.800272838210320],
    [0.451414447273728, 0.167045278297964, 0.522990329464850],
    [0.156492074211421, 0.313458592457612, 0.633132900508551],
]
ML2_LOADINGS = [
    [0.881229484154265, -0.23548770227072519],
    [0.889701999558951, -0.17381380837067370],
    [0.837168976509347, -0.17408087118912116],
    [0.642678247380757, 0.51478374020078743],
    [0.621990094817194, 0.51894507885495833],
    [0.595298271460906, 0.32911235720367710],
    [0.545163259825157, 0.15167827353030849],
    [0.622549369234851, -0.00719646198012245],
    [0.500027760950487, 0.27050646539176432],
]
KMO_OVERALL = 0.8803896
KMO_MSA = [0.862337997813092, 0.864063426397311, 0.904511026533881, 0.860550368878017,
           0.879189998551154, 0.918143312366543, 0.854378793224593, 0.925904763330064,
           0.870340617600157]


def flat(m):
    return [x for row in m for x in row]


@pytest.fixture(scope="module")
def thurstone():
    with FactorData.from_cor(THURSTONE, n_obs=N) as d:
        yield d


def test_data(thurstone):
    assert thurstone.variable_count == 9 and thurstone.nobs == N
    r = thurstone.cor()
    assert isinstance(r, np.ndarray) and r.shape == (9, 9)
    assert flat(r.tolist()) == pytest.approx(flat(THURSTONE), abs=1e-15)
    ev = thurstone.eigenvalues().tolist()
    assert len(ev) == 9 and ev == sorted(ev, reverse=True)
    assert sum(ev) == pytest.approx(9.0)
    assert thurstone.kaiser() == sum(1 for e in ev if e > 1)


def test_factorability_matches_psych(thurstone):
    k = thurstone.kmo()
    assert k.overall == pytest.approx(KMO_OVERALL, abs=1e-7)
    assert list(k.msa) == pytest.approx(KMO_MSA, abs=1e-9)
    b = thurstone.bartlett()
    assert b.chi_square == pytest.approx(1081.96827656726, rel=1e-9)
    assert b.df == 36 and b.p_value < 1e-100


def test_minres_oblimin_matches_psych(thurstone):
    fa = FactorAnalysis(nfactors=3)
    assert fa.get("method") == "minres" and fa["rotation"] == "oblimin"
    with fa.fit(thurstone) as res:
        assert res.variable_count == 9 and res.factor_count == 3
        assert flat(res.loadings.tolist()) == pytest.approx(flat(OBLIMIN_LOADINGS), abs=1e-5)
        assert flat(res.phi.tolist()) == pytest.approx(flat(OBLIMIN_PHI), abs=1e-5)
        assert res.uniquenesses == pytest.approx(OBLIMIN_UNIQUENESSES, abs=1e-5)
        assert res.ss_loadings == pytest.approx(OBLIMIN_SS, abs=1e-5)
        assert res.objective == pytest.approx(0.014440902811, abs=1e-6)
        assert res.chi_square == pytest.approx(2.977232796189, abs=1e-4)
        assert res.df == 12
        assert res.tli == pytest.approx(1.026138475910, abs=1e-4)
        assert res.bic == pytest.approx(-61.358273192324, abs=1e-4)
        assert res.rmsr == pytest.approx(0.005841435927, abs=1e-6)
        assert res.rmsea == pytest.approx(0.0, abs=1e-9)
        assert res.converged == 1
        stats = res.stats()
        assert set(stats) == set(vs.fa.STATS) and stats["df"] == 12
        structure = res.structure
        # structure = pattern * Phi
        L, P = res.loadings, res.phi
        assert structure[0, 0] == pytest.approx(sum(L[0, j] * P[j, 0] for j in range(3)))
        assert res.variance.shape == (5, 3)
        w = res.weights("bartlett")
        assert w.shape == (9, 3)
        assert res.weights().shape == (9, 3)  # regression weights, the default
        with pytest.raises(vs.UndefinedError):
            res.scores()  # matrix input has no raw scores


def test_varimax_matches_psych(thurstone):
    with FactorAnalysis(nfactors=3, rotation="varimax").fit(thurstone) as res:
        assert flat(res.loadings.tolist()) == pytest.approx(flat(VARIMAX_LOADINGS), abs=1e-5)
        assert flat(res.phi.tolist()) == pytest.approx([1, 0, 0, 0, 1, 0, 0, 0, 1], abs=1e-12)


def test_ml_unrotated_matches_psych(thurstone):
    fa = FactorAnalysis(nfactors=2, method="ml", rotation="none")
    with fa.fit(thurstone) as res:
        assert flat(res.loadings.tolist()) == pytest.approx(flat(ML2_LOADINGS), abs=1e-4)
        assert res.objective == pytest.approx(0.400521846074225, abs=1e-5)
        assert res.chi_square == pytest.approx(82.841268496352242, abs=1e-3)


def test_options(thurstone):
    fa = FactorAnalysis()
    assert fa["nfactors"] == 1 and fa["mode"] == "psych"
    fa.set("nfactors", 2).set("seed", 7)
    fa["rotation"] = "geominQ"
    fa["geomin_delta"] = 0.02
    assert fa.get("rotation") == "geominQ" and fa.get("geomin_delta") == 0.02
    assert fa.options()["seed"] == 7
    lo, hi = FactorAnalysis.bounds("parallel_quantile")
    assert 0 <= lo < hi <= 1
    with pytest.raises(vs.NotFound):
        fa["rotation"] = "nonexistent"
    with pytest.raises(vs.OutOfRange):
        fa["nfactors"] = 0
    with pytest.raises(vs.InvalidArgument):
        fa.set("no_such_option", 1)
    assert fa["rotation"] == "geominQ"  # unchanged after the failures
    with pytest.raises(vs.OutOfRange):
        FactorAnalysis(nfactors=10).fit(thurstone)


def test_number_of_factors(thurstone):
    fa = FactorAnalysis(seed=1, parallel_iter=10)
    pa = fa.parallel(thurstone)
    assert 1 <= pa.nfactors <= 9 and 1 <= pa.ncomponents <= 9
    assert len(pa.observed_pc) == 9 and pa.observed_pc == pytest.approx(thurstone.eigenvalues())
    assert all(math.isnan(x) for x in pa.resampled_pc)  # matrix input
    again = fa.parallel(thurstone)  # seeded: the same numbers
    assert (again.nfactors, again.observed_fa, again.simulated_fa, again.simulated_pc) == \
        (pa.nfactors, pa.observed_fa, pa.simulated_fa, pa.simulated_pc)
    m = fa.map(thurstone)
    assert 1 <= m.nfactors <= len(m.values) and len(m.values) == 8


def test_raw_data_and_scores():
    import random
    rng = random.Random(3)
    rows = []
    for _ in range(200):
        f1, f2 = rng.gauss(0, 1), rng.gauss(0, 1)
        rows.append([f1 + 0.5 * rng.gauss(0, 1) for _ in range(3)] +
                    [f2 + 0.5 * rng.gauss(0, 1) for _ in range(3)])
    rows[5][2] = None  # missing value: pairwise correlations
    with FactorData.from_raw(rows) as data:
        assert data.variable_count == 6 and data.nobs == 200
        res = FactorAnalysis(nfactors=2, rotation="varimax").fit(data)
        scores = res.scores()
        assert scores.shape == (200, 2)
        assert math.isnan(scores[5, 0])  # a row with a missing value
        new = res.scores(rows[:10], "bartlett")
        assert new.shape == (10, 2) and math.isnan(new[5, 1])
    with pytest.raises(vs.MismatchError):
        res.scores([[1, 2, 3]] * 5)
    with pytest.raises(vs.OutOfRange):
        FactorData.from_raw([[1, 2], [3, 4]])


def test_matrix_buffers():
    m = Matrix.from_any([[1, 2, 3], [4, 5, 6]])
    assert m.shape == (2, 3) and m[1, 2] == 6 and m[1] == [4, 5, 6] and m[-1, -1] == 6
    mv = m.memoryview()
    assert mv.shape == (2, 3) and mv[1, 0] == 4.0
    assert Matrix.from_any(mv) == m
    np = pytest.importorskip("numpy")
    a = np.asarray(m)
    assert a.shape == (2, 3) and Matrix.from_any(a) == m
