#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "base/base-xalloc.h"
#include "ui/ui-model-thread.h"
#include "ui/ui-util.h"

/* A node of the container tree: a message, or a message-ID that others
 * refer to and that is not here (msg UI_NONE). */
struct cont {
	uint32_t msg;
	uint32_t parent, child, next;
};

/* Message-ID (or subject) to index, open addressing. */
struct idmap {
	const char **keys;
	uint32_t *vals;
	size_t cap, n;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void
idmap_grow(struct idmap *m)
{
	struct idmap bigger;

	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.n = 0;
	bigger.keys = xcalloc(bigger.cap, sizeof(*bigger.keys));
	bigger.vals = xcalloc(bigger.cap, sizeof(*bigger.vals));
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (m->keys[i] == NULL)
			continue;
		j = hash_str(m->keys[i]) & (bigger.cap - 1);
		while (bigger.keys[j] != NULL)
			j = (j + 1) & (bigger.cap - 1);
		bigger.keys[j] = m->keys[i];
		bigger.vals[j] = m->vals[i];
		bigger.n++;
	}
	free(m->keys);
	free(m->vals);
	*m = bigger;
}

/* The value for key, or UI_NONE. */
static uint32_t
idmap_get(const struct idmap *m, const char *key)
{
	size_t j;

	if (m->cap == 0)
		return UI_NONE;
	j = hash_str(key) & (m->cap - 1);
	while (m->keys[j] != NULL) {
		if (strcmp(m->keys[j], key) == 0)
			return m->vals[j];
		j = (j + 1) & (m->cap - 1);
	}
	return UI_NONE;
}

