#!/bin/bash
# The former names of tests/abi/renamed.txt (README, "Deprecated names"):
#   1. each is called by tests/abi/old_names.c and listed in README's "Deprecated names";
#   2. the project itself calls none of them: lib/, include/, examples/, tests/, bindings/ and
#      docs/ name a former name only where it is defined or documented as one (the deprecated
#      declarations, lib/*/deprecated.c, the bindings' prototype table and aliases, the tests of
#      the former names, README);
#   3. calling one warns by default (-Werror=deprecated-declarations fails on it) and
#      VS_NO_DEPRECATION_WARNINGS silences the warning.
# usage: check-old-names.sh SOURCE_DIR CC BUILD_INCLUDE_DIR
set -u
[ $# -eq 3 ] || { echo "usage: $0 SOURCE_DIR CC BUILD_INCLUDE_DIR" >&2; exit 2; }
src=$1 cc=$2 binc=$3
list="$src/tests/abi/renamed.txt"
fail=0
pairs=$(grep -v '^#' "$list" | awk 'NF == 2')
[ -n "$pairs" ] || { echo "$list: no renamed functions" >&2; exit 2; }
readme=$(awk '/^## Deprecated names/ {on = 1; next} /^## / {on = 0} on' "$src/README.md")
while read -r old new; do
    grep -qw "$old" "$src/tests/abi/old_names.c" || { echo "tests/abi/old_names.c does not call $old"; fail=1; }
    grep -qw "$new" "$src/tests/abi/old_names.c" || { echo "tests/abi/old_names.c does not call $new"; fail=1; }
    printf '%s\n' "$readme" | grep -q "\`$old()\`.*\`$new()\`" ||
        { echo "README.md: \"Deprecated names\" does not list $old -> $new"; fail=1; }
done <<<"$pairs"

# 2. uses of former names outside the places that define or document them
pattern=$(printf '%s\n' "$pairs" | awk '{print $1}' | paste -sd'|')
allowed='^(lib/[a-z]+/deprecated\.c|tests/abi/(old_names\.c|check-old-names\.sh|renamed\.txt|exports\.txt|libvaluespace\.abi)|bindings/python/valuespace/_lib\.py|bindings/python/tests/test_deprecated_names\.py|bindings/rust/valuespace-sys/src/bindings\.rs|bindings/rust/valuespace/tests/deprecated_names\.rs|README\.md):'
# (sources only: build trees and cargo's target/, e.g. its generated docs, are not ours to fix)
uses=$(cd "$src" && grep -rnwE --exclude-dir=target --exclude-dir='build*' --exclude-dir=__pycache__ \
         "$pattern" lib include examples tests bindings docs README.md 2>/dev/null |
    grep -vE "$allowed" | grep -vE '^include/valuespace/[a-z]+\.h:[0-9]+:(VS_API VS_DEPRECATED\("|size_t vs_|uint64_t vs_)')
if [ -n "$uses" ]; then
    echo "former names still used (call the new name instead; tests/abi/renamed.txt):"
    printf '%s\n' "$uses"
    fail=1
fi

# 3. the deprecation attribute
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
read -r old new <<<"$(printf '%s\n' "$pairs" | grep -w vs_fa_result_nfactors)"
printf '#include "valuespace.h"\nsize_t f(const vs_fa_result *r);\nsize_t f(const vs_fa_result *r) { return %s(r); }\n' \
    "$old" >"$tmp/use.c"
if "$cc" -c -Werror=deprecated-declarations -I"$src/include" -I"$binc" -o "$tmp/use.o" "$tmp/use.c" 2>"$tmp/err"; then
    echo "calling $old compiles without a deprecation warning"
    fail=1
elif ! grep -q "deprecated" "$tmp/err" || ! grep -q "use $new" "$tmp/err"; then
    echo "calling $old fails, but not with a deprecation message naming $new:"
    cat "$tmp/err"
    fail=1
fi
if ! "$cc" -c -Werror -DVS_NO_DEPRECATION_WARNINGS -I"$src/include" -I"$binc" -o "$tmp/use.o" "$tmp/use.c" 2>"$tmp/err"; then
    echo "VS_NO_DEPRECATION_WARNINGS does not silence the warning:"
    cat "$tmp/err"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "former names: all called by old_names.c, listed in README, unused elsewhere, deprecated"
exit "$fail"
