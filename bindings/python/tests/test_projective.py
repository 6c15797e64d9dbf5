"""Item banks (valuespace.projective, projective.h): built-ins, JSON round trip, the builder."""

import pytest

import valuespace as vs
from valuespace.projective import Bank, BankBuilder


@pytest.mark.parametrize("name,minimum", [("valuelex", 20), ("schwartz10", 10)])
def test_builtin_banks_load_with_their_counts(name, minimum):
    with Bank.builtin(name) as bank:
        assert bank.name == name and bank.space.name == name
        n = len(bank)
        items = list(bank)
        assert len(items) == n and len({it.id for it in items}) == n
        assert bank.continuation_count == n  # every built-in item has high/low
        space = bank.space
        level0 = space.level_dimension_count(0)
        per_dim = [bank.dimension_item_count(d) for d in range(level0)]
        assert min(per_dim) >= minimum
        # the per-dimension counts agree with the items' own dimension lists
        for d in range(level0):
            assert per_dim[d] == sum(1 for it in items if d in it.dimensions)
        assert any(it.reverse for it in items)
        it = bank[items[5].id]
        assert it == items[5] and bank.find(it.id) == 5
        assert it.stem.startswith(it.context) and it.high and it.low


def test_json_round_trip_and_files(tmp_path):
    bank = Bank.builtin("schwartz10")
    text = bank.dumps()
    again = Bank.loads(text)
    assert again.dumps() == text and len(again) == len(bank)
    bank.save(tmp_path / "b.json")
    assert Bank.load(tmp_path / "b.json").dumps() == text
    with pytest.raises(vs.ParseError) as e:
        Bank.loads('{"schema": "valuespace/bank", "version": 1,\n "nme": 1}', source_name="b.json")
    assert e.value.message.startswith("b.json:")
    with pytest.raises(vs.NotFound):
        Bank.builtin("no-such-bank")


def test_builder(schwartz10):
    b = BankBuilder("mine", schwartz10, description="test bank")
    b.add("q-1", "When I lead, I...", ["power"], high="take charge.", low="step back.")
    b.add("q-2", "The rule I bend is...", [0, 9], reverse=True)
    with pytest.raises(vs.DuplicateError):
        b.add("q-1", "Again...", ["power"])
    with pytest.raises(vs.NotFound):
        b.add("q-3", "Stem...", ["no such value"])
    bank = b.freeze()
    b.close()
    assert len(bank) == 2 and bank.description == "test bank"
    assert bank[1].reverse and bank[1].dimensions == (0, 9) and bank[1].high is None
    assert bank[0].dimensions == (schwartz10.find("power"),)
    assert bank.item_flags(1) == vs.projective.ITEM_REVERSE


def test_borrowed_children_keep_their_parents_alive():
    import gc
    space = Bank.builtin("valuelex").space  # the bank object is dropped at once
    gc.collect()
    assert space.name == "valuelex" and len(space.keys(0)) == 6
    items = Bank.builtin("schwartz10")[0:2]
    gc.collect()
    assert items[0].id.startswith("s10-")
