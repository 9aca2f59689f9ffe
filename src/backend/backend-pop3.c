/*
 * backend-pop3: a POP3 maildrop read as a folder (pop3://, pop3s://).
 *
 * Opening logs in (backend-pop3-conn.h) and lists the messages with LIST
 * and UIDL; summaries come from `TOP n 0`, so a listing downloads headers
 * and never bodies; reading a message is RETR.  A summary's id is the
 * message number of the first session, kept for the folder's life.
 *
 * Deletion follows RFC 1939 to the letter: set_flags() only records it;
 * sync() with expunge sends DELE for the marked messages and QUIT, and
 * the server deletes them when it answers +OK (the mailx `quit`).
 * close() alone (mailx `exit`) sends RSET and QUIT with nothing marked,
 * so the server keeps everything.  After a sync the next operation logs
 * in again and finds the survivors by their unique-ids; a server without
 * UIDL cannot be followed across sessions, so the folder must be opened
 * again.
 *
 * POP3 has no flags on the server: seen and the rest live in memory for
 * the session.  A maildrop does not change while a session has it
 * locked, so check() finds nothing new.
 */
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend-pop3-conn.h"
#include "backend/backend-pop3.h"
#include "backend/backend.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"

struct p3_entry {
	uint64_t id;       /* the message number in the first session */
	unsigned long num; /* the message number now; 0 when gone */
	uint64_t size;
	char *uid;    /* NULL: none usable */
	char *header; /* TOP n 0, once read (CRLF as sent) */
	size_t header_len;
	unsigned flags; /* enum mime_flag, this session only */
};

struct backend_folder {
	struct backend_pop3_conn_params cp; /* strings below */
	char *host, *port, *user, *password, *mechanisms, *ca_file;
	char *name;                     /* user@host:port, for messages */
	struct backend_pop3_conn *conn; /* NULL after a sync's QUIT */
	struct p3_entry *msgs;
	size_t count;
};

static const char *const p3_schemes[] = {"pop3", "pop3s", NULL};

static void
wipe(char **p)
{
	if (*p != NULL) {
		explicit_bzero(*p, strlen(*p));
		xfree(p);
	}
}

static void
entries_free(struct p3_entry *msgs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(msgs[i].uid);
		free(msgs[i].header);
	}
	free(msgs);
}

static void
p3_close(struct backend_folder **fp)
{
	struct backend_folder *f = *fp;

	if (f == NULL)
		return;
	if (f->conn != NULL) {
		struct err err;
		enum pop3_update up;

		/* Nothing is marked (DELE goes out only at sync), but RSET
		   makes sure QUIT deletes nothing. */
		if (backend_pop3_conn_rset(f->conn, &err) == 0)
			(void)backend_pop3_conn_quit(f->conn, &up, &err);
		backend_pop3_conn_free(&f->conn);
	}
	entries_free(f->msgs, f->count);
	wipe(&f->password);
	free(f->host);
	free(f->port);
	free(f->user);
	free(f->mechanisms);
	free(f->ca_file);
	free(f->name);
	free(f);
	*fp = NULL;
}

static char *
login_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u != NULL && *u != '\0')
		return xstrdup(u);
	pw = getpwuid(getuid());
	return xstrdup(pw != NULL && pw->pw_name != NULL ? pw->pw_name : "");
}

int
backend_pop3_params(const struct url *url, const struct backend_params *params,
                    struct backend_pop3_conn_params *cp, char **user_r, char **password_r,
                    struct err *err)
{
	int pop3s;

	memset(cp, 0, sizeof(*cp));
	*user_r = NULL;
	*password_r = NULL;
	if (url->scheme == NULL ||
	    (strcmp(url->scheme, "pop3") != 0 && strcmp(url->scheme, "pop3s") != 0))
		return err_set(err, ERR_UNSUPPORTED, "not a POP3 URL");
	if (url->host == NULL || *url->host == '\0')
		return err_set(err, ERR_USAGE, "%s:// needs a server: %s://user@host/", url->scheme,
		               url->scheme);
	pop3s = strcmp(url->scheme, "pop3s") == 0;
	cp->host = url->host;
	cp->port = url->port;
	cp->implicit_tls = pop3s;
	cp->stls = params->tls.starttls > 0 ? 1 : params->tls.starttls < 0 ? -1 : 0;
	cp->allow_plaintext = params->auth.allow_plaintext;
	cp->mechanisms = params->auth.mechanisms;
	cp->tls_ca_file = params->tls.ca_file;
	cp->tls_no_verify = !params->tls.verify;
	cp->connect_timeout_ms = params->connect_timeout_ms;
	cp->io_timeout_ms = params->io_timeout_ms;
	cp->cancel_fd = params->cancel_fd;
	cp->msg_max = params->max_message;
	*user_r = url->user != NULL && *url->user != '\0' ? xstrdup(url->user) : login_name();
	if (url->password != NULL) {
		*password_r = xstrdup(url->password);
	} else if (params->auth.get_password != NULL) {
		if (params->auth.get_password(params->auth.ctx, url, password_r, err) < 0) {
			xfree(user_r);
			return -1;
		}
	}
	cp->user = *user_r;
	cp->password = *password_r;
	return 0;
}

