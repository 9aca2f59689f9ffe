/*
 * core-submit: sending mail through the submission server of smtp_url,
 * with the outbox (core-outbox.h) behind every message.
 *
 * A handle owns a worker thread and, in it, one SMTP connection that
 * stays open from one message to the next: the messages a mailx session
 * sends, and every message of an outbox flush, share it.  Sending a
 * message (core_submit_send) goes:
 *
 *   1. the message is written to the outbox, durably, with its envelope;
 *   2. the worker connects if it has no usable connection (smtp:// with
 *      STARTTLS, smtps:// with TLS, AUTH when a user is known), and
 *      sends it; a connection that the server closed while idle is
 *      opened again once, when nothing of the message went out;
 *   3. after the server's 250 the copy goes to the record folder, through
 *      an account worker as every append (core-account.h: local folders,
 *      the notmuch store, imap:// and imaps:// with the IMAP settings); a
 *      copy that fails (no such backend in the build, the server down)
 *      leaves the message in the outbox as "sent, copy missing".  With
 *      no record and the folders on IMAP (folder, else spoolfile, is an
 *      imap:// or imaps:// URL), the copy goes to the folder that server
 *      marks \Sent (RFC 6154), found once a handle by listing the
 *      server's folders through an account worker; when none is marked
 *      there is no copy and no error (a line in the debug log says so);
 *   4. only then does the message leave the outbox.
 *
 * What a failure leaves (core_submit_report.outcome):
 *   QUEUED    the server could not be reached, dropped the connection,
 *             timed out or answered 4xx: the message waits in the outbox
 *             for core_submit_flush();
 *   KEPT      something the user must fix (authentication, TLS, the
 *             settings): the message waits in the outbox as well;
 *   REFUSED   the server refused the message for good (5xx), or it
 *             cannot be sent as it is (larger than the server's SIZE,
 *             non-ASCII addresses without SMTPUTF8): it goes to the dead
 *             letter file given, or stays in the outbox as held;
 *   UNSAVED   not sent, and the outbox could not take it (nor the dead
 *             letter file): the caller must keep it.
 * A refused recipient is named with the server's reply.  Unless
 * smtp_partial_send is set, one refused recipient means nothing is sent;
 * with it the message goes to the others, and the recipients refused
 * with a 4xx stay in the outbox for a later flush.
 *
 * The settings are read through a lookup by variable name (the face's
 * own `set` overrides apply): smtp_url, smtp_user, smtp_pass,
 * smtp_pass_command, smtp_auth_mechanisms, smtp_oauth_refresh_command,
 * smtp_starttls, smtp_allow_plaintext, smtp_partial_send, dsn_notify,
 * dsn_return, hostname, tls_ca_file, tls_verify, connect_timeout,
 * timeout, SHELL, folder and spoolfile.  Booleans are NULL or "no"
 * when off.  The password comes from smtp_url, else smtp_pass, else
 * smtp_pass_command (run by the worker at each connection), else the
 * face's ask_password hook, else the login fails with ERR_AUTH naming
 * the variables to set.  An OAuth 2 token comes from
 * smtp_oauth_refresh_command, run at each connection.
 *
 * Threads: every function belongs to the face thread that created the
 * handle and blocks until the worker is done; progress comes through
 * the hook meanwhile.
 */
#ifndef CORE_SUBMIT_H
#define CORE_SUBMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"

/* The value of a variable by name, as the face sees it; NULL when unset.
 * The string must stay valid until the call that asked returns. */
typedef const char *core_submit_var_fn(void *ctx, const char *name);

struct core_submit_hooks {
	/* Asks the user for the password (face thread, before connecting),
	   with prompt naming user and server.  Returns 0 with *password_r
	   (the caller wipes and frees it), or -1 when nobody can be asked.
	   NULL: never ask. */
	int (*ask_password)(void *ctx, const char *prompt, char **password_r);
	/* A job moved on: bytes of one message, or messages of a flush.
	   Face thread.  NULL: none. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total, const char *label);
	void *ctx;
	const char *outbox;      /* the outbox directory, expanded; required */
	const char *dead_letter; /* mbox for refused messages, expanded; NULL: hold them */
};

