/* Charset conversion with fallbacks, and conversion to the terminal's. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "mime/mime-charset.h"
#include "mime/mime-message.h"
#include "test-common.h"

struct conv {
	char *text;
	unsigned result;
	const char *used;
};

static struct conv
to_utf8(const char *data, size_t len, const char *declared)
{
	struct str out = STR_INIT;
	struct conv c;

	c.result = mime_charset_to_utf8(&out, data, len, declared, &c.used);
	c.text = str_detach(&out);
	return c;
}

#define CONV(data, declared, want_text, want_result, want_used)                                    \
	do {                                                                                       \
		struct conv c_ = to_utf8((data), sizeof(data) - 1, (declared));                    \
		test_assert_str(c_.text, (want_text));                                             \
		test_assert_int(c_.result, (want_result));                                         \
		test_assert_str(c_.used, (want_used));                                             \
		free(c_.text);                                                                     \
	} while (0)

static char *
from_utf8(const char *s, const char *target)
{
	struct str out = STR_INIT;

	mime_charset_from_utf8(&out, s, strlen(s), target);
	return str_detach(&out);
}

int
main(void)
{
	char *s;

	mime_init();

	test_begin("declared charsets");
	CONV("caf\xc3\xa9", "utf-8", "café", 0, "utf-8");
	CONV("caf\xe9", "ISO-8859-1", "café", 0, "ISO-8859-1");
	CONV("\xa4 100", "iso-8859-15", "€ 100", 0, "iso-8859-15");
	CONV("\x93q\x94", "windows-1252", "“q”", 0, "windows-1252");
	CONV("\xf0\xd2\xc9\xd7\xc5\xd4", "koi8-r", "Привет", 0, "koi8-r");
	CONV("\x82\xb1\x82\xf1", "Shift_JIS", "こん", 0, "Shift_JIS");
	CONV("\x82\xb1\x82\xf1", "x-sjis", "こん", 0, "x-sjis");
	CONV("\x1b$B$3$s\x1b(B", "ISO-2022-JP", "こん", 0, "ISO-2022-JP");
	CONV("\xc4\xe3\xba\xc3", "gb2312", "你好", 0, "gb2312");
	CONV("\xe9\x46", "gbk", "镕", 0, "gbk");
	CONV("\xc1\x63\xc5\xe9", "big5", "繁體", 0, "big5");
	CONV("Hi +Jjo-", "utf-7", "Hi ☺", 0, "utf-7");
	CONV("plain", "x-no-such-charset", "plain", 0, "x-no-such-charset");
	test_end();

	test_begin("missing labels");
	CONV("ascii", NULL, "ascii", 0, "US-ASCII");
	CONV("caf\xc3\xa9", NULL, "café", MIME_CHARSET_FALLBACK, "UTF-8");
	CONV("caf\xe9", "", "café", MIME_CHARSET_FALLBACK, "windows-1252");
	CONV("caf\xe9", "us-ascii", "café", MIME_CHARSET_FALLBACK, "windows-1252");
	test_end();

	test_begin("wrong labels fall back");
	CONV("caf\xe9 au lait", "utf-8", "café au lait", MIME_CHARSET_FALLBACK, "windows-1252");
	/* UTF-8 cut inside its last character keeps its label. */
	CONV("Gr\xc3\xbc\xc3", "utf-8", "Grü\xef\xbf\xbd", MIME_CHARSET_ERRORS, "utf-8");
	CONV("Gr\xc3\xbc\xc3\x9f"
	     "e",
	     "iso-8859-1", "Grüße", MIME_CHARSET_FALLBACK, "UTF-8");
	CONV("Stra\xdf"
	     "e",
	     "x-no-such-charset", "Straße", MIME_CHARSET_FALLBACK, "windows-1252");
	CONV("Stra\xc3\x9f"
	     "e",
	     "x-no-such-charset", "Straße", MIME_CHARSET_FALLBACK, "UTF-8");
	/* A label that fits but a few damaged bytes: the label is kept. */
	CONV("\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1"
	     "\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1"
	     "\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1"
	     "\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1\x82\xb1\x82\xf1"
	     "\xff",
	     "shift_jis",
	     "こんこんこんこんこんこんこんこんこんこんこんこんこんこんこんこんこんこんこんこん\xef"
	     "\xbf\xbd",
	     MIME_CHARSET_ERRORS, "shift_jis");
	test_end();

	test_begin("NUL bytes survive conversion");
	{
		struct str out = STR_INIT;

		mime_charset_to_utf8(&out, "a\0b", 3, "utf-8", NULL);
		test_assert_int(out.len, 3);
		test_assert(memcmp(out.s, "a\0b", 3) == 0);
		str_free(&out);
	}
	test_end();

	test_begin("to the terminal's charset");
	s = from_utf8("café € ☺", "ISO-8859-1");
	test_assert_str(s, "caf\xe9 ? ?");
	free(s);
	s = from_utf8("café", NULL);
	test_assert_str(s, "café");
	free(s);
	s = from_utf8("café", "utf8");
	test_assert_str(s, "café");
	free(s);
	s = from_utf8("Привет", "KOI8-R");
	test_assert_str(s, "\xf0\xd2\xc9\xd7\xc5\xd4");
	free(s);
	s = from_utf8("caf\xc3\xa9 ok", "no-such-target-charset");
	test_assert_str(s, "caf? ok");
	free(s);
	s = from_utf8("ascii only", "ANSI_X3.4-1968");
	test_assert_str(s, "ascii only");
	free(s);
	s = from_utf8("caf\xc3\xa9", "ANSI_X3.4-1968");
	test_assert_str(s, "caf?");
	free(s);
	test_assert(mime_charset_is_utf8("UTF-8"));
	test_assert(mime_charset_is_utf8("utf8"));
	test_assert(!mime_charset_is_utf8("utf-16"));
	test_assert(!mime_charset_is_utf8(NULL));
	test_end();
	mime_shutdown();
	return test_done();
}
