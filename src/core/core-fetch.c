/*
 * Fetching from POP3 into the notmuch store: the run described in
 * core-fetch.h, in a worker thread.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend-pop3-conn.h"
#include "backend/backend-pop3-store.h"
#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "core/core-config.h"
#include "core/core-event.h"
#include "core/core-fetch.h"
#include "core/core-job.h"
#include "core/core-queue.h"
#include "core/core-request.h"
#include "core/core-worker.h"

#define BATCH_MESSAGES_DEFAULT 256
#define BATCH_BYTES_DEFAULT (32u * 1024 * 1024)
#define BATCH_MS_DEFAULT 5000
/* A full batch grows up to this many times the limits while the one
   before it is still being made durable, rather than wait for it. */
#define BATCH_STRETCH 4
/* The state file is written again at most this often while batches land
   (and always once they all have): see land_flight(). */
#define STATE_WRITE_MS 1000
#define STATE_MAX (256u * 1024 * 1024)
#define PASS_COMMAND_OUTPUT_MAX 4096

/* ---- parameters ---- */

void
core_fetch_params_clear(struct core_fetch_params *p)
{
	free(p->name);
	free(p->host);
	free(p->port);
	free(p->user);
	if (p->password != NULL) {
		explicit_bzero(p->password, strlen(p->password));
		free(p->password);
	}
	free(p->pass_command);
	free(p->mechanisms);
	free(p->tls_ca_file);
	free(p->state_dir);
	free(p->db_path);
	free(p->to_maildir);
	memset(p, 0, sizeof(*p));
}

char *
core_fetch_default_state_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/petrel/pop3", xdg);
	if (home == NULL || *home == '\0') {
		struct passwd *pw = getpwuid(getuid());

		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || *home == '\0')
		return NULL;
	return xasprintf("%s/.local/state/petrel/pop3", home);
}

static char *
login_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u != NULL && *u != '\0')
		return xstrdup(u);
	pw = getpwuid(getuid());
	return pw != NULL && pw->pw_name != NULL ? xstrdup(pw->pw_name) : NULL;
}

int
core_fetch_pass_command(const char *command, const char *server, int cancel_fd, char **out_r,
                        struct err *err)
{
	struct str out = STR_INIT;
	int pipefd[2], status, ret = -1;
	size_t n;
	pid_t pid;

