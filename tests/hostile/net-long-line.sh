#!/bin/sh
# A line without end: a line-too-long error after line_max bytes, not an
# ever-growing buffer.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/hostile/net-lib.sh"

peer_start long-line
probe --proto imap --host 127.0.0.1 --port "$port" --tls none --timeout 10000 --line-max 100000
peer_wait
check_eq "endless line: a protocol error (exit 13)" "$rc" 13
check_eq "endless line: the sentence" "$errout" \
	"petrel: 127.0.0.1:$port: the server sent a line longer than 100000 bytes"
sent=$(printf '%s\n' "$status" | sed -n 's/^sent //p')
check "endless line: the peer got to send only a little (${sent:-?} bytes)" \
	test "${sent:-999999999999}" -lt 67108864

finish
