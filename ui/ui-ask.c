/* A worker's password question, handed to the UI thread and answered. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base-xalloc.h"
#include "ui/ui-ask.h"

struct ui_ask {
	pthread_mutex_t lock;
	pthread_mutex_t turn; /* held by the worker whose question is out */
	int shown[2];         /* question pipe: the UI polls shown[0] */
	int answered[2];      /* answer pipe: the asking worker polls answered[0] */
	uint64_t next_id;
	/* Under lock: */
	uint64_t id;    /* the question out, 0: none */
	char *question; /* its text; NULL once taken by the UI */
	int has_answer;
	char *answer; /* NULL with has_answer: the user gave up */
};

static void
wipe(char **s)
{
	if (*s != NULL) {
		explicit_bzero(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

int
ui_ask_new(struct ui_ask **ask_r, struct err *err)
{
	struct ui_ask *a = xcalloc(1, sizeof(*a));

	if (pipe2(a->shown, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(a);
		return err_sys(err, ERR_INTERNAL, errno, "cannot create a pipe");
	}
	if (pipe2(a->answered, O_CLOEXEC | O_NONBLOCK) < 0) {
		close(a->shown[0]);
		close(a->shown[1]);
		free(a);
		return err_sys(err, ERR_INTERNAL, errno, "cannot create a pipe");
	}
	pthread_mutex_init(&a->lock, NULL);
	pthread_mutex_init(&a->turn, NULL);
	*ask_r = a;
	return 0;
}

void
ui_ask_free(struct ui_ask **ask)
{
	struct ui_ask *a = *ask;

	if (a == NULL)
		return;
	close(a->shown[0]);
	close(a->shown[1]);
	close(a->answered[0]);
	close(a->answered[1]);
	free(a->question);
	wipe(&a->answer);
	pthread_mutex_destroy(&a->lock);
	pthread_mutex_destroy(&a->turn);
	free(a);
	*ask = NULL;
}

int
ui_ask_fd(const struct ui_ask *ask)
{
	return ask->shown[0];
}

static void
drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void
poke(int fd)
{
	/* A full pipe is already readable: nothing lost. */
	while (write(fd, "x", 1) < 0 && errno == EINTR)
		;
}

char *
ui_ask_take(struct ui_ask *ask, uint64_t *id_r)
{
	char *q;

	drain(ask->shown[0]);
	pthread_mutex_lock(&ask->lock);
	q = ask->question;
	ask->question = NULL;
	*id_r = ask->id;
	pthread_mutex_unlock(&ask->lock);
	return q;
}

void
ui_ask_answer(struct ui_ask *ask, uint64_t id, const char *answer)
{
	int ok;

	pthread_mutex_lock(&ask->lock);
	ok = id != 0 && id == ask->id && !ask->has_answer;
	if (ok) {
		ask->has_answer = 1;
		ask->answer = answer != NULL ? xstrdup(answer) : NULL;
	}
	pthread_mutex_unlock(&ask->lock);
	if (ok)
		poke(ask->answered[1]);
}

int
ui_ask_password(void *ctx, const char *server, int cancel_fd, char **password_r,
                struct err *err)
{
	struct ui_ask *ask = ctx;
	uint64_t id;
	int rc = -1;

	*password_r = NULL;
	pthread_mutex_lock(&ask->turn);
	drain(ask->answered[0]);
	pthread_mutex_lock(&ask->lock);
	id = ++ask->next_id;
	ask->id = id;
	free(ask->question);
	ask->question = xasprintf("Password for %s: ", server);
	ask->has_answer = 0;
	wipe(&ask->answer);
	pthread_mutex_unlock(&ask->lock);
	poke(ask->shown[1]);
	for (;;) {
		struct pollfd pfd[2] = {{.fd = ask->answered[0], .events = POLLIN},
		                        {.fd = cancel_fd, .events = POLLIN}};
		int n = poll(pfd, cancel_fd >= 0 ? 2 : 1, -1), done = 0;

		if (n < 0 && errno != EINTR) {
			err_sys(err, ERR_INTERNAL, errno, "cannot wait for the password");
			break;
		}
		if (n > 0 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) && cancel_fd >= 0) {
			err_set(err, ERR_CANCELLED, "%s: login cancelled", server);
			break;
		}
		drain(ask->answered[0]);
		pthread_mutex_lock(&ask->lock);
		if (ask->has_answer) {
			done = 1;
			if (ask->answer != NULL) {
				*password_r = ask->answer;
				ask->answer = NULL;
				rc = 0;
			} else {
				err_set(err, ERR_CANCELLED, "%s: login cancelled (no password given)",
				        server);
			}
		}
		pthread_mutex_unlock(&ask->lock);
		if (done)
			break;
	}
	pthread_mutex_lock(&ask->lock);
	ask->id = 0;
	xfree(&ask->question);
	ask->has_answer = 0;
	wipe(&ask->answer);
	pthread_mutex_unlock(&ask->lock);
	pthread_mutex_unlock(&ask->turn);
	return rc;
}
