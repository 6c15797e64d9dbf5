#!/bin/bash
# Installs the Debian packages libvaluespace needs, skipping what is already installed.
# Usage: .ci/install-deps.sh build|test [--force-update]
#   build  what building the library, its tool and the demo needs (README's first command;
#          without libsphinxbase-dev the optional ngram backend is simply not built); cairo,
#          so that the demo's report has its figures
#   test   also what the whole test suite needs (README's second command, .ci/run)
# apt-get update runs once, only when something is missing (or with --force-update).
set -euo pipefail
profile=${1:-test}
packages=(build-essential cmake pkg-config libgsl-dev liblapacke-dev libutf8proc-dev)
packages+=(libcairo2-dev)   # the tool's figures (optional, VS_WITH_CAIRO: without it no figures are drawn)
if [ "$profile" = test ]; then
  packages+=(check valgrind python3 python3-pytest binutils)  # Check suites, valgrind, Python binding
  packages+=(python3-distributed)                              # the Python binding's Dask sharding example
  packages+=(python3-numpy python3-pandas python3-sklearn python3-venv python3-setuptools python3-pip)  # Python binding: numpy results, pandas input, sklearn checks, pip-install test
  packages+=(bindgen libclang-dev)                             # the Rust binding's freshness test
  packages+=(chromium)                                         # report.html rendered headless (tests/cli/test_report_browser.sh)
  packages+=(doxygen)                                          # the API reference from include/ (tests/run.sh fails on any warning)
  packages+=(libsphinxbase-dev pocketsphinx-en-us)             # the ngram model backend (a real trigram LM)
  packages+=(libcurl4-openssl-dev libjansson-dev libmicrohttpd-dev)  # the openai backend (HTTP, JSON) and its loopback test server
  packages+=(wordnet-dev wordnet-base fasttext)                # the WordNet lemmatiser; the lexical e2e test's word vectors
  packages+=(clang libclang-rt-14-dev abigail-tools)          # fuzz targets (libFuzzer, tests/fuzz); the ABI gate (abidw/abidiff)
  # Rust: rustup's toolchain when the machine has one, else Debian's.
  if ! command -v cargo >/dev/null 2>&1 && [ ! -x "${HOME:-/root}/.cargo/bin/cargo" ]; then
    packages+=(cargo rustc)
  fi
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] || [ "${2:-}" = "--force-update" ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -q
  if [ ${#missing[@]} -gt 0 ]; then
    $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi
