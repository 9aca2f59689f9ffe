/* The header and body caches: the entry format and its checks, UIDVALIDITY,
 * the folder record, damaged files, and a map that fills. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/backend-cache.h"
#include "base/base-arena.h"
#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "mime/mime-summary.h"
#include "test-common.h"

static void
sample(struct mime_summary *s, int i)
{
	static char subject[64];

	memset(s, 0, sizeof(*s));
	snprintf(subject, sizeof(subject), "Subject %d: Grüße", i);
	s->date = 1700000000 + i;
	s->received = 1700000100 + i;
	s->size = 1000 + (uint64_t)i;
	s->lines = 10;
	s->from_name = "Jürgen";
	s->from_addr = "j@example.de";
	s->to = "a@example.org";
	s->cc = "";
	s->subject = subject;
	s->message_id = "id@example.org";
	s->in_reply_to = "";
	s->references = "<a@b> <c@d>";
	s->list_post = "";
}

static void
test_format(void)
{
	struct arena *a = arena_new();
	struct mime_summary s, d;
	struct str buf = STR_INIT;
	unsigned flags = 0;

	test_begin("entries: encoded, decoded, checked");
	sample(&s, 1);
	backend_cache_encode(&buf, &s, MIME_FLAG_SEEN | MIME_FLAG_RECENT);
	test_assert(backend_cache_decode(buf.s, buf.len, a, &d, &flags) == 0);
	test_assert_str(d.subject, s.subject);
	test_assert_str(d.from_name, "Jürgen");
	test_assert_str(d.references, "<a@b> <c@d>");
	test_assert_int(d.size, 1001);
	test_assert_int(d.date, 1700000001);
	test_assert_int(flags, MIME_FLAG_SEEN); /* \Recent is never kept */
	/* Every single flipped byte is caught. */
	{
		int caught = 0;

		for (size_t i = 0; i < buf.len; i++) {
			buf.s[i] ^= 0x20;
			caught += backend_cache_decode(buf.s, buf.len, a, &d, &flags) < 0;
			buf.s[i] ^= 0x20;
		}
		test_assert_int(caught, buf.len);
	}
	/* Cut short anywhere: refused. */
	{
		int caught = 0;

		for (size_t i = 0; i < buf.len; i++)
			caught += backend_cache_decode(buf.s, i, a, &d, &flags) < 0;
		test_assert_int(caught, buf.len);
	}
	/* Another version: refused. */
	buf.s[0] = BACKEND_CACHE_VERSION + 1;
	test_assert(backend_cache_decode(buf.s, buf.len, a, &d, &flags) < 0);
	/* A listing's entry says so, and a whole one does not. */
	str_reset(&buf);
	s.partial = 1;
	backend_cache_encode(&buf, &s, 0);
	test_assert(backend_cache_decode(buf.s, buf.len, a, &d, &flags) == 0);
	test_assert_int(d.partial, 1);
	test_assert_str(d.subject, s.subject);
	str_reset(&buf);
	s.partial = 0;
	backend_cache_encode(&buf, &s, 0);
	test_assert(backend_cache_decode(buf.s, buf.len, a, &d, &flags) == 0);
	test_assert_int(d.partial, 0);
	str_free(&buf);
	arena_free(&a);
	test_end();
}

