#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "core/core-account.h"
#include "core/core-config.h"
#include "core/core-event.h"
#include "core/core-fetch.h"
#include "core/core-job.h"
#include "core/core-store.h"

/* Summaries per HEADERS event, and bytes per PART_DATA event: small enough
 * that a face shows the first ones early, large enough to be cheap. */
#define HEADER_BATCH 256
#define DATA_CHUNK (1024 * 1024)

struct account {
	char *root;
	int lock_timeout_ms;
	const struct backend_ops *ops; /* of the open folder */
	struct backend_folder *folder;
	char *folder_url;
	struct core_worker *worker; /* imap: for events no request asked for */
};

static void
progress_report(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	core_job_progress(ctx, done, total, label);
}

static int
progress_cancelled(void *ctx)
{
	return core_job_cancelled(ctx);
}

/* imap's settings, below pop3's (core_account_setup calls both). */
static void imap_reset(void);
static void imap_setup(const struct config *cfg);

/* ---- pop3: settings of pop3:// and pop3s:// folders (core_account_setup) ---- */

static struct {
	char *user, *pass, *pass_command, *mechanisms, *ca_file;
	int starttls, allow_plaintext, verify;
	int connect_timeout_ms, io_timeout_ms;
} pop3_settings = {NULL, NULL, NULL, NULL, NULL, 1, 0, 1, 0, 0};

static char *
setting_dup(const char *v)
{
	return v != NULL && *v != '\0' ? xstrdup(v) : NULL;
}

/* A *_starttls variable (required, optional, no) as the backends take it:
 * 1 required, 0 when offered, -1 never. */
static int
starttls_setting(const struct config *cfg, enum var_id var)
{
	switch (config_enum(cfg, NULL, var)) {
	case 1:
		return 0;
	case 2:
		return -1;
	default:
		return 1;
	}
}

void
core_account_reset(void)
{
	imap_reset();
	if (pop3_settings.pass != NULL)
		explicit_bzero(pop3_settings.pass, strlen(pop3_settings.pass));
	free(pop3_settings.user);
	free(pop3_settings.pass);
	free(pop3_settings.pass_command);
	free(pop3_settings.mechanisms);
	free(pop3_settings.ca_file);
	memset(&pop3_settings, 0, sizeof(pop3_settings));
	pop3_settings.starttls = 1;
	pop3_settings.verify = 1;
}

void
core_account_setup(const struct config *cfg)
{
	core_account_reset();
	imap_setup(cfg);
	pop3_settings.user = setting_dup(config_string(cfg, NULL, VAR_POP3_USER));
	pop3_settings.pass = config_string(cfg, NULL, VAR_POP3_PASS) != NULL
	                         ? xstrdup(config_string(cfg, NULL, VAR_POP3_PASS))
	                         : NULL;
	pop3_settings.pass_command = setting_dup(config_string(cfg, NULL, VAR_POP3_PASS_COMMAND));
	pop3_settings.mechanisms = setting_dup(config_string(cfg, NULL, VAR_POP3_AUTH_MECHANISMS));
	pop3_settings.ca_file = setting_dup(config_string(cfg, NULL, VAR_TLS_CA_FILE));
	pop3_settings.starttls = starttls_setting(cfg, VAR_POP3_STARTTLS);
	pop3_settings.allow_plaintext = config_bool(cfg, NULL, VAR_POP3_ALLOW_PLAINTEXT);
	pop3_settings.verify = config_bool(cfg, NULL, VAR_TLS_VERIFY);
	pop3_settings.connect_timeout_ms = (int)config_number(cfg, NULL, VAR_CONNECT_TIMEOUT) * 1000;
	pop3_settings.io_timeout_ms = (int)config_number(cfg, NULL, VAR_TIMEOUT) * 1000;
}

/* The face's prompt (core_account_set_prompt), kept in the imap part below. */
static core_account_prompt_fn *imap_prompt;
static void *imap_prompt_ctx;

static int
pop3_password(void *ctx, const struct url *url, char **password_r, struct err *err)
{
	struct core_job *job = ctx;
	char *server;
	int rc;

	*password_r = NULL;
	if (pop3_settings.pass != NULL) {
		*password_r = xstrdup(pop3_settings.pass);
		return 0;
	}
	if (pop3_settings.pass_command == NULL && imap_prompt == NULL)
		return 0; /* the backend says what to set */
	server = xasprintf("%s@%s", url->user != NULL ? url->user : "", url->host);
	if (pop3_settings.pass_command != NULL)
		rc = core_fetch_pass_command(pop3_settings.pass_command, server,
		                             core_job_cancel_fd(job), password_r, err);
	else
		rc = imap_prompt(imap_prompt_ctx, server, core_job_cancel_fd(job), password_r, err);
	free(server);
	return rc;
}

/* A pop3:// folder's URL and params get the settings above. */
static void
pop3_params(struct core_job *job, struct url *url, struct backend_params *p)
{
	if (url->scheme == NULL ||
	    (strcmp(url->scheme, "pop3") != 0 && strcmp(url->scheme, "pop3s") != 0))
		return;
	if ((url->user == NULL || *url->user == '\0') && pop3_settings.user != NULL) {
		free(url->user);
		url->user = xstrdup(pop3_settings.user);
	}
	p->tls.starttls = pop3_settings.starttls;
	p->tls.verify = pop3_settings.verify;
	p->tls.ca_file = pop3_settings.ca_file;
	p->auth.mechanisms = pop3_settings.mechanisms;
	p->auth.allow_plaintext = pop3_settings.allow_plaintext;
	p->auth.get_password = pop3_password;
	p->auth.ctx = job;
	if (pop3_settings.connect_timeout_ms > 0)
		p->connect_timeout_ms = pop3_settings.connect_timeout_ms;
	if (pop3_settings.io_timeout_ms > 0)
		p->io_timeout_ms = pop3_settings.io_timeout_ms;
}

