/*
 * ui-mailcap: which program shows a MIME type (RFC 1524).
 *
 * Reads the mailcap files of mailcap_path ("type/subtype; command;
 * flags", # comments, backslash continuation lines, \; inside fields) and
 * finds the first entry for a type whose test= command succeeds.
 * Commands are built here and nowhere else: %s becomes the file name and
 * %t the type, each shell-quoted as one word; %{name} takes a parameter
 * the caller supplies, also quoted.  Nothing from a message is ever put
 * into a command unquoted, and the file name is one petrel made, never
 * the sender's.
 *
 * UI thread; loading reads files.
 */
#ifndef UI_MAILCAP_H
#define UI_MAILCAP_H

#include <stddef.h>

#include "base/base-str.h"
#include "ui/ui-util.h"

struct ui_mailcap_entry {
	char *type; /* lower case: "text/html"; "image" or image-slash-star: any image */
	char *command;
	char *test;         /* NULL when none */
	char *nametemplate; /* NULL when none */
	int needsterminal;
	int copiousoutput;
};

struct ui_mailcap {
	struct ui_mailcap_entry *v;
	size_t n;
};

/* Appends the entries of each existing file of a colon-separated list
 * (~/ is the home directory).  Missing files are skipped. */
void ui_mailcap_load_path(struct ui_mailcap *mc, const char *path_list);
/* Appends the entries of one file's text. */
void ui_mailcap_load_buffer(struct ui_mailcap *mc, const char *data, size_t len);
void ui_mailcap_clear(struct ui_mailcap *mc);

/* Runs a test command (already built); nonzero when it succeeded. */
typedef int ui_mailcap_test_fn(const char *command, void *ctx);
/* A parameter of the part for %{name}; NULL when it has none. */
typedef const char *ui_mailcap_param_fn(const char *name, void *ctx);

/*
 * The first entry for type (case ignored; "image" and image-slash-star match any
 * image) that wants copious output when copious is 1, wants a terminal
 * or not when copious is 0, or either when copious is -1, and whose test
 * passes (test NULL: tests are not run and entries with one are skipped).
 * file is the name %s stands for in tests.  NULL when none.
 */
const struct ui_mailcap_entry *ui_mailcap_find(const struct ui_mailcap *mc, const char *type,
                                               int copious, const char *file,
                                               ui_mailcap_test_fn *test, void *test_ctx);

/*
 * Appends cmd with %s, %t, %{name} and %% replaced (each value quoted as
 * one shell word; type and parameter values are first cut down to
 * letters, digits and "-+./_=").  Returns 1 when cmd uses %s (else the
 * caller gives the file on standard input).
 */
int ui_mailcap_expand(struct str *out, const char *cmd, const char *file, const char *type,
                      ui_mailcap_param_fn *param, void *param_ctx);

/* The suffix a temporary file should have for entry e ("" when none):
 * what nametemplate puts after %s, cut down to safe characters. */
void ui_mailcap_suffix(struct str *out, const struct ui_mailcap_entry *e);

#endif
