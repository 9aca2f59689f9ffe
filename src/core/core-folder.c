#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base-arena.h"
#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "core/core-account.h"
#include "core/core-event.h"
#include "core/core-folder.h"
#include "core/core-request.h"
#include "core/core-worker.h"
#include "mime/mime-text.h"

struct core_folder_handle {
	struct core_queue *events;
	struct core_worker *worker;
	char *url;
	int read_only;
	int open;
	struct arena *arena; /* summaries' strings */
	struct mime_summary *sums;
	size_t count;
	/* Senders and subjects repeat (threads, lists): each distinct
	 * string is kept once.  Open addressing, a power of two. */
	struct intern_slot *interned;
	size_t n_interned, cap_interned;
	/* Unsolicited news since the last core_folder_take_news(). */
	uint32_t news_exists;
	int news_reopened;
	/* The close core_folder_close_begin() posted, 0 when none. */
	uint64_t closing;
};

struct intern_slot {
	const char *s; /* NULL: free */
	uint32_t hash;
	uint32_t len;
};

/* FNV-1a over 8-byte words: a listing of 100,000 messages hashes every
 * sender and subject. */
static uint32_t
hash_mem(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037u, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211u;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return (uint32_t)(h ^ h >> 32);
}

/* The handle's copy of s, shared with every equal string before it. */
static const char *
intern(struct core_folder_handle *h, const char *s)
{
	size_t mask, i, len;
	uint32_t hash;

	if (s == NULL || *s == '\0')
		return "";
	len = strlen(s);
	if (len > UINT32_MAX)
		return arena_strdup(h->arena, s);
	hash = hash_mem(s, len);
	if (2 * (h->n_interned + 1) > h->cap_interned) {
		size_t cap = h->cap_interned ? 2 * h->cap_interned : 1024;
		struct intern_slot *t = xcalloc(cap, sizeof(*t));

		for (size_t k = 0; k < h->cap_interned; k++) {
			const struct intern_slot *o = &h->interned[k];

			if (o->s == NULL)
				continue;
			for (i = o->hash & (cap - 1); t[i].s != NULL; i = (i + 1) & (cap - 1))
				continue;
			t[i] = *o;
		}
		free(h->interned);
		h->interned = t;
		h->cap_interned = cap;
	}
	mask = h->cap_interned - 1;
	for (i = hash & mask; h->interned[i].s != NULL; i = (i + 1) & mask)
		if (h->interned[i].hash == hash && h->interned[i].len == len &&
		    memcmp(h->interned[i].s, s, len) == 0)
			return h->interned[i].s;
	h->interned[i].s = arena_strndup(h->arena, s, len);
	h->interned[i].hash = hash;
	h->interned[i].len = (uint32_t)len;
	h->n_interned++;
	return h->interned[i].s;
}

static int interrupt_fd = -1;
static core_folder_progress_fn *progress_fn;
static void *progress_ctx;

void
core_folder_set_progress(core_folder_progress_fn *fn, void *ctx)
{
	progress_fn = fn;
	progress_ctx = ctx;
}

void
core_folder_set_interrupt_fd(int fd)
{
	interrupt_fd = fd;
}

int
core_folder_interrupt_fd(void)
{
	return interrupt_fd;
}

/* A worker and its queue, for one handle or one stand-alone request. */
static int
start(const char *root, struct core_queue **events_r, struct core_worker **worker_r,
      struct err *err)
{
	struct core_account_params p = {"local", root, 0};

	*events_r = core_event_queue_new(err);
	if (*events_r == NULL)
		return -1;
	if (core_account_start(&p, *events_r, worker_r, err) < 0) {
		core_event_queue_free(events_r);
		return -1;
	}
	return 0;
}

static void
stop(struct core_queue **events, struct core_worker **worker)
{
	if (*worker != NULL)
		core_worker_free(worker);
	if (*events != NULL)
		core_event_queue_free(events);
}

struct collect {
	struct core_folder_handle *h;
	struct core_folder_handle *owner; /* hears of unsolicited news; may be NULL */
	struct str *data;
	int opened;
	uint32_t exists;
	int read_only;
	char ***names;
	size_t *nnames;
	struct arena *parts_arena; /* CORE_EV_PART_LIST: copied there */
	struct core_part *parts;
	size_t nparts;
	int have_parts;
};

