#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backend/backend-smtp.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "mime/mime-7bit.h"
#include "mime/mime-header.h"
#include "net/net-conn.h"
#include "net/net-sasl.h"
#include "smtp/smtp-dot.h"

/* Message bytes handed to the session at a time: the output is written
 * before the next piece, so memory stays bounded for any message size. */
#define WRITE_CHUNK (64 * 1024)

struct backend_smtp {
	struct net_conn *conn;
	struct smtp_session *s;
	char *peer;
	char *mech;
	bool dead;        /* the connection failed or was closed */
	bool end_written; /* the end of the current message went out whole */
	bool tls_started; /* the server agreed to STARTTLS */
	struct str wbuf;  /* commands gathered for one write */
	/* Results of the last message. */
	struct backend_smtp_rcpt *rcpts;
	char **replies;
	size_t n_rcpts;
};

void
backend_smtp_params_init(struct backend_smtp_params *params)
{
	memset(params, 0, sizeof(*params));
	params->tls = BACKEND_SMTP_TLS_STARTTLS;
	params->cancel_fd = -1;
}

static void
clear_rcpts(struct backend_smtp *c)
{
	for (size_t i = 0; i < c->n_rcpts; i++)
		free(c->replies[i]);
	free(c->replies);
	free(c->rcpts);
	c->replies = NULL;
	c->rcpts = NULL;
	c->n_rcpts = 0;
}

static void
conn_free(struct backend_smtp *c)
{
	if (c == NULL)
		return;
	clear_rcpts(c);
	smtp_session_free(&c->s);
	net_conn_free(&c->conn);
	if (c->wbuf.cap > 0)
		explicit_bzero(c->wbuf.s, c->wbuf.cap);
	str_free(&c->wbuf);
	free(c->peer);
	free(c->mech);
	free(c);
}

/* --- moving bytes between the session and the connection --- */

static int
write_gathered(struct backend_smtp *c, bool secret, size_t public_len, struct err *err)
{
	int rc;

	if (c->wbuf.len == 0)
		return 0;
	if (secret)
		rc = net_conn_write_secret(c->conn, c->wbuf.s, c->wbuf.len, public_len, err);
	else
		rc = net_conn_write(c->conn, c->wbuf.s, c->wbuf.len, err);
	if (secret)
		explicit_bzero(c->wbuf.s, c->wbuf.cap);
	str_reset(&c->wbuf);
	return rc;
}

/*
 * Writes everything the session has to send.  Commands go out gathered
 * in one write (a pipelined MAIL, RCPT... group is one packet); a line
 * with SASL data is traced up to where the secret starts; message bytes
 * go straight from the session's buffer and are traced as a count.
 *
 * Without a protocol trace, a small message goes in the same write as
 * the commands around it (MAIL, RCPT, BDAT LAST and the message; the
 * message and DATA's final dot).  Two writes would let the server
 * answer in two pieces, and a server without TCP_NODELAY then holds the
 * second one back until this side acknowledges the first (Postfix
 * 3.7: some 25 ms more a message).  With a trace, the message keeps its
 * own write so that the trace shows it as a byte count only.
 */
static int
flush_out(struct backend_smtp *c, struct err *err)
{
	struct smtp_output o;
	bool secret = false;
	size_t public_len = 0;
	bool gather = !log_channel_enabled(LOG_CH_PROTO);

	while (smtp_session_output(c->s, &o)) {
		if (o.kind == SMTP_OUT_PAYLOAD && gather && !secret &&
		    c->wbuf.len + o.len <= WRITE_CHUNK) {
			str_append_len(&c->wbuf, o.data, o.len);
			smtp_session_consumed(c->s, o.len);
			continue;
		}
		if (o.kind == SMTP_OUT_PAYLOAD) {
			if (write_gathered(c, secret, public_len, err) < 0)
				goto fail;
			secret = false;
			if (net_conn_write_data(c->conn, o.data, o.len, err) < 0)
				goto fail;
			smtp_session_consumed(c->s, o.len);
			continue;
		}
		if (o.kind == SMTP_OUT_SECRET && !secret) {
			secret = true;
			public_len = c->wbuf.len;
		}
		str_append_len(&c->wbuf, o.data, o.len);
		smtp_session_consumed(c->s, o.len);
	}
	if (write_gathered(c, secret, public_len, err) < 0)
		goto fail;
	return 0;
fail:
	if (c->wbuf.cap > 0)
		explicit_bzero(c->wbuf.s, c->wbuf.cap);
	str_reset(&c->wbuf);
	c->dead = true;
	return -1;
}

