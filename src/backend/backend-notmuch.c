/*
 * The notmuch store's folders (see backend-notmuch.h).
 *
 * Choices:
 *   - Opening runs the query once and keeps, per message, its Message-ID,
 *     one file name and the flags its tags give: what `notmuch search
 *     --output=files` costs.  The database is closed again; each later
 *     operation opens its own handle, read-only unless it writes.
 *   - Summaries are read from the files (the header block, the whole file
 *     up to 64 KiB for the line count), as the maildir backend reads
 *     them, because notmuch stores no To, Cc or References.  Their
 *     References and In-Reply-To are the links notmuch threads by, so a
 *     face's JWZ threading draws notmuch's threads.
 *   - Unless the face keeps only a listing's fields (listing_only, the
 *     mailx face): then From, Subject and the date come from the
 *     database while the query is read, and the size from a stat() of
 *     the file, so a 100,000-message query opens without reading 100,000
 *     files (a cold disk made that the whole cost).  The line count is
 *     left unknown (0), as a POP3 folder leaves it; the face reads a
 *     message's header when it needs more (reply, `~t`).
 *   - A summary's id is a 64-bit hash of the Message-ID, notmuch's own
 *     key for a message.
 *   - Flag changes are kept until sync(), then written in one atomic
 *     database step (and the files renamed, with synchronize_flags);
 *     tag changes are written at once.
 *   - A file gone from where the database says (another client changed
 *     its maildir flags) is looked for under its unique name in its
 *     maildir; when found, the database learns the new name and the
 *     flags it carries, as `notmuch new` would.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <notmuch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-local-maildir.h"
#include "backend/backend-local-search.h"
#include "backend/backend-local.h"
#include "backend/backend-notmuch-db.h"
#include "backend/backend-notmuch.h"
#include "base/base-arena.h"
#include "base/base-log.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "mime/mime-header.h"
#include "mime/mime-summary.h"

/* Files up to this size are read whole for their line count. */
#define NM_COUNT_LINES_MAX (64 * 1024)
/* A listing shows far less of a subject than this (as mime-summary.c). */
#define NM_SUMMARY_TEXT_MAX 1024

/* Tags that stand for flags; "unread" is the absence of \Seen. */
static const struct {
	const char *tag;
	unsigned flag;
	int inverse;
} tag_flags[] = {
    {"unread", MIME_FLAG_SEEN, 1},     {"replied", MIME_FLAG_ANSWERED, 0},
    {"flagged", MIME_FLAG_FLAGGED, 0}, {"draft", MIME_FLAG_DRAFT, 0},
    {"passed", MIME_FLAG_PASSED, 0},   {"deleted", MIME_FLAG_DELETED, 0},
};
#define NM_TAG_COUNT (sizeof(tag_flags) / sizeof(tag_flags[0]))
#define NM_FLAGS                                                                                   \
	(MIME_FLAG_SEEN | MIME_FLAG_ANSWERED | MIME_FLAG_FLAGGED | MIME_FLAG_DRAFT |               \
	 MIME_FLAG_PASSED | MIME_FLAG_DELETED)

struct nm_entry {
	const char *id; /* the Message-ID as notmuch keys it (folder arena) */
	char *path;     /* a file of the message; NULL when none is left */
	uint64_t key;
	unsigned disk;  /* flags the tags gave when last read */
	unsigned flags; /* flags wanted; written at sync */
	int recent;     /* the file is in new/ */
	/* listing_only: the database's From and Subject (folder arena, as
	   notmuch decoded them) and date. */
	const char *from, *subject;
	time_t date;
};

struct backend_folder {
	char *db_path; /* NULL: the configured database */
	char *query;
	char *what; /* "the notmuch query QUERY", for errors */
	struct arena *arena;
	struct nm_entry *msgs;
	size_t count;
	struct backend_local_key *keys; /* sorted, for find() */
	unsigned long revision;
	char *uuid;
	int read_only;
	int listing_only; /* summaries from the database (see the top) */
	int sync_flags;   /* maildir.synchronize_flags */
	int lock_timeout_ms;
	uint64_t max_message;
	struct backend_progress job; /* the running job's hooks, for search */
};

/* ---- small things ---- */

static unsigned
flags_of(notmuch_message_t *m)
{
	unsigned flags = MIME_FLAG_SEEN;
	notmuch_tags_t *tags = notmuch_message_get_tags(m);

	for (; tags != NULL && notmuch_tags_valid(tags); notmuch_tags_move_to_next(tags)) {
		const char *t = notmuch_tags_get(tags);

		for (size_t i = 0; i < NM_TAG_COUNT; i++)
			if (strcmp(t, tag_flags[i].tag) == 0)
				flags = tag_flags[i].inverse ? flags & ~tag_flags[i].flag
				                             : flags | tag_flags[i].flag;
	}
	if (tags != NULL)
		notmuch_tags_destroy(tags);
	return flags;
}

/* Makes m's tags say `flags` (NM_FLAGS bits); only the differences are written. */
static notmuch_status_t
set_flag_tags(notmuch_message_t *m, unsigned have, unsigned want)
{
	notmuch_status_t st = NOTMUCH_STATUS_SUCCESS;

	for (size_t i = 0; i < NM_TAG_COUNT && st == NOTMUCH_STATUS_SUCCESS; i++) {
		unsigned f = tag_flags[i].flag;
		int tag_now = !(have & f) == !!tag_flags[i].inverse;
		int tag_wanted = !(want & f) == !!tag_flags[i].inverse;

		if (tag_wanted && !tag_now)
			st = notmuch_message_add_tag(m, tag_flags[i].tag);
		else if (!tag_wanted && tag_now)
			st = notmuch_message_remove_tag(m, tag_flags[i].tag);
	}
	return st;
}

static int
in_new(const char *path)
{
	return backend_local_maildir_in_new(path);
}

