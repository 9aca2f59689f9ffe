#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "ui/ui-mailcap.h"

#define MAILCAP_FILE_MAX (1024 * 1024)
#define MAILCAP_ENTRIES_MAX 10000

static char *
trim(const char *s, size_t n)
{
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

/* Splits an entry at unescaped ';' into fields (\; kept as ;, other
 * backslashes kept for the shell). */
static void
split_fields(const char *line, struct ui_strv *fields)
{
	struct str f = STR_INIT;

	for (const char *p = line;; p++) {
		if (*p == '\\' && p[1] == ';') {
			str_append_char(&f, ';');
			p++;
			continue;
		}
		if (*p == ';' || *p == '\0') {
			ui_strv_take(fields, trim(f.s ? f.s : "", f.len));
			str_reset(&f);
			if (*p == '\0')
				break;
			continue;
		}
		str_append_char(&f, *p);
	}
	str_free(&f);
}

static void
add_entry(struct ui_mailcap *mc, const char *line)
{
	struct ui_strv fields = {NULL, 0};
	struct ui_mailcap_entry *e;
	char low[128];

	split_fields(line, &fields);
	if (fields.n < 2 || fields.v[0][0] == '\0' || mc->n >= MAILCAP_ENTRIES_MAX) {
		ui_strv_clear(&fields);
		return;
	}
	mc->v = xreallocarray(mc->v, mc->n + 1, sizeof(*mc->v));
	e = &mc->v[mc->n++];
	memset(e, 0, sizeof(*e));
	ui_lower_copy(low, sizeof(low), fields.v[0]);
	e->type = xstrdup(low);
	e->command = xstrdup(fields.v[1]);
	for (size_t i = 2; i < fields.n; i++) {
		const char *f = fields.v[i];
		const char *eq = strchr(f, '=');
		size_t klen = eq != NULL ? (size_t)(eq - f) : strlen(f);
		char *key = trim(f, klen);

		if (strcasecmp(key, "needsterminal") == 0)
			e->needsterminal = 1;
		else if (strcasecmp(key, "copiousoutput") == 0)
			e->copiousoutput = 1;
		else if (eq != NULL && strcasecmp(key, "test") == 0 && e->test == NULL)
			e->test = trim(eq + 1, strlen(eq + 1));
		else if (eq != NULL && strcasecmp(key, "nametemplate") == 0 &&
		         e->nametemplate == NULL)
			e->nametemplate = trim(eq + 1, strlen(eq + 1));
		free(key);
	}
	ui_strv_clear(&fields);
}

void
ui_mailcap_load_buffer(struct ui_mailcap *mc, const char *data, size_t len)
{
	struct str entry = STR_INIT;
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (data + pos)) : len - pos;
		const char *line = data + pos;

		pos += n + (nl != NULL);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (entry.len == 0) {
			size_t k = 0;

			while (k < n && isspace((unsigned char)line[k]))
				k++;
			if (k == n || line[k] == '#')
				continue;
		}
		if (n > 0 && line[n - 1] == '\\') {
			str_append_len(&entry, line, n - 1);
			continue;
		}
		str_append_len(&entry, line, n);
		add_entry(mc, entry.s);
		str_reset(&entry);
	}
	if (entry.len > 0)
		add_entry(mc, entry.s);
	str_free(&entry);
}

void
ui_mailcap_load_path(struct ui_mailcap *mc, const char *path_list)
{
	const char *p = path_list, *home = getenv("HOME");

	while (p != NULL && *p != '\0') {
		size_t n = strcspn(p, ":");
		char *one = xstrndup(p, n), *path, *data = NULL;
		size_t len = 0;
		struct err err;

		if (one[0] == '~' && one[1] == '/' && home != NULL)
			path = xasprintf("%s%s", home, one + 1);
		else
			path = xstrdup(one);
		if (*path != '\0' && file_read_all(path, MAILCAP_FILE_MAX, &data, &len, &err) == 0)
			ui_mailcap_load_buffer(mc, data, len);
		free(data);
		free(path);
		free(one);
		p += n;
		if (*p == ':')
			p++;
	}
}

void
ui_mailcap_clear(struct ui_mailcap *mc)
{
	for (size_t i = 0; i < mc->n; i++) {
		free(mc->v[i].type);
		free(mc->v[i].command);
		free(mc->v[i].test);
		free(mc->v[i].nametemplate);
	}
	free(mc->v);
	mc->v = NULL;
	mc->n = 0;
}

