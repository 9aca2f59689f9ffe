#!/bin/sh
# What the harness's real Postfix refuses, and what becomes of the
# message: a wrong password (kept in the outbox, sent by --flush-outbox
# once the password is right), a refused recipient with and without
# smtp_partial_send (dead.letter, or the others get it), and a server that
# is down (queued, exit 75, sent exactly once when it is back).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/smtp-lib.sh"

printf 'a message for the failures\n' >body.txt
sent=0

# --- a wrong password ---
pt -S "smtp_url=smtp://alice:wrong-password@$H:$HARNESS_SUBMISSION_PORT" -s "wrong password" \
	bob@petrel.test <body.txt
check_eq "wrong password: exit 1" "$rc" 1
check_eq "wrong password: one line on stderr" "$(printf '%s\n' "$errout" | wc -l | tr -d ' ')" 1
check_contains "wrong password: names the server and the login" "$errout" \
	"petrel: $H:$HARNESS_SUBMISSION_PORT: authentication as alice failed"
check_contains "wrong password: says where the message is" "$errout" "kept in the outbox ($OUTBOX)"
check_eq "wrong password: the message is in the outbox" "$(outbox_count)" 1
check "wrong password: no dead.letter" test ! -e "$HOME/dead.letter"
pt -S "smtp_url=$SUBMISSION" --flush-outbox
sent=$((sent + 1))
check_eq "flush with the right password: exit 0" "$rc:$errout" "0:"
check "flush: delivered" harness_wait_mail bob "$sent" 20
check_eq "flush: the outbox is empty" "$(outbox_count)" 0
pt -S "smtp_url=$SUBMISSION" --flush-outbox
check_eq "flush of an empty outbox: exit 0" "$rc:$errout" "0:"
sleep 1
check_eq "flush: delivered exactly once" "$(inbox bob)" "$sent"

# --- no password at all, and nobody to ask ---
pt -S "smtp_url=smtp://alice@$H:$HARNESS_SUBMISSION_PORT" -s "no password" bob@petrel.test \
	<body.txt
check_eq "no password: exit 1" "$rc" 1
check_contains "no password: says which variables to set" "$errout" \
	"no password for alice at $H:$HARNESS_SUBMISSION_PORT: put it in smtp_url (smtp://user:password@host), or set smtp_pass or smtp_pass_command"
check_eq "no password: kept in the outbox" "$(outbox_count)" 1
rm -rf "$OUTBOX"

# --- a refused recipient ---
pt -S "smtp_url=$SUBMISSION" -s "refused recipient" bob@petrel.test nobody@petrel.test <body.txt
check_eq "refused recipient: exit 1" "$rc" 1
check_eq "refused recipient: one line" "$(printf '%s\n' "$errout" | wc -l | tr -d ' ')" 1
check_contains "refused recipient: named, with the server's reply" "$errout" \
	"refused a recipient: nobody@petrel.test (550 5.1.1"
check_contains "refused recipient: nothing sent, and why" "$errout" \
	"nothing was sent (smtp_partial_send is off)"
check_contains "refused recipient: the message is in dead.letter" "$errout" \
	"saved in $HOME/dead.letter"
check_eq "refused recipient: dead.letter holds it" "$(grep -c '^Subject: refused recipient' "$HOME/dead.letter")" 1
check_eq "refused recipient: not left in the outbox" "$(outbox_count)" 0
pt -S "smtp_url=$SUBMISSION" -S smtp_partial_send -s "partial send" bob@petrel.test \
	nobody@petrel.test <body.txt
sent=$((sent + 1))
check_eq "partial send: exit 1 (a recipient was refused)" "$rc" 1
check_contains "partial send: names the refused one" "$errout" "nobody@petrel.test (550 5.1.1"
check "partial send: bob gets it" harness_wait_mail bob "$sent" 20
check_eq "partial send: nothing in the outbox" "$(outbox_count)" 0
sleep 1
check_eq "the refused message never reached bob" "$(inbox bob)" "$sent"
fetch bob "$sent" last.eml
check_eq "bob's newest is the partial send" "$(pyrun last.eml 'print(m["Subject"])')" "partial send"

# --- the server is down, then back: through a relay we stop and start ---
relay_port=$("$HARNESS_PYTHON" "$top_srcdir/tests/harness/harness-net.py" ports 1)
RELAY="smtp://alice:alice-secret@$H:$relay_port"
pt -S "smtp_url=$RELAY" -S connect_timeout=5 -s "while the server is down" bob@petrel.test \
	<body.txt
check_eq "server down: exit 75 (EX_TEMPFAIL)" "$rc" 75
check_contains "server down: queued in the outbox" "$errout" \
	"the message is queued in the outbox ($OUTBOX): petrel --flush-outbox sends it"
check_eq "server down: one line" "$(printf '%s\n' "$errout" | wc -l | tr -d ' ')" 1
check_eq "server down: in the outbox" "$(outbox_count)" 1
pt -S "smtp_url=$RELAY" -S connect_timeout=5 --flush-outbox
check_eq "flush while still down: exit 75" "$rc" 75
check_eq "flush while still down: still in the outbox" "$(outbox_count)" 1
"$HARNESS_PYTHON" "$top_srcdir/tests/harness/harness-net.py" relay "$T/relay.pid" \
	"$H:$relay_port=$H:$HARNESS_SUBMISSION_PORT" 2>"$T/relay.log" &
"$HARNESS_PYTHON" "$top_srcdir/tests/harness/harness-net.py" wait 10 "$H:$relay_port=220" ||
	bail "the relay did not start: $(cat "$T/relay.log")"
pt -S "smtp_url=$RELAY" --flush-outbox
sent=$((sent + 1))
check_eq "flush when the server is back: exit 0" "$rc:$errout" "0:"
check "flush: delivered" harness_wait_mail bob "$sent" 20
check_eq "flush: the outbox is empty" "$(outbox_count)" 0
pt -S "smtp_url=$RELAY" --flush-outbox
check_eq "a second flush sends nothing" "$rc:$errout" "0:"
sleep 2
check_eq "delivered exactly once" "$(inbox bob)" "$sent"
fetch bob "$sent" last.eml
check_eq "bob's newest is the queued message" "$(pyrun last.eml 'print(m["Subject"])')" \
	"while the server is down"

finish
