#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/base-str.h"
#include "smtp/smtp-reply.h"
#include "test-common.h"

#define WHOLE 0
#define BYTEWISE SIZE_MAX

static size_t line_max, lines_max;

/* Drains replies into out as "code|enhanced|text;" or "ERR:message;". */
static bool
drain(struct smtp_reply_parser *p, struct str *out)
{
	const struct smtp_reply *r;
	struct err err;
	int ret;

	while ((ret = smtp_reply_parser_next(p, &r, &err)) == 1)
		str_appendf(out, "%d|%s|%s;", r->code, r->enhanced, r->text);
	if (ret < 0) {
		str_appendf(out, "ERR:%s;", err.msg);
		return false;
	}
	return true;
}

/* Parses in, fed whole, in two pieces split at split, or a byte at a
 * time. */
static void
parse(struct str *out, const char *in, size_t len, size_t split)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new(line_max, lines_max);

	str_reset(out);
	if (split == BYTEWISE) {
		for (size_t i = 0; i < len; i++) {
			smtp_reply_parser_feed(p, in + i, 1);
			if (!drain(p, out))
				break;
		}
	} else {
		smtp_reply_parser_feed(p, in, split == WHOLE ? len : split);
		if (drain(p, out) && split != WHOLE) {
			smtp_reply_parser_feed(p, in + split, len - split);
			drain(p, out);
		}
	}
	smtp_reply_parser_free(&p);
}

/* The result must be want whichever way the input is split. */
static void
check_len(const char *in, size_t len, const char *want)
{
	struct str got = STR_INIT;
	size_t bad = 0, first_bad = 0;

	parse(&got, in, len, WHOLE);
	test_assert_str(str_cstr(&got), want);
	for (size_t split = 1; split < len; split++) {
		parse(&got, in, len, split);
		if (strcmp(str_cstr(&got), want) != 0 && bad++ == 0)
			first_bad = split;
	}
	parse(&got, in, len, BYTEWISE);
	if (strcmp(str_cstr(&got), want) != 0)
		bad++;
	if (bad > 0)
		printf("# %zu splits differ, first at %zu: %s\n", bad, first_bad, str_cstr(&got));
	test_assert(bad == 0);
	str_free(&got);
}

static void
check(const char *in, const char *want)
{
	check_len(in, strlen(in), want);
}

static void
test_replies(void)
{
	test_begin("replies");
	line_max = lines_max = 0;
	check("220 mail.petrel.test ESMTP Postfix\r\n", "220||mail.petrel.test ESMTP Postfix;");
	check("250-mail.petrel.test\r\n250-PIPELINING\r\n250-SIZE 20480000\r\n250 CHUNKING\r\n",
	      "250||mail.petrel.test\nPIPELINING\nSIZE 20480000\nCHUNKING;");
	check("250 2.1.5 Ok\r\n", "250|2.1.5|Ok;");
	check("550-5.1.1 first\r\n550 5.1.1 second\r\n", "550|5.1.1|first\nsecond;");
	/* A status code of the wrong class is just text. */
	check("550 2.1.5 odd\r\n", "550||2.1.5 odd;");
	check("250 2.1 short\r\n", "250||2.1 short;");
	check("250 2.1.5000 long\r\n", "250||2.1.5000 long;");
	check("250 2.0.0\r\n", "250|2.0.0|;");
	check("250\r\n", "250||;");
	check("334 \r\n", "334||;");
	check("250 bare LF\n", "250||bare LF;");
	check("250 a\r\n250 b\r\n354 c\r\n", "250||a;250||b;354||c;");
	check("250 text with \r inside\r\n", "250||text with \r inside;");
	test_end();
}

static void
test_errors(void)
{
	char big[300];

	test_begin("protocol errors");
	line_max = lines_max = 0;
	check("2\r\n", "ERR:malformed reply line from the server: \"2\";");
	check("25\r\n", "ERR:malformed reply line from the server: \"25\";");
	check("2x0 x\r\n", "ERR:malformed reply line from the server: \"2x0 x\";");
	check("199 low\r\n", "ERR:malformed reply line from the server: \"199 low\";");
	check("600 high\r\n", "ERR:malformed reply line from the server: \"600 high\";");
	check("220_x\r\n", "ERR:malformed reply line from the server: \"220_x\";");
	check("250-a\r\n251 b\r\n",
	      "ERR:reply lines with different codes from the server: \"251 b\";");
	check("250-a\r\n2500 b\r\n", "ERR:malformed reply line from the server: \"2500 b\";");
	check_len("250 a\0b\r\n", 9, "ERR:NUL byte in the server's reply: \"250 a?b\";");
	check("\r\n", "ERR:malformed reply line from the server: \"\";");
	/* Control characters in the quoted line are made visible. */
	check("\x1b[31m\r\n", "ERR:malformed reply line from the server: \"?[31m\";");

	line_max = 16;
	check("250 0123456789ab\r\n", "250||0123456789ab;");
	check("250 0123456789abc\r\n", "ERR:server reply line longer than 16 bytes;");
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	check(big, "ERR:server reply line longer than 16 bytes;");
	line_max = 0;

	lines_max = 3;
	check("250-a\r\n250-b\r\n250 c\r\n", "250||a\nb\nc;");
	check("250-a\r\n250-b\r\n250-c\r\n250 d\r\n",
	      "ERR:server reply has too many lines; the last: \"250 d\";");
	lines_max = 0;
	test_end();
}

