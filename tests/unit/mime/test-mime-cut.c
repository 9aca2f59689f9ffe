/* Cutting the beginning of a text part into a whole body: base64 at every
 * offset around its groups and line ends, quoted-printable never inside an
 * escape or a character, other text at a line end or a character
 * boundary, and the window looked back into for a line end. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "mime/mime-cut.h"
#include "test-common.h"

#define CUT_MARK "#cut#-2"
/* mime-cut.c looks this far back for a line end. */
#define WINDOW 65536

static const char b64_abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 as stored: lines of 76 characters ending in CRLF. */
static void
enc64(struct str *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;

		if (i + 1 < len)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		str_append_char(out, b64_abc[v >> 18 & 63]);
		str_append_char(out, b64_abc[v >> 12 & 63]);
		str_append_char(out, i + 1 < len ? b64_abc[v >> 6 & 63] : '=');
		str_append_char(out, i + 2 < len ? b64_abc[v & 63] : '=');
		if ((i / 3 + 1) % 19 == 0 || i + 3 >= len)
			str_append(out, "\r\n");
	}
}

/* A strict decoder: whole groups of four, padding only in the last, lines
 * of at most 76 characters.  Returns -1 on anything else. */
static int
dec64(const char *s, size_t len, struct str *out)
{
	unsigned long v = 0;
	size_t got = 0, col = 0, pad = 0;

	for (size_t i = 0; i < len; i++) {
		const char *a;

		if (s[i] == '\r' || s[i] == '\n') {
			col = 0;
			continue;
		}
		if (++col > 76)
			return -1;
		if (s[i] == '=') {
			if (got < 2)
				return -1;
			pad++;
			v <<= 6;
			if (++got == 4)
				break;
			continue;
		}
		a = strchr(b64_abc, s[i]);
		if (a == NULL || s[i] == '\0' || pad > 0)
			return -1;
		v = v << 6 | (unsigned long)(a - b64_abc);
		if (++got < 4)
			continue;
		str_append_char(out, (char)(v >> 16));
		str_append_char(out, (char)(v >> 8));
		str_append_char(out, (char)v);
		got = 0;
		v = 0;
	}
	if (pad > 0) {
		if (got != 4)
			return -1;
		str_append_char(out, (char)(v >> 16));
		if (pad == 1)
			str_append_char(out, (char)(v >> 8));
		/* Nothing after the padding but line ends. */
		for (const char *q = memchr(s, '=', len); q < s + len; q++)
			if (*q != '=' && *q != '\r' && *q != '\n')
				return -1;
		return 0;
	}
	return got == 0 ? 0 : -1;
}

/* A strict quoted-printable decoder; CRLF become LF. */
static int
decqp(const char *s, size_t len, struct str *out)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		if (s[i] != '=') {
			str_append_char(out, s[i]);
			continue;
		}
		if (i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		}
		if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
			continue;
		}
		if (i + 2 >= len || str_hex_digit((unsigned char)s[i + 1]) < 0 ||
		    str_hex_digit((unsigned char)s[i + 2]) < 0)
			return -1;
		str_append_char(out, (char)(str_hex_digit((unsigned char)s[i + 1]) << 4 |
		                            str_hex_digit((unsigned char)s[i + 2])));
		i += 2;
	}
	return 0;
}

/* Whether s[0..len) is whole UTF-8 sequences. */
static int
utf8_whole(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t need = p[i] < 0x80    ? 1
		              : p[i] >= 0xf0 ? 4
		              : p[i] >= 0xe0 ? 3
		              : p[i] >= 0xc0 ? 2
		                             : 0;

		if (need == 0 || len - i < need)
			return 0;
		for (size_t k = 1; k < need; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += need;
	}
	return 1;
}

static int
starts_with(const struct str *s, const char *prefix, size_t len)
{
	return s->len >= len && memcmp(s->s, prefix, len) == 0;
}

/*
 * What a base64 body cut after enc[0..cut) must decode to, worked out from
 * the text: the whole groups there decode to text[0..3g); the result ends
 * after the last line end among the groups starting in the window, else
 * before the last group there starting a character, and the mark follows
 * on a line of its own.  A cut that reaches the padding has the whole text.
 */
