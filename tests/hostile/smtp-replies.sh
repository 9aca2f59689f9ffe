#!/bin/sh
# Replies a broken or malicious submission server sends: multi-line
# replies cut into pieces across packets (read whole), a reply that never
# ends its line (refused at the line limit, fast), one that drips a byte
# at a time (timeout), and terminal escapes in a refusal (never reach the
# terminal).  The message is never lost.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/smtp-lib.sh"

printf 'hello\n' >body.txt

peer_start split
pt -d trace -s "split replies" bob@example.org <body.txt
peer_stop
check_eq "split replies: exit 0" "$rc:$errout" "0:"
check_eq "split replies: delivered once" "$(spooled)" 1
check_contains "split replies: the multi-line EHLO reply was read whole (SIZE used)" \
	"$(cat trace)" "C: MAIL FROM:<alice@example.org> SIZE="
check_contains "split replies: and its last line too (AUTH)" "$(cat trace)" "S: 250 AUTH PLAIN"
check_eq "split replies: the outbox is empty" "$(outbox_count)" 0

peer_start endless
t0=$(date +%s)
pt -s "endless line" bob@example.org <body.txt
elapsed=$(($(date +%s) - t0))
peer_stop
check_eq "endless line: exit 75, queued" "$rc" 75
check_contains "endless line: refused at the line limit" "$errout" \
	"the server sent a line longer than 4096 bytes"
check "endless line: fast (${elapsed}s)" test "$elapsed" -le 5
check_eq "endless line: the message is in the outbox" "$(outbox_count)" 1
rm -rf "$OUTBOX"

peer_start drip
t0=$(date +%s)
pt -S timeout=2 -s "drip" bob@example.org <body.txt
elapsed=$(($(date +%s) - t0))
peer_stop
check_eq "drip: exit 75, queued" "$rc" 75
check_contains "drip: a timeout" "$errout" "did not answer"
check "drip: within the timeout and a little (${elapsed}s)" test "$elapsed" -le 6
check_eq "drip: one line" "$(lines "$errout")" 1
check_eq "drip: the message is in the outbox" "$(outbox_count)" 1
rm -rf "$OUTBOX"

peer_start good
pt -s "escapes" evil@example.org <body.txt
peer_stop
check_eq "escapes in a refusal: exit 1" "$rc" 1
check_contains "escapes in a refusal: the reply is shown" "$errout" "evil@example.org (550 5.1.1"
check "escapes in a refusal: no escape character reaches the terminal" \
	sh -c "! grep -q \"\$(printf '\\033')\" '$T/err'"
check "escapes in a refusal: no bell either" sh -c "! grep -q \"\$(printf '\\007')\" '$T/err'"
check_eq "escapes in a refusal: saved in dead.letter" \
	"$(grep -c '^Subject: escapes' "$HOME/dead.letter")" 1

finish
