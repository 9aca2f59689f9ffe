/*
 * The IMAP account, and the operations that take no open folder: append,
 * list, create, remove, rename and subscribe.  Each opens a connection for
 * the call and logs out at its end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/backend-imap-int.h"
#include "backend/backend-imap.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "imap/imap-utf7.h"
#include "mime/mime-summary.h"
#include "mime/mime-text.h"

/* ---- the account ---- */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

int
backend_imap_acct_init(struct backend_imap_acct *a, const struct url *url,
                       const struct backend_params *params, struct err *err)
{
	int implicit = strcmp(url->scheme, "imaps") == 0;
	const char *user;

	memset(a, 0, sizeof(*a));
	if (strcmp(url->scheme, "imap") != 0 && !implicit)
		return err_set(err, ERR_UNSUPPORTED, "%s:// is not an IMAP URL", url->scheme);
	if (url->host == NULL || url->host[0] == '\0')
		return err_set(err, ERR_USAGE, "%s:// URL without a server name", url->scheme);
	user = url->user != NULL ? url->user : params->user;
	if (user == NULL || user[0] == '\0')
		user = getenv("USER");
	if (user == NULL || user[0] == '\0')
		return err_set(err, ERR_USAGE,
		               "%s: no user name (put it in the URL as user@%s, or set imap_user)",
		               url->host, url->host);
	backend_imap_conn_params_init(&a->cp);
	a->host = xstrdup(url->host);
	a->port = xstrdup(url->port != NULL ? url->port : implicit ? "993" : "143");
	a->user = xstrdup(user);
	a->ca_file = dup_or_null(params->tls.ca_file);
	a->mechanisms = dup_or_null(params->auth.mechanisms);
	if (strchr(a->host, ':') != NULL)
		a->id = xasprintf("%s@[%s]:%s", a->user, a->host, a->port);
	else
		a->id = xasprintf("%s@%s:%s", a->user, a->host, a->port);
	a->cache_dir = dup_or_null(params->cache_dir);
	a->body_cache_dir = dup_or_null(params->body_cache_dir);
	a->keepalive_ms = params->keepalive_ms;
	a->no_push = params->no_push;
	a->notify = params->notify;
	if (url->password != NULL) {
		a->password = xstrdup(url->password);
	} else if (params->auth.get_password != NULL) {
		char *pw = NULL;

		if (params->auth.get_password(params->auth.ctx, url, &pw, err) < 0) {
			backend_imap_acct_clear(a);
			return -1;
		}
		a->password = pw;
	}
	a->cp.host = a->host;
	a->cp.port = a->port;
	a->cp.tls = implicit               ? BACKEND_IMAP_TLS_IMPLICIT
	            : params->tls.plain    ? BACKEND_IMAP_TLS_NONE
	            : params->tls.starttls ? BACKEND_IMAP_TLS_STARTTLS
	                                   : BACKEND_IMAP_TLS_OPTIONAL;
	a->cp.tls_ca_file = a->ca_file;
	a->cp.tls_no_verify = !params->tls.verify;
	a->cp.connect_timeout_ms = params->connect_timeout_ms;
	a->cp.io_timeout_ms = params->io_timeout_ms;
	a->cp.cancel_fd = params->cancel_fd;
	a->cp.user = a->user;
	a->cp.password = a->password;
	a->cp.mechanisms = a->mechanisms;
	a->cp.allow_plaintext = params->auth.allow_plaintext != 0;
	return 0;
}

void
backend_imap_acct_clear(struct backend_imap_acct *a)
{
	if (a->password != NULL)
		explicit_bzero(a->password, strlen(a->password));
	free(a->host);
	free(a->port);
	free(a->user);
	free(a->password);
	free(a->ca_file);
	free(a->mechanisms);
	free(a->id);
	free(a->cache_dir);
	free(a->body_cache_dir);
	memset(a, 0, sizeof(*a));
}

