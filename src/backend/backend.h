/*
 * backend: the one face every mail store shows to core/.
 *
 * A backend is a `const struct backend_ops`: a name, the URL schemes it
 * serves, capability bits and a table of operations.  Local folders
 * (mbox, maildir) are here now; IMAP, POP3 and notmuch plug in behind the
 * same table later, and SMTP is a submit-only backend.  core/ picks the
 * table with backend_for_url() and never asks which backend it got: it
 * asks the capability bits (partial fetch? folders? tags?).
 *
 * Threading.  Every operation runs in the account's worker thread and may
 * block (disk, locks, network).  A `struct backend_folder` belongs to the
 * thread that opened it; only that thread calls operations on it, one at
 * a time.  Operations that take no folder (append, list, create, remove,
 * rename) are reentrant: any worker thread may call them concurrently
 * with others, including on a folder another thread has open (mbox
 * serialises on the file's locks; maildir needs none).
 *
 * Ownership.  A folder is created by open() and freed by close(&folder).
 * Parameter structs and URLs are read during the call only: a backend
 * copies what it keeps.  Summary strings go to the arena the caller
 * passes; fetched bytes are appended to the caller's `struct str`.
 *
 * Errors.  Every fallible operation returns 0 or -1 with *err filled:
 *   ERR_IO          a local file or directory could not be read or
 *                   written, or a lock could not be taken in time;
 *   ERR_PARSE       the folder is not in the format its backend reads;
 *   ERR_USAGE       the request cannot apply (bad index, read-only
 *                   folder, folder exists/missing);
 *   ERR_UNSUPPORTED the scheme or operation is not available;
 *   ERR_CANCELLED   the progress hook or the cancel fd asked to stop;
 *   ERR_CONN, ERR_PROTO, ERR_REJECTED, ERR_AUTH, ERR_TLS, ERR_TIMEOUT
 *                   the network backends' kinds (base/base-err.h);
 *   ERR_INTERNAL    a bug.
 * A failed operation leaves the folder usable and no message lost.
 *
 * Numbering.  Messages in an open folder are numbered 0..count-1.  The
 * numbering changes only when the caller asks for it (sync with expunge:
 * the survivors keep their order) or when check() says
 * BACKEND_CHECK_REOPENED.  New mail is appended at the end.  A summary's
 * `id` is the backend's stable key for a message (IMAP UID, maildir file
 * key, mbox ordinal) and survives renumbering; find() maps it back.
 */
#ifndef BACKEND_H
#define BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "base/base-str.h"
#include "base/base-url.h"
#include "mime/mime-summary.h"

/* What a backend can do; faces grey out actions by these bits. */
enum backend_cap {
	BE_CAP_FOLDERS = 1 << 0,        /* more than one folder: list/create/remove/rename */
	BE_CAP_PARTIAL_FETCH = 1 << 1,  /* fetch_partial: one MIME part or a byte range */
	BE_CAP_HEADERS_ONLY = 1 << 2,   /* fetch_header costs less than fetch */
	BE_CAP_KEEP_ON_SERVER = 1 << 3, /* POP3: mail may stay on the server after download */
	BE_CAP_TAGS = 1 << 4,           /* free-form tags (notmuch) */
	BE_CAP_PUSH = 1 << 5,           /* new mail is announced (IDLE): check() is cheap */
	BE_CAP_SUBMIT = 1 << 6,         /* sends mail (SMTP) */
	BE_CAP_APPEND = 1 << 7,         /* append(): save, copy, Fcc */
	BE_CAP_EXPUNGE = 1 << 8,        /* sync() can remove \Deleted messages */
	BE_CAP_CREATE = 1 << 9,         /* create() */
	BE_CAP_FLAGS = 1 << 10,         /* flags besides \Deleted are stored in the folder */
	BE_CAP_LOCAL = 1 << 11,         /* the folder is a local file or directory */
	BE_CAP_SEARCH = 1 << 12,        /* search(): the server searches */
};

