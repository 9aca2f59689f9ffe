#!/bin/sh
# A message with a multi-MB attachment in the harness's Dovecot, read in
# the TUI over imaps://: the pager shows the text from the text part alone,
# the attachment list comes from the part list (BODYSTRUCTURE), and view,
# save and pipe fetch the attachment alone in byte ranges, byte for byte.
# The protocol trace (-d) shows the whole message never crossed.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
harness_start || bail "the test servers did not start"
slow_pid=
trap '[ -n "$slow_pid" ] && kill "$slow_pid" 2>/dev/null; tm kill-server 2>/dev/null; rm -rf "$T"; harness_stop' EXIT
trap 'exit 1' HUP INT TERM PIPE

head -c 3500000 /dev/urandom >"$T/att.bin"
{
	cat <<'EOM'
From: Bob <bob@petrel.test>
To: alice@petrel.test
Subject: Big attachment
Date: Mon, 02 Feb 2026 10:00:00 +0000
Message-ID: <bigatt@petrel.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b-outer"

--b-outer
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

See the attached data, café.
--b-outer
Content-Type: application/octet-stream; name="data.bin"
Content-Disposition: attachment; filename*=utf-8''d%C3%A4ta.bin
Content-Transfer-Encoding: base64

EOM
	base64 -w 76 "$T/att.bin"
	printf -- '--b-outer--\n'
} >"$T/big.eml"
cat >"$T/small.eml" <<'EOM'
From: Carol <carol@petrel.test>
To: alice@petrel.test
Subject: Small one
Date: Tue, 03 Feb 2026 10:00:00 +0000
Message-ID: <small@petrel.test>

Just text.
EOM
# A message that is one file and no text, above the size read whole.
head -c 400000 /dev/urandom >"$T/doc.pdf"
{
	cat <<'EOM'
From: Dave <dave@petrel.test>
To: alice@petrel.test
Subject: Only a file
Date: Wed, 04 Feb 2026 10:00:00 +0000
Message-ID: <onefile@petrel.test>
MIME-Version: 1.0
Content-Type: application/pdf; name="doc.pdf"
Content-Disposition: attachment; filename="doc.pdf"
Content-Transfer-Encoding: base64

EOM
	base64 -w 76 "$T/doc.pdf"
} >"$T/onefile.eml"
harness_deliver alice "$T/big.eml" || bail "cannot deliver"
harness_deliver alice "$T/small.eml" || bail "cannot deliver"
harness_deliver alice "$T/onefile.eml" || bail "cannot deliver"
want=$(sha256sum <"$T/att.bin" | cut -d' ' -f1)
mkdir -p "$T/dl"
cat >"$T/mailcap" <<'EOM'
application/octet-stream; sha256sum %s; copiousoutput
EOM

H=$HARNESS_HOST
tui_start -d "$T/trace" -S "tls_ca_file=$HARNESS_CA" -S "mailcap_path=$T/mailcap" \
	-S "spoolfile=imaps://alice:$HARNESS_PASS1@$H:$HARNESS_IMAPS_PORT/INBOX"
check "the index shows the INBOX" wait_for "Only a file"
keys k k
check "the cursor on the big message" wait_cursor "Big attachment"
keys Enter
check "the pager shows the text part" wait_for "See the attached data, café."
check "the attachment line has the name and the size from the part list" \
	wait_for '[-- Attachment 2: application/octet-stream, "däta.bin", ~3.3 MB --]'
keys v
check "v lists the parts" wait_for "application/octet-stream"
check "with the decoded file name" wait_for "däta.bin"
check "and the text part" wait_for "text/plain"
keys j j
check "the cursor goes to the attachment" wait_cursor "däta.bin"
keys s
check "s asks where to save" wait_for "Save to (directory or file):"
keys C-u "$T/dl/" Enter
check "it is saved" wait_for "Saved $T/dl/"
check "byte for byte (SHA-256)" \
	sh -c '[ "$(sha256sum < "$1/däta.bin" | cut -d" " -f1)" = "$2" ]' - "$T/dl" "$want"
keys Enter
check "mailcap view of the fetched part" wait_for "$want"
keys q
check "back to the parts" wait_for "däta.bin"
keys "|" "sha256sum > $T/piped" Enter
check "the part is piped" wait_until grep -qs "$want" "$T/piped"
keys Enter q
check "back in the pager" wait_for "See the attached data"
keys q
check "back in the index" wait_for "q:Quit"

# A small message still comes whole, as from any store.
keys j Enter
check "a small message shows" wait_for "Just text."
keys q
check "back in the index again" wait_for "q:Quit"

