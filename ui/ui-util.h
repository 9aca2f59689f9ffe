/*
 * ui-util: small helpers the TUI's models share: string vectors, shell
 * quoting and temporary files.
 *
 * Pure functions on memory except where a prototype says it touches the
 * file system; any thread, though the TUI only calls them from the UI
 * thread.
 */
#ifndef UI_UTIL_H
#define UI_UTIL_H

#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"

/* A growable array of owned strings. */
struct ui_strv {
	char **v;
	size_t n;
};

/* Appends a copy of s. */
void ui_strv_push(struct ui_strv *sv, const char *s);
/* Appends s, taking ownership. */
void ui_strv_take(struct ui_strv *sv, char *s);
/* Removes entry i (freeing it). */
void ui_strv_remove(struct ui_strv *sv, size_t i);
/* Frees every string and the array; the struct can be reused. */
void ui_strv_clear(struct ui_strv *sv);

/* Appends s quoted for /bin/sh: one single-quoted word whatever it
 * holds ('it'\''s'), so no byte of it is interpreted by the shell. */
void ui_shell_quote(struct str *out, const char *s);

/* The directory for temporary files: $TMPDIR when set, else /tmp. */
const char *ui_tmpdir(void);

/*
 * Creates a private temporary directory (mode 0700) named
 * TMPDIR/petrel-WHAT-XXXXXX; caller frees the path and removes the
 * directory with ui_rm_tree.  Blocks on the file system.
 */
char *ui_mkdtemp(const char *what, struct err *err);

/* Removes dir and the plain files in it (one level, as ui_mkdtemp's
 * directories hold).  Blocks on the file system. */
void ui_rm_tree(const char *dir);

/* Copies at most size-1 bytes of src, ASCII letters folded to lower
 * case; for comparing names case-insensitively. */
void ui_lower_copy(char *dst, size_t size, const char *src);

/* Appends url with the password of its user information left out
 * ("imaps://ann:secret@host/x" -> "imaps://ann@host/x"), for showing;
 * other text is appended as it is. */
void ui_url_redact(struct str *out, const char *url);

/* Strips "Re:", "Re[2]:", "Fwd:", "Fw:", "Aw:", "Sv:" prefixes (any case,
 * repeated) and leading blanks; returns a pointer into s. */
const char *ui_subject_base(const char *s);

#endif
