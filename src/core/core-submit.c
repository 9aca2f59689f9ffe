#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backend/backend-smtp.h"
#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "core/core-account.h"
#include "core/core-event.h"
#include "core/core-folder.h"
#include "core/core-job.h"
#include "core/core-outbox.h"
#include "core/core-request.h"
#include "core/core-submit.h"
#include "core/core-worker.h"
#include "mime/mime-header.h"
#include "mime/mime-summary.h"

/* How long a send waits for another process's flush of the outbox. */
#define LOCK_WAIT_MS 30000
/* The most a password or token command may print. */
#define COMMAND_OUTPUT_MAX (64 * 1024)
/* The record of a message whose copy goes to the folder the IMAP
 * account's server marks \Sent (core-outbox.h keeps it as it is). */
#define SENT_RECORD "\\Sent"

/* The settings a handle is made of, by index into var_names. */
enum {
	V_SMTP_URL,
	V_SMTP_USER,
	V_SMTP_PASS,
	V_SMTP_PASS_COMMAND,
	V_SMTP_AUTH_MECHANISMS,
	V_SMTP_OAUTH_REFRESH_COMMAND,
	V_SMTP_STARTTLS,
	V_SMTP_ALLOW_PLAINTEXT,
	V_SMTP_PARTIAL_SEND,
	V_DSN_NOTIFY,
	V_DSN_RETURN,
	V_HOSTNAME,
	V_TLS_CA_FILE,
	V_TLS_VERIFY,
	V_CONNECT_TIMEOUT,
	V_TIMEOUT,
	V_SHELL,
	V_FOLDER,
	V_SPOOLFILE,
	V_COUNT
};

static const char *const var_names[V_COUNT] = {
    [V_SMTP_URL] = "smtp_url",
    [V_SMTP_USER] = "smtp_user",
    [V_SMTP_PASS] = "smtp_pass",
    [V_SMTP_PASS_COMMAND] = "smtp_pass_command",
    [V_SMTP_AUTH_MECHANISMS] = "smtp_auth_mechanisms",
    [V_SMTP_OAUTH_REFRESH_COMMAND] = "smtp_oauth_refresh_command",
    [V_SMTP_STARTTLS] = "smtp_starttls",
    [V_SMTP_ALLOW_PLAINTEXT] = "smtp_allow_plaintext",
    [V_SMTP_PARTIAL_SEND] = "smtp_partial_send",
    [V_DSN_NOTIFY] = "dsn_notify",
    [V_DSN_RETURN] = "dsn_return",
    [V_HOSTNAME] = "hostname",
    [V_TLS_CA_FILE] = "tls_ca_file",
    [V_TLS_VERIFY] = "tls_verify",
    [V_CONNECT_TIMEOUT] = "connect_timeout",
    [V_TIMEOUT] = "timeout",
    [V_SHELL] = "SHELL",
    [V_FOLDER] = "folder",
    [V_SPOOLFILE] = "spoolfile",
};

/* What the face asks of one job; lives on the face's stack during the
 * job.  The worker reads it only while the job runs, and the face only
 * before posting and after the job's end: the request and event queues
 * order those accesses. */
struct plan {
	bool flush;
	struct core_outbox_entry *entry; /* the queued message; NULL: not queued */
	const char *from;
	const char *record;
	struct core_submit_report *rep;
};

/* The worker's side: settings (fixed at creation), the connection. */
struct worker {
	char *val[V_COUNT];
	struct url url;
	char *outbox_dir;
	char *dead_letter;
	char *password;  /* asked from the user; set by the face between jobs */
	char *sent_root; /* imap[s]://[user@]host[:port]/ of the folders; NULL: local */
	bool sent_known; /* the \Sent folder was looked up: sent_url (NULL: none) */
	char *sent_url;
	struct backend_smtp *conn;
	struct core_outbox *ob;
	struct plan *plan;
};

struct core_submit {
	struct worker *w; /* owned by the worker thread; valid until it stops */
	struct core_worker *worker;
	struct core_queue *events;
	int (*ask_password)(void *ctx, const char *prompt, char **password_r);
	void (*progress)(void *ctx, uint64_t done, uint64_t total, const char *label);
	void *ctx;
	bool asked;
	bool progress_shown;
};

/* --- settings --- */

static bool
is_on(const char *v)
{
	return v != NULL && strcmp(v, "no") != 0;
}

static const char *
val(const struct worker *w, int i)
{
	return w->val[i] != NULL && w->val[i][0] != '\0' ? w->val[i] : NULL;
}

static long
num(const struct worker *w, int i, long def)
{
	const char *v = val(w, i);
	char *end;
	long n;

	if (v == NULL)
		return def;
	n = strtol(v, &end, 10);
	return *end == '\0' && n > 0 ? n : def;
}

static const char *
login_user(const struct worker *w)
{
	if (w->url.user != NULL && *w->url.user != '\0')
		return w->url.user;
	return val(w, V_SMTP_USER);
}

/* A password comes without asking from the URL, smtp_pass or a command;
 * a token command replaces it. */
static bool
password_known(const struct worker *w)
{
	return (w->url.password != NULL && *w->url.password != '\0') ||
	       val(w, V_SMTP_PASS) != NULL || val(w, V_SMTP_PASS_COMMAND) != NULL ||
	       val(w, V_SMTP_OAUTH_REFRESH_COMMAND) != NULL;
}

static const char *
server_name(const struct worker *w)
{
	return w->url.host != NULL ? w->url.host : "?";
}

static const char *
server_port(const struct worker *w)
{
	if (w->url.port != NULL && *w->url.port != '\0')
		return w->url.port;
	return strcmp(w->url.scheme, "smtps") == 0 ? "465" : "587";
}

