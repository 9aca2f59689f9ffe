#!/bin/sh
# A large folder: the first rows show while the rest loads, keys move the
# cursor meanwhile, and Ctrl-G stops the loading, keeping what arrived.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

# N small messages, the newest last: enough that loading them takes far
# longer than the screen is looked at, even in a fast build.
N=200000
awk -v n=$N 'BEGIN {
	for (i = 1; i <= n; i++) {
		printf "From gen@petrel Thu Jan  1 00:00:00 2026\n"
		printf "From: Sender %d <s%d@example.org>\nTo: you@example.org\n", i, i
		printf "Subject: Generated message %d\n", i
		printf "Date: %02d Jan 2026 %02d:%02d:%02d +0000\n", 1 + int(i / 86400), int(i / 3600) % 24, int(i / 60) % 60, i % 60
		printf "Message-ID: <g%d@example.org>\n\nBody %d.\n\n", i, i
	}
}' > "$T/big.mbox"

# Newest first, so the rows that arrive first are at the top.
tui_start -S "spoolfile=$T/big.mbox" -S sort=reverse-date
check "the first rows show while the folder loads" wait_for "Loading "
keys j j j C-g
check "Ctrl-G stops the loading" wait_for "Loading stopped:"
loaded=$(screen | sed -n "s/.*Loading stopped: \([0-9]*\) of $N.*/\1/p")
check "part of the folder was loaded" sh -c '[ -n "$1" ] && [ "$1" -gt 0 ] && [ "$1" -lt "$2" ]' - "$loaded" $N
check "keys moved the cursor meanwhile" wait_cursor "Generated message $((N - 3))"
check "the newest message is on top" wait_line 2 "Generated message $N"
keys j
check "keys still work after the cancel" wait_cursor "Generated message $((N - 4))"
keys Enter
check "a loaded message opens" wait_for "Body $((N - 4))."
keys q C-g
check "Ctrl-G with nothing running says so" wait_for "Nothing to cancel."
keys x
check "x asks before leaving" wait_for "Leave without saving changes?"
keys y
check "quit" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
