#!/bin/sh
# Loads generated mailboxes into the test harness's Dovecot quickly.
#
# Sourced (after tests/harness/harness.sh and bench/lib.sh, with the
# harness running), it defines:
#
#   bench_load_maildir USER SRC
#       Puts the messages of the maildir SRC (from bench/gen-mailbox) into
#       USER's INBOX: hard links (or copies, across file systems) straight
#       into cur/, then `doveadm force-resync` and `doveadm index`, and one
#       pass of `doveadm fetch` over the summary fields, so that the first
#       IMAP session does not pay for Dovecot's own indexing.  Finally one
#       IMAP session with ENABLE CONDSTORE, so the mailbox has modification
#       sequences as any mailbox that a QRESYNC client has seen.  Message n
#       of SRC gets UID n.  Prints the steps' times on stderr and sets
#       BENCH_LOAD_SECONDS.
#
#   bench_changes USER NEWSRC [FLAGS]
#       The "100 flag changes and 100 new messages" between two opens:
#       \Flagged is added to FLAGS (default 100) messages that did not
#       have it, spread over the whole mailbox (`doveadm flags add`), and
#       the messages of the maildir NEWSRC are added (`doveadm import`,
#       so they get new UIDs and modification sequences as delivered mail
#       does).
#
# Run as a program, it measures the loading itself:
#
#   bench/load-dovecot.sh [COUNT]...      (default: 10000 100000)
#
# starts the harness (Dovecot only), loads each generated mailbox
# (cached under BENCH_CACHE; at most three) into the INBOX of alice, bob
# and carol in turn, applies the changes and prints the times; the
# harness is stopped at the end.

# bench__now: seconds since the epoch, with nanoseconds.
bench__now() {
	date +%s.%N
}

bench__since() {
	awk -v a="$1" -v b="$(bench__now)" 'BEGIN { printf "%.2f", b - a }'
}

bench_load_maildir() {
	_ld_user=$1
	_ld_src=$2
	_ld_md=$(harness_maildir "$_ld_user") || return 1
	_ld_own=$(stat -c '%u:%g' "$_ld_md") || return 1
	_ld_count=$(bench_manifest "$_ld_src" count)
	_ld_t0=$(bench__now)
	# Hard links cost no space and no copying; Dovecot never rewrites a
	# message file (flag changes rename it), so the cache stays intact.
	if ! cp -al "$_ld_src/cur/." "$_ld_md/cur/" 2>/dev/null; then
		cp -a "$_ld_src/cur/." "$_ld_md/cur/" || return 1
	fi
	chown -R "$_ld_own" "$_ld_md/cur" || return 1
	_ld_copy=$(bench__since "$_ld_t0")
	_ld_t=$(bench__now)
	harness_doveadm force-resync -u "$_ld_user" INBOX || return 1
	_ld_resync=$(bench__since "$_ld_t")
	_ld_t=$(bench__now)
	harness_doveadm index -u "$_ld_user" INBOX || return 1
	_ld_index=$(bench__since "$_ld_t")
	_ld_t=$(bench__now)
	harness_doveadm fetch -u "$_ld_user" \
		'uid flags date.received size.virtual imap.envelope' mailbox INBOX all \
		>/dev/null || return 1
	_ld_cache=$(bench__since "$_ld_t")
	_ld_t=$(bench__now)
	"$BENCH_BIN/floor-imap" -p "$HARNESS_IMAPS_PORT" -T -C "$HARNESS_CA" \
		-u "$_ld_user" -w "$(bench_password "$_ld_user")" -e CONDSTORE \
		'UID FETCH 1:* (UID FLAGS MODSEQ)' >/dev/null || return 1
	_ld_condstore=$(bench__since "$_ld_t")
	_ld_have=$(harness_doveadm -f flow mailbox status -u "$_ld_user" messages INBOX |
		sed -n 's/.*messages=\([0-9]*\).*/\1/p')
	if [ "$_ld_have" != "$_ld_count" ]; then
		bench_err "$_ld_user's INBOX has $_ld_have messages, not $_ld_count"
		return 1
	fi
	BENCH_LOAD_SECONDS=$(bench__since "$_ld_t0")
	bench_err "loaded $_ld_count messages into $_ld_user in $BENCH_LOAD_SECONDS s" \
		"(links $_ld_copy s, force-resync $_ld_resync s, index $_ld_index s," \
		"doveadm fetch of the summary fields $_ld_cache s, CONDSTORE session $_ld_condstore s)"
}

