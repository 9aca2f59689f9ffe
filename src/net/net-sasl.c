#include "config.h"

#include <errno.h>
#include <gsasl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "net/net-sasl.h"

enum {
	MECH_CLIENT_FIRST = 1 << 0, /* has an initial response */
	MECH_REVEALS = 1 << 1,      /* sends the secret itself: TLS only */
	MECH_PASSWORD = 1 << 2,     /* needs a password */
	MECH_TOKEN = 1 << 3,        /* needs a bearer token */
	MECH_MUTUAL = 1 << 4,       /* done only once the server proved itself */
	MECH_OURS = 1 << 5,         /* done here, not by GNU SASL */
	MECH_EXPLICIT = 1 << 6,     /* only when named: it needs setup the user knows of */
};

struct mech {
	const char *name;
	unsigned flags;
};

/* In the default order of preference. */
static const struct mech mech_table[] = {
	{"OAUTHBEARER", MECH_CLIENT_FIRST | MECH_REVEALS | MECH_TOKEN | MECH_OURS},
	{"XOAUTH2", MECH_CLIENT_FIRST | MECH_REVEALS | MECH_TOKEN | MECH_OURS},
	{"SCRAM-SHA-256", MECH_CLIENT_FIRST | MECH_PASSWORD | MECH_MUTUAL},
	{"SCRAM-SHA-1", MECH_CLIENT_FIRST | MECH_PASSWORD | MECH_MUTUAL},
	{"CRAM-MD5", MECH_PASSWORD},
	{"PLAIN", MECH_CLIENT_FIRST | MECH_REVEALS | MECH_PASSWORD},
	{"LOGIN", MECH_REVEALS | MECH_PASSWORD},
	{"GSSAPI", MECH_CLIENT_FIRST | MECH_MUTUAL | MECH_EXPLICIT},
};
#define MECH_COUNT (sizeof(mech_table) / sizeof(mech_table[0]))

/* The most SCRAM iterations done for a server (half a second or so): a
 * hostile one asking for 4,294,967,295 would otherwise hold the
 * connection's thread for hours. */
#define SCRAM_ITER_MAX 2000000UL

enum sasl_state {
	SASL_NEW,     /* no mechanism chosen */
	SASL_CHOSEN,  /* nothing sent yet */
	SASL_RUNNING, /* responses sent, more expected */
	SASL_DONE,    /* the mechanism finished on the client side */
	SASL_FAILED,
};

struct net_sasl {
	char *user;
	char *authzid;
	char *password;
	char *token;
	char *service;
	char *host;
	char *port;
	char *peer; /* "host:port" or "host" for messages */
	bool tls;
	bool allow_plaintext;
	const struct mech *allowed[MECH_COUNT]; /* in order of preference */
	size_t nallowed;

	Gsasl *gsasl;
	Gsasl_session *session;
	const struct mech *mech;
	enum sasl_state state;
	int rounds;
	char *oauth_status; /* the "status" of an OAuth error challenge */
	char *refusal;      /* why petrel would not go on (a SCRAM iteration count) */
};

static int gsasl_callback_fn(Gsasl *ctx, Gsasl_session *sctx, Gsasl_property prop);

/* gsasl_init() and gsasl_done() touch library-wide state. */
static pthread_mutex_t gsasl_lock = PTHREAD_MUTEX_INITIALIZER;

static const struct mech *
mech_find(const char *name, size_t len)
{
	for (size_t i = 0; i < MECH_COUNT; i++)
		if (strlen(mech_table[i].name) == len &&
		    strncasecmp(mech_table[i].name, name, len) == 0)
			return &mech_table[i];
	return NULL;
}

static bool
mech_available(struct net_sasl *sasl, const struct mech *m)
{
	return (m->flags & MECH_OURS) != 0 || gsasl_client_support_p(sasl->gsasl, m->name);
}

