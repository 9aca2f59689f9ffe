#!/bin/sh
# SMTP: petrel against the raw floor client, on the harness's Postfix.
#
#   bench/run-smtp.sh            (as root: Postfix runs only as root)
#
# Sends BENCH_SMTP_COUNT small messages (default 1000, about 1.3 KB each)
# over one connection to the submission port (STARTTLS, AUTH PLAIN), to
# an address outside petrel.test, which Postfix accepts and discards, so
# no delivery competes with the client for the machine.  Each as the
# median of BENCH_RUNS timed runs after one untimed warm-up run:
#
#   floors (bench/floor-smtp): with PIPELINING (one round trip per
#   message); without it, and over smtps, for information;
#
#   petrel: `petrel --flush-outbox` of the same number of messages,
#   queued in the outbox beforehand (untimed) as petrel queues them; and
#   the same number as a command-mode script of mail commands, where each
#   message is also written to the outbox durably (two fsyncs) before it
#   goes out; both checked in Postfix's log to use one connection, and to
#   leave nothing in the outbox.  For information, 100 messages each sent
#   by its own petrel process through smtp_url.
#
# Prints a markdown table (also kept in BENCH_CACHE/results/).

# The BM_* variables set here are read by bench_measure in lib.sh.
# shellcheck disable=SC2034
set -eu

bench_dir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$bench_dir/.." && pwd)
. "$bench_dir/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"

count=${BENCH_SMTP_COUNT:-1000}
rcpt=bench@example.org
bench_setup
trap 'bench_cleanup' EXIT

harness_start
# shellcheck disable=SC2154
trap '_rc=$?; bench_cleanup; harness_stop; exit $_rc' EXIT

user=$HARNESS_USER1
pass=$HARNESS_PASS1
floor="$BENCH_BIN/floor-smtp -C $HARNESS_CA -u $user -w $pass -r $rcpt -n $count"

maillog=$HARNESS_DIR/postfix/maillog
petrel_smtp="-n -S sendmail=/bin/false -S from=$user@$HARNESS_DOMAIN"
petrel_smtp="$petrel_smtp -S smtp_url=smtp://$user:$pass@127.0.0.1:$HARNESS_SUBMISSION_PORT"
petrel_smtp="$petrel_smtp -S tls_ca_file=$HARNESS_CA"

# petrel's batch: "the messages of one run share one connection: a
# command-mode script with several mail commands ... logs in once"
# (doc/petrel.1).  The script has COUNT mail commands; with dot set, a
# line holding only "." ends each body (about 1,000 bytes, as the
# floor's).  Command mode needs a folder: a one-message mbox, left as it
# is by exit.  sendmail=/bin/false: a build that cannot use smtp_url
# fails instead of handing mail to the system's MTA.
make_batch() {
	printf 'From bench@petrel.test Mon Jan  1 00:00:00 2024\nFrom: bench@petrel.test\nSubject: box\n\nA folder for command mode.\n\n' \
		>"$BENCH_WORK/box"
	awk -v n="$count" -v rcpt="$rcpt" 'BEGIN {
		print "set dot"
		line = "A small message body line, as a script would send it, padded to 71 chars."
		for (i = 1; i <= n; i++) {
			print "mail " rcpt
			for (k = 0; k < 14; k++)
				print substr(line, 1, 71)
			print "."
		}
		print "exit"
	}' >"$BENCH_WORK/batch.in"
}

# The outbox as `mail` commands leave it when the server cannot be
# reached: COUNT entries (envelope block, then the message, LF line
# ends), in queue order, with about the floor's 1,000-byte body.
make_outbox() {
	_mo=$BENCH_WORK/home/.local/state/petrel/outbox
	rm -rf "$_mo"
	mkdir -p "$_mo/tmp" "$_mo/new" "$_mo/cur" || return 1
	chmod 700 "$_mo" "$BENCH_WORK/home/.local/state/petrel"
	awk -v n="$count" -v dir="$_mo/new" -v from="$user@$HARNESS_DOMAIN" -v rcpt="$rcpt" 'BEGIN {
		line = "A small message body line, as a script would send it, padded to 71 chars."
		for (i = 1; i <= n; i++) {
			f = sprintf("%s/1700000000.M%06dQ%06dP1.bench", dir, i, i)
			printf "X-Petrel-Outbox: 1\nX-Petrel-Envelope-From: <%s>\n", from > f
			printf "X-Petrel-Envelope-To: <%s>\n", rcpt > f
			printf "From: %s\nTo: <%s>\nSubject: petrel bench %d\n", from, rcpt, i > f
			printf "Date: Mon, 01 Jan 2024 00:00:00 +0000\n" > f
			printf "Message-ID: <bench.%d@petrel.test>\nMIME-Version: 1.0\n", i > f
			printf "Content-Type: text/plain; charset=us-ascii\n\n" > f
			for (k = 0; k < 14; k++)
				print substr(line, 1, 71) > f
			close(f)
		}
	}'
}
prep_flush() {
	make_outbox && prep_batch
}

# Postfix logs " connect from" once per connection: a run must add one.
connections() {
	grep -c ' connect from ' "$maillog" || :
}
prep_batch() {
	conn_before=$(connections)
}
check_batch() {
	_cb_n=0
	_cb_now=$(connections)
	while [ "$_cb_now" -le "$conn_before" ] && [ "$_cb_n" -lt 40 ]; do
		sleep 0.05
		_cb_n=$((_cb_n + 1))
		_cb_now=$(connections)
	done
	if [ "$((_cb_now - conn_before))" -ne 1 ]; then
		BM_CHECK_WHY="petrel: $((_cb_now - conn_before)) connections to Postfix, not 1"
		return 1
	fi
	if [ -n "$(find "$BENCH_WORK/home/.local/state/petrel/outbox" -type f ! -name '.*' 2>/dev/null)" ]; then
		BM_CHECK_WHY="petrel: messages left in the outbox"
		return 1
	fi
}

