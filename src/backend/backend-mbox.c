/*
 * The mbox backend: one file, messages split by From_ lines (the rules
 * are in backend-mbox.h).  Locks (backend-lock.h) are held while the file
 * is read and while it is written, not while the folder is merely open,
 * so mail can be delivered meanwhile; each read and write first checks
 * that the file is still the one that was scanned.
 *
 * Writes never lose mail.  Appending adds whole messages at the end and
 * cuts the file back to its old size if anything fails.  Changing flags or
 * expunging rewrites the file: a temporary file in the same directory
 * gets the new contents (plus any mail appended since the scan), is
 * fsynced and renamed over the folder, and the directory is fsynced; a
 * crash leaves the old folder or the new one, never a torn one.  Where
 * the directory does not let us create that file (the system spool, mode
 * 2775 root:mail), the file is rewritten in place from the first message
 * that changes, through a backup and a recovery record in petrel's state
 * directory (backend-local-inplace.h): a crash there is finished from the
 * backup when the folder is next read, so again the old folder or the
 * new one is what anyone who reads it through petrel gets.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-local-inplace.h"
#include "backend/backend-local-search.h"
#include "backend/backend-local.h"
#include "backend/backend-lock.h"
#include "backend/backend-mbox.h"
#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "mime/mime-summary.h"

#define MBOX_CHUNK (256 * 1024)
/* Summaries need the header only; a header larger than this is cut. */
#define MBOX_SUMMARY_HEADER_MAX (256 * 1024)
/* Copying stops this often to refresh the dot-lock and check for cancel. */
#define MBOX_TOUCH_BYTES (64ULL * 1024 * 1024)
/* How many times a rewrite picks up mail appended while it was writing. */
#define MBOX_TAIL_ROUNDS 8

void (*backend_mbox_test_hook)(const char *point, const char *path);

static atomic_uint tmp_counter;

struct mbox_entry {
	struct backend_mbox_msg m; /* where it is; m.flags as written in the file */
	uint64_t id;
	unsigned flags; /* as the user set them; written at sync */
};

struct backend_folder {
	char *path;
	int fd; /* -1 when the file has disappeared */
	int read_only;
	struct mbox_entry *msgs;
	size_t count;
	uint64_t first; /* start of the first message (after leading blank lines) */
	uint64_t size;  /* bytes scanned */
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	uint64_t next_id;
	struct backend_lock_params lockp;
	int cancel_fd;
	uint64_t max_message;
	struct backend_progress job; /* the running job's hooks, for search */
};

static void
hook(const char *point, const char *path)
{
	if (backend_mbox_test_hook != NULL)
		backend_mbox_test_hook(point, path);
}

static int
same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static struct backend_lock_params
lock_params(const struct backend_folder *f, const struct backend_progress *progress)
{
	struct backend_lock_params lp = f->lockp;

	lp.progress = progress;
	return lp;
}

/*
 * Splits fd from `start` to its end.  With `tail`, the data there must
 * begin with a From_ line.  *end_r is the offset scanned to.
 */
static int
scan_fd(int fd, const char *path, uint64_t start, int tail, uint64_t total,
        const struct backend_progress *progress, int cancel_fd, struct backend_mbox_scan **scan_r,
        uint64_t *end_r, struct err *err)
{
	struct backend_mbox_scan *scan = backend_mbox_scan_new(start, tail);
	char *buf = xmalloc(MBOX_CHUNK);
	char *label = xasprintf("Reading %s", path);
	uint64_t off = start;
	int ret = -1;

	for (;;) {
		ssize_t n = pread(fd, buf, MBOX_CHUNK, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(err, ERR_IO, errno, "cannot read %s", path);
			goto out;
		}
		if (n == 0)
			break;
		if (backend_mbox_scan_feed(scan, buf, (size_t)n, err) < 0) {
			err_prefix(err, "%s", path);
			goto out;
		}
		off += (uint64_t)n;
		backend_report(progress, off - start, total > start ? total - start : 0, label);
		if (backend_cancelled(progress, cancel_fd)) {
			err_set(err, ERR_CANCELLED, "cancelled while reading %s", path);
			goto out;
		}
	}
	if (backend_mbox_scan_finish(scan, err) < 0) {
		err_prefix(err, "%s", path);
		goto out;
	}
	*scan_r = scan;
	scan = NULL;
	*end_r = off;
	ret = 0;
out:
	backend_mbox_scan_free(&scan);
	free(buf);
	free(label);
	return ret;
}

static struct mbox_entry *
entries_from_scan(struct backend_mbox_scan *scan, uint64_t *next_id, size_t *count_r)
{
	size_t n;
	struct backend_mbox_msg *msgs = backend_mbox_scan_detach(scan, &n);
	struct mbox_entry *e = xcalloc(n ? n : 1, sizeof(*e));

	for (size_t i = 0; i < n; i++) {
		e[i].m = msgs[i];
		e[i].id = (*next_id)++;
		e[i].flags = msgs[i].flags;
	}
	free(msgs);
	*count_r = n;
	return e;
}

static void
record_stat(struct backend_folder *f, const struct stat *st)
{
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->mtime = st->st_mtim;
}

/* The file is not what f->msgs says: the next check() reads it anew. */
static void
forget_stat(struct backend_folder *f)
{
	f->dev = 0;
	f->ino = 0;
	memset(&f->mtime, 0, sizeof(f->mtime));
}

/*
 * Finishes an in-place rewrite that a crash interrupted (see the top of
 * the file), with both locks held on a descriptor of our own: the folder
 * may be open read-only here.
 */
