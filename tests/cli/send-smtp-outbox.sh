#!/bin/sh
# The outbox as the mailx face uses it, against the scripted server: a
# message for a server that cannot be reached waits there (exit 75) with
# its envelope, Bcc included, in front; --flush-outbox sends it with that
# envelope and no Bcc header, and makes its record copy then; a copy that
# cannot be made keeps the message there without sending it again; a
# message refused for good is set aside when there is no dead.letter.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/smtp-lib.sh"

printf 'first line\nsecond line\n' >body.txt
closed_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# No server: queued, with the envelope in front.
"$PETREL" -n -S "smtp_url=smtp://127.0.0.1:$closed_port" -S smtp_starttls=no \
	-S "record=$T/sent.mbox" -S "from=Alice <alice@example.org>" -s "queued" \
	-b hidden@example.org bob@example.org <body.txt >"$T/out" 2>"$T/err"
rc=$?
errout=$(cat "$T/err")
check_eq "unreachable: exit 75" "$rc" 75
check_contains "unreachable: says why and where" "$errout" \
	"127.0.0.1:$closed_port"
check_contains "unreachable: and what to do" "$errout" \
	"queued in the outbox ($OUTBOX): petrel --flush-outbox sends it"
check_eq "unreachable: one message in the outbox" "$(outbox_count)" 1
entry=$(outbox_files)
check_eq "the entry starts with the envelope block" "$(sed -n '1,5p' "$entry")" \
	"X-Petrel-Outbox: 1
X-Petrel-Envelope-From: <alice@example.org>
X-Petrel-Envelope-To: <bob@example.org>
X-Petrel-Envelope-To: <hidden@example.org>
X-Petrel-Record: $T/sent.mbox"
check "the message itself has no Bcc header" sh -c "! grep -qi '^Bcc:' '$entry'"
check "no record copy before it is sent" test ! -e "$T/sent.mbox"
check_eq "the outbox is private" "$(stat -c %a "$OUTBOX")" 700

# --flush-outbox needs a server.
"$PETREL" -n --flush-outbox >"$T/out" 2>"$T/err"
check_eq "flush without smtp_url: exit 1" "$?" 1
check_contains "flush without smtp_url: says so" "$(cat "$T/err")" "smtp_url is not set"
check_eq "flush without smtp_url: the message stays" "$(outbox_count)" 1

peer_start good
pt --flush-outbox
check_eq "flush: exit 0" "$rc:$errout" "0:"
check_eq "flush: sent once" "$(spooled)" 1
check_eq "flush: with the queued envelope" "$(cat "$T/spool/1.env")" "from alice@example.org
to bob@example.org
to hidden@example.org"
check "flush: no Bcc header, no envelope block on the wire" \
	sh -c "! grep -Eqi '^(Bcc|X-Petrel-)' '$T/spool/1.msg'"
check_eq "flush: the record copy is made" "$(grep -c '^Subject: queued' "$T/sent.mbox")" 1
check "flush: the copy has no envelope block" sh -c "! grep -q '^X-Petrel-' '$T/sent.mbox'"
check_eq "flush: the outbox is empty" "$(outbox_count)" 0

# A record folder that cannot take the copy: sent, kept for the copy.
# (a folder under a file: no folder can be made there)
pt -S "record=$T/body.txt/Sent" -s "copy missing" bob@example.org <body.txt
check_eq "copy fails: exit 1" "$rc" 1
check_contains "copy fails: sent, but says the copy is missing" "$errout" \
	"sent, but the copy was not saved"
check_contains "copy fails: and why" "$errout" "$T/body.txt/Sent"
check_eq "copy fails: the message went out" "$(spooled)" 2
check "copy fails: the message waits in the outbox for its copy" \
	sh -c "find '$OUTBOX' -name '*:2,c' | grep -q ."
pt --flush-outbox
check_eq "flush: the copy still cannot be made (exit 1)" "$rc" 1
check_eq "flush: but the message is not sent again" "$(spooled)" 2
check_eq "flush: it stays in the outbox" "$(outbox_count)" 1
rm -rf "$OUTBOX"

# Refused for good, no dead.letter (nosave): set aside in the outbox.
pt -S nosave -s "refused" nobody@example.org <body.txt
check_eq "refused, nosave: exit 1" "$rc" 1
check_contains "refused, nosave: set aside" "$errout" "set aside in the outbox ($OUTBOX)"
check "refused, nosave: held" sh -c "find '$OUTBOX' -name '*:2,h' | grep -q ."
check "refused, nosave: no dead.letter" test ! -e "$HOME/dead.letter"
pt --flush-outbox
check_eq "flush: held messages are not sent" "$(spooled)" 2
check_contains "flush: but it says they are there" "$errout" "refused for good"

# Refused for good with save (the default): dead.letter, out of the outbox.
rm -rf "$OUTBOX"
pt -s "refused" nobody@example.org <body.txt
check_eq "refused: exit 1" "$rc" 1
check_contains "refused: the recipient and the reply" "$errout" \
	"nobody@example.org (550 5.1.1 <nobody@example.org>: Recipient address rejected)"
check_eq "refused: in dead.letter" "$(grep -c '^Subject: refused' "$HOME/dead.letter")" 1
check_eq "refused: not in the outbox" "$(outbox_count)" 0

# A recipient refused for now, with smtp_partial_send: the others get
# it, and the one refused for now waits in the outbox.
pt -S smtp_partial_send -s "partial" bob@example.org later@example.org <body.txt
check_eq "partial: exit 1" "$rc" 1
check_contains "partial: names the one refused" "$errout" "later@example.org (451 4.3.0"
check_eq "partial: bob got it" "$(spooled)" 3
check_eq "partial: the other waits in the outbox" "$(outbox_count)" 1
check_contains "partial: for later@ alone" "$(cat $(outbox_files))" \
	"X-Petrel-Envelope-To: <later@example.org>"
peer_stop

finish
