/*
 * Opening, creating and writing the notmuch database (see the header).
 *
 * The write lock is Xapian's: an open-file-description lock on
 * xapian/flintlock (a lock held by a helper process on systems without
 * them), which F_OFD_GETLK sees either way.  Looking first leaves a
 * window in which another program can take the lock before we do; then
 * libnotmuch waits for it as it always does, which is the behaviour
 * without the check, only rarer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-local-maildir.h"
#include "backend/backend-lock.h"
#include "backend/backend-notmuch-db.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"

#define LOCK_POLL_FIRST_MS 20
#define LOCK_POLL_MAX_MS 500

/* The config file to ask libnotmuch for: NULL lets it look (NOTMUCH_CONFIG,
 * XDG, ~/.notmuch-config); "" reads none.  A missing file that the user
 * named in NOTMUCH_CONFIG is an error, not a reason to use defaults. */
static int
may_skip_config(void)
{
	const char *env = getenv("NOTMUCH_CONFIG");

	return env == NULL || *env == '\0';
}

/* The first line of libnotmuch's explanation, without "Error: ". */
static void
append_detail(char *buf, size_t size, const char *detail)
{
	size_t len, used = strlen(buf);

	if (detail == NULL)
		return;
	while (*detail == ' ' || *detail == '\n')
		detail++;
	if (strncmp(detail, "Error: ", 7) == 0)
		detail += 7;
	len = strcspn(detail, "\n");
	while (len > 0 && (detail[len - 1] == '.' || detail[len - 1] == ' '))
		len--;
	if (len == 0 || used + 4 >= size)
		return;
	snprintf(buf + used, size - used, " (%.*s)", (int)len, detail);
}

int
backend_notmuch_db_err(struct err *err, notmuch_status_t st, notmuch_database_t *db,
                       const char *detail, const char *fmt, ...)
{
	char ctx[ERR_MSG_MAX], msg[ERR_MSG_MAX];
	enum err_kind kind;
	const char *what;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	switch (st) {
	case NOTMUCH_STATUS_FILE_ERROR:
	case NOTMUCH_STATUS_XAPIAN_EXCEPTION:
	case NOTMUCH_STATUS_PATH_ERROR:
		kind = ERR_IO;
		break;
	case NOTMUCH_STATUS_FILE_NOT_EMAIL:
		kind = ERR_PARSE;
		break;
	case NOTMUCH_STATUS_NO_CONFIG:
	case NOTMUCH_STATUS_NO_DATABASE:
	case NOTMUCH_STATUS_NO_MAIL_ROOT:
	case NOTMUCH_STATUS_DATABASE_EXISTS:
	case NOTMUCH_STATUS_BAD_QUERY_SYNTAX:
	case NOTMUCH_STATUS_READ_ONLY_DATABASE:
	case NOTMUCH_STATUS_TAG_TOO_LONG:
	case NOTMUCH_STATUS_ILLEGAL_ARGUMENT:
		kind = ERR_USAGE;
		break;
	case NOTMUCH_STATUS_UPGRADE_REQUIRED:
		kind = ERR_UNSUPPORTED;
		break;
	default:
		kind = ERR_INTERNAL;
		break;
	}
	switch (st) {
	case NOTMUCH_STATUS_UPGRADE_REQUIRED:
		what = "the database needs an upgrade: run notmuch new";
		break;
	case NOTMUCH_STATUS_NO_DATABASE:
		what = "there is no notmuch database (petrel --init-store creates one)";
		break;
	default:
		what = notmuch_status_to_string(st);
		break;
	}
	snprintf(msg, sizeof(msg), "%s: %s", ctx, what);
	append_detail(msg, sizeof(msg),
	              detail != NULL ? detail
	              : db != NULL   ? notmuch_database_status_string(db)
	                             : NULL);
	return err_set(err, kind, "%s", msg);
}

