/*
 * pop3-parse: the contents of POP3 responses: STAT, LIST and UIDL lines
 * (RFC 1939), CAPA lines (RFC 2449, RFC 2595, RFC 5034) and the APOP
 * timestamp of the greeting.
 *
 * Numbers are plain decimal digits that fit: "abc", "-1", "+3", "1e9" and
 * anything past the limits below are errors (ERR_PROTO), never clamped or
 * trusted.  A unique-id must be 1 to 70 characters from 0x21 to 0x7E (RFC
 * 1939 section 7).  Pure computation.
 */
#ifndef POP3_PARSE_H
#define POP3_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"

/* Message numbers are 1..POP3_MSG_MAX; sizes fit in 63 bits. */
#define POP3_MSG_MAX 0x7fffffffUL
#define POP3_UID_MAX 70
#define POP3_TIMESTAMP_MAX 256

/* "nn mm" (after "+OK "): message count and total octets.  Text after
 * another blank is allowed (RFC 1939 section 5 leaves room for it). */
int pop3_parse_stat(const char *text, unsigned long *count_r, uint64_t *size_r, struct err *err);
/* "msg size", a LIST line or the text of a single-message LIST reply. */
int pop3_parse_list(const char *text, unsigned long *msg_r, uint64_t *size_r, struct err *err);
/*
 * "msg uid", a UIDL line or the text of a single-message UIDL reply.
 * Returns 0 with *uid_r pointing into text (uid_len_r long) when all is
 * well; 1 when the message number is good but the unique-id is not (empty,
 * too long, bad characters), with *uid_r NULL and err saying why; -1 when
 * the message number is bad.
 */
int pop3_parse_uidl(const char *text, unsigned long *msg_r, const char **uid_r, size_t *uid_len_r,
                    struct err *err);
/*
 * The APOP timestamp in a greeting's text: "<...@...>" with printable
 * ASCII only and at most POP3_TIMESTAMP_MAX characters.  Copies it
 * (brackets included) to buf (size >= POP3_TIMESTAMP_MAX + 1) and returns
 * true, or returns false when there is none or it is malformed (APOP is
 * then not available: CVE-2007-1558).
 */
bool pop3_parse_apop_timestamp(const char *greeting, char *buf, size_t size);

#define POP3_CAPS_MECHS_MAX 512

struct pop3_caps {
	bool capa; /* CAPA was answered +OK: the fields below mean something */
	bool top;
	bool uidl;
	bool user;
	bool stls;
	bool resp_codes;
	bool auth_resp_code;
	bool pipelining;
	bool sasl;
	char sasl_mechs[POP3_CAPS_MECHS_MAX]; /* upper case, separated by single spaces */
	bool expire;
	long expire_days; /* -1: NEVER */
	bool login_delay;
	long login_delay_secs;
	char implementation[128]; /* control characters replaced by '?' */
};

/* Adds one CAPA line (RFC 2449 section 6) to caps; unknown capabilities
 * and malformed arguments are ignored. */
void pop3_caps_add_line(struct pop3_caps *caps, const char *line);
/* True when mech (any case) is among caps->sasl_mechs. */
bool pop3_caps_has_mech(const struct pop3_caps *caps, const char *mech);

#endif
