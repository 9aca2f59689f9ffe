/*
 * core-event: the typed events a worker sends back to a face.
 *
 * Like a request, an event lives in its own arena (the struct and all of
 * its payload), so it crosses threads by hand-over: the thread that pops
 * it from the face's event queue owns it and frees it with one
 * core_event_free().  Nothing in an event points into a worker's memory.
 *
 * Every request gets exactly one final event, CORE_EV_DONE or
 * CORE_EV_ERROR, carrying its job id; before it come any number of the
 * others with the same id, and none after it.  Events with job id 0 were
 * not asked for (new mail, connection state, an IDLE that failed).
 */
#ifndef CORE_EVENT_H
#define CORE_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "core/core-queue.h"
#include "mime/mime-summary.h"

enum core_ev_type {
	CORE_EV_DONE = 1,      /* final: the job succeeded */
	CORE_EV_ERROR,         /* final: the job failed (or, with job id 0, idling did) */
	CORE_EV_PROGRESS,      /* a long job moved on */
	CORE_EV_HEADERS,       /* a batch of summaries of a window */
	CORE_EV_PART_DATA,     /* a chunk of a message or part */
	CORE_EV_NEW_MAIL,      /* the open folder grew (IDLE, NOOP, a POP3 poll); a
	                          search folder grows only by new matches */
	CORE_EV_CONN_STATE,    /* the account's connection changed state */
	CORE_EV_FOLDERS,       /* a list of folders */
	CORE_EV_FOLDER_OPENED, /* what a face needs to know about a folder it opened */
	CORE_EV_SEARCH_RESULT, /* the messages a search matched */
	/* The open folder changed other than by growing (IMAP IDLE, NOOP):
	 * flags changed or messages left it (they show as deleted until the
	 * next expunge, so the numbering holds), or with `reopened` the
	 * numbering itself is void and everything must be read again. */
	CORE_EV_FOLDER_CHANGED,
	CORE_EV_PART_LIST, /* a message's parts (CORE_REQ_FETCH_STRUCTURE) */
	CORE_EV_COUNT
};

struct core_ev_error {
	struct err err; /* kind and sentence */
};

struct core_ev_progress {
	uint64_t done;
	uint64_t total;    /* 0 when unknown */
	const char *label; /* short, "" when none: "fetching headers" */
};

struct core_ev_headers {
	const char *folder;
	uint32_t first;             /* index of items[0] in the folder */
	size_t count;               /* items in this batch */
	struct mime_summary *items; /* strings in the event's arena */
};

struct core_ev_part_data {
	uint64_t id;      /* the message */
	const char *part; /* as requested; "" for a whole message */
	uint64_t offset;  /* where data starts within the part */
	const char *data;
	size_t len;
	int last; /* no more chunks follow for this part */
};

struct core_ev_new_mail {
	const char *folder;
	uint32_t exists; /* messages in the folder now */
	uint32_t recent; /* of which new since the last look (0 if unknown) */
};

enum core_conn_state {
	CORE_CONN_OFFLINE = 1, /* not connected, and not trying */
	CORE_CONN_CONNECTING,
	CORE_CONN_CONNECTED,
	CORE_CONN_RECONNECTING, /* lost; trying again (attempt counts from 1) */
};

/*
 * Connection state (job id 0), for network folders (IMAP), in this order:
 * CONNECTING then CONNECTED while a folder opens; when the connection
 * drops (network error, timeout, the server's BYE, a protocol violation),
 * whether a job or the idle wait found out, RECONNECTING before each
 * attempt to come back (attempt 1, 2... up to 6 over about 8 seconds; the
 * cause is why the connection went away, then why the last attempt
 * failed), and either CONNECTED (attempt 0, no cause: the folder is
 * selected again, flag changes made meanwhile replayed, and any changes
 * follow as NEW_MAIL / FOLDER_CHANGED) or OFFLINE (the last failure as
 * cause).  An offline folder tries again on its own every 30 seconds, and
 * at once when a request comes (which fails with the cause if it cannot).
 */
struct core_ev_conn_state {
	enum core_conn_state state;
	unsigned attempt; /* CORE_CONN_RECONNECTING: which attempt this is */
	struct err cause; /* why the connection went away (ERR_NONE otherwise) */
};

enum core_folder_flag {
	CORE_FOLDER_NOSELECT = 1 << 0, /* a name in the hierarchy only */
	CORE_FOLDER_CHILDREN = 1 << 1, /* has subfolders */
	/* RFC 6154 special use */
	CORE_FOLDER_SENT = 1 << 2,
	CORE_FOLDER_DRAFTS = 1 << 3,
	CORE_FOLDER_TRASH = 1 << 4,
	CORE_FOLDER_JUNK = 1 << 5,
	CORE_FOLDER_ARCHIVE = 1 << 6,
};

