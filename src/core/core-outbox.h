/*
 * core-outbox: the messages waiting to be sent, kept so that none is lost.
 *
 * The outbox is a maildir (the outbox variable; by default
 * $XDG_STATE_HOME/petrel/outbox, else ~/.local/state/petrel/outbox),
 * created when first used, that any maildir reader can open.  Each
 * message is one file: an envelope block, then the message exactly as it
 * goes to the server:
 *
 *   X-Petrel-Outbox: 1
 *   X-Petrel-Envelope-From: <alice@example.org>
 *   X-Petrel-Envelope-To: <bob@example.org>     one line per recipient,
 *   X-Petrel-Envelope-To: <hidden@example.org>  Bcc recipients included
 *   X-Petrel-Record: /home/alice/Mail/sent      the Fcc folder, if any
 *   From: alice@example.org
 *   ...
 *
 * The envelope block is cut off before the message is sent or copied:
 * neither the server nor the record folder sees it, so Bcc recipients
 * stay in the envelope only.
 *
 * The state of a message is where its file is and a lower-case letter
 * in its maildir info, which mail readers keep as they find it (they set
 * the upper-case flags):
 *
 *   state       file                     meaning
 *   QUEUED      new/ID, cur/ID:2,        to send
 *   SENDING     cur/ID:2,s               its end may have reached the server
 *   SENT_COPY   cur/ID:2,c               sent; the copy for record is missing
 *   HELD        cur/ID:2,h               refused for good; kept for the user
 *
 * and it moves so:
 *
 *   queue:  tmp/ID written, fsynced, renamed to new/ID, new/ fsynced
 *           --> QUEUED (only now does the caller rely on the outbox)
 *   QUEUED --just before the end of the message goes out--> SENDING
 *   SENDING --the server's 250 to the end of the message-->
 *           record copy saved (or none asked for) --> file removed
 *           record copy failed                    --> SENT_COPY
 *   SENDING --refused with 4xx, or lost before the end went out--> QUEUED
 *   SENDING --lost after the end went out, no answer--> stays SENDING
 *   QUEUED, SENDING --refused with 5xx--> appended to dead.letter, then
 *           removed; HELD when no dead.letter is to be written
 *   SENT_COPY --copy saved--> removed
 *
 * A flush sends QUEUED and SENDING messages in the order they were
 * queued and retries the copies of SENT_COPY ones; HELD ones wait for
 * the user.  Why nothing is lost and nothing is sent more than twice:
 * from the moment queue() returns until after the server's 250, a file
 * holds the message under a QUEUED or SENDING name, and a flush after a
 * crash at any point sends both; only a crash after the 250 and before
 * the removal reached the disk sends a message a second time.  The move
 * to SENDING is therefore not fsynced (it only lets a flush warn that a
 * message may go out twice); queueing and the writes that replace a
 * message elsewhere (dead.letter) are.
 *
 * A record of "\Sent" (core-submit.h) stands for the folder the IMAP
 * account's server marks \Sent, looked up when the copy is made.
 *
 * Every process that sends from the outbox holds its lock (an flock on
 * .lock in the outbox) meanwhile, so a flush from cron and a send from
 * the command line never send the same message twice.
 *
 * Threads: an outbox handle belongs to one thread at a time.  Every
 * function blocks on the file system.
 */
#ifndef CORE_OUTBOX_H
#define CORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base-err.h"

enum core_outbox_state {
	CORE_OUTBOX_QUEUED,
	CORE_OUTBOX_SENDING,
	CORE_OUTBOX_SENT_COPY,
	CORE_OUTBOX_HELD,
};

/* One message of the outbox: its unique name and where it is now. */
struct core_outbox_entry {
	char *id;   /* the unique part of the file name; sorts in queue order */
	char *path; /* the file as it is named now */
	enum core_outbox_state state;
};

/* What goes in front of a message; strings are copied into the file. */
struct core_outbox_envelope {
	const char *from;         /* MAIL FROM, bare; "" for the null sender */
	const char *const *rcpts; /* RCPT TO, bare */
	size_t n_rcpts;
	const char *record; /* the folder for the copy of the sent message, or NULL */
};

/* A message read back: the envelope and the message after the block. */
struct core_outbox_item {
	char *from;
	char **rcpts;
	size_t n_rcpts;
	char *record; /* NULL when none */
	char *file;   /* the whole file */
	size_t file_len;
	const char *msg; /* the message, inside file */
	size_t msg_len;
};

struct core_outbox;

/* Opens the outbox at dir, creating it (mode 0700) and its tmp/, new/ and
 * cur/ when missing.  The caller frees it with core_outbox_free(). */
int core_outbox_open(const char *dir, struct core_outbox **ob_r, struct err *err);
/* Releases the lock if held and frees; sets *ob to NULL.  NULL is fine. */
void core_outbox_free(struct core_outbox **ob);
const char *core_outbox_dir(const struct core_outbox *ob);

/*
 * Takes the outbox's lock, waiting up to timeout_ms while another
 * process holds it; ERR_CANCELLED when cancel_fd (-1: none) turns
 * readable meanwhile, ERR_IO naming the other sender when the time runs
 * out.  Holding it already is fine.
 */
int core_outbox_lock(struct core_outbox *ob, int timeout_ms, int cancel_fd, struct err *err);
void core_outbox_unlock(struct core_outbox *ob);

/*
 * Writes the message with its envelope durably as a new QUEUED entry
 * and fills *entry_r (the caller clears it with core_outbox_entry_clear).
 * Fails with ERR_USAGE on an address or record name that cannot be
 * written in the block (control characters, angle brackets, no
 * recipient), ERR_IO when the disk says no (nothing is left behind).
 */
int core_outbox_queue(struct core_outbox *ob, const struct core_outbox_envelope *env,
                      const char *data, size_t len, struct core_outbox_entry *entry_r,
                      struct err *err);

/* Every entry, oldest first; the caller frees with
 * core_outbox_entries_free().  Files that are not entries are skipped. */
int core_outbox_list(struct core_outbox *ob, struct core_outbox_entry **entries_r, size_t *count_r,
                     struct err *err);
void core_outbox_entries_free(struct core_outbox_entry *entries, size_t count);
void core_outbox_entry_clear(struct core_outbox_entry *entry);
/* A copy the caller clears. */
void core_outbox_entry_copy(struct core_outbox_entry *dst, const struct core_outbox_entry *src);

/* Reads an entry back; ERR_PARSE for a file without a valid envelope
 * block.  The caller clears *item with core_outbox_item_clear(). */
int core_outbox_load(struct core_outbox *ob, const struct core_outbox_entry *entry,
                     struct core_outbox_item *item, struct err *err);
void core_outbox_item_clear(struct core_outbox_item *item);

/* Moves the entry to state (renaming its file; entry->path follows).
 * durable: fsync the directory afterwards. */
int core_outbox_set_state(struct core_outbox *ob, struct core_outbox_entry *entry,
                          enum core_outbox_state state, bool durable, struct err *err);
/* Takes the entry out of the outbox: its file is renamed into tmp/ at
 * once and unlinked by a thread of the handle (unlinking can be slow);
 * not fsynced: see core_outbox_sync. */
int core_outbox_remove(struct core_outbox *ob, struct core_outbox_entry *entry, struct err *err);
/* Waits for the removals handed to the thread, then makes every rename
 * and removal so far durable (fsyncs new/ and cur/). */
int core_outbox_sync(struct core_outbox *ob, struct err *err);

/* "queued", "sending"... for messages. */
const char *core_outbox_state_name(enum core_outbox_state state);

#endif
