/* The index model: sorting, JWZ threading with real-world shapes
 * (missing parents, loops, duplicate IDs, In-Reply-To only, subject
 * grouping), collapsing, limits, placeholders and the cursor. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/base-str.h"
#include "test-common.h"
#include "ui/ui-format.h"
#include "ui/ui-model-index.h"
#include "ui/ui-width.h"

struct spec {
	const char *id, *refs, *irt, *subject, *from;
	long date;
	unsigned flags;
};

static struct ui_index *
make(const struct spec *sp, size_t n)
{
	struct ui_index *idx = ui_index_new(n);
	struct mime_summary *s = calloc(n, sizeof(*s));

	for (size_t i = 0; i < n; i++) {
		s[i].id = i + 1;
		s[i].message_id = sp[i].id;
		s[i].references = sp[i].refs;
		s[i].in_reply_to = sp[i].irt;
		s[i].subject = sp[i].subject;
		s[i].from_name = sp[i].from;
		s[i].from_addr = "x@example.org";
		s[i].date = 1700000000 + sp[i].date * 60;
		s[i].received = 1700000000 + (long)(n - i) * 60;
		s[i].size = (sp[i].date % 7) * 100;
		s[i].flags = sp[i].flags;
	}
	ui_index_add(idx, 0, s, n);
	free(s);
	idx->ascii_tree = 1;
	return idx;
}

/* The rows as "subject:tree" lines joined by '|'. */
static const char *
rows(struct ui_index *idx)
{
	static struct str out;

	str_reset(&out);
	ui_index_rebuild(idx);
	for (size_t r = 0; r < idx->nrows; r++) {
		const struct ui_msg *m = ui_index_row_msg(idx, r);

		if (r > 0)
			str_append(&out, "|");
		if (m == NULL) {
			str_append(&out, "?");
			continue;
		}
		str_append(&out, m->tree);
		str_append(&out, m->s.subject);
	}
	return out.s ? out.s : "";
}

static void
test_sorting(void)
{
	static const struct spec sp[] = {
	    {"1@x", "", "", "Charlie", "Carol", 30, MIME_FLAG_SEEN},
	    {"2@x", "", "", "Re: alpha", "alice", 10, MIME_FLAG_SEEN},
	    {"3@x", "", "", "bravo", "Bob", 20, 0},
	};
	struct ui_index *idx = make(sp, 3);

	test_begin("sorting");
	ui_index_set_sort(idx, UI_SORT_DATE, 0);
	test_assert_str(rows(idx), "Re: alpha|bravo|Charlie");
	ui_index_set_sort(idx, UI_SORT_DATE, 1);
	test_assert_str(rows(idx), "Charlie|bravo|Re: alpha");
	ui_index_set_sort(idx, UI_SORT_SUBJECT, 0);
	test_assert_str(rows(idx), "Re: alpha|bravo|Charlie");
	ui_index_set_sort(idx, UI_SORT_FROM, 0);
	test_assert_str(rows(idx), "Re: alpha|bravo|Charlie");
	ui_index_set_sort(idx, UI_SORT_RECEIVED, 0);
	test_assert_str(rows(idx), "bravo|Re: alpha|Charlie");
	ui_index_set_sort(idx, UI_SORT_ORDER, 0);
	test_assert_str(rows(idx), "Charlie|Re: alpha|bravo");
	ui_index_set_sort(idx, UI_SORT_SIZE, 0);
	test_assert_str(rows(idx), "Charlie|Re: alpha|bravo");
	/* The cursor starts on the first unread message. */
	ui_index_set_sort(idx, UI_SORT_DATE, 0);
	rows(idx);
	test_assert_str(ui_index_current(idx)->s.subject, "bravo");
	ui_index_free(&idx);
	test_end();
}

static void
test_sort_words(void)
{
	enum ui_sort s;
	int rev;

	test_begin("sort words");
	test_assert(ui_sort_parse("reverse-threads", &s, &rev) == 0);
	test_assert_int(s, UI_SORT_THREADS);
	test_assert_int(rev, 1);
	test_assert(ui_sort_parse("date-received", &s, &rev) == 0);
	test_assert_int(s, UI_SORT_RECEIVED);
	test_assert_int(rev, 0);
	test_assert(ui_sort_parse("bogus", &s, &rev) < 0);
	test_assert_str(ui_sort_name(UI_SORT_ORDER), "mailbox-order");
	test_end();
}