/*
 * The next event of the session, reading replies line by line (so the
 * trace shows each one) whenever the session needs input.  Returns 1
 * with *ev, or -1 with *err; the caller never asks while the session
 * waits for a decision.  A failed read ends the connection: when the
 * server just closed it, the session's own sentence says what became of
 * the message; otherwise the network's does.
 */
static int
next_event(struct backend_smtp *c, struct smtp_event *ev, struct err *err)
{
	for (;;) {
		const char *line;
		size_t len;
		struct err rerr;
		int r;

		/* Events first: what the session has to send goes out only
		   when it must wait for the server, so commands queued across
		   events (the envelope and a BDAT with the message) share one
		   write. */
		r = smtp_session_next_event(c->s, ev, err);
		if (r < 0)
			c->dead = true;
		if (r != 0)
			return r;
		if (smtp_session_output_pending(c->s) > 0) {
			if (flush_out(c, err) < 0)
				return -1;
			continue;
		}
		if (c->dead) {
			/* Nothing more can come: let the session say why. */
			smtp_session_eof(c->s);
			r = smtp_session_next_event(c->s, ev, err);
			if (r != 0)
				return r < 0 ? -1 : 1;
			return err_set(err, ERR_CONN, "connection to %s lost", c->peer);
		}
		if (net_conn_read_line(c->conn, &line, &len, &rerr) < 0) {
			c->dead = true;
			if (rerr.kind == ERR_CONN) {
				smtp_session_eof(c->s);
				r = smtp_session_next_event(c->s, ev, err);
				if (r != 0)
					return r < 0 ? -1 : 1;
			}
			*err = rerr;
			return -1;
		}
		smtp_session_feed(c->s, line, len);
		smtp_session_feed(c->s, "\r\n", 2);
	}
}

/* --- connecting --- */

static int
do_starttls(struct backend_smtp *c, struct err *err)
{
	if (net_conn_starttls(c->conn, err) < 0) {
		c->dead = true;
		return -1;
	}
	return smtp_session_tls_done(c->s, err);
}

/* Up to EV_READY: greeting, EHLO, STARTTLS and EHLO again. */
static int
greet(struct backend_smtp *c, struct err *err)
{
	struct smtp_event ev;

	for (;;) {
		if (next_event(c, &ev, err) < 0)
			return -1;
		switch (ev.type) {
		case SMTP_EV_READY:
			return 0;
		case SMTP_EV_STARTTLS:
			c->tls_started = true;
			if (do_starttls(c, err) < 0)
				return -1;
			break;
		case SMTP_EV_CLOSED:
			c->dead = true;
			*err = ev.err;
			return -1;
		default:
			c->dead = true;
			return err_set(err, ERR_PROTO,
			               "%s: unexpected %s before the session was ready", c->peer,
			               smtp_event_name(ev.type));
		}
	}
}

/* Ends an AUTH exchange the client gave up on, keeping why in *err. */
static int
auth_abandon(struct backend_smtp *c, const struct err *why, struct err *err)
{
	struct smtp_event ev;
	struct err ignored;

	memset(&ev, 0, sizeof(ev));
	*err = *why;
	if (smtp_session_auth_cancel(c->s, &ignored) < 0)
		return -1;
	while (next_event(c, &ev, &ignored) == 1) {
		if (ev.type == SMTP_EV_FAILED || ev.type == SMTP_EV_AUTH_DONE)
			break;
		if (ev.type == SMTP_EV_CLOSED) {
			c->dead = true;
			break;
		}
	}
	/* A server that says yes to a cancelled exchange is not to be
	   trusted with messages. */
	if (ev.type == SMTP_EV_AUTH_DONE)
		c->dead = true;
	return -1;
}

