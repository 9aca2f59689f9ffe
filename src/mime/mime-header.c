#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-str.h"
#include "mime/mime-charset.h"
#include "mime/mime-gmime.h"
#include "mime/mime-header.h"
#include "mime/mime-text.h"

/* A raw value longer than this many times the output bound cannot show
 * more than the bound anyway; decoding less keeps huge headers cheap. */
#define RAW_FACTOR 8
#define RAW_SLACK 256
/* Message ids longer than RFC 5322's line limit are not ids. */
#define MSGID_MAX 998
#define REFERENCES_MAX 200

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Eight bytes at a time, for the scans every field of every summary goes
 * through.  The tests on a word are exact as yes/no answers for the whole
 * word (not for telling which byte).
 */
#define BYTES_01 ((uint64_t)0x0101010101010101)
#define BYTES_80 (BYTES_01 * 0x80)

static uint64_t
load8(const char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/* Some byte of x is below 0x20 (CR, LF, tab, other controls). */
static int
word_has_control(uint64_t x)
{
	return ((x - BYTES_01 * 0x20) & ~x & BYTES_80) != 0;
}

/* 1 when every byte is printable ASCII (0x20..0x7e): then
 * mime_sanitize() would keep the text as it is. */
static int
printable_ascii(const char *s, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x = load8(s + i), y = x ^ (BYTES_01 * 0x7f);

		if ((x & BYTES_80) != 0 || word_has_control(x) ||
		    ((y - BYTES_01) & ~y & BYTES_80) != 0)
			return 0;
	}
	for (; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	return 1;
}

int
mime_header_next(const char *data, size_t len, size_t *pos, struct mime_header_field *field)
{
	size_t p = *pos;

	if (p == 0 && len >= 5 && memcmp(data, "From ", 5) == 0) {
		const char *nl = memchr(data, '\n', len);

		p = nl ? (size_t)(nl - data) + 1 : len;
	}
	while (p < len) {
		const char *line = data + p, *nl = memchr(line, '\n', len - p);
		size_t line_len = nl ? (size_t)(nl - line) : len - p, n = 0, v, end;

		if (line_len == 0 || (line_len == 1 && line[0] == '\r')) {
			*pos = p + line_len + (nl ? 1 : 0);
			return 0;
		}
		if (is_wsp(line[0])) {
			/* A continuation with no field to continue. */
			p += line_len + (nl ? 1 : 0);
			continue;
		}
		while (n < line_len && (unsigned char)line[n] > 32 &&
		       (unsigned char)line[n] < 127 && line[n] != ':')
			n++;
		v = n;
		while (v < line_len && is_wsp(line[v]))
			v++;
		if (n == 0 || v >= line_len || line[v] != ':') {
			*pos = p;
			return 0;
		}
		field->name = line;
		field->name_len = n;
		field->value = line + v + 1;
		/* The value runs on over continuation lines. */
		end = p + line_len + (nl ? 1 : 0);
		while (end < len && is_wsp(data[end])) {
			const char *next = memchr(data + end, '\n', len - end);

			end = next ? (size_t)(next - data) + 1 : len;
		}
		*pos = end;
		while (end > p && (data[end - 1] == '\n' || data[end - 1] == '\r'))
			end--;
		field->value_len =
		    end > (size_t)(field->value - data) ? end - (size_t)(field->value - data) : 0;
		return 1;
	}
	*pos = len;
	return 0;
}

size_t
mime_header_end(const char *data, size_t len)
{
	struct mime_header_field f;
	size_t pos = 0;

	while (mime_header_next(data, len, &pos, &f) == 1)
		continue;
	return pos;
}

static unsigned char
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

int
mime_header_name_is(const struct mime_header_field *field, const char *name)
{
	/* (No strncasecmp: names are short and this runs for every field.) */
	if (strlen(name) != field->name_len)
		return 0;
	for (size_t i = 0; i < field->name_len; i++)
		if (ascii_lower((unsigned char)field->name[i]) !=
		    ascii_lower((unsigned char)name[i]))
			return 0;
	return 1;
}

/* Drops the spaces at both ends of out's text from start on. */
static void
trim_spaces(struct str *out, size_t start)
{
	size_t lead;

	while (out->len > start && out->s[out->len - 1] == ' ')
		out->len--;
	for (lead = start; lead < out->len && out->s[lead] == ' '; lead++)
		continue;
	if (lead > start) {
		memmove(out->s + start, out->s + lead, out->len - lead);
		out->len -= lead - start;
	}
	out->s[out->len] = '\0';
}

/* Unfolds onto out: line breaks go, tabs become spaces, the ends are
 * trimmed; then raw 8-bit text becomes UTF-8.  Written straight into out
 * (no copy in between): this runs for every field of every summary. */
static void
unfold(struct str *out, const char *raw, size_t len)
{
	size_t start = out->len, i = 0, run;
	uint64_t high = 0;
	char *d;

	str_reserve(out, len);
	d = out->s + start;
	/* Most values are one line: copy up to the first control byte whole. */
	while (i + 8 <= len) {
		uint64_t x = load8(raw + i);

		if (word_has_control(x))
			break;
		high |= x;
		i += 8;
	}
	memcpy(d, raw, i);
	d += i;
	for (; i < len; i = run + 1) {
		run = i;
		while (run < len && raw[run] != '\r' && raw[run] != '\n' && raw[run] != '\t')
			high |= (unsigned char)raw[run++];
		memcpy(d, raw + i, run - i);
		d += run - i;
		if (run < len && raw[run] == '\t')
			*d++ = ' ';
	}
	out->len = (size_t)(d - out->s);
	trim_spaces(out, start);
	if ((high & BYTES_80) != 0 && !mime_utf8_valid(out->s + start, out->len - start)) {
		struct str tmp = STR_INIT;

		str_append_len(&tmp, out->s + start, out->len - start);
		str_truncate(out, start);
		mime_text_cp1252_to_utf8(out, tmp.s, tmp.len);
		str_free(&tmp);
	}
}

static size_t
raw_bound(size_t len, size_t max)
{
	if (max == 0 || len <= max * RAW_FACTOR + RAW_SLACK)
		return len;
	return max * RAW_FACTOR + RAW_SLACK;
}

/* Sanitises one line into the arena, cut to max bytes.  Tabs that
 * decoding produced become spaces: in a header they are only spacing. */
static char *
finish_line(struct arena *arena, const char *text, size_t len, size_t max, int cut)
{
	struct str s = STR_INIT, spaced = STR_INIT;
	char *r;

	/* Nearly every value is already safe and short: one copy. */
	if (!cut && (max == 0 || len <= max) &&
	    (printable_ascii(text, len) ||
	     (memchr(text, '\t', len) == NULL && mime_text_is_safe(text, len, 0))))
		return arena_strndup(arena, text, len);
	if (memchr(text, '\t', len) != NULL) {
		for (size_t i = 0; i < len; i++)
			str_append_char(&spaced, text[i] == '\t' ? ' ' : text[i]);
		text = spaced.s;
	}
	mime_sanitize(&s, text, len, 0);
	if (max > 0 && s.len > max) {
		s.len = mime_utf8_cut(s.s, max);
		cut = 1;
	}
	if (cut)
		str_append(&s, MIME_HEADER_CUT);
	r = arena_strndup(arena, s.s ? s.s : "", s.len);
	str_free(&s);
	str_free(&spaced);
	return r;
}

static int
has_encoded_word(const char *s, size_t len)
{
	const char *p = memchr(s, '=', len);

	while (p != NULL && p + 1 < s + len) {
		if (p[1] == '?')
			return 1;
		p = memchr(p + 1, '=', (size_t)(s + len - p - 1));
	}
	return 0;
}

/*
 * Rewrites B encoded words as Q words with every byte escaped.  GMime joins
 * adjacent Q words before converting their charset, so a character split
 * across two words (which broken encoders produce) comes out whole; with
 * padded B words GMime 3.2 converts each word alone and loses it.
 */
static void
b_words_to_q(struct str *out, const char *s)
{
	const char *p = s;

	while (*p != '\0') {
		const char *start = strstr(p, "=?"), *cs_end, *text, *end;
		unsigned char buf[3 * 64];
		int state = 0;
		guint32 save = 0;

		if (start == NULL)
			break;
		cs_end = strchr(start + 2, '?');
		if (cs_end == NULL || cs_end == start + 2 ||
		    (cs_end[1] != 'B' && cs_end[1] != 'b') || cs_end[2] != '?' ||
		    memchr(start + 2, ' ', (size_t)(cs_end - start - 2)) != NULL) {
			str_append_len(out, p, (size_t)(start + 2 - p));
			p = start + 2;
			continue;
		}
		text = cs_end + 3;
		end = strstr(text, "?=");
		if (end == NULL || memchr(text, ' ', (size_t)(end - text)) != NULL) {
			str_append_len(out, p, (size_t)(start + 2 - p));
			p = start + 2;
			continue;
		}
		str_append_len(out, p, (size_t)(start - p));
		str_append_len(out, start, (size_t)(cs_end - start));
		str_append(out, "?Q?");
		for (const char *q = text; q < end; q += 64) {
			size_t in = (size_t)(end - q) > 64 ? 64 : (size_t)(end - q);
			size_t n = g_mime_encoding_base64_decode_step((const unsigned char *)q, in,
			                                              buf, &state, &save);

			/* (No printf per byte: this runs for every summary.) */
			for (size_t i = 0; i < n; i++) {
				char hex[3] = {'=', "0123456789ABCDEF"[buf[i] >> 4],
				               "0123456789ABCDEF"[buf[i] & 15]};

				str_append_len(out, hex, 3);
			}
		}
		str_append(out, "?=");
		p = end + 2;
	}
	str_append(out, p);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum plain_charset { PLAIN_NONE, PLAIN_UTF8, PLAIN_LATIN1, PLAIN_CP1252, PLAIN_OTHER };

/* windows-1252's 0x80-0x9f; 0 where it has no character. */
static const uint16_t cp1252_80[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017d, 0,      0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178,
};

/*
 * Decodes one token that is exactly "=?CHARSET?Q?text?=" (what
 * b_words_to_q() makes of B words too) for UTF-8, ISO-8859-1 and
 * windows-1252, appending its bytes undecoded from the charset to `run`;
 * returns the charset, or PLAIN_NONE for any other token.
 */
static enum plain_charset
plain_q_word(struct str *run, const char *w, size_t len)
{
	const char *text, *end = w + len - 2;
	enum plain_charset cs;

	if (len < 8 || w[0] != '=' || w[1] != '?' || memcmp(end, "?=", 2) != 0)
		return PLAIN_NONE;
	if (len >= 14 && strncasecmp(w + 2, "utf-8?q?", 8) == 0) {
		cs = PLAIN_UTF8;
		text = w + 10;
	} else if (len >= 19 && strncasecmp(w + 2, "iso-8859-1?q?", 13) == 0) {
		cs = PLAIN_LATIN1;
		text = w + 15;
	} else if (len >= 21 && strncasecmp(w + 2, "windows-1252?q?", 15) == 0) {
		cs = PLAIN_CP1252;
		text = w + 17;
	} else {
		return PLAIN_NONE;
	}
	if (text >= end)
		return PLAIN_NONE;
	for (const char *p = text; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		int hi, lo;

		if (c == '_') {
			str_append_char(run, ' ');
		} else if (c == '=') {
			if (end - p < 3 || (hi = hex_digit(p[1])) < 0 || (lo = hex_digit(p[2])) < 0)
				return PLAIN_NONE;
			c = (unsigned char)(hi << 4 | lo);
			/* Control characters and the like: GMime's to judge. */
			if (c < 0x20 || c == 0x7f ||
			    (cs == PLAIN_LATIN1 && c >= 0x80 && c < 0xa0) ||
			    (cs == PLAIN_CP1252 && c >= 0x80 && c < 0xa0 &&
			     cp1252_80[c - 0x80] == 0))
				return PLAIN_NONE;
			str_append_char(run, (char)c);
			p += 2;
		} else if (c <= 0x20 || c >= 0x7f || c == '?') {
			return PLAIN_NONE;
		} else {
			str_append_char(run, (char)c);
		}
	}
	return cs;
}

/* Appends the bytes of adjacent encoded words in one charset as UTF-8. */
static void
plain_flush(struct str *out, struct str *run, enum plain_charset cs)
{
	if (cs == PLAIN_UTF8) {
		str_append_len(out, run->s != NULL ? run->s : "", run->len);
	} else {
		for (size_t i = 0; i < run->len; i++) {
			unsigned c = (unsigned char)run->s[i];
			char u[3];

			if (c >= 0x80 && c < 0xa0)
				c = cp1252_80[c - 0x80];
			if (c < 0x80) {
				str_append_char(out, (char)c);
			} else if (c < 0x800) {
				u[0] = (char)(0xc0 | c >> 6);
				u[1] = (char)(0x80 | (c & 0x3f));
				str_append_len(out, u, 2);
			} else {
				u[0] = (char)(0xe0 | c >> 12);
				u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
				u[2] = (char)(0x80 | (c & 0x3f));
				str_append_len(out, u, 3);
			}
		}
	}
	str_reset(run);
}

/*
 * What g_mime_utils_header_decode_text() and _decode_phrase() make of a
 * value whose encoded words are all whole space-separated Q words in
 * UTF-8, ISO-8859-1 or windows-1252 (after b_words_to_q()), the shape
 * nearly all mail has: words as they stand, encoded words decoded (one
 * after another joined before their charset is read, so a character split
 * between two comes out whole), the spaces between two encoded words
 * dropped (RFC 2047 section 6.2).  1 with the text appended to out; 0 for
 * anything else (other charsets, words inside other text, adjacent words
 * in different charsets, what does not come out as valid UTF-8), which
 * GMime then reads.
 */
static int
plain_words(struct str *out, const char *s)
{
	struct str run = STR_INIT;
	enum plain_charset prev = PLAIN_NONE;
	const char *p = s;
	int ok = 0;

	while (*p != '\0') {
		const char *ws = p, *tok;

		while (*p == ' ')
			p++;
		tok = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (p > tok && tok[0] == '=' && tok[1] == '?') {
			enum plain_charset cs = plain_q_word(&run, tok, (size_t)(p - tok));

			if (cs == PLAIN_NONE || (prev != PLAIN_NONE && cs != prev))
				goto out;
			/* Spaces before an encoded word stay unless it follows
			 * another (the run is empty then: it goes out after). */
			if (prev == PLAIN_NONE)
				str_append_len(out, ws, (size_t)(tok - ws));
			prev = cs;
			continue;
		}
		for (const char *q = tok; q + 1 < p; q++)
			if (q[0] == '=' && q[1] == '?')
				goto out;
		if (prev != PLAIN_NONE)
			plain_flush(out, &run, prev);
		prev = PLAIN_NONE;
		str_append_len(out, ws, (size_t)(p - ws));
	}
	if (prev != PLAIN_NONE)
		plain_flush(out, &run, prev);
	ok = mime_utf8_valid(out->s != NULL ? out->s : "", out->len);
out:
	str_free(&run);
	return ok;
}

/*
 * The fast road: the encoded words of an unfolded value read straight from
 * their B or Q text, in any charset iconv knows (GMime converts with the
 * same iconv under the same name), without first rewriting B words as Q
 * words and without GMime.  It takes only what the road through
 * b_words_to_q() and plain_words() (or, for other charsets, GMime) reads
 * the same way, and returns 0 for everything else, which then takes that
 * road: every "=?" must open a whole space-separated word of the strict
 * form below, so rewriting B words as Q words would change nothing but
 * those words.
 */
struct encoded_word {
	const char *cs; /* the charset label, the caller's bytes */
	size_t cs_len;
	enum plain_charset kind;
	char enc; /* 'B' or 'Q' */
	const char *text;
	size_t text_len;
};

/* "=?CHARSET?E?text?=" with a plain label (no RFC 2231 language), E one
 * of B, b, Q, q, and a text with no '?'. */
static int
parse_encoded_word(const char *w, size_t len, struct encoded_word *ew)
{
	const char *end = w + len - 2, *q;

	if (len < 9 || w[0] != '=' || w[1] != '?' || end[0] != '?' || end[1] != '=')
		return 0;
	for (q = w + 2; q < end && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
	                            (*q >= '0' && *q <= '9') || *q == '-' || *q == '_');
	     q++)
		continue;
	if (q == w + 2 || q + 3 >= end || q[0] != '?' || q[2] != '?')
		return 0;
	if (q[1] == 'B' || q[1] == 'b')
		ew->enc = 'B';
	else if (q[1] == 'Q' || q[1] == 'q')
		ew->enc = 'Q';
	else
		return 0;
	ew->cs = w + 2;
	ew->cs_len = (size_t)(q - ew->cs);
	ew->text = q + 3;
	ew->text_len = (size_t)(end - ew->text);
	if (memchr(ew->text, '?', ew->text_len) != NULL)
		return 0;
	if (ew->cs_len == 5 && strncasecmp(ew->cs, "utf-8", 5) == 0)
		ew->kind = PLAIN_UTF8;
	else if (ew->cs_len == 10 && strncasecmp(ew->cs, "iso-8859-1", 10) == 0)
		ew->kind = PLAIN_LATIN1;
	else if (ew->cs_len == 12 && strncasecmp(ew->cs, "windows-1252", 12) == 0)
		ew->kind = PLAIN_CP1252;
	else
		ew->kind = PLAIN_OTHER;
	return 1;
}

/* The bytes plain_q_word() leaves to GMime (other charsets: the
 * converted text is judged instead). */
static int
plain_byte_ok(enum plain_charset kind, unsigned char c)
{
	if (kind == PLAIN_OTHER)
		return 1;
	if (c < 0x20 || c == 0x7f)
		return 0;
	if (c >= 0x80 && c < 0xa0)
		return kind == PLAIN_UTF8 || (kind == PLAIN_CP1252 && cp1252_80[c - 0x80] != 0);
	return 1;
}

/* Base64 digit values plus one; 0 for bytes that are not digits. */
static const unsigned char base64_rank[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,  ['H'] = 8,
    ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
    ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
    ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
    ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
    ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

/* Appends the bytes of a word's text to run; 0 when the text is not
 * strictly well-formed (B: whole groups of four, padding only at the end;
 * Q: printable ASCII, "=XX" in upper-case hex) or holds a byte
 * plain_byte_ok() refuses. */
static int
encoded_word_bytes(struct str *run, const struct encoded_word *ew)
{
	const char *t = ew->text;
	size_t n = ew->text_len;

	str_reserve(run, n);
	if (ew->enc == 'B') {
		size_t pad = 0;

		if (n % 4 != 0)
			return 0;
		if (t[n - 1] == '=')
			pad = t[n - 2] == '=' ? 2 : 1;
		for (size_t i = 0; i < n; i += 4) {
			size_t got = i + 4 == n ? 4 - pad : 4;
			uint32_t v = 0;
			unsigned char b[3];

			for (size_t k = 0; k < 4; k++) {
				int d = k < got ? base64_rank[(unsigned char)t[i + k]] - 1 : 0;

				if (d < 0)
					return 0;
				v = v << 6 | (uint32_t)d;
			}
			b[0] = (unsigned char)(v >> 16);
			b[1] = (unsigned char)(v >> 8);
			b[2] = (unsigned char)v;
			for (size_t k = 0; k + 1 < got; k++) {
				if (!plain_byte_ok(ew->kind, b[k]))
					return 0;
				run->s[run->len++] = (char)b[k];
			}
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)t[i];
			int hi, lo;

			if (c == '_') {
				c = ' ';
			} else if (c == '=') {
				if (n - i < 3 || (hi = hex_digit(t[i + 1])) < 0 ||
				    (lo = hex_digit(t[i + 2])) < 0)
					return 0;
				c = (unsigned char)(hi << 4 | lo);
				i += 2;
			} else if (c <= 0x20 || c >= 0x7f) {
				return 0;
			}
			if (!plain_byte_ok(ew->kind, c))
				return 0;
			run->s[run->len++] = (char)c;
		}
	}
	run->s[run->len] = '\0';
	return 1;
}

/* Appends the bytes of adjacent words in one charset as UTF-8; 0 when an
 * other charset cannot convert them or gives a control character (which,
 * as for plain_q_word(), GMime is left to judge). */
static int
fast_flush(struct str *out, struct str *run, const struct encoded_word *ew)
{
	size_t start = out->len;

	if (ew->kind != PLAIN_OTHER) {
		plain_flush(out, run, ew->kind);
		return 1;
	}
	if (mime_charset_decode_strict(out, run->s, run->len, ew->cs, ew->cs_len) != 0)
		return 0;
	str_reset(run);
	for (size_t i = start; i < out->len; i++) {
		unsigned char c = (unsigned char)out->s[i];

		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && i + 1 < out->len && (unsigned char)out->s[i + 1] < 0xa0))
			return 0;
	}
	return 1;
}

