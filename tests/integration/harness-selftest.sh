#!/bin/sh
# The test harness itself: every port answers as documented, with a
# certificate that verifies against HARNESS_CA; mail flows from submission
# through Postfix and LMTP into Dovecot; the helpers work; nothing is left
# running afterwards.
# Functions below run through check(), which shellcheck cannot follow.
# shellcheck disable=SC2317
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/harness/harness.sh"

export top_srcdir

not() {
	! "$@"
}

# py ARGS...: runs the Python program on standard input (after the prelude
# below) with ARGS; its output becomes TAP comments, its status is py's.
py_prelude='
import imaplib, os, poplib, smtplib, socket, ssl, sys
E = os.environ
HOST = E["HARNESS_HOST"]
CA = E.get("HARNESS_CA")
def port(name):
    return int(E[name])
def ctx():
    return ssl.create_default_context(cafile=CA)
def fail(msg):
    print(msg)
    sys.exit(1)
'
py() {
	py_out=$("$HARNESS_PYTHON" -c "$py_prelude
$(cat)" "$@" 2>&1)
	py_rc=$?
	if [ -n "$py_out" ]; then
		printf '%s\n' "$py_out" | sed 's/^/# /'
	fi
	return "$py_rc"
}

if ! harness_start; then
	bail "harness_start failed"
fi
check "harness_start exported HARNESS_DIR" test -d "$HARNESS_DIR"
check "HARNESS_CA is a PEM certificate" grep -q 'BEGIN CERTIFICATE' "$HARNESS_CA"
check_eq "HARNESS_HOST" "$HARNESS_HOST" 127.0.0.1
check_eq "HARNESS_DOMAIN" "$HARNESS_DOMAIN" petrel.test
ports_before="$HARNESS_IMAP_PORT $HARNESS_IMAPS_PORT $HARNESS_POP3_PORT $HARNESS_POP3S_PORT"

# s_client_ok PORT [-starttls PROTO]: openssl verifies the server's
# certificate against HARNESS_CA, for the host name localhost.
s_client_ok() {
	p=$1
	shift
	out=$(openssl s_client -connect "$HARNESS_HOST:$p" -CAfile "$HARNESS_CA" \
		-verify_return_error -verify_hostname localhost "$@" </dev/null 2>&1)
	case $out in
	*"Verify return code: 0 (ok)"*) return 0 ;;
	esac
	printf '%s\n' "$out" | tail -5 | sed 's/^/# /'
	return 1
}

imap_plain() {
	py <<'EOF'
m = imaplib.IMAP4(HOST, port("HARNESS_IMAP_PORT"))
if not m.welcome.startswith(b"* OK"):
    fail("greeting %r" % m.welcome)
caps = m.capabilities
if "STARTTLS" not in caps or "LOGINDISABLED" not in caps:
    fail("before TLS: %r" % (caps,))
try:
    m.login(E["HARNESS_USER1"], E["HARNESS_PASS1"])
    fail("LOGIN without TLS was accepted")
except imaplib.IMAP4.error as e:
    print("refused as it should be:", e)
EOF
}

imap_starttls() {
	py <<'EOF'
m = imaplib.IMAP4(HOST, port("HARNESS_IMAP_PORT"))
m.starttls(ssl_context=ctx())
m.login(E["HARNESS_USER1"], E["HARNESS_PASS1"])
typ, data = m.capability()
caps = data[0].decode().split()
missing = [c for c in ("IDLE", "CONDSTORE", "QRESYNC", "MOVE", "UIDPLUS", "ENABLE",
                       "ESEARCH", "LITERAL+") if c not in caps]
if missing:
    fail("missing capabilities %r in %r" % (missing, caps))
m.logout()
EOF
}

