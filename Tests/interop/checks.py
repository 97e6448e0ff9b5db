"""Checks of lake's `parquet cat/meta/schema` output against pyarrow's view of the same file."""
from __future__ import annotations

import json
import math
import pathlib
import struct
from typing import Sequence

import pyarrow as pa
import pyarrow.parquet as pq

import canonical
import parquet_raw
import schema_text


def lake_cat(lake, path, columns: Sequence[str] | None = None, limit: int | None = None) -> list[dict]:
    """Rows printed by `lake parquet cat PATH --format jsonl [--columns …] [--limit N]`, parsed strictly."""
    args = ["parquet", "cat", path, "--format", "jsonl"]
    if columns is not None:
        args += ["--columns", ",".join(columns)]
    if limit is not None:
        args += ["--limit", limit]
    return canonical.parse_jsonl(lake(*args).stdout)


def check_cat(lake, path, columns: Sequence[str] | None = None, limit: int | None = None,
              expected: list[dict] | None = None) -> list[dict]:
    """`lake parquet cat` prints exactly pyarrow's rows (or `expected`), in canonical form."""
    if expected is None:
        expected = canonical.read_pyarrow(path, columns)
        if limit is not None:
            expected = expected[:limit]
    actual = lake_cat(lake, path, columns, limit)
    canonical.assert_rows_equal(expected, actual, f"lake parquet cat {pathlib.Path(path).name}")
    return actual


def check_schema(lake, path, expected_text: str | None = None) -> None:
    """`lake parquet schema` prints a message type equivalent to the file's schema."""
    text = lake("parquet", "schema", path).stdout
    try:
        printed = schema_text.parse(text)
    except ValueError as e:
        raise AssertionError(f"lake parquet schema printed an unparsable schema ({e}):\n{text}") from None
    expected = schema_text.parse(expected_text) if expected_text else schema_text.from_parquet_file(path)
    d = schema_text.equivalent(expected, printed)
    assert d is None, f"schema differs: {d}\nlake printed:\n{text}\nexpected:\n{expected.text()}"
    assert schema_text.leaves(printed) == schema_text.pyarrow_leaves(path)


def _same_stat(expected, actual) -> bool:
    if isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        a = float(actual.text) if isinstance(actual, canonical.JsonInt) else float(actual)
        return a == expected  # ±0.0 both acceptable as a bound
    return canonical.diff_value(expected, actual) is None


def _footer_bound(cmd: dict, bound: str, physical: str, leaf_type: pa.DataType):
    """A chunk's min or max straight from the footer (min_value/max_value, else min/max), canonical."""
    stats = cmd.get(12) or {}
    raw = stats.get(6 if bound == "min" else 5, stats.get(2 if bound == "min" else 1))
    if raw is None:
        return None
    if physical in ("INT32", "INT64", "FLOAT", "DOUBLE", "BOOLEAN"):
        fmt = {"INT32": "<i", "INT64": "<q", "FLOAT": "<f", "DOUBLE": "<d", "BOOLEAN": "<?"}[physical]
        raw = struct.unpack(fmt, raw)[0]
    return canonical.canonical_physical(raw, physical, leaf_type)


