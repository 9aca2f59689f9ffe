#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <idn2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "net/net-conn.h"
#include "net/net-internal.h"
#include "net/net-trace.h"

/* A server still sending plain text after its STARTTLS go-ahead is not
 * about to start TLS; past this much, stop draining. */
#define STARTTLS_JUNK_MAX (1024 * 1024)

/* No line may make the buffer overflow size_t arithmetic. */
#define LINE_MAX_LIMIT (SIZE_MAX / 4)

/*
 * The deadline of one operation: it moves forward each time NET_CHUNK more
 * bytes went through, so a large transfer on a slow link lives while a
 * dripping or silent server still times out.
 */
struct net_clock {
	int64_t deadline;
	size_t progress;
};

void
net_params_init(struct net_params *params)
{
	memset(params, 0, sizeof(*params));
	params->tls = NET_TLS_NONE;
	params->connect_timeout_ms = NET_CONNECT_TIMEOUT_MS_DEFAULT;
	params->io_timeout_ms = NET_IO_TIMEOUT_MS_DEFAULT;
	params->line_max = NET_LINE_MAX_DEFAULT;
	params->cancel_fd = -1;
}

int64_t
net_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The clock starts at the first wait, not at the call: most reads are
 * served from the buffer, and each would otherwise ask the time. */
static void
clock_start(struct net_conn *conn, struct net_clock *clock)
{
	(void)conn;
	clock->deadline = 0;
	clock->progress = 0;
}

static int64_t
clock_deadline(struct net_conn *conn, struct net_clock *clock)
{
	if (clock->deadline == 0)
		clock->deadline = net_now_ms() + conn->io_timeout_ms;
	return clock->deadline;
}

static void
clock_advance(struct net_conn *conn, struct net_clock *clock, size_t n)
{
	clock->progress += n;
	if (clock->progress >= NET_CHUNK)
		clock_start(conn, clock);
}

/* "30 seconds", "1 second", "0.5 seconds" */
static void
format_ms(char *buf, size_t size, int ms)
{
	if (ms == 1000)
		snprintf(buf, size, "1 second");
	else if (ms % 1000 == 0)
		snprintf(buf, size, "%d seconds", ms / 1000);
	else
		snprintf(buf, size, "%.1f seconds", ms / 1000.0);
}

int
net_err_timeout(struct net_conn *conn, struct err *err)
{
	char t[32];

	format_ms(t, sizeof(t), conn->io_timeout_ms);
	return err_set(err, ERR_TIMEOUT, "%s: the server did not answer within %s", conn->peer, t);
}

int
net_wait(struct net_conn *conn, short events, int64_t deadline, struct err *err)
{
	struct pollfd pfd[2];
	nfds_t nfds;
	int64_t left;
	int r;

	for (;;) {
		pfd[0].fd = conn->fd;
		pfd[0].events = events;
		pfd[0].revents = 0;
		nfds = 1;
		if (conn->cancel_fd >= 0) {
			pfd[1].fd = conn->cancel_fd;
			pfd[1].events = POLLIN;
			pfd[1].revents = 0;
			nfds = 2;
		}
		left = deadline - net_now_ms();
		r = poll(pfd, nfds, left > 0 ? (int)left : 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return err_sys(err, ERR_INTERNAL, errno, "%s: poll", conn->peer);
		}
		/* A closed cancel pipe (POLLHUP) cancels too: its owner is gone. */
		if (nfds == 2 && pfd[1].revents != 0)
			return err_set(err, ERR_CANCELLED, "%s: cancelled", conn->peer);
		/* Errors and hang-ups count as ready: the read or write that
		   follows reports them properly. */
		if (pfd[0].revents != 0)
			return 0;
		if (r == 0 && left <= 0)
			return net_err_timeout(conn, err);
	}
}

int
net_sock_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r, int64_t deadline,
	      struct err *err)
{
	ssize_t n;

	for (;;) {
		if (conn->sock_dry && net_wait(conn, POLLIN, deadline, err) < 0)
			return -1;
		n = recv(conn->fd, buf, cap, 0);
		if (n >= 0) {
			conn->sock_dry = (size_t)n < cap;
			*n_r = (size_t)n;
			return 0;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return err_sys(err, ERR_CONN, errno, "%s: connection lost", conn->peer);
		conn->sock_dry = true;
	}
}

int
net_sock_write(struct net_conn *conn, const void *data, size_t len, int64_t deadline,
	       struct err *err)
{
	const char *p = data;
	ssize_t n;

