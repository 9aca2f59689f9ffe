/*
 * imap-drive: drives one account worker through core, as a face would,
 * for the IMAP integration tests that need more than the mailx face shows:
 * waiting for news (IDLE), connection-state events, byte ranges of parts,
 * flag changes left pending across a server restart.
 *
 *   imap-drive [-S var=value]... URL STEP...
 *
 * Steps (each one word, arguments after ':'):
 *   open               open URL; prints "opened COUNT"
 *   headers            summaries of every message: "sum INDEX UID FLAGS SUBJECT"
 *   headers-full       the same, each followed by "rcpt INDEX to=TO|cc=CC|refs=REFS"
 *   count              "count N" (the last FOLDER_OPENED, NEW_MAIL or CHANGED)
 *   flag:+S:UID,UID    set (+) or clear (-) S(een) D(eleted) F(lagged) A(nswered)
 *   expunge            writes flag changes and expunges
 *   part:UID:PART:SIZE:FILE
 *                      fetches part PART ("" the message) SIZE bytes at a time,
 *                      appending the raw bytes to FILE; prints "part BYTES CHUNKS"
 *   parts:UID          the part list (CORE_REQ_FETCH_STRUCTURE): one line per
 *                      part, "partinfo PATH|TYPE|SIZE|DISPOSITION|FILENAME|
 *                      CHARSET|ENCODING|BOUNDARY|DEPTH|CONTAINER"
 *   search:KEYS        server-side search; "found UID..."
 *   copy:UID:URL move:UID:URL   copies or moves a message to a folder
 *   mkdir:URL rmdir:URL rename:URL -> URL   folder management
 *   folders:URL        lists folders: "folder NAME FLAGS MESSAGES UNSEEN"
 *   wait-new:N:SECS    waits until the folder has N messages (NEW_MAIL)
 *   wait-state:STATE:SECS  waits for a connection-state event (connected,
 *                      reconnecting, offline)
 *   signal:FILE        creates FILE (tells the test script where we are)
 *   await:FILE:SECS    waits until FILE exists
 *   sleep:MS
 *   close              closes without writing (mailx exit)
 *
 * Every event read along the way is printed as "event TYPE ... at MS" with
 * the wall-clock time in milliseconds since the epoch, which a test script
 * compares with when it made something happen.  Exit status 0 when every step succeeded, 1
 * (with "error KIND: sentence") otherwise.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "core/core.h"

struct drive {
	struct core_queue *events;
	struct core_worker *worker;
	const char *url;
	uint32_t count;
	int64_t t0;
	FILE *part_out;
	uint64_t part_bytes;
	unsigned part_chunks;
	const char *want_state;
	int seen_state;
	int full; /* headers-full: recipients and References too */
};

static long long
epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
state_name(enum core_conn_state st)
{
	switch (st) {
	case CORE_CONN_OFFLINE:
		return "offline";
	case CORE_CONN_CONNECTING:
		return "connecting";
	case CORE_CONN_CONNECTED:
		return "connected";
	case CORE_CONN_RECONNECTING:
		return "reconnecting";
	}
	return "?";
}

