#!/bin/sh
# Folders: the browser, change-folder with completion, the sidebar,
# saving and copying messages to other folders, and signals.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

mail="$T/Mail"
mkdir -p "$mail"
make_sample "$mail/inbox"
mkdir -p "$mail/second/cur" "$mail/second/new" "$mail/second/tmp"
cp "$top_srcdir/contrib/sample/cur-06-FS.eml" "$mail/second/cur/1.1.test:2,FS"
make_mbox "cur-1*.eml" "$mail/lists.mbox"

tui_start -S "folder=$mail" -S "spoolfile=+inbox"
check "the inbox opens from +inbox" wait_for "[Msgs:35"
keys y
check "y lists the folders" wait_for "lists.mbox"
check "the list has every folder" sh -c 'tmux -L "$1" capture-pane -t t -p | grep -q "second" && tmux -L "$1" capture-pane -t t -p | grep -q "inbox"' - "$sock"
keys = j j
check "the cursor moves in the list" wait_cursor "second"
keys Enter
check "Enter opens the folder" wait_for "[Msgs:1 Flag:1]"
keys c "+li" Tab
check "Tab completes folder names" wait_line 24 "+lists.mbox"
keys Enter
check "change-folder opens it" wait_for "[Msgs:6]"
keys c C-u "+inbox" Enter
check "and back to the inbox" wait_for "[Msgs:35"

# Save (move) and copy.
keys = s "+archive" Enter
check "s moves the message to another folder" wait_for "Saved to $mail/archive."
check "the message is in the new folder" sh -c 'grep -q "^Subject: Release plan for 0.2" "$1"' - "$mail/archive"
check "and marked deleted here" wait_line 2 "D   Jan 05 Ann Lindqvist"
keys j C "+archive" Enter
check "C copies" wait_for "Saved to $mail/archive."
check "the copy is there too" wait_until sh -c '[ "$(grep -c "^From " "$1")" -eq 2 ]' - "$mail/archive"
check "a copy leaves the message alone" sh -c '! tmux -L "$1" capture-pane -t t -p | sed -n 3p | grep -q "D r"' - "$sock"
keys q
check "quit asks about the moved message" wait_for "Purge 1 deleted message?"
keys y
check "leave" restored 0

# The sidebar.
tui_start -S "folder=$mail" -S "spoolfile=+inbox" -S sidebar_visible=yes
check "the sidebar lists the folders" wait_for "lists.mbox"
check "the current folder is marked" wait_for "*inbox"
keys Escape j Escape j Escape o
check "the sidebar opens the folder under its cursor" wait_for "[Msgs:6]"
keys B
check "B hides the sidebar" wait_gone "*lists.mbox"
keys x y
check "leave again" restored 0

# Signals end petrel cleanly, without writing the folder.
tui_start -S "folder=$mail" -S "spoolfile=+inbox"
check "running" wait_for "[Msgs:34"
keys = F
check "a change not written yet" wait_for "Flag:4]"
pid=$(pgrep -n -f "$PETREL -n -S folder=$mail")
kill -TERM "$pid"
check "SIGTERM ends petrel with status 1" restored 1
check "and nothing was written" sh -c '[ "$(ls "$1/cur" | grep -c ":2,[A-Z]*F")" -eq 3 ]' - "$mail/inbox"
tui_start -S "folder=$mail" -S "spoolfile=+inbox"
check "running again" wait_for "[Msgs:34"
pid=$(pgrep -n -f "$PETREL -n -S folder=$mail")
kill -HUP "$pid"
check "SIGHUP ends petrel too" restored 1

# Ctrl-Z, as a job of an interactive shell.
tui_start_job -S "folder=$mail" -S "spoolfile=+inbox"
check "and again, from a shell" wait_for "[Msgs:34"
keys C-z
check "Ctrl-Z gives the terminal back to the shell" wait_gone "[Msgs:34"
pid=$(pgrep -n -f "$PETREL -n -S folder=$mail")
check "and petrel is stopped" sh -c 'grep -q "^State:.*T" "/proc/$1/status"' - "$pid"
check "the shell says so" wait_for "Stopped"
keys fg Enter
check "fg brings the screen back" wait_for "[Msgs:34"
keys = j
check "keys work again" wait_cursor "Jan 05 Bob Okafor"
keys q
wait_for '$' && job_report
check "quit after a suspend" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
