/*
 * imap-test-util: one canonical line of text per IMAP response or session
 * event, so tests compare what the parser understood, not how it was fed.
 *
 * Chunks of a streamed literal are merged: the line for a literal appears
 * once, at its last chunk, with all its bytes, so the text is the same
 * whichever way the input was split.
 */
#ifndef IMAP_TEST_UTIL_H
#define IMAP_TEST_UTIL_H

#include <stddef.h>

#include "base/base-str.h"
#include "imap/imap-parser.h"
#include "imap/imap-session.h"

struct imap_test_fmt {
	struct str chunk; /* bytes of the streamed literal so far */
	int in_chunk;
};

void imap_test_fmt_init(struct imap_test_fmt *fmt);
void imap_test_fmt_free(struct imap_test_fmt *fmt);
/* Appends the response's line (without newline); returns 0 when nothing
 * was written (a chunk that is not the last of its literal). */
int imap_test_format_response(struct imap_test_fmt *fmt, struct str *out,
			      const struct imap_response *r);
/* Same for a session event. */
int imap_test_format_event(struct imap_test_fmt *fmt, struct str *out,
			   const struct imap_event *ev);
/* Appends bytes escaped: printable ASCII as is, \\ \" \r \n \t, \xNN. */
void imap_test_escape(struct str *out, const char *data, size_t len);

/*
 * Feeds input to a new parser in pieces (the first `first` bytes, then
 * `step` bytes at a time; step 0 means the rest at once), drains every
 * response after each piece, and appends one line per response to out,
 * then "error: MESSAGE" if the parser failed, or "partial" if input ended
 * mid-response.
 */
void imap_test_parse(const char *input, size_t len, const struct imap_parser_params *params,
		     int utf8, size_t first, size_t step, struct str *out);

#endif
