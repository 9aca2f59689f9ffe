/*
 * smtp-caps: what an SMTP server offers, from its EHLO reply.
 *
 * The keywords petrel uses are recognised (case-insensitively): SIZE,
 * 8BITMIME, SMTPUTF8, PIPELINING, STARTTLS, AUTH (and the old "AUTH="
 * form), DSN, CHUNKING, ENHANCEDSTATUSCODES, BINARYMIME; others are
 * ignored.  Hostile values never reach a decision: a SIZE that is not a
 * plain decimal number (negative, overflowing, junk) counts as "no limit
 * stated", and AUTH mechanism names that are not RFC 4422 names are
 * skipped, as are mechanisms beyond what fits in auth_mechs.  Plain data:
 * copy it freely.  Pure computation.
 */
#ifndef SMTP_CAPS_H
#define SMTP_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "smtp/smtp-reply.h"

#define SMTP_CAPS_MECHS_MAX 512

struct smtp_caps {
	bool esmtp;               /* the server answered EHLO (not only HELO) */
	bool size;                /* SIZE (RFC 1870) */
	uint64_t size_max;        /* its limit in octets; 0 when none was stated */
	bool eightbitmime;        /* 8BITMIME (RFC 6152) */
	bool smtputf8;            /* SMTPUTF8 (RFC 6531) */
	bool pipelining;          /* PIPELINING (RFC 2920) */
	bool starttls;            /* STARTTLS (RFC 3207) */
	bool dsn;                 /* DSN (RFC 3461) */
	bool chunking;            /* CHUNKING, the BDAT command (RFC 3030) */
	bool binarymime;          /* BINARYMIME (RFC 3030) */
	bool enhancedstatuscodes; /* RFC 2034 */
	bool auth;                /* AUTH (RFC 4954) */
	/* The mechanism names, upper case, separated by single spaces, each
	   once: the form net_sasl_choose() takes. */
	char auth_mechs[SMTP_CAPS_MECHS_MAX];
	/* The domain the server named on the first line, cut to fit. */
	char domain[256];
};

/* Fills *caps (cleared first) from a 250 reply to EHLO. */
void smtp_caps_parse(struct smtp_caps *caps, const struct smtp_reply *ehlo);
/* True when mech (any case) is among caps->auth_mechs. */
bool smtp_caps_has_mech(const struct smtp_caps *caps, const char *mech);

#endif
