"""lake writes, pyarrow and DuckDB read: `lake parquet write` from canonical JSON lines.

Every file lake writes here is read back by pyarrow and by DuckDB and must give exactly the input
rows; its footer must carry the requested codec, dictionary encoding when asked (for the
low-cardinality columns), statistics equal to what the data says (min/max with strings compared
byte-wise, unsigned integers as unsigned, NaN left out; null counts), the `--meta` pairs, and
several row groups and pages when the sizes are small. Bad input must fail with the line number
and the field in the message.
"""
from __future__ import annotations

import dataclasses
import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import canonical
import checks
import gen
import parquet_raw
import schema_text

CODEC_NAMES = {"zstd": "ZSTD", "gzip": "GZIP", "snappy": "SNAPPY", "none": "UNCOMPRESSED",
               "lz4_raw": "LZ4_RAW", "brotli": "BROTLI"}
META_ARGS = ["--meta", "owner=lake-interop", "--meta", "formula=a=b+c", "--meta", "ünï=cödé ✓"]
META_PAIRS = {"owner": "lake-interop", "formula": "a=b+c", "ünï": "cödé ✓"}
LOW_CARDINALITY = [c.name for c in gen.MATRIX if c.low_cardinality]


@dataclasses.dataclass
class WriteCase:
    id: str
    codec: str = "zstd"
    dictionary: bool = True
    rows: int = 300
    columns: list | None = None
    args: tuple = ()
    page_size: int | None = None
    expect_pages: bool = False    # some chunk must be split into several data pages
    check_schema: bool = False


