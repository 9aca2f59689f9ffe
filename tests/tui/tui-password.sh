#!/bin/sh
# Password prompts: an IMAP folder whose login has no password anywhere
# (URL, imap_pass, imap_pass_command) asks at the bottom line without
# echo; Ctrl-G gives up the login with a sentence saying so.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start || bail "the test servers did not start"
trap 'tm kill-server 2>/dev/null; rm -rf "$T"; harness_stop' EXIT
trap 'exit 1' HUP INT TERM PIPE

cat > "$T/m1.eml" <<EOM
From: Bob <bob@petrel.test>
To: alice@petrel.test
Subject: Behind a password
Date: Mon, 02 Feb 2026 10:00:00 +0000
Message-ID: <pw1@petrel.test>

Only for Alice.
EOM
harness_deliver alice "$T/m1.eml" || bail "cannot deliver"
H=$HARNESS_HOST
# Wide enough for the whole error sentence.
TUI_COLS=200
url="imaps://alice@$H:$HARNESS_IMAPS_PORT/INBOX"

tui_start -S "tls_ca_file=$HARNESS_CA" -S "spoolfile=$url"
check "the login asks for the password" wait_for "Password for alice@$H:"
keys "alice-secret"
sleep 0.3
check "what is typed is not shown" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "alice-secret"' - "$sock"
check "not even as stars" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "\*\*\*\*"' - "$sock"
keys Enter
check "with the password the folder opens" wait_for "Behind a password"
check "and the password is never on the screen" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "alice-secret"' - "$sock"
keys x y
check "leave" restored 0

tui_start -S "tls_ca_file=$HARNESS_CA" -S "spoolfile=$url"
check "asked again in a new run" wait_for "Password for alice@$H:"
keys "half" C-g
check "Ctrl-G gives the login up" wait_for "login cancelled"
check "saying which folder" wait_for "Cannot open $url"
keys j
check "keys work after that" wait_gone "Password for"
keys c "$url" Enter
check "opening it again asks again" wait_for "Password for alice@$H:"
keys "wrong-password" Enter
check "a wrong password fails with the server's word" wait_for "Cannot open $url"
keys x y
check "leave again" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
