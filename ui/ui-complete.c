/* Address completion: aliases of the configuration and query_command. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/base-xalloc.h"
#include "ui/ui-complete.h"
#include "ui/ui-run.h"

size_t
ui_complete_entry_start(const char *text)
{
	size_t start = 0;
	int quoted = 0, angle = 0;

	for (size_t i = 0; text[i] != '\0'; i++) {
		char c = text[i];

		if (quoted) {
			if (c == '\\' && text[i + 1] != '\0')
				i++;
			else if (c == '"')
				quoted = 0;
		} else if (c == '"') {
			quoted = 1;
		} else if (c == '<') {
			angle = 1;
		} else if (c == '>') {
			angle = 0;
		} else if (c == ',' && !angle) {
			start = i + 1;
		}
	}
	while (text[start] == ' ' || text[start] == '\t')
		start++;
	return start;
}

static int
has_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

size_t
ui_complete_aliases(const struct config_record *recs, size_t nrecs, const char *prefix,
                    struct ui_strv *out)
{
	struct ui_strv names = {NULL, 0}, values = {NULL, 0};
	size_t added = 0;

	/* The aliases in force at the end of the file, in the order they
	 * were first defined. */
	for (size_t i = 0; i < nrecs; i++) {
		const struct config_record *r = &recs[i];

		if (r->kind == CONFIG_REC_UNALIAS) {
			for (size_t a = 0; a < r->argc; a++) {
				for (size_t j = names.n; j-- > 0;) {
					if (strcmp(r->argv[a], "*") == 0 ||
					    strcmp(names.v[j], r->argv[a]) == 0) {
						ui_strv_remove(&names, j);
						ui_strv_remove(&values, j);
					}
				}
			}
			continue;
		}
		if (r->kind != CONFIG_REC_ALIAS || r->argc < 2)
			continue;
		{
			struct str v = STR_INIT;
			size_t j;

			for (size_t a = 1; a < r->argc; a++) {
				if (a > 1)
					str_append(&v, ", ");
				str_append(&v, r->argv[a]);
			}
			for (j = 0; j < names.n; j++)
				if (strcmp(names.v[j], r->argv[0]) == 0)
					break;
			if (j < names.n) {
				free(values.v[j]);
				values.v[j] = str_detach(&v);
			} else {
				ui_strv_push(&names, r->argv[0]);
				ui_strv_take(&values, str_detach(&v));
			}
		}
	}
	for (size_t j = 0; j < names.n; j++) {
		size_t k;

		if (!has_prefix(names.v[j], prefix))
			continue;
		for (k = 0; k < out->n; k++)
			if (strcmp(out->v[k], values.v[j]) == 0)
				break;
		if (k < out->n)
			continue;
		ui_strv_push(out, values.v[j]);
		added++;
	}
	ui_strv_clear(&names);
	ui_strv_clear(&values);
	return added;
}

static int
has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return 1;
		/* C1 controls, as UTF-8. */
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] < 0xa0)
			return 1;
	}
	return 0;
}

/* A display name as a header wants it: quoted when it holds a special. */
static void
append_name(struct str *out, const char *name, size_t len)
{
	int special = 0;

	for (size_t i = 0; i < len; i++)
		if (strchr("()<>[]:;@\\,.\"", name[i]) != NULL)
			special = 1;
	if (!special) {
		str_append_len(out, name, len);
		return;
	}
	str_append_char(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (name[i] == '"' || name[i] == '\\')
			str_append_char(out, '\\');
		str_append_char(out, name[i]);
	}
	str_append_char(out, '"');
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

size_t
ui_complete_parse_query(const char *output, size_t len, struct ui_strv *out)
{
	const char *p = memchr(output, '\n', len), *end = output + len;
	size_t added = 0;

	if (p == NULL)
		return 0;
	for (p++; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *addr, *name, *tab;
		size_t n, alen, nlen;
		struct str e = STR_INIT;

		if (eol == NULL)
			eol = end;
		n = (size_t)(eol - line);
		p = eol + 1;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		addr = line;
		tab = memchr(line, '\t', n);
		alen = tab != NULL ? (size_t)(tab - line) : n;
		name = tab != NULL ? tab + 1 : line + n;
		nlen = (size_t)(line + n - name);
		tab = memchr(name, '\t', nlen);
		if (tab != NULL)
			nlen = (size_t)(tab - name);
		trim(&addr, &alen);
		trim(&name, &nlen);
		if (alen == 0 || memchr(addr, '@', alen) == NULL || has_control(addr, alen) ||
		    has_control(name, nlen) || memchr(addr, ' ', alen) != NULL ||
		    memchr(addr, '<', alen) != NULL || memchr(addr, '>', alen) != NULL ||
		    memchr(addr, ',', alen) != NULL)
			continue;
		if (nlen > 0) {
			append_name(&e, name, nlen);
			str_append(&e, " <");
			str_append_len(&e, addr, alen);
			str_append_char(&e, '>');
		} else {
			str_append_len(&e, addr, alen);
		}
		ui_strv_take(out, str_detach(&e));
		added++;
	}
	return added;
}

/* The shell command line: every %s is the text, shell-quoted; the rest
 * of the command is the user's. */
static void
query_line(struct str *line, const char *cmd, const char *text)
{
	const char *pct;

	for (const char *s = cmd;;) {
		pct = strstr(s, "%s");
		if (pct == NULL) {
			str_append(line, s);
			break;
		}
		str_append_len(line, s, (size_t)(pct - s));
		ui_shell_quote(line, text);
		s = pct + 2;
	}
	if (strstr(cmd, "%s") == NULL) {
		str_append_char(line, ' ');
		ui_shell_quote(line, text);
	}
}

/* 0 when the command's wait status says it answered. */
static int
query_status(int status, const struct str *out, struct err *err)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* abook and lbdbq exit 1 when nothing matches: their output
		 * still says so on its first line. */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 1 && out->len > 0)
			return 0;
		return err_set(err, ERR_IO, "the query command %s %d",
		               WIFEXITED(status) ? "exited with status" : "was killed by signal",
		               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
	return 0;
}

