#!/bin/bash
# check_layers.sh must catch each kind of violation: it runs on copies of lib/ and
# docs/HACKING.md, first unchanged (must pass), then with one violation planted at a time (must
# fail, naming it). The call-loop case compiles two small files into objects with CC.
# usage: test_check_layers.sh SOURCE_DIR [CC]
set -u
src=$1
cc=${2:-cc}
check="$src/tests/arch/check_layers.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fresh() { # a clean copy of the tree in $tmp/t
    rm -rf "$tmp/t"
    mkdir -p "$tmp/t/docs"
    cp -r "$src/lib" "$tmp/t/lib"
    cp "$src/docs/HACKING.md" "$tmp/t/docs/"
}

expect() { # expect STATUS PATTERN WHAT ARGS...: check_layers.sh ARGS exits STATUS, output matches
    local status=$1 pattern=$2 what=$3
    shift 3
    "$check" "$@" >"$tmp/out" 2>&1
    local rc=$?
    if [ "$rc" -ne "$status" ] || ! grep -qE -- "$pattern" "$tmp/out"; then
        echo "FAIL: $what: exit $rc (want $status), output:" >&2
        sed 's/^/  /' "$tmp/out" >&2
        failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}

fresh
expect 0 "follow the layer rules" "the tree as it is" "$tmp/t"

fresh
printf '#include "space/space_internal.h"\n' >>"$tmp/t/lib/vector/vector.c"
expect 1 'lib/vector/vector.c:[0-9]+: #include "space/space_internal.h": lib/space/\*_internal.h is private' \
    "another module's internal header" "$tmp/t"

fresh
printf '#include "io/file.h"\n' >>"$tmp/t/lib/common/sort.c"
expect 1 'lib/common/sort.c:[0-9]+: #include "io/file.h": io \(layer 1\) is in a higher layer than common' \
    "a lower layer including a higher one" "$tmp/t"

fresh
printf '#include "valuespace/model.h"\n' >>"$tmp/t/lib/fa/fa.c"
expect 1 'lib/fa/fa.c:[0-9]+: #include "valuespace/model.h": model \(layer 2\) is in the same layer as fa' \
    "a module including the public header of its own layer" "$tmp/t"

fresh
printf '#include "fa/loop_b_internal.h"\n' >"$tmp/t/lib/fa/loop_a_internal.h"
printf '#include "fa/loop_a_internal.h"\n' >"$tmp/t/lib/fa/loop_b_internal.h"
expect 1 'include cycle: lib/fa/loop_(a|b)_internal.h -> lib/fa/loop_(a|b)_internal.h -> lib/fa/loop_(a|b)_internal.h' \
    "an include cycle inside lib/fa/" "$tmp/t"

fresh
mkdir "$tmp/t/lib/newmod"
printf '/* x */\n' >"$tmp/t/lib/newmod/newmod.c"
expect 1 'lib/newmod/: module without a layer' "a module without a layer" "$tmp/t"

# call graph: a tree of two fa files and their objects
rm -rf "$tmp/c"
mkdir -p "$tmp/c/lib/fa" "$tmp/c/docs" "$tmp/c/obj/lib/fa"
cp "$src/docs/HACKING.md" "$tmp/c/docs/"
printf 'int vs__loop_b(int);\nint vs__loop_a(int n) { return n ? vs__loop_b(n - 1) : 0; }\n' >"$tmp/c/lib/fa/loop_a.c"
printf 'int vs__loop_b(int n) { return n + 1; }\n' >"$tmp/c/lib/fa/loop_b.c"
build() {
    for f in loop_a loop_b; do
        "$cc" -c -o "$tmp/c/obj/lib/fa/$f.c.o" "$tmp/c/lib/fa/$f.c" || exit 1
    done
}
build
expect 0 "no call loop in lib/fa/" "a call without a loop" "$tmp/c" "$tmp/c/obj"
printf 'int vs__loop_a(int);\nint vs__loop_b(int n) { return n ? vs__loop_a(n - 1) : 1; }\n' >"$tmp/c/lib/fa/loop_b.c"
build
expect 1 'call loop in lib/fa/: lib/fa/loop_a.c \(vs__loop_b\) -> lib/fa/loop_b.c \(vs__loop_a\) -> lib/fa/loop_a.c' \
    "a call loop inside lib/fa/" "$tmp/c" "$tmp/c/obj"
rm "$tmp/c/obj/lib/fa/loop_b.c.o"
expect 1 "loop_b.c.o: missing" "a missing object file" "$tmp/c" "$tmp/c/obj"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed" >&2
    exit 1
fi
echo "check_layers.sh catches every planted violation"
