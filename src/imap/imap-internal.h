/*
 * imap-internal: helpers the files of src/imap share and nothing else
 * includes.  Decoders of typed values from generic arguments; every one
 * returns 0, or -1 with a static or arena reason in *why_r.
 */
#ifndef IMAP_INTERNAL_H
#define IMAP_INTERNAL_H

#include "imap/imap-parser.h"

/* A list (or NIL when nil_ok) of atoms or strings. */
int imap_decode_strings(struct arena *arena, const struct imap_arg *arg, int nil_ok,
			struct imap_strings *out, const char **why_r);
/* A flag list "(\Seen $Label)". */
int imap_decode_flags(struct arena *arena, const struct imap_arg *arg, struct imap_flags *out,
		      const char **why_r);
/* A mailbox name (astring), decoded from modified UTF-7 unless utf8. */
int imap_decode_mailbox(struct arena *arena, const struct imap_arg *arg, int utf8,
			struct imap_mailbox *out, const char **why_r);
/* The items of a FETCH response; *why_r when the list itself is broken. */
int imap_decode_fetch(struct arena *arena, const struct imap_arg *list, unsigned depth_max,
		      struct imap_fetch *out, const char **why_r);
/* A body section item name: BODY[...]<n>, BINARY[...]<n>, RFC822,
 * RFC822.HEADER, RFC822.TEXT.  Returns 1 and fills *body (data unset), or 0. */
int imap_decode_section(struct arena *arena, const char *name, size_t len,
			struct imap_fetch_body *body);

#endif
