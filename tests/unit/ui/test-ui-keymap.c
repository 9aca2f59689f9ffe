/* Key names, bindings and their conflicts, macros, and keymap files with
 * errors that name file:line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "test-common.h"
#include "ui/ui-keymap.h"

static void
test_parse_keys(void)
{
	struct ui_input *v;
	size_t n;
	struct err err;

	test_begin("key names");
	test_assert(ui_keys_parse("\\Cg", NULL, &v, &n, &err) == 0);
	test_assert_int(n, 1);
	test_assert_int(v[0].key, 7);
	free(v);
	test_assert(ui_keys_parse("^G<Up><pagedown><F5><esc>x", NULL, &v, &n, &err) == 0);
	test_assert_int(n, 6);
	test_assert_int(v[0].key, 7);
	test_assert_int(v[1].key, UI_KEY_UP);
	test_assert_int(v[2].key, UI_KEY_PGDN);
	test_assert_int(v[3].key, UI_KEY_F0 + 5);
	test_assert_int(v[4].key, 0x1b);
	test_assert_int(v[5].key, 'x');
	free(v);
	test_assert(ui_keys_parse("\xc3\xa9<Enter>", NULL, &v, &n, &err) == 0);
	test_assert_int(v[0].key, 0xe9);
	test_assert_int(v[1].key, '\n');
	free(v);
	test_assert(ui_keys_parse("<nosuchkey>", NULL, &v, &n, &err) < 0);
	test_assert(strstr(err.msg, "nosuchkey") != NULL);
	test_assert(ui_keys_parse("", NULL, &v, &n, &err) < 0);
	/* Functions in macros. */
	test_assert(ui_keys_parse("<change-folder>=INBOX<enter>", ui_fn_lookup, &v, &n, &err) == 0);
	test_assert_int(n, 8);
	test_assert_int(v[0].fn, UI_FN_CHANGE_FOLDER);
	test_assert_int(v[1].key, '=');
	test_assert_int(v[7].key, '\n');
	free(v);
	test_end();
}

static void
test_key_names(void)
{
	struct str s = STR_INIT;

	test_begin("writing key names");
	ui_keys_name(&s, 7);
	ui_keys_name(&s, UI_KEY_UP);
	ui_keys_name(&s, ' ');
	ui_keys_name(&s, 'q');
	ui_keys_name(&s, '\n');
	test_assert_str(s.s, "^G<Up><Space>q<Enter>");
	str_free(&s);
	test_end();
}

static void
test_bind(void)
{
	struct ui_keymap *km = ui_keymap_new();
	const struct ui_binding *b;
	uint32_t d[] = {'d'}, dd[] = {'d', 'd'}, g[] = {'g'}, gg[] = {'g', 'g'};
	struct err err;

	test_begin("bindings");
	test_assert(ui_keymap_bind(km, UI_MAP_INDEX, d, 1, UI_FN_DELETE_MESSAGE, &err) == 0);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, d, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_DELETE_MESSAGE);
	/* "dd" hides "d": the single key goes. */
	test_assert(ui_keymap_bind(km, UI_MAP_INDEX, dd, 2, UI_FN_DELETE_THREAD, &err) == 0);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, d, 1, &b), UI_KM_PREFIX);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, dd, 2, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_DELETE_THREAD);
	/* The screen's map first, then generic. */
	test_assert(ui_keymap_bind(km, UI_MAP_GENERIC, gg, 2, UI_FN_FIRST_ENTRY, &err) == 0);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, gg, 2, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_FIRST_ENTRY);
	test_assert(ui_keymap_bind(km, UI_MAP_INDEX, g, 1, UI_FN_GROUP_REPLY, &err) == 0);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, g, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_GROUP_REPLY);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_PAGER, g, 1, &b), UI_KM_PREFIX);
	/* The editor map has no fallback. */
	test_assert_int(ui_keymap_lookup(km, UI_MAP_EDITOR, gg, 2, &b), UI_KM_NONE);
	/* A function that means nothing in a map is refused. */
	test_assert(ui_keymap_bind(km, UI_MAP_EDITOR, d, 1, UI_FN_REPLY, &err) < 0);
	test_assert(strstr(err.msg, "reply is not a function of the editor map") != NULL);
	ui_keymap_free(&km);
	test_assert(km == NULL);
	test_end();
}