static void
test_threads_basic(void)
{
	/* A root, two replies, a reply to a reply, a later thread. */
	static const struct spec sp[] = {
	    {"r@x", "", "", "Plan", "a", 1, 0},
	    {"c1@x", "<r@x>", "r@x", "Re: Plan", "b", 2, 0},
	    {"other@x", "", "", "Lunch", "c", 3, 0},
	    {"c2@x", "<r@x>", "", "Re: Plan", "c", 4, 0},
	    {"g1@x", "<r@x> <c1@x>", "c1@x", "Re: Plan", "a", 5, 0},
	    {"c3@x", "<r@x>", "r@x", "Changed subject", "d", 6, 0},
	};
	struct ui_index *idx = make(sp, 6);

	test_begin("threads");
	ui_index_set_sort(idx, UI_SORT_THREADS, 0);
	test_assert_str(rows(idx), "Plan|"
	                           "|->Re: Plan|"
	                           "| `->Re: Plan|"
	                           "|->Re: Plan|"
	                           "`->Changed subject|"
	                           "Lunch");
	test_assert_int(idx->msgs[0].descendants, 4);
	test_assert_int(idx->msgs[4].depth, 2);
	/* Repeated subjects are hidden in the index format. */
	test_assert(!idx->msgs[1].subject_changed);
	test_assert(idx->msgs[5].subject_changed);
	ui_index_set_sort(idx, UI_SORT_THREADS, 1);
	test_assert_str(rows(idx), "Lunch|Plan|"
	                           "|->Re: Plan|"
	                           "| `->Re: Plan|"
	                           "|->Re: Plan|"
	                           "`->Changed subject");
	ui_index_free(&idx);
	test_end();
}

static void
test_threads_missing(void)
{
	/* The root is missing: two replies to it are grouped under the
	 * earlier one; a missing middle message is skipped. */
	static const struct spec sp[] = {
	    {"b@x", "<gone@x>", "gone@x", "Re: Lost", "b", 2, 0},
	    {"c@x", "<gone@x>", "", "Re: Lost", "c", 3, 0},
	    {"top@x", "", "", "Top", "a", 5, 0},
	    {"deep@x", "<top@x> <missing-middle@x>", "missing-middle@x", "Re: Top", "d", 6, 0},
	};
	struct ui_index *idx = make(sp, 4);

	test_begin("threads with missing messages");
	ui_index_set_sort(idx, UI_SORT_THREADS, 0);
	test_assert_str(rows(idx), "Re: Lost|`-?Re: Lost|Top|`-?Re: Top");
	test_assert(idx->msgs[3].fake_parent);
	test_assert_int(idx->msgs[3].parent, 2);
	ui_index_free(&idx);
	test_end();
}

static void
test_threads_loops(void)
{
	/* References that loop, a message referring to itself, duplicate
	 * Message-IDs and messages without any. */
	static const struct spec sp[] = {
	    {"a@x", "<b@x>", "b@x", "A", "a", 1, 0},
	    {"b@x", "<a@x>", "a@x", "B", "b", 2, 0},
	    {"self@x", "<self@x>", "self@x", "Self", "c", 3, 0},
	    {"dup@x", "", "", "Dup one", "d", 4, 0},
	    {"dup@x", "", "", "Dup two", "d", 5, 0},
	    {"", "", "", "No id", "e", 6, 0},
	    {"r@x", "<dup@x>", "dup@x", "Re: Dup one", "f", 7, 0},
	};
	struct ui_index *idx = make(sp, 7);
	const char *r;

	test_begin("threads with loops and duplicates");
	ui_index_set_sort(idx, UI_SORT_THREADS, 0);
	r = rows(idx);
	test_assert_int(idx->nrows, 7);
	/* a and b form one thread of two, whichever way round. */
	test_assert(strstr(r, "A|`->B") != NULL || strstr(r, "B|`->A") != NULL);
	test_assert(strstr(r, "|Self|") != NULL);
	test_assert(strstr(r, "Dup one|`->Re: Dup one|Dup two|No id") != NULL);
	ui_index_free(&idx);
	test_end();
}

static void
test_threads_subject(void)
{
	/* A reply without any references joins the thread of its subject;
	 * one with references it cannot find stays on its own. */
	static const struct spec sp[] = {
	    {"a@x", "", "", "Meeting", "a", 1, 0},
	    {"b@x", "", "", "Re: Meeting", "b", 2, 0},
	    {"c@x", "", "", "RE: meeting", "c", 3, 0},
	    {"d@x", "", "", "Fwd: Something else", "d", 4, 0},
	};
	struct ui_index *idx = make(sp, 4);

	test_begin("threads by subject");
	ui_index_set_sort(idx, UI_SORT_THREADS, 0);
	test_assert_str(rows(idx), "Meeting|"
	                           "|-?Re: Meeting|"
	                           "`-?RE: meeting|"
	                           "Fwd: Something else");
	ui_index_free(&idx);
	test_end();
}

