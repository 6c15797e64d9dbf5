#!/bin/sh
# Installs the built tree into a temporary prefix, runs the installed `valuespace` from an
# unrelated directory with no environment variables (its demo finds the installed FULCRA split),
# then builds and runs a small program against the *installed* library twice: through
# find_package(valuespace) and through pkg-config.
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
echo "installed tree: find_package, pkg-config and static builds work"
