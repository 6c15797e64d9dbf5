#!/bin/sh
# Benchmark grid: psych (R) and the `valuespace fa` command side by side in one run, whole command
# on both sides, on the problems users bring: p in P LIST with k fitted below, at and above the
# true k, correlation-matrix input and raw input with 10% missing (pairwise), minres and ml;
# ordinal items with polychoric correlations (p = 50, n = 2000, 5 categories); a Heywood-prone
# case; parallel analysis (cells: bench_fa_grid.R). Ours: parse + fit + statistics + JSON output,
# each run a fresh process (fa_grid.py); psych: the fa() / fa.parallel() call, R's start-up and
# library loading reported on its own line.
#   tests/bench/run_bench_fa_grid.sh [BUILD_DIR] ["P LIST"] [REPS_R] [REPS_OURS] [CELL REGEX]
# BUILD_DIR holds the valuespace CLI (default build); needs Rscript with psych and GPArotation.
set -e
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build}
PS=${2:-"100 300 1000"}
REPS_R=${3:-2}
REPS_OURS=${4:-5}
ONLY=${5:-}
EXE="$BUILD/valuespace"
[ -x "$EXE" ] || { echo "no valuespace CLI in $BUILD" >&2; exit 1; }
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
[ -n "$KEEP" ] || trap 'rm -rf "$WORK"' EXIT
echo "R start-up with psych and GPArotation loaded (not in psych's times below):"
for i in 1 2 3; do
  s=$(date +%s.%N)
  Rscript -e 'suppressPackageStartupMessages({ library(psych); library(GPArotation) })'
  e=$(date +%s.%N)
  echo "$s $e" | awk '{ printf "  %.3f s\n", $2 - $1 }'
done
echo "psych (times of the fa() call; this R session also writes the inputs):"
Rscript "$SRC/tests/bench/bench_fa_grid.R" "$WORK" "$PS" "$REPS_R" "$ONLY" | sed 's/^/  /'
echo
python3 "$SRC/tests/bench/fa_grid.py" "$EXE" "$WORK" "$REPS_OURS"
