"""A plain in-memory model of a lake upsert table: what a snapshot must contain after each commit.

The model implements the write semantics of the `lake` table contract (brief-table-cli-contract.md)
on canonical JSON rows (the input form of `lake upsert … --input FILE.jsonl`):

* a record key built from one or more fields, formatted like Java Hudi's key generators
  (`SimpleKeyGenerator`: the bare value; `ComplexKeyGenerator`: `f1:v1,f2:v2`, with `__null__` /
  `__empty__` for null / empty components);
* an optional precombine (ordering) field; null sorts below every value, and a table without one
  behaves as if every row had the same (null) ordering value, so the incoming row always wins;
* partition fields; a row's partition is given by its values, null and empty meaning
  `__HIVE_DEFAULT_PARTITION__`; paths are formatted by `partition_path` only;
* upsert / insert: in-batch dedup by key keeping the largest ordering value (ties: the later line),
  then the winner replaces the stored row iff its ordering value is >= the stored one (ties:
  incoming wins), moving partitions in the same commit if its partition changed;
* delete: lines carrying the precombine field are ordered (applied iff >= the stored value) and
  remembered as tombstones (a later-arriving older insert of a deleted key is ignored); lines
  without it delete unconditionally;
* bulk_insert: new keys only; insert_overwrite: every partition present in the input is replaced
  with exactly the input's rows; delete_partition: whole partitions removed.

For every live key the model keeps the row, the commit instant that last inserted or updated it
(`_hoodie_commit_time`) and its partition.

Where the contract leaves an outcome open, the model refuses to guess: it raises `Ambiguous`
(before changing any state), and scenarios must avoid those cases. The open points are:

* what an unconditional delete, an insert_overwrite or a delete_partition remembers about the
  keys it removed (nothing, or the removed row's ordering value) — so re-inserting such a key
  with an ordering value below the removed row's is ambiguous; one at or above it is accepted
  either way;
* whether an ordered delete of an absent key is remembered — so it only raises the upper bound
  of what an insert must reach;
* a delete line whose precombine field is present but null (ordered as null, or unconditional?);
* bulk_insert of a key that exists or was deleted, or twice in one batch;
* insert_overwrite of a key that lives in a partition not being overwritten, or of a deleted
  key, or with a key twice in the batch.

A tombstone is therefore an interval [lo, hi] of possible remembered ordering values: an insert
with ordering value >= hi is accepted under every reading, one < lo is ignored under every
reading, anything between is ambiguous.
"""
from __future__ import annotations

import copy
import dataclasses
import re
from typing import Any, Iterable, Mapping, Sequence

#: The directory name for a null or empty partition value (Hive / Java Hudi).
DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"
#: Written for a null / empty component of a complex record key (Java `KeyGenUtils`).
NULL_KEY_COMPONENT = "__null__"
EMPTY_KEY_COMPONENT = "__empty__"

META_COLUMNS = ("_hoodie_commit_time", "_hoodie_commit_seqno", "_hoodie_record_key",
                "_hoodie_partition_path", "_hoodie_file_name")

OPERATIONS = ("upsert", "insert", "bulk_insert", "delete", "insert_overwrite", "delete_partition")

# Ordering values are compared as tuples: below everything, null, then (1, value).
NEG_INF: tuple = (-1,)
NULL_ORDER: tuple = (0,)


def order_of(value: Any) -> tuple:
    """The comparable ordering of a precombine value; null sorts below every value."""
    if value is None:
        return NULL_ORDER
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ModelError(f"unsupported precombine value {value!r}")
    return (1, value)


class ModelError(Exception):
    """The model was asked to do something the contract forbids or the model does not support."""


class Ambiguous(Exception):
    """The contract does not determine the outcome of this operation for `key`."""

    def __init__(self, key: str, reason: str):
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


# --------------------------------------------------------------------------------------------
# Value rendering, record keys and partition paths
# --------------------------------------------------------------------------------------------

