/* The pager model: line kinds, quoting levels, the signature, wrapping
 * with CJK and combining marks, tabs, search, hidden quotes, header
 * weeding, attachment lines, and text parts cut to a size. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "test-common.h"
#include "ui/ui-model-pager.h"
#include "ui/ui-width.h"

static const char msg[] = "From: Ann <ann@example.org>\n"
                          "Subject: Hello\n"
                          "\n"
                          "Hi Bob,\n"
                          "> quoted once\n"
                          "> > quoted twice\n"
                          ">> also twice\n"
                          "\n"
                          "[-- Attachment #2: report.pdf (application/pdf, 12K) --]\n"
                          "-- \n"
                          "Ann\n";

static const char *
line(const struct ui_pager *p, size_t i)
{
	static char buf[512];
	size_t n = p->lines[i].len < sizeof(buf) - 1 ? p->lines[i].len : sizeof(buf) - 1;

	memcpy(buf, p->lines[i].text, n);
	buf[n] = '\0';
	return buf;
}

static void
test_kinds(void)
{
	struct ui_pager *p = ui_pager_new(msg, strlen(msg));

	test_begin("line kinds");
	test_assert_int(p->nlines, 11);
	test_assert_int(p->lines[0].kind, UI_PL_HEADER);
	test_assert_int(p->lines[0].name_len, 5);
	test_assert_int(p->lines[1].kind, UI_PL_HEADER);
	test_assert_int(p->lines[3].kind, UI_PL_BODY);
	test_assert_int(p->lines[4].kind, UI_PL_QUOTED);
	test_assert_int(p->lines[4].level, 1);
	test_assert_int(p->lines[5].level, 2);
	test_assert_int(p->lines[6].level, 2);
	test_assert_int(p->lines[8].kind, UI_PL_ATTACH);
	test_assert_int(p->lines[9].kind, UI_PL_SIGNATURE);
	test_assert_int(p->lines[10].kind, UI_PL_SIGNATURE);
	test_assert_int(ui_pager_body_start(p), 3);
	ui_pager_free(&p);
	test_end();
}

static void
test_wrap(void)
{
	const char *text =
	    "H: v\n\n"
	    "one two three four five\n"
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\n" /* 日本語日本: 10 cols
	                                                                      */
	    "e\xcc\x81"
	    "e\xcc\x81"
	    "e\xcc\x81"
	    "e\xcc\x81"
	    "e\xcc\x81\n" /* 5 é, combining */
	    "abcdefghijklmnop\n"
	    "a\tb\n";
	struct ui_pager *p = ui_pager_new(text, strlen(text));

	test_begin("wrapping");
	ui_pager_layout(p, 7);
	/* At a blank when there is one. */
	test_assert_str(line(p, 2), "one two");
	test_assert_str(line(p, 3), "three");
	test_assert(p->lines[3].cont);
	test_assert_str(line(p, 4), "four");
	test_assert_str(line(p, 5), "five");
	/* CJK: 3 characters (6 columns) fit in 7, never half of one. */
	test_assert_str(line(p, 6), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	test_assert_str(line(p, 7), "\xe6\x97\xa5\xe6\x9c\xac");
	/* Combining marks stay with their letters: 5 columns fit. */
	test_assert_str(line(p, 8), "e\xcc\x81"
	                            "e\xcc\x81"
	                            "e\xcc\x81"
	                            "e\xcc\x81"
	                            "e\xcc\x81");
	/* No blank: a hard break. */
	test_assert_str(line(p, 9), "abcdefg");
	test_assert_str(line(p, 10), "hijklm");
	test_assert_str(line(p, 11), "nop");
	/* Tabs go to the next stop (then wrap). */
	test_assert_str(line(p, 12), "a      ");
	test_assert_str(line(p, 13), "b");
	/* Continuation lines leave a column for the marker. */
	for (size_t i = 0; i < p->nlines; i++)
		test_assert(ui_width_str(p->lines[i].text, p->lines[i].len) <=
		            (p->lines[i].cont ? 6u : 7u));
	/* Back to a wide screen: one line each. */
	ui_pager_layout(p, 80);
	test_assert_str(line(p, 2), "one two three four five");
	test_assert_str(line(p, 6), "a       b");
	/* Narrower than a wide character: it still shows, alone. */
	ui_pager_layout(p, 1);
	test_assert_str(line(p, 23), "\xe6\x97\xa5");
	ui_pager_free(&p);
	test_end();
}

