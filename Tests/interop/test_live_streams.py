"""The seed scenario live (issue 13): a DynamoDB `customers` table with its stream on; a driver
puts, updates and deletes items; a forwarder copies the stream's records into a 2-shard Kinesis
stream in the shape DynamoDB's Kinesis destination writes (moto lacks the destination), splitting
one shard mid-run; `lake stream` reads the Kinesis stream into one table and the DynamoDB stream
straight into another, and is killed with SIGKILL three times at random moments and restarted.
Both run with `--sync glue`. Then each table, read by hudi-rs, equals the model of every change
applied once in order, and moto's Glue catalog holds its columns in Hive types; the
commits' record counts add up to exactly the records each source holds (nothing applied twice,
nothing skipped); and SIGTERM during a window commits it and exits 0.

moto keeps routing records to a split shard rather than its children, so after the split the
forwarder sends every record to the other shard (explicit hash key): the split parent must still be
read to its end, and the children are followed; child-after-parent ordering with records in the
children is proven in Swift (StreamSourceTests) where a stream can hold them."""
from __future__ import annotations

import base64
import json
import os
import pathlib
import random
import re
import signal
import subprocess
import threading
import time

import hudi_read
from conftest import lake_bin
from glue_catalog import assert_catalog_matches
from local_aws import moto_server

KEYS = 40
OPS = 500
SHARD1_HASH = str(2**127 + 12345)  # in the second shard's half of the hash key space
MODEL_COLUMNS = ["id", "name", "city", "visits", "vip"]


