#include "config.h"

#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "base/base-err.h"
#include "core/core.h"
#include "test-common.h"

#define STEPS 100
/* Only a guard against a test hanging forever when an event never comes;
 * no result depends on time. */
#define GUARD_MS 20000

/*
 * What the test handler does depends on the request type:
 *   FETCH_HEADERS   100 steps, each waiting for a byte on the step pipe,
 *                   checking for a cancel, then reporting progress
 *   FETCH_MESSAGE   reports "waiting", then polls a pipe that never gets
 *                   ready together with the job's cancel fd
 *   FETCH_PART      records whether the cancel fd is readable at its start
 *   SET_FLAGS       reports "started", waits for one byte, succeeds
 *                   whether cancelled or not
 *   SEARCH          reports progress 100 times in a tight loop
 *   LIST_FOLDERS    counts its calls
 *   CLOSE_FOLDER    does nothing
 */
struct fixture {
	int step[2];  /* the test writes, the handler reads (blocking) */
	int never[2]; /* nobody ever writes */
	atomic_int steps_done;
	atomic_int finished;
	atomic_int cancel_seen_at;
	atomic_int woken_by_cancel;
	atomic_int stale_cancel;
	atomic_int list_calls;
};

static int
wait_byte(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

static int
fx_handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct fixture *fx = ctx;

	switch (req->type) {
	case CORE_REQ_FETCH_HEADERS:
		for (int i = 1; i <= STEPS; i++) {
			if (wait_byte(fx->step[0]) < 0)
				return err_set(err, ERR_INTERNAL, "step pipe closed");
			if (core_job_check(job, err) < 0) {
				atomic_store(&fx->cancel_seen_at, i);
				return -1;
			}
			atomic_store(&fx->steps_done, i);
			core_job_progress(job, (uint64_t)i, STEPS, "step");
		}
		atomic_store(&fx->finished, 1);
		return 0;
	case CORE_REQ_FETCH_MESSAGE: {
		struct pollfd pfd[2] = {
			{.fd = fx->never[0], .events = POLLIN},
			{.fd = core_job_cancel_fd(job), .events = POLLIN},
		};

		core_job_progress(job, 0, 0, "waiting");
		if (poll(pfd, 2, -1) < 0)
			return err_set(err, ERR_INTERNAL, "poll failed");
		if (pfd[1].revents & POLLIN) {
			atomic_store(&fx->woken_by_cancel, 1);
			return err_set(err, ERR_CANCELLED, "fetch interrupted");
		}
		return err_set(err, ERR_INTERNAL, "woken by something else");
	}
	case CORE_REQ_FETCH_PART: {
		struct pollfd pfd = {.fd = core_job_cancel_fd(job), .events = POLLIN};

		atomic_store(&fx->stale_cancel, poll(&pfd, 1, 0) != 0);
		return 0;
	}
	case CORE_REQ_SET_FLAGS:
		core_job_progress(job, 0, 1, "started");
		if (wait_byte(fx->step[0]) < 0)
			return err_set(err, ERR_INTERNAL, "step pipe closed");
		return 0;
	case CORE_REQ_SEARCH:
		for (int i = 1; i <= STEPS; i++)
			core_job_progress(job, (uint64_t)i, STEPS, "searching");
		return 0;
	case CORE_REQ_LIST_FOLDERS:
		atomic_fetch_add(&fx->list_calls, 1);
		return 0;
	case CORE_REQ_CLOSE_FOLDER:
		return 0;
	default:
		return err_set(err, ERR_UNSUPPORTED, "not in this test");
	}
}

static const struct core_worker_ops fx_ops = {.handle = fx_handle};

static struct core_event *
next_event(struct core_queue *q)
{
	struct core_event *ev;

	while ((ev = core_event_pop(q)) == NULL) {
		struct pollfd pfd = {.fd = core_queue_fd(q), .events = POLLIN};

		if (poll(&pfd, 1, GUARD_MS) != 1)
			return NULL;
	}
	return ev;
}

static int
no_event_pending(struct core_queue *q)
{
	struct pollfd pfd = {.fd = core_queue_fd(q), .events = POLLIN};

	return poll(&pfd, 1, 0) == 0;
}

static struct core_worker *
start_worker(struct fixture *fx, struct core_queue *events, long interval_ms)
{
	struct core_worker_params p = {
		.name = "test",
		.ops = &fx_ops,
		.ctx = fx,
		.events = events,
		.progress_interval_ms = interval_ms,
	};
	struct core_worker *w = NULL;
	struct err err;

	if (core_worker_new(&p, &w, &err) < 0)
		test_assert_str(err.msg, "");
	return w;
}

static void
release_step(struct fixture *fx)
{
	if (write(fx->step[1], "s", 1) != 1)
		test_assert(!"cannot write to the step pipe");
}

/* The test the issue asks for: progress seen while the job runs, then a
 * cancel that stops it at its next check. */
