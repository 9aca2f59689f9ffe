/*
 * A POP3 session over net/ as blocking calls (see the header).
 *
 * Everything read is fed to the session at once and its events are taken
 * until it needs more: the session keeps the order of answers, so a
 * FIFO of what was asked maps each answer to its message.
 */
#include "config.h"

#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/backend-pop3-conn.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "net/net-conn.h"
#include "net/net-sasl.h"

#define READ_CHUNK (64 * 1024)
/* batch() keeps its message buffer between answers up to this size. */
#define MSG_KEEP_MAX (16u * 1024 * 1024)

struct backend_pop3_conn {
	struct net_conn *net;
	struct pop3_session *s;
	char *server; /* host:port */
	char *auth;   /* how the login went */
	int cancel_fd;
	bool eof;
	char *rbuf;
	struct str msg;  /* the RETR/TOP answer being received */
	bool lf;         /* msg gets LF line ends (backend_pop3_conn_set_lf) */
	bool cr_pending; /* msg's last piece ended in a CR, not appended yet */
	struct backend_pop3_msg *msgs;
	size_t nmsgs;
	char *uids; /* the unique-ids of msgs, NUL-separated */
};

const char *
backend_pop3_conn_server(const struct backend_pop3_conn *conn)
{
	return conn->server;
}

const char *
backend_pop3_conn_auth(const struct backend_pop3_conn *conn)
{
	return conn->auth != NULL ? conn->auth : "";
}

int
backend_pop3_conn_is_tls(const struct backend_pop3_conn *conn)
{
	return net_conn_is_tls(conn->net);
}

const struct pop3_caps *
backend_pop3_conn_caps(const struct backend_pop3_conn *conn)
{
	return pop3_session_caps(conn->s);
}

void
backend_pop3_conn_set_lf(struct backend_pop3_conn *conn, int on)
{
	conn->lf = on != 0;
}

void
backend_pop3_conn_set_cancel_fd(struct backend_pop3_conn *conn, int fd)
{
	conn->cancel_fd = fd;
	net_conn_set_cancel_fd(conn->net, fd);
}

void
backend_pop3_conn_free(struct backend_pop3_conn **connp)
{
	struct backend_pop3_conn *c = *connp;

	if (c == NULL)
		return;
	/* No QUIT: the server never enters UPDATE, so nothing is deleted. */
	net_conn_free(&c->net);
	pop3_session_free(&c->s);
	free(c->server);
	free(c->auth);
	free(c->rbuf);
	str_free(&c->msg);
	free(c->msgs);
	free(c->uids);
	free(c);
	*connp = NULL;
}

/* ---- moving bytes ---- */

/* Sends what the session has queued; secrets are kept out of the trace. */
static int
send_output(struct backend_pop3_conn *c, struct err *err)
{
	struct pop3_output out;
	struct str buf = STR_INIT;
	size_t public_len = SIZE_MAX;
	int rc = 0;

	while (pop3_session_output(c->s, &out) == 1) {
		if (out.kind == POP3_OUT_SECRET && public_len == SIZE_MAX)
			public_len = buf.len;
		str_append_len(&buf, out.data, out.len);
		pop3_session_consumed(c->s, out.len);
	}
	if (buf.len > 0) {
		if (public_len == SIZE_MAX)
			rc = net_conn_write(c->net, buf.s, buf.len, err);
		else
			rc = net_conn_write_secret(c->net, buf.s, buf.len, public_len, err);
		explicit_bzero(buf.s, buf.len);
	}
	str_free(&buf);
	return rc;
}

/*
 * The next event, reading as much as it takes.  Returns 1, or -1 with
 * err set (the session's failure, or the connection's).
 */
static int
next_event(struct backend_pop3_conn *c, struct pop3_event *ev, struct err *err)
{
	for (;;) {
		size_t n;
		int r = pop3_session_next_event(c->s, ev, err);

		if (r < 0 && err != NULL && strstr(err->msg, c->server) == NULL)
			err_prefix(err, "%s", c->server);
		if (r != 0)
			return r;
		if (send_output(c, err) < 0)
			return -1;
		if (c->eof)
			return err_set(err, ERR_CONN, "%s closed the connection", c->server);
		if (net_conn_read_some(c->net, c->rbuf, READ_CHUNK, &n, err) < 0)
			return -1;
		if (n == 0) {
			c->eof = true;
			pop3_session_eof(c->s);
		} else {
			pop3_session_feed(c->s, c->rbuf, n);
		}
	}
}