/*
 * plain_words() on a value whose B words are not rewritten yet, taking
 * other charsets too; `run` is scratch.  1 with the text appended to out;
 * 0 with out as it was.
 */
static int
fast_words(struct str *out, struct str *run, const char *s, size_t len)
{
	struct encoded_word prev = {.kind = PLAIN_NONE}, ew;
	const char *p = s, *end = s + len;
	size_t start = out->len;

	str_reserve(out, len);
	str_reset(run);
	while (p < end) {
		const char *ws = p, *tok;

		const char *sp;

		while (p < end && *p == ' ')
			p++;
		tok = p;
		sp = memchr(p, ' ', (size_t)(end - p));
		p = sp != NULL ? sp : end;
		if (p - tok >= 2 && tok[0] == '=' && tok[1] == '?') {
			if (!parse_encoded_word(tok, (size_t)(p - tok), &ew))
				goto fail;
			if (prev.kind != PLAIN_NONE &&
			    (ew.kind != prev.kind ||
			     (ew.kind == PLAIN_OTHER &&
			      (ew.cs_len != prev.cs_len ||
			       strncasecmp(ew.cs, prev.cs, ew.cs_len) != 0))))
				goto fail;
			/* Spaces before an encoded word stay unless it follows
			 * another (the run is empty then: it goes out after). */
			if (prev.kind == PLAIN_NONE)
				str_append_len(out, ws, (size_t)(tok - ws));
			if (!encoded_word_bytes(run, &ew))
				goto fail;
			prev = ew;
			continue;
		}
		for (const char *q = tok;
		     (q = memchr(q, '=', (size_t)(p - q))) != NULL && q + 1 < p; q++)
			if (q[1] == '?')
				goto fail;
		if (prev.kind != PLAIN_NONE && !fast_flush(out, run, &prev))
			goto fail;
		prev.kind = PLAIN_NONE;
		str_append_len(out, ws, (size_t)(p - ws));
	}
	if (prev.kind != PLAIN_NONE && !fast_flush(out, run, &prev))
		goto fail;
	if (mime_utf8_valid(out->s + start, out->len - start))
		return 1;
fail:
	str_truncate(out, start);
	str_reset(run);
	return 0;
}

