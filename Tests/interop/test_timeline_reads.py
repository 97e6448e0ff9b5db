"""Reads over the timeline: time travel, incremental and change-feed reads of every scenario.

For every scenario of scenarios.py (the hand-made ones and the random one), the table is written
through the `lake` CLI and the model is applied alongside, keeping the model's snapshot after every
commit. (The per-commit snapshot, file and write-result checks are test_table_interop.py's; this
file only writes.) Then, for every retained commit C (every completed commit at or after
`earliest_readable_instant` of `lake timeline --json`):

* as of C: hudi-rs == the model then (commit time, key, partition path, data), and
  `lake query --as-of C --meta` == hudi-rs (every column); for the latest commit also with C
  given as ISO-8601 and as epoch milliseconds, and for a time between two commits;
* incremental (previous, C], (beginning, C] and (C, latest]: hudi-rs == the model (the rows
  live at the end of the window whose commit time is in it) and `lake query --since --until
  --meta` == hudi-rs;
* change feed (previous, C]: `lake changes --meta` == the model's difference between its
  snapshots before and after C: inserts (keys written by C, absent before), updates (written by C,
  present before, with the before image), deletes (present before, absent after); and the
  feed over the whole history == the concatenation of the per-commit feeds;
* `lake timeline --json`: one completed instant per commit with its action and operation, and
  the files each commit wrote (count, rows, bytes) as the counts say.

The same checks run on tables cleaned down to two retained commits (`lake clean --retain-commits
2`), where every read before the retained window must also fail with exit 66 naming the earliest
readable instant. The same as-of, incremental and change-feed reads are compared with hudi-rs on the tables Java
Hudi wrote (../shared/fixtures), the change feed against hudi-rs's snapshots around each commit.

The CLI's argument errors and the retention boundary (reads before the earliest readable instant
fail with exit 66 and name it) are checked on a small table at the end.
"""
from __future__ import annotations

import datetime
import json
import pathlib

import pyarrow.parquet as pq
import pytest

import hudi_read as h
import model as m
import scenarios as s

EPOCH = "0"  # `--since 0`: the beginning of the table


# --------------------------------------------------------------------------------------------
# Writing a scenario (no per-commit checks) and reading it back
# --------------------------------------------------------------------------------------------

class History:
    """A scenario written through lake, with the model's snapshot after every commit."""

    def __init__(self, sc: s.Scenario, lake, workdir: pathlib.Path):
        self.sc = sc
        self.lake = lake
        self.path = workdir / sc.name
        scratch = workdir / f"{sc.name}-inputs"
        scratch.mkdir(parents=True, exist_ok=True)
        self.table = s.LakeTable(lake, self.path, scratch)
        self.table.create(sc)
        props = h.read_properties(self.path)
        complex_keys = m.complex_keys_for(props.get("hoodie.table.keygenerator.class"), sc.key, sc.partition_by)
        url_encode = props.get("hoodie.datasource.write.partitionpath.urlencode", "false").lower() == "true"
        self.model = sc.new_model(complex_keys=complex_keys, url_encode=url_encode)
        self.columns = list(self.model.columns)
        self.instants: list[str] = []
        self.snapshots: list[list[dict]] = []
        self.results: list[dict] = []
        self.ops: list[str] = []
        for step in sc.steps:
            if step.op == "delete_partition":
                result = self.table.write(step.op, partitions=[self.model.partition_path(v) for v in step.partitions])
            else:
                result = self.table.write(step.op, rows=step.rows)
            instant = result["instant"]
            self.model.apply(step.op, step.payload, instant)
            self.instants.append(instant)
            self.snapshots.append(self.model.snapshot())
            self.results.append(result)
            self.ops.append(step.op)

    def where(self, what: str) -> str:
        return f"{self.sc.name}: {what}"

    def snapshot_at(self, i: int | None) -> list[dict]:
        """The model after commit i (None: before the first)."""
        return [] if i is None else self.snapshots[i]

    def lake_rows(self, *args: str) -> list[dict]:
        out = self.lake("query", "--table", self.path, "--format", "jsonl", "--meta", *args).stdout
        return sorted(s.parse_jsonl(out, f"lake query {' '.join(args)}"), key=lambda r: r[h.KEY])

    def lake_changes(self, *args: str) -> list[dict]:
        out = self.lake("changes", "--table", self.path, "--format", "jsonl", "--meta", *args).stdout
        return s.parse_jsonl(out, f"lake changes {' '.join(args)}")

    def timeline(self) -> dict:
        return s._strict_json(self.lake("timeline", "--table", self.path, "--json").stdout, "lake timeline --json")