struct core_submit;

/*
 * A handle for the settings get() gives now (copied), with hooks (the
 * strings copied; the functions and ctx must outlive the handle).  Fails
 * with ERR_USAGE on a missing or invalid smtp_url.  The caller frees it
 * with core_submit_free().  Starts the worker; connects only when there
 * is something to send.
 */
int core_submit_new(core_submit_var_fn *get, void *ctx, const struct core_submit_hooks *hooks,
                    struct core_submit **sub_r, struct err *err);
/* Says QUIT to the server if connected, stops the worker, wipes the
 * password; sets *sub to NULL.  NULL is fine. */
void core_submit_free(struct core_submit **sub);
/* True when get() gives the settings the handle was made with (a face
 * keeps the handle, and its connection, only while they hold). */
bool core_submit_matches(const struct core_submit *sub, core_submit_var_fn *get, void *ctx,
                         const struct core_submit_hooks *hooks);

enum core_submit_outcome {
	CORE_SUBMIT_SENT,
	CORE_SUBMIT_QUEUED,
	CORE_SUBMIT_KEPT,
	CORE_SUBMIT_REFUSED,
	CORE_SUBMIT_UNSAVED,
};

struct core_submit_report {
	enum core_submit_outcome outcome;
	/* Why it was not sent; for SENT, the refused recipients of a partial
	   send (ERR_NONE when there were none). */
	struct err err;
	/* Where the message is when not sent: the outbox or dead.letter. */
	char where[1024];
	bool held;        /* REFUSED, and kept in the outbox as held */
	bool maybe_twice; /* the server may have it already: a second copy may arrive */
	/* Sent, but the copy for the record folder could not be saved: the
	   message stays in the outbox until a flush saves it. */
	bool copy_failed;
	struct err copy_err;
	/* core_submit_flush(): how many messages went each way, and one
	   sentence for each that did not go (caller frees each and the
	   array with core_submit_report_clear). */
	size_t n_sent, n_queued, n_kept, n_refused, n_copy_failed;
	char **notes;
	size_t n_notes;
};

void core_submit_report_clear(struct core_submit_report *rep);

/* One message, as core_send_compose() built it (LF line ends). */
struct core_submit_msg {
	const char *from;         /* MAIL FROM; NULL: the address of the From header */
	const char *const *rcpts; /* To, Cc and Bcc, bare addresses */
	size_t n_rcpts;
	const char *data;
	size_t len;
	const char *record; /* the folder for a copy (path or URL, expanded); NULL: none */
};

/*
 * Sends one message as described above and fills *rep (cleared first;
 * the caller clears it).  Returns 0 when the message was sent (to every
 * recipient, or with smtp_partial_send to those the server took: then
 * rep->err names the others), else -1 with *err as rep->err.  An
 * interrupt (core_folder_set_interrupt_fd) cancels the job: the message
 * stays in the outbox.
 */
int core_submit_send(struct core_submit *sub, const struct core_submit_msg *msg,
                     struct core_submit_report *rep, struct err *err);

/*
 * Sends what waits in the outbox, in the order it was queued, on one
 * connection: QUEUED and SENDING messages (a SENDING one may then reach
 * its recipients twice, which a note says), and the missing copies of
 * SENT_COPY ones; HELD ones are left alone.  A failure of the connection
 * stops the flush (the rest stays queued); a message refused for its own
 * sake does not.  Fills *rep with the counts and notes.  Returns 0 when
 * nothing is left to send (the outbox may still hold HELD messages), -1
 * with *err otherwise.
 */
int core_submit_flush(struct core_submit *sub, struct core_submit_report *rep, struct err *err);

/* The outbox directory of the handle. */
const char *core_submit_outbox(const struct core_submit *sub);

#endif
