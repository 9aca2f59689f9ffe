/*
 * backend-local-search: the one search a local folder (maildir, mbox, a
 * notmuch query) answers: IMAP's `BODY "text"`, the messages whose text
 * holds the text as a reader sees it (decoded, case folded: mime-search.h),
 * as IMAP servers answer it.
 * It reads every message through the folder's own fetch, so it reports
 * progress and stops when the job is cancelled.  Blocking file reads;
 * the worker that owns the folder.
 */
#ifndef BACKEND_LOCAL_SEARCH_H
#define BACKEND_LOCAL_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-err.h"
#include "base/base-str.h"

/* How the search reaches the folder's messages. */
struct backend_local_search {
	size_t count; /* messages in the folder */
	/* Appends message i, whole, to out; -1 when it cannot be read (a
	   file another client moved away), and it then matches nothing. */
	int (*fetch)(struct backend_folder *folder, size_t i, struct str *out, struct err *err);
	/* Its summary id. */
	uint64_t (*id)(const struct backend_folder *folder, size_t i);
	struct backend_folder *folder;
	const struct backend_progress *job; /* the running job's hooks; may be NULL */
};

/*
 * The search op of a local folder (backend.h): the ids, in arena, of the
 * messages matching query.  A query other than one BODY key fails with
 * ERR_UNSUPPORTED naming it; a cancelled job with ERR_CANCELLED.
 */
int backend_local_search_body(const struct backend_local_search *s, const char *query,
                              struct arena *arena, uint64_t **ids_r, size_t *count_r,
                              struct err *err);

/* Keeps the hooks of the job the worker runs now for later searches
 * (backend.h's set_job); progress NULL: none. */
void backend_local_set_job(struct backend_progress *job, const struct backend_progress *progress);

#endif