static unsigned
dsn_notify(const struct worker *w)
{
	const char *v = val(w, V_DSN_NOTIFY);
	unsigned bits = 0;

	if (v == NULL)
		return 0;
	if (strstr(v, "never") != NULL)
		return SMTP_NOTIFY_NEVER;
	if (strstr(v, "success") != NULL)
		bits |= SMTP_NOTIFY_SUCCESS;
	if (strstr(v, "failure") != NULL)
		bits |= SMTP_NOTIFY_FAILURE;
	if (strstr(v, "delay") != NULL)
		bits |= SMTP_NOTIFY_DELAY;
	return bits;
}

static enum smtp_dsn_ret
dsn_return(const struct worker *w)
{
	const char *v = val(w, V_DSN_RETURN);

	if (v == NULL)
		return SMTP_DSN_RET_DEFAULT;
	return strcmp(v, "full") == 0 ? SMTP_DSN_RET_FULL : SMTP_DSN_RET_HDRS;
}

/* The EHLO name: hostname, else this host's name when it is one. */
static char *
helo_name(const struct worker *w)
{
	const char *h = val(w, V_HOSTNAME);
	char host[256];

	if (h != NULL)
		return xstrdup(h);
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		if (host[0] != '\0' &&
		    strspn(host, "abcdefghijklmnopqrstuvwxyz"
		                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") == strlen(host))
			return xstrdup(host);
	}
	return xstrdup("localhost");
}

/* --- commands for secrets --- */

/*
 * Runs command with the shell and returns the first line it printed.
 * The worker thread blocks every signal: the child must not inherit
 * that.  Cancelling the job stops the command.
 */
static int
run_secret_command(const struct worker *w, struct core_job *job, const char *var,
                   const char *command, char **line_r, struct err *err)
{
	const char *shell = val(w, V_SHELL) != NULL ? val(w, V_SHELL) : "/bin/sh";
	struct str out = STR_INIT;
	int pipefd[2], status, rc = -1;
	pid_t pid;

	*line_r = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return err_sys(err, ERR_INTERNAL, errno, "cannot run %s", var);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return err_sys(err, ERR_INTERNAL, errno, "cannot run %s", var);
	}
	if (pid == 0) {
		sigset_t none;
		int devnull = open("/dev/null", O_RDONLY);

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pipefd[1], 1);
		execl(shell, shell, "-c", command, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		struct pollfd pfd[2] = {{pipefd[0], POLLIN, 0},
		                        {core_job_cancel_fd(job), POLLIN, 0}};
		char buf[4096];
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents) {
			kill(pid, SIGTERM);
			err_set(err, ERR_CANCELLED, "%s cancelled", var);
			goto wait;
		}
		n = read(pipefd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (out.len < COMMAND_OUTPUT_MAX)
			str_append_len(&out, buf, (size_t)n);
	}
	rc = 0;
wait:
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		err_set(err, ERR_AUTH, "%s failed (%s %d): no secret for %s", var,
		        WIFEXITED(status) ? "exit status" : "signal",
		        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), server_name(w));
		rc = -1;
	}
	if (rc == 0) {
		size_t n = strcspn(str_cstr(&out), "\r\n");

		if (n == 0) {
			err_set(err, ERR_AUTH, "%s printed nothing: no secret for %s", var,
			        server_name(w));
			rc = -1;
		} else {
			*line_r = xstrndup(str_cstr(&out), n);
		}
	}
	if (out.cap > 0)
		explicit_bzero(out.s, out.cap);
	str_free(&out);
	return rc;
}

static void
wipe_free(char **p)
{
	if (*p != NULL) {
		explicit_bzero(*p, strlen(*p));
		free(*p);
		*p = NULL;
	}
}

/* --- the connection --- */

static int
connect_server(struct worker *w, struct core_job *job, struct err *err)
{
	struct backend_smtp_params p;
	const char *starttls = val(w, V_SMTP_STARTTLS);
	char *secret = NULL, *token = NULL, *helo = helo_name(w);
	const char *user = login_user(w);
	int rc = -1;

	backend_smtp_params_init(&p);
	p.host = w->url.host;
	p.port = server_port(w);
	if (strcmp(w->url.scheme, "smtps") == 0)
		p.tls = BACKEND_SMTP_TLS_IMPLICIT;
	else if (starttls != NULL && strcmp(starttls, "no") == 0)
		p.tls = BACKEND_SMTP_TLS_NONE;
	else if ((starttls != NULL && strcmp(starttls, "optional") == 0) ||
	         is_on(w->val[V_SMTP_ALLOW_PLAINTEXT]))
		p.tls = BACKEND_SMTP_TLS_OPTIONAL;
	else
		p.tls = BACKEND_SMTP_TLS_STARTTLS;
	p.tls_ca_file = val(w, V_TLS_CA_FILE);
	p.tls_no_verify = w->val[V_TLS_VERIFY] == NULL || strcmp(w->val[V_TLS_VERIFY], "no") == 0;
	p.connect_timeout_ms = (int)num(w, V_CONNECT_TIMEOUT, 30) * 1000;
	p.io_timeout_ms = (int)num(w, V_TIMEOUT, 60) * 1000;
	p.cancel_fd = core_job_cancel_fd(job);
	p.helo_name = helo;
	p.mechanisms = val(w, V_SMTP_AUTH_MECHANISMS);
	p.allow_plaintext = is_on(w->val[V_SMTP_ALLOW_PLAINTEXT]);
	if (user != NULL) {
		p.user = user;
		if (val(w, V_SMTP_OAUTH_REFRESH_COMMAND) != NULL &&
		    run_secret_command(w, job, "smtp_oauth_refresh_command",
		                       val(w, V_SMTP_OAUTH_REFRESH_COMMAND), &token, err) < 0)
			goto out;
		if (w->url.password != NULL && *w->url.password != '\0')
			p.password = w->url.password;
		else if (val(w, V_SMTP_PASS) != NULL)
			p.password = val(w, V_SMTP_PASS);
		else if (val(w, V_SMTP_PASS_COMMAND) != NULL) {
			if (run_secret_command(w, job, "smtp_pass_command",
			                       val(w, V_SMTP_PASS_COMMAND), &secret, err) < 0)
				goto out;
			p.password = secret;
		} else if (w->password != NULL)
			p.password = w->password;
		p.token = token;
		if (p.password == NULL && p.token == NULL) {
			err_set(
			    err, ERR_AUTH,
			    "no password for %s at %s:%s: put it in smtp_url "
			    "(smtp://user:password@host), or set smtp_pass or smtp_pass_command",
			    user, server_name(w), server_port(w));
			goto out;
		}
	}
	log_trace(LOG_CH_CORE, "submit: connecting to %s:%s", server_name(w), server_port(w));
	rc = backend_smtp_open(&p, &w->conn, err);
out:
	wipe_free(&secret);
	wipe_free(&token);
	free(helo);
	return rc;
}

