#!/bin/sh
# New mail while a folder is open: a message sent through the harness's
# Postfix reaches the INBOX over LMTP and the open folder hears of it by
# IMAP IDLE within a second of its delivery; with imap_idle=no the folder
# polls with NOOP instead.  A folder opened as a search (?search=KEYS)
# takes in the new messages that match.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

msg 1 "Already there"
deliver alice "$T/msg1.eml"
new="$(harness_maildir alice)/new"

# epoch_ms: the wall clock in milliseconds.
epoch_ms() {
	"$HARNESS_PYTHON" -c 'import time; print(int(time.time() * 1000))'
}

# send_mail SUBJECT: one message to alice through Postfix's SMTP port.
send_mail() {
	"$HARNESS_PYTHON" - "$HARNESS_SMTP_PORT" "$1" <<'PY'
import smtplib, sys
port, subject = int(sys.argv[1]), sys.argv[2]
msg = ("From: bob@petrel.test\r\nTo: alice@petrel.test\r\nSubject: %s\r\n"
       "Message-ID: <%s@petrel.test>\r\n\r\nhello\r\n" % (subject, subject.replace(" ", ".")))
with smtplib.SMTP("127.0.0.1", port, timeout=20) as s:
    s.sendmail("bob@petrel.test", ["alice@petrel.test"], msg)
PY
}

# delivered_at COUNT: when the maildir's new/ reached COUNT files (ms).
delivered_at() {
	_i=0
	while [ "$(ls "$new" 2>/dev/null | wc -l)" -lt "$1" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 2000 ] || break
		sleep 0.01
	done
	epoch_ms
}

drive -d "$T/trace" "$(url)" open signal:"$T/ready" wait-new:2:20 headers \
	>"$T/out" 2>&1 &
pid=$!
i=0
while [ ! -f "$T/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1 # the folder goes idle
before=$(ls "$new" | wc -l)
send_mail "Sent while idling" || bail "Postfix did not take the message"
t_deliv=$(delivered_at $((before + 1)))
wait $pid
rc=$?
out=$(cat "$T/out")
check_eq "IDLE: the driver saw the new mail" "$rc" 0
check_contains "IDLE: the new message's summary" "$out" "Sent while idling"
t_event=$(sed -n 's/^event new-mail 2 at \([0-9]*\)$/\1/p' "$T/out")
check "IDLE: a new-mail event" test -n "$t_event"
delay=$(( ${t_event:-0} - t_deliv ))
check "IDLE: within a second of delivery (took ${delay} ms)" test "$delay" -le 1000
check "IDLE: the folder idled" grep -q ' C: a[0-9]* IDLE$' "$T/trace"
check "IDLE: and ended it with DONE" grep -q ' C: DONE$' "$T/trace"
check "IDLE: the new UID fetched by UID" grep -q ' C: a[0-9]* UID FETCH 2:\* (UID FLAGS)$' "$T/trace"

# Without IDLE: NOOP every imap_keepalive seconds.
drive -d "$T/trace2" -S imap_idle=no -S imap_keepalive=1 "$(url)" open \
	signal:"$T/ready2" wait-new:3:20 >"$T/out2" 2>&1 &
pid=$!
i=0
while [ ! -f "$T/ready2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.5
send_mail "Sent while polling" || bail "Postfix did not take the message"
wait $pid
rc=$?
check_eq "NOOP polling: the driver saw the new mail" "$rc" 0
check_contains "NOOP polling: a new-mail event" "$(cat "$T/out2")" "event new-mail 3 at"
check "NOOP polling: NOOP sent" grep -q ' C: a[0-9]* NOOP$' "$T/trace2"
check "NOOP polling: no IDLE" test "$(grep -c ' C: a[0-9]* IDLE$' "$T/trace2")" -eq 0


# A folder opened as a server-side search takes in the new mail that
# matches (UID SEARCH UID n:* KEYS) and nothing else.
cat >"$T/want1.eml" <<EOF
From: bob@petrel.test
To: alice@petrel.test
Subject: wanted one
Message-ID: <want1@petrel.test>

first match
EOF
sed 's/wanted one/something else/; s/want1@/other1@/' "$T/want1.eml" >"$T/other1.eml"
sed 's/wanted one/wanted two/; s/want1@/want2@/' "$T/want1.eml" >"$T/want2.eml"
sed 's/wanted one/not this/; s/want1@/other2@/' "$T/want1.eml" >"$T/other2.eml"
deliver bob "$T/want1.eml" "$T/other1.eml"
drive -d "$T/trace3" "$(url bob 'INBOX?search=SUBJECT%20wanted')" open signal:"$T/ready3" \
	wait-new:2:20 headers >"$T/out3" 2>&1 &
pid=$!
i=0
while [ ! -f "$T/ready3" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
deliver bob "$T/other2.eml"
sleep 1.5
deliver bob "$T/want2.eml"
wait $pid
rc=$?
out=$(cat "$T/out3")
check_eq "search folder: the driver saw the match arrive" "$rc" 0
check_contains "search folder: opened with the one match" "$out" "opened 1"
check_contains "search folder: the new match listed" "$out" "sum 1 4 ---- wanted two"
check_eq "search folder: only the matches listed" "$(grep -c '^sum ' "$T/out3")" 2
check "search folder: the other new message not listed" test "$(grep -c 'not this' "$T/out3")" -eq 0
check_eq "search folder: one new-mail event, for the match" \
	"$(grep -c '^event new-mail' "$T/out3")" 1
check "search folder: the other new message searched on its own" \
	grep -q ' C: a[0-9]* UID SEARCH RETURN (ALL) UID 3:\* SUBJECT wanted$' "$T/trace3"
check "search folder: then the match" \
	grep -q ' C: a[0-9]* UID SEARCH RETURN (ALL) UID 4:\* SUBJECT wanted$' "$T/trace3"

finish
