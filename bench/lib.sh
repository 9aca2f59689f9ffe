# shellcheck shell=sh
# Shared by bench/run-*.sh and bench/load-dovecot.sh: source it.
#
#   bench_setup                 variables, floors built, petrel found
#   bench_mailbox COUNT         prints a cached generated maildir (made if missing)
#   bench_new_messages          prints a cached maildir of 100 later messages
#   bench_measure NAME CMD...   one untimed warm-up run, then BENCH_RUNS timed ones
#   bench_row ...               one line of the results table
#   bench_petrel_feature F      whether `petrel --version` lists +F
#   bench_machine               the machine, as markdown
#
# Environment (all optional):
#   BENCH_CACHE   generated mailboxes, built floors, results (default /tmp/petrel-bench)
#   BENCH_RUNS    timed runs per measurement; the median is reported (default 5)
#   BENCH_SEED    seed of the generated mailboxes (default 1)
#   PETREL        the petrel binary (default: ./petrel if there, else petrel in PATH)
#   BENCH_QUIET_LOAD  before each measurement, wait until the 1-minute load
#                 average is below this (e.g. 1.5), but at most
#                 BENCH_QUIET_WAIT seconds (default 300); unset: do not wait

: "${BENCH_CACHE:=/tmp/petrel-bench}"
: "${BENCH_RUNS:=5}"
: "${BENCH_SEED:=1}"
export BENCH_CACHE BENCH_RUNS BENCH_SEED

bench_err() {
	printf 'bench: %s\n' "$*" >&2
}

