#!/bin/bash
# Regenerates the example figures that README.md shows, from a build with cairo:
#   bash docs/figures/make.sh build
# The demo's figures (its FULCRA run, default options), and a factor analysis of psych's
# Thurstone correlations (3 factors, oblimin) with parallel analysis of the bfi items.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
vs=$(cd "${1:?usage: make.sh BUILD_DIR}" && pwd)/valuespace
out=$root/docs/figures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$vs" demo --out "$tmp/demo" > /dev/null
cp "$tmp/demo/profiles_labels.png" "$out/profiles.png"
cp "$tmp/demo/profiles_labels_overlay.png" "$out/profiles_overlay.png"
cp "$tmp/demo/alignment_labels.png" "$out/alignment.png"
cp "$tmp/demo/cv_macro_f1.png" "$out/cv_macro_f1.png"
"$vs" fa "$root/tests/data/fa/thurstone.csv" --cor --n-obs 213 --factors 3 --plot "$tmp/fa" > /dev/null 2>&1
"$vs" fa parallel "$root/tests/data/fa/bfi_complete.csv" --seed 1 --plot "$tmp/fa" > /dev/null 2>&1
for f in fa_parallel fa_loadings fa_diagram; do cp "$tmp/fa/$f.png" "$out/$f.png"; done
ls -l "$out"/*.png
