/*
 * One IMAP connection (see the header): the session of src/imap fed from
 * a net_conn one line or one piece of literal at a time.
 */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/backend-imap-conn.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "imap/imap-summary.h"
#include "net/net-conn.h"
#include "net/net-sasl.h"

/* Bytes of a literal read at a time. */
#define READ_CHUNK (64 * 1024)
/* Completions nobody waited for yet that are kept. */
#define DONES_MAX 4096
/* The longest LOGOUT may take on close. */
#define LOGOUT_TIMEOUT_MS 2000

struct done {
	uint32_t tag;
	int ok;
	char text[200];
};

struct backend_imap_conn {
	struct net_conn *net;
	struct imap_session *s;
	char *peer;
	backend_imap_event_fn *fn;
	void *ctx;
	int failed;
	struct err failure;
	char bye[200];

	uint64_t lit_in;  /* bytes of a literal still to read */
	uint64_t lit_out; /* bytes of a literal still to write (traced as a count) */
	struct str oline; /* an output line under way */
	size_t oline_public;
	int oline_secret;
	struct str oblock; /* whole public lines waiting to go in one write */
	char *buf;

	struct done *dones;
	size_t n_dones;

	/* AUTHENTICATE under way */
	struct net_sasl *sasl;
	uint32_t auth_tag;
	struct err auth_err;

	/* IDLE under way */
	uint32_t idle_tag;
	int idle_accepted;
	int idle_stop;

	char delim;
	char *prefix;
};

void
backend_imap_conn_params_init(struct backend_imap_conn_params *p)
{
	memset(p, 0, sizeof(*p));
	p->tls = BACKEND_IMAP_TLS_STARTTLS;
	p->cancel_fd = -1;
}

/* Server text for a sentence: printable ASCII only, cut short. */
static void
printable(char *buf, size_t size, const char *text)
{
	size_t i = 0;

	if (text == NULL)
		text = "";
	for (; text[i] != '\0' && i + 1 < size; i++)
		buf[i] =
		    (unsigned char)text[i] >= 0x20 && (unsigned char)text[i] < 0x7f ? text[i] : '?';
	buf[i] = '\0';
}

static int
conn_fail(struct backend_imap_conn *c, const struct err *why, struct err *err)
{
	if (!c->failed) {
		c->failed = 1;
		c->failure = *why;
		if (c->failure.kind == ERR_NONE)
			c->failure.kind = ERR_CONN;
	}
	if (err != NULL)
		*err = c->failure;
	return -1;
}

/* A session error names the server, as net's errors do. */
static int
session_fail(struct backend_imap_conn *c, const struct err *e, struct err *err)
{
	struct err pe = *e;

	if (strncmp(pe.msg, c->peer, strlen(c->peer)) != 0)
		err_prefix(&pe, "%s", c->peer);
	return conn_fail(c, &pe, err);
}

static int
check_usable(struct backend_imap_conn *c, struct err *err)
{
	if (c->failed) {
		if (err != NULL)
			*err = c->failure;
		return -1;
	}
	return 0;
}

void
backend_imap_conn_abort(struct backend_imap_conn *c, const struct err *why)
{
	conn_fail(c, why, NULL);
}

int
backend_imap_conn_failed(const struct backend_imap_conn *c, struct err *err_r)
{
	if (c->failed && err_r != NULL)
		*err_r = c->failure;
	return c->failed;
}

struct imap_session *
backend_imap_conn_session(struct backend_imap_conn *c)
{
	return c->s;
}

const char *
backend_imap_conn_peer(const struct backend_imap_conn *c)
{
	return c->peer;
}

char
backend_imap_conn_delimiter(const struct backend_imap_conn *c)
{
	return c->delim != '\0' ? c->delim : '/';
}

const char *
backend_imap_conn_prefix(const struct backend_imap_conn *c)
{
	return c->prefix != NULL ? c->prefix : "";
}

void
backend_imap_conn_set_handler(struct backend_imap_conn *c, backend_imap_event_fn *fn, void *ctx)
{
	c->fn = fn;
	c->ctx = ctx;
}

void
backend_imap_conn_set_cancel_fd(struct backend_imap_conn *c, int fd)
{
	if (c->net != NULL)
		net_conn_set_cancel_fd(c->net, fd);
}

void
backend_imap_conn_idle_stop(struct backend_imap_conn *c)
{
	c->idle_stop = 1;
}

/* ---- output ---- */

/* "{123}", "{123+}" or "~{123}" at the end of a line (CRLF already cut):
 * the size of the literal that follows, or -1. */