static int
authenticate(struct backend_smtp *c, const struct backend_smtp_params *p, struct err *err)
{
	const struct smtp_caps *caps = smtp_session_caps(c->s);
	struct net_sasl_params sp;
	struct net_sasl *sasl = NULL;
	struct smtp_event ev;
	const char *mech;
	char *resp = NULL, *mechs = NULL;
	int rc = -1, r;

	if (!caps->auth) {
		err_set(err, ERR_UNSUPPORTED,
		        "%s does not offer authentication (AUTH)%s: cannot log in as %s", c->peer,
		        smtp_session_tls_active(c->s) || net_conn_is_tls(c->conn) ? ""
		                                                                  : " without TLS",
		        p->user);
		goto out;
	}
	if (p->password == NULL && p->token == NULL) {
		err_set(err, ERR_AUTH, "%s: no password for %s", c->peer, p->user);
		goto out;
	}
	/* The configuration lists mechanisms with colons too. */
	if (p->mechanisms != NULL) {
		mechs = xstrdup(p->mechanisms);
		for (char *q = mechs; *q != '\0'; q++)
			if (*q == ':')
				*q = ' ';
	}
	memset(&sp, 0, sizeof(sp));
	sp.user = p->user;
	sp.password = p->password;
	sp.token = p->token;
	sp.service = "smtp";
	sp.host = p->host;
	sp.port = p->port != NULL && *p->port != '\0'   ? p->port
	          : p->tls == BACKEND_SMTP_TLS_IMPLICIT ? "465"
	                                                : "587";
	sp.mechs = mechs;
	sp.tls = net_conn_is_tls(c->conn);
	sp.allow_plaintext = p->allow_plaintext;
	sasl = net_sasl_new(&sp, err);
	if (sasl == NULL)
		goto out;
	if (net_sasl_choose(sasl, caps->auth_mechs, &mech, err) < 0)
		goto out;
	r = net_sasl_initial(sasl, &resp, err);
	if (r < 0)
		goto out;
	if (smtp_session_auth(c->s, mech, r == 1 ? resp : NULL, err) < 0)
		goto out;
	/* The command itself shows in the trace up to its initial response;
	   everything after it, both ways, is SASL data. */
	if (flush_out(c, err) < 0)
		goto out;
	net_conn_set_trace_secret(c->conn, true);
	for (;;) {
		if (resp != NULL) {
			explicit_bzero(resp, strlen(resp));
			xfree(&resp);
		}
		if (next_event(c, &ev, err) < 0)
			goto out;
		if (ev.type == SMTP_EV_AUTH_CHALLENGE) {
			struct err serr;

			if (net_sasl_step(sasl, ev.challenge, &resp, &serr) < 0) {
				auth_abandon(c, &serr, err);
				goto out;
			}
			if (smtp_session_auth_respond(c->s, resp, err) < 0)
				goto out;
			continue;
		}
		if (ev.type == SMTP_EV_AUTH_DONE) {
			if (net_sasl_finish(sasl, NULL, err) < 0) {
				/* The server never proved it knows the
				   password (SCRAM): do not use it. */
				c->dead = true;
				goto out;
			}
			break;
		}
		if (ev.type == SMTP_EV_FAILED) {
			char text[ERR_MSG_MAX];

			text[0] = '\0';
			if (ev.reply != NULL)
				smtp_reply_describe(ev.reply, text, sizeof(text));
			net_sasl_err_rejected(sasl, text, err);
			/* 454 and the like: try again later. */
			if (ev.reply != NULL && ev.reply->code < 500)
				err->kind = ERR_CONN;
			goto out;
		}
		if (ev.type == SMTP_EV_CLOSED) {
			c->dead = true;
			*err = ev.err;
			goto out;
		}
		c->dead = true;
		err_set(err, ERR_PROTO, "%s: unexpected %s during authentication", c->peer,
		        smtp_event_name(ev.type));
		goto out;
	}
	c->mech = xstrdup(mech);
	log_trace(LOG_CH_NET, "%s: authenticated as %s with %s", c->peer, p->user, mech);
	rc = 0;
out:
	net_conn_set_trace_secret(c->conn, false);
	if (resp != NULL) {
		explicit_bzero(resp, strlen(resp));
		free(resp);
	}
	free(mechs);
	net_sasl_free(&sasl);
	return rc;
}

