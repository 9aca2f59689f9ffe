/*
 * The SMTP submission backend over a socketpair, against a small scripted
 * server in a thread: what goes on the wire for each server capability,
 * what the caller is told for each refusal, and one connection for many
 * messages.  TLS and real servers are the integration tests' part.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/backend-smtp.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "test-common.h"

/* What the scripted server offers and how it answers. */
struct fake {
	int fd;
	const char *ehlo;      /* the 250 lines after the first, CRLF-ended; "" for none */
	bool drop_after_dot;   /* closes instead of answering the end of the message */
	bool drop_after_354;   /* closes after saying 354 */
	int rcpt_421;          /* 421 to the nth RCPT (1-based); 0: never */
	const char *dot_reply; /* the answer to the end of the message; NULL: 250 */
	/* what it saw */
	struct str log;  /* every command line, LF-separated */
	struct str body; /* the last message, as the server took it */
	int messages;
	char rbuf[65536];
	size_t rlen;
};

static int
fake_fill(struct fake *f)
{
	ssize_t n;

	if (f->rlen == sizeof(f->rbuf))
		return -1;
	do
		n = read(f->fd, f->rbuf + f->rlen, sizeof(f->rbuf) - f->rlen);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	f->rlen += (size_t)n;
	return 0;
}

/* One line without its CRLF into line; -1 at the end. */
static int
fake_line(struct fake *f, struct str *line)
{
	for (;;) {
		char *lf = memchr(f->rbuf, '\n', f->rlen);

		if (lf != NULL) {
			size_t len = (size_t)(lf - f->rbuf);

			str_reset(line);
			str_append_len(line, f->rbuf, len > 0 && lf[-1] == '\r' ? len - 1 : len);
			memmove(f->rbuf, lf + 1, f->rlen - len - 1);
			f->rlen -= len + 1;
			return 0;
		}
		if (fake_fill(f) < 0)
			return -1;
	}
}

static int
fake_exact(struct fake *f, size_t n, struct str *out)
{
	while (n > 0) {
		size_t take;

		if (f->rlen == 0 && fake_fill(f) < 0)
			return -1;
		take = n < f->rlen ? n : f->rlen;
		str_append_len(out, f->rbuf, take);
		memmove(f->rbuf, f->rbuf + take, f->rlen - take);
		f->rlen -= take;
		n -= take;
	}
	return 0;
}

