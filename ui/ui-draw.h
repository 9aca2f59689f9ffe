/*
 * ui-draw: painting the app's state on the terminal (curses, in the
 * ui-draw*.c files).  The loop calls ui_draw() when the app says
 * something changed; curses sends only the cells that differ.
 *
 * UI thread only, with curses started.
 */
#ifndef UI_DRAW_H
#define UI_DRAW_H

struct ui_app;

/* Paints everything: help line, the screen, status line, message or
 * prompt, and leaves the cursor where it belongs. */
void ui_draw(struct ui_app *app);

#endif
