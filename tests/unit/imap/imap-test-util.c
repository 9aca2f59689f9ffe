#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "imap-test-util.h"

void
imap_test_fmt_init(struct imap_test_fmt *fmt)
{
	memset(fmt, 0, sizeof(*fmt));
	str_init(&fmt->chunk);
}

void
imap_test_fmt_free(struct imap_test_fmt *fmt)
{
	str_free(&fmt->chunk);
}

void
imap_test_escape(struct str *out, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];

		switch (c) {
		case '\\': str_append(out, "\\\\"); break;
		case '"': str_append(out, "\\\""); break;
		case '\r': str_append(out, "\\r"); break;
		case '\n': str_append(out, "\\n"); break;
		case '\t': str_append(out, "\\t"); break;
		default:
			if (c < 0x20 || c >= 0x7f)
				str_appendf(out, "\\x%02x", c);
			else
				str_append_char(out, (char)c);
		}
	}
}

static void
qstr(struct str *out, const char *s)
{
	if (s == NULL) {
		str_append(out, "NIL");
		return;
	}
	str_append_char(out, '"');
	imap_test_escape(out, s, strlen(s));
	str_append_char(out, '"');
}

static void
fmt_arg(struct str *out, const struct imap_arg *a)
{
	switch (a->type) {
	case IMAP_ARG_NIL: str_append(out, "NIL"); break;
	case IMAP_ARG_ATOM: imap_test_escape(out, a->u.str, a->len); break;
	case IMAP_ARG_STRING:
		if (a->flags & IMAP_ARG_F_LITERAL)
			str_appendf(out, "%s{%zu}", (a->flags & IMAP_ARG_F_BINARY) ? "~" : "", a->len);
		str_append_char(out, '"');
		imap_test_escape(out, a->u.str, a->len);
		str_append_char(out, '"');
		break;
	case IMAP_ARG_LIST:
		str_append_char(out, '(');
		for (size_t i = 0; i < a->len; i++) {
			if (i > 0)
				str_append_char(out, ' ');
			fmt_arg(out, &a->u.list[i]);
		}
		str_append_char(out, ')');
		break;
	case IMAP_ARG_STREAMED: str_appendf(out, "<streamed %zu>", a->len); break;
	}
}

static void
fmt_strings(struct str *out, const struct imap_strings *v)
{
	str_append_char(out, '(');
	for (size_t i = 0; i < v->n; i++) {
		if (i > 0)
			str_append_char(out, ' ');
		imap_test_escape(out, v->v[i], strlen(v->v[i]));
	}
	str_append_char(out, ')');
}

static void
fmt_set(struct str *out, const struct imap_seqset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		if (i > 0)
			str_append_char(out, ',');
		if (set->r[i].lo == set->r[i].hi)
			str_appendf(out, "%u", set->r[i].lo);
		else
			str_appendf(out, "%u:%u", set->r[i].lo, set->r[i].hi);
	}
}

static void
fmt_flags(struct str *out, const struct imap_flags *f)
{
	fmt_strings(out, &f->v);
	str_appendf(out, "=%#x", f->bits);
}

static void
fmt_code(struct str *out, const struct imap_code *c)
{
	if (c->kind == IMAP_CODE_NONE)
		return;
	str_append_char(out, '[');
	if (c->kind == IMAP_CODE_OTHER)
		str_append(out, c->malformed ? "!" : "?");
	imap_test_escape(out, c->name, strlen(c->name));
	switch (c->kind) {
	case IMAP_CODE_CAPABILITY:
		str_append_char(out, ' ');
		fmt_strings(out, &c->u.caps);
		break;
	case IMAP_CODE_PERMANENTFLAGS:
		str_append_char(out, ' ');
		fmt_flags(out, &c->u.flags);
		break;
	case IMAP_CODE_UIDNEXT:
	case IMAP_CODE_UIDVALIDITY:
	case IMAP_CODE_UNSEEN:
		str_appendf(out, " %u", c->u.num);
		break;
	case IMAP_CODE_HIGHESTMODSEQ:
		str_appendf(out, " %" PRIu64, c->u.modseq);
		break;
	case IMAP_CODE_APPENDUID:
		str_appendf(out, " %u ", c->u.appenduid.uidvalidity);
		fmt_set(out, &c->u.appenduid.uids);
		break;
	case IMAP_CODE_COPYUID:
		str_appendf(out, " %u ", c->u.copyuid.uidvalidity);
		fmt_set(out, &c->u.copyuid.src);
		str_append_char(out, ' ');
		fmt_set(out, &c->u.copyuid.dst);
		break;
	case IMAP_CODE_MODIFIED:
		str_append_char(out, ' ');
		fmt_set(out, &c->u.modified);
		break;
	case IMAP_CODE_OTHER:
		if (c->raw[0] != '\0') {
			str_append_char(out, ' ');
			imap_test_escape(out, c->raw, strlen(c->raw));
		}
		break;
	default:
		break;
	}
	str_append(out, "] ");
}

