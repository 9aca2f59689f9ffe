#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-file.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "transcript.h"

#define SCRIPT_MAX (4u << 20)
#define WORDS_MAX 64
/* A session that keeps reporting events without input is looping. */
#define EVENTS_MAX 1000000

struct replay {
	const struct transcript_ops *ops;
	void *ctx;
	bool bytewise;
	bool have_session;
	bool failed;     /* the session returned -1 */
	struct str sent; /* client output not matched yet, secrets in << >> */
	bool in_secret;
	char **events; /* events not matched yet from first_event on */
	size_t n_events, first_event;
	struct str *why;
	int lineno;
};

void
transcript_quote(struct str *out, const void *data, size_t len)
{
	const unsigned char *p = data;

	str_append_char(out, '"');
	for (size_t i = 0; i < len; i++) {
		switch (p[i]) {
		case '\r':
			str_append(out, "\\r");
			break;
		case '\n':
			str_append(out, "\\n");
			break;
		case '\t':
			str_append(out, "\\t");
			break;
		case '"':
		case '\\':
			str_append_char(out, '\\');
			str_append_char(out, (char)p[i]);
			break;
		default:
			if (p[i] < 0x20 || p[i] >= 0x7f)
				str_appendf(out, "\\x%02x", p[i]);
			else
				str_append_char(out, (char)p[i]);
		}
	}
	str_append_char(out, '"');
}

/* The README's escapes; others stay as written (quote: \" too). */
static void
unescape(struct str *out, const char *s, bool quote)
{
	for (; *s != '\0'; s++) {
		if (*s != '\\' || s[1] == '\0') {
			str_append_char(out, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'r':
			str_append_char(out, '\r');
			break;
		case 'n':
			str_append_char(out, '\n');
			break;
		case 't':
			str_append_char(out, '\t');
			break;
		case '0':
			str_append_char(out, '\0');
			break;
		case '\\':
			str_append_char(out, '\\');
			break;
		case 'x':
			if (str_hex_digit(s[1]) >= 0 && str_hex_digit(s[2]) >= 0) {
				str_append_char(out, (char)(str_hex_digit(s[1]) * 16 + str_hex_digit(s[2])));
				s += 2;
				break;
			}
			/* FALLTHROUGH */
		default:
			if (quote && *s == '"') {
				str_append_char(out, '"');
				break;
			}
			str_append_char(out, '\\');
			str_append_char(out, *s);
		}
	}
}

/* Words separated by blanks; "..." quotes one (escapes decoded). */
static size_t
split_words(const char *line, char **words, size_t max)
{
	size_t n = 0;
	const char *p = line;

	while (*p != '\0' && n < max) {
		struct str w = STR_INIT;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		if (*p == '"') {
			const char *end = ++p;
			char *raw;

			while (*end != '\0' && *end != '"')
				end += end[0] == '\\' && end[1] != '\0' ? 2 : 1;
			raw = xstrndup(p, (size_t)(end - p));
			unescape(&w, raw, true);
			free(raw);
			p = *end == '"' ? end + 1 : end;
		} else {
			size_t len = strcspn(p, " ");

			str_append_len(&w, p, len);
			p += len;
		}
		words[n++] = str_detach(&w);
	}
	return n;
}

const char *
transcript_opt(char **words, size_t n, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < n; i++)
		if (strncmp(words[i], key, klen) == 0 && words[i][klen] == '=')
			return words[i] + klen + 1;
	return NULL;
}

bool
transcript_flag(char **words, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], word) == 0)
			return true;
	return false;
}

/* Glob with "*" only. */
static bool
glob_match(const char *pat, const char *s)
{
	while (*pat != '\0') {
		if (*pat == '*') {
			while (*pat == '*')
				pat++;
			if (*pat == '\0')
				return true;
			for (; *s != '\0'; s++)
				if (glob_match(pat, s))
					return true;
			return false;
		}
		if (*s != *pat)
			return false;
		pat++;
		s++;
	}
	return *s == '\0';
}

static int fail(struct replay *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	if (r->why->len > 0)
		return -1;
	str_appendf(r->why, "line %d: ", r->lineno);
	va_start(ap, fmt);
	str_appendvf(r->why, fmt, ap);
	va_end(ap);
	return -1;
}

static void
add_event(struct replay *r, const char *text)
{
	r->events = xreallocarray(r->events, r->n_events + 1, sizeof(*r->events));
	r->events[r->n_events++] = xstrdup(text);
}