static void
test_threads_in_reply_to(void)
{
	/* Only In-Reply-To, and a long chain deeper than the tree draws. */
	static struct spec sp[40];
	static char ids[40][16], irts[40][16];
	struct ui_index *idx;

	test_begin("deep chains");
	for (int i = 0; i < 40; i++) {
		snprintf(ids[i], sizeof(ids[i]), "m%d@x", i);
		snprintf(irts[i], sizeof(irts[i]), "m%d@x", i - 1);
		sp[i].id = ids[i];
		sp[i].refs = "";
		sp[i].irt = i > 0 ? irts[i] : "";
		sp[i].subject = "Chain";
		sp[i].from = "a";
		sp[i].date = i;
	}
	idx = make(sp, 40);
	ui_index_set_sort(idx, UI_SORT_THREADS, 0);
	rows(idx);
	test_assert_int(idx->msgs[39].depth, 39);
	test_assert_int(idx->msgs[0].descendants, 39);
	test_assert(strlen(idx->msgs[39].tree) < 80);
	test_assert_int(idx->msgs[39].row, 39);
	ui_index_free(&idx);
	test_end();
}

static void
test_collapse(void)
{
	static const struct spec sp[] = {
	    {"r@x", "", "", "Plan", "a", 1, MIME_FLAG_SEEN},
	    {"c1@x", "<r@x>", "", "Re: Plan", "b", 2, MIME_FLAG_SEEN},
	    {"c2@x", "<r@x> <c1@x>", "", "Re: Plan", "b", 3, MIME_FLAG_SEEN},
	    {"o@x", "", "", "Other", "c", 4, MIME_FLAG_SEEN},
	    {"o2@x", "<o@x>", "", "Re: Other", "c", 5, MIME_FLAG_SEEN},
	};
	struct ui_index *idx = make(sp, 5);

	test_begin("collapse and expand");
	ui_index_set_sort(idx, UI_SORT_THREADS, 0);
	rows(idx);
	ui_index_goto(idx, 2); /* inside the first thread */
	ui_index_toggle_collapse(idx);
	test_assert_str(rows(idx), "(+2) Plan|Other|`->Re: Other");
	test_assert_int(idx->cursor, 0);
	ui_index_toggle_collapse(idx);
	test_assert_str(rows(idx), "Plan|`->Re: Plan|  `->Re: Plan|Other|`->Re: Other");
	ui_index_toggle_collapse_all(idx);
	test_assert_str(rows(idx), "(+2) Plan|(+1) Other");
	ui_index_toggle_collapse_all(idx);
	test_assert_int(idx->nrows, 5);
	ui_index_free(&idx);
	test_end();
}

static void
test_limit(void)
{
	static const struct spec sp[] = {
	    {"1@x", "", "", "foo one", "a", 1, 0},
	    {"2@x", "", "", "bar", "b", 2, MIME_FLAG_SEEN},
	    {"3@x", "", "", "foo two", "c", 3, MIME_FLAG_SEEN},
	};
	struct ui_index *idx = make(sp, 3);
	struct ui_pattern *p;
	struct err err;

	test_begin("limit");
	ui_index_set_sort(idx, UI_SORT_DATE, 0);
	rows(idx);
	ui_index_goto(idx, 2);
	test_assert(ui_pattern_compile("~s foo", 0, &p, &err) == 0);
	ui_index_set_limit(idx, p, "~s foo");
	test_assert_str(rows(idx), "foo one|foo two");
	test_assert_str(ui_index_current(idx)->s.subject, "foo two");
	test_assert_str(idx->limit_text, "~s foo");
	ui_index_set_limit(idx, NULL, NULL);
	test_assert_str(rows(idx), "foo one|bar|foo two");
	test_assert_str(ui_index_current(idx)->s.subject, "foo two");
	ui_index_free(&idx);
	test_end();
}