static const char *const status_names[] = {"OK", "NO", "BAD", "PREAUTH", "BYE"};

static void
fmt_text(struct str *out, const struct imap_response *r)
{
	str_append(out, status_names[r->status]);
	str_append_char(out, ' ');
	fmt_code(out, &r->code);
	imap_test_escape(out, r->text, strlen(r->text));
}

static void
fmt_mailbox(struct str *out, const struct imap_mailbox *m)
{
	qstr(out, m->name);
	if (m->name != m->raw && strcmp(m->name, m->raw) != 0) {
		str_append(out, " raw=");
		qstr(out, m->raw);
	}
	if (m->invalid)
		str_append(out, " invalid");
}

static void
fmt_addrs(struct str *out, const char *name, const struct imap_addresses *a)
{
	if (a->n == 0)
		return;
	str_appendf(out, " %s=(", name);
	for (size_t i = 0; i < a->n; i++) {
		if (i > 0)
			str_append_char(out, ' ');
		str_append_char(out, '(');
		qstr(out, a->v[i].name);
		str_append_char(out, ' ');
		qstr(out, a->v[i].adl);
		str_append_char(out, ' ');
		qstr(out, a->v[i].mailbox);
		str_append_char(out, ' ');
		qstr(out, a->v[i].host);
		str_append_char(out, ')');
	}
	str_append_char(out, ')');
}

static void
fmt_envelope(struct str *out, const struct imap_envelope *e)
{
	str_append(out, "env(date=");
	qstr(out, e->date);
	str_append(out, " subject=");
	qstr(out, e->subject);
	fmt_addrs(out, "from", &e->from);
	fmt_addrs(out, "sender", &e->sender);
	fmt_addrs(out, "reply-to", &e->reply_to);
	fmt_addrs(out, "to", &e->to);
	fmt_addrs(out, "cc", &e->cc);
	fmt_addrs(out, "bcc", &e->bcc);
	str_append(out, " in-reply-to=");
	qstr(out, e->in_reply_to);
	str_append(out, " message-id=");
	qstr(out, e->message_id);
	str_append_char(out, ')');
}

static void
fmt_params(struct str *out, const struct imap_body_params *p)
{
	for (size_t i = 0; i < p->n; i++)
		str_appendf(out, " %s=%s", p->v[i].name, p->v[i].value);
}

static void
fmt_body(struct str *out, const struct imap_body *b)
{
	str_appendf(out, "{%s %s/%s", b->part[0] ? b->part : "-", b->type, b->subtype);
	fmt_params(out, &b->params);
	if (b->n_parts == 0) {
		str_appendf(out, " size=%u", b->size);
		if (b->lines)
			str_appendf(out, " lines=%u", b->lines);
		if (b->encoding)
			str_appendf(out, " enc=%s", b->encoding);
	}
	if (b->id)
		str_appendf(out, " id=%s", b->id);
	if (b->description)
		str_appendf(out, " desc=%s", b->description);
	if (b->md5)
		str_appendf(out, " md5=%s", b->md5);
	if (b->disposition) {
		str_appendf(out, " disp=%s", b->disposition);
		fmt_params(out, &b->disposition_params);
	}
	for (size_t i = 0; i < b->language.n; i++)
		str_appendf(out, " lang=%s", b->language.v[i]);
	if (b->location)
		str_appendf(out, " loc=%s", b->location);
	if (b->envelope) {
		str_append_char(out, ' ');
		fmt_envelope(out, b->envelope);
	}
	if (b->message) {
		str_append_char(out, ' ');
		fmt_body(out, b->message);
	}
	for (size_t i = 0; i < b->n_parts; i++) {
		str_append_char(out, ' ');
		fmt_body(out, &b->parts[i]);
	}
	str_append_char(out, '}');
}

