/* The frame every screen shares: help line, status line, message line
 * and prompt, colours, and the text primitive. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "base/base-xalloc.h"
#include "ui/ui-curses.h"
#include "ui/ui-draw.h"
#include "ui/ui-format.h"
#include "ui/ui-width.h"

static int colors_on;
static struct {
	short fg, bg;
} pairs[256];
static int npairs;

void
ui_draw_colors_init(void)
{
	if (!has_colors() || start_color() == ERR)
		return;
	colors_on = 1;
	use_default_colors();
}

/* A colour the terminal has: bright ones fold onto the 8 basic colours
 * (the caller adds bold), others past the terminal's range drop. */
static short
usable(int c)
{
	if (c < 0)
		return -1;
	if (c >= 8 && c < 16 && COLORS < 16)
		return (short)(c - 8);
	if (c >= COLORS)
		return -1;
	return (short)c;
}

static short
pair_for(int fg, int bg)
{
	short f = usable(fg), b = usable(bg);

	if (!colors_on || (f < 0 && b < 0))
		return 0;
	for (int i = 1; i <= npairs; i++)
		if (pairs[i].fg == f && pairs[i].bg == b)
			return (short)i;
	if (npairs + 1 >= (int)(sizeof(pairs) / sizeof(pairs[0])) || npairs + 1 >= COLOR_PAIRS)
		return 0;
	npairs++;
	pairs[npairs].fg = f;
	pairs[npairs].bg = b;
	init_pair((short)npairs, f, b);
	return (short)npairs;
}

attr_t
ui_draw_attr(const struct ui_style *s, short *pair_r)
{
	attr_t a = A_NORMAL;

	if (s->attrs & UI_ATTR_BOLD)
		a |= A_BOLD;
	if (s->attrs & UI_ATTR_UNDERLINE)
		a |= A_UNDERLINE;
	if (s->attrs & UI_ATTR_REVERSE)
		a |= A_REVERSE;
	if (s->attrs & UI_ATTR_STANDOUT)
		a |= A_STANDOUT;
	if (s->attrs & UI_ATTR_DIM)
		a |= A_DIM;
	*pair_r = 0;
	if (colors_on) {
		if (s->fg >= 8 && s->fg < 16 && COLORS < 16)
			a |= A_BOLD;
		*pair_r = pair_for(s->fg, s->bg);
	}
	return a;
}

void
ui_draw_obj(const struct ui_app *app, enum ui_obj obj, attr_t *attr_r, short *pair_r)
{
	*attr_r = ui_draw_attr(&app->colors.obj[obj], pair_r);
}

static void
put_cell(const wchar_t *wc, attr_t attr, short pair)
{
	cchar_t cc;

	if (setcchar(&cc, wc, attr, pair, NULL) == OK)
		add_wch(&cc);
}

int
ui_draw_text(int y, int x, const char *s, size_t len, int cols, attr_t attr, short pair)
{
	int used = 0;
	size_t i = 0;

	if (cols <= 0 || y < 0 || x < 0)
		return 0;
	move(y, x);
	while (i < len) {
		wchar_t wc[CCHARW_MAX + 1];
		uint32_t cp, g;
		size_t n = ui_utf8_decode(s + i, len - i, &cp);
		int w = ui_width_glyph(cp, &g), nw = 0;

		i += n;
		if (w == 0)
			continue; /* a mark with nothing to sit on */
		if (used + w > cols)
			break;
		wc[nw++] = (wchar_t)g;
		while (i < len) {
			uint32_t cp2, g2;
			size_t n2 = ui_utf8_decode(s + i, len - i, &cp2);

			if (ui_width_glyph(cp2, &g2) != 0)
				break;
			if (nw < CCHARW_MAX - 1)
				wc[nw++] = (wchar_t)g2;
			i += n2;
		}
		wc[nw] = L'\0';
		put_cell(wc, attr, pair);
		used += w;
	}
	return used;
}

