/* Which backend serves a URL, and the helpers every backend shares. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>

#include "backend/backend-imap.h"
#include "backend/backend-local.h"
#include "backend/backend-notmuch.h"
#include "backend/backend-pop3.h"
#include "backend/backend.h"

/* The backends in this build; network and notmuch backends join here. */
static const struct backend_ops *const registry[] = {
    &backend_maildir_ops,
    &backend_mbox_ops,
    &backend_notmuch_ops,
    &backend_imap_ops,
    &backend_pop3_ops,
    NULL,
};

/* Schemes petrel knows whose backends this build does not have (yet). */
static const char *const pending_schemes[] = {
    "imap",    "imaps", "pop3",  "pop3s",      "pop",         "pops",
    "notmuch", "smtp",  "smtps", "submission", "submissions", NULL,
};

void
backend_params_init(struct backend_params *params)
{
	memset(params, 0, sizeof(*params));
	params->connect_timeout_ms = 30 * 1000;
	params->io_timeout_ms = 60 * 1000;
	params->lock_timeout_ms = 10 * 1000;
	params->stale_lock_s = 300;
	params->max_message = 1ULL << 30;
	params->tls.verify = 1;
	params->cancel_fd = -1;
}

const struct backend_ops *const *
backend_all(void)
{
	return registry;
}

const struct backend_ops *
backend_by_name(const char *name)
{
	for (size_t i = 0; registry[i] != NULL; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

static const struct backend_ops *
by_scheme(const char *scheme)
{
	for (size_t i = 0; registry[i] != NULL; i++)
		for (const char *const *s = registry[i]->schemes; *s != NULL; s++)
			if (strcmp(*s, scheme) == 0)
				return registry[i];
	return NULL;
}

const struct backend_ops *
backend_for_url(const struct url *url, struct err *err)
{
	const struct backend_ops *ops;

	if (url->scheme == NULL)
		goto unknown;
	if (strcmp(url->scheme, "file") == 0) {
		struct stat st;

		/*
		 * A bare path names a maildir when it looks like one; anything
		 * else (a file, nothing yet, a directory of folders) is taken
		 * as an mbox, whose own checks then say what is wrong.
		 */
		if (url->path != NULL && stat(url->path, &st) == 0 && S_ISDIR(st.st_mode) &&
		    backend_local_is_maildir(url->path))
			return &backend_maildir_ops;
		return &backend_mbox_ops;
	}
	if ((ops = by_scheme(url->scheme)) != NULL)
		return ops;
	for (size_t i = 0; pending_schemes[i] != NULL; i++)
		if (strcmp(pending_schemes[i], url->scheme) == 0) {
			err_set(err, ERR_UNSUPPORTED,
			        "%s:// folders are not supported by this build yet", url->scheme);
			return NULL;
		}
unknown:
	err_set(err, ERR_UNSUPPORTED,
	        "unknown folder type %s://: petrel reads paths, mbox://, maildir://, imap://, "
	        "imaps://, pop3://, pop3s:// and notmuch://",
	        url->scheme ? url->scheme : "(none)");
	return NULL;
}

int
backend_cancelled(const struct backend_progress *progress, int cancel_fd)
{
	if (progress != NULL && progress->cancelled != NULL && progress->cancelled(progress->ctx))
		return 1;
	if (cancel_fd >= 0) {
		struct pollfd pfd = {.fd = cancel_fd, .events = POLLIN};

		if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLIN | POLLHUP)))
			return 1;
	}
	return 0;
}

void
backend_report(const struct backend_progress *progress, uint64_t done, uint64_t total,
               const char *label)
{
	if (progress != NULL && progress->report != NULL)
		progress->report(progress->ctx, done, total, label);
}
