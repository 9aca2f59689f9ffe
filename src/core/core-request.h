/*
 * core-request: the typed requests a face posts to an account's worker.
 *
 * A request lives in its own arena: the struct itself and every string or
 * array of its payload are allocated there (arena_strdup(req->arena, ...)),
 * so one core_request_free() releases all of it and nothing in it points
 * into the memory of the thread that built it.  Posting a request
 * (core_worker_post) hands it over; the worker frees it when the job ends.
 *
 * Messages are named by the backend's key (`struct mime_summary.id`: an
 * IMAP UID, a POP3 message number, an index in a local folder); windows
 * of a folder by index, 0 to count-1 in the folder's natural order (oldest
 * first, as backend.h numbers them), so a face can ask for the newest
 * window first.
 */
#ifndef CORE_REQUEST_H
#define CORE_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-arena.h"

enum core_req_type {
	CORE_REQ_CONNECT = 1,   /* log in (the account's settings are the backend's) */
	CORE_REQ_LIST_FOLDERS,  /* answered with CORE_EV_FOLDERS */
	CORE_REQ_OPEN_FOLDER,   /* select; answered with CORE_EV_FOLDER_OPENED */
	CORE_REQ_FETCH_HEADERS, /* a window of summaries, as CORE_EV_HEADERS batches */
	CORE_REQ_FETCH_MESSAGE, /* a whole raw message, as CORE_EV_PART_DATA chunks */
	CORE_REQ_FETCH_PART,    /* one MIME part, or a byte range of it */
	/* a message's part list, as CORE_EV_PART_LIST */
	CORE_REQ_FETCH_STRUCTURE,
	CORE_REQ_SET_FLAGS,
	CORE_REQ_COPY,
	CORE_REQ_MOVE,
	CORE_REQ_APPEND,
	CORE_REQ_EXPUNGE,
	CORE_REQ_SEARCH, /* answered with CORE_EV_SEARCH_RESULT */
	CORE_REQ_SEND,
	CORE_REQ_CLOSE_FOLDER,
	CORE_REQ_MANAGE_FOLDER, /* create, remove, rename, (un)subscribe a folder */
	/* The two below act when they are posted, not when the worker reaches
	 * them in the queue: see core_worker_post(). */
	CORE_REQ_CANCEL,
	CORE_REQ_SHUTDOWN,
	CORE_REQ_COUNT
};

struct core_req_list_folders {
	const char *pattern; /* IMAP LIST wildcards ('*', '%'); NULL lists all */
};

struct core_req_open_folder {
	const char *folder; /* the backend's folder name ("INBOX", a notmuch query...) */
	int read_only;      /* IMAP EXAMINE rather than SELECT */
	int listing_only;   /* summaries need only what a listing shows
	                       (backend_params.listing_only) */
};

struct core_req_fetch_headers {
	uint32_t first; /* index of the first message of the window */
	uint32_t count; /* messages in the window; the window is clipped at the end */
	/* Batches from the oldest on, for a caller that waits for the whole
	 * window anyway (a store then writes its cache in key order); else
	 * the newest come first, so a screen fills before the rest. */
	uint8_t oldest_first;
};

struct core_req_fetch_message {
	uint64_t id;
};

/* `part` may also be "HEADER" or "N.MIME" (a part's own header). */
struct core_req_fetch_part {
	uint64_t id;
	const char *part; /* MIME part number ("1.2"; "" is the whole message) */
	uint64_t offset;  /* first byte of the part wanted */
	uint64_t length;  /* bytes wanted; 0 up to the end of the part */
};

/*
 * The message's part list from the store's description of it (IMAP FETCH
 * BODYSTRUCTURE), without fetching the message: one CORE_EV_PART_LIST,
 * then DONE.  Folders that can only list parts by reading the whole
 * message (local ones) fail with ERR_UNSUPPORTED: the face then fetches
 * the message and takes it apart itself.
 */
