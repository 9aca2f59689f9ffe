/*
 * core-store: named queries and notmuch_db turned into URLs, --init-store,
 * delivery into the store, and tag changes posted through a folder's
 * worker as the faces post them.  The store lives in a temporary
 * directory named by NOTMUCH_CONFIG.
 */
#include "config.h"

#include <notmuch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "core/core-config.h"
#include "core/core-folder.h"
#include "core/core-store.h"
#include "mime/mime-summary.h"
#include "test-common.h"

/* Sanitizer builds: see tests/cli/notmuch-lsan.supp. */
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

static void
setup(const char *text)
{
	struct config *cfg = config_new();
	struct err err;

	if (config_load_buffer(cfg, "test.conf", text, strlen(text), 0, &err) < 0) {
		printf("# %s\n", err.msg);
		exit(99);
	}
	core_store_setup(cfg);
	config_free(&cfg);
}

static char *
resolved(const char *folder)
{
	char *url = NULL;
	struct err err;

	if (core_store_resolve(folder, &url, &err) < 0)
		return xasprintf("error: %s", err.msg);
	return url;
}

#define check_resolves(folder, want)                                                               \
	do {                                                                                       \
		char *got_ = resolved(folder);                                                     \
		test_assert_str(got_, want);                                                       \
		free(got_);                                                                        \
	} while (0)

/* The query a URL carries, decoded. */
static char *
query_of(const char *url_text)
{
	struct url u;
	struct err err;
	char *q;

	if (url_parse(url_text, &u, &err) < 0)
		return xstrdup(err.msg);
	q = url_query_get(&u, "query");
	url_clear(&u);
	return q != NULL ? q : xstrdup("(none)");
}

static void
test_names(void)
{
	char *url, *q;

	test_begin("without settings, folders pass through and names are unknown");
	core_store_reset();
	check_resolves("notmuch://?query=tag:inbox", "notmuch://?query=tag:inbox");
	check_resolves("/var/mail/me", "/var/mail/me");
	check_resolves("imaps://h/INBOX", "imaps://h/INBOX");
	check_resolves("notmuch://todo",
	               "error: notmuch://todo: no query named todo (define one with \"query todo "
	               "QUERY\" in the config)");
	test_assert_int(core_store_query_count(), 0);
	test_assert(core_store_is_store("NOTMUCH://x"));
	test_assert(!core_store_is_store("maildir:///x"));
	test_end();

	test_begin("named queries from query and virtual_mailboxes");
	setup("query todo tag:todo and not tag:done\n"
	      "virtual_mailboxes inbox \"notmuch://?query=tag:inbox\" \"my lists\" "
	      "\"tag:lists&x=y#z\"\n"
	      "query todo tag:todo\n"
	      "account work {\n query worklist tag:work\n}\n");
	test_assert_int(core_store_query_count(), 3);
	test_assert_str(core_store_query_name(0), "todo");
	test_assert_str(core_store_query_name(1), "inbox");
	test_assert_str(core_store_query_name(2), "my lists");
	test_assert(core_store_query_name(3) == NULL);
	check_resolves("notmuch://todo", "notmuch://?query=tag%3Atodo");
	check_resolves("notmuch://inbox", "notmuch://?query=tag:inbox");
	url = resolved("notmuch://my%20lists");
	q = query_of(url);
	test_assert_str(q, "tag:lists&x=y#z");
	free(q);
	free(url);
	check_resolves("notmuch://worklist",
	               "error: notmuch://worklist: no query named worklist (define one with "
	               "\"query worklist QUERY\" in the config)");
	check_resolves("notmuch://todo/x",
	               "error: notmuch://todo/x: a named query takes nothing after its name "
	               "(notmuch://NAME)");
	test_end();

	test_begin("notmuch_db goes into URLs that name no database");
	setup("set notmuch_db=\"/tmp/a db\"\nquery todo tag:todo\n");
	check_resolves("notmuch://?query=x", "notmuch:///tmp/a%20db?query=x");
	check_resolves("notmuch://", "notmuch:///tmp/a%20db");
	check_resolves("notmuch:///other?query=x", "notmuch:///other?query=x");
	url = resolved("notmuch://todo");
	test_assert_str(url, "notmuch:///tmp/a%20db?query=tag%3Atodo");
	{
		struct url u;
		struct err err;

		test_assert_int(url_parse(url, &u, &err), 0);
		test_assert_str(u.path, "/tmp/a db");
		url_clear(&u);
	}
	free(url);
	core_store_reset();
	test_end();
}

static int
tagged(const char *id, const char *tag)
{
	notmuch_database_t *db = NULL;
	notmuch_message_t *m = NULL;
	int found = 0;

	if (notmuch_database_open_with_config(NULL, NOTMUCH_DATABASE_MODE_READ_ONLY, NULL, NULL,
	                                      &db, NULL) != NOTMUCH_STATUS_SUCCESS)
		return -1;
	if (notmuch_database_find_message(db, id, &m) == NOTMUCH_STATUS_SUCCESS && m != NULL) {
		notmuch_tags_t *t = notmuch_message_get_tags(m);

		for (; notmuch_tags_valid(t); notmuch_tags_move_to_next(t))
			found |= strcmp(notmuch_tags_get(t), tag) == 0;
		notmuch_message_destroy(m);
	}
	notmuch_database_destroy(db);
	return found;
}

