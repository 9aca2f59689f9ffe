#!/bin/sh
# The IMAP backend against a scripted hostile server (imap-peer.py): absurd
# and negative literal counts, a literal shorter than announced, EXISTS
# going backwards, FETCH past EXISTS, an EXPUNGE flood, BYE in the middle
# of a command, NUL bytes, a line without end, BODYSTRUCTURE 10,000 deep,
# plain text injected after the STARTTLS go-ahead, a server that drips one
# byte a second, a reset connection, escapes in an ALERT.  Each ends in a
# clear one-line error (or, where the server's lie is harmless, the right
# listing), within its bound, with no crash or leak (see the sanitizer
# build).
set -u
. "$top_srcdir/tests/lib/tap.sh"
: "${PETREL:?PETREL must name the petrel binary}"
peer_py="$top_srcdir/tests/hostile/imap-peer.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-imap-hostile.XXXXXX") || bail "mktemp failed"
peer_pid=
trap 'if [ -n "$peer_pid" ]; then kill "$peer_pid" 2>/dev/null; fi; rm -rf "$T"' EXIT
HOME="$T/home"
XDG_CACHE_HOME="$HOME/.cache"
MAILRC=/dev/null
TZ=UTC
LC_ALL=C.UTF-8
COLUMNS=80
export HOME XDG_CACHE_HOME MAILRC TZ LC_ALL COLUMNS
mkdir -p "$HOME"
PY=${HARNESS_PYTHON:-python3}
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout "$T/key.pem" -out "$T/cert.pem" 2>"$T/openssl.log" ||
	bail "openssl could not make a certificate"

peer_start() {
	rm -f "$T/port" "$T/status"
	"$PY" "$peer_py" "$1" "$T/port" "$T/status" "$T/cert.pem" "$T/key.pem" \
		2>"$T/peer.log" &
	peer_pid=$!
	_i=0
	while [ ! -s "$T/port" ]; do
		_i=$((_i + 1))
		[ "$_i" -le 100 ] || bail "the scripted peer did not start: $(cat "$T/peer.log")"
		sleep 0.1
	done
	port=$(cat "$T/port")
}

peer_stop() {
	kill "$peer_pid" 2>/dev/null
	wait "$peer_pid" 2>/dev/null
	peer_pid=
	status=$(cat "$T/status" 2>/dev/null)
}

# run SCENARIO [petrel options...]: petrel -H against the peer, plain text
# allowed; sets $out, $errout, $rc, $elapsed.
run() {
	_s=$1
	shift
	peer_start "$_s"
	_t0=$(date +%s)
	"$PETREL" -n -S imap_starttls=no -S imap_allow_plaintext=yes -S timeout=3 "$@" \
		-H -f "imap://u:p@127.0.0.1:$port/INBOX" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	elapsed=$(($(date +%s) - _t0))
	peer_stop
	out=$(cat "$T/out")
	errout=$(cat "$T/err")
}

# one_error DESC NEEDLE: failed, with exactly one line on stderr holding NEEDLE
one_error() {
	check "$1: fails" test "$rc" -ne 0
	check_eq "$1: one line on stderr" "$(printf '%s\n' "$errout" | wc -l | tr -d ' ')" 1
	check_contains "$1: says why" "$errout" "$2"
	check "$1: no crash (exit $rc)" test "$rc" -lt 128
}

run ok
check_eq "honest peer: exit 0" "$rc" 0
check_contains "honest peer: listing" "$out" "Third"

run literal-huge
one_error "literal {4294967295}" "127.0.0.1:$port"
check_contains "literal {4294967295}: the bound named" "$errout" "literal"
check "literal {4294967295}: quickly (${elapsed}s)" test "$elapsed" -le 5

run literal-minus
one_error "literal {-1}" "127.0.0.1:$port"

run literal-short
one_error "literal shorter than announced" "127.0.0.1:$port"

run exists-back
check "EXISTS backwards: no crash (exit $rc)" test "$rc" -lt 128
check "EXISTS backwards: at most one line on stderr" test \
	"$(printf '%s' "$errout" | grep -c '')" -le 1
check_contains "EXISTS backwards: the folder was read again" "$status" "FETCH 1:* (UID FLAGS)"
check_contains "EXISTS backwards: the listing follows the server's last word" "$out" "First"

run fetch-past
check_eq "FETCH past EXISTS: ignored, exit 0" "$rc" 0
check_contains "FETCH past EXISTS: the listing is right" "$out" "Third"
check "FETCH past EXISTS: three lines" test "$(printf '%s\n' "$out" | wc -l)" -eq 3

run expunge-flood
check "EXPUNGE flood: no crash (exit $rc)" test "$rc" -lt 128
check "EXPUNGE flood: quickly (${elapsed}s)" test "$elapsed" -le 10

run bye-mid
one_error "BYE mid-command" "going away now"
check_contains "BYE mid-command: reconnection tried" "$status" "connection 2"

run nul
one_error "NUL byte" "127.0.0.1:$port"
check_contains "NUL byte: named" "$errout" "NUL"

run endless
one_error "endless line" "longer than"
check "endless line: quickly (${elapsed}s)" test "$elapsed" -le 10

