#!/bin/sh
# Replays the POP3 response fuzz corpus (TAP: one result per file).
exec "${top_builddir:-.}/tests/fuzz/fuzz-pop3-reply" \
	"${top_srcdir:-$(dirname "$0")/../..}/tests/fuzz/corpus/pop3-reply"