struct core_folder {
	const char *name; /* the backend's name, UTF-8 (IMAP modified UTF-7 decoded) */
	char delim;       /* hierarchy separator, '\0' for a flat namespace */
	unsigned flags;   /* enum core_folder_flag bits */
	uint32_t messages;
	uint32_t unseen;
	int counted; /* messages and unseen are known */
};

struct core_ev_folders {
	struct core_folder *items;
	size_t count;
};

struct core_ev_folder_opened {
	const char *folder;
	uint32_t exists;
	uint32_t unseen;
	uint64_t uidvalidity; /* 0 when the backend has none */
	int read_only;
};

/*
 * Folder changed (job id 0), after the idle wait (IMAP IDLE or NOOP) or a
 * reconnection found that another client changed flags or expunged
 * messages.  Expunged messages keep their index, shown with
 * MIME_FLAG_DELETED (and without subject or sender when they were never
 * read), so `exists` does not drop and indexes stay valid until the face
 * expunges or closes; the face fetches the summaries of what it shows
 * again (CORE_REQ_FETCH_HEADERS).  With `reopened` (UIDVALIDITY changed,
 * or the server's list of UIDs contradicted what was known) every index is
 * void: read the folder again from index 0.  When the folder also grew, a
 * CORE_EV_NEW_MAIL comes first.
 */
struct core_ev_folder_changed {
	const char *folder;
	uint32_t exists; /* messages in the folder now */
	int reopened;
};

/*
 * One MIME part of a message as the store describes it (IMAP
 * BODYSTRUCTURE), in tree order.  Parts are numbered as IMAP numbers them,
 * so the number names the part to CORE_REQ_FETCH_PART: "1", "2.1"; "" for
 * the message's top multipart.  The multipart body of an attached message
 * (message/rfc822) shares that part's number and has no entry of its own;
 * its parts follow the message's entry one level deeper.  Strings are
 * UTF-8, never NULL ("" when absent); the file name is made
 * terminal-safe (mime_sanitize), the others hold printable ASCII only.
 */
struct core_part {
	const char *path;
	const char *type;        /* "image/png", lower case */
	const char *disposition; /* "attachment", "inline", lower case */
	const char *filename;    /* Content-Disposition filename, else Content-Type
	                            name; RFC 2231 and RFC 2047 decoded */
	const char *charset;     /* the charset parameter, as sent */
	const char *encoding;    /* "base64", "7bit"..., lower case */
	const char *boundary;    /* multiparts: the boundary parameter, as sent */
	uint64_t size;           /* bytes as stored (still encoded); 0 for multiparts */
	unsigned depth;          /* 0 for the message's own body */
	int container;           /* a multipart */
};

struct core_ev_part_list {
	uint64_t id; /* the message */
	struct core_part *items;
	size_t count;
};

struct core_ev_search_result {
	const uint64_t *ids;
	size_t count;
};

struct core_event {
	struct core_queue_node node; /* the queue's link: not for users */
	enum core_ev_type type;
	uint64_t job_id;     /* the request's job, 0 for unsolicited events */
	struct arena *arena; /* holds this struct and its payload */
	union {
		struct core_ev_error error;
		struct core_ev_progress progress;
		struct core_ev_headers headers;
		struct core_ev_part_data part_data;
		struct core_ev_new_mail new_mail;
		struct core_ev_conn_state conn_state;
		struct core_ev_folders folders;
		struct core_ev_folder_opened folder_opened;
		struct core_ev_search_result search_result;
		struct core_ev_folder_changed folder_changed;
		struct core_ev_part_list part_list;
	} u;
};

/*
 * A new event with a zeroed payload in a fresh arena; the caller owns it
 * until it posts it (core_job_post, core_worker_post_event).  Any thread.
 */
struct core_event *core_event_new(enum core_ev_type type, uint64_t job_id);

/* Frees the event and its whole payload; sets *ev to NULL. */
void core_event_free(struct core_event **ev);

/* True for CORE_EV_DONE and CORE_EV_ERROR, the last event of a job. */
int core_event_is_final(const struct core_event *ev);

/* "done", "progress"...; "unknown" for a type out of range. */
const char *core_event_type_name(enum core_ev_type type);

/*
 * The event queue a face polls.  One queue may serve several workers.
 * core_event_queue_free() frees the events still in it.
 */
struct core_queue *core_event_queue_new(struct err *err);
void core_event_queue_free(struct core_queue **queue);

/* Hands ev to the queue's consumer.  Any thread; never blocks. */
void core_event_push(struct core_queue *queue, struct core_event *ev);

/* The oldest event (the caller owns it) or NULL.  Consumer only; never blocks. */
struct core_event *core_event_pop(struct core_queue *queue);

#endif
