#include "config.h"

#include <langinfo.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "ui/ui-width.h"

static int utf8_locale = 1;

void
ui_width_init(void)
{
	const char *cs = nl_langinfo(CODESET);

	utf8_locale = cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

int
ui_width_utf8(void)
{
	return utf8_locale;
}

void
ui_width_set_utf8(int utf8)
{
	utf8_locale = utf8;
}

size_t
ui_utf8_decode(const char *s, size_t len, uint32_t *cp_r)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp, min;
	size_t n, i;

	if (p[0] < 0x80) {
		*cp_r = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else {
		*cp_r = UI_REPLACEMENT;
		return 1;
	}
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*cp_r = cp;
	return n;
bad:
	*cp_r = UI_REPLACEMENT;
	return 1;
}

void
ui_utf8_encode(struct str *out, uint32_t cp)
{
	char b[4];

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = UI_REPLACEMENT;
	if (cp < 0x80) {
		b[0] = (char)cp;
		str_append_len(out, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		str_append_len(out, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		str_append_len(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		str_append_len(out, b, 4);
	}
}

int
ui_width_glyph(uint32_t cp, uint32_t *glyph_r)
{
	int w;

	if (cp == '\t') {
		*glyph_r = ' ';
		return 1;
	}
	/* Sanitised text holds no controls; anything that slips through is
	 * never handed to the terminal as it is. */
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
		*glyph_r = '?';
		return 1;
	}
	if (cp < 0x7f) {
		*glyph_r = cp;
		return 1;
	}
	if (!utf8_locale) {
		char mb[MB_LEN_MAX];
		mbstate_t st;

		memset(&st, 0, sizeof(st));
		if (cp > WCHAR_MAX || wcrtomb(mb, (wchar_t)cp, &st) == (size_t)-1) {
			*glyph_r = '?';
			return 1;
		}
	}
	w = cp <= WCHAR_MAX ? wcwidth((wchar_t)cp) : -1;
	if (w < 0) {
		*glyph_r = utf8_locale ? UI_REPLACEMENT : '?';
		return 1;
	}
	*glyph_r = cp;
	return w > 2 ? 2 : w;
}

int
ui_width_cp(uint32_t cp)
{
	uint32_t g;

	return ui_width_glyph(cp, &g);
}

size_t
ui_width_str(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		uint32_t cp;

		i += ui_utf8_decode(s + i, len - i, &cp);
		w += (size_t)ui_width_cp(cp);
	}
	return w;
}

size_t
ui_width_cut(const char *s, size_t len, size_t cols, size_t *used_r)
{
	size_t i = 0, w = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = ui_utf8_decode(s + i, len - i, &cp);
		int cw = ui_width_cp(cp);

		if (w + (size_t)cw > cols)
			break;
		w += (size_t)cw;
		i += n;
	}
	if (used_r != NULL)
		*used_r = w;
	return i;
}

size_t
ui_width_fit(struct str *out, const char *s, size_t len, size_t min, size_t max, int left_align,
             char pad)
{
	size_t used, n, fill, i;

	n = ui_width_cut(s, len, max, &used);
	fill = used < min ? min - used : 0;
	if (!left_align)
		for (i = 0; i < fill; i++)
			str_append_char(out, pad);
	str_append_len(out, s, n);
	if (left_align)
		for (i = 0; i < fill; i++)
			str_append_char(out, pad);
	return used + fill;
}
