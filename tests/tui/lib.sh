# Shared set-up for the TUI tests: source after tests/lib/tap.sh.
#
# Each test runs petrel in its own tmux server (-L petrel-test-PID, no
# configuration), in a temporary HOME with no user configuration, and
# reads the screen with capture-pane.  Waits poll the pane until the text
# shows up, up to a bound, rather than sleeping fixed times.  The tmux
# server is always killed at the end.
set -u
: "${PETREL:?PETREL must name the petrel binary}"
: "${top_srcdir:?}"
command -v tmux >/dev/null || bail "tmux is needed (contrib/install-deps.sh installs it)"

T=$(mktemp -d "${TMPDIR:-/tmp}/petrel-tui.XXXXXX") || bail "no temporary directory"
# One tmux server per run of petrel (a server being killed may still
# hold its socket when the next one starts).
runs=0
sock="petrel-test-$$-$runs"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
# A signal (make interrupted, a closed pipe) still kills the tmux server.
trap 'exit 1' HUP INT TERM PIPE
HOME="$T/home"
mkdir -p "$HOME"
export HOME
# The terminal and locale a test runs in; tests may change them before
# tui_start.
TUI_TERM=${TUI_TERM:-xterm-256color}
TUI_LANG=${TUI_LANG:-C.UTF-8}
TUI_COLS=${TUI_COLS:-80}
TUI_ROWS=${TUI_ROWS:-24}
# How long a wait may take, in tenths of a second.
TUI_WAIT=${TUI_WAIT:-100}

# tui_start ARGS...: runs petrel ARGS in a fresh session; when it ends,
# the pane shows "EXIT=status" and the terminal modes (stty) after it.
tui_start() {
	cmd="'$PETREL' -n"
	for a in "$@"; do
		cmd="$cmd '$a'"
	done
	cat > "$T/run" <<EOS
#!/bin/sh
cd '$T'
env HOME='$HOME' TERM='$TUI_TERM' LC_ALL='$TUI_LANG' TZ=UTC MAILRC=/dev/null \
	XDG_CONFIG_HOME='$HOME/.config' USER=tester LOGNAME=tester \
	PATH='${TUI_PATH:-$PATH}' EDITOR='${TUI_EDITOR:-false}' VISUAL='${TUI_EDITOR:-false}' \
	$cmd 2>'$T/stderr'
echo "EXIT=\$?"
stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '
echo
sleep 600
EOS
	chmod +x "$T/run"
	tm kill-server 2>/dev/null
	keep_stderr
	runs=$((runs + 1))
	sock="petrel-test-$$-$runs"
	tm -f /dev/null new-session -d -s t -x "$TUI_COLS" -y "$TUI_ROWS" "$T/run"
}

# tui_start_job ARGS...: as tui_start, but petrel is typed at an
# interactive shell (bash) and runs as its job, so that job control
# (Ctrl-Z, fg) works as it does for a user.  job_report prints what the
# pane shows after tui_start (EXIT=, the terminal modes) once petrel has
# ended.
tui_start_job() {
	tui_start "$@"
	tm kill-server 2>/dev/null
	runs=$((runs + 1))
	sock="petrel-test-$$-$runs"
	tm -f /dev/null new-session -d -s t -x "$TUI_COLS" -y "$TUI_ROWS" \
		"cd '$T' && env PS1='$ ' HOME='$HOME' bash --norc --noprofile -i"
	wait_for '$' || return 1
	job="env HOME='$HOME' TERM='$TUI_TERM' LC_ALL='$TUI_LANG' TZ=UTC MAILRC=/dev/null"
	job="$job XDG_CONFIG_HOME='$HOME/.config' EDITOR=false VISUAL=false $cmd 2>'$T/stderr'"
	keys "$job" Enter
}

job_report() {
	keys "echo EXIT=\$?; stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo" Enter
}

# What each run of petrel wrote to standard error, kept for the
# sanitizer check.
keep_stderr() {
	[ -f "$T/stderr" ] && cat "$T/stderr" >> "$T/stderr.all"
	: > "$T/stderr"
}

# No run reported a memory or undefined-behaviour error (a build with
# --enable-sanitizers writes those to standard error).
no_sanitizer_reports() {
	keep_stderr
	! grep -E "AddressSanitizer|LeakSanitizer|runtime error:" "$T/stderr.all" >&2
}

screen() {
	tm capture-pane -t t -p
}

