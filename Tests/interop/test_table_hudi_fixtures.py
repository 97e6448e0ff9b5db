"""The hudi-rs helpers (hudi_read.py) and the table checks (scenarios.py) proven on tables Java Hudi
0.14 wrote (/work/shared/fixtures/hudi-java-v6-cow, with the SQL that made them): hudi-rs must read
what the SQL implies, and replaying the SQL on the model must give the same rows — so the
converter, the comparison, the per-commit checks, time travel and incremental reads are right
before they are pointed at lake. No lake needed."""
from __future__ import annotations

import base64
import decimal
import json

import pyarrow as pa
import pytest

import hudi_read as h
import model as m
import scenarios as s


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    root = tmp_path_factory.mktemp("hudi-fixtures")
    names = ["v6_complexkeygen_hivestyle", "v6_nonpartitioned", "v6_simplekeygen_nonhivestyle",
             "v6_simplekeygen_nonhivestyle_overwritetable", "v6_empty"]
    return {n: h.unpack_fixture(n, root) for n in names}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def arr(*pairs):
    return [{"arr_struct_f1": a, "arr_struct_f2": b} for a, b in pairs]


def mp(*entries):
    return [{"key": k, "value": {"map_field_value_struct_f1": d, "map_field_value_struct_f2": f}} for k, d, f in entries]


def st(f1, f2, c1, c2):
    return {"field1": f1, "field2": f2, "child_struct": {"child_field1": c1, "child_field2": c2}}


# The rows of the fixtures' SQL in canonical form. Timestamps: the SQL's local times were written
# in US Central daylight time (UTC-5), so 12:01 is 17:01Z.
PEOPLE = {
    "Alice": dict(id=1, name="Alice", isActive=True, intField=15000, longField=1234567890, floatField=1.0,
                  doubleField=3.14159, decimalField="12345.67890", dateField="2023-04-01",
                  timestampField="2023-04-01T17:01:00.000000Z", binaryField=b64("binary data"),
                  arrayField=arr(("red", 100), ("blue", 200), ("green", 300)),
                  mapField=mp(("key1", 123.456, True), ("key2", 789.012, False)),
                  structField=st("Alice", 30, 123.456, True)),
    "Bob": dict(id=2, name="Bob", isActive=False, intField=25000, longField=9876543210, floatField=2.0,
                doubleField=2.71828, decimalField="67890.12345", dateField="2023-04-02",
                timestampField="2023-04-02T18:02:00.000000Z", binaryField=b64("more binary data"),
                arrayField=arr(("yellow", 400), ("purple", 500)),
                mapField=mp(("key3", 234.567, True), ("key4", 567.890, False)),
                structField=st("Bob", 40, 789.012, False)),
    "Carol": dict(id=3, name="Carol", isActive=True, intField=35000, longField=1928374650, floatField=3.0,
                  doubleField=1.41421, decimalField="11111.22222", dateField="2023-04-03",
                  timestampField="2023-04-03T19:03:00.000000Z", binaryField=b64("even more binary data"),
                  arrayField=arr(("black", 600), ("white", 700), ("pink", 800)),
                  mapField=mp(("key5", 345.678, True), ("key6", 654.321, False)),
                  structField=st("Carol", 25, 456.789, True)),
    "Diana": dict(id=4, name="Diana", isActive=True, intField=45000, longField=987654321, floatField=4.0,
                  doubleField=2.468, decimalField="65432.12345", dateField="2023-04-04",
                  timestampField="2023-04-04T20:04:00.000000Z", binaryField=b64("new binary data"),
                  arrayField=arr(("orange", 900), ("gray", 1000)),
                  mapField=mp(("key7", 456.789, True), ("key8", 123.456, False)),
                  structField=st("Diana", 50, 987.654, True)),
}
COMMON = list(PEOPLE["Alice"])


def person(name: str, columns: list[str], **overrides) -> dict:
    row = dict(PEOPLE[name], **overrides)
    return {c: row[c] for c in columns}