def render_value(value: Any) -> str | None:
    """The string Java's key generators use for a key or partition value (`toString()`).

    Supported: strings as themselves, integers in decimal, booleans as `true`/`false`; null is None.
    Other types (floats, dates, …) render differently in Java and are refused.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    raise ModelError(f"unsupported key/partition value {value!r} (use strings, integers or booleans)")


def format_record_key(fields: Sequence[str], values: Sequence[Any], complex_key: bool) -> str:
    """`_hoodie_record_key` of a record: the bare value (simple) or `f1:v1,f2:v2` (complex)."""
    if len(fields) != len(values) or not fields:
        raise ModelError(f"{len(values)} key values for key fields {list(fields)}")
    rendered = [render_value(v) for v in values]
    if not complex_key:
        if len(fields) != 1:
            raise ModelError("a simple record key has exactly one field")
        if not rendered[0]:
            raise ModelError(f"record key field {fields[0]} is null or empty")
        return rendered[0]
    if all(not r for r in rendered):
        raise ModelError(f"record key fields {list(fields)} are all null or empty")
    parts = []
    for f, r in zip(fields, rendered):
        parts.append(f"{f}:{NULL_KEY_COMPONENT if r is None else EMPTY_KEY_COMPONENT if r == '' else r}")
    return ",".join(parts)


def complex_keys_for(key_generator_class: str | None, key_fields: Sequence[str],
                     partition_fields: Sequence[str]) -> bool:
    """Whether keys are `f1:v1,…` for a table with this `hoodie.table.keygenerator.class`.

    Mirrors Java: `ComplexKeyGenerator` always; `SimpleKeyGenerator` never; others (non-partitioned,
    custom) when there is more than one key field. Without a class, the generator Java infers:
    non-partitioned if there are no partition fields, simple for one key and one partition field,
    complex otherwise.
    """
    name = (key_generator_class or "").rsplit(".", 1)[-1]
    if name == "ComplexKeyGenerator":
        return True
    if name == "SimpleKeyGenerator":
        return False
    if name:
        return len(key_fields) > 1
    if not partition_fields:
        return len(key_fields) > 1
    return not (len(key_fields) == 1 and len(partition_fields) == 1)


# Java/Hive `escapePathName` escapes these (plus control characters and DEL).
_ESCAPED_CHARS = frozenset('"#%\'*/:=?\\{[]^')
# Top-level directory names hudi-rs does not list as partitions.
_RESERVED_TOP_LEVEL = frozenset({".hoodie", "_delta_log", "metadata"})


def escape_path_value(value: str) -> str:
    """Percent-encodes a partition value like Hive's `escapePathName` (`%XX`, uppercase hex).

    Escaped: `"#%'*/:=?\\{[]^`, U+0000–U+001F and U+007F. Everything else, non-ASCII included, is
    kept (UTF-8). NOTE: the exact set lake uses is being decided elsewhere; tests compare path
    strings only for plain ASCII values (`is_plain_value`).
    """
    out = []
    for ch in value:
        if ch in _ESCAPED_CHARS or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"%{ord(ch):02X}")
        else:
            out.append(ch)
    return "".join(out)


_HEX = frozenset("0123456789abcdefABCDEF")


def _escape_at(text: str, i: int) -> bool:
    return i + 2 < len(text) and text[i] == "%" and text[i + 1] in _HEX and text[i + 2] in _HEX


def unescape_path_value(text: str) -> str:
    """Decodes `%XX` sequences (runs decoded as UTF-8, else one character per byte)."""
    if "%" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        if _escape_at(text, i):
            run = bytearray()
            while _escape_at(text, i):
                run.append(int(text[i + 1:i + 3], 16))
                i += 3
            try:
                out.append(run.decode("utf-8"))
            except UnicodeDecodeError:
                out.append("".join(chr(b) for b in run))
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def format_partition_path(fields: Sequence[str], values: Sequence[Any], hive_style: bool = True,
                          url_encode: bool = True) -> str:
    """The partition path of a row whose partition fields have `values`.

    One segment per field joined by `/`: `field=value` (hive style) or `value`; null or empty →
    `__HIVE_DEFAULT_PARTITION__`; values percent-encoded when the table URL-encodes
    (`escape_path_value`), with a leading `.` of a plain (non-hive) segment written `%2E` and a
    reserved top-level name (`metadata`, `_delta_log`) getting its first character encoded, so a
    value can never become a hidden or skipped directory. `""` for a non-partitioned table.
    """
    if len(fields) != len(values):
        raise ModelError(f"{len(values)} partition values for partition fields {list(fields)}")
    segments = []
    for level, (field, value) in enumerate(zip(fields, values)):
        raw = render_value(value)
        if not raw:
            text = DEFAULT_PARTITION
        elif url_encode:
            text = escape_path_value(raw)
            if not hive_style and text.startswith("."):
                text = "%2E" + text[1:]
            if not hive_style and level == 0 and text in _RESERVED_TOP_LEVEL:
                text = f"%{ord(text[0]):02X}" + text[1:]
        else:
            text = raw
        segments.append(f"{field}={text}" if hive_style else text)
    return "/".join(segments)


def parse_partition_path(path: str, fields: Sequence[str], hive_style: bool = True,
                         url_encode: bool = True) -> list[str | None]:
    """The partition values (as strings; `__HIVE_DEFAULT_PARTITION__` → None) of a partition path.

    Raises ModelError if the path does not have one segment per field (`field=` prefixed when hive
    style). For URL-encoded tables, a value containing `/` is encoded, so splitting on `/` is safe.
    """
    if not fields:
        if path:
            raise ModelError(f"partition path {path!r} in a non-partitioned table")
        return []
    segments = path.split("/")
    if len(segments) != len(fields):
        raise ModelError(f"partition path {path!r} has {len(segments)} segments, expected {len(fields)}")
    values: list[str | None] = []
    for field, segment in zip(fields, segments):
        if hive_style:
            if not segment.startswith(field + "="):
                raise ModelError(f"partition path {path!r}: segment {segment!r} is not {field}=<value>")
            segment = segment[len(field) + 1:]
        if segment == DEFAULT_PARTITION:
            values.append(None)
        else:
            values.append(unescape_path_value(segment) if url_encode else segment)
    return values


_PLAIN = re.compile(r"[A-Za-z0-9_-]+\Z")


def is_plain_value(value: Any) -> bool:
    """Whether a partition value's path text is settled by every encoding choice (simple ASCII)."""
    if value is None or value == "" or (isinstance(value, int) and not isinstance(value, bool)):
        return True
    return isinstance(value, str) and bool(_PLAIN.match(value)) and value not in _RESERVED_TOP_LEVEL


