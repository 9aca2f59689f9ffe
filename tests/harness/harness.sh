# shellcheck shell=sh
# The real-server test harness: integration tests source this file to run
# their own Dovecot (IMAP, POP3, LMTP, SASL) and Postfix (SMTP, submission)
# on 127.0.0.1, configured from scratch in a temporary directory, and to
# stop them again.  See tests/harness/README.md for the variables and for
# debugging.  POSIX sh; safe under `set -eu` when called as documented.
#
#   harness_start [--no-tls] [--no-postfix]
#   harness_stop
#   harness_restart_dovecot
#   harness_maildir USER
#   harness_deliver USER FILE
#   harness_wait_mail USER COUNT [SECONDS]
#   harness_doveadm ARGS...
#
# Internal names start with harness__ (functions) and _harness_ (variables).

if [ -z "${top_srcdir:-}" ]; then
	# Outside make check: tests live two levels below the source root.
	top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
_harness_libdir="$top_srcdir/tests/harness"

# The harness needs only Python's standard library.  Debian's own python3
# is preferred: a version manager's shim in PATH costs a third of a second
# a call.  Tests may use HARNESS_PYTHON too.
if [ -z "${HARNESS_PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then
		HARNESS_PYTHON=/usr/bin/python3
	else
		HARNESS_PYTHON=python3
	fi
fi
export HARNESS_PYTHON

HARNESS_HOST=127.0.0.1
HARNESS_DOMAIN=petrel.test
HARNESS_USER1=alice
HARNESS_PASS1=alice-secret
HARNESS_USER2=bob
HARNESS_PASS2=bob-secret
HARNESS_USER3=carol
HARNESS_PASS3=carol-secret
export HARNESS_HOST HARNESS_DOMAIN HARNESS_USER1 HARNESS_PASS1 \
	HARNESS_USER2 HARNESS_PASS2 HARNESS_USER3 HARNESS_PASS3

# Dovecot listens here; the relay in harness-net.py forwards the public
# 127.0.0.1 ports to it (why: see that file).
_harness_dovecot_ip=127.0.0.2

_harness_start_timeout=15

harness__err() {
	printf 'harness: %s\n' "$*" >&2
}

# harness__tail LABEL FILE: the end of a log, on stderr.
harness__tail() {
	if [ -s "$2" ]; then
		printf 'harness: --- %s (%s), last lines:\n' "$1" "$2" >&2
		tail -n 25 "$2" | sed 's/^/harness: | /' >&2
	fi
}

harness__logs() {
	harness__tail "Dovecot start" "$HARNESS_DIR/dovecot/start.log"
	harness__tail "Dovecot log" "$HARNESS_DIR/dovecot/dovecot.log"
	harness__tail "relay log" "$HARNESS_DIR/dovecot/relay.log"
	harness__tail "postfix command" "$HARNESS_DIR/postfix/postfix.log"
	harness__tail "Postfix maillog" "$HARNESS_DIR/postfix/maillog"
}

# harness__pids TAG: ids of the live processes of this instance's TAG
# (dovecot, postfix or all).  Dovecot writes its process titles over the
# environment, but they begin with instance_name, which is set to a path
# in HARNESS_DIR; its master and the relay name that path in their
# arguments.  Postfix keeps the command line short, so its processes are
# marked with an environment variable that its import_environment hands
# down to every process it starts.
harness__pids() {
	case $1 in
	dovecot)
		_harness_re=$(printf '%s' "$HARNESS_DIR/dovecot" | sed 's/[][\\.*^$+?(){}|]/\\&/g')
		_harness_pat="^dovecot-$_harness_re/|dovecot -c $_harness_re/dovecot\\.conf\$"
		pgrep -f "$_harness_pat|harness-net\\.py relay $_harness_re/relay\\.pid " || :
		;;
	postfix)
		grep -l -a -F -z -x "PETREL_HARNESS=$HARNESS_DIR/postfix" /proc/[0-9]*/environ 2>/dev/null |
			sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p'
		;;
	all)
		harness__pids dovecot
		harness__pids postfix
		;;
	esac
}

