#include "config.h"

#include <string.h>
#include <strings.h>

#include "base/base-mechlist.h"
#include "pop3/pop3-parse.h"

/* A decimal number at *s up to max, ending at a blank or the end;
 * advances *s past it. */
static bool
number(const char **s, uint64_t max, uint64_t *v_r)
{
	const char *p = *s;
	uint64_t v = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (max - (uint64_t)(*p - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p != '\0' && *p != ' ')
		return false;
	*s = p;
	*v_r = v;
	return true;
}

static int
bad(struct err *err, const char *what, const char *text)
{
	return err_set(err, ERR_PROTO, "malformed %s from the server: \"%.40s\"%s", what, text,
	               strlen(text) > 40 ? "..." : "");
}

int
pop3_parse_stat(const char *text, unsigned long *count_r, uint64_t *size_r, struct err *err)
{
	const char *p = text;
	uint64_t count, size;

	if (!number(&p, POP3_MSG_MAX, &count) || *p != ' ')
		return bad(err, "STAT reply", text);
	p++;
	if (!number(&p, INT64_MAX, &size))
		return bad(err, "STAT reply", text);
	*count_r = (unsigned long)count;
	*size_r = size;
	return 0;
}

static bool
msg_number(const char **p, unsigned long *msg_r)
{
	uint64_t v;

	if (!number(p, POP3_MSG_MAX, &v) || v == 0)
		return false;
	*msg_r = (unsigned long)v;
	return true;
}

int
pop3_parse_list(const char *text, unsigned long *msg_r, uint64_t *size_r, struct err *err)
{
	const char *p = text;

	if (!msg_number(&p, msg_r) || *p != ' ')
		return bad(err, "LIST line", text);
	p++;
	if (!number(&p, INT64_MAX, size_r))
		return bad(err, "LIST line", text);
	return 0;
}

int
pop3_parse_uidl(const char *text, unsigned long *msg_r, const char **uid_r, size_t *uid_len_r,
                struct err *err)
{
	const char *p = text;
	size_t n;

	*uid_r = NULL;
	*uid_len_r = 0;
	if (!msg_number(&p, msg_r))
		return bad(err, "UIDL line", text);
	if (*p != ' ' || p[1] == '\0') {
		err_set(err, ERR_PROTO, "message %lu has no unique-id", *msg_r);
		return 1;
	}
	p++;
	n = strcspn(p, " ");
	/* RFC 1939 section 7: 1 to 70 characters in 0x21..0x7E. */
	if (n == 0 || n > POP3_UID_MAX || p[n] != '\0') {
		err_set(err, ERR_PROTO, "message %lu has a malformed unique-id", *msg_r);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x21 || c > 0x7e) {
			err_set(err, ERR_PROTO, "message %lu has a malformed unique-id", *msg_r);
			return 1;
		}
	}
	*uid_r = p;
	*uid_len_r = n;
	return 0;
}

bool
pop3_parse_apop_timestamp(const char *greeting, char *buf, size_t size)
{
	const char *lt = strchr(greeting, '<');
	const char *gt;
	size_t n;
	int at = 0;

	if (lt == NULL)
		return false;
	gt = strchr(lt, '>');
	if (gt == NULL)
		return false;
	n = (size_t)(gt - lt) + 1;
	if (n > POP3_TIMESTAMP_MAX || n + 1 > size || n < 5)
		return false;
	/* RFC 1939 section 7: a msg-id, "<" id-left "@" id-right ">". */
	for (const char *p = lt + 1; p < gt; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x21 || c > 0x7e || c == '<')
			return false;
		if (c == '@')
			at++;
	}
	if (at != 1 || lt[1] == '@' || gt[-1] == '@')
		return false;
	memcpy(buf, lt, n);
	buf[n] = '\0';
	return true;
}

bool
pop3_caps_has_mech(const struct pop3_caps *caps, const char *mech)
{
	return mechlist_has(caps->sasl_mechs, mech);
}

/* "n" or "NEVER" (EXPIRE), possibly followed by " USER". */
static bool
small_number(const char *s, long *v_r)
{
	uint64_t v;

	if (!number(&s, 1000000000, &v))
		return false;
	*v_r = (long)v;
	return true;
}

void
pop3_caps_add_line(struct pop3_caps *caps, const char *line)
{
	size_t klen = strcspn(line, " ");
	const char *arg = line + klen;
	char kw[24];

	if (klen == 0 || klen >= sizeof(kw))
		return;
	memcpy(kw, line, klen);
	kw[klen] = '\0';
	while (*arg == ' ')
		arg++;
	if (strcasecmp(kw, "TOP") == 0) {
		caps->top = true;
	} else if (strcasecmp(kw, "UIDL") == 0) {
		caps->uidl = true;
	} else if (strcasecmp(kw, "USER") == 0) {
		caps->user = true;
	} else if (strcasecmp(kw, "STLS") == 0) {
		caps->stls = true;
	} else if (strcasecmp(kw, "RESP-CODES") == 0) {
		caps->resp_codes = true;
	} else if (strcasecmp(kw, "AUTH-RESP-CODE") == 0) {
		caps->auth_resp_code = true;
	} else if (strcasecmp(kw, "PIPELINING") == 0) {
		caps->pipelining = true;
	} else if (strcasecmp(kw, "SASL") == 0) {
		caps->sasl = true;
		mechlist_add(caps->sasl_mechs, sizeof(caps->sasl_mechs), arg);
	} else if (strcasecmp(kw, "EXPIRE") == 0) {
		long v;

		if (strncasecmp(arg, "NEVER", 5) == 0 && (arg[5] == '\0' || arg[5] == ' ')) {
			caps->expire = true;
			caps->expire_days = -1;
		} else if (small_number(arg, &v)) {
			caps->expire = true;
			caps->expire_days = v;
		}
	} else if (strcasecmp(kw, "LOGIN-DELAY") == 0) {
		long v;

		if (small_number(arg, &v)) {
			caps->login_delay = true;
			caps->login_delay_secs = v;
		}
	} else if (strcasecmp(kw, "IMPLEMENTATION") == 0) {
		size_t n = 0;

		for (; *arg != '\0' && n + 1 < sizeof(caps->implementation); arg++) {
			unsigned char c = (unsigned char)*arg;

			caps->implementation[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		}
		caps->implementation[n] = '\0';
	}
}