/* 1 when text is empty or all spaces. */
static int
all_spaces(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ')
			return 0;
	return 1;
}

/* The decoded text of an unfolded UTF-8 value, as a g_malloc'd string. */
static char *
decode_words(const char *utf8)
{
	struct str q = STR_INIT;
	char *d;
	const char *p;

	b_words_to_q(&q, utf8);
	{
		struct str f = STR_INIT;

		if (plain_words(&f, q.s ? q.s : ""))
			d = g_strndup(f.s ? f.s : "", f.len);
		else
			d = g_mime_utils_header_decode_text(mime_gmime_options(), q.s ? q.s : "");
		str_free(&f);
	}
	str_free(&q);

	if (d == NULL)
		return g_strdup(utf8);
	for (p = d; *p == ' '; p++)
		continue;
	if (*p == '\0' && *utf8 != '\0') {
		/* A word that decodes to nothing ("=?utf-8?B?!!!!?=") is
		 * shown as it came rather than vanishing. */
		g_free(d);
		return g_strdup(utf8);
	}
	return d;
}

/* Appends the decoded text of an unfolded, NUL-free UTF-8 value to out,
 * as decode_words() gives it. */
static void
decode_words_to(struct str *out, struct str *run, const char *utf8, size_t len)
{
	size_t start = out->len;
	char *d;

	if (fast_words(out, run, utf8, len)) {
		if (len > 0 && all_spaces(out->s + start, out->len - start)) {
			str_truncate(out, start);
			str_append_len(out, utf8, len);
		}
		return;
	}
	d = decode_words(utf8);
	str_append(out, d);
	g_free(d);
}