void
ui_draw_fill(int y, int x, int cols, attr_t attr, short pair)
{
	static const wchar_t blank[] = L" ";

	if (cols <= 0)
		return;
	move(y, x);
	for (int i = 0; i < cols; i++)
		put_cell(blank, attr, pair);
}

/* The help line: the keys of a few functions of the screen. */
struct help_key {
	enum ui_fn fn;
	const char *label;
};

static const struct help_key index_keys[] = {
    {UI_FN_QUIT, "Quit"},         {UI_FN_DELETE_MESSAGE, "Del"}, {UI_FN_UNDELETE_MESSAGE, "Undel"},
    {UI_FN_SAVE_MESSAGE, "Save"}, {UI_FN_MAIL, "Mail"},          {UI_FN_REPLY, "Reply"},
    {UI_FN_GROUP_REPLY, "Group"}, {UI_FN_HELP, "Help"},          {UI_FN_NONE, NULL}};
static const struct help_key pager_keys[] = {{UI_FN_EXIT, "Exit"},
                                             {UI_FN_PREVIOUS_UNDELETED, "Prev"},
                                             {UI_FN_NEXT_UNDELETED, "Next"},
                                             {UI_FN_SAVE_MESSAGE, "Save"},
                                             {UI_FN_REPLY, "Reply"},
                                             {UI_FN_GROUP_REPLY, "Group"},
                                             {UI_FN_VIEW_ATTACHMENTS, "Attach"},
                                             {UI_FN_HELP, "Help"},
                                             {UI_FN_NONE, NULL}};
static const struct help_key compose_keys[] = {
    {UI_FN_SEND_MESSAGE, "Send"}, {UI_FN_EXIT, "Abort"},
    {UI_FN_EDIT_TO, "To"},        {UI_FN_EDIT_CC, "Cc"},
    {UI_FN_EDIT_SUBJECT, "Subj"}, {UI_FN_ATTACH_FILE, "Attach"},
    {UI_FN_EDIT_MESSAGE, "Edit"}, {UI_FN_POSTPONE_MESSAGE, "Postpone"},
    {UI_FN_HELP, "Help"},         {UI_FN_NONE, NULL}};
static const struct help_key browser_keys[] = {{UI_FN_EXIT, "Exit"},
                                               {UI_FN_SELECT_ENTRY, "Open"},
                                               {UI_FN_CHANGE_FOLDER, "Folder"},
                                               {UI_FN_HELP, "Help"},
                                               {UI_FN_NONE, NULL}};
static const struct help_key attach_keys[] = {
    {UI_FN_EXIT, "Exit"},       {UI_FN_SELECT_ENTRY, "View"}, {UI_FN_SAVE_ENTRY, "Save"},
    {UI_FN_PIPE_ENTRY, "Pipe"}, {UI_FN_VIEW_TEXT, "Text"},    {UI_FN_HELP, "Help"},
    {UI_FN_NONE, NULL}};
static const struct help_key text_keys[] = {
    {UI_FN_EXIT, "Exit"}, {UI_FN_SEARCH, "Search"}, {UI_FN_NONE, NULL}};

static void
draw_helpline(struct ui_app *app, int y)
{
	const struct help_key *keys;
	struct str line = STR_INIT;
	enum ui_map map = ui_app_map(app);
	attr_t a;
	short p;

	switch (app->screen) {
	case UI_SCR_INDEX:
		keys = index_keys;
		break;
	case UI_SCR_PAGER:
		keys = pager_keys;
		break;
	case UI_SCR_COMPOSE:
		keys = compose_keys;
		break;
	case UI_SCR_BROWSER:
		keys = browser_keys;
		break;
	case UI_SCR_ATTACH:
		keys = attach_keys;
		break;
	default:
		keys = text_keys;
		break;
	}
	for (; keys->label != NULL; keys++) {
		struct str key = STR_INIT;

		if (ui_keymap_key_for(app->km, map, keys->fn, &key))
			str_appendf(&line, "%s:%s  ", key.s, keys->label);
		str_free(&key);
	}
	ui_draw_obj(app, UI_OBJ_STATUS, &a, &p);
	ui_draw_fill(y, 0, app->cols, a, p);
	ui_draw_text(y, 0, line.s ? line.s : "", line.len, app->cols, a, p);
	str_free(&line);
}

