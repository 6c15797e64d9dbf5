#!/bin/bash
# The ValueLex pipeline end to end on real resources that work offline (Debian packages):
#   (a) `valuespace lexical elicit` runs the built-in prompts over the ngram backend (the CMU
#       trigram speech model of pocketsphinx-en-us) under three model ids that differ in their
#       backend option max_tokens (10, 15, 20 words), 3 repeats, a fixed seed -> a JSONL journal;
#   (b) word vectors trained now by Debian's fastText (cbow, dim 50, 2 epochs, -thread 1 and a
#       fixed -seed) on the glosses of WordNet 3.0 (/usr/share/wordnet/data.{noun,verb,adj,adv},
#       the text after '|', lower-cased; ~1.46 M tokens) -> a .vec file;
#   (c) `valuespace lexical analyze --journal J --lemmatize wordnet --embeddings V.vec ...`
#       -> a space file, a JSON report and the --json summary;
#   (d) checks: the space loads back (`space validate`, `space show`) with dimensions =
#       factors, sub-dimensions under them and the terms as aliases; the report's keys and
#       sizes; lemmatisation changes the lexicon; and determinism: the whole pipeline, run
#       twice in fresh directories, gives byte-identical journals, vectors (fastText with one
#       thread and a seed is deterministic: checked here), reports and space files.
#
# Between (a) and (c) each response becomes the comma list of its words without function
# words (a fixed list below). A trigram model writes sentence fragments, not lists, so its text
# holds no list separators and every response would be one term of up to 20 words; the lexicon
# drops terms of more than 3 words, and what is left is (nearly) one term per response: no term
# co-occurrence to factor. The list is what a model that answers with value words gives directly.
#
# What this shows: the machinery and its determinism on real text. What it cannot show: values.
# The "terms" are the common words of a 2010s speech trigram model, and the factors reflect
# which of them co-occur in its 10-20-word fragments (the prompts barely matter: the model
# conditions on two words of the current sentence only).
#
# Skips (exit 77) when the CLI was built without the ngram backend or the WordNet lemmatiser,
# or when fasttext is not installed (Debian: libsphinxbase-dev pocketsphinx-en-us, wordnet-dev
# wordnet-base, fasttext; .ci/install-deps.sh test installs them; with CI=true a missing piece
# fails instead). Takes ~40 s.
#   tests/cli/test_lexical_e2e.sh CLI
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wndir=${WNSEARCHDIR:-/usr/share/wordnet}
start=$SECONDS

source "$(dirname "$0")/assert.sh"

skip() {
    # CI installs everything this test needs (.ci/install-deps.sh test): there a skip is a failure
    if [ "${CI:-}" = true ]; then
        echo "lexical e2e: FAIL (CI=true, nothing may be missing): $*"
        exit 1
    fi
    echo "lexical e2e: SKIP: $*"
    exit 77
}

# ---- what this build and machine have
"$cli" lexical analyze --lemmatize wordnet > /dev/null 2> "$tmp/probe.err"
if grep -q "built without the WordNet lemmatiser" "$tmp/probe.err"; then
    skip "this valuespace has no WordNet lemmatiser (install wordnet-dev and rebuild)"
fi
if ! "$cli" lexical elicit --backend ngram --models probe --journal "$tmp/probe.jsonl" --max-tokens 1 \
        > /dev/null 2> "$tmp/probe.err"; then
    if grep -q "unknown backend" "$tmp/probe.err"; then
        skip "this valuespace has no ngram backend (install libsphinxbase-dev pocketsphinx-en-us and rebuild)"
    fi
    bad "the ngram probe failed: $(head -c 300 "$tmp/probe.err")"
    finish "lexical e2e"
    exit 1
fi
command -v fasttext > /dev/null 2>&1 || skip "fasttext is not installed (Debian package fasttext)"
for p in noun verb adj adv; do
    [ -r "$wndir/data.$p" ] || { bad "no WordNet data file $wndir/data.$p (wordnet-base)"; finish "lexical e2e"; exit 1; }
done

# ---- --lemmatize: its errors
expect_exit 2 "$cli" lexical analyze --journal "$tmp/probe.jsonl" --lemmatize stem --out "$tmp/x.json"
err_contains "--lemmatize needs none or wordnet, not 'stem'"
expect_exit 2 "$cli" lexical analyze --matrix "$tmp/m.csv" --lemmatize wordnet --out "$tmp/x.json"
err_contains "--lemmatize applies to --journal"
expect_exit 1 env WNSEARCHDIR=/nonexistent/wordnet "$cli" lexical analyze --journal "$tmp/probe.jsonl" \
    --lemmatize wordnet --out "$tmp/x.json"
