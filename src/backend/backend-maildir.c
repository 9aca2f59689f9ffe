/*
 * The maildir backend: one file per message in cur/ or new/, flags in
 * the file name after ":2," (D draft, F flagged, P passed, R replied,
 * S seen, T trashed), written in ASCII order with letters petrel does not
 * know (Dovecot keywords, say) kept as they were.
 *
 * Choices:
 *   - Messages in new/ are listed as recent.  They move to cur/ (with
 *     ":2," and their flags) when the folder is synced, as the maildir
 *     specification asks of a reader that has seen them: this program
 *     listed them.  A folder closed without syncing leaves them in new/.
 *   - Numbering is by delivery time (the number that starts the file
 *     name), then by name compared with digit runs as numbers; mail that
 *     arrives while the folder is open goes at the end.
 *   - A summary's id is a 64-bit hash of the unique part of the name
 *     (before ':'), which other clients keep when they change flags.
 *   - Flag changes and expunges are written at sync.  A file that another
 *     client renamed meanwhile is found again under its unique name and
 *     our change is applied on top of theirs; a file that is gone is not
 *     an error.
 *   - Delivery (append) is backend_local_maildir_deliver: tmp/NAME,
 *     fsynced, linked into new/ for new mail (cur/NAME:2,FLAGS otherwise),
 *     the directory fsynced.
 *   - Body lines are counted for files up to 1 MiB; larger ones say 0
 *     (unknown) rather than reading them whole just to count.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend-local-maildir.h"
#include "backend/backend-local-search.h"
#include "backend/backend-local.h"
#include "backend/backend.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "mime/mime-summary.h"

#define MD_COUNT_LINES_MAX (1024 * 1024)

/* Flags that have a letter; RECENT is where the file is, not a letter. */
#define MD_LETTER_FLAGS BACKEND_LOCAL_MAILDIR_LETTER_FLAGS

struct md_entry {
	char *base;     /* unique part of the name, before ':' */
	char *name;     /* the file name now (in new/ or cur/); NULL once it vanished */
	char *extra;    /* info letters we do not know, kept; "" if none */
	int in_new;     /* the file is in new/ */
	int recent;     /* it was in new/ when we first saw it */
	unsigned disk;  /* flags in the file name */
	unsigned flags; /* flags wanted; written at sync */
	uint64_t id;
	long long time_key;
};

struct backend_folder {
	char *path;
	char *what; /* "a message in PATH", for errors */
	int read_only;
	struct md_entry *msgs;
	size_t count;
	struct backend_local_key *ids; /* for find(); rebuilt when numbering changes */
	int cancel_fd;
	uint64_t max_message;
	/* new/ and cur/ as last read: when neither changed, check() is one stat each. */
	struct timespec dir_mtime[2];
	/* The running job's progress hooks (set_job), for search(). */
	struct backend_progress job;
};

/* ---- names ---- */

/*
 * Splits a file name into base, flags and unknown info letters.  A name
 * whose info is not ":2," (experimental ":1," semantics) keeps that info
 * whole in *extra_r with no flags, and it is replaced should flags ever
 * be written.
 */
static void
parse_name(const char *name, char **base_r, unsigned *flags_r, char **extra_r)
{
	const char *colon = strchr(name, ':');
	struct str extra = STR_INIT;
	unsigned flags = 0;

	*base_r = colon ? xstrndup(name, (size_t)(colon - name)) : xstrdup(name);
	if (colon != NULL && strncmp(colon + 1, "2,", 2) == 0) {
		for (const char *c = colon + 3; *c; c++) {
			unsigned f = backend_local_maildir_letter_flag(*c);

			if (f != 0)
				flags |= f;
			else if (extra.len == 0 || strchr(extra.s, *c) == NULL)
				str_append_char(&extra, *c);
		}
	}
	*flags_r = flags;
	*extra_r = extra.s ? str_detach(&extra) : xstrdup("");
}

