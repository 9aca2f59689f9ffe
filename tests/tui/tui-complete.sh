#!/bin/sh
# Address completion with Tab in the address prompts: from the alias
# lines of the configuration, from a scripted query_command (one match,
# several cycled with Tab, none, a command that hangs and is stopped, a
# slow one during which keys still work and that Ctrl-G stops), and the
# completed addresses reaching the sent message.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

capture_sendmail
cat > "$T/editor" <<EOS
#!/bin/sh
echo "Hello." >> "\$1"
EOS
# A query command in the format of abook --mutt-query: a message line,
# then address TAB name TAB other; it notes what it was asked.
cat > "$T/query" <<EOS
#!/bin/sh
echo "\$1" >> '$T/queries'
case "\$1" in
zo*) printf 'Searching... 1 match\nzoe@example.com\tZoe Quist\tfriends\n' ;;
ka*) printf 'Searching... 3 matches\nkai@example.com\tKai One\t\nkai@example.net\tDoe, Kai\t\nkai2@example.org\t\t\n' ;;
slow*) sleep 30 ;;
lag*) echo \$\$ > '$T/lag.pid'; sleep 29; echo late; printf 'lag@example.com\tLate\n' ;;
lazy*) sleep 1; printf 'One match\nlazy@example.com\tLazy Bones\n' ;;
*) echo "No matches"; exit 1 ;;
esac
EOS
chmod +x "$T/editor" "$T/query"
cat > "$T/petrelrc" <<EOS
set spoolfile="$T/md"
set sendmail="$T/sendmail"
set from="You <you@example.org>"
set query_command="$T/query %s"
alias bob "Bob Jones <bob@example.org>"
alias team ann@example.org carol@example.net
EOS

make_sample "$T/md"
TUI_EDITOR="$T/editor" tui_start --config "$T/petrelrc"
check "the index is shown" wait_for "[Msgs:35"

# An alias, then a query match after a comma.
keys m "bo" Tab
check "Tab completes an alias" wait_line 24 "To: Bob Jones <bob@example.org>"
keys ", zo" Tab
check "Tab runs the query command" wait_line 24 "To: Bob Jones <bob@example.org>, Zoe Quist <zoe@example.com>"
check "with the text typed" grep -qx "zo" "$T/queries"
keys Enter "Completed" Enter
check "compose screen" wait_for "Subject: Completed"
keys y
check "sent" wait_for "Mail sent."
check_eq "the completed addresses are sent" "$(field 0 To)" \
	"Bob Jones <bob@example.org>, Zoe Quist <zoe@example.com>"
check "sendmail got both" sh -c 'grep -qx bob@example.org "$1" && grep -qx zoe@example.com "$1"' - "$SM_DIR/0.args"

# Several matches: the first goes in, the list is shown, Tab cycles.
keys m "ka" Tab
check "several matches: the first" wait_line 24 "To: Kai One <kai@example.com>"
check "the list is shown" wait_for "1/3 (Tab: next)"
keys Tab
check "Tab again: the second, quoted" wait_line 24 'To: "Doe, Kai" <kai@example.net>'
keys Tab
check "the third, a bare address" wait_line 24 "To: kai2@example.org"
keys Tab
check "and round to the first" wait_line 24 "To: Kai One <kai@example.com>"
check "the query ran once for the cycle" test "$(grep -c '^ka$' "$T/queries")" -eq 1

# An alias for a group expands to its addresses; no match says so.
keys C-u "te" Tab
check "a group alias gives every address" wait_line 24 "To: ann@example.org, carol@example.net"
keys ", nobody" Tab
check "no match is said" wait_for 'Nothing matches "nobody"'
check "the line is kept" wait_line 24 "To: ann@example.org, carol@example.net, nobody"

# A query command that hangs is stopped: the prompt comes back.
keys C-u "slowpoke" Tab
check "a hanging query command is stopped, and said so" wait_for "the query command ran for more than 5 seconds: stopped"
check "the prompt is still there" wait_line 24 "To: slowpoke"
keys C-g
check "the prompt is cancelled" wait_for "Cancelled."

# The lookup runs beside the screen: keys work while it runs, and Ctrl-G
# stops it (the command and what it started) and keeps the prompt.
keys m "lazy" Tab
check "a slow lookup says it runs" wait_for 'Looking up "lazy"'
check "its answer comes in when it is there" wait_line 24 "To: Lazy Bones <lazy@example.com>"
keys C-u "lag" Tab
check "a lookup under way is shown" wait_for 'Looking up "lag"'
wait_until test -s "$T/lag.pid"
keys x
check "keys still work while it runs" wait_line 24 "To: lagx"
keys C-g
check "Ctrl-G stops the lookup" wait_for "Lookup stopped."
check "the prompt stays" wait_line 24 "To: lagx"
lag_pid=$(cat "$T/lag.pid")
check "the query command is gone" wait_until sh -c '! kill -0 "$1" 2>/dev/null' - "$lag_pid"
check "and what it started too" \
	wait_until sh -c '! ps -eo args | grep -qx "sleep 29"'
keys C-u "lag" Tab
check "a lookup again" wait_for 'Looking up "lag"'
keys C-g C-g
check "Ctrl-G twice: the lookup, then the prompt" wait_for "Cancelled."
check "that command is stopped too" \
	wait_until sh -c '! ps -eo args | grep -qx "sleep 29"'

# The compose screen's address fields complete too.
keys m "bob@example.org" Enter "Fields" Enter
check "compose screen again" wait_for "Subject: Fields"
keys c "zo" Tab
check "Cc completes" wait_line 24 "Cc: Zoe Quist <zoe@example.com>"
keys Enter
check "Cc is set" wait_for "Cc: Zoe Quist <zoe@example.com>"
keys q y
check "discarded" wait_for "Message discarded."
keys q
check "quit" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
