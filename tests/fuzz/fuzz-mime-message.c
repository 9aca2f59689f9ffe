/*
 * fuzz-mime-message: the message model on hostile input.
 *
 * Each input is parsed as a message, summarised from its header, rendered
 * for display (in UTF-8 and in latin1), its parts listed and decoded; its
 * first bytes are also made into a file name.  Beyond crashes and sanitizer
 * reports, the target aborts when anything meant for a terminal holds a
 * byte a terminal could act on, so the fuzzer hunts sanitiser gaps too.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "base/base-str.h"
#include "mime/mime-message.h"
#include "mime/mime-summary.h"
#include "mime/mime-text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Independent of mime_sanitize(): C0 but LF/TAB, DEL, C1, bidi controls,
 * invalid UTF-8 (utf8 = 1), or 0x80..0x9f in an 8-bit charset. */
static void
require_safe(const char *s, size_t len, int utf8)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		unsigned c = p[i], cp, n;

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			abort();
		if (c < 0x80)
			continue;
		if (!utf8) {
			if (c < 0xa0)
				abort();
			continue;
		}
		n = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : 1;
		if (c < 0xc2 || c > 0xf4 || i + n >= len)
			abort();
		cp = c & (0x3f >> n);
		for (unsigned k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				abort();
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < 0xa0 || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
		    (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			abort();
		i += n;
	}
}

static void
require_safe_str(const char *s)
{
	require_safe(s, strlen(s), 1);
}

static void
view_and_render(const struct mime_message *msg, const char *charset, const char *order,
                struct arena *arena)
{
	struct mime_view_params params = {0};
	struct mime_view *view;
	struct err err;
	struct str text = STR_INIT;
	int utf8 = charset == NULL;

	params.charset = charset;
	params.alternative_order = order;
	params.headers = "*";
	params.max_text_bytes = 1 << 20;
	if (mime_view_build(msg, &params, arena, &view, &err) < 0)
		abort(); /* the params are valid: building never fails */
	mime_view_render(view, &text);
	require_safe(text.s, text.len, utf8);
	for (size_t i = 0; i < view->n_parts; i++) {
		const struct mime_part *p = &view->parts[i];
		struct str part = STR_INIT;

		require_safe_str(p->path);
		require_safe_str(p->type);
		require_safe_str(p->filename);
		require_safe_str(p->description);
		require_safe_str(p->charset);
		if (p->role != MIME_ROLE_CONTAINER && p->role != MIME_ROLE_OPAQUE &&
		    mime_part_decode(msg, p->path, 4 << 20, &part, &err) < 0 && err.kind != ERR_IO)
			abort(); /* a listed part must be found again by its number */
		str_free(&part);
	}
	str_free(&text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_new();
	struct mime_message *msg = NULL;
	struct mime_summary sum = {0};
	struct str name = STR_INIT, quoted = STR_INIT;
	struct err err;

	mime_init();
	mime_summary_from_header(arena, (const char *)data, size, &sum);
	require_safe_str(sum.from_name);
	require_safe_str(sum.from_addr);
	require_safe_str(sum.to);
	require_safe_str(sum.cc);
	require_safe_str(sum.subject);
	require_safe_str(sum.message_id);
	require_safe_str(sum.in_reply_to);
	require_safe_str(sum.references);
	require_safe_str(sum.list_post);

	if (mime_message_parse_mem(data, size, NULL, &msg, &err) == 0) {
		view_and_render(msg, NULL, NULL, arena);
		view_and_render(msg, "ISO-8859-1", "text/html,text/*", arena);
		mime_message_free(&msg);
	}

	{
		char buf[256];
		size_t n = size < sizeof(buf) - 1 ? size : sizeof(buf) - 1;

		if (n > 0)
			memcpy(buf, data, n);
		buf[n] = '\0';
		mime_filename_safe(&name, buf, "attachment-1");
		if (name.len == 0 || strchr(name.s, '/') != NULL || strchr(name.s, '\\') != NULL ||
		    strstr(name.s, "..") != NULL || name.s[0] == '.')
			abort();
		require_safe(name.s, name.len, 1);
	}
	mime_quote_text(&quoted, (const char *)data, size, "> ");
	str_free(&name);
	str_free(&quoted);
	arena_free(&arena);
	return 0;
}
