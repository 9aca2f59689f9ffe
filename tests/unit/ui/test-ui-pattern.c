/* The pattern language: every operator, dates, sizes, case folding, and
 * the errors bad patterns get. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test-common.h"
#include "ui/ui-pattern.h"

/* 2026-02-15 12:00:00 UTC; the test runs with TZ=UTC. */
#define NOW ((time_t)1771156800)
#define DAY 86400

static struct ui_msg msgs[4];

static void
setup(void)
{
	memset(msgs, 0, sizeof(msgs));
	for (int i = 0; i < 4; i++) {
		msgs[i].loaded = 1;
		msgs[i].index = (uint32_t)i;
		msgs[i].s.id = 1000 + 7 * (uint64_t)i;
	}
	msgs[0].s.from_name = "Ann Smith";
	msgs[0].s.from_addr = "ann@example.org";
	msgs[0].s.to = "bob@example.org";
	msgs[0].s.cc = "";
	msgs[0].s.subject = "Quarterly report";
	msgs[0].s.message_id = "a1@example.org";
	msgs[0].s.references = "";
	msgs[0].s.in_reply_to = "";
	msgs[0].s.date = NOW - 2 * DAY;
	msgs[0].s.size = 2000;
	msgs[0].s.flags = 0; /* old unread */

	msgs[1].s.from_name = "Bob";
	msgs[1].s.from_addr = "bob@example.org";
	msgs[1].s.to = "ann@example.org";
	msgs[1].s.cc = "carol@example.net";
	msgs[1].s.subject = "Re: Quarterly report";
	msgs[1].s.message_id = "b1@example.org";
	msgs[1].s.references = "<a1@example.org>";
	msgs[1].s.in_reply_to = "a1@example.org";
	msgs[1].s.date = NOW - 20 * DAY; /* 2026-01-26 */
	msgs[1].s.size = 500;
	msgs[1].s.flags = MIME_FLAG_SEEN | MIME_FLAG_ANSWERED;

	msgs[2].s.from_name = "\xe5\xb1\xb1\xe7\x94\xb0"; /* 山田 */
	msgs[2].s.from_addr = "yamada@example.jp";
	msgs[2].s.to = "ann@example.org";
	msgs[2].s.cc = "";
	msgs[2].s.subject = "\xe4\xbc\x9a\xe8\xad\xb0 (meeting)";
	msgs[2].s.message_id = "c1@example.jp";
	msgs[2].s.references = "";
	msgs[2].s.in_reply_to = "";
	msgs[2].s.date = NOW - 400 * DAY;
	msgs[2].s.size = 3 * 1024 * 1024;
	msgs[2].s.flags = MIME_FLAG_RECENT | MIME_FLAG_FLAGGED;

	msgs[3].s.from_name = "";
	msgs[3].s.from_addr = "list@lists.example.com";
	msgs[3].s.to = "dev@lists.example.com";
	msgs[3].s.cc = "";
	msgs[3].s.subject = "FOO bar";
	msgs[3].s.message_id = "d1@lists.example.com";
	msgs[3].s.references = "";
	msgs[3].s.in_reply_to = "";
	msgs[3].s.date = NOW - 3600;
	msgs[3].s.size = 100;
	msgs[3].s.flags = MIME_FLAG_SEEN | MIME_FLAG_DELETED;
	msgs[3].tagged = 1;
}

/* Which of the four messages match, as "0101". */
static const char *
which(const char *text)
{
	static char buf[8];
	struct ui_pattern *p;
	struct err err;

	if (ui_pattern_compile(text, NOW, &p, &err) < 0) {
		snprintf(buf, sizeof(buf), "error");
		return buf;
	}
	for (int i = 0; i < 4; i++)
		buf[i] = ui_pattern_match(p, &msgs[i]) ? '1' : '0';
	buf[4] = '\0';
	ui_pattern_free(&p);
	return buf;
}

static const char *
error_of(const char *text)
{
	static struct err err;
	struct ui_pattern *p;

	if (ui_pattern_compile(text, NOW, &p, &err) == 0) {
		ui_pattern_free(&p);
		return "(compiled)";
	}
	return err.msg;
}

