/*
 * The command builder (atoms, quoting, literals of every kind, secret
 * spans) and the session's output side: bytes handed out in runs that are
 * all secret or all not, partial sends, sync points.
 */
#include "config.h"

#include <string.h>

#include "base/base-str.h"
#include "imap/imap-command.h"
#include "imap/imap-session.h"
#include "test-common.h"

static void
build(unsigned flags, const char *s, size_t len, int astring, const char *want)
{
	struct imap_command c;
	struct err err;
	int r;

	imap_command_init(&c, flags);
	r = astring ? imap_command_astring(&c, s, len, 0, &err) : imap_command_string(&c, s, len, 0, &err);
	test_assert_int(r, 0);
	test_assert_str(str_cstr(&c.out), want);
	imap_command_free(&c);
}

static void
test_builder(void)
{
	struct imap_command c;
	struct err err;
	struct str big = STR_INIT;

	test_begin("atoms, quoted strings and literals");
	build(0, "INBOX", 5, 1, "INBOX");
	build(0, "INBOX", 5, 0, "\"INBOX\"");
	build(0, "", 0, 1, "\"\"");
	build(0, "nil", 3, 1, "\"nil\"");
	build(0, "a b", 3, 1, "\"a b\"");
	build(0, "a\"b\\c", 5, 1, "\"a\\\"b\\\\c\"");
	build(0, "%*", 2, 1, "\"%*\"");
	build(0, "a]b", 3, 1, "\"a]b\"");
	build(0, "a(b", 3, 1, "\"a(b\"");
	build(0, "a{b", 3, 1, "\"a{b\"");
	build(0, "x\r\ny", 4, 1, "{4}\r\nx\r\ny");
	build(IMAP_SEND_LITERAL_PLUS, "x\r\ny", 4, 1, "{4+}\r\nx\r\ny");
	build(IMAP_SEND_LITERAL_MINUS, "x\r\ny", 4, 1, "{4+}\r\nx\r\ny");
	build(0, "caf\xc3\xa9", 5, 1, "{5}\r\ncaf\xc3\xa9");
	build(IMAP_SEND_UTF8, "caf\xc3\xa9", 5, 1, "\"caf\xc3\xa9\"");
	build(IMAP_SEND_UTF8, "caf\xe9", 4, 1, "{4}\r\ncaf\xe9");
	build(0, "tab\there", 8, 0, "{8}\r\ntab\there");
	/* LITERAL- allows {n+} only up to 4096 bytes. */
	for (int i = 0; i < 4096; i++)
		str_append_char(&big, '\n');
	imap_command_init(&c, IMAP_SEND_LITERAL_MINUS);
	test_assert_int(imap_command_string(&c, big.s, big.len, 0, &err), 0);
	test_assert(strncmp(c.out.s, "{4096+}\r\n", 9) == 0 && c.n_syncs == 0);
	imap_command_free(&c);
	str_append_char(&big, '\n');
	imap_command_init(&c, IMAP_SEND_LITERAL_MINUS);
	test_assert_int(imap_command_string(&c, big.s, big.len, 0, &err), 0);
	test_assert(strncmp(c.out.s, "{4097}\r\n", 8) == 0 && c.n_syncs == 1 && c.syncs[0] == 8);
	test_assert_int(c.literal_bytes, 4097);
	imap_command_free(&c);
	/* Long printable strings go as literals too. */
	str_reset(&big);
	for (int i = 0; i < IMAP_QUOTED_MAX + 1; i++)
		str_append_char(&big, 'a');
	imap_command_init(&c, IMAP_SEND_LITERAL_PLUS);
	test_assert_int(imap_command_string(&c, big.s, big.len, 0, &err), 0);
	test_assert(strncmp(c.out.s, "{1025+}\r\naaa", 12) == 0);
	test_assert_int(c.out.len, 9 + IMAP_QUOTED_MAX + 1);
	imap_command_free(&c);
	str_free(&big);
	test_end();
}

