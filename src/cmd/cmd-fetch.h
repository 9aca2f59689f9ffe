/*
 * cmd-fetch: petrel --fetch ACCOUNT|URL [--delete], the mailx face's
 * door to core/core-fetch.h.
 *
 * Fetches new mail from the POP3 server of an account (its pop3_url) or
 * of a pop3:// or pop3s:// URL into the notmuch store, or with --to DIR
 * into the plain maildir DIR (a path, ~ or +name expanded as `file`
 * expands them), without notmuch.  Asks for the
 * password on the terminal when none is configured and standard input is
 * one; shows a progress line on standard error when it is a terminal;
 * says what it did in one line on standard output (nothing when there was
 * nothing new and standard output is not a terminal, for cron); errors
 * are one "petrel: ..." line each.  Main thread.
 */
#ifndef CMD_FETCH_H
#define CMD_FETCH_H

#include "cmd/cmd-session.h"

/* Returns the exit status: 0, or 1 after an error. */
int cmd_fetch_pop3(struct cmd_session *s);

#endif
