"""lake on the local S3 server (SeaweedFS) next to the same on disk, with request counts (issue 12).

1. The standard CDC workload (Benchmarks/cdc/workload.py, fixed seed): (a) load N records,
   (b) one upsert of N/10, (c) 20 micro-batches of N/200 — `lake upsert --cdc … --mapping
   customer-mapping.json`, on a local directory and on s3://lake/…; wall time of (b) and of all of
   (c), and the requests of each commit on S3 (`--verbose`: LIST/GET/HEAD/PUT/DELETE, bytes).
2. Requests of one micro-batch against the size of the table: a table of R rows in P partitions
   (P = 100 and 10,000), then one upsert of M rows (half updates, half inserts) into the same 20
   partitions in both; the request counts should be the same.

Every lake run is its own process, timed end to end (start, parsing, the commit). The S3 server
runs on the same two cores as lake, so the S3 column pays for the server's CPU too.

Usage: .venv/bin/python Benchmarks/s3/bench_s3.py [--rows 100000] [--repeat 3] [--part-rows 1000000] [--micro 5000]
       [--lake PATH] [--skip standard|partitions]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "cdc"))
sys.path.insert(0, os.path.join(ROOT, "Tests", "interop"))
import workload  # noqa: E402
import s3_server  # noqa: E402

REQUESTS = re.compile(r"requests: LIST (\d+), GET (\d+), HEAD (\d+), PUT (\d+), DELETE (\d+); (.+) read, (.+) written")


def lake(binary, args, env):
    t0 = time.perf_counter()
    p = subprocess.run([binary, *args], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"lake {' '.join(args)} exited {p.returncode}: {p.stderr[-2000:]}")
    m = REQUESTS.search(p.stderr)
    req = None
    if m:
        req = dict(zip(["LIST", "GET", "HEAD", "PUT", "DELETE"], map(int, m.groups()[:5])))
        req["read"], req["written"] = m.group(6), m.group(7)
    return wall, req


def fmt_req(r):
    if not r:
        return "-"
    return f"LIST {r['LIST']}, GET {r['GET']}, HEAD {r['HEAD']}, PUT {r['PUT']}, DELETE {r['DELETE']}"


def standard(a, server, out):
    data = os.path.join(a.work, f"data-{a.rows}")
    if not os.path.exists(os.path.join(data, "expected.json")):
        workload.generate(a.rows, data)
    with open(os.path.join(data, "expected.json")) as f:
        exp = json.load(f)
    micro = [m[:-6] for m in exp["micro_files"]]
    mapping = os.path.join(ROOT, "Benchmarks", "cdc", "customer-mapping.json")
    results = {"disk": {"b_all": []}, "s3": {"b_all": []}}
    # (a) and (b) on a fresh table `repeat` times, disk and S3 alternating (the order swapped every
    # round, so neither always runs after the other); (b) is the median. (c) follows the last (b).
    for rep in range(a.repeat):
        last = rep == a.repeat - 1
        for where in (("disk", "s3") if rep % 2 == 0 else ("s3", "disk")):
            if where == "disk":
                table = os.path.join(a.work, "disk-table")
                shutil.rmtree(table, ignore_errors=True)
                env = dict(os.environ)
            else:
                table = server.uri(f"bench-{int(time.time())}-{rep}/customer")
                env = server.env()

            def commit(name):
                return lake(a.lake, ["upsert", "--table", table, "--cdc", os.path.join(data, name + ".jsonl"),
                                     "--mapping", mapping, "--json", "--verbose"], env)

            load, _ = commit("load")
            b, b_req = commit("upsert")
            r = results[where]
            r["b_all"].append(b)
            r.setdefault("a_all", []).append(load)
            r["b_req"] = b_req
            print(f"{where} round {rep + 1}: (a) {load:.2f} s, (b) {b:.2f} s", flush=True)
            if not last:
                continue
            c_walls, c_reqs = [], []
            for name in micro:
                w, req = commit(name)
                c_walls.append(w)
                c_reqs.append(req)
            r.update(a=sorted(r["a_all"])[len(r["a_all"]) // 2], b=sorted(r["b_all"])[len(r["b_all"]) // 2],
                     c=sum(c_walls), c_req=c_reqs)
            print(f"{where}: (a) median {r['a']:.2f} s, (b) median {r['b']:.2f} s of {r['b_all']}, "
                  f"(c) {r['c']:.2f} s", flush=True)
    d, s = results["disk"], results["s3"]
    c_req = s["c_req"]
    avg = {k: sum(r[k] for r in c_req) / len(c_req) for k in ("LIST", "GET", "HEAD", "PUT", "DELETE")}
    out.append(f"### Standard workload, {a.rows:,} rows (local SeaweedFS vs local disk; (a), (b): median of "
               f"{a.repeat}, (b) runs {', '.join(f'{x:.2f}' for x in d['b_all'])} s on disk, "
               f"{', '.join(f'{x:.2f}' for x in s['b_all'])} s on S3)\n")
    out.append("| phase | disk | S3 | S3 / disk | requests per commit on S3 |")
    out.append("|---|---|---|---|---|")
    out.append(f"| (a) load {a.rows:,} | {d['a']:.2f} s | {s['a']:.2f} s | {s['a'] / d['a']:.2f}× | |")
    out.append(f"| (b) upsert {a.rows // 10:,} | {d['b']:.2f} s | {s['b']:.2f} s | {s['b'] / d['b']:.2f}× | "
               f"{fmt_req(s['b_req'])}; {s['b_req']['written']} written |")
    out.append(f"| (c) 20 micro-batches of {a.rows // 200:,} | {d['c']:.2f} s | {s['c']:.2f} s | "
               f"{s['c'] / d['c']:.2f}× | mean LIST {avg['LIST']:.1f}, GET {avg['GET']:.1f}, HEAD {avg['HEAD']:.1f}, "
               f"PUT {avg['PUT']:.1f}, DELETE {avg['DELETE']:.1f} (first {fmt_req(c_req[0])}, last {fmt_req(c_req[-1])}) |")
    out.append("")


def partitions(a, server, out):
    rows = []
    for parts in (100, 10_000):
        work = os.path.join(a.work, f"parts-{parts}")
        os.makedirs(work, exist_ok=True)
        load = os.path.join(work, "load.jsonl")
        with open(load, "w") as f:
            for i in range(a.part_rows):
                f.write(f'{{"id":"k{i:08d}","ts":1,"p":"p{i % parts:05d}","v":{i}}}\n')
        rng = random.Random(5)
        batch = os.path.join(work, "micro.jsonl")
        # The same 20 partitions in both tables: half updates of keys living there, half new keys.
        with open(batch, "w") as f:
            for j in range(a.micro):
                p = j % 20
                if j % 2 == 0:
                    key = rng.randrange(a.part_rows // parts) * parts + p
                    f.write(f'{{"id":"k{key:08d}","ts":2,"p":"p{p:05d}","v":-1}}\n')
                else:
                    f.write(f'{{"id":"n{j:08d}","ts":2,"p":"p{p:05d}","v":-2}}\n')
        env = server.env()
        table = server.uri(f"parts-{parts}-{int(time.time())}/t")
        lake(a.lake, ["create", "--table", table, "--key", "id", "--precombine", "ts", "--partition-by", "p",
                      "--schema", "message t {\n required binary id (STRING);\n optional int64 ts;\n"
                                  " optional binary p (STRING);\n optional int64 v;\n}\n"], env)
        load_wall, load_req = lake(a.lake, ["bulk-insert", "--table", table, "--input", load, "--verbose"], env)
        wall, req = lake(a.lake, ["upsert", "--table", table, "--input", batch, "--json", "--verbose"], env)
        print(f"{parts} partitions: load {load_wall:.1f} s ({fmt_req(load_req)}), micro-batch {wall:.2f} s, "
              f"{fmt_req(req)}", flush=True)
        rows.append((parts, load_wall, wall, req))
    out.append(f"### Requests of one {a.micro:,}-row micro-batch against the table's size "
               f"({a.part_rows:,} rows, local SeaweedFS)\n")
    out.append("| table | micro-batch wall | LIST | GET | HEAD | PUT | DELETE | read | written |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for parts, _, wall, r in rows:
        out.append(f"| {parts:,} partitions | {wall:.2f} s | {r['LIST']} | {r['GET']} | {r['HEAD']} | {r['PUT']} | "
                   f"{r['DELETE']} | {r['read']} | {r['written']} |")
    out.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000, help="the standard workload's size")
    ap.add_argument("--part-rows", type=int, default=1_000_000, help="rows of the partition-count tables")
    ap.add_argument("--micro", type=int, default=5000, help="rows of the micro-batch into them")
    ap.add_argument("--lake", default=os.path.join(ROOT, ".build", "release", "lake"))
    ap.add_argument("--work", default=os.path.join(ROOT, "Benchmarks", ".work", "s3"))
    ap.add_argument("--repeat", type=int, default=3, help="rounds of (a) and (b); (b) is their median")
    ap.add_argument("--skip", choices=["standard", "partitions"], action="append", default=[])
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    server = s3_server.LocalS3()
    out = [f"load average {os.getloadavg()[0]:.1f} at start", ""]
    try:
        if "standard" not in a.skip:
            standard(a, server, out)
        if "partitions" not in a.skip:
            partitions(a, server, out)
    finally:
        server.shutdown()
    text = "\n".join(out)
    print(text)
    with open(os.path.join(a.work, "results.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
