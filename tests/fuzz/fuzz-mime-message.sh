#!/bin/sh
# Replays the message parser's fuzz corpus (TAP: one result per file).
exec "${top_builddir:-.}/tests/fuzz/fuzz-mime-message" \
	"${top_srcdir:-$(dirname "$0")/../..}/tests/fuzz/corpus/mime-message"