int
backend_imap_acct_connect(struct backend_imap_acct *a, struct backend_imap_conn **conn_r,
                          struct err *err)
{
	return backend_imap_conn_open(&a->cp, conn_r, err);
}

int
backend_imap_acct_same(const struct backend_imap_acct *a, const struct url *url,
                       const struct backend_params *params)
{
	const char *user = url->user != NULL ? url->user : params->user;
	int implicit;

	if (url->scheme == NULL ||
	    (strcmp(url->scheme, "imap") != 0 && strcmp(url->scheme, "imaps") != 0))
		return 0;
	implicit = strcmp(url->scheme, "imaps") == 0;
	if (user == NULL)
		user = getenv("USER");
	if (url->host == NULL || strcasecmp(url->host, a->host) != 0 || user == NULL ||
	    strcmp(user, a->user) != 0)
		return 0;
	return strcmp(url->port != NULL ? url->port : implicit ? "993" : "143", a->port) == 0;
}

int
backend_imap_err_transient(const struct err *err)
{
	return err->kind == ERR_CONN || err->kind == ERR_TIMEOUT;
}

int
backend_imap_mailbox(struct backend_imap_conn *conn, const char *path, struct str *out,
                     struct err *err)
{
	char delim = backend_imap_conn_delimiter(conn);
	struct str name = STR_INIT;
	int rc;

	while (*path == '/')
		path++;
	if (*path == '\0' || strcasecmp(path, "INBOX") == 0) {
		str_append(out, "INBOX");
		return 0;
	}
	for (const char *p = path; *p != '\0'; p++)
		str_append_char(&name, *p == '/' ? delim : *p);
	while (name.len > 0 && name.s[name.len - 1] == delim)
		str_truncate(&name, name.len - 1);
	rc =
	    imap_session_encode_mailbox(backend_imap_conn_session(conn), str_cstr(&name), out, err);
	str_free(&name);
	return rc;
}

void
backend_imap_flag_names(unsigned flags, const char **names, size_t *n_r)
{
	size_t n = 0;

	if (flags & MIME_FLAG_SEEN)
		names[n++] = "\\Seen";
	if (flags & MIME_FLAG_ANSWERED)
		names[n++] = "\\Answered";
	if (flags & MIME_FLAG_FLAGGED)
		names[n++] = "\\Flagged";
	if (flags & MIME_FLAG_DELETED)
		names[n++] = "\\Deleted";
	if (flags & MIME_FLAG_DRAFT)
		names[n++] = "\\Draft";
	if (flags & MIME_FLAG_PASSED)
		names[n++] = "$Forwarded";
	*n_r = n;
}

/* ---- one command at a time ---- */

/* The completion code of the last command (TRYCREATE), and the data a
 * listing collects. */
struct store_ctx {
	enum imap_code_kind code;
	struct arena *arena;
	struct backend_imap_conn *conn;
	struct backend_folder_info *infos;
	size_t n, cap;
	int subscribed_pass; /* LSUB / LIST (SUBSCRIBED) answers mark, not add */
	const char *prefix;  /* the listed root, in the server's form */
};

static void store_event(void *ctx, const struct imap_event *ev);

static int
open_conn(const struct url *url, const struct backend_params *params,
          struct backend_imap_acct *acct, struct backend_imap_conn **conn_r, struct store_ctx *sc,
          struct err *err)
{
	if (backend_imap_acct_init(acct, url, params, err) < 0)
		return -1;
	if (backend_imap_acct_connect(acct, conn_r, err) < 0) {
		backend_imap_acct_clear(acct);
		return -1;
	}
	backend_imap_conn_set_handler(*conn_r, store_event, sc);
	return 0;
}

static void
close_conn(struct backend_imap_acct *acct, struct backend_imap_conn **conn)
{
	backend_imap_conn_free(conn);
	backend_imap_acct_clear(acct);
}

/* Waits for the command just queued (queued: what queueing returned;
 * the tag is read only after, as argument order is not defined). */
