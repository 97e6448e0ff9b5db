"""lake reads the merge-on-read tables Java Hudi 0.14 wrote (../shared/fixtures/hudi-java-v6-mor)
exactly as hudi-rs does: the snapshot (base files merged with Avro and Parquet log blocks), the
read-optimized view (base files only), the table as of every completed instant, and incremental
reads; a log block of a delta commit that never completed is ignored; and lake refuses to write
to them (merge-on-read writes are not implemented yet) without changing a byte."""
from __future__ import annotations

import hashlib
import json
import pathlib

import pytest

import hudi_read as h

ALL = ["v6_trips_8i1u", "table_uncommitted_log_v6", "v6_complexkeygen_hivestyle", "v6_nonpartitioned",
       "v6_simplekeygen_nonhivestyle", "v6_simplekeygen_nonhivestyle_overwritetable", "v6_empty"]
KEY = "_hoodie_record_key"


def unpack(name, tmp_path):
    return h.unpack_fixture(name, tmp_path, fixtures=h.MOR_FIXTURES)


def lake_rows(lake, table, *args):
    out = lake("query", "--table", table, "--meta", "--format", "jsonl", *args).stdout
    return sorted((json.loads(line) for line in out.splitlines()), key=lambda r: r[KEY])


def log_files(table):
    return sorted(p for p in pathlib.Path(table).rglob(".*.log.*") if not p.name.endswith(".crc"))


@pytest.mark.parametrize("name", ALL)
def test_snapshot_read_optimized_and_as_of_match_hudi_rs(lake, tmp_path, name):
    table = unpack(name, tmp_path)
    expected = h.snapshot(table)
    got = lake_rows(lake, table)
    assert len(got) == len(expected)
    assert h.diff_rows(expected, got) is None, h.diff_rows(expected, got)

    ro = h.read_optimized(table)
    got_ro = lake_rows(lake, table, "--read-optimized")
    assert h.diff_rows(ro, got_ro) is None, h.diff_rows(ro, got_ro)

    for instant, _action in h.completed_instants(table):
        want = h.as_of(table, instant)
        got_at = lake_rows(lake, table, "--as-of", instant)
        assert h.diff_rows(want, got_at) is None, (instant, h.diff_rows(want, got_at))


def test_the_fixtures_hold_log_files_the_snapshot_needs(lake, tmp_path):
    """The comparison above is not vacuous: tables with log files read differently with and
    without them (each holds an update only its log has)."""
    for name in ["v6_trips_8i1u", "v6_complexkeygen_hivestyle", "v6_nonpartitioned", "table_uncommitted_log_v6"]:
        table = unpack(name, tmp_path / name)
        assert log_files(table), name
        assert lake_rows(lake, table) != lake_rows(lake, table, "--read-optimized"), name


def test_uncommitted_log_block_is_ignored(lake, tmp_path):
    table = unpack("table_uncommitted_log_v6", tmp_path)
    # The first log file holds a block of 20260815174509450, which has no completed instant.
    pending = {t for t, state in [(i[0], i[2]) for i in h.instant_files(table)] if state != "completed"}
    completed = {t for t, _ in h.completed_instants(table)}
    assert "20260815174509450" in pending and "20260815174509450" not in completed
    assert b"ORPHANED-B" in log_files(table)[0].read_bytes()
    rows = {r[KEY]: r for r in lake_rows(lake, table)}
    assert rows["a"]["rider"] == "committed-A" and rows["a"]["_hoodie_commit_time"] == "20260815174512044"
    assert rows["b"]["rider"] == "rider-B" and all("ORPHANED" not in (r["rider"] or "") for r in rows.values())
    assert h.diff_rows(h.snapshot(table), sorted(rows.values(), key=lambda r: r[KEY])) is None


def test_incremental_over_delta_commits_matches_hudi_rs(lake, tmp_path):
    table = unpack("v6_trips_8i1u", tmp_path)
    instants = [t for t, _ in h.completed_instants(table)]
    for since in [None] + instants[:-1]:
        want = h.incremental(table, start=since)
        args = ["--since", since] if since else ["--since", "1970-01-01T00:00:00Z"]
        got = lake_rows(lake, table, *args)
        assert h.diff_rows(want, got) is None, (since, h.diff_rows(want, got))


