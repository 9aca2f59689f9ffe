#!/bin/sh
# Replays the mailx command-line parsers' fuzz corpus (TAP: one result per file).
exec "${top_builddir:-.}/tests/fuzz/fuzz-cmd-line" \
	"${top_srcdir:-$(dirname "$0")/../..}/tests/fuzz/corpus/cmd-line"