	*out_r = NULL;
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return err_sys(err, ERR_AUTH, errno, "cannot run pop3_pass_command");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return err_sys(err, ERR_AUTH, errno, "cannot run pop3_pass_command");
	}
	if (pid == 0) {
		sigset_t none;

		/* A worker thread blocks every signal: the command must not
		   inherit that. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(pipefd[1], 1);
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		struct pollfd pfd[2] = {{pipefd[0], POLLIN, 0}, {cancel_fd, POLLIN, 0}};
		char buf[512];
		ssize_t r;

		if (poll(pfd, cancel_fd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (cancel_fd >= 0 && pfd[1].revents) {
			kill(pid, SIGTERM);
			err_set(err, ERR_CANCELLED, "pop3_pass_command cancelled");
			goto wait;
		}
		r = read(pipefd[0], buf, sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (out.len < PASS_COMMAND_OUTPUT_MAX)
			str_append_len(&out, buf, (size_t)r);
		explicit_bzero(buf, sizeof(buf));
	}
	ret = 0;
wait:
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ret == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		err_set(err, ERR_AUTH, "pop3_pass_command failed: no password for %s", server);
		ret = -1;
	}
	n = strcspn(str_cstr(&out), "\r\n");
	if (ret == 0 && n == 0) {
		err_set(err, ERR_AUTH, "pop3_pass_command printed nothing: no password for %s",
		        server);
		ret = -1;
	}
	if (ret == 0)
		*out_r = xstrndup(out.s, n);
	if (out.s != NULL)
		explicit_bzero(out.s, out.len);
	str_free(&out);
	return ret;
}

int
core_fetch_params_from_config(const struct config *cfg, const char *what,
                              struct core_fetch_params *p, struct err *err)
{
	const struct config_account *acct = NULL;
	const char *text, *v;
	struct url url;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	memset(&url, 0, sizeof(url));
	if (what == NULL || *what == '\0')
		return err_set(err, ERR_USAGE, "--fetch needs an account name or a pop3:// URL");
	if (strstr(what, "://") != NULL) {
		text = what;
	} else {
		acct = config_account_find(cfg, what);
		if (acct == NULL)
			return err_set(err, ERR_USAGE,
			               "no account named %s: give an account of the config, or a "
			               "pop3:// or pop3s:// URL",
			               what);
		text = config_string(cfg, acct, VAR_POP3_URL);
		if (text == NULL)
			return err_set(err, ERR_USAGE, "account %s has no pop3_url to fetch from",
			               what);
	}
	if (url_parse(text, &url, err) < 0)
		goto out;
	if (strcmp(url.scheme, "pop3") != 0 && strcmp(url.scheme, "pop3s") != 0) {
		err_set(err, ERR_USAGE, "%s: --fetch takes pop3:// or pop3s:// servers", what);
		goto out;
	}
	if (url.host == NULL || *url.host == '\0') {
		err_set(err, ERR_USAGE, "%s: no server in the URL (pop3s://user@host)", what);
		goto out;
	}
	p->implicit_tls = strcmp(url.scheme, "pop3s") == 0;
	p->host = xstrdup(url.host);
	p->port = url.port != NULL ? xstrdup(url.port) : NULL;
	if (url.user != NULL && *url.user != '\0')
		p->user = xstrdup(url.user);
	else if ((v = config_string(cfg, acct, VAR_POP3_USER)) != NULL && *v != '\0')
		p->user = xstrdup(v);
	else
		p->user = login_name();
	if (p->user == NULL) {
		err_set(err, ERR_USAGE, "%s: no user name (give one in the URL or pop3_user)",
		        what);
		goto out;
	}
	p->name = acct != NULL ? xstrdup(what) : url_display(&url);
	if (url.password != NULL) {
		p->password = xstrdup(url.password);
	} else if ((v = config_string(cfg, acct, VAR_POP3_PASS)) != NULL) {
		p->password = xstrdup(v);
	} else if ((v = config_string(cfg, acct, VAR_POP3_PASS_COMMAND)) != NULL && *v != '\0') {
		p->pass_command = xstrdup(v); /* run by the worker (handle) */
	}
	v = config_string(cfg, acct, VAR_POP3_AUTH_MECHANISMS);
	p->mechanisms = v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	switch (config_enum(cfg, acct, VAR_POP3_STARTTLS)) {
	case 1:
		p->starttls = 0;
		break;
	case 2:
		p->starttls = -1;
		break;
	default:
		p->starttls = 1;
		break;
	}
	p->allow_plaintext = config_bool(cfg, acct, VAR_POP3_ALLOW_PLAINTEXT);
	v = config_string(cfg, acct, VAR_TLS_CA_FILE);
	p->tls_ca_file = v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	p->tls_verify = config_bool(cfg, acct, VAR_TLS_VERIFY);
	p->connect_timeout_ms = (int)config_number(cfg, acct, VAR_CONNECT_TIMEOUT) * 1000;
	p->io_timeout_ms = (int)config_number(cfg, acct, VAR_TIMEOUT) * 1000;
	p->delete_mode = config_bool(cfg, acct, VAR_POP3_DELETE);
	p->keep_days = config_number(cfg, acct, VAR_POP3_KEEP_DAYS);
	v = config_string(cfg, NULL, VAR_NOTMUCH_DB);
	p->db_path = v != NULL && *v != '\0' ? xstrdup(v) : NULL;
	p->state_dir = core_fetch_default_state_dir();
	if (p->state_dir == NULL) {
		err_set(err, ERR_USAGE, "no home directory to keep the POP3 state in");
		goto out;
	}
	p->max_message = 1ULL << 30;
	rc = 0;
out:
	url_clear(&url);
	return rc;
}

/* ---- the state file ---- */

struct state_entry {
	char *uid;
	long long at;
};

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct state_entry *)a)->uid, ((const struct state_entry *)b)->uid);
}

/* Reads path into a sorted array; a missing file is an empty state, and
 * lines that do not parse are skipped (the store answers for them). */
static int
state_read(const char *path, struct state_entry **e_r, size_t *n_r, struct err *err)
{
	char *data = NULL, *line, *next;
	size_t len, n = 0, cap = 0, bad = 0;
	struct state_entry *e = NULL;

	*e_r = NULL;
	*n_r = 0;
	if (file_read_all(path, STATE_MAX, &data, &len, err) < 0) {
		if (access(path, F_OK) < 0 && errno == ENOENT)
			return 0;
		return -1;
	}
	for (line = data; line < data + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(data + len - line));
		char *end, *uid;
		long long at;

		if (nl == NULL)
			break; /* no line end: not a whole line */
		*nl = '\0';
		next = nl + 1;
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (line[0] != 'F' || line[1] != ' ') {
			bad++;
			continue;
		}
		errno = 0;
		at = strtoll(line + 2, &end, 10);
		uid = end + 1;
		if (errno != 0 || end == line + 2 || *end != ' ' || at <= 0 || *uid == '\0' ||
		    strlen(uid) > 70 || strpbrk(uid, " \t\r") != NULL) {
			bad++;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			e = xreallocarray(e, cap, sizeof(*e));
		}
		e[n].uid = xstrdup(uid);
		e[n].at = at;
		n++;
	}
	free(data);
	if (bad > 0)
		log_warn("%s: %zu lines that are not petrel's were ignored", path, bad);
	if (n > 0)
		qsort(e, n, sizeof(*e), entry_cmp);
	*e_r = e;
	*n_r = n;
	return 0;
}

