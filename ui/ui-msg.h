/*
 * ui-msg: one message as the index knows it.
 *
 * The summary core sent (strings copied into the index's arena) plus what
 * the TUI adds: its tag, whether it is loaded yet, and its place in the
 * thread tree.  The index model (ui-model-index.h) owns an array of them;
 * patterns (ui-pattern.h) and the index format (ui-format.h) read them.
 * UI thread only.
 */
#ifndef UI_MSG_H
#define UI_MSG_H

#include <stdint.h>

#include "core/core.h"

#define UI_NONE UINT32_MAX

struct ui_msg {
	struct mime_summary s; /* s.flags are the current flags, changes included */
	uint32_t index;        /* position in the folder's own order (0..count-1) */
	unsigned loaded : 1;   /* the summary has arrived */
	unsigned tagged : 1;
	unsigned matched : 1;     /* passes the limit */
	unsigned collapsed : 1;   /* a thread root whose descendants are hidden */
	unsigned fake_parent : 1; /* its parent stands in for a missing message */
	/* Threads (UI_NONE where there is none), indices into the msgs array. */
	uint32_t parent, child, next;
	uint32_t depth;
	uint32_t descendants; /* messages below it in its thread */
	const char *tree;     /* the tree prefix drawn before the subject ("" when none) */
	int subject_changed;  /* differs from its parent's subject: show it */
	uint32_t row;         /* its row in the list, UI_NONE when not shown */
};

#endif