static long long
name_time(const char *name)
{
	long long t = 0;

	for (const char *c = name; *c >= '0' && *c <= '9' && t < 1000000000000LL; c++)
		t = t * 10 + (*c - '0');
	return t;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct md_entry *x = a, *y = b;

	if (x->time_key != y->time_key)
		return x->time_key < y->time_key ? -1 : 1;
	return strverscmp(x->base, y->base);
}

static char *
entry_path(const struct backend_folder *f, const struct md_entry *e)
{
	return xasprintf("%s/%s/%s", f->path, e->in_new ? "new" : "cur", e->name);
}

static void
entry_free(struct md_entry *e)
{
	free(e->base);
	free(e->name);
	free(e->extra);
}

/* ---- scanning ---- */

struct md_scan {
	struct md_entry *e;
	size_t n, cap;
};

static int
scan_dir(const char *path, const char *sub, struct md_scan *scan, struct err *err)
{
	char *dir = xasprintf("%s/%s", path, sub);
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = -1;

	if (d == NULL) {
		err_sys(err, ERR_IO, errno, "cannot read %s", dir);
		goto out;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct md_entry *e;

		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
			continue;
		if (de->d_type != DT_REG) {
			char *p = xasprintf("%s/%s", dir, de->d_name);
			struct stat st;
			int reg = stat(p, &st) == 0 && S_ISREG(st.st_mode);

			free(p);
			if (!reg)
				continue;
		}
		if (scan->n == scan->cap) {
			scan->cap = scan->cap ? scan->cap * 2 : 256;
			scan->e = xreallocarray(scan->e, scan->cap, sizeof(*scan->e));
		}
		e = &scan->e[scan->n++];
		memset(e, 0, sizeof(*e));
		e->name = xstrdup(de->d_name);
		parse_name(e->name, &e->base, &e->disk, &e->extra);
		e->flags = e->disk;
		e->in_new = sub[0] == 'n';
		e->recent = e->in_new;
		e->id = backend_local_hash(e->base);
		e->time_key = name_time(e->base);
	}
	if (errno != 0) {
		err_sys(err, ERR_IO, errno, "cannot read %s", dir);
		closedir(d);
		goto out;
	}
	closedir(d);
	ret = 0;
out:
	free(dir);
	return ret;
}

static void
scan_free(struct md_scan *scan)
{
	for (size_t i = 0; i < scan->n; i++)
		entry_free(&scan->e[i]);
	free(scan->e);
	memset(scan, 0, sizeof(*scan));
}

/* The times of new/ and cur/; zero when they cannot be read. */
static void
dir_times(const char *path, struct timespec mt[2])
{
	static const char *const subs[] = {"new", "cur"};

	for (int i = 0; i < 2; i++) {
		char *dir = xasprintf("%s/%s", path, subs[i]);
		struct stat st;

		if (stat(dir, &st) == 0)
			mt[i] = st.st_mtim;
		else
			memset(&mt[i], 0, sizeof(mt[i]));
		free(dir);
	}
}

/*
 * Reads new/ and cur/ into *scan, sorted by delivery time.  The
 * directories' times are taken first, so a change made while they are
 * read shows at the next check.
 */
static int
scan_folder(const char *path, struct md_scan *scan, struct timespec mt[2], struct err *err)
{
	struct timespec now;

	dir_times(path, mt);
	/*
	 * File times move in clock ticks, so a directory changed just now may
	 * change again without its time moving: such a time is not trusted
	 * and the next check reads the directories again.
	 */
	clock_gettime(CLOCK_REALTIME, &now);
	for (int i = 0; i < 2; i++)
		if (now.tv_sec - mt[i].tv_sec < 2)
			memset(&mt[i], 0, sizeof(mt[i]));
	memset(scan, 0, sizeof(*scan));
	if (scan_dir(path, "new", scan, err) < 0 || scan_dir(path, "cur", scan, err) < 0) {
		scan_free(scan);
		return -1;
	}
	if (scan->n > 0)
		qsort(scan->e, scan->n, sizeof(*scan->e), entry_cmp);
	return 0;
}

