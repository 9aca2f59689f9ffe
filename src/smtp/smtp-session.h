/*
 * smtp-session: the client side of an SMTP submission session (RFC 6409,
 * RFC 5321), as a state machine without I/O.
 *
 * The caller owns the connection.  It feeds what it reads with
 * smtp_session_feed() (or smtp_session_eof()), takes events with
 * smtp_session_next_event() until that returns 0, sends what
 * smtp_session_output() gives and reports it with smtp_session_consumed(),
 * and calls the command functions when an event calls for a decision:
 *
 *   new --> greeting 220 --> EHLO (HELO after a 5xx, if allowed)
 *       --> [STARTTLS --> EV_STARTTLS: caller handshakes --> tls_done
 *            --> EHLO again] --> EV_READY
 *   READY: auth() --> EV_AUTH_CHALLENGE* (auth_respond / auth_cancel)
 *                 --> EV_AUTH_DONE or EV_FAILED
 *          mail() --> MAIL, RCPT... --> EV_RCPTS (per-recipient results)
 *                 --> data() or rset()   (or EV_DATA_READY at once: below)
 *          data() --> EV_DATA_READY --> data_write()... data_end()
 *                 --> EV_SENT or EV_FAILED --> READY (next message)
 *          quit() --> EV_CLOSED
 *
 * With PIPELINING offered, MAIL and every RCPT go out in one batch
 * (RFC 2920; replies are matched to commands in order).  With CHUNKING and
 * PIPELINING offered, the message goes as BDAT chunks instead of DATA
 * (RFC 3030); without PIPELINING each chunk would cost a round trip, so
 * DATA is used.  When a refused recipient cannot change what is to be
 * done -- a single recipient (refused, none is left and the server must
 * refuse DATA or BDAT), or partial delivery accepted -- the message
 * follows the envelope without waiting for its replies, so it costs one
 * round trip:
 *   - with DATA, DATA goes in the batch; EV_RCPTS comes as usual, then
 *     data() (EV_DATA_READY after the 354) or rset() when none was
 *     accepted (a 354 then gets an empty message the server refuses);
 *   - with BDAT, EV_DATA_READY comes at once after mail(): the caller
 *     writes the message and ends it (the last chunk goes as BDAT LAST),
 *     and only then do EV_RCPTS (information: data() and rset() are not
 *     called) and EV_SENT or EV_FAILED (BDAT) come.  A refused MAIL is
 *     EV_FAILED (MAIL) and the chunks' replies are swallowed.
 * Otherwise (several recipients, partial delivery not acceptable) the
 * recipients' results come before anything of the message is sent, and
 * the caller chooses.  When a transaction may still be open on the server
 * after a refusal, the next mail() starts with RSET by itself.
 *
 * Safety rules kept here rather than left to each caller:
 *  - with params.starttls, nothing but EHLO and STARTTLS is sent before
 *    TLS, and a server without STARTTLS (or refusing it) is an error;
 *  - after STARTTLS's 220 nothing more is parsed until tls_done(), which
 *    drops every byte received in the meantime (they came in plain text:
 *    CVE-2020-14954), then asks for the capabilities again;
 *  - a 334 is accepted only in an AUTH exchange, and a challenge that is
 *    not base64 ends the session (never send a secret to a stray prompt);
 *  - a message larger than the server's SIZE is refused before anything
 *    is sent; addresses with control characters or angle brackets are
 *    refused (no command injection);
 *  - the terminating "." is added by the encoder (smtp-dot.h), so no
 *    message content can end the DATA phase early.
 *
 * A reply code 421 at any point ends the session with EV_CLOSED.  Errors
 * from next_event() (-1) are fatal for the session: protocol violations
 * (ERR_PROTO), refusal at greeting (ERR_REJECTED), a lost connection
 * (ERR_CONN), a missing STARTTLS (ERR_UNSUPPORTED or ERR_TLS).  A command
 * the server refuses is an EV_FAILED event instead, and the session stays
 * usable.  smtp_session_msg_state() tells whether the current message was
 * sent, was not, or might have been (connection lost after the final ".").
 *
 * Lifetimes: event fields point into the session and stay valid until the
 * next call on it.  Threads: a session belongs to one thread at a time.
 * Nothing blocks.
 */
#ifndef SMTP_SESSION_H
#define SMTP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"
#include "smtp/smtp-caps.h"
#include "smtp/smtp-reply.h"

#define SMTP_AUTH_ROUNDS_MAX_DEFAULT 16

/* Strings are copied by smtp_session_new(). */
struct smtp_params {
	const char *helo_name;    /* EHLO argument: our domain or an address literal */
	const char *server;       /* the server's name for messages; NULL: "the server" */
	bool starttls;            /* upgrade with STARTTLS first; refuse to go on without */
	bool require_ehlo;        /* never fall back to HELO (no extensions) */
	bool no_pipelining;       /* do not pipeline even when offered */
	bool no_chunking;         /* use DATA even when BDAT is possible */
	size_t line_max;          /* longest reply line; 0: SMTP_REPLY_LINE_MAX_DEFAULT */
	size_t lines_max;         /* most lines in a reply; 0: SMTP_REPLY_LINES_MAX_DEFAULT */
	unsigned auth_rounds_max; /* most 334 challenges; 0: SMTP_AUTH_ROUNDS_MAX_DEFAULT */
};

