/*
 * net-internal: what the parts of a connection share inside src/net.
 * Not for use outside src/net.
 *
 * A connection is a stack: the socket, then TLS (net-tls.c) if on, then
 * DEFLATE (net-compress.c) if on, then the receive buffer that lines and
 * exact reads come from (net-conn.c).  Each layer reads and writes through
 * the one below it with the same deadline.
 */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"
#include "net/net-conn.h"

struct net_tls;
struct net_compress;

struct net_conn {
	char *host;       /* as given */
	char *host_ascii; /* IDNA A-label form, for DNS, SNI and verification */
	char *port;
	char *peer;       /* "host:port" for messages and the trace */
	int fd;
	int cancel_fd;
	int connect_timeout_ms;
	int io_timeout_ms;
	size_t line_max;
	enum net_tls_mode tls_mode;
	char *tls_ca_file;
	bool tls_no_verify;
	bool broken;
	bool trace_secret;
	/* The last recv() took all the socket had: the next one waits first
	 * rather than be answered "try again". */
	bool sock_dry;

	/* Plain text received and not yet read: rbuf[rpos, rlen). */
	char *rbuf;
	size_t rcap;
	size_t rpos;
	size_t rlen;

	struct net_tls *tls;
	struct net_compress *z;
};

/* Milliseconds on the monotonic clock. */
int64_t net_now_ms(void);
/* Waits until fd is ready for events (POLLIN or POLLOUT), the cancel
 * descriptor is readable (ERR_CANCELLED) or deadline passes (ERR_TIMEOUT).
 * Returns 0 when ready. */
int net_wait(struct net_conn *conn, short events, int64_t deadline, struct err *err);
/* ERR_TIMEOUT naming the server and the timeout. */
int net_err_timeout(struct net_conn *conn, struct err *err);

/* The socket layer: one recv() of at most cap bytes (*n_r == 0 at end of
 * stream), and send() until all is written. */
int net_sock_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r, int64_t deadline,
		  struct err *err);
int net_sock_write(struct net_conn *conn, const void *data, size_t len, int64_t deadline,
		   struct err *err);

/* The transport below DEFLATE: TLS when on, else the socket. */
int net_transport_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r,
		       int64_t deadline, struct err *err);
int net_transport_write(struct net_conn *conn, const void *data, size_t len, int64_t deadline,
			struct err *err);

/* net-tls.c */
int net_tls_handshake(struct net_conn *conn, struct err *err);
int net_tls_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r, int64_t deadline,
		 struct err *err);
int net_tls_write(struct net_conn *conn, const void *data, size_t len, int64_t deadline,
		  struct err *err);
/* Sends close_notify if the socket takes it at once, and frees. */
void net_tls_free(struct net_conn *conn);
const char *net_tls_version(const struct net_conn *conn);

/* net-compress.c: start with the bytes already received after the
 * server's go-ahead (compressed). */
int net_compress_start(struct net_conn *conn, const void *pending, size_t len, struct err *err);
/* Decompresses into buf: at least one byte unless *n_r == 0 (end). */
int net_compress_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r,
		      int64_t deadline, struct err *err);
/* flush: end the write with Z_SYNC_FLUSH, so the server can decode all of it. */
int net_compress_write(struct net_conn *conn, const void *data, size_t len, bool flush,
		       int64_t deadline, struct err *err);
void net_compress_free(struct net_conn *conn);

#endif
