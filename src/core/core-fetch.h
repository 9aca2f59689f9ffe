/*
 * core-fetch: fetching mail from a POP3 server into the local notmuch
 * store (petrel --fetch ACCOUNT|URL).
 *
 * Keep mode (the default, pop3_delete=no) leaves every message on the
 * server and downloads only those it has not stored before; with
 * pop3_keep_days=N it deletes, on the server, messages stored at least N
 * days ago.  Delete mode (pop3_delete=yes, --delete) deletes every
 * message once it is stored.  "Stored" means written to the store's
 * maildir, fsynced and indexed by notmuch (backend/backend-pop3-store.h).
 *
 * What is remembered.  A state file per mailbox, STATE_DIR/USER@HOST:PORT.uidl
 * (STATE_DIR is $XDG_STATE_HOME/petrel/pop3, else ~/.local/state/petrel/pop3),
 * lists the unique-ids (UIDL) of the messages stored, each with the time
 * it was stored:
 *
 *     # petrel POP3 state: ...
 *     F 1763830000 <unique-id>
 *
 * It is rewritten whole with file_write_atomic (old or new contents after
 * any crash, never a mix), and holds only unique-ids the server still
 * lists.  It is a cache: the store is the truth.  Each message also has a
 * key (SHA-256 of USER@HOST and its unique-id), which names its maildir
 * file and is written in notmuch as the property petrel-pop3=KEY, so
 * "is this message stored?" is answered by the store itself for any
 * message the state file does not list.  Losing the state file costs
 * lookups, never a duplicate or a lost message.
 *
 * The run, and why each step comes where it does:
 *
 *   1. lock STATE.lock (flock): one fetch per mailbox at a time;
 *   2. connect, STLS or TLS, log in; LIST and UIDL;
 *   3. for each message:
 *        unique-id in the state file      -> stored; DELE it if delete mode,
 *                                            or keep_days passed
 *        else found in the store by key   -> stored by a run that stopped
 *                                            before recording it: recorded
 *                                            at the next state write (and
 *                                            DELEd in delete mode)
 *        else                             -> to fetch
 *      messages without a usable unique-id (no UIDL at all, a malformed
 *      one, one shared by two messages) are always fetched; their key is
 *      their content's hash, looked up once downloaded, so one already
 *      stored is not stored again (keep mode downloads them on every
 *      run and deletes nothing: a warning says so);
 *   4. in batches (256 messages, 32 MiB or 5 seconds, whichever comes
 *      first; a batch that fills while the one before it is still being
 *      made durable grows, up to four times that, rather than wait):
 *        a. RETR each, pipelined; a message counts only once the
 *           server's terminating line came: one cut off by a dropped
 *           connection, a timeout or a cancel is never stored, and the
 *           run ends (the next run fetches it);
 *        b. write each to the maildir's tmp/ (backend_pop3_store_add);
 *        c. commit: the files made durable, linked into new/ under
 *           their key's name, new/ fsynced, indexed in one notmuch
 *           transaction (backend_pop3_store_commit);
 *        d. record their unique-ids in the state file (atomic write;
 *           at most once a second while batches land, and once more
 *           when the last has landed);
 *        e. delete mode: DELE each of them (a mark: the server deletes
 *           at step 5 only);
 *      c's flush of the batch's files (the syncfs), their renames into
 *      new/ and new/'s fsync run in the store's commit thread while the
 *      next batch goes through a and b (the disk writes one batch back
 *      while the network brings the next; a and b go on all the while,
 *      in one pipelined list of RETRs for the whole download);
 *      the rest of c, then d and e, come only once that flush returned,
 *      and a batch goes to c only once the one before it has been
 *      through d and e: at most one batch is in flight;
 *   5. QUIT: only its +OK means the server deleted what was marked
 *      (RFC 1939 UPDATE).  Then the deleted unique-ids leave the state.
 *
 * A crash (SIGKILL, power loss) at any point: before c, nothing is under
 * a final name, and the next run fetches the batch again; between c and
 * d, the files are in new/ (indexed, or not yet) and the next run finds
 * them by key instead of downloading them; after d, the state says so.
 * No QUIT was answered, so the server deleted nothing: the next run sees
 * every message again and deletes (in delete mode) those it stored.
 * Hence after any crash and one complete run, every message is in the
 * store once and, in delete mode, the server is empty.
 *
 * A message whose size differs from what LIST said is stored all the
 * same (its end was seen: the copy is what the server sent), with a
 * warning; deleted as any other.  A RETR the server refuses (-ERR) is
 * skipped with a warning, never deleted, and the run goes on; it then
 * ends with an error naming how many were skipped.
 *
 * Into a plain maildir (to_maildir: petrel --fetch ... --to DIR), the
 * run is the same without notmuch: step 4c ends once the files are in
 * new/ and new/ is durable, and "found in the store" means a file
 * KEY.pop3.petrel in new/, or in cur/ with any flags.  The state file is
 * the server mailbox's, whichever the destination: a message fetched
 * into the notmuch store is not fetched again into a maildir, as
 * fetchmail's and mpop's lists of unique-ids are per server too.
 *
 * Threads: params are built on the main thread from the config; the
 * fetch runs in a worker (core-worker.h), which the mailx face waits for
 * (core_fetch_sync) and the TUI does not (core_fetch_new).
 */
#ifndef CORE_FETCH_H
#define CORE_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"

struct config;
struct core_queue;
struct core_worker;

