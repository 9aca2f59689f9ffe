/*
 * cmd-msg: what the mailx face knows of each message of the open folder.
 *
 * The states are mailx's own (POSIX "Message states"): they live only for
 * the session and decide at quit where each message ends (cmd-quit.h).
 * The strings are borrowed from the folder's summaries.  Plain data.
 */
#ifndef CMD_MSG_H
#define CMD_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum cmd_msg_state {
	CMD_MSG_NEW = 1 << 0,       /* arrived since the folder was last read */
	CMD_MSG_OLD_READ = 1 << 1,  /* already read when the folder was opened */
	CMD_MSG_READ = 1 << 2,      /* read (typed) in this session */
	CMD_MSG_DELETED = 1 << 3,
	CMD_MSG_SAVED = 1 << 4,     /* save/Save/write put it in another folder */
	CMD_MSG_PRESERVED = 1 << 5, /* hold/preserve: stays in the folder */
	CMD_MSG_TOUCHED = 1 << 6,   /* read, touched, saved...: counts as read at quit */
	CMD_MSG_MBOX = 1 << 7,      /* the mbox command: goes to mbox at quit */
	CMD_MSG_ANSWERED = 1 << 8,
	CMD_MSG_FLAGGED = 1 << 9,
};

struct cmd_msg {
	unsigned state;          /* enum cmd_msg_state bits */
	const char *from_addr;   /* never NULL ("" when unknown) */
	const char *from_name;   /* never NULL */
	const char *subject;     /* never NULL */
	time_t date;
	uint64_t size;
	uint32_t lines;
};

/* Read in any sense mailx means it (":r" in a message list). */
#define CMD_MSG_IS_READ(m) (((m)->state & (CMD_MSG_READ | CMD_MSG_OLD_READ)) != 0)

#endif
