"""Parses Parquet schemas in message-type syntax into comparable trees.

Accepts parquet-mr's syntax (`message m { optional binary s (STRING); }`, what `lake parquet schema`
prints) and pyarrow's `str(ParquetFile.schema)` rendering (`required group field_id=-1 schema {
optional binary field_id=-1 s (String); }`), and normalises annotations so both compare equal:
legacy converted types become their logical form (`UTF8` → `STRING`, `INT_8` → `INTEGER(8,true)`,
`TIMESTAMP_MILLIS` → `TIMESTAMP(MILLIS,true)`), and MAP_KEY_VALUE, which carries no meaning, is
dropped.
"""
from __future__ import annotations

import dataclasses
import json
import re

import pyarrow.parquet as pq


@dataclasses.dataclass
class Node:
    repetition: str | None        # "required" | "optional" | "repeated" (None for the root)
    name: str
    physical: str | None = None   # "int32", "fixed_len_byte_array(16)", …; None for groups
    annotation: str | None = None
    field_id: int | None = None
    children: list["Node"] | None = None

    def lines(self, indent: str = "") -> list[str]:
        ann = f" ({self.annotation})" if self.annotation else ""
        fid = f" = {self.field_id}" if self.field_id is not None else ""
        if self.children is None:
            return [f"{indent}{self.repetition} {self.physical} {self.name}{ann}{fid};"]
        head = "message" if self.repetition is None else f"{self.repetition} group"
        out = [f"{indent}{head} {self.name}{ann}{fid} {{"]
        for c in self.children:
            out += c.lines(indent + "  ")
        return out + [f"{indent}}}"]

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"


_TOKEN = re.compile(r"\s*(?:([{};=])|(\((?:[^()]|\([^()]*\))*\))|([^\s{};=()]+(?:\([^()]*\))?))")
_UNITS = {"milliseconds": "MILLIS", "microseconds": "MICROS", "nanoseconds": "NANOS",
          "MILLIS": "MILLIS", "MICROS": "MICROS", "NANOS": "NANOS"}
_CONVERTED = {
    "UTF8": "STRING", "ENUM": "ENUM", "JSON": "JSON", "BSON": "BSON", "DATE": "DATE", "LIST": "LIST", "MAP": "MAP",
    "INT_8": "INTEGER(8,true)", "INT_16": "INTEGER(16,true)", "INT_32": "INTEGER(32,true)",
    "INT_64": "INTEGER(64,true)", "UINT_8": "INTEGER(8,false)", "UINT_16": "INTEGER(16,false)",
    "UINT_32": "INTEGER(32,false)", "UINT_64": "INTEGER(64,false)",
    "TIMESTAMP_MILLIS": "TIMESTAMP(MILLIS,true)", "TIMESTAMP_MICROS": "TIMESTAMP(MICROS,true)",
    "TIME_MILLIS": "TIME(MILLIS,true)", "TIME_MICROS": "TIME(MICROS,true)",
}


def normalize_annotation(text: str | None) -> str | None:
    """One spelling per annotation: `INTEGER(8,true)`, `TIMESTAMP(MICROS,true)`, `DECIMAL(9,2)`, …"""
    if text is None:
        return None
    t = text.strip()
    if t.startswith("(") and t.endswith(")"):
        t = t[1:-1].strip()
    compact = re.sub(r"\s+", "", t)
    upper = compact.upper()
    if upper in ("MAP_KEY_VALUE", "NONE", ""):
        return None
    if upper in _CONVERTED:
        return _CONVERTED[upper]
    m = re.fullmatch(r"INT\(BITWIDTH=(\d+),ISSIGNED=(TRUE|FALSE)\)", upper)
    if m:
        return f"INTEGER({m[1]},{m[2].lower()})"
    m = re.fullmatch(r"INTEGER\((\d+),(TRUE|FALSE)\)", upper)
    if m:
        return f"INTEGER({m[1]},{m[2].lower()})"
    m = re.fullmatch(r"(TIMESTAMP|TIME)\(ISADJUSTEDTOUTC=(TRUE|FALSE),TIMEUNIT=(\w+?)(?:,.*)?\)", upper)
    if m:
        return f"{m[1]}({_UNITS[m[3].lower()] if m[3].lower() in _UNITS else m[3]},{m[2].lower()})"
    m = re.fullmatch(r"(TIMESTAMP|TIME)\((MILLIS|MICROS|NANOS),(TRUE|FALSE)\)", upper)
    if m:
        return f"{m[1]}({m[2]},{m[3].lower()})"
    m = re.fullmatch(r"DECIMAL\((?:PRECISION=)?(\d+),(?:SCALE=)?(\d+)\)", upper)
    if m:
        return f"DECIMAL({m[1]},{m[2]})"
    return {"STRING": "STRING", "FLOAT16": "FLOAT16", "UUID": "UUID", "VARIANT": "VARIANT"}.get(upper, upper)


