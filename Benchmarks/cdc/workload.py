"""The standard CDC workload: DynamoDB-Streams change records for the customer table, fixed seed.

Records have the DynamoDB Streams API shape (as `../shared/fixtures/cdc/dynamodb-streams.jsonl`):
`eventID`, `eventName` (INSERT / MODIFY / REMOVE), `eventVersion`, `eventSource`, `awsRegion`,
`dynamodb` {`ApproximateCreationDateTime` (epoch seconds, millisecond fraction), `Keys`,
`NewImage`, `OldImage`, `SequenceNumber`, `SizeBytes`, `StreamViewType` NEW_AND_OLD_IMAGES},
`eventSourceARN`. Items: `id` (S, a numeric string, the key), `custName` (S), `email` (S),
`registrationDate` (S, yyyy-MM-dd), `amount` (N, two decimals), `active` (BOOL). The table's
partition fields are derived: `partitionkey = substr(id, -1, 1)`, `partitionkey2 = substr(id, -2, 1)`
(100 hive-style partitions); the ordering (precombine) field is `ApproximateCreationDateTime`.

Phases (`generate(rows, out_dir)` writes one JSON-lines file per commit):
  load.jsonl         (a) `rows` INSERT records, ids 1,000,000 … 1,000,000 + rows - 1;
  upsert.jsonl       (b) rows/10 records: 70% MODIFY of live ids, 20% INSERT of new ids, 10% REMOVE
                     of live ids (all distinct), then 5% of the batch repeats a MODIFY of the same
                     batch with a different amount and an event time 1-9 ms before or after the
                     original (so the ordering field, not the position, decides);
  micro-NN.jsonl     (c) 20 batches of rows/200 records: 70% MODIFY, 20% INSERT, 10% REMOVE, plus
                     1% late MODIFY events whose event time is older than what the table holds
                     for that key (they must lose).

Every event time is unique per key, so no engine's tie-break rule matters. A key deleted once is
never written again, so engines that keep tombstones and engines that do not agree.

`expected.json` holds the model: live rows after each phase, the rows (c) changed (an incremental
read of (c) returns them), and 10 sampled keys with their expected values (or deleted).
"""
import json
import os
import random

FIRST = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea",
         "Mia", "Noor", "Omar", "Pia"]
LAST = ["Smith", "Okafor", "Garcia", "Ivanova", "Tanaka", "Nguyen", "Muller", "Rossi", "Kowalski",
        "Haddad"]
T0_MS = 1_750_000_000_000          # 2025-06-15T15:06:40Z
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/customer/stream/2025-06-15T00:00:00.000"
ID_BASE = 1_000_000


class State:
    """The model: id -> (custName, email, registrationDate, cents, active, time_ms, phase)."""

    def __init__(self):
        self.rows = {}
        self.live = []          # live ids, for sampling
        self.pos = {}           # id -> index in live
        self.deleted = set()
        self.next_id = ID_BASE
        self.seq = 10_000_000_000_000_000_000

    def add_live(self, cid):
        self.pos[cid] = len(self.live)
        self.live.append(cid)

    def remove_live(self, cid):
        i = self.pos.pop(cid)
        last = self.live.pop()
        if i < len(self.live):
            self.live[i] = last
            self.pos[last] = i


