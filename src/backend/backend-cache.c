/* The header cache (LMDB) and the body cache (files); see the header. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <lmdb.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "backend/backend-cache.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"

/* The map starts here and doubles when it fills, up to the last. */
#define MAP_INITIAL ((size_t)64 << 20)
#define MAP_MAX ((size_t)16 << 30)
/* No string in a summary is longer (mime-summary cuts them far shorter). */
#define STRING_MAX (64 * 1024)
/* The format record, under a key no entry can have. */
static const char meta_key[] = "\0petrel";
static const char meta_value[] = "petrel header cache, format 2";

enum { KEY_META = 0, KEY_ENTRY = 'M', KEY_FOLDER = 'F' };
#define HASH_LEN 16
#define KEY_LEN (1 + HASH_LEN + 4 + 4)

/* ---- bytes ---- */

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void
put_u64(unsigned char *p, uint64_t v)
{
	put_u32(p, (uint32_t)(v >> 32));
	put_u32(p + 4, (uint32_t)v);
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
str_u32(struct str *s, uint32_t v)
{
	unsigned char b[4];

	put_u32(b, v);
	str_append_len(s, b, 4);
}

static void
str_u64(struct str *s, uint64_t v)
{
	str_u32(s, (uint32_t)(v >> 32));
	str_u32(s, (uint32_t)v);
}

static uint32_t
crc_of(const void *data, size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	const unsigned char *p = data;

	while (len > 0) {
		uInt n = len > 1u << 30 ? 1u << 30 : (uInt)len;

		crc = crc32(crc, p, n);
		p += n;
		len -= n;
	}
	return (uint32_t)crc;
}

/*
 * Header-cache entries and folder records carry a CRC-32C (Castagnoli):
 * a warm open checks every entry, and x86-64's crc32 instruction computes
 * it several times faster than zlib's CRC-32 does in software.  Both
 * paths give the same value, so a file moves between machines.
 */
#define CRC32C_POLY 0x82f63b78u

static uint32_t crc32c_table[256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;
static int crc32c_hw_ok;

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("sse4.2"))) static uint32_t
crc32c_hw(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc;

	while (len >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
		p += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	while (len-- > 0)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}
#endif

static void
crc32c_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc32c_table[i] = c;
	}
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	crc32c_hw_ok = __builtin_cpu_supports("sse4.2");
#endif
}

