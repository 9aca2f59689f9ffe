#!/bin/sh
# What a message needs from the server: 8-bit text goes as BODY=8BITMIME
# when offered and is re-encoded to 7 bit when not (and reads back the
# same); non-ASCII addresses need SMTPUTF8 and are refused clearly
# without it; delivery status notifications as dsn_notify and dsn_return
# ask; no header or command can be injected through the subject.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/smtp-lib.sh"

printf 'plain text\n' >body.txt

# An 8-bit message as another program might leave in the outbox.
queue_8bit() {
	mkdir -p "$OUTBOX/tmp" "$OUTBOX/new" "$OUTBOX/cur"
	{
		printf 'X-Petrel-Outbox: 1\nX-Petrel-Envelope-From: <alice@example.org>\n'
		printf 'X-Petrel-Envelope-To: <bob@example.org>\n'
		printf 'From: alice@example.org\nTo: bob@example.org\nSubject: 8bit\n'
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n'
		printf 'Content-Transfer-Encoding: 8bit\n\n'
		printf 'Gr\303\274\303\237e, a line of mostly ASCII text with some umlauts \303\244\303\266\n'
	} >"$OUTBOX/new/0000000001.M000000Q000001P1.test"
}
decoded() {
	python3 - "$1" <<'EOP'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
sys.stdout.write(m.get_content())
EOP
}

queue_8bit
PEER_NO_8BIT=1
export PEER_NO_8BIT
peer_start good
pt -d trace1 --flush-outbox
peer_stop
unset PEER_NO_8BIT
check_eq "no 8BITMIME: flush exit 0" "$rc:$errout" "0:"
check_eq "no 8BITMIME: sent" "$(spooled)" 1
check "no 8BITMIME: no BODY=8BITMIME" sh -c "! grep -q 'BODY=8BITMIME' trace1"
check "no 8BITMIME: the message on the wire is 7-bit" \
	sh -c "! tr -d '\\r' <'$T/spool/1.msg' | LC_ALL=C grep -q '[^ -~]'"
check_contains "no 8BITMIME: with a transfer encoding" "$(cat "$T/spool/1.msg")" \
	"Content-Transfer-Encoding: "
check_eq "no 8BITMIME: the text reads back the same" "$(decoded "$T/spool/1.msg")" \
	"$(printf 'Gr\303\274\303\237e, a line of mostly ASCII text with some umlauts \303\244\303\266')"

queue_8bit
peer_start good
pt -d trace2 --flush-outbox
peer_stop
check_eq "8BITMIME: flush exit 0" "$rc:$errout" "0:"
check_contains "8BITMIME: BODY=8BITMIME" "$(cat trace2)" " BODY=8BITMIME"
check "8BITMIME: the bytes go as they are" grep -q "$(printf 'Gr\303\274\303\237e')" \
	"$T/spool/1.msg"

# Non-ASCII addresses.
peer_start good
pt -s "utf8 address" "$(printf 'j\303\266rg@example.org')" <body.txt
peer_stop
check_eq "no SMTPUTF8: exit 1" "$rc" 1
check_contains "no SMTPUTF8: says what is missing" "$errout" "needs SMTPUTF8"
check "no SMTPUTF8: no MAIL was sent" sh -c "! grep -q '^plain MAIL' '$T/status'"
check_eq "no SMTPUTF8: in dead.letter" "$(grep -c '^Subject: utf8 address' "$HOME/dead.letter")" 1
PEER_UTF8=1
export PEER_UTF8
peer_start good
pt -s "utf8 address" "$(printf 'j\303\266rg@example.org')" <body.txt
peer_stop
unset PEER_UTF8
check_eq "SMTPUTF8: exit 0" "$rc:$errout" "0:"
check_contains "SMTPUTF8: asked for in MAIL" "$status" " SMTPUTF8"

# Delivery status notifications.
peer_start good
pt -S dsn_notify=failure,delay -S dsn_return=hdrs -s "dsn" bob@example.org <body.txt
peer_stop
check_eq "DSN: exit 0" "$rc:$errout" "0:"
check_contains "DSN: RET and ENVID in MAIL" "$status" " RET=HDRS ENVID="
check_contains "DSN: NOTIFY and ORCPT in RCPT" "$status" \
	"RCPT TO:<bob@example.org> NOTIFY=FAILURE,DELAY ORCPT=rfc822;bob@example.org"
peer_start good
pt -S dsn_notify=never -s "dsn never" bob@example.org <body.txt
peer_stop
check_contains "DSN never: NOTIFY=NEVER" "$status" "NOTIFY=NEVER"

# Injection through the subject.
peer_start good
pt -s "$(printf 'hi\r\nBcc: evil@example.org\r\nRCPT TO:<evil@example.org>')" bob@example.org <body.txt
peer_stop
check "injection: no RCPT for the injected address" sh -c "! grep -q 'RCPT TO:<evil' '$T/status'"
check "injection: no injected Bcc header" \
	sh -c "! grep -qi '^Bcc:' '$T'/spool/*.msg 2>/dev/null"

# Progress goes to a terminal only: none here.
check "no progress output when standard error is not a terminal" \
	sh -c "! grep -q 'sending\\.\\.\\.' '$T/err'"

finish