static int
literal_at_end(const char *p, size_t len, int allow_plus, uint64_t *n_r)
{
	uint64_t n = 0, mul = 1;
	size_t i;

	if (len < 3 || p[len - 1] != '}')
		return -1;
	i = len - 2;
	if (p[i] == '+') {
		if (!allow_plus || i == 0)
			return -1;
		i--;
	}
	if (p[i] < '0' || p[i] > '9')
		return -1;
	while (i > 0 && p[i] >= '0' && p[i] <= '9') {
		if (mul > UINT64_MAX / 10 || n > UINT64_MAX - (uint64_t)(p[i] - '0') * mul)
			return -1;
		n += (uint64_t)(p[i] - '0') * mul;
		mul *= 10;
		i--;
	}
	if (p[i] != '{')
		return -1;
	*n_r = n;
	return 0;
}

static int
write_block(struct backend_imap_conn *c, struct err *err)
{
	struct err e;

	if (c->oblock.len == 0)
		return 0;
	if (net_conn_write(c->net, c->oblock.s, c->oblock.len, &e) < 0)
		return conn_fail(c, &e, err);
	str_reset(&c->oblock);
	return 0;
}

/* A whole command line went by: public lines gather into one write, a
 * line with secret bytes goes alone so the trace masks them. */
static int
line_done(struct backend_imap_conn *c, struct err *err)
{
	struct err e;
	uint64_t n;
	size_t len = c->oline.len;

	if (c->oline_secret) {
		if (write_block(c, err) < 0)
			return -1;
		if (net_conn_write_secret(c->net, c->oline.s, c->oline.len, c->oline_public, &e) <
		    0)
			return conn_fail(c, &e, err);
	} else {
		str_append_len(&c->oblock, c->oline.s, c->oline.len);
	}
	while (len > 0 && (c->oline.s[len - 1] == '\n' || c->oline.s[len - 1] == '\r'))
		len--;
	if (literal_at_end(c->oline.s, len, 1, &n) == 0)
		c->lit_out = n;
	str_reset(&c->oline);
	c->oline_secret = 0;
	return 0;
}

static int
out_bytes(struct backend_imap_conn *c, const char *d, size_t len, int secret, struct err *err)
{
	struct err e;

	while (len > 0) {
		if (c->lit_out > 0) {
			size_t n = len < c->lit_out ? len : (size_t)c->lit_out;

			if (write_block(c, err) < 0)
				return -1;
			if (net_conn_write_data(c->net, d, n, &e) < 0)
				return conn_fail(c, &e, err);
			c->lit_out -= n;
			d += n;
			len -= n;
			continue;
		}
		const char *nl = memchr(d, '\n', len);
		size_t n = nl != NULL ? (size_t)(nl - d) + 1 : len;

		if (secret && !c->oline_secret) {
			c->oline_public = c->oline.len;
			c->oline_secret = 1;
		}
		str_append_len(&c->oline, d, n);
		d += n;
		len -= n;
		if (nl != NULL && line_done(c, err) < 0)
			return -1;
	}
	return 0;
}

int
backend_imap_conn_flush(struct backend_imap_conn *c, struct err *err)
{
	const char *d;
	size_t len;
	int secret;

	if (check_usable(c, err) < 0)
		return -1;
	while (imap_session_output(c->s, &d, &len, &secret) == 1) {
		if (out_bytes(c, d, len, secret, err) < 0)
			return -1;
		imap_session_consumed(c->s, len);
	}
	return write_block(c, err);
}

/* ---- input ---- */

static void
record_done(struct backend_imap_conn *c, const struct imap_event *ev)
{
	struct done *d;

	if (c->n_dones == DONES_MAX) {
		memmove(c->dones, c->dones + 1, (DONES_MAX - 1) * sizeof(*c->dones));
		c->n_dones--;
	}
	c->dones = xreallocarray(c->dones, c->n_dones + 1, sizeof(*c->dones));
	d = &c->dones[c->n_dones++];
	d->tag = ev->tag;
	d->ok = ev->status == IMAP_OK;
	printable(d->text, sizeof(d->text), ev->resp != NULL ? ev->resp->text : "");
	if (d->text[0] == '\0')
		snprintf(d->text, sizeof(d->text), "%s", ev->status == IMAP_NO ? "NO" : "BAD");
}

static void
auth_step(struct backend_imap_conn *c, const struct imap_event *ev)
{
	struct err e;
	char *resp = NULL;

	if (c->auth_err.kind != ERR_NONE)
		return;
	if (net_sasl_step(c->sasl, ev->text != NULL ? ev->text : "", &resp, &e) < 0) {
		c->auth_err = e;
		imap_session_auth_response(c->s, "*", NULL);
		return;
	}
	if (imap_session_auth_response(c->s, resp, &e) < 0)
		c->auth_err = e;
	free(resp);
}

