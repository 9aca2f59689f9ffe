#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-fifo.h"
#include "base/base-log.h"
#include "base/base-outbuf.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "smtp/smtp-dot.h"
#include "smtp/smtp-session.h"

/* RFC 4954 section 4: an AUTH line with its initial response must fit in
 * the 512 octets of an SMTP command line. */
#define AUTH_LINE_MAX 512
/* Body bytes gathered before a BDAT chunk goes out. */
#define BDAT_CHUNK (64 * 1024)
#define ADDR_MAX 256
#define ENVID_MAX 100

enum phase {
	PH_GREETING, /* waiting for 220 */
	PH_EHLO,
	PH_HELO,
	PH_STARTTLS,
	PH_TLS_WAIT, /* 220 to STARTTLS: the caller handshakes */
	PH_READY,
	PH_AUTH,
	PH_AUTH_WAIT,  /* a challenge is with the caller */
	PH_TXN,        /* MAIL and RCPT replies coming in */
	PH_RCPTS_WAIT, /* the caller decides: data() or rset() */
	PH_DATA,       /* waiting for 354 */
	PH_BODY,       /* the caller writes the message */
	PH_DOT,        /* waiting for the reply to the end of the message */
	PH_QUIT,
	PH_CLOSED,
	PH_DEAD,
	PH_LAST
};

static const char *const phase_names[PH_LAST] = {
    [PH_GREETING] = "GREETING", [PH_EHLO] = "EHLO",
    [PH_HELO] = "HELO",         [PH_STARTTLS] = "STARTTLS",
    [PH_TLS_WAIT] = "TLS_WAIT", [PH_READY] = "READY",
    [PH_AUTH] = "AUTH",         [PH_AUTH_WAIT] = "AUTH_WAIT",
    [PH_TXN] = "TXN",           [PH_RCPTS_WAIT] = "RCPTS_WAIT",
    [PH_DATA] = "DATA",         [PH_BODY] = "BODY",
    [PH_DOT] = "DOT",           [PH_QUIT] = "QUIT",
    [PH_CLOSED] = "CLOSED",     [PH_DEAD] = "DEAD",
};

struct cmd {
	enum smtp_cmd cmd;
	size_t rcpt; /* RCPT: index into the results */
	bool last;   /* BDAT: the LAST chunk */
	bool silent; /* answered without an event (automatic RSET, abandoned DATA) */
	char *line;  /* to_send only: the bytes to send */
	size_t len;
	bool secret; /* from public_len to the CRLF */
	size_t public_len;
};

struct smtp_session {
	char *helo_name;
	char *name; /* "server X" or "the server", for sentences */
	bool starttls;
	bool require_ehlo;
	bool no_pipelining;
	bool no_chunking;
	unsigned auth_rounds_max;

	enum phase phase;
	struct smtp_reply_parser *parser;
	bool eof;
	size_t dropped;   /* bytes fed in PH_TLS_WAIT, for discard_input */
	struct err error; /* once PH_DEAD */
	bool tls_active;
	struct smtp_caps caps;

	struct fifo to_send; /* commands waiting for their turn */
	struct fifo pending; /* commands sent, waiting for replies */

	struct outbuf out; /* runs of enum smtp_out_kind */

	/* AUTH */
	bool authenticated;
	unsigned auth_rounds;
	char *auth_deferred; /* initial response waiting for the empty challenge */
	bool auth_cancelled;

	/* the current transaction */
	char *from;
	struct smtp_rcpt_result *rcpts;
	char **rcpt_addrs;
	char **rcpt_texts;
	size_t n_rcpts;
	size_t replies_left; /* MAIL and RCPT replies still to come */
	bool mail_ok;
	char mail_reply[ERR_MSG_MAX];
	bool data_pipelined;
	bool body_early; /* BDAT: the message goes before the envelope's replies */
	bool use_bdat;
	bool needs_rset; /* a transaction may be open on the server */
	bool bdat_failed;
	struct smtp_dot dot;
	struct str chunk;    /* BDAT: encoded bytes not yet sent */
	uint64_t final_mark; /* out.appended once the end of the message was queued */
	enum smtp_msg_state msg;

	bool have_deferred;
	struct smtp_event deferred;
};

static const char *const cmd_names[SMTP_CMD_LAST] = {
    [SMTP_CMD_GREETING] = "GREETING", [SMTP_CMD_EHLO] = "EHLO", [SMTP_CMD_HELO] = "HELO",
    [SMTP_CMD_STARTTLS] = "STARTTLS", [SMTP_CMD_AUTH] = "AUTH", [SMTP_CMD_MAIL] = "MAIL",
    [SMTP_CMD_RCPT] = "RCPT",         [SMTP_CMD_DATA] = "DATA", [SMTP_CMD_DOT] = "DOT",
    [SMTP_CMD_BDAT] = "BDAT",         [SMTP_CMD_RSET] = "RSET", [SMTP_CMD_NOOP] = "NOOP",
    [SMTP_CMD_QUIT] = "QUIT",
};

static const char *const event_names[SMTP_EV_LAST] = {
    [SMTP_EV_READY] = "READY",
    [SMTP_EV_STARTTLS] = "STARTTLS",
    [SMTP_EV_AUTH_CHALLENGE] = "AUTH_CHALLENGE",
    [SMTP_EV_AUTH_DONE] = "AUTH_DONE",
    [SMTP_EV_RCPTS] = "RCPTS",
    [SMTP_EV_DATA_READY] = "DATA_READY",
    [SMTP_EV_SENT] = "SENT",
    [SMTP_EV_FAILED] = "FAILED",
    [SMTP_EV_DONE] = "DONE",
    [SMTP_EV_CLOSED] = "CLOSED",
};

const char *
smtp_cmd_name(enum smtp_cmd cmd)
{
	return cmd < SMTP_CMD_LAST ? cmd_names[cmd] : "?";
}

const char *
smtp_event_name(enum smtp_event_type type)
{
	return type < SMTP_EV_LAST ? event_names[type] : "?";
}

