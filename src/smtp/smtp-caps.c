#include "config.h"

#include <string.h>
#include <strings.h>

#include "smtp/smtp-caps.h"

/* RFC 4422 section 3.1: 1 to 20 of upper-case letters, digits, '-', '_'. */
static bool
mech_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			continue; /* upper-cased on the way in */
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

static void
add_mechs(struct smtp_caps *caps, const char *s)
{
	size_t used = strlen(caps->auth_mechs);

	while (*s != '\0') {
		size_t len;
		char name[21];

		while (*s == ' ')
			s++;
		len = strcspn(s, " ");
		if (len == 0)
			break;
		if (mech_name_ok(s, len)) {
			for (size_t i = 0; i < len; i++)
				name[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
			name[len] = '\0';
			if (!smtp_caps_has_mech(caps, name) &&
			    used + (used > 0) + len < sizeof(caps->auth_mechs)) {
				if (used > 0)
					caps->auth_mechs[used++] = ' ';
				memcpy(caps->auth_mechs + used, name, len + 1);
				used += len;
			}
		}
		s += len;
	}
}

/* A plain decimal number that fits; anything else (signs, junk, overflow)
 * is refused. */
static bool
parse_u64(const char *s, uint64_t *v_r)
{
	uint64_t v = 0;

	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*v_r = v;
	return true;
}

bool
smtp_caps_has_mech(const struct smtp_caps *caps, const char *mech)
{
	size_t len = strlen(mech);
	const char *s = caps->auth_mechs;

	while (*s != '\0') {
		size_t n = strcspn(s, " ");

		if (n == len && strncasecmp(s, mech, len) == 0)
			return true;
		s += n;
		while (*s == ' ')
			s++;
	}
	return false;
}

void
smtp_caps_parse(struct smtp_caps *caps, const struct smtp_reply *ehlo)
{
	memset(caps, 0, sizeof(*caps));
	caps->esmtp = true;
	if (ehlo->n_lines > 0) {
		const char *d = ehlo->lines[0];
		size_t len = strcspn(d, " ");

		if (len >= sizeof(caps->domain))
			len = sizeof(caps->domain) - 1;
		memcpy(caps->domain, d, len);
		caps->domain[len] = '\0';
	}
	/* The first line is the greeting; keywords follow, one per line. */
	for (size_t i = 1; i < ehlo->n_lines; i++) {
		const char *line = ehlo->lines[i];
		size_t klen = strcspn(line, " =");
		const char *arg = line + klen;
		char kw[24];

		if (klen == 0 || klen >= sizeof(kw))
			continue;
		memcpy(kw, line, klen);
		kw[klen] = '\0';
		if (*arg == '=' && strcasecmp(kw, "AUTH") == 0)
			arg++;
		while (*arg == ' ')
			arg++;
		if (strcasecmp(kw, "SIZE") == 0) {
			uint64_t v;

			caps->size = true;
			caps->size_max = 0;
			if (parse_u64(arg, &v))
				caps->size_max = v;
		} else if (strcasecmp(kw, "8BITMIME") == 0 && *arg == '\0') {
			caps->eightbitmime = true;
		} else if (strcasecmp(kw, "SMTPUTF8") == 0 && *arg == '\0') {
			caps->smtputf8 = true;
		} else if (strcasecmp(kw, "PIPELINING") == 0 && *arg == '\0') {
			caps->pipelining = true;
		} else if (strcasecmp(kw, "STARTTLS") == 0 && *arg == '\0') {
			caps->starttls = true;
		} else if (strcasecmp(kw, "DSN") == 0 && *arg == '\0') {
			caps->dsn = true;
		} else if (strcasecmp(kw, "CHUNKING") == 0 && *arg == '\0') {
			caps->chunking = true;
		} else if (strcasecmp(kw, "BINARYMIME") == 0 && *arg == '\0') {
			caps->binarymime = true;
		} else if (strcasecmp(kw, "ENHANCEDSTATUSCODES") == 0 && *arg == '\0') {
			caps->enhancedstatuscodes = true;
		} else if (strcasecmp(kw, "AUTH") == 0) {
			caps->auth = true;
			add_mechs(caps, arg);
		}
	}
}