static void
test_commands(void)
{
	struct ui_keymap *km = ui_keymap_new();
	const struct ui_binding *b;
	uint32_t k[] = {'X'};
	struct err err;
	const char *bind1[] = {"index,pager", "X", "flag-message"};
	const char *bad_map[] = {"indx", "X", "flag-message"};
	const char *bad_fn[] = {"index", "X", "flag-mesage"};
	const char *mac[] = {"index", "X", "<limit>~N<enter>", "new only"};

	test_begin("bind and macro commands");
	test_assert(ui_keymap_command(km, 0, 3, bind1, &err) == 0);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_PAGER, k, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_FLAG_MESSAGE);
	test_assert(ui_keymap_command(km, 0, 3, bad_map, &err) < 0);
	test_assert(strstr(err.msg, "did you mean \"index\"") != NULL);
	test_assert(ui_keymap_command(km, 0, 3, bad_fn, &err) < 0);
	test_assert(strstr(err.msg, "did you mean \"flag-message\"") != NULL);
	test_assert(ui_keymap_command(km, 1, 4, mac, &err) == 0);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, k, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_NONE);
	test_assert_int(b->nmacro, 4);
	test_assert_int(b->macro[0].fn, UI_FN_LIMIT);
	test_assert_str(b->desc, "new only");
	ui_keymap_free(&km);
	test_end();
}

static void
test_files(void)
{
	struct ui_keymap *km = ui_keymap_new();
	struct ui_strv errors = {NULL, 0};
	const struct ui_binding *b;
	uint32_t cg[] = {7}, sp[] = {' '}, q[] = {'q'};
	char path[512], inc[512];
	FILE *f;
	const char *text = "# a comment\n"
	                   "bind index \\Cg cancel-job   # trailing comment\n"
	                   "bind index \"<space>\" next-page\n"
	                   "bind index q quit extra\n"
	                   "frobnicate index q quit\n"
	                   "bind pager x no-such-function\n"
	                   "macro index \"unterminated\n";

	test_begin("keymap files");
	test_assert(ui_keymap_load_buffer(km, "test.keys", NULL, text, strlen(text), &errors) < 0);
	test_assert_int(errors.n, 4);
	if (errors.n == 4) {
		test_assert(strncmp(errors.v[0], "test.keys:4: bind takes", 23) == 0);
		test_assert(
		    strncmp(errors.v[1], "test.keys:5: unknown command \"frobnicate\"", 41) == 0);
		test_assert(strncmp(errors.v[2], "test.keys:6: unknown function", 29) == 0);
		test_assert(strncmp(errors.v[3], "test.keys:7: unterminated double quote", 38) ==
		            0);
	}
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, cg, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_CANCEL_JOB);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, sp, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_NEXT_PAGE);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, q, 1, &b), UI_KM_NONE);
	ui_strv_clear(&errors);

	/* source, relative to the including file. */
	snprintf(path, sizeof(path), "%s/main.keys", test_tmpdir());
	snprintf(inc, sizeof(inc), "%s/other.keys", test_tmpdir());
	f = fopen(inc, "w");
	fputs("bind index q quit\n\nbind index Q nope\n", f);
	fclose(f);
	f = fopen(path, "w");
	fputs("source other.keys\nsource missing.keys\n", f);
	fclose(f);
	test_assert(ui_keymap_load_file(km, path, &errors) < 0);
	test_assert_int(errors.n, 2);
	if (errors.n == 2) {
		test_assert(strstr(errors.v[0], "other.keys:3: unknown function \"nope\"") != NULL);
		test_assert(strstr(errors.v[1], "missing.keys") != NULL);
	}
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, q, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_QUIT);
	ui_strv_clear(&errors);
	ui_keymap_free(&km);
	test_end();
}

