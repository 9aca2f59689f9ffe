# Shared by tests/integration/imap-*.sh: source after tests/lib/tap.sh.
# Starts the harness (pass harness_start's options in IMAP_HARNESS_OPTS),
# gives the test its own HOME and caches, and defines:
#
#   pt ARGS...             petrel with -n and the harness's CA trusted
#   drive ARGS...          tests/integration/imap-drive, likewise
#   url [USER] [FOLDER]    imaps://USER:PASS@127.0.0.1:PORT/FOLDER (alice, INBOX)
#   url_starttls ...       the same over imap:// (STARTTLS)
#   deliver USER FILE...   stores messages in USER's INBOX (doveadm save)
#   msg N SUBJECT          writes a small message to $T/msgN.eml
#   status USER FOLDER     "messages=N unseen=N ..." from doveadm
#   uid_flags USER FOLDER  "UID:flags" lines from doveadm
set -u
: "${PETREL:?PETREL must name the petrel binary}"
: "${top_srcdir:?}"
: "${top_builddir:?}"
. "$top_srcdir/tests/harness/harness.sh"
# shellcheck disable=SC2086
harness_start ${IMAP_HARNESS_OPTS:-} || bail "the test servers did not start"
T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-imap.XXXXXX") || bail "no temporary directory"
# IMAP_TEST_KEEP=1 keeps $T (traces, outputs) for a look afterwards.
trap 'if [ -n "${IMAP_TEST_KEEP:-}" ]; then echo "# kept $T" >&2; else rm -rf "$T"; fi; harness_stop' EXIT
HOME="$T/home"
mkdir -p "$HOME"
USER=tester
LOGNAME=tester
MAILRC=/dev/null
TZ=UTC
LC_ALL=C.UTF-8
COLUMNS=80
XDG_CONFIG_HOME="$HOME/.config"
XDG_CACHE_HOME="$HOME/.cache"
export HOME USER LOGNAME MAILRC TZ LC_ALL COLUMNS XDG_CONFIG_HOME XDG_CACHE_HOME
unset PAGER EDITOR VISUAL DEAD folder record LINES MAIL
drive_bin="$top_builddir/tests/integration/imap-drive"

pt() {
	"$PETREL" -n -S "tls_ca_file=$HARNESS_CA" "$@"
}

drive() {
	"$drive_bin" -S "tls_ca_file=$HARNESS_CA" "$@"
}

url() {
	_u=${1:-alice}
	case "$_u" in
	alice) _p=$HARNESS_PASS1 ;;
	bob) _p=$HARNESS_PASS2 ;;
	*) _p=$HARNESS_PASS3 ;;
	esac
	printf 'imaps://%s:%s@%s:%s/%s\n' "$_u" "$_p" "$HARNESS_HOST" "$HARNESS_IMAPS_PORT" "${2-INBOX}"
}

url_starttls() {
	url "$@" | sed "s|^imaps://|imap://|; s|:$HARNESS_IMAPS_PORT/|:$HARNESS_IMAP_PORT/|"
}

deliver() {
	_who=$1
	shift
	for _f; do
		harness_deliver "$_who" "$_f" || bail "doveadm save failed"
	done
}

msg() {
	cat >"$T/msg$1.eml" <<EOF
From: Sender $1 <sender$1@example.org>
To: alice@petrel.test
Subject: $2
Date: Mon, 0$(($1 % 9 + 1)) Jun 2025 10:00:00 +0000
Message-ID: <m$1.$$@example.org>

Body of message $1.
EOF
}

status() {
	harness_doveadm -f flow mailbox status -u "$1" "messages unseen" "$2" 2>&1 |
		sed 's/^.* messages=/messages=/'
}

uid_flags() {
	harness_doveadm -f flow fetch -u "$1" "uid flags" mailbox "$2" 2>&1 |
		sed 's/^uid=\([0-9]*\) flags=\(.*\)$/\1:\2/'
}
