/*
 * core-queue: the thread-safe queue that carries requests to a worker and
 * events back to a face, with a wake pipe for poll().
 *
 * Intrusive: an item embeds a `struct core_queue_node`, so pushing never
 * allocates, never fails and never blocks.  Any number of threads may push;
 * one thread pops (the queue's consumer).  Pushing hands the item over: the
 * consumer that pops it owns it.
 *
 * The wake pipe is readable exactly while the queue holds an item: the
 * byte is written when the queue goes from empty to non-empty and read
 * back when the last item is popped, both under the queue's lock.  So a
 * consumer may poll() the fd, then pop until NULL, and can neither miss an
 * item nor spin on a stale wake-up.  Both ends of the pipe are non-blocking
 * and close-on-exec.
 */
#ifndef CORE_QUEUE_H
#define CORE_QUEUE_H

#include <stddef.h>

#include "base/base-err.h"

struct core_queue_node {
	struct core_queue_node *next;
};

/* The item that embeds node as its member `member`. */
#define CORE_QUEUE_ITEM(node, type, member) \
	((type *)(void *)((char *)(node) - offsetof(type, member)))

struct core_queue;

/* Frees an item left in a queue when the queue is freed. */
typedef void core_queue_free_fn(struct core_queue_node *node);

/*
 * A new empty queue; the caller owns it.  Fails (ERR_INTERNAL) only when
 * the system will not give a pipe.  Any thread; does not block.
 */
struct core_queue *core_queue_new(struct err *err);

/*
 * Frees the queue and hands every item still in it to free_item (which
 * may be NULL when the queue is known to be empty); sets *queue to NULL.
 * No other thread may use the queue any more.
 */
void core_queue_free(struct core_queue **queue, core_queue_free_fn *free_item);

/* Appends node and hands it over.  Any thread; never blocks. */
void core_queue_push(struct core_queue *queue, struct core_queue_node *node);

/*
 * Removes the oldest item and returns it (the caller owns it), or NULL
 * when the queue is empty.  The consumer thread only; never blocks.
 */
struct core_queue_node *core_queue_pop(struct core_queue *queue);

/*
 * The fd to poll() for POLLIN: readable exactly while the queue is not
 * empty.  Owned by the queue: never read, write or close it.
 */
int core_queue_fd(const struct core_queue *queue);

/*
 * A non-blocking, close-on-exec pipe (fds_r[0] reads, fds_r[1] writes), as
 * the queues and the worker cancel signal use.  The caller closes both.
 */
int core_queue_pipe(int fds_r[2], struct err *err);

/* Reads and discards whatever a non-blocking fd holds; never blocks. */
void core_queue_pipe_drain(int fd);

#endif
