"""A pyarrow-backed stand-in for the `lake parquet …` commands of the CLI contract.

It exists only to check the interop suite itself (not lake): with

    LAKE_BIN=Tests/interop/selfcheck/lake .venv/bin/python -m pytest -q Tests/interop

every test should pass, and with REFERENCE_LAKE_MUTATION set to one of the deliberate faults
below, tests must fail (each check can fail):

    nolimit     cat ignores --limit             mapdict    cat prints maps as {"k": v}
    noZ         cat drops the Z of UTC times    dectrim    cat trims decimal zeros ("1.50" → "1.5")
    widen32     cat prints float32 widened      lz4name    meta calls LZ4_RAW "LZ4"
    nocodec     write ignores --codec           nodictflag write ignores --no-dictionary
    nostats     write omits statistics          noline     write errors lack the line number

It is slow (a Python start per call) and is never the oracle: expected values always come from
pyarrow, DuckDB or the generators.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import csv
import decimal
import json
import math
import os
import re
import sys

import pyarrow as pa
import pyarrow.parquet as pq

import canonical
import parquet_raw
import schema_text

MUT = os.environ.get("REFERENCE_LAKE_MUTATION", "")


class InputError(Exception):
    pass


def arrow_type(node: schema_text.Node) -> pa.DataType:
    a = node.annotation
    if node.children is not None:
        if a == "LIST":
            rep = node.children[0]
            elem = rep.children[0] if rep.children is not None and len(rep.children) == 1 else rep
            return pa.list_(pa.field("element", arrow_type(elem), elem.repetition != "required"))
        if a == "MAP":
            kv = node.children[0]
            k, v = kv.children
            return pa.map_(arrow_type(k), pa.field("value", arrow_type(v), v.repetition != "required"))
        return pa.struct([pa.field(c.name, arrow_type(c), c.repetition != "required") for c in node.children])
    p = node.physical
    if a and a.startswith("INTEGER("):
        bits, signed = a[8:-1].split(",")
        return getattr(pa, f"{'' if signed == 'true' else 'u'}int{bits}")()
    if a and a.startswith("DECIMAL("):
        prec, scale = map(int, a[8:-1].split(","))
        return pa.decimal128(prec, scale)
    if a == "DATE":
        return pa.date32()
    if a and a.startswith("TIMESTAMP("):
        unit, utc = a[10:-1].split(",")
        return pa.timestamp({"MILLIS": "ms", "MICROS": "us", "NANOS": "ns"}[unit], tz="UTC" if utc == "true" else None)
    if a and a.startswith("TIME("):
        unit, _ = a[5:-1].split(",")
        return pa.time32("ms") if unit == "MILLIS" else pa.time64({"MICROS": "us", "NANOS": "ns"}[unit])
    if a == "STRING":
        return pa.string()
    if a is not None:
        raise InputError(f"unsupported annotation {a}")
    if p == "boolean":
        return pa.bool_()
    if p == "int32":
        return pa.int32()
    if p == "int64":
        return pa.int64()
    if p == "float":
        return pa.float32()
    if p == "double":
        return pa.float64()
    if p == "binary":
        return pa.binary()
    m = re.fullmatch(r"fixed_len_byte_array\((\d+)\)", p or "")
    if m:
        return pa.binary(int(m[1]))
    raise InputError(f"unsupported physical type {p}")


_UNIT = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}


def _parse_clock(text: str, unit: str) -> int:
    m = re.fullmatch(r"(\d\d):(\d\d):(\d\d)\.(\d+)", text)
    if not m or len(m[4]) != {"ms": 3, "us": 6, "ns": 9}[unit]:
        raise ValueError(f"bad time {text!r}")
    return ((int(m[1]) * 60 + int(m[2])) * 60 + int(m[3])) * _UNIT[unit] + int(m[4])


def _parse_date(text: str) -> int:
    m = re.fullmatch(r"([+-]\d{6}|\d{4})-(\d\d)-(\d\d)", text)
    if not m:
        raise ValueError(f"bad date {text!r}")
    return canonical.days_from_civil(int(m[1]), int(m[2]), int(m[3]))


def convert(value, t: pa.DataType, nullable: bool, where: str):
    if value is None:
        if not nullable:
            raise InputError(f"field {where}: null for a required field")
        return None
    try:
        if pa.types.is_boolean(t):
            if not isinstance(value, bool):
                raise ValueError("expected true/false")
            return value
        if pa.types.is_integer(t):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"expected an integer, got {value!r}")
            bits = t.bit_width
            lo, hi = (0, (1 << bits) - 1) if pa.types.is_unsigned_integer(t) else (-(1 << bits - 1), (1 << bits - 1) - 1)
            if not lo <= value <= hi:
                raise ValueError(f"{value} out of range")
            return value
        if pa.types.is_floating(t):
            if isinstance(value, str):
                return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"expected a number, got {value!r}")
            return float(value)
        if pa.types.is_string(t):
            if not isinstance(value, str):
                raise ValueError(f"expected a string, got {value!r}")
            return value
        if pa.types.is_fixed_size_binary(t) or pa.types.is_binary(t):
            data = base64.b64decode(value, validate=True)
            if pa.types.is_fixed_size_binary(t) and len(data) != t.byte_width:
                raise ValueError("wrong width")
            return data
        if pa.types.is_date32(t):
            return _parse_date(value)
        if pa.types.is_timestamp(t):
            date, _, clock = value.partition("T")
            utc = clock.endswith("Z")
            if utc != (t.tz is not None):
                raise ValueError("Z mismatch")
            return _parse_date(date) * 86_400 * _UNIT[t.unit] + _parse_clock(clock.rstrip("Z"), t.unit)
        if pa.types.is_time(t):
            return _parse_clock(value, t.unit)
        if pa.types.is_decimal(t):
            d = decimal.Decimal(value)
            if not isinstance(value, str) or d.as_tuple().exponent != -t.scale:
                raise ValueError(f"bad decimal {value!r}")
            return d
        if pa.types.is_list(t):
            if not isinstance(value, list):
                raise ValueError("expected an array")
            return [convert(e, t.value_type, t.value_field.nullable, f"{where}[{i}]") for i, e in enumerate(value)]
        if pa.types.is_map(t):
            return [(convert(e["key"], t.key_type, False, f"{where}.key"),
                     convert(e["value"], t.item_type, True, f"{where}.value")) for e in value]
        if pa.types.is_struct(t):
            if not isinstance(value, dict):
                raise ValueError("expected an object")
            return {t.field(i).name: convert(value.get(t.field(i).name), t.field(i).type, t.field(i).nullable,
                                             f"{where}.{t.field(i).name}") for i in range(t.num_fields)}
    except InputError:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error, decimal.InvalidOperation) as e:
        raise InputError(f"field {where}: {e}") from None
    raise InputError(f"field {where}: unsupported type {t}")


def cmd_write(a) -> int:
    text = a.schema[1:] if a.schema.startswith("@") else None
    schema_src = open(text, encoding="utf-8").read() if text else a.schema
    try:
        tree = schema_text.parse(schema_src)
        schema = pa.schema([pa.field(c.name, arrow_type(c), c.repetition != "required") for c in tree.children])
    except (ValueError, InputError, KeyError) as e:
        print(f"error: bad schema: {e}", file=sys.stderr)
        return 2
    try:
        data = sys.stdin.read() if a.input == "-" else open(a.input, encoding="utf-8").read()
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    columns = {f.name: [] for f in schema}
    for n, line in enumerate(data.split("\n"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
            if not isinstance(row, dict):
                raise InputError("not an object")
            for f in schema:
                if f.name not in row and not f.nullable:
                    raise InputError(f"field {f.name}: missing required field")
                columns[f.name].append(convert(row.get(f.name), f.type, f.nullable, f.name))
        except (InputError, ValueError) as e:
            print(f"error: {e}" if MUT == "noline" else f"error: line {n}: {e}", file=sys.stderr)
            return 1
    table = pa.Table.from_pydict(columns, schema=schema)
    meta = dict(m.split("=", 1) for m in a.meta)
    rg_rows = a.row_group_rows
    if a.row_group_size:
        per_row = max(1, table.nbytes // max(1, table.num_rows))
        rg_rows = max(1, a.row_group_size // per_row)
    if MUT == "nocodec":
        a.codec = "zstd"
    if MUT == "nodictflag":
        a.no_dictionary = False
    with pq.ParquetWriter(a.output, table.schema, compression={"none": "NONE", "lz4_raw": "LZ4"}.get(a.codec, a.codec),
                   use_dictionary=not a.no_dictionary, write_statistics=MUT != "nostats", data_page_size=a.page_size,
                   write_batch_size=64 if a.page_size else None,
                   dictionary_pagesize_limit=a.dictionary_page_size_limit,
                   store_schema=False, store_decimal_as_integer="fixed_len_byte_array(4)" not in schema_src) as w:
        w.write_table(table, row_group_size=rg_rows)
        if meta:
            w.add_key_value_metadata(meta)
    return 0


def cmd_cat(a) -> int:
    cols = a.columns.split(",") if a.columns else None
    rows = canonical.read_pyarrow(a.file, cols)
    if a.limit is not None and MUT != "nolimit":
        rows = rows[:a.limit]
    if MUT:
        import struct as _s
        def mutate(v):
            if isinstance(v, dict):
                if MUT == "mapdict" and set(v) == {"key", "value"}:
                    return v
                return {k: mutate(x) for k, x in v.items()}
            if isinstance(v, list):
                if MUT == "mapdict" and v and isinstance(v[0], dict) and set(v[0]) == {"key", "value"}:
                    return {str(e["key"]): e["value"] for e in v}
                return [mutate(e) for e in v]
            if MUT == "noZ" and isinstance(v, str) and v.endswith("Z") and "T" in v:
                return v[:-1]
            if MUT == "dectrim" and isinstance(v, str) and re.fullmatch(r"-?\d+\.\d*0", v):
                return v.rstrip("0")
            if MUT == "widen32" and isinstance(v, float) and v != 0 and abs(v) < 3e38:
                w = _s.unpack("<f", _s.pack("<f", v))[0]
                return w
            return v
        rows = [mutate(r) for r in rows]
    if a.format == "jsonl":
        sys.stdout.write(canonical.to_jsonl(rows))
    elif a.format == "csv":
        names = cols or pq.ParquetFile(a.file).schema_arrow.names
        w = csv.writer(sys.stdout)
        w.writerow(names)
        for r in rows:
            w.writerow(["" if r[n] is None else r[n] for n in names])
    else:
        for r in rows:
            print(" | ".join(f"{k}={v}" for k, v in r.items()))
        print(" | ".join(rows[0]) if rows else "")
    return 0


def cmd_schema(a) -> int:
    tree = schema_text.from_parquet_file(a.file)
    sys.stdout.write(tree.text())
    return 0


def cmd_meta(a) -> int:
    pf = pq.ParquetFile(a.file)
    md = pf.metadata
    raw = parquet_raw.column_chunks(parquet_raw.read_footer(a.file))
    target = canonical.parquet_target_schema(pf)
    leaf_types = [leaf for f in target for leaf in canonical.arrow_leaves(f.type)]
    out = {"num_rows": md.num_rows, "created_by": md.created_by,
           "key_value_metadata": {k.decode(): v.decode() for k, v in (md.metadata or {}).items()},
           "schema": schema_text.from_parquet_file(pf).text(), "row_groups": []}
    for i in range(md.num_row_groups):
        rg = md.row_group(i)
        cols = []
        for j in range(rg.num_columns):
            c = rg.column(j)
            st = None
            if c.is_stats_set:
                s = c.statistics
                st = {"min": canonical.canonical_physical(s.min_raw, c.physical_type, leaf_types[j]) if s.has_min_max else None,
                      "max": canonical.canonical_physical(s.max_raw, c.physical_type, leaf_types[j]) if s.has_min_max else None,
                      "null_count": s.null_count if s.has_null_count else None}
            cols.append({"path": c.path_in_schema, "physical_type": c.physical_type,
                         "encodings": [parquet_raw.ENCODINGS[e] for e in raw[i][j][2]],
                         "codec": parquet_raw.chunk_codec(raw[i][j]).replace("LZ4_RAW", "LZ4" if MUT == "lz4name" else "LZ4_RAW"), "num_values": c.num_values,
                         "total_compressed_size": c.total_compressed_size,
                         "total_uncompressed_size": c.total_uncompressed_size, "statistics": st})
        out["row_groups"].append({"num_rows": rg.num_rows, "total_byte_size": rg.total_byte_size, "columns": cols})
    if a.json:
        print(json.dumps(out, ensure_ascii=False, allow_nan=False))
    else:
        print(out)
    return 0


def main() -> int:
    p = argparse.ArgumentParser(prog="lake")
    sub = p.add_subparsers(dest="group", required=True)
    pq_ = sub.add_parser("parquet").add_subparsers(dest="cmd", required=True)
    s = pq_.add_parser("schema")
    s.add_argument("file")
    m = pq_.add_parser("meta")
    m.add_argument("file")
    m.add_argument("--json", action="store_true")
    c = pq_.add_parser("cat")
    c.add_argument("file")
    c.add_argument("--columns")
    c.add_argument("--format", default="table")
    c.add_argument("--limit", type=int)
    w = pq_.add_parser("write")
    w.add_argument("--schema", required=True)
    w.add_argument("--input", required=True)
    w.add_argument("--output", required=True)
    w.add_argument("--codec", default="zstd")
    w.add_argument("--no-dictionary", action="store_true")
    w.add_argument("--dictionary-page-size-limit", type=int)
    w.add_argument("--page-size", type=int)
    w.add_argument("--row-group-size", type=int)
    w.add_argument("--row-group-rows", type=int)
    w.add_argument("--meta", action="append", default=[])
    a = p.parse_args()
    return {"schema": cmd_schema, "meta": cmd_meta, "cat": cmd_cat, "write": cmd_write}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
