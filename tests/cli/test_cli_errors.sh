#!/bin/bash
# End-to-end tests of errors a person can act on, and of the CSV options that avoid them: a file
# that cannot be opened names the OS reason; an unknown name (rotation, method, built-in space,
# bank, target, subcommand, flag, backend) suggests the closest valid one and exits 2; --version;
# CSV input with a byte-order mark, --sep, --skip-columns, and a non-numeric column named with
# its line. Exit statuses are checked exactly.
#   tests/cli/test_cli_errors.sh CLI
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"

# ---- a missing or unreadable file names the reason
expect_exit 1 "$cli" fa "$tmp/nosuch.csv" --factors 1
err_contains "^valuespace fa: cannot open '$tmp/nosuch.csv': No such file or directory$"
expect_exit 1 "$cli" cluster kmeans "$tmp/nosuch.csv" --k 2
err_contains "cannot open '$tmp/nosuch.csv': No such file or directory"
expect_exit 1 "$cli" space show "$tmp/nosuch.json"
err_contains "cannot open '$tmp/nosuch.json': No such file or directory"
expect_exit 1 "$cli" fulcra check "$tmp/nosuch.jsonl"
err_contains "cannot open '$tmp/nosuch.jsonl': No such file or directory"
mkdir "$tmp/dir.csv"
expect_exit 1 "$cli" fa kmo "$tmp/dir.csv"
err_contains "cannot read '$tmp/dir.csv': Is a directory"
if [ "$(id -u)" -ne 0 ]; then # root reads every file
    printf 'a,b\n1,2\n' > "$tmp/locked.csv"
    chmod 000 "$tmp/locked.csv"
    expect_exit 1 "$cli" fa kmo "$tmp/locked.csv"
    err_contains "cannot open '$tmp/locked.csv': Permission denied"
fi

# ---- unknown names: a suggestion, the valid ones, exit 2
printf 'a,b,c\n1,2,3\n2,3,1\n3,1,2\n4,4,5\n5,6,4\n' > "$tmp/x.csv"
expect_exit 2 "$cli" fa "$tmp/x.csv" --factors 1 --rotate varimx
err_contains "unknown rotation 'varimx' (did you mean 'varimax'? valid: none, varimax, quartimax, equamax,"
expect_exit 2 "$cli" fa "$tmp/x.csv" --factors 1 --method minre
err_contains "unknown method 'minre' (did you mean 'minres'?"
expect_exit 2 "$cli" fa "$tmp/x.csv" --factors 1 --scores bartlet
err_contains "unknown score method 'bartlet' (did you mean 'bartlett'?"
expect_exit 2 "$cli" cluster agglomerative "$tmp/x.csv" --k 2 --linkage avrage
err_contains "unknown linkage 'avrage' (did you mean 'average'? valid: ward, average, complete)"
expect_exit 2 "$cli" cluster kmeans "$tmp/x.csv" --k 2 --metric cosin
err_contains "unknown metric 'cosin' (did you mean 'cosine'?"
expect_exit 2 "$cli" space show schwarz10
err_contains "unknown built-in space 'schwarz10' (did you mean 'schwartz10'? valid: schwartz10, schwartz19,"
expect_exit 2 "$cli" space export fulcr
err_contains "did you mean 'fulcra'?"
expect_exit 2 "$cli" projective bank show valuelx
err_contains "unknown built-in bank 'valuelx' (did you mean 'valuelex'? valid: valuelex, schwartz10)"
raw=0.1,-0.2,0,1.0,-0.5,2.0,0.2,0.25,-1.0,0.9
expect_exit 2 "$cli" align --scores "$raw" --target netherland
err_contains "unknown built-in target 'netherland' (did you mean 'netherlands'? valid: default, uk, netherlands, france)"
expect_exit 2 "$cli" align --scores "$raw" --target uk --space schwartz1O
err_contains "--space: unknown built-in space 'schwartz1O' (did you mean 'schwartz10'?"

