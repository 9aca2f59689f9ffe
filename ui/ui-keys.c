#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-xalloc.h"
#include "ui/ui-keys.h"
#include "ui/ui-width.h"

struct key_name {
	const char *name;
	uint32_t key;
};

/* The first name of a key is the one ui_keys_name writes. */
static const struct key_name names[] = {
    {"Up", UI_KEY_UP},
    {"Down", UI_KEY_DOWN},
    {"Left", UI_KEY_LEFT},
    {"Right", UI_KEY_RIGHT},
    {"Home", UI_KEY_HOME},
    {"End", UI_KEY_END},
    {"PageUp", UI_KEY_PGUP},
    {"PageDown", UI_KEY_PGDN},
    {"Insert", UI_KEY_INSERT},
    {"Delete", UI_KEY_DELETE},
    {"BackSpace", UI_KEY_BACKSPACE},
    {"BackTab", UI_KEY_BTAB},
    {"Enter", '\n'},
    {"Return", '\n'},
    {"Tab", '\t'},
    {"Esc", UI_KEY_ESC},
    {"Escape", UI_KEY_ESC},
    {"Space", ' '},
};

#define N_NAMES (sizeof(names) / sizeof(names[0]))

/* A key named inside angle brackets, or -1. */
static long
named_key(const char *name, size_t len)
{
	for (size_t i = 0; i < N_NAMES; i++)
		if (strlen(names[i].name) == len && strncasecmp(names[i].name, name, len) == 0)
			return names[i].key;
	if ((name[0] == 'f' || name[0] == 'F') && len >= 2 && len <= 3) {
		long n = 0;

		for (size_t i = 1; i < len; i++) {
			if (name[i] < '0' || name[i] > '9')
				return -1;
			n = n * 10 + (name[i] - '0');
		}
		if (n >= 1 && n <= 63)
			return UI_KEY_F0 + n;
	}
	return -1;
}

static void
push(struct ui_input **v, size_t *n, size_t *cap, uint32_t key, int fn)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[*n].key = key;
	(*v)[*n].fn = fn;
	(*n)++;
}

static uint32_t
ctrl_of(uint32_t c)
{
	if (c == '?')
		return 0x7f;
	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	return UI_KEY_CTRL(c);
}

int
ui_keys_parse(const char *text, ui_keys_fn_lookup *lookup, struct ui_input **items_r, size_t *n_r,
              struct err *err)
{
	struct ui_input *v = NULL;
	size_t n = 0, cap = 0, len = strlen(text), i = 0;

	*items_r = NULL;
	*n_r = 0;
	while (i < len) {
		uint32_t cp;

		if (text[i] == '<') {
			const char *end = strchr(text + i + 1, '>');
			size_t nlen;
			long key;

			if (end == NULL || end == text + i + 1) {
				/* A lone '<' is the character itself. */
				push(&v, &n, &cap, '<', 0);
				i++;
				continue;
			}
			nlen = (size_t)(end - (text + i + 1));
			key = named_key(text + i + 1, nlen);
			if (key >= 0) {
				push(&v, &n, &cap, (uint32_t)key, 0);
			} else {
				char *name = xstrndup(text + i + 1, nlen);
				int fn = lookup != NULL ? lookup(name) : -1;

				if (fn <= 0) {
					err_set(err, ERR_USAGE, "unknown key or function <%s>",
					        name);
					free(name);
					goto fail;
				}
				free(name);
				push(&v, &n, &cap, 0, fn);
			}
			i += nlen + 2;
			continue;
		}
		if (text[i] == '\\' && i + 1 < len) {
			char c = text[i + 1];

			if ((c == 'C' || c == 'c') && i + 2 < len) {
				push(&v, &n, &cap, ctrl_of((unsigned char)text[i + 2]), 0);
				i += 3;
				continue;
			}
			switch (c) {
			case 'e':
				push(&v, &n, &cap, UI_KEY_ESC, 0);
				break;
			case 't':
				push(&v, &n, &cap, '\t', 0);
				break;
			case 'n':
			case 'r':
				push(&v, &n, &cap, '\n', 0);
				break;
			default:
				i += 1;
				i += ui_utf8_decode(text + i, len - i, &cp);
				push(&v, &n, &cap, cp, 0);
				continue;
			}
			i += 2;
			continue;
		}
		if (text[i] == '^' && i + 1 < len) {
			unsigned char c = (unsigned char)text[i + 1];

			if (c >= 0x40 && c < 0x7f) {
				push(&v, &n, &cap, ctrl_of(c), 0);
				i += 2;
				continue;
			}
		}
		i += ui_utf8_decode(text + i, len - i, &cp);
		if (cp == UI_REPLACEMENT) {
			err_set(err, ERR_USAGE, "the key sequence is not valid UTF-8");
			goto fail;
		}
		push(&v, &n, &cap, cp, 0);
	}
	if (n == 0) {
		err_set(err, ERR_USAGE, "empty key sequence");
		goto fail;
	}
	*items_r = v;
	*n_r = n;
	return 0;
fail:
	free(v);
	return -1;
}

void
ui_keys_name(struct str *out, uint32_t key)
{
	for (size_t i = 0; i < N_NAMES; i++) {
		if (names[i].key == key) {
			str_appendf(out, "<%s>", names[i].name);
			return;
		}
	}
	if (key > UI_KEY_F0 && key <= UI_KEY_LAST) {
		str_appendf(out, "<F%u>", key - UI_KEY_F0);
		return;
	}
	if (key < 0x20) {
		str_appendf(out, "^%c", (char)(key + '@'));
		return;
	}
	if (key == 0x7f) {
		str_append(out, "^?");
		return;
	}
	ui_utf8_encode(out, key);
}
