/*
 * imap-session: one IMAP connection's protocol state, without any I/O.
 *
 * The backend owns the socket.  It feeds what it reads with
 * imap_session_feed(), pulls events with imap_session_next_event(), sends
 * what imap_session_output() hands out and reports what went with
 * imap_session_consumed().  Commands are queued by the imap_cmd_*()
 * functions, which return the tag number their completion (IMAP_EV_DONE)
 * will carry.  Several commands may be in flight (pipelining) when
 * imap_session_can_send() allows it (RFC 3501 section 5.5).
 *
 * The session tracks what the protocol needs and a server may get wrong:
 * the state (RFC 3501 section 3), capabilities (dropped after STARTTLS and
 * after authentication), enabled extensions, and the selected mailbox's
 * message count, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, PERMANENTFLAGS and
 * access.  What a hostile server can break comes out as events, never as
 * out-of-bounds state: an EXPUNGE or FETCH past the message count is
 * dropped with IMAP_EV_WARNING, a message count going backwards or a
 * changed UIDVALIDITY raises IMAP_EV_RESYNC, an unsolicited BYE raises
 * IMAP_EV_BYE.  A tagged response for no command in flight, a "+" nobody
 * waits for, data after "OK" to STARTTLS and every parser bound are
 * errors (-1, ERR_PROTO) that end the session.
 *
 * Never counts on the message count for memory: no array is sized from
 * EXISTS here, and the backend should not either.
 *
 * Synchronising literals: a command with one sends its bytes up to the
 * literal count; output then stops until the server's "+" arrives, and
 * commands queued behind it wait too.  If the server answers NO instead,
 * the rest of that command is dropped.
 *
 * Lifetimes: an event and everything it points to are valid until the
 * next call of imap_session_next_event(), imap_session_feed() or
 * imap_session_free().  Output bytes are valid until the next call that
 * changes the session.
 *
 * Not thread-safe: one session belongs to one worker thread.  Nothing
 * here blocks.
 */
#ifndef IMAP_SESSION_H
#define IMAP_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-err.h"
#include "imap/imap-parser.h"

enum imap_state {
	IMAP_STATE_GREETING, /* connected, no greeting yet */
	IMAP_STATE_NOT_AUTHENTICATED,
	IMAP_STATE_AUTHENTICATED,
	IMAP_STATE_SELECTED,
	IMAP_STATE_LOGOUT, /* BYE received: the server is closing */
};

enum imap_cmd_kind {
	IMAP_CMD_CAPABILITY,
	IMAP_CMD_ID,
	IMAP_CMD_STARTTLS,
	IMAP_CMD_LOGIN,
	IMAP_CMD_AUTHENTICATE,
	IMAP_CMD_ENABLE,
	IMAP_CMD_COMPRESS,
	IMAP_CMD_NAMESPACE,
	IMAP_CMD_LIST,
	IMAP_CMD_LSUB,
	IMAP_CMD_CREATE,
	IMAP_CMD_DELETE,
	IMAP_CMD_RENAME,
	IMAP_CMD_SUBSCRIBE,
	IMAP_CMD_UNSUBSCRIBE,
	IMAP_CMD_STATUS,
	IMAP_CMD_APPEND,
	IMAP_CMD_SELECT,
	IMAP_CMD_EXAMINE,
	IMAP_CMD_CLOSE,
	IMAP_CMD_UNSELECT,
	IMAP_CMD_EXPUNGE,
	IMAP_CMD_UID_EXPUNGE,
	IMAP_CMD_FETCH,
	IMAP_CMD_UID_FETCH,
	IMAP_CMD_STORE,
	IMAP_CMD_UID_STORE,
	IMAP_CMD_COPY,
	IMAP_CMD_UID_COPY,
	IMAP_CMD_MOVE,
	IMAP_CMD_UID_MOVE,
	IMAP_CMD_SEARCH,
	IMAP_CMD_UID_SEARCH,
	IMAP_CMD_IDLE,
	IMAP_CMD_NOOP,
	IMAP_CMD_LOGOUT,
	IMAP_CMD_COUNT
};

