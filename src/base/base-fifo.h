/*
 * base-fifo: a first-in first-out queue of fixed-size records in one
 * growing array, for the command queues of the protocol sessions (what
 * is still to send, what awaits its reply).  Records are zeroed when
 * pushed; pointers into the queue stay valid only until the next push.
 * Pure computation; one thread at a time.
 */
#ifndef BASE_FIFO_H
#define BASE_FIFO_H

#include <stddef.h>

struct fifo {
	unsigned char *v;
	size_t elem; /* bytes per record */
	size_t head, n, cap;
};

/* An empty queue of records of elem bytes; owns no memory yet. */
#define FIFO_INIT(elem_size) {NULL, (elem_size), 0, 0, 0}

/* Appends a zeroed record and returns it. */
void *fifo_push(struct fifo *q);
/* The i-th record from the head (0: the oldest), or NULL past the end. */
void *fifo_at(const struct fifo *q, size_t i);
/* Drops the oldest record; the caller freed what it owned first. */
void fifo_pop(struct fifo *q);
/* Keeps only the n oldest records (n <= q->n): the end of a compaction
 * where the caller moved the records it keeps to the front. */
void fifo_truncate(struct fifo *q, size_t n);
/* Frees the array (not what records point to) and empties the queue. */
void fifo_free(struct fifo *q);

#endif
