"""Parquet at the byte level, independent of pyarrow: Thrift compact protocol, footer, page headers,
and a minimal writer for hand-built files.

Used to check what pyarrow does not expose (the exact codec id, so LZ4_RAW is told from LZ4; how
many pages a column chunk has and of which kind) and to build files no library here writes any
more (legacy 2-level lists, repeated fields without LIST annotation).

Thrift structs are plain dicts keyed by field id: `{1: 2, 4: b"name", 2: [ ... ]}`.
"""
from __future__ import annotations

import struct
from typing import Any

# Compact protocol type ids.
T_TRUE, T_FALSE, T_I8, T_I16, T_I32, T_I64, T_DOUBLE, T_BINARY, T_LIST, T_SET, T_MAP, T_STRUCT = range(1, 13)

# parquet.thrift enums.
PHYSICAL = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]
CODECS = ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"]
ENCODINGS = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
             6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}
PAGE_TYPES = {0: "DATA_PAGE", 1: "INDEX_PAGE", 2: "DICTIONARY_PAGE", 3: "DATA_PAGE_V2"}
REQUIRED, OPTIONAL, REPEATED = 0, 1, 2


class ThriftError(ValueError):
    pass


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

class Reader:
    """A cursor over compact-protocol bytes."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise ThriftError(f"truncated at offset {self.pos}")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def varint(self) -> int:
        shift = result = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 70:
                raise ThriftError(f"varint too long at offset {self.pos}")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise ThriftError(f"{n} bytes wanted at offset {self.pos}, {len(self.data) - self.pos} left")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def value(self, t: int) -> Any:
        if t in (T_TRUE, T_FALSE):  # inside a container a bool is one byte
            return self.byte() == T_TRUE
        if t == T_I8:
            return struct.unpack("b", self.take(1))[0]
        if t in (T_I16, T_I32, T_I64):
            return self.zigzag()
        if t == T_DOUBLE:
            return struct.unpack("<d", self.take(8))[0]
        if t == T_BINARY:
            return self.take(self.varint())
        if t in (T_LIST, T_SET):
            header = self.byte()
            size, et = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            return [self.value(et) for _ in range(size)]
        if t == T_MAP:
            size = self.varint()
            if size == 0:
                return {}
            kv = self.byte()
            return {self.value(kv >> 4): self.value(kv & 0x0F) for _ in range(size)}
        if t == T_STRUCT:
            return self.struct()
        raise ThriftError(f"unknown compact type {t} at offset {self.pos}")

    def struct(self) -> dict:
        out: dict[int, Any] = {}
        last = 0
        while True:
            header = self.byte()
            if header == 0:
                return out
            delta, t = header >> 4, header & 0x0F
            fid = last + delta if delta else self.zigzag()
            last = fid
            out[fid] = True if t == T_TRUE else False if t == T_FALSE else self.value(t)


def decode_struct(data: bytes, pos: int = 0) -> tuple[dict, int]:
    """Decodes one struct; returns it and the offset after it."""
    r = Reader(data, pos)
    s = r.struct()
    return s, r.pos


# --------------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------------

def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _zigzag(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


class Field:
    """A typed struct field for encoding: `Field(4, T_BINARY, b"name")`; lists: `Field(2, (T_LIST, T_STRUCT), [...])`."""

    def __init__(self, fid: int, t, value):
        self.fid, self.t, self.value = fid, t, value


def _encode_value(t, v) -> bytes:
    if isinstance(t, tuple):  # (T_LIST, element type)
        _, et = t
        inner = et[0] if isinstance(et, tuple) else et
        n = len(v)
        out = bytearray([n << 4 | inner]) if n < 15 else bytearray([0xF0 | inner]) + _varint(n)
        for e in v:
            out += _encode_value(et, e)
        return bytes(out)
    if t in (T_TRUE, T_FALSE):
        return bytes([T_TRUE if v else T_FALSE])
    if t == T_I8:
        return struct.pack("b", v)
    if t in (T_I16, T_I32, T_I64):
        return _zigzag(v)
    if t == T_DOUBLE:
        return struct.pack("<d", v)
    if t == T_BINARY:
        v = v.encode() if isinstance(v, str) else bytes(v)
        return _varint(len(v)) + v
    if t == T_STRUCT:
        return encode_struct(v)
    raise ThriftError(f"cannot encode type {t}")


def encode_struct(fields: list[Field]) -> bytes:
    """Encodes a struct given as a list of `Field`s (in increasing id order)."""
    out = bytearray()
    last = 0
    for f in fields:
        if f.value is None:
            continue
        t = f.t[0] if isinstance(f.t, tuple) else f.t
        if t in (T_TRUE, T_FALSE):
            t = T_TRUE if f.value else T_FALSE
        delta = f.fid - last
        if 0 < delta <= 15:
            out.append(delta << 4 | t)
        else:
            out.append(t)
            out += _zigzag(f.fid)
        last = f.fid
        if t not in (T_TRUE, T_FALSE):
            out += _encode_value(f.t, f.value)
    out.append(0)
    return bytes(out)


# --------------------------------------------------------------------------------------------
# Reading a file's structure
# --------------------------------------------------------------------------------------------

def read_footer(path) -> dict:
    """The FileMetaData of a Parquet file as a field-id dict."""
    data = open(path, "rb").read()
    if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise ThriftError(f"{path}: no PAR1 magic")
    (length,) = struct.unpack("<I", data[-8:-4])
    start = len(data) - 8 - length
    if start < 4:
        raise ThriftError(f"{path}: footer length {length} exceeds the file")
    meta, end = decode_struct(data, start)
    if end != len(data) - 8:
        raise ThriftError(f"{path}: footer ends at {end}, expected {len(data) - 8}")
    return meta


def column_chunks(meta: dict) -> list[list[dict]]:
    """Per row group, the ColumnMetaData dicts of its column chunks."""
    return [[cc[3] for cc in rg.get(1, [])] for rg in meta.get(4, [])]


def chunk_codec(cmd: dict) -> str:
    return CODECS[cmd[4]]


def chunk_path(cmd: dict) -> str:
    return ".".join(p.decode() for p in cmd[3])


def chunk_pages(path, cmd: dict) -> list[dict]:
    """The page headers of one column chunk, each with `type`, `num_values`, `encoding`, sizes.

    Walks the chunk from its first page (dictionary page if any) for `total_compressed_size`
    bytes and checks that the headers and payloads tile it exactly.
    """
    data = open(path, "rb").read()
    # The chunk starts at its dictionary page if it has one; offset 0 (the magic) means "none"
    # (arrow-cpp writes data_page_offset 0 for a chunk that holds only a dictionary page).
    if cmd[7] == 0:
        return []  # an empty chunk (no rows, no dictionary)
    offsets = [o for o in (cmd.get(11), cmd.get(9)) if o]
    if not offsets:
        raise ThriftError(f"column chunk {chunk_path(cmd)} has no page offset")
    start = min(offsets)
    end = start + cmd[7]
    pages = []
    pos = start
    while pos < end:
        header, body = decode_struct(data, pos)
        page = {"type": PAGE_TYPES.get(header[1], str(header[1])), "uncompressed_size": header[2],
                "compressed_size": header[3], "crc": header.get(4)}
        if 5 in header:
            page.update(num_values=header[5][1], encoding=ENCODINGS.get(header[5][2], header[5][2]))
        if 7 in header:
            page.update(num_values=header[7][1], encoding=ENCODINGS.get(header[7][2], header[7][2]))
        if 8 in header:
            h = header[8]
            page.update(num_values=h[1], num_nulls=h[2], num_rows=h[3], encoding=ENCODINGS.get(h[4], h[4]),
                        is_compressed=h.get(7, True))
        pages.append(page)
        pos = body + header[3]
    if pos != end:
        raise ThriftError(f"pages of {chunk_path(cmd)} end at {pos}, chunk ends at {end}")
    return pages


# --------------------------------------------------------------------------------------------
# A minimal writer for hand-built files (uncompressed, PLAIN, data page v1, one row group)
# --------------------------------------------------------------------------------------------

def _rle_levels(levels: list[int], max_level: int) -> bytes:
    """RLE/bit-packed hybrid of `levels` as RLE runs only, with the 4-byte length prefix of v1 pages."""
    width = max(1, max_level.bit_length())
    nbytes = (width + 7) // 8
    out = bytearray()
    i = 0
    while i < len(levels):
        j = i
        while j < len(levels) and levels[j] == levels[i]:
            j += 1
        out += _varint((j - i) << 1) + levels[i].to_bytes(nbytes, "little")
        i = j
    return struct.pack("<I", len(out)) + bytes(out)


def _plain(physical: str, values: list, type_length: int | None) -> bytes:
    if physical == "BOOLEAN":
        out = bytearray((len(values) + 7) // 8)
        for i, v in enumerate(values):
            if v:
                out[i // 8] |= 1 << (i % 8)
        return bytes(out)
    if physical == "INT32":
        return b"".join(struct.pack("<i", v) for v in values)
    if physical == "INT64":
        return b"".join(struct.pack("<q", v) for v in values)
    if physical == "FLOAT":
        return b"".join(struct.pack("<f", v) for v in values)
    if physical == "DOUBLE":
        return b"".join(struct.pack("<d", v) for v in values)
    if physical == "BYTE_ARRAY":
        vs = [v.encode() if isinstance(v, str) else bytes(v) for v in values]
        return b"".join(struct.pack("<I", len(v)) + v for v in vs)
    if physical == "FIXED_LEN_BYTE_ARRAY":
        assert all(len(v) == type_length for v in values)
        return b"".join(bytes(v) for v in values)
    raise ThriftError(f"cannot write {physical}")


class SchemaNode:
    """A node of a hand-built schema: `SchemaNode("a", OPTIONAL, children=[…], converted=3)`."""

    def __init__(self, name: str, repetition: int, physical: str | None = None, children=None,
                 converted: int | None = None, type_length: int | None = None,
                 logical: list[Field] | None = None, scale=None, precision=None):
        self.name, self.repetition, self.physical = name, repetition, physical
        self.children, self.converted, self.type_length = children, converted, type_length
        self.logical, self.scale, self.precision = logical, scale, precision

    def elements(self) -> list[list[Field]]:
        own = [Field(1, T_I32, PHYSICAL.index(self.physical) if self.physical else None),
               Field(2, T_I32, self.type_length), Field(3, T_I32, self.repetition),
               Field(4, T_BINARY, self.name),
               Field(5, T_I32, len(self.children) if self.children is not None else None),
               Field(6, T_I32, self.converted), Field(7, T_I32, self.scale), Field(8, T_I32, self.precision),
               Field(10, T_STRUCT, self.logical)]
        out = [own]
        for c in self.children or []:
            out += c.elements()
        return out


def write_file(path, root_children: list[SchemaNode], columns: list[dict], num_rows: int,
               created_by: str = "lake interop hand-built file") -> None:
    """Writes one uncompressed row group.

    `columns` holds, per leaf in schema order: `path` (list of names), `physical`, `type_length`,
    `max_def`, `max_rep`, `def` and `rep` level lists, and `values` (the non-null values in order).
    """
    body = bytearray(b"PAR1")
    chunks = []
    for c in columns:
        payload = b""
        if c["max_rep"] > 0:
            payload += _rle_levels(c["rep"], c["max_rep"])
        if c["max_def"] > 0:
            payload += _rle_levels(c["def"], c["max_def"])
        payload += _plain(c["physical"], c["values"], c.get("type_length"))
        n = len(c["def"]) if c["max_def"] > 0 else len(c["values"])
        header = encode_struct([
            Field(1, T_I32, 0), Field(2, T_I32, len(payload)), Field(3, T_I32, len(payload)),
            Field(5, T_STRUCT, [Field(1, T_I32, n), Field(2, T_I32, 0), Field(3, T_I32, 3), Field(4, T_I32, 3)]),
        ])
        offset = len(body)
        body += header + payload
        size = len(header) + len(payload)
        cmd = [Field(1, T_I32, PHYSICAL.index(c["physical"])), Field(2, (T_LIST, T_I32), [0, 3]),
               Field(3, (T_LIST, T_BINARY), c["path"]), Field(4, T_I32, 0), Field(5, T_I64, n),
               Field(6, T_I64, size), Field(7, T_I64, size), Field(9, T_I64, offset)]
        chunks.append((offset, size, cmd))
    root = SchemaNode("schema", REQUIRED, children=root_children)
    row_group = [Field(1, (T_LIST, T_STRUCT), [[Field(2, T_I64, off), Field(3, T_STRUCT, cmd)]
                                                for off, _, cmd in chunks]),
                 Field(2, T_I64, sum(s for _, s, _ in chunks)), Field(3, T_I64, num_rows)]
    meta = encode_struct([
        Field(1, T_I32, 1), Field(2, (T_LIST, T_STRUCT), root.elements()), Field(3, T_I64, num_rows),
        Field(4, (T_LIST, T_STRUCT), [row_group]), Field(6, T_BINARY, created_by),
    ])
    body += meta + struct.pack("<I", len(meta)) + b"PAR1"
    with open(path, "wb") as f:
        f.write(bytes(body))
