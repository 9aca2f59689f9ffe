#include "config.h"

#include "mime-test-util.h"

int
mime_test_terminal_safe(const char *s, size_t len, int utf8)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		unsigned cp;
		size_t n;

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return 0;
		if (c < 0x80)
			continue;
		if (!utf8) {
			if (c < 0xa0)
				return 0;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + n >= len)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff)
			return 0;
		i += n;
	}
	return 1;
}
