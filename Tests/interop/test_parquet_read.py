"""pyarrow writes, lake reads: `lake parquet cat/meta/schema` against pyarrow's reading of the same file.

Files cover every codec pyarrow offers × data page v1/v2, the encodings (dictionary, PLAIN,
DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT), many small
pages, dictionary fallback to PLAIN mid-chunk, many row groups, INT96 timestamps, non-standard
list element names, decimals stored as integers, page indexes and CRCs, empty and all-null
files, every matrix type on its own, and hand-built legacy nested shapes. Each file-making case
first checks that the file really has the property it is named for (the oracle's precondition).
"""
from __future__ import annotations

import csv
import dataclasses
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import canonical
import checks
import gen
import legacy
import parquet_raw

CODECS = ["NONE", "SNAPPY", "GZIP", "ZSTD", "LZ4", "BROTLI"]  # pyarrow's LZ4 writes LZ4_RAW
ENCODING_TARGETS = {
    "PLAIN": set(),
    "DELTA_BINARY_PACKED": {"INT32", "INT64"},
    "DELTA_LENGTH_BYTE_ARRAY": {"BYTE_ARRAY"},
    "DELTA_BYTE_ARRAY": {"BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"},
    "BYTE_STREAM_SPLIT": {"FLOAT", "DOUBLE", "INT32", "INT64", "FIXED_LEN_BYTE_ARRAY"},
}


@dataclasses.dataclass
class ReadCase:
    id: str
    options: dict = dataclasses.field(default_factory=dict)
    rows: int = 400
    columns: list | None = None           # matrix column names (None: all)
    encoding: str | None = None           # column_encoding for every leaf it applies to
    null_fraction: float = 0.1
    expect: tuple = ()                    # preconditions: "pages", "row_groups", "fallback", "int96"

    def table(self) -> pa.Table:
        if self.columns is None or isinstance(self.columns[0], gen.Col):
            cols = self.columns
        else:
            cols = gen.matrix(self.columns)
        return gen.make_table(cols, rows=self.rows, null_fraction=self.null_fraction)


INT96_COLUMNS = [gen.Col("c_ts_ns_utc", pa.timestamp("ns", tz="UTC")), gen.Col("c_ts_ns", pa.timestamp("ns")),
                 gen.Col("c_list_ts", pa.list_(pa.field("element", pa.timestamp("ns"))))]
NESTED = ["c_list_i64", "c_list_str", "c_list_list_i32", "c_map_str_i64", "c_struct_list", "c_list_struct"]

