"""lake reads the Parquet files of Hudi tables written by Java Hudi 0.14 on Spark (parquet-mr).

The tables (`../shared/fixtures/hudi-java-v6-cow/*.zip`) hold base files with list/map/struct,
decimal, date, timestamp and binary columns, GZIP-compressed by parquet-mr 1.12, in the legacy
Avro list shape (`repeated group array { … }`), plus Spark's SNAPPY `gold_data` copies. For every
file, `lake parquet cat/meta/schema` must agree with pyarrow.

Without ../shared the same zips are taken from the `hudi==0.5.0` sdist on PyPI: `pip download`
of it fails while preparing metadata (it needs Rust), but leaves the unpacked source in pip's
temporary folder, which is pointed at a scratch directory through TMPDIR.
"""
from __future__ import annotations

import base64
import os
import pathlib
import subprocess
import sys
import tarfile
import zipfile

import pytest

import canonical
import checks
from conftest import SHARED

TABLES = ["v6_complexkeygen_hivestyle", "v6_empty", "v6_nonpartitioned", "v6_simplekeygen_nonhivestyle",
          "v6_simplekeygen_nonhivestyle_overwritetable"]
SDIST = "hudi==0.5.0"
SDIST_DIR = "crates/test/data/sample_table/cow"


def _from_sdist(work: pathlib.Path) -> tuple[pathlib.Path | None, str]:
    """Unpacks the hudi sdist's sample tables under `work`; returns (directory, why-not)."""
    tmp = work / "tmp"
    dl = work / "dl"
    tmp.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-deps",
           "--no-binary", ":all:", "--no-clean", "--no-build-isolation", SDIST, "-d", str(dl)]
    try:
        proc = subprocess.run(cmd, env=dict(os.environ, TMPDIR=str(tmp)), capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return None, "pip download timed out"
    for found in sorted(tmp.rglob(SDIST_DIR)):  # pip-download-*/hudi_*/crates/…, left by --no-clean
        if all((found / f"{t}.zip").is_file() for t in TABLES):
            return found, ""
    for archive in sorted(dl.glob("hudi-*.tar.gz")):  # should pip ever save the sdist itself
        out = work / "sdist"
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if f"/{SDIST_DIR}/" in m.name and m.name.endswith(".zip")]
            tar.extractall(out, members=members, filter="data")
        for found in sorted(out.rglob(SDIST_DIR)):
            return found, ""
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
    return None, f"pip download {SDIST} left no {SDIST_DIR} (exit {proc.returncode}: {' / '.join(tail)})"


@pytest.fixture(scope="session")
def hudi_zips(tmp_path_factory) -> pathlib.Path:
    shared = SHARED / "fixtures" / "hudi-java-v6-cow"
    if shared.is_dir():
        missing = [t for t in TABLES if not (shared / f"{t}.zip").is_file()]
        assert not missing, f"{shared} lacks {missing}"
        return shared
    found, why = _from_sdist(tmp_path_factory.mktemp("hudi-sdist"))
    if found is None:
        pytest.skip(f"{shared} is missing and the fallback failed: {why}")
    return found


def _parquet_files(hudi_zips, table: str, tmp_path) -> list[pathlib.Path]:
    with zipfile.ZipFile(hudi_zips / f"{table}.zip") as z:
        z.extractall(tmp_path)
    files = sorted(p for p in tmp_path.rglob("*.parquet") if "__MACOSX" not in p.parts)
    assert files, f"{table}.zip holds no parquet files"
    return files


@pytest.mark.parametrize("table", TABLES)
def test_cat_matches_pyarrow(lake, hudi_zips, tmp_path, table):
    for path in _parquet_files(hudi_zips, table, tmp_path):
        checks.check_cat(lake, path)


@pytest.mark.parametrize("table", TABLES)
def test_meta_matches_pyarrow(lake, hudi_zips, tmp_path, table):
    for path in _parquet_files(hudi_zips, table, tmp_path):
        checks.check_meta(lake, path)


@pytest.mark.parametrize("table", TABLES)
def test_schema_matches_pyarrow(lake, hudi_zips, tmp_path, table):
    for path in _parquet_files(hudi_zips, table, tmp_path):
        checks.check_schema(lake, path)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# Diana's row as inserted by v6_nonpartitioned.sql (second commit), in canonical form. The Spark
# session that wrote it ran at UTC-5, so '2023-04-04 15:04:00' is stored as 20:04 UTC.
DIANA = {
    "id": 4, "name": "Diana", "isActive": True, "byteField": 1, "shortField": 500, "intField": 45000,
    "longField": 987654321, "floatField": 4.0, "doubleField": 2.468, "decimalField": "65432.12345",
    "dateField": "2023-04-04", "timestampField": "2023-04-04T20:04:00.000000Z", "binaryField": _b64("new binary data"),
    "arrayField": [{"arr_struct_f1": "orange", "arr_struct_f2": 900}, {"arr_struct_f1": "gray", "arr_struct_f2": 1000}],
    "mapField": [{"key": "key7", "value": {"map_field_value_struct_f1": 456.789, "map_field_value_struct_f2": True}},
                 {"key": "key8", "value": {"map_field_value_struct_f1": 123.456, "map_field_value_struct_f2": False}}],
    "structField": {"field1": "Diana", "field2": 50, "child_struct": {"child_field1": 987.654, "child_field2": True}},
}


def test_nonpartitioned_row_matches_the_sql(lake, hudi_zips, tmp_path):
    files = [p for p in _parquet_files(hudi_zips, "v6_nonpartitioned", tmp_path) if "gold_data" not in p.parts]
    latest = max(files, key=lambda p: p.stem.rsplit("_", 1)[1])  # by commit time in the file name
    columns = list(DIANA)
    for rows in (canonical.read_pyarrow(latest, columns), checks.lake_cat(lake, latest, columns=columns)):
        match = [r for r in rows if r["id"] == 4]
        assert len(match) == 1, rows
        canonical.assert_rows_equal([DIANA], match)