run deep
one_error "BODYSTRUCTURE 10,000 deep" "127.0.0.1:$port"
check_contains "BODYSTRUCTURE 10,000 deep: the bound named" "$errout" "deep"

# STARTTLS with a forged CAPABILITY in the go-ahead's write: thrown away,
# capabilities asked again over TLS, the password only sent then.
peer_start starttls-inject
"$PETREL" -n -S "tls_ca_file=$T/cert.pem" -H -f "imap://u:p@127.0.0.1:$port/INBOX" \
	>"$T/out" 2>"$T/err" </dev/null
rc=$?
peer_stop
check_eq "STARTTLS injection: exit 0" "$rc" 0
check_contains "STARTTLS injection: the listing" "$(cat "$T/out")" "Third"
check_contains "STARTTLS injection: capabilities asked over TLS" "$status" "tls
C: a2 CAPABILITY"
check "STARTTLS injection: no login before TLS" test \
	"$(printf '%s\n' "$status" | sed -n '/^tls$/q;p' | grep -c 'LOGIN')" -eq 0

run drip -S timeout=2
one_error "drip" "did not answer within 2 seconds"
check "drip: within the bound (${elapsed}s)" test "$elapsed" -le 6

run reset
one_error "reset" "127.0.0.1:$port"
check "reset: within the bound (${elapsed}s)" test "$elapsed" -le 15

run compress
check_eq "COMPRESS=DEFLATE: exit 0" "$rc" 0
check_contains "COMPRESS=DEFLATE: negotiated" "$status" " COMPRESS DEFLATE
compressing"
check_contains "COMPRESS=DEFLATE: then spoken both ways" "$status" " LOGOUT"
check_contains "COMPRESS=DEFLATE: the listing" "$out" "Third"

run alert-escape
check_eq "ALERT with an escape: exit 0" "$rc" 0
check_contains "ALERT with an escape: shown" "$errout" "mind the escape"
check "ALERT with an escape: no ESC reaches the terminal" test \
	"$(printf '%s' "$errout" | tr -d -c '\033' | wc -c)" -eq 0

# MOVE without the MOVE capability: UID COPY, then the original marked
# deleted and, with UIDPLUS, expunged alone (UID EXPUNGE); without UIDPLUS
# it stays marked deleted, with a warning saying so.
drive_bin="$top_builddir/tests/integration/imap-drive"
# drive_move SCENARIO: moves message 2 to Archive through core.
drive_move() {
	peer_start "$1"
	"$drive_bin" -S imap_starttls=no -S imap_allow_plaintext=yes -S timeout=3 \
		"imap://u:p@127.0.0.1:$port/INBOX" open \
		"move:2:imap://u:p@127.0.0.1:$port/Archive" headers close \
		>"$T/out" 2>"$T/err" </dev/null
	rc=$?
	peer_stop
	out=$(cat "$T/out")
	errout=$(cat "$T/err")
	cmds=$(printf '%s\n' "$status" | sed -n 's/^C: [^ ]* //p' |
		grep -E '^(UID )?(COPY|MOVE|STORE|EXPUNGE)')
}

drive_move nomove
check_eq "no MOVE, UIDPLUS: exit 0" "$rc" 0
check_eq "no MOVE, UIDPLUS: COPY, STORE, UID EXPUNGE" "$cmds" "UID COPY 2 Archive
UID STORE 2 +FLAGS.SILENT (\Deleted)
UID EXPUNGE 2"
check_eq "no MOVE, UIDPLUS: no warning" "$errout" ""
check_contains "no MOVE, UIDPLUS: the original left (a tombstone until the next sync)" "$out" \
	"sum 1 2 -D-- "

drive_move nomove-nouidplus
check_eq "no MOVE nor UIDPLUS: exit 0" "$rc" 0
check_eq "no MOVE nor UIDPLUS: COPY, STORE, no EXPUNGE" "$cmds" "UID COPY 2 Archive
UID STORE 2 +FLAGS.SILENT (\Deleted)"
check_eq "no MOVE nor UIDPLUS: one warning" "$(printf '%s\n' "$errout" | grep -c .)" 1
check_contains "no MOVE nor UIDPLUS: it says they stay marked deleted" "$errout" \
	"marked deleted"
check_contains "no MOVE nor UIDPLUS: the original shows as deleted" "$out" "sum 1 2 -D-- Second"


