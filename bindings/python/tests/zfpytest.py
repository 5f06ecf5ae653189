"""Shared set-up of the Python tests: import zaakflow or skip (exit 77)."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.environ.get("ZF_SRCDIR") or os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def import_zaakflow():
    """Import the package; exit 77 (automake: skipped) when it is not built.
    Under `make check` (ZF_PYTHON_REQUIRED=1) a failing import is an error."""
    try:
        import zaakflow
    except ImportError as e:
        if os.environ.get("ZF_PYTHON_REQUIRED") == "1":
            raise
        print("SKIP: zaakflow binding not importable (%s)" % e)
        sys.exit(77)
    return zaakflow


def src(*parts):
    return os.path.join(SRCDIR, *parts)
