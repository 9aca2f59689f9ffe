#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd-hdr.h"
#include "cmd/cmd-quit.h"
#include "test-common.h"

static const char *
line(const struct cmd_msg *m, size_t num, int cur, size_t width, int show_name)
{
	static char out[512];
	struct str s = STR_INIT;

	cmd_hdr_line(&s, m, num, cur, width, show_name);
	snprintf(out, sizeof(out), "%s", str_cstr(&s));
	str_free(&s);
	return out;
}

static const char *
fit(const char *s, size_t cols, int pad)
{
	static char out[512];
	struct str o = STR_INIT;

	cmd_hdr_fit(&o, s, cols, pad);
	snprintf(out, sizeof(out), "%s", str_cstr(&o));
	str_free(&o);
	return out;
}

int
main(void)
{
	struct cmd_msg m = {CMD_MSG_NEW, "alice@example.org", "Alice", "Lunch?", 1736154900,
			    431, 12};
	struct cmd_quit_opts sys = {1, 0, 0, 0}, other = {0, 0, 0, 0};

	setenv("TZ", "UTC", 1);
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "C.utf8");

	test_begin("status letters");
	test_assert_int(cmd_hdr_status(CMD_MSG_NEW), 'N');
	test_assert_int(cmd_hdr_status(0), 'U');
	test_assert_int(cmd_hdr_status(CMD_MSG_OLD_READ), 'O');
	test_assert_int(cmd_hdr_status(CMD_MSG_NEW | CMD_MSG_READ), 'R');
	test_assert_int(cmd_hdr_status(CMD_MSG_READ | CMD_MSG_DELETED), 'D');
	test_assert_int(cmd_hdr_status(CMD_MSG_READ | CMD_MSG_SAVED), '*');
	test_assert_int(cmd_hdr_status(CMD_MSG_PRESERVED), 'P');
	test_assert_int(cmd_hdr_status(CMD_MSG_MBOX | CMD_MSG_READ), 'M');
	test_end();

	test_begin("summary lines");
	test_assert_str(line(&m, 1, 1, 80, 0),
			">N  1 alice@example.org     Mon Jan  6 09:15   12/431    Lunch?");
	test_assert_str(line(&m, 12, 0, 80, 1),
			" N 12 Alice                 Mon Jan  6 09:15   12/431    Lunch?");
	test_assert_str(line(&m, 1, 0, 30, 0), " N  1 alice@example.org     Mo");
	/* A listing appends line after line to one buffer: what is there
	 * stays, even when a narrow terminal cuts the line. */
	{
		struct str s = STR_INIT;

		str_append(&s, "earlier\n");
		cmd_hdr_line(&s, &m, 1, 0, 30, 0);
		str_append_char(&s, '\n');
		cmd_hdr_line(&s, &m, 2, 1, 12, 1);
		test_assert_str(str_cstr(&s), "earlier\n N  1 alice@example.org     Mo\n>N  2 Alice ");
		str_free(&s);
	}
	m.subject = "\x1b[31mred\x07";
	test_assert_str(line(&m, 1, 0, 80, 0),
			" N  1 alice@example.org     Mon Jan  6 09:15   12/431    ^[[31mred^G");
	m.subject = "abcdefghijklmnopqrstuvwxyz";
	test_assert_str(line(&m, 1, 0, 70, 0),
			" N  1 alice@example.org     Mon Jan  6 09:15   12/431    abcdefghijklm");
	m.date = 0;
	m.from_addr = "";
	m.from_name = "";
	m.subject = "";
	test_assert_str(line(&m, 3, 0, 80, 0), " N  3                                          12/431    ");
	test_end();

	test_begin("fitting text to columns");
	test_assert_str(fit("héllo", 3, 0), "hél");
	test_assert_str(fit("日本語", 5, 1), "日本 ");
	test_assert_str(fit("a\tb\nc", 10, 0), "a b c");
	test_assert_str(fit("\xff\xfe", 10, 0), "??");
	test_assert_str(fit("\xc2\x9b" "x", 10, 0), "?x");
	test_assert_str(fit("\x7f", 10, 0), "^?");
	test_assert_str(fit(NULL, 2, 1), "  ");
	test_end();

	test_begin("safe text keeps lines");
	{
		struct str o = STR_INIT;

		cmd_hdr_safe(&o, "a\x1b]0;x\x07\nb\tc", 11);
		test_assert_str(str_cstr(&o), "a^[]0;x^G\nb\tc");
		str_free(&o);
	}
	test_end();

	test_begin("quit semantics");
	test_assert_int(cmd_quit_fate(CMD_MSG_NEW, &sys), CMD_QUIT_KEEP);
	test_assert_int(cmd_quit_fate(CMD_MSG_OLD_READ, &sys), CMD_QUIT_KEEP);
	test_assert_int(cmd_quit_fate(CMD_MSG_READ | CMD_MSG_TOUCHED, &sys), CMD_QUIT_MBOX);
	test_assert_int(cmd_quit_fate(CMD_MSG_TOUCHED, &sys), CMD_QUIT_MBOX);
	test_assert_int(cmd_quit_fate(CMD_MSG_READ | CMD_MSG_TOUCHED, &other), CMD_QUIT_KEEP);
	test_assert_int(cmd_quit_fate(CMD_MSG_READ | CMD_MSG_DELETED, &sys), CMD_QUIT_REMOVE);
	test_assert_int(cmd_quit_fate(CMD_MSG_READ | CMD_MSG_PRESERVED, &sys), CMD_QUIT_KEEP);
	test_assert_int(cmd_quit_fate(CMD_MSG_SAVED | CMD_MSG_TOUCHED, &sys), CMD_QUIT_REMOVE);
	test_assert_int(cmd_quit_fate(CMD_MSG_SAVED | CMD_MSG_TOUCHED, &other), CMD_QUIT_REMOVE);
	test_assert_int(cmd_quit_fate(CMD_MSG_MBOX | CMD_MSG_TOUCHED, &other), CMD_QUIT_MBOX);
	sys.hold = 1;
	test_assert_int(cmd_quit_fate(CMD_MSG_READ | CMD_MSG_TOUCHED, &sys), CMD_QUIT_KEEP);
	test_assert_int(cmd_quit_fate(CMD_MSG_MBOX | CMD_MSG_TOUCHED, &sys), CMD_QUIT_MBOX);
	sys.hold = 0;
	sys.keepsave = 1;
	test_assert_int(cmd_quit_fate(CMD_MSG_SAVED | CMD_MSG_TOUCHED, &sys), CMD_QUIT_MBOX);
	other.keepsave = 1;
	test_assert_int(cmd_quit_fate(CMD_MSG_SAVED | CMD_MSG_TOUCHED, &other), CMD_QUIT_KEEP);
	other.is_mbox = 1;
	test_assert_int(cmd_quit_fate(CMD_MSG_MBOX | CMD_MSG_TOUCHED, &other), CMD_QUIT_KEEP);
	test_end();
	return test_done();
}