static void
test_entries(const char *dir)
{
	struct backend_cache *c = NULL;
	struct arena *a = arena_new();
	struct mime_summary s, d;
	struct err err;
	unsigned flags;
	uint32_t *uids = NULL, uv = 0, list[3] = {1, 5, 900};
	uint64_t modseq = 0;
	size_t n = 0;

	test_begin("entries by UIDVALIDITY and UID, and the folder record");
	test_assert(backend_cache_open(dir, "alice@host:993", "INBOX", &c, &err) == 0);
	test_assert_int(backend_cache_select(c, 100), 0);
	sample(&s, 7);
	backend_cache_put(c, 7, &s, MIME_FLAG_SEEN);
	backend_cache_put_state(c, 42, list, 3);
	backend_cache_flush(c);
	test_assert(backend_cache_get(c, 7, a, &d, &flags) == 1);
	test_assert_str(d.subject, s.subject);
	test_assert(backend_cache_has(c, 7, 0) && backend_cache_has(c, 7, 1));
	test_assert(!backend_cache_has(c, 8, 0));
	/* A listing's entry serves a listing, not a face that needs it all. */
	sample(&s, 9);
	s.partial = 1;
	backend_cache_put(c, 9, &s, 0);
	backend_cache_flush(c);
	test_assert(backend_cache_has(c, 9, 0) && !backend_cache_has(c, 9, 1));
	test_assert(backend_cache_get(c, 9, a, &d, &flags) == 1 && d.partial == 1);
	/* Read whole and put again, it serves both. */
	s.partial = 0;
	backend_cache_put(c, 9, &s, 0);
	backend_cache_flush(c);
	test_assert(backend_cache_has(c, 9, 1));
	test_assert(backend_cache_get(c, 9, a, &d, &flags) == 1 && d.partial == 0);
	backend_cache_set_flags(c, 7, MIME_FLAG_SEEN | MIME_FLAG_FLAGGED);
	backend_cache_flush(c);
	test_assert(backend_cache_get(c, 7, a, &d, &flags) == 1 &&
	            flags == (MIME_FLAG_SEEN | MIME_FLAG_FLAGGED));
	backend_cache_close(&c);

	/* Another folder of the account, and the same folder again. */
	test_assert(backend_cache_open(dir, "alice@host:993", "Other", &c, &err) == 0);
	test_assert_int(backend_cache_select(c, 100), 0);
	test_assert(backend_cache_get(c, 7, a, &d, &flags) == 0);
	backend_cache_close(&c);
	test_assert(backend_cache_open(dir, "alice@host:993", "inbox", &c, &err) == 0);
	test_assert(backend_cache_get_state(c, &uv, &modseq, &uids, &n) == 1);
	test_assert(uv == 100 && modseq == 42 && n == 3 && uids[2] == 900);
	free(uids);
	test_assert_int(backend_cache_select(c, 100), 1);
	test_assert(backend_cache_get(c, 7, a, &d, &flags) == 1);
	/* A new UIDVALIDITY drops what the old one had. */
	test_assert_int(backend_cache_select(c, 101), 0);
	test_assert(backend_cache_get(c, 7, a, &d, &flags) == 0);
	test_assert(backend_cache_get_state(c, &uv, &modseq, &uids, &n) == 0);
	backend_cache_close(&c);
	test_assert(backend_cache_open(dir, "alice@host:993", "INBOX", &c, &err) == 0);
	test_assert_int(backend_cache_select(c, 100), 0);
	backend_cache_close(&c);
	arena_free(&a);
	test_end();
}

static char *
env_file(const char *dir, const char *account)
{
	struct backend_cache *c = NULL;
	struct err err;
	char *path = NULL, cmd[512];
	FILE *p;

	/* The environment's directory is the one the cache makes. */
	backend_cache_open(dir, account, "INBOX", &c, &err);
	backend_cache_close(&c);
	snprintf(cmd, sizeof(cmd), "ls -d %s/imap-*/ | head -1", dir);
	p = popen(cmd, "r");
	if (p != NULL) {
		char line[400];

		if (fgets(line, sizeof(line), p) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			path = xasprintf("%sdata.mdb", line);
		}
		pclose(p);
	}
	return path;
}

static void
test_damage(const char *dir)
{
	struct backend_cache *c = NULL;
	struct arena *a = arena_new();
	struct mime_summary s, d;
	struct err err;
	unsigned flags;
	char *db = env_file(dir, "bob@host:993");
	char junk[65536];

	test_begin("a damaged file is thrown away and made again");
	test_assert(db != NULL);
	test_assert(backend_cache_open(dir, "bob@host:993", "INBOX", &c, &err) == 0);
	backend_cache_select(c, 5);
	sample(&s, 1);
	backend_cache_put(c, 1, &s, 0);
	backend_cache_close(&c);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7919 + 13);
	test_assert(file_write_atomic(db, junk, sizeof(junk), 0600, &err) == 0);
	test_assert(backend_cache_open(dir, "bob@host:993", "INBOX", &c, &err) == 0);
	test_assert_int(backend_cache_select(c, 5), 0);
	test_assert(backend_cache_get(c, 1, a, &d, &flags) == 0);
	backend_cache_put(c, 1, &s, 0);
	backend_cache_flush(c);
	test_assert(backend_cache_get(c, 1, a, &d, &flags) == 1);
	backend_cache_close(&c);
	test_assert(truncate(db, 100) == 0);
	test_assert(backend_cache_open(dir, "bob@host:993", "INBOX", &c, &err) == 0);
	test_assert_int(backend_cache_select(c, 5), 0);
	backend_cache_close(&c);
	free(db);
	arena_free(&a);
	test_end();
}

static void
test_growth(const char *dir)
{
	struct backend_cache *c = NULL;
	struct arena *a = arena_new();
	struct mime_summary s, d;
	struct err err;
	unsigned flags;
	static char big[60000];
	int ok = 1;

	test_begin("the map grows when it fills");
	memset(big, 'x', sizeof(big) - 1);
	test_assert(backend_cache_open(dir, "carol@host:993", "INBOX", &c, &err) == 0);
	backend_cache_select(c, 9);
	sample(&s, 1);
	s.references = big;
	/* 1,500 entries of 60 KB: 90 MB, more than the first map. */
	for (uint32_t uid = 1; uid <= 1500; uid++) {
		backend_cache_put(c, uid, &s, 0);
		if (uid % 100 == 0)
			backend_cache_flush(c);
	}
	backend_cache_flush(c);
	for (uint32_t uid = 1; uid <= 1500; uid += 149) {
		arena_reset(a);
		ok &= backend_cache_get(c, uid, a, &d, &flags) == 1 &&
		      strlen(d.references) == sizeof(big) - 1;
	}
	test_assert(ok);
	backend_cache_close(&c);
	arena_free(&a);
	test_end();
}

