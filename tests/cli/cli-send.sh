#!/bin/sh
# Send mode and composing from command mode: what reaches sendmail is
# checked with python3's email parser; failures go to dead.letter.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

command -v python3 >/dev/null || bail "python3 is needed to check messages"
cat > "$T/sendmail" <<'EOS'
#!/bin/sh
# Records how it was called and what it read, like a mail system would.
n=$(ls "$SM_DIR" 2>/dev/null | grep -c '\.args$')
printf '%s\n' "$@" > "$SM_DIR/$n.args"
cat > "$SM_DIR/$n.msg"
exit "${SM_EXIT:-0}"
EOS
chmod +x "$T/sendmail"
SM_DIR="$T/sent"
export SM_DIR
mkdir -p "$SM_DIR"
SM="-S sendmail=$T/sendmail"

# field N NAME: a decoded header field of the Nth message sent (from 0).
field() {
	python3 - "$SM_DIR/$1.msg" "$2" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
v = m[sys.argv[2]]
print('' if v is None else str(v))
EOP
}
# body N: the text of the first text/plain part that is not an attachment.
body() {
	python3 - "$SM_DIR/$1.msg" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
print(m.get_body(preferencelist=('plain',)).get_content(), end='')
EOP
}
# attachment N NAME: the bytes of the named attachment, as hex.
attachment() {
	python3 - "$SM_DIR/$1.msg" "$2" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
for p in m.iter_attachments():
    if p.get_filename() == sys.argv[2]:
        print(p.get_payload(decode=True).hex())
EOP
}

printf 'caf\303\251 \342\202\254\nsecond line\n' > body.txt
printf '\000\001\002binary\377' > blob.bin
pt $SM -s "Zażółć gęślą jaźń" -a blob.bin -c "cc1@example.org, cc2@example.org" \
	-b hidden@example.org -r me@example.org to@example.org < body.txt
check_eq "send mode exits 0" "$?" 0
check_eq "sendmail gets -oi, -f, -- and every recipient" "$(cat "$SM_DIR/0.args" | tr '\n' ' ')" \
	"-oi -f me@example.org -- to@example.org cc1@example.org cc2@example.org hidden@example.org "
check_eq "the subject is encoded and decodes back" "$(field 0 Subject)" "Zażółć gęślą jaźń"
check "the subject is ASCII on the wire" sh -c "grep '^Subject:' \"$SM_DIR/0.msg\" | LC_ALL=C grep -qv '[^ -~]'"
check_eq "the body arrives" "$(body 0)" "café €
second line"
check_eq "the attachment's bytes arrive intact" "$(attachment 0 blob.bin)" "00010262696e617279ff"
check_eq "To" "$(field 0 To)" "to@example.org"
check_eq "Cc" "$(field 0 Cc)" "cc1@example.org, cc2@example.org"
check_eq "no Bcc header" "$(field 0 Bcc)" ""
check "hidden address nowhere in the message" sh -c "! grep -q hidden \"$SM_DIR/0.msg\""
check_eq "From is -r" "$(field 0 From)" "me@example.org"
check "LF line ends" sh -c "! grep -q \"\$(printf '\\r')\" \"$SM_DIR/0.msg\""
check_eq "MIME-Version" "$(field 0 MIME-Version)" "1.0"

printf 'hello\n' | pt $SM -a "ünïcode name.txt" to@example.org 2>err
check_contains "a missing attachment fails" "$(cat err)" "petrel: cannot attach ünïcode name.txt"
printf 'attached text\n' > "ünïcode name.txt"
printf 'hello\n' | pt $SM -s plain -a "ünïcode name.txt" to@example.org
check_eq "a non-ASCII file name survives" "$(attachment 1 'ünïcode name.txt')" \
	"$(printf 'attached text\n' | od -An -tx1 | tr -d ' \n')"

# Aliases from MAILRC expand.
printf 'alias team alice@example.org bob@example.net\n' > "$T/rc"
printf 'hi team\n' | MAILRC="$T/rc" pt $SM -s team team
check_eq "aliases expand to their addresses" "$(tail -2 "$SM_DIR/2.args" | tr '\n' ' ')" \
	"alice@example.org bob@example.net "

# A body with ~ lines from a script is sent as it is.
printf '~s not an escape\n~/path\n' | pt $SM -s tilde to@example.org
check_eq "tilde lines in a piped body are text" "$(body 3)" "~s not an escape
~/path"

