/*
 * core-worker: one thread per account, which owns the account's connection
 * and runs the requests a face posts to it, in order.
 *
 * A face (the TUI's loop, the mailx face) posts requests with
 * core_worker_post() and reads the events that answer them from the event
 * queue it gave the worker, by poll()ing core_queue_fd() along with its
 * terminal; several workers may share one event queue.  The worker hands
 * each request to ops->handle() on its own thread; what the handler needs
 * (a socket, a libnotmuch handle, a cache) lives in ctx and is touched by
 * the worker thread only.  The mailx face waits for a job with
 * core_call_sync().
 *
 * Between requests a backend that can be told about new mail (IMAP IDLE)
 * gets ops->idle(), where it waits in poll() on its socket and on
 * core_worker_request_fd() together, and returns as soon as a request is
 * queued.
 *
 * The worker thread starts with every signal blocked, so signals reach
 * the face's thread and its signal pipe.
 */
#ifndef CORE_WORKER_H
#define CORE_WORKER_H

#include <stdint.h>

#include "base/base-err.h"
#include "core/core-event.h"
#include "core/core-job.h"
#include "core/core-queue.h"
#include "core/core-request.h"

struct core_worker;

struct core_worker_ops {
	/*
	 * Runs one request on the worker thread.  Returns 0 when it succeeded
	 * (the worker then sends CORE_EV_DONE) or -1 with *err filled (sent as
	 * CORE_EV_ERROR; a cancelled job's failure is sent as ERR_CANCELLED).
	 * Requests of a type it does not implement fail with ERR_UNSUPPORTED.
	 * May block on the network; must check core_job_cancelled() between
	 * steps and watch core_job_cancel_fd() while it waits.
	 */
	int (*handle)(void *ctx, struct core_job *job, const struct core_request *req,
		      struct err *err);
	/*
	 * Optional.  Called on the worker thread when its queue is empty;
	 * waits (IMAP IDLE) for the server's news, posting it with
	 * core_worker_post_event(), and returns 0 once core_worker_request_fd()
	 * is readable (or when it wants to be called again).  On -1 the error
	 * goes to the face with job id 0, and idle is not called again until
	 * a request has been handled.  Watches core_worker_cancel_fd() while
	 * it waits on a server: it becomes readable when a queued request is
	 * cancelled or the worker stops, and the wait should then end.
	 */
	int (*idle)(void *ctx, struct core_worker *worker, struct err *err);
	/* Optional.  Frees ctx on the worker thread after its last request. */
	void (*destroy)(void *ctx);
};

/* Progress events of one job are at least this far apart by default. */
#define CORE_PROGRESS_INTERVAL_MS 50

struct core_worker_params {
	const char *name;                 /* the account's name, for logs (copied) */
	const struct core_worker_ops *ops; /* must outlive the worker */
	void *ctx;                        /* handed to the worker (see core_worker_new) */
	struct core_queue *events;        /* where events go; the face owns it and must
					     free it only after the worker */
	/* The least time between two progress events of one job: 0 takes
	 * CORE_PROGRESS_INTERVAL_MS, a negative value sends every report. */
	long progress_interval_ms;
};

/*
 * Starts a worker thread.  On success the worker owns ctx (ops->destroy
 * frees it on the worker thread) and the caller owns the worker; on
 * failure (-1, ERR_INTERNAL) ctx stays the caller's.  Face thread.
 */
int core_worker_new(const struct core_worker_params *params, struct core_worker **worker_r,
		    struct err *err);

/*
 * Stops the worker and frees it; sets *worker to NULL.  Cancels the
 * running job, answers every queued request with ERR_CANCELLED, calls
 * ops->destroy and joins the thread, so it blocks until the handler
 * notices its cancel.  The events of the stopping jobs (and a CORE_EV_DONE
 * for the shutdown itself) are left in the event queue.  Face thread.
 */
void core_worker_free(struct core_worker **worker);

/*
 * Hands req over to the worker and returns its job id (also stored in
 * req->job_id before the hand-over).  Requests run one at a time in the
 * order posted.  Two types act at once instead of waiting their turn:
 * CORE_REQ_CANCEL cancels u.cancel.job_id (as core_job_cancel) and is
 * answered CORE_EV_DONE right away; CORE_REQ_SHUTDOWN cancels the running
 * job and every request queued before it, and the worker then ends
 * (core_worker_free still has to be called).  Face thread (never the
 * worker's own); never blocks.
 */
uint64_t core_worker_post(struct core_worker *worker, struct core_request *req);

/*
 * Sends an event no request asked for (new mail, connection state) with
 * job id 0; hands ev over.  Worker thread (from ops->idle or a handler).
 */
void core_worker_post_event(struct core_worker *worker, struct core_event *ev);

/*
 * Readable while a request waits in the worker's queue: ops->idle polls it
 * next to its socket.  Owned by the worker.  Worker thread.
 */
int core_worker_request_fd(const struct core_worker *worker);

/*
 * Readable while the job the worker runs is cancelled (the same fd as
 * core_job_cancel_fd), or, while none runs, once a queued one is
 * cancelled or the worker stops; for the network parameters of a backend
 * that opens its connection before a job asks for it.  Owned by the
 * worker.  Worker thread.
 */
int core_worker_cancel_fd(const struct core_worker *worker);

/* The account name the worker was created with. */
const char *core_worker_name(const struct core_worker *worker);

/* Called with each event core_call_sync() reads that does not end its job
 * (progress, data, events of other jobs or of none).  The event is lent:
 * it is freed when the callback returns. */
typedef void core_call_fn(const struct core_event *ev, void *ctx);

/*
 * Posts req (handing it over) and waits for its job's final event, for
 * the mailx face.  Every other event read meanwhile from the worker's
 * event queue goes to fn (which may be NULL).  When interrupt_fd (-1 for
 * none) becomes readable, for instance because a SIGINT handler wrote to
 * a pipe, the job is cancelled and the wait goes on for its end;
 * interrupt_fd is never read.  Returns 0 when the job succeeded, or -1
 * with the job's error.  Blocks; must be called on the thread that
 * consumes the worker's event queue, never on the worker's.
 */
int core_call_sync(struct core_worker *worker, struct core_request *req, core_call_fn *fn,
		   void *ctx, int interrupt_fd, struct err *err);
/* core_call_sync() in two steps, for a caller with work of its own to do
 * meanwhile: core_worker_post() (handing req over) gives the job id, and
 * core_call_wait() waits for that job as core_call_sync() does. */
int core_call_wait(struct core_worker *worker, uint64_t id, enum core_req_type type,
		   core_call_fn *fn, void *ctx, int interrupt_fd, struct err *err);

#endif