static int
finish_rewrite(struct backend_folder *f, const struct backend_progress *progress, struct err *err)
{
	struct backend_lock lock = BACKEND_LOCK_INIT;
	struct backend_lock_params lp = lock_params(f, progress);
	int fd, ret = -1;

	if (!backend_local_inplace_pending(f->path))
		return 0;
	fd = open(f->path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, ERR_IO, errno,
		               "a rewrite of %s was interrupted and cannot be finished: it cannot "
		               "be opened for writing",
		               f->path);
	if (backend_lock_take(&lock, f->path, fd, 1, &lp, err) == 0) {
		ret = backend_local_inplace_recover(f->path, fd, backend_mbox_test_hook, err);
		backend_lock_release(&lock);
	}
	close(fd);
	return ret;
}

/* Folder management moves or removes the file, which would strand the
 * record of an unfinished rewrite: that is finished first, by opening. */
static int
check_no_rewrite(const char *path, struct err *err)
{
	if (backend_local_inplace_pending(path))
		return err_set(err, ERR_IO,
		               "a rewrite of %s was interrupted and is not finished yet: open it "
		               "first",
		               path);
	return 0;
}

/* Opens the file (read-write unless asked or forced otherwise). */
static int
open_file(struct backend_folder *f, int create, struct err *err)
{
	struct stat st;
	int fd;

	for (;;) {
		fd = open(f->path, (f->read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
		if (fd >= 0)
			break;
		if (!f->read_only && (errno == EACCES || errno == EROFS || errno == EPERM)) {
			/* Readable but not writable: read it, write nothing. */
			f->read_only = 1;
			continue;
		}
		if (errno == ENOENT && create) {
			fd = open(f->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
			if (fd >= 0 || errno == EEXIST) {
				if (fd >= 0)
					close(fd);
				create = 0;
				continue;
			}
			return err_sys(err, ERR_IO, errno, "cannot create %s", f->path);
		}
		if (errno == ENOENT)
			return err_set(err, ERR_USAGE, "%s does not exist", f->path);
		return err_sys(err, ERR_IO, errno, "cannot open %s", f->path);
	}
	if (fstat(fd, &st) < 0) {
		err_sys(err, ERR_IO, errno, "cannot open %s", f->path);
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return err_set(err, ERR_USAGE, "%s is a directory, not an mbox folder", f->path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(err, ERR_USAGE, "%s is not a regular file", f->path);
	}
	f->fd = fd;
	return 0;
}

/* Reads the whole file again into *entries_r with the lock held. */
static int
load_all(struct backend_folder *f, const struct backend_progress *progress,
         struct mbox_entry **entries_r, size_t *count_r, struct err *err)
{
	struct backend_lock lock = BACKEND_LOCK_INIT;
	struct backend_lock_params lp = lock_params(f, progress);
	struct backend_mbox_scan *scan = NULL;
	struct stat st;
	uint64_t end;
	int ret = -1;

	if (finish_rewrite(f, progress, err) < 0)
		return -1;
	if (backend_lock_take(&lock, f->path, f->fd, 0, &lp, err) < 0)
		return -1;
	if (fstat(f->fd, &st) < 0) {
		err_sys(err, ERR_IO, errno, "cannot read %s", f->path);
		goto out;
	}
	if (scan_fd(f->fd, f->path, 0, 0, (uint64_t)st.st_size, progress, f->cancel_fd, &scan, &end,
	            err) < 0)
		goto out;
	/* The time is taken after reading: a change during the read shows at check(). */
	if (fstat(f->fd, &st) < 0) {
		err_sys(err, ERR_IO, errno, "cannot read %s", f->path);
		goto out;
	}
	record_stat(f, &st);
	f->size = end;
	f->first = backend_mbox_scan_first(scan);
	*entries_r = entries_from_scan(scan, &f->next_id, count_r);
	ret = 0;
out:
	backend_mbox_scan_free(&scan);
	backend_lock_release(&lock);
	return ret;
}

static int
mbox_open(const struct url *url, const struct backend_params *params,
          struct backend_folder **folder_r, struct err *err)
{
	struct backend_folder *f = xcalloc(1, sizeof(*f));

	f->path = xstrdup(url->path);
	f->fd = -1;
	f->read_only = params->read_only;
	f->next_id = 1;
	backend_local_lock_params(params, &f->lockp);
	f->lockp.progress = NULL;
	f->cancel_fd = params->cancel_fd;
	f->max_message = params->max_message;
	if (open_file(f, params->create, err) < 0)
		goto fail;
	if (load_all(f, &params->progress, &f->msgs, &f->count, err) < 0)
		goto fail;
	log_trace(LOG_CH_BACKEND, "mbox %s: %zu messages, %llu bytes%s", f->path, f->count,
	          (unsigned long long)f->size, f->read_only ? ", read-only" : "");
	*folder_r = f;
	return 0;
fail:
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
	return -1;
}

static void
mbox_close(struct backend_folder **folder)
{
	struct backend_folder *f = *folder;

	if (f == NULL)
		return;
	if (f->fd >= 0)
		close(f->fd);
	free(f->msgs);
	free(f->path);
	xfree(folder);
}

static size_t
mbox_count(const struct backend_folder *f)
{
	return f->count;
}

static int
mbox_read_only(const struct backend_folder *f)
{
	return f->read_only;
}

static int
mbox_find(const struct backend_folder *f, uint64_t id, size_t *index_r)
{
	size_t lo = 0, hi = f->count;

	/* ids grow along the file and survive expunge, so they stay sorted. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->msgs[mid].id == id) {
			*index_r = mid;
			return 1;
		}
		if (f->msgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int
check_index(const struct backend_folder *f, size_t index, struct err *err)
{
	if (backend_local_check_index(index, f->count, f->path, err) < 0)
		return -1;
	if (f->fd < 0)
		return err_set(err, ERR_IO, "%s has disappeared; check for new mail", f->path);
	return 0;
}

/*
 * Reads [from, to) of a message, first making sure the file still has it
 * where the scan saw it: another program that rewrote the file in place
 * would otherwise hand us the wrong bytes.
 */
static int
read_range(struct backend_folder *f, const struct backend_mbox_msg *m, uint64_t from, uint64_t to,
           char **buf_r, struct err *err)
{
	struct stat st;
	char head[5];
	char *buf;

	if (to - from > f->max_message)
		return err_set(err, ERR_IO, "a message in %s is larger than the limit (%llu bytes)",
		               f->path, (unsigned long long)f->max_message);
	if (fstat(f->fd, &st) < 0)
		return err_sys(err, ERR_IO, errno, "cannot read %s", f->path);
	if ((uint64_t)st.st_size < f->size ||
	    backend_local_pread(f->fd, head, 5, m->from_off) < 0 || memcmp(head, "From ", 5) != 0)
		return err_set(err, ERR_IO,
		               "%s was changed by another program; check for new mail to reread it",
		               f->path);
	buf = xmalloc(to - from + 1);
	if (backend_local_pread(f->fd, buf, to - from, from) < 0) {
		free(buf);
		return err_sys(err, ERR_IO, errno, "cannot read %s", f->path);
	}
	*buf_r = buf;
	return 0;
}

/* Appends the message (its header only, with header_only) as fetch() gives it. */
static int
fetch(struct backend_folder *f, size_t index, int header_only, struct str *out, struct err *err)
{
	const struct backend_mbox_msg *m;
	uint64_t to;
	char *buf;

	if (check_index(f, index, err) < 0)
		return -1;
	m = &f->msgs[index].m;
	to = header_only ? m->body_off : m->end;
	if (read_range(f, m, m->hdr_off, to, &buf, err) < 0)
		return -1;
	backend_mbox_unquote(out, buf, to - m->hdr_off);
	free(buf);
	return 0;
}

static int
mbox_fetch(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	return fetch(f, index, 0, out, err);
}

/* ---- searching ---- */

static void
mbox_set_job(struct backend_folder *f, const struct backend_progress *progress, int cancel_fd)
{
	(void)cancel_fd;
	backend_local_set_job(&f->job, progress);
}

static uint64_t
mbox_id(const struct backend_folder *f, size_t i)
{
	return f->msgs[i].id;
}

static int
mbox_search(struct backend_folder *f, const char *query, struct arena *arena, uint64_t **ids_r,
            size_t *count_r, struct err *err)
{
	struct backend_local_search s = {f->count, mbox_fetch, mbox_id, f, &f->job};

	return backend_local_search_body(&s, query, arena, ids_r, count_r, err);
}

static int
mbox_fetch_header(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	return fetch(f, index, 1, out, err);
}

static int
mbox_load_summaries(struct backend_folder *f, size_t first, size_t n, struct arena *arena,
                    struct mime_summary *summaries, const struct backend_progress *progress,
                    struct err *err)
{
	struct str hdr = STR_INIT;
	char *label = NULL;
	int ret = -1;

	if (backend_local_check_range(first, n, f->count, f->path, err) < 0)
		return -1;
	if (n > 0 && f->fd < 0)
		return err_set(err, ERR_IO, "%s has disappeared; check for new mail", f->path);
	label = xasprintf("Reading headers of %s", f->path);
	for (size_t i = 0; i < n; i++) {
		const struct mbox_entry *e = &f->msgs[first + i];
		const struct backend_mbox_msg *m = &e->m;
		struct mime_summary *s = &summaries[i];
		uint64_t to = m->body_off;
		char *buf;

		if (to - m->hdr_off > MBOX_SUMMARY_HEADER_MAX)
			to = m->hdr_off + MBOX_SUMMARY_HEADER_MAX;
		if (read_range(f, m, m->hdr_off, to, &buf, err) < 0)
			goto out;
		str_reset(&hdr);
		backend_mbox_unquote(&hdr, buf, to - m->hdr_off);
		free(buf);
		memset(s, 0, sizeof(*s));
		mime_summary_from_header(arena, str_cstr(&hdr), hdr.len, s);
		s->id = e->id;
		s->flags = e->flags;
		s->size = m->size;
		s->lines = m->lines;
		s->received = m->received;
		if (s->date == 0)
			s->date = s->received;
		if (backend_local_tick(progress, f->cancel_fd, i, i + 1, n, label, err) < 0)
			goto out;
	}
	backend_report(progress, n, n, label);
	ret = 0;
out:
	str_free(&hdr);
	free(label);
	return ret;
}

static int
mbox_set_flags(struct backend_folder *f, size_t index, unsigned set, unsigned clear,
               struct err *err)
{
	if (backend_local_check_index(index, f->count, f->path, err) < 0)
		return -1;
	if (f->read_only)
		return err_set(err, ERR_USAGE, "%s is read-only", f->path);
	f->msgs[index].flags = (f->msgs[index].flags | set) & ~clear;
	return 0;
}

/* ---- checking for changes ---- */

/* Nonzero when the data before `off` ends with an empty line (or off is 0). */
static int
ends_with_blank_line(int fd, uint64_t off)
{
	char b[3];
	size_t n = off < 3 ? (size_t)off : 3;

	if (off == 0)
		return 1;
	if (backend_local_pread(fd, b, n, off - n) < 0)
		return 0;
	if (n >= 2 && b[n - 1] == '\n' && b[n - 2] == '\n')
		return 1;
	if (n == 3 && b[2] == '\n' && b[1] == '\r' && b[0] == '\n')
		return 1;
	return 0;
}

/* Scans mail appended after f->size; the lock must be held. */
static int
scan_tail(struct backend_folder *f, uint64_t file_size, const struct backend_progress *progress,
          struct mbox_entry **tail_r, size_t *count_r, uint64_t *end_r, struct err *err)
{
	struct backend_mbox_scan *scan = NULL;

	if (!ends_with_blank_line(f->fd, f->size))
		return err_set(err, ERR_PARSE, "mail was added to %s without a separating line",
		               f->path);
	if (scan_fd(f->fd, f->path, f->size, 1, file_size, progress, f->cancel_fd, &scan, end_r,
	            err) < 0)
		return -1;
	*tail_r = entries_from_scan(scan, &f->next_id, count_r);
	backend_mbox_scan_free(&scan);
	return 0;
}

static void
append_entries(struct backend_folder *f, struct mbox_entry *more, size_t n)
{
	f->msgs = xreallocarray(f->msgs, f->count + n + 1, sizeof(*f->msgs));
	if (n > 0)
		memcpy(f->msgs + f->count, more, n * sizeof(*more));
	f->count += n;
}

/*
 * After a full reread: when the old messages are where they were, keep
 * their ids and the changes not yet synced, and say what changed;
 * otherwise everything is new.
 */
static enum backend_check
merge_reread(struct backend_folder *f, struct mbox_entry *fresh, size_t n)
{
	enum backend_check result = BACKEND_CHECK_NONE;
	int same = n >= f->count;

	for (size_t i = 0; same && i < f->count; i++)
		same = fresh[i].m.from_off == f->msgs[i].m.from_off &&
		       fresh[i].m.hdr_end == f->msgs[i].m.hdr_end &&
		       fresh[i].m.end == f->msgs[i].m.end;
	if (!same) {
		free(f->msgs);
		f->msgs = fresh;
		f->count = n;
		return BACKEND_CHECK_REOPENED;
	}
	for (size_t i = 0; i < f->count; i++) {
		const struct mbox_entry *old = &f->msgs[i];

		if (fresh[i].m.flags != old->m.flags)
			result = BACKEND_CHECK_FLAGS;
		fresh[i].id = old->id;
		fresh[i].flags =
		    backend_local_merge_flags(old->flags, old->m.flags, fresh[i].m.flags);
	}
	if (n > f->count && result == BACKEND_CHECK_NONE)
		result = BACKEND_CHECK_NEW_MAIL;
	free(f->msgs);
	f->msgs = fresh;
	f->count = n;
	return result;
}

static int
mbox_check(struct backend_folder *f, enum backend_check *result_r,
           const struct backend_progress *progress, struct err *err)
{
	struct stat st;
	struct mbox_entry *fresh = NULL;
	size_t n = 0;

	*result_r = BACKEND_CHECK_NONE;
	if (stat(f->path, &st) < 0) {
		if (errno != ENOENT)
			return err_sys(err, ERR_IO, errno, "cannot check %s", f->path);
		/* Some programs remove a spool file they emptied. */
		if (f->fd >= 0) {
			close(f->fd);
			f->fd = -1;
		}
		if (f->count > 0) {
			f->count = 0;
			f->size = 0;
			*result_r = BACKEND_CHECK_REOPENED;
		}
		return 0;
	}
	if (f->fd >= 0 && st.st_dev == f->dev && st.st_ino == f->ino &&
	    (uint64_t)st.st_size == f->size && same_time(&st.st_mtim, &f->mtime))
		return 0;
	if (f->fd >= 0 && st.st_dev == f->dev && st.st_ino == f->ino &&
	    (uint64_t)st.st_size > f->size) {
		struct backend_lock lock = BACKEND_LOCK_INIT;
		struct backend_lock_params lp = lock_params(f, progress);
		struct err tail_err = {ERR_INTERNAL, ""};
		uint64_t end;
		int rc;

		if (backend_lock_take(&lock, f->path, f->fd, 0, &lp, err) < 0)
			return -1;
		rc = fstat(f->fd, &st) == 0
		         ? scan_tail(f, (uint64_t)st.st_size, progress, &fresh, &n, &end, &tail_err)
		         : -1;
		if (rc == 0)
			record_stat(f, &st);
		backend_lock_release(&lock);
		if (rc == 0) {
			append_entries(f, fresh, n);
			free(fresh);
			f->size = end;
			*result_r = n > 0 ? BACKEND_CHECK_NEW_MAIL : BACKEND_CHECK_NONE;
			return 0;
		}
		if (tail_err.kind == ERR_CANCELLED) {
			*err = tail_err;
			return -1;
		}
		/* Not a clean append: reread everything below. */
	}
	if (f->fd < 0 || st.st_dev != f->dev || st.st_ino != f->ino) {
		/* Replaced (another program rewrote it through a rename) or back again. */
		int old_fd = f->fd;

		f->fd = -1;
		if (open_file(f, 0, err) < 0) {
			f->fd = old_fd;
			return -1;
		}
		if (old_fd >= 0)
			close(old_fd);
	}
	if (load_all(f, progress, &fresh, &n, err) < 0)
		return -1;
	*result_r = merge_reread(f, fresh, n);
	return 0;
}

/* ---- rewriting ---- */

struct writer {
	int fd;
	char *tmp;
	uint64_t pos;
	uint64_t since_touch;
	char *buf;
};

static int
w_write(struct writer *w, const void *data, size_t len, struct err *err)
{
	if (file_write_full(w->fd, data, len) < 0)
		return err_sys(err, ERR_IO, errno, "cannot write %s", w->tmp);
	w->pos += len;
	return 0;
}

/* Copies [from, to) of the folder into the new file. */
static int
w_copy(struct writer *w, struct backend_folder *f, uint64_t from, uint64_t to,
       struct backend_lock *lock, const struct backend_progress *progress, uint64_t total,
       const char *label, struct err *err)
{
	while (from < to) {
		size_t n = to - from > MBOX_CHUNK ? MBOX_CHUNK : (size_t)(to - from);

		if (backend_local_pread(f->fd, w->buf, n, from) < 0)
			return err_sys(err, ERR_IO, errno, "cannot read %s", f->path);
		if (w_write(w, w->buf, n, err) < 0)
			return -1;
		from += n;
		w->since_touch += n;
		if (w->since_touch >= MBOX_TOUCH_BYTES) {
			w->since_touch = 0;
			backend_lock_touch(lock);
			backend_report(progress, w->pos, total, label);
			if (backend_cancelled(progress, f->cancel_fd))
				return err_set(err, ERR_CANCELLED, "cancelled while writing %s",
				               f->path);
		}
	}
	return 0;
}

static void
shift_msg(struct backend_mbox_msg *m, uint64_t from_new)
{
	uint64_t old = m->from_off;

	m->from_off += from_new - old;
	m->hdr_off += from_new - old;
	m->hdr_end += from_new - old;
	m->body_off += from_new - old;
	m->end += from_new - old;
	m->next += from_new - old;
}

/* Bytes a header region gives once LF-normalised and unquoted. */
static uint64_t
unquoted_len(const char *data, size_t len)
{
	struct str s = STR_INIT;
	uint64_t n;

	backend_mbox_unquote(&s, data, len);
	n = s.len;
	str_free(&s);
	return n;
}

/* Writes one message with its new Status lines; updates *m to its new place. */
static int
w_message_flags(struct writer *w, struct backend_folder *f, struct mbox_entry *e,
                struct backend_lock *lock, const struct backend_progress *progress, uint64_t total,
                const char *label, struct err *err)
{
	struct backend_mbox_msg *m = &e->m, old_m = e->m;
	uint64_t hlen = m->hdr_end - m->hdr_off;
	const char *eol = m->crlf ? "\r\n" : "\n";
	struct str hdr = STR_INIT;
	char *old = NULL, last = '\n';
	uint64_t new_from = w->pos, new_hdr_off, new_hdr_end;
	int ret = -1;

	if (hlen > f->max_message) {
		err_set(err, ERR_IO, "a message in %s has a header larger than the limit", f->path);
		goto out;
	}
	if (w_copy(w, f, m->from_off, m->hdr_off, lock, progress, total, label, err) < 0)
		goto out;
	/* A From_ line at the very end may lack its newline: the header needs one. */
	if (backend_local_pread(f->fd, &last, 1, m->hdr_off - 1) < 0) {
		err_sys(err, ERR_IO, errno, "cannot read %s", f->path);
		goto out;
	}
	if (last != '\n' && w_write(w, eol, strlen(eol), err) < 0)
		goto out;
	new_hdr_off = w->pos;
	old = xmalloc(hlen + 1);
	if (backend_local_pread(f->fd, old, hlen, m->hdr_off) < 0) {
		err_sys(err, ERR_IO, errno, "cannot read %s", f->path);
		goto out;
	}
	backend_mbox_header_write_flags(&hdr, old, hlen, e->flags, eol);
	if (w_write(w, str_cstr(&hdr), hdr.len, err) < 0)
		goto out;
	new_hdr_end = w->pos;
	if (w_copy(w, f, m->hdr_end, m->next, lock, progress, total, label, err) < 0)
		goto out;
	m->size = old_m.size - unquoted_len(old, hlen) + unquoted_len(str_cstr(&hdr), hdr.len);
	m->from_off = new_from;
	m->hdr_off = new_hdr_off;
	m->hdr_end = new_hdr_end;
	m->body_off = new_hdr_end + (old_m.body_off - old_m.hdr_end);
	m->end = new_hdr_end + (old_m.end - old_m.hdr_end);
	m->next = new_hdr_end + (old_m.next - old_m.hdr_end);
	m->flags = e->flags;
	ret = 0;
out:
	free(old);
	str_free(&hdr);
	return ret;
}

static char *
tmp_path_for(const char *path)
{
	char *copy = xstrdup(path), *copy2 = xstrdup(path);
	char *tmp = xasprintf("%s/.%s.petrel-%ld-%u.tmp", dirname(copy), basename(copy2),
	                      (long)getpid(), atomic_fetch_add(&tmp_counter, 1));

	free(copy);
	free(copy2);
	return tmp;
}

/* Whether sync() changes message i. */
static int
changes(const struct backend_folder *f, size_t i, int expunge)
{
	return f->msgs[i].flags != f->msgs[i].m.flags ||
	       (expunge && (f->msgs[i].flags & MIME_FLAG_DELETED));
}

/*
 * The new file's contents go to a temporary file next to the folder,
 * renamed over it at the end.  When the directory does not let us create
 * one, they go to the backup of an in-place rewrite instead (*job_r set),
 * and only from the first message that changes, `first`: what comes
 * before stays as it is.
 */
static int
open_writer(struct backend_folder *f, size_t first, const struct stat *st, struct writer *w,
            struct backend_local_inplace **job_r, struct err *err)
{
	w->tmp = tmp_path_for(f->path);
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w->fd >= 0) {
		/* The new file keeps the old one's permissions and, where allowed, owners. */
		if (fchown(w->fd, st->st_uid, st->st_gid) < 0)
			(void)fchown(w->fd, (uid_t)-1, st->st_gid);
		(void)fchmod(w->fd, st->st_mode & 07777);
		return 0;
	}
	if (errno != EACCES && errno != EPERM)
		return err_sys(err, ERR_IO, errno,
		               "cannot save changes to %s: cannot create a temporary file in its "
		               "directory",
		               f->path);
	log_trace(LOG_CH_BACKEND, "mbox %s: the directory is not writable: rewriting in place",
	          f->path);
	xfree(&w->tmp);
	if (backend_local_inplace_begin(f->path, f->msgs[first].m.from_off, backend_mbox_test_hook,
	                                job_r, err) < 0)
		return -1;
	w->fd = (*job_r)->fd;
	w->tmp = xstrdup((*job_r)->backup);
	w->pos = f->msgs[first].m.from_off;
	return 0;
}

static int
mbox_sync(struct backend_folder *f, int expunge, const struct backend_progress *progress,
          struct err *err)
{
	struct backend_lock lock = BACKEND_LOCK_INIT;
	struct backend_lock_params lp = lock_params(f, progress);
	struct writer w = {-1, NULL, 0, 0, NULL};
	struct backend_local_inplace *job = NULL;
	struct mbox_entry *tail = NULL, *out_msgs = NULL;
	size_t ntail = 0, kept = 0, first = 0;
	struct stat st, pst;
	uint64_t file_size, tail_start_old, tail_start_new, total;
	char *label = NULL;
	int renamed = 0, new_fd = -1, ret = -1;

	while (first < f->count && !changes(f, first, expunge))
		first++;
	if (first == f->count)
		return 0;
	if (f->read_only)
		return err_set(err, ERR_USAGE, "%s is read-only: changes cannot be saved", f->path);
	if (f->fd < 0)
		return err_set(err, ERR_IO, "%s has disappeared; check for new mail", f->path);
	if (backend_lock_take(&lock, f->path, f->fd, 1, &lp, err) < 0)
		return -1;
	if (fstat(f->fd, &st) < 0 || stat(f->path, &pst) < 0) {
		err_sys(err, ERR_IO, errno, "cannot check %s", f->path);
		goto out;
	}
	if (pst.st_dev != st.st_dev || pst.st_ino != st.st_ino || (uint64_t)st.st_size < f->size ||
	    ((uint64_t)st.st_size == f->size && !same_time(&st.st_mtim, &f->mtime))) {
		err_set(err, ERR_IO,
		        "%s was changed by another program since it was read; nothing was "
		        "written: check for new mail and try again",
		        f->path);
		goto out;
	}
	/* Mail delivered since the scan is carried over to the new file. */
	file_size = (uint64_t)st.st_size;
	tail_start_old = f->size;
	if (file_size > f->size) {
		uint64_t end;

		if (scan_tail(f, file_size, progress, &tail, &ntail, &end, err) < 0) {
			if (err->kind != ERR_CANCELLED)
				err_set(err, ERR_IO,
				        "%s was changed by another program since it was read; "
				        "nothing was written: check for new mail and try again",
				        f->path);
			goto out;
		}
		file_size = end;
	}

	w.buf = xmalloc(MBOX_CHUNK);
	if (open_writer(f, first, &st, &w, &job, err) < 0)
		goto out;

	label = xasprintf("Writing %s", f->path);
	total = file_size;
	out_msgs = xcalloc(f->count + 1, sizeof(*out_msgs));
	if (job == NULL && w_copy(&w, f, 0, f->first, &lock, progress, total, label, err) < 0)
		goto out;
	for (size_t i = 0; i < f->count; i++) {
		struct mbox_entry e = f->msgs[i];

		if (job != NULL && i < first) {
			out_msgs[kept++] = e; /* stays where it is */
			continue;
		}
		if (expunge && (e.flags & MIME_FLAG_DELETED))
			continue;
		if (e.flags != e.m.flags) {
			if (w_message_flags(&w, f, &e, &lock, progress, total, label, err) < 0)
				goto out;
		} else {
			uint64_t new_from = w.pos;

			if (w_copy(&w, f, e.m.from_off, e.m.next, &lock, progress, total, label,
			           err) < 0)
				goto out;
			shift_msg(&e.m, new_from);
		}
		out_msgs[kept++] = e;
	}
	tail_start_new = w.pos;
	if (w_copy(&w, f, tail_start_old, file_size, &lock, progress, total, label, err) < 0)
		goto out;
	hook("rewrite-written", f->path);
	if (fsync(w.fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", w.tmp);
		goto out;
	}
	hook("rewrite-synced", f->path);

	/*
	 * A program that ignores locks may have appended while we wrote:
	 * carry that over too, until the file stands still.
	 */
	for (int round = 0;; round++) {
		struct mbox_entry *more = NULL;
		size_t nmore = 0;
		uint64_t end, scanned = f->size;

		if (fstat(f->fd, &st) < 0) {
			err_sys(err, ERR_IO, errno, "cannot check %s", f->path);
			goto out;
		}
		if ((uint64_t)st.st_size == file_size)
			break;
		if ((uint64_t)st.st_size < file_size || round == MBOX_TAIL_ROUNDS) {
			err_set(err, ERR_IO,
			        "%s is being changed by another program that ignores locks; "
			        "nothing was written",
			        f->path);
			goto out;
		}
		f->size = file_size;
		ret = scan_tail(f, (uint64_t)st.st_size, progress, &more, &nmore, &end, err);
		f->size = scanned;
		if (ret < 0) {
			ret = -1;
			if (err->kind != ERR_CANCELLED)
				err_set(err, ERR_IO,
				        "%s was changed by another program while it was being "
				        "written; nothing was written",
				        f->path);
			goto out;
		}
		ret = -1;
		if (w_copy(&w, f, file_size, end, &lock, progress, total, label, err) < 0) {
			free(more);
			goto out;
		}
		tail = xreallocarray(tail, ntail + nmore + 1, sizeof(*tail));
		if (nmore > 0)
			memcpy(tail + ntail, more, nmore * sizeof(*more));
		ntail += nmore;
		free(more);
		file_size = end;
		if (fsync(w.fd) < 0) {
			err_sys(err, ERR_IO, errno, "cannot write %s", w.tmp);
			goto out;
		}
	}
	if (job != NULL) {
		if (backend_local_inplace_commit(job, f->fd, file_size, err) < 0) {
			/* Past its commit point the file is to be recovered, and read anew. */
			if (job->committed)
				forget_stat(f);
			goto out;
		}
		/* The folder keeps its inode, and so its descriptor. */
		new_fd = dup(f->fd);
	} else {
		if (close(w.fd) < 0) {
			w.fd = -1;
			err_sys(err, ERR_IO, errno, "cannot write %s", w.tmp);
			goto out;
		}
		w.fd = -1;
		if (rename(w.tmp, f->path) < 0) {
			err_sys(err, ERR_IO, errno, "cannot replace %s", f->path);
			goto out;
		}
		renamed = 1;
		hook("rewrite-renamed", f->path);
		if (file_fsync_dir_of(f->path, err) < 0)
			log_warn("%s", err->msg);
		new_fd = open(f->path, O_RDWR | O_CLOEXEC);
	}

	/* The folder is the new file from here on. */
	out_msgs = xreallocarray(out_msgs, kept + ntail + 1, sizeof(*out_msgs));
	for (size_t i = 0; i < ntail; i++) {
		shift_msg(&tail[i].m, tail[i].m.from_off - tail_start_old + tail_start_new);
		out_msgs[kept++] = tail[i];
	}
	free(f->msgs);
	f->msgs = out_msgs;
	out_msgs = NULL;
	f->count = kept;
	f->size = w.pos;
	if (new_fd < 0 || fstat(new_fd, &st) < 0) {
		err_sys(err, ERR_IO, errno, "%s was saved but cannot be opened again", f->path);
		if (new_fd >= 0)
			close(new_fd);
		backend_lock_release(&lock);
		close(f->fd);
		f->fd = -1;
		goto out;
	}
	record_stat(f, &st);
	backend_lock_release(&lock);
	close(f->fd);
	f->fd = new_fd;
	log_trace(LOG_CH_BACKEND, "mbox %s: rewritten, %zu messages", f->path, f->count);
	ret = 0;
out:
	backend_lock_release(&lock);
	if (job != NULL) {
		/* The backup is the job's to keep or remove. */
		w.fd = -1;
		xfree(&w.tmp);
		backend_local_inplace_free(&job);
	}
	if (w.fd >= 0)
		close(w.fd);
	if (w.tmp != NULL && !renamed)
		unlink(w.tmp);
	free(w.tmp);
	free(w.buf);
	free(tail);
	free(out_msgs);
	free(label);
	return ret;
}

/* ---- appending and folder management ---- */

/* Offset of the empty line that ends the header in data, or len. */
static size_t
header_length(const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (nl == NULL)
			return len;
		if (nl == p || (nl == p + 1 && *p == '\r'))
			return (size_t)(p - data);
		p = nl + 1;
	}
	return len;
}

/* Builds the bytes an append writes: From_ line, header with flags, quoted body. */
static void
build_message(struct str *out, const char *data, size_t len, unsigned flags, time_t date)
{
	size_t hlen = header_length(data, len);
	struct arena *arena = arena_new();
	struct mime_summary s;
	struct str hdr = STR_INIT;

	memset(&s, 0, sizeof(s));
	mime_summary_from_header(arena, data, hlen, &s);
	backend_mbox_from_line_write(out, s.from_addr, date ? date : time(NULL));
	backend_mbox_header_write_flags(&hdr, data, hlen, flags, "\n");
	backend_mbox_quote(out, hdr.s ? hdr.s : "", hdr.len);
	backend_mbox_quote(out, data + hlen, len - hlen);
	str_append_char(out, '\n');
	str_free(&hdr);
	arena_free(&arena);
}

/* Nonzero when the file starts like an mbox (or is empty). */
static int
starts_like_mbox(int fd, uint64_t size)
{
	char buf[512];
	size_t n = size < sizeof(buf) ? (size_t)size : sizeof(buf), i = 0;

	if (size == 0)
		return 1;
	if (backend_local_pread(fd, buf, n, 0) < 0)
		return 0;
	while (i < n && (buf[i] == '\n' || buf[i] == '\r'))
		i++;
	return n - i >= 5 && memcmp(buf + i, "From ", 5) == 0;
}

/*
 * Opens path for appending and locks it, making sure the lock is on the
 * file the path names now (a writer may have replaced it while we waited).
 */
static int
open_locked(const char *path, const struct backend_params *params, int create,
            struct backend_lock *lock, int *fd_r, struct err *err)
{
	struct backend_lock_params lp;

	backend_local_lock_params(params, &lp);
	for (int tries = 0; tries < 5; tries++) {
		struct stat st, pst;
		int fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);

		if (fd < 0) {
			if (errno == ENOENT)
				return err_set(err, ERR_USAGE, "%s does not exist", path);
			if (errno == EISDIR)
				return err_set(err, ERR_USAGE,
				               "%s is a directory, not an mbox folder", path);
			return err_sys(err, ERR_IO, errno, "cannot open %s", path);
		}
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			close(fd);
			return err_set(err, ERR_USAGE, "%s is not a regular file", path);
		}
		if (backend_lock_take(lock, path, fd, 1, &lp, err) < 0) {
			close(fd);
			return -1;
		}
		if (stat(path, &pst) == 0 && pst.st_dev == st.st_dev && pst.st_ino == st.st_ino) {
			*fd_r = fd;
			return 0;
		}
		backend_lock_release(lock);
		close(fd);
	}
	return err_set(err, ERR_IO, "%s keeps being replaced by another program", path);
}

static int
mbox_append(const struct url *url, const struct backend_params *params, const char *data,
            size_t len, unsigned flags, time_t date, struct err *err)
{
	struct backend_lock lock = BACKEND_LOCK_INIT;
	const char *path = url->path;
	struct str msg = STR_INIT;
	struct stat st;
	uint64_t old_size;
	int fd = -1, ret = -1;

	if (open_locked(path, params, params->create, &lock, &fd, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		err_sys(err, ERR_IO, errno, "cannot check %s", path);
		goto out;
	}
	old_size = (uint64_t)st.st_size;
	if (!starts_like_mbox(fd, old_size)) {
		err_set(err, ERR_PARSE, "%s is not an mbox folder: not appending to it", path);
		goto out;
	}
	/* The new From_ line must follow an empty line to count as one. */
	if (old_size > 0 && !ends_with_blank_line(fd, old_size)) {
		char last;

		if (backend_local_pread(fd, &last, 1, old_size - 1) < 0) {
			err_sys(err, ERR_IO, errno, "cannot read %s", path);
			goto out;
		}
		str_append(&msg, last == '\n' ? "\n" : "\n\n");
	}
	build_message(&msg, data, len, flags, date);
	if (lseek(fd, 0, SEEK_END) < 0 || file_write_full(fd, msg.s, msg.len) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write to %s", path);
		goto undo;
	}
	hook("append-written", path);
	if (fsync(fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write to %s", path);
		goto undo;
	}
	hook("append-synced", path);
	ret = 0;
	goto out;
undo:
	/* Never leave half a message: it would read as a message of its own. */
	if (ftruncate(fd, (off_t)old_size) < 0 || fsync(fd) < 0)
		log_error("%s: could not remove a partly written message: %s", path,
		          strerror(errno));
out:
	backend_lock_release(&lock);
	if (fd >= 0)
		close(fd);
	str_free(&msg);
	return ret;
}

static int
mbox_create(const struct url *url, const struct backend_params *params, struct err *err)
{
	int fd;

	(void)params;
	fd = open(url->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return err_set(err, ERR_USAGE, "%s already exists", url->path);
		return err_sys(err, ERR_IO, errno, "cannot create %s", url->path);
	}
	if (fsync(fd) < 0) {
		close(fd);
		return err_sys(err, ERR_IO, errno, "cannot create %s", url->path);
	}
	close(fd);
	return file_fsync_dir_of(url->path, err);
}

static int
mbox_remove(const struct url *url, const struct backend_params *params, struct err *err)
{
	struct backend_lock lock = BACKEND_LOCK_INIT;
	struct stat st;
	int fd = -1, ret = -1;

	if (check_no_rewrite(url->path, err) < 0 ||
	    open_locked(url->path, params, 0, &lock, &fd, err) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !starts_like_mbox(fd, (uint64_t)st.st_size)) {
		err_set(err, ERR_USAGE, "%s is not an mbox folder: not removing it", url->path);
		goto out;
	}
	if (unlink(url->path) < 0) {
		err_sys(err, ERR_IO, errno, "cannot remove %s", url->path);
		goto out;
	}
	ret = file_fsync_dir_of(url->path, err);
out:
	backend_lock_release(&lock);
	if (fd >= 0)
		close(fd);
	return ret;
}

static int
mbox_rename(const struct url *from, const struct url *to, const struct backend_params *params,
            struct err *err)
{
	struct backend_lock lock = BACKEND_LOCK_INIT;
	int fd = -1, ret = -1;

	if (check_no_rewrite(from->path, err) < 0 ||
	    open_locked(from->path, params, 0, &lock, &fd, err) < 0)
		return -1;
	/* link() refuses to replace an existing folder, which rename() would not. */
	if (link(from->path, to->path) < 0) {
		if (errno == EEXIST)
			err_set(err, ERR_USAGE, "%s already exists", to->path);
		else
			err_sys(err, ERR_IO, errno, "cannot rename %s to %s", from->path, to->path);
		goto out;
	}
	if (unlink(from->path) < 0) {
		err_sys(err, ERR_IO, errno, "cannot rename %s to %s", from->path, to->path);
		unlink(to->path);
		goto out;
	}
	if (file_fsync_dir_of(to->path, err) < 0 || file_fsync_dir_of(from->path, err) < 0)
		goto out;
	ret = 0;
out:
	backend_lock_release(&lock);
	if (fd >= 0)
		close(fd);
	return ret;
}

static const char *const mbox_schemes[] = {"mbox", "file", NULL};

const struct backend_ops backend_mbox_ops = {
    .name = "mbox",
    .schemes = mbox_schemes,
    .caps = BE_CAP_FOLDERS | BE_CAP_HEADERS_ONLY | BE_CAP_APPEND | BE_CAP_EXPUNGE | BE_CAP_CREATE |
            BE_CAP_FLAGS | BE_CAP_LOCAL,
    .open = mbox_open,
    .count = mbox_count,
    .read_only = mbox_read_only,
    .find = mbox_find,
    .load_summaries = mbox_load_summaries,
    .fetch = mbox_fetch,
    .fetch_header = mbox_fetch_header,
    .fetch_partial = NULL,
    .set_flags = mbox_set_flags,
    .check = mbox_check,
    .search = mbox_search,
    .set_job = mbox_set_job,
    .sync = mbox_sync,
    .close = mbox_close,
    .append = mbox_append,
    .list = backend_local_list,
    .create = mbox_create,
    .remove = mbox_remove,
    .rename = mbox_rename,
};
