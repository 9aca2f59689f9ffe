#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base-arena.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "core/core-event.h"
#include "core/core-folder.h"
#include "core/core-job.h"
#include "core/core-request.h"
#include "core/core-send.h"
#include "core/core-worker.h"
#include "mime/mime-compose.h"
#include "mime/mime-text.h"

#define SENDMAIL_DEFAULT "/usr/sbin/sendmail"

struct sender {
	char *program;
};

void
core_send_strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Joins address entries into one list for the composer. */
static char *
join(struct arena *arena, const char *const *v, size_t n)
{
	struct str o = STR_INIT;
	size_t i;
	char *r;

	for (i = 0; i < n; i++) {
		if (v[i] == NULL || v[i][0] == '\0')
			continue;
		if (o.len > 0)
			str_append(&o, ", ");
		str_append(&o, v[i]);
	}
	if (o.len == 0)
		return NULL;
	r = arena_strdup(arena, o.s);
	str_free(&o);
	return r;
}

/* Text typed in a charset other than UTF-8 is read as latin1/windows-1252
 * rather than refused. */
static const char *
as_utf8(struct arena *arena, const char *s, size_t len, size_t *len_r)
{
	struct str o = STR_INIT;
	char *r;

	if (s == NULL)
		return NULL;
	if (mime_utf8_valid(s, len)) {
		if (len_r != NULL)
			*len_r = len;
		return s;
	}
	mime_text_8bit_to_utf8(&o, s, len);
	r = arena_memdup(arena, o.s ? o.s : "", o.len + 1);
	if (len_r != NULL)
		*len_r = o.len;
	str_free(&o);
	return r;
}

static char *
default_from(struct arena *arena)
{
	const char *user = getenv("USER");
	char host[256];

	if (user == NULL || *user == '\0')
		user = getenv("LOGNAME");
	if (user == NULL || *user == '\0')
		user = "nobody";
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	return arena_printf(arena, "%s@%s", user, host);
}

int
core_send_compose(const struct core_send_msg *m, struct str *out, char ***rcpt_r,
		  size_t *nrcpt_r, struct err *err)
{
	struct arena *arena = arena_new();
	struct mime_compose c;
	struct mime_compose_attachment *att = NULL;
	struct mime_composed done;
	size_t i;
	int rc = -1;

	*rcpt_r = NULL;
	*nrcpt_r = 0;
	memset(&c, 0, sizeof(c));
	c.from = m->from != NULL && m->from[0] != '\0' ? as_utf8(arena, m->from, strlen(m->from), NULL)
						      : default_from(arena);
	c.to = join(arena, m->to, m->nto);
	c.cc = join(arena, m->cc, m->ncc);
	c.bcc = join(arena, m->bcc, m->nbcc);
	c.keep_bcc = m->keep_bcc;
	c.reply_to = m->reply_to;
	if (m->subject != NULL && m->subject[0] != '\0')
		c.subject = as_utf8(arena, m->subject, strlen(m->subject), NULL);
	c.in_reply_to = m->in_reply_to;
	c.references = m->references;
	c.body = as_utf8(arena, m->body != NULL ? m->body : "", m->body_len, &c.body_len);
	if (m->nattach > 0) {
		att = arena_alloc(arena, m->nattach * sizeof(*att));
		for (i = 0; i < m->nattach; i++)
			att[i].path = m->attach[i];
		c.attachments = att;
		c.n_attachments = m->nattach;
	}
	c.crlf = 0;
	if (mime_compose_build(&c, arena, &done, err) < 0)
		goto out;
	str_append_len(out, done.data, done.len);
	*rcpt_r = xcalloc(done.n_recipients + 1, sizeof(char *));
	for (i = 0; i < done.n_recipients; i++)
		(*rcpt_r)[i] = xstrdup(done.recipients[i]);
	*nrcpt_r = done.n_recipients;
	rc = 0;
out:
	arena_free(&arena);
	return rc;
}

