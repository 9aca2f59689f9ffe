#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "core/core-outbox.h"

#define MARKER "X-Petrel-Outbox: 1\n"
#define FIELD_FROM "X-Petrel-Envelope-From: "
#define FIELD_TO "X-Petrel-Envelope-To: "
#define FIELD_RECORD "X-Petrel-Record: "
/* Largest entry read back: what a server would take, and then some. */
#define ENTRY_MAX ((size_t)1 << 30)
/* How often a busy lock is tried again. */
#define LOCK_POLL_MS 100
/* A sent message's file, moved out of the queue until it is unlinked. */
#define SENT_SUFFIX ".sent"
/* Files the reaper is woken for at a time: one wake-up a message costs
 * more than it saves when the machine is busy. */
#define REAPER_BATCH 32

/*
 * Removing a file can take far longer than renaming it (on a file system
 * mounted with discard, some 0.4 ms against 0.02 ms), which a flush would
 * pay for every message while the server waits.  So a removed entry is
 * renamed into tmp/ (out of the queue at once: listing reads new/ and
 * cur/ only) and a thread of the handle unlinks it meanwhile; sync() and
 * free() wait for it.  A crash leaves such files in tmp/, and open()
 * unlinks them: they were sent.
 */
struct reaper {
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t work; /* paths queued, or stop */
	pthread_cond_t idle; /* the queue is empty and nothing is being unlinked */
	char **paths;
	size_t n, cap;
	bool busy, stop;
	bool draining; /* unlink what there is, however few */
};

struct core_outbox {
	char *dir;
	int lock_fd; /* -1 when not held */
	struct reaper reaper;
};

static unsigned queue_seq;

static const char state_letter[] = {
    [CORE_OUTBOX_QUEUED] = '\0',
    [CORE_OUTBOX_SENDING] = 's',
    [CORE_OUTBOX_SENT_COPY] = 'c',
    [CORE_OUTBOX_HELD] = 'h',
};

const char *
core_outbox_state_name(enum core_outbox_state state)
{
	switch (state) {
	case CORE_OUTBOX_QUEUED:
		return "queued";
	case CORE_OUTBOX_SENDING:
		return "sending";
	case CORE_OUTBOX_SENT_COPY:
		return "sent, copy missing";
	case CORE_OUTBOX_HELD:
		return "held";
	}
	return "unknown";
}

static int
make_dir(const char *path, struct err *err)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return err_sys(err, ERR_IO, errno, "cannot create %s", path);
}

/* --- the reaper --- */

static void *
reaper_main(void *arg)
{
	struct reaper *r = arg;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (!r->stop && r->n < REAPER_BATCH && !(r->draining && r->n > 0))
			pthread_cond_wait(&r->work, &r->mu);
		while (r->n > 0) {
			char *path = r->paths[--r->n];

			r->busy = true;
			pthread_mutex_unlock(&r->mu);
			if (unlink(path) < 0 && errno != ENOENT)
				log_warn("cannot remove %s: %s", path, strerror(errno));
			free(path);
			pthread_mutex_lock(&r->mu);
			r->busy = false;
		}
		pthread_cond_broadcast(&r->idle);
		if (r->stop)
			break;
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Hands path (owned) to the reaper; false when no thread can take it. */
static bool
reaper_push(struct reaper *r, char *path)
{
	if (!r->started) {
		sigset_t all, old;
		int rc;

		pthread_mutex_init(&r->mu, NULL);
		pthread_cond_init(&r->work, NULL);
		pthread_cond_init(&r->idle, NULL);
		/* Signals are for the face's thread. */
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&r->thread, NULL, reaper_main, r);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (rc != 0) {
			pthread_cond_destroy(&r->idle);
			pthread_cond_destroy(&r->work);
			pthread_mutex_destroy(&r->mu);
			return false;
		}
		r->started = true;
	}
	pthread_mutex_lock(&r->mu);
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->paths = xreallocarray(r->paths, r->cap, sizeof(*r->paths));
	}
	r->paths[r->n++] = path;
	if (r->n >= REAPER_BATCH)
		pthread_cond_signal(&r->work);
	pthread_mutex_unlock(&r->mu);
	return true;
}

