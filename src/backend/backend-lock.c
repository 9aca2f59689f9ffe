#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend-lock.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"

#define LOCK_RETRY_MS 100

static atomic_uint lock_counter;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
backend_lock_wait_start(struct backend_lock_wait *w, int timeout_ms, int first_ms, int max_ms,
                        int cancel_fd, const struct backend_progress *progress)
{
	w->start_ms = now_ms();
	w->timeout_ms = timeout_ms;
	w->delay_ms = first_ms > 0 ? first_ms : 1;
	w->max_ms = max_ms > w->delay_ms ? max_ms : w->delay_ms;
	w->cancel_fd = cancel_fd;
	w->progress = progress;
}

long long
backend_lock_wait_elapsed(const struct backend_lock_wait *w)
{
	return now_ms() - w->start_ms;
}

int
backend_lock_wait_step(struct backend_lock_wait *w, const char *what, struct err *err)
{
	struct pollfd pfd = {.fd = w->cancel_fd, .events = POLLIN};
	long long waited = backend_lock_wait_elapsed(w);
	int delay = w->delay_ms;
	char label[300];

	if (waited >= w->timeout_ms)
		return 1;
	snprintf(label, sizeof(label), "Waiting for %s", what);
	backend_report(w->progress, (uint64_t)waited, (uint64_t)w->timeout_ms, label);
	if (!backend_cancelled(w->progress, w->cancel_fd)) {
		if (delay > w->timeout_ms - waited)
			delay = (int)(w->timeout_ms - waited);
		if (w->cancel_fd >= 0)
			(void)poll(&pfd, 1, delay);
		else
			(void)poll(NULL, 0, delay);
		w->delay_ms = w->delay_ms * 2 > w->max_ms ? w->max_ms : w->delay_ms * 2;
		if (!backend_cancelled(w->progress, w->cancel_fd))
			return 0;
	}
	return err_set(err, ERR_CANCELLED, "cancelled while waiting for %s", what);
}

/* One retry interval of a busy lock: 1 when the deadline has passed. */
static int
lock_wait(struct backend_lock_wait *w, const char *path, struct err *err)
{
	char what[300];

	snprintf(what, sizeof(what), "the lock on %s", path);
	return backend_lock_wait_step(w, what, err);
}

static int
fcntl_lock(struct backend_lock *lock, int fd, int exclusive, const char *path,
           const struct backend_lock_params *params, struct backend_lock_wait *w, struct err *err)
{
	for (;;) {
		struct flock fl;
		int cmd, rc;

		memset(&fl, 0, sizeof(fl));
		fl.l_type = exclusive ? F_WRLCK : F_RDLCK;
		fl.l_whence = SEEK_SET;
#ifdef F_OFD_SETLK
		cmd = F_OFD_SETLK;
		rc = fcntl(fd, cmd, &fl);
		if (rc < 0 && errno == EINVAL) {
			cmd = F_SETLK;
			rc = fcntl(fd, cmd, &fl);
		}
#else
		cmd = F_SETLK;
		rc = fcntl(fd, cmd, &fl);
#endif
		if (rc == 0) {
			lock->fd = fd;
			lock->fcntl_cmd = cmd;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EACCES && errno != EAGAIN)
			return err_sys(err, ERR_IO, errno, "cannot lock %s", path);
		switch (lock_wait(w, path, err)) {
		case 1:
			return err_set(err, ERR_IO,
			               "cannot lock %s: another program is using it (waited %g s); "
			               "try again later",
			               path, params->timeout_ms / 1000.0);
		case -1:
			return -1;
		}
	}
}

/*
 * A stale lock is moved aside under a unique name before it is removed,
 * so that when two programs break the same stale lock at once, neither
 * removes the fresh lock the other has just made: whoever finds a
 * different inode under the unique name puts it back.
 */
static int
break_stale(const char *dotlock, const struct stat *st, const char *why)
{
	char *aside = xasprintf("%s.stale.%ld.%u", dotlock, (long)getpid(),
	                        atomic_fetch_add(&lock_counter, 1));
	struct stat st2;
	int ret = -1;

	if (rename(dotlock, aside) < 0) {
		/* Gone already (someone else broke it) is as good as broken. */
		ret = errno == ENOENT ? 0 : -1;
		goto out;
	}
	ret = 0;
	if (lstat(aside, &st2) == 0 && (st2.st_ino != st->st_ino || st2.st_dev != st->st_dev)) {
		if (link(aside, dotlock) < 0)
			log_warn("lost a race breaking the stale lock %s", dotlock);
		unlink(aside);
		goto out;
	}
	unlink(aside);
	log_warn("removed the stale lock %s (%s)", dotlock, why);
out:
	free(aside);
	return ret;
}

static void
our_host(char *host, size_t size)
{
	if (gethostname(host, size) < 0)
		snprintf(host, size, "localhost");
	host[size - 1] = '\0';
	for (char *c = host; *c; c++)
		if (*c == '/' || *c == ' ' || *c == '\n')
			*c = '_';
}

