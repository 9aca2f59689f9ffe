/* The mbox backend on real files: reading, flags, expunge, append, crashes,
 * and rewriting a folder in a directory we may not write (the spool). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend-mbox.h"
#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "mime/mime-message.h"
#include "test-common.h"

static const struct backend_ops *ops = &backend_mbox_ops;

static const char three[] = "From alice@example.org Mon Jan  1 10:00:00 2024\n"
                            "From: Alice <alice@example.org>\n"
                            "Subject: one\n"
                            "\n"
                            "Hello.\n"
                            ">From the desk of Alice\n"
                            "\n"
                            "From bob@example.org Tue Jan  2 11:00:00 2024\n"
                            "From: bob@example.org\n"
                            "Subject: two\n"
                            "Status: RO\n"
                            "X-Status: F\n"
                            "\n"
                            "Second body.\n"
                            "\n"
                            "From carol@example.org Wed Jan  3 12:00:00 2024\n"
                            "From: Carol <carol@example.org>\n"
                            "Subject: three\n"
                            "\n"
                            "Third body.\n"
                            "\n";

static const char late[] = "From late@example.org Thu Jan  4 09:00:00 2024\n"
                           "From: late@example.org\n"
                           "Subject: late\n"
                           "\n"
                           "Delivered while petrel was writing.\n"
                           "\n";

static char *
path_in(const char *name)
{
	return xasprintf("%s/%s", test_tmpdir(), name);
}

static void
put(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fwrite(data, 1, len, fp) != len || fclose(fp) != 0) {
		perror(path);
		exit(99);
	}
}

static void
put_str(const char *path, const char *data)
{
	put(path, data, strlen(data));
}

static char *
get(const char *path)
{
	char *data = NULL;
	size_t len;
	struct err err;

	if (file_read_all(path, 1 << 24, &data, &len, &err) < 0)
		return xstrdup("(unreadable)");
	return data;
}

static void
append_raw(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	if (fd < 0 || file_write_full(fd, data, strlen(data)) < 0) {
		perror(path);
		exit(99);
	}
	close(fd);
}

static struct backend_params
params(void)
{
	struct backend_params p;

	backend_params_init(&p);
	p.lock_timeout_ms = 300;
	return p;
}

static struct backend_folder *
open_path(const char *path, const struct backend_params *p, struct err *err)
{
	struct url url;
	struct backend_folder *f = NULL;

	if (url_parse(path, &url, err) < 0)
		return NULL;
	if (ops->open(&url, p, &f, err) < 0)
		f = NULL;
	url_clear(&url);
	return f;
}

static struct backend_folder *
open_default(const char *path, struct err *err)
{
	struct backend_params p = params();

	return open_path(path, &p, err);
}

static int
append_to(const char *path, const char *msg, unsigned flags, int create, struct err *err)
{
	struct backend_params p = params();
	struct url url;
	int rc;

	p.create = create;
	if (url_parse(path, &url, err) < 0)
		return -1;
	rc = ops->append(&url, &p, msg, strlen(msg), flags, 1700000000, err);
	url_clear(&url);
	return rc;
}

static char *
fetch(struct backend_folder *f, size_t i)
{
	struct str s = STR_INIT;
	struct err err;

	if (ops->fetch(f, i, &s, &err) < 0) {
		str_free(&s);
		return xasprintf("(error: %s)", err.msg);
	}
	return str_detach(&s);
}

static unsigned
flags_of(struct backend_folder *f, size_t i)
{
	struct arena *arena = arena_new();
	struct mime_summary s;
	struct err err;
	unsigned flags = ~0u;

	if (ops->load_summaries(f, i, 1, arena, &s, NULL, &err) == 0)
		flags = s.flags;
	arena_free(&arena);
	return flags;
}

/* Sorted names in the test directory that contain `part`. */
static int
dir_has(const char *part)
{
	char *cmd = xasprintf("ls -a '%s' | grep -q -- '%s'", test_tmpdir(), part);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

static void
test_read(void)
{
	char *path = path_in("read.mbox");
	struct backend_folder *f;
	struct mime_summary s[3];
	struct arena *arena = arena_new();
	struct err err;
	struct str hdr = STR_INIT;
	char *m;
	size_t idx;

	put_str(path, three);
	test_begin("read three messages");
	f = open_default(path, &err);
	test_assert(f != NULL);
	test_assert_int(ops->count(f), 3);
	test_assert(!ops->read_only(f));
	test_assert_int(ops->load_summaries(f, 0, 3, arena, s, NULL, &err), 0);
	test_assert_str(s[0].subject, "one");
	test_assert_str(s[0].from_name, "Alice");
	test_assert_str(s[0].from_addr, "alice@example.org");
	test_assert_int(s[0].flags, MIME_FLAG_RECENT);
	test_assert_int(s[1].flags, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED);
	test_assert_int(s[2].flags, MIME_FLAG_RECENT);
	test_assert_int(s[0].lines, 2);
	test_assert(s[0].received != 0);
	test_assert(s[0].date == s[0].received); /* no Date: header */
	test_assert(s[0].id < s[1].id && s[1].id < s[2].id);
	test_assert_int(ops->find(f, s[2].id, &idx), 1);
	test_assert_int(idx, 2);
	m = fetch(f, 0);
	test_assert_str(m, "From: Alice <alice@example.org>\nSubject: one\n\nHello.\n"
	                   "From the desk of Alice\n");
	test_assert_int(s[0].size, strlen(m));
	free(m);
	test_assert_int(ops->fetch_header(f, 1, &hdr, &err), 0);
	test_assert_str(str_cstr(&hdr), "From: bob@example.org\nSubject: two\nStatus: RO\n"
	                                "X-Status: F\n\n");
	test_assert_int(ops->fetch(f, 3, &hdr, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	ops->close(&f);
	test_assert(f == NULL);
	test_end();

	test_begin("empty file, missing file, not an mbox, a directory");
	put_str(path, "");
	f = open_default(path, &err);
	test_assert(f != NULL && ops->count(f) == 0);
	ops->close(&f);
	unlink(path);
	f = open_default(path, &err);
	test_assert(f == NULL);
	test_assert_int(err.kind, ERR_USAGE);
	{
		struct backend_params p = params();

		p.create = 1;
		f = open_path(path, &p, &err);
		test_assert(f != NULL && ops->count(f) == 0);
		ops->close(&f);
	}
	put_str(path, "Subject: not an mbox\n\nhello\n");
	f = open_default(path, &err);
	test_assert(f == NULL);
	test_assert_int(err.kind, ERR_PARSE);
	test_assert(strstr(err.msg, path) != NULL);
	test_assert(strstr(err.msg, "From ") != NULL);
	f = open_default(test_tmpdir(), &err);
	test_assert(f == NULL);
	test_assert(strstr(err.msg, "directory") != NULL);
	test_end();

	test_begin("read-only folders refuse changes");
	put_str(path, three);
	{
		struct backend_params p = params();

		p.read_only = 1;
		f = open_path(path, &p, &err);
		test_assert(f != NULL && ops->read_only(f));
		test_assert_int(ops->set_flags(f, 0, MIME_FLAG_SEEN, 0, &err), -1);
		test_assert_int(err.kind, ERR_USAGE);
		test_assert_int(ops->sync(f, 1, NULL, &err), 0);
		ops->close(&f);
	}
	test_end();

	test_begin("a file rewritten in place under us is noticed");
	f = open_default(path, &err);
	{
		char *other = xasprintf("X%s", three);

		put_str(path, other);
		free(other);
		m = fetch(f, 1);
		test_assert(strstr(m, "changed by another program") != NULL);
		free(m);
	}
	ops->close(&f);
	test_end();

	str_free(&hdr);
	arena_free(&arena);
	free(path);
}

static void
test_crlf_and_odd_endings(void)
{
	char *path = path_in("crlf.mbox");
	struct backend_folder *f;
	struct err err;
	char *m;
	static const char crlf[] = "From a Mon Jan  1 10:00:00 2024\r\nSubject: c\r\n\r\n"
	                           "line\r\n>From x\r\n\r\n"
	                           "From b Mon Jan  1 10:00:00 2024\r\nSubject: d\r\n\r\nend";

	test_begin("CRLF files read with LF, flags written with CRLF");
	put_str(path, crlf);
	f = open_default(path, &err);
	test_assert(f != NULL && ops->count(f) == 2);
	m = fetch(f, 0);
	test_assert_str(m, "Subject: c\n\nline\nFrom x\n");
	free(m);
	m = fetch(f, 1);
	test_assert_str(m, "Subject: d\n\nend");
	free(m);
	test_assert_int(ops->set_flags(f, 0, MIME_FLAG_SEEN, 0, &err), 0);
	test_assert_int(ops->sync(f, 0, NULL, &err), 0);
	ops->close(&f);
	m = get(path);
	test_assert_str(m, "From a Mon Jan  1 10:00:00 2024\r\nSubject: c\r\nStatus: RO\r\n\r\n"
	                   "line\r\n>From x\r\n\r\n"
	                   "From b Mon Jan  1 10:00:00 2024\r\nSubject: d\r\n\r\nend");
	free(m);
	test_end();

	test_begin("flags on a message that is a bare From_ line at the end");
	{
		char *bare = path_in("bare.mbox");
		static const char data[] = "From a Mon Jan  1 10:00:00 2024\nSubject: a\n\nx\n\n"
		                           "From b Mon Jan  1 10:00:00 2024";

		put_str(bare, data);
		f = open_default(bare, &err);
		test_assert(f != NULL && ops->count(f) == 2);
		test_assert_int(ops->set_flags(f, 1, MIME_FLAG_FLAGGED, 0, &err), 0);
		test_assert_int(ops->sync(f, 0, NULL, &err), 0);
		test_assert_int(flags_of(f, 1), MIME_FLAG_FLAGGED | MIME_FLAG_RECENT);
		m = fetch(f, 1);
		test_assert_str(m, "X-Status: F\n");
		free(m);
		ops->close(&f);
		f = open_default(bare, &err);
		test_assert(f != NULL && ops->count(f) == 2);
		test_assert_int(flags_of(f, 1), MIME_FLAG_FLAGGED | MIME_FLAG_RECENT);
		ops->close(&f);
		free(bare);
	}
	test_end();

	test_begin("appending after a message without a final newline");
	test_assert_int(append_to(path, "Subject: e\n\nappended\n", MIME_FLAG_RECENT, 0, &err), 0);
	f = open_default(path, &err);
	test_assert(f != NULL && ops->count(f) == 3);
	m = fetch(f, 1);
	test_assert_str(m, "Subject: d\n\nend\n");
	free(m);
	m = fetch(f, 2);
	test_assert_str(m, "Subject: e\n\nappended\n");
	free(m);
	ops->close(&f);
	test_end();
	free(path);
}

static void
test_flags_and_expunge(void)
{
	char *path = path_in("flags.mbox");
	struct backend_folder *f;
	struct err err;
	char *m;
	struct stat st;
	size_t idx;
	uint64_t id2;
	struct arena *arena = arena_new();
	struct mime_summary s;

	put_str(path, three);
	chmod(path, 0640);
	test_begin("flags round trip through Status and X-Status");
	f = open_default(path, &err);
	test_assert_int(ops->set_flags(f, 0, MIME_FLAG_SEEN | MIME_FLAG_ANSWERED, 0, &err), 0);
	test_assert_int(ops->set_flags(f, 1, 0, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED, &err), 0);
	test_assert_int(ops->set_flags(f, 2, MIME_FLAG_DRAFT, MIME_FLAG_RECENT, &err), 0);
	test_assert_int(flags_of(f, 0), MIME_FLAG_SEEN | MIME_FLAG_ANSWERED | MIME_FLAG_RECENT);
	test_assert_int(ops->sync(f, 0, NULL, &err), 0);
	test_assert_int(ops->count(f), 3);
	m = fetch(f, 0);
	test_assert_str(m, "From: Alice <alice@example.org>\nSubject: one\nStatus: RO\n"
	                   "X-Status: A\n\nHello.\nFrom the desk of Alice\n");
	test_assert_int(ops->load_summaries(f, 0, 1, arena, &s, NULL, &err), 0);
	test_assert_int(s.size, strlen(m));
	free(m);
	ops->close(&f);
	m = get(path);
	test_assert_str(m, "From alice@example.org Mon Jan  1 10:00:00 2024\n"
	                   "From: Alice <alice@example.org>\n"
	                   "Subject: one\n"
	                   "Status: RO\n"
	                   "X-Status: A\n"
	                   "\n"
	                   "Hello.\n"
	                   ">From the desk of Alice\n"
	                   "\n"
	                   "From bob@example.org Tue Jan  2 11:00:00 2024\n"
	                   "From: bob@example.org\n"
	                   "Subject: two\n"
	                   "Status: O\n"
	                   "\n"
	                   "Second body.\n"
	                   "\n"
	                   "From carol@example.org Wed Jan  3 12:00:00 2024\n"
	                   "From: Carol <carol@example.org>\n"
	                   "Subject: three\n"
	                   "Status: O\n"
	                   "X-Status: T\n"
	                   "\n"
	                   "Third body.\n"
	                   "\n");
	free(m);
	test_assert(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);
	f = open_default(path, &err);
	/* Read means old in an mbox: Status: RO. */
	test_assert_int(flags_of(f, 0), MIME_FLAG_SEEN | MIME_FLAG_ANSWERED);
	test_assert_int(flags_of(f, 1), 0);
	test_assert_int(flags_of(f, 2), MIME_FLAG_DRAFT);
	ops->close(&f);
	test_end();

	test_begin("expunge keeps every other byte");
	put_str(path, three);
	f = open_default(path, &err);
	test_assert_int(ops->load_summaries(f, 2, 1, arena, &s, NULL, &err), 0);
	id2 = s.id;
	test_assert_int(ops->set_flags(f, 1, MIME_FLAG_DELETED, 0, &err), 0);
	test_assert_int(ops->sync(f, 0, NULL, &err), 0); /* marks, keeps */
	test_assert_int(ops->count(f), 3);
	test_assert_int(ops->sync(f, 1, NULL, &err), 0);
	test_assert_int(ops->count(f), 2);
	test_assert_int(ops->find(f, id2, &idx), 1);
	test_assert_int(idx, 1);
	m = fetch(f, 1);
	test_assert_str(m, "From: Carol <carol@example.org>\nSubject: three\n\nThird body.\n");
	free(m);
	ops->close(&f);
	m = get(path);
	{
		const char *second = strstr(three, "From bob@");
		const char *third = strstr(three, "From carol@");
		char *want = xasprintf("%.*s%s", (int)(second - three), three, third);

		test_assert_str(m, want);
		free(want);
	}
	free(m);
	test_assert(!dir_has(".petrel-"));
	test_end();

	test_begin("expunging every message leaves an empty folder");
	f = open_default(path, &err);
	ops->set_flags(f, 0, MIME_FLAG_DELETED, 0, &err);
	ops->set_flags(f, 1, MIME_FLAG_DELETED, 0, &err);
	test_assert_int(ops->sync(f, 1, NULL, &err), 0);
	test_assert_int(ops->count(f), 0);
	ops->close(&f);
	m = get(path);
	test_assert_str(m, "");
	free(m);
	test_end();
	arena_free(&arena);
	free(path);
}

static void
test_append(void)
{
	char *path = path_in("append.mbox");
	char *plain = path_in("not-mbox.txt");
	struct backend_folder *f;
	struct err err;
	char *m;
	static const char msg[] = "From: Dave <dave@example.org>\r\n"
	                          "Subject: quoting\r\n"
	                          "Status: RO\r\n"
	                          "\r\n"
	                          "From the start\r\n"
	                          ">From one\r\n"
	                          "\r\n"
	                          "From dave@example.org Mon Jan  1 10:00:00 2024\r\n"
	                          "end";

	unlink(path);
	test_begin("append without create fails on a missing folder");
	test_assert_int(append_to(path, msg, 0, 0, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	test_end();

	test_begin("append quotes From_ lines and writes flags");
	test_assert_int(append_to(path, msg, MIME_FLAG_FLAGGED, 1, &err), 0);
	test_assert_int(append_to(path, "Subject: second\n\nFrom x\n", MIME_FLAG_RECENT, 0, &err),
	                0);
	m = get(path);
	test_assert(strncmp(m, "From dave@example.org ", 22) == 0);
	test_assert(strstr(m, "\n>From the start\n>>From one\n\n>From dave@example.org Mon") !=
	            NULL);
	test_assert(strstr(m, "Status: O\nX-Status: F\n\n") != NULL);
	test_assert(strstr(m, "Status: RO") == NULL); /* the message's own is dropped */
	test_assert(strstr(m, "\r") == NULL);
	free(m);
	f = open_default(path, &err);
	test_assert(f != NULL && ops->count(f) == 2);
	m = fetch(f, 0);
	test_assert_str(m, "From: Dave <dave@example.org>\nSubject: quoting\nStatus: O\n"
	                   "X-Status: F\n\nFrom the start\n>From one\n\n"
	                   "From dave@example.org Mon Jan  1 10:00:00 2024\nend\n");
	free(m);
	test_assert_int(flags_of(f, 0), MIME_FLAG_FLAGGED);
	test_assert_int(flags_of(f, 1), MIME_FLAG_RECENT);
	m = fetch(f, 1);
	test_assert_str(m, "Subject: second\n\nFrom x\n");
	free(m);
	{
		struct arena *arena = arena_new();
		struct mime_summary s;

		test_assert_int(ops->load_summaries(f, 0, 1, arena, &s, NULL, &err), 0);
		test_assert_int(s.received, 1700000000);
		arena_free(&arena);
	}
	ops->close(&f);
	test_assert(!dir_has("append.mbox.lock"));
	test_end();

	test_begin("append writes old and read mail with Status");
	unlink(path);
	test_assert_int(append_to(path, "Subject: old\n\nx\n", 0, 1, &err), 0);
	test_assert_int(append_to(path, "Subject: read\n\nx\n", MIME_FLAG_SEEN, 0, &err), 0);
	m = get(path);
	test_assert(strstr(m, "Subject: old\nStatus: O\n\nx\n\nFrom ") != NULL);
	test_assert(strstr(m, "Subject: read\nStatus: RO\n\nx\n\n") != NULL);
	free(m);
	f = open_default(path, &err);
	test_assert_int(flags_of(f, 0), 0);
	test_assert_int(flags_of(f, 1), MIME_FLAG_SEEN);
	ops->close(&f);
	test_end();

	test_begin("append refuses a file that is not an mbox");
	put_str(plain, "my notes\n");
	test_assert_int(append_to(plain, msg, 0, 0, &err), -1);
	test_assert_int(err.kind, ERR_PARSE);
	m = get(plain);
	test_assert_str(m, "my notes\n");
	free(m);
	test_end();
	free(plain);
	free(path);
}

static void
test_check(void)
{
	char *path = path_in("check.mbox");
	char *other = path_in("check.new");
	struct backend_folder *f;
	struct err err;
	enum backend_check res;
	char *m;

	put_str(path, three);
	f = open_default(path, &err);
	test_begin("check: nothing, new mail, flags, replaced, gone");
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_NONE);
	test_assert_int(append_to(path, "Subject: new\n\nnew mail\n", MIME_FLAG_RECENT, 0, &err),
	                0);
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_NEW_MAIL);
	test_assert_int(ops->count(f), 4);
	m = fetch(f, 3);
	test_assert_str(m, "Subject: new\n\nnew mail\n");
	free(m);

	/* Another program changes X-Status in place: same size, new flags. */
	ops->set_flags(f, 0, MIME_FLAG_SEEN, 0, &err);
	m = get(path);
	{
		char *x = strstr(m, "X-Status: F");

		x[10] = 'A';
		usleep(20000);
		put_str(path, m);
	}
	free(m);
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_FLAGS);
	test_assert_int(flags_of(f, 1), MIME_FLAG_SEEN | MIME_FLAG_ANSWERED);
	/* Our own change not yet synced survives the reread. */
	test_assert_int(flags_of(f, 0), MIME_FLAG_SEEN | MIME_FLAG_RECENT);

	put_str(other, "From z Mon Jan  1 10:00:00 2024\nSubject: only\n\nz\n");
	rename(other, path);
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_REOPENED);
	test_assert_int(ops->count(f), 1);
	m = fetch(f, 0);
	test_assert_str(m, "Subject: only\n\nz\n");
	free(m);

	unlink(path);
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_REOPENED);
	test_assert_int(ops->count(f), 0);
	put_str(path, three);
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_NEW_MAIL);
	test_assert_int(ops->count(f), 3);
	ops->close(&f);
	test_end();
	free(path);
	free(other);
}