/* The pending change (wanted vs disk) applied on top of new disk flags. */
static unsigned
merge_flags(const struct nm_entry *e, unsigned new_disk)
{
	return backend_local_merge_flags(e->flags, e->disk, new_disk);
}

static void
rebuild_keys(struct backend_folder *f)
{
	free(f->keys);
	f->keys = xcalloc(f->count + 1, sizeof(*f->keys));
	for (size_t i = 0; i < f->count; i++) {
		f->keys[i].key = f->msgs[i].key;
		f->keys[i].index = i;
	}
	backend_local_keys_sort(f->keys, f->count);
}

static int
nm_find(const struct backend_folder *f, uint64_t id, size_t *index_r)
{
	return backend_local_keys_find(f->keys, f->count, id, index_r);
}

static int
check_index(const struct backend_folder *f, size_t index, struct err *err)
{
	return backend_local_check_index(index, f->count, f->what, err);
}

/* Lock waits for operations that get no params of their own. */
static void
write_params(const struct backend_folder *f, const struct backend_progress *progress,
             struct backend_params *p)
{
	backend_params_init(p);
	p->lock_timeout_ms = f->lock_timeout_ms;
	if (progress != NULL)
		p->progress = *progress;
}

static void
entries_free(struct nm_entry *msgs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(msgs[i].path);
	free(msgs);
}

/* ---- the URL ---- */

static int
parse_url(const struct url *url, char **db_path_r, char **query_r, struct err *err)
{
	char *q;

	*db_path_r = NULL;
	*query_r = NULL;
	if (url->host != NULL && *url->host != '\0')
		return err_set(
		    err, ERR_USAGE,
		    "notmuch://%s: no named query %s is defined (query NAME QUERY in the "
		    "config defines one)",
		    url->host, url->host);
	if (url->path != NULL && *url->path != '\0' && strcmp(url->path, "/") != 0)
		*db_path_r = xstrdup(url->path);
	q = url_query_get(url, "query");
	if (q == NULL || *q == '\0') {
		free(q);
		q = xstrdup("*");
	}
	*query_r = q;
	return 0;
}

/* ---- indexing ---- */

/*
 * Indexes the file at path.  A message new to the database gets
 * new.tags and the tags `flags` stand for (as `notmuch new` gives
 * new.tags, then the file's maildir flags); a second file of a known
 * message only joins it.  db is writable; the caller holds an atomic
 * section, so that a failure is dropped by closing inside it (abandon).
 */
static int
index_file(notmuch_database_t *db, const char *path, unsigned flags, int sync_flags,
           struct err *err)
{
	notmuch_indexopts_t *opts = notmuch_database_get_default_indexopts(db);
	notmuch_message_t *m = NULL;
	notmuch_status_t st;
	char **tags = NULL;

	st = notmuch_database_index_file(db, path, opts, &m);
	if (st == NOTMUCH_STATUS_SUCCESS) {
		unsigned have, want;

		tags = backend_notmuch_db_values(db, NOTMUCH_CONFIG_NEW_TAGS, NULL);
		for (char **t = tags; *t != NULL && st == NOTMUCH_STATUS_SUCCESS; t++)
			st = notmuch_message_add_tag(m, *t);
		if (st == NOTMUCH_STATUS_SUCCESS) {
			have = flags_of(m);
			want = flags & NM_FLAGS;
			/* Without flag synchronisation new.tags alone say unread. */
			if (!sync_flags && !(flags & MIME_FLAG_SEEN))
				want = (want & ~MIME_FLAG_SEEN) | (have & MIME_FLAG_SEEN);
			st = set_flag_tags(m, have, want);
		}
	} else if (st == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID) {
		st = NOTMUCH_STATUS_SUCCESS;
	}
	if (m != NULL)
		notmuch_message_destroy(m);
	if (opts != NULL)
		notmuch_indexopts_destroy(opts);
	backend_notmuch_db_values_free(&tags);
	if (st != NOTMUCH_STATUS_SUCCESS)
		return backend_notmuch_db_err(err, st, db, NULL, "cannot index %s", path);
	return 0;
}

/* Closes a handle inside its atomic section, so nothing it wrote is kept. */
static void
abandon(notmuch_database_t **db)
{
	if (*db == NULL)
		return;
	notmuch_database_close(*db);
	backend_notmuch_db_close(db, NULL);
}

/* begin_atomic with the error said. */
static int
begin(notmuch_database_t *db, struct err *err)
{
	notmuch_status_t st = notmuch_database_begin_atomic(db);

	if (st != NOTMUCH_STATUS_SUCCESS)
		return backend_notmuch_db_err(err, st, db, NULL,
		                              "cannot write the notmuch database");
	return 0;
}

static int
end(notmuch_database_t *db, struct err *err)
{
	notmuch_status_t st = notmuch_database_end_atomic(db);

	if (st != NOTMUCH_STATUS_SUCCESS)
		return backend_notmuch_db_err(err, st, db, NULL,
		                              "cannot write the notmuch database");
	return 0;
}

static int
sync_flags_of(notmuch_database_t *db)
{
	notmuch_bool_t b = TRUE;

	if (notmuch_config_get_bool(db, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS, &b) !=
	    NOTMUCH_STATUS_SUCCESS)
		b = TRUE;
	return b ? 1 : 0;
}

/*
 * Files in the mail root's new/ that the database does not know: what a
 * delivery that crashed between writing and indexing left.  They are
 * indexed now when the database can be written; otherwise a warning says
 * they wait.  Sets *wrote_r when the handle was written to (the caller
 * closes it to commit; it may be NULL after a failure).
 */
