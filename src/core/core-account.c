#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "core/core-account.h"
#include "core/core-event.h"
#include "core/core-job.h"
#include "core/core-store.h"

/* Summaries per HEADERS event, and bytes per PART_DATA event: small enough
 * that a face shows the first ones early, large enough to be cheap. */
#define HEADER_BATCH 256
#define DATA_CHUNK (1024 * 1024)

struct account {
	char *root;
	int lock_timeout_ms;
	const struct backend_ops *ops; /* of the open folder */
	struct backend_folder *folder;
	char *folder_url;
};

static void
progress_report(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	core_job_progress(ctx, done, total, label);
}

static int
progress_cancelled(void *ctx)
{
	return core_job_cancelled(ctx);
}

static void
job_params(const struct account *a, struct core_job *job, struct backend_params *p)
{
	backend_params_init(p);
	if (a->lock_timeout_ms > 0)
		p->lock_timeout_ms = a->lock_timeout_ms;
	p->cancel_fd = core_job_cancel_fd(job);
	p->progress.report = progress_report;
	p->progress.cancelled = progress_cancelled;
	p->progress.ctx = job;
}

/* The backend serving text (a URL or a path); url is the caller's to clear.
 * Named notmuch queries and notmuch_db are applied here (core-store.h). */
static const struct backend_ops *
backend_of(const char *text, struct url *url, struct err *err)
{
	const struct backend_ops *ops;
	char *resolved;
	int rc;

	if (text == NULL || *text == '\0') {
		err_set(err, ERR_USAGE, "no folder named");
		return NULL;
	}
	if (core_store_resolve(text, &resolved, err) < 0)
		return NULL;
	rc = url_parse(resolved, url, err);
	free(resolved);
	if (rc < 0)
		return NULL;
	ops = backend_for_url(url, err);
	if (ops == NULL)
		url_clear(url);
	return ops;
}

static void
close_folder(struct account *a)
{
	if (a->folder != NULL)
		a->ops->close(&a->folder);
	a->folder = NULL;
	a->ops = NULL;
	xfree(&a->folder_url);
}

static int
need_folder(const struct account *a, struct err *err)
{
	if (a->folder == NULL)
		return err_set(err, ERR_USAGE, "no folder is open");
	return 0;
}

static int
index_of(const struct account *a, uint64_t id, size_t *index_r, struct err *err)
{
	if (!a->ops->find(a->folder, id, index_r))
		return err_set(err, ERR_USAGE, "message %llu is no longer in the folder",
			       (unsigned long long)id);
	return 0;
}

static int
do_open(struct account *a, struct core_job *job, const struct core_req_open_folder *r,
	struct err *err)
{
	struct backend_params p;
	struct url url;
	const struct backend_ops *ops;
	struct core_event *ev;
	int rc;

	close_folder(a);
	ops = backend_of(r->folder, &url, err);
	if (ops == NULL)
		return -1;
	job_params(a, job, &p);
	p.read_only = r->read_only;
	rc = ops->open(&url, &p, &a->folder, err);
	url_clear(&url);
	if (rc < 0)
		return -1;
	a->ops = ops;
	a->folder_url = xstrdup(r->folder);
	ev = core_event_new(CORE_EV_FOLDER_OPENED, 0);
	ev->u.folder_opened.folder = arena_strdup(ev->arena, r->folder);
	ev->u.folder_opened.exists = (uint32_t)ops->count(a->folder);
	ev->u.folder_opened.read_only = ops->read_only(a->folder);
	core_job_post(job, ev);
	return 0;
}

static int
do_headers(struct account *a, struct core_job *job, const struct core_req_fetch_headers *r,
	   struct err *err)
{
	struct backend_params p;
	size_t count, first = r->first, end;