static int
wait_cmd(struct backend_imap_conn *conn, struct store_ctx *sc, int queued, const uint32_t *tag,
         struct err *err)
{
	if (queued < 0)
		return -1;
	sc->code = IMAP_CODE_NONE;
	return backend_imap_conn_wait(conn, *tag, err);
}

/* "imap://alice@host:143/INBOX: " in front of a folder's errors, once. */
static int
folder_err(const struct url *url, struct err *err)
{
	char *shown = url_display(url);

	if (err != NULL && strstr(err->msg, shown) == NULL)
		err_prefix(err, "%s", shown);
	free(shown);
	return -1;
}

/* ---- append ---- */

/* LF line ends become CRLF, as IMAP wants; CRLF stays. */
static void
to_crlf(struct str *out, const char *data, size_t len)
{
	str_reserve(out, len + len / 16 + 2);
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
			str_append_char(out, '\r');
		str_append_char(out, data[i]);
	}
	str_append(out, "");
}

int
backend_imap_append_op(const struct url *url, const struct backend_params *params, const char *data,
                       size_t len, unsigned flags, time_t date, struct err *err)
{
	struct backend_imap_acct acct;
	struct backend_imap_conn *conn = NULL;
	struct store_ctx sc;
	struct str mbox = STR_INIT, msg = STR_INIT;
	const char *names[8];
	size_t n_names;
	uint32_t tag;
	int rc = -1;

	memset(&sc, 0, sizeof(sc));
	if (open_conn(url, params, &acct, &conn, &sc, err) < 0)
		return folder_err(url, err);
	if (backend_imap_mailbox(conn, url->path, &mbox, err) < 0)
		goto out;
	to_crlf(&msg, data, len);
	backend_imap_flag_names(flags, names, &n_names);
	for (int attempt = 0; attempt < 2; attempt++) {
		struct imap_session *s = backend_imap_conn_session(conn);

		if (wait_cmd(conn, &sc,
		             imap_cmd_append(s, str_cstr(&mbox), names, n_names, date, msg.s,
		                             msg.len, &tag, err),
		             &tag, err) == 0) {
			rc = 0;
			break;
		}
		if (err->kind != ERR_REJECTED || sc.code != IMAP_CODE_TRYCREATE ||
		    !params->create || attempt > 0)
			break;
		log_trace(LOG_CH_BACKEND, "imap: creating %s for APPEND", str_cstr(&mbox));
		if (wait_cmd(conn, &sc, imap_cmd_create(s, str_cstr(&mbox), &tag, err), &tag, err) <
		        0 ||
		    wait_cmd(conn, &sc, imap_cmd_subscribe(s, str_cstr(&mbox), 1, &tag, err), &tag,
		             err) < 0)
			break;
	}
out:
	close_conn(&acct, &conn);
	str_free(&mbox);
	str_free(&msg);
	return rc < 0 ? folder_err(url, err) : 0;
}

/* ---- list ---- */

static char
hexdigit(unsigned v)
{
	return "0123456789ABCDEF"[v & 15];
}

/* Percent-encodes a folder name for a URL path: '/' stays. */
static void
url_path_encode(struct str *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/!$'()*+,;=:@", c) != NULL) {
			str_append_char(out, (char)c);
		} else {
			str_append_char(out, '%');
			str_append_char(out, hexdigit(c >> 4));
			str_append_char(out, hexdigit(c));
		}
	}
}

static struct backend_folder_info *
info_of(struct store_ctx *sc, const char *raw)
{
	for (size_t i = 0; i < sc->n; i++)
		if (strcmp(sc->infos[i].url, raw) == 0)
			return &sc->infos[i];
	return NULL;
}

