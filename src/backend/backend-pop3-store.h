/*
 * backend-pop3-store: fetched POP3 messages delivered into the notmuch
 * store in batches, so that delivering the same message twice stores it
 * once.
 *
 * Every message has a key: 32 hex digits of SHA-256 over the mailbox
 * ("user@host") and its unique-id, or over its content when it has no
 * usable unique-id.  The key names its maildir file, KEY.pop3.petrel in
 * the mail root's new/ (cur/KEY.pop3.petrel:2,FLAGS once read), and is
 * written in the notmuch database as the message property
 * petrel-pop3=KEY.  So "is it in the store?" has an exact answer: the
 * property is in the database, or the file is in new/ (delivered, not
 * indexed yet).
 *
 * A batch: add() writes each message to tmp/ (CRLF made LF, not yet
 * synced); commit() makes them all durable with one syncfs(2) (fsync of
 * each file for small batches), renames them into new/ (a name already
 * there is the same message, delivered before: replaced by the same
 * message, so one copy stays), fsyncs new/ once, then indexes every file of the batch in one atomic notmuch
 * step with new.tags (and, with maildir.synchronize_flags, the tags its
 * flags give, as notmuch new does) and the property.  When commit()
 * returns 0 every message of the batch is durable and indexed.  A crash
 * at any point leaves either nothing under the final name, or a whole
 * file in new/ that has() finds (and the next commit indexes).
 *
 * A message notmuch refuses to index as mail (an empty one, say) stays
 * in new/ as delivered and counts as stored: the maildir is the store,
 * the database its index; a warning names the file.
 *
 * The database is opened read-only for lookups and read-write only
 * inside commit(), so other notmuch programs can write between batches.
 *
 * Overlap.  commit_start() hands the open batch to a thread of its own
 * that makes its files in tmp/ durable (the syncfs), then renames them
 * into new/ and makes new/ durable, so that the next batch can be
 * downloaded and added while the disk catches up; commit_wait() then
 * indexes them, in the caller's thread.  One batch at a time is in
 * flight.  has() answers for it as for the open batch (a key in flight
 * is "will be stored").
 *
 * A plain maildir (open_maildir(): petrel --fetch --to DIR) is the same
 * without the database: commit() ends once new/ is durable, and has()
 * looks for KEY.pop3.petrel in new/ and, with any flags, in cur/ (where
 * a mail reader moves it), both read once at the first has().  A message moved out of the maildir or
 * renamed is no longer found there: the fetch's state file remembers it.
 * Past the first 32 MiB a store writes, its files leave the page cache
 * once durable (a large fetch does not fill memory with mail nobody is
 * reading yet, and its writes reuse the pages freed).
 *
 * Blocking; one thread at a time calls these (the fetch job's worker),
 * the commit thread being the store's own.
 */
#ifndef BACKEND_POP3_STORE_H
#define BACKEND_POP3_STORE_H

#include <stddef.h>
#include <time.h>

#include "backend/backend.h"
#include "base/base-err.h"

#define BACKEND_POP3_KEY_LEN 32
/* The notmuch message property holding the key. */
#define BACKEND_POP3_PROPERTY "petrel-pop3"

struct backend_pop3_store;

/* key[33] for a unique-id in mailbox ("user@host"); for content. Pure. */
void backend_pop3_store_uid_key(const char *mailbox, const char *uid, char *key);
void backend_pop3_store_content_key(const char *data, size_t len, char *key);
/* The same for content whose CRLFs were made LF already (add_lf()'s):
 * hashed as it is, since making LF again could take a CR that the
 * conversion left (CR CR LF gives CR LF).  Pure. */
void backend_pop3_store_content_key_lf(const char *data, size_t len, char *key);

/*
 * Opens the store at db_path (NULL: the configured one), creating it when
 * there is none.  params: lock_timeout_ms and cancel_fd (waiting for the
 * database's write lock), progress.  *st_r is the caller's.
 */
int backend_pop3_store_open(const char *db_path, const struct backend_params *params,
                            struct backend_pop3_store **st_r, struct err *err);
/*
 * Opens the plain maildir dir (created, with cur/ new/ tmp/, when
 * missing) for delivery without notmuch.  ERR_USAGE when dir is a file
 * (an mbox, say) or a directory with files but no maildir in it.
 * *st_r is the caller's.
 */
int backend_pop3_store_open_maildir(const char *dir, const struct backend_params *params,
                                    struct backend_pop3_store **st_r, struct err *err);
/* Frees, after waiting for a batch in flight; messages added and not
 * committed stay in tmp/, unseen (those in flight may have reached new/
 * already, durable, where has() finds them).  NULLs *st. */
void backend_pop3_store_free(struct backend_pop3_store **st);
/* The maildir messages go to. */
const char *backend_pop3_store_mail_root(const struct backend_pop3_store *st);

/*
 * 1 when the store holds the message with this key, or will once the next
 * commit() returns 0 (added in this batch, or a file in new/ waiting to
 * be indexed, which joins the batch); 0 when not; -1 on error.
 */
int backend_pop3_store_has(struct backend_pop3_store *st, const char *key, struct err *err);
/* Writes a message (CRLF or LF) for the next commit.  ERR_IO on a full disk. */
int backend_pop3_store_add(struct backend_pop3_store *st, const char *key, const char *data,
                           size_t len, struct err *err);
/* The same for a message whose CRLFs were made LF already (as
 * backend_pop3_conn_set_lf() hands them over): written as it is. */
int backend_pop3_store_add_lf(struct backend_pop3_store *st, const char *key, const char *data,
                              size_t len, struct err *err);
/* Messages waiting for commit(), and their bytes. */
size_t backend_pop3_store_pending(const struct backend_pop3_store *st, size_t *bytes_r);
/* Makes the batch durable and indexed (see above), after waiting for any
 * batch in flight.  On failure the files already in new/ stay there
 * (has() finds them); nothing is half-written. */
int backend_pop3_store_commit(struct backend_pop3_store *st, struct err *err);

/*
 * Starts committing the open batch in the commit thread and returns at
 * once; add() then fills a new batch.  ERR_INTERNAL when a batch is in
 * flight already (commit_wait() it first).  Nothing to commit: 0, and
 * nothing is in flight.
 */
int backend_pop3_store_commit_start(struct backend_pop3_store *st, struct err *err);
/*
 * The batch in flight: 1 once it is durable and indexed (as commit()
 * returning 0), -1 when that failed (err filled; its messages go back
 * into the open batch, for a later commit), 0 when none is in flight or,
 * with block 0, it is not done yet.  block 1 waits for it.
 */
int backend_pop3_store_commit_wait(struct backend_pop3_store *st, int block, struct err *err);
/* Messages in flight (0: none). */
size_t backend_pop3_store_in_flight(const struct backend_pop3_store *st);

#endif
