"""Failure and recovery, through the `lake` CLI, checked with hudi-rs and the model.

* `test_crash_loop` — the issue's proof: a small table gets RUNS writes (upserts, deletes, cleans
  once `lake clean` exists, and now and then an explicit `lake rollback`), and most of them are
  killed with SIGKILL — either at a random moment, or at a named point of the commit or rollback
  protocol (`LAKE_CRASH_AT=<point>`, see docs/tables.md). After every run: hudi-rs and
  `lake query` read exactly the last completed commit (the model knows which commits completed:
  the `--json` output of completed runs, else the timeline), no committed row is lost or
  duplicated (the latest file slices hold exactly the snapshot's rows), and the next write
  succeeds and leaves no trace of the failed ones (no pending instants, no orphan data files,
  every failed write named by a completed `.rollback`). Fixed seed, bounded count.
* Two writers at once: a clear conflict (exit 75) naming the owner, `--wait`, takeover of a lock
  whose owner was killed or which a crash left unreadable; readers never block.
* `lake rollback --instant`, `lake savepoint`, `lake restore`: the table afterwards equals what
  hudi-rs read as of the target commit before; a crash at any point of a restore is finished by
  the next writer.

The crash loop, the takeover of a killed writer's lock and the restore crashes run twice, through
the `store` fixture (conftest.py): on local disk and on the local S3 server (SeaweedFS), where the
table's files are looked at through the store (object listing, multipart uploads for leftovers) and
the file-level checks read a mirror of the objects. On S3 the loop makes LAKE_CRASH_RUNS_S3 runs
(default 60: every run there costs a few more seconds of requests).
"""
from __future__ import annotations

import json
import os
import pathlib
import random
import re
import signal
import subprocess
import time

import pytest

import hudi_read as h
import model as m
import scenarios as s
import table_store
from conftest import LAKE_TIMEOUT, lake_bin

SEED = 20260401
RUNS = int(os.environ.get("LAKE_CRASH_RUNS", "120"))
RUNS_S3 = int(os.environ.get("LAKE_CRASH_RUNS_S3", "60"))

COMMIT_POINTS = ["commit-requested", "commit-inflight", "commit-file", "commit-data", "commit-index", "commit-completed"]
ROLLBACK_POINTS = ["recovery-start", "rollback-requested", "rollback-inflight", "rollback-data", "rollback-index",
                   "rollback-instants", "rollback-completed"]
RESTORE_POINTS = ["restore-requested", "restore-inflight", "rollback-unpublished", "rollback-data", "restore-undone",
                  "restore-savepoints", "restore-completed"]

COLUMNS = [s.Column("id", "string", required=True), s.Column("ts", "int64"), s.Column("region", "string"),
           s.Column("v", "int64")]
REGIONS = ["eu", "us", "ap"]
INSTANT_FILE = re.compile(r"(\d{17})\.(commit|replacecommit|inflight|[a-z]+\.(?:requested|inflight)|[a-z]+)\Z")


# --------------------------------------------------------------------------------------------
# A table, its model and its timeline
# --------------------------------------------------------------------------------------------

