/* The maildir backend: flags in names, new to cur, delivery, rescans, listing. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend.h"
#include "base/base-arena.h"
#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "mime/mime-message.h"
#include "test-common.h"

static const struct backend_ops *ops = &backend_maildir_ops;

static struct backend_params
params(void)
{
	struct backend_params p;

	backend_params_init(&p);
	return p;
}

static struct url
url_of(const char *path)
{
	struct url u;
	struct err err;

	if (url_parse(path, &u, &err) < 0)
		exit(99);
	return u;
}

static void
put(const char *dir, const char *name, const char *data, time_t mtime)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};

	if (fp == NULL) {
		perror(path);
		exit(99);
	}
	fputs(data, fp);
	fclose(fp);
	if (mtime)
		utimensat(AT_FDCWD, path, ts, 0);
	free(path);
}

static int
exists(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	int ok = access(path, F_OK) == 0;

	free(path);
	return ok;
}

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

static struct backend_folder *
open_md(const char *path, struct err *err)
{
	struct url u = url_of(path);
	struct backend_params p = params();
	struct backend_folder *f = NULL;

	if (ops->open(&u, &p, &f, err) < 0)
		f = NULL;
	url_clear(&u);
	return f;
}

static int
create_md(const char *path, struct err *err)
{
	struct url u = url_of(path);
	struct backend_params p = params();
	int rc = ops->create(&u, &p, err);

	url_clear(&u);
	return rc;
}

static int
append_md(const char *path, const char *msg, unsigned flags, time_t date, struct err *err)
{
	struct url u = url_of(path);
	struct backend_params p = params();
	int rc = ops->append(&u, &p, msg, strlen(msg), flags, date, err);

	url_clear(&u);
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

static void
summaries(struct backend_folder *f, struct arena *arena, struct mime_summary *s)
{
	struct err err;

	if (ops->load_summaries(f, 0, ops->count(f), arena, s, NULL, &err) < 0) {
		printf("# load_summaries: %s\n", err.msg);
		memset(s, 0, ops->count(f) * sizeof(*s));
	}
}

static void
test_flags(const char *md)
{
	char *cur = xasprintf("%s/cur", md), *new = xasprintf("%s/new", md);
	struct arena *arena = arena_new();
	struct mime_summary s[8];
	struct backend_folder *f;
	struct err err;
	enum backend_check res;
	size_t idx;
	char *m;
	uint64_t id_c;

	put(new, "1000.A.host", "Subject: a\n\nnew one\n", 1000);
	put(cur, "999.B.host:2,S", "Subject: b\n\nseen\nline two\n", 999);
	put(cur, "1001.C.host:2,FRSa", "Subject: c\r\nFrom: C <c@example.org>\r\n\r\ncrlf\r\n",
	    1001);
	put(cur, "1002.D.host:2,T", "Subject: d\n\ntrashed\n", 1002);
	put(cur, ".hidden", "not mail\n", 0);

	test_begin("scan, order and flags from names");
	f = open_md(md, &err);
	test_assert(f != NULL);
	test_assert_int(ops->count(f), 4);
	summaries(f, arena, s);
	test_assert_str(s[0].subject, "b");
	test_assert_str(s[1].subject, "a");
	test_assert_str(s[2].subject, "c");
	test_assert_str(s[3].subject, "d");
	test_assert_int(s[0].flags, MIME_FLAG_SEEN);
	test_assert_int(s[1].flags, MIME_FLAG_RECENT);
	test_assert_int(s[2].flags, MIME_FLAG_FLAGGED | MIME_FLAG_ANSWERED | MIME_FLAG_SEEN);
	test_assert_int(s[3].flags, MIME_FLAG_DELETED);
	test_assert_int(s[0].received, 999);
	test_assert_int(s[0].lines, 2);
	test_assert_int(s[2].size, strlen("Subject: c\nFrom: C <c@example.org>\n\ncrlf\n"));
	test_assert_str(s[2].from_addr, "c@example.org");
	m = fetch(f, 2);
	test_assert_str(m, "Subject: c\nFrom: C <c@example.org>\n\ncrlf\n");
	free(m);
	{
		struct str h = STR_INIT;

		test_assert_int(ops->fetch_header(f, 0, &h, &err), 0);
		test_assert_str(str_cstr(&h), "Subject: b\n\n");
		str_free(&h);
	}
	id_c = s[2].id;
	test_assert_int(ops->find(f, id_c, &idx), 1);
	test_assert_int(idx, 2);
	test_end();

	test_begin("flags are written sorted, unknown letters kept, new moves to cur");
	test_assert_int(ops->set_flags(f, 2, MIME_FLAG_DRAFT, MIME_FLAG_SEEN, &err), 0);
	test_assert_int(ops->sync(f, 0, NULL, &err), 0);
	test_assert(exists(cur, "1001.C.host:2,DFRa"));
	test_assert(!exists(cur, "1001.C.host:2,FRSa"));
	test_assert(exists(cur, "1000.A.host:2,"));
	test_assert_int(count_files(md, "new"), 0);
	/* Recent stays for this session even though the file moved. */
	summaries(f, arena, s);
	test_assert_int(s[1].flags, MIME_FLAG_RECENT);
	test_assert_int(s[2].flags, MIME_FLAG_FLAGGED | MIME_FLAG_ANSWERED | MIME_FLAG_DRAFT);
	test_assert(exists(cur, "1002.D.host:2,T")); /* no expunge asked */
	test_end();

	test_begin("a file another client renamed is found again");
	{
		char *a = xasprintf("%s/1001.C.host:2,DFRa", cur);
		char *b = xasprintf("%s/1001.C.host:2,DFPRa", cur);

		rename(a, b);
		free(a);
		free(b);
	}
	m = fetch(f, 2);
	test_assert_str(m, "Subject: c\nFrom: C <c@example.org>\n\ncrlf\n");
	free(m);
	/* A change of ours on a file renamed behind our back lands on theirs. */
	{
		char *a = xasprintf("%s/1001.C.host:2,DFPRa", cur);
		char *b = xasprintf("%s/1001.C.host:2,FPRa", cur);

		test_assert_int(ops->set_flags(f, 2, MIME_FLAG_SEEN, 0, &err), 0);
		rename(a, b);
		free(a);
		free(b);
	}
	test_assert_int(ops->sync(f, 0, NULL, &err), 0);
	test_assert(exists(cur, "1001.C.host:2,FPRSa"));
	test_end();

	test_begin("check: new mail, flags changed elsewhere, files removed elsewhere");
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_NONE);
	put(new, "2000.E.host", "Subject: e\n\nlate\n", 2000);
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_NEW_MAIL);
	test_assert_int(ops->count(f), 5);
	summaries(f, arena, s);
	test_assert_str(s[4].subject, "e");
	{
		char *a = xasprintf("%s/999.B.host:2,S", cur);
		char *b = xasprintf("%s/999.B.host:2,FS", cur);

		rename(a, b);
		free(a);
		free(b);
	}
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_FLAGS);
	summaries(f, arena, s);
	test_assert_int(s[0].flags, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED);
	{
		char *a = xasprintf("%s/1000.A.host:2,", cur);

		unlink(a);
		free(a);
	}
	test_assert_int(ops->check(f, &res, NULL, &err), 0);
	test_assert_int(res, BACKEND_CHECK_REOPENED);
	test_assert_int(ops->count(f), 4);
	test_assert_int(ops->find(f, id_c, &idx), 1);
	test_assert_int(idx, 1);
	test_end();

	test_begin("expunge removes deleted files; one already gone is fine");
	/* B deleted by us, and its file removed by another client first. */
	test_assert_int(ops->set_flags(f, 0, MIME_FLAG_DELETED, 0, &err), 0);
	{
		char *a = xasprintf("%s/999.B.host:2,FS", cur);

		unlink(a);
		free(a);
	}
	test_assert_int(ops->sync(f, 1, NULL, &err), 0);
	test_assert_int(ops->count(f), 2);
	test_assert(!exists(cur, "1002.D.host:2,T"));
	test_assert_int(ops->find(f, id_c, &idx), 1);
	test_assert_int(idx, 0);
	summaries(f, arena, s);
	test_assert_str(s[0].subject, "c");
	test_assert_str(s[1].subject, "e");
	test_assert_int(count_files(md, "cur"), 2); /* C, and E moved from new/ */
	test_assert_int(count_files(md, "new"), 0);
	test_assert(exists(cur, ".hidden"));
	ops->close(&f);
	test_end();

	arena_free(&arena);
	free(cur);
	free(new);
}

