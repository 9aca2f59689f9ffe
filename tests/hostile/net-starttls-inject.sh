#!/bin/sh
# STARTTLS response injection (CVE-2011-0411 and its kin, and
# CVE-2020-14954 for mail clients): the server's go-ahead comes with a
# forged plain-text line in the same packet.  net must throw it away, start
# TLS clean, and never read it as a server line.  Also STARTTLS stripping:
# refused or missing STARTTLS when the account requires it.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/net-lib.sh"
net_cert

for proto in imap pop3 smtp; do
	peer_start "$proto-inject"
	probe --proto "$proto" --host 127.0.0.1 --port "$port" --tls starttls --starttls-required \
		--ca "$net_tmp/cert.pem" --timeout 5000 --trace "$net_tmp/$proto.trace"
	peer_wait
	trace=$(cat "$net_tmp/$proto.trace")
	check_eq "$proto: STARTTLS with an injected line succeeds" "$rc" 0
	check_contains "$proto: the handshake started clean" "$status" "handshake ok"
	check "$proto: the client said nothing before the handshake" \
		lacks "$status" "before the handshake"
	check_contains "$proto: TLS is on" "$out" "tls=TLSv1."
	check "$proto: nothing injected reached the result" lacks "$out" injected AUTH=PLAIN
	check "$proto: nothing injected was read as a server line" lacks "$trace" injected
	check_contains "$proto: the discard is in the trace" "$trace" \
		"bytes the server sent in plain text before the TLS handshake"
	case $proto in
	imap)
		check_contains "imap: capabilities asked again over TLS" "$status" "tls a3 CAPABILITY"
		check_contains "imap: and only those used" "$out" "caps=IMAP4rev1 AUTH=SCRAM-SHA-256"
		;;
	pop3)
		check_contains "pop3: CAPA again over TLS" "$status" "tls CAPA"
		;;
	smtp)
		check_contains "smtp: EHLO again over TLS" "$status" "tls EHLO"
		check_contains "smtp: and only its answer used" "$out" "caps=AUTH SCRAM-SHA-256"
		;;
	esac
done

peer_start imap-starttls-no
probe --proto imap --host 127.0.0.1 --port "$port" --tls starttls --starttls-required \
	--ca "$net_tmp/cert.pem" --user alice --pass secret --timeout 5000
peer_wait
check_eq "STARTTLS refused: a TLS error (exit 18)" "$rc" 18
check_eq "STARTTLS refused: the sentence" "$errout" \
	"petrel: 127.0.0.1:$port: STARTTLS refused: STARTTLS disabled"
check "STARTTLS refused: no LOGIN or AUTHENTICATE sent" lacks "$status" " LOGIN" AUTHENTICATE

peer_start smtp-no-starttls
probe --proto smtp --host 127.0.0.1 --port "$port" --tls starttls --starttls-required \
	--ca "$net_tmp/cert.pem" --user alice --pass secret --timeout 5000
peer_wait
check_eq "SMTP without STARTTLS, required: exit 18" "$rc" 18
check_eq "SMTP without STARTTLS, required: the sentence" "$errout" \
	"petrel: 127.0.0.1:$port: the server does not offer STARTTLS, which the account requires: not going on in plain text"
check "SMTP without STARTTLS, required: no AUTH sent" lacks "$status" "plain AUTH"

finish
