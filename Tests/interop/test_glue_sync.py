"""Catalog sync (issue 13): `--sync glue` on the write commands and `lake sync` against moto's Glue
Data Catalog. After creates, upserts with new partitions and new (nested) columns, more partitions
than one BatchCreatePartition takes, a delete-partition of more than one BatchDeletePartition takes,
the catalog (read with botocore) equals the table as hudi-rs reads it: columns in Hive types,
partition keys, storage descriptor, partitions. A sync that cannot reach the catalog leaves the
commit in place, exits 69, and `lake sync` catches the catalog up."""
from __future__ import annotations

import json
import pathlib

import hudi_read
from conftest import lake_runner
from glue_catalog import assert_catalog_matches, catalog_partitions, catalog_table, expected_partitions
from local_aws import free_port, moto_server

DB = "lakedb"


def rows(day: str, regions: list[str], start: int, extra: dict | None = None) -> str:
    out = []
    for i, region in enumerate(regions):
        r = {"id": f"k{start + i:05d}", "ts": start + i, "day": day, "region": region, "amount": (start + i) * 1.5,
             "vip": i % 2 == 0, "tags": ["a", f"t{i}"], "address": {"city": "Oslo", "zip": 1000 + i}}
        r.update(extra or {})
        out.append(json.dumps(r))
    return "\n".join(out) + "\n"


def test_write_commands_keep_the_glue_catalog_equal_to_the_table(tmp_path):
    table = tmp_path / "orders"
    with moto_server() as moto:
        glue = moto.client("glue")
        lake = lake_runner(moto.environment())
        sync = ["--sync", "glue", "--sync-database", DB]
        created = lake("create", "--table", table, "--key", "id", "--precombine", "ts", "--partition-by",
                       "day,region", *sync)
        assert "nothing to register before the first commit" in created.stderr
        assert DB not in [d["Name"] for d in glue.get_databases()["DatabaseList"]]

        # First write: the database and the table are created, with its 3 partitions.
        first = tmp_path / "b1.jsonl"
        first.write_text(rows("2026-12-01", ["eu", "us", "asia"], 0))
        out = lake("upsert", "--table", table, "--input", first, *sync)
        assert "glue sync lakedb.orders: database created, table created, 3 partitions added, 0 dropped" in out.stderr
        assert_catalog_matches(glue, DB, "orders", table, ["day", "region"])
        cols = dict((c["Name"], c["Type"]) for c in catalog_table(glue, DB, "orders")["StorageDescriptor"]["Columns"])
        assert cols["tags"] == "array<string>" and cols["address"] == "struct<city:string,zip:bigint>"
        assert cols["amount"] == "double" and cols["vip"] == "boolean" and "day" not in cols

        # Schema evolution (a new column) and new partitions: columns updated, partitions added.
        second = tmp_path / "b2.jsonl"
        second.write_text(rows("2026-12-02", ["eu", "us"], 100, {"score": 7}))
        out = lake("upsert", "--table", table, "--input", second, *sync)
        assert "table updated, 2 partitions added, 0 dropped" in out.stderr
        assert_catalog_matches(glue, DB, "orders", table, ["day", "region"])
        assert "score" in dict((c["Name"], c["Type"]) for c in catalog_table(glue, DB, "orders")["StorageDescriptor"]["Columns"])

        # 130 new partitions: more than one BatchCreatePartition (100) takes.
        many = tmp_path / "b3.jsonl"
        many.write_text(rows("2026-12-03", [f"r{i:03d}" for i in range(130)], 1000))
        out = lake("bulk-insert", "--table", table, "--input", many, *sync)
        assert "130 partitions added" in out.stderr
        assert_catalog_matches(glue, DB, "orders", table, ["day", "region"])
        assert len(catalog_partitions(glue, DB, "orders")) == 135

        # Dropping 40 partitions: more than one BatchDeletePartition (25) takes.
        drop = [f"day=2026-12-03/region=r{i:03d}" for i in range(40)]
        out = lake("delete-partition", "--table", table, *[a for p in drop for a in ("--partition", p)], *sync)
        assert "0 partitions added, 40 dropped" in out.stderr
        assert_catalog_matches(glue, DB, "orders", table, ["day", "region"])
        assert len(catalog_partitions(glue, DB, "orders")) == 95

        # The catalog unreachable (a stopped server's port): the commits stand, exit 69, catalog stale.
        dead = moto.environment() | {"AWS_ENDPOINT_URL_GLUE": f"http://127.0.0.1:{free_port()}"}
        offline = lake_runner(dead)
        fourth = tmp_path / "b4.jsonl"
        fourth.write_text(rows("2026-12-04", ["eu", "mars"], 5000))
        failed = offline("upsert", "--table", table, "--input", fourth, *sync, check=False)
        assert failed.returncode == 69, failed.stderr
        last = hudi_read.completed_instants(table)[-1][0]
        assert f"commit {last} stands" in failed.stderr and "lake sync --table" in failed.stderr
        keys = {r["id"] for r in hudi_read.snapshot(table)}
        assert {"k05000", "k05001"} <= keys  # the commit is readable by hudi-rs
        failed = offline("delete-partition", "--table", table, "--partition", "day=2026-12-01/region=eu", *sync,
                         check=False)
        assert failed.returncode == 69, failed.stderr
        stale = catalog_partitions(glue, DB, "orders")
        assert ("2026-12-04", "mars") not in stale and ("2026-12-01", "eu") in stale
        assert stale != expected_partitions(table, ["day", "region"], True)

        # `lake sync` catches the catalog up.
        repaired = lake("sync", "--table", table, "--sync-database", DB, "--json")
        report = json.loads(repaired.stdout)
        assert sorted(map(tuple, report["partitions_added"])) == [("2026-12-04", "eu"), ("2026-12-04", "mars")]
        assert report["partitions_dropped"] == [["2026-12-01", "eu"]]
        assert report["last_commit"] == hudi_read.completed_instants(table)[-1][0]
        assert_catalog_matches(glue, DB, "orders", table, ["day", "region"])
        # Nothing left to do: a second sync changes nothing.
        again = json.loads(lake("sync", "--table", table, "--sync-database", DB, "--json").stdout)
        assert again["partitions_added"] == [] and again["partitions_dropped"] == [] and not again["updated_table"]


def test_plain_partition_paths_and_names_from_the_options(tmp_path):
    table = tmp_path / "events"
    with moto_server() as moto:
        glue = moto.client("glue")
        lake = lake_runner(moto.environment())
        lake("create", "--table", table, "--key", "id", "--precombine", "ts", "--partition-by", "day,region",
             "--no-hive-style")
        data = tmp_path / "e.jsonl"
        data.write_text(rows("2026-12-01", ["eu", "a/b", "50%"], 0))
        lake("upsert", "--table", table, "--input", data, "--sync", "glue", "--sync-database", "analytics",
             "--sync-table", "events_cow")
        assert_catalog_matches(glue, "analytics", "events_cow", table, ["day", "region"], hive_style=False)
        assert set(catalog_partitions(glue, "analytics", "events_cow")) == {
            ("2026-12-01", "eu"), ("2026-12-01", "a/b"), ("2026-12-01", "50%")}
        # A non-partitioned table: no partition keys, no partitions.
        flat = tmp_path / "flat"
        lake("create", "--table", flat, "--key", "id")
        lake("upsert", "--table", flat, "--input", data)
        lake("sync", "--table", flat, "--sync-database", "analytics")
        assert_catalog_matches(glue, "analytics", "flat", flat, [])
        assert catalog_partitions(glue, "analytics", "flat") == {}
