/*
 * core-config-int: what the files of the configuration module share; not
 * for use outside src/core/core-config*.c.
 */
#ifndef CORE_CONFIG_INT_H
#define CORE_CONFIG_INT_H

#include <stddef.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "core/core-config.h"

enum config_state {
	CONFIG_INHERIT, /* accounts only: the global value applies */
	CONFIG_UNSET,
	CONFIG_SET,
};

struct config_value {
	enum config_state state;
	long num;        /* BOOL, NUMBER, QUAD, ENUM (index into words) */
	const char *str; /* the text form, for every type once set */
	const struct config_url *url;
	const char *origin; /* "file:line", "-S", "environment", "default" */
};

struct config_account {
	const char *name;
	const char *file;
	int line;
	struct config_value values[VAR_COUNT];
};

struct config_user_var {
	const char *name;
	const char *value;
};

struct config {
	/* Strings and values live here: they die with the config. */
	struct arena *arena;
	struct config_value values[VAR_COUNT];

	struct config_account **accounts;
	size_t n_accounts;
	struct config_record *records;
	size_t n_records;
	struct config_mailrc_line *mailrc;
	size_t n_mailrc;
	struct config_user_var *user_vars;
	size_t n_user_vars;
	const char **errors;
	size_t n_errors;
	const char **overrides;
	size_t n_overrides;
	/* Parsed URLs, malloc'd by config_url_parse. */
	struct config_url **urls;
	size_t n_urls;

	/* $HOME when the config was made, for shortening file names. */
	const char *home;
};

/* Grows *array (of elements of size size) to hold n + 1 elements. */
void config_grow(void *array, size_t n, size_t size);
/* Appends an error, formatted "where: message" (where may be NULL). */
void config_add_error(struct config *cfg, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The name shown for a file: $HOME/x becomes ~/x. */
const char *config_display_name(struct config *cfg, const char *path);

/*
 * Sets a variable from its text (value NULL: `set name` with no value).
 * how: the value in acct (NULL: global), with origin.  Returns 0, or -1
 * with the message (without "file:line: ") in *err.
 */
int config_assign(struct config *cfg, struct config_account *acct, enum var_id id,
                  const char *value, const char *origin, struct err *err);
/* `unset name`, `set noname`. */
int config_unassign(struct config *cfg, struct config_account *acct, enum var_id id,
                    const char *origin, struct err *err);
/* `reset name`: the default, or for an account the global value. */
void config_reset(struct config *cfg, struct config_account *acct, enum var_id id);
/* The same for unknown names from a MAILRC; value NULL removes it. */
void config_set_user_var(struct config *cfg, const char *name, const char *value);
/*
 * `set name=value` (value NULL: `set name`, or `set noname`): finds the
 * variable and assigns it; *id_r is its id, or -1 for a MAILRC's unknown
 * name, which mailrc stores as a user variable instead of failing.
 */
int config_apply_set(struct config *cfg, struct config_account *acct, const char *name,
                     const char *value, const char *origin, int mailrc, int *id_r, struct err *err);

/* Makes text short and printable for an error message: control bytes as
 * \xHH, cut after some 60 bytes. */
const char *config_quote(struct config *cfg, const char *text);
/* The same, cut after max bytes; file names are shown whole (SIZE_MAX). */
const char *config_quote_max(struct config *cfg, const char *text, size_t max);
/* The "(did you mean "x"?)" hint for an unknown variable, or "". */
const char *config_var_hint(struct config *cfg, const char *name);

/* core-config-url.c: text with the password of a URL replaced by ***. */
void config_url_redact(const char *text, char *buf, size_t size);

/* core-config-path.c: ~, ~user, $VAR, ${VAR}, ${VAR:-word}.  Caller frees. */
int config_path_expand(const char *text, const char *home, char **result_r, struct err *err);

/* core-config-parse.c: the parser behind config_load_file (data NULL:
 * read path) and config_load_buffer. */
int config_parse(struct config *cfg, const char *path, const char *data, size_t len, unsigned flags,
                 struct err *err);
/* Applies the -S overrides again after a load; returns how many failed
 * (their errors are added to cfg). */
int config_apply_overrides(struct config *cfg);
/* Adds an error when default_account names no account; returns 1 then. */
int config_check_default_account(struct config *cfg);

#endif
