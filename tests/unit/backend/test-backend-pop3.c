/*
 * The POP3 backend's pieces that need no server: the APOP digest (RFC
 * 1939's own example), message keys, and the batch store: a message
 * stored once whatever happens around it (a batch committed twice, a
 * file left in new/ by a run that stopped before indexing, a leftover in
 * tmp/, a message notmuch cannot index), also with a batch committed
 * in the store's commit thread while the next one is added.
 *
 * The store lives in a temporary directory named by NOTMUCH_CONFIG: the
 * user's own notmuch configuration is never read.
 */
#include "config.h"

#include <fcntl.h>
#include <notmuch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-notmuch.h"
#include "backend/backend-pop3-conn.h"
#include "backend/backend-pop3-store.h"
#include "backend/backend.h"
#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "test-common.h"

/* Sanitizer builds: see tests/unit/backend/test-backend-notmuch.c. */
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:notmuch_database_load_config\n";
}

const char *
__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static char *mail;
static struct str logged = STR_INIT;

static void
capture(enum log_level level, const char *line, void *ctx)
{
	(void)level;
	(void)ctx;
	str_append(&logged, line);
	str_append_char(&logged, '\n');
}

static char *
message(int n)
{
	return xasprintf("From: Peer <peer@example.org>\r\n"
	                 "Subject: Message %d\r\n"
	                 "Message-ID: <store-%d@example.org>\r\n"
	                 "\r\n"
	                 "Body %d.\r\n",
	                 n, n, n);
}

static size_t
files_in(const char *sub)
{
	return test_files_in(mail, sub);
}

static unsigned
count(const char *query)
{
	notmuch_database_t *db = NULL;
	notmuch_query_t *q;
	unsigned n = 0;
	char *msg = NULL;

	if (notmuch_database_open_with_config(mail, NOTMUCH_DATABASE_MODE_READ_ONLY, NULL, NULL,
	                                      &db, &msg) != NOTMUCH_STATUS_SUCCESS) {
		free(msg);
		return 0;
	}
	q = notmuch_query_create(db, query);
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	if (notmuch_query_count_messages(q, &n) != NOTMUCH_STATUS_SUCCESS)
		n = 0;
	notmuch_query_destroy(q);
	notmuch_database_destroy(db);
	return n;
}

static struct backend_pop3_store *
open_store(void)
{
	struct backend_params p;
	struct backend_pop3_store *st = NULL;
	struct err err;

	backend_params_init(&p);
	if (backend_pop3_store_open(mail, &p, &st, &err) < 0)
		fprintf(stderr, "# %s\n", err.msg);
	return st;
}

static void
test_apop(void)
{
	char digest[33];
	struct err err;

	test_begin("APOP digest: RFC 1939's example");
	test_assert(backend_pop3_apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf",
	                                     digest, &err) == 0);
	test_assert_str(digest, "c4c9334bac560ecc979e58001b3e22fb");
	test_end();
}

static void
test_keys(void)
{
	char a[33], b[33], c[33];

	test_begin("keys");
	backend_pop3_store_uid_key("alice@host", "uid-1", a);
	backend_pop3_store_uid_key("alice@host", "uid-1", b);
	test_assert_int(strlen(a), 32);
	test_assert(strspn(a, "0123456789abcdef") == 32);
	test_assert_str(a, b);
	backend_pop3_store_uid_key("alice@host", "uid-2", b);
	test_assert(strcmp(a, b) != 0);
	backend_pop3_store_uid_key("bob@host", "uid-1", b);
	test_assert(strcmp(a, b) != 0);
	/* The same text split differently is another key. */
	backend_pop3_store_uid_key("alice@hostu", "id-1", b);
	test_assert(strcmp(a, b) != 0);
	backend_pop3_store_content_key("a\r\nb\r\n", 6, a);
	backend_pop3_store_content_key("a\nb\n", 4, b);
	backend_pop3_store_content_key("a\nc\n", 4, c);
	test_assert_str(a, b);
	test_assert(strcmp(a, c) != 0);
	/* What the connection hands over with LF line ends keys as the
	   message as sent, also where a CR stays before the LF. */
	{
		const char *wire = "a\r\r\nb\rc\r\nd\r";
		char lf[32];
		bool cr = false;
		size_t n = backend_pop3_lf_piece(lf, wire, strlen(wire), &cr);

		if (cr)
			lf[n++] = '\r';
		test_assert_int(n, 9);
		backend_pop3_store_content_key(wire, strlen(wire), a);
		backend_pop3_store_content_key_lf(lf, n, b);
		test_assert_str(a, b);
	}
	test_end();
}