	if (need_folder(a, err) < 0)
		return -1;
	job_params(a, job, &p);
	count = a->ops->count(a->folder);
	end = first + r->count;
	if (end > count || end < first)
		end = count;
	while (first < end) {
		size_t n = end - first > HEADER_BATCH ? HEADER_BATCH : end - first;
		struct core_event *ev;

		if (core_job_check(job, err) < 0)
			return -1;
		ev = core_event_new(CORE_EV_HEADERS, 0);
		ev->u.headers.folder = arena_strdup(ev->arena, a->folder_url);
		ev->u.headers.first = (uint32_t)first;
		ev->u.headers.count = n;
		ev->u.headers.items = arena_alloc(ev->arena, n * sizeof(struct mime_summary));
		if (a->ops->load_summaries(a->folder, first, n, ev->arena, ev->u.headers.items,
					   &p.progress, err) < 0) {
			core_event_free(&ev);
			return -1;
		}
		core_job_post(job, ev);
		first += n;
		core_job_progress(job, first, end, "reading headers");
	}
	return 0;
}

static void
post_data(struct core_job *job, uint64_t id, const char *part, const char *data, size_t len)
{
	size_t off = 0;

	do {
		size_t n = len - off > DATA_CHUNK ? DATA_CHUNK : len - off;
		struct core_event *ev = core_event_new(CORE_EV_PART_DATA, 0);

		ev->u.part_data.id = id;
		ev->u.part_data.part = arena_strdup(ev->arena, part);
		ev->u.part_data.offset = off;
		ev->u.part_data.data = arena_memdup(ev->arena, data + off, n);
		ev->u.part_data.len = n;
		ev->u.part_data.last = off + n == len;
		core_job_post(job, ev);
		off += n;
	} while (off < len);
}

static int
do_fetch(struct account *a, struct core_job *job, uint64_t id, const char *part,
	 uint64_t offset, uint64_t length, struct err *err)
{
	struct str data = STR_INIT;
	size_t index, start, len;
	int rc = -1;

	if (need_folder(a, err) < 0 || index_of(a, id, &index, err) < 0)
		goto out;
	if (part[0] == '\0') {
		if (a->ops->fetch(a->folder, index, &data, err) < 0)
			goto out;
	} else if (strcmp(part, "HEADER") == 0) {
		if (a->ops->fetch_header(a->folder, index, &data, err) < 0)
			goto out;
	} else if (a->ops->fetch_partial != NULL) {
		rc = a->ops->fetch_partial(a->folder, index, part, offset, length, &data, err);
		if (rc == 0)
			post_data(job, id, part, data.s != NULL ? data.s : "", data.len);
		goto out;
	} else {
		err_set(err, ERR_UNSUPPORTED, "this folder cannot fetch part %s on its own", part);
		goto out;
	}
	start = offset < data.len ? (size_t)offset : data.len;
	len = data.len - start;
	if (length > 0 && length < len)
		len = (size_t)length;
	post_data(job, id, part, data.s != NULL ? data.s + start : "", len);
	rc = 0;
out:
	str_free(&data);
	return rc;
}

static int
do_set_flags(struct account *a, const struct core_req_set_flags *r, struct err *err)
{
	size_t i, index;
	int tags = r->add_tag_count > 0 || r->remove_tag_count > 0;

	if (need_folder(a, err) < 0)
		return -1;
	if (tags && a->ops->set_tags == NULL)
		return err_set(err, ERR_UNSUPPORTED, "%s folders have no tags", a->ops->name);
	for (i = 0; i < r->msgs.count; i++) {
		if (index_of(a, r->msgs.ids[i], &index, err) < 0)
			return -1;
		if ((r->add != 0 || r->remove != 0) &&
		    a->ops->set_flags(a->folder, index, r->add, r->remove, err) < 0)
			return -1;
		/* Tags are written at once, flags at EXPUNGE or CLOSE_FOLDER. */
		if (tags && a->ops->set_tags(a->folder, index, r->add_tags, r->add_tag_count,
					     r->remove_tags, r->remove_tag_count, err) < 0)
			return -1;
	}
	return 0;
}

static int
do_copy(struct account *a, struct core_job *job, const struct core_req_copy *r, int move,
	struct err *err)
{
	struct backend_params p;
	struct url url;
	const struct backend_ops *dest;
	struct str data = STR_INIT;
	struct arena *arena = arena_new();
	size_t i, index;
	int rc = -1;