# A failing sendmail: one line on stderr, status 1, the message in DEAD.
rm -f "$HOME/dead.letter"
printf 'important\n' | SM_EXIT=75 pt $SM -s "lost?" to@example.org 2>err
rc=$?
check_eq "failure: exit status 1" "$rc" 1
check_eq "failure: one line on stderr" "$(wc -l < err | tr -d ' ')" 1
check_contains "failure: says why" "$(cat err)" "failed with exit status 75"
check "failure: dead.letter is an mbox" sh -c "head -1 \"$HOME/dead.letter\" | grep -q '^From '"
check "failure: dead.letter holds the message" grep -q important "$HOME/dead.letter"
printf 'again\n' | pt -S sendmail=/nonexistent/sendmail -S DEAD="$T/dead2" -s x to@example.org 2>err
check_eq "a missing program: status 1, one line" "$?,$(wc -l < err | tr -d ' ')" "1,1"
check "DEAD names the file" grep -q again "$T/dead2"
cat > "$T/killed" <<'EOS'
#!/bin/sh
kill -9 $$
EOS
chmod +x "$T/killed"
printf 'again\n' | pt -S sendmail="$T/killed" -s x to@example.org 2>err
check_contains "a killed program is reported" "$?:$(cat err)" "1:petrel: $T/killed was killed by signal 9"

# -F and record keep a copy.
printf 'recorded\n' | pt $SM -F -s rec someone@example.org
check "-F records in a file named after the recipient" grep -q recorded someone
mkdir -p "$HOME/Mail"
printf 'recorded2\n' | pt $SM -S record=+sent -s rec2 x@example.org
check "record keeps a copy" grep -q recorded2 "$HOME/Mail/sent"

# Composing in command mode: mail with tilde escapes, reply, Reply, followup.
cp "$data/basic.mbox" box
n=$(ls "$SM_DIR" | grep -c '\.args$')
printf 'hi\n' > insert.txt
printf '%s\n' 'mail first@example.org' '~s Composed here' '~c copy@example.org' \
	'~b blind@example.org' '~t second@example.org' 'Line one' '~r insert.txt' '~~ tilde' \
	'~.' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "mail: subject from ~s" "$(field $n Subject)" "Composed here"
check_eq "mail: ~t adds To" "$(field $n To)" "first@example.org, second@example.org"
check_eq "mail: ~c adds Cc" "$(field $n Cc)" "copy@example.org"
check_contains "mail: ~b adds a hidden recipient" "$(cat "$SM_DIR/$n.args")" "blind@example.org"
check_eq "mail: body with ~r and ~~" "$(body $n)" "Line one
hi
~ tilde"
n=$((n + 1))
printf '%s\n' 'reply 2' 'Sounds good.' '~.' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "reply: subject keeps one Re:" "$(field $n Subject)" "Re: Lunch?"
check_eq "reply: to the sender and the other recipients" \
	"$(field $n To),$(field $n Cc)" "bob@example.net, tester@example.net,alice@example.org"
check_eq "reply: In-Reply-To" "$(field $n In-Reply-To)" "<lunch2@example.net>"
check_eq "reply: References" "$(field $n References)" "<lunch1@example.org> <lunch2@example.net>"
check_contains "reply: quotes the message with indentprefix" "$(body $n)" "	Friday works for me."
check_contains "reply: then the new text" "$(body $n)" "Sounds good."
n=$((n + 1))
printf '%s\n' 'set indentprefix="> "' 'Reply 2' 'Only you.' '~.' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "Reply: to the sender only" "$(field $n To),$(field $n Cc)" "bob@example.net,"
check_contains "indentprefix is used" "$(body $n)" "> Friday works for me."
n=$((n + 1))
printf '%s\n' 'followup 1' 'Noted.' '~.' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "followup: to the author" "$(field $n To)" "alice@example.org"
check "followup: recorded in a file named after the author" grep -q Noted alice
n=$((n + 1))
printf '%s\n' 'Followup 2 5' 'To both.' '~.' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "Followup: to every author" "$(field $n To)" "bob@example.net, dave@example.org"
check "Followup: recorded after the first author" grep -q "To both" bob
n=$((n + 1))
printf '%s\n' 'alternates tester@example.net' 'reply 2' 'x' '~.' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "reply leaves out alternates" "$(field $n To),$(field $n Cc)" "bob@example.net,alice@example.org"
n=$((n + 1))
printf '%s\n' 'mail x@example.org' 'never sent' '~q' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "~q sends nothing" "$(ls "$SM_DIR" | grep -c '\.args$')" "$n"
check "~q keeps the text in dead.letter" grep -q "never sent" "$HOME/dead.letter"
printf '%s\n' 'mail x@example.org' 'dropped' '~x' 'exit' | pt $SM -N -f box >out 2>&1
check_eq "~x sends nothing" "$(ls "$SM_DIR" | grep -c '\.args$')" "$n"
printf '%s\n' 'mail x@example.org' 'shown' '~p' '~.' 'exit' | pt $SM -N -f box >out 2>&1
check_contains "~p shows the message so far" "$(cat out)" "shown"
printf '%s\n' 'set dot' 'mail x@example.org' 'ended by dot' '.' 'echo after' 'exit' | pt $SM -N -f box >out 2>&1
check_contains "with dot, a lone . ends the message" "$(cat out)" "after"
check_eq "if s is true in send mode" \
	"$(printf 'if s\necho sending\nendif\n' > "$T/rc2"; printf 'x\n' | MAILRC="$T/rc2" pt $SM -s x a@example.org)" "sending"
finish
