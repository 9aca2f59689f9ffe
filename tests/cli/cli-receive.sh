#!/bin/sh
# Receive mode: -e, -H, -f, -u, the system mailbox, unsupported URLs,
# --version and --help.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

cp "$data/basic.mbox" box

# -H prints the header summary, exactly, and changes nothing.
want=">N  1 alice@example.org     Mon Jan  6 09:15    2/238    Lunch?
 U  2 bob@example.net       Mon Jan  6 11:30    7/337    Re: Lunch?
 O  3 carol@example.com     Tue Jan  7 10:00    1/197    Quarterly réport
 N  4 alice@example.org     Wed Jan  8 14:45    1/181    Meeting notes
 U  5 dave@example.org      Thu Jan  9 08:00    1/179    Weekend plans"
check_eq "-H -f prints the header summary" "$(pt -H -f box)" "$want"
check "-H leaves the folder unchanged" cmp -s box "$data/basic.mbox"
check_eq "-H is cut to COLUMNS" "$(COLUMNS=40 pt -H -f box | head -1)" \
	">N  1 alice@example.org     Mon Jan  6 0"
check_eq "-H with showname shows display names" \
	"$(pt -S showname -H -f box | head -1)" \
	">N  1 Alice Example         Mon Jan  6 09:15    2/238    Lunch?"

# The system mailbox is $MAIL.
check "-e without mail exits 1" sh -c '! "$PETREL" -n -e'
check_eq "-e without mail prints nothing" "$(pt -e 2>&1)" ""
cp box "$MAIL"
check "-e with mail exits 0" pt -e
check_eq "-e with mail prints nothing" "$(pt -e 2>&1)" ""
: > "$T/empty"
check "-e -f on an empty folder exits 1" sh -c '! "$PETREL" -n -e -f "$T/empty"'
check_eq "-H reads \$MAIL by default" "$(pt -H | wc -l | tr -d ' ')" 5
check_eq "-u reads another user's spool" \
	"$(pt -u nosuchuser -H 2>&1; echo "rc=$?")" \
	"petrel: no mail for nosuchuser
rc=1"
rm -f "$MAIL"
check_eq "no system mailbox: one line, status 1" "$(pt -H 2>&1; echo "rc=$?")" \
	"petrel: no mail for tester
rc=1"

# -f without a name reads the mbox file.
cp "$data/basic.mbox" "$HOME/mbox"
check_eq "-f alone reads ~/mbox" "$(pt -H -f | wc -l | tr -d ' ')" 5
check_eq "-f +name reads under folder" \
	"$(mkdir -p "$HOME/Mail" && cp box "$HOME/Mail/saved" && pt -H -f +saved | wc -l | tr -d ' ')" 5
check_eq "-f with a missing file fails with one line" \
	"$(pt -H -f "$T/missing" 2>&1 | wc -l | tr -d ' '); $(pt -H -f "$T/missing" >/dev/null 2>&1; echo $?)" \
	"1; 1"

# Backends this build lacks say so, in one line, with status 1.
for url in imap://user@127.0.0.1/INBOX pop3://user@127.0.0.1/; do
	out=$(pt -H -f "$url" 2>&1)
	rc=$?
	check "$url: exit status 1" test "$rc" -eq 1
	check "$url: one line" test "$(printf '%s\n' "$out" | wc -l)" -eq 1
	check_contains "$url: says it is not supported" "$out" "petrel: "
done

# A notmuch folder without a database says so in one line.
out=$(pt -H -f "notmuch://$T/nodb?query=tag:inbox" 2>&1)
rc=$?
check "notmuch folder without a database: exit status 1" test "$rc" -eq 1
check "notmuch folder without a database: one line" test "$(printf '%s\n' "$out" | wc -l)" -eq 1

# A maildir reads the same way.
make_maildir md
want=">N  1 alice@example.org     Mon Jan  6 09:15    1/176    Maildir one
 N  2 bob@example.net       Tue Jan  7 09:15    1/173    Maildir two
 O  3 carol@example.com     Wed Jan  8 09:15    1/176    Maildir three
 U  4 dave@example.org      Thu Jan  9 09:15    1/180    Maildir four"
check_eq "-H on a maildir" "$(pt -H -f md)" "$want"

# -d writes a trace file.
pt -d "$T/trace" -H -f box >/dev/null
check "-d writes a trace" test -s "$T/trace"
check_contains "the trace names the jobs" "$(cat "$T/trace")" "open folder"
printf 'set debug_file=%s\nexit\n' "$T/trace2" | pt -N -f box
check "set debug_file starts a trace" test -s "$T/trace2"

# Options.
check_contains "--version names petrel" "$("$PETREL" --version)" "petrel "
check_contains "--version lists features" "$("$PETREL" --version)" "+mbox +maildir"
check_contains "--version lists library versions" "$("$PETREL" --version)" "GMime"
check_contains "--help shows the usage" "$("$PETREL" --help)" "usage: petrel"
check_eq "an unknown option: one line, status 1" "$("$PETREL" -Q 2>&1; echo "rc=$?")" \
	"petrel: unknown option -Q (petrel --help lists them)
rc=1"
check_eq "a missing option argument" "$("$PETREL" -s 2>&1; echo "rc=$?")" \
	"petrel: option -s needs an argument
rc=1"

# Without a terminal, petrel reads the system mailbox in command mode.
cp "$data/basic.mbox" "$MAIL"
check_contains "no options, no terminal: command mode on \$MAIL" \
	"$(echo 'from 2' | "$PETREL" -n 2>&1)" " U  2 bob@example.net"
finish