# harness__wait_gone TAG [MASTER-PID]: wait until TAG's processes have
# exited.  Once the master is gone, the rest are told to go too; after 5 s
# whatever is left is killed.
harness__wait_gone() {
	_harness_n=0
	_harness_termed=no
	while [ "$_harness_n" -lt 100 ]; do
		_harness_left=$(harness__pids "$1")
		if [ -z "$_harness_left" ]; then
			return 0
		fi
		if [ "$_harness_termed" = no ] && { [ -z "${2:-}" ] || ! kill -0 "$2" 2>/dev/null; }; then
			# shellcheck disable=SC2086
			kill -TERM $_harness_left 2>/dev/null || :
			_harness_termed=yes
		fi
		sleep 0.05
		_harness_n=$((_harness_n + 1))
	done
	harness__err "$1 did not stop within 5 s; killing:"
	# shellcheck disable=SC2086
	ps -o pid=,user=,args= -p "$(echo $_harness_left | tr ' ' ,)" 2>/dev/null |
		sed 's/^/harness:   /' >&2
	# shellcheck disable=SC2086
	kill -KILL $_harness_left 2>/dev/null || :
	sleep 0.2
	return 0
}

# harness__net ARGS...: the helper program (see the top of it).
harness__net() {
	"$HARNESS_PYTHON" "$_harness_libdir/harness-net.py" "$@"
}

harness__wait_ports() {
	harness__net wait "$_harness_start_timeout" "$@" \
		2>>"$HARNESS_DIR/wait.log"
}

# The mail user owns the maildirs.  Dovecot never gives mail access to
# root, so as root a dedicated uid/gid is used that no account has.
harness__pick_mail_ids() {
	if [ "$(id -u)" -ne 0 ]; then
		_harness_mail_uid=$(id -u)
		_harness_mail_gid=$(id -g)
		return 0
	fi
	_harness_mail_uid=${HARNESS_MAIL_UID:-64990}
	while getent passwd "$_harness_mail_uid" >/dev/null 2>&1 ||
		getent group "$_harness_mail_uid" >/dev/null 2>&1; do
		_harness_mail_uid=$((_harness_mail_uid + 1))
	done
	_harness_mail_gid=$_harness_mail_uid
}

harness__make_ca() {
	_harness_tls=$HARNESS_DIR/tls
	mkdir "$_harness_tls" || return 1
	(
		cd "$_harness_tls" || exit 1
		umask 077
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout ca.key -out ca.pem -days 30 -subj '/O=petrel test/CN=petrel test CA' \
			-addext 'basicConstraints=critical,CA:TRUE' \
			-addext 'keyUsage=critical,keyCertSign,cRLSign' || exit 1
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-keyout server.key -out server.csr -subj '/O=petrel test/CN=localhost' || exit 1
		cat >server.ext <<-EOF
			basicConstraints = critical,CA:FALSE
			keyUsage = critical,digitalSignature,keyEncipherment
			extendedKeyUsage = serverAuth
			subjectAltName = DNS:localhost,IP:127.0.0.1
			subjectKeyIdentifier = hash
			authorityKeyIdentifier = keyid,issuer
		EOF
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 \
			-days 30 -extfile server.ext -out server.pem || exit 1
		chmod 644 ca.pem server.pem
	) >"$HARNESS_DIR/openssl.log" 2>&1 || {
		harness__err "could not make the test CA"
		harness__tail "openssl" "$HARNESS_DIR/openssl.log"
		return 1
	}
	HARNESS_CA=$_harness_tls/ca.pem
}

