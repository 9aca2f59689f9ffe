/* The bookkeeping of an open local folder (see backend-local.h). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>

#include "backend/backend-local.h"

uint64_t
backend_local_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct backend_local_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void
backend_local_keys_sort(struct backend_local_key *keys, size_t n)
{
	if (n > 1)
		qsort(keys, n, sizeof(*keys), key_cmp);
}

int
backend_local_keys_find(const struct backend_local_key *keys, size_t n, uint64_t key,
                        size_t *index_r)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keys[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && keys[lo].key == key) {
		*index_r = keys[lo].index;
		return 1;
	}
	return 0;
}

unsigned
backend_local_merge_flags(unsigned wanted, unsigned read, unsigned fresh)
{
	unsigned set = wanted & ~read, clear = read & ~wanted;

	return (fresh | set) & ~clear;
}

int
backend_local_check_index(size_t index, size_t count, const char *what, struct err *err)
{
	if (index >= count)
		return err_set(err, ERR_USAGE, "%s has no message %zu (it has %zu)", what,
		               index + 1, count);
	return 0;
}

int
backend_local_check_range(size_t first, size_t n, size_t count, const char *what, struct err *err)
{
	if (first > count || n > count - first)
		return err_set(err, ERR_USAGE, "%s has no messages %zu-%zu (it has %zu)", what,
		               first + 1, first + n, count);
	return 0;
}

int
backend_local_tick(const struct backend_progress *progress, int cancel_fd, size_t i, uint64_t done,
                   uint64_t total, const char *label, struct err *err)
{
	if ((i & 255) != 255)
		return 0;
	backend_report(progress, done, total, label);
	if (!backend_cancelled(progress, cancel_fd))
		return 0;
	return err_set(err, ERR_CANCELLED, "cancelled while %c%s", tolower((unsigned char)label[0]),
	               label + 1);
}
