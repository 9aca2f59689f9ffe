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
 *     client renamed meanwhile is found again by a rescan and our change
 *     is applied on top of theirs; a file that is gone is not an error.
 *   - Delivery (append) writes tmp/NAME, fsyncs it, links it into new/
 *     for new mail (cur/NAME:2,FLAGS otherwise) and fsyncs the directory.
 *     Names follow the modern recipe: SECONDS.MmicrosPpidQcounterRrandom.HOST.
 *   - Body lines are counted for files up to 1 MiB; larger ones say 0
 *     (unknown) rather than reading them whole just to count.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend-local.h"
#include "backend/backend.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "mime/mime-summary.h"

#define MD_HEADER_MAX (256 * 1024)
#define MD_COUNT_LINES_MAX (1024 * 1024)
#define MD_READ_CHUNK (64 * 1024)

/* Flags that have a letter; RECENT is where the file is, not a letter. */
#define MD_LETTER_FLAGS                                                                            \
	(MIME_FLAG_SEEN | MIME_FLAG_ANSWERED | MIME_FLAG_FLAGGED | MIME_FLAG_DELETED |             \
	 MIME_FLAG_DRAFT | MIME_FLAG_PASSED)

static atomic_uint delivery_counter;

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

struct md_id {
	uint64_t id;
	size_t index;
};

struct backend_folder {
	char *path;
	int read_only;
	struct md_entry *msgs;
	size_t count;
	struct md_id *ids; /* sorted by id, for find(); rebuilt when numbering changes */
	int cancel_fd;
	uint64_t max_message;
	/* new/ and cur/ as last read: when neither changed, check() is one stat each. */
	struct timespec dir_mtime[2];
};

/* ---- names ---- */

static uint64_t
md_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static unsigned
letter_flag(char c)
{
	switch (c) {
	case 'D':
		return MIME_FLAG_DRAFT;
	case 'F':
		return MIME_FLAG_FLAGGED;
	case 'P':
		return MIME_FLAG_PASSED;
	case 'R':
		return MIME_FLAG_ANSWERED;
	case 'S':
		return MIME_FLAG_SEEN;
	case 'T':
		return MIME_FLAG_DELETED;
	default:
		return 0;
	}
}

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
			unsigned f = letter_flag(*c);

			if (f != 0)
				flags |= f;
			else if (extra.len == 0 || strchr(extra.s, *c) == NULL)
				str_append_char(&extra, *c);
		}
	}
	*flags_r = flags;
	*extra_r = extra.s ? str_detach(&extra) : xstrdup("");
}

