/* fcntl + dot-lock locking of local mail files. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend-lock.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "test-common.h"

static char warnings[2048];

static void
sink(enum log_level level, const char *line, void *ctx)
{
	(void)ctx;
	if (level <= LOG_WARN && strlen(warnings) + strlen(line) + 2 < sizeof(warnings)) {
		strcat(warnings, line);
		strcat(warnings, "\n");
	}
}

static struct backend_lock_params
lp(int timeout_ms)
{
	struct backend_lock_params p = {timeout_ms, 300, -1, NULL};

	return p;
}

struct holder {
	const char *path;
	int fd;
	struct backend_lock lock;
	int rc;
	struct err err;
};

static void *
take_in_thread(void *arg)
{
	struct holder *h = arg;
	struct backend_lock_params p = lp(200);

	h->rc = backend_lock_take(&h->lock, h->path, h->fd, 1, &p, &h->err);
	return NULL;
}

static int cancel_calls;

static int
cancel_after_two(void *ctx)
{
	(void)ctx;
	return ++cancel_calls >= 2;
}

static void
make_old(const char *path, int seconds)
{
	struct timespec ts[2];

	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[0].tv_sec -= seconds;
	ts[1] = ts[0];
	utimensat(AT_FDCWD, path, ts, 0);
}

static void
put(const char *path, const char *s)
{
	FILE *fp = fopen(path, "w");

	fputs(s, fp);
	fclose(fp);
}

int
main(void)
{
	char *path = xasprintf("%s/box", test_tmpdir());
	char *dot = xasprintf("%s.lock", path);
	struct backend_lock a = BACKEND_LOCK_INIT, b = BACKEND_LOCK_INIT;
	struct backend_lock_params p = lp(200);
	struct err err;
	int fd1, fd2;
	char host[256];

	log_set_sink(sink, NULL);
	put(path, "");
	fd1 = open(path, O_RDWR);
	fd2 = open(path, O_RDWR);

	test_begin("take and release");
	test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), 0);
	test_assert(access(dot, F_OK) == 0);
	test_assert(a.fd == fd1 && a.dotlock != NULL);
	backend_lock_release(&a);
	test_assert(access(dot, F_OK) < 0);
	test_assert(a.fd == -1 && a.dotlock == NULL);
	backend_lock_release(&a); /* twice is harmless */
	test_end();

	test_begin("the pid and host are in the lock file");
	test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), 0);
	{
		FILE *fp = fopen(dot, "r");
		char line[300] = "", want[300];

		gethostname(host, sizeof(host));
		snprintf(want, sizeof(want), "%ld %s\n", (long)getpid(), host);
		test_assert(fp != NULL && fgets(line, sizeof(line), fp) != NULL);
		test_assert_str(line, want);
		if (fp)
			fclose(fp);
	}
	test_end();

	test_begin("another thread of this process waits, then fails");
	{
		struct holder h = {path, fd2, BACKEND_LOCK_INIT, 0, {0}};
		pthread_t t;

		pthread_create(&t, NULL, take_in_thread, &h);
		pthread_join(t, NULL);
		test_assert_int(h.rc, -1);
		test_assert_int(h.err.kind, ERR_IO);
		test_assert(strstr(h.err.msg, "another program") != NULL);
		test_assert(h.lock.fd == -1 && h.lock.dotlock == NULL);
		/* Its failure did not remove our dot-lock. */
		test_assert(access(dot, F_OK) == 0);
	}
	test_end();

	test_begin("the fcntl lock alone keeps a second descriptor out");
	{
		/* Hold only a dot-lock-less fcntl lock through a second lock struct. */
		backend_lock_release(&a);
		test_assert_int(backend_lock_take(&a, path, fd1, 0, &p, &err), 0);
		unlink(dot); /* as if the directory allowed no dot-lock */
		test_assert_int(backend_lock_take(&b, path, fd2, 1, &p, &err), -1);
		test_assert(strstr(err.msg, "another program") != NULL);
		backend_lock_release(&a);
	}
	test_end();

	test_begin("cancel while waiting");
	{
		struct backend_progress prog = {NULL, cancel_after_two, NULL};
		struct backend_lock_params pc = lp(10000);
		int pipefd[2];

		test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), 0);
		pc.progress = &prog;
		test_assert_int(backend_lock_take(&b, path, fd2, 1, &pc, &err), -1);
		test_assert_int(err.kind, ERR_CANCELLED);
		test_assert(pipe(pipefd) == 0);
		(void)!write(pipefd[1], "x", 1);
		pc = lp(10000);
		pc.cancel_fd = pipefd[0];
		test_assert_int(backend_lock_take(&b, path, fd2, 1, &pc, &err), -1);
		test_assert_int(err.kind, ERR_CANCELLED);
		close(pipefd[0]);
		close(pipefd[1]);
		backend_lock_release(&a);
	}
	test_end();

	test_begin("a stale dot-lock is broken with a warning");
	put(dot, "1 far.example\n");
	make_old(dot, 600);
	warnings[0] = '\0';
	test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), 0);
	test_assert(strstr(warnings, "stale lock") != NULL);
	test_assert(strstr(warnings, "10 minutes") != NULL);
	backend_lock_release(&a);
	test_end();

	test_begin("a fresh dot-lock of another host is respected");
	put(dot, "1 far.example\n");
	test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), -1);
	test_assert(strstr(err.msg, dot) != NULL);
	test_assert(a.fd == -1); /* the fcntl lock was given back */
	test_end();

	test_begin("a dot-lock left by a dead process of this host is broken");
	{
		pid_t child = fork();
		char line[300];

		if (child == 0)
			_exit(0);
		waitpid(child, NULL, 0);
		snprintf(line, sizeof(line), "%ld %s\n", (long)child, host);
		put(dot, line);
		warnings[0] = '\0';
		test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), 0);
		test_assert(strstr(warnings, "has exited") != NULL);
		backend_lock_release(&a);
	}
	test_end();

	test_begin("release leaves a dot-lock that is not ours");
	test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), 0);
	unlink(dot);
	put(dot, "1 far.example\n");
	backend_lock_release(&a);
	test_assert(access(dot, F_OK) == 0);
	unlink(dot);
	test_end();

	test_begin("touching refreshes the dot-lock's time");
	test_assert_int(backend_lock_take(&a, path, fd1, 1, &p, &err), 0);
	make_old(dot, 100);
	backend_lock_touch(&a);
	{
		struct stat st;

		test_assert(stat(dot, &st) == 0 && time(NULL) - st.st_mtime < 5);
	}
	backend_lock_release(&a);
	test_assert(access(dot, F_OK) < 0);
	test_end();

	test_begin("no stray files are left in the directory");
	{
		char *cmd = xasprintf("test $(ls -A '%s' | wc -l) -eq 1", test_tmpdir());

		test_assert(system(cmd) == 0);
		free(cmd);
	}
	test_end();

	close(fd1);
	close(fd2);
	free(path);
	free(dot);
	log_set_sink(NULL, NULL);
	return test_done();
}
