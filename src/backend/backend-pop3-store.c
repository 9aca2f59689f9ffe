/*
 * Batch delivery of fetched POP3 messages into the notmuch store (see
 * the header).
 *
 * Why not core_store_deliver() per message: it commits the database and
 * syncs two files for every message, some ten disk flushes each, which
 * makes a fetch of thousands of messages take minutes; and its file
 * names are random, so a message delivered just before a crash could not
 * be recognised without reading every file.  Here a batch costs a few
 * flushes whatever its size, and the name says which message a file is.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <notmuch.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-local-maildir.h"
#include "backend/backend-notmuch-db.h"
#include "backend/backend-pop3-store.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"

#define NAME_SUFFIX ".pop3.petrel"
/* add() keeps its buffer between messages up to this size. */
#define LF_KEEP_MAX (4u * 1024 * 1024)
/* "/new/" KEY NAME_SUFFIX and its NUL. */
#define PATH_TAIL_MAX (5 + BACKEND_POP3_KEY_LEN + sizeof(NAME_SUFFIX))
/* Up to this many files a batch fsyncs each; beyond, one syncfs(2). */
#define FSYNC_EACH_MAX 4
/*
 * A plain maildir's files stay in the page cache for the first
 * CACHE_KEEP_BYTES of a run (what a reader opens next); past that, each
 * batch's pages are dropped once durable (see drop_cached()).  At most
 * DROP_FDS_MAX descriptors a batch, and a quarter of RLIMIT_NOFILE, are
 * held open for it: with the batch in flight, half the limit at most.
 */
#define CACHE_KEEP_BYTES (32u * 1024 * 1024)
#define DROP_FDS_MAX 256

struct staged {
	char key[BACKEND_POP3_KEY_LEN + 1];
	int written; /* in tmp/, to link; else already in new/ */
	int fd;      /* written, still open for drop_cached(); -1: closed */
};

struct backend_pop3_store {
	int plain;     /* a maildir without notmuch (open_maildir) */
	char *db_path; /* as given (NULL: configured) */
	char *mail_root;
	struct backend_params params;
	notmuch_database_t *db; /* read-only, for lookups; NULL until needed */
	struct staged *batch;
	size_t n, cap;
	size_t bytes;
	size_t nfds;        /* descriptors held open by the batch */
	size_t nfds_max;    /* 0: none held (not a plain maildir) */
	uint64_t run_bytes; /* written by this store, for CACHE_KEEP_BYTES */
	/* Keys committed by this store, sorted, for has() without the database. */
	char (*done)[BACKEND_POP3_KEY_LEN + 1];
	size_t ndone, capdone;
	/* Plain maildir: keys of the files in new/ and cur/, sorted; read once. */
	char (*cur)[BACKEND_POP3_KEY_LEN + 1];
	size_t ncur;
	int cur_read;
	/* add(): the message with LF line ends; one buffer for all, so a
	   large message costs no fresh pages each time. */
	struct str lf;
	/* path_buf(): three paths, each mail_root then "/new/KEY" NAME_SUFFIX:
	   0 for add(), 1 and 2 for link_files() in the commit thread. */
	char *pathbuf;
	size_t root_len;
	/*
	 * The batch handed to the commit thread (commit_start()).  While it
	 * runs, the other thread only reads the keys of flight[]; the commit
	 * thread also clears `written` of each file it renamed and closes
	 * its `fd`, uses path_buf() slots 1 and 2, and touches nothing else
	 * but flight_rc, flight_err and flight_done.
	 */
	struct staged *flight;
	size_t nflight, capflight;
	int in_flight; /* started, result not yet taken by commit_wait() */
	int running;   /* the thread is not joined yet */
	pthread_t thread;
	atomic_int flight_done; /* the thread has set flight_rc and flight_err */
	atomic_int abandon;     /* free(): no renames into new/ any more */
	int flight_rc;
	struct err flight_err;
};