# The list from the index, for a message of one part: saved alone too.
keys j
check "the cursor on the one-file message" wait_cursor "Only a file"
keys v
check "v in the index lists its part" wait_for "doc.pdf"
keys s C-u "$T/dl/" Enter
check "the one part is saved" wait_for "Saved $T/dl/doc.pdf"
check "byte for byte" cmp -s "$T/doc.pdf" "$T/dl/doc.pdf"
keys q
check "q goes back to the index" wait_for "q:Quit"
keys q
check "quit" restored 0

# Over a slow link (a relay that passes 256 KB a second from the server)
# the part comes with progress in the status line, keys still work, and
# Ctrl-G stops it with nothing saved.
"$HARNESS_PYTHON" "$top_srcdir/tests/lib/slow-relay.py" 127.0.0.1 "$HARNESS_IMAPS_PORT" \
	"$T/slow.port" 262144 &
slow_pid=$!
wait_until test -s "$T/slow.port" || bail "the slow relay did not start"
mkdir -p "$T/dl3"
tui_start -S "tls_ca_file=$HARNESS_CA" \
	-S "spoolfile=imaps://alice:$HARNESS_PASS1@$H:$(cat "$T/slow.port")/INBOX"
check "slow: the index" wait_for "Only a file"
keys k k Enter
check "slow: the text part" wait_for "See the attached data, café."
keys v j j s C-u "$T/dl3/" Enter
check "slow: progress in the status line" wait_for "fetching part 2"
check "slow: as a share of the part" \
	wait_until sh -c 'tmux -L "$1" capture-pane -t t -p | grep -Eq "fetching part 2 [0-9]+%"' - "$sock"
keys k
check "slow: keys work while the part comes" wait_cursor "text/plain"
keys C-g
check "slow: Ctrl-G stops it" wait_for "Cancelled: nothing was saved."
check "slow: nothing saved" sh -c '[ -z "$(ls -A "$1")" ]' - "$T/dl3"
keys q q q
check "slow: quit" restored 0
kill "$slow_pid" 2>/dev/null
wait "$slow_pid" 2>/dev/null

# A text part over the 2 MB the pager reads of a text part (a long log in
# base64) and a big HTML newsletter (quoted-printable): each shows its
# first 2 MB, cut at a line end, then a line saying so; the log is read
# whole from the attachment list.
"$HARNESS_PYTHON" - "$T" <<'EOP' || bail "cannot write the long messages"
import base64, quopri, sys
t = sys.argv[1]
log = "".join("log line %07d: café ok\n" % i for i in range(1, 120001)).encode()
with open(t + "/long.eml", "wb") as f:
    f.write(b"From: Erin <erin@petrel.test>\nTo: alice@petrel.test\n"
            b"Subject: Long log\nDate: Thu, 05 Feb 2026 10:00:00 +0000\n"
            b"Message-ID: <longlog@petrel.test>\nMIME-Version: 1.0\n"
            b"Content-Type: multipart/mixed; boundary=\"b-log\"\n\n"
            b"--b-log\nContent-Type: text/plain; charset=utf-8\n\n"
            b"The log of the night follows.\n"
            b"--b-log\nContent-Type: text/plain; charset=utf-8\n"
            b"Content-Transfer-Encoding: base64\n\n")
    f.write(base64.encodebytes(log))
    f.write(b"--b-log--\n")
html = ("<html><body>\n" + "".join("<p>news item %07d: café</p>\n" % i
                                   for i in range(1, 100001)) + "</body></html>\n").encode()
with open(t + "/news.eml", "wb") as f:
    f.write(b"From: News <news@petrel.test>\nTo: alice@petrel.test\n"
            b"Subject: Big newsletter\nDate: Fri, 06 Feb 2026 10:00:00 +0000\n"
            b"Message-ID: <news@petrel.test>\nMIME-Version: 1.0\n"
            b"Content-Type: text/html; charset=utf-8\n"
            b"Content-Transfer-Encoding: quoted-printable\n\n")
    f.write(quopri.encodestring(html))
# Text parts of exactly 2 MB and of one byte more (lines of 64 bytes with
# CRLF, as the server counts).
for name, subject, extra in (("edge", "Exactly 2 MB", 0), ("over", "One byte over", 1)):
    lines = [("edge line %05d " % i).ljust(62, "x") for i in range(1, 32769)]
    lines[-1] += "x" * extra
    with open(t + "/" + name + ".eml", "w") as f:
        f.write("From: Edge <edge@petrel.test>\nTo: alice@petrel.test\n"
                "Subject: %s\nDate: Sat, 07 Feb 2026 1%d:00:00 +0000\n"
                "Message-ID: <%s@petrel.test>\nMIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=us-ascii\n\n" % (subject, extra, name))
        f.write("\n".join(lines) + "\n")
