#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "mime/mime-text.h"

/*
 * Decodes one UTF-8 character; returns its length (1..4) and sets *cp, or
 * returns 0 when the bytes at p are not a valid, shortest-form character.
 */
static size_t
utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static void
utf8_put(struct str *out, uint32_t c)
{
	char b[4];

	if (c < 0x80) {
		str_append_char(out, (char)c);
	} else if (c < 0x800) {
		b[0] = (char)(0xc0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3f));
		str_append_len(out, b, 2);
	} else if (c < 0x10000) {
		b[0] = (char)(0xe0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[2] = (char)(0x80 | (c & 0x3f));
		str_append_len(out, b, 3);
	} else {
		b[0] = (char)(0xf0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		b[3] = (char)(0x80 | (c & 0x3f));
		str_append_len(out, b, 4);
	}
}

/* Code points shown as <U+XXXX>: C1 controls, bidi controls that reorder
 * what follows them (a file name "txt.exe" can be made to read "exe.txt"),
 * and separators some terminals treat as line breaks. */
static int
is_format_danger(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

/* Characters that pass unchanged; everything else gets a notation. */
static int
passes(uint32_t c, unsigned flags)
{
	if (c == '\n')
		return (flags & MIME_SANITIZE_NEWLINE) != 0;
	if (c == '\t')
		return (flags & MIME_SANITIZE_TAB) != 0;
	if (c < 0x20 || c == 0x7f)
		return 0;
	return !is_format_danger(c);
}

void
mime_sanitize(struct str *out, const char *data, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, run = 0;

	str_reserve(out, len);
	while (i < len) {
		uint32_t c = 0;
		size_t n;
		char buf[16];

		if (p[i] >= 0x20 && p[i] < 0x7f) {
			/* Printable ASCII: copied in runs, the common case. */
			run = i;
			while (i < len && p[i] >= 0x20 && p[i] < 0x7f)
				i++;
			str_append_len(out, p + run, i - run);
			continue;
		}
		n = utf8_decode(p + i, len - i, &c);
		if (n == 0) {
			snprintf(buf, sizeof(buf), "\\x%02x", p[i]);
			str_append(out, buf);
			i++;
			continue;
		}
		if (passes(c, flags)) {
			str_append_len(out, p + i, n);
		} else if (c < 0x20) {
			buf[0] = '^';
			buf[1] = (char)(c + 0x40);
			str_append_len(out, buf, 2);
		} else if (c == 0x7f) {
			str_append(out, "^?");
		} else {
			snprintf(buf, sizeof(buf), "<U+%04X>", (unsigned)c);
			str_append(out, buf);
		}
		i += n;
	}
	str_append_len(out, "", 0); /* terminates even when nothing was added */
}

char *
mime_sanitize_arena(struct arena *arena, const char *data, size_t len, unsigned flags)
{
	struct str tmp = STR_INIT;
	char *r;

	if (mime_text_is_safe(data, len, flags) && memchr(data, '\0', len) == NULL)
		return arena_strndup(arena, data, len);
	mime_sanitize(&tmp, data, len, flags);
	r = arena_strndup(arena, tmp.s, tmp.len);
	str_free(&tmp);
	return r;
}

int
mime_text_is_safe(const char *data, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n;

		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &c);
		if (n == 0 || !passes(c, flags))
			return 0;
		i += n;
	}
	return 1;
}