static const struct ui_job *
busy_job(const struct ui_app *app)
{
	for (const struct ui_job *j = app->jobs; j != NULL; j = j->next)
		if (j->kind != UI_JOB_FLAGS && j->kind != UI_JOB_HEADERS && j->label[0] != '\0')
			return j;
	return NULL;
}

/* The folder as the status line names it: "=name" under the folder
 * directory, "~/..." under the home directory; short: the last part. */
static const char *
folder_name(const struct ui_app *app, int short_form)
{
	static char buf[1024];
	const char *f = app->folder_shown, *home = getenv("HOME"), *slash;
	size_t n;

	if (f == NULL)
		return "(no folder)";
	if (short_form) {
		slash = strrchr(f, '/');
		return slash != NULL && slash[1] != '\0' ? slash + 1 : f;
	}
	n = app->folder_root != NULL ? strlen(app->folder_root) : 0;
	if (n > 0 && strncmp(f, app->folder_root, n) == 0 && f[n] == '/') {
		snprintf(buf, sizeof(buf), "=%s", f + n + 1);
		return buf;
	}
	n = home != NULL ? strlen(home) : 0;
	if (n > 1 && strncmp(f, home, n) == 0 && f[n] == '/') {
		snprintf(buf, sizeof(buf), "~%s", f + n);
		return buf;
	}
	return f;
}

static void
index_status(struct ui_app *app, struct str *left, struct str *right)
{
	const struct ui_index *idx = app->idx;
	const struct ui_job *j = busy_job(app);

	str_appendf(left, "-%c- petrel: %s ", app->read_only ? '%' : '-', folder_name(app, 0));
	if (idx != NULL) {
		str_appendf(left, "[Msgs:%zu", idx->count);
		if (idx->counts.new_ > 0)
			str_appendf(left, " New:%zu", idx->counts.new_);
		if (idx->counts.unread > idx->counts.new_)
			str_appendf(left, " Old:%zu", idx->counts.unread - idx->counts.new_);
		if (idx->counts.flagged > 0)
			str_appendf(left, " Flag:%zu", idx->counts.flagged);
		if (idx->counts.deleted > 0)
			str_appendf(left, " Del:%zu", idx->counts.deleted);
		if (idx->counts.tagged > 0)
			str_appendf(left, " Tag:%zu", idx->counts.tagged);
		str_appendf(left, "] (%s%s)", app->sort_reverse ? "reverse-" : "",
		            ui_sort_name(app->sort));
		if (idx->limit_text != NULL) {
			str_append(left, " Limit: ");
			str_append(left, idx->limit_text);
			str_appendf(left, " [%zu]", idx->nrows);
		}
	}
	str_append(left, " ");
	if (app->conn_state == CORE_CONN_RECONNECTING)
		str_append(right, " Reconnecting\u2026 ");
	else if (app->loading && idx != NULL && idx->count > 0)
		str_appendf(right, " Loading %zu/%zu (%zu%%) ", idx->counts.loaded, idx->count,
		            idx->counts.loaded * 100 / idx->count);
	else if (app->loading)
		str_append(right, " Opening... ");
	else if (j != NULL && j->total > 0)
		str_appendf(right, " %s %llu%% ", j->label,
		            (unsigned long long)(j->done * 100 / j->total));
	else if (j != NULL)
		str_appendf(right, " %s... ", j->label);
	else if (idx != NULL && idx->nrows > 0)
		str_appendf(
		    right, " (%zu%%) ",
		    idx->height >= idx->nrows ? 100 : (idx->top + idx->height) * 100 / idx->nrows);
}

