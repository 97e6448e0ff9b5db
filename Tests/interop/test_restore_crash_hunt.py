"""The restore/rollback crash hunt (issue 10): a long randomized loop over `lake restore` and
`lake rollback --instant`, killed at random moments and at the named crash points, on a table the
cleaner keeps short (`cleaner.commits.retained=2`), with partition moves, deletes and late events.

After every round:
* straight after the (maybe killed) command: `lake query` reads exactly the model's snapshot as of
  the latest completed commit — or refuses with exit 65 naming a missing base file, when the
  state a killed restore left is a snapshot the cleaner already thinned (the commits between the
  savepoint and now); it never returns a duplicated key. hudi-rs is read too, and every time it
  returns duplicated keys or rows differing from that snapshot is counted (it builds snapshots from
  the listing and cannot tell);
* after the next writer (`lake rollback`, which finishes an interrupted restore or rollback):
  hudi-rs and `lake query` both equal the model exactly — no duplicate, no lost or resurrected row.

The bounded version runs in the suite (`LAKE_HUNT_ROUNDS`, default 200); a long hunt is the same
test with more rounds and another seed, and `LAKE_HUNT_TOLERATE=1` counts what lake serves wrongly
instead of stopping at the first (to measure an older build):

    LAKE_HUNT_ROUNDS=5000 LAKE_HUNT_SEED=7 .venv/bin/pytest Tests/interop/test_restore_crash_hunt.py -s
"""
from __future__ import annotations

import collections
import json
import os
import pathlib
import random
import signal
import subprocess
import time

import hudi_read as h
import model as m
import scenarios as s
from conftest import LAKE_TIMEOUT, lake_bin

ROUNDS = int(os.environ.get("LAKE_HUNT_ROUNDS", "200"))
SEED = int(os.environ.get("LAKE_HUNT_SEED", "20261207"))
#: Count what lake serves wrongly instead of failing at once (for hunting with older builds).
TOLERATE = os.environ.get("LAKE_HUNT_TOLERATE") == "1"

RESTORE_POINTS = ["recovery-start", "restore-requested", "restore-inflight", "rollback-unpublished", "rollback-data",
                  "rollback-index", "rollback-instants", "restore-undone", "restore-savepoints", "restore-completed"]
ROLLBACK_POINTS = ["recovery-start", "rollback-requested", "rollback-inflight", "rollback-unpublished",
                   "rollback-data", "rollback-index", "rollback-instants", "rollback-completed"]
COLUMNS = [s.Column("id", "string", required=True), s.Column("ts", "int64"), s.Column("region", "string"),
           s.Column("v", "int64")]
REGIONS = ["eu", "us", "ap", "sa"]