static int
base_cmp(const void *a, const void *b)
{
	const struct md_entry *const *x = a, *const *y = b;

	return strcmp((*x)->base, (*y)->base);
}

static void
rebuild_ids(struct backend_folder *f)
{
	free(f->ids);
	f->ids = xcalloc(f->count + 1, sizeof(*f->ids));
	for (size_t i = 0; i < f->count; i++) {
		f->ids[i].key = f->msgs[i].id;
		f->ids[i].index = i;
	}
	backend_local_keys_sort(f->ids, f->count);
}

/* Drops the entries whose file has vanished: renumbers. */
static void
drop_vanished(struct backend_folder *f)
{
	size_t kept = 0;

	for (size_t i = 0; i < f->count; i++) {
		if (f->msgs[i].name == NULL)
			entry_free(&f->msgs[i]);
		else
			f->msgs[kept++] = f->msgs[i];
	}
	f->count = kept;
	rebuild_ids(f);
}

/*
 * Reads the directories again and brings f->msgs up to date: renamed
 * files get their new names (our pending changes kept on top), vanished
 * ones are dropped, new ones are appended.  Sets *result_r to the check
 * result this amounts to.
 */
static int
rescan(struct backend_folder *f, enum backend_check *result_r, struct err *err)
{
	struct md_scan scan;
	struct md_entry **by_base = NULL;
	enum backend_check result = BACKEND_CHECK_NONE;
	int *used = NULL, vanished = 0, flags_changed = 0;
	size_t added = 0;

	if (scan_folder(f->path, &scan, f->dir_mtime, err) < 0)
		return -1;
	by_base = xcalloc(scan.n + 1, sizeof(*by_base));
	used = xcalloc(scan.n + 1, sizeof(*used));
	for (size_t i = 0; i < scan.n; i++)
		by_base[i] = &scan.e[i];
	if (scan.n > 0)
		qsort(by_base, scan.n, sizeof(*by_base), base_cmp);
	for (size_t i = 0; i < f->count; i++) {
		struct md_entry *e = &f->msgs[i], key, *kp = &key, **hit;

		key.base = e->base;
		hit = scan.n > 0 ? bsearch(&kp, by_base, scan.n, sizeof(*by_base), base_cmp) : NULL;
		if (hit == NULL) {
			xfree(&e->name);
			vanished = 1;
			continue;
		}
		used[(size_t)(*hit - scan.e)] = 1;
		if (e->name == NULL || strcmp(e->name, (*hit)->name) != 0 ||
		    e->in_new != (*hit)->in_new) {
			if ((*hit)->disk != e->disk || strcmp((*hit)->extra, e->extra) != 0)
				flags_changed = 1;
			e->flags = backend_local_merge_flags(e->flags, e->disk, (*hit)->disk);
			e->disk = (*hit)->disk;
			free(e->name);
			free(e->extra);
			e->name = xstrdup((*hit)->name);
			e->extra = xstrdup((*hit)->extra);
			e->in_new = (*hit)->in_new;
		}
	}
	for (size_t i = 0; i < scan.n; i++)
		if (!used[i])
			added++;
	if (added > 0) {
		f->msgs = xreallocarray(f->msgs, f->count + added + 1, sizeof(*f->msgs));
		for (size_t i = 0; i < scan.n; i++) {
			if (used[i])
				continue;
			/* Moved over: the scan array gives up these strings. */
			f->msgs[f->count++] = scan.e[i];
			memset(&scan.e[i], 0, sizeof(scan.e[i]));
		}
	}
	if (vanished)
		result = BACKEND_CHECK_REOPENED;
	else if (flags_changed)
		result = BACKEND_CHECK_FLAGS;
	else if (added > 0)
		result = BACKEND_CHECK_NEW_MAIL;
	drop_vanished(f);
	free(by_base);
	free(used);
	scan_free(&scan);
	*result_r = result;
	return 0;
}

