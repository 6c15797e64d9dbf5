"""The former names (README, "Deprecated names") keep working: each old Python name returns what
its new name returns, and each old C function, called through its own prototype, returns what
the new C function returns."""

import os

import pytest

from valuespace._lib import lib
from valuespace.accum import Accumulator
from valuespace.evaluator import Evaluator, profiles
from valuespace.fa import FactorAnalysis, FactorData

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
RENAMED = os.path.join(ROOT, "tests", "abi", "renamed.txt")


def renamed():
    with open(RENAMED, encoding="utf-8") as f:
        return [tuple(line.split()) for line in f if line.strip() and not line.startswith("#")]


def test_every_renamed_c_function_has_both_prototypes():
    for old, new in renamed():
        assert hasattr(lib, old) and hasattr(lib, new), (old, new)


def test_accumulator():
    acc = Accumulator(3, 20, seed=9)
    for i in range(7):
        acc.add(f"item-{i}", [1.0, 2.0, float(i)])
    assert (acc.dims, acc.replicates, acc.rows) == (3, 20, 7)
    assert (acc.dims, acc.replicates, acc.rows) == (acc.dimension_count, acc.replicate_count, acc.row_count)
    with acc._use() as p:
        assert (lib.vs_accum_dims(p), lib.vs_accum_replicates(p), lib.vs_accum_rows(p)) == (3, 20, 7)


def test_factor_analysis():
    # one factor with loadings .8 .7 .6 .5: r_ij = l_i l_j
    load = [0.8, 0.7, 0.6, 0.5]
    r = [[1.0 if i == j else load[i] * load[j] for j in range(4)] for i in range(4)]
    with FactorData.from_cor(r, n_obs=200) as data:
        assert data.nvars == data.variable_count == 4
        with data._use() as p:
            assert lib.vs_fa_data_nvars(p) == 4
        with FactorAnalysis(nfactors=1).fit(data) as res:
            assert (res.nvars, res.nfactors) == (res.variable_count, res.factor_count) == (4, 1)
            with res._use() as p:
                assert (lib.vs_fa_result_nvars(p), lib.vs_fa_result_nfactors(p)) == (4, 1)


def test_space_and_evaluator(schwartz10):
    k = len(schwartz10.keys(0))
    assert schwartz10.level_size(0) == schwartz10.level_dimension_count(0) == k
    with schwartz10._use() as p:
        assert lib.vs_space_level_size(p, 0) == k
    responses = ["I help my friends", "power and money", "I help people", "money is power"] * 3
    power, benev = schwartz10.find("power"), schwartz10.find("benevolence")
    labels = [[1.0 if j == (benev if "help" in r else power) else 0.0 for j in range(k)] for r in responses]
    ev = Evaluator(schwartz10, 0, buckets=1024)
    ev.train(responses, labels)
    buckets = ev.active_bucket_count
    assert ev.active_buckets == buckets > 0 and len(ev) == k
    with ev._use() as p:  # (the handle's lock is not reentrant: no property calls inside)
        assert (lib.vs_evaluator_size(p), lib.vs_evaluator_active_buckets(p)) == (k, buckets)
    cv = ev.cross_validate(responses, labels, folds=3, seed=1)
    assert (cv.folds, cv.size) == (cv.fold_count, cv.dimension_count) == (3, k)
    with cv._use() as p:
        assert (lib.vs_evaluator_cv_folds(p), lib.vs_evaluator_cv_size(p)) == (3, k)
    pr = profiles([[1, 0], [0, 1], [1, 1]], groups=[0, 0, 1], replicates=100)
    assert pr.size == pr.dimension_count == 2
    with pr._use() as p:
        assert lib.vs_evaluator_profile_size(p) == 2
        assert [lib.vs_evaluator_profile_group_size(p, j) for j in range(2)] == \
            [lib.vs_evaluator_profile_group_item_count(p, j) for j in range(2)] == [2, 1]


@pytest.mark.parametrize("name", ["source_sizes"])
def test_dataset_alias_is_the_new_method(name):
    from valuespace.dataset import Dataset
    assert getattr(Dataset, name) is Dataset.source_record_counts