/* ---- end of pop3 ---- */

/* ---- imap: settings of imap:// and imaps:// folders (core_account_setup) ---- */

static struct {
	char *user, *pass, *pass_command, *ca_file, *header_cache, *message_cache;
	int starttls; /* 1 required, 0 optional, -1 no */
	int allow_plaintext, verify, idle;
	int keepalive_ms, connect_timeout_ms, io_timeout_ms;
} imap_settings = {NULL, NULL, NULL, NULL, NULL, NULL, 1, 0, 1, 1, 300000, 0, 0};

static core_account_prompt_fn *imap_prompt;
static void *imap_prompt_ctx;

/* Passwords asked for (prompt, imap_pass_command) by "user@host", so
 * opening another folder of the account does not ask again.  Workers may
 * ask at once: a lock. */
struct known_pass {
	struct known_pass *next;
	char *server, *password;
};
static pthread_mutex_t known_lock = PTHREAD_MUTEX_INITIALIZER;
static struct known_pass *known;

static char *
known_get(const char *server)
{
	char *pw = NULL;

	pthread_mutex_lock(&known_lock);
	for (struct known_pass *k = known; k != NULL; k = k->next)
		if (strcmp(k->server, server) == 0)
			pw = xstrdup(k->password);
	pthread_mutex_unlock(&known_lock);
	return pw;
}

static void
known_put(const char *server, const char *password)
{
	struct known_pass *k = xcalloc(1, sizeof(*k));

	k->server = xstrdup(server);
	k->password = xstrdup(password);
	pthread_mutex_lock(&known_lock);
	k->next = known;
	known = k;
	pthread_mutex_unlock(&known_lock);
}

static void
known_clear(void)
{
	pthread_mutex_lock(&known_lock);
	while (known != NULL) {
		struct known_pass *k = known;

		known = k->next;
		explicit_bzero(k->password, strlen(k->password));
		free(k->password);
		free(k->server);
		free(k);
	}
	pthread_mutex_unlock(&known_lock);
}

void
core_account_set_prompt(core_account_prompt_fn *fn, void *ctx)
{
	imap_prompt = fn;
	imap_prompt_ctx = ctx;
}

static void
imap_reset(void)
{
	known_clear();
	if (imap_settings.pass != NULL)
		explicit_bzero(imap_settings.pass, strlen(imap_settings.pass));
	free(imap_settings.user);
	free(imap_settings.pass);
	free(imap_settings.pass_command);
	free(imap_settings.ca_file);
	free(imap_settings.header_cache);
	free(imap_settings.message_cache);
	memset(&imap_settings, 0, sizeof(imap_settings));
	imap_settings.starttls = 1;
	imap_settings.verify = 1;
	imap_settings.idle = 1;
	imap_settings.keepalive_ms = 300000;
}

static void
imap_setup(const struct config *cfg)
{
	imap_reset();
	imap_settings.user = setting_dup(config_string(cfg, NULL, VAR_IMAP_USER));
	imap_settings.pass = config_string(cfg, NULL, VAR_IMAP_PASS) != NULL
				     ? xstrdup(config_string(cfg, NULL, VAR_IMAP_PASS))
				     : NULL;
	imap_settings.pass_command = setting_dup(config_string(cfg, NULL, VAR_IMAP_PASS_COMMAND));
	imap_settings.ca_file = setting_dup(config_string(cfg, NULL, VAR_TLS_CA_FILE));
	imap_settings.header_cache = setting_dup(config_string(cfg, NULL, VAR_HEADER_CACHE));
	imap_settings.message_cache = setting_dup(config_string(cfg, NULL, VAR_MESSAGE_CACHE));
	imap_settings.starttls = starttls_setting(cfg, VAR_IMAP_STARTTLS);
	imap_settings.allow_plaintext = config_bool(cfg, NULL, VAR_IMAP_ALLOW_PLAINTEXT);
	imap_settings.verify = config_bool(cfg, NULL, VAR_TLS_VERIFY);
	imap_settings.idle = config_bool(cfg, NULL, VAR_IMAP_IDLE);
	imap_settings.keepalive_ms = (int)config_number(cfg, NULL, VAR_IMAP_KEEPALIVE) * 1000;
	imap_settings.connect_timeout_ms = (int)config_number(cfg, NULL, VAR_CONNECT_TIMEOUT) * 1000;
	imap_settings.io_timeout_ms = (int)config_number(cfg, NULL, VAR_TIMEOUT) * 1000;
}

/* The password of an imap:// URL without one: imap_pass, imap_pass_command,
 * else the face's prompt; else the user learns what to set. */