def iso(instant: str) -> str:
    """An instant (UTC timeline) as RFC 3339 with milliseconds."""
    return f"{instant[0:4]}-{instant[4:6]}-{instant[6:8]}T{instant[8:10]}:{instant[10:12]}:{instant[12:14]}.{instant[14:17]}Z"


def epoch_millis(instant: str) -> int:
    t = datetime.datetime.strptime(instant[:14], "%Y%m%d%H%M%S").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1000 + int(instant[14:17])


def incremental_expected(hist: History, since: int | None, until: int) -> list[dict]:
    """The model's incremental answer for (commit since, commit until]: rows live at `until`
    whose commit time is one of the window's instants."""
    window = set(hist.instants[(0 if since is None else since + 1):until + 1])
    return [r for r in hist.snapshot_at(until) if r["_hoodie_commit_time"] in window]


def changes_expected(hist: History, i: int) -> list[dict]:
    """The model's change feed of commit i: the difference of its snapshots around it."""
    instant = hist.instants[i]
    before = {r[h.KEY]: r for r in hist.snapshot_at(i - 1 if i > 0 else None)}
    after = {r[h.KEY]: r for r in hist.snapshot_at(i)}
    out = []
    for key in sorted(set(before) | set(after), key=lambda k: k.encode("utf-8")):
        b, a = before.get(key), after.get(key)
        if a is not None and a["_hoodie_commit_time"] == instant:
            out.append({"op": "insert" if b is None else "update", "key": key, "before": b, "after": a})
        elif a is None and b is not None:
            out.append({"op": "delete", "key": key, "before": b, "after": None})
    return out


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

def check_rows(hist: History, expected: list[dict], hudi_rows: list[dict], lake_rows: list[dict], what: str) -> None:
    s._fail_if(h.diff_rows(expected, hudi_rows, [*s.META3, *hist.columns]), hist.where(f"hudi-rs {what} vs model"))
    s._fail_if(h.diff_rows(hudi_rows, lake_rows), hist.where(f"lake {what} vs hudi-rs"))


def check_as_of(hist: History, i: int) -> None:
    instant = hist.instants[i]
    hudi_rows = h.as_of(hist.path, instant)
    check_rows(hist, hist.snapshot_at(i), hudi_rows, hist.lake_rows("--as-of", instant), f"as of {instant}")


def check_incremental(hist: History, since: int | None, until: int) -> None:
    start = None if since is None else hist.instants[since]
    end = hist.instants[until]
    hudi_rows = h.incremental(hist.path, start, end)
    lake_rows = hist.lake_rows("--since", start or EPOCH, "--until", end)
    check_rows(hist, incremental_expected(hist, since, until), hudi_rows, lake_rows, f"incremental ({start}, {end}]")


def check_changes(hist: History, i: int, actual: list[dict]) -> None:
    instant = hist.instants[i]
    what = f"changes of commit {i + 1} ({hist.ops[i]}, {instant})"
    expected = changes_expected(hist, i)
    got_keys = [(c.get("_change_op"), c.get("_change_record_key")) for c in actual]
    want_keys = [(c["op"], c["key"]) for c in expected]
    assert got_keys == want_keys, hist.where(f"{what}: lake {got_keys[:20]} ({len(got_keys)}), model {want_keys[:20]} ({len(want_keys)})")
    image_columns = [*s.META3, *hist.columns]
    for c, e in zip(actual, expected):
        assert list(c) == ["_change_op", "_change_commit_time", "_change_record_key", "before", "after"], \
            hist.where(f"{what}: change columns {list(c)}")
        assert c["_change_commit_time"] == instant, hist.where(f"{what}: {c['_change_record_key']}: commit time {c['_change_commit_time']}")
        for side in ("before", "after"):
            want, got = e[side], c[side]
            if want is None or got is None:
                assert want is None and got is None, hist.where(f"{what}: {e['key']} {side}: expected {want}, got {got}")
                continue
            assert list(got)[:5] == list(m.META_COLUMNS), hist.where(f"{what}: {side} columns {list(got)}")
            s._fail_if(h.diff_rows([want], [got], image_columns), hist.where(f"{what}: {e['key']} {side}"))