# --------------------------------------------------------------------------------------------
# The table model
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Counts:
    """What one write reports (`--json`); None where the contract leaves the number open."""
    records_in: int | None = None
    inserted: int | None = None
    updated: int | None = None
    deleted: int | None = None
    ignored: int | None = None

    def determined(self) -> dict[str, int]:
        """The counts the contract determines."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclasses.dataclass
class Entry:
    """A live record."""
    row: dict
    partition: tuple          # partition identity: values with "" and None both None
    partition_values: tuple   # the row's partition values as stored in the data columns
    commit_time: str
    order: tuple


@dataclasses.dataclass
class Tombstone:
    """What may be remembered about a deleted key: an ordering value in [lo, hi]."""
    lo: tuple
    hi: tuple


class TableModel:
    """An in-memory upsert table with lake's semantics (see the module documentation)."""

    def __init__(self, columns: Sequence[str], key_fields: Sequence[str], precombine: str | None = None,
                 partition_fields: Sequence[str] = (), hive_style: bool = True, url_encode: bool = True,
                 complex_keys: bool | None = None):
        self.columns = list(columns)
        self.key_fields = list(key_fields)
        self.precombine = precombine
        self.partition_fields = list(partition_fields)
        self.hive_style = hive_style
        self.url_encode = url_encode
        self.complex_keys = (complex_keys_for(None, key_fields, partition_fields)
                             if complex_keys is None else complex_keys)
        for f in [*self.key_fields, *self.partition_fields, *([precombine] if precombine else [])]:
            if f not in self.columns:
                raise ModelError(f"field {f!r} is not a column ({self.columns})")
        if not self.key_fields:
            raise ModelError("a table needs at least one record key field")
        self.live: dict[str, Entry] = {}
        #: record key -> its key field values, for every key ever written or deleted
        self.key_values: dict[str, dict] = {}
        self.tombstones: dict[str, Tombstone] = {}
        self.instants: list[str] = []

    # -- keys, partitions, ordering ----------------------------------------------------------

    def record_key(self, row: Mapping) -> str:
        return format_record_key(self.key_fields, [row.get(f) for f in self.key_fields], self.complex_keys)

    def partition_values(self, row: Mapping) -> tuple:
        return tuple(row.get(f) for f in self.partition_fields)

    @staticmethod
    def partition_identity(values: Iterable) -> tuple:
        """Partition values with null and empty folded together (they share one directory)."""
        return tuple(None if v is None or v == "" else v for v in values)

    def partition_path(self, values: Sequence) -> str:
        """The one place tests turn partition values into a path string."""
        return format_partition_path(self.partition_fields, values, self.hive_style, self.url_encode)

    def order(self, row: Mapping) -> tuple:
        return order_of(row.get(self.precombine)) if self.precombine else NULL_ORDER

    def full_row(self, row: Mapping) -> dict:
        """The row with every column, in column order; absent columns are null."""
        unknown = set(row) - set(self.columns)
        if unknown:
            raise ModelError(f"row has unknown columns {sorted(unknown)}: {row!r}")
        return {c: row.get(c) for c in self.columns}

    # -- operations --------------------------------------------------------------------------

    def apply(self, op: str, payload: Sequence, instant: str) -> Counts:
        """Applies one commit. `payload` is rows, or partition value tuples for delete_partition."""
        if op not in OPERATIONS:
            raise ModelError(f"unknown operation {op!r}")
        if self.instants and instant <= self.instants[-1]:
            raise ModelError(f"instant {instant} is not after {self.instants[-1]}")
        counts = getattr(self, f"_{op}")(list(payload), instant)
        self.instants.append(instant)
        return counts

    def _write(self, entries: dict[str, Entry], key: str, row: dict, instant: str) -> None:
        values = self.partition_values(row)
        self.key_values[key] = {f: row.get(f) for f in self.key_fields}
        entries[key] = Entry(row=row, partition=self.partition_identity(values), partition_values=values,
                             commit_time=instant, order=self.order(row))

    def _upsert(self, rows: list, instant: str) -> Counts:
        winners: dict[str, dict] = {}
        for raw in rows:
            row = self.full_row(raw)
            key = self.record_key(row)
            if key not in winners or self.order(row) >= self.order(winners[key]):
                winners[key] = row
        decisions: list[tuple[str, dict, str]] = []
        for key, row in winners.items():
            o = self.order(row)
            entry = self.live.get(key)
            if entry is not None:
                decisions.append((key, row, "update" if o >= entry.order else "ignore"))
                continue
            tomb = self.tombstones.get(key)
            if tomb is None or o >= tomb.hi:
                decisions.append((key, row, "insert"))
            elif o < tomb.lo:
                decisions.append((key, row, "ignore"))
            else:
                raise Ambiguous(key, f"insert with ordering {o} of a deleted key whose remembered ordering "
                                     f"is open between {tomb.lo} and {tomb.hi}")
        counts = Counts(records_in=len(rows), inserted=0, updated=0, deleted=0,
                        ignored=len(rows) - len(winners))
        for key, row, what in decisions:
            if what == "ignore":
                counts.ignored += 1
                continue
            self._write(self.live, key, row, instant)
            self.tombstones.pop(key, None)
            if what == "insert":
                counts.inserted += 1
            else:
                counts.updated += 1
        return counts

    _insert = _upsert

    def _bulk_insert(self, rows: list, instant: str) -> Counts:
        seen: dict[str, dict] = {}
        for raw in rows:
            row = self.full_row(raw)
            key = self.record_key(row)
            if key in seen:
                raise Ambiguous(key, "bulk_insert with a key twice in the batch")
            if key in self.live or key in self.tombstones:
                raise Ambiguous(key, "bulk_insert of a key that exists or was deleted")
            seen[key] = row
        for key, row in seen.items():
            self._write(self.live, key, row, instant)
        return Counts(records_in=len(rows), inserted=len(rows), updated=0, deleted=0, ignored=0)

    def _delete(self, rows: list, instant: str) -> Counts:
        # key -> ordering (None: unconditional)
        batch: dict[str, tuple | None] = {}
        for raw in rows:
            unknown = set(raw) - set(self.columns)
            if unknown:
                raise ModelError(f"delete line has unknown columns {sorted(unknown)}: {raw!r}")
            key = self.record_key(raw)
            self.key_values.setdefault(key, {f: raw.get(f) for f in self.key_fields})
            ordered = self.precombine is not None and self.precombine in raw
            if ordered and raw[self.precombine] is None:
                raise Ambiguous(key, "delete line with a null precombine value")
            o = order_of(raw[self.precombine]) if ordered else None
            if key in batch:
                prev = batch[key]
                if (prev is None) != (o is None):
                    raise Ambiguous(key, "ordered and unconditional deletes of one key in one batch")
                if o is not None and o > prev:
                    batch[key] = o
            else:
                batch[key] = o
        counts = Counts(records_in=len(rows), inserted=0, updated=0, deleted=0, ignored=len(rows) - len(batch))
        for key, o in batch.items():
            entry = self.live.get(key)
            if entry is not None:
                if o is None:
                    del self.live[key]
                    self.tombstones[key] = Tombstone(NEG_INF, entry.order)
                    counts.deleted += 1
                elif o >= entry.order:
                    del self.live[key]
                    self.tombstones[key] = Tombstone(o, o)
                    counts.deleted += 1
                else:
                    counts.ignored += 1
            else:
                counts.ignored += 1
                if o is not None:
                    tomb = self.tombstones.get(key, Tombstone(NEG_INF, NEG_INF))
                    self.tombstones[key] = Tombstone(tomb.lo, max(tomb.hi, o))
        return counts

    def _remove_partitions(self, partitions: set[tuple], keep: set[str] = frozenset()) -> None:
        for key in [k for k, e in self.live.items() if e.partition in partitions]:
            entry = self.live.pop(key)
            if key not in keep:
                self.tombstones[key] = Tombstone(NEG_INF, entry.order)

    def _insert_overwrite(self, rows: list, instant: str) -> Counts:
        seen: dict[str, dict] = {}
        for raw in rows:
            row = self.full_row(raw)
            key = self.record_key(row)
            if key in seen:
                raise Ambiguous(key, "insert_overwrite with a key twice in the batch")
            seen[key] = row
        partitions = {self.partition_identity(self.partition_values(r)) for r in seen.values()}
        for key in seen:
            if key in self.tombstones:
                raise Ambiguous(key, "insert_overwrite of a deleted key")
            entry = self.live.get(key)
            if entry is not None and entry.partition not in partitions:
                raise Ambiguous(key, "insert_overwrite of a key living in a partition not overwritten")
        self._remove_partitions(partitions, keep=set(seen))
        for key, row in seen.items():
            self._write(self.live, key, row, instant)
        return Counts(records_in=len(rows))

    def _delete_partition(self, partitions: list, instant: str) -> Counts:
        ids = set()
        for values in partitions:
            values = tuple(values)
            if len(values) != len(self.partition_fields):
                raise ModelError(f"partition {values!r} does not match fields {self.partition_fields}")
            ids.add(self.partition_identity(values))
        self._remove_partitions(ids)
        return Counts()

    # -- state -------------------------------------------------------------------------------

    def snapshot(self) -> list[dict]:
        """Live rows sorted by record key: commit time, record key, partition path, then the data."""
        out = []
        for key in sorted(self.live):
            e = self.live[key]
            out.append({"_hoodie_commit_time": e.commit_time, "_hoodie_record_key": key,
                        "_hoodie_partition_path": self.partition_path(e.partition_values), **e.row})
        return out

    def partitions(self) -> set[tuple]:
        """Partition identities that hold at least one live row."""
        return {e.partition for e in self.live.values()}

    def copy(self) -> "TableModel":
        return copy.deepcopy(self)

    def __len__(self) -> int:
        return len(self.live)