# subcommands, flags and backends: the CLI's own tables
expect_exit 2 "$cli" spcae list
err_contains "^valuespace: unknown command 'spcae' (did you mean 'space'?)$"
expect_exit 2 "$cli" space lsit
err_contains "unknown command 'lsit' (did you mean 'list'?)"
expect_exit 2 "$cli" xyzzy
err_contains "unknown command 'xyzzy'$"
expect_exit 2 "$cli" fa "$tmp/x.csv" --factrs 1
err_contains "unknown option '--factrs' (did you mean '--factors'?)"
expect_exit 2 "$cli" cluster kmeans "$tmp/x.csv" --k 2 --sillhouette
err_contains "unknown option '--sillhouette' (did you mean '--silhouette'?)"
expect_exit 2 "$cli" align --scores "$raw" --targt uk
err_contains "unknown option '--targt' (did you mean '--target'?)"
expect_exit 2 "$cli" fulcra profile "$tmp/x.jsonl" --replicate 10
err_contains "unknown option '--replicate' (did you mean '--replicates'?)"
expect_exit 2 "$cli" space show schwartz10 --jsn
err_contains "unknown option '--jsn' (did you mean '--json'?)"
expect_exit 2 "$cli" fa "$tmp/x.csv" --factors 1 --rotate
err_contains "option '--rotate' needs a value"
expect_exit 2 "$cli" fa "$tmp/x.csv" --completely-different 1
err_contains "unknown option '--completely-different'"
# what the build has, from `version --json` (a minimal build has no backend)
if "$cli" version --json | $py -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["components"]["ngram"] else 1)'; then
    expect_exit 2 "$cli" projective run --bank valuelex --backend ngrm --judge loglik --journal "$tmp/j.jsonl"
    err_contains "unknown backend 'ngrm' (did you mean 'ngram'? this build has: ngram"
    expect_exit 2 "$cli" lexical elicit --backend ngrm --models a --journal "$tmp/e.jsonl"
    err_contains "unknown backend 'ngrm' (did you mean 'ngram'?"
elif ! "$cli" version --json | $py -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["components"]["openai"] else 1)'; then
    expect_exit 2 "$cli" projective run --bank valuelex --backend ngram --judge loglik --journal "$tmp/j.jsonl"
    err_contains "unknown backend 'ngram': this build has no backend (install libsphinxbase-dev"
fi

# ---- --version is `version`, and the top-level help lists it
expect_exit 0 "$cli" version
cp "$tmp/out" "$tmp/version.txt"
expect_exit 0 "$cli" --version
same_files "$tmp/out" "$tmp/version.txt"
out_contains "^valuespace [0-9]"
expect_exit 0 "$cli" --version --json
json_check "'version' in d and 'version_number' in d"
expect_exit 0 "$cli" --help
out_contains "^  --version "

# ---- CSV input: byte-order mark, separators, skipped columns, non-numeric columns
# six variables in two groups of three, 40 rows, written the same way in every variant
$py - "$tmp" <<'PYEOF'
import random, sys
d = sys.argv[1]
random.seed(7)
rows = []
for i in range(40):
    f1, f2 = random.gauss(0, 1), random.gauss(0, 1)
    rows.append([f1 + random.gauss(0, .6) for _ in range(3)] + [f2 + random.gauss(0, .6) for _ in range(3)])
names = ["honesty", "care", "loyalty", "power", "wealth", "status"]
def write(file, sep, bom=False, extra=False):
    with open(f"{d}/{file}", "w", encoding="utf-8", newline="") as f:
        if bom:
            f.write("\ufeff")
        head = (["id"] + names + ["text"]) if extra else names
        f.write(sep.join(head) + "\n")
        for i, r in enumerate(rows):
            cells = ["%.6f" % x for x in r]
            if extra:  # a quoted text field holding the separator and a doubled quote
                cells = [str(i + 1)] + cells + ['"said ""hi""%s then left"' % sep]
            f.write(sep.join(cells) + "\n")
