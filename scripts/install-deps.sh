#!/bin/sh
# Install the Debian packages zaakflow needs to build and test, when they are missing.
# Usage: scripts/install-deps.sh [--bench]   (as root, or with sudo available)
# Required packages must install; optional ones (fuzzing, formatting, Java) are tried one by one.
set -eu
# python3-venv, -pip, -setuptools, -wheel: the offline `pip install ./bindings/python`
# test; tzdata: Europe/Amsterdam for aware datetimes (zoneinfo).
required="build-essential autoconf automake libtool pkg-config libxml2-dev libxml2-utils check
          valgrind python3 python3-dev swig python3-jsonschema python3-venv python3-pip
          python3-setuptools python3-wheel tzdata"
optional="clang libclang-rt-14-dev clang-format default-jdk-headless lcov"
if [ "${1:-}" = "--bench" ]; then
    required="$required python3-transitions nodejs npm"
fi
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=""
for p in $required; do installed "$p" || missing="$missing $p"; done
missing_opt=""
for p in $optional; do installed "$p" || missing_opt="$missing_opt $p"; done
[ -z "$missing$missing_opt" ] && exit 0
$SUDO apt-get update -qq
if [ -n "$missing" ]; then
    echo "installing:$missing" >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
for p in $missing_opt; do
    echo "installing (optional): $p" >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$p" \
        >/dev/null 2>&1 || echo "optional package $p is not available; continuing" >&2
done
