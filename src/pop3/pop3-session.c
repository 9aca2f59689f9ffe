#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-fifo.h"
#include "base/base-log.h"
#include "base/base-outbuf.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "pop3/pop3-session.h"

/* RFC 5034 section 4: with its initial response, AUTH must fit in the 255
 * octets of a POP3 command line (RFC 2449 section 4). */
#define AUTH_LINE_MAX 255
#define ARG_MAX 255

enum phase {
	PH_GREETING,
	PH_CAPA, /* the CAPA that follows the greeting or STLS */
	PH_STLS,
	PH_TLS_WAIT,  /* +OK to STLS: the caller handshakes */
	PH_AUTHZ,     /* AUTHORIZATION, ready for a login command */
	PH_AUTH,      /* AUTH exchange: waiting for the server */
	PH_AUTH_WAIT, /* a challenge is with the caller */
	PH_TRANS,     /* TRANSACTION */
	PH_CLOSED,
	PH_DEAD,
	PH_LAST
};

static const char *const phase_names[PH_LAST] = {
    [PH_GREETING] = "GREETING",   [PH_CAPA] = "CAPA",           [PH_STLS] = "STLS",
    [PH_TLS_WAIT] = "TLS_WAIT",   [PH_AUTHZ] = "AUTHORIZATION", [PH_AUTH] = "AUTH",
    [PH_AUTH_WAIT] = "AUTH_WAIT", [PH_TRANS] = "TRANSACTION",   [PH_CLOSED] = "CLOSED",
    [PH_DEAD] = "DEAD",
};

static const char *const cmd_names[POP3_CMD_LAST] = {
    [POP3_CMD_GREETING] = "GREETING", [POP3_CMD_CAPA] = "CAPA", [POP3_CMD_STLS] = "STLS",
    [POP3_CMD_USER] = "USER",         [POP3_CMD_PASS] = "PASS", [POP3_CMD_APOP] = "APOP",
    [POP3_CMD_AUTH] = "AUTH",         [POP3_CMD_STAT] = "STAT", [POP3_CMD_LIST] = "LIST",
    [POP3_CMD_UIDL] = "UIDL",         [POP3_CMD_TOP] = "TOP",   [POP3_CMD_RETR] = "RETR",
    [POP3_CMD_DELE] = "DELE",         [POP3_CMD_RSET] = "RSET", [POP3_CMD_NOOP] = "NOOP",
    [POP3_CMD_QUIT] = "QUIT",
};

static const char *const event_names[POP3_EV_LAST] = {
    [POP3_EV_READY] = "READY",
    [POP3_EV_STLS] = "STLS",
    [POP3_EV_AUTH_CHALLENGE] = "AUTH_CHALLENGE",
    [POP3_EV_LOGGED_IN] = "LOGGED_IN",
    [POP3_EV_STAT] = "STAT",
    [POP3_EV_LIST] = "LIST",
    [POP3_EV_UIDL] = "UIDL",
    [POP3_EV_MSG_BEGIN] = "MSG_BEGIN",
    [POP3_EV_MSG_DATA] = "MSG_DATA",
    [POP3_EV_SIZE_MISMATCH] = "SIZE_MISMATCH",
    [POP3_EV_MSG_END] = "MSG_END",
    [POP3_EV_MSG_INCOMPLETE] = "MSG_INCOMPLETE",
    [POP3_EV_DONE] = "DONE",
    [POP3_EV_FAILED] = "FAILED",
    [POP3_EV_CLOSED] = "CLOSED",
};

struct cmd {
	enum pop3_cmd cmd;
	unsigned long msg; /* 0: all (LIST, UIDL) */
	uint64_t expected; /* RETR */
	bool silent;       /* answer swallowed (PASS after a refused USER) */
	char *line;        /* to_send only */
	size_t len;
	bool secret;
	size_t public_len;
};

enum body_kind { BODY_NONE, BODY_LINES, BODY_STREAM };

struct pop3_session {
	char *name;
	/* The response code of the last status event: events point here, as
	 * the parsed status line lives on next_event()'s stack. */
	char event_code[POP3_RESP_CODE_MAX];
	bool stls;
	bool no_pipelining;
	size_t line_max;
	size_t lines_max;
	uint64_t msg_max;
	unsigned auth_rounds_max;

	enum phase phase;
	bool eof;
	size_t dropped; /* bytes fed in PH_TLS_WAIT, for discard_input */
	struct err error;
	bool tls_active;
	struct pop3_caps caps;
	char timestamp[POP3_TIMESTAMP_MAX + 1];
	char *greeting;

	/* input */
	struct str in;
	size_t pos;
	struct str line; /* the current line, NUL-terminated */

	/* the multi-line answer being read */
	enum body_kind body;
	struct cmd body_cmd;
	size_t body_lines;
	unsigned long last_msg; /* LIST/UIDL: numbers must grow */
	uint64_t received;
	struct pop3_unstuff unstuff;
	struct pop3_caps new_caps;

	struct fifo to_send;
	struct fifo pending;

	struct outbuf out; /* runs of enum pop3_out_kind */

	bool login_pending;
	unsigned auth_rounds;
	char *auth_deferred;
	bool auth_cancelled;

	bool quitting; /* QUIT is queued: no more commands */
	bool quit_in_trans;
	unsigned long marked;
	enum pop3_update update;

	struct pop3_event deferred[2];
	size_t n_deferred;
	bool incomplete_reported;
};

const char *
pop3_cmd_name(enum pop3_cmd cmd)
{
	return cmd < POP3_CMD_LAST ? cmd_names[cmd] : "?";
}

const char *
pop3_event_name(enum pop3_event_type type)
{
	return type < POP3_EV_LAST ? event_names[type] : "?";
}