/* ---- mail that arrives while we write ---- */

static const char *late_path;

static void
deliver_late(const char *point, const char *path)
{
	if (late_path != NULL && strcmp(point, "rewrite-synced") == 0 &&
	    strcmp(path, late_path) == 0) {
		append_raw(path, late);
		late_path = NULL;
	}
}

static void
test_concurrent_delivery(void)
{
	char *path = path_in("busy.mbox");
	struct backend_folder *f;
	struct err err;
	char *m;

	test_begin("mail delivered between reading and syncing is kept");
	put_str(path, three);
	f = open_default(path, &err);
	append_raw(path, late);
	test_assert_int(ops->set_flags(f, 0, MIME_FLAG_DELETED, 0, &err), 0);
	test_assert_int(ops->sync(f, 1, NULL, &err), 0);
	test_assert_int(ops->count(f), 3);
	m = fetch(f, 2);
	test_assert_str(m, "From: late@example.org\nSubject: late\n\n"
	                   "Delivered while petrel was writing.\n");
	free(m);
	ops->close(&f);
	m = get(path);
	test_assert(strstr(m, "Subject: late") != NULL && strstr(m, "Subject: one") == NULL);
	free(m);
	test_end();

	test_begin("mail appended by a program ignoring locks during the rewrite is kept");
	put_str(path, three);
	f = open_default(path, &err);
	backend_mbox_test_hook = deliver_late;
	late_path = path;
	test_assert_int(ops->set_flags(f, 1, MIME_FLAG_DELETED, 0, &err), 0);
	test_assert_int(ops->sync(f, 1, NULL, &err), 0);
	backend_mbox_test_hook = NULL;
	test_assert(late_path == NULL);
	test_assert_int(ops->count(f), 3);
	m = fetch(f, 2);
	test_assert(strstr(m, "Subject: late") != NULL);
	free(m);
	ops->close(&f);
	f = open_default(path, &err);
	test_assert(f != NULL && ops->count(f) == 3);
	ops->close(&f);
	test_end();

	test_begin("a folder shrunk by another program is not overwritten");
	put_str(path, three);
	f = open_default(path, &err);
	test_assert_int(ops->set_flags(f, 0, MIME_FLAG_SEEN, 0, &err), 0);
	{
		int fd = open(path, O_WRONLY);

		test_assert(ftruncate(fd, 10) == 0);
		close(fd);
	}
	test_assert_int(ops->sync(f, 0, NULL, &err), -1);
	test_assert_int(err.kind, ERR_IO);
	test_assert(strstr(err.msg, "changed by another program") != NULL);
	ops->close(&f);
	m = get(path);
	test_assert_int(strlen(m), 10);
	free(m);
	test_end();
	free(path);
}

