/*
 * backend-local: what the local folder backends (mbox, maildir) share:
 * telling the formats apart, listing a directory of folders, and small
 * I/O helpers.  Blocking file-system calls; any worker thread.
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

/* pread(2) until len bytes are read; fails on EOF before that. */
int backend_local_pread(int fd, void *buf, size_t len, uint64_t off);

/* The lock parameters that params asks for, with `progress` to report. */
struct backend_lock_params;
void backend_local_lock_params(const struct backend_params *params,
                               struct backend_lock_params *lp_r);

#endif
