"""Tables on S3: lake against a real S3 server (SeaweedFS with signature checking on, started here,
stopped by pid), read by hudi-rs straight from the server.

* The table scenarios (upserts, late events, deletes, partition moves, overwrite/delete-partition,
  composite keys) run with `--table s3://lake/…`: after every commit hudi-rs reads the S3 table
  (snapshot, incremental) equal to the model and to `lake query`; at the end as-of every commit;
  the file-level checks (every Parquet file opens, slices hold the snapshot) run on a mirror of
  the objects. The cleaner keeps the configured window on S3 too.
* Crashes: writers SIGKILLed at random moments and at every named commit point; after each, hudi-rs
  and lake read exactly the last completed commit (no partial commit: every row carries one
  batch's value; nothing committed lost), and the next write succeeds and leaves nothing pending.
* The server stopped in the middle of a write (streaming a base file, after the inflight instant,
  before completing) and started again: the write fails with a clear error (or succeeds after
  retries), nothing committed is lost, the next write succeeds.

The concurrency proofs and the crash loop run on S3 in test_concurrent_writers.py and test_crash.py
(the `store` fixture); the server is the session's (conftest.py `s3_server`).
* A wrong secret: exit 77 with a message naming the refused signature; `lake describe` says where
  the credentials came from and never prints the secret.
"""
from __future__ import annotations

import random
import signal
import subprocess
import threading
import time

import pytest

import hudi_read as h
import scenarios as s
import s3_server
from conftest import LAKE_TIMEOUT, lake_bin


@pytest.fixture
def s3(s3_server):
    """The session's local S3 server (conftest.py)."""
    return s3_server


S3_SCENARIOS = ["plain_inserts", "updates_non_hive", "late_events", "deletes", "partition_moves",
                "overwrite_and_delete_partition",
                "composite_keys"]


@pytest.mark.parametrize("scenario", [sc for sc in s.hand_made() if sc.name in S3_SCENARIOS], ids=lambda sc: sc.name)
def test_scenario_on_s3(s3, tmp_path, scenario):
    run = s.run_scenario(scenario, s3.lake_runner(), tmp_path, s3=s3)
    assert len(run.instants) == len(scenario.steps)
    assert not s3.multipart_uploads(s3.uri(f"{tmp_path.name}/{scenario.name}"))


def test_scenario_names_exist():
    names = {sc.name for sc in s.hand_made()}
    assert set(S3_SCENARIOS) <= names, sorted(set(S3_SCENARIOS) - names)


# --------------------------------------------------------------------------------------------
# A table whose every write sets one value on every key: a partial commit would show two values.
# --------------------------------------------------------------------------------------------

COLUMNS = [s.Column("id", "string", required=True), s.Column("ts", "int64"), s.Column("region", "string"),
           s.Column("v", "int64")]
KEYS = 60
REGIONS = ["eu", "us", "ap", "sa"]


class UniformTable:
    def __init__(self, s3, tmp_path, name: str, settings: tuple[str, ...] = ()):
        self.s3 = s3
        self.uri = s3.uri(f"{tmp_path.name}/{name}")
        self.scratch = tmp_path / f"{name}-inputs"
        self.scratch.mkdir(parents=True)
        self.mirror_path = tmp_path / f"{name}-mirror"
        self.lake = s3.lake_runner()
        args = ["create", "--table", self.uri, "--key", "id", "--precombine", "ts", "--partition-by", "region",
                "--schema", s.message_type(COLUMNS)]
        for kv in settings:
            args += ["--set", kv]
        self.lake(*args)
        self.batch = 0
        self.landed = 0   # the batch every row shows

    def input(self, batch: int):
        f = self.scratch / f"batch-{batch:03d}.jsonl"
        f.write_text(s.to_jsonl([{"id": f"k{i:03d}", "ts": batch, "region": REGIONS[(i + batch) % len(REGIONS)],
                                  "v": batch} for i in range(KEYS)]), encoding="utf-8")
        return f

    def upsert_args(self, batch: int) -> list:
        return ["upsert", "--table", self.uri, "--input", self.input(batch), "--json"]

    def popen(self, batch: int, crash_at: str | None = None) -> subprocess.Popen:
        env = self.s3.env()
        if crash_at:
            env["LAKE_CRASH_AT"] = crash_at
        return subprocess.Popen([lake_bin(), *map(str, self.upsert_args(batch))], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)

    def write(self) -> dict:
        self.batch += 1
        out = self.lake(*self.upsert_args(self.batch)).stdout
        self.landed = self.batch
        return s._strict_json(out.strip(), "lake upsert --json")

    def values(self, where: str) -> set[int]:
        """The batch values hudi-rs reads from S3, checked equal to lake's read; every key once."""
        rows = h.snapshot(self.uri)
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), f"{where}: duplicated keys in hudi-rs's read"
        assert sorted(ids) == [f"k{i:03d}" for i in range(KEYS)], f"{where}: keys {len(ids)} of {KEYS}"
        lake_rows = s.parse_jsonl(self.lake("query", "--table", self.uri, "--meta", "--format", "jsonl").stdout,
                                  "lake query")
        s._fail_if(h.diff_rows(rows, sorted(lake_rows, key=lambda r: r[h.KEY])), f"{where}: lake query vs hudi-rs")
        return {r["v"] for r in rows}

    def pending(self) -> list[str]:
        """Write instants with no completed instant file (from the objects' names)."""
        by_ts: dict[str, set] = {}
        for rel in self.s3.keys(self.uri):
            if not rel.startswith(".hoodie/") or rel.count("/") != 1:
                continue
            parts = rel.removeprefix(".hoodie/").split(".")
            if not (parts[0].isdigit() and len(parts[0]) == 17):
                continue
            if len(parts) == 2 and parts[1] in ("commit", "replacecommit"):
                by_ts.setdefault(parts[0], set()).add("completed")
            elif parts[-1] in ("requested", "inflight") and parts[1] in ("commit", "replacecommit", "inflight"):
                by_ts.setdefault(parts[0], set()).add("pending")
        return sorted(t for t, st in by_ts.items() if "completed" not in st)