/*
 * What check() found; a caller handles the one value it gets.
 *   NONE      nothing changed.
 *   NEW_MAIL  messages were appended: count() grew, older ones are as
 *             they were.
 *   FLAGS     flags of existing messages changed (and new mail may have
 *             come too): reload every summary; the numbering holds.
 *   REOPENED  the folder changed under us: numbering and summaries are
 *             void (and for mbox, flag changes not yet synced); reload
 *             everything.
 */
enum backend_check {
	BACKEND_CHECK_NONE = 0,
	BACKEND_CHECK_NEW_MAIL,
	BACKEND_CHECK_FLAGS,
	BACKEND_CHECK_REOPENED,
};

/*
 * Progress and cancellation for long operations.  core/ binds these to a
 * job.  Either function may be NULL.  report() says `done` of `total`
 * units (bytes or messages; total 0 = unknown) with a short label such as
 * "Reading /var/mail/me"; cancelled() returns nonzero to stop the
 * operation, which then fails with ERR_CANCELLED and no message lost (an
 * mbox is left unchanged).  Both are called in the worker thread between
 * steps, sometimes with a folder's lock held: they must return at once.
 */
struct backend_progress {
	void (*report)(void *ctx, uint64_t done, uint64_t total, const char *label);
	int (*cancelled)(void *ctx);
	void *ctx;
};

/* TLS settings for network backends; local backends ignore them. */
struct backend_tls {
	int verify;          /* verify chain and host name (default 1) */
	int starttls;        /* plain schemes: 1 = require STARTTLS, never fall back */
	const char *ca_file; /* NULL: the system store */
	const char *ca_path;
	const char *client_cert; /* PEM, NULL if none */
	const char *client_key;
	const char *min_version; /* "TLSv1.2"; NULL: the library's default */
	/* Plain schemes: never start TLS, even when offered (imap_starttls=no);
	   with starttls 0 and plain 0, STARTTLS is used when offered. */
	int plain;
};

/*
 * Credentials for network backends.  get_password is called in the
 * worker thread, at most once per login, when the URL carries no
 * password; core/ may block in it (a password command, a prompt through
 * the UI).  The returned string is the caller's (free() it).
 */
struct backend_auth {
	const char *mechanisms; /* space-separated SASL mechanisms to allow; NULL: any safe one */
	int (*get_password)(void *ctx, const struct url *url, char **password_r, struct err *err);
	void *ctx;
	/* A password may cross without TLS (pop3_allow_plaintext...): 0 by
	   default, so a zeroed struct is the safe choice. */
	int allow_plaintext;
};

/* The states a network backend's connection goes through (imap). */
enum backend_conn_state {
	BE_CONN_CONNECTING = 1,
	BE_CONN_CONNECTED,
	BE_CONN_RECONNECTING, /* lost; trying again, attempt counts from 1 */
	BE_CONN_OFFLINE,      /* lost, and the tries gave up */
};

/*
 * What a network backend tells core/ on its own, in the worker thread,
 * while an open folder lives (so ctx must live as long as the folder):
 * its connection's state as it drops and comes back.  fn may be NULL.
 */
struct backend_notify {
	void (*conn_state)(void *ctx, enum backend_conn_state state, unsigned attempt,
	                   const struct err *cause);
	void *ctx;
};

/*
 * Everything a backend needs besides the URL.  Fill with
 * backend_params_init() and change what differs; the backend reads it
 * during the call and copies what it keeps.
 */
struct backend_params {
	int connect_timeout_ms; /* network: TCP and TLS set-up (default 30 s) */
	int io_timeout_ms;      /* network: one read or write (default 60 s) */
	int lock_timeout_ms;    /* local: how long to retry a busy lock (default 10 s) */
	int stale_lock_s;       /* local: a dot-lock older than this is broken (default 300) */
	uint64_t max_message;   /* largest message fetched into memory (default 1 GiB) */
	struct backend_tls tls;
	struct backend_auth auth;
	const char *cache_dir; /* per-account cache directory; NULL: no cache */
	int cancel_fd;         /* readable means "stop": a job's cancel pipe; -1 if none */
	int read_only;         /* open without writing anything back */
	int create;            /* open: create the folder when it is missing */
	int listing_only;      /* the face keeps only what a listing shows (flags, dates,
	                          size, lines, sender, subject): a store may then leave
	                          to, cc, references, in_reply_to and list_post "" and
	                          lines or size 0 rather than read each message */
	struct backend_progress progress;
	/* Network backends (imap): */
	const char *user;           /* login name when the URL has none; NULL: $USER */
	const char *body_cache_dir; /* per-account cache of fetched messages and parts
	                               (message_cache); NULL: none */
	int keepalive_ms;           /* the longest an idle connection stays silent; 0: no limit */
	int no_push;                /* idle() polls with NOOP instead of IMAP IDLE (imap_idle=no) */
	struct backend_notify notify;
};