/* Writes all of data to fd, giving up when the job is cancelled. */
static int
feed(struct core_job *job, int fd, const char *data, size_t len, struct err *err)
{
	size_t off = 0;

	while (off < len) {
		struct pollfd pfd[2] = {{fd, POLLOUT, 0}, {core_job_cancel_fd(job), POLLIN, 0}};
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, ERR_INTERNAL, errno, "cannot wait for sendmail");
		}
		if (pfd[1].revents)
			return err_set(err, ERR_CANCELLED, "the message was not sent");
		n = write(fd, data + off, len - off > 65536 ? 65536 : len - off);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EPIPE)
				return 1; /* the program stopped reading: its status tells why */
			return err_sys(err, ERR_IO, errno, "cannot write to sendmail");
		}
		off += (size_t)n;
	}
	return 0;
}

/*
 * Waits for the program to end; when the job is cancelled meanwhile it
 * is stopped (SIGTERM) and still waited for.  Returns 1 when it was
 * stopped that way, 0 when it ended by itself, -1 on a failed wait.
 */
static int
reap(struct core_job *job, pid_t pid, int *status_r, struct err *err)
{
	int stopped = 0;

	for (;;) {
		struct pollfd pfd = {core_job_cancel_fd(job), POLLIN, 0};
		pid_t got = waitpid(pid, status_r, stopped ? 0 : WNOHANG);

		if (got == pid)
			return stopped;
		if (got < 0 && errno != EINTR)
			return err_sys(err, ERR_INTERNAL, errno, "cannot wait for the mail program");
		if (stopped)
			continue;
		/* No child-exit fd to poll without pidfd: look again often. */
		if (poll(&pfd, 1, 20) > 0) {
			kill(-pid, SIGTERM);
			stopped = 1;
		}
	}
}

static int
run_sendmail(struct sender *s, struct core_job *job, const struct core_req_send *r,
	     struct err *err)
{
	int in[2] = {-1, -1}, report[2] = {-1, -1};
	const char **argv;
	size_t i, argc = 0;
	pid_t pid;
	int status, child_errno = 0, rc = -1, fed, stopped;
	ssize_t n;

	argv = xcalloc(r->rcpt_count + 6, sizeof(*argv));
	argv[argc++] = s->program;
	argv[argc++] = "-oi";
	if (r->from != NULL && r->from[0] != '\0') {
		argv[argc++] = "-f";
		argv[argc++] = r->from;
	}
	argv[argc++] = "--";
	for (i = 0; i < r->rcpt_count; i++)
		argv[argc++] = r->rcpt[i];
	argv[argc] = NULL;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0) {
		err_sys(err, ERR_INTERNAL, errno, "cannot run %s", s->program);
		goto out;
	}
	log_trace(LOG_CH_CORE, "running %s with %zu recipients", s->program, r->rcpt_count);
	pid = fork();
	if (pid < 0) {
		err_sys(err, ERR_INTERNAL, errno, "cannot run %s", s->program);
		goto out;
	}
	if (pid == 0) {
		sigset_t none;

		/* The worker thread blocks every signal; the program must not
		 * inherit that, nor an ignored SIGPIPE. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		/* A group of its own, so a stop reaches what a wrapper
		 * script started too. */
		setpgid(0, 0);
		dup2(in[0], 0);
		if (strchr(s->program, '/') != NULL)
			execv(s->program, (char *const *)argv);
		else
			execvp(s->program, (char *const *)argv);
		child_errno = errno;
		if (write(report[1], &child_errno, sizeof(child_errno)) < 0)
			_exit(127);
		_exit(127);
	}
	setpgid(pid, pid); /* as the child does: whichever runs first */
	close(in[0]);
	in[0] = -1;
	close(report[1]);
	report[1] = -1;
	do
		n = read(report[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_errno)) {
		waitpid(pid, &status, 0);
		err_sys(err, ERR_IO, child_errno, "cannot run %s", s->program);
		goto out;
	}
	fed = feed(job, in[1], r->data, r->len, err);
	close(in[1]);
	in[1] = -1;
	if (fed < 0)
		kill(-pid, SIGTERM);
	stopped = reap(job, pid, &status, err);
	if (stopped < 0 || fed < 0)
		goto out;
	if (stopped) {
		const char *base = strrchr(s->program, '/');

		err_set(err, ERR_CANCELLED, "%s was stopped after reading it: it may have been sent",
			base != NULL ? base + 1 : s->program);
		goto out;
	}
	if (WIFSIGNALED(status)) {
		err_set(err, ERR_IO, "%s was killed by signal %d", s->program, WTERMSIG(status));
		goto out;
	}
	if (WEXITSTATUS(status) != 0) {
		err_set(err, ERR_IO, "%s failed with exit status %d", s->program,
			WEXITSTATUS(status));
		goto out;
	}
	if (fed > 0) {
		err_set(err, ERR_IO, "%s stopped reading the message", s->program);
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (report[i] >= 0)
			close(report[i]);
	}
	free(argv);
	return rc;
}

