"""The cleaner and timeline archival (issue 4), checked with hudi-rs and the model.

* `test_keep_latest_two_commits_over_ten_commits`: a table with `lake.cleaner.commits.retained=2`
  (automatic cleaning) over ten commits (upserts and deletes). After every commit: the base files
  on disk are exactly those the reads as of the last two commits need plus the latest slice of
  every file group (worked out from the commits' write stats, not from the listing); hudi-rs and
  `lake query` read every commit inside the window exactly as the model had it; the incremental
  read of the window (hudi-rs and `lake query --since`) and `lake changes` are exact; lake reports
  the window's first commit as the earliest readable instant; hudi-rs reading outside the window
  is demonstrably partial, and lake refuses every such read (`--as-of`, `--since`, `changes`)
  with exit code 66, naming the earliest readable instant.
* `test_archival_does_not_change_what_hudi_rs_reads`: cleaning and archiving with keep-min 4 /
  keep-max 6 (an insert_overwrite among the commits); every hudi-rs read inside the window
  (snapshot, as-of, incremental, file slices) is the same before and after archival, and equals the
  model.
* `test_savepointed_commit_stays_readable_below_the_window`: a savepoint pins a commit's files;
  hudi-rs and lake read it exactly while older commits are refused.
"""
from __future__ import annotations

import json
import pathlib

import hudi_read
import model as m
import scenarios as s

COLUMNS = [s.Column("id", "string", required=True), s.Column("ts", "int64"), s.Column("name", "string"),
           s.Column("region", "string")]
DATA = [c.name for c in COLUMNS]
KEYS = [(f"k{i}", "eu" if i % 2 == 0 else "us") for i in range(20)]


class CleanedTable:
    """A lake table with `lake.*` settings, its model, the model's snapshot per commit, and a ledger
    of the slices every commit wrote (from the commit files, read right after each commit)."""

    def __init__(self, lake, tmp: pathlib.Path, settings: dict[str, str]):
        self.lake = lake
        self.path = tmp / "t"
        self.sc = s.Scenario(name="cleaner", columns=COLUMNS, key=["id"], precombine="ts", partition_by=["region"], steps=[])
        self.t = s.LakeTable(lake, self.path, tmp)
        self.t.create(self.sc)
        with open(self.path / ".hoodie" / "hoodie.properties", "a", encoding="utf-8") as f:
            for k, v in settings.items():
                f.write(f"lake.{k}={v}\n")
        self.model = self.sc.new_model()
        self.commits: list[str] = []
        self.history: dict[str, list[dict]] = {}
        self.slices: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.replaced_at: dict[tuple[str, str], str] = {}

    def write(self, op: str, rows: list[dict]) -> str:
        result = self.t.write(op, rows=rows)
        instant = result["instant"]
        self.model.apply(op, rows, instant)
        self.commits.append(instant)
        self.history[instant] = self.model.snapshot()
        hoodie = self.path / ".hoodie"
        meta_file = next(p for p in (hoodie / f"{instant}.commit", hoodie / f"{instant}.replacecommit") if p.exists())
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        for partition, stats in meta.get("partitionToWriteStats", {}).items():
            for st in stats:
                self.slices.setdefault((partition, st["fileId"]), []).append((instant, st["path"]))
        for partition, ids in (meta.get("partitionToReplaceFileIds") or {}).items():
            for fid in ids:
                self.replaced_at.setdefault((partition, fid), instant)
        return instant

    def needed(self, instant: str) -> set[str]:
        out = set()
        for g, lst in self.slices.items():
            if g in self.replaced_at and self.replaced_at[g] <= instant:
                continue
            older = [p for t, p in lst if t <= instant]
            if older:
                out.add(older[-1])
        return out

    def expected_files(self, retained: int) -> set[str]:
        out = set()
        for c in self.commits[-retained:]:
            out |= self.needed(c)
        for g, lst in self.slices.items():
            if g not in self.replaced_at:
                out.add(lst[-1][1])
        return out

    def files_on_disk(self) -> set[str]:
        return {str(p.relative_to(self.path)) for p in self.path.rglob("*.parquet") if ".hoodie" not in p.parts}

    def clean(self, *args: str) -> dict:
        return json.loads(self.lake("clean", "--table", self.path, "--json", *args).stdout)

    def lake_as_of(self, instant: str) -> list[dict]:
        return self.lake_rows("query", "--as-of", instant)

    def lake_rows(self, command: str, *args: str, key: str = hudi_read.KEY) -> list[dict]:
        out = self.lake(command, "--table", self.path, "--format", "jsonl", "--meta", *args).stdout
        return sorted(s.parse_jsonl(out, f"lake {command}"), key=lambda r: r[key])

    def changed_keys(self, start: str, end: str) -> set[str]:
        """Keys whose row differs between the model's snapshots at `start` and `end`."""
        before = {r[hudi_read.KEY]: r for r in self.history[start]}
        after = {r[hudi_read.KEY]: r for r in self.history[end]}
        return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def commit_rows(i: int) -> tuple[str, list[dict]]:
    """Commit i (1-based) of the ten: an insert of every key, then upserts touching both partitions,
    and deletes at commits 4 and 8."""
    if i == 1:
        return "upsert", [{"id": k, "ts": 1, "name": f"{k}@1", "region": r} for k, r in KEYS]
    if i % 4 == 0:
        k, r = KEYS[i]
        return "delete", [{"id": k, "ts": i, "region": r}]
    rows = [{"id": k, "ts": i, "name": f"{k}@{i}", "region": r} for j, (k, r) in enumerate(KEYS) if (j + i) % 3 == 0]
    rows.append({"id": f"new{i}", "ts": i, "name": f"new{i}", "region": "eu" if i % 2 == 0 else "us"})
    return "upsert", rows


