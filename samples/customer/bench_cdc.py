#!/usr/bin/env python3
"""`lake upsert --cdc` against delta-rs, on the same change records, in the same run.

Workload (issue 5): a table of N customer rows (default 1,000,000, 100 hive-style partitions by
the last two characters of the id), then M change records (default 100,000: 70% MODIFY,
20% INSERT, 10% REMOVE, some keys changed more than once) applied as one commit.

* lake: `lake upsert --cdc changes.jsonl --mapping samples/customer/mapping.json` — parsing the
  DynamoDB JSON, ordering, deletes and the copy-on-write merge, all in the timed command.
* delta-rs (`deltalake`): the change records parsed with Python's json module into an Arrow table
  (timed separately: "parse"), deduplicated to the newest change per key with pyarrow ("dedup";
  delta-rs' merge refuses duplicate source keys), then `DeltaTable.merge` with a delete clause for
  REMOVE, an update clause and an insert clause whose predicates keep the newer event ("merge").

Usage: .venv/bin/python samples/customer/bench_cdc.py --lake .build/release/lake [--rows N] [--changes M]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.compute as pc

HERE = os.path.dirname(os.path.abspath(__file__))


def item(cid, rng, n):
    return {"id": cid, "custName": "Customer %s %d" % (cid[1:], n), "email": "%s+%d@example.com" % (cid.lower(), n),
            "registrationDate": "2024-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))}


def record(name, cid, new, old, t, seq):
    def img(i):
        return {"id": {"S": i["id"]}, "custName": {"S": i["custName"]}, "email": {"S": i["email"]},
                "registrationDate": {"S": i["registrationDate"]}}
    d = {"ApproximateCreationDateTime": t, "Keys": {"id": {"S": cid}}}
    if new is not None:
        d["NewImage"] = img(new)
    if old is not None:
        d["OldImage"] = img(old)
    d.update({"SequenceNumber": str(seq), "SizeBytes": 300, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    return json.dumps({"eventID": "%032x" % seq, "eventName": name, "eventVersion": "1.1", "eventSource": "aws:dynamodb",
                       "awsRegion": "us-east-1", "dynamodb": d}, separators=(",", ":"))


def workload(rows, changes, seed=1):
    rng = random.Random(seed)
    live = {}
    load, change = [], []
    t, seq = 1795000000, 4200000000000000000000
    for k in range(rows):
        cid = "C%07d" % k
        live[cid] = item(cid, rng, 0)
        seq += 1
        load.append(record("INSERT", cid, live[cid], None, t, seq))
    hot = ["C%07d" % rng.randrange(rows) for _ in range(changes // 20)]
    next_id = rows
    for n in range(changes):
        t += rng.randint(0, 1)
        seq += rng.randint(1, 100)
        roll = rng.random()
        if roll < 0.2:
            cid = "C%07d" % next_id
            next_id += 1
            live[cid] = item(cid, rng, n)
            change.append(record("INSERT", cid, live[cid], None, t, seq))
            continue
        cid = hot[rng.randrange(len(hot))] if rng.random() < 0.05 else "C%07d" % rng.randrange(rows)
        old = live.get(cid)
        if old is None:
            live[cid] = item(cid, rng, n)
            change.append(record("INSERT", cid, live[cid], None, t, seq))
        elif roll < 0.3:
            live[cid] = None
            change.append(record("REMOVE", cid, None, old, t, seq))
        else:
            new = dict(old)
            new["email"] = "%s+%d@example.com" % (cid.lower(), n)
            live[cid] = new
            change.append(record("MODIFY", cid, new, old, t, seq))
    return load, change


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(cmd), p.stderr[-2000:]))
    return time.perf_counter() - t0, p.stdout


def parse_changes(lines):
    """The change records as an Arrow table (what delta-rs needs as a merge source)."""
    cols = {k: [] for k in ["id", "custName", "email", "registrationDate", "partitionkey", "partitionkey2", "ts", "seq", "deleted"]}
    for line in lines:
        r = json.loads(line)
        d = r["dynamodb"]
        img = d.get("NewImage") or d.get("OldImage") or d["Keys"]
        cid = img["id"]["S"]
        cols["id"].append(cid)
        for c in ["custName", "email", "registrationDate"]:
            cols[c].append(img[c]["S"] if c in img else None)
        cols["partitionkey"].append(cid[-1:])
        cols["partitionkey2"].append(cid[-2:-1])
        cols["ts"].append(int(d["ApproximateCreationDateTime"]) * 1000)
        cols["seq"].append(d["SequenceNumber"].zfill(40))
        cols["deleted"].append(r["eventName"] == "REMOVE")
    return pa.table(cols)


def dedup(t):
    """Newest change per key: sort by (id, ts, seq), keep the last of each id."""
    t = t.sort_by([("id", "ascending"), ("ts", "ascending"), ("seq", "ascending")])
    ids = t.column("id")
    keep = pc.not_equal(ids.slice(0, len(ids) - 1), ids.slice(1)) if len(ids) > 1 else pa.array([], pa.bool_())
    mask = pa.concat_arrays([keep.combine_chunks() if hasattr(keep, "combine_chunks") else keep, pa.array([True])])
    return t.filter(mask)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lake", required=True)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--changes", type=int, default=100_000)
    p.add_argument("--workdir")
    a = p.parse_args()
    from deltalake import DeltaTable, write_deltalake

    work = a.workdir or tempfile.mkdtemp(prefix="lake-bench-cdc-")
    os.makedirs(work, exist_ok=True)
    load, changes = workload(a.rows, a.changes)
    with open(os.path.join(work, "load.jsonl"), "w") as f:
        f.write("\n".join(load) + "\n")
    with open(os.path.join(work, "changes.jsonl"), "w") as f:
        f.write("\n".join(changes) + "\n")
    mb = os.path.getsize(os.path.join(work, "changes.jsonl")) / 1e6
    mapping = os.path.join(HERE, "mapping.json")

    table = os.path.join(work, "lake_customer")
    shutil.rmtree(table, ignore_errors=True)
    t_load, _ = timed([a.lake, "upsert", "--table", table, "--cdc", os.path.join(work, "load.jsonl"), "--mapping", mapping])
    t_lake, out = timed([a.lake, "upsert", "--table", table, "--cdc", os.path.join(work, "changes.jsonl"), "--mapping", mapping, "--json"])
    lake_report = json.loads(out)

    dpath = os.path.join(work, "delta_customer")
    shutil.rmtree(dpath, ignore_errors=True)
    base = parse_changes(load)
    base = base.drop_columns(["deleted", "seq"])
    t0 = time.perf_counter()
    write_deltalake(dpath, base, partition_by=["partitionkey", "partitionkey2"])
    t_dload = time.perf_counter() - t0
    t0 = time.perf_counter()
    src = parse_changes(changes)
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    src = dedup(src)
    t_dedup = time.perf_counter() - t0
    t0 = time.perf_counter()
    dt = DeltaTable(dpath)
    (dt.merge(src, predicate="t.id = s.id", source_alias="s", target_alias="t")
       .when_matched_delete(predicate="s.deleted AND s.ts >= t.ts")
       .when_matched_update(updates={c: "s." + c for c in ["custName", "email", "registrationDate", "ts"]},
                            predicate="NOT s.deleted AND s.ts >= t.ts")
       .when_not_matched_insert(updates={c: "s." + c for c in ["id", "custName", "email", "registrationDate", "partitionkey", "partitionkey2", "ts"]},
                                predicate="NOT s.deleted")
       .execute())
    t_merge = time.perf_counter() - t0

    delta_rows = DeltaTable(dpath).to_pyarrow_dataset().count_rows()
    print("workload: %d rows, %d change records (%.1f MB)" % (a.rows, a.changes, mb))
    print("load:   lake upsert --cdc %.2f s | delta-rs write_deltalake %.2f s (its input parsed beforehand)" % (t_load, t_dload))
    print("lake upsert --cdc (parse + order + merge): %.2f s  [%s]" % (t_lake, lake_report))
    print("delta-rs: parse %.2f s, dedup %.2f s, merge %.2f s, total %.2f s" % (t_parse, t_dedup, t_merge, t_parse + t_dedup + t_merge))
    print("ratio: delta-rs merge alone / lake = %.2f" % (t_merge / t_lake))
    print("rows after: lake %d (inserted - deleted + %d), delta-rs %d" % (a.rows + lake_report["inserted"] - lake_report["deleted"], a.rows, delta_rows))


if __name__ == "__main__":
    main()
