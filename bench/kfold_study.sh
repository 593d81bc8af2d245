#!/usr/bin/env bash
# The k-fold protocol study's running time: examples/kfold-synthetic.yaml (400 synthetic scenes in 5 folds, 3 seeds,
# similarity and l1 against the unpruned control, 100 % and 50 % of the data, 20 baseline and 10 fine-tuning epochs)
# from an empty folder. Run alone on an idle machine; docs/performance.md records the figure.
# Usage: bench/kfold_study.sh [OUT]   (default: a temporary folder, removed afterwards)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-}"
if [ -z "$out" ]; then out="$(mktemp -d)/kfold"; trap 'rm -rf "$(dirname "$out")"' EXIT; fi
"$root/audioprune" --version >/dev/null   # builds the program first, so the build is not timed
start=$(date +%s)
"$root/audioprune" experiment "$root/examples/kfold-synthetic.yaml" --out "$out"
end=$(date +%s)
jobs=$(find "$out/jobs" -name result.json | wc -l)
echo "kfold study: $jobs jobs in $(( (end - start) / 60 )) min $(( (end - start) % 60 )) s on $(nproc) cores"