def test_writers_killed_at_random_moments_and_at_every_commit_point_on_s3(s3, tmp_path):
    t = UniformTable(s3, tmp_path, "crash")
    t.write()
    rng = random.Random(20261207)
    points = ["commit-requested", "commit-inflight", "commit-file", "commit-data", "commit-index",
              "commit-completed", None, None, None, None, None, None, None, None]
    for run, crash_at in enumerate(points):
        t.batch += 1
        p = t.popen(t.batch, crash_at)
        kill_after = None if crash_at else rng.uniform(0.05, 0.6)
        try:
            p.wait(timeout=kill_after if kill_after is not None else LAKE_TIMEOUT)
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
        out, err = p.communicate(timeout=LAKE_TIMEOUT)
        where = f"run {run} ({'LAKE_CRASH_AT=' + crash_at if crash_at else f'kill after {kill_after:.3f}s'})"
        if p.returncode == 0:
            t.landed = t.batch
        else:
            assert p.returncode == -signal.SIGKILL, f"{where}: exit {p.returncode}: {err}"
        values = t.values(where)
        assert len(values) == 1, f"{where}: a partial commit is visible: values {sorted(values)}"
        (v,) = values
        # Killed writers may or may not have completed (commit-completed did); nothing committed is lost.
        assert v in (t.landed, t.batch), f"{where}: read batch {v}, last landed {t.landed}, killed {t.batch}"
        t.landed = v
        # The next write succeeds, rolls back what the killed one left, and lands whole.
        result = t.write()
        assert t.values(f"{where}, next write {result['instant']}") == {t.batch}
        assert not t.pending(), f"{where}: pending instants {t.pending()} after a successful write"
        assert not s3.multipart_uploads(t.uri), f"{where}: open multipart uploads {s3.multipart_uploads(t.uri)}"
    s.check_files(s3.mirror(t.uri, t.mirror_path), KEYS, "after the crash runs")


def read_line(stream, timeout: float) -> str:
    """The next line of a pipe, waiting at most `timeout` seconds ('' at the end or on timeout)."""
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return line[0] if line else ""


@pytest.mark.parametrize("point,down", [("commit-file", 8.0), ("commit-inflight", 8.0), ("commit-index", 8.0),
                                        ("commit-index", 0.2)])
