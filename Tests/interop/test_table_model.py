"""Unit tests of the table model (model.py) and of the scenarios built on it — no lake needed."""
from __future__ import annotations

import random

import pytest

import model as m
import scenarios as s

I1, I2, I3, I4, I5 = (f"2026010100000{i}000" for i in range(1, 6))


def table(**kw) -> m.TableModel:
    kw.setdefault("precombine", "ts")
    kw.setdefault("partition_fields", ["p"])
    return m.TableModel(["id", "ts", "p", "v"], ["id"], **kw)


def row(id, ts, p="a", v=None):
    return {"id": id, "ts": ts, "p": p, "v": v}


def state(t: m.TableModel) -> dict:
    """key -> (ts, p, v, commit time)."""
    return {k: (e.row["ts"], e.row["p"], e.row["v"], e.commit_time) for k, e in t.live.items()}


# -- record keys ---------------------------------------------------------------------------

def test_simple_and_complex_record_keys():
    assert m.format_record_key(["id"], [1], False) == "1"
    assert m.format_record_key(["id"], ["abc"], False) == "abc"
    assert m.format_record_key(["id"], [1], True) == "id:1"
    assert m.format_record_key(["id", "name"], [1, "Alice"], True) == "id:1,name:Alice"
    assert m.format_record_key(["a", "b"], [None, "x"], True) == "a:__null__,b:x"
    assert m.format_record_key(["a", "b"], ["", True], True) == "a:__empty__,b:true"
    for bad in ([None], [""]):
        with pytest.raises(m.ModelError):
            m.format_record_key(["id"], bad, False)
    with pytest.raises(m.ModelError):
        m.format_record_key(["a", "b"], [None, ""], True)
    with pytest.raises(m.ModelError):
        m.format_record_key(["id"], [1.5], False)


@pytest.mark.parametrize("cls,keys,parts,expected", [
    ("org.apache.hudi.keygen.ComplexKeyGenerator", ["id"], ["p"], True),
    ("org.apache.hudi.keygen.SimpleKeyGenerator", ["id"], ["p"], False),
    ("org.apache.hudi.keygen.NonpartitionedKeyGenerator", ["id"], [], False),
    ("org.apache.hudi.keygen.NonpartitionedKeyGenerator", ["a", "b"], [], True),
    (None, ["id"], ["p"], False),
    (None, ["id"], ["p", "q"], True),
    (None, ["a", "b"], ["p"], True),
    (None, ["id"], [], False),
])
def test_key_generator_decides_key_format(cls, keys, parts, expected):
    assert m.complex_keys_for(cls, keys, parts) is expected


# -- partition paths -----------------------------------------------------------------------

def test_partition_path_hive_and_plain():
    assert m.format_partition_path(["a", "b"], ["x", 1]) == "a=x/b=1"
    assert m.format_partition_path(["a"], ["x"], hive_style=False) == "x"
    assert m.format_partition_path(["a", "b"], [None, ""]) == "a=__HIVE_DEFAULT_PARTITION__/b=__HIVE_DEFAULT_PARTITION__"
    assert m.format_partition_path([], []) == ""
    assert m.format_partition_path(["a"], [True]) == "a=true"


def test_partition_path_escapes_hive_set_and_keeps_non_ascii():
    assert m.format_partition_path(["p"], ["a/b"]) == "p=a%2Fb"
    assert m.format_partition_path(["p"], ["x=y"]) == "p=x%3Dy"
    assert m.format_partition_path(["p"], ["50%"]) == "p=50%25"
    assert m.format_partition_path(["p"], ["ü b"]) == "p=ü b"
    assert m.format_partition_path(["p"], ["\t\x7f"]) == "p=%09%7F"
    assert m.escape_path_value('"#%\'*/:=?\\{[]^') == "%22%23%25%27%2A%2F%3A%3D%3F%5C%7B%5B%5D%5E"
    assert m.escape_path_value("a-b_c.d~!@$&()+;,<>|`}") == "a-b_c.d~!@$&()+;,<>|`}"
    # hive style: the field name prefix keeps dots harmless
    assert m.format_partition_path(["p"], [".."]) == "p=.."
    # without URL encoding values are written raw
    assert m.format_partition_path(["p"], ["a/b"], url_encode=False) == "p=a/b"