static void
test_progress_then_cancel(struct fixture *fx, struct core_queue *events)
{
	struct core_worker *w = start_worker(fx, events, -1);
	struct core_request *req = core_request_new(CORE_REQ_FETCH_HEADERS);
	struct core_event *ev;
	uint64_t id, sentinel;
	int progress_ok = 1, running_ok = 1, after_final = 0, sentinel_done = 0;

	test_begin("progress arrives while the job runs");
	id = core_worker_post(w, req);
	test_assert(id != 0);
	for (int i = 1; i <= 10; i++) {
		release_step(fx);
		ev = next_event(events);
		if (ev == NULL || ev->type != CORE_EV_PROGRESS || ev->job_id != id ||
		    ev->u.progress.done != (uint64_t)i || ev->u.progress.total != STEPS ||
		    strcmp(ev->u.progress.label, "step") != 0)
			progress_ok = 0;
		/* The handler cannot finish before the test lets all 100
		 * steps through: this progress came from a running job. */
		if (atomic_load(&fx->finished) || atomic_load(&fx->steps_done) != i)
			running_ok = 0;
		core_event_free(&ev);
	}
	test_assert(progress_ok);
	test_assert(running_ok);
	test_assert(no_event_pending(events));
	test_end();

	test_begin("a cancelled job stops at its next check");
	test_assert_int(core_job_cancel(id), 1);
	release_step(fx);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_ERROR);
	test_assert_int(ev ? ev->job_id : 0, id);
	test_assert_int(ev ? ev->u.error.err.kind : ERR_NONE, ERR_CANCELLED);
	test_assert_str(ev ? ev->u.error.err.msg : NULL, "fetch headers cancelled");
	core_event_free(&ev);
	test_assert_int(atomic_load(&fx->cancel_seen_at), 11);
	test_assert_int(atomic_load(&fx->steps_done), 10);
	test_assert(!atomic_load(&fx->finished));
	/* Gone once its final event is out. */
	test_assert_int(core_job_cancel(id), 0);

	/* Whatever the job might still send would be queued before the
	 * answer to a later request on the same worker. */
	sentinel = core_worker_post(w, core_request_new(CORE_REQ_CLOSE_FOLDER));
	while ((ev = next_event(events)) != NULL) {
		if (ev->job_id == id)
			after_final++;
		if (ev->job_id == sentinel && ev->type == CORE_EV_DONE)
			sentinel_done = 1;
		core_event_free(&ev);
		if (sentinel_done)
			break;
	}
	test_assert(sentinel_done);
	test_assert_int(after_final, 0);
	test_end();
	core_worker_free(&w);
	while ((ev = core_event_pop(events)) != NULL)
		core_event_free(&ev);
}

/* A handler blocked in poll() on a never-ready fd is woken by its cancel,
 * and the next job does not inherit it. */
static void
test_cancel_wakes_poll(struct fixture *fx, struct core_queue *events)
{
	struct core_worker *w = start_worker(fx, events, -1);
	struct core_event *ev;
	uint64_t id, next;

	test_begin("cancel wakes a job blocked in poll()");
	id = core_worker_post(w, core_request_new(CORE_REQ_FETCH_MESSAGE));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_PROGRESS && ev->job_id == id);
	core_event_free(&ev);
	test_assert_int(core_job_cancel(id), 1);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_ERROR && ev->job_id == id);
	test_assert_int(ev ? ev->u.error.err.kind : ERR_NONE, ERR_CANCELLED);
	/* The handler's own sentence is kept when its kind says cancelled. */
	test_assert_str(ev ? ev->u.error.err.msg : NULL, "fetch interrupted");
	core_event_free(&ev);
	test_assert_int(atomic_load(&fx->woken_by_cancel), 1);

	next = core_worker_post(w, core_request_new(CORE_REQ_FETCH_PART));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_DONE && ev->job_id == next);
	core_event_free(&ev);
	test_assert_int(atomic_load(&fx->stale_cancel), 0);
	test_end();
	core_worker_free(&w);
	while ((ev = core_event_pop(events)) != NULL)
		core_event_free(&ev);
}

