#!/bin/sh
# The notmuch store from the command line: --init-store, saving into the
# store, query folders with -H, named queries and notmuch_db.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/notmuch-lib.sh"

out=$(pt --init-store 2>&1)
check_eq "--init-store creates the store and says where" "$out" "Created a notmuch database in $T/mail
New mail goes to the maildir $T/mail
Settings come from the notmuch configuration $NOTMUCH_CONFIG"
check "the database is there" test -d "$T/mail/.notmuch/xapian"
check "and the maildir" test -d "$T/mail/cur" -a -d "$T/mail/new" -a -d "$T/mail/tmp"
check_eq "notmuch reads the new database" "$(notmuch count '*')" 0
out=$(pt --init-store 2>&1)
check_contains "--init-store again finds it" "$out" "A notmuch database is already in $T/mail"
out=$(pt --init-store -f x 2>&1)
check_contains "--init-store takes no folder" "$out" "petrel: --init-store takes no"

# Saving from an mbox delivers into the maildir and indexes at once.
cp "$data/basic.mbox" box
out=$(printf 'save 1-5 notmuch://\nexit\n' | pt -N -f box 2>&1)
check_eq "save into the store succeeds quietly" "$out" '"notmuch://" [Appended] 12/1132'
check_eq "notmuch finds every saved message" "$(notmuch count '*')" 5
check_eq "new.tags are applied" "$(notmuch search --output=tags '*' | tr '\n' ,)" "inbox,unread,"
check_eq "a read message is saved read" "$(notmuch search --output=messages not tag:unread)" \
	"id:report@example.com"
case $(file_of report@example.com) in
"$T"/mail/cur/*:2,S) ok=0 ;;
*) ok=1 ;;
esac
check "its file carries the S flag in cur/" test "$ok" -eq 0
check_eq "unread ones wait in new/" "$(ls "$T/mail/new" | wc -l | tr -d ' ')" 4
check_eq "nothing is left in tmp/" "$(ls "$T/mail/tmp" | wc -l | tr -d ' ')" 0
cmp -s box "$data/basic.mbox"
check "exit leaves the mbox as it was" test $? -eq 0

# Query folders.  Their listing comes from the database, which keeps no
# line counts: shown blank, as for POP3.
out=$(pt -H -f 'notmuch://?query=tag:inbox')
check_eq "-H lists a query folder oldest first" "$out" \
">N  1 alice@example.org     Mon Jan  6 09:15     /238    Lunch?
 N  2 bob@example.net       Mon Jan  6 11:30     /337    Re: Lunch?
 O  3 carol@example.com     Tue Jan  7 10:00     /197    Quarterly réport
 N  4 alice@example.org     Wed Jan  8 14:45     /181    Meeting notes
 N  5 dave@example.org      Thu Jan  9 08:00     /179    Weekend plans"
out=$(pt -H -f "notmuch://$T/mail?query=from%3Aalice%20and%20subject%3Anotes")
check_eq "a query with the database named" "$out" \
">N  1 alice@example.org     Wed Jan  8 14:45     /181    Meeting notes"
out=$(pt -H -f 'notmuch://?query=tag:nosuchtag' 2>&1)
check_eq "an empty query folder lists nothing" "$out" ""
out=$(pt -H -f 'notmuch:///nonexistent/db?query=*' 2>&1)
check_eq "a database that is not there is an error" "$out" \
	"petrel: there is no notmuch database in /nonexistent/db (petrel --init-store creates one)"
out=$(printf 'type 3\nexit\n' | pt -N -f 'notmuch://?query=tag:inbox' 2>&1)
check_contains "type reads a message of the store" "$out" "Subject: Quarterly réport"

# Named queries, as folders and as +name under folder=notmuch://.
mkdir -p "$XDG_CONFIG_HOME/petrel"
cat >"$XDG_CONFIG_HOME/petrel/config" <<'EOF2'
query lunch subject:Lunch
virtual_mailboxes alice "from:alice" inbox "notmuch://?query=tag:inbox and tag:unread"
EOF2
out=$(pt -H -f notmuch://lunch)
check_eq "a named query from query" "$out" \
">N  1 alice@example.org     Mon Jan  6 09:15     /238    Lunch?
 N  2 bob@example.net       Mon Jan  6 11:30     /337    Re: Lunch?"
out=$(pt -H -f notmuch://inbox | wc -l | tr -d ' ')
check_eq "a named query from virtual_mailboxes, written as a URL" "$out" 4
out=$(pt -S folder=notmuch:// -H -f +alice | cut -c 29-)
check_eq "+name when folder is notmuch://" "$out" "Mon Jan  6 09:15     /238    Lunch?
Wed Jan  8 14:45     /181    Meeting notes"
out=$(printf 'folders\nexit\n' | pt -S folder=notmuch:// -N -f notmuch://lunch 2>&1)
check_eq "folders lists the named queries" "$(printf '%s\n' "$out" | tr '\n' ,)" "alice,inbox,lunch,"
out=$(pt -H -f notmuch://nope 2>&1)
check_eq "an unknown name is an error" "$out" \
	'petrel: notmuch://nope: no query named nope (define one with "query nope QUERY" in the config)'
pt -H -f notmuch://nope >/dev/null 2>&1
check "and the exit status says so" test $? -eq 1

# notmuch_db points at another store.
out=$(pt -S notmuch_db="$T/other" --init-store 2>&1)
check_eq "notmuch_db overrides the database path" "$out" "Created a notmuch database in $T/other
New mail goes to the maildir $T/other
Settings come from the notmuch configuration $NOTMUCH_CONFIG"
printf 'save 4 notmuch://\nexit\n' | pt -S notmuch_db="$T/other" -N -f box >/dev/null 2>&1
out=$(pt -S notmuch_db="$T/other" -H -f 'notmuch://?query=*' | cut -c 29-)
check_eq "folders and delivery follow it" "$out" "Wed Jan  8 14:45     /181    Meeting notes"
check_eq "the configured store is untouched" "$(notmuch count '*')" 5

# Plain maildirs under the store stay maildir folders.
out=$(pt -H -f "$T/mail" | wc -l | tr -d ' ')
check_eq "the mail root opens as a maildir" "$out" 5
finish