/* An event nobody asked for at this point: the session and this file
 * disagree, which is a bug here, not the server's fault. */
static int
unexpected(struct backend_pop3_conn *c, const struct pop3_event *ev, struct err *err)
{
	return err_set(err, ERR_INTERNAL, "%s: unexpected POP3 event %s (%s)", c->server,
	               pop3_event_name(ev->type), pop3_cmd_name(ev->cmd));
}

/* ---- logging in ---- */

/* Is name among the allowed ways (NULL or "": all of them)? */
static bool
way_allowed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	if (list == NULL || *list == '\0')
		return true;
	while (*p != '\0') {
		size_t n;

		p += strspn(p, " \t,:");
		n = strcspn(p, " \t,:");
		if (n == len && strncasecmp(p, name, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* The SASL names of the list (without APOP and USER), for net_sasl; NULL
 * when the list is empty; "" when it names none. */
static char *
sasl_names(const char *list)
{
	struct str out = STR_INIT;
	const char *p = list;

	if (list == NULL || *list == '\0')
		return NULL;
	while (*p != '\0') {
		size_t n;

		p += strspn(p, " \t,:");
		n = strcspn(p, " \t,:");
		if (n > 0 && !(n == 4 && strncasecmp(p, "APOP", 4) == 0) &&
		    !(n == 4 && strncasecmp(p, "USER", 4) == 0)) {
			if (out.len > 0)
				str_append_char(&out, ' ');
			str_append_len(&out, p, n);
		}
		p += n;
	}
	str_append(&out, "");
	return str_detach(&out);
}

int
backend_pop3_apop_digest(const char *timestamp, const char *password, char out[33], struct err *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, timestamp, strlen(timestamp)) == 1 &&
	     EVP_DigestUpdate(ctx, password, strlen(password)) == 1 &&
	     EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 16;
	EVP_MD_CTX_free(ctx);
	explicit_bzero(md + 16, sizeof(md) - 16);
	if (!ok)
		return err_set(err, ERR_INTERNAL, "MD5 for APOP is not available");
	for (unsigned i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	explicit_bzero(md, sizeof(md));
	return 0;
}

/*
 * The server's "[CODE] text" of a refusal, control characters replaced:
 * the part of the session's sentence ("server H:P refused PASS: ...")
 * after its first ": " (the event's code and text fields are not used,
 * as the code does not outlive the parsing of its line).
 */
static const char *
server_words(const struct pop3_event *ev)
{
	const char *p = strstr(ev->err.msg, ": ");

	return p != NULL ? p + 2 : ev->err.msg;
}

/* Waits for the answer to a login command; 0 logged in, -1 with err. */
static int
login_answer(struct backend_pop3_conn *c, const char *user, const char *way, struct err *err)
{
	struct pop3_event ev;

	for (;;) {
		if (next_event(c, &ev, err) < 0)
			return -1;
		if (ev.type == POP3_EV_LOGGED_IN)
			return 0;
		if (ev.type == POP3_EV_FAILED)
			return err_set(err, ev.err.kind, "%s: authentication as %s failed (%s): %s",
			               c->server, user, way, server_words(&ev));
		return unexpected(c, &ev, err);
	}
}

static int
login_sasl(struct backend_pop3_conn *c, struct net_sasl *sasl, const char *mech, const char *user,
           struct err *err)
{
	struct pop3_event ev;
	char *resp = NULL;
	int r, ret = -1;

	r = net_sasl_initial(sasl, &resp, err);
	if (r < 0 || pop3_session_auth(c->s, mech, r == 1 ? resp : NULL, err) < 0)
		goto out;
	net_conn_set_trace_secret(c->net, true);
	for (;;) {
		if (next_event(c, &ev, err) < 0)
			goto out;
		if (ev.type == POP3_EV_AUTH_CHALLENGE) {
			struct err serr;

			if (resp != NULL) {
				explicit_bzero(resp, strlen(resp));
				xfree(&resp);
			}
			if (net_sasl_step(sasl, ev.text, &resp, &serr) < 0) {
				/* Ends the exchange; the -ERR that follows is ours. */
				if (pop3_session_auth_cancel(c->s, err) < 0)
					goto out;
				(void)next_event(c, &ev, err);
				*err = serr;
				goto out;
			}
			if (pop3_session_auth_respond(c->s, resp, err) < 0)
				goto out;
			continue;
		}
		if (ev.type == POP3_EV_LOGGED_IN) {
			net_conn_set_trace_secret(c->net, false);
			if (net_sasl_finish(sasl, NULL, err) < 0)
				goto out;
			break;
		}
		if (ev.type == POP3_EV_FAILED) {
			net_conn_set_trace_secret(c->net, false);
			if (ev.err.kind == ERR_AUTH) {
				net_sasl_err_rejected(sasl, server_words(&ev), err);
			} else {
				*err = ev.err;
			}
			/* The sentence names the server: keep it one line. */
			goto out;
		}
		unexpected(c, &ev, err);
		goto out;
	}
	(void)user;
	ret = 0;
out:
	net_conn_set_trace_secret(c->net, false);
	if (resp != NULL) {
		explicit_bzero(resp, strlen(resp));
		free(resp);
	}
	return ret;
}

/*
 * Logs in the strongest way both sides allow (see the header).  why
 * collects the reasons ways were passed over, for the error when none is
 * left.
 */
static int
login(struct backend_pop3_conn *c, const struct backend_pop3_conn_params *p, struct err *err)
{
	const struct pop3_caps *caps = pop3_session_caps(c->s);
	bool tls = net_conn_is_tls(c->net);
	bool secret_ok = tls || p->allow_plaintext;
	struct str why = STR_INIT;
	char *names = NULL;
	int ret = -1;

	if (p->user == NULL || *p->user == '\0') {
		err_set(err, ERR_USAGE, "%s: no user name to log in with", c->server);
		goto out;
	}
	if (p->password == NULL) {
		err_set(err, ERR_AUTH,
		        "%s: no password for %s: give it in the URL (pop3s://user:password@host), "
		        "pop3_pass or pop3_pass_command",
		        c->server, p->user);
		goto out;
	}
	/* 1. SASL */
	names = sasl_names(p->mechanisms);
	if (caps->sasl && caps->sasl_mechs[0] != '\0' && (names == NULL || *names != '\0')) {
		struct net_sasl_params sp;
		struct net_sasl *sasl;
		const char *mech;
		struct err serr;

		memset(&sp, 0, sizeof(sp));
		sp.user = p->user;
		sp.password = p->password;
		sp.service = "pop";
		sp.host = p->host;
		sp.port = p->port != NULL ? p->port : (p->implicit_tls ? "995" : "110");
		sp.mechs = names;
		sp.tls = tls;
		sp.allow_plaintext = p->allow_plaintext;
		sasl = net_sasl_new(&sp, err);
		if (sasl == NULL)
			goto out;
		if (net_sasl_choose(sasl, caps->sasl_mechs, &mech, &serr) == 0) {
			free(c->auth);
			c->auth = xstrdup(mech);
			ret = login_sasl(c, sasl, mech, p->user, err);
			net_sasl_free(&sasl);
			goto out;
		}
		net_sasl_free(&sasl);
		if (serr.kind != ERR_UNSUPPORTED) {
			*err = serr;
			goto out;
		}
		str_appendf(&why, "; %s", serr.msg);
	}
	/* 2. APOP */
	if (pop3_session_apop_timestamp(c->s) != NULL && way_allowed(p->mechanisms, "APOP")) {
		char digest[33];

		if (!secret_ok) {
			str_append(&why, "; APOP is not used without TLS (pop3_allow_plaintext)");
		} else {
			if (backend_pop3_apop_digest(pop3_session_apop_timestamp(c->s), p->password,
			                             digest, err) < 0)
				goto out;
			ret = pop3_session_apop(c->s, p->user, digest, err);
			explicit_bzero(digest, sizeof(digest));
			if (ret == 0) {
				free(c->auth);
				c->auth = xstrdup("APOP");
				ret = login_answer(c, p->user, "APOP", err);
			}
			goto out;
		}
	}
	if (pop3_session_apop_timestamp(c->s) == NULL && p->mechanisms != NULL &&
	    way_allowed(p->mechanisms, "APOP"))
		str_append(&why, "; the greeting has no APOP timestamp");
	/* 3. USER and PASS: offered, or a server without CAPA (RFC 1939). */
	if ((caps->user || !caps->capa) && way_allowed(p->mechanisms, "USER")) {
		if (!secret_ok) {
			str_append(&why, "; USER/PASS would send the password without TLS "
			                 "(set pop3_allow_plaintext to allow it)");
		} else {
			if (pop3_session_user_pass(c->s, p->user, p->password, err) < 0)
				goto out;
			free(c->auth);
			c->auth = xstrdup("USER");
			ret = login_answer(c, p->user, "USER/PASS", err);
			goto out;
		}
	} else if (p->mechanisms != NULL && way_allowed(p->mechanisms, "USER")) {
		str_append(&why, "; the server does not offer USER/PASS");
		if (!tls)
			str_append(&why, " without TLS");
	}
	err_set(err, ERR_UNSUPPORTED, "%s: no way to log in as %s%s", c->server, p->user,
	        why.len > 0 ? str_cstr(&why) : ": the server offers none that petrel may use");
out:
	free(names);
	str_free(&why);
	return ret;
}

/* ---- opening ---- */

static int
connect_once(const struct backend_pop3_conn_params *p, bool stls, struct backend_pop3_conn **c_r,
             struct err *err)
{
	struct backend_pop3_conn *c = xcalloc(1, sizeof(*c));
	struct net_params np;
	struct pop3_params sp;
	struct pop3_event ev;

	*c_r = NULL;
	c->cancel_fd = p->cancel_fd;
	c->rbuf = xmalloc(READ_CHUNK);
	str_init(&c->msg);
	net_params_init(&np);
	np.host = p->host;
	np.port = p->port != NULL ? p->port : (p->implicit_tls ? "995" : "110");
	np.tls = p->implicit_tls ? NET_TLS_IMPLICIT : (stls ? NET_TLS_STARTTLS : NET_TLS_NONE);
	np.tls_ca_file = p->tls_ca_file;
	np.tls_no_verify = p->tls_no_verify != 0;
	np.connect_timeout_ms = p->connect_timeout_ms;
	np.io_timeout_ms = p->io_timeout_ms;
	np.cancel_fd = p->cancel_fd;
	if (net_conn_open(&np, &c->net, err) < 0)
		goto fail;
	c->server = xstrdup(net_conn_peer(c->net));
	memset(&sp, 0, sizeof(sp));
	sp.server = c->server;
	sp.stls = stls && !p->implicit_tls;
	sp.msg_max = p->msg_max;
	sp.lines_max = p->lines_max;
	c->s = pop3_session_new(&sp);
	for (;;) {
		if (next_event(c, &ev, err) < 0)
			goto fail;
		if (ev.type == POP3_EV_READY)
			break;
		if (ev.type != POP3_EV_STLS) {
			unexpected(c, &ev, err);
			goto fail;
		}
		if (net_conn_starttls(c->net, err) < 0 || pop3_session_tls_done(c->s, err) < 0)
			goto fail;
	}
	log_trace(LOG_CH_BACKEND, "pop3: %s ready%s", c->server,
	          net_conn_is_tls(c->net) ? " over TLS" : "");
	*c_r = c;
	return 0;
fail:
	backend_pop3_conn_free(&c);
	return -1;
}

int
backend_pop3_conn_open(const struct backend_pop3_conn_params *p, struct backend_pop3_conn **conn_r,
                       struct err *err)
{
	struct backend_pop3_conn *c;

	*conn_r = NULL;
	if (connect_once(p, !p->implicit_tls && p->stls > 0, &c, err) < 0)
		return -1;
	/*
	 * STLS when offered: the capabilities are known only now, and the
	 * session upgrades only as its first step, so the connection is made
	 * again asking for it.
	 */
	if (!p->implicit_tls && p->stls == 0 && !net_conn_is_tls(c->net) &&
	    pop3_session_caps(c->s)->stls) {
		backend_pop3_conn_free(&c);
		if (connect_once(p, true, &c, err) < 0)
			return -1;
	}
	if (login(c, p, err) < 0) {
		backend_pop3_conn_free(&c);
		return -1;
	}
	log_trace(LOG_CH_BACKEND, "pop3: %s: logged in as %s (%s)", c->server, p->user,
	          backend_pop3_conn_auth(c));
	*conn_r = c;
	return 0;
}

/* ---- the maildrop ---- */

static int
list_all(struct backend_pop3_conn *c, struct backend_pop3_msg **msgs, size_t *n, struct err *err)
{
	struct pop3_event ev;
	size_t cap = 0;

	*n = 0;
	if (pop3_session_list(c->s, 0, err) < 0 || send_output(c, err) < 0)
		return -1;
	for (;;) {
		if (next_event(c, &ev, err) < 0)
			return -1;
		if (ev.type == POP3_EV_LIST) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				*msgs = xreallocarray(*msgs, cap, sizeof(**msgs));
			}
			(*msgs)[*n].num = ev.msg;
			(*msgs)[*n].size = ev.size;
			(*msgs)[*n].uid = NULL;
			(*n)++;
			continue;
		}
		if (ev.type == POP3_EV_DONE)
			return 0;
		if (ev.type == POP3_EV_FAILED)
			return err_set(err, ev.err.kind, "%s", ev.err.msg);
		return unexpected(c, &ev, err);
	}
}

struct uid_entry {
	size_t msg; /* index in msgs */
	size_t off; /* in the uid text */
};

static int
uid_cmp(const void *a, const void *b, void *text)
{
	const struct uid_entry *x = a, *y = b;

	return strcmp((const char *)text + x->off, (const char *)text + y->off);
}

static int
uidl_all(struct backend_pop3_conn *c, struct backend_pop3_msg *msgs, size_t n, int *has_r,
         struct err *err)
{
	struct pop3_event ev;
	struct str text = STR_INIT;
	struct uid_entry *e = NULL;
	size_t ne = 0, j = 0;
	int ret = -1;

	*has_r = 0;
	free(c->uids);
	c->uids = NULL;
	if (pop3_session_uidl(c->s, 0, err) < 0 || send_output(c, err) < 0)
		goto out;
	e = xcalloc(n ? n : 1, sizeof(*e));
	for (;;) {
		if (next_event(c, &ev, err) < 0)
			goto out;
		if (ev.type == POP3_EV_UIDL) {
			/* Both lists go up: find the message, skipping any
			   the UIDL leaves out. */
			while (j < n && msgs[j].num < ev.msg)
				j++;
			if (j == n || msgs[j].num != ev.msg) {
				log_warn("%s listed a unique-id for message %lu, which LIST did "
				         "not show: ignored",
				         c->server, ev.msg);
				continue;
			}
			if (ev.uid == NULL) {
				log_warn("%s: message %lu: %s; it is fetched by content", c->server,
				         ev.msg, ev.err.msg);
				continue;
			}
			e[ne].msg = j;
			e[ne].off = text.len;
			str_append(&text, ev.uid);
			str_append_char(&text, '\0');
			ne++;
			continue;
		}
		if (ev.type == POP3_EV_DONE) {
			*has_r = 1;
			break;
		}
		if (ev.type == POP3_EV_FAILED) {
			/* No UIDL (RFC 1939 makes it optional). */
			log_trace(LOG_CH_BACKEND, "pop3: %s: no UIDL: %s", c->server, ev.err.msg);
			ret = 0;
			goto out;
		}
		unexpected(c, &ev, err);
		goto out;
	}
	c->uids = text.s != NULL ? text.s : xstrdup("");
	str_init(&text);
	/* A unique-id given to two messages tells neither apart
	   (CVE-2018-14356): both are treated as having none. */
	qsort_r(e, ne, sizeof(*e), uid_cmp, c->uids);
	for (size_t i = 0; i < ne;) {
		size_t k = i + 1;

		while (k < ne && strcmp(c->uids + e[k].off, c->uids + e[i].off) == 0)
			k++;
		if (k - i > 1)
			log_warn("%s gave the unique-id \"%s\" to %zu messages: they are fetched "
			         "by content",
			         c->server, c->uids + e[i].off, k - i);
		else
			msgs[e[i].msg].uid = c->uids + e[i].off;
		i = k;
	}
	ret = 0;
out:
	str_free(&text);
	free(e);
	return ret;
}

int
backend_pop3_conn_scan(struct backend_pop3_conn *c, struct backend_pop3_msg **msgs_r, size_t *n_r,
                       int *has_uidl_r, struct err *err)
{
	*msgs_r = NULL;
	*n_r = 0;
	*has_uidl_r = 0;
	free(c->msgs);
	c->msgs = NULL;
	c->nmsgs = 0;
	if (list_all(c, &c->msgs, &c->nmsgs, err) < 0)
		return -1;
	/* RFC 1939 makes UIDL optional; CAPA says when it is missing. */
	if (!pop3_session_caps(c->s)->capa || pop3_session_caps(c->s)->uidl) {
		if (uidl_all(c, c->msgs, c->nmsgs, has_uidl_r, err) < 0)
			return -1;
	}
	*msgs_r = c->msgs;
	*n_r = c->nmsgs;
	return 0;
}

/* ---- commands on many messages ---- */

size_t
backend_pop3_lf_piece(char *out, const char *in, size_t len, bool *cr_pending)
{
	const char *p = in, *end = in + len;
	char *o = out;

	if (len == 0)
		return 0;
	if (*cr_pending) {
		*cr_pending = false;
		if (*p != '\n')
			*o++ = '\r';
	}
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));
		size_t k = cr != NULL ? (size_t)(cr - p) : (size_t)(end - p);

		memcpy(o, p, k);
		o += k;
		if (cr == NULL)
			break;
		if (cr + 1 == end) {
			*cr_pending = true;
			break;
		}
		if (cr[1] != '\n')
			*o++ = '\r';
		p = cr + 1;
	}
	return (size_t)(o - out);
}