static void
state_free(struct state_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(e[i].uid);
	free(e);
}

/* ---- the run ---- */

enum fate {
	F_TODO,    /* to download */
	F_PENDING, /* in the batch being committed */
	F_STORED,  /* durable and indexed */
	F_REFUSED, /* the server would not give it */
};

struct fmsg {
	unsigned long num;
	uint64_t size;
	const char *uid; /* in the fetch's arena; NULL: keyed by content */
	char key[BACKEND_POP3_KEY_LEN + 1];
	long long stored_at; /* when first stored; 0: not (known) */
	unsigned char fate;
	unsigned char marked; /* DELE answered +OK */
	unsigned char gone;   /* deleted by QUIT */
};

struct fetch {
	const struct core_fetch_params *p;
	struct core_job *job;
	struct core_fetch_result *res;
	struct backend_pop3_conn *conn;
	struct backend_pop3_store *store;
	char *mailbox; /* user@host: what keys are made of */
	char *state_path;
	int lock_fd;
	struct fmsg *m;
	size_t n;
	struct arena *arena; /* the unique-ids: they outlive the connection */
	long long now;
	size_t *batch; /* indices of F_PENDING messages being added */
	size_t nbatch;
	size_t *flight; /* indices of F_PENDING messages being committed */
	size_t nflight;
	/* Delete mode: stored messages whose DELE waits for the RETRs under
	   way (the connection takes one pipelined command list at a time). */
	size_t *deleq;
	size_t ndeleq;
	int retr_busy;
	size_t batch_bytes;
	long long batch_start_ms;
	int state_stale;          /* stored messages the state file lacks */
	long long state_write_ms; /* when it was last written */
	size_t todo, handled;     /* for progress */
	char label[160];
	struct err first_refusal;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Characters a state file name keeps as they are. */
static void
append_name_part(struct str *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+')
			str_append_char(out, (char)(c == '.' && out->len == 0 ? '_' : c));
		else
			str_appendf(out, "%%%02X", c);
	}
}

static int
state_write(struct fetch *f, struct err *err)
{
	struct str out = STR_INIT;
	long long when = 0;
	char head[32] = "";
	int rc;

	str_appendf(&out,
	            "# petrel POP3 state: the unique-ids of the messages of %s stored by "
	            "petrel --fetch, with the time each was stored.\n",
	            f->res->server);
	/* Written again after every batch: the lines are put together without
	   printf, the time formatted once for the run of messages sharing it. */
	for (size_t i = 0; i < f->n; i++) {
		const struct fmsg *m = &f->m[i];

		if (m->uid == NULL || m->stored_at <= 0 || m->gone)
			continue;
		if (m->stored_at != when) {
			when = m->stored_at;
			snprintf(head, sizeof(head), "F %lld ", when);
		}
		str_append(&out, head);
		str_append(&out, m->uid);
		str_append_char(&out, '\n');
	}
	rc = file_write_atomic(f->state_path, out.s, out.len, 0600, err);
	str_free(&out);
	if (rc < 0)
		err_prefix(err, "cannot record what was fetched");
	return rc;
}

static int
state_flush(struct fetch *f, struct err *err)
{
	if (!f->state_stale)
		return 0;
	if (state_write(f, err) < 0)
		return -1;
	f->state_stale = 0;
	f->state_write_ms = now_ms();
	return 0;
}

static void
progress(struct fetch *f)
{
	core_job_progress(f->job, f->handled, f->todo, f->label);
}

struct dele_ctx {
	struct fetch *f;
	const size_t *which;
};

static int
got_dele(void *ctx, const struct backend_pop3_answer *a, struct err *err)
{
	struct dele_ctx *d = ctx;
	struct fmsg *m = &d->f->m[d->which[a->index]];

	(void)err;
	if (a->ok)
		m->marked = 1;
	else
		log_warn("%s; it stays on the server", a->err->msg);
	return 0;
}

/* DELE for the messages which[0..n) (all stored). */
static int
dele(struct fetch *f, const size_t *which, size_t n, struct err *err)
{
	struct dele_ctx d = {f, which};
	unsigned long *nums;
	int rc;

	if (n == 0)
		return 0;
	nums = xcalloc(n, sizeof(*nums));
	for (size_t i = 0; i < n; i++)
		nums[i] = f->m[which[i]].num;
	rc = backend_pop3_conn_dele(f->conn, nums, n, got_dele, &d, err);
	free(nums);
	return rc;
}

