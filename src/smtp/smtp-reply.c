#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "smtp/smtp-reply.h"

struct smtp_reply_parser {
	size_t line_max;
	size_t lines_max;
	struct str in;       /* bytes fed */
	size_t pos;          /* start of the first line not yet parsed */
	size_t scanned;      /* bytes after pos already searched for a newline */
	size_t partial;      /* bytes of the lines of the reply in progress */
	struct arena *arena; /* the current reply's strings */
	char **lines;        /* the current reply's lines so far */
	size_t n_lines;
	size_t cap_lines;
	int code;
	bool returned; /* the reply in lines was handed out */
	bool failed;
	struct err error; /* repeated once failed */
	struct smtp_reply reply;
};

struct smtp_reply_parser *
smtp_reply_parser_new(size_t line_max, size_t lines_max)
{
	struct smtp_reply_parser *p = xcalloc(1, sizeof(*p));

	p->line_max = line_max ? line_max : SMTP_REPLY_LINE_MAX_DEFAULT;
	p->lines_max = lines_max ? lines_max : SMTP_REPLY_LINES_MAX_DEFAULT;
	str_init(&p->in);
	p->arena = arena_new();
	return p;
}

void
smtp_reply_parser_free(struct smtp_reply_parser **parser)
{
	struct smtp_reply_parser *p = *parser;

	if (p == NULL)
		return;
	str_free(&p->in);
	arena_free(&p->arena);
	free(p->lines);
	free(p);
	*parser = NULL;
}

void
smtp_reply_parser_feed(struct smtp_reply_parser *p, const void *data, size_t len)
{
	if (p->failed || len == 0)
		return;
	/* Drop what was parsed, so the buffer holds at most one partial line
	   plus what the caller fed since it last drained the replies. */
	if (p->pos > 0) {
		str_consume(&p->in, p->pos);
		p->pos = 0;
	}
	str_append_len(&p->in, data, len);
}

size_t
smtp_reply_parser_pending(const struct smtp_reply_parser *p)
{
	/* Lines of a reply not yet complete left the buffer but were not
	   returned either. */
	return p->in.len - p->pos + (p->returned ? 0 : p->partial);
}

size_t
smtp_reply_parser_discard(struct smtp_reply_parser *p)
{
	size_t n = smtp_reply_parser_pending(p);

	str_reset(&p->in);
	p->pos = 0;
	p->scanned = 0;
	p->n_lines = 0;
	p->partial = 0;
	p->returned = true;
	return n;
}

/* A short, printable excerpt of a bad line for error sentences. */
static void
excerpt(const char *line, size_t len, char *buf, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 5 < size; i++) {
		unsigned char c = (unsigned char)line[i];

		buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		if (i == 40) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
	}
	buf[n] = '\0';
}

/* Fails for good with ERR_PROTO: "what: "excerpt"". */
static int
fail(struct smtp_reply_parser *p, struct err *err, const char *what, const char *line, size_t len)
{
	char ex[64];

	excerpt(line, len, ex, sizeof(ex));
	err_set(&p->error, ERR_PROTO, "%s: \"%s\"", what, ex);
	p->failed = true;
	if (err != NULL)
		*err = p->error;
	return -1;
}

static int
too_long(struct smtp_reply_parser *p, struct err *err)
{
	err_set(&p->error, ERR_PROTO, "server reply line longer than %zu bytes", p->line_max);
	p->failed = true;
	if (err != NULL)
		*err = p->error;
	return -1;
}

/* Length of an RFC 3463 status code ("5.1.1") of class cls at the start of
 * s, or 0. */
static size_t
enhanced_len(const char *s, size_t len, int cls)
{
	size_t i = 0;

	if (len < 5 || s[0] != (char)('0' + cls) || s[1] != '.')
		return 0;
	i = 2;
	for (int part = 0; part < 2; part++) {
		size_t digits = 0;

		while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			i++;
			digits++;
		}
		if (digits == 0 || digits > 3)
			return 0;
		if (part == 0) {
			if (i >= len || s[i] != '.')
				return 0;
			i++;
		}
	}
	if (i < len && s[i] != ' ')
		return 0;
	return i;
}

static void
add_line(struct smtp_reply_parser *p, const char *text, size_t len)
{
	if (p->n_lines == p->cap_lines) {
		p->cap_lines = p->cap_lines ? p->cap_lines * 2 : 16;
		p->lines = xreallocarray(p->lines, p->cap_lines, sizeof(*p->lines));
	}
	p->lines[p->n_lines++] = arena_strndup(p->arena, text, len);
}