static void
on_event(const struct core_event *ev, void *ctx)
{
	struct drive *d = ctx;
	long long t = epoch_ms();

	switch (ev->type) {
	case CORE_EV_FOLDER_OPENED:
		d->count = ev->u.folder_opened.exists;
		printf("opened %u\n", d->count);
		break;
	case CORE_EV_HEADERS:
		for (size_t i = 0; i < ev->u.headers.count; i++) {
			const struct mime_summary *s = &ev->u.headers.items[i];

			printf("sum %zu %llu %s%s%s%s %s\n", ev->u.headers.first + i,
			       (unsigned long long)s->id, s->flags & MIME_FLAG_SEEN ? "S" : "-",
			       s->flags & MIME_FLAG_DELETED ? "D" : "-",
			       s->flags & MIME_FLAG_FLAGGED ? "F" : "-",
			       s->flags & MIME_FLAG_ANSWERED ? "A" : "-", s->subject);
			if (d->full)
				printf("rcpt %zu to=%s|cc=%s|refs=%s\n", ev->u.headers.first + i,
				       s->to, s->cc, s->references);
		}
		break;
	case CORE_EV_PART_DATA:
		if (d->part_out != NULL)
			fwrite(ev->u.part_data.data, 1, ev->u.part_data.len, d->part_out);
		d->part_bytes += ev->u.part_data.len;
		break;
	case CORE_EV_PART_LIST:
		for (size_t i = 0; i < ev->u.part_list.count; i++) {
			const struct core_part *p = &ev->u.part_list.items[i];

			printf("partinfo %s|%s|%llu|%s|%s|%s|%s|%s|%u|%d\n", p->path, p->type,
			       (unsigned long long)p->size, p->disposition, p->filename,
			       p->charset, p->encoding, p->boundary, p->depth, p->container);
		}
		break;
	case CORE_EV_NEW_MAIL:
		d->count = ev->u.new_mail.exists;
		printf("event new-mail %u at %lld\n", ev->u.new_mail.exists, t);
		break;
	case CORE_EV_FOLDER_CHANGED:
		d->count = ev->u.folder_changed.exists;
		printf("event changed %u%s at %lld\n", ev->u.folder_changed.exists,
		       ev->u.folder_changed.reopened ? " reopened" : "", t);
		break;
	case CORE_EV_CONN_STATE:
		printf("event conn %s %u at %lld", state_name(ev->u.conn_state.state),
		       ev->u.conn_state.attempt, t);
		if (ev->u.conn_state.cause.kind != ERR_NONE)
			printf(" cause %s: %s", err_kind_name(ev->u.conn_state.cause.kind),
			       ev->u.conn_state.cause.msg);
		printf("\n");
		if (d->want_state != NULL &&
		    strcmp(state_name(ev->u.conn_state.state), d->want_state) == 0)
			d->seen_state = 1;
		break;
	case CORE_EV_FOLDERS:
		for (size_t i = 0; i < ev->u.folders.count; i++) {
			const struct core_folder *f = &ev->u.folders.items[i];

			printf("folder %s %s%s%s%s", f->name,
			       f->flags & CORE_FOLDER_NOSELECT ? "N" : "-",
			       f->flags & CORE_FOLDER_CHILDREN ? "C" : "-",
			       f->flags & CORE_FOLDER_SENT ? "S" : "-",
			       f->flags & CORE_FOLDER_TRASH ? "T" : "-");
			if (f->counted)
				printf(" %u %u", f->messages, f->unseen);
			printf("\n");
		}
		break;
	case CORE_EV_SEARCH_RESULT:
		printf("found");
		for (size_t i = 0; i < ev->u.search_result.count; i++)
			printf(" %llu", (unsigned long long)ev->u.search_result.ids[i]);
		printf("\n");
		break;
	case CORE_EV_ERROR:
		if (ev->job_id == 0)
			printf("event error %s: %s\n", err_kind_name(ev->u.error.err.kind),
			       ev->u.error.err.msg);
		break;
	default:
		break;
	}
	fflush(stdout);
}

static int
call(struct drive *d, struct core_request *req, struct err *err)
{
	return core_call_sync(d->worker, req, on_event, d, -1, err);
}

/* Reads events until cond says yes or ms pass: 0, or -1 on time out. */
static int
wait_for(struct drive *d, int (*cond)(struct drive *, const void *), const void *arg, int ms)
{
	int64_t end = now_ms() + ms;

	while (!cond(d, arg)) {
		struct pollfd pfd = {.fd = core_queue_fd(d->events), .events = POLLIN};
		int64_t left = end - now_ms();
		struct core_event *ev;

		if (left <= 0)
			return -1;
		if (poll(&pfd, 1, (int)(left > 1000 ? 1000 : left)) < 0 && errno != EINTR)
			return -1;
		while ((ev = core_event_pop(d->events)) != NULL) {
			on_event(ev, d);
			core_event_free(&ev);
		}
	}
	return 0;
}

static int
never(struct drive *d, const void *arg)
{
	(void)d;
	(void)arg;
	return 0;
}

