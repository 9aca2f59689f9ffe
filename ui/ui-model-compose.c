#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-xalloc.h"
#include "ui/ui-model-compose.h"

/* References kept in a reply: the first and the last ones (RFC 5322
 * 3.6.4 lets a long chain be trimmed in the middle). */
#define REFS_KEEP 20

void
ui_draft_set(char **field, const char *value)
{
	/* value may be the field itself. */
	char *copy = xstrdup(value != NULL ? value : "");

	free(*field);
	*field = copy;
}

void
ui_draft_init(struct ui_draft *d, enum ui_draft_kind kind)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	ui_draft_set(&d->from, "");
	ui_draft_set(&d->to, "");
	ui_draft_set(&d->cc, "");
	ui_draft_set(&d->bcc, "");
	ui_draft_set(&d->subject, "");
	ui_draft_set(&d->reply_to, "");
	ui_draft_set(&d->fcc, "");
}

void
ui_draft_clear(struct ui_draft *d)
{
	free(d->from);
	free(d->to);
	free(d->cc);
	free(d->bcc);
	free(d->subject);
	free(d->reply_to);
	free(d->fcc);
	free(d->in_reply_to);
	free(d->references);
	ui_strv_clear(&d->attach);
	str_free(&d->body);
	memset(d, 0, sizeof(*d));
}

static void
append_signature(struct str *body, const char *signature)
{
	if (signature == NULL || *signature == '\0')
		return;
	str_append(body, "\n-- \n");
	str_append(body, signature);
	if (signature[strlen(signature) - 1] != '\n')
		str_append_char(body, '\n');
}

void
ui_draft_new_message(struct ui_draft *d, const char *to, const char *subject, const char *signature)
{
	ui_draft_set(&d->to, to);
	ui_draft_set(&d->subject, subject);
	str_reset(&d->body);
	append_signature(&d->body, signature);
	str_append(&d->body, "");
}

void
ui_addr_split(const char *list, struct ui_strv *out)
{
	struct str cur = STR_INIT;
	int quoted = 0, angle = 0;

	for (const char *p = list != NULL ? list : "";; p++) {
		if (*p == '\0' || (*p == ',' && !quoted && !angle)) {
			size_t a = 0, b = cur.len;

			while (a < b && isspace((unsigned char)cur.s[a]))
				a++;
			while (b > a && isspace((unsigned char)cur.s[b - 1]))
				b--;
			if (b > a)
				ui_strv_take(out, xstrndup(cur.s + a, b - a));
			str_reset(&cur);
			if (*p == '\0')
				break;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '<' && !quoted)
			angle = 1;
		else if (*p == '>' && !quoted)
			angle = 0;
		str_append_char(&cur, *p);
	}
	str_free(&cur);
}

void
ui_addr_bare(const char *entry, struct str *out)
{
	const char *lt = strrchr(entry, '<'), *s = entry;
	size_t n;

	if (lt != NULL && strchr(lt, '>') != NULL) {
		s = lt + 1;
		n = (size_t)(strchr(lt, '>') - s);
	} else {
		while (isspace((unsigned char)*s))
			s++;
		n = strcspn(s, " \t");
	}
	for (size_t i = 0; i < n; i++)
		str_append_char(out, (char)tolower((unsigned char)s[i]));
	str_append(out, "");
}

static int
is_me(const struct ui_reply_opts *o, const char *addr)
{
	struct str bare = STR_INIT;
	int yes = 0;

	ui_addr_bare(addr, &bare);
	for (size_t i = 0; o->me != NULL && i < o->me->n && !yes; i++)
		yes = strcmp(bare.s, o->me->v[i]) == 0;
	str_free(&bare);
	return yes;
}

/* Adds addr to list (a ", "-joined string) unless its bare address is in
 * seen; records it there. */
static void
add_addr(struct str *list, struct ui_strv *seen, const char *addr)
{
	struct str bare = STR_INIT;

	ui_addr_bare(addr, &bare);
	if (bare.len == 0)
		goto out;
	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], bare.s) == 0)
			goto out;
	ui_strv_push(seen, bare.s);
	if (list->len > 0)
		str_append(list, ", ");
	str_append(list, addr);
out:
	str_free(&bare);
}