# Per fixture: data columns in table order, key, partition fields, hive style, and the rows of
# its two INSERT statements (extra partition/other columns given per person).
REPLAYS = {
    "v6_complexkeygen_hivestyle": dict(
        columns=COMMON + ["byteField", "shortField"], key=["id", "name"], partition=["byteField", "shortField"],
        hive=True, inserts=[
            [("Alice", dict(byteField=10, shortField=300)), ("Bob", dict(byteField=20, shortField=100)),
             ("Carol", dict(byteField=10, shortField=300))],
            [("Alice", dict(isActive=False, byteField=10, shortField=300)), ("Diana", dict(byteField=30, shortField=100))],
        ]),
    "v6_nonpartitioned": dict(
        columns=COMMON[:3] + ["byteField", "shortField"] + COMMON[3:], key=["id"], partition=[], hive=True,
        inserts=[
            [("Alice", dict(byteField=1, shortField=300)), ("Bob", dict(byteField=0, shortField=100)),
             ("Carol", dict(byteField=1, shortField=200))],
            [("Alice", dict(isActive=False, byteField=1, shortField=300)), ("Diana", dict(byteField=1, shortField=500))],
        ]),
    "v6_simplekeygen_nonhivestyle": dict(
        columns=COMMON[:3] + ["shortField"] + COMMON[3:] + ["byteField"], key=["id"], partition=["byteField"],
        hive=False, inserts=[
            [("Alice", dict(shortField=300, byteField=10)), ("Bob", dict(shortField=100, byteField=20)),
             ("Carol", dict(shortField=200, byteField=10))],
            [("Alice", dict(isActive=False, shortField=300, byteField=10)), ("Diana", dict(shortField=500, byteField=30))],
        ]),
}


def replay(name: str, table) -> tuple[m.TableModel, list[tuple[str, list[dict]]]]:
    """The fixture's SQL applied to the model with the fixture's own instants; per-commit snapshots."""
    spec = REPLAYS[name]
    props = h.read_properties(table)
    mdl = m.TableModel(spec["columns"], spec["key"], "longField", spec["partition"], hive_style=spec["hive"],
                       url_encode=props.get("hoodie.datasource.write.partitionpath.urlencode") == "true",
                       complex_keys=m.complex_keys_for(props.get("hoodie.table.keygenerator.class"),
                                                       spec["key"], spec["partition"]))
    instants = [t for t, action in h.completed_instants(table)]
    assert len(instants) == len(spec["inserts"])
    history = []
    for instant, batch in zip(instants, spec["inserts"]):
        mdl.apply("insert", [person(n, spec["columns"], **extra) for n, extra in batch], instant)
        history.append((instant, mdl.snapshot()))
    return mdl, history


# -- plain hudi-rs reads -----------------------------------------------------------------------

def test_complexkeygen_snapshot_values(fixtures):
    t = fixtures["v6_complexkeygen_hivestyle"]
    rows = h.snapshot(t)
    assert [r["_hoodie_record_key"] for r in rows] == ["id:1,name:Alice", "id:2,name:Bob", "id:3,name:Carol",
                                                      "id:4,name:Diana"]
    c1, c2 = [i for i, _ in h.completed_instants(t)]
    assert [r["_hoodie_commit_time"] for r in rows] == [c2, c1, c1, c2]
    assert [r["_hoodie_partition_path"] for r in rows] == ["byteField=10/shortField=300", "byteField=20/shortField=100",
                                                          "byteField=10/shortField=300", "byteField=30/shortField=100"]
    alice = rows[0]
    assert list(alice)[:5] == list(m.META_COLUMNS)
    expected = person("Alice", REPLAYS["v6_complexkeygen_hivestyle"]["columns"], isActive=False, byteField=10,
                      shortField=300)
    assert h.diff_rows([expected], [alice], list(expected)) is None, h.diff_rows([expected], [alice], list(expected))
    assert alice["_hoodie_file_name"].endswith(f"_{c2}.parquet")
    assert alice["_hoodie_commit_seqno"].startswith(c2 + "_")


def test_other_fixture_snapshots(fixtures):
    rows = h.snapshot(fixtures["v6_nonpartitioned"])
    assert [(r["_hoodie_record_key"], r["_hoodie_partition_path"], r["isActive"]) for r in rows] == [
        ("1", "", False), ("2", "", False), ("3", "", True), ("4", "", True)]
    rows = h.snapshot(fixtures["v6_simplekeygen_nonhivestyle"])
    assert [(r["_hoodie_record_key"], r["_hoodie_partition_path"]) for r in rows] == [
        ("1", "10"), ("2", "20"), ("3", "10"), ("4", "30")]
    assert h.snapshot(fixtures["v6_empty"]) == []


