#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-xalloc.h"
#include "ui/ui-model-index.h"
#include "ui/ui-model-thread.h"
#include "ui/ui-util.h"

/* Deeper levels of a thread are drawn at this depth, so a tree prefix
 * stays short however long the chain of replies. */
#define TREE_DEPTH_MAX 24

static const char *const sort_names[UI_SORT_COUNT] = {
    [UI_SORT_DATE] = "date",       [UI_SORT_RECEIVED] = "date-received", [UI_SORT_FROM] = "from",
    [UI_SORT_TO] = "to",           [UI_SORT_SUBJECT] = "subject",        [UI_SORT_SIZE] = "size",
    [UI_SORT_THREADS] = "threads", [UI_SORT_ORDER] = "mailbox-order",
};

const char *
ui_sort_name(enum ui_sort sort)
{
	return (unsigned)sort < UI_SORT_COUNT ? sort_names[sort] : "?";
}

int
ui_sort_parse(const char *word, enum ui_sort *sort_r, int *reverse_r)
{
	int reverse = 0;

	if (strncmp(word, "reverse-", 8) == 0) {
		reverse = 1;
		word += 8;
	}
	for (int i = 0; i < UI_SORT_COUNT; i++) {
		if (strcmp(word, sort_names[i]) == 0) {
			*sort_r = (enum ui_sort)i;
			*reverse_r = reverse;
			return 0;
		}
	}
	return -1;
}

struct ui_index *
ui_index_new(size_t count)
{
	struct ui_index *idx = xcalloc(1, sizeof(*idx));

	idx->arena = arena_new();
	idx->tree_arena = arena_new();
	idx->count = count;
	idx->msgs = xcalloc(count ? count : 1, sizeof(*idx->msgs));
	for (size_t i = 0; i < count; i++) {
		idx->msgs[i].index = (uint32_t)i;
		idx->msgs[i].row = UI_NONE;
		idx->msgs[i].parent = idx->msgs[i].child = idx->msgs[i].next = UI_NONE;
		idx->msgs[i].tree = "";
	}
	idx->rows = xcalloc(count ? count : 1, sizeof(*idx->rows));
	idx->sorted = xcalloc(count ? count : 1, sizeof(*idx->sorted));
	idx->fresh = xcalloc(count ? count : 1, sizeof(*idx->fresh));
	idx->spare = xcalloc(count ? count : 1, sizeof(*idx->spare));
	idx->counts.total = count;
	idx->dirty = 1;
	idx->full = 1;
	return idx;
}

void
ui_index_grow(struct ui_index *idx, size_t count)
{
	if (count <= idx->count)
		return;
	idx->msgs = xreallocarray(idx->msgs, count, sizeof(*idx->msgs));
	idx->rows = xreallocarray(idx->rows, count, sizeof(*idx->rows));
	idx->sorted = xreallocarray(idx->sorted, count, sizeof(*idx->sorted));
	idx->fresh = xreallocarray(idx->fresh, count, sizeof(*idx->fresh));
	idx->spare = xreallocarray(idx->spare, count, sizeof(*idx->spare));
	memset(idx->msgs + idx->count, 0, (count - idx->count) * sizeof(*idx->msgs));
	for (size_t i = idx->count; i < count; i++) {
		idx->msgs[i].index = (uint32_t)i;
		idx->msgs[i].row = UI_NONE;
		idx->msgs[i].parent = idx->msgs[i].child = idx->msgs[i].next = UI_NONE;
		idx->msgs[i].tree = "";
	}
	idx->count = count;
	idx->counts.total = count;
	idx->dirty = 1;
}

void
ui_index_free(struct ui_index **idxp)
{
	struct ui_index *idx = *idxp;

	if (idx == NULL)
		return;
	arena_free(&idx->arena);
	arena_free(&idx->tree_arena);
	ui_pattern_free(&idx->limit);
	free(idx->limit_text);
	free(idx->msgs);
	free(idx->rows);
	free(idx->sorted);
	free(idx->fresh);
	free(idx->spare);
	free(idx);
	*idxp = NULL;
}

