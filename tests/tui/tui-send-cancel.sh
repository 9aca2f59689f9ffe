#!/bin/sh
# Ctrl-G while a message is on its way: through SMTP, to a server that
# never finishes its greeting (the message stays in the outbox), and
# through a sendmail program that does not read its input yet (the
# message stays in the composer).  Neither is reported as sent.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

command -v python3 >/dev/null || bail "python3 is needed for the scripted server"
cat > "$T/editor" <<EOS
#!/bin/sh
echo "Stop me." >> "\$1"
EOS
# A sendmail that takes its time before it reads the message.
cat > "$T/sendmail" <<EOS
#!/bin/sh
[ -f '$T/sendmail-slow' ] && sleep 30
cat > '$T/sendmail.msg'
[ -f '$T/sendmail-slow-after' ] && sleep 29.5
exit 0
EOS
chmod +x "$T/editor" "$T/sendmail"
# More than a pipe holds, so that feeding the program waits for it.
python3 -c 'import sys; sys.stdout.write(("x" * 71 + "\n") * 4000)' > "$T/big.txt"

python3 "$top_srcdir/tests/hostile/smtp-peer.py" drip "$T/port" "$T/status" "$T/spool" \
	2>"$T/peer.log" &
peer_pid=$!
trap 'kill "$peer_pid" 2>/dev/null; tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
wait_file "$T/port" || bail "the scripted server did not start"
port=$(cat "$T/port")

not_shown() { ! screen | grep -qF -- "$1"; }

make_sample "$T/md"
TUI_EDITOR="$T/editor" tui_start -S "spoolfile=$T/md" -S "from=You <you@example.org>" \
	-S "smtp_url=smtp://you@127.0.0.1:$port" -S "smtp_pass=secret" -S "smtp_starttls=no" \
	-S "outbox=$T/outbox" -S "record="
check "the index is shown" wait_for "[Msgs:35"
keys m "bob@example.net" Enter "Slow server" Enter
check "compose screen" wait_for "Subject: Slow server"
keys y
check "sending starts" wait_for "Sending the message"
check "the server is reached" wait_until grep -q "conn 1" "$T/status"
keys C-g
check "Ctrl-G cancels the sending" wait_for "Sending cancelled"
check "the screen says the outbox has it" wait_for "outbox"
check "the message waits in the outbox" sh -c 'grep -rqs "^Subject: Slow server" "$1"' - "$T/outbox"
check "the compose screen stays" wait_for "Subject: Slow server"
check "nothing says it was sent" not_shown "Mail sent."
keys q y
check "discarded" wait_for "Message discarded."
keys q
check "quit" restored 0

# The sendmail program: cancelled while it has not read the message.
touch "$T/sendmail-slow"
TUI_EDITOR="$T/editor" tui_start -S "spoolfile=$T/md" -S "from=You <you@example.org>" \
	-S "sendmail=$T/sendmail" -S "record="
check "the index is shown again" wait_for "[Msgs:35"
keys m "bob@example.net" Enter "Slow program" Enter
check "compose screen for sendmail" wait_for "Subject: Slow program"
keys a "$T/big.txt" Enter
check "a large attachment" wait_for "big.txt"
keys y
check "sending through the program starts" wait_for "Sending the message"
sleep 0.5
keys C-g
check "Ctrl-G stops the program" wait_for "Sending cancelled: the message was not sent"
check "the message is still in the composer" wait_for "Subject: Slow program"
check "the program never got it" test ! -e "$T/sendmail.msg"
rm -f "$T/sendmail-slow"
keys y
check "sending again works" wait_for "Mail sent."
check "the program got it then" grep -q "^Subject: Slow program" "$T/sendmail.msg"

# Cancelled once it has read the whole message: it is stopped, and the
# screen says the message may have gone.
rm -f "$T/sendmail.msg"
touch "$T/sendmail-slow-after"
keys m "bob@example.net" Enter "Slow to finish" Enter
check "compose screen, a program slow to finish" wait_for "Subject: Slow to finish"
keys y
check "the program reads the message" wait_until grep -q "^Subject: Slow to finish" "$T/sendmail.msg"
keys C-g
check "Ctrl-G stops a program that had read it all" wait_for "it may have been sent"
check "the message stays in the composer" wait_for "Subject: Slow to finish"
check "the program and its children were stopped" \
	wait_until sh -c '! pgrep -f "sleep 2[9]" >/dev/null'
check "nothing says it was sent" not_shown "Mail sent."
keys q y
check "discarded after the cancel" wait_for "Message discarded."
keys q
check "quit after sending" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