/* A folder found by list(); strings live in the caller's arena. */
struct backend_folder_info {
	const char *name; /* relative to the listed root, '/' between levels */
	const char *url;  /* what to give url_parse() to open it */
	unsigned flags;   /* BE_FOLDER_* */
	/* Network stores that count while listing (IMAP LIST-STATUS): */
	int counted;       /* messages and unseen are known */
	uint32_t messages;
	uint32_t unseen;
	char delim;        /* the server's hierarchy separator ('\0': flat); the
	                      name uses it, not '/' */
};

enum backend_folder_flag {
	BE_FOLDER_NOSELECT = 1 << 0, /* holds folders, not messages */
	BE_FOLDER_MAILDIR = 1 << 1,  /* a maildir (local stores) */
	BE_FOLDER_MBOX = 1 << 2,     /* an mbox file (local stores) */
	BE_FOLDER_SUBSCRIBED = 1 << 3, /* IMAP: subscribed */
	BE_FOLDER_CHILDREN = 1 << 4,   /* has subfolders */
	/* RFC 6154 special use (IMAP) */
	BE_FOLDER_SENT = 1 << 5,
	BE_FOLDER_DRAFTS = 1 << 6,
	BE_FOLDER_TRASH = 1 << 7,
	BE_FOLDER_JUNK = 1 << 8,
	BE_FOLDER_ARCHIVE = 1 << 9,
};

/* An open folder; each backend defines it privately. */
struct backend_folder;

/* One MIME part as a store describes it without the body (fetch_structure);
 * the fields mean what those of struct core_part (core-event.h) mean. */
struct backend_part {
	const char *path, *type, *disposition, *filename, *charset, *encoding, *boundary;
	uint64_t size;
	unsigned depth;
	int container;
};

struct backend_ops {
	const char *name;           /* "mbox", "maildir", "imap"... */
	const char *const *schemes; /* URL schemes served, NULL-terminated */
	unsigned caps;              /* enum backend_cap bits */

