#!/bin/sh
# IMAP folders and messages through the mailx face and core: folders,
# mkfolder, mvfolder, rmfolder, file +name, copy and save within the
# account (server-side COPY), to a local file and from a local folder
# (APPEND), delete and quit (UID EXPUNGE), MOVE and server-side SEARCH.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

for i in 1 2 3 4; do
	msg $i "Message number $i"
	deliver alice "$T/msg$i.eml"
done
root=$(url alice "")
cmds() {
	printf '%s\n' "$@" | pt -N -S "folder=$root" -f "$(url)" 2>"$T/err"
}

out=$(cmds "mkfolder +Archive +Lists/petrel" "folders")
check_eq "mkfolder: nothing on stderr" "$(cat "$T/err")" ""
check_eq "folders: the new ones listed, '/' between levels" "$out" "Archive
INBOX
Lists
Lists/petrel"
check_contains "the server has them, in its own hierarchy" \
	"$(harness_doveadm mailbox list -u alice)" "Lists.petrel"

out=$(pt -d "$T/t-copy" -N -S "folder=$root" -f "$(url)" 2>"$T/err" <<EOF
copy 1 +Archive
copy 2 +Lists/petrel
EOF
)
check_eq "copy within the account: nothing on stderr" "$(cat "$T/err")" ""
check_contains "copy: reported without the password" "$out" \
	"\"imaps://alice@$HARNESS_HOST:$HARNESS_IMAPS_PORT/Archive\" [Appended]"
check "copy: the server copies (UID COPY)" grep -q ' C: a[0-9]* UID COPY 1 Archive$' "$T/t-copy"
check "copy: no message travels (no APPEND)" test "$(grep -c ' APPEND ' "$T/t-copy")" -eq 0
check_eq "copy: Archive has it" "$(status alice Archive)" "messages=1 unseen=1"
check_eq "copy: Lists/petrel has one" "$(status alice Lists.petrel)" "messages=1 unseen=1"
check_eq "copy: INBOX keeps all" "$(status alice INBOX)" "messages=4 unseen=4"

# save marks the original for deletion at quit (POSIX); delete too.
out=$(pt -d "$T/t-quit" -N -S "folder=$root" -f "$(url)" 2>"$T/err" <<EOF
save 3 +Archive
delete 4
quit
EOF
)
check_eq "save, delete, quit: nothing on stderr" "$(cat "$T/err")" ""
check_eq "save: Archive has two" "$(status alice Archive)" "messages=2 unseen=2"
check_eq "quit: INBOX lost the saved and the deleted" "$(status alice INBOX)" \
	"messages=2 unseen=2"
check "quit: expunged by UID" grep -q ' C: a[0-9]* UID EXPUNGE 3:4$' "$T/t-quit"
check "quit: flags stored by UID" grep -q 'UID STORE 3:4 .*+FLAGS.SILENT (\\Deleted)' "$T/t-quit"

out=$(cmds "file +Archive" "from *")
check_contains "file +Archive: its messages" "$out" "Message number 3"
check_contains "file +Archive: the header line, without the password" "$out" \
	"\"imaps://alice@$HARNESS_HOST:$HARNESS_IMAPS_PORT/Archive\": 2 messages"

out=$(cmds "copy 1 $T/local.mbox")
check "save to a file: written" grep -q '^Subject: Message number 1$' "$T/local.mbox"
check "save to a file: an mbox" grep -q '^From ' "$T/local.mbox"

# From a local folder to IMAP: APPEND, created when missing.
out=$(printf 'copy 1 %s\n' "$(url alice Imported)" |
	pt -d "$T/t-append" -N -f "$T/local.mbox" 2>"$T/err")
check_eq "local to IMAP: nothing on stderr" "$(cat "$T/err")" ""
check "local to IMAP: APPEND" grep -q ' C: a[0-9]* APPEND Imported ' "$T/t-append"
check_eq "local to IMAP: the folder was created with it" "$(status alice Imported)" \
	"messages=1 unseen=1"

out=$(cmds "mvfolder +Archive +Old" "folders")
check_eq "mvfolder: nothing on stderr" "$(cat "$T/err")" ""
check_contains "mvfolder: the new name listed" "$out" "Old"
check "mvfolder: the old name gone" test "$(printf '%s\n' "$out" | grep -c '^Archive$')" -eq 0
check_eq "mvfolder: the messages went along" "$(status alice Old)" "messages=2 unseen=2"

out=$(cmds "rmfolder +Old +Imported" "folders")
check_eq "rmfolder: nothing on stderr" "$(cat "$T/err")" ""
check "rmfolder: gone from the server" test \
	"$(harness_doveadm mailbox list -u alice | grep -c '^Old$\|^Imported$')" -eq 0
out=$(cmds "rmfolder +INBOX")
check_contains "rmfolder INBOX: refused" "$(cat "$T/err")" "INBOX cannot be removed"
out=$(cmds "mkfolder +Twice" "mkfolder +Twice")
check_contains "mkfolder of an existing folder: the server's no" "$(cat "$T/err")" \
	"mkfolder: imaps://alice@$HARNESS_HOST:$HARNESS_IMAPS_PORT/Twice: "

# Names beyond ASCII go as modified UTF-7 (RFC 3501) and come back UTF-8;
# LIST-STATUS counts come with the list.
out=$(cmds "mkfolder +Grüße/Köln" "folders")
check_eq "UTF-8 name: nothing on stderr" "$(cat "$T/err")" ""
check_contains "UTF-8 name: listed as typed" "$out" "Grüße/Köln"
check_contains "UTF-8 name: modified UTF-7 on the server" \
	"$(ls -a "$(harness_maildir alice)")" ".Gr&APwA3w-e.K&APY-ln"
out=$(drive "$(url)" "folders:$root" 2>&1)
check_contains "LIST-STATUS: counts with the list" "$out" "folder INBOX ---- 2 "
check_contains "LIST: a name holding others, marked so" "$out" "folder Lists NC--"

# MOVE and SEARCH, through core.
out=$(drive "$(url)" open "search:SUBJECT \"number 2\"" "search:NOT SEEN" \
	"search:SUBJECT \"Grüße\"" 2>&1)
check_contains "search: one match" "$out" "found 2
found 1 2
found"
out=$(pt -H -f "$(url)?search=SUBJECT%20%22number%202%22" 2>"$T/err")
check_eq "search folder: nothing on stderr" "$(cat "$T/err")" ""
check_eq "search folder: only the match" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1
check_contains "search folder: numbered from 1" "$out" "  1 sender2@example.org "
check_contains "search folder: the match" "$out" "Message number 2"
out=$(printf 'type 1\n' | pt -N -f "$(url)?search=SUBJECT%20%22number%202%22" 2>"$T/err")
check_contains "search folder: type 1 is the match" "$out" "Body of message 2."
out=$(drive -d "$T/t-move" "$(url)" open "move:1:$(url alice Lists/petrel)" headers 2>&1)
check "move: UID MOVE" grep -q ' C: a[0-9]* UID MOVE 1 Lists.petrel$' "$T/t-move"
check_contains "move: the original shows deleted until expunged" "$out" "sum 0 1 -D-- "
# (2 was read in the search folder above.)
check_eq "move: INBOX has one left" "$(status alice INBOX)" "messages=1 unseen=0"
check_eq "move: Lists/petrel has two" "$(status alice Lists.petrel)" "messages=2 unseen=2"

finish
