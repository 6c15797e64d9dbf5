#!/bin/bash
# End-to-end tests of `valuespace fulcra agree` and of `--evaluator` in `fulcra predict|profile`:
# the JSON shape, every figure recomputed from the reported confusion matrix with scikit-learn, the
# intervals, determinism, prompted evaluators through the ngram backend, and usage errors.
# usage: test_cli_fulcra_agree.sh CLI SOURCE_DIR
set -u
cli=$1
root=$2
full=$root/examples/data/fulcra/trustworthy_data.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"
py=/usr/bin/python3

[ -f "$full" ] || { echo "missing $full"; exit 1; }
head -n 240 "$full" > "$tmp/train.jsonl"
sed -n 241,480p "$full" > "$tmp/test.jsonl"
keys="['self_direction','stimulation','hedonism','achievement','power','security','tradition','conformity','benevolence','universalism']"

expect_exit 0 "$cli" fulcra agree --help
out_contains "usage: valuespace fulcra agree"
expect_exit 0 "$cli" fulcra train "$tmp/train.jsonl" -o "$tmp/m.vsm" --buckets 16384

# ---- JSON: shape, and each figure recomputed from its confusion matrix
expect_exit 0 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --replicates 200 --folds 3 --json
cp "$tmp/out" "$tmp/a1.json"
json_check "sorted(d) == ['confidence','evaluator','failed','records','replicates','seed','values'] and d['records'] == 240"
json_check "[v['key'] for v in d['values']] == $keys"
json_check "all(sorted(v) == ['accuracy','baseline','builtin_cv','confusion','kappa','key','macro_f1','n'] for v in d['values'])"
json_check "all(sum(map(sum, v['confusion'])) == v['n'] for v in d['values'])"
json_check "all(v[f]['low'] <= v[f]['value'] <= v[f]['high'] for v in d['values'] for f in ('accuracy','macro_f1') )"
json_check "all(v['builtin_cv']['folds'] == 3 and 0 <= v['builtin_cv']['accuracy'] <= 1 for v in d['values'])"
cat > "$tmp/recompute.py" <<'PY'
import json, math, sys, warnings
warnings.simplefilter("ignore")  # kappa of a one-class value is 0/0: NaN on both sides
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score
d = json.load(open(sys.argv[1]))
bad = 0
for v in d["values"]:
    t, p = [], []
    for r in range(3):
        for c in range(3):
            t += [r - 1] * v["confusion"][r][c]
            p += [c - 1] * v["confusion"][r][c]
    want = {"accuracy": accuracy_score(t, p), "macro_f1": f1_score(t, p, average="macro"),
            "kappa": cohen_kappa_score(t, p)}
    base = max((0, 1, -1), key=lambda c: (t.count(c), -[0, 1, -1].index(c)))
    want_base = accuracy_score(t, [base] * len(t))
    for key, w in want.items():
        got = v[key]["value"]
        if not ((got is None and math.isnan(w)) or (got is not None and abs(got - w) < 1e-12)):
            print(v["key"], key, got, w); bad += 1
    if v["baseline"]["class"] != base or abs(v["baseline"]["accuracy"]["value"] - want_base) > 1e-12:
        print(v["key"], "baseline", v["baseline"], base, want_base); bad += 1
sys.exit(1 if bad else 0)
PY
if $py "$tmp/recompute.py" "$tmp/a1.json"; then ok; else bad "figures differ from scikit-learn's on the confusion matrices"; fi

# ---- determinism and the seed
expect_exit 0 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --replicates 200 --folds 3 --json
same_files "$tmp/out" "$tmp/a1.json"
expect_exit 0 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --replicates 200 --folds 3 --json --seed 2
if cmp -s "$tmp/out" "$tmp/a1.json"; then bad "another seed gives the same intervals"; else ok; fi
# without replicates and cross-validation: no intervals, builtin_cv null, the same estimates
expect_exit 0 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --replicates 0 --no-cv --json
cp "$tmp/out" "$tmp/a0.json"
json_check "all(v['kappa']['low'] is None and v['builtin_cv'] is None for v in d['values'])"
if $py -c "import json; a=json.load(open('$tmp/a0.json')); b=json.load(open('$tmp/a1.json')); exit(0 if [v['kappa']['value'] for v in a['values']] == [v['kappa']['value'] for v in b['values']] else 1)"; then ok; else bad "estimates depend on the bootstrap"; fi
# the table
expect_exit 0 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --replicates 50 --no-cv
out_contains "kappa"
out_contains "confusion matrices"
out_contains "^self_direction"

