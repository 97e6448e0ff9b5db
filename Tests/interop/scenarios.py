"""Write scenarios for `lake` tables and the checks run after every commit.

A `Scenario` is a table definition (columns, record key, precombine and partition fields, hive
style or not) and a list of `Step`s, each one commit: (operation, rows) or (delete_partition,
partition values). `run_scenario` applies every step to BOTH the model (`model.TableModel`) and a
real table through the `lake` CLI, and after every commit checks:

* the `--json` result of the write: instant (17 digits, strictly increasing, a completed
  `.commit` / `.replacecommit` in `.hoodie/`), operation, and the counts the contract determines;
* hudi-rs snapshot == `lake query --meta --format jsonl` (every column, meta columns included) ==
  the model (commit time, record key, partition path, data), row for row, sorted by record key;
* partition paths: equal to `model.partition_path` for plain values; for other values, they
  decode back to the row's values and map partitions one-to-one;
* files: pyarrow opens every `*.parquet` under the table; every file hudi-rs reads is named
  `<fileId>_<token>_<instant>.parquet`, lives in its partition directory, and its rows carry its
  name, its partition path and a seqno starting with their commit time;
* hudi-rs incremental read of `(previous instant, this instant]` == the model rows last written
  by this instant.

At the end: time travel (hudi-rs as of each of the last `TIME_TRAVEL_DEPTH` instants == the
model then), `lake describe --json`, and `lake query` without `--meta`.

Steps may carry `expect`: counts worked out by hand, checked against the model (without lake,
in test_table_model.py) so a model bug cannot hide behind an identical lake bug.
"""
from __future__ import annotations

import dataclasses
import json
import os
import pathlib
import random
import re
from typing import Any, Callable, Sequence

import pyarrow.parquet as pq

import canonical
import hudi_read
import model as m

#: Time travel is checked for this many of the latest instants (Hudi's default cleaner keeps 10).
TIME_TRAVEL_DEPTH = int(os.environ.get("LAKE_TIME_TRAVEL_DEPTH", "10"))

CLI_OPERATION = {"upsert": "upsert", "insert": "insert", "bulk_insert": "bulk-insert", "delete": "delete",
                 "insert_overwrite": "insert-overwrite", "delete_partition": "delete-partition"}
REPLACE_OPERATIONS = {"insert_overwrite", "delete_partition"}
RESULT_FIELDS = ("instant", "operation", "records_in", "inserted", "updated", "deleted", "ignored",
                 "files_written", "partitions_written", "bytes_written", "duration_ms")
INSTANT = re.compile(r"\d{17}\Z")
BASE_FILE = re.compile(r"([^_/]+)_([^_/]+)_(\d{17})\.parquet\Z")
META3 = ("_hoodie_commit_time", "_hoodie_record_key", "_hoodie_partition_path")


# --------------------------------------------------------------------------------------------
# Table definitions
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Column:
    """A data column: kind is string, int64, int32, double, bool, date, timestamp (micros, UTC),
    decimal (10,2), list (list<string>) or struct (struct<a:int32,b:string>)."""
    name: str
    kind: str
    required: bool = False


_PRIMITIVE = {
    "string": "binary {n} (STRING)", "int64": "int64 {n}", "int32": "int32 {n}", "double": "double {n}",
    "bool": "boolean {n}", "date": "int32 {n} (DATE)", "timestamp": "int64 {n} (TIMESTAMP(MICROS,true))",
    "decimal": "fixed_len_byte_array(5) {n} (DECIMAL(10,2))",
}


def message_type(columns: Sequence[Column], name: str = "schema") -> str:
    """Parquet message-type text of the data columns (the `--schema` of `lake create`)."""
    lines = [f"message {name} {{"]
    for c in columns:
        rep = "required" if c.required else "optional"
        if c.kind in _PRIMITIVE:
            lines.append(f"  {rep} {_PRIMITIVE[c.kind].format(n=c.name)};")
        elif c.kind == "list":
            lines += [f"  {rep} group {c.name} (LIST) {{", "    repeated group list {",
                      "      optional binary element (STRING);", "    }", "  }"]
        elif c.kind == "struct":
            lines += [f"  {rep} group {c.name} {{", "    optional int32 a;", "    optional binary b (STRING);", "  }"]
        else:
            raise ValueError(f"unknown column kind {c.kind!r}")
    lines.append("}")
    return "\n".join(lines) + "\n"


@dataclasses.dataclass
class Step:
    """One commit: `rows` for writes (delete lines for `delete`), `partitions` (value tuples) for
    delete_partition; `expect` = hand-computed counts (subset of Counts fields)."""
    op: str
    rows: list = dataclasses.field(default_factory=list)
    partitions: list = dataclasses.field(default_factory=list)
    expect: dict | None = None
    note: str = ""

    @property
    def payload(self) -> list:
        return self.partitions if self.op == "delete_partition" else self.rows


@dataclasses.dataclass
class Scenario:
    name: str
    columns: list[Column]
    key: list[str]
    precombine: str | None
    partition_by: list[str]
    steps: list[Step]
    hive_style: bool = True
    declare_schema: bool = True   # pass --schema to `lake create` (else inferred from the first write)
    check_empty_table: bool = False

    def new_model(self, complex_keys: bool | None = None, url_encode: bool = True) -> m.TableModel:
        return m.TableModel([c.name for c in self.columns], self.key, self.precombine, self.partition_by,
                            hive_style=self.hive_style, url_encode=url_encode, complex_keys=complex_keys)


def fake_instant(i: int) -> str:
    """A valid, increasing instant for model-only runs."""
    return f"2026010100{i // 60:02d}{i % 60:02d}000"


def run_model_only(sc: Scenario) -> tuple[m.TableModel, list[m.Counts]]:
    """Applies a scenario to the model alone (for self-checks); raises on ambiguity or unmet `expect`."""
    mdl = sc.new_model()
    out = []
    for i, step in enumerate(sc.steps):
        counts = mdl.apply(step.op, step.payload, fake_instant(i + 1))
        if step.expect is not None:
            got = {k: getattr(counts, k) for k in step.expect}
            if got != step.expect:
                raise AssertionError(f"{sc.name} step {i + 1} ({step.op}{': ' + step.note if step.note else ''}): "
                                     f"model counts {got}, hand-computed {step.expect}")
        out.append(counts)
    return mdl, out


# --------------------------------------------------------------------------------------------
# The lake CLI
# --------------------------------------------------------------------------------------------

