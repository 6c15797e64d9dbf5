#!/bin/bash
# The whole test suite (README's test command): installs what is missing, builds (warnings as
# errors), runs every suite through ctest, the Python and Rust bindings, the demo from a minimal
# build (every optional component off), every suite again built with AddressSanitizer +
# UndefinedBehaviorSanitizer, a Release build, the ABI gate (abidiff against tests/abi), the
# threaded suites under ThreadSanitizer, every fuzz target for 20 s (tests/fuzz), then the Check
# suites under valgrind (two at a time).
#   bash tests/run.sh           everything (README's test command; what CI runs)
#   bash tests/run.sh --quick   build, ctest, Python and Rust: what to run between changes
set -euo pipefail
quick=0
case "${1:-}" in
  "") ;;
  --quick) quick=1 ;;
  *) echo "usage: bash tests/run.sh [--quick]" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash .ci/install-deps.sh test
jobs=$(nproc 2>/dev/null || echo 2)

# Each stage's wall time, printed in the summary (docs/HACKING.md keeps the budget per tier).
stage_names=() stage_secs=() stage_t0=$SECONDS
stage() {
  [ ${#stage_names[@]} -eq 0 ] || stage_secs+=($((SECONDS - stage_t0)))
  stage_names+=("$1") stage_t0=$SECONDS
  echo "== $1"
}
stage_report() {
  stage_secs+=($((SECONDS - stage_t0)))
  for i in "${!stage_names[@]}"; do printf '  %4ds  %s\n' "${stage_secs[$i]}" "${stage_names[$i]}"; done
  echo "  ${SECONDS}s  in all"
}

stage "build and test"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DVS_WERROR=ON > build.log 2>&1 || { cat build.log; exit 1; }
cmake --build build -j"$jobs" >> build.log 2>&1 || { tail -50 build.log; exit 1; }
# --quick leaves out the tests labelled e2e (the ValueLex pipeline on real resources, run twice
# for determinism) and slow (an install and a program built against it): minutes that a change
# between commits rarely needs; the full run has them.
skip_labels=()
[ "$quick" -eq 0 ] || skip_labels=(-LE "^(e2e|slow)$")
ctest --test-dir build --output-on-failure -j"$jobs" "${skip_labels[@]}" 2>&1 | tee build/ctest.log

stage "Python binding (ctypes) against build/"
bash bindings/python/run_tests.sh build

stage "Rust bindings (bindgen sys crate + safe crate) against build/"
bash bindings/rust/run_tests.sh build

if [ "$quick" -eq 1 ]; then
  echo "== summary (--quick: no minimal configuration, sanitizers, Release build or valgrind)"
  stage_report
  grep -h "tests passed" build/ctest.log
  exit 0
fi

stage "minimal configuration: every optional component off, warnings as errors, the demo's steps"
# What a new user's machine may have: none of the optional packages. An #ifdef that leaves a
# function unused fails here (as split_opt once broke README's main command).
minimal=(-DVS_WERROR=ON -DVS_WITH_NGRAM=OFF -DVS_WITH_OPENAI=OFF -DVS_WITH_WORDNET=OFF -DVS_WITH_CAIRO=OFF)
rm -rf build-minimal/demo-report
# (demo.sh writes its cmake output to build-minimal.log, its own output goes to build-minimal-demo.log)
VS_DEMO_BUILD_DIR=build-minimal VS_DEMO_CMAKE_ARGS="${minimal[*]}" bash examples/demo.sh > build-minimal-demo.log 2>&1 \
  || { tail -40 build-minimal-demo.log; tail -20 build-minimal.log; echo "minimal configuration: the demo failed"; exit 1; }
grep -q "optional components: NGRAM=off OPENAI=off WORDNET=off CAIRO=off" build-minimal.log \
  || { echo "minimal configuration: an optional component is on"; grep "optional components" build-minimal.log; exit 1; }
test -s build-minimal/demo-report/report.md || { echo "minimal configuration: no report"; exit 1; }
grep -q "figures are off (built without cairo)" build-minimal-demo.log \
  || { echo "minimal configuration: the demo does not say that figures are off"; exit 1; }
# ... and everything else of that configuration (the tests' code too) compiles without a warning
cmake -S . -B build-minimal -DBUILD_TESTING=ON "${minimal[@]}" >> build-minimal.log 2>&1 \
  && cmake --build build-minimal -j"$jobs" >> build-minimal.log 2>&1 \
  || { grep -E "error|warning" build-minimal.log | head -30; exit 1; }
echo "minimal configuration: built with -Werror, demo report written ($(grep -c . build-minimal/demo-report/report.md) lines)"

stage "AddressSanitizer + UndefinedBehaviorSanitizer"
# (every test but the e2e pipeline, whose library and CLI paths the unit and CLI tests already
# run here; rerunning its fastText training under ASan would add minutes and no coverage)
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DVS_SANITIZE=ON -DBUILD_TESTING=ON -DVS_WERROR=ON > build-asan.log 2>&1 || { cat build-asan.log; exit 1; }
cmake --build build-asan -j"$jobs" >> build-asan.log 2>&1 || { tail -50 build-asan.log; exit 1; }
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE "^e2e$" 2>&1 | tee build-asan/ctest.log

stage "Release build (-O3): the library and tools compile without warnings there too"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF -DVS_WERROR=ON > build-release.log 2>&1 || { cat build-release.log; exit 1; }
cmake --build build-release -j"$jobs" >> build-release.log 2>&1 || { grep -E "error|warning" build-release.log | head -30; exit 1; }

stage "API reference (Doxygen): every public symbol and parameter documented"
# docs/Doxyfile builds the HTML reference from include/ into build/doc (warnings in
# build/doc/warnings.log); any warning (an undocumented symbol or parameter, a broken link)
# fails the run.
rm -rf build/doc && mkdir -p build/doc
VS_BUILD_DIR=build doxygen docs/Doxyfile > build/doc/doxygen.log 2>&1 || { cat build/doc/doxygen.log; exit 1; }
if [ -s build/doc/warnings.log ]; then
  echo "doxygen: $(grep -c 'warning:' build/doc/warnings.log) warning(s); document these in include/:"
  cat build/doc/warnings.log
  exit 1
fi
echo "API reference: build/doc/html/index.html, no warning"

stage "ABI gate: libvaluespace.so.0 against the committed baseline (tests/abi/libvaluespace.abi)"
# Anything but a pure addition fails; docs/HACKING.md, "Moving the ABI baseline", says what to do.
tests/abi/check-abi.sh build/libvaluespace.so.0

stage "ThreadSanitizer: the suites that run threads"
# Journal writer, runner (threaded runs), factor analysis (parallel starts), evaluator training
# with threads, the model's threaded setters.
tsan_suites=(check_journal_writer check_runner check_fa check_evaluator check_model)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVS_TSAN=ON -DBUILD_TESTING=ON -DVS_WERROR=ON > build-tsan.log 2>&1 || { cat build-tsan.log; exit 1; }
cmake --build build-tsan -j"$jobs" --target "${tsan_suites[@]}" >> build-tsan.log 2>&1 || { tail -50 build-tsan.log; exit 1; }
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir build-tsan --output-on-failure -j"$jobs" -R "^($(IFS='|'; echo "${tsan_suites[*]}"))\$" 2>&1 | tee build-tsan/ctest.log
grep -q "100% tests passed" build-tsan/ctest.log || { echo "ThreadSanitizer: a suite failed"; exit 1; }

stage "fuzzing: every target 20 s (libFuzzer + ASan + UBSan; tests/fuzz/run.sh SECONDS runs longer)"
bash tests/fuzz/run.sh 20

stage "valgrind (Check suites, no fork)"
# One valgrind per Check suite, as many at a time as there are cores (each is single-threaded).
vg_one() {
  local t=$1 log=build/$(basename "$1").valgrind.log
  if CK_FORK=no VS_TEST_UNDER_VALGRIND=1 valgrind -q --error-exitcode=1 --leak-check=full \
       --errors-for-leak-kinds=definite,indirect,possible "$t" > "$log" 2>&1; then
    echo "pass $(basename "$t")"
  else
    echo "FAIL $(basename "$t")"
  fi
}
export -f vg_one
find build/tests -maxdepth 1 -name 'check_*' -type f -executable | sort | xargs -P "$jobs" -I{} bash -c 'vg_one "$1"' _ {} > build/valgrind.results
vg_pass=$(grep -c "^pass " build/valgrind.results || true)
vg_fail=$(grep -c "^FAIL " build/valgrind.results || true)
for t in $(awk '/^FAIL /{print $2}' build/valgrind.results); do
  echo "valgrind: $t FAILED"; tail -40 "build/$t.valgrind.log"
done
echo "valgrind: $vg_pass passed, $vg_fail failed"
[ "$vg_fail" -eq 0 ]

echo "== summary"
stage_report
echo "ASan+UBSan: $(grep -h "tests passed" build-asan/ctest.log)"
echo "TSan: $(grep -h "tests passed" build-tsan/ctest.log)"
echo "fuzzing: $(grep -c ': ok,' build-fuzz/fuzz-summary.txt) targets without findings"
echo "valgrind: $vg_pass passed, $vg_fail failed"
grep -h "tests passed" build/ctest.log