/* Capabilities the session itself looks at; any other is asked by name. */
enum imap_cap {
	IMAP_CAP_IMAP4REV1 = 1u << 0,
	IMAP_CAP_IMAP4REV2 = 1u << 1,
	IMAP_CAP_STARTTLS = 1u << 2,
	IMAP_CAP_LOGINDISABLED = 1u << 3,
	IMAP_CAP_SASL_IR = 1u << 4,
	IMAP_CAP_LITERAL_PLUS = 1u << 5,
	IMAP_CAP_LITERAL_MINUS = 1u << 6,
	IMAP_CAP_IDLE = 1u << 7,
	IMAP_CAP_ID = 1u << 8,
	IMAP_CAP_ENABLE = 1u << 9,
	IMAP_CAP_NAMESPACE = 1u << 10,
	IMAP_CAP_UIDPLUS = 1u << 11,
	IMAP_CAP_MOVE = 1u << 12,
	IMAP_CAP_CONDSTORE = 1u << 13,
	IMAP_CAP_QRESYNC = 1u << 14,
	IMAP_CAP_ESEARCH = 1u << 15,
	IMAP_CAP_LIST_EXTENDED = 1u << 16,
	IMAP_CAP_LIST_STATUS = 1u << 17,
	IMAP_CAP_SPECIAL_USE = 1u << 18,
	IMAP_CAP_UTF8_ACCEPT = 1u << 19,
	IMAP_CAP_COMPRESS_DEFLATE = 1u << 20,
	IMAP_CAP_UNSELECT = 1u << 21,
	IMAP_CAP_BINARY = 1u << 22,
	IMAP_CAP_CHILDREN = 1u << 23,
};

/* Extensions turned on with ENABLE (RFC 5161), as the server confirmed. */
enum imap_enabled {
	IMAP_ENABLED_CONDSTORE = 1u << 0,
	IMAP_ENABLED_QRESYNC = 1u << 1,
	IMAP_ENABLED_UTF8_ACCEPT = 1u << 2,
	IMAP_ENABLED_IMAP4REV2 = 1u << 3,
};

struct imap_session_params {
	struct imap_parser_params parser; /* zeros take the parser's defaults */
	int tls;             /* the connection is under TLS from the start (imaps) */
	int allow_plaintext; /* passwords may go without TLS (a local test server) */
	int require_tls;     /* before TLS only CAPABILITY, NOOP, STARTTLS and LOGOUT
			      * may be sent, and a PREAUTH greeting is an error */
	size_t command_max;  /* bytes of a command line, literals apart [8192] */
	const char *tag_prefix; /* tags are prefix + number ["a"] */
};

#define IMAP_SESSION_COMMAND_MAX 8192

enum imap_event_kind {
	IMAP_EV_GREETING, /* the server said OK or PREAUTH: resp */
	IMAP_EV_DONE,     /* a command completed: tag, cmd, status, resp (code, text) */
	IMAP_EV_CONTINUE, /* "+" for AUTHENTICATE (a challenge) or IDLE (idling): tag, text */
	IMAP_EV_DATA,     /* untagged data for the caller: resp (CAPABILITY, LIST,
			   * STATUS, SEARCH, ESEARCH, FLAGS, RECENT, NAMESPACE,
			   * ID, ENABLED, OTHER) */
	IMAP_EV_NOTICE,   /* untagged OK/NO/BAD: resp (ALERT and other codes) */
	IMAP_EV_EXISTS,   /* the message count is now `count` (grown, or set by SELECT) */
	IMAP_EV_EXPUNGE,  /* message `count` is gone; later ones moved down */
	IMAP_EV_VANISHED, /* resp->u.vanished: UIDs gone (EARLIER: before this session) */
	IMAP_EV_FETCH,    /* resp->u.fetch, sequence number checked */
	IMAP_EV_FETCH_CHUNK, /* resp->u.chunk: bytes of a streamed body section */
	IMAP_EV_WARNING,  /* a server response was ignored: text says why */
	IMAP_EV_RESYNC,   /* the mailbox state cannot be trusted: reselect; text */
	IMAP_EV_BYE,      /* the server is closing the connection: text */
};