/* ---- crashes ---- */

static const char *kill_point;

static void
die_at(const char *point, const char *path)
{
	(void)path;
	if (kill_point != NULL && strcmp(point, kill_point) == 0)
		_exit(0);
}

/* The changes a test makes: flags that make the folder grow, or an
 * expunge that makes it shrink; both leave the first message alone. */
static void
change(struct backend_folder *f, int shrink)
{
	struct err err;

	if (shrink) {
		ops->set_flags(f, 1, MIME_FLAG_DELETED, 0, &err);
		ops->set_flags(f, 2, MIME_FLAG_SEEN, 0, &err);
	} else {
		ops->set_flags(f, 1, MIME_FLAG_ANSWERED, 0, &err);
		ops->set_flags(f, 2, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED, 0, &err);
	}
}

/* What a child does before it dies. */
enum crash_op {
	CRASH_EXPUNGE, /* sync, expunging the first message */
	CRASH_APPEND,
	CRASH_GROW,   /* sync of change(f, 0) */
	CRASH_SHRINK, /* sync of change(f, 1) */
	CRASH_OPEN,   /* opening alone: finishing an interrupted rewrite */
};

/* Runs `op` in a child that dies at `point`. */
static void
crash_child(const char *path, const char *point, enum crash_op op)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct backend_folder *f = NULL;
		struct err err;

		kill_point = point;
		backend_mbox_test_hook = die_at;
		if (op == CRASH_APPEND)
			append_to(path, "Subject: crash\n\nbody\n", MIME_FLAG_RECENT, 0, &err);
		else
			f = open_default(path, &err);
		if (f == NULL && op != CRASH_APPEND && op != CRASH_OPEN)
			_exit(3);
		if (op == CRASH_EXPUNGE) {
			ops->set_flags(f, 0, MIME_FLAG_DELETED, 0, &err);
			ops->set_flags(f, 2, MIME_FLAG_SEEN, 0, &err);
		} else if (op == CRASH_GROW || op == CRASH_SHRINK) {
			change(f, op == CRASH_SHRINK);
		}
		if (op != CRASH_APPEND && op != CRASH_OPEN)
			ops->sync(f, op != CRASH_GROW, NULL, &err);
		_exit(2); /* the kill point was not reached */
	}
	waitpid(pid, &status, 0);
	test_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_crash(void)
{
	static const char *const points[] = {"rewrite-written", "rewrite-synced",
	                                     "rewrite-renamed"};
	char *path = path_in("crash.mbox");
	char *want_new;
	struct backend_folder *f;
	struct err err;

	/* What a sync that completes writes. */
	put_str(path, three);
	f = open_default(path, &err);
	ops->set_flags(f, 0, MIME_FLAG_DELETED, 0, &err);
	ops->set_flags(f, 2, MIME_FLAG_SEEN, 0, &err);
	ops->sync(f, 1, NULL, &err);
	ops->close(&f);
	want_new = get(path);

	for (size_t i = 0; i < 3; i++) {
		char name[80];
		char *got;

		snprintf(name, sizeof(name), "a crash at %s leaves the old or the new folder",
		         points[i]);
		test_begin(name);
		put_str(path, three);
		crash_child(path, points[i], CRASH_EXPUNGE);
		got = get(path);
		if (i < 2)
			test_assert_str(got, three);
		else
			test_assert_str(got, want_new);
		free(got);
		/* The dead writer's lock does not stop the next reader. */
		f = open_default(path, &err);
		test_assert(f != NULL);
		test_assert_int(f ? ops->count(f) : 0, i < 2 ? 3 : 2);
		if (f != NULL)
			ops->close(&f);
		/* A temporary file left behind is not a folder. */
		{
			struct url root = {0};
			struct arena *arena = arena_new();
			struct backend_folder_info *list;
			struct backend_params lp = params();
			size_t n;

			root.scheme = "file";
			root.path = (char *)test_tmpdir();
			test_assert_int(ops->list(&root, &lp, arena, &list, &n, &err), 0);
			for (size_t j = 0; j < n; j++)
				test_assert(strstr(list[j].name, "petrel") == NULL &&
				            strstr(list[j].name, ".lock") == NULL);
			arena_free(&arena);
		}
		test_end();
	}
	test_begin("a crash while appending leaves whole messages");
	put_str(path, three);
	crash_child(path, "append-written", CRASH_APPEND);
	f = open_default(path, &err);
	test_assert(f != NULL && (ops->count(f) == 3 || ops->count(f) == 4));
	if (f != NULL && ops->count(f) == 4) {
		char *m = fetch(f, 3);

		test_assert_str(m, "Subject: crash\n\nbody\n");
		free(m);
	}
	if (f != NULL)
		ops->close(&f);
	test_end();
	free(want_new);
	free(path);
}

