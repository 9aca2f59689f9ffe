# Shared set-up for the notmuch store's command-line tests: source after
# tests/cli/lib.sh.  The store lives in $T/mail, configured by a notmuch
# configuration file in $T (never the user's); notmuch_store fills it with
# the messages of data/basic.mbox through petrel's own delivery.
command -v notmuch >/dev/null 2>&1 ||
	bail "the notmuch command is missing: contrib/install-deps.sh installs it"
NOTMUCH_CONFIG="$T/notmuch-config"
export NOTMUCH_CONFIG
# Sanitizer builds: a leak inside libnotmuch is not petrel's (see the file).
# Full unwinding is what lets the suppression see libnotmuch's frames.
LSAN_OPTIONS="suppressions=$top_srcdir/tests/cli/notmuch-lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
unset NOTMUCH_PROFILE NOTMUCH_DATABASE MAILDIR
cat >"$NOTMUCH_CONFIG" <<EOF2
[database]
path=$T/mail
[new]
tags=unread;inbox;
[search]
exclude_tags=deleted;spam;
[maildir]
synchronize_flags=true
EOF2

notmuch_store() {
	pt --init-store >/dev/null 2>&1 || bail "petrel --init-store failed"
	cp "$data/basic.mbox" "$T/box"
	printf 'save 1-5 notmuch://\nexit\n' | pt -N -f "$T/box" >/dev/null 2>&1 ||
		bail "saving into the store failed"
}

# file_of ID: the file notmuch has for a message.
file_of() {
	notmuch search --output=files "id:$1"
}