static uint32_t
entry_crc(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t crc = 0xffffffffu;

	pthread_once(&crc32c_once, crc32c_init);
#if defined(__x86_64__) && defined(__GNUC__)
	if (crc32c_hw_ok)
		return ~crc32c_hw(crc, p, len);
#endif
	while (len-- > 0)
		crc = crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* A reader over a byte range that fails once, and then stays failed. */
struct rd {
	const unsigned char *p;
	size_t left;
	int bad;
};

static uint32_t
rd_u32(struct rd *r)
{
	uint32_t v;

	if (r->bad || r->left < 4) {
		r->bad = 1;
		return 0;
	}
	v = get_u32(r->p);
	r->p += 4;
	r->left -= 4;
	return v;
}

static uint64_t
rd_u64(struct rd *r)
{
	uint64_t hi = rd_u32(r);

	return hi << 32 | rd_u32(r);
}

static void
hash_of(const char *text, unsigned char out[HASH_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	EVP_Digest(text, strlen(text), md, &len, EVP_sha256(), NULL);
	memcpy(out, md, HASH_LEN);
}

static void
hex_of(const unsigned char *h, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* ---- entries ---- */

/* The entry holds only a listing's fields (mime_summary's partial). */
#define ENTRY_PARTIAL 0x01u

static const char *const *
summary_strings(const struct mime_summary *s, const char *v[9])
{
	v[0] = s->from_name;
	v[1] = s->from_addr;
	v[2] = s->to;
	v[3] = s->cc;
	v[4] = s->subject;
	v[5] = s->message_id;
	v[6] = s->in_reply_to;
	v[7] = s->references;
	v[8] = s->list_post;
	return v;
}

/*
 * Format 3: version (1 byte), flags (1), ENTRY_PARTIAL when only a listing's
 * fields were asked for (1), reserved (1), lines (4), date
 * (8), received (8), size (8), nine strings each as a length (4) and its
 * bytes, then the CRC-32C of everything before it (4).  Big-endian.
 */
void
backend_cache_encode(struct str *out, const struct mime_summary *s, unsigned flags)
{
	const char *v[9];
	size_t lens[9], total = 4 + 4 + 8 + 8 + 8 + 9 * 4 + 4;
	unsigned char *p, *start;

	summary_strings(s, v);
	for (int i = 0; i < 9; i++) {
		lens[i] = v[i] != NULL ? strlen(v[i]) : 0;
		if (lens[i] > STRING_MAX)
			lens[i] = STRING_MAX;
		total += lens[i];
	}
	/* Written in place: one reservation instead of a call per field. */
	str_reserve(out, total);
	start = p = (unsigned char *)out->s + out->len;
	p[0] = BACKEND_CACHE_VERSION;
	/* \Recent belongs to one session: never kept. */
	p[1] = (unsigned char)(flags & ~(unsigned)MIME_FLAG_RECENT);
	p[2] = s->partial ? ENTRY_PARTIAL : 0;
	p[3] = 0;
	put_u32(p + 4, s->lines);
	put_u64(p + 8, (uint64_t)(int64_t)s->date);
	put_u64(p + 16, (uint64_t)(int64_t)s->received);
	put_u64(p + 24, s->size);
	p += 32;
	for (int i = 0; i < 9; i++) {
		put_u32(p, (uint32_t)lens[i]);
		if (lens[i] > 0)
			memcpy(p + 4, v[i], lens[i]);
		p += 4 + lens[i];
	}
	put_u32(p, entry_crc(start, (size_t)(p - start)));
	out->len += total;
	out->s[out->len] = '\0';
}

int
backend_cache_decode(const void *data, size_t len, struct arena *arena, struct mime_summary *s,
                     unsigned *flags_r)
{
	const unsigned char *p = data;
	struct rd r;
	const char **v[9];

	if (len < 4 + 4 + 24 + 9 * 4 + 4 || p[0] != BACKEND_CACHE_VERSION)
		return -1;
	if (entry_crc(p, len - 4) != get_u32(p + len - 4))
		return -1;
	if ((p[2] & ~ENTRY_PARTIAL) != 0 || p[3] != 0)
		return -1;
	memset(s, 0, sizeof(*s));
	r.p = p + 4;
	r.left = len - 8;
	r.bad = 0;
	*flags_r = p[1];
	s->partial = p[2] & ENTRY_PARTIAL;
	s->lines = rd_u32(&r);
	s->date = (time_t)(int64_t)rd_u64(&r);
	s->received = (time_t)(int64_t)rd_u64(&r);
	s->size = rd_u64(&r);
	v[0] = &s->from_name;
	v[1] = &s->from_addr;
	v[2] = &s->to;
	v[3] = &s->cc;
	v[4] = &s->subject;
	v[5] = &s->message_id;
	v[6] = &s->in_reply_to;
	v[7] = &s->references;
	v[8] = &s->list_post;
	/* The nine strings and their lengths are copied in one piece, each
	 * length's first byte (after a string) becoming its terminator: one
	 * allocation an entry rather than nine.  The CRC's first byte ends
	 * the last string. */
	if (r.bad)
		return -1;
	{
		size_t start = (size_t)(r.p - p);
		const unsigned char *q = r.p;
		size_t left = r.left;
		char *copy;

		for (int i = 0; i < 9; i++) {
			uint32_t n;

			if (left < 4)
				return -1;
			n = get_u32(q);
			q += 4;
			left -= 4;
			if (n > STRING_MAX || n > left || memchr(q, '\0', n) != NULL)
				return -1;
			q += n;
			left -= n;
		}
		if (left != 0)
			return -1;
		copy = arena_alloc(arena, (size_t)(q - r.p) + 1);
		memcpy(copy, r.p, (size_t)(q - r.p) + 1);
		q = r.p;
		for (int i = 0; i < 9; i++) {
			uint32_t n = get_u32(q);
			size_t at = (size_t)(q - p) + 4 - start;

			*v[i] = copy + at;
			copy[at + n] = '\0';
			q += 4 + n;
		}
	}
	return 0;
}

/* ---- environments, one per account and process ---- */

struct env_ref {
	struct env_ref *next;
	char *path;
	MDB_env *env;
	MDB_dbi dbi;
	size_t mapsize;
	int refs;
	/* Where the map is, as /proc/self/maps said for map_size. */
	void *map;
	size_t map_len, map_for;
};

static pthread_mutex_t envs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct env_ref *envs;

/* Throws away an environment's files (a cache that cannot be trusted). */
static void
env_remove_files(const char *path)
{
	char *f = xasprintf("%s/data.mdb", path);

	unlink(f);
	free(f);
	f = xasprintf("%s/lock.mdb", path);
	unlink(f);
	free(f);
}

/* Checks the format record; a cache of another format or program is
 * emptied and stamped as ours. */
static int
env_check_format(MDB_env *env, MDB_dbi *dbi_r)
{
	MDB_txn *txn;
	MDB_val k = {sizeof(meta_key) - 1, (void *)meta_key}, v;
	int rc;

	if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0)
		return rc;
	if ((rc = mdb_dbi_open(txn, NULL, 0, dbi_r)) != 0)
		goto fail;
	rc = mdb_get(txn, *dbi_r, &k, &v);
	if (rc == 0 && v.mv_size == sizeof(meta_value) - 1 &&
	    memcmp(v.mv_data, meta_value, v.mv_size) == 0) {
		mdb_txn_abort(txn);
		return 0;
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		goto fail;
	{
		MDB_stat st;

		if (mdb_stat(txn, *dbi_r, &st) == 0 && st.ms_entries > 0)
			log_info("the header cache was made by another program or version: "
			         "starting it again");
	}
	if ((rc = mdb_drop(txn, *dbi_r, 0)) != 0)
		goto fail;
	v.mv_size = sizeof(meta_value) - 1;
	v.mv_data = (void *)meta_value;
	if ((rc = mdb_put(txn, *dbi_r, &k, &v, 0)) != 0)
		goto fail;
	return mdb_txn_commit(txn);
fail:
	mdb_txn_abort(txn);
	return rc;
}

static int
env_open(const char *path, struct env_ref **ref_r, struct err *err)
{
	struct env_ref *ref;
	int rc = 0;

	pthread_mutex_lock(&envs_lock);
	for (ref = envs; ref != NULL; ref = ref->next)
		if (strcmp(ref->path, path) == 0) {
			ref->refs++;
			*ref_r = ref;
			pthread_mutex_unlock(&envs_lock);
			return 0;
		}
	if (file_mkdir_p(path, 0700, err) < 0) {
		pthread_mutex_unlock(&envs_lock);
		return -1;
	}
	ref = xcalloc(1, sizeof(*ref));
	ref->path = xstrdup(path);
	ref->mapsize = MAP_INITIAL;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct stat st;
		char *data = xasprintf("%s/data.mdb", path);

		/* A file too short for LMDB's meta pages, or not a file. */
		if (stat(data, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size < 8192)) {
			if (st.st_size > 0 || !S_ISREG(st.st_mode))
				log_warn("the header cache %s is damaged: starting it again", data);
			env_remove_files(path);
		}
		free(data);
		if ((rc = mdb_env_create(&ref->env)) != 0)
			break;
		mdb_env_set_mapsize(ref->env, ref->mapsize);
		/* With the kernel's readahead: an open reads a folder's
		 * entries in key order, and a file no longer in the page
		 * cache (after a reboot, or reclaimed) is read in large pieces
		 * rather than a page a fault (100,000 entries: 0.55 s against
		 * 0.19 s). */
		rc = mdb_env_open(ref->env, path, MDB_NOTLS | MDB_NOSYNC, 0600);
		if (rc == 0)
			rc = env_check_format(ref->env, &ref->dbi);
		if (rc == 0)
			break;
		mdb_env_close(ref->env);
		ref->env = NULL;
		if (rc == ENOENT || rc == EACCES || rc == ENOSPC || rc == EROFS)
			break;
		log_warn("the header cache %s cannot be read (%s): starting it again", path,
		         mdb_strerror(rc));
		env_remove_files(path);
	}
	if (rc != 0) {
		err_set(err, ERR_IO, "no header cache in %s: %s", path, mdb_strerror(rc));
		free(ref->path);
		free(ref);
		pthread_mutex_unlock(&envs_lock);
		return -1;
	}
	{
		MDB_envinfo info;

		if (mdb_env_info(ref->env, &info) == 0 && info.me_mapsize > ref->mapsize)
			ref->mapsize = info.me_mapsize;
	}
	ref->refs = 1;
	ref->next = envs;
	envs = ref;
	*ref_r = ref;
	pthread_mutex_unlock(&envs_lock);
	return 0;
}

static void
env_release(struct env_ref *ref)
{
	struct env_ref **pp;

	pthread_mutex_lock(&envs_lock);
	if (--ref->refs == 0) {
		for (pp = &envs; *pp != ref; pp = &(*pp)->next)
			;
		*pp = ref->next;
		mdb_env_sync(ref->env, 1);
		mdb_env_close(ref->env);
		free(ref->path);
		free(ref);
	}
	pthread_mutex_unlock(&envs_lock);
}

/* ---- one folder's handle ---- */

enum pend_kind { PEND_ENTRY, PEND_FLAGS, PEND_STATE };

struct pend {
	enum pend_kind kind;
	uint32_t uid;
	unsigned flags;
	size_t off, len; /* of the value in the handle's buffer */
};

struct backend_cache {
	struct env_ref *ref;
	unsigned char fh[HASH_LEN];
	uint32_t uidvalidity;
	MDB_txn *rtxn;
	int rtxn_reset;
	/* Read cursors for get (0) and has (1).  Windows read UIDs in
	 * order, so the entry wanted next is usually the one after the
	 * last: a step instead of a search from the root. */
	MDB_cursor *rcur[2];
	int rcur_stale[2];    /* to renew: the read transaction was reset */
	int rcur_at[2];       /* positioned on an entry of this folder ... */
	uint32_t rcur_uid[2]; /* ... of this UID */
	int broken;
	struct pend *pend;
	size_t n_pend, cap_pend;
	struct str buf;
};

static void
make_key(const struct backend_cache *c, int kind, uint32_t uidvalidity, uint32_t uid,
         unsigned char key[KEY_LEN])
{
	key[0] = (unsigned char)kind;
	memcpy(key + 1, c->fh, HASH_LEN);
	put_u32(key + 1 + HASH_LEN, uidvalidity);
	put_u32(key + 1 + HASH_LEN + 4, uid);
}

/* A failure that says the file cannot be trusted: no more use of it this
 * session, and the files go at close so the next session rebuilds. */
static void
cache_broken(struct backend_cache *c, int rc)
{
	if (c->broken)
		return;
	c->broken = 1;
	log_warn("the header cache %s failed (%s): not using it, it is rebuilt next time",
	         c->ref->path, mdb_strerror(rc));
}

static MDB_txn *
read_txn(struct backend_cache *c)
{
	int rc;

	if (c->broken)
		return NULL;
	if (c->rtxn != NULL && c->rtxn_reset) {
		if ((rc = mdb_txn_renew(c->rtxn)) != 0) {
			cache_broken(c, rc);
			return NULL;
		}
		c->rtxn_reset = 0;
	}
	if (c->rtxn == NULL) {
		if ((rc = mdb_txn_begin(c->ref->env, NULL, MDB_RDONLY, &c->rtxn)) != 0) {
			c->rtxn = NULL;
			cache_broken(c, rc);
			return NULL;
		}
		c->rtxn_reset = 0;
	}
	return c->rtxn;
}

static void
read_done(struct backend_cache *c)
{
	if (c->rtxn != NULL && !c->rtxn_reset) {
		mdb_txn_reset(c->rtxn);
		c->rtxn_reset = 1;
		for (int i = 0; i < 2; i++) {
			c->rcur_stale[i] = c->rcur[i] != NULL;
			c->rcur_at[i] = 0;
		}
	}
}

int
backend_cache_open(const char *dir, const char *account, const char *folder,
                   struct backend_cache **cache_r, struct err *err)
{
	struct backend_cache *c;
	unsigned char ah[HASH_LEN];
	char hex[2 * HASH_LEN + 1];
	char *path;
	char *fid;

	*cache_r = NULL;
	hash_of(account, ah);
	hex_of(ah, 8, hex);
	path = xasprintf("%s/imap-%s", dir, hex);
	c = xcalloc(1, sizeof(*c));
	if (env_open(path, &c->ref, err) < 0) {
		free(path);
		free(c);
		return -1;
	}
	free(path);
	/* INBOX is one folder whatever its spelling. */
	fid = xstrdup(folder[0] == '\0' || strcasecmp(folder, "INBOX") == 0 ? "INBOX" : folder);
	hash_of(fid, c->fh);
	free(fid);
	*cache_r = c;
	return 0;
}

void
backend_cache_close(struct backend_cache **cp)
{
	struct backend_cache *c = *cp;
	int broken;
	char *path;

	if (c == NULL)
		return;
	backend_cache_flush(c);
	for (int i = 0; i < 2; i++)
		if (c->rcur[i] != NULL)
			mdb_cursor_close(c->rcur[i]);
	if (c->rtxn != NULL)
		mdb_txn_abort(c->rtxn);
	broken = c->broken;
	path = xstrdup(c->ref->path);
	env_release(c->ref);
	if (broken) {
		/* Only when no other handle uses the files. */
		pthread_mutex_lock(&envs_lock);
		int in_use = 0;

		for (struct env_ref *r = envs; r != NULL; r = r->next)
			if (strcmp(r->path, path) == 0)
				in_use = 1;
		if (!in_use)
			env_remove_files(path);
		pthread_mutex_unlock(&envs_lock);
	}
	free(path);
	str_free(&c->buf);
	free(c->pend);
	free(c);
	*cp = NULL;
}

/* Runs fn in a write transaction, growing the map once when it is full. */
static int
write_txn(struct backend_cache *c, int (*fn)(struct backend_cache *, MDB_txn *, void *), void *arg)
{
	MDB_txn *txn;
	int rc;

	if (c->broken)
		return -1;
	read_done(c);
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = mdb_txn_begin(c->ref->env, NULL, 0, &txn)) != 0)
			break;
		rc = fn(c, txn, arg);
		if (rc == 0)
			rc = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
		if (rc != MDB_MAP_FULL)
			break;
		/* LMDB grows the map only with no transaction of ours open. */
		pthread_mutex_lock(&envs_lock);
		if (c->ref->mapsize < MAP_MAX &&
		    mdb_env_set_mapsize(c->ref->env, c->ref->mapsize * 2) == 0) {
			c->ref->mapsize *= 2;
			log_trace(LOG_CH_BACKEND, "header cache %s: map grown to %zu MiB",
			          c->ref->path, c->ref->mapsize >> 20);
		} else {
			attempt = 2;
		}
		pthread_mutex_unlock(&envs_lock);
	}
	if (rc == MDB_MAP_FULL) {
		log_trace(LOG_CH_BACKEND, "header cache %s is full", c->ref->path);
		return -1;
	}
	if (rc != 0) {
		cache_broken(c, rc);
		return -1;
	}
	return 0;
}

