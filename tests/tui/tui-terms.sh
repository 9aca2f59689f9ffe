#!/bin/sh
# Other terminals and locales: vt100 in the C locale (no UTF-8: what the
# charset cannot show is a '?', trees are ASCII), screen, a monochrome
# xterm, and escape sequences from a message that never reach the
# terminal.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

make_sample "$T/md"
# A message trying to set the title and clear the screen.
cat > "$T/md/cur/9.1.test:2,S" <<EOM
From: Mallory <mallory@example.org>
To: you@example.org
Subject: Title $(printf '\033]0;pwned\007')here
Date: Mon, 23 Feb 2026 10:00:00 +0000
Message-ID: <esc@example.org>

Clear $(printf '\033[2J')the screen $(printf '\233')31m
EOM

TUI_TERM=vt100 TUI_LANG=C tui_start -S "spoolfile=$T/md" -S sort=threads
check "vt100, C locale: the index is shown" wait_for "Release plan for 0.2"
check "non-ASCII is shown as ?" wait_for "?lodie Fran?ois"
check "trees are drawn in ASCII" wait_for "|->"
check "the cursor line is in reverse video" wait_cursor "Jan 06 Carol Zhang"
keys / "~s Title" Enter Enter
check "control characters are shown, not sent" wait_for "Subject: Title ^[]0;pwned^Ghere"
check "in the body too" wait_for "Clear ^[[2Jthe screen"
check "a stray 8-bit byte is read as windows-1252, shown as ?" wait_for "the screen ?31m"
check "the terminal title was not set" sh -c '[ "$(tmux -L "$1" display -p -t t "#{pane_title}")" != pwned ]' - "$sock"
keys q / "~f Kenji|~s ^?" Enter
keys 1 6 Enter Enter
check "a Japanese message in a C locale shows ?" wait_for "????????????????????"
keys q q
check "vt100: quit restores the terminal" restored 0

TUI_TERM=screen tui_start -S "spoolfile=$T/md"
check "screen: the index is shown" wait_for "山田健二"
keys = Enter
check "screen: the pager" wait_for "Here is a first cut of the plan"
keys q q
check "screen: quit" restored 0

TUI_TERM=xterm-mono tui_start -S "spoolfile=$T/md"
check "monochrome: the index is shown" wait_for "[Msgs:36"
check "monochrome: the cursor is in reverse video" wait_cursor "Jan 06 Carol Zhang"
keys q
check "monochrome: quit" restored 0
TUI_TERM=dumb tui_start -S "spoolfile=$T/md"
check "a terminal that cannot move its cursor is refused" wait_for "EXIT=1"
check "with a sentence saying why" grep -q "cannot move its cursor" "$T/stderr"

check "no memory errors were reported" no_sanitizer_reports
finish
