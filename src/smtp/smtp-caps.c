#include "config.h"

#include <string.h>
#include <strings.h>

#include "base/base-mechlist.h"
#include "smtp/smtp-caps.h"

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
	return mechlist_has(caps->auth_mechs, mech);
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
			mechlist_add(caps->auth_mechs, sizeof(caps->auth_mechs), arg);
		}
	}
}
