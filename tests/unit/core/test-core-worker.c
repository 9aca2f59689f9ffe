#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "base/base-err.h"
#include "core/core.h"
#include "test-common.h"

/* Only a guard against a test hanging forever when an event never comes;
 * no result depends on time. */
#define GUARD_MS 20000
#define ORDERED 50

/*
 * The test backend.  By request type:
 *   FETCH_MESSAGE   records u.fetch_message.id in the order handled
 *   OPEN_FOLDER     answers with a headers batch and a folder list whose
 *                   strings come from the request (copied, as they must be)
 *   FETCH_PART      blocks in poll() on a never-ready pipe and the cancel
 *                   fd; writes to `interrupt` first when it is set
 *   APPEND          reports three progress steps, then fails as rejected
 *   SEND            reports progress once and succeeds
 *   anything else   ERR_UNSUPPORTED
 */
struct backend {
	int never[2];
	int interrupt; /* -1, or a pipe the handler writes to (a SIGINT) */
	uint64_t order[ORDERED];
	atomic_int handled;
	atomic_int part_calls;
	atomic_int destroyed;
	pthread_t handler_thread;
	pthread_t destroy_thread;
	/* idle */
	int news[2];   /* a byte here is "the server announced new mail" */
	atomic_int idle_calls;
	atomic_int idle_returns;
	atomic_int idle_fail; /* the next idle fails */
};

static int
be_handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct backend *be = ctx;
	struct core_event *ev;

	be->handler_thread = pthread_self();
	if (req->job_id != core_job_id(job))
		return err_set(err, ERR_INTERNAL, "the request does not carry its job id");
	switch (req->type) {
	case CORE_REQ_FETCH_MESSAGE: {
		int n = atomic_load(&be->handled);

		if (n < ORDERED)
			be->order[n] = req->u.fetch_message.id;
		atomic_store(&be->handled, n + 1);
		return 0;
	}
	case CORE_REQ_OPEN_FOLDER: {
		const char *name = req->u.open_folder.folder;
		struct mime_summary *s;

		ev = core_event_new(CORE_EV_HEADERS, 0);
		ev->u.headers.folder = arena_strdup(ev->arena, name);
		ev->u.headers.first = 7;
		ev->u.headers.count = 3;
		s = arena_alloc(ev->arena, 3 * sizeof(*s));
		for (int i = 0; i < 3; i++) {
			s[i].id = 100 + (uint64_t)i;
			s[i].subject = arena_printf(ev->arena, "%s #%d", name, i);
			s[i].from_addr = arena_strdup(ev->arena, "a@example.org");
		}
		ev->u.headers.items = s;
		core_job_post(job, ev);

		ev = core_event_new(CORE_EV_FOLDERS, 0);
		ev->u.folders.count = 1;
		ev->u.folders.items = arena_alloc(ev->arena, sizeof(struct core_folder));
		ev->u.folders.items[0].name = arena_strdup(ev->arena, name);
		ev->u.folders.items[0].delim = '/';
		core_job_post(job, ev);
		return 0;
	}
	case CORE_REQ_FETCH_PART: {
		struct pollfd pfd[2] = {
			{.fd = be->never[0], .events = POLLIN},
			{.fd = core_job_cancel_fd(job), .events = POLLIN},
		};

		atomic_fetch_add(&be->part_calls, 1);
		if (be->interrupt >= 0 && write(be->interrupt, "i", 1) != 1)
			return err_set(err, ERR_INTERNAL, "cannot interrupt");
		if (poll(pfd, 2, -1) < 0)
			return err_set(err, ERR_INTERNAL, "poll failed");
		if (pfd[1].revents & POLLIN)
			return err_set(err, ERR_CONN, "connection closed while reading");
		return err_set(err, ERR_INTERNAL, "woken by something else");
	}
	case CORE_REQ_APPEND:
		for (int i = 1; i <= 3; i++)
			core_job_progress(job, (uint64_t)i, 3, "appending");
		return err_set(err, ERR_REJECTED, "mailbox is full");
	case CORE_REQ_SEND:
		core_job_progress(job, 1, 1, "sending");
		return 0;
	default:
		return err_set(err, ERR_UNSUPPORTED, "%s is not supported here",
			       core_request_type_name(req->type));
	}
}

static void
be_destroy(void *ctx)
{
	struct backend *be = ctx;

	be->destroy_thread = pthread_self();
	atomic_fetch_add(&be->destroyed, 1);
}