void
backend_notmuch_where_clear(struct backend_notmuch_where *where)
{
	free(where->db_path);
	free(where->mail_root);
	free(where->config);
	memset(where, 0, sizeof(*where));
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The Xapian directory of a database path: PATH/.notmuch/xapian in the
 * classic layout, PATH/xapian in the XDG one; NULL when neither is there. */
static char *
xapian_dir(const char *db_path)
{
	char *dir = xasprintf("%s/.notmuch/xapian", db_path);

	if (is_dir(dir))
		return dir;
	free(dir);
	dir = xasprintf("%s/xapian", db_path);
	if (is_dir(dir))
		return dir;
	free(dir);
	return NULL;
}

int
backend_notmuch_db_locate(const char *path, struct backend_notmuch_where *where_r, struct err *err)
{
	notmuch_database_t *db = NULL;
	notmuch_status_t st;
	const char *cfg = NULL, *v, *cfg_db;
	char *msg = NULL, *xdir;
	int ret = -1;

	memset(where_r, 0, sizeof(*where_r));
	st = notmuch_database_load_config(path, cfg, NULL, &db, &msg);
	if (st == NOTMUCH_STATUS_NO_CONFIG && !may_skip_config()) {
		backend_notmuch_db_err(err, st, NULL, msg,
		                       "cannot read the notmuch configuration %s",
		                       getenv("NOTMUCH_CONFIG"));
		goto out;
	}
	if (st != NOTMUCH_STATUS_SUCCESS && st != NOTMUCH_STATUS_NO_CONFIG &&
	    st != NOTMUCH_STATUS_NO_DATABASE) {
		backend_notmuch_db_err(err, st, NULL, msg, "cannot read the notmuch configuration");
		goto out;
	}
	if (db == NULL) {
		err_set(err, ERR_INTERNAL, "libnotmuch gave no configuration");
		goto out;
	}
	cfg_db = notmuch_config_get(db, NOTMUCH_CONFIG_DATABASE_PATH);
	v = path != NULL ? path : cfg_db;
	if (v == NULL || *v == '\0') {
		err_set(err, ERR_USAGE,
		        "the notmuch configuration names no database: set database.path, or "
		        "petrel's notmuch_db");
		goto out;
	}
	where_r->db_path = xstrdup(v);
	/*
	 * The mail root follows the database unless the configuration names
	 * one of its own; libnotmuch says the same once the database exists,
	 * but for one still to be created it answers with the configured path.
	 */
	v = notmuch_config_get(db, NOTMUCH_CONFIG_MAIL_ROOT);
	if (v == NULL || *v == '\0' || (path != NULL && cfg_db != NULL && strcmp(v, cfg_db) == 0))
		v = where_r->db_path;
	where_r->mail_root = xstrdup(v);
	/* The file libnotmuch looked for, whether or not it was there. */
	v = notmuch_config_path(db);
	where_r->config =
	    st != NOTMUCH_STATUS_NO_CONFIG && v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	xdir = xapian_dir(where_r->db_path);
	where_r->exists = xdir != NULL;
	free(xdir);
	ret = 0;
out:
	if (db != NULL)
		notmuch_database_destroy(db);
	free(msg);
	if (ret < 0)
		backend_notmuch_where_clear(where_r);
	return ret;
}

int
backend_notmuch_db_create(const struct backend_notmuch_where *where, struct err *err)
{
	notmuch_database_t *db = NULL;
	notmuch_status_t st;
	char *msg = NULL;

	if (where->exists)
		return err_set(err, ERR_USAGE, "a notmuch database already exists in %s",
		               where->db_path);
	if (file_mkdir_p(where->db_path, 0700, err) < 0 ||
	    backend_local_maildir_create(where->mail_root, err) < 0)
		return -1;
	st = notmuch_database_create_with_config(
	    where->db_path, where->config != NULL ? where->config : "", NULL, &db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, st, NULL, msg, "cannot create a notmuch database in %s",
		                       where->db_path);
		free(msg);
		return -1;
	}
	free(msg);
	return backend_notmuch_db_close(&db, err);
}

int
backend_notmuch_db_open(const char *path, int create, notmuch_database_t **db_r, struct err *err)
{
	struct backend_notmuch_where where;
	notmuch_status_t st;
	char *msg = NULL;
	int ret = -1;

	*db_r = NULL;
	memset(&where, 0, sizeof(where));
	st = notmuch_database_open_with_config(path, NOTMUCH_DATABASE_MODE_READ_ONLY, NULL, NULL,
	                                       db_r, &msg);
	if (st == NOTMUCH_STATUS_NO_CONFIG && may_skip_config()) {
		/* No notmuch configuration at all: notmuch's defaults. */
		free(msg);
		msg = NULL;
		st = notmuch_database_open_with_config(path, NOTMUCH_DATABASE_MODE_READ_ONLY, "",
		                                       NULL, db_r, &msg);
	}
	if (st == NOTMUCH_STATUS_SUCCESS) {
		ret = 0;
		goto out;
	}
	if (!create) {
		/* Not locate(): libnotmuch leaks when it looks for a missing database. */
		char *xdir = path != NULL ? xapian_dir(path) : NULL;

		if (st == NOTMUCH_STATUS_NO_CONFIG)
			backend_notmuch_db_err(err, st, NULL, msg,
			                       "cannot read the notmuch configuration %s",
			                       getenv("NOTMUCH_CONFIG"));
		else if (path != NULL && xdir == NULL &&
		         (st == NOTMUCH_STATUS_FILE_ERROR || st == NOTMUCH_STATUS_NO_DATABASE))
			err_set(
			    err, ERR_USAGE,
			    "there is no notmuch database in %s (petrel --init-store creates one)",
			    path);
		else if (path == NULL && st == NOTMUCH_STATUS_FILE_ERROR)
			backend_notmuch_db_err(err, NOTMUCH_STATUS_NO_DATABASE, NULL, msg,
			                       "notmuch");
		else
			backend_notmuch_db_err(
			    err, st, NULL, msg, "cannot open the notmuch database%s%s",
			    path != NULL ? " in " : "", path != NULL ? path : "");
		free(xdir);
		goto out;
	}
	/* Missing, or something else?  Only a store that is not there is created. */
	if (backend_notmuch_db_locate(path, &where, err) < 0)
		goto out;
	if (where.exists) {
		backend_notmuch_db_err(err, st, NULL, msg, "cannot open the notmuch database in %s",
		                       where.db_path);
		goto out;
	}
	if (backend_notmuch_db_create(&where, err) < 0)
		goto out;
	log_info("created a new notmuch database in %s; mail is delivered to the maildir %s",
	         where.db_path, where.mail_root);
	free(msg);
	msg = NULL;
	st = notmuch_database_open_with_config(where.db_path, NOTMUCH_DATABASE_MODE_READ_ONLY,
	                                       where.config != NULL ? where.config : "", NULL, db_r,
	                                       &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, st, NULL, msg, "cannot open the notmuch database in %s",
		                       where.db_path);
		goto out;
	}
	ret = 0;