static int
imap_password(void *ctx, const struct url *url, char **password_r, struct err *err)
{
	struct core_job *job = ctx;
	const char *user = url->user != NULL ? url->user
			   : imap_settings.user != NULL ? imap_settings.user
							: getenv("USER");
	char *server;
	int rc;

	*password_r = NULL;
	if (imap_settings.pass != NULL) {
		*password_r = xstrdup(imap_settings.pass);
		return 0;
	}
	server = xasprintf("%s@%s", user != NULL ? user : "", url->host);
	if ((*password_r = known_get(server)) != NULL) {
		free(server);
		return 0;
	}
	if (imap_settings.pass_command != NULL) {
		rc = core_fetch_pass_command(imap_settings.pass_command, server,
					     core_job_cancel_fd(job), password_r, err);
	} else if (imap_prompt != NULL) {
		rc = imap_prompt(imap_prompt_ctx, server, core_job_cancel_fd(job), password_r, err);
	} else {
		rc = err_set(err, ERR_AUTH,
			     "%s: no password (put it in the URL, or set imap_pass or "
			     "imap_pass_command)",
			     server);
	}
	if (rc == 0 && *password_r != NULL)
		known_put(server, *password_r);
	free(server);
	return rc;
}

static void
imap_conn_state(void *ctx, enum backend_conn_state state, unsigned attempt,
		const struct err *cause)
{
	struct account *a = ctx;
	struct core_event *ev;

	if (a->worker == NULL)
		return;
	ev = core_event_new(CORE_EV_CONN_STATE, 0);
	switch (state) {
	case BE_CONN_CONNECTING:
		ev->u.conn_state.state = CORE_CONN_CONNECTING;
		break;
	case BE_CONN_CONNECTED:
		ev->u.conn_state.state = CORE_CONN_CONNECTED;
		break;
	case BE_CONN_RECONNECTING:
		ev->u.conn_state.state = CORE_CONN_RECONNECTING;
		break;
	default:
		ev->u.conn_state.state = CORE_CONN_OFFLINE;
		break;
	}
	ev->u.conn_state.attempt = attempt;
	if (cause != NULL)
		ev->u.conn_state.cause = *cause;
	core_worker_post_event(a->worker, ev);
}

/* An imap:// or imaps:// URL's params get the settings above. */
static void
imap_params(struct account *a, struct core_job *job, const struct url *url,
	    struct backend_params *p)
{
	if (url->scheme == NULL ||
	    (strcmp(url->scheme, "imap") != 0 && strcmp(url->scheme, "imaps") != 0))
		return;
	p->user = imap_settings.user;
	p->tls.starttls = imap_settings.starttls == 1;
	p->tls.plain = imap_settings.starttls == -1;
	p->tls.verify = imap_settings.verify;
	p->tls.ca_file = imap_settings.ca_file;
	p->auth.allow_plaintext = imap_settings.allow_plaintext;
	p->auth.get_password = imap_password;
	p->auth.ctx = job;
	p->cache_dir = imap_settings.header_cache;
	p->body_cache_dir = imap_settings.message_cache;
	p->keepalive_ms = imap_settings.keepalive_ms;
	p->no_push = !imap_settings.idle;
	p->notify.conn_state = imap_conn_state;
	p->notify.ctx = a;
	if (imap_settings.connect_timeout_ms > 0)
		p->connect_timeout_ms = imap_settings.connect_timeout_ms;
	if (imap_settings.io_timeout_ms > 0)
		p->io_timeout_ms = imap_settings.io_timeout_ms;
}

/* ---- end of imap ---- */

static void
job_params(const struct account *a, struct core_job *job, struct backend_params *p)
{
	backend_params_init(p);
	if (a->lock_timeout_ms > 0)
		p->lock_timeout_ms = a->lock_timeout_ms;
	p->cancel_fd = core_job_cancel_fd(job);
	p->progress.report = progress_report;
	p->progress.cancelled = progress_cancelled;
	p->progress.ctx = job;
}

/* The backend serving text (a URL or a path); url is the caller's to clear.
 * Named notmuch queries and notmuch_db are applied here (core-store.h). */
static const struct backend_ops *
backend_of(const char *text, struct url *url, struct err *err)
{
	const struct backend_ops *ops;
	char *resolved;
	int rc;

	if (text == NULL || *text == '\0') {
		err_set(err, ERR_USAGE, "no folder named");
		return NULL;
	}
	if (core_store_resolve(text, &resolved, err) < 0)
		return NULL;
	rc = url_parse(resolved, url, err);
	free(resolved);
	if (rc < 0)
		return NULL;
	ops = backend_for_url(url, err);
	if (ops == NULL)
		url_clear(url);
	return ops;
}

static void
close_folder(struct account *a)
{
	if (a->folder != NULL)
		a->ops->close(&a->folder);
	a->folder = NULL;
	a->ops = NULL;
	xfree(&a->folder_url);
}

static int
need_folder(const struct account *a, struct err *err)
{
	if (a->folder == NULL)
		return err_set(err, ERR_USAGE, "no folder is open");
	return 0;
}

static int
index_of(const struct account *a, uint64_t id, size_t *index_r, struct err *err)
{
	if (!a->ops->find(a->folder, id, index_r))
		return err_set(err, ERR_USAGE, "message %llu is no longer in the folder",
			       (unsigned long long)id);
	return 0;
}

static int
do_open(struct account *a, struct core_job *job, const struct core_req_open_folder *r,
	struct err *err)
{
	struct backend_params p;
	struct url url;
	const struct backend_ops *ops;
	struct core_event *ev;
	int rc;

