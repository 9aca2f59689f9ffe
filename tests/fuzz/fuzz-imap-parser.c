/*
 * fuzz-imap-parser: the IMAP response parser and session on hostile input.
 *
 * The first byte picks a mode; the rest is what a server sends.
 *   bit 7 set:  the bare parser with small bounds; every response's tree,
 *               typed fields and body structure are walked, and FETCH
 *               responses are made into summaries.
 *   bit 7 clear: a session that logs in, selects, fetches, appends with a
 *               synchronising literal, idles and searches as the server's
 *               answers allow, draining its output in pieces.
 *   bits 0-3:   feed size (0: all at once; n: n bytes, times 97 with bit 4)
 *   bit 6:      UTF8=ACCEPT names (parser mode)
 * Beyond crashes and sanitizer reports, the target aborts when a session
 * lets the message count and a FETCH disagree, or when output exceeds what
 * was asked for.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "imap/imap-parser.h"
#include "imap/imap-session.h"
#include "imap/imap-summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void
touch(const char *s, size_t len)
{
	unsigned h = 0;

	if (s == NULL)
		return;
	for (size_t i = 0; i < len; i++)
		h = h * 31 + (unsigned char)s[i];
	sink += h;
}

static void
touch_str(const char *s)
{
	if (s != NULL)
		touch(s, strlen(s));
}

static void
walk_arg(const struct imap_arg *a, unsigned depth)
{
	if (depth > 200)
		abort();
	switch (a->type) {
	case IMAP_ARG_ATOM:
	case IMAP_ARG_STRING:
		touch(a->u.str, a->len);
		break;
	case IMAP_ARG_LIST:
		for (size_t i = 0; i < a->len; i++)
			walk_arg(&a->u.list[i], depth + 1);
		break;
	default:
		break;
	}
}

static void
walk_env(const struct imap_envelope *e)
{
	const struct imap_addresses *lists[] = {&e->from, &e->sender, &e->reply_to,
						&e->to,	  &e->cc,     &e->bcc};

	touch_str(e->date);
	touch_str(e->subject);
	touch_str(e->message_id);
	touch_str(e->in_reply_to);
	for (size_t k = 0; k < 6; k++)
		for (size_t i = 0; i < lists[k]->n; i++) {
			touch_str(lists[k]->v[i].name);
			touch_str(lists[k]->v[i].mailbox);
			touch_str(lists[k]->v[i].host);
		}
}

static void
walk_body(const struct imap_body *root, const struct imap_body *b, unsigned depth)
{
	if (depth > 200)
		abort();
	touch_str(b->part);
	touch_str(b->type);
	touch_str(b->subtype);
	for (size_t i = 0; i < b->params.n; i++)
		touch_str(b->params.v[i].value);
	/* Every part must be found again by its number. */
	if (imap_body_find(root, b->part) == NULL)
		abort();
	if (b->envelope != NULL)
		walk_env(b->envelope);
	if (b->message != NULL)
		walk_body(root, b->message, depth + 1);
	for (size_t i = 0; i < b->n_parts; i++)
		walk_body(root, &b->parts[i], depth + 1);
}

static void
walk_response(struct arena *arena, const struct imap_response *r)
{
	touch_str(r->name);
	touch_str(r->text);
	touch_str(r->tag);
	touch_str(r->code.raw);
	for (size_t i = 0; i < r->n_args; i++)
		walk_arg(&r->args[i], 0);
	switch (r->type) {
	case IMAP_RESP_FETCH: {
		const struct imap_fetch *f = &r->u.fetch;
		struct mime_summary sum;

		if (f->seq == 0)
			abort();
		for (size_t i = 0; i < f->n_sections; i++) {
			touch(f->sections[i].data, f->sections[i].data ? (size_t)f->sections[i].len : 0);
			touch_str(f->sections[i].section);
		}
		if (f->envelope != NULL)
			walk_env(f->envelope);
		if (f->body != NULL)
			walk_body(f->body, f->body, 0);
		(void)imap_summary_from_fetch(arena, f, &sum);
		touch_str(sum.subject);
		touch_str(sum.to);
		break;
	}
	case IMAP_RESP_FETCH_CHUNK:
		touch(r->u.chunk.data, r->u.chunk.len);
		if (r->u.chunk.offset + r->u.chunk.len > r->u.chunk.body.len)
			abort();
		break;
	case IMAP_RESP_LIST:
	case IMAP_RESP_LSUB:
		touch_str(r->u.list.mailbox.name);
		touch_str(r->u.list.oldname.name);
		break;
	case IMAP_RESP_VANISHED:
		sink += (unsigned)imap_seqset_count(&r->u.vanished.uids);
		break;
	case IMAP_RESP_SEARCH:
		for (size_t i = 0; i < r->u.search.n; i++)
			if (r->u.search.ids[i] == 0)
				abort();
		break;
	default:
		break;
	}
}