imaps_login() {
	py "$@" <<'EOF'
user, password, host = sys.argv[1:4]
c = ctx()
with socket.create_connection((HOST, port("HARNESS_IMAPS_PORT"))) as raw:
    s = c.wrap_socket(raw, server_hostname=host)
    s.close()
m = imaplib.IMAP4_SSL(HOST, port("HARNESS_IMAPS_PORT"), ssl_context=c)
try:
    m.login(user, password)
except imaplib.IMAP4.error as e:
    fail("login refused: %s" % e)
m.logout()
EOF
}

imaps_bad_password() {
	py <<'EOF'
m = imaplib.IMAP4_SSL(HOST, port("HARNESS_IMAPS_PORT"), ssl_context=ctx())
try:
    m.login(E["HARNESS_USER1"], "not-the-password")
    fail("a wrong password was accepted")
except imaplib.IMAP4.error as e:
    print("refused:", e)
EOF
}

imap_sasl() {
	py "$@" <<'EOF'
import base64, hashlib, hmac
mech = sys.argv[1]
user, pw = E["HARNESS_USER2"], E["HARNESS_PASS2"]
m = imaplib.IMAP4_SSL(HOST, port("HARNESS_IMAPS_PORT"), ssl_context=ctx())
if "AUTH=" + mech not in m.capabilities:
    fail("AUTH=%s not offered: %r" % (mech, m.capabilities))
if mech == "CRAM-MD5":
    m.login_cram_md5(user, pw)
else:
    # SCRAM-SHA-256 (RFC 7677), written out to test the stored password.
    nonce = base64.b64encode(os.urandom(18)).decode()
    first_bare = "n=%s,r=%s" % (user, nonce)
    state = {}
    def step(challenge):
        if "final" in state:
            return b""
        if "server_first" not in state:
            if not challenge:
                return ("n,," + first_bare).encode()
            state["server_first"] = challenge.decode()
            f = dict(kv.split("=", 1) for kv in state["server_first"].split(","))
            salted = hashlib.pbkdf2_hmac("sha256", pw.encode(), base64.b64decode(f["s"]), int(f["i"]))
            ckey = hmac.new(salted, b"Client Key", "sha256").digest()
            skey = hmac.new(salted, b"Server Key", "sha256").digest()
            without = "c=biws,r=" + f["r"]
            msg = ",".join((first_bare, state["server_first"], without)).encode()
            sig = hmac.new(hashlib.sha256(ckey).digest(), msg, "sha256").digest()
            proof = bytes(a ^ b for a, b in zip(ckey, sig))
            state["server_sig"] = base64.b64encode(hmac.new(skey, msg, "sha256").digest()).decode()
            return (without + ",p=" + base64.b64encode(proof).decode()).encode()
        state["final"] = challenge.decode()
        if state["final"] != "v=" + state["server_sig"]:
            fail("bad server signature %r" % state["final"])
        return b""
    m.authenticate(mech, step)
m.logout()
EOF
}

pop3_stls() {
	py <<'EOF'
p = poplib.POP3(HOST, port("HARNESS_POP3_PORT"))
if not p.getwelcome().startswith(b"+OK"):
    fail("greeting %r" % p.getwelcome())
if "STLS" not in p.capa():
    fail("no STLS in %r" % p.capa())
try:
    p.user(E["HARNESS_USER1"])
    p.pass_(E["HARNESS_PASS1"])
    fail("USER/PASS without TLS was accepted")
except poplib.error_proto as e:
    print("refused as it should be:", e)
p.quit()
p = poplib.POP3(HOST, port("HARNESS_POP3_PORT"))
p.stls(context=ctx())
p.user(E["HARNESS_USER1"])
p.pass_(E["HARNESS_PASS1"])
p.stat()
p.quit()
EOF
}

pop3s_login() {
	py <<'EOF'
p = poplib.POP3_SSL(HOST, port("HARNESS_POP3S_PORT"), context=ctx())
p.user(E["HARNESS_USER2"])
p.pass_(E["HARNESS_PASS2"])
p.stat()
p.quit()
EOF
}