static int
type_matches(const char *pattern, const char *type)
{
	size_t plen = strlen(pattern);
	const char *slash = strchr(type, '/');
	size_t major = slash != NULL ? (size_t)(slash - type) : strlen(type);

	if (strcasecmp(pattern, type) == 0)
		return 1;
	if (plen == major && strncasecmp(pattern, type, major) == 0)
		return 1;
	if (plen == major + 2 && strncasecmp(pattern, type, major) == 0 &&
	    strcmp(pattern + major, "/*") == 0)
		return 1;
	return 0;
}

const struct ui_mailcap_entry *
ui_mailcap_find(const struct ui_mailcap *mc, const char *type, int copious, const char *file,
                ui_mailcap_test_fn *test, void *test_ctx)
{
	for (size_t i = 0; i < mc->n; i++) {
		const struct ui_mailcap_entry *e = &mc->v[i];

		if (!type_matches(e->type, type))
			continue;
		if (copious >= 0 && e->copiousoutput != (copious != 0))
			continue;
		if (e->test != NULL) {
			struct str cmd = STR_INIT;
			int ok;

			if (test == NULL)
				continue;
			ui_mailcap_expand(&cmd, e->test, file != NULL ? file : "", type, NULL,
			                  NULL);
			ok = test(cmd.s, test_ctx);
			str_free(&cmd);
			if (!ok)
				continue;
		}
		return e;
	}
	return NULL;
}

/* Appends value cut down to characters that mean nothing to a shell or a
 * viewer's option parser, then quoted. */
static void
append_safe(struct str *out, const char *value)
{
	struct str s = STR_INIT;

	for (const char *p = value; *p != '\0'; p++)
		if (isalnum((unsigned char)*p) || strchr("-+./_=", *p) != NULL)
			str_append_char(&s, *p);
	/* A value starting with '-' could be taken as an option. */
	if (s.len > 0 && s.s[0] == '-')
		s.s[0] = '_';
	ui_shell_quote(out, s.s ? s.s : "");
	str_free(&s);
}

int
ui_mailcap_expand(struct str *out, const char *cmd, const char *file, const char *type,
                  ui_mailcap_param_fn *param, void *param_ctx)
{
	int used_file = 0;

	for (const char *p = cmd; *p != '\0'; p++) {
		if (*p == '\\' && p[1] == '%') {
			str_append_char(out, '%');
			p++;
			continue;
		}
		if (*p != '%') {
			str_append_char(out, *p);
			continue;
		}
		switch (p[1]) {
		case 's':
			/* Entries often quote %s themselves ('%s', "%s"); a
			 * second layer of quotes would become part of the name.
			 * Inside their quotes the name goes in as it is, which
			 * is safe only because petrel's temporary names hold
			 * nothing but letters, digits and "/._-". */
			if (p > cmd && (p[-1] == '\'' || p[-1] == '"') && p[2] == p[-1] &&
			    strspn(file, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			                 "0123456789/._-") == strlen(file))
				str_append(out, file);
			else
				ui_shell_quote(out, file);
			used_file = 1;
			p++;
			break;
		case 't':
			append_safe(out, type);
			p++;
			break;
		case '%':
			str_append_char(out, '%');
			p++;
			break;
		case '{': {
			const char *end = strchr(p + 2, '}');
			char *name;
			const char *v;

			if (end == NULL) {
				str_append_char(out, '%');
				break;
			}
			name = xstrndup(p + 2, (size_t)(end - (p + 2)));
			v = param != NULL ? param(name, param_ctx) : NULL;
			append_safe(out, v != NULL ? v : "");
			free(name);
			p = end;
			break;
		}
		default:
			str_append_char(out, '%');
			break;
		}
	}
	str_append(out, "");
	return used_file;
}

void
ui_mailcap_suffix(struct str *out, const struct ui_mailcap_entry *e)
{
	const char *t = e != NULL ? e->nametemplate : NULL;
	const char *s = t != NULL ? strstr(t, "%s") : NULL;

	if (s == NULL)
		return;
	for (s += 2; *s != '\0'; s++)
		if (isalnum((unsigned char)*s) || *s == '.' || *s == '-' || *s == '_')
			str_append_char(out, *s);
}
