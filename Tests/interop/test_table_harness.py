"""The scenario harness (scenarios.run_scenario) run against a stand-in for the `lake` CLI, so the
harness itself is proven before lake's table commands exist — and keeps being proven after.

`FakeLake` implements the table commands of the contract in Python, writing real Hudi v6
copy-on-write tables (hoodie.properties, requested/inflight/completed instants, Java-style commit
JSON with write stats and an Avro schema, replacecommits with replaced file groups, one file
group per partition rewritten copy-on-write) that hudi-rs reads. Its write semantics come from the
model, so these tests do not test semantics: they test that every per-commit check, the
partition-path checks, incremental and time-travel reads over replacecommits, and the describe
check hold for a correct table, and that the harness FAILS for a table with a known defect
(re-stamped carried-over rows, a duplicate left behind by a partition move, missing write stats,
ignored ordering, a wrong count).
"""
from __future__ import annotations

import datetime
import decimal
import json
import math
import pathlib
import shlex
import subprocess
import uuid

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import hudi_read as h
import model as m
import scenarios as s

_ARROW = {"string": pa.string(), "int64": pa.int64(), "int32": pa.int32(), "double": pa.float64(),
          "bool": pa.bool_(), "date": pa.date32(), "timestamp": pa.timestamp("us", "UTC"),
          "decimal": pa.decimal128(10, 2), "list": pa.list_(pa.string()),
          "struct": pa.struct([("a", pa.int32()), ("b", pa.string())])}
_AVRO = {"string": "string", "int64": "long", "int32": "int", "double": "double", "bool": "boolean",
         "date": {"type": "int", "logicalType": "date"},
         "timestamp": {"type": "long", "logicalType": "timestamp-micros"},
         "list": {"type": "array", "items": ["null", "string"]}}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _avro_type(c: s.Column):
    if c.kind == "decimal":
        t = {"type": "fixed", "name": f"{c.name}_fixed", "size": 5, "logicalType": "decimal", "precision": 10, "scale": 2}
    elif c.kind == "struct":
        t = {"type": "record", "name": f"{c.name}_record",
             "fields": [{"name": "a", "type": ["null", "int"], "default": None},
                        {"name": "b", "type": ["null", "string"], "default": None}]}
    else:
        t = _AVRO[c.kind]
    return t if c.required else ["null", t]


def _to_arrow(kind: str, values: list) -> pa.Array:
    """Canonical JSON values → an Arrow array of the column's type."""
    if kind == "double":
        special = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
        return pa.array([special.get(v, v) if isinstance(v, str) else (None if v is None else float(v)) for v in values],
                        pa.float64())
    if kind == "date":
        return pa.array([None if v is None else datetime.date.fromisoformat(v) for v in values], pa.date32())
    if kind == "timestamp":
        def micros(v):
            date, clock = v.rstrip("Z").split("T")
            hms, frac = clock.split(".")
            hh, mm, ss = map(int, hms.split(":"))
            days = (datetime.date.fromisoformat(date) - datetime.date(1970, 1, 1)).days
            return ((days * 86400 + hh * 3600 + mm * 60 + ss) * 1_000_000) + int(frac)
        return pa.array([None if v is None else micros(v) for v in values], pa.int64()).cast(_ARROW["timestamp"])
    if kind == "decimal":
        return pa.array([None if v is None else decimal.Decimal(v) for v in values], _ARROW["decimal"])
    return pa.array(values, _ARROW[kind])


