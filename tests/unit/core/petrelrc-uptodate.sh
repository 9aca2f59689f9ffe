#!/bin/sh
# doc/petrelrc.5 must be what doc/gen-petrelrc makes from the variable table.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../../.." && pwd)}
top_builddir=${top_builddir:-.}
. "$top_srcdir/tests/lib/tap.sh"

out="${TMPDIR:-/tmp}/petrelrc.5.$$"
trap 'rm -f "$out"' EXIT
check "gen-petrelrc runs" "$top_builddir/doc/gen-petrelrc" "$top_srcdir/doc/petrelrc.5.in" "$out"
if cmp -s "$out" "$top_srcdir/doc/petrelrc.5"; then
	check "doc/petrelrc.5 matches the variable table" true
else
	check "doc/petrelrc.5 matches the variable table (run make update-petrelrc)" false
	echo "# doc/petrelrc.5 is out of date: run 'make update-petrelrc' and commit the result"
	diff -u "$top_srcdir/doc/petrelrc.5" "$out" | head -40 | sed 's/^/# /'
fi
finish
