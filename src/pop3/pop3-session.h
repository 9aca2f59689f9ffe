/*
 * pop3-session: the client side of a POP3 session (RFC 1939, RFC 2449,
 * RFC 2595, RFC 5034) as a state machine without I/O.
 *
 * The caller owns the connection.  It feeds what it reads with
 * pop3_session_feed() (or pop3_session_eof()), takes events with
 * pop3_session_next_event() until that returns 0, sends what
 * pop3_session_output() gives and reports it with pop3_session_consumed(),
 * and calls the command functions:
 *
 *   AUTHORIZATION: greeting +OK --> CAPA --> [STLS --> EV_STLS: caller
 *       handshakes --> tls_done --> CAPA again] --> EV_READY
 *     user_pass() / apop() / auth() (EV_AUTH_CHALLENGE...) --> EV_LOGGED_IN
 *   TRANSACTION: stat, list, uidl, top, retr, dele, rset, noop, capa;
 *       answers come as events in the order the commands were given
 *   UPDATE: quit() --> EV_CLOSED with the update result
 *
 * Each command's answer ends with one event: EV_FAILED for -ERR, else
 * EV_LOGGED_IN (USER/PASS, APOP, AUTH), EV_STAT, EV_LIST or EV_UIDL (with a
 * message number), EV_MSG_END (RETR, TOP), EV_CLOSED (QUIT) or EV_DONE
 * (the rest, and LIST, UIDL and CAPA lists).  LIST and UIDL without a
 * message number give one EV_LIST or EV_UIDL per line first, so no list is
 * ever held whole; RETR and TOP give EV_MSG_BEGIN and EV_MSG_DATA pieces
 * (dot-unstuffed, line ends as the server sent them), so no message is
 * ever held whole.  With PIPELINING, commands may be given while earlier
 * ones are still unanswered, even behind USER and PASS (dropped if the
 * login fails) and before QUIT.
 * A message whose size differs from the one given to retr() (from LIST)
 * gets EV_SIZE_MISMATCH before EV_MSG_END: the caller decides.  A
 * connection lost inside a message gives EV_MSG_INCOMPLETE, then the
 * error: a partial message never looks complete.
 *
 * Deleting is safe only in one order (RFC 1939 section 6): DELE marks,
 * and the server deletes only when QUIT is answered +OK.
 * pop3_session_update() says what happened: nothing deleted (connection
 * lost before QUIT, or QUIT in AUTHORIZATION), deleted, unknown (QUIT sent,
 * no answer), or failed (-ERR to QUIT).
 *
 * With PIPELINING offered, commands of the TRANSACTION state (and USER
 * with PASS) go out without waiting for answers (RFC 2449 section 6.6);
 * otherwise they wait in the session for their turn.  With params.stls, nothing but CAPA and STLS is sent in plain text, a
 * server that does not list STLS is an error, and after the +OK to STLS
 * nothing is parsed until tls_done(), which drops every byte received in
 * between (CVE-2020-14954).  PASS, APOP and AUTH responses are marked
 * secret in the output.
 *
 * Hard limits are parameters: line length, lines in a list, message size.
 *
 * Lifetimes: event fields point into the session and stay valid until the
 * next call on it.  Threads: a session belongs to one thread at a time.
 * Nothing blocks.
 */
#ifndef POP3_SESSION_H
#define POP3_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"
#include "pop3/pop3-parse.h"
#include "pop3/pop3-reply.h"

#define POP3_LINES_MAX_DEFAULT 1000000
#define POP3_AUTH_ROUNDS_MAX_DEFAULT 16
/* For retr(): no size known to compare with. */
#define POP3_SIZE_UNKNOWN UINT64_MAX

/* Strings are copied by pop3_session_new(). */
struct pop3_params {
	const char *server;       /* the server's name for messages; NULL: "the server" */
	bool stls;                /* upgrade with STLS first; refuse to go on without */
	bool no_pipelining;       /* do not pipeline even when offered */
	size_t line_max;          /* longest response line; 0: POP3_LINE_MAX_DEFAULT */
	size_t lines_max;         /* most lines in a LIST, UIDL or CAPA answer; 0: default */
	uint64_t msg_max;         /* largest RETR/TOP answer in octets; 0: no limit */
	unsigned auth_rounds_max; /* most "+ " challenges; 0: default */
};

