#include "config.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
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
#include "test-common.h"

/* A throw-away PKI made at start-up: a CA, a server certificate for
 * localhost and 127.0.0.1 that it signed, an expired one, and a second CA
 * that signed nothing. */
static EVP_PKEY *ca_key, *other_key, *srv_key;
static X509 *ca_cert, *other_cert, *srv_cert, *expired_cert;
static char ca_file[512], other_ca_file[512];

static void
add_ext(X509 *issuer, X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ex;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ex = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ex == NULL || X509_add_ext(x, ex, -1) != 1)
		abort();
	X509_EXTENSION_free(ex);
}

static X509 *
make_cert(EVP_PKEY *key, const char *cn, EVP_PKEY *issuer_key, X509 *issuer, long not_after)
{
	static long serial = 1;
	X509 *x = X509_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), -7200);
	X509_gmtime_adj(X509_getm_notAfter(x), not_after);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(issuer != NULL ? issuer : x));
	if (issuer == NULL) {
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, x, NID_key_usage, "critical,keyCertSign,cRLSign");
		add_ext(x, x, NID_subject_key_identifier, "hash");
	} else {
		add_ext(issuer, x, NID_basic_constraints, "CA:FALSE");
		add_ext(issuer, x, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
		add_ext(issuer, x, NID_ext_key_usage, "serverAuth");
	}
	if (X509_sign(x, issuer_key, EVP_sha256()) == 0)
		abort();
	return x;
}

static void
write_pem(const char *path, X509 *x)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || PEM_write_X509(fp, x) != 1)
		abort();
	fclose(fp);
}

static void
make_pki(void)
{
	ca_key = EVP_EC_gen("P-256");
	other_key = EVP_EC_gen("P-256");
	srv_key = EVP_EC_gen("P-256");
	ca_cert = make_cert(ca_key, "petrel test CA", ca_key, NULL, 86400);
	other_cert = make_cert(other_key, "petrel other CA", other_key, NULL, 86400);
	srv_cert = make_cert(srv_key, "localhost", ca_key, ca_cert, 86400);
	expired_cert = make_cert(srv_key, "localhost", ca_key, ca_cert, -3600);
	snprintf(ca_file, sizeof(ca_file), "%s/ca.pem", test_tmpdir());
	snprintf(other_ca_file, sizeof(other_ca_file), "%s/other-ca.pem", test_tmpdir());
	write_pem(ca_file, ca_cert);
	write_pem(other_ca_file, other_cert);
}

enum scenario {
	SC_TLS,          /* handshake, greet, read one line, answer */
	SC_STARTTLS,     /* plain go-ahead with an injected line, then as SC_TLS */
	SC_SILENT,       /* never says anything */
	SC_PLAIN,        /* speaks plain text */
	SC_CLOSE,        /* closes at once */
	SC_BULK,         /* sends 2 MB over TLS, then reads 2 MB back */
	SC_OLD_TLS,      /* offers TLS 1.1 at most */
};

#define BULK (2 * 1000 * 1000)

struct server {
	pthread_t thread;
	int fd;
	enum scenario sc;
	X509 *cert;
	char sni[256];
	char got[256];
	bool handshake_ok;
	bool bulk_ok;
};

static int
sni_cb(SSL *ssl, int *al, void *arg)
{
	struct server *srv = arg;
	const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);

	(void)al;
	snprintf(srv->sni, sizeof(srv->sni), "%s", name != NULL ? name : "");
	return SSL_TLSEXT_ERR_OK;
}

static void
drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

