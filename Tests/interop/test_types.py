"""Every column type lake accepts reads back in lake and in hudi-rs (issue 10, "Types every reader
can read"; the type rules of docs/tables.md).

`test_leaf_type` enumerates every Parquet physical type × logical/converted annotation that lake's
own writer (`lake parquet write --schema`) produces — the writer refuses the combinations the
Parquet spec forbids, which are skipped — writes a file of that column through `lake upsert
--input`, and checks one of two outcomes:

* refused up front: exit 65, a message naming the column and its type, no commit on the timeline;
  exactly the types the rules refuse (TIME(NANOS)) are refused;
* accepted: `lake query` and hudi-rs read back the input under the documented conversion
  (unsigned integers widened, UINT_64 as DECIMAL(20,0) text, local timestamps as UTC, UNKNOWN
  and INTERVAL columns as their plain physical type), and a
  second upsert and read of the same file work (a uint8 column used to make every later read
  and write fail).

`test_nested_leaf` does the same for converted types inside lists, maps and structs;
`test_struct_depth` / `test_list_depth` walk nesting depths (hudi-rs parses table schemas at
most 127 JSON levels deep: 30 nullable struct levels); `test_json_rows` and `test_cdc_mapping_types`
check the JSON-row (inference) and change-record (mapping target type) inputs the same way.
"""
from __future__ import annotations

import base64
import json
import pathlib
import re

import pytest

import hudi_read as h

MESSAGE = "message m {{ required binary id (STRING); required int64 ts; {field} }}"

PHYSICAL = ["boolean", "int32", "int64", "float", "double", "binary",
            "fixed_len_byte_array(2)", "fixed_len_byte_array(9)", "fixed_len_byte_array(12)", "fixed_len_byte_array(16)"]

ANNOTATIONS = [None, "STRING", "UTF8", "ENUM", "JSON", "BSON", "UUID", "DATE", "FLOAT16", "UNKNOWN", "INTERVAL",
               "DECIMAL(9,2)", "DECIMAL(18,4)", "DECIMAL(20,0)", "DECIMAL(38,10)"]
ANNOTATIONS += [f"{kind}({unit},{utc})" for kind in ("TIMESTAMP", "TIME") for unit in ("MILLIS", "MICROS", "NANOS")
                for utc in ("true", "false")]