/* Waits until every path handed over is unlinked. */
static void
reaper_drain(struct reaper *r)
{
	if (!r->started)
		return;
	pthread_mutex_lock(&r->mu);
	r->draining = true;
	pthread_cond_signal(&r->work);
	while (r->n > 0 || r->busy)
		pthread_cond_wait(&r->idle, &r->mu);
	r->draining = false;
	pthread_mutex_unlock(&r->mu);
}

static void
reaper_stop(struct reaper *r)
{
	if (!r->started)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_cond_signal(&r->work);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_cond_destroy(&r->idle);
	pthread_cond_destroy(&r->work);
	pthread_mutex_destroy(&r->mu);
	free(r->paths);
	memset(r, 0, sizeof(*r));
}

/* Unlinks what a crash left in tmp/ of the files of sent messages. */
static void
remove_stale_sent(const char *dir)
{
	char *tmp = xasprintf("%s/tmp", dir);
	DIR *d = opendir(tmp);
	struct dirent *de;
	size_t sl = strlen(SENT_SUFFIX);

	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			size_t len = strlen(de->d_name);

			if (len > sl && strcmp(de->d_name + len - sl, SENT_SUFFIX) == 0)
				(void)unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	}
	free(tmp);
}

int
core_outbox_open(const char *dir, struct core_outbox **ob_r, struct err *err)
{
	static const char *const subs[] = {"tmp", "new", "cur"};
	struct stat st;
	char *sub;

	*ob_r = NULL;
	if (dir == NULL || *dir == '\0')
		return err_set(err, ERR_USAGE, "no outbox directory (set outbox)");
	if (file_mkdir_p(dir, 0700, err) < 0)
		return err_prefix(err, "outbox");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(err, ERR_IO, "the outbox %s is not a directory", dir);
	for (size_t i = 0; i < 3; i++) {
		sub = xasprintf("%s/%s", dir, subs[i]);
		if (make_dir(sub, err) < 0) {
			free(sub);
			return -1;
		}
		free(sub);
	}
	remove_stale_sent(dir);
	*ob_r = xcalloc(1, sizeof(**ob_r));
	(*ob_r)->dir = xstrdup(dir);
	(*ob_r)->lock_fd = -1;
	return 0;
}

void
core_outbox_free(struct core_outbox **obp)
{
	struct core_outbox *ob = *obp;

	if (ob == NULL)
		return;
	reaper_drain(&ob->reaper);
	reaper_stop(&ob->reaper);
	core_outbox_unlock(ob);
	free(ob->dir);
	free(ob);
	*obp = NULL;
}

const char *
core_outbox_dir(const struct core_outbox *ob)
{
	return ob->dir;
}

int
core_outbox_lock(struct core_outbox *ob, int timeout_ms, int cancel_fd, struct err *err)
{
	char *path;
	int fd, waited = 0;

	if (ob->lock_fd >= 0)
		return 0;
	path = xasprintf("%s/.lock", ob->dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_sys(err, ERR_IO, errno, "cannot open the outbox lock %s", path);
		free(path);
		return -1;
	}
	free(path);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		struct pollfd pfd = {.fd = cancel_fd, .events = POLLIN};

		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			err_sys(err, ERR_IO, errno, "cannot lock the outbox %s", ob->dir);
			close(fd);
			return -1;
		}
		if (waited >= timeout_ms) {
			close(fd);
			return err_set(err, ERR_IO,
			               "another petrel is sending from the outbox %s: try again "
			               "when it is done",
			               ob->dir);
		}
		if (poll(&pfd, cancel_fd >= 0 ? 1 : 0, LOCK_POLL_MS) > 0) {
			close(fd);
			return err_set(err, ERR_CANCELLED,
			               "cancelled while waiting for the outbox");
		}
		waited += LOCK_POLL_MS;
	}
	ob->lock_fd = fd;
	return 0;
}

