"""Change records with hostile attribute names and key values (issue 10), streamed by `lake stream`
in windows and restarted: hudi-rs reads exactly what an independent model of the documented rules
(docs/ingest.md: names, ownership, key rules, ordering) says, every refused record is in the
quarantine with its file, line and reason, and no window fails.

The model here is a third implementation of the rules (Python), beside lake's and the Swift test
model: attribute names → Hudi's sanitization (mask `__`, UTF-16 units), reserved top-level names
prefixed with `__`, the first name seen owns a column for good; complex keys refuse components
that are missing, `__null__`/`__empty__`, or contain `,<next field>:`."""
import json
import random

import hudi_read

KEYS = ["pk", "sk"]
NAMES = ["a", "order-id", "order.id", "order__id", "a.b", "é", "ü", "", "1st", "😀", "_event_order", "__event_order",
         "_event_time", "_hoodie_commit_time", "_hoodie_is_deleted", "_hoodie_operation", "___hoodie_commit_time",
         "x,y", "名前", "Name"]
VALUES = ["a", "b", "", "a,b", "a:b", ",sk:", "x,sk:y", "__null__", "__empty__", "p/q", "k=v", "é", "😀", "sk:", ","]


def sanitized(name: str) -> str:
    units = name.encode("utf-16-le")
    out = []
    for i in range(0, len(units), 2):
        u = units[i] | (units[i + 1] << 8)
        letter = 0x41 <= u <= 0x5A or 0x61 <= u <= 0x7A or u == 0x5F
        digit = 0x30 <= u <= 0x39
        out.append(chr(u) if letter or (digit and i > 0) else "__")
    return "".join(out) or "__"


def column_name(name: str) -> str:
    s = sanitized(name)
    return "__" + s if s.startswith("_hoodie_") or s in ("_event_order", "_event_time") else s


def key_refused(values) -> bool:
    if any(v is None for v in values):
        return True
    if all(v == "" for v in values):
        return True
    for i, v in enumerate(values):
        if v in ("__null__", "__empty__"):
            return True
        if i + 1 < len(values) and ("," + KEYS[i + 1] + ":") in v:
            return True
    return False


def is_map(name: str) -> bool:
    """Whether an attribute carries maps: fixed per name, so no value ever conflicts with its column's type."""
    return sum(map(ord, name)) % 4 == 0