CASES = (
    [ReadCase(f"codec-{c}-v{v[0]}", {"compression": c, "data_page_version": v}) for c in CODECS for v in ("1.0", "2.0")]
    + [ReadCase(f"enc-{e}-v{v[0]}", {"compression": "NONE" if v == "1.0" else "ZSTD", "data_page_version": v,
                                     "use_dictionary": False}, encoding=e)
       for e in ENCODING_TARGETS for v in ("1.0", "2.0")]
    + [ReadCase(f"pages-{'dict' if d else 'plain'}-v{v[0]}",
                {"data_page_size": 256, "write_batch_size": 16, "use_dictionary": d, "data_page_version": v},
                rows=1500, expect=("pages",)) for d in (True, False) for v in ("1.0", "2.0")]
    + [ReadCase(f"dict-fallback-v{v[0]}", {"dictionary_pagesize_limit": 512, "write_batch_size": 32,
                                           "data_page_size": 1024, "data_page_version": v, "compression": "SNAPPY"},
                rows=1500, expect=("fallback",)) for v in ("1.0", "2.0")]
    + [ReadCase("rowgroups-dict", {"row_group_size": 128}, rows=1000, expect=("row_groups",)),
       ReadCase("rowgroups-plain-gzip", {"row_group_size": 100, "use_dictionary": False, "compression": "GZIP"},
                rows=700, expect=("row_groups",)),
       ReadCase("rowgroups-pages-v2", {"row_group_size": 300, "data_page_size": 512, "write_batch_size": 32,
                                       "data_page_version": "2.0", "compression": "ZSTD"},
                rows=1000, expect=("row_groups", "pages"))]
    + [ReadCase(f"int96-v{v[0]}", {"use_deprecated_int96_timestamps": True, "data_page_version": v},
                columns=INT96_COLUMNS, expect=("int96",)) for v in ("1.0", "2.0")]
    + [ReadCase("non-compliant-nested-names", {"use_compliant_nested_type": False}, columns=NESTED),
       ReadCase("decimal-as-integer", {"store_decimal_as_integer": True},
                columns=["c_dec9_2", "c_dec18_4", "c_dec38_10"]),
       ReadCase("page-index-and-crc", {"write_page_index": True, "write_page_checksum": True,
                                       "data_page_size": 512, "write_batch_size": 32}, rows=800),
       ReadCase("max-rows-per-page", {"max_rows_per_page": 37, "compression": "BROTLI"}, rows=500,
                expect=("pages",)),
       ReadCase("empty", rows=0),
       ReadCase("all-null", null_fraction=1.0, rows=50)]
    + [ReadCase(f"type-{c.name}-v{1 + i % 2}-{'plain' if (i // 2) % 2 else 'dict'}",
                {"data_page_version": "2.0" if i % 2 else "1.0", "use_dictionary": not (i // 2) % 2},
                rows=300, columns=[c.name])
       for i, c in enumerate(gen.matrix()[1:])]
)
CASE_BY_ID = {c.id: c for c in CASES}


def _leaf_physical(table: pa.Table, tmp_path) -> list[tuple[str, str]]:
    probe = tmp_path / "probe.parquet"
    pq.write_table(table.slice(0, 1), probe)
    schema = pq.ParquetFile(probe).schema
    return [(schema.column(i).path, schema.column(i).physical_type) for i in range(len(schema))]


def make_file(case: ReadCase, tmp_path):
    """Writes the case's file with pyarrow, checks its preconditions; returns (path, table)."""
    table = case.table()
    options = dict(case.options)
    if case.encoding:
        targets = ENCODING_TARGETS[case.encoding]
        chosen = {path: case.encoding for path, physical in _leaf_physical(table, tmp_path) if physical in targets}
        if chosen:
            options["column_encoding"] = chosen
    path = tmp_path / f"{case.id}.parquet"
    pq.write_table(table, path, **options)

    footer = parquet_raw.read_footer(path)
    chunks = parquet_raw.column_chunks(footer)
    if case.encoding and options.get("column_encoding"):
        used = {parquet_raw.chunk_path(c) for rg in chunks for c in rg
                if case.encoding in {parquet_raw.ENCODINGS[e] for e in c[2]}}
        assert used == set(options["column_encoding"]), f"precondition: {case.encoding} not used for {set(options['column_encoding']) - used}"
    pages = [[parquet_raw.chunk_pages(path, c) for c in rg] for rg in chunks]
    data_pages = [[p for p in chunk if p["type"] != "DICTIONARY_PAGE"] for rg in pages for chunk in rg]
    if "pages" in case.expect:
        assert sum(len(p) > 1 for p in data_pages) >= len(data_pages) // 2, "precondition: too few multi-page chunks"
    if "row_groups" in case.expect:
        assert len(chunks) > 1, "precondition: one row group"
    if "fallback" in case.expect:
        mixed = [c for rg in pages for c in rg
                 if {p.get("encoding") for p in c} >= {"PLAIN", "RLE_DICTIONARY"}
                 or {p.get("encoding") for p in c} >= {"PLAIN", "PLAIN_DICTIONARY"}]
        assert mixed, "precondition: no chunk falls back from dictionary to PLAIN"
    if "int96" in case.expect:
        pf = pq.ParquetFile(path)
        assert {pf.schema.column(i).physical_type for i in range(len(pf.schema))} == {"INT96"}
    # The oracle itself: pyarrow reads back exactly the generated values.
    canonical.assert_rows_equal(canonical.canonical_rows(table, canonical.parquet_target_schema(path)),
                                canonical.read_pyarrow(path), "pyarrow oracle")
    return path, table


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cat_matches_pyarrow(lake, tmp_path, case):
    path, _ = make_file(case, tmp_path)
    checks.check_cat(lake, path)


@pytest.mark.parametrize("case", legacy.CASES, ids=[c.name for c in legacy.CASES])
def test_cat_reads_legacy_nested_shapes(lake, tmp_path, case):
    path = tmp_path / f"{case.name}.parquet"
    legacy.write(case, path)
    canonical.assert_rows_equal(case.rows, canonical.read_pyarrow(path), "pyarrow oracle")
    checks.check_cat(lake, path, expected=case.rows)


PROJECTIONS = {
    "one-string": ["c_str"],
    "scalars-and-nested": ["id", "c_f64", "c_dec38_10", "c_list_struct"],
    "nested-only": ["c_list_list_i32", "c_map_str_i64", "c_struct_list"],
    "all-but-id": [c.name for c in gen.matrix()[1:]],
}


@pytest.mark.parametrize("columns", PROJECTIONS.values(), ids=PROJECTIONS.keys())
def test_cat_projects_columns(lake, tmp_path, columns):
    path, _ = make_file(CASE_BY_ID["rowgroups-dict"], tmp_path)
    checks.check_cat(lake, path, columns=columns)


def test_cat_limit_stops_early(lake, tmp_path):
    path, _ = make_file(CASE_BY_ID["rowgroups-dict"], tmp_path)
    rows = checks.check_cat(lake, path, limit=150)  # crosses the first row group (128 rows)
    assert len(rows) == 150


def test_cat_csv_and_table_formats(lake, tmp_path):
    table = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "name": ["alpha", "beta", "gamma"]})
    path = tmp_path / "simple.parquet"
    pq.write_table(table, path)
    out = lake("parquet", "cat", path, "--format", "csv").stdout
    records = list(csv.reader(io.StringIO(out)))
    assert records[0] == ["id", "name"]
    assert records[1:] == [["1", "alpha"], ["2", "beta"], ["3", "gamma"]]
    out = lake("parquet", "cat", path, "--format", "table").stdout
    for word in ("id", "name", "alpha", "beta", "gamma"):
        assert word in out