static void
net_params_of(const struct backend_smtp_params *p, bool implicit, struct net_params *np)
{
	net_params_init(np);
	np->host = p->host;
	np->port = p->port != NULL && *p->port != '\0' ? p->port : implicit ? "465" : "587";
	np->tls = implicit                          ? NET_TLS_IMPLICIT
	          : p->tls == BACKEND_SMTP_TLS_NONE ? NET_TLS_NONE
	                                            : NET_TLS_STARTTLS;
	np->tls_ca_file = p->tls_ca_file;
	np->tls_no_verify = p->tls_no_verify;
	if (p->connect_timeout_ms > 0)
		np->connect_timeout_ms = p->connect_timeout_ms;
	if (p->io_timeout_ms > 0)
		np->io_timeout_ms = p->io_timeout_ms;
	/* Replies are bounded by the session's parser; a longer line (or
	   one that never ends) is refused as soon as it passes that. */
	np->line_max = SMTP_REPLY_LINE_MAX_DEFAULT;
	np->cancel_fd = p->cancel_fd;
}

/* Sets up the session on an open connection and logs in. */
static int
start(struct backend_smtp *c, const struct backend_smtp_params *p, bool starttls, struct err *err)
{
	struct smtp_params sp;

	c->peer = xstrdup(net_conn_peer(c->conn));
	memset(&sp, 0, sizeof(sp));
	sp.helo_name = p->helo_name != NULL && *p->helo_name != '\0' ? p->helo_name : "localhost";
	sp.server = c->peer;
	sp.starttls = starttls;
	sp.no_pipelining = p->no_pipelining;
	sp.no_chunking = p->no_chunking;
	c->s = smtp_session_new(&sp, err);
	if (c->s == NULL)
		return -1;
	if (greet(c, err) < 0)
		return -1;
	if (p->user != NULL && *p->user != '\0' && authenticate(c, p, err) < 0)
		return -1;
	log_trace(LOG_CH_NET, "%s: ready to send%s", c->peer,
	          net_conn_is_tls(c->conn) ? " over TLS" : " in plain text");
	return 0;
}

/* Did the server leave STARTTLS out of its EHLO reply, or refuse it?  (A
 * failed handshake is not that: the server agreed.) */
static bool
starttls_missing(const struct backend_smtp *c, const struct err *err)
{
	if (c->s == NULL || c->tls_started || net_conn_is_tls(c->conn))
		return false;
	if (err->kind == ERR_TLS)
		return true;
	return err->kind == ERR_UNSUPPORTED && !smtp_session_caps(c->s)->starttls;
}

static int
open_common(const struct backend_smtp_params *p, int fd, struct backend_smtp **conn_r,
            struct err *err)
{
	bool implicit = p->tls == BACKEND_SMTP_TLS_IMPLICIT;
	bool starttls = p->tls == BACKEND_SMTP_TLS_STARTTLS || p->tls == BACKEND_SMTP_TLS_OPTIONAL;
	struct net_params np;
	struct backend_smtp *c;
	int rc;

	*conn_r = NULL;
	for (int attempt = 0;; attempt++) {
		net_params_of(p, implicit, &np);
		if (!starttls && !implicit)
			np.tls = NET_TLS_NONE;
		c = xcalloc(1, sizeof(*c));
		str_init(&c->wbuf);
		if (fd >= 0)
			rc = net_conn_open_fd(&np, fd, &c->conn, err);
		else
			rc = net_conn_open(&np, &c->conn, err);
		fd = -1;
		if (rc == 0 && start(c, p, starttls, err) == 0)
			break;
		/* Optional TLS: a server that does not offer STARTTLS (or
		   refuses it) gets a second, plain-text connection.  A failed
		   handshake does not: that is no server's choice. */
		if (rc == 0 && p->tls == BACKEND_SMTP_TLS_OPTIONAL && attempt == 0 &&
		    starttls_missing(c, err)) {
			log_trace(LOG_CH_NET,
			          "%s: no STARTTLS (%s): connecting again in plain text", c->peer,
			          err->msg);
			conn_free(c);
			starttls = false;
			continue;
		}
		conn_free(c);
		return -1;
	}
	*conn_r = c;
	return 0;
}

