/*
 * backend-smtp: sending mail through an SMTP submission server (RFC 6409).
 *
 * This binds the sans-I/O session of src/smtp to a net_conn: it connects
 * (implicit TLS for smtps://, STARTTLS for smtp:// with whatever the
 * server sent in plain text after its go-ahead thrown away), says EHLO
 * (HELO when the server refuses EHLO and TLS is not asked for),
 * authenticates through net_sasl with the strongest mechanism both sides
 * allow, and then sends any number of messages over the one connection:
 * MAIL FROM, a RCPT TO per recipient (pipelined when the server offers
 * PIPELINING), and the message as DATA with dot-stuffing or as BDAT
 * chunks when the server offers CHUNKING.  With one recipient, or with
 * partial_ok, DATA (or BDAT LAST with the message) goes in the same
 * write as MAIL and RCPT, so a message costs one round trip (a refused
 * recipient then makes the server refuse the message: nothing is
 * delivered, and the recipient's reply is what the result names).
 * Before anything is sent it
 * checks what the message needs from the server:
 *
 *   - a message larger than the server's SIZE is refused locally;
 *   - 8-bit text in the body goes as BODY=8BITMIME when the server offers
 *     it; otherwise, and for lines longer than 998 octets or NUL bytes,
 *     the body is re-encoded to 7 bit (mime-7bit.h) before sending;
 *   - non-ASCII addresses or raw 8-bit header text need SMTPUTF8, and are
 *     refused with a clear error by a server without it.
 *
 * Every message has an outcome: sent, not sent, or unknown (the
 * connection was lost after the end of the message went out and before
 * the server's answer).  The before_end hook runs just before the end of
 * the message goes out, so a caller can record that from then on the
 * server may have the message (the outbox's "sending" state).
 *
 * The protocol trace (LOG_CH_PROTO) shows every command and reply, with
 * SASL data masked and message contents as byte counts.
 *
 * Threads: a connection belongs to one thread at a time (the submission
 * worker).  Every function blocks on the network, bounded by the
 * timeouts and the cancel descriptor of the parameters.
 */
#ifndef BACKEND_SMTP_H
#define BACKEND_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "backend/backend.h"
#include "base/base-err.h"
#include "smtp/smtp-session.h"

enum backend_smtp_tls {
	BACKEND_SMTP_TLS_STARTTLS, /* smtp://: STARTTLS, and no going on without it */
	BACKEND_SMTP_TLS_IMPLICIT, /* smtps://: TLS from the first byte */
	BACKEND_SMTP_TLS_OPTIONAL, /* STARTTLS when the server offers it, else plain text */
	BACKEND_SMTP_TLS_NONE,     /* plain text throughout */
};

/* Strings are copied by backend_smtp_open(). */
struct backend_smtp_params {
	const char *host;
	const char *port; /* NULL: 465 for implicit TLS, else 587 */
	enum backend_smtp_tls tls;
	const char *tls_ca_file; /* NULL: the system's trusted certificates */
	bool tls_no_verify;      /* tls_verify=no */
	int connect_timeout_ms;  /* <= 0: net's default */
	int io_timeout_ms;       /* <= 0: net's default */
	int cancel_fd;           /* readable => ERR_CANCELLED; -1 for none */
	const char *helo_name;   /* EHLO argument; NULL: "localhost" */
	/* Authentication: with user NULL, none. */
	const char *user;
	const char *password;   /* NULL: no password mechanisms */
	const char *token;      /* OAuth 2.0 bearer token; NULL: no OAuth mechanisms */
	const char *mechanisms; /* allowed SASL mechanisms in order; NULL: the default order */
	bool allow_plaintext;   /* password mechanisms without TLS */
	bool no_pipelining;     /* for tests and broken servers */
	bool no_chunking;
};

/* Fills in the defaults: STARTTLS, verification on, no cancel fd. */
void backend_smtp_params_init(struct backend_smtp_params *params);

struct backend_smtp;

/*
 * Connects, greets, upgrades to TLS as asked and authenticates when a
 * user is given.  On success *conn_r is ready for messages and the caller
 * frees it with backend_smtp_close().  Errors name the server:
 * ERR_CONN or ERR_TIMEOUT (unreachable, a 4xx greeting, lost),
 * ERR_TLS, ERR_UNSUPPORTED (no STARTTLS, no common SASL mechanism),
 * ERR_AUTH (refused credentials), ERR_REJECTED (a 5xx greeting),
 * ERR_PROTO, ERR_CANCELLED.  Blocks; worker thread.
 */