/* Logs in again after a sync's QUIT and renumbers by unique-id. */
static int
reconnect(struct backend_folder *f, struct err *err)
{
	struct backend_pop3_msg *m;
	size_t n, j = 0;
	int has_uidl;

	if (f->conn != NULL)
		return 0;
	if (backend_pop3_conn_open(&f->cp, &f->conn, err) < 0)
		return -1;
	if (backend_pop3_conn_scan(f->conn, &m, &n, &has_uidl, err) < 0)
		goto fail;
	for (size_t i = 0; i < f->count; i++) {
		struct p3_entry *e = &f->msgs[i];

		e->num = 0;
		if (e->uid == NULL)
			continue;
		/* Survivors keep their order: the lists walk together. */
		size_t k = j;

		while (k < n && (m[k].uid == NULL || strcmp(m[k].uid, e->uid) != 0))
			k++;
		if (k < n) {
			e->num = m[k].num;
			j = k + 1;
		}
	}
	return 0;
fail:
	backend_pop3_conn_free(&f->conn);
	return -1;
}

static int
p3_open(const struct url *url, const struct backend_params *params,
        struct backend_folder **folder_r, struct err *err)
{
	struct backend_folder *f = xcalloc(1, sizeof(*f));
	struct backend_pop3_msg *m;
	size_t n;
	int has_uidl;

	*folder_r = NULL;
	if (backend_pop3_params(url, params, &f->cp, &f->user, &f->password, err) < 0)
		goto fail;
	/* The strings must outlive the caller's URL and params. */
	f->host = xstrdup(f->cp.host);
	f->port = f->cp.port != NULL ? xstrdup(f->cp.port) : NULL;
	f->mechanisms = f->cp.mechanisms != NULL ? xstrdup(f->cp.mechanisms) : NULL;
	f->ca_file = f->cp.tls_ca_file != NULL ? xstrdup(f->cp.tls_ca_file) : NULL;
	f->cp.host = f->host;
	f->cp.port = f->port;
	f->cp.mechanisms = f->mechanisms;
	f->cp.tls_ca_file = f->ca_file;
	backend_report(&params->progress, 0, 0, "Logging in");
	if (backend_pop3_conn_open(&f->cp, &f->conn, err) < 0)
		goto fail;
	f->name = xasprintf("%s@%s", f->user, backend_pop3_conn_server(f->conn));
	if (backend_pop3_conn_scan(f->conn, &m, &n, &has_uidl, err) < 0)
		goto fail;
	f->msgs = xcalloc(n ? n : 1, sizeof(*f->msgs));
	for (size_t i = 0; i < n; i++) {
		f->msgs[i].id = m[i].num;
		f->msgs[i].num = m[i].num;
		f->msgs[i].size = m[i].size;
		f->msgs[i].uid = m[i].uid != NULL ? xstrdup(m[i].uid) : NULL;
		f->msgs[i].flags = MIME_FLAG_RECENT;
	}
	f->count = n;
	log_trace(LOG_CH_BACKEND, "pop3: %s: %zu messages", f->name, n);
	*folder_r = f;
	return 0;
fail:
	p3_close(&f);
	return -1;
}

static size_t
p3_count(const struct backend_folder *f)
{
	return f->count;
}

static int
p3_read_only(const struct backend_folder *f)
{
	(void)f;
	return 0;
}

static int
p3_find(const struct backend_folder *f, uint64_t id, size_t *index_r)
{
	/* Ids are the first session's numbers, in order: a binary search. */
	size_t lo = 0, hi = f->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->msgs[mid].id == id) {
			*index_r = mid;
			return 1;
		}
		if (f->msgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The entry at index, still on the server, with a connection up. */
static int
live_entry(struct backend_folder *f, size_t index, struct p3_entry **e_r, struct err *err)
{
	if (index >= f->count)
		return err_set(err, ERR_USAGE, "%s has no message %zu (it has %zu)", f->name,
		               index + 1, f->count);
	if (reconnect(f, err) < 0)
		return -1;
	*e_r = &f->msgs[index];
	if ((*e_r)->num == 0)
		return err_set(err, ERR_USAGE,
		               (*e_r)->uid != NULL
		                   ? "message %zu is no longer on %s"
		                   : "message %zu of %s cannot be found again after the last "
		                     "update (the server has no UIDL): open the folder again",
		               index + 1, f->name);
	return 0;
}

/* CRLF line ends made LF, as backend.h promises. */
static void
append_lf(struct str *out, const char *data, size_t len)
{
	size_t start = 0;

	str_reserve(out, len);
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\r' && i + 1 < len && data[i + 1] == '\n') {
			str_append_len(out, data + start, i - start);
			start = i + 1;
		}
	}
	str_append_len(out, data + start, len - start);
}

