/* Which backend serves a URL; the contract every backend table keeps. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "base/base-xalloc.h"
#include "test-common.h"

static const struct backend_ops *
lookup(const char *text, struct err *err)
{
	struct url url;
	const struct backend_ops *ops;

	if (url_parse(text, &url, err) < 0)
		return NULL;
	ops = backend_for_url(&url, err);
	url_clear(&url);
	return ops;
}

static int reports, stop;

static void
report(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	(void)ctx;
	(void)done;
	(void)total;
	(void)label;
	reports++;
}

static int
cancelled(void *ctx)
{
	(void)ctx;
	return stop;
}

int
main(void)
{
	const char *tmp = test_tmpdir();
	char *md = xasprintf("%s/md", tmp), *file = xasprintf("%s/box", tmp);
	char *plain = xasprintf("%s/plain", tmp), *missing = xasprintf("%s/nothing", tmp);
	char *url;
	struct err err;

	mkdir(md, 0700);
	for (const char *const *sub = (const char *const[]){"cur", "new", "tmp", NULL}; *sub;
	     sub++) {
		char *p = xasprintf("%s/%s", md, *sub);

		mkdir(p, 0700);
		free(p);
	}
	mkdir(plain, 0700);
	{
		FILE *fp = fopen(file, "w");

		fclose(fp);
	}

	test_begin("bare paths are sniffed");
	test_assert(lookup(md, &err) == &backend_maildir_ops);
	test_assert(lookup(file, &err) == &backend_mbox_ops);
	test_assert(lookup(missing, &err) == &backend_mbox_ops);
	test_assert(lookup(plain, &err) == &backend_mbox_ops);
	test_end();

	test_begin("mbox:// and maildir:// force the format");
	url = xasprintf("mbox://%s", md);
	test_assert(lookup(url, &err) == &backend_mbox_ops);
	free(url);
	url = xasprintf("maildir://%s", missing);
	test_assert(lookup(url, &err) == &backend_maildir_ops);
	free(url);
	test_end();

	test_begin("schemes this build lacks say so");
	test_assert(lookup("imaps://me@mail.example.org/INBOX", &err) == backend_by_name("imap"));
	test_assert(lookup("imap://host/INBOX", &err) == backend_by_name("imap"));
	test_assert(lookup("smtp://host", &err) == NULL);
	test_assert_int(err.kind, ERR_UNSUPPORTED);
	test_assert_str(err.msg, "smtp:// folders are not supported by this build yet");
	test_assert(lookup("pop3s://host", &err) == backend_by_name("pop3"));
	test_assert(lookup("pop3://host", &err) == backend_by_name("pop3"));
	test_assert(lookup("notmuch:///db?query=tag:inbox", &err) == backend_by_name("notmuch"));
	test_assert(lookup("gopher://host/x", &err) == NULL);
	test_assert_int(err.kind, ERR_UNSUPPORTED);
	test_assert(strstr(err.msg, "unknown folder type gopher://") != NULL);
	test_end();

	test_begin("by name, and the whole list");
	test_assert(backend_by_name("mbox") == &backend_mbox_ops);
	test_assert(backend_by_name("maildir") == &backend_maildir_ops);
	test_assert(backend_by_name("imap") != NULL);
	test_assert(backend_by_name("gopher") == NULL);
	{
		const struct backend_ops *const *all = backend_all();
		size_t n = 0;

		while (all[n] != NULL)
			n++;
		/* maildir, mbox, notmuch, imap, pop3 */
		test_assert_int(n, 5);
	}
	test_end();

	test_begin("every table keeps the contract its capability bits promise");
	for (const struct backend_ops *const *all = backend_all(); *all != NULL; all++) {
		const struct backend_ops *o = *all;

		test_assert(o->name != NULL && o->schemes != NULL && o->schemes[0] != NULL);
		test_assert(o->open && o->count && o->read_only && o->find && o->load_summaries &&
		            o->fetch && o->fetch_header && o->set_flags && o->check && o->sync &&
		            o->close);
		test_assert((o->fetch_partial != NULL) == !!(o->caps & BE_CAP_PARTIAL_FETCH));
		test_assert((o->append != NULL) == !!(o->caps & BE_CAP_APPEND));
		test_assert((o->create != NULL) == !!(o->caps & BE_CAP_CREATE));
		test_assert((o->list != NULL) == !!(o->caps & BE_CAP_FOLDERS));
		test_assert(!(o->caps & BE_CAP_SUBMIT));
		/* Local unless it serves a network scheme (pop3, imap). */
		test_assert(!!(o->caps & BE_CAP_LOCAL) == !(strncmp(o->schemes[0], "pop3", 4) == 0 ||
		                                            strncmp(o->schemes[0], "imap", 4) == 0));
	}
	test_end();

	test_begin("parameter defaults");
	{
		struct backend_params p;

		backend_params_init(&p);
		test_assert_int(p.cancel_fd, -1);
		test_assert_int(p.tls.verify, 1);
		test_assert(p.lock_timeout_ms > 0 && p.stale_lock_s == 300);
		test_assert(p.max_message >= (1u << 20));
		test_assert(!p.read_only && !p.create);
	}
	test_end();

	test_begin("cancel and progress helpers");
	{
		struct backend_progress prog = {report, cancelled, NULL};
		int fds[2];

		test_assert(!backend_cancelled(NULL, -1));
		test_assert(!backend_cancelled(&prog, -1));
		stop = 1;
		test_assert(backend_cancelled(&prog, -1));
		stop = 0;
		test_assert(pipe(fds) == 0);
		test_assert(!backend_cancelled(&prog, fds[0]));
		(void)!write(fds[1], "x", 1);
		test_assert(backend_cancelled(&prog, fds[0]));
		close(fds[0]);
		close(fds[1]);
		backend_report(NULL, 1, 2, "x");
		backend_report(&prog, 1, 2, "x");
		test_assert_int(reports, 1);
	}
	test_end();

	free(md);
	free(file);
	free(plain);
	free(missing);
	return test_done();
}
