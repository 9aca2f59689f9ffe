#!/bin/sh
# Recalling postponed messages: m offers to recall when the postponed
# folder holds one (a single one opens at once), R lists several, the
# recalled message comes back with its fields, text and attachment, and
# leaves the postponed folder only when it is sent or postponed again; a
# recalled reply marks its original answered when it is sent.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

capture_sendmail
cat > "$T/editor" <<EOS
#!/bin/sh
echo "Draft text line." >> "\$1"
EOS
chmod +x "$T/editor"
printf 'attached text\n' > "$T/notes.txt"
P="$HOME/postponed"

# postponed SUBJECT: how many postponed messages have that subject.
postponed() {
	grep -c "^Subject: $1\$" "$P" 2>/dev/null || true
}
gone() { [ "$(postponed "$1")" = 0 ]; }

make_sample "$T/md"
TUI_EDITOR="$T/editor" tui_start -S "spoolfile=$T/md" -S "sendmail=$T/sendmail" \
	-S "from=You <you@example.org>"
check "the index is shown" wait_for "[Msgs:35"

# Nothing postponed: m asks nothing.
keys m
check "no question without postponed messages" wait_line 24 "To:"
keys "bob@example.net" Enter "First draft" Enter
check "compose screen" wait_for "Subject: First draft"
keys c "carol@example.com" Enter a "$T/notes.txt" Enter
check "with Cc and an attachment" wait_for "notes.txt"
keys P
check "postponed" wait_for "Message postponed to"
check_eq "it is in the postponed folder" "$(postponed "First draft")" 1

# One postponed message: m offers it and opens it at once.
keys m
check "m asks about the postponed message" wait_for "Recall postponed message? ([yes]/no)"
keys Enter
check "the compose screen has its subject" wait_for "Subject: First draft"
check "its recipient" wait_for "To: bob@example.net"
check "its Cc" wait_for "Cc: carol@example.com"
check "its attachment" wait_for "notes.txt"
check "its text" wait_for "Draft text line."
check_eq "still postponed while it is written" "$(postponed "First draft")" 1
keys y
check "sent" wait_for "Mail sent."
check_eq "the sent subject" "$(field 0 Subject)" "First draft"
check_eq "the sent Cc" "$(field 0 Cc)" "carol@example.com"
check_contains "the sent text" "$(body 0)" "Draft text line."
check_eq "the sent attachment" "$(attached 0 notes.txt)" "attached text"
check "once sent, it leaves the postponed folder" wait_until gone "First draft"

# Two postponed messages: R lists them.
keys m
check "nothing left to recall: no question" wait_line 24 "To:"
keys "ann@example.org" Enter "Second" Enter
check "compose screen for Second" wait_for "Subject: Second"
keys P
check "Second postponed" wait_for "Message postponed to"
keys m
check "m asks again" wait_for "Recall postponed message?"
keys n
check "no: a new message" wait_line 24 "To:"
keys "dave@example.org" Enter "Third" Enter
check "compose screen for Third" wait_for "Subject: Third"
keys P
check "Third postponed" wait_for "Message postponed to"
keys R
check "R lists the postponed messages" wait_for "Postponed messages"
check "the first is listed" wait_for "To: ann@example.org  Second"
check "the second is listed" wait_for "To: dave@example.org  Third"
check "the cursor is on the first" wait_cursor "Second"
keys j
check "j moves to the second" wait_cursor "Third"
keys Enter
check "Enter recalls it" wait_for "Subject: Third"
check "with its recipient" wait_for "To: dave@example.org"
keys q
check "discarding asks" wait_for "Discard this message?"
keys y
check "discarded" wait_for "Message discarded."
check_eq "a discarded recall stays postponed" "$(postponed Third)" 1

# Postponing a recalled message again replaces it.
keys R
check "the list again" wait_for "Postponed messages"
keys Enter
check "Second recalled" wait_for "Subject: Second"
keys s C-u "Second, revised" Enter
check "subject changed" wait_for "Subject: Second, revised"
keys P
check "postponed again" wait_for "Message postponed to"
check "the old copy is removed" wait_until gone "Second"
check_eq "the new copy is there" "$(postponed "Second, revised")" 1
check_eq "Third is untouched" "$(postponed Third)" 1

# A reply postponed, recalled and sent marks its original answered, as
# a reply sent at once does.
keys 6 Enter r
check "a reply asks whether to quote" wait_for "Include the message in the reply?"
keys Enter
check "the reply's compose screen" wait_for "Subject: Re: Trip to the coast in March"
keys P
check "the reply postponed" wait_for "Message postponed to"
check "its original is not marked yet" sh -c '! tmux -L "$1" capture-pane -t t -p | sed -n 7p | grep -q "r Jan 08"' - "$sock"
keys R
check "the reply is listed" wait_for "Re: Trip to the coast in March"
# Down to it one line at a time: on a busy machine a key can come before
# the list is whole.
i=0
while [ $i -lt 5 ] && ! cursor_line | grep -qF "Re: Trip to the coast"; do
	keys j
	sleep 0.3
	i=$((i + 1))
done
check "the cursor on the reply" wait_cursor "Re: Trip to the coast"
keys Enter
check "the reply recalled" wait_for "Subject: Re: Trip to the coast in March"
keys y
check "the recalled reply sent" wait_for "Mail sent."
n=$(ls "$SM_DIR" | grep -c '\.args$')
check_eq "with In-Reply-To" "$(field $((n - 1)) In-Reply-To)" "<trip1@sample.petrel>"
check "its original is now marked replied" wait_line 7 "r Jan 08 Bob Okafor"

# q leaves the list.
keys R
check "the list once more" wait_for "Postponed messages"
keys q
check "q goes back to the index" wait_for "[Msgs:35"
check "the list is gone" wait_gone "Postponed messages"
keys q
check "quit" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
