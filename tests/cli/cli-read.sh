#!/bin/sh
# Command mode read from standard input: reading commands, message lists,
# header weeding, variables, if/else, aliases, sourcing, terminal safety.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

cp "$data/basic.mbox" box
run() { printf '%s\n' "$@" | pt -N -f box 2>&1; }

out=$(run 'type 1' 'exit')
check_contains "type shows the header" "$out" "Subject: Lunch?"
check_contains "type shows the body" "$out" "Shall we have lunch on Friday?"
check_contains "type says which message" "$out" "Message 1:"
out=$(run 'ignore Received Message-ID' 'type 1' 'exit')
check "ignore hides fields from type" sh -c "! printf '%s' \"\$1\" | grep -q '^Received:'" - "$out"
check_contains "ignore keeps the others" "$out" "From: Alice Example <alice@example.org>"
out=$(run 'ignore Received' 'Type 1' 'exit')
check_contains "Type shows ignored fields" "$out" "Received: from mx.example.org"
out=$(run 'retain Subject' 'print 1' 'exit')
check_eq "retain shows only retained fields" "$(printf '%s\n' "$out" | sed -n 2,3p)" "Subject: Lunch?"
out=$(run 'retain subject' 'Print 1' 'exit')
check_contains "Print shows every field" "$out" "Message-ID: <lunch1@example.org>"
out=$(run 'discard from to date message-id received' 'unignore from' 'p 1' 'exit')
check_contains "unignore shows a field again" "$out" "From: Alice"
out=$(run 't 3' 'exit')
check_contains "RFC 2047 subjects are decoded" "$out" "Subject: Quarterly réport"

# Abbreviations and message lists.
out=$(run 'f *' 'exit')
check_eq "f * lists every message" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 5
check_eq "from :u lists unread messages" "$(run 'from :u' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "1,2,4,5,"
check_eq "from :n lists new messages" "$(run 'from :n' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "1,4,"
check_eq "from :o lists old messages" "$(run 'from :o' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "2,3,5,"
check_eq "from :r lists read messages" "$(run 'from :r' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "3,"
check_eq "from 2-4" "$(run 'from 2-4' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "2,3,4,"
check_eq "from /lunch matches subjects" "$(run 'from /lunch' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "1,2,"
check_eq "from alice matches senders" "$(run 'from alice' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "1,4,"
check_eq "from \$ is the last" "$(run 'from $' 'exit' | cut -c4-6 | tr -d ' ')" "5"
check_eq "from ^ is the first" "$(run 'd 1' 'from ^' 'exit' | cut -c4-6 | tr -d ' ')" "2"
check_eq "combined lists are a union" \
	"$(run 'from 5 /quarterly dave' 'exit' | cut -c4-6 | tr -d ' ' | tr '\n' ,)" "3,5,"
check_eq "the current message starts at the first new one" "$(run '=' 'exit')" "1"
check_eq "type moves the current message" "$(run 't 3' '=' 'exit' | tail -1)" "3"
check_eq "a bad message number is an error" "$(run 'p 9' 'exit')" \
	"petrel: 9: invalid message number"
check_eq "a deleted message cannot be typed" "$(run 'd 2' 'p 2' 'exit')" \
	"petrel: 2: inappropriate message (deleted)"
check_eq "an unknown command is an error" "$(run 'frobnicate' 'exit')" \
	"petrel: unknown command: frobnicate"
check "an error gives exit status 1" sh -c "! printf 'p 9\nexit\n' | \"\$PETREL\" -n -N -f box >/dev/null 2>&1"
check "a clean run gives exit status 0" sh -c "printf 'from 1\nexit\n' | \"\$PETREL\" -n -N -f box >/dev/null 2>&1"

out=$(run 'n' 'n' 'exit')
check_contains "next types the current message first" "$out" "Message 1:"
check_contains "next then moves on" "$out" "Message 2:"
out=$(run '4' 'exit')
check_contains "a bare number types that message" "$out" "Notes from the meeting."
check_contains "top shows the first lines" "$(run 'top 2' 'exit')" "Line five."
check "top stops after toplines" sh -c "! printf 'top 2\nexit\n' | \"\$PETREL\" -n -N -f box | grep -q 'Line six'"
check_contains "toplines is honoured" "$(run 'set toplines=1' 'top 2' 'exit')" "Friday works"
check "toplines=1 cuts" sh -c "! printf 'set toplines=1\ntop 2\nexit\n' | \"\$PETREL\" -n -N -f box | grep -q 'Line two'"
check_eq "size" "$(run 'size 1 3' 'exit')" "1: 2/238
3: 1/197"
check_eq "headers shows the page with a message" "$(run 'set screen=2' 'h 3' 'exit' | cut -c1-5)" \
	">O  3
 N  4"