static void
test_bodies(const char *dir)
{
	struct backend_body_cache *bc = NULL;
	struct str out = STR_INIT;
	struct err err;

	test_begin("the body cache: whole parts, cut on the way out, checked");
	test_assert(backend_body_cache_open(dir, "alice@host:993", "INBOX", &bc, &err) == 0);
	test_assert(backend_body_cache_get(bc, 1, 2, "1.2", 0, 0, &out) == 0);
	backend_body_cache_put(bc, 1, 2, "1.2", "0123456789", 10);
	test_assert(backend_body_cache_get(bc, 1, 2, "1.2", 0, 0, &out) == 1);
	test_assert_str(str_cstr(&out), "0123456789");
	str_reset(&out);
	test_assert(backend_body_cache_get(bc, 1, 2, "1.2", 3, 4, &out) == 1);
	test_assert_str(str_cstr(&out), "3456");
	str_reset(&out);
	test_assert(backend_body_cache_get(bc, 2, 2, "1.2", 0, 0, &out) == 0);
	test_assert(backend_body_cache_get(bc, 1, 2, "", 0, 0, &out) == 0);
	/* A changed byte: not trusted, and removed. */
	{
		char *p =
		    xasprintf("ls %s/imap-*/*-1-2-1.2 | head -1 | xargs -r sed -i 's/5/X/'", dir);

		test_assert(system(p) == 0);
		free(p);
	}
	test_assert(backend_body_cache_get(bc, 1, 2, "1.2", 0, 0, &out) == 0);
	test_assert(backend_body_cache_get(bc, 1, 2, "1.2", 0, 0, &out) == 0);
	backend_body_cache_close(&bc);
	str_free(&out);
	test_end();
}

/* Entries read in any order, get and has interleaved, with writes and
 * another folder's entries (next in the file's key order) in between: the
 * cursors that step from one entry to the next must answer as a search
 * would. */
static void
test_order(const char *dir)
{
	struct backend_cache *c = NULL, *o = NULL;
	struct arena *a = arena_new();
	struct mime_summary s, d;
	struct err err;
	unsigned flags;
	int bad = 0;

	test_begin("entries read in order, backwards, at random and interleaved");
	test_assert(backend_cache_open(dir, "bob@host:993", "INBOX", &c, &err) == 0);
	test_assert(backend_cache_open(dir, "bob@host:993", "Sent", &o, &err) == 0);
	test_assert_int(backend_cache_select(c, 7), 0);
	test_assert_int(backend_cache_select(o, 7), 0);
	/* Every third UID of 1..600 here, every UID there. */
	for (uint32_t u = 1; u <= 600; u++) {
		sample(&s, (int)u);
		if (u % 3 == 0)
			backend_cache_put(c, u, &s, 0);
		backend_cache_put(o, u, &s, 0);
	}
	backend_cache_flush(c);
	backend_cache_flush(o);
	for (uint32_t u = 0; u <= 602; u++)
		bad += backend_cache_has(c, u, 0) != (u % 3 == 0 && u >= 1 && u <= 600);
	for (uint32_t u = 603; u-- > 0;)
		bad += backend_cache_has(c, u, 0) != (u % 3 == 0 && u >= 1 && u <= 600);
	for (uint32_t k = 0; k < 3000; k++) {
		uint32_t u = (k * 7919u) % 605, w = 604 - u;
		int want = u % 3 == 0 && u >= 1 && u <= 600;

		if (backend_cache_get(c, u, a, &d, &flags) != want)
			bad++;
		else if (want && d.size != 1000 + (uint64_t)u)
			bad++;
		bad += backend_cache_has(c, w, 0) != (w % 3 == 0 && w >= 1 && w <= 600);
		bad += backend_cache_has(o, w, 0) != (w >= 1 && w <= 600);
		if (k % 500 == 0) {
			/* A write in between resets the readers. */
			sample(&s, (int)k);
			backend_cache_put(c, 1000 + k, &s, 0);
			backend_cache_flush(c);
			bad += backend_cache_has(c, 1000 + k, 0) != 1;
		}
		arena_reset(a);
	}
	test_assert_int(bad, 0);
	backend_cache_close(&c);
	backend_cache_close(&o);
	arena_free(&a);
	test_end();
}

int
main(void)
{
	char *dir = xasprintf("%s/hc", test_tmpdir());
	char *ddir = xasprintf("%s/damage", test_tmpdir());
	char *bdir = xasprintf("%s/bc", test_tmpdir());

	test_format();
	test_entries(dir);
	test_damage(ddir);
	test_growth(dir);
	test_order(dir);
	test_bodies(bdir);
	free(dir);
	free(ddir);
	free(bdir);
	return test_done();
}