void
mime_header_scratch_free(struct mime_header_scratch *scratch)
{
	str_free(&scratch->unfolded);
	str_free(&scratch->decoded);
	str_free(&scratch->name);
	str_free(&scratch->run);
}

char *
mime_header_decode_text_with(struct mime_header_scratch *sc, struct arena *arena, const char *raw,
                             size_t len, size_t max)
{
	struct str *u = &sc->unfolded;
	size_t bound = raw_bound(len, max);

	str_reset(u);
	unfold(u, raw, bound);
	if (u->len > 0 && has_encoded_word(u->s, u->len) && memchr(u->s, '\0', u->len) == NULL) {
		struct str *d = &sc->decoded;

		str_reset(d);
		decode_words_to(d, &sc->run, u->s, u->len);
		return finish_line(arena, d->s, d->len, max, bound < len);
	}
	return finish_line(arena, u->s, u->len, max, bound < len);
}

char *
mime_header_decode_text(struct arena *arena, const char *raw, size_t len, size_t max)
{
	struct mime_header_scratch sc = MIME_HEADER_SCRATCH_INIT;
	char *r = mime_header_decode_text_with(&sc, arena, raw, len, max);

	mime_header_scratch_free(&sc);
	return r;
}

static InternetAddressList *
parse_list(const char *utf8)
{
	struct str q = STR_INIT;
	InternetAddressList *list;

	b_words_to_q(&q, utf8);
	list = internet_address_list_parse(mime_gmime_options(), q.s ? q.s : "");
	str_free(&q);

	if (list != NULL && internet_address_list_length(list) == 0) {
		g_object_unref(list);
		list = NULL;
	}
	return list;
}

