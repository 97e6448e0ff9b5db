"""Reading lake tables with plain Parquet readers (issue 10): `lake files` prints exactly the files
of a snapshot; DuckDB (`--format duckdb`, and `read_parquet` over the `--format list` paths with
the documented settings) and pyarrow (a dataset over the `--format json` paths with a unified
schema) read exactly hudi-rs's snapshot and `lake query`'s rows — at the latest commit and as of
an earlier one, after updates, deletes, partition moves and a column added later — with the
partition column's real type. The README's old recipe (a `**/*.parquet` glob with hive
partitioning) is shown to be wrong on the same table, so these checks can fail.
"""
from __future__ import annotations

import json

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

import hudi_read as h
import model as m
import scenarios as s

COLUMNS = [s.Column("id", "string", required=True), s.Column("ts", "int64"), s.Column("pk", "string"),
           s.Column("amount", "int64")]
DATA = ["id", "ts", "pk", "amount"]


def write(lake, table, tmp_path, name: str, op: str, rows: list[dict]) -> str:
    f = tmp_path / f"{name}.jsonl"
    f.write_text(s.to_jsonl(rows), encoding="utf-8")
    return json.loads(lake(op, "--table", table, "--input", f, "--json").stdout)["instant"]


def canonical(table: pa.Table, columns: list[str]) -> list[dict]:
    rows = [{c: r.get(c) for c in columns} for r in h.canonical_rows(table)]
    return sorted(rows, key=lambda r: r["id"])


def hudi_rows(path, instant: str | None, columns: list[str]) -> list[dict]:
    table = h.read_table(path) if instant is None else h.read_table(
        path, h.HudiReadOptions().with_as_of_timestamp(instant))
    return canonical(table, columns)


def lake_rows(lake, path, instant: str | None, columns: list[str]) -> list[dict]:
    args = ["query", "--table", path, "--format", "jsonl"] + (["--as-of", instant] if instant else [])
    rows = [{c: r.get(c) for c in columns} for r in s.parse_jsonl(lake(*args).stdout, "lake query")]
    return sorted(rows, key=lambda r: r["id"])


def duckdb_sql(sql: str) -> pa.Table:
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 1")
        return con.execute(sql).fetch_arrow_table()
    finally:
        con.close()


def test_lake_files_give_plain_readers_the_exact_snapshot(lake, tmp_path):
    path = tmp_path / "t"
    lake("create", "--table", path, "--key", "id", "--precombine", "ts", "--partition-by", "pk",
         "--schema", s.message_type(COLUMNS), "--set", "cleaner.commits.retained=5")
    first = write(lake, path, tmp_path, "load", "upsert",
                  [{"id": f"c{i:03d}", "ts": 1, "pk": str(i % 7), "amount": i} for i in range(70)])
    write(lake, path, tmp_path, "update", "upsert",
          [{"id": f"c{i:03d}", "ts": 2, "pk": str(i % 7), "amount": -i} for i in range(0, 70, 3)])
    # Partition moves: a stale copy would stay in the old partition's older file versions.
    write(lake, path, tmp_path, "move", "upsert",
          [{"id": f"c{i:03d}", "ts": 3, "pk": str((i + 1) % 7), "amount": 1000 + i} for i in range(0, 70, 5)])
    write(lake, path, tmp_path, "delete", "delete", [{"id": f"c{i:03d}", "ts": 4} for i in range(1, 70, 4)])
    # A column added later: older files lack it.
    last = write(lake, path, tmp_path, "evolve", "upsert",
                 [{"id": "c002", "ts": 5, "pk": "2", "amount": 7, "note": "added"},
                  {"id": "n001", "ts": 5, "pk": "9", "amount": 8, "note": "new"}])
    columns = [*DATA, "note"]

    for instant, cols in [(None, columns), (first, DATA)]:
        where = f"as of {instant}" if instant else "latest"
        expected = hudi_rows(path, instant, cols)
        assert len(expected) > 10
        s._fail_if(h.diff_rows(expected, lake_rows(lake, path, instant, cols)), f"{where}: lake query vs hudi-rs")
        as_of = ["--as-of", instant] if instant else []

        # DuckDB, the generated query.
        sql = lake("files", "--table", path, "--format", "duckdb", *as_of).stdout
        got = duckdb_sql(sql)
        assert set(got.column_names) == set(cols), got.column_names
        assert got.schema.field("pk").type == pa.string(), f"{where}: pk is {got.schema.field('pk').type}"
        s._fail_if(h.diff_rows(expected, canonical(got, cols)), f"{where}: DuckDB (lake files --format duckdb)")

        # DuckDB, read_parquet over the listed paths with the documented settings.
        paths = lake("files", "--table", path, *as_of).stdout.split()
        listed = duckdb_sql("SELECT * FROM read_parquet([" + ", ".join("'" + p + "'" for p in paths)
                            + "], hive_partitioning = false, union_by_name = true)")
        s._fail_if(h.diff_rows(expected, canonical(listed, cols)), f"{where}: DuckDB over lake files")

        # pyarrow: a dataset over the JSON's paths with the files' unified schema.
        doc = json.loads(lake("files", "--table", path, "--format", "json", *as_of).stdout)
        assert doc["instant"] == (instant or last)
        assert [f["path"] for f in doc["files"]] == paths
        files = [f["path"] for f in doc["files"]]
        schema = pa.unify_schemas([pq.read_schema(f) for f in files])
        table = ds.dataset(files, format="parquet", schema=schema).to_table()
        assert table.schema.field("pk").type == pa.string()
        s._fail_if(h.diff_rows(expected, canonical(table, cols)), f"{where}: pyarrow dataset over lake files")
        # The same file set as hudi-rs's slices.
        slices = {sl["relative_path"] for sl in h.file_slices(path, instant)}
        assert {f["relative_path"] for f in doc["files"]} == slices, where

    # The old README recipe reads every kept file version: more rows, deleted rows, a BIGINT pk.
    glob = duckdb_sql(f"SELECT * FROM read_parquet('{path}/**/*.parquet', hive_partitioning = true, "
                      "union_by_name = true)")
    assert glob.num_rows > len(hudi_rows(path, None, columns))
    assert glob.schema.field("pk").type != pa.string()


def test_lake_files_refuses_a_damaged_snapshot(lake, tmp_path):
    path = tmp_path / "t"
    lake("create", "--table", path, "--key", "id", "--partition-by", "pk", "--schema", s.message_type(COLUMNS))
    write(lake, path, tmp_path, "a", "upsert", [{"id": f"x{i}", "ts": 1, "pk": str(i % 2), "amount": i} for i in range(6)])
    write(lake, path, tmp_path, "b", "upsert", [{"id": "x0", "ts": 2, "pk": "0", "amount": 9}])
    latest = lake("files", "--table", path, "--relative").stdout.split()
    victim = next(p for p in latest if p.startswith("pk=0/"))
    (path / victim).unlink()
    proc = lake("files", "--table", path, check=False)
    assert proc.returncode == 65 and victim in proc.stderr, proc.stderr
    # hudi-rs silently reads the previous version of that file group (the problem lake refuses).
    assert any(r["id"] == "x0" and r["amount"] == 0 for r in h.snapshot(path))
    check = lake("check", "--table", path, "--json", check=False)
    assert check.returncode == 65
    report = json.loads(check.stdout)
    assert [p["kind"] for p in report["problems"]] == ["missing-file"] and report["problems"][0]["location"] == victim