static void
collect_event(const struct core_event *ev, void *ctx)
{
	struct collect *c = ctx;
	size_t i;

	switch (ev->type) {
	case CORE_EV_FOLDER_OPENED:
		c->opened = 1;
		c->exists = ev->u.folder_opened.exists;
		c->read_only = ev->u.folder_opened.read_only;
		break;
	case CORE_EV_HEADERS:
		for (i = 0; i < ev->u.headers.count; i++) {
			size_t at = ev->u.headers.first + i;
			const struct mime_summary *s = &ev->u.headers.items[i];
			struct mime_summary *d;

			if (c->h == NULL || at >= c->h->count)
				continue;
			d = &c->h->sums[at];
			*d = *s;
			/* Only what a listing shows is kept (see core-folder.h). */
			d->from_name = intern(c->h, s->from_name);
			d->from_addr = intern(c->h, s->from_addr);
			d->subject = intern(c->h, s->subject);
			d->to = d->cc = d->message_id = d->in_reply_to = d->references =
			    d->list_post = "";
		}
		break;
	case CORE_EV_NEW_MAIL:
		if (c->owner != NULL && ev->u.new_mail.exists > c->owner->news_exists)
			c->owner->news_exists = ev->u.new_mail.exists;
		break;
	case CORE_EV_FOLDER_CHANGED:
		if (c->owner != NULL && ev->u.folder_changed.reopened) {
			c->owner->news_reopened = 1;
			c->owner->news_exists = ev->u.folder_changed.exists;
		}
		break;
	case CORE_EV_PART_LIST:
		if (c->parts_arena == NULL)
			break;
		c->have_parts = 1;
		c->nparts = ev->u.part_list.count;
		c->parts = arena_alloc(c->parts_arena,
				       (c->nparts > 0 ? c->nparts : 1) * sizeof(*c->parts));
		for (i = 0; i < c->nparts; i++) {
			const struct core_part *sp = &ev->u.part_list.items[i];
			struct core_part *dp = &c->parts[i];

			*dp = *sp;
			dp->path = arena_strdup(c->parts_arena, sp->path);
			dp->type = arena_strdup(c->parts_arena, sp->type);
			dp->disposition = arena_strdup(c->parts_arena, sp->disposition);
			dp->filename = arena_strdup(c->parts_arena, sp->filename);
			dp->charset = arena_strdup(c->parts_arena, sp->charset);
			dp->encoding = arena_strdup(c->parts_arena, sp->encoding);
			dp->boundary = arena_strdup(c->parts_arena, sp->boundary);
		}
		break;
	case CORE_EV_PART_DATA:
		if (c->data != NULL)
			str_append_len(c->data, ev->u.part_data.data, ev->u.part_data.len);
		break;
	case CORE_EV_PROGRESS:
		if (progress_fn != NULL && ev->job_id != 0)
			progress_fn(progress_ctx, ev->u.progress.done, ev->u.progress.total,
				    ev->u.progress.label);
		break;
	case CORE_EV_FOLDERS:
		if (c->names == NULL)
			break;
		*c->names = xreallocarray(*c->names, *c->nnames + ev->u.folders.count + 1,
					  sizeof(char *));
		for (i = 0; i < ev->u.folders.count; i++)
			(*c->names)[(*c->nnames)++] = xstrdup(ev->u.folders.items[i].name);
		break;
	default:
		break;
	}
}

static int
call(struct core_worker *w, struct core_request *req, struct collect *c, struct err *err)
{
	return core_call_sync(w, req, collect_event, c, interrupt_fd, err);
}

/* A call on an open handle: news arriving meanwhile is kept for
 * core_folder_take_news(). */
static int
call_on(struct core_folder_handle *h, struct core_request *req, struct collect *c,
	struct err *err)
{
	c->owner = h;
	return call(h->worker, req, c, err);
}

int
core_folder_open(const char *url, int read_only, struct core_folder_handle **h_r,
		 struct err *err)
{
	struct core_folder_handle *h = xcalloc(1, sizeof(*h));
	struct core_request *req;
	struct collect c;

