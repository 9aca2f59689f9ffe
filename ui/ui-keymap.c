#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "core/core.h"
#include "ui/ui-keymap.h"

/* Largest keymap file read, and how deep source may nest. */
#define KEYMAP_FILE_MAX (256 * 1024)
#define KEYMAP_DEPTH_MAX 8

#define UI_FN_DEF(id, name_, maps_, doc_) [UI_FN_##id] = {name_, maps_, doc_},
static const struct ui_fn_def fn_defs[UI_FN_COUNT] = {[UI_FN_NONE] = {"", 0, ""},
                                                      UI_FUNCTIONS(UI_FN_DEF)};
#undef UI_FN_DEF

static const char *const map_names[UI_MAP_COUNT + 1] = {
    [UI_MAP_GENERIC] = "generic", [UI_MAP_INDEX] = "index",     [UI_MAP_PAGER] = "pager",
    [UI_MAP_COMPOSE] = "compose", [UI_MAP_BROWSER] = "browser", [UI_MAP_ATTACH] = "attach",
    [UI_MAP_EDITOR] = "editor",   [UI_MAP_COUNT] = NULL};

struct ui_keymap {
	struct ui_binding *b[UI_MAP_COUNT];
	size_t n[UI_MAP_COUNT];
};

const struct ui_fn_def *
ui_fn_def(enum ui_fn fn)
{
	return (unsigned)fn < UI_FN_COUNT ? &fn_defs[fn] : &fn_defs[0];
}

int
ui_fn_lookup(const char *name)
{
	for (int i = 1; i < UI_FN_COUNT; i++)
		if (strcmp(fn_defs[i].name, name) == 0)
			return i;
	return -1;
}

const char *
ui_map_name(enum ui_map map)
{
	return (unsigned)map < UI_MAP_COUNT ? map_names[map] : "?";
}

int
ui_map_lookup(const char *name)
{
	for (int i = 0; i < UI_MAP_COUNT; i++)
		if (strcmp(map_names[i], name) == 0)
			return i;
	return -1;
}

struct ui_keymap *
ui_keymap_new(void)
{
	return xcalloc(1, sizeof(struct ui_keymap));
}

static void
binding_clear(struct ui_binding *b)
{
	free(b->macro);
	free(b->desc);
	b->macro = NULL;
	b->desc = NULL;
}

void
ui_keymap_free(struct ui_keymap **kmp)
{
	struct ui_keymap *km = *kmp;

	if (km == NULL)
		return;
	for (int m = 0; m < UI_MAP_COUNT; m++) {
		for (size_t i = 0; i < km->n[m]; i++)
			binding_clear(&km->b[m][i]);
		free(km->b[m]);
	}
	free(km);
	*kmp = NULL;
}

/* Whether a[0..na) starts with b[0..nb). */
static int
starts_with(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	return na >= nb && memcmp(a, b, nb * sizeof(*a)) == 0;
}

/* A new binding slot for keys in map: the bindings it hides or that hide
 * it are removed first. */
static struct ui_binding *
slot(struct ui_keymap *km, enum ui_map map, const uint32_t *keys, size_t n)
{
	struct ui_binding *b;
	size_t i = 0;

	while (i < km->n[map]) {
		b = &km->b[map][i];
		if (starts_with(b->keys, b->nkeys, keys, n) ||
		    starts_with(keys, n, b->keys, b->nkeys)) {
			binding_clear(b);
			memmove(b, b + 1, (km->n[map] - i - 1) * sizeof(*b));
			km->n[map]--;
			continue;
		}
		i++;
	}
	km->b[map] = xreallocarray(km->b[map], km->n[map] + 1, sizeof(*km->b[map]));
	b = &km->b[map][km->n[map]++];
	memset(b, 0, sizeof(*b));
	memcpy(b->keys, keys, n * sizeof(*keys));
	b->nkeys = n;
	return b;
}

static int
check_keys(size_t n, struct err *err)
{
	if (n == 0)
		return err_set(err, ERR_USAGE, "empty key sequence");
	if (n > UI_KEYSEQ_MAX)
		return err_set(err, ERR_USAGE, "key sequences are at most %d keys long",
		               UI_KEYSEQ_MAX);
	return 0;
}

