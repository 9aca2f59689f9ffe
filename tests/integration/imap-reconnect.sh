#!/bin/sh
# A dropped connection: Dovecot is restarted while a folder is open.
# Flag changes made after the drop reach the server once petrel has
# reconnected by itself (with back-off, telling the face each attempt),
# re-selected the folder (QRESYNC) and replayed them; an idle folder
# notices the drop and reconnects without being asked.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

for i in 1 2 3 4; do
	msg $i "Message $i"
	deliver alice "$T/msg$i.eml"
done

await() {
	_i=0
	while [ ! -f "$1" ] && [ $_i -lt 200 ]; do sleep 0.1; _i=$((_i + 1)); done
}

# imap_idle=no and no keepalive: nothing notices the drop until the flag
# changes go out, so they are pending across it.
drive -d "$T/trace" -S imap_idle=no -S imap_keepalive=0 "$(url)" open headers \
	signal:"$T/ready" await:"$T/restarted":60 flag:+F:2 flag:+D:3 expunge headers \
	>"$T/out" 2>&1 &
pid=$!
await "$T/ready"
harness_restart_dovecot || bail "Dovecot did not restart"
: >"$T/restarted"
wait $pid
rc=$?
out=$(cat "$T/out")
check_eq "pending changes: the driver succeeded" "$rc" 0
check_contains "pending changes: the face heard of the reconnection" "$out" \
	"event conn reconnecting 1"
check_contains "pending changes: and of its success" "$out" "event conn connected 0"
check "pending changes: selected again with QRESYNC" \
	grep -q 'SELECT INBOX (QRESYNC (' "$T/trace"
check_eq "pending changes: the flag reached the server" "$(uid_flags alice INBOX)" "1:
2:\\Flagged
4:"
check_contains "pending changes: the expunged message is gone from the folder" "$out" \
	"sum 2 4 ----"

# An idle folder notices the drop itself.
drive -d "$T/trace2" "$(url)" open signal:"$T/ready2" wait-state:reconnecting:30 \
	wait-state:connected:60 flag:+S:1 expunge >"$T/out2" 2>&1 &
pid=$!
await "$T/ready2"
sleep 1
harness_restart_dovecot || bail "Dovecot did not restart"
wait $pid
rc=$?
out=$(cat "$T/out2")
check_eq "idle: the driver succeeded" "$rc" 0
check_contains "idle: the face heard of the drop" "$out" "event conn reconnecting 1"
check_contains "idle: and of the new connection" "$out" "event conn connected"
check_contains "idle: the change made after it went through" "$(uid_flags alice INBOX)" \
	"1:\\Seen"

finish