/* --- copies: record and dead.letter --- */

/*
 * Through an account worker, as every append: local folders, the notmuch
 * store, and imap:// or imaps:// folders with the IMAP settings and
 * password prompt core-account.h holds.  Called on the submission
 * worker's thread, which waits for the job like a face would.
 */
static int
append_to(const char *folder, const char *data, size_t len, struct err *err)
{
	return core_folder_append(folder, data, len, MIME_FLAG_SEEN, 0, err);
}

/*
 * The account whose folders are on an IMAP server: folder, else
 * spoolfile, when it is an imap:// or imaps:// URL; the server's root
 * (the URL without its path) or NULL.
 */
static char *
imap_root(const char *folder, const char *spoolfile)
{
	const char *v[2] = {folder, spoolfile};

	for (int i = 0; i < 2; i++) {
		const char *u = v[i], *host, *end;

		if (u == NULL || (strncmp(u, "imap://", 7) != 0 && strncmp(u, "imaps://", 8) != 0))
			continue;
		host = strstr(u, "://") + 3;
		end = host + strcspn(host, "/?#");
		if (end == host)
			continue;
		return xasprintf("%.*s/", (int)(end - u), u);
	}
	return NULL;
}

struct sent_search {
	const char *found; /* the name of the folder marked \Sent, in *name */
	char *name;
};

static void
sent_event(const struct core_event *ev, void *ctx)
{
	struct sent_search *ss = ctx;

	if (ev->type != CORE_EV_FOLDERS || ss->name != NULL)
		return;
	for (size_t i = 0; i < ev->u.folders.count; i++) {
		const struct core_folder *f = &ev->u.folders.items[i];

		if ((f->flags & CORE_FOLDER_SENT) && !(f->flags & CORE_FOLDER_NOSELECT)) {
			ss->name = xstrdup(f->name);
			return;
		}
	}
}

/*
 * The URL of the folder the server of root marks \Sent (RFC 6154), from
 * a folder listing through an account worker (the IMAP backend asks for
 * the special-use attributes); *url_r NULL when none is marked.
 */
static int
find_sent_folder(const char *root, struct core_job *job, char **url_r, struct err *err)
{
	struct core_account_params ap = {"sent", root, 0};
	struct core_queue *events;
	struct core_worker *worker = NULL;
	struct sent_search ss = {NULL, NULL};
	struct str url = STR_INIT;
	int rc;

	*url_r = NULL;
	events = core_event_queue_new(err);
	if (events == NULL)
		return -1;
	if (core_account_start(&ap, events, &worker, err) < 0) {
		core_event_queue_free(&events);
		return -1;
	}
	rc = core_call_sync(worker, core_request_new(CORE_REQ_LIST_FOLDERS), sent_event, &ss,
	                    core_job_cancel_fd(job), err);
	core_worker_free(&worker);
	core_event_queue_free(&events);
	if (rc < 0 || ss.name == NULL) {
		free(ss.name);
		return rc;
	}
	/* The name is UTF-8 with '/' between levels, as folder URLs spell it. */
	str_append(&url, root);
	for (const unsigned char *p = (const unsigned char *)ss.name; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			str_append_char(&url, (char)*p);
		else
			str_appendf(&url, "%%%02X", *p);
	}
	free(ss.name);
	*url_r = str_detach(&url);
	return 0;
}

/*
 * The copy of a sent message: to record, or for SENT_RECORD to the IMAP
 * account's \Sent folder.  No such folder is no error: a notice in the
 * debug trace says there is no copy.
 */
static int
copy_sent(struct worker *w, struct core_job *job, const char *record, const char *data, size_t len,
          struct err *err)
{
	const char *url;
	int rc;

	if (strcmp(record, SENT_RECORD) != 0)
		return append_to(record, data, len, err);
	if (w->sent_root == NULL) {
		log_debug("no record and no IMAP folders: no copy of the sent message is kept");
		return 0;
	}
	/* Once a handle: a batch does not list the folders for each message. */
	if (!w->sent_known) {
		if (find_sent_folder(w->sent_root, job, &w->sent_url, err) < 0) {
			err_prefix(err, "the Sent folder");
			return -1;
		}
		w->sent_known = true;
	}
	url = w->sent_url;
	if (url == NULL) {
		log_debug("no record, and the IMAP server marks no folder \\Sent: no copy of the "
		          "sent message is kept");
		return 0;
	}
	log_trace(LOG_CH_CORE, "submit: copy of the sent message to the \\Sent folder");
	rc = append_to(url, data, len, err);
	if (rc < 0 && strstr(err->msg, "Sent") == NULL)
		err_prefix(err, "the Sent folder");
	return rc;
}

