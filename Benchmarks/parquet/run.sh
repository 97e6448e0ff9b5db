#!/usr/bin/env bash
# Parquet throughput, lake against pyarrow: builds ParquetThroughput in release, makes sure the
# pinned Python environment (.venv/) exists, then runs bench_parquet.py. Extra arguments are passed
# on (e.g. --rows 200000 --repeat 5). Generated files go to Benchmarks/.work/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash scripts/setup.sh

echo "== swift build -c release (Benchmarks: ParquetThroughput)" >&2
swift build -c release --package-path Benchmarks --product ParquetThroughput 2>&1 | tail -n 3 >&2
bin="$(swift build -c release --package-path Benchmarks --show-bin-path)/ParquetThroughput"

echo "== bench_parquet.py" >&2
exec .venv/bin/python Benchmarks/parquet/bench_parquet.py --lake-bin "$bin" "$@"
