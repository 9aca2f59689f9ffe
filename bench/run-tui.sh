#!/bin/sh
# The full-screen index on a large IMAP folder, as a user sees it.
#
#   bench/run-tui.sh            (as root; from a build directory, or with PETREL=...)
#
# A generated mailbox of BENCH_TUI_COUNT messages (default 100000;
# bench/gen-mailbox, cached in BENCH_CACHE) is loaded into alice's INBOX
# on the harness's Dovecot (bench/load-dovecot.sh), and petrel's TUI is
# started on imaps://alice@127.0.0.1/INBOX (as spoolfile: -f would give
# the command mode) in an 80x24 pseudo-terminal by
# bench/tui-timing.py, which reads the screen as a terminal would and
# notes when things appear on it.  One untimed warm-up run, then
# BENCH_RUNS runs of each:
#
#   cold: sort=date (the default), empty header cache: the time from
#     start to the first screen of messages (the body of the index full
#     of rows with their summaries, the newest message's subject among
#     them: the cursor starts on the newest message); and, from then
#     until the folder has loaded, `k` every 200 ms: the time from each
#     key to the output that puts the cursor on the previous message;
#   warm: the same with the header cache filled (by one `petrel -H`
#     beforehand, whose entries hold only a listing's fields, then by the
#     untimed warm-up run, which reads the rest and puts them back whole);
#   cold, sort=reverse-date: the newest message on top, `j` every 200 ms.
#
# Targets (issue "The curses TUI"): first screen within 0.2 s, cold or
# warm; key to redraw under 50 ms while the folder loads.  Prints a
# markdown table (also kept in BENCH_CACHE/results/); nothing here passes
# or fails.  BENCH_TUI_KEYS (default 25) bounds the key presses per run.
set -eu

bench_dir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$bench_dir/.." && pwd)
. "$bench_dir/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
. "$bench_dir/load-dovecot.sh"

count=${BENCH_TUI_COUNT:-100000}
nkeys=${BENCH_TUI_KEYS:-25}
py=${HARNESS_PYTHON:-python3}
bench_setup
trap 'bench_cleanup' EXIT
src=$(bench_mailbox "$count")

if ! bench_petrel_feature tui || ! bench_petrel_feature imap; then
	echo "petrel: not supported by this build yet (needs +tui and +imap)"
	exit 0
fi

harness_start --no-postfix
# shellcheck disable=SC2154
trap '_rc=$?; bench_cleanup; harness_stop; exit $_rc' EXIT

user=$HARNESS_USER1
pass=$(bench_password "$user")
bench_load_maildir "$user" "$src"
url="imaps://$user:$pass@127.0.0.1:$HARNESS_IMAPS_PORT/INBOX"

# The newest message's subject, as far as it is plain ASCII and fits the
# subject column of an 80-column index: it is on the first screen.
# The generator's message n is named *Qn.* and gets UID n.
newest=$(find "$src/cur" -type f -name "*Q$count.*" | head -n 1)
marker=$("$py" - "$newest" <<'EOF'
import email, email.policy, sys
with open(sys.argv[1], 'rb') as f:
    m = email.message_from_binary_file(f, policy=email.policy.default)
s = str(m['Subject'] or '')
out = ''
for ch in s[:20]:
    if not (32 <= ord(ch) < 127):
        break
    out += ch
print(out.strip())
EOF
)

# run NAME CACHE-DIR KEY SORT: BENCH_RUNS runs of tui-timing.py, results
# in $BENCH_WORK/NAME-N.json.
run() {
	_r_name=$1
	_r_cache=$2
	_r_key=$3
	_r_sort=$4
	bench_wait_quiet
	_r_load=$(bench_loadavg)
	# Run 0 is the untimed warm-up: Dovecot caches the header fields
	# petrel asks for the first time they are fetched, as for the
	# floors of run-imap.sh.
	_r_i=0
	while [ "$_r_i" -le "$BENCH_RUNS" ]; do
		if [ "$_r_cache" = cold ]; then
			rm -rf "$BENCH_WORK/hc-cold" && mkdir "$BENCH_WORK/hc-cold"
			_r_dir=$BENCH_WORK/hc-cold
		else
			_r_dir=$BENCH_WORK/hc-warm
		fi
		"$py" "$bench_dir/tui-timing.py" --rows 24 --cols 80 --marker "$marker" \
			--keys "$nkeys" --key "$_r_key" --settle 120 \
			--stderr "$BENCH_WORK/$_r_name-$_r_i.err" --dump "$BENCH_WORK/$_r_name-$_r_i.screen" \
			-- "$BENCH_PETREL" -n -S "header_cache=$_r_dir" -S "tls_ca_file=$HARNESS_CA" \
			-S "sort=$_r_sort" -S "spoolfile=$url" >"$BENCH_WORK/$_r_name-$_r_i.json" || :
		if [ -n "${BENCH_TUI_KEEP:-}" ]; then
			mkdir -p "$BENCH_TUI_KEEP"
			cp "$BENCH_WORK/$_r_name-$_r_i".* "$BENCH_TUI_KEEP/"
		fi
		[ "$_r_i" -eq 0 ] && rm -f "$BENCH_WORK/$_r_name-0.json"
		_r_i=$((_r_i + 1))
	done
	RUN_LOAD="$_r_load → $(bench_loadavg)"
}

row() {
	"$py" "$bench_dir/tui-timing.py" summarize "$1" 0.2 "$RUN_LOAD" "$BENCH_WORK/$2"-*.json \
		>>"$BENCH_TABLE"
}

{
	echo "## TUI: $count messages over IMAP"
	echo
	bench_machine
	echo "- folder: $url (password left out below), through the harness's relay"
	echo "- terminal: 80x24 pty, TERM=xterm-256color; the first screen must show the newest message's subject: \"$marker\""
	echo
	echo "| case | runs | first row (s) | first screen (s), median (range) | still loading then | loaded (s) | keys sent | key→redraw median (ms) | max (ms) | keys with no redraw in 2 s | targets: 0.2 s, 50 ms | load average |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
} | sed "s/$pass/PASS/g" >>"$BENCH_TABLE"

run cold cold k date
row "cold, sort=date, k while loading" cold

rm -rf "$BENCH_WORK/hc-warm" && mkdir "$BENCH_WORK/hc-warm"
"$BENCH_PETREL" -n -S "header_cache=$BENCH_WORK/hc-warm" -S "tls_ca_file=$HARNESS_CA" \
	-H -f "$url" >/dev/null 2>"$BENCH_WORK/fill.err" ||
	bench_err "filling the header cache failed: $(head -n 1 "$BENCH_WORK/fill.err")"
run warm warm k date
row "warm, sort=date, k while loading" warm

run rcold cold j reverse-date
row "cold, sort=reverse-date, j while loading" rcold

result=$BENCH_CACHE/results/tui-$(date -u +%Y%m%d-%H%M%S).md
cp "$BENCH_TABLE" "$result"
cat "$BENCH_TABLE"
bench_err "results kept in $result"