err_contains "cannot open WordNet's dictionary (install the Debian package wordnet-base"
[ ! -e "$tmp/x.json" ] && ok || bad "a failed analysis wrote its --out file"

# ---- helpers (Python for text munging only)
cat > "$tmp/glosses.py" <<'PYEOF'
# WordNet glosses as a training corpus: one gloss per line, lower case, words of letters,
# digits, inner hyphens and apostrophes.
import re, sys
wndir, out = sys.argv[1], sys.argv[2]
word = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
with open(out, "w") as g:
    for pos in ("noun", "verb", "adj", "adv"):
        with open("%s/data.%s" % (wndir, pos), encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("  ") or "|" not in line:  # the licence header
                    continue
                g.write(" ".join(word.findall(line.split("|", 1)[1].lower())) + "\n")
PYEOF
cat > "$tmp/words.py" <<'PYEOF'
# Journal -> journal whose successful texts are the comma lists of their words minus function words.
import json, sys
STOP = set("""a an the and or but if so as than then that this these those there here
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves one ones
what which who whom whose when where why how all any both each few more most other some such
no nor not only own same too very just also again ever even still yet
am is are was were be been being have has had having do does did doing done
will would shall should can could may might must
to of in on at by for with about against between into through during before after above below
from up down out off over under until while because since
i'm i've i'd i'll you're you've you'd you'll he's she's it's we're we've we'd we'll they're
they've they'd they'll that's there's what's who's let's isn't aren't wasn't weren't don't
doesn't didn't haven't hasn't hadn't won't wouldn't can't couldn't shouldn't
uh um oh yeah okay ok""".split())
src, dst = sys.argv[1], sys.argv[2]
with open(src) as f, open(dst, "w") as g:
    lines = [l for l in f.read().split("\n") if l.strip()]
    g.write(lines[0] + "\n")
    for line in lines[1:]:
        r = json.loads(line)
        if r.get("status") == "ok":
            words = [w.strip(".!?") for w in r["text"].split()]
            r["text"] = ", ".join(w for w in words if w and w not in STOP)
        g.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
PYEOF

# pipeline DIR: (a) elicit, word lists, (b) corpus + fastText, (c) analyze; every step checked
pipeline() {
    local d=$1
    mkdir -p "$d"
    expect_exit 0 "$cli" lexical elicit --backend ngram \
        --models ng-short,max_tokens=10 ng-mid,max_tokens=15 ng-long,max_tokens=20 \
        --seed 2026 --repeats 3 --journal "$d/journal.jsonl" --json
    cp "$tmp/out" "$d/elicit.json"
    expect_exit 0 $py "$tmp/words.py" "$d/journal.jsonl" "$d/words.jsonl"
    expect_exit 0 $py "$tmp/glosses.py" "$wndir" "$d/glosses.txt"
    expect_exit 0 fasttext cbow -input "$d/glosses.txt" -output "$d/vectors" -dim 50 -epoch 2 -lr 0.3 \
        -minCount 2 -maxn 0 -thread 1 -seed 7 -verbose 0
    expect_exit 0 "$cli" lexical analyze --journal "$d/words.jsonl" --lemmatize wordnet \
        --embeddings "$d/vectors.vec" --min-freq 3 --min-models 2 --seed 5 \
        --out "$d/space.json" --report "$d/report.json" --json
    cp "$tmp/out" "$d/analyze.json"
}

pipeline "$tmp/run1"
r=$tmp/run1

# (a) the journal: every item written, all successful
cp "$r/elicit.json" "$tmp/out"
json_check "d['models'] == 3 and d['repeats'] == 3 and d['written'] == d['items'] == 9 * d['prompts'] and d['prompts'] >= 15"
items=$($py -c "import json; print(json.load(open('$r/elicit.json'))['items'])")
cp "$r/journal.jsonl" "$tmp/out"
lines_check "len(L) == 1 + $items and L[0]['schema'] == 'valuespace/lexical-journal' and all(x['status'] == 'ok' and x['text'] for x in L[1:])"
lines_check "sorted({x['model'] for x in L[1:]}) == ['ng-long', 'ng-mid', 'ng-short']"
# (b) the vectors: a .vec of dimension 50 over the glosses' vocabulary
read -r nvec dim < "$r/vectors.vec"
if [ "${dim:-0}" -eq 50 ] && [ "${nvec:-0}" -gt 20000 ]; then ok; else bad "vectors.vec header '$nvec $dim'"; fi
# (c) the summary: every response a row, a few dozen terms, at least one factor
cp "$r/analyze.json" "$tmp/out"
json_check "d['n_responses'] == $items and 10 <= d['n_terms'] <= 200 and d['n_factors'] >= 1 and len(d['factors']) == d['n_factors']"
json_check "sum(len(f['terms']) for f in d['factors']) == d['n_terms'] and all(f['name'] for f in d['factors'])"
json_check "0 < d['kmo'] < 1 and d['bartlett']['df'] == d['n_terms'] * (d['n_terms'] - 1) / 2 and d['silhouette'] is not None"
# the report: its keys and sizes, every factor with its sub-dimensions
cp "$r/report.json" "$tmp/out"
json_check "{'n_responses', 'n_terms', 'matrix', 'kmo', 'bartlett', 'parallel_factors', 'n_factors', 'method', 'rotation', 'silhouette', 'terms', 'eigenvalues', 'factors'} <= set(d)"
json_check "d['matrix'] == 'presence' and d['method'] == 'minres' and d['rotation'] == 'oblimin' and d['parallel_factors'] == d['n_factors']"
json_check "len(d['terms']) == d['n_terms'] == len(d['eigenvalues']) and all(len(t['loadings']) == d['n_factors'] for t in d['terms'])"
json_check "len(d['factors']) == d['n_factors'] and all(f['subdims'] and all(s['terms'] for s in f['subdims']) for f in d['factors'])"
json_check "sorted(x for f in d['factors'] for s in f['subdims'] for x in s['terms']) == sorted(t['term'] for t in d['terms'])"
# (d) the space loads back: dimensions = factors, sub-dimensions under them, terms as aliases
expect_exit 0 "$cli" space validate "$r/space.json"
expect_exit 0 "$cli" space show "$r/space.json" --json
cp "$tmp/out" "$tmp/show.json"
nf=$($py -c "import json; print(json.load(open('$r/report.json'))['n_factors'])")
ns=$($py -c "import json; print(sum(len(f['subdims']) for f in json.load(open('$r/report.json'))['factors']))")
json_check "len([x for x in d['dimensions'] if x['level'] == 'dimension']) == $nf and len([x for x in d['dimensions'] if x['level'] == 'subdimension']) == $ns >= $nf"
json_check "all(x['parent'] in {y['key'] for y in d['dimensions'] if y['level'] == 'dimension'} for x in d['dimensions'] if x['level'] == 'subdimension')"
cp "$r/space.json" "$tmp/out"
cp "$r/report.json" "$tmp/expect.json"
json_check "d['schema'] == 'valuespace/space' and 0 < len([a for y in d['dimensions'] for a in y.get('aliases', [])]) and {a for y in d['dimensions'] for a in y.get('aliases', [])} <= {t['term'] for t in x['terms']}"
rm -f "$tmp/expect.json"
# lemmatisation changes the lexicon (forms of one lemma count together)
expect_exit 0 "$cli" lexical analyze --journal "$r/words.jsonl" --lemmatize none --embeddings "$r/vectors.vec" \
    --min-freq 3 --min-models 2 --seed 5 --out "$tmp/space-none.json" --report "$tmp/report-none.json"
expect_exit 0 $py -c "import json; a = {t['term'] for t in json.load(open('$r/report.json'))['terms']}; b = {t['term'] for t in json.load(open('$tmp/report-none.json'))['terms']}; assert a != b, (a, b)"

# determinism: the whole pipeline again, in a fresh directory
pipeline "$tmp/run2"
for f in journal.jsonl words.jsonl glosses.txt vectors.vec report.json space.json analyze.json; do
    same_files "$tmp/run1/$f" "$tmp/run2/$f"
done

$py - "$r" <<'PYEOF'
import json, sys
r = sys.argv[1]
rep = json.load(open(r + "/report.json"))
vec = open(r + "/vectors.vec").readline().split()
print("lexical e2e: %d responses, %d terms, %d factor(s) (parallel analysis %d), %d sub-dimension(s), "
      "KMO %.3f, silhouette %.3f; %s word vectors of dimension %s"
      % (rep["n_responses"], rep["n_terms"], rep["n_factors"], rep["parallel_factors"],
         sum(len(f["subdims"]) for f in rep["factors"]), rep["kmo"], rep["silhouette"], vec[0], vec[1]))
for f in rep["factors"]:
    print("  %s: %s" % (f["name"], " | ".join(", ".join(s["terms"][:8]) for s in f["subdims"])))
PYEOF
echo "lexical e2e: $((SECONDS - start)) s"
finish "lexical e2e"