static void
recover_new(notmuch_database_t **dbp, const struct backend_params *params, int *wrote_r)
{
	notmuch_database_t *db = *dbp;
	const char *root = notmuch_config_get(db, NOTMUCH_CONFIG_MAIL_ROOT);
	int sync_flags = sync_flags_of(db);
	char *dir, **found = NULL;
	size_t n = 0, done = 0;
	struct dirent *de;
	struct err err;
	DIR *d;

	*wrote_r = 0;
	if (root == NULL || *root == '\0')
		root = notmuch_database_get_path(db);
	dir = xasprintf("%s/new", root);
	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		notmuch_message_t *m = NULL;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (notmuch_database_find_message_by_filename(db, path, &m) ==
		        NOTMUCH_STATUS_SUCCESS &&
		    m == NULL) {
			found = xreallocarray(found, n + 1, sizeof(*found));
			found[n++] = path;
		} else {
			free(path);
		}
		if (m != NULL)
			notmuch_message_destroy(m);
	}
	if (d != NULL)
		closedir(d);
	if (n == 0)
		goto out;
	if (backend_notmuch_db_writable(db, params, &err) < 0 || begin(db, &err) < 0) {
		log_warn("%zu messages in %s are not indexed yet: %s", n, dir, err.msg);
		goto out;
	}
	*wrote_r = 1;
	for (size_t i = 0; i < n; i++) {
		if (index_file(db, found[i], MIME_FLAG_RECENT, sync_flags, &err) == 0) {
			done++;
		} else if (err.kind == ERR_PARSE) {
			log_warn("%s", err.msg); /* not mail: notmuch new skips it too */
		} else {
			log_warn("%zu messages in %s are not indexed yet: %s", n, dir, err.msg);
			abandon(dbp);
			goto out;
		}
	}
	if (end(db, &err) < 0) {
		log_warn("%zu messages in %s are not indexed yet: %s", n, dir, err.msg);
		abandon(dbp);
		goto out;
	}
	log_info("indexed %zu messages that were delivered to %s but not yet indexed", done, dir);
out:
	for (size_t i = 0; i < n; i++)
		free(found[i]);
	free(found);
	free(dir);
}

/* ---- reading the query ---- */

static int
run_query(struct backend_folder *f, notmuch_database_t *db, const struct backend_progress *progress,
          int cancel_fd, struct nm_entry **msgs_r, size_t *count_r, struct err *err)
{
	notmuch_query_t *q = notmuch_query_create(db, f->query);
	notmuch_messages_t *ms = NULL;
	struct nm_entry *msgs = NULL;
	size_t n = 0, cap = 0;
	unsigned total = 0;
	notmuch_status_t st;
	char **excl = NULL;
	int ret = -1;

	if (q == NULL) {
		err_set(err, ERR_INTERNAL, "out of memory for the notmuch query %s", f->query);
		goto out;
	}
	excl = backend_notmuch_db_values(db, NOTMUCH_CONFIG_EXCLUDE_TAGS, NULL);
	for (char **t = excl; *t != NULL; t++) {
		st = notmuch_query_add_tag_exclude(q, *t);
		if (st != NOTMUCH_STATUS_SUCCESS && st != NOTMUCH_STATUS_IGNORED) {
			backend_notmuch_db_err(err, st, db, NULL, "bad notmuch query %s", f->query);
			goto out;
		}
	}
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_TRUE);
	notmuch_query_set_sort(q, NOTMUCH_SORT_OLDEST_FIRST);
	/* A count first sizes the array and the progress; it is cheap. */
	if (notmuch_query_count_messages(q, &total) != NOTMUCH_STATUS_SUCCESS)
		total = 0;
	st = notmuch_query_search_messages(q, &ms);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, st, db, NULL, "bad notmuch query %s", f->query);
		if (st == NOTMUCH_STATUS_XAPIAN_EXCEPTION)
			err->kind = ERR_USAGE;
		goto out;
	}
	cap = total + 1;
	msgs = xcalloc(cap, sizeof(*msgs));
	for (; notmuch_messages_valid(ms); notmuch_messages_move_to_next(ms)) {
		notmuch_message_t *m = notmuch_messages_get(ms);
		const char *id = notmuch_message_get_message_id(m);
		const char *path = notmuch_message_get_filename(m);
		struct nm_entry *e;

		if (n == cap) {
			cap *= 2;
			msgs = xreallocarray(msgs, cap, sizeof(*msgs));
		}
		e = &msgs[n++];
		memset(e, 0, sizeof(*e));
		e->id = arena_strdup(f->arena, id != NULL ? id : "");
		e->key = backend_local_hash(e->id);
		e->path = path != NULL ? xstrdup(path) : NULL;
		e->disk = e->flags = flags_of(m);
		e->recent = in_new(e->path);
		if (f->listing_only) {
			const char *v = notmuch_message_get_header(m, "from");

			e->from = arena_strdup(f->arena, v != NULL ? v : "");
			v = notmuch_message_get_header(m, "subject");
			e->subject = arena_strdup(f->arena, v != NULL ? v : "");
			e->date = notmuch_message_get_date(m);
		}
		notmuch_message_destroy(m);
		if ((n & 1023) == 0) {
			backend_report(progress, n, total, "Reading the notmuch query");
			if (backend_cancelled(progress, cancel_fd)) {
				err_set(err, ERR_CANCELLED,
				        "cancelled while reading the notmuch query %s", f->query);
				goto out;
			}
		}
	}
	backend_report(progress, n, n, "Reading the notmuch query");
	*msgs_r = msgs;
	*count_r = n;
	msgs = NULL;
	ret = 0;
out:
	if (msgs != NULL)
		entries_free(msgs, n);
	if (ms != NULL)
		notmuch_messages_destroy(ms);
	if (q != NULL)
		notmuch_query_destroy(q);
	backend_notmuch_db_values_free(&excl);
	return ret;
}

static void
read_revision(notmuch_database_t *db, unsigned long *rev_r, char **uuid_r)
{
	const char *uuid = NULL;

	*rev_r = notmuch_database_get_revision(db, &uuid);
	*uuid_r = xstrdup(uuid != NULL ? uuid : "");
}

/* ---- open, close ---- */

