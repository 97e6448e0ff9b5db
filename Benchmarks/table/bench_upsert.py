"""Bulk load + upsert: lake vs delta-rs on the same data, in the same run.

Phases (issue 3; the full workload is issue 7):
  (a) load 1,000,000 customer rows into 100 hive-style partitions;
  (b) upsert 100,000 change records (70% updates, 20% inserts, 10% deletes, ~5% keys repeated).

lake runs as the `lake` CLI on Parquet inputs (its time includes reading the input file);
delta-rs runs `write_deltalake` then `DeltaTable.merge` with update / insert / delete clauses
whose predicates keep the newer event (`s.ts >= t.ts`). delta-rs' merge refuses duplicate source
keys, so its input is first deduplicated in pyarrow (timed separately as "dedup"). Each engine
phase runs in its own process so peak memory (max RSS) is measured per phase.

Usage: python bench_upsert.py [--rows N] [--changes N] [--repeat 3] [--lake PATH]
"""
import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workload  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run_timed(cmd, env=None):
    """Runs a command; returns (seconds, max RSS in MiB of that child, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(rss, before) / 1024.0, p.stdout


def child_rss_isolated(cmd):
    """Max RSS of one child measured with /usr/bin/time when available (RUSAGE_CHILDREN is a max over all)."""
    if shutil.which("/usr/bin/time"):
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
        rss_kib = int(p.stderr.strip().splitlines()[-1])
        return dt, rss_kib / 1024.0, p.stdout
    return run_timed(cmd)


def disk(path):
    files, size = 0, 0
    for d, _, fs in os.walk(path):
        for f in fs:
            if f.endswith(".parquet"):
                files += 1
                size += os.path.getsize(os.path.join(d, f))
    return files, size


# ---- delta-rs phases, run as `python bench_upsert.py --delta-phase …` in a child process ----

def delta_phase(phase, table_path, input_path):
    import deltalake
    t = pq.read_table(input_path)
    t0 = time.perf_counter()
    if phase == "load":
        deltalake.write_deltalake(table_path, t, partition_by=["partitionkey", "partitionkey2"])
    elif phase == "merge":
        dt = deltalake.DeltaTable(table_path)
        cols = [f.name for f in workload.SCHEMA]
        (dt.merge(source=t, predicate="t.id = s.id", source_alias="s", target_alias="t")
           .when_matched_delete(predicate="s._hoodie_is_deleted = true AND s.ts >= t.ts")
           .when_matched_update(updates={c: f"s.{c}" for c in cols}, predicate="s._hoodie_is_deleted = false AND s.ts >= t.ts")
           .when_not_matched_insert(updates={c: f"s.{c}" for c in cols}, predicate="s._hoodie_is_deleted = false")
           .execute())
    print(json.dumps({"engine_seconds": time.perf_counter() - t0}))


def dedup_latest(t):
    """Keeps, per id, the row with the largest ts (ties: the later row)."""
    idx = pa.array(range(t.num_rows))
    t2 = t.append_column("_pos", idx)
    g = t2.group_by("id").aggregate([("ts", "max")])
    j = t2.join(g, keys="id")
    j = j.filter(pc.equal(j["ts"], j["ts_max"]))
    g2 = j.group_by("id").aggregate([("_pos", "max")])
    keep = pc.is_in(t2["_pos"], value_set=g2["_pos_max"])
    return t.filter(keep)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--changes", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lake", default=os.environ.get("LAKE_BIN", os.path.join(ROOT, ".build", "release", "lake")))
    ap.add_argument("--delta-phase", help=argparse.SUPPRESS)
    ap.add_argument("--table", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.delta_phase:
        delta_phase(a.delta_phase, a.table, a.input)
        return

    work = tempfile.mkdtemp(prefix="lake-bench-")
    try:
        print(f"generating {a.rows:,} rows and {a.changes:,} changes …", flush=True)
        load = workload.initial_load(a.rows)
        changes = workload.upsert_batch(a.rows, a.changes)
        load_path, changes_path = os.path.join(work, "load.parquet"), os.path.join(work, "changes.parquet")
        pq.write_table(load, load_path, compression="none")
        pq.write_table(changes, changes_path, compression="none")
        mb = load.nbytes / 1e6

        results = {k: [] for k in ["lake_load", "lake_upsert", "delta_load", "delta_merge", "delta_dedup"]}
        rss = {k: 0.0 for k in results}
        files = {}
        for rep in range(a.repeat):
            lt = os.path.join(work, f"lake{rep}")
            subprocess.run([a.lake, "create", "--table", lt, "--key", "id", "--precombine", "ts",
                            "--partition-by", "partitionkey,partitionkey2"], check=True, capture_output=True)
            dt, r, _ = child_rss_isolated([a.lake, "bulk-insert", "--table", lt, "--input", load_path])
            results["lake_load"].append(dt); rss["lake_load"] = max(rss["lake_load"], r)
            files["lake_load"] = disk(lt)
            dt, r, out = child_rss_isolated([a.lake, "upsert", "--table", lt, "--input", changes_path, "--json"])
            results["lake_upsert"].append(dt); rss["lake_upsert"] = max(rss["lake_upsert"], r)
            files["lake_upsert"] = disk(lt)

            d = os.path.join(work, f"delta{rep}")
            me = [sys.executable, os.path.abspath(__file__)]
            dt, r, _ = child_rss_isolated(me + ["--delta-phase", "load", "--table", d, "--input", load_path])
            results["delta_load"].append(dt); rss["delta_load"] = max(rss["delta_load"], r)
            files["delta_load"] = disk(d)
            t0 = time.perf_counter()
            dedup = dedup_latest(changes)
            results["delta_dedup"].append(time.perf_counter() - t0)
            dedup_path = os.path.join(work, f"dedup{rep}.parquet")
            pq.write_table(dedup, dedup_path, compression="none")
            dt, r, _ = child_rss_isolated(me + ["--delta-phase", "merge", "--table", d, "--input", dedup_path])
            results["delta_merge"].append(dt); rss["delta_merge"] = max(rss["delta_merge"], r)
            files["delta_merge"] = disk(d)

        # Correctness: live row counts and sampled keys agree.
        lake_rows = subprocess.run([a.lake, "query", "--table", os.path.join(work, "lake0"), "--columns", "id,ts,amount"],
                                   check=True, capture_output=True, text=True).stdout.splitlines()
        lake_map = {r["id"]: r for r in map(json.loads, lake_rows)}
        import deltalake
        dtab = deltalake.DeltaTable(os.path.join(work, "delta0")).to_pyarrow_table(columns=["id", "ts", "amount"])
        delta_map = {r["id"]: r for r in dtab.to_pylist()}
        sample = sorted(lake_map)[:: max(1, len(lake_map) // 10)][:10]
        agree = len(lake_map) == len(delta_map) and all(
            k in delta_map and delta_map[k]["ts"] == lake_map[k]["ts"] and abs(delta_map[k]["amount"] - float(lake_map[k]["amount"])) < 1e-9
            for k in sample)

        med = {k: statistics.median(v) for k, v in results.items() if v}
        print()
        print(f"input: {a.rows:,} rows ({mb:.0f} MB in memory), {changes.num_rows:,} change records; median of {a.repeat}; "
              f"machine: {os.cpu_count()} cores")
        print(f"{'phase':<24}{'lake s':>10}{'delta-rs s':>12}{'ratio':>8}{'lake MiB':>10}{'delta MiB':>11}{'lake files/MB':>16}{'delta files/MB':>16}")
        for phase, lk, dk in [("(a) bulk load", "lake_load", "delta_load"), ("(b) upsert 100k", "lake_upsert", "delta_merge")]:
            lf, dfl = files[lk], files[dk]
            print(f"{phase:<24}{med[lk]:>10.2f}{med[dk]:>12.2f}{med[dk] / med[lk]:>7.1f}x{rss[lk]:>10.0f}{rss[dk]:>11.0f}"
                  f"{lf[0]:>8}/{lf[1] / 1e6:<7.1f}{dfl[0]:>8}/{dfl[1] / 1e6:<7.1f}")
        print(f"{'delta-rs source dedup':<24}{'':>10}{med['delta_dedup']:>12.2f}")
        print(f"live rows: lake {len(lake_map):,}, delta-rs {len(delta_map):,}; 10 sampled keys "
              f"{'agree' if agree else 'DISAGREE'}")
        print("ratio = delta-rs time / lake time (>1: lake faster)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