	memset(&url, 0, sizeof(url));
	if (need_folder(a, err) < 0)
		goto out;
	dest = backend_of(r->dest_folder, &url, err);
	if (dest == NULL)
		goto out;
	if (dest->append == NULL) {
		err_set(err, ERR_UNSUPPORTED, "%s folders cannot take messages", dest->name);
		goto out;
	}
	job_params(a, job, &p);
	p.create = 1;
	for (i = 0; i < r->msgs.count; i++) {
		struct mime_summary sum;

		if (core_job_check(job, err) < 0)
			goto out;
		if (index_of(a, r->msgs.ids[i], &index, err) < 0)
			goto out;
		str_reset(&data);
		arena_reset(arena);
		if (a->ops->fetch(a->folder, index, &data, err) < 0 ||
		    a->ops->load_summaries(a->folder, index, 1, arena, &sum, NULL, err) < 0)
			goto out;
		if (dest->append(&url, &p, data.s != NULL ? data.s : "", data.len,
				 sum.flags & ~(unsigned)(MIME_FLAG_DELETED | MIME_FLAG_RECENT),
				 sum.received, err) < 0) {
			if (strstr(err->msg, r->dest_folder) == NULL)
				err_prefix(err, "%s", r->dest_folder);
			goto out;
		}
		if (move && a->ops->set_flags(a->folder, index, MIME_FLAG_DELETED, 0, err) < 0)
			goto out;
		core_job_progress(job, i + 1, r->msgs.count, "copying");
	}
	rc = 0;
out:
	url_clear(&url);
	str_free(&data);
	arena_free(&arena);
	return rc;
}

static int
do_append(struct account *a, struct core_job *job, const struct core_req_append *r,
	  struct err *err)
{
	struct backend_params p;
	struct url url;
	const struct backend_ops *ops;
	int rc;

	ops = backend_of(r->folder, &url, err);
	if (ops == NULL)
		return -1;
	if (ops->append == NULL) {
		url_clear(&url);
		return err_set(err, ERR_UNSUPPORTED, "%s folders cannot take messages", ops->name);
	}
	job_params(a, job, &p);
	p.create = 1;
	rc = ops->append(&url, &p, r->data, r->len, r->flags, r->date, err);
	url_clear(&url);
	if (rc < 0 && strstr(err->msg, r->folder) == NULL)
		err_prefix(err, "%s", r->folder);
	return rc;
}

/* The folders of the notmuch store: its named queries. */
static int
list_queries(struct core_job *job)
{
	size_t n = core_store_query_count();
	struct core_event *ev = core_event_new(CORE_EV_FOLDERS, 0);

	ev->u.folders.items = arena_alloc(ev->arena, (n ? n : 1) * sizeof(struct core_folder));
	ev->u.folders.count = n;
	for (size_t i = 0; i < n; i++) {
		ev->u.folders.items[i].name = arena_strdup(ev->arena, core_store_query_name(i));
		ev->u.folders.items[i].delim = '\0';
	}
	core_job_post(job, ev);
	return 0;
}

static int
do_list(struct account *a, struct core_job *job, const struct core_req_list_folders *r,
	struct err *err)
{
	struct backend_params p;
	struct backend_folder_info *infos = NULL;
	struct url url;
	const struct backend_ops *ops;
	struct core_event *ev;
	size_t n = 0, i;
	int rc;

	if (core_store_is_store(r->pattern != NULL ? r->pattern : a->root))
		return list_queries(job);
	ops = backend_of(r->pattern != NULL ? r->pattern : a->root, &url, err);
	if (ops == NULL)
		return -1;
	if (ops->list == NULL) {
		url_clear(&url);
		return err_set(err, ERR_UNSUPPORTED, "%s stores have no folder list", ops->name);
	}
	job_params(a, job, &p);
	ev = core_event_new(CORE_EV_FOLDERS, 0);
	rc = ops->list(&url, &p, ev->arena, &infos, &n, err);
	url_clear(&url);
	if (rc < 0) {
		core_event_free(&ev);
		return -1;
	}
	ev->u.folders.items = arena_alloc(ev->arena, (n ? n : 1) * sizeof(struct core_folder));
	ev->u.folders.count = n;
	for (i = 0; i < n; i++) {
		struct core_folder *f = &ev->u.folders.items[i];

		f->name = infos[i].name;
		f->delim = '/';
		f->flags = (infos[i].flags & BE_FOLDER_NOSELECT) ? CORE_FOLDER_NOSELECT : 0;
	}
	core_job_post(job, ev);
	return 0;
}