int
backend_smtp_open(const struct backend_smtp_params *params, struct backend_smtp **conn_r,
                  struct err *err)
{
	return open_common(params, -1, conn_r, err);
}

int
backend_smtp_open_fd(const struct backend_smtp_params *params, int fd, struct backend_smtp **conn_r,
                     struct err *err)
{
	/* A socket cannot be opened twice: no plain-text second try. */
	struct backend_smtp_params p = *params;

	if (p.tls == BACKEND_SMTP_TLS_OPTIONAL)
		p.tls = BACKEND_SMTP_TLS_STARTTLS;
	return open_common(&p, fd, conn_r, err);
}

void
backend_smtp_close(struct backend_smtp **connp)
{
	struct backend_smtp *c = *connp;
	struct err err;

	if (c == NULL)
		return;
	/* QUIT, without waiting for the answer: it changes nothing, and a
	   server that never gives it must not hold petrel up. */
	if (!c->dead && c->s != NULL && smtp_session_quit(c->s, &err) == 0)
		(void)flush_out(c, &err);
	conn_free(c);
	*connp = NULL;
}

bool
backend_smtp_usable(const struct backend_smtp *c)
{
	return c != NULL && !c->dead;
}

const char *
backend_smtp_peer(const struct backend_smtp *c)
{
	return c->peer;
}

const char *
backend_smtp_auth_mech(const struct backend_smtp *c)
{
	return c->mech;
}

const struct smtp_caps *
backend_smtp_caps(const struct backend_smtp *c)
{
	return smtp_session_caps(c->s);
}

void
backend_smtp_set_cancel_fd(struct backend_smtp *c, int fd)
{
	net_conn_set_cancel_fd(c->conn, fd);
}

/* --- sending --- */

static void
copy_rcpts(struct backend_smtp *c, struct backend_smtp_result *res)
{
	const struct smtp_rcpt_result *rr;
	size_t n;

	clear_rcpts(c);
	rr = smtp_session_rcpts(c->s, &n);
	c->rcpts = xcalloc(n ? n : 1, sizeof(*c->rcpts));
	c->replies = xcalloc(n ? n : 1, sizeof(*c->replies));
	c->n_rcpts = n;
	res->n_accepted = 0;
	for (size_t i = 0; i < n; i++) {
		char text[ERR_MSG_MAX];
		struct smtp_reply reply;
		const char *lines[1];

		c->rcpts[i].addr = rr[i].addr;
		c->rcpts[i].accepted = rr[i].accepted;
		c->rcpts[i].code = rr[i].code;
		text[0] = '\0';
		if (!rr[i].accepted && rr[i].code != 0) {
			/* Sanitised as every reply shown to people. */
			memset(&reply, 0, sizeof(reply));
			reply.code = rr[i].code;
			snprintf(reply.enhanced, sizeof(reply.enhanced), "%s", rr[i].enhanced);
			lines[0] = rr[i].text != NULL ? rr[i].text : "";
			reply.lines = lines;
			reply.n_lines = 1;
			reply.text = lines[0];
			smtp_reply_describe(&reply, text, sizeof(text));
		} else if (!rr[i].accepted) {
			snprintf(text, sizeof(text), "no answer");
		}
		c->replies[i] = xstrdup(text);
		c->rcpts[i].reply = c->replies[i];
		if (rr[i].accepted)
			res->n_accepted++;
	}
	res->rcpts = c->rcpts;
	res->n_rcpts = c->n_rcpts;
}

/* A refusal: a 4xx may go better later, a 5xx will not. */
static void
refused(struct backend_smtp_result *res, const struct smtp_event *ev)
{
	res->status = BACKEND_SMTP_NOT_SENT;
	res->code = ev->reply != NULL ? ev->reply->code : 0;
	res->temporary = res->code > 0 && res->code < 500;
}

/*
 * The end of a transaction cut short with the connection: the message
 * may have arrived only if its end went out whole and no answer said
 * otherwise (a 421 to the end of the message means it was not taken).
 */
