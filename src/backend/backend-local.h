/*
 * backend-local: what the local folder backends (mbox, maildir, the
 * notmuch store) share: telling the formats apart, listing a directory of
 * folders, small I/O helpers (backend-local-list.c), and the bookkeeping
 * of an open folder: ids, bounds, pending flag changes, progress
 * (backend-local-folder.c).  Blocking file-system calls; any worker
 * thread.  The bookkeeping helpers work on the caller's memory only.
 */
#ifndef BACKEND_LOCAL_H
#define BACKEND_LOCAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-err.h"

/* Nonzero when path is a directory holding cur/, new/ and tmp/. */
int backend_local_is_maildir(const char *path);

/*
 * The folders under the directory `root`: mbox files (empty, or starting
 * with a From_ line), maildirs, Maildir++ subfolders (".Sub.Folder")
 * and plain directories that hold folders, to a depth of 8 and at most
 * 10,000 entries.  Names are paths relative to root as they are on disk;
 * urls are paths.  Dot-files that are not Maildir++ folders (lock and
 * temporary files among them) are skipped.  Arrays and strings live in
 * `arena`.
 */
int backend_local_list(const struct url *root, const struct backend_params *params,
                       struct arena *arena, struct backend_folder_info **folders_r, size_t *count_r,
                       struct err *err);

/* pread(2) until len bytes are read; fails (EIO) on EOF before that. */
int backend_local_pread(int fd, void *buf, size_t len, uint64_t off);
/* pwrite(2) until len bytes are written. */
int backend_local_pwrite(int fd, const void *buf, size_t len, uint64_t off);

/* The lock parameters that params asks for, with `progress` to report. */
struct backend_lock_params;
void backend_local_lock_params(const struct backend_params *params,
                               struct backend_lock_params *lp_r);

/* ---- an open folder's bookkeeping ---- */

/* A 64-bit FNV-1a hash of s: a message's id from a key that outlives
 * renames (a maildir file's unique name, a Message-ID). */
uint64_t backend_local_hash(const char *s);

/* A message's id and its index, in an array sorted for find(). */
struct backend_local_key {
	uint64_t key;
	size_t index;
};

/* Sorts keys[0..n) by key, then index. */
void backend_local_keys_sort(struct backend_local_key *keys, size_t n);
/* Looks key up in sorted keys[0..n): 1 with *index_r its (first) index, 0 when absent. */
int backend_local_keys_find(const struct backend_local_key *keys, size_t n, uint64_t key,
                            size_t *index_r);

/*
 * The flags of a message whose flags were `read` when last read and are
 * `wanted` now (a change not yet written), once another program has
 * changed them to `fresh`: our change applied on top of theirs.
 */
unsigned backend_local_merge_flags(unsigned wanted, unsigned read, unsigned fresh);

/* 0 when index < count, else -1 with ERR_USAGE "WHAT has no message N (it has C)". */
int backend_local_check_index(size_t index, size_t count, const char *what, struct err *err);
/* The same for messages first .. first+n-1. */
int backend_local_check_range(size_t first, size_t n, size_t count, const char *what,
                              struct err *err);

/*
 * For loops over many messages: at every 256th item (i counts from 0)
 * reports done of total under label ("Reading headers of X") and returns
 * -1 with ERR_CANCELLED ("cancelled while reading headers of X") when
 * progress (may be NULL) or cancel_fd (-1: none) asks to stop; else 0.
 */
int backend_local_tick(const struct backend_progress *progress, int cancel_fd, size_t i,
                       uint64_t done, uint64_t total, const char *label, struct err *err);

#endif
