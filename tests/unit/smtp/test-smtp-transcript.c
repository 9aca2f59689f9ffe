/*
 * Replays the tests/transcripts/smtp files (*.t) against smtp-session, in
 * the language of tests/transcripts/README.md (its SMTP section lists the
 * parameters, calls and events printed here).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "smtp/smtp-session.h"
#include "transcript.h"

struct ctx {
	struct smtp_session *s;
	struct smtp_params params;
	char *helo;
	char *server;
};

static int
param(void *vctx, const char *w)
{
	struct ctx *c = vctx;
	struct smtp_params *p = &c->params;
	const char *eq = strchr(w, '=');
	unsigned long v = eq ? strtoul(eq + 1, NULL, 10) : 0;

	if (strncmp(w, "helo=", 5) == 0) {
		free(c->helo);
		c->helo = xstrdup(w + 5);
	} else if (strncmp(w, "server=", 7) == 0) {
		free(c->server);
		c->server = xstrdup(w + 7);
	} else if (strcmp(w, "starttls") == 0) {
		p->starttls = true;
	} else if (strcmp(w, "require-ehlo") == 0) {
		p->require_ehlo = true;
	} else if (strcmp(w, "no-pipelining") == 0) {
		p->no_pipelining = true;
	} else if (strcmp(w, "no-chunking") == 0) {
		p->no_chunking = true;
	} else if (strncmp(w, "line-max=", 9) == 0) {
		p->line_max = v;
	} else if (strncmp(w, "lines-max=", 10) == 0) {
		p->lines_max = v;
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

	c->params.helo_name = c->helo ? c->helo : "client.example.org";
	c->params.server = c->server;
	c->s = smtp_session_new(&c->params, err);
	return c->s != NULL ? 0 : -1;
}

static void
destroy(void *vctx)
{
	struct ctx *c = vctx;

	smtp_session_free(&c->s);
	free(c->helo);
	free(c->server);
	memset(c, 0, sizeof(*c));
}

static void
feed(void *vctx, const void *data, size_t len)
{
	struct ctx *c = vctx;

	smtp_session_feed(c->s, data, len);
}

static void
reply_text(struct str *out, const struct smtp_reply *reply)
{
	char buf[1024];

	smtp_reply_describe(reply, buf, sizeof(buf));
	str_append(out, buf);
}

static void
format_caps(struct str *out, const struct smtp_caps *caps)
{
	if (!caps->esmtp) {
		str_append(out, " helo");
		return;
	}
	if (caps->eightbitmime)
		str_append(out, " 8BITMIME");
	if (caps->auth) {
		str_append(out, " AUTH=");
		for (const char *p = caps->auth_mechs; *p; p++)
			str_append_char(out, *p == ' ' ? ',' : *p);
	}
	if (caps->binarymime)
		str_append(out, " BINARYMIME");
	if (caps->chunking)
		str_append(out, " CHUNKING");
	if (caps->dsn)
		str_append(out, " DSN");
	if (caps->enhancedstatuscodes)
		str_append(out, " ENHANCEDSTATUSCODES");
	if (caps->pipelining)
		str_append(out, " PIPELINING");
	if (caps->size)
		str_appendf(out, " SIZE=%llu", (unsigned long long)caps->size_max);
	if (caps->smtputf8)
		str_append(out, " SMTPUTF8");
	if (caps->starttls)
		str_append(out, " STARTTLS");
}

static void
format_event(struct ctx *c, const struct smtp_event *ev, struct str *out)
{
	static const char *const names[SMTP_EV_LAST] = {
	    "ready",      "starttls", "auth-challenge", "auth-done", "rcpts",
	    "data-ready", "sent",     "failed",         "done",      "closed",
	};

	str_append(out, names[ev->type]);
	switch (ev->type) {
	case SMTP_EV_READY:
		format_caps(out, smtp_session_caps(c->s));
		break;
	case SMTP_EV_AUTH_CHALLENGE:
		str_append(out, " ");
		transcript_quote(out, ev->challenge, strlen(ev->challenge));
		break;
	case SMTP_EV_AUTH_DONE:
	case SMTP_EV_SENT:
		str_append(out, " ");
		reply_text(out, ev->reply);
		break;
	case SMTP_EV_RCPTS: {
		size_t n;
		const struct smtp_rcpt_result *r = smtp_session_rcpts(c->s, &n);

		str_appendf(out, " accepted=%zu rejected=%zu:", ev->n_accepted, ev->n_rejected);
		for (size_t i = 0; i < n; i++)
			str_appendf(out, "%s <%s> %d%s%s", i ? " |" : "", r[i].addr, r[i].code,
			            r[i].enhanced[0] ? " " : "", r[i].enhanced);
		break;
	}
	case SMTP_EV_FAILED:
		str_appendf(out, " %s %s: %s", smtp_cmd_name(ev->cmd), err_kind_name(ev->err.kind),
		            ev->err.msg);
		break;
	case SMTP_EV_DONE:
		str_appendf(out, " %s", smtp_cmd_name(ev->cmd));
		break;
	case SMTP_EV_CLOSED:
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
	struct smtp_event ev;
	int r = smtp_session_next_event(c->s, &ev, err);

	if (r < 0)
		return TRANSCRIPT_ERROR;
	if (r == 0)
		return TRANSCRIPT_NONE;
	format_event(c, &ev, text);
	return TRANSCRIPT_EVENT;
}

static int
output(void *vctx, const char **data, size_t *len, bool *secret)
{
	struct ctx *c = vctx;
	struct smtp_output o;

	if (smtp_session_output(c->s, &o) == 0)
		return 0;
	*data = o.data;
	*len = o.len;
	*secret = o.kind == SMTP_OUT_SECRET;
	return 1;
}

static void
consumed(void *vctx, size_t n)
{
	struct ctx *c = vctx;

	smtp_session_consumed(c->s, n);
}

static int
call_mail(struct ctx *c, char **w, size_t n, struct err *err)
{
	struct smtp_envelope env = {0};
	const char *to = transcript_opt(w, n, "to");
	const char *size = transcript_opt(w, n, "size");
	const char *ret = transcript_opt(w, n, "ret");
	const char *notify = transcript_opt(w, n, "notify");
	char *list = xstrdup(to ? to : "");
	const char **rcpts = NULL;
	size_t nr = 0;
	int r;

	for (char *p = list, *tok; p != NULL && *list && (tok = strsep(&p, ",")) != NULL;) {
		rcpts = xreallocarray(rcpts, nr + 1, sizeof(*rcpts));
		rcpts[nr++] = tok;
	}
	env.from = transcript_opt(w, n, "from");
	if (env.from == NULL)
		env.from = "";
	env.rcpts = rcpts;
	env.n_rcpts = nr;
	env.size = size ? strtoull(size, NULL, 10) : 0;
	env.body_8bit = transcript_flag(w, n, "8bit");
	env.smtputf8 = transcript_flag(w, n, "utf8");
	env.partial_ok = transcript_flag(w, n, "partial");
	env.orcpt = transcript_flag(w, n, "orcpt");
	env.envid = transcript_opt(w, n, "envid");
	if (ret != NULL)
		env.ret = strcmp(ret, "full") == 0 ? SMTP_DSN_RET_FULL : SMTP_DSN_RET_HDRS;
	if (notify != NULL) {
		if (strstr(notify, "never"))
			env.notify |= SMTP_NOTIFY_NEVER;
		if (strstr(notify, "success"))
			env.notify |= SMTP_NOTIFY_SUCCESS;
		if (strstr(notify, "failure"))
			env.notify |= SMTP_NOTIFY_FAILURE;
		if (strstr(notify, "delay"))
			env.notify |= SMTP_NOTIFY_DELAY;
	}
	r = smtp_session_mail(c->s, &env, err);
	free(rcpts);
	free(list);
	return r;
}

static int
call(void *vctx, char **w, size_t n, struct str *printed, struct err *err)
{
	static const char *const states[] = {"none", "pending", "not-sent", "unknown", "sent"};
	struct ctx *c = vctx;
	const char *name = w[0];
	const char *arg = n > 1 ? w[1] : NULL;

	if (strcmp(name, "discard") == 0) {
		str_appendf(printed, "discarded %zu", smtp_session_discard_input(c->s));
		return 0;
	}
	if (strcmp(name, "tls-started") == 0)
		return smtp_session_tls_done(c->s, err);
	if (strcmp(name, "auth") == 0)
		return smtp_session_auth(c->s, arg ? arg : "", n > 2 ? w[2] : NULL, err);
	if (strcmp(name, "respond") == 0)
		return smtp_session_auth_respond(c->s, arg ? arg : "", err);
	if (strcmp(name, "cancel") == 0)
		return smtp_session_auth_cancel(c->s, err);
	if (strcmp(name, "mail") == 0)
		return call_mail(c, w, n, err);
	if (strcmp(name, "data") == 0)
		return smtp_session_data(c->s, err);
	if (strcmp(name, "write") == 0)
		return smtp_session_data_write(c->s, arg ? arg : "", arg ? strlen(arg) : 0, err);
	if (strcmp(name, "end") == 0)
		return smtp_session_data_end(c->s, err);
	if (strcmp(name, "rset") == 0)
		return smtp_session_rset(c->s, err);
	if (strcmp(name, "noop") == 0)
		return smtp_session_noop(c->s, err);
	if (strcmp(name, "quit") == 0)
		return smtp_session_quit(c->s, err);
	if (strcmp(name, "eof") == 0) {
		smtp_session_eof(c->s);
		return 0;
	}
	if (strcmp(name, "msg-state") == 0) {
		str_appendf(printed, "msg-state %s", states[smtp_session_msg_state(c->s)]);
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
	char *dir = xasprintf("%s/tests/transcripts/smtp", top ? top : ".");
	struct ctx c = {0};
	int count = 0;
	int failed = transcript_replay_dir(dir, &ops, &c, &count);

	printf("1..%d\n", count);
	free(dir);
	return failed == 0 ? 0 : 1;
}