def check_timeline(hist: History) -> list[int]:
    """`lake timeline --json` against the commits made; returns the indexes of retained commits.
    The files of retained commits are all on disk: their count, rows and bytes match the counts."""
    doc = hist.timeline()
    entries = doc["instants"]
    earliest = doc["earliest_readable_instant"]
    assert earliest in hist.instants, hist.where(f"earliest readable instant {earliest}")
    completed = [e for e in entries if e["state"] == "completed" and e["action"] in ("commit", "replacecommit")]
    assert [e["instant"] for e in completed] == hist.instants, hist.where(f"timeline instants {[e['instant'] for e in entries]}")
    for e, result, op in zip(completed, hist.results, hist.ops):
        action = "replacecommit" if op in s.REPLACE_OPERATIONS else "commit"
        assert e["action"] == action and e["operation"] == op, hist.where(f"timeline {e}")
        assert e["files_written"] == result["files_written"], hist.where(f"timeline {e} vs write result {result}")
        if op in ("upsert", "insert", "bulk_insert") and result["updated"] == 0:
            assert e["records_inserted"] == result["inserted"], hist.where(f"timeline {e}")
        if e["instant"] < earliest:
            continue  # the cleaner may have deleted its files
        files = [f for f in hist.path.rglob(f"*_{e['instant']}.parquet") if ".hoodie" not in f.relative_to(hist.path).parts]
        assert e["files_written"] == len(files), hist.where(f"timeline {e['instant']}: files {e} vs {len(files)} on disk")
        assert e["bytes_written"] == sum(f.stat().st_size for f in files), hist.where(f"timeline {e['instant']}: bytes")
        assert e["records_written"] == sum(pq.ParquetFile(f).metadata.num_rows for f in files), \
            hist.where(f"timeline {e['instant']}: records_written {e['records_written']}")
    return [i for i, t in enumerate(hist.instants) if t >= earliest]


def check_history(hist: History) -> None:
    retained = check_timeline(hist)
    last = len(hist.instants) - 1
    for i in retained:
        check_as_of(hist, i)
        if i == 0 or i - 1 in retained:
            check_incremental(hist, None if i == 0 else i - 1, i)
        if retained[0] == 0:
            check_incremental(hist, None, i)
        if i < last:
            check_incremental(hist, i, last)
    # Other time forms select the same commit; a time between commits selects the earlier one.
    latest = hist.instants[last]
    expected = hist.lake_rows("--as-of", latest)
    for form in (iso(latest), str(epoch_millis(latest))):
        s._fail_if(h.diff_rows(expected, hist.lake_rows("--as-of", form)), hist.where(f"lake as of {form} vs {latest}"))
    if last > 0:
        mid = (epoch_millis(hist.instants[last - 1]) + epoch_millis(latest)) // 2
        if epoch_millis(hist.instants[last - 1]) <= mid < epoch_millis(latest):
            s._fail_if(h.diff_rows(hist.lake_rows("--as-of", hist.instants[last - 1]), hist.lake_rows("--as-of", str(mid))),
                       hist.where(f"lake as of {mid} (between the last two commits)"))
    # Change feed, commit by commit, and over the whole retained history.
    whole: list[dict] = []
    for i in retained:
        if i > 0 and i - 1 not in retained:
            continue
        start = EPOCH if i == 0 else hist.instants[i - 1]
        feed = hist.lake_changes("--since", start, "--until", hist.instants[i])
        check_changes(hist, i, feed)
        whole += feed
    start = EPOCH if retained[0] == 0 else hist.instants[retained[0]]
    assert hist.lake_changes("--since", start) == whole, hist.where("changes over the whole history != per-commit feeds")


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", s.hand_made(), ids=lambda sc: sc.name)
def test_reads_over_the_timeline(lake, tmp_path, scenario):
    check_history(History(scenario, lake, tmp_path))


def test_reads_over_the_timeline_random(lake, tmp_path):
    hist = History(s.random_scenario(), lake, tmp_path)
    assert len(hist.model) > 1000
    check_history(hist)


CLEANED = ["updates_non_hive", "deletes", "partition_moves", "overwrite_and_delete_partition"]