harness__write_dovecot_conf() {
	_harness_dv=$HARNESS_DIR/dovecot
	_harness_dovecot_conf=$_harness_dv/dovecot.conf
	mkdir -p "$_harness_dv/state" "$HARNESS_DIR/mail" || return 1
	: >"$_harness_dv/users"
	for _harness_u in "$HARNESS_USER1:$HARNESS_PASS1" "$HARNESS_USER2:$HARNESS_PASS2" \
		"$HARNESS_USER3:$HARNESS_PASS3"; do
		_harness_name=${_harness_u%%:*}
		_harness_pass=${_harness_u#*:}
		mkdir -p "$HARNESS_DIR/mail/$_harness_name" || return 1
		# {PLAIN} lets every mechanism work, CRAM-MD5 and SCRAM included.
		printf '%s:{PLAIN}%s:%s:%s::%s::\n' "$_harness_name" "$_harness_pass" \
			"$_harness_mail_uid" "$_harness_mail_gid" "$HARNESS_DIR/mail/$_harness_name" \
			>>"$_harness_dv/users"
	done
	if [ "$(id -u)" -eq 0 ]; then
		chown -R "$_harness_mail_uid:$_harness_mail_gid" "$HARNESS_DIR/mail" || return 1
		_harness_privs=''
	else
		# Rootless Dovecot: every process runs as the invoking user and
		# nothing can chroot.
		if ! _harness_un=$(id -un) || ! _harness_gn=$(id -gn); then
			harness__err "the invoking uid has no user or group name"
			return 1
		fi
		_harness_privs="default_login_user = $_harness_un
default_internal_user = $_harness_un
default_internal_group = $_harness_gn
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
service pop3-login {
  chroot =
}"
	fi
	if [ "$_harness_want_tls" = yes ]; then
		_harness_ssl="ssl = yes
ssl_cert = <$HARNESS_DIR/tls/server.pem
ssl_key = <$HARNESS_DIR/tls/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes"
		_harness_imaps=$HARNESS_IMAPS_PORT
		_harness_pop3s=$HARNESS_POP3S_PORT
	else
		# A server without TLS that refused plaintext logins too would
		# be of no use for testing how a client copes without TLS.
		_harness_ssl="ssl = no
disable_plaintext_auth = no"
		_harness_imaps=0
		_harness_pop3s=0
	fi
	_harness_debug=no
	if [ -n "${HARNESS_DEBUG:-}" ]; then
		_harness_debug=yes
	fi
	cat >"$_harness_dovecot_conf" <<EOF || return 1
# Written by tests/harness/harness.sh; nothing from /etc/dovecot is used.
# Process titles begin with this, so pgrep -f HARNESS_DIR finds them.
instance_name = $_harness_dv
base_dir = $_harness_dv/run
state_dir = $_harness_dv/state
log_path = $_harness_dv/dovecot.log
verbose_proctitle = yes
protocols = imap pop3 lmtp
listen = $_harness_dovecot_ip
$_harness_ssl
$_harness_privs
# apop: the POP3 greeting carries an APOP timestamp (APOP needs the
# {PLAIN} passwords of the users file); it is no SASL mechanism, so the
# CAPA SASL and IMAP AUTH= lists stay as they were.
auth_mechanisms = plain login cram-md5 scram-sha-1 scram-sha-256 apop
auth_username_format = %Ln
auth_verbose = yes
# Tests log in wrongly on purpose: as little delay after a failure as
# Dovecot allows (half a second), and no penalty for the next logins from
# 127.0.0.1 (auth does without it when the anvil-auth-penalty socket is
# missing, and mode 0 removes that below).
auth_failure_delay = 0
auth_debug = $_harness_debug
mail_debug = $_harness_debug
first_valid_uid = $_harness_mail_uid
last_valid_uid = $_harness_mail_uid
first_valid_gid = $_harness_mail_gid
last_valid_gid = $_harness_mail_gid
mail_location = maildir:~/Maildir
# A folder named Sent is marked \\Sent (RFC 6154 SPECIAL-USE) for the
# Fcc tests; it exists only once a test creates it.
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \\Sent
  }
}
passdb {
  driver = passwd-file
  args = $_harness_dv/users
}
userdb {
  driver = passwd-file
  args = $_harness_dv/users
}
service imap-login {
  inet_listener imap {
    port = $HARNESS_IMAP_PORT
  }
  inet_listener imaps {
    port = $_harness_imaps
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $HARNESS_POP3_PORT
  }
  inet_listener pop3s {
    port = $_harness_pop3s
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# Postfix delivers over LMTP and authenticates SMTP clients through these
# sockets (relative names live in base_dir).
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
service auth {
  unix_listener auth-postfix {
    mode = 0666
  }
}
protocol lmtp {
  postmaster_address = postmaster@$HARNESS_DOMAIN
}
EOF
}

# harness__start_dovecot: Dovecot, then the relay in front of it.
harness__start_dovecot() {
	_harness_dv=$HARNESS_DIR/dovecot
	if ! harness__net run dovecot -c "$_harness_dovecot_conf" \
		</dev/null >>"$_harness_dv/start.log" 2>&1; then
		harness__err "Dovecot did not start"
		return 1
	fi
	_harness_relays="127.0.0.1:$HARNESS_IMAP_PORT=$_harness_dovecot_ip:$HARNESS_IMAP_PORT"
	_harness_relays="$_harness_relays 127.0.0.1:$HARNESS_POP3_PORT=$_harness_dovecot_ip:$HARNESS_POP3_PORT"
	_harness_tls_ports=''
	if [ "$_harness_want_tls" = yes ]; then
		_harness_relays="$_harness_relays 127.0.0.1:$HARNESS_IMAPS_PORT=$_harness_dovecot_ip:$HARNESS_IMAPS_PORT"
		_harness_relays="$_harness_relays 127.0.0.1:$HARNESS_POP3S_PORT=$_harness_dovecot_ip:$HARNESS_POP3S_PORT"
		_harness_tls_ports="$_harness_dovecot_ip:$HARNESS_IMAPS_PORT $_harness_dovecot_ip:$HARNESS_POP3S_PORT"
	fi
	rm -f "$_harness_dv/relay.pid"
	# Started from a subshell so that it is no child of the test's shell
	# (a bare `wait` in a test would wait for it forever).
	# shellcheck disable=SC2086
	(harness__net relay \
		"$_harness_dv/relay.pid" $_harness_relays \
		</dev/null >>"$_harness_dv/relay.log" 2>&1 &)
	# The greetings come through the relay; the TLS ports are checked on
	# Dovecot itself, as a connection to the relay alone proves nothing.
	# shellcheck disable=SC2086
	if ! harness__wait_ports "127.0.0.1:$HARNESS_IMAP_PORT=* OK" \
		"127.0.0.1:$HARNESS_POP3_PORT=+OK" $_harness_tls_ports; then
		harness__err "Dovecot is not answering"
		return 1
	fi
	if [ ! -S "$_harness_dv/run/lmtp" ] || [ ! -S "$_harness_dv/run/auth-postfix" ]; then
		harness__err "Dovecot made no LMTP or auth socket in $_harness_dv/run"
		return 1
	fi
}

harness__stop_dovecot() {
	# Everything at once, relay included: the master alone would wait a
	# second for its log process and its auth process would stay while
	# Postfix keeps a connection to it.
	_harness_left=$(harness__pids dovecot)
	if [ -n "$_harness_left" ]; then
		# shellcheck disable=SC2086
		kill -TERM $_harness_left 2>/dev/null || :
	fi
	harness__wait_gone dovecot
	rm -f "$HARNESS_DIR/dovecot/relay.pid"
}

harness__write_postfix_conf() {
	_harness_pf=$HARNESS_DIR/postfix
	mkdir -p "$_harness_pf/etc" "$_harness_pf/spool" "$_harness_pf/data" || return 1
	chown postfix "$_harness_pf/data" || return 1
	: >"$_harness_pf/etc/vmailbox"
	for _harness_u in "$HARNESS_USER1" "$HARNESS_USER2" "$HARNESS_USER3"; do
		printf '%s@%s OK\n' "$_harness_u" "$HARNESS_DOMAIN" >>"$_harness_pf/etc/vmailbox"
	done
	cat >"$_harness_pf/etc/main.cf" <<EOF || return 1
# Written by tests/harness/harness.sh; nothing from /etc/postfix is used.
compatibility_level = 3.6
queue_directory = $_harness_pf/spool
data_directory = $_harness_pf/data
mail_owner = postfix
setgid_group = postdrop
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME PETREL_HARNESS=$_harness_pf
maillog_file = $_harness_pf/maillog
maillog_file_prefixes = $_harness_pf
myhostname = mail.$HARNESS_DOMAIN
mydomain = $HARNESS_DOMAIN
myorigin = \$mydomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
biff = no
append_dot_mydomain = no
readme_directory = no
notify_classes =
# No DNS at all: no reverse lookups of clients, no MX lookups.
smtp_dns_support_level = disabled
smtp_host_lookup = native
lmtp_host_lookup = native
smtpd_peername_lookup = no
# Users live in Dovecot; petrel.test is the only domain.
alias_maps =
alias_database =
local_recipient_maps =
local_transport = error:local delivery is disabled
virtual_mailbox_domains = $HARNESS_DOMAIN
virtual_mailbox_maps = texthash:$_harness_pf/etc/vmailbox
virtual_transport = lmtp:unix:$HARNESS_DIR/dovecot/run/lmtp
# Nothing ever leaves the machine: mail for other domains (allowed from
# authenticated clients, as a real submission server does) is dropped.
default_transport = discard:not delivered by the petrel test harness
relay_transport = \$default_transport
message_size_limit = $_harness_size
mailbox_size_limit = 0
virtual_mailbox_limit = 0
# Tests should not wait minutes for a retry after Dovecot restarts, nor
# a second after each rejected command.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 200
in_flow_delay = 0
smtpd_client_restrictions =
smtpd_helo_restrictions =
smtpd_sender_restrictions =
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = reject_unlisted_recipient
smtpd_tls_cert_file = $HARNESS_DIR/tls/server.pem
smtpd_tls_key_file = $HARNESS_DIR/tls/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_tls_loglevel = 1
smtp_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = $HARNESS_DIR/dovecot/run/auth-postfix
smtpd_sasl_auth_enable = no
EOF
	cat >"$_harness_pf/etc/master.cf" <<EOF || return 1
# Written by tests/harness/harness.sh.  Nothing runs chrooted: every path
# is absolute and inside the harness directory.
127.0.0.1:$HARNESS_SMTP_PORT inet n - n - - smtpd
127.0.0.1:$HARNESS_SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
127.0.0.1:$HARNESS_SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	# Postfix waits until the files it reads are a few seconds old (so as
	# not to read one half written): backdate them.
	touch -d "@$(($(date +%s) - 60))" "$_harness_pf/etc/main.cf" \
		"$_harness_pf/etc/master.cf" "$_harness_pf/etc/vmailbox" || return 1
}

# Postfix runs only as root: postfix(1) and master(8) refuse anyone else.  The
# postfix(1) command, run by root, accepts any "-c DIR"; the check against
# alternate_config_directories in the default main.cf (which a Debian
# install with "No configuration" does not even have) applies only to the
# set-gid commands postdrop(1) and postqueue(1), which the harness does not
# use.  The -c choice is inherited by the commands postfix(1) runs itself
# (postfix-script, postsuper, master) through MAIL_CONFIG.
harness__start_postfix() {
	_harness_pf=$HARNESS_DIR/postfix
	# "start" first creates the queue directories with the owners and
	# modes that postfix-files(5) lists (post-install create-missing).
	if ! PETREL_HARNESS=$_harness_pf postfix -c "$_harness_pf/etc" start \
		</dev/null >>"$_harness_pf/postfix.log" 2>&1; then
		harness__err "Postfix did not start"
		return 1
	fi
	harness__wait_ports "127.0.0.1:$HARNESS_SMTP_PORT=220" \
		"127.0.0.1:$HARNESS_SUBMISSION_PORT=220" "127.0.0.1:$HARNESS_SMTPS_PORT" || {
		harness__err "Postfix is not answering"
		return 1
	}
}

harness__stop_postfix() {
	_harness_pf=$HARNESS_DIR/postfix
	_harness_master=''
	if [ -s "$_harness_pf/spool/pid/master.pid" ]; then
		_harness_master=$(sed -n '1s/[^0-9]//gp' "$_harness_pf/spool/pid/master.pid")
		# "abort" does not wait (and "stop" waits in steps of a second):
		# the waiting is done below.
		postfix -c "$_harness_pf/etc" abort </dev/null >>"$_harness_pf/postfix.log" 2>&1 || :
	fi
	harness__wait_gone postfix "$_harness_master"
}

# harness__teardown [force]: stop whatever of this instance runs; remove
# its directory unless HARNESS_KEEP is set (and force is not given).
harness__teardown() {
	if [ -z "${HARNESS_DIR:-}" ]; then
		return 0
	fi
	if [ -s "$HARNESS_DIR/watchdog.pid" ]; then
		kill "$(cat "$HARNESS_DIR/watchdog.pid")" 2>/dev/null || :
		rm -f "$HARNESS_DIR/watchdog.pid"
	fi
	if [ -d "$HARNESS_DIR/postfix" ]; then
		harness__stop_postfix
	fi
	if [ -d "$HARNESS_DIR/dovecot" ]; then
		harness__stop_dovecot
	fi
	if [ "${HARNESS_KEEP:-0}" != 0 ] && [ "${1:-}" != force ]; then
		harness__err "HARNESS_KEEP is set: kept $HARNESS_DIR"
	else
		rm -rf "$HARNESS_DIR"
	fi
}

harness__unset() {
	unset HARNESS_DIR HARNESS_CA HARNESS_IMAP_PORT HARNESS_IMAPS_PORT \
		HARNESS_POP3_PORT HARNESS_POP3S_PORT HARNESS_SUBMISSION_PORT \
		HARNESS_SMTPS_PORT HARNESS_SMTP_PORT
	_harness_dovecot_conf=''
}

# harness__bind_clash: whether the failed start lost a port to someone else.
harness__bind_clash() {
	cat "$HARNESS_DIR/dovecot/dovecot.log" "$HARNESS_DIR/dovecot/start.log" \
		"$HARNESS_DIR/dovecot/relay.log" "$HARNESS_DIR/postfix/maillog" \
		"$HARNESS_DIR/postfix/postfix.log" 2>/dev/null | grep -q 'in use'
}

harness__start_once() {
	_harness_parent=${TMPDIR:-/tmp}
	# Unix socket paths (LMTP, Postfix's private/*) must stay short.
	if [ ${#_harness_parent} -gt 40 ] || [ ! -d "$_harness_parent" ]; then
		_harness_parent=/tmp
	fi
	HARNESS_DIR=$(mktemp -d "$_harness_parent/petrel-harness.XXXXXX") || {
		harness__err "cannot make a directory in $_harness_parent"
		return 1
	}
	export HARNESS_DIR
	# Dovecot's and Postfix's unprivileged users must reach their files.
	chmod 755 "$HARNESS_DIR" || return 1
	_harness_ports=$(harness__net ports 7) || return 1
	# shellcheck disable=SC2086
	set -- $_harness_ports
	HARNESS_IMAP_PORT=$1 HARNESS_POP3_PORT=$2 HARNESS_IMAPS_PORT=$3 HARNESS_POP3S_PORT=$4
	HARNESS_SUBMISSION_PORT=$5 HARNESS_SMTPS_PORT=$6 HARNESS_SMTP_PORT=$7
	export HARNESS_IMAP_PORT HARNESS_POP3_PORT
	if [ "$_harness_want_tls" = yes ]; then
		export HARNESS_IMAPS_PORT HARNESS_POP3S_PORT
	else
		unset HARNESS_IMAPS_PORT HARNESS_POP3S_PORT
	fi
	if [ "$_harness_want_postfix" = yes ]; then
		export HARNESS_SUBMISSION_PORT HARNESS_SMTPS_PORT HARNESS_SMTP_PORT
	else
		unset HARNESS_SUBMISSION_PORT HARNESS_SMTPS_PORT HARNESS_SMTP_PORT
	fi
	harness__make_ca || return 1
	export HARNESS_CA
	harness__write_dovecot_conf || return 1
	harness__start_dovecot || return 1
	# Make the INBOXes now, so that harness_maildir names existing ones.
	for _harness_u in "$HARNESS_USER1" "$HARNESS_USER2" "$HARNESS_USER3"; do
		harness_doveadm mailbox status -u "$_harness_u" messages INBOX \
			>/dev/null 2>>"$HARNESS_DIR/dovecot/start.log" || {
			harness__err "Dovecot cannot open the INBOX of $_harness_u"
			return 1
		}
	done
	if [ "$_harness_want_postfix" = yes ]; then
		harness__write_postfix_conf || return 1
		harness__start_postfix || return 1
	fi
}

# harness__watchdog: stops the servers if the test's shell dies without
# running its EXIT trap (SIGKILL, a crash).  Not a child of that shell,
# so that a bare `wait` in a test does not wait for it.
harness__watchdog() {
	_harness_shell_pid=$(exec sh -c 'echo $PPID')
	(
		HARNESS_KEEP=${HARNESS_KEEP:-0}
		export top_srcdir HARNESS_KEEP
		# shellcheck disable=SC2016
		harness__net watchdog "$HARNESS_DIR/watchdog.pid" "$_harness_shell_pid" \
			sh -c '. "$top_srcdir/tests/harness/harness.sh"
				HARNESS_DIR=$1
				harness__teardown' sh "$HARNESS_DIR" \
			</dev/null >/dev/null 2>&1 &
	)
	# harness_stop kills it by this pid file: wait until it is there.
	_harness_n=0
	while [ ! -s "$HARNESS_DIR/watchdog.pid" ] && [ "$_harness_n" -lt 100 ]; do
		sleep 0.02
		_harness_n=$((_harness_n + 1))
	done
}

harness_start() {
	_harness_want_tls=yes
	_harness_want_postfix=yes
	for _harness_arg; do
		case $_harness_arg in
		--no-tls) _harness_want_tls=no ;;
		--no-postfix) _harness_want_postfix=no ;;
		*)
			harness__err "harness_start: unknown option $_harness_arg"
			return 1
			;;
		esac
	done
	if [ -n "${HARNESS_DIR:-}" ]; then
		harness__err "harness_start: already running in $HARNESS_DIR; call harness_stop first"
		return 1
	fi
	_harness_size=${HARNESS_SMTP_SIZE_LIMIT:-20480000}
	case $_harness_size in
	'' | *[!0-9]*)
		harness__err "HARNESS_SMTP_SIZE_LIMIT must be a number of bytes, not '$_harness_size'"
		return 1
		;;
	esac
	_harness_need="dovecot doveadm openssl $HARNESS_PYTHON"
	if [ "$_harness_want_postfix" = yes ]; then
		_harness_need="$_harness_need postfix"
		if [ "$(id -u)" -ne 0 ]; then
			harness__err "Postfix runs only as root (postfix(1) and master(8) are reserved for the" \
				"superuser); run the test as root, or call harness_start --no-postfix for IMAP and POP3 only"
			return 1
		fi
	fi
	# dovecot and postfix live in sbin, which a non-root PATH may lack.
	case ":$PATH:" in
	*:/usr/sbin:*) ;;
	*) PATH=$PATH:/usr/sbin:/sbin ;;
	esac
	for _harness_cmd in $_harness_need; do
		if ! command -v "$_harness_cmd" >/dev/null 2>&1; then
			harness__err "$_harness_cmd is not installed (see contrib/install-deps.sh)"
			return 1
		fi
	done
	harness__pick_mail_ids
	# shellcheck disable=SC2154
	trap '_harness_rc=$?; harness_stop; exit $_harness_rc' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	_harness_umask=$(umask)
	umask 022
	_harness_try=1
	while ! harness__start_once; do
		if [ "$_harness_try" -lt 3 ] && harness__bind_clash; then
			# Another program took a port between choosing and binding.
			_harness_try=$((_harness_try + 1))
			harness__teardown force
			harness__unset
			continue
		fi
		harness__logs
		harness__err "start failed; see the logs above"
		umask "$_harness_umask"
		harness__teardown
		harness__unset
		return 1
	done
	umask "$_harness_umask"
	harness__watchdog
	return 0
}