static void
say(struct fake *f, const char *text)
{
	size_t len = strlen(text), off = 0;

	while (off < len) {
		ssize_t n = send(f->fd, text + off, len - off, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		off += (size_t)n;
	}
}

static void *
fake_run(void *arg)
{
	struct fake *f = arg;
	struct str line = STR_INIT;
	int rcpts = 0;

	say(f, "220 fake.test ESMTP\r\n");
	while (fake_line(f, &line) == 0) {
		const char *l = str_cstr(&line);

		str_appendf(&f->log, "%s\n", l);
		if (strncmp(l, "EHLO ", 5) == 0) {
			say(f, *f->ehlo != '\0' ? "250-fake.test\r\n" : "250 fake.test\r\n");
			say(f, f->ehlo);
		} else if (strncmp(l, "AUTH PLAIN", 10) == 0) {
			say(f, "235 2.7.0 ok\r\n");
		} else if (strncmp(l, "MAIL FROM:", 10) == 0) {
			rcpts = 0;
			str_reset(&f->body);
			say(f, "250 2.1.0 ok\r\n");
		} else if (strncmp(l, "RCPT TO:", 8) == 0) {
			rcpts++;
			if (f->rcpt_421 == rcpts) {
				say(f, "421 4.3.2 going down\r\n");
				break;
			}
			if (strstr(l, "bad") != NULL)
				say(f, "550 5.1.1 <bad>: no such user\r\n");
			else if (strstr(l, "later") != NULL)
				say(f, "451 4.3.0 try later\r\n");
			else
				say(f, "250 2.1.5 ok\r\n");
		} else if (strcmp(l, "DATA") == 0) {
			say(f, "354 go on\r\n");
			if (f->drop_after_354)
				break;
			for (;;) {
				if (fake_line(f, &line) < 0)
					goto out;
				if (strcmp(str_cstr(&line), ".") == 0)
					break;
				/* undo the dot-stuffing */
				str_append(&f->body, str_cstr(&line)[0] == '.' ? str_cstr(&line) + 1
				                                               : str_cstr(&line));
				str_append(&f->body, "\r\n");
			}
			if (f->drop_after_dot)
				break;
			f->messages++;
			say(f, f->dot_reply != NULL ? f->dot_reply : "250 2.0.0 queued\r\n");
		} else if (strncmp(l, "BDAT ", 5) == 0) {
			size_t n = strtoul(l + 5, NULL, 10);

			if (fake_exact(f, n, &f->body) < 0)
				break;
			if (strstr(l, " LAST") != NULL) {
				f->messages++;
				say(f, "250 2.0.0 queued\r\n");
			} else {
				say(f, "250 2.0.0 chunk ok\r\n");
			}
		} else if (strcmp(l, "RSET") == 0) {
			str_reset(&f->body);
			say(f, "250 2.0.0 reset\r\n");
		} else if (strcmp(l, "QUIT") == 0) {
			say(f, "221 2.0.0 bye\r\n");
			break;
		} else {
			say(f, "502 5.5.2 what?\r\n");
		}
	}
out:
	str_free(&line);
	close(f->fd);
	return NULL;
}

struct run {
	struct fake f;
	pthread_t thread;
	struct backend_smtp *conn;
};

static int
run_start(struct run *r, const char *ehlo, const struct backend_smtp_params *p, struct err *err)
{
	struct backend_smtp_params def;
	int sv[2];

	memset(r, 0, sizeof(*r));
	str_init(&r->f.log);
	str_init(&r->f.body);
	r->f.ehlo = ehlo;
	if (p == NULL) {
		backend_smtp_params_init(&def);
		def.host = "fake.test";
		def.port = "25";
		def.tls = BACKEND_SMTP_TLS_NONE;
		def.io_timeout_ms = 5000;
		p = &def;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return err_set(err, ERR_INTERNAL, "socketpair failed");
	r->f.fd = sv[1];
	if (pthread_create(&r->thread, NULL, fake_run, &r->f) != 0)
		return err_set(err, ERR_INTERNAL, "pthread_create failed");
	return backend_smtp_open_fd(p, sv[0], &r->conn, err);
}

static void
run_end(struct run *r)
{
	backend_smtp_close(&r->conn);
	pthread_join(r->thread, NULL);
	str_free(&r->f.log);
	str_free(&r->f.body);
}

static const char *const one_rcpt[] = {"bob@example.org"};

static void
msg_init(struct backend_smtp_msg *m, const char *data, const char *const *rcpts, size_t n)
{
	memset(m, 0, sizeof(*m));
	m->from = "alice@example.org";
	m->rcpts = rcpts;
	m->n_rcpts = n;
	m->data = data;
	m->len = strlen(data);
}

static int ends;

static void
count_end(void *ctx)
{
	(void)ctx;
	ends++;
}

static void
test_plain_send(void)
{
	struct run r;
	struct backend_smtp_msg m;
	struct backend_smtp_result res;
	struct err err;
	const char *msg = "From: alice@example.org\nTo: bob@example.org\nSubject: hi\n\n"
	                  "line one\n.dot line\n.\nlast";

	test_begin("a message over DATA: dot-stuffing, CRLF, SIZE, one connection for two");
	test_assert_int(run_start(&r, "250-PIPELINING\r\n250 SIZE 100000\r\n", NULL, &err), 0);
	msg_init(&m, msg, one_rcpt, 1);
	m.before_end = count_end;
	ends = 0;
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), 0);
	test_assert_int(res.status, BACKEND_SMTP_SENT);
	test_assert_int(res.code, 250);
	test_assert_int(ends, 1);
	test_assert_str(str_cstr(&r.f.body),
	                "From: alice@example.org\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\n"
	                "line one\r\n.dot line\r\n.\r\nlast\r\n");
	test_assert(strstr(str_cstr(&r.f.log), "MAIL FROM:<alice@example.org> SIZE=") != NULL);
	test_assert(strstr(str_cstr(&r.f.log), "BODY=8BITMIME") == NULL);
	/* The same connection takes the next message. */
	test_assert(backend_smtp_usable(r.conn));
	msg_init(&m, "Subject: two\n\nsecond\n", one_rcpt, 1);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), 0);
	test_assert_str(str_cstr(&r.f.body), "Subject: two\r\n\r\nsecond\r\n");
	test_assert_int(r.f.messages, 2);
	run_end(&r);
	test_end();
}

