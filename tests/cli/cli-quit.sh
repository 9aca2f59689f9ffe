#!/bin/sh
# What quit and exit do to folders: deleted messages go, read messages of
# the system mailbox move to mbox (unless hold or preserve), saved ones go
# unless keepsave, exit changes nothing; checked on the files afterwards.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

sys() { # sys COMMANDS...: run against a fresh copy of the system mailbox
	rm -f "$MAIL" "$MBOX"
	cp "$data/basic.mbox" "$MAIL"
	printf '%s\n' "$@" | pt -N "${OPTS:-}" >out 2>&1
}
OPTS=-n
mkdir -p "$HOME/Mail"

sys 'type 1' 'quit'
check_eq "quit: a read message leaves the system mailbox" "$(count_msgs "$MAIL")" 4
check_eq "quit: ... and goes to mbox" "$(subjects "$MBOX")" "Lunch?"
check_contains "quit says where it went" "$(cat out)" "Saved 1 message in $MBOX"
check_contains "quit says what was held" "$(cat out)" "Held 4 messages in $MAIL"
check "the moved message keeps its status as read" grep -q '^Status: RO' "$MBOX"
check_eq "unread messages stay, and become old" "$(grep -c '^Status: O$' "$MAIL")" 3

sys 'type 1' 'exit'
check "exit leaves the system mailbox untouched" cmp -s "$MAIL" "$data/basic.mbox"
check "exit writes no mbox" test ! -e "$MBOX"

sys 'type 1 2' 'set hold' 'quit'
check_eq "hold keeps read messages" "$(count_msgs "$MAIL")" 5
check "hold writes no mbox" test ! -e "$MBOX"
check_eq "hold marks them read" "$(grep -c '^Status: RO' "$MAIL")" 3

sys 'type 1 2' 'preserve 1' 'quit'
check_eq "preserve keeps that message" "$(subjects "$MAIL" | head -1)" "Lunch?"
check_eq "the other read message moves" "$(subjects "$MBOX")" "Re: Lunch?"

sys 'delete 2 4' 'quit'
check_eq "delete removes messages" "$(subjects "$MAIL" | tr '\n' ,)" "Lunch?,=?UTF-8?B?UXVhcnRlcmx5IHLDqXBvcnQ=?=,Weekend plans,"
check "deleted messages do not go to mbox" test ! -e "$MBOX"

sys 'delete 2' 'undelete 2' 'quit'
check_eq "undelete brings a message back (touched: it moves to mbox)" \
	"$(count_msgs "$MAIL"),$(subjects "$MBOX")" "4,Re: Lunch?"

sys 'dp 1' 'quit'
check_contains "dp types the next message" "$(cat out)" "Friday works for me."
check_eq "dp deletes and the typed one moves" "$(count_msgs "$MAIL"),$(subjects "$MBOX")" "3,Re: Lunch?"

sys 'touch 5' 'quit'
check_eq "touch moves an unread message to mbox" "$(subjects "$MBOX")" "Weekend plans"

sys 'save 1 +kept' 'quit'
check_eq "save then quit: the saved message leaves the folder" "$(count_msgs "$MAIL")" 4
check_eq "... and is in the saved folder" "$(subjects "$HOME/Mail/kept")" "Lunch?"
check "... and not in mbox" test ! -e "$MBOX"
rm -rf "$HOME/Mail"; mkdir -p "$HOME/Mail"

sys 'set keepsave' 'save 1 +kept' 'quit'
check_eq "keepsave: a saved message is not deleted; it moves as read" \
	"$(count_msgs "$MAIL"),$(subjects "$MBOX")" "4,Lunch?"
rm -rf "$HOME/Mail"; mkdir -p "$HOME/Mail"

sys 'copy 1 +copied' 'quit'
check_eq "copy does not mark saved: the message moves to mbox as read" \
	"$(count_msgs "$MAIL"),$(subjects "$MBOX"),$(count_msgs "$HOME/Mail/copied")" "4,Lunch?,1"
rm -rf "$HOME/Mail"; mkdir -p "$HOME/Mail"

# mbox is prepended to unless append is set (POSIX).
rm -f "$MAIL"
cp "$data/basic.mbox" "$MAIL"
printf 'From old@example.org Mon Jan  1 00:00:00 2024\nSubject: old\n\nold\n\n' > "$MBOX"
printf 'type 1\nquit\n' | pt -N >/dev/null 2>&1
check_eq "without append, new messages go before the old ones" \
	"$(subjects "$MBOX" | tr '\n' ,)" "Lunch?,old,"
cp "$data/basic.mbox" "$MAIL"
printf 'From old@example.org Mon Jan  1 00:00:00 2024\nSubject: old\n\nold\n\n' > "$MBOX"
printf 'set append\ntype 1\nquit\n' | pt -N >/dev/null 2>&1
check_eq "with append, they go after" "$(subjects "$MBOX" | tr '\n' ,)" "old,Lunch?,"

# keep: an emptied folder is removed unless keep is set.
sys 'd *' 'quit'
check "an emptied system mailbox is removed" test ! -e "$MAIL"
sys 'set keep' 'd *' 'quit'
check "with keep it stays, empty" test -f "$MAIL" -a ! -s "$MAIL"

# End of input is quit.
rm -f "$MAIL" "$MBOX"
cp "$data/basic.mbox" "$MAIL"
printf 'type 1\n' | pt -N >/dev/null 2>&1
check_eq "end of input quits" "$(subjects "$MBOX")" "Lunch?"

# Another folder (-f): read messages stay; mbox command moves them.
rm -f "$MBOX"
cp "$data/basic.mbox" box
printf 'type 1 2\ndelete 3\nquit\n' | pt -N -f box >/dev/null 2>&1
check_eq "-f folder: read messages stay, deleted go" "$(count_msgs box)" 4
check "-f folder: nothing goes to mbox" test ! -e "$MBOX"
check_eq "-f folder: read messages are marked read" "$(grep -c '^Status: RO' box)" 2
cp "$data/basic.mbox" box
printf 'mbox 2\nquit\n' | pt -N -f box >/dev/null 2>&1
check_eq "mbox moves a message out of any folder" "$(count_msgs box),$(subjects "$MBOX")" "4,Re: Lunch?"
cp "$data/basic.mbox" box
printf 'mbox 2\nexit\n' | pt -N -f box >/dev/null 2>&1
check "exit undoes mbox" cmp -s box "$data/basic.mbox"

# Reading mbox itself: the mbox command does not copy a message onto itself.
cp "$data/basic.mbox" "$MBOX"
printf 'type 1\nmbox 2\nquit\n' | pt -N -f >/dev/null 2>&1
check_eq "in mbox, read and mbox-marked messages stay" "$(count_msgs "$MBOX")" 5

# The same with a maildir.
rm -rf md "$MBOX"
make_maildir md
printf 'type 1\ndelete 2\nquit\n' | pt -N -f md >/dev/null 2>&1
check_eq "maildir: deleted message removed" "$(ls md/cur md/new | grep -c test)" 3
check_eq "maildir: read message flagged S" "$(ls md/cur | grep -c '^1000000001\..*:2,S$')" 1
check_eq "maildir: new messages become cur" "$(ls md/new | wc -l | tr -d ' ')" 0
rm -rf md
make_maildir md
printf 'type 1\ndelete 2\nexit\n' | pt -N -f md >/dev/null 2>&1
check_eq "maildir: exit changes nothing" "$(ls md/new | wc -l | tr -d ' '),$(ls md/cur | wc -l | tr -d ' ')" "2,2"
finish