void
core_outbox_unlock(struct core_outbox *ob)
{
	if (ob->lock_fd >= 0) {
		close(ob->lock_fd);
		ob->lock_fd = -1;
	}
}

/* --- entries --- */

void
core_outbox_entry_clear(struct core_outbox_entry *e)
{
	free(e->id);
	free(e->path);
	memset(e, 0, sizeof(*e));
}

void
core_outbox_entry_copy(struct core_outbox_entry *dst, const struct core_outbox_entry *src)
{
	dst->id = xstrdup(src->id);
	dst->path = xstrdup(src->path);
	dst->state = src->state;
}

void
core_outbox_entries_free(struct core_outbox_entry *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		core_outbox_entry_clear(&v[i]);
	free(v);
}

/* A unique name that sorts in queue order: seconds, microseconds, then a
 * counter for this process, each of fixed width. */
static char *
unique_id(void)
{
	struct timeval tv;
	char host[256];

	gettimeofday(&tv, NULL);
	if (gethostname(host, sizeof(host)) < 0 || host[0] == '\0')
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	/* '/' and ':' have meanings in maildir names. */
	for (char *p = host; *p != '\0'; p++)
		if (*p == '/' || *p == ':' || (unsigned char)*p <= ' ')
			*p = '_';
	return xasprintf("%010lld.M%06ldQ%06uP%ld.%s", (long long)tv.tv_sec, (long)tv.tv_usec,
	                 __atomic_add_fetch(&queue_seq, 1, __ATOMIC_RELAXED) % 1000000,
	                 (long)getpid(), host);
}

static bool
field_ok(const char *s, bool address)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			return false;
		if (address && (c == '<' || c == '>'))
			return false;
	}
	return true;
}

int
core_outbox_queue(struct core_outbox *ob, const struct core_outbox_envelope *env, const char *data,
                  size_t len, struct core_outbox_entry *entry_r, struct err *err)
{
	struct str head = STR_INIT;
	char *id = NULL, *tmp = NULL, *dst = NULL;
	int fd = -1, rc = -1;

	memset(entry_r, 0, sizeof(*entry_r));
	if (env->n_rcpts == 0)
		return err_set(err, ERR_USAGE, "no recipients");
	if (env->from == NULL || !field_ok(env->from, true))
		return err_set(err, ERR_USAGE, "invalid sender address \"%s\"",
		               env->from != NULL ? env->from : "");
	for (size_t i = 0; i < env->n_rcpts; i++)
		if (env->rcpts[i] == NULL || *env->rcpts[i] == '\0' ||
		    !field_ok(env->rcpts[i], true))
			return err_set(err, ERR_USAGE, "invalid recipient address \"%s\"",
			               env->rcpts[i] != NULL ? env->rcpts[i] : "");
	if (env->record != NULL && !field_ok(env->record, false))
		return err_set(err, ERR_USAGE, "the record folder name has control characters");
	str_append(&head, MARKER);
	str_appendf(&head, FIELD_FROM "<%s>\n", env->from);
	for (size_t i = 0; i < env->n_rcpts; i++)
		str_appendf(&head, FIELD_TO "<%s>\n", env->rcpts[i]);
	if (env->record != NULL && *env->record != '\0')
		str_appendf(&head, FIELD_RECORD "%s\n", env->record);

	id = unique_id();
	tmp = xasprintf("%s/tmp/%s", ob->dir, id);
	dst = xasprintf("%s/new/%s", ob->dir, id);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		goto out;
	}
	if (file_write_full(fd, head.s, head.len) < 0 || file_write_full(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		goto out;
	}
	fd = -1;
	if (rename(tmp, dst) < 0) {
		err_sys(err, ERR_IO, errno, "cannot move %s into the outbox", tmp);
		goto out;
	}
	if (file_fsync_dir_of(dst, err) < 0) {
		/* Not durable: do not let the caller rely on it. */
		unlink(dst);
		goto out;
	}
	log_trace(LOG_CH_CORE, "outbox: queued %s (%zu bytes, %zu recipients)", id, len,
	          env->n_rcpts);
	entry_r->id = id;
	entry_r->path = dst;
	entry_r->state = CORE_OUTBOX_QUEUED;
	id = dst = NULL;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	free(dst);
	free(id);
	str_free(&head);
	return rc;
}

static enum core_outbox_state
state_of_info(const char *info)
{
	if (info == NULL)
		return CORE_OUTBOX_QUEUED;
	if (strchr(info, 'h') != NULL)
		return CORE_OUTBOX_HELD;
	if (strchr(info, 'c') != NULL)
		return CORE_OUTBOX_SENT_COPY;
	if (strchr(info, 's') != NULL)
		return CORE_OUTBOX_SENDING;
	return CORE_OUTBOX_QUEUED;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct core_outbox_entry *x = a, *y = b;

	return strcmp(x->id, y->id);
}

static int
scan(const char *dir, const char *sub, struct core_outbox_entry **v, size_t *n, size_t *cap,
     struct err *err)
{
	char *path = xasprintf("%s/%s", dir, sub);
	struct dirent *de;
	DIR *d = opendir(path);

	if (d == NULL) {
		err_sys(err, ERR_IO, errno, "cannot read the outbox %s", path);
		free(path);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		const char *colon;
		struct core_outbox_entry *e;

		if (de->d_name[0] == '.')
			continue;
		colon = strchr(de->d_name, ':');
		if (colon != NULL && strncmp(colon, ":2,", 3) != 0)
			continue;
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*v = xreallocarray(*v, *cap, sizeof(**v));
		}
		e = &(*v)[(*n)++];
		e->id = colon != NULL ? xstrndup(de->d_name, (size_t)(colon - de->d_name))
		                      : xstrdup(de->d_name);
		e->path = xasprintf("%s/%s", path, de->d_name);
		e->state = state_of_info(colon != NULL ? colon + 3 : NULL);
	}
	closedir(d);
	free(path);
	return 0;
}

int
core_outbox_list(struct core_outbox *ob, struct core_outbox_entry **entries_r, size_t *count_r,
                 struct err *err)
{
	struct core_outbox_entry *v = NULL;
	size_t n = 0, cap = 0;

	*entries_r = NULL;
	*count_r = 0;
	if (scan(ob->dir, "new", &v, &n, &cap, err) < 0 ||
	    scan(ob->dir, "cur", &v, &n, &cap, err) < 0) {
		core_outbox_entries_free(v, n);
		return -1;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_entry);
	*entries_r = v;
	*count_r = n;
	return 0;
}

void
core_outbox_item_clear(struct core_outbox_item *item)
{
	free(item->from);
	for (size_t i = 0; i < item->n_rcpts; i++)
		free(item->rcpts[i]);
	free(item->rcpts);
	free(item->record);
	free(item->file);
	memset(item, 0, sizeof(*item));
}

/* "<addr>" without its brackets, or NULL. */
static char *
bracketed(const char *s, size_t len)
{
	if (len < 2 || s[0] != '<' || s[len - 1] != '>')
		return NULL;
	return xstrndup(s + 1, len - 2);
}

int
core_outbox_load(struct core_outbox *ob, const struct core_outbox_entry *e,
                 struct core_outbox_item *item, struct err *err)
{
	size_t pos, cap = 0;
	char *file;
	size_t len;

