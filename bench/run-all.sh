#!/bin/sh
# Every comparison in one go: IMAP, SMTP, POP3 (bench/run-*.sh), then the
# notmuch folder comparison (bench/notmuch-open.sh) when petrel has
# notmuch.  The tables go to standard output and, together, to
# BENCH_CACHE/results/all-DATE.md.  Run as root from a build directory
# (or with PETREL=...); takes 15 to 40 minutes on two cores.
set -eu

bench_dir=$(cd "$(dirname "$0")" && pwd)
: "${BENCH_CACHE:=/tmp/petrel-bench}"
export BENCH_CACHE
mkdir -p "$BENCH_CACHE/results"
out=$BENCH_CACHE/results/all-$(date -u +%Y%m%d-%H%M%S).md

for part in imap smtp pop3; do
	"$bench_dir/run-$part.sh" >>"$out"
	echo >>"$out"
done

petrel=${PETREL:-}
if [ -z "$petrel" ] && [ -x ./petrel ]; then
	petrel=./petrel
fi
{
	echo "## notmuch"
	echo
	if [ -n "$petrel" ] && "$petrel" --version | grep -q '^features:.* +notmuch'; then
		echo '```'
		"$bench_dir/notmuch-open.sh" "$petrel" 2>&1
		echo '```'
	else
		echo "petrel: not supported by this build yet (no +notmuch in petrel --version)"
	fi
} >>"$out"
cat "$out"
printf 'bench: results kept in %s\n' "$out" >&2
