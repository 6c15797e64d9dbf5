"""Datasets (valuespace.dataset, dataset.h). The FULCRA expectations are derived here with
Python's own json module from the data file (independent of the C reader)."""

import json
import math
import os
import re

import pytest

import valuespace as vs
from valuespace.dataset import Dataset

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
FULCRA = os.path.join(ROOT, "examples", "data", "fulcra", "trustworthy_data.jsonl")


@pytest.fixture(scope="module")
def fulcra():
    if not os.path.exists(FULCRA):
        pytest.skip("examples/data/fulcra/trustworthy_data.jsonl not found")
    with Dataset.load_fulcra(FULCRA) as ds:
        yield ds


def _python_view():
    """Records and malformed labels as the dataset.h rules define them, with plain json."""
    records, malformed = [], []
    with open(FULCRA, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            rec = json.loads(line)
            records.append(rec)
            for field in ("value_items", "value_types"):
                for label in rec[field]:
                    score = label.rsplit(":", 1)[1].strip()
                    if score not in ("+1", "1", "-1"):
                        malformed.append((lineno, label))
    return records, malformed


def test_fulcra_counts_and_malformed_labels(fulcra):
    records, malformed = _python_view()
    assert len(fulcra) == len(records) == 1718
    assert fulcra.line_count == 1718
    assert fulcra.skip_count("malformed_label") == len(malformed) == 4
    got = sorted((s.line, s.token) for s in fulcra.skips if s.reason == "malformed_label")
    assert got == sorted(malformed)
    assert fulcra.skip_lines("malformed_label").tolist() == sorted(line for line, _ in malformed)
    for s in fulcra.skips:
        if s.reason == "malformed_label":
            # the column is where the offending JSON string starts on its line (1-based bytes)
            raw = open(FULCRA, "rb").read().split(b"\n")[s.line - 1]
            assert raw[s.column - 1:].startswith(json.dumps(s.token).encode())


def test_fulcra_records_and_labels(fulcra, vs):
    records, _ = _python_view()
    r = fulcra[1]
    assert r.source == records[1]["response_source"] == "gemini"
    assert r.prompt.startswith("Who are more emotionally invested") and r.response == "Women"
    assert r.text == records[1]["dialogue"] and r.line == 2
    assert fulcra[-1].index == 1717
    assert fulcra.label_set_count == 2
    assert fulcra.label_space(vs.dataset.TYPES).name == "schwartz10"
    assert fulcra.label_space(vs.dataset.ITEMS).name == "fulcra"
    keys = fulcra.label_keys(0)
    m = fulcra.labels(0)
    assert m.shape == (1718, 10)
    # record 1: "universalism: -1", "benevolence: +1"
    row = dict(zip(keys, m[1]))
    assert row["universalism"] == -1 and row["benevolence"] == 1 and row["power"] == 0
    assert (fulcra.labels(0, record=1) == m[1]).all()
    # positive counts per type, from the json (labels whose score parses, folded names)
    fold = lambda s: re.sub(r"[\s_-]+", "_", s.strip().lower())
    pos = dict.fromkeys(keys, 0)
    for rec in records:
        seen = {}
        for label in rec["value_types"]:
            name, score = label.rsplit(":", 1)
            if score.strip() in ("+1", "1", "-1"):
                seen.setdefault(fold(name), set()).add(score.strip() != "-1")
        for name, signs in seen.items():
            if name in pos and signs == {True}:
                pos[name] += 1
    assert dict(zip(keys, fulcra.label_counts(0, "positive"))) == pos
    assert sum(fulcra.source_record_counts()) == 1718
    assert len(fulcra.source_indices()) == 1718
    assert fulcra.strings("source")[1] == "gemini"


def test_labels_numpy_and_frame(fulcra):
    np = pytest.importorskip("numpy")
    m = fulcra.labels(1)
    assert isinstance(m, np.ndarray) and m.shape == (1718, 54) and m.dtype == np.float64
    assert memoryview(m).shape == (1718, 54)
    pd = pytest.importorskip("pandas")
    df = fulcra.labels(0, as_frame=True)
    # record 1: "universalism: -1", "benevolence: +1" (as test_fulcra_records_and_labels)
    assert isinstance(df, pd.DataFrame) and list(df.columns) == fulcra.label_keys(0)
    assert df.loc[1, "universalism"] == -1 and df.loc[1, "benevolence"] == 1
    assert np.array_equal(df.to_numpy(), fulcra.labels(0), equal_nan=True)
    row = fulcra.labels(0, record=1, as_frame=True)
    assert row["benevolence"] == 1 and list(row.index) == fulcra.label_keys(0)
    counts = fulcra.label_counts(0, "positive", as_frame=True)
    assert counts.to_dict() == dict(zip(fulcra.label_keys(0),
                                        fulcra.label_counts(0, "positive").tolist()))
    sizes = fulcra.source_record_counts(as_frame=True)
    assert list(sizes.index) == fulcra.sources and sizes.sum() == 1718
    assert fulcra.source_indices().dtype == np.int64


def test_strict_and_generic_reader(schwartz10):
    with pytest.raises(vs.ParseError) as e:
        Dataset.read_fulcra('{"dialogue": "Human: a\\nBob: b", "value_types": ["power: 1+"], '
                            '"value_items": []}\n', source_name="mem.jsonl", strict=True)
    assert e.value.message.startswith("mem.jsonl:1:")
    csv = "id,text,group,power,Self-Direction,extra\nr1,hello,g1,1,-1,x\nr2,bye,g2,,0.5,y\n"
    ds = Dataset.read(csv, schwartz10, 0, format="csv", source_name="mem.csv")
    assert len(ds) == 2 and ds[0].id == "r1" and ds.sources == ["g1", "g2"]
    keys = ds.label_keys()
    row0, row1 = dict(zip(keys, ds.labels(0)[0])), dict(zip(keys, ds.labels(0)[1]))
    assert row0["power"] == 1 and row0["self_direction"] == -1
    assert math.isnan(row1["power"]) and row1["self_direction"] == 0.5
    assert ds.skip_count("ignored_field") == 1 and ds.skips[0].token == "extra"
    with pytest.raises(TypeError):
        Dataset()
    ds.close()
    with pytest.raises(vs.ClosedError):
        len(ds)