static void
parser_mode(const uint8_t *data, size_t size, size_t step, int utf8)
{
	struct imap_parser_params params = {0};
	struct imap_parser *p;
	struct arena *arena = arena_new();
	size_t pos = 0;

	params.line_max = 4096;
	params.literal_max = 1 << 20;
	params.response_max = 1 << 20;
	params.stream_min = 64;
	params.depth_max = 24;
	params.list_items_max = 512;
	p = imap_parser_new(&params);
	imap_parser_set_utf8(p, utf8);
	while (pos < size) {
		size_t n = step < size - pos ? step : size - pos;
		const struct imap_response *r;
		struct err err;
		int rc;

		imap_parser_feed(p, data + pos, n);
		pos += n;
		while ((rc = imap_parser_next(p, &r, &err)) == 1) {
			walk_response(arena, r);
			arena_reset(arena);
		}
		if (rc < 0) {
			if (err.kind != ERR_PROTO || err.msg[0] == '\0')
				abort();
			break;
		}
	}
	imap_parser_free(&p);
	arena_free(&arena);
}

/* The next command a client would send, when the session allows it. */
static void
script_step(struct imap_session *s, unsigned *stage)
{
	static const char *const flags[] = {"\\Seen"};
	static const struct imap_search_key keys[] = {{"FROM", "j\xc3\xb6rg"}, {"UNSEEN", NULL}};
	struct err err;
	uint32_t tag;
	int r = -1;

	if (imap_session_in_flight(s) > 0 && *stage != 5)
		return;
	switch (*stage) {
	case 0:
		if (imap_session_state(s) == IMAP_STATE_NOT_AUTHENTICATED)
			r = imap_cmd_login(s, "user", "pass\r\nword", &tag, &err);
		else
			r = 0;
		break;
	case 1:
		r = imap_cmd_enable(s, IMAP_ENABLED_QRESYNC, &tag, &err);
		if (r < 0)
			r = 0;
		break;
	case 2: {
		struct imap_select_opts o = {0};

		r = imap_cmd_select(s, "INBOX", &o, &tag, &err);
		break;
	}
	case 3:
		r = imap_cmd_fetch(s, 1, "1:*", "UID FLAGS ENVELOPE BODYSTRUCTURE BODY.PEEK[1]", 0, 0,
				   &tag, &err);
		break;
	case 4:
		r = imap_cmd_append(s, "Drafts", flags, 1, 0, "Subject: x\r\n\r\nbody\r\n", 20, &tag,
				    &err);
		break;
	case 5:
		r = imap_cmd_store(s, 1, "1:3", IMAP_STORE_ADD, 1, flags, 1, 0, &tag, &err);
		break;
	case 6:
		r = imap_cmd_search(s, 1, 0, keys, 2, &tag, &err);
		break;
	case 7:
		r = imap_cmd_idle(s, &tag, &err);
		break;
	case 8:
		r = imap_session_idle_done(s, &err);
		break;
	default:
		return;
	}
	if (r == 0)
		(*stage)++;
	else if (imap_session_state(s) == IMAP_STATE_AUTHENTICATED && *stage == 0)
		(*stage)++;
}

static void
drain_output(struct imap_session *s, size_t step)
{
	const char *out;
	size_t len, total = 0;
	int secret;

	while (imap_session_output(s, &out, &len, &secret) == 1) {
		size_t n = step < len ? step : len;

		if (len == 0)
			abort();
		touch(out, n);
		imap_session_consumed(s, n);
		total += n;
		if (total > (1u << 20))
			abort();
	}
}

static void
session_mode(const uint8_t *data, size_t size, size_t step)
{
	struct imap_session_params params = {0};
	struct imap_session *s;
	struct arena *arena = arena_new();
	unsigned stage = 0;
	size_t pos = 0;
	int done = 0;

	params.tls = 1;
	params.parser.line_max = 8192;
	params.parser.literal_max = 1 << 20;
	params.parser.response_max = 1 << 20;
	params.parser.stream_min = 128;
	params.parser.depth_max = 32;
	params.parser.list_items_max = 1024;
	s = imap_session_new(&params);
	while (!done) {
		size_t n = step < size - pos ? step : size - pos;
		struct imap_event ev;
		struct err err;
		int rc;

		imap_session_feed(s, data + pos, n);
		pos += n;
		if (pos == size)
			imap_session_eof(s);
		while ((rc = imap_session_next_event(s, &ev, &err)) == 1) {
			const struct imap_mailbox_state *mb = imap_session_mailbox(s);

			if (ev.resp != NULL)
				walk_response(arena, ev.resp);
			arena_reset(arena);
			touch_str(ev.text);
			if (ev.kind == IMAP_EV_FETCH && mb != NULL &&
			    (ev.resp->number == 0 || ev.resp->number > mb->exists))
				abort();
			if (ev.kind == IMAP_EV_EXPUNGE && ev.count == 0)
				abort();
			if (ev.kind == IMAP_EV_CONTINUE && ev.cmd == IMAP_CMD_IDLE)
				(void)imap_session_idle_done(s, &err);
			if (ev.kind == IMAP_EV_DONE && ev.cmd == IMAP_CMD_COMPRESS) {
				const char *left;
				size_t left_len;

				imap_session_compress_started(s, &left, &left_len);
			}
			script_step(s, &stage);
			drain_output(s, step);
		}
		if (rc < 0) {
			if (err.msg[0] == '\0')
				abort();
			done = 1;
		}
		if (pos == size)
			done = 1;
		script_step(s, &stage);
		drain_output(s, step);
	}
	imap_session_free(&s);
	arena_free(&arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode;
	size_t step;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	step = (mode & 0x0f) * ((mode & 0x10) ? 97 : 1);
	if (step == 0)
		step = size ? size : 1;
	if (mode & 0x80)
		parser_mode(data, size, step, (mode & 0x40) != 0);
	else
		session_mode(data, size, step);
	return 0;
}
