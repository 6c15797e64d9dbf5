#!/bin/bash
# Faults during journalled runs (`projective run`, `lexical elicit`), end to end with the real CLI:
#  1. the disk fills during a run (a small tmpfs; `ulimit -f` where mounting is not permitted):
#     a clear error, the journal intact up to its last complete record, `resume` completes it once
#     there is space again, and the scores equal those of an uninterrupted run;
#  2. the disk is full before the header, and a file size limit of 0 (`ulimit -f 0`, SIGXFSZ
#     ignored): a clear error, `resume` says what to do with the empty or header-torn journal and
#     `run` starts on it;
#  3. SIGINT and SIGTERM in the middle of `projective run` and `lexical elicit` (against the fake
#     OpenAI-compatible server with a latency): exit 130 / 143 with a message, every journal line
#     complete, resume completes the run with the scores (the journal) of an uninterrupted one; a
#     second signal kills at once;
#  4. `resume` and `merge` accept exactly the same damaged journals (torn last line, CRLF, NUL),
#     and after a resume `merge` gives its scores.
# Usage: test_cli_faults.sh CLI
set -u
cli=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
server_pid=
mnt=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2> /dev/null
    [ -n "$mnt" ] && umount "$mnt" 2> /dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

source "$here/assert.sh"

# every line of a journal is a complete JSON document ending in a newline
journal_complete() {
    if $py -c "import json,sys; b=open(sys.argv[1],'rb').read(); sys.exit(0 if b.endswith(b'\n') and all(json.loads(l) for l in b.splitlines()) else 1)" "$1"
    then ok; else bad "$1: not every line is a complete JSON record: $(tail -c 120 "$1")"; fi
}
lines_at_least() { if [ "$(wc -l < "$1")" -ge "$2" ]; then ok; else bad "$1 has $(wc -l < "$1") lines, expected >= $2"; fi; }

# a journal's records (the header first, then the records sorted), without the timing fields
# (latency_us, attempts) that differ between two runs of the same configuration
records() { $py -c "import json,sys; L=[json.loads(l) for l in (sys.stdin if sys.argv[1] == '-' else open(sys.argv[1]))]; R=sorted((json.dumps({k:v for k,v in r.items() if k not in ('latency_us','attempts')},sort_keys=True) for r in L[1:])); print(json.dumps(L[0],sort_keys=True)); print('\n'.join(R))" "$1"; }
# limited BLOCKS CMD...: CMD under a file size limit of BLOCKS x 1 KiB (ulimit -f) in a subshell;
# its output must go to pipes (the limit applies to every regular file it writes)
limited() { local n=$1; shift; (ulimit -f "$n"; "$@"); }

# the help texts name the signals' exit statuses
expect_exit 2 "$cli"
err_contains "130 / 143 a journalled run stopped by SIGINT / SIGTERM"
expect_exit 0 "$cli" projective run --help
out_contains "130 / 143 stopped by SIGINT / SIGTERM"

have_ngram=1
"$cli" version | grep -q "ngram=on" || have_ngram=0
run_ngram() { "$cli" projective run --bank valuelex --backend ngram --judge loglik --seed 7 --repeats 2 "$@"; }