struct top_ctx {
	struct backend_folder *f;
	size_t *which; /* entry of each number asked */
};

static int
got_header(void *ctx, const struct backend_pop3_answer *a, struct err *err)
{
	struct top_ctx *t = ctx;
	struct p3_entry *e = &t->f->msgs[t->which[a->index]];

	(void)err;
	if (!a->ok) {
		/* A message the server will not show still gets a line. */
		log_warn("%s: %s", t->f->name, a->err != NULL ? a->err->msg : "TOP failed");
		e->header = xstrdup("");
		e->header_len = 0;
		return 0;
	}
	e->header = xmemdup(a->data, a->len + 1);
	e->header[a->len] = '\0';
	e->header_len = a->len;
	return 0;
}

/* Reads the headers of entries [first, first+n) that are not known yet. */
static int
load_headers(struct backend_folder *f, size_t first, size_t n,
             const struct backend_progress *progress, struct err *err)
{
	struct top_ctx t = {f, NULL};
	unsigned long *nums = NULL;
	size_t k = 0, step = 256;
	int ret = -1;

	if (reconnect(f, err) < 0)
		return -1;
	nums = xcalloc(n ? n : 1, sizeof(*nums));
	t.which = xcalloc(n ? n : 1, sizeof(*t.which));
	for (size_t i = first; i < first + n; i++) {
		if (f->msgs[i].header != NULL)
			continue;
		if (f->msgs[i].num == 0) {
			f->msgs[i].header = xstrdup("");
			continue;
		}
		nums[k] = f->msgs[i].num;
		t.which[k++] = i;
	}
	/* In steps, for progress and cancellation between them. */
	for (size_t done = 0; done < k; done += step) {
		size_t m = k - done < step ? k - done : step;
		struct top_ctx part = {f, t.which + done};

		if (backend_cancelled(progress, f->cp.cancel_fd)) {
			err_set(err, ERR_CANCELLED, "cancelled while reading headers from %s",
			        f->name);
			goto out;
		}
		if (backend_pop3_conn_top(f->conn, nums + done, m, 0, got_header, &part, err) < 0)
			goto out;
		backend_report(progress, done + m, k, "Reading headers");
	}
	ret = 0;
out:
	free(nums);
	free(t.which);
	return ret;
}

static int
p3_load_summaries(struct backend_folder *f, size_t first, size_t n, struct arena *arena,
                  struct mime_summary *summaries, const struct backend_progress *progress,
                  struct err *err)
{
	if (first > f->count || n > f->count - first)
		return err_set(err, ERR_USAGE, "%s has no messages %zu-%zu (it has %zu)", f->name,
		               first + 1, first + n, f->count);
	if (load_headers(f, first, n, progress, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct p3_entry *e = &f->msgs[first + i];
		struct mime_summary *s = &summaries[i];

		memset(s, 0, sizeof(*s));
		mime_summary_from_header(arena, e->header, e->header_len, s);
		s->id = e->id;
		s->flags = e->flags;
		/* LIST's octets.  lines stays 0, unknown: POP3 tells a
		   message's lines only with its body (LIST counts octets, TOP
		   n 0 sends the header alone), and a listing must not
		   download bodies; Heirloom mailx and s-nail leave the count
		   blank for POP3 messages too. */
		s->size = e->size;
	}
	return 0;
}

struct fetch_ctx {
	struct str *out;
	int ok;
	struct err ferr;
};

static int
got_message(void *ctx, const struct backend_pop3_answer *a, struct err *err)
{
	struct fetch_ctx *fc = ctx;

	(void)err;
	if (!a->ok) {
		fc->ferr = *a->err;
		return 0;
	}
	fc->ok = 1;
	append_lf(fc->out, a->data, a->len);
	return 0;
}

static int
p3_fetch(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	struct fetch_ctx fc;
	struct p3_entry *e;
	size_t before = out->len;

	memset(&fc, 0, sizeof(fc));
	fc.out = out;
	if (live_entry(f, index, &e, err) < 0)
		return -1;
	if (backend_pop3_conn_retr(f->conn, &e->num, &e->size, 1, got_message, &fc, err) < 0) {
		/* A connection that failed mid-message cannot go on. */
		backend_pop3_conn_free(&f->conn);
		str_truncate(out, before);
		return -1;
	}
	if (!fc.ok) {
		*err = fc.ferr;
		return -1;
	}
	return 0;
}

static int
p3_fetch_header(struct backend_folder *f, size_t index, struct str *out, struct err *err)
{
	struct p3_entry *e;

	if (index < f->count && f->msgs[index].header == NULL) {
		if (live_entry(f, index, &e, err) < 0 || load_headers(f, index, 1, NULL, err) < 0)
			return -1;
	}
	if (index >= f->count)
		return err_set(err, ERR_USAGE, "%s has no message %zu", f->name, index + 1);
	e = &f->msgs[index];
	append_lf(out, e->header, e->header_len);
	return 0;
}

static int
p3_set_flags(struct backend_folder *f, size_t index, unsigned set, unsigned clear, struct err *err)
{
	if (index >= f->count)
		return err_set(err, ERR_USAGE, "%s has no message %zu", f->name, index + 1);
	f->msgs[index].flags = (f->msgs[index].flags & ~clear) | set;
	return 0;
}

static int
p3_check(struct backend_folder *f, enum backend_check *result_r,
         const struct backend_progress *progress, struct err *err)
{
	(void)progress;
	*result_r = BACKEND_CHECK_NONE;
	/* Keeps an idle session from timing out on the server's side. */
	if (f->conn != NULL && backend_pop3_conn_noop(f->conn, err) < 0) {
		backend_pop3_conn_free(&f->conn);
		return -1;
	}
	return 0;
}

struct dele_ctx {
	size_t refused;
	struct err first;
};

static int
got_dele(void *ctx, const struct backend_pop3_answer *a, struct err *err)
{
	struct dele_ctx *d = ctx;

	(void)err;
	if (!a->ok && d->refused++ == 0)
		d->first = *a->err;
	return 0;
}

static int
p3_sync(struct backend_folder *f, int expunge, const struct backend_progress *progress,
        struct err *err)
{
	struct dele_ctx d;
	unsigned long *nums;
	enum pop3_update up;
	size_t n = 0, kept = 0;
	int ret = -1;