@pytest.mark.parametrize("scenario", [sc for sc in s.hand_made() if sc.name in CLEANED] + [s.random_scenario()],
                         ids=lambda sc: sc.name)
def test_reads_over_a_cleaned_timeline(lake, tmp_path, scenario):
    """After `lake clean --retain-commits 2`: every read inside the retained window is exact (the
    same checks as above, on the retained commits), and every as-of, incremental or change-feed
    read reaching before it exits 66 and names the earliest readable instant."""
    hist = History(scenario, lake, tmp_path)
    report = json.loads(lake("clean", "--table", hist.path, "--retain-commits", "2", "--no-archive", "--json").stdout)
    earliest = hist.timeline()["earliest_readable_instant"]
    assert earliest == hist.instants[-2], hist.where(f"earliest readable {earliest} after keeping 2 commits ({report})")
    check_history(hist)
    for instant in hist.instants[:-2]:
        for args in (["query", "--as-of", instant], ["query", "--since", instant], ["changes", "--since", instant]):
            proc = lake(args[0], "--table", hist.path, *args[1:], check=False)
            assert proc.returncode == 66, hist.where(f"lake {' '.join(args)}: exit {proc.returncode}: {proc.stderr}")
            assert f"earliest readable instant is {earliest}" in proc.stderr, hist.where(proc.stderr)


def _small(lake, tmp_path) -> History:
    sc = s.Scenario("small", s.EVENTS, ["id"], "ts", ["region"], steps=[
        s.Step("upsert", [s.ev("a", 1), s.ev("b", 1), s.ev("c", 1, "us")]),
        s.Step("upsert", [s.ev("a", 2, "us"), s.ev("d", 2)]),
        s.Step("delete", [{"id": "b"}]),
    ])
    return History(sc, lake, tmp_path)


def test_window_and_time_arguments_are_usage_errors(lake, tmp_path):
    hist = _small(lake, tmp_path)
    c1, c2, _ = hist.instants
    bad = [
        ["query", "--as-of", c1, "--since", c1],
        ["query", "--until", c2],
        ["query", "--as-of", "yesterday"],
        ["query", "--since", "last week"],
        ["query", "--since", c2, "--until", c1],
        ["changes"],
        ["changes", "--until", c2],
        ["changes", "--since", "2024-13-01"],
        ["changes", "--since", c2, "--until", c1],
        ["changes", "--since", c1, "--columns", "nope"],
    ]
    for args in bad:
        proc = lake(args[0], "--table", hist.path, *args[1:], check=False)
        assert proc.returncode == 64, f"lake {' '.join(args)}: exit {proc.returncode}: {proc.stderr}"
        assert proc.stderr.startswith("lake: error:"), proc.stderr
    proc = lake("query", "--table", hist.path, "--as-of", "2000-01-01", check=False)
    assert proc.returncode == 66 and f"earliest commit: {c1}" in proc.stderr, proc.stderr


def test_reads_before_the_retained_history_fail_and_name_the_earliest_readable_instant(lake, tmp_path):
    """Archiving the first commit (its instant files moved to .hoodie/archived/) makes the second
    the earliest readable instant; every read that reaches before it exits 66 and names it."""
    hist = _small(lake, tmp_path)
    c1, c2, c3 = hist.instants
    archive = hist.path / ".hoodie" / "archived"
    archive.mkdir()
    for f in (hist.path / ".hoodie").iterdir():
        if f.name.startswith(c1 + "."):
            f.rename(archive / f.name)
    assert hist.timeline()["earliest_readable_instant"] == c2
    for args in (["query", "--as-of", c1], ["query", "--as-of", "2000-01-01"], ["query", "--since", EPOCH],
                 ["query", "--since", c1, "--until", c2], ["changes", "--since", EPOCH], ["changes", "--since", c1]):
        proc = lake(args[0], "--table", hist.path, *args[1:], check=False)
        assert proc.returncode == 66, f"lake {' '.join(args)}: exit {proc.returncode}: {proc.stderr}"
        assert f"earliest readable instant is {c2}" in proc.stderr, proc.stderr
        assert proc.stdout == "", f"lake {' '.join(args)} printed rows before failing"
    # At the boundary reads are exact.
    s._fail_if(h.diff_rows(hist.snapshot_at(1), hist.lake_rows("--as-of", c2), [*s.META3, *hist.columns]), "as of c2")
    assert [c["_change_commit_time"] for c in hist.lake_changes("--since", c2)] == [c3]
    check_changes(hist, 2, hist.lake_changes("--since", c2))


