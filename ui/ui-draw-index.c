/* The message list and the sidebar. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "ui/ui-curses.h"
#include "ui/ui-format.h"
#include "ui/ui-width.h"

static void
centered_note(struct ui_app *app, int y, int left, int cols, const char *text)
{
	attr_t a;
	short p;

	ui_draw_obj(app, UI_OBJ_MESSAGE, &a, &p);
	ui_draw_text(y, left + 1, text, strlen(text), cols - 1, a, p);
}

void
ui_draw_index(struct ui_app *app, int top, int left, int rows, int cols)
{
	struct ui_index *idx = app->idx;
	struct ui_format_ctx fc;
	struct str line = STR_INIT;

	if (idx == NULL) {
		centered_note(app, top, left, cols,
		              app->loading ? "Opening the folder..."
		                           : "No folder is open: c opens one.");
		return;
	}
	if (idx->height != (size_t)rows)
		ui_index_set_height(idx, (size_t)rows);
	if (idx->nrows == 0) {
		centered_note(app, top, left, cols,
		              app->loading ? "Reading headers..."
		              : idx->limit != NULL
		                  ? "No message matches the limit (l ~A shows all)."
		                  : "The folder is empty.");
		return;
	}
	memset(&fc, 0, sizeof(fc));
	fc.is_me = ui_app_is_me;
	fc.me_ctx = app;
	for (int r = 0; r < rows; r++) {
		size_t row = idx->top + (size_t)r;
		struct ui_msg *m;
		int cursor;
		attr_t a;
		short p;

		if (row >= idx->nrows)
			break;
		m = ui_index_row_msg(idx, row);
		cursor = row == idx->cursor;
		str_reset(&line);
		if (m == NULL) {
			str_appendf(&line, "%4zu   ...", row + 1);
			ui_draw_obj(app, cursor ? UI_OBJ_INDICATOR : UI_OBJ_NORMAL, &a, &p);
			if (!cursor)
				a |= A_DIM;
			ui_draw_fill(top + r, left, cols, a, p);
			ui_draw_text(top + r, left, line.s, line.len, cols, a, p);
			continue;
		}
		fc.m = m;
		fc.number = row + 1;
		ui_format_index(&line, app->index_format, &fc, (size_t)cols);
		if (cursor)
			ui_draw_obj(app, UI_OBJ_INDICATOR, &a, &p);
		else
			a = ui_draw_attr(ui_colors_index(&app->colors, m), &p);
		ui_draw_fill(top + r, left, cols, a, p);
		ui_draw_text(top + r, left, line.s ? line.s : "", line.len, cols, a, p);
		if (!cursor && m->tree != NULL && *m->tree != '\0' && line.s != NULL) {
			const char *t = strstr(line.s, m->tree);

			if (t != NULL) {
				size_t x = ui_width_str(line.s, (size_t)(t - line.s));

				ui_draw_obj(app, UI_OBJ_TREE, &a, &p);
				if (x < (size_t)cols)
					ui_draw_text(top + r, left + (int)x, t, strlen(m->tree),
					             cols - (int)x, a, p);
			}
		}
	}
	str_free(&line);
}

void
ui_draw_sidebar(struct ui_app *app, int top, int rows, int width)
{
	size_t first = 0;
	attr_t a;
	short p;

	if (app->sidebar_cursor >= (size_t)rows)
		first = app->sidebar_cursor - (size_t)rows + 1;
	for (int r = 0; r < rows; r++) {
		size_t i = first + (size_t)r;
		const struct ui_folder_entry *e;
		struct str line = STR_INIT;
		int current;

		ui_draw_obj(app, UI_OBJ_SIDEBAR, &a, &p);
		ui_draw_fill(top + r, 0, width, a, p);
		if (i >= app->nmailboxes)
			continue;
		e = &app->mailboxes[i];
		current = app->folder != NULL && strcmp(app->folder, e->path) == 0;
		str_append(&line, current ? "*" : " ");
		str_append(&line, e->name);
		if (e->counted)
			str_appendf(&line, " %u", e->unseen);
		if (i == app->sidebar_cursor)
			ui_draw_obj(app, UI_OBJ_SIDEBAR_HIGHLIGHT, &a, &p);
		else if (current)
			a |= A_BOLD;
		ui_draw_fill(top + r, 0, width, a, p);
		ui_draw_text(top + r, 0, line.s, line.len, width, a, p);
		str_free(&line);
	}
	ui_draw_obj(app, UI_OBJ_NORMAL, &a, &p);
	for (int r = 0; r < rows; r++)
		ui_draw_text(top + r, width, ui_width_utf8() ? "\u2502" : "|",
		             ui_width_utf8() ? 3 : 1, 1, a, p);
}