static int
lost(struct backend_smtp *c, struct backend_smtp_result *res, struct err *err)
{
	enum smtp_msg_state st = smtp_session_msg_state(c->s);

	c->dead = true;
	res->temporary = true;
	res->status = BACKEND_SMTP_NOT_SENT;
	if (c->end_written && (st == SMTP_MSG_PENDING || st == SMTP_MSG_UNKNOWN)) {
		res->status = BACKEND_SMTP_UNKNOWN;
		if (strstr(err->msg, "may or may not") == NULL)
			err_prefix(err, "the message may or may not have been delivered");
	}
	return -1;
}

/* Waits for the answer to RSET after giving up on recipients. */
static int
abandon(struct backend_smtp *c, struct err *err)
{
	struct smtp_event ev;
	struct err ignored;

	if (smtp_session_rset(c->s, &ignored) < 0) {
		/* DATA is on its way with the recipients: only closing the
		   connection stops the message. */
		c->dead = true;
		return -1;
	}
	for (;;) {
		if (next_event(c, &ev, err) < 0)
			return -1;
		if (ev.type == SMTP_EV_DONE && ev.cmd == SMTP_CMD_RSET)
			return 0;
		if (ev.type == SMTP_EV_CLOSED) {
			c->dead = true;
			return 0;
		}
	}
}

/* Names the refused recipients in one sentence. */
static void
rcpt_sentence(const struct backend_smtp *c, const struct backend_smtp_result *res, struct err *err,
              bool partial)
{
	struct str s = STR_INIT;
	size_t n_bad = 0;

	for (size_t i = 0; i < res->n_rcpts; i++) {
		if (res->rcpts[i].accepted)
			continue;
		str_appendf(&s, "%s%s (%s)", n_bad > 0 ? "; " : "", res->rcpts[i].addr,
		            res->rcpts[i].reply);
		n_bad++;
	}
	if (res->n_accepted == 0)
		err_set(err, res->temporary ? ERR_CONN : ERR_REJECTED,
		        "%s refused %s: %s: the message was not sent", c->peer,
		        n_bad == 1 ? "the recipient" : "every recipient", str_cstr(&s));
	else if (partial)
		err_set(err, ERR_REJECTED, "%s refused %s: %s", c->peer,
		        n_bad == 1 ? "a recipient" : "some recipients", str_cstr(&s));
	else
		err_set(err, res->temporary ? ERR_CONN : ERR_REJECTED,
		        "%s refused %s: %s: nothing was sent (smtp_partial_send is off)", c->peer,
		        n_bad == 1 ? "a recipient" : "some recipients", str_cstr(&s));
	str_free(&s);
}

/* What the message needs from the server, and its body re-encoded when
 * the server cannot take it as it is. */
static int
prepare(struct backend_smtp *c, const struct backend_smtp_msg *m, struct smtp_envelope *env,
        struct str *recoded, const char **data_r, size_t *len_r, bool *reencoded_r, struct err *err)
{
	const struct smtp_caps *caps = smtp_session_caps(c->s);
	const char *data = m->data;
	size_t len = m->len, body = mime_header_end(m->data, m->len);
	struct smtp_body_check chk;

	*reencoded_r = false;
	env->smtputf8 = smtp_needs_8bit(data, body);
	if (!mime_7bit_body_ok(data, len)) {
		smtp_body_check_init(&chk);
		smtp_body_check_update(&chk, data + body, len - body);
		smtp_body_check_finish(&chk);
		if (caps->eightbitmime && !chk.nul && !chk.long_lines) {
			env->body_8bit = true;
		} else {
			if (mime_7bit_encode(data, len, false, recoded, err) < 0)
				return -1;
			data = recoded->s;
			len = recoded->len;
			if (!mime_7bit_body_ok(data, len))
				return err_set(
				    err, ERR_UNSUPPORTED,
				    "the message cannot be re-encoded to 7 bit, which %s "
				    "needs (it offers no 8BITMIME)",
				    c->peer);
			*reencoded_r = true;
			log_trace(LOG_CH_BACKEND,
			          "%s: message re-encoded to 7 bit (%zu -> %zu bytes)", c->peer,
			          m->len, len);
		}
	}
	smtp_body_check_init(&chk);
	smtp_body_check_update(&chk, data, len);
	smtp_body_check_finish(&chk);
	env->size = chk.size;
	*data_r = data;
	*len_r = len;
	return 0;
}