/* One piece of a message onto c->msg with LF line ends, in the copy out
 * of the session's buffer that is made anyway (rather than in a second
 * pass over the whole message). */
static void
append_piece_lf(struct backend_pop3_conn *c, const char *data, size_t len)
{
	str_reserve(&c->msg, len + 1);
	c->msg.len += backend_pop3_lf_piece(c->msg.s + c->msg.len, data, len, &c->cr_pending);
	c->msg.s[c->msg.len] = '\0';
}

static int
issue(struct backend_pop3_conn *c, enum pop3_cmd cmd, unsigned long num, uint64_t size,
      unsigned long lines, struct err *err)
{
	switch (cmd) {
	case POP3_CMD_RETR:
		return pop3_session_retr(c->s, num, size, err);
	case POP3_CMD_TOP:
		return pop3_session_top(c->s, num, lines, err);
	case POP3_CMD_DELE:
		return pop3_session_dele(c->s, num, err);
	default:
		return err_set(err, ERR_INTERNAL, "pop3: no batch for %s", pop3_cmd_name(cmd));
	}
}

static int
batch(struct backend_pop3_conn *c, enum pop3_cmd cmd, const unsigned long *nums,
      const uint64_t *sizes, size_t n, unsigned long lines, backend_pop3_answer_fn *fn, void *ctx,
      struct err *err)
{
	const struct pop3_caps *caps = pop3_session_caps(c->s);
	size_t window = caps->pipelining ? BACKEND_POP3_WINDOW : 1;
	size_t next = 0, done = 0;
	struct backend_pop3_answer a;
	struct pop3_event ev;
	struct err ferr;