static bool
has_control(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
free_secret(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static int
parse_allowed(struct net_sasl *sasl, const char *list, struct err *err)
{
	const char *p = list, *end;
	const struct mech *m;
	size_t len, i;

	if (list == NULL || list[0] == '\0') {
		for (i = 0; i < MECH_COUNT; i++)
			if ((mech_table[i].flags & MECH_EXPLICIT) == 0 &&
			    mech_available(sasl, &mech_table[i]))
				sasl->allowed[sasl->nallowed++] = &mech_table[i];
		return 0;
	}
	while (*p != '\0') {
		p += strspn(p, " ,\t");
		if (*p == '\0')
			break;
		len = strcspn(p, " ,\t");
		end = p + len;
		m = mech_find(p, len);
		if (m == NULL)
			return err_set(err, ERR_USAGE,
				       "unknown authentication mechanism %.*s (petrel knows "
				       "OAUTHBEARER XOAUTH2 SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 "
				       "PLAIN LOGIN GSSAPI)",
				       (int)(len > 40 ? 40 : len), p);
		if (!mech_available(sasl, m))
			return err_set(err, ERR_USAGE,
				       "authentication mechanism %s is not available: the GNU SASL "
				       "library lacks it",
				       m->name);
		for (i = 0; i < sasl->nallowed && sasl->allowed[i] != m; i++)
			;
		if (i == sasl->nallowed)
			sasl->allowed[sasl->nallowed++] = m;
		p = end;
	}
	if (sasl->nallowed == 0)
		return err_set(err, ERR_USAGE, "no authentication mechanism allowed");
	return 0;
}

struct net_sasl *
net_sasl_new(const struct net_sasl_params *params, struct err *err)
{
	struct net_sasl *sasl;
	int rc;

	if (has_control(params->user) || has_control(params->authzid) ||
	    has_control(params->token)) {
		err_set(err, ERR_USAGE, "the user name or OAuth token holds control characters");
		return NULL;
	}
	sasl = xcalloc(1, sizeof(*sasl));
	sasl->user = dup_or_null(params->user);
	sasl->authzid = dup_or_null(params->authzid);
	sasl->password = dup_or_null(params->password);
	sasl->token = dup_or_null(params->token);
	sasl->service = xstrdup(params->service != NULL ? params->service : "imap");
	sasl->host = xstrdup(params->host != NULL ? params->host : "localhost");
	sasl->port = dup_or_null(params->port);
	if (sasl->port == NULL)
		sasl->peer = xstrdup(sasl->host);
	else if (strchr(sasl->host, ':') != NULL)
		sasl->peer = xasprintf("[%s]:%s", sasl->host, sasl->port);
	else
		sasl->peer = xasprintf("%s:%s", sasl->host, sasl->port);
	sasl->tls = params->tls;
	sasl->allow_plaintext = params->allow_plaintext;
	pthread_mutex_lock(&gsasl_lock);
	rc = gsasl_init(&sasl->gsasl);
	pthread_mutex_unlock(&gsasl_lock);
	if (rc != GSASL_OK) {
		sasl->gsasl = NULL;
		err_set(err, ERR_INTERNAL, "cannot start GNU SASL: %s", gsasl_strerror(rc));
		goto fail;
	}
	gsasl_callback_set(sasl->gsasl, gsasl_callback_fn);
	if (parse_allowed(sasl, params->mechs, err) < 0)
		goto fail;
	return sasl;
fail:
	net_sasl_free(&sasl);
	return NULL;
}

void
net_sasl_free(struct net_sasl **saslp)
{
	struct net_sasl *sasl = *saslp;

	if (sasl == NULL)
		return;
	if (sasl->session != NULL)
		gsasl_finish(sasl->session);
	if (sasl->gsasl != NULL) {
		pthread_mutex_lock(&gsasl_lock);
		gsasl_done(sasl->gsasl);
		pthread_mutex_unlock(&gsasl_lock);
	}
	free(sasl->user);
	free(sasl->authzid);
	free_secret(sasl->password);
	free_secret(sasl->token);
	free(sasl->service);
	free(sasl->host);
	free(sasl->port);
	free(sasl->peer);
	free(sasl->oauth_status);
	free(sasl->refusal);
	free(sasl);
	*saslp = NULL;
}

/* Is name (NUL-terminated) in the space-separated list? */
static bool
list_has(const char *list, const char *name)
{
	size_t n = strlen(name), len;
	const char *p = list;

	while (*p != '\0') {
		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (len == n && strncasecmp(p, name, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* A copy of text fit for a one-line message: control characters become
 * '?', and it is cut at max bytes. */
static void
append_clean(struct str *out, const char *text, size_t max)
{
	size_t i;

	for (i = 0; text[i] != '\0' && i < max; i++) {
		unsigned char c = (unsigned char)text[i];

		str_append_char(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
	}
	if (text[i] != '\0')
		str_append(out, "...");
}

static bool
is_scram(const struct mech *m)
{
	return strncmp(m->name, "SCRAM-", 6) == 0;
}

/*
 * SCRAM's SaltedPassword, Hi(Normalize(password), salt, i) of RFC 5802,
 * hex-encoded as GNU SASL takes it, into hex (2 * 32 + 1 bytes).  Done
 * with OpenSSL, whose SHA code uses the processor's SHA instructions
 * (4,096 iterations: 2 ms, against 7 ms for GNU SASL's own, at every
 * login).  The password is normalised with SASLprep as GNU SASL does.
 */
static int
scram_salted_password(struct net_sasl *sasl, Gsasl_session *sctx, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	const char *iter_s = gsasl_property_fast(sctx, GSASL_SCRAM_ITER);
	const char *salt_b64 = gsasl_property_fast(sctx, GSASL_SCRAM_SALT);
	const EVP_MD *md = strcmp(sasl->mech->name, "SCRAM-SHA-1") == 0 ? EVP_sha1() : EVP_sha256();
	unsigned char out[EVP_MAX_MD_SIZE];
	char *salt = NULL, *prepped = NULL, *end;
	size_t salt_len = 0, md_len = (size_t)EVP_MD_get_size(md);
	unsigned long iter;
	int ok;

	if (sasl->password == NULL || iter_s == NULL || salt_b64 == NULL)
		return GSASL_NO_PASSWORD;
	errno = 0;
	iter = strtoul(iter_s, &end, 10);
	if (iter == 0 || iter > SCRAM_ITER_MAX || *end != '\0' || errno != 0) {
		free(sasl->refusal);
		sasl->refusal = xasprintf("the server asks for %.20s iterations of the password; "
		                          "petrel does 1 to %lu",
		                          iter_s, SCRAM_ITER_MAX);
		return GSASL_NO_PASSWORD;
	}
	if (gsasl_base64_from(salt_b64, strlen(salt_b64), &salt, &salt_len) != GSASL_OK)
		return GSASL_BASE64_ERROR;
	if (gsasl_saslprep(sasl->password, GSASL_ALLOW_UNASSIGNED, &prepped, NULL) != GSASL_OK) {
		gsasl_free(salt);
		return GSASL_SASLPREP_ERROR;
	}
	ok = PKCS5_PBKDF2_HMAC(prepped, (int)strlen(prepped), (const unsigned char *)salt,
	                       (int)salt_len, (int)iter, md, (int)md_len, out);
	explicit_bzero(prepped, strlen(prepped));
	gsasl_free(prepped);
	gsasl_free(salt);
	if (!ok)
		return GSASL_CRYPTO_ERROR;
	for (size_t i = 0; i < md_len; i++) {
		hex[2 * i] = digits[out[i] >> 4];
		hex[2 * i + 1] = digits[out[i] & 15];
	}
	hex[2 * md_len] = '\0';
	explicit_bzero(out, sizeof(out));
	return GSASL_OK;
}

/* GNU SASL asks here for what a session lacks: SCRAM's salted password. */
static int
gsasl_callback_fn(Gsasl *ctx, Gsasl_session *sctx, Gsasl_property prop)
{
	struct net_sasl *sasl = gsasl_session_hook_get(sctx);
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	int rc;

	(void)ctx;
	if (sasl == NULL || prop != GSASL_SCRAM_SALTED_PASSWORD)
		return GSASL_NO_CALLBACK;
	rc = scram_salted_password(sasl, sctx, hex);
	if (rc == GSASL_OK)
		rc = gsasl_property_set(sctx, GSASL_SCRAM_SALTED_PASSWORD, hex);
	explicit_bzero(hex, sizeof(hex));
	return rc;
}

static int
session_start(struct net_sasl *sasl, struct err *err)
{
	int rc;

	rc = gsasl_client_start(sasl->gsasl, sasl->mech->name, &sasl->session);
	if (rc != GSASL_OK)
		return err_set(err, ERR_INTERNAL, "%s: cannot start %s: %s", sasl->peer,
			       sasl->mech->name, gsasl_strerror(rc));
	gsasl_session_hook_set(sasl->session, sasl);
	if (sasl->user != NULL)
		gsasl_property_set(sasl->session, GSASL_AUTHID, sasl->user);
	if (sasl->authzid != NULL)
		gsasl_property_set(sasl->session, GSASL_AUTHZID, sasl->authzid);
	/* SCRAM gets its salted password from gsasl_callback_fn() only, so
	 * that the iteration count is always looked at. */
	if (sasl->password != NULL && !is_scram(sasl->mech))
		gsasl_property_set(sasl->session, GSASL_PASSWORD, sasl->password);
	gsasl_property_set(sasl->session, GSASL_SERVICE, sasl->service);
	gsasl_property_set(sasl->session, GSASL_HOSTNAME, sasl->host);
	return 0;
}

int
net_sasl_choose(struct net_sasl *sasl, const char *server_mechs, const char **mech_r,
		struct err *err)
{
	struct str skipped = STR_INIT, msg = STR_INIT;
	const struct mech *m;
	size_t i, n;
	int ret = -1;

	*mech_r = NULL;
	if (sasl->state != SASL_NEW)
		return err_set(err, ERR_INTERNAL, "%s: SASL mechanism chosen twice", sasl->peer);
	for (i = 0; i < sasl->nallowed; i++) {
		m = sasl->allowed[i];
		if (!list_has(server_mechs, m->name))
			continue;
		if ((m->flags & MECH_PASSWORD) != 0 && sasl->password == NULL)
			continue;
		if ((m->flags & MECH_TOKEN) != 0 && sasl->token == NULL)
			continue;
		if ((m->flags & MECH_REVEALS) != 0 && !sasl->tls && !sasl->allow_plaintext) {
			str_appendf(&skipped, "%s%s", skipped.len > 0 ? " " : "", m->name);
			continue;
		}
		sasl->mech = m;
		break;
	}
	if (sasl->mech == NULL) {
		str_appendf(&msg, "%s: no authentication mechanism in common: the server offers ",
			    sasl->peer);
		if (server_mechs[strspn(server_mechs, " \t")] == '\0')
			str_append(&msg, "none");
		else
			append_clean(&msg, server_mechs + strspn(server_mechs, " \t"), 200);
		while (msg.len > 0 && (msg.s[msg.len - 1] == ' ' || msg.s[msg.len - 1] == '\t'))
			str_truncate(&msg, msg.len - 1);
		/* Only what the credentials at hand could use. */
		str_append(&msg, ", petrel allows");
		for (i = 0, n = 0; i < sasl->nallowed; i++) {
			m = sasl->allowed[i];
			if (((m->flags & MECH_PASSWORD) != 0 && sasl->password == NULL) ||
			    ((m->flags & MECH_TOKEN) != 0 && sasl->token == NULL))
				continue;
			str_appendf(&msg, " %s", m->name);
			n++;
		}
		if (n == 0)
			str_append(&msg, " nothing: no password or token was given");
		if (skipped.len > 0)
			str_appendf(&msg, "; %s would send the %s in the clear without TLS",
				    skipped.s, sasl->token != NULL ? "credentials" : "password");
		err_set(err, ERR_UNSUPPORTED, "%s", msg.s);
		goto out;
	}
	if ((sasl->mech->flags & MECH_OURS) == 0 && session_start(sasl, err) < 0) {
		sasl->state = SASL_FAILED;
		goto out;
	}
	sasl->state = SASL_CHOSEN;
	*mech_r = sasl->mech->name;
	ret = 0;
out:
	str_free(&skipped);
	str_free(&msg);
	return ret;
}

const char *
net_sasl_mech(const struct net_sasl *sasl)
{
	return sasl->mech != NULL ? sasl->mech->name : NULL;
}

static char *
base64_of(const char *data, size_t len)
{
	char *out = NULL;

	if (gsasl_base64_to(data, len, &out, NULL) != GSASL_OK)
		abort(); /* only fails on memory exhaustion */
	return out;
}

/* Decodes base64 into a NUL-terminated copy (GNU SASL's is not); NULL
 * when malformed.  Caller frees. */
static char *
base64_decode_str(const char *text, size_t *len_r)
{
	char *raw = NULL, *out;
	size_t len;

	if (gsasl_base64_from(text, strlen(text), &raw, &len) != GSASL_OK)
		return NULL;
	out = xmalloc(len + 1);
	if (len > 0)
		memcpy(out, raw, len);
	out[len] = '\0';
	gsasl_free(raw);
	*len_r = len;
	return out;
}

/* RFC 5801 saslname: ',' and '=' escaped. */
static void
append_saslname(struct str *out, const char *name)
{
	for (; *name != '\0'; name++) {
		if (*name == ',')
			str_append(out, "=2C");
		else if (*name == '=')
			str_append(out, "=3D");
		else
			str_append_char(out, *name);
	}
}

static char *
oauth_initial(struct net_sasl *sasl)
{
	struct str s = STR_INIT;
	const char *who = sasl->user != NULL ? sasl->user : "";
	char *b64;

	if (strcmp(sasl->mech->name, "XOAUTH2") == 0) {
		str_appendf(&s, "user=%s\001auth=Bearer %s\001\001", who, sasl->token);
	} else {
		str_append(&s, "n,a=");
		append_saslname(&s, sasl->authzid != NULL ? sasl->authzid : who);
		str_appendf(&s, ",\001host=%s\001", sasl->host);
		if (sasl->port != NULL)
			str_appendf(&s, "port=%s\001", sasl->port);
		str_appendf(&s, "auth=Bearer %s\001\001", sasl->token);
	}
	b64 = base64_of(s.s, s.len);
	explicit_bzero(s.s, s.len);
	str_free(&s);
	return b64;
}

/* After the initial response, an OAuth server speaks only to report an
 * error (RFC 7628 3.2.2): keep its status for the message, and answer
 * with what lets it send its final "no". */
static int
oauth_step(struct net_sasl *sasl, const char *challenge, char **response_r, struct err *err)
{
	char *json = NULL, *p, *end;
	size_t len;

	if (sasl->state == SASL_CHOSEN) {
		*response_r = oauth_initial(sasl);
		sasl->state = SASL_DONE;
		return 0;
	}
	json = base64_decode_str(challenge, &len);
	if (json == NULL)
		return err_set(err, ERR_PROTO, "%s: %s: the server sent a malformed challenge",
			       sasl->peer, sasl->mech->name);
	p = strstr(json, "\"status\"");
	if (p != NULL && (p = strchr(p + 8, '"')) != NULL && (end = strchr(p + 1, '"')) != NULL &&
	    end - p - 1 <= 64) {
		struct str status = STR_INIT;

		*end = '\0';
		append_clean(&status, p + 1, 64);
		free(sasl->oauth_status);
		sasl->oauth_status = str_detach(&status);
	}
	free(json);
	sasl->state = SASL_FAILED;
	*response_r = strcmp(sasl->mech->name, "XOAUTH2") == 0 ? xstrdup("") : base64_of("\001", 1);
	return 0;
}

/* A SCRAM server-final message "e=..." is the server saying no. */
static bool
scram_server_error(const char *challenge, char **why_r)
{
	struct str why = STR_INIT;
	char *raw;
	size_t len;
	bool ret = false;

	raw = base64_decode_str(challenge, &len);
	if (raw == NULL)
		return false;
	if (len > 2 && strncmp(raw, "e=", 2) == 0 && memchr(raw, '\0', len) == NULL) {
		append_clean(&why, raw + 2, 100);
		*why_r = str_detach(&why);
		ret = true;
	}
	free(raw);
	return ret;
}

static int
gsasl_err(struct net_sasl *sasl, int rc, const char *challenge, struct err *err)
{
	char *why;

	if ((rc == GSASL_AUTHENTICATION_ERROR || rc == GSASL_MECHANISM_PARSE_ERROR) &&
	    scram_server_error(challenge, &why)) {
		err_set(err, ERR_AUTH, "%s: %s: the server refused the password (%s)", sasl->peer,
			sasl->mech->name, why);
		free(why);
		return -1;
	}
	if (sasl->refusal != NULL)
		return err_set(err, ERR_PROTO, "%s: %s: %s", sasl->peer, sasl->mech->name,
			       sasl->refusal);
	switch (rc) {
	case GSASL_BASE64_ERROR:
	case GSASL_MECHANISM_PARSE_ERROR:
		return err_set(err, ERR_PROTO, "%s: %s: the server sent a malformed challenge",
			       sasl->peer, sasl->mech->name);
	case GSASL_AUTHENTICATION_ERROR:
		if ((sasl->mech->flags & MECH_MUTUAL) != 0 && sasl->rounds > 1)
			return err_set(err, ERR_AUTH,
				       "%s: %s: the server could not prove that it knows the "
				       "password: it may not be the server you set up",
				       sasl->peer, sasl->mech->name);
		return err_set(err, ERR_AUTH, "%s: %s: authentication failed", sasl->peer,
			       sasl->mech->name);
	case GSASL_NO_AUTHID:
	case GSASL_NO_PASSWORD:
		return err_set(err, ERR_USAGE, "%s: %s needs a user name and password", sasl->peer,
			       sasl->mech->name);
	default:
		return err_set(err, ERR_AUTH, "%s: %s: %s", sasl->peer, sasl->mech->name,
			       gsasl_strerror(rc));
	}
}

static int
sasl_step(struct net_sasl *sasl, const char *challenge, char **response_r, struct err *err)
{
	char *out = NULL;
	int rc;

	*response_r = NULL;
	switch (sasl->state) {
	case SASL_NEW:
		return err_set(err, ERR_INTERNAL, "%s: SASL step before a mechanism was chosen",
			       sasl->peer);
	case SASL_FAILED:
		return err_set(err, ERR_PROTO, "%s: %s: the server went on after a failed exchange",
			       sasl->peer, sasl->mech->name);
	case SASL_DONE:
		if ((sasl->mech->flags & MECH_OURS) == 0) {
			sasl->state = SASL_FAILED;
			return err_set(err, ERR_PROTO,
				       "%s: %s: the server sent a challenge after the exchange "
				       "was complete",
				       sasl->peer, sasl->mech->name);
		}
		break;
	default:
		break;
	}
	if (strlen(challenge) > NET_SASL_CHALLENGE_MAX) {
		sasl->state = SASL_FAILED;
		return err_set(err, ERR_PROTO,
			       "%s: %s: the server sent a challenge longer than %d bytes",
			       sasl->peer, sasl->mech->name, NET_SASL_CHALLENGE_MAX);
	}
	if (++sasl->rounds > NET_SASL_ROUNDS_MAX) {
		sasl->state = SASL_FAILED;
		return err_set(err, ERR_PROTO, "%s: %s: the server sent more than %d challenges",
			       sasl->peer, sasl->mech->name, NET_SASL_ROUNDS_MAX);
	}
	if ((sasl->mech->flags & MECH_OURS) != 0)
		return oauth_step(sasl, challenge, response_r, err);
	rc = gsasl_step64(sasl->session, challenge, &out);
	if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
		gsasl_free(out);
		sasl->state = SASL_FAILED;
		return gsasl_err(sasl, rc, challenge, err);
	}
	sasl->state = rc == GSASL_OK ? SASL_DONE : SASL_RUNNING;
	*response_r = xstrdup(out != NULL ? out : "");
	if (out != NULL) {
		explicit_bzero(out, strlen(out));
		gsasl_free(out);
	}
	return 0;
}

int
net_sasl_initial(struct net_sasl *sasl, char **response_r, struct err *err)
{
	*response_r = NULL;
	if (sasl->state != SASL_CHOSEN)
		return err_set(err, ERR_INTERNAL, "%s: SASL initial response out of turn",
			       sasl->peer);
	if ((sasl->mech->flags & MECH_CLIENT_FIRST) == 0)
		return 0;
	if (sasl_step(sasl, "", response_r, err) < 0)
		return -1;
	return 1;
}

int
net_sasl_step(struct net_sasl *sasl, const char *challenge, char **response_r, struct err *err)
{
	return sasl_step(sasl, challenge, response_r, err);
}

int
net_sasl_finish(struct net_sasl *sasl, const char *success_data, struct err *err)
{
	char *out = NULL;

	if (success_data != NULL && sasl->state == SASL_RUNNING) {
		if (sasl_step(sasl, success_data, &out, err) < 0)
			return -1;
		free(out);
	}
	if (sasl->state == SASL_DONE)
		return 0;
	if (sasl->mech != NULL && (sasl->mech->flags & MECH_MUTUAL) != 0 &&
	    sasl->state == SASL_RUNNING)
		return err_set(err, ERR_AUTH,
			       "%s: %s: the server said yes without proving that it knows the "
			       "password: it is not the server you set up",
			       sasl->peer, sasl->mech->name);
	return err_set(err, ERR_AUTH, "%s: %s: the server said yes before the exchange was done",
		       sasl->peer, sasl->mech != NULL ? sasl->mech->name : "SASL");
}

int
net_sasl_err_rejected(struct net_sasl *sasl, const char *server_text, struct err *err)
{
	struct str msg = STR_INIT;

	str_appendf(&msg, "%s: authentication", sasl->peer);
	if (sasl->user != NULL)
		str_appendf(&msg, " as %s", sasl->user);
	str_append(&msg, " failed");
	if (sasl->mech != NULL)
		str_appendf(&msg, " (%s)", sasl->mech->name);
	if (sasl->oauth_status != NULL)
		str_appendf(&msg, ": the token was refused with status %s", sasl->oauth_status);
	if (server_text != NULL && server_text[0] != '\0') {
		str_append(&msg, ": ");
		append_clean(&msg, server_text, 300);
	}
	err_set(err, ERR_AUTH, "%s", msg.s);
	str_free(&msg);
	return -1;
}
