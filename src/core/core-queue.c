#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "core/core-queue.h"

struct core_queue {
	pthread_mutex_t lock;
	struct core_queue_node *head;
	struct core_queue_node *tail;
	int wake[2];
};

int
core_queue_pipe(int fds_r[2], struct err *err)
{
#if defined(HAVE_PIPE2) || defined(__linux__)
	/* Atomically close-on-exec: another thread may fork an editor or a
	 * password command at any moment, and must not inherit our pipes. */
	if (pipe2(fds_r, O_CLOEXEC | O_NONBLOCK) < 0)
		return err_sys(err, ERR_INTERNAL, errno, "cannot create a pipe");
#else
	if (pipe(fds_r) < 0)
		return err_sys(err, ERR_INTERNAL, errno, "cannot create a pipe");
	for (int i = 0; i < 2; i++) {
		int fl = fcntl(fds_r[i], F_GETFL);

		if (fl < 0 || fcntl(fds_r[i], F_SETFL, fl | O_NONBLOCK) < 0 ||
		    fcntl(fds_r[i], F_SETFD, FD_CLOEXEC) < 0) {
			int e = errno;

			close(fds_r[0]);
			close(fds_r[1]);
			return err_sys(err, ERR_INTERNAL, e, "cannot set up a pipe");
		}
	}
#endif
	return 0;
}

void
core_queue_pipe_drain(int fd)
{
	char buf[64];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
}

struct core_queue *
core_queue_new(struct err *err)
{
	struct core_queue *q = xcalloc(1, sizeof(*q));

	if (core_queue_pipe(q->wake, err) < 0) {
		free(q);
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	return q;
}

void
core_queue_free(struct core_queue **queue, core_queue_free_fn *free_item)
{
	struct core_queue *q = *queue;
	struct core_queue_node *n;

	if (q == NULL)
		return;
	while ((n = q->head) != NULL) {
		q->head = n->next;
		n->next = NULL;
		if (free_item != NULL)
			free_item(n);
	}
	close(q->wake[0]);
	close(q->wake[1]);
	pthread_mutex_destroy(&q->lock);
	free(q);
	*queue = NULL;
}

void
core_queue_push(struct core_queue *q, struct core_queue_node *node)
{
	int was_empty;

	node->next = NULL;
	pthread_mutex_lock(&q->lock);
	was_empty = q->head == NULL;
	if (was_empty)
		q->head = node;
	else
		q->tail->next = node;
	q->tail = node;
	/* The byte is written under the lock, so it is in the pipe exactly
	 * while the list is non-empty.  The pipe never holds more than one
	 * byte, so this write cannot block or fill it. */
	if (was_empty) {
		ssize_t n;

		do
			n = write(q->wake[1], "", 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			log_error("queue wake-up lost: %s", n < 0 ? "write failed" : "short write");
	}
	pthread_mutex_unlock(&q->lock);
}

struct core_queue_node *
core_queue_pop(struct core_queue *q)
{
	struct core_queue_node *n;

	pthread_mutex_lock(&q->lock);
	n = q->head;
	if (n != NULL) {
		q->head = n->next;
		if (q->head == NULL) {
			q->tail = NULL;
			core_queue_pipe_drain(q->wake[0]);
		}
		n->next = NULL;
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

int
core_queue_fd(const struct core_queue *q)
{
	return q->wake[0];
}
