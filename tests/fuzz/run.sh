#!/bin/bash
# Builds the fuzz targets with libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer (clang)
# in build-fuzz/ and runs each for SECONDS (default 20) on a copy of its seed corpus, with its
# dictionary. Fails on any finding (a crash, a leak, a sanitizer report, a time-out or an
# out-of-memory); the input that triggered it is left in build-fuzz/findings/<target>/ — copy
# it to tests/fuzz/regressions/<target>/ with the fix, so that every build replays it.
#   bash tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
secs=${1:-20}
shift || true
build=${VS_FUZZ_BUILD_DIR:-build-fuzz}
command -v clang >/dev/null || { echo "tests/fuzz/run.sh: clang not found (Debian: clang libclang-rt-14-dev)" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DVS_FUZZ=ON \
  -DVS_SANITIZE=ON -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link" -DVS_WITH_NGRAM=OFF -DVS_WITH_OPENAI=AUTO -DVS_WITH_WORDNET=OFF > "$build.log" 2>&1 || { tail -30 "$build.log"; exit 1; }
cmake --build "$build" --target vs_fuzz_all -j"$(nproc 2>/dev/null || echo 2)" >> "$build.log" 2>&1 \
  || { grep -E "error" "$build.log" | head -30; exit 1; }
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(fuzz_space_json fuzz_bank_json fuzz_fulcra fuzz_generic fuzz_evaluator fuzz_accum fuzz_projective_journal
           fuzz_lexical)
  # the openai backend's answer parsers, when that backend was built (libcurl and jansson found)
  [ ! -x "$build/tests/fuzz/fuzz_openai_answer" ] || targets+=(fuzz_openai_answer)
fi
dict_of() {
  case $1 in fuzz_generic|fuzz_lexical) echo tests/fuzz/csv.dict ;; fuzz_evaluator|fuzz_accum) echo "" ;; fuzz_openai_answer) echo tests/fuzz/openai.dict ;; *) echo tests/fuzz/json.dict ;; esac
}
fail=0
summary=$build/fuzz-summary.txt
: > "$summary"
for t in "${targets[@]}"; do
  work=$build/fuzz-work/$t findings=$build/findings/$t
  rm -rf "$work" && mkdir -p "$work" "$findings"
  cp tests/fuzz/corpus/$t/* "$work"/ 2>/dev/null || true
  cp tests/fuzz/regressions/$t/* "$work"/ 2>/dev/null || true
  dict=$(dict_of "$t")
  log=$build/fuzz-$t.log
  # In an empty directory: a bank may name a space file relative to the working directory.
  if (cd "$work" && ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$root/$build/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$root/$findings/" ${dict:+-dict="$root/$dict"} . ) > "$log" 2>&1; then
    execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    echo "$t: ok, $execs executions in ${secs} s, 0 findings" | tee -a "$summary"
  else
    echo "$t: FINDING (log $log, input in $findings/)" | tee -a "$summary"
    { grep -E "ERROR|SUMMARY|runtime error|error in line" "$log" || tail -5 "$log"; } | head -8
    fail=1
  fi
done
exit $fail