enum pop3_cmd {
	POP3_CMD_GREETING,
	POP3_CMD_CAPA,
	POP3_CMD_STLS,
	POP3_CMD_USER,
	POP3_CMD_PASS,
	POP3_CMD_APOP,
	POP3_CMD_AUTH,
	POP3_CMD_STAT,
	POP3_CMD_LIST,
	POP3_CMD_UIDL,
	POP3_CMD_TOP,
	POP3_CMD_RETR,
	POP3_CMD_DELE,
	POP3_CMD_RSET,
	POP3_CMD_NOOP,
	POP3_CMD_QUIT,
	POP3_CMD_LAST
};

enum pop3_event_type {
	POP3_EV_READY,          /* AUTHORIZATION, capabilities known (text: the greeting) */
	POP3_EV_STLS,           /* handshake now, then pop3_session_tls_done() */
	POP3_EV_AUTH_CHALLENGE, /* answer with auth_respond() or auth_cancel() */
	POP3_EV_LOGGED_IN,      /* TRANSACTION state */
	POP3_EV_STAT,           /* count, size */
	POP3_EV_LIST,           /* msg, size: one message */
	POP3_EV_UIDL,           /* msg, uid (NULL when malformed: err says why) */
	POP3_EV_MSG_BEGIN,      /* RETR/TOP: msg; the message follows */
	POP3_EV_MSG_DATA,       /* data, len: the next piece of the message */
	POP3_EV_SIZE_MISMATCH,  /* msg, expected (retr's size), size (received) */
	POP3_EV_MSG_END,        /* msg, size: the message is complete */
	POP3_EV_MSG_INCOMPLETE, /* msg, size received: the connection broke in it */
	POP3_EV_DONE,           /* cmd (and msg) answered +OK, or a list ended */
	POP3_EV_FAILED,         /* cmd (and msg) answered -ERR: code, err; the session goes on */
	POP3_EV_CLOSED,         /* QUIT answered: update */
	POP3_EV_LAST
};

enum pop3_update {
	POP3_UPDATE_NONE,    /* nothing was deleted: no QUIT in TRANSACTION state was sent */
	POP3_UPDATE_UNKNOWN, /* QUIT was sent but not answered: deletions may have happened */
	POP3_UPDATE_DONE,    /* QUIT answered +OK: the marked messages are gone */
	POP3_UPDATE_FAILED,  /* QUIT answered -ERR: some marked messages may remain */
};

struct pop3_event {
	enum pop3_event_type type;
	enum pop3_cmd cmd;       /* DONE, FAILED: the command answered */
	unsigned long msg;       /* the message number, where one applies */
	unsigned long count;     /* STAT */
	uint64_t size;           /* STAT, LIST, MSG_END, MSG_INCOMPLETE, SIZE_MISMATCH */
	uint64_t expected;       /* SIZE_MISMATCH */
	const char *uid;         /* UIDL */
	const char *data;        /* MSG_DATA */
	size_t len;              /* MSG_DATA */
	const char *text;        /* the server's text on the status line, or "" */
	const char *code;        /* its RFC 2449 response code ("IN-USE"), or "" */
	enum pop3_update update; /* CLOSED */
	struct err err;          /* FAILED, UIDL with uid NULL */
};

enum pop3_out_kind {
	POP3_OUT_TEXT,   /* trace as it is */
	POP3_OUT_SECRET, /* PASS, APOP and SASL data, without the line end: never trace it */
};

struct pop3_output {
	const char *data;
	size_t len;
	enum pop3_out_kind kind;
};

struct pop3_session;

/* A new session waiting for the greeting; the caller frees it with
 * pop3_session_free().  Any thread. */
struct pop3_session *pop3_session_new(const struct pop3_params *params);
/* Frees the session (wiping copies of secrets); sets *session to NULL.
 * NULL is fine. */