static void
test_builder_errors(void)
{
	struct imap_command c;
	struct err err;
	struct str out = STR_INIT;

	test_begin("NUL bytes, secrets, mailbox encoding");
	imap_command_init(&c, IMAP_SEND_LITERAL_PLUS);
	test_assert_int(imap_command_string(&c, "a\0b", 3, 0, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	test_assert_int(imap_command_literal(&c, "a\0b", 3, 0, &err), -1);
	test_assert_int(err.kind, ERR_UNSUPPORTED);
	imap_command_free(&c);
	imap_command_init(&c, IMAP_SEND_BINARY);
	test_assert_int(imap_command_literal(&c, "a\0b", 3, 0, &err), 0);
	test_assert(c.out.len == 9 && memcmp(c.out.s, "~{3}\r\na\0b", 9) == 0);
	imap_command_free(&c);
	imap_command_init(&c, 0);
	imap_command_raw(&c, "a1 LOGIN ");
	test_assert_int(imap_command_astring(&c, "me", 2, 0, &err), 0);
	imap_command_raw(&c, " ");
	test_assert_int(imap_command_astring(&c, "p w", 3, 1, &err), 0);
	test_assert_str(str_cstr(&c.out), "a1 LOGIN me \"p w\"");
	test_assert_int(c.n_secrets, 1);
	test_assert_int(c.secrets[0].off, 12);
	test_assert_int(c.secrets[0].len, 5);
	imap_command_raw(&c, " ");
	test_assert_int(imap_command_astring(&c, "x\ny", 3, 1, &err), 0);
	test_assert_int(c.n_secrets, 2);
	test_assert_int(c.secrets[1].off, 23);
	test_assert_int(c.secrets[1].len, 3);
	imap_command_free(&c);
	test_assert_int(imap_command_encode_mailbox(&out, "Entw\xc3\xbcrfe", 0, &err), 0);
	test_assert_str(str_cstr(&out), "Entw&APw-rfe");
	str_reset(&out);
	test_assert_int(imap_command_encode_mailbox(&out, "Entw\xc3\xbcrfe", 1, &err), 0);
	test_assert_str(str_cstr(&out), "Entw\xc3\xbcrfe");
	test_assert_int(imap_command_encode_mailbox(&out, "bad\xff", 1, &err), -1);
	test_assert_int(imap_command_encode_mailbox(&out, "bad\xff", 0, &err), -1);
	test_assert(imap_command_is_flag("\\Seen"));
	test_assert(imap_command_is_flag("$Label1"));
	test_assert(!imap_command_is_flag("\\"));
	test_assert(!imap_command_is_flag("a b"));
	test_assert(!imap_command_is_flag("x)"));
	test_assert(!imap_command_is_flag(""));
	str_free(&out);
	test_end();
}

/* Collects all output, marking secret runs with << >>, n bytes at a time. */
static void
drain(struct imap_session *s, size_t step, struct str *out)
{
	const char *data;
	size_t len;
	int secret;

	while (imap_session_output(s, &data, &len, &secret) == 1) {
		size_t n = step && step < len ? step : len;

		if (secret)
			str_append(out, "<<");
		str_append_len(out, data, n);
		if (secret)
			str_append(out, ">>");
		imap_session_consumed(s, n);
	}
}

static void
test_output(void)
{
	struct imap_session_params params = {0};
	struct imap_session *s;
	struct imap_event ev;
	struct err err;
	struct str out = STR_INIT;
	uint32_t tag = 0;
	const char *greeting = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n";

	test_begin("session output: secret runs, partial sends, sync points");
	params.tls = 1;
	params.tag_prefix = "T";
	s = imap_session_new(&params);
	test_assert_int(imap_cmd_noop(s, &tag, &err), -1);
	imap_session_feed(s, greeting, strlen(greeting));
	test_assert_int(imap_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.kind, IMAP_EV_GREETING);
	test_assert_int(imap_session_next_event(s, &ev, &err), 0);
	test_assert_int(imap_cmd_login(s, "me", "pass\nword", &tag, &err), 0);
	test_assert_int(tag, 1);
	drain(s, 0, &out);
	test_assert_str(str_cstr(&out), "T1 LOGIN me {9}\r\n");
	str_reset(&out);
	imap_session_feed(s, "+ ok\r\n", 6);
	test_assert_int(imap_session_next_event(s, &ev, &err), 0);
	drain(s, 3, &out);
	test_assert_str(str_cstr(&out), "<<pas>><<s\nw>><<ord>>\r\n");
	str_reset(&out);
	imap_session_feed(s, "T1 OK [CAPABILITY IMAP4rev1 IDLE] in\r\n", 38);
	test_assert_int(imap_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.kind, IMAP_EV_DONE);
	test_assert_int(ev.tag, 1);
	test_assert(imap_session_caps(s) & IMAP_CAP_IDLE);
	test_assert(imap_session_has_cap(s, "idle"));
	test_assert(!imap_session_has_cap(s, "AUTH=PLAIN"));
	test_assert_int(imap_session_state(s), IMAP_STATE_AUTHENTICATED);
	/* Pipelined commands go out in order; a failed session sends nothing. */
	test_assert_int(imap_cmd_noop(s, &tag, &err), 0);
	test_assert_int(imap_cmd_capability(s, &tag, &err), 0);
	test_assert_int(tag, 3);
	test_assert_int(imap_session_in_flight(s), 2);
	drain(s, 1, &out);
	test_assert_str(str_cstr(&out), "T2 NOOP\r\nT3 CAPABILITY\r\n");
	imap_session_feed(s, "T9 OK\r\n", 7);
	test_assert_int(imap_session_next_event(s, &ev, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert_int(imap_session_next_event(s, &ev, &err), -1);
	test_assert_int(imap_cmd_noop(s, &tag, &err), -1);
	imap_session_free(&s);
	test_assert(s == NULL);
	imap_session_free(&s);
	str_free(&out);
	test_end();
}

/* A server may refuse a command while a non-synchronising literal is on
 * its way; it still reads the literal, so the rest must go out. */
static void
test_refused_mid_literal(void)
{
	struct imap_session_params params = {0};
	struct imap_session *s;
	struct imap_event ev;
	struct err err;
	struct str out = STR_INIT;
	uint32_t tag;
	const char *data;
	size_t len;
	int secret;
	const char *greeting = "* PREAUTH [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n";

	test_begin("a refused command's non-synchronising literal is still sent");
	params.tls = 1;
	s = imap_session_new(&params);
	imap_session_feed(s, greeting, strlen(greeting));
	test_assert_int(imap_session_next_event(s, &ev, &err), 1);
	test_assert_int(imap_cmd_append(s, "INBOX", NULL, 0, 0, "0123456789", 10, &tag, &err), 0);
	test_assert_int(imap_session_output(s, &data, &len, &secret), 1);
	test_assert_int(len, 35);
	imap_session_consumed(s, 25); /* "a1 APPEND INBOX {10+}\r\n01" */
	imap_session_feed(s, "a1 NO [TOOBIG] no\r\n", 19);
	test_assert_int(imap_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.kind, IMAP_EV_DONE);
	test_assert_int(ev.status, IMAP_NO);
	test_assert_int(imap_session_in_flight(s), 0);
	test_assert_int(imap_cmd_noop(s, &tag, &err), 0);
	drain(s, 4, &out);
	test_assert_str(str_cstr(&out), "23456789\r\na2 NOOP\r\n");
	/* The tag of a completed command is unknown from now on. */
	imap_session_feed(s, "a1 OK again\r\n", 13);
	test_assert_int(imap_session_next_event(s, &ev, &err), -1);
	imap_session_free(&s);
	str_free(&out);
	test_end();
}

int
main(void)
{
	test_builder();
	test_builder_errors();
	test_output();
	test_refused_mid_literal();
	return test_done();
}
