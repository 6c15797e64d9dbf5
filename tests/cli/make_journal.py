#!/usr/bin/python3
"""Writes a large projective journal fast, for the scale tests: the records of TEMPLATE (a finished
`projective run --repeats 1` journal) repeated over repeats 0, 1, ... until N records, under its
header with "repeats" raised to match. Every record is complete and belongs to the run, so resume
finds nothing left to do and merge reads them all.
Usage: make_journal.py TEMPLATE N OUT"""
import json
import sys


def main():
    template, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(template) as f:
        lines = f.read().splitlines()
    header, records = json.loads(lines[0]), [json.loads(x) for x in lines[1:]]
    if header.get("repeats") != 1 or not records:
        sys.exit("make_journal.py: the template must be a finished run with --repeats 1")
    per = len(records)
    header["repeats"] = (n + per - 1) // per
    # each record as text with the repeat number cut out, so that writing one is a join
    parts = []
    for r in records:
        r["repeat"] = 0
        text = json.dumps(r, separators=(",", ":"), ensure_ascii=False)
        head, tail = text.split('"repeat":0', 1)
        parts.append((head + '"repeat":', tail + "\n"))
    with open(out, "w", buffering=1 << 20) as f:
        f.write(json.dumps(header, separators=(",", ":"), ensure_ascii=False) + "\n")
        written = 0
        rep = 0
        while written < n:
            block = min(per, n - written)
            f.write("".join(h + str(rep) + t for h, t in parts[:block]))
            written += block
            rep += 1


if __name__ == "__main__":
    main()