static void
dispatch(struct backend_imap_conn *c, const struct imap_event *ev)
{
	switch (ev->kind) {
	case IMAP_EV_BYE:
		printable(c->bye, sizeof(c->bye), ev->text);
		if (c->bye[0] == '\0')
			snprintf(c->bye, sizeof(c->bye), "BYE");
		break;
	case IMAP_EV_DONE:
		record_done(c, ev);
		break;
	case IMAP_EV_CONTINUE:
		if (ev->cmd == IMAP_CMD_AUTHENTICATE && c->sasl != NULL && ev->tag == c->auth_tag) {
			auth_step(c, ev);
			return;
		}
		if (ev->cmd == IMAP_CMD_IDLE && ev->tag == c->idle_tag)
			c->idle_accepted = 1;
		break;
	case IMAP_EV_WARNING:
		log_trace(LOG_CH_PROTO, "%s: %s", c->peer, ev->text != NULL ? ev->text : "");
		break;
	default:
		break;
	}
	if (c->fn != NULL)
		c->fn(c->ctx, ev);
}

static int
drain(struct backend_imap_conn *c, struct err *err)
{
	struct imap_event ev;
	struct err e;
	int r;

	for (;;) {
		r = imap_session_next_event(c->s, &ev, &e);
		if (r == 0)
			return 0;
		if (r < 0)
			return session_fail(c, &e, err);
		dispatch(c, &ev);
	}
}

/* A read that failed: a BYE the server sent first is the better reason. */
static int
read_fail(struct backend_imap_conn *c, struct err *e, struct err *err)
{
	if (c->bye[0] != '\0' && e->kind == ERR_CONN) {
		struct err be;

		err_set(&be, ERR_CONN, "%s: the server closed the connection: %s", c->peer, c->bye);
		return conn_fail(c, &be, err);
	}
	return conn_fail(c, e, err);
}

/* Reads one line, or one piece of a literal, and hands out its events. */
static int
read_step(struct backend_imap_conn *c, struct err *err)
{
	struct err e;
	uint64_t lit = 0;
	int has_lit = 0;

	if (c->lit_in > 0) {
		size_t n = c->lit_in > READ_CHUNK ? READ_CHUNK : (size_t)c->lit_in;

		if (net_conn_read_exact(c->net, c->buf, n, &e) < 0)
			return read_fail(c, &e, err);
		imap_session_feed(c->s, c->buf, n);
		c->lit_in -= n;
	} else {
		const char *line;
		size_t len;

		if (net_conn_read_line(c->net, &line, &len, &e) < 0)
			return read_fail(c, &e, err);
		/* The parser decides whether this really announces a literal;
		 * a count it refuses fails below before anything is read. */
		has_lit = literal_at_end(line, len, 0, &lit) == 0;
		imap_session_feed(c->s, line, len);
		imap_session_feed(c->s, "\r\n", 2);
	}
	if (drain(c, err) < 0)
		return -1;
	if (has_lit)
		c->lit_in = lit;
	return 0;
}

static struct done *
find_done(struct backend_imap_conn *c, uint32_t tag)
{
	for (size_t i = 0; i < c->n_dones; i++)
		if (c->dones[i].tag == tag)
			return &c->dones[i];
	return NULL;
}

int
backend_imap_conn_wait(struct backend_imap_conn *c, uint32_t tag, struct err *err)
{
	struct done *d;

	for (;;) {
		if (backend_imap_conn_flush(c, err) < 0)
			return -1;
		if ((d = find_done(c, tag)) != NULL) {
			int ok = d->ok;

			if (!ok)
				err_set(err, ERR_REJECTED, "%s", d->text);
			memmove(d, d + 1, (size_t)(c->dones + c->n_dones - (d + 1)) * sizeof(*d));
			c->n_dones--;
			return ok ? 0 : -1;
		}
		if (read_step(c, err) < 0)
			return -1;
	}
}

int
backend_imap_conn_poll(struct backend_imap_conn *c, int timeout_ms, struct err *err)
{
	struct err e;
	int r;

	if (backend_imap_conn_flush(c, err) < 0)
		return -1;
	for (;;) {
		r = net_conn_wait_readable(c->net, -1, timeout_ms, &e);
		if (r < 0)
			return read_fail(c, &e, err);
		if (r == 0)
			return 0;
		if (read_step(c, err) < 0)
			return -1;
		/* Read on while more arrived; the first wait was the long one. */
		timeout_ms = 0;
	}
}

static int
fd_readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return fd >= 0 && poll(&pfd, 1, 0) > 0;
}

int
backend_imap_conn_idle(struct backend_imap_conn *c, int wake_fd, int timeout_ms, int *woken_r,
                       struct err *err)
{
	struct err e;
	uint32_t tag;
	int64_t start;
	struct timespec ts;
	int rc = -1;

