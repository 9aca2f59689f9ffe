#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "core/core-job-internal.h"
#include "core/core-job.h"

/* Labels are for a status line: longer ones are cut (at a UTF-8 boundary). */
#define LABEL_MAX 80

struct core_job {
	struct core_queue_node node;  /* in the worker's request queue */
	struct core_job *prev, *next; /* in the registry */
	uint64_t id;
	atomic_int cancelled;
	struct core_job_slot *slot;
	struct core_request *req;
	int reported; /* a progress event went out */
	struct timespec last_report;
};

/*
 * Live jobs, so that core_job_cancel() can find one by id from any thread.
 * There are few at a time (one running and a short queue per account), so
 * a list does.
 */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct core_job *registry;
static atomic_uint_fast64_t last_id;

static void
signal_cancel(struct core_job_slot *slot)
{
	ssize_t n;

	/* Level-triggered: the pipe stays readable until the job ends, so a
	 * handler that polls again after a first wake-up still sees it.  More
	 * than one byte is harmless: the pipe is drained when the job ends. */
	do
		n = write(slot->cancel[1], "", 1);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno != EAGAIN)
		log_error("cannot signal a cancel: %s", strerror(errno));
}

int
core_job_slot_init(struct core_job_slot *slot, struct core_queue *events, long interval_ms,
		   struct err *err)
{
	memset(slot, 0, sizeof(*slot));
	if (core_queue_pipe(slot->cancel, err) < 0)
		return -1;
	slot->events = events;
	slot->interval_ms = interval_ms;
	return 0;
}

void
core_job_slot_deinit(struct core_job_slot *slot)
{
	close(slot->cancel[0]);
	close(slot->cancel[1]);
	slot->cancel[0] = slot->cancel[1] = -1;
}

void
core_job_slot_stop(struct core_job_slot *slot)
{
	pthread_mutex_lock(&registry_lock);
	slot->stopping = 1;
	if (slot->current != NULL)
		atomic_store(&slot->current->cancelled, 1);
	/* Also between jobs: ops->idle may be waiting on a server that no
	 * longer answers (the end of an IMAP IDLE), and the worker must end. */
	signal_cancel(slot);
	pthread_mutex_unlock(&registry_lock);
}

uint64_t
core_job_next_id(void)
{
	return (uint64_t)atomic_fetch_add(&last_id, 1) + 1;
}

struct core_job *
core_job_new(struct core_job_slot *slot, struct core_request *req)
{
	struct core_job *job = xcalloc(1, sizeof(*job));

	job->id = core_job_next_id();
	job->slot = slot;
	job->req = req;
	req->job_id = job->id;
	atomic_init(&job->cancelled, 0);
	pthread_mutex_lock(&registry_lock);
	job->next = registry;
	if (registry != NULL)
		registry->prev = job;
	registry = job;
	pthread_mutex_unlock(&registry_lock);
	return job;
}

struct core_queue_node *
core_job_node(struct core_job *job)
{
	return &job->node;
}

struct core_job *
core_job_from_node(struct core_queue_node *node)
{
	return CORE_QUEUE_ITEM(node, struct core_job, node);
}

const struct core_request *
core_job_request(const struct core_job *job)
{
	return job->req;
}

int
core_job_begin(struct core_job *job)
{
	struct core_job_slot *slot = job->slot;
	int run;

	pthread_mutex_lock(&registry_lock);
	slot->current = job;
	core_queue_pipe_drain(slot->cancel[0]);
	if (slot->stopping)
		atomic_store(&job->cancelled, 1);
	run = !atomic_load(&job->cancelled);
	if (!run)
		signal_cancel(slot);
	pthread_mutex_unlock(&registry_lock);
	return run;
}

