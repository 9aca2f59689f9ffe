/*
 * bench-imap-parser: throughput of the response parser and the session on
 * what opening a large folder looks like: N responses
 *   * n FETCH (UID u FLAGS (...) INTERNALDATE "..." RFC822.SIZE s ENVELOPE (...))
 * generated in memory (Dovecot's layout), fed in 16 KB reads as a socket
 * would deliver them.  Prints MB/s and responses/s; asserts nothing.
 *
 * usage: bench-imap-parser [N] [ROUNDS]   (defaults 100000 and 5)
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/base-str.h"
#include "imap/imap-parser.h"
#include "imap/imap-session.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
generate(struct str *out, unsigned n)
{
	static const char *const names[] = {"Alice Example", "=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?=",
					    "Bob", "Carol Smith"};
	static const char *const flags[] = {"\\Seen", "\\Seen \\Answered", "", "\\Flagged \\Seen"};

	for (unsigned i = 1; i <= n; i++) {
		const char *name = names[i % 4];

		str_appendf(out,
			    "* %u FETCH (UID %u FLAGS (%s) INTERNALDATE \"%02u-Nov-2023 %02u:%02u:%02u "
			    "+0000\" RFC822.SIZE %u ENVELOPE (\"Tue, %u Nov 2023 09:12:45 +0100\" "
			    "\"Re: quarterly report draft number %u for review\" ((\"%s\" NIL \"user%u\" "
			    "\"example.org\")) ((\"%s\" NIL \"user%u\" \"example.org\")) ((\"%s\" NIL "
			    "\"user%u\" \"example.org\")) ((\"Team\" NIL \"team\" \"lists.example.com\")) "
			    "NIL NIL \"<%u.parent@example.org>\" \"<%u.msg@example.org>\"))\r\n",
			    i, i + 1000, flags[i % 4], 1 + i % 28, i % 24, i % 60, (i * 7) % 60,
			    2000 + (i * 37) % 90000, 1 + i % 28, i, name, i % 97, name, i % 97, name,
			    i % 97, i - 1, i);
	}
}

int
main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	struct str data = STR_INIT, greet = STR_INIT;
	double best_p = 1e9, best_s = 1e9;

	generate(&data, n);
	printf("%u FETCH responses, %.1f MB, %.0f bytes each\n", n, data.len / 1e6,
	       (double)data.len / n);
	for (int r = 0; r < rounds; r++) {
		struct imap_parser *p = imap_parser_new(NULL);
		const struct imap_response *resp;
		struct err err;
		unsigned got = 0;
		double t0 = now(), t;

		for (size_t pos = 0; pos < data.len; pos += 16384) {
			size_t len = data.len - pos < 16384 ? data.len - pos : 16384;

			imap_parser_feed(p, data.s + pos, len);
			while (imap_parser_next(p, &resp, &err) == 1)
				got += resp->type == IMAP_RESP_FETCH &&
				       (resp->u.fetch.present & IMAP_FETCH_ENVELOPE);
		}
		t = now() - t0;
		if (got != n) {
			fprintf(stderr, "parsed %u of %u\n", got, n);
			return 1;
		}
		if (t < best_p)
			best_p = t;
		imap_parser_free(&p);
	}
	/* The session on top: sequence checks, events. */
	str_appendf(&greet, "* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n* %u EXISTS\r\n", n);
	for (int r = 0; r < rounds; r++) {
		struct imap_session_params params = {0};
		struct imap_session *s;
		struct imap_event ev;
		struct err err;
		uint32_t tag;
		unsigned got = 0;
		const char *out;
		size_t olen;
		int secret;
		double t0, t;

		params.tls = 1;
		s = imap_session_new(&params);
		imap_session_feed(s, "* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n", 40);
		while (imap_session_next_event(s, &ev, &err) == 1)
			;
		imap_cmd_select(s, "INBOX", NULL, &tag, &err);
		while (imap_session_output(s, &out, &olen, &secret) == 1)
			imap_session_consumed(s, olen);
		t0 = now();
		imap_session_feed(s, greet.s + 40, greet.len - 40);
		imap_session_feed(s, "a1 OK [READ-WRITE] done\r\n", 25);
		for (size_t pos = 0; pos < data.len; pos += 16384) {
			size_t len = data.len - pos < 16384 ? data.len - pos : 16384;

			imap_session_feed(s, data.s + pos, len);
			while (imap_session_next_event(s, &ev, &err) == 1)
				got += ev.kind == IMAP_EV_FETCH;
		}
		t = now() - t0;
		if (got != n) {
			fprintf(stderr, "session passed %u of %u\n", got, n);
			return 1;
		}
		if (t < best_s)
			best_s = t;
		imap_session_free(&s);
	}
	printf("parser:  %.3f s, %.0f MB/s, %.0f responses/s\n", best_p, data.len / 1e6 / best_p,
	       n / best_p);
	printf("session: %.3f s, %.0f MB/s, %.0f responses/s\n", best_s, data.len / 1e6 / best_s,
	       n / best_s);
	str_free(&data);
	str_free(&greet);
	return 0;
}
