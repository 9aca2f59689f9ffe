#!/bin/sh
# A fetch of 500 messages in delete mode, killed with SIGKILL twenty times
# at seeded points, then run to the end: every message must be in the
# store exactly once, byte for byte, and the server empty.
#
# The kill points are system calls, not times: strace stops petrel with
# SIGKILL on entry to the K-th call of one of the calls that move data to
# disk or to the server (write, openat, link, unlink, fsync, fdatasync,
# syncfs, sendto), K drawn from a generator seeded with POP3_KILL_SEED
# (default 1729), so a failure can be replayed with the same seed.  K is
# scaled by what is left to do, so that the kills land before the end of
# each run.
. "$top_srcdir/tests/lib/tap.sh"
command -v strace >/dev/null 2>&1 ||
	bail "strace is needed to kill at chosen system calls: contrib/install-deps.sh installs it"
. "$top_srcdir/tests/integration/pop3-lib.sh"

N=500
KILLS=20
seed=${POP3_KILL_SEED:-1729}
echo "# seed $seed"
fill alice 1 $N
pt --init-store >/dev/null 2>&1 || bail "petrel --init-store failed"
U=$(url alice)

# The store's delivered files (tmp/ does not count: nothing there is mail).
delivered() {
	find "$T/mail/new" "$T/mail/cur" -type f | wc -l | tr -d ' '
}

# KILLS lines "CALL FRACTION" from the seed.
awk -v seed="$seed" -v n="$KILLS" 'BEGIN {
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
	if [ "$left" -eq 0 ]; then
		case $call in
		openat | unlink | rename) call=openat range=40 ;;
		*) call=sendto range=35 ;;
		esac
	else
		case $call in
		write) range=$((left + 2)) ;;
		openat) range=$((left * 2 + 8)) ;;
		link | unlink) range=$left ;;
		syncfs) [ "$left" -gt 4 ] || call=fsync range=1 ;;
		rename) call=sendto range=$((10 + left / 16)) ;;
		*) range=1 ;;
		esac
	fi
	: "${range:=1}"
	k=$(awk -v f="$frac" -v r="$range" 'BEGIN { print 1 + int(f * r) }')
	range=
	strace -f -qq -o /dev/null -e trace="$call" -e inject="$call":signal=KILL:when="$k" \
		"$PETREL" -n --fetch "$U" --delete >/dev/null 2>"$T/kill.err"
	rc=$?
	echo "# kill at $call #$k: exit status $rc, $(delivered) delivered, $(server_count alice) on the server"
	if [ "$rc" -eq 137 ]; then
		killed=$((killed + 1))
	elif [ "$rc" -ne 0 ]; then
		sed 's/^/#   /' "$T/kill.err"
	fi
done <"$T/plan"
check_eq "every one of the $KILLS runs was killed" "$killed" $KILLS

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

finish
