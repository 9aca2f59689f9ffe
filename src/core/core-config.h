/*
 * core-config: petrel's configuration, loaded from files and the command
 * line into typed variables, accounts and ordered records.
 *
 * Sources, later ones overriding earlier ones:
 *   - the defaults of core-vars.c (some taken from the environment: $MAIL,
 *     $PAGER, $EDITOR...);
 *   - POSIX mailx's start-up file ($MAILRC or ~/.mailrc), with
 *     CONFIG_LOAD_MAILRC: its set and unset lines become variables and
 *     every other command line is kept, in order, for the mailx face;
 *   - petrel's own file ($XDG_CONFIG_HOME/petrel/config or --config FILE),
 *     in a muttrc-like syntax documented in petrelrc(5);
 *   - `-S name=value` options (config_set_override), which always win,
 *     whenever they are given.
 *
 * Loading collects every error of a file (up to CONFIG_MAX_ERRORS), each a
 * one-line "file:line: what is wrong" text, and goes on: the lines that
 * were valid still take effect, and the caller decides whether to stop.
 *
 * Threads: a config is built on the main thread before any worker starts
 * (config_new, config_load_*, config_set_override).  From then on it is
 * never changed, and every const function below may be called from any
 * thread without locking; none of them block.  Worker code does not read
 * the config: core/ copies what a worker needs into its parameter structs.
 *
 * Memory: everything a getter returns belongs to the config and stays valid
 * until config_free().
 */
#ifndef CORE_CONFIG_H
#define CORE_CONFIG_H

#include <stddef.h>

#include "base/base-err.h"
#include "core/core-vars.h"

/* Most errors a load collects before it gives up on the rest. */
#define CONFIG_MAX_ERRORS 50
/* How deep source may nest (the top file counts as one). */
#define CONFIG_MAX_DEPTH 16
/* Largest file accepted, in bytes. */
#define CONFIG_MAX_FILE_SIZE (1024 * 1024)

struct config;
struct config_account;

enum config_quad {
	CONFIG_QUAD_NO,
	CONFIG_QUAD_YES,
	CONFIG_QUAD_ASK_NO,
	CONFIG_QUAD_ASK_YES,
};

/* Flags of config_load_file and config_load_buffer. */
enum config_load_flag {
	CONFIG_LOAD_MAILRC = 1 << 0,    /* POSIX mailx syntax (MAILRC) */
	CONFIG_LOAD_OPTIONAL = 1 << 1,  /* a file that does not exist is not an error */
	CONFIG_LOAD_NO_SOURCE = 1 << 2, /* `source` is an error (reads no other file) */
};

/*
 * A URL split into its parts, percent-decoded.  Absent parts are NULL and
 * port is 0 when none was given.  path starts with '/' ("imaps://h/INBOX"
 * has path "/INBOX"); query is kept encoded, without the '?'.
 */
struct config_url {
	const char *scheme; /* lower case */
	const char *user;
	const char *pass;
	const char *host; /* "" for file:, maildir:, mbox:, notmuch: */
	int port;
	const char *path;
	const char *query;
};

/* The commands that are kept as records for the faces, in file order. */
enum config_rec_kind {
	CONFIG_REC_BIND,         /* MAP KEY FUNCTION */
	CONFIG_REC_MACRO,        /* MAP KEY SEQUENCE [DESCRIPTION] */
	CONFIG_REC_COLOR,        /* OBJECT FG BG [REGEX] */
	CONFIG_REC_UNCOLOR,      /* OBJECT [REGEX...] */
	CONFIG_REC_MAILBOXES,    /* FOLDER... */
	CONFIG_REC_UNMAILBOXES,  /* FOLDER... or * */
	CONFIG_REC_ALTERNATES,   /* REGEX... */
	CONFIG_REC_UNALTERNATES, /* REGEX... or * */
	CONFIG_REC_ALIAS,        /* NAME ADDRESS... */
	CONFIG_REC_UNALIAS,      /* NAME... or * */
	CONFIG_REC_IGNORE,       /* HEADER... */
	CONFIG_REC_UNIGNORE,     /* HEADER... or * */
	CONFIG_REC_QUERY,        /* NAME QUERY: from query and virtual_mailboxes */
	CONFIG_REC_KIND_COUNT
};

struct config_record {
	enum config_rec_kind kind;
	const char *file; /* as shown in messages: $HOME shortened to ~ */
	int line;
	/* The account block the command was in, or NULL. */
	const struct config_account *account;
	size_t argc; /* the arguments after the command name */
	char **argv; /* NULL-terminated */
};

/* A MAILRC line that is not set or unset, for the mailx face to run. */
struct config_mailrc_line {
	const char *file;
	int line;
	const char *text; /* without leading blanks and the newline */
};

/* The defaults, and the environment's defaults.  Main thread. */
struct config *config_new(void);
/* Frees cfg and everything it handed out; sets *cfg to NULL. */
void config_free(struct config **cfg);

/* $XDG_CONFIG_HOME/petrel/config, else ~/.config/petrel/config; caller
 * frees; NULL when neither $XDG_CONFIG_HOME nor a home directory is known. */