static void
test_scroll_search(void)
{
	struct str text = STR_INIT;
	struct ui_pager *p;
	size_t s[4], e[4];
	struct err err;
	int wrapped;

	test_begin("scrolling and search");
	str_append(&text, "Subject: x\n\n");
	for (int i = 0; i < 50; i++)
		str_appendf(&text, "line %d%s\n", i, i == 30 ? " Needle and needle" : "");
	p = ui_pager_new(text.s, text.len);
	ui_pager_set_height(p, 10);
	ui_pager_scroll(p, 1000);
	test_assert_int(p->top, 42);
	test_assert(ui_pager_at_end(p));
	ui_pager_goto(p, 0);
	test_assert(ui_pager_set_search(p, "needle", &err) == 0);
	test_assert_int(ui_pager_search(p, 1, &wrapped), 32);
	test_assert(!wrapped);
	test_assert_int(ui_pager_matches(p, 32, s, e, 4), 2);
	test_assert_int(s[0], 8);
	test_assert_int(e[0], 14);
	test_assert_int(s[1], 19);
	/* An upper-case letter makes it case-sensitive. */
	test_assert(ui_pager_set_search(p, "Needle", &err) == 0);
	test_assert_int(ui_pager_matches(p, 32, s, e, 4), 1);
	ui_pager_goto(p, 40);
	test_assert_int(ui_pager_search(p, 1, &wrapped), 32);
	test_assert(wrapped);
	test_assert_int(ui_pager_search(p, -1, &wrapped), 32);
	test_assert(!wrapped);
	test_assert(ui_pager_set_search(p, "a(", &err) < 0);
	test_assert(ui_pager_set_search(p, "zzz", &err) == 0);
	test_assert_int(ui_pager_search(p, 1, &wrapped), -1);
	ui_pager_free(&p);
	str_free(&text);
	test_end();
}

static void
test_hide_quoted(void)
{
	struct ui_pager *p = ui_pager_new(msg, strlen(msg));

	test_begin("hiding quoted text");
	ui_pager_set_hide_quoted(p, 1);
	test_assert_int(p->nlines, 9);
	test_assert_str(line(p, 4), "[-- 3 quoted lines hidden --]");
	test_assert_int(p->lines[4].kind, UI_PL_ATTACH);
	test_assert_str(line(p, 5), "");
	ui_pager_set_hide_quoted(p, 0);
	test_assert_int(p->nlines, 11);
	ui_pager_free(&p);
	test_end();
}

static void
test_weed(void)
{
	struct ui_weed w;

	test_begin("header weeding");
	ui_weed_init(&w, NULL);
	test_assert(ui_weed_show(&w, "Subject"));
	test_assert(ui_weed_show(&w, "FROM"));
	test_assert(!ui_weed_show(&w, "Received"));
	test_assert(!ui_weed_show(&w, "X-Mailer"));
	ui_weed_apply(&w, 1, "x-");
	test_assert(ui_weed_show(&w, "X-Mailer"));
	/* ignore drops the same unignore entry, as mutt does. */
	ui_weed_apply(&w, 0, "X-:");
	test_assert(!ui_weed_show(&w, "X-Mailer"));
	ui_weed_apply(&w, 1, "x-spam");
	test_assert(ui_weed_show(&w, "X-Spam-Status"));
	test_assert(!ui_weed_show(&w, "X-Mailer"));
	ui_weed_apply(&w, 1, "*");
	test_assert(ui_weed_show(&w, "Received"));
	ui_weed_clear(&w);
	test_end();
}

static void
test_attach_line(void)
{
	struct core_folder_part part = {"2.1", "image/png", "logo.png", 2048, 2, 1, 0};
	struct str s = STR_INIT;

	test_begin("attachment lines");
	ui_attach_line(&s, &part);
	test_assert_str(s.s, "    2.1   image/png                logo.png  2.0K [attachment]");
	str_free(&s);
	test_end();
}