static void
expect64(struct str *want, const char *text, size_t tlen, const char *enc, size_t cut)
{
	size_t floor = cut > WINDOW ? cut - WINDOW : 0, c = 0, g, keep = 0;
	size_t *gstart = xcalloc(cut / 4 + 1, sizeof(*gstart));
	int lf = 0, padded = memchr(enc, '=', cut) != NULL;

	for (size_t i = 0; i < cut; i++)
		if (enc[i] != '\r' && enc[i] != '\n' && enc[i] != '=') {
			if (c % 4 == 0)
				gstart[c / 4] = i;
			c++;
		}
	g = c / 4;
	if (padded) {
		keep = tlen;
		lf = 1;
	} else {
		for (size_t k = 0; k < g && 3 * k < tlen; k++) {
			if (gstart[k] < floor)
				continue;
			for (size_t b = 3 * k; b < 3 * k + 3 && b < tlen; b++)
				if (text[b] == '\n') {
					keep = b + 1;
					lf = 1;
				}
			if (!lf && ((unsigned char)text[3 * k] & 0xc0) != 0x80)
				keep = 3 * k;
		}
	}
	str_append_len(want, text, keep);
	if (!lf || keep == 0 || text[keep - 1] != '\n')
		str_append_char(want, '\n');
	str_append(want, CUT_MARK "\n");
	free(gstart);
}

/* Cuts enc[0..cut) and checks the result against expect64; returns the
 * number of checks that failed, reporting them when verbose. */
static int
check64(const char *text, size_t tlen, const struct str *enc, size_t cut, int verbose)
{
	struct str out = STR_INIT, dec = STR_INIT, want = STR_INIT;
	size_t kept;
	int bad = 0, ok;

	str_append(&out, "before|");
	kept = mime_cut_text(&out, enc->s, cut, "base64", CUT_MARK);
	expect64(&want, text, tlen, enc->s, cut);
	/* What was there is kept; the body is appended after it. */
	ok = kept <= cut && starts_with(&out, "before|", 7) && out.len >= 7 + kept &&
	     memcmp(out.s + 7, enc->s, kept) == 0;
	bad += !ok;
	if (verbose)
		test_assert(ok);
	ok = dec64(out.s + 7, out.len - 7, &dec) == 0;
	bad += !ok;
	if (verbose)
		test_assert(ok);
	ok = dec.len == want.len && memcmp(dec.s, want.s, want.len) == 0;
	bad += !ok;
	if (verbose)
		test_assert(ok);
	ok = dec.len >= want.len && utf8_whole(dec.s, dec.len);
	bad += !ok;
	if (verbose)
		test_assert(ok);
	if (bad > 0)
		printf("# base64 cut at %zu of %zu: kept %zu\n", cut, enc->len, kept);
	str_free(&out);
	str_free(&dec);
	str_free(&want);
	return bad;
}

/* The offset in enc of base64 character c (line ends skipped). */
static size_t
enc_offset(const struct str *enc, size_t c)
{
	size_t i = 0;

	for (; i < enc->len; i++)
		if (enc->s[i] != '\r' && enc->s[i] != '\n' && c-- == 0)
			break;
	return i;
}