/*
 * The batch in flight: once the store says it is durable (and indexed),
 * it is recorded in the state file and, in delete mode, marked for
 * deletion; never before.  block 0 only looks: 0 while it is not done.
 * 1 when nothing is left in flight.  On failure its messages go back in
 * front of the open batch, as the store put them back in its own.
 */
static int
land_flight(struct fetch *f, int block, int connected, struct err *err)
{
	size_t n = f->nflight;
	int rc;

	if (n == 0)
		return 1;
	if (backend_pop3_store_in_flight(f->store) > 0) {
		rc = backend_pop3_store_commit_wait(f->store, block, err);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			memmove(f->batch + n, f->batch, f->nbatch * sizeof(*f->batch));
			memcpy(f->batch, f->flight, n * sizeof(*f->batch));
			f->nbatch += n;
			f->nflight = 0;
			return -1;
		}
	}
	/* (Nothing in flight in the store: the batch held only messages
	   stored before, in new/ or cur/ already.) */
	for (size_t i = 0; i < n; i++) {
		struct fmsg *m = &f->m[f->flight[i]];

		m->fate = F_STORED;
		if (m->stored_at == 0)
			m->stored_at = f->now;
	}
	f->nflight = 0;
	/*
	 * Recorded in the state file, at most once a STATE_WRITE_MS rather
	 * than after every batch (each write is the whole file and two
	 * fsyncs on the download's thread); flush_batch() writes what is
	 * left.  Until then the files in new/ say what was stored: a crash
	 * in between costs the next run a lookup by key, not a duplicate.
	 */
	f->state_stale = 1;
	if (now_ms() - f->state_write_ms >= STATE_WRITE_MS && state_flush(f, err) < 0)
		return -1;
	if (connected && f->p->delete_mode) {
		if (f->retr_busy) {
			memcpy(f->deleq + f->ndeleq, f->flight, n * sizeof(*f->deleq));
			f->ndeleq += n;
		} else if (dele(f, f->flight, n, err) < 0) {
			return -1;
		}
	}
	return 1;
}

/* The open batch goes in flight: committed while the next downloads.
 * The previous flight must have landed. */
static int
launch_batch(struct fetch *f, struct err *err)
{
	size_t *swap = f->flight;

	if (f->nbatch == 0)
		return 0;
	if (backend_pop3_store_commit_start(f->store, err) < 0)
		return -1;
	f->flight = f->batch;
	f->nflight = f->nbatch;
	f->batch = swap;
	f->nbatch = 0;
	f->batch_bytes = 0;
	f->batch_start_ms = now_ms();
	return 0;
}

/* Everything added so far made durable, recorded and (delete mode) marked. */
static int
flush_batch(struct fetch *f, int connected, struct err *err)
{
	if (land_flight(f, 1, connected, err) < 0 || launch_batch(f, err) < 0 ||
	    land_flight(f, 1, connected, err) < 0 || state_flush(f, err) < 0)
		return -1;
	return 0;
}

static void
to_batch(struct fetch *f, size_t i)
{
	f->m[i].fate = F_PENDING;
	f->batch[f->nbatch++] = i;
}

struct retr_ctx {
	struct fetch *f;
	const size_t *which;
};

static int
got_message(void *ctx, const struct backend_pop3_answer *a, struct err *err)
{
	struct retr_ctx *r = ctx;
	struct fetch *f = r->f;
	size_t i = r->which[a->index];
	struct fmsg *m = &f->m[i];
	int have;

	f->handled++;
	if (!a->ok) {
		log_warn("%s; skipped, it stays on the server", a->err->msg);
		if (f->res->refused++ == 0)
			f->first_refusal = *a->err;
		m->fate = F_REFUSED;
		return 0;
	}
	if (a->size_mismatch) {
		log_warn("%s: message %lu came with %llu bytes where LIST said %llu; stored as it "
		         "came",
		         f->res->server, a->num, (unsigned long long)a->received,
		         (unsigned long long)a->expected);
		f->res->mismatched++;
	}
	if (m->uid == NULL) {
		backend_pop3_store_content_key_lf(a->data, a->len, m->key);
		have = backend_pop3_store_has(f->store, m->key, err);
		if (have < 0)
			return -1;
		if (have) {
			f->res->known++;
			to_batch(f, i);
			return 0;
		}
	}
	/* (LF line ends already: see open_conn().) */
	if (backend_pop3_store_add_lf(f->store, m->key, a->data, a->len, err) < 0)
		return -1;
	f->res->fetched++;
	f->batch_bytes += a->len;
	to_batch(f, i);
	return 0;
}

