/*
 * cmd-table: the commands of mailx command mode, their abbreviations and
 * the kind of arguments each takes.
 *
 * A typed word names a command when it is the full name, or a prefix of
 * it at least as long as the command's shortest abbreviation (POSIX
 * lists them: "p[rint]", "fo[llowup]", "fold[er]"...); the first such
 * entry in table order wins.  The empty word is "next" (a bare message
 * number types that message).  Pure data: callable from any thread.
 */
#ifndef CMD_TABLE_H
#define CMD_TABLE_H

#include <stddef.h>

enum cmd_id {
	CMD_NEXT, CMD_ALIAS, CMD_ALTERNATES, CMD_CHDIR, CMD_COPY, CMD_COPY_AUTHOR,
	CMD_DELETE, CMD_DISCARD, CMD_DP, CMD_ECHO, CMD_EDIT, CMD_ELSE, CMD_ENDIF, CMD_EXIT,
	CMD_FILE, CMD_FOLDERS, CMD_FOLLOWUP, CMD_FOLLOWUP_ALL, CMD_FROM, CMD_HEADERS,
	CMD_HELP, CMD_HOLD, CMD_IF, CMD_LIST, CMD_MAIL, CMD_MBOX, CMD_PIPE,
	CMD_PRINT_ALL, CMD_PRINT, CMD_QUIT, CMD_REPLY_SENDER, CMD_REPLY_ALL, CMD_RETAIN,
	CMD_SAVE_AUTHOR, CMD_SAVE, CMD_SET, CMD_SHELL, CMD_SIZE, CMD_SOURCE, CMD_TOP,
	CMD_TOUCH, CMD_UNDELETE, CMD_UNSET, CMD_UNALIAS, CMD_UNIGNORE, CMD_UNRETAIN,
	CMD_VISUAL, CMD_WRITE, CMD_Z, CMD_SHELL_ESCAPE, CMD_NUMBER, CMD_MIMEVIEW,
	CMD_SAVEATTACHMENT, CMD_SHOWPART, CMD_VERSION, CMD_TAG,
	/* folders on a server (cmd-imap.c) */
	CMD_MKFOLDER, CMD_RMFOLDER, CMD_MVFOLDER, CMD_GETPART,
	CMD_ID_COUNT
};

enum cmd_args {
	CMD_ARGS_NONE,     /* nothing */
	CMD_ARGS_MSGLIST,  /* a message list (default: the current message) */
	CMD_ARGS_MSG,      /* one message (the first of a list) */
	CMD_ARGS_MSGFILE,  /* [msglist] file: the last word is the file */
	CMD_ARGS_MSGCMD,   /* [msglist] command: the last word is the command */
	CMD_ARGS_WORDS,    /* words, split and unquoted */
	CMD_ARGS_RAW,      /* the rest of the line as it is */
};

enum cmd_flag {
	CMD_F_FOLDER = 1 << 0,   /* needs an open folder */
	CMD_F_DELETED = 1 << 1,  /* the message list picks deleted messages */
};

struct cmd_def {
	const char *name;
	unsigned char minlen; /* shortest abbreviation */
	enum cmd_id id;
	enum cmd_args args;
	unsigned flags;
	const char *help;     /* one line for `help`, "ARGS  what it does" */
};

/* The command the word names, or NULL. */
const struct cmd_def *cmd_table_lookup(const char *word);
/* The whole table (for help and list), count in *n_r. */
const struct cmd_def *cmd_table_all(size_t *n_r);

#endif