harness_stop() {
	if [ -z "${HARNESS_DIR:-}" ]; then
		return 0
	fi
	harness__teardown
	harness__unset
	return 0
}

harness_restart_dovecot() {
	if [ -z "${HARNESS_DIR:-}" ]; then
		harness__err "harness_restart_dovecot: the harness is not running"
		return 1
	fi
	harness__stop_dovecot
	if ! harness__start_dovecot; then
		harness__logs
		return 1
	fi
}

harness_maildir() {
	if [ $# -ne 1 ] || [ -z "${HARNESS_DIR:-}" ]; then
		harness__err "usage: harness_maildir USER (after harness_start)"
		return 1
	fi
	printf '%s\n' "$HARNESS_DIR/mail/$1/Maildir"
}

harness_doveadm() {
	if [ -z "${_harness_dovecot_conf:-}" ]; then
		harness__err "harness_doveadm: the harness is not running"
		return 1
	fi
	doveadm -c "$_harness_dovecot_conf" "$@"
}

harness_deliver() {
	if [ $# -ne 2 ] || [ ! -r "$2" ]; then
		harness__err "usage: harness_deliver USER FILE (a readable message file)"
		return 1
	fi
	harness_doveadm save -u "$1" -m INBOX <"$2"
}

# harness__count USER: messages in USER's INBOX.
harness__count() {
	harness_doveadm -f flow mailbox status -u "$1" messages INBOX |
		sed -n 's/.*messages=\([0-9]*\).*/\1/p'
}

harness_wait_mail() {
	if [ $# -lt 2 ] || [ $# -gt 3 ]; then
		harness__err "usage: harness_wait_mail USER COUNT [SECONDS]"
		return 1
	fi
	_harness_deadline=$(($(date +%s) + ${3:-10}))
	while :; do
		_harness_have=$(harness__count "$1")
		if [ -n "$_harness_have" ] && [ "$_harness_have" -ge "$2" ]; then
			return 0
		fi
		if [ "$(date +%s)" -gt "$_harness_deadline" ]; then
			break
		fi
		sleep 0.1
	done
	harness__err "harness_wait_mail: $1 has ${_harness_have:-?} messages, not $2, after ${3:-10} s"
	harness__tail "Postfix maillog" "$HARNESS_DIR/postfix/maillog"
	return 1
}
