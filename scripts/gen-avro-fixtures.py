#!/usr/bin/env python3
"""Writes the Avro binary-encoding fixtures of the Swift Avro codec tests (Tests/fixtures/avro),
encoded by an independent writer (fastavro, pinned in scripts/requirements-test.txt).

Each case is `<case>.avsc` (the writer schema) and `<case>.bin`: per record a 4-byte big-endian
length and the record's Avro binary encoding — the framing of Hudi's Avro data blocks. The
expected values are literal in Tests/LakeCoreTests/AvroBinaryDecoderTests.swift (and below).

Run: .venv/bin/python scripts/gen-avro-fixtures.py
"""
from __future__ import annotations

import datetime
import decimal
import io
import json
import pathlib
import struct

import fastavro

OUT = pathlib.Path(__file__).resolve().parents[1] / "Tests" / "fixtures" / "avro"

UTC = datetime.timezone.utc

PRIMITIVES = {
    "type": "record", "name": "primitives", "namespace": "lake.test",
    "fields": [
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "s", "type": ["null", "string"]},
        {"name": "by", "type": ["bytes", "null"]},
        {"name": "e", "type": {"type": "enum", "name": "color", "symbols": ["RED", "GREEN", "BLUE"]}},
        {"name": "fx", "type": {"type": "fixed", "name": "four", "size": 4}},
    ],
}
PRIMITIVE_ROWS = [
    {"b": True, "i": 0, "l": 0, "f": 1.5, "d": 3.25, "s": "alpha", "by": b"\x00\x01", "e": "RED", "fx": b"abcd"},
    {"b": False, "i": -2147483648, "l": -9223372036854775808, "f": -0.0, "d": float("inf"), "s": None,
     "by": None, "e": "BLUE", "fx": b"\x00\x00\x00\x00"},
    {"b": True, "i": 2147483647, "l": 9223372036854775807, "f": 3.0e38, "d": -1e-300, "s": "ünï €",
     "by": b"", "e": "GREEN", "fx": b"\xff\xfe\xfd\xfc"},
    {"b": False, "i": -1, "l": 64, "f": 0.1, "d": 2.5, "s": "", "by": b"x" * 300, "e": "RED", "fx": b"wxyz"},
]

LOGICAL = {
    "type": "record", "name": "logical", "namespace": "lake.test",
    "fields": [
        {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 5}},
        {"name": "decfx", "type": {"type": "fixed", "name": "d5", "size": 5, "logicalType": "decimal",
                                   "precision": 10, "scale": 2}},
        {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}]},
        {"name": "tsms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "tsus", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}]},
    ],
}
LOGICAL_ROWS = [
    {"dec": decimal.Decimal("12345.67890"), "decfx": decimal.Decimal("-1.25"), "day": datetime.date(2023, 4, 1),
     "tsms": datetime.datetime(2023, 4, 1, 12, 1, tzinfo=UTC),
     "tsus": datetime.datetime(2023, 4, 1, 12, 1, 0, 123456, tzinfo=UTC)},
    {"dec": decimal.Decimal("-0.00001"), "decfx": decimal.Decimal("99999999.99"), "day": None,
     "tsms": datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=UTC), "tsus": None},
]

NESTED = {
    "type": "record", "name": "nested", "namespace": "lake.test",
    "fields": [
        {"name": "id", "type": "int"},
        {"name": "arr", "type": ["null", {"type": "array", "items": {
            "type": "record", "name": "item", "fields": [
                {"name": "f1", "type": ["null", "string"]}, {"name": "f2", "type": "int"}]}}]},
        {"name": "m", "type": {"type": "map", "values": ["null", {
            "type": "record", "name": "val", "fields": [
                {"name": "x", "type": "double"}, {"name": "y", "type": "boolean"}]}]}},
        {"name": "st", "type": ["null", {"type": "record", "name": "outer", "fields": [
            {"name": "name", "type": "string"},
            {"name": "child", "type": {"type": "record", "name": "inner", "fields": [
                {"name": "c1", "type": ["null", "double"]}, {"name": "c2", "type": "boolean"}]}}]}]},
        {"name": "again", "type": ["null", "item"]},
        {"name": "ints", "type": {"type": "array", "items": "long"}},
    ],
}
NESTED_ROWS = [
    {"id": 1, "arr": [{"f1": "red", "f2": 100}, {"f1": None, "f2": 200}], "m": {"k1": {"x": 1.5, "y": True}},
     "st": {"name": "Alice", "child": {"c1": 123.456, "c2": True}}, "again": {"f1": "z", "f2": 7}, "ints": [1, -2, 3]},
    {"id": 2, "arr": None, "m": {}, "st": None, "again": None, "ints": []},
    {"id": 3, "arr": [], "m": {"a": None, "b": {"x": -2.0, "y": False}},
     "st": {"name": "", "child": {"c1": None, "c2": False}}, "again": None, "ints": list(range(70))},
]

CASES = {"primitives": (PRIMITIVES, PRIMITIVE_ROWS), "logical": (LOGICAL, LOGICAL_ROWS), "nested": (NESTED, NESTED_ROWS)}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (schema, rows) in CASES.items():
        parsed = fastavro.parse_schema(schema)
        out = bytearray()
        for row in rows:
            buf = io.BytesIO()
            fastavro.schemaless_writer(buf, parsed, row)
            record = buf.getvalue()
            out += struct.pack(">i", len(record)) + record
        (OUT / f"{name}.avsc").write_text(json.dumps(schema, indent=1) + "\n")
        (OUT / f"{name}.bin").write_bytes(bytes(out))
        print(f"{name}: {len(rows)} records, {len(out)} bytes")


if __name__ == "__main__":
    main()