/* The commands, as events name them. */
enum smtp_cmd {
	SMTP_CMD_GREETING,
	SMTP_CMD_EHLO,
	SMTP_CMD_HELO,
	SMTP_CMD_STARTTLS,
	SMTP_CMD_AUTH,
	SMTP_CMD_MAIL,
	SMTP_CMD_RCPT,
	SMTP_CMD_DATA,
	SMTP_CMD_DOT, /* the end of the message: the reply that says sent or not */
	SMTP_CMD_BDAT,
	SMTP_CMD_RSET,
	SMTP_CMD_NOOP,
	SMTP_CMD_QUIT,
	SMTP_CMD_LAST
};

enum smtp_dsn_ret { SMTP_DSN_RET_DEFAULT, SMTP_DSN_RET_FULL, SMTP_DSN_RET_HDRS };

/* NOTIFY= bits (RFC 3461); 0 leaves NOTIFY out. */
#define SMTP_NOTIFY_NEVER 0x1
#define SMTP_NOTIFY_SUCCESS 0x2
#define SMTP_NOTIFY_FAILURE 0x4
#define SMTP_NOTIFY_DELAY 0x8

/* One message's envelope; strings are copied by smtp_session_mail(). */
struct smtp_envelope {
	const char *from;         /* reverse-path without <>; "" for the null sender */
	const char *const *rcpts; /* forward-paths without <> */
	size_t n_rcpts;
	uint64_t size;  /* octets as smtp_body_check counts them; 0: unknown */
	bool body_8bit; /* BODY=8BITMIME: the message has 8-bit bytes */
	bool smtputf8;  /* the headers need SMTPUTF8 (addresses are checked here) */
	/* Used only when the server offers DSN. */
	enum smtp_dsn_ret ret;
	const char *envid; /* ENVID=, sent xtext-encoded; NULL for none */
	unsigned notify;   /* SMTP_NOTIFY_* bits for every recipient */
	bool orcpt;        /* ORCPT=rfc822;address for ASCII recipients */
	/* Send to the recipients the server accepts even if it refuses
	   others.  With PIPELINING this lets the message go without waiting
	   for the recipients' replies (as with a single recipient). */
	bool partial_ok;
};

struct smtp_rcpt_result {
	const char *addr;
	bool accepted;
	int code; /* the server's reply */
	char enhanced[16];
	const char *text; /* the reply's text, lines joined with "\n" */
};

enum smtp_event_type {
	SMTP_EV_READY,          /* capabilities known: commands may be given */
	SMTP_EV_STARTTLS,       /* handshake now, then smtp_session_tls_done() */
	SMTP_EV_AUTH_CHALLENGE, /* answer challenge with auth_respond() or auth_cancel() */
	SMTP_EV_AUTH_DONE,      /* 235: authenticated */
	SMTP_EV_RCPTS,          /* every RCPT answered: data() or rset() */
	SMTP_EV_DATA_READY,     /* write the message: data_write()..., data_end() */
	SMTP_EV_SENT,           /* the server took the message (reply) */
	SMTP_EV_FAILED,         /* the server refused cmd (reply, err); the session goes on */
	SMTP_EV_DONE,           /* RSET or NOOP answered */
	SMTP_EV_CLOSED,         /* 221 to QUIT, or 421 (err says which): the session is over */
	SMTP_EV_LAST
};

struct smtp_event {
	enum smtp_event_type type;
	enum smtp_cmd cmd;              /* FAILED, DONE: the command answered */
	const struct smtp_reply *reply; /* the reply behind the event, or NULL */
	const char *challenge;          /* AUTH_CHALLENGE: base64, possibly "" */
	size_t n_accepted;              /* RCPTS */
	size_t n_rejected;              /* RCPTS */
	struct err err;                 /* FAILED, CLOSED: kind and a sentence */
};

/* What became of the message of the current (or last) transaction. */
enum smtp_msg_state {
	SMTP_MSG_NONE,     /* no message yet */
	SMTP_MSG_PENDING,  /* in progress */
	SMTP_MSG_NOT_SENT, /* refused, abandoned, or the connection was lost before its end */
	SMTP_MSG_UNKNOWN,  /* connection lost after the final "." before the reply */
	SMTP_MSG_SENT,     /* the server accepted it */
};

/* How the bytes of smtp_session_output() should be written and traced. */
enum smtp_out_kind {
	SMTP_OUT_TEXT,    /* commands: trace as they are */
	SMTP_OUT_SECRET,  /* SASL data, without the line end: never trace it */
	SMTP_OUT_PAYLOAD, /* message content: trace as a byte count */
};

struct smtp_output {
	const char *data;
	size_t len;
	enum smtp_out_kind kind;
};

struct smtp_session;

