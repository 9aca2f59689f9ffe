#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base-log.h"
#include "net-test-util.h"
#include "net/net-conn.h"
#include "net/net-trace.h"
#include "test-common.h"

static void
drain(int fd, size_t n)
{
	char buf[4096];
	ssize_t r;

	while (n > 0 && (r = read(fd, buf, n < sizeof(buf) ? n : sizeof(buf))) > 0)
		n -= (size_t)r;
}

static void
test_conn_trace(void)
{
	static const char login[] = "a1 LOGIN alice \"pencil-secret\"\r\n";
	static const char auth[] = "a2 AUTHENTICATE SCRAM-SHA-1 biwsbj1hbGljZQ==\r\n";
	static const char server[] = "* OK [CAPABILITY IMAP4rev1] ready\r\n"
				     "+ cj1mYWtlLHM9c2FsdCxpPTQwOTY=\r\n"
				     "a2 OK [CAPABILITY IMAP4rev1] Logged in\r\n"
				     "* 1 FETCH (BODY[] {12}\r\n"
				     "hello world!)\r\n"
				     "* BAD \033]0;pwn\007\r\n";
	struct net_params params;
	struct net_conn *conn;
	const char *line, *log;
	char lit[12];
	struct err err;
	size_t len;
	int peer;

	test_begin("the trace shows lines, masks secrets, counts payloads");
	test_log_capture();
	test_params(&params);
	conn = test_conn_pair(&params, &peer);
	test_assert(write(peer, server, sizeof(server) - 1) == (ssize_t)sizeof(server) - 1);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_int(net_conn_write(conn, "a0 CAPABILITY\r\na1 NOOP\r\n", 24, &err), 0);
	test_assert_int(net_conn_write_secret(conn, login, sizeof(login) - 1, 15, &err), 0);

	net_conn_set_trace_secret(conn, true);
	test_assert_int(net_conn_write_secret(conn, auth, sizeof(auth) - 1, 28, &err), 0);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_int(net_conn_write(conn, "Yz1iaXdzLHI9ZmFrZSxwPXByb29m\r\n", 30, &err), 0);
	test_assert_int(net_conn_write(conn, "\r\n", 2, &err), 0);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	net_conn_set_trace_secret(conn, false);

	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_int(net_conn_read_exact(conn, lit, 12, &err), 0);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_int(net_conn_write(conn, "a3 APPEND INBOX {5}\r\n", 21, &err), 0);
	test_assert_int(net_conn_write_data(conn, "Hi!\r\n", 5, &err), 0);
	drain(peer, 24 + sizeof(login) - 1 + 46 + 30 + 2 + 21 + 5);

	log = test_log_text();
	test_assert_str(log, "test.example:143 S: * OK [CAPABILITY IMAP4rev1] ready\n"
			     "test.example:143 C: a0 CAPABILITY\n"
			     "test.example:143 C: a1 NOOP\n"
			     "test.example:143 C: a1 LOGIN alice <secret>\n"
			     "test.example:143 C: a2 AUTHENTICATE SCRAM-SHA-1 <secret>\n"
			     "test.example:143 S: + <secret>\n"
			     "test.example:143 C: <secret>\n"
			     "test.example:143 C: <secret>\n"
			     "test.example:143 S: a2 <secret>\n"
			     "test.example:143 S: * 1 FETCH (BODY[] {12}\n"
			     "test.example:143 S: <12 bytes>\n"
			     "test.example:143 S: )\n"
			     "test.example:143 S: * BAD \\x1b]0;pwn\\x07\n"
			     "test.example:143 C: a3 APPEND INBOX {5}\n"
			     "test.example:143 C: <5 bytes>\n");
	test_assert(strstr(log, "pencil") == NULL);
	test_assert(strstr(log, "biwsbj1hbGljZQ") == NULL);
	test_assert(strstr(log, "cj1mYWtl") == NULL);
	test_assert(strstr(log, "Yz1iaXdz") == NULL);
	test_assert(strstr(log, "hello") == NULL);
	net_conn_free(&conn);
	close(peer);
	test_end();

}

/* Runs first: channels can be turned on, not off. */
static void
test_channel_off(void)
{
	test_begin("nothing is traced with the channel off");
	test_log_capture();
	log_enable_channels(LOG_CH_NET);
	net_trace_sent("h:1", "a1 NOOP\r\n", 9);
	net_trace_received("h:1", "* OK", 4, false);
	net_trace_payload("h:1", 'S', 4);
	test_assert_str(test_log_text(), "");
	log_enable_channels(LOG_CH_PROTO);
	net_trace_received("h:1", "* OK", 4, false);
	test_assert_str(test_log_text(), "h:1 S: * OK\n");
	test_end();
}

static void
test_long_lines(void)
{
	char *big = malloc(100000);
	const char *log;

	test_begin("long lines are cut in the trace");
	memset(big, 'x', 100000);
	test_log_capture();
	net_trace_received("h:1", big, 100000, false);
	log = test_log_text();
	test_assert(strlen(log) < 1100);
	test_assert(strstr(log, "... (100000 bytes)\n") != NULL);
	memset(big, '\001', 100000);
	test_log_capture();
	net_trace_sent("h:1", big, 100000);
	test_assert(strlen(test_log_text()) < 2200);
	test_log_capture();
	net_trace_sent_secret("h:1", "", 0);
	net_trace_received("h:1", "secret-without-space", 20, true);
	test_assert_str(test_log_text(), "h:1 C: <secret>\nh:1 S: <secret>\n");
	free(big);
	test_end();
}

int
main(void)
{
	test_channel_off();
	test_conn_trace();
	test_long_lines();
	log_set_sink(NULL, NULL);
	return test_done();
}
