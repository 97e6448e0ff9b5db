"""Checks of the suite's own Python side (no lake needed): canonical conversion, generators,
message types, the byte-level footer/page reader and the hand-built legacy files.

If these fail, a lake test failure may be the suite's fault; if they pass, the oracles agree:
pyarrow and DuckDB read the same canonical rows from one file, the canonical form survives a JSON
round trip, and formatting matches Python's own calendar and decimal arithmetic.
"""
from __future__ import annotations

import datetime
import decimal
import json
import math
import random
import struct

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import canonical
import checks
import gen
import legacy
import parquet_raw
import schema_text


# ---- formatting against Python's calendar and decimals ---------------------------------------

def test_dates_match_python_calendar():
    epoch = datetime.date(1970, 1, 1)
    for days in list(range(-719_162, 2_932_897, 997)) + [-719_162, 2_932_896, 0, -1, 11_016, -141_438]:
        assert canonical.format_date(days) == (epoch + datetime.timedelta(days=days)).isoformat()
        y, m, d = canonical.civil_from_days(days)
        assert canonical.days_from_civil(y, m, d) == days
    assert canonical.format_date(-719_163) == "+000000-12-31"  # year 0 (1 BC)
    assert canonical.format_date(-719_163 - 366) == "-000001-12-31"
    assert canonical.format_date(2_932_897) == "+010000-01-01"


def test_timestamps_match_python_datetime():
    rng = random.Random(gen.SEED)
    epoch = datetime.datetime(1970, 1, 1)
    lo, hi = -719_162 * 86_400_000_000, 2_932_897 * 86_400_000_000 - 1
    for us in [lo, hi, 0, -1, 1, -1_000_001] + [rng.randrange(lo, hi) for _ in range(2000)]:
        want = (epoch + datetime.timedelta(microseconds=us)).isoformat(timespec="microseconds")
        assert canonical.format_timestamp(us, "us", False) == want
        assert canonical.format_timestamp(us, "us", True) == want + "Z"
        assert canonical.format_timestamp(us * 1000 + 123, "ns", False) == want + "123"
        if us % 1000 == 0:
            assert canonical.format_timestamp(us // 1000, "ms", True) == want[:-3] + "Z"
    assert canonical.format_timestamp(-1, "ns", True) == "1969-12-31T23:59:59.999999999Z"
    assert canonical.format_time(86_399_999_999, "us") == "23:59:59.999999"
    assert canonical.format_time(0, "ms") == "00:00:00.000"


def test_decimals_match_python_decimal():
    rng = random.Random(gen.SEED)
    ctx = decimal.Context(prec=100)
    for scale in (0, 1, 2, 4, 10, 38):
        for _ in range(300):
            unscaled = rng.randrange(-(10 ** 38) + 1, 10 ** 38)
            d = decimal.Decimal(unscaled).scaleb(-scale, context=ctx)
            text = canonical.format_decimal(unscaled, scale)
            assert decimal.Decimal(text) == d
            assert len(text.split(".")[1]) == scale if scale else "." not in text
            assert canonical.decimal_unscaled(d, scale) == unscaled
    assert canonical.format_decimal(-12340, 2) == "-123.40"
    assert canonical.format_decimal(7, 0) == "7"
    assert canonical.format_decimal(-5, 3) == "-0.005"
    assert canonical.format_decimal(0, 2) == "0.00"


def test_float32_text_is_shortest_round_trip():
    rng = random.Random(gen.SEED)
    for _ in range(3000):
        f = struct.unpack("<f", struct.pack("<I", rng.getrandbits(32)))[0]
        c = canonical.canonical_float(f, 32)
        if math.isnan(f):
            assert c == "NaN"
            continue
        if math.isinf(f):
            assert c in ("Infinity", "-Infinity")
            continue
        assert struct.pack("<f", c) == struct.pack("<f", f), (f, c)
        digits = len(repr(c).lower().split("e")[0].replace("-", "").replace(".", "").strip("0")) or 1
        for shorter in range(1, digits):  # no shorter text round-trips
            try:
                assert struct.pack("<f", float(f"{f:.{shorter}g}")) != struct.pack("<f", f), (f, c)
            except OverflowError:
                pass
    assert canonical.canonical_float(struct.unpack("<f", struct.pack("<f", 0.1))[0], 32) == 0.1
    assert canonical.canonical_float(-0.0, 32) == 0.0 and math.copysign(1, canonical.canonical_float(-0.0)) == -1


# ---- comparison helper -------------------------------------------------------------------------

def test_diff_is_strict():
    parse = canonical.parse_jsonl
    assert canonical.diff_rows([{"a": 1}], parse('{"a": 1}')) is None
    assert canonical.diff_rows([{"a": 1}], parse('{"a": true}'))
    assert canonical.diff_rows([{"a": True}], parse('{"a": 1}'))
    assert canonical.diff_rows([{"a": 1}], parse('{"a": 1.0}'))
    assert canonical.diff_rows([{"a": 1.0}], parse('{"a": 1}')) is None       # same double
    assert canonical.diff_rows([{"a": -0.0}], parse('{"a": -0}')) is None
    assert canonical.diff_rows([{"a": -0.0}], parse('{"a": 0.0}'))
    assert canonical.diff_rows([{"a": 0.1}], parse('{"a": 0.10000000149011612}'))  # widened float32
    assert canonical.diff_rows([{"a": "1"}], parse('{"a": 1}'))
    assert canonical.diff_rows([{"a": 1, "b": 2}], parse('{"b": 2, "a": 1}'))   # key order
    assert canonical.diff_rows([{"a": [1, 2]}], parse('{"a": [1]}'))
    assert canonical.diff_rows([{"a": {"x": None}}], parse('{"a": {}}'))
    assert canonical.diff_rows([{"a": 1}, {"a": 2}], parse('{"a": 1}'))
    d = canonical.diff_rows([{"a": 1, "b": [{"x": 1}, {"x": 2}]}], parse('{"a": 1, "b": [{"x": 1}, {"x": 3}]}'))
    assert d.startswith("row 0, column b[1].x: expected int 2, got int 3"), d
    for bad in ('{"a": NaN}', '{"a": Infinity}', '{"a": 1, "a": 2}', "[1]", '{"a": 1'):
        with pytest.raises(AssertionError):
            parse(bad)


# ---- generated data through pyarrow, DuckDB and JSON -------------------------------------------

WRITE_OPTIONS = {
    "default": {},
    "v2-zstd-plain": {"data_page_version": "2.0", "compression": "zstd", "use_dictionary": False},
    "decimal-as-int-gzip": {"store_decimal_as_integer": True, "compression": "gzip"},
    "small-row-groups-pages": {"row_group_size": 97, "data_page_size": 512, "write_batch_size": 32,
                               "use_dictionary": False},
}


@pytest.mark.parametrize("options", WRITE_OPTIONS.values(), ids=WRITE_OPTIONS.keys())
def test_pyarrow_round_trip_is_canonically_identical(tmp_path, options):
    table = gen.make_table(rows=400)
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, **options)
    canonical.assert_rows_equal(canonical.canonical_rows(table), canonical.read_pyarrow(path))


