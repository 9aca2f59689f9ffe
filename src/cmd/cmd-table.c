#include "config.h"

#include <string.h>

#include "cmd/cmd-table.h"

#define F CMD_F_FOLDER
#define L CMD_ARGS_MSGLIST
#define M CMD_ARGS_MSG
#define W CMD_ARGS_WORDS

/* Order matters: for a word that is a prefix of several names, the first
 * entry whose shortest abbreviation it reaches wins ("re" is reply,
 * "fol" is followup, "fold" is folder), as POSIX lists them. */
static const struct cmd_def table[] = {
	{"next", 1, CMD_NEXT, M, F, "[message]  go to and type the next message"},
	{"alias", 1, CMD_ALIAS, W, 0, "[name [address...]]  define or show aliases"},
	{"alternates", 3, CMD_ALTERNATES, W, 0, "name...  other addresses that are you"},
	{"chdir", 2, CMD_CHDIR, W, 0, "[directory]  change directory"},
	{"cd", 2, CMD_CHDIR, W, 0, "[directory]  change directory"},
	{"copy", 1, CMD_COPY, CMD_ARGS_MSGFILE, F, "[msglist] file  copy to a folder"},
	{"Copy", 1, CMD_COPY_AUTHOR, L, F, "[msglist]  copy to a folder named after the author"},
	{"delete", 1, CMD_DELETE, L, F, "[msglist]  delete messages"},
	{"discard", 2, CMD_DISCARD, W, 0, "[field...]  do not show these header fields"},
	{"dp", 2, CMD_DP, L, F, "[msglist]  delete, then type the next message"},
	{"dt", 2, CMD_DP, L, F, "[msglist]  delete, then type the next message"},
	{"echo", 2, CMD_ECHO, W, 0, "string...  print the strings"},
	{"edit", 1, CMD_EDIT, L, F, "[msglist]  edit messages with $EDITOR"},
	{"else", 2, CMD_ELSE, CMD_ARGS_NONE, 0, "  start the other branch of if"},
	{"endif", 2, CMD_ENDIF, CMD_ARGS_NONE, 0, "  end an if"},
	{"exit", 2, CMD_EXIT, CMD_ARGS_NONE, 0, "  leave, keeping the folder unchanged"},
	{"xit", 1, CMD_EXIT, CMD_ARGS_NONE, 0, "  leave, keeping the folder unchanged"},
	{"file", 2, CMD_FILE, W, 0, "[folder]  switch folder, or show the current one"},
	{"folders", 7, CMD_FOLDERS, CMD_ARGS_NONE, 0, "  list the folders under $folder"},
	{"followup", 2, CMD_FOLLOWUP, M, F,
	 "[message]  reply, recording in a file named after the author"},
	{"Followup", 1, CMD_FOLLOWUP_ALL, L, F,
	 "[msglist]  reply to the senders, recorded after the first author"},
	{"folder", 4, CMD_FILE, W, 0, "[folder]  switch folder, or show the current one"},
	{"from", 1, CMD_FROM, L, F, "[msglist]  print header summary lines"},
	{"group", 1, CMD_ALIAS, W, 0, "[name [address...]]  define or show aliases"},
	{"headers", 1, CMD_HEADERS, M, F, "[message]  print the page of headers holding message"},
	{"help", 3, CMD_HELP, CMD_ARGS_NONE, 0, "  this list"},
	{"hold", 2, CMD_HOLD, L, F, "[msglist]  keep messages in the system mailbox"},
	{"if", 1, CMD_IF, W, 0, "s|r|t|var  run the following commands when sending/reading"},
	{"ignore", 2, CMD_DISCARD, W, 0, "[field...]  do not show these header fields"},
	{"list", 1, CMD_LIST, CMD_ARGS_NONE, 0, "  list the commands"},
	{"mail", 1, CMD_MAIL, W, 0, "address...  write and send a message"},
	{"mbox", 2, CMD_MBOX, L, F, "[msglist]  move messages to mbox at quit"},
	{"mimeview", 8, CMD_MIMEVIEW, L, F, "[msglist]  list the MIME parts of messages"},
	{"parts", 5, CMD_MIMEVIEW, L, F, "[msglist]  list the MIME parts of messages"},
	{"pipe", 2, CMD_PIPE, CMD_ARGS_MSGCMD, F, "[msglist] command  pipe messages to a command"},
	{"|", 1, CMD_PIPE, CMD_ARGS_MSGCMD, F, "[msglist] command  pipe messages to a command"},
	{"preserve", 3, CMD_HOLD, L, F, "[msglist]  keep messages in the system mailbox"},
	{"Print", 1, CMD_PRINT_ALL, L, F, "[msglist]  type messages with all header fields"},
	{"print", 1, CMD_PRINT, L, F, "[msglist]  type messages"},
	{"quit", 1, CMD_QUIT, CMD_ARGS_NONE, 0, "  leave, updating the folder"},
	{"Reply", 1, CMD_REPLY_SENDER, L, F, "[msglist]  reply to the senders only"},
	{"Respond", 3, CMD_REPLY_SENDER, L, F, "[msglist]  reply to the senders only"},
	{"reply", 1, CMD_REPLY_ALL, M, F, "[message]  reply to the sender and all recipients"},
	{"respond", 3, CMD_REPLY_ALL, M, F, "[message]  reply to the sender and all recipients"},
	{"retain", 3, CMD_RETAIN, W, 0, "[field...]  show only these header fields"},
	{"Save", 1, CMD_SAVE_AUTHOR, L, F, "[msglist]  save to a folder named after the author"},
	{"saveattachment", 14, CMD_SAVEATTACHMENT, W, F,
	 "[-f] message part [file]  save an attachment"},
	{"save", 1, CMD_SAVE, CMD_ARGS_MSGFILE, F, "[msglist] file  save to a folder"},
	{"set", 2, CMD_SET, W, 0, "[name[=value]...]  set variables, or show them"},
	{"shell", 2, CMD_SHELL, CMD_ARGS_RAW, 0, "  start a shell"},
	{"showpart", 8, CMD_SHOWPART, W, F, "message part  type one MIME part"},
	{"size", 2, CMD_SIZE, L, F, "[msglist]  print message sizes"},
	{"source", 2, CMD_SOURCE, W, 0, "file  read commands from a file"},
	{"tag", 2, CMD_TAG, CMD_ARGS_RAW, F,
	 "+tag|-tag... [msglist]  add and remove notmuch tags (written at once)"},
	{"top", 2, CMD_TOP, L, F, "[msglist]  type the first lines of messages"},
	{"touch", 3, CMD_TOUCH, L, F, "[msglist]  mark messages as read"},
	{"Type", 1, CMD_PRINT_ALL, L, F, "[msglist]  type messages with all header fields"},
	{"type", 1, CMD_PRINT, L, F, "[msglist]  type messages"},
	{"undelete", 1, CMD_UNDELETE, L, F | CMD_F_DELETED, "[msglist]  undelete messages"},
	{"unalias", 3, CMD_UNALIAS, W, 0, "name...  remove aliases"},
	{"unignore", 4, CMD_UNIGNORE, W, 0, "field...  show these header fields again"},
	{"unretain", 4, CMD_UNRETAIN, W, 0, "field...  stop retaining these header fields"},
	{"unset", 3, CMD_UNSET, W, 0, "name...  unset variables"},
	{"version", 2, CMD_VERSION, CMD_ARGS_NONE, 0, "  print petrel's version"},
	{"visual", 1, CMD_VISUAL, L, F, "[msglist]  edit messages with $VISUAL"},
	{"write", 1, CMD_WRITE, CMD_ARGS_MSGFILE, F, "[msglist] file  write message bodies to a file"},
	{"z", 1, CMD_Z, W, F, "[+|-]  scroll the header summary"},
	/* folders on a server (cmd-imap.c) */
	{"mkfolder", 3, CMD_MKFOLDER, W, 0, "folder...  create folders"},
	{"rmfolder", 3, CMD_RMFOLDER, W, 0, "folder...  remove folders and what they hold"},
	{"mvfolder", 3, CMD_MVFOLDER, W, 0, "folder newname  rename a folder"},
	{"getpart", 4, CMD_GETPART, W, F,
	 "[-f] message [part [file]]  list a message's parts from the server, or fetch one alone and save it"},
	{"!", 1, CMD_SHELL_ESCAPE, CMD_ARGS_RAW, 0, "command  run a shell command"},
	{"=", 1, CMD_NUMBER, CMD_ARGS_NONE, F, "  print the current message number"},
	{"?", 1, CMD_HELP, CMD_ARGS_NONE, 0, "  this list"},
};

const struct cmd_def *
cmd_table_lookup(const char *word)
{
	size_t i, len = strlen(word);

	if (len == 0)
		return &table[0];
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].name, word) == 0)
			return &table[i];
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (len >= table[i].minlen && strncmp(table[i].name, word, len) == 0)
			return &table[i];
	return NULL;
}

const struct cmd_def *
cmd_table_all(size_t *n_r)
{
	*n_r = sizeof(table) / sizeof(table[0]);
	return table;
}
