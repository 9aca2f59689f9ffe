/* The outbox: queueing, the states as file names, order, the envelope
 * block, the lock between processes, and removal. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "core/core-outbox.h"
#include "test-common.h"

static const char *const rcpts[] = {"bob@example.org", "hidden@example.org"};

static void
queue_one(struct core_outbox *ob, const char *data, const char *record, struct core_outbox_entry *e)
{
	struct core_outbox_envelope env = {"alice@example.org", rcpts, 2, record};
	struct err err;

	test_assert_int(core_outbox_queue(ob, &env, data, strlen(data), e, &err), 0);
}

static void
test_queue_and_load(const char *dir)
{
	struct core_outbox *ob;
	struct core_outbox_entry e, *v;
	struct core_outbox_item item;
	struct err err;
	struct stat st;
	size_t n;
	char *path;

	test_begin("queue: a maildir entry with the envelope in front, read back");
	test_assert_int(core_outbox_open(dir, &ob, &err), 0);
	path = xasprintf("%s/new", dir);
	test_assert(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	free(path);
	queue_one(ob, "Subject: one\n\nbody\n", "/tmp/sent box", &e);
	test_assert_int(e.state, CORE_OUTBOX_QUEUED);
	test_assert(strstr(e.path, "/new/") != NULL);
	test_assert(stat(e.path, &st) == 0 && (st.st_mode & 0777) == 0600);
	test_assert_int(core_outbox_load(ob, &e, &item, &err), 0);
	test_assert_str(item.from, "alice@example.org");
	test_assert_int(item.n_rcpts, 2);
	test_assert_str(item.rcpts[1], "hidden@example.org");
	test_assert_str(item.record, "/tmp/sent box");
	test_assert_int(item.msg_len, strlen("Subject: one\n\nbody\n"));
	test_assert(memcmp(item.msg, "Subject: one\n\nbody\n", item.msg_len) == 0);
	core_outbox_item_clear(&item);
	test_assert_int(core_outbox_list(ob, &v, &n, &err), 0);
	test_assert_int(n, 1);
	test_assert_str(v[0].id, e.id);
	core_outbox_entries_free(v, n);
	core_outbox_entry_clear(&e);
	core_outbox_free(&ob);
	test_end();
}

static void
test_states(const char *dir)
{
	struct core_outbox *ob;
	struct core_outbox_entry a, b, c, *v;
	struct err err;
	size_t n;

	test_begin("states are file names, and the list keeps queue order");
	test_assert_int(core_outbox_open(dir, &ob, &err), 0);
	queue_one(ob, "Subject: a\n\na\n", NULL, &a);
	queue_one(ob, "Subject: b\n\nb\n", NULL, &b);
	queue_one(ob, "Subject: c\n\nc\n", NULL, &c);
	test_assert(strcmp(a.id, b.id) < 0 && strcmp(b.id, c.id) < 0);
	test_assert_int(core_outbox_set_state(ob, &a, CORE_OUTBOX_SENDING, false, &err), 0);
	test_assert(strstr(a.path, "/cur/") != NULL && strstr(a.path, ":2,s") != NULL);
	test_assert_int(core_outbox_set_state(ob, &b, CORE_OUTBOX_HELD, true, &err), 0);
	test_assert_int(core_outbox_set_state(ob, &c, CORE_OUTBOX_SENT_COPY, true, &err), 0);
	test_assert_int(core_outbox_list(ob, &v, &n, &err), 0);
	test_assert_int(n, 3);
	test_assert_str(v[0].id, a.id);
	test_assert_int(v[0].state, CORE_OUTBOX_SENDING);
	test_assert_int(v[1].state, CORE_OUTBOX_HELD);
	test_assert_int(v[2].state, CORE_OUTBOX_SENT_COPY);
	core_outbox_entries_free(v, n);
	/* A mail reader's flags do not change the state. */
	{
		char *seen = xasprintf("%s/cur/%s:2,S", dir, c.id);
		char *q;

		test_assert_int(core_outbox_set_state(ob, &c, CORE_OUTBOX_QUEUED, false, &err), 0);
		test_assert(rename(c.path, seen) == 0);
		test_assert_int(core_outbox_list(ob, &v, &n, &err), 0);
		test_assert_int(v[2].state, CORE_OUTBOX_QUEUED);
		q = xstrdup(v[2].path);
		core_outbox_entries_free(v, n);
		test_assert_str(q, seen);
		free(q);
		free(seen);
	}
	test_assert_int(core_outbox_remove(ob, &a, &err), 0);
	test_assert_int(core_outbox_sync(ob, &err), 0);
	test_assert_int(core_outbox_list(ob, &v, &n, &err), 0);
	test_assert_int(n, 2);
	core_outbox_entries_free(v, n);
	core_outbox_entry_clear(&a);
	core_outbox_entry_clear(&b);
	core_outbox_entry_clear(&c);
	core_outbox_free(&ob);
	test_end();
}

