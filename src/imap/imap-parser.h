/*
 * imap-parser: IMAP server responses from bytes, without any I/O.
 *
 * The caller feeds whatever bytes arrived (split anywhere) and pulls
 * complete responses: tagged completions, untagged status and data
 * responses, and continuation requests (RFC 3501 section 7, RFC 9051 and
 * the extensions petrel speaks).  Each response comes out twice: as a
 * generic tree of arguments (atoms, strings, NIL, lists) and, for every
 * response petrel knows, as a typed structure (struct imap_response).
 *
 * Hard bounds are parameters (struct imap_parser_params).  Breaking one is
 * an error for the connection: imap_parser_next() returns -1 with an
 * ERR_PROTO error and every later call fails the same way.  So are bytes
 * that lose the framing (a bad literal count, a NUL byte in a line: NUL is
 * never accepted outside literals, since C strings would cut there).  A
 * response that frames correctly but does not match the grammar of its
 * kind comes out as IMAP_RESP_MALFORMED, and a malformed response code or
 * FETCH item is marked on its own, so one odd field never ends a session.
 * Lines end with CRLF; a bare LF is accepted as a line end too.
 *
 * Large payloads stream: a literal of more than `stream_min` bytes that is
 * the value of a FETCH body item (BODY[...], BINARY[...], RFC822,
 * RFC822.HEADER, RFC822.TEXT) is handed out as IMAP_RESP_FETCH_CHUNK
 * responses as its bytes arrive, and the final FETCH response marks the
 * item as streamed.  Memory stays bounded whatever the literal's size.
 *
 * Lifetimes: a response, every string and argument in it, and a chunk's
 * bytes are valid until the next call of imap_parser_next(),
 * imap_parser_feed() or imap_parser_free() on the same parser.
 *
 * Not thread-safe: a parser belongs to one connection and one thread.
 * Nothing here blocks.
 */
#ifndef IMAP_PARSER_H
#define IMAP_PARSER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "imap/imap-seqset.h"

/* Every bound; a field left 0 takes the default in brackets. */
struct imap_parser_params {
	size_t line_max;         /* bytes of one line between literals [1 MiB] */
	size_t literal_max;      /* bytes of any literal, streamed or not [64 MiB] */
	size_t response_max;     /* memory for one response, buffered literals
				  * included [32 MiB] */
	size_t stream_min;       /* body literals above this stream as chunks
				  * [256 KiB]; SIZE_MAX never streams */
	unsigned depth_max;      /* nesting of parenthesised lists [100] */
	unsigned list_items_max; /* items in one list or response [1,000,000] */
};

#define IMAP_PARSER_LINE_MAX ((size_t)1 << 20)
#define IMAP_PARSER_LITERAL_MAX ((size_t)64 << 20)
#define IMAP_PARSER_RESPONSE_MAX ((size_t)32 << 20)
#define IMAP_PARSER_STREAM_MIN ((size_t)256 << 10)
#define IMAP_PARSER_DEPTH_MAX 100
#define IMAP_PARSER_LIST_ITEMS_MAX 1000000

/* ---- The generic argument tree ---- */

enum imap_arg_type {
	IMAP_ARG_NIL,
	IMAP_ARG_ATOM,     /* including numbers, flags (\Seen) and BODY[...]<n> */
	IMAP_ARG_STRING,   /* quoted (escapes removed) or literal */
	IMAP_ARG_LIST,     /* parenthesised */
	IMAP_ARG_STREAMED, /* a literal handed out as chunks: only len is known */
};

#define IMAP_ARG_F_LITERAL 0x1 /* a string that came as {n} */
#define IMAP_ARG_F_BINARY 0x2  /* a literal that came as ~{n} (RFC 3516) */

struct imap_arg {
	unsigned char type;  /* enum imap_arg_type */
	unsigned char flags; /* IMAP_ARG_F_* */
	size_t len;          /* bytes of an atom or string; items of a list */
	union {
		const char *str;             /* NUL-terminated; a literal may hold NULs */
		const struct imap_arg *list; /* len items */
	} u;
};

