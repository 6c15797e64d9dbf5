#!/bin/bash
# End-to-end tests of `valuespace fulcra cv|train|predict|profile` and `valuespace demo`: the JSON
# shapes of the issue, determinism, the cross-validation bar on the shipped FULCRA split, model
# files (round trip, corrupt and truncated files) and usage errors.
# usage: test_cli_fulcra_eval.sh CLI SOURCE_DIR
set -u
cli=$1
root=$2
full=$root/examples/data/fulcra/trustworthy_data.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"

[ -f "$full" ] || { echo "missing $full"; exit 1; }
head -n 240 "$full" > "$tmp/small.jsonl"
keys="['self_direction','stimulation','hedonism','achievement','power','security','tradition','conformity','benevolence','universalism']"

for sub in cv train predict profile; do
    expect_exit 0 "$cli" fulcra "$sub" --help
    out_contains "usage: valuespace fulcra $sub"
done

# ---- cv: the JSON shape, determinism, seeds
expect_exit 0 "$cli" fulcra cv "$tmp/small.jsonl" --folds 3 --seed 7 --json --buckets 16384
cp "$tmp/out" "$tmp/cv1.json"
json_check "sorted(d) == ['dimensions', 'folds', 'seed'] and d['folds'] == 3 and d['seed'] == 7"
json_check "[x['key'] for x in d['dimensions']] == $keys"
json_check "all(sorted(x) == sorted(['key','n_pos','n_neg','accuracy','macro_f1','baseline_accuracy','baseline_macro_f1']) for x in d['dimensions'])"
json_check "all(0 <= x['accuracy'] <= 1 and 0 <= x['baseline_macro_f1'] <= 1 for x in d['dimensions'])"
json_check "sum(x['n_pos'] for x in d['dimensions']) > 100"
expect_exit 0 "$cli" fulcra cv "$tmp/small.jsonl" --folds 3 --seed 7 --json --buckets 16384 --threads 3
if cmp -s "$tmp/out" "$tmp/cv1.json"; then ok; else bad "cv differs between runs / thread counts"; fi
expect_exit 0 "$cli" fulcra cv "$tmp/small.jsonl" --folds 3 --seed 8 --json --buckets 16384
if cmp -s "$tmp/out" "$tmp/cv1.json"; then bad "cv with another seed gives the same figures"; else ok; fi
expect_exit 0 "$cli" fulcra cv "$tmp/small.jsonl" --folds 3 --buckets 16384
out_contains "baseline\|base_F1"

# The issue's bar on the shipped split: 5-fold macro-F1 above the majority baseline for every
# value with at least 100 positive labels.
expect_exit 0 "$cli" fulcra cv "$full" --folds 5 --seed 1 --json --threads 2
json_check "len([x for x in d['dimensions'] if x['n_pos'] >= 100]) == 6"
json_check "all(x['macro_f1'] > x['baseline_macro_f1'] for x in d['dimensions'] if x['n_pos'] >= 100)"

# ---- train -> predict
expect_exit 0 "$cli" fulcra train "$tmp/small.jsonl" -o "$tmp/m.vsev" --buckets 16384 --seed 3
out_contains "model written to"
expect_exit 0 "$cli" fulcra predict --model "$tmp/m.vsev" "$tmp/small.jsonl" --json
lines_check "len(L) == 240"
lines_check "all(sorted(r) == ['id','probs','source','vector'] for r in L)"
lines_check "all(len(r['vector']) == 10 and all(v in (-1, 0, 1) for v in r['vector']) for r in L)"
lines_check "all(len(r['probs']) == 10 and all(len(p) == 3 and abs(sum(p) - 1) < 1e-9 for p in r['probs']) for r in L)"
lines_check "L[0]['id'] == '1' and L[0]['source'] == 'meta-llama/Llama-2-7b-chat-hf'"
cp "$tmp/out" "$tmp/pred1.jsonl"
# the model predicts its training data mostly right (in-sample, so near 100%)
$py - "$tmp/small.jsonl" "$tmp/pred1.jsonl" <<'EOF' && ok || bad "in-sample agreement with the labels is low"
import json, sys
recs = [json.loads(x) for x in open(sys.argv[1])]
preds = [json.loads(x) for x in open(sys.argv[2])]
names = ['self-direction','stimulation','hedonism','achievement','power','security','tradition','conformity','benevolence','universalism']
agree = total = 0
for r, p in zip(recs, preds):
    lab = [0] * 10
    for t in r['value_types']:
        k, _, v = t.rpartition(':')
        if k.strip().lower() in names and v.strip() in ('+1', '1', '-1'):
            lab[names.index(k.strip().lower())] = 1 if v.strip() != '-1' else -1
    agree += sum(a == b for a, b in zip(lab, p['vector'])); total += 10
sys.exit(0 if agree / total > 0.95 else 1)
EOF
expect_exit 0 "$cli" fulcra predict --model "$tmp/m.vsev" "$tmp/small.jsonl" --json --expected
lines_check "all(-1 <= v <= 1 for r in L for v in r['vector'])"
expect_exit 0 "$cli" fulcra predict --model "$tmp/m.vsev" "$tmp/small.jsonl"
out_contains "self_direction"

