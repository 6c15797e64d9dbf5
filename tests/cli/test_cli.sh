#!/bin/bash
# End-to-end tests of the `valuespace` command-line tool: help on every level, JSON output,
# the docs/METHODS.md worked examples, and errors (exit status and message).
set -u
cli=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"

# --help on every level
for args in "--help" "version --help" "space --help" "space list --help" "space show --help" \
            "space validate --help" "space export --help" "align --help"; do
    expect_exit 0 "$cli" $args
    out_contains "usage"
done
expect_exit 2 "$cli"
expect_exit 2 "$cli" no-such-command
err_contains "unknown command"

expect_exit 0 "$cli" version --json
json_check "d['version'].count('.') == 2"

# spaces
expect_exit 0 "$cli" space list --json
json_check "[s['name'] for s in d] == ['schwartz10','schwartz19','fulcra','valuelex','mft5','mfq2']"
json_check "[l['size'] for l in d[2]['levels']] == [54, 19, 10, 4]"
expect_exit 0 "$cli" space show schwartz10 --json
json_check "d['name'] == 'schwartz10' and len(d['dimensions']) == 14"
json_check "[x['key'] for x in d['dimensions'][:10]] == ['self_direction','stimulation','hedonism','achievement','power','security','tradition','conformity','benevolence','universalism']"
json_check "d['dimensions'][0] == {'key':'self_direction','label':'Self-direction','level':'value','parent':'openness_to_change'}"
json_check "all(x['parent'] is None for x in d['dimensions'][10:])"
expect_exit 0 "$cli" space show fulcra --json
json_check "len([x for x in d['dimensions'] if x['level']=='item']) == 54"
json_check "[x['parent'] for x in d['dimensions'] if x['label']=='Observing social norms'] == ['face']"
expect_exit 0 "$cli" space show valuelex
out_contains "user_oriented"
expect_exit 2 "$cli" space show no_such_space # an unknown built-in name is a usage error
err_contains "unknown built-in space 'no_such_space' (valid: schwartz10, schwartz19, fulcra, valuelex, mft5, mfq2)"

# export -> validate round trip; a broken file names line:column
expect_exit 0 "$cli" space export fulcra -o "$tmp/fulcra.json"
expect_exit 0 "$cli" space validate "$tmp/fulcra.json"
out_contains "valid space 'fulcra'"
expect_exit 0 "$cli" space export "$tmp/fulcra.json"
cp "$tmp/out" "$tmp/fulcra2.json"
if cmp -s "$tmp/fulcra.json" "$tmp/fulcra2.json"; then ok; else bad "export of an exported space differs"; fi
printf '{"schema": "valuespace/space", "version": 1,\n "name": "x", "levels": ["v"],\n "dimensions": [{"key": "a", "level": "v"}, {"key": "a", "level": "v"}]}\n' > "$tmp/dup.json"
expect_exit 1 "$cli" space validate "$tmp/dup.json"
err_contains "VS_EDUPLICATE"
err_contains "dup.json:3:"
printf '{"schema": "valuespace/space", "version": 1, "name": "x", "levels": ["v"], "dimensions": [' > "$tmp/trunc.json"
expect_exit 1 "$cli" space validate "$tmp/trunc.json"
err_contains "VS_EPARSE"
expect_exit 1 "$cli" space validate "$tmp/missing.json"
err_contains "VS_ENOTFOUND"

# BaseAlign worked example (docs/METHODS.md §1.4)
raw=0.1,-0.2,0,1.0,-0.5,2.0,0.2,0.25,-1.0,0.9
expect_exit 0 "$cli" align --scores "$raw" --raw --target default --json
json_check "abs(d['distance'] - 2.319675) < 1e-6 and abs(d['reward'] + 2.319675) < 1e-6"
json_check "d['mask'] == [0,0,0,1,1,1,0,0,1,1]"
json_check "abs(d['unmasked_l1'] - 3.074756) < 1e-6 and abs(d['unmasked_l2'] - 1.952429) < 1e-6"
expect_exit 0 "$cli" align --scores "$raw" --raw --target uk --json
json_check "abs(d['distance'] - 1.281675) < 1e-6"
expect_exit 0 "$cli" align --scores "$raw" --raw --target 0,0,0,1,0,1,0,1,1,1 --json
json_check "abs(d['distance'] - 2.319675) < 1e-6"
expect_exit 0 "$cli" align --scores "$raw" --raw --target default
out_contains "distance 2.319675"
expect_exit 1 "$cli" align --scores 1,2,3 --target default
err_contains "VS_EMISMATCH"
expect_exit 2 "$cli" align --scores 1,x,3 --target default
expect_exit 2 "$cli" align --target default
expect_exit 2 "$cli" align --scores "$raw" --target atlantis
err_contains "unknown built-in target 'atlantis' (valid: default, uk, netherlands, france)"

finish "cli"
