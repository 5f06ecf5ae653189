#!/bin/sh
# Install the Debian packages zaakflow needs to build and test, when they are missing.
# Usage: scripts/install-deps.sh [--bench]   (run as root, or with sudo available)
set -eu
pkgs="build-essential autoconf automake libtool pkg-config libxml2-dev libxml2-utils check
      valgrind clang python3 python3-dev swig"
if [ "${1:-}" = "--bench" ]; then
    pkgs="$pkgs python3-transitions nodejs npm"
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing:$missing" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
