#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/base-log.h"
#include "base/base-str.h"
#include "net-test-util.h"

void
test_params(struct net_params *params)
{
	net_params_init(params);
	params->host = "test.example";
	params->port = "143";
	params->connect_timeout_ms = 2000;
	params->io_timeout_ms = 2000;
}

struct net_conn *
test_conn_pair(const struct net_params *params, int *peer_r)
{
	struct net_conn *conn = NULL;
	struct err err;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("socketpair");
		exit(99);
	}
	if (net_conn_open_fd(params, sv[0], &conn, &err) < 0) {
		fprintf(stderr, "net_conn_open_fd: %s\n", err.msg);
		exit(99);
	}
	*peer_r = sv[1];
	return conn;
}

static void *
writer_main(void *arg)
{
	struct test_writer *w = arg;
	size_t off = 0, n;
	ssize_t r;

	w->ok = true;
	while (off < w->len) {
		if (w->split == 0)
			n = 1;
		else if (off < w->split)
			n = w->split - off;
		else
			n = w->len - off;
		r = send(w->fd, w->data + off, n, MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			w->ok = false;
			break;
		}
		off += (size_t)r;
		if ((w->split == 0 || off == w->split) && w->pause_us > 0)
			usleep((useconds_t)w->pause_us);
	}
	if (w->close_after)
		shutdown(w->fd, SHUT_WR);
	return NULL;
}

void
test_writer_start(struct test_writer *w, int fd, const void *data, size_t len, size_t split,
		  int pause_us, bool close_after)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->data = data;
	w->len = len;
	w->split = split;
	w->pause_us = pause_us;
	w->close_after = close_after;
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		perror("pthread_create");
		exit(99);
	}
}

bool
test_writer_join(struct test_writer *w)
{
	pthread_join(w->thread, NULL);
	return w->ok;
}

static struct str log_text = STR_INIT;

static void
capture_sink(enum log_level level, const char *line, void *ctx)
{
	(void)level;
	(void)ctx;
	str_append(&log_text, line);
	str_append_char(&log_text, '\n');
}

void
test_log_capture(void)
{
	str_reset(&log_text);
	str_append(&log_text, "");
	log_set_sink(capture_sink, NULL);
	log_set_level(LOG_DEBUG);
}

const char *
test_log_text(void)
{
	return str_cstr(&log_text);
}

long long
test_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
test_listen(bool v6, char *port_r, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 8) < 0) {
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	snprintf(port_r, size, "%u",
		 ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
			  : ((struct sockaddr_in *)&ss)->sin_port));
	return fd;
}
