#!/bin/sh
# Replays the IMAP parser's fuzz corpus (TAP: one result per file).
exec "${top_builddir:-.}/tests/fuzz/fuzz-imap-parser" \
	"${top_srcdir:-$(dirname "$0")/../..}/tests/fuzz/corpus/imap-parser"
