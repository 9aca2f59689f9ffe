#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "base/base-xalloc.h"
#include "mime/mime-gmime.h"
#include "mime/mime-message.h"
#include "mime/mime-search.h"

char *
mime_search_fold(const char *s, size_t len)
{
	/* GLib's folding wants valid UTF-8: invalid bytes become U+FFFD. */
	gchar *valid = g_utf8_make_valid(s, (gssize)len);
	gchar *folded = g_utf8_casefold(valid, -1);
	char *out = xstrdup(folded);

	g_free(folded);
	g_free(valid);
	return out;
}

int
mime_search_body(const struct mime_message *msg, const char *folded)
{
	/* Only the text matters: no header fields, charset UTF-8. */
	struct mime_view_params params = {.charset = "UTF-8", .headers = "Subject"};
	struct arena *arena = arena_new();
	struct mime_view *view;
	struct err err;
	int found = 0;

	if (*folded == '\0') {
		arena_free(&arena);
		return 1;
	}
	if (mime_view_build(msg, &params, arena, &view, &err) < 0)
		goto out;
	for (size_t i = 0; i < view->n_blocks && !found; i++) {
		const struct mime_block *b = &view->blocks[i];
		char *text;

		if (b->kind != MIME_BLOCK_TEXT || b->len == 0)
			continue;
		text = mime_search_fold(b->text, b->len);
		found = strstr(text, folded) != NULL;
		free(text);
	}
out:
	arena_free(&arena);
	return found;
}
