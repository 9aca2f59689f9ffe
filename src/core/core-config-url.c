/*
 * URLs of folders and servers: scheme://[user[:pass]@]host[:port][/path][?query]
 * (RFC 3986 syntax, restricted to the schemes petrel knows).  Parts are
 * percent-decoded, except the query, which its user splits first.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "core/core-config-int.h"
#include "core/core-config.h"

static const char *const known_schemes[] = {"imap",  "imaps",   "pop3", "pop3s",   "smtp",
                                            "smtps", "notmuch", "file", "maildir", "mbox"};
#define KNOWN_LIST "imap, imaps, pop3, pop3s, smtp, smtps, notmuch, file, maildir, mbox"

/* Schemes that name a place on this machine: no host, user or port. */
static int
is_local(const char *scheme)
{
	return strcmp(scheme, "file") == 0 || strcmp(scheme, "maildir") == 0 ||
	       strcmp(scheme, "mbox") == 0 || strcmp(scheme, "notmuch") == 0;
}

/* Copies text into buf for a message: printable, at most 60 bytes. */
static const char *
shown(char buf[80], const char *text, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o < 60; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(buf + o, 80 - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	if (o >= 60)
		o = 60 + (size_t)snprintf(buf + 60, 20, "...");
	buf[o] = '\0';
	return buf;
}

void
config_url_redact(const char *text, char *buf, size_t size)
{
	const char *auth = strstr(text, "://"), *at, *colon;
	size_t alen;

	snprintf(buf, size, "%s", text);
	if (auth == NULL)
		return;
	auth += 3;
	alen = strcspn(auth, "/?");
	at = memrchr(auth, '@', alen);
	colon = at != NULL ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	/* A password never goes into a message or a log. */
	if (colon != NULL)
		snprintf(buf, size, "%.*s***%s", (int)(colon + 1 - text), text, at);
}

/* Decodes text[0..len) to *outp (advancing it); NUL-terminates. */
static const char *
decode(const char *text, size_t len, char **outp, struct err *err)
{
	char *start = *outp, *o = start, sb[80];

	for (size_t i = 0; i < len; i++) {
		if (text[i] != '%') {
			*o++ = text[i];
			continue;
		}
		if (i + 2 >= len || str_hex_digit((unsigned char)text[i + 1]) < 0 ||
		    str_hex_digit((unsigned char)text[i + 2]) < 0) {
			err_set(err, ERR_USAGE, "bad percent-encoding \"%s\"",
			        shown(sb, text + i, len - i < 3 ? len - i : 3));
			return NULL;
		}
		*o = (char)(str_hex_digit((unsigned char)text[i + 1]) * 16 +
		            str_hex_digit((unsigned char)text[i + 2]));
		if (*o == '\0') {
			err_set(err, ERR_USAGE, "\"%%00\" (a NUL byte) is not allowed in a URL");
			return NULL;
		}
		o++;
		i += 2;
	}
	*o++ = '\0';
	*outp = o;
	return start;
}

static int
valid_host(const char *h, size_t n)
{
	if (n > 0 && h[0] == '[') {
		/* An IPv6 literal, checked loosely: the resolver has the last word. */
		if (n < 3 || h[n - 1] != ']')
			return 0;
		for (size_t i = 1; i + 1 < n; i++)
			if (!isxdigit((unsigned char)h[i]) && h[i] != ':' && h[i] != '.')
				return 0;
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		/* Bytes above 127: an internationalised name, for libidn2. */
		if (!isalnum(c) && c != '-' && c != '.' && c != '_' && c < 0x80)
			return 0;
	}
	return 1;
}

int
config_url_parse(const char *text, struct config_url **url_r, struct err *err)
{
	size_t len = strlen(text), slen = 0, alen, n;
	const char *p, *auth, *at, *hostp, *colon, *sb_text;
	struct config_url *url;
	char *o, sb[80], sb2[80], *red;
	size_t i;

	/* Messages show the URL without its password. */
	red = xmalloc(len + 4);
	config_url_redact(text, red, len + 4);
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] <= 0x20 || text[i] == 0x7f) {
			err_set(err, ERR_USAGE, "\"%s\" contains a space or control character",
			        shown(sb, red, strlen(red)));
			free(red);
			return -1;
		}
	while (isalnum((unsigned char)text[slen]) || text[slen] == '+' || text[slen] == '-' ||
	       text[slen] == '.')
		slen++;
	if (slen == 0 || !isalpha((unsigned char)text[0]) || strncmp(text + slen, "://", 3) != 0) {
		err_set(err, ERR_USAGE, "\"%s\" is not a URL (SCHEME://...)",
		        shown(sb, red, strlen(red)));
		free(red);
		return -1;
	}
	/* One block: the struct, then every decoded part (none is longer than
	 * its encoded form). */
	url = xcalloc(1, sizeof(*url) + len + 8);
	o = (char *)(url + 1);
	for (i = 0; i < slen; i++)
		o[i] = (char)tolower((unsigned char)text[i]);
	o[slen] = '\0';
	url->scheme = o;
	o += slen + 1;
	for (i = 0; i < sizeof(known_schemes) / sizeof(known_schemes[0]); i++)
		if (strcmp(url->scheme, known_schemes[i]) == 0)
			break;
	if (i == sizeof(known_schemes) / sizeof(known_schemes[0])) {
		err_set(err, ERR_USAGE, "unknown scheme \"%s\" (petrel knows " KNOWN_LIST ")",
		        shown(sb, text, slen));
		goto fail;
	}

	auth = text + slen + 3;
	alen = strcspn(auth, "/?");
	p = auth + alen;
	if (is_local(url->scheme)) {
		if (alen != 0) {
			err_set(err, ERR_USAGE, "\"%s\" must not name a host (write %s:///path)",
			        shown(sb, red, strlen(red)), url->scheme);
			goto fail;
		}
		url->host = "";
	} else {
		at = memrchr(auth, '@', alen);
		hostp = auth;
		if (at != NULL) {
			const char *pc = memchr(auth, ':', (size_t)(at - auth));
			size_t ulen = pc ? (size_t)(pc - auth) : (size_t)(at - auth);

			if ((url->user = decode(auth, ulen, &o, err)) == NULL)
				goto fail;
			if (pc != NULL &&
			    (url->pass = decode(pc + 1, (size_t)(at - pc - 1), &o, err)) == NULL)
				goto fail;
			hostp = at + 1;
		}
		n = (size_t)(auth + alen - hostp);
		if (n > 0 && hostp[0] == '[') {
			const char *close = memchr(hostp, ']', n);

			colon = close != NULL && close + 1 < hostp + n ? close + 1 : NULL;
			if (close == NULL || (colon != NULL && *colon != ':')) {
				err_set(err, ERR_USAGE, "bad IPv6 address in \"%s\"",
				        shown(sb, red, strlen(red)));
				goto fail;
			}
		} else {
			colon = memchr(hostp, ':', n);
		}
		{
			size_t hlen = colon ? (size_t)(colon - hostp) : n;

			if (hlen == 0) {
				err_set(err, ERR_USAGE, "no host in \"%s\"",
				        shown(sb, red, strlen(red)));
				goto fail;
			}
			if (!valid_host(hostp, hlen)) {
				err_set(err, ERR_USAGE, "bad host name \"%s\"",
				        shown(sb, hostp, hlen));
				goto fail;
			}
			if ((url->host = decode(hostp, hlen, &o, err)) == NULL)
				goto fail;
		}
		if (colon != NULL) {
			size_t plen = (size_t)(hostp + n - colon - 1);
			long port = 0;

			sb_text = shown(sb2, colon + 1, plen);
			for (i = 0; i < plen; i++) {
				if (!isdigit((unsigned char)colon[1 + i]) || port > 65535) {
					port = -1;
					break;
				}
				port = port * 10 + (colon[1 + i] - '0');
			}
			if (plen == 0 || port < 1 || port > 65535) {
				err_set(err, ERR_USAGE, "bad port \"%s\" in \"%s\" (1 to 65535)",
				        sb_text, shown(sb, red, strlen(red)));
				goto fail;
			}
			url->port = (int)port;
		}
	}
	if (*p == '/') {
		size_t plen = strcspn(p, "?");

		if ((url->path = decode(p, plen, &o, err)) == NULL)
			goto fail;
		p += plen;
	}
	if (*p == '?') {
		size_t qlen = strlen(p + 1);
		char *scratch = xmalloc(qlen + 1), *sp = scratch;
		const char *ok = decode(p + 1, qlen, &sp, err);

		/* Kept encoded, but its encoding must be valid. */
		free(scratch);
		if (ok == NULL)
			goto fail;
		memcpy(o, p + 1, qlen + 1);
		url->query = o;
		o += qlen + 1;
	}
	if (url->path == NULL && strcmp(url->scheme, "notmuch") != 0 && is_local(url->scheme)) {
		err_set(err, ERR_USAGE, "no path in \"%s\" (write %s:///path)",
		        shown(sb, red, strlen(red)), url->scheme);
		goto fail;
	}
	free(red);
	*url_r = url;
	return 0;
fail:
	free(red);
	free(url);
	return -1;
}
