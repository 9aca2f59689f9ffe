/*
 * fuzz-smtp-reply: the SMTP reply parser, the EHLO capability parser, the
 * dot-stuffing encoder and the client session, on server bytes.
 *
 * The first input byte picks the session's parameters and how the input
 * is cut into reads; the rest is what the server sends.  The session is
 * driven the way a caller would: it authenticates, sends messages, goes
 * on after refusals, quits.  Besides crashes and sanitizer reports, the
 * target aborts when an invariant breaks: the encoder must never let a
 * message end early (no "\r\n.\r\n" before the end, no bare CR or LF), and
 * the session must never put a secret where a command goes.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "smtp/smtp-caps.h"
#include "smtp/smtp-dot.h"
#include "smtp/smtp-reply.h"
#include "smtp/smtp-session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Cuts of the input: the read sizes a network might give. */
static size_t
cut(uint8_t mode, size_t i, size_t left)
{
	size_t n;

	switch (mode & 3) {
	case 0:
		n = left;
		break;
	case 1:
		n = 1;
		break;
	case 2:
		n = 1 + (i * 7) % 13;
		break;
	default:
		n = 4096;
		break;
	}
	return n < left ? n : left;
}

static void
fuzz_parser(uint8_t mode, const uint8_t *data, size_t size)
{
	struct smtp_reply_parser *p = smtp_reply_parser_new(mode & 4 ? 64 : 0, mode & 8 ? 4 : 0);
	const struct smtp_reply *r;
	struct smtp_caps caps;
	struct err err;
	char buf[128];
	size_t i = 0, off = 0;
	int ret = 0;

	while (off < size && ret >= 0) {
		size_t n = cut(mode, i++, size - off);

		smtp_reply_parser_feed(p, data + off, n);
		off += n;
		while ((ret = smtp_reply_parser_next(p, &r, &err)) == 1) {
			if (r->code < 200 || r->code > 599 || r->n_lines == 0)
				abort();
			smtp_reply_describe(r, buf, sizeof(buf));
			smtp_caps_parse(&caps, r);
			if (strlen(caps.auth_mechs) >= sizeof(caps.auth_mechs))
				abort();
		}
		if (ret < 0 && err.kind != ERR_PROTO)
			abort();
	}
	if (ret >= 0 && (mode & 16))
		smtp_reply_parser_discard(p);
	smtp_reply_parser_free(&p);
}

/* Checks the wire form of a message: CRLF only, and no end line but the
 * last. */
static void
check_wire(const struct str *out, bool stuffed)
{
	const char *s = out->s ? out->s : "";
	size_t len = out->len;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))
			abort();
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			abort();
	}
	if (!stuffed)
		return;
	if (len < 3 || memcmp(s + len - 3, ".\r\n", 3) != 0)
		abort();
	if (len > 3 && (len < 5 || memcmp(s + len - 5, "\r\n.\r\n", 5) != 0))
		abort();
	/* Every other line starting with "." has been doubled. */
	for (size_t i = 0; i + 3 < len; i++)
		if ((i == 0 || s[i - 1] == '\n') && s[i] == '.' && s[i + 1] != '.')
			abort();
}

static void
fuzz_dot(uint8_t mode, const uint8_t *data, size_t size)
{
	struct str out = STR_INIT, plain = STR_INIT;
	struct smtp_dot d, d2;
	struct smtp_body_check bc;
	size_t i = 0, off = 0;

	smtp_dot_init(&d, true);
	smtp_dot_init(&d2, false);
	smtp_body_check_init(&bc);
	while (off < size) {
		size_t n = cut(mode, i++, size - off);

		smtp_dot_encode(&d, data + off, n, &out);
		smtp_dot_encode(&d2, data + off, n, &plain);
		smtp_body_check_update(&bc, data + off, n);
		off += n;
	}
	smtp_dot_finish(&d, &out);
	smtp_dot_finish(&d2, &plain);
	smtp_body_check_finish(&bc);
	check_wire(&out, true);
	check_wire(&plain, false);
	if (bc.size != plain.len || d.out != out.len || d2.out != plain.len)
		abort();
	str_free(&out);
	str_free(&plain);
}

static void
drain_output(struct smtp_session *s)
{
	struct smtp_output o;

	while (smtp_session_output(s, &o)) {
		/* A secret run is base64 alone: never a line end, never
		   anything that could be a command. */
		if (o.kind == SMTP_OUT_SECRET &&
		    (o.len == 0 || memchr(o.data, '\r', o.len) || memchr(o.data, '\n', o.len)))
			abort();
		smtp_session_consumed(s, o.len);
	}
}