static void
test_huge_line(void)
{
	struct str text = STR_INIT;
	struct ui_pager *p;

	test_begin("a very long line is cut");
	str_append(&text, "\n");
	for (int i = 0; i < 400000; i++)
		str_append_char(&text, 'x');
	p = ui_pager_new(text.s, text.len);
	ui_pager_layout(p, 100);
	test_assert(p->nlines < 3000);
	ui_pager_free(&p);
	str_free(&text);
	test_end();
}

/* A message as an IMAP part list describes it: a multipart/mixed holding
 * an alternative (plain, HTML), a big attachment, and a forwarded message
 * with its own part. */
static const struct core_part tree[] = {
    {"", "multipart/mixed", "", "", "", "", "b1", 0, 0, 1},
    {"1", "multipart/alternative", "", "", "", "", "b2", 0, 1, 1},
    {"1.1", "text/plain", "", "", "utf-8", "7bit", "", 6, 2, 0},
    {"1.2", "text/html", "", "", "utf-8", "7bit", "", 12, 2, 0},
    {"2", "application/pdf", "attachment", "r\"x.pdf", "", "base64", "", 7800000, 1, 0},
    {"3", "message/rfc822", "", "", "", "7bit", "", 60, 1, 0},
    {"3.1", "text/plain", "", "", "", "7bit", "", 5, 2, 0},
    {"4", "text/plain", "attachment", "notes.txt", "", "7bit", "", 4, 1, 0},
};
#define NTREE (sizeof(tree) / sizeof(tree[0]))

static void
test_part_list(void)
{
	static const char header[] = "From: a@example.org\r\nSubject: S\r\nMIME-Version: "
	                             "1.0\r\nContent-Type: multipart/mixed; "
	                             "boundary=\"b1\"\r\n\r\n";
	struct str mime[NTREE], body[NTREE], out = STR_INIT, text = STR_INIT;
	struct arena *arena = arena_new();
	struct core_folder_part *e;
	struct core_folder_msg *m = NULL;
	struct err err;
	int wanted[NTREE];

	test_begin("a message rebuilt from its part list and text parts");
	ui_pager_parts_wanted(tree, NTREE, 1000, wanted);
	test_assert(!wanted[0] && !wanted[1] && wanted[2] && wanted[3]);
	test_assert(!wanted[4]);              /* an attachment, and too big */
	test_assert(wanted[5] && !wanted[6]); /* the forwarded message whole */
	test_assert(!wanted[7]);              /* text, but an attachment */
	ui_pager_parts_wanted(tree, NTREE, 10, wanted);
	test_assert(wanted[2] && !wanted[3] && !wanted[5]);
	ui_pager_parts_wanted(tree, NTREE, 1000, wanted);

	memset(mime, 0, sizeof(mime));
	memset(body, 0, sizeof(body));
	str_append(&mime[2], "Content-Type: text/plain; charset=utf-8\r\n\r\n");
	str_append(&body[2], "plain\r\nsecond line");
	str_append(&mime[3], "Content-Type: text/html; charset=utf-8\r\n\r\n");
	str_append(&body[3], "<p>html</p>");
	str_append(&body[5], "From: c@example.org\r\nSubject: Fwd inner\r\n\r\ninner");
	test_assert_int(
	    ui_pager_skeleton(&out, header, strlen(header), tree, NTREE, mime, body, wanted), 0);
	test_assert(strstr(out.s, "\r") == NULL);
	test_assert(strstr(out.s, "--b2\nContent-Type: text/plain; charset=utf-8\n\nplain\n"
	                          "second line\n--b2\n") != NULL);
	test_assert(strstr(out.s, "filename=\"r\\\"x.pdf\"") != NULL);
	test_assert(core_folder_msg_parse(out.s, out.len, &m, &err) == 0);
	if (m != NULL) {
		test_assert(core_folder_msg_render(m, NULL, NULL, NULL, &text, &err) == 0);
		test_assert(strstr(text.s, "plain\nsecond line") != NULL);
		test_assert(strstr(text.s, "Fwd inner") != NULL);
		ui_pager_fix_attach_lines(&text, tree, NTREE, wanted);
		test_assert(strstr(text.s, "[-- Attachment 2: application/pdf, \"r\"x.pdf\", "
		                           "~5.4 MB --]") != NULL);
		test_assert(strstr(text.s, "[-- Attachment 4: text/plain, \"notes.txt\", "
		                           "~4 bytes --]") != NULL);
	}
	core_folder_msg_free(&m);

	/* A list that does not make a tree is refused. */
	str_reset(&out);
	test_assert_int(ui_pager_skeleton(&out, "", 0, tree + 2, 2, mime, body, wanted), -1);

	e = ui_attach_from_list(arena, tree, NTREE);
	test_assert(e[0].container && !e[0].attachment);
	test_assert(!e[2].attachment && e[4].attachment && e[7].attachment);
	test_assert_str(e[4].filename, "r\"x.pdf");
	test_assert_int(e[6].depth, 2);
	for (size_t i = 0; i < NTREE; i++) {
		str_free(&mime[i]);
		str_free(&body[i]);
	}
	str_free(&out);
	str_free(&text);
	arena_free(&arena);
	test_end();
}

