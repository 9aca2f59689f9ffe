/*
 * test-common: a tiny TAP producer for the unit tests.
 *
 *   test_begin("what is tested");
 *   test_assert(x == 1);           // one "ok"/"not ok" line per assertion
 *   test_assert_str(got, "want");
 *   test_end();
 *   return test_done();            // prints the plan, exit status
 *
 * Every assertion is a TAP result, so the suite summary counts them.
 */
#ifndef TEST_COMMON_H
#define TEST_COMMON_H

#include <stddef.h>

void test_begin(const char *name);
void test_end(void);
void test_assert_at(int ok, const char *expr, const char *file, int line);
void test_assert_str_at(const char *got, const char *want, const char *expr, const char *file,
			int line);
void test_assert_int_at(long long got, long long want, const char *expr, const char *file,
			int line);
/* Prints the plan; returns the process exit status (0 when all passed). */
int test_done(void);
/* A fresh temporary directory under $TMPDIR, removed at test_done(). */
const char *test_tmpdir(void);
/* How many entries not starting with '.' the directory dir/sub holds
 * (0 when it cannot be read): maildir tests count files in new/, tmp/. */
size_t test_files_in(const char *dir, const char *sub);

#define test_assert(expr) test_assert_at(!!(expr), #expr, __FILE__, __LINE__)
#define test_assert_str(got, want) test_assert_str_at((got), (want), #got, __FILE__, __LINE__)
#define test_assert_int(got, want) \
	test_assert_int_at((long long)(got), (long long)(want), #got, __FILE__, __LINE__)

#endif