# bench_password USER: the harness's password for USER.
bench_password() {
	case $1 in
	"$HARNESS_USER1") printf '%s\n' "$HARNESS_PASS1" ;;
	"$HARNESS_USER2") printf '%s\n' "$HARNESS_PASS2" ;;
	"$HARNESS_USER3") printf '%s\n' "$HARNESS_PASS3" ;;
	*) return 1 ;;
	esac
}

bench_changes() {
	_ch_user=$1
	_ch_src=$2
	_ch_n=${3:-100}
	_ch_md=$(harness_maildir "$_ch_user") || return 1
	_ch_own=$(stat -c '%u:%g' "$_ch_md") || return 1
	# FLAGS unflagged messages, evenly spread over the mailbox.
	_ch_uids=$(harness_doveadm search -u "$_ch_user" mailbox INBOX unflagged |
		awk -v n="$_ch_n" '{ u[NR] = $2 } END {
			if (NR < n) exit 1
			for (i = 0; i < n; i++)
				printf "%s%d", (i ? "," : ""), u[1 + int(i * NR / n)]
		}') || {
		bench_err "fewer than $_ch_n unflagged messages"
		return 1
	}
	harness_doveadm flags add -u "$_ch_user" '\Flagged' mailbox INBOX uid "$_ch_uids" ||
		return 1
	# doveadm import runs as the mail user: it needs a source it may write
	# its index into.
	_ch_tmp=$HARNESS_DIR/bench-import-$_ch_user
	rm -rf "$_ch_tmp"
	mkdir -p "$_ch_tmp/new" "$_ch_tmp/tmp" || return 1
	cp -a "$_ch_src/cur" "$_ch_tmp/" || return 1
	chown -R "$_ch_own" "$_ch_tmp" || return 1
	harness_doveadm import -u "$_ch_user" "maildir:$_ch_tmp" "" all || return 1
	rm -rf "$_ch_tmp"
}

# Run as a program: measure loading.
if [ "$(basename "$0")" = load-dovecot.sh ]; then
	set -eu
	bench_dir=$(cd "$(dirname "$0")" && pwd)
	top_srcdir=$(cd "$bench_dir/.." && pwd)
	. "$bench_dir/lib.sh"
	. "$top_srcdir/tests/harness/harness.sh"
	bench_setup
	harness_start --no-postfix
	# shellcheck disable=SC2154
	trap '_rc=$?; bench_cleanup; harness_stop; exit $_rc' EXIT
	[ $# -gt 0 ] || set -- 10000 100000
	[ $# -le 3 ] || {
		bench_err "at most three mailboxes at a time (the harness has three users)"
		exit 2
	}
	# One user per mailbox keeps the loads independent.
	users="$HARNESS_USER1 $HARNESS_USER2 $HARNESS_USER3"
	for count; do
		user=${users%% *}
		users=${users#* }
		t=$(bench__now)
		src=$(bench_mailbox "$count")
		bench_err "mailbox of $count ready in $(bench__since "$t") s" \
			"($(du -sh "$src" | cut -f1), cached in $src)"
		printf 'load average before: %s\n' "$(bench_loadavg)"
		bench_load_maildir "$user" "$src"
		printf '%s messages loaded into Dovecot in %s s (load average after: %s)\n' \
			"$count" "$BENCH_LOAD_SECONDS" "$(bench_loadavg)"
		t=$(bench__now)
		bench_changes "$user" "$(bench_new_messages)" 100
		printf '100 flag changes + 100 new messages applied in %s s\n' "$(bench__since "$t")"
	done
fi
