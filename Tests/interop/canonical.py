"""The canonical JSON form of Parquet values (see the CLI contract), from pyarrow, DuckDB and lake.

Every reader's values are brought to one form so they can be compared exactly:

- null → None; BOOLEAN → bool; signed and unsigned integers → int (unsigned values as unsigned);
- FLOAT/DOUBLE → float, NaN/±infinity → "NaN"/"Infinity"/"-Infinity". A FLOAT (32-bit) value is
  represented by the double that its shortest round-trip decimal text denotes, so the float32 value
  0.1f is the double 0.1: lake's "shortest round-trip" JSON text parses to exactly that double, and
  a longer text (0.10000000149011612, the widened double) does not.
- STRING → str; other byte arrays (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, UUID) → standard base64 str;
- DATE → "YYYY-MM-DD"; TIMESTAMP → "YYYY-MM-DDTHH:MM:SS.fff[fff[fff]]" plus "Z" when adjusted to
  UTC; TIME → "HH:MM:SS.fff[fff[fff]]"; DECIMAL(p,s) → str with exactly s fraction digits;
- LIST → list; MAP → list of {"key": k, "value": v}; struct → dict with the fields in schema order.

What a value means is given by a *target* Arrow type that states the Parquet logical type
(timestamp unit and UTC-ness, decimal scale, string vs bytes, float width). The values may come
from a reader that represents them differently (DuckDB reads TIMESTAMP(MILLIS) as microseconds,
FIXED_LEN_BYTE_ARRAY as binary); the *source* Arrow type of the array says how to interpret them.
`parquet_target_schema` derives the target types from a file's own Parquet schema (so an INT96
column, which pyarrow reads as a naive timestamp, becomes TIMESTAMP(NANOS, UTC) as the contract says).
"""
from __future__ import annotations

import base64
import decimal
import json
import math
import struct
from typing import Any, Iterable, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

NAN = "NaN"
POS_INF = "Infinity"
NEG_INF = "-Infinity"

_UNIT_PER_SECOND = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_FRACTION_DIGITS = {"s": 0, "ms": 3, "us": 6, "ns": 9}


# --------------------------------------------------------------------------------------------
# Scalar formatting from raw integers (shared by every reader and by statistics)
# --------------------------------------------------------------------------------------------

