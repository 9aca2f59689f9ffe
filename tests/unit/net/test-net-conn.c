#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/base-log.h"
#include "net-test-util.h"
#include "net/net-conn.h"
#include "net/net-internal.h"
#include "test-common.h"

static const char script[] = "* OK ready\r\n"
			     "a1 OK [CAPABILITY IMAP4rev1] done\r\n"
			     "bare lf\n"
			     "\r\n"
			     "* 1 FETCH (BODY[] {10}\r\n"
			     "0123456789)\r\n"
			     "with\0nul\r\n"
			     "0123456789abcdef0123456789abcdef01234567\r\n"; /* line_max */

/* Reads the script above and checks every piece; returns the failures. */
static int
read_script(struct net_conn *conn)
{
	static const char *const lines[] = {"* OK ready", "a1 OK [CAPABILITY IMAP4rev1] done",
					    "bare lf", "", "* 1 FETCH (BODY[] {10}"};
	const char *line;
	char lit[11];
	struct err err;
	size_t len;
	int bad = 0;

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (net_conn_read_line(conn, &line, &len, &err) < 0 ||
		    strcmp(line, lines[i]) != 0 || len != strlen(lines[i]))
			bad++;
	}
	if (net_conn_read_exact(conn, lit, 10, &err) < 0 || memcmp(lit, "0123456789", 10) != 0)
		bad++;
	if (net_conn_read_line(conn, &line, &len, &err) < 0 || strcmp(line, ")") != 0)
		bad++;
	if (net_conn_read_line(conn, &line, &len, &err) < 0 || len != 8 ||
	    memcmp(line, "with\0nul", 8) != 0)
		bad++;
	if (net_conn_read_line(conn, &line, &len, &err) < 0 || len != 40)
		bad++;
	if (net_conn_read_line(conn, &line, &len, &err) == 0 || err.kind != ERR_CONN)
		bad++;
	return bad;
}

static void
test_lines_split_everywhere(void)
{
	struct net_params params;
	struct test_writer w;
	struct net_conn *conn;
	size_t len = sizeof(script) - 1;
	int peer, bad = 0;

	test_begin("lines and literals, split at every byte");
	test_params(&params);
	params.line_max = 40;
	for (size_t split = 1; split < len; split++) {
		conn = test_conn_pair(&params, &peer);
		test_writer_start(&w, peer, script, len, split, 2000, true);
		bad += read_script(conn);
		test_writer_join(&w);
		net_conn_free(&conn);
		close(peer);
	}
	test_assert_int(bad, 0);

	conn = test_conn_pair(&params, &peer);
	test_writer_start(&w, peer, script, len, 0, 300, true);
	test_assert_int(read_script(conn), 0);
	test_writer_join(&w);
	net_conn_free(&conn);
	close(peer);
	test_end();
}

static void
test_line_max(void)
{
	struct net_params params;
	struct net_conn *conn;
	const char *line;
	struct err err;
	size_t len;
	int peer;

	test_begin("a line over line_max fails and breaks the connection");
	test_params(&params);
	params.line_max = 16;
	conn = test_conn_pair(&params, &peer);
	test_assert(write(peer, "0123456789abcdefX\r\n* OK\r\n", 25) == 25);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert_str(err.msg, "test.example:143: the server sent a line longer than 16 bytes");
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	test_assert_int(err.kind, ERR_CONN);
	net_conn_free(&conn);
	close(peer);
	test_end();
}

/* Sends 'A's until the other side goes away or limit bytes went out. */
struct flood {
	pthread_t thread;
	int fd;
	size_t limit;
	size_t sent;
};

