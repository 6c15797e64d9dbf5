#!/bin/bash
# End-to-end tests of `valuespace lexical`: help, analyze on a synthetic term matrix (3 latent
# factors x 2 word clusters x 4 terms, presence thresholded from the latent model, word
# vectors drawn around cluster centres; written here by Python with a fixed seed), the JSON
# shape, the recovered structure, the space file (validated by `valuespace space validate`),
# the report, determinism, and errors (exit status and message). With the ngram backend
# built in, also `lexical elicit` into a journal and `analyze --journal` on it.
#   tests/cli/test_cli_lexical.sh CLI
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"

$py - "$tmp" <<'PYEOF'
import random, sys
out = sys.argv[1]
rng = random.Random(20261123)
NF, NC, PER, D, N = 3, 2, 4, 8, 400
P = NF * NC * PER
names = ["t%02d" % j for j in range(P)]
with open(out + "/m.csv", "w") as f:
    f.write(",".join(names) + "\n")
    for i in range(N):
        F = [rng.gauss(0, 1) for _ in range(NF)]
        row = []
        for j in range(P):
            y = 0.75 * F[j // (NC * PER)] + (1 - 0.75 ** 2) ** 0.5 * rng.gauss(0, 1)
            row.append("1" if y > 0.5 else "0")
        f.write(",".join(row) + "\n")
centres = [[rng.gauss(0, 1) for _ in range(D)] for _ in range(NF * NC)]
with open(out + "/v.vec", "w") as f:
    f.write("%d %d\n" % (P, D))
    for j in range(P):
        f.write(names[j] + " " + " ".join("%.6f" % (c + 0.2 * rng.gauss(0, 1)) for c in centres[j // PER]) + "\n")
# the same responses as an elicitation journal (3 models), each a comma list of its terms
import csv
rows = list(csv.reader(open(out + "/m.csv")))
with open(out + "/j.jsonl", "w") as f:
    f.write('{"schema":"valuespace.lexical.journal","version":1,"seed":"0","repeats":1,"max_tokens":0,'
            '"temperature":1,"n_prompts":400,"prompts_hash":"0123456789abcdef"}\n')
    for i, r in enumerate(rows[1:]):
        text = ", ".join(rows[0][j] for j, v in enumerate(r) if v == "1")
        f.write('{"id":"m%d/prompt-%02d/r1","model":"m%d","prompt":%d,"repeat":1,"seed":"1","status":"ok","text":"%s"}\n'
                % (i % 3, i + 1, i % 3, i + 1, text))
# errors: a non-numeric cell; vectors lacking a term
open(out + "/bad.csv", "w").write("a,b,c\n1,0,1\n0,x,1\n")
open(out + "/short.vec", "w").write("t00 1 0\nt01 0 1\n")
PYEOF

for args in "lexical --help" "lexical analyze --help"; do
    expect_exit 0 "$cli" $args
    out_contains "usage"
done

# analyze: the JSON shape and the recovered structure (every factor holds the terms of one
# latent factor; every cluster one word cluster)
expect_exit 0 "$cli" lexical analyze --matrix "$tmp/m.csv" --embeddings "$tmp/v.vec" --seed 3 \
    --out "$tmp/space.json" --report "$tmp/report.json" --json
cp "$tmp/out" "$tmp/a1.json"
json_check "d['n_responses'] == 400 and d['n_terms'] == 24 and d['n_factors'] == 3 and len(d['factors']) == 3"
json_check "0.5 < d['kmo'] < 1 and d['bartlett']['df'] == 24 * 23 / 2 and d['bartlett']['chi_square'] > 0 and 0 <= d['bartlett']['p_value'] < 1e-6"
json_check "all(set(t) == {'term', 'loading', 'cluster'} for f in d['factors'] for t in f['terms']) and sum(len(f['terms']) for f in d['factors']) == 24"
json_check "all(isinstance(f['name'], str) and f['name'] for f in d['factors']) and d['silhouette'] > 0.5"
json_check "all(len({int(t['term'][1:]) // 8 for t in f['terms']}) == 1 for f in d['factors'])"
json_check "len({t['cluster'] for f in d['factors'] for t in f['terms']}) == 6 and all(len({int(t['term'][1:]) // 4 for f in d['factors'] for t in f['terms'] if t['cluster'] == c}) == 1 for c in range(6))"
json_check "all(abs(t['loading']) > 0.3 for f in d['factors'] for t in f['terms'])"
expect_exit 0 "$cli" space validate "$tmp/space.json"
expect_exit 0 $py -c "import json; r = json.load(open('$tmp/report.json')); assert r['n_factors'] == 3 and len(r['terms']) == 24 and all(len(t['loadings']) == 3 for t in r['terms']) and len(r['eigenvalues']) == 24"
# deterministic for a seed; the space too
cp "$tmp/space.json" "$tmp/space1.json"
expect_exit 0 "$cli" lexical analyze --matrix "$tmp/m.csv" --embeddings "$tmp/v.vec" --seed 3 --out "$tmp/space.json" --json
same_files "$tmp/out" "$tmp/a1.json"
same_files "$tmp/space.json" "$tmp/space1.json"
# the same from the journal: the same analysis
expect_exit 0 "$cli" lexical analyze --journal "$tmp/j.jsonl" --embeddings "$tmp/v.vec" --seed 3 --out "$tmp/sj.json" --json
same_files "$tmp/out" "$tmp/a1.json"
expect_exit 0 "$cli" lexical analyze --journal "$tmp/j.jsonl" --min-models 3 --factors 3 --out "$tmp/sj.json" --json
json_check "d['n_terms'] == 24 and d['n_factors'] == 3"
expect_exit 1 "$cli" lexical analyze --journal "$tmp/j.jsonl" --min-freq 1000 --out "$tmp/sj.json"
err_contains "RANGE"
# text output; given factors; no embeddings: one sub-dimension per factor
expect_exit 0 "$cli" lexical analyze --matrix "$tmp/m.csv" --factors 3 --method minres --rotate oblimin --out "$tmp/s2.json"
out_contains "^400 responses, 24 terms"
out_contains "^3 factors, 3 sub-dimensions"
expect_exit 0 "$cli" lexical analyze --matrix "$tmp/m.csv" --factors 2 --out "$tmp/s3.json" --json
json_check "d['n_factors'] == 2 and d['silhouette'] is None and all(t['cluster'] == i for i, f in enumerate(d['factors']) for t in f['terms'])"
expect_exit 0 "$cli" space validate "$tmp/s3.json"

# errors
expect_exit 2 "$cli" lexical analyze --out "$tmp/x.json"
err_contains "exactly one of --journal and --matrix"
expect_exit 2 "$cli" lexical analyze --matrix "$tmp/m.csv" --journal "$tmp/j" --out "$tmp/x.json"
expect_exit 2 "$cli" lexical analyze --matrix "$tmp/m.csv"
err_contains "--out"
expect_exit 2 "$cli" lexical analyze --matrix "$tmp/m.csv" --factors 0 --out "$tmp/x.json"
err_contains "--factors"
expect_exit 2 "$cli" lexical analyze --matrix "$tmp/m.csv" --rotate sideways --out "$tmp/x.json"
err_contains "rotate"
expect_exit 2 "$cli" lexical analyze --matrix "$tmp/m.csv" --bogus --out "$tmp/x.json"
err_contains "unknown option '--bogus'"
expect_exit 1 "$cli" lexical analyze --matrix "$tmp/missing.csv" --out "$tmp/x.json"
err_contains "NOTFOUND"
expect_exit 1 "$cli" lexical analyze --matrix "$tmp/bad.csv" --out "$tmp/x.json"
err_contains "bad.csv:3:3"
expect_exit 1 "$cli" lexical analyze --matrix "$tmp/m.csv" --embeddings "$tmp/short.vec" --out "$tmp/x.json"
err_contains "NOTFOUND"
expect_exit 1 "$cli" lexical analyze --matrix "$tmp/m.csv" --factors 30 --out "$tmp/x.json"
err_contains "RANGE"
[ ! -e "$tmp/x.json" ] && ok || bad "a failed analysis wrote its --out file"
expect_exit 1 "$cli" lexical analyze --journal "$tmp/m.csv" --out "$tmp/x.json"
err_contains "EPARSE: .*m.csv"
printf '{"schema":"other","version":1}\n' > "$tmp/other.jsonl"
expect_exit 1 "$cli" lexical analyze --journal "$tmp/other.jsonl" --out "$tmp/x.json"
err_contains "other.jsonl:1: not an elicitation journal"

# elicit: the prompts; with the ngram backend (if built) a small deterministic, resumable run
expect_exit 0 "$cli" lexical elicit --help
out_contains "usage"
expect_exit 0 "$cli" lexical elicit --list-prompts --json
json_check "isinstance(d, list) and len(d) >= 15 and len(set(d)) == len(d)"
expect_exit 2 "$cli" lexical elicit --backend ngram --journal "$tmp/e.jsonl"
err_contains "are required"
expect_exit 2 "$cli" lexical elicit --backend ngram --models a --journal "$tmp/e.jsonl" --repeats 0
err_contains "--repeats"
expect_exit 2 "$cli" lexical elicit --backend nonesuch --models a --journal "$tmp/e.jsonl"
err_contains "unknown backend"
if "$cli" lexical elicit --backend ngram --models a --journal "$tmp/probe.jsonl" --max-tokens 1 --repeats 1 \
        > /dev/null 2> "$tmp/probe.err"; then
    expect_exit 0 "$cli" lexical elicit --backend ngram --models ng-a ng-b,max_tokens=5 --seed 7 --max-tokens 12 \
        --journal "$tmp/e1.jsonl" --json
    json_check "d['models'] == 2 and d['written'] == d['items'] == 2 * d['prompts']"
    expect_exit 0 "$cli" lexical elicit --backend ngram --models ng-a ng-b,max_tokens=5 --seed 7 --max-tokens 12 \
        --journal "$tmp/e2.jsonl"
    same_files "$tmp/e1.jsonl" "$tmp/e2.jsonl"
    lines=$(wc -l < "$tmp/e1.jsonl")
    head -c $(( $(head -n 10 "$tmp/e1.jsonl" | wc -c) + 17 )) "$tmp/e1.jsonl" > "$tmp/e2.jsonl"
    expect_exit 1 "$cli" lexical elicit --backend ngram --models ng-a ng-b,max_tokens=5 --seed 7 --max-tokens 12 \
        --journal "$tmp/e2.jsonl"
    err_contains "resume it or remove it"
    expect_exit 1 "$cli" lexical elicit --backend ngram --models ng-a ng-b,max_tokens=5 --seed 8 --max-tokens 12 \
        --journal "$tmp/e2.jsonl" --resume
    err_contains "another configuration"
    expect_exit 0 "$cli" lexical elicit --backend ngram --models ng-a ng-b,max_tokens=5 --seed 7 --max-tokens 12 \
        --journal "$tmp/e2.jsonl" --resume --json
    json_check "d['written'] == $lines - 10"
    same_files "$tmp/e1.jsonl" "$tmp/e2.jsonl"
    expect_exit 1 "$cli" lexical elicit --backend ngram --models "a/b" --journal "$tmp/e3.jsonl"
    err_contains "'/'"
else
    echo "cli lexical: no ngram backend in this build ($(head -c 200 "$tmp/probe.err")): elicit runs skipped"
fi

finish "cli lexical"