	if (woken_r != NULL)
		*woken_r = 0;
	if (check_usable(c, err) < 0)
		return -1;
	if (imap_cmd_idle(c->s, &tag, err) < 0)
		return -1;
	c->idle_tag = tag;
	c->idle_accepted = 0;
	c->idle_stop = 0;
	if (backend_imap_conn_flush(c, err) < 0)
		goto out;
	while (!c->idle_accepted) {
		if (find_done(c, tag) != NULL) {
			/* Refused: let wait() report the server's words. */
			rc = backend_imap_conn_wait(c, tag, err);
			if (rc == 0)
				rc = err_set(err, ERR_PROTO, "%s: IDLE ended before it began",
				             c->peer);
			goto out;
		}
		if (read_step(c, err) < 0)
			goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	start = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	while (!c->idle_stop) {
		int left = -1, r;

		if (timeout_ms >= 0) {
			int64_t now;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
			if (now - start >= timeout_ms)
				break;
			left = (int)(timeout_ms - (now - start));
		}
		r = net_conn_wait_readable(c->net, wake_fd, left, &e);
		if (r < 0) {
			read_fail(c, &e, err);
			goto out;
		}
		if (r == 0) {
			if (woken_r != NULL && fd_readable(wake_fd))
				*woken_r = 1;
			break;
		}
		if (read_step(c, err) < 0)
			goto out;
		if (find_done(c, tag) != NULL)
			break; /* the server ended IDLE on its own */
	}
	if (find_done(c, tag) == NULL && imap_session_idle_done(c->s, err) < 0)
		goto out;
	rc = backend_imap_conn_wait(c, tag, err);
out:
	c->idle_tag = 0;
	return rc;
}

/* ---- opening ---- */

static int
capability(struct backend_imap_conn *c, struct err *err)
{
	uint32_t tag;

	if (imap_cmd_capability(c->s, &tag, err) < 0)
		return -1;
	if (backend_imap_conn_wait(c, tag, err) < 0) {
		if (err != NULL && err->kind == ERR_REJECTED)
			err_prefix(err, "%s: CAPABILITY failed", c->peer);
		return -1;
	}
	return 0;
}

/* The AUTH= mechanisms the server offers, space-separated. */
static char *
server_mechs(struct backend_imap_conn *c)
{
	static const char *const known[] = {"OAUTHBEARER", "XOAUTH2",  "SCRAM-SHA-256",
	                                    "SCRAM-SHA-1", "CRAM-MD5", "PLAIN",
	                                    "LOGIN",       "GSSAPI"};
	struct str s = STR_INIT;
	char name[64];

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		snprintf(name, sizeof(name), "AUTH=%s", known[i]);
		if (imap_session_has_cap(c->s, name)) {
			if (s.len > 0)
				str_append_char(&s, ' ');
			str_append(&s, known[i]);
		}
	}
	str_append(&s, "");
	return str_detach(&s);
}

static int
login_plain(struct backend_imap_conn *c, const struct backend_imap_conn_params *p, struct err *err)
{
	uint32_t tag;
	struct err e;

	if (imap_cmd_login(c->s, p->user, p->password, &tag, &e) < 0) {
		if (e.kind == ERR_TLS)
			return err_set(err, ERR_TLS,
			               "%s: refusing to send the password without TLS (set "
			               "imap_allow_plaintext=yes only for a server on a trusted "
			               "network)",
			               c->peer);
		return err_set(err, e.kind == ERR_UNSUPPORTED ? ERR_AUTH : e.kind, "%s: %s",
		               c->peer, e.msg);
	}
	if (backend_imap_conn_wait(c, tag, &e) < 0) {
		if (e.kind == ERR_REJECTED)
			return err_set(err, ERR_AUTH, "%s: login as %s failed: %s", c->peer,
			               p->user, e.msg);
		if (err != NULL)
			*err = e;
		return -1;
	}
	return 0;
}

static int
login_sasl(struct backend_imap_conn *c, const struct backend_imap_conn_params *p, const char *mechs,
           struct err *err)
{
	struct net_sasl_params sp;
	const char *mech;
	char *ir = NULL;
	uint32_t tag;
	struct err e;
	int r, rc = -1;

	memset(&sp, 0, sizeof(sp));
	sp.user = p->user;
	sp.password = p->password;
	sp.token = p->token;
	sp.service = "imap";
	sp.host = p->host;
	sp.port = p->port;
	sp.mechs = p->mechanisms;
	sp.tls = imap_session_tls(c->s);
	sp.allow_plaintext = p->allow_plaintext;
	c->sasl = net_sasl_new(&sp, err);
	if (c->sasl == NULL)
		return -1;
	if (net_sasl_choose(c->sasl, mechs, &mech, err) < 0)
		goto out;
	r = net_sasl_initial(c->sasl, &ir, err);
	if (r < 0)
		goto out;
	err_clear(&c->auth_err);
	if (imap_cmd_authenticate(c->s, mech, r == 1 ? ir : NULL, &tag, err) < 0)
		goto out;
	c->auth_tag = tag;
	net_conn_set_trace_secret(c->net, true);
	r = backend_imap_conn_wait(c, tag, &e);
	net_conn_set_trace_secret(c->net, false);
	if (c->auth_err.kind != ERR_NONE) {
		if (err != NULL)
			*err = c->auth_err;
		err_prefix(err, "%s", c->peer);
		goto out;
	}
	if (r < 0) {
		if (e.kind == ERR_REJECTED) {
			net_sasl_err_rejected(c->sasl, e.msg, err);
			err_prefix(err, "%s: login as %s with %s failed", c->peer, p->user, mech);
		} else if (err != NULL) {
			*err = e;
		}
		goto out;
	}
	if (net_sasl_finish(c->sasl, NULL, err) < 0)
		goto out;
	rc = 0;
out:
	if (ir != NULL) {
		explicit_bzero(ir, strlen(ir));
		free(ir);
	}
	net_sasl_free(&c->sasl);
	return rc;
}

