#!/usr/bin/env bash
# Local runner benchmark: kfpci run --local against kfp.local, both from examples/ml_training_pipeline.py.
# Usage: bench/local-runner/run.sh [--rounds N] [--kfp-local-default-mode]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${KFPCI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kfpci}"

# The first run creates the managed venvs (kfp lock + the example's pinned packages); the
# benchmark then runs kfp.local inside that same venv, so both runners use identical packages.
"$repo/kfpci" run --local "$repo/examples/ml_training_pipeline.py" -q \
  --pipeline-root "$here/target/setup" -p "data_path=$repo/examples/data/training.csv" >/dev/null

venv=""
for ready in "$cache"/venvs/*/.kfpci-ready; do
  if grep -qx 'pandas==2.2.3' "$ready" && grep -qx 'kfp==2.17.3' "$ready"; then
    venv="$(dirname "$ready")"
  fi
done
if [ -z "$venv" ]; then
  echo "no managed venv with kfp and pandas found under $cache/venvs" >&2
  exit 1
fi

exec python3 "$here/bench.py" --venv "$venv" "$@"
