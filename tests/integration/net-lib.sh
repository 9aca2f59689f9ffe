# Shared by the tests/integration/net-*.sh scripts: run the probe, keep
# what it said.  Source after tests/lib/tap.sh.
#   probe ARGS...   sets $out (stdout), $errout (stderr), $rc (exit status)
probe_bin="$top_builddir/tests/tools/net-probe"
net_tmp=$(mktemp -d "${TMPDIR:-/tmp}/petrel-net.XXXXXX") || bail "mktemp failed"

probe() {
	"$probe_bin" "$@" >"$net_tmp/out" 2>"$net_tmp/err"
	rc=$?
	out=$(cat "$net_tmp/out")
	errout=$(cat "$net_tmp/err")
	if [ "$rc" -ne 0 ] && [ -n "${NET_TEST_VERBOSE:-}" ]; then
		printf '# net-probe %s -> %s: %s\n' "$*" "$rc" "$errout"
	fi
}

# lines TEXT: how many lines TEXT has
lines() {
	if [ -z "$1" ]; then
		echo 0
	else
		printf '%s\n' "$1" | wc -l | tr -d ' '
	fi
}