static const char *const section_kinds[] = {"BODY", "BINARY", "RFC822", "RFC822.HEADER",
					    "RFC822.TEXT"};

static void
fmt_section(struct str *out, const struct imap_fetch_body *s)
{
	str_append(out, section_kinds[s->kind]);
	if (s->kind <= IMAP_SECTION_BINARY)
		str_appendf(out, "[%s]", s->section);
	if (s->has_origin)
		str_appendf(out, "<%u>", s->origin);
}

static void
fmt_fetch(struct str *out, const struct imap_fetch *f)
{
	str_appendf(out, "FETCH %u", f->seq);
	if (f->present & IMAP_FETCH_UID)
		str_appendf(out, " uid=%u", f->uid);
	if (f->present & IMAP_FETCH_FLAGS) {
		str_append(out, " flags=");
		fmt_flags(out, &f->flags);
	}
	if (f->present & IMAP_FETCH_INTERNALDATE)
		str_appendf(out, " internaldate=%lld", (long long)f->internaldate_time);
	if (f->present & IMAP_FETCH_RFC822_SIZE)
		str_appendf(out, " size=%" PRIu64, f->rfc822_size);
	if (f->present & IMAP_FETCH_MODSEQ)
		str_appendf(out, " modseq=%" PRIu64, f->modseq);
	if (f->present & IMAP_FETCH_ENVELOPE) {
		str_append_char(out, ' ');
		fmt_envelope(out, f->envelope);
	}
	if (f->present & IMAP_FETCH_BODYSTRUCTURE) {
		str_append(out, " body=");
		fmt_body(out, f->body);
	}
	for (size_t i = 0; i < f->n_sections; i++) {
		const struct imap_fetch_body *s = &f->sections[i];

		str_append_char(out, ' ');
		fmt_section(out, s);
		if (s->streamed)
			str_appendf(out, "=<streamed %" PRIu64 ">", s->len);
		else if (s->data == NULL)
			str_append(out, "=NIL");
		else {
			str_append(out, "=\"");
			imap_test_escape(out, s->data, s->len);
			str_append_char(out, '"');
		}
	}
	if (f->invalid)
		str_appendf(out, " invalid=%#x(%s)", f->invalid, f->invalid_why);
}

