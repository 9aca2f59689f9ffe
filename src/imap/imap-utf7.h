/*
 * imap-utf7: mailbox names in modified UTF-7 (RFC 3501 section 5.1.3).
 *
 * Without UTF8=ACCEPT (RFC 6855) an IMAP server names mailboxes in this
 * encoding: printable ASCII stands for itself, "&" is "&-", and anything
 * else is UTF-16 in base64 (with "," for "/") between "&" and "-".
 *
 * Pure functions: callable from any thread, never block.
 */
#ifndef IMAP_UTF7_H
#define IMAP_UTF7_H

#include <stddef.h>

#include "base/base-str.h"

/*
 * Appends the UTF-8 form of a modified UTF-7 name to `out`.  Returns 0, or
 * -1 when the input is not valid modified UTF-7 (a byte outside printable
 * ASCII, an unterminated or badly padded base64 run, a lone surrogate, a
 * NUL, printable ASCII that should have stood for itself); then `out` is
 * left as it was.
 */
int imap_utf7_decode(struct str *out, const char *in, size_t len);
/* Appends the modified UTF-7 form of UTF-8 text.  Returns 0, or -1 when
 * the input is not valid UTF-8 or holds NUL (`out` left as it was). */
int imap_utf7_encode(struct str *out, const char *in, size_t len);
/* 1 when data[0..len) is valid UTF-8 without NUL (no overlongs, no
 * surrogates, nothing past U+10FFFF). */
int imap_utf8_valid(const char *data, size_t len);

#endif