static void
test_list(void)
{
	struct ui_keymap *km = ui_keymap_new();
	const struct ui_binding **v;
	uint32_t j[] = {'j'}, k[] = {'k'};
	struct str s = STR_INIT;
	size_t n;
	struct err err;

	test_begin("listing for help");
	ui_keymap_bind(km, UI_MAP_GENERIC, j, 1, UI_FN_NEXT_ENTRY, &err);
	ui_keymap_bind(km, UI_MAP_GENERIC, k, 1, UI_FN_PREVIOUS_ENTRY, &err);
	ui_keymap_bind(km, UI_MAP_PAGER, j, 1, UI_FN_NEXT_LINE, &err);
	v = ui_keymap_list(km, UI_MAP_PAGER, &n);
	test_assert_int(n, 2);
	test_assert_int(v[0]->fn, UI_FN_NEXT_LINE);
	test_assert_int(v[1]->fn, UI_FN_PREVIOUS_ENTRY);
	free(v);
	test_assert(ui_keymap_key_for(km, UI_MAP_INDEX, UI_FN_NEXT_ENTRY, &s));
	test_assert_str(s.s, "j");
	str_free(&s);
	ui_keymap_free(&km);
	test_end();
}

static void
test_shipped_files(void)
{
	const char *srcdir = getenv("top_srcdir");
	struct ui_keymap *km;
	struct ui_strv errors = {NULL, 0};
	char path[1024];
	const struct ui_binding *b;
	uint32_t gg[] = {'g', 'g'}, dd[] = {'d', 'd'}, j[] = {'j'};

	test_begin("the shipped keymaps load without errors");
	if (srcdir == NULL)
		srcdir = "../../..";
	km = ui_keymap_new();
	snprintf(path, sizeof(path), "%s/keymaps/default.keys", srcdir);
	test_assert(ui_keymap_load_file(km, path, &errors) == 0);
	for (size_t i = 0; i < errors.n; i++)
		printf("# %s\n", errors.v[i]);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, j, 1, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_NEXT_ENTRY);
	ui_strv_clear(&errors);
	ui_keymap_free(&km);

	km = ui_keymap_new();
	snprintf(path, sizeof(path), "%s/keymaps/vim.keys", srcdir);
	test_assert(ui_keymap_load_file(km, path, &errors) == 0);
	for (size_t i = 0; i < errors.n; i++)
		printf("# %s\n", errors.v[i]);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, gg, 2, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_FIRST_ENTRY);
	test_assert_int(ui_keymap_lookup(km, UI_MAP_INDEX, dd, 2, &b), UI_KM_MATCH);
	test_assert_int(b->fn, UI_FN_DELETE_MESSAGE);
	ui_strv_clear(&errors);
	ui_keymap_free(&km);
	test_end();
}

/* Every function is documented in petrel-keymaps(5). */
static void
test_documented(void)
{
	const char *srcdir = getenv("top_srcdir");
	char path[1024], *page = NULL;
	FILE *f;
	long len;

	test_begin("petrel-keymaps(5) documents every function");
	snprintf(path, sizeof(path), "%s/doc/petrel-keymaps.5",
	         srcdir != NULL ? srcdir : "../../..");
	f = fopen(path, "r");
	test_assert(f != NULL);
	if (f == NULL) {
		test_end();
		return;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	page = calloc(1, (size_t)len + 1);
	if (fread(page, 1, (size_t)len, f) != (size_t)len)
		len = 0;
	fclose(f);
	for (int fn = 1; fn < UI_FN_COUNT; fn++) {
		char want[80];
		int found;

		snprintf(want, sizeof(want), "\n.B %s\n", ui_fn_def((enum ui_fn)fn)->name);
		found = strstr(page, want) != NULL;
		if (!found)
			printf("# not documented: %s\n", ui_fn_def((enum ui_fn)fn)->name);
		test_assert(found);
	}
	free(page);
	test_end();
}

int
main(void)
{
	test_documented();
	test_parse_keys();
	test_key_names();
	test_bind();
	test_commands();
	test_files();
	test_list();
	test_shipped_files();
	return test_done();
}