	(void)ob;
	memset(item, 0, sizeof(*item));
	if (file_read_all(e->path, ENTRY_MAX, &file, &len, err) < 0)
		return -1;
	item->file = file;
	item->file_len = len;
	if (len < strlen(MARKER) || memcmp(file, MARKER, strlen(MARKER)) != 0)
		goto bad;
	pos = strlen(MARKER);
	/* The block is the run of X-Petrel- lines at the top. */
	while (pos < len && len - pos > 9 && memcmp(file + pos, "X-Petrel-", 9) == 0) {
		const char *line = file + pos, *lf = memchr(line, '\n', len - pos);
		size_t l;

		if (lf == NULL)
			goto bad;
		l = (size_t)(lf - line);
		pos += l + 1;
		if (l > strlen(FIELD_FROM) && memcmp(line, FIELD_FROM, strlen(FIELD_FROM)) == 0) {
			free(item->from);
			item->from = bracketed(line + strlen(FIELD_FROM), l - strlen(FIELD_FROM));
			if (item->from == NULL)
				goto bad;
		} else if (l > strlen(FIELD_TO) && memcmp(line, FIELD_TO, strlen(FIELD_TO)) == 0) {
			char *a = bracketed(line + strlen(FIELD_TO), l - strlen(FIELD_TO));

			if (a == NULL || *a == '\0') {
				free(a);
				goto bad;
			}
			if (item->n_rcpts == cap) {
				cap = cap ? cap * 2 : 8;
				item->rcpts = xreallocarray(item->rcpts, cap, sizeof(char *));
			}
			item->rcpts[item->n_rcpts++] = a;
		} else if (l > strlen(FIELD_RECORD) &&
		           memcmp(line, FIELD_RECORD, strlen(FIELD_RECORD)) == 0) {
			free(item->record);
			item->record =
			    xstrndup(line + strlen(FIELD_RECORD), l - strlen(FIELD_RECORD));
		}
		/* Other X-Petrel- fields (from a later version) are skipped. */
	}
	if (item->from == NULL || item->n_rcpts == 0)
		goto bad;
	item->msg = file + pos;
	item->msg_len = len - pos;
	return 0;
bad:
	core_outbox_item_clear(item);
	return err_set(err, ERR_PARSE, "%s is not a message of petrel's outbox (no valid envelope)",
	               e->path);
}

int
core_outbox_set_state(struct core_outbox *ob, struct core_outbox_entry *e,
                      enum core_outbox_state state, bool durable, struct err *err)
{
	char letter = state_letter[state];
	char *dst = letter != '\0' ? xasprintf("%s/cur/%s:2,%c", ob->dir, e->id, letter)
	                           : xasprintf("%s/cur/%s:2,", ob->dir, e->id);

	if (strcmp(dst, e->path) != 0 && rename(e->path, dst) < 0) {
		err_sys(err, ERR_IO, errno, "cannot rename %s", e->path);
		free(dst);
		return -1;
	}
	free(e->path);
	e->path = dst;
	e->state = state;
	if (durable && file_fsync_dir_of(dst, err) < 0)
		return -1;
	return 0;
}

int
core_outbox_remove(struct core_outbox *ob, struct core_outbox_entry *e, struct err *err)
{
	char *gone = xasprintf("%s/tmp/%s" SENT_SUFFIX, ob->dir, e->id);

	/* Out of the queue now; the slow unlink on the reaper's thread. */
	if (rename(e->path, gone) == 0 && reaper_push(&ob->reaper, gone)) {
		log_trace(LOG_CH_CORE, "outbox: removed %s", e->id);
		return 0;
	}
	if (access(gone, F_OK) == 0) {
		/* Renamed, but no thread to unlink it. */
		(void)unlink(gone);
		free(gone);
		return 0;
	}
	free(gone);
	if (unlink(e->path) < 0 && errno != ENOENT)
		return err_sys(err, ERR_IO, errno, "cannot remove %s", e->path);
	log_trace(LOG_CH_CORE, "outbox: removed %s", e->id);
	return 0;
}

int
core_outbox_sync(struct core_outbox *ob, struct err *err)
{
	char *path;
	int rc;

	reaper_drain(&ob->reaper);
	path = xasprintf("%s/new/x", ob->dir);
	rc = file_fsync_dir_of(path, err);

	free(path);
	if (rc < 0)
		return -1;
	path = xasprintf("%s/cur/x", ob->dir);
	rc = file_fsync_dir_of(path, err);
	free(path);
	return rc;
}