static void
test_batch(void)
{
	struct backend_pop3_store *st = open_store();
	char key[4][33], *m[4], *path, *data = NULL;
	struct err err;
	size_t len = 0;

	test_begin("a batch: durable, indexed, found again");
	test_assert(st != NULL);
	if (st == NULL)
		return;
	for (int i = 0; i < 4; i++) {
		char uid[16];

		snprintf(uid, sizeof(uid), "uid-%d", i);
		backend_pop3_store_uid_key("alice@host", uid, key[i]);
		m[i] = message(i);
	}
	test_assert_int(backend_pop3_store_has(st, key[0], &err), 0);
	test_assert(backend_pop3_store_add(st, key[0], m[0], strlen(m[0]), &err) == 0);
	test_assert(backend_pop3_store_add(st, key[1], m[1], strlen(m[1]), &err) == 0);
	/* The same message twice in a batch is one. */
	test_assert(backend_pop3_store_add(st, key[1], m[1], strlen(m[1]), &err) == 0);
	test_assert_int(backend_pop3_store_pending(st, NULL), 2);
	test_assert_int(backend_pop3_store_has(st, key[0], &err), 1);
	test_assert_int(files_in("new"), 0);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(backend_pop3_store_pending(st, NULL), 0);
	test_assert_int(files_in("new"), 2);
	test_assert_int(files_in("tmp"), 0);
	test_assert_int(count("*"), 2);
	test_assert_int(count("tag:inbox and tag:unread"), 2);
	path = xasprintf("property:%s=%s", BACKEND_POP3_PROPERTY, key[0]);
	test_assert_int(count(path), 1);
	free(path);
	/* Stored as LF, byte for byte otherwise. */
	path = xasprintf("%s/new/%s.pop3.petrel", mail, key[0]);
	test_assert(file_read_all(path, 1 << 20, &data, &len, &err) == 0);
	test_assert_str(data != NULL ? data : "",
	                "From: Peer <peer@example.org>\nSubject: Message 0\n"
	                "Message-ID: <store-0@example.org>\n\nBody 0.\n");
	free(data);
	free(path);
	backend_pop3_store_free(&st);
	test_end();

	test_begin("another run finds them in the store");
	st = open_store();
	test_assert_int(backend_pop3_store_has(st, key[0], &err), 1);
	test_assert_int(backend_pop3_store_has(st, key[1], &err), 1);
	test_assert_int(backend_pop3_store_has(st, key[2], &err), 0);
	/* Delivered again (a run that stopped before recording it): still one. */
	test_assert(backend_pop3_store_add(st, key[0], m[0], strlen(m[0]), &err) == 0);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(files_in("new"), 2);
	test_assert_int(count("*"), 2);
	backend_pop3_store_free(&st);
	test_end();

	test_begin("a file in new/ that was never indexed joins the next batch");
	path = xasprintf("%s/new/%s.pop3.petrel", mail, key[2]);
	test_assert(file_write_atomic(path, m[2], strlen(m[2]), 0600, &err) == 0);
	free(path);
	/* A half-written leftover in tmp/ is overwritten. */
	path = xasprintf("%s/tmp/%s.pop3.petrel", mail, key[3]);
	test_assert(file_write_atomic(path, "From: trunc", 11, 0600, &err) == 0);
	free(path);
	st = open_store();
	test_assert_int(count("*"), 2);
	test_assert_int(backend_pop3_store_has(st, key[2], &err), 1);
	test_assert_int(backend_pop3_store_pending(st, NULL), 1);
	test_assert_int(backend_pop3_store_has(st, key[3], &err), 0);
	test_assert(backend_pop3_store_add(st, key[3], m[3], strlen(m[3]), &err) == 0);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(count("*"), 4);
	test_assert_int(files_in("new"), 4);
	test_assert_int(files_in("tmp"), 0);
	test_assert_int(count("id:store-3@example.org"), 1);
	path = xasprintf("property:%s=%s", BACKEND_POP3_PROPERTY, key[2]);
	test_assert_int(count(path), 1);
	free(path);
	backend_pop3_store_free(&st);
	test_end();

	test_begin("a message notmuch cannot index stays in the maildir");
	st = open_store();
	backend_pop3_store_content_key("", 0, key[0]);
	str_reset(&logged);
	test_assert(backend_pop3_store_add(st, key[0], "", 0, &err) == 0);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(files_in("new"), 5);
	test_assert(strstr(str_cstr(&logged), "is not mail notmuch can index") != NULL);
	test_assert_int(count("*"), 4);
	backend_pop3_store_free(&st);
	test_end();

	for (int i = 0; i < 4; i++)
		free(m[i]);
}