# wait_for TEXT: waits until the pane shows TEXT (a fixed string).
wait_for() {
	i=0
	while [ $i -lt "$TUI_WAIT" ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# waited for: $1" >&2
	screen | sed 's/^/#   | /' >&2
	return 1
}

# wait_gone TEXT: waits until the pane no longer shows TEXT.
wait_gone() {
	i=0
	while [ $i -lt "$TUI_WAIT" ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# still shown: $1" >&2
	return 1
}

# wait_line N TEXT: waits until screen line N (from 1) contains TEXT.
wait_line() {
	i=0
	while [ $i -lt "$TUI_WAIT" ]; do
		screen | sed -n "$1p" | grep -qF -- "$2" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# line $1 never showed: $2; it is:" >&2
	screen | sed -n "$1p" | sed 's/^/#   | /' >&2
	return 1
}

# wait_until COMMAND...: waits until COMMAND succeeds.
wait_until() {
	i=0
	while [ $i -lt "$TUI_WAIT" ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_file PATH: waits until PATH exists.
wait_file() {
	i=0
	while [ $i -lt "$TUI_WAIT" ]; do
		[ -e "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

keys() {
	tm send-keys -t t "$@"
}

# The cursor line of a list: the first body line drawn in reverse video.
# capture-pane -e writes attributes only where they change, so the state
# is followed across lines.
cursor_line() {
	tm capture-pane -t t -p -e | python3 -c '
import re, sys
rows = int(sys.argv[1])
rev = False
for n, line in enumerate(sys.stdin.read().split("\n"), 1):
    text, start_rev = "", None
    for part in re.split("(\x1b\\[[0-9;]*m)", line):
        if part.startswith("\x1b["):
            for code in (part[2:-1] or "0").split(";"):
                if code in ("0", ""):
                    rev = False
                elif code == "7":
                    rev = True
                elif code == "27":
                    rev = False
        else:
            if part.strip() and start_rev is None:
                start_rev = rev
            text += part
    if 2 <= n <= rows - 2 and start_rev:
        print(text)
        break
' "$TUI_ROWS"
}

# wait_cursor TEXT: waits until the reverse-video line contains TEXT.
wait_cursor() {
	i=0
	while [ $i -lt "$TUI_WAIT" ]; do
		cursor_line | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "# cursor never on: $1; it is on:" >&2
	cursor_line | sed 's/^/#   | /' >&2
	return 1
}

# The sample store of contrib/, as a maildir in $1.
make_sample() {
	sh "$top_srcdir/contrib/make-sample-store.sh" "$1" >/dev/null
}

# An mbox in $2 made of the sample messages whose names match $1 (a
# shell pattern), with a Status header for the read ones.
make_mbox() {
	: > "$2"
	for f in "$top_srcdir"/contrib/sample/$1; do
		echo "From sample@petrel Thu Jan  1 00:00:00 2026" >> "$2"
		case "$(basename "$f")" in
		cur-*) echo "Status: RO" >> "$2" ;;
		esac
		sed 's/^From />From /' "$f" >> "$2"
		echo >> "$2"
	done
}

# Checks that the pane shows the shell again with a sane terminal.
restored() {
	wait_for "EXIT=$1" && wait_for "icanon echo"
}

# A sendmail program that records each message it is given in $SM_DIR
# (N.args, N.msg, N counting from 0) and fails with 75 while the file
# $T/sendmail-fails exists; its path is $T/sendmail.
capture_sendmail() {
	command -v python3 >/dev/null || bail "python3 is needed to check messages"
	SM_DIR="$T/sent"
	mkdir -p "$SM_DIR"
	cat > "$T/sendmail" <<EOS
#!/bin/sh
n=\$(ls '$SM_DIR' | grep -c '\\.args\$')
printf '%s\\n' "\$@" > '$SM_DIR/'\$n.args
cat > '$SM_DIR/'\$n.msg
[ -f '$T/sendmail-fails' ] && exit 75
exit 0
EOS
	chmod +x "$T/sendmail"
}

# field N NAME: a decoded header field of the Nth message sent.
field() {
	python3 - "$SM_DIR/$1.msg" "$2" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
v = m[sys.argv[2]]
print('' if v is None else str(v))
EOP
}

# body N: the plain text of the Nth message sent.
body() {
	python3 - "$SM_DIR/$1.msg" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
print(m.get_body(preferencelist=('plain',)).get_content(), end='')
EOP
}

# attached N NAME: the text of the Nth message's attachment NAME.
attached() {
	python3 - "$SM_DIR/$1.msg" "$2" <<'EOP'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
for p in m.iter_attachments():
    if p.get_filename() == sys.argv[2]:
        print(p.get_content(), end='')
EOP
}
