#!/bin/bash
# End-to-end tests of `valuespace fa` for the wls / gls methods and random rotation starts:
# help, fits against the converged psych 2.2.9 references of tests/data/fa/reference_wls.txt
# (written by make_reference_wls.R), the rotation-start example (GPArotation's Random.Start
# numbers), determinism, and errors (exit status and message).
#   tests/cli/test_cli_fa.sh CLI DATA_DIR
set -u
cli=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"
fa=$data/fa

# reference blocks as JSON: ref.json[case id][block] = values
$py - "$fa/reference_wls.txt" "$tmp/ref.json" <<'PYEOF'
import json, sys
cases, cur = {}, None
for line in open(sys.argv[1]):
    t = line.split()
    if not t: continue
    if t[0] == "case": cur = cases.setdefault(" ".join(t[2:]), {})
    elif t[0] == "end": cur = None
    elif cur is not None: cur[t[0]] = [float(v) for v in t[3:]]
json.dump(cases, open(sys.argv[2], "w"))
PYEOF
ref() { echo "json.load(open('$tmp/ref.json'))['$1']"; }
flat="lambda m: [v for row in m for v in row]"

expect_exit 0 "$cli" fa --help
out_contains "wls|gls"
out_contains "--rotate-starts"

# wls and gls: loadings, uniquenesses and criterion of the converged psych objective
for m in wls gls; do
    expect_exit 0 "$cli" fa "$fa/harman74.csv" --cor --n-obs 145 --factors 2 --method $m --rotate varimax --json
    json_check "max(abs(a - b) for a, b in zip(($flat)(d['loadings']), $(ref "harman74 2 $m varimax")['polished_loadings'])) < 1e-5"
    json_check "max(abs(a - b) for a, b in zip(d['uniquenesses'], $(ref "harman74 2 $m varimax")['polished_uniquenesses'])) < 1e-5"
    json_check "abs(d['criterion'] - $(ref "harman74 2 $m varimax")['polished_criterion'][0]) < 1e-8 * d['criterion']"
    json_check "d['criterion'] < $(ref "harman74 2 $m varimax")['psych_criterion'][0] and d['converged'] is True"
    json_check "abs(d['fit']['rmsr'] - $(ref "harman74 2 $m varimax")['polished_stats'][9]) < 1e-6"
done
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --method gls --rotate oblimin
out_contains "Phi (factor correlations)"

# rotation starts: geominT on Thurstone, 3 factors (identity start: a local minimum)
rc="thurstone 3 minres geominT"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate geominT --json
json_check "abs(d['rotation_criterion'] - $(ref "$rc")['rotation_identity'][0]) < 1e-8 and d['rotation_best_start'] == 0"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate geominT --rotate-starts 20 --seed 11 --json
cp "$tmp/out" "$tmp/first.json"
json_check "abs(d['rotation_criterion'] - $(ref "$rc")['rotation_best'][0]) < 1e-8 and d['rotation_best_start'] >= 1"
json_check "max(abs(a - b) for a, b in zip(($flat)(d['loadings']), $(ref "$rc")['best_loadings'])) < 1e-5"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate geominT --rotate-starts 20 --seed 11 --json
same_files "$tmp/out" "$tmp/first.json"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate geominT --rotate-starts 20 --seed 11
out_contains "rotation criterion 0.86294"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate promax --rotate-starts 5 --json
json_check "d['rotation_criterion'] is None and d['rotation_best_start'] == 0"

# errors
expect_exit 2 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate-starts 0
err_contains "rotate-starts needs a count >= 1"
expect_exit 2 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate-starts x
err_contains "rotate-starts"
expect_exit 2 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --method WLS
err_contains "unknown method 'WLS' (did you mean 'wls'? valid: minres, uls, pa, ml, mle, wls, gls, alpha, minchi)"
printf 'a,b,c\n1,0.5,0.5\n0.5,1,1\n0.5,1,1\n' > "$tmp/singular.csv"
expect_exit 1 "$cli" fa "$tmp/singular.csv" --cor --n-obs 50 --factors 1 --method wls
err_contains "wls needs an invertible correlation matrix"

finish test_cli_fa
