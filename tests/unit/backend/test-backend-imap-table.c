/* The IMAP message table: sequence numbers over tombstones and
 * placeholders, and what a server's contradictions get. */
#include "config.h"

#include <stdlib.h>

#include "backend/backend-imap-table.h"
#include "test-common.h"

static void
fill(struct backend_imap_table *t, const uint32_t *uids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		backend_imap_table_append(t, uids[i], 0, 1);
}

static void
test_seq(void)
{
	struct backend_imap_table t;
	static const uint32_t uids[] = {3, 5, 8, 13, 21};
	size_t idx = 99;

	test_begin("sequence numbers follow expunges, indexes do not");
	backend_imap_table_init(&t);
	fill(&t, uids, 5);
	test_assert_int(t.live, 5);
	test_assert(backend_imap_table_seq_index(&t, 3, &idx) == 0 && idx == 2);
	backend_imap_table_gone(&t, 1); /* UID 5: seq 2 */
	test_assert_int(t.live, 4);
	test_assert(backend_imap_table_seq_index(&t, 2, &idx) == 0 && idx == 2);
	test_assert(backend_imap_table_seq_index(&t, 4, &idx) == 0 && idx == 4);
	test_assert(backend_imap_table_seq_index(&t, 5, &idx) < 0);
	test_assert(backend_imap_table_seq_index(&t, 0, &idx) < 0);
	test_assert_int(backend_imap_table_index_seq(&t, 4), 4);
	/* A tombstone keeps its index and can still be found by UID. */
	test_assert(backend_imap_table_find(&t, 5, &idx) == 1 && idx == 1);
	test_assert(backend_imap_table_find(&t, 6, &idx) == 0);
	backend_imap_table_gone(&t, 1); /* twice: no effect */
	test_assert_int(t.live, 4);
	test_assert_int(backend_imap_table_compact(&t), 1);
	test_assert_int(t.n, 4);
	test_assert(backend_imap_table_find(&t, 8, &idx) == 1 && idx == 1);
	test_assert(backend_imap_table_seq_index(&t, 4, &idx) == 0 && t.m[idx].uid == 21);
	backend_imap_table_free(&t);
	test_end();
}

static void
test_order(void)
{
	struct backend_imap_table t;

	test_begin("UIDs only grow");
	backend_imap_table_init(&t);
	test_assert(backend_imap_table_append(&t, 10, 0, 1) == 0);
	test_assert(backend_imap_table_append(&t, 10, 0, 1) < 0);
	test_assert(backend_imap_table_append(&t, 4, 0, 1) < 0);
	test_assert_int(backend_imap_table_max_uid(&t), 10);
	backend_imap_table_free(&t);
	test_end();
}

static void
test_placeholders(void)
{
	struct backend_imap_table t;
	size_t idx;

	test_begin("placeholders take their UIDs in order");
	backend_imap_table_init(&t);
	backend_imap_table_append(&t, 1, 0, 1);
	backend_imap_table_append(&t, 0, 0, 0);
	backend_imap_table_append(&t, 0, 0, 0);
	test_assert_int(backend_imap_table_unknown(&t), 2);
	/* No known UID may follow a placeholder. */
	test_assert(backend_imap_table_append(&t, 9, 0, 1) < 0);
	/* Only the first placeholder, and only above the highest UID. */
	test_assert(backend_imap_table_set_uid(&t, 2, 7) < 0);
	test_assert(backend_imap_table_set_uid(&t, 1, 1) < 0);
	test_assert(backend_imap_table_set_uid(&t, 1, 7) == 0);
	test_assert(backend_imap_table_find(&t, 7, &idx) == 1 && idx == 1);
	/* The server expunged the second before saying its UID. */
	backend_imap_table_gone(&t, 2);
	test_assert_int(backend_imap_table_unknown(&t), 0);
	backend_imap_table_append(&t, 0, 0, 0);
	test_assert(backend_imap_table_set_uid(&t, 3, 8) == 0);
	test_assert(backend_imap_table_find(&t, 8, &idx) == 1);
	test_assert(backend_imap_table_seq_index(&t, 3, &idx) == 0 && t.m[idx].uid == 8);
	test_assert_int(backend_imap_table_compact(&t), 1);
	test_assert_int(t.n, 3);
	test_assert_int(t.known, 3);
	backend_imap_table_free(&t);
	test_end();
}

/* A flood of expunges costs log n each, and leaves the table right. */
static void
test_flood(void)
{
	struct backend_imap_table t;
	size_t idx, n = 200000;

	test_begin("a hundred thousand expunges of message 1");
	backend_imap_table_init(&t);
	for (size_t i = 0; i < n; i++)
		backend_imap_table_append(&t, (uint32_t)(i + 1), 0, 1);
	for (size_t i = 0; i < n / 2; i++) {
		if (backend_imap_table_seq_index(&t, 1, &idx) < 0)
			break;
		backend_imap_table_gone(&t, idx);
	}
	test_assert_int(t.live, n / 2);
	test_assert(backend_imap_table_seq_index(&t, 1, &idx) == 0 && t.m[idx].uid == n / 2 + 1);
	test_assert(backend_imap_table_seq_index(&t, (uint32_t)(n / 2), &idx) == 0 &&
	            t.m[idx].uid == n);
	backend_imap_table_free(&t);
	test_end();
}

int
main(void)
{
	test_seq();
	test_order();
	test_placeholders();
	test_flood();
	return test_done();
}
