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
cat > "$T/notify" <<EOS
#!/bin/sh
echo "\$*" >> '$T/notified'
EOS
chmod +x "$T/notify"

H=$HARNESS_HOST
# The browser lists the local folder directory and the account's server.
mkdir -p "$T/Mail/local/cur" "$T/Mail/local/new" "$T/Mail/local/tmp"
cp "$T/m1.eml" "$T/Mail/local/new/1.1.test"
cp "$T/m2.eml" "$T/Mail/local/cur/2.1.test:2,S"
mkdir -p "$HOME/.config/petrel"
# In the file, not with -S (which would override the account's folder).
cat > "$HOME/.config/petrel/config" <<EOC
set folder=$T/Mail
account alice {
	set folder=imaps://alice:alice-secret@$H:$HARNESS_IMAPS_PORT/
}
EOC
harness_doveadm mailbox create -u alice Archive || bail "cannot create Archive"
harness_doveadm save -u alice -m Archive < "$T/m1.eml" || bail "cannot save to Archive"
TUI_EDITOR="$T/editor" tui_start -S "tls_ca_file=$HARNESS_CA" \
	-S "spoolfile=imaps://alice:alice-secret@$H:$HARNESS_IMAPS_PORT/INBOX" \
	-S "smtp_url=smtps://alice:alice-secret@$H:$HARNESS_SMTPS_PORT" \
	-S "from=Alice <alice@petrel.test>" -S sendmail=/bin/false \
	-S beep_new -S "new_mail_command=$T/notify %n %u %m %f"
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

# New mail pushed by the server (IDLE): no key is pressed.
cat > "$T/m4.eml" <<EOM
From: Carol <carol@petrel.test>
To: alice@petrel.test
Subject: Pushed message
Date: Tue, 03 Feb 2026 10:00:00 +0000
Message-ID: <srv4@petrel.test>

Delivered while the index was open.
EOM
harness_deliver alice "$T/m4.eml" || bail "cannot deliver"
check "idle: new mail shows without a key press" wait_for "Pushed message"
check "idle: the index counts it" wait_for "[Msgs:4 New:1"
check "idle: the status line says so" wait_for "1 new message in imaps://alice@$H:$HARNESS_IMAPS_PORT/INBOX."
check "idle: new_mail_command runs, without the password" \
	wait_until grep -qx "1 3 4 imaps://alice@$H:$HARNESS_IMAPS_PORT/INBOX" "$T/notified"
sed 's/^/# new_mail_command got: /' "$T/notified"
check "idle: the cursor did not move to the new message" \
	sh -c '! tmux -L "$1" capture-pane -t t -p -e | grep -q "7mN.*Pushed message"' - "$sock"

# Another client changes flags and expunges: rows change in place.
harness_doveadm flags add -u alice '\Flagged' mailbox INBOX header message-id srv2@petrel.test ||
	bail "doveadm flags failed"
check "idle: a flag set by another client shows" wait_for "Flag:2]"
harness_doveadm expunge -u alice mailbox INBOX header message-id srv3@petrel.test ||
	bail "doveadm expunge failed"
check "idle: a message expunged by another client shows deleted" \
	wait_for "[Msgs:4 New:1 Old:2 Flag:2 Del:1]"
check "idle: on its row" wait_line 4 " D   Feb 03 Bob"

# The server goes away and comes back: the screen says so and keys work.
keys j j j
check "the cursor goes to the newest message" wait_cursor "Pushed message"
harness_restart_dovecot || bail "dovecot did not restart"
check "the connection state shows" wait_for "onnect"
keys k
check "keys still work meanwhile" wait_cursor "Server message 3"
# "Connected." may be followed at once by news of the resync; the status
# line no longer saying it reconnects is what counts.
check "connected again" wait_gone "Reconnecting"

# ~b: the server searches the bodies (SEARCH BODY).
keys l "~b delivered" Enter
check "imaps: ~b limits by body" wait_for "1 message matches."
check "imaps: to the message whose body holds it" wait_for "Pushed message"
check "imaps: others are not shown" wait_gone "Server message 2"
keys l C-u "~b \"body of server\"" Enter
check "imaps: a quoted ~b text" wait_for "2 messages match."
keys l C-u all Enter
check "imaps: the limit goes" wait_for "Pushed message"

# The browser: the account's folders counted by the server (LIST-STATUS),
# the open one by the index, a local maildir by the counting worker.
keys y
check "browser: the account's INBOX with the index's counts" \
	wait_for "alice: INBOX  (4 messages, 3 unread)"
check "browser: another server folder counted by the server" \
	wait_for "alice: Archive  (1 messages, 1 unread)"
check "browser: a local maildir" wait_for "local  (2 messages, 1 unread)"
check "browser: no password is shown" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q alice-secret' - "$sock"
harness_deliver alice "$T/m3.eml" || bail "cannot deliver"
check "browser: counts follow new mail" wait_for "alice: INBOX  (5 messages, 4 unread)"
keys q
check "back to the index" wait_for "[Msgs:5"

keys m "bob@petrel.test" Enter "Hello Bob" Enter
check "compose screen" wait_for "Subject: Hello Bob"
keys y
check "smtps: sent" wait_for "Mail sent."
check "smtps: it arrives in bob's INBOX" harness_wait_mail bob 1 20
check "smtps: with the editor's text" \
	sh -c 'grep -rq "Hello from the full-screen interface." "$1"' - "$(harness_maildir bob)"
keys q
check "quit asks about the message expunged elsewhere" wait_for "Purge 1 deleted message?"
keys y
check "quit" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
