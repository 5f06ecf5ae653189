#!/bin/sh
# embed.sh SYMBOL FILE: print a C file defining `const unsigned char SYMBOL[]`
# (NUL-terminated) and `const size_t SYMBOL_len` with the bytes of FILE.
# Used to compile schemas and the Atw calendar into the library.
set -eu
sym=$1
file=$2
echo "/* generated from $(basename "$file") by embed.sh; do not edit */"
echo "#include <stddef.h>"
echo "extern const unsigned char ${sym}[];"
echo "extern const size_t ${sym}_len;"
echo "__attribute__((visibility(\"hidden\"))) const unsigned char ${sym}[] = {"
od -An -v -tx1 "$file" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/    /'
echo "    0x00};"
echo "__attribute__((visibility(\"hidden\"))) const size_t ${sym}_len = sizeof ${sym} - 1;"