submission_auth() {
	py <<'EOF'
s = smtplib.SMTP(HOST, port("HARNESS_SUBMISSION_PORT"), local_hostname="client.test")
s.ehlo()
if not s.has_extn("starttls"):
    fail("no STARTTLS: %r" % s.esmtp_features)
if s.has_extn("auth"):
    fail("AUTH offered before TLS: %r" % s.esmtp_features["auth"])
s.starttls(context=ctx())
s.ehlo()
mechs = s.esmtp_features.get("auth", "").split()
missing = [m for m in ("PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-256") if m not in mechs]
if missing:
    fail("AUTH lacks %r: %r" % (missing, mechs))
s.auth("PLAIN", lambda challenge=None: "\0%s\0%s" % (E["HARNESS_USER1"], E["HARNESS_PASS1"]),
       initial_response_ok=True)
s.quit()
EOF
}

submission_needs_auth() {
	py <<'EOF'
s = smtplib.SMTP(HOST, port("HARNESS_SUBMISSION_PORT"), local_hostname="client.test")
s.starttls(context=ctx())
s.ehlo()
s.mail("alice@petrel.test")
code, msg = s.rcpt("bob@petrel.test")
print(code, msg)
sys.exit(0 if code >= 500 else 1)
EOF
}

smtps_auth() {
	py "$@" <<'EOF'
s = smtplib.SMTP_SSL(HOST, port("HARNESS_SMTPS_PORT"), local_hostname="client.test",
                     context=ctx())
s.ehlo()
if not s.has_extn("auth"):
    fail("no AUTH on smtps")
try:
    s.login(sys.argv[1], sys.argv[2])
except smtplib.SMTPAuthenticationError as e:
    print("refused:", e)
    sys.exit(1)
s.quit()
EOF
}

# send_message FILE: alice sends FILE to bob through submission.
send_message() {
	py "$@" <<'EOF'
data = open(sys.argv[1], "rb").read()
s = smtplib.SMTP(HOST, port("HARNESS_SUBMISSION_PORT"), local_hostname="client.test")
s.starttls(context=ctx())
s.login(E["HARNESS_USER1"], E["HARNESS_PASS1"])
refused = s.sendmail("alice@petrel.test", ["bob@petrel.test"], data)
if refused:
    fail("refused %r" % refused)
s.quit()
EOF
}

