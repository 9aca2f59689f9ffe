/*
 * net-test-util: what the net unit tests share: a connection over a
 * socketpair with the test as the server, a writer thread that plays the
 * server's bytes with pauses, and a log sink that keeps every line.
 */
#ifndef NET_TEST_UTIL_H
#define NET_TEST_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "net/net-conn.h"

/* A connection on one end of a socketpair; *peer_r is the other end. */
struct net_conn *test_conn_pair(const struct net_params *params, int *peer_r);
/* Params for a test peer: host "test.example", port "143", short timeouts. */
void test_params(struct net_params *params);

/* Writes data to fd from a thread: first split bytes, a pause, the rest;
 * with split == 0, one byte at a time with a pause after each. */
struct test_writer {
	pthread_t thread;
	int fd;
	const char *data;
	size_t len;
	size_t split;
	int pause_us;
	bool close_after;
	bool ok;
};
void test_writer_start(struct test_writer *w, int fd, const void *data, size_t len, size_t split,
		       int pause_us, bool close_after);
/* Joins; returns whether all was written. */
bool test_writer_join(struct test_writer *w);

/* Keeps log lines from now on (all levels, all channels). */
void test_log_capture(void);
/* The lines logged since the last test_log_capture(), joined by '\n'. */
const char *test_log_text(void);
/* Milliseconds since some point, for bounds on waits. */
long long test_now_ms(void);
/* A listening TCP socket on 127.0.0.1 (or ::1 with v6) on a free port,
 * whose number goes to port_r. */
int test_listen(bool v6, char *port_r, size_t size);

#endif