def generate(rng: random.Random, count: int, start: int):
    records = []
    keys = []
    for i in range(count):
        if keys and rng.random() < 0.6:
            k = rng.choice(keys)
        else:
            k = (rng.choice(VALUES), rng.choice(VALUES)) if i + start > 0 else ("k0", "k0")
            keys.append(k)
        event = "INSERT" if i + start == 0 else rng.choice(["INSERT", "MODIFY", "MODIFY", "REMOVE"])
        image = [("pk", k[0] if rng.random() > 0.04 else None), ("sk", k[1])]
        used = {"pk", "sk"}
        for _ in range(rng.randint(0, 3) if i + start > 0 else 1):
            n = rng.choice(NAMES) if i + start > 0 else "a"
            if n in used:
                continue
            used.add(n)
            if is_map(n):
                members = {}
                for _ in range(rng.randint(1, 2)):
                    members.setdefault(rng.choice(NAMES), rng.choice(VALUES))
                image.append((n, {"M": members}))
            else:
                image.append((n, rng.choice(VALUES)))
        records.append((event, k, image, 1_700_000_000 + (i + start) // 3 + rng.randint(-2, 2), 1000 + i + start))
    return records


def attr(v):
    if v is None:
        return {"NULL": True}
    if isinstance(v, dict):
        return {"M": {k: {"S": s} for k, s in v["M"].items()}}
    return {"S": v}


def line(rec) -> str:
    event, k, image, seconds, seq = rec
    d = {"Keys": {"pk": {"S": k[0]}, "sk": {"S": k[1]}}}
    img = {n: attr(v) for n, v in image}
    if event == "REMOVE":
        d["OldImage"] = img
    else:
        d["NewImage"] = img
    d["ApproximateCreationDateTime"] = seconds
    d["SequenceNumber"] = str(seq)
    return json.dumps({"eventName": event, "dynamodb": d}, ensure_ascii=False)


class Model:
    def __init__(self):
        self.owners = {"_event_order": "<lake>", "_event_time": "<lake>", "_hoodie_is_deleted": "<lake>"}
        self.rows = {}
        self.refused = set()

    def apply(self, rec, lineno):
        event, k, image, seconds, seq = rec
        refused = False
        row = {}
        for n, v in image:
            col = column_name(n)
            if self.owners.setdefault(col, n) != n:
                refused = True
                continue
            if isinstance(v, dict):
                members = {}
                for mk, mv in v["M"].items():
                    path = col + "." + sanitized(mk)
                    if self.owners.setdefault(path, mk) != mk:
                        refused = True
                        continue
                    members[sanitized(mk)] = mv
                if members:
                    row[col] = members
            elif v is not None:
                row[col] = v
        key = (row.get("pk"), row.get("sk"))
        if refused or key_refused(list(key)):
            self.refused.add(lineno)
            return
        order = (seconds, seq, lineno)
        old = self.rows.get(key)
        if old is not None and old[0] > order:
            return
        self.rows[key] = (order, event == "REMOVE", row)

    def live(self):
        return {k: r for k, (_, removed, r) in self.rows.items() if not removed}


def table_rows(rows):
    out = {}
    for r in rows:
        data = {}
        for c, v in r.items():
            if c.startswith("_hoodie_") or c in ("_event_order", "_event_time") or v is None:
                continue
            if isinstance(v, dict):
                v = {m: x for m, x in v.items() if x is not None}
                if not v:
                    continue
            data[c] = v
        key = (data.get("pk"), data.get("sk"))
        assert key not in out, f"two rows for key {key}"
        out[key] = data
    return out


def quarantined(table):
    found = {}
    for f in sorted((table / ".hoodie" / "lake" / "errors").glob("*.jsonl")):
        for l in f.read_text(encoding="utf-8").splitlines():
            e = json.loads(l)
            assert e["reason"], e
            assert e["line"] not in found, f"line {e['line']} quarantined twice"
            found[e["line"]] = (e["file"], e["reason"])
    return found


def test_hostile_names_and_keys_stream_into_what_hudi_rs_reads(tmp_path, lake):
    rng = random.Random(20261207)
    source = tmp_path / "changes.jsonl"
    table = tmp_path / "t"
    model = Model()
    first = generate(rng, 300, 0)
    source.write_text("".join(line(r) + "\n" for r in first), encoding="utf-8")
    for i, r in enumerate(first):
        model.apply(r, i + 1)
    cmd = ["stream", "--table", table, "--source", source, "--max-records", "70", "--no-follow", "--json"]
    out = lake(*cmd)
    reports = [json.loads(l) for l in out.stdout.splitlines()]
    assert len(reports) == 5 and all("instant" in r for r in reports), out.stdout
    renamed = {}
    for r in reports:
        renamed.update(r.get("renamed_attributes", {}))
    assert renamed.get("order__id") in ("order-id", "order.id", None) and renamed.get("__") in ("é", "ü", "", None)
    # A restart reads nothing again; then more records arrive, some naming columns renames took.
    again = lake(*cmd)
    assert again.stdout == "" and "resumed after" in again.stderr, again.stderr
    second = generate(rng, 200, 300)
    with source.open("a", encoding="utf-8") as f:
        f.write("".join(line(r) + "\n" for r in second))
    for i, r in enumerate(second):
        model.apply(r, 301 + i)
    lake(*cmd)

    q = quarantined(table)
    assert set(q) == model.refused, (sorted(set(q) - model.refused)[:5], sorted(model.refused - set(q))[:5])
    assert all(f == str(source) for f, _ in q.values())
    assert any("would be column" in why for _, why in q.values())
    assert any("Hudi's key format" in why for _, why in q.values())
    want = model.live()
    assert len(want) > 20 and len(model.refused) > 20  # both sides of the invariant are exercised
    got = table_rows(hudi_read.snapshot(table))
    assert got == want, [(k, got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)][:5]
    # lake's own reader agrees.
    mine = table_rows(json.loads(l) for l in lake("query", "--table", table, "--format", "jsonl").stdout.splitlines())
    assert mine == want


def test_record_errors_and_their_hint(tmp_path, lake):
    bad = line(("INSERT", ("", ""), [("pk", ""), ("sk", "")], 1_700_000_000, 1))
    good = line(("INSERT", ("k", "1"), [("pk", "k"), ("sk", "1"), ("order-id", "x")], 1_700_000_001, 2))
    src = tmp_path / "c.jsonl"
    src.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    # Quarantine (the default): the batch commits the rest.
    ok = lake("upsert", "--table", tmp_path / "t", "--cdc", src, "--json")
    report = json.loads(ok.stdout)
    assert report["errors"] == 1 and report["inserted"] == 1 and report["renamed_attributes"] == {"order__id": "order-id"}
    # --on-error fail: the record error, and the hint that quarantine would have absorbed it.
    failed = lake("upsert", "--table", tmp_path / "u", "--cdc", src, "--on-error", "fail", check=False)
    assert failed.returncode == 65 and f"{src}:2:" in failed.stderr and "all null or empty" in failed.stderr
    assert "--on-error quarantine" in failed.stderr
    # An error quarantine cannot absorb gets no such hint.
    remove = line(("REMOVE", ("k", "1"), [("pk", "k"), ("sk", "1")], 1_700_000_002, 3))
    src.write_text(good + "\n" + remove + "\n", encoding="utf-8")
    bulk = lake("bulk-insert", "--table", tmp_path / "v", "--cdc", src, check=False)
    assert bulk.returncode == 65 and "bulk insert cannot apply deletes" in bulk.stderr
    assert "--on-error" not in bulk.stderr, bulk.stderr


def test_row_input_refuses_ambiguous_keys_and_hudi_names(tmp_path, lake):
    table = tmp_path / "r"
    lake("create", "--table", table, "--key", "a,b")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"a":"x","b":"y,b:z"}\n{"a":"x,b:y","b":"z"}\n', encoding="utf-8")
    p = lake("upsert", "--table", table, "--input", rows, check=False)
    assert p.returncode == 65 and "row 2" in p.stderr and "'x,b:y'" in p.stderr and "ambiguous" in p.stderr
    rows.write_text('{"a":"__null__","b":"1"}\n', encoding="utf-8")
    p = lake("upsert", "--table", table, "--input", rows, check=False)
    assert p.returncode == 65 and "__null__" in p.stderr
    rows.write_text('{"a":"x","b":"1","_hoodie_commit_time":"2024"}\n', encoding="utf-8")
    p = lake("upsert", "--table", table, "--input", rows, check=False)
    assert p.returncode == 65 and "'_hoodie_commit_time'" in p.stderr and "reserved" in p.stderr
    rows.write_text('{"a":"x","b":"y,b:z"}\n{"a":"x","b":"y"}\n', encoding="utf-8")
    lake("upsert", "--table", table, "--input", rows)
    keys = sorted(r["_hoodie_record_key"] for r in hudi_read.snapshot(table))
    assert keys == ["a:x,b:y", "a:x,b:y,b:z"]
