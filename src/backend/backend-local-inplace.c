/*
 * In-place rewrites with a recovery record (see the header).
 *
 * Names.  A file's record is KEY.record in the state directory, KEY being
 * a hash of the file's real path; its backups are KEY.backup.PID.N.  The
 * record is text: the phase, the file's device and inode, the offset the
 * new bytes start at (off), the old and new sizes, the old time, a hash of
 * the backup's bytes, a hash of the old bytes [new_size, old_size) when the
 * file shrinks, and the backup's name.
 *
 * The steps, with the file's locks held throughout:
 *
 *   1. The backup B gets the new bytes and is fsynced.
 *   2. The record R is written atomically (temporary file, fsync, rename,
 *      fsync of the directory) with phase 1.  This is the commit point:
 *      from here on the new contents win.
 *   3. When the file grows, it is first extended to its new size with
 *      ftruncate (zeros) and fsynced.
 *   4. R is rewritten with phase 2.
 *   5. B is copied over the file from off on, and the file is fsynced.
 *   6. The rewritten region is read back and its hash compared with B's.
 *   7. When the file shrinks, it is cut to its new size and fsynced.
 *   8. R is removed and the directory fsynced; then B is removed.
 *
 * The crash argument.  Let old_size be the size before, new_size = off +
 * |B|, E = max(old_size, new_size).
 *
 *   - Before R exists (a crash in 1 or 2): the file has not been touched
 *     (nothing is written to it before step 2 is durable); it is the old
 *     folder.  A backup left behind is an orphan, removed by the next
 *     begin on that file.
 *   - R says phase 1 (a crash in 2-4): bytes [0, old_size) of the file are
 *     the old ones.  The file may also have been extended to E with zeros
 *     (step 3), or not (the ftruncate is one atomic metadata change).
 *     Mail that another program appended after the crash (our lock died
 *     with us) starts at E when [old_size, E) is all zeros, at old_size
 *     otherwise: appended mail never starts with a NUL byte.
 *   - R says phase 2 (a crash in 4-8): the extension to E is durable (step
 *     3 finished, with its fsync, before step 4 began), so the size never
 *     went below new_size, and appended mail starts at E, or at new_size
 *     once step 7 has cut the file.  Which of the two: the bytes [new_size,
 *     old_size) still hash to the old bytes there (recorded in R) exactly
 *     when the cut has not happened, since step 5 writes below new_size
 *     only and mail appended later is new bytes.
 *   In both phases, then, the file is prefix [0, off) (never written),
 *   then our region [off, new_size) in any state (old bytes, zeros, part
 *   of B, all of B), then possibly leftovers of ours, then A, the mail
 *   appended since, which is known exactly.  Recovery makes it prefix + B
 *   + A: when the region already holds B and A follows it directly there
 *   is nothing to write and R and B are removed; otherwise it runs the
 *   same steps as a new rewrite from off with B' = B + A, whose record
 *   replaces R atomically (so a crash during recovery leaves R or R', each
 *   with an intact backup, and the argument applies again) and whose
 *   step 2 removes B.
 *   - After step 8 removed R: the file is the new folder.
 *
 * A folder is therefore never left torn once the next open has looked at
 * it.  What this cannot do: finish a rewrite whose record or backup was
 * deleted or damaged (recover then refuses, naming both, and the folder
 * stays closed), or help a program other than petrel that reads the
 * folder before petrel opens it again.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-local-inplace.h"
#include "backend/backend-local.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"

#define INPLACE_CHUNK (256 * 1024)
#define RECORD_MAX 8192

static atomic_uint backup_counter;

struct record {
	int phase;
	uint64_t dev, ino;
	uint64_t off, old_size, new_size;
	long long mtime_s; /* the old time: for whoever inspects a record left behind */
	long mtime_ns;
	uint64_t old_tail_hash, backup_hash;
	char backup[256]; /* a name in the state directory */
};

static void
at(const struct backend_local_inplace *job, const char *point)
{
	if (job->hook != NULL)
		job->hook(point, job->path);
}

