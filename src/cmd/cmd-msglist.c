#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "cmd/cmd-msglist.h"

/* The longest token looked at: longer ones are refused, which bounds the
 * work a hostile script line can cause. */
#define TOKEN_MAX 1024

struct ml {
	const struct cmd_msg *msgs;
	size_t count;
	size_t current;
	unsigned flags;
	unsigned char *sel;
	struct err *err;
};

static int
appropriate(const struct ml *ml, size_t n)
{
	int deleted = (ml->msgs[n - 1].state & CMD_MSG_DELETED) != 0;

	return (ml->flags & CMD_MSGLIST_DELETED) ? deleted : !deleted;
}

/* The first appropriate message at or after `from`, else before it
 * (BSD mail's first()): the default when no list is given. */
static size_t
nearest(const struct ml *ml, size_t from)
{
	size_t n;

	if (from == 0)
		from = 1;
	for (n = from; n <= ml->count; n++)
		if (appropriate(ml, n))
			return n;
	for (n = from; n-- > 1;)
		if (appropriate(ml, n))
			return n;
	return 0;
}

static int
check(struct ml *ml, size_t n, const char *tok)
{
	if (n < 1 || n > ml->count)
		return err_set(ml->err, ERR_USAGE, "%s: invalid message number", tok);
	if (!appropriate(ml, n))
		return err_set(ml->err, ERR_USAGE, "%zu: inappropriate message%s", n,
			       (ml->flags & CMD_MSGLIST_DELETED) ? " (not deleted)" : " (deleted)");
	return 0;
}

/* One range end: a number or . ^ $; 0 with an error when it is neither. */
static size_t
endpoint(struct ml *ml, const char *s, size_t len, const char *tok)
{
	size_t n = 0, i, k;

	if (len == 1 && s[0] == '.')
		return ml->current;
	if (len == 1 && s[0] == '^') {
		for (k = 1; k <= ml->count; k++)
			if (appropriate(ml, k))
				return k;
		err_set(ml->err, ERR_USAGE, "no applicable messages");
		return 0;
	}
	if (len == 1 && s[0] == '$') {
		for (k = ml->count; k >= 1; k--)
			if (appropriate(ml, k))
				return k;
		err_set(ml->err, ERR_USAGE, "no applicable messages");
		return 0;
	}
	if (len == 0) {
		err_set(ml->err, ERR_USAGE, "%s: invalid message list", tok);
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i])) {
			err_set(ml->err, ERR_USAGE, "%s: invalid message list", tok);
			return 0;
		}
		if (n > (size_t)1 << 40) {
			err_set(ml->err, ERR_USAGE, "%s: invalid message number", tok);
			return 0;
		}
		n = n * 10 + (size_t)(s[i] - '0');
	}
	if (n == 0)
		err_set(ml->err, ERR_USAGE, "%s: invalid message number", tok);
	return n;
}

static int
contains_ci(const char *hay, const char *needle)
{
	size_t nl = strlen(needle), i;

	if (nl == 0)
		return 1;
	for (; *hay != '\0'; hay++) {
		for (i = 0; i < nl; i++)
			if (hay[i] == '\0' ||
			    tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == nl)
			return 1;
	}
	return 0;
}

static int
colon_match(const struct cmd_msg *m, unsigned want)
{
	unsigned st = m->state;

	if ((want & 1) && (st & CMD_MSG_NEW) && !(st & CMD_MSG_READ))
		return 1;
	if ((want & 2) && !(st & CMD_MSG_NEW))
		return 1;
	if ((want & 4) && CMD_MSG_IS_READ(m))
		return 1;
	if ((want & 8) && !CMD_MSG_IS_READ(m))
		return 1;
	if ((want & 16) && (st & CMD_MSG_DELETED))
		return 1;
	return 0;
}