/*
 * What GMime's internet_address_list_to_string(list, NULL, FALSE) writes,
 * without its cost: it converts every domain to IDNA ASCII (libidn2) only
 * to keep the domain as it was whenever that comes out equal ignoring
 * case, which it always does for an ASCII domain.  So ASCII domains are
 * taken as they are and only the others go through GMime.
 */
static void
format_list(struct str *out, InternetAddressList *list)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		const char *name = internet_address_get_name(ia);

		if (i > 0)
			str_append(out, ", ");
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			if (name != NULL) {
				char *q = g_mime_utils_quote_string(name);

				str_append(out, q);
				g_free(q);
			}
			str_append(out, ": ");
			format_list(out,
			            internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)));
			str_append_char(out, ';');
		} else if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
			const char *addr = internet_address_mailbox_get_addr(mb), *p;

			for (p = addr != NULL ? addr : ""; *p != '\0' && (unsigned char)*p < 0x80;
			     p++)
				continue;
			if (*p != '\0')
				addr = internet_address_mailbox_get_idn_addr(mb);
			if (name != NULL && *name != '\0') {
				char *q = g_mime_utils_quote_string(name);

				str_append(out, q);
				g_free(q);
				str_append(out, " <");
				str_append(out, addr != NULL ? addr : "");
				str_append_char(out, '>');
			} else {
				str_append(out, addr != NULL ? addr : "");
			}
		}
	}
}

/* RFC 5322 atext, ASCII only. */
static int
is_atext(unsigned char c)
{
	/* Letters, digits and !#$%&'*+-/=?^_`{|}~, one bit each. */
	static const uint32_t bits[4] = {0, 0xa3ffacfa, 0xc7fffffe, 0x7fffffff};

	return c < 128 && ((bits[c >> 5] >> (c & 31)) & 1) != 0;
}

/* A dot-atom of atext (local part) or of letters, digits and hyphens (a
 * domain that is not an IDNA A-label, which GMime would decode). */
static int
plain_dot_atom(const char *s, size_t len, int domain)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i;

		if (domain && len - i >= 4 && (s[i] | 0x20) == 'x' && (s[i + 1] | 0x20) == 'n' &&
		    s[i + 2] == '-' && s[i + 3] == '-')
			return 0;
		while (i < len && s[i] != '.') {
			unsigned char c = (unsigned char)s[i];

			if (domain ? !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			               (c >= '0' && c <= '9') || c == '-')
			           : !is_atext(c))
				return 0;
			i++;
		}
		if (i == start)
			return 0;
		if (i < len && ++i == len)
			return 0; /* a trailing dot */
	}
	return len > 0;
}

static int
plain_addr_spec(const char *s, size_t len)
{
	const char *at = memchr(s, '@', len);

	return at != NULL && plain_dot_atom(s, (size_t)(at - s), 0) &&
	       plain_dot_atom(at + 1, len - (size_t)(at - s) - 1, 1);
}

struct plain_mailbox {
	const char *phrase; /* display name as sent ("" none) */
	size_t phrase_len;
	const char *addr;
	size_t addr_len;
};

/*
 * The shapes nearly all mail uses, "addr@example.org" and "Words <addr>"
 * with plain ASCII words (encoded words included) one space apart: these
 * GMime reads as the name "Words" (with its encoded words decoded) and the
 * address as it stands.  Anything else (quotes, comments, dots or commas
 * in the name, 8-bit text, routes, IDNA domains) returns 0 and is left to
 * GMime.  s must not start or end with spaces.
 */
