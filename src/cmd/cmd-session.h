/*
 * cmd-session: the state of one mailx run and the helpers the command
 * groups share (cmd-mailx.c runs the loop; cmd-read.c, cmd-save.c,
 * cmd-vars.c and cmd-compose.c implement the commands).
 *
 * Everything here belongs to the main thread.  Command output goes
 * through cmd_out() into a buffer that cmd_flush() writes, through the
 * pager when the terminal wants one.
 */
#ifndef CMD_SESSION_H
#define CMD_SESSION_H

#include <stddef.h>
#include <stdio.h>

#include "base/base-err.h"
#include "base/base-str.h"
#include "cmd/cmd-lex.h"
#include "cmd/cmd-msg.h"
#include "cmd/cmd-opts.h"
#include "cmd/cmd-table.h"
#include "core/core.h"

struct config;

/* A user variable set by `set` in command mode (or -S for a name the
 * config does not know): overrides what the config says. */
struct cmd_var {
	char *name;
	char *value; /* NULL: unset by `unset` / `set noname` */
};

struct cmd_alias {
	char *name;
	char **addrs;
	size_t n;
};

#define CMD_COND_MAX 64
#define CMD_SOURCE_MAX 16

struct cmd_session {
	const struct cmd_opts *opts;
	struct config *cfg;
	int sending;       /* send mode: `if s` is true */
	int interactive;   /* standard input is a terminal */
	int out_tty;       /* standard output is a terminal */
	int exit_status;   /* 0, or 1 once an error was reported */

	struct cmd_var *vars;
	size_t nvars;
	struct cmd_alias *aliases;
	size_t naliases;
	char **ignore; /* header fields, as typed */
	size_t nignore;
	char **retain;
	size_t nretain;
	char **alternates;
	size_t nalternates;

	/* if/else/endif: one entry per open if. */
	struct {
		int cond;    /* the condition was true */
		int in_else; /* after its else */
		int dead;    /* inside a skipped branch: neither branch runs */
	} conds[CMD_COND_MAX];
	size_t nconds;
	int source_depth;

	/* The open folder. */
	struct core_folder_handle *folder;
	char *folder_name;  /* the folder's path or URL; relative paths made absolute */
	char *folder_shown; /* as the user named it, for messages */
	char *prev_folder;  /* for "#" */
	int system_mailbox;
	int is_mbox;
	struct cmd_msg *msgs;
	size_t count;
	size_t cur;         /* 1-based current message; 0 when none */
	int dot_shown;      /* the current message was shown (next moves on) */
	size_t page_top;    /* 1-based first message of the header page */
	unsigned char *sel;

	int quit;           /* leave the loop: 1 quit, 2 exit */
	int interrupted;
	struct str out;

	/* SMTP submission (smtp_url): made at the first message, kept so the
	   session's messages share one connection. */
	struct core_submit *submit;
};