static void
set_phase(struct smtp_session *s, enum phase phase)
{
	if (s->phase != phase)
		log_trace(LOG_CH_PROTO, "smtp: %s -> %s", phase_names[s->phase],
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

static void
out_append(struct smtp_session *s, enum smtp_out_kind kind, const void *data, size_t len)
{
	outbuf_append(&s->out, kind, data, len);
}

static void
out_text(struct smtp_session *s, const char *text)
{
	out_append(s, SMTP_OUT_TEXT, text, strlen(text));
}

int
smtp_session_output(struct smtp_session *s, struct smtp_output *out)
{
	int kind, rc = outbuf_peek(&s->out, &out->data, &out->len, &kind);

	out->kind = (enum smtp_out_kind)kind;
	return rc;
}

void
smtp_session_consumed(struct smtp_session *s, size_t n)
{
	outbuf_consume(&s->out, n);
}

size_t
smtp_session_output_pending(const struct smtp_session *s)
{
	return outbuf_pending(&s->out);
}

/* --- sending commands --- */

static bool
pipelining(const struct smtp_session *s)
{
	return s->caps.pipelining && !s->no_pipelining;
}

/* RFC 2920 section 3.1: RSET, MAIL and RCPT may be anywhere in a group;
 * DATA, QUIT and NOOP only last; the rest wait for their replies alone. */
static bool
groupable(enum smtp_cmd cmd)
{
	return cmd == SMTP_CMD_RSET || cmd == SMTP_CMD_MAIL || cmd == SMTP_CMD_RCPT ||
	       cmd == SMTP_CMD_BDAT;
}

static bool
can_send(const struct smtp_session *s, enum smtp_cmd cmd)
{
	if (s->pending.n == 0)
		return true;
	if (!pipelining(s))
		return false;
	if (!groupable(cmd) && cmd != SMTP_CMD_DATA && cmd != SMTP_CMD_QUIT && cmd != SMTP_CMD_NOOP)
		return false;
	for (size_t i = 0; i < s->pending.n; i++)
		if (!groupable(cmd_at(&s->pending, i)->cmd))
			return false;
	return true;
}

static void
flush(struct smtp_session *s)
{
	struct cmd *c;

	/* A session that failed or ended sends nothing more. */
	if (s->phase == PH_DEAD || s->phase == PH_CLOSED)
		return;

	while ((c = cmd_at(&s->to_send, 0)) != NULL && can_send(s, c->cmd)) {
		struct cmd *p = fifo_push(&s->pending);

		*p = *c;
		outbuf_append_masked(&s->out, SMTP_OUT_TEXT, SMTP_OUT_SECRET, c->line, c->len,
		                     c->secret ? c->public_len : c->len);
		xfree_wiped(p->line, p->len);
		p->line = NULL;
		fifo_pop(&s->to_send);
	}
}

/* Forgets the commands not sent yet whose type is in mask (bits of
 * 1 << SMTP_CMD_x); returns how many. */
static size_t
drop_unsent(struct smtp_session *s, unsigned mask)
{
	struct fifo *q = &s->to_send;
	size_t kept = 0, dropped = 0;

	for (size_t i = 0; i < q->n; i++) {
		struct cmd *c = cmd_at(q, i);

		if (mask & (1u << c->cmd)) {
			xfree_wiped(c->line, c->len);
			dropped++;
		} else {
			*cmd_at(q, kept++) = *c;
		}
	}
	fifo_truncate(q, kept);
	return dropped;
}

/* Queues a command line (without CRLF); returns the entry to adjust. */
static struct cmd *
queue_cmd(struct smtp_session *s, enum smtp_cmd cmd, const char *line)
{
	struct cmd *c = fifo_push(&s->to_send);

	c->cmd = cmd;
	c->line = xasprintf("%s\r\n", line);
	c->len = strlen(c->line);
	return c;
}

/* Queues a line whose bytes from public_len on are secret. */
static void
queue_secret(struct smtp_session *s, enum smtp_cmd cmd, const char *public_part, const char *secret)
{
	struct cmd *c = fifo_push(&s->to_send);

	c->cmd = cmd;
	c->line = xasprintf("%s%s\r\n", public_part, secret);
	c->len = strlen(c->line);
	c->secret = true;
	c->public_len = strlen(public_part);
}

/* --- errors --- */

static int die(struct smtp_session *s, struct err *err, enum err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
die(struct smtp_session *s, struct err *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(&s->error, kind, fmt, ap);
	va_end(ap);
	if (s->msg == SMTP_MSG_PENDING)
		s->msg = SMTP_MSG_NOT_SENT;
	set_phase(s, PH_DEAD);
	if (err != NULL)
		*err = s->error;
	return -1;
}

static int
die_copy(struct smtp_session *s, struct err *err, const struct err *cause)
{
	return die(s, err, cause->kind, "%s", cause->msg);
}

static int
usage(struct err *err, const char *what, const struct smtp_session *s)
{
	if (s->phase == PH_DEAD) {
		if (err != NULL)
			*err = s->error;
		return -1;
	}
	if (s->phase == PH_CLOSED)
		return err_set(err, ERR_CONN, "%s: the SMTP session is closed", what);
	return err_set(err, ERR_INTERNAL, "%s: not allowed in SMTP state %s", what,
	               phase_names[s->phase]);
}

/* 4xx means a later try may work. */
static enum err_kind
refusal_kind(int code)
{
	return code < 500 ? ERR_CONN : ERR_REJECTED;
}

/* --- session --- */

static bool
helo_name_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > 255)
		return false;
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || *s == '<' ||
		    *s == '>')
			return false;
	return true;
}

