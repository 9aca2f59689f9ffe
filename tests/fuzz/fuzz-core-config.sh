#!/bin/sh
# Replays the configuration parser's fuzz corpus (TAP: one result per file).
exec "${top_builddir:-.}/tests/fuzz/fuzz-core-config" \
	"${top_srcdir:-$(dirname "$0")/../..}/tests/fuzz/corpus/core-config"