static void
test_cancel_queued(struct fixture *fx, struct core_queue *events)
{
	struct core_worker *w = start_worker(fx, events, -1);
	struct core_event *ev;
	uint64_t busy, queued;

	test_begin("a job cancelled while queued never runs");
	atomic_store(&fx->list_calls, 0);
	busy = core_worker_post(w, core_request_new(CORE_REQ_SET_FLAGS));
	queued = core_worker_post(w, core_request_new(CORE_REQ_LIST_FOLDERS));
	ev = next_event(events); /* "started": the worker is busy */
	test_assert(ev != NULL && ev->type == CORE_EV_PROGRESS && ev->job_id == busy);
	core_event_free(&ev);
	test_assert_int(core_job_cancel(queued), 1);
	release_step(fx);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_DONE && ev->job_id == busy);
	core_event_free(&ev);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_ERROR && ev->job_id == queued);
	test_assert_int(ev ? ev->u.error.err.kind : ERR_NONE, ERR_CANCELLED);
	core_event_free(&ev);
	test_assert_int(atomic_load(&fx->list_calls), 0);
	test_end();

	test_begin("a job that finishes despite a cancel ends with done only");
	busy = core_worker_post(w, core_request_new(CORE_REQ_SET_FLAGS));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_PROGRESS && ev->job_id == busy);
	core_event_free(&ev);
	test_assert_int(core_job_cancel(busy), 1);
	release_step(fx);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_DONE && ev->job_id == busy);
	core_event_free(&ev);
	/* One final event, then the job is gone. */
	queued = core_worker_post(w, core_request_new(CORE_REQ_CLOSE_FOLDER));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_DONE && ev->job_id == queued);
	core_event_free(&ev);
	test_assert_int(core_job_cancel(busy), 0);
	test_assert_int(core_job_cancel(0), 0);
	test_assert_int(core_job_cancel(UINT64_MAX), 0);
	test_end();
	core_worker_free(&w);
	while ((ev = core_event_pop(events)) != NULL)
		core_event_free(&ev);
}

/* Runs SEARCH (100 progress reports back to back) and counts progress. */
static int
count_progress(struct fixture *fx, struct core_queue *events, long interval_ms,
	       uint64_t *first_r, uint64_t *last_r)
{
	struct core_worker *w = start_worker(fx, events, interval_ms);
	struct core_event *ev;
	uint64_t id;
	int n = 0;

	id = core_worker_post(w, core_request_new(CORE_REQ_SEARCH));
	while ((ev = next_event(events)) != NULL) {
		int final = core_event_is_final(ev);

		if (ev->job_id == id && ev->type == CORE_EV_PROGRESS) {
			if (n == 0)
				*first_r = ev->u.progress.done;
			*last_r = ev->u.progress.done;
			n++;
		}
		core_event_free(&ev);
		if (final)
			break;
	}
	core_worker_free(&w);
	while ((ev = core_event_pop(events)) != NULL)
		core_event_free(&ev);
	return n;
}

static void
test_rate_limit(struct fixture *fx, struct core_queue *events)
{
	uint64_t first = 0, last = 0;
	int n;

	test_begin("progress is rate-limited, first and final always sent");
	n = count_progress(fx, events, -1, &first, &last);
	test_assert_int(n, STEPS);
	/* An hour between reports: only the first and the final go out. */
	n = count_progress(fx, events, 3600L * 1000, &first, &last);
	test_assert_int(n, 2);
	test_assert_int(first, 1);
	test_assert_int(last, STEPS);
	n = count_progress(fx, events, 0, &first, &last);
	test_assert(n >= 2 && n <= STEPS);
	test_assert_int(first, 1);
	test_assert_int(last, STEPS);
	test_end();
}

/* A label is cut to a status line's worth, never inside a character. */
static int
label_handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	char label[401];

	for (int i = 0; i < 200; i++)
		memcpy(label + 2 * i, "\xc3\xa9", 2); /* é */
	label[400] = '\0';
	core_job_progress(job, 1, 2, label);
	core_job_progress(job, 2, 2, NULL);
	return core_job_check(job, err);
}

static void
test_labels(struct core_queue *events)
{
	static const struct core_worker_ops ops = {.handle = label_handle};
	struct core_worker_params p = {.name = "labels", .ops = &ops, .events = events};
	struct core_worker *w = NULL;
	struct core_event *ev;
	struct err err;
	size_t len;

	test_begin("progress labels are copied and cut at a character boundary");
	test_assert_int(core_worker_new(&p, &w, &err), 0);
	core_worker_post(w, core_request_new(CORE_REQ_CONNECT));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_PROGRESS);
	len = ev ? strlen(ev->u.progress.label) : 0;
	test_assert(len > 0 && len <= 80 && len % 2 == 0);
	core_event_free(&ev);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_PROGRESS);
	test_assert_str(ev ? ev->u.progress.label : NULL, "");
	core_event_free(&ev);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_DONE);
	core_event_free(&ev);
	core_worker_free(&w);
	while ((ev = core_event_pop(events)) != NULL)
		core_event_free(&ev);
	test_end();
}

int
main(void)
{
	struct fixture fx;
	struct core_queue *events;
	struct err err;

	memset(&fx, 0, sizeof(fx));
	if (pipe(fx.step) < 0 || pipe(fx.never) < 0)
		return 99;
	events = core_event_queue_new(&err);
	if (events == NULL)
		return 99;

	test_progress_then_cancel(&fx, events);
	test_cancel_wakes_poll(&fx, events);
	test_cancel_queued(&fx, events);
	test_rate_limit(&fx, events);
	test_labels(events);

	core_event_queue_free(&events);
	close(fx.step[0]);
	close(fx.step[1]);
	close(fx.never[0]);
	close(fx.never[1]);
	return test_done();
}