# A large part fetched in ranges from a slow server (bigpart: 6 MiB at
# about 2 MiB a second).  On a terminal getpart shows its progress on
# standard error; Ctrl-C (SIGINT) stops it once the range under way has
# arrived, with one message and no file.  Without a terminal, no progress.
big_want=$("$PY" -c 'import base64, sys
line = b"UGV0cmVsIHRlc3QgZGF0YSwgbGluZSBhZnRlciBsaW5lLCBmb3IgdGhlIHJhbmdlcy4uLi4u"
sys.stdout.buffer.write(base64.b64decode(line * (6 * 1024 * 1024 // (len(line) + 2))))' |
	sha256sum | cut -d' ' -f1)
# pty_getpart MODE: petrel on a terminal runs "getpart 1 2 $T/got.bin";
# MODE cancel sends Ctrl-C while the second range comes.  Output in $T/pty.out.
pty_getpart() {
	rm -f "$T/got.bin"
	peer_start bigpart
	PYTHONPATH="$top_srcdir/tests/lib" "$PY" - "$PETREL" "$port" "$T" "$1" <<'PY'
import sys
from ptydrive import Pty
petrel, port, T, mode = sys.argv[1:5]
t = Pty([petrel, "-n", "-N", "-S", "imap_starttls=no", "-S", "imap_allow_plaintext=yes",
         "-S", "timeout=5", "-f", "imap://u:p@127.0.0.1:%s/INBOX" % port])
def status():
    try:
        return open(T + "/status").read()
    except OSError:
        return ""
t.read_until(lambda: b"? " in t.out, 10)
t.write(("getpart 1 2 %s/got.bin\n" % T).encode())
if mode == "cancel":
    t.read_until(lambda: "range 1048576\n" in status(), 10)
    t.write(b"\x03")
    t.read_until(lambda: b"nothing saved" in t.out, 10)
else:
    t.read_until(lambda: b"bytes fetched" in t.out, 20)
t.read_until(t.prompted, 5)
t.write(b"quit\n")
t.wait(5)
out = t.out
open(T + "/pty.out", "wb").write(out)
PY
	peer_stop
}

pty_getpart fetch
check_contains "getpart on a terminal: progress shown" "$(cat "$T/pty.out")" "getpart 1 2: "
check_contains "getpart on a terminal: saved" "$(cat "$T/pty.out")" "bytes fetched"
check_eq "getpart on a terminal: byte for byte" \
	"$(sha256sum <"$T/got.bin" 2>/dev/null | cut -d' ' -f1)" "$big_want"

pty_getpart cancel
check_eq "getpart, Ctrl-C: one message" "$(grep -c 'interrupted after' "$T/pty.out")" 1
check_contains "getpart, Ctrl-C: it says nothing was saved" "$(cat "$T/pty.out")" \
	"message 1 part 2: interrupted after 1048576 bytes; nothing saved"
check "getpart, Ctrl-C: no file left" test ! -e "$T/got.bin"
check_contains "getpart, Ctrl-C: the range under way finished" "$status" "range 1048576 sent"
check "getpart, Ctrl-C: no range after it" test "$(printf '%s\n' "$status" | grep -c '^range 2097152')" -eq 0
check "getpart, Ctrl-C: the connection kept" test "$(printf '%s\n' "$status" | grep -c '^connection 2')" -eq 0
check_contains "getpart, Ctrl-C: the session went on (quit logs out)" "$status" " LOGOUT"

peer_start bigpart
printf 'getpart 1 2 %s\n' "$T/got2.bin" | "$PETREL" -n -N -S imap_starttls=no \
	-S imap_allow_plaintext=yes -S timeout=5 -f "imap://u:p@127.0.0.1:$port/INBOX" \
	>"$T/out" 2>"$T/err"
rc=$?
peer_stop
check_eq "getpart without a terminal: exit 0" "$rc" 0
check_eq "getpart without a terminal: nothing on stderr" "$(cat "$T/err")" ""
check_eq "getpart without a terminal: byte for byte" \
	"$(sha256sum <"$T/got2.bin" 2>/dev/null | cut -d' ' -f1)" "$big_want"


# The connection's state as a face hears it (imap-drive prints core's
# CORE_EV_CONN_STATE events): a BYE while idling is a drop, with its
# cause; each attempt to come back is counted; success ends it, and when
# the server stays away the tries end in "offline" with the last cause.
# drive_state SCENARIO STEPS...: imap-drive against the peer.
drive_state() {
	peer_start "$1"
	shift
	"$drive_bin" -S imap_starttls=no -S imap_allow_plaintext=yes -S timeout=3 \
		"imap://u:p@127.0.0.1:$port/INBOX" open "$@" >"$T/out" 2>&1 </dev/null
	rc=$?
	peer_stop
	out=$(cat "$T/out")
}

drive_state idle-bye wait-state:reconnecting:20 wait-state:connected:20 headers
check_eq "BYE while idle: exit 0" "$rc" 0
check_contains "BYE while idle: the face hears of the drop" "$out" "event conn reconnecting 1 at"
check_contains "BYE while idle: and why" "$out" "cause connection: "
check_contains "BYE while idle: in the server's words" "$out" "shutting down for maintenance"
check_contains "BYE while idle: then of the new connection" "$out" "event conn connected 0 at"
check_contains "BYE while idle: the folder reads on" "$out" "sum 2 3 ---- Third"
check_contains "BYE while idle: on a second connection" "$status" "connection 2"

drive_state idle-gone wait-state:offline:40
check_eq "server gone: exit 0" "$rc" 0
check_contains "server gone: every attempt told" "$out" "event conn reconnecting 6 at"
check_contains "server gone: then offline" "$out" "event conn offline 0 at"
check "server gone: offline says why" \
	grep -q '^event conn offline 0 at [0-9]* cause connection: ' "$T/out"

finish
