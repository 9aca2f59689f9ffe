/* The message table of a selected IMAP mailbox (see the header). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backend/backend-imap-table.h"
#include "base/base-xalloc.h"

void
backend_imap_table_init(struct backend_imap_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
backend_imap_table_free(struct backend_imap_table *t)
{
	free(t->m);
	free(t->fen);
	memset(t, 0, sizeof(*t));
}

void
backend_imap_table_reset(struct backend_imap_table *t)
{
	backend_imap_table_free(t);
}

static void
fen_add(struct backend_imap_table *t, size_t index, int delta)
{
	for (size_t i = index + 1; i <= t->cap; i += i & (~i + 1))
		t->fen[i - 1] = (uint32_t)((int64_t)t->fen[i - 1] + delta);
}

/* Live entries in [0, index). */
static size_t
fen_prefix(const struct backend_imap_table *t, size_t index)
{
	size_t sum = 0;

	for (size_t i = index; i > 0; i -= i & (~i + 1))
		sum += t->fen[i - 1];
	return sum;
}

static void
fen_rebuild(struct backend_imap_table *t)
{
	memset(t->fen, 0, t->cap * sizeof(*t->fen));
	for (size_t i = 1; i <= t->cap; i++) {
		size_t parent;

		if (i <= t->n && !(t->m[i - 1].st & BACKEND_IMAP_MSG_GONE))
			t->fen[i - 1] += 1;
		parent = i + (i & (~i + 1));
		if (parent <= t->cap)
			t->fen[parent - 1] += t->fen[i - 1];
	}
}

static void
grow(struct backend_imap_table *t)
{
	size_t cap = t->cap != 0 ? t->cap * 2 : 64;

	t->m = xreallocarray(t->m, cap, sizeof(*t->m));
	t->fen = xreallocarray(t->fen, cap, sizeof(*t->fen));
	t->cap = cap;
	fen_rebuild(t);
}

uint32_t
backend_imap_table_max_uid(const struct backend_imap_table *t)
{
	return t->known > 0 ? t->m[t->known - 1].uid : 0;
}

int
backend_imap_table_append(struct backend_imap_table *t, uint32_t uid, unsigned flags, int known)
{
	struct backend_imap_msg *m;

	if (uid != 0 && (t->known != t->n || uid <= backend_imap_table_max_uid(t)))
		return -1;
	if (t->n == t->cap)
		grow(t);
	m = &t->m[t->n];
	memset(m, 0, sizeof(*m));
	m->uid = uid;
	m->flags = (uint8_t)flags;
	m->st = known ? BACKEND_IMAP_MSG_KNOWN : 0;
	fen_add(t, t->n, 1);
	t->n++;
	t->live++;
	if (uid != 0)
		t->known = t->n;
	return 0;
}

int
backend_imap_table_seq_index(const struct backend_imap_table *t, uint32_t seq, size_t *index_r)
{
	size_t pos = 0, rem = seq, step;

	if (seq == 0 || seq > t->live)
		return -1;
	/* Binary lifting: the largest pos whose prefix holds fewer than seq. */
	for (step = t->cap; step > 0; step >>= 1) {
		if (pos + step <= t->cap && t->fen[pos + step - 1] < rem) {
			pos += step;
			rem -= t->fen[pos - 1];
		}
	}
	if (pos >= t->n)
		return -1;
	*index_r = pos;
	return 0;
}

uint32_t
backend_imap_table_index_seq(const struct backend_imap_table *t, size_t index)
{
	return (uint32_t)fen_prefix(t, index + 1);
}

size_t
backend_imap_table_lower_bound(const struct backend_imap_table *t, uint32_t uid)
{
	size_t lo = 0, hi = t->known;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->m[mid].uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int
backend_imap_table_find(const struct backend_imap_table *t, uint32_t uid, size_t *index_r)
{
	size_t i;

	if (uid == 0)
		return 0;
	i = backend_imap_table_lower_bound(t, uid);
	if (i < t->known && t->m[i].uid == uid) {
		*index_r = i;
		return 1;
	}
	return 0;
}

void
backend_imap_table_gone(struct backend_imap_table *t, size_t index)
{
	if (index >= t->n || (t->m[index].st & BACKEND_IMAP_MSG_GONE))
		return;
	t->m[index].st |= BACKEND_IMAP_MSG_GONE;
	fen_add(t, index, -1);
	t->live--;
}

int
backend_imap_table_set_uid(struct backend_imap_table *t, size_t index, uint32_t uid)
{
	size_t first = t->known;

	/* Dead placeholders before the first live one are passed over. */
	while (first < t->n && (t->m[first].st & BACKEND_IMAP_MSG_GONE))
		first++;
	if (index != first || index >= t->n || uid == 0 || uid <= backend_imap_table_max_uid(t))
		return -1;
	t->m[index].uid = uid;
	/* The skipped dead placeholders stay unknown, but nothing may look
	 * them up: move them behind the new entry. */
	if (index != t->known) {
		struct backend_imap_msg m = t->m[index];

		memmove(&t->m[t->known + 1], &t->m[t->known], (index - t->known) * sizeof(*t->m));
		t->m[t->known] = m;
		fen_rebuild(t);
	}
	t->known++;
	return 0;
}

size_t
backend_imap_table_compact(struct backend_imap_table *t)
{
	size_t w = 0, known = 0, dropped;

	for (size_t r = 0; r < t->n; r++) {
		if (t->m[r].st & BACKEND_IMAP_MSG_GONE)
			continue;
		if (r < t->known)
			known = w + 1;
		t->m[w++] = t->m[r];
	}
	dropped = t->n - w;
	t->n = w;
	t->known = known;
	if (dropped > 0)
		fen_rebuild(t);
	return dropped;
}

size_t
backend_imap_table_unknown(const struct backend_imap_table *t)
{
	size_t n = 0;

	for (size_t i = t->known; i < t->n; i++)
		if (!(t->m[i].st & BACKEND_IMAP_MSG_GONE))
			n++;
	return n;
}
