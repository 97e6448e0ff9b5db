#!/usr/bin/env python3
"""Figures for `lake stream` from Kinesis (moto's server on 127.0.0.1), printed as a small report:

1. moto alone: change records per second one botocore GetRecords loop pulls (the server's bound);
2. sustained: a backlog of update records (DynamoDB's Kinesis-destination shape, 2 shards) ingested
   into a table of --rows rows with 1 s windows — records per second from the first record read to
   the commit holding the last, and the lag the shards report;
3. ingest-to-commit latency with 1 s windows: a producer puts records at --rate per second; a
   record's latency is its commit's completion (the `.commit` file's time) minus the moment its
   PutRecords call returned; p50, p99 and max.

Usage: .venv/bin/python scripts/stream-bench.py [--lake .build/release/lake] [--rows 1000000]
       [--backlog 30000] [--rate 200] [--seconds 20]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "interop"))
from local_aws import moto_server  # noqa: E402

MAPPING = {
    # Partitioned like samples/customer (100 partitions by the id's last two digits).
    "table": {"name": "customers", "recordKey": "id", "partitionFields": ["partitionkey", "partitionkey2"],
              "properties": {"archive.automatic": "false"}},
    "derived": [{"target": "partitionkey", "expression": "substr(id, -1, 1)"},
                {"target": "partitionkey2", "expression": "substr(id, -2, 1)"}],
    "columns": [{"source": "dynamodb.NewImage.id.S", "target": "id", "targetType": "string"},
                {"source": "dynamodb.NewImage.name.S", "target": "name", "targetType": "string"},
                {"source": "dynamodb.NewImage.city.S", "target": "city", "targetType": "string"},
                {"source": "dynamodb.NewImage.visits.N", "target": "visits", "targetType": "long"}],
}


def change(key: int, visits: int, millis: int, event: str = "MODIFY") -> dict:
    image = {"id": {"S": f"c{key:07d}"}, "name": {"S": f"Customer {key}"}, "city": {"S": "Lyon"},
             "visits": {"N": str(visits)}}
    return {"awsRegion": "us-east-1", "eventName": event, "recordFormat": "application/json",
            "tableName": "customers", "eventSource": "aws:dynamodb",
            "dynamodb": {"ApproximateCreationDateTime": millis, "Keys": {"id": image["id"]}, "NewImage": image}}


def put(kinesis, records: list[dict]) -> list[tuple[str, str, float]]:
    """Puts records (500 per call); returns (shard, sequence, time the call returned) per record."""
    out = []
    for i in range(0, len(records), 500):
        batch = records[i:i + 500]
        answer = kinesis.put_records(StreamName="changes", Records=[
            {"Data": json.dumps(r).encode(), "PartitionKey": r["dynamodb"]["Keys"]["id"]["S"]} for r in batch])
        done = time.time()
        assert answer.get("FailedRecordCount", 0) == 0
        out += [(e["ShardId"], e["SequenceNumber"], done) for e in answer["Records"]]
    return out


def commits(table: pathlib.Path) -> list[tuple[float, dict, int]]:
    """(completion time, checkpoint shards, records) of each completed commit, oldest first."""
    out = []
    for f in (table / ".hoodie").glob("*.commit"):
        extra = json.loads(f.read_text()).get("extraMetadata", {})
        cp = json.loads(extra.get("lake.checkpoint", "{}"))
        out.append((f.stat().st_mtime, cp.get("shards", {}), int(extra.get("lake.ingest.records", 0))))
    return sorted(out, key=lambda c: c[0])


def committed(table: pathlib.Path) -> int:
    return sum(c[2] for c in commits(table))


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lake", default=str(ROOT / ".build" / "release" / "lake"))
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--backlog", type=int, default=30_000)
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=20)
    args = ap.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="lake-stream-bench-"))
    mapping = work / "mapping.json"
    mapping.write_text(json.dumps(MAPPING))
    table = work / "customers"
    rng = random.Random(1)
    base = int(time.time() * 1000) - 3_600_000

    # The table: --rows rows loaded in one upsert.
    started = time.monotonic()
    with open(work / "load.jsonl", "w") as f:
        for k in range(args.rows):
            f.write(json.dumps(change(k, 0, base, "INSERT")) + "\n")
    subprocess.run([args.lake, "upsert", "--table", str(table), "--cdc", str(work / "load.jsonl"),
                    "--mapping", str(mapping)], check=True, capture_output=True)
    os.remove(work / "load.jsonl")
    loaded = committed(table)
    print(f"table: {args.rows} rows loaded in {time.monotonic() - started:.1f} s")

    with moto_server() as moto:
        kinesis = moto.client("kinesis")
        kinesis.create_stream(StreamName="changes", ShardCount=2)
        backlog = [change(rng.randrange(args.rows), i + 1, base + 1000 + i) for i in range(args.backlog)]
        put(kinesis, backlog)

        # 1. moto alone.
        t0 = time.monotonic()
        n = 0
        for shard in kinesis.list_shards(StreamName="changes")["Shards"]:
            it = kinesis.get_shard_iterator(StreamName="changes", ShardId=shard["ShardId"],
                                            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while True:
                r = kinesis.get_records(ShardIterator=it, Limit=10000)
                n += len(r["Records"])
                it = r["NextShardIterator"]
                if not r["Records"]:
                    break
        print(f"moto alone: {n} records through GetRecords in {time.monotonic() - t0:.1f} s "
              f"= {n / (time.monotonic() - t0):,.0f} records/s")

        # 2. Sustained: the backlog into the table.
        log = open(work / "stream.log", "w")
        proc = subprocess.Popen([args.lake, "stream", "--table", str(table), "--source", "kinesis://changes",
                                 "--mapping", str(mapping), "--window", "1s"],
                                stdout=log, stderr=log, env=moto.environment())
        try:
            t0 = time.monotonic()
            while committed(table) - loaded < args.backlog:
                assert proc.poll() is None, (work / "stream.log").read_text()[-2000:]
                time.sleep(0.05)
            elapsed = time.monotonic() - t0
            windows = len(commits(table)) - 1
            print(f"sustained: {args.backlog} change records into the {args.rows}-row table in {elapsed:.1f} s "
                  f"(process start included) = {args.backlog / elapsed:,.0f} records/s, {windows} windows")

            # 3. Latency at --rate records/s.
            sent: list[tuple[str, str, float]] = []
            t0 = time.monotonic()
            i = 0
            while time.monotonic() - t0 < args.seconds:
                tick = time.monotonic()
                batch = [change(rng.randrange(args.rows), 10**6 + i + j, int(time.time() * 1000))
                         for j in range(max(1, args.rate // 10))]
                i += len(batch)
                sent += put(kinesis, batch)
                time.sleep(max(0.0, 0.1 - (time.monotonic() - tick)))
            want = loaded + args.backlog + len(sent)
            deadline = time.monotonic() + 60
            while committed(table) < want and time.monotonic() < deadline:
                time.sleep(0.05)
            cs = commits(table)
            latencies = []
            for shard, seq, at in sent:
                done = next((c[0] for c in cs if int(c[1].get(shard, "-1")) >= int(seq)), None)
                assert done is not None, f"record {shard}/{seq} was not committed"
                latencies.append((done - at) * 1000)
            rate = len(sent) / args.seconds
            print(f"latency, 1 s windows, {rate:,.0f} records/s for {args.seconds} s ({len(sent)} records): "
                  f"p50 {percentile(latencies, 50):.0f} ms, p99 {percentile(latencies, 99):.0f} ms, "
                  f"max {max(latencies):.0f} ms")
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)
            log.close()
    print(f"work directory: {work}")


if __name__ == "__main__":
    main()
