#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "net/net-internal.h"

/*
 * OpenSSL talks to BIOs in memory and this file moves the bytes between
 * them and the socket: every wait is then net_wait() (cancel descriptor,
 * deadline), and every write is a send(MSG_NOSIGNAL), never SIGPIPE.
 * What the socket gave waits in `in` for OpenSSL to take (a memory BIO
 * would copy it once more and zero its growing buffer first).
 */
struct net_tls {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio; /* `in` -> OpenSSL */
	BIO *wbio; /* OpenSSL -> socket */
	bool eof;  /* the socket reached its end */
	bool ready;
	size_t in_pos, in_len;
	char in[NET_CHUNK];
};

/* The read BIO: hands OpenSSL what tls_feed() put in `in`; when that is
 * all taken, "try again", as a memory BIO says when it is empty. */
static int
in_read(BIO *b, char *out, int outl)
{
	struct net_tls *tls = BIO_get_data(b);
	size_t n = tls->in_len - tls->in_pos;

	BIO_clear_retry_flags(b);
	if (outl <= 0)
		return 0;
	if (n == 0) {
		BIO_set_retry_read(b);
		return -1;
	}
	if (n > (size_t)outl)
		n = (size_t)outl;
	memcpy(out, tls->in + tls->in_pos, n);
	tls->in_pos += n;
	return (int)n;
}

static int
in_write(BIO *b, const char *data, int len)
{
	(void)b;
	(void)data;
	(void)len;
	return -1;
}

static long
in_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct net_tls *tls = BIO_get_data(b);

	(void)num;
	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_PENDING:
		return (long)(tls->in_len - tls->in_pos);
	case BIO_CTRL_FLUSH:
		return 1;
	default:
		return 0;
	}
}

static int
in_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static BIO_METHOD *in_method;

static void
in_method_init(void)
{
	BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "petrel input");

	if (m == NULL || BIO_meth_set_read(m, in_read) != 1 ||
	    BIO_meth_set_write(m, in_write) != 1 || BIO_meth_set_ctrl(m, in_ctrl) != 1 ||
	    BIO_meth_set_create(m, in_create) != 1) {
		BIO_meth_free(m);
		return;
	}
	in_method = m;
}

static BIO *
in_bio_new(struct net_tls *tls)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	BIO *b;

	pthread_once(&once, in_method_init);
	if (in_method == NULL || (b = BIO_new(in_method)) == NULL)
		return NULL;
	BIO_set_data(b, tls);
	return b;
}