int backend_smtp_open(const struct backend_smtp_params *params, struct backend_smtp **conn_r,
                      struct err *err);
/* The same over fd, a connected stream socket it takes over even on
 * failure (tests, tunnels); params->host and port only name the peer. */
int backend_smtp_open_fd(const struct backend_smtp_params *params, int fd,
                         struct backend_smtp **conn_r, struct err *err);
/* Says QUIT when the connection is still usable (without waiting for the
 * answer, which changes nothing), closes and frees; sets *conn to NULL.
 * NULL is fine. */
void backend_smtp_close(struct backend_smtp **conn);

/* False once the connection failed or the server closed it: the next
 * message needs a new connection. */
bool backend_smtp_usable(const struct backend_smtp *conn);
/* "host:port" for messages; valid while the connection lives. */
const char *backend_smtp_peer(const struct backend_smtp *conn);
/* The SASL mechanism used, or NULL when the session did not authenticate. */
const char *backend_smtp_auth_mech(const struct backend_smtp *conn);
/* What the server offered after TLS (its last EHLO). */
const struct smtp_caps *backend_smtp_caps(const struct backend_smtp *conn);
/* Watches fd (-1: nothing) as the cancel descriptor from now on: one per
 * job of the worker that keeps the connection. */
void backend_smtp_set_cancel_fd(struct backend_smtp *conn, int fd);

/* One message.  Strings and data are read during the call only. */
struct backend_smtp_msg {
	const char *from;         /* MAIL FROM, without <>; "" for the null sender */
	const char *const *rcpts; /* RCPT TO, bare addresses */
	size_t n_rcpts;
	const char *data; /* the message, LF or CRLF line ends */
	size_t len;
	/* Send to the recipients the server accepts when it refuses others;
	   false: send nothing unless every recipient is accepted. */
	bool partial_ok;
	/* Delivery status notifications, used when the server offers DSN:
	   SMTP_NOTIFY_* bits (0: the server's default), RET=, ENVID=. */
	unsigned dsn_notify;
	enum smtp_dsn_ret dsn_ret;
	const char *envid;
	/* Called (when not NULL) just before the end of the message goes
	   out: from then on the server may have it. */
	void (*before_end)(void *ctx);
	void *ctx;
	/* Bytes sent of the total; may be NULL. */
	const struct backend_progress *progress;
};

enum backend_smtp_status {
	BACKEND_SMTP_SENT,     /* the server accepted it for the accepted recipients */
	BACKEND_SMTP_NOT_SENT, /* refused, abandoned, or lost before its end went out */
	BACKEND_SMTP_UNKNOWN,  /* lost after its end went out, before the answer */
};

struct backend_smtp_rcpt {
	const char *addr;
	bool accepted;
	int code;          /* the reply to RCPT TO; 0 when none came */
	const char *reply; /* "550 5.1.1 text", sanitised; "" when accepted */
};

struct backend_smtp_result {
	enum backend_smtp_status status;
	/* Not sent, and a later try may work: a 4xx, a lost or timed-out
	   connection, a cancelled job.  False for 5xx and local refusals. */
	bool temporary;
	int code; /* the reply that decided the outcome; 0 for none */
	/* Per recipient, in envelope order; valid until the next send or
	   close on the connection.  Empty when MAIL FROM failed. */
	const struct backend_smtp_rcpt *rcpts;
	size_t n_rcpts;
	size_t n_accepted;
	bool reencoded; /* the body was re-encoded to 7 bit */
};

/*
 * Sends one message.  Returns 0 when the server accepted it (with
 * partial_ok, possibly for some recipients only: see result->rcpts), or
 * -1 with *err saying why and *result telling what became of it.  A
 * refused recipient is named with the server's reply (also in *err after
 * a partial success, which returns 0); a size over the
 * server's limit, 8-bit content or addresses it cannot take are refused
 * before anything is sent.  After a failure the connection may still be
 * usable (backend_smtp_usable()) for the next message.  Blocks; worker
 * thread.
 */
int backend_smtp_send(struct backend_smtp *conn, const struct backend_smtp_msg *msg,
                      struct backend_smtp_result *result, struct err *err);

#endif
