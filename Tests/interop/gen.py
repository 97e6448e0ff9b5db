"""Seeded random tables over the type matrix of the interop suite, and their Parquet message types.

`matrix()` lists the columns (name, Arrow type, a few flags); `make_table(columns, rows, seed)`
builds a pyarrow table whose values mix each type's edge cases (extremes, NaN, -0.0, empty and
non-ASCII strings, dates before 1970 and at year 1/9999, …) with random values, and puts nulls at
every level: null rows, null list elements, empty lists, null struct fields, null map values.
`message_type(schema)` is the Parquet schema of such a table in parquet-mr's message-type syntax,
as `lake parquet write --schema` takes it.

The same (columns, rows, seed) always gives the same table.
"""
from __future__ import annotations

import dataclasses
import decimal
import random
import string
import struct
from typing import Callable, Sequence

import pyarrow as pa

SEED = 20_240_601


@dataclasses.dataclass(frozen=True)
class Col:
    """One column of the matrix."""

    name: str
    type: pa.DataType
    nullable: bool = True
    #: At most a handful of distinct values: a writer with dictionaries on should use one.
    low_cardinality: bool = False

    @property
    def field(self) -> pa.Field:
        return pa.field(self.name, self.type, nullable=self.nullable)


def _list(t: pa.DataType, element_nullable: bool = True) -> pa.DataType:
    return pa.list_(pa.field("element", t, nullable=element_nullable))


MATRIX: tuple[Col, ...] = (
    Col("id", pa.int64(), nullable=False),
    Col("c_bool", pa.bool_()),
    Col("c_i8", pa.int8()),
    Col("c_i16", pa.int16()),
    Col("c_i32", pa.int32()),
    Col("c_i64", pa.int64()),
    Col("c_u8", pa.uint8()),
    Col("c_u16", pa.uint16()),
    Col("c_u32", pa.uint32()),
    Col("c_u64", pa.uint64()),
    Col("c_f32", pa.float32()),
    Col("c_f64", pa.float64()),
    Col("c_str", pa.string()),
    Col("c_str_lc", pa.string(), low_cardinality=True),
    Col("c_i32_lc", pa.int32(), low_cardinality=True),
    Col("c_bin", pa.binary()),
    Col("c_fixed16", pa.binary(16)),
    Col("c_date", pa.date32()),
    Col("c_ts_ms_utc", pa.timestamp("ms", tz="UTC")),
    Col("c_ts_ms", pa.timestamp("ms")),
    Col("c_ts_us_utc", pa.timestamp("us", tz="UTC")),
    Col("c_ts_us", pa.timestamp("us")),
    Col("c_ts_ns_utc", pa.timestamp("ns", tz="UTC")),
    Col("c_ts_ns", pa.timestamp("ns")),
    Col("c_time_us", pa.time64("us")),
    Col("c_time_ms", pa.time32("ms")),
    Col("c_dec9_2", pa.decimal128(9, 2)),
    Col("c_dec18_4", pa.decimal128(18, 4)),
    Col("c_dec38_10", pa.decimal128(38, 10)),
    Col("c_list_i64", _list(pa.int64())),
    Col("c_list_str", _list(pa.string())),
    Col("c_list_list_i32", _list(_list(pa.int32()))),
    Col("c_map_str_i64", pa.map_(pa.string(), pa.int64())),
    Col("c_struct", pa.struct([("a", pa.int32()), ("b", pa.string())])),
    Col("c_struct_list", pa.struct([("id", pa.int64()), ("tags", _list(pa.string()))])),
    Col("c_list_struct", _list(pa.struct([("x", pa.int32()), ("y", pa.float64())]))),
)


def matrix(names: Sequence[str] | None = None) -> list[Col]:
    """The matrix columns, or the named ones (in the given order); `id` is always first."""
    if names is None:
        return list(MATRIX)
    by_name = {c.name: c for c in MATRIX}
    out = [by_name["id"]]
    out += [by_name[n] for n in names if n != "id"]
    return out


def names_of_kind(predicate: Callable[[pa.DataType], bool]) -> list[str]:
    """Names of matrix columns whose type satisfies `predicate`."""
    return [c.name for c in MATRIX if c.name != "id" and predicate(c.type)]


# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

_DAY_MIN = -719_162       # 0001-01-01
_DAY_MAX = 2_932_896      # 9999-12-31
_ALPHABET = string.ascii_letters + string.digits + " _-.,;:/" + "éüßñçø€£¥ЖЯЩ中文日本語한국어αβγ" + "😀🚀𝄞"
_STR_EDGES = ["", "a", "A", "é", "日本語", "emoji 😀 and 𝄞", 'quote " backslash \\ slash /',
              "tab\tnewline\ncr\r", "nul\x00inside", "\x01\x1f control", "line\u2028separator",
              "x" * 300, "ünïcödé " * 40, "zzzz", " leading space", "trailing space "]
_LC_STRINGS = ["red", "green", "blue", "cyan", "magenta"]


def _f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _edges(t: pa.DataType) -> list:
    """Edge values of a primitive type (raw Python values pyarrow accepts)."""
    if pa.types.is_boolean(t):
        return [True, False]
    if pa.types.is_integer(t):
        bits = t.bit_width
        if pa.types.is_unsigned_integer(t):
            top = (1 << bits) - 1
            return [0, 1, top, 1 << (bits - 1), (1 << (bits - 1)) - 1, top - 1]
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        return [0, -1, 1, lo, hi, lo + 1, hi - 1]
    if pa.types.is_float32(t):
        return [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, _f32(0.1), _f32(-1.5),
                3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45,
                1.1754943508222875e-38, _f32(1e-7), 16777216.0, _f32(123456.789), _f32(1 / 3)]
    if pa.types.is_float64(t):
        return [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 0.1, -1.5, 1 / 3,
                1.7976931348623157e308, -1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
                1e21, 1e-7, 123456789.0, 9007199254740993.0, 1e16]
    if pa.types.is_string(t):
        return list(_STR_EDGES)
    if pa.types.is_fixed_size_binary(t):
        w = t.byte_width
        return [bytes(w), b"\xff" * w, bytes(range(w)), b"\x80" + bytes(w - 1)]
    if pa.types.is_binary(t):
        return [b"", b"\x00", bytes(range(256)), b"\xff\xfe", "text 😀".encode()]
    if pa.types.is_date32(t):
        return [_DAY_MIN, _DAY_MAX, 0, -1, 1, 11_016, -25_508, -141_438, 18_321]  # …2000-02-29, 1900-03-01, 1582-10-04
    if pa.types.is_timestamp(t):
        per_s = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[t.unit]
        if t.unit == "ns":
            lo, hi = -9_200_000_000_000_000_000, 9_200_000_000_000_000_000
        else:
            lo, hi = _DAY_MIN * 86_400 * per_s, (_DAY_MAX + 1) * 86_400 * per_s - 1
        return [0, -1, 1, lo, hi, -per_s - 1, 951_782_400 * per_s + per_s // 2 + 7,
                -2_208_988_800 * per_s + 123]
    if pa.types.is_time(t):
        per_day = 86_400 * {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[t.unit]
        return [0, per_day - 1, 1, per_day // 2, 3_600 * per_day // 86_400 + 7]
    if pa.types.is_decimal(t):
        p, s = t.precision, t.scale
        top = 10 ** p - 1
        return [_dec(0, s), _dec(top, s), _dec(-top, s), _dec(1, s), _dec(-1, s), _dec(10 ** s, s),
                _dec(-(10 ** s) - 5, s), _dec(10 ** (p - 1), s)]
    raise TypeError(f"no edge values for {t}")


def _dec(unscaled: int, scale: int) -> decimal.Decimal:
    return decimal.Decimal(unscaled).scaleb(-scale, context=decimal.Context(prec=80))


def _random_primitive(t: pa.DataType, rng: random.Random, low_cardinality: bool):
    if low_cardinality:
        if pa.types.is_string(t):
            return rng.choice(_LC_STRINGS)
        if pa.types.is_integer(t):
            return rng.choice([-7, 0, 3, 1_000_000])
    if rng.random() < 0.15:
        return rng.choice(_edges(t))
    if pa.types.is_boolean(t):
        return rng.random() < 0.5
    if pa.types.is_integer(t):
        bits = t.bit_width
        if pa.types.is_unsigned_integer(t):
            return rng.randrange(0, 1 << bits) if rng.random() < 0.5 else rng.randrange(0, min(1 << bits, 1000))
        lo, hi = -(1 << (bits - 1)), 1 << (bits - 1)
        if rng.random() < 0.5:
            return rng.randrange(lo, hi)
        return rng.randrange(max(lo, -1000), min(hi, 1000))
    if pa.types.is_float32(t):
        return _f32(rng.uniform(-1e6, 1e6) if rng.random() < 0.7 else rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30))
    if pa.types.is_float64(t):
        return rng.uniform(-1e6, 1e6) if rng.random() < 0.7 else rng.uniform(-1, 1) * 10 ** rng.randint(-300, 300)
    if pa.types.is_string(t):
        n = rng.choice([0, 1, 3, 8, 12, 20, 40])
        return "".join(rng.choice(_ALPHABET) for _ in range(n))
    if pa.types.is_fixed_size_binary(t):
        return bytes(rng.randrange(256) for _ in range(t.byte_width))
    if pa.types.is_binary(t):
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
    if pa.types.is_date32(t):
        return rng.randrange(_DAY_MIN, _DAY_MAX + 1) if rng.random() < 0.3 else rng.randrange(-30_000, 30_000)
    if pa.types.is_timestamp(t):
        lo, hi = _edges(t)[3], _edges(t)[4]
        if rng.random() < 0.3:
            return rng.randrange(lo, hi + 1)
        per_s = {"ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}[t.unit]
        return rng.randrange(-2_000_000_000 * per_s, 4_000_000_000 * per_s)
    if pa.types.is_time(t):
        return rng.randrange(0, _edges(t)[1] + 1)
    if pa.types.is_decimal(t):
        return _dec(rng.randrange(-(10 ** t.precision) + 1, 10 ** t.precision) if rng.random() < 0.5
                    else rng.randrange(-100_000, 100_000), t.scale)
    raise TypeError(f"cannot generate {t}")


class _Values:
    """Generates values of one column; edge values come first so small tables still hold them."""

    def __init__(self, col: Col, rng: random.Random, null_fraction: float):
        self.col, self.rng, self.null_fraction = col, rng, null_fraction

    def value(self, t: pa.DataType, nullable: bool, depth: int = 0):
        rng = self.rng
        if nullable and rng.random() < (self.null_fraction if depth == 0 else 0.12):
            return None
        if pa.types.is_map(t):
            n = rng.choice([0, 1, 2, 3, 5])
            keys = []
            while len(keys) < n:
                k = self.value(t.key_type, False, depth + 1)
                if k not in keys:
                    keys.append(k)
            return [(k, self.value(t.item_type, t.item_field.nullable, depth + 1)) for k in keys]
        if pa.types.is_list(t):
            n = rng.choice([0, 0, 1, 2, 3, 4, 7])
            return [self.value(t.value_type, t.value_field.nullable, depth + 1) for _ in range(n)]
        if pa.types.is_struct(t):
            return {t.field(i).name: self.value(t.field(i).type, t.field(i).nullable, depth + 1)
                    for i in range(t.num_fields)}
        return _random_primitive(t, rng, self.col.low_cardinality)


def column_values(col: Col, rows: int, rng: random.Random, null_fraction: float = 0.1) -> list:
    """`rows` values of `col`: its edge values (shuffled in) and random values, with nulls."""
    if col.name == "id":
        return list(range(rows))
    gen = _Values(col, rng, null_fraction)
    values = [gen.value(col.type, col.nullable) for _ in range(rows)]
    t = col.type
    if not pa.types.is_nested(t) and not col.low_cardinality and null_fraction < 1:
        edges = _edges(t)
        slots = rng.sample(range(rows), min(rows, len(edges)))
        for slot, v in zip(slots, edges):
            values[slot] = v
    return values


def make_table(columns: Sequence[Col] | None = None, rows: int = 300, seed: int = SEED,
               null_fraction: float = 0.1) -> pa.Table:
    """A table of `rows` rows over `columns` (default: the whole matrix)."""
    columns = list(columns) if columns is not None else matrix()
    arrays = []
    for col in columns:
        col_rng = random.Random(f"{seed}/{col.name}")  # a column's values don't depend on the others
        arrays.append(pa.array(column_values(col, rows, col_rng, null_fraction), type=col.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema([c.field for c in columns]))


# --------------------------------------------------------------------------------------------
# Message type text
# --------------------------------------------------------------------------------------------

def decimal_byte_width(precision: int) -> int:
    """Bytes of the smallest two's-complement FIXED_LEN_BYTE_ARRAY holding `precision` digits."""
    n = 1
    while (1 << (8 * n - 1)) <= 10 ** precision - 1:
        n += 1
    return n


_UNIT_NAME = {"ms": "MILLIS", "us": "MICROS", "ns": "NANOS"}


def _primitive(t: pa.DataType) -> tuple[str, str]:
    """(physical type text, annotation text or '') of an Arrow primitive type."""
    if pa.types.is_boolean(t):
        return "boolean", ""
    if pa.types.is_integer(t):
        signed = pa.types.is_signed_integer(t)
        physical = "int64" if t.bit_width == 64 else "int32"
        if signed and t.bit_width in (32, 64):
            return physical, ""
        return physical, f"INTEGER({t.bit_width},{'true' if signed else 'false'})"
    if pa.types.is_float32(t):
        return "float", ""
    if pa.types.is_float64(t):
        return "double", ""
    if pa.types.is_float16(t):
        return "fixed_len_byte_array(2)", "FLOAT16"
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "binary", "STRING"
    if pa.types.is_fixed_size_binary(t):
        return f"fixed_len_byte_array({t.byte_width})", ""
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "binary", ""
    if pa.types.is_date32(t):
        return "int32", "DATE"
    if pa.types.is_timestamp(t):
        return "int64", f"TIMESTAMP({_UNIT_NAME[t.unit]},{'true' if t.tz is not None else 'false'})"
    if pa.types.is_time32(t):
        return "int32", f"TIME({_UNIT_NAME[t.unit]},false)"
    if pa.types.is_time64(t):
        return "int64", f"TIME({_UNIT_NAME[t.unit]},false)"
    if pa.types.is_decimal(t):
        p, s = t.precision, t.scale
        physical = "int32" if p <= 9 else "int64" if p <= 18 else f"fixed_len_byte_array({decimal_byte_width(p)})"
        return physical, f"DECIMAL({p},{s})"
    raise TypeError(f"no Parquet type for {t}")


def _field_lines(name: str, t: pa.DataType, nullable: bool, indent: str) -> list[str]:
    rep = "optional" if nullable else "required"
    inner = indent + "  "
    if pa.types.is_map(t):
        return ([f"{indent}{rep} group {name} (MAP) {{", f"{inner}repeated group key_value {{"]
                + _field_lines("key", t.key_type, False, inner + "  ")
                + _field_lines("value", t.item_type, t.item_field.nullable, inner + "  ")
                + [f"{inner}}}", f"{indent}}}"])
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return ([f"{indent}{rep} group {name} (LIST) {{", f"{inner}repeated group list {{"]
                + _field_lines("element", t.value_type, t.value_field.nullable, inner + "  ")
                + [f"{inner}}}", f"{indent}}}"])
    if pa.types.is_struct(t):
        lines = [f"{indent}{rep} group {name} {{"]
        for i in range(t.num_fields):
            f = t.field(i)
            lines += _field_lines(f.name, f.type, f.nullable, inner)
        return lines + [f"{indent}}}"]
    physical, annotation = _primitive(t)
    return [f"{indent}{rep} {physical} {name}{f' ({annotation})' if annotation else ''};"]


def message_type(schema: pa.Schema, name: str = "schema") -> str:
    """The Parquet schema of an Arrow schema in parquet-mr's message-type syntax.

    Lists and maps use the standard 3-level forms (`list`/`element`, `key_value`/`key`/`value`);
    decimals use INT32 up to 9 digits, INT64 up to 18, FIXED_LEN_BYTE_ARRAY beyond.
    """
    lines = [f"message {name} {{"]
    for f in schema:
        lines += _field_lines(f.name, f.type, f.nullable, "  ")
    return "\n".join(lines + ["}"]) + "\n"
