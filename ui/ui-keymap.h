/*
 * ui-keymap: which key does what, screen by screen.
 *
 * Every action the TUI can take is a function with a name (mutt's names
 * where mutt has the function: next-entry, display-message...).  A map
 * binds key sequences to functions or to macros (sequences of keys and
 * function calls), one map per kind of screen; a screen looks in its own
 * map first and then in generic (the editor map, used by prompts, has no
 * fallback).
 *
 * Bindings come from keymap files (keymaps/default.keys, vim.keys,
 * installed in PETREL_PKGDATADIR/keymaps; format in petrel-keymaps(5))
 * and then from the bind and macro lines of the configuration, which
 * override them.  Binding a sequence removes the bindings of the same map
 * that it would hide or that would hide it (binding "dd" unbinds "d").
 *
 * UI thread only; nothing blocks except the file loading functions.
 */
#ifndef UI_KEYMAP_H
#define UI_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"
#include "ui/ui-keys.h"
#include "ui/ui-util.h"

enum ui_map {
	UI_MAP_GENERIC,
	UI_MAP_INDEX,
	UI_MAP_PAGER,
	UI_MAP_COMPOSE,
	UI_MAP_BROWSER,
	UI_MAP_ATTACH,
	UI_MAP_EDITOR,
	UI_MAP_COUNT
};

/* Which maps a function belongs in (bits of 1 << enum ui_map). */
#define UI_M(m) (1u << UI_MAP_##m)
#define UI_M_LIST (UI_M(GENERIC) | UI_M(INDEX) | UI_M(BROWSER) | UI_M(ATTACH) | UI_M(COMPOSE))
#define UI_M_MSG (UI_M(INDEX) | UI_M(PAGER))
#define UI_M_ALL (UI_M_LIST | UI_M(PAGER))