bench_setup() {
	BENCH_SRC=${BENCH_SRC:-$(cd "$(dirname "$0")" && pwd)}
	top_srcdir=$(cd "$BENCH_SRC/.." && pwd)
	export top_srcdir
	BENCH_BIN=$BENCH_CACHE/bin
	mkdir -p "$BENCH_CACHE/results" || return 1
	"$BENCH_SRC/build.sh" "$BENCH_BIN" || {
		bench_err "could not build the floors (bench/build.sh)"
		return 1
	}
	if [ -z "${PETREL:-}" ]; then
		if [ -x ./petrel ]; then
			PETREL=./petrel
		else
			PETREL=$(command -v petrel 2>/dev/null || :)
		fi
	fi
	if [ -n "$PETREL" ]; then
		case $PETREL in
		/*) ;;
		*) PETREL=$(pwd)/$PETREL ;;
		esac
		[ -x "$PETREL" ] || {
			bench_err "PETREL=$PETREL is not an executable"
			return 1
		}
		BENCH_PETREL_VERSION=$("$PETREL" --version 2>&1 || :)
	else
		BENCH_PETREL_VERSION="(no petrel binary: set PETREL)"
	fi
	BENCH_WORK=$(mktemp -d "${TMPDIR:-/tmp}/petrel-bench-run.XXXXXX") || return 1
	# petrel runs with a home of its own: no user configuration, no
	# system mailbox, no cache left from another run.  BENCH_PETREL is
	# a wrapper that sets that up and execs petrel (so timeit measures
	# petrel's own memory); BENCH_NOTMUCH_CONFIG and BENCH_UNSET_MAIL
	# in its environment change the notmuch configuration and unset MAIL.
	mkdir -p "$BENCH_WORK/home/.config" "$BENCH_WORK/home/.cache" "$BENCH_WORK/home/.local/state"
	BENCH_PETREL=$BENCH_WORK/petrel
	cat >"$BENCH_PETREL" <<EOF
#!/bin/sh
HOME=$BENCH_WORK/home
XDG_CONFIG_HOME=$BENCH_WORK/home/.config
XDG_CACHE_HOME=$BENCH_WORK/home/.cache
XDG_STATE_HOME=$BENCH_WORK/home/.local/state
MAILRC=/dev/null
NOTMUCH_CONFIG=\${BENCH_NOTMUCH_CONFIG:-$BENCH_WORK/no-notmuch}
COLUMNS=100
LC_ALL=C.UTF-8
export HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_STATE_HOME MAILRC NOTMUCH_CONFIG COLUMNS LC_ALL
if [ -n "\${BENCH_UNSET_MAIL:-}" ]; then
	unset MAIL
else
	MAIL=$BENCH_WORK/no-mail
	export MAIL
fi
exec "$PETREL" "\$@"
EOF
	chmod +x "$BENCH_PETREL"
	BENCH_TABLE=$BENCH_WORK/table.md
	: >"$BENCH_TABLE"
}

# bench_cleanup: removes the run's scratch directory.
bench_cleanup() {
	if [ -n "${BENCH_WORK:-}" ] && [ -d "$BENCH_WORK" ]; then
		rm -rf "$BENCH_WORK"
	fi
}

bench_petrel_feature() {
	printf '%s\n' "$BENCH_PETREL_VERSION" | grep -q "^features:.* +$1\\b"
}

# bench_mailbox COUNT: the path of a generated maildir of COUNT messages,
# with the verifiable 5 MB attachment as its last message.  Made once per
# count, seed and generator version; later runs reuse it.
bench_mailbox() {
	_bm_ver=$(sed -n 's/^VERSION = //p' "$BENCH_SRC/gen-mailbox")
	_bm_dir=$BENCH_CACHE/mail-$1-s$BENCH_SEED-v$_bm_ver
	if [ ! -s "$_bm_dir/manifest" ]; then
		rm -rf "$_bm_dir.tmp"
		bench_err "generating $1 messages into $_bm_dir"
		"${HARNESS_PYTHON:-python3}" "$BENCH_SRC/gen-mailbox" -q -n "$1" --seed "$BENCH_SEED" \
			--one-attachment-mb 5 -o "$_bm_dir.tmp" || return 1
		# The manifest is written last: its presence marks a whole mailbox.
		mv "$_bm_dir.tmp" "$_bm_dir" || return 1
	fi
	printf '%s\n' "$_bm_dir"
}

# bench_new_messages: 100 messages dated after every generated mailbox,
# for the "100 new messages" of the warm-open-after-changes case.
bench_new_messages() {
	_bm_ver=$(sed -n 's/^VERSION = //p' "$BENCH_SRC/gen-mailbox")
	_bm_dir=$BENCH_CACHE/new-100-s$BENCH_SEED-v$_bm_ver
	if [ ! -s "$_bm_dir/manifest" ]; then
		rm -rf "$_bm_dir.tmp"
		"${HARNESS_PYTHON:-python3}" "$BENCH_SRC/gen-mailbox" -q -n 100 --seed $((BENCH_SEED + 1000)) \
			--start-date 2024-03-01 --years 0.05 -o "$_bm_dir.tmp" || return 1
		mv "$_bm_dir.tmp" "$_bm_dir" || return 1
	fi
	printf '%s\n' "$_bm_dir"
}

# bench_direct: after harness_start, sets BENCH_DIRECT_HOST, the address
# Dovecot itself listens on behind the harness's relay (see
# tests/harness/README.md), and BENCH_DIRECT_PETREL_OPTS, the options
# petrel needs to connect there.  The relay is a Python program that
# copies every byte, which costs time on large transfers; the rows
# "straight to Dovecot" leave it out for both clients.  The harness's
# certificate names 127.0.0.1 and localhost only, so unless it also
# names the direct address, petrel is told not to verify it there
# (floor-imap and floor-pop3 check the certificate against 127.0.0.1).
# shellcheck disable=SC2034
bench_direct() {
	BENCH_DIRECT_HOST=${BENCH_DIRECT_HOST:-127.0.0.2}
	if openssl x509 -in "$HARNESS_DIR/tls/server.pem" -noout -ext subjectAltName 2>/dev/null |
		grep -q "IP Address:$BENCH_DIRECT_HOST\b"; then
		BENCH_DIRECT_PETREL_OPTS=
		BENCH_DIRECT_VERIFY_NAME=$BENCH_DIRECT_HOST
	else
		BENCH_DIRECT_PETREL_OPTS="-S tls_verify=no"
		BENCH_DIRECT_VERIFY_NAME=127.0.0.1
	fi
}

# bench_manifest DIR KEY: one value from a generated mailbox's manifest.
bench_manifest() {
	sed -n "s/^$2=//p" "$1/manifest"
}

bench_loadavg() {
	cut -d' ' -f1-3 /proc/loadavg
}

# bench_wait_quiet: see BENCH_QUIET_LOAD.
bench_wait_quiet() {
	[ -n "${BENCH_QUIET_LOAD:-}" ] || return 0
	_bq_end=$(($(date +%s) + ${BENCH_QUIET_WAIT:-300}))
	while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v q="$BENCH_QUIET_LOAD" \
		'BEGIN { exit !(l >= q) }'; do
		if [ "$(date +%s)" -ge "$_bq_end" ]; then
			bench_err "load average still $(bench_loadavg) after ${BENCH_QUIET_WAIT:-300} s; going on"
			return 0
		fi
		sleep 5
	done
}

# bench_median FILE: the median of the numbers in FILE, one a line.
bench_median() {
	sort -g "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_measure NAME CMD...: runs CMD once untimed (it warms the server's
# caches and tells whether the command works at all), then BENCH_RUNS
# times under timeit.  Standard input is BM_STDIN (a file; default
# /dev/null); standard output goes to $BENCH_WORK/NAME.out (the last run's
# is kept) and standard error to $BENCH_WORK/NAME.err.  Before every run,
# the shell function named by BM_PREPARE is called, if set; after every
# run, BM_CHECK is called with the output file and must return 0 for the
# run to count.  Sets:
#   BM_OK       yes, or no (then BM_WHY says why: the first line of stderr)
#   BM_MEDIAN BM_MIN BM_MAX   wall seconds     BM_RSS  peak KB (the largest)
#   BM_CPU      median CPU seconds (user + system) of the client process
#   BM_LOAD     the load average when the runs started
bench_measure() {
	_bm_name=$1
	shift
	_bm_out=$BENCH_WORK/$_bm_name.out
	_bm_err=$BENCH_WORK/$_bm_name.err
	_bm_times=$BENCH_WORK/$_bm_name.times
	: >"$_bm_times"
	BM_MEDIAN='' BM_MIN='' BM_MAX='' BM_RSS='' BM_CPU=''
	BM_OK=yes
	BM_WHY=
	bench_wait_quiet
	BM_LOAD=$(bench_loadavg)
	_bm_i=0
	while [ "$_bm_i" -le "$BENCH_RUNS" ]; do
		if [ -n "${BM_PREPARE:-}" ]; then
			"$BM_PREPARE" || {
				BM_OK=no
				BM_WHY="preparing the run failed"
				return 0
			}
		fi
		# "|| _bm_rc=$?": a failing command must not end a script
		# running under set -e.
		_bm_rc=0
		if [ "$_bm_i" -eq 0 ]; then
			# The warm-up run, untimed.
			"$@" <"${BM_STDIN:-/dev/null}" >"$_bm_out" 2>"$_bm_err" || _bm_rc=$?
		else
			"$BENCH_BIN/timeit" -o "$BENCH_WORK/timeit.out" "$@" \
				<"${BM_STDIN:-/dev/null}" >"$_bm_out" 2>"$_bm_err" || _bm_rc=$?
		fi
		if [ "$_bm_rc" -ne 0 ]; then
			BM_OK=no
			BM_WHY=$(grep -m1 . "$_bm_err" | cut -c1-160)
			[ -n "$BM_WHY" ] || BM_WHY="exit status $_bm_rc"
			return 0
		fi
		if [ -n "${BM_CHECK:-}" ] && ! "$BM_CHECK" "$_bm_out"; then
			BM_OK=no
			BM_WHY=${BM_CHECK_WHY:-"the output failed its check"}
			return 0
		fi
		if [ "$_bm_i" -gt 0 ]; then
			cat "$BENCH_WORK/timeit.out" >>"$_bm_times"
		fi
		_bm_i=$((_bm_i + 1))
	done
	cut -d' ' -f1 "$_bm_times" >"$_bm_times.wall"
	BM_MEDIAN=$(bench_median "$_bm_times.wall")
	BM_MIN=$(sort -g "$_bm_times.wall" | head -n1)
	BM_MAX=$(sort -g "$_bm_times.wall" | tail -n1)
	BM_RSS=$(cut -d' ' -f2 "$_bm_times" | sort -n | tail -n1)
	awk '{ print $3 + $4 }' "$_bm_times" >"$_bm_times.cpu"
	BM_CPU=$(bench_median "$_bm_times.cpu")
	# Load at the end too: a busy machine shows in a rising number.
	BM_LOAD="$BM_LOAD → $(bench_loadavg)"
}

# bench_floor_field NAME STEP KEY: a value from a floor's key=value
# output of the last run (e.g. bench_floor_field env-10k command bytes).
bench_floor_field() {
	sed -n "s/^step=$2 .*\\b$3=\\([^ ]*\\).*/\\1/p" "$BENCH_WORK/$1.out" | tail -n1
}