/* Sends whatever OpenSSL wants sent. */
static int
tls_flush(struct net_conn *conn, int64_t deadline, struct err *err)
{
	struct net_tls *tls = conn->tls;
	char buf[NET_CHUNK];
	int n;

	while (BIO_ctrl_pending(tls->wbio) > 0) {
		n = BIO_read(tls->wbio, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (net_sock_write(conn, buf, (size_t)n, deadline, err) < 0)
			return -1;
	}
	return 0;
}

/* Gives OpenSSL what the socket has (waiting for it). */
static int
tls_feed(struct net_conn *conn, int64_t deadline, struct err *err)
{
	struct net_tls *tls = conn->tls;
	size_t n;

	/* OpenSSL asks for more only once it took all there was; whatever
	 * it left still goes first. */
	if (tls->in_pos > 0) {
		memmove(tls->in, tls->in + tls->in_pos, tls->in_len - tls->in_pos);
		tls->in_len -= tls->in_pos;
		tls->in_pos = 0;
	}
	if (tls->in_len == sizeof(tls->in))
		return err_set(err, ERR_INTERNAL, "%s: TLS wants more than it was given",
			       conn->peer);
	if (net_sock_read(conn, tls->in + tls->in_len, sizeof(tls->in) - tls->in_len, &n,
			  deadline, err) < 0)
		return -1;
	if (n == 0) {
		tls->eof = true;
		return 0;
	}
	tls->in_len += n;
	return 0;
}

/* The most telling reason OpenSSL left in its error queue, or NULL. */
static const char *
tls_reason(unsigned long *code_r)
{
	unsigned long e, last = 0;

	while ((e = ERR_get_error()) != 0)
		last = e;
	if (code_r != NULL)
		*code_r = last;
	return last != 0 ? ERR_reason_error_string(last) : NULL;
}

static int
tls_err_verify(struct net_conn *conn, long result, struct err *err)
{
	const char *why = X509_verify_cert_error_string(result);

	switch (result) {
	case X509_V_ERR_HOSTNAME_MISMATCH:
		return err_set(err, ERR_TLS,
			       "%s: certificate verification failed: %s (the certificate is not "
			       "valid for %s)",
			       conn->peer, why, conn->host);
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		return err_set(err, ERR_TLS,
			       "%s: certificate verification failed: %s (the certificate is not "
			       "valid for the address %s)",
			       conn->peer, why, conn->host);
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
		if (conn->tls_ca_file != NULL)
			return err_set(err, ERR_TLS,
				       "%s: certificate verification failed: %s (tls_ca_file %s "
				       "does not hold the CA that issued it)",
				       conn->peer, why, conn->tls_ca_file);
		return err_set(err, ERR_TLS,
			       "%s: certificate verification failed: %s (set tls_ca_file to trust "
			       "a private CA)",
			       conn->peer, why);
	default:
		return err_set(err, ERR_TLS, "%s: certificate verification failed: %s", conn->peer,
			       why);
	}
}

static int
tls_err(struct net_conn *conn, int ssl_error, const char *what, struct err *err)
{
	struct net_tls *tls = conn->tls;
	unsigned long code;
	const char *reason;
	long vr;

	if (!tls->ready) {
		vr = SSL_get_verify_result(tls->ssl);
		if (vr != X509_V_OK && !conn->tls_no_verify) {
			ERR_clear_error();
			return tls_err_verify(conn, vr, err);
		}
	}
	reason = tls_reason(&code);
	if (ssl_error == SSL_ERROR_SYSCALL || reason == NULL)
		return err_set(err, tls->eof ? ERR_CONN : ERR_TLS,
			       "%s: %s: the server closed the connection", conn->peer, what);
	if (ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_WRONG_VERSION_NUMBER)
		return err_set(err, ERR_TLS,
			       "%s: %s: %s (is the server speaking plain text on this port? "
			       "check the account's TLS setting)",
			       conn->peer, what, reason);
	return err_set(err, ERR_TLS, "%s: %s: %s", conn->peer, what, reason);
}

static bool
is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

static int
tls_setup(struct net_conn *conn, struct err *err)
{
	struct net_tls *tls;
	X509_VERIFY_PARAM *param;
	const char *reason;
	bool ip = is_ip_literal(conn->host_ascii);

	ERR_clear_error();
	tls = xcalloc(1, sizeof(*tls));
	conn->tls = tls;
	tls->ctx = SSL_CTX_new(TLS_client_method());
	if (tls->ctx == NULL)
		goto fail_openssl;
	if (SSL_CTX_set_min_proto_version(tls->ctx, TLS1_2_VERSION) != 1)
		goto fail_openssl;
	if (conn->tls_no_verify) {
		SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_NONE, NULL);
		log_warn("%s: TLS certificate verification is off (tls_verify=no): anyone on the "
			 "way can read and change this connection",
			 conn->peer);
	} else {
		SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_PEER, NULL);
		if (conn->tls_ca_file != NULL) {
			if (SSL_CTX_load_verify_locations(tls->ctx, conn->tls_ca_file, NULL) != 1) {
				reason = tls_reason(NULL);
				return err_set(err, ERR_TLS, "%s: cannot load tls_ca_file %s: %s",
					       conn->peer, conn->tls_ca_file,
					       reason != NULL ? reason : "unknown error");
			}
		} else if (SSL_CTX_set_default_verify_paths(tls->ctx) != 1) {
			goto fail_openssl;
		}
	}
	tls->ssl = SSL_new(tls->ctx);
	tls->rbio = in_bio_new(tls);
	tls->wbio = BIO_new(BIO_s_mem());
	if (tls->ssl == NULL || tls->rbio == NULL || tls->wbio == NULL) {
		BIO_free(tls->rbio);
		BIO_free(tls->wbio);
		tls->rbio = tls->wbio = NULL;
		goto fail_openssl;
	}
	SSL_set_bio(tls->ssl, tls->rbio, tls->wbio);
	/* SNI carries names only (RFC 6066). */
	if (!ip && SSL_set_tlsext_host_name(tls->ssl, conn->host_ascii) != 1)
		goto fail_openssl;
	if (!conn->tls_no_verify) {
		param = SSL_get0_param(tls->ssl);
		X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (ip ? X509_VERIFY_PARAM_set1_ip_asc(param, conn->host_ascii) != 1
		       : X509_VERIFY_PARAM_set1_host(param, conn->host_ascii, 0) != 1)
			goto fail_openssl;
	}
	SSL_set_connect_state(tls->ssl);
	return 0;
fail_openssl:
	reason = tls_reason(NULL);
	return err_set(err, ERR_TLS, "%s: cannot set up TLS: %s", conn->peer,
		       reason != NULL ? reason : "unknown error");
}

/* "peer: connection lost: ..." becomes "peer: TLS handshake failed:
 * connection lost: ...", keeping the kind. */
static int
handshake_io_err(struct net_conn *conn, struct err *err)
{
	char rest[ERR_MSG_MAX];
	size_t n = strlen(conn->peer);

	if (err == NULL || err->kind != ERR_CONN || strncmp(err->msg, conn->peer, n) != 0 ||
	    strncmp(err->msg + n, ": ", 2) != 0)
		return -1;
	snprintf(rest, sizeof(rest), "%s", err->msg + n + 2);
	return err_set(err, ERR_CONN, "%s: TLS handshake failed: %s", conn->peer, rest);
}

