#include "config.h"

#include <string.h>
#include <strings.h>

#include "base/base-str.h"
#include "mime/mime-cut.h"
#include "mime/mime-gmime.h"

/* How far back from the end of a cut the text looks for a line end: a
 * line longer than this is cut inside. */
#define CUT_WINDOW (64 * 1024)

/* A base64 digit (RFC 2045, table 1); '=' pads, and a decoder skips
 * anything else. */
static int
b64_digit(unsigned char c)
{
	return g_ascii_isalnum((char)c) || c == '+' || c == '/';
}

/* The bytes the group q[0..n) (four digits, or fewer and '=') stands
 * for: none when the padding comes before a second digit. */
static size_t
b64_group(const unsigned char *q, size_t n, unsigned char *b)
{
	int state = 0;
	guint32 save = 0;

	return g_mime_encoding_base64_decode_step(q, n, b, &state, &save);
}

/* Appends data in base64, in lines of 76 characters, the last one ended. */
static void
b64_append(struct str *out, const char *data, size_t len)
{
	GMimeEncoding enc;
	size_t n;

	g_mime_encoding_init_encode(&enc, GMIME_CONTENT_ENCODING_BASE64);
	str_reserve(out, g_mime_encoding_outlen(&enc, len));
	n = g_mime_encoding_flush(&enc, data, len, out->s + out->len);
	out->len += n;
	out->s[out->len] = '\0';
}

static int
utf8_continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* The bytes of the UTF-8 sequence lead byte c begins (1 for any other). */
static size_t
utf8_length(unsigned char c)
{
	return c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* Whether the line end at data[j] is a soft one ("=" then perhaps spaces
 * before it): it stands for nothing in the decoded text.  *eq_r gets the
 * offset of that "=". */
static int
qp_soft_break(const char *data, size_t j, size_t *eq_r)
{
	size_t e = j;

	while (e > 0 && (data[e - 1] == '\r' || data[e - 1] == ' ' || data[e - 1] == '\t'))
		e--;
	if (e == 0 || data[e - 1] != '=')
		return 0;
	*eq_r = e - 1;
	return 1;
}

/*
 * Base64: the text after the last group of four whose decoding holds a
 * line end is dropped, and that group is encoded again with the bytes up to
 * its line end and the mark, so the decoding ends on a line end and the
 * mark follows on a line of its own.  Without a line end near the end, the
 * cut is before a group whose first byte starts a UTF-8 character.
 */
static size_t
cut_base64(struct str *out, const char *data, size_t len, const char *mark)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t floor = len > CUT_WINDOW ? len - CUT_WINDOW : 0;
	size_t start = 0, end = 0, lf_at = 0, bound = 0;
	unsigned char q[4], lf_b[4], b[4];
	size_t lf_n = 0, got = 0, nb;
	int have_lf = 0, have_bound = 0, padded = 0;
	struct str tail = STR_INIT;

	for (size_t i = 0; i < len && !padded; i++) {
		if (!b64_digit(p[i]) && p[i] != '=')
			continue;
		if (got == 0)
			start = i;
		q[got++] = p[i];
		/* Padding ends the encoded data: the group so far is its last. */
		if (p[i] == '=')
			padded = 1;
		else if (got < 4)
			continue;
		nb = b64_group(q, got, b);
		if (nb == 0)
			break;
		if (start >= floor && !utf8_continuation(b[0])) {
			bound = start;
			have_bound = 1;
		}
		for (size_t k = 0; k < nb; k++)
			if ((b[k] == '\n' && start >= floor) || (padded && k + 1 == nb)) {
				/* The padded group is kept whole, encoded again. */
				lf_at = start;
				lf_n = k + 1;
				memcpy(lf_b, b, nb);
				have_lf = 1;
			}
		end = i + 1;
		got = 0;
	}
	if (have_lf) {
		end = lf_at;
		str_append_len(&tail, (const char *)lf_b, lf_n);
	} else if (have_bound) {
		end = bound;
	}
	if (tail.len == 0 || tail.s[tail.len - 1] != '\n')
		str_append_char(&tail, '\n');
	str_append_len(out, data, end);
	if (end > 0 && data[end - 1] != '\n')
		str_append_char(out, '\n');
	str_append(&tail, mark);
	str_append_char(&tail, '\n');
	b64_append(out, tail.s, tail.len);
	str_free(&tail);
	return end;
}