static void
pager_position(struct str *right, const struct ui_pager *p)
{
	if (p == NULL)
		return;
	if (p->nlines <= p->height)
		str_append(right, " (all) ");
	else if (p->top == 0)
		str_append(right, " (top) ");
	else if (ui_pager_at_end(p))
		str_append(right, " (end) ");
	else
		str_appendf(right, " (%zu%%) ", (p->top + p->height) * 100 / p->nlines);
}

static void
draw_status(struct ui_app *app, int y)
{
	struct str left = STR_INIT, right = STR_INIT, line = STR_INIT;
	const struct ui_msg *m;
	attr_t a;
	short p;
	size_t rw, lw;

	switch (app->screen) {
	case UI_SCR_INDEX:
		index_status(app, &left, &right);
		if (ui_width_str(left.s, left.len) +
		        ui_width_str(right.s ? right.s : "", right.len) >
		    (size_t)app->cols) {
			/* Too wide: name the folder by its last part. */
			const char *full = folder_name(app, 0), *at = strstr(left.s, full);

			if (at != NULL) {
				struct str s = STR_INIT;

				str_append_len(&s, left.s, (size_t)(at - left.s));
				str_append(&s, folder_name(app, 1));
				str_append(&s, at + strlen(full));
				str_free(&left);
				left = s;
			}
		}
		break;
	case UI_SCR_PAGER:
		m = app->idx != NULL && app->msg_index < app->idx->count
		        ? &app->idx->msgs[app->msg_index]
		        : NULL;
		str_append(&left, "--- ");
		if (m != NULL && m->loaded)
			str_appendf(&left, "%s: %s ",
			            *m->s.from_name ? m->s.from_name : m->s.from_addr,
			            m->s.subject);
		if (app->pager == NULL)
			str_append(&right, " Reading the message... ");
		else
			pager_position(&right, app->pager);
		break;
	case UI_SCR_HELP:
		str_appendf(&left, "--- %s ", app->sub_title != NULL ? app->sub_title : "");
		pager_position(&right, app->sub);
		break;
	case UI_SCR_COMPOSE:
		str_appendf(&left, "--- petrel: Compose  [%zu bytes, %zu attachment%s] ",
		            app->draft.body.len, app->draft.attach.n,
		            app->draft.attach.n == 1 ? "" : "s");
		if (busy_job(app) != NULL)
			str_appendf(&right, " %s... ", busy_job(app)->label);
		break;
	case UI_SCR_BROWSER:
		str_appendf(&left, "--- petrel: Folders in %s [%zu] ",
		            app->folder_root != NULL ? app->folder_root : "?", app->nfolders);
		break;
	case UI_SCR_ATTACH:
		str_appendf(&left, "--- petrel: Parts [%zu] ", app->attach.count);
		/* A part being fetched on its own (IMAP). */
		if (busy_job(app) != NULL && busy_job(app)->total > 0)
			str_appendf(
			    &right, " %s %llu%% ", busy_job(app)->label,
			    (unsigned long long)(busy_job(app)->done * 100 / busy_job(app)->total));
		else if (busy_job(app) != NULL)
			str_appendf(&right, " %s... ", busy_job(app)->label);
		break;
	}
	ui_draw_obj(app, UI_OBJ_STATUS, &a, &p);
	ui_draw_fill(y, 0, app->cols, a, p);
	rw = ui_width_str(right.s ? right.s : "", right.len);
	lw = ui_width_str(left.s ? left.s : "", left.len);
	/* Left, dashes, then right; the left part gives way. */
	str_append_len(&line, left.s ? left.s : "", left.len);
	while (lw + rw < (size_t)app->cols) {
		str_append_char(&line, '-');
		lw++;
	}
	if (rw < (size_t)app->cols) {
		size_t used, cut = ui_width_cut(line.s, line.len, (size_t)app->cols - rw, &used);

		str_truncate(&line, cut);
		str_append_len(&line, right.s ? right.s : "", right.len);
	}
	ui_draw_text(y, 0, line.s ? line.s : "", line.len, app->cols, a, p);
	str_free(&left);
	str_free(&right);
	str_free(&line);
}

