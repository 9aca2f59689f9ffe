#!/bin/sh
# Stalling servers (CVE-2011-1947 and friends): one that drips its
# greeting a byte a second and one that never speaks both end in a timeout
# error naming the server, within the bound.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/net-lib.sh"

peer_start drip
probe --proto imap --host 127.0.0.1 --port "$port" --tls none --timeout 2000
peer_wait
check_eq "drip: a timeout error (exit 19)" "$rc" 19
check_eq "drip: the sentence" "$errout" \
	"petrel: 127.0.0.1:$port: the server did not answer within 2 seconds"
check "drip: within the bound (took ${elapsed}s)" test "$elapsed" -le 6
check "drip: gave up before the greeting was complete" lacks "$status" "greeting complete"

peer_start silent
probe --proto imap --host 127.0.0.1 --port "$port" --tls implicit --timeout 1000
peer_wait
check_eq "silent during the TLS handshake: exit 19" "$rc" 19
check_eq "silent during the TLS handshake: the sentence" "$errout" \
	"petrel: 127.0.0.1:$port: the server did not answer within 1 second"
check "silent: within the bound (took ${elapsed}s)" test "$elapsed" -le 5
check_contains "silent: the probe closed the connection" "$status" "closed"

finish
