/*
 * ui-model-index: the message list of the open folder, without curses.
 *
 * Holds a ui_msg per message of the folder (summaries arrive in batches
 * and may come in any order; the ones not loaded yet are placeholders),
 * and turns them into rows: sorted (date, arrival, sender, recipient,
 * subject, size, folder order) or threaded (JWZ: Message-ID, References
 * and In-Reply-To, with missing parents and loops handled, and replies
 * without references grouped by subject), cut down by a limit pattern,
 * with collapsed threads folded.  Placeholders sit where the oldest
 * messages go (the top, or the bottom of a reversed list), because the
 * loop loads the newest messages first.
 *
 * The cursor stays on its message across rebuilds.  Until the user moves
 * it, it goes to the first unread message, else to the newest; while
 * summaries are missing, to the newest.
 *
 * UI thread only; pure computation.
 */
#ifndef UI_MODEL_INDEX_H
#define UI_MODEL_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-arena.h"
#include "core/core.h"
#include "ui/ui-msg.h"
#include "ui/ui-pattern.h"

enum ui_sort {
	UI_SORT_DATE,
	UI_SORT_RECEIVED,
	UI_SORT_FROM,
	UI_SORT_TO,
	UI_SORT_SUBJECT,
	UI_SORT_SIZE,
	UI_SORT_THREADS,
	UI_SORT_ORDER,
	UI_SORT_COUNT
};

/* "date", "date-received"... as the sort variable spells them. */
const char *ui_sort_name(enum ui_sort sort);
/* Parses "date", "reverse-threads"...; -1 for an unknown word. */
int ui_sort_parse(const char *word, enum ui_sort *sort_r, int *reverse_r);

struct ui_index_counts {
	size_t total, loaded, unread, new_, deleted, tagged, flagged;
};

struct ui_index {
	struct arena *arena;      /* the messages' strings */
	struct arena *tree_arena; /* tree prefixes, remade by each rebuild */
	struct ui_msg *msgs;      /* by folder order */
	size_t count;
	enum ui_sort sort;
	int reverse;
	struct ui_pattern *limit; /* owned; NULL: every message */
	char *limit_text;
	int ascii_tree; /* draw trees with ASCII (non-UTF-8 locales) */
	uint32_t *rows; /* indices into msgs, in display order */
	size_t nrows;
	size_t cursor; /* a row */
	size_t top;    /* the first row on screen */
	size_t height; /* rows on screen */
	int user_moved;
	int dirty; /* rows need a rebuild (ui_index_invalidate: from scratch) */
	/*
	 * While a folder loads, each batch of summaries is merged into the
	 * sorted order instead of sorting every loaded message again, so a
	 * rebuild costs O(n + b log b) rather than O(n log n).  sorted holds
	 * the matched loaded messages in ascending sort order (not reversed;
	 * only for the comparison sorts), fresh the messages loaded since
	 * the last rebuild, spare the merge's output.
	 */
	uint32_t *sorted, *fresh, *spare;
	size_t nsorted, nfresh;
	int full; /* the next rebuild remakes everything */
	struct ui_index_counts counts;
};

/* A list for a folder of count messages, none loaded.  Free with
 * ui_index_free. */
struct ui_index *ui_index_new(size_t count);
void ui_index_free(struct ui_index **idx);

/* The folder grew to count messages (new mail): the new ones are
 * placeholders until their summaries come.  Marks the rows dirty. */
void ui_index_grow(struct ui_index *idx, size_t count);

/* Copies n summaries for messages first..first+n-1 (those past count are
 * ignored).  Marks the rows dirty. */
void ui_index_add(struct ui_index *idx, size_t first, const struct mime_summary *items, size_t n);

void ui_index_set_sort(struct ui_index *idx, enum ui_sort sort, int reverse);
/* Takes the pattern (NULL clears the limit); text is copied for the
 * status line. */
void ui_index_set_limit(struct ui_index *idx, struct ui_pattern *pattern, const char *text);

/* Remakes the rows when dirty (sort, threads, limit, collapse), keeping
 * the cursor on its message.  When only new summaries came since the last
 * rebuild (and the sort is not threads), they are merged in: the limit is
 * tested on them alone. */
void ui_index_rebuild(struct ui_index *idx);
/* Makes the next rebuild start from scratch: the limit is tested on every
 * message again (flags may have changed) and everything re-sorted. */
void ui_index_invalidate(struct ui_index *idx);

/* The message on row r, or NULL for a placeholder or a row out of range. */
struct ui_msg *ui_index_row_msg(const struct ui_index *idx, size_t row);
/* The message under the cursor, or NULL. */
struct ui_msg *ui_index_current(const struct ui_index *idx);
/* The row showing msgs[i], or -1. */
long ui_index_row_of(const struct ui_index *idx, uint32_t i);

void ui_index_set_height(struct ui_index *idx, size_t height);
/* Moves the cursor to row (clamped) and keeps it on screen. */
void ui_index_goto(struct ui_index *idx, long row);
void ui_index_move(struct ui_index *idx, long delta);
/* Scrolls by a page (dir 1/-1) or half a page, moving the cursor along. */
void ui_index_page(struct ui_index *idx, int dir, int half);

/*
 * The next row after (dir 1) or before (dir -1) the cursor whose message
 * passes test (NULL: any message); wraps around when wrap is set.  -1
 * when none.
 */
typedef int ui_index_test_fn(const struct ui_msg *m, const void *ctx);
long ui_index_find(const struct ui_index *idx, int dir, int wrap, ui_index_test_fn *test,
                   const void *ctx);

/* The root of the thread msgs[i] is in (itself when not threaded). */
uint32_t ui_index_thread_root(const struct ui_index *idx, uint32_t i);
/* Calls fn for msgs[i]'s whole thread (every message, hidden or not). */
void ui_index_thread_each(struct ui_index *idx, uint32_t root,
                          void (*fn)(struct ui_index *idx, struct ui_msg *m, void *ctx), void *ctx);
/* Folds or unfolds the thread under the cursor; the cursor goes to its
 * root when folding.  No-op unless sorted by threads. */
void ui_index_toggle_collapse(struct ui_index *idx);
/* Folds every thread, or unfolds all when all are folded. */
void ui_index_toggle_collapse_all(struct ui_index *idx);

/* Sets and clears flag bits on a message, keeping the counts. */
void ui_index_set_flags(struct ui_index *idx, struct ui_msg *m, unsigned add, unsigned remove);
void ui_index_set_tag(struct ui_index *idx, struct ui_msg *m, int tagged);

#endif
