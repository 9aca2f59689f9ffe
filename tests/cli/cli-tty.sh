#!/bin/sh
# Command mode on a terminal (in tmux): the prompt, an empty line meaning
# next, and paging through PAGER when crt is set.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/cli/lib.sh"

command -v tmux >/dev/null || bail "tmux is needed (contrib/install-deps.sh installs it)"
sock="petrel-cli-$$"
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
cp "$data/basic.mbox" box
cat > "$T/pager" <<'EOS'
#!/bin/sh
cat > "$HOME/paged"
echo "[paged]"
EOS
chmod +x "$T/pager"

# screen NEEDLE: waits (at most 5 s) until the pane shows NEEDLE.
screen_has() {
	i=0
	while [ $i -lt 50 ]; do
		tm capture-pane -t t -p | grep -qF -- "$1" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

tm new-session -d -s t -x 100 -y 30 \
	"env HOME='$HOME' MAILRC=/dev/null TZ=UTC LC_ALL=C.UTF-8 USER=tester PAGER='$T/pager' '$PETREL' -n -f '$T/box'; sleep 30"
check "the header summary is shown" screen_has ">N  1 alice@example.org"
check "the prompt is shown" screen_has "? "
tm send-keys -t t "t 3" Enter
check "type works at the prompt" screen_has "The report is ready."
tm send-keys -t t "" Enter
check "an empty line types the next message" screen_has "Notes from the meeting."
tm send-keys -t t "set crt=3" Enter "t 2" Enter
check "long output goes through PAGER when crt is set" screen_has "[paged]"
check "the pager got the message" grep -q "Line seven." "$HOME/paged"
tm send-keys -t t "x" Enter
check "exit leaves the folder unchanged" sh -c 'sleep 0.5; cmp -s "$1" "$2"' - box "$data/basic.mbox"
finish
