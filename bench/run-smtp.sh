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
#   petrel: the same messages over one connection, when the mail(1) face
#   has a way to do that (it has none yet: doc/petrel.1 describes send
#   mode as one message per run); and, for information, 100 messages
#   each sent by its own petrel process through smtp_url.
#
# Prints a markdown table (also kept in BENCH_CACHE/results/).
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

# How petrel sends COUNT messages over one connection: the mail(1) face
# has no such mode yet.  When one lands, measure it below as the floor is
# measured, with the same recipient and message size.
petrel_batch_why="petrel: not supported by this build yet (doc/petrel.1 names no way to send several messages over one connection)"

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
	BM_OK=no BM_WHY=$petrel_batch_why BM_LOAD=
fi
bench_row "send $count over one connection" petrel "" "$send_floor" "≤ 1.5x the floor"

# One process per message: what a cron job or a script pays per mail.
if ! bench_petrel_unsupported smtp; then
	awk 'BEGIN { for (i = 0; i < 16; i++) print "A small message body line, as a script would send it." }' \
		>"$BENCH_WORK/body"
	cat >"$BENCH_WORK/send-100.sh" <<EOF
#!/bin/sh
# 100 messages, one petrel process each; sendmail=/bin/false so that a
# build without SMTP fails instead of handing mail to the system's MTA.
i=0
while [ \$i -lt 100 ]; do
	i=\$((i + 1))
	"$BENCH_PETREL" -n -S sendmail=/bin/false \\
		-S "smtp_url=smtp://$user:$pass@127.0.0.1:$HARNESS_SUBMISSION_PORT" \\
		-S "tls_ca_file=$HARNESS_CA" -s "petrel bench \$i" $rcpt <"$BENCH_WORK/body" || exit 1
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