static void
count_msg(struct ui_index *idx, const struct ui_msg *m, int sign)
{
	unsigned f = m->s.flags;

	if (!m->loaded)
		return;
#define ADJ(field) (idx->counts.field = sign > 0 ? idx->counts.field + 1 : idx->counts.field - 1)
	ADJ(loaded);
	if (!(f & MIME_FLAG_SEEN)) {
		ADJ(unread);
		if (f & MIME_FLAG_RECENT)
			ADJ(new_);
	}
	if (f & MIME_FLAG_DELETED)
		ADJ(deleted);
	if (f & MIME_FLAG_FLAGGED)
		ADJ(flagged);
	if (m->tagged)
		ADJ(tagged);
#undef ADJ
}

static const char *
dup_or_empty(struct arena *a, const char *s)
{
	return s != NULL && *s != '\0' ? arena_strdup(a, s) : "";
}

void
ui_index_add(struct ui_index *idx, size_t first, const struct mime_summary *items, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		size_t i = first + k;
		struct ui_msg *m;
		const struct mime_summary *s = &items[k];

		if (i >= idx->count || i < first)
			break;
		m = &idx->msgs[i];
		/* A summary that changes a loaded message may move it: only a
		 * full rebuild takes it out of the sorted order. */
		if (m->loaded)
			idx->full = 1;
		else
			idx->fresh[idx->nfresh++] = (uint32_t)i;
		count_msg(idx, m, -1);
		m->s = *s;
		m->s.from_name = dup_or_empty(idx->arena, s->from_name);
		m->s.from_addr = dup_or_empty(idx->arena, s->from_addr);
		m->s.to = dup_or_empty(idx->arena, s->to);
		m->s.cc = dup_or_empty(idx->arena, s->cc);
		m->s.subject = dup_or_empty(idx->arena, s->subject);
		m->s.message_id = dup_or_empty(idx->arena, s->message_id);
		m->s.in_reply_to = dup_or_empty(idx->arena, s->in_reply_to);
		m->s.references = dup_or_empty(idx->arena, s->references);
		m->s.list_post = dup_or_empty(idx->arena, s->list_post);
		m->loaded = 1;
		count_msg(idx, m, 1);
	}
	idx->dirty = 1;
}

void
ui_index_set_sort(struct ui_index *idx, enum ui_sort sort, int reverse)
{
	idx->sort = sort;
	idx->reverse = reverse;
	idx->dirty = 1;
	idx->full = 1;
}

void
ui_index_set_limit(struct ui_index *idx, struct ui_pattern *pattern, const char *text)
{
	ui_pattern_free(&idx->limit);
	xfree(&idx->limit_text);
	idx->limit = pattern;
	if (pattern != NULL && text != NULL)
		idx->limit_text = xstrdup(text);
	idx->dirty = 1;
	idx->full = 1;
}

/* qsort has no context argument: the rebuild is single-threaded. */
static const struct ui_index *cmp_idx;

static int
cmp_str(const char *a, const char *b)
{
	return strcasecmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct ui_msg *a = &cmp_idx->msgs[*(const uint32_t *)pa];
	const struct ui_msg *b = &cmp_idx->msgs[*(const uint32_t *)pb];
	int c = 0;

	switch (cmp_idx->sort) {
	case UI_SORT_RECEIVED:
		c = a->s.received < b->s.received ? -1 : a->s.received > b->s.received;
		break;
	case UI_SORT_FROM:
		c = cmp_str(*a->s.from_name ? a->s.from_name : a->s.from_addr,
		            *b->s.from_name ? b->s.from_name : b->s.from_addr);
		break;
	case UI_SORT_TO:
		c = cmp_str(a->s.to, b->s.to);
		break;
	case UI_SORT_SUBJECT:
		c = cmp_str(ui_subject_base(a->s.subject), ui_subject_base(b->s.subject));
		break;
	case UI_SORT_SIZE:
		c = a->s.size < b->s.size ? -1 : a->s.size > b->s.size;
		break;
	default:
		break;
	}
	if (c == 0 && cmp_idx->sort != UI_SORT_ORDER)
		c = a->s.date < b->s.date ? -1 : a->s.date > b->s.date;
	if (c == 0)
		c = a->index < b->index ? -1 : a->index > b->index;
	return c;
}

