#!/bin/sh
# Tags and flags in the notmuch store from command mode: the tag command,
# flags written to tags and maildir file names at quit, deletion, and
# flags another maildir client wrote read back into tags.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/notmuch-lib.sh"

notmuch_store
inbox='notmuch://?query=tag:inbox'
run() { printf '%s\n' "$@" | pt -N -f "$inbox" 2>&1; }

out=$(run 'tag +foo -inbox 1-2' 'exit')
check_eq "tag says nothing when it works" "$out" ""
check_eq "tags added are seen by notmuch" \
	"$(notmuch search --output=messages tag:foo | tr '\n' ,)" "id:lunch2@example.net,id:lunch1@example.org,"
check_eq "tags removed are gone, exit or not" "$(notmuch count tag:inbox)" 3
check_eq "the query folder follows" "$(pt -H -f "$inbox" | wc -l | tr -d ' ')" 3
out=$(run 'tag 1' 'exit')
check_contains "tag needs tags" "$out" "petrel: tag: name tags to add (+tag) or remove (-tag)"
out=$(run 'tag +x 9' 'exit')
check_contains "tag needs messages that exist" "$out" "petrel: 9: invalid message number"
out=$(run 'tag +a -b +c' 'exit')
check_eq "the current message (the first new one) is the default" \
	"$(notmuch search --output=messages tag:a and tag:c)" "id:notes@example.org"
out=$(run 'tag -unread 2' 'from 2' 'exit')
check_contains "a tag that is a flag shows at once" "$out" "O  2 alice@example.org"
case $(file_of notes@example.org) in
"$T"/mail/cur/*:2,S) ok=0 ;;
*) ok=1 ;;
esac
check "and is in the file name at once" test "$ok" -eq 0
run 'tag +unread 2' 'exit' >/dev/null
check_eq "+unread makes it unread again" "$(notmuch count tag:unread and id:notes@example.org)" 1

# Reading marks a message read at quit, in tags and in its file name.
run 'type 3' 'exit' >/dev/null
check_eq "exit writes no flags" "$(notmuch count tag:unread and id:weekend@example.org)" 1
run 'type 3' 'quit' >/dev/null
check_eq "quit after type writes \\Seen as -unread" \
	"$(notmuch count tag:unread and id:weekend@example.org)" 0
case $(file_of weekend@example.org) in
"$T"/mail/cur/*:2,S) ok=0 ;;
*) ok=1 ;;
esac
check "and renames the file from new/ to cur/ with S" test "$ok" -eq 0
check_eq "messages never read or tagged keep their files in new/" \
	"$(ls "$T/mail/new" | wc -l | tr -d ' ')" 2

# Deleting tags deleted; search.exclude_tags hides it, the file stays.
run 'delete 1' 'quit' >/dev/null
check_eq "delete and quit tags the message deleted" \
	"$(notmuch search --exclude=false --output=messages tag:deleted)" "id:report@example.com"
check_eq "it leaves the query folder" "$(pt -H -f "$inbox" | wc -l | tr -d ' ')" 2
check "its file is still there" test -f "$(notmuch search --exclude=false --output=files id:report@example.com)"

# A flag another maildir client put in a file name comes back as a tag.
f=$(file_of weekend@example.org)
mv "$f" "${f%:2,S}:2,FS"
out=$(pt -H -f "$inbox" | grep Weekend | cut -c 1-3)
check_eq "a renamed file is found" "$out" " O "
check_eq "its F flag becomes the flagged tag" "$(notmuch count tag:flagged)" 1
check_eq "and the database has its new name" "$(file_of weekend@example.org)" "${f%:2,S}:2,FS"
finish
