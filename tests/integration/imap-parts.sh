#!/bin/sh
# The part list of a message from BODYSTRUCTURE (getpart MESSAGE), a
# thousandth of the message crossing the wire at most, and one MIME part
# fetched alone: a 10 MB attachment comes in byte ranges
# (BODY.PEEK[2]<offset.length>) through core and through the mailx face's
# getpart, and what arrives is the original byte for byte (SHA-256).  With
# message_cache the second reading costs no FETCH.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

head -c 10485760 /dev/urandom >"$T/att.bin"
"$HARNESS_PYTHON" - "$T/att.bin" "$T/big.eml" <<'PY'
import sys
from email.message import EmailMessage
att = open(sys.argv[1], "rb").read()
m = EmailMessage()
m["From"] = "bob@petrel.test"
m["To"] = "alice@petrel.test"
m["Subject"] = "A big attachment"
m["Message-ID"] = "<big@petrel.test>"
m.set_content("See the attachment.\n")
m.add_attachment(att, maintype="application", subtype="octet-stream", filename="data.bin")
open(sys.argv[2], "wb").write(bytes(m))
PY
deliver alice "$T/big.eml"
want=$(sha256sum <"$T/att.bin" | cut -d' ' -f1)

# received_bytes TRACE: what the server sent, by the protocol trace (lines
# as written, literals by their counts).
received_bytes() {
	awk '/ S: <[0-9]+ bytes>$/ { v = $(NF - 1); sub(/^</, "", v); n += v; next }
	     / S: / { sub(/^.* S: /, ""); n += length($0) + 2 }
	     END { print n + 0 }' "$1"
}

# The part list comes from BODYSTRUCTURE: no part of the message crosses.
out=$(printf 'getpart 1\n' | pt -d "$T/t-list" -N -f "$(url)" 2>"$T/err")
check_eq "part list: nothing on stderr" "$(cat "$T/err")" ""
check_contains "part list: the text part" "$out" "1      text/plain 21"
check_contains "part list: the attachment" "$out" \
	'2      application/octet-stream 14M "data.bin" [attachment]'
check "part list: UID FETCH BODYSTRUCTURE" \
	grep -q ' C: a[0-9]* UID FETCH 1 (BODYSTRUCTURE)$' "$T/t-list"
check "part list: no body section fetched" \
	test "$(grep -c 'BODY\.PEEK\[[0-9.]*\]' "$T/t-list")" -eq 0
got=$(received_bytes "$T/t-list")
size=$(wc -c <"$T/big.eml")
check "part list: received $got bytes for a message of $size" test "$((got * 1000))" -lt "$size"

# A forwarded message (message/rfc822) keeps IMAP's numbering: its parts
# are 2.1, 2.2, and 2.2 is fetched and decoded alone.
"$HARNESS_PYTHON" - "$T/nest.eml" "$T/dot.png" <<'PY'
import sys
from email.message import EmailMessage
from email.mime.message import MIMEMessage
dot = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
open(sys.argv[2], "wb").write(dot)
inner = EmailMessage()
inner["From"] = "carol@petrel.test"
inner["Subject"] = "Inner"
inner.set_content("inner text\n")
inner.add_attachment(dot, maintype="image", subtype="png", filename="dot.png")
m = EmailMessage()
m["From"] = "bob@petrel.test"
m["To"] = "alice@petrel.test"
m["Subject"] = "Nested"
m.set_content("outer text\n")
m.make_mixed()
m.attach(MIMEMessage(inner))
open(sys.argv[1], "wb").write(bytes(m))
PY
deliver alice "$T/nest.eml"
out=$(printf 'getpart 2\ngetpart 2 2.2 %s\n' "$T/dot-got.png" | pt -N -f "$(url)" 2>"$T/err")
check_eq "nested: nothing on stderr" "$(cat "$T/err")" ""
check_contains "nested: the forwarded message and its parts" "$out" "  2      message/rfc822"
check_contains "nested: its attachment numbered as IMAP does" "$out" \
	'    2.2    image/png 362 "dot.png" [attachment]'
check "nested: the part fetched alone is the original" cmp -s "$T/dot.png" "$T/dot-got.png"

# The typed part list (CORE_REQ_FETCH_STRUCTURE): every field, and file
# names decoded from RFC 2231 (one value, continuations, a charset other
# than UTF-8) and RFC 2047, made terminal-safe.
cat >"$T/names.eml" <<'EOM'
From: bob@petrel.test
To: alice@petrel.test
Subject: Names
Message-ID: <names@petrel.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer-b"

