/*
 * smtp-reply: SMTP server replies (RFC 5321 section 4.2), parsed from raw
 * bytes without I/O.
 *
 * Bytes go in as they arrive, split anywhere; complete replies come out:
 * the three-digit code, the text of every line ("250-..." continuation
 * lines up to the "250 " one) and the RFC 2034/3463 enhanced status code
 * when the first line carries one.  A line may end in CRLF or a bare LF.
 *
 * RFC 5321's 512-octet reply line is too small for real servers (long
 * AUTH lists, verbose rejections), so the longest line and the most lines
 * in one reply are parameters.  Everything that breaks the grammar is
 * ERR_PROTO and stops the parser for good: a line longer than the limit
 * (including one that never ends), too many lines, a code that is not
 * three digits from 200 to 599, continuation lines whose codes differ, a
 * NUL byte.  Memory stays below about line_max * lines_max whatever the
 * server sends, as long as the caller feeds what it reads and drains the
 * replies before reading more.
 *
 * Threads: a parser belongs to one thread at a time.  Nothing blocks.
 */
#ifndef SMTP_REPLY_H
#define SMTP_REPLY_H

#include <stddef.h>

#include "base/base-err.h"

#define SMTP_REPLY_LINE_MAX_DEFAULT 4096
#define SMTP_REPLY_LINES_MAX_DEFAULT 128

struct smtp_reply {
	int code;          /* 200..599 */
	char enhanced[16]; /* "5.1.1", or "" when the reply has none */
	size_t n_lines;    /* at least 1 */
	/* Each line's text after the code, its separator and the enhanced
	   code (when the line starts with the reply's), NUL-terminated. */
	const char *const *lines;
	const char *text; /* the lines joined with "\n" */
};

struct smtp_reply_parser;

/* A new parser; 0 for either limit means its default.  The caller frees it
 * with smtp_reply_parser_free(). */
struct smtp_reply_parser *smtp_reply_parser_new(size_t line_max, size_t lines_max);
/* Frees the parser and the current reply; sets *parser to NULL.  NULL is
 * fine. */
void smtp_reply_parser_free(struct smtp_reply_parser **parser);

/* Appends bytes to the parser's input (copied). */
void smtp_reply_parser_feed(struct smtp_reply_parser *parser, const void *data, size_t len);
/*
 * The next complete reply: 1 with *reply_r set (owned by the parser and
 * valid until the next call on it), 0 when more input is needed, -1 on a
 * protocol violation (ERR_PROTO; every later call fails the same way).
 */
int smtp_reply_parser_next(struct smtp_reply_parser *parser, const struct smtp_reply **reply_r,
                           struct err *err);
/* Throws away all input not yet returned as a reply, including a partial
 * one (plain text received after STARTTLS's 220); returns how many bytes
 * that was. */
size_t smtp_reply_parser_discard(struct smtp_reply_parser *parser);
/* Bytes fed but not yet returned as part of a reply. */
size_t smtp_reply_parser_pending(const struct smtp_reply_parser *parser);

/*
 * Writes "CODE[ ENHANCED] text" into buf (size > 0, always NUL-terminated,
 * cut if needed), lines joined by " / ", with control characters replaced
 * by '?', for error sentences shown to people.
 */
void smtp_reply_describe(const struct smtp_reply *reply, char *buf, size_t size);

#endif