static unsigned
folder_flags(unsigned list_flags)
{
	unsigned f = 0;

	if (list_flags & (IMAP_LIST_NOSELECT | IMAP_LIST_NONEXISTENT))
		f |= BE_FOLDER_NOSELECT;
	if (list_flags & IMAP_LIST_HASCHILDREN)
		f |= BE_FOLDER_CHILDREN;
	if (list_flags & IMAP_LIST_SUBSCRIBED)
		f |= BE_FOLDER_SUBSCRIBED;
	if (list_flags & IMAP_LIST_SENT)
		f |= BE_FOLDER_SENT;
	if (list_flags & IMAP_LIST_DRAFTS)
		f |= BE_FOLDER_DRAFTS;
	if (list_flags & IMAP_LIST_TRASH)
		f |= BE_FOLDER_TRASH;
	if (list_flags & IMAP_LIST_JUNK)
		f |= BE_FOLDER_JUNK;
	if (list_flags & IMAP_LIST_ARCHIVE)
		f |= BE_FOLDER_ARCHIVE;
	return f;
}

/*
 * Listing answers are kept by the server's raw name (in `url` until the
 * end, when the real URLs are made); the name shown is UTF-8 with '/'
 * between levels.
 */
static void
on_list(struct store_ctx *sc, const struct imap_list *l)
{
	struct backend_folder_info *fi = info_of(sc, l->mailbox.raw);
	struct str name = STR_INIT;

	if (sc->subscribed_pass) {
		if (fi != NULL)
			fi->flags |= BE_FOLDER_SUBSCRIBED;
		return;
	}
	if (fi == NULL) {
		if (sc->n == sc->cap) {
			size_t cap = sc->cap ? sc->cap * 2 : 32;
			struct backend_folder_info *v = arena_alloc(sc->arena, cap * sizeof(*v));

			if (sc->n > 0)
				memcpy(v, sc->infos, sc->n * sizeof(*v));
			sc->infos = v;
			sc->cap = cap;
		}
		fi = &sc->infos[sc->n++];
		memset(fi, 0, sizeof(*fi));
		fi->url = arena_strdup(sc->arena, l->mailbox.raw);
	}
	for (const char *p = l->mailbox.name; *p != '\0'; p++)
		str_append_char(&name, l->delimiter != '\0' && *p == l->delimiter ? '/' : *p);
	fi->name = arena_strdup(sc->arena, str_cstr(&name));
	fi->delim = l->delimiter;
	fi->flags |= folder_flags(l->flags);
	str_free(&name);
}

static void
store_event(void *ctx, const struct imap_event *ev)
{
	struct store_ctx *sc = ctx;
	const struct imap_response *r = ev->resp;

	if (ev->kind == IMAP_EV_DONE && r != NULL) {
		sc->code = r->code.kind;
		return;
	}
	if (ev->kind == IMAP_EV_NOTICE && r != NULL && r->code.kind == IMAP_CODE_ALERT) {
		struct str t = STR_INIT;

		mime_sanitize(&t, r->text != NULL ? r->text : "",
		              r->text != NULL ? strlen(r->text) : 0, 0);
		log_warn("%s: %s", backend_imap_conn_peer(sc->conn), str_cstr(&t));
		str_free(&t);
		return;
	}
	if (ev->kind != IMAP_EV_DATA || r == NULL || sc->arena == NULL)
		return;
	if (r->type == IMAP_RESP_LIST || r->type == IMAP_RESP_LSUB) {
		on_list(sc, &r->u.list);
	} else if (r->type == IMAP_RESP_STATUS_DATA) {
		struct backend_folder_info *fi = info_of(sc, r->u.status.mailbox.raw);

		if (fi != NULL && (r->u.status.present & IMAP_STATUS_MESSAGES)) {
			fi->messages = r->u.status.messages;
			fi->unseen = r->u.status.unseen;
			fi->counted = (r->u.status.present & IMAP_STATUS_UNSEEN) != 0;
		}
	}
}