ANNOTATIONS += [f"INTEGER({bits},{signed})" for bits in (8, 16, 32, 64) for signed in ("true", "false")]
ANNOTATIONS += ["INT_8", "INT_16", "INT_32", "INT_64", "UINT_8", "UINT_16", "UINT_32", "UINT_64",
                "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "TIME_MILLIS", "TIME_MICROS"]

LEGACY = {"UTF8": "STRING", "INT_8": "INTEGER(8,true)", "INT_16": "INTEGER(16,true)", "INT_32": "INTEGER(32,true)",
          "INT_64": "INTEGER(64,true)", "UINT_8": "INTEGER(8,false)", "UINT_16": "INTEGER(16,false)",
          "UINT_32": "INTEGER(32,false)", "UINT_64": "INTEGER(64,false)", "TIMESTAMP_MILLIS": "TIMESTAMP(MILLIS,true)",
          "TIMESTAMP_MICROS": "TIMESTAMP(MICROS,true)", "TIME_MILLIS": "TIME(MILLIS,true)", "TIME_MICROS": "TIME(MICROS,true)"}

_FRACTION = {"MILLIS": 3, "MICROS": 6, "NANOS": 9}


def refused_by_rules(annotation: str | None) -> bool:
    """The types the rules refuse (no reader-safe equivalent)."""
    a = LEGACY.get(annotation, annotation) or ""
    return a.startswith("TIME(NANOS")


def sample_values(physical: str, annotation: str | None) -> list:
    """Input values in the canonical JSON form `lake parquet write` reads."""
    a = LEGACY.get(annotation, annotation)
    width = int(re.search(r"\((\d+)\)", physical).group(1)) if physical.startswith("fixed") else None
    if a == "UNKNOWN":
        return [None, None]
    if a and a.startswith("DECIMAL"):
        p, s = map(int, re.findall(r"\d+", a))
        top = 10 ** p - 1
        def text(u: int) -> str:
            sign, digits = ("-" if u < 0 else ""), str(abs(u)).rjust(s + 1, "0")
            return sign + (digits[:-s] + "." + digits[-s:] if s else digits)
        return [text(0), text(top), text(-top), text(12345)]
    if a and a.startswith("INTEGER"):
        bits, signed = re.match(r"INTEGER\((\d+),(\w+)\)", a).groups()
        bits = int(bits)
        if signed == "true":
            return [0, -1, -(1 << (bits - 1)), (1 << (bits - 1)) - 1]
        return [0, 1, (1 << bits) - 1, 1 << (bits - 1)]
    if a == "DATE":
        return ["1970-01-01", "0001-01-01", "9999-12-31", "2024-02-29"]
    if a and a.startswith("TIMESTAMP"):
        unit, utc = re.match(r"TIMESTAMP\((\w+),(\w+)\)", a).groups()
        z = "Z" if utc == "true" else ""
        digits = _FRACTION[unit]
        return [f"2024-02-29T12:34:56.{'123456789'[:digits]}{z}", f"1969-12-31T23:59:59.{'9' * digits}{z}",
                f"1970-01-01T00:00:00.{'0' * digits}{z}"]
    if a and a.startswith("TIME"):
        unit = re.match(r"TIME\((\w+),", a).group(1)
        digits = _FRACTION[unit]
        return [f"00:00:00.{'0' * digits}", f"23:59:59.{'9' * digits}", f"12:34:56.{'123456789'[:digits]}"]
    if a == "FLOAT16":
        return [1.5, -2.0, 65504.0, 0.0]
    if physical == "boolean":
        return [True, False]
    if physical in ("int32", "int64"):
        bits = 32 if physical == "int32" else 64
        return [0, -1, -(1 << (bits - 1)), (1 << (bits - 1)) - 1]
    if physical == "float":
        return [1.5, -0.25, 16777216.0]
    if physical == "double":
        return [1.5, -1e300, 5e-324]
    if physical == "binary":
        if a in ("STRING", "ENUM"):
            return ["", "é日本", "x" * 300]
        if a == "JSON":
            return ['{"a":[1,2]}', "[]", "null"]
        return [base64.b64encode(b).decode() for b in (b"", b"\x00\xff", bytes(range(40)))]
    return [base64.b64encode(bytes([i] * width)).decode() for i in (0, 0x80, 0xFF)]


def expected(annotation: str | None, value):
    """A value as lake and hudi-rs read it back, under the type rules."""
    a = LEGACY.get(annotation, annotation) or ""
    if value is None:
        return None
    if a == "INTEGER(64,false)":
        return str(value)
    if a.startswith("TIMESTAMP(") and a.endswith("false)"):
        return value + "Z"
    return value


def field_text(physical: str, annotation: str | None) -> str:
    return f"optional {physical} v" + (f" ({annotation})" if annotation else "") + ";"


def write_input(lake, tmp: pathlib.Path, field: str, values: list) -> pathlib.Path | None:
    """A Parquet file of `values` in column `v` written by lake's writer, or None when the
    writer refuses the schema (a combination the Parquet spec forbids)."""
    rows = tmp / "in.jsonl"
    rows.write_text("".join(json.dumps({"id": f"r{i}", "ts": i, "v": v}) + "\n" for i, v in enumerate(values)),
                    encoding="utf-8")
    out = tmp / "in.parquet"
    proc = lake("parquet", "write", "--schema", MESSAGE.format(field=field), "--input", rows, "--output", out, check=False)
    if proc.returncode != 0:
        assert proc.returncode == 64 and ("not valid for" in proc.stderr or "requires" in proc.stderr), proc.stderr
        return None
    return out


def lake_values(lake, table: pathlib.Path) -> dict:
    proc = lake("query", "--table", table, "--columns", "id,v")
    return {r["id"]: r["v"] for r in map(json.loads, proc.stdout.splitlines())}


def hudi_values(table: pathlib.Path) -> dict:
    return {r["id"]: r["v"] for r in h.snapshot(table)}


def commits(table: pathlib.Path) -> list:
    return sorted(p.name for p in (table / ".hoodie").glob("*.commit"))


def check_round_trip(lake, table: pathlib.Path, source: pathlib.Path, want: dict, what: str):
    """Two upserts of `source`; after each, lake and hudi-rs read `want`."""
    for round_ in (1, 2):
        proc = lake("upsert", "--table", table, "--input", source, check=False)
        assert proc.returncode == 0, f"{what}: upsert {round_} exited {proc.returncode}: {proc.stderr}"
        got_lake = lake_values(lake, table)
        assert got_lake == want, f"{what}: lake read {got_lake}, expected {want}"
        got_hudi = hudi_values(table)
        assert got_hudi == want, f"{what}: hudi-rs read {got_hudi}, expected {want}"


def check_leaf(lake, tmp: pathlib.Path, physical: str, annotation: str | None) -> bool:
    """One column type through a table; False when lake's writer does not produce it."""
    field = field_text(physical, annotation)
    values = sample_values(physical, annotation)
    source = write_input(lake, tmp, field, values)
    if source is None:
        return False
    table = tmp / "t"
    lake("create", "--table", table, "--key", "id", "--precombine", "ts")
    if refused_by_rules(annotation):
        proc = lake("upsert", "--table", table, "--input", source, check=False)
        assert proc.returncode == 65, f"{field}: expected a refusal, got exit {proc.returncode}: {proc.stderr}"
        assert "column 'v'" in proc.stderr and "refuses" in proc.stderr, proc.stderr
        assert commits(table) == [], "a refused write committed"
        return True
    want = {f"r{i}": expected(annotation, v) for i, v in enumerate(values)}
    check_round_trip(lake, table, source, want, field)
    return True


@pytest.mark.parametrize("annotation", ANNOTATIONS, ids=lambda a: a or "plain")
def test_leaf_type(lake, tmp_path, annotation):
    """Every physical type lake's writer accepts with this annotation (the others are the
    combinations the Parquet spec forbids)."""
    produced = []
    for physical in PHYSICAL:
        d = tmp_path / re.sub(r"\W", "_", physical)
        d.mkdir()
        if check_leaf(lake, d, physical, annotation):
            produced.append(physical)
    assert produced, f"lake's writer produced no column annotated {annotation}"


def test_the_matrix_covers_what_the_issue_names(lake, tmp_path):
    """Guards the enumeration itself: the combinations the issue names are among those the
    writer produces, so a matrix that silently skips everything cannot pass."""
    for physical, annotation in [("int32", "INTEGER(8,false)"), ("int32", "UINT_16"), ("int64", "INTEGER(64,false)"),
                                 ("int64", "TIMESTAMP(MICROS,false)"), ("int64", "TIME(NANOS,true)"),
                                 ("fixed_len_byte_array(2)", "FLOAT16"), ("fixed_len_byte_array(16)", "UUID"),
                                 ("binary", "DECIMAL(38,10)"), ("fixed_len_byte_array(12)", "INTERVAL"),
                                 ("int32", "UNKNOWN")]:
        d = tmp_path / re.sub(r"\W", "_", physical + annotation)
        d.mkdir()
        assert write_input(lake, d, field_text(physical, annotation), sample_values(physical, annotation)), annotation


NESTED = [
    ("list-uint32", "optional group v (LIST) { repeated group list { optional int32 element (INTEGER(32,false)); } }",
     [[4294967295, None, 0], []], [[4294967295, None, 0], []]),
    ("map-uint64", "optional group v (MAP) { repeated group key_value { required binary key (STRING); "
                   "optional int64 value (INTEGER(64,false)); } }",
     [[{"key": "a", "value": 18446744073709551615}], []], [[{"key": "a", "value": "18446744073709551615"}], []]),
    ("struct-local-ts", "optional group v { optional int64 t (TIMESTAMP(MILLIS,false)); optional int32 u (INTEGER(16,false)); }",
     [{"t": "2024-01-02T03:04:05.678", "u": 65535}, None],
     [{"t": "2024-01-02T03:04:05.678Z", "u": 65535}, None]),
    ("list-float16", "optional group v (LIST) { repeated group list { required fixed_len_byte_array(2) element (FLOAT16); } }",
     [[1.5, -0.5]], [[1.5, -0.5]]),
]


@pytest.mark.parametrize("name,field,values,want", NESTED, ids=[n[0] for n in NESTED])
def test_nested_leaf(lake, tmp_path, name, field, values, want):
    source = write_input(lake, tmp_path, field, values)
    assert source is not None
    table = tmp_path / "t"
    lake("create", "--table", table, "--key", "id", "--precombine", "ts")
    check_round_trip(lake, table, source, {f"r{i}": w for i, w in enumerate(want)}, name)


def test_map_with_non_string_keys_is_refused(lake, tmp_path):
    field = "optional group v (MAP) { repeated group key_value { required int32 key; optional int64 value; } }"
    source = write_input(lake, tmp_path, field, [[{"key": 1, "value": 2}]])
    table = tmp_path / "t"
    lake("create", "--table", table, "--key", "id")
    proc = lake("upsert", "--table", table, "--input", source, check=False)
    assert proc.returncode == 65 and "column 'v' is a MAP whose keys are not strings" in proc.stderr, proc.stderr
    assert commits(table) == []


def nested_struct(depth: int) -> tuple[str, object]:
    field, value = "optional int32 x;", {"x": 7}
    for i in range(depth - 1):
        field, value = f"optional group g{i} {{ {field} }}", {f"g{i}": value}
    return f"optional group v {{ {field} }}", value


def nested_list(depth: int) -> tuple[str, object]:
    field, value = "optional int32 element;", 7
    for i in range(depth):
        name = "v" if i == depth - 1 else "element"
        field, value = f"optional group {name} (LIST) {{ repeated group list {{ {field} }} }}", [value]
    return field, value


#: The deepest nesting of nullable structs whose table schema hudi-rs parses (127 JSON levels).
MAX_STRUCT_DEPTH = 30


@pytest.mark.parametrize("depth", [1, 2, 8, 16, 29, 30, 31, 32, 40, 63])
def test_struct_depth(lake, tmp_path, depth):
    field, value = nested_struct(depth)
    source = write_input(lake, tmp_path, field, [value, None])
    assert source is not None, "lake's writer handles 63 levels"
    table = tmp_path / "t"
    lake("create", "--table", table, "--key", "id", "--precombine", "ts")
    if depth > MAX_STRUCT_DEPTH:
        proc = lake("upsert", "--table", table, "--input", source, check=False)
        assert proc.returncode == 65 and "column 'v' is nested too deeply" in proc.stderr, proc.stderr
        assert commits(table) == []
        return
    check_round_trip(lake, table, source, {"r0": value, "r1": None}, f"struct depth {depth}")


@pytest.mark.parametrize("depth", [1, 2, 8, 16, 31])
def test_list_depth(lake, tmp_path, depth):
    """31 lists are the deepest lake's Parquet writer produces (64 levels); all read back."""
    field, value = nested_list(depth)
    source = write_input(lake, tmp_path, field, [value])
    assert source is not None
    table = tmp_path / "t"
    lake("create", "--table", table, "--key", "id", "--precombine", "ts")
    check_round_trip(lake, table, source, {"r0": value}, f"list depth {depth}")


def test_json_rows(lake, tmp_path):
    """JSON rows: every inferred type reads back in hudi-rs; nesting beyond the limit is refused."""
    row = {"id": "a", "s": "é", "i": 9007199254740993, "d": 1.5, "b": True, "st": {"x": 1, "y": [1, 2]},
           "l": [{"k": "v"}], "n": None}
    table = tmp_path / "t"
    lake("create", "--table", table, "--key", "id")
    lake("upsert", "--table", table, "--input", "-", input=json.dumps(row) + "\n")
    got_lake = json.loads(lake("query", "--table", table).stdout)
    got_hudi = {k: v for k, v in h.snapshot(table)[0].items() if not k.startswith("_hoodie")}
    assert got_hudi == got_lake
    assert got_lake["st"] == row["st"] and got_lake["i"] == row["i"]
    deep = 1
    for _ in range(MAX_STRUCT_DEPTH):
        deep = {"a": deep}
    ok = {"id": "b", "deep": deep}
    lake("upsert", "--table", table, "--input", "-", input=json.dumps(ok) + "\n")
    assert {r["id"]: r["deep"] for r in h.snapshot(table)}["b"] == deep
    too_deep = {"id": "c", "deeper": {"a": deep}}
    before = commits(table)
    proc = lake("upsert", "--table", table, "--input", "-", input=json.dumps(too_deep) + "\n", check=False)
    assert proc.returncode == 65 and "column 'deeper' is nested too deeply" in proc.stderr, proc.stderr
    assert commits(table) == before


CDC_COLUMNS = [
    ("dynamodb.NewImage.id.S", "S", "id", "string", {"S": "a"}),
    ("dynamodb.NewImage.b.BOOL", "BOOL", "b", "boolean", {"BOOL": True}),
    ("dynamodb.NewImage.i.N", "N", "i", "int", {"N": "-2147483648"}),
    ("dynamodb.NewImage.l.N", "N", "l", "long", {"N": "9223372036854775807"}),
    ("dynamodb.NewImage.f.N", "N", "f", "float", {"N": "1.5"}),
    ("dynamodb.NewImage.d.N", "N", "d", "double", {"N": "-0.125"}),
    ("dynamodb.NewImage.bin.B", "B", "bin", "binary", {"B": "AAH/"}),
    ("dynamodb.NewImage.js.M", "M", "js", "json", {"M": {"k": {"S": "v"}}}),
    ("dynamodb.NewImage.dec.N", "N", "dec", "decimal(38,10)", {"N": "1234567890123456789012345678.0123456789"}),
    ("dynamodb.NewImage.day.S", "S", "day", "date", {"S": "2024-02-29"}),
    ("dynamodb.NewImage.t.S", "S", "t", "timestamp", {"S": "2024-02-29T12:34:56.123456Z"}),
    ("dynamodb.NewImage.tm.S", "S", "tm", "timestamp_millis", {"S": "2024-02-29T12:34:56.123Z"}),
    ("dynamodb.NewImage.tn.S", "S", "tn", "timestamp_nanos", {"S": "2024-02-29T12:34:56.123456789Z"}),
    ("dynamodb.NewImage.tags.SS", "SS", "tags", "array<string>", {"SS": ["x", "y"]}),
    ("dynamodb.NewImage.st.M", "M", "st", "struct<a:string,n:long>", {"M": {"a": {"S": "z"}, "n": {"N": "3"}}}),
]


def test_cdc_mapping_types(lake, tmp_path):
    """Every target type a mapping can name reads back in hudi-rs as lake reads it."""
    mapping = {"table": {"recordKey": "id"}, "columns": [list(c[:4]) for c in CDC_COLUMNS]}
    (tmp_path / "mapping.json").write_text(json.dumps(mapping), encoding="utf-8")
    image = {c[2]: c[4] for c in CDC_COLUMNS}
    record = {"eventName": "INSERT", "dynamodb": {"ApproximateCreationDateTime": 1700000000, "Keys": {"id": {"S": "a"}},
                                                  "NewImage": image, "SequenceNumber": "1"}}
    table = tmp_path / "t"
    lake("upsert", "--table", table, "--cdc", "-", "--mapping", tmp_path / "mapping.json", "--on-error", "fail",
         input=json.dumps(record) + "\n")
    got_lake = json.loads(lake("query", "--table", table).stdout)
    got_hudi = {k: v for k, v in h.snapshot(table)[0].items() if not k.startswith("_hoodie")}
    assert got_hudi == got_lake
    assert got_lake["dec"] == "1234567890123456789012345678.0123456789" and got_lake["tn"].endswith(".123456789Z")


def test_cdc_mapping_type_too_deep_is_refused_at_load(lake, tmp_path):
    deep = "long"
    for _ in range(MAX_STRUCT_DEPTH + 1):
        deep = f"struct<a:{deep}>"
    mapping = {"table": {"recordKey": "id"},
               "columns": [["dynamodb.NewImage.id.S", "S", "id", "string"], ["dynamodb.NewImage.m.M", "M", "m", deep]]}
    (tmp_path / "mapping.json").write_text(json.dumps(mapping), encoding="utf-8")
    table = tmp_path / "t"
    proc = lake("upsert", "--table", table, "--cdc", "-", "--mapping", tmp_path / "mapping.json", input="", check=False)
    assert proc.returncode == 64 and "column 'm' is nested too deeply" in proc.stderr, proc.stderr
    assert not (table / ".hoodie").exists()
