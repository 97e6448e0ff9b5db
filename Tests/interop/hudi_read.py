"""Reading Hudi tables with hudi-rs (PyPI `hudi` 0.5.0) into canonical rows, for the table suite.

* `snapshot`, `as_of`, `incremental`: rows in the canonical JSON value form of the CLI contract
  (the form `lake query --format jsonl` prints), sorted by `_hoodie_record_key`.
* `file_slices`: the latest (or as-of) file slices as plain dicts.
* `completed_instants`, `read_properties`: the timeline and `hoodie.properties`.
* `unpack_fixture`: extracts a Java-written reference table from ../shared/fixtures.

Every call opens the table afresh: a hudi-rs table is pinned to the timeline it loaded when built.

Canonical conversion is `canonical.py`'s, the suite's one definition of the CLI contract's value
forms (every Arrow type hudi-rs produces from an Avro schema).
"""
from __future__ import annotations

import collections
import math
import os
import pathlib
import shutil
import zipfile
from typing import Any, Sequence

import pyarrow as pa
from hudi import HudiQueryType, HudiReadOptions, HudiTable, HudiTableBuilder

import canonical

FIXTURES = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "hudi-java-v6-cow"
if not FIXTURES.is_dir():  # worktrees live next to /work/shared
    FIXTURES = pathlib.Path("/work/shared/fixtures/hudi-java-v6-cow")

KEY = "_hoodie_record_key"


# --------------------------------------------------------------------------------------------
# Tables, properties, timeline
# --------------------------------------------------------------------------------------------

#: hudi-rs storage options for `s3://` tables (endpoint, keys, region, allow http), set by the
#: suite that starts the local S3 server (s3_server.LocalS3.storage_options).
S3_STORAGE_OPTIONS: dict[str, str] = {}


def open_table(path: str | os.PathLike, options: dict[str, str] | None = None) -> HudiTable:
    """A freshly built hudi-rs table (its timeline is loaded now); `s3://…` with S3_STORAGE_OPTIONS."""
    builder = HudiTableBuilder.from_base_uri(str(path))
    if str(path).startswith("s3://"):
        builder = builder.with_storage_options(S3_STORAGE_OPTIONS)
    if options:
        builder = builder.with_hudi_options(options)
    return builder.build()


def read_properties(path: str | os.PathLike) -> dict[str, str]:
    """`.hoodie/hoodie.properties` parsed as a Java properties file (comments, `\\:` escapes)."""
    text = (pathlib.Path(path) / ".hoodie" / "hoodie.properties").read_text(encoding="latin-1")
    props: dict[str, str] = {}
    logical = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not logical and (not stripped or stripped[0] in "#!"):
            continue
        # a line ending in an odd number of backslashes continues
        trailing = len(stripped) - len(stripped.rstrip("\\"))
        if trailing % 2 == 1:
            logical += stripped[:-1]
            continue
        logical += stripped
        key, value = _split_property(logical)
        props[key] = value
        logical = ""
    if logical:
        key, value = _split_property(logical)
        props[key] = value
    return props


def _split_property(line: str) -> tuple[str, str]:
    i = 0
    while i < len(line) and line[i] not in "=: \t":
        i += 2 if line[i] == "\\" else 1
    key = _unescape_property(line[:i])
    rest = line[i:].lstrip(" \t")
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(" \t")
    return key, _unescape_property(rest)