struct smtp_session *
smtp_session_new(const struct smtp_params *params, struct err *err)
{
	struct smtp_session *s;
	struct cmd *c;

	if (params->helo_name == NULL || !helo_name_ok(params->helo_name)) {
		err_set(err, ERR_USAGE,
		        "invalid EHLO name \"%s\": it must be a domain or an "
		        "address literal",
		        params->helo_name ? params->helo_name : "");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->to_send = s->pending = (struct fifo)FIFO_INIT(sizeof(struct cmd));
	s->helo_name = xstrdup(params->helo_name);
	s->name =
	    params->server != NULL ? xasprintf("server %s", params->server) : xstrdup("the server");
	s->starttls = params->starttls;
	s->require_ehlo = params->require_ehlo;
	s->no_pipelining = params->no_pipelining;
	s->no_chunking = params->no_chunking;
	s->auth_rounds_max =
	    params->auth_rounds_max ? params->auth_rounds_max : SMTP_AUTH_ROUNDS_MAX_DEFAULT;
	s->parser = smtp_reply_parser_new(params->line_max, params->lines_max);
	outbuf_init(&s->out);
	str_init(&s->chunk);
	s->phase = PH_GREETING;
	/* The greeting is the first reply, as if to a command already sent. */
	c = fifo_push(&s->pending);
	c->cmd = SMTP_CMD_GREETING;
	return s;
}

static void
clear_txn(struct smtp_session *s)
{
	for (size_t i = 0; i < s->n_rcpts; i++) {
		free(s->rcpt_addrs[i]);
		free(s->rcpt_texts[i]);
	}
	free(s->rcpt_addrs);
	free(s->rcpt_texts);
	free(s->rcpts);
	free(s->from);
	s->rcpt_addrs = s->rcpt_texts = NULL;
	s->rcpts = NULL;
	s->from = NULL;
	s->n_rcpts = 0;
	s->replies_left = 0;
	s->mail_ok = false;
	s->mail_reply[0] = '\0';
	s->data_pipelined = false;
	s->body_early = false;
	s->use_bdat = false;
	s->bdat_failed = false;
	str_reset(&s->chunk);
}

void
smtp_session_free(struct smtp_session **session)
{
	struct smtp_session *s = *session;

	if (s == NULL)
		return;
	clear_txn(s);
	queue_clear(&s->to_send);
	queue_clear(&s->pending);
	outbuf_free(&s->out);
	str_free(&s->chunk);
	if (s->auth_deferred != NULL)
		xfree_wiped(s->auth_deferred, strlen(s->auth_deferred));
	smtp_reply_parser_free(&s->parser);
	free(s->helo_name);
	free(s->name);
	free(s);
	*session = NULL;
}

void
smtp_session_feed(struct smtp_session *s, const void *data, size_t len)
{
	if (s->phase == PH_DEAD || s->phase == PH_CLOSED || s->eof)
		return;
	/* Between STARTTLS's 220 and the handshake every byte is injected
	   plain text: never keep it. */
	if (s->phase == PH_TLS_WAIT) {
		s->dropped += len;
		return;
	}
	smtp_reply_parser_feed(s->parser, data, len);
}

void
smtp_session_eof(struct smtp_session *s)
{
	s->eof = true;
}

size_t
smtp_session_discard_input(struct smtp_session *s)
{
	size_t n = smtp_reply_parser_discard(s->parser) + s->dropped;

	s->dropped = 0;
	if (n > 0)
		log_trace(LOG_CH_PROTO, "smtp: dropped %zu bytes received in plain text", n);
	return n;
}

const struct smtp_caps *
smtp_session_caps(const struct smtp_session *s)
{
	return &s->caps;
}

bool
smtp_session_tls_active(const struct smtp_session *s)
{
	return s->tls_active;
}

enum smtp_msg_state
smtp_session_msg_state(const struct smtp_session *s)
{
	return s->msg;
}

const struct smtp_rcpt_result *
smtp_session_rcpts(const struct smtp_session *s, size_t *n_r)
{
	*n_r = s->n_rcpts;
	return s->rcpts;
}

static void
send_ehlo(struct smtp_session *s)
{
	char line[300];

	snprintf(line, sizeof(line), "EHLO %s", s->helo_name);
	queue_cmd(s, SMTP_CMD_EHLO, line);
	set_phase(s, PH_EHLO);
}

int
smtp_session_tls_done(struct smtp_session *s, struct err *err)
{
	if (s->phase != PH_TLS_WAIT)
		return usage(err, "TLS started", s);
	smtp_session_discard_input(s);
	s->tls_active = true;
	/* Nothing learnt before TLS counts (RFC 3207 section 4.2). */
	memset(&s->caps, 0, sizeof(s->caps));
	send_ehlo(s);
	flush(s);
	return 0;
}

/* --- replies --- */

static void
describe(const struct smtp_reply *reply, char *buf, size_t size)
{
	smtp_reply_describe(reply, buf, size);
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
event_failed(struct smtp_session *s, struct smtp_event *ev, enum smtp_cmd cmd,
             const struct smtp_reply *reply, enum err_kind kind, const char *what)
{
	char text[ERR_MSG_MAX];

	describe(reply, text, sizeof(text));
	ev->type = SMTP_EV_FAILED;
	ev->cmd = cmd;
	ev->reply = reply;
	err_set(&ev->err, kind, "%s %s: %s", s->name, what, text);
}

/* Marks a pipelined DATA still waiting for its reply as abandoned: a 354
 * gets an empty message (RFC 2920 section 3.1), which the server must
 * refuse for want of recipients. */
static void
abandon_pipelined_data(struct smtp_session *s)
{
	for (size_t i = 0; i < s->pending.n; i++) {
		struct cmd *c = cmd_at(&s->pending, i);

		if (c->cmd == SMTP_CMD_DATA)
			c->silent = true;
	}
	for (size_t i = 0; i < s->to_send.n; i++) {
		struct cmd *c = cmd_at(&s->to_send, i);

		if (c->cmd == SMTP_CMD_DATA)
			c->silent = true;
	}
}

/* The MAIL and RCPT replies are all in: report them. */
static int
txn_collected(struct smtp_session *s, struct smtp_event *ev)
{
	if (!s->mail_ok && s->body_early) {
		/* The chunks already sent are refused with it (RFC 3030
		   section 3): swallow their replies and send no more. */
		for (size_t i = 0; i < s->pending.n; i++) {
			struct cmd *c = cmd_at(&s->pending, i);

			if (c->cmd == SMTP_CMD_BDAT)
				c->silent = true;
		}
		str_reset(&s->chunk);
		s->bdat_failed = true;
	}
	if (!s->mail_ok) {
		abandon_pipelined_data(s);
		s->msg = SMTP_MSG_NOT_SENT;
		set_phase(s, PH_READY);
		ev->type = SMTP_EV_FAILED;
		ev->cmd = SMTP_CMD_MAIL;
		err_set(&ev->err, ERR_REJECTED, "%s refused the sender <%s>: %s", s->name, s->from,
		        s->mail_reply);
		return 1;
	}
	s->needs_rset = true;
	ev->type = SMTP_EV_RCPTS;
	for (size_t i = 0; i < s->n_rcpts; i++) {
		if (s->rcpts[i].accepted)
			ev->n_accepted++;
		else
			ev->n_rejected++;
	}
	/* With the message already on its way the results only inform:
	   the reply to its end decides, and the caller has nothing to
	   choose. */
	if (!s->body_early)
		set_phase(s, PH_RCPTS_WAIT);
	return 1;
}

static int
on_closed_421(struct smtp_session *s, const struct smtp_reply *reply, struct smtp_event *ev)
{
	char text[ERR_MSG_MAX];

	describe(reply, text, sizeof(text));
	if (s->msg == SMTP_MSG_PENDING)
		s->msg = SMTP_MSG_NOT_SENT;
	set_phase(s, PH_CLOSED);
	ev->type = SMTP_EV_CLOSED;
	ev->reply = reply;
	err_set(&ev->err, ERR_CONN, "%s is closing the connection: %s", s->name, text);
	return 1;
}

static int
on_auth_reply(struct smtp_session *s, const struct smtp_reply *reply, struct smtp_event *ev,
              struct err *err)
{
	char text[ERR_MSG_MAX];

	if (reply->code == 334) {
		const char *challenge = reply->lines[0];

		if (reply->n_lines != 1 || !base64_ok(challenge)) {
			describe(reply, text, sizeof(text));
			return die(s, err, ERR_PROTO, "%s sent a malformed AUTH challenge: %s",
			           s->name, text);
		}
		if (++s->auth_rounds > s->auth_rounds_max)
			return die(s, err, ERR_PROTO, "%s sent more than %u AUTH challenges",
			           s->name, s->auth_rounds_max);
		if (s->auth_deferred != NULL) {
			if (*challenge != '\0')
				return die(s, err, ERR_PROTO,
				           "%s sent a challenge where the "
				           "initial response was due",
				           s->name);
			queue_secret(s, SMTP_CMD_AUTH, "",
			             *s->auth_deferred ? s->auth_deferred : "=");
			xfree_wiped(s->auth_deferred, strlen(s->auth_deferred));
			s->auth_deferred = NULL;
			return 0;
		}
		set_phase(s, PH_AUTH_WAIT);
		ev->type = SMTP_EV_AUTH_CHALLENGE;
		ev->reply = reply;
		ev->challenge = challenge;
		return 1;
	}
	if (reply->code >= 200 && reply->code < 300) {
		set_phase(s, PH_READY);
		s->authenticated = true;
		ev->type = SMTP_EV_AUTH_DONE;
		ev->reply = reply;
		return 1;
	}
	if (reply->code >= 400) {
		set_phase(s, PH_READY);
		if (s->auth_deferred != NULL) {
			xfree_wiped(s->auth_deferred, strlen(s->auth_deferred));
			s->auth_deferred = NULL;
		}
		event_failed(s, ev, SMTP_CMD_AUTH, reply,
		             s->auth_cancelled   ? ERR_CANCELLED
		             : reply->code < 500 ? ERR_CONN
		                                 : ERR_AUTH,
		             s->auth_cancelled ? "ended the cancelled authentication"
		                               : "refused authentication");
		return 1;
	}
	describe(reply, text, sizeof(text));
	return die(s, err, ERR_PROTO, "unexpected reply to AUTH from %s: %s", s->name, text);
}

static void
record_rcpt(struct smtp_session *s, size_t i, const struct smtp_reply *reply)
{
	struct smtp_rcpt_result *r = &s->rcpts[i];

	r->code = reply->code;
	r->accepted = reply->code >= 200 && reply->code < 300;
	snprintf(r->enhanced, sizeof(r->enhanced), "%s", reply->enhanced);
	free(s->rcpt_texts[i]);
	s->rcpt_texts[i] = xstrdup(reply->text);
	r->text = s->rcpt_texts[i];
}

static void
start_body(struct smtp_session *s)
{
	smtp_dot_init(&s->dot, !s->use_bdat);
	str_reset(&s->chunk);
	s->msg = SMTP_MSG_PENDING;
	set_phase(s, PH_BODY);
}

/* Handles one reply to command c: 1 with an event, 0 to go on, -1 fatal. */
static int
on_reply(struct smtp_session *s, const struct cmd *c, const struct smtp_reply *reply,
         struct smtp_event *ev, struct err *err)
{
	char text[ERR_MSG_MAX];
	int code = reply->code;
	bool ok = code >= 200 && code < 300;

	/* Quitting: what was in flight no longer matters. */
	if (s->phase == PH_QUIT && c->cmd != SMTP_CMD_QUIT)
		return 0;
	describe(reply, text, sizeof(text));
	/* Only DATA and AUTH can be answered "go on". */
	if (code >= 300 && code < 400 && c->cmd != SMTP_CMD_DATA && c->cmd != SMTP_CMD_AUTH)
		return die(s, err, ERR_PROTO, "unexpected reply to %s from %s: %s",
		           smtp_cmd_name(c->cmd), s->name, text);
	switch (c->cmd) {
	case SMTP_CMD_GREETING:
		if (code == 220) {
			send_ehlo(s);
			return 0;
		}
		if (code >= 400)
			return die(s, err, refusal_kind(code), "%s refused the connection: %s",
			           s->name, text);
		return die(s, err, ERR_PROTO, "unexpected greeting from %s: %s", s->name, text);
	case SMTP_CMD_EHLO:
		if (ok) {
			smtp_caps_parse(&s->caps, reply);
			if (s->starttls && !s->tls_active) {
				if (!s->caps.starttls)
					return die(s, err, ERR_UNSUPPORTED,
					           "%s does not offer STARTTLS: not going on "
					           "without TLS",
					           s->name);
				queue_cmd(s, SMTP_CMD_STARTTLS, "STARTTLS");
				set_phase(s, PH_STARTTLS);
				return 0;
			}
			set_phase(s, PH_READY);
			ev->type = SMTP_EV_READY;
			ev->reply = reply;
			return 1;
		}
		if (code >= 500 && !s->require_ehlo && !s->starttls && !s->tls_active) {
			char line[300];

			snprintf(line, sizeof(line), "HELO %s", s->helo_name);
			queue_cmd(s, SMTP_CMD_HELO, line);
			set_phase(s, PH_HELO);
			return 0;
		}
		return die(s, err, code >= 500 ? ERR_UNSUPPORTED : ERR_CONN, "%s refused EHLO: %s",
		           s->name, text);
	case SMTP_CMD_HELO:
		if (ok) {
			memset(&s->caps, 0, sizeof(s->caps));
			set_phase(s, PH_READY);
			ev->type = SMTP_EV_READY;
			ev->reply = reply;
			return 1;
		}
		return die(s, err, refusal_kind(code), "%s refused HELO: %s", s->name, text);
	case SMTP_CMD_STARTTLS:
		if (code == 220) {
			set_phase(s, PH_TLS_WAIT);
			ev->type = SMTP_EV_STARTTLS;
			ev->reply = reply;
			return 1;
		}
		return die(s, err, ERR_TLS, "%s refused STARTTLS: %s", s->name, text);
	case SMTP_CMD_AUTH:
		return on_auth_reply(s, reply, ev, err);
	case SMTP_CMD_MAIL:
		s->mail_ok = ok;
		snprintf(s->mail_reply, sizeof(s->mail_reply), "%s", text);
		/* Without pipelining the recipients are still unsent: no
		   point sending them now. */
		if (!ok) {
			s->replies_left -= drop_unsent(s, 1u << SMTP_CMD_RCPT);
			drop_unsent(s, 1u << SMTP_CMD_DATA);
		}
		if (--s->replies_left == 0)
			return txn_collected(s, ev);
		return 0;
	case SMTP_CMD_RCPT:
		record_rcpt(s, c->rcpt, reply);
		if (--s->replies_left == 0)
			return txn_collected(s, ev);
		return 0;
	case SMTP_CMD_DATA:
		if (c->silent) {
			/* The empty message must follow the 354 at once,
			   ahead of anything queued since. */
			if (code == 354) {
				struct cmd *d = fifo_push(&s->pending);

				d->cmd = SMTP_CMD_DOT;
				d->silent = true;
				out_text(s, ".\r\n");
			}
			return 0;
		}
		if (code == 354) {
			start_body(s);
			ev->type = SMTP_EV_DATA_READY;
			ev->reply = reply;
			return 1;
		}
		if (ok || code < 400)
			return die(s, err, ERR_PROTO, "unexpected reply to DATA from %s: %s",
			           s->name, text);
		s->msg = SMTP_MSG_NOT_SENT;
		set_phase(s, PH_READY);
		event_failed(s, ev, SMTP_CMD_DATA, reply, ERR_REJECTED, "refused the message");
		return 1;
	case SMTP_CMD_DOT:
		if (c->silent)
			return 0;
		s->needs_rset = false;
		set_phase(s, PH_READY);
		if (ok) {
			s->msg = SMTP_MSG_SENT;
			ev->type = SMTP_EV_SENT;
			ev->reply = reply;
			return 1;
		}
		s->msg = SMTP_MSG_NOT_SENT;
		event_failed(s, ev, SMTP_CMD_DOT, reply, ERR_REJECTED, "refused the message");
		return 1;
	case SMTP_CMD_BDAT:
		if (c->silent)
			return 0;
		if (ok) {
			if (!c->last)
				return 0;
			s->needs_rset = false;
			s->msg = SMTP_MSG_SENT;
			set_phase(s, PH_READY);
			ev->type = SMTP_EV_SENT;
			ev->reply = reply;
			return 1;
		}
		/* RFC 3030 section 2: no more chunks; the other replies
		   still come and are swallowed. */
		s->bdat_failed = true;
		for (size_t i = 0; i < s->pending.n; i++)
			cmd_at(&s->pending, i)->silent = true;
		s->msg = SMTP_MSG_NOT_SENT;
		set_phase(s, PH_READY);
		event_failed(s, ev, SMTP_CMD_BDAT, reply, ERR_REJECTED, "refused the message");
		return 1;
	case SMTP_CMD_RSET:
		if (!ok)
			return die(s, err, ERR_PROTO, "%s refused RSET: %s", s->name, text);
		if (c->silent)
			return 0;
		ev->type = SMTP_EV_DONE;
		ev->cmd = SMTP_CMD_RSET;
		ev->reply = reply;
		return 1;
	case SMTP_CMD_NOOP:
		if (ok) {
			ev->type = SMTP_EV_DONE;
			ev->cmd = SMTP_CMD_NOOP;
			ev->reply = reply;
			return 1;
		}
		event_failed(s, ev, SMTP_CMD_NOOP, reply, refusal_kind(code), "refused NOOP");
		return 1;
	case SMTP_CMD_QUIT:
		set_phase(s, PH_CLOSED);
		ev->type = SMTP_EV_CLOSED;
		ev->reply = reply;
		return 1;
	case SMTP_CMD_LAST:
		break;
	}
	return die(s, err, ERR_INTERNAL, "SMTP session: reply to an unknown command");
}

static int
on_eof(struct smtp_session *s, struct smtp_event *ev, struct err *err)
{
	bool quitting = s->phase == PH_QUIT;

	for (size_t i = 0; i < s->pending.n; i++)
		if (cmd_at(&s->pending, i)->cmd == SMTP_CMD_QUIT)
			quitting = true;
	if (quitting) {
		/* A server that just closes after QUIT has done no harm. */
		set_phase(s, PH_CLOSED);
		ev->type = SMTP_EV_CLOSED;
		return 1;
	}
	switch (s->phase) {
	case PH_GREETING:
		return die(s, err, ERR_CONN, "%s closed the connection before its greeting",
		           s->name);
	case PH_BODY:
		return die(s, err, ERR_CONN,
		           "connection to %s lost while sending the message: "
		           "it was not sent",
		           s->name);
	case PH_DOT:
		if (s->out.consumed >= s->final_mark) {
			s->msg = SMTP_MSG_UNKNOWN;
			return die(s, err, ERR_CONN,
			           "connection to %s lost after the end of the "
			           "message, before the server answered: the message may or may "
			           "not have been delivered",
			           s->name);
		}
		return die(s, err, ERR_CONN,
		           "connection to %s lost before the end of the "
		           "message was sent: it was not sent",
		           s->name);
	case PH_TXN:
	case PH_RCPTS_WAIT:
	case PH_DATA:
		return die(s, err, ERR_CONN,
		           "connection to %s lost before the message was "
		           "sent",
		           s->name);
	default:
		break;
	}
	if (smtp_reply_parser_pending(s->parser) > 0)
		return die(s, err, ERR_CONN, "%s closed the connection in the middle of a reply",
		           s->name);
	return die(s, err, ERR_CONN, "%s closed the connection", s->name);
}

static bool
waiting_for_caller(const struct smtp_session *s)
{
	switch (s->phase) {
	case PH_TLS_WAIT:
	case PH_AUTH_WAIT:
	case PH_RCPTS_WAIT:
	case PH_CLOSED:
		return true;
	default:
		return false;
	}
}

int
smtp_session_next_event(struct smtp_session *s, struct smtp_event *ev, struct err *err)
{
	memset(ev, 0, sizeof(*ev));
	if (s->phase == PH_DEAD) {
		if (err != NULL)
			*err = s->error;
		return -1;
	}
	if (s->have_deferred) {
		*ev = s->deferred;
		s->have_deferred = false;
		return 1;
	}
	for (;;) {
		const struct smtp_reply *reply;
		struct err perr;
		struct cmd c;
		int r;

		flush(s);
		if (waiting_for_caller(s))
			return 0;
		r = smtp_reply_parser_next(s->parser, &reply, &perr);
		if (r < 0)
			return die_copy(s, err, &perr);
		if (r == 0) {
			if (s->eof)
				return on_eof(s, ev, err);
			return 0;
		}
		log_trace(LOG_CH_PROTO, "smtp: reply %d in %s", reply->code, phase_names[s->phase]);
		if (reply->code == 421)
			return on_closed_421(s, reply, ev);
		if (s->pending.n == 0) {
			char text[ERR_MSG_MAX];

			describe(reply, text, sizeof(text));
			return die(s, err, ERR_PROTO, "unexpected reply from %s: %s", s->name,
			           text);
		}
		c = *cmd_at(&s->pending, 0);
		fifo_pop(&s->pending);
		r = on_reply(s, &c, reply, ev, err);
		flush(s);
		if (r != 0)
			return r;
	}
}

/* --- commands --- */

static bool
ready(const struct smtp_session *s)
{
	return s->phase == PH_READY;
}

int
smtp_session_auth(struct smtp_session *s, const char *mech, const char *initial, struct err *err)
{
	char pub[64];

	if (!ready(s))
		return usage(err, "AUTH", s);
	/* RFC 4954 section 4: once per session. */
	if (s->authenticated)
		return err_set(err, ERR_INTERNAL, "AUTH: already authenticated");
	if (strlen(mech) == 0 || strlen(mech) > 20 ||
	    strspn(mech, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(mech))
		return err_set(err, ERR_USAGE, "invalid SASL mechanism name \"%s\"", mech);
	if (!s->caps.auth)
		return err_set(err, ERR_UNSUPPORTED, "%s does not offer authentication (AUTH)",
		               s->name);
	if (!smtp_caps_has_mech(&s->caps, mech))
		return err_set(err, ERR_UNSUPPORTED,
		               "%s does not offer the %s mechanism "
		               "(it offers: %s)",
		               s->name, mech, s->caps.auth_mechs);
	if (initial != NULL && !base64_ok(initial))
		return err_set(err, ERR_INTERNAL, "AUTH: initial response is not base64");
	s->auth_rounds = 0;
	s->auth_cancelled = false;
	snprintf(pub, sizeof(pub), "AUTH %s", mech);
	if (initial == NULL) {
		queue_cmd(s, SMTP_CMD_AUTH, pub);
	} else if (strlen(pub) + 1 + (*initial ? strlen(initial) : 1) + 2 <= AUTH_LINE_MAX) {
		strcat(pub, " ");
		queue_secret(s, SMTP_CMD_AUTH, pub, *initial ? initial : "=");
	} else {
		queue_cmd(s, SMTP_CMD_AUTH, pub);
		s->auth_deferred = xstrdup(initial);
	}
	set_phase(s, PH_AUTH);
	flush(s);
	return 0;
}

int
smtp_session_auth_respond(struct smtp_session *s, const char *response, struct err *err)
{
	if (s->phase != PH_AUTH_WAIT)
		return usage(err, "AUTH response", s);
	if (!base64_ok(response))
		return err_set(err, ERR_INTERNAL, "AUTH: response is not base64");
	queue_secret(s, SMTP_CMD_AUTH, "", response);
	set_phase(s, PH_AUTH);
	flush(s);
	return 0;
}

int
smtp_session_auth_cancel(struct smtp_session *s, struct err *err)
{
	if (s->phase != PH_AUTH_WAIT)
		return usage(err, "AUTH cancel", s);
	s->auth_cancelled = true;
	queue_cmd(s, SMTP_CMD_AUTH, "*");
	set_phase(s, PH_AUTH);
	flush(s);
	return 0;
}

/* An address for "<...>": no controls, no angle brackets, blanks only
 * inside a quoted local part. */
static bool
addr_ok(const char *a)
{
	bool quoted = false;

	if (strlen(a) > ADDR_MAX)
		return false;
	for (const char *p = a; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f || c == '<' || c == '>')
			return false;
		if (c == '"') {
			quoted = !quoted;
		} else if (c == '\\' && quoted) {
			if (p[1] == '\0' || (unsigned char)p[1] < 0x20)
				return false;
			p++;
		} else if (c == ' ' && !quoted) {
			return false;
		}
	}
	return !quoted;
}

/* RFC 3461 section 4: xtext. */
static void
append_xtext(struct str *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 33 && c <= 126 && c != '+' && c != '=')
			str_append_char(out, (char)c);
		else
			str_appendf(out, "+%02X", c);
	}
}

