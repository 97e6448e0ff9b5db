"""The standard CDC workload, lake side by side with delta-rs, pyiceberg and hudi-rs (issue 7).

Phases (workload.py, fixed seed): (a) load N INSERT records; (b) one upsert batch of N/10 change
records; (c) 20 micro-batches of N/200, one commit each; (d) a full snapshot scan; (e) a
time-travel scan as of the commit before (b); (f) a point lookup of one key; (g) an incremental
read of what (c) changed.

lake consumes the change records itself (`lake upsert --cdc FILE --mapping customer-mapping.json`)
when the binary has `--cdc`; otherwise the driver converts them to row JSON lines (untimed) and
lake parses those (`--input FILE.jsonl`). Either way lake's write time is end to end: process
start, parsing, the commit. The peers get Arrow tables: parsing the change records
(peers.parse, pyarrow's JSON reader) and deduplicating a batch (their merge/upsert refuse
repeated keys; lake resolves them itself) are timed separately and shown on their own rows.
Reads: lake through the library (`LakeRead`, batches in memory, like hudi-rs and the others
into Arrow) and through the CLI (`lake query`, JSON lines to /dev/null).

Every engine phase runs in its own process; wall time is the median of --repeat runs, peak
resident memory (max RSS from /usr/bin/time) is the largest of them. Correctness first: live row
counts, the as-of and incremental row counts and 10 sampled keys are checked against the
workload's model for every engine, and the run says which disagree.

Usage: python bench_cdc.py [--rows N] [--repeat 3] [--quick] [--lake BIN] [--lake-read BIN]
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa
import pyarrow.feather as feather

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peers     # noqa: E402
import workload  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
PY = sys.executable
PEERS = os.path.join(HERE, "peers.py")
ENGINES = ["lake", "delta-rs", "pyiceberg", "hudi-rs"]


class Timeout(Exception):
    pass


def run(cmd, env=None, stdout=None, timeout=None):
    """Runs cmd under /usr/bin/time; returns (wall seconds, max RSS MiB, stdout text, stderr text,
    CPU seconds (user + system)).
    Raises Timeout (after killing the process group) when it runs longer than `timeout` seconds."""
    fd, tfile = tempfile.mkstemp(prefix="bench-time-")
    os.close(fd)
    t0 = time.perf_counter()
    p = subprocess.Popen(["/usr/bin/time", "-f", "%M %U %S", "-o", tfile, *cmd], text=True, env=env,
                         stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        os.unlink(tfile)
        raise Timeout(f"{timeout:.0f} s")
    wall = time.perf_counter() - t0
    with open(tfile) as f:
        lines = [ln.split() for ln in f.read().splitlines() if ln.strip() and ln.split()[0].isdigit()]
    os.unlink(tfile)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{(err or '')[-3000:]}")
    rss = int(lines[-1][0]) / 1024.0 if lines else float("nan")
    cpu = float(lines[-1][1]) + float(lines[-1][2]) if lines else float("nan")
    return wall, rss, out or "", err or "", cpu


def last_json(text):
    for line in reversed(text.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"no JSON in output:\n{text[-2000:]}")


def disk(path, data_suffix=".parquet"):
    files = size = 0
    for d, _, fs in os.walk(path):
        for f in fs:
            p = os.path.join(d, f)
            size += os.path.getsize(p)
            if f.endswith(data_suffix):
                files += 1
    return files, size


def help_has(lake, sub, flag):
    p = subprocess.run([lake, *sub, "--help"], capture_output=True, text=True)
    return flag in (p.stdout + p.stderr)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Results:
    def __init__(self):
        self.t = {}      # (phase, engine) -> [seconds]
        self.rss = {}    # (phase, engine) -> MiB (max)
        self.disk = {}   # (phase, engine) -> (files, bytes)
        self.notes = {}  # (phase, engine) -> text
        self.cpu = {}    # (phase, engine) -> [CPU seconds]

    def add(self, phase, engine, seconds, rss=None, cpu=None):
        self.t.setdefault((phase, engine), []).append(seconds)
        if cpu is not None:
            self.cpu.setdefault((phase, engine), []).append(cpu)
        if rss is not None:
            self.rss[(phase, engine)] = max(self.rss.get((phase, engine), 0.0), rss)

    def med(self, phase, engine):
        v = self.t.get((phase, engine))
        return statistics.median(v) if v else None

    def med_cpu(self, phase, engine):
        v = self.cpu.get((phase, engine))
        return statistics.median(v) if v else None


# ---- lake ----------------------------------------------------------------------------------------

class Lake:
    def __init__(self, a, data, mode):
        self.bin, self.read_bin, self.data, self.mode = a.lake, a.lake_read, data, mode
        self.mapping = os.path.join(HERE, "customer-mapping.json")
        self.bulk_cdc = mode == "cdc" and help_has(self.bin, ["bulk-insert"], "--cdc")
        self.since = help_has(self.bin, ["query"], "--since")
        self.errors = []

    def input_args(self, name):
        if self.mode == "cdc":
            return ["--cdc", os.path.join(self.data, name + ".jsonl"), "--mapping", self.mapping]
        return ["--input", os.path.join(self.data, name + ".rows.jsonl")]

    def write(self, table, phase, names, env):
        """Runs one commit per input; returns (total wall, max RSS, instants, stderr texts, total CPU)."""
        if self.mode != "cdc" and not os.path.exists(table):
            subprocess.run([self.bin, "create", "--table", table, "--key", "id", "--precombine", "ts",
                            "--partition-by", "partitionkey,partitionkey2"], check=True, capture_output=True)
            # keep every commit readable (22 commits; the default retains 10), as the mapping does
            with open(os.path.join(table, ".hoodie", "hoodie.properties"), "a") as f:
                f.write("lake.cleaner.commits.retained=30\n")
        total, rss, instants, profiles, cpu = 0.0, 0.0, [], [], 0.0
        for name in names:
            op = "upsert"
            if phase == "a" and (self.mode != "cdc" or self.bulk_cdc):
                op = "bulk-insert"
            wall, r, out, err, c = run([self.bin, op, "--table", table, *self.input_args(name), "--json"], env=env)
            total += wall
            cpu += c
            rss = max(rss, r)
            o = last_json(out)
            instants.append(o["instant"])
            if o.get("errors"):
                self.errors.append(f"lake quarantined {o['errors']} records of {name} (see {table}/.hoodie/lake/errors/)")
            profiles.append(err)
        return total, rss, instants, profiles, cpu


# ---- the run -------------------------------------------------------------------------------------

def prepare(a):
    data = os.path.join(a.work, f"data-{a.rows}")
    if not os.path.exists(os.path.join(data, "expected.json")):
        print(f"generating the workload ({a.rows:,} rows) in {data} …", flush=True)
        t0 = time.perf_counter()
        workload.generate(a.rows, data)
        print(f"  {time.perf_counter() - t0:.1f} s", flush=True)
    with open(os.path.join(data, "expected.json")) as f:
        return data, json.load(f)


def parse_inputs(a, data, exp, res, mode):
    """Times the peers' JSON parsing (median of --repeat) and writes Arrow IPC files; converts to
    row JSON lines for lake when it cannot read change records."""
    groups = {"a": ["load"], "b": ["upsert"], "c": [m[:-6] for m in exp["micro_files"]]}
    for phase, names in groups.items():
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            tables = [peers.parse(os.path.join(data, n + ".jsonl")) for n in names]
            res.add(phase, "parse", time.perf_counter() - t0)
        for n, t in zip(names, tables):
            feather.write_feather(t, os.path.join(data, n + ".arrow"), compression="uncompressed")
            if mode != "cdc" and not os.path.exists(os.path.join(data, n + ".rows.jsonl")):
                write_rows(t, os.path.join(data, n + ".rows.jsonl"))
    return groups


def write_rows(t, path):
    cols = t.to_pydict()
    with open(path, "w") as f:
        for i in range(t.num_rows):
            row = {c: cols[c][i] for c in peers.COLUMNS}
            row["_hoodie_is_deleted"] = bool(cols["_deleted"][i])
            f.write(json.dumps(row) + "\n")


def write_phases(a, data, groups, res, lake, facts):
    """(a), (b), (c) for each engine, --repeat times from an empty table. A peer phase that runs
    past --peer-timeout is stopped and reported; a peer whose writes take longer than --slow
    seconds in total runs once (its median is of one run, and the table says so)."""
    env = dict(os.environ)
    print("writes: lake …", flush=True)
    for rep in range(a.repeat):
        last = rep == a.repeat - 1
        lt = os.path.join(a.work, f"lake-{rep}")
        shutil.rmtree(lt, ignore_errors=True)
        instants = []
        for phase in "abc":
            wall, rss, inst, _, cpu = lake.write(lt, phase, groups[phase], env)
            res.add(phase, "lake", wall, rss, cpu)
            instants += inst
            if last:
                res.disk[(phase, "lake")] = disk(lt)
        if last:
            facts["lake_table"], facts["lake_instants"] = lt, instants
        else:
            shutil.rmtree(lt, ignore_errors=True)
    for engine, name in (("delta-rs", "delta"), ("pyiceberg", "iceberg")):
        if engine not in a.engines:
            continue
        print(f"writes: {engine} …", flush=True)
        prev = None
        for rep in range(a.repeat):
            d = os.path.join(a.work, f"{name}-{rep}")
            shutil.rmtree(d, ignore_errors=True)
            total, complete = 0.0, True
            for phase, op in (("a", "load"), ("b", "upsert"), ("c", "micro")):
                inputs = sum((["--input", os.path.join(data, n + ".arrow")] for n in groups[phase]), [])
                prog = os.path.join(a.work, f"{name}-progress.txt")
                if os.path.exists(prog):
                    os.unlink(prog)
                try:
                    wall, rss, out, _, _ = run([PY, PEERS, name, op, "--table", d, *inputs],
                                               env=dict(os.environ, BENCH_PROGRESS=prog), timeout=a.peer_timeout)
                except Timeout as e:
                    done = open(prog).read().split() if os.path.exists(prog) else []
                    how_far = (f", {len(done)} of {len(groups[phase])} commits done, {float(done[-1]) / len(done):.0f} s each"
                               if done else ", no commit done")
                    res.notes[(phase, engine)] = f"stopped after {e}{how_far}"
                    complete = False
                    break
                total += wall
                o = last_json(out)
                res.add(phase, engine, o["seconds"], rss, o.get("cpu_seconds"))
                if name == "delta" and phase != "a":
                    res.add(phase, "dedup", o["prep_seconds"])
                res.disk[(phase, engine)] = disk(d)
                facts.setdefault(engine, {})[phase] = o.get("version", o.get("snapshot"))
            if prev:
                shutil.rmtree(prev, ignore_errors=True)
            prev = d
            if not complete:
                facts[engine + "_incomplete"] = True
                break
            if total > a.slow and rep < a.repeat - 1:
                for phase in "abc":
                    res.notes.setdefault((phase, engine), f"1 run (writes took {total:.0f} s)")
                break
        facts[engine + "_table"] = prev


def read_phases(a, exp, res, lake, facts, checks):
    lt = facts["lake_table"]
    inst = facts["lake_instants"]
    load_i, upsert_i, last_i = inst[0], inst[1], inst[-1]
    key = exp["point_key"]
    sample = ",".join(s["id"] for s in exp["sample"])
    env = dict(os.environ, BENCH_SAMPLE=sample)
    specs = {
        "d": {"lake": [], "cli": [], "arg": ""},
        "e": {"lake": ["--as-of", load_i], "cli": ["--as-of", load_i]},
        "f": {"lake": ["--where", f"id = '{key}'"], "cli": ["--where", f"id = '{key}'"]},
        "g": {"lake": ["--since", upsert_i, "--until", last_i] if lake.since else None,
              "cli": ["--since", upsert_i, "--until", last_i] if lake.since else None},
    }
    peer_args = {
        "d": ("snapshot", {"delta-rs": "", "pyiceberg": "", "hudi-rs": ""}),
        "e": ("asof", {"delta-rs": str(facts.get("delta-rs", {}).get("a", "")),
                       "pyiceberg": str(facts.get("pyiceberg", {}).get("a", "")), "hudi-rs": load_i}),
        "f": ("point", {"delta-rs": key, "pyiceberg": key, "hudi-rs": key}),
        "g": ("incremental", {"delta-rs": "", "pyiceberg": "", "hudi-rs": f"{upsert_i},{last_i}"}),
    }
    expect_rows = {"d": exp["live_final"], "e": exp["live_after_load"], "f": 1, "g": exp["changed_by_micro"]}
    for phase in "defg":
        print(f"read ({phase}) …", flush=True)
        for _ in range(a.repeat):
            # lake, library
            if specs[phase]["lake"] is not None:
                _, rss, out, _, _ = run([lake.read_bin, "--table", lt, *specs[phase]["lake"], "--sample", sample])
                o = last_json(out)
                res.add(phase, "lake", o["seconds"], rss, o.get("cpu_seconds"))
                checks.append((phase, "lake", o["rows"], expect_rows[phase], o.get("sample")))
            else:
                res.notes[(phase, "lake")] = "library API not in this build"
            # lake, CLI
            if specs[phase]["cli"] is not None:
                with open(os.devnull, "w") as devnull:
                    wall, rss, _, _, cpu = run([lake.bin, "query", "--table", lt, *specs[phase]["cli"], "--format", "jsonl"],
                                               stdout=devnull)
                res.add(phase, "lake CLI", wall, rss, cpu)
                if phase == "g" and specs[phase]["lake"] is None:
                    out = subprocess.run([lake.bin, "query", "--table", lt, *specs[phase]["cli"], "--columns", "id",
                                          "--format", "jsonl"], capture_output=True, text=True, check=True).stdout
                    checks.append((phase, "lake CLI", len(out.splitlines()), expect_rows[phase], None))
            else:
                res.notes[(phase, "lake CLI")] = "lake query has no --since/--until in this build"
            # peers
            op, args = peer_args[phase]
            for engine, name, table in (("delta-rs", "delta", facts.get("delta-rs_table")),
                                        ("pyiceberg", "iceberg", facts.get("pyiceberg_table")),
                                        ("hudi-rs", "hudi", lt)):
                if engine not in a.engines or table is None:
                    continue
                incomplete = facts.get(engine + "_incomplete")
                if incomplete:
                    res.notes[(phase, engine)] = "on its table as the stopped writes left it; not checked"
                _, rss, out, _, _ = run([PY, PEERS, name, op, "--table", table, "--arg", args[engine]], env=env)
                o = last_json(out)
                if "unsupported" in o:
                    res.notes[(phase, engine)] = o["unsupported"]
                    continue
                res.add(phase, engine, o["seconds"], rss, o.get("cpu_seconds"))
                if not incomplete:
                    checks.append((phase, engine, o["rows"], expect_rows[phase], o.get("sample")))
    # the write peers' final row counts and samples come from their snapshot reads (phase d)


def verify(exp, checks):
    """Returns a list of disagreement messages (empty: every engine agrees with the model)."""
    bad, seen = [], set()
    want = {s["id"]: s for s in exp["sample"]}
    for phase, engine, rows, expected, sample in checks:
        if (phase, engine) in seen:
            continue
        seen.add((phase, engine))
        if rows != expected:
            bad.append(f"({phase}) {engine}: {rows:,} rows, expected {expected:,}")
        if phase == "d" and sample is not None:
            for k, s in want.items():
                got = sample.get(k)
                if s["deleted"]:
                    if got is not None:
                        bad.append(f"(d) {engine}: key {k} should be deleted, reads {got}")
                elif got is None:
                    bad.append(f"(d) {engine}: key {k} missing")
                elif got[0] != s["custName"] or abs(float(got[1]) - s["amount"]) > 1e-9 or bool(got[2]) != s["active"]:
                    bad.append(f"(d) {engine}: key {k} reads {got}, expected {[s['custName'], s['amount'], s['active']]}")
    return bad


# ---- the table -----------------------------------------------------------------------------------

def fmt_s(x):
    return "—" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def render(a, exp, res, lake, facts, bad, machine):
    n = exp["rows"]
    rec = exp["records"]
    titles = {
        "a": f"(a) load {rec['load']:,} INSERTs",
        "b": f"(b) upsert {rec['upsert']:,} changes",
        "c": f"(c) {rec['micro_count']} × {rec['micro']:,} micro-batches",
        "d": "(d) snapshot scan",
        "e": "(e) as of before (b)",
        "f": "(f) point lookup",
        "g": "(g) incremental (c)",
    }
    lake_input = ("change records, `lake upsert --cdc` (parsing included)" if lake.mode == "cdc"
                  else "row JSON lines converted from the change records by the driver (untimed); lake parses them")
    head = ["phase", "engine", "seconds", "CPU s", "peak MiB", "data files", "MB on disk", "lake speed-up", "incl. parse+dedup"]
    rows = []
    for phase in "abcdefg":
        lake_t = res.med(phase, "lake")
        engines = ["lake", "delta-rs", "pyiceberg"] if phase in "abc" else ["lake", "lake CLI", "delta-rs", "pyiceberg", "hudi-rs"]
        for e in engines:
            if e != "lake" and e != "lake CLI" and e not in a.engines:
                continue
            t = res.med(phase, e)
            rss = res.rss.get((phase, e))
            files, size = res.disk.get((phase, e), (None, None))
            ratio = ratio2 = ""
            if t is not None and lake_t and e not in ("lake", "lake CLI"):
                ratio = f"{t / lake_t:.2f}×"
                if phase in "abc":
                    extra = (res.med(phase, "parse") or 0) + ((res.med(phase, "dedup") or 0) if phase != "a" else 0)
                    ratio2 = f"{(t + extra) / lake_t:.2f}×"
            note = res.notes.get((phase, e))
            cpu = res.med_cpu(phase, e)
            rows.append([titles[phase] if e == engines[0] else "", e,
                         (fmt_s(t) + (f" ({note})" if note else "")) if t is not None else f"n/a ({note})" if note else "—",
                         fmt_s(cpu) if cpu is not None else "", f"{rss:.0f}" if rss else "", "" if files is None else f"{files:,}",
                         "" if size is None else f"{size / 1e6:.1f}", ratio, ratio2])
        if phase in "abc":
            rows.append(["", "peers: parse JSON → Arrow", fmt_s(res.med(phase, "parse")), "", "", "", "", "", ""])
            if phase != "a":
                rows.append(["", "peers: dedup batch", fmt_s(res.med(phase, "dedup")), "", "", "", "", "", ""])
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    text = []
    text.append(f"lake CDC benchmark: {n:,} rows, median of {a.repeat}; lake input: {lake_input}")
    text.append(f"machine: {machine}")
    text.append("")
    text.append("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths)) + " |")
    text.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        text.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
    text.append("")
    text.append("seconds: wall time; CPU s: user + system time of lake's process, of the peer's engine call "
                "(Python's process_time), of LakeRead's read (all threads).")
    text.append("lake speed-up = the engine's time / lake's time (> 1: lake is faster). Writes: lake end to end "
                "(process start, parsing, commit) vs the peer's engine time alone; 'incl. parse+dedup' adds the "
                "peers' JSON parsing and batch dedup. Reads: lake through the library (LakeRead); 'lake CLI' is "
                "`lake query` printing JSON lines to /dev/null. hudi-rs reads lake's table.")
    text.append("")
    if bad:
        text.append("CORRECTNESS: these disagree with the workload's model:")
        text += ["  " + b for b in bad]
    else:
        text.append(f"correctness: every engine agrees with the model — {exp['live_final']:,} live rows, "
                    f"{exp['live_after_load']:,} as of the load, {exp['changed_by_micro']:,} rows changed by (c), "
                    f"10 sampled keys (live and deleted).")
    return "\n".join(text)


def machine_line():
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    except Exception:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {mem} RAM, load average {loadavg()}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="100,000 rows, one run")
    ap.add_argument("--lake", default=os.path.join(ROOT, ".build", "release", "lake"))
    ap.add_argument("--lake-read", default=os.path.join(ROOT, "Benchmarks", ".build", "release", "LakeRead"))
    ap.add_argument("--work", default=os.path.join(ROOT, "Benchmarks", ".work", "cdc"))
    ap.add_argument("--engines", default="delta-rs,pyiceberg,hudi-rs")
    ap.add_argument("--mode", choices=["auto", "cdc", "rows"], default="auto",
                    help="how lake gets the records: --cdc change records, or row JSON lines")
    ap.add_argument("--keep", action="store_true", help="keep the tables in --work")
    ap.add_argument("--peer-timeout", type=float, default=1200, help="stop a peer's write phase after this many seconds")
    ap.add_argument("--slow", type=float, default=300, help="a peer whose writes take longer runs once")
    a = ap.parse_args()
    if a.quick:
        a.rows, a.repeat = 100_000, 1
    a.engines = set(a.engines.split(","))
    os.makedirs(a.work, exist_ok=True)
    mode = a.mode
    if mode == "auto":
        mode = "cdc" if help_has(a.lake, ["upsert"], "--cdc") else "rows"
    lake = Lake(a, None, mode)
    machine_start = machine_line()
    print(f"machine at start: {machine_start}", flush=True)

    data, exp = prepare(a)
    lake.data = data
    res, facts, checks = Results(), {}, []
    groups = parse_inputs(a, data, exp, res, mode)
    write_phases(a, data, groups, res, lake, facts)
    read_phases(a, exp, res, lake, facts, checks)
    bad = sorted(set(lake.errors)) + verify(exp, checks)
    machine = f"{machine_start}; at the end: load average {loadavg()}"
    report = render(a, exp, res, lake, facts, bad, machine)
    print()
    print(report)
    out = os.path.join(a.work, f"results-{a.rows}.md")
    with open(out, "w") as f:
        f.write(report + "\n")
    with open(os.path.join(a.work, f"results-{a.rows}.json"), "w") as f:
        json.dump({"rows": a.rows, "repeat": a.repeat, "mode": mode, "machine": machine,
                   "seconds": {f"{p}/{e}": v for (p, e), v in res.t.items()},
                   "cpu_seconds": {f"{p}/{e}": v for (p, e), v in res.cpu.items()},
                   "rss_mib": {f"{p}/{e}": v for (p, e), v in res.rss.items()},
                   "disk": {f"{p}/{e}": v for (p, e), v in res.disk.items()},
                   "disagreements": bad, "instants": facts.get("lake_instants")}, f, indent=1)
    print(f"\nwritten: {out}")
    if not a.keep:
        for k in ("lake_table", "delta-rs_table", "pyiceberg_table"):
            if facts.get(k):
                shutil.rmtree(facts[k], ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
