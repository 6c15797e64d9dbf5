#!/bin/bash
# Runs the Python binding's tests against a build of libvaluespace.
# Usage: bindings/python/run_tests.sh [BUILD_DIR] [pytest args...]
#   BUILD_DIR defaults to <repo>/build; it must hold libvaluespace.so.0
#   (cmake --build BUILD_DIR --target valuespace). Exits non-zero if pytest fails or collects
#   no test (pytest's exit code 5).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
[ $# -gt 0 ] && shift
# Absolute, so a relative BUILD_DIR (run_tests.sh build) still works after the cd below.
build=$(cd "$build" 2>/dev/null && pwd || echo "$build")
lib="$(cd "$build" 2>/dev/null && pwd)/libvaluespace.so.0"
if [ ! -e "$lib" ]; then
  echo "run_tests.sh: $build/libvaluespace.so.0 not found; build it first:" >&2
  echo "  cmake -S $root -B $build && cmake --build $build --target valuespace" >&2
  exit 2
fi
python=/usr/bin/python3  # Debian's python3 has python3-pytest; a pyenv python3 may not
[ -x "$python" ] || python=python3
cd "$here"
VALUESPACE_LIBRARY="$lib" PYTHONDONTWRITEBYTECODE=1 \
  "$python" -m pytest -q -p no:cacheprovider tests "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "run_tests.sh: pytest collected no tests" >&2
  exit 1
fi
# Install to a temporary prefix, pip install into a venv, run from elsewhere (README's steps).
if [ $# -eq 0 ]; then
  bash "$here/test_install.sh" "$build" || rc=1
fi
exit "$rc"
