/*
 * core-job-internal: the side of the jobs that only core-worker.c uses.
 *
 * A worker embeds one `struct core_job_slot`: the place its running job
 * sits, with the cancel pipe its handler polls.  The slot's `current` and
 * `stopping` and every job's registration are guarded by one process-wide
 * lock in core-job.c, which core_job_cancel() takes too, so a cancel can
 * never hit a job that is just ending, nor miss one that is just starting.
 * Not for faces: core.h does not include this header.
 */
#ifndef CORE_JOB_INTERNAL_H
#define CORE_JOB_INTERNAL_H

#include <stdint.h>

#include "base/base-err.h"
#include "core/core-job.h"
#include "core/core-queue.h"
#include "core/core-request.h"

struct core_job_slot {
	int cancel[2];             /* readable while the current job is cancelled, or,
	                            * between jobs, once a queued one is cancelled or
	                            * the slot stops (drained when a job begins) */
	struct core_job *current;  /* the job whose handler runs (under the lock) */
	int stopping;              /* shutting down: refuse to start jobs (under the lock) */
	struct core_queue *events; /* where the slot's jobs send events */
	long interval_ms;          /* progress interval; negative: none */
};

/* Opens the cancel pipe.  events is not owned. */
int core_job_slot_init(struct core_job_slot *slot, struct core_queue *events, long interval_ms,
		       struct err *err);
void core_job_slot_deinit(struct core_job_slot *slot);

/* Marks the slot stopping and cancels its running job; with none, makes
 * the cancel pipe readable for ops->idle.  Any thread. */
void core_job_slot_stop(struct core_job_slot *slot);

/* A fresh job id, never 0.  Any thread. */
uint64_t core_job_next_id(void);

/*
 * Makes and registers the job for req (which it takes over), so that
 * core_job_cancel() finds it from now on; sets req->job_id.  Any thread.
 */
struct core_job *core_job_new(struct core_job_slot *slot, struct core_request *req);

struct core_queue_node *core_job_node(struct core_job *job);
struct core_job *core_job_from_node(struct core_queue_node *node);
const struct core_request *core_job_request(const struct core_job *job);

/*
 * Makes job the slot's current one.  Returns 1 when it should run, 0 when
 * it was cancelled already or the slot is stopping.  Worker thread.
 */
int core_job_begin(struct core_job *job);

/*
 * Ends the job: unregisters it, sends its one final event (CORE_EV_DONE
 * when rc is 0, else CORE_EV_ERROR with *err, or with ERR_CANCELLED when
 * the job was cancelled) and frees it with its request; sets *job to NULL.
 * Worker thread, or the face thread for jobs of a stopped worker.
 */
void core_job_end(struct core_job **job, int rc, const struct err *err);

#endif
