/*
 * base-file: reading whole files and writing them so a crash never leaves
 * a torn one.
 *
 * file_write_atomic writes a temporary file next to the target, fsyncs it,
 * renames it over the target and fsyncs the directory: after a crash at any
 * point the target holds either the old or the new contents.  Blocking;
 * callable from any thread.
 */
#ifndef BASE_FILE_H
#define BASE_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/base-err.h"

int file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		      struct err *err);
/* fsync the directory that holds path (so a rename or create is durable). */
int file_fsync_dir_of(const char *path, struct err *err);
/* Reads the whole file into *data_r (NUL-terminated, caller frees); fails on
 * files larger than max_len. */
int file_read_all(const char *path, size_t max_len, char **data_r, size_t *len_r,
		  struct err *err);
/* write(2) until done, retrying on EINTR and short writes. */
int file_write_full(int fd, const void *data, size_t len);
/* mkdir -p with mode for the directories it creates. */
int file_mkdir_p(const char *path, mode_t mode, struct err *err);

#endif