def test_plain_segments_never_hidden_or_reserved():
    for value, path in [("..", "%2E."), (".", "%2E"), (".hoodie", "%2Ehoodie"), ("metadata", "%6Detadata"),
                        ("_delta_log", "%5Fdelta_log"), ("ok.x", "ok.x")]:
        assert m.format_partition_path(["p"], [value], hive_style=False) == path
    # only the first level can collide with hudi-rs's skipped top-level names
    assert m.format_partition_path(["p", "q"], ["x", "metadata"], hive_style=False) == "x/metadata"


@pytest.mark.parametrize("hive", [True, False])
def test_partition_path_round_trips(hive):
    rng = random.Random(7)
    alphabet = "ab/=%.:#?ü日😀 \t\\{}[]^'\"*-_"
    for _ in range(500):
        values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(2)]
        path = m.format_partition_path(["f", "g"], values, hive_style=hive)
        want = [v or None for v in values]
        assert m.parse_partition_path(path, ["f", "g"], hive_style=hive) == want, (values, path)
        assert len(path.split("/")) == 2


def test_unescape_edge_cases():
    assert m.unescape_path_value("%C3%BC") == "ü"
    assert m.unescape_path_value("%c3%bc") == "ü"
    assert m.unescape_path_value("%FF") == "\xff"        # not UTF-8: one character per byte
    assert m.unescape_path_value("50%") == "50%"
    assert m.unescape_path_value("%4") == "%4"
    assert m.unescape_path_value("%zz") == "%zz"
    assert m.unescape_path_value("%2541") == "%41"       # decoded once only


def test_parse_partition_path_rejects_wrong_shapes():
    with pytest.raises(m.ModelError):
        m.parse_partition_path("a=1/b=2/c=3", ["a", "b"])
    with pytest.raises(m.ModelError):
        m.parse_partition_path("x=1", ["a"])
    with pytest.raises(m.ModelError):
        m.parse_partition_path("a=1", [])
    assert m.parse_partition_path("a=__HIVE_DEFAULT_PARTITION__", ["a"]) == [None]


def test_plain_values():
    assert all(m.is_plain_value(v) for v in [None, "", 5, -3, "eu", "A_b-9"])
    assert not any(m.is_plain_value(v) for v in ["a b", "a/b", "ü", "..", "x.y", "metadata", True])


# -- upsert / insert -----------------------------------------------------------------------

def test_in_batch_dedup_keeps_largest_ordering_and_later_on_ties():
    t = table()
    c = t.apply("upsert", [row(1, 1, v="a"), row(1, 3, v="b"), row(1, 2, v="c"),
                           row(2, 5, v="first"), row(2, 5, v="second"),
                           row(3, None, v="null"), row(3, 0, v="zero"),
                           row(4, None, v="n1"), row(4, None, v="n2")], I1)
    assert state(t) == {"1": (3, "a", "b", I1), "2": (5, "a", "second", I1), "3": (0, "a", "zero", I1),
                        "4": (None, "a", "n2", I1)}
    assert c.determined() == {"records_in": 9, "inserted": 4, "updated": 0, "deleted": 0, "ignored": 5}


def test_against_storage_incoming_wins_ties_and_late_events_are_ignored():
    t = table()
    t.apply("upsert", [row(1, 10, v="x"), row(2, 10, v="x"), row(3, 10, v="x")], I1)
    c = t.apply("upsert", [row(1, 9, v="late"), row(2, 10, v="tie"), row(3, 11, v="new"), row(4, 1)], I2)
    assert state(t) == {"1": (10, "a", "x", I1), "2": (10, "a", "tie", I2), "3": (11, "a", "new", I2),
                        "4": (1, "a", None, I2)}
    assert (c.inserted, c.updated, c.ignored) == (1, 2, 1)


