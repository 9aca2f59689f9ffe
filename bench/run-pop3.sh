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
# BENCH_POP3_AB=OLD-PETREL compares two builds' --fetch --to instead
# (see below).

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

# A run's maildir is moved aside, not deleted, until the script ends:
# on ext4 without a journal (this machine's), the inode allocator steps
# over every inode freed in the last 5 s, or 305 s while its inode table
# block is dirty (recently_deleted() in fs/ext4/ialloc.c), so creating
# 10,000 files right after deleting 10,000 others spends seconds in the
# kernel (a third of petrel's CPU samples in perf) that no user's fetch
# pays.  BENCH_WORK, and all of it, goes at the end.
set_aside() {
	[ -e "$1" ] || return 0
	mv "$1" "$(mktemp -d "$BENCH_WORK/aside.XXXXXX")/"
}
prep_spool() {
	set_aside "$spool" && mkdir -p "$spool/cur" "$spool/new" "$spool/tmp"
}
prep_notmuch_index() {
	rm -rf "$spool/.notmuch"
}
# An empty notmuch store, and petrel's memory of what it fetched before
# (the UIDLs under XDG_STATE_HOME) gone, so that every run fetches all.
prep_nm() {
	set_aside "$nmdir" && rm -rf "$BENCH_WORK/home/.local/state/petrel/pop3" &&
		mkdir -p "$nmdir/mail" && notmuch_config "$nmdir/config" "$nmdir/mail"
}
# An empty maildir for --to, and no memory of earlier fetches.
prep_pmd() {
	set_aside "$pmd" && rm -rf "$BENCH_WORK/home/.local/state/petrel/pop3"
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

# BENCH_POP3_AB=OLD_PETREL: on a busy machine, instead of the tables
# below, BENCH_RUNS rounds of the download floor, the floor's durable
# delivery, OLD_PETREL --fetch --to and petrel --fetch --to, one after the
# other in each round, so that both petrels see the same load; wall,
# user and system seconds of each, and the load average.
if [ -n "${BENCH_POP3_AB:-}" ]; then
	ab_old=$BENCH_WORK/petrel-old
	sed "s|^exec .*|exec \"$BENCH_POP3_AB\" \"\\\$@\"|" "$BENCH_PETREL" >"$ab_old"
	chmod +x "$ab_old"
	ab_time() { # NAME COMMAND...: one timed run, a table cell
		_ab_n=$1
		shift
		"$BENCH_BIN/timeit" -o "$BENCH_WORK/ab-$_ab_n.t" "$@" >/dev/null 2>"$BENCH_WORK/ab-$_ab_n.err" ||
			{ echo "FAILED: $(head -1 "$BENCH_WORK/ab-$_ab_n.err")"; return 0; }
		awk '{ printf "%.3f / %.3f / %.3f", $1, $3, $4 }' "$BENCH_WORK/ab-$_ab_n.t"
	}
	# shellcheck disable=SC2086
	$floor >/dev/null # warm-up: Dovecot's cache
	{
		echo "## POP3 download, $count messages: OLD (\`$BENCH_POP3_AB\`) and NEW (\`$PETREL\`) alternately"
		echo
		bench_machine
		echo
		echo "wall / user / system s (timeit); load average before each round"
		echo
		echo "| round | load | floor download | floor durable delivery | OLD --fetch --to | NEW --fetch --to |"
		echo "| --- | --- | ---: | ---: | ---: | ---: |"
	} >>"$BENCH_TABLE"
	for _ab_i in $(seq 1 "$BENCH_RUNS"); do
		_ab_load=$(cut -d' ' -f1-3 /proc/loadavg)
		# shellcheck disable=SC2086
		_ab_f=$(ab_time floor $floor)
		prep_spool
		# shellcheck disable=SC2086
		_ab_d=$(ab_time deliver $floor --maildir "$spool")
		check_spool || _ab_d="$_ab_d (check: $BM_CHECK_WHY)"
		prep_pmd
		_ab_o=$(ab_time old "$ab_old" -n -S "tls_ca_file=$HARNESS_CA" --fetch "$url" --to "$pmd")
		check_pmd || _ab_o="$_ab_o (check: $BM_CHECK_WHY)"
		prep_pmd
		_ab_p=$(ab_time new "$BENCH_PETREL" -n -S "tls_ca_file=$HARNESS_CA" --fetch "$url" --to "$pmd")
		check_pmd || _ab_p="$_ab_p (check: $BM_CHECK_WHY)"
		echo "| $_ab_i | $_ab_load | $_ab_f | $_ab_d | $_ab_o | $_ab_p |" >>"$BENCH_TABLE"
		tail -1 "$BENCH_TABLE" >&2
	done
	result=$BENCH_CACHE/results/pop3-ab-$(date -u +%Y%m%d-%H%M%S).md
	cp "$BENCH_TABLE" "$result"
	cat "$BENCH_TABLE"
	bench_err "results kept in $result"
	exit 0
fi

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
