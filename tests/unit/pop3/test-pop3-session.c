#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/base-str.h"
#include "pop3/pop3-session.h"
#include "test-common.h"

/* All pending output; secret parts in {}. */
static void
drain(struct pop3_session *s, struct str *out)
{
	struct pop3_output o;

	str_reset(out);
	while (pop3_session_output(s, &o)) {
		if (o.kind == POP3_OUT_SECRET) {
			str_append(out, "{");
			str_append_len(out, o.data, o.len);
			str_append(out, "}");
		} else {
			str_append_len(out, o.data, o.len);
		}
		pop3_session_consumed(s, o.len);
	}
}

static void
feed(struct pop3_session *s, const char *text)
{
	pop3_session_feed(s, text, strlen(text));
}

/* Events until the session needs input, as "NAME NAME ...". */
static void
events(struct pop3_session *s, struct str *out)
{
	struct pop3_event ev;
	struct err err;
	int r;

	str_reset(out);
	while ((r = pop3_session_next_event(s, &ev, &err)) == 1)
		str_appendf(out, "%s%s", out->len ? " " : "", pop3_event_name(ev.type));
	if (r < 0)
		str_appendf(out, "%sERROR(%s)", out->len ? " " : "", err.msg);
}

static struct pop3_session *
ready(const char *capa, struct str *tmp)
{
	struct pop3_params p = {.server = "pop.example"};
	struct pop3_session *s = pop3_session_new(&p);

	feed(s, "+OK ready\r\n");
	events(s, tmp);
	drain(s, tmp);
	feed(s, capa);
	events(s, tmp);
	test_assert_str(str_cstr(tmp), "READY");
	return s;
}

static void
test_secret(void)
{
	struct str out = STR_INIT;
	struct pop3_session *s = ready("-ERR\r\n", &out);
	struct err err;

	test_begin("secrets in the output");
	test_assert_int(pop3_session_user_pass(s, "alice", "pass with spaces", &err), 0);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "USER alice\r\n");
	feed(s, "+OK\r\n");
	events(s, &out);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "PASS {pass with spaces}\r\n");
	test_assert_int(pop3_session_user_pass(s, "alice", "x", &err), -1);
	feed(s, "+OK\r\n");
	events(s, &out);
	test_assert_str(str_cstr(&out), "LOGGED_IN");
	test_assert_int(pop3_session_user_pass(s, "alice", "x", &err), -1);
	pop3_session_free(&s);

	s = ready("-ERR\r\n", &out);
	test_assert_int(pop3_session_user_pass(s, "al ice", "x", &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	test_assert_int(pop3_session_user_pass(s, "alice", "x\r\nDELE 1", &err), -1);
	test_assert_int(pop3_session_user_pass(s, "alice", "", &err), -1);
	test_assert_int(pop3_session_output_pending(s), 0);
	pop3_session_free(&s);
	str_free(&out);
	test_end();
}

static void
test_pipelined_login_failure(void)
{
	struct str out = STR_INIT;
	struct pop3_session *s = ready("+OK\r\nPIPELINING\r\nUSER\r\n.\r\n", &out);
	struct err err;

	test_begin("commands pipelined behind a login that fails");
	test_assert_int(pop3_session_user_pass(s, "alice", "wrong", &err), 0);
	test_assert_int(pop3_session_stat(s, &err), 0);
	test_assert_int(pop3_session_uidl(s, 0, &err), 0);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "USER alice\r\nPASS {wrong}\r\nSTAT\r\nUIDL\r\n");
	/* A lax server even answers UIDL with a list: read past, silently. */
	feed(s, "+OK\r\n-ERR [AUTH] bad\r\n-ERR not logged in\r\n+OK\r\n1 x\r\n.\r\n");
	events(s, &out);
	test_assert_str(str_cstr(&out), "FAILED");
	test_assert_int(pop3_session_stat(s, &err), -1);
	test_assert_int(pop3_session_user_pass(s, "alice", "right", &err), 0);
	drain(s, &out);
	feed(s, "+OK\r\n+OK\r\n");
	events(s, &out);
	test_assert_str(str_cstr(&out), "LOGGED_IN");
	pop3_session_free(&s);

	/* Without PIPELINING, nothing may wait behind the login. */
	s = ready("-ERR\r\n", &out);
	test_assert_int(pop3_session_user_pass(s, "alice", "pw", &err), 0);
	test_assert_int(pop3_session_stat(s, &err), -1);
	pop3_session_free(&s);
	str_free(&out);
	test_end();
}

