#!/bin/bash
# The main job on built-in defaults (README's first command): installs what is missing, builds
# libvaluespace and its `valuespace` tool, then
#   1. shows the built-in value spaces and reproduces the BaseAlign worked example of FULCRA;
#   2. runs the FULCRA pipeline on the shipped split: 5-fold cross-validated evaluator with
#      majority baselines -> value profiles of the five LLMs with bootstrap intervals ->
#      BaseAlign distance to each target -> a Markdown + JSON report in build/demo-report/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash .ci/install-deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target valuespace_cli >> build.log 2>&1 || { tail -50 build.log; exit 1; }
vs=build/valuespace

echo "== the built-in value spaces"
$vs space list
echo
raw=0.1,-0.2,0,1.0,-0.5,2.0,0.2,0.25,-1.0,0.9
echo "== BaseAlign, the worked example of docs/METHODS.md: raw evaluator scores $raw, target default"
$vs align --scores "$raw" --raw --target default
echo
echo "== FULCRA: evaluator, value profiles of five LLMs, alignment"
$vs demo --data examples/data/fulcra/trustworthy_data.jsonl --out build/demo-report