/* Reads "PID HOST" from a dot-lock; 0 when it holds something else. */
static int
read_holder(const char *dotlock, long *pid_r, char *name, size_t size)
{
	char buf[300], word[300];
	ssize_t n;
	int fd = open(dotlock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (sscanf(buf, "%ld %299s", pid_r, word) != 2 || *pid_r <= 0)
		return 0;
	snprintf(name, size, "%s", word);
	return 1;
}

static int
holder_is_us(const char *dotlock)
{
	char host[256], name[300];
	long pid;

	our_host(host, sizeof(host));
	return read_holder(dotlock, &pid, name, sizeof(name)) && pid == (long)getpid() &&
	       strcmp(name, host) == 0;
}

/* Nonzero when the lock names a process on this host that no longer exists. */
static int
holder_dead(const char *dotlock, const char *host)
{
	char name[300];
	long pid;

	if (!read_holder(dotlock, &pid, name, sizeof(name)) || strcmp(name, host) != 0 ||
	    pid > INT_MAX)
		return 0;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Pid and host: a lock left by a dead petrel here is broken at once. */
static int
write_holder(int fd, const char *host)
{
	char pid[300];
	int n = snprintf(pid, sizeof(pid), "%ld %s\n", (long)getpid(), host);

	return file_write_full(fd, pid, (size_t)n);
}

/* The dot-lock at dotlock, with st its file, is ours now. */
static void
hold_dotlock(struct backend_lock *lock, char **dotlock, const struct stat *st)
{
	lock->dotlock = *dotlock;
	lock->dot_ino = st->st_ino;
	lock->dot_dev = st->st_dev;
	*dotlock = NULL;
}

static int
dot_lock(struct backend_lock *lock, const char *path, const struct backend_lock_params *params,
         struct backend_lock_wait *w, struct err *err)
{
	char *dotlock = xasprintf("%s.lock", path);
	char host[256];
	char *tmp;
	int fd, ret = -1;
	struct stat st;

	our_host(host, sizeof(host));
	tmp = xasprintf("%s.%s.%ld.%u", dotlock, host, (long)getpid(),
	                atomic_fetch_add(&lock_counter, 1));
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		if (errno == EACCES || errno == EPERM || errno == EROFS) {
			/* A spool directory we may not write: the fcntl lock has to do. */
			log_warn("cannot create the lock file %s (%s); relying on fcntl locking",
			         dotlock, strerror(errno));
			ret = 0;
			goto out;
		}
		err_sys(err, ERR_IO, errno, "cannot create the lock file %s", tmp);
		goto out;
	}
	if (write_holder(fd, host) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write the lock file %s", tmp);
		close(fd);
		goto out;
	}
	close(fd);
	for (;;) {
		int linked = link(tmp, dotlock);
		int link_errno = errno;

		/* NFS may report a failed link that did happen: the link count tells. */
		if (linked == 0 || (stat(tmp, &st) == 0 && st.st_nlink == 2)) {
			if (lstat(dotlock, &st) < 0) {
				err_sys(err, ERR_IO, errno, "cannot check the lock file %s",
				        dotlock);
				goto out;
			}
			hold_dotlock(lock, &dotlock, &st);
			ret = 0;
			goto out;
		}
		if (link_errno == EPERM || link_errno == ENOTSUP || link_errno == ENOSYS) {
			/* A file system without hard links: O_EXCL is atomic locally. */
			int dfd = open(dotlock,
			               O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);

			if (dfd >= 0) {
				(void)write_holder(dfd, host);
				fstat(dfd, &st);
				close(dfd);
				hold_dotlock(lock, &dotlock, &st);
				ret = 0;
				goto out;
			}
			link_errno = errno;
		}
		if (link_errno != EEXIST) {
			err_sys(err, ERR_IO, link_errno, "cannot create the lock file %s", dotlock);
			goto out;
		}
		if (lstat(dotlock, &st) == 0) {
			time_t now = time(NULL);

			if (now - st.st_mtime > params->stale_s) {
				char why[64];

				snprintf(why, sizeof(why), "%ld minutes old",
				         (long)(now - st.st_mtime) / 60);
				if (break_stale(dotlock, &st, why) == 0)
					continue;
			} else if (holder_dead(dotlock, host) &&
			           break_stale(dotlock, &st,
			                       "the program that made it has exited") == 0)
				continue;
		}
		switch (lock_wait(w, path, err)) {
		case 1:
			err_set(err, ERR_IO,
			        "cannot lock %s: %s exists, another program is using it "
			        "(waited %g s); try again later",
			        path, dotlock, params->timeout_ms / 1000.0);
			goto out;
		case -1:
			goto out;
		}
	}
out:
	unlink(tmp);
	free(tmp);
	free(dotlock);
	return ret;
}

int
backend_lock_take(struct backend_lock *lock, const char *path, int fd, int exclusive,
                  const struct backend_lock_params *params, struct err *err)
{
	struct backend_lock_wait w;

	/* One bound for both locks. */
	backend_lock_wait_start(&w, params->timeout_ms, LOCK_RETRY_MS, LOCK_RETRY_MS,
	                        params->cancel_fd, params->progress);
	if (fcntl_lock(lock, fd, exclusive, path, params, &w, err) < 0)
		return -1;
	if (dot_lock(lock, path, params, &w, err) < 0) {
		backend_lock_release(lock);
		return -1;
	}
	return 0;
}

void
backend_lock_touch(struct backend_lock *lock)
{
	if (lock->dotlock != NULL)
		(void)utimensat(AT_FDCWD, lock->dotlock, NULL, AT_SYMLINK_NOFOLLOW);
}

void
backend_lock_release(struct backend_lock *lock)
{
	if (lock->dotlock != NULL) {
		struct stat st;

		/*
		 * Someone may have judged ours stale and replaced it: leave
		 * theirs.  The inode alone cannot tell (a new file may get the
		 * number of the old one), so the pid and host inside must be ours.
		 */
		if (lstat(lock->dotlock, &st) == 0 && st.st_ino == lock->dot_ino &&
		    st.st_dev == lock->dot_dev && holder_is_us(lock->dotlock))
			unlink(lock->dotlock);
		xfree(&lock->dotlock);
	}
	if (lock->fd >= 0) {
		struct flock fl;

		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_UNLCK;
		fl.l_whence = SEEK_SET;
		(void)fcntl(lock->fd, lock->fcntl_cmd, &fl);
		lock->fd = -1;
	}
}
