/*
 * backend-notmuch-db: opening, creating and writing the notmuch database
 * the way every part of the notmuch store needs it.
 *
 * The database and its settings come from the user's notmuch
 * configuration, found as libnotmuch finds it (NOTMUCH_CONFIG, then
 * $XDG_CONFIG_HOME/notmuch/$NOTMUCH_PROFILE/config, then ~/.notmuch-config),
 * or from notmuch's defaults when there is no such file; a database path
 * given by petrel (the notmuch_db variable, a notmuch:///PATH URL)
 * overrides the configured one.
 *
 * Handles are opened read-only and made writable only for the write
 * itself, so petrel never keeps other notmuch programs from writing.
 * libnotmuch waits without bound for a write lock held elsewhere (a long
 * `notmuch new`); petrel looks at the lock first and waits for it with
 * back-off, bounded by the caller's lock timeout and cancel fd, saying
 * that it waits in a log line.
 *
 * Blocking; any worker thread, each with its own handles.
 */
#ifndef BACKEND_NOTMUCH_DB_H
#define BACKEND_NOTMUCH_DB_H

#include <notmuch.h>
#include <stddef.h>

#include "backend/backend.h"
#include "base/base-err.h"

/* Where a store is, as the notmuch configuration says. */
struct backend_notmuch_where {
	char *db_path;   /* database.path (the directory holding .notmuch, or the XDG one) */
	char *mail_root; /* database.mail_root: where messages are and are delivered */
	char *config;    /* the configuration file read; NULL when there is none */
	int exists;      /* a database is there */
};

/*
 * Finds the store: `path` (NULL: the configured one) and the
 * configuration.  Does not need a database to exist.  The caller clears
 * *where_r with backend_notmuch_where_clear.
 */
int backend_notmuch_db_locate(const char *path, struct backend_notmuch_where *where_r,
                              struct err *err);
void backend_notmuch_where_clear(struct backend_notmuch_where *where);

/*
 * Creates a database at where->db_path, with the mail root and its
 * cur/, new/ and tmp/ when they are missing.  Fails with ERR_USAGE when
 * a database is already there.
 */
int backend_notmuch_db_create(const struct backend_notmuch_where *where, struct err *err);

/*
 * Opens the database at `path` (NULL: the configured one) read-only.
 * With `create`, a store that does not exist yet is created first, and
 * an info line says where.  *db_r is the caller's: backend_notmuch_db_close.
 */
int backend_notmuch_db_open(const char *path, int create, notmuch_database_t **db_r,
                            struct err *err);

/*
 * Makes an open handle writable: waits (bounded by params->lock_timeout_ms,
 * stopped by params->cancel_fd and progress) while another program holds
 * the write lock, then reopens read-write.  Fails with ERR_IO saying the
 * database is locked when the wait ends, ERR_CANCELLED when cancelled.
 */
int backend_notmuch_db_writable(notmuch_database_t *db, const struct backend_params *params,
                                struct err *err);

/* Closes the handle, committing what was written, and NULLs *db.  Fails
 * when the commit does. */
int backend_notmuch_db_close(notmuch_database_t **db, struct err *err);

/*
 * Fills *err for a notmuch status: the kind it maps to, "context: what
 * happened" with libnotmuch's own explanation (db may be NULL, detail an
 * error text libnotmuch returned, or NULL).  Returns -1.
 */
int backend_notmuch_db_err(struct err *err, notmuch_status_t st, notmuch_database_t *db,
                           const char *detail, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A configuration list (new.tags, search.exclude_tags) as a NULL-terminated
 * array; the caller frees each and the array. */
char **backend_notmuch_db_values(notmuch_database_t *db, notmuch_config_key_t key, size_t *n_r);
void backend_notmuch_db_values_free(char ***values);

#endif