int
ui_complete_query(const char *cmd, const char *text, int timeout_ms, struct str *out,
                  struct err *err)
{
	struct str line = STR_INIT;
	int status, rc = -1;

	query_line(&line, cmd, text);
	status = ui_run_capture(line.s, NULL, 0, timeout_ms, out, err);
	if (status < 0) {
		/* ui-run names the whole command line; the prompt has one
		 * line of room. */
		if (strstr(err->msg, "was stopped") != NULL)
			err_set(err, ERR_TIMEOUT,
			        "the query command ran for more than %d seconds: stopped",
			        timeout_ms / 1000);
		goto out;
	}
	rc = query_status(status, out, err);
out:
	str_free(&line);
	return rc;
}

/* ---- the same, without waiting ---- */

/* Once the output ended, how often to look whether the command exited. */
#define QUERY_REAP_MS 20

struct ui_query {
	pid_t pid; /* also its process group; 0 once reaped */
	int fd;    /* its standard output; -1 once it ended */
	int status;
	int timeout_ms;
	long deadline;
	struct str out;
	char *text;
};

static long
query_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int
ui_query_start(const char *cmd, const char *text, int timeout_ms, struct ui_query **q_r,
               struct err *err)
{
	struct str line = STR_INIT;
	struct ui_query *q;
	int outp[2];
	pid_t pid;

	*q_r = NULL;
	if (pipe2(outp, O_CLOEXEC) < 0)
		return err_sys(err, ERR_INTERNAL, errno, "cannot run the query command");
	query_line(&line, cmd, text);
	pid = fork();
	if (pid < 0) {
		close(outp[0]);
		close(outp[1]);
		str_free(&line);
		return err_sys(err, ERR_INTERNAL, errno, "cannot run the query command");
	}
	if (pid == 0) {
		static const int sigs[] = {SIGINT,  SIGQUIT, SIGTERM,  SIGHUP,  SIGPIPE,
		                           SIGCHLD, SIGTSTP, SIGWINCH, SIGTTIN, SIGTTOU};
		int devnull = open("/dev/null", O_RDWR);
		sigset_t none;

		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			signal(sigs[i], SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* A group of its own: stopping it stops what its shell
		   started too (a pipeline, a sleep). */
		setpgid(0, 0);
		dup2(devnull, 0);
		dup2(outp[1], 1);
		dup2(devnull, 2);
		execl("/bin/sh", "sh", "-c", line.s, (char *)NULL);
		_exit(127);
	}
	/* Also here, so that a kill of the group cannot come before it. */
	setpgid(pid, pid);
	close(outp[1]);
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	str_free(&line);
	q = xcalloc(1, sizeof(*q));
	q->pid = pid;
	q->fd = outp[0];
	q->timeout_ms = timeout_ms;
	q->deadline = query_now_ms() + timeout_ms;
	q->text = xstrdup(text);
	*q_r = q;
	return 0;
}

int
ui_query_fd(const struct ui_query *q)
{
	return q->fd;
}

int
ui_query_ms_left(const struct ui_query *q)
{
	long left = q->deadline - query_now_ms();

	if (left < 0)
		left = 0;
	if (q->fd < 0 && left > QUERY_REAP_MS)
		left = QUERY_REAP_MS;
	return (int)left;
}

const char *
ui_query_text(const struct ui_query *q)
{
	return q->text;
}

/* Kills the command's group and waits for its shell. */
static void
query_kill(struct ui_query *q)
{
	if (q->pid > 0) {
		kill(-q->pid, SIGKILL);
		while (waitpid(q->pid, &q->status, 0) < 0 && errno == EINTR)
			;
		q->pid = 0;
	}
}

int
ui_query_step(struct ui_query *q, struct str *out, struct err *err)
{
	char buf[16384];
	pid_t r;

	while (q->fd >= 0) {
		ssize_t n = read(q->fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			close(q->fd);
			q->fd = -1;
			break;
		}
		if (q->out.len + (size_t)n <= UI_RUN_OUTPUT_MAX)
			str_append_len(&q->out, buf, (size_t)n);
	}
	if (q->fd < 0 && q->pid > 0) {
		while ((r = waitpid(q->pid, &q->status, WNOHANG)) < 0 && errno == EINTR)
			;
		if (r == q->pid || r < 0)
			q->pid = 0;
	}
	if (q->fd < 0 && q->pid == 0) {
		str_append_len(out, q->out.s != NULL ? q->out.s : "", q->out.len);
		str_append(out, "");
		return query_status(q->status, &q->out, err) < 0 ? -1 : 1;
	}
	if (query_now_ms() >= q->deadline) {
		query_kill(q);
		return err_set(err, ERR_TIMEOUT,
		               "the query command ran for more than %d seconds: stopped",
		               q->timeout_ms / 1000);
	}
	return 0;
}

void
ui_query_free(struct ui_query **q)
{
	if (*q == NULL)
		return;
	query_kill(*q);
	if ((*q)->fd >= 0)
		close((*q)->fd);
	str_free(&(*q)->out);
	free((*q)->text);
	free(*q);
	*q = NULL;
}