static int
drain_events(struct replay *r)
{
	struct str text = STR_INIT;

	for (long i = 0; !r->failed; i++) {
		struct err err = {0};
		enum transcript_item t;

		if (i == EVENTS_MAX) {
			str_free(&text);
			return fail(r, "the session reports events without end");
		}
		str_reset(&text);
		t = r->ops->next(r->ctx, &text, &err);
		if (t == TRANSCRIPT_NONE)
			break;
		if (t == TRANSCRIPT_EVENT) {
			add_event(r, str_cstr(&text));
		} else if (t == TRANSCRIPT_ERROR) {
			char buf[ERR_MSG_MAX + 64];

			snprintf(buf, sizeof(buf), "error %s: %s", err_kind_name(err.kind),
			         err.msg);
			add_event(r, buf);
			r->failed = true;
		}
	}
	str_free(&text);
	return 0;
}

static void
take_output(struct replay *r)
{
	const char *data;
	size_t len;
	bool secret;

	while (r->ops->output(r->ctx, &data, &len, &secret) == 1) {
		size_t n = r->bytewise ? 1 : len;

		if (secret && !r->in_secret)
			str_append(&r->sent, "<<");
		else if (!secret && r->in_secret)
			str_append(&r->sent, ">>");
		r->in_secret = secret;
		str_append_len(&r->sent, data, n);
		r->ops->consumed(r->ctx, n);
	}
	if (r->in_secret) {
		str_append(&r->sent, ">>");
		r->in_secret = false;
	}
}

static int
expect_no_output(struct replay *r)
{
	take_output(r);
	if (r->sent.len > 0) {
		struct str q = STR_INIT;

		transcript_quote(&q, r->sent.s, r->sent.len > 200 ? 200 : r->sent.len);
		fail(r, "unexpected client output %s", str_cstr(&q));
		str_free(&q);
		return -1;
	}
	return 0;
}

static int
expect_no_events(struct replay *r)
{
	if (r->first_event < r->n_events)
		return fail(r, "unexpected event: %s", r->events[r->first_event]);
	return 0;
}

static int
check_client_line(struct replay *r, const char *want)
{
	const char *crlf;
	size_t n;
	char *got;
	int ret = 0;

	take_output(r);
	crlf = strstr(str_cstr(&r->sent), "\r\n");
	n = crlf != NULL ? (size_t)(crlf - r->sent.s) : r->sent.len;
	got = xstrndup(str_cstr(&r->sent), n);
	if (crlf == NULL || strcmp(got, want) != 0)
		ret = fail(r, "client sent \"%s\"%s, expected \"%s\"", got,
		           crlf == NULL ? " without CRLF" : "", want);
	free(got);
	str_consume(&r->sent, crlf != NULL ? n + 2 : n);
	return ret;
}

static int
check_event(struct replay *r, const char *pat)
{
	if (r->first_event >= r->n_events)
		return fail(r, "no event, expected: %s", pat);
	if (!glob_match(pat, r->events[r->first_event]))
		return fail(r, "event: %s\n#   expected: %s", r->events[r->first_event], pat);
	r->first_event++;
	return 0;
}

static int
feed(struct replay *r, const char *data, size_t len)
{
	if (r->bytewise) {
		for (size_t i = 0; i < len && !r->failed; i++) {
			r->ops->feed(r->ctx, data + i, 1);
			if (drain_events(r) < 0)
				return -1;
		}
		return 0;
	}
	r->ops->feed(r->ctx, data, len);
	return drain_events(r);
}

static int
call(struct replay *r, const char *arg)
{
	char *words[WORDS_MAX];
	size_t n;
	struct str printed = STR_INIT;
	struct err err = {0};
	int ret;

	if (expect_no_events(r) < 0)
		return -1;
	n = split_words(arg, words, WORDS_MAX);
	if (n == 0)
		return fail(r, "an X: line without a call");
	if (r->ops->call(r->ctx, words, n, &printed, &err) < 0) {
		char buf[ERR_MSG_MAX + 64];

		snprintf(buf, sizeof(buf), "refused %s: %s", err_kind_name(err.kind), err.msg);
		add_event(r, buf);
	} else if (printed.len > 0) {
		add_event(r, str_cstr(&printed));
	}
	/* Input already fed may make events now. */
	ret = drain_events(r);
	for (size_t i = 0; i < n; i++)
		free(words[i]);
	str_free(&printed);
	return ret;
}

