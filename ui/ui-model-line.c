#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base-xalloc.h"
#include "ui/ui-model-line.h"
#include "ui/ui-width.h"

/* Names listed by one completion, at most. */
#define COMPLETE_MAX 4096

void
ui_history_add(struct ui_history *h, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	for (size_t i = 0; i < h->entries.n;) {
		if (strcmp(h->entries.v[i], text) == 0)
			ui_strv_remove(&h->entries, i);
		else
			i++;
	}
	if (h->entries.n >= UI_HISTORY_MAX)
		ui_strv_remove(&h->entries, 0);
	ui_strv_push(&h->entries, text);
}

void
ui_history_clear(struct ui_history *h)
{
	ui_strv_clear(&h->entries);
}

static void
reserve(struct ui_line *l, size_t n)
{
	if (l->len + n <= l->cap)
		return;
	l->cap = (l->len + n) * 2 + 16;
	l->buf = xreallocarray(l->buf, l->cap, sizeof(*l->buf));
}

void
ui_line_set_text(struct ui_line *l, const char *text)
{
	size_t len = text != NULL ? strlen(text) : 0, i = 0;

	l->len = 0;
	while (i < len) {
		uint32_t cp;

		i += ui_utf8_decode(text + i, len - i, &cp);
		reserve(l, 1);
		l->buf[l->len++] = cp;
	}
	l->cursor = l->len;
}

void
ui_line_init(struct ui_line *l, const char *initial, struct ui_history *hist)
{
	memset(l, 0, sizeof(*l));
	l->hist = hist;
	l->hist_pos = hist != NULL ? hist->entries.n : 0;
	ui_line_set_text(l, initial);
}

void
ui_line_clear(struct ui_line *l)
{
	free(l->buf);
	free(l->saved);
	memset(l, 0, sizeof(*l));
}

static char *
encode(const uint32_t *v, size_t n)
{
	struct str o = STR_INIT;

	for (size_t i = 0; i < n; i++)
		ui_utf8_encode(&o, v[i]);
	str_append(&o, "");
	return str_detach(&o);
}

char *
ui_line_text(const struct ui_line *l)
{
	return encode(l->buf, l->len);
}

char *
ui_line_text_before_cursor(const struct ui_line *l)
{
	return encode(l->buf, l->cursor);
}

void
ui_line_replace(struct ui_line *l, size_t from, size_t to, const char *text)
{
	size_t len = strlen(text), i = 0, n = 0;
	uint32_t *v = xreallocarray(NULL, len + 1, sizeof(*v));

	if (to > l->len)
		to = l->len;
	if (from > to)
		from = to;
	while (i < len)
		i += ui_utf8_decode(text + i, len - i, &v[n++]);
	reserve(l, n);
	memmove(l->buf + from + n, l->buf + to, (l->len - to) * sizeof(*l->buf));
	memcpy(l->buf + from, v, n * sizeof(*v));
	l->len = l->len - (to - from) + n;
	l->cursor = from + n;
	free(v);
}

void
ui_line_insert(struct ui_line *l, uint32_t cp)
{
	reserve(l, 1);
	memmove(l->buf + l->cursor + 1, l->buf + l->cursor, (l->len - l->cursor) * sizeof(*l->buf));
	l->buf[l->cursor++] = cp;
	l->len++;
}

static void
delete_range(struct ui_line *l, size_t from, size_t to)
{
	memmove(l->buf + from, l->buf + to, (l->len - to) * sizeof(*l->buf));
	l->len -= to - from;
	if (l->cursor > to)
		l->cursor -= to - from;
	else if (l->cursor > from)
		l->cursor = from;
}

static int
history(struct ui_line *l, int dir)
{
	struct ui_history *h = l->hist;

	if (h == NULL || h->entries.n == 0)
		return 0;
	if (dir < 0) {
		if (l->hist_pos == 0)
			return 0;
		if (l->hist_pos == h->entries.n) {
			free(l->saved);
			l->saved = ui_line_text(l);
		}
		l->hist_pos--;
		ui_line_set_text(l, h->entries.v[l->hist_pos]);
		return 1;
	}
	if (l->hist_pos >= h->entries.n)
		return 0;
	l->hist_pos++;
	ui_line_set_text(l, l->hist_pos == h->entries.n ? l->saved : h->entries.v[l->hist_pos]);
	return 1;
}