/* A plain maildir as --fetch --to fills it, over several batches. */
static void
test_plain_batches(void)
{
	char *dir = xasprintf("%s/plain-batches", test_tmpdir());
	char key[40][33], leftover[1024], *m = message(7), *path;
	struct backend_pop3_store *st = NULL;
	struct backend_params p;
	struct err err;
	int all = 1;

	test_begin("a plain maildir: keys found in new/ and cur/, batches remembered");
	for (int i = 0; i < 40; i++) {
		char uid[16];

		snprintf(uid, sizeof(uid), "uid-plain-%d", i);
		backend_pop3_store_uid_key("alice@host", uid, key[i]);
	}
	backend_params_init(&p);
	test_assert(backend_pop3_store_open_maildir(dir, &p, &st, &err) == 0);
	if (st == NULL)
		goto out;
	backend_pop3_store_free(&st);
	/* Delivered by earlier runs: one read since (cur/, with flags), one
	   not yet, and one left in new/ by a run killed before it recorded
	   it, which this run delivers again. */
	path = xasprintf("%s/cur/%s.pop3.petrel:2,S", dir, key[0]);
	test_assert(file_write_atomic(path, m, strlen(m), 0600, &err) == 0);
	free(path);
	path = xasprintf("%s/new/%s.pop3.petrel", dir, key[1]);
	test_assert(file_write_atomic(path, m, strlen(m), 0600, &err) == 0);
	free(path);
	snprintf(leftover, sizeof(leftover), "%s/new/%s.pop3.petrel", dir, key[2]);
	test_assert(file_write_atomic(leftover, "half", 4, 0600, &err) == 0);
	test_assert(backend_pop3_store_open_maildir(dir, &p, &st, &err) == 0);
	if (st == NULL)
		goto out;
	test_assert_int(backend_pop3_store_has(st, key[0], &err), 1);
	test_assert_int(backend_pop3_store_has(st, key[1], &err), 1);
	test_assert_int(backend_pop3_store_has(st, key[3], &err), 0);
	/* Keys in an order that is not theirs, in batches of 7, so that each
	   commit merges into what earlier ones stored. */
	for (int i = 39; i >= 2; i--) {
		if (backend_pop3_store_add(st, key[i], m, strlen(m), &err) < 0)
			all = 0;
		if (i % 7 == 0 && backend_pop3_store_commit(st, &err) < 0)
			all = 0;
	}
	test_assert(all);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	for (int i = 0; i < 40; i++)
		if (backend_pop3_store_has(st, key[i], &err) != 1)
			all = 0;
	test_assert(all);
	{
		char other[33];

		backend_pop3_store_uid_key("alice@host", "uid-plain-none", other);
		test_assert_int(backend_pop3_store_has(st, other, &err), 0);
	}
	test_assert_int(test_files_in(dir, "new"), 39);
	test_assert_int(test_files_in(dir, "cur"), 1);
	test_assert_int(test_files_in(dir, "tmp"), 0);
	/* The leftover was replaced by the whole message. */
	{
		char *got = NULL;
		size_t len = 0;

		test_assert(file_read_all(leftover, 1 << 20, &got, &len, &err) == 0);
		test_assert(got != NULL && strstr(got, "Subject: Message 7\n") != NULL);
		test_assert(got != NULL && memchr(got, '\r', len) == NULL);
		free(got);
	}
	backend_pop3_store_free(&st);
out:
	test_end();
	free(m);
	free(dir);
}

