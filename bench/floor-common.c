/* The shared part of the raw benchmark clients; see floor-common.h. */
#define _GNU_SOURCE
#include "floor-common.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

const char floor_common_usage[] =
    "  -h, --host HOST         server (default 127.0.0.1)\n"
    "  -p, --port PORT         server port\n"
    "  -T, --tls               TLS from the start (imaps, pop3s, smtps)\n"
    "  -S, --starttls          STARTTLS / STLS after the greeting\n"
    "  -P, --plain             no TLS (the default)\n"
    "  -C, --ca FILE           trust the CAs in this PEM file (default: the system's)\n"
    "  -V, --verify-name NAME  the name or IP address the certificate must carry\n"
    "                          (default: HOST)\n"
    "  -u, --user USER         login name\n"
    "  -w, --pass PASSWORD     password\n";

double
floor_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
floor_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", program_invocation_short_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

int
floor_common_opt(struct floor_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case 'h':
		o->host = arg;
		return 1;
	case 'p':
		o->port = arg;
		return 1;
	case 'T':
		o->tls = FLOOR_TLS_IMPLICIT;
		return 1;
	case 'S':
		o->tls = FLOOR_TLS_STARTTLS;
		return 1;
	case 'P':
		o->tls = FLOOR_TLS_NONE;
		return 1;
	case 'C':
		o->ca = arg;
		return 1;
	case 'V':
		o->verify_name = arg;
		return 1;
	case 'u':
		o->user = arg;
		return 1;
	case 'w':
		o->pass = arg;
		return 1;
	default:
		return 0;
	}
}

void
floor_common_check(const struct floor_opts *o, int need_login)
{
	if (o->host == NULL)
		floor_die("no --host");
	if (o->port == NULL)
		floor_die("no --port");
	if (need_login && (o->user == NULL || o->pass == NULL))
		floor_die("--user and --pass are needed");
}

static void
tls_die(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	ERR_error_string_n(e, buf, sizeof(buf));
	floor_die("%s: %s", what, e ? buf : "failed");
}

void
floor_tls_start(struct floor_conn *c, const struct floor_opts *o)
{
	const char *name = o->verify_name ? o->verify_name : o->host;
	unsigned char addr[16];
	int is_ip;

	if (c->end != c->start)
		floor_die("the server sent data before the TLS handshake");
	c->ctx = SSL_CTX_new(TLS_client_method());
	if (c->ctx == NULL)
		tls_die("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(c->ctx, TLS1_2_VERSION);
	if (o->ca != NULL) {
		if (SSL_CTX_load_verify_locations(c->ctx, o->ca, NULL) != 1)
			tls_die(o->ca);
	} else if (SSL_CTX_set_default_verify_paths(c->ctx) != 1) {
		tls_die("the system's CA certificates");
	}
	SSL_CTX_set_verify(c->ctx, SSL_VERIFY_PEER, NULL);
	/* Read as much as the socket has, up to our buffer's size, in one
	 * system call instead of one call per 16 KB record. */
	SSL_CTX_set_read_ahead(c->ctx, 1);
	SSL_CTX_set_default_read_buffer_len(c->ctx, FLOOR_BUF_SIZE);
	c->ssl = SSL_new(c->ctx);
	if (c->ssl == NULL)
		tls_die("SSL_new");
	is_ip = inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1;
	if (is_ip) {
		if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), name) != 1)
			tls_die("X509_VERIFY_PARAM_set1_ip_asc");
	} else {
		SSL_set_tlsext_host_name(c->ssl, name);
		if (SSL_set1_host(c->ssl, name) != 1)
			tls_die("SSL_set1_host");
	}
	SSL_set_fd(c->ssl, c->fd);
	if (SSL_connect(c->ssl) != 1) {
		long v = SSL_get_verify_result(c->ssl);

		if (v != X509_V_OK)
			floor_die("certificate of %s: %s", name, X509_verify_cert_error_string(v));
		tls_die("TLS handshake");
	}
}

void
floor_connect(struct floor_conn *c, const struct floor_opts *o)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1, one = 1, rc;

	memset(c, 0, offsetof(struct floor_conn, buf));
	c->fd = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(o->host, o->port, &hints, &res);
	if (rc != 0)
		floor_die("%s: %s", o->host, gai_strerror(rc));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		floor_die("cannot connect to %s port %s: %s", o->host, o->port, strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->fd = fd;
	if (o->tls == FLOOR_TLS_IMPLICIT)
		floor_tls_start(c, o);
}

size_t
floor_fill(struct floor_conn *c)
{
	size_t n = 0;

	if (c->start > 0) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	if (c->end == sizeof(c->buf))
		floor_die("internal error: buffer full");
	if (c->ssl != NULL) {
		if (SSL_read_ex(c->ssl, c->buf + c->end, sizeof(c->buf) - c->end, &n) != 1) {
			if (SSL_get_error(c->ssl, 0) == SSL_ERROR_ZERO_RETURN)
				floor_die("the server closed the connection");
			tls_die("TLS read");
		}
	} else {
		ssize_t r;

		do
			r = read(c->fd, c->buf + c->end, sizeof(c->buf) - c->end);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			floor_die("read: %s", strerror(errno));
		if (r == 0)
			floor_die("the server closed the connection");
		n = (size_t)r;
	}
	c->end += n;
	c->bytes_in += n;
	return n;
}

void
floor_skip(struct floor_conn *c, uint64_t n)
{
	for (;;) {
		size_t have = c->end - c->start;

		if (n <= have) {
			c->start += (size_t)n;
			return;
		}
		n -= have;
		c->start = c->end = 0;
		floor_fill(c);
	}
}

char *
floor_line(struct floor_conn *c, size_t *len_r)
{
	size_t scanned = 0;

	for (;;) {
		char *p = c->buf + c->start;
		char *nl = memchr(p + scanned, '\n', c->end - c->start - scanned);

		if (nl != NULL) {
			*len_r = (size_t)(nl - p) + 1;
			c->start += *len_r;
			return p;
		}
		scanned = c->end - c->start;
		if (c->start == 0 && c->end == sizeof(c->buf))
			floor_die("a protocol line longer than %d bytes", FLOOR_BUF_SIZE);
		floor_fill(c);
	}
}

void
floor_write(struct floor_conn *c, const void *p, size_t n)
{
	const char *q = p;

	while (n > 0) {
		size_t done = 0;

		if (c->ssl != NULL) {
			if (SSL_write_ex(c->ssl, q, n, &done) != 1)
				tls_die("TLS write");
		} else {
			ssize_t r = write(c->fd, q, n);

			if (r < 0) {
				if (errno == EINTR)
					continue;
				floor_die("write: %s", strerror(errno));
			}
			done = (size_t)r;
		}
		q += done;
		n -= done;
		c->bytes_out += done;
	}
}

void
floor_close(struct floor_conn *c)
{
	if (c->ssl != NULL) {
		SSL_shutdown(c->ssl);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->ctx != NULL) {
		SSL_CTX_free(c->ctx);
		c->ctx = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
}

void
floor_base64(const unsigned char *p, size_t n, char *out)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		*out++ = tab[p[i] >> 2];
		*out++ = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		*out++ = tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		*out++ = tab[p[i + 2] & 63];
	}
	if (i < n) {
		*out++ = tab[p[i] >> 2];
		if (i + 1 < n) {
			*out++ = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
			*out++ = tab[(p[i + 1] & 15) << 2];
		} else {
			*out++ = tab[(p[i] & 3) << 4];
			*out++ = '=';
		}
		*out++ = '=';
	}
	*out = '\0';
}
