/* New-mail notification: new_mail_command expansion and a detached start. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ui/ui-notify.h"
#include "ui/ui-util.h"

void
ui_notify_expand(struct str *out, const char *fmt, const struct ui_notify_info *info)
{
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			str_append_char(out, *p);
			continue;
		}
		switch (*++p) {
		case 'n':
			str_appendf(out, "%zu", info->new_);
			break;
		case 'u':
			str_appendf(out, "%zu", info->unread);
			break;
		case 'm':
			str_appendf(out, "%zu", info->total);
			break;
		case 'f':
			ui_shell_quote(out, info->folder != NULL ? info->folder : "");
			break;
		case '%':
			str_append_char(out, '%');
			break;
		default:
			str_append_char(out, '%');
			str_append_char(out, *p);
			break;
		}
	}
}

/* In the intermediate child: never returns. */
static void
detach_and_exec(const char *cmd)
{
	static const int sigs[] = {SIGINT, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH, SIGTERM,
	                           SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU};
	sigset_t none;
	int fd;
	pid_t pid;

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		_exit(126);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* The command is init's to reap from here on. */
	_exit(pid < 0 ? 126 : 0);
}

int
ui_notify_spawn(const char *cmd, struct err *err)
{
	pid_t pid;
	int status;

	pid = fork();
	if (pid < 0)
		return err_sys(err, ERR_INTERNAL, errno, "cannot start %s", cmd);
	if (pid == 0)
		detach_and_exec(cmd);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return err_sys(err, ERR_INTERNAL, errno, "cannot start %s", cmd);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(err, ERR_INTERNAL, "cannot start %s", cmd);
	return 0;
}