static void
format_size(uint64_t n, char *buf, size_t size)
{
	const double mb = 1024.0 * 1024.0;

	if (n >= 1024 * 1024)
		snprintf(buf, size, n >= 10 * 1024 * 1024 ? "%.0f MB" : "%.1f MB", (double)n / mb);
	else if (n >= 1024)
		snprintf(buf, size, "%.0f KB", (double)n / 1024.0);
	else
		snprintf(buf, size, "%llu bytes", (unsigned long long)n);
}

static int
check_envelope(struct smtp_session *s, const struct smtp_envelope *env, bool *utf8_r,
               struct err *err)
{
	bool utf8 = env->smtputf8;

	if (env->from == NULL || !addr_ok(env->from))
		return err_set(err, ERR_USAGE, "invalid sender address \"%s\"",
		               env->from ? env->from : "");
	if (env->n_rcpts == 0)
		return err_set(err, ERR_USAGE, "no recipient");
	for (size_t i = 0; i < env->n_rcpts; i++) {
		if (env->rcpts[i] == NULL || *env->rcpts[i] == '\0' || !addr_ok(env->rcpts[i]))
			return err_set(err, ERR_USAGE, "invalid recipient address \"%s\"",
			               env->rcpts[i] ? env->rcpts[i] : "");
		if (smtp_needs_8bit(env->rcpts[i], strlen(env->rcpts[i])))
			utf8 = true;
	}
	if (smtp_needs_8bit(env->from, strlen(env->from)))
		utf8 = true;
	if (env->envid != NULL &&
	    (strlen(env->envid) > ENVID_MAX || smtp_needs_8bit(env->envid, strlen(env->envid)) ||
	     strpbrk(env->envid, "\r\n") != NULL))
		return err_set(err, ERR_USAGE, "invalid DSN envelope id");
	if (s->caps.size_max > 0 && env->size > s->caps.size_max) {
		char have[32], max[32];

		format_size(env->size, have, sizeof(have));
		format_size(s->caps.size_max, max, sizeof(max));
		return err_set(err, ERR_REJECTED, "message is %s, %s accepts at most %s", have,
		               s->name, max);
	}
	if (env->body_8bit && !s->caps.eightbitmime)
		return err_set(err, ERR_UNSUPPORTED,
		               "the message has 8-bit content and %s does "
		               "not offer 8BITMIME: it must be re-encoded first",
		               s->name);
	if (utf8 && !s->caps.smtputf8)
		return err_set(err, ERR_UNSUPPORTED,
		               "the message needs SMTPUTF8 (non-ASCII "
		               "addresses or headers) and %s does not offer it",
		               s->name);
	*utf8_r = utf8;
	return 0;
}