static int
authenticate(struct backend_imap_conn *c, const struct backend_imap_conn_params *p, struct err *err)
{
	char *mechs;
	int rc;

	if (p->user == NULL || p->user[0] == '\0')
		return err_set(err, ERR_AUTH, "%s: no user name to log in with (set imap_user)",
		               c->peer);
	if (p->password == NULL && p->token == NULL)
		return err_set(err, ERR_AUTH, "%s: no password for %s (set imap_pass)", c->peer,
		               p->user);
	mechs = server_mechs(c);
	/*
	 * SASL when the server names mechanisms (it picks the strongest both
	 * sides allow); plain LOGIN when it names none, or when the only
	 * password mechanism it offers is one the SASL client passed over
	 * and LOGIN is not disabled.
	 */
	if (mechs[0] != '\0' || p->token != NULL || p->mechanisms != NULL) {
		struct err e;

		rc = login_sasl(c, p, mechs, &e);
		if (rc < 0 && e.kind == ERR_UNSUPPORTED && p->password != NULL &&
		    p->mechanisms == NULL && !(imap_session_caps(c->s) & IMAP_CAP_LOGINDISABLED))
			rc = login_plain(c, p, err);
		else if (rc < 0 && err != NULL)
			*err = e;
	} else {
		rc = login_plain(c, p, err);
	}
	free(mechs);
	return rc;
}

static int
starttls(struct backend_imap_conn *c, const struct backend_imap_conn_params *p, struct err *err)
{
	uint32_t tag;
	struct err e;

	if (!(imap_session_caps(c->s) & IMAP_CAP_STARTTLS)) {
		if (p->tls == BACKEND_IMAP_TLS_OPTIONAL)
			return 0;
		return err_set(err, ERR_TLS,
		               "%s: the server does not offer STARTTLS, and imap_starttls=required "
		               "(use imaps://, or set imap_starttls=optional to allow plain text)",
		               c->peer);
	}
	if (imap_cmd_starttls(c->s, &tag, err) < 0)
		return -1;
	if (backend_imap_conn_wait(c, tag, &e) < 0) {
		if (e.kind == ERR_REJECTED && p->tls == BACKEND_IMAP_TLS_OPTIONAL)
			return 0;
		if (e.kind == ERR_REJECTED)
			return err_set(err, ERR_TLS, "%s: the server refused STARTTLS: %s", c->peer,
			               e.msg);
		if (err != NULL)
			*err = e;
		return -1;
	}
	/* net throws away whatever came in plain text after the go-ahead. */
	if (net_conn_starttls(c->net, &e) < 0)
		return conn_fail(c, &e, err);
	imap_session_tls_started(c->s);
	if (drain(c, err) < 0)
		return -1;
	return capability(c, err);
}

static int
compress(struct backend_imap_conn *c, struct err *err)
{
	const char *pending;
	size_t len;
	uint32_t tag;
	struct err e;

	if (imap_cmd_compress(c->s, &tag, err) < 0)
		return -1;
	if (backend_imap_conn_wait(c, tag, &e) < 0) {
		if (e.kind == ERR_REJECTED)
			return 0; /* go on without */
		if (err != NULL)
			*err = e;
		return -1;
	}
	imap_session_compress_started(c->s, &pending, &len);
	/* Lines are fed one at a time, so nothing after the OK reached the
	 * session: net inflates whatever it already holds. */
	if (len > 0) {
		err_set(&e, ERR_PROTO, "%s: data arrived with the COMPRESS reply", c->peer);
		return conn_fail(c, &e, err);
	}
	if (net_conn_compress(c->net, &e) < 0)
		return conn_fail(c, &e, err);
	return 0;
}

static void
on_namespace(void *ctx, const struct imap_event *ev)
{
	struct backend_imap_conn *c = ctx;

	if (ev->kind == IMAP_EV_DATA && ev->resp != NULL && ev->resp->type == IMAP_RESP_NAMESPACE &&
	    ev->resp->u.ns[0].n > 0) {
		const struct imap_namespace *ns = &ev->resp->u.ns[0].v[0];

		c->delim = ns->delimiter;
		free(c->prefix);
		c->prefix = xstrdup(ns->prefix != NULL ? ns->prefix : "");
	} else if (ev->kind == IMAP_EV_DATA && ev->resp != NULL &&
	           ev->resp->type == IMAP_RESP_LIST && c->delim == '\0') {
		c->delim = ev->resp->u.list.delimiter;
	}
}

/* ID, ENABLE, COMPRESS and NAMESPACE: each optional, none fatal when the
 * server says no. */
