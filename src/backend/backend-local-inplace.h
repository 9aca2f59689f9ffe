/*
 * backend-local-inplace: rewriting the end of a local file in place when
 * its directory does not let us create the temporary file a rewrite
 * through rename needs: the system spool (/var/mail is mode 2775
 * root:mail on Debian, and petrel is not set-group-id).
 *
 * The new bytes (everything from the first byte that changes) are first
 * written to a backup file in petrel's state directory
 * ($XDG_STATE_HOME/petrel/rewrite, else ~/.local/state/petrel/rewrite);
 * a recovery record there, written atomically, names the backup and the
 * file's old size and time.  Only then is the file itself overwritten,
 * cut to its new length and verified; the record and the backup are
 * removed last.  A crash at any point leaves a record that the next look
 * at the file (backend_local_inplace_recover) uses to finish the rewrite,
 * keeping mail that was appended to the file after the crash; the file is
 * never left torn once that has run.  The argument is in the .c file.
 *
 * The caller holds the file's locks, exclusively, through begin, commit
 * and recover.  Blocking; any worker thread (one job per thread).
 */
#ifndef BACKEND_LOCAL_INPLACE_H
#define BACKEND_LOCAL_INPLACE_H

#include <stdint.h>

#include "base/base-err.h"

/* Test points: called with the point's name and the file's path; NULL in petrel. */
typedef void (*backend_local_inplace_hook)(const char *point, const char *path);

struct backend_local_inplace {
	int fd;     /* the backup: the caller writes the new bytes from `off` on here */
	char *path; /* the file being rewritten */
	char *backup;
	char *record;
	uint64_t off;
	int committed;      /* the record exists: the backup must stay until it is gone */
	char *stale_backup; /* recovery: the previous backup, removed once superseded */
	backend_local_inplace_hook hook;
};

/*
 * Starts an in-place rewrite of path (its locks held) from byte off:
 * creates the backup, in which the caller writes the new contents of the
 * file from off to its new end.  Fails when petrel has no state
 * directory, or when an earlier interrupted rewrite of the file is still
 * unfinished.  *job_r is the caller's: backend_local_inplace_free.
 */
int backend_local_inplace_begin(const char *path, uint64_t off, backend_local_inplace_hook hook,
                                struct backend_local_inplace **job_r, struct err *err);

/*
 * Puts the backup's bytes into the file from job->off on, the file being
 * old_size bytes long now and unchanged since its new contents were
 * computed.  Returns 0 when the file holds its new contents, durably; -1
 * with nothing changed when job->committed is 0, or with the record left
 * for recovery when it is 1 (the file is then to be read again, through
 * recover).  Not cancellable: past its first step it must finish.
 */
int backend_local_inplace_commit(struct backend_local_inplace *job, int fd, uint64_t old_size,
                                 struct err *err);

/* Closes the backup and, unless a record still needs it, removes it; NULLs *job. */
void backend_local_inplace_free(struct backend_local_inplace **job);

/* Nonzero when a rewrite of path was interrupted (a record is there).
 * Cheap (a stat); needs no lock. */
int backend_local_inplace_pending(const char *path);

/*
 * Finishes an interrupted rewrite of path (open read-write as fd, its
 * locks held exclusively): 0 when there was none, when it is finished
 * now, or when the record no longer applies (the file was replaced: a
 * warning is logged and the record dropped); -1 when it cannot be
 * finished (the record stays, and the error says what to do).
 */
int backend_local_inplace_recover(const char *path, int fd, backend_local_inplace_hook hook,
                                  struct err *err);

#endif