static void
test_fields(void)
{
	test_begin("fields");
	test_assert_str(which("~f ann"), "1000");
	test_assert_str(which("~f example.org"), "1100");
	test_assert_str(which("~t ann@"), "0110");
	test_assert_str(which("~c carol"), "0100");
	test_assert_str(which("~C carol"), "0100");
	test_assert_str(which("~C bob"), "1000");
	test_assert_str(which("~s report"), "1100");
	test_assert_str(which("~s ^re:"), "0100");
	test_assert_str(which("~i c1@"), "0010");
	test_assert_str(which("~x a1@example"), "0100");
	test_assert_str(which("~L dev@"), "0001");
	test_assert_str(which("~f \xe5\xb1\xb1\xe7\x94\xb0"), "0010");
	test_assert_str(which("~s \"(meeting)\""), "0010");
	test_end();
}

static void
test_case(void)
{
	test_begin("case folding");
	/* Lower case: any case matches.  An upper-case letter: exact case. */
	test_assert_str(which("~s foo"), "0001");
	test_assert_str(which("~s FOO"), "0001");
	test_assert_str(which("~s Foo"), "0000");
	test_assert_str(which("=s quarterly"), "1100");
	test_assert_str(which("=s Quarterly"), "1100");
	test_assert_str(which("=s QUARTERLY"), "0000");
	/* Substring: regex characters are plain. */
	test_assert_str(which("=s (meeting)"), "0010");
	test_assert_str(which("=s r.port"), "0000");
	test_assert_str(which("~s r.port"), "1100");
	test_end();
}

static void
test_flags(void)
{
	test_begin("flags");
	test_assert_str(which("~N"), "0010");
	test_assert_str(which("~O"), "1000");
	test_assert_str(which("~U"), "1010");
	test_assert_str(which("~R"), "0101");
	test_assert_str(which("~F"), "0010");
	test_assert_str(which("~T"), "0001");
	test_assert_str(which("~D"), "0001");
	test_assert_str(which("~Q"), "0100");
	test_assert_str(which("~A"), "1111");
	test_end();
}

static void
test_operators(void)
{
	test_begin("operators");
	test_assert_str(which("!~D"), "1110");
	test_assert_str(which("~U ~F"), "0010");
	test_assert_str(which("~U | ~D"), "1011");
	test_assert_str(which("~f ann | ~f bob ~R"), "1100");
	test_assert_str(which("(~f ann | ~f bob) ~R"), "0100");
	test_assert_str(which("!(~f ann | ~f bob)"), "0011");
	test_assert_str(which("!!~T"), "0001");
	test_assert_str(which("~s report !~s Re:"), "1000");
	/* Simple search: text without ~ or = means ~f TEXT | ~s TEXT. */
	test_assert_str(which("bob"), "0100");
	test_assert_str(which("report"), "1100");
	test_end();
}

static void
test_dates(void)
{
	test_begin("dates and sizes");
	test_assert_str(which("~d <7d"), "1001");
	test_assert_str(which("~d >7d"), "0110");
	test_assert_str(which("~d <1y"), "1101");
	test_assert_str(which("~d >1y"), "0010");
	test_assert_str(which("~d <2H"), "0001");
	test_assert_str(which("~d =2d"), "1000");
	test_assert_str(which("~d 01/01/2026-31/01/2026"), "0100");
	test_assert_str(which("~d 26/01/2026"), "0100");
	test_assert_str(which("~d 26/1/26"), "0100");
	test_assert_str(which("~d 01/02/2026-"), "1001");
	test_assert_str(which("~d -31/12/2025"), "0010");
	test_assert_str(which("~d 13"), "1000"); /* the 13th of this month */
	test_assert_str(which("~z >1M"), "0010");
	test_assert_str(which("~z <1K"), "0101");
	test_assert_str(which("~z 1K-2K"), "1000");
	test_assert_str(which("~z 100"), "0001");
	test_end();
}

