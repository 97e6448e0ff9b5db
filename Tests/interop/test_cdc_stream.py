"""The seed scenario of issue 5, end to end and under failure: samples/customer/prove.py feeds a
generated customer change stream (inserts, updates, deletes, late and duplicate events) through
`lake stream` in windows, kills it with SIGKILL and stops it with SIGTERM at random moments, and
restarts it until the stream is consumed; then the final table read by hudi-rs and by lake equals
the model of the whole stream applied once, every retained commit's as-of read equals the model at
its checkpoint, older ones are refused, and the cleaner kept exactly 2 commits' worth of files.
Sized for CI (fixed seed, a few thousand records)."""
import pathlib
import re
import subprocess
import sys

from conftest import ROOT, lake_bin


def test_stream_killed_and_restarted_equals_the_model_applied_once(tmp_path):
    prove = ROOT / "samples" / "customer" / "prove.py"
    proc = subprocess.run([sys.executable, str(prove), "--lake", lake_bin(), "--count", "3000", "--keys", "400",
                           "--max-records", "200", "--seed", "7", "--workdir", str(tmp_path / "stream")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = proc.stdout.strip().splitlines()[-1]
    assert summary.startswith("ok:"), summary
    kills = int(re.search(r"(\d+) SIGKILL", summary).group(1))
    assert kills >= 1, summary
