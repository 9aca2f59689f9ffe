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
#   petrel: the same number of messages over one connection, as a
#   command-mode script of mail commands (checked in Postfix's log to
#   use one connection, and to leave nothing in the outbox); and, for
#   information, 100 messages each sent by its own petrel process
#   through smtp_url.
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

unset BM_PREPARE BM_CHECK BM_STDIN
# shellcheck disable=SC2086
bench_measure send $floor -p "$HARNESS_SUBMISSION_PORT" -S
rate=$(bench_floor_field send total msgs_per_s)
bench_row "send $count, PIPELINING (${rate:-?} msg/s)" floor-smtp "" "" ""
send_floor=$BM_MEDIAN
# shellcheck disable=SC2086
bench_measure send-nopipe $floor -p "$HARNESS_SUBMISSION_PORT" -S --no-pipelining
rate=$(bench_floor_field send-nopipe total msgs_per_s)
bench_row "send $count, one command per round trip (${rate:-?} msg/s)" floor-smtp "" "" \
	"(information)"
# shellcheck disable=SC2086
bench_measure send-smtps $floor -p "$HARNESS_SMTPS_PORT" -T
rate=$(bench_floor_field send-smtps total msgs_per_s)
bench_row "send $count over smtps, PIPELINING (${rate:-?} msg/s)" floor-smtp "" "" "(information)"

if ! bench_petrel_unsupported smtp; then
	make_batch
	BM_STDIN=$BENCH_WORK/batch.in BM_PREPARE=prep_batch BM_CHECK=check_batch
	# shellcheck disable=SC2086
	bench_measure p-batch "$BENCH_PETREL" $petrel_smtp -N -f "$BENCH_WORK/box"
	[ "$BM_OK" = yes ] || bench_petrel_why
	unset BM_STDIN BM_PREPARE BM_CHECK
fi
bench_row "send $count over one connection (a command-mode script of mail commands)" petrel "" \
	"$send_floor" "≤ 1.5x the floor"

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