	if (!expunge)
		return 0;
	for (size_t i = 0; i < f->count; i++)
		n += (f->msgs[i].flags & MIME_FLAG_DELETED) && f->msgs[i].num != 0;
	if (n == 0)
		return 0;
	if (reconnect(f, err) < 0)
		return -1;
	nums = xcalloc(n, sizeof(*nums));
	n = 0;
	for (size_t i = 0; i < f->count; i++)
		if ((f->msgs[i].flags & MIME_FLAG_DELETED) && f->msgs[i].num != 0)
			nums[n++] = f->msgs[i].num;
	memset(&d, 0, sizeof(d));
	backend_report(progress, 0, n, "Deleting on the server");
	if (backend_pop3_conn_dele(f->conn, nums, n, got_dele, &d, err) < 0)
		goto broken;
	if (d.refused > 0) {
		/* All or nothing: unmark, so QUIT deletes none of them. */
		if (backend_pop3_conn_rset(f->conn, err) < 0)
			goto broken;
		err_set(err, d.first.kind, "%s; nothing was deleted", d.first.msg);
		goto out;
	}
	if (backend_pop3_conn_quit(f->conn, &up, err) < 0) {
		backend_pop3_conn_free(&f->conn);
		if (up == POP3_UPDATE_UNKNOWN)
			err_prefix(err, "the messages marked deleted may still be on %s", f->name);
		goto out;
	}
	backend_pop3_conn_free(&f->conn);
	for (size_t i = 0; i < f->count; i++) {
		if ((f->msgs[i].flags & MIME_FLAG_DELETED) && f->msgs[i].num != 0) {
			free(f->msgs[i].uid);
			free(f->msgs[i].header);
		} else {
			f->msgs[kept++] = f->msgs[i];
		}
	}
	f->count = kept;
	backend_report(progress, n, n, "Deleting on the server");
	ret = 0;
	goto out;
broken:
	/* Closed without QUIT: the server deletes nothing. */
	backend_pop3_conn_free(&f->conn);
out:
	free(nums);
	return ret;
}

const struct backend_ops backend_pop3_ops = {
    .name = "pop3",
    .schemes = p3_schemes,
    .caps = BE_CAP_HEADERS_ONLY | BE_CAP_KEEP_ON_SERVER | BE_CAP_EXPUNGE,
    .open = p3_open,
    .count = p3_count,
    .read_only = p3_read_only,
    .find = p3_find,
    .load_summaries = p3_load_summaries,
    .fetch = p3_fetch,
    .fetch_header = p3_fetch_header,
    .fetch_partial = NULL,
    .set_flags = p3_set_flags,
    .check = p3_check,
    .sync = p3_sync,
    .close = p3_close,
    .append = NULL,
    .list = NULL,
    .create = NULL,
    .remove = NULL,
    .rename = NULL,
    .set_tags = NULL,
};