class CrashTable:
    def __init__(self, lake, path, scratch: pathlib.Path, store=None):
        """A table at `path` (a directory, or with an S3 `store` an `s3://` location) with its model."""
        self.store = store or table_store.DiskStore()
        self.lake = lake if store is None else self.store.lake()
        lake = self.lake
        self.path = path
        self.scratch = scratch
        self.binary = lake_bin()
        self.runs = 0
        lake("create", "--table", path, "--key", "id", "--precombine", "ts", "--partition-by", "region",
             "--schema", s.message_type(COLUMNS))
        self.model = m.TableModel([c.name for c in COLUMNS], ["id"], "ts", ["region"], url_encode=False)

    # The timeline, straight from the directory (or the object listing).
    def files(self) -> dict[str, int]:
        return self.store.files(self.path)

    def instants(self) -> list[tuple[str, str, str]]:
        """(timestamp, action, state) of every instant file."""
        return h.parse_instant_names(rel.removeprefix(".hoodie/") for rel in self.files()
                                     if rel.startswith(".hoodie/") and rel.count("/") == 1)

    def exists(self, rel: str) -> bool:
        return self.store.exists(self.path, rel)

    def completed_writes(self) -> list[str]:
        return sorted(t for t, a, st in self.instants() if st == "completed" and a in ("commit", "replacecommit"))

    def pending(self, actions=("commit", "replacecommit")) -> list[str]:
        """Timestamps with instant files of `actions` but no completed one."""
        by_ts: dict[str, set] = {}
        for t, a, st in self.instants():
            if a in actions:
                by_ts.setdefault(t, set()).add(st)
        return sorted(t for t, states in by_ts.items() if "completed" not in states)

    def rolled_back(self) -> set[str]:
        """Instants named by completed `.rollback` (and `.restore`) instants, archived ones included."""
        out = set()
        for rel in self.files():
            folder, _, name = rel.rpartition("/")
            if folder not in (".hoodie", ".hoodie/archived"):
                continue
            parts = name.split(".")
            if len(parts) == 2 and parts[0].isdigit() and parts[1] in ("rollback", "restore"):
                doc = json.loads(self.store.read(self.path, rel))
                out.update(doc.get("commitsRollback", []) + doc.get("instantsToRollback", []))
        return out

    def data_files(self) -> list[str]:
        """Relative paths of the data files (not under .hoodie)."""
        return [rel for rel in self.files() if rel.endswith(".parquet") and ".hoodie" not in rel.split("/")]

    # Running lake, possibly to its death.
    def input_file(self, rows: list[dict]) -> pathlib.Path:
        self.runs += 1
        f = self.scratch / f"run-{self.runs:04d}.jsonl"
        f.write_text(s.to_jsonl(rows), encoding="utf-8")
        return f

    def start(self, args: list, crash_at: str | None = None) -> subprocess.Popen:
        env = self.store.env()
        if crash_at:
            env["LAKE_CRASH_AT"] = crash_at
        return subprocess.Popen([self.binary, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)

    def run(self, args: list, crash_at: str | None = None, kill_after: float | None = None):
        """Runs lake; returns (returncode, stdout, stderr, seconds). SIGKILLs it after `kill_after` s."""
        started = time.monotonic()
        p = self.start(args, crash_at)
        if kill_after is not None:
            try:
                p.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
        out, err = p.communicate(timeout=LAKE_TIMEOUT)
        return p.returncode, out, err, time.monotonic() - started

    # Checks.
    def check_reads(self, where: str, files: bool = True) -> None:
        """hudi-rs == model (last completed commit) == lake query (a duplicated or lost key fails
        the comparison); with `files`, also every Parquet file opens and the latest slices hold
        exactly those rows."""
        expected = self.model.snapshot()
        hudi_rows = h.snapshot(self.path)
        s._fail_if(h.diff_rows(expected, hudi_rows, [*s.META3, *self.model.columns]), f"{where}: hudi-rs vs model")
        lake_rows = s.parse_jsonl(self.lake("query", "--table", self.path, "--meta", "--format", "jsonl").stdout, "lake query")
        lake_rows.sort(key=lambda r: r[h.KEY])
        s._fail_if(h.diff_rows(hudi_rows, lake_rows), f"{where}: lake query vs hudi-rs")
        if files:
            s.check_files(self.store.local(self.path, self.scratch), len(hudi_rows), where)

    def check_clean(self, where: str) -> None:
        """After a successful write: nothing pending, no data file of an unfinished write."""
        assert not self.pending(), f"{where}: pending writes {self.pending()} after a successful write"
        pending_services = self.pending(("rollback", "restore"))
        assert not pending_services, f"{where}: pending rollback/restore {pending_services}"
        completed = set(self.completed_writes())
        writes = [ts for ts, a, _ in self.instants() if a in ("commit", "replacecommit")]
        earliest = min(writes) if writes else None
        for rel in self.data_files():
            instant = s.BASE_FILE.match(rel.rsplit("/", 1)[-1]).group(3)
            archived = earliest is not None and instant < earliest   # its commit was archived
            assert instant in completed or archived, \
                f"{where}: orphan data file {rel} (instant {instant} not completed)"
        leftovers = self.store.leftovers(self.path)
        assert not leftovers, f"{where}: unfinished writes left: {leftovers}"


def has_clean(lake) -> bool:
    """Whether this lake has `lake clean` (the cleaner lands separately)."""
    proc = lake("clean", "--help", check=False)
    return proc.returncode == 0 and "lake clean" in proc.stdout


def random_batch(rng: random.Random, mdl: m.TableModel, op: str, ts: int, fresh: list[int]) -> list[dict]:
    live = sorted(r["id"] for r in mdl.snapshot())
    if op == "delete":
        keys = rng.sample(live, min(len(live), rng.randint(3, 15)))
        return [{"id": k, "ts": ts} for k in keys]
    rows = []
    for k in rng.sample(live, min(len(live), rng.randint(5, 30))):
        rows.append({"id": k, "ts": ts, "region": rng.choice(REGIONS), "v": rng.randint(0, 10**6)})
    for _ in range(rng.randint(5, 25)):
        fresh[0] += 1
        rows.append({"id": f"k{fresh[0]:05d}", "ts": ts, "region": rng.choice(REGIONS), "v": rng.randint(0, 10**6)})
    rng.shuffle(rows)
    return rows


# --------------------------------------------------------------------------------------------
# The crash loop
# --------------------------------------------------------------------------------------------

def test_crash_loop(store, tmp_path):
    rng = random.Random(SEED)
    runs = RUNS if store.kind == "disk" else RUNS_S3
    t = CrashTable(None, store.location(tmp_path, "t"), tmp_path, store)
    lake = t.lake
    cleans = has_clean(lake)
    fresh = [0]
    # A first load of a few hundred rows.
    rows = random_batch(rng, t.model, "upsert", 1, fresh) + [
        {"id": f"k{i:05d}", "ts": 1, "region": REGIONS[i % 3], "v": i} for i in range(1000, 1250)]
    result = json.loads(t.lake("upsert", "--table", t.path, "--input", t.input_file(rows), "--json").stdout)
    t.model.apply("upsert", rows, result["instant"])
    t.check_reads("initial load")

    durations = [0.08]
    failed_writes: set[str] = set()
    stats = {"killed": 0, "point": 0, "random": 0, "completed_despite_kill": 0, "left_pending": 0,
             "rollback_interrupted": 0, "ok": 0, "explicit_rollback": 0, "clean": 0}
    for run in range(1, runs + 1):
        ts = run + 1
        pending_before = t.pending()
        roll = rng.random()
        op = "clean" if cleans and roll < 0.12 else "rollback" if roll < 0.17 else "delete" if roll < 0.42 else "upsert"
        if op in ("clean", "rollback"):
            args = [op, "--table", t.path]
            rows = []
        else:
            rows = random_batch(rng, t.model, op, ts, fresh)
            args = [op, "--table", t.path, "--input", t.input_file(rows), "--json"]
        mode = rng.random()
        crash_at = kill_after = None
        if pending_before and rng.random() < 0.5:
            crash_at = rng.choice(ROLLBACK_POINTS)   # die while recovering from the last failure
        elif mode < 0.35:
            crash_at = rng.choice(COMMIT_POINTS)
        elif mode < 0.85:
            window = sorted(durations)[len(durations) // 2] * 1.3
            kill_after = rng.uniform(0.0, window)
        before = set(t.completed_writes())
        rc, out, err, took = t.run(args, crash_at=crash_at, kill_after=kill_after)
        where = f"run {run} ({op}, {'LAKE_CRASH_AT=' + crash_at if crash_at else f'kill after {kill_after:.3f}s' if kill_after is not None else 'no kill'})"
        killed = rc == -signal.SIGKILL
        if not killed:
            assert rc == 0, f"{where}: exit {rc}\n{err}"
            durations.append(took)
            stats["ok"] += 1
        else:
            stats["killed"] += 1
            stats["point" if crash_at else "random"] += 1
        new = sorted(set(t.completed_writes()) - before)
        assert len(new) <= 1, f"{where}: several new completed commits {new}"
        if op in ("upsert", "delete"):
            if new:
                instant = new[0]
                if not killed:
                    assert json.loads(out)["instant"] == instant, f"{where}: --json instant vs timeline"
                else:
                    stats["completed_despite_kill"] += 1
                t.model.apply(op, rows, instant)
            else:
                assert killed, f"{where}: exited 0 without a completed commit"
        else:
            assert not new, f"{where}: {op} completed a write {new}"
            stats["clean" if op == "clean" else "explicit_rollback"] += not killed
        if killed and crash_at in ROLLBACK_POINTS and crash_at != "recovery-start":
            stats["rollback_interrupted"] += 1
        left = t.pending()
        if left:
            stats["left_pending"] += 1
            failed_writes.update(left)
        # Whatever happened: the reads are exactly the last completed commit.
        t.check_reads(where, files=run % 10 == 0)
        if not killed and op != "clean":
            t.check_clean(where)

    # The next write succeeds and leaves nothing behind.
    rows = random_batch(rng, t.model, "upsert", runs + 10, fresh)
    result = json.loads(t.lake("upsert", "--table", t.path, "--input", t.input_file(rows), "--json").stdout)
    t.model.apply("upsert", rows, result["instant"])
    t.check_reads("final write")
    t.check_clean("final write")
    missing = failed_writes - t.rolled_back()
    assert not missing, f"failed writes without a completed rollback naming them: {sorted(missing)}"
    assert len(t.model.snapshot()) > 200
    # The deterministic crash points guarantee these, whatever the random kills hit.
    assert stats["point"] >= runs // 5 and stats["left_pending"] >= runs // 10, stats
    assert stats["rollback_interrupted"] >= 3, stats
    print(f"crash loop ({store.kind}): {stats}")


# --------------------------------------------------------------------------------------------
# Two writers
# --------------------------------------------------------------------------------------------

def wait_for(predicate, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def small_table(lake, tmp_path, store=None) -> CrashTable:
    t = CrashTable(lake, store.location(tmp_path, "t") if store else tmp_path / "t", tmp_path, store)
    lake = t.lake
    rows = [{"id": f"a{i}", "ts": 1, "region": REGIONS[i % 3], "v": i} for i in range(30)]
    result = json.loads(lake("upsert", "--table", t.path, "--input", t.input_file(rows), "--json").stdout)
    t.model.apply("upsert", rows, result["instant"])
    return t


def test_second_writer_conflicts_or_waits_and_readers_never_block(lake, tmp_path):
    t = small_table(lake, tmp_path)
    lock = t.path / ".hoodie" / "lake" / "writer.lock"
    rows_a = [{"id": f"a{i}", "ts": 2, "region": "eu", "v": -i} for i in range(10)]
    a = t.start(["upsert", "--table", t.path, "--input", t.input_file(rows_a), "--json"], crash_at="commit-data:pause=2500")
    try:
        wait_for(lambda: t.pending(), "the first writer to start its commit")
        assert lock.is_file()
        # A second writer: exit 75, naming the owner.
        rows_b = [{"id": "b1", "ts": 3, "region": "us", "v": 1}]
        b_input = t.input_file(rows_b)
        proc = lake("upsert", "--table", t.path, "--input", b_input, check=False)
        assert proc.returncode == 75, f"exit {proc.returncode}: {proc.stderr}"
        assert f"pid {a.pid}" in proc.stderr, proc.stderr
        # Readers never block, and see the last completed commit.
        t.check_reads("while another writer holds the lock")
        # With --wait the second writer goes after the first.
        b = lake("upsert", "--table", t.path, "--input", b_input, "--json", "--wait", "60s")
    finally:
        out, err = a.communicate(timeout=LAKE_TIMEOUT)
    assert a.returncode == 0, err
    first, second = json.loads(out)["instant"], json.loads(b.stdout)["instant"]
    assert first < second
    t.model.apply("upsert", rows_a, first)
    t.model.apply("upsert", rows_b, second)
    t.check_reads("after both writers")
    t.check_clean("after both writers")
    assert not lock.exists()


def test_lock_of_a_killed_writer_is_taken_over(store, tmp_path):
    t = small_table(None, tmp_path, store)
    lake = t.lake
    a = t.start(["upsert", "--table", t.path, "--input", t.input_file([{"id": "x", "ts": 5, "region": "eu", "v": 0}])],
                crash_at="commit-data:pause=30000")
    wait_for(lambda: t.pending(), "the first writer to start its commit")
    a.send_signal(signal.SIGKILL)
    a.communicate(timeout=LAKE_TIMEOUT)
    pending = t.pending()
    assert t.exists(".hoodie/lake/writer.lock")
    rows = [{"id": "y", "ts": 6, "region": "us", "v": 1}]
    result = json.loads(lake("upsert", "--table", t.path, "--input", t.input_file(rows), "--json").stdout)
    t.model.apply("upsert", rows, result["instant"])
    t.check_reads("after taking over")
    t.check_clean("after taking over")
    assert set(pending) <= t.rolled_back()


def test_unreadable_lock_left_by_a_crash(lake, tmp_path):
    t = small_table(lake, tmp_path)
    lock = t.path / ".hoodie" / "lake" / "writer.lock"
    lock.write_bytes(b"")
    rows = [{"id": "z", "ts": 7, "region": "ap", "v": 2}]
    proc = lake("upsert", "--table", t.path, "--input", t.input_file(rows), check=False)
    assert proc.returncode == 75 and "unreadable lock file" in proc.stderr, proc.stderr
    old = time.time() - 3600
    os.utime(lock, (old, old))
    result = json.loads(lake("upsert", "--table", t.path, "--input", t.input_file(rows), "--json").stdout)
    t.model.apply("upsert", rows, result["instant"])
    t.check_reads("after an unreadable lock")


# --------------------------------------------------------------------------------------------
# Rollback of the latest commit, savepoints, restore
# --------------------------------------------------------------------------------------------

def history_table(lake, tmp_path, store=None) -> tuple[CrashTable, list[tuple[str, m.TableModel, list[dict]]]]:
    """Five commits; returns the table and, per commit, (instant, model then, hudi-rs as of it)."""
    rng = random.Random(SEED + 1)
    t = CrashTable(lake, store.location(tmp_path, "t") if store else tmp_path / "t", tmp_path, store)
    lake = t.lake
    fresh = [0]
    history = []
    for i in range(5):
        op = "delete" if i == 3 else "upsert"
        rows = random_batch(rng, t.model, op, i + 1, fresh)
        result = json.loads(lake(op, "--table", t.path, "--input", t.input_file(rows), "--json").stdout)
        t.model.apply(op, rows, result["instant"])
        history.append((result["instant"], t.model.copy()))
    return t, [(i, mdl, h.as_of(t.path, i)) for i, mdl in history]


def test_rollback_of_the_latest_commit(lake, tmp_path):
    t, history = history_table(lake, tmp_path)
    latest, previous = history[-1][0], history[-2]
    proc = lake("rollback", "--table", t.path, "--instant", history[1][0], check=False)
    assert proc.returncode == 64 and "not the latest completed commit" in proc.stderr, proc.stderr
    done = json.loads(lake("rollback", "--table", t.path, "--instant", latest, "--json").stdout)["rolled_back"]
    assert [d["instant"] for d in done] == [latest] and done[0]["was_completed"]
    assert h.snapshot(t.path) == previous[2]
    t.model = previous[1].copy()
    t.check_reads("after undoing the latest commit")
    t.check_clean("after undoing the latest commit")
    assert t.completed_writes() == [i for i, _, _ in history[:-1]]


def test_savepoint_and_restore_match_hudi_as_of(lake, tmp_path):
    t, history = history_table(lake, tmp_path)
    target = history[1]
    created = json.loads(lake("savepoint", "create", "--table", t.path, "--instant", target[0], "--json").stdout)
    assert created["instant"] == target[0] and created["files"] > 0
    lake("savepoint", "create", "--table", t.path, "--instant", history[3][0])
    listed = json.loads(lake("savepoint", "list", "--table", t.path, "--json").stdout)["savepoints"]
    assert [x["instant"] for x in listed] == [target[0], history[3][0]]
    assert (t.path / ".hoodie" / f"{target[0]}.savepoint").is_file()
    # hudi-rs is not disturbed by savepoint instants.
    assert h.snapshot(t.path) == history[-1][2]

    result = json.loads(lake("restore", "--table", t.path, "--to", target[0], "--json").stdout)
    assert [r["instant"] for r in result["rolled_back"]] == [i for i, _, _ in reversed(history[2:])]
    assert result["savepoints_deleted"] == [history[3][0]]
    assert h.snapshot(t.path) == target[2], "hudi-rs after restore vs hudi-rs as of the savepoint before"
    t.model = target[1].copy()
    t.check_reads("after restore")
    t.check_clean("after restore")
    assert (t.path / ".hoodie" / f"{result['restore_instant']}.restore").is_file()
    lake("savepoint", "delete", "--table", t.path, "--instant", target[0])
    assert "no savepoints" in lake("savepoint", "list", "--table", t.path).stdout


@pytest.mark.parametrize("point", RESTORE_POINTS)
def test_crash_during_restore_is_finished_by_the_next_writer(store, tmp_path, point):
    t, history = history_table(None, tmp_path, store)
    lake = t.lake
    target = history[1]
    lake("savepoint", "create", "--table", t.path, "--instant", target[0])
    rc, _, err, _ = t.run(["restore", "--table", t.path, "--to", target[0]], crash_at=point)
    assert rc == -signal.SIGKILL, f"LAKE_CRASH_AT={point}: exit {rc}: {err}"
    # A reader sees one of the table's past snapshots, never a mix.
    now = h.snapshot(t.path)
    assert any(now == past for _, _, past in history), f"after a crash at {point}: not a past snapshot"
    rows = [{"id": "fresh", "ts": 99, "region": "eu", "v": 0}]
    result = json.loads(lake("upsert", "--table", t.path, "--input", t.input_file(rows), "--json").stdout)
    t.model = target[1].copy()
    t.model.apply("upsert", rows, result["instant"])
    t.check_reads(f"after a crash at {point} and the next write")
    t.check_clean(f"after a crash at {point} and the next write")
    assert t.completed_writes() == [history[0][0], target[0], result["instant"]]
