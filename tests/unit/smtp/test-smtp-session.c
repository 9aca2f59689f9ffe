#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "smtp/smtp-session.h"
#include "test-common.h"

static struct smtp_session *
session(const char *ehlo_reply, bool starttls)
{
	struct smtp_params p = {
	    .helo_name = "client.example.org", .server = "smtp.example.org", .starttls = starttls};
	struct err err;
	struct smtp_session *s = smtp_session_new(&p, &err);
	struct smtp_output o;
	struct smtp_event ev;

	smtp_session_feed(s, "220 hi\r\n", 8);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 0);
	while (smtp_session_output(s, &o))
		smtp_session_consumed(s, o.len);
	smtp_session_feed(s, ehlo_reply, strlen(ehlo_reply));
	return s;
}

/* All pending output, runs marked: TEXT as is, SECRET as {...}, PAYLOAD
 * as [...]. */
static void
drain(struct smtp_session *s, struct str *out)
{
	struct smtp_output o;

	str_reset(out);
	while (smtp_session_output(s, &o)) {
		if (o.kind == SMTP_OUT_SECRET) {
			str_append(out, "{");
			str_append_len(out, o.data, o.len);
			str_append(out, "}");
		} else if (o.kind == SMTP_OUT_PAYLOAD) {
			str_append(out, "[");
			str_append_len(out, o.data, o.len);
			str_append(out, "]");
		} else {
			str_append_len(out, o.data, o.len);
		}
		smtp_session_consumed(s, o.len);
	}
}

static void
test_new(void)
{
	struct smtp_params p = {0};
	struct err err;

	test_begin("parameters");
	test_assert(smtp_session_new(&p, &err) == NULL);
	test_assert_int(err.kind, ERR_USAGE);
	p.helo_name = "bad name";
	test_assert(smtp_session_new(&p, &err) == NULL);
	p.helo_name = "x\r\nMAIL FROM:<a>";
	test_assert(smtp_session_new(&p, &err) == NULL);
	p.helo_name = "[192.0.2.1]";
	{
		struct smtp_session *s = smtp_session_new(&p, &err);

		test_assert(s != NULL);
		smtp_session_free(&s);
		test_assert(s == NULL);
		smtp_session_free(&s);
	}
	test_end();
}

static void
test_secret_runs(void)
{
	struct smtp_session *s = session("250-h\r\n250 AUTH PLAIN LOGIN\r\n", false);
	struct smtp_event ev;
	struct smtp_output o;
	struct err err;
	struct str out = STR_INIT;
	char big[700];

	test_begin("secrets in the output");
	test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.type, SMTP_EV_READY);
	test_assert_int(smtp_session_auth(s, "PLAIN", "c2VjcmV0", &err), 0);
	test_assert_int(smtp_session_output(s, &o), 1);
	test_assert_int(o.kind, SMTP_OUT_TEXT);
	test_assert_int(o.len, 11);
	smtp_session_consumed(s, o.len);
	test_assert_int(smtp_session_output(s, &o), 1);
	test_assert_int(o.kind, SMTP_OUT_SECRET);
	test_assert_int(o.len, 8);
	/* A partial write leaves the rest of the run secret. */
	smtp_session_consumed(s, 3);
	test_assert_int(smtp_session_output(s, &o), 1);
	test_assert_int(o.kind, SMTP_OUT_SECRET);
	test_assert_int(o.len, 5);
	smtp_session_consumed(s, 5);
	/* The line end is not secret. */
	test_assert_int(smtp_session_output(s, &o), 1);
	test_assert_int(o.kind, SMTP_OUT_TEXT);
	test_assert_int(o.len, 2);
	smtp_session_consumed(s, 2);
	test_assert_int(smtp_session_output(s, &o), 0);
	test_assert_int(smtp_session_output_pending(s), 0);
	smtp_session_feed(s, "535 5.7.8 no\r\n", 14);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.type, SMTP_EV_FAILED);
	test_assert_int(ev.err.kind, ERR_AUTH);

	/* An initial response too long for a 512-octet line waits for the
	   empty challenge (RFC 4954 section 4). */
	memset(big, 'Q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	test_assert_int(smtp_session_auth(s, "PLAIN", big, &err), 0);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "AUTH PLAIN\r\n");
	smtp_session_feed(s, "334 \r\n", 6);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 0);
	drain(s, &out);
	test_assert_int(out.len, sizeof(big) - 1 + 4);
	test_assert(out.s[0] == '{' && out.s[1] == 'Q');
	test_assert(strcmp(out.s + out.len - 3, "}\r\n") == 0);
	smtp_session_feed(s, "235 ok\r\n", 8);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.type, SMTP_EV_AUTH_DONE);
	test_assert_int(smtp_session_auth(s, "LOGIN", NULL, &err), -1);
	smtp_session_free(&s);

	/* An empty initial response is "=". */
	s = session("250-h\r\n250 AUTH PLAIN LOGIN\r\n", false);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
	test_assert_int(smtp_session_auth(s, "LOGIN", "", &err), 0);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "AUTH LOGIN {=}\r\n");
	smtp_session_free(&s);
	str_free(&out);
	test_end();
}

