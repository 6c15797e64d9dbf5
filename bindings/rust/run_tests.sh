#!/bin/bash
# Runs the Rust bindings' tests (both crates, unit + integration + doc tests) offline against
# the library built in BUILD_DIR.
# Usage: bindings/rust/run_tests.sh BUILD_DIR [extra cargo test arguments]
#   BUILD_DIR  a CMake build tree of libvaluespace (holds libvaluespace.so and
#              include/valuespace/version.h), e.g. build
# Needs: cargo + rustc (rustup's in ~/.cargo/bin, or Debian's cargo package), and for the
# freshness test the Debian packages bindgen and libclang-dev plus rustfmt; binutils (nm) and a
# C compiler for the completeness and layout tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 BUILD_DIR [cargo test args]" >&2; exit 2; }
build=$(cd "$1" 2>/dev/null && pwd) || { echo "$0: no build directory $1" >&2; exit 2; }
shift

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "${HOME:-/root}/.cargo/bin/cargo" ]; then
    export PATH="${HOME:-/root}/.cargo/bin:$PATH"
  else
    echo "$0: cargo not found: install Rust (rustup, or Debian's 'cargo' package) or put cargo on PATH" >&2
    exit 1
  fi
fi
[ -e "$build/libvaluespace.so" ] || {
  echo "$0: $build/libvaluespace.so not found: build it first (cmake --build $1 --target valuespace)" >&2
  exit 1
}

export VALUESPACE_LIB_DIR="$build"
export LD_LIBRARY_PATH="$build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export VALUESPACE_INCLUDE_DIRS="$root/include:$build/include"
# No network: every dependency is inside the workspace. CARGO_TARGET_DIR stays in
# bindings/rust/target unless the caller sets it.
export CARGO_NET_OFFLINE=true
cd "$here"
cargo --version
rc=0
cargo test --offline --workspace --no-fail-fast "$@" || rc=$?
# A fresh crate outside the repository using the installed library (README's instructions).
bash "$here/test_fresh_crate.sh" "$build" || rc=1
exit "$rc"
