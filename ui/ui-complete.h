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
 * UI thread.  Everything here is pure computation except the query
 * command: ui_complete_query() runs it and blocks for at most its
 * timeout (the unit tests use it); the TUI runs it with ui_query_start()
 * and reads its answer when the loop sees its output, so keys keep
 * working while it runs and Ctrl-G stops it.
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

/*
 * The same command started without waiting: a child process in a
 * process group of its own, its output on a pipe the caller polls
 * (ui_query_fd) along with the terminal.  *q_r is the caller's, freed
 * with ui_query_free().  Returns 0, or -1 with *err set.  Does not block.
 */
struct ui_query;
int ui_query_start(const char *cmd, const char *text, int timeout_ms, struct ui_query **q_r,
                   struct err *err);
/* The fd to poll for input; -1 once the output ended (then poll with
 * the timeout ui_query_ms_left gives, until ui_query_step is done). */
int ui_query_fd(const struct ui_query *q);
/* Ms until ui_query_step must be called even without output. */
int ui_query_ms_left(const struct ui_query *q);
/* The text looked up. */
const char *ui_query_text(const struct ui_query *q);
/*
 * Reads what the command wrote.  Returns 0 while it runs, 1 once it
 * ended and answered (its whole output appended to out), -1 with *err
 * set when it failed or ran past its timeout (it is then stopped).
 * Never blocks.
 */
int ui_query_step(struct ui_query *q, struct str *out, struct err *err);
/* Stops the command (its whole process group) if it still runs, waits
 * for it, and frees q; sets *q to NULL. */
void ui_query_free(struct ui_query **q);

#endif