static int
count_at_least(struct drive *d, const void *arg)
{
	return d->count >= *(const uint32_t *)arg;
}

static int
state_seen(struct drive *d, const void *arg)
{
	(void)arg;
	return d->seen_state;
}

static int
file_exists(struct drive *d, const void *arg)
{
	struct stat st;

	(void)d;
	return stat(arg, &st) == 0;
}

/* The i-th ':'-separated field of step (0 is the step's name); caller frees. */
static char *
field(const char *step, int i)
{
	const char *p = step, *e;

	for (; i > 0; i--) {
		p = strchr(p, ':');
		if (p == NULL)
			return NULL;
		p++;
	}
	e = strchr(p, ':');
	return e != NULL ? xstrndup(p, (size_t)(e - p)) : xstrdup(p);
}

static unsigned
flag_bits(const char *s)
{
	unsigned f = 0;

	for (; *s != '\0'; s++) {
		if (*s == 'S')
			f |= MIME_FLAG_SEEN;
		else if (*s == 'D')
			f |= MIME_FLAG_DELETED;
		else if (*s == 'F')
			f |= MIME_FLAG_FLAGGED;
		else if (*s == 'A')
			f |= MIME_FLAG_ANSWERED;
	}
	return f;
}

static int
step_flag(struct drive *d, const char *step, struct err *err)
{
	char *what = field(step, 1), *list = field(step, 2);
	struct core_request *req = core_request_new(CORE_REQ_SET_FLAGS);
	uint64_t *ids = arena_alloc(req->arena, 64 * sizeof(*ids));
	size_t n = 0;
	int rc;

	for (char *p = list != NULL ? list : ""; *p != '\0' && n < 64;) {
		ids[n++] = strtoull(p, &p, 10);
		if (*p == ',')
			p++;
		else
			break;
	}
	req->u.set_flags.msgs.ids = ids;
	req->u.set_flags.msgs.count = n;
	if (what != NULL && what[0] == '-')
		req->u.set_flags.remove = flag_bits(what + 1);
	else if (what != NULL)
		req->u.set_flags.add = flag_bits(what + 1);
	rc = call(d, req, err);
	free(what);
	free(list);
	return rc;
}

static int
step_part(struct drive *d, const char *step, struct err *err)
{
	char *uid = field(step, 1), *part = field(step, 2), *size = field(step, 3),
	     *file = field(step, 4);
	uint64_t chunk = size != NULL ? strtoull(size, NULL, 10) : 0, off = 0;
	int rc = -1;

	if (uid == NULL || part == NULL || file == NULL || chunk == 0) {
		err_set(err, ERR_USAGE, "part:UID:PART:SIZE:FILE");
		goto out;
	}
	d->part_out = fopen(file, "ab");
	if (d->part_out == NULL) {
		err_sys(err, ERR_IO, errno, "%s", file);
		goto out;
	}
	d->part_bytes = 0;
	d->part_chunks = 0;
	for (;;) {
		struct core_request *req = core_request_new(CORE_REQ_FETCH_PART);
		uint64_t before = d->part_bytes;

		req->u.fetch_part.id = strtoull(uid, NULL, 10);
		req->u.fetch_part.part = arena_strdup(req->arena, part);
		req->u.fetch_part.offset = off;
		req->u.fetch_part.length = chunk;
		if (call(d, req, err) < 0)
			goto out;
		d->part_chunks++;
		off += d->part_bytes - before;
		if (d->part_bytes - before < chunk)
			break;
	}
	printf("part %llu %u\n", (unsigned long long)d->part_bytes, d->part_chunks);
	rc = 0;
out:
	if (d->part_out != NULL)
		fclose(d->part_out);
	d->part_out = NULL;
	free(uid);
	free(part);
	free(size);
	free(file);
	return rc;
}