/* Whether the quoted-printable text decodes to a character boundary at
 * data[i], the start of a line. */
static int
qp_boundary(const char *data, size_t len, size_t i)
{
	const unsigned char *p = (const unsigned char *)data;
	int hi, lo;

	if (i >= len)
		return 0;
	if (p[i] != '=')
		return !utf8_continuation(p[i]);
	if (i + 2 >= len)
		return 0;
	hi = str_hex_digit(p[i + 1]);
	lo = str_hex_digit(p[i + 2]);
	if (hi < 0 || lo < 0)
		return 0;
	return !utf8_continuation((unsigned char)(hi << 4 | lo));
}

/*
 * Where quoted-printable text ending at data[len] (not inside an escape)
 * can be cut: len, or before the last UTF-8 sequence when that lacks
 * bytes; its bytes may be =XX escapes or raw, and a soft line end (which
 * stands for nothing) may split it.
 */
static size_t
qp_char_end(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t k = len, seen = 0;

	while (k > 0 && seen < 4) {
		size_t u = k - 1;
		unsigned char c = p[u];
		int hi, lo;

		if (c == '\n') {
			if (!qp_soft_break(data, u, &k))
				return len; /* a hard line end */
			continue;
		}
		if (k >= 3 && p[k - 3] == '=' && (hi = str_hex_digit(p[k - 2])) >= 0 &&
		    (lo = str_hex_digit(p[k - 1])) >= 0) {
			u = k - 3;
			c = (unsigned char)(hi << 4 | lo);
		}
		seen++;
		if (!utf8_continuation(c))
			return seen < utf8_length(c) ? u : len;
		k = u;
	}
	return len;
}

/* Quoted-printable: after the last hard line end, else after a soft one
 * where a character starts, else never inside an =XX escape or a UTF-8
 * sequence. */
static size_t
cut_qp(struct str *out, const char *data, size_t len, const char *mark)
{
	size_t floor = len > CUT_WINDOW ? len - CUT_WINDOW : 0;
	size_t keep = 0, soft = 0;
	int hard = 0;

	for (size_t j = len; j-- > floor;) {
		size_t eq;

		if (data[j] != '\n')
			continue;
		if (!qp_soft_break(data, j, &eq)) {
			keep = j + 1;
			hard = 1;
			break;
		}
		if (soft == 0 && qp_boundary(data, len, j + 1))
			soft = j + 1;
	}
	if (!hard) {
		keep = soft;
		if (keep == 0) {
			keep = len;
			if (keep >= 1 && data[keep - 1] == '=')
				keep -= 1;
			else if (keep >= 2 && data[keep - 2] == '=')
				keep -= 2;
			keep = qp_char_end(data, keep);
		}
	}
	str_append_len(out, data, keep);
	/* A hard line end before the mark: after a soft one the mark would
	 * join the text's last line. */
	if (!hard)
		str_append_char(out, '\n');
	str_append(out, mark);
	str_append_char(out, '\n');
	return keep;
}

/* Any other encoding: after the last line end, else at the end of the
 * last whole UTF-8 sequence. */
static size_t
cut_plain(struct str *out, const char *data, size_t len, const char *mark)
{
	size_t floor = len > CUT_WINDOW ? len - CUT_WINDOW : 0;
	const unsigned char *p = (const unsigned char *)data;
	size_t keep = len, j = len, lead;

	while (j > floor && data[j - 1] != '\n')
		j--;
	if (j > floor && data[j - 1] == '\n') {
		keep = j;
	} else if (len > 0) {
		lead = len - 1;
		while (lead > 0 && len - lead < 4 && utf8_continuation(p[lead]))
			lead--;
		if (p[lead] >= 0xc0 && len - lead < utf8_length(p[lead]))
			keep = lead;
	}
	str_append_len(out, data, keep);
	if (keep > 0 && data[keep - 1] != '\n')
		str_append_char(out, '\n');
	str_append(out, mark);
	str_append_char(out, '\n');
	return keep;
}

size_t
mime_cut_text(struct str *out, const char *data, size_t len, const char *encoding, const char *mark)
{
	if (strcasecmp(encoding, "base64") == 0)
		return cut_base64(out, data, len, mark);
	if (strcasecmp(encoding, "quoted-printable") == 0)
		return cut_qp(out, data, len, mark);
	return cut_plain(out, data, len, mark);
}