/* --- one message --- */

struct sending_mark {
	struct worker *w;
	struct core_outbox_entry *entry;
};

/* From here on the server may have the message. */
static void
mark_sending(void *ctx)
{
	struct sending_mark *m = ctx;
	struct err err;

	if (m->entry != NULL &&
	    core_outbox_set_state(m->w->ob, m->entry, CORE_OUTBOX_SENDING, false, &err) < 0)
		log_warn("%s", err.msg);
}

static void
job_progress(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	core_job_progress(ctx, done, total, label);
}

static enum core_submit_outcome
kept_outcome(enum err_kind kind)
{
	switch (kind) {
	case ERR_CONN:
	case ERR_TIMEOUT:
	case ERR_PROTO:
	case ERR_CANCELLED:
		return CORE_SUBMIT_QUEUED;
	default:
		return CORE_SUBMIT_KEPT;
	}
}

/* Leaves the message in the outbox to be sent again. */
static enum core_submit_outcome
requeue(struct worker *w, struct core_outbox_entry *e, const struct err *why,
        enum core_submit_outcome outcome, const char *data, size_t len,
        struct core_submit_report *rep)
{
	struct err err;

	rep->err = *why;
	if (e == NULL) {
		/* The outbox could not take it: dead.letter is all there is. */
		if (w->dead_letter != NULL && append_to(w->dead_letter, data, len, &err) == 0) {
			snprintf(rep->where, sizeof(rep->where), "%s", w->dead_letter);
			return CORE_SUBMIT_REFUSED;
		}
		return CORE_SUBMIT_UNSAVED;
	}
	if (e->state != CORE_OUTBOX_QUEUED &&
	    core_outbox_set_state(w->ob, e, CORE_OUTBOX_QUEUED, false, &err) < 0)
		log_warn("%s", err.msg);
	snprintf(rep->where, sizeof(rep->where), "%s", core_outbox_dir(w->ob));
	return outcome;
}

/* Refused for good: to dead.letter, else held in the outbox. */
static enum core_submit_outcome
refuse(struct worker *w, struct core_outbox_entry *e, const struct err *why, const char *data,
       size_t len, struct core_submit_report *rep)
{
	struct err err;

	rep->err = *why;
	if (w->dead_letter != NULL && append_to(w->dead_letter, data, len, &err) == 0) {
		snprintf(rep->where, sizeof(rep->where), "%s", w->dead_letter);
		if (e != NULL && core_outbox_remove(w->ob, e, &err) < 0)
			log_warn("%s", err.msg);
		return CORE_SUBMIT_REFUSED;
	}
	if (w->dead_letter != NULL)
		log_warn("cannot save the refused message in %s: %s", w->dead_letter, err.msg);
	if (e == NULL)
		return CORE_SUBMIT_UNSAVED;
	if (core_outbox_set_state(w->ob, e, CORE_OUTBOX_HELD, true, &err) < 0)
		log_warn("%s", err.msg);
	snprintf(rep->where, sizeof(rep->where), "%s", core_outbox_dir(w->ob));
	rep->held = true;
	return CORE_SUBMIT_REFUSED;
}

/* With a partial send, recipients refused with a 4xx wait in the outbox
 * for the next flush, in a message of their own. */
static void
requeue_later_rcpts(struct worker *w, const char *from, const struct backend_smtp_result *res,
                    const char *data, size_t len, struct core_submit_report *rep)
{
	const char **later = xcalloc(res->n_rcpts + 1, sizeof(*later));
	struct core_outbox_envelope env;
	struct core_outbox_entry e;
	struct err err;
	size_t n = 0;

	for (size_t i = 0; i < res->n_rcpts; i++)
		if (!res->rcpts[i].accepted && res->rcpts[i].code >= 400 &&
		    res->rcpts[i].code < 500)
			later[n++] = res->rcpts[i].addr;
	if (n > 0 && w->ob != NULL) {
		memset(&env, 0, sizeof(env));
		env.from = from;
		env.rcpts = later;
		env.n_rcpts = n;
		if (core_outbox_queue(w->ob, &env, data, len, &e, &err) == 0) {
			core_outbox_entry_clear(&e);
			snprintf(rep->where, sizeof(rep->where), "%s", core_outbox_dir(w->ob));
			err_prefix(&rep->err, "the recipients refused for now are queued again");
		} else {
			log_warn("%s", err.msg);
		}
	}
	free(later);
}

/*
 * Sends one message and moves its entry (NULL when it could not be
 * queued) as core-outbox.h says.  *conn_lost_r tells a flush that the
 * connection is gone.
 */