/* Everything a fetch needs, copied out of the config (strings owned). */
struct core_fetch_params {
	char *name; /* what the user named: the account, or the URL without password */
	char *host;
	char *port;       /* NULL: the scheme's (110, 995) */
	int implicit_tls; /* pop3s:// */
	char *user;
	char *password;   /* NULL: not known yet (the face may ask the user) */
	/* pop3_pass_command, when neither the URL nor pop3_pass gave a
	   password: run by the fetch's worker, so a face never waits for it
	   and Ctrl-G / Ctrl-C stop it. */
	char *pass_command;
	/* With no password and no pass_command, the fetch's worker asks this
	   (NULL: nobody): the contract of core_account_prompt_fn. */
	int (*prompt)(void *ctx, const char *server, int cancel_fd, char **password_r,
	              struct err *err);
	void *prompt_ctx;
	char *mechanisms; /* pop3_auth_mechanisms; NULL: strongest common */
	int starttls;     /* pop3_starttls: 1 required, 0 optional, -1 no */
	int allow_plaintext;
	char *tls_ca_file;
	int tls_verify;
	int connect_timeout_ms;
	int io_timeout_ms;
	int delete_mode; /* pop3_delete, or --delete */
	long keep_days;  /* pop3_keep_days; 0: keep forever */
	char *state_dir; /* where the .uidl files go */
	char *db_path;   /* notmuch_db; NULL: the notmuch configuration's */
	char *to_maildir; /* deliver into this plain maildir; NULL: the notmuch store */
	uint64_t max_message;
	int lock_timeout_ms; /* waiting for the notmuch write lock; 0: 30 s */
	/* Batch limits; 0: the defaults above. */
	size_t batch_messages;
	size_t batch_bytes;
	int batch_ms;
};

/* What a fetch did. */
struct core_fetch_result {
	size_t listed;     /* messages on the server */
	size_t fetched;    /* downloaded and stored by this run */
	size_t known;      /* stored before (state file, or found in the store) */
	size_t deleted;    /* deleted by the server at QUIT */
	size_t refused;    /* RETR answered -ERR: skipped */
	size_t mismatched; /* size differed from LIST's */
	int no_uidl;       /* the server has no UIDL */
	char server[300];  /* user@host:port */
};

/*
 * Fills *p for `what`: an account name (its pop3_url and the account's
 * pop3_* settings) or a pop3:// or pop3s:// URL (the global settings).
 * The password comes from the URL, else pop3_pass; else it stays NULL
 * and pass_command holds pop3_pass_command (if set), which the fetch's
 * worker runs.  Fails with ERR_USAGE naming what is wrong.  Main thread
 * (reads the config); does not block.  Clear with
 * core_fetch_params_clear(), even after a failure.
 */
int core_fetch_params_from_config(const struct config *cfg, const char *what,
                                  struct core_fetch_params *p, struct err *err);
void core_fetch_params_clear(struct core_fetch_params *p);

/*
 * Runs command with /bin/sh (pop3_pass_command) and gives the first line
 * it printed in *out_r (the caller wipes and frees it).  cancel_fd (-1:
 * none) turning readable stops it.  Fails with ERR_AUTH naming server
 * when it fails or prints nothing.  Any thread; blocks while it runs.
 */
int core_fetch_pass_command(const char *command, const char *server, int cancel_fd, char **out_r,
                            struct err *err);

/* The state directory petrel uses when none is given: $XDG_STATE_HOME/petrel/pop3,
 * else ~/.local/state/petrel/pop3.  Caller frees; NULL when no home is known. */
char *core_fetch_default_state_dir(void);

/* Called with each progress report of the fetch (face thread). */
typedef void core_fetch_progress_fn(void *ctx, uint64_t done, uint64_t total, const char *label);

/*
 * Runs one fetch in a worker thread and waits for it: progress goes to fn
 * (NULL: none), interrupt_fd (-1: none) turning readable cancels it.
 * *result_r says what was done, also after a failure (what was stored is
 * stored).  Face thread; blocks until the fetch ends.
 */
int core_fetch_sync(const struct core_fetch_params *p, core_fetch_progress_fn *fn, void *ctx,
                    int interrupt_fd, struct core_fetch_result *result_r, struct err *err);

/*
 * The same run as a job a face does not wait for (the TUI's fetch-mail).
 * core_fetch_new() starts a worker of its own for one mailbox, taking
 * over what *p holds (*p is left cleared); its events go to `events`,
 * which the caller frees only after core_fetch_free().  Each
 * CORE_REQ_CONNECT posted to core_fetch_worker() is one run: progress
 * events with the same labels as core_fetch_sync's, then DONE or ERROR
 * (ERR_CANCELLED after core_job_cancel: what was committed stays
 * committed and recorded, as after an error).  Face thread; none of these
 * blocks except core_fetch_free(), which cancels a run under way and
 * waits for it to stop.
 */
struct core_fetch;

int core_fetch_new(struct core_fetch_params *p, struct core_queue *events,
                   struct core_fetch **fetch_r, struct err *err);
struct core_worker *core_fetch_worker(struct core_fetch *fetch);
/* What the user named (the account, or the URL without its password). */
const char *core_fetch_name(const struct core_fetch *fetch);
/* What the last run did; valid once its final event was read. */
void core_fetch_last_result(const struct core_fetch *fetch, struct core_fetch_result *result_r);
void core_fetch_free(struct core_fetch **fetch);

#endif
