#!/bin/sh
# Installs the built tree into a temporary prefix, runs the installed `valuespace` from an
# unrelated directory with no environment variables (its demo finds the installed FULCRA split;
# it links the shared library through a relative RUNPATH), then builds and runs a small program
# against the *installed* library twice: through find_package(valuespace) and through
# pkg-config; and, as a user copying it would, the openai example backend. Also checks that the
# examples and the CLI use only the public API (no header of lib/, no vs__ symbol).
set -eu
src=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
libdir=$(ls -d "$prefix"/lib*/ | head -n 1)
libdir=${libdir%/}
test -f "$prefix/include/valuespace.h"
test -f "$prefix/include/valuespace/version.h"
test -x "$prefix/bin/valuespace"
# the shipped data, with its licence
test -s "$prefix/share/valuespace/fulcra/trustworthy_data.jsonl"
test -s "$prefix/share/valuespace/fulcra/LICENSE"
test -s "$prefix/share/doc/valuespace/LICENSE"
# the installed tool from anywhere, with a clean environment
mkdir -p "$tmp/elsewhere"
(cd "$tmp/elsewhere" && env -i PATH=/usr/bin:/bin "$prefix/bin/valuespace" version)
(cd "$tmp/elsewhere" && env -i PATH=/usr/bin:/bin "$prefix/bin/valuespace" demo --folds 2 --replicates 200 \
    --threads 2 > "$tmp/demo.log" 2>&1) || { cat "$tmp/demo.log"; exit 1; }
grep -q "== data: $prefix/bin/../share/valuespace/fulcra/trustworthy_data.jsonl" "$tmp/demo.log" \
  || { echo "the installed demo did not read the installed data:"; head -3 "$tmp/demo.log"; exit 1; }
test -s "$tmp/elsewhere/valuespace-demo/report.md"
# a copy of the installed tree moved elsewhere still finds its data (nothing absolute inside)
cp -a "$prefix" "$tmp/moved"
(cd "$tmp/elsewhere" && env -i PATH=/usr/bin:/bin "$tmp/moved/bin/valuespace" demo --folds 2 --replicates 50 \
    --threads 2 --out moved-report > "$tmp/demo2.log" 2>&1) || { cat "$tmp/demo2.log"; exit 1; }
grep -q "== data: $tmp/moved/bin/../share" "$tmp/demo2.log" || { head -3 "$tmp/demo2.log"; exit 1; }
# ... and its own copy of the shared library: the tool links libvaluespace.so.0 (not the static
# library) and finds it through a relative RUNPATH, $ORIGIN/../lib
readelf -d "$prefix/bin/valuespace" | grep -q 'NEEDED.*\[libvaluespace\.so\.0\]' \
  || { echo "the installed valuespace does not link libvaluespace.so.0"; exit 1; }
readelf -d "$prefix/bin/valuespace" | grep -Eq '(RUNPATH|RPATH).*\[\$ORIGIN/\.\./' \
  || { echo "the installed valuespace has no relative RUNPATH:"; readelf -d "$prefix/bin/valuespace" | grep -E 'RUNPATH|RPATH'; exit 1; }
env -i PATH=/usr/bin:/bin ldd "$tmp/moved/bin/valuespace" | grep -q "libvaluespace.so.0 => $tmp/moved/" \
  || { echo "the moved valuespace does not load the moved library:"; env -i PATH=/usr/bin:/bin ldd "$tmp/moved/bin/valuespace"; exit 1; }

# The examples and the CLI use the public API only: no private header of lib/<module>/, no vs__
# symbol (the shared library exports only vs_*, and the CLI links it, so this is also checked at
# link time; this finds it in the examples that are not built here).
for module in "$src"/lib/*/; do
  module=$(basename "$module")
  if grep -rn "#include \"$module/" "$src/examples"; then
    echo "examples/ includes a private header of lib/$module/ (above)"; exit 1
  fi
done
if grep -rnE '(^|[^A-Za-z0-9_])vs__[A-Za-z0-9_]' "$src/examples"; then
  echo "examples/ uses a private vs__ symbol of the library (above)"; exit 1
fi

# 1. CMake package
mkdir -p "$tmp/cmake-src"
cp "$src/tests/install/consumer.c" "$tmp/cmake-src/consumer.c"
cat > "$tmp/cmake-src/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(valuespace 0.1 REQUIRED)
add_executable(consumer consumer.c)
target_link_libraries(consumer PRIVATE valuespace::valuespace m)
CM
cmake -S "$tmp/cmake-src" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" > "$tmp/cmake.log"
cmake --build "$tmp/cmake-build" > "$tmp/cmake-build.log"
LD_LIBRARY_PATH="$libdir" "$tmp/cmake-build/consumer"

# 2. pkg-config
PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --exists valuespace
cc -std=c99 -Wall -Wextra -Werror -o "$tmp/consumer-pc" "$src/tests/install/consumer.c" \
    $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs valuespace) -lm
LD_LIBRARY_PATH="$libdir" "$tmp/consumer-pc"
# Static linking through pkg-config --static pulls the private dependencies too.
pc_static=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --static --cflags --libs valuespace | sed 's/-lvaluespace//')
cc -std=c99 -o "$tmp/consumer-static" "$src/tests/install/consumer.c" "$libdir/libvaluespace.a" $pc_static
"$tmp/consumer-static"

# 3. The openai example backend, copied out of the source tree and built against the installed
#    library with its own dependencies (libcurl, jansson), as a user would (openai_backend.h).
if pkg-config --exists 'libcurl >= 7.85' 'jansson >= 2.14'; then
  mkdir -p "$tmp/openai"
  cp "$src"/examples/backends/openai/*.[ch] "$tmp/openai/"
  cat > "$tmp/openai/app.c" <<'C'
/* Uses the copied backend: an option error reaches vs_last_error(), a model is made. */
#include <stdio.h>
#include <string.h>

#include "openai_backend.h"

int main(void) {
    vs_model *m = NULL;
    const char *keys[2] = {"base_url", "timeout_ms"}, *values[2] = {"http://127.0.0.1:9", "0"};
    int rc = vs_openai_backend_model(&m, keys, values, 2);
    if (rc != VS_EINVAL || !strstr(vs_last_error(), "timeout_ms = \"0\" is not an integer in [1, 86400000]")) {
        fprintf(stderr, "app: %s: %s\n", vs_status_name(rc), vs_last_error());
        return 1;
    }
    values[1] = "1000";
    rc = vs_openai_backend_model(&m, keys, values, 2);
    if (rc != VS_OK || !m) {
        fprintf(stderr, "app: %s: %s\n", vs_status_name(rc), vs_last_error());
        return 1;
    }
    vs_model_free(m);
    printf("app: the openai backend builds and runs against the installed library\n");
    return 0;
}
C
  (cd "$tmp/openai" && cc -Wall -Wextra -Werror -o app app.c openai_backend.c openai_json.c \
     $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs valuespace libcurl jansson) -lm)
  LD_LIBRARY_PATH="$libdir" "$tmp/openai/app"
else
  echo "installed tree: openai backend build skipped (pkg-config cannot find libcurl >= 7.85 and jansson >= 2.14)"
fi
echo "installed tree: find_package, pkg-config and static builds work"
