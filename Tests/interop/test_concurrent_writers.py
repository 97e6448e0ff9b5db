"""Several writers at once, as separate `lake` processes, under optimistic concurrency
(`hoodie.write.concurrency.mode=OPTIMISTIC_CONCURRENCY_CONTROL`), checked with hudi-rs and a model.

* 4 processes x 20 commits on disjoint partitions: every commit lands, the table equals the
  model, hudi-rs reads it.
* 4 processes upserting overlapping keys with `--retries`: the table equals the serial
  application of the commits that landed, in their instant order (each landed commit's instant
  comes from its `--json` summary and is on the timeline), no key appears twice, and every
  refused write exits 75 saying which commit it conflicted with.
* two writers inserting the same new keys at once (in different partitions, so different file
  groups): never a duplicate key.
* a writer SIGKILLed mid-write among live ones: its instant stays pending while its heartbeat is
  live (the live writers' commits land around it), and is rolled back by the first writer that
  starts after the heartbeat expired; nothing the live writers committed is touched.
* the writer lock of another host: refused while its holder renews it, taken over once its lease
  (the heartbeat expiry) ran out — no manual removal; lake renews the lock it holds.

Every test runs twice, through the `store` fixture (conftest.py): the table on local disk, and on
the local S3 server (SeaweedFS), where every writer is a process talking to the server.
"""
from __future__ import annotations

import json
import os
import pathlib
import random
import subprocess
import threading
import time

import hudi_read as h
from conftest import LAKE_TIMEOUT, lake_bin

OCC = "hoodie.write.concurrency.mode=OPTIMISTIC_CONCURRENCY_CONTROL"


def create(store, path, *settings: str) -> None:
    args = ["create", "--table", path, "--key", "id", "--precombine", "ts", "--partition-by", "region", "--set", OCC]
    for s in settings:
        args += ["--set", s]
    store.lake()(*args)


