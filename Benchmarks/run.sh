#!/usr/bin/env bash
# The standard CDC workload, lake side by side with delta-rs, pyiceberg and hudi-rs (issue 7).
#
#   bash Benchmarks/run.sh            # 1,000,000 rows, median of 3 (about an hour on 2 cores)
#   bash Benchmarks/run.sh --quick    # 100,000 rows, one run
#   bash Benchmarks/run.sh --rows 200000 --repeat 1 --engines delta-rs,hudi-rs
#
# Installs the pinned Python packages into .venv/ (scripts/setup.sh, requirements-bench.txt),
# builds the `lake` CLI and the `LakeRead` helper in release, then runs cdc/bench_cdc.py, which
# prints one table and writes it to Benchmarks/.work/cdc/results-<rows>.{md,json}. Extra
# arguments are passed on. Run it on an otherwise idle machine: the table prints the load average.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
.venv/bin/pip install -q --disable-pip-version-check -r Benchmarks/requirements-bench.txt

echo "== swift build -c release (lake, LakeRead)" >&2
swift build -c release --product lake 2>&1 | tail -n 1 >&2
# SwiftPM can keep a stale build plan of the root package (a path dependency here) after files
# were added to it; dropping the plan makes it list the sources again.
rm -f Benchmarks/.build/release.yaml
swift build -c release --package-path Benchmarks --product LakeRead 2>&1 | tail -n 1 >&2
read_bin="$(swift build -c release --package-path Benchmarks --show-bin-path)/LakeRead"

echo "== cdc/bench_cdc.py" >&2
exec .venv/bin/python Benchmarks/cdc/bench_cdc.py --lake "$root/.build/release/lake" --lake-read "$read_bin" "$@"
