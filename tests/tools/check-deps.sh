#!/bin/sh
# Checks every #include in the tree against doc/ARCHITECTURE.md's tables.
# TAP output: one result per module.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
arch="$top/doc/ARCHITECTURE.md"
. "$top/tests/lib/tap.sh"

table() { # table BEGIN-MARK END-MARK -> "module list..." lines
	sed -n "/<!-- $1:begin -->/,/<!-- $1:end -->/p" "$arch" |
		grep '^|' | sed '1,2d' | tr -d '|' | sed 's/  */ /g; s/^ //; s/ $//'
}

# module_of FILE -> the module a source file belongs to
module_of() {
	case "$1" in
	src/main.c) echo main ;;
	src/*/*) echo "$1" | cut -d/ -f2 ;;
	ui/*) echo ui ;;
	*) echo "" ;;
	esac
}

files=$(cd "$top" && find src ui -name '*.[ch]' 2>/dev/null | sort)
check "the dependency table is readable" test -n "$(table deps)"

table deps > "${TMPDIR:-/tmp}/petrel-deps.$$"
table forbidden > "${TMPDIR:-/tmp}/petrel-forbidden.$$"
while read -r module allowed; do
	bad=""
	for f in $files; do
		[ "$(module_of "$f")" = "$module" ] || continue
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$top/$f"); do
			case "$inc" in
			*/*) dep=${inc%%/*} ;;
			*) continue ;; # config.h and same-folder headers
			esac
			[ "$dep" = "$module" ] && continue
			case " $allowed " in
			*" $dep "*) ;;
			*) bad="$bad $f:$inc" ;;
			esac
		done
	done
	check "$module includes only: ${allowed:-nothing else}${bad:+ (broken by$bad)}" test -z "$bad"
done < "${TMPDIR:-/tmp}/petrel-deps.$$"

while read -r module forbidden; do
	bad=""
	for f in $files; do
		[ "$(module_of "$f")" = "$module" ] || continue
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*<\([^>]*\)>.*/\1/p' "$top/$f"); do
			for no in $forbidden; do
				case "$inc" in
				"$no" | "$no"*/ | "$no"*)
					case "$no" in
					*/) bad="$bad $f:<$inc>" ;;
					*) [ "$inc" = "$no" ] && bad="$bad $f:<$inc>" ;;
					esac
					;;
				esac
			done
		done
	done
	check "$module keeps out system headers it must not use${bad:+ (broken by$bad)}" test -z "$bad"
done < "${TMPDIR:-/tmp}/petrel-forbidden.$$"
rm -f "${TMPDIR:-/tmp}/petrel-deps.$$" "${TMPDIR:-/tmp}/petrel-forbidden.$$"

# Only the drawing and loop files of ui/ may include curses.
bad=""
for f in $files; do
	case "$f" in ui/ui-draw*.c | ui/ui-loop.c | ui/ui-draw*.h | ui/ui-curses.h) continue ;; esac
	if grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<n?curses' "$top/$f"; then
		bad="$bad $f"
	fi
done
check "only ui drawing and loop files include curses${bad:+ (broken by$bad)}" test -z "$bad"
finish