static void
test_bounded(void)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new(4096, 0);
	const struct smtp_reply *r;
	struct err err;
	char chunk[4096];
	int ret = 0;
	size_t fed = 0;

	test_begin("memory stays bounded on a line without end");
	memset(chunk, 'x', sizeof(chunk));
	/* 10 MB fed as a client reading 4 KB at a time would. */
	for (int i = 0; i < 2560 && ret >= 0; i++) {
		smtp_reply_parser_feed(p, chunk, sizeof(chunk));
		fed += sizeof(chunk);
		ret = smtp_reply_parser_next(p, &r, &err);
	}
	test_assert_int(ret, -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert(fed <= 3 * 4096);
	/* Once failed, it stays failed and takes nothing more. */
	smtp_reply_parser_feed(p, "250 ok\r\n", 8);
	test_assert_int(smtp_reply_parser_next(p, &r, &err), -1);
	test_assert(smtp_reply_parser_pending(p) <= 2 * 4096 + 8);
	smtp_reply_parser_free(&p);
	test_end();
}

static void
test_discard(void)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new(0, 0);
	const struct smtp_reply *r;
	struct err err;
	const char *in =
	    "220 2.0.0 Ready to start TLS\r\n250-injected\r\n250 AUTH PLAIN\r\n250-half";

	test_begin("discarding buffered input");
	smtp_reply_parser_feed(p, in, strlen(in));
	test_assert_int(smtp_reply_parser_next(p, &r, &err), 1);
	test_assert_int(r->code, 220);
	test_assert_int(smtp_reply_parser_pending(p), strlen(in) - 30);
	test_assert_int(smtp_reply_parser_discard(p), strlen(in) - 30);
	test_assert_int(smtp_reply_parser_pending(p), 0);
	test_assert_int(smtp_reply_parser_next(p, &r, &err), 0);
	smtp_reply_parser_feed(p, "250 ok\r\n", 8);
	test_assert_int(smtp_reply_parser_next(p, &r, &err), 1);
	test_assert_int(r->code, 250);
	test_assert_str(r->text, "ok");
	test_assert_int(r->n_lines, 1);
	/* Lines of an unfinished reply count as pending and are dropped. */
	smtp_reply_parser_feed(p, "250-a\r\n250-b\r\n", 14);
	test_assert_int(smtp_reply_parser_next(p, &r, &err), 0);
	test_assert_int(smtp_reply_parser_pending(p), 14);
	test_assert_int(smtp_reply_parser_discard(p), 14);
	smtp_reply_parser_feed(p, "221 bye\r\n", 9);
	test_assert_int(smtp_reply_parser_next(p, &r, &err), 1);
	test_assert_int(r->n_lines, 1);
	test_assert_str(r->text, "bye");
	smtp_reply_parser_free(&p);
	test_end();
}

static void
test_describe(void)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new(0, 0);
	const struct smtp_reply *r;
	struct err err;
	const char *in = "550-5.7.1 first \x1b]0;pwn\x07\r\n550-5.7.1\r\n550 5.7.1 last\r\n";
	char buf[64], tiny[8];

	test_begin("describing a reply");
	smtp_reply_parser_feed(p, in, strlen(in));
	test_assert_int(smtp_reply_parser_next(p, &r, &err), 1);
	smtp_reply_describe(r, buf, sizeof(buf));
	test_assert_str(buf, "550 5.7.1 first ?]0;pwn? / last");
	smtp_reply_describe(r, tiny, sizeof(tiny));
	test_assert_str(tiny, "550 5.7");
	smtp_reply_parser_free(&p);
	test_end();
}

int
main(void)
{
	test_replies();
	test_errors();
	test_bounded();
	test_discard();
	test_describe();
	return test_done();
}
