#!/bin/sh
# One round trip a message (RFC 2920): with a single recipient, or with
# smtp_partial_send, DATA (or BDAT ... LAST with the message, when the
# server offers CHUNKING) goes in one batch with MAIL and RCPT.  A refused
# single recipient then makes the server refuse DATA or BDAT: nothing is
# delivered and the user is told the recipient's reply.  Several
# recipients without partial send still wait for the RCPT replies.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/smtp-lib.sh"

printf 'first line\n.a line with a leading dot\nlast line\n' >body.txt

for mode in data bdat; do
	if [ "$mode" = bdat ]; then
		PEER_CHUNKING=1
		export PEER_CHUNKING
	else
		unset PEER_CHUNKING
	fi
	MODE=$(echo "$mode" | tr a-z A-Z)

	# One recipient, accepted.
	rm -rf "$OUTBOX" "$HOME/dead.letter"
	peer_start good
	pt -s "$mode one" bob@example.org <body.txt
	peer_stop
	check_eq "$mode, one recipient: exit 0" "$rc:$errout" "0:"
	check_contains "$mode, one recipient: $MODE went with MAIL and RCPT" "$status" "early $MODE"
	check_eq "$mode, one recipient: delivered once" "$(spooled)" 1
	check "$mode, one recipient: the body arrived whole (the leading dot too)" \
		sh -c "tr -d '\\r' <'$T/spool/1.msg' | grep -q '^\\.a line with a leading dot\$'"
	check_eq "$mode, one recipient: the outbox is empty" "$(outbox_count)" 0

	# One recipient, refused with 550: nothing is delivered.
	rm -rf "$OUTBOX" "$HOME/dead.letter"
	peer_start good
	pt -s "$mode refused" nobody@example.org <body.txt
	peer_stop
	check_eq "$mode, refused recipient: exit 1" "$rc" 1
	check_contains "$mode, refused recipient: $MODE was pipelined" "$status" "early $MODE"
	check_eq "$mode, refused recipient: nothing delivered" "$(spooled)" 0
	check_contains "$mode, refused recipient: the server's reply is shown" "$errout" \
		"nobody@example.org (550 5.1.1"
	check_contains "$mode, refused recipient: not sent" "$errout" "not sent"
	check "$mode, refused recipient: not the 'no valid recipients' that follows" \
		sh -c "! grep -q 'no valid recipients' '$T/err'"
	check_eq "$mode, refused recipient: one line on stderr" "$(lines "$errout")" 1
	check_eq "$mode, refused recipient: saved in dead.letter" \
		"$(grep -c "^Subject: $mode refused" "$HOME/dead.letter")" 1
	check_eq "$mode, refused recipient: not left in the outbox" "$(outbox_count)" 0
	if [ "$mode" = data ]; then
		check "data, refused recipient: no message text went out" \
			sh -c "! grep -q 'first line' '$T/status'"
	fi

	# One recipient, refused for now (451): the message waits in the outbox.
	rm -rf "$OUTBOX"
	peer_start good
	pt -s "$mode later" later@example.org <body.txt
	peer_stop
	check_eq "$mode, recipient refused for now: exit 75" "$rc" 75
	check_contains "$mode, recipient refused for now: the reply" "$errout" "451 4.3.0"
	check_eq "$mode, recipient refused for now: in the outbox" "$(outbox_count)" 1
	check "$mode, recipient refused for now: queued, not marked as sending" \
		sh -c "! find '$OUTBOX' -name '*:2,s' | grep -q ."

	# Two recipients, one refused, no partial send: RCPT replies first.
	rm -rf "$OUTBOX" "$HOME/dead.letter"
	peer_start good
	pt -s "$mode two" bob@example.org nobody@example.org <body.txt
	peer_stop
	check_eq "$mode, two recipients: exit 1" "$rc" 1
	check "$mode, two recipients: $MODE waited for the RCPT replies" \
		sh -c "! grep -q '^early' '$T/status'"
	check_eq "$mode, two recipients: nothing delivered" "$(spooled)" 0
	check_contains "$mode, two recipients: nothing was sent" "$errout" "nothing was sent"

	# The same with partial send: in one batch, delivered to bob.
	rm -rf "$OUTBOX" "$HOME/dead.letter"
	peer_start good
	pt -S smtp_partial_send -s "$mode partial" bob@example.org nobody@example.org <body.txt
	peer_stop
	check_eq "$mode, partial send: exit 1 (a recipient was refused)" "$rc" 1
	check_contains "$mode, partial send: $MODE went with the envelope" "$status" "early $MODE"
	check_eq "$mode, partial send: delivered once" "$(spooled)" 1
	check_eq "$mode, partial send: to bob only" "$(grep '^to' "$T/spool/1.env")" \
		"to bob@example.org"
	check_contains "$mode, partial send: the refused one is named" "$errout" \
		"nobody@example.org (550 5.1.1"

	# Several messages of one run share the connection, each in one batch.
	rm -rf "$OUTBOX"
	printf 'From a@b Mon Jan  1 00:00:00 2024\nSubject: box\n\nx\n\n' >box
	{
		echo "set dot"
		for i in 1 2 3; do
			echo "mail bob@example.org"
			echo "message $i"
			echo "."
		done
		echo "exit"
	} >batch.in
	peer_start good
	pt -N -f box <batch.in
	peer_stop
	check_eq "$mode, batch: exit 0" "$rc:$errout" "0:"
	check_eq "$mode, batch: three delivered" "$(spooled)" 3
	check_eq "$mode, batch: over one connection" "$(grep -c '^conn' "$T/status")" 1
	check_eq "$mode, batch: each in one batch" "$(grep -c "^early $MODE" "$T/status")" 3
	check_eq "$mode, batch: the outbox is empty" "$(outbox_count)" 0
done

finish