out:
	if (ret < 0 && *db_r != NULL) {
		notmuch_database_destroy(*db_r);
		*db_r = NULL;
	}
	free(msg);
	backend_notmuch_where_clear(&where);
	return ret;
}

/* 1 while another open file holds the write lock, 0 when it is free or
 * there is no lock file to look at (libnotmuch then decides). */
static int
lock_held(const char *lockfile)
{
	struct flock fl;
	int fd = open(lockfile, O_RDONLY | O_CLOEXEC), held = 0;

	if (fd < 0)
		return 0;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_OFD_GETLK, &fl) == 0)
		held = fl.l_type != F_UNLCK;
	close(fd);
	return held;
}

int
backend_notmuch_db_writable(notmuch_database_t *db, const struct backend_params *params,
                            struct err *err)
{
	const char *path = notmuch_database_get_path(db);
	char *xdir = xapian_dir(path), *lockfile;
	struct backend_lock_wait w;
	int said = 0, ret = -1;
	notmuch_status_t st;

	lockfile = xdir != NULL ? xasprintf("%s/flintlock", xdir) : NULL;
	backend_lock_wait_start(&w, params->lock_timeout_ms, LOCK_POLL_FIRST_MS, LOCK_POLL_MAX_MS,
	                        params->cancel_fd, &params->progress);
	while (lockfile != NULL && lock_held(lockfile)) {
		if (!said) {
			log_info(
			    "the notmuch database in %s is locked by another program: waiting up "
			    "to %d s",
			    path, (params->lock_timeout_ms + 999) / 1000);
			said = 1;
		}
		switch (backend_lock_wait_step(&w, "the notmuch database", err)) {
		case 1:
			err_set(err, ERR_IO,
			        "the notmuch database in %s is locked by another program (notmuch "
			        "new?): "
			        "gave up after %lld s; try again when it is done",
			        path, (backend_lock_wait_elapsed(&w) + 500) / 1000);
			goto out;
		case -1:
			goto out;
		}
	}
	if (said)
		log_info("the notmuch database in %s is free again after %lld ms", path,
		         backend_lock_wait_elapsed(&w));
	st = notmuch_database_reopen(db, NOTMUCH_DATABASE_MODE_READ_WRITE);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, st, db, NULL, "cannot write the notmuch database in %s",
		                       path);
		goto out;
	}
	ret = 0;
out:
	free(xdir);
	free(lockfile);
	return ret;
}

int
backend_notmuch_db_close(notmuch_database_t **db, struct err *err)
{
	notmuch_status_t st;

	if (*db == NULL)
		return 0;
	st = notmuch_database_destroy(*db);
	*db = NULL;
	if (st != NOTMUCH_STATUS_SUCCESS)
		return backend_notmuch_db_err(err, st, NULL, NULL,
		                              "cannot save changes to the notmuch database");
	return 0;
}

char **
backend_notmuch_db_values(notmuch_database_t *db, notmuch_config_key_t key, size_t *n_r)
{
	notmuch_config_values_t *v = notmuch_config_get_values(db, key);
	char **out = xcalloc(1, sizeof(*out));
	size_t n = 0;

	for (; v != NULL && notmuch_config_values_valid(v); notmuch_config_values_move_to_next(v)) {
		const char *s = notmuch_config_values_get(v);

		if (s == NULL || *s == '\0')
			continue;
		out = xreallocarray(out, n + 2, sizeof(*out));
		out[n++] = xstrdup(s);
		out[n] = NULL;
	}
	if (v != NULL)
		notmuch_config_values_destroy(v);
	if (n_r != NULL)
		*n_r = n;
	return out;
}

void
backend_notmuch_db_values_free(char ***values)
{
	if (*values == NULL)
		return;
	for (char **p = *values; *p != NULL; p++)
		free(*p);
	xfree(values);
}