struct imap_event {
	enum imap_event_kind kind;
	const struct imap_response *resp; /* NULL for RESYNC and WARNING without one */
	uint32_t tag;                     /* DONE, CONTINUE */
	enum imap_cmd_kind cmd;           /* DONE, CONTINUE */
	enum imap_status status;          /* DONE: OK, NO or BAD */
	uint32_t count;                   /* EXISTS, EXPUNGE */
	const char *text;                 /* WARNING, RESYNC, BYE, CONTINUE */
};

/* What the session knows about the selected mailbox. */
struct imap_mailbox_state {
	uint32_t exists, recent;
	uint32_t uidvalidity, uidnext, unseen; /* 0 when not sent */
	uint64_t highestmodseq;                /* 0 when not sent or NOMODSEQ */
	int nomodseq;
	unsigned permanentflags; /* enum imap_flag bits; IMAP_FLAG_ANY_KEYWORD for \* */
	int have_permanentflags;
	int read_only;
};

struct imap_list_opts {
	int subscribed;  /* only subscribed mailboxes: LIST (SUBSCRIBED), or LSUB */
	int children;    /* RETURN (CHILDREN) */
	int special_use; /* RETURN (SPECIAL-USE) */
	unsigned status; /* RETURN (STATUS (...)): enum imap_status_item bits */
};

struct imap_select_opts {
	int examine;   /* read-only */
	int condstore; /* (CONDSTORE) */
	/* (QRESYNC (uidvalidity modseq [uids])) when qresync_uidvalidity != 0;
	 * needs QRESYNC enabled.  qresync_uids: a set of known UIDs or NULL. */
	uint32_t qresync_uidvalidity;
	uint64_t qresync_modseq;
	const char *qresync_uids;
};

struct imap_search_key {
	const char *key;   /* search key text as sent: "UNSEEN", "LARGER 5000", "FROM" */
	const char *value; /* a string argument to quote, or NULL */
};

enum imap_store_op {
	IMAP_STORE_ADD,     /* +FLAGS */
	IMAP_STORE_REMOVE,  /* -FLAGS */
	IMAP_STORE_REPLACE, /* FLAGS */
};

struct imap_session;

const char *imap_state_name(enum imap_state state);
const char *imap_cmd_name(enum imap_cmd_kind cmd);

/* A session for a new connection; params may be NULL.  Free with
 * imap_session_free(), which drops queued output. */
struct imap_session *imap_session_new(const struct imap_session_params *params);
void imap_session_free(struct imap_session **session);

/* ---- bytes in, events out ---- */

/* Bytes read from the connection (copied). */
void imap_session_feed(struct imap_session *s, const void *data, size_t len);
/* The server closed the connection: the next events end the session. */
void imap_session_eof(struct imap_session *s);
/*
 * Returns 1 with the next event in *ev_r, 0 when more input is needed, -1
 * on an error that ends the session (err filled: ERR_PROTO for a broken
 * server, ERR_CONN for a connection closed early).
 */
int imap_session_next_event(struct imap_session *s, struct imap_event *ev_r, struct err *err);

/* ---- bytes out ---- */

/*
 * Returns 1 with bytes to send in *data_r and *len_r, 0 when there is nothing
 * to send now (all sent, or waiting for a "+").  The bytes are all secret
 * or all not (*secret_r), so a trace can mask a password or SASL data.
 */
int imap_session_output(struct imap_session *s, const char **data_r, size_t *len_r,
			int *secret_r);
/* n bytes of the last output went out. */
void imap_session_consumed(struct imap_session *s, size_t n);

/* ---- state ---- */

