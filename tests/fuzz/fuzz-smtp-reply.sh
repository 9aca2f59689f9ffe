#!/bin/sh
# Replays the SMTP reply fuzz corpus (TAP: one result per file).
exec "${top_builddir:-.}/tests/fuzz/fuzz-smtp-reply" \
	"${top_srcdir:-$(dirname "$0")/../..}/tests/fuzz/corpus/smtp-reply"