static int
token(struct ml *ml, const char *tok)
{
	size_t len = strlen(tok), n, a, b, k;
	const char *dash;
	int any = 0;

	if (strcmp(tok, "*") == 0) {
		for (k = 1; k <= ml->count; k++)
			if (appropriate(ml, k))
				ml->sel[k - 1] = 1, any = 1;
		return any ? 0 : err_set(ml->err, ERR_USAGE, "no applicable messages");
	}
	if (strcmp(tok, "+") == 0 || strcmp(tok, "-") == 0) {
		int step = tok[0] == '+' ? 1 : -1;

		for (k = ml->current + (size_t)step; k >= 1 && k <= ml->count; k += (size_t)step)
			if (appropriate(ml, k)) {
				ml->sel[k - 1] = 1;
				return 0;
			}
		return err_set(ml->err, ERR_USAGE, "no %s message",
			       step > 0 ? "next" : "previous");
	}
	if (tok[0] == ':') {
		unsigned want = 0;

		if (len == 1)
			return err_set(ml->err, ERR_USAGE, "%s: missing message type", tok);
		for (k = 1; k < len; k++) {
			static const char types[] = "nordu";
			static const unsigned bits[] = {1, 2, 4, 16, 8};
			const char *p = strchr(types, tok[k]);

			if (p == NULL)
				return err_set(ml->err, ERR_USAGE,
					       "%s: unknown message type '%c' (use n, o, r, u or d)",
					       tok, tok[k]);
			want |= bits[p - types];
		}
		for (k = 1; k <= ml->count; k++) {
			const struct cmd_msg *m = &ml->msgs[k - 1];

			if (!(want & 16) && !appropriate(ml, k))
				continue;
			if (colon_match(m, want))
				ml->sel[k - 1] = 1, any = 1;
		}
		return any ? 0 : err_set(ml->err, ERR_USAGE, "no applicable messages");
	}
	if (tok[0] == '/') {
		if (tok[1] == '\0')
			return err_set(ml->err, ERR_USAGE, "/: missing search string");
		for (k = 1; k <= ml->count; k++)
			if (appropriate(ml, k) && contains_ci(ml->msgs[k - 1].subject, tok + 1))
				ml->sel[k - 1] = 1, any = 1;
		return any ? 0 : err_set(ml->err, ERR_USAGE, "no applicable messages for %s", tok);
	}
	if (isdigit((unsigned char)tok[0]) || strchr(".^$", tok[0]) != NULL) {
		dash = strchr(tok + 1, '-');
		if (dash == NULL) {
			n = endpoint(ml, tok, len, tok);
			if (n == 0)
				return -1;
			if (check(ml, n, tok) < 0)
				return -1;
			ml->sel[n - 1] = 1;
			return 0;
		}
		a = endpoint(ml, tok, (size_t)(dash - tok), tok);
		if (a == 0)
			return -1;
		b = endpoint(ml, dash + 1, strlen(dash + 1), tok);
		if (b == 0)
			return -1;
		if (check(ml, a, tok) < 0 || check(ml, b, tok) < 0)
			return -1;
		if (a > b)
			return err_set(ml->err, ERR_USAGE, "%s: the range runs backwards", tok);
		for (k = a; k <= b; k++)
			if (appropriate(ml, k))
				ml->sel[k - 1] = 1;
		return 0;
	}
	/* Anything else names a sender. */
	for (k = 1; k <= ml->count; k++) {
		const struct cmd_msg *m = &ml->msgs[k - 1];

		if (appropriate(ml, k) &&
		    (contains_ci(m->from_addr, tok) || contains_ci(m->from_name, tok)))
			ml->sel[k - 1] = 1, any = 1;
	}
	return any ? 0 : err_set(ml->err, ERR_USAGE, "no applicable messages from %s", tok);
}

int
cmd_msglist_parse(const char *text, const struct cmd_msg *msgs, size_t count, size_t current,
		  unsigned flags, unsigned char *selected, struct err *err)
{
	struct ml ml = {msgs, count, current, flags, selected, err};
	struct str tok = STR_INIT;
	const char *p = text;
	int ntok = 0, rc = -1;
	size_t k, nsel = 0;

	if (count > 0)
		memset(selected, 0, count);
	if (count == 0) {
		err_set(err, ERR_USAGE, "no messages");
		goto out;
	}
	if (current > count)
		ml.current = current = count;
	for (;;) {
		char quote = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		str_reset(&tok);
		str_append(&tok, "");
		while (*p != '\0' && (quote || (*p != ' ' && *p != '\t'))) {
			if (quote && *p == quote) {
				quote = 0;
			} else if (!quote && (*p == '"' || *p == '\'')) {
				quote = *p;
			} else if (*p == '\\' && p[1] != '\0' && quote != '\'') {
				p++;
				str_append_char(&tok, *p);
			} else {
				str_append_char(&tok, *p);
			}
			p++;
			if (tok.len > TOKEN_MAX) {
				err_set(err, ERR_USAGE, "message list token too long");
				goto out;
			}
		}
		if (quote) {
			err_set(err, ERR_USAGE, "unmatched %c in message list", quote);
			goto out;
		}
		ntok++;
		if (token(&ml, str_cstr(&tok)) < 0)
			goto out;
	}
	if (ntok == 0) {
		size_t n = nearest(&ml, current);

		if (n == 0) {
			err_set(err, ERR_USAGE, "no applicable messages");
			goto out;
		}
		selected[n - 1] = 1;
	}
	for (k = 0; k < count; k++)
		nsel += selected[k];
	if (nsel == 0) {
		err_set(err, ERR_USAGE, "no applicable messages");
		goto out;
	}
	rc = (int)(nsel > (size_t)0x7fffffff ? 0x7fffffff : nsel);
out:
	str_free(&tok);
	return rc;
}