int
smtp_session_mail(struct smtp_session *s, const struct smtp_envelope *env, struct err *err)
{
	struct str line = STR_INIT;
	bool utf8 = false;

	if (!ready(s))
		return usage(err, "MAIL", s);
	if (check_envelope(s, env, &utf8, err) < 0)
		return -1;
	if (s->needs_rset) {
		struct cmd *c = queue_cmd(s, SMTP_CMD_RSET, "RSET");

		c->silent = true;
		s->needs_rset = false;
	}
	clear_txn(s);
	s->from = xstrdup(env->from);
	s->n_rcpts = env->n_rcpts;
	s->rcpts = xcalloc(env->n_rcpts, sizeof(*s->rcpts));
	s->rcpt_addrs = xcalloc(env->n_rcpts, sizeof(*s->rcpt_addrs));
	s->rcpt_texts = xcalloc(env->n_rcpts, sizeof(*s->rcpt_texts));
	s->use_bdat = s->caps.chunking && pipelining(s) && !s->no_chunking;

	str_appendf(&line, "MAIL FROM:<%s>", env->from);
	if (s->caps.size && env->size > 0)
		str_appendf(&line, " SIZE=%llu", (unsigned long long)env->size);
	if (env->body_8bit)
		str_append(&line, " BODY=8BITMIME");
	if (utf8)
		str_append(&line, " SMTPUTF8");
	if (s->caps.dsn && env->ret != SMTP_DSN_RET_DEFAULT)
		str_append(&line, env->ret == SMTP_DSN_RET_FULL ? " RET=FULL" : " RET=HDRS");
	if (s->caps.dsn && env->envid != NULL) {
		str_append(&line, " ENVID=");
		append_xtext(&line, env->envid);
	}
	queue_cmd(s, SMTP_CMD_MAIL, str_cstr(&line));
	for (size_t i = 0; i < env->n_rcpts; i++) {
		const char *a = env->rcpts[i];
		struct cmd *c;

		s->rcpt_addrs[i] = xstrdup(a);
		s->rcpts[i].addr = s->rcpt_addrs[i];
		str_reset(&line);
		str_appendf(&line, "RCPT TO:<%s>", a);
		if (s->caps.dsn && env->notify != 0) {
			const char *sep = "";

			str_append(&line, " NOTIFY=");
			if (env->notify & SMTP_NOTIFY_NEVER) {
				str_append(&line, "NEVER");
			} else {
				if (env->notify & SMTP_NOTIFY_SUCCESS) {
					str_append(&line, "SUCCESS");
					sep = ",";
				}
				if (env->notify & SMTP_NOTIFY_FAILURE) {
					str_appendf(&line, "%sFAILURE", sep);
					sep = ",";
				}
				if (env->notify & SMTP_NOTIFY_DELAY)
					str_appendf(&line, "%sDELAY", sep);
			}
		}
		if (s->caps.dsn && env->orcpt && !smtp_needs_8bit(a, strlen(a))) {
			str_append(&line, " ORCPT=rfc822;");
			append_xtext(&line, a);
		}
		c = queue_cmd(s, SMTP_CMD_RCPT, str_cstr(&line));
		c->rcpt = i;
	}
	str_free(&line);
	s->replies_left = 1 + env->n_rcpts;
	s->mail_ok = false;
	s->msg = SMTP_MSG_PENDING;
	set_phase(s, PH_TXN);
	/*
	 * RFC 2920: the message may follow the envelope without waiting for
	 * its replies when a refused recipient cannot change what is to be
	 * done: one recipient (refused, it leaves none, and the server must
	 * refuse DATA or BDAT for want of one), or partial delivery
	 * accepted.  DATA's 354 still comes before any of the message; BDAT
	 * carries the message itself, so the caller writes it at once.
	 */
	if (pipelining(s) && (env->n_rcpts == 1 || env->partial_ok)) {
		if (s->use_bdat) {
			s->body_early = true;
			start_body(s);
			s->have_deferred = true;
			memset(&s->deferred, 0, sizeof(s->deferred));
			s->deferred.type = SMTP_EV_DATA_READY;
		} else {
			queue_cmd(s, SMTP_CMD_DATA, "DATA");
			s->data_pipelined = true;
		}
	}
	flush(s);
	return 0;
}