if [ "$have_ngram" -eq 1 ]; then
    expect_exit 0 run_ngram --journal "$tmp/full.jsonl" --json
    cp "$tmp/out" "$tmp/full.json"

    # 1. the disk fills in the middle of the run
    mnt=$tmp/mnt
    mkdir -p "$mnt"
    # (VS_TEST_NO_MOUNT=1 takes the file size limit path, as where mounting is not permitted)
    if [ -z "${VS_TEST_NO_MOUNT:-}" ] && mount -t tmpfs -o size=64k tmpfs "$mnt" 2> /dev/null; then
        echo "disk full: a 64 KiB tmpfs"
        expect_exit 1 run_ngram --journal "$mnt/j.jsonl" --json
        err_contains "write failed: No space left on device"
        err_contains "every complete record is in the journal; free space (or raise the file size limit), then run the rest with \`valuespace projective resume --journal $mnt/j.jsonl\`"
        cp "$mnt/j.jsonl" "$tmp/cut.jsonl"
        # intact up to the last complete record: the complete lines are those of the full run
        complete=$(grep -c '' "$tmp/cut.jsonl")
        [ -n "$(tail -c 1 "$tmp/cut.jsonl")" ] && complete=$((complete - 1))
        if [ "$complete" -ge 20 ] && cmp -s <(head -n "$complete" "$tmp/cut.jsonl" | records -) \
                                            <(head -n "$complete" "$tmp/full.jsonl" | records -)
        then ok; else bad "the journal on the full disk is not the full run's first $complete records"; fi
        # space again: resume completes it, with the scores of the uninterrupted run
        mount -o remount,size=8m "$mnt"
        expect_exit 0 "$cli" projective resume --journal "$mnt/j.jsonl" --json
        same_files "$tmp/full.json" "$tmp/out"
        journal_complete "$mnt/j.jsonl"
        if [ "$(wc -l < "$mnt/j.jsonl")" -eq 265 ]; then ok; else bad "resumed journal: $(wc -l < "$mnt/j.jsonl") lines"; fi

        # 2. full before the header: a filler takes every block
        rm -f "$mnt/j.jsonl"
        mount -o remount,size=16k "$mnt"
        dd if=/dev/zero of="$mnt/filler" bs=4k count=8 2> /dev/null
        expect_exit 1 run_ngram --journal "$mnt/h.jsonl" --json
        err_contains "write failed: No space left on device"
        err_contains "nothing was recorded; free space (or raise the file size limit), then start the run again"
        if [ ! -s "$mnt/h.jsonl" ]; then ok; else bad "the journal on a full disk is not empty"; fi
        expect_exit 1 "$cli" projective resume --journal "$mnt/h.jsonl"
        err_contains "is empty or holds only a torn header .* start the run again with the same \`valuespace projective run\` command"
        rm -f "$mnt/filler"
        mount -o remount,size=8m "$mnt"
        expect_exit 0 run_ngram --journal "$mnt/h.jsonl" --json
        same_files "$tmp/full.json" "$tmp/out"
        umount "$mnt"
        mnt=
    else
        echo "disk full: mounting a tmpfs is not permitted here; a file size limit (ulimit -f) stands in for it"
        limited 40 run_ngram --journal "$tmp/j.jsonl" --json 2>&1 > /dev/null | cat > "$tmp/err"
        st=${PIPESTATUS[0]}
        if [ "$st" -eq 1 ]; then ok; else bad "at the file size limit: exit $st, expected 1"; fi
        err_contains "write failed: File too large"
        err_contains "every complete record is in the journal"
        expect_exit 0 "$cli" projective resume --journal "$tmp/j.jsonl" --json
        same_files "$tmp/full.json" "$tmp/out"
        journal_complete "$tmp/j.jsonl"
    fi

    # 2. a file size limit of 0: an error message (SIGXFSZ ignored), not death by signal
    limited 0 "$cli" projective run --bank valuelex --backend ngram --judge loglik --journal "$tmp/z.jsonl" 2>&1 \
        > /dev/null | cat > "$tmp/err"
    st=${PIPESTATUS[0]}
    if [ "$st" -eq 1 ]; then ok; else bad "ulimit -f 0: exit $st, expected 1 (153 = killed by SIGXFSZ)"; fi
    err_contains "journal '$tmp/z.jsonl': write failed: File too large"
    expect_exit 1 "$cli" projective resume --journal "$tmp/z.jsonl"
    err_contains "is empty or holds only a torn header"
    # a torn header (the first bytes of the first line) is no journal to resume; run starts on it
    head -c 25 "$tmp/full.jsonl" > "$tmp/torn.jsonl"
    expect_exit 1 "$cli" projective resume --journal "$tmp/torn.jsonl"
    err_contains "is empty or holds only a torn header"
    expect_exit 1 "$cli" projective merge "$tmp/torn.jsonl"
    expect_exit 0 run_ngram --journal "$tmp/torn.jsonl" --json
    same_files "$tmp/full.json" "$tmp/out"
    # ... but a file that is not the start of a journal is never overwritten
    printf 'my notes' > "$tmp/notes.txt"
    expect_exit 1 run_ngram --journal "$tmp/notes.txt"
    err_contains "VS_ESTATE"
    if [ "$(cat "$tmp/notes.txt")" = "my notes" ]; then ok; else bad "run overwrote a file that is no journal"; fi
    # the elicitation: a file size limit of 0, then --resume on the empty journal
    limited 0 "$cli" lexical elicit --backend ngram --models m1 --journal "$tmp/el0.jsonl" 2>&1 > /dev/null | cat > "$tmp/err"
    st=${PIPESTATUS[0]}
    if [ "$st" -eq 1 ]; then ok; else bad "lexical elicit at ulimit -f 0: exit $st, expected 1"; fi
    err_contains "write failed: File too large"
    expect_exit 0 "$cli" lexical elicit --backend ngram --models m1 --journal "$tmp/el0.jsonl" --resume --json
    json_check "d['ok'] == 17 and d['written'] == 17"