static void
test_placeholders(void)
{
	struct ui_index *idx = ui_index_new(6);
	struct mime_summary s[2];

	test_begin("placeholders while loading");
	memset(s, 0, sizeof(s));
	s[0].subject = "five";
	s[0].date = 50;
	s[1].subject = "six";
	s[1].date = 60;
	s[1].flags = MIME_FLAG_SEEN;
	s[0].flags = MIME_FLAG_SEEN;
	/* The newest arrive first. */
	ui_index_add(idx, 4, s, 2);
	test_assert_str(rows(idx), "?|?|?|?|five|six");
	test_assert_int(idx->counts.loaded, 2);
	test_assert_int(idx->cursor, 5);
	ui_index_set_sort(idx, UI_SORT_DATE, 1);
	test_assert_str(rows(idx), "six|five|?|?|?|?");
	test_assert(ui_index_row_msg(idx, 3) == NULL);
	/* The cursor stays where the user put it as more arrive. */
	ui_index_goto(idx, 1);
	s[0].subject = "one";
	s[0].date = 10;
	ui_index_add(idx, 0, s, 1);
	test_assert_str(rows(idx), "six|five|one|?|?|?");
	test_assert_str(ui_index_current(idx)->s.subject, "five");
	ui_index_free(&idx);
	test_end();
}

static void
test_cursor(void)
{
	struct ui_index *idx = ui_index_new(100);
	struct mime_summary s[100];

	test_begin("cursor and scrolling");
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 100; i++) {
		s[i].date = i;
		s[i].flags = MIME_FLAG_SEEN;
		s[i].subject = "x";
	}
	ui_index_add(idx, 0, s, 100);
	ui_index_set_height(idx, 10);
	ui_index_rebuild(idx);
	test_assert_int(idx->cursor, 99);
	test_assert_int(idx->top, 90);
	ui_index_goto(idx, 0);
	test_assert_int(idx->top, 0);
	ui_index_page(idx, 1, 0);
	test_assert_int(idx->top, 10);
	test_assert_int(idx->cursor, 10);
	ui_index_page(idx, 1, 1);
	test_assert_int(idx->top, 15);
	ui_index_move(idx, -1);
	test_assert_int(idx->cursor, 14);
	test_assert_int(idx->top, 14);
	ui_index_goto(idx, 1000);
	test_assert_int(idx->cursor, 99);
	ui_index_page(idx, 1, 0);
	test_assert_int(idx->cursor, 99);
	test_assert_int(ui_index_find(idx, 1, 0, NULL, NULL), -1);
	test_assert_int(ui_index_find(idx, 1, 1, NULL, NULL), 0);
	ui_index_free(&idx);
	test_end();
}

static void
test_counts(void)
{
	static const struct spec sp[] = {
	    {"1@x", "", "", "a", "a", 1, MIME_FLAG_RECENT},
	    {"2@x", "", "", "b", "b", 2, MIME_FLAG_SEEN},
	    {"3@x", "", "", "c", "c", 3, 0},
	};
	struct ui_index *idx = make(sp, 3);

	test_begin("counts");
	test_assert_int(idx->counts.total, 3);
	test_assert_int(idx->counts.unread, 2);
	test_assert_int(idx->counts.new_, 1);
	ui_index_set_flags(idx, &idx->msgs[1], MIME_FLAG_DELETED | MIME_FLAG_FLAGGED, 0);
	ui_index_set_flags(idx, &idx->msgs[0], MIME_FLAG_SEEN, MIME_FLAG_RECENT);
	ui_index_set_tag(idx, &idx->msgs[2], 1);
	test_assert_int(idx->counts.deleted, 1);
	test_assert_int(idx->counts.flagged, 1);
	test_assert_int(idx->counts.unread, 1);
	test_assert_int(idx->counts.new_, 0);
	test_assert_int(idx->counts.tagged, 1);
	ui_index_set_tag(idx, &idx->msgs[2], 0);
	test_assert_int(idx->counts.tagged, 0);
	ui_index_free(&idx);
	test_end();
}

static void
test_grow(void)
{
	static const struct spec sp[] = {
	    {"1@x", "", "", "old", "a", 1, MIME_FLAG_SEEN},
	    {"2@x", "", "", "older", "b", 0, MIME_FLAG_SEEN},
	};
	struct ui_index *idx = make(sp, 2);
	struct mime_summary s;

	test_begin("new mail grows the list");
	ui_index_set_sort(idx, UI_SORT_DATE, 0);
	test_assert_str(rows(idx), "older|old");
	ui_index_goto(idx, 0);
	ui_index_grow(idx, 3);
	test_assert_int(idx->counts.total, 3);
	test_assert_str(rows(idx), "?|older|old");
	memset(&s, 0, sizeof(s));
	s.subject = "new";
	s.date = 1700000000 + 600;
	ui_index_add(idx, 2, &s, 1);
	test_assert_str(rows(idx), "older|old|new");
	test_assert_str(ui_index_current(idx)->s.subject, "older");
	ui_index_grow(idx, 2);
	test_assert_int(idx->count, 3);
	ui_index_free(&idx);
	test_end();
}