/* The open batch has reached scale times the batch limits. */
static int
batch_full(const struct fetch *f, unsigned scale)
{
	const struct core_fetch_params *p = f->p;
	size_t msgs = p->batch_messages ? p->batch_messages : BATCH_MESSAGES_DEFAULT;
	size_t bytes = p->batch_bytes ? p->batch_bytes : BATCH_BYTES_DEFAULT;
	long long ms = p->batch_ms ? p->batch_ms : BATCH_MS_DEFAULT;

	return f->nbatch >= scale * msgs || f->batch_bytes >= scale * bytes ||
	       now_ms() - f->batch_start_ms >= scale * ms;
}

/*
 * After each answer, while the next RETRs are on their way: a cancel
 * stops the download here (the answers taken so far are kept), progress
 * is reported (core_job_progress() limits how often), a batch that
 * became durable is recorded, and a full batch goes in flight, once the
 * one before it has landed (waited for only past BATCH_STRETCH).
 */
static int
got_retr(void *ctx, const struct backend_pop3_answer *a, struct err *err)
{
	struct retr_ctx *r = ctx;
	struct fetch *f = r->f;
	int landed;

	if (got_message(ctx, a, err) < 0 || core_job_check(f->job, err) < 0)
		return -1;
	progress(f);
	landed = land_flight(f, 0, 1, err);
	if (landed < 0)
		return -1;
	if (!batch_full(f, 1))
		return 0;
	if (landed == 0 && batch_full(f, BATCH_STRETCH))
		landed = land_flight(f, 1, 1, err);
	if (landed < 0 || (landed == 1 && launch_batch(f, err) < 0))
		return -1;
	return 0;
}

/*
 * Every message to fetch in one pipelined RETR list: the connection
 * keeps BACKEND_POP3_WINDOW of them asked for ahead of the answers all
 * the way, where lists of one window each let the server's pipeline run
 * dry between two of them.  Batches are committed from got_retr() as
 * they fill; delete mode's DELEs follow the list.
 */
static int
download(struct fetch *f, struct err *err)
{
	size_t *todo = xcalloc(f->n ? f->n : 1, sizeof(*todo));
	unsigned long *nums = xcalloc(f->n ? f->n : 1, sizeof(*nums));
	uint64_t *sizes = xcalloc(f->n ? f->n : 1, sizeof(*sizes));
	struct retr_ctx r = {f, todo};
	size_t nt = 0;
	int rc, ret = -1;

	for (size_t i = 0; i < f->n; i++)
		if (f->m[i].fate == F_TODO) {
			nums[nt] = f->m[i].num;
			sizes[nt] = f->m[i].size;
			todo[nt++] = i;
		}
	f->todo = nt;
	f->handled = 0;
	progress(f);
	if (core_job_check(f->job, err) < 0)
		goto out;
	if (nt > 0) {
		f->retr_busy = 1;
		rc = backend_pop3_conn_retr(f->conn, nums, sizes, nt, got_retr, &r, err);
		f->retr_busy = 0;
		if (rc < 0)
			goto out;
		progress(f);
		rc = dele(f, f->deleq, f->ndeleq, err);
		f->ndeleq = 0;
		if (rc < 0)
			goto out;
	}
	ret = flush_batch(f, 1, err);
out:
	f->retr_busy = 0;
	f->ndeleq = 0;
	free(todo);
	free(nums);
	free(sizes);
	return ret;
}

/* The state file's name: user@host:port.uidl, odd characters escaped. */
static char *
state_path(const struct core_fetch_params *p)
{
	struct str name = STR_INIT;
	char *path;

	append_name_part(&name, p->user);
	str_append_char(&name, '@');
	append_name_part(&name, p->host);
	str_append_char(&name, ':');
	append_name_part(&name, p->port != NULL ? p->port : (p->implicit_tls ? "995" : "110"));
	path = xasprintf("%s/%s.uidl", p->state_dir, str_cstr(&name));
	str_free(&name);
	return path;
}

static int
take_lock(struct fetch *f, struct err *err)
{
	char *lock = xasprintf("%s.lock", f->state_path);

	f->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f->lock_fd < 0) {
		err_sys(err, ERR_IO, errno, "cannot create %s", lock);
		free(lock);
		return -1;
	}
	free(lock);
	if (flock(f->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return err_set(err, ERR_IO, "another petrel is fetching from %s already",
			               f->res->server);
		return err_sys(err, ERR_IO, errno, "cannot lock the POP3 state of %s",
		               f->res->server);
	}
	return 0;
}