	/*
	 * Opens the folder named by url, taking whatever locks reading it
	 * needs (and releasing them before returning, for local stores).
	 * Reports progress through params->progress.  A folder that cannot
	 * be written is opened read-only (see read_only()).  On success
	 * *folder_r is the caller's, freed with close().
	 */
	int (*open)(const struct url *url, const struct backend_params *params,
	            struct backend_folder **folder_r, struct err *err);
	/* Number of messages.  Never blocks. */
	size_t (*count)(const struct backend_folder *folder);
	/* Nonzero when the folder was opened (or fell back to) read-only. */
	int (*read_only)(const struct backend_folder *folder);
	/* Maps a summary id to its current index: 1 found, 0 gone. */
	int (*find)(const struct backend_folder *folder, uint64_t id, size_t *index_r);
	/*
	 * Fills summaries[0..n) for messages first..first+n-1 (all fields;
	 * strings in `arena`).  Flags include changes set_flags() made and
	 * sync() has not written yet.  progress may be NULL.
	 */
	int (*load_summaries)(struct backend_folder *folder, size_t first, size_t n,
	                      struct arena *arena, struct mime_summary *summaries,
	                      const struct backend_progress *progress, struct err *err);
	/*
	 * Appends the whole message to *out as the sender wrote it: LF line
	 * endings, mbox From_ escaping undone.  On error *out is as it was.
	 */
	int (*fetch)(struct backend_folder *folder, size_t index, struct str *out, struct err *err);
	/* Appends the header block, up to and including the empty line that
	 * ends it (for `top` and header-only views). */
	int (*fetch_header)(struct backend_folder *folder, size_t index, struct str *out,
	                    struct err *err);
	/*
	 * Optional (BE_CAP_PARTIAL_FETCH): appends `length` bytes from
	 * `offset` of one MIME section ("1.2", "" for the whole message)
	 * without fetching the rest.  NULL in backends that lack the bit.
	 */
	int (*fetch_partial)(struct backend_folder *folder, size_t index, const char *section,
	                     uint64_t offset, uint64_t length, struct str *out, struct err *err);
	/*
	 * Optional: the message's parts in tree order from the store's own
	 * description (IMAP BODYSTRUCTURE), without fetching the message;
	 * the array and its strings go to `arena`.  NULL where a store would
	 * have to read the message.
	 */
	int (*fetch_structure)(struct backend_folder *folder, size_t index, struct arena *arena,
	                       struct backend_part **parts_r, size_t *count_r, struct err *err);
	/*
	 * Sets the `set` flags and clears the `clear` ones (enum mime_flag
	 * bits); deletion is MIME_FLAG_DELETED.  Local stores record the
	 * change and write it at sync(); network stores may send it at once.
	 * Fails with ERR_USAGE on a read-only folder.
	 */
	int (*set_flags)(struct backend_folder *folder, size_t index, unsigned set, unsigned clear,
	                 struct err *err);
	/* Looks for new mail and changes made by other programs. */
	int (*check)(struct backend_folder *folder, enum backend_check *result_r,
	             const struct backend_progress *progress, struct err *err);
	/*
	 * Writes flag changes back and, when `expunge` is nonzero, removes
	 * the messages marked deleted; the survivors keep their order and
	 * ids.  Mail that other programs added meanwhile is kept.  On error
	 * an mbox is left as it was; other stores apply each message's change
	 * atomically and may have written some (the rest stay pending).
	 */
	int (*sync)(struct backend_folder *folder, int expunge,
	            const struct backend_progress *progress, struct err *err);
	/* Frees the folder without writing anything (mailx `exit`); NULLs *folder. */
	void (*close)(struct backend_folder **folder);

	/*
	 * Appends a raw message (LF or CRLF line endings) with the given
	 * flags and arrival date (0: now) to the folder named by url,
	 * without opening it for reading; creates the folder if
	 * params->create.  MIME_FLAG_RECENT in flags asks for it to show as
	 * new mail (maildir new/, mbox without "Status: O").  Durable when
	 * it returns 0 (fsynced).
	 */
	int (*append)(const struct url *url, const struct backend_params *params, const char *data,
	              size_t len, unsigned flags, time_t date, struct err *err);
	/* The folders under root (not root itself), in the caller's arena;
	 * NULL where the backend has one folder only. */
	int (*list)(const struct url *root, const struct backend_params *params,
	            struct arena *arena, struct backend_folder_info **folders_r, size_t *count_r,
	            struct err *err);
	/* Folder management; NULL where unsupported. */
	int (*create)(const struct url *url, const struct backend_params *params, struct err *err);
	int (*remove)(const struct url *url, const struct backend_params *params, struct err *err);
	int (*rename)(const struct url *from, const struct url *to,
	              const struct backend_params *params, struct err *err);

	/*
	 * Optional (BE_CAP_TAGS): adds the tags add[0..nadd) to message
	 * `index` and removes remove[0..nremove), all at once.  Unlike
	 * set_flags this is written before it returns (as `notmuch tag`
	 * does): close() without sync keeps it.  Flags that follow from tags
	 * (notmuch's "unread", "flagged"...) show in the next summaries.
	 * Fails with ERR_USAGE on a read-only folder or an empty tag.  NULL
	 * in backends that lack the bit.
	 */
	int (*set_tags)(struct backend_folder *folder, size_t index, const char *const *add,
	                size_t nadd, const char *const *remove, size_t nremove, struct err *err);

