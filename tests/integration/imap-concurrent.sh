#!/bin/sh
# Two connections to one folder: while one has it open, the other
# expunges.  The first hears of it (EXPUNGE while idling), keeps its
# numbering (the expunged messages show as deleted until its own expunge)
# and acts on the messages it means, by UID.  The mailx face, likewise,
# keeps its message numbers.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

for i in 1 2 3 4 5; do
	msg $i "Message $i"
	deliver alice "$T/msg$i.eml"
done
await() {
	_i=0
	while [ ! -f "$1" ] && [ $_i -lt 200 ]; do sleep 0.1; _i=$((_i + 1)); done
}

drive -d "$T/trace" "$(url)" open headers signal:"$T/ready" await:"$T/expunged":30 \
	sleep:1500 headers count flag:+D:5 expunge count headers >"$T/out" 2>&1 &
pid=$!
await "$T/ready"
sleep 0.5
printf 'delete 2 3\nquit\n' | pt -N -f "$(url)" >"$T/other" 2>&1
: >"$T/expunged"
wait $pid
rc=$?
out=$(cat "$T/out")
check_eq "driver: succeeded" "$rc" 0
check_contains "driver: heard of the change" "$out" "event changed 5 at"
check_contains "driver: numbering kept, the expunged shown deleted" "$out" "sum 1 2 -D-- Message 2
sum 2 3 -D-- Message 3"
check_contains "driver: the others where they were" "$out" "sum 4 5 ---- Message 5"
check_contains "driver: count kept until its own expunge" "$out" "count 5"
check "driver: its expunge took only its message" grep -q ' C: a[0-9]* UID EXPUNGE 5$' "$T/trace"
check_contains "driver: then the survivors renumbered" "$out" "count 5
sum 0 1 ---- Message 1
sum 1 4 ---- Message 4"
check_eq "server: the two survivors" "$(uid_flags alice INBOX)" "1:
4:"

# The mailx face: numbers stay; a message gone says so.
for i in 6 7 8; do
	msg $i "Message $i"
	deliver alice "$T/msg$i.eml"
done
mkfifo "$T/fifo"
pt -N -f "$(url)" <"$T/fifo" >"$T/mailx" 2>"$T/mailx.err" &
pid=$!
exec 3>"$T/fifo"
printf 'from *\n' >&3
sleep 1
printf 'delete 3\nquit\n' | pt -N -f "$(url)" >/dev/null 2>&1
sleep 1
printf 'type 3\ntype 4\nquit\n' >&3
exec 3>&-
wait $pid
check_contains "mailx: the list as it was opened" "$(cat "$T/mailx")" "Message 6"
check_contains "mailx: message 3 (gone) says so" "$(cat "$T/mailx.err")" \
	"message 3 was removed from the server"
check_contains "mailx: message 4 is still the one it was" "$(cat "$T/mailx")" \
	"Subject: Message 7"

finish
