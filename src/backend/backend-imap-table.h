/*
 * backend-imap-table: the messages of a selected IMAP mailbox as petrel
 * numbers them, and the server's sequence numbers over them.
 *
 * Entries are in UID order, which is also the server's sequence order
 * (RFC 3501 2.3.1.1).  An entry's index is the number backend.h promises
 * faces: it changes only when the caller compacts the table.  A message
 * another client expunged stays as a tombstone (GONE) until then, so the
 * faces' numbering holds while the server's sequence numbers move on; a
 * Fenwick tree over the live entries maps sequence numbers to indexes and
 * back in O(log n), so even a flood of EXPUNGEs costs little.  Messages
 * the server announced (EXISTS) before their UIDs are known are
 * placeholders (UID 0) at the end, filled in order.
 *
 * Memory: 8 bytes an entry and 4 for the tree.  Nothing here is sized
 * from what a server says: entries are appended one at a time.
 *
 * Plain data: one thread at a time; nothing blocks.
 */
#ifndef BACKEND_IMAP_TABLE_H
#define BACKEND_IMAP_TABLE_H

#include <stddef.h>
#include <stdint.h>

enum backend_imap_msg_state {
	BACKEND_IMAP_MSG_KNOWN = 1 << 0, /* flags came from the server (or the cache) */
	BACKEND_IMAP_MSG_GONE = 1 << 1,  /* expunged on the server: a tombstone */
	BACKEND_IMAP_MSG_DIRTY = 1 << 2, /* flags changed since the cache was written */
};

struct backend_imap_msg {
	uint32_t uid;   /* 0: a placeholder whose UID is not known yet */
	uint8_t flags;  /* enum mime_flag bits as on the server */
	uint8_t pset;   /* mime_flag bits to set that the server has not confirmed */
	uint8_t pclear; /* ... and to clear */
	uint8_t st;     /* enum backend_imap_msg_state */
};

struct backend_imap_table {
	struct backend_imap_msg *m;
	size_t n;      /* entries, tombstones and placeholders included */
	size_t cap;    /* a power of two (the tree's size) */
	uint32_t *fen; /* Fenwick tree of live counts, 1-based, cap entries */
	size_t live;   /* entries not GONE: the server's message count */
	size_t known;  /* entries [0, known) have UIDs; the rest are placeholders */
};

void backend_imap_table_init(struct backend_imap_table *t);
void backend_imap_table_free(struct backend_imap_table *t);
/* Empties the table, keeping nothing. */
void backend_imap_table_reset(struct backend_imap_table *t);

/* Appends a live entry: uid must be above every known UID (-1 if not), or
 * 0 for a placeholder.  flags are mime_flag bits (st KNOWN when known). */
int backend_imap_table_append(struct backend_imap_table *t, uint32_t uid, unsigned flags,
                              int known);
/* Index of the live message with this sequence number (1-based), or -1. */
int backend_imap_table_seq_index(const struct backend_imap_table *t, uint32_t seq, size_t *index_r);
/* Sequence number of a live entry (its rank among live entries). */
uint32_t backend_imap_table_index_seq(const struct backend_imap_table *t, size_t index);
/* The entry with this UID, GONE or not: 1 found, 0 not. */
int backend_imap_table_find(const struct backend_imap_table *t, uint32_t uid, size_t *index_r);
/* The first known entry whose UID is >= uid (n_known when none). */
size_t backend_imap_table_lower_bound(const struct backend_imap_table *t, uint32_t uid);
/* Marks a live entry expunged. */
void backend_imap_table_gone(struct backend_imap_table *t, size_t index);
/* Gives the placeholder at `index` its UID: it must be the first
 * placeholder still live, and uid above every known UID.  -1 otherwise
 * (the server contradicts itself). */
int backend_imap_table_set_uid(struct backend_imap_table *t, size_t index, uint32_t uid);
/* Drops tombstones (and dead placeholders); the survivors keep their
 * order.  Returns how many were dropped. */
size_t backend_imap_table_compact(struct backend_imap_table *t);
/* Live placeholders (messages announced whose UIDs are not known). */
size_t backend_imap_table_unknown(const struct backend_imap_table *t);
/* The highest known UID, 0 when none. */
uint32_t backend_imap_table_max_uid(const struct backend_imap_table *t);

#endif