/* key must outlive the map. */
static void
idmap_put(struct idmap *m, const char *key, uint32_t val)
{
	size_t j;

	if ((m->n + 1) * 2 > m->cap)
		idmap_grow(m);
	j = hash_str(key) & (m->cap - 1);
	while (m->keys[j] != NULL) {
		if (strcmp(m->keys[j], key) == 0) {
			m->vals[j] = val;
			return;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->n++;
}

static void
idmap_free(struct idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

struct builder {
	struct cont *c;
	size_t n, cap;
	struct idmap ids;
	struct arena *arena;
};

static uint32_t
cont_new(struct builder *b, uint32_t msg)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->c = xreallocarray(b->c, b->cap, sizeof(*b->c));
	}
	b->c[b->n].msg = msg;
	b->c[b->n].parent = b->c[b->n].child = b->c[b->n].next = UI_NONE;
	return (uint32_t)b->n++;
}

static uint32_t
cont_for_id(struct builder *b, const char *id)
{
	uint32_t c = idmap_get(&b->ids, id);

	if (c == UI_NONE) {
		c = cont_new(b, UI_NONE);
		idmap_put(&b->ids, id, c);
	}
	return c;
}

/* Whether making c a child of p would close a loop. */
static int
would_loop(const struct builder *b, uint32_t p, uint32_t c)
{
	for (uint32_t a = p; a != UI_NONE; a = b->c[a].parent)
		if (a == c)
			return 1;
	return 0;
}

static void
unlink_cont(struct builder *b, uint32_t c)
{
	uint32_t p = b->c[c].parent, *link;

	if (p == UI_NONE)
		return;
	for (link = &b->c[p].child; *link != UI_NONE; link = &b->c[*link].next) {
		if (*link == c) {
			*link = b->c[c].next;
			break;
		}
	}
	b->c[c].parent = UI_NONE;
	b->c[c].next = UI_NONE;
}

static void
link_cont(struct builder *b, uint32_t p, uint32_t c)
{
	b->c[c].parent = p;
	b->c[c].next = b->c[p].child;
	b->c[p].child = c;
}

/* Splits a References value into message-IDs without brackets, in the
 * arena; keeps the last UI_THREAD_REFS_MAX. */
static size_t
split_refs(struct arena *arena, const char *refs, const char **out, size_t max)
{
	size_t n = 0;
	const char *p = refs;

	while (p != NULL && *p != '\0') {
		const char *start, *end;

		while (*p == ' ' || *p == '\t' || *p == ',' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		if (*p == '<') {
			start = ++p;
			end = strchr(p, '>');
			if (end == NULL)
				end = p + strcspn(p, " \t");
			p = *end == '>' ? end + 1 : end;
		} else {
			start = p;
			end = p + strcspn(p, " \t<,");
			p = end;
		}
		if (end == start)
			continue;
		if (n == max) {
			memmove(out, out + 1, (max - 1) * sizeof(*out));
			n--;
		}
		out[n++] = arena_strndup(arena, start, (size_t)(end - start));
	}
	return n;
}

static const struct ui_msg *sort_msgs;

static int
by_date(const void *a, const void *b)
{
	const struct ui_msg *x = &sort_msgs[*(const uint32_t *)a];
	const struct ui_msg *y = &sort_msgs[*(const uint32_t *)b];

	if (x->s.date != y->s.date)
		return x->s.date < y->s.date ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int
is_reply_subject(const char *s)
{
	return s != NULL && ui_subject_base(s) != s + strspn(s, " \t");
}

uint32_t *
ui_thread_build(struct ui_msg *msgs, size_t count, size_t *nroots_r)
{
	struct builder b;
	const char *refs[UI_THREAD_REFS_MAX + 1];
	uint32_t *mcont = xcalloc(count ? count : 1, sizeof(*mcont));
	uint32_t *order, *tail, *roots, *top = NULL;
	struct idmap subjects = {NULL, NULL, 0, 0}, leaders = {NULL, NULL, 0, 0};
	size_t norder = 0, nroots = 0, i;

	memset(&b, 0, sizeof(b));
	b.arena = arena_new();
	for (i = 0; i < count; i++) {
		struct ui_msg *m = &msgs[i];
		const char *id = m->s.message_id;
		uint32_t c, prev = UI_NONE;
		size_t nrefs;

		m->parent = m->child = m->next = UI_NONE;
		m->depth = 0;
		m->descendants = 0;
		m->fake_parent = 0;
		mcont[i] = UI_NONE;
		if (!m->loaded)
			continue;
		c = id != NULL && *id != '\0' ? idmap_get(&b.ids, id) : UI_NONE;
		if (c != UI_NONE && b.c[c].msg == UI_NONE) {
			b.c[c].msg = (uint32_t)i;
		} else {
			/* No ID, or the same ID twice: the second copy stands alone. */
			int dup = c != UI_NONE;

			c = cont_new(&b, (uint32_t)i);
			if (!dup && id != NULL && *id != '\0')
				idmap_put(&b.ids, id, c);
		}
		mcont[i] = c;
		nrefs = split_refs(b.arena, m->s.references, refs, UI_THREAD_REFS_MAX);
		if (m->s.in_reply_to != NULL && *m->s.in_reply_to != '\0' &&
		    (nrefs == 0 || strcmp(refs[nrefs - 1], m->s.in_reply_to) != 0)) {
			if (nrefs == UI_THREAD_REFS_MAX) {
				memmove(refs, refs + 1, (nrefs - 1) * sizeof(*refs));
				nrefs--;
			}
			refs[nrefs++] = m->s.in_reply_to;
		}
		for (size_t r = 0; r < nrefs; r++) {
			uint32_t rc = cont_for_id(&b, refs[r]);

			if (prev != UI_NONE && rc != prev && b.c[rc].parent == UI_NONE &&
			    !would_loop(&b, prev, rc))
				link_cont(&b, prev, rc);
			prev = rc;
		}
		if (prev != UI_NONE && prev != c && !would_loop(&b, prev, c)) {
			unlink_cont(&b, c);
			link_cont(&b, prev, c);
		}
	}

	/* From containers to messages: the nearest ancestor that is here. */
	top = xcalloc(count ? count : 1, sizeof(*top));
	for (i = 0; i < count; i++) {
		uint32_t a, last_dummy = UI_NONE;

		top[i] = UI_NONE;
		if (mcont[i] == UI_NONE)
			continue;
		for (a = b.c[mcont[i]].parent; a != UI_NONE && b.c[a].msg == UI_NONE;
		     a = b.c[a].parent)
			last_dummy = a;
		if (a != UI_NONE) {
			msgs[i].parent = b.c[a].msg;
			msgs[i].fake_parent = last_dummy != UI_NONE;
		} else {
			top[i] = last_dummy;
		}
	}

	order = xcalloc(count ? count : 1, sizeof(*order));
	for (i = 0; i < count; i++)
		if (msgs[i].loaded)
			order[norder++] = (uint32_t)i;
	sort_msgs = msgs;
	qsort(order, norder, sizeof(*order), by_date);

	/* Messages whose nearest ancestor is missing: the earliest of those
	 * under one missing ancestor leads, the others hang from it. */
	for (i = 0; i < norder; i++) {
		uint32_t m = order[i], lead;
		char key[24];

		if (top[m] == UI_NONE)
			continue;
		snprintf(key, sizeof(key), "%u", top[m]);
		lead = idmap_get(&leaders, key);
		if (lead == UI_NONE) {
			idmap_put(&leaders, arena_strdup(b.arena, key), m);
		} else {
			msgs[m].parent = lead;
			msgs[m].fake_parent = 1;
		}
	}

	/* Replies without references join the thread of their subject. */
	for (i = 0; i < norder; i++) {
		struct ui_msg *m = &msgs[order[i]];
		char low[256];

		if (m->parent != UI_NONE || is_reply_subject(m->s.subject))
			continue;
		ui_lower_copy(low, sizeof(low), ui_subject_base(m->s.subject));
		if (low[0] != '\0' && idmap_get(&subjects, low) == UI_NONE)
			idmap_put(&subjects, arena_strdup(b.arena, low), order[i]);
	}
	for (i = 0; i < norder; i++) {
		struct ui_msg *m = &msgs[order[i]];
		char low[256];
		uint32_t r;

		if (m->parent != UI_NONE || !is_reply_subject(m->s.subject) ||
		    (m->s.references != NULL && *m->s.references != '\0') ||
		    (m->s.in_reply_to != NULL && *m->s.in_reply_to != '\0'))
			continue;
		ui_lower_copy(low, sizeof(low), ui_subject_base(m->s.subject));
		r = idmap_get(&subjects, low);
		if (r != UI_NONE && r != order[i] && msgs[r].parent == UI_NONE) {
			m->parent = r;
			m->fake_parent = 1;
		}
	}

	/* Child lists in date order, roots in date order. */
	tail = xcalloc(count ? count : 1, sizeof(*tail));
	for (i = 0; i < count; i++)
		tail[i] = UI_NONE;
	roots = xcalloc(norder ? norder : 1, sizeof(*roots));
	for (i = 0; i < norder; i++) {
		uint32_t m = order[i], p = msgs[m].parent;

		if (p == UI_NONE) {
			roots[nroots++] = m;
			continue;
		}
		if (tail[p] == UI_NONE)
			msgs[p].child = m;
		else
			msgs[tail[p]].next = m;
		tail[p] = m;
	}

	/* Depths and sizes, without recursion: threads may be very deep. */
	for (i = 0; i < nroots; i++) {
		uint32_t m = roots[i];

		msgs[m].depth = 0;
		while (m != UI_NONE) {
			if (msgs[m].child != UI_NONE) {
				uint32_t c = msgs[m].child;

				msgs[c].depth = msgs[m].depth + 1;
				m = c;
				continue;
			}
			/* Leaf: climb while there is no next sibling, counting. */
			while (m != UI_NONE) {
				uint32_t p = msgs[m].parent;

				if (p != UI_NONE)
					msgs[p].descendants += msgs[m].descendants + 1;
				if (m == roots[i]) {
					m = UI_NONE;
					break;
				}
				if (msgs[m].next != UI_NONE) {
					uint32_t nx = msgs[m].next;

					msgs[nx].depth = msgs[m].depth;
					m = nx;
					break;
				}
				m = p;
			}
		}
	}

	free(tail);
	free(order);
	free(top);
	free(mcont);
	free(b.c);
	idmap_free(&b.ids);
	idmap_free(&subjects);
	idmap_free(&leaders);
	arena_free(&b.arena);
	*nroots_r = nroots;
	return roots;
}