@pytest.mark.parametrize("options", WRITE_OPTIONS.values(), ids=WRITE_OPTIONS.keys())
def test_duckdb_and_pyarrow_agree(tmp_path, options):
    table = gen.make_table(rows=400)
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, **options)
    expected = canonical.canonical_rows(table, micros_for_nanos=True)
    canonical.assert_rows_equal(expected, canonical.read_duckdb(path, table.schema), "duckdb")
    # Only the nanosecond-UTC column loses digits in DuckDB; everything else is exact.
    full = canonical.canonical_rows(table)
    lossy = {k for e, f in zip(expected, full) for k in e if e[k] != f[k]}
    assert lossy <= {"c_ts_ns_utc"}, lossy


def test_canonical_rows_survive_json():
    table = gen.make_table(rows=400)
    rows = canonical.canonical_rows(table)
    for ascii_only in (False, True):
        text = canonical.to_jsonl(rows, ensure_ascii=ascii_only)
        assert "NaN" not in text.replace('"NaN"', "")
        canonical.assert_rows_equal(rows, canonical.parse_jsonl(text))


def test_generator_is_deterministic_and_covers_edges():
    a, b = gen.make_table(rows=300), gen.make_table(rows=300)
    rows = canonical.canonical_rows(a)
    assert canonical.diff_rows(rows, canonical.canonical_rows(b)) is None
    assert canonical.diff_rows(rows, canonical.canonical_rows(gen.make_table(rows=300, seed=gen.SEED + 1)))
    values = {c.name: [r[c.name] for r in rows] for c in gen.matrix()}
    for name, vs in values.items():
        if name != "id":
            assert None in vs, f"{name} has no null"
    for special in ("NaN", "Infinity", "-Infinity"):
        assert special in values["c_f32"] and special in values["c_f64"]
    assert any(isinstance(v, float) and v == 0 and math.copysign(1, v) < 0 for v in values["c_f64"])
    assert "" in values["c_str"] and any(v and "😀" in v for v in values["c_str"])
    assert 18_446_744_073_709_551_615 in values["c_u64"]
    assert "0001-01-01" in values["c_date"] and "9999-12-31" in values["c_date"]
    lists = values["c_list_i64"]
    assert [] in lists and any(v and None in v for v in lists)
    assert any(v and None in v for v in values["c_list_list_i32"])
    assert any(v and any(e is None for e in v) for v in values["c_list_struct"])
    assert any(v and any(e["value"] is None for e in v) for v in values["c_map_str_i64"])
    assert any(v and v["a"] is None for v in values["c_struct"])
    assert len({v for v in values["c_str_lc"]}) <= 6


