"""lake on tables Java Hudi 0.14 wrote (../shared/fixtures/hudi-java-v6-cow): lake reads them exactly
as hudi-rs does, and after lake upserts into them, hudi-rs still reads them correctly — the update
and the insert with lake's commit time, every other row unchanged."""
from __future__ import annotations

import json

import pytest

import hudi_read as h

ALL = ["v6_complexkeygen_hivestyle", "v6_nonpartitioned", "v6_simplekeygen_nonhivestyle",
       "v6_simplekeygen_nonhivestyle_overwritetable", "v6_empty"]
KEY = "_hoodie_record_key"


def lake_rows(lake, table):
    out = lake("query", "--table", table, "--meta", "--format", "jsonl").stdout
    return sorted((json.loads(line) for line in out.splitlines()), key=lambda r: r[KEY])


@pytest.mark.parametrize("name", ALL)
def test_lake_reads_java_tables_like_hudi_rs(lake, tmp_path, name):
    table = h.unpack_fixture(name, tmp_path)
    expected = h.snapshot(table)
    got = lake_rows(lake, table)
    assert len(got) == len(expected)
    assert h.diff_rows(expected, got) is None, h.diff_rows(expected, got)


@pytest.mark.parametrize("name", ["v6_complexkeygen_hivestyle", "v6_nonpartitioned", "v6_simplekeygen_nonhivestyle"])
def test_hudi_rs_reads_java_tables_after_lake_upserts(lake, tmp_path, name):
    table = h.unpack_fixture(name, tmp_path)
    props = h.read_properties(table)
    precombine = props["hoodie.table.precombine.field"]
    before = {r[KEY]: r for r in h.snapshot(table)}

    data = [json.loads(line) for line in lake("query", "--table", table, "--format", "jsonl").stdout.splitlines()]
    target = sorted(data, key=lambda r: r["id"])[0]
    updated = dict(target)
    updated[precombine] = target[precombine] + 1
    updated["doubleField"] = 12345.5
    new = dict(target)
    new["id"] = 999
    new[precombine] = target[precombine] + 1
    stdin = json.dumps(updated) + "\n" + json.dumps(new) + "\n"
    result = json.loads(lake("upsert", "--table", table, "--input", "-", "--json", input=stdin).stdout)
    assert (result["inserted"], result["updated"]) == (1, 1), result
    instant = result["instant"]

    after = h.snapshot(table)                       # hudi-rs
    assert h.diff_rows(after, lake_rows(lake, table)) is None
    by_key = {r[KEY]: r for r in after}
    assert len(by_key) == len(before) + 1
    # Carried-over rows keep everything but _hoodie_file_name (every row names its new file).
    def same(a, b):
        return {k: v for k, v in a.items() if k != "_hoodie_file_name"} == {k: v for k, v in b.items() if k != "_hoodie_file_name"}
    changed = [k for k, r in by_key.items() if k in before and not same(r, before[k])]
    assert len(changed) == 1, changed
    row = by_key[changed[0]]
    assert row["doubleField"] == 12345.5 and row["_hoodie_commit_time"] == instant
    inserted = [r for k, r in by_key.items() if k not in before]
    assert inserted[0]["id"] == 999 and inserted[0]["_hoodie_commit_time"] == instant
    # Time travel to the last Java commit still shows the table as Java left it.
    java_last = max(t for t, action in h.completed_instants(table) if t != instant)
    assert h.diff_rows(sorted(before.values(), key=lambda r: r[KEY]), h.as_of(table, java_last)) is None


@pytest.mark.parametrize("name", ALL)
def test_lake_check_finds_java_tables_clean(lake, tmp_path, name):
    """Java's write stats (sizes, numWrites), its hoodie.table.checksum and its files pass `lake check`;
    the record index is merely stale (another engine wrote the commits) until lake writes."""
    table = h.unpack_fixture(name, tmp_path)
    proc = lake("check", "--table", table, "--json", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["clean"] and report["files_checked"] >= (0 if name == "v6_empty" else 1), report
    assert report["index"] == "current" if name == "v6_empty" else report["index"].startswith("stale"), report