static void *
server_main(void *arg)
{
	struct server *srv = arg;
	static const char go[] = "a1 OK Begin TLS now\r\n"
				 "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n";
	SSL_CTX *ctx = NULL;
	SSL *ssl = NULL;
	char *buf = NULL;
	int n;

	switch (srv->sc) {
	case SC_SILENT:
		drain(srv->fd);
		goto out;
	case SC_PLAIN:
		if (write(srv->fd, "* OK plain text here\r\n", 22) != 22)
			abort();
		drain(srv->fd);
		goto out;
	case SC_CLOSE:
		goto out;
	case SC_STARTTLS:
		/* One write: the injected line arrives with the go-ahead. */
		if (write(srv->fd, go, sizeof(go) - 1) != (ssize_t)sizeof(go) - 1)
			abort();
		break;
	default:
		break;
	}
	ctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(ctx, srv->cert);
	SSL_CTX_use_PrivateKey(ctx, srv_key);
	SSL_CTX_add1_chain_cert(ctx, ca_cert);
	SSL_CTX_set_tlsext_servername_callback(ctx, sni_cb);
	SSL_CTX_set_tlsext_servername_arg(ctx, srv);
	if (srv->sc == SC_OLD_TLS) {
		SSL_CTX_set_security_level(ctx, 0);
		SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
		SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
	}
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, srv->fd);
	if (SSL_accept(ssl) != 1)
		goto out;
	srv->handshake_ok = true;
	if (srv->sc == SC_BULK) {
		size_t done = 0;

		buf = malloc(BULK);
		for (size_t i = 0; i < BULK; i++)
			buf[i] = (char)(i % 251);
		if (SSL_write(ssl, buf, BULK) != BULK)
			goto out;
		memset(buf, 0, BULK);
		while (done < BULK && (n = SSL_read(ssl, buf + done, (int)(BULK - done))) > 0)
			done += (size_t)n;
		srv->bulk_ok = done == BULK;
		for (size_t i = 0; i < BULK && srv->bulk_ok; i++)
			srv->bulk_ok = buf[i] == (char)(i % 251);
		goto out;
	}
	SSL_write(ssl, "* OK over TLS\r\n", 15);
	n = SSL_read(ssl, srv->got, sizeof(srv->got) - 1);
	if (n > 0)
		srv->got[n] = '\0';
	SSL_write(ssl, "a2 OK bye\r\n", 11);
	SSL_shutdown(ssl);
out:
	free(buf);
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(srv->fd);
	return NULL;
}

static struct net_conn *
start(struct server *srv, enum scenario sc, struct net_params *params, struct err *err, int *rc_r)
{
	struct net_conn *conn = NULL;
	int sv[2];

	memset(srv, 0, sizeof(*srv));
	srv->sc = sc;
	srv->cert = srv_cert;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	srv->fd = sv[1];
	pthread_create(&srv->thread, NULL, server_main, srv);
	*rc_r = net_conn_open_fd(params, sv[0], &conn, err);
	return conn;
}

static void
stop(struct server *srv, struct net_conn **conn)
{
	net_conn_free(conn);
	pthread_join(srv->thread, NULL);
}

static void
base_params(struct net_params *params, const char *host, const char *cafile)
{
	net_params_init(params);
	params->host = host;
	params->port = "993";
	params->tls = NET_TLS_IMPLICIT;
	params->tls_ca_file = cafile;
	params->io_timeout_ms = 5000;
}

/* Open, read the greeting, send a line, read the answer. */
static void
talk(struct net_conn *conn, struct server *srv)
{
	const char *line;
	struct err err;
	size_t len;

	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_str(line, "* OK over TLS");
	test_assert_int(net_conn_write(conn, "a2 LOGOUT\r\n", 11, &err), 0);
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_str(line, "a2 OK bye");
	test_assert_str(srv->got, "a2 LOGOUT\r\n");
}