/* ---- the system spool: a directory we may not write ---- */

/*
 * Debian's /var/mail is mode 2775 root:mail and petrel is not set-group-id,
 * so petrel may write the user's spool file but create nothing next to it.
 * Run as root (as in CI), the tests drop to uid/gid 65534 while petrel
 * works, so the kernel's permission checks are the real ones; run as
 * another user, the directory is made read-only instead.
 */
static const char *spool_dir, *state_dir;
static int as_root, dropped;

/* Runs as the unprivileged user (on) or as root again. */
static void
be_user(int on)
{
	if (!as_root || dropped == on)
		return;
	if (on ? setegid(65534) < 0 || seteuid(65534) < 0 : seteuid(0) < 0 || setegid(0) < 0) {
		perror("seteuid");
		exit(99);
	}
	dropped = on;
}

/* What the mail system does in the spool happens between these two. */
static int
system_begin(void)
{
	int was = dropped;

	be_user(0);
	if (!as_root)
		chmod(spool_dir, 0755);
	return was;
}

static void
system_end(int was)
{
	if (!as_root)
		chmod(spool_dir, 0555);
	if (was)
		be_user(1);
}

/* Puts a folder into the spool as the mail system would: the user's file. */
static void
spool_put(const char *path, const char *data, size_t len)
{
	int was = system_begin();

	put(path, data, len);
	if (as_root && chown(path, 65534, 65534) < 0)
		exit(99);
	chmod(path, 0600);
	system_end(was);
}

