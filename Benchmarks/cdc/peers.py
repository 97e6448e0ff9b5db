"""The peers' side of the CDC benchmark: parsing change records into Arrow, and each engine phase.

Each engine phase runs in its own process (`python peers.py ENGINE PHASE …`), so its peak
resident memory is its own; it prints one JSON object: `seconds` (the engine's time alone),
`prep_seconds` (deduplicating the source, which delta-rs' merge and pyiceberg's upsert need and
lake does itself), `rows` (rows read, for reads) and engine-specific facts (`version`, `snapshot`).

Engines:
  delta    delta-rs (`deltalake`): write_deltalake, then DeltaTable.merge with delete / update /
           insert clauses whose predicates keep the newer event (`s.ts > t.ts`);
  iceberg  pyiceberg with a SQLite catalog on local files: append, then per batch one
           transaction of delete (REMOVE keys) + upsert; pyiceberg's upsert has no ordering
           predicate, so the batch is first filtered against the table's stored `ts` (a
           projected scan, timed as engine work: it is what a pyiceberg user has to do);
  hudi     hudi-rs (`hudi`) reading lake's own table: snapshot, as of, incremental, point lookup.

Parsing: `parse(path)` reads DynamoDB Streams records with pyarrow's JSON reader (C++, explicit
schema) and flattens them to the table's columns plus `_deleted` (REMOVE). It is timed
separately by the driver: the peers get Arrow tables, lake gets the JSON.
"""
import argparse
import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather
import pyarrow.json as pajson

COLUMNS = ["id", "custName", "email", "registrationDate", "amount", "active", "ts", "partitionkey", "partitionkey2"]
TABLE_SCHEMA = pa.schema([
    ("id", pa.string()), ("custName", pa.string()), ("email", pa.string()), ("registrationDate", pa.string()),
    ("amount", pa.float64()), ("active", pa.bool_()), ("ts", pa.int64()),
    ("partitionkey", pa.string()), ("partitionkey2", pa.string()),
])
_S = pa.struct([("S", pa.string())])
_IMAGE = pa.struct([("id", _S), ("custName", _S), ("email", _S), ("registrationDate", _S),
                    ("amount", pa.struct([("N", pa.string())])), ("active", pa.struct([("BOOL", pa.bool_())]))])
_RECORD = pa.schema([
    ("eventName", pa.string()),
    ("dynamodb", pa.struct([("ApproximateCreationDateTime", pa.float64()), ("Keys", pa.struct([("id", _S)])),
                            ("NewImage", _IMAGE), ("SequenceNumber", pa.string())])),
])


def parse(path):
    """Change records (JSON lines) -> Arrow table with TABLE_SCHEMA's columns plus `_deleted`."""
    t = pajson.read_json(path, parse_options=pajson.ParseOptions(explicit_schema=_RECORD, unexpected_field_behavior="ignore"))
    d = t.column("dynamodb").combine_chunks()
    new = d.field("NewImage")
    key = d.field("Keys").field("id").field("S")
    ts = pc.cast(pc.round(pc.multiply(d.field("ApproximateCreationDateTime"), 1000.0)), pa.int64())
    deleted = pc.equal(t.column("eventName"), "REMOVE").combine_chunks()
    cols = {
        "id": key,
        "custName": new.field("custName").field("S"),
        "email": new.field("email").field("S"),
        "registrationDate": new.field("registrationDate").field("S"),
        "amount": pc.cast(new.field("amount").field("N"), pa.float64()),
        "active": new.field("active").field("BOOL"),
        "ts": ts,
        "partitionkey": pc.utf8_slice_codeunits(key, -1),
        "partitionkey2": pc.utf8_slice_codeunits(key, -2, -1),
        "_deleted": deleted,
    }
    return pa.table(cols)


def dedup_latest(t):
    """Keeps, per id, the row with the largest ts (event times are unique per key)."""
    s = t.sort_by([("id", "ascending"), ("ts", "descending")])
    ids = s.column("id").combine_chunks()
    if len(ids) == 0:
        return s
    prev = pa.concat_arrays([pa.array([None], pa.string()), ids.slice(0, len(ids) - 1)])
    first = pc.fill_null(pc.not_equal(ids, prev), True)
    return s.filter(first)


