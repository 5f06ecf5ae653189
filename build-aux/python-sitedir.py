"""Where the Python interpreter running this script looks for packages under PREFIX.

    python3 build-aux/python-sitedir.py PREFIX

Prints the directory relative to PREFIX, e.g. "lib/python3.11/dist-packages" for
Debian's /usr/bin/python3 and PREFIX=/usr/local, "lib/python3.11/site-packages"
inside a virtual environment. The interpreter is asked (site.getsitepackages()
and sys.path), not guessed: Debian's python3 searches dist-packages, others
site-packages. When it searches no directory under PREFIX, the line is
"lib/pythonX.Y/site-packages" (the usual layout) followed by "not-searched" on a
second line, so that configure can tell the user to set PYTHONPATH.
"""
import os
import site
import sys


def sitedir(prefix):
    prefix = os.path.realpath(prefix)
    seen = []
    dirs = []
    try:
        dirs += site.getsitepackages()
    except AttributeError:   # an old virtualenv's site module
        pass
    dirs += sys.path
    for d in dirs:
        if not d or not d.endswith(("site-packages", "dist-packages")):
            continue
        real = os.path.realpath(d)
        if real.startswith(prefix + os.sep) and real not in seen:
            seen.append(real)
    ver = "python%d.%d" % sys.version_info[:2]
    on_path = {os.path.realpath(d) for d in sys.path if d}
    # One on sys.path now first, then the fewest components (for /usr:
    # lib/python3/dist-packages, not local/lib/...), then this Python version's.
    seen.sort(key=lambda d: (d not in on_path, d.count(os.sep), ver not in d))
    if seen:
        return os.path.relpath(seen[0], prefix), True
    return os.path.join("lib", ver, "site-packages"), False


if __name__ == "__main__":
    rel, searched = sitedir(sys.argv[1])
    print(rel)
    if not searched:
        print("not-searched")