	close_folder(a);
	ops = backend_of(r->folder, &url, err);
	if (ops == NULL)
		return -1;
	job_params(a, job, &p);
	p.read_only = r->read_only;
	p.listing_only = r->listing_only;
	pop3_params(job, &url, &p);
	imap_params(a, job, &url, &p);
	rc = ops->open(&url, &p, &a->folder, err);
	url_clear(&url);
	if (rc < 0) {
		/* A password typed wrong is asked again next time. */
		if (err != NULL && err->kind == ERR_AUTH)
			known_clear();
		return -1;
	}
	a->ops = ops;
	a->folder_url = xstrdup(r->folder);
	ev = core_event_new(CORE_EV_FOLDER_OPENED, 0);
	ev->u.folder_opened.folder = arena_strdup(ev->arena, r->folder);
	ev->u.folder_opened.exists = (uint32_t)ops->count(a->folder);
	ev->u.folder_opened.read_only = ops->read_only(a->folder);
	core_job_post(job, ev);
	return 0;
}

static int
do_headers(struct account *a, struct core_job *job, const struct core_req_fetch_headers *r,
	   struct err *err)
{
	struct backend_params p;
	size_t count, first = r->first, end, total;

	if (need_folder(a, err) < 0)
		return -1;
	job_params(a, job, &p);
	count = a->ops->count(a->folder);
	end = first + r->count;
	if (end > count || end < first)
		end = count;
	total = end > first ? end - first : 0;
	if (first < end && a->ops->prefetch != NULL)
		a->ops->prefetch(a->folder, first, end - first);
	/* The newest messages (the end of the window) come first, so a face
	 * shows the top of a large folder before the rest has arrived;
	 * unless asked for the oldest first. */
	while (first < end) {
		size_t n = end - first > HEADER_BATCH ? HEADER_BATCH : end - first;
		size_t at = r->oldest_first ? first : end - n;
		struct core_event *ev;

		if (core_job_check(job, err) < 0)
			return -1;
		ev = core_event_new(CORE_EV_HEADERS, 0);
		ev->u.headers.folder = arena_strdup(ev->arena, a->folder_url);
		ev->u.headers.first = (uint32_t)at;
		ev->u.headers.count = n;
		ev->u.headers.items = arena_alloc(ev->arena, n * sizeof(struct mime_summary));
		if (a->ops->load_summaries(a->folder, at, n, ev->arena, ev->u.headers.items,
					   &p.progress, err) < 0) {
			core_event_free(&ev);
			return -1;
		}
		core_job_post(job, ev);
		if (r->oldest_first)
			first += n;
		else
			end = at;
		core_job_progress(job, total - (end - first), total, "reading headers");
	}
	return 0;
}

static void
post_data(struct core_job *job, uint64_t id, const char *part, uint64_t base, const char *data,
	  size_t len)
{
	size_t off = 0;

	do {
		size_t n = len - off > DATA_CHUNK ? DATA_CHUNK : len - off;
		struct core_event *ev = core_event_new(CORE_EV_PART_DATA, 0);

		ev->u.part_data.id = id;
		ev->u.part_data.part = arena_strdup(ev->arena, part);
		ev->u.part_data.offset = base + off;
		ev->u.part_data.data = arena_memdup(ev->arena, data + off, n);
		ev->u.part_data.len = n;
		ev->u.part_data.last = off + n == len;
		core_job_post(job, ev);
		off += n;
	} while (off < len);
}

static int
do_fetch(struct account *a, struct core_job *job, uint64_t id, const char *part,
	 uint64_t offset, uint64_t length, struct err *err)
{
	struct str data = STR_INIT;
	size_t index, start, len;
	int rc = -1;

	if (need_folder(a, err) < 0 || index_of(a, id, &index, err) < 0)
		goto out;
	if (part[0] == '\0' && (offset != 0 || length != 0) && a->ops->fetch_partial != NULL) {
		/* A byte range of the raw message, without fetching the rest. */
		rc = a->ops->fetch_partial(a->folder, index, "", offset, length, &data, err);
		if (rc == 0)
			post_data(job, id, part, offset, data.s != NULL ? data.s : "", data.len);
		goto out;
	} else if (part[0] == '\0') {
		if (a->ops->fetch(a->folder, index, &data, err) < 0)
			goto out;
	} else if (strcmp(part, "HEADER") == 0) {
		if (a->ops->fetch_header(a->folder, index, &data, err) < 0)
			goto out;
	} else if (a->ops->fetch_partial != NULL) {
		rc = a->ops->fetch_partial(a->folder, index, part, offset, length, &data, err);
		if (rc == 0)
			post_data(job, id, part, offset, data.s != NULL ? data.s : "", data.len);
		goto out;
	} else {
		err_set(err, ERR_UNSUPPORTED, "this folder cannot fetch part %s on its own", part);
		goto out;
	}
	start = offset < data.len ? (size_t)offset : data.len;
	len = data.len - start;
	if (length > 0 && length < len)
		len = (size_t)length;
	post_data(job, id, part, start, data.s != NULL ? data.s + start : "", len);
	rc = 0;
out:
	str_free(&data);
	return rc;
}

