"""Where the package goes and what it is called: the extension carries this
interpreter's ABI tag (another Python refuses to import it instead of aborting),
and `make install` puts the package where the configured interpreter looks for
packages under the prefix (build-aux/python-sitedir.py asks it)."""
import os
import site
import subprocess
import sys
import sysconfig
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()
SITEDIR = src("build-aux", "python-sitedir.py")


def sitedir(prefix):
    out = subprocess.run([sys.executable, SITEDIR, prefix], check=True,
                         stdout=subprocess.PIPE, universal_newlines=True).stdout.split()
    return out[0], "not-searched" not in out


class TestInstall(unittest.TestCase):
    def test_extension_has_the_abi_tag(self):
        ext = sysconfig.get_config_var("EXT_SUFFIX")
        self.assertTrue(ext.startswith(".cpython-%d%d" % sys.version_info[:2]), ext)
        self.assertTrue(zaakflow.core._core.__file__.endswith("_core" + ext),
                        zaakflow.core._core.__file__)

    def test_sitedir_is_one_the_interpreter_searches(self):
        dirs = [d for d in site.getsitepackages() + sys.path
                if d.endswith(("site-packages", "dist-packages"))]
        self.assertTrue(dirs)
        for d in dirs:
            prefix = d[:d.index(os.sep + "lib" + os.sep)] if (os.sep + "lib" + os.sep) in d else None
            if not prefix:
                continue
            with self.subTest(prefix=prefix):
                rel, searched = sitedir(prefix)
                self.assertTrue(searched, prefix)
                self.assertIn(os.path.realpath(os.path.join(prefix, rel)),
                              [os.path.realpath(x) for x in dirs])
        # Debian's python3 searches dist-packages under /usr/local, not site-packages.
        if os.path.realpath(sys.prefix) == "/usr" and "/usr/local/lib/python%d.%d/dist-packages" \
                % sys.version_info[:2] in site.getsitepackages():
            self.assertEqual(sitedir("/usr/local"),
                             ("lib/python%d.%d/dist-packages" % sys.version_info[:2], True))

    def test_sitedir_elsewhere_is_the_usual_layout(self):
        rel, searched = sitedir("/nonexistent/zaakflow-prefix")
        self.assertFalse(searched)
        self.assertEqual(rel, "lib/python%d.%d/site-packages" % sys.version_info[:2])


if __name__ == "__main__":
    unittest.main()
