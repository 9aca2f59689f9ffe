#!/bin/sh
# Makes a small local store to try petrel on, with no account:
#
#   sh contrib/make-sample-store.sh ~/petrel-sample
#
# and prints the one command that opens petrel on it.  DIR becomes:
#
#   DIR/cur, new, tmp   a maildir of the 35 messages in contrib/sample/
#   DIR/.notmuch        their notmuch index (when notmuch is installed)
#   DIR/notmuch-config  the notmuch configuration of that index
#   DIR/petrelrc        a petrel configuration for the store (see below)
#   DIR/sendmail        a stand-in for sendmail that sends nothing
#
# The messages hold threads (one with a missing parent, a mailing list
# with List-Post), several charsets (ISO-8859-1, ISO-2022-JP, KOI8-R,
# RFC 2047 names), an attachment, an HTML-only message, and a mix of
# read, unread, replied and flagged mail.  A file named cur-NN-FLAGS.eml
# goes to cur/ with those maildir flags, new-NN.eml to new/ (unread);
# notmuch takes the flags over as tags (maildir.synchronize_flags).
#
# The petrelrc opens the maildir sorted by threads, keeps a copy of what
# is sent in the mbox DIR/sent (record), and names notmuch searches of the
# store as folders (`y` lists them).  Mail "sent" from the
# sample goes nowhere but DIR/sent: its sendmail throws the message away.
#
# The store is indexed with `petrel --init-store` (from $PETREL, else
# ./petrel, else petrel in PATH) and `notmuch new`.  Without notmuch the
# maildir alone is made, and the notmuch folders of the petrelrc do not
# open.
#
# DIR must not exist yet, be empty, or be a sample store made by this
# script (it is then made again, and what was sent from it is lost).
set -eu

usage() {
	echo "usage: sh $0 DIR" >&2
	exit 2
}

[ $# -eq 1 ] || usage
dir=$1
here=$(cd "$(dirname "$0")" && pwd)
sample="$here/sample"
[ -d "$sample" ] || { echo "$0: $sample is missing" >&2; exit 1; }

if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null || echo x)" ]; then
	if [ ! -f "$dir/.petrel-sample" ]; then
		echo "$0: $dir exists and is not a petrel sample store; choose another name" >&2
		exit 1
	fi
	rm -rf "$dir/cur" "$dir/new" "$dir/tmp" "$dir/.notmuch" "$dir/sent" \
		"$dir/petrelrc" "$dir/notmuch-config" "$dir/sendmail"
fi
mkdir -p "$dir/cur" "$dir/new" "$dir/tmp"
dir=$(cd "$dir" && pwd)
# The configuration files name the store by its absolute path; notmuch's
# list syntax and petrel's quoting cannot hold every character.
case $dir in
*[\;\"\\\$\`\'[:cntrl:]]*)
	echo "$0: $dir: choose a directory name without ; \" ' \\ \$ \` or control characters" >&2
	exit 1
	;;
esac
: > "$dir/.petrel-sample"

host=$(hostname 2>/dev/null || echo localhost)
n=0
for f in "$sample"/*.eml; do
	b=$(basename "$f" .eml)
	n=$((n + 1))
	# Unique maildir names: a fixed time, a counter, the host.
	base="1767225600.P$$Q$n.$host"
	case "$b" in
	new-*) cp "$f" "$dir/new/$base" ;;
	cur-*)
		flags=${b#cur-*-}
		cp "$f" "$dir/cur/$base:2,$flags"
		;;
	*) echo "$0: $f: unknown name" >&2; exit 1 ;;
	esac
done

# The files next to the maildir are not mail: notmuch new skips them.
cat > "$dir/notmuch-config" <<EOF
# The notmuch configuration of the petrel sample store.
[database]
path=$dir

[user]
name=You
primary_email=you@example.org

[new]
tags=unread;inbox;
ignore=.petrel-sample;notmuch-config;petrelrc;sendmail;sent;

[search]
exclude_tags=deleted;spam;

[maildir]
synchronize_flags=true
EOF

cat > "$dir/sendmail" <<'EOF'
#!/bin/sh
# The sample store's sendmail: reads the message and sends it nowhere.
# The copy kept by petrel (record) is all that is left of it.
cat > /dev/null
EOF
chmod +x "$dir/sendmail"

cat > "$dir/petrelrc" <<EOF
# petrel's configuration for the sample store made by
# contrib/make-sample-store.sh.  Open it with
#   NOTMUCH_CONFIG='$dir/notmuch-config' petrel -n --config '$dir/petrelrc'

# The maildir, threaded.
set spoolfile='$dir'
set sort=threads
set from='You <you@example.org>'

# Replies and new mail are kept in a local mbox and sent nowhere.
set record='$dir/sent'
set sendmail='$dir/sendmail'

# The notmuch index of the same messages.  With folder=notmuch://, +NAME
# is one of the searches below, and the folder list (y) shows them.
set notmuch_db='$dir'
set folder=notmuch://
virtual_mailboxes unread 'tag:unread' flagged 'tag:flagged'
query petrel-dev 'to:petrel-dev@lists.example.org'
query bob 'from:bob@example.net'
EOF

indexed=no
if command -v notmuch >/dev/null 2>&1; then
	NOTMUCH_CONFIG="$dir/notmuch-config"
	export NOTMUCH_CONFIG
	petrel=${PETREL:-}
	if [ -z "$petrel" ]; then
		if [ -x ./petrel ]; then
			petrel=./petrel
		else
			petrel=$(command -v petrel 2>/dev/null || :)
		fi
	fi
	# petrel creates the store as it would a user's; notmuch new also
	# creates it when petrel is not built yet or lacks notmuch.
	if [ -n "$petrel" ] && "$petrel" --version 2>/dev/null | grep -q '^features:.* +notmuch'; then
		"$petrel" -n --init-store >/dev/null ||
			echo "$0: $petrel --init-store failed; notmuch new makes the store instead" >&2
	fi
	notmuch new --quiet
	indexed=yes
else
	echo "$0: notmuch is not installed: the maildir is not indexed" >&2
fi

echo "$n messages in $dir (notmuch index: $indexed).  Open petrel on them with:"
echo "  NOTMUCH_CONFIG='$dir/notmuch-config' ./petrel -n --config '$dir/petrelrc'"
