#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "core/core-job-internal.h"
#include "core/core-worker.h"

struct core_worker {
	char *name;
	const struct core_worker_ops *ops;
	void *ctx;
	struct core_queue *requests; /* of struct core_job */
	struct core_job_slot slot;
	pthread_t thread;
	atomic_int shutdown_posted; /* a CORE_REQ_SHUTDOWN is on its way */
};

/* Answers every job still queued with ERR_CANCELLED. */
static void
cancel_queued(struct core_worker *w, const char *why)
{
	struct core_queue_node *node;
	struct err err;

	while ((node = core_queue_pop(w->requests)) != NULL) {
		struct core_job *job = core_job_from_node(node);
		const struct core_request *req = core_job_request(job);

		err_set(&err, ERR_CANCELLED, "%s cancelled: %s", core_request_type_name(req->type),
			why);
		/* Marks it current for a moment, so that the job counts as
		 * cancelled however its flag stood. */
		core_job_begin(job);
		core_job_end(&job, -1, &err);
	}
}

static void
run_job(struct core_worker *w, struct core_job *job)
{
	const struct core_request *req = core_job_request(job);
	struct err err;
	int rc;

	err_clear(&err);
	log_trace(LOG_CH_CORE, "%s: job %llu (%s) starts", w->name,
		  (unsigned long long)req->job_id, core_request_type_name(req->type));
	if (!core_job_begin(job)) {
		rc = err_set(&err, ERR_CANCELLED, "%s cancelled", core_request_type_name(req->type));
	} else if ((int)req->type <= 0 || req->type >= CORE_REQ_COUNT ||
		   req->type == CORE_REQ_CANCEL || req->type == CORE_REQ_SHUTDOWN) {
		/* CANCEL and SHUTDOWN never get here in their own right:
		 * core_worker_post acts on them. */
		rc = err_set(&err, ERR_UNSUPPORTED, "unknown request type %d", (int)req->type);
	} else {
		rc = w->ops->handle(w->ctx, job, req, &err);
	}
	core_job_end(&job, rc, &err);
}