int
backend_imap_list_op(const struct url *root, const struct backend_params *params,
                     struct arena *arena, struct backend_folder_info **folders_r, size_t *count_r,
                     struct err *err)
{
	struct backend_imap_acct acct;
	struct backend_imap_conn *conn = NULL;
	struct imap_session *s;
	struct imap_list_opts lo;
	struct store_ctx sc;
	struct str pattern = STR_INIT, base = STR_INIT;
	uint32_t tag, tag2 = 0;
	unsigned caps;
	size_t w = 0;
	int rc = -1;

	*folders_r = NULL;
	*count_r = 0;
	memset(&sc, 0, sizeof(sc));
	if (open_conn(root, params, &acct, &conn, &sc, err) < 0)
		return folder_err(root, err);
	sc.conn = conn;
	s = backend_imap_conn_session(conn);
	caps = imap_session_caps(s);
	if (root->path[0] != '\0' && strcmp(root->path, "/") != 0) {
		if (backend_imap_mailbox(conn, root->path, &pattern, err) < 0)
			goto out;
		str_append_char(&pattern, backend_imap_conn_delimiter(conn));
	}
	str_append(&pattern, "*");
	memset(&lo, 0, sizeof(lo));
	if (caps & IMAP_CAP_LIST_EXTENDED) {
		lo.special_use = (caps & IMAP_CAP_SPECIAL_USE) != 0;
		lo.children = (caps & IMAP_CAP_CHILDREN) != 0;
		if (caps & IMAP_CAP_LIST_STATUS)
			lo.status = IMAP_STATUS_MESSAGES | IMAP_STATUS_UNSEEN;
	}
	sc.arena = arena;
	if (wait_cmd(conn, &sc, imap_cmd_list(s, "", str_cstr(&pattern), &lo, &tag, err), &tag,
	             err) < 0)
		goto out;
	/* Then which of them are subscribed: LIST (SUBSCRIBED) or LSUB. */
	memset(&lo, 0, sizeof(lo));
	lo.subscribed = 1;
	sc.subscribed_pass = 1;
	if (imap_cmd_list(s, "", str_cstr(&pattern), &lo, &tag2, err) < 0 ||
	    backend_imap_conn_wait(conn, tag2, err) < 0)
		goto out;
	/* The URLs: the root's scheme, user and server, and the name. */
	str_appendf(&base, "%s://", root->scheme);
	url_path_encode(&base, acct.user);
	if (strchr(acct.host, ':') != NULL)
		str_appendf(&base, "@[%s]", acct.host);
	else
		str_appendf(&base, "@%s", acct.host);
	if (root->port != NULL)
		str_appendf(&base, ":%s", root->port);
	str_append_char(&base, '/');
	for (size_t i = 0; i < sc.n; i++) {
		struct backend_folder_info *fi = &sc.infos[i];
		struct str u = STR_INIT;

		str_append(&u, str_cstr(&base));
		url_path_encode(&u, fi->name);
		fi->url = arena_strdup(arena, str_cstr(&u));
		str_free(&u);
		sc.infos[w++] = *fi;
	}
	*folders_r = sc.infos;
	*count_r = w;
	rc = 0;
out:
	close_conn(&acct, &conn);
	str_free(&pattern);
	str_free(&base);
	return rc < 0 ? folder_err(root, err) : 0;
}

/* ---- create, remove, rename, subscribe ---- */

/* Runs one mailbox command on a connection of its own. */
enum mbox_op { OP_CREATE, OP_DELETE, OP_SUBSCRIBE, OP_UNSUBSCRIBE };

static int
mbox_cmd(struct backend_imap_conn *conn, struct store_ctx *sc, enum mbox_op op, const char *mbox,
         struct err *err)
{
	struct imap_session *s = backend_imap_conn_session(conn);
	uint32_t tag;
	int q;

	switch (op) {
	case OP_CREATE:
		q = imap_cmd_create(s, mbox, &tag, err);
		break;
	case OP_DELETE:
		q = imap_cmd_delete(s, mbox, &tag, err);
		break;
	default:
		q = imap_cmd_subscribe(s, mbox, op == OP_SUBSCRIBE, &tag, err);
		break;
	}
	return wait_cmd(conn, sc, q, &tag, err);
}

