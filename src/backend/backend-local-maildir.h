/*
 * backend-local-maildir: the maildir mechanics that the maildir backend
 * and the notmuch store (whose messages live in maildirs) share:
 * delivering a file the way the maildir specification asks, naming files
 * with their flags, reading a message file and summarising it, and
 * finding a file again after another client renamed it.
 *
 * Blocking file-system calls; any worker thread, concurrently.
 */
#ifndef BACKEND_LOCAL_MAILDIR_H
#define BACKEND_LOCAL_MAILDIR_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "base/base-str.h"
#include "mime/mime-summary.h"

/* The flags a maildir file name carries as letters (D F P R S T). */
#define BACKEND_LOCAL_MAILDIR_LETTER_FLAGS                                                         \
	(MIME_FLAG_SEEN | MIME_FLAG_ANSWERED | MIME_FLAG_FLAGGED | MIME_FLAG_DELETED |             \
	 MIME_FLAG_DRAFT | MIME_FLAG_PASSED)

/* Creates dir and its cur/, new/ and tmp/ (mode 0700); existing ones are fine. */
int backend_local_maildir_create(const char *dir, struct err *err);

/*
 * Delivers a raw message (LF or CRLF line ends; stored with LF) into the
 * maildir `dir`: tmp/NAME is written and fsynced, then linked to
 * new/NAME when to_new, else to cur/NAME:2,LETTERS for the enum
 * mime_flag bits in flags, and that directory is fsynced.  date (0: now)
 * becomes the file's time.  On success *path_r (the caller's) names the
 * file; on failure nothing is left in the maildir.
 */
int backend_local_maildir_deliver(const char *dir, const char *data, size_t len, unsigned flags,
                                  int to_new, time_t date, char **path_r, struct err *err);

/* The enum mime_flag bits of a file name's ":2," letters. */
unsigned backend_local_maildir_name_flags(const char *name);
/* The flag of one ":2," letter; 0 for letters petrel does not know. */
unsigned backend_local_maildir_letter_flag(char c);
/*
 * "BASE:2,LETTERS" (caller frees): the letters of the flags (enum
 * mime_flag bits) and the unknown letters in `extra` ("" if none), in
 * ASCII order as the specification asks.
 */
char *backend_local_maildir_name(const char *base, unsigned flags, const char *extra);
/* Nonzero when path names a file in a maildir's new/ (DIR/new/NAME). */
int backend_local_maildir_in_new(const char *path);
/*
 * fsyncs DIR/cur and DIR/new, so renames and removals in them are
 * durable.  Both are tried; the first failure is reported.
 */
int backend_local_maildir_sync(const char *dir, struct err *err);

/*
 * Where the message file `path` (DIR/cur/UNIQUE:2,... or DIR/new/UNIQUE)
 * is now, after another client renamed it to change its flags or moved
 * it from new/ to cur/: *path_r is the caller's.  Returns 1 when found,
 * 0 when no file of DIR's cur/ or new/ has that unique name, -1 on error.
 */
int backend_local_maildir_find(const char *path, char **path_r, struct err *err);

/*
 * Reads a message file from fd into *out with CRLF line ends made LF:
 * the header block only (up to and with its empty line, at most 256 KiB)
 * when header_only, else the whole file, failing when it is larger than
 * max bytes.  `what` names the file in errors.  On error *out is as it
 * was.
 */
int backend_local_read_message(int fd, uint64_t max, int header_only, struct str *out,
                               const char *what, struct err *err);

/* Body lines and LF-normalised size of a whole message in memory. */
void backend_local_count_message(const char *data, size_t len, uint32_t *lines_r, uint64_t *size_r);

/*
 * Fills *s (cleared first) from the message file open as fd: the header's
 * fields (strings in arena), the file's time as the arrival date (and as
 * the date when the header has none) and its size; a file of at most
 * count_max bytes is read whole for its body lines and LF-normalised
 * size, a larger one gives 0 lines rather than being read just to count.
 * The id and flags are the caller's to set.  scratch is the caller's
 * buffer, reused between calls; `what` names the file in errors.
 */
int backend_local_maildir_summary(int fd, uint64_t count_max, struct arena *arena,
                                  struct str *scratch, struct mime_summary *s, const char *what,
                                  struct err *err);

#endif
