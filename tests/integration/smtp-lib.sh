# Shared by tests/integration/smtp-*.sh: the harness's Postfix and
# Dovecot, petrel in a private HOME, and mail read back over IMAPS.
# Source after tests/lib/tap.sh.
#   pt ARGS...          petrel -n with the harness's CA; $out, $errout, $rc
#   inbox USER          how many messages USER's INBOX holds
#   fetch USER N FILE   message N (1 = oldest) of USER's INBOX, over IMAPS, into FILE
#   outbox_count        messages in the outbox
#   pyrun FILE CODE     runs CODE with the message FILE parsed as `m` (email.policy.default)
set -u
: "${PETREL:?PETREL must name the petrel binary}"
: "${top_srcdir:?}"
export top_srcdir
. "$top_srcdir/tests/harness/harness.sh"
harness_start || bail "the test servers did not start"
T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-smtp.XXXXXX") || bail "no temporary directory"
# Helpers a test starts in the background leave their pid in $T/*.pid.
smtp_cleanup() {
	for _pid in "$T"/*.pid; do
		[ -s "$_pid" ] && kill "$(cat "$_pid")" 2>/dev/null
	done
	rm -rf "$T"
	harness_stop
}
trap smtp_cleanup EXIT
HOME="$T/home"
mkdir -p "$HOME"
cd "$T" || bail "cannot enter $T"
USER=alice
LOGNAME=alice
MAILRC=/dev/null
TZ=UTC
LC_ALL=C.UTF-8
XDG_CONFIG_HOME="$HOME/.config"
XDG_STATE_HOME="$T/state"
export HOME USER LOGNAME MAILRC TZ LC_ALL XDG_CONFIG_HOME XDG_STATE_HOME
unset DEAD record folder MAIL
OUTBOX="$XDG_STATE_HOME/petrel/outbox"
H=$HARNESS_HOST
SUBMISSION="smtp://alice:alice-secret@$H:$HARNESS_SUBMISSION_PORT"
SMTPS="smtps://alice:alice-secret@$H:$HARNESS_SMTPS_PORT"

pt() {
	"$PETREL" -n -S "tls_ca_file=$HARNESS_CA" -S "from=Alice <alice@petrel.test>" \
		-S sendmail=/bin/false "$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	errout=$(cat "$T/err")
	if [ -n "${SMTP_TEST_VERBOSE:-}" ]; then
		printf '# petrel %s -> %s: %s\n' "$*" "$rc" "$errout"
	fi
}

inbox() {
	_md=$(harness_maildir "$1")
	find "$_md/new" "$_md/cur" -type f 2>/dev/null | wc -l | tr -d ' '
}

outbox_count() {
	find "$OUTBOX/new" "$OUTBOX/cur" -type f 2>/dev/null | wc -l | tr -d ' '
}

fetch() {
	"$HARNESS_PYTHON" - "$1" "$2" "$3" <<'EOP'
import imaplib, os, ssl, sys
user, n, path = sys.argv[1], sys.argv[2], sys.argv[3]
pw = {"alice": "alice-secret", "bob": "bob-secret", "carol": "carol-secret"}[user]
ctx = ssl.create_default_context(cafile=os.environ["HARNESS_CA"])
imap = imaplib.IMAP4_SSL(os.environ["HARNESS_HOST"], int(os.environ["HARNESS_IMAPS_PORT"]),
                         ssl_context=ctx)
imap.login(user, pw)
imap.select("INBOX", readonly=True)
typ, data = imap.fetch(n, "(BODY.PEEK[])")
if typ != "OK" or not data or not isinstance(data[0], tuple):
    sys.exit("no message %s for %s" % (n, user))
with open(path, "wb") as f:
    f.write(data[0][1])
imap.logout()
EOP
}

pyrun() {
	"$HARNESS_PYTHON" - "$1" "$2" <<'EOP'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
exec(sys.argv[2])
EOP
}