char *config_default_path(void);
/* $MAILRC, else ~/.mailrc; caller frees; NULL as above. */
char *config_mailrc_path(void);

/*
 * Reads a file (flags: enum config_load_flag) and applies it on top of what
 * is there, then applies the -S overrides again.  Returns 0, or -1 when the
 * file had errors: *err holds the first, config_error() gives them all.
 * Main thread, before workers start; blocks on file reads.
 */
int config_load_file(struct config *cfg, const char *path, unsigned flags, struct err *err);
/* The same for text in memory; name is used in messages and for
 * resolving relative source paths.  data need not be NUL-terminated. */
int config_load_buffer(struct config *cfg, const char *name, const char *data, size_t len,
                       unsigned flags, struct err *err);
/*
 * A -S option: "name=value", "name" or "noname".  Checked now (unknown
 * names and bad values fail here, with the text in *err), applied now and
 * again after every later load, so it wins over every file.  It sets the
 * global value and clears what accounts set for that name.  Main thread.
 */
int config_set_override(struct config *cfg, const char *assignment, struct err *err);

/* Every error collected so far, in order, as "file:line: message". */
size_t config_error_count(const struct config *cfg);
const char *config_error(const struct config *cfg, size_t i);

/*
 * Typed getters by id.  acct NULL gives the global value; an account gives
 * its own value, or the global one when the account does not set it.
 * Asking for a variable as the wrong type is a bug: it aborts.
 */
int config_bool(const struct config *cfg, const struct config_account *acct, enum var_id id);
/* 0 when unset (see config_is_set). */
long config_number(const struct config *cfg, const struct config_account *acct, enum var_id id);
/* STRING, PATH (expanded), FOLDER, URL (as written) and ENUM (the word);
 * NULL when unset. */
const char *config_string(const struct config *cfg, const struct config_account *acct,
                          enum var_id id);
enum config_quad config_quad(const struct config *cfg, const struct config_account *acct,
                             enum var_id id);
/* The index of the value in the variable's words, or -1 when unset. */
int config_enum(const struct config *cfg, const struct config_account *acct, enum var_id id);
/* URL variables, and FOLDER variables holding a URL; NULL otherwise. */
const struct config_url *config_url(const struct config *cfg, const struct config_account *acct,
                                    enum var_id id);
/* Whether the variable has a value (booleans and quads always do). */
int config_is_set(const struct config *cfg, const struct config_account *acct, enum var_id id);
/* Where the value came from: "file:line" from a file, "-S", "environment"
 * or "default". */
const char *config_origin(const struct config *cfg, const struct config_account *acct,
                          enum var_id id);
/* The value as it would be written after "set name=" ("yes", "30",
 * "ask-no", the string); NULL when unset. */
const char *config_value_text(const struct config *cfg, const struct config_account *acct,
                              enum var_id id);

/*
 * Getters by name, for names that come from users at run time (the mailx
 * face's `set`); C code uses the getters by id.  An unknown name or a
 * variable of another type gives -1 for config_get_bool and
 * config_get_quad and NULL for config_get_string; config_get_number then
 * returns -1 and leaves *value_r alone.
 */
int config_get_bool(const struct config *cfg, const struct config_account *acct, const char *name);
int config_get_number(const struct config *cfg, const struct config_account *acct, const char *name,
                      long *value_r);
/* Also gives the text of numbers, booleans, quads and words. */
const char *config_get_string(const struct config *cfg, const struct config_account *acct,
                              const char *name);
int config_get_quad(const struct config *cfg, const struct config_account *acct, const char *name);

/* Variables a MAILRC set that petrel does not know (mailx allows any
 * name): the value, "" for `set name`, NULL when not set. */
const char *config_user_var(const struct config *cfg, const char *name);

/* Accounts, in the order of their account blocks. */
size_t config_account_count(const struct config *cfg);
const struct config_account *config_account_at(const struct config *cfg, size_t i);
const struct config_account *config_account_find(const struct config *cfg, const char *name);
/* The account default_account names, else the first; NULL when there are
 * none or default_account names none. */
const struct config_account *config_account_default(const struct config *cfg);
const char *config_account_name(const struct config_account *acct);

/* The bind, macro, color, alias... commands, in file order. */
const struct config_record *config_records(const struct config *cfg, size_t *count_r);
/* The MAILRC lines other than set and unset, in file order. */
const struct config_mailrc_line *config_mailrc_lines(const struct config *cfg, size_t *count_r);

/*
 * Expands a folder name given by the user: "+x" and "=x" become folder/x
 * (folder of acct), "~" and "$VAR" as for paths.  Caller frees *result_r.
 * Any thread (reads only cfg and, for ~, the environment).
 */
int config_expand_folder(const struct config *cfg, const struct config_account *acct,
                         const char *name, char **result_r, struct err *err);

/*
 * Splits and checks a URL.  The scheme must be one petrel knows (imap,
 * imaps, pop3, pop3s, smtp, smtps, notmuch, file, maildir, mbox).  On
 * success *url_r is one allocation the caller frees with free().  Any
 * thread; does not block.
 */
int config_url_parse(const char *text, struct config_url **url_r, struct err *err);

#endif
