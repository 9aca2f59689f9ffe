#!/bin/sh
# fetch-mail (G) in the TUI against the harness's Dovecot POP3: the
# messages delivered on the server come into the open maildir (the
# account's spoolfile) without another key, the status line says how
# many, a second G fetches nothing; through a slow relay the progress
# shows, keys still work, and Ctrl-G stops the fetch with what was stored
# recorded in the state file, which the next G completes; several
# accounts, a password asked for once, a server that refuses;
# pop3_check_interval; and the notmuch store with a query open.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start --no-postfix || bail "the test servers did not start"
relay_pid=
trap '[ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null; tm kill-server 2>/dev/null; rm -rf "$T"; harness_stop' EXIT
trap 'exit 1' HUP INT TERM PIPE

H=$HARNESS_HOST
P=$HARNESS_POP3_PORT
state="$HOME/.local/state/petrel/pop3/alice@$H:$P.uidl"

# mkmsg N SUBJECT: a message whose Message-ID is <fetch-N@petrel.test>.
mkmsg() {
	printf 'From: Bob <bob@petrel.test>\nTo: alice@petrel.test\n'
	printf 'Subject: %s\n' "$2"
	printf 'Date: Mon, 02 Feb 2026 10:%02d:%02d +0000\n' $(($1 / 60 % 60)) $(($1 % 60))
	printf 'Message-ID: <fetch-%s@petrel.test>\n\nBody of message %s.\n' "$1" "$1"
}

# fill USER FIRST LAST: messages FIRST..LAST put in USER's INBOX as a
# delivery agent would (Dovecot finds them at the next login).
fill() {
	md=$(harness_maildir "$1")
	mkdir -p "$md/new" "$md/cur" "$md/tmp"
	i=$2
	while [ "$i" -le "$3" ]; do
		mkmsg "$i" "Fetched message $i" > "$md/new/1770000000.P$$Q$i.petrel-test"
		i=$((i + 1))
	done
	chown -R --reference="$md" "$md" 2>/dev/null || true
}

# How many files the local maildir holds, and how many distinct
# Message-IDs among them.
local_count() {
	find "$T/inbox/new" "$T/inbox/cur" -type f | wc -l
}
local_ids() {
	cat "$T/inbox/new/"* "$T/inbox/cur/"* 2>/dev/null | grep -i '^Message-ID:' | sort -u | wc -l
}

mkdir -p "$T/inbox/new" "$T/inbox/cur" "$T/inbox/tmp"
mkmsg 0 "Local message" > "$T/inbox/cur/1.1.test:2,S"
mkdir -p "$HOME/.config/petrel"
cat > "$HOME/.config/petrel/config" <<EOC
set tls_ca_file=$HARNESS_CA
set spoolfile=$T/inbox
account pop {
	set pop3_url=pop3://alice@$H:$P/
	set pop3_pass=$HARNESS_PASS1
}
EOC

fill alice 1 3
tui_start
check "the maildir spoolfile is open" wait_for "Local message"
check "one message" wait_for "[Msgs:1"
keys G
check "G: the status line says what came" wait_for "3 new messages from alice@$H:$P."
check "G: the new messages show in the open folder" wait_for "Fetched message 3"
check "G: four messages in the index" wait_for "[Msgs:4"
check_eq "G: three files more in the maildir" "$(local_count)" 4
check_eq "G: the state file lists the three" "$(grep -c '^F ' "$state")" 3
check_eq "keep mode: the server keeps them" \
	"$(ls "$(harness_maildir alice)/new" "$(harness_maildir alice)/cur" | grep -c petrel-test)" 3
keys G
check "G again: nothing new" wait_for "No new mail on alice@$H:$P."
check_eq "G again: nothing more in the maildir" "$(local_count)" 4
check_eq "G again: still four in the index" "$(screen | grep -c 'Fetched message\|Local message')" 4

# A slow link: a relay that passes the server's bytes in small sips.
"$HARNESS_PYTHON" "$top_srcdir/tests/lib/slow-relay.py" "$H" "$P" "$T/relay.port" 12800 256 &
relay_pid=$!
wait_until test -s "$T/relay.port" || bail "the relay did not start"
RP=$(cat "$T/relay.port")
slow_state="$HOME/.local/state/petrel/pop3/bob@$H:$RP.uidl"
fill bob 4 403
keys q
wait_for "EXIT=" >/dev/null
cat > "$HOME/.config/petrel/config" <<EOC
set tls_ca_file=$HARNESS_CA
set spoolfile=$T/inbox
account pop {
	set pop3_url=pop3://bob@$H:$RP/
	set pop3_pass=$HARNESS_PASS2
}
EOC
tui_start
check "slow: the folder is open" wait_for "[Msgs:4"
keys G
check "slow: progress in the status line" wait_for "/400 from pop3://bob@$H:$RP"
keys '?'
check "slow: keys still work while it fetches" wait_for "Keys of the index screen"
keys q
check "slow: back to the index" wait_for "[Msgs:"
# Some messages in (a window of RETRs answered), not all.
fetched_some() {
	d=$(screen | sed -n 's/.*Fetching \([0-9]*\)\/400 from.*/\1/p')
	[ "${d:-0}" -gt 0 ]
}
check "slow: the count goes up" wait_until fetched_some
keys C-g
# The notice may already have given way to the result on a busy machine.
stop_seen() {
	screen | grep -qE 'Stopping the fetch|Fetching cancelled:'
}
check "slow: Ctrl-G says it stops" wait_until stop_seen
# What came is made durable first (a sync of the file system, which
# other writers on the machine can make slow).
TUI_WAIT=600
check "slow: then that it stopped" wait_for "Fetching cancelled:"
TUI_WAIT=100
n=$(screen | sed -n 's/.*Fetching cancelled: \([0-9]*\) new message.*/\1/p')
check "slow: the cancel came after some, before the end" \
	test "${n:-0}" -gt 0 -a "${n:-400}" -lt 400
