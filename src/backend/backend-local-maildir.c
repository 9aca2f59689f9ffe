/*
 * Maildir mechanics shared by the local backends (see the header).
 *
 * File names follow the modern recipe, SECONDS.MmicrosPpidQcounterRrandom.HOST,
 * and delivery links tmp/NAME into place rather than renaming it, so a name
 * that is taken is never overwritten.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "backend/backend-local-maildir.h"
#include "base/base-file.h"
#include "base/base-xalloc.h"

#define HEADER_MAX (256 * 1024)
#define READ_CHUNK (64 * 1024)

static atomic_uint delivery_counter;

static const struct {
	char letter;
	unsigned flag;
} letters[] = {
    {'D', MIME_FLAG_DRAFT},    {'F', MIME_FLAG_FLAGGED}, {'P', MIME_FLAG_PASSED},
    {'R', MIME_FLAG_ANSWERED}, {'S', MIME_FLAG_SEEN},    {'T', MIME_FLAG_DELETED},
};

int
backend_local_maildir_create(const char *dir, struct err *err)
{
	static const char *const subs[] = {"cur", "new", "tmp"};

	if (file_mkdir_p(dir, 0700, err) < 0)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		char *sub = xasprintf("%s/%s", dir, subs[i]);
		int rc = mkdir(sub, 0700);

		if (rc < 0 && errno != EEXIST) {
			err_sys(err, ERR_IO, errno, "cannot create %s", sub);
			free(sub);
			return -1;
		}
		free(sub);
	}
	return 0;
}

unsigned
backend_local_maildir_letter_flag(char c)
{
	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (letters[i].letter == c)
			return letters[i].flag;
	return 0;
}

unsigned
backend_local_maildir_name_flags(const char *name)
{
	const char *info = strrchr(name, '/');
	unsigned flags = 0;

	info = strchr(info != NULL ? info : name, ':');
	if (info == NULL || strncmp(info, ":2,", 3) != 0)
		return 0;
	for (const char *c = info + 3; *c; c++)
		flags |= backend_local_maildir_letter_flag(*c);
	return flags;
}

static int
char_cmp(const void *a, const void *b)
{
	return *(const unsigned char *)a - *(const unsigned char *)b;
}

char *
backend_local_maildir_name(const char *base, unsigned flags, const char *extra)
{
	char info[64 + 256];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (flags & letters[i].flag)
			info[n++] = letters[i].letter;
	for (const char *c = extra; *c && n < sizeof(info) - 1; c++)
		info[n++] = *c;
	qsort(info, n, 1, char_cmp);
	info[n] = '\0';
	return xasprintf("%s:2,%s", base, info);
}

int
backend_local_maildir_in_new(const char *path)
{
	const char *slash = path != NULL ? strrchr(path, '/') : NULL;

	return slash != NULL && slash - path >= 4 && strncmp(slash - 4, "/new", 4) == 0;
}

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

int
backend_local_maildir_sync(const char *dir, struct err *err)
{
	static const char *const subs[] = {"cur", "new"};
	int ret = 0;

	for (size_t i = 0; i < 2; i++) {
		char *sub = xasprintf("%s/%s", dir, subs[i]);

		if (fsync_dir(sub, ret == 0 ? err : NULL) < 0)
			ret = -1;
		free(sub);
	}
	return ret;
}

/* Writes tmp and makes it durable. */
static int
write_tmp(const char *tmp, const struct str *data, time_t date, struct err *err)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST ? 1 : err_sys(err, ERR_IO, errno, "cannot create %s", tmp);
	if (file_write_full(fd, str_cstr(data), data->len) < 0 || fsync(fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		unlink(tmp);
		return -1;
	}
	if (date != 0) {
		struct timespec ts[2] = {{date, 0}, {date, 0}};

		(void)utimensat(AT_FDCWD, tmp, ts, 0);
	}
	return 0;
}

/* Puts tmp at dest without ever replacing a file: 0 done, 1 dest taken. */
static int
link_into_place(const char *tmp, const char *dest, struct err *err)
{
	if (link(tmp, dest) == 0)
		return 0;
	if (errno == EEXIST)
		return 1;
	if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS) {
		/* No hard links here: a rename that refuses to replace. */
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno == EEXIST)
			return 1;
	}
	return err_sys(err, ERR_IO, errno, "cannot deliver to %s", dest);
}

int
backend_local_maildir_deliver(const char *dir, const char *data, size_t len, unsigned flags,
                              int to_new, time_t date, char **path_r, struct err *err)
{
	struct str norm = STR_INIT;
	char *dest_dir = xasprintf("%s/%s", dir, to_new ? "new" : "cur");
	int ret = -1;

	*path_r = NULL;
	if (len > 0)
		str_reserve(&norm, len);
	for (size_t i = 0; i < len; i++)
		if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			str_append_char(&norm, data[i]);
	for (int attempt = 0; attempt < 10 && ret < 0; attempt++) {
		char *base = unique_name();
		char *tmp = xasprintf("%s/tmp/%s", dir, base);
		/* new/ holds new mail only, and a file there carries no flags. */
		char *name = to_new ? xstrdup(base) : backend_local_maildir_name(base, flags, "");
		char *dest = xasprintf("%s/%s", dest_dir, name);
		int rc = write_tmp(tmp, &norm, date, err);

		if (rc == 0) {
			rc = link_into_place(tmp, dest, err);
			unlink(tmp);
		}
		free(base);
		free(name);
		free(tmp);
		if (rc < 0) {
			free(dest);
			goto out;
		}
		if (rc == 0) {
			*path_r = dest;
			ret = 0;
		} else {
			free(dest);
		}
	}
	if (ret < 0) {
		err_set(err, ERR_IO, "cannot find a free file name in %s", dir);
		goto out;
	}
	if (fsync_dir(dest_dir, err) < 0) {
		unlink(*path_r);
		xfree(path_r);
		ret = -1;
	}
out:
	free(dest_dir);
	str_free(&norm);
	return ret;
}