static void
reply_subject(struct ui_draft *d, const char *subject, const char *prefix)
{
	const char *s = subject != NULL ? subject : "";
	size_t plen = strlen(prefix);

	while (*s == ' ')
		s++;
	if (strncasecmp(s, prefix, plen) == 0) {
		ui_draft_set(&d->subject, s);
		return;
	}
	free(d->subject);
	d->subject = xasprintf("%s %s", prefix, s);
}

static void
reply_refs(struct ui_draft *d, const struct ui_reply_src *src)
{
	struct ui_strv ids = {NULL, 0};
	struct str refs = STR_INIT;
	const char *p = src->references;

	if (src->message_id == NULL || *src->message_id == '\0')
		return;
	free(d->in_reply_to);
	d->in_reply_to = xasprintf("<%s>", src->message_id);
	while (p != NULL && *p != '\0') {
		const char *lt = strchr(p, '<'), *gt;

		if (lt == NULL || (gt = strchr(lt, '>')) == NULL)
			break;
		ui_strv_take(&ids, xstrndup(lt, (size_t)(gt - lt) + 1));
		p = gt + 1;
	}
	ui_strv_push(&ids, d->in_reply_to);
	for (size_t i = 0; i < ids.n; i++) {
		/* Keep the first (the thread's root) and the newest ones. */
		if (ids.n > REFS_KEEP && i > 0 && i < ids.n - (REFS_KEEP - 1))
			continue;
		if (refs.len > 0)
			str_append_char(&refs, ' ');
		str_append(&refs, ids.v[i]);
	}
	free(d->references);
	d->references = str_detach(&refs);
	ui_strv_clear(&ids);
	str_free(&refs);
}

static void
attribution(struct str *out, const char *fmt, const struct ui_reply_src *src)
{
	for (const char *p = fmt; *p != '\0'; p++) {
		if (*p != '%' || p[1] == '\0') {
			str_append_char(out, *p);
			continue;
		}
		p++;
		switch (*p) {
		case 'd':
			str_append(out, src->date != NULL && *src->date ? src->date : "?");
			break;
		case 'n':
			str_append(out, src->from_name != NULL && *src->from_name ? src->from_name
			                : src->from_addr                          ? src->from_addr
			                                                          : "?");
			break;
		case 'a':
			str_append(out, src->from_addr != NULL ? src->from_addr : "?");
			break;
		case '%':
			str_append_char(out, '%');
			break;
		default:
			str_append_char(out, '%');
			str_append_char(out, *p);
			break;
		}
	}
}

