/*
 * imap-summary: the folder-list summary of a message from a FETCH.
 *
 * A backend fetches either ENVELOPE or the header fields it needs
 * (BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID
 * IN-REPLY-TO REFERENCES LIST-POST)], or only FROM SUBJECT DATE for a
 * listing), plus UID, FLAGS, INTERNALDATE and RFC822.SIZE, and turns each
 * FETCH into a struct mime_summary here.
 * ENVELOPE strings are raw server text; this is where their RFC 2047
 * words are decoded and everything is sanitised (through src/mime).
 *
 * Pure computation: any thread, never blocks.  Uses GMime (src/mime).
 */
#ifndef IMAP_SUMMARY_H
#define IMAP_SUMMARY_H

#include "base/base-arena.h"
#include "imap/imap-parser.h"
#include "mime/mime-summary.h"

/* The FETCH fields petrel asks for to build summaries from headers. */
#define IMAP_SUMMARY_HEADER_FIELDS                                                           \
	"BODY.PEEK[HEADER.FIELDS (FROM TO CC SUBJECT DATE MESSAGE-ID IN-REPLY-TO REFERENCES " \
	"LIST-POST)]"
/* Those a listing shows (struct mime_summary's partial): half the bytes,
 * and less work for the server. */
#define IMAP_LISTING_HEADER_FIELDS "BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)]"

/*
 * Fills *summary from a FETCH: id from UID, flags from FLAGS, received from
 * INTERNALDATE, size from RFC822.SIZE, and the header part from a header
 * section when the FETCH carried one (BODY[HEADER...], RFC822.HEADER, or
 * a whole message), else from ENVELOPE.  Strings live in `arena` and are
 * never NULL.  Returns 0, or -1 when the FETCH carried neither headers nor
 * an ENVELOPE (the summary then holds what there was).
 */
int imap_summary_from_fetch(struct arena *arena, const struct imap_fetch *fetch,
			    struct mime_summary *summary);
/* IMAP flags as enum mime_flag bits. */
unsigned imap_summary_flags(const struct imap_flags *flags);

#endif
