/*
 * backend-imap-conn: one IMAP connection, the sans-I/O session of src/imap
 * bound to a net_conn.
 *
 * backend_imap_conn_open() connects (implicit TLS for imaps://, STARTTLS
 * for imap:// with whatever the server sent in plain text after its
 * go-ahead thrown away), asks the capabilities (again over TLS and after
 * logging in when the server did not volunteer them), logs in with LOGIN
 * or AUTHENTICATE through net_sasl (never a password without TLS unless
 * allowed), sends ID, turns on CONDSTORE, QRESYNC and UTF8=ACCEPT with
 * ENABLE and COMPRESS=DEFLATE when offered, and asks NAMESPACE.  From then
 * on the caller queues commands with the imap_cmd_*() functions on
 * backend_imap_conn_session() and waits for their tags; commands queued
 * together are pipelined.  Every untagged response and every completion
 * goes to the handler the caller set, in the order the server sent them,
 * so the caller keeps its view of the mailbox current whatever command is
 * running.
 *
 * Received lines are read one at a time and literals by their byte count,
 * so the protocol trace (LOG_CH_PROTO) shows every line in both directions
 * with passwords and SASL data masked and literals (message bodies) as
 * byte counts.
 *
 * A connection that failed once (network error, timeout, cancel, BYE,
 * protocol violation) stays failed: every later call fails with ERR_CONN
 * and the caller opens a new one (see backend_imap_conn_failed()).
 *
 * Threads: a connection belongs to one thread at a time (the account's
 * worker).  Every function that talks to the server blocks, bounded by the
 * I/O timeout and the cancel descriptor.
 */
#ifndef BACKEND_IMAP_CONN_H
#define BACKEND_IMAP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "imap/imap-session.h"
#include "mime/mime-summary.h"

enum backend_imap_tls {
	BACKEND_IMAP_TLS_STARTTLS, /* imap:// with imap_starttls=required */
	BACKEND_IMAP_TLS_IMPLICIT, /* imaps:// */
	BACKEND_IMAP_TLS_OPTIONAL, /* STARTTLS when offered, else plain text */
	BACKEND_IMAP_TLS_NONE,     /* plain text throughout (imap_starttls=no) */
};

/* Strings are copied by backend_imap_conn_open(). */
struct backend_imap_conn_params {
	const char *host;
	const char *port; /* NULL: 993 for implicit TLS, else 143 */
	enum backend_imap_tls tls;
	const char *tls_ca_file; /* NULL: the system's trusted certificates */
	bool tls_no_verify;      /* tls_verify=no */
	int connect_timeout_ms;  /* <= 0: net's default */
	int io_timeout_ms;       /* <= 0: net's default */
	int cancel_fd;           /* readable => ERR_CANCELLED; -1 for none */
	const char *user;
	const char *password;   /* NULL: no password mechanisms */
	const char *token;      /* OAuth 2.0 bearer token; NULL: none */
	const char *mechanisms; /* allowed SASL mechanisms; NULL: LOGIN or any safe one */
	bool allow_plaintext;   /* passwords without TLS (imap_allow_plaintext) */
	bool no_compress;       /* do not ask for COMPRESS=DEFLATE */
};

/* Fills in the defaults: STARTTLS required, verification on, no cancel fd. */
void backend_imap_conn_params_init(struct backend_imap_conn_params *params);

/* Gets every event of the session except the completion being waited for
 * by backend_imap_conn_wait() (which it also gets, as IMAP_EV_DONE).  The
 * event is valid during the call only. */
typedef void backend_imap_event_fn(void *ctx, const struct imap_event *ev);

struct backend_imap_conn;

/*
 * Connects, logs in and negotiates as the file comment says.  On success
 * *conn_r is the caller's, in the authenticated state.  Failures: ERR_CONN,
 * ERR_TIMEOUT, ERR_TLS (including "the server does not offer STARTTLS"),
 * ERR_AUTH (the server said no to the credentials, with its text),
 * ERR_PROTO, ERR_CANCELLED.  Blocks.
 */
int backend_imap_conn_open(const struct backend_imap_conn_params *params,
                           struct backend_imap_conn **conn_r, struct err *err);
/* Sends LOGOUT when the connection is healthy and that does not block for
 * long, then closes and frees; NULLs *conn.  NULL is fine. */
void backend_imap_conn_free(struct backend_imap_conn **conn);

/* The protocol session, for queueing commands and reading its state. */
struct imap_session *backend_imap_conn_session(struct backend_imap_conn *conn);
/* "host:port", for messages. */
const char *backend_imap_conn_peer(const struct backend_imap_conn *conn);
/* The hierarchy delimiter of the personal namespace ('/' when unknown). */
char backend_imap_conn_delimiter(const struct backend_imap_conn *conn);
/* The personal namespace's prefix as the server spells it ("" if none). */
const char *backend_imap_conn_prefix(const struct backend_imap_conn *conn);

