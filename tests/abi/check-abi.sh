#!/bin/sh
# The ABI gate: compares the ABI of a built libvaluespace.so.0 (its DWARF, public headers only)
# with the committed baseline tests/abi/libvaluespace.abi and fails on anything that is not a
# pure addition. New functions and variables are additions; so is a field appended to a struct
# whose first member is struct_size (tests/abi/abi.suppr). Everything else — a removed or
# changed function, a changed type, a new field elsewhere — fails. docs/HACKING.md, "Moving the
# ABI baseline", says when and how to move the baseline and when the SONAME must change.
#   tests/abi/check-abi.sh LIB [--update]     (LIB: a RelWithDebInfo or Debug build's .so, with -g)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
lib=$1
build=$(cd "$(dirname "$lib")" && pwd)
baseline=$here/libvaluespace.abi
command -v abidw >/dev/null || { echo "check-abi.sh: abidw not found (Debian: abigail-tools)" >&2; exit 1; }
current=$(mktemp)
suppr=$(mktemp)
trap 'rm -f "$current" "$suppr"' EXIT
# The structs whose first member is struct_size, from the public headers.
struct_size_structs() {
  awk '/typedef struct [a-z_0-9]+ \{/ {name=$3; getline; if ($0 ~ /^[ \t]*uint32_t struct_size;/) print name}' \
    "$root"/include/valuespace/*.h | sort -u | paste -sd'|' -
}
# Opaque handles: declared `typedef struct vs_x vs_x;` and never defined in a public header.
# Callers hold only pointers to them, so their private layout is no part of the ABI (abidw still
# sees it in the DWARF of the library's own code).
opaque_structs() {
  sed -n 's/^typedef struct \([a-z_0-9]*\) \1;.*/\1/p' "$root"/include/valuespace/*.h | sort -u | paste -sd'|' -
}
write_suppr() {
  cat <<SUPPR
# Changes the ABI gate (tests/abi/check-abi.sh) accepts as additions: a field appended to a
# struct whose first member is struct_size (callers set struct_size and the library reads only
# the fields it covers). Written by check-abi.sh --update from the public headers; the check
# also adds the structs of the current headers.
[suppress_type]
  type_kind = struct
  name_regexp = ^($(struct_size_structs))\$
  has_data_member_inserted_at = end
[suppress_type]
  type_kind = struct
  name_regexp = ^($(opaque_structs))\$
SUPPR
}
write_suppr > "$suppr"
abidw --headers-dir "$root/include/valuespace" --headers-dir "$build/include/valuespace" --no-corpus-path \
  --drop-undefined-syms --out-file "$current" "$lib"
if [ "${2:-}" = "--update" ]; then
  cp "$current" "$baseline"
  chmod 644 "$baseline"
  cp "$suppr" "$here/abi.suppr"
  chmod 644 "$here/abi.suppr"
  echo "updated $baseline and $here/abi.suppr"
  exit 0
fi
rc=0
abidiff --no-added-syms --suppressions "$here/abi.suppr" --suppressions "$suppr" "$baseline" "$current" || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "ABI gate: $lib is not a pure addition to $baseline (abidiff status $rc; the report is above)."
  echo "If the change is intended, read docs/HACKING.md, 'Moving the ABI baseline'."
  exit 1
fi
echo "ABI gate: $(grep -c '<elf-symbol ' "$baseline") baseline symbols, no change but additions"
