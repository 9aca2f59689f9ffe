/*
 * pop3-reply: POP3 server responses (RFC 1939, RFC 2449, RFC 5034) as
 * bytes come in, without I/O.
 *
 * A POP3 response does not say whether it is multi-line: the command
 * does.  So these are the pieces the session puts together:
 *  - pop3_line_next() cuts the next line out of a buffer, bounded by a
 *    line length limit (a line that never ends is an error as soon as it
 *    passes the limit, not a growing buffer);
 *  - pop3_status_parse() reads a status line: "+OK text", "-ERR text",
 *    and "+ base64" SASL continuations, with the RFC 2449 / RFC 3206
 *    response code ("[IN-USE]", "[SYS/TEMP]", "[AUTH]") split off;
 *  - pop3_unstuff_*() decode the body of a multi-line response (RETR,
 *    TOP) as a stream: the terminating ".", CRLF is found and the
 *    leading dot of stuffed lines removed without ever holding a line,
 *    so a message of any size, with lines of any length, goes through in
 *    the pieces it arrived in.
 *
 * Pure computation; nothing blocks.
 */
#ifndef POP3_REPLY_H
#define POP3_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base-err.h"

#define POP3_LINE_MAX_DEFAULT 4096
/* RFC 2449 response codes: short hierarchical names. */
#define POP3_RESP_CODE_MAX 64

/*
 * The next line of buf[0..len): returns 1 with *line_r and *line_len_r (the
 * line without its CRLF or bare LF, pointing into buf) and *used_r (bytes
 * to skip, line end included), 0 when buf holds no complete line yet (and
 * it is not too long), -1 with ERR_PROTO when the line is or would be
 * longer than line_max, or holds a NUL byte.
 */
int pop3_line_next(const char *buf, size_t len, size_t line_max, const char **line_r,
                   size_t *line_len_r, size_t *used_r, struct err *err);

enum pop3_status {
	POP3_OK,   /* "+OK" */
	POP3_ERR,  /* "-ERR" */
	POP3_CONT, /* "+ " SASL continuation (or a bare "+") */
};

struct pop3_status_line {
	enum pop3_status status;
	char code[POP3_RESP_CODE_MAX]; /* response code without brackets, or "" */
	const char *text;              /* the rest, after the code (points into the line) */
};

/*
 * Parses a status line (NUL-terminated, without its line end).  "+ " is
 * only a continuation when cont_ok (inside an AUTH exchange).  Fails with
 * ERR_PROTO on anything else.  st->text points into line.
 */
int pop3_status_parse(const char *line, bool cont_ok, struct pop3_status_line *st, struct err *err);

/* The streaming decoder of a multi-line body; embed and init per body. */
struct pop3_unstuff {
	int state;
};

void pop3_unstuff_init(struct pop3_unstuff *u);
/*
 * Decodes from in[0..len): returns how many input bytes were used; the
 * message bytes among them are in[0..*data_len_r) (possibly none: a
 * stuffed dot is dropped by using it without data).  *end_r is true when
 * the used bytes ended with the terminating line, after which the body is
 * over.  Returns 0 (and no data) only when in holds too little to decide
 * (a "." or ".\r" at the start of a line): feed more and call again.
 * Lines end in CRLF only: a bare LF is message content, so "\n.\n" does
 * not end a message (and ".\n" does not either).
 */
size_t pop3_unstuff(struct pop3_unstuff *u, const char *in, size_t len, size_t *data_len_r,
                    bool *end_r);

#endif
