#!/bin/sh
# Writing mail: replies (reply, group, list), forward and new mail with a
# scripted editor, sent through a sendmail that records what it gets;
# attachments, Fcc, postponing, a failing editor and a failing sendmail.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

command -v python3 >/dev/null || bail "python3 is needed to check messages"
SM_DIR="$T/sent"
mkdir -p "$SM_DIR"
cat > "$T/sendmail" <<EOS
#!/bin/sh
# Records how it was called and what it read; fails when told to.
n=\$(ls '$SM_DIR' | grep -c '\\.args\$')
printf '%s\\n' "\$@" > '$SM_DIR/'\$n.args
cat > '$SM_DIR/'\$n.msg
[ -f '$T/sendmail-fails' ] && exit 75
exit 0
EOS
cat > "$T/editor" <<EOS
#!/bin/sh
# A user who adds one line, or an editor that crashes.
[ -f '$T/editor-fails' ] && exit 1
[ -f '$T/editor-idle' ] && exit 0
echo "Sounds good to me." >> "\$1"
EOS
chmod +x "$T/sendmail" "$T/editor"
printf 'attached text\n' > "$T/notes.txt"

# field N NAME: a decoded header field of the Nth message sent (from 0).
field() {
	python3 - "$SM_DIR/$1.msg" "$2" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
v = m[sys.argv[2]]
print('' if v is None else str(v))
EOP
}
# body N: the plain text of the Nth message sent.
body() {
	python3 - "$SM_DIR/$1.msg" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
print(m.get_body(preferencelist=('plain',)).get_content(), end='')
EOP
}
# attached N NAME: the text of the Nth message's attachment NAME.
attached() {
	python3 - "$SM_DIR/$1.msg" "$2" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
for p in m.iter_attachments():
    if p.get_filename() == sys.argv[2]:
        print(p.get_content(), end='')
EOP
}

make_sample "$T/md"
TUI_EDITOR="$T/editor" tui_start -S "spoolfile=$T/md" -S "sendmail=$T/sendmail" \
	-S "record=$T/sent-folder" -S "from=You <you@example.org>"
check "the index is shown" wait_for "[Msgs:35"

# A reply.
keys 6 Enter r
check "reply asks whether to quote" wait_for "Include the message in the reply? ([yes]/no)"
keys Enter
check "after the editor, the compose screen" wait_for "Subject: Re: Trip to the coast in March"
check "the reply goes to the sender" wait_for "To: Bob Okafor <bob@example.net>"
keys y
check "y sends it" wait_for "Mail sent."
check "sendmail got the recipient" grep -qx "bob@example.net" "$SM_DIR/0.args"
check_eq "the subject" "$(field 0 Subject)" "Re: Trip to the coast in March"
check_eq "In-Reply-To points at the original" "$(field 0 In-Reply-To)" "<trip1@sample.petrel>"
check_eq "the sender is from" "$(field 0 From)" "You <you@example.org>"
check_contains "the original is quoted" "$(body 0)" "> Shall we book the cabin for the second weekend of March?"
check_contains "with an attribution line" "$(body 0)" "Bob Okafor wrote:"
check_contains "the editor's line is in the body" "$(body 0)" "Sounds good to me."
check "the original is marked replied" wait_line 7 "r Jan 08 Bob Okafor"
check "a copy went to record" sh -c 'grep -q "^Subject: Re: Trip to the coast" "$1"' - "$T/sent-folder"

# Group reply: the other recipients go to Cc, the user does not.
keys 2 7 Enter g
check "group reply asks whether to quote" wait_for "Include the message in the reply?"
keys n
check "group reply: compose screen" wait_for "Subject: Re: Server migration on Saturday"
keys y
check "group reply sent" wait_for "Mail sent."
check_eq "group reply: To" "$(field 1 To)" "Ann Lindqvist <ann@example.org>"
check_eq "group reply: Cc has the others, not you" "$(field 1 Cc)" "dave@example.org"

# List reply.
keys 9 Enter L
check "list reply asks whether to quote" wait_for "Include the message in the reply?"
keys Enter
check "list reply: compose screen" wait_for "To: petrel-dev@lists.example.org"
keys y
check "list reply sent" wait_for "Mail sent."
check_eq "list reply: To" "$(field 2 To)" "petrel-dev@lists.example.org"

# Forward, from the pager.
keys 2 2 Enter Enter
check "the pager shows the message to forward" wait_for "Lunch at the usual place"
keys f
check "forward: compose screen" wait_for "Subject: Fwd: Lunch?"
keys t C-u "dave@example.org" Enter y
check "forward sent" wait_for "Mail sent."
check_contains "the forward holds the message" "$(body 3)" "Lunch at the usual place at 12:30?"
check_contains "between forward markers" "$(body 3)" "----- Forwarded message from Carol Zhang <carol@example.com> -----"
keys q

# New mail with an attachment.
keys m
check "m asks for the recipient" wait_line 24 "To:"
keys "carol@example.com" Enter
check "then the subject" wait_line 24 "Subject:"
keys "Lunch plans" Enter
check "compose screen for new mail" wait_for "Subject: Lunch plans"
keys a "$T/notes.txt" Enter
check "a attaches a file" wait_for "notes.txt"
keys y
check "new mail sent" wait_for "Mail sent."
check_eq "new mail: To" "$(field 4 To)" "carol@example.com"
check_eq "new mail: the attachment" "$(attached 4 notes.txt)" "attached text"

# Postpone.
keys m "ann@example.org" Enter "Later" Enter
check "compose screen to postpone" wait_for "Subject: Later"
keys P
check "P postpones" wait_for "Message postponed to"
check "the draft is in postponed" sh -c 'grep -q "^Subject: Later" "$1/postponed"' - "$HOME"

# A failing sendmail keeps the message.
touch "$T/sendmail-fails"
keys m "bob@example.net" Enter "Will fail" Enter
check "compose screen before the failure" wait_for "Subject: Will fail"
keys y
check "the failure is reported" wait_for "Sending failed"
check "the message goes to dead.letter" sh -c 'grep -q "^Subject: Will fail" "$1/dead.letter"' - "$HOME"
check "the compose screen stays" wait_for "Subject: Will fail"
rm -f "$T/sendmail-fails"
keys y
check "sending again works" wait_for "Mail sent."

# A failing editor keeps the draft and says where.
touch "$T/editor-fails"
keys m "bob@example.net" Enter "Crash" Enter
check "the editor failure is reported" wait_for "The editor exited with status 1: your draft is kept in"
draft=$(screen | sed -n 's/.*your draft is kept in \([^ ]*\).*/\1/p' | head -1)
check "the draft file is still there" test -f "$draft"
check "we are back in the index" wait_for "q:Quit  d:Del"
rm -f "$T/editor-fails"

# Leaving the editor without a change cancels the message.
touch "$T/editor-idle"
keys m "bob@example.net" Enter "Unchanged" Enter
check "an unchanged message is not sent" wait_for "Message unchanged: not sent."
rm -f "$T/editor-idle"

# Discarding asks first.
keys m "bob@example.net" Enter "Discard me" Enter
check "compose screen to discard" wait_for "Subject: Discard me"
keys q
check "q asks before discarding" wait_for "Discard this message? (yes/[no])"
keys y
check "discarded" wait_for "Message discarded."
keys q
check "quit" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