static void *
flood_main(void *arg)
{
	struct flood *f = arg;
	char buf[65536];
	ssize_t n;

	memset(buf, 'A', sizeof(buf));
	while (f->sent < f->limit) {
		n = send(f->fd, buf, sizeof(buf), MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		f->sent += (size_t)n;
	}
	return NULL;
}

static void
test_endless_line(void)
{
	struct net_params params;
	struct net_conn *conn;
	struct flood f = {0};
	const char *line;
	struct err err;
	size_t len;
	int peer;

	test_begin("an endless line ends in an error, with bounded memory");
	test_params(&params);
	params.line_max = 100000;
	conn = test_conn_pair(&params, &peer);
	f.fd = peer;
	f.limit = (size_t)256 << 20;
	pthread_create(&f.thread, NULL, flood_main, &f);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert(conn->rcap <= params.line_max + 2);
	net_conn_free(&conn);
	pthread_join(f.thread, NULL);
	test_assert(f.sent < (size_t)64 << 20);
	close(peer);
	test_end();
}

struct sink_state {
	size_t total;
	size_t max_piece;
	unsigned sum;
};

static int
sum_sink(const void *data, size_t len, void *ctx, struct err *err)
{
	struct sink_state *s = ctx;
	const unsigned char *p = data;

	(void)err;
	for (size_t i = 0; i < len; i++)
		s->sum = s->sum * 31 + p[i];
	s->total += len;
	if (len > s->max_piece)
		s->max_piece = len;
	return 0;
}

static void
test_exact_and_stream(void)
{
	struct net_params params;
	struct test_writer w;
	struct net_conn *conn;
	struct sink_state st = {0};
	size_t big = 3 * 1000 * 1000 + 7, n;
	unsigned want = 0;
	char *data, *got;
	struct err err;
	int peer;

	test_begin("exact reads and streamed reads of megabytes");
	data = malloc(big * 2);
	for (size_t i = 0; i < big * 2; i++)
		data[i] = (char)(i * 7 + i / 1000);
	for (size_t i = big; i < big * 2; i++)
		want = want * 31 + (unsigned char)data[i];
	test_params(&params);
	conn = test_conn_pair(&params, &peer);
	test_writer_start(&w, peer, data, big * 2, 1000, 1000, true);
	got = malloc(big);
	test_assert_int(net_conn_read_exact(conn, got, big, &err), 0);
	test_assert(memcmp(got, data, big) == 0);
	test_assert_int(net_conn_read_stream(conn, big, sum_sink, &st, &err), 0);
	test_assert_int(st.total, big);
	test_assert(st.max_piece <= NET_CHUNK);
	test_assert_int(st.sum, want);
	test_assert_int(net_conn_read_some(conn, got, 10, &n, &err), 0);
	test_assert_int(n, 0);
	test_assert(test_writer_join(&w));
	net_conn_free(&conn);
	close(peer);

	conn = test_conn_pair(&params, &peer);
	test_assert(write(peer, "abc", 3) == 3);
	close(peer);
	test_assert_int(net_conn_read_exact(conn, got, 10, &err), -1);
	test_assert_int(err.kind, ERR_CONN);
	test_assert_str(err.msg, "test.example:143: the server closed the connection after 3 "
				 "of 10 expected bytes");
	net_conn_free(&conn);
	free(got);
	free(data);
	test_end();
}

static void
test_timeouts(void)
{
	struct net_params params;
	struct test_writer w;
	struct net_conn *conn;
	static const char drip[] = "* OK this greeting drips one byte at a time\r\n";
	const char *line;
	struct err err;
	long long t0, dt;
	size_t len;
	int peer;

	test_begin("a silent server times out within the bound");
	test_params(&params);
	params.io_timeout_ms = 300;
	conn = test_conn_pair(&params, &peer);
	t0 = test_now_ms();
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	dt = test_now_ms() - t0;
	test_assert_int(err.kind, ERR_TIMEOUT);
	test_assert_str(err.msg, "test.example:143: the server did not answer within 0.3 seconds");
	test_assert(dt >= 290 && dt < 3000);
	net_conn_free(&conn);
	close(peer);
	test_end();

	test_begin("a dripping server times out: a line must arrive whole");
	conn = test_conn_pair(&params, &peer);
	test_writer_start(&w, peer, drip, sizeof(drip) - 1, 0, 50000, false);
	t0 = test_now_ms();
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	dt = test_now_ms() - t0;
	test_assert_int(err.kind, ERR_TIMEOUT);
	test_assert(dt >= 290 && dt < 1500);
	net_conn_free(&conn);
	shutdown(peer, SHUT_RDWR);
	test_writer_join(&w);
	close(peer);
	test_end();

	test_begin("a server that does not read makes a write time out");
	params.io_timeout_ms = 300;
	conn = test_conn_pair(&params, &peer);
	{
		size_t big = 16 << 20;
		char *data = calloc(1, big);

		t0 = test_now_ms();
		test_assert_int(net_conn_write_data(conn, data, big, &err), -1);
		dt = test_now_ms() - t0;
		test_assert_int(err.kind, ERR_TIMEOUT);
		test_assert(dt >= 290 && dt < 3000);
		free(data);
	}
	net_conn_free(&conn);
	close(peer);
	test_end();
}

struct canceller {
	pthread_t thread;
	int fd;
	int delay_ms;
};

static void *
cancel_main(void *arg)
{
	struct canceller *c = arg;

	usleep((useconds_t)c->delay_ms * 1000);
	if (write(c->fd, "x", 1) != 1)
		abort();
	return NULL;
}

static void
test_cancel(void)
{
	struct net_params params;
	struct canceller c;
	struct net_conn *conn;
	const char *line;
	struct err err;
	long long t0, dt;
	size_t len;
	int peer, pfd[2];

	test_begin("a readable cancel fd interrupts a read");
	test_assert_int(pipe(pfd), 0);
	test_params(&params);
	params.io_timeout_ms = 20000;
	params.cancel_fd = pfd[0];
	conn = test_conn_pair(&params, &peer);
	c.fd = pfd[1];
	c.delay_ms = 100;
	pthread_create(&c.thread, NULL, cancel_main, &c);
	t0 = test_now_ms();
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), -1);
	dt = test_now_ms() - t0;
	pthread_join(c.thread, NULL);
	test_assert_int(err.kind, ERR_CANCELLED);
	test_assert_str(err.msg, "test.example:143: cancelled");
	test_assert(dt >= 90 && dt < 5000);
	net_conn_free(&conn);
	close(peer);
	test_end();

	test_begin("cancel interrupts a blocked write; a new cancel fd can be set");
	{
		char drain;
		size_t big = 16 << 20;
		char *data = calloc(1, big);

		test_assert(read(pfd[0], &drain, 1) == 1);
		conn = test_conn_pair(&params, &peer);
		net_conn_set_cancel_fd(conn, -1);
		test_assert(write(pfd[1], "x", 1) == 1);
		/* Not watched any more: the data is there, so this works. */
		test_assert(write(peer, "* OK\r\n", 6) == 6);
		test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
		net_conn_set_cancel_fd(conn, pfd[0]);
		t0 = test_now_ms();
		test_assert_int(net_conn_write_data(conn, data, big, &err), -1);
		test_assert_int(err.kind, ERR_CANCELLED);
		test_assert(test_now_ms() - t0 < 5000);
		free(data);
	}
	net_conn_free(&conn);
	close(peer);
	close(pfd[0]);
	close(pfd[1]);
	test_end();
}