static void
test_8bit(void)
{
	struct run r;
	struct backend_smtp_msg m;
	struct backend_smtp_result res;
	struct err err;
	const char *msg =
	    "From: a@example.org\nSubject: x\nContent-Type: text/plain; "
	    "charset=utf-8\n\nA line of mostly ASCII text with one caf\xc3\xa9 in it.\n";

	test_begin("8-bit bodies: BODY=8BITMIME when offered, re-encoded when not");
	test_assert_int(run_start(&r, "250 8BITMIME\r\n", NULL, &err), 0);
	msg_init(&m, msg, one_rcpt, 1);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), 0);
	test_assert(strstr(str_cstr(&r.f.log), " BODY=8BITMIME") != NULL);
	test_assert(!res.reencoded);
	test_assert(strstr(str_cstr(&r.f.body), "caf\xc3\xa9") != NULL);
	run_end(&r);

	test_assert_int(run_start(&r, "250 PIPELINING\r\n", NULL, &err), 0);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), 0);
	test_assert(res.reencoded);
	test_assert(strstr(str_cstr(&r.f.log), "BODY=") == NULL);
	{
		const char *b = str_cstr(&r.f.body);
		bool clean = true;

		for (; *b != '\0'; b++)
			if ((unsigned char)*b >= 0x80)
				clean = false;
		test_assert(clean);
	}
	test_assert(strstr(str_cstr(&r.f.body), "caf=C3=A9") != NULL);
	test_assert(strstr(str_cstr(&r.f.body), "Content-Transfer-Encoding: quoted-printable") !=
	            NULL);
	run_end(&r);
	test_end();
}

static void
test_local_refusals(void)
{
	struct run r;
	struct backend_smtp_msg m;
	struct backend_smtp_result res;
	struct err err;
	static const char *const utf8_rcpt[] = {"j\xc3\xb6rg@example.org"};
	struct str big = STR_INIT;

	test_begin("refused before sending: SIZE, SMTPUTF8");
	test_assert_int(run_start(&r, "250-PIPELINING\r\n250 SIZE 1000\r\n", NULL, &err), 0);
	str_append(&big, "Subject: big\n\n");
	for (int i = 0; i < 100; i++)
		str_append(&big, "0123456789012345678901234567890123456789\n");
	msg_init(&m, str_cstr(&big), one_rcpt, 1);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert_int(err.kind, ERR_REJECTED);
	test_assert(strstr(err.msg, "accepts at most") != NULL);
	test_assert_int(res.status, BACKEND_SMTP_NOT_SENT);
	test_assert(!res.temporary);
	msg_init(&m, "Subject: x\n\nhi\n", utf8_rcpt, 1);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert_int(err.kind, ERR_UNSUPPORTED);
	test_assert(strstr(err.msg, "SMTPUTF8") != NULL);
	test_assert(!res.temporary);
	/* nothing reached the server, and the connection is fine */
	test_assert(strstr(str_cstr(&r.f.log), "MAIL") == NULL);
	test_assert(backend_smtp_usable(r.conn));
	msg_init(&m, "Subject: x\n\nhi\n", one_rcpt, 1);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), 0);
	run_end(&r);
	str_free(&big);
	test_end();
}