else
    echo "ngram backend not built: disk-full checks skipped"
fi

# 4. damaged journals: resume and merge accept the same ones, and agree afterwards
if [ "$have_ngram" -eq 1 ]; then
    head -n 41 "$tmp/full.jsonl" > "$tmp/base.jsonl"
    # torn last line
    { cat "$tmp/base.jsonl"; sed -n 42p "$tmp/full.jsonl" | head -c 30; } > "$tmp/d-torn.jsonl"
    # CRLF line ends
    sed 's/$/\r/' "$tmp/base.jsonl" > "$tmp/d-crlf.jsonl"
    # a NUL byte in a record (in the middle of the file) and in the torn last line
    { head -n 10 "$tmp/base.jsonl"; sed -n 11p "$tmp/base.jsonl" | sed 's/"item"/"it\x00em"/'; sed -n '12,$p' "$tmp/base.jsonl"; } > "$tmp/d-nul.jsonl"
    { cat "$tmp/base.jsonl"; printf '{"item":"\x00'; } > "$tmp/d-nultail.jsonl"
    for d in torn crlf nul nultail; do
        f=$tmp/d-$d.jsonl
        cp "$f" "$tmp/m.jsonl"
        "$cli" projective merge "$tmp/m.jsonl" --json > "$tmp/merge.out" 2> "$tmp/merge.err"
        ms=$?
        cp "$f" "$tmp/r.jsonl"
        "$cli" projective resume --journal "$tmp/r.jsonl" --json > "$tmp/resume.out" 2> "$tmp/resume.err"
        rs=$?
        if { [ "$ms" -eq 0 ] && [ "$rs" -eq 0 ]; } || { [ "$ms" -ne 0 ] && [ "$rs" -ne 0 ]; }; then ok
        else bad "$d: merge exited $ms, resume $rs: $(head -c 200 "$tmp/merge.err") / $(head -c 200 "$tmp/resume.err")"; fi
        if [ "$rs" -eq 0 ]; then
            same_files "$tmp/full.json" "$tmp/resume.out"
            expect_exit 0 "$cli" projective merge "$tmp/r.jsonl" --json
            same_files "$tmp/full.json" "$tmp/out"
        else
            # refused: both name the same status, and the journal is left as it was
            if [ "$(grep -o 'VS_E[A-Z]*' "$tmp/merge.err" | head -1)" = "$(grep -o 'VS_E[A-Z]*' "$tmp/resume.err" | head -1)" ]
            then ok; else bad "$d: merge and resume refuse with different statuses"; fi
            same_files "$f" "$tmp/r.jsonl"
        fi
        echo "damaged journal '$d': merge $ms, resume $rs"
    done
fi

# 3. signals, against the fake server (a latency per answer, echoed logprobs for the loglik judge)
if ! "$cli" version | grep -q "openai=on"; then
    echo "openai backend not built: signal checks skipped"
    finish test_cli_faults
    exit $?
fi
: > "$tmp/reject"
$py "$here/fake_openai_server.py" "$tmp/port" "$tmp/reject" 0.02 completions &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
up=(--backend openai --backend-opt "base_url=http://127.0.0.1:$port" --backend-opt model=fake --backend-opt max_retries=0)
run_oai() { "$cli" projective run --bank valuelex "${up[@]}" --judge loglik --seed 3 --batch 1 "$@"; }
expect_exit 0 run_oai --journal "$tmp/ofull.jsonl" --json
cp "$tmp/out" "$tmp/ofull.json"
json_check "d['done'] == 132 and d['failed'] == 0"
m1="m1,base_url=http://127.0.0.1:$port,max_retries=0"
m2="m2,base_url=http://127.0.0.1:$port,max_retries=0"
expect_exit 0 "$cli" lexical elicit --backend openai --models "$m1" "$m2" --repeats 3 --journal "$tmp/efull.jsonl" --json

