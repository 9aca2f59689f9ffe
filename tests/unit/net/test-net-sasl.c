#include "config.h"

#include <gsasl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/net-sasl.h"
#include "test-common.h"

static char *
b64(const void *data, size_t len)
{
	char *out;

	if (gsasl_base64_to(data, len, &out, NULL) != GSASL_OK)
		abort();
	return out;
}

/* Decodes base64 into a NUL-terminated string (test data has no NULs
 * except where the caller checks the length). */
static char *
unb64(const char *text, size_t *len_r)
{
	char *out;
	size_t len;

	if (gsasl_base64_from(text, strlen(text), &out, &len) != GSASL_OK)
		return NULL;
	out = realloc(out, len + 1);
	out[len] = '\0';
	if (len_r != NULL)
		*len_r = len;
	return out;
}

static void
params_init(struct net_sasl_params *p, const char *user, const char *password)
{
	memset(p, 0, sizeof(*p));
	p->user = user;
	p->password = password;
	p->service = "imap";
	p->host = "imap.example.org";
	p->port = "993";
	p->tls = true;
}

/* Chooses from server_mechs and returns the choice, or the error text. */
static const char *
choice(const struct net_sasl_params *p, const char *server_mechs)
{
	static char buf[ERR_MSG_MAX];
	struct net_sasl *sasl;
	const char *mech;
	struct err err;

	sasl = net_sasl_new(p, &err);
	if (sasl == NULL) {
		snprintf(buf, sizeof(buf), "new: %s", err.msg);
		return buf;
	}
	if (net_sasl_choose(sasl, server_mechs, &mech, &err) < 0)
		snprintf(buf, sizeof(buf), "%s: %s", err_kind_name(err.kind), err.msg);
	else
		snprintf(buf, sizeof(buf), "%s", mech);
	net_sasl_free(&sasl);
	return buf;
}