def progress(engine_seconds):
    """Appends the engine time so far to $BENCH_PROGRESS (one line per committed batch), so a
    driver that stops a slow phase can say how far it got."""
    path = os.environ.get("BENCH_PROGRESS")
    if path:
        with open(path, "a") as f:
            f.write(f"{engine_seconds}\n")


def table_columns(t):
    return t.select(COLUMNS).cast(TABLE_SCHEMA)


# ---- delta-rs ------------------------------------------------------------------------------------

def delta_write(path, inputs, phase):
    import deltalake
    engine = prep = cpu = 0.0
    for p in inputs:
        src = feather.read_table(p)
        if phase == "load":
            data = table_columns(src)
            t0, c0 = time.perf_counter(), time.process_time()
            deltalake.write_deltalake(path, data, partition_by=["partitionkey", "partitionkey2"])
            engine += time.perf_counter() - t0
            cpu += time.process_time() - c0
            continue
        t0 = time.perf_counter()
        src = dedup_latest(src)
        prep += time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        dt = deltalake.DeltaTable(path)
        (dt.merge(source=src, predicate="t.id = s.id", source_alias="s", target_alias="t")
           .when_matched_delete(predicate="s._deleted = true AND s.ts > t.ts")
           .when_matched_update(updates={c: f"s.{c}" for c in COLUMNS}, predicate="s._deleted = false AND s.ts > t.ts")
           .when_not_matched_insert(updates={c: f"s.{c}" for c in COLUMNS}, predicate="s._deleted = false")
           .execute())
        engine += time.perf_counter() - t0
        cpu += time.process_time() - c0
        progress(engine)
    return {"seconds": engine, "cpu_seconds": cpu, "prep_seconds": prep, "version": deltalake.DeltaTable(path).version()}


def delta_read(path, phase, arg):
    import deltalake
    t0, c0 = time.perf_counter(), time.process_time()
    if phase == "snapshot":
        t = deltalake.DeltaTable(path).to_pyarrow_table()
    elif phase == "asof":
        t = deltalake.DeltaTable(path, version=int(arg)).to_pyarrow_table()
    elif phase == "point":
        # delta-rs' own engine (DataFusion); the pyarrow dataset path cannot compare the
        # string_view columns delta-rs writes with a string literal.
        reader = deltalake.QueryBuilder().register("t", deltalake.DeltaTable(path)).execute(
            f"SELECT * FROM t WHERE id = '{arg}'")
        t = pa.table(reader)
    else:
        return {"unsupported": "incremental reads need the change data feed enabled at creation"}
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "rows": t.num_rows,
            "sample": sample_rows(t, arg)}


# ---- pyiceberg -----------------------------------------------------------------------------------

def iceberg_catalog(path):
    from pyiceberg.catalog.sql import SqlCatalog
    os.makedirs(path, exist_ok=True)
    return SqlCatalog("bench", uri=f"sqlite:///{path}/catalog.db", warehouse=f"file://{path}/warehouse")


def iceberg_write(path, inputs, phase):
    from pyiceberg.expressions import In
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.transforms import IdentityTransform
    cat = iceberg_catalog(path)
    engine = prep = cpu = 0.0
    for p in inputs:
        src = feather.read_table(p)
        if phase == "load":
            data = table_columns(src)
            t0, c0 = time.perf_counter(), time.process_time()
            cat.create_namespace_if_not_exists("bench")
            tbl = cat.create_table("bench.customer", schema=TABLE_SCHEMA)
            with tbl.update_spec() as u:
                u.add_identity("partitionkey")
                u.add_identity("partitionkey2")
            tbl.append(data)
            engine += time.perf_counter() - t0
            cpu += time.process_time() - c0
            continue
        t0 = time.perf_counter()
        src = dedup_latest(src)
        prep += time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        tbl = cat.load_table("bench.customer")
        stored = tbl.scan(selected_fields=("id", "ts")).to_arrow().rename_columns(["id", "_stored_ts"])
        j = src.join(stored, keys="id", join_type="left outer")
        newer = pc.or_kleene(pc.is_null(j["_stored_ts"]), pc.greater(j["ts"], j["_stored_ts"]))
        j = j.filter(newer)
        exists = pc.is_valid(j["_stored_ts"])
        dels = j.filter(pc.and_(j["_deleted"], exists)).column("id").to_pylist()
        ups = table_columns(j.filter(pc.invert(j["_deleted"])))
        with tbl.transaction() as tx:
            if dels:
                tx.delete(In("id", dels))
            if ups.num_rows:
                tx.upsert(ups, join_cols=["id"])
        engine += time.perf_counter() - t0
        cpu += time.process_time() - c0
        progress(engine)
    tbl = cat.load_table("bench.customer")
    return {"seconds": engine, "cpu_seconds": cpu, "prep_seconds": prep, "snapshot": tbl.current_snapshot().snapshot_id}


