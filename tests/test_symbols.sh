#!/bin/sh
# Only zf_ symbols are exported, and exactly those listed in lib/zaakflow.sym (jansson):
# a new or removed public function must be a deliberate change of that list.
set -u
src=${ZF_SRCDIR:?}
build=${ZF_BUILDDIR:?}
so=$(ls "$build"/lib/.libs/libzaakflow.so 2>/dev/null | head -n1)
if [ -z "$so" ]; then echo "no shared library built; skipping"; exit 77; fi
nm=${NM:-nm}
actual=$($nm -D --defined-only "$so" | awk '$2 ~ /^[TDRB]$/ {print $3}' | sort)
fail=0
stray=$(printf '%s\n' "$actual" | grep -v '^zf_' || true)
if [ -n "$stray" ]; then echo "FAIL: exported symbols without the zf_ prefix:"; echo "$stray"; fail=1; fi
if ! printf '%s\n' "$actual" | diff -u "$src/lib/zaakflow.sym" - ; then
    echo "FAIL: exported symbols differ from lib/zaakflow.sym (update it deliberately)"; fail=1
fi
# The case store library: zf_store_ symbols only, exactly store/zaakflow-store.sym.
sso=$(ls "$build"/store/.libs/libzaakflow-store.so 2>/dev/null | head -n1)
if [ -n "$sso" ]; then
    sactual=$($nm -D --defined-only "$sso" | awk '$2 ~ /^[TDRB]$/ {print $3}' | sort)
    stray=$(printf '%s\n' "$sactual" | grep -v '^zf_store_' || true)
    if [ -n "$stray" ]; then echo "FAIL: libzaakflow-store exports symbols without zf_store_:"; echo "$stray"; fail=1; fi
    if ! printf '%s\n' "$sactual" | diff -u "$src/store/zaakflow-store.sym" - ; then
        echo "FAIL: libzaakflow-store's symbols differ from store/zaakflow-store.sym"; fail=1
    fi
fi
[ $fail -eq 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit $fail