static void
test_quit(void)
{
	struct str out = STR_INIT;
	struct pop3_session *s = ready("-ERR\r\n", &out);
	struct pop3_event ev;
	struct err err;

	test_begin("quitting in an AUTH exchange");
	test_assert_int(pop3_session_auth(s, "PLAIN", NULL, &err), 0);
	drain(s, &out);
	feed(s, "+ \r\n");
	events(s, &out);
	test_assert_str(str_cstr(&out), "AUTH_CHALLENGE");
	test_assert_int(pop3_session_quit(s, &err), 0);
	test_assert_int(pop3_session_quit(s, &err), -1);
	test_assert_int(pop3_session_auth_respond(s, "eA==", &err), -1);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "*\r\n");
	feed(s, "-ERR Authentication aborted by client.\r\n");
	events(s, &out);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "QUIT\r\n");
	feed(s, "+OK Logging out\r\n");
	test_assert_int(pop3_session_next_event(s, &ev, &err), 1);
	test_assert_int(ev.type, POP3_EV_CLOSED);
	test_assert_int(ev.update, POP3_UPDATE_NONE);
	test_assert_int(pop3_session_next_event(s, &ev, &err), 0);
	test_assert_int(pop3_session_stat(s, &err), -1);
	test_assert_int(err.kind, ERR_CONN);
	pop3_session_free(&s);
	str_free(&out);
	test_end();
}

static void
test_queued_retr(void)
{
	struct str out = STR_INIT;
	struct pop3_session *s = ready("-ERR\r\n", &out);
	struct pop3_event ev;
	struct err err;
	size_t data = 0;

	test_begin("RETR queued behind another command keeps its size");
	test_assert_int(pop3_session_user_pass(s, "alice", "pw", &err), 0);
	drain(s, &out);
	feed(s, "+OK\r\n+OK\r\n");
	events(s, &out);
	drain(s, &out);
	test_assert_int(pop3_session_retr(s, 1, 5, &err), 0);
	test_assert_int(pop3_session_retr(s, 2, 7, &err), 0);
	test_assert_int(pop3_session_top(s, 2, 0, &err), 0);
	test_assert_int(pop3_session_retr(s, 0, 7, &err), -1);
	drain(s, &out);
	test_assert_str(str_cstr(&out), "RETR 1\r\n");
	feed(s, "+OK\r\nabc\r\n.\r\n+OK\r\nabc\r\n.\r\n");
	events(s, &out);
	test_assert_str(str_cstr(&out), "MSG_BEGIN MSG_DATA MSG_END MSG_BEGIN MSG_DATA "
	                                "SIZE_MISMATCH MSG_END");
	drain(s, &out);
	test_assert_str(str_cstr(&out), "RETR 2\r\nTOP 2 0\r\n");
	feed(s, "+OK\r\nSubject: x\r\n\r\n.\r\n");
	while (pop3_session_next_event(s, &ev, &err) == 1) {
		if (ev.type == POP3_EV_MSG_DATA) {
			test_assert(memcmp(ev.data, "Subject: x\r\n\r\n", ev.len) == 0);
			data += ev.len;
		}
	}
	test_assert_int(data, 14);
	pop3_session_free(&s);
	str_free(&out);
	test_end();
}

static void
test_names(void)
{
	test_begin("names");
	test_assert_str(pop3_cmd_name(POP3_CMD_UIDL), "UIDL");
	test_assert_str(pop3_cmd_name(POP3_CMD_LAST), "?");
	test_assert_str(pop3_event_name(POP3_EV_SIZE_MISMATCH), "SIZE_MISMATCH");
	test_end();
}

int
main(void)
{
	test_secret();
	test_pipelined_login_failure();
	test_quit();
	test_queued_retr();
	test_names();
	return test_done();
}