static int
negotiate(struct backend_imap_conn *c, const struct backend_imap_conn_params *p, struct err *err)
{
	static const char *const id[] = {"name", "petrel", "version", PACKAGE_VERSION, NULL};
	unsigned caps = imap_session_caps(c->s), want = 0;
	uint32_t tag, tag2;
	struct err e;

	if (caps & IMAP_CAP_ENABLE) {
		if (caps & IMAP_CAP_CONDSTORE)
			want |= IMAP_ENABLED_CONDSTORE;
		if (caps & IMAP_CAP_QRESYNC)
			want |= IMAP_ENABLED_QRESYNC;
		if (caps & IMAP_CAP_UTF8_ACCEPT)
			want |= IMAP_ENABLED_UTF8_ACCEPT;
	}
	if (want != 0) {
		if (imap_cmd_enable(c->s, want, &tag, err) < 0)
			return -1;
		if (backend_imap_conn_wait(c, tag, &e) < 0 && e.kind != ERR_REJECTED) {
			if (err != NULL)
				*err = e;
			return -1;
		}
	}
	if ((caps & IMAP_CAP_COMPRESS_DEFLATE) && !p->no_compress &&
	    !net_conn_is_compressed(c->net) && compress(c, err) < 0)
		return -1;
	/* ID and NAMESPACE (or a LIST for the delimiter) go together. */
	tag = tag2 = 0;
	if ((caps & IMAP_CAP_ID) && imap_cmd_id(c->s, id, &tag, err) < 0)
		return -1;
	backend_imap_conn_set_handler(c, on_namespace, c);
	if (caps & IMAP_CAP_NAMESPACE) {
		if (imap_cmd_namespace(c->s, &tag2, err) < 0)
			return -1;
	} else if (imap_cmd_list(c->s, "", "", NULL, &tag2, err) < 0) {
		return -1;
	}
	if (tag != 0 && backend_imap_conn_wait(c, tag, &e) < 0 && e.kind != ERR_REJECTED)
		goto fail;
	if (backend_imap_conn_wait(c, tag2, &e) < 0 && e.kind != ERR_REJECTED)
		goto fail;
	backend_imap_conn_set_handler(c, NULL, NULL);
	return 0;
fail:
	backend_imap_conn_set_handler(c, NULL, NULL);
	if (err != NULL)
		*err = e;
	return -1;
}

int
backend_imap_conn_open(const struct backend_imap_conn_params *p, struct backend_imap_conn **conn_r,
                       struct err *err)
{
	struct backend_imap_conn *c;
	struct imap_session_params sp;
	struct net_params np;
	int implicit = p->tls == BACKEND_IMAP_TLS_IMPLICIT;

	*conn_r = NULL;
	net_params_init(&np);
	np.host = p->host;
	np.port = p->port != NULL ? p->port : implicit ? "993" : "143";
	np.tls = implicit                          ? NET_TLS_IMPLICIT
	         : p->tls == BACKEND_IMAP_TLS_NONE ? NET_TLS_NONE
	                                           : NET_TLS_STARTTLS;
	np.tls_ca_file = p->tls_ca_file;
	np.tls_no_verify = p->tls_no_verify;
	np.connect_timeout_ms = p->connect_timeout_ms;
	np.io_timeout_ms = p->io_timeout_ms;
	np.line_max = IMAP_PARSER_LINE_MAX;
	np.cancel_fd = p->cancel_fd;

	c = xcalloc(1, sizeof(*c));
	c->buf = xmalloc(READ_CHUNK);
	if (net_conn_open(&np, &c->net, err) < 0)
		goto fail;
	c->peer = xstrdup(net_conn_peer(c->net));
	memset(&sp, 0, sizeof(sp));
	sp.tls = implicit;
	sp.allow_plaintext = p->allow_plaintext;
	sp.require_tls = p->tls == BACKEND_IMAP_TLS_STARTTLS || implicit;
	c->s = imap_session_new(&sp);
	log_trace(LOG_CH_NET, "%s: connected%s", c->peer, implicit ? " with TLS" : "");
	while (imap_session_state(c->s) == IMAP_STATE_GREETING) {
		if (read_step(c, err) < 0)
			goto fail;
	}
	if (imap_session_state(c->s) == IMAP_STATE_LOGOUT) {
		err_set(err, ERR_CONN, "%s: the server refused the connection: %s", c->peer,
		        c->bye);
		goto fail;
	}
	if (!imap_session_caps_known(c->s) && capability(c, err) < 0)
		goto fail;
	if (!imap_session_tls(c->s) && p->tls != BACKEND_IMAP_TLS_NONE && starttls(c, p, err) < 0)
		goto fail;
	if (imap_session_state(c->s) == IMAP_STATE_NOT_AUTHENTICATED) {
		if (authenticate(c, p, err) < 0)
			goto fail;
		if (!imap_session_caps_known(c->s) && capability(c, err) < 0)
			goto fail;
	}
	if (negotiate(c, p, err) < 0)
		goto fail;
	*conn_r = c;
	return 0;
fail:
	if (c->failed && err != NULL && err->kind == ERR_NONE)
		*err = c->failure;
	c->failed = 1;
	backend_imap_conn_free(&c);
	return -1;
}