/* Waits for the commit thread to end; its result stays for commit_wait(). */
static void
join_flight(struct backend_pop3_store *st)
{
	if (!st->running)
		return;
	pthread_join(st->thread, NULL);
	st->running = 0;
}

/*
 * The pages of b[0..n)'s files leave the page cache, now that syncfs has
 * written them (clean pages are freed, dirty ones would stay); closes the
 * descriptors add() kept, whatever became of the batch.
 *
 * Why: a large fetch otherwise fills the page cache with every message
 * it wrote, each write taking pages from the free lists that have not
 * been touched for a while.  Freed right away, the same pages serve the
 * next batch's writes.  On a virtual machine whose free memory goes back
 * to the host (virtio-balloon free page reporting, as where petrel's
 * benchmarks run) each untouched page costs a fault in the host:
 * copying into the page cache took 40 % of a 10,000-message fetch's CPU
 * time, and a tenth of that with the pages recycled.  Only a plain
 * maildir's files past the first CACHE_KEEP_BYTES go: notmuch reads each
 * file it indexes right after, and a small fetch is what the user reads
 * next.  Nothing here touches what is durable.
 */
static void
drop_cached(struct staged *b, size_t n, int written_out)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i].fd < 0)
			continue;
		if (written_out)
			(void)posix_fadvise(b[i].fd, 0, 0, POSIX_FADV_DONTNEED);
		close(b[i].fd);
	}
}

/* Appends data to out with each CRLF made LF, a run at a time. */
static void
append_lf(struct str *out, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	str_reserve(out, len);
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));

		if (cr == NULL || cr + 1 == end) {
			str_append_len(out, p, (size_t)(end - p));
			break;
		}
		str_append_len(out, p, (size_t)(cr - p));
		if (cr[1] != '\n')
			str_append_char(out, '\r');
		p = cr + 1;
	}
}

/* ---- keys ---- */

static void
hex_key(const unsigned char *md, char *key)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < BACKEND_POP3_KEY_LEN / 2; i++) {
		key[2 * i] = hex[md[i] >> 4];
		key[2 * i + 1] = hex[md[i] & 15];
	}
	key[BACKEND_POP3_KEY_LEN] = '\0';
}

static void
sha256_key(const char *tag, const char *a, size_t alen, const char *b, size_t blen, char *key)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, tag, strlen(tag)) != 1 || EVP_DigestUpdate(ctx, a, alen) != 1 ||
	    EVP_DigestUpdate(ctx, "\n", 1) != 1 || EVP_DigestUpdate(ctx, b, blen) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen < BACKEND_POP3_KEY_LEN / 2) {
		/* SHA-256 is in every OpenSSL petrel builds with. */
		abort();
	}
	EVP_MD_CTX_free(ctx);
	hex_key(md, key);
}

void
backend_pop3_store_uid_key(const char *mailbox, const char *uid, char *key)
{
	/* A unique-id has no "\n" (RFC 1939: 0x21 to 0x7E), so the last
	   "\n" splits the text one way only. */
	sha256_key("uid\n", mailbox, strlen(mailbox), uid, strlen(uid), key);
}

void
backend_pop3_store_content_key(const char *data, size_t len, char *key)
{
	struct str lf = STR_INIT;

	/* As stored: the same message sent with CRLF or LF has one key. */
	append_lf(&lf, data, len);
	backend_pop3_store_content_key_lf(lf.s != NULL ? lf.s : "", lf.len, key);
	str_free(&lf);
}

void
backend_pop3_store_content_key_lf(const char *data, size_t len, char *key)
{
	sha256_key("content\n", data, len, "", 0, key);
}

/* ---- opening ---- */

static char *
path_of(const struct backend_pop3_store *st, const char *sub, const char *key)
{
	return xasprintf("%s/%s/%s" NAME_SUFFIX, st->mail_root, sub, key);
}

/* The file of key in sub ("tmp", "new": three letters) in st's own buffer,
 * valid until the next call: the per-message paths cost no allocation. */
