/*
 * The notmuch store: creating it, delivery with new.tags, query folders
 * and their summaries, tags seen by another database handle, flags and
 * maildir file names kept in step both ways, recovery of a delivery that
 * was never indexed, and waiting for a database another process locked.
 *
 * Everything happens in a temporary directory named by NOTMUCH_CONFIG:
 * the user's own notmuch configuration is never read.
 */
#include "config.h"

#include <errno.h>
#include <notmuch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend-notmuch.h"
#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "test-common.h"

/*
 * Sanitizer builds: libnotmuch 0.37 drops the message of a failed look
 * for a database in notmuch_database_load_config, which is how a store
 * still to be created is found (tests/cli/notmuch-lsan.supp says the
 * same for the command-line tests).  Full unwinding lets LeakSanitizer
 * see libnotmuch's frames under libc's.
 */
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

static const struct backend_ops *ops = &backend_notmuch_ops;
static char *mail; /* the mail root and database path */
static struct str logged = STR_INIT;

static const char msg1[] = "From: Alice Example <alice@example.org>\n"
                           "To: Bob <bob@example.org>, carol@example.org\n"
                           "Cc: Dave <dave@example.org>\n"
                           "Subject: First message\n"
                           "Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
                           "Message-ID: <m1@test.example>\n"
                           "\n"
                           "Hello Bob,\n"
                           "how are you?\n";
static const char msg2[] = "From: Bob <bob@example.org>\r\n"
                           "To: Alice Example <alice@example.org>\r\n"
                           "Subject: Second\r\n"
                           "Date: Tue, 02 Jan 2024 10:00:00 +0000\r\n"
                           "Message-ID: <m2@test.example>\r\n"
                           "\r\n"
                           "Fine.\r\n";
static const char msg3[] = "From: Carol <carol@example.org>\n"
                           "To: Alice Example <alice@example.org>\n"
                           "Subject: Re: First message\n"
                           "Date: Wed, 03 Jan 2024 10:00:00 +0000\n"
                           "Message-ID: <m3@test.example>\n"
                           "In-Reply-To: <m1@test.example>\n"
                           "References: <m1@test.example>\n"
                           "\n"
                           "Me too.\n";
static const char msg4[] = "From: Dave <dave@example.org>\n"
                           "Subject: Fourth\n"
                           "Date: Thu, 04 Jan 2024 10:00:00 +0000\n"
                           "Message-ID: <m4@test.example>\n"
                           "\n"
                           "one\ntwo\nthree\n";

/* ---- a process that holds the database's write lock on request ---- */

static int to_holder = -1, from_holder = -1;
static pid_t holder;

/*
 * The child: 'L' opens the database read-write (taking its lock) and
 * answers 'l'; 'U' closes it and answers 'u'; 'T' holds it 800 ms, then
 * lets go.  Forked before this process uses libnotmuch or GLib.
 */
static void
holder_main(int in, int out)
{
	notmuch_database_t *db = NULL;
	char c;

	while (read(in, &c, 1) == 1) {
		if (c == 'L' || c == 'T') {
			char ok = notmuch_database_open_with_config(
			              NULL, NOTMUCH_DATABASE_MODE_READ_WRITE, NULL, NULL, &db,
			              NULL) == NOTMUCH_STATUS_SUCCESS
			              ? 'l'
			              : 'e';

			if (write(out, &ok, 1) != 1)
				break;
			if (c == 'T') {
				usleep(800 * 1000);
				notmuch_database_destroy(db);
				db = NULL;
			}
		} else if (c == 'U') {
			if (db != NULL)
				notmuch_database_destroy(db);
			db = NULL;
			if (write(out, "u", 1) != 1)
				break;
		}
	}
	_exit(0);
}

static void
start_holder(void)
{
	int a[2], b[2];

	if (pipe(a) < 0 || pipe(b) < 0)
		exit(99);
	holder = fork();
	if (holder < 0)
		exit(99);
	if (holder == 0) {
		close(a[1]);
		close(b[0]);
		holder_main(a[0], b[1]);
	}
	close(a[0]);
	close(b[1]);
	to_holder = a[1];
	from_holder = b[0];
}

