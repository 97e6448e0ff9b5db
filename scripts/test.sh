#!/usr/bin/env bash
# Sets up and runs every test of lake: Swift unit and integration tests (`swift test`), then the
# interop suite (pytest) that checks lake against independent readers and writers — pyarrow,
# DuckDB and hudi-rs — installed, pinned, into .venv/ by scripts/setup.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

echo "== swift build (release, for the interop suite and CLI tests)"
swift build -c release --product lake 2>&1 | tail -n 3
export LAKE_BIN="$root/.build/release/lake"

echo "== swift test"
swift test --parallel 2>&1 | tee .build/swift-test.log | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "swift test failed (exit $status)" >&2
  exit "$status"
fi

echo "== pytest (interop: pyarrow, DuckDB, hudi-rs)"
.venv/bin/python -m pytest -q Tests/interop