META_CASES = ["codec-GZIP-v1", "codec-LZ4-v2", "codec-BROTLI-v1", "codec-NONE-v2", "enc-DELTA_BYTE_ARRAY-v2",
              "enc-BYTE_STREAM_SPLIT-v1", "rowgroups-dict", "int96-v1", "dict-fallback-v2", "empty", "all-null",
              "decimal-as-integer"]


@pytest.mark.parametrize("case_id", META_CASES)
def test_meta_matches_pyarrow(lake, tmp_path, case_id):
    path, _ = make_file(CASE_BY_ID[case_id], tmp_path)
    checks.check_meta(lake, path)


def test_meta_reports_user_key_value_metadata(lake, tmp_path):
    table = gen.make_table(gen.matrix(["c_str"]), rows=10)
    path = tmp_path / "kv.parquet"
    with pq.ParquetWriter(path, table.schema, store_schema=False) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata({"owner": "lake interop", "note": "é = ünïcode"})
    meta = checks.check_meta(lake, path)
    assert meta["key_value_metadata"]["note"] == "é = ünïcode"


SCHEMA_CASES = ["decimal-as-integer", "codec-ZSTD-v2", "int96-v2", "non-compliant-nested-names"]


@pytest.mark.parametrize("case_id", SCHEMA_CASES)
def test_schema_matches_pyarrow(lake, tmp_path, case_id):
    path, table = make_file(CASE_BY_ID[case_id], tmp_path)
    checks.check_schema(lake, path)


def test_schema_prints_the_writers_message_type(lake, tmp_path):
    table = gen.make_table(rows=5)
    path = tmp_path / "all.parquet"
    pq.write_table(table, path, store_decimal_as_integer=True)
    checks.check_schema(lake, path, expected_text=gen.message_type(table.schema))


@pytest.mark.parametrize("case", legacy.CASES, ids=[c.name for c in legacy.CASES])
def test_schema_of_legacy_shapes(lake, tmp_path, case):
    path = tmp_path / f"{case.name}.parquet"
    legacy.write(case, path)
    checks.check_schema(lake, path, expected_text=case.message_type)
