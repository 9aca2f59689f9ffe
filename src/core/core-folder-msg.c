#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-arena.h"
#include "base/base-xalloc.h"
#include "core/core-folder-msg.h"
#include "mime/mime-charset.h"
#include "mime/mime-header.h"
#include "mime/mime-message.h"
#include "mime/mime-text.h"

/* Bounds for what one header value read for a reply may hold. */
#define HEADER_VALUE_MAX (64 * 1024)

struct core_folder_msg {
	struct mime_message *mime;
	struct arena *arena; /* the parts list and views */
	struct mime_view *utf8_view;
	struct core_folder_part *parts;
	size_t nparts;
};

void
core_folder_msg_init(void)
{
	mime_init();
}

void
core_folder_msg_shutdown(void)
{
	mime_shutdown();
}

int
core_folder_msg_parse(const char *data, size_t len, struct core_folder_msg **msg_r,
		      struct err *err)
{
	struct core_folder_msg *m = xcalloc(1, sizeof(*m));

	*msg_r = NULL;
	if (mime_message_parse_mem(data, len, NULL, &m->mime, err) < 0) {
		free(m);
		return -1;
	}
	m->arena = arena_new();
	*msg_r = m;
	return 0;
}

void
core_folder_msg_free(struct core_folder_msg **mp)
{
	struct core_folder_msg *m = *mp;

	if (m == NULL)
		return;
	mime_message_free(&m->mime);
	arena_free(&m->arena);
	free(m);
	*mp = NULL;
}

static int
view(struct core_folder_msg *m, const char *charset, struct arena *arena, struct mime_view **v_r,
     struct err *err)
{
	struct mime_view_params p;

	memset(&p, 0, sizeof(p));
	p.charset = charset;
	p.headers = "*";
	return mime_view_build(m->mime, &p, arena, v_r, err);
}

int
core_folder_msg_render(struct core_folder_msg *m, const char *charset,
		       core_folder_msg_weed_fn *weed, void *ctx, struct str *out, struct err *err)
{
	struct arena *arena = arena_new();
	struct mime_view *v;
	size_t i, n = 0;
	int rc = -1;

	if (view(m, charset, arena, &v, err) < 0)
		goto out;
	if (weed != NULL) {
		for (i = 0; i < v->n_headers; i++)
			if (weed(v->headers[i].name, ctx))
				v->headers[n++] = v->headers[i];
		v->n_headers = n;
	}
	mime_view_render(v, out);
	rc = 0;
out:
	arena_free(&arena);
	return rc;
}

int
core_folder_msg_parts(struct core_folder_msg *m, const struct core_folder_part **parts_r,
		      size_t *count_r, struct err *err)
{
	size_t i;

	if (m->parts == NULL) {
		if (m->utf8_view == NULL && view(m, NULL, m->arena, &m->utf8_view, err) < 0)
			return -1;
		m->nparts = m->utf8_view->n_parts;
		m->parts = arena_alloc(m->arena, (m->nparts ? m->nparts : 1) * sizeof(*m->parts));
		for (i = 0; i < m->nparts; i++) {
			const struct mime_part *src = &m->utf8_view->parts[i];
			struct core_folder_part *d = &m->parts[i];

			d->path = src->path;
			d->type = mime_sanitize_arena(m->arena, src->type, strlen(src->type), 0);
			d->filename = src->filename;
			d->size = src->size;
			d->depth = src->depth;
			d->attachment = src->role == MIME_ROLE_ATTACHMENT ||
					src->role == MIME_ROLE_ALTERNATIVE ||
					src->role == MIME_ROLE_OPAQUE;
			d->container = src->role == MIME_ROLE_CONTAINER;
		}
	}
	*parts_r = m->parts;
	*count_r = m->nparts;
	return 0;
}

static const struct mime_part *
find_part(struct core_folder_msg *m, const char *path, struct err *err)
{
	size_t i;

	if (m->utf8_view == NULL && view(m, NULL, m->arena, &m->utf8_view, err) < 0)
		return NULL;
	for (i = 0; i < m->utf8_view->n_parts; i++)
		if (strcmp(m->utf8_view->parts[i].path, path) == 0)
			return &m->utf8_view->parts[i];
	err_set(err, ERR_USAGE, "the message has no part %s", path);
	return NULL;
}

