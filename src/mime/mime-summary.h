/*
 * mime-summary: the compact per-message summary that folder listings use.
 *
 * Built from a message's header block only (never the body), so a backend
 * can make one from IMAP header fields, POP3 `TOP n 0`, or the first bytes
 * of a local file.  All strings are decoded to UTF-8 (RFC 2047 words, any
 * charset iconv knows) and sanitised (no control characters), and live in
 * the arena passed to the builder: a summary is valid as long as that
 * arena.  Pure computation: callable from any thread.
 */
#ifndef MIME_SUMMARY_H
#define MIME_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-arena.h"
#include "base/base-err.h"

/* Flags, as IMAP system flags and maildir letters know them. */
enum mime_flag {
	MIME_FLAG_SEEN = 1 << 0,     /* maildir S, IMAP \Seen */
	MIME_FLAG_ANSWERED = 1 << 1, /* R, \Answered */
	MIME_FLAG_FLAGGED = 1 << 2,  /* F, \Flagged */
	MIME_FLAG_DELETED = 1 << 3,  /* T, \Deleted */
	MIME_FLAG_DRAFT = 1 << 4,    /* D, \Draft */
	MIME_FLAG_PASSED = 1 << 5,   /* P, forwarded */
	MIME_FLAG_RECENT = 1 << 6,   /* new in this session (\Recent, maildir new/) */
};

struct mime_summary {
	uint64_t id;             /* the backend's key: IMAP UID, index in a file... */
	unsigned flags;          /* enum mime_flag bits */
	time_t date;             /* Date: header, else the arrival time; 0 if unknown */
	time_t received;         /* arrival time (IMAP INTERNALDATE, mtime, From_ line) */
	uint64_t size;           /* bytes of the whole message (0 if unknown) */
	uint32_t lines;          /* body lines (0 if unknown) */
	const char *from_name;   /* display name of the first From, else its address */
	const char *from_addr;   /* bare address of the first From ("" if none) */
	const char *to;          /* decoded To list, as one line */
	const char *cc;          /* decoded Cc list, as one line */
	const char *subject;     /* decoded, unfolded, sanitised */
	const char *message_id;  /* without angle brackets; "" if none */
	const char *in_reply_to; /* first message id in In-Reply-To, without brackets */
	const char *references;  /* References as sent: space-separated <ids> */
	const char *list_post;   /* List-Post address, for list replies ("" if none) */
	unsigned raw;            /* enum mime_summary_raw: fields still as sent */
};

/* Fields a listing does not show, left as the header has them by
 * mime_summary_from_header_listing() until mime_summary_finish(). */
enum mime_summary_raw {
	MIME_RAW_TO = 1 << 0,
	MIME_RAW_CC = 1 << 1,
	MIME_RAW_REFERENCES = 1 << 2,
	MIME_RAW_ALL = (1 << 3) - 1,
};

/*
 * Fills *summary from a header block (everything up to the blank line, or
 * the whole message: parsing stops at the end of the header).  Never fails
 * on malformed input: what cannot be decoded is shown as best it can be.
 * Strings are allocated in `arena`.  Size, lines, flags, id and received
 * are left for the caller.
 */
void mime_summary_from_header(struct arena *arena, const char *data, size_t len,
			      struct mime_summary *summary);
/*
 * The same for a listing, which shows neither recipients nor threads:
 * To, Cc and References are copied as the header has them (their decoding
 * is most of a summary's cost) and marked in summary->raw.  A value that a
 * copy could not carry whole (a NUL byte, beyond RAW_MAX) is decoded at
 * once.  The summary may be kept (a cache) and finished later.
 */
void mime_summary_from_header_listing(struct arena *arena, const char *data, size_t len,
				      struct mime_summary *summary);
/* Decodes the fields summary->raw names, as mime_summary_from_header()
 * would have, into arena, and clears summary->raw. */
void mime_summary_finish(struct arena *arena, struct mime_summary *summary);
/* The longest raw value kept (a header cache keeps 64 KB of a field). */
#define MIME_SUMMARY_RAW_MAX (32 * 1024)

#endif
