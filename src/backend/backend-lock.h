/*
 * backend-lock: locking a local mail file the way other mail programs
 * expect, so petrel, mail delivery agents (procmail, Postfix local,
 * Dovecot) and other readers (mutt, mailx) never write at once.
 *
 * Two locks are taken, with one deadline for both:
 *
 *   - an fcntl() record lock on the open file: an open-file-description
 *     lock (F_OFD_SETLK) where the kernel has them, so two threads of one
 *     process exclude each other too and closing another descriptor of
 *     the same file does not drop it; it conflicts with the classic POSIX
 *     locks other programs take.  Falls back to F_SETLK elsewhere.
 *   - a dot-lock FILE.lock in the file's directory, made with the link()
 *     trick so it is atomic on NFS too.  A dot-lock older than the stale
 *     limit is taken to be left over by a crashed program: it is removed
 *     and a warning is logged.  When the directory does not let us create
 *     files (a system spool owned by group mail), the fcntl lock alone is
 *     used and a warning is logged: petrel installs no set-group-id
 *     helper.
 *
 * Busy locks are retried every 100 ms until the deadline, watching the
 * cancel fd and the progress hook (struct backend_lock_wait, which other
 * locks of the local stores wait with too).  Blocking; worker threads.  A
 * struct backend_lock is embedded in its owner and used by one thread at
 * a time.
 */
#ifndef BACKEND_LOCK_H
#define BACKEND_LOCK_H

#include <sys/types.h>

#include "backend/backend.h"
#include "base/base-err.h"

struct backend_lock {
	int fd;        /* descriptor holding the fcntl lock; -1 when none */
	int fcntl_cmd; /* F_OFD_SETLK or F_SETLK: how it was taken */
	char *dotlock; /* path of the dot-lock we hold; NULL when none */
	ino_t dot_ino; /* its inode, so we never remove another program's */
	dev_t dot_dev;
};

#define BACKEND_LOCK_INIT                                                                          \
	{                                                                                          \
		-1, 0, NULL, 0, 0                                                                  \
	}

struct backend_lock_params {
	int timeout_ms;                          /* total time to wait for busy locks */
	int stale_s;                             /* dot-locks older than this are broken */
	int cancel_fd;                           /* -1: none */
	const struct backend_progress *progress; /* may be NULL */
};

/*
 * Locks `path` (open as fd) for writing (`exclusive`) or for reading.
 * An exclusive lock needs fd open for writing.  On error nothing is held
 * and *err says which lock was busy (ERR_IO), or ERR_CANCELLED.
 */
int backend_lock_take(struct backend_lock *lock, const char *path, int fd, int exclusive,
                      const struct backend_lock_params *params, struct err *err);
/* Refreshes the dot-lock's time during long work so nobody breaks it. */
void backend_lock_touch(struct backend_lock *lock);
/* Releases what is held (safe to call when nothing is); never fails. */
void backend_lock_release(struct backend_lock *lock);

/*
 * Waiting for something another program holds, bounded in time: sleeps
 * of first_ms that double up to max_ms (equal values: a steady retry),
 * never past the bound, each cut short when cancel_fd (-1: none) becomes
 * readable; every wait is reported through progress (may be NULL) as
 * milliseconds waited of the bound.  Embedded in the caller; one thread.
 */
struct backend_lock_wait {
	long long start_ms;
	int timeout_ms;
	int delay_ms, max_ms;
	int cancel_fd;
	const struct backend_progress *progress;
};

void backend_lock_wait_start(struct backend_lock_wait *w, int timeout_ms, int first_ms, int max_ms,
                             int cancel_fd, const struct backend_progress *progress);
/* Milliseconds since backend_lock_wait_start. */
long long backend_lock_wait_elapsed(const struct backend_lock_wait *w);
/*
 * One wait for `what` ("the lock on /var/mail/me"): 1 without sleeping
 * when the bound is reached, 0 after a sleep, -1 with ERR_CANCELLED when
 * the progress hook or the cancel fd asks to stop.  Blocks up to max_ms.
 */
int backend_lock_wait_step(struct backend_lock_wait *w, const char *what, struct err *err);

#endif
