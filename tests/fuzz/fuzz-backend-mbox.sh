#!/bin/sh
# Replays the mbox splitter's fuzz corpus (TAP: one result per file).
exec "${top_builddir:-.}/tests/fuzz/fuzz-backend-mbox" \
	"${top_srcdir:-$(dirname "$0")/../..}/tests/fuzz/corpus/backend-mbox"
