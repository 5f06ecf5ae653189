#!/bin/sh
# Run the Java binding's test main class (no JUnit) against the build tree.
# Started by tests/Makefile.am (if ENABLE_JAVA) with ZF_SRCDIR and ZF_BUILDDIR set.
: "${ZF_BUILDDIR:?}" "${ZF_SRCDIR:?}"
dir=$ZF_BUILDDIR/bindings/java
if [ ! -f "$dir/java-env.sh" ] || [ ! -f "$dir/zaakflow.jar" ]; then
    echo "Java binding not built (make check builds it in bindings/java)" >&2
    exit 99
fi
. "$dir/java-env.sh"
LD_LIBRARY_PATH=$ZF_BUILDDIR/lib/.libs:$ZF_BUILDDIR/store/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export LD_LIBRARY_PATH
run() {
    "$JAVA" -Xcheck:jni -cp "$dir/zaakflow.jar:$dir/test-classes" \
        -Djava.library.path="$dir/.libs" -Dzaakflow.srcdir="$ZF_SRCDIR" "$@"
}
run nl.zaakflow.test.ZaakflowTest || exit 1
# The case store, when built (its JNI library beside the core's).
if [ -f "$dir/test-classes/nl/zaakflow/test/StoreTest.class" ]; then
    run nl.zaakflow.test.StoreTest || exit 1
fi
# The example must run and list the bezwaar deadlines (processes/ is not in
# every tree, e.g. not in a distribution tarball without it).
if [ ! -f "$ZF_SRCDIR/processes/bezwaar.xml" ]; then
    echo "skip ShowDeadlines: $ZF_SRCDIR/processes/bezwaar.xml not present"
    exit 0
fi
out=$(run ShowDeadlines "$ZF_SRCDIR/processes") || { echo "$out"; exit 1; }
echo "$out"
case $out in
*beslistermijn*) ;;
*) echo "FAIL: ShowDeadlines lists no beslistermijn"; exit 1 ;;
esac