static void
nm_close(struct backend_folder **folder)
{
	struct backend_folder *f = *folder;

	if (f == NULL)
		return;
	entries_free(f->msgs, f->count);
	free(f->keys);
	free(f->db_path);
	free(f->query);
	free(f->what);
	free(f->uuid);
	arena_free(&f->arena);
	xfree(folder);
}

static int
nm_open(const struct url *url, const struct backend_params *params,
        struct backend_folder **folder_r, struct err *err)
{
	struct backend_folder *f = xcalloc(1, sizeof(*f));
	notmuch_database_t *db = NULL;
	int wrote;

	*folder_r = NULL;
	f->arena = arena_new();
	f->read_only = params->read_only;
	f->listing_only = params->listing_only;
	f->lock_timeout_ms = params->lock_timeout_ms;
	f->max_message = params->max_message;
	if (parse_url(url, &f->db_path, &f->query, err) < 0)
		goto fail;
	f->what = xasprintf("the notmuch query %s", f->query);
	if (backend_notmuch_db_open(f->db_path, 0, &db, err) < 0)
		goto fail;
	f->sync_flags = sync_flags_of(db);
	if (!f->read_only) {
		recover_new(&db, params, &wrote);
		if (wrote) {
			/* Commit what was indexed, and read from a fresh handle. */
			if (backend_notmuch_db_close(&db, err) < 0 ||
			    backend_notmuch_db_open(f->db_path, 0, &db, err) < 0)
				goto fail;
		}
	}
	read_revision(db, &f->revision, &f->uuid);
	if (run_query(f, db, &params->progress, params->cancel_fd, &f->msgs, &f->count, err) < 0)
		goto fail;
	backend_notmuch_db_close(&db, NULL);
	rebuild_keys(f);
	log_trace(LOG_CH_BACKEND, "notmuch query %s: %zu messages", f->query, f->count);
	*folder_r = f;
	return 0;
fail:
	if (db != NULL)
		backend_notmuch_db_close(&db, NULL);
	nm_close(&f);
	return -1;
}

static size_t
nm_count(const struct backend_folder *f)
{
	return f->count;
}

static int
nm_read_only(const struct backend_folder *f)
{
	return f->read_only;
}

/* ---- finding files ---- */

/*
 * The database learns that e's file is now at `moved` and takes the
 * flags its name carries into tags, as `notmuch new` does for a file
 * another client renamed.  Committed when the caller closes db.
 */
static int
record_rename(notmuch_database_t *db, const struct nm_entry *e, const char *moved, int sync_flags,
              const struct backend_params *p, struct err *err)
{
	notmuch_message_t *m = NULL;
	notmuch_status_t st;

	if (backend_notmuch_db_writable(db, p, err) < 0 || begin(db, err) < 0 ||
	    index_file(db, moved, 0, sync_flags, err) < 0)
		return -1;
	st = notmuch_database_remove_message(db, e->path);
	if (st == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID)
		st = NOTMUCH_STATUS_SUCCESS;
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = notmuch_database_find_message(db, e->id, &m);
	if (st == NOTMUCH_STATUS_SUCCESS && m != NULL && sync_flags)
		st = notmuch_message_maildir_flags_to_tags(m);
	if (m != NULL)
		notmuch_message_destroy(m);
	if (st != NOTMUCH_STATUS_SUCCESS)
		return backend_notmuch_db_err(err, st, db, NULL,
		                              "cannot record that %s moved to %s", e->path, moved);
	return end(db, err);
}

/*
 * Message index's file could not be opened: find where it went.  First
 * under its unique name in its maildir (another client changed its
 * flags: the database learns the new name and flags, as `notmuch new`
 * would, when it can be written); then any other file the database has
 * for it.  Returns 1 with e->path updated, 0 when there is none.
 */
static int
relocate(struct backend_folder *f, size_t index, const struct backend_progress *progress,
         struct err *err)
{
	struct nm_entry *e = &f->msgs[index];
	notmuch_database_t *db = NULL;
	notmuch_message_t *m = NULL;
	notmuch_filenames_t *names;
	struct backend_params p;
	struct err werr;
	char *moved = NULL;
	int rc, ret = -1;

	if (e->path != NULL) {
		rc = backend_local_maildir_find(e->path, &moved, err);
		if (rc < 0)
			return -1;
	}
	if (backend_notmuch_db_open(f->db_path, 0, &db, err) < 0)
		goto out;
	if (moved != NULL) {
		write_params(f, progress, &p);
		if (!f->read_only && record_rename(db, e, moved, f->sync_flags, &p, &werr) < 0) {
			/* The new name is good for reading; notmuch new records it later. */
			log_warn("%s", werr.msg);
			abandon(&db);
			if (backend_notmuch_db_open(f->db_path, 0, &db, err) < 0)
				goto out;
		}
		free(e->path);
		e->path = moved;
		moved = NULL;
	} else {
		if (notmuch_database_find_message(db, e->id, &m) != NOTMUCH_STATUS_SUCCESS)
			m = NULL;
		names = m != NULL ? notmuch_message_get_filenames(m) : NULL;
		free(e->path);
		e->path = NULL;
		for (; names != NULL && notmuch_filenames_valid(names);
		     notmuch_filenames_move_to_next(names)) {
			const char *name = notmuch_filenames_get(names);

			if (access(name, R_OK) == 0) {
				e->path = xstrdup(name);
				break;
			}
		}
		if (names != NULL)
			notmuch_filenames_destroy(names);
	}
	if (m == NULL && e->path != NULL &&
	    notmuch_database_find_message(db, e->id, &m) != NOTMUCH_STATUS_SUCCESS)
		m = NULL;
	if (m != NULL) {
		unsigned disk = flags_of(m);

		e->flags = merge_flags(e, disk);
		e->disk = disk;
	}
	e->recent = e->recent && in_new(e->path);
	ret = e->path != NULL;
out:
	if (m != NULL)
		notmuch_message_destroy(m);
	if (db != NULL && backend_notmuch_db_close(&db, ret >= 0 ? err : NULL) < 0)
		ret = -1;
	free(moved);
	return ret;
}