static const char *
path_buf(struct backend_pop3_store *st, int which, const char *sub, const char *key)
{
	char *p = st->pathbuf + which * (st->root_len + PATH_TAIL_MAX);

	memcpy(p, st->mail_root, st->root_len);
	p[st->root_len] = '/';
	memcpy(p + st->root_len + 1, sub, 3);
	p[st->root_len + 4] = '/';
	memcpy(p + st->root_len + 5, key, BACKEND_POP3_KEY_LEN);
	memcpy(p + st->root_len + 5 + BACKEND_POP3_KEY_LEN, NAME_SUFFIX, sizeof(NAME_SUFFIX));
	return p;
}

static void
set_root(struct backend_pop3_store *st, const char *root)
{
	st->mail_root = xstrdup(root);
	st->root_len = strlen(root);
	st->pathbuf = xmalloc(3 * (st->root_len + PATH_TAIL_MAX));
}

int
backend_pop3_store_open(const char *db_path, const struct backend_params *params,
                        struct backend_pop3_store **st_r, struct err *err)
{
	struct backend_pop3_store *st = xcalloc(1, sizeof(*st));
	const char *v;

	*st_r = NULL;
	st->db_path = db_path != NULL ? xstrdup(db_path) : NULL;
	st->params = *params;
	if (backend_notmuch_db_open(db_path, 1, &st->db, err) < 0)
		goto fail;
	v = notmuch_config_get(st->db, NOTMUCH_CONFIG_MAIL_ROOT);
	set_root(st, v != NULL && *v != '\0' ? v : notmuch_database_get_path(st->db));
	if (backend_local_maildir_create(st->mail_root, err) < 0)
		goto fail;
	*st_r = st;
	return 0;
fail:
	backend_pop3_store_free(&st);
	return -1;
}

int
backend_pop3_store_open_maildir(const char *dir, const struct backend_params *params,
                                struct backend_pop3_store **st_r, struct err *err)
{
	struct backend_pop3_store *st;
	struct rlimit rl;
	struct stat sb;

	*st_r = NULL;
	if (stat(dir, &sb) == 0) {
		char *cur = xasprintf("%s/cur", dir);
		int is_maildir = stat(cur, &sb) == 0 && S_ISDIR(sb.st_mode);

		free(cur);
		if (!is_maildir) {
			DIR *d = opendir(dir);
			struct dirent *e;
			int empty = 1;

			if (d == NULL)
				return err_sys(err, ERR_USAGE, errno,
				               "%s is not a maildir (an mbox?): --to takes a maildir",
				               dir);
			while (empty && (e = readdir(d)) != NULL)
				if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
					empty = 0;
			closedir(d);
			/* Making cur/ new/ tmp/ among someone's files would
			   hide the mail in a folder nobody reads. */
			if (!empty)
				return err_set(err, ERR_USAGE,
				               "%s is a directory but not a maildir (no cur/)", dir);
		}
	}
	st = xcalloc(1, sizeof(*st));
	st->plain = 1;
	st->params = *params;
	st->nfds_max = DROP_FDS_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 4 < st->nfds_max)
		st->nfds_max = (size_t)(rl.rlim_cur / 4);
	set_root(st, dir);
	if (backend_local_maildir_create(st->mail_root, err) < 0) {
		backend_pop3_store_free(&st);
		return -1;
	}
	*st_r = st;
	return 0;
}

void
backend_pop3_store_free(struct backend_pop3_store **stp)
{
	struct backend_pop3_store *st = *stp;

	if (st == NULL)
		return;
	/* A batch still being committed ends first, its files left in tmp/
	   unless some reached new/ already, where the next run finds them. */
	atomic_store_explicit(&st->abandon, 1, memory_order_release);
	join_flight(st);
	drop_cached(st->batch, st->n, 0);
	if (st->db != NULL)
		backend_notmuch_db_close(&st->db, NULL);
	free(st->db_path);
	free(st->mail_root);
	free(st->pathbuf);
	str_free(&st->lf);
	free(st->batch);
	free(st->flight);
	free(st->done);
	free(st->cur);
	free(st);
	*stp = NULL;
}

