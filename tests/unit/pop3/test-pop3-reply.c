#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/base-str.h"
#include "pop3/pop3-reply.h"
#include "test-common.h"

static void
test_lines(void)
{
	const char *line;
	size_t len, used;
	struct err err;

	test_begin("lines");
	test_assert_int(pop3_line_next("+OK hi\r\nrest", 12, 100, &line, &len, &used, &err), 1);
	test_assert_int(len, 6);
	test_assert_int(used, 8);
	test_assert(strncmp(line, "+OK hi", 6) == 0);
	test_assert_int(pop3_line_next("+OK bare\nx", 10, 100, &line, &len, &used, &err), 1);
	test_assert_int(len, 8);
	test_assert_int(used, 9);
	test_assert_int(pop3_line_next("+OK partial", 11, 100, &line, &len, &used, &err), 0);
	test_assert_int(pop3_line_next("", 0, 100, &line, &len, &used, &err), 0);
	/* Exactly at the limit, with CR; one over; none in sight. */
	test_assert_int(pop3_line_next("12345\r\n", 7, 5, &line, &len, &used, &err), 1);
	test_assert_int(pop3_line_next("123456\r\n", 8, 5, &line, &len, &used, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert_int(pop3_line_next("12345\r", 6, 5, &line, &len, &used, &err), 0);
	test_assert_int(pop3_line_next("1234567", 7, 5, &line, &len, &used, &err), -1);
	test_assert_int(pop3_line_next("+OK a\0b\r\n", 9, 100, &line, &len, &used, &err), -1);
	test_end();
}

static const char *
status(const char *line, bool cont_ok)
{
	static char buf[256];
	struct pop3_status_line st;
	struct err err;

	if (pop3_status_parse(line, cont_ok, &st, &err) < 0)
		snprintf(buf, sizeof(buf), "ERR %s", err.msg);
	else
		snprintf(buf, sizeof(buf), "%s [%s] <%s>",
		         st.status == POP3_OK    ? "OK"
		         : st.status == POP3_ERR ? "ERR"
		                                 : "CONT",
		         st.code, st.text);
	return buf;
}

static void
test_status(void)
{
	test_begin("status lines");
	test_assert_str(status("+OK", false), "OK [] <>");
	test_assert_str(status("+OK Dovecot (Debian) ready.", false),
	                "OK [] <Dovecot (Debian) ready.>");
	test_assert_str(status("-ERR [IN-USE] locked", false), "ERR [IN-USE] <locked>");
	test_assert_str(status("-ERR [SYS/TEMP] later", false), "ERR [SYS/TEMP] <later>");
	test_assert_str(status("-ERR [AUTH]", false), "ERR [AUTH] <>");
	test_assert_str(status("-ERR", false), "ERR [] <>");
	/* Not codes: left in the text. */
	test_assert_str(status("-ERR [unterminated", false), "ERR [] <[unterminated>");
	test_assert_str(status("-ERR [] empty", false), "ERR [] <[] empty>");
	test_assert_str(status("-ERR [a b] blank", false), "ERR [] <[a b] blank>");
	test_assert_str(status("+ YWJj", true), "CONT [] <YWJj>");
	test_assert_str(status("+", true), "CONT [] <>");
	test_assert_str(status("+ ", true), "CONT [] <>");
	test_assert(strncmp(status("+ YWJj", false), "ERR malformed", 13) == 0);
	test_assert(strncmp(status("+OKAY", false), "ERR malformed", 13) == 0);
	test_assert(strncmp(status("+ok", false), "ERR malformed", 13) == 0);
	test_assert(strncmp(status("-ERROR", false), "ERR malformed", 13) == 0);
	test_assert(strncmp(status("", false), "ERR malformed", 13) == 0);
	test_assert(strncmp(status("* OK imap", false), "ERR malformed", 13) == 0);
	test_end();
}

/* Decodes in, fed whole (split 0), in two pieces split at split, or one
 * byte at a time (split == len), as the session does: the data, then
 * "|END|" and what follows the end. */
static void
decode(struct str *out, const char *in, size_t len, size_t split)
{
	struct pop3_unstuff u;
	struct str buf = STR_INIT;
	size_t pos = 0, fed = 0;
	bool end = false;

	str_reset(out);
	pop3_unstuff_init(&u);
	while (fed < len && !end) {
		size_t n = split == 0 ? len : split == len ? 1 : fed == 0 ? split : len - fed;

		str_append_len(&buf, in + fed, n);
		fed += n;
		for (;;) {
			size_t dlen,
			    used = pop3_unstuff(&u, buf.s + pos, buf.len - pos, &dlen, &end);

			if (used == 0)
				break;
			str_append_len(out, buf.s + pos, dlen);
			pos += used;
			if (end)
				break;
		}
	}
	if (end) {
		str_append(out, "|END|");
		str_append_len(out, buf.s + pos, buf.len - pos);
		str_append_len(out, in + fed, len - fed);
	}
	str_free(&buf);
}

static void
check(const char *in, const char *want)
{
	struct str got = STR_INIT;
	size_t len = strlen(in), bad = 0;

	decode(&got, in, len, 0);
	test_assert_str(str_cstr(&got), want);
	for (size_t split = 1; split <= len; split++) {
		decode(&got, in, len, split);
		if (strcmp(str_cstr(&got), want) != 0) {
			if (bad == 0)
				printf("# split %zu: %s\n", split, str_cstr(&got));
			bad++;
		}
	}
	test_assert_int(bad, 0);
	str_free(&got);
}

static void
test_unstuff(void)
{
	test_begin("multi-line bodies");
	check(".\r\n", "|END|");
	check(".\r\n+OK next", "|END|+OK next");
	check("a\r\n.\r\n", "a\r\n|END|");
	check("..\r\n.\r\n", ".\r\n|END|");
	check("...\r\n.\r\n", "..\r\n|END|");
	check(".x\r\n.\r\n", "x\r\n|END|");
	check("a\r\n..b\r\n.\r\n", "a\r\n.b\r\n|END|");
	/* A bare LF does not start a line; "\n.\n" is content. */
	check("a\n.\nb\r\n.\r\n", "a\n.\nb\r\n|END|");
	check("a\n..\r\n.\r\n", "a\n..\r\n|END|");
	/* ".\r" followed by something else: the dot goes, the CR stays. */
	check(".\rx\r\n.\r\n", "\rx\r\n|END|");
	check(".\r\r\n.\r\n", "\r\r\n|END|");
	/* ".\n" is not the end, nor does its LF start a line. */
	check(".\n.\r\n", "\n.\r\n");
	check(".\n\r\n.\r\n", "\n\r\n|END|");
	check("x\r.\r\n.\r\n", "x\r.\r\n|END|");
	/* Not ended: everything is data, the trailing "." undecided. */
	check("abc\r\n", "abc\r\n");
	check("abc\r\n.", "abc\r\n");
	check("abc\r\n.\r", "abc\r\n");
	test_end();
}

int
main(void)
{
	test_lines();
	test_status();
	test_unstuff();
	return test_done();
}
