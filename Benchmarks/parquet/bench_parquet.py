"""Parquet throughput: lake (LakeParquet, via ParquetThroughput) against pyarrow, single-threaded.

The workload is a typical CDC table of 1,000,000 rows made with a fixed seed: a string key `id`,
strings `custName`, `email`, `city`, a double `amount`, an int64 `version`, a bool `active` and a
timestamp(us, UTC) `updatedAt`; every column but `id` is 10% null. It is saved once, uncompressed,
as the common input. Both sides then write it with GZIP and without compression (dictionary on)
and read their own output back, median of 3 runs each.

MB/s is the in-memory size of the table as pyarrow holds it (`Table.nbytes`) divided by the
median time: the same number of bytes for both sides. Before timings are trusted, pyarrow reads
lake's output files and must find the input table in them.

    .venv/bin/python Benchmarks/parquet/bench_parquet.py --lake-bin PATH [--rows N] [--repeat 3]

(`bash Benchmarks/parquet/run.sh` builds ParquetThroughput in release and runs this.)
"""
from __future__ import annotations

import argparse
import json
import pathlib
import random
import statistics
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq

SEED = 20_240_601
HERE = pathlib.Path(__file__).resolve().parent
WORK = HERE.parent / ".work" / "parquet"
CODECS = {"GZIP": "gzip", "UNCOMPRESSED": "none"}

FIRST = ["Ada", "Ben", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena",
         "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Yara", "Zoë"]
LAST = ["Anders", "Brown", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hughes", "Ivanova", "Jensen",
        "Kowalski", "Lopez", "Müller", "Nakamura", "O'Brien", "Patel", "Quist", "Rossi", "Schmidt", "Tanaka",
        "Urbano", "Vasquez", "Weber", "Xu", "Young", "Zimmermann"]
DOMAINS = ["example.com", "mail.test", "corp.example", "inbox.example.org", "post.example.net"]


def cities(rng: random.Random) -> list[str]:
    syllables = ["ber", "lin", "ham", "burg", "ford", "ton", "ville", "port", "haven", "stad", "dorf", "polis", "grad",
                 "sund", "mouth", "field", "bridge", "wick", "chester", "by"]
    out = set()
    while len(out) < 300:
        out.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize())
    return sorted(out)


def cdc_table(rows: int, seed: int = SEED) -> pa.Table:
    """The benchmark table: `rows` CDC-shaped rows, 10% nulls in every nullable column."""
    rng = random.Random(seed)
    city_names = cities(rng)

    def maybe(v):
        return None if rng.random() < 0.1 else v

    keys = list(range(rows))
    rng.shuffle(keys)
    ids, names, emails, towns, amounts, versions, actives, updated = [], [], [], [], [], [], [], []
    base = 1_700_000_000_000_000  # 2023-11-14, microseconds
    for k in keys:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        ids.append(f"cust-{k:08d}")
        names.append(maybe(f"{first} {last}"))
        emails.append(maybe(f"{first.lower()}.{last.lower().replace(chr(39), '')}{k % 997}@{rng.choice(DOMAINS)}"))
        towns.append(maybe(rng.choice(city_names)))
        amounts.append(maybe(round(rng.uniform(0, 10_000), 2)))
        versions.append(maybe(rng.randint(1, 50)))
        actives.append(maybe(rng.random() < 0.8))
        updated.append(maybe(base + rng.randrange(0, 86_400_000_000 * 90)))
    schema = pa.schema([
        pa.field("id", pa.string(), nullable=False),
        pa.field("custName", pa.string()), pa.field("email", pa.string()), pa.field("city", pa.string()),
        pa.field("amount", pa.float64()), pa.field("version", pa.int64()), pa.field("active", pa.bool_()),
        pa.field("updatedAt", pa.timestamp("us", tz="UTC")),
    ])
    return pa.Table.from_arrays([pa.array(ids, pa.string()), pa.array(names, pa.string()),
                                 pa.array(emails, pa.string()), pa.array(towns, pa.string()),
                                 pa.array(amounts, pa.float64()), pa.array(versions, pa.int64()),
                                 pa.array(actives, pa.bool_()), pa.array(updated, pa.timestamp("us", tz="UTC"))],
                                schema=schema)


