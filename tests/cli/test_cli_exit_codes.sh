#!/bin/bash
# Exit statuses a script can trust (0 done, 1 error, 2 usage error, 3 items failed) for the
# commands that run items against a model, through the openai backend against servers on
# 127.0.0.1 only: one that is not there (connection refused), and a chat-only stand-in
# (fake_openai_server.py) that has no completions endpoint and rejects chosen prompts.
# Checks the count and the first failure's cause on stderr, the early stop after 20 alike
# failures, the journal keeping what finished, and resume picking the failed items up.
set -u
cli=$1
data=$2 # the FULCRA split, to train the evaluator of the builtin judge
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
source "$here/assert.sh"

# usage errors first (no backend needed)
expect_exit 2 "$cli" projective run --bank valuelex --backend openai --judge loglik --journal "$tmp/u.jsonl" \
    --stop-after-same-failures -1
err_contains "stop-after-same-failures"
expect_exit 2 "$cli" lexical elicit --backend openai --models a --journal "$tmp/u.jsonl" --stop-after-same-failures x
for sub in "projective run" "projective resume" "lexical elicit"; do
    expect_exit 0 "$cli" $sub --help
    out_contains "Exit status: 0 all items done; 1 error; 2 usage error; 3 items failed"
done

expect_exit 0 "$cli" --help
out_contains "Exit status: 0 all done; 1 error; 2 usage error (unknown flag or name); 3 finished with"
expect_exit 0 "$cli" version --json
json_check "sorted(d['components']) == ['cairo', 'ngram', 'openai', 'wordnet'] and all(isinstance(v, bool) for v in d['components'].values())"
expect_exit 2 "$cli" projective run --bathc 3
err_contains "unknown option '--bathc' (did you mean '--batch'?)"
expect_exit 2 "$cli" projective resume --journal x.jsonl --stop-after-same-failure 3
err_contains "did you mean '--stop-after-same-failures'?"
expect_exit 2 "$cli" lexical elicit --reume
err_contains "did you mean '--resume'?"

"$cli" projective run --bank valuelex --backend openai --judge loglik --journal "$tmp/probe.jsonl" \
    --backend-opt base_url=http://127.0.0.1:1 --backend-opt max_retries=0 --stop-after-same-failures 1 \
    > /dev/null 2> "$tmp/err"
if grep -q "unknown backend 'openai'" "$tmp/err"; then
    if [ -n "${CI:-}" ]; then bad "the openai backend was not built (install libcurl4-openssl-dev)"; finish test_cli_exit_codes; exit; fi
    echo "openai backend not built: exit-code checks against servers skipped ($pass passed)"
    finish test_cli_exit_codes; exit
fi

# --help of both commands lists every option the backend knows (its own list, from the message
# for an unknown key)
"$cli" projective run --bank valuelex --backend openai --backend-opt colour=red --judge choice \
    --journal "$tmp/k.jsonl" > /dev/null 2> "$tmp/err"
keys=$(sed -n 's/.*(known: \(.*\)).*/\1/p' "$tmp/err" | tr -d ',')
if [ "$(echo $keys | wc -w)" -ge 11 ]; then ok; else bad "no list of known keys: $(cat "$tmp/err")"; fi
"$cli" projective run --help > "$tmp/h1"
"$cli" lexical elicit --help > "$tmp/h2"
for k in $keys; do
    if grep -q " $k=" "$tmp/h1" && grep -q " $k=" "$tmp/h2"; then ok; else bad "--help lacks the backend option $k"; fi
done

# a port nobody listens on: bind one, then close it
dead=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
down=(--backend openai --backend-opt "base_url=http://127.0.0.1:$dead" --backend-opt max_retries=0)

# 1. the server is down: the run stops after the first 20 records, all failed alike, exit 3
expect_exit 3 "$cli" projective run --bank valuelex "${down[@]}" --judge loglik --journal "$tmp/down.jsonl"
err_contains "stopped: the first 20 records all failed alike"
err_contains "cannot connect to http://127.0.0.1:$dead: connection refused"
err_contains "projective resume --journal $tmp/down.jsonl"
if [ "$(wc -l < "$tmp/down.jsonl")" -eq 21 ]; then ok; else bad "down.jsonl has $(wc -l < "$tmp/down.jsonl") lines, expected 21"; fi
# resume while it is still down: the same
expect_exit 3 "$cli" projective resume --journal "$tmp/down.jsonl"
err_contains "connection refused"
# without the early stop every record is tried: a result with 132 failures, exit 3, no nan
expect_exit 3 "$cli" projective run --bank valuelex "${down[@]}" --judge loglik --journal "$tmp/all.jsonl" \
    --stop-after-same-failures 0