	memset(&a, 0, sizeof(a));
	while (done < n) {
		/* Refilled half a window at a time, so that commands go out many
		   to a write rather than one by one. */
		while (next - done <= window / 2 && next < n && next - done < window) {
			do {
				if (issue(c, cmd, nums[next],
				          sizes != NULL ? sizes[next] : POP3_SIZE_UNKNOWN, lines,
				          err) < 0)
					return -1;
				next++;
			} while (next < n && next - done < window);
		}
		if (send_output(c, err) < 0 || next_event(c, &ev, err) < 0)
			return -1;
		switch (ev.type) {
		case POP3_EV_MSG_BEGIN:
			str_reset(&c->msg);
			c->cr_pending = false;
			memset(&a, 0, sizeof(a));
			continue;
		case POP3_EV_MSG_DATA:
			if (c->lf)
				append_piece_lf(c, ev.data, ev.len);
			else
				str_append_len(&c->msg, ev.data, ev.len);
			continue;
		case POP3_EV_SIZE_MISMATCH:
			a.size_mismatch = 1;
			continue;
		case POP3_EV_MSG_INCOMPLETE:
			/* The error follows; the partial message is dropped. */
			str_reset(&c->msg);
			continue;
		case POP3_EV_MSG_END:
			if (c->cr_pending) {
				str_append_char(&c->msg, '\r');
				c->cr_pending = false;
			}
			a.ok = 1;
			a.data = c->msg.s != NULL ? c->msg.s : "";
			a.len = c->msg.len;
			a.received = ev.size;
			break;
		case POP3_EV_DONE:
			if (ev.cmd != cmd)
				return unexpected(c, &ev, err);
			memset(&a, 0, sizeof(a));
			a.ok = 1;
			break;
		case POP3_EV_FAILED:
			if (ev.cmd != cmd)
				return unexpected(c, &ev, err);
			memset(&a, 0, sizeof(a));
			ferr = ev.err;
			a.err = &ferr;
			break;
		default:
			return unexpected(c, &ev, err);
		}
		a.index = done;
		a.num = nums[done];
		a.expected = sizes != NULL ? sizes[done] : POP3_SIZE_UNKNOWN;
		if (ev.msg != nums[done])
			return err_set(err, ERR_INTERNAL, "%s: answer for message %lu, not %lu",
			               c->server, ev.msg, nums[done]);
		done++;
		if (fn(ctx, &a, err) < 0)
			return -1;
		memset(&a, 0, sizeof(a));
		/* One list may hold a whole maildrop: a huge message's buffer
		   is not kept for all the rest. */
		if (c->msg.cap > MSG_KEEP_MAX)
			str_free(&c->msg);
	}
	/* A large message's buffer is not kept for the next one. */
	if (c->msg.cap > 1024 * 1024)
		str_free(&c->msg);
	return 0;
}