int
imap_test_format_response(struct imap_test_fmt *fmt, struct str *out, const struct imap_response *r)
{
	switch (r->type) {
	case IMAP_RESP_TAGGED:
		str_appendf(out, "tagged %s ", r->tag);
		fmt_text(out, r);
		break;
	case IMAP_RESP_CONTINUE:
		str_append(out, "+ ");
		imap_test_escape(out, r->text, strlen(r->text));
		break;
	case IMAP_RESP_STATUS:
		str_append(out, "* ");
		fmt_text(out, r);
		break;
	case IMAP_RESP_CAPABILITY:
	case IMAP_RESP_ENABLED:
		str_append(out, r->type == IMAP_RESP_CAPABILITY ? "CAPABILITY " : "ENABLED ");
		fmt_strings(out, &r->u.caps);
		break;
	case IMAP_RESP_FLAGS:
		str_append(out, "FLAGS ");
		fmt_flags(out, &r->u.flags);
		break;
	case IMAP_RESP_LIST:
	case IMAP_RESP_LSUB: {
		const struct imap_list *l = &r->u.list;

		str_append(out, r->type == IMAP_RESP_LIST ? "LIST " : "LSUB ");
		fmt_strings(out, &l->attrs);
		str_appendf(out, "=%#x ", l->flags);
		if (l->delimiter)
			str_appendf(out, "'%c' ", l->delimiter);
		else
			str_append(out, "NIL ");
		fmt_mailbox(out, &l->mailbox);
		if (l->oldname.name != NULL) {
			str_append(out, " oldname=");
			fmt_mailbox(out, &l->oldname);
		}
		break;
	}
	case IMAP_RESP_STATUS_DATA: {
		const struct imap_status_data *st = &r->u.status;

		str_append(out, "STATUS ");
		fmt_mailbox(out, &st->mailbox);
		if (st->present & IMAP_STATUS_MESSAGES)
			str_appendf(out, " messages=%u", st->messages);
		if (st->present & IMAP_STATUS_RECENT)
			str_appendf(out, " recent=%u", st->recent);
		if (st->present & IMAP_STATUS_UIDNEXT)
			str_appendf(out, " uidnext=%u", st->uidnext);
		if (st->present & IMAP_STATUS_UIDVALIDITY)
			str_appendf(out, " uidvalidity=%u", st->uidvalidity);
		if (st->present & IMAP_STATUS_UNSEEN)
			str_appendf(out, " unseen=%u", st->unseen);
		if (st->present & IMAP_STATUS_DELETED)
			str_appendf(out, " deleted=%u", st->deleted);
		if (st->present & IMAP_STATUS_SIZE)
			str_appendf(out, " size=%" PRIu64, st->size);
		if (st->present & IMAP_STATUS_HIGHESTMODSEQ)
			str_appendf(out, " highestmodseq=%" PRIu64, st->highestmodseq);
		break;
	}
	case IMAP_RESP_SEARCH:
		str_append(out, "SEARCH");
		for (size_t i = 0; i < r->u.search.n; i++)
			str_appendf(out, " %u", r->u.search.ids[i]);
		if (r->u.search.modseq)
			str_appendf(out, " modseq=%" PRIu64, r->u.search.modseq);
		break;
	case IMAP_RESP_ESEARCH: {
		const struct imap_esearch *e = &r->u.esearch;

		str_append(out, "ESEARCH");
		if (e->tag)
			str_appendf(out, " tag=%s", e->tag);
		if (e->uid)
			str_append(out, " uid");
		if (e->present & IMAP_ESEARCH_MIN)
			str_appendf(out, " min=%u", e->min);
		if (e->present & IMAP_ESEARCH_MAX)
			str_appendf(out, " max=%u", e->max);
		if (e->present & IMAP_ESEARCH_COUNT)
			str_appendf(out, " count=%u", e->count);
		if (e->present & IMAP_ESEARCH_ALL) {
			str_append(out, " all=");
			fmt_set(out, &e->all);
		}
		if (e->present & IMAP_ESEARCH_MODSEQ)
			str_appendf(out, " modseq=%" PRIu64, e->modseq);
		break;
	}
	case IMAP_RESP_EXISTS:
	case IMAP_RESP_RECENT:
	case IMAP_RESP_EXPUNGE:
		str_appendf(out, "%u %s", r->number, r->name);
		break;
	case IMAP_RESP_VANISHED:
		str_append(out, r->u.vanished.earlier ? "VANISHED (EARLIER) " : "VANISHED ");
		fmt_set(out, &r->u.vanished.uids);
		break;
	case IMAP_RESP_FETCH:
		fmt_fetch(out, &r->u.fetch);
		break;
	case IMAP_RESP_FETCH_CHUNK: {
		const struct imap_fetch_chunk *c = &r->u.chunk;

		if (!fmt->in_chunk)
			str_reset(&fmt->chunk);
		if (c->offset != fmt->chunk.len) {
			str_appendf(out, "CHUNK OUT OF ORDER at %" PRIu64, c->offset);
			return 1;
		}
		str_append_len(&fmt->chunk, c->data, c->len);
		fmt->in_chunk = !c->last;
		if (!c->last)
			return 0;
		str_appendf(out, "CHUNKS %u uid=%u ", c->seq, c->uid);
		fmt_section(out, &c->body);
		str_appendf(out, " total=%" PRIu64 " \"", c->body.len);
		imap_test_escape(out, fmt->chunk.s, fmt->chunk.len);
		str_append_char(out, '"');
		break;
	}
	case IMAP_RESP_NAMESPACE:
		str_append(out, "NAMESPACE");
		for (int k = 0; k < 3; k++) {
			const struct imap_namespaces *ns = &r->u.ns[k];

			if (ns->n == 0) {
				str_append(out, " NIL");
				continue;
			}
			str_append(out, " (");
			for (size_t i = 0; i < ns->n; i++) {
				str_append_char(out, '(');
				qstr(out, ns->v[i].prefix);
				if (ns->v[i].delimiter)
					str_appendf(out, " '%c')", ns->v[i].delimiter);
				else
					str_append(out, " NIL)");
			}
			str_append_char(out, ')');
		}
		break;
	case IMAP_RESP_ID:
		str_append(out, "ID");
		if (r->u.id.n == 0)
			str_append(out, " NIL");
		for (size_t i = 0; i < r->u.id.n; i++) {
			str_append_char(out, ' ');
			qstr(out, r->u.id.keys[i]);
			str_append_char(out, '=');
			qstr(out, r->u.id.values[i]);
		}
		break;
	case IMAP_RESP_OTHER:
		str_appendf(out, "OTHER %u %s", r->number, r->name);
		for (size_t i = 0; i < r->n_args; i++) {
			str_append_char(out, ' ');
			fmt_arg(out, &r->args[i]);
		}
		break;
	case IMAP_RESP_MALFORMED:
		str_appendf(out, "MALFORMED %s: %s", r->name, r->why);
		break;
	}
	return 1;
}