EOP
harness_deliver alice "$T/long.eml" || bail "cannot deliver"
harness_deliver alice "$T/news.eml" || bail "cannot deliver"
harness_deliver alice "$T/edge.eml" || bail "cannot deliver"
harness_deliver alice "$T/over.eml" || bail "cannot deliver"
# The line above the notice is a whole line of the text.
above_notice() {
	screen | grep -B1 -F -- "$1" | head -n 1 | grep -Eq -- "$2"
}
tui_start -d "$T/trace2" -S "tls_ca_file=$HARNESS_CA" \
	-S "spoolfile=imaps://alice:$HARNESS_PASS1@$H:$HARNESS_IMAPS_PORT/INBOX"
check "long: the index" wait_for "Msgs:7"
check "long: the cursor on the first unread" wait_cursor "Only a file"
keys j
check "long: the cursor on the long log" wait_cursor "Long log"
keys Enter
check "long: the first text part" wait_for "The log of the night follows."
check "long: the log from its beginning" wait_for "log line 0000001: café ok"
check "long: no damage notice" sh -c '! tmux -L "$1" capture-pane -t t -p | grep -Eq "not valid|damaged"' - "$sock"
keys '$'
check "long: the cut notice at its end" wait_for "[-- part 2: cut at "
check "long: with the sizes" \
	wait_until sh -c 'tmux -L "$1" capture-pane -t t -p | grep -Eq "part 2: cut at 2,0[0-9]{2},[0-9]{3} of 4,[0-9]{3},[0-9]{3} bytes"' - "$sock"
check "long: after a whole line of the log" \
	wait_until above_notice "[-- part 2: cut at " '^log line [0-9]{7}: café ok *$'
keys v
check "long: v lists the parts" wait_for "text/plain"
keys j j
check "long: the cursor on the log part" wait_cursor "4.2M"
keys Enter
check "long: Enter shows the whole log" wait_for "Part: 2"
keys '$'
check "long: to its last line" wait_for "log line 0120000: café ok"
keys q q
check "long: back in the pager" wait_for "[-- part 2: cut at "
keys q
check "long: the index" wait_for "q:Quit"
keys j
check "news: the cursor on the newsletter" wait_cursor "Big newsletter"
keys Enter
check "news: the HTML from its beginning" wait_for "news item 0000001: café"
keys '$'
check "news: the cut notice" wait_for "[-- part 1: cut at "
check "news: after a whole item" \
	wait_until above_notice "[-- part 1: cut at " '^news item [0-9]{7}: café *$'
keys j
check "edge: a text part of exactly 2 MB" wait_for "edge line 00001 xxx"
keys '$'
check "edge: whole, to its last line" wait_for "edge line 32768 xxx"
check "edge: not cut" sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "cut at"' - "$sock"
keys j
check "over: one byte more" wait_for "Subject: One byte over"
keys '$'
check "over: cut at the last line end" \
	wait_for "[-- part 1: cut at 2,097,088 of 2,097,153 bytes"
check "over: after the last whole line" \
	wait_until above_notice "[-- part 1: cut at " '^edge line 32767 x{46} *$'
keys q q
check "long: quit" restored 0
trace2=$T/trace2
# fetched UID PART RANGE: how many times the trace asks for that range.
fetched() {
	grep -c " C: .*UID FETCH $1 (BODY\.PEEK\[$2\]<$3>)\$" "$trace2"
}
check "long: the log's first 2 MB in 1 MiB ranges, then whole from the list" \
	sh -c '[ "$1" = 2 ] && [ "$2" = 2 ] && [ "$3" = 1 ] && [ "$4" = 1 ]' - \
	"$(fetched 4 2 0.1048576)" "$(fetched 4 2 1048576.1048576)" \
	"$(fetched 4 2 2097152.1048576)" "$(fetched 4 2 4194304.1048576)"
check "news: its first 2 MB, no more" \
	sh -c '[ "$1" = 1 ] && [ "$2" = 1 ] && [ "$3" = 0 ]' - "$(fetched 5 1 0.1048576)" \
	"$(fetched 5 1 1048576.1048576)" "$(fetched 5 1 2097152.1048576)"
check "edge: the part of exactly 2 MB whole, no range past it" \
	sh -c '[ "$1" = 1 ] && [ "$2" = 1 ] && [ "$3" = 0 ]' - "$(fetched 6 1 0.1048576)" \
	"$(fetched 6 1 1048576.1048576)" "$(fetched 6 1 2097152.1048576)"
check "over: one byte more, its first 2 MB" \
	sh -c '[ "$1" = 1 ] && [ "$2" = 1 ] && [ "$3" = 0 ]' - "$(fetched 7 1 0.1048576)" \
	"$(fetched 7 1 1048576.1048576)" "$(fetched 7 1 2097152.1048576)"
