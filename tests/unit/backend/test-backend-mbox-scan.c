/* The mbox splitter, quoting and From_ lines, on memory. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend-mbox.h"
#include "mime/mime-summary.h"
#include "test-common.h"

struct split {
	struct backend_mbox_msg *msgs;
	size_t count;
	int rc;
	struct err err;
};

/* Splits data fed in pieces of `step` bytes (0: all at once). */
static struct split
split(const char *data, size_t len, size_t step)
{
	struct backend_mbox_scan *scan = backend_mbox_scan_new(0, 0);
	struct split r;

	memset(&r, 0, sizeof(r));
	if (step == 0)
		step = len ? len : 1;
	for (size_t off = 0; off < len && r.rc == 0; off += step)
		r.rc = backend_mbox_scan_feed(scan, data + off, off + step > len ? len - off : step,
		                              &r.err);
	if (r.rc == 0)
		r.rc = backend_mbox_scan_finish(scan, &r.err);
	r.msgs = backend_mbox_scan_detach(scan, &r.count);
	backend_mbox_scan_free(&scan);
	return r;
}

static char *
message(const char *data, const struct backend_mbox_msg *m)
{
	struct str s = STR_INIT;

	backend_mbox_unquote(&s, data + m->hdr_off, m->end - m->hdr_off);
	return str_detach(&s);
}

static char *
header(const char *data, const struct backend_mbox_msg *m)
{
	struct str s = STR_INIT;

	backend_mbox_unquote(&s, data + m->hdr_off, m->body_off - m->hdr_off);
	return str_detach(&s);
}

/* Every message's size matches what unquoting gives. */
static int
sizes_match(const char *data, const struct split *r)
{
	for (size_t i = 0; i < r->count; i++) {
		char *m = message(data, &r->msgs[i]);
		int ok = strlen(m) == r->msgs[i].size;

		free(m);
		if (!ok)
			return 0;
	}
	return 1;
}