/* The bottom line: the prompt with its cursor, or the message. */
static void
draw_bottom(struct ui_app *app, int y)
{
	attr_t a;
	short p;

	if (app->prompt.active) {
		const struct ui_prompt *pr = &app->prompt;
		int lw, width;
		size_t first, col;
		char *text;

		ui_draw_obj(app, UI_OBJ_PROMPT, &a, &p);
		ui_draw_fill(y, 0, app->cols, a, p);
		lw = ui_draw_text(y, 0, pr->label, strlen(pr->label), app->cols - 1, a, p);
		width = app->cols - lw - 1;
		ui_line_view(&pr->line, width > 0 ? (size_t)width : 0, &first, &col);
		text = ui_line_text(&pr->line);
		if (pr->secret) {
			/* A password: nothing of it, not even its length. */
			free(text);
			move(y, lw < app->cols ? lw : app->cols - 1);
			curs_set(1);
			return;
		}
		{
			/* From the first character shown on. */
			struct ui_line tail;
			char *shown;

			ui_line_init(&tail, NULL, NULL);
			for (size_t i = first; i < pr->line.len; i++)
				ui_line_insert(&tail, pr->line.buf[i]);
			shown = ui_line_text(&tail);
			ui_draw_obj(app, UI_OBJ_NORMAL, &a, &p);
			ui_draw_text(y, lw, shown, strlen(shown), width, a, p);
			free(shown);
			ui_line_clear(&tail);
		}
		free(text);
		move(y, lw + (int)col < app->cols ? lw + (int)col : app->cols - 1);
		curs_set(1);
		return;
	}
	curs_set(0);
	if (app->message != NULL) {
		ui_draw_obj(app, app->message_error ? UI_OBJ_ERROR : UI_OBJ_MESSAGE, &a, &p);
		ui_draw_text(y, 0, app->message, strlen(app->message), app->cols, a, p);
	}
}

void
ui_draw(struct ui_app *app)
{
	int rows = app->rows, cols = app->cols, body = ui_app_body_rows(app);
	int sb = ui_app_sidebar_width(app), left = sb > 0 ? sb + 1 : 0;
	attr_t a;
	short p;

	ui_app_prepare_draw(app);
	if (app->clear) {
		clearok(curscr, TRUE);
		app->clear = 0;
	}
	ui_draw_obj(app, UI_OBJ_NORMAL, &a, &p);
	bkgdset((chtype)(' ' | a | (chtype)COLOR_PAIR(p)));
	erase();
	if (rows < 4) {
		draw_bottom(app, rows - 1);
		refresh();
		app->dirty = 0;
		return;
	}
	draw_helpline(app, 0);
	if (sb > 0)
		ui_draw_sidebar(app, 1, body, sb);
	switch (app->screen) {
	case UI_SCR_INDEX:
		ui_draw_index(app, 1, left, body, cols - left);
		break;
	case UI_SCR_PAGER:
		ui_draw_pager(app, app->pager, 1, left, body, cols - left);
		break;
	case UI_SCR_HELP:
		ui_draw_pager(app, app->sub, 1, 0, body, cols);
		break;
	case UI_SCR_COMPOSE:
		ui_draw_compose(app, 1, body, cols);
		break;
	case UI_SCR_BROWSER:
		ui_draw_browser(app, 1, body, cols);
		break;
	case UI_SCR_ATTACH:
		ui_draw_attach(app, 1, body, cols);
		break;
	}
	draw_status(app, rows - 2);
	if (app->prompt.active && app->prompt.note[0] != '\0') {
		/* What the prompt has to say (completion lists) covers the
		 * status line while it is open. */
		ui_draw_obj(app, UI_OBJ_MESSAGE, &a, &p);
		ui_draw_fill(rows - 2, 0, cols, a, p);
		ui_draw_text(rows - 2, 0, app->prompt.note, strlen(app->prompt.note), cols, a, p);
	}
	draw_bottom(app, rows - 1);
	refresh();
	app->dirty = 0;
}