def test_message_type_matches_what_pyarrow_writes(tmp_path):
    table = gen.make_table(rows=20)
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, store_decimal_as_integer=True)
    mine = schema_text.parse(gen.message_type(table.schema))
    assert schema_text.equivalent(mine, schema_text.from_parquet_file(path)) is None
    assert schema_text.leaves(mine) == schema_text.pyarrow_leaves(path)
    assert mine.text() == gen.message_type(table.schema)


def test_schema_parser_reads_both_syntaxes():
    a = schema_text.parse("message m { required int32 field_id = 3; optional group l (LIST) { repeated group "
                          "list { optional binary element (UTF8); } } optional int64 t (TIMESTAMP_MICROS); }")
    b = schema_text.parse("required group field_id=-1 m {\n  required int32 field_id=3 field_id;\n"
                          "  optional group field_id=-1 l (List) {\n    repeated group field_id=-1 list {\n"
                          "      optional binary field_id=-1 element (String);\n    }\n  }\n"
                          "  optional int64 field_id=-1 t (Timestamp(isAdjustedToUTC=true, timeUnit=microseconds, "
                          "is_from_converted_type=true, force_set_converted_type=false));\n}")
    assert schema_text.equivalent(a, b) is None
    assert a.children[0].field_id == 3 and a.children[2].annotation == "TIMESTAMP(MICROS,true)"
    with pytest.raises(ValueError):
        schema_text.parse("message m { required int32 a }")


def test_statistics_from_data_match_pyarrow(tmp_path):
    table = gen.make_table(rows=900)
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=300)
    pf = pq.ParquetFile(path)
    types = [leaf for f in canonical.parquet_target_schema(pf) for leaf in canonical.arrow_leaves(f.type)]
    start = 0
    for i in range(pf.metadata.num_row_groups):
        rg = pf.metadata.row_group(i)
        part = table.slice(start, rg.num_rows)
        start += rg.num_rows
        slots = [s for col in part.columns for s in checks.leaf_slots(col)]
        assert len(slots) == rg.num_columns
        for j, ((leaf, above), t) in enumerate(zip(slots, types)):
            st = rg.column(j).statistics
            lo, hi = checks.expected_statistics(leaf, t)
            phys = rg.column(j).physical_type
            assert checks._same_stat(lo, canonical.canonical_physical(st.min_raw, phys, t))
            assert checks._same_stat(hi, canonical.canonical_physical(st.max_raw, phys, t))
            assert st.null_count == leaf.null_count + above  # arrow-cpp counts every level below the max


# ---- byte-level reader and hand-built files ----------------------------------------------------