class FakeTable:
    def __init__(self, path: pathlib.Path, columns: list[s.Column], key, precombine, partition_by, hive, bug):
        self.path, self.columns, self.bug = path, columns, bug
        self.key, self.precombine, self.partition_by = key, precombine, partition_by
        complex_keys = m.complex_keys_for(None, key, partition_by)
        self.model = m.TableModel([c.name for c in columns], key, None if bug == "ignore_precombine" else precombine,
                                  partition_by, hive_style=hive, url_encode=True, complex_keys=complex_keys)
        self.groups: dict[str, tuple[str, str]] = {}          # partition path -> (file id, base file name)
        self.commits: list[dict] = []
        keygen = ("NonpartitionedKeyGenerator" if not partition_by else "ComplexKeyGenerator" if complex_keys
                  else "SimpleKeyGenerator")
        (path / ".hoodie").mkdir(parents=True)
        props = {
            "hoodie.table.name": path.name, "hoodie.table.type": "COPY_ON_WRITE", "hoodie.table.version": "6",
            "hoodie.timeline.layout.version": "1", "hoodie.table.recordkey.fields": ",".join(key),
            "hoodie.table.partition.fields": ",".join(partition_by),
            "hoodie.table.keygenerator.class": f"org.apache.hudi.keygen.{keygen}",
            "hoodie.datasource.write.hive_style_partitioning": str(hive).lower(),
            "hoodie.datasource.write.partitionpath.urlencode": "true", "hoodie.table.base.file.format": "PARQUET",
            "hoodie.populate.meta.fields": "true", "hoodie.archivelog.folder": "archived",
        }
        if precombine:
            props["hoodie.table.precombine.field"] = precombine
        text = "".join(f"{k}={v.replace(':', chr(92) + ':')}\n" for k, v in props.items())
        (path / ".hoodie" / "hoodie.properties").write_text("#Properties saved by the fake\n" + text)

    def avro_schema(self) -> str:
        return json.dumps({"type": "record", "name": f"{self.path.name}_record", "namespace": "hoodie.fake",
                           "fields": [{"name": c.name, "type": _avro_type(c), **({} if c.required else {"default": None})}
                                      for c in self.columns]})

    def arrow_schema(self) -> pa.Schema:
        meta = [pa.field(n, pa.string(), nullable=False) for n in m.META_COLUMNS]
        return pa.schema(meta + [pa.field(c.name, _ARROW[c.kind], nullable=not c.required) for c in self.columns])

    def write_group(self, ppath: str, instant: str, new_group: bool) -> dict:
        """Rewrites (or creates) the file group of one partition with its live rows."""
        if new_group or ppath not in self.groups:
            file_id, prev = f"{uuid.uuid4()}-0", "null"
        else:
            file_id, prev = self.groups[ppath][0], self.groups[ppath][1].rsplit("_", 1)[1][:-8]
        name = f"{file_id}_0-0-0_{instant}.parquet"
        entries = sorted((k, e) for k, e in self.model.live.items() if self.model.partition_path(e.partition_values) == ppath)
        meta = {n: [] for n in m.META_COLUMNS}
        for i, (k, e) in enumerate(entries):
            ct = instant if self.bug == "restamp" else e.commit_time
            meta["_hoodie_commit_time"].append(ct)
            meta["_hoodie_commit_seqno"].append(f"{ct}_0_{i}")
            meta["_hoodie_record_key"].append(k)
            meta["_hoodie_partition_path"].append(ppath)
            meta["_hoodie_file_name"].append(name)
        arrays = [pa.array(meta[n], pa.string()) for n in m.META_COLUMNS]
        arrays += [_to_arrow(c.kind, [e.row[c.name] for _, e in entries]) for c in self.columns]
        directory = self.path / ppath if ppath else self.path
        directory.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_arrays(arrays, schema=self.arrow_schema()), directory / name)
        self.groups[ppath] = (file_id, name)
        rel = f"{ppath}/{name}" if ppath else name
        size = (directory / name).stat().st_size
        return {"fileId": file_id, "path": rel, "prevCommit": prev, "numWrites": len(entries), "numDeletes": 0,
                "numUpdateWrites": 0, "numInserts": 0, "totalWriteBytes": size, "totalWriteErrors": 0,
                "partitionPath": ppath, "fileSizeInBytes": size}

    def write(self, op: str, payload: list, instant: str) -> dict:
        hoodie = self.path / ".hoodie"
        action = "replacecommit" if op in s.REPLACE_OPERATIONS else "commit"
        (hoodie / f"{instant}.{action}.requested").write_text("")
        (hoodie / f"{instant}.{'replacecommit.' if action == 'replacecommit' else ''}inflight").write_text("{}")
        path_of = lambda e: self.model.partition_path(e.partition_values)  # noqa: E731
        before = {k: (path_of(e), e.commit_time) for k, e in self.model.live.items()}
        counts = self.model.apply(op, payload, instant)
        after = {k: (path_of(e), e.commit_time) for k, e in self.model.live.items()}
        replaced: dict[str, list[str]] = {}
        if op == "insert_overwrite":
            targets = {self.model.partition_path(self.model.partition_values(self.model.full_row(r))) for r in payload}
        elif op == "delete_partition":
            targets = {self.model.partition_path(v) for v in payload}
        else:
            targets = set()
        for p in sorted(targets):
            if p in self.groups:
                replaced[p] = [self.groups.pop(p)[0]]
        touched = {p for p, ct in after.values() if ct == instant}
        for k, (p, _) in before.items():
            if k not in after or after[k][0] != p:
                if not (self.bug == "duplicate_on_move" and k in after):
                    touched.add(p)
        if op == "delete_partition":
            touched -= targets
        stats: dict[str, list] = {}
        for p in sorted(touched):
            stats[p] = [self.write_group(p, instant, new_group=p in targets)]
        if self.bug == "no_write_stats":
            stats = {}
        commit = {"partitionToWriteStats": stats, "compacted": False,
                  "extraMetadata": {"schema": self.avro_schema()}, "operationType": op.upper()}
        if action == "replacecommit":
            commit["partitionToReplaceFileIds"] = replaced
        (hoodie / f"{instant}.{action}").write_text(json.dumps(commit))
        self.commits.append({"instant": instant, "action": action, "operation": op})
        result = {"instant": instant, "operation": op, "records_in": len(payload), "inserted": 0, "updated": 0,
                  "deleted": 0, "ignored": 0, "files_written": len(stats), "partitions_written": len(stats),
                  "bytes_written": sum(x[0]["fileSizeInBytes"] for x in stats.values()), "duration_ms": 1}
        result.update(counts.determined())
        if self.bug == "wrong_count" and op == "upsert":
            result["ignored"] += 1
        return result

    def query(self, meta: bool) -> list[dict]:
        rows = []
        for p, (_, name) in sorted(self.groups.items()):
            table = pq.read_table(self.path / p / name if p else self.path / name)
            rows += h.canonical_rows(table)
        if not meta:
            rows = [{c.name: r[c.name] for c in self.columns} for r in rows]
        return rows

    def describe(self) -> dict:
        partitions: dict[str, list] = {}
        for p, (file_id, name) in sorted(self.groups.items()):
            f = self.path / p / name if p else self.path / name
            partitions.setdefault(p, []).append({"file_id": file_id, "base_file": name,
                                                 "rows": pq.ParquetFile(f).metadata.num_rows, "bytes": f.stat().st_size})
        return {"name": self.path.name, "record_key_fields": self.key, "precombine_field": self.precombine,
                "partition_fields": self.partition_by, "schema": s.message_type(self.columns),
                "commits": self.commits, "partitions": [{"path": p, "file_groups": g} for p, g in partitions.items()]}


