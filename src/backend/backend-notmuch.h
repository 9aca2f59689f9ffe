/*
 * backend-notmuch: the notmuch-indexed local store.
 *
 * Messages live in maildirs under the mail root of the user's notmuch
 * configuration; libnotmuch indexes them.  A folder is a notmuch query:
 *
 *   notmuch://?query=tag:inbox            the configured database
 *   notmuch:///path/to/db?query=QUERY     another database
 *   notmuch://                            every message ("*")
 *
 * (Named queries, notmuch://NAME, are the config's; core/ turns them into
 * these URLs before a backend sees them.)  Summaries are numbered oldest
 * first, with search.exclude_tags left out as `notmuch search` does.
 * Flags are notmuch's tags: unread (not \Seen), replied, flagged, draft,
 * passed, deleted; a message whose file is in new/ is recent.  With
 * maildir.synchronize_flags (notmuch's default) tag changes rename the
 * files to carry the matching maildir flags, and a file another client
 * renamed has its flags read back into tags when petrel meets it.
 *
 * Deleting is tagging "deleted": expunge takes such messages out of the
 * open folder and leaves their files where they are.
 *
 * Delivery (append, whatever the URL's query) goes into the maildir at
 * the mail root: the file is written to tmp/, fsynced, linked into new/,
 * the directory fsynced, and then indexed with new.tags in one atomic
 * database step, committed before append returns.  If indexing fails the
 * file is removed again and append fails, so the caller still has the
 * message; a crash in between leaves it in new/, and opening any folder
 * of the store indexes files in the mail root's new/ that the database
 * does not know.
 *
 * Threading and errors as backend.h says; every operation opens its own
 * database handle, so several workers may use one store.
 */
#ifndef BACKEND_NOTMUCH_H
#define BACKEND_NOTMUCH_H

#include "backend/backend.h"
#include "base/base-err.h"

extern const struct backend_ops backend_notmuch_ops;

/* A store, as backend_notmuch_init found or made it. */
struct backend_notmuch_store {
	char *db_path;   /* where the database is (database.path) */
	char *mail_root; /* the maildir mail is delivered to */
	char *config;    /* the notmuch configuration file used; NULL: none, defaults */
	int created;     /* 1: created by this call; 0: it was there */
};

/*
 * Makes sure the store at db_path (NULL: the configured one) exists:
 * creates the database, and the mail root with cur/, new/ and tmp/, when
 * they are missing.  Fills *store_r (backend_notmuch_store_clear frees).
 * Blocks; any thread.
 */
int backend_notmuch_init(const char *db_path, struct backend_notmuch_store *store_r,
                         struct err *err);
void backend_notmuch_store_clear(struct backend_notmuch_store *store);

#endif
