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
#     (UID FLAGS)
#   and UID FETCH of the 5 MB attachment (BODY.PEEK[2]); the ENVELOPE
#   floor once more straight to Dovecot, bypassing the relay;
#
#   petrel: cold open (-H, empty header cache), warm open (-H, the cache
#   filled), open without the listing (-N, `exit`), saving the 5 MB
#   attachment (checked against its SHA-256);
#
#   then 100 flag changes and 100 new messages (bench_changes), and the
#   QRESYNC floor (SELECT with QRESYNC, FETCH of the new messages), the
#   (UID FLAGS) floor again, and petrel's warm open from the header cache
#   as it was before the changes.
#
# Prints a markdown table (also kept in BENCH_CACHE/results/).  Nothing
# here passes or fails; rows petrel cannot run yet say so.
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
trap '_rc=$?; bench_cleanup; harness_stop; exit $_rc' EXIT

env_items='UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE'
hdr_fields='DATE SUBJECT FROM SENDER REPLY-TO TO CC BCC IN-REPLY-TO MESSAGE-ID REFERENCES'
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

users="$HARNESS_USER1 $HARNESS_USER2 $HARNESS_USER3"
{
	echo "## IMAP"
	echo
	bench_machine
	echo
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
	floor="$BENCH_BIN/floor-imap -p $HARNESS_IMAPS_PORT -T -C $HARNESS_CA -u $user -w $pass"
	url="imaps://$user:$pass@127.0.0.1:$HARNESS_IMAPS_PORT/INBOX"
	{
		echo
		echo "### $count messages ($(du -sh "$src" | cut -f1) in the maildir; loaded into Dovecot in $BENCH_LOAD_SECONDS s)"
		echo
	} >>"$BENCH_TABLE"
	bench_table_header

	unset BM_PREPARE BM_CHECK BM_STDIN
	# shellcheck disable=SC2086
	bench_measure "env-$k" $floor "UID FETCH 1:* ($env_items)"
	bench_row "open: FETCH ENVELOPE" "floor-imap" "$(bench_floor_field "env-$k" command bytes)" "" ""
	best=$BM_MEDIAN
	best_name=ENVELOPE
	# shellcheck disable=SC2086
	bench_measure "envref-$k" $floor \
		"UID FETCH 1:* ($env_items BODY.PEEK[HEADER.FIELDS (REFERENCES)])"
	bench_row "open: FETCH ENVELOPE + HEADER.FIELDS (REFERENCES)" "floor-imap" \
		"$(bench_floor_field "envref-$k" command bytes)" "" ""
	if bench_less "$BM_MEDIAN" "$best"; then
		best=$BM_MEDIAN
		best_name="ENVELOPE + REFERENCES"
	fi
	# shellcheck disable=SC2086
	bench_measure "hdr-$k" $floor \
		"UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS ($hdr_fields)])"
	bench_row "open: FETCH HEADER.FIELDS (the ENVELOPE fields + REFERENCES)" "floor-imap" \
		"$(bench_floor_field "hdr-$k" command bytes)" "" ""
	if bench_less "$BM_MEDIAN" "$best"; then
		best=$BM_MEDIAN
		best_name="HEADER.FIELDS"
	fi
	# shellcheck disable=SC2086
	bench_measure "flags-$k" $floor "UID FETCH 1:* (UID FLAGS)"
	bench_row "open: FETCH (UID FLAGS)" "floor-imap" "$(bench_floor_field "flags-$k" command bytes)" "" ""
	flags_floor=$BM_MEDIAN
	# shellcheck disable=SC2086
	bench_measure "part-$k" $floor "UID FETCH $attach_msg BODY.PEEK[2]"
	bench_row "5 MB attachment: FETCH BODY.PEEK[2]" "floor-imap" \
		"$(bench_floor_field "part-$k" command bytes)" "" ""
	part_floor=$BM_MEDIAN
	# The relay in front of Dovecot costs both clients alike; this row
	# shows how much.
	bench_measure "direct-$k" "$BENCH_BIN/floor-imap" -h 127.0.0.2 -V 127.0.0.1 \
		-p "$HARNESS_IMAPS_PORT" -T -C "$HARNESS_CA" -u "$user" -w "$pass" \
		"UID FETCH 1:* ($env_items)"
	bench_row "open: FETCH ENVELOPE, straight to Dovecot (no relay)" "floor-imap" \
		"$(bench_floor_field "direct-$k" command bytes)" "" "(information)"

	want_min=$((count - deleted))
	want_max=$count
	rm -rf "$BENCH_WORK/hc-warm" "$BENCH_WORK/hc-before"
	mkdir "$BENCH_WORK/hc-warm"
	if ! bench_petrel_unsupported imap; then
		BM_PREPARE=prep_cold BM_CHECK=check_lines
		bench_measure "p-cold-$k" "$BENCH_PETREL" -n \
			-S "header_cache=$BENCH_WORK/hc-cold" -S "tls_ca_file=$HARNESS_CA" -H -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_PREPARE BM_CHECK
	fi
	bench_row "cold open, -H, empty header cache" petrel "" "$best" "$target_cold; $target_rss"

	if ! bench_petrel_unsupported imap; then
		BM_CHECK=check_lines
		bench_measure "p-warm-$k" "$BENCH_PETREL" -n \
			-S "header_cache=$BENCH_WORK/hc-warm" -S "tls_ca_file=$HARNESS_CA" -H -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_CHECK
		# The cache as it is before the changes below, for the warm
		# open after them.
		cp -a "$BENCH_WORK/hc-warm" "$BENCH_WORK/hc-before"
	fi
	bench_row "warm open, -H, header cache filled" petrel "" "$flags_floor" "$target_warm"

	if ! bench_petrel_unsupported imap; then
		printf 'exit\n' >"$BENCH_WORK/exit.in"
		BM_STDIN=$BENCH_WORK/exit.in
		bench_measure "p-open-$k" "$BENCH_PETREL" -n \
			-S "header_cache=$BENCH_WORK/hc-warm" -S "tls_ca_file=$HARNESS_CA" -N -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_STDIN
	fi
	bench_row "open without listing (-N, exit), warm" petrel "" "$flags_floor" "(information)"

	if ! bench_petrel_unsupported imap; then
		printf 'saveattachment -f %s 2 %s\nexit\n' "$attach_msg" "$BENCH_WORK/attachment" \
			>"$BENCH_WORK/save.in"
		BM_STDIN=$BENCH_WORK/save.in BM_PREPARE=prep_attachment BM_CHECK=check_attachment
		bench_measure "p-part-$k" "$BENCH_PETREL" -n \
			-S "header_cache=$BENCH_WORK/hc-warm" -S "tls_ca_file=$HARNESS_CA" -N -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_STDIN BM_PREPARE BM_CHECK
	fi
	bench_row "save the 5 MB attachment (saveattachment), warm; includes opening the folder" \
		petrel "" "$part_floor" "(information)"

	# The changes, then the floors and petrel against the changed box.
	status=$(harness_doveadm -f flow mailbox status -u "$user" 'uidvalidity highestmodseq uidnext' INBOX)
	uidvalidity=$(printf '%s\n' "$status" | sed -n 's/.*uidvalidity=\([0-9]*\).*/\1/p')
	modseq=$(printf '%s\n' "$status" | sed -n 's/.*highestmodseq=\([0-9]*\).*/\1/p')
	uidnext=$(printf '%s\n' "$status" | sed -n 's/.*uidnext=\([0-9]*\).*/\1/p')
	bench_changes "$user" "$new_src" 100
	# shellcheck disable=SC2086
	bench_measure "qresync-$k" $floor -e QRESYNC -m "INBOX (QRESYNC ($uidvalidity $modseq))" \
		"UID FETCH $uidnext:* ($env_items)"
	bench_row "after 100 flag changes + 100 new: SELECT (QRESYNC) + FETCH ENVELOPE of the new" \
		"floor-imap" "$(bench_floor_field "qresync-$k" total bytes_in)" "" "(information)"
	# shellcheck disable=SC2086
	bench_measure "flags2-$k" $floor "UID FETCH 1:* (UID FLAGS)"
	bench_row "after 100 flag changes + 100 new: FETCH (UID FLAGS)" "floor-imap" \
		"$(bench_floor_field "flags2-$k" command bytes)" "" ""
	flags2_floor=$BM_MEDIAN
	if ! bench_petrel_unsupported imap; then
		want_min=$((count + 100 - deleted))
		want_max=$((count + 100))
		BM_PREPARE=prep_changed BM_CHECK=check_lines
		bench_measure "p-changed-$k" "$BENCH_PETREL" -n \
			-S "header_cache=$BENCH_WORK/hc-changed" -S "tls_ca_file=$HARNESS_CA" -H -f "$url"
		[ "$BM_OK" = yes ] || bench_petrel_why
		unset BM_PREPARE BM_CHECK
	fi
	bench_row "warm open after 100 flag changes + 100 new, -H" petrel "" "$flags2_floor" \
		"$target_warm"
	printf '\nBest summary floor for %s: %s (%s s).\n' "$count" "$best_name" "$best" \
		>>"$BENCH_TABLE"
done

result=$BENCH_CACHE/results/imap-$(date -u +%Y%m%d-%H%M%S).md
cp "$BENCH_TABLE" "$result"
cat "$BENCH_TABLE"
bench_err "results kept in $result"