# bench_less A B: whether A is a number smaller than B, or B is empty.
bench_less() {
	[ -n "$1" ] || return 1
	[ -n "$2" ] || return 0
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

bench_table_header() {
	cat >>"$BENCH_TABLE" <<'EOF'
| case | client | median s | min–max s | client CPU s | peak RSS MB | bytes received | vs floor | target | load avg (1/5/15 min, start → end) |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |
EOF
}

# bench_row CASE CLIENT BYTES FLOOR-MEDIAN TARGET: a row from the last
# bench_measure; FLOOR-MEDIAN empty for a floor itself.  When the
# measurement failed, the row says why instead of giving numbers.  One
# measurement gives one row: a second row without a new measurement says
# "not measured" instead of repeating the numbers, unless BM_KEEP=yes is
# set for the first (then the second shows the same run against another
# floor).
bench_row() {
	if [ "${BM_OK:-}" != yes ]; then
		printf '| %s | %s | %s | | | | | | %s | %s |\n' "$1" "$2" \
			"${BM_WHY:-not measured}" "$5" "${BM_LOAD:-}" >>"$BENCH_TABLE"
		if [ "${BM_KEEP:-}" != yes ]; then
			BM_OK='' BM_WHY='' BM_LOAD=''
		fi
		return 0
	fi
	_br_load=$BM_LOAD
	if [ "${BM_KEEP:-}" != yes ]; then
		BM_OK='' BM_LOAD=''
	fi
	_br_ratio=
	if [ -n "$4" ]; then
		_br_ratio=$(awk -v a="$BM_MEDIAN" -v b="$4" 'BEGIN { if (b > 0) printf "%.2fx", a / b }')
	fi
	awk -v c="$1" -v cl="$2" -v med="$BM_MEDIAN" -v mn="$BM_MIN" -v mx="$BM_MAX" \
		-v cpu="$BM_CPU" -v rss="$BM_RSS" -v by="$3" -v ra="$_br_ratio" -v t="$5" \
		-v ld="$_br_load" 'BEGIN {
		printf "| %s | %s | %.3f | %.3f–%.3f | %.3f | %.1f | %s | %s | %s | %s |\n",
			c, cl, med, mn, mx, cpu, rss / 1024, by, ra, t, ld }' >>"$BENCH_TABLE"
	printf 'bench: %s / %s: %s s\n' "$1" "$2" "$BM_MEDIAN" >&2
}