static int
imap_mbox_op(const struct url *url, const struct backend_params *params, enum mbox_op op,
             struct err *err)
{
	struct backend_imap_acct acct;
	struct backend_imap_conn *conn = NULL;
	struct store_ctx sc;
	struct str mbox = STR_INIT;
	struct err ignored;
	int rc = -1;

	memset(&sc, 0, sizeof(sc));
	if (open_conn(url, params, &acct, &conn, &sc, err) < 0)
		return folder_err(url, err);
	sc.conn = conn;
	if (backend_imap_mailbox(conn, url->path, &mbox, err) < 0)
		goto out;
	if ((op == OP_CREATE || op == OP_DELETE) && strcmp(str_cstr(&mbox), "INBOX") == 0) {
		err_set(err, ERR_USAGE, "INBOX cannot be %s",
		        op == OP_CREATE ? "created" : "removed");
		goto out;
	}
	if (mbox_cmd(conn, &sc, op, str_cstr(&mbox), err) < 0)
		goto out;
	/* A new folder is subscribed, a removed one unsubscribed, so folder
	 * lists of other clients follow; their failure changes nothing. */
	if (op == OP_CREATE)
		mbox_cmd(conn, &sc, OP_SUBSCRIBE, str_cstr(&mbox), &ignored);
	else if (op == OP_DELETE)
		mbox_cmd(conn, &sc, OP_UNSUBSCRIBE, str_cstr(&mbox), &ignored);
	rc = 0;
out:
	close_conn(&acct, &conn);
	str_free(&mbox);
	return rc < 0 ? folder_err(url, err) : 0;
}

int
backend_imap_create_op(const struct url *url, const struct backend_params *params, struct err *err)
{
	return imap_mbox_op(url, params, OP_CREATE, err);
}

int
backend_imap_remove_op(const struct url *url, const struct backend_params *params, struct err *err)
{
	return imap_mbox_op(url, params, OP_DELETE, err);
}

int
backend_imap_subscribe_op(const struct url *url, const struct backend_params *params, int on,
                          struct err *err)
{
	return imap_mbox_op(url, params, on ? OP_SUBSCRIBE : OP_UNSUBSCRIBE, err);
}

int
backend_imap_rename_op(const struct url *from, const struct url *to,
                       const struct backend_params *params, struct err *err)
{
	struct backend_imap_acct acct;
	struct backend_imap_conn *conn = NULL;
	struct store_ctx sc;
	struct str a = STR_INIT, b = STR_INIT;
	struct err ignored;
	uint32_t tag;
	int rc = -1;

	memset(&sc, 0, sizeof(sc));
	if (open_conn(from, params, &acct, &conn, &sc, err) < 0)
		return folder_err(from, err);
	sc.conn = conn;
	if (!backend_imap_acct_same(&acct, to, params)) {
		err_set(err, ERR_UNSUPPORTED,
		        "a folder can only be renamed within its own IMAP account");
		goto out;
	}
	if (backend_imap_mailbox(conn, from->path, &a, err) < 0 ||
	    backend_imap_mailbox(conn, to->path, &b, err) < 0)
		goto out;
	if (wait_cmd(conn, &sc,
	             imap_cmd_rename(backend_imap_conn_session(conn), str_cstr(&a), str_cstr(&b),
	                             &tag, err),
	             &tag, err) < 0)
		goto out;
	mbox_cmd(conn, &sc, OP_UNSUBSCRIBE, str_cstr(&a), &ignored);
	mbox_cmd(conn, &sc, OP_SUBSCRIBE, str_cstr(&b), &ignored);
	rc = 0;
out:
	close_conn(&acct, &conn);
	str_free(&a);
	str_free(&b);
	return rc < 0 ? folder_err(from, err) : 0;
}