def test_predicate_and_columns_on_merged_rows(lake, tmp_path):
    table = unpack("v6_trips_8i1u", tmp_path)
    full = {r[KEY]: r for r in h.snapshot(table)}
    # rider-D's fare is 25.0 only in the log block: the predicate must see merged rows.
    out = lake("query", "--table", table, "--where", "fare = 25.0", "--columns", "uuid,rider,fare",
               "--format", "jsonl").stdout
    got = [json.loads(line) for line in out.splitlines()]
    want = [{"uuid": k, "rider": r["rider"], "fare": r["fare"]} for k, r in full.items() if r["fare"] == 25.0]
    assert got == want and len(got) == 1
    out = lake("query", "--table", table, "--where", "city = 'san_francisco'", "--format", "jsonl").stdout
    assert len(out.splitlines()) == sum(1 for r in full.values() if r["city"] == "san_francisco")


def test_writes_to_merge_on_read_tables_are_refused(lake, tmp_path):
    table = unpack("v6_trips_8i1u", tmp_path)
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in pathlib.Path(table).rglob("*") if p.is_file()}
    row = json.dumps({"ts": 1, "uuid": "x", "rider": "r", "driver": "d", "fare": 1.0, "city": "chennai"})
    proc = lake("upsert", "--table", table, "--input", "-", input=row + "\n", check=False)
    assert proc.returncode != 0
    assert "MERGE_ON_READ" in proc.stderr and "does not write" in proc.stderr, proc.stderr
    for args in (["clean"], ["rollback"]):
        p = lake(*args, "--table", table, check=False)
        assert p.returncode != 0 and "MERGE_ON_READ" in p.stderr, (args, p.stderr)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in pathlib.Path(table).rglob("*") if p.is_file()}
    assert before == after


def _block(block_type: int, header: dict[int, str], content: bytes) -> bytes:
    """One Hudi log block (format version 1), framed here independently of lake."""
    import struct
    def meta(m):
        out = struct.pack(">i", len(m))
        for k, v in sorted(m.items()):
            out += struct.pack(">ii", k, len(v.encode())) + v.encode()
        return out
    body = struct.pack(">ii", 1, block_type) + meta(header) + struct.pack(">q", len(content)) + content + meta({})
    return b"#HUDI#" + struct.pack(">q", len(body) + 8) + body + struct.pack(">q", 6 + 8 + len(body))


def _content(block: bytes) -> tuple[dict[int, str], bytes]:
    import struct
    p = 6 + 8 + 8
    (n,) = struct.unpack(">i", block[p:p + 4]); p += 4
    header = {}
    for _ in range(n):
        k, length = struct.unpack(">ii", block[p:p + 8]); p += 8
        header[k] = block[p:p + length].decode(); p += length
    (cl,) = struct.unpack(">q", block[p:p + 8]); p += 8
    return header, block[p:p + cl]


def test_a_java_delete_block_reads_as_in_hudi_rs(lake, tmp_path):
    """The delete block Java wrote for `DELETE … WHERE rider IN ('rider-A','rider-C','rider-D')`
    (hudi-rs's test data, Tests/fixtures/hudi-rs) appended to the trips table's log at its
    committed delta commit: lake and hudi-rs both drop the three keys."""
    table = unpack("v6_trips_8i1u", tmp_path)
    java = (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "hudi-rs" / "delete-block.log").read_bytes()
    header, content = _content(java)
    log = log_files(table)[0]
    with open(log, "ab") as f:
        f.write(_block(1, {0: "20250331030645735", 2: header[2]}, content))
    expected = h.snapshot(table)
    got = lake_rows(lake, table)
    assert h.diff_rows(expected, got) is None, h.diff_rows(expected, got)
    assert len(got) == 5 and not {"rider-A", "rider-C", "rider-D"} & {r["rider"] for r in got}
    for instant, _ in h.completed_instants(table):
        assert h.diff_rows(h.as_of(table, instant), lake_rows(lake, table, "--as-of", instant)) is None
