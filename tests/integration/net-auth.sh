#!/bin/sh
# src/net's SASL against the real servers of the harness: each mechanism
# Dovecot and Postfix offer, wrong passwords, the plain-text guard, and a
# protocol trace with the secrets masked.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start || bail "the test servers did not start"
H=$HARNESS_HOST
CA=$HARNESS_CA
U=$HARNESS_USER1
PW=$HARNESS_PASS1
trap 'rm -rf "$net_tmp"; harness_stop' EXIT

imap() { probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls starttls --starttls-required --ca "$CA" "$@"; }
pop3() { probe --proto pop3 --host "$H" --port "$HARNESS_POP3_PORT" --tls starttls --starttls-required --ca "$CA" "$@"; }
smtp() { probe --proto smtp --host "$H" --port "$HARNESS_SUBMISSION_PORT" --tls starttls --starttls-required --ca "$CA" "$@"; }

# The default choice is the strongest: SCRAM-SHA-256.
imap --user "$U" --pass "$PW"
check_eq "IMAP: the default mechanism is SCRAM-SHA-256" "$rc" 0
check_contains "IMAP: authenticated with SCRAM-SHA-256" "$out" "auth=SCRAM-SHA-256"
for mech in SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN; do
	imap --user "$U" --pass "$PW" --mech "$mech"
	check_eq "IMAP AUTHENTICATE $mech: exit 0" "$rc" 0
	check_contains "IMAP AUTHENTICATE $mech: used" "$out" "auth=$mech "
done
imap --user "$HARNESS_USER2" --pass "$HARNESS_PASS2" --login
check_eq "IMAP LOGIN command: exit 0" "$rc" 0
check_contains "IMAP LOGIN command: used" "$out" "auth=LOGIN "

for mech in SCRAM-SHA-256 CRAM-MD5 PLAIN; do
	pop3 --user "$U" --pass "$PW" --mech "$mech"
	check_eq "POP3 AUTH $mech: exit 0" "$rc" 0
	check_contains "POP3 AUTH $mech: used" "$out" "auth=$mech "
done
pop3 --user "$U" --pass "$PW" --login
check_eq "POP3 USER/PASS: exit 0" "$rc" 0

smtp --user "$U" --pass "$PW"
check_eq "submission: default SCRAM-SHA-256" "$rc" 0
check_contains "submission: authenticated with SCRAM-SHA-256" "$out" "auth=SCRAM-SHA-256"
for mech in CRAM-MD5 PLAIN LOGIN; do
	smtp --user "$U" --pass "$PW" --mech "$mech"
	check_eq "submission AUTH $mech: exit 0" "$rc" 0
	check_contains "submission AUTH $mech: used" "$out" "auth=$mech "
done

# A wrong password: one line, naming the server, an authentication error.
imap --user "$U" --pass wrong-password
check_eq "IMAP wrong password: authentication error (exit 16)" "$rc" 16
check_eq "IMAP wrong password: the sentence" "$errout" \
	"petrel: $H:$HARNESS_IMAP_PORT: authentication as $U failed (SCRAM-SHA-256): [AUTHENTICATIONFAILED] Authentication failed."
imap --user "$U" --pass wrong-password --mech CRAM-MD5
check_eq "IMAP wrong password, CRAM-MD5: exit 16" "$rc" 16
check_eq "IMAP wrong password, CRAM-MD5: one line" "$(lines "$errout")" 1
pop3 --user "$U" --pass wrong-password
check_eq "POP3 wrong password: exit 16" "$rc" 16
check_contains "POP3 wrong password: the sentence" "$errout" \
	"petrel: $H:$HARNESS_POP3_PORT: authentication as $U failed (SCRAM-SHA-256): "
check_eq "POP3 wrong password: one line" "$(lines "$errout")" 1
smtp --user "$U" --pass wrong-password --mech PLAIN
check_eq "submission wrong password: exit 16" "$rc" 16
check_contains "submission wrong password: the sentence" "$errout" \
	"petrel: $H:$HARNESS_SUBMISSION_PORT: authentication as $U failed (PLAIN): "