static void
test_flight(void)
{
	struct backend_pop3_store *st = open_store();
	struct backend_params p;
	char key[4][33], *m[4], *plain, *path;
	unsigned before = count("*");
	size_t files = files_in("new");
	struct err err;

	for (int i = 0; i < 4; i++) {
		char uid[16];

		snprintf(uid, sizeof(uid), "uid-flight-%d", i);
		backend_pop3_store_uid_key("alice@host", uid, key[i]);
		m[i] = message(100 + i);
	}

	test_begin("a batch in flight while the next is added");
	test_assert(st != NULL);
	if (st == NULL) {
		test_end();
		goto out;
	}
	test_assert_int(backend_pop3_store_commit_wait(st, 1, &err), 0);
	test_assert(backend_pop3_store_add(st, key[0], m[0], strlen(m[0]), &err) == 0);
	test_assert(backend_pop3_store_add(st, key[1], m[1], strlen(m[1]), &err) == 0);
	test_assert(backend_pop3_store_commit_start(st, &err) == 0);
	test_assert_int(backend_pop3_store_in_flight(st), 2);
	test_assert_int(backend_pop3_store_pending(st, NULL), 0);
	/* Only one batch in flight. */
	test_assert(backend_pop3_store_add(st, key[2], m[2], strlen(m[2]), &err) == 0);
	test_assert(backend_pop3_store_commit_start(st, &err) < 0);
	test_assert_int(err.kind, ERR_INTERNAL);
	/* What is in flight is in the store already, for has() and add(). */
	test_assert_int(backend_pop3_store_has(st, key[0], &err), 1);
	test_assert(backend_pop3_store_add(st, key[1], m[1], strlen(m[1]), &err) == 0);
	test_assert_int(backend_pop3_store_pending(st, NULL), 1);
	test_assert_int(backend_pop3_store_commit_wait(st, 1, &err), 1);
	test_assert_int(backend_pop3_store_in_flight(st), 0);
	test_assert_int(backend_pop3_store_commit_wait(st, 0, &err), 0);
	test_assert_int(files_in("new"), files + 2);
	test_assert_int(count("*"), before + 2);
	test_assert_int(backend_pop3_store_has(st, key[1], &err), 1);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(files_in("new"), files + 3);
	test_assert_int(count("*"), before + 3);
	test_assert_int(files_in("tmp"), 0);
	/* Freed with a batch in flight (a run that failed): the thread ends
	   first.  Its file is either still in tmp/ (free() came before the
	   rename: not stored, and the next run stores it over the leftover)
	   or already durable in new/ (the next run finds it there, delivered
	   but not indexed, and indexes it): once either way. */
	test_assert(backend_pop3_store_add(st, key[3], m[3], strlen(m[3]), &err) == 0);
	test_assert(backend_pop3_store_commit_start(st, &err) == 0);
	backend_pop3_store_free(&st);
	test_assert_int(files_in("new") + files_in("tmp"), files + 4);
	st = open_store();
	test_assert(st != NULL);
	if (st != NULL) {
		int had = backend_pop3_store_has(st, key[3], &err);

		test_assert_int(had, files_in("new") == files + 4 ? 1 : 0);
		if (had == 0)
			test_assert(backend_pop3_store_add(st, key[3], m[3], strlen(m[3]), &err) ==
			            0);
		test_assert(backend_pop3_store_commit(st, &err) == 0);
		backend_pop3_store_free(&st);
	}
	test_assert_int(files_in("new"), files + 4);
	test_assert_int(files_in("tmp"), 0);
	test_assert_int(count("*"), before + 4);
	test_end();

	test_begin("a plain maildir: a failed flight goes back to the open batch");
	plain = xasprintf("%s/plain", test_tmpdir());
	backend_params_init(&p);
	test_assert(backend_pop3_store_open_maildir(plain, &p, &st, &err) == 0);
	if (st == NULL)
		goto free_plain;
	path = xasprintf("%s/new", plain);
	test_assert(rmdir(path) == 0);
	test_assert(backend_pop3_store_add(st, key[0], m[0], strlen(m[0]), &err) == 0);
	test_assert(backend_pop3_store_add(st, key[1], m[1], strlen(m[1]), &err) == 0);
	test_assert(backend_pop3_store_commit_start(st, &err) == 0);
	test_assert(backend_pop3_store_add(st, key[2], m[2], strlen(m[2]), &err) == 0);
	test_assert_int(backend_pop3_store_commit_wait(st, 1, &err), -1);
	test_assert_int(err.kind, ERR_IO);
	test_assert_int(backend_pop3_store_in_flight(st), 0);
	test_assert_int(backend_pop3_store_pending(st, NULL), 3);
	test_assert_int(backend_pop3_store_has(st, key[0], &err), 1);
	test_assert(mkdir(path, 0700) == 0);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(test_files_in(plain, "new"), 3);
	test_assert_int(test_files_in(plain, "tmp"), 0);
	test_assert_int(backend_pop3_store_has(st, key[1], &err), 1);
	test_assert_int(backend_pop3_store_has(st, key[3], &err), 0);
	backend_pop3_store_free(&st);
	free(path);
free_plain:
	free(plain);
	test_end();
out:
	for (int i = 0; i < 4; i++)
		free(m[i]);
}

