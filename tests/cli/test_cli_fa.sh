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
for sub in omega kmo bartlett map; do   # --plot where no figure is drawn is refused, not ignored
    expect_exit 2 "$cli" fa $sub "$fa/thurstone.csv" --cor --n-obs 213 --plot "$tmp/plots"
    err_contains "--plot is an option of a fit and of 'fa parallel'"
done
test ! -e "$tmp/plots" && ok || bad "a refused --plot made its directory"
expect_exit 2 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --method WLS
err_contains "unknown method 'WLS' (did you mean 'wls'? valid: minres, uls, pa, ml, mle, wls, gls, alpha, minchi)"
printf 'a,b,c\n1,0.5,0.5\n0.5,1,1\n0.5,1,1\n' > "$tmp/singular.csv"
expect_exit 1 "$cli" fa "$tmp/singular.csv" --cor --n-obs 50 --factors 1 --method wls
err_contains "wls needs an invertible correlation matrix"

# ---- omega, congruence, saved solutions, fit extras, convergence and Heywood reporting, input
# pitfalls (references: tests/data/fa/reference_omega.txt, written by make_reference_omega.R)
$py - "$fa/reference_omega.txt" "$tmp/ref_omega.json" <<'PYEOF'
import json, sys
cases, cur = {}, None
for line in open(sys.argv[1]):
    t = line.split()
    if not t: continue
    if t[0] == "case": cur = cases.setdefault(t[1], {})
    elif t[0] == "end": cur = None
    elif cur is not None: cur[t[0]] = [float(v) for v in t[3:]]
json.dump(cases, open(sys.argv[2], "w"))
PYEOF
oref() { echo "json.load(open('$tmp/ref_omega.json'))['$1']['$2']"; }
maxd="lambda a, b: max(abs(u - v) for u, v in zip(a, b))"

# omega with psych's defaults (3 factors, minres, oblimin)
expect_exit 0 "$cli" fa omega "$fa/thurstone.csv" --cor --n-obs 213 --json
json_check "($maxd)([d[k] for k in ('omega_total', 'omega_hierarchical', 'omega_limit', 'alpha', 'g6', 'ecv')], $(oref o1 polished_coefficients)) < 1e-4"
json_check "($maxd)(($flat)(d['sl_loadings']), $(oref o1 polished_sl)) < 1e-4 and d['sl_columns'] == ['g', 'F1*', 'F2*', 'F3*', 'h2', 'u2', 'p2']"
json_check "d['converged'] is True"
json_check "($maxd)([d['omega_subscales'][f][c] for f in ('g', 'F1*', 'F2*', 'F3*') for c in ('total', 'general', 'group')], $(oref o1 polished_group)) < 1e-4"
expect_exit 0 "$cli" fa omega "$fa/harman74.csv" --cor --n-obs 145 --factors 4
out_contains "omega hierarchical 0.6"
expect_exit 1 "$cli" fa omega "$fa/thurstone.csv" --cor --n-obs 213 --rotate varimax
err_contains "needs an oblique rotation"
expect_exit 1 "$cli" fa omega "$fa/thurstone.csv" --cor --n-obs 213 --factors 1
err_contains "at least 2 group factors"

# residual, SABIC, EBIC, ESABIC, crms, score weights and determinacy against psych::fa (e2)
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 2 --json
json_check "($maxd)([d['fit'][k] for k in ('bic', 'sabic', 'ebic', 'esabic')], $(oref e2 fit)[:4]) < 1e-3 and abs(d['fit']['crms'] - $(oref e2 fit)[4]) < 1e-5"
json_check "($maxd)(($flat)(d['residual']), $(oref e2 residual)) < 1e-4 and ($maxd)(($flat)(d['weights']), $(oref e2 weights)) < 1e-4"
json_check "($maxd)(d['score_r2'], $(oref e2 R2)) < 1e-5 and ($maxd)(d['factor_determinacy'], [math.sqrt(v) for v in $(oref e2 R2)]) < 1e-5"
json_check "d['extraction_converged'] is True and d['rotation_converged'] is True and d['warnings'] == []"

# saved solutions and congruence (c2: minres oblimin against pa quartimax, matched)
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --save "$tmp/a.json"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --method pa --rotate quartimax --save "$tmp/b.json"
$py -c "import json; d = json.load(open('$tmp/a.json')); assert d['schema'] == 'valuespace.fa_solution' and d['version'] == 2 and d['variables'][0] == 'Sentences' and d['means'] is None" && ok || bad "saved solution head"
expect_exit 0 "$cli" fa congruence "$tmp/a.json" "$tmp/b.json" --match --json
json_check "($maxd)(($flat)(d['congruence']), $(oref c2 matched)) < 1e-4"
expect_exit 0 "$cli" fa congruence "$tmp/a.json" "$tmp/a.json" --json
json_check "all(abs(d['congruence'][i][i] - 1) < 1e-12 for i in range(3))"
expect_exit 0 "$cli" fa congruence "$tmp/a.json" "$tmp/b.json" --procrustes
out_contains "Tucker's congruence"
expect_exit 1 "$cli" fa congruence "$tmp/a.json" "$fa/thurstone.csv"
err_contains "PARSE"
expect_exit 2 "$cli" fa congruence "$tmp/a.json"
err_contains "two solution files"
expect_exit 2 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --match
err_contains "options of 'fa congruence'"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 2 --save "$tmp/b2.json"
expect_exit 1 "$cli" fa congruence "$tmp/a.json" "$tmp/b2.json" --procrustes
err_contains "as many factors"