def iceberg_read(path, phase, arg):
    from pyiceberg.expressions import EqualTo
    cat = iceberg_catalog(path)
    t0, c0 = time.perf_counter(), time.process_time()
    tbl = cat.load_table("bench.customer")
    if phase == "snapshot":
        t = tbl.scan().to_arrow()
    elif phase == "asof":
        t = tbl.scan(snapshot_id=int(arg)).to_arrow()
    elif phase == "point":
        t = tbl.scan(row_filter=EqualTo("id", arg)).to_arrow()
    else:
        return {"unsupported": "pyiceberg 0.12 has no incremental (changelog) scan"}
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "rows": t.num_rows,
            "sample": sample_rows(t, arg)}


# ---- hudi-rs on lake's table ---------------------------------------------------------------------

def hudi_read(path, phase, arg):
    from hudi import HudiQueryType, HudiReadOptions, HudiTableBuilder
    t0, c0 = time.perf_counter(), time.process_time()
    table = HudiTableBuilder.from_base_uri(path).build()
    if phase == "snapshot":
        batches = table.read(HudiReadOptions())
    elif phase == "asof":
        batches = table.read(HudiReadOptions().with_as_of_timestamp(arg))
    elif phase == "point":
        batches = table.read(HudiReadOptions(filters=[("id", "=", arg)]))
    else:
        start, end = arg.split(",")
        batches = table.read(HudiReadOptions().with_query_type(HudiQueryType.Incremental)
                             .with_start_timestamp(start).with_end_timestamp(end))
    t = pa.Table.from_batches(batches) if batches else pa.table({"id": pa.array([], pa.string())})
    if phase == "point":
        t = t.filter(pc.equal(t["id"], arg))       # filters prune files; keep the exact rows
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0, "rows": t.num_rows,
            "sample": sample_rows(t, arg)}


# ---- correctness samples -------------------------------------------------------------------------

def sample_rows(t, arg):
    """The rows of the keys in $BENCH_SAMPLE (comma-separated), as {id: [custName, amount, active]}."""
    keys = os.environ.get("BENCH_SAMPLE")
    if not keys or "id" not in t.column_names:
        return None
    ks = keys.split(",")
    for i, f in enumerate(t.schema):
        if f.type in (pa.string_view(), pa.large_string()):
            t = t.set_column(i, f.name, pc.cast(t[f.name], pa.string()))
    s = t.filter(pc.is_in(t["id"], value_set=pa.array(ks)))
    cols = [c for c in ("id", "custName", "amount", "active") if c in s.column_names]
    out = {}
    for r in s.select(cols).to_pylist():
        out[r["id"]] = [r.get("custName"), r.get("amount"), r.get("active")]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=["delta", "iceberg", "hudi"])
    ap.add_argument("phase", choices=["load", "upsert", "micro", "snapshot", "asof", "point", "incremental"])
    ap.add_argument("--table", required=True)
    ap.add_argument("--input", action="append", default=[], help="Arrow IPC files (writes)")
    ap.add_argument("--arg", default="", help="version / snapshot / instant / key (reads)")
    a = ap.parse_args()
    if a.phase in ("load", "upsert", "micro"):
        out = {"delta": delta_write, "iceberg": iceberg_write}[a.engine](a.table, a.input, a.phase)
    else:
        out = {"delta": delta_read, "iceberg": iceberg_read, "hudi": hudi_read}[a.engine](a.table, a.phase, a.arg)
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
