"""Build the zaakflow extension for pip (see pyproject.toml).

The C library is not built here: it is found installed, through pkg-config
(`pkg-config --cflags --libs zaakflow`; set PKG_CONFIG_PATH for a prefix
pkg-config does not search). SWIG generates the wrapper at build time from
bindings/python/zaakflow_py.i and the language-neutral bindings/zaakflow.i and
bindings/instance.i next to this directory. The extension is linked with the
library's directory as its run path and named with the interpreter's ABI tag
(_core.cpython-311-x86_64-linux-gnu.so), so another Python refuses to import it.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
BINDINGS = os.path.dirname(HERE)
INTERFACES = [os.path.join(HERE, "zaakflow_py.i")] + sorted(
    os.path.join(BINDINGS, f) for f in (os.listdir(BINDINGS) if os.path.isdir(BINDINGS) else [])
    if f.endswith(".i"))
MODULES = ("definition", "instance", "zgw")   # wrapped when <zaakflow.h> includes them


def pkgconfig(*args):
    try:
        out = subprocess.run(["pkg-config", *args, "zaakflow"], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             universal_newlines=True)
    except FileNotFoundError:
        sys.exit("zaakflow: pkg-config not found (Debian: apt-get install pkg-config)")
    except subprocess.CalledProcessError as e:
        sys.exit("zaakflow: pkg-config does not find libzaakflow; install it first "
                 "(./configure && make && make install) or set PKG_CONFIG_PATH to the "
                 "directory of its zaakflow.pc\n" + e.stderr)
    return out.stdout.strip()


def swig_outputs(build_temp):
    """Run SWIG once: core_wrap.c and core.py in `build_temp`."""
    out = os.path.join(build_temp, "swig")
    wrap, proxy = os.path.join(out, "core_wrap.c"), os.path.join(out, "core.py")
    if os.path.exists(wrap) and os.path.exists(proxy) and all(
            os.path.getmtime(wrap) >= os.path.getmtime(i) for i in INTERFACES):
        return wrap, proxy
    if not os.path.exists(os.path.join(BINDINGS, "zaakflow.i")):
        sys.exit("zaakflow: %s is missing: build from the zaakflow source tree "
                 "(pip install ./bindings/python)" % os.path.join(BINDINGS, "zaakflow.i"))
    swig = shutil.which("swig4.0") or shutil.which("swig")
    if not swig:
        sys.exit("zaakflow: SWIG 4 not found (Debian: apt-get install swig)")
    incs = [f[2:] for f in shlex.split(pkgconfig("--cflags-only-I")) if f.startswith("-I")]
    incs.append(pkgconfig("--variable=includedir"))
    # The binding wraps what the installed <zaakflow.h> exports (as the Makefile does).
    defs = []
    for d in incs:
        umbrella = os.path.join(d, "zaakflow.h")
        if os.path.exists(umbrella):
            text = open(umbrella, encoding="utf-8").read()
            defs = ["-DZFB_HAVE_%s" % m.upper() for m in MODULES
                    if re.search(r"zaakflow/%s\.h" % m, text)]
            break
    os.makedirs(out, exist_ok=True)
    cmd = [swig, "-python", "-doxygen"] + ["-I" + d for d in incs] + ["-I" + BINDINGS] + \
        defs + ["-outdir", out, "-o", wrap, INTERFACES[0]]
    print(" ".join(cmd))
    subprocess.run(cmd, check=True)
    return wrap, proxy


class BuildPy(build_py):
    """The package plus the SWIG proxy module zaakflow/core.py."""

    def run(self):
        super().run()
        build_temp = self.get_finalized_command("build_ext").build_temp
        _, proxy = swig_outputs(build_temp)
        self.copy_file(proxy, os.path.join(self.build_lib, "zaakflow", "core.py"))


class BuildExt(build_ext):
    """zaakflow._core from the generated wrapper, against the installed library."""

    def build_extensions(self):
        wrap, _ = swig_outputs(self.build_temp)
        for ext in self.extensions:
            ext.sources = [wrap]
        super().build_extensions()


libdir = pkgconfig("--variable=libdir")
core = Extension(
    "zaakflow._core",
    sources=[],   # set by BuildExt
    extra_compile_args=shlex.split(pkgconfig("--cflags")) + ["-fno-strict-aliasing"],
    extra_link_args=shlex.split(pkgconfig("--libs")),
    runtime_library_dirs=[libdir] if libdir else [],
)

setup(
    version=pkgconfig("--modversion"),
    ext_modules=[core],
    cmdclass={"build_py": BuildPy, "build_ext": BuildExt},
)
