#!/bin/bash
# End-to-end tests of `valuespace fa` for the rotations target (--target), simplimax,
# biquartimin and Promax against tests/data/fa/reference_rotate.txt (make_reference_rotate.R,
# psych 2.2.9 / GPArotation), and their errors (exit status and message).
#   tests/cli/test_cli_fa_more.sh CLI DATA_DIR
set -u
cli=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"
fa=$data/fa

# reference blocks as JSON: ref.json[file][case id][block] = values
$py - "$fa" "$tmp/ref.json" <<'PYEOF'
import json, sys
out = {}
for name in ("reference_rotate.txt", "reference_methods.txt", "reference_cor.txt"):
    cases, cur = {}, None
    for line in open(sys.argv[1] + "/" + name):
        t = line.split()
        if not t: continue
        # method cases by set_k_method_rotation, the others by id
        if t[0] == "case": cur = cases.setdefault("_".join(t[2:]) if name == "reference_methods.txt" else t[1], {})
        elif t[0] == "end": cur = None
        elif cur is not None: cur[t[0]] = [float(v) for v in t[3:]]
    out[name] = cases
json.dump(out, open(sys.argv[2], "w"))
PYEOF
ref() { echo "json.load(open('$tmp/ref.json'))['$1']['$2']"; }
flat="lambda m: [v for row in m for v in row]"
close="lambda a, b, t: max(abs(x - y) for x, y in zip(a, b)) < t"

expect_exit 0 "$cli" fa --help
out_contains "targetT|targetQ|simplimax|biquartimin|Promax"
out_contains "--target TARGET.csv"

# rotations against psych::fa (its extraction is ~1e-5 accurate: 1e-4)
for c in p1:Promax b1:biquartimin s3:simplimax; do
    id=${c%%:*} rot=${c#*:}
    set=$($py -c "print({'p1':'thurstone 213 3','b1':'thurstone 213 3','s3':'holzinger 355 3'}['$id'])")
    read -r name n k <<< "$set"
    expect_exit 0 "$cli" fa "$fa/$name.csv" --cor --n-obs "$n" --factors "$k" --rotate "$rot" --json
    json_check "($close)(($flat)(d['loadings']), $(ref reference_rotate.txt $id)['fa_loadings'], 1e-4)"
    json_check "($close)(($flat)(d['phi']), $(ref reference_rotate.txt $id)['fa_phi'], 1e-4)"
done

# target rotation from a CSV target (case t2: targetQ on Thurstone, blocks of three)
printf 'F1,F2,F3\n1,0,0\n1,0,0\n1,0,0\n0,1,0\n0,1,0\n0,1,0\n0,0,1\n0,0,1\n0,0,1\n' > "$tmp/target.csv"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate targetQ --target "$tmp/target.csv" --json
json_check "($close)(($flat)(d['loadings']), $(ref reference_rotate.txt t2)['fa_loadings'], 1e-4)"
# a partially specified target (NA entries; case t3: pstT)
printf 'F1,F2,F3\n1,NA,0\n1,0,0\n1,0,0\n0,1,NA\n0,1,0\n0,1,0\nNA,0,1\nNA,0,1\n0,NA,1\n' > "$tmp/pst.csv"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate targetT --target "$tmp/pst.csv" --json
json_check "($close)(($flat)(d['loadings']), $(ref reference_rotate.txt t3)['loadings'], 1e-4)"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate TargetQ --target "$tmp/target.csv"
out_contains "Phi (factor correlations)"

# methods alpha (psych's own output) and minchi (psych's objective converged: polished_*)
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --method alpha --rotate oblimin --json
json_check "($close)(($flat)(d['loadings']), $(ref reference_methods.txt thurstone_3_alpha_oblimin)['loadings'], 1e-6)"
expect_exit 0 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --method minchi --rotate varimax --json
json_check "($close)(($flat)(d['loadings']), $(ref reference_methods.txt thurstone_3_minchi_varimax)['polished_loadings'], 1e-5)"
expect_exit 1 "$cli" fa "$fa/thurstone.csv" --cor --factors 3 --method minchi
err_contains "minchi weights by the numbers of observations"

# rank correlations (reference_cor.txt: psych's fa(cor = ...) on 300 rows x 8 columns of bfi)
head -301 "$fa/bfi.csv" | cut -d, -f1-8 > "$tmp/bfi300.csv"
for m in spearman kendall; do
    expect_exit 0 "$cli" fa "$tmp/bfi300.csv" --factors 2 --cor $m --json
    json_check "($close)(($flat)(d['loadings']), $(ref reference_cor.txt $m)['loadings'], 1e-4)"
done
expect_exit 0 "$cli" fa kmo "$tmp/bfi300.csv" --cor kendall --json

# bootstrap: the same numbers for any thread count; intervals around the estimate
head -401 "$fa/bfi_complete.csv" | cut -d, -f1-10 > "$tmp/b10.csv"
expect_exit 0 "$cli" fa "$tmp/b10.csv" --factors 2 --bootstrap 40 --seed 5 --threads 1 --json
cp "$tmp/out" "$tmp/boot1.json"
json_check "d['bootstrap']['used'] == 40 and d['bootstrap']['replicates'] == 40"
json_check "all(lo <= x <= hi for lr, xr, hr in zip(d['bootstrap']['lower']['loadings'], d['loadings'], d['bootstrap']['upper']['loadings']) for lo, x, hi in zip(lr, xr, hr))"
expect_exit 0 "$cli" fa "$tmp/b10.csv" --factors 2 --bootstrap 40 --seed 5 --threads 3 --json
same_files "$tmp/out" "$tmp/boot1.json"
expect_exit 0 "$cli" fa "$tmp/b10.csv" --factors 2 --bootstrap 40 --seed 5
out_contains "Bootstrap: 40 of 40 row resamples fitted; 95% percentile intervals"
out_contains "Phi F1-F2 \["
expect_exit 1 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 2 --bootstrap 20
err_contains "bootstrap resamples rows"
expect_exit 2 "$cli" fa "$tmp/b10.csv" --factors 2 --bootstrap 1
err_contains "bootstrap needs a number of replicates >= 2"

# errors
expect_exit 1 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate targetQ
err_contains "needs a target pattern"
printf 'F1,F2\n1,0\n1,0\n1,0\n0,1\n0,1\n0,1\n0,1\n0,1\n0,1\n' > "$tmp/t2.csv"
expect_exit 1 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate targetQ --target "$tmp/t2.csv"
err_contains "the target is 9 x 2, the solution 9 x 3"
printf 'F1,F2\nNA,NA\n' > "$tmp/nan.csv"
expect_exit 1 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 2 --rotate targetQ --target "$tmp/nan.csv"
err_contains "every entry is NaN"
expect_exit 1 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate targetQ --target "$tmp/missing.csv"
expect_exit 2 "$cli" fa "$fa/thurstone.csv" --cor --n-obs 213 --factors 3 --rotate promaxx
err_contains "unknown rotation 'promaxx'"

finish test_cli_fa_more