def civil_from_days(days: int) -> tuple[int, int, int]:
    """Proleptic Gregorian (year, month, day) of `days` since 1970-01-01, for any int."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (inverse of `civil_from_days`)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _year_text(y: int) -> str:
    if 1 <= y <= 9999:
        return f"{y:04d}"
    return f"{'-' if y < 0 else '+'}{abs(y):06d}"


def format_date(days: int) -> str:
    """`"YYYY-MM-DD"` of a day count since the Unix epoch."""
    y, m, d = civil_from_days(days)
    return f"{_year_text(y)}-{m:02d}-{d:02d}"


def format_timestamp(value: int, unit: str, utc: bool) -> str:
    """`"YYYY-MM-DDTHH:MM:SS.fff…"` (3/6/9 fraction digits for ms/us/ns), `Z` when UTC-adjusted."""
    per_second = _UNIT_PER_SECOND[unit]
    per_day = 86_400 * per_second
    days, in_day = divmod(value, per_day)
    return f"{format_date(days)}T{_clock(in_day, unit)}{'Z' if utc else ''}"


def format_time(value: int, unit: str) -> str:
    """`"HH:MM:SS.fff…"` of a time of day in `unit` since midnight."""
    return _clock(value, unit)


def _clock(value: int, unit: str) -> str:
    per_second = _UNIT_PER_SECOND[unit]
    seconds, fraction = divmod(value, per_second)
    h, rest = divmod(seconds, 3600)
    mi, s = divmod(rest, 60)
    digits = _FRACTION_DIGITS[unit]
    text = f"{h:02d}:{mi:02d}:{s:02d}"
    return text + (f".{fraction:0{digits}d}" if digits else "")


def format_decimal(unscaled: int, scale: int) -> str:
    """The exact value `unscaled × 10^-scale` with exactly `scale` fraction digits."""
    sign = "-" if unscaled < 0 else ""
    digits = str(abs(unscaled))
    if scale <= 0:
        return sign + digits + "0" * (-scale)
    digits = digits.rjust(scale + 1, "0")
    return f"{sign}{digits[:-scale]}.{digits[-scale:]}"


def decimal_unscaled(value: decimal.Decimal, scale: int) -> int:
    """The unscaled integer of a Decimal at `scale`, exactly (no context rounding)."""
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise ValueError(f"not a finite decimal: {value!r}")
    n = int("".join(map(str, digits)) or "0")
    shift = exponent + scale
    if shift >= 0:
        n *= 10 ** shift
    else:
        n, rest = divmod(n, 10 ** -shift)
        if rest:
            raise ValueError(f"decimal {value} has more than {scale} fraction digits")
    return -n if sign else n


def shortest_float(value: float, bits: int) -> float:
    """The double denoted by the shortest decimal text that round-trips `value` at `bits` width."""
    if bits == 64 or value == 0 or not math.isfinite(value):
        return value
    fmt = "<f" if bits == 32 else "<e"
    target = struct.pack(fmt, value)
    for precision in range(1, 18):
        text = f"{value:.{precision}g}"
        try:
            if struct.pack(fmt, float(text)) == target:
                return float(text)
        except OverflowError:
            continue
    return value


def canonical_float(value: float, bits: int = 64) -> float | str:
    """A float in canonical form: NaN and infinities as strings, float32/16 by their shortest text."""
    value = float(value)
    if math.isnan(value):
        return NAN
    if math.isinf(value):
        return POS_INF if value > 0 else NEG_INF
    return shortest_float(value, bits)


def b64(data: bytes) -> str:
    """Standard base64 with padding."""
    return base64.b64encode(bytes(data)).decode("ascii")


def int96_to_nanos(raw: bytes) -> int:
    """Nanoseconds since the Unix epoch of a 12-byte INT96 timestamp (nanos of day, Julian day)."""
    nanos_of_day, julian_day = struct.unpack("<qi", bytes(raw))
    return (julian_day - 2_440_588) * 86_400_000_000_000 + nanos_of_day


# --------------------------------------------------------------------------------------------
# Arrow arrays → canonical values
# --------------------------------------------------------------------------------------------

def _is_stringish(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def _is_bytesish(t: pa.DataType) -> bool:
    return (pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t)
            or pa.types.is_fixed_size_binary(t))


def _is_listish(t: pa.DataType) -> bool:
    return (pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t)
            or pa.types.is_list_view(t) or pa.types.is_large_list_view(t))


def _raw_type(t: pa.DataType) -> pa.DataType:
    """`t` with temporal leaves replaced by the integers that hold them (so `to_pylist` is exact)."""
    if isinstance(t, pa.ExtensionType):
        return _raw_type(t.storage_type)
    if pa.types.is_dictionary(t):
        return _raw_type(t.value_type)
    if pa.types.is_timestamp(t) or pa.types.is_time64(t) or pa.types.is_date64(t) or pa.types.is_duration(t):
        return pa.int64()
    if pa.types.is_time32(t) or pa.types.is_date32(t):
        return pa.int32()
    if pa.types.is_float16(t):
        return pa.float32()
    if pa.types.is_map(t):
        return pa.map_(pa.field(t.key_field.name, _raw_type(t.key_type), False),
                       pa.field(t.item_field.name, _raw_type(t.item_type), t.item_field.nullable))
    if pa.types.is_large_list(t):
        return pa.large_list(t.value_field.with_type(_raw_type(t.value_type)))
    if _is_listish(t):
        return pa.list_(t.value_field.with_type(_raw_type(t.value_type)))
    if pa.types.is_struct(t):
        return pa.struct([t.field(i).with_type(_raw_type(t.field(i).type)) for i in range(t.num_fields)])
    return t


def _decoded(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if isinstance(array.type, pa.ExtensionType):
        array = array.storage
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    return array


def _python_values(array: pa.Array | pa.ChunkedArray) -> tuple[list, pa.DataType]:
    """The array's values as Python objects with temporals as raw ints, and the source type."""
    array = _decoded(array)
    source = array.type
    raw = _raw_type(source)
    if not raw.equals(source):
        array = array.cast(raw)
    return array.to_pylist(), source


