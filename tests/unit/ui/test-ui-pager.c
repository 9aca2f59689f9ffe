/* The pager model: line kinds, quoting levels, the signature, wrapping
 * with CJK and combining marks, tabs, search, hidden quotes, header
 * weeding, attachment lines, which text parts are cut to a size and the
 * notices saying so (the cutting itself: test-mime-cut). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "base/base-str.h"
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

/* A 3 MB plain text and a 5 MB HTML, one the other's alternative. */
static const struct core_part alt[] = {
    {"", "multipart/alternative", "", "", "", "", "b", 0, 0, 1},
    {"1", "text/plain", "", "", "utf-8", "base64", "", 3 * MB, 1, 0},
    {"2", "text/html", "", "", "utf-8", "base64", "", 5 * MB, 1, 0},
};

static void
test_parts_cut(void)
{
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
	test_parts_cut();
	test_fix_cut_lines();
	return test_done();
}
