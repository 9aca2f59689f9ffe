/*
 * fuzz-pop3-reply: the POP3 line reader, status lines, the STAT, LIST,
 * UIDL, CAPA and APOP parsers, the multi-line body decoder and the client
 * session, on server bytes.
 *
 * The first input byte picks the session's parameters and how the input
 * is cut into reads; the rest is what the server sends.  The session is
 * driven the way a caller would: it logs in, lists, fetches, deletes,
 * quits.  Besides crashes and sanitizer reports, the target aborts when an
 * invariant breaks: dot-stuffing a message (with the SMTP encoder) and
 * decoding it again must give it back exactly, wherever the input is cut;
 * a message reported complete must have had its end line; a unique-id
 * handed out must be valid.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "pop3/pop3-parse.h"
#include "pop3/pop3-reply.h"
#include "pop3/pop3-session.h"
#include "smtp/smtp-dot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
fuzz_lines(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t pos = 0;
	struct str line = STR_INIT;

	for (;;) {
		const char *l;
		size_t len, used;
		struct err err;
		struct pop3_status_line st;
		struct pop3_caps caps;
		unsigned long count, msg;
		uint64_t sz;
		const char *uid;
		size_t ulen;
		char stamp[POP3_TIMESTAMP_MAX + 1];

		if (pop3_line_next(buf + pos, size - pos, 200, &l, &len, &used, &err) != 1)
			break;
		pos += used;
		str_reset(&line);
		str_append_len(&line, l, len);
		pop3_status_parse(str_cstr(&line), true, &st, &err);
		pop3_parse_stat(str_cstr(&line), &count, &sz, &err);
		pop3_parse_list(str_cstr(&line), &msg, &sz, &err);
		if (pop3_parse_uidl(str_cstr(&line), &msg, &uid, &ulen, &err) == 0) {
			if (ulen == 0 || ulen > POP3_UID_MAX)
				abort();
			for (size_t i = 0; i < ulen; i++)
				if ((unsigned char)uid[i] < 0x21 || (unsigned char)uid[i] > 0x7e)
					abort();
		}
		if (pop3_parse_apop_timestamp(str_cstr(&line), stamp, sizeof(stamp)) &&
		    (stamp[0] != '<' || strchr(stamp, '@') == NULL))
			abort();
		memset(&caps, 0, sizeof(caps));
		pop3_caps_add_line(&caps, str_cstr(&line));
		if (strlen(caps.sasl_mechs) >= sizeof(caps.sasl_mechs))
			abort();
	}
	str_free(&line);
}

/* Stuff the input as a message, decode it in pieces: it must come back as
 * it went in (with CRLF line ends) and end exactly at the end. */
static void
fuzz_roundtrip(uint8_t mode, const uint8_t *data, size_t size)
{
	struct str wire = STR_INIT, plain = STR_INIT, back = STR_INIT, buf = STR_INIT;
	struct smtp_dot d;
	struct pop3_unstuff u;
	size_t fed = 0, pos = 0, i = 0;
	bool end = false;

	smtp_dot_init(&d, true);
	smtp_dot_encode(&d, data, size, &wire);
	smtp_dot_finish(&d, &wire);
	smtp_dot_init(&d, false);
	smtp_dot_encode(&d, data, size, &plain);
	smtp_dot_finish(&d, &plain);
	pop3_unstuff_init(&u);
	while (fed < wire.len && !end) {
		size_t n = cut(mode, i++, wire.len - fed);

		str_append_len(&buf, wire.s + fed, n);
		fed += n;
		for (;;) {
			size_t dlen,
			    used = pop3_unstuff(&u, buf.s + pos, buf.len - pos, &dlen, &end);

			if (used == 0)
				break;
			if (dlen > used)
				abort();
			str_append_len(&back, buf.s + pos, dlen);
			pos += used;
			if (end)
				break;
		}
	}
	if (!end || fed != wire.len || pos != buf.len || back.len != plain.len ||
	    (back.len > 0 && memcmp(back.s, plain.s, back.len) != 0))
		abort();
	str_free(&wire);
	str_free(&plain);
	str_free(&back);
	str_free(&buf);
}