def test_batch_winner_alone_meets_storage():
    t = table()
    t.apply("upsert", [row(1, 10)], I1)
    c = t.apply("upsert", [row(1, 9, v="a"), row(1, 8, v="b")], I2)   # both older: nothing changes
    assert state(t) == {"1": (10, "a", None, I1)} and c.ignored == 2


def test_null_precombine_sorts_lowest():
    t = table()
    t.apply("upsert", [row(1, 0), row(2, None)], I1)
    c = t.apply("upsert", [row(1, None, v="null"), row(2, None, v="null tie"), row(3, None)], I2)
    assert state(t) == {"1": (0, "a", None, I1), "2": (None, "a", "null tie", I2), "3": (None, "a", None, I2)}
    assert (c.inserted, c.updated, c.ignored) == (1, 1, 1)
    t.apply("upsert", [row(2, -5, v="any value beats null")], I3)
    assert state(t)["2"] == (-5, "a", "any value beats null", I3)


def test_no_precombine_field_incoming_always_wins():
    t = table(precombine=None)
    t.apply("upsert", [row(1, 5, v="a")], I1)
    c = t.apply("upsert", [row(1, 1, v="b"), row(1, 0, v="c")], I2)
    assert state(t) == {"1": (0, "a", "c", I2)} and (c.updated, c.ignored) == (1, 1)


def test_partition_moves_keep_one_copy_and_carried_rows_keep_commit_time():
    t = table()
    t.apply("upsert", [row(1, 1, "a"), row(2, 1, "a")], I1)
    t.apply("upsert", [row(1, 2, "b")], I2)
    assert state(t) == {"1": (2, "b", None, I2), "2": (1, "a", None, I1)}
    snap = t.snapshot()
    assert [r["_hoodie_partition_path"] for r in snap] == ["p=b", "p=a"]
    t.apply("upsert", [row(1, 3, "a"), row(1, 4, "c"), row(1, 5, "a")], I3)
    assert state(t)["1"] == (5, "a", None, I3) and len(t) == 2


def test_null_and_empty_partition_values_share_the_default_partition():
    t = table()
    t.apply("upsert", [row(1, 1, None), row(2, 1, "")], I1)
    assert {r["_hoodie_partition_path"] for r in t.snapshot()} == {"p=__HIVE_DEFAULT_PARTITION__"}
    assert t.partitions() == {(None,)}
    assert [r["p"] for r in t.snapshot()] == [None, ""]        # the data keeps the difference


def test_absent_columns_are_null_and_unknown_columns_rejected():
    t = table()
    t.apply("upsert", [{"id": 1, "ts": 1}], I1)
    assert t.snapshot()[0] == {"_hoodie_commit_time": I1, "_hoodie_record_key": "1",
                               "_hoodie_partition_path": "p=__HIVE_DEFAULT_PARTITION__",
                               "id": 1, "ts": 1, "p": None, "v": None}
    with pytest.raises(m.ModelError):
        t.apply("upsert", [{"id": 1, "ts": 2, "zzz": 1}], I2)


def test_instants_must_increase():
    t = table()
    t.apply("upsert", [row(1, 1)], I2)
    with pytest.raises(m.ModelError):
        t.apply("upsert", [row(1, 2)], I1)
    with pytest.raises(m.ModelError):
        t.apply("upsert", [row(1, 2)], I2)


# -- deletes ---------------------------------------------------------------------------------

def test_ordered_deletes_and_tombstones():
    t = table()
    t.apply("upsert", [row(k, 10) for k in (1, 2, 3)], I1)
    c = t.apply("delete", [{"id": 1, "ts": 11}, {"id": 2, "ts": 9}, {"id": 3, "ts": 10}, {"id": 99, "ts": 1}], I2)
    assert set(t.live) == {"2"} and (c.deleted, c.ignored) == (2, 2)
    c = t.apply("upsert", [row(1, 10, v="older than the delete"), row(3, 12, v="newer")], I3)
    assert set(t.live) == {"2", "3"} and (c.inserted, c.ignored) == (1, 1)
    c = t.apply("upsert", [row(1, 11, v="tie with the delete")], I4)
    assert state(t)["1"] == (11, "a", "tie with the delete", I4) and c.inserted == 1