--outer-b
Content-Type: multipart/alternative; boundary="alt-b"

--alt-b
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

caf=E9
--alt-b
Content-Type: text/html; charset=utf-8

<p>caf&eacute;</p>
--alt-b--
--outer-b
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''caf%C3%A9%20menu.pdf
Content-Transfer-Encoding: base64

JVBERi0=
--outer-b
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename*0*=utf-8''%E6%97%A5; filename*1*=%E6%9C%AC;
 filename*2=".txt"

nihon
--outer-b
Content-Type: image/png; name="=?UTF-8?B?w7xiZXIucG5n?="
Content-Transfer-Encoding: base64

iVBORw0K
--outer-b
Content-Type: application/octet-stream
Content-Disposition: attachment; filename*=iso-8859-1'fr'%E9t%E9%1B%5B31m.bin

AAAA
--outer-b--
EOM
deliver alice "$T/names.eml"
out=$(drive "$(url)" open headers parts:3 2>&1)
check_contains "typed list: the top multipart" "$out" "partinfo |multipart/mixed|0|||||outer-b|0|1"
check_contains "typed list: a nested multipart" "$out" "partinfo 1|multipart/alternative|0|||||alt-b|1|1"
check_contains "typed list: charset and encoding" "$out" \
	"partinfo 1.1|text/plain|6|||iso-8859-1|quoted-printable||2|0"
check_contains "typed list: RFC 2231 in UTF-8" "$out" \
	"partinfo 2|application/pdf|8|attachment|café menu.pdf||base64||1|0"
check_contains "typed list: RFC 2231 continuations" "$out" \
	"partinfo 3|text/plain|5|attachment|日本.txt|utf-8|7bit||1|0"
check_contains "typed list: RFC 2047 in a name parameter" "$out" \
	"partinfo 4|image/png|8||über.png||base64||1|0"
check_contains "typed list: RFC 2231 in Latin-1, an escape made visible" "$out" \
	"partinfo 5|application/octet-stream|4|attachment|été^[[31m.bin||7bit||1|0"
check "typed list: no escape byte reaches the output" sh -c '! printf "%s" "$1" | grep -q "$(printf "\033")"' - "$out"
out=$(printf 'getpart 3\n' | pt -N -f "$(url)" 2>"$T/err")
check_eq "getpart list of names: nothing on stderr" "$(cat "$T/err")" ""
check_contains "getpart lists decoded names" "$out" '  2      application/pdf 8 "café menu.pdf" [attachment]'
check_contains "getpart lists nested parts deeper" "$out" '    1.2    text/html'
out=$(drive "$(url)" open headers parts:1 2>&1)
check_contains "typed list: the big attachment's size as encoded" "$out" \
	"partinfo 2|application/octet-stream|"
out=$(printf 'getpart 3 9\n' | pt -N -f "$(url)" 2>"$T/err")
check_contains "getpart: a part not in the list is named" "$(cat "$T/err")" "has no part 9"

out=$(drive -d "$T/t-drive" "$(url)" open part:1:2:65536:"$T/raw.b64" 2>&1)
check_contains "core: the part came in 64 KiB ranges" "$out" "part "
got=$("$HARNESS_PYTHON" -c 'import base64,sys; sys.stdout.buffer.write(base64.b64decode(open(sys.argv[1],"rb").read()))' "$T/raw.b64" | sha256sum | cut -d' ' -f1)
check_eq "core: byte for byte (SHA-256)" "$got" "$want"
check "core: ranges asked for" grep -q 'UID FETCH 1 (BODY.PEEK\[2\]<65536.65536>)' "$T/t-drive"
check "core: never the whole message" test "$(grep -c 'BODY.PEEK\[\]' "$T/t-drive")" -eq 0

