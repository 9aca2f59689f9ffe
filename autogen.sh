#!/bin/sh
# Generates ./configure.  AM_ICONV needs gettext's config.rpath, which
# autoreconf does not install by itself.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
if [ ! -f build-aux/config.rpath ]; then
	for f in /usr/share/gettext/config.rpath /usr/local/share/gettext/config.rpath; do
		if [ -f "$f" ]; then
			cp "$f" build-aux/config.rpath
			break
		fi
	done
fi
[ -f build-aux/config.rpath ] || { echo "autogen.sh: config.rpath not found: install the Debian package gettext" >&2; exit 1; }
autoreconf -fi
