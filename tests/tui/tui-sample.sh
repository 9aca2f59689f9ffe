#!/bin/sh
# The README's quick start: contrib/make-sample-store.sh makes a maildir
# indexed by notmuch with a petrelrc, and the command it prints opens the
# TUI on it: threads, the pager, a notmuch search as a folder, a limit,
# and a reply kept in the record folder.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/tui/lib.sh"

if ! command -v notmuch >/dev/null || ! "$PETREL" --version | grep -q '^features:.* +notmuch'; then
	echo "1..0 # SKIP the sample store needs notmuch and a petrel built with it"
	exit 0
fi

# libnotmuch's known leak when petrel --init-store looks for a database
# still to be made (see the file); full unwinding lets the suppression
# see libnotmuch's frames.
LSAN_OPTIONS="suppressions=$top_srcdir/tests/cli/notmuch-lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

S="$T/petrel-sample"
out=$(cd "$T" && PETREL="$PETREL" sh "$top_srcdir/contrib/make-sample-store.sh" "$S" 2>&1)
check "the script makes the store" test $? -eq 0
check_contains "it says the store is indexed" "$out" "35 messages in $S (notmuch index: yes)"
check_eq "it prints the command that opens it" "$(printf '%s\n' "$out" | tail -n 1)" \
	"  NOTMUCH_CONFIG='$S/notmuch-config' ./petrel -n --config '$S/petrelrc'"
check "the maildir holds the messages" test "$(find "$S/cur" "$S/new" -type f | wc -l)" -eq 35
check "petrel --init-store made the notmuch database" sh -c \
	'test -d "$1/.notmuch/xapian" && ! printf "%s\n" "$2" | grep -q "init-store failed"' - "$S" "$out"
NOTMUCH_CONFIG="$S/notmuch-config"
export NOTMUCH_CONFIG
check_eq "notmuch indexed every message" "$(notmuch count '*')" 35
check_eq "only the messages in new/ are unread" "$(notmuch count tag:unread)" 11
check_eq "maildir flags became tags" "$(notmuch count tag:flagged)" 3
check_eq "the files beside the maildir are not indexed" \
	"$(notmuch search --output=files '*' | grep -c -v -e '/cur/' -e '/new/')" 0

# Made again over itself, and never over something else.
check "the script makes a sample store again" sh -c \
	'cd "$1" && PETREL="$2" sh "$3/contrib/make-sample-store.sh" "$4" >/dev/null 2>&1' \
	- "$T" "$PETREL" "$top_srcdir" "$S"
check_eq "still 35 messages" "$(notmuch count '*')" 35
mkdir -p "$T/other"
: > "$T/other/keep"
check "it refuses a directory that is not a sample store" sh -c \
	'! sh "$1/contrib/make-sample-store.sh" "$2" 2>/dev/null' - "$top_srcdir" "$T/other"
check "and leaves it alone" test -f "$T/other/keep"

# rows_from NAME N: the index shows N rows from NAME.
rows_from() {
	[ "$(screen | sed -n "2,22p" | grep -c "$1")" -eq "$2" ]
}

cat > "$T/editor" <<'EOS'
#!/bin/sh
echo "Sounds good to me." >> "$1"
EOS
chmod +x "$T/editor"

# As the README says, with the environment the test's tmux server passes
# on (NOTMUCH_CONFIG above).
TUI_EDITOR="$T/editor" tui_start --config "$S/petrelrc"
check "the sample store opens" wait_for "[Msgs:35 New:11 Flag:3] (threads)"
check "threads are drawn" wait_line 3 "Jan 05 To Ann Lindqvis (   6) ├─>"
check "with the thread's subject on its first row" wait_line 2 "Release plan for 0.2"
check "the list thread is there" wait_for "[petrel-dev] Keymaps: vim bindings"

keys 6 Enter Enter
check "Enter opens the message" wait_for "Shall we book the cabin for the second weekend of March?"
check "the pager shows its headers" wait_for "Subject: Trip to the coast in March"
keys q
check "q returns to the index" wait_for "q:Quit  d:Del"

keys l "~s budget" Enter
check "a limit searches the list" wait_for "(threads) Limit: ~s bu"
check "and shows the two matching rows" wait_until rows_from "Jan 12" 2
check "and no other" sh -c '! tmux -L "$1" capture-pane -t t -p | grep -q "Release plan"' - "$sock"
keys l C-u "~A" Enter
check "~A shows every message again" wait_for "Release plan for 0.2"

# The notmuch searches of the petrelrc are folders.
keys y
check "y lists the notmuch searches" wait_for "Folders in notmuch:// [4]"
check "by their names" sh -c 'tmux -L "$1" capture-pane -t t -p | grep -q "^ *3 petrel-dev"' - "$sock"
keys q
check "q leaves the folder list" wait_for "[Msgs:35"
keys c "+bob" Enter
check "c +bob opens a notmuch search" wait_for "notmuch://bob [Msgs:$(notmuch count from:bob@example.net)"
check "its rows are Bob's" wait_until rows_from "Bob Okafor" "$(notmuch count from:bob@example.net)"
keys c "+flagged" Enter
check "c +flagged opens the flagged search" wait_for "notmuch://flagged [Msgs:3 Flag:3]"
check "its first row" wait_line 2 "Trip to the coast in March"
check "its second row" wait_line 3 "Dentist on Thursday"
check "its third row" wait_line 4 "Invoice 2026-014"

# A reply from the notmuch folder, kept in the record mbox.
keys 1 Enter r
check "r asks whether to quote" wait_for "Include the message in the reply? ([yes]/no)"
keys Enter
check "the compose screen shows the reply" wait_for "Subject: Re: Trip to the coast in March"
check "to the sender" wait_for "To: Bob Okafor <bob@example.net>"
check "with Fcc to the record folder" wait_for "Fcc: $S/sent"
keys y
check "y sends it" wait_for "Mail sent."
check "the original is marked replied" wait_line 2 "!r Jan 08 Bob Okafor"
keys c "$S/sent" Enter
check "the record folder opens" wait_for "[Msgs:1]"
check "it holds the reply" wait_line 2 "Re: Trip to the coast in March"
keys Enter
check "with the editor's line" wait_for "Sounds good to me."
check "and the quoted original" wait_for "> Shall we book the cabin for the second weekend of March?"

# Mail indexed by notmuch while a search is open shows without a key.
keys q c "+flagged" Enter
check "the flagged search again" wait_for "notmuch://flagged [Msgs:3 Flag:3]"
cat > "$S/cur/1767400000.late.sample:2,FS" <<'EOM'
From: Dana <dana@example.org>
To: You <you@example.org>
Subject: Flagged while petrel was open
Date: Wed, 07 Jan 2026 09:00:00 -0000
Message-ID: <late.sample@example.org>

Indexed by notmuch new while the folder was open.
EOM
check "notmuch new indexes it" sh -c 'notmuch new >/dev/null 2>&1'
check "a notmuch search takes in new mail by itself" wait_for "notmuch://flagged [Msgs:4 Flag:4]"
check "its row shows" wait_for "Flagged while petrel was open"
keys q
check "q quits" restored 0
check_eq "the replied flag reached notmuch" \
	"$(notmuch count tag:replied and subject:'"Trip to the coast"' and from:bob@example.net and not subject:Re)" 1
check "nothing was written to standard error" sh -c '! [ -s "$1/stderr" ]' - "$T"
check "no memory errors were reported" no_sanitizer_reports
finish
