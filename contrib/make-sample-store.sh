#!/bin/sh
# Makes a small maildir to try petrel on:
#
#   sh contrib/make-sample-store.sh ~/petrel-sample
#   ./petrel -S spoolfile=~/petrel-sample -S sort=threads
#
# The 35 messages in contrib/sample/ hold threads (one with a missing
# parent, a mailing list with List-Post), several charsets (ISO-8859-1,
# ISO-2022-JP, KOI8-R, RFC 2047 names), an attachment, an HTML-only
# message, and a mix of read, unread, replied and flagged mail.
#
# A file named cur-NN-FLAGS.eml goes to cur/ with those maildir flags,
# new-NN.eml to new/ (unread).  DIR must not exist yet, be empty, or be
# a sample store made by this script (it is then made again).
set -eu

usage() {
	echo "usage: sh $0 DIR" >&2
	exit 2
}

[ $# -eq 1 ] || usage
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
sample="$here/sample"
[ -d "$sample" ] || { echo "$0: $sample is missing" >&2; exit 1; }

if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null || echo x)" ]; then
	if [ ! -f "$dir/.petrel-sample" ]; then
		echo "$0: $dir exists and is not a petrel sample store; choose another name" >&2
		exit 1
	fi
	rm -rf "$dir/cur" "$dir/new" "$dir/tmp"
fi
mkdir -p "$dir/cur" "$dir/new" "$dir/tmp"
: > "$dir/.petrel-sample"

host=$(hostname 2>/dev/null || echo localhost)
n=0
for f in "$sample"/*.eml; do
	b=$(basename "$f" .eml)
	n=$((n + 1))
	# Unique maildir names: a fixed time, a counter, the host.
	base="1767225600.P$$Q$n.$host"
	case "$b" in
	new-*) cp "$f" "$dir/new/$base" ;;
	cur-*)
		flags=${b#cur-*-}
		cp "$f" "$dir/cur/$base:2,$flags"
		;;
	*) echo "$0: $f: unknown name" >&2; exit 1 ;;
	esac
done

# NOTMUCH: index the store here once the notmuch backend is in
# (`notmuch new` with a configuration whose database.path is $dir).

echo "$n messages in $dir.  Try: ./petrel -S spoolfile=$dir -S sort=threads"
