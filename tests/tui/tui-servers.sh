#!/bin/sh
# The TUI against real servers (the harness's Dovecot and Postfix): an
# IMAP INBOX read over imaps://, a flag written back, and a message sent
# through smtps:// that arrives in another user's INBOX.  The same
# requests as for local folders: the TUI knows no backend.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start || bail "the test servers did not start"
trap 'tm kill-server 2>/dev/null; rm -rf "$T"; harness_stop' EXIT
trap 'exit 1' HUP INT TERM PIPE

for n in 1 2 3; do
	cat > "$T/m$n.eml" <<EOM
From: Bob <bob@petrel.test>
To: alice@petrel.test
Subject: Server message $n
Date: Mon, 0$n Feb 2026 10:00:00 +0000
Message-ID: <srv$n@petrel.test>

Body of server message $n.
EOM
	harness_deliver alice "$T/m$n.eml" || bail "cannot deliver"
done
cat > "$T/editor" <<'EOS'
#!/bin/sh
echo "Hello from the full-screen interface." >> "$1"
EOS
chmod +x "$T/editor"

H=$HARNESS_HOST
TUI_EDITOR="$T/editor" tui_start -S "tls_ca_file=$HARNESS_CA" \
	-S "spoolfile=imaps://alice:alice-secret@$H:$HARNESS_IMAPS_PORT/INBOX" \
	-S "smtp_url=smtps://alice:alice-secret@$H:$HARNESS_SMTPS_PORT" \
	-S "from=Alice <alice@petrel.test>" -S sendmail=/bin/false -S "folder=$T/Mail"
check "imaps: the index shows the INBOX" wait_for "Server message 3"
check "imaps: three messages" wait_for "[Msgs:3"
check "the password in the URL is never shown" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q alice-secret' - "$sock"
keys = Enter
check "imaps: a message opens" wait_for "Body of server message 1."
keys q F
check "imaps: F flags it" wait_for "Flag:1]"
keys '$'
check "imaps: sync writes the flag to the server" \
	wait_until sh -c 'ls "$1"/cur | grep -q ":2,[A-Z]*F"' - "$(harness_maildir alice)"
check "imaps: the index is read again" wait_for "[Msgs:3"

keys m "bob@petrel.test" Enter "Hello Bob" Enter
check "compose screen" wait_for "Subject: Hello Bob"
keys y
check "smtps: sent" wait_for "Mail sent."
check "smtps: it arrives in bob's INBOX" harness_wait_mail bob 1 20
check "smtps: with the editor's text" \
	sh -c 'grep -rq "Hello from the full-screen interface." "$1"' - "$(harness_maildir bob)"
keys q
check "quit" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