static char
tell_holder(char c)
{
	char answer = '?';

	if (write(to_holder, &c, 1) != 1 || read(from_holder, &answer, 1) != 1)
		return '?';
	return answer;
}

/* ---- helpers ---- */

static void
capture(enum log_level level, const char *line, void *ctx)
{
	(void)level;
	(void)ctx;
	str_append(&logged, line);
	str_append_char(&logged, '\n');
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
		perror(path);
		exit(99);
	}
}

static struct url
url_of(const char *text)
{
	struct url u;
	struct err err;

	if (url_parse(text, &u, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		exit(99);
	}
	return u;
}

static int
deliver(const char *data, unsigned flags, struct backend_params *p, struct err *err)
{
	struct url u = url_of("notmuch://");
	int rc = ops->append(&u, p, data, strlen(data), flags, 0, err);

	url_clear(&u);
	return rc;
}

static struct backend_folder *
open_query(const char *url_text)
{
	struct backend_params p;
	struct backend_folder *f = NULL;
	struct url u = url_of(url_text);
	struct err err;

	backend_params_init(&p);
	if (ops->open(&u, &p, &f, &err) < 0) {
		printf("# open %s: %s\n", url_text, err.msg);
		f = NULL;
	}
	url_clear(&u);
	return f;
}

/* What a second, independent database handle says about a message. */
struct seen {
	char tags[256];
	char file[1024];
	int found;
};

static struct seen
look(const char *id)
{
	notmuch_database_t *db = NULL;
	notmuch_message_t *m = NULL;
	struct seen s;

	memset(&s, 0, sizeof(s));
	if (notmuch_database_open_with_config(NULL, NOTMUCH_DATABASE_MODE_READ_ONLY, NULL, NULL,
	                                      &db, NULL) != NOTMUCH_STATUS_SUCCESS)
		return s;
	if (notmuch_database_find_message(db, id, &m) == NOTMUCH_STATUS_SUCCESS && m != NULL) {
		notmuch_tags_t *t = notmuch_message_get_tags(m);

		s.found = 1;
		for (; notmuch_tags_valid(t); notmuch_tags_move_to_next(t)) {
			if (s.tags[0] != '\0')
				strcat(s.tags, ",");
			strncat(s.tags, notmuch_tags_get(t), 40);
		}
		snprintf(s.file, sizeof(s.file), "%s", notmuch_message_get_filename(m));
		notmuch_message_destroy(m);
	}
	notmuch_database_destroy(db);
	return s;
}

/* Adds or removes a tag with a second handle, as another program would. */
static void
tag_elsewhere(const char *id, const char *tag, int add)
{
	notmuch_database_t *db = NULL;
	notmuch_message_t *m = NULL;

	if (notmuch_database_open_with_config(NULL, NOTMUCH_DATABASE_MODE_READ_WRITE, NULL, NULL,
	                                      &db, NULL) != NOTMUCH_STATUS_SUCCESS)
		exit(99);
	if (notmuch_database_find_message(db, id, &m) != NOTMUCH_STATUS_SUCCESS || m == NULL)
		exit(99);
	if (add)
		notmuch_message_add_tag(m, tag);
	else
		notmuch_message_remove_tag(m, tag);
	notmuch_message_destroy(m);
	notmuch_database_destroy(db);
}

static size_t
files_in(const char *sub)
{
	return test_files_in(mail, sub);
}

static int
ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && strcmp(s + a - b, tail) == 0;
}

