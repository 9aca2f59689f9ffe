#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"

int
url_decode(const char *s, size_t len, char **out_r)
{
	char *out = xmalloc(len + 1);
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '%') {
			int hi, lo;

			if (i + 2 >= len)
				goto bad;
			hi = str_hex_digit((unsigned char)s[i + 1]);
			lo = str_hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				goto bad;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*out_r = out;
	return 0;
bad:
	free(out);
	return -1;
}

void
url_clear(struct url *url)
{
	free(url->scheme);
	free(url->user);
	free(url->password);
	free(url->host);
	free(url->port);
	free(url->path);
	free(url->query);
	memset(url, 0, sizeof(*url));
}

static int
decode_part(const char *s, size_t len, char **out_r, const char *what, const char *text,
	    struct err *err)
{
	if (url_decode(s, len, out_r) < 0)
		return err_set(err, ERR_USAGE, "%s: bad percent-escape in the %s", text, what);
	return 0;
}

int
url_parse(const char *text, struct url *url, struct err *err)
{
	const char *p = strstr(text, "://"), *auth, *auth_end, *hostp, *at, *q;
	size_t i;

	memset(url, 0, sizeof(*url));
	if (p == NULL) {
		if (*text == '\0')
			return err_set(err, ERR_USAGE, "empty folder name");
		url->scheme = xstrdup("file");
		url->path = xstrdup(text);
		return 0;
	}
	if (p == text)
		return err_set(err, ERR_USAGE, "%s: missing scheme before \"://\"", text);
	for (i = 0; text + i < p; i++) {
		int c = (unsigned char)text[i];

		if (!(isalnum(c) || c == '+' || c == '-' || c == '.'))
			return err_set(err, ERR_USAGE, "%s: bad character in the scheme", text);
	}
	url->scheme = xstrndup(text, (size_t)(p - text));
	for (char *c = url->scheme; *c; c++)
		*c = (char)tolower((unsigned char)*c);

	auth = p + 3;
	auth_end = auth + strcspn(auth, "/?");
	q = strchr(auth_end, '?');

	/* user[:password]@ : the last '@' before the path ends the user part,
	 * so an unescaped '@' in a user name still works. */
	at = NULL;
	for (const char *c = auth; c < auth_end; c++)
		if (*c == '@')
			at = c;
	hostp = auth;
	if (at != NULL) {
		const char *colon = memchr(auth, ':', (size_t)(at - auth));
		const char *uend = colon ? colon : at;

		if (decode_part(auth, (size_t)(uend - auth), &url->user, "user name", text, err) < 0)
			goto fail;
		if (colon != NULL &&
		    decode_part(colon + 1, (size_t)(at - colon - 1), &url->password, "password", text,
				err) < 0)
			goto fail;
		hostp = at + 1;
	}
	if (hostp < auth_end) {
		const char *hend, *portp = NULL;

		if (*hostp == '[') {
			const char *close = memchr(hostp, ']', (size_t)(auth_end - hostp));

			if (close == NULL) {
				err_set(err, ERR_USAGE, "%s: missing \"]\" after the IPv6 address", text);
				goto fail;
			}
			url->host = xstrndup(hostp + 1, (size_t)(close - hostp - 1));
			hend = close + 1;
			if (hend < auth_end) {
				if (*hend != ':') {
					err_set(err, ERR_USAGE, "%s: junk after the IPv6 address", text);
					goto fail;
				}
				portp = hend + 1;
			}
		} else {
			const char *colon = memchr(hostp, ':', (size_t)(auth_end - hostp));

			hend = colon ? colon : auth_end;
			if (hend > hostp)
				url->host = xstrndup(hostp, (size_t)(hend - hostp));
			if (colon != NULL)
				portp = colon + 1;
		}
		if (portp != NULL) {
			size_t plen = (size_t)(auth_end - portp);

			if (plen == 0 || plen > 5 || strspn(portp, "0123456789") < plen ||
			    atoi(portp) <= 0 || atoi(portp) > 65535) {
				err_set(err, ERR_USAGE, "%s: bad port number", text);
				goto fail;
			}
			url->port = xstrndup(portp, plen);
		}
	}
	{
		const char *path = auth_end;
		size_t plen = q ? (size_t)(q - path) : strlen(path);

		/* Network URLs name a folder relative to the server; file-like
		 * schemes keep their absolute path. */
		if (url->host != NULL && plen > 0 && *path == '/') {
			path++;
			plen--;
		}
		if (decode_part(path, plen, &url->path, "path", text, err) < 0)
			goto fail;
	}
	if (q != NULL)
		url->query = xstrdup(q + 1);
	return 0;
fail:
	url_clear(url);
	return -1;
}

char *
url_query_get(const struct url *url, const char *key)
{
	const char *p = url->query;
	size_t klen = strlen(key);

	while (p != NULL && *p != '\0') {
		const char *end = p + strcspn(p, "&");

		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t vlen = (size_t)(end - p) - klen - 1;
			char *raw = xstrndup(p + klen + 1, vlen);
			char *v = NULL;

			/* Form encoding: '+' is a space, but "%2B" is a plus, so the
			 * pluses go before the escapes are decoded. */
			for (char *c = raw; *c != '\0'; c++)
				if (*c == '+')
					*c = ' ';
			if (url_decode(raw, vlen, &v) < 0)
				v = NULL;
			free(raw);
			return v;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

char *
url_display(const struct url *url)
{
	struct str s = STR_INIT;

	if (strcmp(url->scheme, "file") == 0 && url->host == NULL)
		return xstrdup(url->path);
	str_appendf(&s, "%s://", url->scheme);
	if (url->user != NULL)
		str_appendf(&s, "%s@", url->user);
	if (url->host != NULL)
		str_appendf(&s, strchr(url->host, ':') ? "[%s]" : "%s", url->host);
	if (url->port != NULL)
		str_appendf(&s, ":%s", url->port);
	if (url->host != NULL && url->path[0] != '\0')
		str_append_char(&s, '/');
	str_append(&s, url->path);
	if (url->query != NULL)
		str_appendf(&s, "?%s", url->query);
	return str_detach(&s);
}