/* The part list as the store describes it, in one event. */
static int
do_structure(struct account *a, struct core_job *job, uint64_t id, struct err *err)
{
	struct core_event *ev;
	struct backend_part *bp = NULL;
	size_t index, n = 0;

	if (need_folder(a, err) < 0 || index_of(a, id, &index, err) < 0)
		return -1;
	if (a->ops->fetch_structure == NULL)
		return err_set(err, ERR_UNSUPPORTED,
			       "%s folders cannot list a message's parts without reading it",
			       a->ops->name);
	ev = core_event_new(CORE_EV_PART_LIST, 0);
	if (a->ops->fetch_structure(a->folder, index, ev->arena, &bp, &n, err) < 0) {
		core_event_free(&ev);
		return -1;
	}
	ev->u.part_list.id = id;
	ev->u.part_list.count = n;
	ev->u.part_list.items = arena_alloc(ev->arena, (n > 0 ? n : 1) * sizeof(struct core_part));
	for (size_t i = 0; i < n; i++) {
		struct core_part *p = &ev->u.part_list.items[i];

		/* The strings are in the event's arena already. */
		p->path = bp[i].path;
		p->type = bp[i].type;
		p->disposition = bp[i].disposition;
		p->filename = bp[i].filename;
		p->charset = bp[i].charset;
		p->encoding = bp[i].encoding;
		p->boundary = bp[i].boundary;
		p->size = bp[i].size;
		p->depth = bp[i].depth;
		p->container = bp[i].container;
	}
	core_job_post(job, ev);
	return 0;
}

static int
do_set_flags(struct account *a, const struct core_req_set_flags *r, struct err *err)
{
	size_t i, index;
	int tags = r->add_tag_count > 0 || r->remove_tag_count > 0;

	if (need_folder(a, err) < 0)
		return -1;
	if (tags && a->ops->set_tags == NULL)
		return err_set(err, ERR_UNSUPPORTED, "%s folders have no tags", a->ops->name);
	for (i = 0; i < r->msgs.count; i++) {
		if (index_of(a, r->msgs.ids[i], &index, err) < 0)
			return -1;
		if ((r->add != 0 || r->remove != 0) &&
		    a->ops->set_flags(a->folder, index, r->add, r->remove, err) < 0)
			return -1;
		/* Tags are written at once, flags at EXPUNGE or CLOSE_FOLDER. */
		if (tags && a->ops->set_tags(a->folder, index, r->add_tags, r->add_tag_count,
					     r->remove_tags, r->remove_tag_count, err) < 0)
			return -1;
	}
	return 0;
}

static int
do_copy(struct account *a, struct core_job *job, const struct core_req_copy *r, int move,
	struct err *err)
{
	struct backend_params p;
	struct url url;
	const struct backend_ops *dest;
	struct str data = STR_INIT;
	struct arena *arena = arena_new();
	size_t i, index;
	int rc = -1;

	memset(&url, 0, sizeof(url));
	if (need_folder(a, err) < 0)
		goto out;
	dest = backend_of(r->dest_folder, &url, err);
	if (dest == NULL)
		goto out;
	if (dest->append == NULL) {
		err_set(err, ERR_UNSUPPORTED, "%s folders cannot take messages", dest->name);
		goto out;
	}
	job_params(a, job, &p);
	p.create = 1;
	imap_params(a, job, &url, &p);
	if (a->ops->copy_to != NULL && r->msgs.count > 0) {
		/* The server copies within one account (IMAP COPY, MOVE). */
		size_t *idx = xcalloc(r->msgs.count, sizeof(*idx));
		int done = 0;

		for (i = 0; i < r->msgs.count; i++)
			if (index_of(a, r->msgs.ids[i], &idx[i], err) < 0) {
				free(idx);
				goto out;
			}
		rc = a->ops->copy_to(a->folder, idx, r->msgs.count, &url, move, &p, &done, err);
		free(idx);
		if (rc < 0 || done)
			goto out;
		rc = -1;
	}
	for (i = 0; i < r->msgs.count; i++) {
		struct mime_summary sum;

		if (core_job_check(job, err) < 0)
			goto out;
		if (index_of(a, r->msgs.ids[i], &index, err) < 0)
			goto out;
		str_reset(&data);
		arena_reset(arena);
		if (a->ops->fetch(a->folder, index, &data, err) < 0 ||
		    a->ops->load_summaries(a->folder, index, 1, arena, &sum, NULL, err) < 0)
			goto out;
		if (dest->append(&url, &p, data.s != NULL ? data.s : "", data.len,
				 sum.flags & ~(unsigned)(MIME_FLAG_DELETED | MIME_FLAG_RECENT),
				 sum.received, err) < 0) {
			if (strstr(err->msg, r->dest_folder) == NULL)
				err_prefix(err, "%s", r->dest_folder);
			goto out;
		}
		if (move && a->ops->set_flags(a->folder, index, MIME_FLAG_DELETED, 0, err) < 0)
			goto out;
		core_job_progress(job, i + 1, r->msgs.count, "copying");
	}
	rc = 0;
out:
	url_clear(&url);
	str_free(&data);
	arena_free(&arena);
	return rc;
}

static int
do_append(struct account *a, struct core_job *job, const struct core_req_append *r,
	  struct err *err)
{
	struct backend_params p;
	struct url url;
	const struct backend_ops *ops;
	int rc;

