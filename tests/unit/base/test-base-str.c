#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "test-common.h"

int
main(void)
{
	struct str s = STR_INIT;
	char *d;

	test_begin("str append");
	test_assert_str(str_cstr(&s), "");
	str_append(&s, "hello");
	str_append_char(&s, ' ');
	str_appendf(&s, "%d %s", 42, "world");
	test_assert_str(s.s, "hello 42 world");
	test_assert_int(s.len, 14);
	test_end();

	test_begin("str binary and consume");
	str_append_len(&s, "\0x", 2);
	test_assert_int(s.len, 16);
	str_consume(&s, 6);
	test_assert(memcmp(s.s, "42 world\0x", 10) == 0);
	str_truncate(&s, 2);
	test_assert_str(s.s, "42");
	str_consume(&s, 100);
	test_assert_int(s.len, 0);
	test_end();

	test_begin("str growth");
	for (int i = 0; i < 10000; i++)
		str_append(&s, "abcdefghij");
	test_assert_int(s.len, 100000);
	test_assert(s.s[s.len] == '\0');
	d = str_detach(&s);
	test_assert(s.s == NULL && s.len == 0);
	test_assert(strlen(d) == 100000);
	free(d);
	d = str_detach(&s);
	test_assert_str(d, "");
	free(d);
	test_end();

	test_begin("quoted strings");
	{
		const char *p = "\"a \\\"b\\\\\" rest";

		test_assert_int(str_append_unquoted(&s, &p), 0);
		test_assert_str(str_cstr(&s), "a \"b\\");
		test_assert_str(p, " rest");
		str_reset(&s);
		p = "\"\"";
		test_assert_int(str_append_unquoted(&s, &p), 0);
		test_assert_str(str_cstr(&s), "");
		test_assert_str(p, "");
		p = "\"open \\";
		test_assert_int(str_append_unquoted(&s, &p), -1);
		test_assert_str(p, "");
		str_reset(&s);
		p = "\"x\\\"";
		test_assert_int(str_append_unquoted(&s, &p), -1);
		test_assert_str(str_cstr(&s), "x\"");
	}
	test_end();
	str_free(&s);
	return test_done();
}