static void
add_row(struct ui_index *idx, uint32_t m)
{
	idx->msgs[m].row = (uint32_t)idx->nrows;
	idx->rows[idx->nrows++] = m;
}

static const char *
tree_for(struct ui_index *idx, const struct ui_msg *m, const unsigned char *bits)
{
	const char *bar = idx->ascii_tree ? "| " : "\u2502 ";
	const char *tee = idx->ascii_tree ? "|-" : "\u251c\u2500";
	const char *corner = idx->ascii_tree ? "`-" : "\u2514\u2500";
	struct str t = STR_INIT;
	const char *r;
	uint32_t d = m->depth > TREE_DEPTH_MAX ? TREE_DEPTH_MAX : m->depth;

	if (m->depth == 0) {
		if (m->collapsed && m->descendants > 0)
			return arena_printf(idx->tree_arena, "(+%u) ", m->descendants);
		return "";
	}
	for (uint32_t k = 1; k < d; k++)
		str_append(&t, bits[k] ? bar : "  ");
	str_append(&t, m->next != UI_NONE ? tee : corner);
	str_append(&t, m->fake_parent ? "?" : ">");
	r = arena_strdup(idx->tree_arena, t.s);
	str_free(&t);
	return r;
}

static int
same_subject(const struct ui_index *idx, const struct ui_msg *m)
{
	if (m->parent == UI_NONE)
		return 0;
	return strcasecmp(ui_subject_base(m->s.subject),
	                  ui_subject_base(idx->msgs[m->parent].s.subject)) == 0;
}

/* Walks one thread depth first, adding its visible messages as rows. */
static void
add_thread(struct ui_index *idx, uint32_t root, unsigned char *bits)
{
	uint32_t m = root;

	for (;;) {
		struct ui_msg *x = &idx->msgs[m];

		if (x->matched) {
			x->tree = tree_for(idx, x, bits);
			x->subject_changed = !same_subject(idx, x);
			add_row(idx, m);
		}
		if (x->child != UI_NONE && !(m == root && x->collapsed)) {
			if (x->depth <= TREE_DEPTH_MAX)
				bits[x->depth] = x->next != UI_NONE;
			m = x->child;
			continue;
		}
		while (m != root && idx->msgs[m].next == UI_NONE)
			m = idx->msgs[m].parent;
		if (m == root)
			return;
		m = idx->msgs[m].next;
	}
}

static void
add_placeholders(struct ui_index *idx, int reverse)
{
	if (idx->limit != NULL)
		return;
	if (!reverse) {
		for (size_t i = 0; i < idx->count; i++)
			if (!idx->msgs[i].loaded)
				add_row(idx, (uint32_t)i);
	} else {
		for (size_t i = idx->count; i-- > 0;)
			if (!idx->msgs[i].loaded)
				add_row(idx, (uint32_t)i);
	}
}

static void
keep_visible(struct ui_index *idx)
{
	if (idx->nrows == 0) {
		idx->cursor = idx->top = 0;
		return;
	}
	if (idx->cursor >= idx->nrows)
		idx->cursor = idx->nrows - 1;
	if (idx->height == 0)
		return;
	if (idx->cursor < idx->top)
		idx->top = idx->cursor;
	if (idx->cursor >= idx->top + idx->height)
		idx->top = idx->cursor - idx->height + 1;
	if (idx->top + idx->height > idx->nrows)
		idx->top = idx->nrows > idx->height ? idx->nrows - idx->height : 0;
}

static long
initial_row(const struct ui_index *idx)
{
	/* While older summaries are still coming, the first unread message
	 * is not known yet, and the first unread one so far would bring a
	 * screen of placeholders: the newest until the folder has loaded. */
	for (size_t r = 0; idx->counts.loaded == idx->count && r < idx->nrows; r++) {
		const struct ui_msg *m = &idx->msgs[idx->rows[r]];

		if (m->loaded && !(m->s.flags & (MIME_FLAG_SEEN | MIME_FLAG_DELETED)))
			return (long)r;
	}
	if (idx->reverse)
		return 0;
	return idx->nrows > 0 ? (long)idx->nrows - 1 : 0;
}

