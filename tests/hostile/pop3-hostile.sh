#!/bin/sh
# petrel --fetch against a scripted hostile POP3 server (pop3-peer.py):
# each misbehaviour ends in one clear error line (or a warning, where the
# mail is fine), never a crash, a hang or a partial message in the store.
set -u
. "$top_srcdir/tests/lib/tap.sh"
command -v python3 >/dev/null 2>&1 || bail "python3 is needed for the scripted peer"
command -v notmuch >/dev/null 2>&1 || bail "the notmuch command is missing"
peer_py="$top_srcdir/tests/hostile/pop3-peer.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-pop3-hostile.XXXXXX") || bail "mktemp failed"
peer_pid=
trap 'if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null; fi; rm -rf "$T"' EXIT
HOME="$T/home"
XDG_CONFIG_HOME="$HOME/.config"
XDG_STATE_HOME="$T/state"
NOTMUCH_CONFIG="$T/notmuch-config"
MAILRC=/dev/null
USER=tester
LC_ALL=C.UTF-8
export HOME XDG_CONFIG_HOME XDG_STATE_HOME NOTMUCH_CONFIG MAILRC USER LC_ALL
unset NOTMUCH_PROFILE NOTMUCH_DATABASE MAILDIR
LSAN_OPTIONS="suppressions=$top_srcdir/tests/cli/notmuch-lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
mkdir -p "$HOME"

# new_store: an empty notmuch store in $T/mail and no POP3 state.
new_store() {
	rm -rf "$T/mail" "$XDG_STATE_HOME"
	cat >"$NOTMUCH_CONFIG" <<EOF
[database]
path=$T/mail
[new]
tags=unread;inbox;
EOF
	"$PETREL" -n --init-store >/dev/null 2>&1 || bail "petrel --init-store failed"
}