/* X(id, name, maps, description) */
#define UI_FUNCTIONS(X)                                                                            \
	X(NOOP, "noop", UI_M_ALL | UI_M(EDITOR), "do nothing (unbinds a key)")                     \
	X(NEXT_ENTRY, "next-entry", UI_M_ALL, "move to the next entry")                            \
	X(PREVIOUS_ENTRY, "previous-entry", UI_M_ALL, "move to the previous entry")                \
	X(FIRST_ENTRY, "first-entry", UI_M_ALL, "move to the first entry")                         \
	X(LAST_ENTRY, "last-entry", UI_M_ALL, "move to the last entry")                            \
	X(NEXT_PAGE, "next-page", UI_M_ALL, "move down one page")                                  \
	X(PREVIOUS_PAGE, "previous-page", UI_M_ALL, "move up one page")                            \
	X(HALF_DOWN, "half-down", UI_M_ALL, "move down half a page")                               \
	X(HALF_UP, "half-up", UI_M_ALL, "move up half a page")                                     \
	X(NEXT_LINE, "next-line", UI_M_ALL, "scroll down one line")                                \
	X(PREVIOUS_LINE, "previous-line", UI_M_ALL, "scroll up one line")                          \
	X(TOP, "top", UI_M(PAGER), "jump to the top of the message")                               \
	X(BOTTOM, "bottom", UI_M(PAGER), "jump to the bottom of the message")                      \
	X(JUMP, "jump", UI_M(INDEX) | UI_M(GENERIC), "jump to a message by its number")            \
	X(SEARCH, "search", UI_M_ALL, "search forwards")                                           \
	X(SEARCH_REVERSE, "search-reverse", UI_M_ALL, "search backwards")                          \
	X(SEARCH_NEXT, "search-next", UI_M_ALL, "repeat the last search")                          \
	X(SEARCH_OPPOSITE, "search-opposite", UI_M_ALL,                                            \
	  "repeat the last search in the other direction")                                         \
	X(HELP, "help", UI_M_ALL, "show the key bindings of this screen")                          \
	X(EXIT, "exit", UI_M_ALL, "leave this screen (the index: leave without saving)")           \
	X(QUIT, "quit", UI_M_ALL, "save changes and leave petrel")                                 \
	X(REDRAW, "redraw-screen", UI_M_ALL, "clear and redraw the screen")                        \
	X(SHELL_ESCAPE, "shell-escape", UI_M_ALL, "run a shell command")                           \
	X(CANCEL_JOB, "cancel-job", UI_M_ALL,                                                      \
	  "cancel the running job (loading, fetching, sending)")                                   \
	X(SELECT_ENTRY, "select-entry", UI_M_LIST, "open the selected entry")                      \
	X(TAG_ENTRY, "tag-entry", UI_M_LIST | UI_M(PAGER), "tag or untag the current entry")       \
	X(TAG_PREFIX, "tag-prefix", UI_M_MSG | UI_M(GENERIC),                                      \
	  "apply the next function to the tagged messages")                                        \
	X(DISPLAY_MESSAGE, "display-message", UI_M(INDEX), "show the message")                     \
	X(DELETE_MESSAGE, "delete-message", UI_M_MSG, "mark the message for deletion")             \
	X(UNDELETE_MESSAGE, "undelete-message", UI_M_MSG, "remove the deletion mark")              \
	X(DELETE_THREAD, "delete-thread", UI_M_MSG,                                                \
	  "mark every message of the thread for deletion")                                         \
	X(UNDELETE_THREAD, "undelete-thread", UI_M_MSG, "remove the deletion marks of the thread") \
	X(DELETE_PATTERN, "delete-pattern", UI_M(INDEX),                                           \
	  "mark messages matching a pattern for deletion")                                         \
	X(UNDELETE_PATTERN, "undelete-pattern", UI_M(INDEX),                                       \
	  "remove the deletion marks of messages matching a pattern")                              \
	X(FLAG_MESSAGE, "flag-message", UI_M_MSG, "flag or unflag the message (important)")        \
	X(TOGGLE_NEW, "toggle-new", UI_M_MSG, "mark the message read or unread")                   \
	X(TAG_THREAD, "tag-thread", UI_M(INDEX), "tag or untag the thread")                        \
	X(TAG_PATTERN, "tag-pattern", UI_M(INDEX), "tag messages matching a pattern")              \
	X(UNTAG_PATTERN, "untag-pattern", UI_M(INDEX), "untag messages matching a pattern")        \
	X(LIMIT, "limit", UI_M(INDEX), "show only messages matching a pattern (~A: all)")          \
	X(SORT_MAILBOX, "sort-mailbox", UI_M(INDEX), "choose the order of the list")               \
	X(SORT_REVERSE, "sort-reverse", UI_M(INDEX), "choose the order of the list, reversed")     \
	X(COLLAPSE_THREAD, "collapse-thread", UI_M(INDEX), "fold or unfold the current thread")    \
	X(COLLAPSE_ALL, "collapse-all", UI_M(INDEX), "fold or unfold every thread")                \
	X(NEXT_THREAD, "next-thread", UI_M_MSG, "move to the next thread")                         \
	X(PREVIOUS_THREAD, "previous-thread", UI_M_MSG, "move to the previous thread")             \
	X(NEXT_UNREAD, "next-unread", UI_M_MSG, "move to the next unread message")                 \
	X(PREVIOUS_UNREAD, "previous-unread", UI_M_MSG, "move to the previous unread message")     \
	X(NEXT_UNDELETED, "next-undeleted", UI_M_MSG, "move to the next message not deleted")      \
	X(PREVIOUS_UNDELETED, "previous-undeleted", UI_M_MSG,                                      \
	  "move to the previous message not deleted")                                              \
	X(MAIL, "mail", UI_M_MSG, "write a new message")                                           \
	X(REPLY, "reply", UI_M_MSG, "reply to the sender")                                         \
	X(GROUP_REPLY, "group-reply", UI_M_MSG, "reply to the sender and every recipient")         \
	X(LIST_REPLY, "list-reply", UI_M_MSG, "reply to the mailing list (List-Post)")             \
	X(FORWARD_MESSAGE, "forward-message", UI_M_MSG,                                            \
	  "forward the message (inline, or attached: mime_forward)")                               \
	X(RECALL_MESSAGE, "recall-message", UI_M_MSG, "go on writing a postponed message")         \
	X(FETCH_MAIL, "fetch-mail", UI_M_MSG, "fetch new mail from the POP3 servers (pop3_url)")   \
	X(SAVE_MESSAGE, "save-message", UI_M_MSG, "move the message to another folder")            \
	X(COPY_MESSAGE, "copy-message", UI_M_MSG, "copy the message to another folder")            \
	X(PIPE_MESSAGE, "pipe-message", UI_M_MSG, "send the message to a shell command")           \
	X(CHANGE_FOLDER, "change-folder", UI_M_MSG | UI_M(BROWSER), "open another folder")         \
	X(BROWSE_FOLDERS, "browse-folders", UI_M_MSG, "list the folders of the account")           \
	X(SYNC_MAILBOX, "sync-mailbox", UI_M_MSG,                                                  \
	  "write changes (flags, deletions) to the folder")                                        \
	X(VIEW_ATTACHMENTS, "view-attachments", UI_M_MSG, "list the parts of the message")         \
	X(TOGGLE_QUOTED, "toggle-quoted", UI_M(PAGER), "hide or show quoted text")                 \
	X(TOGGLE_WEED, "display-toggle-weed", UI_M(PAGER),                                         \
	  "show all header fields or the usual ones")                                              \
	X(SIDEBAR_TOGGLE, "sidebar-toggle", UI_M_MSG, "show or hide the sidebar")                  \
	X(SIDEBAR_NEXT, "sidebar-next", UI_M_MSG, "move the sidebar selection down")               \
	X(SIDEBAR_PREV, "sidebar-prev", UI_M_MSG, "move the sidebar selection up")                 \
	X(SIDEBAR_OPEN, "sidebar-open", UI_M_MSG, "open the folder selected in the sidebar")       \
	X(EDIT_FROM, "edit-from", UI_M(COMPOSE), "edit the From field")                            \
	X(EDIT_TO, "edit-to", UI_M(COMPOSE), "edit the To field")                                  \
	X(EDIT_CC, "edit-cc", UI_M(COMPOSE), "edit the Cc field")                                  \
	X(EDIT_BCC, "edit-bcc", UI_M(COMPOSE), "edit the Bcc field")                               \
	X(EDIT_SUBJECT, "edit-subject", UI_M(COMPOSE), "edit the subject")                         \
	X(EDIT_REPLY_TO, "edit-reply-to", UI_M(COMPOSE), "edit the Reply-To field")                \
	X(EDIT_FCC, "edit-fcc", UI_M(COMPOSE), "edit the folder a copy is saved to")               \
	X(EDIT_MESSAGE, "edit-message", UI_M(COMPOSE), "edit the message in the editor")           \
	X(ATTACH_FILE, "attach-file", UI_M(COMPOSE), "attach a file")                              \
	X(DETACH_FILE, "detach-file", UI_M(COMPOSE), "remove the selected attachment")             \
	X(SEND_MESSAGE, "send-message", UI_M(COMPOSE), "send the message")                         \
	X(POSTPONE_MESSAGE, "postpone-message", UI_M(COMPOSE), "keep the message in postponed")    \
	X(SAVE_ENTRY, "save-entry", UI_M(ATTACH), "save the attachment to a file")                 \
	X(PIPE_ENTRY, "pipe-entry", UI_M(ATTACH), "send the attachment to a shell command")        \
	X(VIEW_TEXT, "view-text", UI_M(ATTACH), "show the attachment as text")                     \
	X(BACKSPACE, "backspace", UI_M(EDITOR), "delete the character before the cursor")          \
	X(DELETE_CHAR, "delete-char", UI_M(EDITOR), "delete the character under the cursor")       \
	X(BACKWARD_CHAR, "backward-char", UI_M(EDITOR), "move the cursor left")                    \
	X(FORWARD_CHAR, "forward-char", UI_M(EDITOR), "move the cursor right")                     \
	X(BOL, "bol", UI_M(EDITOR), "move to the start of the line")                               \
	X(EOL, "eol", UI_M(EDITOR), "move to the end of the line")                                 \
	X(KILL_EOL, "kill-eol", UI_M(EDITOR), "delete to the end of the line")                     \
	X(KILL_LINE, "kill-line", UI_M(EDITOR), "delete the whole line")                           \
	X(KILL_WORD, "kill-word", UI_M(EDITOR), "delete the word before the cursor")               \
	X(COMPLETE, "complete", UI_M(EDITOR), "complete a file, folder or address")                \
	X(HISTORY_UP, "history-up", UI_M(EDITOR), "the previous entry of this prompt's history")   \
	X(HISTORY_DOWN, "history-down", UI_M(EDITOR), "the next entry of this prompt's history")   \
	X(ABORT, "abort", UI_M(EDITOR), "cancel the prompt")