static void
drain_output(struct pop3_session *s)
{
	struct pop3_output o;

	while (pop3_session_output(s, &o)) {
		/* A secret run never holds a line end. */
		if (o.kind == POP3_OUT_SECRET &&
		    (o.len == 0 || memchr(o.data, '\r', o.len) || memchr(o.data, '\n', o.len)))
			abort();
		pop3_session_consumed(s, o.len);
	}
}

static void
fuzz_session(uint8_t mode, const uint8_t *data, size_t size)
{
	struct pop3_params p = {.server = "fuzz.example"};
	struct pop3_session *s;
	struct pop3_event ev;
	struct err err;
	size_t i = 0, off = 0;
	int logins = 0, rounds = 0;
	bool done = false, in_msg = false;

	p.stls = mode & 4;
	p.no_pipelining = mode & 8;
	p.line_max = (mode & 16) ? 100 : 0;
	p.lines_max = (mode & 16) ? 10 : 0;
	p.msg_max = (mode & 32) ? 1000 : 0;
	p.auth_rounds_max = 4;
	s = pop3_session_new(&p);
	while (!done) {
		int r;

		if (off < size) {
			size_t n = cut(mode, i++, size - off);

			pop3_session_feed(s, data + off, n);
			off += n;
		}
		while ((r = pop3_session_next_event(s, &ev, &err)) == 1) {
			switch (ev.type) {
			case POP3_EV_READY:
			case POP3_EV_FAILED:
				if (logins++ >= 2) {
					pop3_session_quit(s, &err);
				} else if (pop3_session_apop_timestamp(s) != NULL && (mode & 64)) {
					pop3_session_apop(s, "alice",
					                  "0123456789abcdef0123456789abcdef", &err);
				} else if (mode & 128) {
					pop3_session_auth(s, "PLAIN",
					                  (mode & 64) ? "AGFhAGI=" : NULL, &err);
				} else {
					pop3_session_user_pass(s, "alice", "secret", &err);
				}
				break;
			case POP3_EV_STLS:
				pop3_session_discard_input(s);
				if (pop3_session_tls_done(s, &err) < 0)
					abort();
				break;
			case POP3_EV_AUTH_CHALLENGE:
				if (++rounds % 3 == 0)
					pop3_session_auth_cancel(s, &err);
				else
					pop3_session_auth_respond(s, "eA==", &err);
				break;
			case POP3_EV_LOGGED_IN:
				pop3_session_stat(s, &err);
				pop3_session_list(s, 0, &err);
				pop3_session_uidl(s, 0, &err);
				pop3_session_uidl(s, 1, &err);
				pop3_session_list(s, 1, &err);
				pop3_session_top(s, 1, 0, &err);
				pop3_session_retr(s, 1, 100, &err);
				pop3_session_dele(s, 1, &err);
				pop3_session_capa(s, &err);
				pop3_session_rset(s, &err);
				pop3_session_noop(s, &err);
				pop3_session_quit(s, &err);
				break;
			case POP3_EV_UIDL:
				if (ev.uid != NULL &&
				    (strlen(ev.uid) == 0 || strlen(ev.uid) > POP3_UID_MAX))
					abort();
				break;
			case POP3_EV_MSG_BEGIN:
				if (in_msg)
					abort();
				in_msg = true;
				break;
			case POP3_EV_MSG_DATA:
				if (!in_msg || ev.len == 0)
					abort();
				break;
			case POP3_EV_MSG_END:
			case POP3_EV_MSG_INCOMPLETE:
				if (!in_msg)
					abort();
				in_msg = false;
				break;
			case POP3_EV_CLOSED:
				done = true;
				break;
			default:
				break;
			}
		}
		drain_output(s);
		if (r < 0)
			break;
		if (off >= size) {
			pop3_session_eof(s);
			while (pop3_session_next_event(s, &ev, &err) == 1)
				if (ev.type == POP3_EV_MSG_END)
					abort(); /* no end line can come from an eof */
			break;
		}
	}
	pop3_session_update(s);
	pop3_session_free(&s);
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
	fuzz_lines(data, size);
	if (size <= 65536)
		fuzz_roundtrip(mode, data, size);
	fuzz_session(mode, data, size);
	return 0;
}
