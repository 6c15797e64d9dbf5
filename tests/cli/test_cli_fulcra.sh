#!/bin/bash
# End-to-end tests of `valuespace fulcra check`: help, the JSON shape, the shipped FULCRA split
# (counts checked against an independent Python count of the same file), strict mode and errors.
# Usage: test_cli_fulcra.sh CLI SOURCE_DIR
set -u
cli=$1
src=$2
data=$src/examples/data/fulcra/trustworthy_data.jsonl
small=$src/tests/data/dataset/small.jsonl
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"

# An independent count of the shipped file: records per source, type labels as written, and
# the irregular labels with their lines (scores other than +1/1/-1; names outside the 10 types
# and the 54 items are only humility and be respectful in this file).
$py - "$data" > "$tmp/expect.json" <<'EOF'
import collections, json, sys
src = collections.Counter()
written = collections.defaultdict(lambda: [0, 0, 0])
malformed, unknown = [], []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    r = json.loads(line)
    src[r["response_source"]] += 1
    for field in ("value_types", "value_items"):
        for lab in r[field]:
            name, score = lab.rsplit(":", 1)
            name, score = name.strip().lower(), score.strip()
            if score not in ("+1", "1", "-1"):
                malformed.append(n)
            elif name in ("humility", "be respectful"):
                unknown.append(n)
            elif field == "value_types":
                written[name.replace("-", " ")][("+1", "1", "-1").index(score)] += 1
print(json.dumps({"sources": src, "written": written, "malformed": sorted(malformed), "unknown": sorted(unknown)}))
EOF

# help on every level
for args in "fulcra --help" "fulcra check --help"; do
    expect_exit 0 "$cli" $args
    out_contains "usage"
done
expect_exit 0 "$cli" fulcra --help
for sub in check cv train predict profile; do out_contains "$sub"; done
expect_exit 2 "$cli" fulcra
expect_exit 2 "$cli" fulcra no-such-subcommand
err_contains "unknown command"
expect_exit 2 "$cli" fulcra check
err_contains "FILE is required"
expect_exit 2 "$cli" fulcra check "$data" --bogus
err_contains "unknown option '--bogus'"
expect_exit 2 "$cli" fulcra check "$data" "$data"

# the shipped split, lenient, JSON
expect_exit 0 "$cli" fulcra check "$data" --json
json_check "d['mode'] == 'lenient' and d['records'] == 1718 and d['lines'] == 1718"
json_check "{s['source']: s['records'] for s in d['sources']} == x['sources']"
json_check "{s['source']: s['records'] for s in d['sources']} == {'gemini': 432, 'PKU-Alignment/alpaca-7b-reproduced': 370, 'gpt-35-turbo': 323, 'baichuan-inc/Baichuan2-7B-Chat': 297, 'meta-llama/Llama-2-7b-chat-hf': 296}"
json_check "len(d['labels']['types']) == 10 and len(d['labels']['items']) == 54"
json_check "set(d['labels']['types'][0]) == {'key','label','positive','negative','written_plus','written_one','written_minus'}"
json_check "all([t['written_plus'], t['written_one'], t['written_minus']] == x['written'][t['label'].lower().replace('-', ' ')] for t in d['labels']['types'])"
# docs/METHODS.md §1.1 counts (+1/-1/\"1\")
json_check "[(t['written_plus'], t['written_minus'], t['written_one']) for t in d['labels']['types']] == [(200,13,11),(23,0,2),(4,0,0),(247,7,18),(40,17,3),(576,67,15),(42,5,0),(674,78,15),(1239,99,25),(805,121,19)]"
json_check "[k for k in d['skips']['by_reason']] == ['invalid_json','invalid_utf8','line_too_long','bad_record','bad_dialogue','malformed_label','unknown_label','conflict','duplicate','blank_line','ignored_field','invalid_csv']"
json_check "all(set(v) == {'count','lines'} and v['count'] == len(v['lines']) for v in d['skips']['by_reason'].values())"
json_check "d['skips']['by_reason']['malformed_label']['lines'] == x['malformed'] == [856, 856, 1537, 1537]"
json_check "d['skips']['by_reason']['unknown_label']['lines'] == x['unknown'] and len(x['unknown']) == 28"
json_check "d['skips']['by_reason']['conflict']['count'] == 58 and d['skips']['by_reason']['duplicate']['lines'] == [47, 105, 1001]"
json_check "d['skips']['total'] == 93 == len(d['skips']['entries'])"
json_check "set(d['skips']['entries'][0]) == {'reason','line','column','token','message'}"
json_check "[(e['line'], e['column'], e['token']) for e in d['skips']['entries'] if e['reason'] == 'malformed_label'] == [(856,1686,'be obedient: 1+'),(856,1803,'conformity: 1+'),(1537,2059,'be intellectual: =1'),(1537,2252,'achievement: =1')]"
json_check "sorted({e['token'] for e in d['skips']['entries'] if e['reason'] == 'unknown_label'}) == ['be respectful: +1', 'humility: +1']"
rm -f "$tmp/expect.json"

# text output
expect_exit 0 "$cli" fulcra check "$data"
out_contains "1718 records from 1718 lines (lenient)"
out_contains "malformed_label  4"
out_contains "trustworthy_data.jsonl:856:1686: malformed_label: malformed label 'be obedient: 1+' in value_items"

# strict: the first irregular label, with file:line:column and the token
expect_exit 1 "$cli" fulcra check "$data" --strict
err_contains "VS_ENOTFOUND"
err_contains "trustworthy_data.jsonl:150:577: unknown label 'be respectful: +1' in value_items"
expect_exit 1 "$cli" fulcra check --strict --json "$small"
err_contains "small.jsonl:1:103: unknown label 'Be respectful: +1'"

# a crafted file: every kind of skip is counted, nothing silently dropped
expect_exit 0 "$cli" fulcra check "$small" --json
json_check "d['records'] == 3 and d['lines'] == 5 and d['skips']['total'] == 9"
json_check "{k: v['lines'] for k, v in d['skips']['by_reason'].items() if v['count']} == {'unknown_label': [1, 1], 'blank_line': [2], 'malformed_label': [3, 5], 'duplicate': [3], 'conflict': [3, 3], 'invalid_json': [4]}"

# a file that passes strict mode
printf '{"dialogue": "Human: hi\\nBob: hello", "value_types": ["Benevolence: +1"], "value_items": ["be polite: 1"], "response_source": "m"}\n' > "$tmp/ok.jsonl"
expect_exit 0 "$cli" fulcra check --strict --json "$tmp/ok.jsonl"
json_check "d['mode'] == 'strict' and d['records'] == 1 and d['skips']['total'] == 0"
json_check "[t['positive'] for t in d['labels']['types']] == [0,0,0,0,0,0,0,0,1,0]"
json_check "[t['key'] for t in d['labels']['items'] if t['positive']] == ['be_polite']"

# errors
expect_exit 1 "$cli" fulcra check "$tmp/missing.jsonl"
err_contains "VS_ENOTFOUND"
printf '{"dialogue": "Human: a\\nBob: b", "value_types": [' > "$tmp/trunc.jsonl"
expect_exit 1 "$cli" fulcra check --strict "$tmp/trunc.jsonl"
err_contains "VS_EPARSE"
err_contains "trunc.jsonl:1:50: unexpected end of input"
expect_exit 0 "$cli" fulcra check --json "$tmp/trunc.jsonl"
json_check "d['records'] == 0 and d['skips']['by_reason']['invalid_json'] == {'count': 1, 'lines': [1]}"

finish "cli fulcra"