/* Opens message index's file, finding it again if it moved.  1: *fd_r is
 * open; 0: the message has no file any more. */
static int
open_entry(struct backend_folder *f, size_t index, const struct backend_progress *progress,
           int *fd_r, struct err *err)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		struct nm_entry *e = &f->msgs[index];
		int fd, rc;

		if (e->path != NULL) {
			fd = open(e->path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				*fd_r = fd;
				return 1;
			}
			if (errno != ENOENT)
				return err_sys(err, ERR_IO, errno, "cannot read %s", e->path);
		}
		if (attempt > 0)
			break;
		rc = relocate(f, index, progress, err);
		if (rc <= 0)
			return rc;
	}
	return 0;
}

/* ---- reading ---- */

/*
 * A listing's summary from what the query gave (listing_only): no file is
 * opened, one is stat()ed for its size and arrival time.  A file gone
 * from its name is looked for as open_entry() does, so that flags another
 * client gave it show in this listing too.
 */
static int
listing_summary(struct backend_folder *f, size_t index, struct arena *arena, struct mime_summary *s,
                const struct backend_progress *progress, struct err *err)
{
	struct nm_entry *e = &f->msgs[index];
	struct stat st;
	int found;

	memset(s, 0, sizeof(*s));
	found = e->path != NULL && stat(e->path, &st) == 0;
	if (!found && (e->path == NULL || errno == ENOENT)) {
		if (relocate(f, index, progress, err) < 0)
			return -1;
		e = &f->msgs[index];
		found = e->path != NULL && stat(e->path, &st) == 0;
	}
	if (found) {
		s->size = (uint64_t)st.st_size;
		s->received = st.st_mtime;
	}
	mime_header_first_mailbox(arena, e->from, strlen(e->from), &s->from_name, &s->from_addr);
	if (*s->from_name == '\0')
		s->from_name = s->from_addr;
	/* notmuch keeps the decoded text; decoding again only sanitises it
	 * (and bounds it), unless it holds a literal "=?...?=". */
	s->subject =
	    mime_header_decode_text(arena, e->subject, strlen(e->subject), NM_SUMMARY_TEXT_MAX);
	s->to = s->cc = s->in_reply_to = s->references = s->list_post = "";
	s->message_id = arena_strdup(arena, e->id);
	s->date = e->date != 0 ? e->date : s->received;
	s->partial = 1;
	return 0;
}

static int
nm_load_summaries(struct backend_folder *f, size_t first, size_t n, struct arena *arena,
                  struct mime_summary *summaries, const struct backend_progress *progress,
                  struct err *err)
{
	static const char label[] = "Reading messages of the notmuch query";
	struct str data = STR_INIT;
	int ret = -1;

