/*
 * ui-keys: the TUI's key codes and how key sequences are written.
 *
 * A key is a Unicode code point (what get_wch() returned for a typed
 * character: control keys are their control codes, Enter is '\n', Tab
 * '\t', Escape 0x1b) or one of the UI_KEY_* codes above Unicode for
 * function keys.  The loop translates curses' codes into these, so the
 * keymaps and the models never see curses.
 *
 * Written forms, as mutt writes them (names are case-insensitive):
 *   x           the character itself (any UTF-8 character)
 *   \Cx ^x      Ctrl-x            \e  Escape   \t Tab   \n \r Enter
 *   \\          backslash         \^  a caret
 *   <up> <down> <left> <right> <home> <end> <pageup> <pagedown>
 *   <insert> <delete> <backspace> <enter> <return> <tab> <backtab>
 *   <esc> <space> <f1>..<f63>
 * In macros, <name> may also name a function (<change-folder>), which
 * the sequence then calls directly.
 *
 * Pure functions; any thread.
 */
#ifndef UI_KEYS_H
#define UI_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"
#include "base/base-str.h"

enum ui_key {
	UI_KEY_BASE = 0x110000,
	UI_KEY_UP = UI_KEY_BASE,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_INSERT,
	UI_KEY_DELETE,
	UI_KEY_BACKSPACE,
	UI_KEY_BTAB,
	UI_KEY_F0, /* UI_KEY_F0 + n is Fn, n up to 63 */
	UI_KEY_LAST = UI_KEY_F0 + 63,
};

#define UI_KEY_ESC 0x1bu
#define UI_KEY_CTRL(c) ((uint32_t)((c)&0x1f))

/* Longest key sequence a binding may have. */
#define UI_KEYSEQ_MAX 8

/* One item of a parsed sequence: a key, or (fn > 0) a function call. */
struct ui_input {
	uint32_t key;
	int fn; /* enum ui_fn, 0 for a plain key */
};

/*
 * Parses a written sequence into items.  With allow_fn, <name> may name
 * a function (lookup gives its number, or -1); otherwise only keys are
 * allowed.  Fails with ERR_USAGE and a sentence naming the bad part.
 * *items_r is malloc'ed (caller frees), *n_r its length (never 0 on
 * success).
 */
typedef int ui_keys_fn_lookup(const char *name);
int ui_keys_parse(const char *text, ui_keys_fn_lookup *lookup, struct ui_input **items_r,
                  size_t *n_r, struct err *err);

/* Appends the written name of one key ("^G", "<Up>", "x", "<Space>"). */
void ui_keys_name(struct str *out, uint32_t key);

#endif