# fetch_body_equals FILE: bob's newest message has FILE's body, byte for byte.
fetch_body_equals() {
	py "$@" <<'EOF'
sent = open(sys.argv[1], "rb").read()
want = sent.split(b"\r\n\r\n", 1)[1]
m = imaplib.IMAP4_SSL(HOST, port("HARNESS_IMAPS_PORT"), ssl_context=ctx())
m.login(E["HARNESS_USER2"], E["HARNESS_PASS2"])
typ, data = m.select("INBOX", readonly=True)
n = int(data[0])
typ, data = m.fetch(str(n), "(BODY.PEEK[TEXT] BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
parts = [d for d in data if isinstance(d, tuple)]
got = [p[1] for p in parts if b"TEXT" in p[0]][0]
subject = [p[1] for p in parts if b"SUBJECT" in p[0]][0]
if b"harness self-test" not in subject:
    fail("newest message is not ours: %r" % subject)
if got != want:
    fail("body differs:\n got  %r\n want %r" % (got, want))
m.logout()
EOF
}

refused_recipient() {
	py "$@" <<'EOF'
rcpt = sys.argv[1]
s = smtplib.SMTP(HOST, port("HARNESS_SUBMISSION_PORT"), local_hostname="client.test")
s.starttls(context=ctx())
s.login(E["HARNESS_USER1"], E["HARNESS_PASS1"])
s.mail("alice@petrel.test")
code, msg = s.rcpt(rcpt)
print(code, msg.decode())
s.quit()
sys.exit(0 if 500 <= code < 600 else 1)
EOF
}

# port25 RCPT: unauthenticated mail from 127.0.0.1; prints the RCPT reply code.
port25() {
	py "$@" <<'EOF'
s = smtplib.SMTP(HOST, port("HARNESS_SMTP_PORT"), local_hostname="client.test")
s.ehlo()
if s.has_extn("auth"):
    fail("AUTH offered on port 25")
s.mail("someone@elsewhere.test")
code, msg = s.rcpt(sys.argv[1])
print(code, msg.decode())
if code == 250:
    code, msg = s.data(b"Subject: port 25\r\n\r\nhello\r\n")
    print(code, msg.decode())
s.quit()
sys.exit(0 if code == int(sys.argv[2]) else 1)
EOF
}

check "IMAP: greeting, STARTTLS and LOGINDISABLED offered, LOGIN refused in plain text" imap_plain
check "IMAP: STARTTLS verified by openssl s_client against HARNESS_CA" \
	s_client_ok "$HARNESS_IMAP_PORT" -starttls imap
check "IMAP: STARTTLS verified by Python, LOGIN, capabilities after login" imap_starttls
check "IMAPS: verified (host localhost), LOGIN" imaps_login alice alice-secret localhost
check "IMAPS: verified (IP 127.0.0.1), LOGIN" imaps_login bob bob-secret 127.0.0.1
check "IMAPS: openssl s_client verifies" s_client_ok "$HARNESS_IMAPS_PORT"
check "IMAPS: a wrong password is refused" imaps_bad_password
check "IMAPS: AUTHENTICATE CRAM-MD5" imap_sasl CRAM-MD5
check "IMAPS: AUTHENTICATE SCRAM-SHA-256" imap_sasl SCRAM-SHA-256
check "POP3: STLS offered, USER/PASS refused in plain text, accepted after STLS" pop3_stls
check "POP3: STLS verified by openssl s_client" \
	s_client_ok "$HARNESS_POP3_PORT" -starttls pop3
check "POP3S: verified, USER/PASS" pop3s_login
check "submission: STARTTLS, AUTH only after TLS, AUTH PLAIN" submission_auth
check "submission: STARTTLS verified by openssl s_client" \
	s_client_ok "$HARNESS_SUBMISSION_PORT" -starttls smtp
check "submission: no mail without AUTH" submission_needs_auth
check "smtps: verified, AUTH" smtps_auth alice alice-secret
check "smtps: a wrong password is refused" not smtps_auth alice wrong
check "smtps: openssl s_client verifies" s_client_ok "$HARNESS_SMTPS_PORT"

msg=$HARNESS_DIR/selftest-message.eml
printf '%s\r\n' \
	"From: Alice <alice@petrel.test>" \
	"To: Bob <bob@petrel.test>" \
	"Subject: harness self-test" \
	"Message-ID: <selftest.$$@petrel.test>" \
	"MIME-Version: 1.0" \
	"Content-Type: text/plain; charset=utf-8" \
	"Content-Transfer-Encoding: 8bit" \
	"" \
	"Hello Bob," \
	".a line that starts with a dot" \
	"." \
	"tab	and trailing space " \
	"caf$(printf '\303\251') na$(printf '\303\257')ve" \
	"" \
	"-- " \
	"Alice" >"$msg"
check "submission: alice sends to bob@petrel.test" send_message "$msg"
check "harness_wait_mail: bob's message arrives" harness_wait_mail bob 1
check "IMAPS: bob reads the body back byte for byte" fetch_body_equals "$msg"
check "submission: nobody@petrel.test is refused with 5xx" refused_recipient nobody@petrel.test
check "port 25: accepts mail for carol without AUTH" port25 carol@petrel.test 250
check "port 25: refuses unknown local users" port25 nobody@petrel.test 550
check "port 25: refuses relaying" port25 someone@example.com 554
check "harness_wait_mail: carol's port 25 message arrives" harness_wait_mail carol 1

maildir=$(harness_maildir carol)
check "harness_maildir: carol's maildir exists" test -d "$maildir/cur" -a -d "$maildir/new"
printf '%s\n' "From: bob@petrel.test" "To: carol@petrel.test" "Subject: delivered" \
	"Message-ID: <deliver.$$@petrel.test>" "" "harness_deliver body" >"$HARNESS_DIR/deliver.eml"
check "harness_deliver: into carol's INBOX" harness_deliver carol "$HARNESS_DIR/deliver.eml"
check "harness_wait_mail: counts it" harness_wait_mail carol 2 5
check "harness_deliver: the message is in carol's maildir" \
	grep -rqs "deliver.$$@petrel.test" "$maildir/new" "$maildir/cur"
check_contains "harness_doveadm: counts carol's messages" \
	"$(harness_doveadm -f flow mailbox status -u carol messages INBOX)" "messages=2"
check "harness_wait_mail: fails when the mail does not come" not harness_wait_mail carol 3 1
check "harness_deliver: refuses a missing file" not harness_deliver carol "$HARNESS_DIR/none"

dir=$HARNESS_DIR
check "harness_restart_dovecot" harness_restart_dovecot
check_eq "harness_restart_dovecot: same ports" \
	"$HARNESS_IMAP_PORT $HARNESS_IMAPS_PORT $HARNESS_POP3_PORT $HARNESS_POP3S_PORT" "$ports_before"
check "after the restart: IMAP STARTTLS" imap_starttls
check "after the restart: IMAPS" imaps_login bob bob-secret localhost
check "after the restart: POP3S" pop3s_login
check "after the restart: Postfix still delivers over LMTP" port25 alice@petrel.test 250
check "after the restart: alice's message arrives" harness_wait_mail alice 1

# pids_of DIR: every process of the instance in DIR, found both ways.
pids_of() {
	HARNESS_DIR=$1 harness__pids all
	pgrep -f "$1" || :
}
# port_open PORT: whether something accepts connections on 127.0.0.1:PORT.
port_open() {
	py "$1" <<'EOF'
try:
    socket.create_connection((HOST, int(sys.argv[1])), timeout=2).close()
except OSError as e:
    print("closed:", e)
    sys.exit(1)
EOF
}
check "there are processes of the instance while it runs" test -n "$(pids_of "$dir")"
open_ports="$ports_before $HARNESS_SUBMISSION_PORT $HARNESS_SMTPS_PORT $HARNESS_SMTP_PORT"
harness_stop
check_eq "harness_stop: no process of the instance is left" "$(pids_of "$dir")" ""
check "harness_stop: HARNESS_DIR is removed" not test -e "$dir"
for p in $open_ports; do
	check "harness_stop: port $p is closed" not port_open "$p"
done

# An instance without TLS on Dovecot, and a smaller SMTP size limit.
if ! HARNESS_SMTP_SIZE_LIMIT=123456 harness_start --no-tls; then
	bail "harness_start --no-tls failed"
fi
check_eq "--no-tls: no HARNESS_IMAPS_PORT" "${HARNESS_IMAPS_PORT:-unset}" unset
check_eq "--no-tls: no HARNESS_POP3S_PORT" "${HARNESS_POP3S_PORT:-unset}" unset
check "--no-tls: IMAP offers no STARTTLS, LOGIN works" py <<'EOF'
m = imaplib.IMAP4(HOST, port("HARNESS_IMAP_PORT"))
if "STARTTLS" in m.capabilities:
    fail("STARTTLS offered: %r" % (m.capabilities,))
m.login(E["HARNESS_USER1"], E["HARNESS_PASS1"])
typ, data = m.capability()
if b"STARTTLS" in data[0]:
    fail("STARTTLS offered after login: %r" % data)
m.logout()
EOF
check "--no-tls: POP3 offers no STLS" py <<'EOF'
p = poplib.POP3(HOST, port("HARNESS_POP3_PORT"))
if "STLS" in p.capa():
    fail("STLS offered: %r" % p.capa())
p.quit()
EOF
check "HARNESS_SMTP_SIZE_LIMIT: SIZE 123456 announced, larger mail refused" py <<'EOF'
s = smtplib.SMTP(HOST, port("HARNESS_SUBMISSION_PORT"), local_hostname="client.test")
s.starttls(context=ctx())
s.login(E["HARNESS_USER1"], E["HARNESS_PASS1"])
if s.esmtp_features.get("size") != "123456":
    fail("SIZE %r" % s.esmtp_features.get("size"))
body = b"Subject: big\r\n\r\n" + (b"x" * 76 + b"\r\n") * 2000
try:
    s.sendmail("alice@petrel.test", ["bob@petrel.test"], body)
    fail("a 156 kB message was accepted")
except smtplib.SMTPException as e:
    print("refused:", e)
EOF
dir=$HARNESS_DIR
harness_stop
check_eq "--no-tls: harness_stop leaves no process" "$(pids_of "$dir")" ""

# The EXIT trap and the watchdog, in child shells.
child=$(mktemp "${TMPDIR:-/tmp}/harness-child.XXXXXX")
cat >"$child" <<'EOF'
. "$top_srcdir/tests/harness/harness.sh"
harness_start --no-postfix >&2 || exit 1
echo "$HARNESS_DIR"
if [ "$1" = kill ]; then
	kill -KILL $$
fi
exit 0
EOF
dir=$(sh "$child" exit)
check "EXIT trap: an instance left running is stopped at exit" \
	test -n "$dir" -a -z "$(pids_of "$dir")" -a ! -e "$dir"
dir=$(sh "$child" kill)
waited=0
while [ -n "$(pids_of "$dir")" ] && [ "$waited" -lt 50 ]; do
	sleep 0.1
	waited=$((waited + 1))
done
check "watchdog: the servers of a killed test are stopped" \
	test -n "$dir" -a -z "$(pids_of "$dir")" -a ! -e "$dir"

# Without root, Dovecot runs and Postfix is refused loudly.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		test -r "$top_srcdir/tests/harness/harness.sh" 2>/dev/null; then
	as_nobody() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			env HOME=/tmp PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
			top_srcdir="$top_srcdir" TMPDIR=/tmp sh -c "$1"
	}
	out=$(as_nobody ". \"\$top_srcdir/tests/harness/harness.sh\"; harness_start" 2>&1)
	check "non-root: harness_start fails" test $? -ne 0
	check_contains "non-root: ... saying why" "$out" "Postfix runs only as root"
	# shellcheck disable=SC2016
	out=$(as_nobody '. "$top_srcdir/tests/harness/harness.sh"
		harness_start --no-postfix || exit 1
		echo "dir=$HARNESS_DIR"
		"$HARNESS_PYTHON" -c "
import imaplib, os, ssl
c = ssl.create_default_context(cafile=os.environ[\"HARNESS_CA\"])
m = imaplib.IMAP4_SSL(\"127.0.0.1\", int(os.environ[\"HARNESS_IMAPS_PORT\"]), ssl_context=c)
m.login(\"alice\", \"alice-secret\")
print(\"login ok\")
" || exit 1
		printf "Subject: x\n\nx\n" >"$HARNESS_DIR/m"
		harness_deliver bob "$HARNESS_DIR/m" && harness_wait_mail bob 1 && echo "deliver ok"' 2>&1)
	check_contains "non-root: Dovecot runs, IMAPS login works" "$out" "login ok"
	check_contains "non-root: harness_deliver works" "$out" "deliver ok"
	printf '%s\n' "$out" | sed 's/^/# /'
	dir=$(printf '%s\n' "$out" | sed -n 's/^dir=//p')
	check "non-root: nothing left running" test -n "$dir" -a -z "$(pids_of "$dir")" -a ! -e "$dir"
else
	tap_count=$((tap_count + 1))
	echo "ok $tap_count # SKIP non-root checks need root, setpriv and a source tree that nobody can read"
fi

rm -f "$child"
finish