static void
test_choose(void)
{
	static const char all[] = "PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256";
	struct net_sasl_params p;

	test_begin("the strongest mechanism both sides have");
	params_init(&p, "alice", "secret");
	test_assert_str(choice(&p, all), "SCRAM-SHA-256");
	test_assert_str(choice(&p, "plain login cram-md5 scram-sha-1"), "SCRAM-SHA-1");
	test_assert_str(choice(&p, "LOGIN PLAIN CRAM-MD5"), "CRAM-MD5");
	test_assert_str(choice(&p, "LOGIN PLAIN"), "PLAIN");
	test_assert_str(choice(&p, "LOGIN"), "LOGIN");
	test_assert_str(choice(&p, "GSSAPI XOAUTH2 OAUTHBEARER PLAIN"), "PLAIN");
	test_end();

	test_begin("PLAIN and LOGIN only over TLS unless allowed");
	p.tls = false;
	test_assert_str(choice(&p, all), "SCRAM-SHA-256");
	test_assert_str(choice(&p, "PLAIN LOGIN"),
			"unsupported: imap.example.org:993: no authentication mechanism in "
			"common: the server offers PLAIN LOGIN, petrel allows SCRAM-SHA-256 "
			"SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN; PLAIN LOGIN would send the password "
			"in the clear without TLS");
	p.allow_plaintext = true;
	test_assert_str(choice(&p, "PLAIN LOGIN"), "PLAIN");
	p.tls = true;
	p.allow_plaintext = false;
	test_end();

	test_begin("a configured list sets the order and the limits");
	p.mechs = "login, plain";
	test_assert_str(choice(&p, all), "LOGIN");
	p.mechs = "CRAM-MD5";
	test_assert_str(choice(&p, "PLAIN SCRAM-SHA-256"),
			"unsupported: imap.example.org:993: no authentication mechanism in "
			"common: the server offers PLAIN SCRAM-SHA-256, petrel allows CRAM-MD5");
	p.mechs = "SCRAM-SHA-256 DIGEST-FOO";
	test_assert(strncmp(choice(&p, all), "new: unknown authentication mechanism DIGEST-FOO",
			    48) == 0);
	p.mechs = NULL;
	test_assert_str(choice(&p, ""),
			"unsupported: imap.example.org:993: no authentication mechanism in "
			"common: the server offers none, petrel allows SCRAM-SHA-256 "
			"SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN");
	test_end();

	test_begin("OAuth only with a token, and first then");
	p.token = "tok";
	test_assert_str(choice(&p, "XOAUTH2 OAUTHBEARER PLAIN SCRAM-SHA-256"), "OAUTHBEARER");
	test_assert_str(choice(&p, "XOAUTH2 PLAIN"), "XOAUTH2");
	p.password = NULL;
	test_assert_str(choice(&p, "PLAIN SCRAM-SHA-256"),
			"unsupported: imap.example.org:993: no authentication mechanism in "
			"common: the server offers PLAIN SCRAM-SHA-256, petrel allows "
			"OAUTHBEARER XOAUTH2");
	p.token = NULL;
	test_assert_str(choice(&p, "PLAIN"),
			"unsupported: imap.example.org:993: no authentication mechanism in "
			"common: the server offers PLAIN, petrel allows nothing: no password "
			"or token was given");
	p.token = "tok";
	p.tls = false;
	test_assert(strstr(choice(&p, "XOAUTH2"),
			   "; XOAUTH2 would send the credentials in the clear without TLS") !=
		    NULL);
	test_end();

	test_begin("GSSAPI only when named");
	params_init(&p, "alice", "secret");
	test_assert_str(choice(&p, "GSSAPI"),
			"unsupported: imap.example.org:993: no authentication mechanism in "
			"common: the server offers GSSAPI, petrel allows SCRAM-SHA-256 "
			"SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN");
	p.mechs = "GSSAPI";
	test_assert_str(choice(&p, "PLAIN GSSAPI"), "GSSAPI");
	test_end();

	test_begin("a hostile mechanism list is cut and cleaned in the message");
	{
		char big[2000];
		const char *got;

		params_init(&p, "alice", "secret");
		memset(big, 'X', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		big[10] = '\033';
		got = choice(&p, big);
		test_assert(strchr(got, '\033') == NULL);
		test_assert(strlen(got) < 400);
	}
	test_end();
}

/* Starts mech and returns the client, or NULL. */
static struct net_sasl *
client(const struct net_sasl_params *p, const char *mech)
{
	struct net_sasl *sasl = net_sasl_new(p, NULL);
	const char *chosen;

	if (sasl != NULL && net_sasl_choose(sasl, mech, &chosen, NULL) < 0)
		net_sasl_free(&sasl);
	return sasl;
}

static void
test_simple_mechs(void)
{
	struct net_sasl_params p;
	struct net_sasl *sasl;
	struct err err;
	char *resp, *raw;
	size_t len;

	test_begin("PLAIN");
	params_init(&p, "alice", "s3cret");
	sasl = client(&p, "PLAIN");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 1);
	raw = unb64(resp, &len);
	test_assert_int(len, 13);
	test_assert(memcmp(raw, "\0alice\0s3cret", 13) == 0);
	free(raw);
	free(resp);
	test_assert_int(net_sasl_finish(sasl, NULL, &err), 0);
	net_sasl_free(&sasl);
	test_assert(sasl == NULL);
	p.authzid = "shared";
	sasl = client(&p, "PLAIN");
	test_assert_int(net_sasl_step(sasl, "", &resp, &err), 0);
	raw = unb64(resp, &len);
	test_assert_int(len, 19);
	test_assert(memcmp(raw, "shared\0alice\0s3cret", 19) == 0);
	free(raw);
	free(resp);
	net_sasl_free(&sasl);
	test_end();

	test_begin("LOGIN");
	params_init(&p, "alice", "s3cret");
	sasl = client(&p, "LOGIN");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 0);
	test_assert(resp == NULL);
	test_assert_int(net_sasl_step(sasl, "VXNlcm5hbWU6", &resp, &err), 0);
	test_assert_str(resp, "YWxpY2U=");
	free(resp);
	test_assert_int(net_sasl_finish(sasl, NULL, &err), -1); /* half way */
	test_assert_int(net_sasl_step(sasl, "UGFzc3dvcmQ6", &resp, &err), 0);
	test_assert_str(resp, "czNjcmV0");
	free(resp);
	test_assert_int(net_sasl_finish(sasl, NULL, &err), 0);
	test_assert_int(net_sasl_step(sasl, "UGFzc3dvcmQ6", &resp, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	net_sasl_free(&sasl);
	test_end();

	test_begin("CRAM-MD5 (RFC 2195 example)");
	params_init(&p, "tim", "tanstaaftanstaaf");
	p.tls = false;
	sasl = client(&p, "CRAM-MD5");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 0);
	test_assert_int(net_sasl_step(sasl,
				      "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+",
				      &resp, &err),
			0);
	test_assert_str(resp, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw");
	free(resp);
	test_assert_int(net_sasl_finish(sasl, NULL, &err), 0);
	net_sasl_free(&sasl);
	test_end();

	test_begin("XOAUTH2 (the example of Google's documentation)");
	params_init(&p, "someuser@example.com", NULL);
	p.token = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg";
	sasl = client(&p, "XOAUTH2");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 1);
	test_assert_str(resp, "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdD"
			      "RxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==");
	free(resp);
	test_assert_int(net_sasl_finish(sasl, NULL, &err), 0);
	net_sasl_free(&sasl);
	test_end();

	test_begin("XOAUTH2 error challenge: empty answer, status in the message");
	sasl = client(&p, "XOAUTH2");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 1);
	free(resp);
	raw = b64("{\"status\":\"401\",\"schemes\":\"bearer\","
		  "\"scope\":\"https://mail.google.com/\"}",
		  71);
	test_assert_int(net_sasl_step(sasl, raw, &resp, &err), 0);
	test_assert_str(resp, "");
	free(resp);
	free(raw);
	test_assert_int(net_sasl_finish(sasl, NULL, &err), -1);
	net_sasl_err_rejected(sasl, "[AUTHENTICATIONFAILED] Invalid credentials (Failure)", &err);
	test_assert_int(err.kind, ERR_AUTH);
	test_assert_str(err.msg, "imap.example.org:993: authentication as someuser@example.com "
				 "failed (XOAUTH2): the token was refused with status 401: "
				 "[AUTHENTICATIONFAILED] Invalid credentials (Failure)");
	net_sasl_free(&sasl);
	test_end();

	test_begin("OAUTHBEARER (RFC 7628 4.1)");
	params_init(&p, "user@example.com", NULL);
	p.host = "server.example.com";
	p.port = "143";
	p.token = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==";
	sasl = client(&p, "OAUTHBEARER");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 1);
	test_assert_str(resp, "bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcn"
			      "Q9MTQzAWF1dGg9QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRH"
			      "RXVZMjl0Q2c9PQEB");
	free(resp);
	/* RFC 7628 4.3: the error challenge is answered with a lone ^A. */
	raw = b64("{\"status\":\"invalid_token\",\"scope\":\"example_scope\"}", 51);
	test_assert_int(net_sasl_step(sasl, raw, &resp, &err), 0);
	test_assert_str(resp, "AQ==");
	free(resp);
	free(raw);
	net_sasl_err_rejected(sasl, "Authentication\r\nfailed", &err);
	test_assert_str(err.msg, "server.example.com:143: authentication as user@example.com "
				 "failed (OAUTHBEARER): the token was refused with status "
				 "invalid_token: Authentication??failed");
	net_sasl_free(&sasl);
	test_end();

	test_begin("OAUTHBEARER escapes the user name");
	params_init(&p, "a,b=c", NULL);
	p.port = NULL;
	p.token = "T";
	sasl = client(&p, "OAUTHBEARER");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 1);
	raw = unb64(resp, NULL);
	test_assert_str(raw, "n,a=a=2Cb=3Dc,\001host=imap.example.org\001auth=Bearer T\001\001");
	free(raw);
	free(resp);
	net_sasl_free(&sasl);
	p.token = "bad\001token";
	test_assert(net_sasl_new(&p, &err) == NULL);
	test_assert_int(err.kind, ERR_USAGE);
	test_end();
}

