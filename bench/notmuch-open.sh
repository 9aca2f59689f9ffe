#!/bin/sh
# How long opening a large notmuch query folder takes in petrel, next to
# notmuch's own search of the same query.
#
#   bench/notmuch-open.sh [PETREL [COUNT]]
#
# Generates COUNT messages (default 10000, in threads of up to five) in a
# temporary maildir, indexes them with `notmuch new`, then times, best of
# three runs each with a warm cache:
#   notmuch search --output=messages tag:inbox
#   petrel -H -f 'notmuch://?query=tag:inbox'    (every summary loaded)
# With the benchmarks' timeit built ($BENCH_CACHE/bin/timeit, by
# bench/build.sh) each line also gives the CPU time (user + system) of
# every run: on a busy machine wall times say little.
# A measurement, not a test: nothing here passes or fails.
#
# With NOTMUCH_OPEN_MAILDIR=DIR (a maildir, such as a generated one in
# BENCH_CACHE: $BENCH_CACHE/mail-100000-s1-v1) the messages are DIR's
# instead, hard-linked into $BENCH_CACHE/notmuch-NAME, where the database
# is kept: `notmuch new` of 100,000 messages takes many minutes, so it
# runs once (the file `indexed` says it finished) and later runs reuse it.
# COUNT is then ignored.
set -eu

petrel=${1:-./petrel}
count=${2:-10000}
command -v notmuch >/dev/null || { echo "notmuch is not installed" >&2; exit 1; }
[ -x "$petrel" ] || { echo "usage: $0 PATH-TO-PETREL [COUNT]" >&2; exit 1; }
case $petrel in /*) ;; *) petrel=$(pwd)/$petrel ;; esac

src=${NOTMUCH_OPEN_MAILDIR:-}
if [ -n "$src" ]; then
	[ -d "$src/cur" ] || { echo "$src is not a maildir" >&2; exit 1; }
	dir=${BENCH_CACHE:-/tmp/petrel-bench}/notmuch-$(basename "$src")
	cached=no
	[ -f "$dir/indexed" ] && cached=yes
	if [ $cached = no ]; then
		rm -rf "$dir"
		mkdir -p "$dir/mail" "$dir/home"
		cp -al "$src/cur" "$src/new" "$src/tmp" "$dir/mail/"
	fi
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/petrel-bench.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
	mkdir -p "$dir/mail/cur" "$dir/mail/new" "$dir/mail/tmp" "$dir/home"
	cached=
fi
cat >"$dir/notmuch-config" <<EOF
[database]
path=$dir/mail
[new]
tags=unread;inbox;
[maildir]
synchronize_flags=true
EOF
NOTMUCH_CONFIG=$dir/notmuch-config
HOME=$dir/home
MAILRC=/dev/null
export NOTMUCH_CONFIG HOME MAILRC

# Five-message threads: each reply names its parent in In-Reply-To and
# the thread's messages in References, as mail clients write them.
[ -n "$cached" ] || awk -v n="$count" -v out="$dir/mail/cur" 'BEGIN {
	srand(1);
	for (i = 1; i <= n; i++) {
		root = i - (i - 1) % 5;
		f = sprintf("%s/%d.M%dP1.bench:2,S", out, 1700000000 + i, i);
		printf "From: Sender %d <sender%d@example.org>\n", i % 97, i % 97 > f;
		printf "To: Reader <reader@example.org>, List <list%d@example.org>\n", i % 7 > f;
		printf "Cc: Other <other%d@example.org>\n", i % 13 > f;
		printf "Subject: %sTopic number %d\n", i == root ? "" : "Re: ", root > f;
		printf "Date: %s\n", strftime("%a, %d %b %Y %H:%M:%S +0000", 1700000000 + i * 60, 1) > f;
		printf "Message-ID: <m%d@bench.example.org>\n", i > f;
		if (i != root) {
			printf "In-Reply-To: <m%d@bench.example.org>\n", i - 1 > f;
			refs = "";
			for (j = root; j < i; j++)
				refs = refs sprintf(" <m%d@bench.example.org>", j);
			printf "References:%s\n", refs > f;
		}
		printf "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n" > f;
		for (k = 0; k < 20; k++)
			printf "Body line %d of message %d, with some words to index %d.\n", k, i, rand() * 100000 > f;
		close(f);
	}
}'
if [ "$cached" = no ]; then
	s=$(date +%s)
	notmuch new --quiet
	echo "notmuch new of $src: $(($(date +%s) - s)) s" >"$dir/indexed"
	cat "$dir/indexed"
elif [ -z "$cached" ]; then
	notmuch new --quiet
	notmuch tag +inbox -- '*'
fi
count=$(notmuch count '*')

timeit=${BENCH_CACHE:-/tmp/petrel-bench}/bin/timeit
[ -x "$timeit" ] || timeit=
cpu_out=$dir/timeit.out
best() {
	# best LABEL COMMAND...: the smallest wall time of three runs, in
	# seconds, and (with timeit) the user + system CPU time of each run.
	label=$1
	shift
	"$@" >/dev/null 2>&1 # warm the cache
	b=
	cpu=
	for _ in 1 2 3; do
		s=$(date +%s.%N)
		if [ -n "$timeit" ]; then
			"$timeit" -o "$cpu_out" "$@" >/dev/null 2>&1
			cpu="$cpu $(awk '{ printf "%.2f", $3 + $4 }' "$cpu_out")"
		else
			"$@" >/dev/null 2>&1
		fi
		e=$(date +%s.%N)
		b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN {
			t = e - s; if (b == "" || t < b) b = t; printf "%.3f", b }')
	done
	printf '%-48s %s s%s\n' "$label" "$b" "${cpu:+  (CPU s:$cpu; load $(cut -d' ' -f1 /proc/loadavg))}"
}

lines=$("$petrel" -n -H -f 'notmuch://?query=tag:inbox' | wc -l)
echo "messages: $count; summary lines printed by petrel: $lines"
best "notmuch search --output=messages tag:inbox" notmuch search --output=messages tag:inbox
best "notmuch search --output=files tag:inbox" notmuch search --output=files tag:inbox
best "notmuch search tag:inbox (threads)" notmuch search tag:inbox
best "petrel -H -f notmuch://?query=tag:inbox" "$petrel" -n -H -f 'notmuch://?query=tag:inbox'
best "petrel -H -f (the maildir itself)" "$petrel" -n -H -f "$dir/mail"