err_contains "132 of 132 items failed; the first, item 'vlx-"
err_contains "connection refused"
if grep -q nan "$tmp/out"; then bad "the table shows nan: $(head -3 "$tmp/out")"; else ok; fi
expect_exit 3 "$cli" projective merge "$tmp/all.jsonl" --json
json_check "d['done'] == 0 and d['failed'] == 132"
err_contains "132 of 132 items failed"
# the elicitation: 17 prompts < 20, so every item is tried; exit 3 with the cause
expect_exit 3 "$cli" lexical elicit --backend openai --models "m1,base_url=http://127.0.0.1:$dead,max_retries=0" \
    --journal "$tmp/el-down.jsonl"
err_contains "17 of 17 items failed; the first, m1/prompt-01/r1: "
err_contains "connection refused"

# 2. a chat-only server
: > "$tmp/reject"
$py "$here/fake_openai_server.py" "$tmp/port" "$tmp/reject" &
server_pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
up=(--backend openai --backend-opt "base_url=http://127.0.0.1:$port" --backend-opt max_retries=0)
# the loglik judge needs echo + logprobs: the probe refuses the run in words, exit 2, no journal
expect_exit 2 "$cli" projective run --bank valuelex "${up[@]}" --judge loglik --journal "$tmp/nolp.jsonl"
err_contains "this server's completions endpoint does not return prompt logprobs (echo), which the loglik judge needs; it answered: "
err_contains "HTTP 404: Not Found; use --judge choice or --judge builtin:MODEL"
if [ -e "$tmp/nolp.jsonl" ]; then bad "the refused run left a journal"; else ok; fi
# the choice judge's probe (a chat request) passes on the same server: the run goes on (its
# records fail: this server answers words, not A or B)
expect_exit 3 "$cli" projective run --bank valuelex "${up[@]}" --judge choice --shard 0/20 --journal "$tmp/ch.jsonl"
err_contains "items failed"
# --progress json: JSON lines on stderr, the last one final with every record and request
# counted (the server answers 200, so no request failed; the records fail on the answer)
rm -f "$tmp/ch.jsonl"
expect_exit 3 "$cli" projective run --bank valuelex "${up[@]}" --judge choice --shard 0/20 --journal "$tmp/ch.jsonl" \
    --progress json
grep '^{"progress"' "$tmp/err" > "$tmp/out"
n_ch=$(($(wc -l < "$tmp/ch.jsonl") - 1))
lines_check "len(L) >= 2 and L[-1]['final'] and L[-1]['done'] == L[-1]['total'] == $n_ch and L[-1]['requests'] == $n_ch and L[-1]['failed_requests'] == 0 and not any(x['final'] for x in L[:-1])"
rm -f "$tmp/ch.jsonl"
expect_exit 3 "$cli" projective run --bank valuelex "${up[@]}" --judge choice --shard 0/20 --journal "$tmp/ch.jsonl" --quiet
if grep -q '"progress"\|requests/s' "$tmp/err"; then bad "--quiet printed progress"; else ok; fi
expect_exit 2 "$cli" projective run --bank valuelex "${up[@]}" --judge choice --journal "$tmp/x.jsonl" --progress yes
err_contains "--progress must be auto, json or none, not 'yes'"

# some items fail (the server rejects the stems with "conversation"): scores of the rest, exit 3
"$cli" fulcra train "$data" -o "$tmp/model.vsev" > /dev/null 2>&1 || bad "fulcra train failed"
echo conversation > "$tmp/reject"
expect_exit 3 "$cli" projective run --bank schwartz10 "${up[@]}" --judge "builtin:$tmp/model.vsev" \
    --journal "$tmp/part.jsonl" --json
json_check "d['failed'] == 3 and d['done'] == 112 and all(x['n'] > 0 for x in d['dimensions'])"
err_contains "3 of 115 items failed; the first, item 's10-"
err_contains "HTTP 400: prompt rejected"
# the fault is gone: resume runs the three again, exit 0
: > "$tmp/reject"
expect_exit 0 "$cli" projective resume --journal "$tmp/part.jsonl" --json
json_check "d['failed'] == 0 and d['done'] == 115"

# the elicitation with one rejected prompt: exit 3 naming it; --resume once it is accepted: 0
echo "summarised your character" > "$tmp/reject"
m1="m1,base_url=http://127.0.0.1:$port,max_retries=0"
expect_exit 3 "$cli" lexical elicit --backend openai --models "$m1" --journal "$tmp/el.jsonl" --json
json_check "d['ok'] == 16 and d['failed'] == 1"
err_contains "1 of 17 items failed; the first, m1/prompt-05/r1: "
err_contains "HTTP 400: prompt rejected"
: > "$tmp/reject"
expect_exit 2 "$cli" lexical elicit --backend openai --models "$m1" --journal "$tmp/el.jsonl" --resume --concurrency 0
err_contains "--concurrency needs an integer in 1..1024, not '0'"
expect_exit 0 "$cli" lexical elicit --backend openai --models "$m1" --journal "$tmp/el.jsonl" --resume --json \
    --concurrency 4
json_check "d['ok'] == 17 and d['failed'] == 0"

finish test_cli_exit_codes