class Hunt:
    def __init__(self, lake, path: pathlib.Path, scratch: pathlib.Path, seed: int):
        self.lake = lake
        self.path = path
        self.scratch = scratch
        self.rng = random.Random(seed)
        self.binary = lake_bin()
        self.inputs = 0
        self.ts = 10
        self.fresh = 0
        lake("create", "--table", path, "--key", "id", "--precombine", "ts", "--partition-by", "region",
             "--schema", s.message_type(COLUMNS), "--set", "cleaner.commits.retained=2")
        self.model = m.TableModel([c.name for c in COLUMNS], ["id"], "ts", ["region"], url_encode=False)
        #: completed commit -> the model right after it
        self.at: dict[str, m.TableModel] = {}
        self.stats = collections.Counter()
        self.durations = {"restore": [0.05], "rollback": [0.05]}

    # -- the table as it is on disk ----------------------------------------------------------
    def instants(self) -> list[tuple[str, str, str]]:
        return h.instant_files(self.path)

    def completed(self) -> list[str]:
        return [t for t, a, st in self.instants() if st == "completed" and a in ("commit", "replacecommit")]

    def savepoints(self) -> list[str]:
        return [t for t, a, st in self.instants() if st == "completed" and a == "savepoint"]

    def pending(self) -> list[tuple[str, str]]:
        by: dict[tuple[str, str], set] = {}
        for t, a, st in self.instants():
            by.setdefault((t, a), set()).add(st)
        return sorted(k for k, states in by.items() if "completed" not in states)

    # -- writing ------------------------------------------------------------------------------
    def batch(self, op: str) -> list[dict]:
        rng = self.rng
        live = sorted(r["id"] for r in self.model.snapshot())
        self.ts += 1
        if op == "delete":
            return [{"id": k, "ts": self.ts} for k in rng.sample(live, min(len(live), rng.randint(2, 8)))]
        rows = []
        for k in rng.sample(live, min(len(live), rng.randint(3, 12))):   # updates, most of them moves
            rows.append({"id": k, "ts": self.ts, "region": rng.choice(REGIONS), "v": rng.randint(0, 999)})
        for _ in range(rng.randint(2, 8)):
            self.fresh += 1
            rows.append({"id": f"k{self.fresh:05d}", "ts": self.ts, "region": rng.choice(REGIONS), "v": self.fresh})
        deleted = sorted(self.model.tombstones)
        for k in rng.sample(deleted, min(len(deleted), rng.randint(0, 2))):   # late events of deleted keys
            rows.append({"id": k, "ts": 1, "region": rng.choice(REGIONS), "v": -1})
        rng.shuffle(rows)
        return rows

    def write(self, op: str) -> None:
        rows = self.batch(op)
        self.inputs += 1
        f = self.scratch / f"in-{self.inputs:05d}.jsonl"
        f.write_text(s.to_jsonl(rows), encoding="utf-8")
        result = json.loads(self.lake(op, "--table", self.path, "--input", f, "--json").stdout)
        self.model.apply(op, rows, result["instant"])
        self.at[result["instant"]] = self.model.copy()

    def run(self, args: list, crash_at: str | None, kill_after: float | None) -> tuple[int, str, float]:
        env = dict(os.environ)
        env.pop("LAKE_CRASH_AT", None)
        if crash_at:
            env["LAKE_CRASH_AT"] = crash_at
        started = time.monotonic()
        p = subprocess.Popen([self.binary, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
        if kill_after is not None:
            try:
                p.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
        _, err = p.communicate(timeout=LAKE_TIMEOUT)
        return p.returncode, err, time.monotonic() - started

    # -- checks ---------------------------------------------------------------------------------
    def expected(self) -> list[dict]:
        done = self.completed()
        return self.at[done[-1]].snapshot() if done else []

    def lake_rows(self, check: bool = True):
        proc = self.lake("query", "--table", self.path, "--meta", "--format", "jsonl", check=check)
        if proc.returncode != 0:
            return proc
        rows = s.parse_jsonl(proc.stdout, "lake query")
        rows.sort(key=lambda r: r[h.KEY])
        return rows

    @staticmethod
    def duplicates(rows: list[dict]) -> list[str]:
        return sorted(k for k, n in collections.Counter(r[h.KEY] for r in rows).items() if n > 1)

    def check_after_kill(self, where: str) -> None:
        """What readers see in whatever state the command left."""
        expected = self.expected()
        got = self.lake_rows(check=False)
        if isinstance(got, subprocess.CompletedProcess):
            assert got.returncode == 65 and "is missing" in got.stderr and "cannot be served" in got.stderr, \
                f"{where}: lake query exited {got.returncode}: {got.stderr}"
            assert self.pending(), f"{where}: lake refused a table with nothing pending: {got.stderr}"
            self.stats["lake refused a thinned snapshot"] += 1
        else:
            dups = self.duplicates(got)
            diff = h.diff_rows(expected, got, [*s.META3, *self.model.columns])
            if TOLERATE and (dups or diff):
                self.stats["lake served duplicated keys" if dups else "lake served another snapshot"] += 1
                if dups:
                    print(f"{where}: lake served {len(got)} rows, {len(got) - len(dups)} keys; duplicated {dups[:5]}")
            else:
                assert not dups, f"{where}: lake query returned duplicated keys {dups[:10]} ({len(got)} rows)"
                s._fail_if(diff, f"{where}: lake query vs model")
        hudi_rows = h.snapshot(self.path)
        if self.duplicates(hudi_rows):
            self.stats["hudi-rs saw duplicated keys"] += 1
        elif h.diff_rows(expected, hudi_rows, [*s.META3, *self.model.columns]):
            self.stats["hudi-rs saw another snapshot"] += 1

    def check_exact(self, where: str) -> None:
        """After recovery: nothing pending, and both readers read exactly the model."""
        assert not self.pending(), f"{where}: still pending after recovery: {self.pending()}"
        expected = self.expected()
        hudi_rows = h.snapshot(self.path)
        dups = self.duplicates(hudi_rows)
        assert not dups, f"{where}: hudi-rs reads duplicated keys {dups[:10]} ({len(hudi_rows)} rows)"
        s._fail_if(h.diff_rows(expected, hudi_rows, [*s.META3, *self.model.columns]), f"{where}: hudi-rs vs model")
        s._fail_if(h.diff_rows(hudi_rows, self.lake_rows()), f"{where}: lake query vs hudi-rs")

    # -- one round ---------------------------------------------------------------------------------
    def kill_plan(self, op: str) -> tuple[str | None, float | None]:
        mode = self.rng.random()
        if mode < 0.35:
            return self.rng.choice(RESTORE_POINTS if op == "restore" else ROLLBACK_POINTS), None
        if mode < 0.85:
            typical = sorted(self.durations[op])[len(self.durations[op]) // 2]
            return None, self.rng.uniform(0.0, typical * 1.2)
        return None, None

    def round(self, n: int) -> None:
        rng = self.rng
        for _ in range(rng.randint(0, 1)):
            self.write("delete" if rng.random() < 0.25 else "upsert")
        done = self.completed()
        if rng.random() < 0.3 or not self.savepoints():
            candidates = [c for c in done[-2:] if c not in self.savepoints()]
            if candidates:
                # The commit before the latest may be outside retention after a restore (exit 66).
                proc = self.lake("savepoint", "create", "--table", self.path, "--instant", rng.choice(candidates),
                                 check=False)
                assert proc.returncode in (0, 66), proc.stderr
        for _ in range(rng.randint(1, 2)):
            self.write("delete" if rng.random() < 0.25 else "upsert")
        savepoints = [sp for sp in self.savepoints() if sp in self.at]
        latest = self.completed()[-1]
        if savepoints and rng.random() < 0.7:
            op, target = "restore", rng.choice(savepoints)
            args = ["restore", "--table", self.path, "--to", target]
        elif latest not in self.savepoints():
            op, target = "rollback", latest
            args = ["rollback", "--table", self.path, "--instant", latest]
        else:
            return
        crash_at, kill_after = self.kill_plan(op)
        rc, err, took = self.run(args, crash_at, kill_after)
        where = (f"round {n} ({op} to {target}, "
                 + (f"LAKE_CRASH_AT={crash_at}" if crash_at else f"kill after {kill_after:.3f}s" if kill_after is not None
                    else "no kill") + ")")
        killed = rc == -signal.SIGKILL
        if killed:
            self.stats[f"{op} killed"] += 1
        else:
            assert rc == 0, f"{where}: exit {rc}: {err}"
            self.durations[op].append(took)
            self.stats[f"{op} completed"] += 1
        if killed:
            self.check_after_kill(where)
            self.lake("rollback", "--table", self.path)   # the next writer finishes what was interrupted
        self.model = self.at[self.completed()[-1]].copy()
        self.check_exact(where + ", after recovery")
        if op == "restore" and self.completed()[-1] == target:
            assert not [sp for sp in self.savepoints() if sp > target], f"{where}: later savepoints remain"


def test_restore_and_rollback_crash_hunt(lake, tmp_path):
    hunt = Hunt(lake, tmp_path / "t", tmp_path, SEED)
    first = [{"id": f"k{i:05d}", "ts": 1, "region": REGIONS[i % len(REGIONS)], "v": i} for i in range(120)]
    hunt.fresh = 200
    f = tmp_path / "first.jsonl"
    f.write_text(s.to_jsonl(first), encoding="utf-8")
    result = json.loads(lake("upsert", "--table", hunt.path, "--input", f, "--json").stdout)
    hunt.model.apply("upsert", first, result["instant"])
    hunt.at[result["instant"]] = hunt.model.copy()
    for n in range(1, ROUNDS + 1):
        hunt.round(n)
    print(f"crash hunt, seed {SEED}, {ROUNDS} rounds: {dict(sorted(hunt.stats.items()))}")
    assert hunt.stats["restore killed"] >= ROUNDS // 10 and hunt.stats["rollback killed"] >= ROUNDS // 20, hunt.stats