/* ---- where things are ---- */

/* $XDG_STATE_HOME/petrel/rewrite, else ~/.local/state/petrel/rewrite; NULL
 * when neither variable gives an absolute path. */
static char *
state_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/petrel/rewrite", xdg);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.local/state/petrel/rewrite", home);
	return NULL;
}

static uint64_t
hash_update(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define HASH_INIT 0xcbf29ce484222325ULL

/* The prefix of a file's record and backups: a hash of its real path. */
static char *
file_key(const char *path)
{
	char *real = realpath(path, NULL);
	const char *p = real != NULL ? real : path;
	char *key = xasprintf("%016" PRIx64, hash_update(HASH_INIT, p, strlen(p)));

	free(real);
	return key;
}

static char *
record_path(const char *dir, const char *path)
{
	char *key = file_key(path), *rp = xasprintf("%s/%s.record", dir, key);

	free(key);
	return rp;
}

/* ---- file ranges ---- */

/* The hash of [from, to) of fd. */
static int
hash_range(int fd, uint64_t from, uint64_t to, uint64_t *hash_r)
{
	char *buf = xmalloc(INPLACE_CHUNK);
	uint64_t h = HASH_INIT;
	int ret = 0;

	while (from < to) {
		size_t n = to - from > INPLACE_CHUNK ? INPLACE_CHUNK : (size_t)(to - from);

		if (backend_local_pread(fd, buf, n, from) < 0) {
			ret = -1;
			break;
		}
		h = hash_update(h, buf, n);
		from += n;
	}
	free(buf);
	*hash_r = h;
	return ret;
}

/* 1 when [from, to) of fd is all NUL bytes. */
static int
all_zero(int fd, uint64_t from, uint64_t to)
{
	char *buf = xmalloc(INPLACE_CHUNK);
	int zero = 1;

	while (zero && from < to) {
		size_t n = to - from > INPLACE_CHUNK ? INPLACE_CHUNK : (size_t)(to - from);

		if (backend_local_pread(fd, buf, n, from) < 0) {
			zero = 0;
			break;
		}
		for (size_t i = 0; i < n && zero; i++)
			zero = buf[i] == '\0';
		from += n;
	}
	free(buf);
	return zero;
}

/* Copies len bytes from src at src_off to dst at dst_off. */
static int
copy_range(int src, uint64_t src_off, int dst, uint64_t dst_off, uint64_t len)
{
	char *buf = xmalloc(INPLACE_CHUNK);
	int ret = 0;

	while (len > 0) {
		size_t n = len > INPLACE_CHUNK ? INPLACE_CHUNK : (size_t)len;

		if (backend_local_pread(src, buf, n, src_off) < 0 ||
		    backend_local_pwrite(dst, buf, n, dst_off) < 0) {
			ret = -1;
			break;
		}
		src_off += n;
		dst_off += n;
		len -= n;
	}
	free(buf);
	return ret;
}

static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -1;
	if (fsync(fd) < 0 && errno != EINVAL)
		ret = -1;
	close(fd);
	return ret;
}

/* ---- records ---- */

static int
record_write(const char *rp, const char *path, const struct record *r, struct err *err)
{
	struct str text = STR_INIT;
	int ret;

	str_appendf(&text,
	            "petrel in-place rewrite 1\n"
	            "phase %d\ndev %" PRIu64 "\nino %" PRIu64 "\noff %" PRIu64 "\nold_size %" PRIu64
	            "\nold_mtime %lld.%09ld\nnew_size %" PRIu64 "\nold_tail_hash %016" PRIx64
	            "\nbackup_hash %016" PRIx64 "\nbackup %s\n",
	            r->phase, r->dev, r->ino, r->off, r->old_size, r->mtime_s, r->mtime_ns,
	            r->new_size, r->old_tail_hash, r->backup_hash, r->backup);
	/* For whoever finds the record: which file it is about. */
	str_append(&text, "path ");
	for (const char *c = path; *c; c++)
		str_append_char(&text, *c == '\n' ? '?' : *c);
	str_append_char(&text, '\n');
	ret = file_write_atomic(rp, text.s, text.len, 0600, err);
	str_free(&text);
	return ret;
}