static int
handle(void *ctx, struct core_job *job, const struct core_request *req, struct err *err)
{
	struct account *a = ctx;
	struct backend_params p;

	switch (req->type) {
	case CORE_REQ_CONNECT:
		return 0;
	case CORE_REQ_OPEN_FOLDER:
		return do_open(a, job, &req->u.open_folder, err);
	case CORE_REQ_FETCH_HEADERS:
		return do_headers(a, job, &req->u.fetch_headers, err);
	case CORE_REQ_FETCH_MESSAGE:
		return do_fetch(a, job, req->u.fetch_message.id, "", 0, 0, err);
	case CORE_REQ_FETCH_PART:
		return do_fetch(a, job, req->u.fetch_part.id,
				req->u.fetch_part.part != NULL ? req->u.fetch_part.part : "",
				req->u.fetch_part.offset, req->u.fetch_part.length, err);
	case CORE_REQ_SET_FLAGS:
		return do_set_flags(a, &req->u.set_flags, err);
	case CORE_REQ_COPY:
		return do_copy(a, job, &req->u.copy, 0, err);
	case CORE_REQ_MOVE:
		return do_copy(a, job, &req->u.copy, 1, err);
	case CORE_REQ_APPEND:
		return do_append(a, job, &req->u.append, err);
	case CORE_REQ_EXPUNGE:
		if (need_folder(a, err) < 0)
			return -1;
		if (req->u.expunge.msgs.count > 0)
			return err_set(err, ERR_UNSUPPORTED,
				       "local folders expunge every deleted message at once");
		job_params(a, job, &p);
		return a->ops->sync(a->folder, 1, &p.progress, err);
	case CORE_REQ_CLOSE_FOLDER:
		if (need_folder(a, err) < 0)
			return -1;
		if (req->u.close_folder.expunge) {
			job_params(a, job, &p);
			if (a->ops->sync(a->folder, 1, &p.progress, err) < 0)
				return -1;
		}
		close_folder(a);
		return 0;
	case CORE_REQ_LIST_FOLDERS:
		return do_list(a, job, &req->u.list_folders, err);
	default:
		return err_set(err, ERR_UNSUPPORTED, "local folders cannot %s",
			       core_request_type_name(req->type));
	}
}

static void
destroy(void *ctx)
{
	struct account *a = ctx;

	close_folder(a);
	free(a->root);
	free(a);
}

static const struct core_worker_ops account_ops = {
	.handle = handle,
	.destroy = destroy,
};

int
core_account_start(const struct core_account_params *params, struct core_queue *events,
		   struct core_worker **worker_r, struct err *err)
{
	struct core_worker_params wp;
	struct account *a = xcalloc(1, sizeof(*a));

	a->root = params->root != NULL ? xstrdup(params->root) : NULL;
	a->lock_timeout_ms = params->lock_timeout_ms;
	memset(&wp, 0, sizeof(wp));
	wp.name = params->name != NULL ? params->name : "local";
	wp.ops = &account_ops;
	wp.ctx = a;
	wp.events = events;
	if (core_worker_new(&wp, worker_r, err) < 0) {
		destroy(a);
		return -1;
	}
	log_trace(LOG_CH_CORE, "account %s started", wp.name);
	return 0;
}

size_t
core_account_backends(const char **names, size_t max)
{
	const struct backend_ops *const *all = backend_all();
	size_t n = 0;

	for (; *all != NULL && n < max; all++)
		names[n++] = (*all)->name;
	return n;
}