def test_overwritetable_replacecommit_hides_replaced_groups(fixtures):
    t = fixtures["v6_simplekeygen_nonhivestyle_overwritetable"]
    timeline = h.completed_instants(t)
    assert [a for _, a in timeline] == ["commit", "commit", "replacecommit"]
    rows = h.snapshot(t)
    assert [(r["_hoodie_record_key"], r["isActive"], r["_hoodie_partition_path"]) for r in rows] == [("4", False, "30")]
    assert rows[0]["_hoodie_commit_time"] == timeline[2][0]
    before = h.as_of(t, timeline[1][0])
    assert [r["_hoodie_record_key"] for r in before] == ["1", "2", "3", "4"]
    assert [s_["partition_path"] for s_ in h.file_slices(t)] == ["30"]
    assert sorted(s_["partition_path"] for s_ in h.file_slices(t, timeline[1][0])) == ["10", "20", "30"]
    # the replacecommit wrote Diana again: an incremental read of it returns her row only
    assert [r["id"] for r in h.incremental(t, timeline[1][0], timeline[2][0])] == [4]


def test_time_travel_and_incremental_on_complexkeygen(fixtures):
    t = fixtures["v6_complexkeygen_hivestyle"]
    c1, c2 = [i for i, _ in h.completed_instants(t)]
    first = h.as_of(t, c1)
    assert [(r["id"], r["isActive"]) for r in first] == [(1, True), (2, False), (3, True)]
    assert [r["id"] for r in h.incremental(t, c1, c2)] == [1, 4]
    assert [r["id"] for r in h.incremental(t, None, c1)] == [1, 2, 3]
    assert [r["id"] for r in h.incremental(t, c2)] == []


def test_file_slices(fixtures):
    t = fixtures["v6_complexkeygen_hivestyle"]
    c1, c2 = [i for i, _ in h.completed_instants(t)]
    slices = h.file_slices(t)
    assert [(x["partition_path"], x["instant"]) for x in slices] == [
        ("byteField=10/shortField=300", c2), ("byteField=20/shortField=100", c1), ("byteField=30/shortField=100", c2)]
    for x in slices:
        assert (t / x["relative_path"]).is_file()
        assert x["base_file_name"].startswith(x["file_id"] + "_")
    older = h.file_slices(t, c1)
    assert [(x["partition_path"], x["instant"]) for x in older] == [
        ("byteField=10/shortField=300", c1), ("byteField=20/shortField=100", c1)]


def test_properties_parser(fixtures):
    props = h.read_properties(fixtures["v6_complexkeygen_hivestyle"])
    assert props["hoodie.table.recordkey.fields"] == "id,name"
    assert props["hoodie.table.keygenerator.class"] == "org.apache.hudi.keygen.ComplexKeyGenerator"
    schema = json.loads(props["hoodie.table.create.schema"])        # `\:` unescaped
    assert schema["fields"][0]["name"] == "id"
    assert h.schema_names(fixtures["v6_complexkeygen_hivestyle"])[:6] == [*m.META_COLUMNS, "id"]


# -- the model and the scenario checks on Java's tables ----------------------------------------

@pytest.mark.parametrize("name", sorted(REPLAYS))
def test_model_replay_matches_java_tables(fixtures, name):
    """Every check `run_scenario` makes after a commit, applied to a Java-written table."""
    t = fixtures[name]
    mdl, history = replay(name, t)
    rows = s.check_snapshot(t, mdl, h.snapshot(t), ordered_columns=True, where=name)
    s.check_files(t, len(rows), name)
    previous = None
    for instant, _ in history:
        # incremental (previous, instant] against the model state of that instant
        expected = [r for r in dict(history)[instant] if r["_hoodie_commit_time"] == instant]
        actual = h.incremental(t, previous, instant)
        assert h.diff_rows(expected, actual, [*s.META3, *mdl.columns]) is None, h.diff_rows(expected, actual, [*s.META3, *mdl.columns])
        previous = instant
    s.check_incremental(t, mdl, history[-2][0], history[-1][0], name)
    s.check_time_travel(t, history, mdl.columns, name)