/* ---- opening and reading ---- */

static int
md_create_dirs(const char *path, struct err *err)
{
	/* The folder's parent must exist: creating a folder makes one level. */
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return err_sys(err, ERR_IO, errno, "cannot create %s", path);
	if (backend_local_maildir_create(path, err) < 0)
		return -1;
	/* Maildir++: a ".Sub" folder inside a maildir is marked as one. */
	{
		char *copy = xstrdup(path), *copy2 = xstrdup(path);
		const char *base = basename(copy), *parent = dirname(copy2);

		if (base[0] == '.' && backend_local_is_maildir(parent)) {
			char *mark = xasprintf("%s/maildirfolder", path);
			int fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

			if (fd >= 0)
				close(fd);
			free(mark);
		}
		free(copy);
		free(copy2);
	}
	return file_fsync_dir_of(path, err);
}

static int
md_open(const struct url *url, const struct backend_params *params,
        struct backend_folder **folder_r, struct err *err)
{
	struct backend_folder *f;
	struct md_scan scan;
	struct timespec mt[2];
	char *cur;

	if (!backend_local_is_maildir(url->path)) {
		struct stat st;

		if (stat(url->path, &st) < 0 && errno == ENOENT && params->create) {
			if (md_create_dirs(url->path, err) < 0)
				return -1;
		} else if (stat(url->path, &st) < 0 && errno == ENOENT) {
			return err_set(err, ERR_USAGE, "%s does not exist", url->path);
		} else {
			return err_set(err, ERR_USAGE,
			               "%s is not a maildir (it needs cur/, new/ and tmp/)",
			               url->path);
		}
	}
	backend_report(&params->progress, 0, 0, "Reading the maildir");
	if (scan_folder(url->path, &scan, mt, err) < 0)
		return -1;
	f = xcalloc(1, sizeof(*f));
	memcpy(f->dir_mtime, mt, sizeof(mt));
	f->path = xstrdup(url->path);
	f->what = xasprintf("a message in %s", f->path);
	f->msgs = scan.e;
	f->count = scan.n;
	f->cancel_fd = params->cancel_fd;
	f->max_message = params->max_message;
	cur = xasprintf("%s/cur", f->path);
	f->read_only = params->read_only || access(cur, W_OK) < 0;
	free(cur);
	rebuild_ids(f);
	log_trace(LOG_CH_BACKEND, "maildir %s: %zu messages%s", f->path, f->count,
	          f->read_only ? ", read-only" : "");
	*folder_r = f;
	return 0;
}

static void
md_close(struct backend_folder **folder)
{
	struct backend_folder *f = *folder;

	if (f == NULL)
		return;
	for (size_t i = 0; i < f->count; i++)
		entry_free(&f->msgs[i]);
	free(f->msgs);
	free(f->ids);
	free(f->path);
	free(f->what);
	xfree(folder);
}

static size_t
md_count(const struct backend_folder *f)
{
	return f->count;
}

static int
md_read_only(const struct backend_folder *f)
{
	return f->read_only;
}

static int
md_find(const struct backend_folder *f, uint64_t id, size_t *index_r)
{
	return backend_local_keys_find(f->ids, f->count, id, index_r);
}

/*
 * Message index's file is not where we left it: another client renamed
 * it (flags), moved it from new/ to cur/, or removed it.  Finds it under
 * its unique name and takes its new name, our pending change kept on top
 * of the flags it now carries.  1: found; 0: gone (the entry loses its
 * name, and check() drops it).
 */
