/* A worker thread's password question: answered, given up by the user,
 * cancelled by its job, and answers to old questions dropped. */
#include "config.h"

#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test-common.h"
#include "ui/ui-ask.h"

struct asker {
	struct ui_ask *ask;
	int cancel_fd;
	int rc;
	char *password;
	struct err err;
	pthread_t thread;
};

static void *
asker_run(void *p)
{
	struct asker *a = p;

	a->rc = ui_ask_password(a->ask, "alice@mail.example", a->cancel_fd, &a->password, &a->err);
	return NULL;
}

static void
asker_start(struct asker *a, struct ui_ask *ask, int cancel_fd)
{
	memset(a, 0, sizeof(*a));
	a->ask = ask;
	a->cancel_fd = cancel_fd;
	pthread_create(&a->thread, NULL, asker_run, a);
}

/* Waits up to 5 s for the question fd; 1 when it became readable. */
static int
question_shows(struct ui_ask *ask)
{
	struct pollfd pfd = {.fd = ui_ask_fd(ask), .events = POLLIN};

	return poll(&pfd, 1, 5000) == 1;
}

static void
test_answered(struct ui_ask *ask)
{
	struct asker a;
	uint64_t id = 0, none;
	char *q;

	test_begin("a question answered");
	{
		struct pollfd pfd = {.fd = ui_ask_fd(ask), .events = POLLIN};

		test_assert(poll(&pfd, 1, 0) == 0);
	}
	test_assert(ui_ask_take(ask, &none) == NULL);
	asker_start(&a, ask, -1);
	test_assert(question_shows(ask));
	q = ui_ask_take(ask, &id);
	test_assert_str(q, "Password for alice@mail.example: ");
	test_assert(id != 0);
	/* Handed out once. */
	test_assert(ui_ask_take(ask, &none) == NULL);
	/* An answer to another question is dropped; the right one counts. */
	ui_ask_answer(ask, id + 1, "wrong");
	ui_ask_answer(ask, id, "s3cret");
	pthread_join(a.thread, NULL);
	test_assert_int(a.rc, 0);
	test_assert_str(a.password, "s3cret");
	free(a.password);
	free(q);
	test_end();
}

static void
test_given_up(struct ui_ask *ask)
{
	struct asker a;
	uint64_t id = 0;
	char *q;

	test_begin("the user gives up");
	asker_start(&a, ask, -1);
	test_assert(question_shows(ask));
	q = ui_ask_take(ask, &id);
	test_assert(q != NULL);
	ui_ask_answer(ask, id, NULL);
	pthread_join(a.thread, NULL);
	test_assert_int(a.rc, -1);
	test_assert_int(a.err.kind, ERR_CANCELLED);
	test_assert(strstr(a.err.msg, "login cancelled") != NULL);
	test_assert(a.password == NULL);
	free(q);
	test_end();
}

static void
test_cancelled(struct ui_ask *ask)
{
	struct asker a;
	uint64_t id = 0, id2 = 0;
	int fds[2];
	char *q;

	test_begin("the job is cancelled while the question is out");
	test_assert(pipe(fds) == 0);
	asker_start(&a, ask, fds[0]);
	test_assert(question_shows(ask));
	q = ui_ask_take(ask, &id);
	test_assert(write(fds[1], "x", 1) == 1);
	pthread_join(a.thread, NULL);
	test_assert_int(a.rc, -1);
	test_assert_int(a.err.kind, ERR_CANCELLED);
	/* The answer typed afterwards goes nowhere, and the next question
	 * is a new one. */
	ui_ask_answer(ask, id, "late");
	free(q);
	close(fds[0]);
	close(fds[1]);
	asker_start(&a, ask, -1);
	test_assert(question_shows(ask));
	q = ui_ask_take(ask, &id2);
	test_assert(id2 != id);
	ui_ask_answer(ask, id2, "again");
	pthread_join(a.thread, NULL);
	test_assert_int(a.rc, 0);
	test_assert_str(a.password, "again");
	free(a.password);
	free(q);
	test_end();
}

int
main(void)
{
	struct ui_ask *ask = NULL;
	struct err err;

	test_assert(ui_ask_new(&ask, &err) == 0);
	test_answered(ask);
	test_given_up(ask);
	test_cancelled(ask);
	ui_ask_free(&ask);
	test_assert(ask == NULL);
	return test_done();
}