def write_rows(path: pathlib.Path, rows: list[dict]) -> pathlib.Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def run_lake(store, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([lake_bin(), *map(str, args)], capture_output=True, text=True, timeout=LAKE_TIMEOUT,
                          env={**store.env(), **(env or {})})


def in_parallel(workers: int, body) -> list:
    """Runs body(w) for w in range(workers) on threads (each starts lake processes); their results."""
    results: list = [None] * workers
    errors: list = []

    def run(w):
        try:
            results[w] = body(w)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def by_key(rows: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in rows:
        k = r["id"]
        assert k not in out, f"key {k} appears twice"
        out[k] = r
    return out


def completed_commits(path) -> list[str]:
    return sorted(t for t, action in h.completed_instants(path) if action in ("commit", "replacecommit"))


def timeline_names(store, path) -> list[str]:
    """Names of the files directly in `.hoodie/`."""
    return [rel.removeprefix(".hoodie/") for rel in store.files(path)
            if rel.startswith(".hoodie/") and rel.count("/") == 1]


def pending_instants(store, path) -> list[str]:
    """The instant files of instants that have no completed file (requested/inflight only)."""
    files: dict[str, list[str]] = {}
    for name in timeline_names(store, path):
        if name[:17].isdigit() and name[17:18] == ".":
            files.setdefault(name[:17], []).append(name)
    pending = []
    for names in files.values():
        if all(n.endswith(".requested") or n.endswith(".inflight") for n in names):
            pending += names
    return sorted(pending)


def test_disjoint_partitions_all_land(store, tmp_path):
    table = store.location(tmp_path, "t")
    create(store, table)
    store.lake()("upsert", "--table", table, "--input", write_rows(tmp_path / "seed.jsonl",
                                                             [{"id": "seed", "ts": 0, "region": "seed", "v": 0}]))
    writers, commits = 4, 20

    def writer(w):
        landed = []
        for c in range(commits):
            rows = [{"id": f"w{w}-c{c}-{i}", "ts": c, "region": f"p{w}", "v": w * 1000 + c} for i in range(3)]
            if c:  # also update a row of the previous commit, in the same partition
                rows.append({"id": f"w{w}-c{c - 1}-0", "ts": c, "region": f"p{w}", "v": -c})
            f = write_rows(tmp_path / f"w{w}-{c}.jsonl", rows)
            p = run_lake(store, "upsert", "--table", table, "--input", f, "--json")
            assert p.returncode == 0, f"writer {w} commit {c} exited {p.returncode}: {p.stderr}"
            landed.append(json.loads(p.stdout)["instant"])
        return landed

    landed = [i for ws in in_parallel(writers, writer) for i in ws]
    assert len(set(landed)) == writers * commits
    active = completed_commits(table)
    assert all(i in active or i < active[0] for i in landed), "a landed commit is neither active nor archived"
    model = {"seed": 0}
    for w in range(writers):
        for c in range(commits):
            for i in range(3):
                model[f"w{w}-c{c}-{i}"] = w * 1000 + c
            if c:
                model[f"w{w}-c{c - 1}-0"] = -c
    rows = by_key(h.snapshot(table))
    assert {k: r["v"] for k, r in rows.items()} == model
    assert pending_instants(store, table) == []


def test_overlapping_upserts_with_retries_are_serial(store, tmp_path):
    table = store.location(tmp_path, "t")
    create(store, table)
    keys = [f"k{i}" for i in range(12)]
    store.lake()("upsert", "--table", table, "--input",
         write_rows(tmp_path / "seed.jsonl", [{"id": k, "ts": 0, "region": "r", "v": 0} for k in keys]))
    writers, commits = 4, 6

    def writer(w):
        rnd = random.Random(7000 + w)
        out = []
        for c in range(commits):
            rows = [{"id": k, "ts": 1, "region": "r", "v": w * 100 + c} for k in rnd.sample(keys, 4)]
            f = write_rows(tmp_path / f"w{w}-{c}.jsonl", rows)
            p = run_lake(store, "upsert", "--table", table, "--input", f, "--json", "--retries", "3")
            if p.returncode == 0:
                out.append(("landed", json.loads(p.stdout)["instant"], rows))
            else:
                out.append(("refused", p.returncode, p.stderr))
        return out

    outcomes = [o for ws in in_parallel(writers, writer) for o in ws]
    landed = sorted((o[1], o[2]) for o in outcomes if o[0] == "landed")
    refused = [o for o in outcomes if o[0] == "refused"]
    for _, code, stderr in refused:
        assert code == 75, stderr
        assert "conflicts with commit" in stderr and "gave up after 3 retries" in stderr, stderr
    assert landed, "no write landed"
    # Every landed commit is on the timeline; the serial application in instant order is the table.
    timeline = completed_commits(table)
    assert all(i in timeline for i, _ in landed), (landed, timeline)
    model = {k: 0 for k in keys}
    for _, rows in landed:
        for r in rows:
            model[r["id"]] = r["v"]
    rows = by_key(h.snapshot(table))
    assert {k: r["v"] for k, r in rows.items()} == model
    # The commit that last wrote each key is the one hudi-rs names in _hoodie_commit_time.
    last_writer = {}
    for instant, rs in landed:
        for r in rs:
            last_writer[r["id"]] = instant
    for k, instant in last_writer.items():
        assert rows[k]["_hoodie_commit_time"] == instant, k
    assert pending_instants(store, table) == []


def test_same_new_keys_never_duplicate(store, tmp_path):
    table = store.location(tmp_path, "t")
    create(store, table)
    store.lake()("upsert", "--table", table, "--input",
         write_rows(tmp_path / "seed.jsonl", [{"id": "seed", "ts": 0, "region": "a", "v": 0}]))
    refused = 0
    for round_ in range(4):
        def writer(w, round_=round_):
            rows = [{"id": f"n{round_}-{i}", "ts": 1, "region": "ab"[w], "v": w} for i in range(20)]
            f = write_rows(tmp_path / f"r{round_}-w{w}.jsonl", rows)
            return run_lake(store, "insert", "--table", table, "--input", f)

        for p in in_parallel(2, writer):
            if p.returncode != 0:
                refused += 1
                assert p.returncode == 75 and "conflicts with commit" in p.stderr, p.stderr
        rows = by_key(h.snapshot(table))  # fails on a duplicate key
        assert all(f"n{round_}-{i}" in rows for i in range(20))
    assert pending_instants(store, table) == []


def test_killed_writer_rolled_back_only_after_heartbeat_expired(store, tmp_path):
    table = store.location(tmp_path, "t")
    interval_ms, misses = 2000, 3
    create(store, table, f"hoodie.client.heartbeat.interval_in_ms={interval_ms}",
           f"hoodie.client.heartbeat.tolerable.misses={misses}")
    lake = store.lake()
    lake("upsert", "--table", table, "--input",
         write_rows(tmp_path / "seed.jsonl", [{"id": "seed", "ts": 0, "region": "live", "v": 0}]))
    # The victim dies with SIGKILL after writing its data files, its heartbeat left behind.
    victim = run_lake(store, "upsert", "--table", table, "--input",
                      write_rows(tmp_path / "victim.jsonl", [{"id": "victim", "ts": 1, "region": "dead", "v": 1}]),
                      env={"LAKE_CRASH_AT": "commit-data"})
    killed_at = time.time()
    assert victim.returncode == -9, victim.stderr
    dead = pending_instants(store, table)
    assert len(dead) == 2 and len({n[:17] for n in dead}) == 1, dead  # requested + inflight
    dead_instant = dead[0].split(".")[0]
    assert store.exists(table, f".hoodie/.heartbeat/{dead_instant}")

    # Live writers meanwhile: they land, and leave the dead instant alone.
    def live(w):
        f = write_rows(tmp_path / f"live{w}.jsonl", [{"id": f"live{w}", "ts": 1, "region": f"l{w}", "v": w}])
        return run_lake(store, "upsert", "--table", table, "--input", f, "--json")

    for p in in_parallel(2, live):
        assert p.returncode == 0, p.stderr
    assert time.time() - killed_at < interval_ms * misses / 1000, "too slow to observe the live heartbeat"
    assert any(n.startswith(dead_instant) for n in pending_instants(store, table))

    # Once the heartbeat expired, the next writer rolls the dead write back.
    time.sleep(max(0.0, interval_ms * misses / 1000 + 0.5 - (time.time() - killed_at)))
    lake("upsert", "--table", table, "--input",
         write_rows(tmp_path / "after.jsonl", [{"id": "after", "ts": 1, "region": "live", "v": 9}]))
    assert pending_instants(store, table) == []
    rollbacks = [json.loads(store.read(table, f".hoodie/{n}")) for n in timeline_names(store, table)
                 if n.endswith(".rollback")]
    assert any(dead_instant in r.get("commitsRollback", []) for r in rollbacks), rollbacks
    assert not store.exists(table, f".hoodie/.heartbeat/{dead_instant}")
    rows = by_key(h.snapshot(table))
    assert sorted(rows) == ["after", "live0", "live1", "seed"]
    dead_files = [rel for rel in store.files(table) if rel.startswith("region=dead/") and rel.endswith(".parquet")]
    assert not dead_files, "the dead write's data files are gone"


def test_refused_write_exits_75_naming_the_commit(store, tmp_path):
    table = store.location(tmp_path, "t")
    create(store, table)
    store.lake()("upsert", "--table", table, "--input",
         write_rows(tmp_path / "seed.jsonl", [{"id": "k", "ts": 0, "region": "r", "v": 0}]))
    # The slow writer pauses after writing its data files, before its conflict check.
    slow = subprocess.Popen([lake_bin(), "upsert", "--table", str(table), "--input",
                             str(write_rows(tmp_path / "slow.jsonl", [{"id": "k", "ts": 1, "region": "r", "v": 1}]))],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**store.env(), "LAKE_CRASH_AT": "commit-data:pause=3000"})
    try:
        deadline = time.time() + 30
        while not pending_instants(store, table):
            assert time.time() < deadline and slow.poll() is None, "the slow writer did not start"
            time.sleep(0.05)
        fast = run_lake(store, "upsert", "--table", table, "--json", "--input",
                        write_rows(tmp_path / "fast.jsonl", [{"id": "k", "ts": 1, "region": "r", "v": 2}]))
        assert fast.returncode == 0, fast.stderr
        winner = json.loads(fast.stdout)["instant"]
        _, stderr = slow.communicate(timeout=LAKE_TIMEOUT)
    finally:
        if slow.poll() is None:
            slow.kill()
    assert slow.returncode == 75, stderr
    assert f"conflicts with commit {winner}" in stderr and "file group region=r/" in stderr, stderr
    assert "--retries" in stderr, stderr
    assert by_key(h.snapshot(table))["k"]["v"] == 2
    assert pending_instants(store, table) == []


def foreign_lock(pid: int = 4242) -> bytes:
    """A writer lock held by a process on another host (lake cannot check that process)."""
    return f"pid={pid}\nhost=elsewhere.example\nstart=\nsince={int(time.time() * 1000)}\ntoken=f00d\n".encode()


def test_lock_of_another_host_is_taken_over_once_its_lease_expired(store, tmp_path):
    """A writer on another host that died holding the lock: while its lease is renewed, writers are
    refused (exit 75, saying when the lock would be taken over); once it has not been renewed for
    the heartbeat expiry, the next writer takes it over — nobody removes the file by hand."""
    table = store.location(tmp_path, "t")
    interval_ms, misses = 500, 4   # expiry 2 s (S3 modification times have whole seconds)
    store.lake()("create", "--table", table, "--key", "id", "--precombine", "ts", "--partition-by", "region",
                 "--set", f"hoodie.client.heartbeat.interval_in_ms={interval_ms}",
                 "--set", f"hoodie.client.heartbeat.tolerable.misses={misses}")
    rows = write_rows(tmp_path / "rows.jsonl", [{"id": "a", "ts": 1, "region": "r", "v": 1}])
    lock = ".hoodie/lake/writer.lock"
    held = foreign_lock()
    stop = threading.Event()

    def renew():   # the remote writer, alive: rewrites its lock every interval
        while not stop.wait(interval_ms / 1000):
            store.write(table, lock, held)

    store.write(table, lock, held)
    renewer = threading.Thread(target=renew)
    renewer.start()
    try:
        deadline = time.time() + (interval_ms * misses) / 1000 * 2
        refusals = 0
        while time.time() < deadline:   # well past the expiry: a renewed lock is never taken
            p = run_lake(store, "upsert", "--table", table, "--input", rows)
            assert p.returncode == 75, f"a renewed lock was not respected: exit {p.returncode}: {p.stderr}"
            assert "host elsewhere.example" in p.stderr and "taken over once its holder" in p.stderr, p.stderr
            refusals += 1
            time.sleep(0.3)
        assert refusals >= 2
    finally:
        stop.set()
        renewer.join()
    assert store.read(table, lock) == held
    # The remote writer is gone: the lock is taken over once the lease expired (--wait covers it).
    p = run_lake(store, "upsert", "--table", table, "--input", rows, "--json", "--wait", "30s")
    assert p.returncode == 0, p.stderr
    assert not store.exists(table, lock)
    assert by_key(h.snapshot(table))["a"]["v"] == 1


def test_lake_renews_the_lock_it_holds(store, tmp_path):
    """A single writer holding the lock longer than the expiry keeps renewing it, so a writer on
    another host would not take it over: its modification time moves while the write runs."""
    table = store.location(tmp_path, "t")
    store.lake()("create", "--table", table, "--key", "id", "--precombine", "ts", "--partition-by", "region",
                 "--set", "hoodie.client.heartbeat.interval_in_ms=300",
                 "--set", "hoodie.client.heartbeat.tolerable.misses=2")
    rows = write_rows(tmp_path / "rows.jsonl", [{"id": "a", "ts": 1, "region": "r", "v": 1}])
    lock = ".hoodie/lake/writer.lock"
    slow = subprocess.Popen([lake_bin(), "upsert", "--table", str(table), "--input", str(rows)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**store.env(), "LAKE_CRASH_AT": "commit-data:pause=4000"})
    try:
        deadline = time.time() + 30
        while not store.exists(table, lock):
            assert time.time() < deadline and slow.poll() is None, "the writer did not take the lock"
            time.sleep(0.05)
        first = store.modified(table, lock)
        content = store.read(table, lock)
        time.sleep(2.5)
        assert slow.poll() is None, "the paused writer finished early"
        assert store.read(table, lock) == content, "the lock changed hands"
        assert store.modified(table, lock) >= first + 1.5, "the held lock was not renewed"
        _, stderr = slow.communicate(timeout=LAKE_TIMEOUT)
    finally:
        if slow.poll() is None:
            slow.kill()
            slow.wait()
    assert slow.returncode == 0, stderr
    assert not store.exists(table, lock)
