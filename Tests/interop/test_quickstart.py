"""The README's first command, as a new user runs it: samples/quickstart.sh builds lake, applies the
bundled DynamoDB change records in three micro-batches and reads the table every way; its output
must show each step working, and the table it leaves must read the same in hudi-rs."""
import os
import subprocess

import hudi_read as h
from conftest import ROOT


def test_quickstart_runs_and_leaves_a_hudi_table(tmp_path):
    env = dict(os.environ, LAKE_DEMO_DIR=str(tmp_path))
    proc = subprocess.run(["bash", str(ROOT / "samples" / "quickstart.sh")], capture_output=True, text=True,
                          env=env, timeout=900, cwd=ROOT)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    assert out.count("== apply change batch") == 3
    assert out.count("records in,") == 3                     # one commit line per micro-batch
    for step in ["== query the latest snapshot", "== time travel", "== incremental", "== change feed", "== the timeline",
                 "== describe the table"]:
        assert step in out, step
    assert "earliest readable instant is" in out and "(exit code 66)" in out   # the cleaner's promise
    assert " update " in out and " delete " in out                           # the change feed shows both
    table = tmp_path / "customer"
    lake_rows = subprocess.run([os.environ.get("LAKE_BIN", str(ROOT / ".build" / "release" / "lake")), "query", "--table",
                                str(table), "--meta", "--format", "jsonl"], capture_output=True, text=True, check=True)
    import json
    got = sorted((json.loads(line) for line in lake_rows.stdout.splitlines()), key=lambda r: r["_hoodie_record_key"])
    assert got, "the demo table is empty"
    assert h.diff_rows(h.snapshot(table), got) is None
