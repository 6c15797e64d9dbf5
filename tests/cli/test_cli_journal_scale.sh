#!/bin/bash
# Large inputs through the CLI, timed and with their peak memory (max RSS, /usr/bin/time):
#  1. projective journals of N1 and N2 = 5 x N1 records (made fast by make_journal.py from a real
#     run): `merge` and `resume` take time linear in the input (the ratio of the times is far
#     below the quadratic 25) and memory of a bounded size per record;
#  2. a line of 1 GiB (a sparse file: no disk, no time to write it) in every reader of the CLI
#     whose input is read line by line: a clear error, and memory far below the line's size.
# Usage: test_cli_journal_scale.sh CLI [N1]   (default N1 = 200000; by hand: 2000000 for 10^7)
set -u
cli=$1
n1=${2:-200000}
# a sanitizer build (tests/run.sh's ASan stage) is slower and its memory is not the program's:
# fewer records there, and the times and peaks are printed but not bounded
sanitized=0
if ldd "$cli" 2> /dev/null | grep -q 'lib[at]san'; then
    sanitized=1
    [ $# -ge 2 ] || n1=20000
    echo "a sanitizer build: $n1 records, memory and time not bounded"
fi
n2=$((5 * n1))
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
source "$here/assert.sh"

# measure NAME CMD...: runs CMD (stdout to $tmp/out, stderr to $tmp/err); sets secs, kb, st
measure() {
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err"
    st=$?
    read -r secs kb < <(tail -n 1 "$tmp/time") # (after "Command exited with non-zero status N")
    echo "$name: exit $st, $secs s, max RSS $((kb / 1024)) MiB"
}
# below A B: A < B (decimals)
below() { $py -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$1" "$2"; }

if "$cli" version | grep -q "ngram=on"; then
    expect_exit 0 "$cli" projective run --bank valuelex --backend ngram --judge loglik --seed 7 --repeats 1 \
        --journal "$tmp/t.jsonl"
    for n in $n1 $n2; do
        $py "$here/make_journal.py" "$tmp/t.jsonl" "$n" "$tmp/j$n.jsonl" || bad "make_journal.py failed"
        measure "merge of $n records" "$cli" projective merge "$tmp/j$n.jsonl" --json
        if [ "$st" -eq 0 ]; then ok; else bad "merge of $n records: exit $st: $(head -c 200 "$tmp/err")"; fi
        json_check "d['done'] == $n and d['failed'] == 0"
        eval "merge_s_$n=$secs merge_kb_$n=$kb"
        # resume: every record is there, except the last repeat's missing items (run with the model)
        measure "resume of $n records" "$cli" projective resume --journal "$tmp/j$n.jsonl" --json
        if [ "$st" -eq 0 ]; then ok; else bad "resume of $n records: exit $st: $(head -c 200 "$tmp/err")"; fi
        per=132
        json_check "d['done'] == $(((n + per - 1) / per * per)) and d['failed'] == 0"
        eval "resume_s_$n=$secs resume_kb_$n=$kb"
        rm -f "$tmp/j$n.jsonl"
    done
    for what in merge resume; do
        eval "s1=\$${what}_s_$n1 s2=\$${what}_s_$n2 k1=\$${what}_kb_$n1 k2=\$${what}_kb_$n2"
        # linear: 5 x the records take about 5 x the time (quadratic: 25 x); a floor of 0.5 s
        # keeps a fast small run from making the ratio noise
        ratio=$($py -c "print(round($s2 / max($s1, 0.5), 2))")
        echo "$what: $n2 / $n1 records: time ratio $ratio, memory $((k1 / 1024)) -> $((k2 / 1024)) MiB"
        [ "$sanitized" -eq 1 ] && continue
        if below "$ratio" 12; then ok; else bad "$what: time ratio $ratio for 5 x the records (linear 5, quadratic 25)"; fi
        # memory: at most 400 bytes per record above a 64 MiB base (about 200 are held today:
        # every record until the journal is read)
        if [ "$k2" -lt $((65536 + n2 * 400 / 1024)) ]; then ok; else bad "$what: $((k2 / 1024)) MiB for $n2 records"; fi
    done
else
    echo "ngram backend not built: journal scale checks skipped"
fi

# 2. a 1 GiB line (sparse: a few bytes of text, then 1 GiB of NUL bytes, then a newline)
huge() { printf '%s' "$2" > "$1"; truncate -s $((1 << 30)) "$1"; printf '\n' >> "$1"; }
gib_line() { # gib_line NAME STATUS ERROR-REGEX CMD...: exit STATUS, the error, under 200 MiB
    local name=$1 want=$2 re=$3; shift 3
    measure "1 GiB line, $name" "$@"
    if [ "$st" -eq "$want" ]; then ok; else bad "1 GiB line, $name: exit $st, expected $want: $(head -c 200 "$tmp/err")"; fi
    err_contains "$re"
    [ "$sanitized" -eq 1 ] && return
    if [ "$kb" -lt $((200 * 1024)) ]; then ok; else bad "1 GiB line, $name: max RSS $((kb / 1024)) MiB"; fi
}
# the numeric CSV reader (fa, cluster): a line of 1 GiB of digits, generated as it is read (a
# pipe), and the sparse file's NUL bytes (text functions would cut the line there: refused)
digits() { printf 'a,b,c\n1,2,3\n4,5,'; head -c $((1 << 30)) /dev/zero | tr '\0' 7; }
gib_line "numeric CSV (fa)" 1 ":3: a line longer than 67108864 bytes; is this a CSV file?" "$cli" fa kmo <(digits)
gib_line "numeric CSV (cluster)" 1 ":3: a line longer than" "$cli" cluster kmeans <(digits) --k 2
huge "$tmp/num.csv" $'a,b,c\n1,2,3\n4,5,'
gib_line "numeric CSV, NUL bytes" 1 "num.csv:3: a NUL byte; a CSV file is text" "$cli" fa kmo "$tmp/num.csv"
huge "$tmp/fulcra.jsonl" '{"dialogue":"'
gib_line "FULCRA JSONL" 1 "fulcra.jsonl:1:1: line longer than the limit" "$cli" fulcra check "$tmp/fulcra.jsonl" --strict
huge "$tmp/journal.jsonl" '{"schema":"valuespace/journal","version":1,"bank":"'
gib_line "projective journal (merge)" 1 "a line longer than" "$cli" projective merge "$tmp/journal.jsonl"
gib_line "projective journal (resume)" 1 "a line longer than" "$cli" projective resume --journal "$tmp/journal.jsonl"
huge "$tmp/lex.jsonl" '{"schema":"valuespace/lexical-journal","version":1,"seed":"'
gib_line "lexical journal" 1 "a line longer than" "$cli" lexical analyze --journal "$tmp/lex.jsonl" --out "$tmp/o.json"
# term matrices and word vectors (lexical analyze): read line by line since this test came
printf 'honesty,kindness,care\n1,0,1\n0,1,1\n1,1,0\n' > "$tmp/small.csv"
gib_line "term matrix CSV" 1 "VS_ELIMIT: vs_lexicon_load_csv: .*:3: a line longer than 67108864 bytes" \
    "$cli" lexical analyze --matrix <(digits) --out "$tmp/o.json"
printf 'honesty,kindness\n1,0\n0,1\x00\n' > "$tmp/nul.csv"
expect_exit 1 "$cli" lexical analyze --matrix "$tmp/nul.csv" --out "$tmp/o.json"
err_contains "VS_EPARSE: vs_lexicon_load_csv: .*nul.csv:3:4: a NUL byte"
vec() { printf '2 3\nhonesty 0.1 0.2 0.3\nkindness 0.'; head -c $((1 << 30)) /dev/zero | tr '\0' 7; }
gib_line "word vectors" 1 "VS_ELIMIT: vs_wordvecs_load: .*:3: a line longer than 67108864 bytes" \
    "$cli" lexical analyze --matrix "$tmp/small.csv" --embeddings <(vec) --out "$tmp/o.json"

finish test_cli_journal_scale