	ops = backend_of(r->folder, &url, err);
	if (ops == NULL)
		return -1;
	if (ops->append == NULL) {
		url_clear(&url);
		return err_set(err, ERR_UNSUPPORTED, "%s folders cannot take messages", ops->name);
	}
	job_params(a, job, &p);
	p.create = 1;
	imap_params(a, job, &url, &p);
	rc = ops->append(&url, &p, r->data, r->len, r->flags, r->date, err);
	url_clear(&url);
	if (rc < 0 && strstr(err->msg, r->folder) == NULL)
		err_prefix(err, "%s", r->folder);
	return rc;
}

/* The folders of the notmuch store: its named queries. */
static int
list_queries(struct core_job *job)
{
	size_t n = core_store_query_count();
	struct core_event *ev = core_event_new(CORE_EV_FOLDERS, 0);

	ev->u.folders.items = arena_alloc(ev->arena, (n ? n : 1) * sizeof(struct core_folder));
	ev->u.folders.count = n;
	for (size_t i = 0; i < n; i++) {
		ev->u.folders.items[i].name = arena_strdup(ev->arena, core_store_query_name(i));
		ev->u.folders.items[i].delim = '\0';
	}
	core_job_post(job, ev);
	return 0;
}

static int
do_list(struct account *a, struct core_job *job, const struct core_req_list_folders *r,
	struct err *err)
{
	struct backend_params p;
	struct backend_folder_info *infos = NULL;
	struct url url;
	const struct backend_ops *ops;
	struct core_event *ev;
	size_t n = 0, i;
	int rc;

	if (core_store_is_store(r->pattern != NULL ? r->pattern : a->root))
		return list_queries(job);
	ops = backend_of(r->pattern != NULL ? r->pattern : a->root, &url, err);
	if (ops == NULL)
		return -1;
	if (ops->list == NULL) {
		url_clear(&url);
		return err_set(err, ERR_UNSUPPORTED, "%s stores have no folder list", ops->name);
	}
	job_params(a, job, &p);
	imap_params(a, job, &url, &p);
	ev = core_event_new(CORE_EV_FOLDERS, 0);
	rc = ops->list(&url, &p, ev->arena, &infos, &n, err);
	url_clear(&url);
	if (rc < 0) {
		core_event_free(&ev);
		return -1;
	}
	ev->u.folders.items = arena_alloc(ev->arena, (n ? n : 1) * sizeof(struct core_folder));
	ev->u.folders.count = n;
	for (i = 0; i < n; i++) {
		struct core_folder *f = &ev->u.folders.items[i];

		f->name = infos[i].name;
		f->delim = '/';
		f->flags = (infos[i].flags & BE_FOLDER_NOSELECT) ? CORE_FOLDER_NOSELECT : 0;
		/* What network stores tell besides (IMAP LIST-STATUS, SPECIAL-USE). */
		if (infos[i].flags & BE_FOLDER_CHILDREN)
			f->flags |= CORE_FOLDER_CHILDREN;
		if (infos[i].flags & BE_FOLDER_SENT)
			f->flags |= CORE_FOLDER_SENT;
		if (infos[i].flags & BE_FOLDER_DRAFTS)
			f->flags |= CORE_FOLDER_DRAFTS;
		if (infos[i].flags & BE_FOLDER_TRASH)
			f->flags |= CORE_FOLDER_TRASH;
		if (infos[i].flags & BE_FOLDER_JUNK)
			f->flags |= CORE_FOLDER_JUNK;
		if (infos[i].flags & BE_FOLDER_ARCHIVE)
			f->flags |= CORE_FOLDER_ARCHIVE;
		f->counted = infos[i].counted;
		f->messages = infos[i].messages;
		f->unseen = infos[i].unseen;
	}
	core_job_post(job, ev);
	return 0;
}

/* ---- imap: requests only network stores answer, and idling ---- */

static int
do_search(struct account *a, struct core_job *job, const struct core_req_search *r,
	  struct err *err)
{
	struct core_event *ev;
	uint64_t *ids = NULL;
	size_t n = 0;

	(void)job;
	if (need_folder(a, err) < 0)
		return -1;
	if (a->ops->search == NULL)
		return err_set(err, ERR_UNSUPPORTED, "%s folders have no server-side search",
			       a->ops->name);
	ev = core_event_new(CORE_EV_SEARCH_RESULT, 0);
	if (a->ops->search(a->folder, r->query != NULL ? r->query : "", ev->arena, &ids, &n,
			   err) < 0) {
		core_event_free(&ev);
		return -1;
	}
	ev->u.search_result.ids = ids;
	ev->u.search_result.count = n;
	core_job_post(job, ev);
	return 0;
}

static int
do_expunge_ids(struct account *a, const struct core_req_ids *msgs, struct err *err)
{
	size_t *idx;
	size_t n = 0;
	int rc;

	if (a->ops->expunge == NULL)
		return err_set(err, ERR_UNSUPPORTED,
			       "local folders expunge every deleted message at once");
	idx = xcalloc(msgs->count, sizeof(*idx));
	for (size_t i = 0; i < msgs->count; i++)
		if (a->ops->find(a->folder, msgs->ids[i], &idx[n]))
			n++;
	rc = a->ops->expunge(a->folder, idx, n, err);
	free(idx);
	return rc;
}

static int
do_manage(struct account *a, struct core_job *job, const struct core_req_manage_folder *r,
	  struct err *err)
{
	struct backend_params p;
	struct url url, to;
	const struct backend_ops *ops, *ops2;
	int rc = -1;