static void
test_append(const char *md)
{
	struct backend_folder *f;
	struct err err;
	char *m;
	struct arena *arena = arena_new();
	struct mime_summary s[2];

	test_begin("append: new mail to new/, flagged mail to cur/, tmp/ left empty");
	test_assert_int(
	    append_md(md, "Subject: n\r\n\r\nbody\r\n", MIME_FLAG_RECENT, 1500000000, &err), 0);
	test_assert_int(
	    append_md(md, "Subject: s\n\nread\n", MIME_FLAG_SEEN | MIME_FLAG_FLAGGED, 0, &err), 0);
	test_assert_int(count_files(md, "new"), 1);
	test_assert_int(count_files(md, "cur"), 1);
	test_assert_int(count_files(md, "tmp"), 0);
	f = open_md(md, &err);
	test_assert(f != NULL && ops->count(f) == 2);
	summaries(f, arena, s);
	test_assert_str(s[0].subject, "n");
	test_assert_int(s[0].received, 1500000000);
	test_assert_int(s[0].flags, MIME_FLAG_RECENT);
	test_assert_int(s[1].flags, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED);
	m = fetch(f, 0);
	test_assert_str(m, "Subject: n\n\nbody\n");
	free(m);
	ops->close(&f);
	{
		char *cmd = xasprintf("ls '%s/cur' | grep -q ':2,FS$'", md);

		test_assert(system(cmd) == 0);
		free(cmd);
	}
	test_end();

	test_begin("1,000 rapid deliveries get 1,000 distinct names");
	{
		int ok = 1;

		for (int i = 0; i < 1000 && ok; i++)
			ok = append_md(md, "Subject: many\n\nx\n", MIME_FLAG_RECENT, 0, &err) == 0;
		test_assert(ok);
		test_assert_int(count_files(md, "new"), 1001);
		f = open_md(md, &err);
		test_assert(f != NULL && ops->count(f) == 1002);
		/* Distinct ids too, so find() names each one. */
		{
			size_t n = ops->count(f), idx, found = 0;
			struct arena *a = arena_new();
			struct mime_summary *all = xcalloc(n, sizeof(*all));

			test_assert_int(ops->load_summaries(f, 0, n, a, all, NULL, &err), 0);
			for (size_t i = 0; i < n; i++)
				found += ops->find(f, all[i].id, &idx) == 1 && idx == i;
			test_assert_int(found, n);
			free(all);
			arena_free(&a);
		}
		ops->close(&f);
	}
	test_end();
	arena_free(&arena);
}

