/*
 * core-folder: an open folder for a face that waits (the mailx face).
 *
 * Each handle owns an account worker (core-account.h) and an event queue;
 * every function posts the same requests the TUI posts and waits for the
 * job's end with core_call_sync(), so the command face and the TUI share
 * one path to the stores.  A wait ends early, with ERR_CANCELLED, when the
 * interrupt fd (core_folder_set_interrupt_fd: a SIGINT pipe) turns
 * readable.
 *
 * Messages are numbered 0..count-1 in folder order; summaries are copied
 * into the handle and stay valid until it is freed.  A handle keeps what a
 * folder listing shows: id, flags, dates, size, lines, sender and subject
 * (equal strings shared); to, cc, the message ids, references and
 * list_post are "" (read the message's header for those).  All functions
 * belong to the face's thread and block until the worker answers.
 */
#ifndef CORE_FOLDER_H
#define CORE_FOLDER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-err.h"
#include "base/base-str.h"
#include "mime/mime-summary.h"

struct arena;
struct core_folder_handle;
struct core_part;
struct core_request;

/* The fd whose readability cancels the job being waited for (-1: none).
 * Set once at start-up; never read or closed here. */
void core_folder_set_interrupt_fd(int fd);
int core_folder_interrupt_fd(void);

/*
 * Opens the folder named by url (a path, or a URL of a scheme this build
 * has) and reads every summary.  The caller frees the handle with
 * core_folder_close().
 */
int core_folder_open(const char *url, int read_only, struct core_folder_handle **h_r,
		     struct err *err);
const char *core_folder_url(const struct core_folder_handle *h);
int core_folder_read_only(const struct core_folder_handle *h);
size_t core_folder_count(const struct core_folder_handle *h);
/* The summary of message i (i < count); flags follow set_flags calls. */
const struct mime_summary *core_folder_summary(const struct core_folder_handle *h, size_t i);

/* Appends message i, as raw bytes with LF line ends, to *out. */
int core_folder_fetch(struct core_folder_handle *h, size_t i, struct str *out, struct err *err);
/* Appends the header block of message i (up to and with its empty line). */
int core_folder_fetch_header(struct core_folder_handle *h, size_t i, struct str *out,
			     struct err *err);
/* Sets and clears enum mime_flag bits on messages idx[0..n); written at
 * sync or close(write). */
int core_folder_set_flags(struct core_folder_handle *h, const size_t *idx, size_t n,
			  unsigned set, unsigned clear, struct err *err);
/* Appends copies of messages idx[0..n) to the folder named by dest (URL or
 * path), creating it when missing. */
int core_folder_copy(struct core_folder_handle *h, const size_t *idx, size_t n, const char *dest,
		     struct err *err);
/*
 * Posts req (handed over) to the folder's worker and waits for the job's
 * end; summaries it answers with (CORE_EV_HEADERS) replace the handle's.
 * For requests without a function here (core-store.h's tag changes).
 */
int core_folder_request(struct core_folder_handle *h, struct core_request *req,
			struct err *err);

/*
 * Takes in what the worker heard while the face was not asking: new mail
 * (IMAP IDLE, a local folder that grew) is read and appended, so the
 * indexes below the old count keep their meaning; after a reset (the
 * server changed UIDVALIDITY) every summary is read again and every index
 * changes.  Never waits for news: with none it returns at once.
 * *added_r: messages appended; *reset_r: 1 after a reset.
 */
int core_folder_take_news(struct core_folder_handle *h, size_t *added_r, int *reset_r,
			  struct err *err);

/*
 * Ends the session with the folder and frees the handle (*h becomes NULL)
 * whatever happens.  write: flag changes are written and messages marked
 * deleted removed (mailx quit); otherwise nothing is written (exit).
 */
int core_folder_close(struct core_folder_handle **h, int write, struct err *err);
/*
 * Starts ending the session without waiting (nothing is written), so that
 * logging out and closing the caches overlap what the caller still does
 * with the summaries; core_folder_close() then waits for it and frees the
 * handle.  Nothing else may be asked of the handle in between.
 */
void core_folder_close_begin(struct core_folder_handle *h);

/* Appends a raw message (LF or CRLF) to the folder named by url, creating
 * it when missing; flags are enum mime_flag bits, date 0 means now. */
int core_folder_append(const char *url, const char *data, size_t len, unsigned flags,
		       time_t date, struct err *err);

/*
 * Prepends copies of messages idx[0..n) to the mbox file at path (mailx's
 * mbox without `append`): they go to a new file with the old contents
 * after them, which replaces the old one.  Where path is not a plain mbox
 * file (a maildir, a URL) they are appended instead.
 */
int core_folder_prepend(struct core_folder_handle *h, const size_t *idx, size_t n,
			const char *path, struct err *err);

/* The names of the folders under root (a directory or URL), sorted; the
 * caller frees each and the array. */
int core_folder_list(const char *root, char ***names_r, size_t *count_r, struct err *err);

/* ---- network folders (IMAP) ---- */

/*
 * Appends `length` bytes from `offset` (both 0: all of it) of MIME part
 * `part` of message i ("1.2"; "2.MIME" its header; "" the whole raw
 * message), as the folder holds it (still in its transfer encoding),
 * without fetching the rest of the message where the folder can (IMAP:
 * BODY.PEEK[1.2]<offset.length>).  Fails with ERR_UNSUPPORTED where
 * parts cannot be fetched alone.
 */
int core_folder_fetch_part(struct core_folder_handle *h, size_t i, const char *part,
			   uint64_t offset, uint64_t length, struct str *out, struct err *err);

/*
 * The parts of message i as the folder's store describes them (IMAP
 * BODYSTRUCTURE; struct core_part in core-event.h), without fetching the
 * message.  The array and its strings go to `arena` (the caller's).
 * Fails with ERR_UNSUPPORTED where the store would have to read the whole
 * message: fetch it and list its parts with core_folder_msg_parts().
 */
int core_folder_fetch_structure(struct core_folder_handle *h, size_t i, struct arena *arena,
				struct core_part **parts_r, size_t *count_r, struct err *err);

/* Creates, removes, renames (to: the new URL or path), subscribes to or
 * unsubscribes from the folder named by url; op is an enum core_folder_op
 * (core-request.h). */
int core_folder_manage(int op, const char *url, const char *to, struct err *err);

/* Gets the progress of the jobs the functions here wait for (done of
 * total, total 0 when unknown); NULL: none.  Set once at start-up. */
typedef void core_folder_progress_fn(void *ctx, uint64_t done, uint64_t total,
				     const char *label);
void core_folder_set_progress(core_folder_progress_fn *fn, void *ctx);

/* Appends a terminal-safe copy of text (control characters shown as ^X,
 * and so on: mime_sanitize); keep_lines keeps newlines and tabs. */
void core_folder_sanitize(struct str *out, const char *text, size_t len, int keep_lines);

#endif
