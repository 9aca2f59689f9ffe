/* index_format expansion: escapes, widths, padding, conditionals and
 * wide characters. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/base-str.h"
#include "test-common.h"
#include "ui/ui-format.h"
#include "ui/ui-width.h"

static struct ui_msg m;

static const char *
fmt(const char *f, size_t cols)
{
	static struct str out;
	struct ui_format_ctx c = {&m, 7, NULL, NULL};

	str_reset(&out);
	ui_format_index(&out, f, &c, cols);
	return out.s ? out.s : "";
}

static int
me(const char *addr, void *ctx)
{
	(void)ctx;
	return strcmp(addr, "me@example.org") == 0;
}

static void
setup(void)
{
	memset(&m, 0, sizeof(m));
	m.loaded = 1;
	m.parent = UI_NONE;
	m.tree = "";
	m.subject_changed = 1;
	m.s.from_name = "Ann Smith";
	m.s.from_addr = "ann@example.org";
	m.s.to = "bob@example.org";
	m.s.subject = "Hello";
	m.s.message_id = "x@y";
	m.s.date = 1771156800; /* 2026-02-15 12:00 UTC */
	m.s.size = 2300;
	m.s.lines = 42;
	m.s.flags = MIME_FLAG_RECENT;
}

static void
test_basic(void)
{
	test_begin("escapes");
	test_assert_str(fmt("%C %n <%a> %s", 0), "7 Ann Smith <ann@example.org> Hello");
	test_assert_str(fmt("%4C|%-4C|%04C", 0), "   7|7   |0007");
	test_assert_str(fmt("%Z", 0), "N  ");
	m.s.flags = MIME_FLAG_SEEN | MIME_FLAG_FLAGGED | MIME_FLAG_ANSWERED;
	test_assert_str(fmt("[%Z]", 0), "[ !r]");
	m.tagged = 1;
	m.s.flags |= MIME_FLAG_DELETED;
	test_assert_str(fmt("[%Z][%S]", 0), "[D*r][D]");
	m.tagged = 0;
	m.s.flags = MIME_FLAG_RECENT;
	test_assert_str(fmt("%{%Y-%m-%d}", 0), "2026-02-15");
	test_assert_str(fmt("%d", 0), "15 Feb 2026");
	test_assert_str(fmt("%c %l %u %t %i", 0), "2.2K 42 ann bob@example.org x@y");
	test_assert_str(fmt("100%% %q", 0), "100% %q");
	test_end();
}

static void
test_sender(void)
{
	struct str out = STR_INIT;
	struct ui_format_ctx c = {&m, 1, me, NULL};

	test_begin("%F shows the recipient of your own mail");
	test_assert_str(fmt("%F", 0), "Ann Smith");
	m.s.from_addr = "me@example.org";
	ui_format_index(&out, "%F", &c, 0);
	test_assert_str(out.s, "To bob@example.org");
	str_free(&out);
	m.s.from_addr = "ann@example.org";
	m.s.from_name = "";
	test_assert_str(fmt("%n", 0), "ann@example.org");
	m.s.from_name = "Ann Smith";
	test_end();
}

static void
test_widths(void)
{
	test_begin("widths");
	test_assert_str(fmt("%-6.6n|", 0), "Ann Sm|");
	test_assert_str(fmt("%6.3n|", 0), "   Ann|");
	test_assert_str(fmt("%.20n|", 0), "Ann Smith|");
	/* Wide characters: exactly 5 columns, the straddling one padded. */
	m.s.from_name = "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e"; /* 山田太郎 */
	test_assert_str(fmt("%-5.5n|", 0), "\xe5\xb1\xb1\xe7\x94\xb0 |");
	test_assert_int(ui_width_str(fmt("%-5.5n", 0), strlen(fmt("%-5.5n", 0))), 5);
	/* Combining marks take no column. */
	m.s.from_name = "Rene\xcc\x81";
	test_assert_str(fmt("%-6.6n|", 0), "Rene\xcc\x81  |");
	m.s.from_name = "Ann Smith";
	test_end();
}

static void
test_padding(void)
{
	const char *s;

	test_begin("%> and %|");
	test_assert_str(fmt("%s%> %l", 20), "Hello"
	                                    "             "
	                                    "42");
	test_assert_str(fmt("%s%>.%l", 12), "Hello.....42");
	s = fmt("%s%|-", 10);
	test_assert_str(s, "Hello-----");
	/* The left part gives way to the right one. */
	m.s.subject = "A very long subject line";
	test_assert_str(fmt("%s%>  END", 12), "A very l END");
	m.s.subject = "Hello";
	/* Never wider than the screen. */
	test_assert_str(fmt("%n %n %n", 10), "Ann Smith ");
	test_end();
}

static void
test_conditional(void)
{
	test_begin("conditionals");
	test_assert_str(fmt("(%?l?%4l&%4c?)", 0), "(  42)");
	m.s.lines = 0;
	test_assert_str(fmt("(%?l?%4l&%4c?)", 0), "(2.2K)");
	test_assert_str(fmt("%?l?lines?", 0), "");
	m.s.lines = 42;
	test_assert_str(fmt("%?l?has %?c?size&none?&no?!", 0), "has size!");
	/* mutt's default index_format. */
	test_assert_str(fmt("%4C %Z %{%b %d} %-15.15L (%?l?%4l&%4c?) %s", 0),
	                "   7 N   Feb 15 Ann Smith       (  42) Hello");
	test_end();
}

static void
test_tree(void)
{
	test_begin("thread tree in %s");
	m.tree = "\xe2\x94\x94\xe2\x94\x80>";
	m.parent = 0;
	m.subject_changed = 0;
	test_assert_str(fmt("%s", 0), "\xe2\x94\x94\xe2\x94\x80>");
	m.subject_changed = 1;
	test_assert_str(fmt("%s", 0), "\xe2\x94\x94\xe2\x94\x80>Hello");
	m.tree = "";
	m.parent = UI_NONE;
	test_end();
}

static void
test_sizes(void)
{
	struct str s = STR_INIT;

	test_begin("sizes");
	ui_format_size(&s, 512);
	str_append(&s, " ");
	ui_format_size(&s, 1536);
	str_append(&s, " ");
	ui_format_size(&s, 34 * 1024);
	str_append(&s, " ");
	ui_format_size(&s, 5 * 1024 * 1024 + 600 * 1024);
	str_append(&s, " ");
	ui_format_size(&s, 50ull * 1024 * 1024);
	test_assert_str(s.s, "512 1.5K 34K 5.6M 50M");
	str_free(&s);
	test_end();
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	setlocale(LC_ALL, "C.UTF-8");
	ui_width_init();
	setup();
	test_basic();
	test_sender();
	test_widths();
	test_padding();
	test_conditional();
	test_tree();
	test_sizes();
	return test_done();
}
