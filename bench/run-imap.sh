#!/bin/sh
# IMAP: petrel against the raw floor client, on the harness's Dovecot.
#
#   bench/run-imap.sh            (as root; from a build directory, or with PETREL=...)
#
# For each mailbox size (BENCH_IMAP_COUNTS, default "10000 100000"): a
# generated mailbox (bench/gen-mailbox, cached in BENCH_CACHE) is loaded
# into a user's INBOX (bench/load-dovecot.sh), then, each as the median of
# BENCH_RUNS timed runs after one untimed warm-up run:
#
#   floors (bench/floor-imap over imaps, through the harness's relay as
#   petrel goes): UID FETCH 1:* of
#     (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE)
#     the same plus BODY.PEEK[HEADER.FIELDS (REFERENCES)]
#     (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (the
#      ENVELOPE fields and REFERENCES)])
#     the same with HEADER.FIELDS (FROM SUBJECT DATE): what -H asks for
#     (information: the target compares with the three above)
#     (UID FLAGS)
#   and UID FETCH of the 5 MB attachment (BODY.PEEK[2]);
#
#   petrel: cold open (-H, empty header cache; its peak memory is the
#   60 MB target at 100k), warm open (-H, the cache filled), open without
#   the listing (-N, `exit`), saving the 5 MB attachment (checked against
#   its SHA-256);
#
#   straight to Dovecot, without the relay: the ENVELOPE, HEADER.FIELDS,
#   FROM SUBJECT DATE and (UID FLAGS) floors and petrel's cold and warm
#   opens again;
#
#   then 100 flag changes and 100 new messages (bench_changes): the
#   QRESYNC floor (SELECT with QRESYNC, FETCH of the new messages), the
#   (UID FLAGS) floor again, and petrel's warm open from the header cache
#   as it was before the changes.
#
# Prints a markdown table (also kept in BENCH_CACHE/results/).  Nothing
# here passes or fails; rows petrel cannot run yet say so.

# The BM_* variables set here are read by bench_measure in lib.sh.
# shellcheck disable=SC2034
set -eu

bench_dir=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$bench_dir/.." && pwd)
. "$bench_dir/lib.sh"
. "$top_srcdir/tests/harness/harness.sh"
. "$bench_dir/load-dovecot.sh"

counts=${BENCH_IMAP_COUNTS:-10000 100000}
bench_setup
trap 'bench_cleanup' EXIT
for count in $counts; do
	bench_mailbox "$count" >/dev/null
done
new_src=$(bench_new_messages)

harness_start --no-postfix
# shellcheck disable=SC2154
trap '_rc=$?; bench_cleanup; harness_stop; exit $_rc' EXIT
bench_direct

env_items='UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE'
hdr_fields='DATE SUBJECT FROM SENDER REPLY-TO TO CC BCC IN-REPLY-TO MESSAGE-ID REFERENCES'
fetch_env="UID FETCH 1:* ($env_items)"
fetch_envref="UID FETCH 1:* ($env_items BODY.PEEK[HEADER.FIELDS (REFERENCES)])"
fetch_hdr="UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ($hdr_fields)])"
fetch_list="UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])"
fetch_flags='UID FETCH 1:* (UID FLAGS)'
target_cold='≤ 1.3x the best summary floor (100k)'
target_warm='≤ 2x the (UID FLAGS) floor'
target_rss='< 60 MB resident (100k)'

# Checks of petrel's output, for bench_measure.
check_lines() {
	_cl_n=$(wc -l <"$1")
	if [ "$_cl_n" -lt "$want_min" ] || [ "$_cl_n" -gt "$want_max" ]; then
		BM_CHECK_WHY="petrel: printed $_cl_n summary lines, not $want_min to $want_max"
		return 1
	fi
}
check_attachment() {
	_ca_sum=$(sha256sum "$BENCH_WORK/attachment" 2>/dev/null | cut -d' ' -f1)
	if [ "$_ca_sum" != "$attach_sha" ]; then
		BM_CHECK_WHY="petrel: the saved attachment is not the one sent (SHA-256 ${_ca_sum:-missing})"
		return 1
	fi
}
prep_cold() {
	rm -rf "$BENCH_WORK/hc-cold" && mkdir "$BENCH_WORK/hc-cold"
}
prep_attachment() {
	rm -f "$BENCH_WORK/attachment"
}
prep_changed() {
	[ -d "$BENCH_WORK/hc-before" ] || return 1
	rm -rf "$BENCH_WORK/hc-changed" && cp -a "$BENCH_WORK/hc-before" "$BENCH_WORK/hc-changed"
}