int
ui_keymap_bind(struct ui_keymap *km, enum ui_map map, const uint32_t *keys, size_t n, enum ui_fn fn,
               struct err *err)
{
	if (check_keys(n, err) < 0)
		return -1;
	if (fn <= UI_FN_NONE || fn >= UI_FN_COUNT)
		return err_set(err, ERR_USAGE, "no such function");
	if (!(fn_defs[fn].maps & (1u << map)))
		return err_set(err, ERR_USAGE, "%s is not a function of the %s map",
		               fn_defs[fn].name, map_names[map]);
	slot(km, map, keys, n)->fn = fn;
	return 0;
}

int
ui_keymap_macro(struct ui_keymap *km, enum ui_map map, const uint32_t *keys, size_t n,
                const struct ui_input *items, size_t nitems, const char *desc, struct err *err)
{
	struct ui_binding *b;

	if (check_keys(n, err) < 0)
		return -1;
	if (nitems == 0)
		return err_set(err, ERR_USAGE, "empty macro");
	b = slot(km, map, keys, n);
	b->macro = xmemdup(items, nitems * sizeof(*items));
	b->nmacro = nitems;
	b->desc = desc != NULL && *desc != '\0' ? xstrdup(desc) : NULL;
	return 0;
}

static int
fn_lookup(const char *name)
{
	return ui_fn_lookup(name);
}

int
ui_keymap_command(struct ui_keymap *km, int is_macro, size_t argc, const char *const *argv,
                  struct err *err)
{
	struct ui_input *keys = NULL, *seq = NULL;
	uint32_t raw[UI_KEYSEQ_MAX];
	size_t nkeys = 0, nseq = 0, i;
	unsigned maps = 0;
	const char *p;
	int fn = 0, rc = -1;

	if (argc < 3 || argc > (is_macro ? 4u : 3u)) {
		err_set(err, ERR_USAGE, "%s takes %s", is_macro ? "macro" : "bind",
		        is_macro ? "MAP KEY SEQUENCE [DESCRIPTION]" : "MAP KEY FUNCTION");
		goto out;
	}
	for (p = argv[0];;) {
		size_t n = strcspn(p, ",");
		char *name = xstrndup(p, n);
		int m = ui_map_lookup(name);

		if (m < 0) {
			const char *hint = vars_suggest_from(name, map_names);

			if (hint != NULL)
				err_set(err, ERR_USAGE, "unknown map \"%s\" (did you mean \"%s\"?)",
				        name, hint);
			else
				err_set(err, ERR_USAGE,
				        "unknown map \"%s\" (maps: generic, index, pager, compose, "
				        "browser, attach, editor)",
				        name);
			free(name);
			goto out;
		}
		free(name);
		maps |= 1u << m;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	if (ui_keys_parse(argv[1], NULL, &keys, &nkeys, err) < 0)
		goto out;
	if (check_keys(nkeys, err) < 0)
		goto out;
	for (i = 0; i < nkeys; i++)
		raw[i] = keys[i].key;
	if (is_macro) {
		if (ui_keys_parse(argv[2], fn_lookup, &seq, &nseq, err) < 0) {
			err_prefix(err, "macro");
			goto out;
		}
	} else {
		fn = ui_fn_lookup(argv[2]);
		if (fn < 0) {
			const char *names[UI_FN_COUNT];
			const char *hint;

			for (i = 1; i < UI_FN_COUNT; i++)
				names[i - 1] = fn_defs[i].name;
			names[UI_FN_COUNT - 1] = NULL;
			hint = vars_suggest_from(argv[2], names);
			if (hint != NULL)
				err_set(err, ERR_USAGE,
				        "unknown function \"%s\" (did you mean \"%s\"?)", argv[2],
				        hint);
			else
				err_set(err, ERR_USAGE, "unknown function \"%s\"", argv[2]);
			goto out;
		}
	}
	for (int m = 0; m < UI_MAP_COUNT; m++) {
		if (!(maps & (1u << m)))
			continue;
		if (is_macro) {
			if (ui_keymap_macro(km, (enum ui_map)m, raw, nkeys, seq, nseq,
			                    argc > 3 ? argv[3] : NULL, err) < 0)
				goto out;
		} else if (ui_keymap_bind(km, (enum ui_map)m, raw, nkeys, (enum ui_fn)fn, err) <
		           0) {
			goto out;
		}
	}
	rc = 0;
out:
	free(keys);
	free(seq);
	return rc;
}

/*
 * Splits one line into words: blanks separate, # starts a comment, double
 * quotes know \n \t \r \e \" and \\ (other backslashes stay, so "\Cg"
 * means what it says), single quotes are literal, and outside quotes a
 * backslash before a blank, # or a quote makes it ordinary.
 */
static int
split_line(const char *line, size_t len, struct ui_strv *words, struct err *err)
{
	size_t i = 0;

	for (;;) {
		struct str w = STR_INIT;
		int have = 0;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i >= len || line[i] == '#')
			return 0;
		while (i < len && line[i] != ' ' && line[i] != '\t') {
			char c = line[i];

			have = 1;
			if (c == '"' || c == '\'') {
				size_t j = i + 1;

				while (j < len && line[j] != c) {
					if (c == '"' && line[j] == '\\' && j + 1 < len) {
						char e = line[j + 1];

						switch (e) {
						case 'n':
							str_append_char(&w, '\n');
							break;
						case 't':
							str_append_char(&w, '\t');
							break;
						case 'r':
							str_append_char(&w, '\r');
							break;
						case 'e':
							str_append_char(&w, '\033');
							break;
						case '"':
							str_append_char(&w, '"');
							break;
						case '\\':
							str_append_char(&w, '\\');
							break;
						default:
							str_append_char(&w, '\\');
							str_append_char(&w, e);
							break;
						}
						j += 2;
						continue;
					}
					str_append_char(&w, line[j]);
					j++;
				}
				if (j >= len) {
					str_free(&w);
					return err_set(err, ERR_USAGE, "unterminated %s quote",
					               c == '"' ? "double" : "single");
				}
				i = j + 1;
				continue;
			}
			if (c == '\\' && i + 1 < len && strchr(" \t#\"'", line[i + 1]) != NULL) {
				str_append_char(&w, line[i + 1]);
				i += 2;
				continue;
			}
			str_append_char(&w, c);
			i++;
		}
		if (have)
			ui_strv_take(words, str_detach(&w));
		str_free(&w);
	}
}