/* IMAP IDLE's shape: wait on the "socket" and the request fd together. */
static int
be_idle(void *ctx, struct core_worker *worker, struct err *err)
{
	struct backend *be = ctx;

	atomic_fetch_add(&be->idle_calls, 1);
	if (atomic_exchange(&be->idle_fail, 0))
		return err_set(err, ERR_CONN, "connection lost while idle");
	for (;;) {
		struct pollfd pfd[2] = {
			{.fd = be->news[0], .events = POLLIN},
			{.fd = core_worker_request_fd(worker), .events = POLLIN},
		};

		if (poll(pfd, 2, -1) < 0)
			return err_set(err, ERR_INTERNAL, "poll failed");
		if (pfd[0].revents & POLLIN) {
			struct core_event *ev = core_event_new(CORE_EV_NEW_MAIL, 0);
			char c;

			if (read(be->news[0], &c, 1) != 1)
				return err_set(err, ERR_INTERNAL, "read failed");
			ev->u.new_mail.folder = arena_strdup(ev->arena, "INBOX");
			ev->u.new_mail.exists = 42;
			core_worker_post_event(worker, ev);
		}
		if (pfd[1].revents & POLLIN) {
			atomic_fetch_add(&be->idle_returns, 1);
			return 0;
		}
	}
}

/* The end of an IMAP IDLE the server does not answer: the request fd is
 * readable, but only the worker's cancel fd can end the wait.  Ten
 * seconds without it count as a failure rather than a hung test. */
static int
be_idle_stuck(void *ctx, struct core_worker *worker, struct err *err)
{
	struct backend *be = ctx;
	struct pollfd pfd = {.fd = core_worker_cancel_fd(worker), .events = POLLIN};
	int n;

	atomic_fetch_add(&be->idle_calls, 1);
	while ((n = poll(&pfd, 1, 10000)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return err_set(err, ERR_TIMEOUT, "the cancel never reached idle");
	atomic_fetch_add(&be->idle_returns, 1);
	return 0;
}

static const struct core_worker_ops be_ops = {.handle = be_handle, .destroy = be_destroy};
static const struct core_worker_ops be_stuck_ops = {
	.handle = be_handle, .idle = be_idle_stuck, .destroy = be_destroy};
static const struct core_worker_ops be_idle_ops = {
	.handle = be_handle, .idle = be_idle, .destroy = be_destroy};

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
wait_byte(int fd)
{
	char c;

	return read(fd, &c, 1) == 1 ? 0 : -1;
}

static void
drain(struct core_queue *q)
{
	struct core_event *ev;

	while ((ev = core_event_pop(q)) != NULL)
		core_event_free(&ev);
}

static void
backend_init(struct backend *be)
{
	memset(be, 0, sizeof(*be));
	be->interrupt = -1;
	if (pipe(be->never) < 0 || pipe(be->news) < 0)
		test_assert(!"pipe");
}

static void
backend_deinit(struct backend *be)
{
	close(be->never[0]);
	close(be->never[1]);
	close(be->news[0]);
	close(be->news[1]);
}

static struct core_worker *
start(struct backend *be, const struct core_worker_ops *ops, struct core_queue *events,
      const char *name)
{
	struct core_worker_params p = {
		.name = name, .ops = ops, .ctx = be, .events = events,
		.progress_interval_ms = -1,
	};
	struct core_worker *w = NULL;
	struct err err;

	if (core_worker_new(&p, &w, &err) < 0)
		test_assert_str(err.msg, "");
	return w;
}

static void
test_order(struct core_queue *events)
{
	struct backend be;
	struct core_worker *w;
	uint64_t ids[ORDERED];
	int handled_ok = 1, events_ok = 1;

	test_begin("requests are handled in the order posted");
	backend_init(&be);
	w = start(&be, &be_ops, events, "order");
	test_assert_str(core_worker_name(w), "order");
	for (int i = 0; i < ORDERED; i++) {
		struct core_request *req = core_request_new(CORE_REQ_FETCH_MESSAGE);

		req->u.fetch_message.id = 1000 + (uint64_t)i;
		ids[i] = core_worker_post(w, req);
		if (i > 0 && ids[i] <= ids[i - 1])
			events_ok = 0;
	}
	for (int i = 0; i < ORDERED; i++) {
		struct core_event *ev = next_event(events);

		if (ev == NULL || ev->type != CORE_EV_DONE || ev->job_id != ids[i])
			events_ok = 0;
		core_event_free(&ev);
	}
	test_assert(events_ok);
	test_assert_int(atomic_load(&be.handled), ORDERED);
	for (int i = 0; i < ORDERED; i++)
		if (be.order[i] != 1000 + (uint64_t)i)
			handled_ok = 0;
	test_assert(handled_ok);
	core_worker_free(&w);
	core_worker_free(&w);
	test_assert(w == NULL);
	test_assert_int(atomic_load(&be.destroyed), 1);
	test_assert(pthread_equal(be.destroy_thread, be.handler_thread));
	test_assert(!pthread_equal(be.destroy_thread, pthread_self()));
	drain(events);
	backend_deinit(&be);
	test_end();
}

static void
test_bad_params(struct core_queue *events)
{
	struct core_worker_params p = {.name = "bad", .events = events};
	struct core_worker *w = (struct core_worker *)&p;
	struct err err;

	test_begin("a worker without a handler is refused");
	err_clear(&err);
	test_assert_int(core_worker_new(&p, &w, &err), -1);
	test_assert(w == NULL);
	test_assert_int(err.kind, ERR_INTERNAL);
	p.ops = &be_ops;
	p.events = NULL;
	test_assert_int(core_worker_new(&p, &w, &err), -1);
	test_assert(w == NULL);
	test_end();
}

static void
test_unsupported(struct core_queue *events)
{
	struct backend be;
	struct core_worker *w;
	struct core_event *ev;
	uint64_t id;

	test_begin("a request of an unknown type gets ERR_UNSUPPORTED");
	backend_init(&be);
	w = start(&be, &be_ops, events, "unsupported");
	id = core_worker_post(w, core_request_new((enum core_req_type)99));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_ERROR && ev->job_id == id);
	test_assert_int(ev ? ev->u.error.err.kind : ERR_NONE, ERR_UNSUPPORTED);
	core_event_free(&ev);
	id = core_worker_post(w, core_request_new((enum core_req_type)0));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_ERROR && ev->job_id == id);
	test_assert_int(ev ? ev->u.error.err.kind : ERR_NONE, ERR_UNSUPPORTED);
	core_event_free(&ev);
	test_assert_int(atomic_load(&be.handled), 0);
	/* A known type the backend does not do: its handler says so. */
	id = core_worker_post(w, core_request_new(CORE_REQ_EXPUNGE));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_ERROR && ev->job_id == id);
	test_assert_int(ev ? ev->u.error.err.kind : ERR_NONE, ERR_UNSUPPORTED);
	test_assert_str(ev ? ev->u.error.err.msg : NULL, "expunge is not supported here");
	core_event_free(&ev);
	test_assert_str(core_request_type_name((enum core_req_type)99), "unknown");
	test_assert_str(core_event_type_name(CORE_EV_PART_DATA), "part data");
	core_worker_free(&w);
	drain(events);
	backend_deinit(&be);
	test_end();
}

