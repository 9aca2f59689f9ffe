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
	/* Only a listing's fields were asked for (sender, subject, date,
	 * flags, size): to, cc, message_id, in_reply_to, references and
	 * list_post are not known, rather than empty.  Set by the store that
	 * asked for less; a face that shows them must read the message again. */
	unsigned partial;
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

#endif
