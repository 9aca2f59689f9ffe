#!/bin/sh
# STARTTLS response injection (CVE-2011-0411, CVE-2020-14954): the
# server's go-ahead comes with forged plain-text replies in the same
# write.  They must be thrown away unread, the capabilities asked again
# over TLS, and the message sent there; and a server without STARTTLS
# gets neither a password nor a message.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/smtp-lib.sh"

printf 'hello over TLS\n' >body.txt

peer_start inject tls
pt -d trace -s "after an injection" bob@example.org <body.txt
peer_stop
check_eq "injection: exit 0" "$rc:$errout" "0:"
check_contains "injection: the handshake happened" "$status" "handshake ok"
check "injection: the client said nothing before the handshake" \
	sh -c "! grep -q 'before the handshake' '$T/status'"
check_contains "injection: EHLO again over TLS" "$status" "tls EHLO"
check "injection: AUTH only over TLS" sh -c "! grep -q '^plain AUTH' '$T/status'"
check "injection: MAIL only over TLS" sh -c "! grep -q '^plain MAIL' '$T/status'"
check "injection: nothing injected was read as a reply" sh -c "! grep -q injected trace"
check_contains "injection: the discard is in the trace" "$(cat trace)" \
	"bytes the server sent in plain text before the TLS handshake"
check_eq "injection: delivered once" "$(spooled)" 1
# base64 of "\0alice\0secret", the AUTH PLAIN response
check "injection: the password is not in the trace" sh -c "! grep -q AGFsaWNlAHNlY3JldA trace"

# A server that offers no STARTTLS: required by default, so nothing goes.
peer_start good
"$PETREL" -n -S "smtp_url=smtp://alice:secret@127.0.0.1:$port" -S sendmail=/bin/false \
	-s "no TLS" bob@example.org <body.txt >"$T/out" 2>"$T/err"
rc=$?
peer_stop
check_eq "no STARTTLS: exit 1" "$rc" 1
check_contains "no STARTTLS: says so" "$(cat "$T/err")" "does not offer STARTTLS"
check "no STARTTLS: no AUTH and no MAIL sent" sh -c "! grep -Eq '^plain (AUTH|MAIL)' '$T/status'"
check_eq "no STARTTLS: kept in the outbox" "$(outbox_count)" 1

finish
