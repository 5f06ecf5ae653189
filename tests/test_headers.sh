#!/bin/sh
# Every public header compiles on its own with -std=c11 -pedantic -Werror (as libgit2's
# headertest), and the umbrella header includes them all, except the headers of the
# libraries beside the core (zaakflow/store.h: libzaakflow-store, which zaakflow.h must
# not pull in, so that the core's users need neither it nor SQLite).
set -u
src=${ZF_SRCDIR:?}
cc=${CC:-cc}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in "$src"/include/zaakflow.h "$src"/include/zaakflow/*.h; do
    rel=${h#"$src/include/"}
    printf '#include <%s>\nint main(void) { return 0; }\n' "$rel" > "$tmp/t.c"
    if $cc -std=c11 -pedantic -Wall -Wextra -Werror -I"$src/include" -c "$tmp/t.c" -o "$tmp/t.o" 2>"$tmp/err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL: $rel does not compile alone"; cat "$tmp/err"
    fi
    case $rel in
    zaakflow.h) ;;
    zaakflow/store.h)
        if grep -q "include \"$rel\"" "$src/include/zaakflow.h"; then
            fail=$((fail + 1)); echo "FAIL: zaakflow.h includes $rel (a library of its own)"
        fi ;;
    *)
        if ! grep -q "include \"$rel\"" "$src/include/zaakflow.h"; then
            fail=$((fail + 1)); echo "FAIL: zaakflow.h does not include $rel"
        fi ;;
    esac
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
