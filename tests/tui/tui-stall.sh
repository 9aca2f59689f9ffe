#!/bin/sh
# The full-screen face against an IMAP server that stops answering but
# keeps the connection open (the stall-* scenarios of the scripted peer
# tests/hostile/imap-peer.py, 2,000 messages over imap:// on 127.0.0.1).
# The screen must never wait for the network:
#
# 1. stall-summaries: the summary FETCHes stop after 300 messages, in the
#    middle of a response.  The first rows show, the status line says it
#    is loading, j/k move the cursor while the server stalls; Ctrl-G stops
#    the loading with "Loading stopped: N of 2000 messages loaded." (and
#    nothing about reconnecting), petrel drops the stalled connection, the
#    rows that arrived stay, keys still work, a loaded message opens (on a
#    new connection) and q quits at once.
# 2. stall-body: the body of the newest message stops half-way.  The pager
#    says it is reading, Ctrl-G goes back to the index with "Cancelled.",
#    the index works and another message opens; moving on in the pager
#    while the stalled message loads shows the next message (the cancelled
#    fetch does not throw the reader out of the pager).
# 3. stall-idle: the server ignores the DONE that ends IDLE.  With
#    imap_keepalive=1 and timeout=2 petrel notices within a few seconds,
#    the status line says it reconnects (the peer holds the new
#    connections until the test releases them) while keys move the
#    cursor, and then the connection is back.
# 4. stall-idle again, with the default timeout: q while petrel waits for
#    the answer to DONE says it is writing; Ctrl-G reaches the worker at
#    once (the write fails as cancelled, keys work); x leaves without
#    saving, and while petrel's new connection waits for a greeting that
#    does not come ("closing..."), Ctrl-G ends petrel.
#
# Cases 1, 2 and 4 keep the default I/O timeout (60 s): Ctrl-G and
# quitting must not lean on it, so their bounds (20 s for a screen state,
# 10 s to quit) are far below it.  After each quit the pane shows petrel's exit status, its process
# is gone and the peer saw its connection closed; the peer is killed by
# the trap whatever happens.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"
command -v python3 >/dev/null || bail "python3 is needed for the scripted server"
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
peer_py="$top_srcdir/tests/hostile/imap-peer.py"
peer_pid=
trap 'if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null; fi; tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM PIPE
# Waits for screen states are generous (a loaded 2-core machine, the
# sanitizer build); they end as soon as the state shows.
TUI_WAIT=200
QUIT_WAIT=100

peer_start() {
	rm -f "$T/port" "$T/status" "$T/status.release"
	"$PY" "$peer_py" "$1" "$T/port" "$T/status" 2>"$T/peer.log" &
	peer_pid=$!
	wait_file "$T/port" || bail "the scripted peer did not start: $(cat "$T/peer.log")"
	port=$(cat "$T/port")
}

peer_stop() {
	kill "$peer_pid" 2>/dev/null
	wait "$peer_pid" 2>/dev/null
	peer_pid=
}

# noted N LINE: the peer wrote LINE (whole) at least N times.
noted() {
	[ "$(grep -cxF -- "$2" "$T/status" 2>/dev/null)" -ge "$1" ]
}

# The peer's last note is "closed": no connection of petrel is open.
peer_idle() {
	[ "$(tail -n 1 "$T/status" 2>/dev/null)" = closed ]
}

# wait_re REGEX: waits until the pane matches REGEX (grep -E).
wait_re() {
	wait_until sh -c 'tmux -L "$1" capture-pane -t t -p | grep -qE -- "$2"' - "$sock" "$1" ||
		{ echo "# never shown: $1" >&2; screen | sed 's/^/#   | /' >&2; return 1; }
}

# Petrel's process: the pane's shell runs it as its child.
find_petrel() {
	petrel_pid=$(ps -o pid=,comm= --ppid "$(tm display-message -p -t t '#{pane_pid}')" |
		awk '$2 == "petrel" { print $1 }')
	[ -n "$petrel_pid" ]
}

# start SCENARIO [-S ...]: the peer, and petrel on its INBOX, newest first.
start() {
	peer_start "$1"
	shift
	tui_start -S imap_starttls=no -S imap_allow_plaintext=yes -S sort=reverse-date \
		-S "spoolfile=imap://u:p@127.0.0.1:$port/INBOX" "$@"
	wait_until find_petrel || bail "petrel did not start"
}

# quit_now CASE: q in the index ends petrel at once, leaving nothing.
quit_now() {
	keys q
	quit_checks "$1"
}

# quit_checks CASE: petrel ended at once, leaving nothing.
quit_checks() {
	TUI_WAIT=$QUIT_WAIT
	check "$1: q quits at once" restored 0
	TUI_WAIT=200
	check "$1: no petrel process is left" sh -c '! kill -0 "$1" 2>/dev/null' - "$petrel_pid"
	check "$1: the server saw the connection closed" wait_until peer_idle
	peer_stop
}