int
core_folder_msg_part_text(struct core_folder_msg *m, const char *path, struct str *out,
			  struct err *err)
{
	const struct mime_part *p = find_part(m, path, err);
	struct str raw = STR_INIT, utf8 = STR_INIT;
	int rc = -1;

	if (p == NULL)
		goto out;
	if (p->role == MIME_ROLE_CONTAINER) {
		err_set(err, ERR_USAGE, "part %s is a container: name one of its parts", path);
		goto out;
	}
	if (mime_part_decode(m->mime, path, 0, &raw, err) < 0)
		goto out;
	if (strncmp(p->type, "text/", 5) == 0)
		mime_charset_to_utf8(&utf8, raw.s ? raw.s : "", raw.len, p->charset, NULL);
	else
		mime_text_8bit_to_utf8(&utf8, raw.s ? raw.s : "", raw.len);
	mime_sanitize(out, utf8.s ? utf8.s : "", utf8.len,
		      MIME_SANITIZE_NEWLINE | MIME_SANITIZE_TAB);
	rc = 0;
out:
	str_free(&raw);
	str_free(&utf8);
	return rc;
}

int
core_folder_msg_save_part(struct core_folder_msg *m, const char *path, const char *dir,
			  const char *name, int overwrite, char **written_r, struct err *err)
{
	struct mime_save_params p;

	if (find_part(m, path, err) == NULL)
		return -1;
	memset(&p, 0, sizeof(p));
	p.dir = dir;
	p.name = name;
	p.overwrite = overwrite;
	p.mode = 0600;
	return mime_part_save(m->mime, path, &p, written_r, err);
}

/* The raw value of the first field called name in the message's header. */
static int
raw_field(struct core_folder_msg *m, const char *name, const char **value_r, size_t *len_r)
{
	struct mime_header_field f;
	const char *raw;
	size_t len, body, pos = 0;

	raw = mime_message_raw(m->mime, &len, &body);
	len = mime_header_end(raw, len);
	while (mime_header_next(raw, len, &pos, &f) == 1) {
		if (mime_header_name_is(&f, name)) {
			*value_r = f.value;
			*len_r = f.value_len;
			return 1;
		}
	}
	return 0;
}

char *
core_folder_msg_header(struct core_folder_msg *m, const char *name)
{
	struct arena *arena;
	const char *v;
	size_t len;
	char *out;

	if (!raw_field(m, name, &v, &len))
		return NULL;
	arena = arena_new();
	out = xstrdup(mime_header_decode_text(arena, v, len, HEADER_VALUE_MAX));
	arena_free(&arena);
	return out;
}

char **
core_folder_msg_addresses(struct core_folder_msg *m, const char *name, size_t *count_r)
{
	struct arena *arena;
	const char **list;
	const char *v;
	char **out;
	size_t len, i, n = 0;

	*count_r = 0;
	if (!raw_field(m, name, &v, &len))
		return NULL;
	arena = arena_new();
	list = mime_header_mailboxes(arena, v, len, &n);
	out = xcalloc(n + 1, sizeof(*out));
	for (i = 0; i < n; i++)
		out[i] = xstrdup(list[i]);
	*count_r = n;
	arena_free(&arena);
	return out;
}

int
core_folder_msg_body_text(struct core_folder_msg *m, struct str *out, struct err *err)
{
	size_t i;

	if (m->utf8_view == NULL && view(m, NULL, m->arena, &m->utf8_view, err) < 0)
		return -1;
	for (i = 0; i < m->utf8_view->n_blocks; i++) {
		const struct mime_block *b = &m->utf8_view->blocks[i];

		if (b->kind != MIME_BLOCK_TEXT)
			continue;
		str_append_len(out, b->text, b->len);
		if (b->len > 0 && b->text[b->len - 1] != '\n')
			str_append_char(out, '\n');
	}
	str_append(out, "");
	return 0;
}