int
mime_utf8_valid(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(p + i, len - i, &c);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

size_t
mime_utf8_cut(const char *data, size_t max)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = max, back = 0;

	/* Step back over continuation bytes to the start of the last
	 * character, then keep it only if it is complete. */
	while (i > 0 && back < 3 && (p[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i > 0 && p[i - 1] >= 0xc0) {
		uint32_t c;
		size_t n = utf8_decode(p + i - 1, max - (i - 1), &c);

		if (n != 0 && i - 1 + n == max)
			return max;
		return i - 1;
	}
	return max;
}

/* windows-1252 for 0x80..0x9f; 0 marks the five bytes it leaves undefined,
 * which are then read as latin1 (and so shown as C1 controls). */
static const uint16_t cp1252_high[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017d, 0,      0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
};

int
mime_text_8bit_to_utf8(struct str *out, const char *data, size_t len)
{
	if (mime_utf8_valid(data, len)) {
		str_append_len(out, data, len);
		return 0;
	}
	mime_text_cp1252_to_utf8(out, data, len);
	return 1;
}

void
mime_text_cp1252_to_utf8(struct str *out, const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i;

	str_reserve(out, len + len / 2);
	for (i = 0; i < len; i++) {
		uint32_t c = p[i];

		if (c >= 0x80 && c < 0xa0 && cp1252_high[c - 0x80] != 0)
			c = cp1252_high[c - 0x80];
		utf8_put(out, c);
	}
	str_append_len(out, "", 0); /* terminates even when nothing was added */
}

#define FILENAME_MAX_BYTES 200

void
mime_filename_safe(struct str *out, const char *name, const char *fallback)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	size_t len = strlen((const char *)p), i, start = out->len;
	int useful = 0;
	struct str tmp = STR_INIT;

	/* RFC 2183: directory information in a name is not to be trusted,
	 * so only what follows the last "/" or "\" counts ("C:\x\a.pdf"
	 * gives "a.pdf"). */
	for (i = len; i > 0; i--)
		if (p[i - 1] == '/' || p[i - 1] == '\\')
			break;
	while (i < len) {
		uint32_t c;
		size_t n = utf8_decode(p + i, len - i, &c);

		if (n == 0) {
			str_append_char(&tmp, '_');
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f || is_format_danger(c) || c == 0xfeff ||
		    (c >= 0x200b && c <= 0x200f)) {
			str_append_char(&tmp, '_');
		} else if (c == '.') {
			/* ".." never survives, so no name can climb. */
			if (tmp.len == 0 || tmp.s[tmp.len - 1] != '.')
				str_append_char(&tmp, '.');
		} else {
			str_append_len(&tmp, p + i, n);
			if (c != ' ' && c != '_')
				useful = 1;
		}
		i += n;
	}
	/* Trailing dots and blanks mean nothing and confuse other systems. */
	while (tmp.len > 0 && (tmp.s[tmp.len - 1] == '.' || tmp.s[tmp.len - 1] == ' '))
		tmp.len--;
	if (!useful || tmp.len == 0) {
		str_append(out, fallback);
		str_free(&tmp);
		return;
	}
	if (tmp.s[0] == '.')
		tmp.s[0] = '_';
	if (tmp.len > FILENAME_MAX_BYTES) {
		/* Keep a short extension so the type stays recognisable. */
		const char *dot = memchr(tmp.s + tmp.len - 16, '.', 16);
		size_t ext = dot ? (size_t)(tmp.s + tmp.len - dot) : 0;
		size_t head = mime_utf8_cut(tmp.s, FILENAME_MAX_BYTES - ext);

		/* The cut must not join two dots into "..". */
		while (head > 0 && tmp.s[head - 1] == '.')
			head--;
		str_append_len(out, tmp.s, head);
		if (ext > 0)
			str_append_len(out, dot, ext);
	} else {
		str_append_len(out, tmp.s, tmp.len);
	}
	if (out->len == start)
		str_append(out, fallback);
	else if (out->s[start] == '.')
		out->s[start] = '_';
	str_free(&tmp);
}

void
mime_quote_text(struct str *out, const char *text, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix), bare = plen, i = 0;

	while (bare > 0 && (prefix[bare - 1] == ' ' || prefix[bare - 1] == '\t'))
		bare--;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, line_end = end;

		if (line_end > i && text[line_end - 1] == '\r')
			line_end--;
		if (line_end == i)
			str_append_len(out, prefix, bare);
		else if (text[i] == '>' && bare > 0 && prefix[0] == '>')
			/* Nested quotes stack without a blank: ">> text". */
			str_append_len(out, prefix, bare);
		else
			str_append_len(out, prefix, plen);
		str_append_len(out, text + i, line_end - i);
		str_append_char(out, '\n');
		i = nl ? end + 1 : len;
	}
	str_append_len(out, "", 0); /* terminates even when nothing was added */
}

/* Case-insensitive prefix match of an ASCII word at p (bounded by end). */
static int
ascii_prefix(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char a = p[i], b = word[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

static const struct {
	const char *name;
	uint32_t cp;
} html_entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},      {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xa0},     {"copy", 0xa9},    {"reg", 0xae},    {"mdash", 0x2014}, {"ndash", 0x2013},
    {"hellip", 0x2026}, {"laquo", 0xab},   {"raquo", 0xbb},  {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"ldquo", 0x201c},  {"rdquo", 0x201d}, {"euro", 0x20ac}, {"bull", 0x2022},  {"middot", 0xb7},
    {"eacute", 0xe9},   {"egrave", 0xe8},  {"agrave", 0xe0}, {"auml", 0xe4},    {"ouml", 0xf6},
    {"uuml", 0xfc},     {"szlig", 0xdf},   {"ccedil", 0xe7}, {"trade", 0x2122},
};