void
core_job_end(struct core_job **jobp, int rc, const struct err *err)
{
	struct core_job *job = *jobp;
	struct core_job_slot *slot = job->slot;
	struct core_event *ev;
	int cancelled;

	pthread_mutex_lock(&registry_lock);
	if (job->prev != NULL)
		job->prev->next = job->next;
	else
		registry = job->next;
	if (job->next != NULL)
		job->next->prev = job->prev;
	if (slot->current == job) {
		slot->current = NULL;
		core_queue_pipe_drain(slot->cancel[0]);
	}
	cancelled = atomic_load(&job->cancelled);
	pthread_mutex_unlock(&registry_lock);

	/* Unregistered before the final event goes out: a face that cancels
	 * after seeing it finds no job, rather than one about to vanish. */
	if (rc == 0) {
		ev = core_event_new(CORE_EV_DONE, job->id);
	} else {
		ev = core_event_new(CORE_EV_ERROR, job->id);
		if (cancelled && (err == NULL || err->kind != ERR_CANCELLED))
			err_set(&ev->u.error.err, ERR_CANCELLED, "%s cancelled",
				core_request_type_name(job->req->type));
		else if (err == NULL || err->kind == ERR_NONE)
			err_set(&ev->u.error.err, ERR_INTERNAL, "%s failed for an unknown reason",
				core_request_type_name(job->req->type));
		else
			ev->u.error.err = *err;
	}
	log_trace(LOG_CH_CORE, "job %llu (%s): %s%s%s", (unsigned long long)job->id,
		  core_request_type_name(job->req->type), core_event_type_name(ev->type),
		  rc == 0 ? "" : ": ", rc == 0 ? "" : ev->u.error.err.msg);
	core_event_push(slot->events, ev);
	core_request_free(&job->req);
	free(job);
	*jobp = NULL;
}

uint64_t
core_job_id(const struct core_job *job)
{
	return job->id;
}

int
core_job_cancelled(const struct core_job *job)
{
	return atomic_load(&((struct core_job *)job)->cancelled);
}

int
core_job_check(const struct core_job *job, struct err *err)
{
	if (!core_job_cancelled(job))
		return 0;
	return err_set(err, ERR_CANCELLED, "%s cancelled", core_request_type_name(job->req->type));
}

int
core_job_cancel_fd(const struct core_job *job)
{
	return job->slot->cancel[0];
}

static long
elapsed_ms(const struct timespec *from, const struct timespec *to)
{
	return (long)(to->tv_sec - from->tv_sec) * 1000 + (to->tv_nsec - from->tv_nsec) / 1000000;
}

void
core_job_progress(struct core_job *job, uint64_t done, uint64_t total, const char *label)
{
	struct core_event *ev;
	struct timespec now;
	size_t len;

	if (core_job_cancelled(job))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (job->reported && !(total != 0 && done >= total) && job->slot->interval_ms >= 0 &&
	    elapsed_ms(&job->last_report, &now) < job->slot->interval_ms)
		return;
	job->reported = 1;
	job->last_report = now;

	ev = core_event_new(CORE_EV_PROGRESS, job->id);
	ev->u.progress.done = done;
	ev->u.progress.total = total;
	if (label == NULL)
		label = "";
	len = strlen(label);
	if (len > LABEL_MAX) {
		len = LABEL_MAX;
		while (len > 0 && ((unsigned char)label[len] & 0xc0) == 0x80)
			len--;
	}
	ev->u.progress.label = arena_strndup(ev->arena, label, len);
	core_event_push(job->slot->events, ev);
}

void
core_job_post(struct core_job *job, struct core_event *ev)
{
	ev->job_id = job->id;
	core_event_push(job->slot->events, ev);
}

int
core_job_cancel(uint64_t job_id)
{
	struct core_job *job;
	int found = 0;

	pthread_mutex_lock(&registry_lock);
	for (job = registry; job != NULL; job = job->next) {
		if (job->id != job_id)
			continue;
		found = 1;
		atomic_store(&job->cancelled, 1);
		/* With no job running the worker is in ops->idle, and whatever
		 * it waits for there (a server that does not answer the end of
		 * IDLE) is all that holds the queued job back. */
		if (job->slot->current == job || job->slot->current == NULL)
			signal_cancel(job->slot);
		break;
	}
	pthread_mutex_unlock(&registry_lock);
	if (found)
		log_trace(LOG_CH_CORE, "job %llu: cancel", (unsigned long long)job_id);
	return found;
}
