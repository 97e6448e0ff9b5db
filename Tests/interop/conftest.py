"""Shared fixtures for the interop suite: the lake binary and a scratch directory."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

#: Seconds one lake invocation may take before the test fails (the files here are small).
LAKE_TIMEOUT = float(os.environ.get("LAKE_TIMEOUT", "120"))


def lake_bin() -> str:
    path = os.environ.get("LAKE_BIN") or str(ROOT / ".build" / "release" / "lake")
    if not os.path.exists(path):
        subprocess.run(["swift", "build", "-c", "release", "--product", "lake"], cwd=ROOT, check=True)
    return path


def lake_runner(env: dict[str, str] | None = None):
    """A function running the lake CLI (with `env` as its whole environment when given): returns
    CompletedProcess (text mode); raises on a non-zero exit unless check=False, and when the run
    takes longer than `timeout` seconds."""
    binary = lake_bin()

    def run(*args, check=True, input=None, timeout=LAKE_TIMEOUT):
        try:
            proc = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                                  input=input, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"lake {' '.join(map(str, args))} did not finish within {timeout}s") from None
        if check and proc.returncode != 0:
            raise AssertionError(f"lake {' '.join(map(str, args))} exited {proc.returncode}:\n{proc.stderr}")
        return proc

    return run


@pytest.fixture(scope="session")
def lake():
    """Runs the lake CLI; returns CompletedProcess (text mode). Raises on a non-zero exit unless check=False."""
    return lake_runner()


@pytest.fixture(scope="session")
def s3_server():
    """One local S3 server (SeaweedFS, signatures checked) for the session, stopped by pid at the
    end; hudi-rs reads `s3://` tables from it."""
    import hudi_read
    import s3_server as server_module

    server = server_module.LocalS3()
    hudi_read.S3_STORAGE_OPTIONS.clear()
    hudi_read.S3_STORAGE_OPTIONS.update(server.storage_options())
    try:
        yield server
    finally:
        server.shutdown()


@pytest.fixture(params=["disk", "s3"])
def store(request):
    """Where the test's tables live: local disk, then the local S3 server (table_store.py)."""
    import table_store

    if request.param == "disk":
        return table_store.DiskStore()
    return table_store.S3Store(request.getfixturevalue("s3_server"))