	*h_r = NULL;
	memset(&c, 0, sizeof(c));
	h->url = xstrdup(url);
	h->arena = arena_new();
	if (start(NULL, &h->events, &h->worker, err) < 0)
		goto fail;
	req = core_request_new(CORE_REQ_OPEN_FOLDER);
	req->u.open_folder.folder = arena_strdup(req->arena, url);
	req->u.open_folder.read_only = read_only;
	/* The handle keeps only a listing's fields (see core-folder.h). */
	req->u.open_folder.listing_only = 1;
	if (call_on(h, req, &c, err) < 0)
		goto fail;
	h->open = 1;
	h->read_only = c.read_only;
	h->count = c.exists;
	h->sums = xcalloc(h->count ? h->count : 1, sizeof(*h->sums));
	if (h->count > 0) {
		c.h = h;
		req = core_request_new(CORE_REQ_FETCH_HEADERS);
		req->u.fetch_headers.first = 0;
		req->u.fetch_headers.count = (uint32_t)h->count;
		/* Nothing is shown before the last batch is in. */
		req->u.fetch_headers.oldest_first = 1;
		if (call_on(h, req, &c, err) < 0)
			goto fail;
	}
	*h_r = h;
	return 0;
fail:
	core_folder_close(&h, 0, NULL);
	return -1;
}

const char *
core_folder_url(const struct core_folder_handle *h)
{
	return h->url;
}

int
core_folder_read_only(const struct core_folder_handle *h)
{
	return h->read_only;
}

size_t
core_folder_count(const struct core_folder_handle *h)
{
	return h->count;
}

const struct mime_summary *
core_folder_summary(const struct core_folder_handle *h, size_t i)
{
	return i < h->count ? &h->sums[i] : NULL;
}

/* Appends message i's part (length 0: to its end, from offset). */
static int
fetch(struct core_folder_handle *h, size_t i, const char *part, uint64_t offset,
      uint64_t length, struct str *out, struct err *err)
{
	struct core_request *req;
	struct collect c;
	size_t was = out->len;

	if (i >= h->count)
		return err_set(err, ERR_INTERNAL, "message %zu is out of range", i + 1);
	memset(&c, 0, sizeof(c));
	c.data = out;
	req = core_request_new(CORE_REQ_FETCH_PART);
	req->u.fetch_part.id = h->sums[i].id;
	req->u.fetch_part.part = arena_strdup(req->arena, part);
	req->u.fetch_part.offset = offset;
	req->u.fetch_part.length = length;
	if (call_on(h, req, &c, err) < 0) {
		str_truncate(out, was);
		return -1;
	}
	str_append(out, "");
	return 0;
}

int
core_folder_fetch(struct core_folder_handle *h, size_t i, struct str *out, struct err *err)
{
	return fetch(h, i, "", 0, 0, out, err);
}

int
core_folder_fetch_header(struct core_folder_handle *h, size_t i, struct str *out,
			 struct err *err)
{
	return fetch(h, i, "HEADER", 0, 0, out, err);
}

int
core_folder_fetch_structure(struct core_folder_handle *h, size_t i, struct arena *arena,
			    struct core_part **parts_r, size_t *count_r, struct err *err)
{
	struct core_request *req;
	struct collect c;

	*parts_r = NULL;
	*count_r = 0;
	if (i >= h->count)
		return err_set(err, ERR_INTERNAL, "message %zu is out of range", i + 1);
	memset(&c, 0, sizeof(c));
	c.parts_arena = arena;
	req = core_request_new(CORE_REQ_FETCH_STRUCTURE);
	req->u.fetch_structure.id = h->sums[i].id;
	if (call_on(h, req, &c, err) < 0)
		return -1;
	if (!c.have_parts)
		return err_set(err, ERR_INTERNAL, "message %zu: the part list did not come",
			       i + 1);
	*parts_r = c.parts;
	*count_r = c.nparts;
	return 0;
}

int
core_folder_fetch_part(struct core_folder_handle *h, size_t i, const char *part,
		       uint64_t offset, uint64_t length, struct str *out, struct err *err)
{
	return fetch(h, i, part, offset, length, out, err);
}

