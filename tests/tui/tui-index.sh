#!/bin/sh
# The index and the pager on the sample maildir: rows, opening a message
# with its decoded body, threads folding, limit, search, help, resizing,
# and the terminal given back on quit.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

make_sample "$T/sample"
tui_start -S "spoolfile=$T/sample"

check "the index shows the folder's rows" wait_for "Release plan for 0.2"
check "the status line counts the messages" wait_for "[Msgs:35 New:11 Flag:3]"
check "the help line shows the main keys" wait_line 1 "q:Quit  d:Del  u:Undel  s:Save  m:Mail  r:Reply"
check "names in RFC 2047 are decoded" wait_for "Élodie François"
check "the cursor starts on the first unread message" wait_cursor "Re: Release plan for 0.2"

# The Japanese message: ISO-2022-JP body, UTF-8 subject.
keys / "~s 打ち合わせ" Enter
check "search finds a message by its subject" wait_cursor "打ち合わせの件"
keys Enter
check "Enter opens the pager with the decoded body" wait_for "来週の打ち合わせは火曜日の十時からです。"
check "the pager shows decoded header fields" wait_for "From: 山田健二 <kenji@example.jp>"
check "the pager's status line names the message" wait_for "山田健二: 打ち合わせの件"
keys q
check "q goes back to the index" wait_for "q:Quit  d:Del"
check "reading marked the message read" wait_for "[Msgs:35 New:10 Flag:3]"

# Threads.
keys o h Enter
check "o h sorts by threads" wait_for "(threads)"
check "replies are drawn under their parent" wait_for "└─>"
keys = Escape v
check "Esc v folds the thread" wait_for "(+4) Release plan for 0.2"
keys Escape v
check "Esc v unfolds it again" wait_gone "(+4) Release plan"
keys Escape V
check "Esc V folds every thread" wait_for "(+5) Server migration on Saturday"
keys Escape V
check "Esc V unfolds them" wait_gone "(+5) Server migration"

# Limit.
keys l "~s trip" Enter
check "a limit narrows the list" wait_for "Limit: ~s trip [3]"
check "only matching rows are shown" sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "Release plan"' - "$sock"
keys l C-u "~A" Enter
check "~A shows every message again" wait_for "Release plan for 0.2"
keys l "~q" Enter
check "a bad pattern is reported" wait_for "~q is not a pattern"

# Help.
keys "?"
check "? lists the bindings of the screen" wait_for "display-message"
check "the help names its map" wait_for "Help: index"
keys q
check "q leaves the help" wait_for "q:Quit  d:Del"

# Resizing redraws at the new size.
tm resize-window -t t -x 100 -y 30 2>/dev/null || tm refresh-client -C 100,30
check "the status line spans the new width" wait_line 29 "$(printf '%*s' 0 '')(threads)"
check "the new rows are used" sh -c 'sleep 0.3; [ "$(tmux -L "$1" capture-pane -t t -p | sed -n 29p | wc -c)" -ge 100 ]' - "$sock"
tm resize-window -t t -x 80 -y 24 2>/dev/null || tm refresh-client -C 80,24
check "and back to 80 columns" wait_line 23 "(threads)"

keys q
check "q quits and gives the terminal back" restored 0
check "nothing was written to standard error" sh -c '! [ -s "$1/stderr" ]' - "$T"
check "no memory errors were reported" no_sanitizer_reports
finish