int
smtp_session_data(struct smtp_session *s, struct err *err)
{
	size_t accepted = 0;

	if (s->phase != PH_RCPTS_WAIT)
		return usage(err, "DATA", s);
	for (size_t i = 0; i < s->n_rcpts; i++)
		if (s->rcpts[i].accepted)
			accepted++;
	if (accepted == 0)
		return err_set(err, ERR_REJECTED, "%s accepted none of the recipients", s->name);
	if (s->data_pipelined) {
		set_phase(s, PH_DATA);
	} else if (s->use_bdat) {
		start_body(s);
		s->have_deferred = true;
		memset(&s->deferred, 0, sizeof(s->deferred));
		s->deferred.type = SMTP_EV_DATA_READY;
	} else {
		queue_cmd(s, SMTP_CMD_DATA, "DATA");
		set_phase(s, PH_DATA);
	}
	flush(s);
	return 0;
}

/* Sends the gathered BDAT bytes as one chunk. */
static void
send_chunk(struct smtp_session *s, bool last)
{
	char line[64];
	struct cmd *c;

	snprintf(line, sizeof(line), "BDAT %zu%s\r\n", s->chunk.len, last ? " LAST" : "");
	out_text(s, line);
	out_append(s, SMTP_OUT_PAYLOAD, s->chunk.s, s->chunk.len);
	str_reset(&s->chunk);
	c = fifo_push(&s->pending);
	c->cmd = SMTP_CMD_BDAT;
	c->last = last;
}

