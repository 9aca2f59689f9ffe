#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-outbuf.h"
#include "base/base-xalloc.h"

void
outbuf_init(struct outbuf *ob)
{
	memset(ob, 0, sizeof(*ob));
	str_init(&ob->buf);
}

static void
wipe(struct outbuf *ob)
{
	if (ob->buf.cap > 0)
		explicit_bzero(ob->buf.s, ob->buf.cap);
}

void
outbuf_free(struct outbuf *ob)
{
	wipe(ob);
	str_free(&ob->buf);
	free(ob->runs);
	outbuf_init(ob);
}

static void
add_run(struct outbuf *ob, int kind, bool secret, size_t len)
{
	struct outbuf_run *r;

	if (len == 0)
		return;
	ob->appended += len;
	if (secret) {
		ob->had_secret = true;
	} else if (ob->n_runs > ob->run_head) {
		r = &ob->runs[ob->n_runs - 1];
		if (r->kind == kind && !r->secret) {
			r->len += len;
			return;
		}
	}
	if (ob->n_runs == ob->cap_runs) {
		ob->cap_runs = ob->cap_runs ? ob->cap_runs * 2 : 16;
		ob->runs = xreallocarray(ob->runs, ob->cap_runs, sizeof(*ob->runs));
	}
	r = &ob->runs[ob->n_runs++];
	r->kind = kind;
	r->secret = secret;
	r->len = len;
}

void
outbuf_append(struct outbuf *ob, int kind, const void *data, size_t len)
{
	str_append_len(&ob->buf, data, len);
	add_run(ob, kind, false, len);
}

void
outbuf_append_secret(struct outbuf *ob, int kind, const void *data, size_t len)
{
	str_append_len(&ob->buf, data, len);
	add_run(ob, kind, true, len);
}

void
outbuf_append_masked(struct outbuf *ob, int kind, int secret_kind, const char *line, size_t len,
                     size_t public_len)
{
	if (len < 2 || public_len + 2 >= len) {
		outbuf_append(ob, kind, line, len);
		return;
	}
	outbuf_append(ob, kind, line, public_len);
	outbuf_append_secret(ob, secret_kind, line + public_len, len - public_len - 2);
	outbuf_append(ob, kind, line + len - 2, 2);
}

void
outbuf_commit(struct outbuf *ob, int kind, size_t from)
{
	if (from < ob->buf.len)
		add_run(ob, kind, false, ob->buf.len - from);
}

int
outbuf_peek(const struct outbuf *ob, const char **data_r, size_t *len_r, int *kind_r)
{
	const struct outbuf_run *r;

	if (ob->run_head >= ob->n_runs) {
		*data_r = NULL;
		*len_r = 0;
		*kind_r = 0;
		return 0;
	}
	r = &ob->runs[ob->run_head];
	*data_r = ob->buf.s + ob->pos;
	*len_r = r->len - ob->run_off;
	*kind_r = r->kind;
	return 1;
}

void
outbuf_consume(struct outbuf *ob, size_t n)
{
	while (n > 0 && ob->run_head < ob->n_runs) {
		struct outbuf_run *r = &ob->runs[ob->run_head];
		size_t left = r->len - ob->run_off;
		size_t take = n < left ? n : left;

		ob->run_off += take;
		ob->pos += take;
		ob->consumed += take;
		n -= take;
		if (ob->run_off == r->len) {
			ob->run_head++;
			ob->run_off = 0;
		}
	}
	if (ob->run_head == ob->n_runs) {
		/* All sent: forget it, and leave no secret in the buffer. */
		if (ob->had_secret)
			wipe(ob);
		ob->had_secret = false;
		str_reset(&ob->buf);
		ob->pos = 0;
		ob->run_head = ob->n_runs = 0;
		ob->run_off = 0;
	}
}

size_t
outbuf_pending(const struct outbuf *ob)
{
	return ob->buf.len - ob->pos;
}
