#!/usr/bin/env python3
"""The seed scenario, end to end: a generated customer change stream fed through `lake stream`
in windows, killed (SIGKILL) and stopped (SIGTERM) at random moments and restarted until the
stream is consumed; then

* the final table, read by hudi-rs and by `lake query`, equals the model of the whole stream
  applied once;
* every commit's as-of read (hudi-rs time travel) equals the model of the stream up to that
  commit's checkpoint (`extraMetadata["lake.checkpoint"]`).

Needs the `hudi` Python package (hudi-rs, as in scripts/requirements-test.txt).

    .venv/bin/python samples/customer/prove.py --lake .build/release/lake --count 20000 --keys 2000
"""
import argparse
import json
import os
import pathlib
import random
import signal
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

from hudi import HudiReadOptions, HudiTableBuilder  # noqa: E402

COLUMNS = ["id", "custName", "email", "registrationDate"]


def hudi_rows(path, as_of=None):
    table = HudiTableBuilder.from_base_uri(str(path)).build()
    opts = HudiReadOptions().with_projection(COLUMNS)
    if as_of:
        opts = opts.with_as_of_timestamp(as_of)
    rows = {}
    for batch in table.read(opts):
        for r in batch.to_pylist():
            assert r["id"] not in rows, "duplicate key %s" % r["id"]
            rows[r["id"]] = {c: (r[c].isoformat() if hasattr(r[c], "isoformat") else r[c]) for c in COLUMNS}
    return rows


def lake_rows(lake, path):
    out = subprocess.run([lake, "query", "--table", str(path), "--columns", ",".join(COLUMNS), "--format", "jsonl"],
                         check=True, capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        r = json.loads(line)
        assert r["id"] not in rows, "duplicate key %s" % r["id"]
        rows[r["id"]] = r
    return rows


def model_rows(lines):
    return {r["id"]: {c: r[c] for c in COLUMNS} for r in generate.model(lines)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--lake", required=True, help="the lake binary")
    p.add_argument("--count", type=int, default=20000)
    p.add_argument("--keys", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--max-records", type=int, default=1500)
    p.add_argument("--workdir", help="keep the table here (default: a temporary directory)")
    a = p.parse_args()
    rng = random.Random(a.seed)
    work = pathlib.Path(a.workdir or tempfile.mkdtemp(prefix="lake-prove-"))
    work.mkdir(parents=True, exist_ok=True)
    lines = generate.generate(a.count, a.keys, a.seed, 17, 23)
    source = work / "changes.jsonl"
    source.write_text("".join(l[4] + "\n" for l in lines))
    table = work / "customer"
    cmd = [a.lake, "stream", "--table", str(table), "--source", str(source), "--mapping", str(HERE / "mapping.json"),
           "--window", "2s", "--max-records", str(a.max_records), "--no-follow", "--json"]
    runs = kills = terms = clean_stops = 0
    while True:
        runs += 1
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=rng.uniform(0.05, 1.5))
        except subprocess.TimeoutExpired:
            if rng.random() < 0.8:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            else:
                proc.send_signal(signal.SIGTERM)
                terms += 1
            proc.wait()
        out, err = proc.communicate()
        if proc.returncode == 0 and "end of input" in err:
            break
        if proc.returncode == 0 and "stop requested" in err:
            clean_stops += 1
        # A SIGTERM that lands before lake installed its handler ends the process at once.
        if proc.returncode not in (0, -signal.SIGKILL, -signal.SIGTERM):
            sys.exit("lake stream failed (%s): %s" % (proc.returncode, err))
        if os.environ.get("PROVE_VERBOSE"):
            print("run %d: rc=%s, %d commit lines, %s" % (runs, proc.returncode, len(out.splitlines()), err.strip()[-160:]), file=sys.stderr)
        if runs > 500:
            sys.exit("too many runs")
    expected = model_rows(lines)
    assert hudi_rows(table) == expected, "hudi-rs snapshot differs from the model"
    assert lake_rows(a.lake, table) == expected, "lake query differs from the model"
    commits = sorted(f for f in os.listdir(table / ".hoodie") if f.endswith(".commit"))
    for c in commits:
        meta = json.loads((table / ".hoodie" / c).read_text())
        cp = json.loads(meta["extraMetadata"]["lake.checkpoint"])
        prefix = lines[: cp["line"] - 1]
        assert hudi_rows(table, as_of=c[: -len(".commit")]) == model_rows(prefix), "as of %s differs" % c
    props = (table / ".hoodie" / "hoodie.properties").read_text()
    print("ok: %d records, %d live rows, %d commits, %d runs (%d SIGKILL, %d SIGTERM of which %d stopped cleanly); every commit's as-of read matches "
          "its checkpoint; cleaner setting: %s" % (len(lines), len(expected), len(commits), runs, kills, terms, clean_stops,
                                                   "lake.cleaner.commits.retained=2" in props))


if __name__ == "__main__":
    main()