check "long, news, edge: never the message whole" \
	sh -c '! grep -E " C: .*UID FETCH [4-7] .*BODY\.PEEK\[\]" "$1"' - "$trace2"

# Through an HTML converter (here a stand-in for w3m that drops the tags)
# the cut newsletter shows the same notice after its converted text.
mkdir -p "$T/bin"
printf '#!/bin/sh\nexec sed "s/<[^>]*>//g"\n' >"$T/bin/w3m"
chmod +x "$T/bin/w3m"
TUI_PATH="$T/bin:$PATH"
tui_start -S "tls_ca_file=$HARNESS_CA" \
	-S "spoolfile=imaps://alice:$HARNESS_PASS1@$H:$HARNESS_IMAPS_PORT/INBOX"
TUI_PATH=
check "html: the index" wait_for "Msgs:7"
keys '*'
check "html: the last message" wait_cursor "One byte over"
keys k k
check "html: the cursor on the newsletter" wait_cursor "Big newsletter"
keys Enter
check "html: shown by the converter" wait_for "[-- text/html shown as text by w3m --]"
check "html: from its beginning" wait_for "news item 0000001: café"
keys '$'
check "html: the cut notice" wait_for "[-- part 1: cut at "
check "html: after a whole item" \
	wait_until above_notice "[-- part 1: cut at " '^news item [0-9]{7}: café *$'
check "html: no mark left" sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "petrel-cut"' - "$sock"
keys q q
check "html: quit" restored 0

# Over a slow link the pager shows how far the big text part is, and
# Ctrl-G stops it.
"$HARNESS_PYTHON" "$top_srcdir/tests/lib/slow-relay.py" 127.0.0.1 "$HARNESS_IMAPS_PORT" \
	"$T/slow2.port" 262144 &
slow_pid=$!
wait_until test -s "$T/slow2.port" || bail "the slow relay did not start"
tui_start -S "tls_ca_file=$HARNESS_CA" \
	-S "spoolfile=imaps://alice:$HARNESS_PASS1@$H:$(cat "$T/slow2.port")/INBOX"
check "slow long: the index" wait_for "Msgs:7"
keys '*' k k k
check "slow long: the cursor on the long log" wait_cursor "Long log"
keys Enter
check "slow long: progress in the pager" wait_for "Reading the message... (reading part 2, 50%)"
keys C-g
check "slow long: Ctrl-G stops it" wait_for "Cancelled."
keys q
check "slow long: quit" restored 0
kill "$slow_pid" 2>/dev/null
wait "$slow_pid" 2>/dev/null

# A local folder cannot list parts without reading the message: the same
# big message is read whole there, as before, and everything works.
md="$T/md"
mkdir -p "$md/cur" "$md/new" "$md/tmp" "$T/dl2"
cp "$T/big.eml" "$md/cur/1.1.test:2,S"
tui_start -S "spoolfile=$md" -S "mailcap_path=$T/mailcap"
check "local: the index" wait_for "Big attachment"
keys Enter
check "local: the text" wait_for "See the attached data, café."
check "local: the attachment line from the message itself" \
	wait_for '[-- Attachment 2: application/octet-stream, "däta.bin", 3.3 MB --]'
keys v j j s C-u "$T/dl2/" Enter
check "local: saved" wait_for "Saved $T/dl2/"
check "local: byte for byte" cmp -s "$T/att.bin" "$T/dl2/däta.bin"
keys q q q
check "local: quit" restored 0

trace=$T/trace
check "the trace was written" test -s "$trace"
check "the part list was asked for" grep -q ' C: a[0-9]* UID FETCH [0-9]* (BODYSTRUCTURE)$' "$trace"
check "the text part alone" grep -q ' C: .*BODY\.PEEK\[1\])' "$trace"
check "the attachment in 1 MiB ranges" grep -q ' C: .*BODY\.PEEK\[2\]<1048576\.1048576>' "$trace"
check "never the big message whole" \
	sh -c '! grep " C: .*UID FETCH 1 .*BODY\.PEEK\[\]" "$1"' - "$trace"
check "never RFC822" sh -c '! grep -E " C: .*[ (]RFC822[] )]" "$1"' - "$trace"
check "the small message whole" grep -q ' C: .*UID FETCH 2 (BODY\.PEEK\[\])' "$trace"
check "the one-file message: its header, then its body in ranges" \
	grep -q ' C: .*UID FETCH 3 (BODY\.PEEK\[1\]<0\.1048576>)' "$trace"
check "the one-file message never whole" \
	sh -c '! grep " C: .*UID FETCH 3 .*BODY\.PEEK\[\]" "$1"' - "$trace"
check "no memory errors were reported" no_sanitizer_reports
finish
