/*
 * fuzz-backend-mbox: splits arbitrary bytes as an mbox folder, reads each
 * message back and summarises it, and checks what the splitter promises:
 * the same split whatever pieces the data comes in, sizes that match the
 * bytes a fetch gives, and messages that survive being written with
 * From_ quoting and read again.  A broken promise aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend-mbox.h"
#include "base/base-arena.h"
#include "mime/mime-message.h"
#include "mime/mime-summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct backend_mbox_msg *
split(const char *data, size_t len, size_t cut, size_t *count_r, int *rc_r)
{
	struct backend_mbox_scan *scan = backend_mbox_scan_new(0, 0);
	struct backend_mbox_msg *msgs;
	struct err err;
	int rc = backend_mbox_scan_feed(scan, data, cut, &err);

	if (rc == 0)
		rc = backend_mbox_scan_feed(scan, data + cut, len - cut, &err);
	if (rc == 0)
		rc = backend_mbox_scan_finish(scan, &err);
	msgs = backend_mbox_scan_detach(scan, count_r);
	backend_mbox_scan_free(&scan);
	*rc_r = rc;
	return msgs;
}

/* Writes body as one mbox message and reads it back: it must come out whole. */
static void
round_trip(const char *body, size_t len)
{
	struct str box = STR_INIT, got = STR_INIT, want = STR_INIT;
	struct backend_mbox_msg *msgs;
	size_t n;
	int rc;

	for (size_t i = 0; i < len; i++)
		if (body[i] != '\r')
			str_append_char(&want, body[i]);
	backend_mbox_from_line_write(&box, "fuzz@example.org", 1700000000);
	backend_mbox_quote(&box, want.s ? want.s : "", want.len);
	str_append_char(&box, '\n');
	if (want.len > 0 && want.s[want.len - 1] != '\n')
		str_append_char(&want, '\n');
	msgs = split(box.s, box.len, box.len / 2, &n, &rc);
	if (rc != 0 || n != 1)
		abort();
	backend_mbox_unquote(&got, box.s + msgs[0].hdr_off, msgs[0].end - msgs[0].hdr_off);
	if (got.len != want.len || (got.len > 0 && memcmp(got.s, want.s, got.len) != 0) ||
	    msgs[0].size != got.len)
		abort();
	free(msgs);
	str_free(&box);
	str_free(&got);
	str_free(&want);
}

/* Rewrites a message's Status lines and reads the flags back. */
static void
flags_trip(const char *text, const struct backend_mbox_msg *m, unsigned flags)
{
	struct str box = STR_INIT;
	struct backend_mbox_msg *msgs;
	unsigned want = flags & (MIME_FLAG_SEEN | MIME_FLAG_ANSWERED | MIME_FLAG_FLAGGED |
	                         MIME_FLAG_DELETED | MIME_FLAG_DRAFT);
	size_t n;
	int rc;

	if ((flags & MIME_FLAG_RECENT) && !(flags & MIME_FLAG_SEEN))
		want |= MIME_FLAG_RECENT;
	str_append_len(&box, text + m->from_off, m->hdr_off - m->from_off);
	if (box.s[box.len - 1] != '\n')
		str_append(&box, m->crlf ? "\r\n" : "\n");
	backend_mbox_header_write_flags(&box, text + m->hdr_off, m->hdr_end - m->hdr_off, flags,
	                                m->crlf ? "\r\n" : "\n");
	str_append_len(&box, text + m->hdr_end, m->end - m->hdr_end);
	str_append(&box, "\n");
	msgs = split(box.s, box.len, box.len, &n, &rc);
	if (rc != 0 || n != 1 || msgs[0].flags != want)
		abort();
	free(msgs);
	str_free(&box);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	const char *text = (const char *)data;
	struct backend_mbox_msg *a, *b;
	size_t na, nb;
	int ra, rb;
	struct arena *arena;

	if (!initialised) {
		mime_init();
		initialised = 1;
	}
	a = split(text, size, size, &na, &ra);
	b = split(text, size, size > 0 ? (size_t)data[0] * 7919 % (size + 1) : 0, &nb, &rb);
	if (ra != rb || na != nb || (na > 0 && memcmp(a, b, na * sizeof(*a)) != 0))
		abort();
	arena = arena_new();
	for (size_t i = 0; ra == 0 && i < na; i++) {
		const struct backend_mbox_msg *m = &a[i];
		struct str msg = STR_INIT, hdr = STR_INIT;
		struct mime_summary s;

		if (m->from_off > m->hdr_off || m->hdr_off > m->hdr_end ||
		    m->hdr_end > m->body_off || m->body_off > m->end || m->end > m->next ||
		    m->next > size || (i > 0 && a[i - 1].next != m->from_off))
			abort();
		backend_mbox_unquote(&msg, text + m->hdr_off, m->end - m->hdr_off);
		if (msg.len != m->size)
			abort();
		backend_mbox_unquote(&hdr, text + m->hdr_off, m->body_off - m->hdr_off);
		memset(&s, 0, sizeof(s));
		mime_summary_from_header(arena, str_cstr(&hdr), hdr.len, &s);
		if (s.subject == NULL || s.from_addr == NULL)
			abort();
		round_trip(str_cstr(&msg), msg.len);
		flags_trip(text, m, size > 0 ? data[(i * 31) % size] : 0);
		str_free(&msg);
		str_free(&hdr);
		arena_reset(arena);
	}
	arena_free(&arena);
	free(a);
	free(b);
	return 0;
}
