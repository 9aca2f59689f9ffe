#!/bin/sh
# One MIME part fetched alone: a 10 MB attachment comes in byte ranges
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

finish
