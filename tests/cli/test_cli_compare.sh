#!/bin/bash
# Comparisons in the reports: the demo's pairwise differences between the models (profile values,
# mean reward) with bootstrap intervals and the agreement of label- and evaluator-based profiles,
# checked by check_demo_compare.py against a recomputation with numpy/scipy from the library's
# resamples (through the Python bindings).
#   tests/cli/test_cli_compare.sh CLI SOURCE_DIR LIBRARY [SANITIZED (1 = a sanitizer build)]
set -u
cli=$1
src=$2
lib=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"
data=$src/examples/data/fulcra/trustworthy_data.jsonl

expect_exit 0 "$cli" demo --out "$tmp/demo" --replicates 200 --folds 2 --seed 3
for f in comparisons_profiles.csv comparisons_reward.csv profile_agreement.csv; do
    [ -s "$tmp/demo/$f" ] && ok || bad "the demo wrote no $f"
done
grep -q "^## Comparisons between the models" "$tmp/demo/report.md" && ok || bad "report.md has no comparisons"
grep -q "<h2>Comparisons between the models</h2>" "$tmp/demo/report.html" && ok || bad "report.html has no comparisons"
# (the recomputation loads the library into Python: not possible for a sanitizer build, whose
# runtime must come first; the plain build's run of this test does it)
if [ "${4:-0}" = 1 ]; then
    echo "note: sanitizer build: check_demo_compare.py (Python, numpy) left to the plain build's run"
elif PYTHONPATH=$src/bindings/python VALUESPACE_LIBRARY=$lib $py "$src/tests/cli/check_demo_compare.py" \
        "$tmp/demo" "$data" > "$tmp/check.log" 2>&1; then ok
else bad "check_demo_compare.py: $(grep -m5 FAIL "$tmp/check.log")$(tail -3 "$tmp/check.log")"; fi

# part 2: with the ngram backend, three runs of valuelex compared in DIR/projective/; the loglik
# judge does not generate, so the columns agree and every difference is 0 with interval [0, 0]
"$cli" version --json > "$tmp/version.json"
if [ "$($py -c "import json; print(int(json.load(open('$tmp/version.json'))['components']['ngram']))")" = 1 ]; then
    grep -q "^## Part 2: projective runs compared" "$tmp/demo/report.md" && ok || bad "report.md has no part 2"
    grep -q "projective/report.html" "$tmp/demo/report.md" && ok || bad "report.md does not point at part 2"
    if $py "$src/tests/cli/check_projective_compare.py" "$tmp/demo/projective" > "$tmp/check2.log" 2>&1; then ok
    else bad "check_projective_compare.py (demo part 2): $(grep -m5 FAIL "$tmp/check2.log")$(tail -2 "$tmp/check2.log")"; fi
    $py -c "
import json, sys
d = json.load(open('$tmp/demo/projective/report.json'))
ok = [r['model'] for r in d['runs']] == ['ngram max_tokens=10', 'ngram max_tokens=15', 'ngram max_tokens=20']
ok &= len(d['differences']) == 3 * len(d['dimensions'])
ok &= all(x['diff'] == 0 and x['ci_low'] == 0 and x['ci_high'] == 0 and x['paired'] for x in d['differences'])
sys.exit(0 if ok else 1)" && ok || bad "demo part 2: the three loglik columns differ"
else
    grep -q "part 2 (projective runs compared) is off" "$tmp/out" && ok || bad "the demo does not say part 2 is off"
fi

finish "test_cli_compare"