static enum core_submit_outcome
deliver(struct worker *w, struct core_job *job, struct core_outbox_entry *e, const char *from,
        const char *const *rcpts, size_t n_rcpts, const char *data, size_t len, const char *record,
        bool byte_progress, struct core_submit_report *rep, bool *conn_lost_r)
{
	struct backend_progress progress = {.report = job_progress, .ctx = job};
	struct sending_mark mark = {w, e};
	struct backend_smtp_msg m;
	struct backend_smtp_result res;
	struct arena *arena = arena_new();
	const char *envid;
	struct err err;
	enum core_submit_outcome outcome;

	*conn_lost_r = false;
	err_clear(&rep->err);
	memset(&m, 0, sizeof(m));
	m.from = from;
	m.rcpts = rcpts;
	m.n_rcpts = n_rcpts;
	m.data = data;
	m.len = len;
	m.partial_ok = is_on(w->val[V_SMTP_PARTIAL_SEND]);
	m.dsn_notify = dsn_notify(w);
	m.dsn_ret = dsn_return(w);
	if (m.dsn_notify != 0 || m.dsn_ret != SMTP_DSN_RET_DEFAULT) {
		/* The Message-ID tells the notifications apart. */
		size_t pos = 0;
		struct mime_header_field f;

		while (mime_header_next(data, len, &pos, &f))
			if (mime_header_name_is(&f, "Message-ID")) {
				envid = mime_header_msgid(arena, f.value, f.value_len);
				if (envid != NULL && *envid != '\0' && strlen(envid) <= 100)
					m.envid = envid;
				break;
			}
	}
	m.before_end = mark_sending;
	m.ctx = &mark;
	m.progress = byte_progress ? &progress : NULL;

	for (int attempt = 0;; attempt++) {
		bool reused = w->conn != NULL && backend_smtp_usable(w->conn);

		if (core_job_check(job, &err) < 0) {
			outcome = requeue(w, e, &err, CORE_SUBMIT_QUEUED, data, len, rep);
			goto out;
		}
		if (!reused) {
			backend_smtp_close(&w->conn);
			if (connect_server(w, job, &err) < 0) {
				*conn_lost_r = true;
				outcome =
				    requeue(w, e, &err, kept_outcome(err.kind), data, len, rep);
				goto out;
			}
		} else {
			backend_smtp_set_cancel_fd(w->conn, core_job_cancel_fd(job));
		}
		if (backend_smtp_send(w->conn, &m, &res, &err) == 0)
			break;
		/* A kept connection the server closed while it was idle: once
		   more on a new one, since nothing of the message went out. */
		if (attempt == 0 && reused && res.status == BACKEND_SMTP_NOT_SENT &&
		    res.temporary && !backend_smtp_usable(w->conn) && !core_job_cancelled(job)) {
			log_trace(LOG_CH_CORE, "submit: %s; connecting again", err.msg);
			continue;
		}
		*conn_lost_r = !backend_smtp_usable(w->conn);
		if (res.status == BACKEND_SMTP_UNKNOWN) {
			/* It may have gone: the entry stays SENDING, so the
			   next flush sends it again (a possible duplicate beats a
			   possible loss). */
			rep->err = err;
			rep->maybe_twice = true;
			outcome = CORE_SUBMIT_QUEUED;
			if (e != NULL)
				snprintf(rep->where, sizeof(rep->where), "%s",
				         core_outbox_dir(w->ob));
			else
				outcome = requeue(w, NULL, &err, outcome, data, len, rep);
			goto out;
		}
		if (res.temporary || err.kind == ERR_AUTH)
			outcome = requeue(w, e, &err,
			                  err.kind == ERR_AUTH ? CORE_SUBMIT_KEPT
			                                       : kept_outcome(err.kind),
			                  data, len, rep);
		else
			outcome = refuse(w, e, &err, data, len, rep);
		goto out;
	}

	/* Sent. */
	outcome = CORE_SUBMIT_SENT;
	if (res.n_accepted < res.n_rcpts) {
		rep->err = err;
		requeue_later_rcpts(w, from, &res, data, len, rep);
	}
	if (record != NULL && *record != '\0' && copy_sent(w, job, record, data, len, &err) < 0) {
		rep->copy_failed = true;
		rep->copy_err = err;
		if (strcmp(record, SENT_RECORD) != 0 && strstr(err.msg, record) == NULL)
			err_prefix(&rep->copy_err, "%s", record);
		if (e != NULL) {
			if (core_outbox_set_state(w->ob, e, CORE_OUTBOX_SENT_COPY, true, &err) < 0)
				log_warn("%s", err.msg);
			snprintf(rep->where, sizeof(rep->where), "%s", core_outbox_dir(w->ob));
		}
		goto out;
	}
	if (e != NULL && core_outbox_remove(w->ob, e, &err) < 0)
		log_warn("%s", err.msg);
out:
	arena_free(&arena);
	return outcome;
}

static int
open_outbox(struct worker *w, struct err *err)
{
	if (w->ob != NULL)
		return 0;
	return core_outbox_open(w->outbox_dir, &w->ob, err);
}

static int
do_send(struct worker *w, struct core_job *job, const struct core_req_send *r, struct plan *plan,
        struct err *err)
{
	struct core_submit_report *rep = plan->rep;
	struct core_outbox_entry *e = plan->entry;
	bool lost;
	struct err lerr;

	if (e != NULL) {
		if (open_outbox(w, &lerr) < 0 ||
		    core_outbox_lock(w->ob, LOCK_WAIT_MS, core_job_cancel_fd(job), &lerr) < 0) {
			/* Queued it is; whoever holds the outbox, or the next
			   flush, sends it. */
			rep->outcome = CORE_SUBMIT_QUEUED;
			rep->err = lerr;
			snprintf(rep->where, sizeof(rep->where), "%s", w->outbox_dir);
			*err = lerr;
			return -1;
		}
	}
	rep->outcome = deliver(w, job, e, r->from, r->rcpt, r->rcpt_count, r->data, r->len,
	                       plan->record, true, rep, &lost);
	/* Removals reach the disk at the end of the session (destroy): a
	   crash before that may send a message twice, never lose one, and a
	   batch does not pay two directory fsyncs a message. */
	if (w->ob != NULL)
		core_outbox_unlock(w->ob);
	if (rep->outcome != CORE_SUBMIT_SENT) {
		*err = rep->err;
		return -1;
	}
	return 0;
}

static char *
note(const struct core_outbox_item *item, const char *what)
{
	struct str s = STR_INIT;

	str_append(&s, "the message to ");
	for (size_t i = 0; i < item->n_rcpts && i < 3; i++)
		str_appendf(&s, "%s%s", i > 0 ? ", " : "", item->rcpts[i]);
	if (item->n_rcpts > 3)
		str_appendf(&s, " and %zu more", item->n_rcpts - 3);
	str_appendf(&s, ": %s", what);
	return str_detach(&s);
}