static void
quote(struct str *out, const char *text, const char *prefix)
{
	const char *p = text != NULL ? text : "";
	size_t plen = strlen(prefix), trimmed = plen;

	while (trimmed > 0 && prefix[trimmed - 1] == ' ')
		trimmed--;
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		size_t len = n;

		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
			str_append_len(out, prefix, trimmed);
		else if (p[0] == '>')
			/* Already quoted: "> > x" reads worse than ">> x". */
			str_append_len(out, prefix, trimmed);
		else
			str_append(out, prefix);
		str_append_len(out, p, len);
		str_append_char(out, '\n');
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* The address List-Post gives: "<mailto:list@host?subject=x>" -> "list@host". */
static char *
list_address(const char *lp)
{
	const char *s = lp;
	size_t n;

	while (*s == ' ' || *s == '<')
		s++;
	if (strncasecmp(s, "mailto:", 7) == 0)
		s += 7;
	n = strcspn(s, ">? ,");
	return n > 0 ? xstrndup(s, n) : NULL;
}

int
ui_draft_reply(struct ui_draft *d, enum ui_draft_kind kind, const struct ui_reply_src *src,
               const struct ui_reply_opts *o, struct err *err)
{
	struct ui_strv seen = {NULL, 0}, entries = {NULL, 0};
	struct str to = STR_INIT, cc = STR_INIT;
	const char *target;

	d->kind = kind;
	if (kind == UI_DRAFT_LIST_REPLY) {
		char *la = src->list_post != NULL ? list_address(src->list_post) : NULL;

		if (la == NULL)
			return err_set(err, ERR_USAGE,
			               "the message has no List-Post header: it did not "
			               "come through a mailing list that says where to post");
		ui_draft_set(&d->to, la);
		free(la);
	} else {
		target = o->use_reply_to && src->reply_to != NULL && *src->reply_to ? src->reply_to
		                                                                    : src->from;
		ui_addr_split(target, &entries);
		for (size_t i = 0; i < entries.n; i++)
			add_addr(&to, &seen, entries.v[i]);
		ui_strv_clear(&entries);
		if (kind == UI_DRAFT_GROUP_REPLY) {
			if (!o->metoo)
				for (size_t i = 0; o->me != NULL && i < o->me->n; i++)
					ui_strv_push(&seen, o->me->v[i]);
			for (size_t i = 0; i < src->nto_addrs; i++)
				if (o->metoo || !is_me(o, src->to_addrs[i]))
					add_addr(&cc, &seen, src->to_addrs[i]);
			for (size_t i = 0; i < src->ncc_addrs; i++)
				if (o->metoo || !is_me(o, src->cc_addrs[i]))
					add_addr(&cc, &seen, src->cc_addrs[i]);
		}
		ui_draft_set(&d->to, to.s);
		ui_draft_set(&d->cc, cc.s);
	}
	reply_subject(d, src->subject, "Re:");
	reply_refs(d, src);
	str_reset(&d->body);
	if (o->include) {
		attribution(&d->body,
		            o->attribution != NULL ? o->attribution : "On %d, %n wrote:", src);
		str_append_char(&d->body, '\n');
		quote(&d->body, src->body, o->quote_prefix != NULL ? o->quote_prefix : "> ");
		str_append_char(&d->body, '\n');
	}
	append_signature(&d->body, o->signature);
	str_append(&d->body, "");
	ui_strv_clear(&seen);
	str_free(&to);
	str_free(&cc);
	return 0;
}

void
ui_draft_forward(struct ui_draft *d, const struct ui_reply_src *src, const char *signature)
{
	const char *body = src->body != NULL ? src->body : "";

	d->kind = UI_DRAFT_FORWARD;
	free(d->subject);
	d->subject = xasprintf("Fwd: %s", src->subject != NULL ? src->subject : "");
	str_reset(&d->body);
	str_appendf(&d->body, "\n----- Forwarded message from %s -----\n\n",
	            src->from != NULL && *src->from ? src->from : "?");
	if (src->date != NULL && *src->date)
		str_appendf(&d->body, "Date: %s\n", src->date);
	if (src->from != NULL && *src->from)
		str_appendf(&d->body, "From: %s\n", src->from);
	if (src->to != NULL && *src->to)
		str_appendf(&d->body, "To: %s\n", src->to);
	if (src->cc != NULL && *src->cc)
		str_appendf(&d->body, "Cc: %s\n", src->cc);
	str_appendf(&d->body, "Subject: %s\n\n", src->subject != NULL ? src->subject : "");
	str_append(&d->body, body);
	if (*body != '\0' && body[strlen(body) - 1] != '\n')
		str_append_char(&d->body, '\n');
	str_append(&d->body, "\n----- End forwarded message -----\n");
	append_signature(&d->body, signature);
}

void
ui_draft_forward_attached(struct ui_draft *d, const struct ui_reply_src *src, const char *file,
                          const char *signature)
{
	d->kind = UI_DRAFT_FORWARD;
	free(d->subject);
	d->subject = xasprintf("Fwd: %s", src->subject != NULL ? src->subject : "");
	str_reset(&d->body);
	/* The text is the user's note above the attached message. */
	str_append(&d->body, "\n");
	append_signature(&d->body, signature);
	if (file != NULL)
		ui_strv_take(&d->attach, xstrdup(file));
}

struct field {
	const char *name;
	size_t off;
};

static const struct field fields[] = {
    {"From", offsetof(struct ui_draft, from)},
    {"To", offsetof(struct ui_draft, to)},
    {"Cc", offsetof(struct ui_draft, cc)},
    {"Bcc", offsetof(struct ui_draft, bcc)},
    {"Subject", offsetof(struct ui_draft, subject)},
    {"Reply-To", offsetof(struct ui_draft, reply_to)},
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

void
ui_draft_file_text(const struct ui_draft *d, int edit_headers, struct str *out)
{
	if (edit_headers) {
		for (size_t i = 0; i < N_FIELDS; i++) {
			const char *v = *(char *const *)((const char *)d + fields[i].off);

			str_appendf(out, "%s: %s\n", fields[i].name, v != NULL ? v : "");
		}
		str_append_char(out, '\n');
	}
	str_append_len(out, d->body.s ? d->body.s : "", d->body.len);
	str_append(out, "");
}

void
ui_draft_read_file(struct ui_draft *d, int edit_headers, const char *text, size_t len)
{
	size_t pos = 0;

	if (edit_headers) {
		while (pos < len) {
			const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
			size_t n = nl != NULL ? (size_t)(nl - line) : len - pos;
			struct str value = STR_INIT;
			const char *colon;

			if (n == 0 || (n == 1 && line[0] == '\r')) {
				pos += n + (nl != NULL);
				break;
			}
			colon = memchr(line, ':', n);
			pos += n + (nl != NULL);
			if (colon == NULL)
				continue;
			/* Folded continuation lines join the value. */
			str_append_len(&value, colon + 1, n - (size_t)(colon + 1 - line));
			while (pos < len && (text[pos] == ' ' || text[pos] == '\t')) {
				const char *cn = memchr(text + pos, '\n', len - pos);
				size_t m = cn != NULL ? (size_t)(cn - (text + pos)) : len - pos;

				str_append_len(&value, text + pos, m);
				pos += m + (cn != NULL);
			}
			for (size_t i = 0; i < N_FIELDS; i++) {
				size_t nl_len = strlen(fields[i].name);
				char **f = (char **)((char *)d + fields[i].off);
				size_t a = 0, b = value.len;

				if ((size_t)(colon - line) != nl_len ||
				    strncasecmp(line, fields[i].name, nl_len) != 0)
					continue;
				while (a < b && isspace((unsigned char)value.s[a]))
					a++;
				while (b > a && isspace((unsigned char)value.s[b - 1]))
					b--;
				free(*f);
				*f = xstrndup(value.s ? value.s + a : "", b - a);
			}
			str_free(&value);
		}
	}
	str_reset(&d->body);
	str_append_len(&d->body, text + pos, len - pos);
	str_append(&d->body, "");
}

void
ui_recall_clear(struct ui_recall *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].message_id);
		free(r->v[i].to);
		free(r->v[i].subject);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

void
ui_recall_add(struct ui_recall *r, uint64_t id, const char *message_id, const char *to,
              const char *subject, time_t date)
{
	struct ui_recall_entry *e;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	e = &r->v[r->n++];
	e->id = id;
	e->message_id = xstrdup(message_id != NULL ? message_id : "");
	e->to = xstrdup(to != NULL ? to : "");
	e->subject = xstrdup(subject != NULL ? subject : "");
	e->date = date;
}

int
ui_recall_move(struct ui_recall *r, long delta, int rows)
{
	size_t old = r->cursor;

	if (r->n == 0)
		return 0;
	if (delta < 0)
		r->cursor = (size_t)-delta > r->cursor ? 0 : r->cursor - (size_t)-delta;
	else
		r->cursor =
		    r->cursor + (size_t)delta >= r->n ? r->n - 1 : r->cursor + (size_t)delta;
	if (rows < 1)
		rows = 1;
	if (r->cursor < r->top)
		r->top = r->cursor;
	else if (r->cursor >= r->top + (size_t)rows)
		r->top = r->cursor - (size_t)rows + 1;
	return r->cursor != old;
}

/* Copies s without control characters (the list goes to the terminal). */
static void
append_safe(struct str *out, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			str_append_char(out, ' ');
		else if (c == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] < 0xa0)
			s++;
		else
			str_append_char(out, (char)c);
	}
}

void
ui_recall_line(const struct ui_recall *r, size_t i, struct str *out)
{
	const struct ui_recall_entry *e = &r->v[i];
	char date[32] = "";
	struct tm tm;

	if (e->date != 0 && localtime_r(&e->date, &tm) != NULL)
		strftime(date, sizeof(date), "%b %d", &tm);
	str_appendf(out, "%4zu  %-6s  To: ", i + 1, date);
	append_safe(out, *e->to ? e->to : "(nobody)");
	str_append(out, "  ");
	append_safe(out, *e->subject ? e->subject : "(no subject)");
}