void
backend_imap_conn_free(struct backend_imap_conn **connp)
{
	struct backend_imap_conn *c = *connp;

	if (c == NULL)
		return;
	if (!c->failed && c->s != NULL && imap_session_state(c->s) != IMAP_STATE_LOGOUT &&
	    imap_session_in_flight(c->s) == 0) {
		uint32_t tag;

		/* A courtesy: the server need not wait for its own timeout.
		 * The answer is not waited for beyond a short while. */
		net_conn_set_cancel_fd(c->net, -1);
		if (imap_cmd_logout(c->s, &tag, NULL) == 0 &&
		    backend_imap_conn_flush(c, NULL) == 0) {
			struct err e;

			while (!c->failed && find_done(c, tag) == NULL &&
			       net_conn_wait_readable(c->net, -1, LOGOUT_TIMEOUT_MS, &e) == 1)
				if (read_step(c, NULL) < 0)
					break;
		}
	}
	net_sasl_free(&c->sasl);
	imap_session_free(&c->s);
	net_conn_free(&c->net);
	str_free(&c->oline);
	str_free(&c->oblock);
	free(c->dones);
	free(c->prefix);
	free(c->peer);
	free(c->buf);
	free(c);
	*connp = NULL;
}

/* ---- the summary decoder ---- */

/* FETCHes handed to the thread at a time: fewer wake-ups, and the first
 * batch still starts while the rest of a window is read. */
#define DECODE_BATCH 64
/* Empty batches kept for reuse. */
#define DECODE_SPARE 8

struct decode_job {
	struct imap_fetch fe;
	struct imap_fetch_body sec;
	size_t off; /* of the header bytes in the batch's bytes */
	struct arena *arena;
	size_t tag;
	struct mime_summary sum;
};

struct decode_batch {
	struct decode_batch *next;
	struct decode_job *jobs;
	size_t n, cap;
	char *bytes;
	size_t len, cap_bytes;
};

struct backend_imap_decoder {
	pthread_t thread;
	int started;
	int failed; /* the thread could not start: push() says -1 */
	pthread_mutex_t lock;
	pthread_cond_t work; /* queued or quit */
	pthread_cond_t idle; /* the queue emptied */
	int quit;
	int busy; /* the thread is decoding a batch it took */
	/* Under lock: batches to decode, then decoded, both in push order. */
	struct decode_batch *queue, **queue_tail;
	struct decode_batch *done, **done_tail;
	/* The worker's: the batch being filled, and empty ones to reuse. */
	struct decode_batch *cur;
	struct decode_batch *spare;
};

static void
decode_batch_run(struct decode_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct decode_job *j = &b->jobs[i];

		/* The bytes may have moved while the batch grew. */
		j->sec.data = b->bytes + j->off;
		j->fe.sections = &j->sec;
		imap_summary_from_fetch(j->arena, &j->fe, &j->sum);
	}
}

static void *
decoder_main(void *arg)
{
	struct backend_imap_decoder *d = arg;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		struct decode_batch *b;

		while (d->queue == NULL && !d->quit)
			pthread_cond_wait(&d->work, &d->lock);
		if (d->queue == NULL)
			break;
		b = d->queue;
		d->queue = b->next;
		if (d->queue == NULL)
			d->queue_tail = &d->queue;
		d->busy = 1;
		pthread_mutex_unlock(&d->lock);
		decode_batch_run(b);
		pthread_mutex_lock(&d->lock);
		d->busy = 0;
		b->next = NULL;
		*d->done_tail = b;
		d->done_tail = &b->next;
		if (d->queue == NULL)
			pthread_cond_signal(&d->idle);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct backend_imap_decoder *
backend_imap_decoder_new(void)
{
	struct backend_imap_decoder *d = xcalloc(1, sizeof(*d));

	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->work, NULL);
	pthread_cond_init(&d->idle, NULL);
	d->queue_tail = &d->queue;
	d->done_tail = &d->done;
	return d;
}

static void
decode_batch_free_list(struct decode_batch *b)
{
	while (b != NULL) {
		struct decode_batch *next = b->next;

		free(b->jobs);
		free(b->bytes);
		free(b);
		b = next;
	}
}

/* Hands the batch being filled to the thread. */
static void
decoder_submit(struct backend_imap_decoder *d)
{
	struct decode_batch *b = d->cur;

	if (b == NULL || b->n == 0)
		return;
	d->cur = NULL;
	b->next = NULL;
	pthread_mutex_lock(&d->lock);
	*d->queue_tail = b;
	d->queue_tail = &b->next;
	pthread_cond_signal(&d->work);
	pthread_mutex_unlock(&d->lock);
}

