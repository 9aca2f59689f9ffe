/*
 * cmd-quit: where each message goes when mailx command mode ends with
 * `quit` (POSIX mailx "quit", BSD mail's quit()).
 *
 * Deleted messages go away.  Saved ones go away too unless `keepsave` is
 * set.  In the system mailbox, a message that was read (or touched) goes
 * to the mbox file unless `hold` is set or it was preserved; elsewhere
 * only messages given to the `mbox` command go there.  Everything else
 * stays.  `exit` skips all of this.  Pure computation.
 */
#ifndef CMD_QUIT_H
#define CMD_QUIT_H

#include <stddef.h>

enum cmd_quit_fate {
	CMD_QUIT_KEEP,   /* stays in the folder */
	CMD_QUIT_REMOVE, /* removed from the folder */
	CMD_QUIT_MBOX,   /* appended to the mbox file, then removed from the folder */
};

struct cmd_quit_opts {
	int system_mailbox; /* the folder is the user's system mailbox */
	int is_mbox;        /* the folder is the mbox file itself */
	int hold;           /* the hold variable */
	int keepsave;       /* the keepsave variable */
};

/* The fate of a message with the given enum cmd_msg_state bits. */
enum cmd_quit_fate cmd_quit_fate(unsigned state, const struct cmd_quit_opts *opts);

#endif
