/*
 * ui-width: UTF-8 text measured in terminal columns.
 *
 * All text inside the TUI is UTF-8 (core gives it sanitised).  What a cell
 * shows depends on the locale: in a UTF-8 locale a character is shown as
 * it is, with wcwidth()'s idea of its width (2 for CJK, 0 for combining
 * marks); in another locale a character the locale's charset cannot hold
 * is shown as '?', one column.  The drawing code and the models use the
 * same functions, so a cut or a wrap computed here is what the screen
 * shows.
 *
 * ui_width_init() reads the locale once at start-up (after setlocale);
 * everything else is pure and may be called from any thread.
 */
#ifndef UI_WIDTH_H
#define UI_WIDTH_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-str.h"

/* Shown for bytes that are not UTF-8 and for unprintable characters. */
#define UI_REPLACEMENT 0xFFFDu

/* Reads the locale: whether it is UTF-8.  Main thread, after setlocale. */
void ui_width_init(void);
/* 1 when the locale's charset is UTF-8. */
int ui_width_utf8(void);
/* Forces the mode, for tests. */
void ui_width_set_utf8(int utf8);

/*
 * Decodes the character at s[0..len) (len > 0): returns the bytes it
 * takes (at least 1) and its code point in *cp_r, UI_REPLACEMENT for a
 * byte that does not start valid UTF-8 (which then takes one byte).
 */
size_t ui_utf8_decode(const char *s, size_t len, uint32_t *cp_r);
/* Appends cp encoded as UTF-8 (UI_REPLACEMENT for an invalid value). */
void ui_utf8_encode(struct str *out, uint32_t cp);

/*
 * What the terminal shows for cp and how wide it is: *glyph_r is the
 * character to hand to the terminal (cp itself, or '?' / U+FFFD when the
 * locale cannot show it; a tab or a control character becomes one
 * column); returns 0, 1 or 2 columns.
 */
int ui_width_glyph(uint32_t cp, uint32_t *glyph_r);
/* Columns of one character as shown. */
int ui_width_cp(uint32_t cp);
/* Columns of s[0..len) as shown. */
size_t ui_width_str(const char *s, size_t len);

/*
 * The longest prefix of s[0..len) that fits in cols columns, in bytes;
 * zero-width characters after the last character that fits stay with it,
 * so a combining mark is never separated from its base.  *used_r (may be
 * NULL) gets the columns of the prefix.
 */
size_t ui_width_cut(const char *s, size_t len, size_t cols, size_t *used_r);

/*
 * Appends s[0..len) cut to at most max columns (max SIZE_MAX: no limit)
 * and then padded with `pad` to at least min columns, on the right
 * (left_align) or on the left, as printf's %-min.maxs does.  A wide
 * character that would straddle max is left out, and padding takes its
 * place when min asks for it.  Returns the columns appended.
 */
size_t ui_width_fit(struct str *out, const char *s, size_t len, size_t min, size_t max,
                    int left_align, char pad);

#endif
