#!/bin/sh
# The C sources follow .clang-format (checked, never rewritten, by make check).
# Skipped (77) when clang-format is not installed.
set -u
src=${ZF_SRCDIR:?}
command -v clang-format >/dev/null 2>&1 || { echo "clang-format not found; skipping"; exit 77; }
cd "$src" || exit 1
bad=0 n=0
for f in lib/*.c lib/*.h store/*.c store/*.h include/*.h include/zaakflow/*.h tools/*.c tools/*.h tests/*.c tests/*.h \
         bench/*.c fuzz/*.c examples/c/*.c; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    if ! clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "not formatted: $f (run: clang-format -i $f)"
        bad=$((bad + 1))
    fi
done
echo "$((n - bad)) passed, $bad failed"
[ "$bad" -eq 0 ]
