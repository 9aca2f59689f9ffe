/*
 * backend-mbox: the parts of the mbox backend that work on memory, so
 * tests and the fuzz target can split and rebuild mbox text without
 * files.  The backend itself is backend_mbox_ops (backend/backend.h).
 *
 * The format petrel reads and writes is mboxrd:
 *
 *   - A message starts at a line "From SENDER DATE" that is the first
 *     non-empty line of the file or follows an empty line, and whose
 *     DATE has a month name, a day and an hh:mm[:ss] time (the year may
 *     be missing or absurd: the date is then unknown, the split still
 *     happens).  Other "From " lines are body text.  Content-Length is
 *     not trusted for splitting: mboxcl files are rare and their lengths
 *     are often wrong after other tools edited the file.
 *   - The empty line before the next From_ line (or at the end of the
 *     file) separates messages and is not part of either.
 *   - Writing quotes every body line matching ^>*From  with one more
 *     '>'; reading removes one '>' from every line matching ^>+From .
 *     That is exact for mboxrd files.  For mboxo files (which quote only
 *     ^From ) a line that really began ">From " loses its '>': the usual
 *     price of reading both with one rule, and the reason mboxrd exists.
 *   - Lines may end in LF or CRLF; messages come out with LF.
 *   - Flags live in Status: (R seen, O old) and X-Status: (A answered,
 *     F flagged, D deleted, T draft) as mutt, mailx and c-client write
 *     them; a message with neither R nor O is new, and a message that
 *     was read is written "RO".  mbox has no letter for "passed"
 *     (forwarded): that flag lasts only while the folder is open.
 *
 * Pure computation on caller memory; any thread.
 */
#ifndef BACKEND_MBOX_H
#define BACKEND_MBOX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-err.h"
#include "base/base-str.h"

/* Byte offsets of one message in the file (or buffer). */
struct backend_mbox_msg {
	uint64_t from_off; /* the From_ line */
	uint64_t hdr_off;  /* the first header line */
	uint64_t hdr_end;  /* the empty line ending the header, or end when there is none */
	uint64_t body_off; /* the first body line, or end */
	uint64_t end;      /* end of the message, before the separating empty line */
	uint64_t next;     /* the next From_ line, or the end of the scanned data */
	uint64_t size;     /* bytes fetch() gives: LF endings, From_ quoting undone */
	uint32_t lines;    /* body lines */
	unsigned flags;    /* enum mime_flag bits from Status:/X-Status: */
	time_t received;   /* date of the From_ line; 0 if it has none we understand */
	unsigned crlf : 1; /* the From_ line ends in CRLF: write added lines that way */
};

/*
 * An incremental splitter: feed it data in any pieces (one byte at a
 * time gives the same result as the whole buffer), then finish.  Offsets
 * count from `start`.  With `tail` set, the data must begin with a From_
 * line (scanning mail appended to a known folder); otherwise leading empty
 * lines are allowed and anything else before the first From_ line is an
 * ERR_PARSE error.  Limits: a line's first BACKEND_MBOX_LINE_PREFIX bytes decide
 * what it is; longer lines are counted, never stored.
 */
#define BACKEND_MBOX_LINE_PREFIX 1024

struct backend_mbox_scan;

struct backend_mbox_scan *backend_mbox_scan_new(uint64_t start, int tail);
void backend_mbox_scan_free(struct backend_mbox_scan **scan);
/* Returns 0, or -1 with ERR_PARSE when the data is not an mbox. */
int backend_mbox_scan_feed(struct backend_mbox_scan *scan, const char *data, size_t len,
                           struct err *err);
/* Ends the data: the last message is complete after this. */
int backend_mbox_scan_finish(struct backend_mbox_scan *scan, struct err *err);
/* The messages found so far (complete ones only until finish). */
const struct backend_mbox_msg *backend_mbox_scan_messages(const struct backend_mbox_scan *scan,
                                                          size_t *count_r);
/* Offset where the first message starts (after leading empty lines). */
uint64_t backend_mbox_scan_first(const struct backend_mbox_scan *scan);
/* Takes the message array (caller frees) and leaves the scan empty. */
struct backend_mbox_msg *backend_mbox_scan_detach(struct backend_mbox_scan *scan, size_t *count_r);

/* Nonzero when line[0..len) (or its first BACKEND_MBOX_LINE_PREFIX bytes) is a
 * From_ line that starts a message; *received_r gets its date or 0. */
int backend_mbox_from_line(const char *line, size_t len, time_t *received_r);

/* Appends raw mbox lines [data, data+len) to out as the message bytes:
 * CRLF becomes LF and one '>' goes from ^>+From  lines. */
void backend_mbox_unquote(struct str *out, const char *data, size_t len);
/* Appends a message body or header as mbox lines: LF endings, one more
 * '>' on ^>*From  lines, and a final LF if the data lacks one. */
void backend_mbox_quote(struct str *out, const char *data, size_t len);

/* Appends "From SENDER DATE\n" with DATE in the asctime form, English
 * names, local time; spaces and controls in sender become '_'. */
void backend_mbox_from_line_write(struct str *out, const char *sender, time_t date);

/* Appends header [data, data+len) without its Status:/X-Status: fields,
 * then the fields that spell `flags`, with `eol` ("\n" or "\r\n"). */
void backend_mbox_header_write_flags(struct str *out, const char *data, size_t len, unsigned flags,
                                     const char *eol);

/*
 * For crash tests only: when set, the writer calls it at named points
 * ("rewrite-written", "rewrite-synced", "rewrite-renamed",
 * "append-written", ..., and the steps of an in-place rewrite,
 * "inplace-recorded", "inplace-partial", ..., see
 * backend-local-inplace.c) with the lock held; a test's hook may _exit()
 * there or append to the folder like a program that ignores locks.  Set
 * before any folder is opened; NULL in petrel.
 */
extern void (*backend_mbox_test_hook)(const char *point, const char *path);

#endif