static int
relocate(struct backend_folder *f, size_t index, struct err *err)
{
	struct md_entry *e = &f->msgs[index];
	char *old = entry_path(f, e), *moved = NULL, *base, *extra;
	const char *name;
	unsigned disk;
	int rc = backend_local_maildir_find(old, &moved, err);

	free(old);
	if (rc <= 0) {
		if (rc == 0)
			xfree(&e->name);
		return rc;
	}
	name = strrchr(moved, '/') + 1;
	parse_name(name, &base, &disk, &extra);
	e->flags = backend_local_merge_flags(e->flags, e->disk, disk);
	e->disk = disk;
	free(e->name);
	free(e->extra);
	e->name = xstrdup(name);
	e->extra = extra;
	e->in_new = backend_local_maildir_in_new(moved);
	free(base);
	free(moved);
	return 1;
}

/* Opens a message's file, finding it again if another client moved it. */
static int
open_entry(struct backend_folder *f, size_t index, int *fd_r, struct err *err)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		struct md_entry *e = &f->msgs[index];
		char *path;
		int fd;

		if (e->name == NULL)
			break;
		path = entry_path(f, e);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			free(path);
			*fd_r = fd;
			return 0;
		}
		if (errno != ENOENT) {
			err_sys(err, ERR_IO, errno, "cannot read %s", path);
			free(path);
			return -1;
		}
		free(path);
		if (relocate(f, index, err) < 0)
			return -1;
	}
	return err_set(err, ERR_IO,
	               "message %zu of %s was removed by another program; check for new mail",
	               index + 1, f->path);
}

static int
check_index(const struct backend_folder *f, size_t index, struct err *err)
{
	return backend_local_check_index(index, f->count, f->path, err);
}

/* Reads the message (its header only, with header_only) into *out, LF-normalised. */
static int
fetch(struct backend_folder *f, size_t index, int header_only, struct str *out, struct err *err)
{
	size_t before = out->len;
	int fd, rc;

	if (check_index(f, index, err) < 0 || open_entry(f, index, &fd, err) < 0)
		return -1;
	rc = backend_local_read_message(fd, f->max_message, header_only, out, f->what, err);
	close(fd);
	if (rc < 0)
		str_truncate(out, before);
	return rc;
}

static int
md_fetch(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	return fetch(f, index, 0, out, err);
}

static int
md_fetch_header(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	return fetch(f, index, 1, out, err);
}

static int
md_load_summaries(struct backend_folder *f, size_t first, size_t n, struct arena *arena,
                  struct mime_summary *summaries, const struct backend_progress *progress,
                  struct err *err)
{
	struct str data = STR_INIT;
	char *label = NULL;
	int ret = -1;

	if (backend_local_check_range(first, n, f->count, f->path, err) < 0)
		return -1;
	label = xasprintf("Reading headers of %s", f->path);
	for (size_t i = 0; i < n; i++) {
		struct mime_summary *s = &summaries[i];
		struct md_entry *e;
		int fd, rc;

		if (open_entry(f, first + i, &fd, err) < 0) {
			if (f->msgs[first + i].name != NULL)
				goto out;
			/* Gone since the scan: shown as an empty message until check(). */
			memset(s, 0, sizeof(*s));
			mime_summary_from_header(arena, "", 0, s);
		} else {
			rc = backend_local_maildir_summary(fd, MD_COUNT_LINES_MAX, arena, &data, s,
			                                   f->what, err);
			close(fd);
			if (rc < 0)
				goto out;
		}
		e = &f->msgs[first + i];
		s->id = e->id;
		s->flags = e->flags | (e->recent ? MIME_FLAG_RECENT : 0);
		if (backend_local_tick(progress, f->cancel_fd, i, i + 1, n, label, err) < 0)
			goto out;
	}
	backend_report(progress, n, n, label);
	ret = 0;
out:
	str_free(&data);
	free(label);
	return ret;
}

