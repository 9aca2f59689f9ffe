/*
 * core-vars: the one table of configuration variables.
 *
 * Every variable petrel knows is declared once, in core-vars.c: its name,
 * type, default, range or words, and the sentences that document it.  The
 * configuration parser, the typed getters, the mailx face's `set` and the
 * man page (doc/petrelrc.5, generated from this table by doc/gen-petrelrc)
 * all read it, so they cannot disagree.
 *
 * C code names a variable by its `enum var_id`, never by a string, so a
 * misspelt name fails to compile.  The enum is kept in step with the table
 * by hand, and tests/unit/core/test-core-config-vars.c checks that every id
 * has its entry and that each entry's name matches its id: the id is the
 * name in upper case ("tls_ca_file" is VAR_TLS_CA_FILE); an all-capitals
 * name, which an environment variable of the same name can supply, gets
 * ENV_ in front ("PAGER" is VAR_ENV_PAGER); a name with some capitals gets
 * _CAPITAL after ("Sign" is VAR_SIGN_CAPITAL).
 *
 * The table is constant data: any thread may read it at any time.
 */
#ifndef CORE_VARS_H
#define CORE_VARS_H

#include <stddef.h>

enum var_id {
	VAR_ABORT_NOSUBJECT,
	VAR_ABORT_UNMODIFIED,
	VAR_ALLNET,
	VAR_ALTERNATES,
	VAR_APPEND,
	VAR_ASKBCC,
	VAR_ASKCC,
	VAR_ASKSUB,
	VAR_ATTRIBUTION,
	VAR_AUTOPRINT,
	VAR_BANG,
	VAR_BEEP,
	VAR_BEEP_NEW,
	VAR_CMD,
	VAR_CONFIRMAPPEND,
	VAR_CONNECT_TIMEOUT,
	VAR_COPY,
	VAR_CRT,
	VAR_ENV_DEAD,
	VAR_DEBUG_FILE,
	VAR_DEFAULT_ACCOUNT,
	VAR_DELETE,
	VAR_DOT,
	VAR_DSN_NOTIFY,
	VAR_DSN_RETURN,
	VAR_EDIT_HEADERS,
	VAR_EDITOR,
	VAR_ENV_EDITOR,
	VAR_ESCAPE,
	VAR_FLIPR,
	VAR_FOLDER,
	VAR_FROM,
	VAR_HEADER,
	VAR_HEADER_CACHE,
	VAR_HOLD,
	VAR_HOSTNAME,
	VAR_IGNORE,
	VAR_IGNOREEOF,
	VAR_IMAP_ALLOW_PLAINTEXT,
	VAR_IMAP_IDLE,
	VAR_IMAP_KEEPALIVE,
	VAR_IMAP_OAUTH_REFRESH_COMMAND,
	VAR_IMAP_PASS,
	VAR_IMAP_PASS_COMMAND,
	VAR_IMAP_STARTTLS,
	VAR_IMAP_USER,
	VAR_INCLUDE,
	VAR_INDENTPREFIX,
	VAR_INDEX_FORMAT,
	VAR_KEEP,
	VAR_KEEPSAVE,
	VAR_KEYMAP,
	VAR_ENV_LISTER,
	VAR_MAILCAP_PATH,
	VAR_ENV_MBOX,
	VAR_MESSAGE_CACHE,
	VAR_METOO,
	VAR_MIME_FORWARD,
	VAR_NEW_MAIL_COMMAND,
	VAR_NOTMUCH_DB,
	VAR_ONEHOP,
	VAR_OUTBOX,
	VAR_OUTFOLDER,
	VAR_PAGE,
	VAR_PAGER,
	VAR_ENV_PAGER,
	VAR_POP3_ALLOW_PLAINTEXT,
	VAR_POP3_AUTH_MECHANISMS,
	VAR_POP3_CHECK_INTERVAL,
	VAR_POP3_DELETE,
	VAR_POP3_KEEP_DAYS,
	VAR_POP3_PASS,
	VAR_POP3_PASS_COMMAND,
	VAR_POP3_STARTTLS,
	VAR_POP3_URL,
	VAR_POP3_USER,
	VAR_POSTPONE,
	VAR_POSTPONED,
	VAR_PROMPT,
	VAR_QUERY_COMMAND,
	VAR_QUIET,
	VAR_QUIT,
	VAR_REALNAME,
	VAR_RECALL,
	VAR_RECORD,
	VAR_REPLY_TO,
	VAR_SAVE,
	VAR_SCREEN,
	VAR_SEND_CHARSET,
	VAR_SENDMAIL,
	VAR_SENDWAIT,
	VAR_ENV_SHELL,
	VAR_SHOWTO,
	VAR_SIDEBAR_VISIBLE,
	VAR_SIDEBAR_WIDTH,
	VAR_SIGN,
	VAR_SIGN_CAPITAL,
	VAR_SIGNATURE,
	VAR_SMTP_ALLOW_PLAINTEXT,
	VAR_SMTP_AUTH_MECHANISMS,
	VAR_SMTP_OAUTH_REFRESH_COMMAND,
	VAR_SMTP_PARTIAL_SEND,
	VAR_SMTP_PASS,
	VAR_SMTP_PASS_COMMAND,
	VAR_SMTP_STARTTLS,
	VAR_SMTP_URL,
	VAR_SMTP_USER,
	VAR_SORT,
	VAR_SPOOLFILE,
	VAR_TIMEOUT,
	VAR_TLS_CA_FILE,
	VAR_TLS_VERIFY,
	VAR_TOPLINES,
	VAR_USE_FROM,
	VAR_VISUAL,
	VAR_ENV_VISUAL,
	VAR_WAIT_KEY,
	VAR_COUNT
};