def diff(expected: list[dict], actual: list[dict], what: str) -> None:
    d = hudi_read.diff_rows(expected, actual, [*s.META3, *DATA])
    assert d is None, f"{what}: {d}"


def test_keep_latest_two_commits_over_ten_commits(lake, tmp_path):
    t = CleanedTable(lake, tmp_path, {"cleaner.commits.retained": "2"})
    partial_seen = 0
    for i in range(1, 11):
        op, rows = commit_rows(i)
        t.write(op, rows)
        where = f"after commit {i}"
        window = t.commits[-2:]

        # Disk usage: exactly what the last two commits' reads and the latest slices need.
        assert t.files_on_disk() == t.expected_files(2), where

        # Snapshot: hudi-rs == lake == model.
        s.check_snapshot(t.path, t.model, t.t.query(), True, where)

        # Inside the window: time travel (hudi-rs and lake) and incremental (hudi-rs) are exact.
        for c in window:
            diff(t.history[c], hudi_read.as_of(t.path, c), f"{where}: hudi-rs as of {c}")
            diff(t.history[c], t.lake_as_of(c), f"{where}: lake query --as-of {c}")
        if len(window) == 2:
            expected = [r for r in t.model.snapshot() if r["_hoodie_commit_time"] == window[1]]
            diff(expected, hudi_read.incremental(t.path, window[0], window[1]), f"{where}: hudi-rs incremental {window}")

        if len(window) == 2:
            expected = [r for r in t.model.snapshot() if r["_hoodie_commit_time"] == window[1]]
            diff(expected, t.lake_rows("query", "--since", window[0]), f"{where}: lake query --since {window[0]}")
            changes = t.lake_rows("changes", "--since", window[0], key="_change_record_key")
            assert {c["_change_record_key"] for c in changes} == t.changed_keys(window[0], window[1]), where

        # The boundary lake reports, without changing anything.
        report = t.clean("--dry-run", "--no-archive")
        assert report["earliest_readable_instant"] == window[0], where
        assert report["deleted"]["files"] == 0, f"{where}: the automatic clean left work: {report}"

        # Outside the window hudi-rs silently loses rows; lake refuses, naming the boundary.
        for c in t.commits[:-2]:
            if hudi_read.diff_rows(t.history[c], hudi_read.as_of(t.path, c), [*s.META3, *DATA]) is not None:
                partial_seen += 1
            for args in (["query", "--as-of", c], ["query", "--since", c], ["changes", "--since", c]):
                proc = lake(args[0], "--table", t.path, *args[1:], check=False)
                assert proc.returncode == 66, f"{where}: lake {' '.join(args)} exited {proc.returncode}: {proc.stderr}"
                assert window[0] in proc.stderr, f"{where}: lake {' '.join(args)}: {proc.stderr}"
    assert partial_seen > 0, "no read outside the window was partial in hudi-rs: the test proves nothing"
    # Two file groups, two slices each.
    assert len(t.slices) == 2 and len(t.files_on_disk()) == 4
    cleans = sorted(p.name for p in (t.path / ".hoodie").glob("*.clean"))
    assert len(cleans) == 8, cleans
    last = json.loads((t.path / ".hoodie" / cleans[-1]).read_text(encoding="utf-8"))
    assert last["policy"] == "KEEP_LATEST_COMMITS" and last["retained"] == 2
    assert last["earliestReadableInstant"] == t.commits[-2]
    assert last["result"]["filesDeleted"] == len(last["filesToDelete"])