class FakeLake:
    """The contract's table commands, in-process; returns CompletedProcess like the conftest runner."""

    def __init__(self, columns: list[s.Column], bug: str | None = None):
        self.columns, self.bug = columns, bug
        self.tables: dict[str, FakeTable] = {}
        self.clock = datetime.datetime(2026, 1, 1, 12, 0, 0)
        self.calls = 0

    def instant(self) -> str:
        self.clock += datetime.timedelta(milliseconds=1)
        return self.clock.strftime("%Y%m%d%H%M%S") + f"{self.clock.microsecond // 1000:03d}"

    def __call__(self, *args, check=True, input=None):
        self.calls += 1
        args = [str(a) for a in args]
        cmd, rest = args[0], args[1:]
        opts: dict[str, list[str]] = {}
        i = 0
        while i < len(rest):
            flag = rest[i]
            if flag in ("--json", "--meta", "--hive-style", "--no-hive-style"):
                opts[flag] = []
                i += 1
            else:
                opts.setdefault(flag, []).append(rest[i + 1])
                i += 2
        path = opts["--table"][0]
        if cmd == "create":
            assert path not in self.tables and not pathlib.Path(path, ".hoodie").exists()
            self.tables[path] = FakeTable(pathlib.Path(path), self.columns, opts["--key"][0].split(","),
                                          opts.get("--precombine", [None])[0],
                                          opts["--partition-by"][0].split(",") if "--partition-by" in opts else [],
                                          "--no-hive-style" not in opts, self.bug)
            out = ""
        elif cmd == "query":
            out = s.to_jsonl(self.tables[path].query("--meta" in opts))
        elif cmd == "describe":
            out = json.dumps(self.tables[path].describe())
        else:
            op = {v: k for k, v in s.CLI_OPERATION.items()}[cmd]
            t = self.tables[path]
            if op == "delete_partition":  # the partitions' values as the live rows hold them
                wanted = set(opts["--partition"])
                payload = sorted({e.partition_values for e in t.model.live.values()
                                  if t.model.partition_path(e.partition_values) in wanted}, key=repr)
            else:
                payload = s.parse_jsonl(pathlib.Path(opts["--input"][0]).read_text(encoding="utf-8"), "input")
            out = json.dumps(t.write(op, payload, self.instant()))
        return subprocess.CompletedProcess(["lake", *map(shlex.quote, args)], 0, out, "")


