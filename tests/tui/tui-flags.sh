#!/bin/sh
# Flags, deletion marks and tags: shown in the index at once, written by
# sync ($) and by quit, in a maildir and in an mbox.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

flagged() { ls "$1/cur" | grep -c ':2,[A-Z]*F'; }

make_sample "$T/md"
tui_start -S "spoolfile=$T/md"
check "maildir: the index is shown" wait_for "[Msgs:35 New:11 Flag:3]"
check "the cursor is on the first unread message" wait_cursor "N   Jan 06 Carol Zhang"
keys F
check "F flags it at once" wait_cursor "N!  Jan 06 Carol Zhang"
check "the flagged count follows" wait_for "Flag:4]"
keys d
check "d marks it deleted" wait_line 6 "D!  Jan 06 Carol Zhang"
check "and moves to the next message" wait_cursor "Trip to the coast"
keys k u
check "u removes the mark" wait_line 6 "N!  Jan 06 Carol Zhang"
keys 1 3 Enter d
check "d on another message" wait_line 14 "D   Jan 12 Ann Lindqvist"
check "the deleted count follows" wait_for "Del:1]"
keys t
check "t tags a message" wait_line 15 "N*  Jan 12 Bob Okafor"
check "the status line counts tags" wait_for "Tag:1]"
keys '$'
check "sync asks before purging" wait_for "Purge 1 deleted message? ([yes]/no)"
keys y
check "after sync the folder is read again" wait_for "[Msgs:34 Old:11 Flag:4]"
check "the flag is in the maildir" sh -c '[ "$(ls "$1/cur" | grep -c ":2,[A-Z]*F")" -eq 4 ]' - "$T/md"
check "the deleted message is gone from the maildir" \
	sh -c '[ "$(ls "$1/cur" "$1/new" | grep -c "^[0-9]")" -eq 34 ]' - "$T/md"
keys = F
check "F on the first message" wait_for "Flag:5]"
keys N
check "N marks it unread" wait_line 2 "O!  Jan 05 Ann Lindqvist"
keys q
check "quit writes the changes" restored 0
check "the new flag is in the maildir" sh -c '[ "$(ls "$1/cur" | grep -c ":2,[A-Z]*F")" -eq 5 ]' - "$T/md"
check "the message marked unread lost its S" \
	sh -c 'grep -l "^Subject: Release plan for 0.2$" "$1"/cur/* | grep -q ":2,F$"' - "$T/md"

# Again: the marks come back from the folder.
tui_start -S "spoolfile=$T/md"
check "reopened, the flags are still there" wait_for "[Msgs:34 Old:12 Flag:5]"
keys x
check "x asks before leaving without saving" wait_for "Leave without saving changes? ([yes]/no)"
keys y
check "x leaves" restored 0

# The same in an mbox.
make_mbox "cur-0*.eml" "$T/box"
tui_start -S "spoolfile=$T/box"
check "mbox: the index is shown" wait_for "[Msgs:7] (date)"
keys = F j d
check "mbox: flag and delete show" wait_for "[Msgs:7 Flag:1 Del:1]"
keys q
check "mbox: quit asks before purging" wait_for "Purge 1 deleted message? ([yes]/no)"
keys Enter
check "mbox: quit writes the folder" restored 0
check "mbox: the deleted message is gone" sh -c '[ "$(grep -c "^From " "$1")" -eq 6 ]' - "$T/box"
check "mbox: the flag is written" sh -c 'grep -q "^X-Status: .*F" "$1"' - "$T/box"

# Answering no keeps the deleted messages.
tui_start -S "spoolfile=$T/box"
check "mbox: reopened with the flag" wait_for "[Msgs:6 Flag:1]"
keys = d q
check "mbox: asked again" wait_for "Purge 1 deleted message?"
keys n
check "mbox: no keeps the message" restored 0
check "mbox: still six messages" sh -c '[ "$(grep -c "^From " "$1")" -eq 6 ]' - "$T/box"
check "no memory errors were reported" no_sanitizer_reports
finish