static void
set_phase(struct pop3_session *s, enum phase phase)
{
	if (s->phase != phase)
		log_trace(LOG_CH_PROTO, "pop3: %s -> %s", phase_names[s->phase],
		          phase_names[phase]);
	s->phase = phase;
}

/* --- queues --- */

/* The i-th command of a queue, or NULL past its end. */
static struct cmd *
cmd_at(const struct fifo *q, size_t i)
{
	return fifo_at(q, i);
}

static void
queue_clear(struct fifo *q)
{
	for (size_t i = 0; i < q->n; i++) {
		struct cmd *c = cmd_at(q, i);

		xfree_wiped(c->line, c->len);
	}
	fifo_free(q);
}

/* --- output --- */

int
pop3_session_output(struct pop3_session *s, struct pop3_output *out)
{
	int kind, rc = outbuf_peek(&s->out, &out->data, &out->len, &kind);

	out->kind = (enum pop3_out_kind)kind;
	return rc;
}

void
pop3_session_consumed(struct pop3_session *s, size_t n)
{
	outbuf_consume(&s->out, n);
}

size_t
pop3_session_output_pending(const struct pop3_session *s)
{
	return outbuf_pending(&s->out);
}

/* --- sending --- */

static bool
pipelining(const struct pop3_session *s)
{
	return s->caps.pipelining && !s->no_pipelining;
}

/* RFC 2449 section 6.6: commands may be sent without waiting, except
 * where the answer changes what may follow (STLS, AUTH's exchange). */
static bool
pipelinable(enum pop3_cmd cmd)
{
	switch (cmd) {
	case POP3_CMD_USER:
	case POP3_CMD_PASS:
	case POP3_CMD_STAT:
	case POP3_CMD_LIST:
	case POP3_CMD_UIDL:
	case POP3_CMD_TOP:
	case POP3_CMD_RETR:
	case POP3_CMD_DELE:
	case POP3_CMD_RSET:
	case POP3_CMD_NOOP:
	case POP3_CMD_QUIT:
		return true;
	default:
		return false;
	}
}

static bool
can_send(const struct pop3_session *s, enum pop3_cmd cmd)
{
	if (s->pending.n == 0)
		return true;
	if (!pipelining(s) || !pipelinable(cmd))
		return false;
	for (size_t i = 0; i < s->pending.n; i++) {
		enum pop3_cmd p = cmd_at(&s->pending, i)->cmd;

		if (!pipelinable(p) || p == POP3_CMD_QUIT)
			return false;
	}
	return true;
}

static void
flush(struct pop3_session *s)
{
	/* A session that failed or ended sends nothing more. */
	if (s->phase == PH_DEAD || s->phase == PH_CLOSED)
		return;
	while (s->to_send.n > 0) {
		struct cmd *c = cmd_at(&s->to_send, 0);
		struct cmd *p;

		if (!can_send(s, c->cmd))
			break;
		outbuf_append_masked(&s->out, POP3_OUT_TEXT, POP3_OUT_SECRET, c->line, c->len,
		                     c->secret ? c->public_len : c->len);
		xfree_wiped(c->line, c->len);
		c->line = NULL;
		p = fifo_push(&s->pending);
		*p = *cmd_at(&s->to_send, 0);
		fifo_pop(&s->to_send);
	}
}

static struct cmd *
queue_line(struct pop3_session *s, enum pop3_cmd cmd, const char *public_part, const char *secret)
{
	struct cmd *c = fifo_push(&s->to_send);

	c->cmd = cmd;
	c->line = xasprintf("%s%s\r\n", public_part, secret ? secret : "");
	c->len = strlen(c->line);
	c->secret = secret != NULL;
	c->public_len = strlen(public_part);
	c->expected = POP3_SIZE_UNKNOWN;
	return c;
}

/* --- errors --- */