/* Waits until fd is readable.  Returns -1 when poll() itself fails. */
static int
wait_readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	for (;;) {
		int n = poll(&pfd, 1, -1);

		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

static void *
worker_main(void *arg)
{
	struct core_worker *w = arg;
	struct core_job *shutdown_job = NULL;
	struct core_queue_node *node;
	int idle_ok = 1;

	for (;;) {
		struct core_job *job;
		struct err err;

		node = core_queue_pop(w->requests);
		if (node == NULL) {
			if (w->ops->idle != NULL && idle_ok) {
				err_clear(&err);
				if (w->ops->idle(w->ctx, w, &err) < 0) {
					struct core_event *ev = core_event_new(CORE_EV_ERROR, 0);

					if (err.kind == ERR_NONE)
						err_set(&err, ERR_INTERNAL, "waiting for news failed");
					ev->u.error.err = err;
					core_worker_post_event(w, ev);
					idle_ok = 0;
				}
				continue;
			}
			if (wait_readable(core_queue_fd(w->requests)) < 0) {
				/* Nothing sensible is left to do but stop: the
				 * face learns it from the cancelled requests. */
				log_error("%s: cannot wait for requests: %s", w->name,
					  strerror(errno));
				break;
			}
			continue;
		}
		job = core_job_from_node(node);
		if (core_job_request(job)->type == CORE_REQ_SHUTDOWN) {
			shutdown_job = job;
			break;
		}
		run_job(w, job);
		idle_ok = 1;
	}

	core_job_slot_stop(&w->slot);
	cancel_queued(w, "the account is shutting down");
	if (w->ops->destroy != NULL)
		w->ops->destroy(w->ctx);
	w->ctx = NULL;
	if (shutdown_job != NULL) {
		core_job_begin(shutdown_job);
		core_job_end(&shutdown_job, 0, NULL);
	}
	log_trace(LOG_CH_CORE, "%s: worker ends", w->name);
	return NULL;
}

int
core_worker_new(const struct core_worker_params *params, struct core_worker **worker_r,
		struct err *err)
{
	struct core_worker *w;
	long interval = params->progress_interval_ms;
	sigset_t all, old;
	int rc;

	*worker_r = NULL;
	if (params->ops == NULL || params->ops->handle == NULL || params->events == NULL)
		return err_set(err, ERR_INTERNAL, "a worker needs a handler and an event queue");
	w = xcalloc(1, sizeof(*w));
	if (interval == 0)
		interval = CORE_PROGRESS_INTERVAL_MS;
	else if (interval < 0)
		interval = -1;
	w->name = xstrdup(params->name != NULL ? params->name : "");
	w->ops = params->ops;
	w->ctx = params->ctx;
	atomic_init(&w->shutdown_posted, 0);
	w->requests = core_queue_new(err);
	if (w->requests == NULL)
		goto fail;
	if (core_job_slot_init(&w->slot, params->events, interval, err) < 0)
		goto fail;

	/* The new thread inherits the mask: signals go to the face's thread,
	 * whose signal pipe is the one place they are handled. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		err_sys(err, ERR_INTERNAL, rc, "%s: cannot start a worker thread", w->name);
		core_job_slot_deinit(&w->slot);
		goto fail;
	}
	log_trace(LOG_CH_CORE, "%s: worker starts", w->name);
	*worker_r = w;
	return 0;

fail:
	core_queue_free(&w->requests, NULL);
	free(w->name);
	free(w);
	return -1;
}

void
core_worker_free(struct core_worker **worker)
{
	struct core_worker *w = *worker;

	if (w == NULL)
		return;
	if (!atomic_load(&w->shutdown_posted))
		core_worker_post(w, core_request_new(CORE_REQ_SHUTDOWN));
	pthread_join(w->thread, NULL);
	/* Requests posted (wrongly) after the shutdown still get an answer. */
	cancel_queued(w, "the account was shut down");
	core_queue_free(&w->requests, NULL);
	core_job_slot_deinit(&w->slot);
	free(w->name);
	free(w);
	*worker = NULL;
}

uint64_t
core_worker_post(struct core_worker *w, struct core_request *req)
{
	struct core_job *job;
	uint64_t id;
	int shutdown;

	if (req->type == CORE_REQ_CANCEL) {
		struct core_event *ev;

		/* Acting now rather than in turn is the point of a cancel:
		 * the job to cancel is usually the one in front of it. */
		id = core_job_next_id();
		req->job_id = id;
		core_job_cancel(req->u.cancel.job_id);
		ev = core_event_new(CORE_EV_DONE, id);
		core_event_push(w->slot.events, ev);
		core_request_free(&req);
		return id;
	}
	job = core_job_new(&w->slot, req);
	id = req->job_id;
	shutdown = req->type == CORE_REQ_SHUTDOWN;
	if (shutdown)
		atomic_store(&w->shutdown_posted, 1);
	log_trace(LOG_CH_CORE, "%s: job %llu (%s) queued", w->name, (unsigned long long)id,
		  core_request_type_name(req->type));
	core_queue_push(w->requests, core_job_node(job));
	/* Stopped after the push: the stop makes the cancel pipe readable,
	 * and an idle it ends must find the shutdown waiting rather than be
	 * called again at once. */
	if (shutdown)
		core_job_slot_stop(&w->slot);
	return id;
}

void
core_worker_post_event(struct core_worker *w, struct core_event *ev)
{
	ev->job_id = 0;
	core_event_push(w->slot.events, ev);
}

int
core_worker_request_fd(const struct core_worker *w)
{
	return core_queue_fd(w->requests);
}

int
core_worker_cancel_fd(const struct core_worker *w)
{
	return w->slot.cancel[0];
}

const char *
core_worker_name(const struct core_worker *w)
{
	return w->name;
}

int
core_call_sync(struct core_worker *w, struct core_request *req, core_call_fn *fn, void *ctx,
	       int interrupt_fd, struct err *err)
{
	enum core_req_type type = req->type;
	uint64_t id = core_worker_post(w, req);

	return core_call_wait(w, id, type, fn, ctx, interrupt_fd, err);
}

int
core_call_wait(struct core_worker *w, uint64_t id, enum core_req_type type, core_call_fn *fn,
	       void *ctx, int interrupt_fd, struct err *err)
{
	struct core_queue *events = w->slot.events;
	int watch_interrupt = interrupt_fd >= 0;
	int rc;

	for (;;) {
		struct pollfd pfd[2];
		struct core_event *ev;
		int n;

		while ((ev = core_event_pop(events)) != NULL) {
			if (ev->job_id == id && core_event_is_final(ev)) {
				if (ev->type == CORE_EV_DONE) {
					rc = 0;
				} else {
					if (err != NULL)
						*err = ev->u.error.err;
					rc = -1;
				}
				core_event_free(&ev);
				return rc;
			}
			if (fn != NULL)
				fn(ev, ctx);
			core_event_free(&ev);
		}
		pfd[0].fd = core_queue_fd(events);
		pfd[0].events = POLLIN;
		pfd[1].fd = interrupt_fd;
		pfd[1].events = POLLIN;
		n = poll(pfd, watch_interrupt ? 2 : 1, -1);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			/* Stop the job rather than let it run on unwatched;
			 * its final event stays in the queue for the face. */
			core_job_cancel(id);
			return err_sys(err, ERR_INTERNAL, e, "cannot wait for %s",
				       core_request_type_name(type));
		}
		if (watch_interrupt && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) {
			/* The fd stays readable (it is not ours to read), so
			 * it is watched no more once the cancel is sent. */
			watch_interrupt = 0;
			core_job_cancel(id);
		}
	}
}