/* 1 when arg is an atom equal to `name` (ASCII, any case). */
int imap_arg_atom_is(const struct imap_arg *arg, const char *name);
/* The text of an atom or string, or NULL (NIL, list). */
const char *imap_arg_astring(const struct imap_arg *arg);
/* The text of a string or atom, NULL for NIL; *ok_r = 0 for a list. */
const char *imap_arg_nstring(const struct imap_arg *arg, int *ok_r);
/* A 32-bit number (RFC 3501 `number`); returns 0 or -1 when it is not one. */
int imap_arg_number(const struct imap_arg *arg, uint32_t *num_r);
/* Like imap_arg_number, and 0 is rejected (`nz-number`: UIDs, sequence numbers). */
int imap_arg_nz_number(const struct imap_arg *arg, uint32_t *num_r);
/* A 63-bit number (RFC 7162 mod-sequence-value, RFC 9051 number64). */
int imap_arg_number64(const struct imap_arg *arg, uint64_t *num_r);
/* The same checks on text: all digits, no overflow. */
int imap_parse_number(const char *s, size_t len, uint64_t max, uint64_t *num_r);

/* ---- Typed responses ---- */

enum imap_status {
	IMAP_OK,
	IMAP_NO,
	IMAP_BAD,
	IMAP_PREAUTH,
	IMAP_BYE,
};

enum imap_code_kind {
	IMAP_CODE_NONE,
	IMAP_CODE_OTHER, /* unknown, or known with arguments that did not parse */
	IMAP_CODE_ALERT,
	IMAP_CODE_CAPABILITY,
	IMAP_CODE_PERMANENTFLAGS,
	IMAP_CODE_UIDNEXT,
	IMAP_CODE_UIDVALIDITY,
	IMAP_CODE_UNSEEN,
	IMAP_CODE_HIGHESTMODSEQ,
	IMAP_CODE_NOMODSEQ,
	IMAP_CODE_READ_ONLY,
	IMAP_CODE_READ_WRITE,
	IMAP_CODE_TRYCREATE,
	IMAP_CODE_APPENDUID,
	IMAP_CODE_COPYUID,
	IMAP_CODE_CLOSED,
	IMAP_CODE_MODIFIED,
};

/* A list of atoms or strings. */
struct imap_strings {
	const char *const *v;
	size_t n;
};

/* System flags as bits; every flag is also kept as text. */
enum imap_flag {
	IMAP_FLAG_SEEN = 1 << 0,
	IMAP_FLAG_ANSWERED = 1 << 1,
	IMAP_FLAG_FLAGGED = 1 << 2,
	IMAP_FLAG_DELETED = 1 << 3,
	IMAP_FLAG_DRAFT = 1 << 4,
	IMAP_FLAG_RECENT = 1 << 5,
	IMAP_FLAG_FORWARDED = 1 << 6, /* the $Forwarded keyword */
	IMAP_FLAG_ANY_KEYWORD = 1 << 7, /* \* in PERMANENTFLAGS */
};

struct imap_flags {
	unsigned bits;          /* enum imap_flag */
	struct imap_strings v;  /* every flag as sent, system flags included */
};

struct imap_code {
	enum imap_code_kind kind;
	const char *name; /* as sent ("UIDNEXT"); NULL when the text had no code */
	const char *raw;  /* what followed the name up to "]", "" if nothing */
	int malformed;    /* a known code whose arguments did not parse */
	union {
		uint32_t num;                  /* UIDNEXT UIDVALIDITY UNSEEN */
		uint64_t modseq;               /* HIGHESTMODSEQ */
		struct imap_strings caps;      /* CAPABILITY */
		struct imap_flags flags;       /* PERMANENTFLAGS */
		struct imap_seqset modified;   /* MODIFIED */
		struct {
			uint32_t uidvalidity;
			struct imap_seqset uids;
		} appenduid;
		struct {
			uint32_t uidvalidity;
			struct imap_seqset src, dst; /* the same number of UIDs */
		} copyuid;
	} u;
};