static int
open_conn(struct fetch *f, struct err *err)
{
	const struct core_fetch_params *p = f->p;
	struct backend_pop3_conn_params cp;

	memset(&cp, 0, sizeof(cp));
	cp.host = p->host;
	cp.port = p->port;
	cp.implicit_tls = p->implicit_tls;
	cp.stls = p->starttls;
	cp.allow_plaintext = p->allow_plaintext;
	cp.user = p->user;
	cp.password = p->password;
	cp.mechanisms = p->mechanisms;
	cp.tls_ca_file = p->tls_ca_file;
	cp.tls_no_verify = !p->tls_verify;
	cp.connect_timeout_ms = p->connect_timeout_ms;
	cp.io_timeout_ms = p->io_timeout_ms;
	cp.cancel_fd = core_job_cancel_fd(f->job);
	cp.msg_max = p->max_message;
	if (backend_pop3_conn_open(&cp, &f->conn, err) < 0)
		return -1;
	/* Messages come as the maildir keeps them, converted in the copy
	   the connection makes anyway. */
	backend_pop3_conn_set_lf(f->conn, 1);
	return 0;
}

/*
 * A message LIST says is larger than max_message is never downloaded (it
 * would be held in memory): skipped with a warning, left on the server.
 */
static int
too_large(struct fetch *f, struct fmsg *m)
{
	if (f->p->max_message == 0 || m->size <= f->p->max_message)
		return 0;
	m->fate = F_REFUSED;
	if (f->res->refused++ == 0)
		err_set(&f->first_refusal, ERR_USAGE,
		        "message %lu is %llu bytes, over the limit of %llu", m->num,
		        (unsigned long long)m->size, (unsigned long long)f->p->max_message);
	log_warn("%s: message %lu is %llu bytes, more than petrel fetches (%llu): it stays on "
	         "the server",
	         f->res->server, m->num, (unsigned long long)m->size,
	         (unsigned long long)f->p->max_message);
	return 1;
}

/* Step 3 of the header: what each message is. */
static int
classify(struct fetch *f, struct err *err)
{
	struct state_entry *st = NULL;
	size_t nst = 0, content = 0;
	int rc = -1;

	if (state_read(f->state_path, &st, &nst, err) < 0)
		return -1;
	for (size_t i = 0; i < f->n; i++) {
		struct fmsg *m = &f->m[i];
		struct state_entry key, *e;
		int have;

		if (m->uid == NULL) {
			if (!too_large(f, m))
				content++;
			continue;
		}
		backend_pop3_store_uid_key(f->mailbox, m->uid, m->key);
		key.uid = (char *)m->uid;
		e = nst > 0 ? bsearch(&key, st, nst, sizeof(*st), entry_cmp) : NULL;
		if (e == NULL && too_large(f, m))
			continue;
		if (e != NULL) {
			m->fate = F_STORED;
			m->stored_at = e->at;
			f->res->known++;
			continue;
		}
		have = backend_pop3_store_has(f->store, m->key, err);
		if (have < 0)
			goto out;
		if (have) {
			/* Stored by a run that stopped before recording it. */
			to_batch(f, i);
			f->res->known++;
		}
	}
	if (content > 0 && !f->p->delete_mode)
		log_warn("%s: %zu message%s without a usable unique-id %s downloaded on every run "
		         "to find what is new (pop3_delete=yes avoids it)",
		         f->res->server, content, content == 1 ? "" : "s",
		         content == 1 ? "is" : "are");
	rc = 0;
out:
	state_free(st, nst);
	return rc;
}

/* Messages stored earlier that are to go: delete mode, or keep_days passed. */
static int
dele_stored(struct fetch *f, struct err *err)
{
	size_t *which = xcalloc(f->n ? f->n : 1, sizeof(*which));
	long long limit = f->p->keep_days > 0 ? f->now - f->p->keep_days * 86400LL : 0;
	size_t k = 0;
	int rc;

	for (size_t i = 0; i < f->n; i++) {
		const struct fmsg *m = &f->m[i];

		if (m->fate != F_STORED)
			continue;
		if (f->p->delete_mode || (limit > 0 && m->stored_at > 0 && m->stored_at <= limit))
			which[k++] = i;
	}
	rc = dele(f, which, k, err);
	free(which);
	return rc;
}

static int
quit(struct fetch *f, struct err *err)
{
	enum pop3_update up;
	size_t marked = 0;
	int rc;

	for (size_t i = 0; i < f->n; i++)
		marked += f->m[i].marked;
	rc = backend_pop3_conn_quit(f->conn, &up, err);
	backend_pop3_conn_free(&f->conn);
	if (up == POP3_UPDATE_DONE) {
		for (size_t i = 0; i < f->n; i++)
			if (f->m[i].marked)
				f->m[i].gone = 1;
		f->res->deleted = marked;
		if (marked > 0 && state_write(f, err) < 0)
			return -1;
	}
	/* The error says whether the marked messages may still be there;
	   they are stored, and the next run deletes what is left. */
	return rc;
}