{
	echo "## SMTP"
	echo
	bench_machine
	echo
	echo "### $count small messages over one connection, submission port, STARTTLS, AUTH PLAIN"
	echo
} >>"$BENCH_TABLE"
bench_table_header

# BM_* of one measurement, kept aside (in the variables named PREFIX_*)
# while another is taken.
bm_save() {
	eval "${1}_median=\$BM_MEDIAN ${1}_min=\$BM_MIN ${1}_max=\$BM_MAX ${1}_rss=\$BM_RSS"
	eval "${1}_cpu=\$BM_CPU ${1}_load=\$BM_LOAD ${1}_ok=\$BM_OK ${1}_why=\$BM_WHY"
}
bm_restore() {
	eval "BM_MEDIAN=\$${1}_median BM_MIN=\$${1}_min BM_MAX=\$${1}_max BM_RSS=\$${1}_rss"
	eval "BM_CPU=\$${1}_cpu BM_LOAD=\$${1}_load BM_OK=\$${1}_ok BM_WHY=\$${1}_why"
}

unset BM_PREPARE BM_CHECK BM_STDIN
# shellcheck disable=SC2086
bench_measure send-nopipe $floor -p "$HARNESS_SUBMISSION_PORT" -S --no-pipelining
rate=$(bench_floor_field send-nopipe total msgs_per_s)
bench_row "send $count, one command per round trip (${rate:-?} msg/s)" floor-smtp "" "" \
	"(information)"
# shellcheck disable=SC2086
bench_measure send-smtps $floor -p "$HARNESS_SMTPS_PORT" -T
rate=$(bench_floor_field send-smtps total msgs_per_s)
bench_row "send $count over smtps, PIPELINING (${rate:-?} msg/s)" floor-smtp "" "" "(information)"

# The floor just before and just after petrel's flush, which is compared
# with their mean: on a shared machine the load drifts within minutes.
# shellcheck disable=SC2086
bench_measure send $floor -p "$HARNESS_SUBMISSION_PORT" -S
rate=$(bench_floor_field send total msgs_per_s)
bench_row "send $count, PIPELINING (${rate:-?} msg/s)" floor-smtp "" "" ""
floor_before=$BM_MEDIAN

if ! bench_petrel_unsupported smtp; then
	BM_PREPARE=prep_flush BM_CHECK=check_batch
	# shellcheck disable=SC2086
	bench_measure p-flush "$BENCH_PETREL" $petrel_smtp --flush-outbox
	[ "$BM_OK" = yes ] || bench_petrel_why
	unset BM_PREPARE BM_CHECK
fi
bm_save flush
# shellcheck disable=SC2086
bench_measure send-after $floor -p "$HARNESS_SUBMISSION_PORT" -S
rate=$(bench_floor_field send-after total msgs_per_s)
bm_save after
send_floor=$(awk -v a="$floor_before" -v b="$BM_MEDIAN" 'BEGIN { printf "%.6f", (a + b) / 2 }')
bm_restore flush
bench_row "petrel --flush-outbox of $count queued messages, one connection (vs the mean of the floor rows around it, $(printf '%.3f' "$send_floor") s)" \
	petrel "" "$send_floor" "≤ 1.5x the floor"
bm_restore after
bench_row "send $count, PIPELINING, again after petrel's flush (${rate:-?} msg/s)" floor-smtp "" "" ""

if ! bench_petrel_unsupported smtp; then
	make_batch
	BM_STDIN=$BENCH_WORK/batch.in BM_PREPARE=prep_batch BM_CHECK=check_batch
	# shellcheck disable=SC2086
	bench_measure p-batch "$BENCH_PETREL" $petrel_smtp -N -f "$BENCH_WORK/box"
	[ "$BM_OK" = yes ] || bench_petrel_why
	unset BM_STDIN BM_PREPARE BM_CHECK
fi
bench_row "send $count over one connection (a command-mode script of mail commands; each queued durably first)" \
	petrel "" "$send_floor" "(information)"

# One process per message: what a cron job or a script pays per mail.
if ! bench_petrel_unsupported smtp; then
	awk 'BEGIN { for (i = 0; i < 16; i++) print "A small message body line, as a script would send it." }' \
		>"$BENCH_WORK/body"
	cat >"$BENCH_WORK/send-100.sh" <<EOF
#!/bin/sh
# 100 messages, one petrel process each.
i=0
while [ \$i -lt 100 ]; do
	i=\$((i + 1))
	"$BENCH_PETREL" $petrel_smtp -s "petrel bench \$i" $rcpt <"$BENCH_WORK/body" || exit 1
done
EOF
	chmod +x "$BENCH_WORK/send-100.sh"
	bench_measure p-send-100 "$BENCH_WORK/send-100.sh"
	[ "$BM_OK" = yes ] || bench_petrel_why
fi
bench_row "send 100, one petrel process and connection each" petrel "" "" "(information)"

result=$BENCH_CACHE/results/smtp-$(date -u +%Y%m%d-%H%M%S).md
cp "$BENCH_TABLE" "$result"
cat "$BENCH_TABLE"
bench_err "results kept in $result"
