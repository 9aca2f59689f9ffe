/*
 * cmd-opts: petrel's command line, as mail(1)/POSIX mailx spells it.
 *
 *   petrel [-s subject] [-a file]... [-c addrs] [-b addrs] [-r from]
 *          [-S var[=value]]... address...             (send mode)
 *   petrel -e | -H | [-HiNnF] [-u user] | -f [-HiNnF] [file]   (receive)
 *   petrel --init-store                                 (create the notmuch store)
 *   petrel --flush-outbox [-S var=value]...             (send what waits in the outbox)
 *   petrel --fetch ACCOUNT|URL [--delete] [--to DIR]   (POP3 into the notmuch store,
 *                                                      or into the maildir DIR)
 *   petrel --version | --help
 *
 * Options may be grouped (-HN) and may follow operands, as GNU getopt
 * allows; "--" ends them.  Parsing is pure: the strings in the result
 * point into argv.  Called from the main thread before anything starts.
 */
#ifndef CMD_OPTS_H
#define CMD_OPTS_H

#include <stddef.h>

#include "base/base-err.h"

/* Which face a command line asks for. */
enum cmd_face {
	CMD_FACE_SEND,   /* addresses given: read a body from stdin and send it */
	CMD_FACE_MAILX,  /* receive mode: header summary and command mode */
	CMD_FACE_TUI,    /* interactive start without receive-mode options */
	CMD_FACE_VERSION,
	CMD_FACE_HELP,
	CMD_FACE_INIT_STORE, /* --init-store: create the notmuch store, say where */
	CMD_FACE_FETCH,      /* --fetch: POP3 into the notmuch store */
	CMD_FACE_FLUSH_OUTBOX, /* --flush-outbox: send the messages the outbox holds */
};

struct cmd_opts {
	const char *subject;     /* -s */
	const char **attach;     /* -a, in order; count in nattach (array owned) */
	size_t nattach;
	const char **cc;         /* -c, each one as given (may hold several addresses) */
	size_t ncc;
	const char **bcc;        /* -b */
	size_t nbcc;
	const char *from;        /* -r */
	const char **vars;       /* -S, "name" or "name=value", in order */
	size_t nvars;
	const char *user;        /* -u */
	const char *debug_file;  /* -d */
	const char *config_file; /* --config */
	int check;               /* -e */
	int headers_only;        /* -H */
	int folder_flag;         /* -f */
	int no_header;           /* -N */
	int no_sysrc;            /* -n */
	int ignore_int;          /* -i */
	int record;              /* -F */
	int version;             /* --version */
	int help;                /* --help */
	int init_store;          /* --init-store */
	const char *fetch;       /* --fetch ACCOUNT|URL */
	int fetch_delete;        /* --delete */
	const char *fetch_to;    /* --to FOLDER: a plain maildir instead of the store */
	int flush_outbox;        /* --flush-outbox */
	const char **operands;   /* addresses in send mode, the file after -f */
	size_t noperands;
};

/* Fills *opts (zeroed first).  Fails with ERR_USAGE and one sentence on an
 * unknown option, a missing option argument or conflicting modes.  The
 * caller frees with cmd_opts_clear even after a failure. */
int cmd_opts_parse(int argc, char **argv, struct cmd_opts *opts, struct err *err);
void cmd_opts_clear(struct cmd_opts *opts);

/* The face to start, given whether stdin and stdout are terminals. */
enum cmd_face cmd_opts_face(const struct cmd_opts *opts, int stdin_tty, int stdout_tty);

/* The usage text for --help and usage errors (static). */
const char *cmd_opts_usage(void);

#endif
