/*
 * base-url: folder and server URLs as petrel spells them.
 *
 *   imaps://user:pass@host:993/INBOX      pop3://user@host/
 *   smtp://user@host:587                  notmuch:///path/to/db?query=tag:inbox
 *   maildir:///home/me/Mail/inbox          /home/me/mbox (no scheme: a path)
 *
 * User, password and path are percent-decoded; an IPv6 host is written
 * in brackets ("[::1]") and stored without them.  A string with no
 * "scheme://" is a local path (scheme "file").  Pure computation.
 */
#ifndef BASE_URL_H
#define BASE_URL_H

#include "base/base-err.h"

struct url {
	char *scheme;   /* lowercase: "imap", "imaps", "file", ... */
	char *user;     /* NULL if absent */
	char *password; /* NULL if absent */
	char *host;     /* NULL if absent; brackets of IPv6 removed */
	char *port;     /* NULL if absent; digits only */
	char *path;     /* decoded, without the leading "/" for network URLs; "" if none */
	char *query;    /* raw text after "?", NULL if absent (not decoded: see url_query_get) */
};

/* Parses text into *url (zeroed first); the caller frees with url_clear.
 * Fails with ERR_USAGE and a sentence naming what is wrong. */
int url_parse(const char *text, struct url *url, struct err *err);
void url_clear(struct url *url);
/* The decoded value of key in the query ("a=1&query=tag%3Ainbox"), or NULL;
 * caller frees. */
char *url_query_get(const struct url *url, const char *key);
/* Percent-decodes [s, s+len) into a new string; fails on a bad escape or
 * a decoded NUL.  Caller frees *out_r. */
int url_decode(const char *s, size_t len, char **out_r);
/* The URL again with the password left out, for messages and logs.
 * Caller frees. */
char *url_display(const struct url *url);

#endif