	/*
	 * Optional: a face is about to read summaries [first, first+n) with
	 * load_summaries() calls, in batches of any order: a network backend
	 * may start fetching them now, so the batches arrive without a round
	 * trip each.  Never fails; a backend without it needs no hint.
	 */
	void (*prefetch)(struct backend_folder *folder, size_t first, size_t n);
	/*
	 * Optional (BE_CAP_PUSH): waits for the server's news about the open
	 * folder (IMAP IDLE, or NOOP polls with params->no_push) until
	 * wake_fd (-1: none) is readable or timeout_ms (< 0: no limit)
	 * passes, then says in *result_r what changed, as check() does.  Flag
	 * changes not yet written go to the server first.  A dropped
	 * connection is re-established here, with notify() told.
	 */
	int (*idle)(struct backend_folder *folder, int wake_fd, int timeout_ms,
	            enum backend_check *result_r, struct err *err);
	/*
	 * Optional: copies (move: moves) messages idx[0..n) into the folder
	 * named by dest when the server can do it by itself (IMAP COPY or
	 * MOVE within one account).  *done_r is 0, and nothing happened,
	 * when it cannot (another server or kind of store): the caller then
	 * copies with fetch() and append().  Creates dest first when
	 * params->create and the server says it is missing.  Moved messages
	 * leave as another client's expunge would: they stay in the
	 * numbering, marked deleted, until the next sync().
	 */
	int (*copy_to)(struct backend_folder *folder, const size_t *idx, size_t n,
	               const struct url *dest, int move, const struct backend_params *params,
	               int *done_r, struct err *err);
	/*
	 * Optional (BE_CAP_SEARCH): the summary ids of the open folder's
	 * messages matching query, in the backend's own search language
	 * (IMAP SEARCH keys: `UNSEEN FROM "alice"`), as the server finds
	 * them; *ids_r lives in arena.  A syntax error the server reports is
	 * ERR_REJECTED with its text.
	 */
	int (*search)(struct backend_folder *folder, const char *query, struct arena *arena,
	              uint64_t **ids_r, size_t *count_r, struct err *err);
	/*
	 * Optional: removes messages idx[0..n) that are marked deleted, and
	 * no other (IMAP UID EXPUNGE); the survivors keep their order and
	 * ids.  ERR_UNSUPPORTED where only sync() can expunge.
	 */
	int (*expunge)(struct backend_folder *folder, const size_t *idx, size_t n,
	               struct err *err);
	/* Optional: subscribes to (on) or unsubscribes from the folder named
	 * by url (IMAP SUBSCRIBE, UNSUBSCRIBE). */
	int (*subscribe)(const struct url *url, const struct backend_params *params, int on,
	                 struct err *err);
	/*
	 * Optional: the progress hooks and cancel fd of the job the worker
	 * runs now, for the operations on folder until the next call
	 * (progress NULL and cancel_fd -1 between jobs).  A network backend
	 * reports the bytes of long fetches through it and stops when it says
	 * so; progress is copied, its ctx must live until the next call.
	 */
	void (*set_job)(struct backend_folder *folder, const struct backend_progress *progress,
	                int cancel_fd);
};

/* The backends this build has. */
extern const struct backend_ops backend_mbox_ops;
extern const struct backend_ops backend_maildir_ops;

/* Fills *params with the defaults above.  Any thread. */
void backend_params_init(struct backend_params *params);

/*
 * The backend for url.  "mbox://" and "maildir://" force a format; a bare
 * path (scheme "file") is a maildir when it is a directory holding cur/,
 * new/ and tmp/, and an mbox otherwise (a file, a missing path, a
 * directory of folders).  Schemes petrel knows but this build lacks, and
 * unknown schemes, fail with ERR_UNSUPPORTED and a sentence naming them.
 * Looks at the file system: blocks briefly; any thread.
 */
const struct backend_ops *backend_for_url(const struct url *url, struct err *err);
/* The backend with this name ("mbox"), or NULL.  Pure. */
const struct backend_ops *backend_by_name(const char *name);
/* Every backend in this build, NULL-terminated.  Pure. */
const struct backend_ops *const *backend_all(void);

/*
 * Helpers for backend implementations: nonzero when the progress hook
 * or the cancel fd (-1: none) asks to stop; and a report that tolerates
 * a NULL hook.  Worker thread; never block.
 */
int backend_cancelled(const struct backend_progress *progress, int cancel_fd);
void backend_report(const struct backend_progress *progress, uint64_t done, uint64_t total,
                    const char *label);

#endif