int
core_folder_manage(int op, const char *url, const char *to, struct err *err)
{
	struct core_queue *events = NULL;
	struct core_worker *worker = NULL;
	struct core_request *req;
	struct collect c;
	int rc;

	if (start(NULL, &events, &worker, err) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	req = core_request_new(CORE_REQ_MANAGE_FOLDER);
	req->u.manage_folder.op = (enum core_folder_op)op;
	req->u.manage_folder.folder = arena_strdup(req->arena, url);
	req->u.manage_folder.to = to != NULL ? arena_strdup(req->arena, to) : NULL;
	rc = call(worker, req, &c, err);
	stop(&events, &worker);
	return rc;
}

static uint64_t *
ids_of(struct core_folder_handle *h, struct core_request *req, const size_t *idx, size_t n)
{
	uint64_t *ids = arena_alloc(req->arena, (n ? n : 1) * sizeof(*ids));
	size_t k;

	for (k = 0; k < n; k++)
		ids[k] = h->sums[idx[k]].id;
	return ids;
}

int
core_folder_set_flags(struct core_folder_handle *h, const size_t *idx, size_t n, unsigned set,
		      unsigned clear, struct err *err)
{
	struct core_request *req;
	struct collect c;
	size_t k;

	if (n == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	req = core_request_new(CORE_REQ_SET_FLAGS);
	req->u.set_flags.msgs.ids = ids_of(h, req, idx, n);
	req->u.set_flags.msgs.count = n;
	req->u.set_flags.add = set;
	req->u.set_flags.remove = clear;
	if (call_on(h, req, &c, err) < 0)
		return -1;
	for (k = 0; k < n; k++)
		h->sums[idx[k]].flags = (h->sums[idx[k]].flags | set) & ~clear;
	return 0;
}

int
core_folder_copy(struct core_folder_handle *h, const size_t *idx, size_t n, const char *dest,
		 struct err *err)
{
	struct core_request *req;
	struct collect c;

	if (n == 0)
		return 0;
	memset(&c, 0, sizeof(c));
	req = core_request_new(CORE_REQ_COPY);
	req->u.copy.msgs.ids = ids_of(h, req, idx, n);
	req->u.copy.msgs.count = n;
	req->u.copy.dest_folder = arena_strdup(req->arena, dest);
	return call_on(h, req, &c, err);
}

int
core_folder_request(struct core_folder_handle *h, struct core_request *req, struct err *err)
{
	struct collect c;

	memset(&c, 0, sizeof(c));
	c.h = h;
	return call_on(h, req, &c, err);
}

int
core_folder_take_news(struct core_folder_handle *h, size_t *added_r, int *reset_r,
		      struct err *err)
{
	struct core_request *req;
	struct core_event *ev;
	struct collect c;
	size_t old = h->count, first, count;

	*added_r = 0;
	*reset_r = 0;
	memset(&c, 0, sizeof(c));
	c.owner = h;
	/* Between calls only unsolicited events wait here (or the end of a
	 * job whose wait failed, which nobody waits for any more). */
	while ((ev = core_event_pop(h->events)) != NULL) {
		collect_event(ev, &c);
		core_event_free(&ev);
	}
	if (!h->open || (!h->news_reopened && h->news_exists <= h->count))
		return 0;
	first = h->news_reopened ? 0 : old;
	count = h->news_exists;
	h->sums = xreallocarray(h->sums, count ? count : 1, sizeof(*h->sums));
	if (count > old)
		memset(h->sums + old, 0, (count - old) * sizeof(*h->sums));
	h->count = count;
	if (count > first) {
		c.h = h;
		req = core_request_new(CORE_REQ_FETCH_HEADERS);
		req->u.fetch_headers.first = (uint32_t)first;
		req->u.fetch_headers.count = (uint32_t)(count - first);
		if (call_on(h, req, &c, err) < 0) {
			/* Tried again at the next look; a reset stays pending. */
			if (!h->news_reopened)
				h->count = old;
			return -1;
		}
	}
	*reset_r = h->news_reopened;
	*added_r = h->news_reopened ? 0 : count - old;
	h->news_reopened = 0;
	return 0;
}

/* Posts the folder's close, once; expunge as core_folder_close() says. */
static void
post_close(struct core_folder_handle *h, int expunge)
{
	struct core_request *req;

	if (h->closing != 0)
		return;
	req = core_request_new(CORE_REQ_CLOSE_FOLDER);
	req->u.close_folder.expunge = expunge;
	h->closing = core_worker_post(h->worker, req);
}

void
core_folder_close_begin(struct core_folder_handle *h)
{
	if (h != NULL && h->open)
		post_close(h, 0);
}

int
core_folder_close(struct core_folder_handle **hp, int write, struct err *err)
{
	struct core_folder_handle *h = *hp;
	int rc = 0;

	if (h == NULL)
		return 0;
	*hp = NULL;
	if (h->open) {
		struct collect c;
		struct err e2;

		memset(&c, 0, sizeof(c));
		post_close(h, write && !h->read_only);
		/* An interrupted quit must still finish writing or leave the
		 * folder whole: the wait here does not watch the interrupt fd. */
		rc = core_call_wait(h->worker, h->closing, CORE_REQ_CLOSE_FOLDER, collect_event, &c,
				    -1, err ? err : &e2);
	}
	stop(&h->events, &h->worker);
	arena_free(&h->arena);
	free(h->interned);
	free(h->sums);
	free(h->url);
	free(h);
	return rc;
}

int
core_folder_append(const char *url, const char *data, size_t len, unsigned flags, time_t date,
		   struct err *err)
{
	struct core_queue *events = NULL;
	struct core_worker *worker = NULL;
	struct core_request *req;
	struct collect c;
	int rc;

	if (start(NULL, &events, &worker, err) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	req = core_request_new(CORE_REQ_APPEND);
	req->u.append.folder = arena_strdup(req->arena, url);
	req->u.append.data = arena_memdup(req->arena, data, len);
	req->u.append.len = len;
	req->u.append.flags = flags;
	req->u.append.date = date;
	rc = call(worker, req, &c, err);
	stop(&events, &worker);
	return rc;
}

/* Appends the bytes of file `from` to the open fd. */
static int
append_file(int fd, const char *from, struct err *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int rc = 0;

	if (in < 0)
		return err_sys(err, ERR_IO, errno, "cannot read %s", from);
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = err_sys(err, ERR_IO, errno, "cannot read %s", from);
			break;
		}
		if (file_write_full(fd, buf, (size_t)n) < 0) {
			rc = err_sys(err, ERR_IO, errno, "cannot write a copy of %s", from);
			break;
		}
	}
	close(in);
	return rc;
}

int
core_folder_prepend(struct core_folder_handle *h, const size_t *idx, size_t n, const char *path,
		    struct err *err)
{
	struct stat st;
	char *tmp = NULL;
	int fd = -1, rc = -1;

	if (n == 0)
		return 0;
	if (strstr(path, "://") != NULL || stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size == 0)
		return core_folder_copy(h, idx, n, path, err);
	tmp = xasprintf("%s.petrel-new.%ld", path, (long)getpid());
	unlink(tmp);
	if (core_folder_copy(h, idx, n, tmp, err) < 0)
		goto out;
	fd = open(tmp, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		goto out;
	}
	if (append_file(fd, path, err) < 0)
		goto out;
	if (fsync(fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		goto out;
	}
	fchmod(fd, st.st_mode & 07777);
	if (rename(tmp, path) < 0) {
		err_sys(err, ERR_IO, errno, "cannot replace %s", path);
		goto out;
	}
	file_fsync_dir_of(path, NULL);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp != NULL)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
core_folder_list(const char *root, char ***names_r, size_t *count_r, struct err *err)
{
	struct core_queue *events = NULL;
	struct core_worker *worker = NULL;
	struct core_request *req;
	struct collect c;
	int rc;

	*names_r = NULL;
	*count_r = 0;
	if (start(root, &events, &worker, err) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.names = names_r;
	c.nnames = count_r;
	req = core_request_new(CORE_REQ_LIST_FOLDERS);
	rc = call(worker, req, &c, err);
	stop(&events, &worker);
	if (*names_r != NULL)
		qsort(*names_r, *count_r, sizeof(char *), cmp_str);
	return rc;
}

void
core_folder_sanitize(struct str *out, const char *text, size_t len, int keep_lines)
{
	mime_sanitize(out, text, len,
		      keep_lines ? MIME_SANITIZE_NEWLINE | MIME_SANITIZE_TAB : 0);
}