# floor NAME CASE TARGET FETCH [FLOOR-OPTION...]: measures floor-imap
# running FETCH and adds its row; with options, they come first (host,
# verify name).  Sets FLOOR to the median.
floor() {
	_f_name=$1
	_f_case=$2
	_f_target=$3
	_f_fetch=$4
	shift 4
	bench_measure "$_f_name" "$BENCH_BIN/floor-imap" -p "$HARNESS_IMAPS_PORT" -T \
		-C "$HARNESS_CA" -u "$user" -w "$pass" "$@" "$_f_fetch"
	FLOOR=$BM_MEDIAN
	bench_row "$_f_case" floor-imap "$(bench_floor_field "$_f_name" command bytes)" "" "$_f_target"
}

# petrel_open NAME CASE FLOOR TARGET CACHE-DIR URL [PETREL-OPTION...]:
# measures `petrel -H` on URL with the header cache in CACHE-DIR and adds
# its row.  BM_PREPARE, want_min and want_max are set by the caller.
petrel_open() {
	_p_name=$1
	_p_case=$2
	_p_floor=$3
	_p_target=$4
	_p_cache=$5
	_p_url=$6
	shift 6
	if ! bench_petrel_unsupported imap; then
		BM_CHECK=check_lines
		bench_measure "$_p_name" "$BENCH_PETREL" -n -S "header_cache=$_p_cache" \
			-S "tls_ca_file=$HARNESS_CA" "$@" -H -f "$_p_url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_CHECK
	fi
	bench_row "$_p_case" petrel "" "$_p_floor" "$_p_target"
}

users="$HARNESS_USER1 $HARNESS_USER2 $HARNESS_USER3"
{
	echo "## IMAP"
	echo
	bench_machine
} >>"$BENCH_TABLE"

