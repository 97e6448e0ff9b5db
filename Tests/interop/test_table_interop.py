"""lake's table commands checked against the model and hudi-rs, after every commit.

Each scenario (scenarios.py) creates a table with `lake create`, applies 3–10 writes with
`lake upsert|insert|bulk-insert|delete|insert-overwrite|delete-partition --json`, and after every
commit compares hudi-rs's snapshot, `lake query --meta --format jsonl` and the model row for row
(see scenarios.run_scenario for the full list of checks). The harness itself is proven against a
stand-in CLI in test_table_harness.py and on Java-written tables in test_table_hudi_fixtures.py,
so a failure here is lake's (or a contract question — see the ASSUMPTION notes in scenarios.py).

The lake binary: $LAKE_BIN, else <repo>/.build/release/lake (the conftest `lake` fixture).
About 230 lake invocations in all (45 s with a debug build on 2 cores).
"""
from __future__ import annotations

import pytest

import hudi_read as h
import scenarios as s


@pytest.mark.parametrize("scenario", s.hand_made(), ids=lambda sc: sc.name)
def test_scenario(lake, tmp_path, scenario):
    run = s.run_scenario(scenario, lake, tmp_path)
    assert len(run.instants) == len(scenario.steps)


def test_random_scenario(lake, tmp_path):
    sc = s.random_scenario()
    run = s.run_scenario(sc, lake, tmp_path)
    assert len(run.model) > 1000


def test_create_refuses_an_existing_table(lake, tmp_path):
    table = tmp_path / "t"
    args = ["create", "--table", table, "--key", "id", "--schema", "message schema {\n  required int64 id;\n}\n"]
    lake(*args)
    before = (table / ".hoodie" / "hoodie.properties").read_bytes()
    proc = lake(*args, check=False)
    assert proc.returncode != 0, "a second `lake create` on the same path succeeded"
    assert proc.stderr.startswith("lake: error:"), proc.stderr
    assert (table / ".hoodie" / "hoodie.properties").read_bytes() == before


def test_rejected_write_changes_nothing(lake, tmp_path):
    """A batch with a null record key is bad input (exit 65): no commit, no visible change."""
    sc = s.Scenario("rejected", s.EVENTS, ["id"], "ts", ["region"], steps=[])
    t = s.LakeTable(lake, tmp_path / "rejected", tmp_path)
    t.create(sc)
    first = t.write("upsert", [s.ev("a", 1), s.ev("b", 1, "us")])
    snapshot = h.snapshot(t.path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(s.to_jsonl([s.ev("c", 1), {"id": None, "ts": 2, "region": "eu"}]), encoding="utf-8")
    proc = lake("upsert", "--table", t.path, "--input", bad, "--json", check=False)
    assert proc.returncode == 65, f"exit {proc.returncode}: {proc.stderr}"
    assert proc.stderr.startswith("lake: error:"), proc.stderr
    assert [i for i, _ in h.completed_instants(t.path)] == [first["instant"]]
    assert h.snapshot(t.path) == snapshot
    assert sorted(r["id"] for r in t.query()) == ["a", "b"]
    s.check_files(t.path, 2, "after a rejected write")