def _unescape_property(s: str) -> str:
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "u" and i + 5 < len(s):
                out.append(chr(int(s[i + 2:i + 6], 16)))
                i += 6
                continue
            out.append({"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def completed_instants(path: str | os.PathLike) -> list[tuple[str, str]]:
    """Completed (timestamp, action) of commits and replacecommits, in timestamp order (hudi-rs's view)."""
    tl = open_table(path).get_timeline()
    out = [(i.timestamp, i.action) for i in tl.get_completed_commits()]
    out += [(i.timestamp, i.action) for i in tl.get_completed_replacecommits()]
    return sorted(out)


def instant_files(path: str | os.PathLike) -> list[tuple[str, str, str]]:
    """(timestamp, action, state) of every instant file in `<path>/.hoodie`, sorted — read from the
    file names as the format page defines them (`<T>.inflight` is a commit's inflight state)."""
    return parse_instant_names(f.name for f in (pathlib.Path(path) / ".hoodie").iterdir() if f.is_file())


def parse_instant_names(names) -> list[tuple[str, str, str]]:
    """(timestamp, action, state) of the instant files among `names` (file names in `.hoodie/`), sorted."""
    out = []
    for name in names:
        parts = name.split(".")
        if not (parts[0].isdigit() and len(parts[0]) == 17) or len(parts) not in (2, 3):
            continue
        if len(parts) == 2:
            action, state = ("commit", "inflight") if parts[1] == "inflight" else (parts[1], "completed")
        else:
            action, state = parts[1], parts[2]
        out.append((parts[0], action, state))
    return sorted(out)


# --------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------

def read_table(path: str | os.PathLike, options: HudiReadOptions | None = None) -> pa.Table:
    """All batches of one hudi-rs read, concatenated (an empty table with the schema if none)."""
    table = open_table(path)
    batches = table.read(options) if options is not None else table.read()
    if not batches:
        try:
            return table.get_schema_with_meta_fields().empty_table()
        except Exception:  # a table without commits may have no schema to report
            return pa.table({})
    schema = batches[0].schema
    for b in batches[1:]:
        if not b.schema.equals(schema):
            raise AssertionError(f"hudi-rs returned batches with different schemas:\n{schema}\nvs\n{b.schema}")
    return pa.Table.from_batches(batches, schema=schema)


def rows_of(table: pa.Table) -> list[dict]:
    """Canonical rows of an Arrow table, sorted by record key when it has one."""
    rows = canonical_rows(table)
    if KEY in table.column_names:
        rows.sort(key=lambda r: r[KEY])
    return rows


def snapshot(path: str | os.PathLike) -> list[dict]:
    """The latest snapshot, canonical rows sorted by record key."""
    return rows_of(read_table(path))


def read_optimized(path: str | os.PathLike) -> list[dict]:
    """The latest snapshot of base files only (hudi-rs `hoodie.read.use.read_optimized.mode`)."""
    table = open_table(path, {"hoodie.read.use.read_optimized.mode": "true"})
    batches = table.read(HudiReadOptions())
    if not batches:
        return []
    return rows_of(pa.Table.from_batches(batches, schema=batches[0].schema))


def as_of(path: str | os.PathLike, instant: str) -> list[dict]:
    """The snapshot as of `instant` (time travel)."""
    return rows_of(read_table(path, HudiReadOptions().with_as_of_timestamp(instant)))


def incremental(path: str | os.PathLike, start: str | None = None, end: str | None = None) -> list[dict]:
    """Rows inserted or updated by commits in `(start, end]` (defaults: the epoch, the latest commit)."""
    opts = HudiReadOptions().with_query_type(HudiQueryType.Incremental)
    if start is not None:
        opts = opts.with_start_timestamp(start)
    if end is not None:
        opts = opts.with_end_timestamp(end)
    return rows_of(read_table(path, opts))


def schema_names(path: str | os.PathLike) -> list[str]:
    """Column names hudi-rs reads (meta fields first)."""
    return open_table(path).get_schema_with_meta_fields().names


def file_slices(path: str | os.PathLike, as_of_instant: str | None = None) -> list[dict]:
    """The file slices a snapshot (as of `as_of_instant`) reads, sorted by (partition, file id)."""
    table = open_table(path)
    opts = HudiReadOptions()
    if as_of_instant is not None:
        opts = opts.with_as_of_timestamp(as_of_instant)
    out = []
    for s in table.get_file_slices(opts):
        out.append({"file_id": s.file_id, "partition_path": s.partition_path,
                    "instant": s.creation_instant_time, "base_file_name": s.base_file_name,
                    "relative_path": s.base_file_relative_path(), "size": s.base_file_size})
    return sorted(out, key=lambda d: (d["partition_path"], d["file_id"]))


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------

#: The Java-written merge-on-read tables (Avro and Parquet log blocks, an uncommitted block).
MOR_FIXTURES = FIXTURES.parent / "hudi-java-v6-mor"


def unpack_fixture(name: str, dest: str | os.PathLike, fixtures: pathlib.Path | None = None) -> pathlib.Path:
    """Extracts `<name>.zip` (a Java-written table) from `fixtures` (default: the copy-on-write
    set) into `dest`, without macOS debris; returns the table."""
    dest = pathlib.Path(dest)
    with zipfile.ZipFile((fixtures or FIXTURES) / f"{name}.zip") as z:
        for member in z.infolist():
            parts = pathlib.PurePosixPath(member.filename).parts
            if not parts or parts[0] == "__MACOSX" or parts[-1] == ".DS_Store" or ".." in parts:
                continue
            target = dest.joinpath(*parts)
            if member.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                with z.open(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    table = dest / name
    if not (table / ".hoodie" / "hoodie.properties").exists():
        raise FileNotFoundError(f"{name}.zip did not contain {name}/.hoodie/hoodie.properties")
    return table


# --------------------------------------------------------------------------------------------
# Canonical conversion (Arrow → the CLI contract's JSON values)
# --------------------------------------------------------------------------------------------

def canonical_rows(table: pa.Table) -> list[dict]:
    """Canonical rows of an Arrow table (column order kept), by the suite's one converter."""
    return [dict(r) for r in canonical.canonical_rows(table)]


# --------------------------------------------------------------------------------------------
# Strict comparison of canonical values
# --------------------------------------------------------------------------------------------

def diff_value(expected: Any, actual: Any, where: str = "") -> str | None:
    """The first difference between two canonical values, or None.

    Strict about types (true is not 1, "1" is not 1) and object key order; an expected float
    equals an actual JSON integer that denotes the same number (`2.0` printed as `2`).
    """
    if expected is None or actual is None:
        return None if expected is None and actual is None else f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
        return None if same else f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, float):
        same = isinstance(actual, (int, float)) and float(actual) == expected \
            and math.copysign(1, float(actual)) == math.copysign(1, expected)
        return None if same else f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, int):
        same = isinstance(actual, int) and actual == expected
        return None if same else f"{where}: expected int {expected!r}, got {actual!r}"
    if isinstance(expected, str):
        return None if isinstance(actual, str) and actual == expected else f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return f"{where}: expected list {expected!r}, got {actual!r}"
        if len(expected) != len(actual):
            return f"{where}: expected {expected!r}, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            d = diff_value(e, a, f"{where}[{i}]")
            if d:
                return d
        return None
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{where}: expected object {expected!r}, got {actual!r}"
        if list(expected) != list(actual):
            return f"{where}: expected keys {list(expected)}, got {list(actual)}"
        for k in expected:
            d = diff_value(expected[k], actual[k], f"{where}.{k}" if where else k)
            if d:
                return d
        return None
    raise TypeError(f"{where}: not a canonical value: {expected!r}")


def diff_rows(expected: Sequence[dict], actual: Sequence[dict], columns: Sequence[str] | None = None) -> str | None:
    """The first differing row/column of two row lists in the same order (only `columns` if given).

    When the rows carry `_hoodie_record_key`, the key sequences are compared first, so a missing,
    extra or duplicated record is reported as such.
    """
    if expected and actual and KEY in expected[0] and KEY in actual[0]:
        ek = [r[KEY] for r in expected]
        ak = [r[KEY] for r in actual]
        if ek != ak:
            eset, aset = set(ek), set(ak)
            dups = sorted(k for k, n in collections.Counter(ak).items() if n > 1)[:10]
            return (f"record keys differ: {len(ek)} expected, {len(ak)} actual; missing {sorted(eset - aset)[:10]}, "
                    f"extra {sorted(aset - eset)[:10]}, duplicated {dups}")
    for i, (e, a) in enumerate(zip(expected, actual)):
        cols = list(e) if columns is None else list(columns)
        if columns is None and list(e) != list(a):
            return f"row {i} ({e.get(KEY)!r}): expected columns {list(e)}, got {list(a)}"
        for c in cols:
            if c not in a:
                return f"row {i} ({e.get(KEY)!r}): column {c} missing from {sorted(a)}"
            d = diff_value(e.get(c), a[c], c)
            if d:
                return f"row {i} ({e.get(KEY)!r}), column {d}\n  expected: {_short(e)}\n  actual:   {_short(a)}"
    if len(expected) != len(actual):
        ek = [r.get(KEY) for r in expected]
        ak = [r.get(KEY) for r in actual]
        missing = [k for k in ek if k not in set(ak)][:10]
        extra = [k for k in ak if k not in set(ek)][:10]
        return f"expected {len(expected)} rows, got {len(actual)}; missing keys {missing}, extra keys {extra}"
    return None


def _short(row: dict) -> str:
    import json
    text = json.dumps(row, ensure_ascii=False, default=str)
    return text if len(text) <= 800 else text[:800] + "…"
