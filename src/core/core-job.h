/*
 * core-job: one request on its way through a worker, and its cancellation.
 *
 * core_worker_post() makes a job for every request and gives it an id,
 * unique in the process and never 0.  While the worker runs it, the
 * handler reports progress with core_job_progress(), sends data with
 * core_job_post() and checks core_job_cancelled() between steps; a
 * handler blocked in poll() also watches core_job_cancel_fd(), which
 * becomes readable when its job is cancelled.  The worker sends the final
 * event when the handler returns: a job cancelled before or while it ran
 * ends with one CORE_EV_ERROR of kind ERR_CANCELLED, unless the handler
 * had already succeeded, in which case it ends with CORE_EV_DONE; never
 * both, and nothing after.
 *
 * Every function here except core_job_cancel() belongs to the worker
 * thread running the job, and may only be called while its handler runs.
 */
#ifndef CORE_JOB_H
#define CORE_JOB_H

#include <stdint.h>

#include "base/base-err.h"
#include "core/core-event.h"

struct core_job;

/* The job's id, as the request's job_id and its events carry. */
uint64_t core_job_id(const struct core_job *job);

/* True once the job was cancelled (by the face, or by shutdown). */
int core_job_cancelled(const struct core_job *job);

/*
 * Returns -1 with ERR_CANCELLED in *err when the job was cancelled, else
 * 0: a handler writes `if (core_job_check(job, err) < 0) goto out;`
 * between steps.
 */
int core_job_check(const struct core_job *job, struct err *err);

/*
 * An fd readable from the moment the job is cancelled until it ends, for
 * the handler's (and the network layer's) poll() next to its socket.
 * Owned by the worker: never read, write or close it.
 */
int core_job_cancel_fd(const struct core_job *job);

/*
 * Reports that `done` of `total` units (0: unknown) are done, with a short
 * label (copied; NULL for none).  Posts a CORE_EV_PROGRESS unless one went
 * out for this job less than the worker's progress interval ago (50 ms by
 * default), so a loop may call it on every step; the first report and the
 * one where done reaches total always go out.  Nothing goes out once the
 * job is cancelled.  Never blocks.
 */
void core_job_progress(struct core_job *job, uint64_t done, uint64_t total, const char *label);

/*
 * Sends a data event (headers, part data, folders...) to the face: sets
 * ev->job_id and hands ev over.  Not for CORE_EV_DONE or CORE_EV_ERROR,
 * which the worker sends when the handler returns.  Never blocks.
 */
void core_job_post(struct core_job *job, struct core_event *ev);

/*
 * Cancels the job with this id, wherever it is: still queued (it will be
 * answered ERR_CANCELLED without running) or running (its flag is set and
 * its cancel fd becomes readable, which wakes a handler blocked in a
 * network read; also while no job runs, to end what ops->idle waits for).
 * Returns 1 when the job was live, 0 when it had already ended or never
 * existed.  Any thread; never blocks for long (one lock).
 */
int core_job_cancel(uint64_t job_id);

#endif
