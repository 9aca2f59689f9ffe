/* The prompt's line editor: editing functions, history, the visible part
 * of a long line and file name completion. */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test-common.h"
#include "ui/ui-model-line.h"
#include "ui/ui-width.h"

static const char *
text(const struct ui_line *l)
{
	static char *last;

	free(last);
	last = ui_line_text(l);
	return last;
}

static void
type(struct ui_line *l, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		uint32_t cp;

		i += ui_utf8_decode(s + i, len - i, &cp);
		ui_line_insert(l, cp);
	}
}

static void
test_editing(void)
{
	struct ui_line l;

	test_begin("editing");
	ui_line_init(&l, "hello", NULL);
	test_assert_int(l.cursor, 5);
	type(&l, " w\xc3\xb6rld");
	test_assert_str(text(&l), "hello w\xc3\xb6rld");
	test_assert_int(ui_line_edit(&l, UI_FN_BACKSPACE), 1);
	test_assert_str(text(&l), "hello w\xc3\xb6rl");
	ui_line_edit(&l, UI_FN_BOL);
	test_assert_int(ui_line_edit(&l, UI_FN_BACKSPACE), 0);
	ui_line_edit(&l, UI_FN_DELETE_CHAR);
	test_assert_str(text(&l), "ello w\xc3\xb6rl");
	ui_line_edit(&l, UI_FN_FORWARD_CHAR);
	ui_line_edit(&l, UI_FN_FORWARD_CHAR);
	ui_line_edit(&l, UI_FN_KILL_EOL);
	test_assert_str(text(&l), "el");
	ui_line_edit(&l, UI_FN_BACKWARD_CHAR);
	type(&l, "X");
	test_assert_str(text(&l), "eXl");
	ui_line_edit(&l, UI_FN_EOL);
	type(&l, " two words");
	ui_line_edit(&l, UI_FN_KILL_WORD);
	test_assert_str(text(&l), "eXl two ");
	ui_line_edit(&l, UI_FN_KILL_WORD);
	test_assert_str(text(&l), "eXl ");
	ui_line_set_text(&l, "/usr/local/bin");
	ui_line_edit(&l, UI_FN_KILL_WORD);
	test_assert_str(text(&l), "/usr/local/");
	ui_line_edit(&l, UI_FN_KILL_LINE);
	test_assert_str(text(&l), "");
	test_assert_int(ui_line_edit(&l, UI_FN_REPLY), -1);
	ui_line_clear(&l);
	test_end();
}

static void
test_history(void)
{
	struct ui_history h = {{NULL, 0}};
	struct ui_line l;

	test_begin("history");
	ui_history_add(&h, "first");
	ui_history_add(&h, "second");
	ui_history_add(&h, "first");
	ui_history_add(&h, "");
	test_assert_int(h.entries.n, 2);
	ui_line_init(&l, "typing", &h);
	test_assert_int(ui_line_edit(&l, UI_FN_HISTORY_UP), 1);
	test_assert_str(text(&l), "first");
	ui_line_edit(&l, UI_FN_HISTORY_UP);
	test_assert_str(text(&l), "second");
	test_assert_int(ui_line_edit(&l, UI_FN_HISTORY_UP), 0);
	ui_line_edit(&l, UI_FN_HISTORY_DOWN);
	ui_line_edit(&l, UI_FN_HISTORY_DOWN);
	test_assert_str(text(&l), "typing");
	test_assert_int(ui_line_edit(&l, UI_FN_HISTORY_DOWN), 0);
	ui_line_clear(&l);
	for (int i = 0; i < UI_HISTORY_MAX + 10; i++) {
		char b[16];

		snprintf(b, sizeof(b), "e%d", i);
		ui_history_add(&h, b);
	}
	test_assert_int(h.entries.n, UI_HISTORY_MAX);
	ui_history_clear(&h);
	test_end();
}

static void
test_view(void)
{
	struct ui_line l;
	size_t first, col;

	test_begin("the visible part");
	ui_line_init(&l, "abc", NULL);
	ui_line_view(&l, 10, &first, &col);
	test_assert_int(first, 0);
	test_assert_int(col, 3);
	ui_line_set_text(&l, "0123456789012345678901234567890123456789");
	ui_line_view(&l, 10, &first, &col);
	test_assert(col < 10);
	test_assert_int(first + col, 40);
	/* Wide characters count two columns. */
	ui_line_set_text(
	    &l, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
	ui_line_view(&l, 8, &first, &col);
	test_assert(col < 8);
	test_assert_int(col % 2, 0);
	ui_line_clear(&l);
	test_end();
}

static void
touch(const char *dir, const char *name)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT, 0600);
	close(fd);
}

static void
test_complete(void)
{
	const char *d = test_tmpdir();
	struct ui_strv m = {NULL, 0};
	struct ui_line l;
	char buf[512], sub[512];

	test_begin("completion");
	touch(d, "report-2025.txt");
	touch(d, "report-2026.txt");
	snprintf(sub, sizeof(sub), "%s/inbox", d);
	mkdir(sub, 0700);
	snprintf(buf, sizeof(buf), "%s/rep", d);
	ui_line_init(&l, buf, NULL);
	test_assert_int(ui_complete_file(&l, NULL, &m), 2);
	snprintf(buf, sizeof(buf), "%s/report-202", d);
	test_assert_str(text(&l), buf);
	test_assert_int(m.n, 2);
	ui_strv_clear(&m);
	snprintf(buf, sizeof(buf), "%s/in", d);
	ui_line_set_text(&l, buf);
	test_assert_int(ui_complete_file(&l, NULL, NULL), 1);
	snprintf(buf, sizeof(buf), "%s/inbox/", d);
	test_assert_str(text(&l), buf);
	/* + and = are the folder directory. */
	ui_line_set_text(&l, "+inb");
	test_assert_int(ui_complete_file(&l, d, NULL), 1);
	test_assert_str(text(&l), "+inbox/");
	ui_line_set_text(&l, "=nothing");
	test_assert_int(ui_complete_file(&l, d, NULL), 0);
	test_assert_str(text(&l), "=nothing");
	ui_line_clear(&l);
	test_end();
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	ui_width_init();
	test_editing();
	test_history();
	test_view();
	test_complete();
	return test_done();
}