	if (backend_local_check_range(first, n, f->count, f->what, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct mime_summary *s = &summaries[i];
		struct nm_entry *e;
		int fd, rc;

		rc = f->listing_only ? 2 : open_entry(f, first + i, progress, &fd, err);
		e = &f->msgs[first + i];
		if (rc < 0)
			goto out;
		if (rc == 2) {
			if (listing_summary(f, first + i, arena, s, progress, err) < 0)
				goto out;
		} else if (rc == 0) {
			/* No file left: shown as an empty message until check(). */
			memset(s, 0, sizeof(*s));
			mime_summary_from_header(arena, "", 0, s);
		} else {
			rc = backend_local_maildir_summary(fd, NM_COUNT_LINES_MAX, arena, &data, s,
			                                   e->path, err);
			close(fd);
			if (rc < 0)
				goto out;
		}
		s->id = e->key;
		s->flags = e->flags | (e->recent ? MIME_FLAG_RECENT : 0);
		if (backend_local_tick(progress, -1, i, i + 1, n, label, err) < 0)
			goto out;
	}
	backend_report(progress, n, n, label);
	ret = 0;
out:
	str_free(&data);
	return ret;
}

static int
fetch(struct backend_folder *f, size_t index, int header_only, struct str *out, struct err *err)
{
	size_t before = out->len;
	int fd, rc;

	if (check_index(f, index, err) < 0)
		return -1;
	rc = open_entry(f, index, NULL, &fd, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(
		    err, ERR_IO,
		    "message %zu of the notmuch query %s has no file any more; check for "
		    "new mail",
		    index + 1, f->query);
	rc = backend_local_read_message(fd, f->max_message, header_only, out, f->msgs[index].path,
	                                err);
	close(fd);
	if (rc < 0)
		str_truncate(out, before);
	return rc;
}

static int
nm_fetch(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	return fetch(f, index, 0, out, err);
}

/* ---- searching ---- */

static void
nm_set_job(struct backend_folder *f, const struct backend_progress *progress, int cancel_fd)
{
	(void)cancel_fd;
	backend_local_set_job(&f->job, progress);
}

static uint64_t
nm_id(const struct backend_folder *f, size_t i)
{
	return f->msgs[i].key;
}

static int
nm_search(struct backend_folder *f, const char *query, struct arena *arena, uint64_t **ids_r,
          size_t *count_r, struct err *err)
{
	struct backend_local_search s = {f->count, nm_fetch, nm_id, f, &f->job};

	return backend_local_search_body(&s, query, arena, ids_r, count_r, err);
}

static int
nm_fetch_header(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	return fetch(f, index, 1, out, err);
}

/* ---- flags and tags ---- */

static int
nm_set_flags(struct backend_folder *f, size_t index, unsigned set, unsigned clear, struct err *err)
{
	struct nm_entry *e;

	if (check_index(f, index, err) < 0)
		return -1;
	if (f->read_only)
		return err_set(err, ERR_USAGE, "the notmuch query %s is open read-only", f->query);
	e = &f->msgs[index];
	e->flags = ((e->flags | set) & ~clear) & NM_FLAGS;
	/* Recent is where the file is; seen in this session, it is no longer. */
	if (clear & MIME_FLAG_RECENT)
		e->recent = 0;
	if (set & MIME_FLAG_RECENT)
		e->recent = in_new(e->path);
	return 0;
}

/* Makes the files of m carry its tags as maildir flags, and notes where
 * e's file is now. */
static notmuch_status_t
rename_files(struct backend_folder *f, struct nm_entry *e, notmuch_message_t *m)
{
	notmuch_status_t st = NOTMUCH_STATUS_SUCCESS;
	const char *path;

	if (f->sync_flags)
		st = notmuch_message_tags_to_maildir_flags(m);
	path = notmuch_message_get_filename(m);
	if (path != NULL && (e->path == NULL || strcmp(path, e->path) != 0)) {
		free(e->path);
		e->path = xstrdup(path);
	}
	e->recent = in_new(e->path);
	return st;
}

/* The maildirs whose cur/ and new/ had files renamed, to fsync once. */
struct maildirs {
	char **dirs;
	size_t n;
};

static void
maildirs_add(struct maildirs *md, const char *path)
{
	const char *slash = path != NULL ? strrchr(path, '/') : NULL;
	size_t len;

	if (slash == NULL || slash - path < 4)
		return;
	len = (size_t)(slash - 4 - path);
	for (size_t i = 0; i < md->n; i++)
		if (strlen(md->dirs[i]) == len && strncmp(md->dirs[i], path, len) == 0)
			return;
	md->dirs = xreallocarray(md->dirs, md->n + 1, sizeof(*md->dirs));
	md->dirs[md->n++] = xstrndup(path, len);
}

/* fsyncs the cur/ and new/ of each maildir, so the renames are durable, and
 * empties the set. */
static void
maildirs_sync(struct maildirs *md)
{
	for (size_t i = 0; i < md->n; i++) {
		(void)backend_local_maildir_sync(md->dirs[i], NULL);
		free(md->dirs[i]);
	}
	free(md->dirs);
	md->dirs = NULL;
	md->n = 0;
}

static void
sync_maildir_of(const char *path)
{
	struct maildirs md = {NULL, 0};

	maildirs_add(&md, path);
	maildirs_sync(&md);
}

static int
check_tag(const char *tag, struct err *err)
{
	if (tag == NULL || *tag == '\0')
		return err_set(err, ERR_USAGE, "a tag cannot be empty");
	if (strlen(tag) > NOTMUCH_TAG_MAX)
		return err_set(err, ERR_USAGE,
		               "the tag %.40s... is longer than notmuch allows (%d)", tag,
		               NOTMUCH_TAG_MAX);
	return 0;
}

static int
nm_set_tags(struct backend_folder *f, size_t index, const char *const *add, size_t nadd,
            const char *const *remove, size_t nremove, struct err *err)
{
	notmuch_database_t *db = NULL;
	notmuch_message_t *m = NULL;
	struct backend_params p;
	struct nm_entry *e;
	notmuch_status_t st = NOTMUCH_STATUS_SUCCESS;
	unsigned disk;
	int ret = -1;

	if (check_index(f, index, err) < 0)
		return -1;
	if (f->read_only)
		return err_set(err, ERR_USAGE, "the notmuch query %s is open read-only", f->query);
	for (size_t i = 0; i < nadd; i++)
		if (check_tag(add[i], err) < 0)
			return -1;
	for (size_t i = 0; i < nremove; i++)
		if (check_tag(remove[i], err) < 0)
			return -1;
	e = &f->msgs[index];
	write_params(f, NULL, &p);
	if (backend_notmuch_db_open(f->db_path, 0, &db, err) < 0 ||
	    backend_notmuch_db_writable(db, &p, err) < 0)
		goto out;
	st = notmuch_database_find_message(db, e->id, &m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, st, db, NULL, "cannot find message %zu", index + 1);
		goto out;
	}
	if (m == NULL) {
		err_set(err, ERR_USAGE, "message %zu is no longer in the notmuch database",
		        index + 1);
		goto out;
	}
	if (begin(db, err) < 0)
		goto out;
	/* Removals first, so "-x +x" leaves x, as notmuch tag does. */
	for (size_t i = 0; i < nremove && st == NOTMUCH_STATUS_SUCCESS; i++)
		st = notmuch_message_remove_tag(m, remove[i]);
	for (size_t i = 0; i < nadd && st == NOTMUCH_STATUS_SUCCESS; i++)
		st = notmuch_message_add_tag(m, add[i]);
	if (st == NOTMUCH_STATUS_SUCCESS)
		st = rename_files(f, e, m);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, st, db, NULL, "cannot tag message %zu", index + 1);
		notmuch_message_destroy(m);
		m = NULL;
		abandon(&db);
		goto out;
	}
	if (end(db, err) < 0)
		goto out;
	disk = flags_of(m);
	notmuch_message_destroy(m);
	m = NULL;
	if (backend_notmuch_db_close(&db, err) < 0)
		goto out;
	sync_maildir_of(e->path);
	e->flags = merge_flags(e, disk);
	e->disk = disk;
	ret = 0;
out:
	if (m != NULL)
		notmuch_message_destroy(m);
	if (db != NULL)
		backend_notmuch_db_close(&db, NULL);
	return ret;
}

/* ---- check, sync ---- */