	memset(&to, 0, sizeof(to));
	ops = backend_of(r->folder, &url, err);
	if (ops == NULL)
		return -1;
	job_params(a, job, &p);
	imap_params(a, job, &url, &p);
	switch (r->op) {
	case CORE_FOLDER_CREATE:
		rc = ops->create != NULL ? ops->create(&url, &p, err)
					 : err_set(err, ERR_UNSUPPORTED, "%s folders cannot be created",
						   ops->name);
		break;
	case CORE_FOLDER_DELETE:
		rc = ops->remove != NULL ? ops->remove(&url, &p, err)
					 : err_set(err, ERR_UNSUPPORTED, "%s folders cannot be removed",
						   ops->name);
		break;
	case CORE_FOLDER_RENAME:
		ops2 = backend_of(r->to, &to, err);
		if (ops2 == NULL)
			break;
		if (ops2 != ops || ops->rename == NULL)
			rc = err_set(err, ERR_UNSUPPORTED, "%s cannot be renamed to %s", r->folder,
				     r->to);
		else
			rc = ops->rename(&url, &to, &p, err);
		break;
	case CORE_FOLDER_SUBSCRIBE:
	case CORE_FOLDER_UNSUBSCRIBE:
		rc = ops->subscribe != NULL
			     ? ops->subscribe(&url, &p, r->op == CORE_FOLDER_SUBSCRIBE, err)
			     : err_set(err, ERR_UNSUPPORTED, "%s folders have no subscriptions",
				       ops->name);
		break;
	default:
		rc = err_set(err, ERR_USAGE, "unknown folder operation %d", (int)r->op);
		break;
	}
	url_clear(&url);
	url_clear(&to);
	return rc;
}

/* Before a new connection's IDLE, a little while for the next request:
 * the mailx face sends them back to back. */
#define IDLE_GRACE_MS 300

static int
wait_fd(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	for (;;) {
		int r = poll(&pfd, 1, ms);

		if (r >= 0)
			return r > 0;
		if (errno != EINTR)
			return -1;
	}
}

/* How often the worker looks at an open local folder between requests. */
#define LOCAL_POLL_MS 1000

/*
 * Nothing announces mail delivered to a maildir, an mbox or a notmuch
 * database, so waiting for news there is checking again (a stat, or the
 * database's revision) every LOCAL_POLL_MS until something changed or a
 * request came.
 */
static int
poll_local(struct account *a, int reqfd, enum backend_check *result_r, struct err *err)
{
	for (;;) {
		int r = wait_fd(reqfd, LOCAL_POLL_MS);

		if (r != 0)
			return r < 0 ? err_sys(err, ERR_INTERNAL, errno, "cannot wait for requests")
			             : 0;
		if (a->ops->check(a->folder, result_r, NULL, err) < 0)
			return -1;
		if (*result_r != BACKEND_CHECK_NONE)
			return 0;
	}
}

/*
 * Between requests: a folder of a backend that can wait for news (IMAP
 * IDLE, or NOOP polling) waits for it, a local folder is looked at again
 * now and then, and the face hears of new mail and of changes; anything
 * else just waits for the next request.
 */
static int
account_idle(void *ctx, struct core_worker *worker, struct err *err)
{
	struct account *a = ctx;
	int reqfd = core_worker_request_fd(worker);
	enum backend_check res = BACKEND_CHECK_NONE;
	uint32_t before;
	int keepalive = imap_settings.keepalive_ms > 0 ? imap_settings.keepalive_ms : -1;
	struct core_event *ev;
	int rc;

	if (a->folder == NULL ||
	    (a->ops->idle == NULL && !((a->ops->caps & BE_CAP_LOCAL) && a->ops->check != NULL))) {
		wait_fd(reqfd, -1);
		return 0;
	}
	if (wait_fd(reqfd, IDLE_GRACE_MS) != 0)
		return 0;
	before = (uint32_t)a->ops->count(a->folder);
	/* The worker's cancel pipe, readable between jobs when a queued
	 * request is cancelled or the worker stops: a server that does not
	 * answer the end of IDLE must not hold either up. */
	if (a->ops->set_job != NULL)
		a->ops->set_job(a->folder, NULL, core_worker_cancel_fd(worker));
	rc = a->ops->idle != NULL ? a->ops->idle(a->folder, reqfd, keepalive, &res, err)
	                          : poll_local(a, reqfd, &res, err);
	if (a->folder != NULL && a->ops->set_job != NULL)
		a->ops->set_job(a->folder, NULL, -1);
	/* A cancel is no failure to report: the request (or the shutdown)
	 * behind it goes next, and mends the connection if it must. */
	if (rc < 0 && err->kind == ERR_CANCELLED)
		return 0;
	if (rc < 0)
		return -1;
	switch (res) {
	case BACKEND_CHECK_NEW_MAIL:
		ev = core_event_new(CORE_EV_NEW_MAIL, 0);
		ev->u.new_mail.folder = arena_strdup(ev->arena, a->folder_url);
		ev->u.new_mail.exists = (uint32_t)a->ops->count(a->folder);
		ev->u.new_mail.recent = ev->u.new_mail.exists > before
					       ? ev->u.new_mail.exists - before
					       : 0;
		core_worker_post_event(worker, ev);
		break;
	case BACKEND_CHECK_FLAGS:
	case BACKEND_CHECK_REOPENED:
		if ((uint32_t)a->ops->count(a->folder) > before) {
			ev = core_event_new(CORE_EV_NEW_MAIL, 0);
			ev->u.new_mail.folder = arena_strdup(ev->arena, a->folder_url);
			ev->u.new_mail.exists = (uint32_t)a->ops->count(a->folder);
			ev->u.new_mail.recent = ev->u.new_mail.exists - before;
			core_worker_post_event(worker, ev);
		}
		ev = core_event_new(CORE_EV_FOLDER_CHANGED, 0);
		ev->u.folder_changed.folder = arena_strdup(ev->arena, a->folder_url);
		ev->u.folder_changed.exists = (uint32_t)a->ops->count(a->folder);
		ev->u.folder_changed.reopened = res == BACKEND_CHECK_REOPENED;
		core_worker_post_event(worker, ev);
		break;
	default:
		break;
	}
	return 0;
}