/* SCRAM-SHA-256 as RFC 5802 defines it, from OpenSSL, to check gsasl's
 * client against. */
static void
hmac256(const void *key, size_t klen, const void *data, size_t dlen, unsigned char out[32])
{
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, (int)klen, data, dlen, out, &len);
}

static void
scram_compute(const char *password, const char *salt_b64, int iter, const char *auth_message,
	      char **proof_r, char **sig_r)
{
	unsigned char salted[32], ck[32], stored[32], cs[32], sk[32], ss[32];
	unsigned int len = 32;
	size_t slen;
	char *salt = unb64(salt_b64, &slen);

	PKCS5_PBKDF2_HMAC(password, (int)strlen(password), (unsigned char *)salt, (int)slen,
			  iter, EVP_sha256(), 32, salted);
	hmac256(salted, 32, "Client Key", 10, ck);
	EVP_Digest(ck, 32, stored, &len, EVP_sha256(), NULL);
	hmac256(stored, 32, auth_message, strlen(auth_message), cs);
	for (int i = 0; i < 32; i++)
		cs[i] ^= ck[i];
	hmac256(salted, 32, "Server Key", 10, sk);
	hmac256(sk, 32, auth_message, strlen(auth_message), ss);
	*proof_r = b64(cs, 32);
	*sig_r = b64(ss, 32);
	free(salt);
}