/* Output for the user: buffered, then cmd_flush() shows it. */
void cmd_out(struct cmd_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cmd_out_len(struct cmd_session *s, const char *data, size_t len);
/* Writes the buffer, through $PAGER when paged and it is longer than the
 * crt threshold on a terminal. */
void cmd_flush(struct cmd_session *s, int paged);
/* One "petrel: ..." line on standard error; sets the exit status to 1.
 * Returns -1. */
int cmd_error(struct cmd_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cmd_error_err(struct cmd_session *s, const struct err *err);

/* Variables: the value ("" for a set boolean) or NULL when unset. */
const char *cmd_var(struct cmd_session *s, const char *name);
int cmd_var_set(struct cmd_session *s, const char *name);
/* A number variable, or def when unset or not a number. */
long cmd_var_num(struct cmd_session *s, const char *name, long def);
/* Sets (value non-NULL) or unsets a variable for the rest of the run. */
int cmd_var_assign(struct cmd_session *s, const char *name, const char *value, struct err *err);

/* Expands a folder name: +name, %, %user, #, &, ~, and $VAR.  Caller
 * frees.  NULL with an error when it names nothing. */
char *cmd_expand_folder(struct cmd_session *s, const char *name, struct err *err);
/* The user's system mailbox ($MAIL, else /var/mail/$USER); caller frees. */
char *cmd_system_mailbox(const char *user);
/* $HOME or the password database's home; static. */
const char *cmd_home(void);
/* The mbox file (MBOX variable, default ~/mbox); caller frees. */
char *cmd_mbox_path(struct cmd_session *s);

/* Aliases expanded, recursively, into *out (bare words; commas split). */
void cmd_alias_expand(struct cmd_session *s, const char *list, char ***out, size_t *n);
/* Nonzero when the header field is shown by type/print. */
int cmd_weed_show(const char *name, void *session);
/* Nonzero when addr is the user (alternates, $USER). */
int cmd_is_me(struct cmd_session *s, const char *addr);

/* Runs one command line.  Returns 0, or -1 after reporting an error. */
int cmd_execute(struct cmd_session *s, const char *line);
/* Reads commands from a file (source, start-up files). */
int cmd_source_file(struct cmd_session *s, const char *path, int optional);
/* Reads one line from standard input (no newline); NULL at end of input.
 * Caller frees. */
char *cmd_read_line(struct cmd_session *s, const char *prompt);

/* Folders. */
int cmd_folder_open(struct cmd_session *s, const char *name, int quiet_missing);
/* Ends the session with the open folder: write (quit semantics) or not. */
int cmd_folder_close(struct cmd_session *s, int write);
void cmd_headers_page(struct cmd_session *s, size_t around);
void cmd_header_line(struct cmd_session *s, size_t n);
size_t cmd_screen(struct cmd_session *s);
size_t cmd_columns(struct cmd_session *s);
/* Parses a message list for the command; fills s->sel; returns the count
 * or -1 (reported). */
int cmd_msglist(struct cmd_session *s, const char *text, unsigned flags);
/* Types message n (1-based) as `type` does (all: every header field). */
int cmd_type_msg(struct cmd_session *s, size_t n, int all, long maxlines);
/* Raw bytes of message n (1-based). */
int cmd_fetch(struct cmd_session *s, size_t n, struct str *out);
/* Parsed form of message n; caller frees. */
struct core_folder_msg *cmd_parse_msg(struct cmd_session *s, size_t n);
/* The login-name part of an address ("alice" for "Alice <alice@x.org>"). */
char *cmd_login_of(const char *addr);

/* Runs a shell command with data on its standard input (data NULL: the
 * terminal's).  Returns the exit status, or -1 when it could not run. */
int cmd_run_shell(struct cmd_session *s, const char *command, const char *data, size_t len);
/* Runs an editor on a file; returns its exit status or -1. */
int cmd_run_editor(struct cmd_session *s, const char *var, const char *path);

/* The command handlers, by group. */
typedef int cmd_handler_fn(struct cmd_session *s, const struct cmd_def *def, const char *args);
cmd_handler_fn cmd_do_type, cmd_do_top, cmd_do_headers, cmd_do_from, cmd_do_z, cmd_do_size,
	cmd_do_next, cmd_do_number, cmd_do_delete, cmd_do_undelete, cmd_do_mark, cmd_do_parts,
	cmd_do_showpart, cmd_do_saveattachment;
cmd_handler_fn cmd_do_save, cmd_do_write, cmd_do_file, cmd_do_folders, cmd_do_pipe,
	cmd_do_edit, cmd_do_shell, cmd_do_echo, cmd_do_chdir;
cmd_handler_fn cmd_do_set, cmd_do_unset, cmd_do_alias, cmd_do_unalias, cmd_do_ignore,
	cmd_do_unignore, cmd_do_alternates, cmd_do_source, cmd_do_help, cmd_do_list,
	cmd_do_version;
cmd_handler_fn cmd_do_mail, cmd_do_reply, cmd_do_followup;

/* Opens a protocol trace file (-d, set debug_file) and turns tracing on. */
void cmd_debug_file(const char *path);

/* Send mode's whole run; returns the exit status. */
int cmd_send_mode(struct cmd_session *s);
/* --flush-outbox: sends what waits in the outbox; returns the exit status
 * (0, 75 when some messages are still queued, 1 after errors). */
int cmd_flush_outbox(struct cmd_session *s);

#endif