int
ui_line_edit(struct ui_line *l, enum ui_fn fn)
{
	size_t k;

	switch (fn) {
	case UI_FN_BACKSPACE:
		if (l->cursor == 0)
			return 0;
		delete_range(l, l->cursor - 1, l->cursor);
		return 1;
	case UI_FN_DELETE_CHAR:
		if (l->cursor >= l->len)
			return 0;
		delete_range(l, l->cursor, l->cursor + 1);
		return 1;
	case UI_FN_BACKWARD_CHAR:
		if (l->cursor == 0)
			return 0;
		l->cursor--;
		return 1;
	case UI_FN_FORWARD_CHAR:
		if (l->cursor >= l->len)
			return 0;
		l->cursor++;
		return 1;
	case UI_FN_BOL:
		l->cursor = 0;
		return 1;
	case UI_FN_EOL:
		l->cursor = l->len;
		return 1;
	case UI_FN_KILL_EOL:
		l->len = l->cursor;
		return 1;
	case UI_FN_KILL_LINE:
		l->len = 0;
		l->cursor = 0;
		return 1;
	case UI_FN_KILL_WORD:
		if (l->cursor == 0)
			return 0;
		k = l->cursor;
		while (k > 0 && l->buf[k - 1] == ' ')
			k--;
		while (k > 0 && l->buf[k - 1] != ' ' && l->buf[k - 1] != '/')
			k--;
		if (k == l->cursor)
			k--;
		delete_range(l, k, l->cursor);
		return 1;
	case UI_FN_HISTORY_UP:
		return history(l, -1);
	case UI_FN_HISTORY_DOWN:
		return history(l, 1);
	default:
		return -1;
	}
}

void
ui_line_view(const struct ui_line *l, size_t width, size_t *first_r, size_t *cursor_col_r)
{
	size_t first = 0, col = 0, margin = width / 4;

	if (width == 0) {
		*first_r = l->cursor;
		*cursor_col_r = 0;
		return;
	}
	/* Scroll so that the cursor has `margin` columns after it, if the
	 * line goes on. */
	for (;;) {
		size_t w = 0, i;

		for (i = first; i < l->cursor; i++)
			w += (size_t)ui_width_cp(l->buf[i]);
		col = w;
		if (col + (l->cursor < l->len ? margin : 0) < width || first >= l->cursor)
			break;
		first++;
	}
	*first_r = first;
	*cursor_col_r = col;
}

size_t
ui_complete_file(struct ui_line *l, const char *folder_dir, struct ui_strv *matches)
{
	char *text = ui_line_text_before_cursor(l), *dir, *base, *prefix_dir, *common = NULL;
	const char *slash, *home = getenv("HOME");
	DIR *d;
	struct dirent *e;
	size_t n = 0, blen;
	int single_dir = 0;

	/* prefix_dir: as the user typed the directory part; dir: where to look. */
	slash = strrchr(text, '/');
	if (slash != NULL) {
		prefix_dir = xstrndup(text, (size_t)(slash - text) + 1);
		base = xstrdup(slash + 1);
	} else if (text[0] == '+' || text[0] == '=') {
		prefix_dir = xstrndup(text, 1);
		base = xstrdup(text + 1);
	} else {
		prefix_dir = xstrdup("");
		base = xstrdup(text);
	}
	if (prefix_dir[0] == '~' && prefix_dir[1] == '/' && home != NULL)
		dir = xasprintf("%s%s", home, prefix_dir + 1);
	else if ((prefix_dir[0] == '+' || prefix_dir[0] == '=') && folder_dir != NULL)
		dir = xasprintf("%s/%s", folder_dir, prefix_dir + 1);
	else
		dir = xstrdup(*prefix_dir ? prefix_dir : ".");
	blen = strlen(base);
	d = opendir(dir);
	while (d != NULL && (e = readdir(d)) != NULL && n < COMPLETE_MAX) {
		size_t k;

		if (strncmp(e->d_name, base, blen) != 0)
			continue;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (e->d_name[0] == '.' && blen == 0)
			continue;
		n++;
		if (matches != NULL)
			ui_strv_push(matches, e->d_name);
		if (common == NULL) {
			common = xstrdup(e->d_name);
			continue;
		}
		for (k = 0; common[k] != '\0' && common[k] == e->d_name[k]; k++)
			;
		common[k] = '\0';
	}
	if (d != NULL)
		closedir(d);
	if (n == 1) {
		struct stat st;
		char *full = xasprintf("%s/%s", dir, common);

		single_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
		free(full);
	}
	if (common != NULL && strlen(common) >= blen) {
		size_t clen = strlen(common), i = blen;

		while (i < clen) {
			uint32_t cp;

			i += ui_utf8_decode(common + i, clen - i, &cp);
			ui_line_insert(l, cp);
		}
		if (single_dir)
			ui_line_insert(l, '/');
	}
	free(common);
	free(dir);
	free(base);
	free(prefix_dir);
	free(text);
	return n;
}
