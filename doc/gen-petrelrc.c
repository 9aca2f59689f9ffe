/*
 * gen-petrelrc: writes doc/petrelrc.5 from its template and the table of
 * variables in src/core/core-vars.c, so the man page cannot drift from the
 * code.  The template's line `.\" @VARIABLES@` becomes one entry per
 * variable, sorted by name.
 *
 *   gen-petrelrc TEMPLATE [OUTPUT]     (standard output without OUTPUT)
 *
 * `make update-petrelrc` runs it on the source tree; a test fails when the
 * committed page differs from what it makes.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-err.h"
#include "base/base-file.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "core/core-vars.h"

#define MARK ".\\\" @VARIABLES@"

/* roff text: backslashes and option dashes escaped, nothing at a line start
 * that roff would take for a request. */
static void
roff_text(struct str *out, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (c == '\\')
			str_append(out, "\\e");
		else if (c == '-' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(') &&
		         i + 1 < len &&
		         ((text[i + 1] >= 'a' && text[i + 1] <= 'z') ||
		          (text[i + 1] >= 'A' && text[i + 1] <= 'Z')))
			str_append(out, "\\-");
		else
			str_append_char(out, c);
	}
}

/* One line of text per sentence: roff puts the sentence space itself. */
static void
roff_paragraph(struct str *out, const char *text)
{
	while (*text != '\0') {
		const char *end = strstr(text, ".  ");
		size_t len = end ? (size_t)(end - text + 1) : strlen(text);

		if (text[0] == '.' || text[0] == '\'')
			str_append(out, "\\&");
		roff_text(out, text, len);
		str_append_char(out, '\n');
		text += len;
		while (*text == ' ')
			text++;
	}
}

/* A value as it would be written in the file: quoted when it needs to be. */
static void
config_form(struct str *out, const char *value)
{
	int plain = value[0] != '\0';

	for (const char *p = value; *p != '\0'; p++)
		if (strchr(" \t\n\"'\\#", *p) != NULL)
			plain = 0;
	if (plain) {
		str_append(out, value);
		return;
	}
	str_append_char(out, '"');
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '\t')
			str_append(out, "\\t");
		else if (*p == '\n')
			str_append(out, "\\n");
		else if (*p == '"' || *p == '\\')
			str_appendf(out, "\\%c", *p);
		else
			str_append_char(out, *p);
	}
	str_append_char(out, '"');
}

static void
join(struct str *out, const char *const *words, const char *suffix, const char *last)
{
	size_t n = 0;

	while (words[n] != NULL)
		n++;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			str_append(out, i + 1 == n ? last : ", ");
		str_appendf(out, "%s%s", words[i], suffix);
	}
}

/* "number from 1 to 3600, default 30" */
static void
summary(struct str *out, const struct var_def *d)
{
	switch (d->type) {
	case VAR_T_NUMBER:
		str_appendf(out, "number from %ld to %ld", d->min, d->max);
		break;
	case VAR_T_ENUM:
		str_append(out, "one of ");
		join(out, d->words, "", ", ");
		break;
	case VAR_T_URL:
		str_append(out, "URL starting ");
		join(out, d->words, "://", " or ");
		break;
	default:
		str_append(out, vars_type_name(d->type));
		break;
	}
	if (d->def == NULL && d->env == NULL) {
		str_append(out, ", unset by default");
		return;
	}
	str_append(out, d->type == VAR_T_ENUM ? "; default " : ", default ");
	if (d->env != NULL) {
		char *list = xstrdup(d->env), *save = NULL;

		for (char *e = strtok_r(list, ":", &save); e != NULL;
		     e = strtok_r(NULL, ":", &save))
			str_appendf(out, "$%s, else ", e);
		free(list);
	}
	if (d->def != NULL)
		config_form(out, d->def);
	else
		str_append(out, "unset");
}

static int
by_name(const void *a, const void *b)
{
	const struct var_def *x = *(const struct var_def *const *)a;
	const struct var_def *y = *(const struct var_def *const *)b;
	int c = strcasecmp(x->name, y->name);

	/* "editor" before "EDITOR". */
	return c != 0 ? c : -strcmp(x->name, y->name);
}

static void
variables(struct str *out)
{
	const struct var_def *sorted[VAR_COUNT];
	const struct var_synonym *syn;
	size_t n_syn;

	for (int i = 0; i < VAR_COUNT; i++)
		sorted[i] = vars_def((enum var_id)i);
	qsort(sorted, VAR_COUNT, sizeof(sorted[0]), by_name);
	syn = vars_synonyms(&n_syn);
	for (int i = 0; i < VAR_COUNT; i++) {
		const struct var_def *d = sorted[i];
		struct str s = STR_INIT;

		summary(&s, d);
		str_appendf(out, ".TP\n.BR %s \" (", d->name);
		/* Inside a quoted argument a double quote is written \(dq. */
		for (const char *p = str_cstr(&s); *p != '\0'; p++) {
			if (*p == '"')
				str_append(out, "\\(dq");
			else if (*p == '\\')
				str_append(out, "\\e");
			else
				str_append_char(out, *p);
		}
		str_append(out, ")\"\n");
		str_free(&s);
		roff_paragraph(out, d->doc);
		for (size_t j = 0; j < n_syn; j++)
			if (syn[j].id == (enum var_id)(d - vars_def(0)))
				str_appendf(out, "Also called\n.BR %s .\n", syn[j].name);
	}
}

int
main(int argc, char **argv)
{
	struct err err = {0};
	struct str out = STR_INIT;
	char *tmpl = NULL;
	size_t len, marks = 0;
	int ret = 1;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: gen-petrelrc TEMPLATE [OUTPUT]\n");
		return 2;
	}
	if (file_read_all(argv[1], 1 << 20, &tmpl, &len, &err) < 0) {
		fprintf(stderr, "gen-petrelrc: %s\n", err.msg);
		return 1;
	}
	str_append(&out,
	           ".\\\" Generated by doc/gen-petrelrc from doc/petrelrc.5.in and the table\n"
	           ".\\\" in src/core/core-vars.c: edit those and run make update-petrelrc.\n");
	for (char *line = tmpl, *next; *line != '\0'; line = next) {
		char *nl = strchr(line, '\n');

		next = nl != NULL ? nl + 1 : line + strlen(line);
		if ((size_t)(next - line) >= strlen(MARK) &&
		    strncmp(line, MARK, strlen(MARK)) == 0 &&
		    (line[strlen(MARK)] == '\n' || line[strlen(MARK)] == '\0')) {
			variables(&out);
			marks++;
			continue;
		}
		str_append_len(&out, line, (size_t)(next - line));
	}
	if (marks != 1) {
		fprintf(stderr, "gen-petrelrc: %s: want one line \"%s\", found %zu\n", argv[1],
		        MARK, marks);
		goto out;
	}
	if (argc == 3) {
		if (file_write_atomic(argv[2], out.s, out.len, 0644, &err) < 0) {
			fprintf(stderr, "gen-petrelrc: %s\n", err.msg);
			goto out;
		}
	} else if (fwrite(out.s, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		fprintf(stderr, "gen-petrelrc: cannot write the page\n");
		goto out;
	}
	ret = 0;
out:
	str_free(&out);
	free(tmpl);
	return ret;
}
