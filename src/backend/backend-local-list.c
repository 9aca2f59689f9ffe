#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-local.h"
#include "backend/backend-lock.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"

#define LIST_DEPTH_MAX 8
#define LIST_COUNT_MAX 10000

int
backend_local_is_maildir(const char *path)
{
	static const char *const subs[] = {"cur", "new", "tmp"};
	struct stat st;

	for (size_t i = 0; i < 3; i++) {
		char *sub = xasprintf("%s/%s", path, subs[i]);
		int ok = stat(sub, &st) == 0 && S_ISDIR(st.st_mode);

		free(sub);
		if (!ok)
			return 0;
	}
	return 1;
}

/* pread into rbuf, or pwrite from wbuf, retried on EINTR and short counts. */
static int
pio(int fd, char *rbuf, const char *wbuf, size_t len, uint64_t off)
{
	while (len > 0) {
		ssize_t n = wbuf != NULL ? pwrite(fd, wbuf, len, (off_t)off)
		                         : pread(fd, rbuf, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		if (wbuf != NULL)
			wbuf += n;
		else
			rbuf += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int
backend_local_pread(int fd, void *buf, size_t len, uint64_t off)
{
	return pio(fd, buf, NULL, len, off);
}

int
backend_local_pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	return pio(fd, NULL, buf, len, off);
}

void
backend_local_lock_params(const struct backend_params *params, struct backend_lock_params *lp_r)
{
	lp_r->timeout_ms = params->lock_timeout_ms;
	lp_r->stale_s = params->stale_lock_s;
	lp_r->cancel_fd = params->cancel_fd;
	lp_r->progress = &params->progress;
}

/* An mbox is a regular file that is empty or starts with "From ". */
static int
looks_like_mbox(const char *path, const struct stat *st)
{
	char buf[5];
	int fd, ok = 0;

	if (!S_ISREG(st->st_mode))
		return 0;
	if (st->st_size == 0)
		return 1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	ok = backend_local_pread(fd, buf, 5, 0) == 0 && memcmp(buf, "From ", 5) == 0;
	close(fd);
	return ok;
}

struct lister {
	struct arena *arena;
	struct backend_folder_info *items;
	size_t count, cap;
	int truncated;
};

static void
add(struct lister *l, const char *rel, const char *abs, unsigned flags)
{
	struct backend_folder_info *fi;

	if (l->count >= LIST_COUNT_MAX) {
		l->truncated = 1;
		return;
	}
	if (l->count == l->cap) {
		struct backend_folder_info *n;

		l->cap = l->cap ? l->cap * 2 : 32;
		n = arena_alloc(l->arena, l->cap * sizeof(*n));
		if (l->count > 0)
			memcpy(n, l->items, l->count * sizeof(*n));
		l->items = n;
	}
	fi = &l->items[l->count++];
	fi->name = arena_strdup(l->arena, rel);
	fi->url = arena_strdup(l->arena, abs);
	fi->flags = flags;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
walk(struct lister *l, const char *dir, const char *rel, int depth, int in_maildir, struct err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	if (d == NULL) {
		if (depth == 0)
			return err_sys(err, ERR_IO, errno, "cannot list %s", dir);
		return 0; /* an unreadable subdirectory is not a reason to fail the listing */
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
		if (n > LIST_COUNT_MAX * 4)
			break;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && !l->truncated; i++) {
		const char *name = names[i];
		char *abs = xasprintf("%s/%s", dir, name);
		char *r = *rel ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		struct stat st;

		if (stat(abs, &st) < 0)
			goto next;
		if (S_ISDIR(st.st_mode)) {
			int md = backend_local_is_maildir(abs);

			if (in_maildir && (strcmp(name, "cur") == 0 || strcmp(name, "new") == 0 ||
			                   strcmp(name, "tmp") == 0))
				goto next;
			if (name[0] == '.') {
				/* Maildir++: only maildirs, and only directly under a maildir. */
				if (in_maildir && md)
					add(l, r, abs, BE_FOLDER_MAILDIR);
				goto next;
			}
			if (md)
				add(l, r, abs, BE_FOLDER_MAILDIR);
			if (depth + 1 < LIST_DEPTH_MAX) {
				size_t before = l->count;

				if (!md)
					add(l, r, abs, BE_FOLDER_NOSELECT);
				if (walk(l, abs, r, depth + 1, md, err) < 0)
					ret = -1;
				/* A plain directory with no folders in it is not worth showing. */
				if (!md && l->count == before + 1)
					l->count--;
			}
		} else if (name[0] != '.' && looks_like_mbox(abs, &st)) {
			add(l, r, abs, BE_FOLDER_MBOX);
		}
	next:
		free(abs);
		free(r);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return ret;
}

int
backend_local_list(const struct url *root, const struct backend_params *params, struct arena *arena,
                   struct backend_folder_info **folders_r, size_t *count_r, struct err *err)
{
	struct lister l = {arena, NULL, 0, 0, 0};
	struct stat st;
	const char *path = root->path;

	(void)params;
	if (stat(path, &st) < 0)
		return err_sys(err, ERR_IO, errno, "cannot list %s", path);
	if (!S_ISDIR(st.st_mode))
		return err_set(err, ERR_USAGE, "cannot list %s: it is a file, not a directory",
		               path);
	if (walk(&l, path, "", 0, backend_local_is_maildir(path), err) < 0)
		return -1;
	*folders_r = l.items;
	*count_r = l.count;
	return 0;
}