/* Mailbox attributes of LIST and LSUB (RFC 3501, 5258, 6154). */
enum imap_list_flag {
	IMAP_LIST_NOINFERIORS = 1 << 0,
	IMAP_LIST_NOSELECT = 1 << 1,
	IMAP_LIST_MARKED = 1 << 2,
	IMAP_LIST_UNMARKED = 1 << 3,
	IMAP_LIST_NONEXISTENT = 1 << 4,
	IMAP_LIST_SUBSCRIBED = 1 << 5,
	IMAP_LIST_REMOTE = 1 << 6,
	IMAP_LIST_HASCHILDREN = 1 << 7,
	IMAP_LIST_HASNOCHILDREN = 1 << 8,
	IMAP_LIST_ALL = 1 << 9,
	IMAP_LIST_ARCHIVE = 1 << 10,
	IMAP_LIST_DRAFTS = 1 << 11,
	IMAP_LIST_FLAGGED = 1 << 12,
	IMAP_LIST_JUNK = 1 << 13,
	IMAP_LIST_SENT = 1 << 14,
	IMAP_LIST_TRASH = 1 << 15,
	IMAP_LIST_IMPORTANT = 1 << 16,
	IMAP_LIST_CHILD_SUBSCRIBED = 1 << 17, /* CHILDINFO ("SUBSCRIBED") */
};

/*
 * A mailbox name as sent and as UTF-8.  Without UTF8=ACCEPT the name is
 * decoded from modified UTF-7 (RFC 3501 5.1.3); a name that is not valid
 * modified UTF-7 is kept as sent, with `invalid` set.  `raw` is what to
 * send back to address the mailbox exactly.
 */
struct imap_mailbox {
	const char *name; /* UTF-8 (or raw when invalid); never holds NUL */
	const char *raw;
	int invalid;
};

struct imap_list {
	unsigned flags;            /* enum imap_list_flag */
	struct imap_strings attrs; /* every attribute as sent */
	char delimiter;            /* 0 when NIL (a flat namespace) */
	struct imap_mailbox mailbox;
	struct imap_mailbox oldname; /* OLDNAME extended data; name NULL if none */
};

enum imap_status_item {
	IMAP_STATUS_MESSAGES = 1 << 0,
	IMAP_STATUS_RECENT = 1 << 1,
	IMAP_STATUS_UIDNEXT = 1 << 2,
	IMAP_STATUS_UIDVALIDITY = 1 << 3,
	IMAP_STATUS_UNSEEN = 1 << 4,
	IMAP_STATUS_DELETED = 1 << 5,
	IMAP_STATUS_SIZE = 1 << 6,
	IMAP_STATUS_HIGHESTMODSEQ = 1 << 7,
};

struct imap_status_data {
	struct imap_mailbox mailbox;
	unsigned present; /* enum imap_status_item */
	uint32_t messages, recent, uidnext, uidvalidity, unseen, deleted;
	uint64_t size, highestmodseq;
};

struct imap_search {
	const uint32_t *ids; /* in the order sent */
	size_t n;
	uint64_t modseq; /* (MODSEQ n) of RFC 7162, 0 if none */
};

enum imap_esearch_item {
	IMAP_ESEARCH_MIN = 1 << 0,
	IMAP_ESEARCH_MAX = 1 << 1,
	IMAP_ESEARCH_COUNT = 1 << 2,
	IMAP_ESEARCH_ALL = 1 << 3,
	IMAP_ESEARCH_MODSEQ = 1 << 4,
};

struct imap_esearch {
	const char *tag; /* the command's tag, NULL when not given */
	int uid;         /* results are UIDs */
	unsigned present; /* enum imap_esearch_item */
	uint32_t min, max, count;
	struct imap_seqset all;
	uint64_t modseq;
};

struct imap_namespace {
	const char *prefix; /* as sent (modified UTF-7 outside UTF8=ACCEPT) */
	char delimiter;     /* 0 for NIL */
};

struct imap_namespaces {
	const struct imap_namespace *v;
	size_t n;
};

struct imap_address {
	/* Raw text as sent, RFC 2047 words not decoded (imap-summary.h
	 * decodes them for display).  NULL for NIL.  A group starts with
	 * host NULL and mailbox the group's name, and ends with mailbox and
	 * host both NULL (RFC 3501 7.4.2). */
	const char *name, *adl, *mailbox, *host;
};

struct imap_addresses {
	const struct imap_address *v;
	size_t n;
};

struct imap_envelope {
	const char *date, *subject, *in_reply_to, *message_id; /* raw, NULL for NIL */
	struct imap_addresses from, sender, reply_to, to, cc, bcc;
};

struct imap_body_param {
	const char *name, *value;
};

struct imap_body_params {
	const struct imap_body_param *v;
	size_t n;
};

