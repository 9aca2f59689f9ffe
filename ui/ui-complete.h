/*
 * ui-complete: address completion for the prompts that take addresses
 * (To, Cc, Bcc, Reply-To, From), from the alias commands of the
 * configuration and from an external query command (query_command, as
 * mutt's: abook --mutt-query %s, lbdbq, khard email --parsable).
 *
 * The entry completed is the one the cursor ends: the text after the
 * last comma outside quotes and angle brackets.  Aliases whose name
 * starts with it (case-insensitively) match, each giving the addresses
 * it stands for; when no alias matches, the query command is run with
 * the entry and each line of its output after the first ("address TAB
 * name TAB anything") is a match.  The caller cycles through several
 * matches (ui-app-compose.c: Tab again puts the next one in).
 *
 * UI thread.  Everything here is pure computation except
 * ui_complete_query(), which runs the command and blocks for at most its
 * timeout.
 */
#ifndef UI_COMPLETE_H
#define UI_COMPLETE_H

#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"
#include "core/core.h"
#include "ui/ui-util.h"

/* How long a query command may run before it is killed. */
#define UI_COMPLETE_QUERY_TIMEOUT_MS 5000

/* The byte offset in text (the line before the cursor) where the entry
 * being typed starts: after the last top-level comma and the blanks
 * after it. */
size_t ui_complete_entry_start(const char *text);

/*
 * Appends to out, once each and in file order, the expansions of the
 * aliases among recs (config_records(): ALIAS and UNALIAS records, any
 * other kind is skipped) whose name starts with prefix; an alias defined
 * twice counts as its last definition, an unalias (or "unalias *")
 * removes what came before it.  An expansion is the alias's addresses
 * joined with ", ".  Returns the number appended.
 */
size_t ui_complete_aliases(const struct config_record *recs, size_t nrecs, const char *prefix,
                           struct ui_strv *out);

/*
 * Appends to out the matches in the output of a query command: the first
 * line is the command's message and is skipped; every later line is
 * "address TAB name [TAB anything]", and gives "name <address>" (the
 * name quoted when it needs it), or the bare address without a name.
 * Lines without an "@" in the address, or with control characters, are
 * skipped (the text goes to the terminal and into a header).  Returns
 * the number appended.
 */
size_t ui_complete_parse_query(const char *output, size_t len, struct ui_strv *out);

/*
 * Runs the query command cmd with "%s" replaced by text, shell-quoted
 * (and, without a "%s", text appended as one more word), its standard
 * input from /dev/null, and appends its standard output to out.  Blocks
 * at most timeout_ms.  Returns 0, or -1 with *err set (the command could
 * not run, failed, or was stopped at the timeout).
 */
int ui_complete_query(const char *cmd, const char *text, int timeout_ms, struct str *out,
                      struct err *err);

#endif