write("comma.csv", ",")
write("semi.csv", ";")
write("tab.csv", "\t")
write("bom.csv", ",", bom=True)
write("extra.csv", ",", extra=True)
write("extra_semi.csv", ";", extra=True)
PYEOF
expect_exit 0 "$cli" fa "$tmp/comma.csv" --factors 2 --json
cp "$tmp/out" "$tmp/comma.json"
json_check "d['variables'] == ['honesty', 'care', 'loyalty', 'power', 'wealth', 'status']"
# a byte-order mark is not part of the first column's name
expect_exit 0 "$cli" fa "$tmp/bom.csv" --factors 2 --json
json_check "d['variables'][0] == 'honesty'"
same_files "$tmp/out" "$tmp/comma.json"
# --sep ';', --sep '\t' and --sep tab read the same numbers
expect_exit 0 "$cli" fa "$tmp/semi.csv" --sep ';' --factors 2 --json
same_files "$tmp/out" "$tmp/comma.json"
expect_exit 0 "$cli" fa "$tmp/tab.csv" --sep '\t' --factors 2 --json
same_files "$tmp/out" "$tmp/comma.json"
expect_exit 0 "$cli" fa "$tmp/tab.csv" --sep tab --factors 2 --json
same_files "$tmp/out" "$tmp/comma.json"
expect_exit 2 "$cli" fa "$tmp/semi.csv" --sep ';;' --factors 2
err_contains "--sep needs one character"
# read with the wrong separator: one column, and the message says which --sep to give
expect_exit 1 "$cli" fa "$tmp/semi.csv" --factors 2
err_contains "semi.csv:2: .*is the separator ';'? (--sep ';')"
# --skip-columns drops id and text (quoted, holding the separator) by name
expect_exit 0 "$cli" fa "$tmp/extra.csv" --skip-columns id,text --factors 2 --json
same_files "$tmp/out" "$tmp/comma.json"
expect_exit 0 "$cli" fa "$tmp/extra_semi.csv" --sep ';' --skip-columns text,id --factors 2 --json
same_files "$tmp/out" "$tmp/comma.json"
# every fa subcommand and cluster take them too
expect_exit 0 "$cli" fa kmo "$tmp/comma.csv" --json
cp "$tmp/out" "$tmp/kmo.json"
expect_exit 0 "$cli" fa kmo "$tmp/extra_semi.csv" --sep ';' --skip-columns id,text --json
same_files "$tmp/out" "$tmp/kmo.json"
for sub in bartlett parallel map; do
    expect_exit 0 "$cli" fa $sub "$tmp/comma.csv" --json
    cp "$tmp/out" "$tmp/$sub.json"
    expect_exit 0 "$cli" fa $sub "$tmp/extra.csv" --skip-columns id,text --json
    same_files "$tmp/out" "$tmp/$sub.json"
done
expect_exit 0 "$cli" cluster kmeans "$tmp/comma.csv" --k 2 --seed 1 --json
cp "$tmp/out" "$tmp/kmeans.json"
expect_exit 0 "$cli" cluster kmeans "$tmp/extra_semi.csv" --sep ';' --skip-columns id,text --k 2 --seed 1 --json
same_files "$tmp/out" "$tmp/kmeans.json"
expect_exit 0 "$cli" cluster agglomerative "$tmp/tab.csv" --sep tab --k 2 --json
json_check "d['d'] == 6 and d['n'] == 40"
# an unknown name to skip is a usage error that names it and suggests
expect_exit 2 "$cli" fa "$tmp/extra.csv" --skip-columns id,txt --factors 2
err_contains "--skip-columns: .*extra.csv has no column 'txt' (did you mean 'text'?)"
expect_exit 2 "$cli" cluster kmeans "$tmp/extra.csv" --skip-columns nothing --k 2
err_contains "has no column 'nothing'"
# a column left in that is not numeric: its name, the line and the value
expect_exit 1 "$cli" fa "$tmp/extra.csv" --skip-columns id --factors 2
err_contains "^valuespace fa: .*extra.csv:2: column 'text' is not numeric ('said \"hi\", then left'); drop it with --skip-columns text$"
printf 'name,x,y\nalice,1,2\nbob,2,1\n' > "$tmp/names.csv"
expect_exit 1 "$cli" cluster kmeans "$tmp/names.csv" --k 2
err_contains "names.csv:2: column 'name' is not numeric ('alice'); drop it with --skip-columns name"
# a row with a different number of fields
printf 'a,b\n1,2\n3\n' > "$tmp/short.csv"
expect_exit 1 "$cli" fa kmo "$tmp/short.csv"
err_contains "short.csv:3: 1 fields, expected 2 as in the header"

finish "cli errors"
