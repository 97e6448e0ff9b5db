"""`lake query --where` against hudi-rs: after inserts, updates, partition moves and deletes, every
filtered read equals hudi-rs's snapshot of the same table filtered in Python. The expressions
cover point lookups on the record key (answered from lake's record index), IN lists, partition
pruning, ranges, NULLs, OR and NOT."""
from __future__ import annotations

import json
import random

import pytest

import hudi_read as h

REGIONS = ["eu", "us", "ap"]
#: Keys the fixture ever wrote (some later deleted).
WRITTEN: set[str] = set()

EXPRESSIONS = [
    ("id = 'k17'", lambda r: r["id"] == "k17"),
    ("id = 'k3'", lambda r: r["id"] == "k3"),
    ("id = 'nope'", lambda r: False),
    ("id IN ('k1', 'k2', 'k40', 'k77', 'nope')", lambda r: r["id"] in ("k1", "k2", "k40", "k77")),
    ("id = 'k5' AND region = 'eu'", lambda r: r["id"] == "k5" and r["region"] == "eu"),
    ("id = 'k8' AND v >= 0", lambda r: r["id"] == "k8" and r["v"] is not None and r["v"] >= 0),
    ("region = 'us'", lambda r: r["region"] == "us"),
    ("v >= 50 AND v < 70", lambda r: r["v"] is not None and 50 <= r["v"] < 70),
    ("region IN ('eu', 'ap') OR v = 3", lambda r: r["region"] in ("eu", "ap") or r["v"] == 3),
    ("NOT (region = 'eu')", lambda r: r["region"] is not None and r["region"] != "eu"),
    ("v IS NULL", lambda r: r["v"] is None),
    ("id = 'k9' OR id = 'k10'", lambda r: r["id"] in ("k9", "k10")),
]


@pytest.fixture(scope="module")
def table(tmp_path_factory, lake):
    path = tmp_path_factory.mktemp("where") / "t"
    lake("create", "--table", path, "--key", "id", "--precombine", "ts", "--partition-by", "region",
         "--schema", "message t { required binary id (STRING); optional int64 ts; optional binary region (STRING); optional int64 v; }")
    rng = random.Random(20261122)
    ts = 0
    written = set()
    for commit in range(6):
        rows, deletes = [], []
        for _ in range(40):
            ts += 1
            k = f"k{rng.randrange(90)}"
            if commit > 0 and rng.random() < 0.15:
                deletes.append({"id": k, "ts": ts, "region": rng.choice(REGIONS)})
            else:
                v = None if rng.random() < 0.1 else rng.randrange(100)
                rows.append({"id": k, "ts": ts, "region": rng.choice(REGIONS), "v": v})
                written.add(k)
        lake("upsert", "--table", path, "--input", "-", input="".join(json.dumps(r) + "\n" for r in rows))
        if deletes:
            lake("delete", "--table", path, "--input", "-", input="".join(json.dumps(r) + "\n" for r in deletes))
    WRITTEN.update(written)
    return path


@pytest.mark.parametrize("expression,keep", EXPRESSIONS, ids=[e for e, _ in EXPRESSIONS])
def test_where_equals_hudi_rs_filtered(table, lake, expression, keep):
    columns = ["id", "ts", "region", "v"]
    expected = sorted(({c: r[c] for c in columns} for r in h.snapshot(table) if keep(r)), key=lambda r: r["id"])
    out = lake("query", "--table", table, "--where", expression, "--columns", ",".join(columns), "--format", "jsonl").stdout
    got = sorted((json.loads(line) for line in out.splitlines()), key=lambda r: r["id"])
    assert got == expected


LOOKED_UP = ["k17", "k3", "k1", "k2", "k40", "k77", "k5", "k8", "k9", "k10"]


def test_the_point_lookups_cover_live_and_absent_keys(table):
    """The key expressions above exercise every answer of the index: a live key, a deleted key
    (a tombstone) and a key never written."""
    live = {r["id"] for r in h.snapshot(table)}
    looked = set(LOOKED_UP)
    assert looked & live, "no looked-up key is live"
    assert looked & (WRITTEN - live), "no looked-up key was deleted"
    assert looked - WRITTEN, "every looked-up key was written"