for count in $counts; do
	user=${users%% *}
	users=${users#* }
	pass=$(bench_password "$user")
	src=$(bench_mailbox "$count")
	bench_load_maildir "$user" "$src"
	attach_msg=$(bench_manifest "$src" attach_msg)
	attach_sha=$(bench_manifest "$src" attach_sha256)
	deleted=$(find "$src/cur" -name '*:2,*T*' | wc -l)
	k=$((count / 1000))k
	url="imaps://$user:$pass@127.0.0.1:$HARNESS_IMAPS_PORT/INBOX"
	direct_url="imaps://$user:$pass@$BENCH_DIRECT_HOST:$HARNESS_IMAPS_PORT/INBOX"
	{
		echo
		echo "### $count messages ($(du -sh "$src" | cut -f1) in the maildir; loaded into Dovecot in $BENCH_LOAD_SECONDS s)"
		echo
	} >>"$BENCH_TABLE"
	bench_table_header
	unset BM_PREPARE BM_CHECK BM_STDIN

	floor "env-$k" "open: FETCH ENVELOPE" "" "$fetch_env"
	best=$FLOOR
	best_name=ENVELOPE
	floor "envref-$k" "open: FETCH ENVELOPE + HEADER.FIELDS (REFERENCES)" "" "$fetch_envref"
	if bench_less "$FLOOR" "$best"; then
		best=$FLOOR
		best_name="ENVELOPE + REFERENCES"
	fi
	floor "hdr-$k" "open: FETCH HEADER.FIELDS (the ENVELOPE fields + REFERENCES)" "" "$fetch_hdr"
	if bench_less "$FLOOR" "$best"; then
		best=$FLOOR
		best_name="HEADER.FIELDS"
	fi
	floor "list-$k" "open: FETCH HEADER.FIELDS (FROM SUBJECT DATE), what -H asks for" "" \
		"$fetch_list"
	list_floor=$FLOOR
	floor "flags-$k" "open: FETCH (UID FLAGS)" "" "$fetch_flags"
	flags_floor=$FLOOR
	floor "part-$k" "5 MB attachment: FETCH BODY.PEEK[2]" "" "UID FETCH $attach_msg BODY.PEEK[2]"
	part_floor=$FLOOR

	want_min=$((count - deleted))
	want_max=$count
	rm -rf "$BENCH_WORK/hc-warm" "$BENCH_WORK/hc-before"
	mkdir "$BENCH_WORK/hc-warm"
	BM_PREPARE=prep_cold BM_KEEP=yes
	petrel_open "p-cold-$k" "cold open, -H, empty header cache" "$best" \
		"$target_cold; $target_rss" "$BENCH_WORK/hc-cold" "$url"
	bench_row "the same against the FETCH it sends (FROM SUBJECT DATE)" petrel "" \
		"$list_floor" "(information)"
	unset BM_PREPARE BM_KEEP
	# The warm-up run fills the cache.
	petrel_open "p-warm-$k" "warm open, -H, header cache filled" "$flags_floor" \
		"$target_warm" "$BENCH_WORK/hc-warm" "$url"
	if [ -n "$(ls -A "$BENCH_WORK/hc-warm")" ]; then
		# The cache as it is before the changes below.
		cp -a "$BENCH_WORK/hc-warm" "$BENCH_WORK/hc-before"
	fi

	if ! bench_petrel_unsupported imap; then
		printf 'exit\n' >"$BENCH_WORK/exit.in"
		BM_STDIN=$BENCH_WORK/exit.in
		bench_measure "p-open-$k" "$BENCH_PETREL" -n -S "header_cache=$BENCH_WORK/hc-warm" \
			-S "tls_ca_file=$HARNESS_CA" -N -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_STDIN
	fi
	bench_row "open without listing (-N, exit), warm" petrel "" "$flags_floor" "(information)"

	if ! bench_petrel_unsupported imap; then
		printf 'saveattachment -f %s 2 %s\nexit\n' "$attach_msg" "$BENCH_WORK/attachment" \
			>"$BENCH_WORK/save.in"
		BM_STDIN=$BENCH_WORK/save.in BM_PREPARE=prep_attachment BM_CHECK=check_attachment
		bench_measure "p-part-$k" "$BENCH_PETREL" -n -S "header_cache=$BENCH_WORK/hc-warm" \
			-S "tls_ca_file=$HARNESS_CA" -N -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_STDIN BM_PREPARE BM_CHECK
	fi
	bench_row "save the 5 MB attachment (saveattachment), warm; includes opening the folder" \
		petrel "" "$part_floor" "(information)"

	# getpart fetches the one part from the server, without the rest of
	# the message.
	if ! bench_petrel_unsupported imap; then
		printf 'getpart -f %s 2 %s\nexit\n' "$attach_msg" "$BENCH_WORK/attachment" \
			>"$BENCH_WORK/getpart.in"
		BM_STDIN=$BENCH_WORK/getpart.in BM_PREPARE=prep_attachment BM_CHECK=check_attachment
		bench_measure "p-getpart-$k" "$BENCH_PETREL" -n -S "header_cache=$BENCH_WORK/hc-warm" \
			-S "tls_ca_file=$HARNESS_CA" -N -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_STDIN BM_PREPARE BM_CHECK
	fi
	bench_row "fetch the 5 MB attachment alone (getpart), warm; includes opening the folder" \
		petrel "" "$part_floor" "(information)"

	# Straight to Dovecot: the same without the relay's copying.
	floor "direct-env-$k" "no relay: FETCH ENVELOPE" "" "$fetch_env" \
		-h "$BENCH_DIRECT_HOST" -V "$BENCH_DIRECT_VERIFY_NAME"
	dbest=$FLOOR
	floor "direct-hdr-$k" "no relay: FETCH HEADER.FIELDS" "" "$fetch_hdr" \
		-h "$BENCH_DIRECT_HOST" -V "$BENCH_DIRECT_VERIFY_NAME"
	if bench_less "$FLOOR" "$dbest"; then
		dbest=$FLOOR
	fi
	floor "direct-list-$k" "no relay: FETCH HEADER.FIELDS (FROM SUBJECT DATE)" "" "$fetch_list" \
		-h "$BENCH_DIRECT_HOST" -V "$BENCH_DIRECT_VERIFY_NAME"
	dlist=$FLOOR
	floor "direct-flags-$k" "no relay: FETCH (UID FLAGS)" "" "$fetch_flags" \
		-h "$BENCH_DIRECT_HOST" -V "$BENCH_DIRECT_VERIFY_NAME"
	dflags=$FLOOR
	BM_PREPARE=prep_cold BM_KEEP=yes
	# shellcheck disable=SC2086
	petrel_open "p-direct-cold-$k" "no relay: cold open, -H" "$dbest" "$target_cold" \
		"$BENCH_WORK/hc-cold" "$direct_url" $BENCH_DIRECT_PETREL_OPTS
	bench_row "no relay: the same against the FETCH it sends" petrel "" "$dlist" \
		"(information)"
	unset BM_PREPARE BM_KEEP
	rm -rf "$BENCH_WORK/hc-direct"
	mkdir "$BENCH_WORK/hc-direct"
	# shellcheck disable=SC2086
	petrel_open "p-direct-warm-$k" "no relay: warm open, -H" "$dflags" "$target_warm" \
		"$BENCH_WORK/hc-direct" "$direct_url" $BENCH_DIRECT_PETREL_OPTS

	# The changes, then the floors and petrel against the changed box.
	status=$(harness_doveadm -f flow mailbox status -u "$user" 'uidvalidity highestmodseq uidnext' INBOX)
	uidvalidity=$(printf '%s\n' "$status" | sed -n 's/.*uidvalidity=\([0-9]*\).*/\1/p')
	modseq=$(printf '%s\n' "$status" | sed -n 's/.*highestmodseq=\([0-9]*\).*/\1/p')
	uidnext=$(printf '%s\n' "$status" | sed -n 's/.*uidnext=\([0-9]*\).*/\1/p')
	bench_changes "$user" "$new_src" 100
	bench_measure "qresync-$k" "$BENCH_BIN/floor-imap" -p "$HARNESS_IMAPS_PORT" -T \
		-C "$HARNESS_CA" -u "$user" -w "$pass" -e QRESYNC \
		-m "INBOX (QRESYNC ($uidvalidity $modseq))" "UID FETCH $uidnext:* ($env_items)"
	bench_row "after 100 flag changes + 100 new: SELECT (QRESYNC) + FETCH ENVELOPE of the new" \
		"floor-imap" "$(bench_floor_field "qresync-$k" total bytes_in)" "" "(information)"
	floor "flags2-$k" "after 100 flag changes + 100 new: FETCH (UID FLAGS)" "" "$fetch_flags"
	flags2_floor=$FLOOR
	want_min=$((count + 100 - deleted))
	want_max=$((count + 100))
	BM_PREPARE=prep_changed
	petrel_open "p-changed-$k" "warm open after 100 flag changes + 100 new, -H" \
		"$flags2_floor" "$target_warm" "$BENCH_WORK/hc-changed" "$url"
	unset BM_PREPARE
	printf '\nBest summary floor for %s messages: %s (%s s).\n' "$count" "$best_name" "$best" \
		>>"$BENCH_TABLE"
done

result=$BENCH_CACHE/results/imap-$(date -u +%Y%m%d-%H%M%S).md
cp "$BENCH_TABLE" "$result"
cat "$BENCH_TABLE"
bench_err "results kept in $result"