# -- the harness on a correct table ---------------------------------------------------------------

@pytest.mark.parametrize("scenario", [sc for sc in s.hand_made() if sc.declare_schema], ids=lambda sc: sc.name)
def test_harness_accepts_a_correct_table(scenario, tmp_path):
    lake = FakeLake(scenario.columns)
    run = s.run_scenario(scenario, lake, tmp_path)
    assert len(run.instants) == len(scenario.steps)
    assert lake.calls == 1 + 2 * len(scenario.steps) + 2 + (1 if scenario.check_empty_table else 0)


def test_harness_accepts_the_random_scenario(tmp_path):
    sc = s.random_scenario()
    lake = FakeLake(sc.columns)
    run = s.run_scenario(sc, lake, tmp_path)
    assert len(run.model) > 1000


def test_odd_partition_values_read_back_through_url_encoded_paths(tmp_path):
    sc = next(x for x in s.hand_made() if x.name == "odd_partition_values_non_hive")
    run = s.run_scenario(sc, FakeLake(sc.columns), tmp_path)
    top = {p.name for p in run.table.iterdir()}
    assert not top & {"..", ".", "metadata", "_delta_log"} and ".hoodie" in top
    assert {r["p"] for r in h.snapshot(run.table)} == {v for v in s.ODD_PLAIN if v not in ("_delta_log", "a/b")} | {".hoodie", "metadata"}


# -- the harness on defective tables -----------------------------------------------------------------

@pytest.mark.parametrize("bug,scenario,message", [
    ("restamp", "late_events", "_hoodie_commit_time"),
    ("duplicate_on_move", "partition_moves", "record keys differ"),
    ("no_write_stats", "plain_inserts", "incremental"),
    ("ignore_precombine", "late_events", "updated=3, expected 1"),
    ("wrong_count", "batch_duplicates", "ignored="),
])
def test_harness_rejects_a_defective_table(bug, scenario, message, tmp_path):
    sc = next(x for x in s.hand_made() if x.name == scenario)
    with pytest.raises(AssertionError, match=message):
        s.run_scenario(sc, FakeLake(sc.columns, bug=bug), tmp_path)