def hudi_reads(t: CleanedTable, window: list[str]) -> dict:
    """Every hudi-rs read inside `window` (and the snapshot), as comparable values."""
    out = {"snapshot": hudi_read.snapshot(t.path), "slices": hudi_read.file_slices(t.path)}
    for c in window:
        out[f"as_of {c}"] = hudi_read.as_of(t.path, c)
        out[f"slices {c}"] = hudi_read.file_slices(t.path, c)
    for a, b in zip(window, window[1:]):
        out[f"incremental ({a}, {b}]"] = hudi_read.incremental(t.path, a, b)
    out[f"incremental ({window[0]}, latest]"] = hudi_read.incremental(t.path, window[0])
    return out


def test_archival_does_not_change_what_hudi_rs_reads(lake, tmp_path):
    t = CleanedTable(lake, tmp_path, {"cleaner.commits.retained": "3", "cleaner.automatic": "false",
                                      "archive.automatic": "false", "archive.min.commits": "4",
                                      "archive.max.commits": "6"})
    archived = []
    for i in range(1, 13):
        if i == 3:
            t.write("insert_overwrite", [{"id": "over", "ts": 100, "name": "over", "region": "us"}])
        else:
            op, rows = commit_rows(i if i <= 10 else 2 + i % 3)
            t.write(op, [{**r, "ts": 100 + i} for r in rows])
        where = f"after commit {i}"
        cleaned = t.clean("--no-archive")
        window = t.commits[-3:]
        assert cleaned["earliest_readable_instant"] == window[0], where
        assert t.files_on_disk() == t.expected_files(3), where
        before = hudi_reads(t, window)
        report = t.clean()
        assert report["deleted"]["files"] == 0, where
        archived += report["archival"]["archived_commits"]
        after = hudi_reads(t, window)
        for k in before:
            assert before[k] == after[k], f"{where}: archival changed hudi-rs {k}"
        # And they are right.
        diff(t.model.snapshot(), after["snapshot"], f"{where}: hudi-rs snapshot")
        for c in window:
            diff(t.history[c], after[f"as_of {c}"], f"{where}: hudi-rs as of {c}")
        active = [ts for ts, _ in hudi_read.completed_instants(t.path)]
        assert active == [c for c in t.commits if c not in archived], where
        assert len(active) <= 6, where
    assert t.commits[2] in archived, "the insert_overwrite was never archived"
    names = {p.name for p in (t.path / ".hoodie" / "archived").iterdir()}
    for c in archived:
        assert f"{c}.commit" in names or f"{c}.replacecommit" in names


def test_savepointed_commit_stays_readable_below_the_window(lake, tmp_path):
    t = CleanedTable(lake, tmp_path, {"cleaner.commits.retained": "2"})
    t.write(*commit_rows(1))
    t.write(*commit_rows(2))
    sp = t.commits[-1]
    (t.path / ".hoodie" / f"{sp}.savepoint").write_text("{}", encoding="utf-8")
    for i in range(3, 7):
        t.write(*commit_rows(i))
    assert t.files_on_disk() == t.expected_files(2) | t.needed(sp)
    diff(t.history[sp], hudi_read.as_of(t.path, sp), f"hudi-rs as of savepoint {sp}")
    diff(t.history[sp], t.lake_as_of(sp), f"lake query --as-of savepoint {sp}")
    proc = lake("query", "--table", t.path, "--as-of", t.commits[0], check=False)
    assert proc.returncode == 66 and t.commits[-2] in proc.stderr, proc.stderr
