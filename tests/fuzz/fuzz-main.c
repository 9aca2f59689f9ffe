/*
 * fuzz-main: replays a fuzz target's corpus without libFuzzer.
 *
 * Linked with a target (a file defining LLVMFuzzerTestOneInput) when petrel
 * is not configured with --enable-fuzzing, so `make check` runs every
 * corpus as a regression test.  Each argument is a file or a directory
 * (whose regular files are replayed in name order); every input is one TAP
 * result.  A crash or sanitizer report ends the run without a plan, which
 * the TAP driver counts as a failure.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/base-err.h"
#include "base/base-file.h"
#include "base/base-xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* libFuzzer's default -max_len is far below this; a larger corpus file is a mistake. */
#define FUZZ_MAIN_MAX_INPUT (16u << 20)

static int count, failed;

static void
replay_file(const char *path)
{
	struct err err = {0};
	char *data = NULL;
	size_t len = 0;

	count++;
	if (file_read_all(path, FUZZ_MAIN_MAX_INPUT, &data, &len, &err) < 0) {
		failed++;
		printf("not ok %d - %s\n# %s\n", count, path, err.msg);
		return;
	}
	/* A copy of exactly len bytes, so ASan catches reads past the input. */
	{
		uint8_t *copy = len ? xmemdup(data, len) : NULL;

		LLVMFuzzerTestOneInput(copy, len);
		free(copy);
	}
	free(data);
	printf("ok %d - %s\n", count, path);
	fflush(stdout);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
replay_dir(const char *dir)
{
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL) {
		count++;
		failed++;
		printf("not ok %d - %s\n# cannot open: %s\n", count, dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			replay_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			replay_dir(argv[i]);
		else
			replay_file(argv[i]);
	}
	printf("1..%d\n", count);
	return failed == 0 ? 0 : 1;
}