static void
test_cut_base64(void)
{
	static const char *const words[] = {"plain ",           "caf\xc3\xa9 ", "\xe2\x82\xac",
	                                    "\xf0\x9f\x98\x80", "ab",           "\n"};
	struct str text = STR_INIT, enc = STR_INIT, out = STR_INIT, dec = STR_INIT;
	size_t lf, bad = 0, kept;

	test_begin("base64 cut");
	/* Lines of ASCII and of 2-, 3- and 4-byte characters, in all
	 * positions against the groups of three. */
	for (unsigned i = 0; text.len < 3000; i = (i * 7 + 3) % 1000)
		str_append(&text, words[i % 6]);
	str_append(&text, "x"); /* padded at the end */
	enc64(&enc, text.s, text.len);
	test_assert(text.len % 3 != 0);

	/* Every cut point around a group boundary, then around the group
	 * holding a line end. */
	for (size_t k = 0; k < 8; k++)
		check64(text.s, text.len, &enc, enc_offset(&enc, 4 * 100) - 4 + k, 1);
	lf = (size_t)((const char *)memchr(text.s + 900, '\n', text.len - 900) - text.s);
	for (size_t k = 0; k < 8; k++)
		check64(text.s, text.len, &enc, enc_offset(&enc, 4 * (lf / 3)) - 4 + k, 1);
	/* And everywhere else, every length down to none. */
	for (size_t cut = 0; cut <= enc.len; cut++)
		bad += (size_t)check64(text.s, text.len, &enc, cut, 0);
	test_assert_int(bad, 0);

	/* The whole text, padding and all: nothing is dropped. */
	kept = mime_cut_text(&out, enc.s, enc.len, "BASE64", CUT_MARK);
	test_assert(dec64(out.s, out.len, &dec) == 0);
	test_assert_int(dec.len, text.len + 1 + strlen(CUT_MARK) + 1);
	test_assert(starts_with(&dec, text.s, text.len));
	test_assert_int(kept, enc.len - 6); /* before the padded group */

	/* A mark long enough to need two lines of base64. */
	str_reset(&out);
	str_reset(&dec);
	mime_cut_text(&out, enc.s, 400, "base64",
	              "0123456789012345678901234567890123456789012345678901234567890123456789");
	test_assert(dec64(out.s, out.len, &dec) == 0);
	test_assert(dec.len > 71 && strcmp(dec.s + dec.len - 71, "01234567890123456789012345678"
	                                                         "90123456789012345678901234567"
	                                                         "890123456789\n") == 0);

	/* A line end further back than the window is not used: the cut is at
	 * a character near the end. */
	str_reset(&text);
	str_reset(&enc);
	str_append(&text, "head\n");
	while (text.len < 150000)
		str_append(&text, "\xc3\xa9");
	enc64(&enc, text.s, text.len);
	test_assert_int(check64(text.s, text.len, &enc, enc.len - 100, 0), 0);
	test_assert_int(check64(text.s, text.len, &enc, enc.len - 101, 0), 0);
	str_reset(&out);
	kept = mime_cut_text(&out, enc.s, enc.len - 100, "base64", CUT_MARK);
	test_assert(kept > enc.len - 110);
	/* One inside it is. */
	str_reset(&text);
	str_reset(&enc);
	for (size_t i = 0; i < 30000; i++)
		str_append_char(&text, 'a');
	str_append_char(&text, '\n');
	for (size_t i = 0; i < 30000; i++)
		str_append_char(&text, 'b');
	enc64(&enc, text.s, text.len);
	test_assert_int(check64(text.s, text.len, &enc, enc.len - 100, 0), 0);
	str_reset(&out);
	kept = mime_cut_text(&out, enc.s, enc.len - 100, "base64", CUT_MARK);
	test_assert_int(kept, enc_offset(&enc, 4 * (30000 / 3)));

	/* Nothing at all: only the mark. */
	str_reset(&out);
	str_reset(&dec);
	test_assert_int(mime_cut_text(&out, "", 0, "base64", CUT_MARK), 0);
	test_assert(dec64(out.s, out.len, &dec) == 0);
	test_assert_str(dec.s, "\n" CUT_MARK "\n");
	str_free(&text);
	str_free(&enc);
	str_free(&out);
	str_free(&dec);
	test_end();
}

/* Cuts in[0..len) and compares the whole result and the bytes kept. */
static void
check_cut(const char *in, size_t len, const char *encoding, const char *want, size_t want_kept)
{
	struct str out = STR_INIT;

	test_assert_int(mime_cut_text(&out, in, len, encoding, CUT_MARK), want_kept);
	test_assert_str(out.s, want);
	str_free(&out);
}

/* Bytes outside the alphabet are skipped, as decoders skip them; padding
 * ends the encoded data, whatever follows it. */
