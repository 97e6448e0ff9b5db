"""Hostile Parquet files against the release build: the binary CI ships, optimised, with every
bounds and overflow check the compiler keeps. Seeds are written by pyarrow (flat and nested
columns, dictionary and plain, several codecs, data page v1 and v2, several row groups), then
mutated — bit flips, truncation, footer overwrites, a corrupted footer length, runs of 0xFF in
the data section — and each mutant goes through `lake parquet cat`. Every outcome must be rows
(exit 0) or a clear error (exit 65, a message on standard error): never a crash (a signal), a
hang, or another exit code. The Swift suite's ParquetFuzzTests does the same in a debug build.
"""
import concurrent.futures
import io
import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

MUTANTS_PER_SEED = 250


def seed_files():
    rng = random.Random(20261207)
    n = 300
    table = pa.table({
        "id": pa.array([f"k{i:05d}" for i in range(n)]),
        "n": pa.array([rng.randint(-10**12, 10**12) if rng.random() > 0.2 else None for _ in range(n)], pa.int64()),
        "x": pa.array([rng.random() for _ in range(n)], pa.float64()),
        "flag": pa.array([rng.random() > 0.5 for _ in range(n)]),
        "tags": pa.array([[f"t{rng.randint(0, 9)}" for _ in range(rng.randint(0, 3))] for _ in range(n)]),
        "addr": pa.array([{"city": f"c{rng.randint(0, 5)}", "zip": rng.randint(0, 99999)} for _ in range(n)]),
        "ts": pa.array([rng.randint(0, 2**40) for _ in range(n)], pa.timestamp("us", tz="UTC")),
        "amount": pa.array([rng.randint(-10**8, 10**8) for _ in range(n)], pa.decimal128(18, 2)),
    })
    out = []
    for k, (codec, dictionary, version) in enumerate([
        ("none", True, "1.0"), ("zstd", False, "2.0"), ("gzip", True, "2.0"),
        ("snappy", False, "1.0"), ("lz4", True, "2.0"), ("brotli", False, "1.0"),
    ]):
        buf = io.BytesIO()
        pq.write_table(table, buf, compression=codec, use_dictionary=dictionary, row_group_size=100,
                       data_page_size=512, data_page_version=version)
        out.append((f"seed{k}-{codec}", buf.getvalue()))
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    m = bytearray(data)
    kind = rng.randint(0, 4)
    if kind == 0:
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(m))
            m[i] ^= 1 << rng.randint(0, 7)
    elif kind == 1:
        m = m[:rng.randrange(len(m))]
    elif kind == 2:
        footer_len = int.from_bytes(m[-8:-4], "little")
        start = max(4, len(m) - 8 - footer_len)
        for _ in range(rng.randint(1, 3)):
            m[rng.randint(start, len(m) - 9)] = rng.randrange(256)
    elif kind == 3:
        m[-8:-4] = rng.getrandbits(32).to_bytes(4, "little")
    else:
        i = rng.randint(4, max(4, len(m) - 20))
        for k in range(rng.randint(1, 6)):
            if i + k < len(m) - 8:
                m[i + k] = 0xFF
    return bytes(m)


def test_seeds_read_back_equal_to_pyarrow(lake, tmp_path):
    for name, data in seed_files():
        path = tmp_path / f"{name}.parquet"
        path.write_bytes(data)
        rows = lake("parquet", "cat", path).stdout.splitlines()
        assert len(rows) == 300, name


def test_mutated_files_never_crash_the_release_build(lake, tmp_path):
    rng = random.Random(0xF022)
    jobs = []
    for name, data in seed_files():
        for i in range(MUTANTS_PER_SEED):
            path = tmp_path / f"{name}-m{i}.parquet"
            path.write_bytes(mutate(data, rng))
            jobs.append(path)

    def run(path):
        proc = lake("parquet", "cat", path, check=False, timeout=30)
        return path, proc.returncode, proc.stderr

    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for path, code, err in pool.map(run, jobs):
            if code == 0:
                continue
            if code != 65 or not err.strip():
                failures.append(f"{path.name}: exit {code}: {err.strip()[:300]}")
    assert not failures, f"{len(failures)} of {len(jobs)} mutants were not read or refused cleanly:\n" + "\n".join(failures[:20])
