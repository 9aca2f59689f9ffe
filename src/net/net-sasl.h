/*
 * net-sasl: the client side of SASL authentication, without I/O.
 *
 * IMAP AUTHENTICATE, SMTP AUTH and POP3 AUTH all drive the same object:
 * pick a mechanism from the server's list, send the initial response if
 * the protocol allows one, then answer each base64 challenge with a base64
 * response until the server says yes or no.  GNU SASL does PLAIN, LOGIN,
 * CRAM-MD5, SCRAM-SHA-1, SCRAM-SHA-256 and GSSAPI (when the library has
 * it); XOAUTH2 and OAUTHBEARER (RFC 7628) are done here, from a bearer
 * token the caller obtained.  The protocol code strips its prefixes ("+ ",
 * "334 ") and adds its framing; it should turn on
 * net_conn_set_trace_secret() for the exchange.
 *
 * Default preference: OAUTHBEARER, XOAUTH2 (only with a token), then
 * SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN, LOGIN (only with a
 * password).  Mechanisms that send the secret itself (PLAIN, LOGIN and the
 * OAuth ones) are used only over TLS unless the caller explicitly allows
 * plain text.  GSSAPI is used only when named in the allowed list.
 *
 * Threads: an object belongs to one thread at a time.  Nothing blocks,
 * except that GSSAPI may talk to a Kerberos KDC.
 */
#ifndef NET_SASL_H
#define NET_SASL_H

#include <stdbool.h>

#include "base/base-err.h"

/* Longest challenge accepted, in base64 characters, and most rounds. */
#define NET_SASL_CHALLENGE_MAX 16384
#define NET_SASL_ROUNDS_MAX 10

/* Strings are copied by net_sasl_new(). */
struct net_sasl_params {
	const char *user;     /* authentication identity */
	const char *authzid;  /* identity to act as; NULL: the user's own */
	const char *password; /* NULL: no password mechanisms */
	const char *token;    /* OAuth 2.0 bearer token; NULL: no OAuth mechanisms */
	const char *service;  /* "imap", "smtp" or "pop" */
	const char *host;     /* the server's host name (GSSAPI, OAUTHBEARER, messages) */
	const char *port;     /* the server's port (OAUTHBEARER, messages); may be NULL */
	/* Allowed mechanisms in order of preference, separated by spaces or
	   commas; NULL or "": the default order. */
	const char *mechs;
	bool tls;             /* the connection runs over TLS */
	bool allow_plaintext; /* allow secret-revealing mechanisms without TLS */
};

struct net_sasl;

/* A new client, which the caller frees with net_sasl_free().  Fails with
 * ERR_USAGE on an unknown or unavailable mechanism in params->mechs, or on
 * control characters in the user name or token.  Any thread. */
struct net_sasl *net_sasl_new(const struct net_sasl_params *params, struct err *err);
/* Frees (wiping the copies of secrets); sets *sasl to NULL.  NULL is fine. */
void net_sasl_free(struct net_sasl **sasl);

/*
 * Chooses the first allowed mechanism that the server offers in
 * server_mechs (names separated by spaces, as in "AUTH=" capabilities or
 * an EHLO AUTH line) and starts it; *mech_r is its name, valid while sasl
 * lives.  Fails with ERR_UNSUPPORTED, naming what each side offers and why
 * a mechanism was passed over, when none fits.  Once per object.
 */
int net_sasl_choose(struct net_sasl *sasl, const char *server_mechs, const char **mech_r,
		    struct err *err);
/* The chosen mechanism's name, or NULL before net_sasl_choose(). */
const char *net_sasl_mech(const struct net_sasl *sasl);

/*
 * The initial response, for a protocol that sends one with its command
 * (IMAP SASL-IR, SMTP AUTH, POP3 AUTH).  Returns 1 with *response_r in
 * base64 ("" for an empty response, which IMAP and SMTP send as "="), 0
 * when the mechanism waits for the server's first challenge, -1 on error.
 * Without it, the first net_sasl_step() answers the server's empty
 * challenge with the same response.  Caller frees *response_r.
 */
int net_sasl_initial(struct net_sasl *sasl, char **response_r, struct err *err);
/*
 * Answers challenge, the server's base64 text without its protocol prefix,
 * with *response_r in base64, possibly "" (caller frees).  Fails with
 * ERR_PROTO on a malformed, oversized or one-too-many challenge and with
 * ERR_AUTH when the server's SCRAM signature is wrong; the protocol code
 * then cancels the exchange ("*").
 */
int net_sasl_step(struct net_sasl *sasl, const char *challenge, char **response_r,
		  struct err *err);
/*
 * To call when the server said authentication succeeded, with the base64
 * "additional data with success" if its protocol carried any (else NULL).
 * Fails with ERR_AUTH when the mechanism has not finished: for SCRAM that
 * means the server never proved that it knows the password, so the
 * connection must not be trusted.
 */
int net_sasl_finish(struct net_sasl *sasl, const char *success_data, struct err *err);
/* Fills err with ERR_AUTH for a server that said no, quoting its
 * server_text (control characters replaced); returns -1. */
int net_sasl_err_rejected(struct net_sasl *sasl, const char *server_text, struct err *err);

#endif
