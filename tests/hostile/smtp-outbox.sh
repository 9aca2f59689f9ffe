#!/bin/sh
# A server that fails in the middle: 421 at MAIL, the connection dropped
# after DATA's 354, dropped after the end of the message without an
# answer, a 451 to the end of the message.  Each time the message stays in
# the outbox (exit 75), and a flush against a good server (the scripted
# server's next connection) sends it, once.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/smtp-lib.sh"

printf 'a message that must not be lost\n' >body.txt

for scenario in 421 drop354 tempfail dropdot; do
	rm -rf "$OUTBOX"
	peer_start "$scenario"
	pt -s "scenario $scenario" bob@example.org <body.txt
	check_eq "$scenario: exit 75" "$rc" 75
	check_eq "$scenario: one line on stderr" "$(lines "$errout")" 1
	check_contains "$scenario: queued in the outbox" "$errout" "queued in the outbox ($OUTBOX)"
	check_eq "$scenario: the message is in the outbox" "$(outbox_count)" 1
	check_eq "$scenario: nothing was accepted" "$(spooled)" 0
	case $scenario in
	421) check_contains "421: the server's words" "$errout" "421 4.3.2 shutting down" ;;
	tempfail) check_contains "451: the server's words" "$errout" "451 4.3.0 try later" ;;
	dropdot)
		check_contains "lost after the end: may have been delivered" "$errout" \
			"may or may not have been delivered"
		check "lost after the end: marked as sending" sh -c "find '$OUTBOX' -name '*:2,s' | grep -q ." ;;
	drop354)
		# The server's close may come before or after the whole message
		# went out: both are possible outcomes for the client.
		;;
	esac
	case $scenario in
	421 | tempfail)
		check "$scenario: not marked as sending" sh -c "! find '$OUTBOX' -name '*:2,s' | grep -q ." ;;
	esac
	# The body is intact in the outbox.
	check "$scenario: the outbox keeps the body" grep -q "a message that must not be lost" \
		$(outbox_files)
	pt --flush-outbox
	check_eq "$scenario: flush exit 0" "$rc" 0
	check_eq "$scenario: delivered once" "$(spooled)" 1
	check_eq "$scenario: the outbox is empty" "$(outbox_count)" 0
	pt --flush-outbox
	peer_stop
	check_eq "$scenario: a second flush sends nothing" "$rc:$(spooled)" "0:1"
	check "$scenario: the delivered message is the one queued" \
		grep -q "^Subject: scenario $scenario" "$T/spool/1.msg"
	check "$scenario: without the outbox's envelope block" \
		sh -c "! grep -q '^X-Petrel' '$T/spool/1.msg'"
done

finish
