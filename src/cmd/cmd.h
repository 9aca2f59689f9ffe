/*
 * cmd: the mail(1)/POSIX mailx face.
 *
 * Send mode (addresses on the command line: the body comes from standard
 * input) and receive mode (a header summary and command mode over a
 * folder, read from a terminal or from standard input as a script).  The
 * command line is parsed by cmd-opts.h; main() picks the face.
 */
#ifndef CMD_H
#define CMD_H

#include "cmd/cmd-opts.h"

/*
 * Runs the face for a parsed command line: loads the configuration
 * (system start-up file unless -n, MAILRC, petrel's config, -S), then
 * sends or reads mail.  Returns the process exit status: 0, or 1 after
 * one-line "petrel: ..." errors on standard error.  Main thread, before
 * any other thread exists; blocks until the user is done.
 */
int cmd_main(const struct cmd_opts *opts, enum cmd_face face);

#endif