static int
same_split(const struct split *a, const struct split *b)
{
	if (a->rc != b->rc || a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (memcmp(&a->msgs[i], &b->msgs[i], sizeof(a->msgs[i])) != 0)
			return 0;
	return 1;
}

static void
check_all_splits(const char *name, const char *data)
{
	size_t len = strlen(data);
	struct split whole = split(data, len, 0);
	int ok = 1;

	test_begin(name);
	for (size_t step = 1; step <= 7 && ok; step++) {
		struct split part = split(data, len, step);

		ok = same_split(&whole, &part);
		free(part.msgs);
	}
	test_assert(ok);
	/* Also cut once at every offset. */
	for (size_t cut = 0; cut <= len && ok; cut++) {
		struct backend_mbox_scan *scan = backend_mbox_scan_new(0, 0);
		struct split part;
		struct err err;

		memset(&part, 0, sizeof(part));
		part.rc = backend_mbox_scan_feed(scan, data, cut, &err);
		if (part.rc == 0)
			part.rc = backend_mbox_scan_feed(scan, data + cut, len - cut, &err);
		if (part.rc == 0)
			part.rc = backend_mbox_scan_finish(scan, &err);
		part.msgs = backend_mbox_scan_detach(scan, &part.count);
		backend_mbox_scan_free(&scan);
		ok = same_split(&whole, &part);
		free(part.msgs);
	}
	test_assert(ok);
	free(whole.msgs);
	test_end();
}

static const char three[] = "From alice@example.org Mon Jan  1 10:00:00 2024\n"
                            "From: Alice <alice@example.org>\n"
                            "Subject: one\n"
                            "\n"
                            "Hello.\n"
                            ">From the desk of Alice\n"
                            ">>From quoted twice\n"
                            "From me, with no date: body text\n"
                            "\n"
                            "From bob@example.org Tue Jan  2 11:00:00 2024\n"
                            "Subject: two\n"
                            "Status: RO\n"
                            "X-Status: AF\n"
                            "\n"
                            "Second body.\n"
                            "\n"
                            "From carol@example.org Wed Jan  3 12:00:00 2024\n"
                            "Subject: three\n"
                            "\n"
                            "Last, without a final newline";

int
main(void)
{
	struct split r;
	char *m;

	test_begin("three messages");
	r = split(three, strlen(three), 0);
	test_assert_int(r.rc, 0);
	test_assert_int(r.count, 3);
	m = message(three, &r.msgs[0]);
	test_assert_str(m, "From: Alice <alice@example.org>\nSubject: one\n\nHello.\n"
	                   "From the desk of Alice\n>From quoted twice\n"
	                   "From me, with no date: body text\n");
	free(m);
	test_assert_int(r.msgs[0].lines, 4);
	test_assert(r.msgs[0].flags & MIME_FLAG_RECENT);
	test_assert(!(r.msgs[0].flags & MIME_FLAG_SEEN));
	test_assert(r.msgs[0].received != 0);
	m = message(three, &r.msgs[1]);
	test_assert_str(m, "Subject: two\nStatus: RO\nX-Status: AF\n\nSecond body.\n");
	free(m);
	test_assert_int(r.msgs[1].flags, MIME_FLAG_SEEN | MIME_FLAG_ANSWERED | MIME_FLAG_FLAGGED);
	test_assert_int(r.msgs[1].lines, 1);
	m = header(three, &r.msgs[1]);
	test_assert_str(m, "Subject: two\nStatus: RO\nX-Status: AF\n\n");
	free(m);
	m = message(three, &r.msgs[2]);
	test_assert_str(m, "Subject: three\n\nLast, without a final newline");
	free(m);
	test_assert_int(r.msgs[2].lines, 1);
	test_assert_int(r.msgs[2].next, strlen(three));
	test_assert(sizes_match(three, &r));
	test_assert_int(r.msgs[0].next, r.msgs[1].from_off);
	free(r.msgs);
	test_end();

	check_all_splits("three messages, every split", three);

	test_begin("a dated From_ line after an empty line splits; one not after does not");
	{
		static const char d[] = "From a Mon Jan  1 10:00:00 2024\nSubject: x\n\nbody\n"
		                        "From b Mon Jan  1 10:00:00 2024\nmore\n\n"
		                        "From c Mon Jan  1 10:00:00 2024\nSubject: y\n\nz\n";

		r = split(d, strlen(d), 0);
		test_assert_int(r.count, 2);
		m = message(d, &r.msgs[0]);
		test_assert_str(m, "Subject: x\n\nbody\nFrom b Mon Jan  1 10:00:00 2024\nmore\n");
		free(m);
		free(r.msgs);
	}
	test_end();

	test_begin("CRLF files");
	{
		static const char d[] =
		    "From a Mon Jan  1 10:00:00 2024\r\nSubject: x\r\n"
		    "Status: R\r\n\r\nline\r\n>From y\r\n\r\n"
		    "From b Mon Jan  1 10:00:00 2024\r\nSubject: y\r\n\r\nz\r\n";

		r = split(d, strlen(d), 0);
		test_assert_int(r.count, 2);
		m = message(d, &r.msgs[0]);
		test_assert_str(m, "Subject: x\nStatus: R\n\nline\nFrom y\n");
		free(m);
		test_assert_int(r.msgs[0].lines, 2);
		test_assert(r.msgs[0].crlf);
		test_assert(r.msgs[0].flags & MIME_FLAG_SEEN);
		m = message(d, &r.msgs[1]);
		test_assert_str(m, "Subject: y\n\nz\n");
		free(m);
		test_assert(sizes_match(d, &r));
		free(r.msgs);
		check_all_splits("CRLF, every split", d);
	}
	test_end();

	test_begin("empty data and blank lines are an empty folder");
	r = split("", 0, 0);
	test_assert_int(r.rc, 0);
	test_assert_int(r.count, 0);
	free(r.msgs);
	r = split("\n\n", 2, 0);
	test_assert_int(r.rc, 0);
	test_assert_int(r.count, 0);
	free(r.msgs);
	test_end();

	test_begin("leading empty lines are allowed");
	{
		static const char d[] = "\n\nFrom a Mon Jan  1 10:00:00 2024\nS: 1\n\nb\n";

		r = split(d, strlen(d), 0);
		test_assert_int(r.count, 1);
		test_assert_int(r.msgs[0].from_off, 2);
		free(r.msgs);
	}
	test_end();

	test_begin("data that does not start with From_ is refused");
	r = split("Subject: hello\n\nbody\n", 21, 0);
	test_assert_int(r.rc, -1);
	test_assert_int(r.err.kind, ERR_PARSE);
	test_assert(strstr(r.err.msg, "From ") != NULL);
	free(r.msgs);
	test_end();

	test_begin("a header-only message and an empty one");
	{
		static const char d[] = "From a Mon Jan  1 10:00:00 2024\nSubject: h\n\n"
		                        "From b Mon Jan  1 10:00:00 2024\n\n"
		                        "From c Mon Jan  1 10:00:00 2024\nSubject: c\n\nc\n\n";

		r = split(d, strlen(d), 0);
		test_assert_int(r.count, 3);
		m = message(d, &r.msgs[0]);
		test_assert_str(m, "Subject: h\n");
		free(m);
		test_assert_int(r.msgs[0].lines, 0);
		m = message(d, &r.msgs[1]);
		test_assert_str(m, "");
		free(m);
		m = message(d, &r.msgs[2]);
		test_assert_str(m, "Subject: c\n\nc\n");
		free(m);
		test_assert(sizes_match(d, &r));
		free(r.msgs);
	}
	test_end();

	test_begin("From_ lines");
	{
		time_t t;

		test_assert(backend_mbox_from_line("From a@b Thu Jan  1 00:00:00 1970\n", 35, &t));
		test_assert(backend_mbox_from_line("From - Sat Jan 3 01:05:34 1996", 30, &t));
		test_assert(
		    backend_mbox_from_line("From a@b Sat Jan  3 01:05:34 +0100 1996", 39, &t));
		test_assert_int(t, 820627534);
		test_assert(
		    backend_mbox_from_line("From a@b Thu Jan  1 00:00:00 2009 +0000", 39, &t));
		test_assert_int(t, 1230768000);
		test_assert(
		    backend_mbox_from_line("From x Sat, 03 Jan 2015 10:00:00 +0000", 38, &t));
		test_assert_int(t, 1420279200);
		test_assert(backend_mbox_from_line("From  Mon Jan  1 10:00 2024", 27, &t));
		/* An absurd year still splits; the date is unknown. */
		test_assert(
		    backend_mbox_from_line("From x Thu Jan  1 00:00:00 99999999999", 38, &t));
		test_assert_int(t, 0);
		test_assert(!backend_mbox_from_line("From me, with love", 18, &t));
		test_assert(!backend_mbox_from_line("From: a@b", 9, &t));
		test_assert(!backend_mbox_from_line(">From a Mon Jan  1 10:00:00 2024", 32, &t));
	}
	test_end();

	test_begin("quoting round trip");
	{
		static const char body[] = "From here\n>From there\n>>>From far\nFromage\n"
		                           ">Fro\nFrom\n From x\n>\n";
		struct str q = STR_INIT, u = STR_INIT;

		backend_mbox_quote(&q, body, strlen(body));
		test_assert_str(str_cstr(&q), ">From here\n>>From there\n>>>>From far\nFromage\n"
		                              ">Fro\nFrom\n From x\n>\n");
		backend_mbox_unquote(&u, q.s, q.len);
		test_assert_str(str_cstr(&u), body);
		str_reset(&q);
		backend_mbox_quote(&q, "a\r\nFrom b", 9);
		test_assert_str(str_cstr(&q), "a\n>From b\n");
		str_free(&q);
		str_free(&u);
	}
	test_end();

	test_begin("a long run of '>' is quoted and unquoted alike");
	{
		size_t n = 5000;
		char *line = malloc(n + 8);
		struct str q = STR_INIT, u = STR_INIT;

		memset(line, '>', n);
		memcpy(line + n, "From x\n", 8);
		backend_mbox_quote(&q, line, n + 7);
		test_assert_int(q.len, n + 8);
		backend_mbox_unquote(&u, q.s, q.len);
		test_assert_int(u.len, n + 7);
		test_assert(memcmp(u.s, line, n + 7) == 0);
		free(line);
		str_free(&q);
		str_free(&u);
	}
	test_end();

	test_begin("Status and X-Status are replaced, nothing else");
	{
		static const char h[] = "Subject: a\nStatus: O\nX-Status: D\n  continued\nTo: b\n";
		struct str out = STR_INIT;

		backend_mbox_header_write_flags(&out, h, strlen(h),
		                                MIME_FLAG_SEEN | MIME_FLAG_FLAGGED, "\n");
		test_assert_str(str_cstr(&out), "Subject: a\nTo: b\nStatus: RO\nX-Status: F\n");
		str_reset(&out);
		backend_mbox_header_write_flags(&out, "Subject: a", 10, MIME_FLAG_RECENT, "\r\n");
		test_assert_str(str_cstr(&out), "Subject: a\r\n");
		str_reset(&out);
		backend_mbox_header_write_flags(&out, "Subject: a\n\r", 12, MIME_FLAG_SEEN, "\n");
		test_assert_str(str_cstr(&out), "Subject: a\nStatus: RO\n\r");
		str_reset(&out);
		backend_mbox_header_write_flags(&out, "Subject: a\n\tb", 13, MIME_FLAG_SEEN, "\n");
		test_assert_str(str_cstr(&out), "Subject: a\n\tb\nStatus: RO\n");
		str_reset(&out);
		backend_mbox_header_write_flags(
		    &out, "S: a\n", 5, MIME_FLAG_DELETED | MIME_FLAG_ANSWERED | MIME_FLAG_DRAFT,
		    "\n");
		test_assert_str(str_cstr(&out), "S: a\nStatus: O\nX-Status: DAT\n");
		str_free(&out);
	}
	test_end();

	test_begin("the From_ line petrel writes is one petrel reads");
	{
		struct str out = STR_INIT;
		time_t t;

		backend_mbox_from_line_write(&out, "odd sender\x01", 1700000000);
		test_assert(strncmp(str_cstr(&out), "From odd_sender_ ", 17) == 0);
		test_assert(backend_mbox_from_line(out.s, out.len, &t));
		test_assert_int(t, 1700000000);
		str_free(&out);
	}
	test_end();

	test_begin("tail mode wants a From_ line first");
	{
		struct backend_mbox_scan *scan = backend_mbox_scan_new(100, 1);
		struct err err;

		test_assert_int(backend_mbox_scan_feed(scan, "\nFrom a", 7, &err), -1);
		backend_mbox_scan_free(&scan);
		scan = backend_mbox_scan_new(100, 1);
		test_assert_int(
		    backend_mbox_scan_feed(scan, "From a Mon Jan  1 10:00:00 2024\nS\n", 34, &err),
		    0);
		test_assert_int(backend_mbox_scan_finish(scan, &err), 0);
		{
			size_t n;
			const struct backend_mbox_msg *msgs = backend_mbox_scan_messages(scan, &n);

			test_assert_int(n, 1);
			test_assert_int(msgs[0].from_off, 100);
			test_assert_int(msgs[0].next, 134);
		}
		backend_mbox_scan_free(&scan);
	}
	test_end();
	return test_done();
}