static void
test_store(const char *mail)
{
	static const char msg[] = "From: a@example.org\nSubject: one\n"
	                          "Message-ID: <one@example.org>\n\nbody\n";
	static const char *const add[] = {"foo"};
	static const char *const remove[] = {"inbox", "unread"};
	struct core_store_info info;
	struct core_folder_handle *h = NULL;
	struct err err;
	size_t idx = 0;

	test_begin("init creates the store and says where");
	core_store_reset();
	test_assert_int(core_store_init(&info, &err), 0);
	test_assert_int(info.created, 1);
	test_assert_str(info.db_path, mail);
	test_assert_str(info.mail_root, mail);
	test_assert(info.config != NULL && strstr(info.config, "notmuch-config") != NULL);
	core_store_info_clear(&info);
	test_assert_int(core_store_init(&info, &err), 0);
	test_assert_int(info.created, 0);
	core_store_info_clear(&info);
	test_end();

	test_begin("delivery indexes before it returns");
	test_assert_int(core_store_deliver(msg, sizeof(msg) - 1, MIME_FLAG_RECENT, 0, 0, -1, &err),
	                0);
	test_assert_int(tagged("one@example.org", "inbox"), 1);
	test_assert_int(tagged("one@example.org", "unread"), 1);
	test_end();

	test_begin("tags go through the folder's worker and come back as flags");
	test_assert_int(core_folder_open("notmuch://?query=tag:inbox", 0, &h, &err), 0);
	test_assert(h != NULL && core_folder_count(h) == 1);
	if (h != NULL && core_folder_count(h) == 1) {
		test_assert(!(core_folder_summary(h, 0)->flags & MIME_FLAG_SEEN));
		test_assert_int(core_store_tag(h, &idx, 1, add, 1, remove, 2, &err), 0);
		test_assert_int(tagged("one@example.org", "foo"), 1);
		test_assert_int(tagged("one@example.org", "inbox"), 0);
		test_assert(core_folder_summary(h, 0)->flags & MIME_FLAG_SEEN);
	}
	core_folder_close(&h, 0, NULL);
	test_assert_int(tagged("one@example.org", "foo"), 1);
	test_end();

	test_begin("folders without tags refuse tag changes");
	{
		char *path = xasprintf("%s/box", test_tmpdir());
		FILE *fp = fopen(path, "w");

		fputs("From a@b Mon Jan  6 09:15:00 2025\nSubject: x\n\nx\n", fp);
		fclose(fp);
		test_assert_int(core_folder_open(path, 0, &h, &err), 0);
		test_assert_int(core_store_tag(h, &idx, 1, add, 1, NULL, 0, &err), -1);
		test_assert_int(err.kind, ERR_UNSUPPORTED);
		core_folder_close(&h, 0, NULL);
		free(path);
	}
	test_end();

	/* core-folder keeps one copy of each sender and subject, and only
	 * what a listing shows. */
	test_begin("a folder handle keeps the listing's fields, shared");
	{
		char *path = xasprintf("%s/shared", test_tmpdir());
		FILE *fp = fopen(path, "w");
		const struct mime_summary *s0, *s1, *s2;

		for (int i = 0; i < 3; i++)
			fprintf(fp,
			        "From a@b Mon Jan  6 09:15:00 2025\nFrom: %s <a@b.org>\n"
			        "To: c@d.org\nSubject: %s\nReferences: <r@x>\n\nx\n\n",
			        i == 1 ? "Other" : "Alice", i == 1 ? "Two" : "Same");
		fclose(fp);
		test_assert_int(core_folder_open(path, 1, &h, &err), 0);
		test_assert_int(core_folder_count(h), 3);
		s0 = core_folder_summary(h, 0);
		s1 = core_folder_summary(h, 1);
		s2 = core_folder_summary(h, 2);
		test_assert_str(s0->from_name, "Alice");
		test_assert_str(s1->from_name, "Other");
		test_assert_str(s2->subject, "Same");
		test_assert_str(s0->from_addr, "a@b.org");
		test_assert(s0->from_name == s2->from_name && s0->subject == s2->subject &&
		            s0->from_addr == s1->from_addr);
		test_assert(s0->from_name != s1->from_name);
		test_assert_str(s0->to, "");
		test_assert_str(s0->references, "");
		core_folder_close(&h, 0, NULL);
		free(path);
	}
	test_end();
}

int
main(void)
{
	const char *tmp = test_tmpdir();
	char *config = xasprintf("%s/notmuch-config", tmp);
	char *mail = xasprintf("%s/mail", tmp);
	FILE *fp = fopen(config, "w");

	if (fp == NULL)
		return 99;
	fprintf(fp, "[database]\npath=%s\n[new]\ntags=unread;inbox;\n", mail);
	fclose(fp);
	setenv("NOTMUCH_CONFIG", config, 1);
	setenv("HOME", tmp, 1);
	unsetenv("NOTMUCH_PROFILE");
	unsetenv("NOTMUCH_DATABASE");
	test_names();
	test_store(mail);
	core_store_reset();
	free(config);
	free(mail);
	return test_done();
}
