#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-fifo.h"
#include "base/base-xalloc.h"

void *
fifo_push(struct fifo *q)
{
	unsigned char *r;

	/* Slide down before growing: a queue that is drained as fast as it
	 * fills keeps its first allocation. */
	if (q->head > 0 && q->head + q->n == q->cap) {
		memmove(q->v, q->v + q->head * q->elem, q->n * q->elem);
		q->head = 0;
	}
	if (q->head + q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->v = xreallocarray(q->v, q->cap, q->elem);
	}
	r = q->v + (q->head + q->n++) * q->elem;
	memset(r, 0, q->elem);
	return r;
}

void *
fifo_at(const struct fifo *q, size_t i)
{
	return i < q->n ? q->v + (q->head + i) * q->elem : NULL;
}

void
fifo_pop(struct fifo *q)
{
	if (q->n == 0)
		return;
	q->head++;
	q->n--;
	if (q->n == 0)
		q->head = 0;
}

void
fifo_truncate(struct fifo *q, size_t n)
{
	if (n < q->n)
		q->n = n;
	if (q->n == 0)
		q->head = 0;
}

void
fifo_free(struct fifo *q)
{
	free(q->v);
	q->v = NULL;
	q->head = q->n = q->cap = 0;
}