static int
md_set_flags(struct backend_folder *f, size_t index, unsigned set, unsigned clear, struct err *err)
{
	struct md_entry *e;

	if (check_index(f, index, err) < 0)
		return -1;
	if (f->read_only)
		return err_set(err, ERR_USAGE, "%s is read-only", f->path);
	e = &f->msgs[index];
	e->flags = (e->flags | set) & ~clear;
	/* Recent is where the file was found, not a letter: it lives here. */
	if (clear & MIME_FLAG_RECENT)
		e->recent = 0;
	if (set & MIME_FLAG_RECENT)
		e->recent = 1;
	e->flags &= MD_LETTER_FLAGS;
	return 0;
}

static int
md_check(struct backend_folder *f, enum backend_check *result_r,
         const struct backend_progress *progress, struct err *err)
{
	struct timespec mt[2];
	int ghosts = 0;

	(void)progress;
	for (size_t i = 0; i < f->count && !ghosts; i++)
		ghosts = f->msgs[i].name == NULL;
	dir_times(f->path, mt);
	if (!ghosts && memcmp(mt, f->dir_mtime, sizeof(mt)) == 0) {
		*result_r = BACKEND_CHECK_NONE;
		return 0;
	}
	return rescan(f, result_r, err);
}

/* ---- searching ---- */

static void
md_set_job(struct backend_folder *f, const struct backend_progress *progress, int cancel_fd)
{
	(void)cancel_fd;
	backend_local_set_job(&f->job, progress);
}

static uint64_t
md_id(const struct backend_folder *f, size_t i)
{
	return f->msgs[i].id;
}

static int
md_search(struct backend_folder *f, const char *query, struct arena *arena, uint64_t **ids_r,
          size_t *count_r, struct err *err)
{
	struct backend_local_search s = {f->count, md_fetch, md_id, f, &f->job};

	return backend_local_search_body(&s, query, arena, ids_r, count_r, err);
}

/* ---- writing ---- */

/* Renames one message to carry its wanted flags in cur/. */
static int
write_entry(struct backend_folder *f, size_t index, struct err *err)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		struct md_entry *e = &f->msgs[index];
		char *from, *name, *to;
		int rc;

		if (e->name == NULL)
			return 0; /* gone: nothing to write */
		if (!e->in_new && e->flags == e->disk)
			return 0;
		name = backend_local_maildir_name(e->base, e->flags, e->extra);
		from = entry_path(f, e);
		to = xasprintf("%s/cur/%s", f->path, name);
		rc = rename(from, to);
		if (rc == 0) {
			free(e->name);
			e->name = name;
			e->in_new = 0;
			e->disk = e->flags;
			free(from);
			free(to);
			return 0;
		}
		rc = errno;
		free(name);
		free(to);
		if (rc != ENOENT) {
			err_sys(err, ERR_IO, rc, "cannot rename %s", from);
			free(from);
			return -1;
		}
		free(from);
		/* Another client renamed or removed it: find it and try again. */
		if (relocate(f, index, err) < 0)
			return -1;
	}
	return err_set(err, ERR_IO, "%s keeps changing under us; try again", f->path);
}

/* Removes a deleted message's file; one already gone is fine. */
static int
unlink_entry(struct backend_folder *f, size_t index, struct err *err)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		struct md_entry *e = &f->msgs[index];
		char *path;
		int rc, saved;

		if (e->name == NULL)
			return 0;
		path = entry_path(f, e);
		rc = unlink(path);
		saved = errno;
		free(path);
		if (rc == 0) {
			xfree(&e->name);
			return 0;
		}
		if (saved != ENOENT)
			return err_sys(err, ERR_IO, saved, "cannot remove a message from %s",
			               f->path);
		/* Renamed by another client, or removed: look again. */
		if (relocate(f, index, err) < 0)
			return -1;
	}
	return err_set(err, ERR_IO, "%s keeps changing under us; try again", f->path);
}

