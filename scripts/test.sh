#!/usr/bin/env bash
# Sets up and runs every test of lake: Swift unit and integration tests (`swift test`), then the
# interop suite (pytest) that checks lake against independent readers and writers — pyarrow,
# DuckDB and hudi-rs — installed, pinned, into .venv/ by scripts/setup.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

echo "== swift format lint (.swift-format: 120 columns; fix with: swift format -i -r -p Sources Tests Benchmarks Package.swift)"
set +e
swift format lint --strict -r -p Sources Tests Benchmarks Package.swift
format_status=$?
set -e
[ "$format_status" -eq 0 ] || echo "swift format lint failed (exit $format_status)" >&2

echo "== swift build (release, for the interop suite and CLI tests)"
swift build -c release --product lake 2>&1 | tail -n 3
export LAKE_BIN="$root/.build/release/lake"

echo "== swift test"
# Every runner prints its own summary; the command fails if either failed (PIPESTATUS is read
# right after the pipeline, before any other command can replace it).
set +e
swift test --parallel 2>&1 | tee .build/swift-test.log | grep -vE '^\[[0-9]+/[0-9]+\] '
swift_status=${PIPESTATUS[0]}
set -e
[ "$swift_status" -eq 0 ] || echo "swift test failed (exit $swift_status)" >&2

echo "== pytest (interop: pyarrow, DuckDB, hudi-rs)"
set +e
.venv/bin/python -m pytest -q Tests/interop
pytest_status=$?
set -e
[ "$pytest_status" -eq 0 ] || echo "pytest failed (exit $pytest_status)" >&2

if [ "$swift_status" -ne 0 ] || [ "$pytest_status" -ne 0 ] || [ "$format_status" -ne 0 ]; then
  echo "FAILED: swift test exit $swift_status, pytest exit $pytest_status, format lint exit $format_status" >&2
  exit 1
fi
echo "all tests passed"