static int
body_usage(struct smtp_session *s, const char *what, struct err *err)
{
	if (s->bdat_failed && s->phase == PH_READY)
		return err_set(err, ERR_REJECTED, "%s refused the message", s->name);
	return usage(err, what, s);
}

int
smtp_session_data_write(struct smtp_session *s, const void *data, size_t len, struct err *err)
{
	if (s->phase != PH_BODY)
		return body_usage(s, "message data", err);
	if (s->use_bdat) {
		smtp_dot_encode(&s->dot, data, len, &s->chunk);
		if (s->chunk.len >= BDAT_CHUNK)
			send_chunk(s, false);
	} else {
		size_t before = s->out.buf.len;

		smtp_dot_encode(&s->dot, data, len, &s->out.buf);
		outbuf_commit(&s->out, SMTP_OUT_PAYLOAD, before);
	}
	return 0;
}

int
smtp_session_data_end(struct smtp_session *s, struct err *err)
{
	if (s->phase != PH_BODY)
		return body_usage(s, "end of message", err);
	if (s->use_bdat) {
		smtp_dot_finish(&s->dot, &s->chunk);
		send_chunk(s, true);
	} else {
		struct str tail = STR_INIT;
		struct cmd *c;

		smtp_dot_finish(&s->dot, &tail);
		/* The line end before the dot is content; the dot line is
		   the command, traced as such. */
		out_append(s, SMTP_OUT_PAYLOAD, tail.s, tail.len - 3);
		out_append(s, SMTP_OUT_TEXT, tail.s + tail.len - 3, 3);
		str_free(&tail);
		c = fifo_push(&s->pending);
		c->cmd = SMTP_CMD_DOT;
	}
	s->final_mark = s->out.appended;
	set_phase(s, PH_DOT);
	return 0;
}