# scores of new data from a saved solution: the fitted data again give the fitted scores, columns
# are matched by name, missing or extra columns are refused
expect_exit 0 "$cli" fa "$fa/bfi_complete.csv" --factors 5 --scores bartlett --scores-out "$tmp/fit_scores.csv" --save "$tmp/bfi.json"
expect_exit 0 "$cli" fa scores "$tmp/bfi.json" "$fa/bfi_complete.csv" --scores bartlett --scores-out "$tmp/new_scores.csv"
same_files "$tmp/new_scores.csv" "$tmp/fit_scores.csv"
$py - "$fa/bfi_complete.csv" "$tmp/shuffled.csv" "$tmp/short.csv" <<'PYEOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
order = list(range(len(rows[0])))[::-1]
csv.writer(open(sys.argv[2], "w", newline="")).writerows([[r[i] for i in order] for r in rows])
csv.writer(open(sys.argv[3], "w", newline="")).writerows([r[:-1] + [r[0]] for r in rows][:1] + [r for r in rows[1:]])
PYEOF
expect_exit 0 "$cli" fa scores "$tmp/bfi.json" "$tmp/shuffled.csv" --scores bartlett
cp "$tmp/out" "$tmp/shuffled_scores.csv"
same_files "$tmp/shuffled_scores.csv" "$tmp/fit_scores.csv"
# some of the fitted rows alone get the fit's scores of those rows (the new rows are put on the
# fitted data's scale, not standardised by their own means)
$py - "$fa/bfi_complete.csv" "$tmp/subset.csv" <<'PYEOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
open(sys.argv[2], "w").write("\n".join(lines[:1] + lines[701:741]) + "\n")
PYEOF
expect_exit 0 "$cli" fa scores "$tmp/bfi.json" "$tmp/subset.csv" --scores bartlett --scores-out "$tmp/subset_scores.csv"
$py - "$tmp/subset_scores.csv" "$tmp/fit_scores.csv" <<'PYEOF' && ok || bad "scores of a subset of the fitted rows"
import csv, sys
sub = [list(map(float, r)) for r in list(csv.reader(open(sys.argv[1])))[1:]]
fit = [list(map(float, r)) for r in list(csv.reader(open(sys.argv[2])))[701:741]]
assert len(sub) == 40 and len(fit) == 40
dev = max(abs(a - b) for ra, rb in zip(sub, fit) for a, b in zip(ra, rb))
assert dev < 1e-9, dev
PYEOF
# a solution fitted from a correlation matrix has no means to put new rows on its scale: refused
expect_exit 2 "$cli" fa scores "$tmp/a.json" "$tmp/subset.csv"
err_contains "holds no means and standard deviations of its variables"
err_contains "fit and --save the solution from the raw data"
expect_exit 1 "$cli" fa scores "$tmp/bfi.json" "$tmp/short.csv"
err_contains "has no column 'O5' of the solution"
expect_exit 1 "$cli" fa scores "$tmp/bfi.json" "$fa/thurstone.csv"
err_contains "has 9 columns, the solution 25 variables"
expect_exit 2 "$cli" fa scores "$tmp/bfi.json"
err_contains "a solution file and a CSV file"

# a nearly singular real matrix (longley): the 2-factor ML fit stalls at psych's optimum and is
# converged; three variables at the psi bound are reported as Heywood cases
expect_exit 0 "$cli" fa "$fa/longley.csv" --cor --n-obs 16 --factors 2 --method ml --json
json_check "d['converged'] is True and d['extraction_converged'] is True"
json_check "($maxd)(d['uniquenesses'], $(oref longley uniquenesses)) < 1e-6"
json_check "[h['variable'] for h in d['heywood_variables']] == ['GNP', 'Unemployed', 'Year'] and len(d['warnings']) == 3"
err_contains "warning: Heywood case: 'GNP'"
# an ultra-Heywood case (pa), and a step that did not converge
expect_exit 0 "$cli" fa "$fa/heywood.csv" --cor --n-obs 300 --factors 2 --method pa --rotate none --json
json_check "d['heywood_variables'] == [{'variable': 'V1', 'communality': d['communality'][0], 'kind': 'ultra-heywood'}] and d['communality'][0] > 1"
err_contains "ultra-Heywood case: 'V1'"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate geominQ
out_contains "converged after"

# --n-obs belongs to a correlation matrix
expect_exit 2 "$cli" fa "$fa/bfi_complete.csv" --factors 2 --n-obs 100
err_contains "n-obs is for a correlation matrix"
err_contains "missing listwise"
# R's write.csv row names: a first column with an empty header is left out, with a notice
$py - "$fa/thurstone.csv" "$tmp/rownames.csv" <<'PYEOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
names = lines[0].split(",")
out = ['"",' + ",".join('"%s"' % n for n in names)]
for n, l in zip(names, lines[1:]): out.append('"%s",%s' % (n, l))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PYEOF
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --json
cp "$tmp/out" "$tmp/plain.json"
expect_exit 0 "$cli" fa "$tmp/rownames.csv" --cor --n-obs 213 --factors 3 --json
same_files "$tmp/out" "$tmp/plain.json"
err_contains "first column has no header"
head -80 "$fa/bfi_complete.csv" | awk -F, 'NR == 1 {print "," $0; next} {print NR - 1 "," $0}' > "$tmp/raw_rownames.csv"
head -80 "$fa/bfi_complete.csv" > "$tmp/raw_plain.csv"
expect_exit 0 "$cli" fa kmo "$tmp/raw_plain.csv" --json
cp "$tmp/out" "$tmp/kmo_plain.json"
expect_exit 0 "$cli" fa kmo "$tmp/raw_rownames.csv" --json
same_files "$tmp/out" "$tmp/kmo_plain.json"

finish test_cli_fa