static int
tls_handshake(struct net_conn *conn, struct err *err)
{
	struct net_tls *tls;
	int64_t deadline = net_now_ms() + conn->io_timeout_ms;
	int r, e;

	if (tls_setup(conn, err) < 0)
		return -1;
	tls = conn->tls;
	for (;;) {
		ERR_clear_error();
		r = SSL_do_handshake(tls->ssl);
		/* Flush even on failure: the server deserves its alert. */
		if (tls_flush(conn, deadline, err) < 0)
			return handshake_io_err(conn, err);
		if (r == 1)
			break;
		e = SSL_get_error(tls->ssl, r);
		if (e != SSL_ERROR_WANT_READ)
			return tls_err(conn, e, "TLS handshake failed", err);
		if (tls->eof) {
			ERR_clear_error();
			return err_set(err, ERR_TLS,
				       "%s: TLS handshake failed: the server closed the connection",
				       conn->peer);
		}
		if (tls_feed(conn, deadline, err) < 0)
			return handshake_io_err(conn, err);
	}
	tls->ready = true;
	if (log_channel_enabled(LOG_CH_NET)) {
		X509 *cert = SSL_get1_peer_certificate(tls->ssl);
		char subject[256] = "(none)";

		if (cert != NULL)
			X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof(subject));
		X509_free(cert);
		log_trace(LOG_CH_NET, "%s: %s %s, certificate %s, %s", conn->peer,
			  SSL_get_version(tls->ssl), SSL_get_cipher_name(tls->ssl), subject,
			  conn->tls_no_verify ? "not verified" : "verified");
	}
	return 0;
}

int
net_tls_read(struct net_conn *conn, void *buf, size_t cap, size_t *n_r, int64_t deadline,
	     struct err *err)
{
	struct net_tls *tls = conn->tls;
	size_t n;
	int r, e;

	for (;;) {
		ERR_clear_error();
		n = 0;
		r = SSL_read_ex(tls->ssl, buf, cap, &n);
		/* Reading may produce output too (key updates, alerts). */
		if (tls_flush(conn, deadline, err) < 0)
			return -1;
		if (r == 1) {
			*n_r = n;
			return 0;
		}
		e = SSL_get_error(tls->ssl, r);
		if (e == SSL_ERROR_ZERO_RETURN) {
			*n_r = 0;
			return 0;
		}
		if (e != SSL_ERROR_WANT_READ)
			return tls_err(conn, e, "TLS error", err);
		if (tls->eof) {
			/* Closed without close_notify: an end all the same, and the
			   caller decides whether it came too early. */
			log_trace(LOG_CH_NET, "%s: the server closed TLS without close_notify",
				  conn->peer);
			*n_r = 0;
			return 0;
		}
		if (tls_feed(conn, deadline, err) < 0)
			return -1;
	}
}

int
net_tls_write(struct net_conn *conn, const void *data, size_t len, int64_t deadline,
	      struct err *err)
{
	struct net_tls *tls = conn->tls;
	size_t n;
	int r, e;

	if (len == 0)
		return 0;
	for (;;) {
		ERR_clear_error();
		r = SSL_write_ex(tls->ssl, data, len, &n);
		if (tls_flush(conn, deadline, err) < 0)
			return -1;
		if (r == 1)
			return 0;
		e = SSL_get_error(tls->ssl, r);
		if (e != SSL_ERROR_WANT_READ || tls->eof)
			return tls_err(conn, e, "TLS error", err);
		if (tls_feed(conn, deadline, err) < 0)
			return -1;
	}
}

void
net_tls_free(struct net_conn *conn)
{
	struct net_tls *tls = conn->tls;
	char buf[1024];
	int n;

	if (tls == NULL)
		return;
	if (tls->ready && !conn->broken && !tls->eof) {
		ERR_clear_error();
		SSL_shutdown(tls->ssl);
		n = BIO_read(tls->wbio, buf, sizeof(buf));
		if (n > 0 && send(conn->fd, buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			log_trace(LOG_CH_NET, "%s: close_notify not sent", conn->peer);
	}
	ERR_clear_error();
	SSL_free(tls->ssl);
	SSL_CTX_free(tls->ctx);
	free(tls);
	conn->tls = NULL;
}

int
net_tls_handshake(struct net_conn *conn, struct err *err)
{
	if (tls_handshake(conn, err) == 0)
		return 0;
	/* Nothing half-set-up stays behind to look like TLS. */
	net_tls_free(conn);
	return -1;
}

const char *
net_tls_version(const struct net_conn *conn)
{
	return SSL_get_version(conn->tls->ssl);
}