CASES = (
    [WriteCase(f"{codec}-{'dict' if d else 'plain'}", codec=codec, dictionary=d, args=tuple(META_ARGS),
               check_schema=True)
     for codec in CODEC_NAMES for d in (True, False)]
    + [WriteCase("small-pages-dict", rows=2000, page_size=1024, expect_pages=True),
       WriteCase("small-pages-plain-snappy", codec="snappy", dictionary=False, rows=2000, page_size=1024,
                 expect_pages=True),
       WriteCase("row-group-bytes", rows=2000, args=("--row-group-size", 65536)),
       WriteCase("row-group-rows", codec="gzip", rows=1000, args=("--row-group-rows", 300)),
       WriteCase("small-everything-gzip", codec="gzip", rows=1500, page_size=512, args=("--row-group-size", 32768)),
       WriteCase("dictionary-page-limit", rows=2000, args=("--dictionary-page-size-limit", 1024))]
    + [WriteCase(f"type-{c.name}-{list(CODEC_NAMES)[i % 6]}-{'plain' if (i // 6) % 2 else 'dict'}",
                 codec=list(CODEC_NAMES)[i % 6], dictionary=(i // 6) % 2 == 0, columns=[c.name])
       for i, c in enumerate(gen.matrix()[1:])]
)


def write_with_lake(lake, tmp_path, table: pa.Table, case: WriteCase, *, schema_arg: str | None = None,
                    input_text: str | None = None, stdin: bool = False, ensure_ascii: bool = False):
    """Writes `table` through `lake parquet write`; returns (output path, expected canonical rows)."""
    rows = canonical.canonical_rows(table)
    message = gen.message_type(table.schema)
    schema_path = tmp_path / "schema.txt"
    schema_path.write_text(message, encoding="utf-8")
    text = input_text if input_text is not None else canonical.to_jsonl(rows, ensure_ascii=ensure_ascii)
    input_path = tmp_path / "input.jsonl"
    input_path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.parquet"
    args = ["parquet", "write", "--schema", schema_arg or f"@{schema_path}", "--input", "-" if stdin else input_path,
            "--output", out, "--codec", case.codec]
    if not case.dictionary:
        args.append("--no-dictionary")
    if case.page_size:
        args += ["--page-size", case.page_size]
    args += list(case.args)
    lake(*args, input=text if stdin else None)
    assert out.exists(), "lake parquet write exited 0 but wrote no file"
    return out, rows


def check_rows(path, table: pa.Table, rows: list[dict]) -> None:
    canonical.assert_rows_equal(rows, canonical.read_pyarrow(path), "pyarrow reading lake's file")
    expected = canonical.canonical_rows(table, micros_for_nanos=True)
    canonical.assert_rows_equal(expected, canonical.read_duckdb(path, table.schema), "DuckDB reading lake's file")


def _raw_statistics(cmd: dict) -> str:
    s = cmd.get(12)
    if s is None:
        return "the footer has no Statistics for this chunk"
    names = {1: "max", 2: "min", 3: "null_count", 5: "max_value", 6: "min_value"}
    return "the footer's Statistics has " + ", ".join(f"{names.get(k, k)}={v!r}" for k, v in s.items())


def check_statistics(path, table: pa.Table) -> None:
    """Per row group and leaf column: min/max/null_count in the footer equal the data's."""
    pf = pq.ParquetFile(path)
    md = pf.metadata
    raw = parquet_raw.column_chunks(parquet_raw.read_footer(path))
    types = [leaf for f in canonical.parquet_target_schema(pf) for leaf in canonical.arrow_leaves(f.type)]
    start = 0
    for i in range(md.num_row_groups):
        rg = md.row_group(i)
        part = table.slice(start, rg.num_rows)
        start += rg.num_rows
        slots = [s for col in part.columns for s in checks.leaf_slots(col)]
        assert len(slots) == rg.num_columns
        for j, ((leaf, above), t) in enumerate(zip(slots, types)):
            c = rg.column(j)
            where = f"row group {i} column {c.path_in_schema}"
            st = c.statistics if c.is_stats_set else None
            assert st is not None, f"{where}: pyarrow sees no statistics; {_raw_statistics(raw[i][j])}"
            lo, hi = checks.expected_statistics(leaf, t)
            if lo is None:
                assert not st.has_min_max or (st.min_raw is None and st.max_raw is None), \
                    f"{where}: min/max {st.min_raw!r}/{st.max_raw!r} for a chunk without values"
            else:
                assert st.has_min_max, f"{where}: pyarrow sees no min/max; {_raw_statistics(raw[i][j])}"
                got_lo = canonical.canonical_physical(st.min_raw, c.physical_type, t)
                got_hi = canonical.canonical_physical(st.max_raw, c.physical_type, t)
                assert checks._same_stat(lo, got_lo), f"{where}: min {got_lo!r}, data says {lo!r}"
                assert checks._same_stat(hi, got_hi), f"{where}: max {got_hi!r}, data says {hi!r}"
            assert st.has_null_count, f"{where}: no null_count"
            allowed = {leaf.null_count, leaf.null_count + above}  # leaf-only or every level below the max
            assert st.null_count in allowed, f"{where}: null_count {st.null_count}, data says {sorted(allowed)}"
    assert start == table.num_rows, f"row groups hold {start} rows, wrote {table.num_rows}"


def check_layout(path, table: pa.Table, case: WriteCase) -> None:
    """Codec, dictionary use and page/row-group splitting as requested."""
    md = pq.ParquetFile(path).metadata
    chunks = parquet_raw.column_chunks(parquet_raw.read_footer(path))
    want_codec = CODEC_NAMES[case.codec]
    any_multi_page = False
    for i, rg in enumerate(chunks):
        for cmd in rg:
            name = parquet_raw.chunk_path(cmd)
            where = f"row group {i} column {name}"
            assert parquet_raw.chunk_codec(cmd) == want_codec, f"{where}: codec {parquet_raw.chunk_codec(cmd)}"
            encodings = {parquet_raw.ENCODINGS.get(e, e) for e in cmd[2]}
            pages = parquet_raw.chunk_pages(path, cmd)
            has_dict_page = any(p["type"] == "DICTIONARY_PAGE" for p in pages)
            if not case.dictionary:
                assert not encodings & {"RLE_DICTIONARY", "PLAIN_DICTIONARY"}, f"{where}: {encodings} with --no-dictionary"
                assert not has_dict_page, f"{where}: dictionary page with --no-dictionary"
            elif name in LOW_CARDINALITY and md.row_group(i).num_rows > 0:
                assert "RLE_DICTIONARY" in encodings, f"{where}: low-cardinality column encodings {sorted(encodings)}"
                assert has_dict_page, f"{where}: no dictionary page"
            data = [p for p in pages if p["type"] != "DICTIONARY_PAGE"]
            assert sum(p["num_values"] for p in data) == cmd[5], f"{where}: page values vs num_values"
            if case.page_size:
                volume = sum(p["uncompressed_size"] for p in data)
                if volume > 4 * case.page_size:
                    assert len(data) >= 2, f"{where}: {volume} bytes in one page with --page-size {case.page_size}"
                any_multi_page |= len(data) >= 2
    if case.expect_pages:
        assert any_multi_page, "no column chunk has more than one data page"
    args = list(map(str, case.args))
    if "--row-group-rows" in args:
        n = int(args[args.index("--row-group-rows") + 1])
        sizes = [md.row_group(i).num_rows for i in range(md.num_row_groups)]
        assert all(s <= n for s in sizes) and len(sizes) == -(-table.num_rows // n), f"row groups of {sizes} rows"
    if "--row-group-size" in args:
        assert md.num_row_groups >= 2, f"{md.num_row_groups} row group(s) with {args}"
    if "--dictionary-page-size-limit" in args:
        # `id` has one distinct int64 per row, far more than the limit holds: its dictionary (if
        # any) must stop short of all values and the rest of the chunk fall back to PLAIN.
        for i, rg in enumerate(chunks):
            cmd = next(c for c in rg if parquet_raw.chunk_path(c) == "id")
            pages = parquet_raw.chunk_pages(path, cmd)
            dictionary = [p for p in pages if p["type"] == "DICTIONARY_PAGE"]
            if dictionary:
                distinct = md.row_group(i).num_rows
                assert dictionary[0]["num_values"] < distinct, f"row group {i}: id's dictionary holds all {distinct} values"
                assert any(p.get("encoding") == "PLAIN" for p in pages), f"row group {i}: id never falls back to PLAIN"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_write_reads_back_in_pyarrow_and_duckdb(lake, tmp_path, case):
    table = gen.make_table(gen.matrix(case.columns) if case.columns else None, rows=case.rows)
    out, rows = write_with_lake(lake, tmp_path, table, case)
    check_rows(out, table, rows)
    check_statistics(out, table)
    check_layout(out, table, case)
    if "--meta" in case.args:
        kv = {k.decode(): v.decode() for k, v in (pq.ParquetFile(out).metadata.metadata or {}).items()}
        for k, v in META_PAIRS.items():
            assert kv.get(k) == v, f"key-value metadata {k!r}: {kv.get(k)!r}"
    if case.check_schema:
        checks.check_schema(lake, out, expected_text=gen.message_type(table.schema))


def test_write_from_stdin_with_inline_schema(lake, tmp_path):
    table = gen.make_table(gen.matrix(["c_str", "c_list_struct", "c_dec18_4"]), rows=200)
    case = WriteCase("stdin")
    out, rows = write_with_lake(lake, tmp_path, table, case, stdin=True, schema_arg=gen.message_type(table.schema))
    check_rows(out, table, rows)


def test_write_accepts_ascii_escaped_json(lake, tmp_path):
    table = gen.make_table(gen.matrix(["c_str", "c_list_str", "c_map_str_i64", "c_struct"]), rows=300)
    out, rows = write_with_lake(lake, tmp_path, table, WriteCase("ascii"), ensure_ascii=True)
    assert "\\ud83d" in (tmp_path / "input.jsonl").read_text()  # surrogate pairs in the input
    check_rows(out, table, rows)


def test_write_accepts_any_key_order(lake, tmp_path):
    table = gen.make_table(gen.matrix(["c_i64", "c_str", "c_struct", "c_map_str_i64"]), rows=100)
    rows = canonical.canonical_rows(table)

    def reverse(v):
        if isinstance(v, dict):
            return {k: reverse(v[k]) for k in reversed(list(v))}
        if isinstance(v, list):
            return [reverse(e) for e in v]
        return v
    text = "".join(json.dumps(reverse(r), ensure_ascii=False) + "\n" for r in rows)
    out, rows = write_with_lake(lake, tmp_path, table, WriteCase("reversed"), input_text=text)
    check_rows(out, table, rows)


def test_lake_meta_of_lake_file_agrees_with_pyarrow(lake, tmp_path):
    table = gen.make_table(rows=600)
    out, _ = write_with_lake(lake, tmp_path, table, WriteCase("meta", codec="gzip", args=("--row-group-rows", 250)))
    checks.check_meta(lake, out)


def test_pyarrow_file_through_lake_cat_and_write(lake, tmp_path):
    """pyarrow writes; lake prints schema and rows; lake writes them back; pyarrow reads the same rows."""
    table = gen.make_table(rows=400)
    src = tmp_path / "src.parquet"
    pq.write_table(table, src, compression="snappy")
    schema = lake("parquet", "schema", src).stdout
    (tmp_path / "schema.txt").write_text(schema, encoding="utf-8")
    rows_text = lake("parquet", "cat", src, "--format", "jsonl").stdout
    (tmp_path / "rows.jsonl").write_text(rows_text, encoding="utf-8")
    out = tmp_path / "copy.parquet"
    lake("parquet", "write", "--schema", f"@{tmp_path / 'schema.txt'}", "--input", tmp_path / "rows.jsonl",
         "--output", out)
    canonical.assert_rows_equal(canonical.read_pyarrow(src), canonical.read_pyarrow(out), "copy")
    assert schema_text.equivalent(schema_text.from_parquet_file(src), schema_text.from_parquet_file(out)) is None


# ---- bad input -----------------------------------------------------------------------------------

BAD_SCHEMA = """message schema {
  required int64 rec_key;
  optional int32 c_i32;
  optional int32 c_i8 (INTEGER(8,true));
  optional group c_struct {
    optional int32 a;
    optional binary b (STRING);
  }
  optional binary c_str (STRING);
}
"""
GOOD_LINES = ['{"rec_key": 0, "c_i32": 1, "c_i8": -3, "c_struct": {"a": 1, "b": "x"}, "c_str": "ok"}',
              '{"rec_key": 1, "c_i32": null, "c_i8": null, "c_struct": null, "c_str": null}',
              '{"rec_key": 2, "c_i32": 7, "c_i8": 127, "c_struct": {"a": null, "b": "y"}, "c_str": ""}',
              '{"rec_key": 3, "c_i32": -7, "c_i8": -128, "c_struct": {"a": 2, "b": null}, "c_str": "z"}',
              '{"rec_key": 4, "c_i32": 0, "c_i8": 0, "c_struct": {"a": 3, "b": "w"}, "c_str": "v"}']
BAD_LINES = {
    # id: (line number (1-based), bad line, field the message must name or None)
    "malformed-json": (4, '{"rec_key": 3, "c_i32": }', None),
    "wrong-type": (5, '{"rec_key": 4, "c_i32": "seven", "c_i8": 0, "c_struct": null, "c_str": "v"}', "c_i32"),
    "missing-required": (3, '{"c_i32": 1, "c_i8": 0, "c_struct": null, "c_str": "v"}', "rec_key"),
    "null-for-required": (2, '{"rec_key": null, "c_i32": 1, "c_i8": 0, "c_struct": null, "c_str": "v"}', "rec_key"),
    "out-of-range": (2, '{"rec_key": 1, "c_i32": 1, "c_i8": 300, "c_struct": null, "c_str": "v"}', "c_i8"),
    "nested-wrong-type": (6, '{"rec_key": 5, "c_i32": 1, "c_i8": 0, "c_struct": {"a": "x", "b": "y"}, "c_str": "v"}',
                          "c_struct"),
    "string-as-number": (3, '{"rec_key": 2, "c_i32": 1, "c_i8": 0, "c_struct": null, "c_str": 42}', "c_str"),
}


def _names_line(message: str, line: int) -> bool:
    return bool(re.search(rf"(?i)\bline\W{{0,3}}{line}\b", message) or re.search(rf":{line}(?::|\b)", message))


def test_good_lines_of_the_bad_input_tests_are_accepted(lake, tmp_path):
    (tmp_path / "in.jsonl").write_text("\n".join(GOOD_LINES) + "\n")
    out = tmp_path / "ok.parquet"
    lake("parquet", "write", "--schema", BAD_SCHEMA, "--input", tmp_path / "in.jsonl", "--output", out)
    rows = canonical.read_pyarrow(out)
    canonical.assert_rows_equal([json.loads(line) for line in GOOD_LINES], rows)


@pytest.mark.parametrize("bad", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_bad_input_line_fails_with_line_and_field(lake, tmp_path, bad):
    number, line, field = bad
    lines = GOOD_LINES[:number - 1] + [line] + GOOD_LINES[number - 1:]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    proc = lake("parquet", "write", "--schema", BAD_SCHEMA, "--input", tmp_path / "in.jsonl",
                "--output", tmp_path / "bad.parquet", check=False)
    assert proc.returncode != 0, f"accepted bad line {number}: {line}"
    message = proc.stderr
    assert _names_line(message, number), f"message does not name line {number}: {message!r}"
    if field:
        assert field in message, f"message does not name field {field!r}: {message!r}"


def test_bad_schema_fails(lake, tmp_path):
    (tmp_path / "in.jsonl").write_text(GOOD_LINES[0] + "\n")
    proc = lake("parquet", "write", "--schema", "message schema { required int99 rec_key; }",
                "--input", tmp_path / "in.jsonl", "--output", tmp_path / "x.parquet", check=False)
    assert proc.returncode != 0 and proc.stderr.strip()


def test_missing_input_file_fails(lake, tmp_path):
    proc = lake("parquet", "write", "--schema", BAD_SCHEMA, "--input", tmp_path / "absent.jsonl",
                "--output", tmp_path / "x.parquet", check=False)
    assert proc.returncode != 0 and proc.stderr.strip()


def test_line_pattern_helper():
    assert _names_line("error: line 4: unexpected '}'", 4)
    assert _names_line("input.jsonl:4:17: unexpected '}'", 4)
    assert _names_line("Line #4, field c_i32", 4)
    assert not _names_line("line 14: bad", 4) and not _names_line("line 4", 14)