def image(cid, row):
    name, email, reg, cents, active = row[:5]
    return ('{"id": {"S": "%s"}, "custName": {"S": "%s"}, "email": {"S": "%s"}, '
            '"registrationDate": {"S": "%s"}, "amount": {"N": "%d.%02d"}, "active": {"BOOL": %s}}'
            % (cid, name, email, reg, cents // 100, cents % 100, "true" if active else "false"))


def record(rng, state, event, cid, new_row, old_row, t_ms):
    state.seq += 1
    keys = '{"id": {"S": "%s"}}' % cid
    parts = ['"ApproximateCreationDateTime": %d.%03d' % (t_ms // 1000, t_ms % 1000), '"Keys": ' + keys]
    size = 30
    if new_row is not None:
        img = image(cid, new_row)
        parts.append('"NewImage": ' + img)
        size += len(img) // 2
    if old_row is not None:
        img = image(cid, old_row)
        parts.append('"OldImage": ' + img)
        size += len(img) // 2
    parts.append('"SequenceNumber": "%d"' % state.seq)
    parts.append('"SizeBytes": %d' % size)
    parts.append('"StreamViewType": "NEW_AND_OLD_IMAGES"')
    return ('{"eventID": "%032x", "eventName": "%s", "eventVersion": "1.1", "eventSource": "aws:dynamodb", '
            '"awsRegion": "us-east-1", "dynamodb": {%s}, "eventSourceARN": "%s"}\n'
            % (rng.getrandbits(128), event, ", ".join(parts), ARN))


def new_customer(rng, cid):
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return (f"{first} {last}", f"{first.lower()}.{cid}@example.com",
            f"20{rng.randint(10, 24):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.randrange(0, 1_000_000), rng.random() < 0.8)


def modified(rng, row):
    name, email, reg, _, _ = row[:5]
    if rng.random() < 0.2:
        name = f"{rng.choice(FIRST)} {name.split()[1]}"
    return (name, email, reg, rng.randrange(0, 1_000_000), rng.random() < 0.8)


def generate(rows, out_dir, seed=7, micro_count=20):
    """Writes the phase files and expected.json into out_dir; returns the expected model."""
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    st = State()
    clock = [0]

    def tick(step=10):
        clock[0] += step
        return T0_MS + clock[0]

    def put(cid, row, t, phase):
        st.rows[cid] = row + (t, phase)

    # (a) load
    with open(os.path.join(out_dir, "load.jsonl"), "w") as f:
        for _ in range(rows):
            cid = str(st.next_id); st.next_id += 1
            row = new_customer(rng, cid)
            t = tick()
            f.write(record(rng, st, "INSERT", cid, row, None, t))
            put(cid, row, t, "a"); st.add_live(cid)
    after_load = len(st.live)

    # (b) one upsert batch
    n = rows // 10
    n_repeat = n // 20
    n_base = n - n_repeat
    n_mod, n_ins = int(n_base * 0.7), int(n_base * 0.2)
    n_del = n_base - n_mod - n_ins
    picked = rng.sample(st.live, n_mod + n_del)
    ops = [("MODIFY", c) for c in picked[:n_mod]] + [("REMOVE", c) for c in picked[n_mod:]]
    for _ in range(n_ins):
        ops.append(("INSERT", str(st.next_id))); st.next_id += 1
    rng.shuffle(ops)
    events = []            # (event, cid, new_row, old_row, t)
    for ev, cid in ops:
        t = tick()
        if ev == "MODIFY":
            old = st.rows[cid][:5]; events.append((ev, cid, modified(rng, old), old, t))
        elif ev == "INSERT":
            events.append((ev, cid, new_customer(rng, cid), None, t))
        else:
            events.append((ev, cid, None, st.rows[cid][:5], t))
    mods = [i for i, e in enumerate(events) if e[0] == "MODIFY"]
    for i in rng.sample(mods, n_repeat):
        ev, cid, new, old, t = events[i]
        t2 = t + rng.choice([-1, 1]) * rng.randint(1, 9)
        events.append(("MODIFY", cid, modified(rng, new), old, t2))
    # repeats arrive at the end of the batch, wherever their event time lies
    with open(os.path.join(out_dir, "upsert.jsonl"), "w") as f:
        for ev, cid, new, old, t in events:
            f.write(record(rng, st, ev, cid, new, old, t))
    apply_events(st, events, "b")
    after_upsert = len(st.live)
    clock[0] += 100

    # (c) micro-batches
    m = max(1, rows // 200)
    late_pool = [c for c, r in st.rows.items() if r[6] == "b"]
    rng.shuffle(late_pool)
    micro_files = []
    for b in range(micro_count):
        n_late = max(1, m // 100)
        k = m - n_late
        k_mod, k_ins = int(k * 0.7), int(k * 0.2)
        k_del = k - k_mod - k_ins
        picked = rng.sample(st.live, k_mod + k_del)
        batch_ids = set(picked)
        ops = [("MODIFY", c) for c in picked[:k_mod]] + [("REMOVE", c) for c in picked[k_mod:]]
        for _ in range(k_ins):
            ops.append(("INSERT", str(st.next_id))); st.next_id += 1
        rng.shuffle(ops)
        events = []
        for ev, cid in ops:
            t = tick()
            if ev == "MODIFY":
                old = st.rows[cid][:5]; events.append((ev, cid, modified(rng, old), old, t))
            elif ev == "INSERT":
                events.append((ev, cid, new_customer(rng, cid), None, t))
            else:
                events.append((ev, cid, None, st.rows[cid][:5], t))
        late = 0
        while late < n_late and late_pool:
            cid = late_pool.pop()
            if cid in st.deleted or cid in batch_ids:
                continue
            cur = st.rows[cid]
            # older than the stored event: must not overwrite it
            events.insert(rng.randrange(len(events) + 1),
                          ("MODIFY", cid, modified(rng, cur[:5]), cur[:5], cur[5] - 5))
            late += 1
        name = f"micro-{b:02d}.jsonl"
        micro_files.append(name)
        with open(os.path.join(out_dir, name), "w") as f:
            for ev, cid, new, old, t in events:
                f.write(record(rng, st, ev, cid, new, old, t))
        apply_events(st, events, "c")
    final = len(st.live)
    changed_by_c = sum(1 for c in st.live if st.rows[c][6] == "c")

    sample = sample_keys(rng, st)
    expected = {
        "rows": rows,
        "records": {"load": rows, "upsert": n, "micro": m, "micro_count": micro_count},
        "live_after_load": after_load,
        "live_after_upsert": after_upsert,
        "live_final": final,
        "changed_by_micro": changed_by_c,
        "micro_files": micro_files,
        "sample": sample,
        "point_key": sample[0]["id"],
    }
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    return expected


def apply_events(st, events, phase):
    """Applies one commit's events: per key the newest event wins (inside the batch and against
    the table); REMOVE deletes."""
    best = {}
    for e in events:
        cid = e[1]
        if cid not in best or e[4] > best[cid][4]:
            best[cid] = e
    for cid, (ev, _, new, _, t) in best.items():
        cur = st.rows.get(cid)
        if cur is not None and t <= cur[5]:
            continue
        if ev == "REMOVE":
            if cid in st.pos:
                st.remove_live(cid)
            st.deleted.add(cid)
            st.rows[cid] = (None, None, None, None, None, t, phase)
        else:
            if cid not in st.pos:
                st.add_live(cid)
            st.rows[cid] = new + (t, phase)


def sample_keys(rng, st):
    """10 keys: live ones last written in (a), (b) and (c), and deleted ones."""
    by_phase = {"a": [], "b": [], "c": []}
    for c in st.live:
        by_phase[st.rows[c][6]].append(c)
    keys = []
    for p, k in (("c", 3), ("b", 3), ("a", 2)):
        pool = sorted(by_phase[p])
        keys += rng.sample(pool, min(k, len(pool)))
    dead = sorted(st.deleted)
    keys += rng.sample(dead, min(10 - len(keys), len(dead)))
    out = []
    for c in keys:
        r = st.rows[c]
        if r[0] is None:
            out.append({"id": c, "deleted": True})
        else:
            out.append({"id": c, "deleted": False, "custName": r[0], "email": r[1],
                        "amount": r[3] / 100, "active": r[4], "ts": r[5]})
    return out


if __name__ == "__main__":
    import sys
    import time
    t0 = time.perf_counter()
    e = generate(int(sys.argv[1]), sys.argv[2])
    print(json.dumps({k: v for k, v in e.items() if k != "sample"}), f"{time.perf_counter() - t0:.1f}s")
