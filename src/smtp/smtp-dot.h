/*
 * smtp-dot: putting a message on the wire for DATA or BDAT, and telling
 * what a message needs from the server.
 *
 * The encoder is streaming: message bytes go in as chunks of any size,
 * with LF, CRLF or a lone CR as line ends, and come out with CRLF line
 * ends only (a lone CR or LF becomes CRLF, so no bare CR or LF can reach
 * the server and no "<LF>.<LF>" trick can end the message early).  For
 * DATA a line starting with "." gets another in front (RFC 5321 section
 * 4.5.2), and smtp_dot_finish() adds the final ".": after a CRLF when the
 * message did not end with a line break.  For BDAT only the line ends
 * change.
 *
 * smtp_body_check looks at a message before it is sent: its size as SIZE=
 * counts it (octets with CRLF line ends, without dot-stuffing), whether it
 * has 8-bit bytes (needs 8BITMIME), NUL bytes or lines longer than RFC
 * 5321's 998 octets (needs re-encoding, or BINARYMIME).  Re-encoding a
 * body to 7 bit is GMime's job elsewhere: this only reports what is
 * needed.
 *
 * All plain data, embedded by the caller; pure computation.
 */
#ifndef SMTP_DOT_H
#define SMTP_DOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-str.h"

struct smtp_dot {
	bool stuff;      /* DATA: dot-stuffing and the final "." */
	bool line_start; /* the next byte starts a line */
	bool cr;         /* a CR was seen and its line end not yet written */
	uint64_t out;    /* octets appended so far */
};

/* Starts a message: stuff is true for DATA, false for BDAT. */
void smtp_dot_init(struct smtp_dot *dot, bool stuff);
/* Appends the wire form of data[0..len) to out. */
void smtp_dot_encode(struct smtp_dot *dot, const void *data, size_t len, struct str *out);
/* Ends the message: a CRLF if the last line had no line end, then ".\r\n"
 * for DATA.  The encoder can be initialised again for the next message. */
void smtp_dot_finish(struct smtp_dot *dot, struct str *out);

#define SMTP_LINE_OCTETS_MAX 998

struct smtp_body_check {
	uint64_t size;   /* octets with CRLF line ends, as SIZE= declares */
	bool eight_bit;  /* a byte >= 0x80 */
	bool nul;        /* a NUL byte */
	bool long_lines; /* a line longer than 998 octets without its CRLF */
	/* internal */
	uint64_t line_len;
	bool cr;
	bool mid_line;
};

void smtp_body_check_init(struct smtp_body_check *check);
void smtp_body_check_update(struct smtp_body_check *check, const void *data, size_t len);
/* Counts the CRLF the encoder adds to a last line that has none. */
void smtp_body_check_finish(struct smtp_body_check *check);
/* True when data has a byte >= 0x80: headers or an address that need
 * SMTPUTF8, a body that needs 8BITMIME. */
bool smtp_needs_8bit(const void *data, size_t len);

#endif
