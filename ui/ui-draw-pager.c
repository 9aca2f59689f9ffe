/* The pager: header fields, body, quoting levels, signature, attachment
 * lines, search matches and the tildes past the end. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "ui/ui-curses.h"
#include "ui/ui-width.h"

/* Matches highlighted per line, at most. */
#define MATCHES_MAX 32

static enum ui_obj
object_of(const struct ui_pline *l)
{
	switch (l->kind) {
	case UI_PL_HEADER:
		return UI_OBJ_HDRDEFAULT;
	case UI_PL_QUOTED:
		return (enum ui_obj)(UI_OBJ_QUOTED + (l->level - 1 < UI_QUOTED_LEVELS
		                                          ? l->level - 1
		                                          : UI_QUOTED_LEVELS - 1));
	case UI_PL_SIGNATURE:
		return UI_OBJ_SIGNATURE;
	case UI_PL_ATTACH:
		return UI_OBJ_ATTACHMENT;
	default:
		return UI_OBJ_NORMAL;
	}
}

/* `color body FG BG REGEX`: the text each rule matches. */
static void
body_rules(struct ui_app *app, const struct ui_pline *l, int y, int x, int width)
{
	char *s = NULL;

	for (size_t k = 0; k < app->colors.nrules; k++) {
		const struct ui_color_rule *rule = &app->colors.rules[k];
		size_t off = 0;
		int guard = 0;

		if (rule->obj != UI_OBJ_BODY || !rule->have_re)
			continue;
		if (s == NULL)
			s = xstrndup(l->text, l->len);
		while (off < l->len && guard++ < MATCHES_MAX) {
			regmatch_t m;
			size_t col;
			attr_t a;
			short p;

			if (regexec(&rule->re, s + off, 1, &m, off > 0 ? REG_NOTBOL : 0) != 0 ||
			    m.rm_eo <= m.rm_so)
				break;
			col = ui_width_str(l->text, off + (size_t)m.rm_so);
			if (col >= (size_t)width)
				break;
			a = ui_draw_attr(&rule->style, &p);
			ui_draw_text(y, x + (int)col, l->text + off + m.rm_so,
			             (size_t)(m.rm_eo - m.rm_so), width - (int)col, a, p);
			off += (size_t)m.rm_eo;
		}
	}
	free(s);
}

void
ui_draw_pager(struct ui_app *app, struct ui_pager *pg, int top, int left, int rows, int cols)
{
	size_t starts[MATCHES_MAX], ends[MATCHES_MAX];
	attr_t a;
	short p;

	if (pg == NULL) {
		char buf[96] = "Reading the message...";

		/* A big text part comes in ranges: how far it is. */
		for (const struct ui_job *j = app->jobs; j != NULL; j = j->next)
			if (j->kind == UI_JOB_FETCH && j->purpose == UI_FETCH_SECTION &&
			    j->total > 0) {
				snprintf(buf, sizeof(buf), "Reading the message... (%s, %llu%%)",
				         j->label, (unsigned long long)(j->done * 100 / j->total));
				break;
			}
		ui_draw_obj(app, UI_OBJ_MESSAGE, &a, &p);
		ui_draw_text(top, left + 1, buf, strlen(buf), cols - 1, a, p);
		return;
	}
	if (pg->width != (size_t)cols)
		ui_pager_layout(pg, (size_t)(cols > 0 ? cols : 1));
	if (pg->height != (size_t)rows)
		ui_pager_set_height(pg, (size_t)rows);
	for (int r = 0; r < rows; r++) {
		size_t i = pg->top + (size_t)r, n;
		const struct ui_pline *l;
		int x = left, width = cols;

		if (i >= pg->nlines) {
			ui_draw_obj(app, UI_OBJ_TILDE, &a, &p);
			ui_draw_text(top + r, left, "~", 1, cols, a, p);
			continue;
		}
		l = &pg->lines[i];
		if (l->cont && width > 1) {
			ui_draw_obj(app, UI_OBJ_MARKERS, &a, &p);
			ui_draw_text(top + r, x, "+", 1, 1, a, p);
			x++;
			width--;
		}
		ui_draw_obj(app, object_of(l), &a, &p);
		ui_draw_text(top + r, x, l->text, l->len, width, a, p);
		if (l->kind == UI_PL_HEADER && l->name_len > 1) {
			char *name = xstrndup(l->text, l->name_len - 1);
			const struct ui_style *s = ui_colors_header(&app->colors, name);

			/* The field name stands out: a header rule's colour, else
			 * the header object's. */
			if (s == &app->colors.obj[UI_OBJ_HDRDEFAULT])
				s = &app->colors.obj[UI_OBJ_HEADER];
			a = ui_draw_attr(s, &p);
			ui_draw_text(top + r, x, l->text, l->name_len, width, a, p);
			free(name);
		}
		if (l->kind != UI_PL_HEADER && l->len > 0)
			body_rules(app, l, top + r, x, width);
		n = ui_pager_matches(pg, i, starts, ends, MATCHES_MAX);
		ui_draw_obj(app, UI_OBJ_SEARCH, &a, &p);
		for (size_t k = 0; k < n; k++) {
			size_t col = ui_width_str(l->text, starts[k]);

			if (col >= (size_t)width)
				break;
			ui_draw_text(top + r, x + (int)col, l->text + starts[k],
			             ends[k] - starts[k], width - (int)col, a, p);
		}
	}
}
