#include "config.h"

#include <stdint.h>
#include <string.h>

#include "imap/imap-utf7.h"

static const char b64chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static int
b64value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == ',')
		return 63;
	return -1;
}

static void
put_utf8(struct str *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	str_append_len(out, b, n);
}

/* Decodes the base64 run in[0..len) (between "&" and "-"). */
static int
decode_run(struct str *out, const unsigned char *in, size_t len)
{
	uint32_t bits = 0, high = 0;
	unsigned nbits = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v = b64value(in[i]);

		if (v < 0)
			return -1;
		bits = (bits << 6) | (uint32_t)v;
		nbits += 6;
		if (nbits >= 16) {
			uint32_t unit = (bits >> (nbits - 16)) & 0xffff;

			nbits -= 16;
			bits &= (1u << nbits) - 1;
			if (high != 0) {
				if (unit < 0xdc00 || unit > 0xdfff)
					return -1;
				put_utf8(out, 0x10000 + ((high - 0xd800) << 10) + (unit - 0xdc00));
				high = 0;
			} else if (unit >= 0xd800 && unit <= 0xdbff) {
				high = unit;
			} else if (unit >= 0xdc00 && unit <= 0xdfff) {
				return -1;
			} else if (unit >= 0x20 && unit <= 0x7e) {
				/* Printable ASCII must stand for itself. */
				return -1;
			} else if (unit == 0) {
				return -1;
			} else {
				put_utf8(out, unit);
			}
		}
	}
	/* Padding: fewer than 6 bits left over, all zero. */
	if (high != 0 || nbits >= 6 || bits != 0)
		return -1;
	return 0;
}

int
imap_utf7_decode(struct str *out, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t start = out->len, i = 0;

	while (i < len) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			goto bad;
		if (s[i] != '&') {
			size_t j = i + 1;

			while (j < len && s[j] != '&' && s[j] >= 0x20 && s[j] <= 0x7e)
				j++;
			str_append_len(out, s + i, j - i);
			i = j;
			continue;
		}
		{
			const unsigned char *dash = memchr(s + i + 1, '-', len - i - 1);

			if (dash == NULL)
				goto bad;
			if (dash == s + i + 1)
				str_append_char(out, '&');
			else if (decode_run(out, s + i + 1, (size_t)(dash - (s + i + 1))) < 0)
				goto bad;
			i = (size_t)(dash - s) + 1;
		}
	}
	if (out->s == NULL)
		str_append_len(out, "", 0);
	return 0;
bad:
	str_truncate(out, start);
	return -1;
}

/* Reads one UTF-8 code point; returns its length or 0 when invalid. */
static size_t
get_utf8(const unsigned char *s, size_t len, uint32_t *cp_r)
{
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80) {
		*cp_r = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		cp = s[0] & 0x1f;
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		cp = s[0] & 0x0f;
		n = 3;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		cp = s[0] & 0x07;
		n = 4;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cp_r = cp;
	return n;
}

int
imap_utf8_valid(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n;

		if (s[i] != 0 && s[i] < 0x80) {
			i++;
			continue;
		}
		n = get_utf8(s + i, len - i, &cp);
		if (n == 0 || cp == 0)
			return 0;
		i += n;
	}
	return 1;
}

static void
flush_bits(struct str *out, uint32_t *bits, unsigned *nbits)
{
	while (*nbits >= 6) {
		*nbits -= 6;
		str_append_char(out, b64chars[(*bits >> *nbits) & 0x3f]);
	}
	*bits &= (1u << *nbits) - 1;
}

int
imap_utf7_encode(struct str *out, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t start = out->len, i = 0;

	while (i < len) {
		uint32_t bits = 0;
		unsigned nbits = 0;

		if (s[i] == 0)
			goto bad;
		if (s[i] >= 0x20 && s[i] <= 0x7e) {
			if (s[i] == '&')
				str_append_len(out, "&-", 2);
			else
				str_append_char(out, (char)s[i]);
			i++;
			continue;
		}
		str_append_char(out, '&');
		while (i < len && (s[i] < 0x20 || s[i] > 0x7e)) {
			uint32_t cp, units[2];
			size_t n = get_utf8(s + i, len - i, &cp), nu = 1;

			if (n == 0 || cp == 0)
				goto bad;
			if (cp >= 0x10000) {
				units[0] = 0xd800 + ((cp - 0x10000) >> 10);
				units[1] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
				nu = 2;
			} else {
				units[0] = cp;
			}
			for (size_t k = 0; k < nu; k++) {
				bits = (bits << 16) | units[k];
				nbits += 16;
				flush_bits(out, &bits, &nbits);
			}
			i += n;
		}
		if (nbits > 0)
			str_append_char(out, b64chars[(bits << (6 - nbits)) & 0x3f]);
		str_append_char(out, '-');
	}
	if (out->s == NULL)
		str_append_len(out, "", 0);
	return 0;
bad:
	str_truncate(out, start);
	return -1;
}