static int die(struct pop3_session *s, struct err *err, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
die(struct pop3_session *s, struct err *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(&s->error, kind, fmt, ap);
	va_end(ap);
	set_phase(s, PH_DEAD);
	if (err != NULL)
		*err = s->error;
	return -1;
}

static int
usage(struct pop3_session *s, const char *what, struct err *err)
{
	if (s->phase == PH_DEAD) {
		if (err != NULL)
			*err = s->error;
		return -1;
	}
	if (s->phase == PH_CLOSED)
		return err_set(err, ERR_CONN, "%s: the POP3 session is closed", what);
	return err_set(err, ERR_INTERNAL, "%s: not allowed in POP3 state %s", what,
	               phase_names[s->phase]);
}

/* A status line for sentences: "[CODE] text", control characters
 * replaced, cut to fit. */
static void
describe(const struct pop3_status_line *st, char *buf, size_t size)
{
	size_t n = 0;
	const char *text = st->text;

	if (st->code[0] != '\0')
		n = (size_t)snprintf(buf, size, "[%s]%s", st->code, *text ? " " : "");
	if (n >= size)
		n = size - 1;
	for (; *text != '\0' && n + 1 < size; text++) {
		unsigned char c = (unsigned char)*text;

		buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[n] = '\0';
}

/* --- session --- */

struct pop3_session *
pop3_session_new(const struct pop3_params *params)
{
	struct pop3_session *s = xcalloc(1, sizeof(*s));
	struct cmd *c;

	s->to_send = s->pending = (struct fifo)FIFO_INIT(sizeof(struct cmd));
	s->name =
	    params->server != NULL ? xasprintf("server %s", params->server) : xstrdup("the server");
	s->stls = params->stls;
	s->no_pipelining = params->no_pipelining;
	s->line_max = params->line_max ? params->line_max : POP3_LINE_MAX_DEFAULT;
	s->lines_max = params->lines_max ? params->lines_max : POP3_LINES_MAX_DEFAULT;
	s->msg_max = params->msg_max;
	s->auth_rounds_max =
	    params->auth_rounds_max ? params->auth_rounds_max : POP3_AUTH_ROUNDS_MAX_DEFAULT;
	str_init(&s->in);
	str_init(&s->line);
	outbuf_init(&s->out);
	s->greeting = xstrdup("");
	s->phase = PH_GREETING;
	c = fifo_push(&s->pending);
	c->cmd = POP3_CMD_GREETING;
	return s;
}

void
pop3_session_free(struct pop3_session **session)
{
	struct pop3_session *s = *session;

	if (s == NULL)
		return;
	queue_clear(&s->to_send);
	queue_clear(&s->pending);
	outbuf_free(&s->out);
	str_free(&s->in);
	str_free(&s->line);
	if (s->auth_deferred != NULL)
		xfree_wiped(s->auth_deferred, strlen(s->auth_deferred));
	free(s->greeting);
	free(s->name);
	free(s);
	*session = NULL;
}

void
pop3_session_feed(struct pop3_session *s, const void *data, size_t len)
{
	if (s->phase == PH_DEAD || s->phase == PH_CLOSED || s->eof || len == 0)
		return;
	/* Between STLS's +OK and the handshake every byte is injected plain
	   text: never keep it. */
	if (s->phase == PH_TLS_WAIT) {
		s->dropped += len;
		return;
	}
	if (s->pos > 0) {
		str_consume(&s->in, s->pos);
		s->pos = 0;
	}
	str_append_len(&s->in, data, len);
}

void
pop3_session_eof(struct pop3_session *s)
{
	s->eof = true;
}

size_t
pop3_session_discard_input(struct pop3_session *s)
{
	size_t n = s->in.len - s->pos + s->dropped;

	str_reset(&s->in);
	s->pos = 0;
	s->dropped = 0;
	if (n > 0)
		log_trace(LOG_CH_PROTO, "pop3: dropped %zu bytes received in plain text", n);
	return n;
}

const struct pop3_caps *
pop3_session_caps(const struct pop3_session *s)
{
	return &s->caps;
}

const char *
pop3_session_apop_timestamp(const struct pop3_session *s)
{
	return s->timestamp[0] ? s->timestamp : NULL;
}

bool
pop3_session_tls_active(const struct pop3_session *s)
{
	return s->tls_active;
}

enum pop3_update
pop3_session_update(const struct pop3_session *s)
{
	return s->update;
}

unsigned long
pop3_session_marked(const struct pop3_session *s)
{
	return s->marked;
}

int
pop3_session_tls_done(struct pop3_session *s, struct err *err)
{
	if (s->phase != PH_TLS_WAIT)
		return usage(s, "TLS started", err);
	pop3_session_discard_input(s);
	s->tls_active = true;
	/* RFC 2595 section 4: forget what was learnt in plain text. */
	memset(&s->caps, 0, sizeof(s->caps));
	queue_line(s, POP3_CMD_CAPA, "CAPA", NULL);
	set_phase(s, PH_CAPA);
	flush(s);
	return 0;
}

/* --- answers --- */

static enum err_kind
login_refusal_kind(const char *code)
{
	/* RFC 2449 section 8.1 and RFC 3206: these say "later". */
	if (strcasecmp(code, "IN-USE") == 0 || strcasecmp(code, "LOGIN-DELAY") == 0 ||
	    strcasecmp(code, "SYS/TEMP") == 0)
		return ERR_CONN;
	if (strcasecmp(code, "SYS/PERM") == 0)
		return ERR_REJECTED;
	return ERR_AUTH;
}

static void
event_failed(struct pop3_session *s, struct pop3_event *ev, const struct cmd *c,
             const struct pop3_status_line *st, enum err_kind kind)
{
	char text[300];

	describe(st, text, sizeof(text));
	ev->type = POP3_EV_FAILED;
	ev->cmd = c->cmd;
	ev->msg = c->msg;
	ev->text = st->text;
	snprintf(s->event_code, sizeof(s->event_code), "%s", st->code);
	ev->code = s->event_code;
	if (c->msg > 0)
		err_set(&ev->err, kind, "%s refused %s %lu: %s", s->name, pop3_cmd_name(c->cmd),
		        c->msg, text);
	else
		err_set(&ev->err, kind, "%s refused %s: %s", s->name, pop3_cmd_name(c->cmd), text);
}

static bool
base64_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '+' || *s == '/' || *s == '='))
			return false;
	return true;
}

static void
begin_body(struct pop3_session *s, const struct cmd *c, enum body_kind kind)
{
	s->body = kind;
	s->body_cmd = *c;
	s->body_cmd.line = NULL;
	s->body_lines = 0;
	s->last_msg = 0;
	s->received = 0;
	s->incomplete_reported = false;
	pop3_unstuff_init(&s->unstuff);
	if (c->cmd == POP3_CMD_CAPA) {
		memset(&s->new_caps, 0, sizeof(s->new_caps));
		s->new_caps.capa = true;
	}
}

/* The CAPA answer is complete (or refused). */
static int
capa_done(struct pop3_session *s, struct pop3_event *ev, struct err *err)
{
	if (s->phase == PH_CAPA) {
		if (s->stls && !s->tls_active) {
			if (!s->caps.stls)
				return die(s, err, ERR_UNSUPPORTED,
				           "%s does not offer STLS: not "
				           "going on without TLS",
				           s->name);
			queue_line(s, POP3_CMD_STLS, "STLS", NULL);
			set_phase(s, PH_STLS);
			return 0;
		}
		set_phase(s, PH_AUTHZ);
		ev->type = POP3_EV_READY;
		ev->text = s->greeting;
		return 1;
	}
	ev->type = POP3_EV_DONE;
	ev->cmd = POP3_CMD_CAPA;
	return 1;
}

