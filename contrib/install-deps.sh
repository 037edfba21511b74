#!/bin/sh
# SPDX-License-Identifier: MIT
# install-deps.sh: installs what pfold's build and tests need on Debian bookworm; quiet when all is there.
set -e
PACKAGES="autoconf automake libtool pkg-config make gcc clang
libpfm4-dev libtraceevent-dev libdw-dev libelf-dev libpcre2-dev libzstd-dev
zlib1g-dev libsqlite3-dev linux-perf xz-utils zstd python3 mandoc valgrind
libiberty-dev time binutils
libxml2-utils chromium nodejs
libclang-rt-14-dev strace"

missing=
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case $status in *" installed") ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing$missing" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