static void
spool_setup(void)
{
	const char *tmp = test_tmpdir();
	struct group *mail = getgrnam("mail");

	as_root = geteuid() == 0;
	spool_dir = xasprintf("%s/spool", tmp);
	state_dir = xasprintf("%s/state", tmp);
	/* The user reaches the spool and owns the state directory. */
	chmod(tmp, 0711);
	if (mkdir(spool_dir, 0755) < 0 || mkdir(state_dir, 0700) < 0)
		exit(99);
	if (as_root) {
		if (chown(spool_dir, 0, mail != NULL ? mail->gr_gid : 0) < 0 ||
		    chown(state_dir, 65534, 65534) < 0)
			exit(99);
		chmod(spool_dir, mail != NULL ? 02775 : 0755);
	} else {
		chmod(spool_dir, 0555);
	}
	setenv("XDG_STATE_HOME", state_dir, 1);
}

/* Whole file contents and length (NUL bytes kept). */
static int
same_file(const char *path, const char *want, size_t want_len)
{
	char *data = NULL;
	size_t len = 0;
	struct err err;
	int same;

	if (file_read_all(path, 1 << 24, &data, &len, &err) < 0)
		return 0;
	same = len == want_len && memcmp(data, want, len) == 0;
	free(data);
	return same;
}

