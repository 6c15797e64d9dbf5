#!/bin/bash
# Comparisons in the reports: the demo's pairwise differences between the models (profile values,
# mean reward) with bootstrap intervals and the agreement of label- and evaluator-based profiles,
# checked by check_demo_compare.py against a recomputation with numpy/scipy from the library's
# resamples (through the Python bindings).
#   tests/cli/test_cli_compare.sh CLI SOURCE_DIR LIBRARY
set -u
cli=$1
src=$2
lib=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"
data=$src/examples/data/fulcra/trustworthy_data.jsonl

expect_exit 0 "$cli" demo --out "$tmp/demo" --replicates 200 --folds 2 --seed 3
for f in comparisons_profiles.csv comparisons_reward.csv agreement.csv; do
    [ -s "$tmp/demo/$f" ] && ok || bad "the demo wrote no $f"
done
grep -q "^## Comparisons between the models" "$tmp/demo/report.md" && ok || bad "report.md has no comparisons"
grep -q "<h2>Comparisons between the models</h2>" "$tmp/demo/report.html" && ok || bad "report.html has no comparisons"
if PYTHONPATH=$src/bindings/python VALUESPACE_LIBRARY=$lib $py "$src/tests/cli/check_demo_compare.py" \
        "$tmp/demo" "$data" > "$tmp/check.log" 2>&1; then ok
else bad "check_demo_compare.py: $(grep -m5 FAIL "$tmp/check.log")$(tail -3 "$tmp/check.log")"; fi

finish "test_cli_compare"
