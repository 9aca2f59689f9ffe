/*
 * Walks tests/data/messages: every message parses, lists its parts,
 * renders, and summarises without a crash; nothing shown holds a byte a
 * terminal could act on; subject, sender, date and attachment names match
 * the hand-written reference in expected.tsv.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-str.h"
#include "mime-test-util.h"
#include "mime/mime-message.h"
#include "mime/mime-summary.h"
#include "test-common.h"

#define MAX_ROWS 200

struct row {
	char *file;
	char *field[5]; /* subject, name, address, date, files */
};

/* "{A*1024}" in the reference stands for 1024 "A"s. */
static char *
expand(const char *s)
{
	struct str out = STR_INIT;

	while (*s != '\0') {
		unsigned long n;
		char *end;

		if (s[0] == '{' && s[1] != '\0' && s[2] == '*' &&
		    (n = strtoul(s + 3, &end, 10)) > 0 && *end == '}') {
			for (unsigned long i = 0; i < n; i++)
				str_append_char(&out, s[1]);
			s = end + 1;
			continue;
		}
		str_append_char(&out, *s++);
	}
	str_append_len(&out, "", 0);
	return str_detach(&out);
}

static size_t
read_reference(const char *dir, struct row *rows)
{
	char path[1024], *data = NULL, *line, *save = NULL;
	struct err err;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/expected.tsv", dir);
	if (file_read_all(path, 1 << 20, &data, NULL, &err) < 0) {
		printf("# %s\n", err.msg);
		return 0;
	}
	for (line = strtok_r(data, "\n", &save); line && n < MAX_ROWS;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[6];
		int k = 0;

		if (line[0] == '#' || line[0] == '\0')
			continue;
		f[k++] = line;
		for (char *p = line; *p != '\0' && k < 6; p++) {
			if (*p == '\t') {
				*p = '\0';
				f[k++] = p + 1;
			}
		}
		if (k != 6) {
			printf("# bad reference line for %s\n", f[0]);
			continue;
		}
		rows[n].file = strdup(f[0]);
		for (int i = 0; i < 5; i++)
			rows[n].field[i] = expand(f[i + 1]);
		n++;
	}
	free(data);
	return n;
}

static int
view_is_safe(const struct mime_view *v, int utf8)
{
	for (size_t i = 0; i < v->n_headers; i++)
		if (!mime_test_terminal_safe(v->headers[i].name, strlen(v->headers[i].name),
		                             utf8) ||
		    !mime_test_terminal_safe(v->headers[i].value, strlen(v->headers[i].value),
		                             utf8))
			return 0;
	for (size_t i = 0; i < v->n_blocks; i++)
		if (!mime_test_terminal_safe(v->blocks[i].text, v->blocks[i].len, utf8))
			return 0;
	/* Part fields are UTF-8 whatever the target charset. */
	for (size_t i = 0; i < v->n_parts; i++) {
		const struct mime_part *p = &v->parts[i];
		const char *f[] = {p->path,        p->type,    p->filename,
		                   p->description, p->charset, p->encoding};

		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++)
			if (!mime_test_terminal_safe(f[k], strlen(f[k]), 1))
				return 0;
	}
	return 1;
}

