#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base-xalloc.h"
#include "core/core-queue.h"
#include "test-common.h"

#define PRODUCERS 2
#define PER_PRODUCER 10000
/* Only a guard against hanging forever when a wake-up is lost: the test
 * never waits this long when the queue works. */
#define LOST_WAKEUP_MS 20000

struct item {
	int producer;
	int seq;
	struct core_queue_node node;
};

static int freed;

static struct item *
item_new(int producer, int seq)
{
	struct item *it = xcalloc(1, sizeof(*it));

	it->producer = producer;
	it->seq = seq;
	return it;
}

static void
free_item(struct core_queue_node *node)
{
	freed++;
	free(CORE_QUEUE_ITEM(node, struct item, node));
}

static struct item *
pop_item(struct core_queue *q)
{
	struct core_queue_node *n = core_queue_pop(q);

	return n == NULL ? NULL : CORE_QUEUE_ITEM(n, struct item, node);
}

static int
readable(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

static void
test_fifo(void)
{
	struct err err;
	struct core_queue *q = core_queue_new(&err);
	int order_ok = 1;

	test_begin("queue FIFO and wake fd");
	test_assert(q != NULL);
	test_assert(!readable(core_queue_fd(q)));
	test_assert(core_queue_pop(q) == NULL);
	for (int i = 0; i < 5; i++) {
		struct item *it = item_new(0, i);

		core_queue_push(q, &it->node);
		if (!readable(core_queue_fd(q)))
			order_ok = 0;
	}
	test_assert(order_ok);
	for (int i = 0; i < 5; i++) {
		struct item *it = pop_item(q);

		if (it == NULL || it->seq != i)
			order_ok = 0;
		/* Readable exactly while items remain. */
		if (readable(core_queue_fd(q)) != (i < 4))
			order_ok = 0;
		free(it);
	}
	test_assert(order_ok);
	test_assert(core_queue_pop(q) == NULL);
	test_assert(!readable(core_queue_fd(q)));

	/* Empty, refilled, emptied again: no stale byte left behind. */
	{
		struct item *a = item_new(0, 100);
		struct item *b;

		core_queue_push(q, &a->node);
		test_assert(readable(core_queue_fd(q)));
		b = pop_item(q);
		test_assert(b == a);
		test_assert(!readable(core_queue_fd(q)));
		core_queue_push(q, &a->node);
		test_assert(readable(core_queue_fd(q)));
		test_assert(pop_item(q) == a);
		test_assert(!readable(core_queue_fd(q)));
		free(a);
	}
	core_queue_free(&q, NULL);
	test_assert(q == NULL);
	test_end();
}

static void
test_free_leftovers(void)
{
	struct err err;
	struct core_queue *q = core_queue_new(&err);

	test_begin("queue free hands leftovers to the free function once");
	freed = 0;
	for (int i = 0; i < 3; i++)
		core_queue_push(q, &item_new(0, i)->node);
	free(pop_item(q));
	core_queue_free(&q, free_item);
	test_assert_int(freed, 2);
	test_assert(q == NULL);
	core_queue_free(&q, free_item);
	test_assert_int(freed, 2);
	test_end();
}

static void
test_fds(void)
{
	struct err err;
	struct core_queue *q = core_queue_new(&err);
	int fds[2];

	test_begin("queue and pipe fds are non-blocking and close-on-exec");
	test_assert(fcntl(core_queue_fd(q), F_GETFD) & FD_CLOEXEC);
	test_assert(fcntl(core_queue_fd(q), F_GETFL) & O_NONBLOCK);
	test_assert_int(core_queue_pipe(fds, &err), 0);
	for (int i = 0; i < 2; i++) {
		test_assert(fcntl(fds[i], F_GETFD) & FD_CLOEXEC);
		test_assert(fcntl(fds[i], F_GETFL) & O_NONBLOCK);
	}
	test_assert_int(write(fds[1], "abc", 3), 3);
	core_queue_pipe_drain(fds[0]);
	test_assert(!readable(fds[0]));
	close(fds[0]);
	close(fds[1]);
	core_queue_free(&q, NULL);
	test_end();
}

struct producer {
	struct core_queue *q;
	int id;
	pthread_barrier_t *start;
};

static void *
produce(void *arg)
{
	struct producer *p = arg;

	pthread_barrier_wait(p->start);
	for (int i = 0; i < PER_PRODUCER; i++)
		core_queue_push(p->q, &item_new(p->id, i)->node);
	return NULL;
}

static void
test_contention(void)
{
	struct err err;
	struct core_queue *q = core_queue_new(&err);
	struct producer prod[PRODUCERS];
	pthread_t threads[PRODUCERS];
	pthread_barrier_t start;
	int next[PRODUCERS] = {0};
	int received = 0, in_order = 1, lost_wakeup = 0, spurious = 0;

	test_begin("two producers, one consumer polling the wake fd");
	pthread_barrier_init(&start, NULL, PRODUCERS + 1);
	for (int i = 0; i < PRODUCERS; i++) {
		prod[i] = (struct producer){.q = q, .id = i, .start = &start};
		pthread_create(&threads[i], NULL, produce, &prod[i]);
	}
	pthread_barrier_wait(&start);
	while (received < PRODUCERS * PER_PRODUCER) {
		struct pollfd pfd = {.fd = core_queue_fd(q), .events = POLLIN};
		struct item *it;
		int got = 0;

		if (poll(&pfd, 1, LOST_WAKEUP_MS) != 1) {
			/* Items may sit in the queue with the fd silent:
			 * that is the lost wake-up this test is about. */
			lost_wakeup = 1;
			break;
		}
		while ((it = pop_item(q)) != NULL) {
			if (it->producer < 0 || it->producer >= PRODUCERS ||
			    it->seq != next[it->producer])
				in_order = 0;
			else
				next[it->producer]++;
			received++;
			got++;
			free(it);
		}
		/* The fd said readable, so there was something to pop. */
		if (got == 0)
			spurious++;
	}
	for (int i = 0; i < PRODUCERS; i++)
		pthread_join(threads[i], NULL);
	test_assert(!lost_wakeup);
	test_assert(in_order);
	test_assert_int(spurious, 0);
	test_assert_int(received, PRODUCERS * PER_PRODUCER);
	for (int i = 0; i < PRODUCERS; i++)
		test_assert_int(next[i], PER_PRODUCER);
	test_assert(core_queue_pop(q) == NULL);
	test_assert(!readable(core_queue_fd(q)));
	pthread_barrier_destroy(&start);
	core_queue_free(&q, NULL);
	test_end();
}

int
main(void)
{
	test_fifo();
	test_free_leftovers();
	test_fds();
	test_contention();
	return test_done();
}