def check_meta(lake, path) -> dict:
    """`lake parquet meta --json` agrees with pyarrow's FileMetaData and the raw footer."""
    out = lake("parquet", "meta", path, "--json").stdout
    try:
        meta = json.loads(out, parse_int=canonical.JsonInt, parse_constant=canonical._reject_constant)
    except ValueError as e:
        raise AssertionError(f"lake parquet meta --json is not JSON ({e}):\n{out[:2000]}") from None
    pf = pq.ParquetFile(path)
    md = pf.metadata
    raw = parquet_raw.column_chunks(parquet_raw.read_footer(path))
    name = pathlib.Path(path).name

    assert meta["num_rows"] == md.num_rows, f"{name}: num_rows"
    assert meta["created_by"] == md.created_by, f"{name}: created_by"
    kv = {k.decode(): v.decode() for k, v in (md.metadata or {}).items()}
    assert (meta.get("key_value_metadata") or {}) == kv, f"{name}: key_value_metadata keys {sorted(meta.get('key_value_metadata') or {})} vs {sorted(kv)}"
    d = schema_text.equivalent(schema_text.from_parquet_file(pf), schema_text.parse(meta["schema"]))
    assert d is None, f"{name}: meta schema differs: {d}"

    target = canonical.parquet_target_schema(pf)
    leaf_types = [leaf for f in target for leaf in canonical.arrow_leaves(f.type)]
    assert len(meta["row_groups"]) == md.num_row_groups, f"{name}: row group count"
    for i, rg_json in enumerate(meta["row_groups"]):
        rg = md.row_group(i)
        where = f"{name} row group {i}"
        assert rg_json["num_rows"] == rg.num_rows, f"{where}: num_rows"
        assert rg_json["total_byte_size"] == rg.total_byte_size, f"{where}: total_byte_size"
        assert len(rg_json["columns"]) == rg.num_columns, f"{where}: column count"
        for j, c_json in enumerate(rg_json["columns"]):
            c = rg.column(j)
            cw = f"{where} column {c.path_in_schema}"
            assert c_json["path"] == c.path_in_schema, f"{cw}: path {c_json['path']!r}"
            assert c_json["physical_type"] == c.physical_type, f"{cw}: physical_type"
            raw_encodings = sorted({parquet_raw.ENCODINGS[e] for e in raw[i][j][2]})
            assert sorted(set(c_json["encodings"])) == raw_encodings, f"{cw}: encodings {c_json['encodings']} vs {raw_encodings}"
            assert c_json["codec"] == parquet_raw.chunk_codec(raw[i][j]), f"{cw}: codec {c_json['codec']}"
            for key in ("num_values", "total_compressed_size", "total_uncompressed_size"):
                assert c_json[key] == getattr(c, key), f"{cw}: {key} {c_json[key]} vs {getattr(c, key)}"
            stats = c.statistics if c.is_stats_set else None
            s_json = c_json.get("statistics")
            if stats is None:
                assert s_json is None, f"{cw}: statistics {s_json} but the chunk has none"
                continue
            assert s_json is not None, f"{cw}: statistics missing"
            if stats.has_min_max:
                for bound in ("min", "max"):
                    want = canonical.canonical_physical(getattr(stats, f"{bound}_raw"), c.physical_type, leaf_types[j])
                    assert _same_stat(want, s_json[bound]), f"{cw}: {bound} {s_json[bound]!r}, pyarrow {want!r}"
            elif s_json.get("min") is not None or s_json.get("max") is not None:
                # pyarrow hides bounds it does not trust (INT96, undefined column order); lake may
                # show them, but then they must be what the footer holds.
                for bound in ("min", "max"):
                    want = _footer_bound(raw[i][j], bound, c.physical_type, leaf_types[j])
                    assert _same_stat(want, s_json[bound]), f"{cw}: {bound} {s_json[bound]!r}, footer {want!r}"
            want_nulls = stats.null_count if stats.has_null_count else None
            assert s_json.get("null_count") == want_nulls, f"{cw}: null_count {s_json.get('null_count')} vs {want_nulls}"
    return meta


# --------------------------------------------------------------------------------------------
# Statistics expected from data (for files lake writes)
# --------------------------------------------------------------------------------------------

def leaf_slots(array: pa.Array) -> list[tuple[pa.Array, int]]:
    """Per Parquet leaf under `array` (depth first): the leaf's value slots, and how many level
    entries above the leaf are null or empty (a null or empty list, a null struct or map).

    A leaf's null count is `slots.null_count` if counted at the leaf only, or that plus the
    entries above it if counted as "definition level below the maximum" (parquet-mr, arrow-cpp).
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    t = array.type
    if pa.types.is_struct(array.type):
        valid = array.filter(array.is_valid()) if array.null_count else array
        nulls = len(array) - len(valid)
        out = []
        for i in range(t.num_fields):
            child = valid.field(i)
            out += [(slots, above + nulls) for slots, above in leaf_slots(child)]
        return out
    if pa.types.is_map(t):  # as a list of key/value structs (flatten() honours slicing then)
        entry = pa.struct([pa.field("key", t.key_type, False), t.item_field.with_name("value")])
        array, t = array.cast(pa.list_(pa.field("entries", entry, False))), None
        is_map = True
    else:
        is_map = False
    if is_map or pa.types.is_list(array.type) or pa.types.is_large_list(array.type):
        offsets = array.offsets.to_pylist()
        valid = array.is_valid().to_pylist()
        empty_or_null = sum(1 for k in range(len(array)) if not valid[k] or offsets[k + 1] == offsets[k])
        values = array.flatten()
        if is_map:
            parts = leaf_slots(values.field(0)) + leaf_slots(values.field(1))
        else:
            parts = leaf_slots(values)
        return [(slots, above + empty_or_null) for slots, above in parts]
    return [(array, 0)]


def _sort_key(value, t: pa.DataType):
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return value.encode("utf-8")
    return value  # ints (unsigned as unsigned), bytes, Decimal, bool, raw temporal ints, floats


def expected_statistics(slots: pa.Array, leaf_type: pa.DataType) -> tuple:
    """(canonical min, canonical max) of a leaf's non-null values, NaN excluded; (None, None) if none."""
    raw, _ = canonical._python_values(slots)
    canon = canonical.canonical_column(slots, leaf_type)
    pairs = [(_sort_key(r, leaf_type), c) for r, c in zip(raw, canon)
             if r is not None and not (isinstance(r, float) and math.isnan(r))]
    if not pairs:
        return None, None
    lo = min(pairs, key=lambda p: p[0])[1]
    hi = max(pairs, key=lambda p: p[0])[1]
    return lo, hi
