#!/bin/sh
# The header cache (header_cache, LMDB): a warm open lists exactly what a
# cold one does without fetching a header (QRESYNC says what changed);
# flag changes and new mail made by others show; a corrupt, truncated or
# foreign cache file is rebuilt; a folder replaced on the server (new
# UIDVALIDITY) drops its cache and is read again.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

for i in 1 2 3 4 5; do
	msg $i "Cached message $i"
	deliver alice "$T/msg$i.eml"
done
cache="$XDG_CACHE_HOME/petrel"
# A first session takes \Recent; from then on listings are stable.
pt -H -f "$(url)" >/dev/null 2>&1
rm -rf "$cache"

cold=$(pt -d "$T/t-cold" -H -f "$(url)" 2>"$T/err")
check_eq "cold: exit 0" "$?" 0
check "cold: the cache was made" test -f "$cache"/imap-*/data.mdb
check "cold: headers fetched" grep -q 'UID FETCH 1:5 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK\[HEADER.FIELDS' "$T/t-cold"
warm=$(pt -d "$T/t-warm" -H -f "$(url)" 2>"$T/err")
check_eq "warm: exit 0" "$?" 0
check_eq "warm: the same listing" "$warm" "$cold"
check "warm: no header FETCH" test "$(grep -c ' C: .*HEADER.FIELDS' "$T/t-warm")" -eq 0
check "warm: no FETCH at all" test "$(grep -c ' C: a[0-9]* UID FETCH\| C: a[0-9]* FETCH' "$T/t-warm")" -eq 0
check "warm: QRESYNC from the cache's state" grep -q 'SELECT INBOX (QRESYNC (' "$T/t-warm"
check_eq "warm: nothing on stderr" "$(cat "$T/err")" ""

# Others change flags, expunge and deliver: only that travels.
harness_doveadm flags add -u alice '\Flagged' mailbox INBOX uid 2
harness_doveadm flags add -u alice '\Seen' mailbox INBOX uid 3
harness_doveadm expunge -u alice mailbox INBOX uid 4
msg 6 "Delivered later"
deliver alice "$T/msg6.eml"
after=$(pt -d "$T/t-after" -H -f "$(url)" 2>"$T/err")
check_contains "changes: the new message listed" "$after" "Delivered later"
check "changes: the expunged one gone" test "$(printf '%s\n' "$after" | grep -c 'Cached message 4')" -eq 0
check_contains "changes: the flag change shows" "$after" " O  3 sender3@example.org"
check "changes: only the new message's header fetched" \
	grep -q 'UID FETCH 6 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK\[HEADER' "$T/t-after"
check_eq "changes: one header FETCH" "$(grep -c ' C: .*HEADER.FIELDS' "$T/t-after")" 1
check "changes: no FETCH of every flag" test "$(grep -c ' C: a[0-9]* FETCH 1:\*' "$T/t-after")" -eq 0
rm -rf "$cache"
fresh=$(pt -H -f "$(url)" 2>"$T/err")
# (The first listing saw the new message as recent: N.)
check_eq "changes: the listing equals a cold one" "$(printf '%s\n' "$after" | cut -c3-)" \
	"$(printf '%s\n' "$fresh" | cut -c3-)"

# The mailx face lists without decoding recipients and References (they
# stay in the cache as sent); a reader that shows them, filled from that
# cache, gets them decoded.
cat >"$T/rcpt.eml" <<'EOM'
From: Sender <sender@example.org>
To: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <joerg@example.org>, plain@example.org
Cc: "Doe, Jane" <jane@example.org>
Subject: Recipients read by a full reader
Message-ID: <rcpt@example.org>
References: <a@example.org>
 <b@example.org>

body
EOM
deliver alice "$T/rcpt.eml"
rm -rf "$cache"
pt -d "$T/t-rc1" -H -f "$(url)" >/dev/null 2>"$T/err"
check "recipients: the listing asked for its three fields only" \
	grep -q ' C: .*BODY.PEEK\[HEADER.FIELDS (FROM SUBJECT DATE)\])' "$T/t-rc1"
check "recipients: the listing did not ask for To" \
	test "$(grep -c ' C: .*HEADER.FIELDS (.*TO' "$T/t-rc1")" -eq 0
# The listing's entries lack what this reader shows: it asks the server
# (for every message, each entry being a listing's) and puts them back whole.
out=$(drive -S "header_cache=$cache" -d "$T/t-rc2" "$(url)" open headers-full 2>&1)
check "recipients: a listing's entries are read again from the server" \
	grep -q ' C: .*HEADER.FIELDS (FROM TO CC' "$T/t-rc2"
check_contains "recipients: To decoded" "$out" \
	"to=Jörg Müller <joerg@example.org>, plain@example.org|"