# ---- usage errors and bad inputs
expect_exit 2 "$cli" fulcra agree "$tmp/test.jsonl"
err_contains "--evaluator"
expect_exit 2 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "oracle:$tmp/m.vsm"
err_contains "unknown evaluator kind 'oracle'"
expect_exit 2 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "$tmp/m.vsm"
err_contains "KIND:ARGUMENT"
expect_exit 2 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --replicates 5
expect_exit 2 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --confidence 1
expect_exit 1 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/missing.vsm"
expect_exit 1 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --set items --no-cv
err_contains "level"
printf 'not a model' > "$tmp/junk.vsm"
expect_exit 1 "$cli" fulcra agree "$tmp/test.jsonl" --evaluator "builtin:$tmp/junk.vsm"

# ---- fulcra predict --evaluator: builtin:MODEL is --model MODEL
expect_exit 0 "$cli" fulcra predict --model "$tmp/m.vsm" "$tmp/test.jsonl" --json
cp "$tmp/out" "$tmp/pm.txt"
expect_exit 0 "$cli" fulcra predict --evaluator "builtin:$tmp/m.vsm" "$tmp/test.jsonl" --json
same_files "$tmp/out" "$tmp/pm.txt"
expect_exit 2 "$cli" fulcra predict "$tmp/test.jsonl"
expect_exit 0 "$cli" fulcra profile "$tmp/test.jsonl" --model "$tmp/m.vsm" --replicates 20 --json
cp "$tmp/out" "$tmp/pr.json"
expect_exit 0 "$cli" fulcra profile "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --replicates 20 --json
same_files "$tmp/out" "$tmp/pr.json"
expect_exit 2 "$cli" fulcra profile "$tmp/test.jsonl" --evaluator "builtin:$tmp/m.vsm" --labels
expect_exit 2 "$cli" fulcra predict --model "$tmp/m.vsm" --evaluator "builtin:$tmp/m.vsm" "$tmp/test.jsonl"

# ---- prompted evaluators through the ngram backend (the machinery, not the quality)
if "$cli" projective run --help 2>/dev/null | grep -q ngram; then
    head -n 30 "$tmp/test.jsonl" > "$tmp/few.jsonl"
    expect_exit 0 "$cli" fulcra predict --evaluator prompted:ngram "$tmp/test.jsonl" --json
    lines_check "len(L) == 240 and all(len(x['vector']) == 10 and all(v in (-1, 0, 1) for v in x['vector']) for x in L)"
    lines_check "all(abs(sum(p) - 1) < 1e-9 for x in L for p in x['probs'])"
    expect_exit 2 "$cli" fulcra predict --evaluator prompted:ngram --expected "$tmp/test.jsonl"
    expect_exit 0 "$cli" fulcra profile "$tmp/few.jsonl" --evaluator prompted:ngram --replicates 20 --json
    json_check "isinstance(d, list) and sum(g['n'] for g in d) == 30 and all(len(g['mean']) == 10 for g in d)"
    expect_exit 0 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --no-cv --replicates 50 --json
    cp "$tmp/out" "$tmp/p1.json"
    json_check "[v['key'] for v in d['values']] == $keys and d['failed'] == 0 and all(v['n'] == 30 for v in d['values'])"
    if $py "$tmp/recompute.py" "$tmp/p1.json"; then ok; else bad "prompted figures differ from scikit-learn's"; fi
    expect_exit 0 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --no-cv --replicates 50 --json
    same_files "$tmp/out" "$tmp/p1.json"
    printf '{value}: {definition}\n{dialogue}\nLabel:' > "$tmp/own.txt"
    expect_exit 0 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --template "$tmp/own.txt" --no-cv --replicates 0
    printf 'no placeholder here' > "$tmp/bad.txt"
    expect_exit 1 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --template "$tmp/bad.txt" --no-cv
    err_contains "no {dialogue} placeholder"
    expect_exit 1 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --template "$tmp/nonexistent.txt" --no-cv
    # the ngram model never answers with a bare label: every record fails, with its text shown
    expect_exit 1 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --prompt-mode answer --no-cv
    err_contains "the model answered"
    expect_exit 2 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --prompt-mode guess
    expect_exit 2 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:nosuchbackend --no-cv
    expect_exit 2 "$cli" fulcra agree "$tmp/few.jsonl" --evaluator prompted:ngram --backend-opt novalue
else
    echo "note: no ngram backend in this build; prompted checks skipped"
fi

finish "cli_fulcra_agree"