check_eq "slow: what was stored is in the maildir" "$(local_count)" $((4 + ${n:-0}))
check_eq "slow: and recorded in the state file" "$(grep -c '^F ' "$slow_state")" "${n:-0}"
keys G
check "slow: G goes on with the rest" wait_for "new messages from bob@$H:$RP."
check_eq "slow: every message once in the maildir" "$(local_count):$(local_ids)" "404:404"
check_eq "slow: the state file lists every message" "$(grep -c '^F ' "$slow_state")" 400
keys q
check "petrel leaves" wait_for "EXIT=0"

# Two accounts, one after the other: the first without a password (asked
# for once, kept), the second refused (said at the end, with what the
# first brought).
fill carol 501 502
cat > "$HOME/.config/petrel/config" <<EOC
set tls_ca_file=$HARNESS_CA
set spoolfile=$T/inbox
account first {
	set pop3_url=pop3://carol@$H:$P/
}
account second {
	set pop3_url=pop3://alice@$H:$P/
	set pop3_pass=not-the-password
}
EOC
tui_start
check "two accounts: the folder is open" wait_for "[Msgs:404"
keys G
check "two accounts: the password is asked for" wait_for "Password for carol@$H"
keys "$HARNESS_PASS3" Enter
check "two accounts: the refusal is said, after what came" \
	wait_for "2 new messages; fetching from pop3://alice@$H:$P/ failed"
check "two accounts: the first one's messages are in" wait_for "[Msgs:406"
keys G
refused_alone() {
	screen | grep -q "^Fetching from pop3://alice@$H:$P/ failed" &&
		! screen | grep -q "new messages;"
}
check "two accounts again: nothing new, the same refusal" wait_until refused_alone
check "two accounts again: the password was kept" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "Password for"' - "$sock"
keys q
check "petrel leaves again" wait_for "EXIT=0"

# pop3_check_interval: rounds of their own, without a key; the password
# from pop3_pass_command, which the fetch's worker runs.
cat > "$HOME/.config/petrel/config" <<EOC
set tls_ca_file=$HARNESS_CA
set spoolfile=$T/inbox
set pop3_check_interval=1
account pop {
	set pop3_url=pop3://alice@$H:$P/
	set pop3_pass_command="echo $HARNESS_PASS1"
}
EOC
tui_start
check "interval: the folder is open" wait_for "[Msgs:406"
fill alice 601 602
check "interval: new messages come without a key" wait_for "[Msgs:408"
check "interval: and it says so" wait_for "2 new messages from alice@$H:$P."
keys q
check "petrel leaves once more" wait_for "EXIT=0"

# Into the notmuch store: an open query takes the messages in.
command -v notmuch >/dev/null 2>&1 ||
	bail "the notmuch command is missing: contrib/install-deps.sh installs it"
# libnotmuch's own leaks are not petrel's (sanitizer builds).
LSAN_OPTIONS="suppressions=$top_srcdir/tests/cli/notmuch-lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
NOTMUCH_CONFIG="$T/notmuch-config"
export LSAN_OPTIONS NOTMUCH_CONFIG
mkdir -p "$T/nm"
cat > "$NOTMUCH_CONFIG" <<EOC
[database]
path=$T/nm
[new]
tags=unread;inbox;
[search]
exclude_tags=deleted;spam;
[maildir]
synchronize_flags=true
EOC
"$PETREL" -n --init-store > /dev/null 2>&1 || bail "petrel --init-store failed"
fill carol 701 702
cat > "$HOME/.config/petrel/config" <<EOC
set tls_ca_file=$HARNESS_CA
set spoolfile="notmuch://?query=tag:inbox"
account pop {
	set pop3_url=pop3://carol@$H:$P/
	set pop3_pass=$HARNESS_PASS3
}
EOC
tui_start
check "notmuch: the query is open" wait_for "[Msgs:0"
keys G
check "notmuch: the status line says what came" wait_for "2 new messages from carol@$H:$P."
check "notmuch: the open query shows them" wait_for "Fetched message 702"
check "notmuch: two messages" wait_for "[Msgs:2"
check_eq "notmuch: indexed, as new mail" "$(notmuch count 'tag:inbox and tag:unread')" 2
keys G
check "notmuch: G again fetches nothing" wait_for "No new mail on carol@$H:$P."
check_eq "notmuch: still two" "$(notmuch count '*')" 2
keys q
check "petrel leaves the notmuch store" wait_for "EXIT=0"
check "no sanitizer reports" no_sanitizer_reports
finish
