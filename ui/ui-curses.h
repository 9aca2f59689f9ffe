/*
 * ui-curses: the drawing helpers the ui-draw*.c files share.  With
 * ui-loop.c they are the only files that see curses (doc/ARCHITECTURE.md).
 *
 * Text reaches the screen only through ui_draw_text(), which takes UTF-8
 * (already sanitised by core), shows each character as ui-width.h says
 * (with its combining marks in the same cell, '?' for what the locale
 * cannot show) and never writes past the columns it is given.
 *
 * UI thread only.
 */
#ifndef UI_CURSES_H
#define UI_CURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include "ui/ui-app.h"
#include "ui/ui-color.h"

/* Sets up colour pairs once curses has started. */
void ui_draw_colors_init(void);
/* The curses attributes (pair included) for a style. */
attr_t ui_draw_attr(const struct ui_style *s, short *pair_r);
/* Attributes of an object, and of a style laid over a base one (the cursor
 * line over an index line). */
void ui_draw_obj(const struct ui_app *app, enum ui_obj obj, attr_t *attr_r, short *pair_r);

/*
 * Draws s[0..len) at (y, x) in at most cols columns with the given
 * attributes; returns the columns used.
 */
int ui_draw_text(int y, int x, const char *s, size_t len, int cols, attr_t attr, short pair);
/* Fills columns x..x+cols-1 of row y with blanks in attr. */
void ui_draw_fill(int y, int x, int cols, attr_t attr, short pair);

/* The screens. */
void ui_draw_index(struct ui_app *app, int top, int left, int rows, int cols);
void ui_draw_pager(struct ui_app *app, struct ui_pager *p, int top, int left, int rows, int cols);
void ui_draw_compose(struct ui_app *app, int top, int rows, int cols);
void ui_draw_browser(struct ui_app *app, int top, int rows, int cols);
void ui_draw_attach(struct ui_app *app, int top, int rows, int cols);
void ui_draw_sidebar(struct ui_app *app, int top, int rows, int width);

#endif