/* How many files in petrel's rewrite directory have `part` in their
 * names; *last_r (when not NULL) is the path of the last one. */
static size_t
state_files(const char *part, char **last_r)
{
	char *dir = xasprintf("%s/petrel/rewrite", state_dir);
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strstr(de->d_name, part) == NULL)
			continue;
		n++;
		if (last_r != NULL) {
			free(*last_r);
			*last_r = xasprintf("%s/%s", dir, de->d_name);
		}
	}
	if (d != NULL)
		closedir(d);
	free(dir);
	return n;
}

/* What a completed sync makes of `three`, computed through the rename
 * path in a directory we may write. */
static char *
expected_new(int shrink, size_t *len_r)
{
	char *path = path_in(shrink ? "oracle-shrink.mbox" : "oracle-grow.mbox");
	struct backend_folder *f;
	struct err err;
	char *data = NULL;

	put_str(path, three);
	f = open_default(path, &err);
	if (f == NULL)
		exit(99);
	change(f, shrink);
	if (ops->sync(f, shrink, NULL, &err) < 0 ||
	    file_read_all(path, 1 << 20, &data, len_r, &err) < 0)
		exit(99);
	ops->close(&f);
	free(path);
	return data;
}

static struct str warnings;

static void
keep_warnings(enum log_level level, const char *line, void *ctx)
{
	(void)ctx;
	if (level <= LOG_WARN) {
		str_append(&warnings, line);
		str_append_char(&warnings, '\n');
	}
}

static const char *const spool_points[] = {
    "rewrite-written",  "rewrite-synced",    "inplace-backup-synced", "inplace-recorded",
    "inplace-extended", "inplace-writing",   "inplace-partial",       "inplace-written",
    "inplace-synced",   "inplace-truncated", "inplace-unrecorded",
};
#define SPOOL_POINTS (sizeof(spool_points) / sizeof(spool_points[0]))
/* The first point at which the new folder has won. */
#define SPOOL_COMMIT 3