#define UI_FN_ENUM(id, name, maps, doc) UI_FN_##id,
enum ui_fn { UI_FN_NONE = 0, UI_FUNCTIONS(UI_FN_ENUM) UI_FN_COUNT };
#undef UI_FN_ENUM

struct ui_fn_def {
	const char *name;
	unsigned maps; /* UI_M() bits */
	const char *doc;
};

/* The definition of fn (0 < fn < UI_FN_COUNT). */
const struct ui_fn_def *ui_fn_def(enum ui_fn fn);
/* The function named name, or -1. */
int ui_fn_lookup(const char *name);
/* "index", "pager"...; and back (-1 for an unknown name). */
const char *ui_map_name(enum ui_map map);
int ui_map_lookup(const char *name);

struct ui_binding {
	uint32_t keys[UI_KEYSEQ_MAX];
	size_t nkeys;
	enum ui_fn fn;          /* UI_FN_NONE for a macro */
	struct ui_input *macro; /* the macro's sequence (owned) */
	size_t nmacro;
	char *desc; /* the macro's description, or NULL (owned) */
};

struct ui_keymap;

struct ui_keymap *ui_keymap_new(void);
void ui_keymap_free(struct ui_keymap **km);

/*
 * Binds keys[0..n) in map to fn (UI_FN_NOOP unbinds in effect).  Fails
 * (ERR_USAGE) for a sequence longer than UI_KEYSEQ_MAX or a function
 * that has no meaning in the map.
 */