static int
plain_mailbox(const char *s, size_t len, struct plain_mailbox *m)
{
	const char *lt;

	m->phrase = "";
	m->phrase_len = 0;
	if (len == 0)
		return 0;
	if (s[len - 1] != '>') {
		m->addr = s;
		m->addr_len = len;
		return plain_addr_spec(s, len);
	}
	lt = memchr(s, '<', len);
	if (lt == NULL)
		return 0;
	m->addr = lt + 1;
	m->addr_len = len - (size_t)(lt - s) - 2;
	if (!plain_addr_spec(m->addr, m->addr_len))
		return 0;
	if (lt == s)
		return 1;
	if (lt - s < 2 || lt[-1] != ' ')
		return 0;
	m->phrase = s;
	m->phrase_len = (size_t)(lt - s) - 1;
	for (size_t i = 0; i < m->phrase_len; i++) {
		if (s[i] == ' ') {
			if (i == 0 || s[i - 1] == ' ')
				return 0;
		} else if (!is_atext((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/* The display name GMime gives a plain mailbox's phrase: encoded words
 * decoded, the ends trimmed.  g_malloc'd. */
static char *
plain_name(const struct plain_mailbox *m)
{
	char *raw = g_strndup(m->phrase, m->phrase_len), *d;
	struct str f = STR_INIT;

	if (!has_encoded_word(raw, m->phrase_len))
		return raw;
	if (plain_words(&f, raw))
		d = g_strndup(f.s ? f.s : "", f.len);
	else
		d = g_mime_utils_header_decode_phrase(mime_gmime_options(), raw);
	str_free(&f);
	g_free(raw);
	return g_strstrip(d);
}

/*
 * plain_name() for a phrase whose B words are not rewritten yet, appended
 * to out; 0 (out unchanged) when fast_words() does not take it.  The trim
 * is g_strstrip()'s: the decoded text holds no white space but spaces.
 */
static int
fast_name(struct str *out, struct str *run, const struct plain_mailbox *m)
{
	size_t start = out->len;

	if (!has_encoded_word(m->phrase, m->phrase_len)) {
		str_append_len(out, m->phrase, m->phrase_len);
		return 1;
	}
	if (!fast_words(out, run, m->phrase, m->phrase_len))
		return 0;
	trim_spaces(out, start);
	return 1;
}

/* Letters, digits, 8-bit text and single spaces between them: what
 * g_mime_utils_quote_string() returns unchanged. */
static int
plain_phrase_text(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ') {
			if (i == 0 || i + 1 == len || s[i + 1] == ' ')
				return 0;
		} else if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		                         (c >= '0' && c <= '9'))) {
			return 0;
		}
	}
	return 1;
}

/*
 * format_plain_list() on the unfolded value before its B words are
 * rewritten: 1 with the list appended to out, 0 (out then holds garbage)
 * for anything the fast road does not take, including an address with
 * "=?" in it (rewriting would change it).
 */
static int
fast_plain_list(struct str *out, struct str *name, struct str *run, const char *s, size_t len)
{
	const char *end = s + len;
	size_t n = 0;

	for (;;) {
		const char *comma = memchr(s, ',', (size_t)(end - s)), *e;
		struct plain_mailbox m;

		e = comma != NULL ? comma : end;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		if (!plain_mailbox(s, (size_t)(e - s), &m) || has_encoded_word(m.addr, m.addr_len))
			return 0;
		if (n++ > 0)
			str_append_len(out, ", ", 2);
		str_reset(name);
		if (m.phrase_len > 0 && !fast_name(name, run, &m))
			return 0;
		if (name->len > 0) {
			if (plain_phrase_text(name->s, name->len)) {
				str_append_len(out, name->s, name->len);
			} else {
				char *q = g_mime_utils_quote_string(name->s);

				str_append(out, q);
				g_free(q);
			}
			str_append_len(out, " <", 2);
			str_append_len(out, m.addr, m.addr_len);
			str_append_char(out, '>');
		} else {
			str_append_len(out, m.addr, m.addr_len);
		}
		if (comma == NULL)
			return 1;
		s = comma + 1;
	}
}

/*
 * Formats an unfolded value whose B words are already Q words (what
 * parse_list() hands GMime) as format_list() would, when every element
 * of the list is a plain mailbox; 0 otherwise (out then holds garbage).
 */
static int
format_plain_list(struct str *out, const char *s)
{
	size_t n = 0;

	for (;;) {
		const char *comma = strchr(s, ','), *end;
		struct plain_mailbox m;

		end = comma != NULL ? comma : s + strlen(s);
		while (*s == ' ')
			s++;
		while (end > s && end[-1] == ' ')
			end--;
		if (!plain_mailbox(s, (size_t)(end - s), &m))
			return 0;
		if (n++ > 0)
			str_append(out, ", ");
		if (m.phrase_len > 0) {
			char *name = plain_name(&m);

			if (*name != '\0') {
				char *q = g_mime_utils_quote_string(name);

				str_append(out, q);
				g_free(q);
				str_append(out, " <");
				str_append_len(out, m.addr, m.addr_len);
				str_append_char(out, '>');
			} else {
				str_append_len(out, m.addr, m.addr_len);
			}
			g_free(name);
		} else {
			str_append_len(out, m.addr, m.addr_len);
		}
		if (comma == NULL)
			return 1;
		s = comma + 1;
	}
}

char *
mime_header_decode_addresses_with(struct mime_header_scratch *sc, struct arena *arena,
                                  const char *raw, size_t len, size_t max)
{
	struct str u = sc->unfolded;
	size_t bound = raw_bound(len, max);
	InternetAddressList *list = NULL;
	char *r;

	/* (u is handed back to the scratch at the end, grown or not.) */
	sc->unfolded = (struct str)STR_INIT;
	str_reset(&u);
	unfold(&u, raw, bound);
	if (u.len == 0 || memchr(u.s, '\0', u.len) != NULL || !has_encoded_word(u.s, u.len)) {
		/* Nothing to decode: the text as sent reads fine and costs no
		 * parse (folder listings call this for every message). */
		r = finish_line(arena, u.s, u.len, max, bound < len);
		goto out;
	}
	str_reset(&sc->decoded);
	if (fast_plain_list(&sc->decoded, &sc->name, &sc->run, u.s, u.len)) {
		r = finish_line(arena, sc->decoded.s, sc->decoded.len, max, bound < len);
		goto out;
	}
	{
		struct str q = STR_INIT, f = STR_INIT;

		b_words_to_q(&q, u.s);
		if (format_plain_list(&f, q.s ? q.s : "")) {
			r = finish_line(arena, f.s ? f.s : "", f.len, max, bound < len);
			str_free(&q);
			str_free(&f);
			goto out;
		}
		str_free(&q);
		str_free(&f);
	}
	list = parse_list(u.s);
	if (list == NULL) {
		char *d = decode_words(u.s);

		r = finish_line(arena, d, strlen(d), max, bound < len);
		g_free(d);
	} else {
		struct str f = STR_INIT;

		format_list(&f, list);
		r = finish_line(arena, f.s ? f.s : "", f.len, max, bound < len);
		str_free(&f);
	}
out:
	if (list != NULL)
		g_object_unref(list);
	str_free(&sc->unfolded);
	sc->unfolded = u;
	return r;
}

char *
mime_header_decode_addresses(struct arena *arena, const char *raw, size_t len, size_t max)
{
	struct mime_header_scratch sc = MIME_HEADER_SCRATCH_INIT;
	char *r = mime_header_decode_addresses_with(&sc, arena, raw, len, max);

	mime_header_scratch_free(&sc);
	return r;
}

static InternetAddressMailbox *
first_mailbox(InternetAddressList *list, int depth)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			return INTERNET_ADDRESS_MAILBOX(ia);
		if (INTERNET_ADDRESS_IS_GROUP(ia) && depth < 2) {
			InternetAddressMailbox *m = first_mailbox(
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
			    depth + 1);

			if (m != NULL)
				return m;
		}
	}
	return NULL;
}