/* A login failed: what was sent or queued after it (the password, and
 * commands pipelined behind the login) must not count; QUIT still does. */
static void
login_failed(struct pop3_session *s)
{
	struct fifo *q = &s->to_send;
	size_t kept = 0;

	s->login_pending = false;
	for (size_t i = 0; i < s->pending.n; i++) {
		struct cmd *c = cmd_at(&s->pending, i);

		if (c->cmd != POP3_CMD_QUIT)
			c->silent = true;
	}
	for (size_t i = 0; i < q->n; i++) {
		struct cmd *c = cmd_at(q, i);

		if (c->cmd == POP3_CMD_QUIT)
			*cmd_at(q, kept++) = *c;
		else
			xfree_wiped(c->line, c->len);
	}
	fifo_truncate(q, kept);
}

static int
on_auth_status(struct pop3_session *s, const struct cmd *c, const struct pop3_status_line *st,
               struct pop3_event *ev, struct err *err)
{
	if (st->status == POP3_CONT) {
		/* Quitting: the "*" queued by quit() answers it. */
		if (s->quitting)
			return 0;
		if (!base64_ok(st->text))
			return die(s, err, ERR_PROTO, "%s sent a malformed AUTH challenge",
			           s->name);
		if (++s->auth_rounds > s->auth_rounds_max)
			return die(s, err, ERR_PROTO, "%s sent more than %u AUTH challenges",
			           s->name, s->auth_rounds_max);
		if (s->auth_deferred != NULL) {
			if (*st->text != '\0')
				return die(s, err, ERR_PROTO,
				           "%s sent a challenge where the "
				           "initial response was due",
				           s->name);
			queue_line(s, POP3_CMD_AUTH, "",
			           *s->auth_deferred ? s->auth_deferred : "=");
			xfree_wiped(s->auth_deferred, strlen(s->auth_deferred));
			s->auth_deferred = NULL;
			return 0;
		}
		set_phase(s, PH_AUTH_WAIT);
		ev->type = POP3_EV_AUTH_CHALLENGE;
		ev->text = st->text;
		return 1;
	}
	if (s->auth_deferred != NULL) {
		xfree_wiped(s->auth_deferred, strlen(s->auth_deferred));
		s->auth_deferred = NULL;
	}
	s->login_pending = false;
	if (st->status == POP3_OK) {
		set_phase(s, PH_TRANS);
		ev->type = POP3_EV_LOGGED_IN;
		ev->text = st->text;
		return 1;
	}
	set_phase(s, PH_AUTHZ);
	event_failed(s, ev, c, st,
	             s->auth_cancelled ? ERR_CANCELLED : login_refusal_kind(st->code));
	return 1;
}

static int
on_status(struct pop3_session *s, const struct cmd *c, const struct pop3_status_line *st,
          struct pop3_event *ev, struct err *err)
{
	char text[300];
	bool ok = st->status == POP3_OK;