static void
finish_reply(struct smtp_reply_parser *p)
{
	struct str all = STR_INIT;
	char *joined;

	for (size_t i = 0; i < p->n_lines; i++) {
		if (i > 0)
			str_append_char(&all, '\n');
		str_append(&all, p->lines[i]);
	}
	joined = arena_strndup(p->arena, str_cstr(&all), all.len);
	str_free(&all);
	p->reply.code = p->code;
	p->reply.n_lines = p->n_lines;
	p->reply.lines = (const char *const *)p->lines;
	p->reply.text = joined;
}

/* Parses one line (without its line ending); returns 1 when it ended a
 * reply, 0 when more lines follow, -1 on error. */
static int
parse_line(struct smtp_reply_parser *p, const char *line, size_t len, struct err *err)
{
	int code;
	char sep;
	const char *text;
	size_t tlen, elen;

	if (memchr(line, '\0', len) != NULL)
		return fail(p, err, "NUL byte in the server's reply", line, len);
	if (len < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
	    line[2] < '0' || line[2] > '9')
		return fail(p, err, "malformed reply line from the server", line, len);
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	sep = len == 3 ? ' ' : line[3];
	if (sep != ' ' && sep != '-')
		return fail(p, err, "malformed reply line from the server", line, len);
	if (p->n_lines > 0 && code != p->code)
		return fail(p, err, "reply lines with different codes from the server", line, len);
	if (p->n_lines >= p->lines_max)
		return fail(p, err, "server reply has too many lines; the last", line, len);
	p->code = code;
	text = len > 4 ? line + 4 : "";
	tlen = len > 4 ? len - 4 : 0;
	if (p->n_lines == 0) {
		p->reply.enhanced[0] = '\0';
		elen = enhanced_len(text, tlen, code / 100);
		if (elen > 0 && elen < sizeof(p->reply.enhanced)) {
			memcpy(p->reply.enhanced, text, elen);
			p->reply.enhanced[elen] = '\0';
		}
	}
	/* RFC 2034 repeats the code on every line; keep only the words. */
	elen = strlen(p->reply.enhanced);
	if (elen > 0 && tlen >= elen && memcmp(text, p->reply.enhanced, elen) == 0 &&
	    (tlen == elen || text[elen] == ' ')) {
		text += elen;
		tlen -= elen;
		if (tlen > 0) {
			text++;
			tlen--;
		}
	}
	add_line(p, text, tlen);
	if (sep == ' ') {
		finish_reply(p);
		return 1;
	}
	return 0;
}

int
smtp_reply_parser_next(struct smtp_reply_parser *p, const struct smtp_reply **reply_r,
                       struct err *err)
{
	if (p->failed) {
		if (err != NULL)
			*err = p->error;
		return -1;
	}
	if (p->returned) {
		arena_reset(p->arena);
		p->n_lines = 0;
		p->partial = 0;
		p->returned = false;
	}
	for (;;) {
		const char *start;
		size_t avail = p->in.len - p->pos;
		const char *nl = NULL;
		size_t len;
		int r;

		if (p->in.s == NULL)
			return 0;
		start = p->in.s + p->pos;
		if (avail > p->scanned)
			nl = memchr(start + p->scanned, '\n', avail - p->scanned);
		if (nl == NULL) {
			p->scanned = avail;
			/* One more byte than the limit is allowed for a CR. */
			if (avail > p->line_max + 1)
				return too_long(p, err);
			return 0;
		}
		len = (size_t)(nl - start);
		p->pos += len + 1;
		p->partial += len + 1;
		p->scanned = 0;
		if (len > 0 && start[len - 1] == '\r')
			len--;
		if (len > p->line_max)
			return too_long(p, err);
		r = parse_line(p, start, len, err);
		if (r < 0)
			return -1;
		if (r == 1) {
			p->returned = true;
			*reply_r = &p->reply;
			return 1;
		}
	}
}

void
smtp_reply_describe(const struct smtp_reply *reply, char *buf, size_t size)
{
	size_t n;
	bool first = true;

	snprintf(buf, size, "%d%s%s", reply->code, reply->enhanced[0] ? " " : "", reply->enhanced);
	n = strlen(buf);
	for (size_t i = 0; i < reply->n_lines && n + 1 < size; i++) {
		const char *s = reply->lines[i];
		const char *sep = first ? " " : " / ";

		if (*s == '\0')
			continue;
		first = false;
		for (; *sep != '\0' && n + 1 < size; sep++)
			buf[n++] = *sep;
		for (; *s != '\0' && n + 1 < size; s++) {
			unsigned char c = (unsigned char)*s;

			buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		}
	}
	buf[n < size ? n : size - 1] = '\0';
}
