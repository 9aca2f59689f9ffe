/*
 * cmd-imap: the mailx face's commands for folders on a server, and what
 * the face lends the workers for them.
 *
 *   mkfolder folder...                    creates folders (and subscribes)
 *   rmfolder folder...                    removes folders (and unsubscribes)
 *   mvfolder folder newname               renames a folder
 *   getpart message                       lists the message's parts as the
 *                                         server describes them (BODYSTRUCTURE),
 *                                         without fetching the message
 *   getpart [-f] message part [file]      fetches one MIME part alone from the
 *                                         server, in pieces, and saves it
 *                                         decoded; SIGINT stops it after the
 *                                         piece under way, saving nothing
 *
 * Folder names are expanded as `file` expands them (+name is in folder).
 * cmd_imap_setup() gives the workers a password prompt on the terminal
 * (when there is one) and shows the progress of long jobs on standard
 * error when it is a terminal.  Main thread, like every command.
 */
#ifndef CMD_IMAP_H
#define CMD_IMAP_H

#include "cmd/cmd-session.h"

cmd_handler_fn cmd_do_mkfolder, cmd_do_rmfolder, cmd_do_mvfolder, cmd_do_getpart;

/* Appends a folder name as shown to the user: a URL without its password,
 * everything made safe for the terminal.  Sets *url_r (may be NULL) to
 * whether it is a URL. */
void cmd_imap_shown(struct str *out, const char *name, int *url_r);

/* Once at start-up, before any folder opens. */
void cmd_imap_setup(struct cmd_session *s);

#endif