static void
test_payloads(struct core_queue *events)
{
	struct backend be;
	struct core_worker *w;
	struct core_request *req;
	struct core_event *ev, *headers = NULL, *folders = NULL;
	uint64_t id;

	test_begin("payloads cross threads in their own arenas");
	backend_init(&be);
	w = start(&be, &be_ops, events, "payloads");
	req = core_request_new(CORE_REQ_OPEN_FOLDER);
	req->u.open_folder.folder = arena_strdup(req->arena, "Lists/petrel");
	id = core_worker_post(w, req);
	req = NULL; /* handed over: the worker frees it */
	while ((ev = next_event(events)) != NULL) {
		if (ev->type == CORE_EV_DONE) {
			test_assert_int(ev->job_id, id);
			core_event_free(&ev);
			break;
		}
		if (ev->type == CORE_EV_HEADERS)
			headers = ev;
		else if (ev->type == CORE_EV_FOLDERS)
			folders = ev;
		else
			core_event_free(&ev);
	}
	/* The request's arena is gone by now (the job ended): whatever the
	 * events hold must be theirs, which ASan checks as they are read. */
	test_assert(headers != NULL && folders != NULL);
	if (headers != NULL) {
		test_assert_int(headers->job_id, id);
		test_assert_str(headers->u.headers.folder, "Lists/petrel");
		test_assert_int(headers->u.headers.first, 7);
		test_assert_int(headers->u.headers.count, 3);
		test_assert_str(headers->u.headers.items[2].subject, "Lists/petrel #2");
		test_assert_int(headers->u.headers.items[1].id, 101);
	}
	if (folders != NULL) {
		test_assert_int(folders->u.folders.count, 1);
		test_assert_str(folders->u.folders.items[0].name, "Lists/petrel");
	}
	core_event_free(&headers);
	core_event_free(&folders);
	test_assert(headers == NULL && folders == NULL);
	core_event_free(&headers);
	core_worker_free(&w);
	drain(events);
	backend_deinit(&be);
	test_end();
}

