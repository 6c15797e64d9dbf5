#!/bin/bash
# End-to-end tests of `valuespace projective bank list|show`: help, the built-in banks' counts
# (at least 20 stems per ValueLex sub-dimension, 10 per Schwartz value), the JSON export and its
# byte-identical round trip, space references, and errors (exit status, code, FILE:LINE:COLUMN).
set -u
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"

# --help on every level
for args in "projective --help" "projective bank --help" "projective bank list --help" \
            "projective bank show --help"; do
    expect_exit 0 "$cli" $args
    out_contains "usage"
done
expect_exit 2 "$cli" projective
expect_exit 2 "$cli" projective bank
expect_exit 2 "$cli" projective bank nope
err_contains "unknown command"
expect_exit 2 "$cli" projective bank list extra
expect_exit 2 "$cli" projective bank show
expect_exit 2 "$cli" projective bank show valuelex --space schwartz10

# list: the built-in banks and their counts
expect_exit 0 "$cli" projective bank list --json
json_check "[b['name'] for b in d] == ['valuelex', 'schwartz10'] and [b['space'] for b in d] == ['valuelex', 'schwartz10']"
json_check "[x['key'] for x in d[0]['dimensions']] == ['self_competent','user_oriented','social','idealistic','professional','ethical']"
json_check "all(x['items'] >= 20 and x['reverse'] >= 2 and x['level'] == 'subdimension' for x in d[0]['dimensions'])"
json_check "len(d[1]['dimensions']) == 10 and all(x['items'] >= 10 and x['reverse'] >= 2 for x in d[1]['dimensions'])"
json_check "all(b['continuations'] == b['items'] and b['multi_label'] >= 5 for b in d)"
expect_exit 0 "$cli" projective bank list
out_contains "^valuelex .* items over space valuelex"

# show: text and the bank itself as JSON
expect_exit 0 "$cli" projective bank show valuelex
out_contains "^vlx-ethical-001 \[ethical\]"
out_contains "^  high: "
out_contains "reverse-keyed"
for bank in valuelex schwartz10; do
    expect_exit 0 "$cli" projective bank show "$bank" --json
    cp "$tmp/out" "$tmp/$bank.json"
    json_check "d['schema'] == 'valuespace/bank' and d['version'] == 1 and d['space'] == '$bank'"
    json_check "len(set(i['id'] for i in d['items'])) == len(d['items'])"
    json_check "all(i['high'] != i['low'] and i['stem'].endswith('...') for i in d['items'])"
    json_check "len(set(i['stem'] for i in d['items'])) == len(d['items'])"
    # the file shows the same bank, and exports to the same bytes
    expect_exit 0 "$cli" projective bank show "$tmp/$bank.json" --json
    if cmp -s "$tmp/out" "$tmp/$bank.json"; then ok; else bad "$bank: export of the exported bank differs"; fi
done
json_check "sum(1 for i in d['items'] if i['reverse']) >= 10 and sum(1 for i in d['items'] if len(i['dimensions']) == 2) >= 5"

# a bank over a space file, named relative to the bank file; loaded from another directory
mkdir -p "$tmp/b/spaces"
expect_exit 0 "$cli" space export mft5 -o "$tmp/b/spaces/moral.json"
cat > "$tmp/b/moral.json" <<'JSON'
{"schema": "valuespace/bank", "version": 1, "name": "moral", "space": "spaces/moral.json",
 "items": [{"id": "m-1", "stem": "When someone is hurt, I...", "dimensions": ["Harm/care"],
            "high": "stop and help them.", "low": "walk on by quickly."},
           {"id": "m-2", "stem": "Rules set by elders are...", "dimensions": ["authority", "binding"],
            "reverse": true, "high": "easy to ignore.", "low": "worth keeping."}]}
JSON
expect_exit 0 "$cli" projective bank show "$tmp/b/moral.json" --json
json_check "d['space'] == 'spaces/moral.json' and d['items'][0]['dimensions'] == ['care'] and d['items'][1]['reverse']"
expect_exit 0 "$cli" projective bank show "$tmp/b/moral.json"
out_contains "^m-2 \[authority, binding\] reverse-keyed"
# --space replaces the file's space reference
expect_exit 0 "$cli" projective bank show "$tmp/b/moral.json" --space mft5 --json
json_check "len(d['items']) == 2"

# errors: exit 1, the status name and FILE:LINE:COLUMN of the offending value
printf '{"schema": "valuespace/bank", "version": 1, "name": "x", "space": "valuelex",\n "items": [\n  {"id": "a", "stem": "S...", "dimensions": ["social"]},\n  {"id": "a", "stem": "T...", "dimensions": ["social"]}]}\n' > "$tmp/dup.json"
expect_exit 1 "$cli" projective bank show "$tmp/dup.json"
err_contains "VS_EDUPLICATE"
err_contains "dup.json:4:10:"
printf '{"schema": "valuespace/bank", "version": 1, "name": "x", "space": "valuelex",\n "items": [{"id": "a", "stem": "S...", "dimensions": ["social", "sozial"]}]}\n' > "$tmp/dim.json"
expect_exit 1 "$cli" projective bank show "$tmp/dim.json"
err_contains "VS_ENOTFOUND"
err_contains "dim.json:2:65:"
printf '{"schema": "valuespace/bank", "version": 1, "name": "x", "space": "valuelex",\n "items": [{"id": "a", "stem": "", "dimensions": ["social"]}]}\n' > "$tmp/stem.json"
expect_exit 1 "$cli" projective bank show "$tmp/stem.json"
err_contains "VS_EINVAL"
err_contains "stem.json:2:32:"
expect_exit 1 "$cli" projective bank show "$tmp/b/moral.json" --space schwartz10
err_contains "VS_ENOTFOUND"
printf '{"schema": "valuespace/bank", "version": 1, "name": "x", "space": "valuelex",\n "items": [{"id": "a", "stem": "S...", "dimensions": ["social"]}]}\n' > "$tmp/vlx.json"
expect_exit 1 "$cli" projective bank show "$tmp/vlx.json" --space schwartz10
err_contains "VS_EMISMATCH"
expect_exit 2 "$cli" projective bank show no_such_bank # an unknown built-in name is a usage error
err_contains "unknown built-in bank 'no_such_bank' (valid: valuelex, schwartz10)"
expect_exit 1 "$cli" projective bank show "$tmp/missing.json"
err_contains "VS_ENOTFOUND"
printf '{"schema": "valuespace/bank", "version": 1, "items": [' > "$tmp/trunc.json"
expect_exit 1 "$cli" projective bank show "$tmp/trunc.json"
err_contains "VS_EPARSE"

finish "projective bank CLI"
