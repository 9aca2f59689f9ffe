#!/bin/sh
# POP3: petrel against the raw floor client, on the harness's Dovecot.
#
#   bench/run-pop3.sh            (from a build directory, or with PETREL=...)
#
# A generated mailbox of BENCH_POP3_COUNT messages (default 10000; cached
# in BENCH_CACHE) is loaded into alice's INBOX, which is her POP3
# maildrop.  Then, each as the median of BENCH_RUNS timed runs after one
# untimed warm-up run:
#
#   floors (bench/floor-pop3, STLS on the POP3 port, through the
#   harness's relay as petrel goes): download of every message with
#   PIPELINING; the same one RETR per round trip (for information), and
#   straight to Dovecot without the relay; download with durable
#   delivery into a maildir (each message fsync()ed); `notmuch new` over
#   those delivered messages;
#
#   petrel: `petrel --fetch URL` in keep mode into an empty notmuch store
#   (download + durable delivery + indexing), compared with delivery
#   floor + `notmuch new`; `petrel --fetch URL --to MAILDIR` (download +
#   durable delivery into a plain maildir, no notmuch: the closest petrel
#   has to a bare download, since it never discards what it downloads),
#   compared with the download floor and the delivery floor; and both
#   straight to Dovecot.
#
# Prints a markdown table (also kept in BENCH_CACHE/results/).

# The BM_* variables set here are read by bench_measure in lib.sh.
# shellcheck disable=SC2034
set -eu

bench_dir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$bench_dir/.." && pwd)
. "$bench_dir/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
. "$bench_dir/load-dovecot.sh"

count=${BENCH_POP3_COUNT:-10000}
bench_setup
trap 'bench_cleanup' EXIT
src=$(bench_mailbox "$count")

harness_start --no-postfix
# shellcheck disable=SC2154
trap '_rc=$?; bench_cleanup; harness_stop; exit $_rc' EXIT
bench_direct

user=$HARNESS_USER1
pass=$HARNESS_PASS1
bench_load_maildir "$user" "$src"
url="pop3://$user:$pass@127.0.0.1:$HARNESS_POP3_PORT"
floor="$BENCH_BIN/floor-pop3 -p $HARNESS_POP3_PORT -S -C $HARNESS_CA -u $user -w $pass"
spool=$BENCH_WORK/spool
nmdir=$BENCH_WORK/nm
pmd=$BENCH_WORK/petrel-maildir

# A notmuch configuration for a maildir, as a user's would be.
notmuch_config() {
	cat >"$1" <<EOF
[database]
path=$2
[user]
primary_email=reader@petrel.test
[new]
tags=unread;inbox;
[maildir]
synchronize_flags=true
EOF
}

prep_spool() {
	rm -rf "$spool" && mkdir -p "$spool/cur" "$spool/new" "$spool/tmp"
}
prep_notmuch_index() {
	rm -rf "$spool/.notmuch"
}
# An empty notmuch store, and petrel's memory of what it fetched before
# (the UIDLs under XDG_STATE_HOME) gone, so that every run fetches all.
prep_nm() {
	rm -rf "$nmdir" "$BENCH_WORK/home/.local/state/petrel/pop3" &&
		mkdir -p "$nmdir/mail" && notmuch_config "$nmdir/config" "$nmdir/mail"
}
# An empty maildir for --to, and no memory of earlier fetches.
prep_pmd() {
	rm -rf "$pmd" "$BENCH_WORK/home/.local/state/petrel/pop3"
}
check_pmd() {
	_cp_n=$(find "$pmd/cur" "$pmd/new" -type f 2>/dev/null | wc -l)
	if [ "$_cp_n" -ne "$count" ]; then
		BM_CHECK_WHY="petrel: $_cp_n messages in the maildir, not $count"
		return 1
	fi
}
check_spool() {
	_cs_n=$(find "$spool/cur" "$spool/new" -type f | wc -l)
	if [ "$_cs_n" -ne "$count" ]; then
		BM_CHECK_WHY="$_cs_n messages delivered, not $count"
		return 1
	fi
}
check_nm() {
	_cn_n=$(NOTMUCH_CONFIG=$nmdir/config notmuch count '*' 2>/dev/null || echo 0)
	if [ "$_cn_n" -ne "$count" ]; then
		BM_CHECK_WHY="petrel: $_cn_n messages in the notmuch store, not $count"
		return 1
	fi
}

{
	echo "## POP3"
	echo
	bench_machine
	echo
	echo "### $count messages ($(du -sh "$src" | cut -f1) in the maildir), keep mode"
	echo
} >>"$BENCH_TABLE"
bench_table_header

unset BM_PREPARE BM_CHECK BM_STDIN
# shellcheck disable=SC2086
bench_measure download $floor
bench_row "download (STAT, UIDL, RETR all, pipelined)" floor-pop3 \
	"$(bench_floor_field download total bytes_in)" "" ""
download_floor=$BM_MEDIAN
# shellcheck disable=SC2086
bench_measure download-nopipe $floor --no-pipelining
bench_row "download, one RETR per round trip" floor-pop3 \
	"$(bench_floor_field download-nopipe total bytes_in)" "" "(information)"
bench_measure download-direct "$BENCH_BIN/floor-pop3" -h "$BENCH_DIRECT_HOST" \
	-V "$BENCH_DIRECT_VERIFY_NAME" -p "$HARNESS_POP3_PORT" -S -C "$HARNESS_CA" -u "$user" -w "$pass"