static void
test_spool(void)
{
	char *path = xasprintf("%s/me", spool_dir);
	size_t new_len[2], three_len = strlen(three);
	char *want_new[2], *want_late[2];
	struct backend_folder *f;
	struct stat st0, st1;
	struct err err;

	want_new[0] = expected_new(0, &new_len[0]);
	want_new[1] = expected_new(1, &new_len[1]);
	for (int k = 0; k < 2; k++) {
		want_late[k] = xmalloc(new_len[k] + strlen(late) + 1);
		memcpy(want_late[k], want_new[k], new_len[k]);
		strcpy(want_late[k] + new_len[k], late);
	}
	log_set_sink(keep_warnings, NULL);
	be_user(1);

	test_begin("a folder in a directory we may not write is rewritten in place");
	spool_put(path, three, three_len);
	{
		/* The real check: nothing can be created next to the folder. */
		char *probe = xasprintf("%s/probe", spool_dir);
		int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0600);

		test_assert(fd < 0 && errno == EACCES);
		if (fd >= 0) {
			close(fd);
			unlink(probe);
		}
		free(probe);
	}
	for (int shrink = 0; shrink < 2; shrink++) {
		spool_put(path, three, three_len);
		stat(path, &st0);
		f = open_default(path, &err);
		test_assert(f != NULL && !ops->read_only(f));
		if (f == NULL)
			continue;
		change(f, shrink);
		test_assert_int(ops->sync(f, shrink, NULL, &err), 0);
		test_assert_int(ops->count(f), shrink ? 2 : 3);
		/* Same file, the same bytes the rename path writes. */
		stat(path, &st1);
		test_assert(st0.st_ino == st1.st_ino);
		test_assert(same_file(path, want_new[shrink], new_len[shrink]));
		test_assert_int(flags_of(f, shrink ? 1 : 2) & ~MIME_FLAG_RECENT,
		                MIME_FLAG_SEEN | (shrink ? 0 : MIME_FLAG_FLAGGED));
		{
			char *m = fetch(f, shrink ? 1 : 2);

			test_assert(strncmp(m,
			                    "From: Carol <carol@example.org>\nSubject: three\n"
			                    "Status: R",
			                    56) == 0);
			test_assert(strstr(m, "\n\nThird body.\n") != NULL);
			free(m);
		}
		/* Nothing is left in the state directory. */
		test_assert_int(state_files("", NULL), 0);
		/* Mail that arrives afterwards is found as new mail. */
		append_raw(path, late);
		{
			enum backend_check res;

			test_assert_int(ops->check(f, &res, NULL, &err), 0);
			test_assert_int(res, BACKEND_CHECK_NEW_MAIL);
			test_assert_int(ops->count(f), shrink ? 3 : 4);
		}
		ops->close(&f);
	}
	test_end();

	for (int shrink = 0; shrink < 2; shrink++) {
		for (size_t i = 0; i < SPOOL_POINTS; i++) {
			char name[160];
			int won = i >= SPOOL_COMMIT;

			if (!shrink && strcmp(spool_points[i], "inplace-truncated") == 0)
				continue; /* a growing folder is not cut */
			snprintf(name, sizeof(name),
			         "spool, %s: a crash at %s leaves the %s folder once it is opened",
			         shrink ? "expunge" : "flags", spool_points[i],
			         won ? "new" : "old");
			test_begin(name);
			spool_put(path, three, three_len);
			crash_child(path, spool_points[i], shrink ? CRASH_SHRINK : CRASH_GROW);
			if (strcmp(spool_points[i], "inplace-partial") == 0) {
				/* Torn on disk until the next open: the test means something. */
				test_assert(!same_file(path, three, three_len) &&
				            !same_file(path, want_new[shrink], new_len[shrink]));
			}
			f = open_default(path, &err);
			test_assert(f != NULL);
			test_assert_int(f ? ops->count(f) : 0, won && shrink ? 2 : 3);
			if (f != NULL)
				ops->close(&f);
			if (won)
				test_assert(same_file(path, want_new[shrink], new_len[shrink]));
			else
				test_assert(same_file(path, three, three_len));
			test_assert_int(state_files(".record", NULL), 0);
			/* A backup left before the record existed goes at the next rewrite. */
			f = open_default(path, &err);
			if (f != NULL) {
				ops->set_flags(f, 0, MIME_FLAG_FLAGGED, 0, &err);
				test_assert_int(ops->sync(f, 0, NULL, &err), 0);
				ops->close(&f);
			}
			test_assert_int(state_files("", NULL), 0);
			test_end();
		}
	}

	for (int shrink = 0; shrink < 2; shrink++) {
		for (size_t i = 0; i < SPOOL_POINTS; i++) {
			char name[160];
			int won = i >= SPOOL_COMMIT;

			if (!shrink && strcmp(spool_points[i], "inplace-truncated") == 0)
				continue;
			snprintf(name, sizeof(name),
			         "spool, %s: mail delivered after a crash at %s is kept",
			         shrink ? "expunge" : "flags", spool_points[i]);
			test_begin(name);
			spool_put(path, three, three_len);
			crash_child(path, spool_points[i], shrink ? CRASH_SHRINK : CRASH_GROW);
			/* A delivery agent appends while petrel is not running. */
			append_raw(path, late);
			str_reset(&warnings);
			f = open_default(path, &err);
			test_assert(f != NULL);
			test_assert_int(f ? ops->count(f) : 0, (won && shrink ? 2 : 3) + 1);
			if (f != NULL) {
				char *m = fetch(f, ops->count(f) - 1);

				test_assert_str(m, "From: late@example.org\nSubject: late\n\n"
				                   "Delivered while petrel was writing.\n");
				free(m);
				ops->close(&f);
			}
			if (won) {
				test_assert(same_file(path, want_late[shrink],
				                      new_len[shrink] + strlen(late)));
			} else {
				char *old_late = xasprintf("%s%s", three, late);

				test_assert(same_file(path, old_late, strlen(old_late)));
				free(old_late);
			}
			test_assert_int(state_files(".record", NULL), 0);
			test_end();
		}
	}

	for (int shrink = 0; shrink < 2; shrink++) {
		for (size_t i = 0; i < SPOOL_POINTS; i++) {
			char name[160];

			if (strncmp(spool_points[i], "inplace-", 8) != 0 ||
			    (!shrink && strcmp(spool_points[i], "inplace-truncated") == 0))
				continue;
			snprintf(name, sizeof(name),
			         "spool, %s: a crash while finishing an interrupted rewrite, at %s",
			         shrink ? "expunge" : "flags", spool_points[i]);
			test_begin(name);
			spool_put(path, three, three_len);
			crash_child(path, "inplace-partial", shrink ? CRASH_SHRINK : CRASH_GROW);
			append_raw(path, late);
			crash_child(path, spool_points[i], CRASH_OPEN);
			f = open_default(path, &err);
			test_assert(f != NULL);
			test_assert_int(f ? ops->count(f) : 0, (shrink ? 2 : 3) + 1);
			if (f != NULL)
				ops->close(&f);
			test_assert(
			    same_file(path, want_late[shrink], new_len[shrink] + strlen(late)));
			test_assert_int(state_files(".record", NULL), 0);
			test_end();
		}
	}

	test_begin("a record whose folder was replaced since is dropped");
	spool_put(path, three, three_len);
	crash_child(path, "inplace-partial", CRASH_SHRINK);
	{
		/* Another program rewrote the folder through a rename. */
		char *other = xasprintf("%s/other", spool_dir);

		int was;

		spool_put(other, three, three_len);
		was = system_begin();
		test_assert(rename(other, path) == 0);
		system_end(was);
		free(other);
	}
	str_reset(&warnings);
	f = open_default(path, &err);
	test_assert(f != NULL && ops->count(f) == 3);
	if (f != NULL)
		ops->close(&f);
	test_assert(strstr(str_cstr(&warnings), "has replaced the file since") != NULL);
	test_assert(same_file(path, three, three_len));
	test_assert_int(state_files("", NULL), 0);
	test_end();

	test_begin("a damaged backup stops the open, and the record stays");
	spool_put(path, three, three_len);
	crash_child(path, "inplace-writing", CRASH_GROW);
	{
		char *backup = NULL;
		int fd = state_files(".backup.", &backup) == 1 ? open(backup, O_WRONLY) : -1;

		test_assert(fd >= 0 && ftruncate(fd, 10) == 0);
		if (fd >= 0)
			close(fd);
		free(backup);
	}
	f = open_default(path, &err);
	test_assert(f == NULL);
	test_assert_int(err.kind, ERR_IO);
	test_assert(strstr(err.msg, "cannot be finished") != NULL &&
	            strstr(err.msg, "backup") != NULL);
	test_assert_int(state_files(".record", NULL), 1);
	{
		/* Folder management would strand the record. */
		struct url u;
		struct backend_params rp = params();

		url_parse(path, &u, &err);
		test_assert_int(ops->remove(&u, &rp, &err), -1);
		test_assert(strstr(err.msg, "not finished") != NULL);
		url_clear(&u);
	}
	test_end();

	be_user(0);
	if (!as_root)
		chmod(spool_dir, 0755); /* for the clean-up */
	log_set_sink(NULL, NULL);
	str_free(&warnings);
	for (int k = 0; k < 2; k++) {
		free(want_new[k]);
		free(want_late[k]);
	}
	free(path);
}

