#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "core/core-job.h"
#include "core/core-request.h"
#include "core/core-send.h"
#include "core/core-submit.h"
#include "core/core-view-send.h"

struct view_sender {
	const struct config *cfg;
	struct core_submit *submit; /* made on the worker thread, used there */
	struct core_job *job;       /* the job being run, for progress */
};

static const char *
var(void *ctx, const char *name)
{
	struct view_sender *s = ctx;

	return config_get_string(s->cfg, NULL, name);
}

static void
progress(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	struct view_sender *s = ctx;

	if (s->job != NULL)
		core_job_progress(s->job, done, total, label);
}

/* Keeps a message that went nowhere in DEAD, and says where it is (or
 * that it is nowhere) after the cause in err. */
static void
keep_dead(struct view_sender *s, const struct core_req_send *r, struct err *err)
{
	const char *dead = config_string(s->cfg, NULL, VAR_ENV_DEAD);
	char cause[ERR_MSG_MAX];
	struct err derr;

	snprintf(cause, sizeof(cause), "%s", err->msg);
	if (dead != NULL && *dead != '\0' &&
	    core_send_dead_letter(dead, r->data, r->len, &derr) == 0)
		err_set(err, err->kind, "%s; a copy is kept in %s", cause, dead);
	else
		err_set(err, err->kind, "%s; the message could not be saved (%s)", cause,
		        dead != NULL && *dead != '\0' ? derr.msg : "DEAD is unset");
}

/* The submission handle, made on first use (on the worker thread). */
static int
submit_handle(struct view_sender *s, struct err *err)
{
	struct core_submit_hooks h;
	const char *outbox = config_string(s->cfg, NULL, VAR_OUTBOX);

	if (s->submit != NULL)
		return 0;
	if (outbox == NULL || *outbox == '\0')
		return err_set(err, ERR_USAGE,
		               "outbox is unset: messages for smtp_url need a place to wait");
	memset(&h, 0, sizeof(h));
	h.progress = progress;
	h.ctx = s;
	h.outbox = outbox;
	h.dead_letter = config_string(s->cfg, NULL, VAR_ENV_DEAD);
	return core_submit_new(var, s, &h, &s->submit, err);
}

/* Sends what waits in the outbox, as petrel --flush-outbox does. */
static int
flush_smtp(struct view_sender *s, struct err *err)
{
	struct core_submit_report rep;
	int rc;

	if (submit_handle(s, err) < 0)
		return -1;
	rc = core_submit_flush(s->submit, &rep, err);
	if (rc < 0)
		err_prefix(err, "the outbox still holds messages to send");
	core_submit_report_clear(&rep);
	return rc;
}

static int
send_smtp(struct view_sender *s, const struct core_req_send *r, struct err *err)
{
	struct core_submit_msg m;
	struct core_submit_report rep;
	int rc;

	if (submit_handle(s, err) < 0)
		return -1;
	memset(&m, 0, sizeof(m));
	m.from = r->from != NULL && *r->from != '\0' ? r->from : NULL;
	m.rcpts = r->rcpt;
	m.n_rcpts = r->rcpt_count;
	m.data = r->data;
	m.len = r->len;
	rc = core_submit_send(s->submit, &m, &rep, err);
	switch (rep.outcome) {
	case CORE_SUBMIT_SENT:
		rc = 0;
		break;
	case CORE_SUBMIT_QUEUED:
	case CORE_SUBMIT_KEPT:
		err_set(err, rep.err.kind != ERR_NONE ? rep.err.kind : ERR_CONN,
		        "%s; the message waits in the outbox (%s): petrel --flush-outbox sends it",
		        rep.err.msg, rep.where);
		rc = -1;
		break;
	case CORE_SUBMIT_REFUSED:
		err_set(err, rep.err.kind != ERR_NONE ? rep.err.kind : ERR_REJECTED,
		        "%s; the message is in %s", rep.err.msg, rep.where);
		rc = -1;
		break;
	case CORE_SUBMIT_UNSAVED:
		*err = rep.err;
		keep_dead(s, r, err);
		rc = -1;
		break;
	}
	core_submit_report_clear(&rep);
	return rc;
}

static int
send_program(struct view_sender *s, const struct core_req_send *r, struct err *err)
{
	struct core_send_params p;

	memset(&p, 0, sizeof(p));
	p.sendmail = config_string(s->cfg, NULL, VAR_SENDMAIL);
	p.envelope_from = r->from != NULL && *r->from != '\0' ? r->from : NULL;
	core_job_progress(s->job, 0, r->len, "sending");
	if (core_send_deliver(&p, r->data, r->len, r->rcpt, r->rcpt_count, err) < 0) {
		/* A cancelled message stays in the composer: no copy needed. */
		if (err->kind != ERR_CANCELLED)
			keep_dead(s, r, err);
		return -1;
	}
	core_job_progress(s->job, r->len, r->len, "sending");
	return 0;
}

static int
handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct view_sender *s = ctx;
	const char *smtp;
	int rc;

	if (req->type != CORE_REQ_SEND)
		return err_set(err, ERR_UNSUPPORTED, "the sending worker cannot %s",
		               core_request_type_name(req->type));
	if (core_job_check(job, err) < 0)
		return -1;
	s->job = job;
	smtp = config_string(s->cfg, NULL, VAR_SMTP_URL);
	if (req->u.send.flush_outbox)
		rc = smtp != NULL && *smtp != '\0'
		         ? flush_smtp(s, err)
		         : err_set(err, ERR_USAGE, "smtp_url is unset: there is no outbox to send");
	else if (smtp != NULL && *smtp != '\0')
		rc = send_smtp(s, &req->u.send, err);
	else
		rc = send_program(s, &req->u.send, err);
	s->job = NULL;
	return rc;
}

static void
destroy(void *ctx)
{
	struct view_sender *s = ctx;

	core_submit_free(&s->submit);
	free(s);
}

static const struct core_worker_ops ops = {
    .handle = handle,
    .destroy = destroy,
};

int
core_view_send_start(const struct config *cfg, struct core_queue *events,
                     struct core_worker **worker_r, struct err *err)
{
	struct core_worker_params wp;
	struct view_sender *s = xcalloc(1, sizeof(*s));

	s->cfg = cfg;
	memset(&wp, 0, sizeof(wp));
	wp.name = "sending";
	wp.ops = &ops;
	wp.ctx = s;
	wp.events = events;
	if (core_worker_new(&wp, worker_r, err) < 0) {
		destroy(s);
		return -1;
	}
	return 0;
}