static void
test_verify(void)
{
	struct net_params params;
	struct net_conn *conn;
	struct server srv;
	struct err err;
	char want[1024];
	int rc;

	test_begin("verified by name against tls_ca_file, SNI sent");
	base_params(&params, "localhost", ca_file);
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, 0);
	if (rc == 0) {
		test_assert(net_conn_is_tls(conn));
		test_assert_str(net_conn_tls_version(conn), "TLSv1.3");
		talk(conn, &srv);
	}
	stop(&srv, &conn);
	test_assert_str(srv.sni, "localhost");
	test_end();

	test_begin("verified by address, no SNI for an address");
	base_params(&params, "127.0.0.1", ca_file);
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, 0);
	if (rc == 0)
		talk(conn, &srv);
	stop(&srv, &conn);
	test_assert_str(srv.sni, "");
	test_end();

	test_begin("a private CA without tls_ca_file fails with a hint");
	base_params(&params, "localhost", NULL);
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert(conn == NULL);
	test_assert_int(err.kind, ERR_TLS);
	test_assert_str(err.msg, "localhost:993: certificate verification failed: self-signed "
				 "certificate in certificate chain (set tls_ca_file to trust a "
				 "private CA)");
	stop(&srv, &conn);
	test_assert(!srv.handshake_ok);
	test_end();

	test_begin("a tls_ca_file without the issuer says so");
	base_params(&params, "localhost", other_ca_file);
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_TLS);
	snprintf(want, sizeof(want),
		 "localhost:993: certificate verification failed: self-signed certificate in "
		 "certificate chain (tls_ca_file %s does not hold the CA that issued it)",
		 other_ca_file);
	test_assert_str(err.msg, want);
	stop(&srv, &conn);
	test_end();

	test_begin("a host name the certificate does not cover fails");
	base_params(&params, "mail.example.org", ca_file);
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_TLS);
	test_assert_str(err.msg, "mail.example.org:993: certificate verification failed: "
				 "hostname mismatch (the certificate is not valid for "
				 "mail.example.org)");
	stop(&srv, &conn);
	test_end();

	test_begin("an address the certificate does not cover fails");
	base_params(&params, "127.0.0.2", ca_file);
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_TLS);
	test_assert_str(err.msg, "127.0.0.2:993: certificate verification failed: IP address "
				 "mismatch (the certificate is not valid for the address "
				 "127.0.0.2)");
	stop(&srv, &conn);
	test_end();

	test_begin("an expired certificate fails");
	base_params(&params, "localhost", ca_file);
	memset(&srv, 0, sizeof(srv));
	{
		int sv[2];

		srv.sc = SC_TLS;
		srv.cert = expired_cert;
		socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
		srv.fd = sv[1];
		pthread_create(&srv.thread, NULL, server_main, &srv);
		conn = NULL;
		rc = net_conn_open_fd(&params, sv[0], &conn, &err);
	}
	test_assert_int(rc, -1);
	test_assert_str(err.msg, "localhost:993: certificate verification failed: certificate "
				 "has expired");
	stop(&srv, &conn);
	test_end();

	test_begin("tls_verify=no connects and warns");
	test_log_capture();
	base_params(&params, "mail.example.org", NULL);
	params.tls_no_verify = true;
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, 0);
	if (rc == 0)
		talk(conn, &srv);
	stop(&srv, &conn);
	test_assert(strstr(test_log_text(), "mail.example.org:993: TLS certificate verification "
					    "is off (tls_verify=no)") != NULL);
	log_set_sink(NULL, NULL);
	test_end();

	test_begin("an unreadable tls_ca_file is an error before any handshake");
	base_params(&params, "localhost", "/nonexistent/ca.pem");
	conn = start(&srv, SC_TLS, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_TLS);
	test_assert(strncmp(err.msg, "localhost:993: cannot load tls_ca_file /nonexistent/ca.pem: ",
			    60) == 0);
	stop(&srv, &conn);
	test_end();
}

static void
test_starttls(void)
{
	struct net_params params;
	struct net_conn *conn;
	struct server srv;
	const char *line;
	struct err err;
	size_t len;
	int rc;

	test_begin("STARTTLS throws away what came with the go-ahead");
	test_log_capture();
	log_enable_channels(LOG_CH_NET | LOG_CH_PROTO);
	base_params(&params, "localhost", ca_file);
	params.tls = NET_TLS_STARTTLS;
	conn = start(&srv, SC_STARTTLS, &params, &err, &rc);
	test_assert_int(rc, 0);
	test_assert(!net_conn_is_tls(conn));
	test_assert_int(net_conn_read_line(conn, &line, &len, &err), 0);
	test_assert_str(line, "a1 OK Begin TLS now");
	test_assert_int(net_conn_starttls(conn, &err), 0);
	test_assert(net_conn_is_tls(conn));
	talk(conn, &srv);
	stop(&srv, &conn);
	test_assert(srv.handshake_ok);
	test_assert(strstr(test_log_text(), "discarded 49 bytes the server sent in plain text") !=
		    NULL);
	test_assert(strstr(test_log_text(), "injected") == NULL);
	test_assert(strstr(test_log_text(), "localhost:993 S: * OK over TLS") != NULL);
	log_set_sink(NULL, NULL);
	test_end();
}