/* ---- locks held by another program ---- */

static pid_t
hold_fcntl_lock(const char *path, int ms)
{
	int pipefd[2];
	pid_t pid;
	char c;

	if (pipe(pipefd) < 0)
		exit(99);
	pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDWR);
		struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};

		if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0)
			_exit(1);
		(void)!write(pipefd[1], "x", 1);
		usleep((useconds_t)ms * 1000);
		_exit(0);
	}
	close(pipefd[1]);
	(void)!read(pipefd[0], &c, 1);
	close(pipefd[0]);
	return pid;
}

static void
test_locks(void)
{
	char *path = path_in("locked.mbox");
	char *dot = xasprintf("%s.lock", path);
	struct backend_folder *f;
	struct backend_params p = params();
	struct err err;
	struct timespec t0, t1;
	pid_t holder;
	int status;

	put_str(path, three);
	test_begin("a folder locked with fcntl by another program: wait, then fail");
	holder = hold_fcntl_lock(path, 3000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	f = open_default(path, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	test_assert(f == NULL);
	test_assert_int(err.kind, ERR_IO);
	test_assert(strstr(err.msg, "another program") != NULL);
	test_assert((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 250);
	test_assert_int(append_to(path, "Subject: x\n\ny\n", 0, 0, &err), -1);
	test_assert(strstr(err.msg, "another program") != NULL);
	kill(holder, SIGKILL);
	waitpid(holder, &status, 0);
	test_end();

	test_begin("sync waits for a lock another program holds, then fails, writing nothing");
	f = open_default(path, &err);
	test_assert(f != NULL);
	test_assert_int(ops->set_flags(f, 0, MIME_FLAG_DELETED, 0, &err), 0);
	holder = hold_fcntl_lock(path, 3000);
	test_assert_int(ops->sync(f, 1, NULL, &err), -1);
	test_assert(strstr(err.msg, "another program") != NULL);
	kill(holder, SIGKILL);
	waitpid(holder, &status, 0);
	{
		char *m = get(path);

		test_assert_str(m, three);
		free(m);
	}
	test_assert_int(ops->count(f), 3);
	/* Once the lock is free the same sync goes through. */
	test_assert_int(ops->sync(f, 1, NULL, &err), 0);
	test_assert_int(ops->count(f), 2);
	ops->close(&f);
	put_str(path, three);
	test_end();

	test_begin("a lock released while we wait is taken");
	holder = hold_fcntl_lock(path, 200);
	p.lock_timeout_ms = 5000;
	f = open_path(path, &p, &err);
	test_assert(f != NULL);
	if (f != NULL)
		ops->close(&f);
	waitpid(holder, &status, 0);
	test_end();

	test_begin("a fresh dot-lock makes us wait, then fail");
	put_str(dot, "12345 elsewhere.example\n");
	f = open_default(path, &err);
	test_assert(f == NULL);
	test_assert(strstr(err.msg, ".lock") != NULL);
	test_assert(access(dot, F_OK) == 0);
	test_end();

	test_begin("a stale dot-lock is broken");
	{
		struct timespec old[2];

		clock_gettime(CLOCK_REALTIME, &old[0]);
		old[0].tv_sec -= 600;
		old[1] = old[0];
		utimensat(AT_FDCWD, dot, old, 0);
	}
	f = open_default(path, &err);
	test_assert(f != NULL);
	test_assert(access(dot, F_OK) < 0);
	if (f != NULL)
		ops->close(&f);
	test_end();
	free(dot);
	free(path);
}

int
main(void)
{
	mime_init();
	spool_setup();
	test_read();
	test_crlf_and_odd_endings();
	test_flags_and_expunge();
	test_append();
	test_check();
	test_concurrent_delivery();
	test_crash();
	test_locks();
	test_spool();
	return test_done();
}