static int
run(struct fetch *f, struct err *err)
{
	const struct core_fetch_params *p = f->p;
	struct backend_params bp;
	struct backend_pop3_msg *msgs;
	int has_uidl, ret = -1;

	f->now = (long long)time(NULL);
	f->batch_start_ms = now_ms();
	snprintf(f->res->server, sizeof(f->res->server), "%s@%s:%s", p->user, p->host,
	         p->port != NULL ? p->port : (p->implicit_tls ? "995" : "110"));
	f->mailbox = xasprintf("%s@%s", p->user, p->host);
	for (char *c = strchr(f->mailbox, '@'); c != NULL && *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	f->state_path = state_path(p);
	if (file_mkdir_p(p->state_dir, 0700, err) < 0 || take_lock(f, err) < 0)
		goto out;
	snprintf(f->label, sizeof(f->label), "Logging in to %s", f->res->server);
	core_job_progress(f->job, 0, 0, f->label);
	if (open_conn(f, err) < 0)
		goto out;
	if (backend_pop3_conn_scan(f->conn, &msgs, &f->n, &has_uidl, err) < 0)
		goto out;
	f->res->listed = f->n;
	f->res->no_uidl = !has_uidl;
	f->m = xcalloc(f->n ? f->n : 1, sizeof(*f->m));
	f->arena = arena_new();
	f->batch = xcalloc(f->n ? f->n : 1, sizeof(*f->batch));
	f->flight = xcalloc(f->n ? f->n : 1, sizeof(*f->flight));
	f->deleq = xcalloc(f->n ? f->n : 1, sizeof(*f->deleq));
	for (size_t i = 0; i < f->n; i++) {
		f->m[i].num = msgs[i].num;
		f->m[i].size = msgs[i].size;
		f->m[i].uid = msgs[i].uid != NULL ? arena_strdup(f->arena, msgs[i].uid) : NULL;
	}
	if (!has_uidl && p->keep_days > 0 && !p->delete_mode)
		log_warn("%s has no UIDL: pop3_keep_days cannot apply, nothing is deleted",
		         f->res->server);
	backend_params_init(&bp);
	bp.cancel_fd = core_job_cancel_fd(f->job);
	if (p->lock_timeout_ms > 0)
		bp.lock_timeout_ms = p->lock_timeout_ms;
	else
		bp.lock_timeout_ms = 30 * 1000;
	if (p->to_maildir != NULL) {
		if (backend_pop3_store_open_maildir(p->to_maildir, &bp, &f->store, err) < 0)
			goto out;
	} else if (backend_pop3_store_open(p->db_path, &bp, &f->store, err) < 0) {
		goto out;
	}
	if (classify(f, err) < 0 || dele_stored(f, err) < 0)
		goto out;
	snprintf(f->label, sizeof(f->label), "Fetching from %s", f->res->server);
	if (download(f, err) < 0)
		goto out;
	ret = quit(f, err);
out:
	if (ret < 0 && f->store != NULL && (f->nbatch > 0 || f->nflight > 0 || f->state_stale)) {
		/* Whole messages already written are kept, recorded, not lost. */
		struct err ferr;

		if (flush_batch(f, 0, &ferr) < 0)
			log_warn("%s", ferr.msg);
	}
	if (ret == 0 && f->res->refused > 0) {
		err_set(err, ERR_REJECTED,
		        "%zu message%s could not be fetched and stay%s on the "
		        "server (%s)",
		        f->res->refused, f->res->refused == 1 ? "" : "s",
		        f->res->refused == 1 ? "s" : "", f->first_refusal.msg);
		ret = -1;
	}
	return ret;
}

static void
fetch_clear(struct fetch *f)
{
	backend_pop3_conn_free(&f->conn);
	backend_pop3_store_free(&f->store);
	if (f->lock_fd >= 0)
		close(f->lock_fd);
	free(f->m);
	arena_free(&f->arena);
	free(f->batch);
	free(f->flight);
	free(f->deleq);
	free(f->mailbox);
	free(f->state_path);
}

/* ---- the worker ---- */

struct fetch_worker {
	const struct core_fetch_params *p;
	struct core_fetch_result result;
	char *password; /* from pass_command or the prompt; wiped when freed */
};

static void
forget_password(struct fetch_worker *w)
{
	if (w->password != NULL) {
		explicit_bzero(w->password, strlen(w->password));
		xfree(&w->password);
	}
}

/* No password in the URL or pop3_pass: pop3_pass_command, else the
 * face's prompt; kept for the worker's next runs. */
static int
fetch_password(struct fetch_worker *w, struct core_job *job, struct err *err)
{
	const struct core_fetch_params *p = w->p;
	char *server = xasprintf("%s@%s", p->user, p->host);
	int rc = 0;

	if (p->pass_command != NULL)
		rc = core_fetch_pass_command(p->pass_command, server, core_job_cancel_fd(job),
		                             &w->password, err);
	else if (p->prompt != NULL)
		rc = p->prompt(p->prompt_ctx, server, core_job_cancel_fd(job), &w->password, err);
	free(server);
	return rc;
}

static int
handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct fetch_worker *w = ctx;
	struct core_fetch_params with_password;
	struct fetch f;
	int rc;

	if (req->type != CORE_REQ_CONNECT)
		return err_set(err, ERR_UNSUPPORTED, "a POP3 fetch cannot %s",
		               core_request_type_name(req->type));
	memset(&f, 0, sizeof(f));
	memset(&w->result, 0, sizeof(w->result));
	f.p = w->p;
	f.job = job;
	f.res = &w->result;
	f.lock_fd = -1;
	if (w->p->password == NULL && w->password == NULL &&
	    (w->p->pass_command != NULL || w->p->prompt != NULL)) {
		if (fetch_password(w, job, err) < 0)
			return -1;
	}
	if (w->p->password == NULL && w->password != NULL) {
		/* The strings stay the caller's: a shallow copy. */
		with_password = *w->p;
		with_password.password = w->password;
		f.p = &with_password;
	}
	rc = run(&f, err);
	fetch_clear(&f);
	if (rc < 0 && err->kind == ERR_AUTH)
		forget_password(w); /* asked again next time */
	return rc;
}

