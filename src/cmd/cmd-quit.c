#include "config.h"

#include "cmd/cmd-msg.h"
#include "cmd/cmd-quit.h"

enum cmd_quit_fate
cmd_quit_fate(unsigned st, const struct cmd_quit_opts *o)
{
	if (st & CMD_MSG_DELETED)
		return CMD_QUIT_REMOVE;
	/* A message moved to mbox from mbox itself would be written twice. */
	if ((st & CMD_MSG_MBOX) && !o->is_mbox)
		return CMD_QUIT_MBOX;
	if ((st & CMD_MSG_SAVED) && !o->keepsave)
		return CMD_QUIT_REMOVE;
	if (st & CMD_MSG_PRESERVED)
		return CMD_QUIT_KEEP;
	if (o->system_mailbox && !o->hold && !o->is_mbox &&
	    (st & (CMD_MSG_TOUCHED | CMD_MSG_READ)))
		return CMD_QUIT_MBOX;
	return CMD_QUIT_KEEP;
}