static void
test_misuse(void)
{
	struct smtp_session *s = session("250 h\r\n", false);
	struct smtp_event ev;
	struct err err;
	const char *rcpt[] = {"b@example.org"};
	struct smtp_envelope env = {.from = "a@example.org", .rcpts = rcpt, .n_rcpts = 1};

	test_begin("commands out of turn");
	test_assert_int(smtp_session_data_write(s, "x", 1, &err), -1);
	test_assert_int(err.kind, ERR_INTERNAL);
	test_assert_int(smtp_session_tls_done(s, &err), -1);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
	test_assert_int(smtp_session_auth(s, "PLAIN", NULL, &err), -1);
	test_assert_int(err.kind, ERR_UNSUPPORTED);
	test_assert_int(smtp_session_data(s, &err), -1);
	test_assert_int(smtp_session_auth_respond(s, "eA==", &err), -1);
	env.n_rcpts = 0;
	test_assert_int(smtp_session_mail(s, &env, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	env.n_rcpts = 1;
	test_assert_int(smtp_session_mail(s, &env, &err), 0);
	test_assert_int(smtp_session_mail(s, &env, &err), -1);
	test_assert_int(smtp_session_quit(s, &err), 0);
	test_assert_int(smtp_session_quit(s, &err), -1);
	smtp_session_free(&s);
	test_end();
}

/*
 * A large message in several BDAT chunks.  With one recipient the
 * message follows the envelope at once (early): every chunk is out
 * before any reply; with two (no partial delivery) it waits for the
 * recipients' results.
 */
static void
bdat_chunks(bool early)
{
	struct smtp_session *s = session("250-h\r\n250-PIPELINING\r\n250 CHUNKING\r\n", false);
	struct smtp_event ev;
	struct err err;
	struct str out = STR_INIT;
	const char *rcpt[] = {"b@example.org", "c@example.org"};
	struct smtp_envelope env = {
	    .from = "a@example.org", .rcpts = rcpt, .n_rcpts = early ? 1 : 2};
	static char body[200000];
	size_t chunks = 0, payload = 0;

	test_begin(early ? "a large message in several BDAT chunks, sent with the envelope"
	                 : "a large message in several BDAT chunks, after the recipients");
	test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
	test_assert_int(smtp_session_mail(s, &env, &err), 0);
	if (early) {
		test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
		test_assert_int(ev.type, SMTP_EV_DATA_READY);
	} else {
		drain(s, &out);
		test_assert(strstr(str_cstr(&out), "BDAT") == NULL);
		smtp_session_feed(s, "250 ok\r\n250 ok\r\n250 ok\r\n", 24);
		test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
		test_assert_int(ev.type, SMTP_EV_RCPTS);
		test_assert_int(smtp_session_data(s, &err), 0);
		test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
		test_assert_int(ev.type, SMTP_EV_DATA_READY);
	}
	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (i % 100 == 99) ? '\n' : 'a';
	for (size_t i = 0; i < sizeof(body); i += 1000)
		if (smtp_session_data_write(s, body + i, 1000, &err) < 0)
			test_assert(0);
	test_assert_int(smtp_session_data_end(s, &err), 0);
	drain(s, &out);
	if (early)
		test_assert(strncmp(str_cstr(&out),
		                    "MAIL FROM:<a@example.org>\r\n"
		                    "RCPT TO:<b@example.org>\r\nBDAT ",
		                    57) == 0);
	for (const char *p = str_cstr(&out); (p = strstr(p, "BDAT ")) != NULL; p++) {
		chunks++;
		payload += strtoul(p + 5, NULL, 10);
	}
	/* 2000 lines of 99 bytes and CRLF. */
	test_assert_int(payload, 2000 * 101);
	test_assert(chunks >= 3);
	test_assert(strstr(str_cstr(&out), " LAST\r\n") != NULL);
	if (early) {
		smtp_session_feed(s, "250 ok\r\n250 ok\r\n", 16);
		test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
		test_assert_int(ev.type, SMTP_EV_RCPTS);
		test_assert_int(ev.n_accepted, 1);
		/* Information only: the caller has nothing to choose. */
		test_assert_int(smtp_session_data(s, &err), -1);
		test_assert_int(smtp_session_rset(s, &err), -1);
	}
	for (size_t i = 1; i < chunks; i++)
		smtp_session_feed(s, "250 2.0.0 chunk ok\r\n", 20);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 0);
	test_assert_int(smtp_session_msg_state(s), SMTP_MSG_PENDING);
	smtp_session_feed(s, "250 2.0.0 queued\r\n", 18);
	test_assert_int(smtp_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.type, SMTP_EV_SENT);
	test_assert_int(smtp_session_msg_state(s), SMTP_MSG_SENT);
	smtp_session_free(&s);
	str_free(&out);
	test_end();
}

static void
test_bdat_chunks(void)
{
	bdat_chunks(false);
	bdat_chunks(true);
}

static void
test_names(void)
{
	test_begin("names");
	test_assert_str(smtp_cmd_name(SMTP_CMD_RCPT), "RCPT");
	test_assert_str(smtp_cmd_name(SMTP_CMD_LAST), "?");
	test_assert_str(smtp_event_name(SMTP_EV_CLOSED), "CLOSED");
	test_end();
}

int
main(void)
{
	test_new();
	test_secret_runs();
	test_misuse();
	test_bdat_chunks();
	test_names();
	return test_done();
}
