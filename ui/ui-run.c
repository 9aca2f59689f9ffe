#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base-xalloc.h"
#include "ui/ui-run.h"

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void
child_defaults(void)
{
	sigset_t none;
	static const int sigs[] = {SIGINT,  SIGQUIT, SIGTERM,  SIGHUP,  SIGPIPE,
	                           SIGCHLD, SIGTSTP, SIGWINCH, SIGTTIN, SIGTTOU};

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int
ui_run_capture(const char *cmd, const char *in, size_t inlen, int timeout_ms, struct str *out,
               struct err *err)
{
	int inp[2] = {-1, -1}, outp[2] = {-1, -1}, status = -1, rc = -1;
	size_t fed = 0;
	long deadline = now_ms() + timeout_ms;
	pid_t pid;

	if (pipe2(outp, O_CLOEXEC) < 0 || (in != NULL && pipe2(inp, O_CLOEXEC) < 0)) {
		err_sys(err, ERR_INTERNAL, errno, "cannot run %s", cmd);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		err_sys(err, ERR_INTERNAL, errno, "cannot run %s", cmd);
		goto out;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		child_defaults();
		dup2(in != NULL ? inp[0] : devnull, 0);
		dup2(outp[1], 1);
		dup2(devnull, 2);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(outp[1]);
	outp[1] = -1;
	if (in != NULL) {
		close(inp[0]);
		inp[0] = -1;
		fcntl(inp[1], F_SETFL, O_NONBLOCK);
		if (inlen == 0) {
			close(inp[1]);
			inp[1] = -1;
		}
	}
	for (;;) {
		struct pollfd pfd[2];
		int n = 0, left = (int)(deadline - now_ms());
		char buf[65536];

		if (left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			err_set(err, ERR_IO, "%s ran for more than %d seconds and was stopped", cmd,
			        timeout_ms / 1000);
			goto out;
		}
		pfd[n].fd = outp[0];
		pfd[n++].events = POLLIN;
		if (inp[1] >= 0) {
			pfd[n].fd = inp[1];
			pfd[n++].events = POLLOUT;
		}
		if (poll(pfd, (nfds_t)n, left) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n > 1 && (pfd[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w =
			    write(inp[1], in + fed, inlen - fed > 65536 ? 65536 : inlen - fed);

			if (w > 0)
				fed += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || fed == inlen) {
				close(inp[1]);
				inp[1] = -1;
			}
		}
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(outp[0], buf, sizeof(buf));

			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0)
				break;
			if (out->len + (size_t)r <= UI_RUN_OUTPUT_MAX)
				str_append_len(out, buf, (size_t)r);
		}
	}
	if (inp[1] >= 0) {
		close(inp[1]);
		inp[1] = -1;
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			err_sys(err, ERR_INTERNAL, errno, "cannot wait for %s", cmd);
			goto out;
		}
	}
	rc = status;
out:
	for (int i = 0; i < 2; i++) {
		if (inp[i] >= 0)
			close(inp[i]);
		if (outp[i] >= 0)
			close(outp[i]);
	}
	str_append(out, "");
	return rc;
}

int
ui_run_in_path(const char *name)
{
	const char *path = getenv("PATH");
	const char *p = path != NULL ? path : "/usr/bin:/bin";

	while (*p != '\0') {
		size_t n = strcspn(p, ":");
		char *full = xasprintf("%.*s/%s", (int)n, p, name);
		int ok = access(full, X_OK) == 0;

		free(full);
		if (ok)
			return 1;
		p += n;
		if (*p == ':')
			p++;
	}
	return 0;
}