static void
test_recipients(void)
{
	struct run r;
	struct backend_smtp_msg m;
	struct backend_smtp_result res;
	struct err err;
	static const char *const rcpts[] = {"good@example.org", "bad@example.org",
	                                    "also@example.org"};
	static const char *const later[] = {"good@example.org", "later@example.org"};

	test_begin("refused recipients: nothing sent, or the rest with partial_ok");
	test_assert_int(run_start(&r, "250 PIPELINING\r\n", NULL, &err), 0);
	msg_init(&m, "Subject: x\n\nhi\n", rcpts, 3);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert_int(res.status, BACKEND_SMTP_NOT_SENT);
	test_assert(!res.temporary);
	test_assert_int(res.code, 550);
	test_assert_int(res.n_rcpts, 3);
	test_assert_int(res.n_accepted, 2);
	test_assert(!res.rcpts[1].accepted);
	test_assert_str(res.rcpts[1].addr, "bad@example.org");
	test_assert(strstr(res.rcpts[1].reply, "550 5.1.1") != NULL);
	test_assert(strstr(err.msg, "bad@example.org") != NULL);
	test_assert(strstr(err.msg, "smtp_partial_send") != NULL);
	test_assert(strstr(str_cstr(&r.f.log), "DATA") == NULL);
	test_assert(strstr(str_cstr(&r.f.log), "RSET") != NULL);
	test_assert_int(r.f.messages, 0);

	m.partial_ok = true;
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), 0);
	test_assert_int(res.status, BACKEND_SMTP_SENT);
	test_assert_int(res.n_accepted, 2);
	test_assert(strstr(err.msg, "bad@example.org") != NULL);
	test_assert_int(r.f.messages, 1);

	msg_init(&m, "Subject: x\n\nhi\n", later, 2);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert(res.temporary);
	test_assert_int(res.code, 451);
	run_end(&r);
	test_end();
}

static void
test_bdat_dsn(void)
{
	struct run r;
	struct backend_smtp_msg m;
	struct backend_smtp_result res;
	struct err err;
	const char *msg = "Subject: x\n\n.starts with a dot\n";

	test_begin("CHUNKING with PIPELINING: BDAT; DSN parameters");
	test_assert_int(run_start(&r, "250-PIPELINING\r\n250-CHUNKING\r\n250 DSN\r\n", NULL, &err),
	                0);
	msg_init(&m, msg, one_rcpt, 1);
	m.dsn_notify = SMTP_NOTIFY_FAILURE | SMTP_NOTIFY_DELAY;
	m.dsn_ret = SMTP_DSN_RET_HDRS;
	m.envid = "id@example.org";
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), 0);
	test_assert(strstr(str_cstr(&r.f.log), "BDAT ") != NULL);
	test_assert(strstr(str_cstr(&r.f.log), "DATA") == NULL);
	/* BDAT carries the bytes as they are: no dot-stuffing */
	test_assert_str(str_cstr(&r.f.body), "Subject: x\r\n\r\n.starts with a dot\r\n");
	test_assert(strstr(str_cstr(&r.f.log), " RET=HDRS ENVID=id@example.org") != NULL);
	test_assert(strstr(str_cstr(&r.f.log), "RCPT TO:<bob@example.org> NOTIFY=FAILURE,DELAY "
	                                       "ORCPT=rfc822;bob@example.org") != NULL);
	run_end(&r);
	test_end();
}

static struct str trace;

static void
trace_sink(enum log_level level, const char *line, void *ctx)
{
	(void)level;
	(void)ctx;
	str_appendf(&trace, "%s\n", line);
}