static void *
accept_main(void *arg)
{
	int *fds = arg;
	int fd = accept(fds[0], NULL, NULL);

	if (fd >= 0) {
		if (write(fd, "* OK hello\r\n", 12) != 12)
			abort();
		fds[1] = fd;
	}
	return NULL;
}

static void
test_connect(void)
{
	struct net_params params;
	struct net_conn *conn = NULL;
	const char *line;
	struct err err;
	pthread_t th;
	char port[16], want[64];
	size_t len;
	int fds[2];

	test_begin("connect by address and by name, IPv4 and IPv6");
	for (int v6 = 0; v6 <= 1; v6++) {
		for (int byname = 0; byname <= !v6; byname++) {
			fds[0] = test_listen(v6, port, sizeof(port));
			fds[1] = -1;
			test_assert(fds[0] >= 0);
			pthread_create(&th, NULL, accept_main, fds);
			test_params(&params);
			params.host = byname ? "localhost" : v6 ? "::1" : "127.0.0.1";
			params.port = port;
			test_assert_int(net_conn_open(&params, &conn, &err), 0);
			pthread_join(th, NULL);
			snprintf(want, sizeof(want), v6 ? "[%s]:%s" : "%s:%s", params.host, port);
			test_assert_str(net_conn_peer(conn), want);
			test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
			test_assert_str(line, "* OK hello");
			test_assert(!net_conn_is_tls(conn));
			net_conn_free(&conn);
			close(fds[0]);
			close(fds[1]);
		}
	}
	test_end();

	test_begin("a refused connect names the server");
	fds[0] = test_listen(false, port, sizeof(port));
	close(fds[0]);
	test_params(&params);
	params.host = "127.0.0.1";
	params.port = port;
	test_assert_int(net_conn_open(&params, &conn, &err), -1);
	test_assert(conn == NULL);
	test_assert_int(err.kind, ERR_CONN);
	snprintf(want, sizeof(want), "127.0.0.1:%s: cannot connect: Connection refused", port);
	test_assert_str(err.msg, want);
	test_end();

	test_begin("a server that never accepts: connect timeout, and cancel");
	{
		struct sockaddr_in sin;
		socklen_t slen = sizeof(sin);
		int lfd = test_listen(false, port, sizeof(port)), filler[6], pfd[2];
		long long t0, dt;

		/* With the accept queue full, further SYNs go unanswered. */
		listen(lfd, 0);
		getsockname(lfd, (struct sockaddr *)&sin, &slen);
		for (int i = 0; i < 6; i++) {
			filler[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
			(void)connect(filler[i], (struct sockaddr *)&sin, slen);
		}
		usleep(100000);
		params.connect_timeout_ms = 300;
		t0 = test_now_ms();
		test_assert_int(net_conn_open(&params, &conn, &err), -1);
		dt = test_now_ms() - t0;
		test_assert_int(err.kind, ERR_TIMEOUT);
		snprintf(want, sizeof(want),
			 "127.0.0.1:%s: cannot connect: no answer within 0.3 seconds", port);
		test_assert_str(err.msg, want);
		test_assert(dt >= 290 && dt < 3000);

		test_assert_int(pipe(pfd), 0);
		test_assert(write(pfd[1], "x", 1) == 1);
		params.connect_timeout_ms = 20000;
		params.cancel_fd = pfd[0];
		t0 = test_now_ms();
		test_assert_int(net_conn_open(&params, &conn, &err), -1);
		test_assert_int(err.kind, ERR_CANCELLED);
		test_assert(test_now_ms() - t0 < 3000);
		params.cancel_fd = -1;
		close(pfd[0]);
		close(pfd[1]);
		for (int i = 0; i < 6; i++)
			close(filler[i]);
		close(lfd);
	}
	test_end();

	test_begin("bad params");
	params.port = "no-such-service-name";
	test_assert_int(net_conn_open(&params, &conn, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	params.host = NULL;
	test_assert_int(net_conn_open(&params, &conn, &err), -1);
	test_assert_int(err.kind, ERR_USAGE);
	test_end();
}

static void
test_idn(void)
{
	struct net_params params;
	struct net_conn *conn;
	int peer;

	test_begin("international host names become A-labels");
	test_params(&params);
	params.host = "b\xc3\xbc" "cher.example";
	conn = test_conn_pair(&params, &peer);
	test_assert_str(conn->host_ascii, "xn--bcher-kva.example");
	test_assert_str(net_conn_host(conn), params.host);
	net_conn_free(&conn);
	close(peer);
	test_end();
}

static void
test_write(void)
{
	struct net_params params;
	struct net_conn *conn;
	struct err err;
	char buf[64];
	size_t got = 0;
	ssize_t n;
	int peer;

	test_begin("writes arrive whole; a closed peer is an error, not SIGPIPE");
	test_params(&params);
	conn = test_conn_pair(&params, &peer);
	test_assert_int(net_conn_write(conn, "a1 NOOP\r\n", 9, &err), 0);
	test_assert_int(net_conn_write_secret(conn, "a2 LOGIN u p\r\n", 14, 11, &err), 0);
	while (got < 23 && (n = read(peer, buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)n;
	test_assert_int(got, 23);
	test_assert(memcmp(buf, "a1 NOOP\r\na2 LOGIN u p\r\n", 23) == 0);
	close(peer);
	/* The first write may still land in the socket buffer of a closing
	   peer; the next one fails. */
	(void)net_conn_write(conn, "x\r\n", 3, &err);
	test_assert_int(net_conn_write(conn, "x\r\n", 3, &err), -1);
	test_assert_int(err.kind, ERR_CONN);
	net_conn_free(&conn);
	test_end();
}

int
main(void)
{
	/* A SIGPIPE would kill the test: net must never raise it. */
	signal(SIGPIPE, SIG_DFL);
	test_lines_split_everywhere();
	test_line_max();
	test_endless_line();
	test_exact_and_stream();
	test_timeouts();
	test_cancel();
	test_connect();
	test_idn();
	test_write();
	return test_done();
}
