/*
 * ui-model-line: the line editor of prompts, without curses.
 *
 * A line of characters with a cursor, edited by the editor map's
 * functions (backspace, kill-word, bol...), with a history per kind of
 * prompt and file name completion.  ui_line_view() says which part of a
 * long line fits in the prompt's width with the cursor in sight.
 *
 * UI thread only; ui_complete_file reads directories.
 */
#ifndef UI_MODEL_LINE_H
#define UI_MODEL_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "ui/ui-keymap.h"
#include "ui/ui-util.h"

/* Entries kept in one history. */
#define UI_HISTORY_MAX 100

struct ui_history {
	struct ui_strv entries; /* oldest first */
};

/* Adds text as the newest entry (dropping an equal older one). */
void ui_history_add(struct ui_history *h, const char *text);
void ui_history_clear(struct ui_history *h);

struct ui_line {
	uint32_t *buf; /* code points */
	size_t len, cap;
	size_t cursor;           /* 0..len */
	struct ui_history *hist; /* may be NULL */
	size_t hist_pos;         /* entries.n while not browsing */
	char *saved;             /* the line being typed, while browsing */
};

/* Starts a line holding initial (UTF-8, may be NULL) with the cursor at
 * its end. */
void ui_line_init(struct ui_line *l, const char *initial, struct ui_history *hist);
void ui_line_clear(struct ui_line *l);
void ui_line_set_text(struct ui_line *l, const char *text);
/* The text as UTF-8; caller frees. */
char *ui_line_text(const struct ui_line *l);
/* The text before the cursor, UTF-8; caller frees. */
char *ui_line_text_before_cursor(const struct ui_line *l);

void ui_line_insert(struct ui_line *l, uint32_t cp);
/* Replaces the characters from..to (code point offsets, to exclusive)
 * with text (UTF-8) and puts the cursor after it. */
void ui_line_replace(struct ui_line *l, size_t from, size_t to, const char *text);
/* Applies an editor function; returns 1 when it changed something or
 * moved, 0 when it could not (the caller may beep), -1 for a function
 * that is not an editing one. */
int ui_line_edit(struct ui_line *l, enum ui_fn fn);

/*
 * The part to show in width columns: *first_r is the first character
 * shown and *cursor_col_r the cursor's column.  Keeps the cursor in view
 * with some context.
 */
void ui_line_view(const struct ui_line *l, size_t width, size_t *first_r, size_t *cursor_col_r);

/*
 * Completes the file name that the text before the cursor ends with (the
 * whole text before the cursor is taken as one name).  "~/" is the home
 * directory; a leading "+" or "=" is taken relative to folder_dir (may be
 * NULL).  The longest common extension is inserted, with "/" after a
 * single directory.  matches (may be NULL) gets the candidates' names.
 * Returns the number of candidates.
 */
size_t ui_complete_file(struct ui_line *l, const char *folder_dir, struct ui_strv *matches);

#endif