static void
test_cut_base64_loose(void)
{
	test_begin("base64 among other bytes");
	/* "ab\ncd": the group holding the line end is kept, the padded one
	 * encoded again with the mark. */
	check_cut("YW*IK Y2Q=\r\n", 12, "base64", "YW*IK \nY2QKI2N1dCMtMgo=\n", 6);
	/* "ab\n", then bytes no decoder reads as base64. */
	check_cut("YWIKY\xc3\xa9\x80!2Nk", 12, "base64", "YWIKI2N1dCMtMgo=\n", 0);
	/* Padding after one digit stands for nothing: "abc", no line end. */
	check_cut("YWJj\nZ=\nYWJj", 12, "base64", "CiNjdXQjLTIK\n", 0);
	/* Nothing after the padding counts. */
	check_cut("YQ==YWJj", 8, "base64", "YQojY3V0Iy0yCg==\n", 0);
	check_cut("YWJjZA=\nYWJj", 12, "base64", "YWJj\nZAojY3V0Iy0yCg==\n", 4);
	test_end();
}

static void
test_cut_qp(void)
{
	/* No hard line end: soft ones, one of them inside a character. */
	static const char sample[] = "Caf=C3=A9 cr=C3=A8me br=C3=BB=\r\n"
	                             "l=C3=A9e =E2=82=AC5 =F0=9F=98=80 na=C3=\r\n"
	                             "=AFve =3D fin=E2=82=AC";
	const char *in;
	struct str text = STR_INIT, out = STR_INIT, dec = STR_INIT;
	size_t bad = 0;

	test_begin("quoted-printable cut");
	/* After the last hard line end. */
	in = "line one\r\nline two=C3=A9\r\nabc=C3=A";
	check_cut(in, strlen(in), "quoted-printable",
	          "line one\r\nline two=C3=A9\r\n" CUT_MARK "\n", 26);
	/* Preferred to soft line ends after it. */
	in = "hard\r\nxx=\r\nyy=\r\nzz";
	check_cut(in, strlen(in), "quoted-printable", "hard\r\n" CUT_MARK "\n", 6);
	/* Without one, after a soft line end where a character starts, not
	 * after the one splitting =E2=82=AC; the mark gets a line of its own. */
	in = "aaaa=C3=\r\n=A9bbbb=\r\n=E2=82=\r\n=ACcc";
	check_cut(in, strlen(in), "Quoted-Printable", "aaaa=C3=\r\n=A9bbbb=\r\n\n" CUT_MARK "\n",
	          20);
	check_cut(in, 6, "quoted-printable", "aaaa\n" CUT_MARK "\n", 4);
	/* No line end at all: never inside an =XX escape... */
	check_cut("abc=3Ddef=4", 11, "quoted-printable", "abc=3Ddef\n" CUT_MARK "\n", 9);
	check_cut("abc=3Ddef=", 10, "quoted-printable", "abc=3Ddef\n" CUT_MARK "\n", 9);
	check_cut("abc=3Ddef", 9, "quoted-printable", "abc=3Ddef\n" CUT_MARK "\n", 9);
	/* ...nor inside a UTF-8 sequence made of several. */
	check_cut("caf=C3=A9 na=C3", 15, "quoted-printable", "caf=C3=A9 na\n" CUT_MARK "\n", 12);
	check_cut("x=E2=82", 7, "quoted-printable", "x\n" CUT_MARK "\n", 1);
	check_cut("x=E2=82=AC", 10, "quoted-printable", "x=E2=82=AC\n" CUT_MARK "\n", 10);
	check_cut("x=F0=9F=98=8", 12, "quoted-printable", "x\n" CUT_MARK "\n", 1);
	/* ...even one split by a soft line end further back. */
	in = "ab=C3=\r\n=A9=E2=\r\n=82";
	check_cut(in, strlen(in), "quoted-printable", "ab=C3=\r\n=A9\n" CUT_MARK "\n", 11);
	check_cut("", 0, "quoted-printable", "\n" CUT_MARK "\n", 0);

	/* A hard line end further back than the window is not used; a soft
	 * one inside it is. */
	str_append(&text, "old\r\n");
	while (text.len < WINDOW + 1000)
		str_append(
		    &text,
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=\r\n");
	str_append(&text, "tail");
	test_assert_int(mime_cut_text(&out, text.s, text.len, "quoted-printable", CUT_MARK),
	                text.len - 4);
	str_free(&text);

	/* Every length of the sample: the result decodes to a prefix of the
	 * text of whole characters, then the mark on a line of its own. */
	test_assert(decqp(sample, strlen(sample), &text) == 0);
	for (size_t cut = 0; cut <= strlen(sample); cut++) {
		size_t plen = strlen(CUT_MARK "\n"), x;
		int ok;

		str_reset(&out);
		str_reset(&dec);
		mime_cut_text(&out, sample, cut, "quoted-printable", CUT_MARK);
		ok = decqp(out.s, out.len, &dec) == 0 && dec.len > plen &&
		     strcmp(dec.s + dec.len - plen, CUT_MARK "\n") == 0 &&
		     dec.s[dec.len - plen - 1] == '\n';
		x = ok ? dec.len - plen - 1 : 0;
		ok = ok && x <= text.len && memcmp(dec.s, text.s, x) == 0 && utf8_whole(dec.s, x);
		if (!ok) {
			printf("# quoted-printable cut at %zu: \"%s\"\n", cut, out.s);
			bad++;
		}
	}
	test_assert_int(bad, 0);
	str_free(&text);
	str_free(&out);
	str_free(&dec);
	test_end();
}

static void
test_cut_plain(void)
{
	static const char utf8[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z\xe6\x97\xa5";
	struct str big = STR_INIT, want = STR_INIT, out = STR_INIT;
	size_t n = WINDOW + 10, bad = 0;

	test_begin("8bit and 7bit cut");
	check_cut("one\ntwo\nthr", 11, "8bit", "one\ntwo\n" CUT_MARK "\n", 8);
	check_cut("one\r\ntwo\r\nthr", 13, "7bit", "one\r\ntwo\r\n" CUT_MARK "\n", 10);
	check_cut("one\ntwo\n", 8, "binary", "one\ntwo\n" CUT_MARK "\n", 8);
	/* No line end: at a character boundary. */
	check_cut("abc\xe6\x97\xa5\xe6\x97", 8, "8bit", "abc\xe6\x97\xa5\n" CUT_MARK "\n", 6);
	check_cut("abc\xe6\x97\xa5", 6, "8bit", "abc\xe6\x97\xa5\n" CUT_MARK "\n", 6);
	check_cut("\xf0\x9f\x98", 3, "8bit", CUT_MARK "\n", 0);
	check_cut("plain words", 11, "7bit", "plain words\n" CUT_MARK "\n", 11);
	check_cut("", 0, "7bit", CUT_MARK "\n", 0);
	check_cut("", 0, "", CUT_MARK "\n", 0);
	/* Every length of a line of 1- to 4-byte characters. */
	for (size_t len = 0; len <= sizeof(utf8) - 1; len++) {
		size_t k = len;

		while (!utf8_whole(utf8, k))
			k--;
		str_reset(&want);
		str_reset(&out);
		str_append_len(&want, utf8, k);
		str_append(&want, k > 0 ? "\n" CUT_MARK "\n" : CUT_MARK "\n");
		if (mime_cut_text(&out, utf8, len, "8bit", CUT_MARK) != k ||
		    strcmp(out.s, want.s) != 0) {
			printf("# 8bit cut at %zu: \"%s\"\n", len, out.s);
			bad++;
		}
	}
	test_assert_int(bad, 0);
	/* A line end exactly at the window's far end counts... */
	for (size_t i = 0; i < n; i++)
		str_append_char(&big, 'x');
	big.s[n - WINDOW] = '\n';
	str_reset(&out);
	test_assert_int(mime_cut_text(&out, big.s, n, "8bit", CUT_MARK), n - WINDOW + 1);
	test_assert_int(out.len, n - WINDOW + 1 + strlen(CUT_MARK "\n"));
	/* ...one byte further back does not. */
	big.s[n - WINDOW] = 'x';
	big.s[n - WINDOW - 1] = '\n';
	str_reset(&out);
	test_assert_int(mime_cut_text(&out, big.s, n, "8bit", CUT_MARK), n);
	test_assert_int(out.len, n + 1 + strlen(CUT_MARK "\n"));
	test_assert(out.s[n] == '\n');
	str_free(&big);
	str_free(&want);
	str_free(&out);
	test_end();
}

int
main(void)
{
	test_cut_base64();
	test_cut_base64_loose();
	test_cut_qp();
	test_cut_plain();
	return test_done();
}