static void
test_folders(const char *root)
{
	struct arena *arena = arena_new();
	struct backend_folder_info *list;
	struct backend_params p = params();
	size_t n;
	struct err err;
	struct url u;
	char *path;
	static const char *const want[] = {".Sub", ".Sub.Folder", "Archive", "Archive/2023",
	                                   "saved"};

	test_begin("create, and list Maildir++ and nested folders");
	test_assert_int(create_md(root, &err), 0);
	test_assert_int(create_md(root, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	path = xasprintf("%s/.Sub", root);
	test_assert_int(create_md(path, &err), 0);
	test_assert(exists(path, "maildirfolder"));
	free(path);
	path = xasprintf("%s/.Sub.Folder", root);
	test_assert_int(create_md(path, &err), 0);
	free(path);
	path = xasprintf("%s/Archive", root);
	mkdir(path, 0700);
	free(path);
	path = xasprintf("%s/Archive/2023", root);
	test_assert_int(create_md(path, &err), 0);
	free(path);
	path = xasprintf("%s/Empty", root);
	mkdir(path, 0700);
	free(path);
	put(root, "saved", "From a Mon Jan  1 10:00:00 2024\nS: x\n\ny\n", 0);
	put(root, "notes.txt", "not a folder\n", 0);
	put(root, "saved.lock", "1 host\n", 0);
	u = url_of(root);
	test_assert_int(ops->list(&u, &p, arena, &list, &n, &err), 0);
	test_assert_int(n, 5);
	for (size_t i = 0; i < n && i < 5; i++)
		test_assert_str(list[i].name, want[i]);
	if (n == 5) {
		test_assert_int(list[0].flags, BE_FOLDER_MAILDIR);
		test_assert_int(list[2].flags, BE_FOLDER_NOSELECT);
		test_assert_int(list[4].flags, BE_FOLDER_MBOX);
		path = xasprintf("%s/Archive/2023", root);
		test_assert_str(list[3].url, path);
		free(path);
	}
	url_clear(&u);
	test_end();

	test_begin("rename carries Maildir++ children; remove wants leaves");
	{
		char *a = xasprintf("%s/.Sub", root), *b = xasprintf("%s/.Renamed", root);
		struct url ua = url_of(a), ub = url_of(b);

		test_assert_int(ops->rename(&ua, &ub, &p, &err), 0);
		test_assert(exists(root, ".Renamed/cur"));
		test_assert(exists(root, ".Renamed.Folder/cur"));
		test_assert(!exists(root, ".Sub.Folder"));
		test_assert_int(ops->rename(&ub, &ub, &p, &err), -1);
		url_clear(&ua);
		url_clear(&ub);
		free(a);
		free(b);
	}
	{
		char *a = xasprintf("%s/.Renamed.Folder", root);
		struct url ua = url_of(a);

		test_assert_int(append_md(a, "Subject: x\n\ny\n", 0, 0, &err), 0);
		test_assert_int(count_files(a, "cur"), 1); /* old mail, not new */
		test_assert_int(ops->remove(&ua, &p, &err), 0);
		test_assert(!exists(root, ".Renamed.Folder"));
		url_clear(&ua);
		free(a);
		ua = url_of(root);
		test_assert_int(ops->remove(&ua, &p, &err), -1);
		test_assert(strstr(err.msg, "subfolders") != NULL);
		url_clear(&ua);
	}
	test_end();

	test_begin("opening what is not a maildir");
	path = xasprintf("%s/Archive", root);
	test_assert(open_md(path, &err) == NULL);
	test_assert_int(err.kind, ERR_USAGE);
	test_assert(strstr(err.msg, "not a maildir") != NULL);
	free(path);
	path = xasprintf("%s/missing", root);
	test_assert(open_md(path, &err) == NULL);
	test_assert(strstr(err.msg, "does not exist") != NULL);
	{
		struct url um = url_of(path);
		struct backend_folder *f = NULL;

		p.create = 1;
		test_assert_int(ops->open(&um, &p, &f, &err), 0);
		test_assert(f != NULL && ops->count(f) == 0);
		ops->close(&f);
		url_clear(&um);
	}
	free(path);
	test_end();
	arena_free(&arena);
}

int
main(void)
{
	char *md = xasprintf("%s/Maildir", test_tmpdir());
	char *md2 = xasprintf("%s/Deliveries", test_tmpdir());
	char *root = xasprintf("%s/Mail", test_tmpdir());
	struct err err;

	mime_init();
	if (create_md(md, &err) < 0 || create_md(md2, &err) < 0) {
		printf("# %s\n", err.msg);
		return 99;
	}
	test_flags(md);
	test_append(md2);
	test_folders(root);
	free(md);
	free(md2);
	free(root);
	return test_done();
}
