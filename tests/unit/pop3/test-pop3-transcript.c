/*
 * Replays the tests/transcripts/pop3 files (*.t) against pop3-session, in
 * the language of tests/transcripts/README.md (its POP3 section lists the
 * parameters, calls and events printed here).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "pop3/pop3-session.h"
#include "transcript.h"

struct ctx {
	struct pop3_session *s;
	struct pop3_params params;
	char *server;
	struct str data; /* the message under way, printed with its end */
};

static const char *const update_names[] = {"none", "unknown", "done", "failed"};

static int
param(void *vctx, const char *w)
{
	struct ctx *c = vctx;
	struct pop3_params *p = &c->params;
	const char *eq = strchr(w, '=');
	unsigned long long v = eq ? strtoull(eq + 1, NULL, 10) : 0;

	if (strncmp(w, "server=", 7) == 0) {
		free(c->server);
		c->server = xstrdup(w + 7);
	} else if (strcmp(w, "stls") == 0) {
		p->stls = true;
	} else if (strcmp(w, "no-pipelining") == 0) {
		p->no_pipelining = true;
	} else if (strncmp(w, "line-max=", 9) == 0) {
		p->line_max = v;
	} else if (strncmp(w, "lines-max=", 10) == 0) {
		p->lines_max = v;
	} else if (strncmp(w, "msg-max=", 8) == 0) {
		p->msg_max = v;
	} else if (strncmp(w, "auth-rounds=", 12) == 0) {
		p->auth_rounds_max = (unsigned)v;
	} else {
		return -1;
	}
	return 0;
}

static int
create(void *vctx, struct err *err)
{
	struct ctx *c = vctx;

	(void)err;
	c->params.server = c->server;
	c->s = pop3_session_new(&c->params);
	str_init(&c->data);
	return 0;
}

static void
destroy(void *vctx)
{
	struct ctx *c = vctx;

	pop3_session_free(&c->s);
	free(c->server);
	str_free(&c->data);
	memset(c, 0, sizeof(*c));
}

static void
feed(void *vctx, const void *data, size_t len)
{
	struct ctx *c = vctx;

	pop3_session_feed(c->s, data, len);
}

static void
format_caps(struct str *out, const struct pop3_caps *caps)
{
	if (!caps->capa) {
		str_append(out, " no-capa");
		return;
	}
	if (caps->top)
		str_append(out, " TOP");
	if (caps->uidl)
		str_append(out, " UIDL");
	if (caps->user)
		str_append(out, " USER");
	if (caps->stls)
		str_append(out, " STLS");
	if (caps->resp_codes)
		str_append(out, " RESP-CODES");
	if (caps->auth_resp_code)
		str_append(out, " AUTH-RESP-CODE");
	if (caps->pipelining)
		str_append(out, " PIPELINING");
	if (caps->sasl) {
		str_append(out, " SASL=");
		for (const char *p = caps->sasl_mechs; *p; p++)
			str_append_char(out, *p == ' ' ? ',' : *p);
	}
	if (caps->expire)
		str_appendf(out, " EXPIRE=%ld", caps->expire_days);
	if (caps->login_delay)
		str_appendf(out, " LOGIN-DELAY=%ld", caps->login_delay_secs);
	if (caps->implementation[0])
		str_appendf(out, " IMPLEMENTATION=\"%s\"", caps->implementation);
}

static void
format_event(struct ctx *c, const struct pop3_event *ev, struct str *out)
{
	static const char *const names[POP3_EV_LAST] = {
	    "ready",   "stls",           "auth-challenge", "logged-in", "stat",
	    "list",    "uidl",           "msg-begin",      "msg-data",  "size-mismatch",
	    "msg-end", "msg-incomplete", "done",           "failed",    "closed",
	};

	str_append(out, names[ev->type]);
	switch (ev->type) {
	case POP3_EV_READY:
		format_caps(out, pop3_session_caps(c->s));
		break;
	case POP3_EV_AUTH_CHALLENGE:
		str_append(out, " ");
		transcript_quote(out, ev->text, strlen(ev->text));
		break;
	case POP3_EV_LOGGED_IN:
	case POP3_EV_STLS:
		if (*ev->text)
			str_appendf(out, " %s", ev->text);
		break;
	case POP3_EV_STAT:
		str_appendf(out, " %lu %llu", ev->count, (unsigned long long)ev->size);
		break;
	case POP3_EV_LIST:
		str_appendf(out, " %lu %llu", ev->msg, (unsigned long long)ev->size);
		break;
	case POP3_EV_UIDL:
		if (ev->uid != NULL)
			str_appendf(out, " %lu %s", ev->msg, ev->uid);
		else
			str_appendf(out, " %lu invalid: %s", ev->msg, ev->err.msg);
		break;
	case POP3_EV_MSG_BEGIN:
		str_appendf(out, " %lu", ev->msg);
		str_reset(&c->data);
		break;
	case POP3_EV_SIZE_MISMATCH:
		str_appendf(out, " %lu expected=%llu got=%llu", ev->msg,
		            (unsigned long long)ev->expected, (unsigned long long)ev->size);
		break;
	case POP3_EV_MSG_END:
	case POP3_EV_MSG_INCOMPLETE:
		str_appendf(out, " %lu %llu ", ev->msg, (unsigned long long)ev->size);
		transcript_quote(out, c->data.s, c->data.len);
		str_reset(&c->data);
		break;
	case POP3_EV_DONE:
		str_appendf(out, " %s", pop3_cmd_name(ev->cmd));
		if (ev->msg > 0)
			str_appendf(out, " %lu", ev->msg);
		break;
	case POP3_EV_FAILED:
		str_appendf(out, " %s %s", pop3_cmd_name(ev->cmd), err_kind_name(ev->err.kind));
		if (*ev->code)
			str_appendf(out, " [%s]", ev->code);
		str_appendf(out, ": %s", ev->err.msg);
		break;
	case POP3_EV_CLOSED:
		str_appendf(out, " update=%s", update_names[ev->update]);
		if (ev->err.kind != ERR_NONE)
			str_appendf(out, " %s: %s", err_kind_name(ev->err.kind), ev->err.msg);
		break;
	default:
		break;
	}
}