	if (c->silent) {
		/* Answers that no longer matter (commands sent after a login
		   that failed, the "*" that ends an exchange when quitting); a
		   multi-line one must still be read past. */
		if (ok && (c->cmd == POP3_CMD_RETR || c->cmd == POP3_CMD_TOP))
			begin_body(s, c, BODY_STREAM);
		else if (ok &&
		         (c->cmd == POP3_CMD_CAPA ||
		          ((c->cmd == POP3_CMD_LIST || c->cmd == POP3_CMD_UIDL) && c->msg == 0)))
			begin_body(s, c, BODY_LINES);
		if (s->body != BODY_NONE)
			s->body_cmd.silent = true;
		if (ok && c->cmd == POP3_CMD_DELE)
			s->marked++;
		return 0;
	}
	describe(st, text, sizeof(text));
	switch (c->cmd) {
	case POP3_CMD_GREETING:
		if (!ok)
			return die(s, err, ERR_REJECTED, "%s refused the connection: %s", s->name,
			           text);
		free(s->greeting);
		s->greeting = xstrdup(st->text);
		if (!pop3_parse_apop_timestamp(st->text, s->timestamp, sizeof(s->timestamp)))
			s->timestamp[0] = '\0';
		queue_line(s, POP3_CMD_CAPA, "CAPA", NULL);
		set_phase(s, PH_CAPA);
		return 0;
	case POP3_CMD_CAPA:
		if (ok) {
			begin_body(s, c, BODY_LINES);
			return 0;
		}
		/* No CAPA (RFC 1939 servers): no extensions. */
		memset(&s->caps, 0, sizeof(s->caps));
		return capa_done(s, ev, err);
	case POP3_CMD_STLS:
		if (!ok)
			return die(s, err, ERR_TLS, "%s refused STLS: %s", s->name, text);
		set_phase(s, PH_TLS_WAIT);
		ev->type = POP3_EV_STLS;
		ev->text = st->text;
		return 1;
	case POP3_CMD_USER:
		if (ok)
			return 0;
		/* Never send the password after a refused user name. */
		login_failed(s);
		event_failed(s, ev, c, st, login_refusal_kind(st->code));
		return 1;
	case POP3_CMD_PASS:
	case POP3_CMD_APOP:
		if (ok) {
			s->login_pending = false;
			set_phase(s, PH_TRANS);
			ev->type = POP3_EV_LOGGED_IN;
			ev->text = st->text;
			return 1;
		}
		login_failed(s);
		event_failed(s, ev, c, st, login_refusal_kind(st->code));
		return 1;
	case POP3_CMD_AUTH:
		return on_auth_status(s, c, st, ev, err);
	case POP3_CMD_STAT:
		if (ok) {
			struct err perr;

			if (pop3_parse_stat(st->text, &ev->count, &ev->size, &perr) < 0)
				return die(s, err, ERR_PROTO, "%s", perr.msg);
			ev->type = POP3_EV_STAT;
			ev->text = st->text;
			return 1;
		}
		event_failed(s, ev, c, st, ERR_REJECTED);
		return 1;
	case POP3_CMD_LIST:
	case POP3_CMD_UIDL:
		if (!ok) {
			event_failed(s, ev, c, st, ERR_REJECTED);
			return 1;
		}
		if (c->msg == 0) {
			begin_body(s, c, BODY_LINES);
			return 0;
		}
		ev->text = st->text;
		if (c->cmd == POP3_CMD_LIST) {
			struct err perr;

			if (pop3_parse_list(st->text, &ev->msg, &ev->size, &perr) < 0)
				return die(s, err, ERR_PROTO, "%s", perr.msg);
			ev->type = POP3_EV_LIST;
		} else {
			size_t ulen;
			int r = pop3_parse_uidl(st->text, &ev->msg, &ev->uid, &ulen, &ev->err);

			if (r < 0)
				return die(s, err, ERR_PROTO, "%s", ev->err.msg);
			if (r == 0)
				err_clear(&ev->err);
			ev->type = POP3_EV_UIDL;
		}
		if (ev->msg != c->msg)
			return die(s, err, ERR_PROTO, "%s answered %s %lu about message %lu",
			           s->name, pop3_cmd_name(c->cmd), c->msg, ev->msg);
		return 1;
	case POP3_CMD_TOP:
	case POP3_CMD_RETR:
		if (!ok) {
			event_failed(s, ev, c, st, ERR_REJECTED);
			return 1;
		}
		begin_body(s, c, BODY_STREAM);
		ev->type = POP3_EV_MSG_BEGIN;
		ev->msg = c->msg;
		ev->text = st->text;
		return 1;
	case POP3_CMD_DELE:
	case POP3_CMD_RSET:
	case POP3_CMD_NOOP:
		if (!ok) {
			event_failed(s, ev, c, st, ERR_REJECTED);
			return 1;
		}
		if (c->cmd == POP3_CMD_DELE)
			s->marked++;
		else if (c->cmd == POP3_CMD_RSET)
			s->marked = 0;
		ev->type = POP3_EV_DONE;
		ev->cmd = c->cmd;
		ev->msg = c->msg;
		ev->text = st->text;
		return 1;
	case POP3_CMD_QUIT:
		break;
	case POP3_CMD_LAST:
		return die(s, err, ERR_INTERNAL, "POP3 session: answer to an unknown command");
	}
	/* QUIT */
	set_phase(s, PH_CLOSED);
	ev->type = POP3_EV_CLOSED;
	ev->cmd = POP3_CMD_QUIT;
	ev->text = st->text;
	snprintf(s->event_code, sizeof(s->event_code), "%s", st->code);
	ev->code = s->event_code;
	if (!s->quit_in_trans) {
		s->update = POP3_UPDATE_NONE;
	} else if (ok) {
		s->update = POP3_UPDATE_DONE;
	} else {
		s->update = POP3_UPDATE_FAILED;
		err_set(&ev->err, ERR_REJECTED, "%s could not delete all marked messages: %s",
		        s->name, text);
	}
	ev->update = s->update;
	return 1;
}

/* One line of a LIST, UIDL or CAPA answer (dot-unstuffed). */
static int
on_list_line(struct pop3_session *s, const char *line, struct pop3_event *ev, struct err *err)
{
	const struct cmd *c = &s->body_cmd;

	if (++s->body_lines > s->lines_max)
		return die(s, err, ERR_PROTO, "%s sent more than %zu lines for %s", s->name,
		           s->lines_max, pop3_cmd_name(c->cmd));
	if (c->silent)
		return 0;
	if (c->cmd == POP3_CMD_CAPA) {
		pop3_caps_add_line(&s->new_caps, line);
		return 0;
	}
	if (c->cmd == POP3_CMD_LIST) {
		struct err perr;

		if (pop3_parse_list(line, &ev->msg, &ev->size, &perr) < 0)
			return die(s, err, ERR_PROTO, "%s", perr.msg);
		ev->type = POP3_EV_LIST;
	} else {
		size_t ulen;
		int r = pop3_parse_uidl(line, &ev->msg, &ev->uid, &ulen, &ev->err);

		if (r < 0)
			return die(s, err, ERR_PROTO, "%s", ev->err.msg);
		if (r == 0)
			err_clear(&ev->err);
		ev->type = POP3_EV_UIDL;
	}
	/* Listed in order, each message once (RFC 1939 section 5): a number
	   that does not grow is a server gone wrong, maybe looping. */
	if (ev->msg <= s->last_msg)
		return die(s, err, ERR_PROTO, "%s listed message %lu after message %lu", s->name,
		           ev->msg, s->last_msg);
	s->last_msg = ev->msg;
	return 1;
}

static int
end_lines(struct pop3_session *s, struct pop3_event *ev, struct err *err)
{
	struct cmd c = s->body_cmd;

	s->body = BODY_NONE;
	if (c.silent)
		return 0;
	if (c.cmd == POP3_CMD_CAPA) {
		s->caps = s->new_caps;
		return capa_done(s, ev, err);
	}
	ev->type = POP3_EV_DONE;
	ev->cmd = c.cmd;
	return 1;
}

static void
defer(struct pop3_session *s, const struct pop3_event *ev)
{
	s->deferred[s->n_deferred++] = *ev;
}