enum imap_state imap_session_state(const struct imap_session *s);
/* enum imap_cap bits; 0 until the server told them. */
unsigned imap_session_caps(const struct imap_session *s);
/* 1 when the capability `name` (any case, e.g. "AUTH=PLAIN") is offered. */
int imap_session_has_cap(const struct imap_session *s, const char *name);
/* 0 when capabilities must be asked again (after STARTTLS or login). */
int imap_session_caps_known(const struct imap_session *s);
unsigned imap_session_enabled(const struct imap_session *s);
/* The selected mailbox, or NULL outside IMAP_STATE_SELECTED. */
const struct imap_mailbox_state *imap_session_mailbox(const struct imap_session *s);
/* 1 when the connection is under TLS. */
int imap_session_tls(const struct imap_session *s);
/* Commands in flight (sent or queued, not completed). */
size_t imap_session_in_flight(const struct imap_session *s);
/*
 * 1 when a command of this kind may be queued now: right state, and the
 * pipelining rules hold (nothing is queued behind STARTTLS, COMPRESS,
 * AUTHENTICATE, LOGIN, SELECT, EXAMINE, CLOSE, UNSELECT, ENABLE, IDLE or
 * LOGOUT, nor are those queued behind anything; a command using sequence
 * numbers only follows FETCH, STORE or SEARCH by sequence number).  On 0,
 * *why_r says why (static text).
 */
int imap_session_can_send(const struct imap_session *s, enum imap_cmd_kind cmd,
			  const char **why_r);

/* After IMAP_EV_DONE OK for STARTTLS and a completed TLS handshake. */
void imap_session_tls_started(struct imap_session *s);
/*
 * After IMAP_EV_DONE OK for COMPRESS: from here the server's bytes are
 * deflated.  Bytes already fed after the OK are handed back in
 * *data_r and *len_r (valid until the next call on the session) to be
 * inflated and fed again.
 */
void imap_session_compress_started(struct imap_session *s, const char **data_r, size_t *len_r);

/* ---- commands ----
 *
 * Each queues one command and puts its tag number in *tag_r, or returns -1
 * (ERR_USAGE: not allowed now or bad argument; ERR_UNSUPPORTED: the server
 * lacks the extension; ERR_TLS: a password would go in clear).  Strings
 * are UTF-8.  Mailbox names and LIST patterns are the server's own names,
 * as LIST gave them (struct imap_mailbox.raw), so even a name that is not
 * valid modified UTF-7 goes back exactly; a name a user typed goes through
 * imap_session_encode_mailbox() first.  `set` arguments are sequence sets
 * (imap_seqset_format() cuts long UID lists).
 */
/* Appends the server's form of a UTF-8 mailbox name to out (modified
 * UTF-7, or UTF-8 once UTF8=ACCEPT or IMAP4rev2 is enabled); -1 with
 * ERR_USAGE when the name is not valid UTF-8. */
int imap_session_encode_mailbox(const struct imap_session *s, const char *name, struct str *out,
				struct err *err);
int imap_cmd_capability(struct imap_session *s, uint32_t *tag_r, struct err *err);
int imap_cmd_noop(struct imap_session *s, uint32_t *tag_r, struct err *err);
int imap_cmd_logout(struct imap_session *s, uint32_t *tag_r, struct err *err);
/* ID with NULL-terminated name/value pairs, or NIL when fields is NULL. */
int imap_cmd_id(struct imap_session *s, const char *const *fields, uint32_t *tag_r,
		struct err *err);
int imap_cmd_starttls(struct imap_session *s, uint32_t *tag_r, struct err *err);
/* LOGIN: only under TLS or with allow_plaintext, never with LOGINDISABLED. */
int imap_cmd_login(struct imap_session *s, const char *user, const char *password,
		   uint32_t *tag_r, struct err *err);
/*
 * AUTHENTICATE mech, with the base64 initial response on the command line
 * when the server offers SASL-IR (initial_response "" sends "="), else
 * after the first "+".  Each later challenge comes as IMAP_EV_CONTINUE;
 * answer with imap_session_auth_response().  PLAIN, LOGIN, XOAUTH2 and
 * OAUTHBEARER carry secrets and follow LOGIN's TLS rule.
 */
int imap_cmd_authenticate(struct imap_session *s, const char *mech,
			  const char *initial_response, uint32_t *tag_r, struct err *err);
