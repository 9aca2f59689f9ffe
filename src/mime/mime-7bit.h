/*
 * mime-7bit: making a message fit a 7-bit mail path.
 *
 * A submission server that does not offer 8BITMIME (RFC 6152) may only
 * be given 7-bit text with lines of at most 998 octets (RFC 5321).  This
 * rewrites a message whose body breaks that rule: every leaf part whose
 * content is not 7-bit clean, has longer lines or holds NUL bytes gets
 * the transfer encoding GMime finds best for it (quoted-printable for
 * text that is mostly ASCII, base64 otherwise), recursively through
 * multiparts and attached messages.  The content decodes to the same
 * bytes as before.  Header fields are left as they are: raw 8-bit text in
 * a header needs SMTPUTF8 (RFC 6531), not a transfer encoding, and the
 * caller decides what to do about it.
 *
 * Needs mime_init() (or sets GMime up on first use).  Pure computation,
 * callable from any thread.
 */
#ifndef MIME_7BIT_H
#define MIME_7BIT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"

/*
 * Appends the re-encoded form of the message data[0..len) to *out, with
 * CRLF line ends when crlf is true and LF otherwise.  Fails with
 * ERR_PARSE when GMime cannot read the input as a message, leaving *out
 * as it was.
 */
int mime_7bit_encode(const char *data, size_t len, bool crlf, struct str *out, struct err *err);

/* True when the body of the message (after its header block) is 7-bit
 * clean, without NUL bytes and with lines of at most 998 octets. */
bool mime_7bit_body_ok(const char *data, size_t len);

#endif