/* Reads the multi-line body under way: 1 event, 0 need input, -1 error. */
static int
read_body(struct pop3_session *s, struct pop3_event *ev, struct err *err)
{
	for (;;) {
		/* in.s is NULL until something was fed. */
		const char *in = s->in.s != NULL ? s->in.s + s->pos : "";
		size_t avail = s->in.len - s->pos;

		if (s->body == BODY_STREAM) {
			size_t dlen, used;
			bool end;

			/* Stop the data at the size limit, so what is over it
			   is never handed out, however the input was split. */
			size_t cap = avail;

			if (s->msg_max > 0 && s->received < s->msg_max &&
			    cap > s->msg_max - s->received)
				cap = s->msg_max - s->received;
			used = pop3_unstuff(&s->unstuff, in, cap, &dlen, &end);
			/* Too little to decide at a line start: the rest may
			   decide it (it can only be the end or a dropped dot). */
			if (used == 0 && cap < avail)
				used = pop3_unstuff(&s->unstuff, in, avail, &dlen, &end);
			if (used == 0)
				return 0;
			s->pos += used;
			s->received += dlen;
			if (s->msg_max > 0 && s->received > s->msg_max)
				return die(s, err, ERR_PROTO,
				           "message %lu from %s is larger than "
				           "the limit of %llu bytes",
				           s->body_cmd.msg, s->name,
				           (unsigned long long)s->msg_max);
			if (dlen > 0 && !s->body_cmd.silent) {
				ev->type = POP3_EV_MSG_DATA;
				ev->msg = s->body_cmd.msg;
				ev->data = in;
				ev->len = dlen;
				return 1;
			}
			if (!end)
				continue;
			s->body = BODY_NONE;
			if (s->body_cmd.silent)
				return 0;
			ev->type = POP3_EV_MSG_END;
			ev->msg = s->body_cmd.msg;
			ev->size = s->received;
			if (s->body_cmd.cmd == POP3_CMD_RETR &&
			    s->body_cmd.expected != POP3_SIZE_UNKNOWN &&
			    s->body_cmd.expected != s->received) {
				struct pop3_event mismatch = *ev;

				defer(s, ev);
				mismatch.type = POP3_EV_SIZE_MISMATCH;
				mismatch.expected = s->body_cmd.expected;
				*ev = mismatch;
			}
			return 1;
		} else {
			const char *line;
			size_t len, used;
			struct err perr;
			int r = pop3_line_next(in, avail, s->line_max, &line, &len, &used, &perr);

			if (r < 0)
				return die(s, err, ERR_PROTO, "%s (from %s)", perr.msg, s->name);
			if (r == 0)
				return 0;
			s->pos += used;
			if (len == 1 && line[0] == '.')
				return end_lines(s, ev, err);
			if (len > 0 && line[0] == '.') {
				line++;
				len--;
			}
			str_reset(&s->line);
			str_append_len(&s->line, line, len);
			r = on_list_line(s, str_cstr(&s->line), ev, err);
			if (r != 0)
				return r;
		}
	}
}

static int
on_eof(struct pop3_session *s, struct pop3_event *ev, struct err *err)
{
	bool quit_sent = false;
	bool dele_pending = false;
	char deleted[128] = "";

	for (size_t i = 0; i < s->pending.n; i++) {
		enum pop3_cmd c = cmd_at(&s->pending, i)->cmd;

		if (c == POP3_CMD_QUIT)
			quit_sent = true;
		if (c == POP3_CMD_DELE)
			dele_pending = true;
	}
	if (s->body == BODY_STREAM && !s->body_cmd.silent && !s->incomplete_reported) {
		s->incomplete_reported = true;
		ev->type = POP3_EV_MSG_INCOMPLETE;
		ev->msg = s->body_cmd.msg;
		ev->size = s->received;
		return 1;
	}
	if (quit_sent && s->quit_in_trans) {
		/* RFC 1939 section 6: the server may have entered UPDATE
		   when it read QUIT. */
		s->update =
		    (s->marked > 0 || dele_pending) ? POP3_UPDATE_UNKNOWN : POP3_UPDATE_NONE;
		set_phase(s, PH_CLOSED);
		ev->type = POP3_EV_CLOSED;
		ev->cmd = POP3_CMD_QUIT;
		ev->update = s->update;
		if (s->update == POP3_UPDATE_UNKNOWN)
			err_set(&ev->err, ERR_CONN,
			        "connection to %s closed before QUIT was "
			        "answered: messages marked for deletion may or may not have "
			        "been deleted",
			        s->name);
		return 1;
	}
	if (quit_sent) {
		set_phase(s, PH_CLOSED);
		ev->type = POP3_EV_CLOSED;
		ev->cmd = POP3_CMD_QUIT;
		return 1;
	}
	s->update = POP3_UPDATE_NONE;
	if (s->phase == PH_TRANS && (s->marked > 0 || dele_pending))
		snprintf(deleted, sizeof(deleted),
		         "; no message was deleted (the server deletes "
		         "only after QUIT)");
	if (s->body == BODY_STREAM)
		return die(s, err, ERR_CONN,
		           "connection to %s lost in the middle of message %lu "
		           "(%llu bytes received): the message is incomplete%s",
		           s->name, s->body_cmd.msg, (unsigned long long)s->received, deleted);
	if (s->body == BODY_LINES || s->in.len > s->pos)
		return die(s, err, ERR_CONN, "connection to %s lost in the middle of an answer%s",
		           s->name, deleted);
	if (s->phase == PH_GREETING)
		return die(s, err, ERR_CONN, "%s closed the connection before its greeting",
		           s->name);
	return die(s, err, ERR_CONN, "%s closed the connection%s", s->name, deleted);
}

static bool
waiting_for_caller(const struct pop3_session *s)
{
	return s->phase == PH_TLS_WAIT || s->phase == PH_AUTH_WAIT || s->phase == PH_CLOSED;
}