/* A base64 line answering a challenge ("*" cancels); sent as secret. */
int imap_session_auth_response(struct imap_session *s, const char *line, struct err *err);
/* ENABLE with IMAP_ENABLED_* bits. */
int imap_cmd_enable(struct imap_session *s, unsigned what, uint32_t *tag_r, struct err *err);
int imap_cmd_compress(struct imap_session *s, uint32_t *tag_r, struct err *err);
int imap_cmd_namespace(struct imap_session *s, uint32_t *tag_r, struct err *err);
/* LIST ref pattern, with selection and return options when offered
 * (ERR_UNSUPPORTED when asked for options the server lacks); LSUB when
 * only subscribed ones are asked and LIST-EXTENDED is not offered. */
int imap_cmd_list(struct imap_session *s, const char *ref, const char *pattern,
		  const struct imap_list_opts *opts, uint32_t *tag_r, struct err *err);
int imap_cmd_create(struct imap_session *s, const char *mailbox, uint32_t *tag_r,
		    struct err *err);
int imap_cmd_delete(struct imap_session *s, const char *mailbox, uint32_t *tag_r,
		    struct err *err);
int imap_cmd_rename(struct imap_session *s, const char *from, const char *to, uint32_t *tag_r,
		    struct err *err);
int imap_cmd_subscribe(struct imap_session *s, const char *mailbox, int subscribe,
		       uint32_t *tag_r, struct err *err);
/* STATUS mailbox (items): enum imap_status_item bits. */
int imap_cmd_status(struct imap_session *s, const char *mailbox, unsigned items,
		    uint32_t *tag_r, struct err *err);
/* APPEND; flags may be NULL, date 0 for none.  APPENDUID comes in the
 * completion's code. */
int imap_cmd_append(struct imap_session *s, const char *mailbox, const char *const *flags,
		    size_t n_flags, time_t date, const char *data, size_t len, uint32_t *tag_r,
		    struct err *err);
int imap_cmd_select(struct imap_session *s, const char *mailbox,
		    const struct imap_select_opts *opts, uint32_t *tag_r, struct err *err);
/* CLOSE (expunges \Deleted messages) or, when expunge is 0, UNSELECT. */
int imap_cmd_close(struct imap_session *s, int expunge, uint32_t *tag_r, struct err *err);
/* EXPUNGE, or UID EXPUNGE set (UIDPLUS) when set is not NULL. */
int imap_cmd_expunge(struct imap_session *s, const char *set, uint32_t *tag_r,
		     struct err *err);
/* [UID] FETCH set (items) [(CHANGEDSINCE m [VANISHED])]; items is the
 * item list's inside ("UID FLAGS ENVELOPE", "BODY.PEEK[2]<0.65536>"). */
int imap_cmd_fetch(struct imap_session *s, int uid, const char *set, const char *items,
		   uint64_t changedsince, int vanished, uint32_t *tag_r, struct err *err);
/* [UID] STORE set [(UNCHANGEDSINCE m)] [+-]FLAGS[.SILENT] (flags). */
int imap_cmd_store(struct imap_session *s, int uid, const char *set, enum imap_store_op op,
		   int silent, const char *const *flags, size_t n_flags, uint64_t unchangedsince,
		   uint32_t *tag_r, struct err *err);
/* [UID] COPY or, with move, [UID] MOVE (RFC 6851). */
int imap_cmd_copy(struct imap_session *s, int uid, int move, const char *set,
		  const char *mailbox, uint32_t *tag_r, struct err *err);
/* [UID] SEARCH [RETURN (...)] [CHARSET UTF-8] keys; `ret` takes
 * enum imap_esearch_item bits (MIN MAX COUNT ALL) and needs ESEARCH. */
int imap_cmd_search(struct imap_session *s, int uid, unsigned ret,
		    const struct imap_search_key *keys, size_t n_keys, uint32_t *tag_r,
		    struct err *err);
/* IDLE; the server's "+" comes as IMAP_EV_CONTINUE.  End it with
 * imap_session_idle_done(). */
int imap_cmd_idle(struct imap_session *s, uint32_t *tag_r, struct err *err);
/* Sends DONE (once the server accepted IDLE). */
int imap_session_idle_done(struct imap_session *s, struct err *err);

#endif