class _Rescale:
    """Converts an integer count of `source` units to `target` units, exactly or visibly not."""

    def __init__(self, source: str, target: str, micros_for_nanos: bool):
        self.source, self.target, self.truncate = source, target, micros_for_nanos and target == "ns"

    def __call__(self, value: int) -> int | str:
        s, t = _UNIT_PER_SECOND[self.source], _UNIT_PER_SECOND[self.target]
        if t >= s:
            out = value * (t // s)
        else:
            q, r = divmod(value, s // t)
            if r:
                return f"<{value} {self.source} is not a whole number of {self.target}>"
            out = q
        if self.truncate:  # toward zero, as DuckDB narrows nanoseconds to microseconds
            kept = abs(out) // 1000 * 1000
            out = kept if out >= 0 else -kept
        return out


def _unit_of(t: pa.DataType) -> str:
    if pa.types.is_date32(t):
        return "day"
    if pa.types.is_date64(t):
        return "ms"
    return t.unit


def _converter(target: pa.DataType, source: pa.DataType, micros_for_nanos: bool):
    """A function from one raw Python value of `source` to its canonical form as `target`."""
    if isinstance(target, pa.ExtensionType):
        target = target.storage_type
    if pa.types.is_dictionary(target):
        target = target.value_type
    if isinstance(source, pa.ExtensionType):
        source = source.storage_type
    if pa.types.is_dictionary(source):
        source = source.value_type

    def nullable(f):
        return lambda v: None if v is None else f(v)

    if pa.types.is_boolean(target):
        return nullable(bool)
    if pa.types.is_integer(target):
        return nullable(int)
    if pa.types.is_floating(target):
        bits = target.bit_width
        return nullable(lambda v: canonical_float(v, bits))
    if pa.types.is_decimal(target):
        scale = target.scale

        def dec(v):
            if isinstance(v, decimal.Decimal):
                return format_decimal(decimal_unscaled(v, scale), scale)
            return format_decimal(int(v), scale)  # an unscaled integer
        return nullable(dec)
    if pa.types.is_timestamp(target):
        utc = target.tz is not None
        unit = target.unit
        if pa.types.is_timestamp(source) or pa.types.is_date64(source):
            rescale = _Rescale(_unit_of(source), unit, micros_for_nanos and utc)
        else:
            raise TypeError(f"cannot read a {source} value as {target}")

        def ts(v):
            r = rescale(v)
            return r if isinstance(r, str) else format_timestamp(r, unit, utc)
        return nullable(ts)
    if pa.types.is_date(target):
        if pa.types.is_date32(source):
            return nullable(format_date)
        if pa.types.is_date64(source) or pa.types.is_timestamp(source):
            per_day = 86_400 * _UNIT_PER_SECOND[_unit_of(source)]
            return nullable(lambda v: format_date(v // per_day) if v % per_day == 0
                            else f"<{v} {_unit_of(source)} is not a whole day>")
        raise TypeError(f"cannot read a {source} value as {target}")
    if pa.types.is_time(target):
        unit = target.unit
        rescale = _Rescale(source.unit, unit, micros_for_nanos)

        def tm(v):
            r = rescale(v)
            return r if isinstance(r, str) else format_time(r, unit)
        return nullable(tm)
    if _is_stringish(target):
        return nullable(lambda v: v if isinstance(v, str) else bytes(v).decode("utf-8"))
    if _is_bytesish(target):
        return nullable(lambda v: b64(v.encode("utf-8") if isinstance(v, str) else v))
    if pa.types.is_map(target):
        if not pa.types.is_map(source):
            raise TypeError(f"cannot read a {source} value as {target}")
        key = _converter(target.key_type, source.key_type, micros_for_nanos)
        item = _converter(target.item_type, source.item_type, micros_for_nanos)

        def entries(v):
            pairs = v.items() if isinstance(v, dict) else v
            return [{"key": key(k), "value": item(x)} for k, x in pairs]
        return nullable(entries)
    if _is_listish(target):
        if not _is_listish(source):
            raise TypeError(f"cannot read a {source} value as {target}")
        element = _converter(target.value_type, source.value_type, micros_for_nanos)
        return nullable(lambda v: [element(e) for e in v])
    if pa.types.is_struct(target):
        if not pa.types.is_struct(source) or source.num_fields != target.num_fields:
            raise TypeError(f"cannot read a {source} value as {target}")
        names = [target.field(i).name for i in range(target.num_fields)]
        source_names = [source.field(i).name for i in range(source.num_fields)]
        children = [_converter(target.field(i).type, source.field(i).type, micros_for_nanos)
                    for i in range(target.num_fields)]

        def record(v):
            return {n: c(v[sn]) for n, sn, c in zip(names, source_names, children)}
        return nullable(record)
    if pa.types.is_null(target):
        return lambda v: None
    raise TypeError(f"no canonical form for arrow type {target}")


def canonical_column(array: pa.Array | pa.ChunkedArray, target: pa.DataType | None = None, *,
                     micros_for_nanos: bool = False) -> list:
    """The canonical values of an Arrow array read as `target` (default: the array's own type).

    `micros_for_nanos` truncates TIMESTAMP(NANOS, UTC) and TIME(NANOS) values toward zero to whole
    microseconds: the precision DuckDB 1.4 reads them with. Use it on the *expected* side when
    comparing with DuckDB.
    """
    values, source = _python_values(array)
    convert = _converter(target if target is not None else source, source, micros_for_nanos)
    return [convert(v) for v in values]


def canonical_rows(table: pa.Table, target: pa.Schema | None = None, *,
                   micros_for_nanos: bool = False) -> list[dict]:
    """The rows of `table` in canonical form; `target` gives each column's meaning (by name)."""
    names = table.column_names
    columns = []
    for name in names:
        t = target.field(name).type if target is not None else None
        columns.append(canonical_column(table.column(name), t, micros_for_nanos=micros_for_nanos))
    return [dict(zip(names, row)) for row in zip(*columns)] if columns else [{} for _ in range(table.num_rows)]


# --------------------------------------------------------------------------------------------
# Parquet files: target types from the file's own schema; readers
# --------------------------------------------------------------------------------------------

def arrow_leaves(t: pa.DataType) -> list[pa.DataType]:
    """The primitive leaves of an Arrow type in Parquet column order (depth first)."""
    if pa.types.is_map(t):
        return arrow_leaves(t.key_type) + arrow_leaves(t.item_type)
    if _is_listish(t):
        return arrow_leaves(t.value_type)
    if pa.types.is_struct(t):
        return [leaf for i in range(t.num_fields) for leaf in arrow_leaves(t.field(i).type)]
    return [t]


def _replace_leaves(t: pa.DataType, replacements: list) -> pa.DataType:
    """`t` with its leaves replaced, in order, by `replacements` (consumed from the front)."""
    if pa.types.is_map(t):
        k = _replace_leaves(t.key_type, replacements)
        v = _replace_leaves(t.item_type, replacements)
        return pa.map_(t.key_field.with_type(k), t.item_field.with_type(v))
    if pa.types.is_large_list(t):
        return pa.large_list(t.value_field.with_type(_replace_leaves(t.value_type, replacements)))
    if _is_listish(t):
        return pa.list_(t.value_field.with_type(_replace_leaves(t.value_type, replacements)))
    if pa.types.is_struct(t):
        return pa.struct([t.field(i).with_type(_replace_leaves(t.field(i).type, replacements))
                          for i in range(t.num_fields)])
    return replacements.pop(0)


_TIME_UNITS = {"milliseconds": "ms", "microseconds": "us", "nanoseconds": "ns"}


def leaf_target_type(column: pq.ColumnSchema, read_as: pa.DataType) -> pa.DataType:
    """The Arrow type that states the canonical meaning of a Parquet leaf column.

    `read_as` is how pyarrow reads it; it is kept unless the Parquet types say otherwise:
    INT96 is TIMESTAMP(NANOS, UTC); a TIMESTAMP's unit and UTC flag come from the file.
    """
    if column.physical_type == "INT96":
        return pa.timestamp("ns", tz="UTC")
    logical = json.loads(column.logical_type.to_json())
    if logical.get("Type") == "Timestamp":
        unit = _TIME_UNITS[logical["timeUnit"]]
        return pa.timestamp(unit, tz="UTC" if logical["isAdjustedToUTC"] else None)
    return read_as


def parquet_target_schema(source: str | pq.ParquetFile) -> pa.Schema:
    """The Arrow schema whose types give the canonical meaning of every column of a Parquet file."""
    pf = source if isinstance(source, pq.ParquetFile) else pq.ParquetFile(source)
    arrow = pf.schema_arrow
    columns = [pf.schema.column(i) for i in range(len(pf.schema))]
    replacements = []
    cursor = 0
    for field in arrow:
        for leaf in arrow_leaves(field.type):
            replacements.append(leaf_target_type(columns[cursor], leaf))
            cursor += 1
    if cursor != len(columns):
        raise AssertionError(f"arrow schema has {cursor} leaves, parquet schema {len(columns)}")
    return pa.schema([f.with_type(_replace_leaves(f.type, replacements)) for f in arrow])


def read_pyarrow(path, columns: Sequence[str] | None = None) -> list[dict]:
    """The file's rows as read by pyarrow, in canonical form."""
    pf = pq.ParquetFile(path)
    target = parquet_target_schema(pf)
    table = pf.read(columns=list(columns) if columns is not None else None, use_threads=False)
    return canonical_rows(table, target)


def read_duckdb(path, target: pa.Schema, columns: Sequence[str] | None = None) -> list[dict]:
    """The file's rows as read by DuckDB's `read_parquet`, in canonical form.

    DuckDB narrows TIMESTAMP(NANOS, UTC) and TIME(NANOS) to microseconds: compare with expected
    rows made with `micros_for_nanos=True`.
    """
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET threads TO 1")
        con.execute("SET TimeZone = 'UTC'")
        select = ", ".join('"' + c.replace('"', '""') + '"' for c in columns) if columns else "*"
        table = con.execute(f"SELECT {select} FROM read_parquet(?)", [str(path)]).fetch_arrow_table()
    finally:
        con.close()
    return canonical_rows(table, target)


def canonical_physical(raw: Any, physical_type: str, target: pa.DataType) -> Any:
    """The canonical form of a raw physical value (e.g. a statistics min/max) of a leaf column.

    `raw` is what pyarrow's `Statistics.min_raw` gives: int for INT32/INT64 (signed bit pattern),
    float, bool, or bytes for BYTE_ARRAY/FIXED_LEN_BYTE_ARRAY/INT96.
    """
    if raw is None:
        return None
    if physical_type == "INT96":
        raw = int96_to_nanos(raw)
        return format_timestamp(raw, "ns", True) if pa.types.is_timestamp(target) else raw
    if pa.types.is_decimal(target):
        if isinstance(raw, (bytes, bytearray)):
            raw = int.from_bytes(raw, "big", signed=True)
        return format_decimal(int(raw), target.scale)
    if pa.types.is_unsigned_integer(target):
        return int(raw) & ((1 << (64 if physical_type == "INT64" else 32)) - 1)
    if isinstance(raw, (bytes, bytearray)):
        if _is_stringish(target):
            try:
                return bytes(raw).decode("utf-8")
            except UnicodeDecodeError:
                return f"<invalid UTF-8 {bytes(raw)!r}>"
        if pa.types.is_float16(target):
            return canonical_float(struct.unpack("<e", bytes(raw))[0], 16)
        return b64(raw)
    if pa.types.is_timestamp(target):
        return format_timestamp(int(raw), target.unit, target.tz is not None)
    if pa.types.is_date32(target):
        return format_date(int(raw))
    if pa.types.is_time(target):
        return format_time(int(raw), target.unit)
    if pa.types.is_floating(target):
        return canonical_float(raw, target.bit_width)
    if pa.types.is_boolean(target):
        return bool(raw)
    return int(raw)


# --------------------------------------------------------------------------------------------
# JSON lines in and out
# --------------------------------------------------------------------------------------------

class JsonInt(int):
    """An integer parsed from JSON, remembering its text (so `-0` can be read as -0.0)."""

    text: str

    def __new__(cls, text: str):
        self = super().__new__(cls, int(text))
        self.text = text
        return self


def _reject_constant(name: str):
    raise ValueError(f"non-standard JSON constant {name} (the contract spells it as a string)")


def _object(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r} in a JSON object")
        out[k] = v
    return out


def parse_jsonl(text: str) -> list[dict]:
    """Strictly parses JSON lines (one object per non-empty line; no NaN tokens, no duplicate keys)."""
    rows = []
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 is not a line end
        if not line.strip():
            continue
        try:
            row = json.loads(line, parse_int=JsonInt, parse_constant=_reject_constant,
                             object_pairs_hook=_object)
        except ValueError as e:
            raise AssertionError(f"output line {number} is not valid JSON ({e}): {line[:300]!r}") from None
        if not isinstance(row, dict):
            raise AssertionError(f"output line {number} is not a JSON object: {line[:300]!r}")
        rows.append(row)
    return rows


def to_jsonl(rows: Iterable[dict], ensure_ascii: bool = False) -> str:
    """Canonical rows as JSON lines (the input form of `lake parquet write`)."""
    return "".join(json.dumps(r, ensure_ascii=ensure_ascii, allow_nan=False, separators=(",", ":")) + "\n"
                   for r in rows)


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------

def _kind(v) -> str:
    return "int" if isinstance(v, int) and not isinstance(v, bool) else type(v).__name__


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def diff_value(expected, actual, where: str = "") -> str | None:
    """Describes the first difference between two canonical values (None if equal).

    Strict about types (true is not 1, "1" is not 1, 1.5 is not "1.5") and about object key
    order; a float equals a JSON integer token only if they denote the same double, sign included.
    """
    if expected is None or actual is None:
        return None if expected is None and actual is None else f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, bool) or isinstance(actual, bool):
        ok = isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
        return None if ok else f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, float):
        if isinstance(actual, JsonInt):
            actual_f = float(actual.text)
        elif isinstance(actual, float):
            actual_f = actual
        else:
            return f"{where}: expected float {expected!r}, got {_kind(actual)} {actual!r}"
        same = actual_f == expected and math.copysign(1, actual_f) == math.copysign(1, expected)
        return None if same else f"{where}: expected {expected!r}, got {actual_f!r}"
    if _is_int(expected):
        ok = _is_int(actual) and int(actual) == expected
        return None if ok else f"{where}: expected int {expected!r}, got {_kind(actual)} {actual!r}"
    if isinstance(expected, str):
        ok = isinstance(actual, str) and actual == expected
        return None if ok else f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{where}: expected list {expected!r}, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = diff_value(e, a, f"{where}[{i}]")
            if d:
                return d
        if len(expected) != len(actual):
            return f"{where}: expected {len(expected)} elements, got {len(actual)}: {expected!r} vs {actual!r}"
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected object {expected!r}, got {actual!r}"
        if list(expected) != list(actual):
            return f"{where}: expected keys {list(expected)}, got {list(actual)}"
        for k in expected:
            d = diff_value(expected[k], actual[k], f"{where}.{k}")
            if d:
                return d
        return None
    raise TypeError(f"{where}: not a canonical value: {expected!r}")


def diff_rows(expected: Sequence[dict], actual: Sequence[dict]) -> str | None:
    """Describes the first differing row and column of two row lists (None if equal)."""
    for i, (e, a) in enumerate(zip(expected, actual)):
        if list(e) != list(a):
            return f"row {i}: expected columns {list(e)}, got {list(a)}"
        for column in e:
            d = diff_value(e[column], a[column], column)
            if d:
                return (f"row {i}, column {d}\n  expected row: {_short(e)}\n  actual row:   {_short(a)}")
    if len(expected) != len(actual):
        return f"expected {len(expected)} rows, got {len(actual)}"
    return None


def _short(row) -> str:
    text = json.dumps(row, ensure_ascii=False, default=str)
    return text if len(text) <= 1500 else text[:1500] + "…"


def assert_rows_equal(expected: Sequence[dict], actual: Sequence[dict], what: str = "") -> None:
    """Fails with the first differing row/column and both values."""
    d = diff_rows(expected, actual)
    if d:
        raise AssertionError(f"{what}: {d}" if what else d)
