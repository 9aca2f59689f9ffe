/*
 * net-conn: one client connection to a mail server, as a byte stream with
 * lines: TCP (IPv4 and IPv6), TLS (OpenSSL), COMPRESS=DEFLATE (zlib).
 *
 * The connection knows no protocol: protocol code reads lines and byte
 * counts and writes bytes, and asks for STARTTLS or COMPRESS once the
 * server agreed to them.  Every blocking wait is a poll() on the socket, the
 * optional cancel descriptor (readable => ERR_CANCELLED) and a deadline
 * (=> ERR_TIMEOUT), so a worker thread can always be interrupted and never
 * hangs on a silent server.  Every error sentence names the server as
 * "host:port".
 *
 * Any failed read or write leaves the stream at an unknown position, so it
 * also breaks the connection: later calls fail with ERR_CONN until it is
 * freed.  A reconnect is a new connection.
 *
 * When the LOG_CH_PROTO trace channel is on, every line sent and received
 * is logged as "host:port C: ..." or "host:port S: ...", with secrets
 * masked (see net_conn_write_secret() and net_conn_set_trace_secret()) and
 * payloads (literals, message bodies) shown as a byte count.  LOG_CH_NET
 * traces connects, TLS and COMPRESS.
 *
 * Threads: a connection belongs to one thread at a time (the account's
 * worker); handing it over is allowed, sharing is not.  The process should
 * ignore SIGPIPE for other code's sake, but net never raises it.
 */
#ifndef NET_CONN_H
#define NET_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base-err.h"

enum net_tls_mode {
	NET_TLS_NONE,     /* plain text throughout */
	NET_TLS_IMPLICIT, /* TLS from the first byte (imaps, pop3s, smtps) */
	NET_TLS_STARTTLS, /* plain text until the protocol calls net_conn_starttls() */
};

#define NET_CONNECT_TIMEOUT_MS_DEFAULT 30000
#define NET_IO_TIMEOUT_MS_DEFAULT 60000
#define NET_LINE_MAX_DEFAULT (64 * 1024)
/* Streamed reads hand over at most this much at a time; see io_timeout_ms. */
#define NET_CHUNK 16384

/*
 * What a connection needs to know, filled in by core/ from the account's
 * settings.  Start from net_params_init(): a zeroed struct would watch
 * standard input as its cancel descriptor.  The strings are copied by
 * net_conn_open(); they need not outlive the call.
 */
struct net_params {
	const char *host;       /* a name (UTF-8 is converted with IDNA) or an
				   address literal, IPv6 without brackets */
	const char *port;       /* number or service name ("imaps") */
	enum net_tls_mode tls;
	/* PEM file of the CAs to trust instead of the system store (the
	   tls_ca_file setting); NULL for the system store. */
	const char *tls_ca_file;
	/* Set only by tls_verify=no: skips chain and host name checks and logs
	   a warning on every handshake.  Named in the negative so that a
	   zeroed field is the safe choice. */
	bool tls_no_verify;
	int connect_timeout_ms; /* per address tried; <= 0: the default */
	/* The longest the server may take to deliver or accept each NET_CHUNK
	   bytes of a read or write (or all of a shorter line, read or write),
	   and to complete the TLS handshake: a silent server and one that
	   drips a byte at a time both fail with ERR_TIMEOUT, a slow link
	   moving a large message does not.  <= 0: the default. */
	int io_timeout_ms;
	size_t line_max;        /* longest line accepted, without CRLF; 0: default */
	int cancel_fd;          /* readable => cancel; -1 for none */
};

struct net_conn;

/* Receives one piece of a streamed read; returns 0, or -1 with err set to
 * stop the read (which then breaks the connection). */
typedef int net_conn_sink_fn(const void *data, size_t len, void *ctx, struct err *err);

/* Fills in the defaults: no TLS, verification on, default timeouts and
 * line length, no cancel descriptor. */
void net_params_init(struct net_params *params);

/*
 * Resolves params->host, connects to each address in turn until one
 * answers, and with NET_TLS_IMPLICIT completes the TLS handshake.  On
 * success *conn_r is a new connection the caller frees with
 * net_conn_free().  Blocks (name resolution cannot be cancelled; the
 * connect and the handshake can).  Any thread.
 */
int net_conn_open(const struct net_params *params, struct net_conn **conn_r, struct err *err);
/*
 * Makes a connection over fd, a connected stream socket (a tunnel
 * command's socketpair, a test's peer), which it takes over even on
 * failure.  params->host and port only name the peer (and verify its
 * certificate); NET_TLS_IMPLICIT starts with a handshake.  Blocks.
 */
int net_conn_open_fd(const struct net_params *params, int fd, struct net_conn **conn_r,
		     struct err *err);