static int
md_sync(struct backend_folder *f, int expunge, const struct backend_progress *progress,
        struct err *err)
{
	char *label;
	int touched = 0, ret = -1;

	if (f->read_only) {
		for (size_t i = 0; i < f->count; i++)
			if (f->msgs[i].name != NULL && f->msgs[i].flags != f->msgs[i].disk)
				return err_set(err, ERR_USAGE,
				               "%s is read-only: changes cannot be saved", f->path);
		return 0;
	}
	label = xasprintf("Writing %s", f->path);
	for (size_t i = 0; i < f->count; i++) {
		struct md_entry *e = &f->msgs[i];

		if (backend_local_tick(progress, f->cancel_fd, i, i, f->count, label, err) < 0)
			goto out;
		if (expunge && (e->flags & MIME_FLAG_DELETED)) {
			if (unlink_entry(f, i, err) < 0)
				goto out;
			touched = 1;
		} else if (e->name != NULL && (e->in_new || e->flags != e->disk)) {
			if (write_entry(f, i, err) < 0)
				goto out;
			touched = 1;
		}
	}
	/* Renumber only now, with every file written. */
	if (expunge)
		drop_vanished(f);
	if (touched && backend_local_maildir_sync(f->path, err) < 0)
		goto out;
	backend_report(progress, f->count, f->count, label);
	ret = 0;
out:
	free(label);
	return ret;
}

/* ---- delivery ---- */

static int
md_append(const struct url *url, const struct backend_params *params, const char *data, size_t len,
          unsigned flags, time_t date, struct err *err)
{
	const char *path = url->path;
	char *dest = NULL;
	int in_new;

	if (!backend_local_is_maildir(path)) {
		struct stat st;

		if (params->create && stat(path, &st) < 0 && errno == ENOENT) {
			if (md_create_dirs(path, err) < 0)
				return -1;
		} else {
			return err_set(err, ERR_USAGE, "%s is not a maildir", path);
		}
	}
	/* new/ holds new mail only, and a file there carries no flags. */
	in_new = (flags & MIME_FLAG_RECENT) && !(flags & MD_LETTER_FLAGS);
	if (backend_local_maildir_deliver(path, data, len, flags & MD_LETTER_FLAGS, in_new, date,
	                                  &dest, err) < 0)
		return -1;
	free(dest);
	return 0;
}

/* ---- folder management ---- */

static int
md_create(const struct url *url, const struct backend_params *params, struct err *err)
{
	(void)params;
	if (backend_local_is_maildir(url->path))
		return err_set(err, ERR_USAGE, "%s already exists", url->path);
	return md_create_dirs(url->path, err);
}

/* Removes the regular files of dir and dir itself. */
static int
remove_flat_dir(const char *dir, struct err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return errno == ENOENT ? 0 : err_sys(err, ERR_IO, errno, "cannot read %s", dir);
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", dir, de->d_name);
		if (unlink(p) < 0 && errno != ENOENT) {
			err_sys(err, ERR_IO, errno, "cannot remove %s", p);
			free(p);
			closedir(d);
			return -1;
		}
		free(p);
	}
	closedir(d);
	if (rmdir(dir) < 0 && errno != ENOENT)
		return err_sys(err, ERR_IO, errno, "cannot remove %s", dir);
	return 0;
}

