#include "config.h"

#include <stdint.h>
#include <string.h>

#include "base/base-arena.h"
#include "test-common.h"

int
main(void)
{
	struct arena *a = arena_new();
	char *s, *big;
	int aligned = 1;

	test_begin("arena strings");
	s = arena_strdup(a, "hello");
	test_assert_str(s, "hello");
	test_assert_str(arena_strndup(a, "abcdef", 3), "abc");
	test_assert_str(arena_printf(a, "%s-%d", "x", 7), "x-7");
	test_end();

	test_begin("arena alignment and zeroing");
	for (int i = 1; i < 200; i++) {
		unsigned char *p = arena_alloc(a, (size_t)i);

		if ((uintptr_t)p % 16 != 0)
			aligned = 0;
		for (int j = 0; j < i; j++)
			if (p[j] != 0)
				aligned = 0;
		memset(p, 0xff, (size_t)i);
	}
	test_assert(aligned);
	test_end();

	test_begin("arena large allocation");
	big = arena_alloc(a, 1 << 20);
	memset(big, 'x', 1 << 20);
	test_assert(big[(1 << 20) - 1] == 'x');
	test_assert_str(s, "hello");
	test_end();

	test_begin("arena reset");
	arena_reset(a);
	test_assert_int(arena_used(a), 0);
	s = arena_strdup(a, "again");
	test_assert_str(s, "again");
	test_end();

	arena_free(&a);
	test_assert(a == NULL);
	return test_done();
}