check_eq "z pages forward" "$(run 'set screen=2' 'h 1' 'z' 'exit' | sed -n '3,4p' | cut -c1-5)" \
	" O  3
 N  4"
check_eq "z - pages back" "$(run 'set screen=2' 'h 5' 'z -' 'exit' | sed -n '2,3p' | cut -c1-5)" \
	" O  3
 N  4"
check_eq "headers marks the current message and read ones" "$(run 't 2' 'h' 'exit' | grep '^>' | cut -c1-5)" ">R  2"

# Variables, echo, if/else, source.
check_eq "echo" "$(run 'echo hello  "two words"' 'exit')" "hello two words"
check_eq "set and show a variable" "$(run 'set myvar=42' 'set' 'exit' | grep myvar)" 'myvar="42"'
check_eq "unset" "$(run 'set myvar=42' 'unset myvar' 'set' 'exit' | grep -c myvar)" "0"
check_eq "if r runs in receive mode" "$(run 'if r' 'echo yes' 'else' 'echo no' 'endif' 'exit')" "yes"
check_eq "if s skips in receive mode" "$(run 'if s' 'echo yes' 'else' 'echo no' 'endif' 'exit')" "no"
check_eq "nested if in a false branch" \
	"$(run 'if s' 'if r' 'echo a' 'else' 'echo b' 'endif' 'else' 'echo c' 'endif' 'exit')" "c"
check_eq "if on a variable" "$(run 'set flag' 'if flag' 'echo on' 'endif' 'if !flag' 'echo off' 'endif' 'exit')" "on"
check_eq "else without if" "$(run 'else' 'exit')" "petrel: else without if"
printf 'echo from the file\nset fromfile=1\n' > cmds
check_eq "source runs a file" "$(run 'source cmds' 'set' 'exit' | grep '^from')" "from the file
fromfile=\"1\""
check_eq "version" "$(run 'version' 'exit')" "petrel $("$PETREL" --version | sed -n '1s/^petrel //p')"
check_eq "the summary at start: the folder line and headers" "$(echo exit | pt -f box | head -2)" \
	"\"box\": 5 messages 2 new 2 unread
>N  1 alice@example.org     Mon Jan  6 09:15    2/238    Lunch?"
check_eq "ho is hold" "$(run 'ho 2' 'from 2' 'exit' | cut -c1-5)" ">P  2"
check_contains "help lists commands" "$(run 'help' 'exit')" "saveattachment"
check_contains "list lists command names" "$(run 'list' 'exit')" "followup"
check_contains "# comments are ignored" "$(run '# type 1' 'echo after' 'exit')" "after"

# A start-up file: aliases, ignore, if.
MAILRC="$data/mailrc"
export MAILRC
out=$(printf 'alias\ntype 1\nexit\n' | pt -N -f box 2>&1)
check_contains "MAILRC if r ran" "$out" "reading"
check_contains "MAILRC aliases are defined" "$out" "team	alice@example.org bob@example.net"
check "MAILRC ignore applies" sh -c "! printf '%s' \"\$1\" | grep -q '^Message-ID'" - "$out"
MAILRC=/dev/null

# Terminal safety: escape sequences are shown, never sent.
printf 'From mallory@example.org Fri Jan 10 12:00:00 2025\nFrom: Mallory <mallory@example.org>\nTo: tester@example.net\nSubject: \033[31mred\033]0;owned\007 alert\nDate: Fri, 10 Jan 2025 12:00:00 +0000\nX-Evil: \033[2Jcleared\n\nBody with \033[1mbold\033[0m and a bell \007 here.\n\n' > hostile
out=$(COLUMNS=200 pt -H -f hostile)
check "-H sends no ESC" sh -c "! printf '%s' \"\$1\" | grep -q \"\$(printf '\\033')\"" - "$out"
check_contains "-H shows ^[ for ESC" "$out" "^[[31mred^[]0;owned^G alert"
out=$(printf 'Type 1\nexit\n' | pt -N -f hostile)
check "type sends no ESC or BEL" sh -c "! printf '%s' \"\$1\" | grep -q \"\$(printf '[\\033\\007]')\"" - "$out"
check_contains "type shows the subject made visible" "$out" "^[[31mred"
check_contains "type shows the body made visible" "$out" "Body with ^[[1mbold^[[0m and a bell ^G here."
finish
