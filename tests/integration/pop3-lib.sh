# Shared by tests/integration/pop3-*.sh: the harness's Dovecot (POP3 on
# HARNESS_POP3_PORT with STLS, POP3S on HARNESS_POP3S_PORT), a private
# HOME, petrel config, state directory and notmuch store.  Source after
# tests/lib/tap.sh.
#   pt ARGS...              petrel -n with the test's config (it trusts HARNESS_CA)
#   mkmsg N [SUBJECT]       prints message number N (Message-ID <pop3-N@example.org>)
#   fill USER FIRST LAST    puts messages FIRST..LAST into USER's INBOX
#   server_count USER       how many messages USER's INBOX has
#   store_count [QUERY]     how many messages the notmuch store has (all: '*')
#   store_ids               Message-IDs in the store with their counts of files
#   url USER [pop3|pop3s]   USER's server URL, password included
#   identical FIRST LAST    true when the store's copy of each message is byte
#                           for byte what mkmsg made
set -u
. "$top_srcdir/tests/harness/harness.sh"
command -v notmuch >/dev/null 2>&1 ||
	bail "the notmuch command is missing: contrib/install-deps.sh installs it"
harness_start --no-postfix || bail "the test servers did not start"
T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-pop3.XXXXXX") || bail "no temporary directory"
trap 'rm -rf "$T"; harness_stop' EXIT
HOME="$T/home"
XDG_CONFIG_HOME="$HOME/.config"
XDG_STATE_HOME="$T/state"
NOTMUCH_CONFIG="$T/notmuch-config"
MAILRC=/dev/null
USER=tester
LOGNAME=tester
TZ=UTC
LC_ALL=C.UTF-8
export HOME XDG_CONFIG_HOME XDG_STATE_HOME NOTMUCH_CONFIG MAILRC USER LOGNAME TZ LC_ALL
unset NOTMUCH_PROFILE NOTMUCH_DATABASE MAILDIR PAGER EDITOR VISUAL
# Sanitizer builds: a leak inside libnotmuch is not petrel's.
LSAN_OPTIONS="suppressions=$top_srcdir/tests/cli/notmuch-lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
mkdir -p "$HOME" "$XDG_CONFIG_HOME/petrel" "$T/msgs"
cat >"$NOTMUCH_CONFIG" <<EOF
[database]
path=$T/mail
[new]
tags=unread;inbox;
[search]
exclude_tags=deleted;spam;
[maildir]
synchronize_flags=true
EOF
cat >"$XDG_CONFIG_HOME/petrel/config" <<EOF
set tls_ca_file=$HARNESS_CA
set timeout=20
EOF
H=$HARNESS_HOST

pt() {
	"$PETREL" -n "$@"
}

mkmsg() {
	printf 'From: Sender %s <sender%s@example.org>\n' "$1" "$1"
	printf 'To: alice@petrel.test\n'
	printf 'Subject: %s\n' "${2:-Message $1}"
	printf 'Date: Mon, 6 Jan 2025 09:%02d:%02d +0000\n' $(($1 / 60 % 60)) $(($1 % 60))
	printf 'Message-ID: <pop3-%s@example.org>\n' "$1"
	printf '\nBody of message %s.\n.A line with a leading dot\n..two dots\n.\n' "$1"
	printf 'The end of message %s.\n' "$1"
}

# Straight into the maildir, as a delivery agent would (doveadm save costs
# a process per message); Dovecot finds them at the next login.
fill() {
	_md=$(harness_maildir "$1")
	_i=$2
	while [ "$_i" -le "$3" ]; do
		mkmsg "$_i" >"$T/msgs/$_i.eml"
		cp "$T/msgs/$_i.eml" "$_md/new/1736150400.P$$Q$_i.petrel-test"
		_i=$((_i + 1))
	done
	chown -R --reference="$_md" "$_md/new" 2>/dev/null || true
}

server_count() {
	harness_doveadm -f flow mailbox status -u "$1" messages INBOX |
		sed -n 's/.*messages=\([0-9]*\).*/\1/p'
}

store_count() {
	notmuch count --exclude=false "${1:-*}" 2>/dev/null || echo 0
}

store_ids() {
	notmuch search --exclude=false --output=messages '*' 2>/dev/null | sort | uniq -c
}

url() {
	case "$1" in
	alice) _pw=$HARNESS_PASS1 ;;
	bob) _pw=$HARNESS_PASS2 ;;
	*) _pw=$HARNESS_PASS3 ;;
	esac
	if [ "${2:-pop3}" = pop3s ]; then
		echo "pop3s://$1:$_pw@$H:$HARNESS_POP3S_PORT/"
	else
		echo "pop3://$1:$_pw@$H:$HARNESS_POP3_PORT/"
	fi
}

identical() {
	_i=$1
	while [ "$_i" -le "$2" ]; do
		_f=$(notmuch search --exclude=false --output=files "id:pop3-$_i@example.org" | head -1)
		[ -n "$_f" ] && cmp -s "$_f" "$T/msgs/$_i.eml" || return 1
		_i=$((_i + 1))
	done
	return 0
}
