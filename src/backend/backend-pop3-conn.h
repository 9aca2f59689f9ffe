/*
 * backend-pop3-conn: one logged-in POP3 session over the network, as
 * blocking calls.
 *
 * The glue between the sans-I/O POP3 core (pop3/pop3-session.h) and a
 * net/ connection, shared by the pop3:// folder backend (backend-pop3.c)
 * and the fetch job (core/core-fetch.h).  Opening connects (pop3s: TLS
 * from the first byte; pop3: STLS as the params ask), reads CAPA and logs
 * in with the strongest way both sides allow:
 *
 *   1. AUTH with a SASL mechanism (net/net-sasl.h picks the strongest
 *      common one: SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN);
 *   2. APOP, when the greeting carries a valid timestamp;
 *   3. USER and PASS.
 *
 * A way that shows the password (PLAIN, LOGIN, USER/PASS) is taken only
 * over TLS unless allow_plaintext; APOP too, since a server in the middle
 * can recover the password from its MD5 digests (CVE-2007-1558).
 *
 * Commands on many messages (RETR, TOP, DELE) are pipelined when the
 * server offers PIPELINING, a bounded number at a time so that neither
 * side blocks writing while the other is not reading (RFC 2449 section
 * 6.6), and answered one message at a time through a callback: a message
 * is handed over only once the server's terminating line came, so a
 * message cut off by a dropped connection or a timeout is never seen.
 *
 * Deletion follows RFC 1939: DELE only marks, and the server deletes at
 * backend_pop3_conn_quit() when it answers +OK.  backend_pop3_conn_free()
 * without quit() closes the connection without QUIT, so nothing marked is
 * deleted.
 *
 * Errors name the server as "host:port".  Threads: a connection belongs
 * to one thread at a time (a worker); every call blocks on the network,
 * bounded by the I/O timeout and stopped by the cancel descriptor.
 */
#ifndef BACKEND_POP3_CONN_H
#define BACKEND_POP3_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"
#include "pop3/pop3-session.h"

/* Messages kept in flight when the server pipelines. */
#define BACKEND_POP3_WINDOW 32

/* Strings are copied or used during backend_pop3_conn_open() only. */
struct backend_pop3_conn_params {
	const char *host;
	const char *port;    /* NULL: 995 with implicit_tls, else 110 */
	int implicit_tls;    /* pop3s:// */
	int stls;            /* pop3://: 1 STLS required, 0 used when offered, -1 never */
	int allow_plaintext; /* the password may cross without TLS */
	const char *user;
	const char *password; /* NULL: log in fails with ERR_AUTH, saying so */
	/* Ways to log in, in order of preference, separated by blanks, commas
	   or colons: SASL mechanism names, "APOP" and "USER"; NULL or "": the
	   order above. */
	const char *mechanisms;
	const char *tls_ca_file; /* NULL: the system's CAs */
	int tls_no_verify;
	int connect_timeout_ms; /* <= 0: net/'s defaults */
	int io_timeout_ms;
	int cancel_fd;    /* readable => ERR_CANCELLED; -1: none */
	uint64_t msg_max; /* largest message accepted; 0: no limit */
	size_t lines_max; /* most LIST/UIDL lines; 0: the core's default */
};

/* One message of the maildrop, as LIST and UIDL describe it. */
struct backend_pop3_msg {
	unsigned long num; /* the message number in this session */
	uint64_t size;     /* octets, as LIST says (CRLF line ends) */
	/* The unique-id, or NULL when the server has no UIDL, or gave this
	   message a malformed one, or gave it to more than one message
	   (CVE-2018-14356): such a message cannot be told apart safely. */
	const char *uid;
};

/* What the server answered for one message of a batch command. */
struct backend_pop3_answer {
	size_t index;      /* position in the list the command was given */
	unsigned long num; /* message number */
	int ok;            /* +OK (and for RETR and TOP: the whole message came) */
	/* RETR, TOP: the message as sent (CRLF, dot-unstuffed), or with LF
	   line ends after backend_pop3_conn_set_lf() */
	const char *data;
	size_t len;
	uint64_t received;     /* RETR, TOP: octets as sent, dot-unstuffed (CRLF) */
	uint64_t expected;     /* RETR: the size LIST gave */
	int size_mismatch;     /* RETR: received differs from expected */
	const struct err *err; /* !ok: the server's refusal */
};

/* Takes one answer; data is lent for the call.  Returns 0, or -1 with err
 * set to stop (the connection is then unusable: free it). */
typedef int backend_pop3_answer_fn(void *ctx, const struct backend_pop3_answer *a, struct err *err);

struct backend_pop3_conn;