static int
record_read(const char *rp, struct record *r, struct err *err)
{
	static const char magic[] = "petrel in-place rewrite 1\n";
	char *text = NULL, *next;
	size_t len;
	unsigned seen = 0;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (file_read_all(rp, RECORD_MAX, &text, &len, err) < 0)
		return -1;
	if (strncmp(text, magic, sizeof(magic) - 1) != 0)
		goto out;
	for (char *line = text + sizeof(magic) - 1; *line != '\0'; line = next) {
		char *value = strchr(line, ' ');
		int ok;

		next = strchr(line, '\n');
		if (next == NULL || value == NULL || value > next)
			goto out;
		*next++ = '\0';
		*value++ = '\0';
		if (strcmp(line, "phase") == 0)
			ok = sscanf(value, "%d", &r->phase) == 1 ? 1 : 0;
		else if (strcmp(line, "dev") == 0)
			ok = sscanf(value, "%" SCNu64, &r->dev) == 1 ? 2 : 0;
		else if (strcmp(line, "ino") == 0)
			ok = sscanf(value, "%" SCNu64, &r->ino) == 1 ? 3 : 0;
		else if (strcmp(line, "off") == 0)
			ok = sscanf(value, "%" SCNu64, &r->off) == 1 ? 4 : 0;
		else if (strcmp(line, "old_size") == 0)
			ok = sscanf(value, "%" SCNu64, &r->old_size) == 1 ? 5 : 0;
		else if (strcmp(line, "old_mtime") == 0)
			ok = sscanf(value, "%lld.%ld", &r->mtime_s, &r->mtime_ns) == 2 ? 6 : 0;
		else if (strcmp(line, "new_size") == 0)
			ok = sscanf(value, "%" SCNu64, &r->new_size) == 1 ? 7 : 0;
		else if (strcmp(line, "old_tail_hash") == 0)
			ok = sscanf(value, "%" SCNx64, &r->old_tail_hash) == 1 ? 8 : 0;
		else if (strcmp(line, "backup_hash") == 0)
			ok = sscanf(value, "%" SCNx64, &r->backup_hash) == 1 ? 9 : 0;
		else if (strcmp(line, "backup") == 0)
			ok = snprintf(r->backup, sizeof(r->backup), "%s", value) <
			             (int)sizeof(r->backup)
			         ? 10
			         : 0;
		else
			ok = -1; /* "path", and lines of later versions: not needed */
		if (ok == 0)
			goto out;
		if (ok > 0)
			seen |= 1u << ok;
	}
	if (seen == 0x7fe && (r->phase == 1 || r->phase == 2) && r->new_size >= r->off &&
	    r->backup[0] != '\0' && r->backup[0] != '.' && strchr(r->backup, '/') == NULL)
		ret = 0;
out:
	if (ret < 0)
		err_set(err, ERR_PARSE, "the recovery record %s is damaged", rp);
	free(text);
	return ret;
}

/* Removes the record durably, then the backup. */
static int
record_remove(const char *dir, const char *rp, const char *backup, struct err *err)
{
	if (unlink(rp) < 0 && errno != ENOENT)
		return err_sys(err, ERR_IO, errno, "cannot remove %s", rp);
	if (fsync_dir(dir) < 0)
		return err_sys(err, ERR_IO, errno, "cannot sync %s", dir);
	if (backup != NULL)
		unlink(backup);
	return 0;
}

/* ---- a job ---- */

static int
job_new(const char *path, const char *dir, uint64_t off, backend_local_inplace_hook hook,
        struct backend_local_inplace **job_r, struct err *err)
{
	struct backend_local_inplace *job = xcalloc(1, sizeof(*job));
	char *key = file_key(path);
	int saved = 0;

