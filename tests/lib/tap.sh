# TAP helpers for shell tests: source this file.
#   ok CONDITION-EXIT-STATUS "description"    (use: check "desc" cmd args...)
#   finish                                    (prints the plan, exits)
tap_count=0
tap_failed=0

# check DESCRIPTION COMMAND...: one TAP result from a command's exit status.
check() {
	tap_desc=$1
	shift
	tap_count=$((tap_count + 1))
	if "$@"; then
		echo "ok $tap_count - $tap_desc"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_count - $tap_desc"
	fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	tap_count=$((tap_count + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $tap_count - $1"
	else
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_count - $1"
		printf '#   got:  %s\n#   want: %s\n' "$2" "$3" | sed '2,$s/^/#   /'
	fi
}

# check_contains DESCRIPTION HAYSTACK NEEDLE
check_contains() {
	tap_count=$((tap_count + 1))
	case "$2" in
	*"$3"*) echo "ok $tap_count - $1" ;;
	*)
		tap_failed=$((tap_failed + 1))
		echo "not ok $tap_count - $1"
		printf '%s\n' "$2" | head -20 | sed 's/^/#   got: /'
		echo "#   wanted it to contain: $3"
		;;
	esac
}

# bail REASON: stop the test file with an error (counts as a failure).
bail() {
	echo "Bail out! $*"
	exit 1
}

finish() {
	echo "1..$tap_count"
	[ "$tap_failed" -eq 0 ]
	exit $?
}