static void
test_refusals(const char *dir)
{
	struct core_outbox *ob;
	struct core_outbox_entry e;
	struct core_outbox_item item;
	struct err err;
	static const char *const bad[] = {"bob@example.org>\nX-Petrel-Envelope-To: <evil@x"};
	struct core_outbox_envelope env = {"alice@example.org", bad, 1, NULL};
	char *junk;

	test_begin("no injection into the envelope; foreign files are not sent");
	test_assert_int(core_outbox_open(dir, &ob, &err), 0);
	test_assert_int(core_outbox_queue(ob, &env, "x\n", 2, &e, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	env.rcpts = rcpts;
	env.n_rcpts = 0;
	test_assert_int(core_outbox_queue(ob, &env, "x\n", 2, &e, &err), -1);
	env.n_rcpts = 1;
	env.record = "a\nb";
	test_assert_int(core_outbox_queue(ob, &env, "x\n", 2, &e, &err), -1);
	/* A message dropped into the outbox by something else. */
	junk = xasprintf("%s/new/123.foreign", dir);
	test_assert_int(file_write_atomic(junk, "From: x\n\nhi\n", 12, 0600, &err), 0);
	e.id = xstrdup("123.foreign");
	e.path = junk;
	e.state = CORE_OUTBOX_QUEUED;
	test_assert_int(core_outbox_load(ob, &e, &item, &err), -1);
	test_assert_int(err.kind, ERR_PARSE);
	core_outbox_entry_clear(&e);
	core_outbox_free(&ob);
	test_end();
}

static void
test_lock(const char *dir)
{
	struct core_outbox *ob;
	struct err err;
	pid_t pid;
	int status;

	test_begin("one sender at a time");
	test_assert_int(core_outbox_open(dir, &ob, &err), 0);
	test_assert_int(core_outbox_lock(ob, 0, -1, &err), 0);
	pid = fork();
	if (pid == 0) {
		struct core_outbox *other;

		if (core_outbox_open(dir, &other, &err) < 0)
			_exit(2);
		if (core_outbox_lock(other, 200, -1, &err) == 0)
			_exit(1);
		_exit(strstr(err.msg, "another petrel") != NULL ? 0 : 3);
	}
	waitpid(pid, &status, 0);
	test_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	core_outbox_unlock(ob);
	pid = fork();
	if (pid == 0) {
		struct core_outbox *other;

		if (core_outbox_open(dir, &other, &err) < 0)
			_exit(2);
		_exit(core_outbox_lock(other, 0, -1, &err) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	test_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	core_outbox_free(&ob);
	test_end();
}

/* How many files dir/sub holds (dot files aside). */
static size_t
count_files(const char *dir, const char *sub)
{
	char *path = xasprintf("%s/%s", dir, sub);
	DIR *d = opendir(path);
	struct dirent *de;
	size_t n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	if (d != NULL)
		closedir(d);
	free(path);
	return n;
}

static void
test_removal(const char *dir)
{
	struct core_outbox *ob;
	struct core_outbox_entry e[40], *v;
	struct err err;
	size_t n;
	char *stale;
	FILE *f;

	test_begin("removal: out of the queue at once, unlinked by sync, crash leftovers cleaned");
	test_assert_int(core_outbox_open(dir, &ob, &err), 0);
	/* More than one batch of the thread that unlinks, and a few over. */
	for (size_t i = 0; i < 40; i++)
		queue_one(ob, "Subject: r\n\nr\n", NULL, &e[i]);
	for (size_t i = 0; i < 40; i++) {
		test_assert_int(core_outbox_set_state(ob, &e[i], CORE_OUTBOX_SENDING, false, &err),
		                0);
		test_assert_int(core_outbox_remove(ob, &e[i], &err), 0);
		/* Gone from the queue before any unlink is waited for. */
		test_assert_int(core_outbox_list(ob, &v, &n, &err), 0);
		test_assert_int(n, 39 - i);
		core_outbox_entries_free(v, n);
	}
	test_assert_int(core_outbox_sync(ob, &err), 0);
	test_assert_int(count_files(dir, "tmp"), 0);
	test_assert_int(count_files(dir, "cur"), 0);
	for (size_t i = 0; i < 40; i++)
		core_outbox_entry_clear(&e[i]);
	/* A sent message's file a crash left in tmp/ goes at the next open;
	   a message being queued there does not. */
	stale = xasprintf("%s/tmp/1.M1P1.test.sent", dir);
	f = fopen(stale, "w");
	test_assert(f != NULL);
	if (f != NULL)
		fclose(f);
	free(stale);
	stale = xasprintf("%s/tmp/2.M2P2.test", dir);
	f = fopen(stale, "w");
	test_assert(f != NULL);
	if (f != NULL)
		fclose(f);
	core_outbox_free(&ob);
	test_assert_int(core_outbox_open(dir, &ob, &err), 0);
	test_assert_int(count_files(dir, "tmp"), 1);
	test_assert_int(access(stale, F_OK), 0);
	free(stale);
	core_outbox_free(&ob);
	test_end();
}

int
main(void)
{
	char *dir = xasprintf("%s/state/petrel/outbox", test_tmpdir());
	char *dir2 = xasprintf("%s/outbox2", test_tmpdir());

	test_queue_and_load(dir);
	test_states(dir2);
	test_refusals(dir);
	test_lock(dir);
	free(dir2);
	dir2 = xasprintf("%s/outbox3", test_tmpdir());
	test_removal(dir2);
	free(dir);
	free(dir2);
	return test_done();
}