struct core_req_fetch_structure {
	uint64_t id;
};

/* The messages a request acts on. */
struct core_req_ids {
	const uint64_t *ids; /* in the request's arena */
	size_t count;
};

struct core_req_set_flags {
	struct core_req_ids msgs;
	unsigned add;    /* enum mime_flag bits to set */
	unsigned remove; /* enum mime_flag bits to clear */
	/*
	 * Tags (BE_CAP_TAGS folders: the notmuch store): added and removed on
	 * each message at once, written before the job ends, unlike the flags
	 * above (removals first, as notmuch tag does).  Strings in the
	 * request's arena.  A folder without tags fails the request with
	 * ERR_UNSUPPORTED before changing anything.
	 */
	const char *const *add_tags;
	size_t add_tag_count;
	const char *const *remove_tags;
	size_t remove_tag_count;
};

struct core_req_copy { /* CORE_REQ_COPY and CORE_REQ_MOVE */
	struct core_req_ids msgs;
	const char *dest_folder;
};

struct core_req_append {
	const char *folder;
	const char *data; /* the raw message, CRLF or LF line ends */
	size_t len;
	unsigned flags; /* enum mime_flag bits the message gets */
	time_t date;    /* internal date; 0 lets the server choose */
};

struct core_req_expunge {
	struct core_req_ids msgs; /* count 0: every message marked deleted */
};

struct core_req_search {
	/* Search criteria in the backend's own language (IMAP SEARCH keys, a
	 * notmuch query); the face-side pattern language that compiles to it
	 * belongs to the folder views. */
	const char *query;
};

struct core_req_send {
	const char *from;        /* envelope sender (MAIL FROM), "" for <> */
	const char *const *rcpt; /* envelope recipients (RCPT TO) */
	size_t rcpt_count;
	const char *data; /* the message as it goes on the wire, headers included */
	size_t len;
	/* No message: send what waits in the outbox (smtp_url only), as
	   petrel --flush-outbox does; the fields above are unused. */
	int flush_outbox;
};

struct core_req_close_folder {
	int expunge; /* IMAP CLOSE (expunges) rather than UNSELECT */
};

enum core_folder_op {
	CORE_FOLDER_CREATE = 1,
	CORE_FOLDER_DELETE,
	CORE_FOLDER_RENAME,
	CORE_FOLDER_SUBSCRIBE,
	CORE_FOLDER_UNSUBSCRIBE,
};

struct core_req_manage_folder {
	enum core_folder_op op;
	const char *folder; /* a URL or path */
	const char *to;     /* CORE_FOLDER_RENAME: the new URL or path */
};

struct core_req_cancel {
	uint64_t job_id; /* the job to cancel */
};

struct core_request {
	enum core_req_type type;
	uint64_t job_id;     /* given by core_worker_post() */
	struct arena *arena; /* holds this struct and its payload */
	union {
		struct core_req_list_folders list_folders;
		struct core_req_open_folder open_folder;
		struct core_req_fetch_headers fetch_headers;
		struct core_req_fetch_message fetch_message;
		struct core_req_fetch_part fetch_part;
		struct core_req_fetch_structure fetch_structure;
		struct core_req_set_flags set_flags;
		struct core_req_copy copy;
		struct core_req_append append;
		struct core_req_expunge expunge;
		struct core_req_search search;
		struct core_req_send send;
		struct core_req_close_folder close_folder;
		struct core_req_manage_folder manage_folder;
		struct core_req_cancel cancel;
	} u;
};

/*
 * A new request of the given type with a zeroed payload, in a fresh arena;
 * the caller owns it until it posts it.  Any thread; does not block.
 */
struct core_request *core_request_new(enum core_req_type type);

/* Frees the request and its whole payload; sets *req to NULL. */
void core_request_free(struct core_request **req);

/* "open folder", "fetch part"...; "unknown" for a type out of range. */
const char *core_request_type_name(enum core_req_type type);

#endif