/* A small deterministic generator: the same messages on every run. */
static unsigned long merge_seed;

static unsigned
merge_rand(unsigned n)
{
	merge_seed = merge_seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)((merge_seed >> 33) % n);
}

#define MERGE_N 700

static struct mime_summary merge_msgs[MERGE_N];
static char merge_ids[MERGE_N][24], merge_refs[MERGE_N][24];

static void
merge_make_msgs(void)
{
	static const char *const subjects[] = {"alpha",        "Re: alpha", "bravo", "Re: bravo",
	                                       "Fwd: charlie", "delta",     ""};
	static const char *const names[] = {"Ann", "bob", "", "Carl", "ann"};

	merge_seed = 7;
	for (size_t i = 0; i < MERGE_N; i++) {
		struct mime_summary *s = &merge_msgs[i];

		memset(s, 0, sizeof(*s));
		snprintf(merge_ids[i], sizeof(merge_ids[i]), "<%zu@x>", i);
		s->id = i + 1;
		s->message_id = merge_ids[i];
		/* Replies to an earlier message (sometimes a missing one). */
		if (i > 0 && merge_rand(3) == 0) {
			snprintf(merge_refs[i], sizeof(merge_refs[i]), "<%u@x>",
			         merge_rand(4) == 0 ? MERGE_N + 1 : merge_rand((unsigned)i));
			s->references = merge_refs[i];
		}
		s->subject = subjects[merge_rand(7)];
		s->from_name = names[merge_rand(5)];
		s->from_addr = merge_rand(2) ? "z@example.org" : "a@example.org";
		s->to = merge_rand(2) ? "list@example.org" : "Me <me@example.org>";
		/* Few distinct values, so ties are frequent. */
		s->date = 1700000000 + (long)merge_rand(40) * 3600;
		s->received = 1700000000 + (long)merge_rand(60) * 60;
		s->size = merge_rand(9) * 1000;
		s->flags = merge_rand(3) ? MIME_FLAG_SEEN : 0;
	}
}

/* Rows equal those of an index that got the same loaded messages at once
 * and sorted them from scratch; trees too. */
static int
merge_same_as_full(struct ui_index *idx, const unsigned char *loaded, const char *limit)
{
	struct ui_index *ref = ui_index_new(MERGE_N);
	struct ui_pattern *p = NULL;
	struct err err;
	int same = 1;

	for (size_t i = 0; i < MERGE_N; i++)
		if (loaded[i])
			ui_index_add(ref, i, &merge_msgs[i], 1);
	ref->ascii_tree = 1;
	ui_index_set_sort(ref, idx->sort, idx->reverse);
	if (limit != NULL && ui_pattern_compile(limit, 0, &p, &err) == 0)
		ui_index_set_limit(ref, p, limit);
	ui_index_rebuild(ref);
	if (ref->nrows != idx->nrows)
		same = 0;
	for (size_t r = 0; same && r < idx->nrows; r++) {
		const struct ui_msg *a = &idx->msgs[idx->rows[r]];
		const struct ui_msg *b = &ref->msgs[ref->rows[r]];

		if (idx->rows[r] != ref->rows[r] || a->row != r || strcmp(a->tree, b->tree) != 0 ||
		    a->subject_changed != b->subject_changed)
			same = 0;
	}
	ui_index_free(&ref);
	return same;
}

/* Loads the messages in windows as the loop does (newest first, then
 * older windows), with a rebuild after each, checking every step against
 * a full sort. */