static void
test_shutdown(struct core_queue *events)
{
	struct backend be;
	struct core_worker *w;
	struct core_event *ev;
	uint64_t running, queued[3];
	int seen[3] = {0}, running_seen = 0, others = 0;
	int started[2];

	test_begin("shutdown answers queued requests with ERR_CANCELLED");
	backend_init(&be);
	if (pipe(started) < 0)
		test_assert(!"pipe");
	be.interrupt = started[1];
	w = start(&be, &be_ops, events, "shutdown");
	running = core_worker_post(w, core_request_new(CORE_REQ_FETCH_PART));
	test_assert_int(wait_byte(started[0]), 0);
	for (int i = 0; i < 3; i++) {
		struct core_request *req = core_request_new(CORE_REQ_FETCH_MESSAGE);

		req->u.fetch_message.id = (uint64_t)i;
		queued[i] = core_worker_post(w, req);
	}
	/* The running job is blocked in poll() and wakes only on its cancel
	 * fd: core_worker_free returning at all shows shutdown cancelled it. */
	core_worker_free(&w);
	test_assert_int(atomic_load(&be.destroyed), 1);
	test_assert_int(atomic_load(&be.part_calls), 1);
	test_assert_int(atomic_load(&be.handled), 0);
	while ((ev = core_event_pop(events)) != NULL) {
		int matched = 0;

		if (ev->job_id == running) {
			matched = 1;
			running_seen++;
			test_assert(ev->type == CORE_EV_ERROR);
			/* The handler's ERR_CONN is reported as the cancel it was. */
			test_assert_int(ev->u.error.err.kind, ERR_CANCELLED);
		}
		for (int i = 0; i < 3; i++) {
			if (ev->job_id != queued[i])
				continue;
			matched = 1;
			seen[i]++;
			test_assert(ev->type == CORE_EV_ERROR &&
				    ev->u.error.err.kind == ERR_CANCELLED);
		}
		if (!matched) {
			/* The shutdown's own answer. */
			others++;
			test_assert(ev->type == CORE_EV_DONE);
		}
		core_event_free(&ev);
	}
	test_assert_int(running_seen, 1);
	for (int i = 0; i < 3; i++)
		test_assert_int(seen[i], 1);
	test_assert_int(others, 1);
	close(started[0]);
	close(started[1]);
	backend_deinit(&be);
	test_end();

	test_begin("an explicit shutdown request, then free");
	backend_init(&be);
	w = start(&be, &be_ops, events, "shutdown2");
	{
		uint64_t sd = core_worker_post(w, core_request_new(CORE_REQ_SHUTDOWN));

		ev = next_event(events);
		test_assert(ev != NULL && ev->type == CORE_EV_DONE && ev->job_id == sd);
		core_event_free(&ev);
	}
	test_assert_int(atomic_load(&be.destroyed), 1);
	core_worker_free(&w);
	test_assert(core_event_pop(events) == NULL);
	backend_deinit(&be);
	test_end();
}

struct sync_seen {
	int progress;
	uint64_t last_done;
	int other;
};

static void
on_event(const struct core_event *ev, void *ctx)
{
	struct sync_seen *seen = ctx;

	if (ev->type == CORE_EV_PROGRESS) {
		seen->progress++;
		seen->last_done = ev->u.progress.done;
	} else {
		seen->other++;
	}
}

