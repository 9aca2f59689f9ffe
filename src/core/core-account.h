/*
 * core-account: the worker that serves one mail store, and the requests
 * it understands.
 *
 * An account's worker (core-worker.h) owns the store's open folder and
 * runs the face's requests against the backend chosen by URL
 * (backend_for_url), so the faces never touch a backend.  What each
 * request means to a store:
 *
 *   OPEN_FOLDER    folder is a URL or path; answered FOLDER_OPENED
 *   FETCH_HEADERS  summaries of a window, in HEADERS batches
 *   FETCH_MESSAGE  the raw message (LF line ends), in PART_DATA chunks
 *   FETCH_PART     part "" is the message, "HEADER" its header block;
 *                  offset/length cut the result
 *   SET_FLAGS      recorded, written at EXPUNGE or CLOSE_FOLDER
 *   COPY, MOVE     dest_folder is a URL or path, created when missing;
 *                  MOVE marks the originals deleted
 *   APPEND         to the folder named by URL or path, created when missing
 *   EXPUNGE        writes flag changes and removes deleted messages
 *   CLOSE_FOLDER   expunge: as EXPUNGE, then closes; else closes writing
 *                  nothing (mailx `exit`)
 *   LIST_FOLDERS   pattern (NULL: the account's root) names the directory
 *                  or server whose folders are listed
 *
 * A URL whose scheme the build lacks (imap, pop3 for now) fails
 * with ERR_UNSUPPORTED and a sentence saying so.  notmuch:// folders are
 * named as core-store.h says; SET_FLAGS's tags go to the backend at once
 * (BE_CAP_TAGS), and LIST_FOLDERS of a notmuch:// root lists the named
 * queries.
 */
#ifndef CORE_ACCOUNT_H
#define CORE_ACCOUNT_H

#include <stddef.h>

#include "base/base-err.h"
#include "core/core-queue.h"
#include "core/core-worker.h"

struct core_account_params {
	const char *name;     /* for logs ("local") */
	const char *root;     /* the store's URL or folder directory; NULL: none */
	int lock_timeout_ms;  /* 0: the backend's default */
};

/*
 * Starts a worker serving the store; its events go to `events` (which the
 * caller frees only after the worker).  The caller frees the worker with
 * core_worker_free().  Face thread; does not block on the store.
 */
int core_account_start(const struct core_account_params *params, struct core_queue *events,
		       struct core_worker **worker_r, struct err *err);

struct config;

/*
 * Takes what pop3:// and pop3s:// folders need from cfg (global values):
 * pop3_user (for URLs without a user), pop3_pass, pop3_pass_command (run
 * by the worker when a folder opens), pop3_auth_mechanisms,
 * pop3_starttls, pop3_allow_plaintext, tls_ca_file, tls_verify,
 * connect_timeout and timeout.  Without it such folders get the safe
 * defaults (STLS required, certificates verified) and a password only
 * from their URL.  Main thread, before workers start (as
 * core_store_setup); core_account_reset forgets them.
 */
void core_account_setup(const struct config *cfg);
void core_account_reset(void);

/*
 * imap:// and imaps:// folders get their settings from the same call:
 * imap_user, imap_pass, imap_pass_command, imap_starttls,
 * imap_allow_plaintext, imap_idle, imap_keepalive, header_cache,
 * message_cache, tls_ca_file, tls_verify, connect_timeout and timeout.
 *
 * A face that can ask for a password sets a prompt: fn is called on a
 * worker thread (while the face waits for the job, so the terminal is
 * free) with "user@host" and the job's cancel fd (readable: give up with
 * ERR_CANCELLED), and puts a password the caller frees in
 * *password_r, or fails (ERR_CANCELLED, ERR_AUTH).  Without one, an IMAP
 * folder with no password anywhere fails with ERR_AUTH naming the
 * variables to set.  Main thread, before workers start.
 */
typedef int core_account_prompt_fn(void *ctx, const char *server, int cancel_fd,
				   char **password_r, struct err *err);
void core_account_set_prompt(core_account_prompt_fn *fn, void *ctx);

/* The names of the folder backends this build has ("mbox", "maildir"...),
 * up to max of them; returns how many.  Pure. */
size_t core_account_backends(const char **names, size_t max);

#endif
