#!/bin/sh
# petrel --fetch against the harness's Dovecot: keep mode (twice: the
# second run downloads nothing), delete mode, pop3_keep_days, pop3s and
# STLS, an account of the config, --delete, a lost state file, and a
# wrong password.
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
