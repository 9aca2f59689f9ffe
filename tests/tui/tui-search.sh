#!/bin/sh
# ~b: limit and search by message bodies, searched by the folder's worker
# (the sample store as a maildir, an mbox and a notmuch query here;
# tui-servers.sh does it on IMAP), and
# Ctrl-G stopping a body search.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

make_sample "$T/sample"
tui_start -S "spoolfile=$T/sample"
check "the sample store opens" wait_for "[Msgs:35"

keys l "~b kayak" Enter
check "~b limits to the messages whose body holds the text" wait_for "Limit: ~b kayak [1]"
check "the message found is the one with the text" wait_for "Re: Trip to the coast in March"
check "a message with the word only elsewhere is not shown" wait_gone "Books to read"

keys l C-u "~b DISPOSSESSED" Enter
check "case is ignored" wait_for "1 message matches."
check "and the right message is found" wait_for "Books to read"

keys l C-u "~b cabin | ~s Books" Enter
check "~b combines with other patterns" wait_for "3 messages match."

keys l C-u "!~b cabin" Enter
check "~b can be negated" wait_for "Limit: !~b cabin [33]"

keys l C-u "~b \"no such words here\"" Enter
check "a body search that finds nothing says so" wait_for "No message matches ~b \"no such words here\"."

keys l C-u all Enter
check "the limit goes" wait_gone "Limit:"
keys / "~b kayak" Enter
check "/ searches bodies too" wait_cursor "Re: Trip to the coast in March"
keys k k k n
check "n repeats the body search" wait_cursor "Re: Trip to the coast in March"

keys T "~b kayak" Enter
check "tag-pattern says where ~b works" wait_for "~b works in limit and search"
keys l "~B kayak" Enter
check "~B is refused with a sentence" wait_for "~B searches whole messages"
keys x y
check "leave" restored 0

# The same search in an mbox and in a notmuch query, read by the worker.
make_mbox "*.eml" "$T/all.mbox"
tui_start -S "spoolfile=$T/all.mbox"
check "the mbox opens" wait_for "[Msgs:35"
keys l "~b kayak" Enter
check "~b limits an mbox" wait_for "Limit: ~b kayak [1]"
check "to the message that holds it" wait_for "Re: Trip to the coast in March"
keys x y
check "leave the mbox" restored 0
if [ -d "$T/sample/.notmuch" ]; then
	tui_start -S "spoolfile=notmuch://$T/sample?query=*"
	check "the notmuch query opens" wait_for "[Msgs:35"
	keys l "~b kayak" Enter
	check "~b limits a notmuch query" wait_for "1 message matches."
	check "to the message that holds it too" wait_for "Re: Trip to the coast in March"
	keys x y
	check "leave the notmuch query" restored 0
else
	echo "# notmuch is not installed: the notmuch query is not searched"
fi

# A folder large enough that the search is still running when Ctrl-G
# (sent in the same burst as Enter) arrives.
big="$T/big"
mkdir -p "$big/cur" "$big/new" "$big/tmp"
awk -v dir="$big/cur" 'BEGIN {
	for (i = 1; i <= 5000; i++) {
		f = sprintf("%s/%d.%d.gen:2,S", dir, 1767225600 + i, i)
		printf "From: Sender %d <s%d@example.org>\nTo: you@example.org\n", i, i > f
		printf "Subject: Generated message %d\n", i > f
		printf "Date: Thu, 01 Jan 2026 %02d:%02d:%02d +0000\n", int(i / 3600), int(i / 60) % 60, i % 60 > f
		printf "Message-ID: <g%d@example.org>\n\nBody %d: nothing to find.\n", i, i > f
		close(f)
	}
}'
tui_start -S "spoolfile=$big" -S sort=reverse-date
check "the large folder opens" wait_for "[Msgs:5000]"
check "and is loaded" wait_gone "Loading"
keys l "~b needle" Enter C-g
check "Ctrl-G stops a body search" wait_for "Body search stopped."
check "and no limit is applied" sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "Limit:"' - "$sock"
keys j
check "keys work after the search stopped" wait_cursor "Generated message 4999"
keys l "~b \"body 4321:\"" Enter
check "a search left to run finds its message" wait_for "Limit: ~b \"body 4321:\" [1]"
check "it is the right one" wait_for "Generated message 4321"
keys x y
check "quit" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
