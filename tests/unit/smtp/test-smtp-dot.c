#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/base-str.h"
#include "smtp/smtp-dot.h"
#include "test-common.h"

/* Encodes in[0..len) split at split (0: whole; len: byte by byte). */
static void
encode(struct str *out, const char *in, size_t len, size_t split, bool stuff)
{
	struct smtp_dot d;

	str_reset(out);
	smtp_dot_init(&d, stuff);
	if (split == len && len > 0) {
		for (size_t i = 0; i < len; i++)
			smtp_dot_encode(&d, in + i, 1, out);
	} else if (split > 0) {
		smtp_dot_encode(&d, in, split, out);
		smtp_dot_encode(&d, in + split, len - split, out);
	} else {
		smtp_dot_encode(&d, in, len, out);
	}
	smtp_dot_finish(&d, out);
	if (d.out != out->len)
		str_append(out, "[count differs]");
}

static void
check(const char *in, const char *want_data, const char *want_bdat)
{
	struct str got = STR_INIT;
	size_t len = strlen(in), bad = 0;
	struct smtp_body_check bc;

	for (size_t split = 0; split <= len; split++) {
		encode(&got, in, len, split, true);
		if (split == 0)
			test_assert_str(str_cstr(&got), want_data);
		else if (strcmp(str_cstr(&got), want_data) != 0)
			bad++;
		encode(&got, in, len, split, false);
		if (split == 0)
			test_assert_str(str_cstr(&got), want_bdat);
		else if (strcmp(str_cstr(&got), want_bdat) != 0)
			bad++;
	}
	test_assert_int(bad, 0);
	/* SIZE= counts what BDAT sends: CRLF line ends, no stuffing. */
	smtp_body_check_init(&bc);
	for (size_t i = 0; i < len; i++)
		smtp_body_check_update(&bc, in + i, 1);
	smtp_body_check_finish(&bc);
	test_assert_int(bc.size, strlen(want_bdat));
	str_free(&got);
}

static void
test_stuffing(void)
{
	test_begin("dot-stuffing and line ends");
	check("", ".\r\n", "");
	check("a", "a\r\n.\r\n", "a\r\n");
	check("a\n", "a\r\n.\r\n", "a\r\n");
	check("a\r\n", "a\r\n.\r\n", "a\r\n");
	check(".", "..\r\n.\r\n", ".\r\n");
	check(".\n", "..\r\n.\r\n", ".\r\n");
	check("a\n.\nb", "a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n");
	check("..x\r\n", "...x\r\n.\r\n", "..x\r\n");
	check("a.b\n.c", "a.b\r\n..c\r\n.\r\n", "a.b\r\n.c\r\n");
	/* SMTP smuggling: bare LF and bare CR never reach the server. */
	check("x\n.\ny", "x\r\n..\r\ny\r\n.\r\n", "x\r\n.\r\ny\r\n");
	check("x\r.\ry", "x\r\n..\r\ny\r\n.\r\n", "x\r\n.\r\ny\r\n");
	check("x\r\n.\r\ny", "x\r\n..\r\ny\r\n.\r\n", "x\r\n.\r\ny\r\n");
	check("a\r\r\nb", "a\r\n\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n");
	check("a\r", "a\r\n.\r\n", "a\r\n");
	check("\n\n", "\r\n\r\n.\r\n", "\r\n\r\n");
	check("\r\n.", "\r\n..\r\n.\r\n", "\r\n.\r\n");
	test_end();
}

static void
test_body_check(void)
{
	struct smtp_body_check bc;
	char line[1200];

	test_begin("what a body needs");
	smtp_body_check_init(&bc);
	smtp_body_check_update(&bc, "Subject: hi\n\nplain\n", 19);
	smtp_body_check_finish(&bc);
	test_assert(!bc.eight_bit && !bc.nul && !bc.long_lines);
	test_assert_int(bc.size, 22);

	smtp_body_check_init(&bc);
	smtp_body_check_update(&bc, "gr\xc3\xbc\xc3\x9f", 6);
	smtp_body_check_finish(&bc);
	test_assert(bc.eight_bit);
	test_assert_int(bc.size, 8);

	smtp_body_check_init(&bc);
	smtp_body_check_update(&bc, "a\0b", 3);
	smtp_body_check_finish(&bc);
	test_assert(bc.nul && !bc.eight_bit);

	memset(line, 'x', sizeof(line));
	smtp_body_check_init(&bc);
	smtp_body_check_update(&bc, line, 998);
	smtp_body_check_update(&bc, "\r\n", 2);
	test_assert(!bc.long_lines);
	smtp_body_check_update(&bc, line, 999);
	test_assert(bc.long_lines);

	test_assert(!smtp_needs_8bit("alice@example.org", 17));
	test_assert(smtp_needs_8bit("j\xc3\xb6rg@example.org", 18));
	test_end();
}

int
main(void)
{
	test_stuffing();
	test_body_check();
	return test_done();
}