/* ---- end of imap ---- */

static int
handle_one(struct account *a, struct core_job *job, const struct core_request *req,
	   struct err *err);

static int
handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct account *a = ctx;
	struct backend_progress progress = {progress_report, progress_cancelled, job};
	int rc;

	/* Network folders report progress and watch the cancel fd of the job
	 * under way, not of the one that opened them. */
	if (a->folder != NULL && a->ops->set_job != NULL)
		a->ops->set_job(a->folder, &progress, core_job_cancel_fd(job));
	rc = handle_one(a, job, req, err);
	if (a->folder != NULL && a->ops->set_job != NULL)
		a->ops->set_job(a->folder, NULL, -1);
	return rc;
}

static int
handle_one(struct account *a, struct core_job *job, const struct core_request *req,
	   struct err *err)
{
	struct backend_params p;

	switch (req->type) {
	case CORE_REQ_CONNECT:
		return 0;
	case CORE_REQ_OPEN_FOLDER:
		return do_open(a, job, &req->u.open_folder, err);
	case CORE_REQ_FETCH_HEADERS:
		return do_headers(a, job, &req->u.fetch_headers, err);
	case CORE_REQ_FETCH_MESSAGE:
		return do_fetch(a, job, req->u.fetch_message.id, "", 0, 0, err);
	case CORE_REQ_FETCH_PART:
		return do_fetch(a, job, req->u.fetch_part.id,
				req->u.fetch_part.part != NULL ? req->u.fetch_part.part : "",
				req->u.fetch_part.offset, req->u.fetch_part.length, err);
	case CORE_REQ_FETCH_STRUCTURE:
		return do_structure(a, job, req->u.fetch_structure.id, err);
	case CORE_REQ_SET_FLAGS:
		return do_set_flags(a, &req->u.set_flags, err);
	case CORE_REQ_COPY:
		return do_copy(a, job, &req->u.copy, 0, err);
	case CORE_REQ_MOVE:
		return do_copy(a, job, &req->u.copy, 1, err);
	case CORE_REQ_APPEND:
		return do_append(a, job, &req->u.append, err);
	case CORE_REQ_EXPUNGE:
		if (need_folder(a, err) < 0)
			return -1;
		if (req->u.expunge.msgs.count > 0)
			return do_expunge_ids(a, &req->u.expunge.msgs, err);
		job_params(a, job, &p);
		return a->ops->sync(a->folder, 1, &p.progress, err);
	case CORE_REQ_CLOSE_FOLDER:
		if (need_folder(a, err) < 0)
			return -1;
		if (req->u.close_folder.expunge) {
			job_params(a, job, &p);
			if (a->ops->sync(a->folder, 1, &p.progress, err) < 0)
				return -1;
		}
		close_folder(a);
		return 0;
	case CORE_REQ_LIST_FOLDERS:
		return do_list(a, job, &req->u.list_folders, err);
	case CORE_REQ_SEARCH:
		return do_search(a, job, &req->u.search, err);
	case CORE_REQ_MANAGE_FOLDER:
		return do_manage(a, job, &req->u.manage_folder, err);
	default:
		return err_set(err, ERR_UNSUPPORTED, "local folders cannot %s",
			       core_request_type_name(req->type));
	}
}

static void
destroy(void *ctx)
{
	struct account *a = ctx;

	close_folder(a);
	free(a->root);
	free(a);
}

static const struct core_worker_ops account_ops = {
	.handle = handle,
	.idle = account_idle,
	.destroy = destroy,
};

int
core_account_start(const struct core_account_params *params, struct core_queue *events,
		   struct core_worker **worker_r, struct err *err)
{
	struct core_worker_params wp;
	struct account *a = xcalloc(1, sizeof(*a));

	a->root = params->root != NULL ? xstrdup(params->root) : NULL;
	a->lock_timeout_ms = params->lock_timeout_ms;
	memset(&wp, 0, sizeof(wp));
	wp.name = params->name != NULL ? params->name : "local";
	wp.ops = &account_ops;
	wp.ctx = a;
	wp.events = events;
	if (core_worker_new(&wp, worker_r, err) < 0) {
		destroy(a);
		return -1;
	}
	/* Before any request is posted (posting orders it with the worker). */
	a->worker = *worker_r;
	log_trace(LOG_CH_CORE, "account %s started", wp.name);
	return 0;
}

size_t
core_account_backends(const char **names, size_t max)
{
	const struct backend_ops *const *all = backend_all();
	size_t n = 0;

	for (; *all != NULL && n < max; all++)
		names[n++] = (*all)->name;
	return n;
}