static int
step(struct replay *r, const char *line)
{
	const char *arg = line[0] != '\0' && line[1] != '\0' ? line + 2 : "";
	struct str bytes = STR_INIT;
	struct err err;
	int ret = 0;

	if (*arg == ' ')
		arg++;
	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (line[0] == 'P' && line[1] == ':') {
		char *words[WORDS_MAX];
		size_t n;

		if (r->have_session)
			return fail(r, "P: after the session started");
		n = split_words(arg, words, WORDS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (ret == 0 && r->ops->param(r->ctx, words[i]) < 0)
				ret = fail(r, "unknown parameter %s", words[i]);
			free(words[i]);
		}
		return ret;
	}
	if (!r->have_session) {
		if (r->ops->create(r->ctx, &err) < 0)
			return fail(r, "cannot create the session: %s", err.msg);
		r->have_session = true;
	}
	switch (line[0]) {
	case 'S':
	case 'R':
		if (expect_no_output(r) < 0)
			return -1;
		if (line[0] == 'S' && line[1] == '*') {
			char *end;
			unsigned long count = strtoul(arg, &end, 10);

			unescape(&bytes, *end == ' ' ? end + 1 : end, false);
			for (unsigned long i = 0; i < count && !r->failed && ret == 0; i++)
				ret = feed(r, bytes.s ? bytes.s : "", bytes.len);
		} else if (line[1] == ':') {
			unescape(&bytes, arg, false);
			if (line[0] == 'S')
				str_append(&bytes, "\r\n");
			ret = feed(r, bytes.s ? bytes.s : "", bytes.len);
		} else {
			ret = fail(r, "cannot read the line");
		}
		break;
	case 'C':
		ret = check_client_line(r, arg);
		break;
	case 'E':
		ret = check_event(r, arg);
		break;
	case 'X':
		ret = call(r, arg);
		break;
	default:
		ret = fail(r, "cannot read the line");
	}
	str_free(&bytes);
	return ret;
}

static int
replay(const char *path, const struct transcript_ops *ops, void *ctx, bool bytewise,
       struct str *why)
{
	struct replay r;
	struct err err;
	char *data = NULL, *p;
	size_t len = 0;
	int ret = -1;

	memset(&r, 0, sizeof(r));
	r.ops = ops;
	r.ctx = ctx;
	r.bytewise = bytewise;
	r.why = why;
	str_init(&r.sent);
	if (file_read_all(path, SCRIPT_MAX, &data, &len, &err) < 0) {
		str_append(why, err.msg);
		return -1;
	}
	for (p = data; p != NULL && *p != '\0';) {
		char *nl = strchr(p, '\n');

		if (nl != NULL)
			*nl = '\0';
		r.lineno++;
		if (step(&r, p) < 0)
			goto out;
		p = nl != NULL ? nl + 1 : NULL;
	}
	r.lineno++;
	if (r.have_session && (expect_no_output(&r) < 0 || expect_no_events(&r) < 0))
		goto out;
	ret = 0;
out:
	/* Also after P: lines alone or a failed create: parameters may hold
	   memory. */
	ops->destroy(ctx);
	for (size_t i = 0; i < r.n_events; i++)
		free(r.events[i]);
	free(r.events);
	str_free(&r.sent);
	free(data);
	return ret;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
transcript_replay_dir(const char *dir, const struct transcript_ops *ops, void *ctx, int *count)
{
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	int failed = 0;

	if (d == NULL) {
		printf("not ok %d - cannot open %s\n", ++*count, dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len > 2 && strcmp(de->d_name + len - 2, ".t") == 0) {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);

		for (int mode = 0; mode < 2; mode++) {
			struct str why = STR_INIT;
			const char *how = mode ? "byte by byte" : "whole lines";

			if (replay(path, ops, ctx, mode == 1, &why) == 0) {
				printf("ok %d - %s (%s)\n", ++*count, names[i], how);
			} else {
				failed++;
				printf("not ok %d - %s (%s)\n# %s\n", ++*count, names[i], how,
				       str_cstr(&why));
			}
			str_free(&why);
			fflush(stdout);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	if (n == 0) {
		printf("not ok %d - no transcripts in %s\n", ++*count, dir);
		failed++;
	}
	return failed;
}
