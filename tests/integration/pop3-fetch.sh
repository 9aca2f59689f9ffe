#!/bin/sh
# petrel --fetch against the harness's Dovecot: keep mode (twice: the
# second run downloads nothing), delete mode, pop3_keep_days, pop3s and
# STLS, an account of the config, --delete, a lost state file, --to a
# plain maildir (keep mode twice, delete mode, not a maildir), APOP, and
# wrong passwords.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/pop3-lib.sh"

state="$XDG_STATE_HOME/petrel/pop3/alice@$H:$HARNESS_POP3_PORT.uidl"

# ---- keep mode ----
fill alice 1 5
out=$(pt --fetch "$(url alice)" 2>"$T/err")
rc=$?
check_eq "keep mode: exit status 0" "$rc" 0
check_eq "keep mode: says what it did" "$out" "5 new messages from alice@$H:$HARNESS_POP3_PORT"
check_contains "keep mode: the store was created, and said so" "$(cat "$T/err")" \
	"created a new notmuch database in $T/mail"
check_eq "keep mode: five messages in the store" "$(store_count)" 5
check_eq "keep mode: the server keeps them" "$(server_count alice)" 5
check "keep mode: the store's copies are byte for byte the messages" identical 1 5
check_eq "keep mode: they are new mail (inbox, unread)" "$(store_count 'tag:inbox and tag:unread')" 5
check_eq "keep mode: the state file lists five unique-ids" "$(grep -c '^F ' "$state")" 5

out=$(pt -d "$T/trace2" --fetch "$(url alice)" 2>&1)
rc=$?
check_eq "keep mode again: exit status 0, nothing said" "$rc:$out" "0:"
check "keep mode again: no RETR at all" sh -c "! grep -q 'C: RETR' '$T/trace2'"
check_eq "keep mode again: still five in the store" "$(store_count)" 5

fill alice 6 7
pt --fetch "$(url alice)" >/dev/null 2>&1
check_eq "keep mode, two new on the server: seven in the store" "$(store_count)" 7
check "keep mode: the new ones are identical too" identical 6 7

# The state file lost: the store knows them, nothing is stored twice.
rm -f "$state"
pt -d "$T/trace3" --fetch "$(url alice)" >/dev/null 2>&1
check "state lost: no RETR (found in the store by key)" sh -c "! grep -q 'C: RETR' '$T/trace3'"
check_eq "state lost: seven in the store" "$(store_count)" 7
check_eq "state lost: the state file is written again" "$(grep -c '^F ' "$state")" 7

# ---- pop3_keep_days ----
# Pretend the first five were stored ten days ago.
old=$(($(date +%s) - 10 * 86400))
for i in 1 2 3 4 5; do
	uid=$(sed -n "$((i + 1))s/^F [0-9]* //p" "$state")
	sed -i "s/^F [0-9]* $uid\$/F $old $uid/" "$state"
done
pt -S pop3_keep_days=5 --fetch "$(url alice)" >/dev/null 2>&1
check_eq "keep_days=5: the five stored ten days ago are deleted" "$(server_count alice)" 2
check_eq "keep_days=5: the store still has all seven" "$(store_count)" 7
check_eq "keep_days=5: the state keeps the two" "$(grep -c '^F ' "$state")" 2
pt -S pop3_keep_days=5 --fetch "$(url alice)" >/dev/null 2>&1
check_eq "keep_days=5: the recent two stay" "$(server_count alice)" 2

# ---- delete mode, pop3s, an account, --delete ----
fill bob 101 110
cat >>"$XDG_CONFIG_HOME/petrel/config" <<EOF
account work {
	set pop3_url=pop3s://bob@$H:$HARNESS_POP3S_PORT/
	set pop3_pass=$HARNESS_PASS2
	set pop3_delete=yes
}
EOF
out=$(pt --fetch work 2>&1)
rc=$?
check_eq "delete mode (account, pop3s): exit status 0" "$rc" 0
check_eq "delete mode: says what it did" "$out" \
	"10 new messages from bob@$H:$HARNESS_POP3S_PORT; 10 deleted on the server"
check_eq "delete mode: the server is empty" "$(server_count bob)" 0
check_eq "delete mode: seventeen in the store" "$(store_count)" 17
check "delete mode: the copies are identical" identical 101 110

fill carol 201 203
out=$(pt --fetch "$(url carol)" --delete 2>&1)
check_eq "--delete: the server is empty" "$(server_count carol)" 0
check "--delete: stored, identical" identical 201 203

# Each Message-ID once in the store.
check_eq "no message stored twice" "$(store_ids | awk '$1 != 1' | wc -l | tr -d ' ')" 0

# ---- --to: a plain maildir, without notmuch ----
# True when the maildir $1 holds messages $2..$3 byte for byte, once each.
md_identical() {
	_i=$2
	while [ "$_i" -le "$3" ]; do
		_f=$(grep -l -r "^Message-ID: <pop3-$_i@example.org>" "$1/new" "$1/cur")
		[ "$(printf '%s\n' "$_f" | wc -l)" -eq 1 ] && cmp -s "$_f" "$T/msgs/$_i.eml" ||
			return 1
		_i=$((_i + 1))
	done
	return 0
}
md_count() {
	find "$1/new" "$1/cur" -type f | wc -l | tr -d ' '
}
before=$(store_count)
fill bob 301 304
out=$(pt --fetch "$(url bob)" --to "$T/md" 2>&1)
rc=$?
check_eq "--to: exit status 0, says what it did" "$rc:$out" \
	"0:4 new messages from bob@$H:$HARNESS_POP3_PORT"