static int
nm_check(struct backend_folder *f, enum backend_check *result_r,
         const struct backend_progress *progress, struct err *err)
{
	notmuch_database_t *db = NULL;
	struct nm_entry *fresh = NULL;
	size_t nfresh = 0, matched = 0, *old_of = NULL;
	enum backend_check result = BACKEND_CHECK_NONE;
	unsigned long rev;
	char *uuid = NULL;
	int ret = -1;

	*result_r = BACKEND_CHECK_NONE;
	if (backend_notmuch_db_open(f->db_path, 0, &db, err) < 0)
		return -1;
	read_revision(db, &rev, &uuid);
	if (rev == f->revision && strcmp(uuid, f->uuid) == 0) {
		ret = 0;
		goto out;
	}
	if (run_query(f, db, progress, -1, &fresh, &nfresh, err) < 0)
		goto out;
	/* Which old message each fresh one is (SIZE_MAX: new mail). */
	old_of = xcalloc(nfresh + 1, sizeof(*old_of));
	for (size_t i = 0; i < nfresh; i++) {
		size_t k;

		old_of[i] = SIZE_MAX;
		if (nm_find(f, fresh[i].key, &k) && strcmp(f->msgs[k].id, fresh[i].id) == 0) {
			old_of[i] = k;
			matched++;
		}
	}
	if (matched < f->count) {
		/* Messages left the query: everything is numbered anew, keeping
		 * the changes not yet written. */
		for (size_t i = 0; i < nfresh; i++) {
			if (old_of[i] != SIZE_MAX) {
				const struct nm_entry *o = &f->msgs[old_of[i]];

				fresh[i].flags = merge_flags(o, fresh[i].disk);
				if (!o->recent)
					fresh[i].recent = 0;
			}
		}
		entries_free(f->msgs, f->count);
		f->msgs = fresh;
		f->count = nfresh;
		fresh = NULL;
		result = BACKEND_CHECK_REOPENED;
	} else {
		size_t added = nfresh - matched, at = f->count;

		f->msgs = xreallocarray(f->msgs, f->count + added + 1, sizeof(*f->msgs));
		for (size_t i = 0; i < nfresh; i++) {
			struct nm_entry *o;

			if (old_of[i] == SIZE_MAX) {
				f->msgs[at++] = fresh[i];
				fresh[i].path = NULL;
				continue;
			}
			o = &f->msgs[old_of[i]];
			if (fresh[i].disk != o->disk)
				result = BACKEND_CHECK_FLAGS;
			o->flags = merge_flags(o, fresh[i].disk);
			o->disk = fresh[i].disk;
			if (fresh[i].path != NULL) {
				free(o->path);
				o->path = fresh[i].path;
				fresh[i].path = NULL;
			}
			if (!in_new(o->path))
				o->recent = 0;
		}
		f->count = at;
		if (result == BACKEND_CHECK_NONE && added > 0)
			result = BACKEND_CHECK_NEW_MAIL;
	}
	rebuild_keys(f);
	free(f->uuid);
	f->uuid = uuid;
	uuid = NULL;
	f->revision = rev;
	*result_r = result;
	ret = 0;
out:
	if (fresh != NULL)
		entries_free(fresh, nfresh);
	free(old_of);
	free(uuid);
	backend_notmuch_db_close(&db, NULL);
	return ret;
}

/*
 * What sync() has to write for an entry: its flags.  Having seen a
 * message does not move its file from new/ to cur/: notmuch moves a file
 * when its flags change, and a mail client's view of new mail is the
 * "unread" tag.
 */
static int
pending(const struct nm_entry *e)
{
	return e->flags != e->disk;
}

static int
nm_sync(struct backend_folder *f, int expunge, const struct backend_progress *progress,
        struct err *err)
{
	notmuch_database_t *db = NULL;
	struct backend_params p;
	struct maildirs renamed = {NULL, 0};
	notmuch_status_t st = NOTMUCH_STATUS_SUCCESS;
	size_t todo = 0, done = 0, failed = SIZE_MAX;
	int ret = -1;

	if (f->read_only) {
		for (size_t i = 0; i < f->count; i++)
			if (f->msgs[i].flags != f->msgs[i].disk)
				return err_set(
				    err, ERR_USAGE,
				    "the notmuch query %s is open read-only: changes cannot be "
				    "saved",
				    f->query);
		return 0;
	}
	for (size_t i = 0; i < f->count; i++)
		todo += pending(&f->msgs[i]);
	if (todo > 0) {
		write_params(f, progress, &p);
		if (backend_notmuch_db_open(f->db_path, 0, &db, err) < 0 ||
		    backend_notmuch_db_writable(db, &p, err) < 0 || begin(db, err) < 0)
			goto out;
		/*
		 * Files are renamed as tags change, so a change once made is kept
		 * and committed even when a later one fails: the database then
		 * agrees with the file names.  Not cancellable for that reason.
		 */
		for (size_t i = 0; i < f->count; i++) {
			struct nm_entry *e = &f->msgs[i];
			notmuch_message_t *m = NULL;

			if (!pending(e))
				continue;
			st = notmuch_database_find_message(db, e->id, &m);
			if (st == NOTMUCH_STATUS_SUCCESS && m == NULL) {
				e->disk = e->flags; /* gone meanwhile: nothing to write */
				continue;
			}
			if (st == NOTMUCH_STATUS_SUCCESS)
				st = set_flag_tags(m, flags_of(m), e->flags);
			if (st == NOTMUCH_STATUS_SUCCESS)
				st = rename_files(f, e, m);
			if (m != NULL)
				notmuch_message_destroy(m);
			if (st != NOTMUCH_STATUS_SUCCESS) {
				failed = i;
				backend_notmuch_db_err(err, st, db, NULL,
				                       "cannot write the flags of message %zu",
				                       i + 1);
				break;
			}
			e->disk = e->flags;
			maildirs_add(&renamed, e->path);
			if ((++done & 255) == 0)
				backend_report(progress, done, todo, "Writing flags to notmuch");
		}
		if (end(db, failed == SIZE_MAX ? err : NULL) < 0 && failed == SIZE_MAX)
			goto out;
		if (backend_notmuch_db_close(&db, failed == SIZE_MAX ? err : NULL) < 0 &&
		    failed == SIZE_MAX)
			goto out;
		if (failed != SIZE_MAX)
			goto out;
	}
	if (expunge) {
		size_t kept = 0;

		for (size_t i = 0; i < f->count; i++) {
			if (f->msgs[i].flags & MIME_FLAG_DELETED)
				free(f->msgs[i].path);
			else
				f->msgs[kept++] = f->msgs[i];
		}
		if (kept != f->count) {
			f->count = kept;
			rebuild_keys(f);
		}
	}
	backend_report(progress, todo, todo, "Writing flags to notmuch");
	ret = 0;
out:
	if (db != NULL)
		abandon(&db);
	maildirs_sync(&renamed);
	return ret;
}