	while (len > 0) {
		/* MSG_NOSIGNAL: a peer that went away is an error, not SIGPIPE. */
		n = send(conn->fd, p, len, MSG_NOSIGNAL);
		if (n >= 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return err_sys(err, ERR_CONN, errno, "%s: connection lost", conn->peer);
		if (net_wait(conn, POLLOUT, deadline, err) < 0)
			return -1;
	}
	return 0;
}

int
net_transport_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r, int64_t deadline,
		   struct err *err)
{
	if (conn->tls != NULL)
		return net_tls_read(conn, buf, cap, n_r, deadline, err);
	return net_sock_read(conn, buf, cap, n_r, deadline, err);
}

int
net_transport_write(struct net_conn *conn, const void *data, size_t len, int64_t deadline,
		    struct err *err)
{
	if (conn->tls != NULL)
		return net_tls_write(conn, data, len, deadline, err);
	return net_sock_write(conn, data, len, deadline, err);
}

/* The top of the stack: decompressed bytes if COMPRESS is on. */
static int
conn_read_raw(struct net_conn *conn, void *buf, size_t cap, size_t *n_r, int64_t deadline,
	      struct err *err)
{
	if (conn->z != NULL)
		return net_compress_read(conn, buf, cap, n_r, deadline, err);
	return net_transport_read(conn, buf, cap, n_r, deadline, err);
}

static bool
has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

static struct net_conn *
conn_new(const struct net_params *params, struct err *err)
{
	struct net_conn *conn;
	char *ascii = NULL;
	int rc;

	if (params->host == NULL || params->host[0] == '\0' || params->port == NULL ||
	    params->port[0] == '\0') {
		err_set(err, ERR_USAGE, "no server host name or port given");
		return NULL;
	}
	if (has_non_ascii(params->host)) {
		rc = idn2_to_ascii_8z(params->host, &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
		if (rc != IDN2_OK) {
			err_set(err, ERR_USAGE, "%s: not a valid international domain name: %s",
				params->host, idn2_strerror(rc));
			return NULL;
		}
	}
	conn = xcalloc(1, sizeof(*conn));
	conn->host = xstrdup(params->host);
	conn->host_ascii = xstrdup(ascii != NULL ? ascii : params->host);
	idn2_free(ascii);
	conn->port = xstrdup(params->port);
	if (strchr(conn->host, ':') != NULL)
		conn->peer = xasprintf("[%s]:%s", conn->host, conn->port);
	else
		conn->peer = xasprintf("%s:%s", conn->host, conn->port);
	conn->fd = -1;
	conn->cancel_fd = params->cancel_fd;
	conn->connect_timeout_ms = params->connect_timeout_ms > 0
					   ? params->connect_timeout_ms
					   : NET_CONNECT_TIMEOUT_MS_DEFAULT;
	conn->io_timeout_ms =
		params->io_timeout_ms > 0 ? params->io_timeout_ms : NET_IO_TIMEOUT_MS_DEFAULT;
	conn->line_max = params->line_max > 0 ? params->line_max : NET_LINE_MAX_DEFAULT;
	if (conn->line_max > LINE_MAX_LIMIT)
		conn->line_max = LINE_MAX_LIMIT;
	conn->tls_mode = params->tls;
	conn->tls_ca_file = params->tls_ca_file != NULL ? xstrdup(params->tls_ca_file) : NULL;
	conn->tls_no_verify = params->tls_no_verify;
	conn->rcap = NET_CHUNK;
	conn->rbuf = xmalloc(conn->rcap);
	return conn;
}

static void
sock_setup(int fd)
{
	int one = 1;

	/* Commands are small and each waits for its answer: do not let Nagle
	   hold them back. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
}

static void
addr_string(const struct addrinfo *ai, char *buf, size_t size)
{
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, (socklen_t)size, NULL, 0,
			NI_NUMERICHOST) != 0)
		snprintf(buf, size, "?");
}

/* Connects to one address; *fatal_r says a failure must not try the next
 * one (cancelled). */
static int
connect_one(struct net_conn *conn, const struct addrinfo *ai, bool *fatal_r, struct err *err)
{
	struct err werr;
	socklen_t len;
	int fd, soerr;

	*fatal_r = false;
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return err_sys(err, ERR_CONN, errno, "%s: cannot connect", conn->peer);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		goto connected;
	if (errno != EINPROGRESS && errno != EINTR) {
		err_sys(err, ERR_CONN, errno, "%s: cannot connect", conn->peer);
		goto fail;
	}
	conn->fd = fd;
	if (net_wait(conn, POLLOUT, net_now_ms() + conn->connect_timeout_ms, &werr) < 0) {
		char t[32];

		conn->fd = -1;
		if (werr.kind == ERR_CANCELLED) {
			*fatal_r = true;
			if (err != NULL)
				*err = werr;
		} else if (werr.kind == ERR_TIMEOUT) {
			format_ms(t, sizeof(t), conn->connect_timeout_ms);
			err_set(err, ERR_TIMEOUT, "%s: cannot connect: no answer within %s",
				conn->peer, t);
		} else if (err != NULL) {
			*err = werr;
		}
		goto fail;
	}
	conn->fd = -1;
	soerr = 0;
	len = sizeof(soerr);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (soerr != 0) {
		err_sys(err, ERR_CONN, soerr, "%s: cannot connect", conn->peer);
		goto fail;
	}
connected:
	sock_setup(fd);
	conn->fd = fd;
	return 0;
fail:
	close(fd);
	return -1;
}

static int
conn_connect(struct net_conn *conn, struct err *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	char addr[INET6_ADDRSTRLEN + 16];
	bool fatal;
	int rc, tried = 0, ret = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	log_trace(LOG_CH_NET, "%s: resolving %s", conn->peer, conn->host_ascii);
	rc = getaddrinfo(conn->host_ascii, conn->port, &hints, &res);
	if (rc == EAI_SYSTEM)
		return err_sys(err, ERR_CONN, errno, "%s: cannot resolve the host name",
			       conn->peer);
	if (rc == EAI_SERVICE)
		return err_set(err, ERR_USAGE, "%s: unknown port %s", conn->peer, conn->port);
	if (rc != 0)
		return err_set(err, ERR_CONN, "%s: cannot resolve the host name: %s", conn->peer,
			       gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		tried++;
		addr_string(ai, addr, sizeof(addr));
		log_trace(LOG_CH_NET, "%s: connecting to %s", conn->peer, addr);
		if (connect_one(conn, ai, &fatal, err) == 0) {
			log_trace(LOG_CH_NET, "%s: connected to %s", conn->peer, addr);
			ret = 0;
			goto out;
		}
		if (fatal)
			goto out;
		log_trace(LOG_CH_NET, "%s", err != NULL ? err->msg : "connect failed");
	}
	if (tried > 1)
		err_prefix(err, "%s: %d addresses tried, the last said", conn->peer, tried);
out:
	freeaddrinfo(res);
	return ret;
}

static int
conn_open_finish(struct net_conn *conn, struct net_conn **conn_r, struct err *err)
{
	if (conn->tls_mode == NET_TLS_IMPLICIT && net_tls_handshake(conn, err) < 0) {
		net_conn_free(&conn);
		return -1;
	}
	*conn_r = conn;
	return 0;
}

int
net_conn_open(const struct net_params *params, struct net_conn **conn_r, struct err *err)
{
	struct net_conn *conn;

	*conn_r = NULL;
	conn = conn_new(params, err);
	if (conn == NULL)
		return -1;
	if (conn_connect(conn, err) < 0) {
		net_conn_free(&conn);
		return -1;
	}
	return conn_open_finish(conn, conn_r, err);
}

int
net_conn_open_fd(const struct net_params *params, int fd, struct net_conn **conn_r,
		 struct err *err)
{
	struct net_conn *conn;
	int flags;

	*conn_r = NULL;
	conn = conn_new(params, err);
	if (conn == NULL) {
		close(fd);
		return -1;
	}
	conn->fd = fd;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		err_sys(err, ERR_INTERNAL, errno, "%s: cannot set up the connection", conn->peer);
		net_conn_free(&conn);
		return -1;
	}
	return conn_open_finish(conn, conn_r, err);
}

void
net_conn_free(struct net_conn **connp)
{
	struct net_conn *conn = *connp;

	if (conn == NULL)
		return;
	net_compress_free(conn);
	net_tls_free(conn);
	if (conn->fd >= 0)
		close(conn->fd);
	free(conn->host);
	free(conn->host_ascii);
	free(conn->port);
	free(conn->peer);
	free(conn->tls_ca_file);
	free(conn->rbuf);
	free(conn);
	*connp = NULL;
}

static int
conn_usable(struct net_conn *conn, struct err *err)
{
	if (conn->broken)
		return err_set(err, ERR_CONN, "%s: the connection broke earlier and cannot be used",
			       conn->peer);
	return 0;
}

/* Every failure of a read or write ends here: the stream position is lost. */
static int
conn_break(struct net_conn *conn)
{
	conn->broken = true;
	return -1;
}

int
net_conn_starttls(struct net_conn *conn, struct err *err)
{
	size_t discarded;
	ssize_t n;

	if (conn_usable(conn, err) < 0)
		return -1;
	if (conn->tls != NULL || conn->z != NULL)
		return err_set(err, ERR_INTERNAL, "%s: STARTTLS on a connection already using %s",
			       conn->peer, conn->tls != NULL ? "TLS" : "COMPRESS");
	/*
	 * The server may not speak before our ClientHello, so anything here or
	 * already waiting in the socket was sent in plain text after the
	 * go-ahead: an injection (CVE-2011-0411 and its kin).  None of it may
	 * be read as if it came over TLS.
	 */
	discarded = conn->rlen - conn->rpos;
	conn->rpos = conn->rlen = 0;
	for (;;) {
		n = recv(conn->fd, conn->rbuf, conn->rcap, MSG_DONTWAIT);
		if (n > 0) {
			discarded += (size_t)n;
			if (discarded > STARTTLS_JUNK_MAX) {
				err_set(err, ERR_PROTO,
					"%s: the server kept talking in plain text after agreeing "
					"to STARTTLS",
					conn->peer);
				return conn_break(conn);
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			err_set(err, ERR_CONN,
				"%s: the server closed the connection instead of starting TLS",
				conn->peer);
			return conn_break(conn);
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		err_sys(err, ERR_CONN, errno, "%s: connection lost", conn->peer);
		return conn_break(conn);
	}
	if (discarded > 0)
		log_trace(LOG_CH_NET,
			  "%s: discarded %zu bytes the server sent in plain text before the "
			  "TLS handshake",
			  conn->peer, discarded);
	log_trace(LOG_CH_NET, "%s: starting TLS", conn->peer);
	if (net_tls_handshake(conn, err) < 0)
		return conn_break(conn);
	return 0;
}

int
net_conn_compress(struct net_conn *conn, struct err *err)
{
	if (conn_usable(conn, err) < 0)
		return -1;
	if (conn->z != NULL)
		return err_set(err, ERR_INTERNAL, "%s: COMPRESS is already on", conn->peer);
	if (net_compress_start(conn, conn->rbuf + conn->rpos, conn->rlen - conn->rpos, err) < 0)
		return conn_break(conn);
	conn->rpos = conn->rlen = 0;
	return 0;
}

/*
 * Reads more into the buffer, growing it up to limit bytes when it is full
 * of unread data.  *n_r is 0 at the end of the stream.
 */
static int
conn_fill(struct net_conn *conn, size_t limit, struct net_clock *clock, size_t *n_r,
	  struct err *err)
{
	size_t cap;

	if (conn->rpos == conn->rlen) {
		conn->rpos = conn->rlen = 0;
	} else if (conn->rlen == conn->rcap && conn->rpos > 0) {
		memmove(conn->rbuf, conn->rbuf + conn->rpos, conn->rlen - conn->rpos);
		conn->rlen -= conn->rpos;
		conn->rpos = 0;
	}
	if (conn->rlen == conn->rcap && conn->rcap < limit) {
		cap = conn->rcap * 2 < limit ? conn->rcap * 2 : limit;
		conn->rbuf = xrealloc(conn->rbuf, cap);
		conn->rcap = cap;
	}
	if (conn->rlen == conn->rcap)
		return err_set(err, ERR_INTERNAL, "%s: receive buffer full", conn->peer);
	if (conn_read_raw(conn, conn->rbuf + conn->rlen, conn->rcap - conn->rlen, n_r,
			  clock_deadline(conn, clock), err) < 0)
		return -1;
	conn->rlen += *n_r;
	clock_advance(conn, clock, *n_r);
	return 0;
}

int
net_conn_read_line(struct net_conn *conn, const char **line_r, size_t *len_r, struct err *err)
{
	struct net_clock clock;
	size_t scanned = 0, avail, len, n;
	char *start, *lf;

	if (conn_usable(conn, err) < 0)
		return -1;
	clock_start(conn, &clock);
	for (;;) {
		start = conn->rbuf + conn->rpos;
		avail = conn->rlen - conn->rpos;
		lf = memchr(start + scanned, '\n', avail - scanned);
		if (lf != NULL) {
			len = (size_t)(lf - start);
			conn->rpos += len + 1;
			if (len > 0 && start[len - 1] == '\r')
				len--;
			if (len > conn->line_max)
				break;
			start[len] = '\0';
			net_trace_received(conn->peer, start, len, conn->trace_secret);
			*line_r = start;
			*len_r = len;
			return 0;
		}
		scanned = avail;
		/* line_max bytes and a CR may still be waiting for their LF. */
		if (avail > conn->line_max + 1)
			break;
		if (conn_fill(conn, conn->line_max + 2, &clock, &n, err) < 0)
			return conn_break(conn);
		if (n == 0) {
			err_set(err, ERR_CONN, "%s: the server closed the connection%s", conn->peer,
				conn->rlen > conn->rpos ? " in the middle of a line" : "");
			return conn_break(conn);
		}
	}
	err_set(err, ERR_PROTO, "%s: the server sent a line longer than %zu bytes", conn->peer,
		conn->line_max);
	return conn_break(conn);
}

static int
err_short_read(struct net_conn *conn, size_t got, size_t len, struct err *err)
{
	return err_set(err, ERR_CONN,
		       "%s: the server closed the connection after %zu of %zu expected bytes",
		       conn->peer, got, len);
}

int
net_conn_read_exact(struct net_conn *conn, void *buf, size_t len, struct err *err)
{
	struct net_clock clock;
	char *p = buf;
	size_t got = 0, avail, n;

	if (conn_usable(conn, err) < 0)
		return -1;
	clock_start(conn, &clock);
	while (got < len) {
		avail = conn->rlen - conn->rpos;
		if (avail > 0) {
			n = avail < len - got ? avail : len - got;
			memcpy(p + got, conn->rbuf + conn->rpos, n);
			conn->rpos += n;
			got += n;
			continue;
		}
		/* Large reads go straight to the caller's buffer. */
		if (len - got >= conn->rcap) {
			if (conn_read_raw(conn, p + got, len - got, &n, clock_deadline(conn, &clock),
					  err) < 0)
				return conn_break(conn);
			got += n;
			clock_advance(conn, &clock, n);
		} else if (conn_fill(conn, conn->rcap, &clock, &n, err) < 0) {
			return conn_break(conn);
		}
		if (n == 0) {
			err_short_read(conn, got, len, err);
			return conn_break(conn);
		}
	}
	net_trace_payload(conn->peer, 'S', len);
	return 0;
}

int
net_conn_read_stream(struct net_conn *conn, size_t len, net_conn_sink_fn *sink, void *ctx,
		     struct err *err)
{
	struct net_clock clock;
	size_t got = 0, avail, n;

	if (conn_usable(conn, err) < 0)
		return -1;
	clock_start(conn, &clock);
	while (got < len) {
		avail = conn->rlen - conn->rpos;
		if (avail == 0) {
			if (conn_fill(conn, conn->rcap, &clock, &n, err) < 0)
				return conn_break(conn);
			if (n == 0) {
				err_short_read(conn, got, len, err);
				return conn_break(conn);
			}
			continue;
		}
		n = avail < len - got ? avail : len - got;
		if (n > NET_CHUNK)
			n = NET_CHUNK;
		if (sink(conn->rbuf + conn->rpos, n, ctx, err) < 0)
			return conn_break(conn);
		conn->rpos += n;
		got += n;
	}
	net_trace_payload(conn->peer, 'S', len);
	return 0;
}

int
net_conn_read_some(struct net_conn *conn, void *buf, size_t cap, size_t *len_r,
		   struct err *err)
{
	struct net_clock clock;
	size_t avail, n;

	*len_r = 0;
	if (conn_usable(conn, err) < 0)
		return -1;
	if (cap == 0)
		return 0;
	avail = conn->rlen - conn->rpos;
	if (avail > 0) {
		n = avail < cap ? avail : cap;
		memcpy(buf, conn->rbuf + conn->rpos, n);
		conn->rpos += n;
	} else {
		clock_start(conn, &clock);
		if (conn_read_raw(conn, buf, cap, &n, clock_deadline(conn, &clock), err) < 0)
			return conn_break(conn);
	}
	if (n > 0)
		net_trace_payload(conn->peer, 'S', n);
	*len_r = n;
	return 0;
}

int
net_conn_wait_readable(struct net_conn *conn, int fd, int timeout_ms, struct err *err)
{
	int64_t end = timeout_ms >= 0 ? net_now_ms() + timeout_ms : -1;
	struct pollfd pfd[2];
	struct net_clock clock;
	struct err rerr;
	size_t n;
	int r;

	if (conn_usable(conn, err) < 0)
		return -1;
	for (;;) {
		if (conn->rlen > conn->rpos)
			return 1;
		/*
		 * A read that may not wait: TLS and DEFLATE keep bytes the socket
		 * no longer shows, and only reading finds them.  Running out of
		 * time at once (ERR_TIMEOUT) means nothing is there yet; no layer
		 * loses what it has read so far.
		 */
		clock.deadline = net_now_ms();
		clock.progress = 0;
		if (conn_fill(conn, conn->rcap, &clock, &n, &rerr) == 0)
			return 1; /* bytes, or the end of the stream */
		if (rerr.kind != ERR_TIMEOUT) {
			if (err != NULL)
				*err = rerr;
			return conn_break(conn);
		}
		pfd[0].fd = conn->fd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = fd;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		for (;;) {
			int64_t left = end < 0 ? -1 : end - net_now_ms();

			r = poll(pfd, fd >= 0 ? 2 : 1, left < 0 ? (end < 0 ? -1 : 0) : (int)left);
			if (r >= 0 || errno != EINTR)
				break;
		}
		if (r < 0)
			return err_sys(err, ERR_INTERNAL, errno, "%s: poll", conn->peer);
		if (fd >= 0 && pfd[1].revents != 0)
			return 0;
		if (pfd[0].revents == 0)
			return 0; /* the time is up */
	}
}

static int
conn_write(struct net_conn *conn, const void *data, size_t len, struct err *err)
{
	const char *p = data;
	int64_t deadline;
	size_t n;
	int rc;

	if (conn_usable(conn, err) < 0)
		return -1;
	while (len > 0) {
		n = len < NET_CHUNK ? len : NET_CHUNK;
		deadline = net_now_ms() + conn->io_timeout_ms;
		if (conn->z != NULL)
			rc = net_compress_write(conn, p, n, n == len, deadline, err);
		else
			rc = net_transport_write(conn, p, n, deadline, err);
		if (rc < 0)
			return conn_break(conn);
		p += n;
		len -= n;
	}
	return 0;
}

int
net_conn_write(struct net_conn *conn, const void *data, size_t len, struct err *err)
{
	if (conn->trace_secret)
		return net_conn_write_secret(conn, data, len, 0, err);
	net_trace_sent(conn->peer, data, len);
	return conn_write(conn, data, len, err);
}

int
net_conn_write_secret(struct net_conn *conn, const void *data, size_t len, size_t public_len,
		      struct err *err)
{
	net_trace_sent_secret(conn->peer, data, public_len < len ? public_len : len);
	return conn_write(conn, data, len, err);
}

int
net_conn_write_data(struct net_conn *conn, const void *data, size_t len, struct err *err)
{
	net_trace_payload(conn->peer, 'C', len);
	return conn_write(conn, data, len, err);
}

void
net_conn_set_trace_secret(struct net_conn *conn, bool on)
{
	conn->trace_secret = on;
}

void
net_conn_set_cancel_fd(struct net_conn *conn, int fd)
{
	conn->cancel_fd = fd;
}

const char *
net_conn_peer(const struct net_conn *conn)
{
	return conn->peer;
}

const char *
net_conn_host(const struct net_conn *conn)
{
	return conn->host;
}

bool
net_conn_is_tls(const struct net_conn *conn)
{
	return conn->tls != NULL;
}

bool
net_conn_is_compressed(const struct net_conn *conn)
{
	return conn->z != NULL;
}

const char *
net_conn_tls_version(const struct net_conn *conn)
{
	return conn->tls != NULL ? net_tls_version(conn) : NULL;
}