void
mime_header_first_mailbox_with(struct mime_header_scratch *sc, struct arena *arena, const char *raw,
                               size_t len, const char **name_r, const char **addr_r)
{
	struct str u = sc->unfolded;
	InternetAddressList *list = NULL;
	InternetAddressMailbox *mb = NULL;
	size_t bound = raw_bound(len, 1024);

	/* (u is handed back to the scratch at the end, grown or not.) */
	sc->unfolded = (struct str)STR_INIT;
	str_reset(&u);
	*name_r = "";
	*addr_r = "";
	unfold(&u, raw, bound);
	if (u.len == 0)
		goto out;
	if (memchr(u.s, '\0', u.len) == NULL) {
		struct str q = STR_INIT;
		struct plain_mailbox m;
		const char *v;
		size_t vlen;

		if (memchr(u.s, ',', u.len) == NULL && plain_mailbox(u.s, u.len, &m) &&
		    !has_encoded_word(m.addr, m.addr_len)) {
			struct str *name = &sc->name;

			str_reset(name);
			if (fast_name(name, &sc->run, &m)) {
				if (name->len > 0)
					*name_r = finish_line(arena, name->s, name->len, 1024, 0);
				*addr_r = finish_line(arena, m.addr, m.addr_len, 1024, 0);
				goto out;
			}
		}
		b_words_to_q(&q, u.s);
		v = q.s ? q.s : "";
		vlen = q.len;
		/* unfold() trimmed the ends; a list of several is GMime's. */
		if (memchr(v, ',', vlen) == NULL && plain_mailbox(v, vlen, &m)) {
			char *name = plain_name(&m);

			if (*name != '\0')
				*name_r = finish_line(arena, name, strlen(name), 1024, 0);
			*addr_r = finish_line(arena, m.addr, m.addr_len, 1024, 0);
			g_free(name);
			str_free(&q);
			goto out;
		}
		str_free(&q);
		list = parse_list(u.s);
	}
	if (list != NULL)
		mb = first_mailbox(list, 0);
	if (mb == NULL) {
		*name_r = mime_header_decode_text(arena, raw, len, 1024);
		goto out;
	}
	{
		const char *name = internet_address_get_name(INTERNET_ADDRESS(mb));
		const char *addr = internet_address_mailbox_get_addr(mb);

		if (name != NULL && *name != '\0')
			*name_r = finish_line(arena, name, strlen(name), 1024, 0);
		if (addr != NULL)
			*addr_r = finish_line(arena, addr, strlen(addr), 1024, 0);
	}
out:
	if (list != NULL)
		g_object_unref(list);
	str_free(&sc->unfolded);
	sc->unfolded = u;
}

void
mime_header_first_mailbox(struct arena *arena, const char *raw, size_t len, const char **name_r,
                          const char **addr_r)
{
	struct mime_header_scratch sc = MIME_HEADER_SCRATCH_INIT;

	mime_header_first_mailbox_with(&sc, arena, raw, len, name_r, addr_r);
	mime_header_scratch_free(&sc);
}

static void
collect_mailboxes(InternetAddressList *list, struct arena *arena, const char ***v, size_t *n,
                  size_t *cap, int depth)
{
	int count = internet_address_list_length(list);

	for (int i = 0; i < count; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *addr =
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));

			if (addr == NULL || *addr == '\0')
				continue;
			if (*n + 1 >= *cap) {
				const char **nv;

				*cap = *cap ? *cap * 2 : 8;
				nv = arena_alloc(arena, *cap * sizeof(*nv));
				if (*n > 0)
					memcpy(nv, *v, *n * sizeof(*nv));
				*v = nv;
			}
			(*v)[(*n)++] = mime_sanitize_arena(arena, addr, strlen(addr), 0);
		} else if (INTERNET_ADDRESS_IS_GROUP(ia) && depth < 2) {
			collect_mailboxes(
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), arena,
			    v, n, cap, depth + 1);
		}
	}
}

const char **
mime_header_mailboxes(struct arena *arena, const char *raw, size_t len, size_t *count_r)
{
	struct str u = STR_INIT;
	InternetAddressList *list = NULL;
	const char **v = NULL;
	size_t n = 0, cap = 0;

	unfold(&u, raw, len);
	if (u.len > 0 && memchr(u.s, '\0', u.len) == NULL)
		list = parse_list(u.s);
	if (list != NULL) {
		collect_mailboxes(list, arena, &v, &n, &cap, 0);
		g_object_unref(list);
	}
	if (v == NULL)
		v = arena_alloc(arena, sizeof(*v));
	v[n] = NULL;
	*count_r = n;
	str_free(&u);
	return v;
}

static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		*v = *v * 10 + (s[i] - '0');
	}
	return 1;
}

/*
 * The RFC 5322 form almost every message has, "Tue, 5 Mar 2024 14:03:22
 * +0100" (weekday optional), read without GMime's general parser: 1 with
 * *t_r set, 0 for anything else (which GMime then reads).
 */