/* Where events go from now on (fn NULL: nowhere). */
void backend_imap_conn_set_handler(struct backend_imap_conn *conn, backend_imap_event_fn *fn,
                                   void *ctx);
/* The cancel descriptor from now on (-1: none); a worker sets its job's. */
void backend_imap_conn_set_cancel_fd(struct backend_imap_conn *conn, int fd);

/* Sends what the session has queued.  Blocks until written. */
int backend_imap_conn_flush(struct backend_imap_conn *conn, struct err *err);
/*
 * Sends what is queued and reads until the command with this tag
 * completes.  Returns 0 when it said OK; -1 with ERR_REJECTED and the
 * server's text (control characters replaced) when it said NO or BAD, or
 * with the connection's failure.  A tag that completed earlier (while
 * waiting for another) returns its outcome at once.  Blocks.
 */
int backend_imap_conn_wait(struct backend_imap_conn *conn, uint32_t tag, struct err *err);
/* Reads and handles whatever the server sends until the time passes or
 * nothing more is waiting (timeout_ms 0: only what already arrived).
 * Blocks at most about timeout_ms. */
int backend_imap_conn_poll(struct backend_imap_conn *conn, int timeout_ms, struct err *err);

/*
 * IDLE (RFC 2177): waits for the server's news, handing it to the handler
 * as it comes, until wake_fd is readable, timeout_ms passes (< 0: never),
 * or the handler calls backend_imap_conn_idle_stop(); then sends DONE and
 * waits for IDLE's completion.  Fails with ERR_UNSUPPORTED when the server
 * lacks IDLE.  *woken_r (may be NULL) says whether wake_fd ended it.
 * Blocks.
 */
int backend_imap_conn_idle(struct backend_imap_conn *conn, int wake_fd, int timeout_ms,
                           int *woken_r, struct err *err);
/* From the handler: ends the IDLE under way after the current event. */
void backend_imap_conn_idle_stop(struct backend_imap_conn *conn);

/* Marks the connection failed (from a handler: a cancelled fetch whose
 * rest is still coming); the command being waited for then fails with
 * why.  The caller opens a new connection. */
void backend_imap_conn_abort(struct backend_imap_conn *conn, const struct err *why);
/* 1 once the connection failed; *err_r (may be NULL) gets why. */
int backend_imap_conn_failed(const struct backend_imap_conn *conn, struct err *err_r);

/*
 * A summary decoder: a second thread that turns the header fields of
 * summary FETCH responses into summaries while the worker goes on reading
 * the connection, so that opening a large folder costs about the longer
 * of the transfer and the decoding rather than their sum.
 *
 * The worker pushes a FETCH (its header section is copied) with the arena
 * its summary's strings go to and a tag of its choosing; drain() waits for
 * everything pushed and hands each summary back, in push order, on the
 * worker's thread.  Between a push and the next drain() the arenas named
 * belong to the decoder: the worker must not allocate from, read the
 * strings of, reset or free them.
 *
 * Threads: a decoder belongs to the thread that made it (a worker), which
 * alone calls these functions; the thread it starts is joined by
 * backend_imap_decoder_free().  push() does not block; drain() and free()
 * block until the decoding pushed so far is done (CPU work, no I/O).
 */
struct backend_imap_decoder;

/* Gets a decoded summary: sum (id, flags, dates, size and strings as
 * imap_summary_from_fetch() fills them) is the callee's to copy. */
typedef void backend_imap_decoded_fn(void *ctx, size_t tag, const struct mime_summary *sum);

/* A decoder whose thread starts at the first push.  Free with
 * backend_imap_decoder_free(). */
struct backend_imap_decoder *backend_imap_decoder_new(void);
/* Drops what was not drained, joins the thread and frees; NULLs *d.
 * NULL is fine. */
void backend_imap_decoder_free(struct backend_imap_decoder **d);
/*
 * Queues the decoding of fe's summary (fe must carry a header section:
 * see imap_summary_from_fetch()) into arena.  Returns 0, or -1 when fe has
 * no header section or no thread could be started: the caller then
 * decodes it itself.
 */
int backend_imap_decoder_push(struct backend_imap_decoder *d, const struct imap_fetch *fe,
                              struct arena *arena, size_t tag);
/* Waits until everything pushed is decoded and calls fn for each, in push
 * order.  Afterwards the arenas are the caller's again. */
void backend_imap_decoder_drain(struct backend_imap_decoder *d, backend_imap_decoded_fn *fn,
                                void *ctx);

#endif
