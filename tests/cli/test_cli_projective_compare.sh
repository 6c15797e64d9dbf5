#!/bin/bash
# valuespace projective compare: journals made with the ngram backend (loglik, a second seed run
# as two shards, a copy whose records of one dimension all failed so that it has no score), the
# report directory checked by check_projective_compare.py against a recomputation from the
# journals (scores, the bootstrap replicates from the documented weights, the difference
# intervals, the figure's marks, the CSVs), and bad input: no run, a journal given twice,
# different banks, different replicates, a missing file. Skipped (77) without the ngram backend.
#   tests/cli/test_cli_projective_compare.sh CLI SOURCE_DIR
set -u
cli=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"
"$cli" version --json > "$tmp/version.json"
if [ "$($py -c "import json; print(int(json.load(open('$tmp/version.json'))['components']['ngram']))")" = 0 ]; then
    echo "skipped: built without the ngram backend"; exit 77
fi
run() { "$cli" projective run --backend ngram --judge loglik --repeats 1 "$@" > /dev/null 2>&1; }
cd "$tmp" || exit 1
run --bank valuelex --journal a.jsonl && ok || bad "projective run a"
run --bank valuelex --seed 7 --repeats 2 --shard 0/2 --journal b0.jsonl && ok || bad "projective run b0"
run --bank valuelex --seed 7 --repeats 2 --shard 1/2 --journal b1.jsonl && ok || bad "projective run b1"
run --bank schwartz10 --journal s.jsonl && ok || bad "projective run s"
# every record of the dimension "ethical" failed: that run has no score there
$py - <<'PY'
import json
L = [json.loads(x) for x in open("a.jsonl")]
eth = [d["key"] for d in L[0]["dimensions"]].index("ethical")
with open("f.jsonl", "w") as f:
    f.write(json.dumps(L[0]) + "\n")
    for r in L[1:]:
        if eth in r["dims"]:
            r = {k: v for k, v in r.items() if k not in ("logprob_high", "logprob_low")}
            r.update(status="permanent", judgements=[], error="test: no answer")
        f.write(json.dumps(r) + "\n")
h = dict(L[0], replicates=200)
with open("r200.jsonl", "w") as f:
    f.write(json.dumps(h) + "\n" + "".join(json.dumps(r) + "\n" for r in L[1:]))
PY

expect_exit 0 "$cli" projective compare --help
out_contains "a0.jsonl,a1.jsonl"
expect_exit 0 "$cli" projective compare a.jsonl b0.jsonl,b1.jsonl f.jsonl --out rep
out_contains "n/a (0 of 0 related)"
out_contains "ngram (seed=7)"
for f in report.html report.md report.json scores.csv differences.csv; do
    [ -s "rep/$f" ] && ok || bad "no rep/$f"
done
grep -q "^| ethical .* n/a (0 of 0 related) |" rep/report.md && ok || bad "report.md: ethical of run 3 is not n/a"
if $py "$src/tests/cli/check_projective_compare.py" rep > check.log 2>&1; then ok
else bad "check_projective_compare.py: $(grep -m5 FAIL check.log)$(tail -2 check.log)"; fi
# the sharded run is the run merged: its column equals `projective merge` of the shards
"$cli" projective merge b0.jsonl b1.jsonl --json > merged.json
$py -c "
import json, sys
m = json.load(open('merged.json'))['dimensions']; r = json.load(open('rep/report.json'))['runs'][1]['scores']
sys.exit(0 if [(d['key'], d['score'], d['ci_low'], d['ci_high']) for d in m] == [(s['key'], s['score'], s['ci_low'], s['ci_high']) for s in r] else 1)" \
    && ok || bad "the sharded column differs from projective merge"
# --json prints report.json
expect_exit 0 "$cli" projective compare a.jsonl f.jsonl --out rep2 --json
json_check "d['schema'] == 'valuespace/projective-compare' and len(d['runs']) == 2 and d['differences'][0]['paired']"
same_files "$tmp/out" rep2/report.json

# bad input: specific statuses, one sentence, no report written
expect_exit 2 "$cli" projective compare --out bad1
err_contains "no run to compare"
expect_exit 2 "$cli" projective compare a.jsonl --out
expect_exit 2 "$cli" projective compare a.jsonl
err_contains "--out DIR is required"
expect_exit 2 "$cli" projective compare a.jsonl a.jsonl --out bad2
err_contains "a.jsonl is given twice (run 1 and run 2); give each journal once"
expect_exit 2 "$cli" projective compare a.jsonl b0.jsonl,./a.jsonl --out bad3
err_contains "given twice"
expect_exit 2 "$cli" projective compare a.jsonl b0.jsonl, --out bad4
err_contains "empty journal name"
expect_exit 1 "$cli" projective compare a.jsonl s.jsonl --out bad5
err_contains "run 2 (s.jsonl) used bank 'schwartz10'.*compare runs of one bank"
expect_exit 1 "$cli" projective compare a.jsonl r200.jsonl --out bad6
err_contains "has 200 bootstrap replicates and run 1 1000"
expect_exit 1 "$cli" projective compare a.jsonl missing.jsonl --out bad7
err_contains "cannot read missing.jsonl"
expect_exit 1 "$cli" projective compare b0.jsonl,s.jsonl --out bad8   # shards of different banks
expect_exit 1 "$cli" projective compare a.jsonl b0.jsonl --out bad9     # one shard of two as a run
err_contains "run 2 has 1 of the 2 shards of its run (b0.jsonl); give all its shard journals joined by commas"
for d in bad1 bad2 bad3 bad4 bad5 bad6 bad7 bad8 bad9; do
    [ -e "$d/report.json" ] && bad "$d/report.json written after an error" || ok
done
finish cli_projective_compare
