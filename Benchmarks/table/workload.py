"""The standard CDC customer workload, generated with a fixed seed.

Customers: `id` (numeric string key), `custName`, `email`, `registrationDate`, `amount`, `active`,
`ts` (event time, the precombine field), and the partition fields `partitionkey = substr(id, -1, 1)`
and `partitionkey2 = substr(id, -2, 1)` — 100 hive-style partitions.
"""
import random

import pyarrow as pa

SCHEMA = pa.schema([
    ("id", pa.string()),
    ("custName", pa.string()),
    ("email", pa.string()),
    ("registrationDate", pa.string()),
    ("amount", pa.float64()),
    ("active", pa.bool_()),
    ("ts", pa.int64()),
    ("partitionkey", pa.string()),
    ("partitionkey2", pa.string()),
])

FIRST = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea"]
LAST = ["Smith", "Okafor", "Garcia", "Ivanova", "Tanaka", "Nguyen", "Muller", "Rossi"]


def customer(rng, i, ts):
    cid = str(1_000_000 + i)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return {
        "id": cid,
        "custName": name,
        "email": f"{name.split()[0].lower()}.{i}@example.com",
        "registrationDate": f"20{rng.randint(10, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "amount": round(rng.uniform(0, 10_000), 2),
        "active": rng.random() < 0.8,
        "ts": ts,
        "partitionkey": cid[-1],
        "partitionkey2": cid[-2],
    }


def table(rows, deletes=None):
    cols = {f.name: [r[f.name] for r in rows] for f in SCHEMA}
    t = pa.Table.from_pydict(cols, schema=SCHEMA)
    if deletes is not None:
        t = t.append_column("_hoodie_is_deleted", pa.array(deletes, pa.bool_()))
    return t


def initial_load(n=1_000_000, seed=7):
    rng = random.Random(seed)
    return table([customer(rng, i, 1_000) for i in range(n)])


def upsert_batch(n_existing=1_000_000, n=100_000, seed=11, base_ts=2_000):
    """70% MODIFY of existing ids, 20% INSERT of new ids, 10% REMOVE; ~5% of keys repeated in
    the batch with a different event time, so the ordering field decides."""
    rng = random.Random(seed)
    rows, deletes = [], []
    next_new = n_existing
    for j in range(n):
        r = rng.random()
        ts = base_ts + rng.randint(0, 1_000)
        if r < 0.7:
            rows.append(customer(rng, rng.randrange(n_existing), ts)); deletes.append(False)
        elif r < 0.9:
            rows.append(customer(rng, next_new, ts)); deletes.append(False); next_new += 1
        else:
            rows.append(customer(rng, rng.randrange(n_existing), ts)); deletes.append(True)
    for _ in range(n // 20):   # repeats inside the batch
        k = rng.randrange(len(rows))
        dup = dict(rows[k]); dup["ts"] = rows[k]["ts"] + rng.choice([-5, 5]); dup["amount"] = round(rng.uniform(0, 10_000), 2)
        rows.append(dup); deletes.append(deletes[k])
    return table(rows, deletes)


def micro_batches(count=20, size=5_000, n_existing=1_100_000, seed=23, base_ts=4_000):
    rng = random.Random(seed)
    out = []
    for b in range(count):
        rows, deletes = [], []
        for _ in range(size):
            r = rng.random()
            ts = base_ts + b * 100 + rng.randint(0, 99)
            if r < 0.7:
                rows.append(customer(rng, rng.randrange(1_000_000), ts)); deletes.append(False)
            elif r < 0.9:
                rows.append(customer(rng, n_existing + rng.randrange(200_000), ts)); deletes.append(False)
            else:
                rows.append(customer(rng, rng.randrange(1_000_000), ts)); deletes.append(True)
        out.append(table(rows, deletes))
    return out


def model_apply(state, t):
    """Applies a batch to a dict model {id: (ts, row)} with lake's semantics (largest ts wins, ties
    later; deletes ordered; tombstones remembered). Returns the new state."""
    cols = t.to_pydict()
    n = t.num_rows
    dels = cols.get("_hoodie_is_deleted", [False] * n)
    best = {}
    for i in range(n):
        k = cols["id"][i]
        if k not in best or cols["ts"][i] >= cols["ts"][best[k]]:
            best[k] = i
    for k, i in best.items():
        ts = cols["ts"][i]
        cur = state.get(k)
        if cur is not None and ts < cur[0]:
            continue
        if dels[i]:
            state[k] = (ts, None)
        else:
            state[k] = (ts, {f.name: cols[f.name][i] for f in SCHEMA})
    return state