void pop3_session_free(struct pop3_session **session);

/*
 * Bytes read from the server (copied).  Unparsed input stays in memory, so
 * feed what one read gave, then take events until next_event() returns 0
 * (answering what they ask) before reading again.  Bytes fed after
 * EV_STLS are dropped unread; after EV_CLOSED or an error, ignored.
 */
void pop3_session_feed(struct pop3_session *s, const void *data, size_t len);
/* The server closed the connection. */
void pop3_session_eof(struct pop3_session *s);
/* The next event: 1 with *ev filled, 0 when the session needs input or a
 * decision, -1 with err set when it failed for good (and on every later
 * call). */
int pop3_session_next_event(struct pop3_session *s, struct pop3_event *ev, struct err *err);

/* The next run of bytes to send, all of one kind: 1, or 0 when there is
 * none.  *out stays valid until the next call on the session. */
int pop3_session_output(struct pop3_session *s, struct pop3_output *out);
void pop3_session_consumed(struct pop3_session *s, size_t n);
size_t pop3_session_output_pending(const struct pop3_session *s);

/* Drops all input not yet parsed; returns how many bytes. */
size_t pop3_session_discard_input(struct pop3_session *s);
/* The TLS handshake after EV_STLS succeeded: drops buffered input and asks
 * for the capabilities again. */
int pop3_session_tls_done(struct pop3_session *s, struct err *err);

const struct pop3_caps *pop3_session_caps(const struct pop3_session *s);
/* The greeting's APOP timestamp ("<...@...>"), or NULL. */
const char *pop3_session_apop_timestamp(const struct pop3_session *s);
bool pop3_session_tls_active(const struct pop3_session *s);
enum pop3_update pop3_session_update(const struct pop3_session *s);
/* Messages marked deleted (DELE answered +OK) and not reset. */
unsigned long pop3_session_marked(const struct pop3_session *s);

/* AUTHORIZATION commands; in AUTHORIZATION after EV_READY only. */
int pop3_session_user_pass(struct pop3_session *s, const char *user, const char *pass,
                           struct err *err);
/* digest: the 32 hex digits of MD5(timestamp + secret), computed by the
 * caller.  Fails with ERR_UNSUPPORTED when the greeting had no timestamp. */
int pop3_session_apop(struct pop3_session *s, const char *user, const char *digest,
                      struct err *err);
/* AUTH mech [initial] (RFC 5034); initial is base64 ("" is sent as "="),
 * NULL for none; one making the line longer than 255 octets waits for the
 * server's first, empty, challenge. */
int pop3_session_auth(struct pop3_session *s, const char *mech, const char *initial,
                      struct err *err);
int pop3_session_auth_respond(struct pop3_session *s, const char *response, struct err *err);
int pop3_session_auth_cancel(struct pop3_session *s, struct err *err);

/* TRANSACTION commands.  msg 0 means "all" for list and uidl. */
int pop3_session_stat(struct pop3_session *s, struct err *err);
int pop3_session_list(struct pop3_session *s, unsigned long msg, struct err *err);
int pop3_session_uidl(struct pop3_session *s, unsigned long msg, struct err *err);
int pop3_session_top(struct pop3_session *s, unsigned long msg, unsigned long lines,
                     struct err *err);
/* expected: the message's size from LIST, or POP3_SIZE_UNKNOWN. */
int pop3_session_retr(struct pop3_session *s, unsigned long msg, uint64_t expected,
                      struct err *err);
int pop3_session_dele(struct pop3_session *s, unsigned long msg, struct err *err);
int pop3_session_rset(struct pop3_session *s, struct err *err);
int pop3_session_noop(struct pop3_session *s, struct err *err);
/* CAPA again (in either state); EV_DONE when the new capabilities are in. */
int pop3_session_capa(struct pop3_session *s, struct err *err);
/* Ends the session (either state); EV_CLOSED follows. */
int pop3_session_quit(struct pop3_session *s, struct err *err);

const char *pop3_cmd_name(enum pop3_cmd cmd);
const char *pop3_event_name(enum pop3_event_type type);

#endif