const char *
backend_pop3_store_mail_root(const struct backend_pop3_store *st)
{
	return st->mail_root;
}

size_t
backend_pop3_store_pending(const struct backend_pop3_store *st, size_t *bytes_r)
{
	if (bytes_r != NULL)
		*bytes_r = st->bytes;
	return st->n;
}

/* ---- lookups ---- */

static int
key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, BACKEND_POP3_KEY_LEN);
}

static int
done_has(const struct backend_pop3_store *st, const char *key)
{
	return st->ndone > 0 &&
	       bsearch(key, st->done, st->ndone, sizeof(*st->done), key_cmp) != NULL;
}

static int
batch_has(const struct backend_pop3_store *st, const char *key)
{
	for (size_t i = 0; i < st->n; i++)
		if (memcmp(st->batch[i].key, key, BACKEND_POP3_KEY_LEN) == 0)
			return 1;
	if (st->in_flight)
		for (size_t i = 0; i < st->nflight; i++)
			if (memcmp(st->flight[i].key, key, BACKEND_POP3_KEY_LEN) == 0)
				return 1;
	return 0;
}

static struct staged *
stage(struct backend_pop3_store *st, const char *key, int written, int fd)
{
	struct staged *s;

	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->batch = xreallocarray(st->batch, st->cap, sizeof(*st->batch));
	}
	s = &st->batch[st->n++];
	memcpy(s->key, key, BACKEND_POP3_KEY_LEN + 1);
	s->written = written;
	s->fd = fd;
	if (fd >= 0)
		st->nfds++;
	return s;
}

static int
valid_key(const char *key, struct err *err)
{
	if (strlen(key) != BACKEND_POP3_KEY_LEN ||
	    strspn(key, "0123456789abcdef") != BACKEND_POP3_KEY_LEN)
		return err_set(err, ERR_INTERNAL, "pop3 store: malformed key");
	return 0;
}

/* Adds the keys of petrel's files in sub/ (KEY.pop3.petrel in new/,
 * KEY.pop3.petrel:2,FLAGS in cur/) to st->cur, unsorted. */
static int
read_keys(struct backend_pop3_store *st, const char *sub, size_t *cap, struct err *err)
{
	char *dir = xasprintf("%s/%s", st->mail_root, sub);
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL) {
		err_sys(err, ERR_IO, errno, "cannot read %s", dir);
		free(dir);
		return -1;
	}
	free(dir);
	while ((e = readdir(d)) != NULL) {
		const char *n = e->d_name;

		if (strspn(n, "0123456789abcdef") != BACKEND_POP3_KEY_LEN ||
		    strncmp(n + BACKEND_POP3_KEY_LEN, NAME_SUFFIX, strlen(NAME_SUFFIX)) != 0)
			continue;
		/* The name itself, or with maildir flags after it. */
		if (n[BACKEND_POP3_KEY_LEN + strlen(NAME_SUFFIX)] != '\0' &&
		    n[BACKEND_POP3_KEY_LEN + strlen(NAME_SUFFIX)] != ':')
			continue;
		if (e->d_type == DT_DIR)
			continue;
		if (st->ncur == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			st->cur = xreallocarray(st->cur, *cap, sizeof(*st->cur));
		}
		memcpy(st->cur[st->ncur], n, BACKEND_POP3_KEY_LEN);
		st->cur[st->ncur++][BACKEND_POP3_KEY_LEN] = '\0';
	}
	closedir(d);
	return 0;
}

/*
 * Plain maildir: delivered, in new/ or (read since) in cur/.  Both are
 * read once, at the first question, rather than a lookup a message: the
 * fetch's lock keeps other petrels out, and what this store delivers
 * later done_has() and batch_has() know.
 */
