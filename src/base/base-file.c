#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"

int
file_write_full(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
file_fsync_dir_of(const char *path, struct err *err)
{
	char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	int fd, ret = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		ret = err_sys(err, ERR_IO, errno, "cannot open directory %s", dir);
		goto out;
	}
	if (fsync(fd) < 0 && errno != EINVAL)
		ret = err_sys(err, ERR_IO, errno, "cannot sync directory %s", dir);
	close(fd);
out:
	free(copy);
	return ret;
}

int
file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		  struct err *err)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd, ret = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		err_sys(err, ERR_IO, errno, "cannot create %s", tmp);
		goto out;
	}
	if (file_write_full(fd, data, len) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		goto fail;
	}
	if (fsync(fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot sync %s", tmp);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_sys(err, ERR_IO, errno, "cannot close %s", tmp);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err_sys(err, ERR_IO, errno, "cannot rename %s to %s", tmp, path);
		goto fail;
	}
	ret = file_fsync_dir_of(path, err);
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	return ret;
}

int
file_read_all(const char *path, size_t max_len, char **data_r, size_t *len_r,
	      struct err *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int fd, ret = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_sys(err, ERR_IO, errno, "cannot open %s", path);
	for (;;) {
		ssize_t n;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(err, ERR_IO, errno, "cannot read %s", path);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max_len) {
			err_set(err, ERR_IO, "%s is larger than %zu bytes", path, max_len);
			goto out;
		}
	}
	if (buf == NULL)
		buf = xmalloc(1);
	buf[len] = '\0';
	*data_r = buf;
	buf = NULL;
	if (len_r != NULL)
		*len_r = len;
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

int
file_mkdir_p(const char *path, mode_t mode, struct err *err)
{
	char *copy = xstrdup(path);
	char *p;
	int ret = 0;

	for (p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;

		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			ret = err_sys(err, ERR_IO, errno, "cannot create directory %s", copy);
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return ret;
}
