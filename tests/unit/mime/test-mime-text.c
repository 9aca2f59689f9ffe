/* Sanitising for the terminal, UTF-8 helpers, file names, quoting, HTML. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "mime-test-util.h"
#include "mime/mime-text.h"
#include "test-common.h"

static char *
san(const char *s, size_t len, unsigned flags)
{
	struct str out = STR_INIT;

	mime_sanitize(&out, s, len, flags);
	return str_detach(&out);
}

#define SAN_IS(in, flags, want)                                                                    \
	do {                                                                                       \
		char *got_ = san((in), sizeof(in) - 1, (flags));                                   \
		test_assert_str(got_, (want));                                                     \
		free(got_);                                                                        \
	} while (0)

static char *
safe_name(const char *in)
{
	struct str out = STR_INIT;

	mime_filename_safe(&out, in, "attachment-7");
	return str_detach(&out);
}

#define NAME_IS(in, want)                                                                          \
	do {                                                                                       \
		char *got_ = safe_name(in);                                                        \
		test_assert_str(got_, (want));                                                     \
		free(got_);                                                                        \
	} while (0)

static char *
quote(const char *in, const char *prefix)
{
	struct str out = STR_INIT;

	mime_quote_text(&out, in, strlen(in), prefix);
	return str_detach(&out);
}

static char *
strip(const char *in)
{
	struct str out = STR_INIT;

	mime_html_strip(&out, in, strlen(in));
	return str_detach(&out);
}

int
main(void)
{
	char *s;

	test_begin("C0 controls in caret notation");
	SAN_IS("a\x1b[2Jb", 0, "a^[[2Jb");
	SAN_IS("\x01\x07\x08\x0d\x1f", 0, "^A^G^H^M^_");
	SAN_IS("\x1b]0;pwned\x07", 0, "^[]0;pwned^G");
	s = san("a\0b", 3, 0);
	test_assert_str(s, "a^@b");
	free(s);
	test_end();

	test_begin("tab and newline only where allowed");
	SAN_IS("a\tb\nc", 0, "a^Ib^Jc");
	SAN_IS("a\tb\nc", MIME_SANITIZE_TAB, "a\tb^Jc");
	SAN_IS("a\tb\nc", MIME_SANITIZE_NEWLINE, "a^Ib\nc");
	SAN_IS("a\tb\nc", MIME_SANITIZE_NEWLINE | MIME_SANITIZE_TAB, "a\tb\nc");
	test_end();

	test_begin("DEL");
	SAN_IS("x\x7fy", 0, "x^?y");
	test_end();

	test_begin("C1 controls as <U+XXXX>");
	SAN_IS("\xc2\x9b"
	       "31m",
	       0, "<U+009B>31m");
	SAN_IS("\xc2\x80\xc2\x85\xc2\x9f", 0, "<U+0080><U+0085><U+009F>");
	SAN_IS("\xc2\xa0ok", 0, "\xc2\xa0ok");
	test_end();

	test_begin("bidi controls and line separators made visible");
	SAN_IS("invoice\xe2\x80\xae"
	       "fdp.exe",
	       0, "invoice<U+202E>fdp.exe");
	SAN_IS("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0,
	       "<U+202A><U+202B><U+202C><U+202D>");
	SAN_IS("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0,
	       "<U+2066><U+2067><U+2068><U+2069>");
	SAN_IS("a\xe2\x80\xa8"
	       "b\xe2\x80\xa9",
	       0, "a<U+2028>b<U+2029>");
	test_end();

	test_begin("invalid UTF-8 as \\xNN");
	SAN_IS("raw \x9b byte", 0, "raw \\x9b byte");
	SAN_IS("\xc0\xaf", 0, "\\xc0\\xaf");                   /* overlong "/" */
	SAN_IS("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");          /* a surrogate */
	SAN_IS("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80"); /* past U+10FFFF */
	SAN_IS("cut \xe2\x82", 0, "cut \\xe2\\x82");
	test_end();

	test_begin("text passes unchanged");
	SAN_IS("Grüße, 日本語, Привет 👍", 0, "Grüße, 日本語, Привет 👍");
	test_assert(mime_text_is_safe("Grüße", strlen("Grüße"), 0));
	test_assert(!mime_text_is_safe("a\x1b", 2, 0));
	test_assert(!mime_text_is_safe("a\n", 2, 0));
	test_assert(mime_text_is_safe("a\n", 2, MIME_SANITIZE_NEWLINE));
	test_end();

	test_begin("every byte value and pair is made safe");
	{
		int ok = 1;
		char in[3];

		for (int a = 0; a < 256; a++) {
			for (int b = 0; b < 256; b += (a < 0x80 ? 255 : 1)) {
				in[0] = (char)a;
				in[1] = (char)b;
				in[2] = (char)0x80;
				s = san(in, 3, MIME_SANITIZE_NEWLINE | MIME_SANITIZE_TAB);
				if (!mime_test_terminal_safe(s, strlen(s), 1) || strlen(s) > 3 * 8)
					ok = 0;
				free(s);
			}
		}
		test_assert(ok);
	}
	test_end();

	test_begin("UTF-8 helpers");
	test_assert(mime_utf8_valid("", 0));
	test_assert(mime_utf8_valid("h\xc3\xa9", 3));
	test_assert(!mime_utf8_valid("h\xc3", 2));
	test_assert(!mime_utf8_valid("\xe0\x80\x80", 3));
	test_assert_int(mime_utf8_cut("ab\xe2\x82\xac", 4), 2);
	test_assert_int(mime_utf8_cut("ab\xe2\x82\xac", 5), 5);
	test_assert_int(mime_utf8_cut("ab\xe2\x82\xac", 2), 2);
	test_assert_int(mime_utf8_cut("\xe2", 1), 0);
	{
		struct str out = STR_INIT;

		test_assert_int(mime_text_8bit_to_utf8(&out, "caf\xc3\xa9", 5), 0);
		test_assert_str(str_cstr(&out), "caf\xc3\xa9");
		str_reset(&out);
		test_assert_int(mime_text_8bit_to_utf8(&out, "caf\xe9 \x93q\x94 \x81", 10), 1);
		test_assert_str(str_cstr(&out), "café “q” \xc2\x81");
		str_free(&out);
	}
	test_end();

	test_begin("file names never choose a directory");
	NAME_IS("../../.bashrc", "_bashrc");
	NAME_IS("/etc/passwd", "passwd");
	NAME_IS(".hidden", "_hidden");
	NAME_IS("a\\b", "b");
	NAME_IS("C:\\Users\\x\\report.pdf", "report.pdf");
	NAME_IS("..", "attachment-7");
	NAME_IS("dir/", "attachment-7");
	NAME_IS("", "attachment-7");
	NAME_IS(NULL, "attachment-7");
	NAME_IS("   ", "attachment-7");
	NAME_IS("a..b...c", "a.b.c");
	NAME_IS("trailing. . ", "trailing");
	NAME_IS("evil\x1b]0;x\x07.txt", "evil_]0;x_.txt");
	NAME_IS("invoice\xe2\x80\xae"
	        "fdp.exe",
	        "invoice_fdp.exe");
	NAME_IS("zero\xe2\x80\x8bwidth", "zero_width");
	NAME_IS("bad\xff.txt", "bad_.txt");
	NAME_IS("Übersicht 2024.xls", "Übersicht 2024.xls");
	{
		char longname[600];

		memset(longname, 'x', 500);
		strcpy(longname + 500, ".pdf");
		s = safe_name(longname);
		test_assert(strlen(s) <= 200);
		test_assert(strcmp(s + strlen(s) - 4, ".pdf") == 0);
		free(s);
	}
	test_end();

	test_begin("quoting");
	s = quote("one\n\ntwo\r\n> three\n", "> ");
	test_assert_str(s, "> one\n>\n> two\n>> three\n");
	free(s);
	s = quote("no newline at end", "| ");
	test_assert_str(s, "| no newline at end\n");
	free(s);
	s = quote("", "> ");
	test_assert_str(s, "");
	free(s);
	test_end();

	test_begin("crude HTML stripping");
	s = strip("<html><head><style>p{x}</style><script>alert(1)</script></head>"
	          "<body><p>Caf&eacute; &amp; cr&#232;me &lt;b&gt;</p><!-- hidden -->"
	          "<p>two&nbsp;words</p>x<br>y &#x263A; &bogus; a < b</body></html>");
	test_assert_str(s, "Café & crème <b>\n\ntwo\xc2\xa0words\nx\ny ☺ &bogus; a < b\n");
	free(s);
	s = strip("no tags at all");
	test_assert_str(s, "no tags at all\n");
	free(s);
	s = strip("&#0; &#xD800; &#1114112;");
	test_assert_str(s, "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd\n");
	free(s);
	test_end();
	return test_done();
}