int
pop3_session_next_event(struct pop3_session *s, struct pop3_event *ev, struct err *err)
{
	memset(ev, 0, sizeof(*ev));
	ev->text = "";
	ev->code = "";
	if (s->phase == PH_DEAD) {
		if (err != NULL)
			*err = s->error;
		return -1;
	}
	if (s->n_deferred > 0) {
		*ev = s->deferred[0];
		memmove(s->deferred, s->deferred + 1, --s->n_deferred * sizeof(*s->deferred));
		return 1;
	}
	for (;;) {
		struct pop3_status_line st;
		const char *line;
		size_t len, used;
		struct err perr;
		struct cmd c;
		int r;

		flush(s);
		if (waiting_for_caller(s))
			return 0;
		if (s->body != BODY_NONE) {
			r = read_body(s, ev, err);
			if (r != 0)
				return r;
			if (s->body != BODY_NONE) {
				if (s->eof)
					return on_eof(s, ev, err);
				return 0;
			}
			continue;
		}
		r = pop3_line_next(s->in.s != NULL ? s->in.s + s->pos : "", s->in.len - s->pos,
		                   s->line_max, &line, &len, &used, &perr);
		if (r < 0)
			return die(s, err, ERR_PROTO, "%s (from %s)", perr.msg, s->name);
		if (r == 0) {
			if (s->eof)
				return on_eof(s, ev, err);
			return 0;
		}
		s->pos += used;
		str_reset(&s->line);
		str_append_len(&s->line, line, len);
		if (s->pending.n == 0)
			return die(s, err, ERR_PROTO, "unexpected response from %s: \"%.40s\"",
			           s->name, str_cstr(&s->line));
		c = *cmd_at(&s->pending, 0);
		if (pop3_status_parse(str_cstr(&s->line), c.cmd == POP3_CMD_AUTH, &st, &perr) < 0)
			return die(s, err, ERR_PROTO, "%s (from %s)", perr.msg, s->name);
		fifo_pop(&s->pending);
		r = on_status(s, &c, &st, ev, err);
		flush(s);
		if (r != 0)
			return r;
	}
}

/* --- commands --- */

/* An argument for a command line: no controls, bounded. */
static bool
arg_ok(const char *a, bool blanks_ok)
{
	size_t len = strlen(a);

	if (len == 0 || len > ARG_MAX)
		return false;
	for (; *a != '\0'; a++) {
		unsigned char c = (unsigned char)*a;

		if (c < 0x20 || c == 0x7f || (c == ' ' && !blanks_ok))
			return false;
	}
	return true;
}

static bool
authz_ready(const struct pop3_session *s)
{
	return s->phase == PH_AUTHZ && !s->login_pending && !s->quitting;
}

int
pop3_session_user_pass(struct pop3_session *s, const char *user, const char *pass, struct err *err)
{
	char pub[ARG_MAX + 8];

	if (!authz_ready(s))
		return usage(s, "USER", err);
	if (!arg_ok(user, false))
		return err_set(err, ERR_USAGE, "invalid POP3 user name");
	/* RFC 1939 section 7: the password is the rest of the line. */
	if (!arg_ok(pass, true))
		return err_set(err, ERR_USAGE,
		               "invalid POP3 password (empty, too long or with "
		               "control characters)");
	snprintf(pub, sizeof(pub), "USER %s", user);
	queue_line(s, POP3_CMD_USER, pub, NULL);
	queue_line(s, POP3_CMD_PASS, "PASS ", pass);
	s->login_pending = true;
	flush(s);
	return 0;
}

int
pop3_session_apop(struct pop3_session *s, const char *user, const char *digest, struct err *err)
{
	char pub[ARG_MAX + 8];

	if (!authz_ready(s))
		return usage(s, "APOP", err);
	if (s->timestamp[0] == '\0')
		return err_set(err, ERR_UNSUPPORTED,
		               "%s offers no APOP (no valid timestamp in "
		               "its greeting)",
		               s->name);
	if (!arg_ok(user, false))
		return err_set(err, ERR_USAGE, "invalid POP3 user name");
	if (strlen(digest) != 32 || strspn(digest, "0123456789abcdef") != 32)
		return err_set(err, ERR_INTERNAL, "APOP digest must be 32 lower-case hex digits");
	snprintf(pub, sizeof(pub), "APOP %s ", user);
	queue_line(s, POP3_CMD_APOP, pub, digest);
	s->login_pending = true;
	flush(s);
	return 0;
}

int
pop3_session_auth(struct pop3_session *s, const char *mech, const char *initial, struct err *err)
{
	char pub[64];
	size_t mlen = strlen(mech);

	if (!authz_ready(s))
		return usage(s, "AUTH", err);
	if (mlen == 0 || mlen > 20 ||
	    strspn(mech, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "abcdefghijklmnopqrstuvwxyz0123456789-_") != mlen)
		return err_set(err, ERR_USAGE, "invalid SASL mechanism name \"%s\"", mech);
	if (s->caps.sasl && !pop3_caps_has_mech(&s->caps, mech))
		return err_set(err, ERR_UNSUPPORTED,
		               "%s does not offer the %s mechanism "
		               "(it offers: %s)",
		               s->name, mech, s->caps.sasl_mechs);
	if (initial != NULL && !base64_ok(initial))
		return err_set(err, ERR_INTERNAL, "AUTH: initial response is not base64");
	s->auth_rounds = 0;
	s->auth_cancelled = false;
	snprintf(pub, sizeof(pub), "AUTH %s", mech);
	if (initial == NULL) {
		queue_line(s, POP3_CMD_AUTH, pub, NULL);
	} else if (strlen(pub) + 1 + (*initial ? strlen(initial) : 1) + 2 <= AUTH_LINE_MAX) {
		strcat(pub, " ");
		queue_line(s, POP3_CMD_AUTH, pub, *initial ? initial : "=");
	} else {
		queue_line(s, POP3_CMD_AUTH, pub, NULL);
		s->auth_deferred = xstrdup(initial);
	}
	s->login_pending = true;
	set_phase(s, PH_AUTH);
	flush(s);
	return 0;
}