def test_raw_footer_and_pages_agree_with_pyarrow(tmp_path):
    table = gen.make_table(rows=600)
    for codec in ("NONE", "SNAPPY", "GZIP", "ZSTD", "LZ4", "BROTLI"):
        path = tmp_path / f"{codec}.parquet"
        pq.write_table(table, path, compression=codec, row_group_size=250, data_page_version="2.0",
                       data_page_size=1024, write_batch_size=64)
        md = pq.ParquetFile(path).metadata
        footer = parquet_raw.read_footer(path)
        assert footer[3] == md.num_rows and footer[6].decode() == md.created_by
        chunks = parquet_raw.column_chunks(footer)
        assert len(chunks) == md.num_row_groups
        for i, rg in enumerate(chunks):
            for j, cmd in enumerate(rg):
                c = md.row_group(i).column(j)
                assert parquet_raw.chunk_path(cmd) == c.path_in_schema
                want = {"NONE": "UNCOMPRESSED", "LZ4": "LZ4_RAW"}.get(codec, codec)
                assert parquet_raw.chunk_codec(cmd) == want
                pages = parquet_raw.chunk_pages(path, cmd)
                assert sum(p["num_values"] for p in pages if p["type"] != "DICTIONARY_PAGE") == c.num_values
                assert all(p["type"] in ("DICTIONARY_PAGE", "DATA_PAGE_V2") for p in pages)
        assert any(len(parquet_raw.chunk_pages(path, cmd)) > 2 for cmd in chunks[0])


def test_thrift_encoder_round_trips():
    F, T = parquet_raw.Field, parquet_raw
    data = T.encode_struct([F(1, T.T_I32, -5), F(2, T.T_BINARY, "é"), F(3, T.T_TRUE, True), F(4, T.T_TRUE, False),
                            F(20, T.T_I64, 1 << 40), F(21, (T.T_LIST, T.T_I32), list(range(20))),
                            F(22, T.T_STRUCT, [F(1, T.T_DOUBLE, 1.5)])])
    s, end = T.decode_struct(data)
    assert end == len(data)
    assert s == {1: -5, 2: "é".encode(), 3: True, 4: False, 20: 1 << 40, 21: list(range(20)), 22: {1: 1.5}}


@pytest.mark.parametrize("case", legacy.CASES, ids=[c.name for c in legacy.CASES])
def test_legacy_files_read_as_intended_by_pyarrow(tmp_path, case):
    path = tmp_path / f"{case.name}.parquet"
    legacy.write(case, path)
    canonical.assert_rows_equal(case.rows, canonical.read_pyarrow(path), "pyarrow")
    d = schema_text.equivalent(schema_text.parse(case.message_type), schema_text.from_parquet_file(path))
    assert d is None, d
    # DuckDB 1.4 reads a one-field repeated group named `array`/`<name>_tuple` as the 3-level
    # wrapper (not per the spec's backward-compatibility rule), so it is only asked about the rest.
    if case.name not in ("two_level_list_one_field_group_named_array", "two_level_list_one_field_group_named_tuple"):
        target = canonical.parquet_target_schema(path)
        canonical.assert_rows_equal(case.rows, canonical.read_duckdb(path, target), "duckdb")


def test_int96_target_is_utc_nanoseconds(tmp_path):
    table = pa.table({"naive": pa.array([0, -1, 1_700_000_000_123_456_789, None], pa.timestamp("ns")),
                      "utc": pa.array([0, -1, 5, None], pa.timestamp("ms", tz="UTC"))})
    path = tmp_path / "i96.parquet"
    pq.write_table(table, path, use_deprecated_int96_timestamps=True)
    assert pq.ParquetFile(path).schema.column(0).physical_type == "INT96"
    rows = canonical.read_pyarrow(path)
    assert rows[1] == {"naive": "1969-12-31T23:59:59.999999999Z", "utc": "1969-12-31T23:59:59.999000000Z"}
    assert rows[2]["naive"] == "2023-11-14T22:13:20.123456789Z"
    assert canonical.int96_to_nanos(struct.pack("<qi", 5, 2_440_588)) == 5


def test_json_input_form_is_what_contract_shows():
    table = pa.table({"d": pa.array([decimal.Decimal("-123.40")], pa.decimal128(9, 2)),
                      "b": pa.array([b"\x00\xff"]), "f": pa.array([float("nan")], pa.float32()),
                      "m": pa.array([[("k", 1)]], pa.map_(pa.string(), pa.int64())),
                      "t": pa.array([86_399_999], pa.time32("ms"))})
    line = canonical.to_jsonl(canonical.canonical_rows(table))
    assert json.loads(line) == {"d": "-123.40", "b": "AP8=", "f": "NaN", "m": [{"key": "k", "value": 1}],
                                "t": "23:59:59.999"}
