#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test-common.h"

static const char *current = "";
static int count, failed, in_test;
static char tmpdir[256];

void
test_begin(const char *name)
{
	current = name;
	in_test = 1;
}

void
test_end(void)
{
	in_test = 0;
	current = "";
}

static void
result(int ok, const char *expr)
{
	count++;
	if (!ok)
		failed++;
	printf("%sok %d - %s%s%s\n", ok ? "" : "not ", count, current, *current ? ": " : "", expr);
	fflush(stdout);
}

void
test_assert_at(int ok, const char *expr, const char *file, int line)
{
	result(ok, expr);
	if (!ok)
		printf("#   failed at %s:%d\n", file, line);
}

void
test_assert_str_at(const char *got, const char *want, const char *expr, const char *file,
		   int line)
{
	int ok = (got == NULL && want == NULL) ||
		 (got != NULL && want != NULL && strcmp(got, want) == 0);

	result(ok, expr);
	if (!ok)
		printf("#   failed at %s:%d\n#   got:  \"%s\"\n#   want: \"%s\"\n", file, line,
		       got ? got : "(null)", want ? want : "(null)");
}

void
test_assert_int_at(long long got, long long want, const char *expr, const char *file, int line)
{
	result(got == want, expr);
	if (got != want)
		printf("#   failed at %s:%d\n#   got:  %lld\n#   want: %lld\n", file, line, got, want);
}

const char *
test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");

	if (tmpdir[0] != '\0')
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/petrel-test-XXXXXX", base ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(99);
	}
	return tmpdir;
}

size_t
test_files_in(const char *dir, const char *sub)
{
	char path[4096];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, sub) >= sizeof(path))
		return 0;
	d = opendir(path);
	while (d != NULL && (de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	if (d != NULL)
		closedir(d);
	return n;
}

int
test_done(void)
{
	if (tmpdir[0] != '\0') {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	printf("1..%d\n", count);
	return failed == 0 ? 0 : 1;
}