static void
test_auth_trace(void)
{
	struct run r;
	struct backend_smtp_params p;
	struct err err;

	test_begin("AUTH PLAIN: masked in the protocol trace");
	backend_smtp_params_init(&p);
	p.host = "fake.test";
	p.port = "25";
	p.tls = BACKEND_SMTP_TLS_NONE;
	p.io_timeout_ms = 5000;
	p.user = "alice";
	p.password = "very-secret-pw";
	p.allow_plaintext = true;
	str_init(&trace);
	log_set_sink(trace_sink, NULL);
	log_set_level(LOG_DEBUG);
	log_enable_channels(LOG_CH_PROTO);
	test_assert_int(run_start(&r, "250 AUTH PLAIN\r\n", &p, &err), 0);
	test_assert_str(backend_smtp_auth_mech(r.conn), "PLAIN");
	run_end(&r);
	log_enable_channels(0);
	log_set_sink(NULL, NULL);
	test_assert(strstr(str_cstr(&trace), "C: AUTH PLAIN <secret>") != NULL);
	test_assert(strstr(str_cstr(&trace), "very-secret-pw") == NULL);
	/* base64 of "\0alice\0very-secret-pw" */
	test_assert(strstr(str_cstr(&trace), "AGFsaWNlAHZlcnktc2VjcmV0LXB3") == NULL);
	test_assert(strstr(str_cstr(&trace), "S: 220 fake.test ESMTP") != NULL);
	str_free(&trace);

	/* Without TLS and without allow_plaintext, PLAIN is not used. */
	p.allow_plaintext = false;
	test_assert_int(run_start(&r, "250 AUTH PLAIN\r\n", &p, &err), -1);
	test_assert_int(err.kind, ERR_UNSUPPORTED);
	pthread_join(r.thread, NULL);
	str_free(&r.f.log);
	str_free(&r.f.body);
	test_end();
}

static void
test_lost(void)
{
	struct run r;
	struct backend_smtp_msg m;
	struct backend_smtp_result res;
	struct err err;

	test_begin("a lost connection: unknown after the end, not sent before it");
	test_assert_int(run_start(&r, "250 PIPELINING\r\n", NULL, &err), 0);
	r.f.drop_after_dot = true;
	msg_init(&m, "Subject: x\n\nhi\n", one_rcpt, 1);
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert_int(res.status, BACKEND_SMTP_UNKNOWN);
	test_assert(res.temporary);
	test_assert(strstr(err.msg, "may or may not") != NULL);
	test_assert(!backend_smtp_usable(r.conn));
	run_end(&r);

	/* Dropped after 354: a message larger than the socket buffers
	 * cannot have gone out whole before the close is seen (a small one
	 * could, and would rightly count as unknown). */
	{
		size_t big_len = 16 * 1024 * 1024;
		char *big = xmalloc(big_len + 1);
		struct backend_smtp_msg mb;

		memcpy(big, "Subject: x\n\n", 13);
		memset(big + 13, 'a', big_len - 13);
		for (size_t i = 100; i < big_len; i += 100)
			big[i] = '\n';
		big[big_len] = '\0';
		msg_init(&mb, big, one_rcpt, 1);
		test_assert_int(run_start(&r, "250 PIPELINING\r\n", NULL, &err), 0);
		r.f.drop_after_354 = true;
		test_assert_int(backend_smtp_send(r.conn, &mb, &res, &err), -1);
		test_assert_int(res.status, BACKEND_SMTP_NOT_SENT);
		test_assert(res.temporary);
		run_end(&r);
		free(big);
	}

	test_assert_int(run_start(&r, "250 PIPELINING\r\n", NULL, &err), 0);
	r.f.rcpt_421 = 1;
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert_int(res.status, BACKEND_SMTP_NOT_SENT);
	test_assert(res.temporary);
	test_assert(strstr(err.msg, "421") != NULL);
	test_assert(!backend_smtp_usable(r.conn));
	run_end(&r);

	test_assert_int(run_start(&r, "250 PIPELINING\r\n", NULL, &err), 0);
	r.f.dot_reply = "452 4.3.1 full\r\n";
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert_int(res.status, BACKEND_SMTP_NOT_SENT);
	test_assert(res.temporary);
	test_assert_int(res.code, 452);
	r.f.dot_reply = "554 5.7.1 spam\r\n";
	test_assert_int(backend_smtp_send(r.conn, &m, &res, &err), -1);
	test_assert(!res.temporary);
	test_assert_int(err.kind, ERR_REJECTED);
	test_assert(strstr(err.msg, "554 5.7.1 spam") != NULL);
	test_assert(backend_smtp_usable(r.conn));
	run_end(&r);
	test_end();
}

int
main(void)
{
	test_plain_send();
	test_8bit();
	test_local_refusals();
	test_recipients();
	test_bdat_dsn();
	test_auth_trace();
	test_lost();
	return test_done();
}