# job control: background jobs get the signals' default actions (not SIGINT ignored)
set -m
# wait_lines FILE N: until FILE has N lines (at most 20 s)
wait_lines() { for _ in $(seq 1000); do [ "$(cat "$1" 2> /dev/null | wc -l)" -ge "$2" ] && return 0; sleep 0.02; done; return 1; }
for sig in INT TERM; do
    want=$([ $sig = INT ] && echo 130 || echo 143)
    j=$tmp/o-$sig.jsonl
    "$cli" projective run --bank valuelex "${up[@]}" --judge loglik --seed 3 --batch 1 --journal "$j" --json \
        > "$tmp/out" 2> "$tmp/err" &
    pid=$!
    wait_lines "$j" 20 || bad "projective run: no records within 20 s"
    kill -$sig $pid
    wait $pid
    st=$?
    if [ "$st" -eq "$want" ]; then ok; else bad "projective run, SIG$sig: exit $st, expected $want"; fi
    err_contains "stopped by SIG$sig.*every finished record is in the journal; run the rest with \`valuespace projective resume --journal $j\`"
    journal_complete "$j"
    n=$(wc -l < "$j")
    if [ "$n" -ge 20 ] && [ "$n" -lt 133 ]; then ok; else bad "SIG$sig: $n journal lines, expected an interrupted run"; fi
    expect_exit 0 "$cli" projective resume --journal "$j" --json
    same_files "$tmp/ofull.json" "$tmp/out"
    expect_exit 0 "$cli" projective merge "$j" --json
    same_files "$tmp/ofull.json" "$tmp/out"

    e=$tmp/e-$sig.jsonl
    "$cli" lexical elicit --backend openai --models "$m1" "$m2" --repeats 3 --journal "$e" --json > "$tmp/out" 2> "$tmp/err" &
    pid=$!
    wait_lines "$e" 10 || bad "lexical elicit: no records within 20 s"
    kill -$sig $pid
    wait $pid
    st=$?
    if [ "$st" -eq "$want" ]; then ok; else bad "lexical elicit, SIG$sig: exit $st, expected $want"; fi
    err_contains "stopped by SIG$sig.*run the rest with the same command and --resume"
    journal_complete "$e"
    n=$(wc -l < "$e")
    if [ "$n" -lt 103 ]; then ok; else bad "lexical elicit SIG$sig: $n journal lines, expected an interrupted run"; fi
    expect_exit 0 "$cli" lexical elicit --backend openai --models "$m1" "$m2" --repeats 3 --journal "$e" --resume --json
    json_check "d['ok'] == 102 and d['failed'] == 0"
    if cmp -s <(records "$tmp/efull.jsonl") <(records "$e"); then ok; else bad "lexical elicit SIG$sig: resumed journal differs from the uninterrupted one"; fi
done

# an answer in flight does not hold up a stop: the openai backend watches the same token as the
# model and drops its requests in flight within 0.1 s (those items stay not run), so the first
# SIGINT ends a run that waits on a 3 s answer at once, gracefully; resume then completes it
kill "$server_pid"
wait "$server_pid" 2> /dev/null
rm -f "$tmp/port"
$py "$here/fake_openai_server.py" "$tmp/port" "$tmp/reject" 3 completions &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
slow=(--backend openai --backend-opt "base_url=http://127.0.0.1:$(cat "$tmp/port")" --backend-opt model=fake)
"$cli" projective run --bank valuelex "${slow[@]}" --judge loglik --batch 4 --journal "$tmp/slow.jsonl" > "$tmp/out" 2> "$tmp/err" &
pid=$!
wait_lines "$tmp/slow.jsonl" 1 || bad "projective run: no header within 20 s"
sleep 0.5
start=$(date +%s%N)
kill -INT $pid
wait $pid
st=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ "$st" -eq 130 ] && [ "$ms" -lt 1500 ]; then ok; else bad "SIGINT during a slow answer: exit $st after $ms ms, expected 130 at once"; fi
err_contains "stopped by SIGINT"
journal_complete "$tmp/slow.jsonl"
set +m

finish test_cli_faults