	job->fd = -1;
	job->path = xstrdup(path);
	job->record = xasprintf("%s/%s.record", dir, key);
	job->off = off;
	job->hook = hook;
	for (int attempt = 0; attempt < 10 && job->fd < 0; attempt++) {
		free(job->backup);
		job->backup = xasprintf("%s/%s.backup.%ld.%u", dir, key, (long)getpid(),
		                        atomic_fetch_add(&backup_counter, 1));
		job->fd = open(job->backup, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		saved = errno;
		if (job->fd < 0 && saved != EEXIST)
			break;
	}
	free(key);
	if (job->fd < 0) {
		err_sys(err, ERR_IO, saved, "cannot create a backup for rewriting %s in %s", path,
		        dir);
		backend_local_inplace_free(&job);
		return -1;
	}
	*job_r = job;
	return 0;
}

/* Backups and temporary records of path left by crashes before a record
 * named them; the caller holds the file's lock, so no live job owns them. */
static void
remove_orphans(const char *dir, const char *path)
{
	char *key = file_key(path);
	size_t klen = strlen(key);
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, key, klen) != 0 ||
		    (strncmp(de->d_name + klen, ".backup.", 8) != 0 &&
		     strncmp(de->d_name + klen, ".record.tmp.", 12) != 0))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0)
			log_info("removed %s/%s, left by an interrupted rewrite of %s", dir,
			         de->d_name, path);
	}
	if (d != NULL)
		closedir(d);
	free(key);
}

int
backend_local_inplace_begin(const char *path, uint64_t off, backend_local_inplace_hook hook,
                            struct backend_local_inplace **job_r, struct err *err)
{
	char *dir = state_dir();
	struct stat st;
	int ret = -1;

	*job_r = NULL;
	if (dir == NULL)
		return err_set(err, ERR_IO,
		               "cannot rewrite %s in place: there is no state directory for its "
		               "backup (set HOME or XDG_STATE_HOME)",
		               path);
	if (file_mkdir_p(dir, 0700, err) < 0) {
		err_prefix(err, "cannot rewrite %s in place", path);
		goto out;
	}
	{
		char *rp = record_path(dir, path);
		int pending = stat(rp, &st) == 0;

		free(rp);
		if (pending) {
			err_set(err, ERR_IO,
			        "an earlier rewrite of %s was interrupted and is not finished; "
			        "open the folder again to finish it",
			        path);
			goto out;
		}
	}
	remove_orphans(dir, path);
	ret = job_new(path, dir, off, hook, job_r, err);
out:
	free(dir);
	return ret;
}

/* Steps 5 and 6: B over the file from off, fsynced and read back. */
static int
write_and_verify(struct backend_local_inplace *job, int fd, const struct record *r, struct err *err)
{
	uint64_t len = r->new_size - r->off, half = len / 2, got;

	/* In two halves, so a test can stop between them. */
	if (copy_range(job->fd, 0, fd, r->off, half) < 0)
		return err_sys(err, ERR_IO, errno, "cannot write %s", job->path);
	at(job, "inplace-partial");
	if (copy_range(job->fd, half, fd, r->off + half, len - half) < 0)
		return err_sys(err, ERR_IO, errno, "cannot write %s", job->path);
	at(job, "inplace-written");
	if (fsync(fd) < 0)
		return err_sys(err, ERR_IO, errno, "cannot write %s", job->path);
	at(job, "inplace-synced");
	if (hash_range(fd, r->off, r->new_size, &got) < 0)
		return err_sys(err, ERR_IO, errno, "cannot read %s back", job->path);
	if (got != r->backup_hash)
		return err_set(err, ERR_IO, "%s does not read back as written", job->path);
	return 0;
}

int
backend_local_inplace_commit(struct backend_local_inplace *job, int fd, uint64_t old_size,
                             struct err *err)
{
	char *dir = xstrdup(job->record);
	struct record r;
	struct stat st, bst;
	uint64_t end;
	int ret = -1;

