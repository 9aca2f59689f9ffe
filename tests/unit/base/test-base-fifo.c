/* The record queue the protocol sessions keep their commands in. */
#include "config.h"

#include <stdint.h>

#include "base/base-fifo.h"
#include "test-common.h"

struct rec {
	uint32_t id;
	char pad[13]; /* an odd size, so that offsets are checked */
};

int
main(void)
{
	struct fifo q = FIFO_INIT(sizeof(struct rec));
	struct rec *r;
	uint32_t next = 0, expect = 0;
	int order_ok = 1, zeroed = 1;

	test_begin("an empty queue");
	test_assert(fifo_at(&q, 0) == NULL);
	fifo_pop(&q);
	test_assert_int(q.n, 0);
	test_end();

	test_begin("records come out in the order they went in");
	for (int i = 0; i < 3; i++) {
		r = fifo_push(&q);
		r->id = next++;
	}
	test_assert_int(q.n, 3);
	test_assert_int(((struct rec *)fifo_at(&q, 0))->id, 0);
	test_assert_int(((struct rec *)fifo_at(&q, 2))->id, 2);
	test_assert(fifo_at(&q, 3) == NULL);
	fifo_pop(&q);
	expect = 1;
	test_assert_int(((struct rec *)fifo_at(&q, 0))->id, 1);
	test_end();

	test_begin("interleaved pushes and pops across growth and sliding");
	for (int round = 0; round < 1000; round++) {
		for (int i = 0; i < round % 7 + 1; i++) {
			r = fifo_push(&q);
			if (r->id != 0 || r->pad[12] != 0)
				zeroed = 0;
			r->id = next++;
			r->pad[12] = 1;
		}
		for (int i = 0; i < round % 9 + 1 && q.n > 0; i++) {
			if (((struct rec *)fifo_at(&q, 0))->id != expect++)
				order_ok = 0;
			fifo_pop(&q);
		}
	}
	while (q.n > 0) {
		if (((struct rec *)fifo_at(&q, 0))->id != expect++)
			order_ok = 0;
		fifo_pop(&q);
	}
	test_assert(order_ok);
	test_assert(zeroed);
	test_assert_int(expect, next);
	test_assert_int(q.head, 0);
	test_assert(q.cap < 64); /* drained as fast as filled: no runaway growth */
	test_end();

	test_begin("free empties the queue");
	fifo_push(&q);
	fifo_free(&q);
	test_assert(q.v == NULL);
	test_assert_int(q.n, 0);
	test_assert_int(q.elem, sizeof(struct rec));
	test_end();
	return test_done();
}