/* Closes the connection (sending a TLS close_notify if that does not
 * block) and frees it; sets *conn to NULL.  NULL is fine. */
void net_conn_free(struct net_conn **conn);

/*
 * Upgrades the connection to TLS after the server agreed to STARTTLS (or
 * STLS).  Whatever the server sent after its go-ahead and before the
 * handshake is thrown away unread: it came in plain text and cannot be
 * trusted (trace: LOG_CH_NET).  The protocol code must ask for the
 * capabilities again afterwards.  Blocks for the handshake.
 */
int net_conn_starttls(struct net_conn *conn, struct err *err);
/*
 * Switches both directions to raw DEFLATE (RFC 4978, RFC 1951) after the
 * server agreed to COMPRESS; everything already received after the
 * server's go-ahead is decompressed.  Each write is flushed with
 * Z_SYNC_FLUSH.  Fails if compression is already on.  Does not block.
 */
int net_conn_compress(struct net_conn *conn, struct err *err);

/*
 * Reads one line.  *line_r points into the connection's buffer, is
 * NUL-terminated in place of its CRLF (or bare LF), and stays valid until
 * the next call on the connection; *len_r is its length (the line may
 * hold NUL bytes).  A line longer than line_max fails with ERR_PROTO; the
 * end of the stream fails with ERR_CONN.  Blocks.
 */
int net_conn_read_line(struct net_conn *conn, const char **line_r, size_t *len_r,
		       struct err *err);
/* Reads exactly len bytes into buf (an IMAP literal, a POP3 body of known
 * size), traced as a byte count.  Blocks. */
int net_conn_read_exact(struct net_conn *conn, void *buf, size_t len, struct err *err);
/* Reads exactly len bytes, handing them to sink in pieces of at most
 * NET_CHUNK bytes, so a large literal never sits in memory whole.  Blocks. */
int net_conn_read_stream(struct net_conn *conn, size_t len, net_conn_sink_fn *sink, void *ctx,
			 struct err *err);
/* Reads what is available, at least one byte and at most cap, for code
 * that feeds a sans-I/O parser raw bytes; *len_r is 0 at the end of the
 * stream (not an error here).  Traced as a byte count.  Blocks. */
int net_conn_read_some(struct net_conn *conn, void *buf, size_t cap, size_t *len_r,
		       struct err *err);

/* Writes all of data, protocol text traced line by line.  Blocks until
 * written. */
int net_conn_write(struct net_conn *conn, const void *data, size_t len, struct err *err);
/*
 * Writes all of data, whose first public_len bytes may be traced and the
 * rest not: "a1 LOGIN alice " + password + CRLF is traced as
 * "a1 LOGIN alice <secret>".  Blocks.
 */
int net_conn_write_secret(struct net_conn *conn, const void *data, size_t len,
			  size_t public_len, struct err *err);
/* Writes all of data as a payload (literal, message body), traced as its
 * byte count only.  Blocks. */
int net_conn_write_data(struct net_conn *conn, const void *data, size_t len, struct err *err);

/*
 * While on, the trace masks both directions, for the lines of a SASL
 * exchange: a received line shows only its first word ("+ <secret>",
 * "334 <secret>", "a1 <secret>"), a written one only what
 * net_conn_write_secret() calls public.
 */
void net_conn_set_trace_secret(struct net_conn *conn, bool on);
/*
 * Waits, without breaking anything, until the connection has bytes to
 * read (already received at any layer, or arriving), until fd (-1: none)
 * is readable, or until timeout_ms passes (< 0: no limit).  Returns 1
 * when the connection is readable (a read then returns at once, or
 * reports the end of the stream), 0 when fd woke it or the time passed,
 * -1 when the connection failed (err filled; broken as after a failed
 * read).  For a client that waits on the server and on its own work queue
 * at once (IMAP IDLE): a plain poll() on the socket would miss bytes TLS
 * or COMPRESS already hold.  Blocks.
 */
int net_conn_wait_readable(struct net_conn *conn, int fd, int timeout_ms, struct err *err);
/* Watches fd (or nothing, with -1) as the cancel descriptor from now on:
 * a worker may use one per job. */
void net_conn_set_cancel_fd(struct net_conn *conn, int fd);

/* "host:port" as used in messages ("[::1]:993" for IPv6); valid while the
 * connection lives. */
const char *net_conn_peer(const struct net_conn *conn);
/* The host name given in the params (for SASL and certificates). */
const char *net_conn_host(const struct net_conn *conn);
bool net_conn_is_tls(const struct net_conn *conn);
bool net_conn_is_compressed(const struct net_conn *conn);
/* "TLSv1.3" and the like, or NULL in plain text. */
const char *net_conn_tls_version(const struct net_conn *conn);

#endif