int
backend_pop3_conn_retr(struct backend_pop3_conn *c, const unsigned long *nums,
                       const uint64_t *sizes, size_t n, backend_pop3_answer_fn *fn, void *ctx,
                       struct err *err)
{
	return batch(c, POP3_CMD_RETR, nums, sizes, n, 0, fn, ctx, err);
}

int
backend_pop3_conn_top(struct backend_pop3_conn *c, const unsigned long *nums, size_t n,
                      unsigned long lines, backend_pop3_answer_fn *fn, void *ctx, struct err *err)
{
	return batch(c, POP3_CMD_TOP, nums, NULL, n, lines, fn, ctx, err);
}

int
backend_pop3_conn_dele(struct backend_pop3_conn *c, const unsigned long *nums, size_t n,
                       backend_pop3_answer_fn *fn, void *ctx, struct err *err)
{
	return batch(c, POP3_CMD_DELE, nums, NULL, n, 0, fn, ctx, err);
}

/* A command answered by one status line. */
static int
simple(struct backend_pop3_conn *c, enum pop3_cmd cmd, struct err *err)
{
	struct pop3_event ev;
	int rc = cmd == POP3_CMD_RSET ? pop3_session_rset(c->s, err) : pop3_session_noop(c->s, err);

	if (rc < 0 || send_output(c, err) < 0 || next_event(c, &ev, err) < 0)
		return -1;
	if (ev.type == POP3_EV_FAILED)
		return err_set(err, ev.err.kind, "%s", ev.err.msg);
	if (ev.type != POP3_EV_DONE || ev.cmd != cmd)
		return unexpected(c, &ev, err);
	return 0;
}

