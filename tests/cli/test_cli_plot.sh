#!/bin/bash
# End-to-end tests of the figures and reports: `fa --plot`, `fa parallel --plot` and the demo's
# report directory (figures, report.html, report.md, report.json, CSVs). check_figures.py parses
# every SVG, counts its data marks, compares their data-value attributes with the JSON the
# command printed, checks the geometry against the values and each PNG's size. In a build
# without cairo, --plot must say that figures are off and fail, and the demo must still write
# its report.
#   tests/cli/test_cli_plot.sh CLI SOURCE_DIR
set -u
cli=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"
check() { if $py "$src/tests/cli/check_figures.py" "$@" > "$tmp/check.log" 2>&1; then ok; else bad "check_figures.py $1: $(grep -m5 FAIL "$tmp/check.log")$(tail -3 "$tmp/check.log")"; fi; }
bfi=$src/tests/data/fa/bfi_complete.csv

expect_exit 0 "$cli" version --json
cp "$tmp/out" "$tmp/version.json"
json_check "set(d['components']) >= {'cairo', 'ngram', 'openai', 'wordnet'}"
cairo=$($py -c "import json; print(int(json.load(open('$tmp/version.json'))['components']['cairo']))")

expect_exit 0 "$cli" fa --help
out_contains "--plot DIR"
expect_exit 2 "$cli" fa "$bfi" --factors 2 --plot  # a flag without its value

if [ "$cairo" = 0 ]; then
    expect_exit 1 "$cli" fa "$bfi" --factors 2 --plot "$tmp/figs"
    err_contains "figures are off (built without cairo)"
    out_contains "SS loadings"          # the fit itself is still printed
    expect_exit 1 "$cli" fa parallel "$bfi" --iter 5 --plot "$tmp/figs"
    err_contains "figures are off (built without cairo)"
    expect_exit 0 "$cli" demo --out "$tmp/demo" --replicates 50 --folds 2
    out_contains "figures are off (built without cairo)"
    for f in report.html report.md report.json cv.csv agreement.csv profiles_labels.csv alignment_labels.csv; do
        [ -s "$tmp/demo/$f" ] && ok || bad "no $f without cairo"
    done
    ls "$tmp/demo"/*.svg > /dev/null 2>&1 && bad "SVG files written without cairo" || ok
    $py -c "import json,sys; d=json.load(open('$tmp/demo/report.json')); sys.exit(0 if d['figures'] == [] else 1)" && ok || bad "report.json lists figures"
    grep -q "figures are off (built without cairo)" "$tmp/demo/report.html" && ok || bad "report.html does not say figures are off"
    [ -e "$tmp/figs" ] && bad "--plot created a directory without cairo" || ok
    finish cli_plot
    exit
fi

# fa: an oblique 5-factor fit of bfi (factor correlations in the diagram) and an orthogonal one
expect_exit 0 "$cli" fa "$bfi" --factors 5 --rotate oblimin --json --plot "$tmp/oblimin"
cp "$tmp/out" "$tmp/oblimin.json"
err_contains "fa_scree, fa_loadings, fa_diagram"
check fa-fit "$tmp/oblimin.json" "$tmp/oblimin"
grep -q 'class="mark phi"' "$tmp/oblimin/fa_diagram.svg" && ok || bad "oblimin: no factor correlation in the diagram"
expect_exit 0 "$cli" fa "$bfi" --factors 3 --rotate varimax --json --plot "$tmp/varimax"
cp "$tmp/out" "$tmp/varimax.json"
check fa-fit "$tmp/varimax.json" "$tmp/varimax"
grep -q 'class="mark phi"' "$tmp/varimax/fa_diagram.svg" && bad "varimax: correlations drawn for an orthogonal rotation" || ok
# a correlation matrix (no resampled curves) and raw data (with them)
expect_exit 0 "$cli" fa parallel "$src/tests/data/fa/harman74.csv" --cor --n-obs 145 --iter 20 --seed 3 --json --plot "$tmp/par"
cp "$tmp/out" "$tmp/par.json"
check fa-parallel "$tmp/par.json" "$tmp/par"
expect_exit 0 "$cli" fa parallel "$bfi" --iter 10 --seed 3 --json --plot "$tmp/par_raw"
cp "$tmp/out" "$tmp/par_raw.json"
check fa-parallel "$tmp/par_raw.json" "$tmp/par_raw"
# the figures are a pure function of the result: the same fit draws the same bytes
expect_exit 0 "$cli" fa "$bfi" --factors 5 --rotate oblimin --plot "$tmp/again"
for f in fa_scree fa_loadings fa_diagram; do same_files "$tmp/oblimin/$f.svg" "$tmp/again/$f.svg"; done
# a directory that cannot be made: exit 1, and the message names it
expect_exit 1 "$cli" fa "$bfi" --factors 2 --plot /dev/null/figs
err_contains "cannot create /dev/null/figs"

# the demo's report directory
expect_exit 0 "$cli" space show schwartz10
cp "$tmp/out" "$tmp/space.txt"
expect_exit 0 "$cli" demo --out "$tmp/demo" --replicates 200
out_contains "figures: 7, PNG and SVG"
check demo "$tmp/demo" "$tmp/space.txt" "$tmp/version.json"

finish cli_plot