check_contains "recipients: Cc decoded" "$out" '|cc="Doe, Jane" <jane@example.org>|'
check_contains "recipients: References as a list" "$out" "|refs=<a@example.org> <b@example.org>"
# That reader put the entries back whole: a second one, and a listing,
# read them from the cache.
out3=$(drive -S "header_cache=$cache" -d "$T/t-rc3" "$(url)" open headers-full 2>&1)
check "recipients: read from the cache the second time" \
	test "$(grep -c ' C: .*HEADER.FIELDS' "$T/t-rc3")" -eq 0
check_eq "recipients: the same the second time" \
	"$(printf '%s\n' "$out3" | grep '^rcpt')" "$(printf '%s\n' "$out" | grep '^rcpt')"
pt -d "$T/t-rc4" -H -f "$(url)" >/dev/null 2>"$T/err"
check "recipients: whole entries serve a listing" \
	test "$(grep -c ' C: .*HEADER.FIELDS' "$T/t-rc4")" -eq 0
rm -rf "$cache"
out2=$(drive -S "header_cache=$cache" "$(url)" open headers-full 2>&1)
check_eq "recipients: the same as read straight from the server" \
	"$(printf '%s\n' "$out" | grep '^rcpt')" "$(printf '%s\n' "$out2" | grep '^rcpt')"
rm -rf "$cache"
fresh=$(pt -H -f "$(url)" 2>"$T/err")

# A damaged file: garbage, then truncated, then LMDB data of another program.
db=$(ls "$cache"/imap-*/data.mdb)
head -c 65536 /dev/urandom >"$db"
out=$(pt -H -f "$(url)" 2>"$T/err")
check_eq "garbage: the listing is right" "$out" "$fresh"
check_contains "garbage: petrel says it starts the cache again" "$(cat "$T/err")" \
	"header cache"
out=$(pt -d "$T/t-rebuilt" -H -f "$(url)" 2>"$T/err")
check_eq "garbage: rebuilt (warm again)" "$(grep -c ' C: .*HEADER.FIELDS' "$T/t-rebuilt")" 0
truncate -s 100 "$db"
out=$(pt -H -f "$(url)" 2>"$T/err")
check_eq "truncated: the listing is right" "$out" "$fresh"
check_contains "truncated: said so" "$(cat "$T/err")" "damaged"
rm -f "$(dirname "$db")"/*.mdb
printf 'VERSION=3\nformat=bytevalue\ntype=btree\nHEADER=END\n 6b6579\n 76616c7565\nDATA=END\n' |
	mdb_load "$(dirname "$db")" || bail "mdb_load failed"
out=$(pt -d "$T/t-foreign" -H -f "$(url)" 2>"$T/err")
check_eq "foreign: the listing is right" "$out" "$fresh"
check "foreign: not trusted (headers fetched)" grep -q ' C: .*HEADER.FIELDS' "$T/t-foreign"

# A folder deleted and made again under the same name: new UIDVALIDITY,
# the same UIDs for other messages.
harness_doveadm mailbox create -u alice Box
for i in 1 2; do
	msg $((10 + i)) "Old box message $i"
	harness_doveadm save -u alice -m Box <"$T/msg$((10 + i)).eml"
done
pt -H -f "$(url alice Box)" >/dev/null 2>&1
pt -H -f "$(url alice Box)" >/dev/null 2>&1
harness_doveadm mailbox delete -u alice Box
harness_doveadm mailbox create -u alice Box
for i in 1 2; do
	msg $((20 + i)) "New box message $i"
	harness_doveadm save -u alice -m Box <"$T/msg$((20 + i)).eml"
done
out=$(pt -d "$T/t-uv" -H -f "$(url alice Box)" 2>"$T/err")
check_contains "new UIDVALIDITY: the new messages" "$out" "New box message 2"
check "new UIDVALIDITY: none of the old" test "$(printf '%s\n' "$out" | grep -c 'Old box')" -eq 0
check "new UIDVALIDITY: headers fetched again" grep -q 'UID FETCH 1:2 (UID FLAGS INTERNALDATE' "$T/t-uv"
out=$(pt -d "$T/t-uv2" -H -f "$(url alice Box)" 2>"$T/err")
check_contains "new UIDVALIDITY: then cached" "$out" "New box message 1"
check_eq "new UIDVALIDITY: then warm" "$(grep -c ' C: .*HEADER.FIELDS' "$T/t-uv2")" 0

# The same with the messages kept: doveadm gives the folder a new UIDVALIDITY.
harness_doveadm mailbox update -u alice --uid-validity 12345 Box
out=$(pt -d "$T/t-uv3" -H -f "$(url alice Box)" 2>"$T/err")
check_contains "UIDVALIDITY changed in place: listed" "$out" "New box message 1"
check "UIDVALIDITY changed in place: read again" grep -q ' C: .*HEADER.FIELDS' "$T/t-uv3"

finish
