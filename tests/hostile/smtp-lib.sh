# Shared by tests/hostile/smtp-*.sh and tests/cli/send-smtp-*.sh: petrel
# in a private HOME sending to the scripted server tests/hostile/smtp-peer.py.
# Source after tests/lib/tap.sh.
#   peer_start SCENARIO [tls]  starts the peer (a certificate with "tls"); sets $port
#   peer_stop                  stops it; $status holds what it noted
#   pt ARGS...                 petrel -n for smtp://127.0.0.1:$port; sets $out, $errout, $rc
#   spooled                    how many messages the peer accepted
#   outbox_count, outbox_files the messages in the outbox, and their files
#   lines TEXT                 how many lines TEXT has
set -u
: "${PETREL:?PETREL must name the petrel binary}"
: "${top_srcdir:?}"
command -v python3 >/dev/null 2>&1 || bail "python3 is needed for the scripted server"
peer_py="$top_srcdir/tests/hostile/smtp-peer.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-smtp.XXXXXX") || bail "no temporary directory"
peer_pid=
trap 'if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null; fi; rm -rf "$T"' EXIT
HOME="$T/home"
mkdir -p "$HOME" "$T/spool"
cd "$T" || bail "cannot enter $T"
USER=alice
LOGNAME=alice
MAILRC=/dev/null
TZ=UTC
LC_ALL=C.UTF-8
XDG_CONFIG_HOME="$HOME/.config"
XDG_STATE_HOME="$T/state"
export HOME USER LOGNAME MAILRC TZ LC_ALL XDG_CONFIG_HOME XDG_STATE_HOME
unset DEAD record folder MAIL PEER_SIZE PEER_NO_8BIT PEER_UTF8
OUTBOX="$XDG_STATE_HOME/petrel/outbox"
port=
peer_tls=

peer_cert() {
	[ -s "$T/cert.pem" ] && return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$T/key.pem" -out "$T/cert.pem" 2>"$T/openssl.log" ||
		bail "openssl could not make a certificate: $(cat "$T/openssl.log")"
}

peer_start() {
	peer_stop
	rm -f "$T/port" "$T/status"
	rm -rf "$T/spool"
	mkdir -p "$T/spool"
	peer_tls=${2:-}
	if [ "$peer_tls" = tls ]; then
		peer_cert
		python3 "$peer_py" "$1" "$T/port" "$T/status" "$T/spool" "$T/cert.pem" "$T/key.pem" \
			2>"$T/peer.log" &
	else
		python3 "$peer_py" "$1" "$T/port" "$T/status" "$T/spool" 2>"$T/peer.log" &
	fi
	peer_pid=$!
	_i=0
	while [ ! -s "$T/port" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || bail "the scripted server did not start: $(cat "$T/peer.log")"
		sleep 0.1
	done
	port=$(cat "$T/port")
}

peer_stop() {
	if [ -n "$peer_pid" ]; then
		kill "$peer_pid" 2>/dev/null
		wait "$peer_pid" 2>/dev/null
		peer_pid=
	fi
	status=$(cat "$T/status" 2>/dev/null)
}

pt() {
	if [ "$peer_tls" = tls ]; then
		set -- -S "smtp_url=smtp://alice:secret@127.0.0.1:$port" -S "tls_ca_file=$T/cert.pem" "$@"
	else
		set -- -S "smtp_url=smtp://127.0.0.1:$port" -S smtp_starttls=no "$@"
	fi
	"$PETREL" -n -S "from=Alice <alice@example.org>" -S sendmail=/bin/false -S timeout=10 \
		"$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	errout=$(cat "$T/err")
	status=$(cat "$T/status" 2>/dev/null)
}

spooled() {
	find "$T/spool" -name '*.msg' | wc -l | tr -d ' '
}

outbox_files() {
	find "$OUTBOX/new" "$OUTBOX/cur" -type f 2>/dev/null | sort
}

outbox_count() {
	outbox_files | wc -l | tr -d ' '
}

lines() {
	if [ -z "$1" ]; then
		echo 0
	else
		printf '%s\n' "$1" | wc -l | tr -d ' '
	fi
}