/* The length of the unique part of a maildir file name (before ':'). */
static size_t
unique_len(const char *name)
{
	const char *colon = strchr(name, ':');

	return colon != NULL ? (size_t)(colon - name) : strlen(name);
}

int
backend_local_maildir_find(const char *path, char **path_r, struct err *err)
{
	static const char *const subs[] = {"cur", "new"};
	const char *slash = strrchr(path, '/'), *name;
	size_t ulen, dlen;
	int found = 0;

	*path_r = NULL;
	/* DIR/cur/NAME: the maildir is what holds cur/ or new/. */
	if (slash == NULL || slash - path < 4 ||
	    (strncmp(slash - 4, "/cur", 4) != 0 && strncmp(slash - 4, "/new", 4) != 0))
		return 0;
	name = slash + 1;
	ulen = unique_len(name);
	dlen = (size_t)(slash - 4 - path);
	for (size_t i = 0; i < 2 && !found; i++) {
		char *dir = xasprintf("%.*s/%s", (int)dlen, path, subs[i]);
		DIR *d = opendir(dir);
		struct dirent *de;

		if (d == NULL) {
			int e = errno;

			free(dir);
			if (e == ENOENT)
				continue;
			return err_sys(err, ERR_IO, e, "cannot read %.*s", (int)dlen, path);
		}
		while ((de = readdir(d)) != NULL) {
			if (unique_len(de->d_name) == ulen &&
			    strncmp(de->d_name, name, ulen) == 0) {
				*path_r = xasprintf("%s/%s", dir, de->d_name);
				found = 1;
				break;
			}
		}
		closedir(d);
		free(dir);
	}
	return found;
}

int
backend_local_read_message(int fd, uint64_t max, int header_only, struct str *out, const char *what,
                           struct err *err)
{
	struct str raw = STR_INIT;
	char *buf = xmalloc(READ_CHUNK);
	int ret = -1;

	for (;;) {
		ssize_t n = read(fd, buf, READ_CHUNK);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(err, ERR_IO, errno, "cannot read %s", what);
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
			if (raw.len >= HEADER_MAX)
				break;
		} else if (raw.len > max) {
			err_set(err, ERR_IO, "%s is larger than the limit (%llu bytes)", what,
			        (unsigned long long)max);
			goto out;
		}
	}
	/* Stored with CRLF by some tools: messages come out with LF. */
	if (raw.len > 0)
		str_reserve(out, raw.len);
	for (size_t i = 0; i < raw.len;) {
		const char *cr = memchr(raw.s + i, '\r', raw.len - i);
		size_t upto = cr != NULL ? (size_t)(cr - raw.s) : raw.len;

		str_append_len(out, raw.s + i, upto - i);
		if (cr == NULL)
			break;
		if (upto + 1 >= raw.len || raw.s[upto + 1] != '\n')
			str_append_char(out, '\r');
		i = upto + 1;
	}
	ret = 0;
out:
	str_free(&raw);
	free(buf);
	return ret;
}

void
backend_local_count_message(const char *data, size_t len, uint32_t *lines_r, uint64_t *size_r)
{
	const char *p = data, *end = data + len, *body = NULL, *nl;
	uint64_t crs = 0;
	uint32_t lines = 0;

	/* One memchr pass from line end to line end: the CRLFs (for the
	   size as LF), the empty line ending the header, the body's lines. */
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		if (nl > data && nl[-1] == '\r')
			crs++;
		if (body != NULL) {
			if (nl >= body)
				lines++;
		} else if (end - nl > 1 && nl[1] == '\n') {
			body = nl + 2;
		} else if (end - nl > 2 && nl[1] == '\r' && nl[2] == '\n') {
			body = nl + 3;
		}
		p = nl + 1;
	}
	/* A last line without its line end counts too. */
	if (body != NULL && (p > body ? p : body) < end)
		lines++;
	*lines_r = lines;
	*size_r = len - crs;
}

int
backend_local_maildir_summary(int fd, uint64_t count_max, struct arena *arena, struct str *scratch,
                              struct mime_summary *s, const char *what, struct err *err)
{
	struct stat st;
	int whole;

	memset(s, 0, sizeof(*s));
	if (fstat(fd, &st) < 0)
		return err_sys(err, ERR_IO, errno, "cannot read %s", what);
	whole = (uint64_t)st.st_size <= count_max;
	str_reset(scratch);
	if (backend_local_read_message(fd, count_max, !whole, scratch, what, err) < 0)
		return -1;
	mime_summary_from_header(arena, str_cstr(scratch), scratch->len, s);
	s->received = st.st_mtime;
	s->size = (uint64_t)st.st_size;
	if (whole)
		backend_local_count_message(str_cstr(scratch), scratch->len, &s->lines, &s->size);
	if (s->date == 0)
		s->date = s->received;
	return 0;
}
