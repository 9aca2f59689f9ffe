#!/bin/sh
# Builds the raw benchmark clients (floor-imap, floor-smtp, floor-pop3)
# and timeit into a directory, outside the autotools build:
#
#   bench/build.sh [OUTDIR]      (default: ${BENCH_CACHE:-/tmp/petrel-bench}/bin)
#
# Only what changed is rebuilt.  CC and CFLAGS are honoured.
set -eu

src=$(cd "$(dirname "$0")" && pwd)
out=${1:-${BENCH_CACHE:-/tmp/petrel-bench}/bin}
cc=${CC:-cc}
cflags=${CFLAGS:--O2 -g -Wall -Wextra -Werror -std=c11}
mkdir -p "$out"

# newer TARGET SOURCE...: whether any source is newer than the target.
newer() {
	t=$1
	shift
	[ -e "$t" ] || return 0
	for s; do
		[ -n "$(find "$s" -newer "$t")" ] && return 0
	done
	return 1
}

for prog in floor-imap floor-smtp floor-pop3; do
	if newer "$out/$prog" "$src/$prog.c" "$src/floor-common.c" "$src/floor-common.h" "$0"; then
		# shellcheck disable=SC2086
		$cc $cflags -o "$out/$prog" "$src/$prog.c" "$src/floor-common.c" -lssl -lcrypto
	fi
done
if newer "$out/timeit" "$src/timeit.c" "$0"; then
	# shellcheck disable=SC2086
	$cc $cflags -o "$out/timeit" "$src/timeit.c"
fi
