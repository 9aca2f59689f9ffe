#!/bin/sh
# A POP3 maildrop read as a folder (petrel -f pop3://...) against the
# harness's Dovecot: the header summary, type, delete with quit and with
# exit, pop3s, STLS, the password from the config, and a wrong password.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/pop3-lib.sh"

fill alice 1 3
U=$(url alice)

# -H: one line per message, from TOP n 0.
out=$(pt -H -f "$U" 2>&1)
check_eq "-H lists the three messages" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3
check_contains "-H shows the first subject" "$out" "Message 1"
check_contains "-H shows the sender" "$out" "sender3@example.org"
check_eq "reading leaves the server as it was" "$(server_count alice)" 3

# type: the message as sent, dot-unstuffed.
out=$(printf 'type 2\nexit\n' | pt -N -f "$U" 2>&1)
check_contains "type 2 shows its body" "$out" "Body of message 2."
check_contains "type 2: a dot-stuffed line comes back with one dot" "$out" "
.A line with a leading dot
..two dots
.
The end of message 2."

# delete + exit: nothing is deleted on the server.
printf 'delete 1\nexit\n' | pt -N -f "$U" >/dev/null 2>&1
check_eq "delete then exit: the server keeps all three" "$(server_count alice)" 3

# delete + quit: DELE and QUIT, the server deletes it.
printf 'delete 1\nquit\n' | pt -N -f "$U" >/dev/null 2>&1
rc=$?
check_eq "delete then quit: exit status 0" "$rc" 0
check_eq "delete then quit: the server has two left" "$(server_count alice)" 2
out=$(pt -H -f "$U" 2>&1)
check "delete then quit: the first message is gone" sh -c "! printf '%s' '$out' | grep -q 'Message 1'"
check_contains "delete then quit: the others stay" "$out" "Message 3"

# pop3s with the password from the config.
out=$(pt -S "pop3_pass=$HARNESS_PASS1" -H -f "pop3s://alice@$H:$HARNESS_POP3S_PORT/" 2>&1)
check_eq "pop3s, pop3_pass: two messages" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2

# STLS on the plain port, the password never in plain text (trace).
pt -d "$T/trace" -H -f "$U" >/dev/null 2>&1
check "pop3: STLS was used" grep -q "STLS" "$T/trace"
check "pop3: the trace never shows the password" sh -c "! grep -q '$HARNESS_PASS1' '$T/trace'"

# pop3_starttls=optional: STLS is still used when the server offers it.
pt -S pop3_starttls=optional -d "$T/trace-opt" -H -f "$U" >/dev/null 2>&1
check "pop3_starttls=optional: STLS used when offered" grep -q "C: STLS" "$T/trace-opt"
# pop3_starttls=no: plain text; SCRAM does not show the password, USER/PASS would.
out=$(pt -S pop3_starttls=no -d "$T/trace-no" -H -f "$U" 2>&1)
check_eq "pop3_starttls=no: SCRAM in plain text lists the messages" \
	"$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2
check "pop3_starttls=no: no STLS sent" sh -c "! grep -q 'C: STLS' '$T/trace-no'"
out=$(pt -S pop3_starttls=no -S pop3_auth_mechanisms=USER -H -f "$U" 2>&1)
check_contains "pop3_starttls=no, USER only: Dovecot offers no USER in plain text" "$out" \
	"the server does not offer USER/PASS without TLS"

# The ways to log in, as pop3_auth_mechanisms asks.
for way in USER PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1; do
	out=$(pt -S "pop3_auth_mechanisms=$way" -H -f "$U" 2>&1)
	check_eq "pop3_auth_mechanisms=$way: logs in and lists" \
		"$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2
done
# APOP: the harness's Dovecot has apop in auth_mechanisms, so its greeting
# carries a timestamp.  Over STLS, as USER/PASS would be.
out=$(pt -S pop3_auth_mechanisms=APOP -d "$T/trace-apop" -H -f "$U" 2>&1)
check_eq "APOP: logs in and lists" "$?:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "0:2"
check "APOP: the APOP command was sent, after STLS" \
	sh -c "grep -q 'C: STLS' '$T/trace-apop' && grep -q 'C: APOP alice' '$T/trace-apop'"
check "APOP: no other way was tried" sh -c "! grep -Eq 'C: (AUTH|USER|PASS)' '$T/trace-apop'"
check "APOP: the trace never shows the digest's secret" \
	sh -c "! grep -q '$HARNESS_PASS1' '$T/trace-apop'"
out=$(pt -S pop3_auth_mechanisms=APOP -H -f "pop3://alice:wrong-password@$H:$HARNESS_POP3_PORT/" 2>&1)
rc=$?
check_eq "APOP, wrong password: exit status 1, one line" \
	"$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "1:1"
check_contains "APOP, wrong password: names the server, the user and APOP" "$out" \
	"petrel: $H:$HARNESS_POP3_PORT: authentication as alice failed (APOP)"

# A wrong password: one line naming the server, exit status 1.
out=$(pt -H -f "pop3://alice:wrong-password@$H:$HARNESS_POP3_PORT/" 2>&1)
rc=$?
check_eq "wrong password: exit status 1" "$rc" 1
check_eq "wrong password: one line" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
check_contains "wrong password: names the server and the user" "$out" \
	"petrel: $H:$HARNESS_POP3_PORT: authentication as alice failed"
out=$(pt -S pop3_auth_mechanisms=USER -H -f "pop3://alice:wrong-password@$H:$HARNESS_POP3_PORT/" 2>&1)
check_eq "wrong password, USER/PASS: the sentence" "$out" \
	"petrel: $H:$HARNESS_POP3_PORT: authentication as alice failed (USER/PASS): [AUTH] Authentication failed."

# No password anywhere: the sentence says where to put one.
out=$(pt -H -f "pop3://alice@$H:$HARNESS_POP3_PORT/" </dev/null 2>&1)
check_contains "no password: says what to set" "$out" "pop3_pass"

# Without the CA the certificate is refused.
out=$(pt -S tls_ca_file= -H -f "$U" 2>&1)
check_contains "an unknown CA: refused" "$out" "certificate verification failed"

finish