static enum transcript_item
next(void *vctx, struct str *text, struct err *err)
{
	struct ctx *c = vctx;
	struct pop3_event ev;
	int r = pop3_session_next_event(c->s, &ev, err);

	if (r < 0)
		return TRANSCRIPT_ERROR;
	if (r == 0)
		return TRANSCRIPT_NONE;
	if (ev.type == POP3_EV_MSG_DATA) {
		/* How many pieces depends on the reads: print them whole. */
		str_append_len(&c->data, ev.data, ev.len);
		return TRANSCRIPT_SKIP;
	}
	format_event(c, &ev, text);
	return TRANSCRIPT_EVENT;
}

static int
output(void *vctx, const char **data, size_t *len, bool *secret)
{
	struct ctx *c = vctx;
	struct pop3_output o;

	if (pop3_session_output(c->s, &o) == 0)
		return 0;
	*data = o.data;
	*len = o.len;
	*secret = o.kind == POP3_OUT_SECRET;
	return 1;
}

static void
consumed(void *vctx, size_t n)
{
	struct ctx *c = vctx;

	pop3_session_consumed(c->s, n);
}

static int
call(void *vctx, char **w, size_t n, struct str *printed, struct err *err)
{
	struct ctx *c = vctx;
	const char *name = w[0];
	const char *a1 = n > 1 ? w[1] : "";
	const char *a2 = n > 2 ? w[2] : "";
	unsigned long n1 = strtoul(a1, NULL, 10), n2 = strtoul(a2, NULL, 10);

	if (strcmp(name, "discard") == 0) {
		str_appendf(printed, "discarded %zu", pop3_session_discard_input(c->s));
		return 0;
	}
	if (strcmp(name, "tls-started") == 0)
		return pop3_session_tls_done(c->s, err);
	if (strcmp(name, "user") == 0)
		return pop3_session_user_pass(c->s, a1, a2, err);
	if (strcmp(name, "apop") == 0)
		return pop3_session_apop(c->s, a1, a2, err);
	if (strcmp(name, "auth") == 0)
		return pop3_session_auth(c->s, a1, n > 2 ? w[2] : NULL, err);
	if (strcmp(name, "respond") == 0)
		return pop3_session_auth_respond(c->s, a1, err);
	if (strcmp(name, "cancel") == 0)
		return pop3_session_auth_cancel(c->s, err);
	if (strcmp(name, "stat") == 0)
		return pop3_session_stat(c->s, err);
	if (strcmp(name, "list") == 0)
		return pop3_session_list(c->s, n1, err);
	if (strcmp(name, "uidl") == 0)
		return pop3_session_uidl(c->s, n1, err);
	if (strcmp(name, "top") == 0)
		return pop3_session_top(c->s, n1, n2, err);
	if (strcmp(name, "retr") == 0) {
		const char *size = transcript_opt(w, n, "size");

		return pop3_session_retr(c->s, n1,
		                         size ? strtoull(size, NULL, 10) : POP3_SIZE_UNKNOWN, err);
	}
	if (strcmp(name, "dele") == 0)
		return pop3_session_dele(c->s, n1, err);
	if (strcmp(name, "rset") == 0)
		return pop3_session_rset(c->s, err);
	if (strcmp(name, "noop") == 0)
		return pop3_session_noop(c->s, err);
	if (strcmp(name, "capa") == 0)
		return pop3_session_capa(c->s, err);
	if (strcmp(name, "quit") == 0)
		return pop3_session_quit(c->s, err);
	if (strcmp(name, "eof") == 0) {
		pop3_session_eof(c->s);
		return 0;
	}
	if (strcmp(name, "timestamp") == 0) {
		const char *t = pop3_session_apop_timestamp(c->s);

		str_appendf(printed, "timestamp %s", t ? t : "none");
		return 0;
	}
	if (strcmp(name, "update") == 0) {
		str_appendf(printed, "update %s marked=%lu",
		            update_names[pop3_session_update(c->s)], pop3_session_marked(c->s));
		return 0;
	}
	return err_set(err, ERR_USAGE, "unknown call \"%s\"", name);
}

int
main(void)
{
	const struct transcript_ops ops = {
	    param, create, destroy, feed, next, output, consumed, call,
	};
	const char *top = getenv("top_srcdir");
	char *dir = xasprintf("%s/tests/transcripts/pop3", top ? top : ".");
	struct ctx c = {0};
	int count = 0;
	int failed = transcript_replay_dir(dir, &ops, &c, &count);

	printf("1..%d\n", count);
	free(dir);
	return failed == 0 ? 0 : 1;
}
