#!/bin/sh
# The TUI sends what waits in the outbox by itself: a message the mailx
# face queued while the server could not be reached goes out when the
# TUI starts with the server back, once, and leaves the outbox.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start || bail "the test servers did not start"
trap 'tm kill-server 2>/dev/null; rm -rf "$T"; harness_stop' EXIT
trap 'exit 1' HUP INT TERM PIPE

H=$HARNESS_HOST
closed_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
waiting() {
	find "$T/outbox/new" "$T/outbox/cur" -type f 2>/dev/null | wc -l
}

printf 'Queued while the server was away.\n' > "$T/body"
"$PETREL" -n -S "outbox=$T/outbox" -S "smtp_url=smtp://127.0.0.1:$closed_port" \
	-S smtp_starttls=no -S "from=Alice <alice@petrel.test>" -s "Waited in the outbox" \
	bob@petrel.test < "$T/body" > "$T/out" 2> "$T/err"
check_eq "server unreachable: the mailx face queues the message" "$?" 75
check_eq "one message waits in the outbox" "$(waiting)" 1

make_sample "$T/md"
tui_start -S "spoolfile=$T/md" -S "outbox=$T/outbox" -S "tls_ca_file=$HARNESS_CA" \
	-S "smtp_url=smtps://alice:alice-secret@$H:$HARNESS_SMTPS_PORT" \
	-S "from=Alice <alice@petrel.test>" -S sendmail=/bin/false
check "the index shows" wait_for "[Msgs:35"
check "the TUI sends the outbox by itself and says so" \
	wait_for "The messages waiting in the outbox were sent."
check "the message reached its recipient" harness_wait_mail bob 1 20
check_eq "the outbox is empty" "$(waiting)" 0
check "it arrived with its subject" \
	sh -c 'grep -rlq "^Subject: Waited in the outbox" "$1"' - "$(harness_maildir bob)"
keys x y
check "leave" restored 0
M=$(harness_maildir bob)
grep -l '^Subject: Waited in the outbox' "$M"/new/* "$M"/cur/* 2>/dev/null | sed 's/^/# delivered: /'
check_eq "it was sent once" "$(grep -l '^Subject: Waited in the outbox' "$M"/new/* "$M"/cur/* 2>/dev/null | wc -l)" 1
check "no memory errors were reported" no_sanitizer_reports
finish