int ui_keymap_bind(struct ui_keymap *km, enum ui_map map, const uint32_t *keys, size_t n,
                   enum ui_fn fn, struct err *err);
/* Binds keys to a macro (items copied; desc may be NULL). */
int ui_keymap_macro(struct ui_keymap *km, enum ui_map map, const uint32_t *keys, size_t n,
                    const struct ui_input *items, size_t nitems, const char *desc, struct err *err);

/*
 * One bind or macro command as a keymap file or the configuration
 * writes it: args are the words after the command name (MAPS KEY
 * FUNCTION, or MAPS KEY SEQUENCE [DESCRIPTION]).  Fails with one sentence.
 */
int ui_keymap_command(struct ui_keymap *km, int is_macro, size_t argc, const char *const *argv,
                      struct err *err);

/*
 * Loads a keymap file (bind, macro and source lines).  Every bad line
 * adds "FILE:LINE: what is wrong" to errors and the others still apply.
 * Returns 0, or -1 when the file could not be read or had errors.
 * Blocks on file reads.
 */
int ui_keymap_load_file(struct ui_keymap *km, const char *path, struct ui_strv *errors);
/* The same for text in memory; name is used in messages and dir (may be
 * NULL) resolves relative source lines. */
int ui_keymap_load_buffer(struct ui_keymap *km, const char *name, const char *dir, const char *data,
                          size_t len, struct ui_strv *errors);

enum ui_km_result {
	UI_KM_NONE,   /* nothing bound to these keys */
	UI_KM_PREFIX, /* the keys start a longer binding: wait for more */
	UI_KM_MATCH,  /* *b_r is the binding */
};

/* Looks keys[0..n) up in map and then, but for the editor map, in
 * generic. */
enum ui_km_result ui_keymap_lookup(const struct ui_keymap *km, enum ui_map map,
                                   const uint32_t *keys, size_t n, const struct ui_binding **b_r);

/*
 * The bindings a screen using map answers to, in order: map's own, then
 * generic's that map does not hide.  *count_r gets their number; the
 * array (caller frees; entries belong to km) is valid until km changes.
 */
const struct ui_binding **ui_keymap_list(const struct ui_keymap *km, enum ui_map map,
                                         size_t *count_r);

/* The first key sequence bound to fn in map (or generic), written out
 * into out; 0 when none (out unchanged). */
int ui_keymap_key_for(const struct ui_keymap *km, enum ui_map map, enum ui_fn fn, struct str *out);

#endif