def parse(text: str) -> Node:
    """Parses one message type (either syntax) into a tree of `Node`s."""
    tokens = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot tokenize schema at {text[pos:pos + 40]!r}")
        tokens.append(m.group(1) or m.group(2) or m.group(3))
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    cursor = [0]

    def peek():
        return tokens[cursor[0]] if cursor[0] < len(tokens) else None

    def take(expected=None):
        tok = peek()
        if tok is None or (expected is not None and tok != expected):
            raise ValueError(f"schema: expected {expected!r}, found {tok!r} (token {cursor[0]})")
        cursor[0] += 1
        return tok

    def tail(node: Node):
        """[field_id=N] name [(annotation)] [= id]; the caller handles ; or { … }."""
        tok = take()
        if tok == "field_id" and peek() == "=":  # pyarrow: `field_id=-1 name`
            take("=")
            fid = int(take())
            if peek() in (";", "{") or (peek() or "").startswith("("):
                node.name, node.field_id = tok, fid  # a field named field_id, with an id
            else:
                node.field_id = None if fid < 0 else fid
                node.name = take()
        else:
            node.name = tok
        if peek() and peek().startswith("("):
            node.annotation = normalize_annotation(take())
        if peek() == "=":
            take("=")
            node.field_id = int(take())

    def body() -> list[Node]:
        take("{")
        children = []
        while peek() != "}":
            children.append(field())
        take("}")
        return children

    def field() -> Node:
        rep = take().lower()
        if rep not in ("required", "optional", "repeated"):
            raise ValueError(f"schema: expected a repetition, found {rep!r}")
        kind = take()
        node = Node(rep, "")
        if kind.lower() == "group":
            tail(node)
            node.children = body()
            if peek() == ";":
                take(";")
        else:
            node.physical = kind.lower()
            tail(node)
            take(";")
        return node

    first = peek()
    if first == "message":
        take()
        root = Node(None, "")
        tail(root)
        root.children = body()
    else:
        root = field()
        root.repetition = None
    if peek() is not None:
        raise ValueError(f"schema: unexpected {peek()!r} after the message")
    _drop_map_key_value(root, None)
    return root


def _drop_map_key_value(node: Node, parent_annotation: str | None) -> None:
    if node.children is None:
        return
    if parent_annotation == "MAP" and node.repetition == "repeated" and node.annotation == "MAP":
        node.annotation = None  # pyarrow renders MAP_KEY_VALUE as (Map)
    for c in node.children:
        _drop_map_key_value(c, node.annotation)


def from_parquet_file(source) -> Node:
    """The schema tree of a file as pyarrow sees it."""
    pf = source if isinstance(source, pq.ParquetFile) else pq.ParquetFile(source)
    text = str(pf.schema)
    if text.startswith("<"):  # "<pyarrow._parquet.ParquetSchema object at …>" comes first
        text = text.split("\n", 1)[1]
    return parse(text)


def leaves(node: Node, path=(), max_def=0, max_rep=0):
    """(dotted path, physical, annotation, max definition level, max repetition level) per leaf."""
    out = []
    for c in node.children or []:
        d = max_def + (c.repetition != "required")
        r = max_rep + (c.repetition == "repeated")
        p = path + (c.name,)
        if c.children is None:
            out.append((".".join(p), c.physical, c.annotation, d, r))
        else:
            out += leaves(c, p, d, r)
    return out


def pyarrow_leaves(source) -> list[tuple]:
    """The same per-leaf tuples from pyarrow's column descriptors (an independent derivation)."""
    pf = source if isinstance(source, pq.ParquetFile) else pq.ParquetFile(source)
    out = []
    for i in range(len(pf.schema)):
        c = pf.schema.column(i)
        physical = {"byte_array": "binary"}.get(c.physical_type.lower(), c.physical_type.lower())
        if physical == "fixed_len_byte_array":
            physical = f"fixed_len_byte_array({c.length})"
        out.append((c.path, physical, _logical_annotation(c), c.max_definition_level, c.max_repetition_level))
    return out


def _logical_annotation(c) -> str | None:
    logical = json.loads(c.logical_type.to_json())
    kind = logical.get("Type")
    if kind in (None, "None"):
        return None
    if kind == "Int":
        return f"INTEGER({logical['bitWidth']},{str(logical['isSigned']).lower()})"
    if kind in ("Timestamp", "Time"):
        return f"{kind.upper()}({_UNITS[logical['timeUnit']]},{str(logical['isAdjustedToUTC']).lower()})"
    if kind == "Decimal":
        return f"DECIMAL({logical['precision']},{logical['scale']})"
    return normalize_annotation(kind)


def equivalent(a: Node, b: Node, where: str = "") -> str | None:
    """Describes the first structural difference of two trees (None if equivalent)."""
    here = f"{where}.{a.name}" if where else a.name
    for attr in ("name", "repetition", "physical", "annotation", "field_id"):
        va, vb = getattr(a, attr), getattr(b, attr)
        if va != vb:
            return f"{here}: {attr} {va!r} vs {vb!r}"
    if (a.children is None) != (b.children is None):
        return f"{here}: group vs primitive"
    if a.children is not None:
        if [c.name for c in a.children] != [c.name for c in b.children]:
            return f"{here}: children {[c.name for c in a.children]} vs {[c.name for c in b.children]}"
        for ca, cb in zip(a.children, b.children):
            d = equivalent(ca, cb, here)
            if d:
                return d
    return None