static void
test_errors(void)
{
	test_begin("errors");
	test_assert_str(error_of(""), "empty pattern");
	test_assert_str(error_of("~s"), "~s needs an expression");
	test_assert_str(error_of("~q foo"), "~q is not a pattern");
	test_assert(strstr(error_of("~B foo"), "whole messages") != NULL);
	test_assert(strstr(error_of("~h foo"), "whole messages") != NULL);
	test_assert_str(error_of("~b"), "~b needs the text to look for");
	test_assert_str(error_of("~b \"\""), "~b needs the text to look for");
	test_assert_str(error_of("~b foo ~b"), "~b needs the text to look for");
	test_assert_str(error_of("(~s foo"), "\"(\" without \")\" in the pattern");
	test_assert_str(error_of("~s foo)"), "\")\" without \"(\" in the pattern");
	test_assert_str(error_of("~s foo |"), "\"|\" needs a pattern after it");
	test_assert_str(error_of("~s x !"), "\"!\" needs a pattern after it");
	test_assert(strstr(error_of("~s \"(unclosed"), "unterminated quote") != NULL);
	test_assert(strstr(error_of("~s a("), "bad regular expression") != NULL);
	test_assert(strstr(error_of("~d 32/01/2026"), "bad date") != NULL);
	test_assert(strstr(error_of("~d <7x"), "bad date") != NULL);
	test_assert(strstr(error_of("~d 05/01/2026-01/01/2026"), "ends before it starts") != NULL);
	test_assert(strstr(error_of("~z big"), "bad size") != NULL);
	test_assert(strstr(error_of("=N"), "=N is not a pattern") != NULL);
	test_assert(strstr(error_of("~s x y"), "unexpected \"y\"") != NULL);
	test_assert(strstr(error_of("~"), "needs a letter") != NULL);
	test_end();
}

/* Matches of p as "0101" (p kept). */
static const char *
which_p(const struct ui_pattern *p)
{
	static char buf[8];

	for (int i = 0; i < 4; i++)
		buf[i] = ui_pattern_match(p, &msgs[i]) ? '1' : '0';
	buf[4] = '\0';
	return buf;
}

static void
test_body(void)
{
	struct ui_pattern *p;
	struct err err;
	uint64_t found[] = {msgs[3].s.id, msgs[1].s.id};

	test_begin("~b terms and their search results");
	test_assert(ui_pattern_compile("~s report", NOW, &p, &err) == 0);
	test_assert(ui_pattern_body_count(p) == 0);
	test_assert(ui_pattern_body_text(p, 0) == NULL);
	ui_pattern_free(&p);

	test_assert(ui_pattern_compile("~b \"two words\" | (~s meeting !~b 'x y')", NOW, &p,
	                               &err) == 0);
	test_assert(ui_pattern_body_count(p) == 2);
	test_assert_str(ui_pattern_body_text(p, 0), "two words");
	test_assert_str(ui_pattern_body_text(p, 1), "x y");
	/* Before the search answers, ~b matches nothing. */
	test_assert_str(which_p(p), "0010");
	ui_pattern_body_set(p, 0, found, 2);
	test_assert_str(which_p(p), "0111");
	/* The second term finds the meeting message: !~b drops it. */
	ui_pattern_body_set(p, 1, &msgs[2].s.id, 1);
	test_assert_str(which_p(p), "0101");
	/* A new answer replaces the old one; an empty answer matches none. */
	ui_pattern_body_set(p, 0, NULL, 0);
	test_assert_str(which_p(p), "0000");
	ui_pattern_body_set(p, 5, found, 2); /* out of range: ignored */
	test_assert_str(which_p(p), "0000");
	ui_pattern_free(&p);

	test_assert(ui_pattern_compile("~b foo ~D", NOW, &p, &err) == 0);
	ui_pattern_body_set(p, 0, found, 2);
	test_assert_str(which_p(p), "0001");
	ui_pattern_free(&p);
	test_end();
}

static void
test_unloaded(void)
{
	struct ui_msg m;
	struct ui_pattern *p;
	struct err err;

	test_begin("placeholders never match");
	memset(&m, 0, sizeof(m));
	test_assert(ui_pattern_compile("~A", NOW, &p, &err) == 0);
	test_assert(!ui_pattern_match(p, &m));
	ui_pattern_free(&p);
	test_end();
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	setlocale(LC_ALL, "C.UTF-8");
	setup();
	test_fields();
	test_case();
	test_flags();
	test_operators();
	test_dates();
	test_errors();
	test_body();
	test_unloaded();
	return test_done();
}