/* Cut text parts. */

#define CUT_MARK "#cut#-2"
/* ui-model-pager.c looks this far back for a line end. */
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
	kept = ui_pager_cut_text(&out, enc->s, cut, "base64", CUT_MARK);
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
	kept = ui_pager_cut_text(&out, enc.s, enc.len, "BASE64", CUT_MARK);
	test_assert(dec64(out.s, out.len, &dec) == 0);
	test_assert_int(dec.len, text.len + 1 + strlen(CUT_MARK) + 1);
	test_assert(starts_with(&dec, text.s, text.len));
	test_assert_int(kept, enc.len - 6); /* before the padded group */

	/* A mark long enough to need two lines of base64. */
	str_reset(&out);
	str_reset(&dec);
	ui_pager_cut_text(&out, enc.s, 400, "base64",
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
	kept = ui_pager_cut_text(&out, enc.s, enc.len - 100, "base64", CUT_MARK);
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
	kept = ui_pager_cut_text(&out, enc.s, enc.len - 100, "base64", CUT_MARK);
	test_assert_int(kept, enc_offset(&enc, 4 * (30000 / 3)));

	/* Nothing at all: only the mark. */
	str_reset(&out);
	str_reset(&dec);
	test_assert_int(ui_pager_cut_text(&out, "", 0, "base64", CUT_MARK), 0);
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

	test_assert_int(ui_pager_cut_text(&out, in, len, encoding, CUT_MARK), want_kept);
	test_assert_str(out.s, want);
	str_free(&out);
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
	test_assert_int(ui_pager_cut_text(&out, text.s, text.len, "quoted-printable", CUT_MARK),
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
		ui_pager_cut_text(&out, sample, cut, "quoted-printable", CUT_MARK);
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
		if (ui_pager_cut_text(&out, utf8, len, "8bit", CUT_MARK) != k ||
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
	test_assert_int(ui_pager_cut_text(&out, big.s, n, "8bit", CUT_MARK), n - WINDOW + 1);
	test_assert_int(out.len, n - WINDOW + 1 + strlen(CUT_MARK "\n"));
	/* ...one byte further back does not. */
	big.s[n - WINDOW] = 'x';
	big.s[n - WINDOW - 1] = '\n';
	str_reset(&out);
	test_assert_int(ui_pager_cut_text(&out, big.s, n, "8bit", CUT_MARK), n);
	test_assert_int(out.len, n + 1 + strlen(CUT_MARK "\n"));
	test_assert(out.s[n] == '\n');
	str_free(&big);
	str_free(&want);
	str_free(&out);
	test_end();
}

#define MB (1000 * 1000)

static void
parts_cut(const struct core_part *parts, size_t n, uint64_t max, int *wanted, int *cut)
{
	ui_pager_parts_wanted(parts, n, max, wanted);
	ui_pager_parts_cut(parts, n, max, wanted, cut);
}

/* A message with its parts nested: the HTML choice inside a
 * multipart/related, a text attachment, an attached message, inline text
 * parts too big. */
static const struct core_part nested[] = {
    {"", "multipart/mixed", "", "", "", "", "b1", 0, 0, 1},
    {"1", "multipart/alternative", "", "", "", "", "b2", 0, 1, 1},
    {"1.1", "text/plain", "", "", "utf-8", "quoted-printable", "", 100, 2, 0},
    {"1.2", "multipart/related", "", "", "", "", "b3", 0, 2, 1},
    {"1.2.1", "text/html", "", "", "utf-8", "base64", "", 5 * MB, 3, 0},
    {"1.2.2", "image/png", "inline", "a.png", "", "base64", "", 1 * MB, 3, 0},
    {"2", "text/plain", "", "", "utf-8", "8bit", "", 3 * MB, 1, 0},
    {"3", "text/plain", "attachment", "log.txt", "", "8bit", "", 3 * MB, 1, 0},
    {"4", "message/rfc822", "", "", "", "7bit", "", 5 * MB, 1, 0},
    {"4.1", "text/plain", "", "", "", "7bit", "", 3 * MB, 2, 0},
    {"5", "application/pdf", "attachment", "x.pdf", "", "base64", "", 9 * MB, 1, 0},
    {"6", "text/html", "inline", "", "utf-8", "7bit", "", 3 * MB, 1, 0},
};
#define NNESTED (sizeof(nested) / sizeof(nested[0]))

static void
test_parts_cut(void)
{
	const struct core_part alt[] = {
	    {"", "multipart/alternative", "", "", "", "", "b", 0, 0, 1},
	    {"1", "text/plain", "", "", "utf-8", "base64", "", 3 * MB, 1, 0},
	    {"2", "text/html", "", "", "utf-8", "base64", "", 5 * MB, 1, 0},
	};
	struct core_part small_plain[3], only_html[2],
	    one = {"", "text/html", "", "", "utf-8", "base64", "", 5 * MB, 0, 0};
	int wanted[NNESTED], cut[NNESTED];

	test_begin("which parts are cut");
	/* The plain choice is cut, the HTML one not fetched at all. */
	parts_cut(alt, 3, 2 * MB, wanted, cut);
	test_assert(!cut[0] && cut[1] && !cut[2]);
	test_assert(!wanted[0] && wanted[1] && !wanted[2]);
	/* A whole plain choice: nothing is cut. */
	memcpy(small_plain, alt, sizeof(alt));
	small_plain[1].size = 100;
	parts_cut(small_plain, 3, 2 * MB, wanted, cut);
	test_assert(!cut[0] && !cut[1] && !cut[2]);
	test_assert(!wanted[0] && wanted[1] && !wanted[2]);
	/* An alternative with HTML only: that is the body. */
	only_html[0] = alt[0];
	only_html[1] = alt[2];
	parts_cut(only_html, 2, 2 * MB, wanted, cut);
	test_assert(!cut[0] && cut[1] && wanted[1]);
	/* A lone HTML body. */
	parts_cut(&one, 1, 2 * MB, wanted, cut);
	test_assert(cut[0] && wanted[0]);
	/* Exactly the limit is whole; one byte over is cut. */
	one.size = 2 * MB;
	parts_cut(&one, 1, 2 * MB, wanted, cut);
	test_assert(!cut[0] && wanted[0]);
	one.size = 2 * MB + 1;
	parts_cut(&one, 1, 2 * MB, wanted, cut);
	test_assert(cut[0] && wanted[0]);

	/* Nested: the HTML in a multipart/related is the alternative's other
	 * choice, not shown; attachments, attached messages and what is in
	 * them are left out; inline text of the mixed part is cut. */
	parts_cut(nested, NNESTED, 2 * MB, wanted, cut);
	test_assert(!cut[0] && !cut[1] && !cut[2] && !cut[3]);
	test_assert(!cut[4] && !wanted[4]);
	test_assert(!cut[5] && !wanted[5]);
	test_assert(cut[6] && wanted[6]);
	test_assert(!cut[7] && !wanted[7]);
	test_assert(!cut[8] && !wanted[8] && !cut[9] && !wanted[9]);
	test_assert(!cut[10] && !wanted[10]);
	test_assert(cut[11] && wanted[11]);
	test_assert(wanted[2]);
	test_end();
}

#define NOTICE_END                                                                                 \
	" bytes; to see it whole, v lists the parts: Enter views it, s saves it, | pipes it --]\n"

static void
fix_cut(struct str *text, const char *in, const struct core_part *parts, size_t n, const int *cut,
        const uint64_t *kept)
{
	str_reset(text);
	str_append(text, in);
	ui_pager_fix_cut_lines(text, "#M#", parts, n, cut, kept);
}

static void
test_fix_cut_lines(void)
{
	const struct core_part alt[] = {
	    {"", "multipart/alternative", "", "", "", "", "b", 0, 0, 1},
	    {"1", "text/plain", "", "", "utf-8", "base64", "", 3 * MB, 1, 0},
	    {"2", "text/html", "", "", "utf-8", "base64", "", 5 * MB, 1, 0},
	};
	const struct core_part one = {"", "text/html", "", "", "", "7bit", "", 5 * MB, 0, 0};
	static const char two[] = "Subject: s\n"
	                          "\n"
	                          "[-- part 6: cut at 1,999,999 of 3,000,000" NOTICE_END "body\n"
	                          "[-- part 2: cut at 2,000,000 of 3,000,000" NOTICE_END "more\n"
	                          "html text\n";
	int cut[NNESTED] = {0};
	uint64_t kept[NNESTED] = {0};
	struct str text = STR_INIT;

	test_begin("cut notices");
	cut[6] = cut[11] = 1;
	kept[6] = 2 * MB;
	kept[11] = 2 * MB - 1;
	/* The mark of part 2 becomes its notice; that of part 6 was lost in
	 * the HTML conversion: its notice goes on top. */
	fix_cut(&text, "Subject: s\n\nbody\n#M#-6\nmore\nhtml text\n", nested, NNESTED, cut, kept);
	test_assert_str(text.s, two);
	/* Once there, notices are not repeated. */
	ui_pager_fix_cut_lines(&text, "#M#", nested, NNESTED, cut, kept);
	test_assert_str(text.s, two);
	/* A mark inside a line; the marks of other parts go; text like a mark
	 * stays. */
	fix_cut(&text, "H: v\n\nabc#M#-6 def\n#M#-7\n#M#-99\n#M#x #M#-\n", nested, NNESTED, cut,
	        kept);
	test_assert_str(text.s,
	                "H: v\n\n"
	                "[-- part 6: cut at 1,999,999 of 3,000,000" NOTICE_END "abc def\n"
	                "[-- part 2: cut at 2,000,000 of 3,000,000" NOTICE_END "#M#x #M#-\n");
	/* The message's own body is part 1. */
	cut[0] = 1;
	kept[0] = 2 * MB;
	fix_cut(&text, "H: v\n\nx\n#M#-0\n", &one, 1, cut, kept);
	test_assert_str(text.s, "H: v\n\nx\n[-- part 1: cut at 2,000,000 of 5,000,000" NOTICE_END);
	fix_cut(&text, "H: v\n\nconverted\n", &one, 1, cut, kept);
	test_assert_str(text.s, "H: v\n\n[-- part 1: cut at 2,000,000 of 5,000,000" NOTICE_END
	                        "converted\n");
	/* A choice of an alternative without its mark is not the one shown. */
	cut[0] = 0;
	cut[2] = 1;
	kept[2] = 2 * MB;
	fix_cut(&text, "H: v\n\nplain\n", alt, 3, cut, kept);
	test_assert_str(text.s, "H: v\n\nplain\n");
	/* Nothing cut: nothing changes, marks included. */
	memset(cut, 0, sizeof(cut));
	fix_cut(&text, "H: v\n\nx\n#M#-1\n", alt, 3, cut, kept);
	test_assert_str(text.s, "H: v\n\nx\n#M#-1\n");
	str_free(&text);
	test_end();
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	ui_width_init();
	test_kinds();
	test_wrap();
	test_scroll_search();
	test_hide_quoted();
	test_weed();
	test_attach_line();
	test_huge_line();
	test_part_list();
	test_cut_base64();
	test_cut_qp();
	test_cut_plain();
	test_parts_cut();
	test_fix_cut_lines();
	return test_done();
}