	*strrchr(dir, '/') = '\0';
	memset(&r, 0, sizeof(r));
	/* 1: the backup, durable, and what the record needs. */
	if (fsync(job->fd) < 0 || fstat(job->fd, &bst) < 0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", job->backup);
		goto out;
	}
	at(job, "inplace-backup-synced");
	if (fstat(fd, &st) < 0) {
		err_sys(err, ERR_IO, errno, "cannot check %s", job->path);
		goto out;
	}
	r.dev = (uint64_t)st.st_dev;
	r.ino = (uint64_t)st.st_ino;
	r.off = job->off;
	r.old_size = old_size;
	r.mtime_s = (long long)st.st_mtim.tv_sec;
	r.mtime_ns = st.st_mtim.tv_nsec;
	r.new_size = job->off + (uint64_t)bst.st_size;
	snprintf(r.backup, sizeof(r.backup), "%s", strrchr(job->backup, '/') + 1);
	if (hash_range(job->fd, 0, (uint64_t)bst.st_size, &r.backup_hash) < 0) {
		err_sys(err, ERR_IO, errno, "cannot read %s", job->backup);
		goto out;
	}
	if (old_size > r.new_size && hash_range(fd, r.new_size, old_size, &r.old_tail_hash) < 0) {
		err_sys(err, ERR_IO, errno, "cannot read %s", job->path);
		goto out;
	}
	/* 2: the commit point. */
	r.phase = 1;
	if (record_write(job->record, job->path, &r, err) < 0)
		goto out;
	job->committed = 1;
	at(job, "inplace-recorded");
	if (job->stale_backup != NULL) {
		unlink(job->stale_backup);
		xfree(&job->stale_backup);
	}
	/* 3: the size never goes below the new one while bytes are written. */
	end = old_size > r.new_size ? old_size : r.new_size;
	if (end > old_size && (ftruncate(fd, (off_t)end) < 0 || fsync(fd) < 0)) {
		err_sys(err, ERR_IO, errno, "cannot extend %s", job->path);
		goto out;
	}
	at(job, "inplace-extended");
	/* 4 */
	r.phase = 2;
	if (record_write(job->record, job->path, &r, err) < 0)
		goto out;
	at(job, "inplace-writing");
	/* 5, 6; a region that does not read back is written once more. */
	if (write_and_verify(job, fd, &r, err) < 0) {
		log_warn("%s; writing it again", err->msg);
		if (write_and_verify(job, fd, &r, err) < 0)
			goto out;
	}
	/* 7 */
	if (end > r.new_size && (ftruncate(fd, (off_t)r.new_size) < 0 || fsync(fd) < 0)) {
		err_sys(err, ERR_IO, errno, "cannot truncate %s", job->path);
		goto out;
	}
	at(job, "inplace-truncated");
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_size != r.new_size) {
		err_set(err, ERR_IO, "%s does not have the size it was written with", job->path);
		goto out;
	}
	/* 8 */
	if (record_remove(dir, job->record, NULL, err) < 0)
		goto out;
	job->committed = 0;
	at(job, "inplace-unrecorded");
	ret = 0;
out:
	if (ret < 0 && job->committed)
		err_prefix(err, "%s was left for recovery (%s)", job->path, job->record);
	free(dir);
	return ret;
}

void
backend_local_inplace_free(struct backend_local_inplace **jobp)
{
	struct backend_local_inplace *job = *jobp;

	if (job == NULL)
		return;
	if (job->fd >= 0)
		close(job->fd);
	if (!job->committed && job->backup != NULL)
		unlink(job->backup);
	free(job->path);
	free(job->backup);
	free(job->record);
	free(job->stale_backup);
	xfree(jobp);
}

int
backend_local_inplace_pending(const char *path)
{
	char *dir = state_dir(), *rp;
	struct stat st;
	int pending;

	if (dir == NULL)
		return 0;
	rp = record_path(dir, path);
	pending = stat(rp, &st) == 0;
	free(rp);
	free(dir);
	return pending;
}

/* Where the mail appended after the crash starts (see the argument above);
 * -1 when the file is in no state a rewrite of ours leaves. */