/* The recipients' results: are all the refusals temporary (4xx)? */
static bool
rcpts_all_temporary(const struct backend_smtp_result *res)
{
	for (size_t i = 0; i < res->n_rcpts; i++)
		if (!res->rcpts[i].accepted &&
		    !(res->rcpts[i].code >= 400 && res->rcpts[i].code < 500))
			return false;
	return true;
}

/* Not sent because of the recipients: says who and why, with the first
 * refusal's code as the outcome's. */
static void
rcpts_refused(const struct backend_smtp *c, struct backend_smtp_result *res, struct err *err)
{
	res->status = BACKEND_SMTP_NOT_SENT;
	res->temporary = rcpts_all_temporary(res);
	for (size_t i = 0; i < res->n_rcpts; i++)
		if (!res->rcpts[i].accepted) {
			res->code = res->rcpts[i].code;
			break;
		}
	rcpt_sentence(c, res, err, false);
}

/* A refused MAIL FROM. */
static void
mail_refused(struct backend_smtp_result *res, const struct smtp_event *ev, struct err *err)
{
	refused(res, ev);
	*err = ev->err;
	/* 530: the server wants a login the settings did not give; the
	   message itself is fine. */
	if (res->code == 530)
		err->kind = ERR_AUTH;
	else if (res->temporary)
		err->kind = ERR_CONN;
}

/* Writes the message and its end, after EV_DATA_READY. */
static int
write_body(struct backend_smtp *c, const struct backend_smtp_msg *m, const char *data, size_t len,
           struct err *err)
{
	for (size_t off = 0; off < len;) {
		size_t n = len - off > WRITE_CHUNK ? WRITE_CHUNK : len - off;

		if (smtp_session_data_write(c->s, data + off, n, err) < 0)
			return -1;
		/* Memory stays bounded; a small message waits for its end
		   and goes out in one write with the commands before it. */
		if (smtp_session_output_pending(c->s) >= WRITE_CHUNK && flush_out(c, err) < 0)
			return -1;
		off += n;
		backend_report(m->progress, off, len, "sending");
	}
	if (m->before_end != NULL)
		m->before_end(m->ctx);
	if (smtp_session_data_end(c->s, err) < 0 || flush_out(c, err) < 0)
		return -1;
	c->end_written = true;
	return 0;
}

/*
 * Waits for the reply to the end of the message.  With the message sent
 * ahead of the envelope's replies (early), those come first: the
 * recipients' results, or a refused MAIL.
 */
static int
await_end(struct backend_smtp *c, bool early, struct backend_smtp_result *res, struct err *err)
{
	struct smtp_event ev;
	bool have_rcpts = false;

	for (;;) {
		if (next_event(c, &ev, err) < 0)
			return lost(c, res, err);
		if (ev.type == SMTP_EV_SENT) {
			res->status = BACKEND_SMTP_SENT;
			res->code = ev.reply != NULL ? ev.reply->code : 250;
			return 0;
		}
		if (early && ev.type == SMTP_EV_RCPTS) {
			copy_rcpts(c, res);
			have_rcpts = true;
			continue;
		}
		if (early && ev.type == SMTP_EV_FAILED && ev.cmd == SMTP_CMD_MAIL) {
			mail_refused(res, &ev, err);
			return -1;
		}
		if (ev.type == SMTP_EV_FAILED) {
			/* Refused for want of a recipient: the recipients'
			   replies say why, not the "no valid recipients" that
			   follows from them. */
			if (have_rcpts && res->n_accepted == 0 && res->n_rcpts > 0) {
				rcpts_refused(c, res, err);
				return -1;
			}
			refused(res, &ev);
			*err = ev.err;
			if (res->temporary)
				err->kind = ERR_CONN;
			return -1;
		}
		if (ev.type == SMTP_EV_CLOSED) {
			*err = ev.err;
			return lost(c, res, err);
		}
		c->dead = true;
		res->temporary = true;
		err_set(err, ERR_PROTO, "%s: unexpected %s after the message", c->peer,
		        smtp_event_name(ev.type));
		res->status = c->end_written ? BACKEND_SMTP_UNKNOWN : BACKEND_SMTP_NOT_SENT;
		return -1;
	}
}