/*
 * One node of a BODYSTRUCTURE.  `part` is the number a FETCH BODY[part]
 * names: "1", "2.1", "3.1.2".  A top-level multipart has part ""; the
 * multipart body of a message/rfc822 part numbered N carries N too (it is
 * N.TEXT; its children are N.1, N.2...), and a single-part body of that
 * message is N.1 (RFC 3501 6.4.5).
 */
struct imap_body {
	const char *part;
	const char *type, *subtype; /* as sent; type is "MULTIPART" for multiparts */
	struct imap_body_params params;
	const char *id, *description, *encoding; /* NULL for NIL */
	uint32_t size;                           /* octets, as encoded */
	uint32_t lines;                          /* TEXT and MESSAGE/RFC822 parts */
	const char *md5;
	const char *disposition; /* "attachment", "inline"..., NULL if none */
	struct imap_body_params disposition_params;
	struct imap_strings language;
	const char *location;
	const struct imap_envelope *envelope; /* MESSAGE/RFC822 (and GLOBAL) */
	const struct imap_body *message;      /* its body */
	const struct imap_body *parts;        /* multipart children */
	size_t n_parts;
};

enum imap_section_kind {
	IMAP_SECTION_BODY,          /* BODY[section]<origin> */
	IMAP_SECTION_BINARY,        /* BINARY[section]<origin> (RFC 3516) */
	IMAP_SECTION_RFC822,        /* RFC822: the whole message */
	IMAP_SECTION_RFC822_HEADER, /* RFC822.HEADER */
	IMAP_SECTION_RFC822_TEXT,   /* RFC822.TEXT */
};

struct imap_fetch_body {
	enum imap_section_kind kind;
	const char *section; /* between the brackets: "", "2", "HEADER.FIELDS (FROM)" */
	int has_origin;
	uint32_t origin; /* <n> for a partial fetch */
	const char *data; /* NULL for NIL or when streamed */
	uint64_t len;     /* bytes of data, or of the streamed literal */
	int streamed;     /* delivered as IMAP_RESP_FETCH_CHUNK responses */
	int binary;       /* came as a ~{n} literal */
};

enum imap_fetch_item {
	IMAP_FETCH_UID = 1 << 0,
	IMAP_FETCH_FLAGS = 1 << 1,
	IMAP_FETCH_INTERNALDATE = 1 << 2,
	IMAP_FETCH_RFC822_SIZE = 1 << 3,
	IMAP_FETCH_MODSEQ = 1 << 4,
	IMAP_FETCH_ENVELOPE = 1 << 5,
	IMAP_FETCH_BODYSTRUCTURE = 1 << 6, /* BODYSTRUCTURE or BODY */
	IMAP_FETCH_BODY = 1 << 7,          /* one or more body sections */
};

struct imap_fetch {
	uint32_t seq;
	unsigned present; /* items that came and parsed (enum imap_fetch_item) */
	unsigned invalid; /* items that came but did not parse */
	const char *invalid_why; /* the first such item, for a log line */
	uint32_t uid;
	struct imap_flags flags;
	const char *internaldate; /* as sent */
	time_t internaldate_time; /* UTC seconds */
	uint64_t rfc822_size;
	uint64_t modseq;
	const struct imap_envelope *envelope;
	const struct imap_body *body; /* BODYSTRUCTURE */
	const struct imap_fetch_body *sections;
	size_t n_sections;
	/* Every item name and value as sent, known or not (PREVIEW, EMAILID...). */
	const struct imap_arg *items;
	size_t n_items;
};

/* Part of a streamed body literal; chunks of one literal come in order. */
struct imap_fetch_chunk {
	uint32_t seq;
	uint32_t uid; /* when UID came before the literal in the response, else 0 */
	struct imap_fetch_body body; /* data NULL, len the literal's size */
	uint64_t offset;             /* of these bytes in the literal */
	const char *data;
	size_t len;
	int last; /* the literal ends with these bytes */
};