static const struct core_worker_ops fetch_ops = {
    .handle = handle,
};

struct sync_ctx {
	core_fetch_progress_fn *fn;
	void *ctx;
};

static void
on_event(const struct core_event *ev, void *ctx)
{
	struct sync_ctx *s = ctx;

	if (ev->type == CORE_EV_PROGRESS && s->fn != NULL)
		s->fn(s->ctx, ev->u.progress.done, ev->u.progress.total,
		      ev->u.progress.label != NULL ? ev->u.progress.label : "");
}

int
core_fetch_sync(const struct core_fetch_params *p, core_fetch_progress_fn *fn, void *ctx,
                int interrupt_fd, struct core_fetch_result *result_r, struct err *err)
{
	struct fetch_worker w;
	struct core_worker_params wp;
	struct core_worker *worker = NULL;
	struct core_queue *events;
	struct sync_ctx sc = {fn, ctx};
	int rc;

	memset(result_r, 0, sizeof(*result_r));
	memset(&w, 0, sizeof(w));
	w.p = p;
	events = core_event_queue_new(err);
	if (events == NULL)
		return -1;
	memset(&wp, 0, sizeof(wp));
	wp.name = "pop3 fetch";
	wp.ops = &fetch_ops;
	wp.ctx = &w;
	wp.events = events;
	if (core_worker_new(&wp, &worker, err) < 0) {
		core_event_queue_free(&events);
		return -1;
	}
	rc = core_call_sync(worker, core_request_new(CORE_REQ_CONNECT), on_event, &sc, interrupt_fd,
	                    err);
	core_worker_free(&worker);
	core_event_queue_free(&events);
	forget_password(&w);
	*result_r = w.result;
	return rc;
}

/* ---- the same run, for a face that does not wait ---- */

struct core_fetch {
	struct core_fetch_params params; /* taken over from the face */
	struct fetch_worker w;           /* the worker's ctx: freed here, after it */
	struct core_worker *worker;
};

int
core_fetch_new(struct core_fetch_params *p, struct core_queue *events, struct core_fetch **fetch_r,
               struct err *err)
{
	struct core_fetch *cf = xcalloc(1, sizeof(*cf));
	struct core_worker_params wp;

	*fetch_r = NULL;
	cf->params = *p;
	memset(p, 0, sizeof(*p));
	cf->w.p = &cf->params;
	memset(&wp, 0, sizeof(wp));
	wp.name = "pop3 fetch";
	wp.ops = &fetch_ops;
	wp.ctx = &cf->w;
	wp.events = events;
	if (core_worker_new(&wp, &cf->worker, err) < 0) {
		core_fetch_params_clear(&cf->params);
		free(cf);
		return -1;
	}
	*fetch_r = cf;
	return 0;
}

struct core_worker *
core_fetch_worker(struct core_fetch *fetch)
{
	return fetch->worker;
}

const char *
core_fetch_name(const struct core_fetch *fetch)
{
	return fetch->params.name != NULL ? fetch->params.name : "";
}

void
core_fetch_last_result(const struct core_fetch *fetch, struct core_fetch_result *result_r)
{
	/* The worker wrote it before it sent the run's final event, which
	   the face has read since: no run is writing it now. */
	*result_r = fetch->w.result;
}

void
core_fetch_free(struct core_fetch **fetch)
{
	struct core_fetch *cf = *fetch;

	if (cf == NULL)
		return;
	core_worker_free(&cf->worker);
	forget_password(&cf->w);
	core_fetch_params_clear(&cf->params);
	free(cf);
	*fetch = NULL;
}