def test_checks_catch_differences(fixtures):
    """The comparison fails on a wrong value, a wrong commit time, a missing row and a wrong path."""
    name = "v6_complexkeygen_hivestyle"
    t = fixtures[name]
    mdl, _ = replay(name, t)
    good = h.snapshot(t)
    for mutate in (lambda e: e.row.__setitem__("intField", 1),
                   lambda e: setattr(e, "commit_time", "20240101000000000"),
                   lambda e: e.row.__setitem__("arrayField", []),
                   lambda e: e.row.__setitem__("floatField", 1.5)):
        bad = mdl.copy()
        mutate(bad.live["id:1,name:Alice"])
        with pytest.raises(AssertionError):
            s.check_snapshot(t, bad, good, ordered_columns=True, where="mutated")
    bad = mdl.copy()
    del bad.live["id:3,name:Carol"]
    with pytest.raises(AssertionError, match="missing"):
        s.check_snapshot(t, bad, good, ordered_columns=True, where="missing")
    bad = mdl.copy()
    bad.live["id:2,name:Bob"].partition_values = (20, 101)
    with pytest.raises(AssertionError, match="partition path"):
        s.check_partition_paths(bad, good, "path")
    with pytest.raises(AssertionError, match="lake query vs hudi-rs"):
        s.check_snapshot(t, mdl, good[:-1] + [dict(good[-1], _hoodie_commit_seqno="x")], ordered_columns=True,
                         where="lake differs")
    with pytest.raises(AssertionError):
        s.check_files(t, len(good) + 1, "count")


# -- the canonical converter -------------------------------------------------------------------

def test_canonical_converter_edge_values():
    t = pa.table({
        "ts": pa.array([0, -1, None], pa.timestamp("us", "UTC")),
        "ms": pa.array([1, None, -62135596800000], pa.timestamp("ms")),
        "d": pa.array([0, -719162, 2932896], pa.date32()),
        "dec": pa.array([None, decimal.Decimal("-0.05"), decimal.Decimal("12345")], pa.decimal128(10, 2)),
        "f": pa.array([float("nan"), float("-inf"), 0.1], pa.float32()),
        "bin": pa.array([b"\x00\xff", None, b""], pa.binary()),
        "l": pa.array([[1, None], None, []], pa.list_(pa.int32())),
        "s": pa.array([{"a": 1, "b": None}, None, {"a": None, "b": "x"}], pa.struct([("a", pa.int32()), ("b", pa.string())])),
        "m": pa.array([[("k", 1)], None, []], pa.map_(pa.string(), pa.int64())),
    })
    rows = h.canonical_rows(t)
    assert rows[0] == {"ts": "1970-01-01T00:00:00.000000Z", "ms": "1970-01-01T00:00:00.001", "d": "1970-01-01",
                       "dec": None, "f": "NaN", "bin": "AP8=", "l": [1, None], "s": {"a": 1, "b": None},
                       "m": [{"key": "k", "value": 1}]}
    assert rows[1] == {"ts": "1969-12-31T23:59:59.999999Z", "ms": None, "d": "0001-01-01", "dec": "-0.05",
                       "f": "-Infinity", "bin": None, "l": None, "s": None, "m": None}
    assert rows[2]["ms"] == "0001-01-01T00:00:00.000" and rows[2]["d"] == "9999-12-31"
    assert rows[2]["dec"] == "12345.00" and rows[2]["f"] == 0.1 and rows[2]["bin"] == ""
    assert rows[2]["l"] == [] and rows[2]["s"] == {"a": None, "b": "x"} and rows[2]["m"] == []


def test_diff_value_is_strict():
    assert h.diff_value(2.0, 2) is None
    assert h.diff_value(True, 1) is not None
    assert h.diff_value(1, True) is not None
    assert h.diff_value(1, 1.0) is not None
    assert h.diff_value("1", 1) is not None
    assert h.diff_value({"a": 1, "b": 2}, {"b": 2, "a": 1}) is not None
    assert h.diff_value(0.0, -0.0) is not None
    assert h.diff_value([1, None], [1, None]) is None
