"""Labels in clustering: DataFrames (names kept, NaN rows, non-numeric columns named), labels
matched by index, numpy / pandas results. Expected values are worked by hand in comments."""

import math

import numpy as np
import pytest

import valuespace as vs
from valuespace.cluster import Cluster, adjusted_rand, silhouette

pd = pytest.importorskip("pandas")

X = [[0, 0], [0, 1], [10, 10], [10, 11]]


def frame():
    # the four points of X (rows p..s), a row with a missing y (t) and a text column
    return pd.DataFrame({"name": ["a", "b", "c", "d", "e"], "x": [0, 0, 10, 10, 5.0],
                         "y": [0, 1, 10, 11, math.nan]}, index=list("pqrst"))


def hand_silhouette(i):
    """(b - a) / max(a, b) of point i of X with the clusters {0, 1} and {2, 3}."""
    p = np.asarray(X, dtype=float)
    own = [j for j in (range(2) if i < 2 else range(2, 4)) if j != i]
    other = range(2, 4) if i < 2 else range(2)
    a = np.mean([np.linalg.norm(p[i] - p[j]) for j in own])
    b = np.mean([np.linalg.norm(p[i] - p[j]) for j in other])
    return (b - a) / max(a, b)


def test_numpy_outputs():
    r = Cluster(k=2, seed=3).fit(np.asarray(X, dtype=float))
    assert isinstance(r.labels, np.ndarray) and r.labels.dtype == np.int64
    assert isinstance(r.centers, np.ndarray) and r.centers.shape == (2, 2)
    assert r.names is None
    mean, s = silhouette(X, [0, 0, 1, 1], samples=True)
    assert isinstance(s, np.ndarray)
    assert s == pytest.approx([hand_silhouette(i) for i in range(4)], abs=1e-12)
    assert mean == pytest.approx(np.mean([hand_silhouette(i) for i in range(4)]), abs=1e-12)


def test_dataframe_names_missing_and_non_numeric():
    df = frame()
    with pytest.raises(TypeError, match="'name'"):
        Cluster(k=2, seed=3).fit(df)
    with pytest.raises(vs.InvalidArgument, match=r"\['y'\].*missing='drop'"):
        Cluster(k=2, seed=3).fit(df, skip=["name"])
    r = Cluster(k=2, seed=3).fit(df, skip=["name"], missing="drop")
    # the complete rows are X: clusters {p, q} and {r, s}, centres (0, 0.5), (10, 10.5);
    # t is left out (-1)
    assert isinstance(r.labels, pd.Series) and list(r.labels.index) == list("pqrst")
    assert r.labels.tolist() == [0, 0, 1, 1, -1] and r.inertia == 1.0
    assert isinstance(r.centers, pd.DataFrame) and list(r.centers.columns) == ["x", "y"]
    assert r.centers.to_numpy().tolist() == [[0, 0.5], [10, 10.5]]
    assert r.names == ["x", "y"]
    # columns= picks and orders the columns; the centres follow
    r2 = Cluster(k=2, seed=3).fit(df, columns=["y", "x"], missing="drop")
    assert r2.centers.to_numpy().tolist() == [[0.5, 0], [10.5, 10]]
    # as_frame=False: numpy even for a DataFrame
    r3 = Cluster(k=2, seed=3).fit(df, skip=["name"], missing="drop", as_frame=False)
    assert isinstance(r3.labels, np.ndarray) and r3.labels.tolist() == [0, 0, 1, 1, -1]


def test_silhouette_labels_matched_by_index():
    df = frame().drop(columns="name").iloc[:4]
    lab = pd.Series(["lo", "lo", "hi", "hi"], index=list("pqrs"))
    mean, s = silhouette(df, lab, samples=True)
    # a shuffled Series gives the same (matched by label), as do the positional ints
    mean2, s2 = silhouette(df, lab[[3, 0, 2, 1]], samples=True)
    mean3 = silhouette(X, [0, 0, 1, 1])
    assert mean == mean2 == pytest.approx(mean3, abs=1e-15)
    assert isinstance(s2, pd.Series) and list(s2.index) == list("pqrs")
    assert s2.tolist() == pytest.approx([hand_silhouette(i) for i in range(4)], abs=1e-12)
    with pytest.raises(KeyError, match="only in labels"):
        silhouette(df, pd.Series([0, 0, 1, 1], index=list("pqrz")))
    # NaN row dropped: its silhouette is NaN
    full = frame().drop(columns="name")
    m4, s4 = silhouette(full, [0, 0, 1, 1, 0], samples=True, missing="drop")
    assert m4 == pytest.approx(mean3) and math.isnan(s4["t"])


def test_adjusted_rand_any_labels():
    # identical partitions up to renaming: 1
    assert adjusted_rand(["a", "a", "b", "b"], np.array([1, 1, 0, 0])) == 1.0
    # {01}{23} vs {012}{3}: sum C(n_ij,2) = 1, rows 2, columns 3, C(4,2) = 6: expected 1,
    # max 2.5 -> (1 - 1) / (2.5 - 1) = 0
    assert adjusted_rand([0, 0, 1, 1], [0, 0, 0, 1]) == 0.0
    a = pd.Series([0, 0, 1, 1], index=list("pqrs"))
    b = pd.Series(["y", "x", "x", "y"], index=list("srpq"))  # s=y r=x p=x q=y
    assert adjusted_rand(a, b) == adjusted_rand([0, 0, 1, 1], ["x", "y", "x", "y"])
    assert adjusted_rand(a, b.sort_index()) == adjusted_rand(a, b)


def test_init_centers_from_a_dataframe():
    df = frame().drop(columns="name").iloc[:4]
    c = Cluster(k=2, n_init=1)
    c.set_init_centers(pd.DataFrame({"y": [0.0, 10.0], "x": [0.0, 10.0]}))
    r = c.fit(df)  # the data's columns are put in the centres' order
    assert r.labels.tolist() == [0, 0, 1, 1]
    assert list(r.centers.columns) == ["y", "x"]
    assert r.centers.to_numpy().tolist() == [[0.5, 0], [10.5, 10]]
    with pytest.raises(KeyError):
        c.fit(df.rename(columns={"x": "z"}))


def test_choose_k_scores():
    r = Cluster(k_min=2, k_max=3, seed=1).choose_k(pd.DataFrame(X, columns=["a", "b"]))
    ks = r.get("k_scores")
    assert list(ks.index) == [2, 3] and ks[2] == pytest.approx(silhouette(X, [0, 0, 1, 1]))
    assert r.stat("k") == 2
