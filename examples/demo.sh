#!/bin/bash
# The main job on built-in defaults (README's first command): installs what is missing, builds
# libvaluespace and its `valuespace` tool in build-demo/ (its own directory: build/ stays as you
# configured it), then
#   1. shows the built-in value spaces and reproduces the BaseAlign worked example of FULCRA;
#   2. runs the FULCRA pipeline on the shipped split: 5-fold cross-validated evaluator with
#      majority baselines -> value profiles of the five LLMs with bootstrap intervals ->
#      BaseAlign alignment to each target -> a report in build-demo/demo-report/: report.html
#      (self-contained, figures inline), report.md, report.json, a CSV per table and the figures
#      as PNG and SVG (drawn when cairo is found; .ci/install-deps.sh build installs it).
# The test suite runs these same steps from a minimal build (every optional component off,
# warnings as errors) through two variables: VS_DEMO_BUILD_DIR (default build-demo) and
# VS_DEMO_CMAKE_ARGS (extra cmake arguments).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash .ci/install-deps.sh build
dir=${VS_DEMO_BUILD_DIR:-build-demo}
# shellcheck disable=SC2086 # VS_DEMO_CMAKE_ARGS is a list of arguments
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF ${VS_DEMO_CMAKE_ARGS:-} \
  > "$dir.log" 2>&1 || { cat "$dir.log"; exit 1; }
cmake --build "$dir" -j"$(nproc 2>/dev/null || echo 2)" --target valuespace_cli >> "$dir.log" 2>&1 \
  || { tail -50 "$dir.log"; exit 1; }
vs=$dir/valuespace

echo "== the built-in value spaces"
$vs space list
echo
raw=0.1,-0.2,0,1.0,-0.5,2.0,0.2,0.25,-1.0,0.9
echo "== BaseAlign, the worked example of docs/METHODS.md: raw evaluator scores $raw, target default"
$vs align --scores "$raw" --raw --target default
echo
echo "== FULCRA: evaluator, value profiles of five LLMs, alignment"
$vs demo --out "$dir/demo-report"
