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