static int
sender_handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	if (req->type != CORE_REQ_SEND)
		return err_set(err, ERR_UNSUPPORTED, "the sendmail account cannot %s",
			       core_request_type_name(req->type));
	return run_sendmail(ctx, job, &req->u.send, err);
}

static void
sender_destroy(void *ctx)
{
	struct sender *s = ctx;

	free(s->program);
	free(s);
}

static const struct core_worker_ops sender_ops = {
	.handle = sender_handle,
	.destroy = sender_destroy,
};

int
core_send_deliver(const struct core_send_params *params, const char *data, size_t len,
		  const char *const *rcpt, size_t nrcpt, struct err *err)
{
	struct core_worker_params wp;
	struct core_queue *events;
	struct core_worker *worker = NULL;
	struct core_request *req;
	struct sender *s;
	const char **copy;
	size_t i;
	int rc;

	if (nrcpt == 0)
		return err_set(err, ERR_USAGE, "no recipients");
	if (params->submit != NULL) {
		struct core_submit_report local;
		struct core_submit_msg m;
		int rc2;

		memset(&m, 0, sizeof(m));
		m.from = params->envelope_from;
		m.rcpts = rcpt;
		m.n_rcpts = nrcpt;
		m.data = data;
		m.len = len;
		m.record = params->record;
		rc2 = core_submit_send(params->submit, &m,
				       params->report != NULL ? params->report : &local, err);
		if (params->report == NULL)
			core_submit_report_clear(&local);
		return rc2;
	}
	events = core_event_queue_new(err);
	if (events == NULL)
		return -1;
	s = xcalloc(1, sizeof(*s));
	s->program = xstrdup(params->sendmail != NULL && params->sendmail[0] != '\0'
				     ? params->sendmail
				     : SENDMAIL_DEFAULT);
	memset(&wp, 0, sizeof(wp));
	wp.name = "sendmail";
	wp.ops = &sender_ops;
	wp.ctx = s;
	wp.events = events;
	if (core_worker_new(&wp, &worker, err) < 0) {
		sender_destroy(s);
		core_event_queue_free(&events);
		return -1;
	}
	req = core_request_new(CORE_REQ_SEND);
	req->u.send.from = arena_strdup(req->arena, params->envelope_from ? params->envelope_from
									 : "");
	copy = arena_alloc(req->arena, (nrcpt + 1) * sizeof(*copy));
	for (i = 0; i < nrcpt; i++)
		copy[i] = arena_strdup(req->arena, rcpt[i]);
	req->u.send.rcpt = copy;
	req->u.send.rcpt_count = nrcpt;
	req->u.send.data = arena_memdup(req->arena, data, len);
	req->u.send.len = len;
	rc = core_call_sync(worker, req, NULL, NULL, core_folder_interrupt_fd(), err);
	core_worker_free(&worker);
	core_event_queue_free(&events);
	return rc;
}

int
core_send_dead_letter(const char *path, const char *data, size_t len, struct err *err)
{
	return core_folder_append(path, data, len, MIME_FLAG_SEEN, 0, err);
}
