/*
 * backend-cache: the caches of a network account, on disk.
 *
 * The header cache (header_cache=DIR) keeps message summaries in LMDB: one
 * environment per account (DIR/imap-<hash of the account>/), keyed by
 * folder (a hash of its name), UIDVALIDITY and UID, so a folder opens
 * without fetching headers again.  Each entry is written in an explicit,
 * versioned byte format with a CRC-32C, never as a struct dump; an entry
 * that does not check out is a miss.  The environment carries a format
 * record: a file of another format, another program's, or one LMDB cannot
 * open (a corrupt or truncated file) is thrown away and rebuilt, never
 * trusted.  Binding a folder to its UIDVALIDITY drops the entries of any
 * other.  A folder record keeps the UID list and the highest modification
 * sequence the flags are current to, for QRESYNC.  The map grows when it
 * fills.
 *
 * The body cache (message_cache=DIR) keeps fetched messages and MIME parts
 * as files (DIR/imap-<hash>/<folder hash>-<UIDVALIDITY>-<UID>-<part>),
 * each with a format header, its length and a CRC-32, written atomically,
 * so reading a message twice costs the network once.
 *
 * Caches only save time: every failure here is logged and ignored by the
 * callers, and nothing read from a cache is trusted without its checks.
 *
 * Threads: a handle belongs to the thread that opened it (a worker).  An
 * LMDB environment is opened once per process and shared by the handles
 * of one account (LMDB forbids opening it twice); each handle has its own
 * transactions.  Functions block on disk I/O.
 */
#ifndef BACKEND_CACHE_H
#define BACKEND_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "base/base-str.h"
#include "mime/mime-summary.h"

/* The version of the entry format; a cache of another is rebuilt. */
#define BACKEND_CACHE_VERSION 3

struct backend_cache;

/*
 * Opens (creating it when missing) the header cache of `account`
 * ("user@host:port") under dir, for one folder.  Fails only when no cache
 * can be had (ERR_IO); a cache found damaged is rebuilt.  Free with
 * backend_cache_close(), which writes what is buffered.
 */
int backend_cache_open(const char *dir, const char *account, const char *folder,
                       struct backend_cache **cache_r, struct err *err);
void backend_cache_close(struct backend_cache **cache);

/* Binds the handle to the folder's UIDVALIDITY, dropping the entries of
 * any other.  Returns 1 when entries of this one exist, else 0. */
int backend_cache_select(struct backend_cache *c, uint32_t uidvalidity);
/* Drops every entry and the record of the folder. */
void backend_cache_drop_folder(struct backend_cache *c);

/*
 * The cached summary of uid: 1 with *s filled (strings in arena, id 0)
 * and *flags_r the flags stored with it, 0 when there is none or it does
 * not check out.
 */
int backend_cache_get(struct backend_cache *c, uint32_t uid, struct arena *arena,
                      struct mime_summary *s, unsigned *flags_r);
/* 1 when a summary of uid is cached (without checking it); with whole,
 * one that holds every field, not only a listing's. */
int backend_cache_has(struct backend_cache *c, uint32_t uid, int whole);
/* Buffers a summary (its flags given apart) until backend_cache_flush(). */
void backend_cache_put(struct backend_cache *c, uint32_t uid, const struct mime_summary *s,
                       unsigned flags);
/* Buffers new flags for a cached summary (nothing when there is none). */
void backend_cache_set_flags(struct backend_cache *c, uint32_t uid, unsigned flags);
/*
 * Buffers the folder record: the UIDs of the folder (ascending) and the
 * modification sequence its flags are current to.  Written by the next
 * flush in the same transaction as the entries buffered before it, so
 * the record never claims more than the entries hold.
 */
void backend_cache_put_state(struct backend_cache *c, uint64_t modseq, const uint32_t *uids,
                             size_t n);
/* The folder record, of whatever UIDVALIDITY it was written under (before
 * the folder is selected): 1 with *uidvalidity_r, *modseq_r, *uids_r
 * (caller frees) and *n_r; 0 when there is none or it does not check out. */
int backend_cache_get_state(struct backend_cache *c, uint32_t *uidvalidity_r, uint64_t *modseq_r,
                            uint32_t **uids_r, size_t *n_r);
/* Writes what is buffered, in one transaction. */
void backend_cache_flush(struct backend_cache *c);
/* How many changes are buffered: a caller streaming summaries flushes
 * every few thousand rather than each batch (a commit rewrites the
 * tree's upper pages, and a lost buffer only costs a refetch). */
size_t backend_cache_pending(const struct backend_cache *c);
/* Between two batches that write nothing: ends the reading snapshot and
 * lets the file's pages leave the resident set (as a flush does). */
void backend_cache_release(struct backend_cache *c);

/* Encodes and decodes one entry (exposed for the unit tests). */
void backend_cache_encode(struct str *out, const struct mime_summary *s, unsigned flags);
int backend_cache_decode(const void *data, size_t len, struct arena *arena, struct mime_summary *s,
                         unsigned *flags_r);

struct backend_body_cache;

/* The body cache of `account` for one folder, under dir (created when
 * missing).  Fails with ERR_IO when the directory cannot be made. */
int backend_body_cache_open(const char *dir, const char *account, const char *folder,
                            struct backend_body_cache **bc_r, struct err *err);
void backend_body_cache_close(struct backend_body_cache **bc);
/* Appends bytes [offset, offset+length) (length 0: to the end) of the
 * cached part `section` ("" the whole message) of uid: 1, or 0 when it is
 * not cached or does not check out (the file is then removed). */
int backend_body_cache_get(struct backend_body_cache *bc, uint32_t uidvalidity, uint32_t uid,
                           const char *section, uint64_t offset, uint64_t length, struct str *out);
/* Keeps a whole part (failures are logged). */
void backend_body_cache_put(struct backend_body_cache *bc, uint32_t uidvalidity, uint32_t uid,
                            const char *section, const char *data, size_t len);

#endif
