#!/bin/sh
# A server that offers no STARTTLS (harness_start --no-tls): an account
# that requires it is refused before any credential is sent; one that
# does not goes on in plain text with a warning and still keeps PLAIN and
# LOGIN to itself.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/net-lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start --no-tls || bail "the test servers did not start"
H=$HARNESS_HOST
U=$HARNESS_USER1
PW=$HARNESS_PASS1
trap 'rm -rf "$net_tmp"; harness_stop' EXIT

probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls starttls --starttls-required \
	--user "$U" --pass "$PW" --trace "$net_tmp/imap.trace"
check_eq "IMAP without STARTTLS, required: a TLS error (exit 18)" "$rc" 18
check_eq "IMAP without STARTTLS, required: the sentence" "$errout" \
	"petrel: $H:$HARNESS_IMAP_PORT: the server does not offer STARTTLS, which the account requires: not going on in plain text"
check "IMAP without STARTTLS, required: no authentication was tried" \
	sh -c "! grep -q -e 'C: a[0-9]* AUTHENTICATE' -e 'C: a[0-9]* LOGIN' '$net_tmp/imap.trace'"
check "IMAP without STARTTLS, required: the trace shows the capabilities" \
	grep -q "S: \* CAPABILITY IMAP4rev1" "$net_tmp/imap.trace"

probe --proto pop3 --host "$H" --port "$HARNESS_POP3_PORT" --tls starttls --starttls-required \
	--user "$U" --pass "$PW" --login --trace "$net_tmp/pop3.trace"
check_eq "POP3 without STLS, required: exit 18" "$rc" 18
check_eq "POP3 without STLS, required: the sentence" "$errout" \
	"petrel: $H:$HARNESS_POP3_PORT: the server does not offer STARTTLS, which the account requires: not going on in plain text"
check "POP3 without STLS, required: no USER, PASS or AUTH sent" \
	sh -c "! grep -q -e 'C: USER' -e 'C: PASS' -e 'C: AUTH' '$net_tmp/pop3.trace'"

# Not required: plain text with a warning; PLAIN is offered in the clear
# but not used.
probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls starttls --user "$U" --pass "$PW"
check_eq "IMAP without STARTTLS, optional: goes on" "$rc" 0
check_contains "IMAP without STARTTLS, optional: warns" "$errout" \
	"petrel: warning: $H:$HARNESS_IMAP_PORT: the server does not offer STARTTLS: going on in plain text"
check_contains "IMAP without STARTTLS, optional: SCRAM, not PLAIN" "$out" "tls=none auth=SCRAM-SHA-256"
probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls none --user "$U" --pass "$PW" \
	--mech "PLAIN LOGIN" --trace "$net_tmp/plain.trace"
check_eq "plain text, PLAIN/LOGIN only: refused here (exit 14)" "$rc" 14
check_eq "plain text, PLAIN/LOGIN only: says why" "$errout" \
	"petrel: $H:$HARNESS_IMAP_PORT: no authentication mechanism in common: the server offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256, petrel allows PLAIN LOGIN; PLAIN LOGIN would send the password in the clear without TLS"
check "plain text, PLAIN/LOGIN only: nothing sent" \
	sh -c "! grep -q 'C: a[0-9]* AUTHENTICATE' '$net_tmp/plain.trace'"
probe --proto imap --host "$H" --port "$HARNESS_IMAP_PORT" --tls none --user "$U" --pass "$PW" \
	--mech PLAIN --allow-plaintext
check_eq "plain text, PLAIN explicitly allowed: works" "$rc" 0
check_contains "plain text, PLAIN explicitly allowed: used" "$out" "auth=PLAIN"

finish
