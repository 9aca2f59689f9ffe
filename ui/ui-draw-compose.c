/* The compose screen, the folder browser and the attachment list. */
#include "config.h"

#include <string.h>

#include "base/base-xalloc.h"
#include "ui/ui-curses.h"
#include "ui/ui-format.h"

static void
field(struct ui_app *app, int y, const char *label, const char *value, int cols)
{
	struct str s = STR_INIT;
	attr_t a;
	short p;

	str_appendf(&s, "%10s ", label);
	ui_draw_obj(app, UI_OBJ_HEADER, &a, &p);
	ui_draw_text(y, 0, s.s, s.len, cols, a, p);
	ui_draw_obj(app, UI_OBJ_NORMAL, &a, &p);
	str_reset(&s);
	/* Typed by the user, or taken from a message: shown safe. */
	core_folder_sanitize(&s, value, strlen(value), 0);
	ui_draw_text(y, 11, s.s ? s.s : "", s.len, cols - 11, a, p);
	str_free(&s);
}

/* The postponed messages to choose from (recall-message). */
static void
draw_recall(struct ui_app *app, int top, int rows, int cols)
{
	const struct ui_recall *r = &app->recall;
	attr_t a;
	short p;

	ui_draw_obj(app, UI_OBJ_ATTACHMENT, &a, &p);
	ui_draw_text(top, 0, "-- Postponed messages (Enter: go on with it, q: back)", 53, cols, a,
	             p);
	for (int i = 1; i < rows; i++) {
		size_t k = r->top + (size_t)(i - 1);
		struct str s = STR_INIT;

		if (k >= r->n)
			break;
		ui_recall_line(r, k, &s);
		ui_draw_obj(app, k == r->cursor ? UI_OBJ_INDICATOR : UI_OBJ_NORMAL, &a, &p);
		ui_draw_fill(top + i, 0, cols, a, p);
		ui_draw_text(top + i, 0, s.s ? s.s : "", s.len, cols, a, p);
		str_free(&s);
	}
}

void
ui_draw_compose(struct ui_app *app, int top, int rows, int cols)
{
	const struct ui_draft *d = &app->draft;
	int y = top, end = top + rows;
	attr_t a;
	short p;
	size_t lines = 0;
	const char *b;

	if (app->recalling) {
		draw_recall(app, top, rows, cols);
		return;
	}

	field(app, y++, "From:", d->from, cols);
	field(app, y++, "To:", d->to, cols);
	field(app, y++, "Cc:", d->cc, cols);
	field(app, y++, "Bcc:", d->bcc, cols);
	field(app, y++, "Subject:", d->subject, cols);
	field(app, y++, "Reply-To:", d->reply_to, cols);
	field(app, y++, "Fcc:", d->fcc, cols);
	y++;
	ui_draw_obj(app, UI_OBJ_ATTACHMENT, &a, &p);
	if (y < end)
		ui_draw_text(y++, 0, "-- Attachments", 14, cols, a, p);
	if (d->attach.n == 0 && y < end) {
		ui_draw_obj(app, UI_OBJ_MESSAGE, &a, &p);
		ui_draw_text(y++, 2, "(none: a attaches a file)", 25, cols - 2, a, p);
	}
	for (size_t i = 0; i < d->attach.n && y < end; i++, y++) {
		struct str s = STR_INIT;

		ui_draw_obj(app, i == app->compose_cursor ? UI_OBJ_INDICATOR : UI_OBJ_NORMAL, &a,
		            &p);
		ui_draw_fill(y, 0, cols, a, p);
		str_appendf(&s, "%3zu ", i + 1);
		core_folder_sanitize(&s, d->attach.v[i], strlen(d->attach.v[i]), 0);
		ui_draw_text(y, 0, s.s, s.len, cols, a, p);
		str_free(&s);
	}
	for (b = d->body.s ? d->body.s : ""; *b != '\0'; b++)
		lines += *b == '\n';
	y++;
	if (y < end) {
		struct str s = STR_INIT;

		str_appendf(&s, "-- Message: %zu lines (e edits it)", lines);
		ui_draw_obj(app, UI_OBJ_ATTACHMENT, &a, &p);
		ui_draw_text(y++, 0, s.s, s.len, cols, a, p);
		str_free(&s);
	}
	ui_draw_obj(app, UI_OBJ_NORMAL, &a, &p);
	for (b = d->body.s ? d->body.s : ""; *b != '\0' && y < end; y++) {
		size_t n = strcspn(b, "\n");
		struct str s = STR_INIT;

		core_folder_sanitize(&s, b, n, 0);
		ui_draw_text(y, 2, s.s ? s.s : "", s.len, cols - 2, a, p);
		str_free(&s);
		b += n;
		if (*b == '\n')
			b++;
	}
}

void
ui_draw_browser(struct ui_app *app, int top, int rows, int cols)
{
	attr_t a;
	short p;

	if (app->nfolders == 0) {
		ui_draw_obj(app, UI_OBJ_MESSAGE, &a, &p);
		ui_draw_text(top, 1, "No folders listed (yet).", 24, cols - 1, a, p);
		return;
	}
	for (int r = 0; r < rows; r++) {
		size_t i = app->browser_top + (size_t)r;
		const struct ui_folder_entry *e;
		struct str s = STR_INIT;

		if (i >= app->nfolders)
			break;
		e = &app->folders[i];
		str_appendf(&s, "%4zu %s%s", i + 1, e->name, e->noselect ? "/" : "");
		if (e->counted)
			str_appendf(&s, "  (%u messages, %u unread)", e->messages, e->unseen);
		ui_draw_obj(app, i == app->browser_cursor ? UI_OBJ_INDICATOR : UI_OBJ_NORMAL, &a,
		            &p);
		ui_draw_fill(top + r, 0, cols, a, p);
		ui_draw_text(top + r, 0, s.s, s.len, cols, a, p);
		str_free(&s);
	}
}

void
ui_draw_attach(struct ui_app *app, int top, int rows, int cols)
{
	const struct ui_attach_list *l = &app->attach;
	attr_t a;
	short p;

	for (int r = 0; r < rows; r++) {
		size_t i = l->top + (size_t)r;
		struct str s = STR_INIT;

		if (i >= l->count)
			break;
		ui_attach_line(&s, &l->parts[i]);
		ui_draw_obj(app,
		            i == l->cursor           ? UI_OBJ_INDICATOR
		            : l->parts[i].attachment ? UI_OBJ_ATTACHMENT
		                                     : UI_OBJ_NORMAL,
		            &a, &p);
		ui_draw_fill(top + r, 0, cols, a, p);
		ui_draw_text(top + r, 0, s.s, s.len, cols, a, p);
		str_free(&s);
	}
}