static int
char_cmp(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

/* base:2,LETTERS with LETTERS sorted, known ones from flags, unknown ones kept. */
static char *
make_name(const char *base, unsigned flags, const char *extra)
{
	static const char letters[] = "DFPRST";
	char info[64 + 256];
	size_t n = 0;

	for (const char *l = letters; *l; l++)
		if (flags & letter_flag(*l))
			info[n++] = *l;
	for (const char *c = extra; *c && n < sizeof(info) - 1; c++)
		info[n++] = *c;
	qsort(info, n, 1, char_cmp);
	info[n] = '\0';
	return xasprintf("%s:2,%s", base, info);
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
		e->id = md_hash(e->base);
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

static int
id_cmp(const void *a, const void *b)
{
	const struct md_id *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void
rebuild_ids(struct backend_folder *f)
{
	free(f->ids);
	f->ids = xcalloc(f->count + 1, sizeof(*f->ids));
	for (size_t i = 0; i < f->count; i++) {
		f->ids[i].id = f->msgs[i].id;
		f->ids[i].index = i;
	}
	if (f->count > 0)
		qsort(f->ids, f->count, sizeof(*f->ids), id_cmp);
}

/* Applies the change we want (flags vs disk) on top of new on-disk flags. */
static unsigned
merge_flags(const struct md_entry *e, unsigned new_disk)
{
	unsigned set = e->flags & ~e->disk & MD_LETTER_FLAGS;
	unsigned clear = e->disk & ~e->flags & MD_LETTER_FLAGS;

	return (new_disk | set) & ~clear;
}

/*
 * Reads the directories again and brings f->msgs up to date: renamed
 * files get their new names (our pending changes kept on top), vanished
 * ones lose their name, new ones are appended.  Sets *changes_r to the
 * check result this amounts to.  Vanished entries are dropped only when
 * `drop_vanished` (the caller is allowed to renumber).
 */
static int
rescan(struct backend_folder *f, int drop_vanished, enum backend_check *result_r, struct err *err)
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
			if (e->name != NULL) {
				xfree(&e->name);
				vanished = 1;
			} else {
				vanished = 1;
			}
			continue;
		}
		used[(size_t)(*hit - scan.e)] = 1;
		if (e->name == NULL || strcmp(e->name, (*hit)->name) != 0 ||
		    e->in_new != (*hit)->in_new) {
			if ((*hit)->disk != e->disk || strcmp((*hit)->extra, e->extra) != 0)
				flags_changed = 1;
			e->flags = merge_flags(e, (*hit)->disk);
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
	if (vanished && drop_vanished) {
		size_t kept = 0;

		for (size_t i = 0; i < f->count; i++) {
			if (f->msgs[i].name == NULL)
				entry_free(&f->msgs[i]);
			else
				f->msgs[kept++] = f->msgs[i];
		}
		f->count = kept;
	}
	if (vanished && drop_vanished)
		result = BACKEND_CHECK_REOPENED;
	else if (flags_changed)
		result = BACKEND_CHECK_FLAGS;
	else if (added > 0)
		result = BACKEND_CHECK_NEW_MAIL;
	rebuild_ids(f);
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
	static const char *const subs[] = {"cur", "new", "tmp"};

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return err_sys(err, ERR_IO, errno, "cannot create %s", path);
	for (size_t i = 0; i < 3; i++) {
		char *sub = xasprintf("%s/%s", path, subs[i]);
		int rc = mkdir(sub, 0700);

		if (rc < 0 && errno != EEXIST) {
			err_sys(err, ERR_IO, errno, "cannot create %s", sub);
			free(sub);
			return -1;
		}
		free(sub);
	}
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
	size_t lo = 0, hi = f->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->count && f->ids[lo].id == id) {
		*index_r = f->ids[lo].index;
		return 1;
	}
	return 0;
}

/*
 * Opens a message's file; when another client renamed it (flags) or
 * moved it (new/ to cur/), a rescan finds it again.
 */
static int
open_entry(struct backend_folder *f, size_t index, int *fd_r, struct err *err)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		struct md_entry *e = &f->msgs[index];
		enum backend_check ignored;
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
		if (rescan(f, 0, &ignored, err) < 0)
			return -1;
	}
	return err_set(err, ERR_IO,
	               "message %zu of %s was removed by another program; check for new mail",
	               index + 1, f->path);
}

static int
check_index(const struct backend_folder *f, size_t index, struct err *err)
{
	if (index >= f->count)
		return err_set(err, ERR_USAGE, "%s has no message %zu (it has %zu)", f->path,
		               index + 1, f->count);
	return 0;
}

/* Reads the whole file (at most `max` bytes, else an error) into *out, LF-normalised. */
static int
read_file(struct backend_folder *f, int fd, uint64_t max, int header_only, struct str *out,
          struct err *err)
{
	struct str raw = STR_INIT;
	char *buf = xmalloc(MD_READ_CHUNK);
	int ret = -1;