check_eq "submission wrong password: one line" "$(lines "$errout")" 1

# In plain text Dovecot offers no PLAIN or LOGIN (net-no-starttls.sh has
# a server that does); SCRAM is fine.
probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls none --user "$U" --pass "$PW" \
	--mech "PLAIN LOGIN" --trace "$net_tmp/plain.trace"
check_eq "plain text, PLAIN/LOGIN only: no mechanism (exit 14)" "$rc" 14
check_contains "plain text, PLAIN/LOGIN only: says why" "$errout" \
	"petrel: $H:$HARNESS_IMAP_PORT: no authentication mechanism in common: the server offers "
check "plain text, PLAIN/LOGIN only: no AUTHENTICATE sent" \
	sh -c "! grep -q 'C: a[0-9]* AUTHENTICATE' '$net_tmp/plain.trace'"
probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls none --user "$U" --pass "$PW"
check_eq "plain text: SCRAM-SHA-256 is still fine" "$rc" 0

# The trace: every line, the password never.
imap --user "$U" --pass "$PW" --login --trace "$net_tmp/login.trace"
check_eq "traced IMAP LOGIN: exit 0" "$rc" 0
trace=$(cat "$net_tmp/login.trace")
check_contains "trace: the greeting" "$trace" "$H:$HARNESS_IMAP_PORT S: * OK [CAPABILITY "
check_contains "trace: a command" "$trace" "$H:$HARNESS_IMAP_PORT C: a1 CAPABILITY"
check_contains "trace: STARTTLS and the discard note" "$trace" "$H:$HARNESS_IMAP_PORT: starting TLS"
check_contains "trace: LOGIN with the password masked" "$trace" \
	"$H:$HARNESS_IMAP_PORT C: a4 LOGIN \"$U\" <secret>"
check_contains "trace: the reply" "$trace" "S: a4 OK"
check "trace: the password is nowhere" sh -c "! grep -q -F -e '$PW' '$net_tmp/login.trace'"

imap --user "$U" --pass "$PW" --mech PLAIN --trace "$net_tmp/plain.trace"
check_contains "trace: AUTHENTICATE's initial response masked" "$(cat "$net_tmp/plain.trace")" \
	"C: a4 AUTHENTICATE PLAIN <secret>"
plain_b64=$(printf '\000%s\000%s' "$U" "$PW" | base64)
check "trace: the PLAIN response is nowhere" \
	sh -c "! grep -q -F -e '$plain_b64' '$net_tmp/plain.trace' && ! grep -q -F -e '$PW' '$net_tmp/plain.trace'"

imap --user "$U" --pass "$PW" --mech CRAM-MD5 --trace "$net_tmp/cram.trace"
trace=$(cat "$net_tmp/cram.trace")
check_contains "trace: a SASL challenge masked" "$trace" "S: + <secret>"
check_contains "trace: a SASL response masked" "$trace" "C: <secret>"

pop3 --user "$U" --pass "$PW" --login --trace "$net_tmp/pop3.trace"
check_contains "trace: POP3 PASS masked" "$(cat "$net_tmp/pop3.trace")" "C: PASS <secret>"
check "trace: no POP3 password" sh -c "! grep -q -F -e '$PW' '$net_tmp/pop3.trace'"
smtp --user "$U" --pass "$PW" --mech LOGIN --trace "$net_tmp/smtp.trace"
trace=$(cat "$net_tmp/smtp.trace")
check_contains "trace: SMTP AUTH LOGIN challenges masked" "$trace" "S: 334 <secret>"
check_contains "trace: SMTP success" "$trace" "S: 235 <secret>"
check "trace: no SMTP password" sh -c "! grep -q -F -e '$PW' '$net_tmp/smtp.trace' && ! grep -q -F -e '$(printf %s "$PW" | base64)' '$net_tmp/smtp.trace'"

finish