static int
plain_has(struct backend_pop3_store *st, const char *key, struct err *err)
{
	if (!st->cur_read) {
		size_t cap = 0;

		free(st->cur);
		st->cur = NULL;
		st->ncur = 0;
		if (read_keys(st, "new", &cap, err) < 0 || read_keys(st, "cur", &cap, err) < 0)
			return -1;
		if (st->ncur > 0)
			qsort(st->cur, st->ncur, sizeof(*st->cur), key_cmp);
		st->cur_read = 1;
	}
	return st->ncur > 0 && bsearch(key, st->cur, st->ncur, sizeof(*st->cur), key_cmp) != NULL;
}

static int
indexed(struct backend_pop3_store *st, const char *key, struct err *err)
{
	char query[sizeof(BACKEND_POP3_PROPERTY) + BACKEND_POP3_KEY_LEN + 16];
	notmuch_query_t *q;
	notmuch_status_t s;
	unsigned count = 0;

	if (st->db == NULL && backend_notmuch_db_open(st->db_path, 1, &st->db, err) < 0)
		return -1;
	snprintf(query, sizeof(query), "property:%s=%s", BACKEND_POP3_PROPERTY, key);
	q = notmuch_query_create(st->db, query);
	if (q == NULL)
		return err_set(err, ERR_INTERNAL, "out of memory in libnotmuch");
	/* Excluded tags must not hide a message that is there. */
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	s = notmuch_query_count_messages(q, &count);
	notmuch_query_destroy(q);
	if (s != NOTMUCH_STATUS_SUCCESS)
		return backend_notmuch_db_err(err, s, st->db, NULL,
		                              "cannot search the notmuch database");
	return count > 0;
}

int
backend_pop3_store_has(struct backend_pop3_store *st, const char *key, struct err *err)
{
	struct stat sb;
	char *path;
	int r;

	if (valid_key(key, err) < 0)
		return -1;
	if (batch_has(st, key) || done_has(st, key))
		return 1;
	if (st->plain)
		return plain_has(st, key, err);
	r = indexed(st, key, err);
	if (r != 0)
		return r;
	/* Delivered by a run that stopped before indexing it: it joins the
	   batch, to be indexed by the next commit. */
	path = path_of(st, "new", key);
	r = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	if (r) {
		stage(st, key, 0, -1);
		log_trace(LOG_CH_BACKEND, "pop3 store: %s was delivered but not indexed", key);
	}
	return r;
}

/* ---- writing ---- */

/* Writes the message body[0..blen) (LF line ends) to tmp/; len is what
 * the caller gave, for pending(). */
static int
add_file(struct backend_pop3_store *st, const char *key, const char *body, size_t blen, size_t len,
         struct err *err)
{
	const char *tmp;
	int fd;

	tmp = path_buf(st, 0, "tmp", key);
	/* The name is the message's: a leftover of an earlier crash is the
	   same message, half written, and is overwritten. */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_sys(err, ERR_IO, errno, "cannot create %s", tmp);
	if (file_write_full(fd, body, blen) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
		close(fd);
		unlink(tmp);
		return -1;
	}
	st->run_bytes += blen;
	if (st->run_bytes > CACHE_KEEP_BYTES && st->nfds < st->nfds_max) {
		/* Kept open for drop_cached() once the batch is durable. */
		stage(st, key, 1, fd);
	} else {
		if (close(fd) < 0) {
			err_sys(err, ERR_IO, errno, "cannot write %s", tmp);
			unlink(tmp);
			return -1;
		}
		stage(st, key, 1, -1);
	}
	st->bytes += len;
	return 0;
}

int
backend_pop3_store_add(struct backend_pop3_store *st, const char *key, const char *data, size_t len,
                       struct err *err)
{
	struct str *lf = &st->lf;
	int ret;

