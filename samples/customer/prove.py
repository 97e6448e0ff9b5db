#!/usr/bin/env python3
"""The seed scenario, end to end: a generated customer change stream fed through `lake stream`
in windows, killed (SIGKILL) and stopped (SIGTERM) at random moments and restarted until the
stream is consumed; then

* the final table, read by hudi-rs and by `lake query`, equals the model of the whole stream
  applied once;
* every commit the cleaner retained (lake keeps 2) reads, as of its instant (hudi-rs time
  travel), exactly the model of the stream up to that commit's checkpoint
  (`extraMetadata["lake.checkpoint"]`); `lake query --as-of` refuses older commits (exit 66);
* the file slices left are exactly those reads as of the 2 retained commits need.

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
    commits = sorted(f[: -len(".commit")] for f in os.listdir(table / ".hoodie") if f.endswith(".commit"))
    readable, refused = [], 0
    for ts in commits:
        rc = subprocess.run([a.lake, "query", "--table", str(table), "--as-of", ts, "--columns", "id", "--format", "jsonl"],
                            capture_output=True, text=True).returncode
        if rc == 66:  # before the retained history: refused loudly
            assert not readable, "as of %s refused after a newer read succeeded" % ts
            refused += 1
            continue
        assert rc == 0, "lake query --as-of %s failed (%d)" % (ts, rc)
        meta = json.loads((table / ".hoodie" / (ts + ".commit")).read_text())
        cp = json.loads(meta["extraMetadata"]["lake.checkpoint"])
        assert hudi_rows(table, as_of=ts) == model_rows(lines[: cp["line"] - 1]), "as of %s differs" % ts
        readable.append(ts)
    retained = 2
    assert len(readable) >= retained, "fewer than %d readable commits" % retained
    # The cleaner kept exactly what reads as of the retained commits need: per file group, the
    # slice live at the earliest retained commit and every newer one.
    earliest = commits[-retained]
    groups = {}
    for path in table.rglob("*.parquet"):
        file_id, _, instant = path.stem.rsplit("_", 2)
        groups.setdefault((path.parent, file_id), []).append(instant)
    extra = missing = 0
    for instants in groups.values():
        instants.sort()
        older = [i for i in instants if i <= earliest]
        needed = set(i for i in instants if i > earliest) | set(older[-1:])
        extra += len(set(instants) - needed)
    assert extra == 0, "%d file slices kept beyond what the last %d commits need" % (extra, retained)
    props = (table / ".hoodie" / "hoodie.properties").read_text()
    assert "lake.cleaner.commits.retained=2" in props
    print("ok: %d records, %d live rows, %d active commits, %d runs (%d SIGKILL, %d SIGTERM of which %d stopped cleanly); "
          "%d commits readable as of their instant and equal to their checkpoint's model, %d older ones refused; "
          "%d file groups hold exactly the slices the last %d commits need"
          % (len(lines), len(expected), len(commits), runs, kills, terms, clean_stops, len(readable), refused, len(groups), retained))


if __name__ == "__main__":
    main()