static void
test_failures(void)
{
	struct net_params params;
	struct net_conn *conn;
	struct server srv;
	struct err err;
	long long t0;
	int rc, pfd[2];

	test_begin("a server silent during the handshake times out");
	base_params(&params, "localhost", ca_file);
	params.io_timeout_ms = 300;
	t0 = test_now_ms();
	conn = start(&srv, SC_SILENT, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_TIMEOUT);
	test_assert(test_now_ms() - t0 < 3000);
	stop(&srv, &conn);
	test_end();

	test_begin("the cancel fd interrupts a handshake");
	test_assert_int(pipe(pfd), 0);
	base_params(&params, "localhost", ca_file);
	params.cancel_fd = pfd[0];
	test_assert(write(pfd[1], "x", 1) == 1);
	conn = start(&srv, SC_SILENT, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_CANCELLED);
	stop(&srv, &conn);
	close(pfd[0]);
	close(pfd[1]);
	test_end();

	test_begin("TLS to a plain-text server says what is likely wrong");
	base_params(&params, "localhost", ca_file);
	conn = start(&srv, SC_PLAIN, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_TLS);
	test_assert(strstr(err.msg, "localhost:993: TLS handshake failed: ") == err.msg);
	test_assert(strstr(err.msg, "(is the server speaking plain text on this port?") != NULL);
	stop(&srv, &conn);
	test_end();

	test_begin("a server that closes during the handshake");
	conn = start(&srv, SC_CLOSE, &params, &err, &rc);
	test_assert_int(rc, -1);
	/* Over a socketpair the ClientHello already fails (EPIPE); over TCP
	   the read after it meets the end of the stream. */
	test_assert(err.kind == ERR_CONN || err.kind == ERR_TLS);
	test_assert(strncmp(err.msg, "localhost:993: TLS handshake failed: ", 37) == 0);
	stop(&srv, &conn);
	test_end();

	test_begin("TLS 1.1 is refused");
	conn = start(&srv, SC_OLD_TLS, &params, &err, &rc);
	test_assert_int(rc, -1);
	test_assert_int(err.kind, ERR_TLS);
	test_assert(!srv.handshake_ok);
	stop(&srv, &conn);
	test_end();
}

static void
test_bulk(void)
{
	struct net_params params;
	struct net_conn *conn;
	struct server srv;
	struct err err;
	char *buf = malloc(BULK);
	bool same = true;
	int rc;

	test_begin("megabytes both ways over TLS");
	base_params(&params, "localhost", ca_file);
	conn = start(&srv, SC_BULK, &params, &err, &rc);
	test_assert_int(rc, 0);
	test_assert_int(net_conn_read_exact(conn, buf, BULK, &err), 0);
	for (size_t i = 0; i < BULK && same; i++)
		same = buf[i] == (char)(i % 251);
	test_assert(same);
	test_assert_int(net_conn_write_data(conn, buf, BULK, &err), 0);
	pthread_join(srv.thread, NULL);
	test_assert(srv.bulk_ok);
	net_conn_free(&conn);
	free(buf);
	test_end();
}

int
main(void)
{
	/* The OpenSSL test server writes through write(2); petrel's side
	   never raises SIGPIPE (test-net-conn checks that). */
	signal(SIGPIPE, SIG_IGN);
	make_pki();
	test_verify();
	test_starttls();
	test_failures();
	test_bulk();
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(srv_key);
	X509_free(ca_cert);
	X509_free(other_cert);
	X509_free(srv_cert);
	X509_free(expired_cert);
	return test_done();
}
