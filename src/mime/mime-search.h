/*
 * mime-search: does a message's text hold a string?  The answer a
 * folder gives to a body search when no server searches for it (IMAP's
 * SEARCH BODY does the same on the server): the text parts are decoded
 * (transfer encoding, charset, HTML stripped of its tags) and compared
 * with Unicode case folding, so "straße" finds "STRASSE" and a word inside
 * a base64 or quoted-printable part is found as the reader sees it.
 * Attachments and the message's header are not searched.
 */
#ifndef MIME_SEARCH_H
#define MIME_SEARCH_H

#include <stddef.h>

struct mime_message;

/* The case-folded form of UTF-8 text s[0..len), for mime_text_holds().
 * The caller frees it.  Any thread. */
char *mime_search_fold(const char *s, size_t len);

/*
 * 1 when a text part of msg holds folded (from mime_search_fold()), else 0.
 * Never fails on message content.  Any thread; the message stays the
 * caller's.
 */
int mime_search_body(const struct mime_message *msg, const char *folded);

#endif
