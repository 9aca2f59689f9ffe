#!/bin/bash
# The whole test suite, as the README and CI run it: a normal build with
# warnings as errors, then the same suite in an ASan + UBSan build, then
# make distcheck.  Ends with one line "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=$(nproc 2>/dev/null || echo 2)
pass=0
fail=0
status=0

[ -x configure ] || ./autogen.sh >/dev/null || { echo "autogen.sh failed"; echo "0 passed, 1 failed"; exit 1; }

# summarise BUILD-DIR: add the suite's counts to the totals.
summarise() {
	local log="$1/test-suite.log" p f e
	if [ ! -f "$log" ]; then
		fail=$((fail + 1))
		return
	fi
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -1)
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0} + ${e:-0}))
}

# suite NAME CONFIGURE-ARGS...: configure, build and check in build-NAME.
suite() {
	local name=$1 dir="$top/build-$1"
	shift
	echo "=== $name build: configure $*"
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! (cd "$dir" && "$top/configure" --enable-werror "$@" >configure.out 2>&1); then
		tail -30 "$dir/configure.out"
		echo "$name: configure failed"
		fail=$((fail + 1))
		status=1
		return
	fi
	if ! make -C "$dir" -j"$jobs" >"$dir/build.out" 2>&1; then
		tail -40 "$dir/build.out"
		echo "$name: build failed"
		fail=$((fail + 1))
		status=1
		return
	fi
	if ! make -C "$dir" -j"$jobs" check >"$dir/check.out" 2>&1; then
		status=1
		grep -E '^(FAIL|ERROR)' "$dir/check.out" | head -50
		# Show the log of each failed test file, shortened.
		for t in $(grep -E '^(FAIL|ERROR):' "$dir/check.out" | awk '{print $2}' | sort -u); do
			echo "--- $t.log"
			tail -40 "$dir/$t.log" 2>/dev/null
		done
	fi
	echo "$name build:"
	grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' "$dir/check.out"
	summarise "$dir"
}

suite plain
suite sanitizers --enable-sanitizers

if [ "${PETREL_SKIP_DISTCHECK:-}" != "1" ]; then
	echo "=== make distcheck"
	if make -C "$top/build-plain" distcheck >"$top/build-plain/distcheck.out" 2>&1; then
		pass=$((pass + 1))
		echo "distcheck: ok"
	else
		tail -40 "$top/build-plain/distcheck.out"
		fail=$((fail + 1))
		status=1
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && exit "$status"
exit 1