static void
add_note(struct core_submit_report *rep, char *text)
{
	rep->notes = xreallocarray(rep->notes, rep->n_notes + 1, sizeof(char *));
	rep->notes[rep->n_notes++] = text;
}

static int
do_flush(struct worker *w, struct core_job *job, struct plan *plan, struct err *err)
{
	struct core_submit_report *rep = plan->rep;
	struct core_outbox_entry *v = NULL;
	size_t n = 0, todo = 0, done = 0, i;
	bool stop = false;
	int rc = -1;

	if (open_outbox(w, err) < 0 ||
	    core_outbox_lock(w->ob, LOCK_WAIT_MS, core_job_cancel_fd(job), err) < 0)
		return -1;
	if (core_outbox_list(w->ob, &v, &n, err) < 0)
		goto out;
	for (i = 0; i < n; i++)
		if (v[i].state != CORE_OUTBOX_HELD)
			todo++;
	snprintf(rep->where, sizeof(rep->where), "%s", core_outbox_dir(w->ob));
	for (i = 0; i < n; i++) {
		struct core_outbox_entry *e = &v[i];
		struct core_outbox_item item;
		struct core_submit_report one;
		enum core_submit_outcome outcome;
		struct err lerr;
		bool lost;

		if (e->state == CORE_OUTBOX_HELD)
			continue;
		if (stop || core_job_cancelled(job)) {
			if (e->state == CORE_OUTBOX_SENT_COPY)
				rep->n_copy_failed++;
			else
				rep->n_queued++;
			continue;
		}
		core_job_progress(job, done, todo, "sending the outbox");
		done++;
		if (core_outbox_load(w->ob, e, &item, &lerr) < 0) {
			/* Not ours to send, and never will be: set it aside. */
			if (core_outbox_set_state(w->ob, e, CORE_OUTBOX_HELD, true, err) < 0)
				log_warn("%s", err->msg);
			add_note(rep, xasprintf("%s: set aside as held", lerr.msg));
			rep->n_refused++;
			continue;
		}
		if (e->state == CORE_OUTBOX_SENT_COPY) {
			if (item.record == NULL ||
			    copy_sent(w, job, item.record, item.msg, item.msg_len, &lerr) == 0) {
				if (core_outbox_remove(w->ob, e, &lerr) < 0)
					log_warn("%s", lerr.msg);
			} else {
				rep->n_copy_failed++;
				add_note(rep, note(&item, lerr.msg));
			}
			core_outbox_item_clear(&item);
			continue;
		}
		memset(&one, 0, sizeof(one));
		if (e->state == CORE_OUTBOX_SENDING) {
			/* A warning, not a failure: sending it again is the
			   price of never losing it. */
			char *warning =
			    note(&item, "its sending was cut short before: if the server had "
			                "taken it then, it is delivered twice");

			log_warn("%s", warning);
			free(warning);
		}
		outcome =
		    deliver(w, job, e, item.from, (const char *const *)item.rcpts, item.n_rcpts,
		            item.msg, item.msg_len, item.record, false, &one, &lost);
		switch (outcome) {
		case CORE_SUBMIT_SENT:
			rep->n_sent++;
			if (one.err.kind != ERR_NONE)
				add_note(rep, note(&item, one.err.msg));
			if (one.copy_failed) {
				rep->n_copy_failed++;
				add_note(rep, note(&item, one.copy_err.msg));
			}
			break;
		case CORE_SUBMIT_QUEUED:
		case CORE_SUBMIT_UNSAVED:
			rep->n_queued++;
			add_note(rep, note(&item, one.err.msg));
			break;
		case CORE_SUBMIT_KEPT:
			rep->n_kept++;
			add_note(rep, note(&item, one.err.msg));
			break;
		case CORE_SUBMIT_REFUSED:
			rep->n_refused++;
			add_note(rep, note(&item, one.err.msg));
			if (one.held)
				rep->held = true;
			else
				add_note(rep, note(&item, "it is saved in the dead letter file"));
			break;
		}
		/* The server is gone or will not have us: the rest waits. */
		if (lost && (outcome == CORE_SUBMIT_QUEUED || outcome == CORE_SUBMIT_KEPT)) {
			stop = true;
			if (rep->err.kind == ERR_NONE)
				rep->err = one.err;
		}
		core_outbox_item_clear(&item);
	}
	core_job_progress(job, done, todo, "sending the outbox");
	rc = 0;
out:
	if (core_outbox_sync(w->ob, err) < 0)
		log_warn("%s", err->msg);
	core_outbox_unlock(w->ob);
	core_outbox_entries_free(v, n);
	return rc;
}

static int
handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct worker *w = ctx;
	struct plan *plan = w->plan;

	if (req->type != CORE_REQ_SEND || plan == NULL)
		return err_set(err, ERR_UNSUPPORTED, "the submission worker cannot %s",
		               core_request_type_name(req->type));
	if (plan->flush)
		return do_flush(w, job, plan, err);
	return do_send(w, job, &req->u.send, plan, err);
}