static int
step_manage(struct drive *d, const char *step, enum core_folder_op op, struct err *err)
{
	struct core_request *req = core_request_new(CORE_REQ_MANAGE_FOLDER);
	const char *rest = strchr(step, ':');
	int rc;

	if (rest == NULL) {
		core_request_free(&req);
		return err_set(err, ERR_USAGE, "%s: which folder?", step);
	}
	rest++;
	req->u.manage_folder.op = op;
	if (op == CORE_FOLDER_RENAME) {
		/* The two URLs are separated by " -> ". */
		const char *arrow = strstr(rest, " -> ");

		if (arrow == NULL) {
			core_request_free(&req);
			return err_set(err, ERR_USAGE, "rename:URL -> URL");
		}
		req->u.manage_folder.folder =
		    arena_strndup(req->arena, rest, (size_t)(arrow - rest));
		req->u.manage_folder.to = arena_strdup(req->arena, arrow + 4);
	} else {
		req->u.manage_folder.folder = arena_strdup(req->arena, rest);
	}
	rc = call(d, req, err);
	if (rc == 0)
		printf("%s done\n", step);
	return rc;
}

static int
step_copy(struct drive *d, const char *step, int move, struct err *err)
{
	struct core_request *req = core_request_new(move ? CORE_REQ_MOVE : CORE_REQ_COPY);
	const char *p = strchr(step, ':');
	uint64_t *ids = arena_alloc(req->arena, sizeof(*ids));
	char *end;

	ids[0] = strtoull(p + 1, &end, 10);
	if (*end != ':') {
		core_request_free(&req);
		return err_set(err, ERR_USAGE, "copy:UID:URL");
	}
	req->u.copy.msgs.ids = ids;
	req->u.copy.msgs.count = 1;
	req->u.copy.dest_folder = arena_strdup(req->arena, end + 1);
	return call(d, req, err);
}

static int
run_step(struct drive *d, const char *step, struct err *err)
{
	struct core_request *req;
	char *a = NULL, *b = NULL;
	int rc = 0;

	if (strcmp(step, "open") == 0) {
		req = core_request_new(CORE_REQ_OPEN_FOLDER);
		req->u.open_folder.folder = arena_strdup(req->arena, d->url);
		rc = call(d, req, err);
	} else if (strcmp(step, "headers") == 0 || strcmp(step, "headers-full") == 0) {
		d->full = strcmp(step, "headers-full") == 0;
		req = core_request_new(CORE_REQ_FETCH_HEADERS);
		/* All there are: the window is clipped at the folder's end. */
		req->u.fetch_headers.first = 0;
		req->u.fetch_headers.count = UINT32_MAX;
		rc = call(d, req, err);
	} else if (strcmp(step, "count") == 0) {
		printf("count %u\n", d->count);
	} else if (strncmp(step, "flag:", 5) == 0) {
		rc = step_flag(d, step, err);
	} else if (strcmp(step, "expunge") == 0) {
		req = core_request_new(CORE_REQ_EXPUNGE);
		rc = call(d, req, err);
	} else if (strncmp(step, "part:", 5) == 0) {
		rc = step_part(d, step, err);
	} else if (strncmp(step, "parts:", 6) == 0) {
		req = core_request_new(CORE_REQ_FETCH_STRUCTURE);
		req->u.fetch_structure.id = strtoull(step + 6, NULL, 10);
		rc = call(d, req, err);
	} else if (strncmp(step, "search:", 7) == 0) {
		req = core_request_new(CORE_REQ_SEARCH);
		req->u.search.query = arena_strdup(req->arena, step + 7);
		rc = call(d, req, err);
	} else if (strncmp(step, "copy:", 5) == 0 || strncmp(step, "move:", 5) == 0) {
		rc = step_copy(d, step, step[0] == 'm', err);
	} else if (strncmp(step, "folders:", 8) == 0) {
		req = core_request_new(CORE_REQ_LIST_FOLDERS);
		req->u.list_folders.pattern = arena_strdup(req->arena, step + 8);
		rc = call(d, req, err);
	} else if (strncmp(step, "mkdir:", 6) == 0) {
		rc = step_manage(d, step, CORE_FOLDER_CREATE, err);
	} else if (strncmp(step, "rmdir:", 6) == 0) {
		rc = step_manage(d, step, CORE_FOLDER_DELETE, err);
	} else if (strncmp(step, "rename:", 7) == 0) {
		rc = step_manage(d, step, CORE_FOLDER_RENAME, err);
	} else if (strncmp(step, "wait-new:", 9) == 0) {
		uint32_t want;

		a = field(step, 1);
		b = field(step, 2);
		want = (uint32_t)strtoul(a != NULL ? a : "0", NULL, 10);
		if (wait_for(d, count_at_least, &want, (b != NULL ? atoi(b) : 10) * 1000) < 0)
			rc = err_set(err, ERR_TIMEOUT, "no new mail: %u messages, wanted %u",
			             d->count, want);
	} else if (strncmp(step, "wait-state:", 11) == 0) {
		a = field(step, 1);
		b = field(step, 2);
		d->want_state = a;
		d->seen_state = 0;
		if (wait_for(d, state_seen, NULL, (b != NULL ? atoi(b) : 10) * 1000) < 0)
			rc = err_set(err, ERR_TIMEOUT, "no %s event", a);
		d->want_state = NULL;
	} else if (strncmp(step, "signal:", 7) == 0) {
		FILE *f = fopen(step + 7, "w");

		if (f != NULL)
			fclose(f);
	} else if (strncmp(step, "await:", 6) == 0) {
		a = field(step, 1);
		b = field(step, 2);
		if (wait_for(d, file_exists, a, (b != NULL ? atoi(b) : 10) * 1000) < 0)
			rc = err_set(err, ERR_TIMEOUT, "%s never appeared", a);
	} else if (strncmp(step, "sleep:", 6) == 0) {
		wait_for(d, never, NULL, atoi(step + 6));
	} else if (strcmp(step, "close") == 0) {
		req = core_request_new(CORE_REQ_CLOSE_FOLDER);
		rc = call(d, req, err);
	} else {
		rc = err_set(err, ERR_USAGE, "unknown step %s", step);
	}
	free(a);
	free(b);
	fflush(stdout);
	return rc;
}

