#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "cmd/cmd-lex.h"

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
cmd_lex_line(const char *line, struct cmd_line *cl, struct err *err)
{
	const char *p = line;
	size_t n = 0;

	memset(cl, 0, sizeof(*cl));
	while (is_blank(*p))
		p++;
	if (*p == '\0' || *p == '#') {
		cl->comment = 1;
		cl->args = p + strlen(p);
		return 0;
	}
	if (*p == '!' || *p == '|' || *p == '=' || *p == '?') {
		cl->name[0] = *p++;
	} else {
		while (*p != '\0' && !is_blank(*p) && strchr("0123456789$^.:/-+*'\"!|", *p) == NULL) {
			if (n + 1 >= sizeof(cl->name))
				return err_set(err, ERR_USAGE, "unknown command: the name is too long");
			cl->name[n++] = *p++;
		}
	}
	while (is_blank(*p))
		p++;
	cl->args = p;
	return 0;
}

void
cmd_words_clear(struct cmd_words *words)
{
	size_t i;

	for (i = 0; i < words->n; i++)
		free(words->w[i]);
	free(words->w);
	free(words->start);
	memset(words, 0, sizeof(*words));
}

int
cmd_lex_words(const char *text, struct cmd_words *words, struct err *err)
{
	struct str cur = STR_INIT;
	const char *p = text;
	size_t cap = 0;
	int rc = -1;

	memset(words, 0, sizeof(*words));
	for (;;) {
		char quote = 0;
		size_t start;

		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		if (words->n >= CMD_LEX_WORDS_MAX) {
			err_set(err, ERR_USAGE, "too many words on one line");
			goto out;
		}
		start = (size_t)(p - text);
		str_reset(&cur);
		str_append(&cur, "");
		while (*p != '\0' && (quote || !is_blank(*p))) {
			if (quote == '\'') {
				if (*p == '\'')
					quote = 0;
				else
					str_append_char(&cur, *p);
			} else if (*p == '\\' && p[1] != '\0') {
				p++;
				if (quote == '"' && *p != '"' && *p != '\\' && *p != '$')
					str_append_char(&cur, '\\');
				str_append_char(&cur, *p);
			} else if (quote == '"') {
				if (*p == '"')
					quote = 0;
				else
					str_append_char(&cur, *p);
			} else if (*p == '\'' || *p == '"') {
				quote = *p;
			} else {
				str_append_char(&cur, *p);
			}
			p++;
		}
		if (quote) {
			err_set(err, ERR_USAGE, "unmatched %c", quote);
			goto out;
		}
		if (words->n == cap) {
			cap = cap ? cap * 2 : 8;
			words->w = xreallocarray(words->w, cap, sizeof(*words->w));
			words->start = xreallocarray(words->start, cap, sizeof(*words->start));
		}
		words->start[words->n] = start;
		words->w[words->n++] = str_detach(&cur);
	}
	rc = 0;
out:
	str_free(&cur);
	return rc;
}
