/* petrel --fetch: POP3 into the notmuch store (see cmd-fetch.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "cmd/cmd-fetch.h"

#define PASSWORD_MAX 1024

/* Reads a password from the terminal without echo; NULL when there is no
 * terminal or the user gave nothing. */
static char *
ask_password(const char *prompt)
{
	struct termios old, quiet;
	char buf[PASSWORD_MAX];
	size_t n = 0;
	char *pw = NULL;
	int fd;

	if (!isatty(0))
		return NULL;
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (tcgetattr(fd, &old) < 0) {
		close(fd);
		return NULL;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	if (write(fd, prompt, strlen(prompt)) < 0 || tcsetattr(fd, TCSAFLUSH, &quiet) < 0)
		goto out;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			break; /* interrupted: no password */
		if (r <= 0 || c == '\n' || c == '\r') {
			if (r > 0 && n > 0)
				pw = xstrndup(buf, n);
			break;
		}
		if (n < sizeof(buf) - 1)
			buf[n++] = c;
	}
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* The prompt's line stays open: nothing else to do. */
	}
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return pw;
}

struct progress_line {
	int tty;
	size_t shown; /* width of what is on the line */
};

static void
show_progress(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	struct progress_line *pl = ctx;
	char line[256];
	int n;

	if (!pl->tty)
		return;
	if (total > 0)
		n = snprintf(line, sizeof(line), "%s: %llu/%llu messages", label,
		             (unsigned long long)done, (unsigned long long)total);
	else
		n = snprintf(line, sizeof(line), "%s...", label);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	fprintf(stderr, "\r%s%*s", line, pl->shown > (size_t)n ? (int)(pl->shown - (size_t)n) : 0,
	        "");
	pl->shown = (size_t)n;
	fflush(stderr);
}

static void
clear_progress(struct progress_line *pl)
{
	if (pl->tty && pl->shown > 0) {
		fprintf(stderr, "\r%*s\r", (int)pl->shown, "");
		fflush(stderr);
		pl->shown = 0;
	}
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

int
cmd_fetch_pop3(struct cmd_session *s)
{
	struct core_fetch_params p;
	struct core_fetch_result res;
	struct progress_line pl = {isatty(2), 0};
	struct err err;
	int rc;

	if (core_fetch_params_from_config(s->cfg, s->opts->fetch, &p, &err) < 0) {
		core_fetch_params_clear(&p);
		return cmd_error_err(s, &err), 1;
	}
	if (s->opts->fetch_delete)
		p.delete_mode = 1;
	if (s->opts->fetch_to != NULL) {
		p.to_maildir = cmd_expand_folder(s, s->opts->fetch_to, &err);
		if (p.to_maildir == NULL) {
			core_fetch_params_clear(&p);
			return cmd_error_err(s, &err), 1;
		}
		if (strstr(p.to_maildir, "://") != NULL) {
			err_set(&err, ERR_USAGE, "--to %s: fetch into a local maildir, not a server",
			        s->opts->fetch_to);
			core_fetch_params_clear(&p);
			return cmd_error_err(s, &err), 1;
		}
	}
	if (p.password == NULL && p.pass_command == NULL) {
		char *prompt = xasprintf("Password for %s@%s: ", p.user, p.host);

		p.password = ask_password(prompt);
		free(prompt);
	}
	rc = core_fetch_sync(&p, show_progress, &pl, core_folder_interrupt_fd(), &res, &err);
	clear_progress(&pl);
	if (res.fetched > 0 || res.deleted > 0 || (rc == 0 && s->out_tty)) {
		if (res.fetched == 0 && res.deleted == 0)
			cmd_out(s, "No new mail on %s\n", res.server);
		else if (res.deleted > 0)
			cmd_out(s, "%zu new message%s from %s; %zu deleted on the server\n",
			        res.fetched, plural(res.fetched), res.server, res.deleted);
		else
			cmd_out(s, "%zu new message%s from %s\n", res.fetched, plural(res.fetched),
			        res.server);
		cmd_flush(s, 0);
	}
	core_fetch_params_clear(&p);
	if (rc < 0)
		return cmd_error_err(s, &err), 1;
	return s->exit_status;
}