/*
 * backend_pop3_lf_piece over a message cut into pieces anywhere gives
 * what one pass over the whole message gives: each CRLF made LF, every
 * other CR kept (a CR at the end of a piece, or of the message, too).
 */
static void
test_lf_pieces(void)
{
	static const char alphabet[] = "\r\n.a";
	unsigned long seed = 12345;
	char in[48], want[48], got[64];
	int same = 1;

	test_begin("CRLF made LF piece by piece, cut anywhere");
	for (int round = 0; round < 200000 && same; round++) {
		size_t len, wlen = 0, glen = 0, at = 0;
		bool cr = false;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		len = (size_t)(seed >> 33) % sizeof(in);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			in[i] = alphabet[(seed >> 33) % 4];
		}
		for (size_t i = 0; i < len; i++)
			if (!(in[i] == '\r' && i + 1 < len && in[i + 1] == '\n'))
				want[wlen++] = in[i];
		while (at < len) {
			size_t k;

			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			k = 1 + (size_t)(seed >> 33) % (len - at);
			glen += backend_pop3_lf_piece(got + glen, in + at, k, &cr);
			at += k;
		}
		if (cr)
			got[glen++] = '\r';
		if (glen != wlen || memcmp(got, want, wlen) != 0)
			same = 0;
	}
	test_assert(same);
	test_end();
}

/* Descriptors this process has open. */
static int
open_fds(void)
{
	return (int)test_files_in("/proc/self", "fd");
}

/* A message of about size bytes, CRLF line ends, its lines numbered. */
static char *
big_message(int n, size_t size)
{
	struct str s = STR_INIT;

	str_appendf(&s, "From: Peer <peer@example.org>\r\nSubject: Big %d\r\n\r\n", n);
	for (int line = 0; s.len < size; line++)
		str_appendf(&s, "%d line %d: %s\r\n", n, line,
		            "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz");
	return str_detach(&s);
}

/*
 * Past the first 32 MiB of a run, a plain maildir's files are held open
 * until their batch is durable (then their pages leave the page cache):
 * the files must come out whole and byte for byte, and no descriptor may
 * stay open, whether a flight succeeds, fails or is left by free().
 */