static int
appended_start(int fd, const struct record *r, uint64_t size, uint64_t *start_r)
{
	uint64_t end = r->old_size > r->new_size ? r->old_size : r->new_size, h;

	if (r->phase == 1) {
		*start_r = r->old_size;
		if (end > r->old_size && size >= end && all_zero(fd, r->old_size, end))
			*start_r = end;
		return size >= *start_r ? 0 : -1;
	}
	if (size < r->new_size)
		return -1;
	*start_r = r->new_size;
	if (r->old_size > r->new_size && size >= r->old_size &&
	    hash_range(fd, r->new_size, r->old_size, &h) == 0 && h == r->old_tail_hash)
		*start_r = r->old_size;
	return 0;
}

int
backend_local_inplace_recover(const char *path, int fd, backend_local_inplace_hook hook,
                              struct err *err)
{
	char *dir = state_dir(), *rp = NULL, *backup = NULL;
	struct backend_local_inplace *job = NULL;
	struct record r;
	struct stat st, bst;
	uint64_t start, h;
	int bfd = -1, ret = -1;

	if (dir == NULL)
		return 0;
	rp = record_path(dir, path);
	if (stat(rp, &st) < 0) {
		ret = 0;
		goto out;
	}
	if (record_read(rp, &r, err) < 0)
		goto fail;
	backup = xasprintf("%s/%s", dir, r.backup);
	if (fstat(fd, &st) < 0) {
		err_sys(err, ERR_IO, errno, "cannot check %s", path);
		goto out;
	}
	if ((uint64_t)st.st_dev != r.dev || (uint64_t)st.st_ino != r.ino) {
		log_warn("a rewrite of %s was interrupted, but another program has replaced the "
		         "file since; dropping %s",
		         path, rp);
		ret = record_remove(dir, rp, backup, err);
		goto out;
	}
	bfd = open(backup, O_RDONLY | O_CLOEXEC);
	if (bfd < 0 || fstat(bfd, &bst) < 0 || (uint64_t)bst.st_size != r.new_size - r.off ||
	    hash_range(bfd, 0, (uint64_t)bst.st_size, &h) < 0 || h != r.backup_hash) {
		err_set(err, ERR_IO, "its backup %s is missing or damaged", backup);
		goto fail;
	}
	if (appended_start(fd, &r, (uint64_t)st.st_size, &start) < 0) {
		err_set(err, ERR_IO, "it is shorter than any state of the rewrite (%llu bytes)",
		        (unsigned long long)st.st_size);
		goto fail;
	}
	if (start == r.new_size && hash_range(fd, r.off, r.new_size, &h) == 0 &&
	    h == r.backup_hash) {
		/* Only the clean-up was missing. */
		log_info("a rewrite of %s was interrupted after it was written; finishing it",
		         path);
		ret = record_remove(dir, rp, backup, err);
		goto out;
	}
	log_warn("finishing an interrupted rewrite of %s from its backup %s%s", path, backup,
	         (uint64_t)st.st_size > start ? ", keeping mail that arrived since" : "");
	if (job_new(path, dir, r.off, hook, &job, err) < 0)
		goto fail;
	if (copy_range(bfd, 0, job->fd, 0, (uint64_t)bst.st_size) < 0 ||
	    copy_range(fd, start, job->fd, (uint64_t)bst.st_size, (uint64_t)st.st_size - start) <
	        0) {
		err_sys(err, ERR_IO, errno, "cannot write %s", job->backup);
		goto fail;
	}
	job->stale_backup = backup;
	backup = NULL;
	/* Its error says what was left where. */
	ret = backend_local_inplace_commit(job, fd, (uint64_t)st.st_size, err);
	goto out;
fail:
	err_prefix(err,
	           "a rewrite of %s was interrupted and cannot be finished (the recovery "
	           "record is %s)",
	           path, rp);
out:
	backend_local_inplace_free(&job);
	if (bfd >= 0)
		close(bfd);
	free(backup);
	free(rp);
	free(dir);
	return ret;
}