	for (;;) {
		ssize_t n = read(fd, buf, MD_READ_CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(err, ERR_IO, errno, "cannot read a message in %s", f->path);
			goto out;
		}
		if (n == 0)
			break;
		str_append_len(&raw, buf, (size_t)n);
		if (header_only) {
			const char *end = memmem(raw.s, raw.len, "\n\n", 2);
			const char *end2 = memmem(raw.s, raw.len, "\n\r\n", 3);

			if (end2 != NULL && (end == NULL || end2 < end)) {
				str_truncate(&raw, (size_t)(end2 - raw.s) + 3);
				break;
			}
			if (end != NULL) {
				str_truncate(&raw, (size_t)(end - raw.s) + 2);
				break;
			}
			if (raw.len >= MD_HEADER_MAX)
				break;
		} else if (raw.len > max) {
			err_set(err, ERR_IO,
			        "a message in %s is larger than the limit (%llu bytes)", f->path,
			        (unsigned long long)max);
			goto out;
		}
	}
	/* Stored with CRLF by some tools: messages come out with LF. */
	if (raw.len > 0)
		str_reserve(out, raw.len);
	for (size_t i = 0; i < raw.len; i++)
		if (!(raw.s[i] == '\r' && i + 1 < raw.len && raw.s[i + 1] == '\n'))
			str_append_char(out, raw.s[i]);
	ret = 0;
out:
	str_free(&raw);
	free(buf);
	return ret;
}

