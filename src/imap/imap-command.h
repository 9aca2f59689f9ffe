/*
 * imap-command: building the bytes of one IMAP command.
 *
 * Strings are written as atoms, quoted strings (with " and \ escaped) or
 * literals, whichever the bytes allow: CR, LF and other controls, 8-bit
 * text without UTF8=ACCEPT, and long strings go as literals.  A literal is
 * non-synchronising ({n+}) with LITERAL+, or with LITERAL- (RFC 7888) when
 * at most 4096 bytes; otherwise synchronising ({n}), and the command
 * records the offset after which the sender must wait for the server's
 * "+".  Secret bytes (a password, SASL data) are recorded as spans so the
 * trace can mask them.
 *
 * Plain data owned by its caller; pure functions, any thread, no blocking.
 */
#ifndef IMAP_COMMAND_H
#define IMAP_COMMAND_H

#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"

/* What the server allows, from its capabilities and ENABLE. */
#define IMAP_SEND_LITERAL_PLUS 0x1  /* LITERAL+: any literal may be {n+} */
#define IMAP_SEND_LITERAL_MINUS 0x2 /* LITERAL- or IMAP4rev2: {n+} up to 4096 */
#define IMAP_SEND_UTF8 0x4          /* UTF8=ACCEPT enabled: UTF-8 in quoted strings */
#define IMAP_SEND_BINARY 0x8        /* BINARY: ~{n} literals for data with NUL */

#define IMAP_LITERAL_MINUS_MAX 4096
/* Longer strings go as literals even when they could be quoted. */
#define IMAP_QUOTED_MAX 1024

struct imap_span {
	size_t off, len;
};

struct imap_command {
	struct str out;          /* every byte of the command, CRLFs and literals included */
	size_t *syncs;           /* after out[0..syncs[i]) is sent, wait for "+" */
	size_t n_syncs;
	struct imap_span *secrets; /* bytes the trace must mask */
	size_t n_secrets;
	size_t literal_bytes;    /* bytes of literal data in out */
	unsigned send;           /* IMAP_SEND_* */
};

void imap_command_init(struct imap_command *cmd, unsigned send_flags);
void imap_command_free(struct imap_command *cmd);
/* Appends text as it is (the caller vouches for it: keywords, spaces). */
void imap_command_raw(struct imap_command *cmd, const char *text);
/* A quoted string or a literal; -1 (ERR_USAGE) for NUL bytes. */
int imap_command_string(struct imap_command *cmd, const char *s, size_t len, int secret,
			struct err *err);
/* An atom when the bytes allow one, else as imap_command_string. */
int imap_command_astring(struct imap_command *cmd, const char *s, size_t len, int secret,
			 struct err *err);
/* A mailbox name as the server names it (struct imap_mailbox.raw). */
int imap_command_mailbox(struct imap_command *cmd, const char *name, struct err *err);
/* Appends the server's form of a UTF-8 mailbox name to out: modified
 * UTF-7, or UTF-8 itself when utf8 (UTF8=ACCEPT or IMAP4rev2 enabled).
 * -1 (ERR_USAGE) when the name is not valid UTF-8. */
int imap_command_encode_mailbox(struct str *out, const char *name, int utf8, struct err *err);
/* Always a literal (APPEND data): ~{n} when it holds NUL and BINARY is
 * allowed; -1 (ERR_UNSUPPORTED) for NUL without BINARY. */
int imap_command_literal(struct imap_command *cmd, const char *data, size_t len, int secret,
			 struct err *err);
/* Ends the line with CRLF. */
void imap_command_crlf(struct imap_command *cmd);
/* 1 when s can be sent as an atom (and is not "NIL"). */
int imap_command_is_atom(const char *s, size_t len);
/* 1 when s is a flag petrel may send: \Seen-style system flag or keyword atom. */
int imap_command_is_flag(const char *s);

#endif
