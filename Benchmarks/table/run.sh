#!/usr/bin/env bash
# Runs the table benchmark (lake vs delta-rs): builds lake in release, installs the benchmark's
# Python packages (pinned, into the project's .venv), and runs bench_upsert.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash scripts/setup.sh
.venv/bin/pip install -q --disable-pip-version-check -r Benchmarks/requirements-bench.txt
swift build -c release --product lake 2>&1 | tail -n 1
exec .venv/bin/python Benchmarks/table/bench_upsert.py --lake "$root/.build/release/lake" "$@"