static void
destroy(void *ctx)
{
	struct worker *w = ctx;
	struct err err;

	backend_smtp_close(&w->conn);
	if (w->ob != NULL && core_outbox_sync(w->ob, &err) < 0)
		log_warn("%s", err.msg);
	core_outbox_free(&w->ob);
	for (int i = 0; i < V_COUNT; i++) {
		if (w->val[i] != NULL &&
		    (i == V_SMTP_PASS || i == V_SMTP_URL || i == V_FOLDER || i == V_SPOOLFILE))
			explicit_bzero(w->val[i], strlen(w->val[i]));
		free(w->val[i]);
	}
	if (w->url.password != NULL)
		explicit_bzero(w->url.password, strlen(w->url.password));
	url_clear(&w->url);
	wipe_free(&w->password);
	if (w->sent_root != NULL)
		explicit_bzero(w->sent_root, strlen(w->sent_root));
	free(w->sent_root);
	if (w->sent_url != NULL)
		explicit_bzero(w->sent_url, strlen(w->sent_url));
	free(w->sent_url);
	free(w->outbox_dir);
	free(w->dead_letter);
	free(w);
}

static const struct core_worker_ops submit_ops = {
    .handle = handle,
    .destroy = destroy,
};

/* --- the face's side --- */

static bool
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

bool
core_submit_matches(const struct core_submit *sub, core_submit_var_fn *get, void *ctx,
                    const struct core_submit_hooks *hooks)
{
	for (int i = 0; i < V_COUNT; i++)
		if (!same(sub->w->val[i], get(ctx, var_names[i])))
			return false;
	return same(sub->w->outbox_dir, hooks->outbox) &&
	       same(sub->w->dead_letter, hooks->dead_letter);
}

int
core_submit_new(core_submit_var_fn *get, void *ctx, const struct core_submit_hooks *hooks,
                struct core_submit **sub_r, struct err *err)
{
	struct core_worker_params wp;
	struct core_submit *sub;
	struct worker *w;
	const char *url = get(ctx, "smtp_url");

	*sub_r = NULL;
	if (url == NULL || *url == '\0')
		return err_set(err, ERR_USAGE,
		               "smtp_url is not set: no server to send mail through");
	if (hooks->outbox == NULL || *hooks->outbox == '\0')
		return err_set(err, ERR_USAGE, "no outbox directory (set outbox)");
	w = xcalloc(1, sizeof(*w));
	for (int i = 0; i < V_COUNT; i++) {
		const char *v = get(ctx, var_names[i]);

		w->val[i] = v != NULL ? xstrdup(v) : NULL;
	}
	w->outbox_dir = xstrdup(hooks->outbox);
	w->sent_root = imap_root(w->val[V_FOLDER], w->val[V_SPOOLFILE]);
	w->dead_letter = hooks->dead_letter != NULL ? xstrdup(hooks->dead_letter) : NULL;
	if (url_parse(url, &w->url, err) < 0) {
		destroy(w);
		return err_prefix(err, "smtp_url");
	}
	if (w->url.scheme == NULL ||
	    (strcmp(w->url.scheme, "smtp") != 0 && strcmp(w->url.scheme, "smtps") != 0) ||
	    w->url.host == NULL || *w->url.host == '\0') {
		destroy(w);
		return err_set(err, ERR_USAGE,
		               "smtp_url must be smtp://[user[:password]@]host[:port] or "
		               "smtps://[user[:password]@]host[:port]");
	}
	sub = xcalloc(1, sizeof(*sub));
	sub->w = w;
	sub->ask_password = hooks->ask_password;
	sub->progress = hooks->progress;
	sub->ctx = hooks->ctx;
	sub->events = core_event_queue_new(err);
	if (sub->events == NULL) {
		destroy(w);
		free(sub);
		return -1;
	}
	memset(&wp, 0, sizeof(wp));
	wp.name = "submit";
	wp.ops = &submit_ops;
	wp.ctx = w;
	wp.events = sub->events;
	if (core_worker_new(&wp, &sub->worker, err) < 0) {
		destroy(w);
		core_event_queue_free(&sub->events);
		free(sub);
		return -1;
	}
	*sub_r = sub;
	return 0;
}

void
core_submit_free(struct core_submit **subp)
{
	struct core_submit *sub = *subp;

	if (sub == NULL)
		return;
	/* destroy() says QUIT on the worker's thread. */
	core_worker_free(&sub->worker);
	core_event_queue_free(&sub->events);
	free(sub);
	*subp = NULL;
}

const char *
core_submit_outbox(const struct core_submit *sub)
{
	return sub->w->outbox_dir;
}

void
core_submit_report_clear(struct core_submit_report *rep)
{
	for (size_t i = 0; i < rep->n_notes; i++)
		free(rep->notes[i]);
	free(rep->notes);
	memset(rep, 0, sizeof(*rep));
}

static void
on_event(const struct core_event *ev, void *ctx)
{
	struct core_submit *sub = ctx;

	if (ev->type == CORE_EV_PROGRESS && sub->progress != NULL) {
		sub->progress(sub->ctx, ev->u.progress.done, ev->u.progress.total,
		              ev->u.progress.label != NULL ? ev->u.progress.label : "");
		sub->progress_shown = true;
	}
}

static void
end_progress(struct core_submit *sub)
{
	/* done == total == 0 tells the face the job is over. */
	if (sub->progress_shown && sub->progress != NULL)
		sub->progress(sub->ctx, 0, 0, "");
	sub->progress_shown = false;
}

/* Asks for the password once, before the first connection needs it. */
static void
ensure_password(struct core_submit *sub)
{
	struct worker *w = sub->w;
	char *prompt, *pw = NULL;

	if (sub->asked || w->password != NULL || login_user(w) == NULL || password_known(w) ||
	    sub->ask_password == NULL)
		return;
	sub->asked = true;
	prompt = xasprintf("Password for %s at %s: ", login_user(w), server_name(w));
	if (sub->ask_password(sub->ctx, prompt, &pw) == 0 && pw != NULL)
		w->password = pw; /* the worker is idle: no job runs now */
	free(prompt);
}

