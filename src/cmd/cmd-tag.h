/*
 * cmd-tag: the notmuch store in the mailx face: the `tag` command and
 * `petrel --init-store`.
 *
 *   tag +TAG|-TAG... [msglist]
 *
 * adds and removes tags on the listed messages (the current one by
 * default) at once, as `notmuch tag` does: `exit` does not undo it.
 * Main thread, like every command.
 */
#ifndef CMD_TAG_H
#define CMD_TAG_H

#include "cmd/cmd-session.h"

cmd_handler_fn cmd_do_tag;

/* --init-store: creates the store when missing and says where it is on
 * standard output.  Returns the exit status. */
int cmd_init_store(struct cmd_session *s);

#endif
