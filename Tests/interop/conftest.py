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