static void
test_scram_vectors(void)
{
	static const char salt[] = "W22ZaJ0SNY7soEsUEjb6gQ==";
	static const char snonce[] = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
	struct net_sasl_params p;
	struct net_sasl *sasl;
	struct err err;
	char *proof, *sig, *resp, *raw, *cnonce, *sfirst, *am, *want, *sfinal, *s_b64;

	test_begin("the test's own SCRAM-SHA-256 reproduces RFC 7677");
	scram_compute("pencil", salt, 4096,
		      "n=user,r=rOprNGfwEbeRWgbNEkqO,"
		      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
		      "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
		      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
		      &proof, &sig);
	test_assert_str(proof, "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
	test_assert_str(sig, "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
	free(proof);
	free(sig);
	test_end();

	test_begin("SCRAM-SHA-256 client against the RFC 7677 exchange");
	params_init(&p, "user", "pencil");
	sasl = client(&p, "SCRAM-SHA-256");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 1);
	raw = unb64(resp, NULL);
	free(resp);
	test_assert(strncmp(raw, "n,,n=user,r=", 12) == 0);
	cnonce = strdup(raw + 12);
	free(raw);
	sfirst = malloc(256);
	snprintf(sfirst, 256, "r=%s%s,s=%s,i=4096", cnonce, snonce, salt);
	s_b64 = b64(sfirst, strlen(sfirst));
	test_assert_int(net_sasl_step(sasl, s_b64, &resp, &err), 0);
	free(s_b64);
	raw = unb64(resp, NULL);
	free(resp);
	am = malloc(1024);
	snprintf(am, 1024, "n=user,r=%s,%s,c=biws,r=%s%s", cnonce, sfirst, cnonce, snonce);
	scram_compute("pencil", salt, 4096, am, &proof, &sig);
	want = malloc(512);
	snprintf(want, 512, "c=biws,r=%s%s,p=%s", cnonce, snonce, proof);
	test_assert_str(raw, want);
	free(raw);

	/* A server that says yes before proving itself is refused; the one
	   that proves itself is then accepted. */
	snprintf(want, 512, "v=%s", sig);
	sfinal = b64(want, strlen(want));
	test_assert_int(net_sasl_finish(sasl, NULL, &err), -1);
	test_assert_int(err.kind, ERR_AUTH);
	test_assert_str(err.msg, "imap.example.org:993: SCRAM-SHA-256: the server said yes "
				 "without proving that it knows the password: it is not the "
				 "server you set up");
	test_assert_int(net_sasl_step(sasl, sfinal, &resp, &err), 0);
	test_assert_str(resp, "");
	free(resp);
	test_assert_int(net_sasl_finish(sasl, NULL, &err), 0);
	net_sasl_free(&sasl);
	test_end();

	test_begin("SCRAM-SHA-256: a wrong server signature fails");
	{
		char *again;

		sasl = client(&p, "SCRAM-SHA-256");
		net_sasl_initial(sasl, &resp, &err);
		raw = unb64(resp, NULL);
		free(resp);
		free(cnonce);
		cnonce = strdup(raw + 12);
		free(raw);
		snprintf(sfirst, 256, "r=%s%s,s=%s,i=4096", cnonce, snonce, salt);
		s_b64 = b64(sfirst, strlen(sfirst));
		test_assert_int(net_sasl_step(sasl, s_b64, &resp, &err), 0);
		free(s_b64);
		free(resp);
		free(proof);
		free(sig);
		snprintf(am, 1024, "n=user,r=%s,%s,c=biws,r=%s%s", cnonce, sfirst, cnonce, snonce);
		scram_compute("pencil", salt, 4096, am, &proof, &sig);
		/* Still well-formed base64, one signature bit wrong. */
		sig[0] = sig[0] == 'A' ? 'B' : 'A';
		snprintf(want, 512, "v=%s", sig);
		again = b64(want, strlen(want));
		test_assert_int(net_sasl_step(sasl, again, &resp, &err), -1);
		test_assert_int(err.kind, ERR_AUTH);
		test_assert_str(err.msg, "imap.example.org:993: SCRAM-SHA-256: the server could "
					 "not prove that it knows the password: it may not be "
					 "the server you set up");
		test_assert_int(net_sasl_finish(sasl, NULL, &err), -1);
		free(again);
		net_sasl_free(&sasl);
	}
	test_end();

	test_begin("SCRAM-SHA-256: the server's e= is a refusal");
	sasl = client(&p, "SCRAM-SHA-256");
	net_sasl_initial(sasl, &resp, &err);
	raw = unb64(resp, NULL);
	free(resp);
	snprintf(sfirst, 256, "r=%s%s,s=%s,i=4096", raw + 12, snonce, salt);
	free(raw);
	s_b64 = b64(sfirst, strlen(sfirst));
	test_assert_int(net_sasl_step(sasl, s_b64, &resp, &err), 0);
	free(resp);
	free(s_b64);
	s_b64 = b64("e=invalid-proof", 15);
	test_assert_int(net_sasl_step(sasl, s_b64, &resp, &err), -1);
	test_assert_int(err.kind, ERR_AUTH);
	test_assert_str(err.msg, "imap.example.org:993: SCRAM-SHA-256: the server refused the "
				 "password (invalid-proof)");
	free(s_b64);
	net_sasl_free(&sasl);
	test_end();

	free(cnonce);
	free(sfirst);
	free(am);
	free(want);
	free(proof);
	free(sig);
	free(sfinal);
}

static const char *server_password;

static int
server_cb(Gsasl *ctx, Gsasl_session *s, Gsasl_property prop)
{
	const char *pw;

	(void)ctx;
	switch (prop) {
	case GSASL_PASSWORD:
		gsasl_property_set(s, GSASL_PASSWORD, server_password);
		return GSASL_OK;
	case GSASL_VALIDATE_SIMPLE:
		pw = gsasl_property_fast(s, GSASL_PASSWORD);
		return pw != NULL && strcmp(pw, server_password) == 0 ? GSASL_OK
								       : GSASL_AUTHENTICATION_ERROR;
	default:
		return GSASL_NO_CALLBACK;
	}
}

/*
 * A whole exchange between net_sasl and a GNU SASL server session.
 * Returns 0 when both sides agree it succeeded, 1 when the server said
 * no, -1 when the client failed.
 */
static int
exchange(const char *mech, const char *password, const char *srv_password, bool initial)
{
	struct net_sasl_params p;
	struct net_sasl *sasl;
	Gsasl *gs;
	Gsasl_session *ss;
	struct err err;
	char *resp = NULL, *chal = NULL;
	int rc, ret = -1, r;

	server_password = srv_password;
	gsasl_init(&gs);
	gsasl_callback_set(gs, server_cb);
	if (gsasl_server_start(gs, mech, &ss) != GSASL_OK)
		abort();
	gsasl_property_set(ss, GSASL_SERVICE, "imap");
	gsasl_property_set(ss, GSASL_HOSTNAME, "imap.example.org");
	params_init(&p, "alice", password);
	sasl = client(&p, mech);
	r = initial ? net_sasl_initial(sasl, &resp, &err) : 0;
	if (r < 0)
		goto out;
	if (r == 0) {
		/* The server speaks first, or the protocol has no initial
		   response: an empty challenge. */
		rc = gsasl_step64(ss, "", &chal);
		if (rc != GSASL_NEEDS_MORE)
			goto server_no;
		if (net_sasl_step(sasl, chal, &resp, &err) < 0)
			goto out;
		gsasl_free(chal);
		chal = NULL;
	}
	for (int round = 0; round < 10; round++) {
		rc = gsasl_step64(ss, resp, &chal);
		free(resp);
		resp = NULL;
		if (rc == GSASL_OK) {
			/* Success, perhaps with a last word (SCRAM's v=) that IMAP
			   sends as a challenge before its OK. */
			if (chal != NULL && chal[0] != '\0') {
				if (net_sasl_step(sasl, chal, &resp, &err) < 0)
					goto out;
			}
			ret = net_sasl_finish(sasl, NULL, &err) == 0 ? 0 : -1;
			goto out;
		}
		if (rc != GSASL_NEEDS_MORE)
			goto server_no;
		if (net_sasl_step(sasl, chal, &resp, &err) < 0)
			goto out;
		gsasl_free(chal);
		chal = NULL;
	}
	goto out;
server_no:
	ret = 1;
out:
	free(resp);
	gsasl_free(chal);
	gsasl_finish(ss);
	gsasl_done(gs);
	net_sasl_free(&sasl);
	return ret;
}

static void
test_against_gsasl_server(void)
{
	static const char *const mechs[] = {"PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1",
					    "SCRAM-SHA-256"};

	for (size_t i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++) {
		char name[128];

		snprintf(name, sizeof(name), "%s against a GNU SASL server", mechs[i]);
		test_begin(name);
		/* A non-ASCII password goes through SASLprep on both sides. */
		test_assert_int(exchange(mechs[i], "pw \xc3\xa9t\xc3\xa9", "pw \xc3\xa9t\xc3\xa9",
					 true),
				0);
		test_assert_int(exchange(mechs[i], "pw", "pw", false), 0);
		test_assert_int(exchange(mechs[i], "wrong", "right", true), 1);
		test_end();
	}
}

/* Answers a SCRAM-SHA-256 client's first message with iterations `iter`;
 * the client's answer to that. */
static int
scram_with_iterations(const char *iter, struct err *err)
{
	struct net_sasl_params p;
	struct net_sasl *sasl;
	char *resp = NULL, *raw, *first, *first_b64;
	int rc;

	params_init(&p, "alice", "pw");
	sasl = client(&p, "SCRAM-SHA-256");
	if (net_sasl_initial(sasl, &resp, err) != 1)
		abort();
	raw = unb64(resp, NULL);
	free(resp);
	first = malloc(512);
	snprintf(first, 512, "r=%sserver,s=QUFBQUFBQUE=,i=%s", strstr(raw, ",r=") + 3, iter);
	first_b64 = b64(first, strlen(first));
	resp = NULL;
	rc = net_sasl_step(sasl, first_b64, &resp, err);
	free(resp);
	free(first_b64);
	free(first);
	free(raw);
	net_sasl_free(&sasl);
	return rc;
}

static void
test_scram_salting(void)
{
	struct err err;

	test_begin("SCRAM: the password is normalised (SASLprep) before it is salted");
	/* A soft hyphen maps to nothing: both sides hash "IX". */
	test_assert_int(exchange("SCRAM-SHA-256", "I\xc2\xadX", "IX", true), 0);
	test_assert_int(exchange("SCRAM-SHA-1", "I\xc2\xadX", "IX", true), 0);
	test_assert_int(exchange("SCRAM-SHA-256", "IY", "IX", true), 1);
	test_end();

	test_begin("SCRAM: a server asking for too many iterations, or none, is refused");
	test_assert_int(scram_with_iterations("4096", &err), 0);
	test_assert_int(scram_with_iterations("2000000", &err), 0);
	test_assert_int(scram_with_iterations("4294967295", &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert_str(err.msg, "imap.example.org:993: SCRAM-SHA-256: the server asks for "
				 "4294967295 iterations of the password; petrel does 1 to 2000000");
	test_assert_int(scram_with_iterations("2000001", &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert_int(scram_with_iterations("99999999999999999999999", &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert_int(scram_with_iterations("0", &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_end();
}

static void
test_hostile(void)
{
	struct net_sasl_params p;
	struct net_sasl *sasl;
	struct err err;
	char *resp, *big;

	test_begin("hostile challenges");
	params_init(&p, "alice", "pw");
	sasl = client(&p, "CRAM-MD5");
	test_assert_int(net_sasl_step(sasl, "!!!", &resp, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	test_assert(resp == NULL);
	net_sasl_free(&sasl);

	sasl = client(&p, "CRAM-MD5");
	big = malloc(NET_SASL_CHALLENGE_MAX + 2);
	memset(big, 'A', NET_SASL_CHALLENGE_MAX + 1);
	big[NET_SASL_CHALLENGE_MAX + 1] = '\0';
	test_assert_int(net_sasl_step(sasl, big, &resp, &err), -1);
	test_assert_int(err.kind, ERR_PROTO);
	free(big);
	net_sasl_free(&sasl);

	sasl = client(&p, "SCRAM-SHA-256");
	test_assert_int(net_sasl_initial(sasl, &resp, &err), 1);
	free(resp);
	test_assert_int(net_sasl_step(sasl, "cj1ub3RteW5vbmNlLHM9QUFBQSxpPTE=", &resp, &err), -1);
	test_assert(err.kind == ERR_PROTO || err.kind == ERR_AUTH);
	net_sasl_free(&sasl);

	sasl = net_sasl_new(&p, &err);
	test_assert_int(net_sasl_step(sasl, "", &resp, &err), -1);
	test_assert_int(err.kind, ERR_INTERNAL);
	net_sasl_free(&sasl);
	test_end();
}

int
main(void)
{
	test_choose();
	test_simple_mechs();
	test_scram_vectors();
	test_against_gsasl_server();
	test_scram_salting();
	test_hostile();
	return test_done();
}
