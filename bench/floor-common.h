/*
 * floor-common: what the raw benchmark clients (floor-imap, floor-smtp,
 * floor-pop3) share: a TCP connection with optional TLS (OpenSSL,
 * verified against a given CA and host name), a 64 KB input buffer read
 * as much as the socket gives at a time, and option parsing for the
 * connection.  These clients measure the least time a protocol exchange
 * can take against a server, so they do no more work than finding where
 * each response ends.  Single-threaded; every call blocks.
 */
#ifndef FLOOR_COMMON_H
#define FLOOR_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/ssl.h>

#define FLOOR_BUF_SIZE 65536

enum floor_tls {
	FLOOR_TLS_NONE,     /* plain text throughout */
	FLOOR_TLS_IMPLICIT, /* TLS from the first byte (imaps, pop3s, smtps) */
	FLOOR_TLS_STARTTLS  /* STARTTLS or STLS after the greeting */
};

struct floor_opts {
	const char *host;
	const char *port;
	enum floor_tls tls;
	const char *ca;		 /* PEM file of trusted CAs; NULL: the system's */
	const char *verify_name; /* name or IP the certificate must carry; NULL: host */
	const char *user;
	const char *pass;
};

struct floor_conn {
	int fd;
	SSL_CTX *ctx;
	SSL *ssl;
	size_t start, end; /* unread bytes are buf[start..end) */
	uint64_t bytes_in, bytes_out;
	char buf[FLOOR_BUF_SIZE];
};

/* Seconds on the monotonic clock. */
double
floor_now(void);

/* Prints "PROG: message" on stderr and exits with status 1. */
void
floor_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The usage text of the connection options, for a program's --help. */
extern const char floor_common_usage[];

/* Handles one of the connection options (see floor_common_usage) that
 * getopt_long returned as opt; returns 1 when it was one, 0 when not. */
int
floor_common_opt(struct floor_opts *o, int opt, const char *arg);

/* The getopt_long entries of the connection options; a program copies
 * them in front of its own. */
#define FLOOR_COMMON_LONGOPTS                                                                      \
	{"host", required_argument, NULL, 'h'}, {"port", required_argument, NULL, 'p'},            \
	    {"tls", no_argument, NULL, 'T'}, {"starttls", no_argument, NULL, 'S'},                 \
	    {"plain", no_argument, NULL, 'P'}, {"ca", required_argument, NULL, 'C'},               \
	    {"verify-name", required_argument, NULL, 'V'}, {"user", required_argument, NULL, 'u'}, \
	    {"pass", required_argument, NULL, 'w'}
#define FLOOR_COMMON_SHORTOPTS "h:p:TSPC:V:u:w:"

/* Checks that host, port, user and pass were given; dies if not. */
void
floor_common_check(const struct floor_opts *o, int need_login);

/* Connects over TCP (TCP_NODELAY) and, for FLOOR_TLS_IMPLICIT, starts
 * TLS.  Dies on failure. */
void
floor_connect(struct floor_conn *c, const struct floor_opts *o);

/* Starts TLS on the connection (after STARTTLS/STLS was accepted).  Any
 * bytes still buffered are an error: they came before TLS.  Dies on
 * failure. */
void
floor_tls_start(struct floor_conn *c, const struct floor_opts *o);

/* Reads once from the connection into the free end of buf, after moving
 * the unread bytes to the front.  Returns the bytes read; dies on EOF or
 * error. */
size_t
floor_fill(struct floor_conn *c);

/* Drops n bytes: those buffered first, then reads and discards. */
void
floor_skip(struct floor_conn *c, uint64_t n);

/* The next line, CRLF included, as a pointer into buf (valid until the
 * next call); *len_r its length.  For the short lines of a protocol's
 * dialogue: a line longer than the buffer is fatal. */
char *
floor_line(struct floor_conn *c, size_t *len_r);

/* Writes all of p; dies on error. */
void
floor_write(struct floor_conn *c, const void *p, size_t n);

/* Closes the connection (TLS close_notify first) and frees it. */
void
floor_close(struct floor_conn *c);

/* Base64 of n bytes of p into out (which must hold 4 * ((n + 2) / 3) + 1). */
void
floor_base64(const unsigned char *p, size_t n, char *out);

#endif
