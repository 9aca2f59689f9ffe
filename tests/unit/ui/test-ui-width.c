/* Display widths of UTF-8 text: ASCII, CJK, combining marks, invalid
 * bytes, and the non-UTF-8 fallback. */
#include "config.h"

#include <locale.h>
#include <stdint.h>
#include <string.h>

#include "base/base-str.h"
#include "test-common.h"
#include "ui/ui-width.h"

static size_t
w(const char *s)
{
	return ui_width_str(s, strlen(s));
}

static void
test_decode(void)
{
	uint32_t cp;

	test_begin("decode");
	test_assert_int(ui_utf8_decode("a", 1, &cp), 1);
	test_assert_int(cp, 'a');
	test_assert_int(ui_utf8_decode("\xc3\xa9", 2, &cp), 2);
	test_assert_int(cp, 0xe9);
	test_assert_int(ui_utf8_decode("\xe6\x97\xa5", 3, &cp), 3);
	test_assert_int(cp, 0x65e5);
	test_assert_int(ui_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	test_assert_int(cp, 0x1f600);
	/* Truncated, overlong, surrogate and stray continuation bytes. */
	test_assert_int(ui_utf8_decode("\xe6\x97", 2, &cp), 1);
	test_assert_int(cp, UI_REPLACEMENT);
	test_assert_int(ui_utf8_decode("\xc0\xaf", 2, &cp), 1);
	test_assert_int(cp, UI_REPLACEMENT);
	test_assert_int(ui_utf8_decode("\xed\xa0\x80", 3, &cp), 1);
	test_assert_int(cp, UI_REPLACEMENT);
	test_assert_int(ui_utf8_decode("\x80", 1, &cp), 1);
	test_assert_int(cp, UI_REPLACEMENT);
	test_end();
}

static void
test_widths(void)
{
	test_begin("widths");
	test_assert_int(w("hello"), 5);
	test_assert_int(w("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* 日本 */
	test_assert_int(w("e\xcc\x81"), 1);                /* e + combining acute */
	test_assert_int(w("\xef\xbc\xa1"), 2);             /* fullwidth A */
	test_assert_int(w("a\xffz"), 3);                   /* invalid byte: one cell */
	test_assert_int(w("\t"), 1);
	test_end();
}

static void
test_cut(void)
{
	size_t used;
	const char *cjk = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"; /* 日本語: 6 columns */
	const char *comb = "ae\xcc\x81z";                         /* a é z with a combining mark */

	test_begin("cut");
	test_assert_int(ui_width_cut(cjk, strlen(cjk), 3, &used), 3);
	test_assert_int(used, 2);
	test_assert_int(ui_width_cut(cjk, strlen(cjk), 4, &used), 6);
	test_assert_int(used, 4);
	/* The combining mark stays with its base. */
	test_assert_int(ui_width_cut(comb, strlen(comb), 2, &used), 4);
	test_assert_int(used, 2);
	test_assert_int(ui_width_cut("abc", 3, 10, &used), 3);
	test_end();
}

static void
test_fit(void)
{
	struct str s = STR_INIT;
	const char *cjk = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";

	test_begin("fit");
	ui_width_fit(&s, "ab", 2, 5, 5, 1, ' ');
	test_assert_str(s.s, "ab   ");
	str_reset(&s);
	ui_width_fit(&s, "ab", 2, 5, 5, 0, ' ');
	test_assert_str(s.s, "   ab");
	str_reset(&s);
	/* A wide character that would straddle the edge becomes padding. */
	ui_width_fit(&s, cjk, strlen(cjk), 5, 5, 1, ' ');
	test_assert_str(s.s, "\xe6\x97\xa5\xe6\x9c\xac ");
	test_assert_int(ui_width_str(s.s, s.len), 5);
	str_reset(&s);
	ui_width_fit(&s, "7", 1, 3, SIZE_MAX, 0, '0');
	test_assert_str(s.s, "007");
	str_free(&s);
	test_end();
}

static void
test_non_utf8(void)
{
	uint32_t g;

	test_begin("non-UTF-8 locale");
	setlocale(LC_ALL, "C");
	ui_width_set_utf8(0);
	test_assert_int(ui_width_glyph(0x65e5, &g), 1);
	test_assert_int(g, '?');
	test_assert_int(ui_width_glyph('x', &g), 1);
	test_assert_int(g, 'x');
	test_assert_int(w("\xe6\x97\xa5\xe6\x9c\xac"), 2);
	setlocale(LC_ALL, "C.UTF-8");
	ui_width_set_utf8(1);
	test_end();
}

static void
test_controls(void)
{
	uint32_t g;

	test_begin("controls never reach the terminal");
	test_assert_int(ui_width_glyph(0x1b, &g), 1);
	test_assert_int(g, '?');
	test_assert_int(ui_width_glyph(0x9b, &g), 1);
	test_assert_int(g, '?');
	test_assert_int(ui_width_glyph(0x7f, &g), 1);
	test_assert_int(g, '?');
	test_end();
}

static void
test_encode(void)
{
	struct str s = STR_INIT;

	test_begin("encode");
	ui_utf8_encode(&s, 0x65e5);
	ui_utf8_encode(&s, 'a');
	ui_utf8_encode(&s, 0xd800);
	test_assert_str(s.s, "\xe6\x97\xa5"
	                     "a\xef\xbf\xbd");
	str_free(&s);
	test_end();
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	ui_width_init();
	test_decode();
	test_widths();
	test_cut();
	test_fit();
	test_non_utf8();
	test_controls();
	test_encode();
	return test_done();
}