def test_server_stopped_mid_write_and_restarted(s3, tmp_path, point, down):
    """The S3 server stops while a write runs — while it streams a base file, after its inflight
    instant, or with its data and index written but not yet completed — and is started again
    `down` seconds after the write went on: the write fails with a clear error naming the
    connection (down longer than the client's retries), or succeeds after retries (back in time);
    nothing committed is lost, no partial commit is read, and the next write succeeds and leaves
    nothing pending or half-uploaded."""
    t = UniformTable(s3, tmp_path, "outage")
    t.write()
    t.write()
    t.batch += 1
    env = s3.env()
    env["LAKE_CRASH_AT"] = f"{point}:pause=2000"   # hold the write in the middle, then go on
    p = subprocess.Popen([lake_bin(), *map(str, t.upsert_args(t.batch))], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    restart = threading.Timer(down, s3.start)
    try:
        # The moment the writer reaches the point, the server goes down (the pause leaves time).
        first = read_line(p.stderr, LAKE_TIMEOUT)
        assert f"pausing at {point}" in first, f"the writer did not reach {point}: {first}{p.stderr.read()}"
        s3.stop()
        time.sleep(1.5)
        restart.start()
        out, err = p.communicate(timeout=LAKE_TIMEOUT)
        restart.join()
        # Other threads writing file groups may pause at the point too: only the error counts.
        err = "".join(line for line in err.splitlines(keepends=True) if "LAKE_CRASH_AT: pausing" not in line)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        restart.cancel()
        if s3.proc is None or s3.proc.poll() is not None:
            s3.start()   # the server is shared by the session's tests
    print(f"write during the outage at {point} (restarted after {down} s): exit {p.returncode}; "
          f"{err.strip()[-400:]}")
    if p.returncode == 0:
        t.landed = t.batch
    else:
        assert p.returncode == 74, f"exit {p.returncode}: {err}"
        assert err.startswith("lake: error:"), err
        assert "127.0.0.1" in err and ("connection" in err or "refused" in err or "timed out" in err), err
    values = t.values("after the outage")
    assert len(values) == 1 and values <= {t.landed, t.batch}, f"after the outage: values {values}"
    t.landed = values.pop()
    t.write()
    assert t.values("the write after the outage") == {t.batch}
    assert not t.pending()
    assert not s3.multipart_uploads(t.uri), f"open multipart uploads {s3.multipart_uploads(t.uri)}"


def test_cleaner_keeps_its_window_on_s3(s3, tmp_path):
    t = UniformTable(s3, tmp_path, "clean", settings=("hoodie.cleaner.commits.retained=2",))
    instants = [t.write()["instant"] for _ in range(6)]
    t.lake("clean", "--table", t.uri)
    slices_files = [k for k in s3.keys(t.uri) if k.endswith(".parquet") and not k.startswith(".hoodie/")]
    kept = {k.rsplit("_", 1)[1].removesuffix(".parquet") for k in slices_files}
    assert kept <= set(instants[-3:]), f"files of instants {sorted(kept)} survive a window of 2 commits"
    assert t.values("after clean") == {t.batch}
    for instant in instants[-2:]:
        rows = h.as_of(t.uri, instant)
        assert {r["v"] for r in rows} == {instants.index(instant) + 1}, f"as of {instant}"


def test_wrong_secret_exits_77_and_describe_names_the_credentials(s3, tmp_path):
    t = UniformTable(s3, tmp_path, "creds")
    t.write()
    proc = s3.lake_runner(secret="not-the-secret")("query", "--table", t.uri, check=False)
    assert proc.returncode == 77, f"exit {proc.returncode}: {proc.stderr}"
    # A HEAD's refusal has no body to say SignatureDoesNotMatch: the message names both causes.
    assert proc.stderr.startswith("lake: error:"), proc.stderr
    assert "signature" in proc.stderr or "wrong secret" in proc.stderr, proc.stderr
    assert "not-the-secret" not in proc.stderr
    desc = t.lake("describe", "--table", t.uri).stdout
    assert "credentials: access key LAKETESTACCESSKEY01" in desc and "environment" in desc, desc
    assert s3_server.SECRET_KEY not in desc
    verbose = t.lake("query", "--table", t.uri, "--verbose").stderr
    assert "requests: LIST" in verbose and "GET" in verbose, verbose


def test_input_read_from_s3(s3, tmp_path):
    """`--input s3://bucket/key` (JSON lines and Parquet) writes the same rows as the local file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = UniformTable(s3, tmp_path, "input")
    rows = [{"id": f"k{i:03d}", "ts": 1, "region": REGIONS[i % len(REGIONS)], "v": 7} for i in range(KEYS)]
    s3.client.put_object(Bucket=s3_server.BUCKET, Key=f"{tmp_path.name}/in/rows.jsonl",
                         Body=s.to_jsonl(rows).encode(), ContentType="application/x-ndjson")
    t.lake("upsert", "--table", t.uri, "--input", f"s3://{s3_server.BUCKET}/{tmp_path.name}/in/rows.jsonl")
    assert t.values("after --input s3://….jsonl") == {7}
    local = tmp_path / "rows.parquet"
    pq.write_table(pa.Table.from_pylist([{**r, "v": 8} for r in rows]), local)
    s3.client.put_object(Bucket=s3_server.BUCKET, Key=f"{tmp_path.name}/in/rows.parquet", Body=local.read_bytes())
    t.lake("upsert", "--table", t.uri, "--input", f"s3://{s3_server.BUCKET}/{tmp_path.name}/in/rows.parquet")
    assert t.values("after --input s3://….parquet") == {8}
    missing = t.lake("upsert", "--table", t.uri, "--input", f"s3://{s3_server.BUCKET}/nope.jsonl", check=False)
    assert missing.returncode == 66 and "nope.jsonl" in missing.stderr, missing.stderr
