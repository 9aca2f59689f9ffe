#!/bin/sh
# IMAP through the mailx face against the harness's Dovecot: implicit TLS
# and STARTTLS, passwords from the URL, imap_pass and imap_pass_command,
# the header listing, type, top and size, and clear errors for a wrong
# password, a missing one and an untrusted certificate.  The trace (-d)
# shows every command but never the password.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

msg 1 "First message"
msg 2 "Second message"
msg 3 "Third message"
deliver alice "$T/msg1.eml" "$T/msg2.eml" "$T/msg3.eml"

out=$(pt -H -f "$(url)" 2>"$T/err")
check_eq "imaps: -H exits 0" "$?" 0
check_eq "imaps: three header lines" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3
check_contains "imaps: subjects listed" "$out" "Second message"
check_contains "imaps: senders listed" "$out" "sender3@example.org"
check_eq "imaps: nothing on stderr" "$(cat "$T/err")" ""

out2=$(pt -d "$T/trace" -H -f "$(url_starttls)" 2>"$T/err")
check_eq "imap STARTTLS: -H exits 0" "$?" 0
# The first session took \Recent (N); the second sees them unread (U).
check_eq "imap STARTTLS: the same listing" "$(printf '%s\n' "$out2" | cut -c3-)" \
	"$(printf '%s\n' "$out" | cut -c3-)"
check "imap STARTTLS: asked for TLS" grep -q ' C: a1 STARTTLS' "$T/trace"
check "imap STARTTLS: TLS is on" grep -q 'TLSv1\.[23].*verified' "$T/trace"
check "trace: the server's lines are there" grep -q ' S: \* OK \[CAPABILITY' "$T/trace"
check "trace: the header FETCH is there" grep -q ' C: a[0-9]* UID FETCH 1:3 (UID FLAGS' "$T/trace"
check "trace: the password is not" test "$(grep -c "$HARNESS_PASS1" "$T/trace")" -eq 0
check "trace: the SASL exchange is masked" grep -q 'AUTHENTICATE [A-Z0-9-]* <secret>' "$T/trace"

nopass="imaps://alice@$HARNESS_HOST:$HARNESS_IMAPS_PORT/INBOX"
out=$(pt -S "imap_pass=$HARNESS_PASS1" -H -f "$nopass" 2>"$T/err")
check_eq "imap_pass: -H exits 0" "$?" 0
check_contains "imap_pass: listing" "$out" "Third message"

out=$(pt -S "imap_pass_command=echo $HARNESS_PASS1" -H -f "$nopass" 2>"$T/err")
check_eq "imap_pass_command: -H exits 0" "$?" 0
check_contains "imap_pass_command: listing" "$out" "First message"

out=$(pt -H -f "$nopass" </dev/null 2>"$T/err")
rc=$?
check "no password anywhere: fails" test "$rc" -ne 0
check_eq "no password anywhere: one line naming the variables" "$(cat "$T/err")" \
	"petrel: alice@$HARNESS_HOST: no password (put it in the URL, or set imap_pass or imap_pass_command)"

out=$(pt -H -f "imaps://alice:wrong@$HARNESS_HOST:$HARNESS_IMAPS_PORT/INBOX" 2>"$T/err")
rc=$?
check "wrong password: fails" test "$rc" -ne 0
check_eq "wrong password: one line" "$(wc -l <"$T/err" | tr -d ' ')" 1
check_contains "wrong password: says the login failed" "$(cat "$T/err")" \
	"$HARNESS_HOST:$HARNESS_IMAPS_PORT: login as alice with"
check_contains "wrong password: with the server's words" "$(cat "$T/err")" "Authentication failed"

out=$("$PETREL" -n -H -f "$(url)" 2>"$T/err")
rc=$?
check "unknown CA: fails" test "$rc" -ne 0
check_contains "unknown CA: says why" "$(cat "$T/err")" "certificate verification failed"

out=$(pt -H -f "$(url alice Nonexistent)" 2>"$T/err")
rc=$?
check "missing folder: fails" test "$rc" -ne 0
check_contains "missing folder: says so, without the password" "$(cat "$T/err")" \
	"imaps://alice@$HARNESS_HOST:$HARNESS_IMAPS_PORT/Nonexistent: cannot open the folder"

out=$(printf 'type 2\ntop 3\nsize 1\n' | pt -N -f "$(url)" 2>"$T/err")
check_eq "type, top, size: exit 0" "$?" 0
check_contains "type: the body" "$out" "Body of message 2."
check_contains "type: the header" "$out" "Subject: Second message"
check_contains "top: the third message" "$out" "Subject: Third message"
check_contains "size: the first" "$out" "1: 0/"
check_eq "type, top, size: nothing on stderr" "$(cat "$T/err")" ""

# Reading fetches with BODY.PEEK: \Seen is set at quit (end of input is
# quit), never by exit.
check_eq "end of input after type 2: message 2 read" "$(status alice INBOX)" \
	"messages=3 unseen=2"
printf 'type 1\nexit\n' | pt -N -f "$(url)" >/dev/null 2>&1
check_eq "exit after type 1: nothing more marked read" "$(status alice INBOX)" \
	"messages=3 unseen=2"
printf 'type 1\nquit\n' | pt -d "$T/trace2" -N -f "$(url)" >/dev/null 2>&1
check_eq "quit after type 1: message 1 read" "$(status alice INBOX)" "messages=3 unseen=1"
check "type fetched with PEEK" grep -q 'UID FETCH 1 (BODY.PEEK\[\])' "$T/trace2"
check "quit stored \\Seen by UID" grep -q 'UID STORE 1 .*+FLAGS.SILENT (\\Seen)' "$T/trace2"

finish