static void
merge_run(enum ui_sort sort, int reverse, const char *limit, int shuffled)
{
	struct ui_index *idx = ui_index_new(MERGE_N);
	unsigned char loaded[MERGE_N];
	struct ui_pattern *p = NULL;
	struct err err;
	size_t order[MERGE_N], done = 0;
	int same = 1, merged = 1, kept = 1;
	uint32_t held = UI_NONE;

	memset(loaded, 0, sizeof(loaded));
	for (size_t i = 0; i < MERGE_N; i++)
		order[i] = MERGE_N - 1 - i;
	if (shuffled)
		for (size_t i = MERGE_N - 1; i > 0; i--) {
			size_t j = merge_rand((unsigned)i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
	idx->ascii_tree = 1;
	ui_index_set_sort(idx, sort, reverse);
	if (limit != NULL && ui_pattern_compile(limit, 0, &p, &err) == 0)
		ui_index_set_limit(idx, p, limit);
	ui_index_set_height(idx, 20);
	ui_index_rebuild(idx);
	while (done < MERGE_N) {
		size_t b = done == 0 ? 20 : 1 + merge_rand(120);

		if (b > MERGE_N - done)
			b = MERGE_N - done;
		for (size_t k = 0; k < b; k++) {
			size_t i = order[done + k];

			ui_index_add(idx, i, &merge_msgs[i], 1);
			loaded[i] = 1;
		}
		done += b;
		if (sort != UI_SORT_THREADS && sort != UI_SORT_ORDER &&
		    (idx->full || idx->nfresh == 0))
			merged = 0;
		ui_index_rebuild(idx);
		if (held != UI_NONE && ui_index_current(idx) != &idx->msgs[held])
			kept = 0;
		if (!merge_same_as_full(idx, loaded, limit))
			same = 0;
		/* From the third batch on the user has moved: the cursor must
		 * stay on its message. */
		if (done > 100 && held == UI_NONE && idx->nrows > 3) {
			ui_index_goto(idx, 3);
			if (ui_index_current(idx) != NULL)
				held = (uint32_t)(ui_index_current(idx) - idx->msgs);
		}
	}
	test_assert(same);
	test_assert(merged);
	test_assert(kept);
	ui_index_free(&idx);
}

static void
test_merge(void)
{
	merge_make_msgs();
	for (int sort = 0; sort < UI_SORT_COUNT; sort++) {
		for (int reverse = 0; reverse < 2; reverse++) {
			char name[96];

			snprintf(name, sizeof(name), "batches merged like a full sort: %s%s",
			         reverse ? "reverse-" : "", ui_sort_name((enum ui_sort)sort));
			test_begin(name);
			merge_run((enum ui_sort)sort, reverse, NULL, 0);
			merge_run((enum ui_sort)sort, reverse, NULL, 1);
			merge_run((enum ui_sort)sort, reverse, "~s alpha | ~N", 1);
			test_end();
		}
	}
}

/* A summary that changes a loaded message (a new date) moves it. */
static void
test_merge_update(void)
{
	static const struct spec sp[] = {
	    {"1@x", "", "", "one", "a", 1, 0},
	    {"2@x", "", "", "two", "b", 2, 0},
	    {"3@x", "", "", "three", "c", 3, 0},
	};
	struct ui_index *idx = make(sp, 3);
	struct mime_summary s = {0};

	test_begin("a changed summary is sorted again");
	ui_index_set_sort(idx, UI_SORT_DATE, 0);
	test_assert_str(rows(idx), "one|two|three");
	s.subject = "one";
	s.date = 1700000000 + 10 * 60;
	ui_index_add(idx, 0, &s, 1);
	test_assert_str(rows(idx), "two|three|one");
	ui_index_free(&idx);
	test_end();
}

/* While a folder loads the cursor stays on the newest message; once all
 * has come, it goes to the first unread one. */
static void
test_cursor_loading(void)
{
	struct ui_index *idx = ui_index_new(40);
	struct mime_summary s[40];

	test_begin("cursor on the newest while loading");
	memset(s, 0, sizeof(s));
	for (int i = 0; i < 40; i++) {
		s[i].date = i;
		s[i].flags = i == 25 || i == 3 ? 0 : MIME_FLAG_SEEN;
		s[i].subject = "x";
	}
	ui_index_set_height(idx, 5);
	ui_index_add(idx, 20, s + 20, 20);
	ui_index_rebuild(idx);
	test_assert_int(idx->cursor, 39);
	test_assert_int(idx->top, 35);
	ui_index_add(idx, 0, s, 20);
	ui_index_rebuild(idx);
	test_assert_int(idx->cursor, 3);
	ui_index_free(&idx);
	test_end();
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	ui_width_init();
	test_sorting();
	test_sort_words();
	test_threads_basic();
	test_threads_missing();
	test_threads_loops();
	test_threads_subject();
	test_threads_in_reply_to();
	test_collapse();
	test_limit();
	test_placeholders();
	test_cursor();
	test_counts();
	test_grow();
	test_merge();
	test_merge_update();
	test_cursor_loading();
	return test_done();
}