enum var_type {
	VAR_T_BOOL,   /* yes or no */
	VAR_T_NUMBER, /* a decimal integer within [min, max] */
	VAR_T_STRING, /* any text, kept as written */
	VAR_T_PATH,   /* a local file name: ~, ~user, $VAR, ${VAR:-word} expanded when set */
	VAR_T_FOLDER, /* a PATH, or a URL of one of `words` (schemes); +name and =name kept */
	VAR_T_URL,    /* a URL whose scheme is one of `words` */
	VAR_T_ENUM,   /* one of `words` */
	VAR_T_QUAD,   /* yes, no, ask-yes or ask-no */
	VAR_T_COUNT
};

enum var_flag {
	VAR_F_SECRET = 1 << 0,   /* a password: faces do not show it */
	VAR_F_BARE_ZERO = 1 << 1 /* a number that `set name` alone sets to 0 */
};

/* Extra validation of a string value; returns 0, or -1 with why in why_r. */
typedef int var_check_fn(const char *value, const char **why_r);

struct var_def {
	const char *id_name; /* the id without VAR_, for the consistency test */
	const char *name;
	enum var_type type;
	/* The default as it would be written after "=" (paths unexpanded);
	 * NULL: unset. */
	const char *def;
	/* Environment variables, separated by ':', whose first non-empty
	 * value replaces def (taken literally, not expanded); NULL: none. */
	const char *env;
	long min, max;            /* VAR_T_NUMBER */
	const char *const *words; /* VAR_T_ENUM values; URL and FOLDER schemes */
	var_check_fn *check;      /* VAR_T_STRING; NULL: anything goes */
	unsigned flags;           /* enum var_flag */
	const char *doc;          /* what it does, in sentences a user can act on */
};

/* Another name accepted for a variable (POSIX mailx's "ask" is "asksub"). */
struct var_synonym {
	const char *name;
	enum var_id id;
};

/* The entry of id; id must be below VAR_COUNT. */
const struct var_def *vars_def(enum var_id id);
/* The id named name (exact, case matters; synonyms included), or -1. */
int vars_lookup(const char *name);
/* The synonyms, for documentation; *count_r is set to their number. */
const struct var_synonym *vars_synonyms(size_t *count_r);
/* "boolean", "number", ... */
const char *vars_type_name(enum var_type type);
/*
 * The known name closest to name (by edit distance, ignoring case), for
 * "did you mean" hints; NULL when nothing is close.  Also used for command
 * and map names: candidates is then a NULL-terminated list.
 */
const char *vars_suggest(const char *name);
const char *vars_suggest_from(const char *name, const char *const *candidates);

#endif