static int
md_fetch(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	size_t before = out->len;
	int fd;

	if (check_index(f, index, err) < 0 || open_entry(f, index, &fd, err) < 0)
		return -1;
	if (read_file(f, fd, f->max_message, 0, out, err) < 0) {
		str_truncate(out, before);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
md_fetch_header(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	size_t before = out->len;
	int fd;

	if (check_index(f, index, err) < 0 || open_entry(f, index, &fd, err) < 0)
		return -1;
	if (read_file(f, fd, MD_HEADER_MAX, 1, out, err) < 0) {
		str_truncate(out, before);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Counts body lines and LF-normalised bytes of a whole message. */
static void
count_message(const char *data, size_t len, uint32_t *lines_r, uint64_t *size_r)
{
	const char *body = NULL;
	uint64_t crs = 0;
	uint32_t lines = 0;

	for (size_t i = 0; i + 1 < len; i++)
		if (data[i] == '\r' && data[i + 1] == '\n')
			crs++;
	for (size_t i = 0; i < len; i++) {
		if (data[i] != '\n')
			continue;
		if (i + 1 < len && data[i + 1] == '\n') {
			body = data + i + 2;
			break;
		}
		if (i + 2 < len && data[i + 1] == '\r' && data[i + 2] == '\n') {
			body = data + i + 3;
			break;
		}
	}
	if (body != NULL) {
		const char *end = data + len, *p = body;

		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));

			lines++;
			if (nl == NULL)
				break;
			p = nl + 1;
		}
	}
	*lines_r = lines;
	*size_r = len - crs;
}

static int
md_load_summaries(struct backend_folder *f, size_t first, size_t n, struct arena *arena,
                  struct mime_summary *summaries, const struct backend_progress *progress,
                  struct err *err)
{
	struct str data = STR_INIT;
	char *label = NULL;
	int ret = -1;

	if (first > f->count || n > f->count - first)
		return err_set(err, ERR_USAGE, "%s has no messages %zu-%zu (it has %zu)", f->path,
		               first + 1, first + n, f->count);
	label = xasprintf("Reading headers of %s", f->path);
	for (size_t i = 0; i < n; i++) {
		struct mime_summary *s = &summaries[i];
		struct md_entry *e;
		struct stat st;
		int fd, whole;

		memset(s, 0, sizeof(*s));
		if (open_entry(f, first + i, &fd, err) < 0) {
			e = &f->msgs[first + i];
			if (e->name != NULL)
				goto out;
			/* Gone since the scan: shown as an empty message until check(). */
			mime_summary_from_header(arena, "", 0, s);
			s->id = e->id;
			s->flags = e->flags | (e->recent ? MIME_FLAG_RECENT : 0);
			continue;
		}
		e = &f->msgs[first + i];
		if (fstat(fd, &st) < 0) {
			err_sys(err, ERR_IO, errno, "cannot read a message in %s", f->path);
			close(fd);
			goto out;
		}
		whole = st.st_size <= MD_COUNT_LINES_MAX;
		str_reset(&data);
		if (read_file(f, fd, MD_COUNT_LINES_MAX, !whole, &data, err) < 0) {
			close(fd);
			goto out;
		}
		close(fd);
		mime_summary_from_header(arena, str_cstr(&data), data.len, s);
		s->id = e->id;
		s->flags = e->flags | (e->recent ? MIME_FLAG_RECENT : 0);
		s->received = st.st_mtime;
		s->size = (uint64_t)st.st_size;
		if (whole)
			count_message(str_cstr(&data), data.len, &s->lines, &s->size);
		if (s->date == 0)
			s->date = s->received;
		if ((i & 255) == 255) {
			backend_report(progress, i + 1, n, label);
			if (backend_cancelled(progress, f->cancel_fd)) {
				err_set(err, ERR_CANCELLED, "cancelled while reading %s", f->path);
				goto out;
			}
		}
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
	return rescan(f, 1, result_r, err);
}

/* ---- writing ---- */

static int
fsync_dir(const char *dir, struct err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return err_sys(err, ERR_IO, errno, "cannot open %s", dir);
	if (fsync(fd) < 0 && errno != EINVAL)
		ret = err_sys(err, ERR_IO, errno, "cannot sync %s", dir);
	close(fd);
	return ret;
}

/* Renames one message to carry its wanted flags in cur/. */
static int
write_entry(struct backend_folder *f, size_t index, struct err *err)
{
	for (int attempt = 0; attempt < 3; attempt++) {
		struct md_entry *e = &f->msgs[index];
		enum backend_check ignored;
		char *from, *name, *to;
		int rc;

		if (e->name == NULL)
			return 0; /* gone: nothing to write */
		if (!e->in_new && e->flags == e->disk)
			return 0;
		name = make_name(e->base, e->flags, e->extra);
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
		if (rescan(f, 0, &ignored, err) < 0)
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
		enum backend_check ignored;
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
		if (rescan(f, 0, &ignored, err) < 0)
			return -1;
	}
	return err_set(err, ERR_IO, "%s keeps changing under us; try again", f->path);
}

static int
md_sync(struct backend_folder *f, int expunge, const struct backend_progress *progress,
        struct err *err)
{
	char *label, *dir;
	int touched = 0, ret = -1;
	size_t n;

	if (f->read_only) {
		for (size_t i = 0; i < f->count; i++)
			if (f->msgs[i].name != NULL && f->msgs[i].flags != f->msgs[i].disk)
				return err_set(err, ERR_USAGE,
				               "%s is read-only: changes cannot be saved", f->path);
		return 0;
	}
	label = xasprintf("Writing %s", f->path);
	/* Mail that a rescan finds meanwhile was not seen: it stays where it is. */
	n = f->count;
	for (size_t i = 0; i < n; i++) {
		struct md_entry *e = &f->msgs[i];

		if ((i & 255) == 255) {
			backend_report(progress, i, n, label);
			if (backend_cancelled(progress, f->cancel_fd)) {
				err_set(err, ERR_CANCELLED, "cancelled while writing %s", f->path);
				goto out;
			}
		}
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
	if (expunge) {
		/* Renumber only now: rescans above need the array whole. */
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
	if (touched) {
		dir = xasprintf("%s/cur", f->path);
		ret = fsync_dir(dir, err);
		free(dir);
		if (ret < 0)
			goto out;
		dir = xasprintf("%s/new", f->path);
		ret = fsync_dir(dir, err);
		free(dir);
		if (ret < 0)
			goto out;
	}
	backend_report(progress, f->count, f->count, label);
	ret = 0;
out:
	free(label);
	return ret;
}

/* ---- delivery ---- */

static void
host_part(char *buf, size_t size)
{
	char host[256];
	size_t o = 0;

	if (gethostname(host, sizeof(host)) < 0)
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	/* The maildir specification's escapes for the two characters that matter. */
	for (const char *c = host; *c && o + 5 < size; c++) {
		if (*c == '/') {
			memcpy(buf + o, "\\057", 4);
			o += 4;
		} else if (*c == ':') {
			memcpy(buf + o, "\\072", 4);
			o += 4;
		} else {
			buf[o++] = *c;
		}
	}
	buf[o] = '\0';
}

static char *
unique_name(void)
{
	struct timeval tv;
	uint64_t r = 0;
	char host[300];

	gettimeofday(&tv, NULL);
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r ^= ((uint64_t)tv.tv_usec << 32) ^ (uint64_t)clock();
	host_part(host, sizeof(host));
	return xasprintf("%lld.M%06ldP%ldQ%uR%016llx.%s", (long long)tv.tv_sec, (long)tv.tv_usec,
	                 (long)getpid(), atomic_fetch_add(&delivery_counter, 1) + 1,
	                 (unsigned long long)r, host);
}

static int
md_append(const struct url *url, const struct backend_params *params, const char *data, size_t len,
          unsigned flags, time_t date, struct err *err)
{
	const char *path = url->path;
	char *base = NULL, *tmp = NULL, *dest = NULL, *dest_dir = NULL;
	int fd = -1, ret = -1, linked = 0, in_new;
	struct str norm = STR_INIT;

	if (!backend_local_is_maildir(path)) {
		struct stat st;

		if (params->create && stat(path, &st) < 0 && errno == ENOENT) {
			if (md_create_dirs(path, err) < 0)
				return -1;
		} else {
			return err_set(err, ERR_USAGE, "%s is not a maildir", path);
		}
	}
	/* Maildir files hold LF line endings. */
	if (len > 0)
		str_reserve(&norm, len);
	for (size_t i = 0; i < len; i++)
		if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			str_append_char(&norm, data[i]);
	/* new/ holds new mail only, and a file there carries no flags. */
	in_new = (flags & MIME_FLAG_RECENT) && !(flags & MD_LETTER_FLAGS);
	flags &= MD_LETTER_FLAGS;
	dest_dir = xasprintf("%s/%s", path, in_new ? "new" : "cur");
	for (int attempt = 0; attempt < 10 && !linked; attempt++) {
		free(base);
		free(tmp);
		free(dest);
		base = unique_name();
		tmp = xasprintf("%s/tmp/%s", path, base);
		if (!in_new) {
			char *name = make_name(base, flags, "");

			dest = xasprintf("%s/%s", dest_dir, name);
			free(name);
		} else {
			dest = xasprintf("%s/%s", dest_dir, base);
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0) {
			if (errno == EEXIST)
				continue;
			err_sys(err, ERR_IO, errno, "cannot create %s", tmp);
			goto out;
		}
		if (file_write_full(fd, norm.s ? norm.s : "", norm.len) < 0 || fsync(fd) < 0) {
			err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
			goto fail;
		}
		if (close(fd) < 0) {
			fd = -1;
			err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
			goto fail;
		}
		fd = -1;
		if (date != 0) {
			struct timespec ts[2] = {{date, 0}, {date, 0}};

			(void)utimensat(AT_FDCWD, tmp, ts, 0);
		}
		if (link(tmp, dest) == 0) {
			linked = 1;
		} else if (errno == EEXIST) {
			unlink(tmp);
			continue;
		} else if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS) {
			/* No hard links here: a rename that refuses to replace. */
			if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0) {
				linked = 1;
				continue;
			}
			if (errno == EEXIST) {
				unlink(tmp);
				continue;
			}
			err_sys(err, ERR_IO, errno, "cannot deliver to %s", dest);
			goto fail;
		} else {
			err_sys(err, ERR_IO, errno, "cannot deliver to %s", dest);
			goto fail;
		}
	}
	if (!linked) {
		err_set(err, ERR_IO, "cannot find a free file name in %s", path);
		goto out;
	}
	unlink(tmp);
	if (fsync_dir(dest_dir, err) < 0)
		goto out;
	ret = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	fd = -1;
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	free(base);
	free(tmp);
	free(dest);
	free(dest_dir);
	str_free(&norm);
	return ret;
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
    .sync = md_sync,
    .close = md_close,
    .append = md_append,
    .list = backend_local_list,
    .create = md_create,
    .remove = md_remove,
    .rename = md_rename,
};