# bench_petrel_unsupported FEATURE: sets BM_OK=no and BM_WHY when there is
# no petrel or it lacks FEATURE (a name from `petrel --version`).
bench_petrel_unsupported() {
	BM_LOAD=
	if [ -z "${PETREL:-}" ]; then
		BM_OK=no
		BM_WHY="petrel: no binary given (set PETREL)"
		return 0
	fi
	if ! bench_petrel_feature "$1"; then
		BM_OK=no
		BM_WHY="petrel: not supported by this build yet (no +$1 in petrel --version)"
		return 0
	fi
	return 1
}

# bench_petrel_why: after a failed petrel measurement, tells "not
# supported by this build yet" apart from a failure.
bench_petrel_why() {
	case $BM_WHY in
	*"not supported by this build"* | *"unknown option"* | *"unrecognized option"* | \
		*"unknown command"* | *"unknown variable"* | *"invalid option"*)
		BM_WHY="petrel: not supported by this build yet ($BM_WHY)"
		;;
	*)
		BM_WHY="petrel: FAILED: $BM_WHY"
		;;
	esac
}

bench_machine() {
	_bm_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
	_bm_mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
	printf -- '- date: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf -- '- CPU: %s, %s cores; memory %s\n' "$_bm_cpu" "$(nproc)" "$_bm_mem"
	printf -- '- kernel: %s; %s\n' "$(uname -r)" \
		"$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")"
	printf -- '- Dovecot %s; Postfix %s; %s\n' "$(dovecot --version 2>/dev/null | cut -d' ' -f1)" \
		"$(postconf -d -h mail_version 2>/dev/null || echo '?')" "$(openssl version 2>/dev/null)"
	printf -- '- petrel: %s\n' "$(printf '%s' "$BENCH_PETREL_VERSION" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
	printf -- '- runs: %s timed after 1 warm-up; load average at start of script: %s\n' \
		"$BENCH_RUNS" "$(bench_loadavg)"
}