static size_t
index_of_id(struct backend_folder *f, const char *message_id)
{
	struct arena *arena = arena_new();
	size_t n = ops->count(f), found = (size_t)-1;
	struct mime_summary *s = xcalloc(n + 1, sizeof(*s));
	struct err err;

	if (ops->load_summaries(f, 0, n, arena, s, NULL, &err) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(s[i].message_id, message_id) == 0)
				found = i;
	free(s);
	arena_free(&arena);
	return found;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- the tests ---- */

static void
test_create_and_deliver(void)
{
	struct backend_params p;
	struct backend_notmuch_store store;
	struct err err;
	struct seen s;
	char *xapian = xasprintf("%s/.notmuch/xapian", mail), *other;
	struct stat st;

	test_begin("the first delivery creates the store and says where");
	backend_params_init(&p);
	p.create = 0;
	test_assert_int(deliver(msg1, MIME_FLAG_RECENT, &p, &err), -1);
	test_assert(strstr(err.msg, "--init-store") != NULL);
	p.create = 1;
	str_reset(&logged);
	test_assert_int(deliver(msg1, MIME_FLAG_RECENT, &p, &err), 0);
	test_assert(stat(xapian, &st) == 0 && S_ISDIR(st.st_mode));
	test_assert(strstr(str_cstr(&logged), "created a new notmuch database in") != NULL);
	test_assert(strstr(str_cstr(&logged), mail) != NULL);
	test_assert_int(files_in("new"), 1);
	test_assert_int(files_in("tmp"), 0);
	test_end();

	test_begin("new mail is indexed with new.tags; flags become tags and file names");
	test_assert_int(deliver(msg2, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED, &p, &err), 0);
	test_assert_int(deliver(msg3, 0, &p, &err), 0);
	test_assert_int(deliver(msg4, MIME_FLAG_RECENT, &p, &err), 0);
	s = look("m1@test.example");
	test_assert_str(s.tags, "inbox,new,unread");
	test_assert(strstr(s.file, "/new/") != NULL);
	s = look("m2@test.example");
	test_assert_str(s.tags, "flagged,inbox,new");
	test_assert(strstr(s.file, "/cur/") != NULL && ends_with(s.file, ":2,FS"));
	s = look("m3@test.example");
	test_assert_str(s.tags, "inbox,new,unread");
	/* Unread without flags stays in new/, as notmuch leaves such files. */
	test_assert(strstr(s.file, "/new/") != NULL && strchr(s.file, ':') == NULL);
	test_assert_int(files_in("new"), 3);
	test_assert_int(files_in("cur"), 1);
	test_end();

	test_begin("init creates a store once, and finds it after");
	other = xasprintf("%s/other", test_tmpdir());
	test_assert_int(backend_notmuch_init(other, &store, &err), 0);
	test_assert_int(store.created, 1);
	test_assert_str(store.db_path, other);
	backend_notmuch_store_clear(&store);
	test_assert_int(backend_notmuch_init(other, &store, &err), 0);
	test_assert_int(store.created, 0);
	backend_notmuch_store_clear(&store);
	test_assert_int(backend_notmuch_init(NULL, &store, &err), 0);
	test_assert_int(store.created, 0);
	test_assert_str(store.db_path, mail);
	test_assert_str(store.mail_root, mail);
	backend_notmuch_store_clear(&store);
	free(other);
	test_end();
	free(xapian);
}

static void
test_query_folder(void)
{
	struct backend_folder *f;
	struct arena *arena = arena_new();
	struct mime_summary s[4];
	struct str data = STR_INIT;
	struct err err;
	size_t index;

	test_begin("a query folder lists its messages oldest first with their summaries");
	f = open_query("notmuch://?query=tag:inbox");
	test_assert(f != NULL);
	if (f == NULL)
		goto out;
	test_assert_int(ops->count(f), 4);
	test_assert_int(ops->load_summaries(f, 0, 4, arena, s, NULL, &err), 0);
	test_assert_str(s[0].message_id, "m1@test.example");
	test_assert_str(s[0].from_name, "Alice Example");
	test_assert_str(s[0].from_addr, "alice@example.org");
	test_assert_str(s[0].subject, "First message");
	test_assert(strstr(s[0].to, "bob@example.org") != NULL);
	test_assert(strstr(s[0].to, "carol@example.org") != NULL);
	test_assert(strstr(s[0].cc, "dave@example.org") != NULL);
	test_assert_int(s[0].flags, MIME_FLAG_RECENT);
	test_assert_int(s[0].lines, 2);
	test_assert_int(s[0].size, sizeof(msg1) - 1);
	test_assert_int(s[0].date, 1704103200);
	test_assert_str(s[1].message_id, "m2@test.example");
	test_assert_int(s[1].flags, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED);
	test_assert_int(s[1].lines, 1);
	test_assert_str(s[2].subject, "Re: First message");
	test_assert_str(s[2].in_reply_to, "m1@test.example");
	test_assert(strstr(s[2].references, "m1@test.example") != NULL);
	test_assert_int(s[2].flags, MIME_FLAG_RECENT);
	test_assert_int(s[3].lines, 3);
	test_assert(ops->find(f, s[2].id, &index) && index == 2);
	test_assert(!ops->find(f, s[2].id ^ 1, &index));
	test_end();

	test_begin("fetching gives the message as delivered, with LF line ends");
	test_assert_int(ops->fetch(f, 0, &data, &err), 0);
	test_assert_str(str_cstr(&data), msg1);
	str_reset(&data);
	test_assert_int(ops->fetch(f, 1, &data, &err), 0);
	test_assert(strstr(str_cstr(&data), "\r") == NULL);
	test_assert(strstr(str_cstr(&data), "Subject: Second\n") != NULL);
	str_reset(&data);
	test_assert_int(ops->fetch_header(f, 0, &data, &err), 0);
	test_assert(ends_with(str_cstr(&data), "carol@example.org\nCc: Dave <dave@example.org>\n"
	                                       "Subject: First message\n"
	                                       "Date: Mon, 01 Jan 2024 10:00:00 +0000\n"
	                                       "Message-ID: <m1@test.example>\n\n"));
	test_assert_int(ops->fetch(f, 4, &data, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	ops->close(&f);
	test_assert(f == NULL);
	test_end();

	test_begin("a listing-only open takes From, Subject and dates from the database");
	{
		struct backend_params p;
		struct mime_summary l[4];
		struct url u = url_of("notmuch://?query=tag:inbox");
		int rc;

		backend_params_init(&p);
		p.listing_only = 1;
		f = NULL;
		test_assert_int(ops->open(&u, &p, &f, &err), 0);
		url_clear(&u);
		test_assert(f != NULL && ops->count(f) == 4);
		rc = f != NULL ? ops->load_summaries(f, 0, 4, arena, l, NULL, &err) : -1;
		test_assert_int(rc, 0);
		if (rc == 0) {
			for (int i = 0; i < 4; i++) {
				/* What a listing shows is what the files say... */
				test_assert_int(l[i].id, s[i].id);
				test_assert_int(l[i].flags, s[i].flags);
				test_assert_str(l[i].from_name, s[i].from_name);
				test_assert_str(l[i].from_addr, s[i].from_addr);
				test_assert_str(l[i].subject, s[i].subject);
				test_assert_int(l[i].date, s[i].date);
				test_assert_int(l[i].size, s[i].size);
				test_assert_str(l[i].message_id, s[i].message_id);
				/* ...and what it does not show is left out, and
				 * said to be. */
				test_assert_int(l[i].partial, 1);
				test_assert_int(s[i].partial, 0);
				test_assert_int(l[i].lines, 0);
				test_assert_str(l[i].to, "");
				test_assert_str(l[i].references, "");
			}
			/* A message is still read from its file. */
			str_reset(&data);
			test_assert_int(ops->fetch(f, 0, &data, &err), 0);
			test_assert_str(str_cstr(&data), msg1);
		}
		ops->close(&f);
	}
	test_end();

	test_begin("other queries, and queries that cannot be");
	f = open_query("notmuch://?query=from%3Abob");
	test_assert(f != NULL && ops->count(f) == 1);
	ops->close(&f);
	{
		char *u = xasprintf("notmuch://%s?query=tag:unread", mail);

		f = open_query(u);
		test_assert(f != NULL && ops->count(f) == 3);
		ops->close(&f);
		free(u);
	}
	f = open_query("notmuch://?query=tag:nosuchtag");
	test_assert(f != NULL && ops->count(f) == 0);
	ops->close(&f);
	{
		struct backend_params p;
		struct url u = url_of("notmuch://todo");

		backend_params_init(&p);
		test_assert_int(ops->open(&u, &p, &f, &err), -1);
		test_assert_int(err.kind, ERR_USAGE);
		test_assert(strstr(err.msg, "todo") != NULL);
		url_clear(&u);
		u = url_of("notmuch:///nonexistent/db?query=*");
		test_assert_int(ops->open(&u, &p, &f, &err), -1);
		test_assert(strstr(err.msg, "/nonexistent/db") != NULL);
		url_clear(&u);
	}
	test_end();
out:
	str_free(&data);
	arena_free(&arena);
}

static void
test_tags_and_flags(void)
{
	static const char *const add[] = {"foo"};
	static const char *const remove[] = {"inbox"};
	static const char *const unread[] = {"unread"};
	struct backend_folder *f = open_query("notmuch://?query=tag:new");
	struct arena *arena = arena_new();
	struct mime_summary s;
	struct err err;
	struct seen seen;
	enum backend_check check;
	char *old;
	size_t i1, i3, i4;

	if (f == NULL) {
		test_assert(f != NULL);
		return;
	}
	i1 = index_of_id(f, "m1@test.example");
	i3 = index_of_id(f, "m3@test.example");
	i4 = index_of_id(f, "m4@test.example");

	test_begin("tag changes are written at once and seen by another handle");
	test_assert_int(ops->set_tags(f, i1, add, 1, remove, 1, &err), 0);
	seen = look("m1@test.example");
	test_assert_str(seen.tags, "foo,new,unread");
	test_assert_int(ops->set_tags(f, i3, NULL, 0, unread, 1, &err), 0);
	seen = look("m3@test.example");
	test_assert_str(seen.tags, "inbox,new");
	test_assert(ends_with(seen.file, ":2,S"));
	test_assert_int(ops->load_summaries(f, i3, 1, arena, &s, NULL, &err), 0);
	test_assert_int(s.flags, MIME_FLAG_SEEN);
	{
		static const char *const empty[] = {""};

		test_assert_int(ops->set_tags(f, i3, empty, 1, NULL, 0, &err), -1);
		test_assert_int(err.kind, ERR_USAGE);
	}
	test_end();

	test_begin("flags are written to tags and file names at sync");
	test_assert_int(
	    ops->set_flags(f, i1, MIME_FLAG_SEEN | MIME_FLAG_ANSWERED, MIME_FLAG_RECENT, &err), 0);
	seen = look("m1@test.example");
	test_assert_str(seen.tags, "foo,new,unread"); /* not yet */
	test_assert_int(ops->sync(f, 0, NULL, &err), 0);
	seen = look("m1@test.example");
	test_assert_str(seen.tags, "foo,new,replied");
	test_assert(strstr(seen.file, "/cur/") != NULL && ends_with(seen.file, ":2,RS"));
	test_assert_int(files_in("new"), 1);
	test_assert_int(ops->load_summaries(f, i1, 1, arena, &s, NULL, &err), 0);
	test_assert_int(s.flags, MIME_FLAG_SEEN | MIME_FLAG_ANSWERED);
	test_end();

	test_begin("a file renamed by another client has its flags read back into tags");
	seen = look("m3@test.example");
	old = xstrdup(seen.file);
	{
		/* ":2,S" becomes ":2,FS", as a client flagging it would name it. */
		char *sorted = xasprintf("%.*sFS", (int)strlen(old) - 1, old);

		test_assert(rename(old, sorted) == 0);
		test_assert_int(ops->load_summaries(f, i3, 1, arena, &s, NULL, &err), 0);
		test_assert_int(s.flags, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED);
		test_assert_str(s.subject, "Re: First message");
		seen = look("m3@test.example");
		test_assert_str(seen.tags, "flagged,inbox,new");
		test_assert_str(seen.file, sorted);
		free(sorted);
	}
	free(old);
	test_end();

	test_begin("check() sees changes made by other programs");
	test_assert_int(ops->check(f, &check, NULL, &err), 0);
	test_assert_int(check, BACKEND_CHECK_NONE);
	tag_elsewhere("m4@test.example", "flagged", 1);
	test_assert_int(ops->check(f, &check, NULL, &err), 0);
	test_assert_int(check, BACKEND_CHECK_FLAGS);
	test_assert_int(ops->load_summaries(f, i4, 1, arena, &s, NULL, &err), 0);
	test_assert(s.flags & MIME_FLAG_FLAGGED);
	{
		struct backend_params p;
		const char *m5 = "From: Eve <eve@example.org>\nSubject: Late\n"
		                 "Date: Fri, 05 Jan 2024 10:00:00 +0000\n"
		                 "Message-ID: <m5@test.example>\n\nx\n";

		backend_params_init(&p);
		test_assert_int(deliver(m5, MIME_FLAG_RECENT, &p, &err), 0);
	}
	test_assert_int(ops->check(f, &check, NULL, &err), 0);
	test_assert_int(check, BACKEND_CHECK_NEW_MAIL);
	test_assert_int(ops->count(f), 5);
	tag_elsewhere("m2@test.example", "new", 0);
	test_assert_int(ops->check(f, &check, NULL, &err), 0);
	test_assert_int(check, BACKEND_CHECK_REOPENED);
	test_assert_int(ops->count(f), 4);
	test_end();

	test_begin("deleting tags the message deleted; expunge takes it out of the folder");
	i4 = index_of_id(f, "m4@test.example");
	test_assert_int(ops->set_flags(f, i4, MIME_FLAG_DELETED, 0, &err), 0);
	test_assert_int(ops->sync(f, 1, NULL, &err), 0);
	test_assert_int(ops->count(f), 3);
	seen = look("m4@test.example");
	test_assert(seen.found && strstr(seen.tags, "deleted") != NULL);
	test_assert(access(seen.file, F_OK) == 0);
	ops->close(&f);
	f = open_query("notmuch://?query=tag:new");
	test_assert(f != NULL && ops->count(f) == 3);
	ops->close(&f);
	f = open_query("notmuch://?query=tag:deleted");
	test_assert(f != NULL && ops->count(f) == 1);
	ops->close(&f);
	test_end();

	test_begin("a read-only folder takes no changes");
	{
		struct backend_params p;
		struct url u = url_of("notmuch://?query=tag:new");

		backend_params_init(&p);
		p.read_only = 1;
		test_assert_int(ops->open(&u, &p, &f, &err), 0);
		test_assert(ops->read_only(f));
		test_assert_int(ops->set_flags(f, 0, MIME_FLAG_SEEN, 0, &err), -1);
		test_assert_int(ops->set_tags(f, 0, add, 1, NULL, 0, &err), -1);
		test_assert_int(ops->sync(f, 1, NULL, &err), 0);
		ops->close(&f);
		url_clear(&u);
	}
	test_end();
	arena_free(&arena);
}

static void
test_recovery(void)
{
	const char *m6 = "From: Frank <frank@example.org>\nSubject: Crashed\n"
	                 "Message-ID: <m6@test.example>\n\nlost?\n";
	char *path = xasprintf("%s/new/1700000000.M1P1.crashed", mail);
	struct backend_folder *f;
	struct seen seen;

	test_begin("a delivery that was never indexed is indexed at the next open");
	write_file(path, m6);
	test_assert(!look("m6@test.example").found);
	str_reset(&logged);
	f = open_query("notmuch://?query=from:frank");
	test_assert(f != NULL && ops->count(f) == 1);
	seen = look("m6@test.example");
	test_assert_str(seen.tags, "inbox,new,unread");
	test_assert(strstr(str_cstr(&logged), "indexed 1 messages") != NULL);
	ops->close(&f);
	test_end();
	free(path);
}

static void
test_locked(void)
{
	struct backend_params p;
	struct timespec t0;
	struct err err;
	size_t before;
	const char *m7 = "From: Gina <gina@example.org>\nSubject: Waited\n"
	                 "Message-ID: <m7@test.example>\n\nyes\n";
	const char *m8 = "From: Hal <hal@example.org>\nSubject: Refused\n"
	                 "Message-ID: <m8@test.example>\n\nno\n";

	test_begin("delivery waits for a database another process has locked");
	backend_params_init(&p);
	test_assert(tell_holder('T') == 'l');
	str_reset(&logged);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_assert_int(deliver(m7, MIME_FLAG_RECENT, &p, &err), 0);
	test_assert(seconds_since(&t0) > 0.4);
	test_assert(strstr(str_cstr(&logged), "is locked by another program: waiting") != NULL);
	test_assert(look("m7@test.example").found);
	test_end();

	test_begin("and gives up after its bound, leaving nothing behind");
	test_assert(tell_holder('L') == 'l');
	before = files_in("new");
	p.lock_timeout_ms = 600;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_assert_int(deliver(m8, MIME_FLAG_RECENT, &p, &err), -1);
	test_assert(seconds_since(&t0) >= 0.55 && seconds_since(&t0) < 5);
	test_assert_int(err.kind, ERR_IO);
	test_assert(strstr(err.msg, "is locked by another program") != NULL);
	test_assert(strstr(err.msg, mail) != NULL);
	test_assert_int(files_in("new"), before);
	test_assert_int(files_in("tmp"), 0);
	test_assert(tell_holder('U') == 'u');
	test_assert(!look("m8@test.example").found);
	test_assert_int(deliver(m8, MIME_FLAG_RECENT, &p, &err), 0);
	test_assert(look("m8@test.example").found);
	test_end();

	test_begin("a cancelled wait ends at once");
	test_assert(tell_holder('L') == 'l');
	{
		int fds[2];

		test_assert(pipe(fds) == 0);
		test_assert(write(fds[1], "x", 1) == 1);
		p.lock_timeout_ms = 10 * 1000;
		p.cancel_fd = fds[0];
		clock_gettime(CLOCK_MONOTONIC, &t0);
		test_assert_int(deliver(m8, MIME_FLAG_RECENT, &p, &err), -1);
		test_assert_int(err.kind, ERR_CANCELLED);
		test_assert(seconds_since(&t0) < 2);
		close(fds[0]);
		close(fds[1]);
	}
	test_assert(tell_holder('U') == 'u');
	test_end();
}

int
main(void)
{
	const char *tmp = test_tmpdir();
	char *config = xasprintf("%s/notmuch-config", tmp);
	char *home = xasprintf("%s/home", tmp);
	char *text;
	int status;

	mail = xasprintf("%s/mail", tmp);
	text = xasprintf("[database]\npath=%s\n[new]\ntags=unread;inbox;new;\n"
	                 "[search]\nexclude_tags=deleted;spam;\n"
	                 "[maildir]\nsynchronize_flags=true\n",
	                 mail);
	write_file(config, text);
	free(text);
	mkdir(home, 0700);
	setenv("NOTMUCH_CONFIG", config, 1);
	setenv("HOME", home, 1);
	unsetenv("NOTMUCH_PROFILE");
	unsetenv("NOTMUCH_DATABASE");
	unsetenv("MAILDIR");
	start_holder();
	log_set_sink(capture, NULL);
	log_set_level(LOG_INFO);

	test_create_and_deliver();
	test_query_folder();
	test_tags_and_flags();
	test_recovery();
	test_locked();

	close(to_holder);
	close(from_holder);
	waitpid(holder, &status, 0);
	log_set_sink(NULL, NULL);
	str_free(&logged);
	free(config);
	free(home);
	free(mail);
	return test_done();
}
