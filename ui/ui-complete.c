/* Address completion: aliases of the configuration and query_command. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "base/base-xalloc.h"
#include "ui/ui-complete.h"
#include "ui/ui-run.h"

size_t
ui_complete_entry_start(const char *text)
{
	size_t start = 0;
	int quoted = 0, angle = 0;

	for (size_t i = 0; text[i] != '\0'; i++) {
		char c = text[i];

		if (quoted) {
			if (c == '\\' && text[i + 1] != '\0')
				i++;
			else if (c == '"')
				quoted = 0;
		} else if (c == '"') {
			quoted = 1;
		} else if (c == '<') {
			angle = 1;
		} else if (c == '>') {
			angle = 0;
		} else if (c == ',' && !angle) {
			start = i + 1;
		}
	}
	while (text[start] == ' ' || text[start] == '\t')
		start++;
	return start;
}

static int
has_prefix(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

size_t
ui_complete_aliases(const struct config_record *recs, size_t nrecs, const char *prefix,
                    struct ui_strv *out)
{
	struct ui_strv names = {NULL, 0}, values = {NULL, 0};
	size_t added = 0;

	/* The aliases in force at the end of the file, in the order they
	 * were first defined. */
	for (size_t i = 0; i < nrecs; i++) {
		const struct config_record *r = &recs[i];

		if (r->kind == CONFIG_REC_UNALIAS) {
			for (size_t a = 0; a < r->argc; a++) {
				for (size_t j = names.n; j-- > 0;) {
					if (strcmp(r->argv[a], "*") == 0 ||
					    strcmp(names.v[j], r->argv[a]) == 0) {
						ui_strv_remove(&names, j);
						ui_strv_remove(&values, j);
					}
				}
			}
			continue;
		}
		if (r->kind != CONFIG_REC_ALIAS || r->argc < 2)
			continue;
		{
			struct str v = STR_INIT;
			size_t j;

			for (size_t a = 1; a < r->argc; a++) {
				if (a > 1)
					str_append(&v, ", ");
				str_append(&v, r->argv[a]);
			}
			for (j = 0; j < names.n; j++)
				if (strcmp(names.v[j], r->argv[0]) == 0)
					break;
			if (j < names.n) {
				free(values.v[j]);
				values.v[j] = str_detach(&v);
			} else {
				ui_strv_push(&names, r->argv[0]);
				ui_strv_take(&values, str_detach(&v));
			}
		}
	}
	for (size_t j = 0; j < names.n; j++) {
		size_t k;

		if (!has_prefix(names.v[j], prefix))
			continue;
		for (k = 0; k < out->n; k++)
			if (strcmp(out->v[k], values.v[j]) == 0)
				break;
		if (k < out->n)
			continue;
		ui_strv_push(out, values.v[j]);
		added++;
	}
	ui_strv_clear(&names);
	ui_strv_clear(&values);
	return added;
}

static int
has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return 1;
		/* C1 controls, as UTF-8. */
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] < 0xa0)
			return 1;
	}
	return 0;
}

/* A display name as a header wants it: quoted when it holds a special. */
static void
append_name(struct str *out, const char *name, size_t len)
{
	int special = 0;

	for (size_t i = 0; i < len; i++)
		if (strchr("()<>[]:;@\\,.\"", name[i]) != NULL)
			special = 1;
	if (!special) {
		str_append_len(out, name, len);
		return;
	}
	str_append_char(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (name[i] == '"' || name[i] == '\\')
			str_append_char(out, '\\');
		str_append_char(out, name[i]);
	}
	str_append_char(out, '"');
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

size_t
ui_complete_parse_query(const char *output, size_t len, struct ui_strv *out)
{
	const char *p = memchr(output, '\n', len), *end = output + len;
	size_t added = 0;

	if (p == NULL)
		return 0;
	for (p++; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *addr, *name, *tab;
		size_t n, alen, nlen;
		struct str e = STR_INIT;

		if (eol == NULL)
			eol = end;
		n = (size_t)(eol - line);
		p = eol + 1;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		addr = line;
		tab = memchr(line, '\t', n);
		alen = tab != NULL ? (size_t)(tab - line) : n;
		name = tab != NULL ? tab + 1 : line + n;
		nlen = (size_t)(line + n - name);
		tab = memchr(name, '\t', nlen);
		if (tab != NULL)
			nlen = (size_t)(tab - name);
		trim(&addr, &alen);
		trim(&name, &nlen);
		if (alen == 0 || memchr(addr, '@', alen) == NULL || has_control(addr, alen) ||
		    has_control(name, nlen) || memchr(addr, ' ', alen) != NULL ||
		    memchr(addr, '<', alen) != NULL || memchr(addr, '>', alen) != NULL ||
		    memchr(addr, ',', alen) != NULL)
			continue;
		if (nlen > 0) {
			append_name(&e, name, nlen);
			str_append(&e, " <");
			str_append_len(&e, addr, alen);
			str_append_char(&e, '>');
		} else {
			str_append_len(&e, addr, alen);
		}
		ui_strv_take(out, str_detach(&e));
		added++;
	}
	return added;
}

int
ui_complete_query(const char *cmd, const char *text, int timeout_ms, struct str *out,
                  struct err *err)
{
	struct str line = STR_INIT;
	const char *pct;
	int status, rc = -1;

	/* Every %s is the text; the rest of the command is the user's. */
	for (const char *s = cmd;;) {
		pct = strstr(s, "%s");
		if (pct == NULL) {
			str_append(&line, s);
			break;
		}
		str_append_len(&line, s, (size_t)(pct - s));
		ui_shell_quote(&line, text);
		s = pct + 2;
	}
	if (strstr(cmd, "%s") == NULL) {
		str_append_char(&line, ' ');
		ui_shell_quote(&line, text);
	}
	status = ui_run_capture(line.s, NULL, 0, timeout_ms, out, err);
	if (status < 0) {
		/* ui-run names the whole command line; the prompt has one
		 * line of room. */
		if (strstr(err->msg, "was stopped") != NULL)
			err_set(err, ERR_TIMEOUT,
			        "the query command ran for more than %d seconds: stopped",
			        timeout_ms / 1000);
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* abook and lbdbq exit 1 when nothing matches: their output
		 * still says so on its first line. */
		if (WIFEXITED(status) && WEXITSTATUS(status) == 1 && out->len > 0) {
			rc = 0;
			goto out;
		}
		err_set(err, ERR_IO, "the query command %s %d",
		        WIFEXITED(status) ? "exited with status" : "was killed by signal",
		        WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		goto out;
	}
	rc = 0;
out:
	str_free(&line);
	return rc;
}