check_eq "--to: four files in the maildir's new/" "$(find "$T/md/new" -type f | wc -l | tr -d ' ')" 4
check "--to: each byte for byte the message" md_identical "$T/md" 301 304
check_eq "--to: tmp/ is left empty" "$(find "$T/md/tmp" -type f | wc -l | tr -d ' ')" 0
check_eq "--to: the notmuch store is untouched" "$(store_count)" "$before"
check_eq "--to, keep mode: the server keeps them" "$(server_count bob)" 4
out=$(pt -d "$T/trace-to" --fetch "$(url bob)" --to "$T/md" 2>&1)
check_eq "--to again: exit status 0, nothing said" "$?:$out" "0:"
check "--to again: no RETR at all" sh -c "! grep -q 'C: RETR' '$T/trace-to'"
check_eq "--to again: still four" "$(md_count "$T/md")" 4
# A mail reader moved one to cur/ with flags; the state file is lost:
# the maildir itself answers, nothing is fetched twice.
f=$(find "$T/md/new" -type f | head -1)
mv "$f" "$T/md/cur/$(basename "$f"):2,S"
rm -f "$XDG_STATE_HOME/petrel/pop3/bob@$H:$HARNESS_POP3_PORT.uidl"
pt -d "$T/trace-to2" --fetch "$(url bob)" --to "$T/md" >/dev/null 2>&1
check "--to, state lost, one read into cur/: no RETR" sh -c "! grep -q 'C: RETR' '$T/trace-to2'"
check_eq "--to, state lost: still four" "$(md_count "$T/md")" 4
fill bob 305 305
out=$(pt --fetch "$(url bob)" --to "$T/md" --delete 2>&1)
check_eq "--to --delete: the new one fetched, all five deleted" "$out" \
	"1 new message from bob@$H:$HARNESS_POP3_PORT; 5 deleted on the server"
check_eq "--to --delete: the server is empty" "$(server_count bob)" 0
check "--to --delete: the maildir has the five, identical" md_identical "$T/md" 301 305
# Delete mode into a new maildir named +name (under the folder variable).
fill carol 401 403
out=$(pt -S "folder=$T/folders" --fetch "$(url carol)" --delete --to +popped 2>&1)
check_eq "--to +name --delete: exit status 0" "$?" 0
check_eq "--to +name: the maildir was made under folder" "$(md_count "$T/folders/popped")" 3
check "--to +name: identical" md_identical "$T/folders/popped" 401 403
check_eq "--to +name --delete: the server is empty" "$(server_count carol)" 0
check_eq "--to: still nothing new in the notmuch store" "$(store_count)" "$before"
# Not a maildir: an mbox file, a directory of other files.
fill carol 404 404
printf 'From x Mon Jan  6 09:00:00 2025\n\nhi\n' >"$T/an-mbox"
out=$(pt --fetch "$(url carol)" --to "$T/an-mbox" 2>&1)
check_eq "--to an mbox: exit status 1, one line" \
	"$?:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "1:1"
check_contains "--to an mbox: says it takes a maildir" "$out" "--to takes a maildir"
mkdir -p "$T/notes" && : >"$T/notes/todo"
out=$(pt --fetch "$(url carol)" --to "$T/notes" 2>&1)
check_contains "--to a directory of other files: refused" "$out" "not a maildir"
check "--to refused: no cur/ made there" test ! -e "$T/notes/cur"
check_eq "--to refused: the server keeps the message" "$(server_count carol)" 1
out=$(pt --to "$T/md" 2>&1)
check_contains "--to without --fetch: a usage error" "$out" "--to goes with --fetch"

# ---- APOP (the harness's Dovecot offers it) ----
out=$(pt -S pop3_auth_mechanisms=APOP -d "$T/trace-apop" --fetch "$(url carol)" --to "$T/md" 2>&1)
check_eq "APOP: fetched" "$?:$out" "0:1 new message from carol@$H:$HARNESS_POP3_PORT"
check "APOP: logged in with APOP" grep -q "C: APOP carol" "$T/trace-apop"
out=$(pt -S pop3_auth_mechanisms=APOP --fetch "pop3://carol:wrong@$H:$HARNESS_POP3_PORT/" 2>&1)
check_eq "APOP, wrong password: exit status 1" "$?" 1
check_contains "APOP, wrong password: one sentence naming APOP" "$out" \
	"petrel: $H:$HARNESS_POP3_PORT: authentication as carol failed (APOP)"

# ---- the server's answers ----
out=$(pt --fetch "pop3://alice:wrong-password@$H:$HARNESS_POP3_PORT/" 2>&1)
rc=$?
check_eq "wrong password: exit status 1" "$rc" 1
check_eq "wrong password: one line" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
check_contains "wrong password: names the server" "$out" \
	"petrel: $H:$HARNESS_POP3_PORT: authentication as alice failed (SCRAM-SHA-256)"
out=$(pt --fetch nosuch 2>&1)
check_eq "an unknown account: exit 1, one line" "$?:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "1:1"
out=$(pt --fetch "imap://alice@$H/" 2>&1)
check_contains "an IMAP URL: refused" "$out" "--fetch takes pop3:// or pop3s://"
out=$(pt --fetch 2>&1)
check_eq "--fetch without an argument: exit 1" "$?" 1

finish