static void
log_sink(enum log_level level, const char *line, void *ctx)
{
	FILE *trace = ctx;

	if (trace != NULL)
		fprintf(trace, "%s\n", line);
	else if (level <= LOG_WARN)
		fprintf(stderr, "imap-drive: %s\n", line);
}

int
main(int argc, char **argv)
{
	struct drive d;
	struct config *cfg = config_new();
	struct err err;
	FILE *trace = NULL;
	int i = 1, rc = 0;

	memset(&d, 0, sizeof(d));
	d.t0 = now_ms();
	while (i + 1 < argc && (strcmp(argv[i], "-S") == 0 || strcmp(argv[i], "-d") == 0)) {
		if (strcmp(argv[i], "-d") == 0) {
			trace = fopen(argv[i + 1], "a");
			log_set_level(LOG_DEBUG);
			log_enable_channels(LOG_CH_ALL);
		} else if (config_set_override(cfg, argv[i + 1], &err) < 0) {
			fprintf(stderr, "imap-drive: %s\n", err.msg);
			return 2;
		}
		i += 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: imap-drive [-S var=value]... [-d TRACE] URL STEP...\n");
		return 2;
	}
	log_set_sink(log_sink, trace);
	d.url = argv[i++];
	core_account_setup(cfg);
	d.events = core_event_queue_new(&err);
	if (d.events == NULL || core_account_start(&(struct core_account_params){"imap", NULL, 0},
	                                           d.events, &d.worker, &err) < 0) {
		fprintf(stderr, "imap-drive: %s\n", err.msg);
		return 2;
	}
	for (; i < argc; i++) {
		if (run_step(&d, argv[i], &err) < 0) {
			printf("error %s: %s\n", err_kind_name(err.kind), err.msg);
			rc = 1;
			break;
		}
	}
	fflush(stdout);
	core_worker_free(&d.worker);
	core_event_queue_free(&d.events);
	core_account_reset();
	config_free(&cfg);
	log_set_sink(NULL, NULL);
	if (trace != NULL)
		fclose(trace);
	return rc;
}
