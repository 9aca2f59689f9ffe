# Shared by tests/hostile/net-*.sh: a throw-away certificate, the scripted
# peer (net-peer.py) and the probe.  Source after tests/lib/tap.sh.
#   net_cert                 makes $net_tmp/cert.pem and key.pem (localhost, 127.0.0.1)
#   peer_start SCENARIO      starts the peer; sets $port
#   peer_wait                waits for the peer to finish; sets $status (its notes)
#   probe ARGS...            runs net-probe; sets $out, $errout, $rc, $elapsed (seconds)
probe_bin="$top_builddir/tests/tools/net-probe"
peer_py="$top_srcdir/tests/hostile/net-peer.py"
net_tmp=$(mktemp -d "${TMPDIR:-/tmp}/petrel-hostile.XXXXXX") || bail "mktemp failed"
peer_pid=
trap 'if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null; fi; rm -rf "$net_tmp"' EXIT

command -v python3 >/dev/null 2>&1 || bail "python3 is needed for the scripted peer"

net_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
		-keyout "$net_tmp/key.pem" -out "$net_tmp/cert.pem" 2>"$net_tmp/openssl.log" ||
		bail "openssl could not make a certificate: $(cat "$net_tmp/openssl.log")"
}

peer_start() {
	rm -f "$net_tmp/port" "$net_tmp/status"
	python3 "$peer_py" "$1" "$net_tmp/port" "$net_tmp/status" \
		"$net_tmp/cert.pem" "$net_tmp/key.pem" 2>"$net_tmp/peer.log" &
	peer_pid=$!
	_i=0
	while [ ! -s "$net_tmp/port" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || bail "the scripted peer did not start: $(cat "$net_tmp/peer.log")"
		sleep 0.1
	done
	port=$(cat "$net_tmp/port")
}

peer_wait() {
	wait "$peer_pid"
	peer_pid=
	status=$(cat "$net_tmp/status" 2>/dev/null)
}

probe() {
	_t0=$(date +%s)
	"$probe_bin" "$@" >"$net_tmp/out" 2>"$net_tmp/err"
	rc=$?
	elapsed=$(($(date +%s) - _t0))
	out=$(cat "$net_tmp/out")
	errout=$(cat "$net_tmp/err")
}

# lacks TEXT NEEDLE...: true when TEXT holds none of the NEEDLEs
lacks() {
	_text=$1
	shift
	for _needle; do
		case "$_text" in
		*"$_needle"*) return 1 ;;
		esac
	done
	return 0
}