/* A new session waiting for the greeting.  Fails with ERR_USAGE on a
 * missing or malformed helo_name.  The caller frees it with
 * smtp_session_free().  Any thread. */
struct smtp_session *smtp_session_new(const struct smtp_params *params, struct err *err);
/* Frees the session (wiping copies of secrets); sets *session to NULL.
 * NULL is fine. */
void smtp_session_free(struct smtp_session **session);

/*
 * Bytes read from the server (copied).  Unparsed input stays in memory, so
 * feed what one read gave, then take events until next_event() returns 0
 * (answering what they ask) before reading again.  Bytes fed after
 * EV_STARTTLS are dropped unread; after EV_CLOSED or an error, ignored.
 */
void smtp_session_feed(struct smtp_session *s, const void *data, size_t len);
/* The server closed the connection. */
void smtp_session_eof(struct smtp_session *s);
/*
 * The next event: 1 with *ev filled, 0 when the session needs input or a
 * decision from the caller, -1 with err set when the session failed for
 * good (every later call returns -1 too).
 */
int smtp_session_next_event(struct smtp_session *s, struct smtp_event *ev, struct err *err);

/* The next run of bytes to send, all of one kind; 0 when there is none,
 * else 1.  *out stays valid until the next call on the session. */
int smtp_session_output(struct smtp_session *s, struct smtp_output *out);
/* n bytes of the output were sent (n <= the run's length). */
void smtp_session_consumed(struct smtp_session *s, size_t n);
/* Total bytes waiting to be sent, all runs together. */
size_t smtp_session_output_pending(const struct smtp_session *s);

/* Drops all input not yet parsed; returns how many bytes that was.  Used
 * after EV_STARTTLS (tls_done does it too). */
size_t smtp_session_discard_input(struct smtp_session *s);
/* The TLS handshake succeeded: drops buffered input and sends EHLO again;
 * only after EV_STARTTLS. */
int smtp_session_tls_done(struct smtp_session *s, struct err *err);

/* The capabilities of the last EHLO (all false after HELO). */
const struct smtp_caps *smtp_session_caps(const struct smtp_session *s);
/* True once STARTTLS completed (tls_done was called). */
bool smtp_session_tls_active(const struct smtp_session *s);

/*
 * AUTH with mechanism mech (offered by the server), with the base64
 * initial response when the mechanism has one (NULL: none; "": an empty
 * one, sent as "=").  An initial response that would make the command
 * longer than 512 octets waits for the server's empty challenge instead
 * (RFC 4954).  Only in READY.
 */
int smtp_session_auth(struct smtp_session *s, const char *mech, const char *initial,
                      struct err *err);
/* Answers EV_AUTH_CHALLENGE with base64 text (secret in the output). */
int smtp_session_auth_respond(struct smtp_session *s, const char *response, struct err *err);
/* Cancels the exchange ("*"); the server's refusal comes as EV_FAILED. */
int smtp_session_auth_cancel(struct smtp_session *s, struct err *err);

/*
 * Starts a message: MAIL FROM with the parameters the server offers and
 * the envelope asks for, then RCPT TO for each recipient.  Fails before
 * sending anything with ERR_REJECTED when env->size is over the server's
 * SIZE, ERR_UNSUPPORTED when the message needs 8BITMIME or SMTPUTF8 and
 * the server lacks it, ERR_USAGE on a bad address or no recipient.  Only
 * in READY.
 */
int smtp_session_mail(struct smtp_session *s, const struct smtp_envelope *env, struct err *err);
/* The recipients' results so far, in envelope order; valid until the next
 * smtp_session_mail(). */
const struct smtp_rcpt_result *smtp_session_rcpts(const struct smtp_session *s, size_t *n_r);
/* After EV_RCPTS: go on with the accepted recipients.  Fails with
 * ERR_REJECTED when none was accepted. */
int smtp_session_data(struct smtp_session *s, struct err *err);
/* Message bytes (any line ends), after EV_DATA_READY; payload in the
 * output.  Send the output before giving much more. */
int smtp_session_data_write(struct smtp_session *s, const void *data, size_t len, struct err *err);
/* The message is complete. */
int smtp_session_data_end(struct smtp_session *s, struct err *err);
/*
 * Abandons the transaction (after EV_RCPTS, or in READY) with RSET;
 * EV_DONE follows.  After EV_RCPTS with DATA already pipelined and some
 * recipient accepted, the only way out is closing the connection: fails
 * with ERR_USAGE.
 */
int smtp_session_rset(struct smtp_session *s, struct err *err);
int smtp_session_noop(struct smtp_session *s, struct err *err);
/* Ends the session; EV_CLOSED follows (also when the server just closes). */
int smtp_session_quit(struct smtp_session *s, struct err *err);

enum smtp_msg_state smtp_session_msg_state(const struct smtp_session *s);

/* Names for traces and tests: "EHLO", "READY". */
const char *smtp_cmd_name(enum smtp_cmd cmd);
const char *smtp_event_name(enum smtp_event_type type);

#endif