class Feed:
    """The driver and the forwarder: DynamoDB changes, the model, and the Kinesis copy."""

    def __init__(self, moto, seed: int):
        self.ddb = moto.client("dynamodb")
        self.streams = moto.client("dynamodbstreams")
        self.kinesis = moto.client("kinesis")
        self.rng = random.Random(seed)
        self.model: dict[str, dict] = {}
        self.stream_records = 0
        self.kinesis_records = 0
        self.split = False
        self.ddb.create_table(
            TableName="customers", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.kinesis.create_stream(StreamName="customer-changes", ShardCount=2)
        arn = self.ddb.describe_table(TableName="customers")["Table"]["LatestStreamArn"]
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.iterator = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]

    def change(self):
        """One random put, update or delete, applied to DynamoDB and to the model."""
        key = f"c{self.rng.randrange(KEYS):03d}"
        roll = self.rng.random()
        if key in self.model and roll < 0.2:
            self.ddb.delete_item(TableName="customers", Key={"id": {"S": key}})
            del self.model[key]
        elif key in self.model and roll < 0.7:
            visits = self.model[key]["visits"] + 1
            city = self.rng.choice(["Lyon", "Oslo", "Lima", "Pune"])
            self.ddb.update_item(TableName="customers", Key={"id": {"S": key}},
                                 UpdateExpression="SET visits = :v, city = :c",
                                 ExpressionAttributeValues={":v": {"N": str(visits)}, ":c": {"S": city}})
            self.model[key].update(visits=visits, city=city)
        else:
            item = {"id": key, "name": f"Customer {key}", "city": "Rome", "visits": self.rng.randrange(100),
                    "vip": self.rng.random() < 0.3}
            self.ddb.put_item(TableName="customers", Item={
                "id": {"S": key}, "name": {"S": item["name"]}, "city": {"S": item["city"]},
                "visits": {"N": str(item["visits"])}, "vip": {"BOOL": item["vip"]}})
            self.model[key] = item
        time.sleep(0.002)  # distinct milliseconds: the Kinesis shape orders by time alone

    def forward(self):
        """Copies new stream records into Kinesis, as DynamoDB's Kinesis destination would."""
        while True:
            answer = self.streams.get_records(ShardIterator=self.iterator, Limit=1000)
            self.iterator = answer["NextShardIterator"]
            records = answer["Records"]
            if not records:
                return
            self.stream_records += len(records)
            entries = []
            for r in records:
                d = r["dynamodb"]
                wrapped = {"awsRegion": "us-east-1", "eventID": r["eventID"], "eventName": r["eventName"],
                           "userIdentity": None, "recordFormat": "application/json", "tableName": "customers",
                           "dynamodb": {"ApproximateCreationDateTime": int(d["ApproximateCreationDateTime"].timestamp() * 1000),
                                        "Keys": d["Keys"], "SizeBytes": d.get("SizeBytes", 0),
                                        **{k: d[k] for k in ("NewImage", "OldImage") if k in d}},
                           "eventSource": "aws:dynamodb"}
                entry = {"Data": json.dumps(wrapped).encode(), "PartitionKey": d["Keys"]["id"]["S"]}
                if self.split:
                    entry["ExplicitHashKey"] = SHARD1_HASH
                entries.append(entry)
            for i in range(0, len(entries), 500):
                put = self.kinesis.put_records(StreamName="customer-changes", Records=entries[i:i + 500])
                assert put.get("FailedRecordCount", 0) == 0, put
            self.kinesis_records += len(entries)

    def split_shard(self):
        self.forward()
        shard = self.kinesis.list_shards(StreamName="customer-changes")["Shards"][0]
        low, high = int(shard["HashKeyRange"]["StartingHashKey"]), int(shard["HashKeyRange"]["EndingHashKey"])
        self.kinesis.split_shard(StreamName="customer-changes", ShardToSplit=shard["ShardId"],
                                 NewStartingHashKey=str((low + high) // 2))
        self.split = True


class Stream:
    """One `lake stream` process, restartable."""

    def __init__(self, name: str, source: str, table: pathlib.Path, mapping: pathlib.Path, env: dict, window: str):
        self.name, self.source, self.table, self.mapping, self.env = name, source, table, mapping, env
        self.window = window
        self.proc: subprocess.Popen | None = None
        self.logs: list[str] = []
        self.log_path = table.parent / f"{name}.log"

    def start(self, window: str | None = None):
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [lake_bin(), "stream", "--table", str(self.table), "--source", self.source, "--mapping", str(self.mapping),
             "--window", window or self.window, "--verbose", "--sync", "glue", "--sync-database", "lake",
             "--sync-table", self.name], stdout=log, stderr=log, env=self.env)
        log.close()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def wait_for_read(self, records: int, after: int, timeout: float = 60):
        """Waits until the process logged (--verbose) an open window of at least `records` records,
        in the log past offset `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_text()[after:]
            counts = [int(m) for m in re.findall(r"read: (\d+) records", text)]
            if counts and max(counts) >= records:
                return
            assert self.proc.poll() is None, text[-3000:]
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not read {records} records within {timeout}s")

    def stop(self, timeout: float) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def ensure_stopped(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def table_rows(table: pathlib.Path) -> dict[str, dict]:
    if not (table / ".hoodie" / "hoodie.properties").exists():
        return {}
    rows = hudi_read.snapshot(table)
    return {r["id"]: {c: r.get(c) for c in MODEL_COLUMNS} for r in rows}


def model_rows(model: dict[str, dict]) -> dict[str, dict]:
    return {k: {c: v.get(c) for c in MODEL_COLUMNS} for k, v in model.items()}


def committed_records(table: pathlib.Path) -> int:
    """Records the table's commits say they applied (lake.ingest.records of every completed commit)."""
    total = 0
    for f in (table / ".hoodie").glob("*.commit"):
        extra = json.loads(f.read_text()).get("extraMetadata", {})
        total += int(extra.get("lake.ingest.records", 0))
    return total


def wait_until_equal(streams: list[Stream], model: dict, timeout: float):
    deadline = time.monotonic() + timeout
    want = model_rows(model)
    while True:
        diffs = {s.name: s for s in streams if table_rows(s.table) != want}
        if not diffs:
            return
        for s in streams:
            assert s.proc.poll() is None, f"{s.name} exited {s.proc.returncode}:\n{s.log_path.read_text()[-3000:]}"
        if time.monotonic() > deadline:
            s = next(iter(diffs.values()))
            got = table_rows(s.table)
            missing = sorted(set(want) - set(got))[:5]
            wrong = [(k, want[k], got.get(k)) for k in sorted(want) if k in got and got[k] != want[k]][:3]
            extra = sorted(set(got) - set(want))[:5]
            raise AssertionError(f"{s.name}: table differs from the model after {timeout}s: missing {missing}, "
                                 f"extra {extra}, wrong {wrong}\n{s.log_path.read_text()[-3000:]}")
        time.sleep(0.5)


def test_seed_scenario_live_killed_and_restarted_equals_the_model(tmp_path):
    mapping = tmp_path / "mapping.json"
    # Archiving keeps commits out of .hoodie/ (the record count below reads them all).
    mapping.write_text(json.dumps({
        "table": {"name": "customers", "recordKey": "id", "properties": {"archive.automatic": "false"}},
        "columns": [{"source": "dynamodb.NewImage.id.S", "target": "id", "targetType": "string"},
                    {"source": "dynamodb.NewImage.name.S", "target": "name", "targetType": "string"},
                    {"source": "dynamodb.NewImage.city.S", "target": "city", "targetType": "string"},
                    {"source": "dynamodb.NewImage.visits.N", "target": "visits", "targetType": "long"},
                    {"source": "dynamodb.NewImage.vip.BOOL", "target": "vip", "targetType": "boolean"}]}))
    rng = random.Random(20261207)
    with moto_server() as moto:
        feed = Feed(moto, seed=5)
        env = moto.environment()
        streams = [Stream("kinesis", "kinesis://customer-changes", tmp_path / "from-kinesis", mapping, env, "700ms"),
                   Stream("dynamodb", "dynamodb://customers", tmp_path / "from-dynamodb", mapping, env, "700ms")]
        try:
            for s in streams:
                s.start()
            kills = {s.name: 0 for s in streams}
            # Each stream is killed three times at random moments while the driver runs.
            plan = sorted((rng.uniform(0.5, 9.0), s) for s in streams for _ in range(3))
            started = time.monotonic()
            for i in range(OPS):
                feed.change()
                if i % 25 == 24:
                    feed.forward()
                if i == OPS // 2:
                    feed.split_shard()
                while plan and time.monotonic() - started >= plan[0][0]:
                    _, s = plan.pop(0)
                    s.kill()
                    kills[s.name] += 1
                    time.sleep(rng.uniform(0, 0.3))
                    s.start()
            for _, s in plan:  # kills the driver outran
                s.kill()
                kills[s.name] += 1
                s.start()
            feed.forward()
            assert kills == {"kinesis": 3, "dynamodb": 3}
            wait_until_equal(streams, feed.model, timeout=90)

            # Exactly once: the commits applied each source record once.
            assert committed_records(streams[0].table) == feed.kinesis_records
            assert committed_records(streams[1].table) == feed.stream_records

            # SIGTERM during a window commits it and exits 0: a 60 s window, changes read, then SIGTERM.
            offsets = {}
            for s in streams:
                assert s.stop(30) == 0
                offsets[s.name] = len(s.log_path.read_text())
                s.start(window="60s")
            before = (feed.kinesis_records, feed.stream_records)
            for _ in range(30):
                feed.change()
            feed.forward()
            streams[0].wait_for_read(feed.kinesis_records - before[0], offsets["kinesis"])
            streams[1].wait_for_read(feed.stream_records - before[1], offsets["dynamodb"])
            for s in streams:
                began = time.monotonic()
                assert s.stop(20) == 0, s.log_path.read_text()[-3000:]
                assert time.monotonic() - began < 20
                assert table_rows(s.table) == model_rows(feed.model), f"{s.name}: the window in flight was not committed"
            assert committed_records(streams[0].table) == feed.kinesis_records
            assert committed_records(streams[1].table) == feed.stream_records
            # Each window of a stream is reported on standard error, and its commit stores it.
            for s in streams:
                log = s.log_path.read_text()
                assert re.search(r"window: \d+ records, \d+ bytes in, 0 errors; lag .*; latency from arrival p50 "
                                 r"\d+ ms, p99 \d+ ms, max \d+ ms", log), log[-2000:]
                extra = json.loads(sorted((s.table / ".hoodie").glob("*.commit"))[-1].read_text())["extraMetadata"]
                assert set(json.loads(extra["lake.stream.latencyToCommitStartMillis"])) == {"p50", "p99", "max"}
            # --sync glue: every commit was followed by a sync; the catalog equals the table.
            glue = moto.client("glue")
            for s in streams:
                assert re.search(rf"glue sync lake\.{s.name}: ", s.log_path.read_text())
                assert_catalog_matches(glue, "lake", s.name, s.table, [])
        finally:
            for s in streams:
                s.ensure_stopped()


def scrape(port: int, path: str = "/metrics") -> tuple[int, str, str]:
    """(status, content type, body) of one GET."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def metric_values(text: str) -> dict[tuple, float]:
    """Every sample, parsed by prometheus-client's own parser: (name, sorted labels) → value."""
    from prometheus_client.parser import text_string_to_metric_families
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_metrics_port_serves_prometheus_text_matching_what_was_sent(tmp_path):
    from local_aws import free_port
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({
        "table": {"name": "customers", "recordKey": "id", "properties": {"archive.automatic": "false"}},
        "columns": [{"source": "dynamodb.NewImage.id.S", "target": "id", "targetType": "string"},
                    {"source": "dynamodb.NewImage.visits.N", "target": "visits", "targetType": "long"}]}))
    port = free_port()
    with moto_server() as moto:
        feed = Feed(moto, seed=11)
        table = tmp_path / "t"
        log_path = tmp_path / "stream.log"
        with open(log_path, "a") as log:
            proc = subprocess.Popen(
                [lake_bin(), "stream", "--table", str(table), "--source", "kinesis://customer-changes",
                 "--mapping", str(mapping), "--window", "300ms", "--metrics-port", str(port)],
                stdout=log, stderr=log, env=moto.environment())
        try:
            deadline = time.monotonic() + 30
            while "metrics at http://127.0.0.1:" not in log_path.read_text():
                assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.1)
            # Before any commit: valid exposition, zero counters; other paths are 404.
            status, ctype, text = scrape(port)
            assert status == 200 and ctype.startswith("text/plain; version=0.0.4"), (status, ctype)
            assert metric_values(text)[("lake_stream_records_total", ())] == 0
            assert scrape(port, "/")[0] == 404 and scrape(port, "/other")[0] == 404

            for _ in range(120):
                feed.change()
            feed.forward()
            bad = ["not json", "{\"eventName\": 17}", "[1, 2"]
            feed.kinesis.put_records(StreamName="customer-changes", Records=[
                {"Data": b.encode(), "PartitionKey": "bad"} for b in bad])
            sent = feed.kinesis_records + len(bad)
            deadline = time.monotonic() + 60
            while True:
                values = metric_values(scrape(port)[2])
                if values[("lake_stream_records_total", ())] >= sent:
                    break
                assert proc.poll() is None and time.monotonic() < deadline, (values, log_path.read_text()[-2000:])
                time.sleep(0.3)
            # Scraped during the live stream: the counters equal what was sent and what the commits say.
            commits = [json.loads(f.read_text())["extraMetadata"] for f in sorted((table / ".hoodie").glob("*.commit"))]
            assert values[("lake_stream_records_total", ())] == sent
            assert values[("lake_stream_records_total", ())] == sum(int(c["lake.ingest.records"]) for c in commits)
            assert values[("lake_stream_refused_records_total", ())] == len(bad)
            assert values[("lake_stream_refused_records_total", ())] == sum(int(c["lake.ingest.errors"]) for c in commits)
            assert values[("lake_stream_bytes_total", ())] == sum(int(c["lake.stream.bytes"]) for c in commits)
            assert values[("lake_stream_commits_total", ())] == len(commits)
            assert values[("lake_stream_commit_duration_seconds_count", ())] == len(commits)
            assert values[("lake_stream_commit_duration_seconds_bucket", (("le", "+Inf"),))] == len(commits)
            assert values[("lake_stream_conflicts_total", ())] == 0
            shards = {s["ShardId"] for s in feed.kinesis.list_shards(StreamName="customer-changes")["Shards"]}
            ages = {dict(k[1])["shard"]: v for k, v in values.items() if k[0] == "lake_stream_iterator_age_milliseconds"}
            assert set(ages) == shards and all(v >= 0 for v in ages.values())
            p50 = values[("lake_stream_ingest_to_commit_milliseconds", (("quantile", "0.5"),))]
            top = values[("lake_stream_ingest_to_commit_milliseconds", (("quantile", "1"),))]
            assert 0 <= p50 <= top < 60_000
            # A second stream asking for the same port stops at once, naming it (exit 74).
            second = subprocess.run(
                [lake_bin(), "stream", "--table", str(tmp_path / "other"), "--source", "kinesis://customer-changes",
                 "--mapping", str(mapping), "--metrics-port", str(port)],
                capture_output=True, text=True, env=moto.environment(), timeout=60)
            assert second.returncode == 74 and f"cannot listen on 127.0.0.1:{port}" in second.stderr, second.stderr
            assert proc.poll() is None
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_stream_with_the_catalog_unreachable_keeps_committing_and_lake_sync_catches_up(tmp_path):
    from conftest import lake_runner
    from local_aws import free_port
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({
        "table": {"name": "customers", "recordKey": "id"},
        "columns": [{"source": "dynamodb.NewImage.id.S", "target": "id", "targetType": "string"},
                    {"source": "dynamodb.NewImage.name.S", "target": "name", "targetType": "string"},
                    {"source": "dynamodb.NewImage.city.S", "target": "city", "targetType": "string"},
                    {"source": "dynamodb.NewImage.visits.N", "target": "visits", "targetType": "long"},
                    {"source": "dynamodb.NewImage.vip.BOOL", "target": "vip", "targetType": "boolean"}]}))
    with moto_server() as moto:
        feed = Feed(moto, seed=23)
        env = moto.environment() | {"AWS_ENDPOINT_URL_GLUE": f"http://127.0.0.1:{free_port()}"}  # nothing listens
        s = Stream("offline", "dynamodb://customers", tmp_path / "t", mapping, env, "300ms")
        try:
            s.start()
            for _ in range(60):
                feed.change()
            wait_until_equal([s], feed.model, timeout=60)  # the commits go on without the catalog
            s.proc.send_signal(signal.SIGTERM)
            status = s.proc.wait(60)
            log = s.log_path.read_text()
            assert "catalog sync failed (the commit stands" in log, log[-2000:]
            assert status == 69, log[-2000:]  # the sync after the last commit still failed
            assert table_rows(s.table) == model_rows(feed.model)
        finally:
            s.ensure_stopped()
        glue = moto.client("glue")
        assert "lake" not in [d["Name"] for d in glue.get_databases()["DatabaseList"]]
        lake_runner(moto.environment())("sync", "--table", s.table, "--sync-database", "lake", "--sync-table",
                                        "offline")
        assert_catalog_matches(glue, "lake", "offline", s.table, [])