/*
 * Connects, secures and logs in as the params say.  On success *conn_r is
 * the caller's, in the TRANSACTION state.  Fails with ERR_AUTH for a
 * refused login (one sentence naming the server, the user and the way),
 * ERR_TLS, ERR_UNSUPPORTED (no STLS when required; no way to log in that
 * the params allow), ERR_CONN, ERR_TIMEOUT, ERR_CANCELLED, ERR_PROTO.
 */
int backend_pop3_conn_open(const struct backend_pop3_conn_params *params,
                           struct backend_pop3_conn **conn_r, struct err *err);
/* Closes without QUIT (nothing marked is deleted) and frees; NULLs *conn. */
void backend_pop3_conn_free(struct backend_pop3_conn **conn);

/* "host:port", for messages. */
const char *backend_pop3_conn_server(const struct backend_pop3_conn *conn);
/* How the login went: "SCRAM-SHA-256", "APOP", "USER". */
const char *backend_pop3_conn_auth(const struct backend_pop3_conn *conn);
int backend_pop3_conn_is_tls(const struct backend_pop3_conn *conn);
const struct pop3_caps *backend_pop3_conn_caps(const struct backend_pop3_conn *conn);
/*
 * on: RETR and TOP data is handed over with each CRLF made LF (a CR not
 * before an LF stays), as a maildir file holds it, converted while it is
 * copied out of the read buffer: a second pass over every message saved.
 * Off at first.  Does not block.
 */
void backend_pop3_conn_set_lf(struct backend_pop3_conn *conn, int on);
/* Watch another cancel descriptor (-1: none) from now on. */
void backend_pop3_conn_set_cancel_fd(struct backend_pop3_conn *conn, int fd);

/*
 * LIST and UIDL (when the server has it): the messages of the maildrop,
 * in order.  *msgs_r belongs to the connection and stays valid until the
 * next scan or free.  *has_uidl_r: the server answered UIDL.  A LIST
 * that is not a strictly increasing list of message numbers, or longer
 * than params.lines_max, fails with ERR_PROTO.
 */
int backend_pop3_conn_scan(struct backend_pop3_conn *conn, struct backend_pop3_msg **msgs_r,
                           size_t *n_r, int *has_uidl_r, struct err *err);

/*
 * RETR of nums[0..n) (sizes: LIST's, or NULL), TOP nums[i] lines, DELE:
 * each answer goes to fn in order.  A server's -ERR for one message is an
 * answer (ok 0), not a failure of the call.  Fails (-1) when the
 * connection does, or fn does.
 */
int backend_pop3_conn_retr(struct backend_pop3_conn *conn, const unsigned long *nums,
                           const uint64_t *sizes, size_t n, backend_pop3_answer_fn *fn, void *ctx,
                           struct err *err);
int backend_pop3_conn_top(struct backend_pop3_conn *conn, const unsigned long *nums, size_t n,
                          unsigned long lines, backend_pop3_answer_fn *fn, void *ctx,
                          struct err *err);
int backend_pop3_conn_dele(struct backend_pop3_conn *conn, const unsigned long *nums, size_t n,
                           backend_pop3_answer_fn *fn, void *ctx, struct err *err);
/* RSET: unmarks every message marked deleted.  NOOP: keeps the session up. */
int backend_pop3_conn_rset(struct backend_pop3_conn *conn, struct err *err);
int backend_pop3_conn_noop(struct backend_pop3_conn *conn, struct err *err);

/*
 * QUIT: the server enters the UPDATE state and deletes what was marked.
 * *update_r says what happened (POP3_UPDATE_DONE: the marked messages are
 * gone; UNKNOWN: the answer never came; NONE: nothing was marked).  The
 * connection can only be freed afterwards.  Fails when the server refused
 * (UPDATE_FAILED, ERR_REJECTED) or the answer did not come.
 */
int backend_pop3_conn_quit(struct backend_pop3_conn *conn, enum pop3_update *update_r,
                           struct err *err);

/*
 * One piece of a message (in[0..len)) into out with each CRLF made LF,
 * as backend_pop3_conn_set_lf() hands messages over; out has room for
 * len + 1 bytes.  A CR ending the piece is held back in *cr_pending
 * (false before the first piece) until the next piece says whether an LF
 * follows; at the message's end, a held CR is the message's last byte.
 * Returns the bytes written.  Pure; any thread.
 */
size_t backend_pop3_lf_piece(char *out, const char *in, size_t len, bool *cr_pending);

/* The 32 lower-case hex digits of MD5(timestamp password) for APOP into
 * out[33].  Pure; any thread. */
int backend_pop3_apop_digest(const char *timestamp, const char *password, char out[33],
                             struct err *err);

#endif
