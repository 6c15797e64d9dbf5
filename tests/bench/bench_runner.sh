#!/bin/sh
# Projective runner overhead (no-op callback) and journalling cost, side by side with the bare
# vs_model machinery in one run.   tests/bench/bench_runner.sh [BUILD_DIR] [ITEMS] [BATCH] [REPS]
# BUILD_DIR must hold libvaluespace.a (a Release build; default build-runner-rel).
set -e
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$SRC/build-runner-rel}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LIB=$(find "$BUILD" -maxdepth 1 -name libvaluespace.a | head -1)
[ -n "$LIB" ] || { echo "no libvaluespace.a in $BUILD" >&2; exit 1; }
cc -O2 -std=gnu11 -I"$SRC/include" -I"$BUILD/include" "$SRC/tests/bench/bench_runner.c" "$LIB" -o "$WORK/bench_runner" \
   $(pkg-config --libs gsl lapacke libutf8proc) -lpthread -lm
"$WORK/bench_runner" "${2:-1000000}" "${3:-256}" "${4:-7}"
