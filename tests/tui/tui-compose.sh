#!/bin/sh
# Writing mail: replies (reply, group, list), forward and new mail with a
# scripted editor, sent through a sendmail that records what it gets;
# attachments, Fcc, postponing, a failing editor and a failing sendmail.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

capture_sendmail
cat > "$T/editor" <<EOS
#!/bin/sh
# A user who adds one line, or an editor that crashes.
[ -f '$T/editor-fails' ] && exit 1
[ -f '$T/editor-idle' ] && exit 0
echo "Sounds good to me." >> "\$1"
EOS
chmod +x "$T/editor"
printf 'attached text\n' > "$T/notes.txt"

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
# (m would offer to recall it from now on: tui-recall.sh tests that.)
rm -f "$HOME/postponed"

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

# Forward as attachment (mime_forward): the original goes whole, as a
# message/rfc822 part with the bytes of the stored message.
TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
export TMPDIR
TUI_EDITOR="$T/editor" tui_start -S "spoolfile=$T/md" -S "sendmail=$T/sendmail" \
	-S "from=You <you@example.org>" -S "mime_forward=ask-yes"
check "the index is shown again" wait_for "[Msgs:35"
keys 2 2 Enter f
check "forward asks how" wait_for "Forward as attachment? ([yes]/no)"
keys Enter
check "forward as attachment: compose screen" wait_for "Subject: Fwd: Lunch?"
check "the original is attached" wait_for "forwarded-message.eml"
n=$(ls "$SM_DIR" | grep -c '\.msg$')
keys t C-u "dave@example.org" Enter y
check "forward as attachment sent" wait_for "Mail sent."
orig=$(grep -rlx "Subject: Lunch?" "$T/md/cur" "$T/md/new" | head -1)
check "the original message is found" test -n "$orig"
check "a message/rfc822 part holds the original byte for byte" \
	python3 - "$SM_DIR/$n.msg" "$orig" <<'EOP'
import base64, re, sys
data = open(sys.argv[1], 'rb').read()
orig = open(sys.argv[2], 'rb').read()
head, _, body = data.partition(b'\n\n')
head = re.sub(rb'\n[ \t]+', b' ', head)
b = re.search(rb'boundary="?([^";\s]+)"?', head).group(1)
found = False
for part in body.split(b'\n--' + b)[1:]:
    ph, _, pb = part.lstrip(b'\n').partition(b'\n\n')
    ph = re.sub(rb'\n[ \t]+', b' ', ph)
    if not re.search(rb'(?im)^content-type:\s*message/rfc822', ph):
        continue
    if re.search(rb'(?im)^content-transfer-encoding:\s*base64', ph):
        pb = base64.b64decode(pb)
    found = pb.rstrip(b'\n') == orig.rstrip(b'\n') or pb == orig
sys.exit(0 if found else 1)
EOP
check_eq "forward as attachment: the subject" "$(field $n Subject)" "Fwd: Lunch?"
check_contains "the note is the editor's text" "$(body $n)" "Sounds good to me."
check "the forwarded file is removed after sending" \
	sh -c '! ls -d "$1"/petrel-forward* 2>/dev/null | grep -q .' - "$TMPDIR"
keys 2 2 Enter Enter
check "the pager shows the message" wait_for "Lunch at the usual place"
keys f
check "forward from the pager asks too" wait_for "Forward as attachment? ([yes]/no)"
keys y
check "from the pager: attached" wait_for "forwarded-message.eml"
keys q y
check "discarded the forward from the pager" wait_for "Message discarded."
check "the pager again" wait_for "Lunch at the usual place"
keys q 2 2 Enter f
check "forward asks again" wait_for "Forward as attachment? ([yes]/no)"
keys n
check "no: the inline forward" wait_for "Subject: Fwd: Lunch?"
check "without the attachment" wait_gone "forwarded-message.eml"
keys q y
check "discarded the inline forward" wait_for "Message discarded."
keys q
check "quit after forwarding" restored 0
check "no memory errors were reported" no_sanitizer_reports
finish