/* Lays out the rows of a comparison sort: placeholders where the oldest
 * messages go, and the sorted messages, reversed or not. */
static void
lay_out_sorted(struct ui_index *idx)
{
	if (!idx->reverse) {
		add_placeholders(idx, 0);
		for (size_t k = 0; k < idx->nsorted; k++)
			add_row(idx, idx->sorted[k]);
	} else {
		for (size_t k = idx->nsorted; k-- > 0;)
			add_row(idx, idx->sorted[k]);
		add_placeholders(idx, 1);
	}
}

/* Every matched loaded message, sorted from scratch. */
static void
sort_all(struct ui_index *idx)
{
	idx->nsorted = 0;
	for (size_t i = 0; i < idx->count; i++)
		if (idx->msgs[i].matched)
			idx->sorted[idx->nsorted++] = (uint32_t)i;
	cmp_idx = idx;
	qsort(idx->sorted, idx->nsorted, sizeof(*idx->sorted), cmp_rows);
}

/*
 * Merges the messages loaded since the last rebuild into the sorted
 * order: the batch is sorted on its own, then each of its messages is put
 * where it goes among the older ones, so the order is the one sort_all
 * would give (cmp_rows is total).
 */
static void
merge_fresh(struct ui_index *idx)
{
	size_t nb = 0, a = 0, b = 0, out = 0;
	uint32_t *batch = idx->fresh, *t;

	for (size_t k = 0; k < idx->nfresh; k++) {
		struct ui_msg *m = &idx->msgs[idx->fresh[k]];

		m->tree = "";
		m->subject_changed = 1;
		m->matched = m->loaded && (idx->limit == NULL || ui_pattern_match(idx->limit, m));
		if (m->matched)
			batch[nb++] = idx->fresh[k];
	}
	cmp_idx = idx;
	qsort(batch, nb, sizeof(*batch), cmp_rows);
	for (; b < nb; b++) {
		size_t lo = a, hi = a, step = 1;

		/* Gallop then bisect to where batch[b] goes: a subject or
		 * sender comparison is dear, and a batch is much smaller than
		 * what is loaded, so this makes O(b log(n/b)) of them where a
		 * plain merge makes n. */
		while (hi < idx->nsorted && cmp_rows(&idx->sorted[hi], &batch[b]) < 0) {
			lo = hi + 1;
			hi += step;
			step *= 2;
		}
		if (hi > idx->nsorted)
			hi = idx->nsorted;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (cmp_rows(&idx->sorted[mid], &batch[b]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memcpy(idx->spare + out, idx->sorted + a, (lo - a) * sizeof(*idx->spare));
		out += lo - a;
		a = lo;
		idx->spare[out++] = batch[b];
	}
	memcpy(idx->spare + out, idx->sorted + a, (idx->nsorted - a) * sizeof(*idx->spare));
	out += idx->nsorted - a;
	t = idx->sorted;
	idx->sorted = idx->spare;
	idx->spare = t;
	idx->nsorted = out;
}

void
ui_index_invalidate(struct ui_index *idx)
{
	idx->dirty = 1;
	idx->full = 1;
}

void
ui_index_rebuild(struct ui_index *idx)
{
	uint32_t keep = UI_NONE;
	size_t keep_row = idx->cursor, i;
	int merge;

	if (!idx->dirty)
		return;
	if (idx->cursor < idx->nrows)
		keep = idx->rows[idx->cursor];
	merge = !idx->full && idx->sort != UI_SORT_THREADS && idx->sort != UI_SORT_ORDER;
	idx->nrows = 0;
	if (merge) {
		/* The rows only gain messages: every row is laid out again
		 * below, and the rest keep their (empty) tree links. */
		merge_fresh(idx);
		lay_out_sorted(idx);
		goto placed;
	}
	arena_reset(idx->tree_arena);
	for (i = 0; i < idx->count; i++) {
		struct ui_msg *m = &idx->msgs[i];

		m->row = UI_NONE;
		m->tree = "";
		m->subject_changed = 1;
		m->matched = m->loaded && (idx->limit == NULL || ui_pattern_match(idx->limit, m));
	}
	if (idx->sort == UI_SORT_ORDER) {
		for (size_t k = 0; k < idx->count; k++) {
			i = idx->reverse ? idx->count - 1 - k : k;
			if (idx->msgs[i].matched || (!idx->msgs[i].loaded && idx->limit == NULL))
				add_row(idx, (uint32_t)i);
		}
	} else if (idx->sort == UI_SORT_THREADS) {
		size_t nroots;
		uint32_t *roots = ui_thread_build(idx->msgs, idx->count, &nroots);
		unsigned char bits[TREE_DEPTH_MAX + 1];

		memset(bits, 0, sizeof(bits));
		if (!idx->reverse)
			add_placeholders(idx, 0);
		for (size_t k = 0; k < nroots; k++)
			add_thread(idx, roots[idx->reverse ? nroots - 1 - k : k], bits);
		if (idx->reverse)
			add_placeholders(idx, 1);
		free(roots);
	} else {
		sort_all(idx);
		lay_out_sorted(idx);
	}
	if (idx->sort != UI_SORT_THREADS)
		for (i = 0; i < idx->count; i++)
			idx->msgs[i].parent = idx->msgs[i].child = idx->msgs[i].next = UI_NONE;
placed:
	idx->nfresh = 0;
	idx->full = 0;
	if (!idx->user_moved) {
		/* Placed by us, not the user: show it from the first page on
		 * rather than where an earlier placement scrolled to. */
		idx->cursor = (size_t)initial_row(idx);
		idx->top = 0;
	} else if (keep != UI_NONE && idx->msgs[keep].row != UI_NONE) {
		idx->cursor = idx->msgs[keep].row;
	} else if (keep != UI_NONE && idx->sort == UI_SORT_THREADS) {
		/* Folded away: go to the root of its thread. */
		uint32_t r = ui_index_thread_root(idx, keep);

		idx->cursor = idx->msgs[r].row != UI_NONE ? idx->msgs[r].row : keep_row;
	} else {
		idx->cursor = keep_row;
	}
	keep_visible(idx);
	idx->dirty = 0;
}

struct ui_msg *
ui_index_row_msg(const struct ui_index *idx, size_t row)
{
	struct ui_msg *m;

	if (row >= idx->nrows)
		return NULL;
	m = &idx->msgs[idx->rows[row]];
	return m->loaded ? m : NULL;
}

struct ui_msg *
ui_index_current(const struct ui_index *idx)
{
	return ui_index_row_msg(idx, idx->cursor);
}

long
ui_index_row_of(const struct ui_index *idx, uint32_t i)
{
	if (i >= idx->count || idx->msgs[i].row == UI_NONE)
		return -1;
	return (long)idx->msgs[i].row;
}

void
ui_index_set_height(struct ui_index *idx, size_t height)
{
	idx->height = height;
	keep_visible(idx);
}

void
ui_index_goto(struct ui_index *idx, long row)
{
	if (idx->nrows == 0)
		return;
	if (row < 0)
		row = 0;
	if ((size_t)row >= idx->nrows)
		row = (long)idx->nrows - 1;
	idx->cursor = (size_t)row;
	idx->user_moved = 1;
	keep_visible(idx);
}

void
ui_index_move(struct ui_index *idx, long delta)
{
	ui_index_goto(idx, (long)idx->cursor + delta);
}

void
ui_index_page(struct ui_index *idx, int dir, int half)
{
	size_t step = idx->height > 1 ? (half ? idx->height / 2 : idx->height) : 1;

	if (idx->nrows == 0)
		return;
	if (dir > 0) {
		if (idx->top + idx->height >= idx->nrows) {
			ui_index_goto(idx, (long)idx->nrows - 1);
			return;
		}
		idx->top += step;
		if (idx->top + idx->height > idx->nrows)
			idx->top = idx->nrows - idx->height;
		idx->cursor += step;
	} else {
		if (idx->top == 0) {
			ui_index_goto(idx, 0);
			return;
		}
		idx->top = idx->top > step ? idx->top - step : 0;
		idx->cursor = idx->cursor > step ? idx->cursor - step : 0;
	}
	idx->user_moved = 1;
	keep_visible(idx);
}

long
ui_index_find(const struct ui_index *idx, int dir, int wrap, ui_index_test_fn *test,
              const void *ctx)
{
	size_t n = idx->nrows;

	for (size_t k = 1; k <= n; k++) {
		long r = (long)idx->cursor + (dir > 0 ? (long)k : -(long)k);
		const struct ui_msg *m;

		if (r < 0 || (size_t)r >= n) {
			if (!wrap)
				return -1;
			r = (r + (long)n) % (long)n;
		}
		m = ui_index_row_msg(idx, (size_t)r);
		if (m != NULL && (test == NULL || test(m, ctx)))
			return r;
	}
	return -1;
}

uint32_t
ui_index_thread_root(const struct ui_index *idx, uint32_t i)
{
	while (idx->msgs[i].parent != UI_NONE)
		i = idx->msgs[i].parent;
	return i;
}

void
ui_index_thread_each(struct ui_index *idx, uint32_t root,
                     void (*fn)(struct ui_index *idx, struct ui_msg *m, void *ctx), void *ctx)
{
	uint32_t m = root;

	for (;;) {
		fn(idx, &idx->msgs[m], ctx);
		if (idx->msgs[m].child != UI_NONE) {
			m = idx->msgs[m].child;
			continue;
		}
		while (m != root && idx->msgs[m].next == UI_NONE)
			m = idx->msgs[m].parent;
		if (m == root)
			return;
		m = idx->msgs[m].next;
	}
}

void
ui_index_toggle_collapse(struct ui_index *idx)
{
	struct ui_msg *cur = ui_index_current(idx);
	uint32_t root;

	if (cur == NULL || idx->sort != UI_SORT_THREADS)
		return;
	root = ui_index_thread_root(idx, (uint32_t)(cur - idx->msgs));
	idx->user_moved = 1;
	idx->msgs[root].collapsed = !idx->msgs[root].collapsed;
	if (idx->msgs[root].collapsed && idx->msgs[root].row != UI_NONE)
		idx->cursor = idx->msgs[root].row;
	ui_index_invalidate(idx);
	ui_index_rebuild(idx);
}

void
ui_index_toggle_collapse_all(struct ui_index *idx)
{
	int any_open = 0;
	uint32_t keep = UI_NONE;

	if (idx->sort != UI_SORT_THREADS)
		return;
	idx->user_moved = 1;
	if (ui_index_current(idx) != NULL)
		keep = ui_index_thread_root(idx, (uint32_t)(ui_index_current(idx) - idx->msgs));
	for (size_t i = 0; i < idx->count; i++)
		if (idx->msgs[i].parent == UI_NONE && idx->msgs[i].child != UI_NONE &&
		    !idx->msgs[i].collapsed)
			any_open = 1;
	for (size_t i = 0; i < idx->count; i++)
		if (idx->msgs[i].parent == UI_NONE)
			idx->msgs[i].collapsed = any_open;
	if (any_open && keep != UI_NONE && idx->msgs[keep].row != UI_NONE)
		idx->cursor = idx->msgs[keep].row;
	ui_index_invalidate(idx);
	ui_index_rebuild(idx);
}

void
ui_index_set_flags(struct ui_index *idx, struct ui_msg *m, unsigned add, unsigned remove)
{
	count_msg(idx, m, -1);
	m->s.flags = (m->s.flags | add) & ~remove;
	count_msg(idx, m, 1);
}

void
ui_index_set_tag(struct ui_index *idx, struct ui_msg *m, int tagged)
{
	count_msg(idx, m, -1);
	m->tagged = tagged != 0;
	count_msg(idx, m, 1);
}