/* MAIL FROM: the From header's address when the caller gave none. */
static char *
envelope_from(const struct core_submit_msg *msg)
{
	struct arena *arena;
	struct mime_header_field f;
	size_t pos = 0;
	char *r = NULL;

	if (msg->from != NULL)
		return xstrdup(msg->from);
	arena = arena_new();
	while (mime_header_next(msg->data, msg->len, &pos, &f)) {
		if (mime_header_name_is(&f, "From")) {
			const char *name, *addr;

			mime_header_first_mailbox(arena, f.value, f.value_len, &name, &addr);
			r = xstrdup(addr != NULL ? addr : "");
			break;
		}
	}
	arena_free(&arena);
	return r != NULL ? r : xstrdup("");
}

int
core_submit_send(struct core_submit *sub, const struct core_submit_msg *msg,
                 struct core_submit_report *rep, struct err *err)
{
	struct core_outbox *ob = NULL;
	struct core_outbox_envelope env;
	struct core_outbox_entry entry;
	struct core_request *req;
	struct plan plan;
	struct err qerr;
	const char **rcpt;
	char *from;
	int rc;

	memset(rep, 0, sizeof(*rep));
	memset(&entry, 0, sizeof(entry));
	if (msg->n_rcpts == 0)
		return err_set(err, ERR_USAGE, "no recipients");
	from = envelope_from(msg);
	ensure_password(sub);

	/* Durable in the outbox before anything goes on the wire. */
	memset(&env, 0, sizeof(env));
	env.from = from;
	env.rcpts = msg->rcpts;
	env.n_rcpts = msg->n_rcpts;
	env.record = msg->record;
	/* No record, folders on IMAP: the server's \Sent folder, looked up
	   when the copy is made (by the flush that sends it, if later). */
	if ((msg->record == NULL || *msg->record == '\0') && sub->w->sent_root != NULL)
		env.record = SENT_RECORD;
	if (core_outbox_open(sub->w->outbox_dir, &ob, &qerr) < 0 ||
	    core_outbox_queue(ob, &env, msg->data, msg->len, &entry, &qerr) < 0) {
		if (qerr.kind == ERR_USAGE) {
			core_outbox_free(&ob);
			free(from);
			*err = qerr;
			rep->outcome = CORE_SUBMIT_UNSAVED;
			rep->err = qerr;
			return -1;
		}
		log_warn("cannot keep the message in the outbox (%s): sending it without",
		         qerr.msg);
	}
	core_outbox_free(&ob);
	/* If the job never runs (interrupted at once), it stays queued. */
	rep->outcome = entry.id != NULL ? CORE_SUBMIT_QUEUED : CORE_SUBMIT_UNSAVED;
	err_set(&rep->err, ERR_CANCELLED, "sending interrupted");
	if (entry.id != NULL)
		snprintf(rep->where, sizeof(rep->where), "%s", sub->w->outbox_dir);

	req = core_request_new(CORE_REQ_SEND);
	req->u.send.from = arena_strdup(req->arena, from);
	rcpt = arena_alloc(req->arena, (msg->n_rcpts + 1) * sizeof(*rcpt));
	for (size_t i = 0; i < msg->n_rcpts; i++)
		rcpt[i] = arena_strdup(req->arena, msg->rcpts[i]);
	req->u.send.rcpt = rcpt;
	req->u.send.rcpt_count = msg->n_rcpts;
	req->u.send.data = arena_memdup(req->arena, msg->data, msg->len);
	req->u.send.len = msg->len;
	memset(&plan, 0, sizeof(plan));
	plan.entry = entry.id != NULL ? &entry : NULL;
	plan.record = env.record;
	plan.rep = rep;
	sub->w->plan = &plan;
	rc = core_call_sync(sub->worker, req, on_event, sub, core_folder_interrupt_fd(), err);
	sub->w->plan = NULL;
	end_progress(sub);
	core_outbox_entry_clear(&entry);
	free(from);
	if (rc < 0 && rep->err.kind == ERR_NONE)
		rep->err = *err;
	if (rc == 0 && rep->outcome != CORE_SUBMIT_SENT)
		rc = -1;
	if (rc < 0)
		*err = rep->err;
	return rc;
}

int
core_submit_flush(struct core_submit *sub, struct core_submit_report *rep, struct err *err)
{
	struct core_outbox *ob = NULL;
	struct core_outbox_entry *v = NULL;
	struct core_request *req;
	struct plan plan;
	size_t n = 0, todo = 0;
	int rc;

	memset(rep, 0, sizeof(*rep));
	snprintf(rep->where, sizeof(rep->where), "%s", sub->w->outbox_dir);
	/* Nothing to send: no connection, no password prompt. */
	if (core_outbox_open(sub->w->outbox_dir, &ob, err) < 0)
		return -1;
	rc = core_outbox_list(ob, &v, &n, err);
	core_outbox_free(&ob);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].state != CORE_OUTBOX_HELD)
			todo++;
	for (size_t i = 0; i < n; i++)
		if (v[i].state == CORE_OUTBOX_HELD)
			rep->held = true;
	core_outbox_entries_free(v, n);
	if (todo == 0)
		return 0;
	ensure_password(sub);
	req = core_request_new(CORE_REQ_SEND);
	memset(&plan, 0, sizeof(plan));
	plan.flush = true;
	plan.rep = rep;
	sub->w->plan = &plan;
	rc = core_call_sync(sub->worker, req, on_event, sub, core_folder_interrupt_fd(), err);
	sub->w->plan = NULL;
	end_progress(sub);
	if (rc < 0)
		return -1;
	if (rep->n_queued + rep->n_kept + rep->n_refused + rep->n_copy_failed > 0) {
		if (rep->err.kind != ERR_NONE)
			*err = rep->err;
		else
			err_set(err, ERR_REJECTED, "not everything in the outbox could be sent");
		return -1;
	}
	return 0;
}