# 1. The summaries stall.
start stall-summaries
check "summaries: the first rows show" wait_line 2 "Stall message 2000"
check "summaries: the server stalls" wait_until noted 1 stalled
check "summaries: the status line says it is loading" wait_re "Loading [0-9]+/2000"
keys j j j
check "summaries: j moves the cursor while the server stalls" wait_cursor "Stall message 1997"
keys k
check "summaries: k too" wait_cursor "Stall message 1998"
check "summaries: still loading meanwhile" wait_re "Loading [0-9]+/2000"
check "summaries: on the first connection" test "$(grep -c '^connection' "$T/status")" -eq 1
keys C-g
check "summaries: Ctrl-G stops the loading" wait_for "Loading stopped: "
loaded=$(screen | sed -n 's/.*Loading stopped: \([0-9]*\) of 2000 messages loaded\..*/\1/p')
check "summaries: part of the folder was loaded" \
	sh -c '[ -n "$1" ] && [ "$1" -gt 0 ] && [ "$1" -lt 2000 ]' - "$loaded"
check "summaries: the status line no longer says loading" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -qE "Loading [0-9]+/"' - "$sock"
check "summaries: petrel dropped the stalled connection" wait_until noted 1 closed
# The new connection is made by itself; it is no news to the user.
check "summaries: and made a new one" wait_until noted 1 "connection 2"
check "summaries: which is idle" wait_until sh -c 'sed -n "/^connection 2/,\$p" "$1" | grep -q "IDLE$"' - "$T/status"
check "summaries: the status line still says why the loading stopped" \
	wait_for "Loading stopped: $loaded of 2000 messages loaded."
check "summaries: nothing about the connection" \
	sh -c '! tmux -L "$1" capture-pane -t t -p | grep -qiE "reconnect|connection lost|connected"' - "$sock"
check "summaries: what arrived stays" wait_line 2 "Stall message 2000"
check "summaries: the cursor stays" wait_cursor "Stall message 1998"
keys j
check "summaries: keys still work" wait_cursor "Stall message 1997"
keys Enter
check "summaries: a loaded message opens" wait_for "Body of stall message 1997."
keys q
check "summaries: q goes back to the index" wait_cursor "Stall message 1997"
quit_now summaries

# 2. A message body stalls.
start stall-body
check "body: the folder loads" wait_for "[Msgs:2000"
check "body: all of it" wait_gone "Loading "
keys Enter
check "body: the server stalls in the body" wait_until noted 1 stalled
check "body: the pager says it is reading" wait_for "Reading the message..."
keys C-g
check "body: Ctrl-G cancels" wait_for "Cancelled."
check "body: back to the index" wait_cursor "Stall message 2000"
check "body: petrel dropped the stalled connection" wait_until noted 1 closed
keys j
check "body: the index works" wait_cursor "Stall message 1999"
keys Enter
check "body: another message opens" wait_for "Body of stall message 1999."
keys k
check "body: k in the pager stalls again on the newest" wait_until noted 2 stalled
check "body: the pager says it is reading it" wait_for "Reading the message..."
keys j
check "body: j moves on to the next message meanwhile" wait_for "Body of stall message 1999."
check "body: in the pager" wait_for "--- Sender 1999: Stall message 1999 ---"
keys q
check "body: q goes back to the index" wait_cursor "Stall message 1999"
quit_now body

# 3. The server stops answering while petrel idles.
start stall-idle -S imap_keepalive=1 -S timeout=2
check "idle: the folder loads" wait_for "[Msgs:2000"
check "idle: all of it" wait_gone "Loading "
keys j j
check "idle: keys work" wait_cursor "Stall message 1998"
check "idle: the server ignores the end of IDLE" wait_until noted 1 "C: DONE"
check "idle: petrel notices (timeout=2)" wait_for "Reconnecting"
check "idle: the status line says why" wait_for "Connection lost"
keys k
check "idle: keys move the cursor meanwhile" wait_cursor "Stall message 1999"
check "idle: still reconnecting (the peer holds the connection)" wait_for "Reconnecting"
: > "$T/status.release"
check "idle: the connection is back" wait_gone "Reconnecting"
keys j
check "idle: keys still work" wait_cursor "Stall message 1998"
keys Enter
check "idle: a message opens" wait_for "Body of stall message 1998."
keys q
check "idle: q goes back to the index" wait_cursor "Stall message 1998"
quit_now idle

# 4. Leaving while the server does not answer the end of IDLE.
start stall-idle -S imap_keepalive=1
check "quit: the folder loads" wait_for "[Msgs:2000"
check "quit: all of it" wait_gone "Loading "
check "quit: the server ignores the end of IDLE" wait_until noted 1 "C: DONE"
keys q
check "quit: q writes the folder" wait_for "Writing changes to "
keys C-g
check "quit: Ctrl-G stops the writing" wait_for "close folder cancelled (x leaves"
keys j
check "quit: keys still work" wait_cursor "Stall message 1999"
check "quit: petrel tries a new connection" wait_until noted 1 "connection 2"
keys x
check "quit: x asks" wait_for "Leave without saving changes?"
keys y
check "quit: closing waits for the new connection" wait_for "closing..."
keys C-g
quit_checks "quit: Ctrl-G"

check "no memory errors were reported" no_sanitizer_reports
finish