static void
test_call_sync(struct core_queue *events)
{
	struct backend be;
	struct core_worker *w;
	struct sync_seen seen = {0};
	struct err err;
	int intr[2];

	test_begin("core_call_sync returns the handler's error");
	backend_init(&be);
	w = start(&be, &be_ops, events, "sync");
	err_clear(&err);
	test_assert_int(core_call_sync(w, core_request_new(CORE_REQ_APPEND), on_event, &seen, -1,
				       &err),
			-1);
	test_assert_int(err.kind, ERR_REJECTED);
	test_assert_str(err.msg, "mailbox is full");
	test_assert_int(seen.progress, 3);
	test_assert_int(seen.last_done, 3);
	test_assert_int(seen.other, 0);
	test_end();

	test_begin("core_call_sync succeeds");
	memset(&seen, 0, sizeof(seen));
	err_clear(&err);
	test_assert_int(core_call_sync(w, core_request_new(CORE_REQ_SEND), on_event, &seen, -1,
				       &err),
			0);
	test_assert_int(err.kind, ERR_NONE);
	test_assert_int(seen.progress, 1);
	test_assert_int(core_call_sync(w, core_request_new(CORE_REQ_SEND), NULL, NULL, -1, NULL),
			0);
	test_end();

	test_begin("core_call_sync is cancelled through its interrupt fd");
	if (pipe(intr) < 0)
		test_assert(!"pipe");
	be.interrupt = intr[1];
	err_clear(&err);
	test_assert_int(core_call_sync(w, core_request_new(CORE_REQ_FETCH_PART), NULL, NULL,
				       intr[0], &err),
			-1);
	test_assert_int(err.kind, ERR_CANCELLED);
	test_assert_int(atomic_load(&be.part_calls), 1);
	/* The interrupt fd is the face's: left as it was. */
	{
		struct pollfd pfd = {.fd = intr[0], .events = POLLIN};

		test_assert_int(poll(&pfd, 1, 0), 1);
	}
	be.interrupt = -1;
	close(intr[0]);
	close(intr[1]);
	test_assert(core_event_pop(events) == NULL);
	test_end();

	test_begin("a cancel request cancels a running job at once");
	{
		struct core_request *cancel;
		struct core_event *ev;
		uint64_t running, cid;
		int done_cancel = 0, err_running = 0;

		if (pipe(intr) < 0)
			test_assert(!"pipe");
		be.interrupt = intr[1];
		running = core_worker_post(w, core_request_new(CORE_REQ_FETCH_PART));
		/* Wait until it runs, so the cancel reaches a running job. */
		test_assert_int(wait_byte(intr[0]), 0);
		cancel = core_request_new(CORE_REQ_CANCEL);
		cancel->u.cancel.job_id = running;
		cid = core_worker_post(w, cancel);
		test_assert(cid != running && cid != 0);
		for (int i = 0; i < 2; i++) {
			ev = next_event(events);
			if (ev != NULL && ev->job_id == cid && ev->type == CORE_EV_DONE)
				done_cancel++;
			if (ev != NULL && ev->job_id == running && ev->type == CORE_EV_ERROR &&
			    ev->u.error.err.kind == ERR_CANCELLED)
				err_running++;
			core_event_free(&ev);
		}
		test_assert_int(done_cancel, 1);
		test_assert_int(err_running, 1);
		test_assert_int(atomic_load(&be.part_calls), 2);
		be.interrupt = -1;
		close(intr[0]);
		close(intr[1]);
	}
	test_end();
	core_worker_free(&w);
	drain(events);
	backend_deinit(&be);
}

static void
test_idle(struct core_queue *events)
{
	struct backend be;
	struct core_worker *w;
	struct core_event *ev;
	uint64_t id;

	test_begin("idle waits on the server and the request fd together");
	backend_init(&be);
	w = start(&be, &be_idle_ops, events, "idle");
	/* News while idle: only an idle that polls the "socket" sees it. */
	test_assert_int(write(be.news[1], "n", 1), 1);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_NEW_MAIL && ev->job_id == 0);
	test_assert_int(ev ? ev->u.new_mail.exists : 0, 42);
	test_assert_str(ev ? ev->u.new_mail.folder : NULL, "INBOX");
	core_event_free(&ev);
	test_assert_int(atomic_load(&be.idle_returns), 0);
	/* A request makes it leave idle; the request then runs. */
	id = core_worker_post(w, core_request_new(CORE_REQ_SEND));
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_PROGRESS && ev->job_id == id);
	core_event_free(&ev);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_DONE && ev->job_id == id);
	core_event_free(&ev);
	test_assert_int(atomic_load(&be.idle_returns), 1);
	/* And it idles again: news still reach the face. */
	test_assert_int(write(be.news[1], "n", 1), 1);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_NEW_MAIL);
	core_event_free(&ev);
	test_end();

	test_begin("a failed idle is reported and not retried until a request");
	atomic_store(&be.idle_fail, 1);
	id = core_worker_post(w, core_request_new(CORE_REQ_SEND));
	for (int i = 0; i < 3; i++) {
		ev = next_event(events);
		test_assert(ev != NULL);
		if (ev != NULL && ev->job_id == 0) {
			test_assert(ev->type == CORE_EV_ERROR);
			test_assert_int(ev->u.error.err.kind, ERR_CONN);
		} else if (ev != NULL) {
			test_assert(ev->job_id == id);
		}
		core_event_free(&ev);
	}
	{
		int calls = atomic_load(&be.idle_calls);

		/* The next request lets idle run again. */
		id = core_worker_post(w, core_request_new(CORE_REQ_SEND));
		ev = next_event(events);
		test_assert(ev != NULL && ev->type == CORE_EV_PROGRESS);
		core_event_free(&ev);
		ev = next_event(events);
		test_assert(ev != NULL && ev->type == CORE_EV_DONE && ev->job_id == id);
		core_event_free(&ev);
		test_assert_int(write(be.news[1], "n", 1), 1);
		ev = next_event(events);
		test_assert(ev != NULL && ev->type == CORE_EV_NEW_MAIL);
		core_event_free(&ev);
		test_assert_int(atomic_load(&be.idle_calls), calls + 1);
	}
	test_end();

	test_begin("shutdown takes a worker out of idle");
	core_worker_free(&w);
	test_assert_int(atomic_load(&be.destroyed), 1);
	drain(events);
	backend_deinit(&be);
	test_end();
}

