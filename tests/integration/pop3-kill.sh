#!/bin/sh
# A fetch of 500 messages in delete mode, killed with SIGKILL twenty times
# at seeded points, then run to the end: every message must be in the
# store exactly once, byte for byte, and the server empty.  Then the same
# with --to a plain maildir (200 messages, ten kills).
#
# The kill points are system calls, not times: strace stops petrel with
# SIGKILL on entry to the K-th call of one of the calls that move data to
# disk or to the server (write, openat, rename, fsync, fdatasync, syncfs,
# sendto), K drawn from a generator seeded with POP3_KILL_SEED
# (default 1729), so a failure can be replayed with the same seed.  K is
# scaled by what is left to do, so that the kills land before the end of
# each run.
. "$top_srcdir/tests/lib/tap.sh"
command -v strace >/dev/null 2>&1 ||
	bail "strace is needed to kill at chosen system calls: contrib/install-deps.sh installs it"
. "$top_srcdir/tests/integration/pop3-lib.sh"

seed=${POP3_KILL_SEED:-1729}
echo "# seed $seed"
pt --init-store >/dev/null 2>&1 || bail "petrel --init-store failed"

# The delivered files in maildir $MD (tmp/ does not count: nothing there
# is mail).
delivered() {
	find "$MD/new" "$MD/cur" -type f | wc -l | tr -d ' '
}

# kill_runs USER SALT: KILLS runs of petrel --fetch --delete $TO from
# USER's maildrop on server URL $U, each killed at a system call drawn
# from the seed followed by SALT.
kill_runs() {
	_ku=$1
	# KILLS lines "CALL FRACTION" from the seed.
	awk -v seed="$seed$2" -v n="$KILLS" 'BEGIN {
		srand(seed)
		split("write openat link unlink fsync fdatasync rename syncfs write link", calls, " ")
		for (i = 0; i < n; i++)
			printf "%s %.6f\n", calls[1 + int(rand() * 10)], rand()
	}' >"$T/plan"

	killed=0
	while read -r call frac; do
		left=$((N - $(delivered)))
		# Ranges each run is sure to reach before it sends QUIT.  Commands
		# go to the server with sendto, files are written with write.
		# OPENS: openat calls a message costs; TAIL: sendto calls of a
		# run that only deletes.  A plain maildir has no fdatasync.
		[ -z "$TO" ] || [ "$call" != fdatasync ] || call=fsync
		if [ "$left" -eq 0 ]; then
			case $call in
			openat | unlink | rename) call=openat range=40 ;;
			*) call=sendto range=$TAIL ;;
			esac
		else
			case $call in
			write) range=$((left + 2)) ;;
			openat) range=$((left * OPENS + 8)) ;;
			# Files reach new/ by rename (a plan's link and unlink
			# stand for it, as they did when petrel linked).
			link | unlink) call=rename range=$left ;;
			syncfs) [ "$left" -gt 4 ] || call=fsync range=1 ;;
			rename) call=sendto range=$((10 + left / 16)) ;;
			*) range=1 ;;
			esac
		fi
		: "${range:=1}"
		k=$(awk -v f="$frac" -v r="$range" 'BEGIN { print 1 + int(f * r) }')
		range=
		# shellcheck disable=SC2086
		strace -f -qq -o /dev/null -e trace="$call" -e inject="$call":signal=KILL:when="$k" \
			"$PETREL" -n --fetch "$U" --delete $TO >/dev/null 2>"$T/kill.err"
		rc=$?
		echo "# kill at $call #$k: exit status $rc, $(delivered) delivered, $(server_count "$_ku") on the server"
		if [ "$rc" -eq 137 ]; then
			killed=$((killed + 1))
		elif [ "$rc" -ne 0 ]; then
			sed 's/^/#   /' "$T/kill.err"
		fi
	done <"$T/plan"
	check_eq "$_ku: every one of the $KILLS runs was killed" "$killed" $KILLS
}

# ---- into the notmuch store ----
N=500
KILLS=20
MD=$T/mail
TO=
OPENS=2
TAIL=35
fill alice 1 $N
U=$(url alice)
kill_runs alice ""

out=$(pt --fetch "$U" --delete 2>&1)
rc=$?
check_eq "the complete run: exit status 0" "$rc" 0
check_eq "the server is empty" "$(server_count alice)" 0
check_eq "notmuch has $N messages" "$(store_count)" $N
check_eq "the maildir has $N files" "$(delivered)" $N
dups=$(find "$T/mail/new" "$T/mail/cur" -type f -exec grep -h '^Message-ID:' {} + | sort | uniq -d | wc -l)
check_eq "no Message-ID in two files" "$dups" 0
check "every message is byte for byte what was sent" identical 1 $N
check_eq "each message has one file in notmuch" \
	"$(notmuch search --exclude=false --output=files '*' | wc -l | tr -d ' ')" $N

# ---- --to a plain maildir ----
N=200
KILLS=10
MD=$T/plain
TO="--to $MD"
OPENS=1
TAIL=20
before=$(store_count)
fill bob 1001 $((1000 + N))
U=$(url bob)
kill_runs bob 4
# shellcheck disable=SC2086
out=$(pt --fetch "$U" --delete $TO 2>&1)
rc=$?
check_eq "--to, the complete run: exit status 0" "$rc" 0
check_eq "--to: the server is empty" "$(server_count bob)" 0
check_eq "--to: the maildir has $N files" "$(delivered)" $N
dups=$(find "$MD/new" "$MD/cur" -type f -exec grep -h '^Message-ID:' {} + | sort | uniq -d | wc -l)
check_eq "--to: no Message-ID in two files" "$dups" 0
_i=1001
_bad=0
while [ "$_i" -le $((1000 + N)) ]; do
	_f=$(grep -l -r "^Message-ID: <pop3-$_i@example.org>" "$MD/new" "$MD/cur")
	cmp -s "$_f" "$T/msgs/$_i.eml" || _bad=$((_bad + 1))
	_i=$((_i + 1))
done
check_eq "--to: every message is byte for byte what was sent" "$_bad" 0
check_eq "--to: the notmuch store got nothing" "$(store_count)" "$before"

finish