enum imap_resp_type {
	IMAP_RESP_TAGGED,   /* tag OK/NO/BAD [code] text */
	IMAP_RESP_CONTINUE, /* + text */
	IMAP_RESP_STATUS,   /* * OK/NO/BAD/PREAUTH/BYE [code] text */
	IMAP_RESP_CAPABILITY,
	IMAP_RESP_ENABLED,
	IMAP_RESP_FLAGS,
	IMAP_RESP_LIST,
	IMAP_RESP_LSUB,
	IMAP_RESP_STATUS_DATA, /* * STATUS mailbox (...) */
	IMAP_RESP_SEARCH,
	IMAP_RESP_ESEARCH,
	IMAP_RESP_EXISTS,
	IMAP_RESP_RECENT,
	IMAP_RESP_EXPUNGE,
	IMAP_RESP_VANISHED,
	IMAP_RESP_FETCH,
	IMAP_RESP_FETCH_CHUNK,
	IMAP_RESP_NAMESPACE,
	IMAP_RESP_ID,
	IMAP_RESP_OTHER,     /* an untagged response petrel does not know */
	IMAP_RESP_MALFORMED, /* framed, but not valid for its kind: see `why` */
};

struct imap_response {
	enum imap_resp_type type;
	const char *tag;  /* TAGGED */
	const char *name; /* the response's name as sent ("FETCH", "OK"...) */
	uint32_t number;  /* the number before the name (* 5 EXISTS), 0 if none */
	/* TAGGED, STATUS, CONTINUE: */
	enum imap_status status;
	struct imap_code code;
	const char *text; /* raw server text: sanitise before showing */
	/* MALFORMED: */
	const char *why;
	/* The arguments after the name (data responses only). */
	const struct imap_arg *args;
	size_t n_args;
	union {
		struct imap_strings caps;      /* CAPABILITY, ENABLED */
		struct imap_flags flags;       /* FLAGS */
		struct imap_list list;         /* LIST, LSUB */
		struct imap_status_data status;
		struct imap_search search;
		struct imap_esearch esearch;
		struct {
			int earlier;
			struct imap_seqset uids;
		} vanished;
		struct imap_fetch fetch;
		struct imap_fetch_chunk chunk;
		struct imap_namespaces ns[3]; /* personal, other users', shared */
		struct {
			const char *const *keys, *const *values; /* n pairs */
			size_t n;                                /* 0 for NIL */
		} id;
	} u;
};

struct imap_parser;

/* Defaults for every bound. */
void imap_parser_params_init(struct imap_parser_params *params);
/* A parser for one connection; params may be NULL (all defaults).
 * Free with imap_parser_free(). */
struct imap_parser *imap_parser_new(const struct imap_parser_params *params);
void imap_parser_free(struct imap_parser **parser);
/* Appends bytes that arrived; they are copied.  Call imap_parser_next()
 * until it returns 0 before feeding more, so the buffer stays within the
 * line bound. */
void imap_parser_feed(struct imap_parser *parser, const void *data, size_t len);
/*
 * Returns 1 with the next response in *resp_r (valid as the file comment
 * says), 0 when more input is needed, -1 on a broken bound or framing
 * (err filled, ERR_PROTO; the parser stays failed).
 */
int imap_parser_next(struct imap_parser *parser, const struct imap_response **resp_r,
		     struct err *err);
/* With UTF8=ACCEPT enabled (RFC 6855) names are UTF-8, not modified UTF-7. */
void imap_parser_set_utf8(struct imap_parser *parser, int on);
/* 1 when a response is partly parsed (the server stopped mid-response). */
int imap_parser_in_response(const struct imap_parser *parser);
/* Bytes fed but not parsed yet. */
size_t imap_parser_pending(const struct imap_parser *parser);
/* Hands the unparsed bytes to the caller and forgets them (after COMPRESS
 * the rest of the input must first go through the inflater).  Only between
 * responses; *data_r is valid until the next call on the parser. */
void imap_parser_take_pending(struct imap_parser *parser, const char **data_r, size_t *len_r);

/* Typed decoders over a generic tree, for callers that fetched a tree
 * themselves.  Return 0, or -1 with a reason in *why_r (static text or
 * arena).  Results live in `arena`.  `depth_max` bounds nesting. */
int imap_envelope_parse(struct arena *arena, const struct imap_arg *arg,
			const struct imap_envelope **env_r, const char **why_r);
int imap_body_parse(struct arena *arena, const struct imap_arg *arg, unsigned depth_max,
		    const struct imap_body **body_r, const char **why_r);
/* Finds a part by number ("2.1") in a tree; NULL when there is none. */
const struct imap_body *imap_body_find(const struct imap_body *root, const char *part);
/* An INTERNALDATE ("17-Jul-1996 02:44:25 -0700") as UTC seconds; -1 if invalid. */
int imap_parse_internaldate(const char *s, time_t *time_r);

#endif