def _strict_json(text: str, what: str) -> Any:
    def reject(name):
        raise ValueError(f"non-standard JSON constant {name}")
    try:
        return json.loads(text, parse_constant=reject)
    except ValueError as e:
        raise AssertionError(f"{what}: not valid JSON ({e}): {text[:500]!r}") from None


def parse_jsonl(text: str, what: str) -> list[dict]:
    rows = []
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            row = _strict_json(line, f"{what} line {n}")
            if not isinstance(row, dict):
                raise AssertionError(f"{what} line {n} is not a JSON object: {line[:300]!r}")
            rows.append(row)
    return rows


def to_jsonl(rows: Sequence[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n" for r in rows)


class LakeTable:
    """A table driven through the `lake` CLI (`lake` is the conftest fixture's runner)."""

    def __init__(self, lake: Callable, path: pathlib.Path, scratch: pathlib.Path):
        self.lake = lake
        self.path = path
        self.scratch = scratch
        self.commits = 0

    def create(self, sc: Scenario) -> None:
        args = ["create", "--table", self.path, "--key", ",".join(sc.key)]
        if sc.precombine:
            args += ["--precombine", sc.precombine]
        if sc.partition_by:
            args += ["--partition-by", ",".join(sc.partition_by)]
        args.append("--hive-style" if sc.hive_style else "--no-hive-style")
        if sc.declare_schema:
            args += ["--schema", message_type(sc.columns)]
        self.lake(*args)

    def write(self, op: str, rows: Sequence[dict] = (), partitions: Sequence[str] = ()) -> dict:
        """Runs one write with `--json`; returns the parsed result object."""
        self.commits += 1
        args = [CLI_OPERATION[op], "--table", self.path]
        if op == "delete_partition":
            for p in partitions:
                args += ["--partition", p]
        else:
            input_file = self.scratch / f"commit-{self.commits:03d}-{op}.jsonl"
            input_file.write_text(to_jsonl(rows), encoding="utf-8")
            args += ["--input", input_file]
        args.append("--json")
        out = self.lake(*args).stdout
        result = _strict_json(out.strip(), f"lake {CLI_OPERATION[op]} --json")
        if not isinstance(result, dict):
            raise AssertionError(f"lake {CLI_OPERATION[op]} --json printed {out!r}, not one JSON object")
        return result

    def query(self, meta: bool = True) -> list[dict]:
        args = ["query", "--table", self.path, "--format", "jsonl"]
        if meta:
            args.append("--meta")
        return parse_jsonl(self.lake(*args).stdout, "lake query")

    def describe(self) -> dict:
        return _strict_json(self.lake("describe", "--table", self.path, "--json").stdout, "lake describe --json")


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------

def _norm_op(text: Any) -> str:
    return str(text).lower().replace("-", "_")


def check_write_result(result: dict, op: str, counts: m.Counts, previous: str | None, table: pathlib.Path,
                       where: str) -> str:
    """Checks a write's `--json` object; returns its instant."""
    missing = [f for f in RESULT_FIELDS if f not in result]
    assert not missing, f"{where}: result lacks {missing}: {result}"
    instant = result["instant"]
    assert isinstance(instant, str) and INSTANT.match(instant), f"{where}: instant {instant!r} is not yyyyMMddHHmmssSSS"
    assert previous is None or instant > previous, f"{where}: instant {instant} is not after {previous}"
    assert _norm_op(result["operation"]) == op, f"{where}: operation {result['operation']!r}, expected {op}"
    for f in RESULT_FIELDS[2:]:
        assert isinstance(result[f], int) and not isinstance(result[f], bool) and result[f] >= 0, \
            f"{where}: {f}={result[f]!r} is not a non-negative integer"
    for f, want in counts.determined().items():
        assert result[f] == want, f"{where}: {f}={result[f]}, expected {want} (result {result})"
    action = "replacecommit" if op in REPLACE_OPERATIONS else "commit"
    marker = table / ".hoodie" / f"{instant}.{action}"
    assert marker.is_file(), f"{where}: no completed {marker.name} in .hoodie/ for instant {instant}"
    return instant


def _strip(rows: Sequence[dict], keep: Sequence[str]) -> list[dict]:
    return [{k: r.get(k) for k in keep} for r in rows]


def _fail_if(diff: str | None, what: str) -> None:
    if diff:
        raise AssertionError(f"{what}: {diff}")


def check_partition_paths(mdl: m.TableModel, rows: Sequence[dict], where: str) -> None:
    """`_hoodie_partition_path` of every row against the model's partition values.

    Plain values: the exact path of `model.partition_path`. Others: the path decodes back to the
    values. Always: one path per partition and one partition per path.
    """
    path_of: dict[tuple, str] = {}
    ident_of: dict[str, tuple] = {}
    for r in rows:
        entry = mdl.live.get(r["_hoodie_record_key"])
        if entry is None:
            continue  # reported by the row comparison
        path = r["_hoodie_partition_path"]
        values = entry.partition_values
        if all(m.is_plain_value(v) for v in values):
            expected = mdl.partition_path(values)
            assert path == expected, f"{where}: {r['_hoodie_record_key']}: partition path {path!r}, expected {expected!r}"
        else:
            try:
                decoded = m.parse_partition_path(path, mdl.partition_fields, mdl.hive_style, mdl.url_encode)
            except m.ModelError as e:
                raise AssertionError(f"{where}: {r['_hoodie_record_key']}: {e} (values {values!r})") from None
            want = [None if v is None or v == "" else m.render_value(v) for v in values]
            assert decoded == want, (f"{where}: {r['_hoodie_record_key']}: partition path {path!r} decodes to "
                                     f"{decoded!r}, the row's values are {want!r}")
        assert path_of.setdefault(entry.partition, path) == path, \
            f"{where}: partition {entry.partition!r} written as both {path_of[entry.partition]!r} and {path!r}"
        assert ident_of.setdefault(path, entry.partition) == entry.partition, \
            f"{where}: path {path!r} holds partitions {ident_of[path]!r} and {entry.partition!r}"


def check_files(table: pathlib.Path, n_rows: int, where: str) -> None:
    """Every Parquet file opens; the latest slices are well-formed and hold `n_rows` rows in all."""
    for f in sorted(table.rglob("*.parquet")):
        try:
            pq.read_table(f)
        except Exception as e:  # noqa: BLE001 - any failure to open is the finding
            raise AssertionError(f"{where}: pyarrow cannot read {f.relative_to(table)}: {e}") from None
        rel = f.relative_to(table)
        if rel.parts[0] != ".hoodie":
            assert BASE_FILE.match(f.name), f"{where}: {rel} is not named <fileId>_<token>_<instant>.parquet"
    total = 0
    seen = set()
    for s in hudi_read.file_slices(table):
        ident = (s["partition_path"], s["file_id"])
        assert ident not in seen, f"{where}: file group {ident} listed twice"
        seen.add(ident)
        expected_rel = f"{s['partition_path']}/{s['base_file_name']}" if s["partition_path"] else s["base_file_name"]
        assert s["relative_path"] == expected_rel, f"{where}: slice path {s['relative_path']!r} vs {expected_rel!r}"
        file = table / s["relative_path"]
        assert file.is_file(), f"{where}: base file {s['relative_path']} missing"
        t = pq.read_table(file, columns=list(m.META_COLUMNS))
        total += t.num_rows
        for name in m.META_COLUMNS:
            assert t.column(name).null_count == 0, f"{where}: {s['relative_path']}: null {name}"
        names = set(t.column("_hoodie_file_name").to_pylist())
        assert names <= {s["base_file_name"]}, f"{where}: {s['relative_path']}: _hoodie_file_name {names}"
        paths = set(t.column("_hoodie_partition_path").to_pylist())
        assert paths <= {s["partition_path"]}, f"{where}: {s['relative_path']}: _hoodie_partition_path {paths}"
        for ct, seq in zip(t.column("_hoodie_commit_time").to_pylist(), t.column("_hoodie_commit_seqno").to_pylist()):
            assert seq.startswith(ct + "_"), f"{where}: {s['relative_path']}: seqno {seq!r} for commit time {ct}"
            assert ct <= s["instant"], f"{where}: {s['relative_path']}: commit time {ct} after the file's instant"
    assert total == n_rows, f"{where}: latest file slices hold {total} rows, the snapshot {n_rows}"


def check_snapshot(table: pathlib.Path, mdl: m.TableModel, lake_rows: list[dict], ordered_columns: bool,
                   where: str) -> list[dict]:
    """hudi-rs == lake (all columns) == model (commit time, key, partition, data); returns hudi-rs's rows."""
    expected = mdl.snapshot()
    hudi_rows = hudi_read.snapshot(table)
    lake_rows = sorted(lake_rows, key=lambda r: r.get(hudi_read.KEY, ""))
    data_columns = list(mdl.columns)
    if ordered_columns and hudi_rows:
        names = hudi_read.schema_names(table)
        assert names == [*m.META_COLUMNS, *data_columns], f"{where}: hudi-rs columns {names}"
    for r in lake_rows[:1]:
        assert list(r)[:5] == list(m.META_COLUMNS), f"{where}: lake query --meta columns start {list(r)[:5]}"
        if ordered_columns:
            assert list(r)[5:] == data_columns, f"{where}: lake query data columns {list(r)[5:]}"
    _fail_if(hudi_read.diff_rows(expected, hudi_rows, [*META3, *data_columns]), f"{where}: hudi-rs vs model")
    _fail_if(hudi_read.diff_rows(hudi_rows, lake_rows), f"{where}: lake query vs hudi-rs")
    check_partition_paths(mdl, hudi_rows, where)
    return hudi_rows


def check_incremental(table: pathlib.Path, mdl: m.TableModel, previous: str | None, instant: str,
                      where: str) -> None:
    """hudi-rs `(previous, instant]` == the model rows whose commit time is `instant`."""
    expected = [r for r in mdl.snapshot() if r["_hoodie_commit_time"] == instant]
    actual = hudi_read.incremental(table, previous, instant)
    _fail_if(hudi_read.diff_rows(expected, actual, [*META3, *mdl.columns]),
             f"{where}: hudi-rs incremental ({previous}, {instant}] vs model")


def check_time_travel(table: pathlib.Path, history: list[tuple[str, list[dict]]], columns: Sequence[str],
                      name: str) -> None:
    for instant, expected in history[-TIME_TRAVEL_DEPTH:]:
        actual = hudi_read.as_of(table, instant)
        _fail_if(hudi_read.diff_rows(expected, actual, [*META3, *columns]),
                 f"{name}: hudi-rs as of {instant} vs model then")


def check_describe(desc: dict, sc: Scenario, ops: list[tuple[str, str]], table: pathlib.Path,
                   lake_rows: list[dict], where: str) -> None:
    """`lake describe --json` against the scenario, the commits made and the snapshot."""
    for f in ("name", "record_key_fields", "precombine_field", "partition_fields", "schema", "commits", "partitions"):
        assert f in desc, f"{where}: describe --json lacks {f!r}: {sorted(desc)}"
    assert desc["record_key_fields"] == sc.key, f"{where}: record_key_fields {desc['record_key_fields']}"
    assert desc["precombine_field"] == sc.precombine, f"{where}: precombine_field {desc['precombine_field']!r}"
    assert desc["partition_fields"] == sc.partition_by, f"{where}: partition_fields {desc['partition_fields']}"
    for c in sc.columns:
        assert c.name in desc["schema"], f"{where}: schema lacks column {c.name}: {desc['schema']}"
    commits = sorted((c for c in desc["commits"] if c.get("state", "completed") == "completed"
                      and c.get("action", "commit") in ("commit", "replacecommit")),
                     key=lambda c: c["instant"])
    assert [c["instant"] for c in commits] == [i for i, _ in ops], \
        f"{where}: describe commits {[c['instant'] for c in commits]}, writes made {[i for i, _ in ops]}"
    for c, (instant, op) in zip(commits, ops):
        action = "replacecommit" if op in REPLACE_OPERATIONS else "commit"
        assert c["action"] == action, f"{where}: commit {instant} action {c['action']!r}, expected {action}"
        assert _norm_op(c["operation"]) == op, f"{where}: commit {instant} operation {c['operation']!r}, expected {op}"
    live_paths = {r["_hoodie_partition_path"] for r in lake_rows}
    described, rows_in_groups, groups = set(), 0, set()
    for p in desc["partitions"]:
        for g in p["file_groups"]:
            rows_in_groups += g["rows"]
            if g["rows"] > 0:
                described.add(p["path"])
                groups.add((p["path"], g["file_id"]))
            base = g["base_file"]
            file = table / base if "/" in base else table / p["path"] / base
            assert file.is_file(), f"{where}: described base file {base} of {p['path']!r} does not exist"
            assert g["bytes"] == file.stat().st_size, f"{where}: {base}: bytes {g['bytes']}, on disk {file.stat().st_size}"
            assert g["rows"] == pq.ParquetFile(file).metadata.num_rows, f"{where}: {base}: rows {g['rows']}"
    assert described == live_paths, f"{where}: partitions with rows: described {sorted(described)}, snapshot {sorted(live_paths)}"
    assert rows_in_groups == len(lake_rows), f"{where}: file groups hold {rows_in_groups} rows, snapshot {len(lake_rows)}"
    slices = {(s["partition_path"], s["file_id"]) for s in hudi_read.file_slices(table)
              if pq.ParquetFile(table / s["relative_path"]).metadata.num_rows > 0}
    assert groups == slices, f"{where}: non-empty file groups: described {sorted(groups)}, hudi-rs {sorted(slices)}"


# --------------------------------------------------------------------------------------------
# Running a scenario
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Run:
    model: m.TableModel
    instants: list[str]
    table: pathlib.Path


def run_scenario(sc: Scenario, lake: Callable, workdir: pathlib.Path, s3: Any = None) -> Run:
    """Applies every step to the model and to a lake table, checking everything after each commit.

    With `s3` (an s3_server.LocalS3), the table lives at s3://…/<name>: lake writes and queries it
    there and hudi-rs reads it there (snapshot, incremental, as-of); the file-level checks read a
    local mirror of its objects taken after each commit.
    """
    scratch = workdir / f"{sc.name}-inputs"
    scratch.mkdir(parents=True, exist_ok=True)
    if s3 is None:
        table_path = location = workdir / sc.name
        sync = lambda: None  # noqa: E731
    else:
        location = s3.uri(f"{workdir.name}/{sc.name}")
        table_path = workdir / f"{sc.name}-mirror"
        sync = lambda: s3.mirror(location, table_path)  # noqa: E731
    t = LakeTable(lake, location, scratch)
    t.create(sc)
    sync()
    props = hudi_read.read_properties(table_path)
    assert props.get("hoodie.table.version") == "6", f"{sc.name}: hoodie.table.version={props.get('hoodie.table.version')}"
    assert props.get("hoodie.table.type", "").upper() == "COPY_ON_WRITE", f"{sc.name}: table type {props.get('hoodie.table.type')}"
    complex_keys = m.complex_keys_for(props.get("hoodie.table.keygenerator.class"), sc.key, sc.partition_by)
    url_encode = props.get("hoodie.datasource.write.partitionpath.urlencode", "false").lower() == "true"
    mdl = sc.new_model(complex_keys=complex_keys, url_encode=url_encode)

    if sc.check_empty_table:
        assert t.query() == [], f"{sc.name}: a new table's query returned rows"
        assert hudi_read.snapshot(table_path) == [], f"{sc.name}: hudi-rs read rows from a new table"

    previous: str | None = None
    ops: list[tuple[str, str]] = []
    history: list[tuple[str, list[dict]]] = []
    lake_rows: list[dict] = []
    for i, step in enumerate(sc.steps, 1):
        where = f"{sc.name} commit {i} ({step.op}{': ' + step.note if step.note else ''})"
        if step.op == "delete_partition":
            for v in step.partitions:
                assert all(m.is_plain_value(x) for x in v), f"{where}: delete_partition needs plain values"
            result = t.write(step.op, partitions=[mdl.partition_path(v) for v in step.partitions])
        else:
            result = t.write(step.op, rows=step.rows)
        sync()
        instant = result.get("instant")
        assert isinstance(instant, str) and INSTANT.match(instant), f"{where}: instant {instant!r} in {result}"
        assert previous is None or instant > previous, f"{where}: instant {instant} is not after {previous}"
        counts = mdl.apply(step.op, step.payload, instant)
        check_write_result(result, step.op, counts, previous, table_path, where)
        lake_rows = t.query()
        hudi_rows = check_snapshot(location, mdl, lake_rows, sc.declare_schema, where)
        check_files(table_path, len(hudi_rows), where)
        check_incremental(location, mdl, previous, instant, where)
        ops.append((instant, step.op))
        history.append((instant, mdl.snapshot()))
        previous = instant

    check_time_travel(location, history, mdl.columns, sc.name)
    check_describe(t.describe(), sc, ops, table_path, lake_rows, f"{sc.name} describe")
    plain = t.query(meta=False)
    expected = [{c: r[c] for c in mdl.columns} for r in mdl.snapshot()]
    sort = lambda rows: sorted(rows, key=lambda r: json.dumps([r.get(k) for k in sc.key]))  # noqa: E731
    for r in plain[:1]:
        if sc.declare_schema:
            assert list(r) == list(mdl.columns), f"{sc.name}: lake query columns {list(r)}"
        else:
            assert sorted(r) == sorted(mdl.columns), f"{sc.name}: lake query columns {list(r)}"
    _fail_if(hudi_read.diff_rows(sort(expected), sort(plain), list(mdl.columns)), f"{sc.name}: lake query (no --meta) vs model")
    return Run(mdl, [i for i, _ in ops], table_path)


# --------------------------------------------------------------------------------------------
# Hand-made scenarios
# --------------------------------------------------------------------------------------------

EVENTS = [Column("id", "string", required=True), Column("ts", "int64"), Column("region", "string"),
          Column("name", "string"), Column("n", "int64")]


def ev(id: str, ts: int | None, region: str | None = "eu", name: str | None = None, n: int | None = None,
       **extra) -> dict:
    """An EVENTS row; `name` defaults to a value derived from the key and ts so updates are visible."""
    row = {"id": id, "ts": ts, "region": region, "name": f"{id}@{ts}" if name is None else name, "n": n}
    row.update(extra)
    return row


def _plain_inserts() -> Scenario:
    regions = ["eu", "us", "ap", "sa"]
    return Scenario(
        "plain_inserts", EVENTS, ["id"], "ts", ["region"], check_empty_table=True, steps=[
            Step("upsert", [ev(f"a{i}", 1, regions[i % 2], n=i) for i in range(1, 6)], expect={"inserted": 5}),
            Step("insert", [ev(f"b{i}", 1, regions[i % 3], n=i) for i in range(1, 6)], expect={"inserted": 5}),
            Step("bulk_insert", [ev(f"c{i}", 2, regions[i % 2]) for i in range(1, 6)], expect={"inserted": 5}),
            Step("upsert", [ev(f"d{i:02d}", 3, regions[i % 4], n=-i) for i in range(1, 21)], expect={"inserted": 20}),
            Step("insert", [ev(f"e{i}", 4, "af") for i in range(1, 4)], expect={"inserted": 3}),
        ])


def _updates() -> Scenario:
    cols = [Column("id", "int64", required=True), Column("ts", "int64"), Column("region", "string"),
            Column("name", "string"), Column("score", "double")]

    def r(i, ts, name, score=None, region=None):
        return {"id": i, "ts": ts, "region": region or ("eu" if i % 2 else "us"), "name": name,
                "score": float(i) / 4 if score is None else score}

    return Scenario(
        "updates_non_hive", cols, ["id"], "ts", ["region"], hive_style=False, steps=[
            Step("insert", [r(i, 1, f"v1-{i}") for i in range(1, 7)], expect={"inserted": 6}),
            Step("upsert", [r(i, 2, f"v2-{i}", score=i * 1.5) for i in (1, 2, 3)], expect={"updated": 3}),
            Step("upsert", [r(1, 3, "v3-1"), r(2, 3, "v3-2"), r(7, 3, "v3-7", score=-0.125)],
                 expect={"updated": 2, "inserted": 1}),
            Step("upsert", [r(4, 1, "tie", score=2.5e-8)], expect={"updated": 1}, note="equal precombine: incoming wins"),
            Step("upsert", [r(i, 10, f"v10-{i}", score=1e21 * i) for i in range(1, 8)], expect={"updated": 7}),
        ])


def _late_events() -> Scenario:
    return Scenario(
        "late_events", EVENTS, ["id"], "ts", ["region"], steps=[
            Step("upsert", [ev("k1", 10), ev("k2", 10), ev("k3", 10), ev("k4", 10), ev("k5", 10, "us")],
                 expect={"inserted": 5}),
            Step("upsert", [ev("k1", 5), ev("k2", 11), ev("k3", 9, "us")],
                 expect={"ignored": 2, "updated": 1}, note="older events ignored, no move"),
            Step("upsert", [ev("k4", None), ev("k6", None)], expect={"ignored": 1, "inserted": 1},
                 note="null precombine sorts lowest"),
            Step("upsert", [ev("k6", None, name="null tie"), ev("k7", 3)], expect={"updated": 1, "inserted": 1}),
            Step("upsert", [ev("k6", 1), ev("k7", None)], expect={"updated": 1, "ignored": 1}),
            Step("upsert", [ev("k1", 12), ev("k1", 9), ev("k5", 10, "us", name="same ts")],
                 expect={"records_in": 3, "ignored": 1, "updated": 2}),
        ])


def _batch_duplicates() -> Scenario:
    return Scenario(
        "batch_duplicates", EVENTS, ["id"], "ts", ["region"], steps=[
            Step("upsert", [ev("a", 1, n=1), ev("a", 3, n=3), ev("a", 2, n=2),
                            ev("b", 5, name="first"), ev("b", 5, name="second"),
                            ev("c", None), ev("c", 0),
                            ev("d", None, "us", name="d1"), ev("d", None, "us", name="d2")],
                 expect={"inserted": 4, "ignored": 5}),
            Step("upsert", [ev("a", 2), ev("a", 4), ev("b", 5, name="third"), ev("b", 5, name="fourth")],
                 expect={"updated": 2, "ignored": 2}),
            Step("insert", [ev("c", 7, name="x"), ev("c", 7, name="y"), ev("e", 1, name="e1"), ev("e", 1, name="e2")],
                 expect={"updated": 1, "inserted": 1, "ignored": 2}),
            Step("upsert", [ev("a", 1), ev("a", 2), ev("b", 4)], expect={"ignored": 3, "updated": 0, "inserted": 0},
                 note="a commit that changes nothing"),
            Step("upsert", [ev("a", 6, "eu"), ev("a", 7, "us"), ev("d", 1, "us", name="d3"), ev("d", 1, "eu", name="d4")],
                 expect={"updated": 2, "ignored": 2}, note="duplicates in different partitions"),
        ])


def _deletes() -> Scenario:
    def d(id, ts=None):
        return {"id": id} if ts is None else {"id": id, "ts": ts}

    return Scenario(
        "deletes", EVENTS, ["id"], "ts", ["region"], steps=[
            Step("upsert", [ev(f"k{i}", 10, "eu" if i <= 4 else "us") for i in range(1, 9)], expect={"inserted": 8}),
            Step("delete", [d("k1", 11), d("k2", 9), d("k3", 10), d("k99", 5)], expect={"deleted": 2, "ignored": 2},
                 note="ordered deletes"),
            Step("delete", [d("k4"), d("k5"), d("k98")], expect={"deleted": 2, "ignored": 1}, note="unconditional"),
            Step("upsert", [ev("k1", 10, name="late"), ev("k3", 12), ev("k4", 11, "us"), ev("k2", 12)],
                 expect={"ignored": 1, "inserted": 2, "updated": 1}, note="re-inserts after delete"),
            Step("delete", [d("k6", 12), d("k6", 8), d("k7", 9), d("k7", 9)], expect={"deleted": 1, "ignored": 3}),
            Step("upsert", [ev("k6", 11), ev("k6", 13), ev("k1", 12)], expect={"inserted": 2, "ignored": 1}),
            Step("delete", [d("k8", 10), d("k2", 13)], expect={"deleted": 2}),
            Step("upsert", [ev("k8", 10, name="tie with delete"), ev("k2", 12)], expect={"inserted": 1, "ignored": 1},
                 note="ASSUMPTION: an insert equal to a remembered delete wins (ties: incoming wins)"),
        ])


def _partition_moves() -> Scenario:
    cols = [Column("id", "string"), Column("ts", "int64"), Column("region", "string"), Column("bucket", "int64"),
            Column("name", "string")]

    def r(id, ts, region, bucket, name=None):
        return {"id": id, "ts": ts, "region": region, "bucket": bucket, "name": name or f"{id}@{ts}"}

    return Scenario(
        "partition_moves", cols, ["id"], "ts", ["region", "bucket"], steps=[
            Step("upsert", [r("m1", 1, "eu", 1), r("m2", 1, "eu", 1), r("m3", 1, "eu", 2), r("m4", 1, "us", 1),
                            r("m5", 1, "us", 2), r("m6", 1, "eu", None)], expect={"inserted": 6}),
            Step("upsert", [r("m1", 2, "us", 1), r("m2", 2, "eu", 2), r("m6", 2, None, None)], expect={"updated": 3}),
            Step("upsert", [r("m1", 3, "eu", 1), r("m2", 3, "eu", 1)], expect={"updated": 2}, note="moves back"),
            Step("upsert", [r("m4", 0, "eu", 2), r("m5", 5, "ap", 3)], expect={"updated": 1, "ignored": 1},
                 note="a late event does not move"),
            Step("upsert", [r("m3", 5, "sa", 9), r("m6", 5, "eu", 1)], expect={"updated": 2},
                 note="the last row leaves a partition"),
            Step("upsert", [r("m1", 6, "us", 1), r("m1", 7, "ap", 3), r("m1", 8, "eu", 1),
                            r("m4", 9, "eu", 1), r("m4", 8, "us", 1)], expect={"updated": 2, "ignored": 3},
                 note="back and forth inside one batch"),
        ])


def _null_empty_partitions() -> Scenario:
    return Scenario(
        "null_empty_partitions", EVENTS, ["id"], "ts", ["region"], steps=[
            Step("upsert", [ev("n1", 1, None), ev("n2", 1, ""), ev("n3", 1, "eu"),
                            {"id": "n4", "ts": 1, "name": "no region"}, ev("n5", 1, "us")], expect={"inserted": 5}),
            Step("upsert", [ev("n1", 2, "eu"), ev("n3", 2, "")], expect={"updated": 2}),
            Step("upsert", [ev("n2", 3, None), ev("n4", 3, "")], expect={"updated": 2},
                 note="empty to null stays in the default partition"),
            Step("delete_partition", partitions=[(None,)]),
            Step("upsert", [ev("n6", 1, None), ev("n2", 4, "us")], expect={"inserted": 2}),
        ])


ODD_HIVE = ["a/b", "x=y", "50%", "..", "ü", "with space", " lead", "tab\tx", "#?*[]^{}'\"\\:", "%41",
            "日本", "a b/c=d", ".", "emoji😀"]


def _odd_values_hive() -> Scenario:
    cols = [Column("id", "int64"), Column("ts", "int64"), Column("p", "string"), Column("name", "string")]

    def r(i, ts, p, name=None):
        return {"id": i, "ts": ts, "p": p, "name": name or f"{i}@{ts}"}

    return Scenario(
        "odd_partition_values_hive", cols, ["id"], "ts", ["p"], steps=[
            Step("upsert", [r(i, 1, v) for i, v in enumerate(ODD_HIVE, 1)], expect={"inserted": len(ODD_HIVE)}),
            Step("upsert", [r(i, 2, ODD_HIVE[i - 1]) for i in range(1, 8)], expect={"updated": 7}),
            Step("upsert", [r(1, 3, "x=y"), r(2, 3, ".."), r(3, 3, "ü")], expect={"updated": 3}, note="moves"),
            Step("delete", [{"id": 4}, {"id": 5}], expect={"deleted": 2}),
            Step("insert_overwrite", [r(12, 4, "a b/c=d", "overwritten"), r(20, 4, "%41", "new")],
                 note="replaces partitions 'a b/c=d' and '%41'"),
        ])


ODD_PLAIN = ["..", ".", ".hoodie", "metadata", "_delta_log", "a/b", "", "ü", "x=y", "hidden.dot", ".x"]


def _odd_values_plain() -> Scenario:
    cols = [Column("id", "int64"), Column("ts", "int64"), Column("p", "string"), Column("name", "string")]

    def r(i, ts, p):
        return {"id": i, "ts": ts, "p": p, "name": f"{i}@{ts}"}

    return Scenario(
        "odd_partition_values_non_hive", cols, ["id"], "ts", ["p"], hive_style=False, steps=[
            Step("upsert", [r(i, 1, v) for i, v in enumerate(ODD_PLAIN, 1)], expect={"inserted": len(ODD_PLAIN)}),
            Step("upsert", [r(i, 2, ODD_PLAIN[i - 1]) for i in range(1, 5)], expect={"updated": 4}),
            Step("upsert", [r(5, 3, ".hoodie"), r(6, 3, "metadata")], expect={"updated": 2}, note="moves"),
            Step("delete", [{"id": 4, "ts": 3}], expect={"deleted": 1}),
        ])


def _composite_keys() -> Scenario:
    cols = [Column("tenant", "string"), Column("id", "int64"), Column("ts", "int64"), Column("region", "string"),
            Column("name", "string")]

    def r(tenant, i, ts, region="eu", name=None):
        return {"tenant": tenant, "id": i, "ts": ts, "region": region, "name": name or f"{tenant}/{i}@{ts}"}

    return Scenario(
        "composite_keys", cols, ["tenant", "id"], "ts", ["region"], steps=[
            Step("upsert", [r("acme", 1, 1), r("acme", 2, 1, "us"), r("globex", 1, 1), r("globex", 2, 1, "us")],
                 expect={"inserted": 4}),
            Step("upsert", [r("acme", 1, 2), r("globex", 1, 0), r("acme", 3, 1)],
                 expect={"updated": 1, "inserted": 1, "ignored": 1}),
            Step("delete", [{"tenant": "acme", "id": 2, "ts": 5}, {"tenant": "globex", "id": 2}], expect={"deleted": 2}),
            Step("upsert", [r("globex", 1, 3, "us", "g1"), r("globex", 1, 3, "ap", "g2")],
                 expect={"updated": 1, "ignored": 1}),
            Step("upsert", [r("acme", 2, 4), r("globex", 2, 2)], expect={"ignored": 1, "inserted": 1}),
        ])


def _composite_nonpartitioned() -> Scenario:
    cols = [Column("a", "string"), Column("b", "string"), Column("v", "int64"), Column("note", "string")]

    def r(a, b, v, note=None):
        return {"a": a, "b": b, "v": v, "note": note}

    return Scenario(
        "composite_nonpartitioned_no_precombine", cols, ["a", "b"], None, [], steps=[
            Step("upsert", [r("x", "1", 1), r("x", "2", 1), r("y", "1", 1)], expect={"inserted": 3}),
            Step("upsert", [r("x", "1", 0, "older value wins: no precombine"), r("z", "9", 9)],
                 expect={"updated": 1, "inserted": 1}),
            Step("upsert", [r("y", "1", 1), r("y", "1", 2, "later line")], expect={"updated": 1, "ignored": 1}),
            Step("delete", [{"a": "x", "b": "2"}, {"a": "nope", "b": "0"}], expect={"deleted": 1, "ignored": 1}),
            Step("upsert", [r("x", "2", 5, "back")], expect={"inserted": 1}),
        ])


TYPED = [Column("id", "string", required=True), Column("ts", "int64"), Column("region", "string"),
         Column("s", "string"), Column("i", "int64"), Column("d", "double"), Column("b", "bool"),
         Column("dt", "date"), Column("at", "timestamp"), Column("dec", "decimal"), Column("tags", "list"),
         Column("st", "struct")]
TYPED_DATA = [c.name for c in TYPED[3:]]


def _typed(id, ts, region="eu", **values) -> dict:
    row = {"id": id, "ts": ts, "region": region}
    row.update(values)
    return row


def _typed_nulls() -> Scenario:
    full = dict(s="plain", i=42, d=3.25, b=True, dt="2024-02-29", at="2024-02-29T12:34:56.789012Z", dec="1234.50",
                tags=["a", "b"], st={"a": 7, "b": "seven"})
    nulls = {c: None for c in TYPED_DATA}
    return Scenario(
        "typed_nulls", TYPED, ["id"], "ts", ["region"], steps=[
            Step("upsert", [
                _typed("t1", 1, **full),
                _typed("t2", 1, None, **nulls),
                _typed("t3", 1, s="", i=9223372036854775807, d="NaN", b=False, dt="1970-01-01",
                       at="1969-12-31T23:59:59.999999Z", dec="-0.01", tags=[], st={"a": None, "b": None}),
                _typed("t4", 1, s="line1\nline2\t\"quoted\" \\ ü 😀", i=-9223372036854775808, d="Infinity", b=None,
                       dt="0001-01-01", at="0001-01-01T00:00:00.000000Z", dec="99999999.99", tags=[None, "x", ""],
                       st={"a": -2147483648, "b": "ü\"\n\\"}),
                _typed("t5", 1, "us", s="𝄞", i=0, d="-Infinity", b=True, dt="9999-12-31",
                       at="9999-12-31T23:59:59.999999Z", dec="-99999999.99", tags=None, st=None),
                _typed("t6", 1, "us", s="x", i=-1, d=1e-300, b=False, dt="2000-01-01", at="2000-01-01T00:00:00.000001Z",
                       dec="0.00", tags=["only"], st={"a": 2147483647, "b": ""}),
            ], expect={"inserted": 6}),
            Step("upsert", [_typed("t1", 2, **nulls)], expect={"updated": 1}, note="values to explicit nulls"),
            Step("upsert", [_typed("t2", 2, "us", **full)], expect={"updated": 1}, note="nulls to values"),
            Step("upsert", [{"id": "t3", "ts": 2, "region": "eu"}], expect={"updated": 1}, note="absent columns are null"),
            Step("upsert", [_typed("t4", 2, "us", tags=["z"], st={"a": 1, "b": None}, d=0.1),
                            {"id": "t5", "ts": 2, "region": None, "s": "partial", "d": -2.5}], expect={"updated": 2}),
        ])


def _overwrite_and_delete_partition() -> Scenario:
    return Scenario(
        "overwrite_and_delete_partition", EVENTS, ["id"], "ts", ["region"], steps=[
            Step("upsert", [ev("o1", 1, "eu"), ev("o2", 1, "eu"), ev("o3", 1, "eu"), ev("o4", 1, "us"),
                            ev("o5", 1, "us"), ev("o6", 1, "us"), ev("o7", 1, "ap"), ev("o8", 1, "ap")],
                 expect={"inserted": 8}),
            Step("delete", [{"id": "o8", "ts": 5}], expect={"deleted": 1}, note="a remembered delete in ap"),
            Step("insert_overwrite", [ev("o1", 0, "eu", name="overwritten"), ev("o9", 1, "eu")],
                 note="eu becomes exactly {o1, o9}, even with an older ts"),
            Step("upsert", [ev("o2", 2, "us"), ev("o4", 2, "us"), ev("o8", 3, "ap")],
                 expect={"inserted": 1, "updated": 1, "ignored": 1},
                 note="the delete of o8 is still remembered after overwriting another partition"),
            Step("delete_partition", partitions=[("us",)]),
            Step("upsert", [ev("o10", 1, "us"), ev("o5", 5, "us"), ev("o8", 4, "ap")],
                 expect={"inserted": 2, "ignored": 1}, note="... and after deleting another partition"),
            Step("insert_overwrite", [ev("o1", 1, "eu"), ev("o11", 1, "ap"), ev("o12", 1, "sa")],
                 note="three partitions, one new"),
            Step("delete_partition", partitions=[("eu",), ("sa",)]),
            Step("upsert", [ev("o7", 3, "ap"), ev("o1", 3, "eu"), ev("o8", 6, "us")], expect={"inserted": 3}),
        ])


def _inferred_schema() -> Scenario:
    cols = [Column("id", "int64"), Column("ts", "int64"), Column("region", "string"), Column("name", "string"),
            Column("score", "double"), Column("active", "bool"), Column("tags", "list"), Column("attrs", "struct")]

    def r(i, ts, region, name, score, active, tags, attrs):
        return {"id": i, "ts": ts, "region": region, "name": name, "score": score, "active": active,
                "tags": tags, "attrs": attrs}

    return Scenario(
        "inferred_schema", cols, ["id"], "ts", ["region"], declare_schema=False, steps=[
            Step("upsert", [r(1, 1, "eu", "one", 1.5, True, ["a"], {"x": 1, "y": "a"}),
                            r(2, 1, "us", "two", 2.25, False, [], {"x": None, "y": "b"}),
                            r(3, 1, "eu", None, None, None, None, None)], expect={"inserted": 3}),
            Step("upsert", [r(1, 2, "us", "one'", -0.5, False, ["b", None], {"x": -3, "y": None}),
                            r(4, 1, "ap", "four", 4.0, True, ["d"], {"x": 4, "y": "d"})],
                 expect={"updated": 1, "inserted": 1}),
            Step("delete", [{"id": 2, "ts": 1}], expect={"deleted": 1}),
        ])


def hand_made() -> list[Scenario]:
    """Every hand-made scenario (fresh objects; steps are mutable)."""
    return [_plain_inserts(), _updates(), _late_events(), _batch_duplicates(), _deletes(), _partition_moves(),
            _null_empty_partitions(), _odd_values_hive(), _odd_values_plain(), _composite_keys(),
            _composite_nonpartitioned(), _typed_nulls(), _overwrite_and_delete_partition(), _inferred_schema()]


# --------------------------------------------------------------------------------------------
# A generated scenario
# --------------------------------------------------------------------------------------------

RANDOM_COLUMNS = [Column("id", "string", required=True), Column("ts", "int64"), Column("region", "string"),
                  Column("bucket", "int64"), Column("name", "string"), Column("n", "int64"), Column("d", "double"),
                  Column("flag", "bool"), Column("day", "date"), Column("at", "timestamp"), Column("amount", "decimal"),
                  Column("tags", "list"), Column("st", "struct")]
REGIONS = ["eu", "us", "ap", "sa", None, ""]
RANDOM_OPS = ["bulk_insert", "upsert", "upsert", "delete", "insert", "upsert", "insert_overwrite", "upsert",
              "delete_partition", "upsert"]
_TEXT = "abcxyz ü日😀\"\\/\n,:="


def _random_values(rng: random.Random) -> dict:
    def maybe(v):
        return None if rng.random() < 0.1 else v

    days = rng.randint(-719162, 2932896)  # 0001-01-01 .. 9999-12-31
    micros = rng.randint(-62135596800_000000, 253402300799_999999)
    unscaled = rng.randint(-9_999_999_999, 9_999_999_999)
    sign = "-" if unscaled < 0 else ""
    q, r = divmod(abs(unscaled), 100)
    d = rng.choice([round(rng.uniform(-1e6, 1e6), rng.randint(0, 6)), rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30),
                    0.0, "NaN", "Infinity"])
    return {
        "name": maybe("".join(rng.choice(_TEXT) for _ in range(rng.randint(0, 8)))),
        "n": maybe(rng.randint(-2 ** 63, 2 ** 63 - 1)),
        "d": maybe(d if isinstance(d, str) else float(d)),
        "flag": maybe(rng.random() < 0.5),
        "day": maybe(canonical.format_date(days)),
        "at": maybe(canonical.format_timestamp(micros, "us", True)),
        "amount": maybe(f"{sign}{q}.{r:02d}"),
        "tags": maybe([rng.choice(["x", "y", "", None, "ü"]) for _ in range(rng.randint(0, 3))]),
        "st": maybe({"a": maybe(rng.randint(-2 ** 31, 2 ** 31 - 1)), "b": maybe(rng.choice(["b", "", "ü"]))}),
    }


def _random_partition(rng: random.Random) -> tuple:
    return rng.choice(REGIONS), (None if rng.random() < 0.05 else rng.randint(0, 3))


def _random_row(rng: random.Random, key: str, ts: int | None, partition: tuple) -> dict:
    row = {"id": key, "ts": ts, "region": partition[0], "bucket": partition[1]}
    row.update(_random_values(rng))
    if rng.random() < 0.05:  # sometimes leave nullable columns out entirely
        for c in ("name", "tags", "st"):
            row.pop(c, None)
    return row


def _random_batch(rng: random.Random, mdl: m.TableModel, op: str, fresh: list[str]) -> Step:
    """One batch of `op` over ids (`id` values; the model is keyed by record key strings)."""
    def rk(key: str) -> str:
        return mdl.record_key({"id": key})

    live = sorted(e.row["id"] for e in mdl.live.values())
    gone = sorted(mdl.key_values[k]["id"] for k in mdl.tombstones)

    def ts_near(key: str) -> int | None:
        if rng.random() < 0.03:
            return None
        e = mdl.live.get(rk(key))
        base = e.order[1] if e is not None and len(e.order) == 2 else 5
        return base + rng.randint(-3, 5)

    def existing_partition_or_move(key: str) -> tuple:
        e = mdl.live.get(rk(key))
        if e is None or rng.random() < 0.3:
            return _random_partition(rng)
        return e.partition_values

    if op == "bulk_insert":
        keys = [fresh.pop() for _ in range(min(len(fresh), rng.randint(1000, 1200)))]
        return Step(op, [_random_row(rng, k, rng.randint(0, 10), _random_partition(rng)) for k in keys])
    if op in ("upsert", "insert"):
        size = rng.randint(200, 450) if op == "upsert" else rng.randint(60, 140)
        rows = []
        for _ in range(size):
            x = rng.random()
            if x < 0.4 and fresh:
                k = fresh.pop()
            elif x < 0.9 and live:
                k = rng.choice(live)
            elif gone:
                k = rng.choice(gone)
            else:
                continue
            rows.append(_random_row(rng, k, ts_near(k), existing_partition_or_move(k)))
            if rng.random() < 0.1:  # an in-batch duplicate, possibly a tie
                ts = rows[-1]["ts"] if rng.random() < 0.5 else ts_near(k)
                rows.append(_random_row(rng, k, ts, existing_partition_or_move(k)))
        return Step(op, rows)
    if op == "delete":
        rows = []
        for _ in range(rng.randint(100, 200)):
            x = rng.random()
            k = rng.choice(live) if x < 0.8 and live else (rng.choice(gone) if gone and x < 0.9 else f"absent{rng.randint(0, 99)}")
            if rng.random() < 0.6:
                e = mdl.live.get(rk(k))
                base = e.order[1] if e is not None and len(e.order) == 2 else 5
                rows.append({"id": k, "ts": base + rng.randint(-3, 3)})
                if rng.random() < 0.1:
                    rows.append({"id": k, "ts": base + rng.randint(-3, 3)})
            else:
                rows.append({"id": k})
        return Step(op, rows)
    if op == "insert_overwrite":
        targets = rng.sample(sorted({e.partition_values for e in mdl.live.values()}, key=repr), 2)
        rows = []
        for _, e in sorted(mdl.live.items()):
            if e.partition_values in targets and rng.random() < 0.6:
                rows.append(_random_row(rng, e.row["id"], rng.randint(0, 20), rng.choice(targets)))
        for _ in range(20):
            if fresh:
                rows.append(_random_row(rng, fresh.pop(), rng.randint(0, 20), rng.choice(targets)))
        return Step(op, rows)
    if op == "delete_partition":
        parts = sorted({e.partition_values for e in mdl.live.values()}, key=repr)
        return Step(op, partitions=rng.sample(parts, 2))
    raise ValueError(op)


def random_scenario(seed: int = 20260101, keys: int = 2000) -> Scenario:
    """Ten commits of mixed operations over `keys` keys, free of the contract's open cases."""
    rng = random.Random(seed)
    fresh = [f"k{i:04d}" for i in range(keys)]
    rng.shuffle(fresh)
    sc = Scenario(f"random_{seed}", RANDOM_COLUMNS, ["id"], "ts", ["region", "bucket"], steps=[])
    mdl = sc.new_model()
    for i, op in enumerate(RANDOM_OPS, 1):
        step = _random_batch(rng, mdl, op, fresh)
        while True:  # drop every record of a key whose outcome the contract leaves open
            probe = mdl.copy()
            try:
                probe.apply(step.op, step.payload, fake_instant(i))
                break
            except m.Ambiguous as e:
                step.rows = [r for r in step.rows if probe.record_key(r) != e.key]
        mdl = probe
        sc.steps.append(step)
    return sc