static void
start_mail(struct smtp_session *s, uint8_t mode, int *messages)
{
	static const char *const rcpts[] = {"bob@example.org", "carol@example.org",
	                                    "d\xc3\xa9@example.org"};
	struct smtp_envelope env = {0};
	struct err err;

	if ((*messages)++ >= 3) {
		smtp_session_quit(s, &err);
		return;
	}
	env.from = "alice@example.org";
	env.rcpts = rcpts;
	env.n_rcpts = (mode & 32) ? 3 : 2;
	env.size = (mode & 64) ? 30000000 : 120;
	env.partial_ok = mode & 128;
	env.body_8bit = mode & 16;
	env.notify = SMTP_NOTIFY_FAILURE;
	env.orcpt = true;
	env.envid = "x+y";
	env.ret = SMTP_DSN_RET_HDRS;
	if (smtp_session_mail(s, &env, &err) < 0)
		smtp_session_quit(s, &err);
}

static void
fuzz_session(uint8_t mode, const uint8_t *data, size_t size)
{
	struct smtp_params p = {.helo_name = "client.example.org", .server = "fuzz.example"};
	struct smtp_session *s;
	struct smtp_event ev;
	struct err err;
	static const char body[] = "Subject: x\n\n.dot\r\n..\rlast";
	size_t i = 0, off = 0;
	int messages = 0, rounds = 0;
	bool done = false;

	p.starttls = mode & 1;
	p.no_pipelining = mode & 2;
	p.no_chunking = mode & 4;
	p.require_ehlo = mode & 8;
	p.line_max = (mode & 64) ? 128 : 0;
	p.lines_max = (mode & 64) ? 8 : 0;
	p.auth_rounds_max = 4;
	s = smtp_session_new(&p, &err);
	if (s == NULL)
		abort();
	while (!done) {
		int r;

		if (off < size) {
			size_t n = cut(mode >> 4, i++, size - off);

			smtp_session_feed(s, data + off, n);
			off += n;
		} else {
			smtp_session_eof(s);
		}
		while ((r = smtp_session_next_event(s, &ev, &err)) == 1) {
			switch (ev.type) {
			case SMTP_EV_READY:
				if (smtp_session_caps(s)->auth && rounds == 0)
					smtp_session_auth(s, "PLAIN",
					                  (mode & 32) ? "AGFhAGI=" : NULL, &err);
				else
					start_mail(s, mode, &messages);
				break;
			case SMTP_EV_STARTTLS:
				smtp_session_discard_input(s);
				if (smtp_session_tls_done(s, &err) < 0)
					abort();
				break;
			case SMTP_EV_AUTH_CHALLENGE:
				if (++rounds % 3 == 0)
					smtp_session_auth_cancel(s, &err);
				else
					smtp_session_auth_respond(s, "eA==", &err);
				break;
			case SMTP_EV_RCPTS:
				if (ev.n_accepted > 0 && smtp_session_data(s, &err) == 0)
					break;
				if (smtp_session_rset(s, &err) < 0)
					done = true; /* only closing the connection is left */
				break;
			case SMTP_EV_DATA_READY:
				smtp_session_data_write(s, body, sizeof(body) - 1, &err);
				if (mode & 8)
					smtp_session_data_write(s, body, sizeof(body) - 1, &err);
				smtp_session_data_end(s, &err);
				break;
			case SMTP_EV_AUTH_DONE:
			case SMTP_EV_SENT:
			case SMTP_EV_FAILED:
			case SMTP_EV_DONE:
				rounds++;
				start_mail(s, mode, &messages);
				break;
			case SMTP_EV_CLOSED:
				done = true;
				break;
			case SMTP_EV_LAST:
				abort();
			}
			if (done)
				break;
		}
		drain_output(s);
		if (r < 0 || off >= size)
			done = true;
	}
	/* After the end of input, whatever state: eof then drain. */
	smtp_session_eof(s);
	while (smtp_session_next_event(s, &ev, &err) == 1)
		;
	smtp_session_msg_state(s);
	smtp_session_free(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	fuzz_parser(mode, data, size);
	if (size <= 65536)
		fuzz_dot(mode, data, size);
	fuzz_session(mode, data, size);
	return 0;
}