# ---- model files: corrupt, truncated, missing, not a model
cp "$tmp/m.vsev" "$tmp/flip.vsev"
printf '\x01' | dd of="$tmp/flip.vsev" bs=1 seek=300 conv=notrunc 2>/dev/null
expect_exit 1 "$cli" fulcra predict --model "$tmp/flip.vsev" "$tmp/small.jsonl"
err_contains "VS_ECORRUPT"
head -c 1000 "$tmp/m.vsev" > "$tmp/trunc.vsev"
expect_exit 1 "$cli" fulcra predict --model "$tmp/trunc.vsev" "$tmp/small.jsonl"
err_contains "VS_ECORRUPT"
expect_exit 1 "$cli" fulcra predict --model "$tmp/small.jsonl" "$tmp/small.jsonl"
err_contains "VS_ECORRUPT"
expect_exit 1 "$cli" fulcra predict --model "$tmp/none.vsev" "$tmp/small.jsonl"
err_contains "VS_ENOTFOUND"

# ---- profile: labels and model, JSON shape
expect_exit 0 "$cli" fulcra profile "$full" --json --replicates 500
json_check "isinstance(d, list) and len(d) == 5"
json_check "all(sorted(x) == ['ci_high','ci_low','distance','distance_rank','mean','n','reward','source'] for x in d)"
json_check "sum(x['n'] for x in d) == 1718 and d[1]['source'] == 'gemini' and d[1]['n'] == 432"
json_check "all(len(x['mean']) == 10 and all(lo <= m <= hi for lo, m, hi in zip(x['ci_low'], x['mean'], x['ci_high'])) for x in d)"
# the mean-vector distance: n/a (null, no rank) where no value of the mean passes the mask (alpaca,
# whose responses express different values), never a first-ranked 0
json_check "[x['source'] for x in d if x['distance'] is None] == ['PKU-Alignment/alpaca-7b-reproduced'] and all(x['distance'] > 0 for x in d if x['distance'] is not None)"
json_check "sorted(x['distance_rank'] for x in d if x['distance'] is not None) == [1, 2, 3, 4] and all(x['distance_rank'] is None for x in d if x['distance'] is None)"
# FULCRA's mean per-response reward: <= 0, inside its interval, ranked 1..5, coverage in [0, 1]
json_check "all(x['reward']['ci_low'] <= x['reward']['mean'] <= x['reward']['ci_high'] <= 0 for x in d)"
json_check "sorted(x['reward']['rank'] for x in d) == [1, 2, 3, 4, 5] and all(0 <= x['reward']['coverage'] <= 1 for x in d)"
cp "$tmp/out" "$tmp/prof1.json"
expect_exit 0 "$cli" fulcra profile "$full" --json --replicates 500 --labels
if cmp -s "$tmp/out" "$tmp/prof1.json"; then ok; else bad "profile --labels is not the default or not deterministic"; fi
expect_exit 0 "$cli" fulcra profile "$full" --json --replicates 500 --target uk --threshold 0
json_check "all(x['distance'] > 0 for x in d)"
expect_exit 0 "$cli" fulcra profile "$tmp/small.jsonl" --model "$tmp/m.vsev" --json --replicates 100
json_check "len(d) >= 1 and all(len(x['ci_low']) == 10 for x in d)"
expect_exit 0 "$cli" fulcra profile "$tmp/small.jsonl" --replicates 100
out_contains "mean per-response BaseAlign reward"
out_contains "BaseAlign distance of the mean vector"

# ---- usage errors and failures
expect_exit 2 "$cli" fulcra cv
expect_exit 2 "$cli" fulcra cv "$tmp/small.jsonl" --folds
expect_exit 2 "$cli" fulcra cv "$tmp/small.jsonl" --bogus
expect_exit 1 "$cli" fulcra cv "$tmp/small.jsonl" --folds 1
err_contains "VS_ERANGE"
expect_exit 1 "$cli" fulcra cv "$tmp/small.jsonl" --buckets 1000
err_contains "power of two"
expect_exit 1 "$cli" fulcra cv "$tmp/missing.jsonl"
err_contains "VS_ENOTFOUND"
expect_exit 2 "$cli" fulcra train "$tmp/small.jsonl"
expect_exit 2 "$cli" fulcra predict "$tmp/small.jsonl"
expect_exit 2 "$cli" fulcra profile "$tmp/small.jsonl" --labels --model "$tmp/m.vsev"
expect_exit 2 "$cli" fulcra profile "$tmp/small.jsonl" --target mars
err_contains "unknown built-in target 'mars' (valid: default, uk, netherlands, france)"
expect_exit 1 "$cli" fulcra profile "$tmp/small.jsonl" --replicates 3
err_contains "VS_ERANGE"

# ---- the demo (when the CLI lists it)
if "$cli" --help 2>/dev/null | grep -q "^  demo "; then
    expect_exit 0 "$cli" demo --data "$tmp/small.jsonl" --out "$tmp/demo" --replicates 100 --folds 3
    out_contains "report written to"
    if [ -s "$tmp/demo/report.md" ] && [ -s "$tmp/demo/model.vsev" ]; then ok; else bad "demo report files missing"; fi
    cp "$tmp/demo/report.json" "$tmp/out"
    json_check "d['cv']['folds'] == 3 and len(d['cv']['dimensions']) == 10 and len(d['profiles_labels']) >= 1"
    json_check "set(d['profiles_predicted'][0]['basealign']) == {'default','uk','netherlands','france'}"
    expect_exit 0 "$cli" fulcra predict --model "$tmp/demo/model.vsev" "$tmp/small.jsonl" --json
    lines_check "len(L) == 240"
    expect_exit 2 "$cli" demo --folds
else
    echo "note: 'valuespace demo' is not registered in this CLI; demo checks skipped"
fi

finish "fulcra evaluator CLI"