static void
check_message(const char *dir, const struct row *r)
{
	char path[1024];
	char *data = NULL;
	size_t len = 0;
	struct err err;
	struct mime_message *msg = NULL, *msg_fd = NULL;
	struct arena *arena = arena_new();
	struct mime_view *view = NULL, *latin = NULL, *view_fd = NULL;
	struct mime_view_params latin_params = {0};
	struct mime_summary sum = {0};
	struct str text = STR_INIT, text_fd = STR_INIT, latin_text = STR_INIT, files = STR_INIT;
	const char *subject_line = NULL;
	int fd, decoded_all = 1;

	snprintf(path, sizeof(path), "%s/%s", dir, r->file);
	test_begin(r->file);
	/* A parser stuck in a loop fails the test instead of hanging it. */
	alarm(60);
	test_assert(file_read_all(path, 4 << 20, &data, &len, &err) == 0);
	if (data == NULL)
		goto out;
	test_assert(mime_message_parse_mem(data, len, NULL, &msg, &err) == 0);
	test_assert(mime_view_build(msg, NULL, arena, &view, &err) == 0);
	mime_view_render(view, &text);
	test_assert(mime_test_terminal_safe(text.s, text.len, 1));
	test_assert(view_is_safe(view, 1));

	latin_params.charset = "ISO-8859-1";
	test_assert(mime_view_build(msg, &latin_params, arena, &latin, &err) == 0);
	mime_view_render(latin, &latin_text);
	test_assert(mime_test_terminal_safe(latin_text.s, latin_text.len, 0));
	test_assert(view_is_safe(latin, 0));

	/* Every part decodes, and file names are listed as the reference says. */
	for (size_t i = 0; i < view->n_parts; i++) {
		struct str part = STR_INIT;

		if (view->parts[i].role != MIME_ROLE_CONTAINER &&
		    view->parts[i].role != MIME_ROLE_OPAQUE &&
		    mime_part_decode(msg, view->parts[i].path, 16 << 20, &part, &err) < 0) {
			printf("# part %s: %s\n", view->parts[i].path, err.msg);
			decoded_all = 0;
		}
		str_free(&part);
		if (*view->parts[i].filename != '\0') {
			if (files.len > 0)
				str_append_char(&files, '|');
			str_append(&files, view->parts[i].filename);
		}
	}
	test_assert(decoded_all);
	test_assert_str(str_cstr(&files), r->field[4]);

	mime_summary_from_header(arena, data, len, &sum);
	test_assert_str(sum.subject, r->field[0]);
	test_assert_str(sum.from_name, r->field[1]);
	test_assert_str(sum.from_addr, r->field[2]);
	test_assert_int(sum.date, strtoll(r->field[3], NULL, 10));
	{
		const char *s[] = {sum.from_name,   sum.from_addr,  sum.to,
		                   sum.cc,          sum.subject,    sum.message_id,
		                   sum.in_reply_to, sum.references, sum.list_post};
		int safe = 1;

		for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
			safe &= s[i] != NULL && mime_test_terminal_safe(s[i], strlen(s[i]), 1);
		test_assert(safe);
	}
	/* The pager and the folder list agree on the subject. */
	for (size_t i = 0; i < view->n_headers; i++)
		if (strcmp(view->headers[i].name, "Subject") == 0 && subject_line == NULL)
			subject_line = view->headers[i].value;
	if (strlen(sum.subject) < 1024)
		test_assert_str(subject_line ? subject_line : "", sum.subject);

	/* Parsing from a descriptor gives the same message. */
	fd = open(path, O_RDONLY);
	test_assert(fd >= 0 && mime_message_parse_fd(fd, NULL, &msg_fd, &err) == 0);
	if (fd >= 0)
		close(fd);
	if (msg_fd != NULL && mime_view_build(msg_fd, NULL, arena, &view_fd, &err) == 0)
		mime_view_render(view_fd, &text_fd);
	test_assert(text_fd.len == text.len && memcmp(text_fd.s, text.s, text.len) == 0);
out:
	alarm(0);
	test_end();
	mime_message_free(&msg);
	mime_message_free(&msg_fd);
	arena_free(&arena);
	str_free(&text);
	str_free(&text_fd);
	str_free(&latin_text);
	str_free(&files);
	free(data);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[1024];
	struct row rows[MAX_ROWS];
	size_t n, eml = 0;
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "%s/tests/data/messages", top ? top : ".");
	mime_init();
	n = read_reference(dir, rows);
	test_begin("reference");
	test_assert(n >= 40);
	/* Every message in the corpus has its line in the reference. */
	d = opendir(dir);
	test_assert(d != NULL);
	while (d != NULL && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), i;

		if (l < 4 || strcmp(de->d_name + l - 4, ".eml") != 0)
			continue;
		eml++;
		for (i = 0; i < n && strcmp(rows[i].file, de->d_name) != 0; i++)
			continue;
		if (i == n)
			printf("# %s has no reference line\n", de->d_name);
	}
	if (d != NULL)
		closedir(d);
	test_assert_int(eml, n);
	test_end();
	for (size_t i = 0; i < n; i++) {
		check_message(dir, &rows[i]);
		free(rows[i].file);
		for (int k = 0; k < 5; k++)
			free(rows[i].field[k]);
	}
	mime_shutdown();
	return test_done();
}