static void
test_plain_large(void)
{
	char *dir = xasprintf("%s/plain-large", test_tmpdir());
	char key[48][33], *path = NULL, *aside = NULL;
	struct backend_pop3_store *st = NULL;
	struct backend_params p;
	struct err err;
	int fds = open_fds(), all = 1, same = 1;

	test_begin("a plain maildir past 32 MiB: files whole, no descriptor left open");
	for (int i = 0; i < 48; i++) {
		char uid[16];

		snprintf(uid, sizeof(uid), "uid-large-%d", i);
		backend_pop3_store_uid_key("alice@host", uid, key[i]);
	}
	backend_params_init(&p);
	test_assert(backend_pop3_store_open_maildir(dir, &p, &st, &err) == 0);
	if (st == NULL)
		goto out;
	/* 40 messages of 1 MiB, committed 8 at a time with the next batch
	   added while one is in flight. */
	for (int i = 0; i < 40; i++) {
		char *m = big_message(i, 1024 * 1024);

		if (backend_pop3_store_add(st, key[i], m, strlen(m), &err) < 0)
			all = 0;
		free(m);
		/* (The last messages of the 32 MiB are held open.) */
		if (i == 38 && open_fds() <= fds)
			all = 0;
		if (i % 8 == 7 && (backend_pop3_store_commit_wait(st, 1, &err) < 0 ||
		                   backend_pop3_store_commit_start(st, &err) < 0))
			all = 0;
	}
	test_assert(all);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(open_fds(), fds);
	/* A flight that fails (new/ gone) closes its descriptors too. */
	path = xasprintf("%s/new", dir);
	aside = xasprintf("%s/new-aside", dir);
	test_assert(rename(path, aside) == 0);
	for (int i = 40; i < 44; i++) {
		char *m = big_message(i, 256 * 1024);

		test_assert(backend_pop3_store_add(st, key[i], m, strlen(m), &err) == 0);
		free(m);
	}
	test_assert(backend_pop3_store_commit_start(st, &err) == 0);
	test_assert_int(backend_pop3_store_commit_wait(st, 1, &err), -1);
	test_assert_int(open_fds(), fds);
	test_assert(mkdir(path, 0700) == 0);
	test_assert(backend_pop3_store_commit(st, &err) == 0);
	test_assert_int(open_fds(), fds);
	/* Added and never committed: free() closes them. */
	for (int i = 44; i < 48; i++) {
		char *m = big_message(i, 256 * 1024);

		test_assert(backend_pop3_store_add(st, key[i], m, strlen(m), &err) == 0);
		free(m);
	}
	backend_pop3_store_free(&st);
	test_assert_int(open_fds(), fds);
	test_assert_int(test_files_in(dir, "new"), 4);
	test_assert_int(test_files_in(dir, "tmp"), 4);
	for (int i = 40; i < 44; i++) {
		char *want = big_message(i, 256 * 1024), *got = NULL, *file;
		struct str lf = STR_INIT;
		size_t len = 0;

		for (const char *c = want; *c != '\0'; c++)
			if (!(c[0] == '\r' && c[1] == '\n'))
				str_append_char(&lf, *c);
		file = xasprintf("%s/new/%s.pop3.petrel", dir, key[i]);
		if (file_read_all(file, 1 << 22, &got, &len, &err) < 0 || len != lf.len ||
		    memcmp(got, lf.s, len) != 0)
			same = 0;
		free(file);
		free(got);
		free(want);
		str_free(&lf);
	}
	test_assert(same);
	test_assert_int(test_files_in(aside, ""), 40);
out:
	free(path);
	free(aside);
	test_end();
	free(dir);
}

static void
test_bad_key(void)
{
	struct backend_pop3_store *st = open_store();
	struct err err;

	test_begin("keys that are not keys are refused");
	test_assert_int(backend_pop3_store_has(st, "../../etc/passwd", &err), -1);
	test_assert(backend_pop3_store_add(st, "ABC", "x", 1, &err) < 0);
	backend_pop3_store_free(&st);
	test_end();
}

int
main(void)
{
	const char *tmp = test_tmpdir();
	char *config = xasprintf("%s/notmuch-config", tmp);
	char *home = xasprintf("%s/home", tmp);
	char *text;
	struct err err;

	mail = xasprintf("%s/mail", tmp);
	text = xasprintf("[database]\npath=%s\n[new]\ntags=unread;inbox;\n"
	                 "[maildir]\nsynchronize_flags=true\n",
	                 mail);
	if (file_write_atomic(config, text, strlen(text), 0600, &err) < 0)
		fprintf(stderr, "# %s\n", err.msg);
	free(text);
	mkdir(home, 0700);
	setenv("NOTMUCH_CONFIG", config, 1);
	setenv("HOME", home, 1);
	unsetenv("NOTMUCH_PROFILE");
	unsetenv("NOTMUCH_DATABASE");
	unsetenv("MAILDIR");
	log_set_sink(capture, NULL);
	log_set_level(LOG_INFO);

	test_apop();
	test_keys();
	test_batch();
	test_flight();
	test_plain_batches();
	test_plain_large();
	test_lf_pieces();
	test_bad_key();

	log_set_sink(NULL, NULL);
	str_free(&logged);
	free(config);
	free(home);
	free(mail);
	return test_done();
}