	if (valid_key(key, err) < 0)
		return -1;
	if (batch_has(st, key))
		return 0;
	/* CRLF made LF, as maildir files are. */
	str_reset(lf);
	append_lf(lf, data, len);
	ret = add_file(st, key, lf->s != NULL ? lf->s : "", lf->len, len, err);
	/* A rare huge message does not keep its buffer for the whole fetch. */
	if (lf->cap > LF_KEEP_MAX)
		str_free(lf);
	return ret;
}

int
backend_pop3_store_add_lf(struct backend_pop3_store *st, const char *key, const char *data,
                          size_t len, struct err *err)
{
	if (valid_key(key, err) < 0)
		return -1;
	if (batch_has(st, key))
		return 0;
	return add_file(st, key, data, len, len, err);
}

static int
sync_path(const char *path, int flags, int fs, struct err *err)
{
	int fd = open(path, flags | O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return err_sys(err, ERR_IO, errno, "cannot open %s", path);
	rc = fs ? syncfs(fd) : fsync(fd);
	if (rc < 0 && !(errno == EINVAL && (flags & O_DIRECTORY))) {
		err_sys(err, ERR_IO, errno, "cannot sync %s", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The tmp/ files of b[0..n) made durable. */
static int
sync_files(const struct backend_pop3_store *st, const struct staged *b, size_t n, struct err *err)
{
	size_t written = 0;
	char *dir;
	int ret = -1;

	for (size_t i = 0; i < n; i++)
		written += b[i].written;
	if (written == 0)
		return 0;
	if (written > FSYNC_EACH_MAX) {
		/* One flush of the file system for the whole batch. */
		dir = xasprintf("%s/tmp", st->mail_root);
		ret = sync_path(dir, O_DIRECTORY, 1, err);
		free(dir);
		if (ret < 0)
			return -1;
	} else {
		for (size_t i = 0; i < n; i++) {
			char *tmp;

			if (!b[i].written)
				continue;
			tmp = path_of(st, "tmp", b[i].key);
			ret = sync_path(tmp, 0, 0, err);
			free(tmp);
			if (ret < 0)
				return -1;
		}
	}
	return 0;
}

/*
 * The durable tmp/ files of b[0..n) renamed into new/, then new/ durable.
 * A name already in new/ is the same message (its key says so), delivered
 * by an earlier run that stopped before recording it: replacing it with
 * the same bytes leaves one copy, as linking beside it did, in one
 * system call instead of link() and unlink().
 */
static int
link_files(struct backend_pop3_store *st, struct staged *b, size_t n, struct err *err)
{
	size_t written = 0;
	char *dir;
	int ret;

	for (size_t i = 0; i < n; i++)
		written += b[i].written;
	if (written == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct staged *s = &b[i];
		const char *tmp, *dest;

		if (!s->written)
			continue;
		tmp = path_buf(st, 1, "tmp", s->key);
		dest = path_buf(st, 2, "new", s->key);
		if (rename(tmp, dest) < 0)
			return err_sys(err, ERR_IO, errno, "cannot deliver %s", dest);
		s->written = 0;
	}
	dir = xasprintf("%s/new", st->mail_root);
	ret = sync_path(dir, O_DIRECTORY, 0, err);
	free(dir);
	return ret;
}

/* Indexes one file of the batch into the writable db, in its atomic step. */
static int
index_one(notmuch_database_t *db, const char *path, const char *key, char **new_tags,
          int sync_flags, struct err *err)
{
	notmuch_indexopts_t *opts = notmuch_database_get_default_indexopts(db);
	notmuch_message_t *m = NULL;
	notmuch_status_t s;

	s = notmuch_database_index_file(db, path, opts, &m);
	if (s == NOTMUCH_STATUS_SUCCESS) {
		for (char **t = new_tags; *t != NULL && s == NOTMUCH_STATUS_SUCCESS; t++)
			s = notmuch_message_add_tag(m, *t);
		if (s == NOTMUCH_STATUS_SUCCESS && sync_flags)
			s = notmuch_message_maildir_flags_to_tags(m);
	} else if (s == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID) {
		/* Another file of a message the store has (or this very file,
		   indexed by an earlier run): no new tags, as notmuch new. */
		s = NOTMUCH_STATUS_SUCCESS;
	}
	if (s == NOTMUCH_STATUS_SUCCESS && m != NULL)
		s = notmuch_message_add_property(m, BACKEND_POP3_PROPERTY, key);
	if (m != NULL)
		notmuch_message_destroy(m);
	if (opts != NULL)
		notmuch_indexopts_destroy(opts);
	if (s == NOTMUCH_STATUS_FILE_NOT_EMAIL) {
		log_warn("%s is not mail notmuch can index; it stays in the maildir, not indexed",
		         path);
		return 0;
	}
	if (s != NOTMUCH_STATUS_SUCCESS)
		return backend_notmuch_db_err(err, s, db, NULL, "cannot index %s", path);
	return 0;
}

static int
sync_flags_of(notmuch_database_t *db)
{
	notmuch_bool_t b = TRUE;

	if (notmuch_config_get_bool(db, NOTMUCH_CONFIG_SYNC_MAILDIR_FLAGS, &b) !=
	    NOTMUCH_STATUS_SUCCESS)
		b = TRUE;
	return b ? 1 : 0;
}

static int
index_batch(struct backend_pop3_store *st, const struct staged *b, size_t n, struct err *err)
{
	notmuch_database_t *db = st->db;
	notmuch_status_t s;
	char **tags = NULL;
	int sync_flags, ret = -1;

	st->db = NULL;
	if (db == NULL && backend_notmuch_db_open(st->db_path, 1, &db, err) < 0)
		return -1;
	if (backend_notmuch_db_writable(db, &st->params, err) < 0)
		goto out;
	s = notmuch_database_begin_atomic(db);
	if (s != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, s, db, NULL, "cannot write the notmuch database");
		goto out;
	}
	tags = backend_notmuch_db_values(db, NOTMUCH_CONFIG_NEW_TAGS, NULL);
	sync_flags = sync_flags_of(db);
	for (size_t i = 0; i < n; i++) {
		char *path = path_of(st, "new", b[i].key);
		int rc = index_one(db, path, b[i].key, tags, sync_flags, err);

		free(path);
		if (rc < 0)
			goto out; /* closing inside the atomic step keeps nothing */
	}
	s = notmuch_database_end_atomic(db);
	if (s != NOTMUCH_STATUS_SUCCESS) {
		backend_notmuch_db_err(err, s, db, NULL, "cannot write the notmuch database");
		goto out;
	}
	ret = backend_notmuch_db_close(&db, err);
out:
	backend_notmuch_db_values_free(&tags);
	if (db != NULL) {
		notmuch_database_close(db);
		backend_notmuch_db_close(&db, NULL);
	}
	return ret;
}

/* The commit thread: the flight batch's files made durable. */
static void *
commit_thread(void *arg)
{
	struct backend_pop3_store *st = arg;

	st->flight_rc = sync_files(st, st->flight, st->nflight, &st->flight_err);
	drop_cached(st->flight, st->nflight, st->flight_rc == 0);
	/* The renames into new/ and new/'s flush come here too, so that
	   the download does not wait for them (a rename a message, a flush
	   a batch). */
	if (st->flight_rc == 0 && !atomic_load_explicit(&st->abandon, memory_order_acquire))
		st->flight_rc = link_files(st, st->flight, st->nflight, &st->flight_err);
	atomic_store_explicit(&st->flight_done, 1, memory_order_release);
	return NULL;
}

int
backend_pop3_store_commit_start(struct backend_pop3_store *st, struct err *err)
{
	struct staged *swap;
	size_t cap;
	int rc;

	if (st->in_flight)
		return err_set(err, ERR_INTERNAL, "pop3 store: a batch is being committed already");
	if (st->n == 0)
		return 0;
	/* The open batch becomes the flight; the next one starts empty. */
	swap = st->flight;
	cap = st->capflight;
	st->flight = st->batch;
	st->capflight = st->cap;
	st->nflight = st->n;
	st->batch = swap;
	st->cap = cap;
	st->n = 0;
	st->bytes = 0;
	st->nfds = 0;
	st->flight_rc = -1;
	err_clear(&st->flight_err);
	atomic_store_explicit(&st->flight_done, 0, memory_order_relaxed);
	st->in_flight = 1;
	rc = pthread_create(&st->thread, NULL, commit_thread, st);
	if (rc != 0) {
		/* No thread to be had: the same work, here and now. */
		log_trace(LOG_CH_BACKEND, "pop3 store: no commit thread (%s), committing inline",
		          strerror(rc));
		commit_thread(st);
		return 0;
	}
	st->running = 1;
	return 0;
}

size_t
backend_pop3_store_in_flight(const struct backend_pop3_store *st)
{
	return st->in_flight ? st->nflight : 0;
}

/* The keys of b[0..n) join the sorted done[]: sorted alone, then merged
 * from the end, rather than the whole array sorted again each batch. */
static void
done_add(struct backend_pop3_store *st, const struct staged *b, size_t n)
{
	char(*run)[BACKEND_POP3_KEY_LEN + 1];
	size_t i = st->ndone, j = n, k = st->ndone + n;

	/* Room for the result and, past it, the sorted new keys. */
	if (st->ndone + 2 * n > st->capdone) {
		st->capdone = (st->ndone + 2 * n) * 2;
		st->done = xreallocarray(st->done, st->capdone, sizeof(*st->done));
	}
	run = st->done + st->ndone + n;
	for (size_t m = 0; m < n; m++)
		memcpy(run[m], b[m].key, BACKEND_POP3_KEY_LEN + 1);
	qsort(run, n, sizeof(*run), key_cmp);
	/* k == i + j throughout, so no key is overwritten before it is read. */
	while (j > 0) {
		if (i > 0 && key_cmp(st->done[i - 1], run[j - 1]) > 0)
			memcpy(st->done[--k], st->done[--i], sizeof(*st->done));
		else
			memcpy(st->done[--k], run[--j], sizeof(*st->done));
	}
	st->ndone += n;
}

int
backend_pop3_store_commit_wait(struct backend_pop3_store *st, int block, struct err *err)
{
	size_t n = st->nflight;

	if (!st->in_flight)
		return 0;
	if (!block && !atomic_load_explicit(&st->flight_done, memory_order_acquire))
		return 0;
	join_flight(st);
	st->in_flight = 0;
	/* The commit thread closed them. */
	for (size_t i = 0; i < n; i++)
		st->flight[i].fd = -1;
	if (st->flight_rc < 0)
		*err = st->flight_err;
	else if (!st->plain && index_batch(st, st->flight, n, err) < 0)
		st->flight_rc = -1;
	if (st->flight_rc < 0) {
		/* The batch goes back in front of the open one: a later commit
		   links what is left and indexes the lot. */
		if (st->n + n > st->cap) {
			st->cap = st->n + n;
			st->batch = xreallocarray(st->batch, st->cap, sizeof(*st->batch));
		}
		memmove(st->batch + n, st->batch, st->n * sizeof(*st->batch));
		memcpy(st->batch, st->flight, n * sizeof(*st->batch));
		st->n += n;
		st->nflight = 0;
		return -1;
	}
	done_add(st, st->flight, n);
	st->nflight = 0;
	log_trace(LOG_CH_BACKEND, "pop3 store: %zu messages durable%s", n,
	          st->plain ? "" : " and indexed");
	return 1;
}

int
backend_pop3_store_commit(struct backend_pop3_store *st, struct err *err)
{
	if (backend_pop3_store_commit_wait(st, 1, err) < 0)
		return -1;
	if (st->n == 0)
		return 0;
	if (backend_pop3_store_commit_start(st, err) < 0)
		return -1;
	return backend_pop3_store_commit_wait(st, 1, err) < 0 ? -1 : 0;
}