def test_unconditional_delete_then_reinsert():
    t = table()
    t.apply("upsert", [row(1, 10), row(2, 10)], I1)
    c = t.apply("delete", [{"id": 1}, {"id": 5}], I2)
    assert set(t.live) == {"2"} and (c.deleted, c.ignored) == (1, 1)
    # at or above the deleted row's ordering value: accepted whatever lake remembers
    t.apply("upsert", [row(1, 10, v="back")], I3)
    assert state(t)["1"] == (10, "a", "back", I3)


def test_reinsert_below_an_unconditional_delete_is_ambiguous_and_changes_nothing():
    t = table()
    t.apply("upsert", [row(1, 10), row(2, 10)], I1)
    t.apply("delete", [{"id": 1}], I2)
    before = (state(t), dict(t.tombstones), list(t.instants))
    with pytest.raises(m.Ambiguous) as e:
        t.apply("upsert", [row(2, 11), row(1, 9)], I3)
    assert e.value.key == "1"
    assert (state(t), dict(t.tombstones), list(t.instants)) == before


def test_delete_of_absent_key_only_raises_the_upper_bound():
    t = table()
    t.apply("delete", [{"id": 1, "ts": 5}], I1)
    with pytest.raises(m.Ambiguous):
        t.copy().apply("upsert", [row(1, 4)], I2)
    t.apply("upsert", [row(1, 5)], I2)     # >= every possible remembered value
    assert "1" in t.live


def test_delete_batch_dedup_and_open_cases():
    t = table()
    t.apply("upsert", [row(1, 10), row(2, 10)], I1)
    c = t.apply("delete", [{"id": 1, "ts": 12}, {"id": 1, "ts": 8}, {"id": 2, "ts": 9}, {"id": 2, "ts": 9}], I2)
    assert set(t.live) == {"2"} and (c.deleted, c.ignored) == (1, 3)
    assert t.tombstones["1"] == m.Tombstone((1, 12), (1, 12))
    with pytest.raises(m.Ambiguous):
        t.copy().apply("delete", [{"id": 2, "ts": 11}, {"id": 2}], I3)
    with pytest.raises(m.Ambiguous):
        t.copy().apply("delete", [{"id": 2, "ts": None}], I3)


def test_no_precombine_deletes_are_unconditional():
    t = table(precombine=None)
    t.apply("upsert", [row(1, 10)], I1)
    t.apply("delete", [{"id": 1}], I2)
    t.apply("upsert", [row(1, 0)], I3)     # nothing orders it: accepted
    assert state(t)["1"] == (0, "a", None, I3)


# -- bulk insert, insert overwrite, delete partition --------------------------------------

def test_bulk_insert_new_keys_only():
    t = table()
    c = t.apply("bulk_insert", [row(1, 1), row(2, 1)], I1)
    assert c.inserted == 2 and len(t) == 2
    for bad in ([row(1, 5)], [row(3, 1), row(3, 2)]):
        with pytest.raises(m.Ambiguous):
            t.copy().apply("bulk_insert", bad, I2)


def test_insert_overwrite_replaces_exactly_the_input_partitions():
    t = table()
    t.apply("upsert", [row(1, 5, "a"), row(2, 5, "a"), row(3, 5, "b"), row(4, 5, None)], I1)
    c = t.apply("insert_overwrite", [row(1, 0, "a", "older but written"), row(9, 1, "c"), row(8, 1, "")], I2)
    assert state(t) == {"1": (0, "a", "older but written", I2), "9": (1, "c", None, I2),
                        "3": (5, "b", None, I1), "8": (1, "", None, I2)}
    assert c.determined() == {"records_in": 3}
    with pytest.raises(m.Ambiguous):       # key 3 lives in b, which is not overwritten
        t.copy().apply("insert_overwrite", [row(3, 9, "c")], I3)
    with pytest.raises(m.Ambiguous):       # key 2 was removed by the overwrite
        t.copy().apply("insert_overwrite", [row(2, 9, "c")], I3)


