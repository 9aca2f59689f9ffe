/*
 * mime-header: reading a header block without building a message.
 *
 * A scanner that walks the fields of a header block (RFC 5322 section 2.2)
 * as spans of the caller's bytes, and decoders that turn a raw field value
 * into one line of display text: unfolded, raw 8-bit text read as UTF-8
 * when valid and windows-1252/latin1 when not, RFC 2047 words decoded as
 * GMime decodes them (the usual shapes here, in any charset iconv knows;
 * the rest by GMime itself), sanitised (mime-text.h), and cut to a bound.
 * Summaries and the display model both use them, so a header reads the
 * same in the folder list and in the pager.
 *
 * Needs mime_init().  Pure computation: callable from any thread, never
 * blocks.  Strings returned live in the arena given.
 */
#ifndef MIME_HEADER_H
#define MIME_HEADER_H

#include <stddef.h>
#include <time.h>

#include "base/base-arena.h"
#include "base/base-str.h"

struct mime_header_field {
	const char *name; /* the caller's bytes, not NUL-terminated */
	size_t name_len;
	const char *value; /* raw and folded, after the colon */
	size_t value_len;
};

/*
 * Returns 1 with the next field in *field, or 0 at the end of the header
 * block: then *pos is the offset where the body starts.  Start with
 * *pos = 0.  A leading mbox "From " line is skipped; a line that is
 * neither a field nor a continuation ends the header block (the body
 * starts there); a continuation line with no field before it is skipped.
 */
int mime_header_next(const char *data, size_t len, size_t *pos, struct mime_header_field *field);
/* Offset of the body: past the blank line, or len when there is none. */
size_t mime_header_end(const char *data, size_t len);
/* 1 when the field's name is `name` (ASCII, any case). */
int mime_header_name_is(const struct mime_header_field *field, const char *name);

/*
 * Buffers the decoders can reuse from one value to the next instead of
 * allocating their own each time: a caller decoding many values (a
 * summary decodes up to nine) passes one to the _with variants below,
 * which otherwise behave as the functions without the suffix.  Start with
 * MIME_HEADER_SCRATCH_INIT, free with mime_header_scratch_free(); one
 * thread uses it at a time.
 */
struct mime_header_scratch {
	struct str unfolded, decoded, name, run;
};
#define MIME_HEADER_SCRATCH_INIT                                                                   \
	{                                                                                          \
		STR_INIT, STR_INIT, STR_INIT, STR_INIT                                             \
	}
void mime_header_scratch_free(struct mime_header_scratch *scratch);

/* A cut decoded value ends with this (U+2026). */
#define MIME_HEADER_CUT "\xe2\x80\xa6"

/*
 * Unstructured text (Subject, Comments...): one sanitised UTF-8 line of at
 * most `max` bytes (0: no bound) plus MIME_HEADER_CUT when longer.  An
 * encoded word that decodes to nothing is shown raw rather than dropped.
 */
char *mime_header_decode_text(struct arena *arena, const char *raw, size_t len, size_t max);
/* An address list as "Name <addr>, addr2" with names decoded; text that is
 * not an address list is shown as mime_header_decode_text() would. */
char *mime_header_decode_addresses(struct arena *arena, const char *raw, size_t len, size_t max);
/* The first mailbox of an address list (looking inside groups): decoded
 * display name ("" if none) and bare address ("" if none), sanitised. */
void mime_header_first_mailbox(struct arena *arena, const char *raw, size_t len,
                               const char **name_r, const char **addr_r);
/* Every mailbox address in an address list (groups flattened), sanitised,
 * as a NULL-terminated array in the arena; *count_r gets the count. */
const char **mime_header_mailboxes(struct arena *arena, const char *raw, size_t len,
                                   size_t *count_r);
/* A Date: value as time_t, or 0 when it cannot be read. */
time_t mime_header_date(const char *raw, size_t len);
/* The first message id without angle brackets ("" if none). */
char *mime_header_msgid(struct arena *arena, const char *raw, size_t len);
/* The <ids> of a References value, space-separated; very long lists keep
 * the first id and the last 199, which is what threading looks at. */
char *mime_header_msgid_list(struct arena *arena, const char *raw, size_t len);
/* The address of a List-Post "<mailto:...>" value ("" for NO or none). */
char *mime_header_list_post(struct arena *arena, const char *raw, size_t len);

/* The same as the functions without _with, using the caller's scratch
 * (struct mime_header_scratch above) for their working buffers. */
char *mime_header_decode_text_with(struct mime_header_scratch *scratch, struct arena *arena,
                                   const char *raw, size_t len, size_t max);
char *mime_header_decode_addresses_with(struct mime_header_scratch *scratch, struct arena *arena,
                                        const char *raw, size_t len, size_t max);
void mime_header_first_mailbox_with(struct mime_header_scratch *scratch, struct arena *arena,
                                    const char *raw, size_t len, const char **name_r,
                                    const char **addr_r);
char *mime_header_msgid_list_with(struct mime_header_scratch *scratch, struct arena *arena,
                                  const char *raw, size_t len);

#endif