# peer_start SCENARIO [CONNECTIONS]: sets $port
peer_start() {
	rm -f "$T/port" "$T/status"
	python3 "$peer_py" "$1" "$T/port" "$T/status" "${2:-1}" 2>"$T/peer.log" &
	peer_pid=$!
	_i=0
	while [ ! -s "$T/port" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || bail "the scripted peer did not start: $(cat "$T/peer.log")"
		sleep 0.1
	done
	port=$(cat "$T/port")
}

peer_wait() {
	wait "$peer_pid" 2>/dev/null
	peer_pid=
	status=$(cat "$T/status" 2>/dev/null)
}

# fetch [OPTIONS...]: petrel --fetch from the peer; sets $out (stdout),
# $err (stderr), $rc, $elapsed (seconds)
fetch() {
	_t0=$(date +%s)
	"$PETREL" -n -S pop3_starttls=no -S pop3_allow_plaintext=yes -S timeout=3 "$@" \
		--fetch "pop3://tester:secret@127.0.0.1:$port/" >"$T/out" 2>"$T/err"
	rc=$?
	elapsed=$(($(date +%s) - _t0))
	out=$(cat "$T/out")
	err=$(cat "$T/err")
}

lines() {
	if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi
}

stored() {
	notmuch count --exclude=false "${1:-*}"
}

# ---- an honest peer, for the record ----
new_store
peer_start honest
fetch
peer_wait
check_eq "honest: exit 0" "$rc" 0
check_eq "honest: three stored" "$(stored)" 3

# ---- USER/PASS in plain text only with pop3_allow_plaintext ----
new_store
peer_start honest
"$PETREL" -n -S pop3_starttls=no --fetch "pop3://tester:secret@127.0.0.1:$port/" \
	>"$T/out" 2>"$T/err"
rc=$?
err=$(cat "$T/err")
peer_wait
check_eq "plain text, no pop3_allow_plaintext: exit status 1" "$rc" 1
check_contains "plain text, no pop3_allow_plaintext: says why" "$err" \
	"USER/PASS would send the password without TLS"
check "plain text, no pop3_allow_plaintext: no password sent" \
	sh -c "! grep -q -e 'C: PASS' '$T/status'"

# ---- +OK with a garbage count ----
new_store
peer_start garbage-count
fetch
peer_wait
check_eq "garbage count: exit status 1" "$rc" 1
check_eq "garbage count: one line" "$(lines "$err")" 1
check_contains "garbage count: says what is wrong" "$err" "petrel: "
check_contains "garbage count: names the server" "$err" "127.0.0.1:$port"
check_eq "garbage count: nothing stored" "$(stored)" 0

# ---- a multi-line answer that never ends ----
new_store
peer_start endless-list
fetch
peer_wait
check_eq "endless LIST: exit status 1" "$rc" 1
check_eq "endless LIST: one line" "$(lines "$err")" 1
check_contains "endless LIST: stops at the line limit" "$err" "more than 1000000 lines"
sent=$(printf '%s\n' "$status" | sed -n 's/^sent //p')
check "endless LIST: the peer did not get to send it all (${sent:-?} lines)" \
	test "${sent:-4000000}" -lt 4000000

new_store
peer_start stall-list
fetch
kill "$peer_pid" 2>/dev/null
peer_wait
check_eq "stalled LIST: exit status 1" "$rc" 1
check_eq "stalled LIST: one line" "$(lines "$err")" 1
check_contains "stalled LIST: a timeout" "$err" "127.0.0.1:$port"
check "stalled LIST: gave up within the timeout (${elapsed}s)" test "$elapsed" -le 8

# ---- a line over the limit ----
new_store
peer_start long-line
fetch
peer_wait
check_eq "endless line: exit status 1" "$rc" 1
check_eq "endless line: one line" "$(lines "$err")" 1
check_contains "endless line: says the line is too long" "$err" "longer than"
sent=$(printf '%s\n' "$status" | sed -n 's/^sent //p')
check "endless line: the peer got to send only a little (${sent:-?} bytes)" \
	test "${sent:-999999999}" -lt 67108864

# ---- a size that differs from LIST's: stored, with a warning ----
new_store
peer_start size-mismatch
fetch
peer_wait
check_eq "size mismatch: exit status 0" "$rc" 0
check_contains "size mismatch: a warning names the message" "$err" \
	"message 2 came with 185 bytes where LIST said 192; stored as it came"
check_eq "size mismatch: all three stored" "$(stored)" 3

# ---- the connection dropped in the middle of RETR ----
new_store
peer_start drop-mid-retr 2
fetch
check_eq "dropped in RETR: exit status 1" "$rc" 1
check_eq "dropped in RETR: one line" "$(lines "$err")" 1
check_contains "dropped in RETR: says the message is incomplete" "$err" \
	"in the middle of message 2"
check_eq "dropped in RETR: the message before it is stored" "$(stored id:hostile-1@example.org)" 1
check_eq "dropped in RETR: no part of message 2 is stored" "$(stored id:hostile-2@example.org)" 0
check_eq "dropped in RETR: nothing half-written in the maildir" \
	"$(grep -l 'Body 2\.' "$T"/mail/new/* "$T"/mail/cur/* 2>/dev/null | wc -l | tr -d ' ')" 0
fetch
peer_wait
check_eq "dropped in RETR, next run: exit 0" "$rc" 0
check_eq "dropped in RETR, next run: all three stored once" "$(stored)" 3
f=$(notmuch search --exclude=false --output=files id:hostile-2@example.org)
check "dropped in RETR, next run: message 2 is whole" grep -q '^The end\.$' "$f"
check "dropped in RETR, next run: message 2 is dot-unstuffed" grep -q '^\.A dot first$' "$f"

# ---- no STLS where it is required ----
new_store
peer_start no-stls
"$PETREL" -n -S pop3_starttls=required --fetch "pop3://tester:secret@127.0.0.1:$port/" \
	>"$T/out" 2>"$T/err"
rc=$?
err=$(cat "$T/err")
peer_wait
check_eq "no STLS, required: exit status 1" "$rc" 1
check_eq "no STLS, required: one line" "$(lines "$err")" 1
check_contains "no STLS, required: says so" "$err" "does not offer STLS"
check "no STLS, required: no password sent" sh -c "! grep -q -e 'C: USER' -e 'C: PASS' -e 'C: AUTH' -e 'C: APOP' '$T/status'"

# ---- APOP ----
new_store
peer_start apop 2
"$PETREL" -n -S pop3_starttls=no --fetch "pop3://tester:secret@127.0.0.1:$port/" \
	>"$T/out" 2>"$T/err"
rc=$?
err=$(cat "$T/err")
check_eq "APOP without TLS, not allowed: exit status 1" "$rc" 1
check_contains "APOP without TLS, not allowed: says why" "$err" "APOP is not used without TLS"
fetch
peer_wait
check_eq "APOP: exit status 0" "$rc" 0
check "APOP: the digest was sent" grep -q '^C: APOP tester [0-9a-f]\{32\}$' "$T/status"
check_eq "APOP: three stored" "$(stored)" 3

# ---- no UIDL: by content ----
new_store
peer_start no-uidl 3
fetch
check_eq "no UIDL: exit status 0" "$rc" 0
check_contains "no UIDL: says every run downloads them" "$err" "downloaded on every run"
check_eq "no UIDL: three stored" "$(stored)" 3
fetch
check_eq "no UIDL, again: nothing new" "$rc:$out" "0:"
check_eq "no UIDL, again: still three, none twice" "$(stored)" 3
fetch -S pop3_delete=yes
peer_wait
check_eq "no UIDL, delete mode: exit 0" "$rc" 0
check_contains "no UIDL, delete mode: the server deleted all three" "$status" "deleted 1,2,3"
check_eq "no UIDL, delete mode: still three stored" "$(stored)" 3

# ---- one unique-id for two messages ----
new_store
peer_start dup-uidl 2
fetch
check_eq "duplicate unique-id: exit 0" "$rc" 0
check_contains "duplicate unique-id: a warning" "$err" "same-uid"
check_eq "duplicate unique-id: both messages stored" "$(stored)" 3
fetch
peer_wait
check_eq "duplicate unique-id, again: none stored twice" "$(stored)" 3

# ---- a message LIST says is larger than petrel fetches ----
new_store
peer_start huge-list
fetch
peer_wait
check_eq "huge message: exit status 1" "$rc" 1
check_contains "huge message: a warning" "$err" "message 2 is 3000000000 bytes, more than petrel fetches"
check_contains "huge message: the error" "$err" "1 message could not be fetched and stays on the server"
check "huge message: never asked for" sh -c "! grep -q 'C: RETR 2' '$T/status'"
check_eq "huge message: the others stored" "$(stored)" 2

# ---- unique-ids that are empty, too long, or look like paths ----
new_store
peer_start odd-uidl 2
fetch
check_eq "odd unique-ids: exit 0" "$rc" 0
check_eq "odd unique-ids: all three stored" "$(stored)" 3
check "odd unique-ids: no file made from a unique-id" test ! -e /tmp/pwned-by-pop3
check "odd unique-ids: the path-like one is recorded as it is" \
	grep -q '^F [0-9]* \.\./\.\./\.\./\.\./tmp/pwned-by-pop3$' "$XDG_STATE_HOME"/petrel/pop3/*.uidl
fetch
peer_wait
check_eq "odd unique-ids, again: nothing stored twice" "$(stored)" 3

# ---- -ERR to one RETR ----
new_store
peer_start retr-err
fetch -S pop3_delete=yes
peer_wait
check_eq "RETR refused: exit status 1" "$rc" 1
check_eq "RETR refused: one error line after the warning" "$(lines "$err")" 2
check_contains "RETR refused: says how many and why" "$err" \
	"1 message could not be fetched and stays on the server"
check_eq "RETR refused: the others stored" "$(stored)" 2
check_contains "RETR refused: only the stored ones deleted" "$status" "deleted 1,3"

finish