int
backend_smtp_send(struct backend_smtp *c, const struct backend_smtp_msg *m,
                  struct backend_smtp_result *res, struct err *err)
{
	struct smtp_envelope env;
	struct smtp_event ev;
	struct str recoded = STR_INIT;
	const char *data = m->data;
	size_t len = m->len;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	res->status = BACKEND_SMTP_NOT_SENT;
	clear_rcpts(c);
	c->end_written = false;
	if (c->dead) {
		res->temporary = true;
		err_set(err, ERR_CONN, "the connection to %s is closed", c->peer);
		goto out;
	}
	memset(&env, 0, sizeof(env));
	env.from = m->from;
	env.rcpts = m->rcpts;
	env.n_rcpts = m->n_rcpts;
	env.partial_ok = m->partial_ok;
	env.notify = m->dsn_notify;
	env.ret = m->dsn_ret;
	env.envid = m->envid;
	env.orcpt = m->dsn_notify != 0 || m->dsn_ret != SMTP_DSN_RET_DEFAULT;
	if (prepare(c, m, &env, &recoded, &data, &len, &res->reencoded, err) < 0)
		goto out;
	/* Local refusals (SIZE, 8BITMIME, SMTPUTF8, bad addresses) come
	   before anything is sent and are final. */
	if (smtp_session_mail(c->s, &env, err) < 0) {
		if (err->kind == ERR_CONN) {
			c->dead = true;
			res->temporary = true;
		}
		goto out;
	}

	/* The envelope, or (BDAT, one round trip) the message at once. */
	for (;;) {
		if (next_event(c, &ev, err) < 0) {
			lost(c, res, err);
			goto out;
		}
		if (ev.type == SMTP_EV_RCPTS)
			break;
		if (ev.type == SMTP_EV_DATA_READY) {
			if (write_body(c, m, data, len, err) < 0) {
				lost(c, res, err);
				goto out;
			}
			if (await_end(c, true, res, err) < 0)
				goto out;
			goto sent;
		}
		if (ev.type == SMTP_EV_FAILED && ev.cmd == SMTP_CMD_MAIL) {
			mail_refused(res, &ev, err);
			goto out;
		}
		if (ev.type == SMTP_EV_CLOSED) {
			*err = ev.err;
			lost(c, res, err);
			goto out;
		}
		c->dead = true;
		err_set(err, ERR_PROTO, "%s: unexpected %s after MAIL", c->peer,
		        smtp_event_name(ev.type));
		res->temporary = true;
		goto out;
	}
	copy_rcpts(c, res);
	if (ev.n_rejected > 0 && (res->n_accepted == 0 || !m->partial_ok)) {
		struct err aerr;

		rcpts_refused(c, res, err);
		/* A DATA sent with the envelope is answered and abandoned
		   here too (with an empty message after a 354). */
		if (abandon(c, &aerr) < 0)
			c->dead = true;
		goto out;
	}
	if (smtp_session_data(c->s, err) < 0) {
		res->temporary = false;
		goto out;
	}
	for (;;) {
		if (next_event(c, &ev, err) < 0) {
			lost(c, res, err);
			goto out;
		}
		if (ev.type == SMTP_EV_DATA_READY)
			break;
		if (ev.type == SMTP_EV_FAILED) {
			refused(res, &ev);
			*err = ev.err;
			if (res->temporary)
				err->kind = ERR_CONN;
			goto out;
		}
		if (ev.type == SMTP_EV_CLOSED) {
			*err = ev.err;
			lost(c, res, err);
			goto out;
		}
		c->dead = true;
		res->temporary = true;
		err_set(err, ERR_PROTO, "%s: unexpected %s after DATA", c->peer,
		        smtp_event_name(ev.type));
		goto out;
	}

	/* The message. */
	if (write_body(c, m, data, len, err) < 0) {
		lost(c, res, err);
		goto out;
	}
	if (await_end(c, false, res, err) < 0)
		goto out;
sent:
	if (res->n_accepted < res->n_rcpts) {
		/* Sent, to the recipients the server took: say who was left
		   out, but it is a success. */
		rcpt_sentence(c, res, err, true);
	}
	rc = 0;
out:
	str_free(&recoded);
	return rc;
}