static int load_file(struct ui_keymap *km, const char *path, int depth, struct ui_strv *errors);

static int
load_buffer(struct ui_keymap *km, const char *name, const char *dir, const char *data, size_t len,
            int depth, struct ui_strv *errors)
{
	size_t pos = 0;
	int lineno = 0, rc = 0;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - (data + pos)) : len - pos;
		struct ui_strv words = {NULL, 0};
		struct err err;
		int ok = 0;

		lineno++;
		if (n > 0 && data[pos + n - 1] == '\r')
			n--;
		if (split_line(data + pos, n, &words, &err) < 0)
			goto bad;
		if (words.n == 0) {
			ok = 1;
		} else if (strcmp(words.v[0], "bind") == 0 || strcmp(words.v[0], "macro") == 0) {
			ok = ui_keymap_command(km, words.v[0][0] == 'm', words.n - 1,
			                       (const char *const *)words.v + 1, &err) == 0;
		} else if (strcmp(words.v[0], "source") == 0) {
			if (words.n != 2) {
				err_set(&err, ERR_USAGE, "source takes one file name");
			} else if (depth + 1 >= KEYMAP_DEPTH_MAX) {
				err_set(&err, ERR_USAGE, "source nests more than %d deep",
				        KEYMAP_DEPTH_MAX);
			} else {
				char *p = words.v[1][0] == '/' || dir == NULL
				              ? xstrdup(words.v[1])
				              : xasprintf("%s/%s", dir, words.v[1]);

				if (load_file(km, p, depth + 1, errors) < 0)
					rc = -1;
				free(p);
				ok = 1;
			}
		} else {
			err_set(&err, ERR_USAGE,
			        "unknown command \"%s\" (keymap files hold bind, "
			        "macro and source lines)",
			        words.v[0]);
		}
	bad:
		if (!ok) {
			ui_strv_take(errors, xasprintf("%s:%d: %s", name, lineno, err.msg));
			rc = -1;
		}
		ui_strv_clear(&words);
		pos += (nl != NULL ? (size_t)(nl - (data + pos)) + 1 : len - pos);
	}
	return rc;
}