int
pop3_session_auth_respond(struct pop3_session *s, const char *response, struct err *err)
{
	if (s->phase != PH_AUTH_WAIT || s->quitting)
		return usage(s, "AUTH response", err);
	if (!base64_ok(response))
		return err_set(err, ERR_INTERNAL, "AUTH: response is not base64");
	queue_line(s, POP3_CMD_AUTH, "", response);
	set_phase(s, PH_AUTH);
	flush(s);
	return 0;
}

int
pop3_session_auth_cancel(struct pop3_session *s, struct err *err)
{
	if (s->phase != PH_AUTH_WAIT || s->quitting)
		return usage(s, "AUTH cancel", err);
	s->auth_cancelled = true;
	queue_line(s, POP3_CMD_AUTH, "*", NULL);
	set_phase(s, PH_AUTH);
	flush(s);
	return 0;
}

static int
trans_cmd(struct pop3_session *s, enum pop3_cmd cmd, unsigned long msg, bool msg_needed,
          const char *extra, struct err *err)
{
	char line[96];
	struct cmd *c;

	/* With PIPELINING, commands may follow USER and PASS (or APOP) in
	   the same batch; they are dropped if the login fails. */
	if (s->quitting ||
	    (s->phase != PH_TRANS && !(s->phase == PH_AUTHZ && s->login_pending && pipelining(s))))
		return usage(s, pop3_cmd_name(cmd), err);
	if ((msg_needed && msg == 0) || msg > POP3_MSG_MAX)
		return err_set(err, ERR_USAGE, "%s: invalid message number %lu", pop3_cmd_name(cmd),
		               msg);
	if (msg > 0)
		snprintf(line, sizeof(line), "%s %lu%s", pop3_cmd_name(cmd), msg, extra);
	else
		snprintf(line, sizeof(line), "%s", pop3_cmd_name(cmd));
	c = queue_line(s, cmd, line, NULL);
	c->msg = msg;
	flush(s);
	return 0;
}

int
pop3_session_stat(struct pop3_session *s, struct err *err)
{
	return trans_cmd(s, POP3_CMD_STAT, 0, false, "", err);
}

int
pop3_session_list(struct pop3_session *s, unsigned long msg, struct err *err)
{
	return trans_cmd(s, POP3_CMD_LIST, msg, false, "", err);
}

int
pop3_session_uidl(struct pop3_session *s, unsigned long msg, struct err *err)
{
	return trans_cmd(s, POP3_CMD_UIDL, msg, false, "", err);
}

int
pop3_session_top(struct pop3_session *s, unsigned long msg, unsigned long lines, struct err *err)
{
	char extra[32];

	snprintf(extra, sizeof(extra), " %lu", lines);
	return trans_cmd(s, POP3_CMD_TOP, msg, true, extra, err);
}

int
pop3_session_retr(struct pop3_session *s, unsigned long msg, uint64_t expected, struct err *err)
{
	if (trans_cmd(s, POP3_CMD_RETR, msg, true, "", err) < 0)
		return -1;
	/* The entry is the last one queued, sent or not. */
	if (s->to_send.n > 0)
		cmd_at(&s->to_send, s->to_send.n - 1)->expected = expected;
	else
		cmd_at(&s->pending, s->pending.n - 1)->expected = expected;
	return 0;
}

int
pop3_session_dele(struct pop3_session *s, unsigned long msg, struct err *err)
{
	return trans_cmd(s, POP3_CMD_DELE, msg, true, "", err);
}

int
pop3_session_rset(struct pop3_session *s, struct err *err)
{
	return trans_cmd(s, POP3_CMD_RSET, 0, false, "", err);
}

int
pop3_session_noop(struct pop3_session *s, struct err *err)
{
	return trans_cmd(s, POP3_CMD_NOOP, 0, false, "", err);
}

int
pop3_session_capa(struct pop3_session *s, struct err *err)
{
	if ((s->phase != PH_TRANS || s->quitting) && !authz_ready(s))
		return usage(s, "CAPA", err);
	queue_line(s, POP3_CMD_CAPA, "CAPA", NULL);
	flush(s);
	return 0;
}

int
pop3_session_quit(struct pop3_session *s, struct err *err)
{
	if (s->quitting)
		return usage(s, "QUIT", err);
	switch (s->phase) {
	case PH_TRANS:
		s->quit_in_trans = true;
		break;
	case PH_AUTHZ:
		/* A login in flight may succeed: the server would then read
		   QUIT in the TRANSACTION state. */
		s->quit_in_trans = s->login_pending;
		break;
	case PH_AUTH:
	case PH_AUTH_WAIT:
		/* Ends the exchange if one is on (a challenge waiting, or
		   coming); otherwise the server refuses "*" as a command. */
		queue_line(s, POP3_CMD_AUTH, "*", NULL)->silent = true;
		break;
	default:
		/* Before EV_READY there is nothing to end: close the
		   connection. */
		return usage(s, "QUIT", err);
	}
	/* What was queued before still goes, and its answers still come. */
	queue_line(s, POP3_CMD_QUIT, "QUIT", NULL);
	s->quitting = true;
	if (s->phase == PH_AUTH_WAIT)
		set_phase(s, PH_AUTH);
	flush(s);
	return 0;
}
