#!/bin/sh
# The vim keymap (-S keymap=vim), config bind and macro lines on top of
# a keymap, and a keymap error reported with its file and line.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

make_sample "$T/md"
tui_start -S "spoolfile=$T/md" -S keymap=vim
check "vim keymap: the index is shown" wait_for "[Msgs:35"
keys G
check "G goes to the last message" wait_cursor "Invoice 2026-014"
keys g g
check "gg goes to the first" wait_cursor "Release plan for 0.2"
keys j j
check "j moves down" wait_cursor "Jan 05 Bob Okafor"
keys k
check "k moves up" wait_cursor "Jan 05 You"
keys C-d
check "Ctrl-D moves half a page down" wait_cursor "Jan 11 Ann Lindqvist"
keys C-u
check "Ctrl-U moves half a page up" wait_cursor "Jan 05 You"
keys d d
check "dd deletes" wait_line 3 "D r Jan 05 You"
keys / "~s Lunch" Enter
check "/ searches" wait_cursor "Lunch?"
keys N
check "N searches backwards" wait_cursor "Lunch?"
keys / "~s scroll" Enter Enter
check "Enter opens the pager" wait_for "This message is long on purpose."
keys j
check "j scrolls the pager a line" wait_line 2 "To: You <you@example.org>"
keys G
check "G goes to the bottom" wait_for "Line 80 of a long message"
keys g g
check "gg goes to the top" wait_line 2 "From: Carol Zhang <carol@example.com>"
keys q g g Enter
check "the first message" wait_for "Here is a first cut of the plan"
keys J
check "J goes to the next message not deleted" wait_for "I can take the pager."
keys q
check "q leaves the pager" wait_for "[Msgs:35"
keys Z Q
check "ZQ asks before leaving without saving" wait_for "Leave without saving changes?"
keys y
check "and leaves" restored 0

# bind and macro in the configuration override the keymap; errors are
# reported with the file and line.
mkdir -p "$HOME/.config/petrel"
cat > "$HOME/.config/petrel/config" <<'EOC'
bind index x flag-message
macro index X "<limit>~F<enter>" "flagged only"
bind index y no-such-function
EOC
tui_start -S "spoolfile=$T/md"
check "a config error names file and line" wait_for "config:3: unknown function \"no-such-function\""
keys X
check "the macro runs its functions and keys" wait_for "Limit: ~F [3]"
keys x
check "bind changes a key" wait_for "Flag:2]"
keys q
check "quit" restored 0
check "the error is repeated on standard error" grep -q "config:3: unknown function" "$T/stderr"
check "no memory errors were reported" no_sanitizer_reports
finish