def input_file(rows: int) -> pathlib.Path:
    """The uncompressed input file, generated once per row count and seed."""
    path = WORK / f"cdc-{rows}-{SEED}.parquet"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        table = cdc_table(rows)
        tmp = path.with_suffix(".tmp")
        pq.write_table(table, tmp, compression="none", use_dictionary=False, row_group_size=rows)
        tmp.rename(path)
        print(f"generated {path.name} ({rows} rows) in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return path


def timed(repeat: int, body) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        body()
        out.append(time.perf_counter() - started)
    return out


def bench_pyarrow(table: pa.Table, repeat: int) -> list[dict]:
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    results = []
    for codec, name in CODECS.items():
        path = WORK / f"pyarrow-{codec.lower()}.parquet"
        writes = timed(repeat, lambda: pq.write_table(table, path, compression=name, use_dictionary=True))
        results.append({"op": "write", "codec": codec, "seconds": writes, "file_bytes": path.stat().st_size})
        reads = timed(repeat, lambda: pq.read_table(path, use_threads=False))
        results.append({"op": "read", "codec": codec, "seconds": reads, "file_bytes": path.stat().st_size})
    return results


def bench_lake(lake_bin: str, path: pathlib.Path, repeat: int, parallel: bool) -> list[dict]:
    cmd = [lake_bin, "--input", str(path), "--workdir", str(WORK), "--repeat", str(repeat)]
    proc = subprocess.run(cmd + (["--parallel"] if parallel else []), capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"ParquetThroughput failed (exit {proc.returncode}):\n{proc.stderr}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def verify_lake_output(table: pa.Table, results: list[dict]) -> list[str]:
    """pyarrow must find exactly the input table in every file lake wrote."""
    problems = []
    for r in results:
        if r["op"] != "write":
            continue
        got = pq.read_table(r["file"], use_threads=False)
        if got.num_rows != table.num_rows or got.column_names != table.column_names:
            problems.append(f"{r['file']}: {got.num_rows} rows {got.column_names}")
            continue
        for name in table.column_names:
            if not got.column(name).equals(table.column(name)):
                problems.append(f"{r['file']}: column {name} differs from the input")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lake-bin", required=True, help="path of the built ParquetThroughput executable")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--lake-parallel", action="store_true",
                    help="let lake encode/decode columns on several threads (pyarrow stays on one)")
    args = ap.parse_args()

    path = input_file(args.rows)
    table = pq.read_table(path, use_threads=False)
    mb = table.nbytes / 1e6
    pyarrow_results = bench_pyarrow(table, args.repeat)
    lake_results = bench_lake(args.lake_bin, path, args.repeat, args.lake_parallel)
    problems = verify_lake_output(table, lake_results)

    threads = "lake parallel, pyarrow 1 thread" if args.lake_parallel else "1 thread each"
    print(f"\nParquet throughput, {table.num_rows:,} rows, {mb:.1f} MB in memory (pyarrow Table.nbytes), "
          f"{threads}, median of {args.repeat}; input {path.stat().st_size / 1e6:.1f} MB uncompressed")
    header = f"{'operation':<10} {'codec':<13} {'lake MB/s':>10} {'pyarrow MB/s':>13} {'lake/pyarrow':>13} " \
             f"{'lake file MB':>13} {'pyarrow file MB':>16}"
    print(header)
    print("-" * len(header))
    by_key = {(r["op"], r["codec"]): r for r in pyarrow_results}
    for r in lake_results:
        p = by_key.get((r["op"], r["codec"]))
        if p is None:
            continue
        lake_rate = mb / r["median_seconds"]
        pa_rate = mb / statistics.median(p["seconds"])
        print(f"{r['op']:<10} {r['codec']:<13} {lake_rate:>10.1f} {pa_rate:>13.1f} {lake_rate / pa_rate:>13.2f} "
              f"{r['file_bytes'] / 1e6:>13.2f} {p['file_bytes'] / 1e6:>16.2f}")
    if problems:
        print("\nWARNING: lake's output does not round-trip, timings are not comparable:")
        for p in problems:
            print(f"  {p}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