static int
md_remove(const struct url *url, const struct backend_params *params, struct err *err)
{
	static const char *const subs[] = {"tmp", "new", "cur"};
	const char *path = url->path;
	DIR *d;
	struct dirent *de;

	(void)params;
	if (!backend_local_is_maildir(path))
		return err_set(err, ERR_USAGE, "%s is not a maildir: not removing it", path);
	d = opendir(path);
	if (d == NULL)
		return err_sys(err, ERR_IO, errno, "cannot read %s", path);
	while ((de = readdir(d)) != NULL) {
		char *sub;
		int md;

		if (de->d_name[0] != '.' || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		sub = xasprintf("%s/%s", path, de->d_name);
		md = backend_local_is_maildir(sub);
		free(sub);
		if (md) {
			err_set(err, ERR_USAGE, "%s has subfolders (%s...); remove them first",
			        path, de->d_name);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	for (size_t i = 0; i < 3; i++) {
		char *sub = xasprintf("%s/%s", path, subs[i]);
		int rc = remove_flat_dir(sub, err);

		free(sub);
		if (rc < 0)
			return -1;
	}
	{
		char *mark = xasprintf("%s/maildirfolder", path);

		unlink(mark);
		free(mark);
	}
	/* Other files of the user's stay, and with them the directory. */
	if (rmdir(path) < 0 && errno != ENOTEMPTY && errno != EEXIST)
		return err_sys(err, ERR_IO, errno, "cannot remove %s", path);
	return file_fsync_dir_of(path, err);
}

static int
md_rename(const struct url *from, const struct url *to, const struct backend_params *params,
          struct err *err)
{
	char *fcopy = xstrdup(from->path), *tcopy = xstrdup(to->path);
	char *fdir_copy = xstrdup(from->path), *tdir_copy = xstrdup(to->path);
	const char *fbase = basename(fcopy), *tbase = basename(tcopy);
	const char *fdir = dirname(fdir_copy), *tdir = dirname(tdir_copy);
	int ret = -1;

	(void)params;
	if (!backend_local_is_maildir(from->path)) {
		err_set(err, ERR_USAGE, "%s is not a maildir", from->path);
		goto out;
	}
	if (renameat2(AT_FDCWD, from->path, AT_FDCWD, to->path, RENAME_NOREPLACE) < 0) {
		if (errno == EEXIST || errno == ENOTEMPTY)
			err_set(err, ERR_USAGE, "%s already exists", to->path);
		else
			err_sys(err, ERR_IO, errno, "cannot rename %s to %s", from->path, to->path);
		goto out;
	}
	/* Maildir++ children (.A.B under .A) follow their parent's new name. */
	if (fbase[0] == '.' && tbase[0] == '.' && strcmp(fdir, tdir) == 0) {
		DIR *d = opendir(fdir);
		struct dirent *de;
		size_t flen = strlen(fbase);

		while (d != NULL && (de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, fbase, flen) == 0 && de->d_name[flen] == '.') {
				char *a = xasprintf("%s/%s", fdir, de->d_name);
				char *b = xasprintf("%s/%s%s", fdir, tbase, de->d_name + flen);

				if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE) < 0)
					log_warn("cannot rename the subfolder %s to %s: %s", a, b,
					         strerror(errno));
				free(a);
				free(b);
			}
		}
		if (d != NULL)
			closedir(d);
	}
	ret = file_fsync_dir_of(to->path, err);
out:
	free(fcopy);
	free(tcopy);
	free(fdir_copy);
	free(tdir_copy);
	return ret;
}

static const char *const md_schemes[] = {"maildir", "file", NULL};

const struct backend_ops backend_maildir_ops = {
    .name = "maildir",
    .schemes = md_schemes,
    .caps = BE_CAP_FOLDERS | BE_CAP_HEADERS_ONLY | BE_CAP_APPEND | BE_CAP_EXPUNGE | BE_CAP_CREATE |
            BE_CAP_FLAGS | BE_CAP_LOCAL,
    .open = md_open,
    .count = md_count,
    .read_only = md_read_only,
    .find = md_find,
    .load_summaries = md_load_summaries,
    .fetch = md_fetch,
    .fetch_header = md_fetch_header,
    .fetch_partial = NULL,
    .set_flags = md_set_flags,
    .check = md_check,
    .search = md_search,
    .set_job = md_set_job,
    .sync = md_sync,
    .close = md_close,
    .append = md_append,
    .list = backend_local_list,
    .create = md_create,
    .remove = md_remove,
    .rename = md_rename,
};
