/*
 * ui-notify: telling the user about new mail outside the screen, the way
 * mutt's new_mail_command does.
 *
 * The command is a new_mail_command template expanded with the folder's
 * numbers (neomutt's status_format letters that make sense here), then
 * started in the background: petrel neither waits for it nor keeps its
 * output, so a slow notifier never holds up the screen.
 *
 * UI thread only; plain C, no curses.
 */
#ifndef UI_NOTIFY_H
#define UI_NOTIFY_H

#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"

struct ui_notify_info {
	const char *folder; /* as shown to the user (no password) */
	size_t new_;        /* messages that just arrived */
	size_t unread;      /* unread messages in the folder */
	size_t total;       /* messages in the folder */
};

/*
 * Appends the command template fmt to out with the expansions
 *   %n  new messages    %u  unread    %m  total    %f  the folder
 *   %%  a percent sign
 * %f is shell-quoted (a folder name comes from the disk or a server);
 * numbers need no quoting.  An unknown letter is copied as it is.
 * Pure.
 */
void ui_notify_expand(struct str *out, const char *fmt, const struct ui_notify_info *info);

/*
 * Starts cmd with /bin/sh in the background: standard input, output and
 * error on /dev/null, its own session (so terminal signals do not reach
 * it), default signal dispositions.  The command is started through an
 * intermediate child that exits at once, so nothing is left to reap.
 * Returns 0, or -1 with err set when it could not be started.  Blocks
 * only for the fork.
 */
int ui_notify_spawn(const char *cmd, struct err *err);

#endif