out=$(printf 'getpart 1 2 %s\n' "$T/got.bin" | pt -d "$T/t-mailx" -N -f "$(url)" 2>"$T/err")
check_eq "getpart: nothing on stderr" "$(cat "$T/err")" ""
check_contains "getpart: says where" "$out" "got.bin"
check_eq "getpart: byte for byte (SHA-256)" "$(sha256sum <"$T/got.bin" | cut -d' ' -f1)" "$want"
check "getpart: in 1 MiB ranges" grep -q 'BODY.PEEK\[2\]<1048576.1048576>' "$T/t-mailx"
check "getpart: never the whole message" test "$(grep -c 'BODY.PEEK\[\]' "$T/t-mailx")" -eq 0
out=$(printf 'getpart 1 2 %s\n' "$T/got.bin" | pt -N -f "$(url)" 2>"$T/err")
check_contains "getpart: an existing file is not replaced" "$(cat "$T/err")" "getpart -f"
out=$(printf 'getpart 1 1.2 %s\n' "$T/none.bin" | pt -N -f "$(url)" 2>"$T/err")
check_contains "getpart: a missing part is named" "$(cat "$T/err")" "part 1.2"

mc="$T/mcache"
printf 'getpart 1 2 %s\n' "$T/c1.bin" | pt -S "message_cache=$mc" -d "$T/t-c1" -N -f "$(url)" \
	>/dev/null 2>&1
printf 'getpart 1 2 %s\n' "$T/c2.bin" | pt -S "message_cache=$mc" -d "$T/t-c2" -N -f "$(url)" \
	>/dev/null 2>&1
check_eq "message_cache: first reading right" "$(sha256sum <"$T/c1.bin" | cut -d' ' -f1)" "$want"
check_eq "message_cache: second reading right" "$(sha256sum <"$T/c2.bin" | cut -d' ' -f1)" "$want"
check "message_cache: the first fetched the part" grep -q 'BODY.PEEK\[2\]' "$T/t-c1"
check "message_cache: the second fetched nothing" test "$(grep -c 'BODY.PEEK\[2\]' "$T/t-c2")" -eq 0
printf 'type 1\n' | pt -S "message_cache=$mc" -d "$T/t-c3" -N -f "$(url)" >/dev/null 2>&1
printf 'type 1\n' | pt -S "message_cache=$mc" -d "$T/t-c4" -N -f "$(url)" >/dev/null 2>&1
check "message_cache: type fetches once" test "$(grep -c 'BODY.PEEK\[\]' "$T/t-c4")" -eq 0

# A forwarded message that is not multipart: its body is part 2.1, whose
# MIME header (2.1.MIME, what a reader asks for before showing a text part
# alone) is the forwarded message's own header.
cat >"$T/single.eml" <<'EOM'
From: bob@petrel.test
To: alice@petrel.test
Subject: Forwarded single
Message-ID: <fwd-single@petrel.test>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="fwd-b"

--fwd-b
Content-Type: text/plain

see below
--fwd-b
Content-Type: message/rfc822

From: carol@petrel.test
Subject: Inner single
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe aus Z=FCrich
--fwd-b--
EOM
deliver alice "$T/single.eml"
single_sum=$(drive "$(url)" open headers 2>&1 | grep 'Forwarded single')
single_uid=$(echo "$single_sum" | awk '{print $3}')
single_num=$(($(echo "$single_sum" | awk '{print $2}') + 1))
rm -f "$T/s-mime" "$T/s-body"
out=$(drive "$(url)" open "part:$single_uid:2.1.MIME:65536:$T/s-mime" \
	"part:$single_uid:2.1:65536:$T/s-body" parts:"$single_uid" 2>&1)
check_contains "single in message: the list numbers its body 2.1" "$out" \
	"partinfo 2.1|text/plain|"
check_contains "single in message: 2.1.MIME has its type" "$(cat "$T/s-mime" 2>/dev/null)" \
	"Content-Type: text/plain; charset=iso-8859-1"
check_contains "single in message: 2.1.MIME has its encoding" "$(cat "$T/s-mime" 2>/dev/null)" \
	"Content-Transfer-Encoding: quoted-printable"
check_eq "single in message: 2.1 is the body as sent" "$(cat "$T/s-body" 2>/dev/null)" \
	"Gr=FC=DFe aus Z=FCrich"
rm -f "$T/s-got"
printf 'getpart %s 2.1 %s\n' "$single_num" "$T/s-got" | pt -N -f "$(url)" >/dev/null 2>"$T/err"
check_eq "single in message: getpart of 2.1 says nothing wrong" "$(cat "$T/err")" ""
check_eq "single in message: getpart of 2.1 decodes the transfer encoding" \
	"$(od -An -c "$T/s-got" 2>/dev/null | tr -s ' ' | head -1)" \
	"$(printf 'Gr\374\337e aus Z\374rich' | od -An -c | tr -s ' ' | head -1)"

finish
