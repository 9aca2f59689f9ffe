/*
 * core-store: the local notmuch store as the faces and the rest of the
 * core use it.
 *
 * The store is the user's notmuch database (its configuration found as
 * notmuch finds it; the notmuch_db variable overrides the database path)
 * and the maildir at its mail root, where mail is delivered.  Its
 * folders are notmuch queries, named by URL:
 *
 *   notmuch://?query=tag:inbox          a query of the store
 *   notmuch:///path/to/db?query=...     a query of another database
 *   notmuch://NAME                      a named query: a `query NAME QUERY`
 *                                       or `virtual_mailboxes NAME QUERY`
 *                                       line of the config
 *
 * (With `set folder=notmuch://`, mailx's +NAME is notmuch://NAME.)
 * Listing the folders of a notmuch:// root lists the named queries.
 *
 * core_store_setup() takes these settings from the config once, on the
 * main thread before any worker starts; from then on they are read-only
 * and every function here may run in any thread.
 */
#ifndef CORE_STORE_H
#define CORE_STORE_H

#include <stddef.h>
#include <time.h>

#include "base/base-err.h"

struct config;
struct core_folder_handle;

/* Takes notmuch_db and the named queries from cfg (global values, not an
 * account's).  Main thread, before workers start; replaces earlier ones. */
void core_store_setup(const struct config *cfg);
/* Forgets the settings (as if setup never ran).  Same thread rules. */
void core_store_reset(void);

/*
 * The URL a backend opens for the folder text: notmuch://NAME becomes
 * its named query, and a notmuch URL naming no database gets notmuch_db.
 * Other text is copied as it is.  *url_r is the caller's.  Fails with
 * ERR_USAGE for an unknown name.  Any thread; does not block.
 */
int core_store_resolve(const char *folder, char **url_r, struct err *err);
/* Nonzero when the text names a notmuch folder or store ("notmuch://..."). */
int core_store_is_store(const char *folder);

/* The named queries, in config order, later definitions of a name
 * replacing earlier ones.  Strings belong to the settings. */
size_t core_store_query_count(void);
const char *core_store_query_name(size_t i);

/* Where the store is. */
struct core_store_info {
	char *db_path;   /* the database (database.path) */
	char *mail_root; /* the maildir mail is delivered to */
	char *config;    /* the notmuch configuration file; NULL: none (notmuch's defaults) */
	int created;     /* created by this call */
};

/*
 * petrel --init-store: creates the database and the mail root's maildir
 * when missing, and says where they are.  Clear *info_r with
 * core_store_info_clear.  Blocks; any thread.
 */
int core_store_init(struct core_store_info *info_r, struct err *err);
void core_store_info_clear(struct core_store_info *info);

/*
 * Delivers a raw message (LF or CRLF) into the store: written to the
 * mail root's tmp/, fsynced, linked into new/, the directory fsynced,
 * and indexed with notmuch's new.tags (plus the tags of `flags`, enum
 * mime_flag bits) in one atomic database step, all before it returns 0.
 * The store is created when there is none (an info log line says
 * where).  A database locked by another program is waited for, with
 * back-off and a log line, up to lock_timeout_ms (0: 30 s), or until
 * cancel_fd (-1: none) turns readable.  On failure nothing is left in
 * the store and the caller still owns the message.  A crash between
 * writing and indexing leaves the file in new/, where the next opening
 * of a store folder indexes it.  Blocks: worker threads (POP3 fetch,
 * save and copy into the store).
 */
int core_store_deliver(const char *data, size_t len, unsigned flags, time_t date,
                       int lock_timeout_ms, int cancel_fd, struct err *err);

/*
 * Adds the tags add[0..nadd) to, and removes remove[0..nremove) from,
 * messages idx[0..n) of the open folder h, at once (not at quit), then
 * reloads their summaries, whose flags follow from tags ("unread" is
 * not \Seen...).  Fails with ERR_UNSUPPORTED when the folder has no
 * tags.  Face thread; blocks until the folder's worker is done.
 */
int core_store_tag(struct core_folder_handle *h, const size_t *idx, size_t n,
                   const char *const *add, size_t nadd, const char *const *remove, size_t nremove,
                   struct err *err);

#endif
