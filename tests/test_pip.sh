#!/bin/sh
# `pip install ./bindings/python` offline, as the README says, in a fresh virtual
# environment: pyproject.toml + setup.py with Debian's setuptools (no build
# isolation, no index), SWIG at build time, libzaakflow found through pkg-config.
# Here the library is this build tree's (a zaakflow.pc pointing at it); CI also runs
# it against the installed library (scripts/test.sh, after make install). Then the
# installed package imports from outside the source tree, carries the interpreter's
# ABI tag and works.
set -u
: "${ZF_SRCDIR:?}" "${ZF_BUILDDIR:?}"
PY=${PYTHON:-python3}
if [ "${ZF_PYTHON_REQUIRED:-0}" != 1 ] && ! "$PY" -c 'import venv, ensurepip, setuptools' 2>/dev/null; then
    echo "SKIP: no venv, ensurepip or setuptools for $PY"
    exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/zf-pip.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

# A zaakflow.pc for the uninstalled library.
mkdir -p "$tmp/pc" "$tmp/src/bindings"
cat >"$tmp/pc/zaakflow.pc" <<EOF
libdir=$ZF_BUILDDIR/lib/.libs
includedir=$ZF_SRCDIR/include
Name: zaakflow
Description: zaakflow (build tree)
Version: $(sed -n 's/^PACKAGE_VERSION = //p' "$ZF_BUILDDIR/Makefile")
Libs: -L\${libdir} -lzaakflow
Cflags: -I\${includedir}
EOF
# pip builds a local directory in place: build a copy (the source tree may be
# read-only), with the interface files beside it as in the source tree.
cp -R "$ZF_SRCDIR/bindings/python" "$tmp/src/bindings/python" &&
    cp "$ZF_SRCDIR"/bindings/*.i "$tmp/src/bindings/" &&
    rm -rf "$tmp/src/bindings/python/build" "$tmp/src/bindings/python/"*.egg-info || fail "copy"
chmod -R u+w "$tmp/src"

"$PY" -m venv --system-site-packages "$tmp/venv" >"$tmp/venv.log" 2>&1 || { cat "$tmp/venv.log"; fail "python3 -m venv"; }
PKG_CONFIG_PATH="$tmp/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" PYTHONPATH= \
    "$tmp/venv/bin/python" -m pip install --no-build-isolation --no-index --quiet \
    "$tmp/src/bindings/python" >"$tmp/pip.log" 2>&1 || { tail -n 40 "$tmp/pip.log"; fail "pip install"; }

# From outside the tree, with nothing of the build on the paths: the package is
# the venv's and finds libzaakflow through its run path.
cd "$tmp" || exit 1
unset PYTHONPATH LD_LIBRARY_PATH
"$tmp/venv/bin/python" - "$ZF_SRCDIR" <<'EOF' || fail "the installed package"
import datetime, os, sys, sysconfig
import zaakflow
src = sys.argv[1]
pkg = os.path.dirname(zaakflow.__file__)
assert pkg.startswith(sys.prefix), pkg                       # the venv's, not the tree's
ext = sysconfig.get_config_var("EXT_SUFFIX")
assert os.path.exists(os.path.join(pkg, "_core" + ext)), os.listdir(pkg)
assert os.path.exists(os.path.join(pkg, "__init__.pyi")) and os.path.exists(os.path.join(pkg, "py.typed"))
assert zaakflow.deadline(datetime.date(2026, 4, 3), "6w").last_day == datetime.date(2026, 5, 18)
d = zaakflow.Definition.load(os.path.join(src, "processes", "bezwaar.xml"))
c = d.start(datetime.date(2026, 3, 2), verzonden=datetime.date(2026, 3, 2), commissie_gemeld=True)
c.fire("bezwaarschrift_ontvangen", datetime.date(2026, 3, 20), actor="jan", roles="behandelaar",
       ontvangen=datetime.date(2026, 3, 20), per_post=False)
assert c.term("beslistermijn").end == datetime.date(2026, 7, 6), c.term("beslistermijn")
assert hasattr(zaakflow, "ZgwConfig") and zaakflow._HAVE_ZGW   # every module of <zaakflow.h>
print("installed by pip:", pkg, "version", zaakflow.__version__)
EOF
echo "1 passed, 0 failed"