static struct decode_batch *
decoder_collect(struct backend_imap_decoder *d)
{
	struct decode_batch *done;

	decoder_submit(d);
	pthread_mutex_lock(&d->lock);
	while (d->queue != NULL || d->busy)
		pthread_cond_wait(&d->idle, &d->lock);
	done = d->done;
	d->done = NULL;
	d->done_tail = &d->done;
	pthread_mutex_unlock(&d->lock);
	return done;
}

void
backend_imap_decoder_free(struct backend_imap_decoder **dp)
{
	struct backend_imap_decoder *d = *dp;

	if (d == NULL)
		return;
	if (d->started) {
		decode_batch_free_list(decoder_collect(d));
		pthread_mutex_lock(&d->lock);
		d->quit = 1;
		pthread_cond_signal(&d->work);
		pthread_mutex_unlock(&d->lock);
		pthread_join(d->thread, NULL);
	}
	decode_batch_free_list(d->cur);
	decode_batch_free_list(d->spare);
	pthread_cond_destroy(&d->idle);
	pthread_cond_destroy(&d->work);
	pthread_mutex_destroy(&d->lock);
	free(d);
	*dp = NULL;
}

int
backend_imap_decoder_push(struct backend_imap_decoder *d, const struct imap_fetch *fe,
                          struct arena *arena, size_t tag)
{
	const struct imap_fetch_body *hdr = NULL;
	struct decode_batch *b;
	struct decode_job *j;

	if (d->failed)
		return -1;
	/* The section imap_summary_from_fetch() would take. */
	for (size_t i = 0; i < fe->n_sections && hdr == NULL; i++) {
		const struct imap_fetch_body *s = &fe->sections[i];

		if (s->data == NULL || s->has_origin)
			continue;
		if (s->kind == IMAP_SECTION_RFC822_HEADER || s->kind == IMAP_SECTION_RFC822 ||
		    (s->kind == IMAP_SECTION_BODY &&
		     (s->section[0] == '\0' || strncmp(s->section, "HEADER", 6) == 0)))
			hdr = s;
	}
	if (hdr == NULL)
		return -1;
	if (!d->started) {
		if (pthread_create(&d->thread, NULL, decoder_main, d) != 0) {
			log_trace(LOG_CH_BACKEND, "no summary decoding thread: decoding in line");
			d->failed = 1;
			return -1;
		}
		d->started = 1;
	}
	if ((b = d->cur) == NULL) {
		if ((b = d->spare) != NULL) {
			d->spare = b->next;
			b->n = b->len = 0;
		} else {
			b = xcalloc(1, sizeof(*b));
		}
		b->next = NULL;
		d->cur = b;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : DECODE_BATCH;
		b->jobs = xreallocarray(b->jobs, b->cap, sizeof(*b->jobs));
	}
	if (hdr->len > b->cap_bytes - b->len) {
		while (hdr->len > b->cap_bytes - b->len)
			b->cap_bytes = b->cap_bytes ? b->cap_bytes * 2 : 64 * 1024;
		b->bytes = xrealloc(b->bytes, b->cap_bytes);
	}
	j = &b->jobs[b->n++];
	/* Only what imap_summary_from_fetch() reads; the rest points into
	 * the parser's buffers, which the next response reuses. */
	memset(&j->fe, 0, sizeof(j->fe));
	j->fe.seq = fe->seq;
	j->fe.present = fe->present & (IMAP_FETCH_UID | IMAP_FETCH_FLAGS | IMAP_FETCH_INTERNALDATE |
	                               IMAP_FETCH_RFC822_SIZE | IMAP_FETCH_BODY);
	j->fe.uid = fe->uid;
	j->fe.flags.bits = fe->flags.bits;
	j->fe.internaldate_time = fe->internaldate_time;
	j->fe.rfc822_size = fe->rfc822_size;
	j->fe.n_sections = 1;
	j->sec = *hdr;
	j->sec.section = hdr->kind == IMAP_SECTION_BODY ? "HEADER" : "";
	j->off = b->len;
	memcpy(b->bytes + b->len, hdr->data, (size_t)hdr->len);
	b->len += (size_t)hdr->len;
	j->arena = arena;
	j->tag = tag;
	if (b->n >= DECODE_BATCH)
		decoder_submit(d);
	return 0;
}

void
backend_imap_decoder_drain(struct backend_imap_decoder *d, backend_imap_decoded_fn *fn, void *ctx)
{
	struct decode_batch *done, *b;

	if (d == NULL || !d->started)
		return;
	done = decoder_collect(d);
	for (b = done; b != NULL; b = b->next)
		for (size_t i = 0; i < b->n; i++)
			fn(ctx, b->jobs[i].tag, &b->jobs[i].sum);
	/* Keep a few for the next pushes. */
	for (size_t kept = 0; done != NULL && kept < DECODE_SPARE; kept++) {
		b = done;
		done = b->next;
		b->next = d->spare;
		d->spare = b;
	}
	decode_batch_free_list(done);
}