/* Deletes the keys of this folder of `kind` whose UIDVALIDITY differs
 * from keep (all with keep 0); *kept_r says whether any of keep exist. */
static int
drop_range(struct backend_cache *c, MDB_txn *txn, int kind, uint32_t keep, int *kept_r)
{
	MDB_cursor *cur;
	unsigned char start[KEY_LEN];
	MDB_val k, v;
	int rc;

	*kept_r = 0;
	if ((rc = mdb_cursor_open(txn, c->ref->dbi, &cur)) != 0)
		return rc;
	make_key(c, kind, 0, 0, start);
	k.mv_size = KEY_LEN;
	k.mv_data = start;
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	while (rc == 0) {
		const unsigned char *kd = k.mv_data;
		uint32_t uv;

		if (k.mv_size != KEY_LEN || kd[0] != kind || memcmp(kd + 1, c->fh, HASH_LEN) != 0)
			break;
		uv = get_u32(kd + 1 + HASH_LEN);
		if (keep != 0 && uv == keep) {
			/* Skip this UIDVALIDITY's entries at one go. */
			*kept_r = 1;
			if (uv == UINT32_MAX)
				break;
			make_key(c, kind, uv + 1, 0, start);
			k.mv_size = KEY_LEN;
			k.mv_data = start;
			rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
			continue;
		}
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			break;
		/* After a delete LMDB's MDB_NEXT gives the entry that moved up. */
		rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

struct select_arg {
	uint32_t keep;
	int kept;
};

static int
select_fn(struct backend_cache *c, MDB_txn *txn, void *arg)
{
	struct select_arg *a = arg;
	int kept_f, rc;

	if ((rc = drop_range(c, txn, KEY_ENTRY, a->keep, &a->kept)) != 0)
		return rc;
	return drop_range(c, txn, KEY_FOLDER, a->keep, &kept_f);
}

int
backend_cache_select(struct backend_cache *c, uint32_t uidvalidity)
{
	struct select_arg a = {uidvalidity, 0};

	backend_cache_flush(c);
	c->uidvalidity = uidvalidity;
	if (uidvalidity == 0 || write_txn(c, select_fn, &a) < 0)
		return 0;
	return a.kept;
}

void
backend_cache_drop_folder(struct backend_cache *c)
{
	struct select_arg a = {0, 0};

	c->n_pend = 0;
	str_reset(&c->buf);
	write_txn(c, select_fn, &a);
}

/* Moves cursor `which` to the entry with key (whose UID is uid) when there
 * is one: 1 found (*v its data), 0 not, -1 an LMDB error code in *rc_r. */
static int
cursor_find(struct backend_cache *c, int which, MDB_txn *txn, unsigned char key[KEY_LEN],
            uint32_t uid, MDB_val *v, int *rc_r)
{
	MDB_cursor **cur = &c->rcur[which];
	MDB_val k;
	int rc = 0;

	if (*cur == NULL)
		rc = mdb_cursor_open(txn, c->ref->dbi, cur);
	else if (c->rcur_stale[which])
		rc = mdb_cursor_renew(txn, *cur);
	if (rc != 0) {
		*cur = NULL;
		*rc_r = rc;
		return -1;
	}
	c->rcur_stale[which] = 0;
	if (c->rcur_at[which] && uid != c->rcur_uid[which]) {
		/* One step towards uid: the neighbour is it, or tells it is
		 * missing, or (a gap in the reading) a search is needed. */
		int up = uid > c->rcur_uid[which];

		rc = mdb_cursor_get(*cur, &k, v, up ? MDB_NEXT : MDB_PREV);
		if (rc == 0 && k.mv_size == KEY_LEN && memcmp(k.mv_data, key, KEY_LEN - 4) == 0) {
			uint32_t got = get_u32((const unsigned char *)k.mv_data + KEY_LEN - 4);

			c->rcur_uid[which] = got;
			if (got == uid)
				return 1;
			if (up ? got > uid : got < uid)
				return 0;
		}
		if (rc != 0 && rc != MDB_NOTFOUND) {
			c->rcur_at[which] = 0;
			*rc_r = rc;
			return -1;
		}
	} else if (c->rcur_at[which]) {
		rc = mdb_cursor_get(*cur, &k, v, MDB_GET_CURRENT);
		if (rc == 0)
			return 1;
	}
	k.mv_size = KEY_LEN;
	k.mv_data = key;
	c->rcur_at[which] = 0;
	rc = mdb_cursor_get(*cur, &k, v, MDB_SET_RANGE);
	if (rc != 0) {
		if (rc == MDB_NOTFOUND)
			return 0;
		*rc_r = rc;
		return -1;
	}
	if (k.mv_size != KEY_LEN || memcmp(k.mv_data, key, KEY_LEN - 4) != 0)
		return 0;
	c->rcur_at[which] = 1;
	c->rcur_uid[which] = get_u32((const unsigned char *)k.mv_data + KEY_LEN - 4);
	return c->rcur_uid[which] == uid;
}

static int
lookup(struct backend_cache *c, int which, uint32_t uid, MDB_val *v)
{
	unsigned char key[KEY_LEN];
	MDB_txn *txn;
	int rc = 0, r;

	if (c->uidvalidity == 0 || (txn = read_txn(c)) == NULL)
		return 0;
	make_key(c, KEY_ENTRY, c->uidvalidity, uid, key);
	r = cursor_find(c, which, txn, key, uid, v, &rc);
	if (r >= 0)
		return r;
	cache_broken(c, rc);
	return 0;
}

int
backend_cache_get(struct backend_cache *c, uint32_t uid, struct arena *arena,
                  struct mime_summary *s, unsigned *flags_r)
{
	MDB_val v;

	if (!lookup(c, 0, uid, &v))
		return 0;
	if (backend_cache_decode(v.mv_data, v.mv_size, arena, s, flags_r) < 0) {
		log_trace(LOG_CH_BACKEND, "header cache: the entry of UID %u does not check out",
		          uid);
		return 0;
	}
	return 1;
}

int
backend_cache_has(struct backend_cache *c, uint32_t uid, int whole)
{
	MDB_val v;

	if (!lookup(c, 1, uid, &v))
		return 0;
	return !whole || v.mv_size < 3 || !(((const unsigned char *)v.mv_data)[2] & ENTRY_PARTIAL);
}

static struct pend *
pend_add(struct backend_cache *c, enum pend_kind kind, uint32_t uid)
{
	struct pend *p;

	if (c->n_pend == c->cap_pend) {
		c->cap_pend = c->cap_pend ? c->cap_pend * 2 : 256;
		c->pend = xreallocarray(c->pend, c->cap_pend, sizeof(*c->pend));
	}
	p = &c->pend[c->n_pend++];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->uid = uid;
	p->off = c->buf.len;
	return p;
}

void
backend_cache_put(struct backend_cache *c, uint32_t uid, const struct mime_summary *s,
                  unsigned flags)
{
	struct pend *p;

	if (c->broken || c->uidvalidity == 0)
		return;
	p = pend_add(c, PEND_ENTRY, uid);
	backend_cache_encode(&c->buf, s, flags);
	p->len = c->buf.len - p->off;
}

void
backend_cache_set_flags(struct backend_cache *c, uint32_t uid, unsigned flags)
{
	if (c->broken || c->uidvalidity == 0)
		return;
	pend_add(c, PEND_FLAGS, uid)->flags = flags;
}

/*
 * Folder record, format 1: version (1 byte), UIDVALIDITY (4), modseq (8),
 * count (4), the UIDs as LEB128 gaps from the one before, CRC-32 (4).
 */
void
backend_cache_put_state(struct backend_cache *c, uint64_t modseq, const uint32_t *uids, size_t n)
{
	struct pend *p;
	uint32_t prev = 0;
	unsigned char v = BACKEND_CACHE_VERSION;

	if (c->broken || c->uidvalidity == 0)
		return;
	p = pend_add(c, PEND_STATE, 0);
	str_append_len(&c->buf, &v, 1);
	str_u32(&c->buf, c->uidvalidity);
	str_u64(&c->buf, modseq);
	str_u32(&c->buf, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		uint32_t gap = uids[i] - prev;

		prev = uids[i];
		do {
			unsigned char b = gap & 0x7f;

			gap >>= 7;
			if (gap != 0)
				b |= 0x80;
			str_append_len(&c->buf, &b, 1);
		} while (gap != 0);
	}
	str_u32(&c->buf, entry_crc(c->buf.s + p->off, c->buf.len - p->off));
	p->len = c->buf.len - p->off;
}

int
backend_cache_get_state(struct backend_cache *c, uint32_t *uidvalidity_r, uint64_t *modseq_r,
                        uint32_t **uids_r, size_t *n_r)
{
	unsigned char key[KEY_LEN];
	MDB_val k = {KEY_LEN, key}, v;
	MDB_cursor *cur;
	MDB_txn *txn;
	const unsigned char *p;
	struct rd r;
	uint32_t n, prev = 0, *uids;
	int rc;

	*uids_r = NULL;
	*n_r = 0;
	if ((txn = read_txn(c)) == NULL)
		return 0;
	if ((rc = mdb_cursor_open(txn, c->ref->dbi, &cur)) != 0) {
		cache_broken(c, rc);
		return 0;
	}
	make_key(c, KEY_FOLDER, 0, 0, key);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	mdb_cursor_close(cur);
	if (rc != 0 || k.mv_size != KEY_LEN || ((unsigned char *)k.mv_data)[0] != KEY_FOLDER ||
	    memcmp((unsigned char *)k.mv_data + 1, c->fh, HASH_LEN) != 0)
		return 0;
	p = v.mv_data;
	if (v.mv_size < 1 + 4 + 8 + 4 + 4 || p[0] != BACKEND_CACHE_VERSION ||
	    entry_crc(p, v.mv_size - 4) != get_u32(p + v.mv_size - 4))
		return 0;
	r.p = p + 1;
	r.left = v.mv_size - 5;
	r.bad = 0;
	*uidvalidity_r = rd_u32(&r);
	*modseq_r = rd_u64(&r);
	n = rd_u32(&r);
	/* Each UID takes a byte at least: the count cannot exceed the bytes. */
	if (r.bad || n > r.left)
		return 0;
	uids = xcalloc(n ? n : 1, sizeof(*uids));
	for (uint32_t i = 0; i < n; i++) {
		uint64_t gap = 0;
		int shift = 0;

		for (;;) {
			if (r.left == 0 || shift > 28)
				goto bad;
			gap |= (uint64_t)(*r.p & 0x7f) << shift;
			shift += 7;
			r.left--;
			if (!(*r.p++ & 0x80))
				break;
		}
		if (gap == 0 || prev + gap > UINT32_MAX)
			goto bad;
		prev = (uint32_t)(prev + gap);
		uids[i] = prev;
	}
	if (r.left != 0)
		goto bad;
	*uids_r = uids;
	*n_r = n;
	return 1;
bad:
	free(uids);
	return 0;
}

/*
 * Entries whose keys come after every key of the file are appended
 * (MDB_APPEND): LMDB then fills its pages instead of splitting them in
 * half, which halves the file a folder read in UID order makes, and the
 * pages a warm open has to map.  Others are put in place.
 */
static int
flush_fn(struct backend_cache *c, MDB_txn *txn, void *arg)
{
	unsigned char key[KEY_LEN], last[KEY_LEN];
	MDB_val k = {KEY_LEN, key}, v;
	MDB_cursor *cur = NULL;
	int rc, at_end = 0;

	(void)arg;
	if ((rc = mdb_cursor_open(txn, c->ref->dbi, &cur)) != 0)
		return rc;
	{
		MDB_val lk, lv;

		rc = mdb_cursor_get(cur, &lk, &lv, MDB_LAST);
		if (rc == 0 && lk.mv_size == KEY_LEN) {
			memcpy(last, lk.mv_data, KEY_LEN);
			at_end = 1;
		} else if (rc == MDB_NOTFOUND ||
		           (rc == 0 && lk.mv_size > 0 &&
		            ((const unsigned char *)lk.mv_data)[0] == KEY_META)) {
			/* Nothing, or only the format record, which sorts
			 * before every entry: all come after it. */
			memset(last, 0, KEY_LEN);
			at_end = 1;
		} else if (rc != 0) {
			goto out;
		}
		rc = 0;
	}
	for (size_t i = 0; i < c->n_pend; i++) {
		const struct pend *p = &c->pend[i];

		switch (p->kind) {
		case PEND_ENTRY:
		case PEND_STATE:
			make_key(c, p->kind == PEND_ENTRY ? KEY_ENTRY : KEY_FOLDER, c->uidvalidity,
			         p->kind == PEND_ENTRY ? p->uid : 0, key);
			v.mv_size = p->len;
			v.mv_data = c->buf.s + p->off;
			if (at_end && memcmp(key, last, KEY_LEN) > 0) {
				rc = mdb_cursor_put(cur, &k, &v, MDB_APPEND);
				memcpy(last, key, KEY_LEN);
			} else {
				rc = mdb_put(txn, c->ref->dbi, &k, &v, 0);
			}
			if (rc != 0)
				goto out;
			break;
		case PEND_FLAGS: {
			unsigned char *copy;

			make_key(c, KEY_ENTRY, c->uidvalidity, p->uid, key);
			rc = mdb_get(txn, c->ref->dbi, &k, &v);
			if (rc == MDB_NOTFOUND) {
				rc = 0;
				break;
			}
			if (rc != 0)
				goto out;
			if (v.mv_size < 8 ||
			    ((unsigned char *)v.mv_data)[0] != BACKEND_CACHE_VERSION ||
			    ((unsigned char *)v.mv_data)[1] ==
			        (unsigned char)(p->flags & ~(unsigned)MIME_FLAG_RECENT))
				break;
			copy = xmemdup(v.mv_data, v.mv_size);
			/* Only an entry that checked out gets a new checksum. */
			if (entry_crc(copy, v.mv_size - 4) == get_u32(copy + v.mv_size - 4)) {
				copy[1] = (unsigned char)(p->flags & ~(unsigned)MIME_FLAG_RECENT);
				put_u32(copy + v.mv_size - 4, entry_crc(copy, v.mv_size - 4));
				v.mv_data = copy;
				rc = mdb_put(txn, c->ref->dbi, &k, &v, 0);
			}
			free(copy);
			if (rc != 0)
				goto out;
			break;
		}
		}
	}
out:
	mdb_cursor_close(cur);
	return rc;
}

/*
 * The map's pages stay in the page cache but leave this process's
 * resident set: a folder of 100,000 summaries read or written once would
 * otherwise keep the whole file resident (LMDB maps it read-only and
 * shared, so dropping the mappings loses nothing; a later read maps the
 * page again from the page cache).
 */
static void
find_map(struct env_ref *ref)
{
	struct stat st;
	FILE *maps;
	char line[512], *path;

	/* LMDB does not say where its map is: /proc/self/maps does. */
	ref->map = NULL;
	ref->map_len = 0;
	ref->map_for = ref->mapsize;
	path = xasprintf("%s/data.mdb", ref->path);
	if (stat(path, &st) < 0 || (maps = fopen("/proc/self/maps", "re")) == NULL) {
		free(path);
		return;
	}
	while (fgets(line, sizeof(line), maps) != NULL) {
		unsigned long lo, hi, ino;
		char *name = strchr(line, '/');

		if (sscanf(line, "%lx-%lx %*s %*s %*s %lu", &lo, &hi, &ino) == 3 &&
		    ino == (unsigned long)st.st_ino && name != NULL &&
		    strstr(name, "/data.mdb") != NULL) {
			ref->map = (void *)lo;
			ref->map_len = hi - lo;
			break;
		}
	}
	fclose(maps);
	free(path);
}

static void
release_map(struct backend_cache *c)
{
	if (c->broken)
		return;
	/* A grown map is a new mapping. */
	pthread_mutex_lock(&envs_lock);
	if (c->ref->map_for != c->ref->mapsize)
		find_map(c->ref);
	if (c->ref->map != NULL)
		madvise(c->ref->map, c->ref->map_len, MADV_DONTNEED);
	pthread_mutex_unlock(&envs_lock);
}

size_t
backend_cache_pending(const struct backend_cache *c)
{
	return c->n_pend;
}

void
backend_cache_release(struct backend_cache *c)
{
	read_done(c);
	release_map(c);
}

void
backend_cache_flush(struct backend_cache *c)
{
	if (c->n_pend == 0) {
		read_done(c);
		release_map(c);
		return;
	}
	write_txn(c, flush_fn, NULL);
	c->n_pend = 0;
	str_reset(&c->buf);
	release_map(c);
}

/* ---- bodies ---- */

struct backend_body_cache {
	char *dir;
	char fhex[2 * HASH_LEN + 1];
};

#define BODY_MAGIC "PBC1"
#define BODY_HEAD (4 + 1 + 8 + 4)
/* A cached part never exceeds what a fetch would hold in memory. */
#define BODY_MAX ((size_t)1 << 30)

int
backend_body_cache_open(const char *dir, const char *account, const char *folder,
                        struct backend_body_cache **bc_r, struct err *err)
{
	struct backend_body_cache *bc;
	unsigned char h[HASH_LEN];
	char hex[2 * HASH_LEN + 1];
	char *fid;

	*bc_r = NULL;
	hash_of(account, h);
	hex_of(h, 8, hex);
	bc = xcalloc(1, sizeof(*bc));
	bc->dir = xasprintf("%s/imap-%s", dir, hex);
	if (file_mkdir_p(bc->dir, 0700, err) < 0) {
		err_prefix(err, "no message cache");
		free(bc->dir);
		free(bc);
		return -1;
	}
	fid = xstrdup(folder[0] == '\0' || strcasecmp(folder, "INBOX") == 0 ? "INBOX" : folder);
	hash_of(fid, h);
	free(fid);
	hex_of(h, HASH_LEN, bc->fhex);
	*bc_r = bc;
	return 0;
}

void
backend_body_cache_close(struct backend_body_cache **bcp)
{
	struct backend_body_cache *bc = *bcp;

	if (bc == NULL)
		return;
	free(bc->dir);
	free(bc);
	*bcp = NULL;
}

static char *
body_path(const struct backend_body_cache *bc, uint32_t uidvalidity, uint32_t uid,
          const char *section)
{
	/* Part names are digits, capitals and dots (checked by the caller). */
	return xasprintf("%s/%s-%u-%u-%s", bc->dir, bc->fhex, uidvalidity, uid,
	                 section[0] != '\0' ? section : "msg");
}

int
backend_body_cache_get(struct backend_body_cache *bc, uint32_t uidvalidity, uint32_t uid,
                       const char *section, uint64_t offset, uint64_t length, struct str *out)
{
	char *path = body_path(bc, uidvalidity, uid, section);
	char *data = NULL;
	size_t len = 0;
	struct err e;
	uint64_t dlen;
	int rc = 0;

	if (file_read_all(path, BODY_MAX + BODY_HEAD, &data, &len, &e) < 0)
		goto out;
	if (len < BODY_HEAD || memcmp(data, BODY_MAGIC, 4) != 0 ||
	    (unsigned char)data[4] != BACKEND_CACHE_VERSION)
		goto bad;
	dlen =
	    (uint64_t)get_u32((unsigned char *)data + 5) << 32 | get_u32((unsigned char *)data + 9);
	if (dlen != len - BODY_HEAD ||
	    crc_of(data + BODY_HEAD, (size_t)dlen) != get_u32((unsigned char *)data + 13))
		goto bad;
	if (offset < dlen) {
		size_t n = (size_t)(dlen - offset);

		if (length != 0 && length < n)
			n = (size_t)length;
		str_append_len(out, data + BODY_HEAD + offset, n);
	}
	str_append(out, "");
	rc = 1;
	goto out;
bad:
	log_trace(LOG_CH_BACKEND, "message cache: %s does not check out; removed", path);
	unlink(path);
out:
	free(data);
	free(path);
	return rc;
}

void
backend_body_cache_put(struct backend_body_cache *bc, uint32_t uidvalidity, uint32_t uid,
                       const char *section, const char *data, size_t len)
{
	char *path;
	struct str f = STR_INIT;
	struct err e;
	unsigned char v = BACKEND_CACHE_VERSION;

	if (len > BODY_MAX)
		return;
	path = body_path(bc, uidvalidity, uid, section);
	str_append_len(&f, BODY_MAGIC, 4);
	str_append_len(&f, &v, 1);
	str_u64(&f, len);
	str_u32(&f, crc_of(data, len));
	str_append_len(&f, data, len);
	if (file_write_atomic(path, f.s, f.len, 0600, &e) < 0)
		log_trace(LOG_CH_BACKEND, "message cache: %s", e.msg);
	str_free(&f);
	free(path);
}