bench_row "no relay: download (straight to Dovecot)" floor-pop3 \
	"$(bench_floor_field download-direct total bytes_in)" "" ""
direct_floor=$BM_MEDIAN
BM_PREPARE=prep_spool BM_CHECK=check_spool
# shellcheck disable=SC2086
bench_measure deliver $floor --maildir "$spool"
bench_row "download + durable delivery into a maildir (fsync per message)" floor-pop3 \
	"$(bench_floor_field deliver total bytes_in)" "" ""
deliver_floor=$BM_MEDIAN
unset BM_CHECK
notmuch_config "$BENCH_WORK/notmuch-floor" "$spool"
BM_PREPARE=prep_notmuch_index
bench_measure notmuch-new env NOTMUCH_CONFIG="$BENCH_WORK/notmuch-floor" notmuch new --quiet
bench_row "notmuch new over the delivered messages" notmuch "" "" ""
notmuch_floor=$BM_MEDIAN
unset BM_PREPARE
index_floor=
if [ -n "$deliver_floor" ] && [ -n "$notmuch_floor" ]; then
	index_floor=$(awk -v a="$deliver_floor" -v b="$notmuch_floor" 'BEGIN { printf "%.6f", a + b }')
	printf '| download + delivery + `notmuch new` (sum of the two medians above) | floors | %.3f | | | | | | | |\n' \
		"$index_floor" >>"$BENCH_TABLE"
fi

# petrel --fetch stores what it downloads: each message written to the
# notmuch store's maildir, synced to disk and indexed (doc/petrel.1).
if ! bench_petrel_unsupported pop3 && ! bench_petrel_unsupported notmuch; then
	BM_PREPARE=prep_nm BM_CHECK=check_nm
	BENCH_NOTMUCH_CONFIG=$nmdir/config
	export BENCH_NOTMUCH_CONFIG
	bench_measure p-fetch "$BENCH_PETREL" -n -S "tls_ca_file=$HARNESS_CA" --fetch "$url"
	[ "$BM_OK" = yes ] || bench_petrel_why
	unset BM_PREPARE BM_CHECK BENCH_NOTMUCH_CONFIG
fi
bench_row "download + durable delivery + notmuch indexing, keep mode (petrel --fetch)" petrel "" \
	"$index_floor" "≤ 1.2x (delivery floor + notmuch new)"

# The download alone: --to a plain maildir on the same file system, no
# notmuch.  petrel never throws a message away, so its bare download is
# a durable delivery (batches made durable with one syncfs, then linked
# into new/); compared with the download floor (the target) and with the
# floor's own durable delivery.
if ! bench_petrel_unsupported pop3; then
	BM_PREPARE=prep_pmd BM_CHECK=check_pmd
	bench_measure p-fetch-to "$BENCH_PETREL" -n -S "tls_ca_file=$HARNESS_CA" --fetch "$url" \
		--to "$pmd"
	[ "$BM_OK" = yes ] || bench_petrel_why
	unset BM_PREPARE BM_CHECK
fi
BM_KEEP=yes
bench_row "download + durable delivery into a maildir, keep mode (petrel --fetch --to)" petrel "" \
	"$download_floor" "≤ 1.3x the download floor"
BM_KEEP=
bench_row "the same run against the floor's durable delivery" petrel "" "$deliver_floor" \
	"(information)"
if ! bench_petrel_unsupported pop3; then
	BM_PREPARE=prep_pmd BM_CHECK=check_pmd
	# shellcheck disable=SC2086
	bench_measure p-fetch-to-direct "$BENCH_PETREL" -n -S "tls_ca_file=$HARNESS_CA" \
		$BENCH_DIRECT_PETREL_OPTS --fetch "pop3://$user:$pass@$BENCH_DIRECT_HOST:$HARNESS_POP3_PORT" \
		--to "$pmd"
	[ "$BM_OK" = yes ] || bench_petrel_why
	unset BM_PREPARE BM_CHECK
fi
bench_row "no relay: petrel --fetch --to, against the no-relay download floor" petrel "" \
	"$direct_floor" "(information)"

if ! bench_petrel_unsupported pop3 && ! bench_petrel_unsupported notmuch; then
	BM_PREPARE=prep_nm BM_CHECK=check_nm
	BENCH_NOTMUCH_CONFIG=$nmdir/config
	export BENCH_NOTMUCH_CONFIG
	# shellcheck disable=SC2086
	bench_measure p-fetch-direct "$BENCH_PETREL" -n -S "tls_ca_file=$HARNESS_CA" \
		$BENCH_DIRECT_PETREL_OPTS --fetch "pop3://$user:$pass@$BENCH_DIRECT_HOST:$HARNESS_POP3_PORT"
	[ "$BM_OK" = yes ] || bench_petrel_why
	unset BM_PREPARE BM_CHECK BENCH_NOTMUCH_CONFIG
fi
bench_row "no relay: petrel --fetch, against the no-relay download floor" petrel "" \
	"$direct_floor" "(information)"

result=$BENCH_CACHE/results/pop3-$(date -u +%Y%m%d-%H%M%S).md
cp "$BENCH_TABLE" "$result"
cat "$BENCH_TABLE"
bench_err "results kept in $result"
