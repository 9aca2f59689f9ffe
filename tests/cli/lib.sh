# Shared set-up for the command-line tests: source after tests/lib/tap.sh.
# Every test runs in its own temporary directory with its own HOME, so no
# user configuration or mailbox is read, and folders are copies of the
# fixtures in tests/cli/data.
set -u
: "${PETREL:?PETREL must name the petrel binary}"
: "${top_srcdir:?}"
data="$top_srcdir/tests/cli/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-cli.XXXXXX") || bail "no temporary directory"
trap 'rm -rf "$T"' EXIT
HOME="$T/home"
mkdir -p "$HOME" "$T/spool"
cd "$T" || bail "cannot enter $T"
USER=tester
LOGNAME=tester
MAIL="$T/spool/tester"
MAILRC=/dev/null
MBOX="$HOME/mbox"
TZ=UTC
LC_ALL=C.UTF-8
COLUMNS=80
XDG_CONFIG_HOME="$HOME/.config"
export HOME USER LOGNAME MAIL MAILRC MBOX TZ LC_ALL COLUMNS XDG_CONFIG_HOME
unset PAGER EDITOR VISUAL DEAD folder record LINES
# -n: the system-wide start-up file of the machine is never read.
pt() {
	"$PETREL" -n "$@"
}

# A maildir made from the fixture messages data/maildir/NAME.eml: each
# file name says where it goes ("new-1.eml" to new/, "cur-2-S.eml" to cur/
# with flags S).
make_maildir() {
	md=$1
	mkdir -p "$md/cur" "$md/new" "$md/tmp"
	for f in "$data"/maildir/*.eml; do
		b=$(basename "$f" .eml)
		case "$b" in
		new-*) cp "$f" "$md/new/100000000${b#new-}.1.test" ;;
		cur-*)
			rest=${b#cur-}
			n=${rest%%-*}
			flags=${rest#*-}
			cp "$f" "$md/cur/100000000$n.1.test:2,$flags"
			;;
		esac
	done
}

# count_msgs MBOX: the number of messages in an mbox file.
count_msgs() {
	if [ -f "$1" ]; then grep -c '^From ' "$1"; else echo 0; fi
}

# subjects MBOX: the Subject lines of an mbox, one per line.
subjects() {
	if [ -f "$1" ]; then sed -n 's/^Subject: //p' "$1"; fi
}
