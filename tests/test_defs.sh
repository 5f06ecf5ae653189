#!/bin/sh
# The definition data suite (tests/defs/run-suite.sh) as a test of this directory, so its
# log lands in the build tree even when tests/defs exists only in the source tree.
exec sh "${ZF_SRCDIR:?}/tests/defs/run-suite.sh" "$@"