def test_timeline_text_lists_every_instant(lake, tmp_path):
    hist = _small(lake, tmp_path)
    (hist.path / ".hoodie" / "29990101000000000.commit.requested").write_bytes(b"")
    out = lake("timeline", "--table", hist.path).stdout.splitlines()
    assert out[0].endswith(f"earliest readable instant: {hist.instants[0]}"), out[0]
    assert out[1].split()[:4] == ["instant", "action", "state", "operation"], out[1]
    rows = [line.split() for line in out[2:]]
    rows = [r for r in rows if r[1] != "clean"]  # automatic cleans may add instants
    assert [r[0] for r in rows] == [*hist.instants, "29990101000000000"]
    assert [r[1:4] for r in rows[:3]] == [["commit", "completed", "upsert"], ["commit", "completed", "upsert"],
                                           ["commit", "completed", "delete"]]
    assert rows[3][1:] == ["commit", "requested"], rows[3]
    doc = json.loads(lake("timeline", "--table", hist.path, "--json").stdout)
    assert doc["instants"][-1] == {"instant": "29990101000000000", "action": "commit", "state": "requested",
                                   "operation": None, "records_written": None, "records_inserted": None,
                                   "records_updated": None, "records_deleted": None, "files_written": None,
                                   "partitions_written": None, "file_groups_replaced": None, "bytes_written": None}


JAVA_TABLES = ["v6_complexkeygen_hivestyle", "v6_nonpartitioned", "v6_simplekeygen_nonhivestyle",
               "v6_simplekeygen_nonhivestyle_overwritetable"]


@pytest.mark.parametrize("name", JAVA_TABLES)
def test_reads_over_java_written_timelines(lake, tmp_path, name):
    """Tables Java Hudi wrote: for every commit, lake's as-of and incremental reads == hudi-rs's,
    and lake's change feed == the difference of hudi-rs's snapshots around the commit."""
    table = h.unpack_fixture(name, tmp_path)
    instants = [t for t, _ in h.completed_instants(table)]
    assert len(instants) >= 2

    def lake_rows(*args):
        out = lake("query", "--table", table, "--format", "jsonl", "--meta", *args).stdout
        return sorted(s.parse_jsonl(out, f"lake query {' '.join(args)}"), key=lambda r: r[h.KEY])

    previous: list[dict] = []
    for i, instant in enumerate(instants):
        start = instants[i - 1] if i else None
        snapshot = h.as_of(table, instant)
        s._fail_if(h.diff_rows(snapshot, lake_rows("--as-of", instant)), f"{name}: lake as of {instant} vs hudi-rs")
        s._fail_if(h.diff_rows(h.incremental(table, start, instant), lake_rows("--since", start or EPOCH, "--until", instant)),
                   f"{name}: lake incremental ({start}, {instant}] vs hudi-rs")
        out = lake("changes", "--table", table, "--meta", "--since", start or EPOCH, "--until", instant).stdout
        feed = s.parse_jsonl(out, "lake changes")
        before = {r[h.KEY]: r for r in previous}
        after = {r[h.KEY]: r for r in snapshot}
        want = []
        for key in sorted(set(before) | set(after), key=lambda k: k.encode("utf-8")):
            b, a = before.get(key), after.get(key)
            if a is not None and a["_hoodie_commit_time"] == instant:
                want.append(("insert" if b is None else "update", key, b, a))
            elif a is None and b is not None:
                want.append(("delete", key, b, None))
        assert [(c["_change_op"], c["_change_record_key"]) for c in feed] == [(w[0], w[1]) for w in want], \
            f"{name}: changes of {instant}: {[(c['_change_op'], c['_change_record_key']) for c in feed]} vs {[(w[0], w[1]) for w in want]}"
        for c, (_, key, b, a) in zip(feed, want):
            for side, image in (("before", b), ("after", a)):
                if image is None:
                    assert c[side] is None, f"{name}: {instant} {key} {side}: {c[side]}"
                else:
                    s._fail_if(h.diff_rows([image], [c[side]]), f"{name}: changes of {instant}: {key} {side} vs hudi-rs")
        previous = snapshot
