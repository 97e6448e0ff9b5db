#!/usr/bin/env bash
# Installs everything lake's build and tests need, idempotently:
#   - Debian packages: zlib, zstd, snappy, lz4 and brotli development headers (Parquet codecs),
#     and libcurl (Foundation's URLSession on Linux, used by LakeAWS);
#   - a Python virtual environment in .venv/ with the pinned test oracles
#     (pyarrow, DuckDB, hudi-rs, botocore) and the local AWS stand-ins (SeaweedFS, moto) — see
#     scripts/requirements-test.txt.
# Safe to run repeatedly; it does nothing when everything is present.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

need_apt=()
[ -f /usr/include/zlib.h ] || need_apt+=(zlib1g-dev)
[ -f /usr/include/zstd.h ] || need_apt+=(libzstd-dev)
[ -f /usr/include/snappy-c.h ] || need_apt+=(libsnappy-dev)
[ -f /usr/include/lz4.h ] || need_apt+=(liblz4-dev)
[ -f /usr/include/brotli/decode.h ] || need_apt+=(libbrotli-dev)
[ -n "$(ldconfig -p 2>/dev/null | grep 'libcurl\.so\.4' || true)" ] || need_apt+=(libcurl4)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "${LAKE_SKIP_PYTHON:-0}" != 1 ]; then
  req="scripts/requirements-test.txt"
  stamp=".venv/.requirements.sha"
  want="$(sha256sum "$req" | cut -d' ' -f1)"
  if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: creating .venv with $(tr '\n' ' ' < "$req")" >&2
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r "$req"
    echo "$want" > "$stamp"
  fi
fi