/* Decodes the character reference at p ('&'); returns bytes consumed, 0 if
 * it is not one (then '&' is literal). */
static size_t
html_entity(struct str *out, const char *p, const char *end)
{
	const char *q = p + 1;
	uint32_t c = 0;

	if (q < end && *q == '#') {
		int hex = 0, digits = 0;

		q++;
		if (q < end && (*q == 'x' || *q == 'X')) {
			hex = 1;
			q++;
		}
		for (; q < end && digits < 8; q++, digits++) {
			int v;

			if (*q >= '0' && *q <= '9')
				v = *q - '0';
			else if (hex && *q >= 'a' && *q <= 'f')
				v = *q - 'a' + 10;
			else if (hex && *q >= 'A' && *q <= 'F')
				v = *q - 'A' + 10;
			else
				break;
			c = c * (hex ? 16 : 10) + (uint32_t)v;
		}
		if (digits == 0)
			return 0;
		if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			c = 0xfffd;
		utf8_put(out, c);
		if (q < end && *q == ';')
			q++;
		return (size_t)(q - p);
	}
	for (size_t i = 0; i < sizeof(html_entities) / sizeof(html_entities[0]); i++) {
		size_t n = strlen(html_entities[i].name);

		if ((size_t)(end - q) >= n && memcmp(q, html_entities[i].name, n) == 0) {
			q += n;
			if (q < end && *q == ';')
				q++;
			utf8_put(out, html_entities[i].cp);
			return (size_t)(q - p);
		}
	}
	return 0;
}

/* Tag names that end a line of text. */
static int
html_breaks_line(const char *name, const char *end)
{
	static const char *const words[] = {"br", "p",  "div", "tr", "li",    "h1",         "h2",
	                                    "h3", "h4", "h5",  "h6", "table", "blockquote", "pre",
	                                    "hr", "ul", "ol",  "dt", "dd"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if (ascii_prefix(name, end, words[i]) &&
		    (name + n == end ||
		     !((name[n] >= 'a' && name[n] <= 'z') || (name[n] >= 'A' && name[n] <= 'Z') ||
		       (name[n] >= '0' && name[n] <= '9'))))
			return 1;
	}
	return 0;
}

void
mime_html_strip(struct str *out, const char *html, size_t len)
{
	const char *p = html, *end = html + len;
	size_t start = out->len;
	int blank_lines = 0, space = 0;

	while (p < end) {
		if (*p == '<' && p + 1 < end &&
		    ((p[1] >= 'a' && p[1] <= 'z') || (p[1] >= 'A' && p[1] <= 'Z') || p[1] == '/' ||
		     p[1] == '!')) {
			const char *name = p + 1, *close;

			if (ascii_prefix(p, end, "<!--")) {
				const char *q = p + 4;

				while (q + 3 <= end && memcmp(q, "-->", 3) != 0)
					q++;
				p = q + 3 <= end ? q + 3 : end;
				continue;
			}
			if (name < end && *name == '/')
				name++;
			close = memchr(p, '>', (size_t)(end - p));
			if (close == NULL) {
				/* Not a tag after all: keep the text. */
				str_append_len(out, p, (size_t)(end - p));
				break;
			}
			if (ascii_prefix(p, end, "<script") || ascii_prefix(p, end, "<style")) {
				const char *tag =
				    ascii_prefix(p, end, "<script") ? "</script" : "</style";
				const char *q = close;

				while (q < end && !ascii_prefix(q, end, tag))
					q++;
				close = q < end ? memchr(q, '>', (size_t)(end - q)) : NULL;
				p = close ? close + 1 : end;
				continue;
			}
			if (html_breaks_line(name, close)) {
				/* No blank lines before the first text. */
				if (blank_lines < 2 && out->len > start) {
					str_append_char(out, '\n');
					blank_lines++;
				}
				space = 0;
			}
			p = close + 1;
			continue;
		}
		if (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t') {
			/* HTML white space collapses; lines come from tags. */
			space = 1;
			p++;
			continue;
		}
		if (space && blank_lines == 0 && out->len > start)
			str_append_char(out, ' ');
		space = 0;
		blank_lines = 0;
		if (*p == '&') {
			size_t n = html_entity(out, p, end);

			if (n > 0) {
				p += n;
				continue;
			}
		}
		str_append_char(out, *p);
		p++;
	}
	if (out->len > start && out->s[out->len - 1] != '\n')
		str_append_char(out, '\n');
	str_append_len(out, "", 0); /* terminates even when nothing was added */
}