int
backend_pop3_conn_rset(struct backend_pop3_conn *c, struct err *err)
{
	return simple(c, POP3_CMD_RSET, err);
}

int
backend_pop3_conn_noop(struct backend_pop3_conn *c, struct err *err)
{
	return simple(c, POP3_CMD_NOOP, err);
}

int
backend_pop3_conn_quit(struct backend_pop3_conn *c, enum pop3_update *update_r, struct err *err)
{
	struct pop3_event ev;

	*update_r = POP3_UPDATE_NONE;
	if (pop3_session_quit(c->s, err) < 0 || send_output(c, err) < 0)
		goto unknown;
	if (next_event(c, &ev, err) < 0)
		goto unknown;
	if (ev.type != POP3_EV_CLOSED)
		return unexpected(c, &ev, err);
	*update_r = ev.update;
	if (ev.update == POP3_UPDATE_FAILED || ev.update == POP3_UPDATE_UNKNOWN)
		return err_set(err, ev.err.kind != ERR_NONE ? ev.err.kind : ERR_CONN, "%s",
		               ev.err.msg);
	return 0;
unknown:
	*update_r = pop3_session_update(c->s);
	if (*update_r == POP3_UPDATE_NONE && pop3_session_marked(c->s) > 0)
		*update_r = POP3_UPDATE_UNKNOWN;
	return -1;
}
