#!/bin/sh
# The mailx face takes in new mail while it waits at its prompt: a message
# delivered while an IMAP folder is open (IMAP IDLE) or while a local mbox
# is open (the worker looks at it every second) is announced before a later
# prompt and joins the end of the list, so the numbers already shown still
# name the same messages.  A script reading commands from a pipe keeps the
# numbering it started with.
set -u
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/imap-lib.sh"

msg 1 "Already there"
msg 2 "Arrived meanwhile"
deliver alice "$T/msg1.eml"

# on_pty TRIGGER ARGS...: petrel ARGS... on a terminal.  At the first
# prompt it runs the shell command TRIGGER, then types "=" until petrel
# announces new mail (at most 20 s), then "h", "p 2" and "quit".  The
# session's output goes to standard output.
on_pty() {
	PYTHONPATH="$top_srcdir/tests/lib" "$HARNESS_PYTHON" - "$PETREL" "$HARNESS_CA" "$@" <<'PY'
import subprocess, sys, time
from ptydrive import Pty
petrel, ca, trigger = sys.argv[1:4]
t = Pty([petrel, "-n", "-S", "tls_ca_file=" + ca] + sys.argv[4:])
t.read_until(t.prompted, 20)
subprocess.run(trigger, shell=True, check=True)
end = time.time() + 20
while b"New mail has arrived" not in t.out and time.time() < end:
    time.sleep(0.3)
    t.command(b"=\n")
t.command(b"h\n")
t.command(b"p 2\n")
t.write(b"quit\n")
sys.stdout.write(t.text() + "exit %d\n" % t.wait())
PY
}

# The delivery is doveadm's, run from the terminal driver once petrel waits.
out=$(on_pty "doveadm -c '$_harness_dovecot_conf' save -u alice -m INBOX <'$T/msg2.eml'" \
	-f "$(url)")
check_contains "IMAP: new mail announced at the prompt" "$out" \
	"New mail has arrived: 1 new message (2-2)."
check_contains "IMAP: the new message is number 2 in the list" "$out" " 2 sender2@example.org"
check_contains "IMAP: it can be read by its number" "$out" "Body of message 2."
check_contains "IMAP: the session ends normally" "$out" "exit 0"

# A local mbox grows while it is open.
cat >"$T/box" <<EOF
From sender1@example.org Mon Jun  2 10:00:00 2025
$(cat "$T/msg1.eml")

EOF
out=$(on_pty "{ echo 'From sender2@example.org Mon Jun  3 10:00:00 2025'; cat '$T/msg2.eml'; echo; } >>'$T/box'" \
	-f "$T/box")
check_contains "mbox: new mail announced at the prompt" "$out" \
	"New mail has arrived: 1 new message (2-2)."
check_contains "mbox: the new message can be read by its number" "$out" "Body of message 2."

# From a pipe, commands see the folder as it was when they started.
out=$(printf 'h\nquit\n' | pt -N -f "$T/box" 2>&1)
check "a script is not told of news" sh -c '! printf "%s" "$1" | grep -q "New mail has arrived"' - "$out"
finish
