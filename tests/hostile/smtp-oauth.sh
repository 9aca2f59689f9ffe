#!/bin/sh
# smtp_oauth_refresh_command: what it prints is the bearer token of
# OAUTHBEARER (or XOAUTH2 when smtp_auth_mechanisms asks for it), run at
# each connection; a failing command, one printing nothing, and a token
# the server refuses each end with one clear line, the message kept in
# the outbox.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/smtp-lib.sh"

PEER_OAUTH_TOKEN=tok-4711.good
export PEER_OAUTH_TOKEN
printf 'sent with a token\n' >body.txt
cat >token.sh <<'EOS'
#!/bin/sh
# Prints a token as a refresh helper would, with a line after it.
echo "$TOKEN"
echo "expires_in=3600"
EOS
chmod +x token.sh

# No password anywhere: the token is all petrel has.
ot() {
	pt -S "smtp_url=smtp://alice@127.0.0.1:$port" "$@"
}

peer_start good tls
TOKEN=tok-4711.good ot -S "smtp_oauth_refresh_command=$T/token.sh" -s "oauth" bob@example.org \
	<body.txt
peer_stop
check_eq "token: exit 0" "$rc:$errout" "0:"
check_contains "token: OAUTHBEARER with the command's first line" "$status" \
	"oauth OAUTHBEARER user=alice token=tok-4711.good"
check_eq "token: delivered" "$(spooled)" 1

peer_start good tls
TOKEN=tok-4711.good ot -S "smtp_oauth_refresh_command=$T/token.sh" \
	-S smtp_auth_mechanisms=XOAUTH2 -d trace -s "xoauth2" bob@example.org <body.txt
peer_stop
check_eq "XOAUTH2: exit 0" "$rc:$errout" "0:"
check_contains "XOAUTH2: the command's token" "$status" "oauth XOAUTH2 user=alice token=tok-4711.good"
check "XOAUTH2: the token is masked in the protocol trace" sh -c "! grep -q 'tok-4711' trace"
check_eq "XOAUTH2: delivered" "$(spooled)" 1

rm -rf "$OUTBOX"
peer_start good tls
ot -S "smtp_oauth_refresh_command=exit 3" -s "failing" bob@example.org <body.txt
peer_stop
check_eq "failing command: exit 1 (kept until the settings are fixed)" "$rc" 1
check_eq "failing command: one line" "$(lines "$errout")" 1
check_contains "failing command: says which and how" "$errout" \
	"smtp_oauth_refresh_command failed (exit status 3)"
check_eq "failing command: the message is in the outbox" "$(outbox_count)" 1
check "failing command: no login was tried" sh -c "! grep -q '^oauth' '$T/status'"

rm -rf "$OUTBOX"
peer_start good tls
ot -S "smtp_oauth_refresh_command=true" -s "silent" bob@example.org <body.txt
peer_stop
check_eq "silent command: one line" "$(lines "$errout")" 1
check_contains "silent command: says it printed nothing" "$errout" \
	"smtp_oauth_refresh_command printed nothing"
check_eq "silent command: the message is in the outbox" "$(outbox_count)" 1

rm -rf "$OUTBOX"
peer_start good tls
TOKEN=tok-expired ot -S "smtp_oauth_refresh_command=$T/token.sh" -s "refused" bob@example.org \
	<body.txt
peer_stop
check_contains "refused token: the server saw it" "$status" "token=tok-expired"
check_eq "refused token: one line" "$(lines "$errout")" 1
check_contains "refused token: the server's status is shown" "$errout" "invalid_token"
check_eq "refused token: nothing delivered" "$(spooled)" 0
check_eq "refused token: the message is in the outbox" "$(outbox_count)" 1

finish
