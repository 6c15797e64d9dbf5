#!/bin/bash
# End-to-end tests of `valuespace cluster`: help, k-means and agglomerative on the reference
# blobs (tests/data/cluster, written by make_reference.py from scikit-learn), choosing k, the
# silhouette, labels output, and errors (exit status and message).
#   tests/cli/test_cli_cluster.sh CLI DATA_DIR
set -u
cli=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source "$(dirname "$0")/assert.sh"

# CSV files from the reference data: blobs (300 x 5) with its true labels, and the initial
# centres and scikit-learn result of kmeans_blobs_k4.txt
/usr/bin/python3 - "$data/cluster" "$tmp" <<'EOF'
import sys
src, out = sys.argv[1], sys.argv[2]
def nums(name):
    v = []
    for line in open(src + "/" + name):
        if not line.startswith("#"):
            v += [float(t) for t in line.split()]
    return v
b = nums("blobs.txt"); n, d = int(b[0]), int(b[1])
x, truth = b[2:2 + n * d], [int(t) for t in b[2 + n * d:]]
with open(out + "/blobs.csv", "w") as f:
    f.write(",".join("x%d" % j for j in range(d)) + "\n")
    for i in range(n):
        f.write(",".join(repr(v) for v in x[i * d:(i + 1) * d]) + "\n")
r = nums("kmeans_blobs_k4.txt"); k = int(r[0])
init = r[5:5 + k * d]; labels = [int(t) for t in r[5 + 2 * k * d:]]
with open(out + "/init.csv", "w") as f:
    f.write(",".join("x%d" % j for j in range(d)) + "\n")
    for q in range(k):
        f.write(",".join(repr(v) for v in init[q * d:(q + 1) * d]) + "\n")
first = {}
canon = [first.setdefault(v, len(first)) for v in labels]  # numbered by first occurrence
open(out + "/sk_labels.txt", "w").write(" ".join(map(str, canon)) + "\n")
open(out + "/sk_iter.txt", "w").write("%d %r\n" % (int(r[3]), r[4]))
EOF
# two tight groups on a line: choose-k finds 2
printf 'a,b\n0,0\n0.1,0\n0,0.1\n10,10\n10.1,10\n10,10.1\n' > "$tmp/two.csv"
printf 'a,b\n1,2\n3,nan\n5,6\n' > "$tmp/nan.csv"
printf 'a,b\n1,2\n3,x\n' > "$tmp/text.csv"

for args in "cluster --help" "cluster kmeans --help" "cluster agglomerative --help"; do
    expect_exit 0 "$cli" $args
    out_contains "usage"
done

# k-means from scikit-learn's initial centres: the same partition and iteration count
expect_exit 0 "$cli" cluster kmeans "$tmp/blobs.csv" --k 4 --init "$tmp/init.csv" --json
json_check "d['method'] == 'kmeans' and d['n'] == 300 and d['d'] == 5 and d['k'] == 4 and sum(d['sizes']) == 300"
json_check "d['labels'] == [int(t) for t in open('$tmp/sk_labels.txt').read().split()]"
json_check "d['iterations'] == int(open('$tmp/sk_iter.txt').read().split()[0]) and abs(d['inertia'] - float(open('$tmp/sk_iter.txt').read().split()[1])) < 1e-8 * d['inertia']"
json_check "d['converged'] is True and d['silhouette'] is None and len(d['centers']) == 4 and len(d['centers'][0]) == 5"

# seeded k-means is deterministic; --silhouette adds the mean silhouette
expect_exit 0 "$cli" cluster kmeans "$tmp/blobs.csv" --k 4 --seed 7 --silhouette --json
cp "$tmp/out" "$tmp/first.json"
expect_exit 0 "$cli" cluster kmeans "$tmp/blobs.csv" --k 4 --seed 7 --silhouette --threads 2 --json
if cmp -s "$tmp/out" "$tmp/first.json"; then ok; else bad "seeded k-means differs between runs / thread counts"; fi
json_check "-1 <= d['silhouette'] <= 1 and d['labels'][0] == 0"

# agglomerative, all linkages and metrics; labels file
for link in ward average complete; do
    for metric in euclidean cosine; do
        expect_exit 0 "$cli" cluster agglomerative "$tmp/blobs.csv" --k 3 --linkage $link --metric $metric --json
        json_check "d['linkage'] == '$link' and d['metric'] == '$metric' and len(set(d['labels'])) == 3"
    done
done
expect_exit 0 "$cli" cluster agglomerative "$tmp/two.csv" --k 2 --labels-out "$tmp/labels.csv"
out_contains "sizes: 3 3"
if [ "$(tr '\n' ' ' < "$tmp/labels.csv")" = "row,cluster 1,0 2,0 3,0 4,1 5,1 6,1 " ]; then ok
else bad "labels file: $(cat "$tmp/labels.csv")"; fi

# choosing k
for method in kmeans agglomerative; do
    expect_exit 0 "$cli" cluster $method "$tmp/two.csv" --choose-k 2:4 --json
    json_check "d['k'] == 2 and [s['k'] for s in d['k_scores']] == [2, 3, 4] and d['silhouette'] == max(s['silhouette'] for s in d['k_scores'])"
done
expect_exit 0 "$cli" cluster kmeans "$tmp/two.csv" --choose-k 2:3
out_contains "k = 3: silhouette"

# errors
expect_exit 2 "$cli" cluster kmeans "$tmp/blobs.csv"
err_contains "exactly one of --k and --choose-k"
expect_exit 2 "$cli" cluster kmeans "$tmp/blobs.csv" --k 0
expect_exit 2 "$cli" cluster kmeans "$tmp/blobs.csv" --k 2 --metric manhattan
err_contains "manhattan"
expect_exit 2 "$cli" cluster agglomerative "$tmp/blobs.csv" --k 2 --linkage single
expect_exit 2 "$cli" cluster kmeans "$tmp/blobs.csv" --choose-k 3
expect_exit 2 "$cli" cluster kmeans "$tmp/blobs.csv" --k 2 --bogus
expect_exit 1 "$cli" cluster kmeans "$tmp/two.csv" --k 7
err_contains "VS_ERANGE"
expect_exit 1 "$cli" cluster kmeans "$tmp/two.csv" --choose-k 2:6
err_contains "VS_ERANGE"
expect_exit 1 "$cli" cluster kmeans "$tmp/nan.csv" --k 2
err_contains "row 2, column 2 is NaN"
expect_exit 1 "$cli" cluster kmeans "$tmp/text.csv" --k 2
err_contains "text.csv:3: column 'b' is not numeric ('x'); drop it with --skip-columns b"
expect_exit 1 "$cli" cluster kmeans "$tmp/two.csv" --k 3 --init "$tmp/init.csv"
err_contains "VS_EMISMATCH"
expect_exit 1 "$cli" cluster kmeans "$tmp/missing.csv" --k 2
err_contains "cannot open '.*missing.csv': No such file or directory"

finish "cli cluster"