int
smtp_session_rset(struct smtp_session *s, struct err *err)
{
	if (s->phase == PH_RCPTS_WAIT) {
		size_t accepted = 0;

		for (size_t i = 0; i < s->n_rcpts; i++)
			if (s->rcpts[i].accepted)
				accepted++;
		if (s->data_pipelined && accepted > 0)
			return err_set(err, ERR_USAGE,
			               "DATA went out with the recipients "
			               "(partial delivery was accepted): only closing the "
			               "connection abandons this message");
		abandon_pipelined_data(s);
		s->msg = SMTP_MSG_NOT_SENT;
	} else if (!ready(s)) {
		return usage(err, "RSET", s);
	}
	queue_cmd(s, SMTP_CMD_RSET, "RSET");
	s->needs_rset = false;
	set_phase(s, PH_READY);
	flush(s);
	return 0;
}

int
smtp_session_noop(struct smtp_session *s, struct err *err)
{
	if (!ready(s))
		return usage(err, "NOOP", s);
	queue_cmd(s, SMTP_CMD_NOOP, "NOOP");
	flush(s);
	return 0;
}

int
smtp_session_quit(struct smtp_session *s, struct err *err)
{
	switch (s->phase) {
	case PH_TXN:
	case PH_RCPTS_WAIT:
		/* A 354 to the DATA in flight would take "QUIT" for message
		   text. */
		if (s->data_pipelined)
			return err_set(err, ERR_USAGE,
			               "DATA went out with the recipients: only "
			               "closing the connection abandons this message");
		break;
	case PH_GREETING:
	case PH_EHLO:
	case PH_HELO:
	case PH_STARTTLS:
	case PH_READY:
	case PH_AUTH:
	case PH_AUTH_WAIT:
		break;
	default:
		return usage(err, "QUIT", s);
	}
	drop_unsent(s, ~0u);
	/* Ends an AUTH exchange if one is on (a challenge waiting, or coming);
	   otherwise the server just refuses "*" as a command. */
	if (s->phase == PH_AUTH_WAIT || s->phase == PH_AUTH)
		queue_cmd(s, SMTP_CMD_AUTH, "*");
	if (s->msg == SMTP_MSG_PENDING)
		s->msg = SMTP_MSG_NOT_SENT;
	queue_cmd(s, SMTP_CMD_QUIT, "QUIT");
	set_phase(s, PH_QUIT);
	flush(s);
	return 0;
}