static int
plain_date(const char *s, size_t len, time_t *t_r)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char days[] = "MonTueWedThuFriSatSun";
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *e = s + len, *m;
	int day, mon, year, hh, mm, ss, zh, zm, dlen;
	int64_t v, y;

	if (len >= 5 && s[3] == ',' && s[4] == ' ') {
		for (m = days; *m != '\0'; m += 3)
			if (memcmp(s, m, 3) == 0)
				break;
		if (*m == '\0')
			return 0;
		s += 5;
	}
	dlen = e - s > 1 && s[1] == ' ' ? 1 : 2;
	/* "D Mon YYYY HH:MM:SS +ZZZZ" */
	if (e - s != dlen + 24 || !digits(s, dlen, &day) || s[dlen] != ' ')
		return 0;
	s += dlen + 1;
	for (m = months; *m != '\0'; m += 3)
		if (memcmp(s, m, 3) == 0)
			break;
	if (*m == '\0' || s[3] != ' ' || !digits(s + 4, 4, &year) || s[8] != ' ' ||
	    !digits(s + 9, 2, &hh) || s[11] != ':' || !digits(s + 12, 2, &mm) || s[14] != ':' ||
	    !digits(s + 15, 2, &ss) || s[17] != ' ' || (s[18] != '+' && s[18] != '-') ||
	    !digits(s + 19, 2, &zh) || !digits(s + 21, 2, &zm))
		return 0;
	mon = (int)(m - months) / 3;
	if (year < 1971 || hh > 23 || mm > 59 || ss > 59 || zh > 14 || zm > 45 || zm % 15 != 0 ||
	    day < 1 ||
	    day > mdays[mon] + (mon == 1 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		return 0;
	/* Days since 1970-01-01 (civil calendar, March-based years). */
	y = year - (mon < 2);
	{
		int64_t era = y / 400, yoe = y - era * 400;
		int64_t doy = (153 * (mon + (mon > 1 ? -2 : 10)) + 2) / 5 + day - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		v = (era * 146097 + doe - 719468) * 86400 + hh * 3600 + mm * 60 + ss;
	}
	v -= (s[18] == '-' ? -1 : 1) * (int64_t)(zh * 3600 + zm * 60);
	if (v <= 0 || (int64_t)(time_t)v != v)
		return 0;
	*t_r = (time_t)v;
	return 1;
}

time_t
mime_header_date(const char *raw, size_t len)
{
	struct str u = STR_INIT;
	GDateTime *dt = NULL;
	time_t t = 0;
	size_t bound = len > 256 ? 256 : len, a = 0, b = bound;

	/* The usual value is one line: read in place, as unfolded. */
	while (a < b && raw[a] != '\r' && raw[a] != '\n' && raw[a] != '\t')
		a++;
	if (a == b) {
		for (a = 0; a < b && raw[a] == ' '; a++)
			continue;
		while (b > a && raw[b - 1] == ' ')
			b--;
		if (b > a && plain_date(raw + a, b - a, &t))
			return t;
		t = 0;
	}
	/* Dates are short; a long value is not a date worth reading. */
	unfold(&u, raw, bound);
	if (u.len > 0 && plain_date(u.s, u.len, &t)) {
		str_free(&u);
		return t;
	}
	if (u.len > 0 && memchr(u.s, '\0', u.len) == NULL)
		dt = g_mime_utils_header_decode_date(u.s);
	if (dt != NULL) {
		gint64 v = g_date_time_to_unix(dt);

		if ((gint64)(time_t)v == v && v > 0)
			t = (time_t)v;
		g_date_time_unref(dt);
	}
	str_free(&u);
	return t;
}

/* Finds the next "<...>" at or after *p; returns its inside or NULL. */
static const char *
next_bracketed(const char **p, const char *end, size_t *len_r)
{
	const char *lt = memchr(*p, '<', (size_t)(end - *p)), *gt;

	if (lt == NULL)
		return NULL;
	gt = memchr(lt + 1, '>', (size_t)(end - lt - 1));
	if (gt == NULL)
		return NULL;
	*p = gt + 1;
	*len_r = (size_t)(gt - lt - 1);
	return lt + 1;
}

/* Appends an id with folding white space removed; 0 if it is empty or
 * too long to be one. */
static int
append_id(struct str *out, const char *id, size_t len)
{
	size_t start = out->len, run = 0;

	if (len > 0 && len <= MSGID_MAX && memchr(id, ' ', len) == NULL &&
	    printable_ascii(id, len)) {
		str_append_len(out, id, len);
		return 1;
	}
	/* Runs between white space are copied whole: a character at a time,
	 * References lists of twenty ids made this 5 % of listing a folder. */
	for (size_t i = 0; i <= len; i++)
		if (i == len || id[i] == ' ' || id[i] == '\t' || id[i] == '\r' || id[i] == '\n') {
			if (i > run)
				str_append_len(out, id + run, i - run);
			run = i + 1;
		}
	if (out->len == start || out->len - start > MSGID_MAX) {
		str_truncate(out, start);
		return 0;
	}
	return 1;
}

static char *
sanitized(struct arena *arena, const struct str *s)
{
	return s->s != NULL && printable_ascii(s->s, s->len)
	           ? arena_strndup(arena, s->s, s->len)
	           : mime_sanitize_arena(arena, s->s ? s->s : "", s->len, 0);
}

static char *
sanitized_or_empty(struct arena *arena, struct str *s)
{
	char *r = sanitized(arena, s);

	str_free(s);
	return r;
}

char *
mime_header_msgid(struct arena *arena, const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *id;
	struct str s = STR_INIT;
	size_t n;

	id = next_bracketed(&p, end, &n);
	/* Usually nothing to take out or escape: one copy. */
	if (id != NULL && n > 0 && n <= MSGID_MAX && printable_ascii(id, n) &&
	    memchr(id, ' ', n) == NULL)
		return arena_strndup(arena, id, n);
	if (id != NULL) {
		append_id(&s, id, n);
	} else {
		/* No brackets: the first word, as some software sends it. */
		const char *q = raw;

		while (q < end && (is_wsp(*q) || *q == '\r' || *q == '\n'))
			q++;
		p = q;
		while (q < end && !is_wsp(*q) && *q != '\r' && *q != '\n')
			q++;
		append_id(&s, p, (size_t)(q - p));
	}
	return sanitized_or_empty(arena, &s);
}

char *
mime_header_msgid_list_with(struct mime_header_scratch *sc, struct arena *arena, const char *raw,
                            size_t len)
{
	const char *p = raw, *end = raw + len, *id;
	const char *ids[REFERENCES_MAX];
	size_t lens[REFERENCES_MAX], n, count = 0, total = 0;
	struct str *s = &sc->decoded;

	str_reset(s);
	/* Keep the first id and a ring of the last ones. */
	while ((id = next_bracketed(&p, end, &n)) != NULL) {
		size_t slot =
		    total < REFERENCES_MAX ? total : 1 + (total - 1) % (REFERENCES_MAX - 1);

		ids[slot] = id;
		lens[slot] = n;
		total++;
	}
	count = total < REFERENCES_MAX ? total : REFERENCES_MAX;
	for (size_t k = 0; k < count; k++) {
		size_t slot = k;
		size_t start = s->len;

		if (total > REFERENCES_MAX && k > 0)
			slot = 1 + (total - 1 + k - 1) % (REFERENCES_MAX - 1);
		if (s->len > 0)
			str_append_char(s, ' ');
		str_append_char(s, '<');
		if (!append_id(s, ids[slot], lens[slot])) {
			str_truncate(s, start);
			continue;
		}
		str_append_char(s, '>');
	}
	return sanitized(arena, s);
}

char *
mime_header_msgid_list(struct arena *arena, const char *raw, size_t len)
{
	struct mime_header_scratch sc = MIME_HEADER_SCRATCH_INIT;
	char *r = mime_header_msgid_list_with(&sc, arena, raw, len);

	mime_header_scratch_free(&sc);
	return r;
}

char *
mime_header_list_post(struct arena *arena, const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *inner;
	struct str s = STR_INIT;
	size_t n;

	while ((inner = next_bracketed(&p, end, &n)) != NULL) {
		size_t k = 0;

		if (n < 7 || strncasecmp(inner, "mailto:", 7) != 0)
			continue;
		inner += 7;
		n -= 7;
		while (k < n && inner[k] != '?')
			k++;
		append_id(&s, inner, k);
		break;
	}
	return sanitized_or_empty(arena, &s);
}