static int
load_file(struct ui_keymap *km, const char *path, int depth, struct ui_strv *errors)
{
	char *data = NULL, *dir;
	const char *slash;
	size_t len = 0;
	struct err err;
	int rc;

	if (file_read_all(path, KEYMAP_FILE_MAX, &data, &len, &err) < 0) {
		ui_strv_take(errors, xasprintf("%s: %s", path, err.msg));
		return -1;
	}
	slash = strrchr(path, '/');
	dir = slash != NULL ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
	rc = load_buffer(km, path, dir, data, len, depth, errors);
	free(dir);
	free(data);
	return rc;
}

int
ui_keymap_load_file(struct ui_keymap *km, const char *path, struct ui_strv *errors)
{
	return load_file(km, path, 0, errors);
}

int
ui_keymap_load_buffer(struct ui_keymap *km, const char *name, const char *dir, const char *data,
                      size_t len, struct ui_strv *errors)
{
	return load_buffer(km, name, dir, data, len, 0, errors);
}

/* Exact match or prefix of keys in one map. */
static enum ui_km_result
lookup_one(const struct ui_keymap *km, enum ui_map map, const uint32_t *keys, size_t n,
           const struct ui_binding **b_r)
{
	enum ui_km_result r = UI_KM_NONE;

	for (size_t i = 0; i < km->n[map]; i++) {
		const struct ui_binding *b = &km->b[map][i];

		if (b->nkeys == n && memcmp(b->keys, keys, n * sizeof(*keys)) == 0) {
			*b_r = b;
			return UI_KM_MATCH;
		}
		if (b->nkeys > n && starts_with(b->keys, b->nkeys, keys, n))
			r = UI_KM_PREFIX;
	}
	return r;
}

enum ui_km_result
ui_keymap_lookup(const struct ui_keymap *km, enum ui_map map, const uint32_t *keys, size_t n,
                 const struct ui_binding **b_r)
{
	enum ui_km_result r;

	*b_r = NULL;
	r = lookup_one(km, map, keys, n, b_r);
	if (r != UI_KM_NONE || map == UI_MAP_EDITOR || map == UI_MAP_GENERIC)
		return r;
	return lookup_one(km, UI_MAP_GENERIC, keys, n, b_r);
}

/* Whether map has a binding that hides generic's binding b. */
static int
hidden(const struct ui_keymap *km, enum ui_map map, const struct ui_binding *b)
{
	for (size_t i = 0; i < km->n[map]; i++) {
		const struct ui_binding *o = &km->b[map][i];

		if (starts_with(o->keys, o->nkeys, b->keys, b->nkeys) ||
		    starts_with(b->keys, b->nkeys, o->keys, o->nkeys))
			return 1;
	}
	return 0;
}

const struct ui_binding **
ui_keymap_list(const struct ui_keymap *km, enum ui_map map, size_t *count_r)
{
	const struct ui_binding **v;
	size_t n = 0;

	v = xcalloc(km->n[map] + km->n[UI_MAP_GENERIC] + 1, sizeof(*v));
	for (size_t i = 0; i < km->n[map]; i++)
		v[n++] = &km->b[map][i];
	if (map != UI_MAP_GENERIC && map != UI_MAP_EDITOR)
		for (size_t i = 0; i < km->n[UI_MAP_GENERIC]; i++)
			if (!hidden(km, map, &km->b[UI_MAP_GENERIC][i]))
				v[n++] = &km->b[UI_MAP_GENERIC][i];
	*count_r = n;
	return v;
}

int
ui_keymap_key_for(const struct ui_keymap *km, enum ui_map map, enum ui_fn fn, struct str *out)
{
	size_t n;
	const struct ui_binding **v = ui_keymap_list(km, map, &n);
	int found = 0;

	for (size_t i = 0; i < n && !found; i++) {
		if (v[i]->fn != fn)
			continue;
		for (size_t k = 0; k < v[i]->nkeys; k++)
			ui_keys_name(out, v[i]->keys[k]);
		found = 1;
	}
	free(v);
	return found;
}