static void
test_idle_stuck(struct core_queue *events)
{
	struct backend be;
	struct core_worker *w;
	struct core_event *ev;
	uint64_t id;

	test_begin("a cancelled request ends an idle that waits on a silent server");
	backend_init(&be);
	w = start(&be, &be_stuck_ops, events, "stuck");
	/* The request must find the worker in idle already. */
	for (int i = 0; i < 10000 && atomic_load(&be.idle_calls) == 0; i++)
		usleep(1000);
	test_assert_int(atomic_load(&be.idle_calls), 1);
	id = core_worker_post(w, core_request_new(CORE_REQ_SEND));
	test_assert_int(core_job_cancel(id), 1);
	ev = next_event(events);
	test_assert(ev != NULL && ev->type == CORE_EV_ERROR && ev->job_id == id);
	test_assert_int(ev != NULL ? ev->u.error.err.kind : ERR_NONE, ERR_CANCELLED);
	core_event_free(&ev);
	test_assert_int(atomic_load(&be.idle_returns), 1);
	test_end();

	test_begin("shutdown ends an idle that waits on a silent server");
	for (int i = 0; i < 10000 && atomic_load(&be.idle_calls) < 2; i++)
		usleep(1000);
	test_assert_int(atomic_load(&be.idle_calls), 2);
	core_worker_free(&w);
	test_assert_int(atomic_load(&be.destroyed), 1);
	test_assert_int(atomic_load(&be.idle_returns), 2);
	drain(events);
	backend_deinit(&be);
	test_end();
}

static void
test_shared_queue(struct core_queue *events)
{
	struct backend a, b;
	struct core_worker *wa, *wb;
	uint64_t ida[20], idb[20];
	int na = 0, nb = 0, order_ok = 1;

	test_begin("two workers share one event queue");
	backend_init(&a);
	backend_init(&b);
	wa = start(&a, &be_ops, events, "a");
	wb = start(&b, &be_ops, events, "b");
	for (int i = 0; i < 20; i++) {
		ida[i] = core_worker_post(wa, core_request_new(CORE_REQ_FETCH_MESSAGE));
		idb[i] = core_worker_post(wb, core_request_new(CORE_REQ_FETCH_MESSAGE));
	}
	while (na + nb < 40) {
		struct core_event *ev = next_event(events);

		if (ev == NULL)
			break;
		if (na < 20 && ev->job_id == ida[na])
			na++;
		else if (nb < 20 && ev->job_id == idb[nb])
			nb++;
		else
			order_ok = 0;
		core_event_free(&ev);
	}
	test_assert(order_ok);
	test_assert_int(na, 20);
	test_assert_int(nb, 20);
	test_assert_int(atomic_load(&a.handled), 20);
	test_assert_int(atomic_load(&b.handled), 20);
	core_worker_free(&wa);
	core_worker_free(&wb);
	drain(events);
	backend_deinit(&a);
	backend_deinit(&b);
	test_end();
}

int
main(void)
{
	struct err err;
	struct core_queue *events = core_event_queue_new(&err);

	if (events == NULL)
		return 99;
	test_order(events);
	test_bad_params(events);
	test_unsupported(events);
	test_payloads(events);
	test_shutdown(events);
	test_call_sync(events);
	test_idle(events);
	test_idle_stuck(events);
	test_shared_queue(events);
	core_event_queue_free(&events);
	test_assert(events == NULL);
	return test_done();
}