def test_delete_partition():
    t = table(partition_fields=["p"])
    t.apply("upsert", [row(1, 5, "a"), row(2, 5, "b"), row(3, 5, ""), row(4, 5, None)], I1)
    c = t.apply("delete_partition", [("a",), (None,)], I2)
    assert set(t.live) == {"2"} and c.determined() == {}
    t.apply("upsert", [row(1, 6, "a")], I3)
    assert state(t)["1"] == (6, "a", None, I3)
    with pytest.raises(m.ModelError):
        t.apply("delete_partition", [("a", "b")], I4)


def test_composite_keys_in_the_model():
    t = m.TableModel(["t", "id", "ts"], ["t", "id"], "ts")
    t.apply("upsert", [{"t": "x", "id": 1, "ts": 1}, {"t": "y", "id": 1, "ts": 1}], I1)
    assert sorted(t.live) == ["t:x,id:1", "t:y,id:1"]
    assert t.snapshot()[0]["_hoodie_partition_path"] == ""
    t.apply("delete", [{"t": "x", "id": 1}], I2)
    assert sorted(t.live) == ["t:y,id:1"]


# -- the scenarios ---------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", s.hand_made(), ids=lambda sc: sc.name)
def test_hand_made_scenarios_are_determined_and_meet_their_expectations(scenario):
    assert 3 <= len(scenario.steps) <= 15
    mdl, counts = s.run_model_only(scenario)
    assert len(mdl) > 0
    text = s.message_type(scenario.columns)
    assert text.startswith("message schema {") and all(f" {c.name}" in text for c in scenario.columns)


def test_scenarios_cover_the_brief():
    scs = {sc.name: sc for sc in s.hand_made()}
    ops = {st.op for sc in scs.values() for st in sc.steps}
    assert ops == set(m.OPERATIONS)
    kinds = {c.kind for c in scs["typed_nulls"].columns}
    assert kinds == {"string", "int64", "double", "bool", "date", "timestamp", "decimal", "list", "struct"}
    typed = s.run_model_only(scs["typed_nulls"])[0]
    nulls = {c for c in s.TYPED_DATA if any(r[c] is None for r in typed.snapshot())}
    assert nulls == set(s.TYPED_DATA)
    assert any(not sc.hive_style and len(sc.partition_by) == 1 for sc in scs.values())
    assert any(sc.hive_style and len(sc.partition_by) == 2 for sc in scs.values())
    assert any(len(sc.key) > 1 for sc in scs.values())
    assert any(not sc.declare_schema for sc in scs.values())


def test_random_scenario_is_deterministic_and_mixed():
    a, b = s.random_scenario(), s.random_scenario()
    assert [(st.op, st.rows, st.partitions) for st in a.steps] == [(st.op, st.rows, st.partitions) for st in b.steps]
    assert [st.op for st in a.steps] == s.RANDOM_OPS
    mdl, counts = s.run_model_only(a)
    keys = {r["id"] for st in a.steps for r in st.rows}
    assert len(keys) >= 1500
    assert sum(c.updated or 0 for c in counts) > 100
    assert sum(c.ignored or 0 for c in counts) > 100
    assert sum(c.deleted or 0 for c in counts) > 10
    moves = 0
    probe = a.new_model()
    for i, st in enumerate(a.steps, 1):
        before = {k: e.partition for k, e in probe.live.items()}
        probe.apply(st.op, st.payload, s.fake_instant(i))
        moves += sum(1 for k, e in probe.live.items() if k in before and before[k] != e.partition)
    assert moves > 50
    assert any(r.get("region") == "" for st in a.steps for r in st.rows)
    assert len(mdl.partitions()) > 10