int
imap_test_format_event(struct imap_test_fmt *fmt, struct str *out, const struct imap_event *ev)
{
	const struct imap_response *r = ev->resp;

	switch (ev->kind) {
	case IMAP_EV_GREETING:
		str_append(out, "greeting ");
		fmt_text(out, r);
		return 1;
	case IMAP_EV_DONE:
		str_appendf(out, "done %s %s ", r->tag, imap_cmd_name(ev->cmd));
		fmt_text(out, r);
		return 1;
	case IMAP_EV_CONTINUE:
		str_appendf(out, "continue %u %s %s", ev->tag, imap_cmd_name(ev->cmd), ev->text);
		return 1;
	case IMAP_EV_DATA:
		str_append(out, "data ");
		return imap_test_format_response(fmt, out, r);
	case IMAP_EV_NOTICE:
		str_append(out, "notice ");
		fmt_text(out, r);
		return 1;
	case IMAP_EV_EXISTS:
		str_appendf(out, "exists %u", ev->count);
		return 1;
	case IMAP_EV_EXPUNGE:
		str_appendf(out, "expunge %u", ev->count);
		return 1;
	case IMAP_EV_VANISHED:
		str_append(out, "vanished ");
		if (r->u.vanished.earlier)
			str_append(out, "earlier ");
		fmt_set(out, &r->u.vanished.uids);
		return 1;
	case IMAP_EV_FETCH:
		str_append(out, "fetch ");
		fmt_fetch(out, &r->u.fetch);
		return 1;
	case IMAP_EV_FETCH_CHUNK: {
		size_t mark = out->len;

		str_append(out, "chunk ");
		if (!imap_test_format_response(fmt, out, r)) {
			str_truncate(out, mark);
			return 0;
		}
		return 1;
	}
	case IMAP_EV_WARNING:
		str_appendf(out, "warning %s", ev->text);
		return 1;
	case IMAP_EV_RESYNC:
		str_appendf(out, "resync %s", ev->text);
		return 1;
	case IMAP_EV_BYE:
		str_append(out, "bye ");
		imap_test_escape(out, ev->text, strlen(ev->text));
		return 1;
	}
	return 1;
}

void
imap_test_parse(const char *input, size_t len, const struct imap_parser_params *params, int utf8,
		size_t first, size_t step, struct str *out)
{
	struct imap_parser *p = imap_parser_new(params);
	struct imap_test_fmt fmt;
	size_t pos = 0;
	int failed = 0;

	imap_test_fmt_init(&fmt);
	imap_parser_set_utf8(p, utf8);
	while (!failed) {
		size_t n = pos == 0 && first > 0 ? first : step ? step : len - pos;
		const struct imap_response *r;
		struct err err;
		int rc;

		if (n > len - pos)
			n = len - pos;
		imap_parser_feed(p, input + pos, n);
		pos += n;
		while ((rc = imap_parser_next(p, &r, &err)) == 1) {
			size_t mark = out->len;

			if (imap_test_format_response(&fmt, out, r))
				str_append_char(out, '\n');
			else
				str_truncate(out, mark);
		}
		if (rc < 0) {
			str_appendf(out, "error: %s\n", err.msg);
			failed = 1;
		}
		if (pos >= len)
			break;
	}
	if (!failed && imap_parser_in_response(p))
		str_append(out, "partial\n");
	imap_test_fmt_free(&fmt);
	imap_parser_free(&p);
}
