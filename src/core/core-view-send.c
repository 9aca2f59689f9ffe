#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "core/core-job.h"
#include "core/core-request.h"
#include "core/core-send.h"
#include "core/core-view-send.h"

struct view_sender {
	char *sendmail;
};

static int
handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct view_sender *s = ctx;
	const struct core_req_send *r = &req->u.send;
	struct core_send_params p;

	if (req->type != CORE_REQ_SEND)
		return err_set(err, ERR_UNSUPPORTED, "the sending worker cannot %s",
		               core_request_type_name(req->type));
	if (core_job_check(job, err) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	p.sendmail = s->sendmail;
	p.envelope_from = r->from != NULL && *r->from != '\0' ? r->from : NULL;
	core_job_progress(job, 0, r->len, "sending");
	if (core_send_deliver(&p, r->data, r->len, r->rcpt, r->rcpt_count, err) < 0)
		return -1;
	core_job_progress(job, r->len, r->len, "sending");
	return 0;
}

static void
destroy(void *ctx)
{
	struct view_sender *s = ctx;

	free(s->sendmail);
	free(s);
}

static const struct core_worker_ops ops = {
    .handle = handle,
    .destroy = destroy,
};

int
core_view_send_start(const char *sendmail, struct core_queue *events, struct core_worker **worker_r,
                     struct err *err)
{
	struct core_worker_params wp;
	struct view_sender *s = xcalloc(1, sizeof(*s));

	s->sendmail = sendmail != NULL && *sendmail != '\0' ? xstrdup(sendmail) : NULL;
	memset(&wp, 0, sizeof(wp));
	wp.name = "sendmail";
	wp.ops = &ops;
	wp.ctx = s;
	wp.events = events;
	if (core_worker_new(&wp, worker_r, err) < 0) {
		destroy(s);
		return -1;
	}
	return 0;
}