/* ---- delivery ---- */

static int
nm_append(const struct url *url, const struct backend_params *params, const char *data, size_t len,
          unsigned flags, time_t date, struct err *err)
{
	notmuch_database_t *db = NULL;
	notmuch_message_t *m = NULL;
	notmuch_status_t st = NOTMUCH_STATUS_SUCCESS;
	char *db_path = NULL, *query = NULL, *path = NULL, *root = NULL;
	const char *v;
	unsigned letters = flags & BACKEND_LOCAL_MAILDIR_LETTER_FLAGS;
	struct err rerr;
	int sync_flags, ret = -1;

	if (parse_url(url, &db_path, &query, err) < 0)
		goto out;
	if (backend_notmuch_db_open(db_path, params->create, &db, err) < 0)
		goto out;
	v = notmuch_config_get(db, NOTMUCH_CONFIG_MAIL_ROOT);
	root = xstrdup(v != NULL && *v != '\0' ? v : notmuch_database_get_path(db));
	sync_flags = sync_flags_of(db);
	if (backend_local_maildir_create(root, err) < 0)
		goto out;
	/*
	 * new/ first, whatever the flags: a file there that the database does
	 * not know is one to index (recover_new), so a crash before the commit
	 * below loses nothing.
	 */
	if (backend_local_maildir_deliver(root, data, len, 0, 1, date, &path, err) < 0)
		goto out;
	if (backend_notmuch_db_writable(db, params, err) < 0 || begin(db, err) < 0 ||
	    index_file(db, path, flags, sync_flags, err) < 0) {
		/* Nothing was committed: take the file back, the caller keeps the message. */
		abandon(&db);
		unlink(path);
		sync_maildir_of(path);
		goto out;
	}
	if (end(db, err) < 0 || backend_notmuch_db_close(&db, err) < 0) {
		/* Committed or not, the file is safe: the next index pass takes it. */
		log_warn("%s stays in new/ to be indexed later", path);
		goto out;
	}
	log_trace(LOG_CH_BACKEND, "notmuch: delivered and indexed %s", path);
	ret = 0;
	/*
	 * Mail with flags belongs in cur/, its flags in its name: a second
	 * step after the commit, so the message is safe whatever happens
	 * here, and a failure only leaves it in new/.
	 */
	if (!sync_flags || letters == 0)
		goto out;
	if (backend_notmuch_db_open(db_path, 0, &db, &rerr) < 0 ||
	    backend_notmuch_db_writable(db, params, &rerr) < 0) {
		log_warn("%s stays in new/: %s", path, rerr.msg);
		goto out;
	}
	st = notmuch_database_find_message_by_filename(db, path, &m);
	if (st == NOTMUCH_STATUS_SUCCESS && m != NULL)
		st = notmuch_message_tags_to_maildir_flags(m);
	if (m != NULL)
		notmuch_message_destroy(m);
	if (st != NOTMUCH_STATUS_SUCCESS)
		log_warn("%s stays in new/: %s", path, notmuch_status_to_string(st));
	if (backend_notmuch_db_close(&db, &rerr) < 0)
		log_warn("%s", rerr.msg);
	sync_maildir_of(path);
out:
	if (db != NULL)
		backend_notmuch_db_close(&db, NULL);
	free(db_path);
	free(query);
	free(path);
	free(root);
	return ret;
}

/* ---- the store ---- */

int
backend_notmuch_init(const char *db_path, struct backend_notmuch_store *store_r, struct err *err)
{
	struct backend_notmuch_where where;

	memset(store_r, 0, sizeof(*store_r));
	if (backend_notmuch_db_locate(db_path, &where, err) < 0)
		return -1;
	if (!where.exists) {
		if (backend_notmuch_db_create(&where, err) < 0) {
			backend_notmuch_where_clear(&where);
			return -1;
		}
		store_r->created = 1;
	} else if (backend_local_maildir_create(where.mail_root, err) < 0) {
		backend_notmuch_where_clear(&where);
		return -1;
	}
	store_r->db_path = where.db_path;
	store_r->mail_root = where.mail_root;
	store_r->config = where.config;
	return 0;
}

void
backend_notmuch_store_clear(struct backend_notmuch_store *store)
{
	free(store->db_path);
	free(store->mail_root);
	free(store->config);
	memset(store, 0, sizeof(*store));
}

static const char *const nm_schemes[] = {"notmuch", NULL};

const struct backend_ops backend_notmuch_ops = {
    .name = "notmuch",
    .schemes = nm_schemes,
    .caps = BE_CAP_HEADERS_ONLY | BE_CAP_TAGS | BE_CAP_APPEND | BE_CAP_EXPUNGE | BE_CAP_FLAGS |
            BE_CAP_LOCAL,
    .open = nm_open,
    .count = nm_count,
    .read_only = nm_read_only,
    .find = nm_find,
    .load_summaries = nm_load_summaries,
    .fetch = nm_fetch,
    .fetch_header = nm_fetch_header,
    .fetch_partial = NULL,
    .set_flags = nm_set_flags,
    .check = nm_check,
    .search = nm_search,
    .set_job = nm_set_job,
    .sync = nm_sync,
    .close = nm_close,
    .append = nm_append,
    .list = NULL,
    .create = NULL,
    .remove = NULL,
    .rename = NULL,
    .set_tags = nm_set_tags,
};
