/*
 * ui-model-thread: JWZ threading of the index's loaded messages
 * (https://www.jwz.org/doc/threading.html), for ui-model-index.c.
 *
 * Links every loaded message to its parent, first child and next
 * sibling (ui_msg.parent/child/next), sets depth, descendants and
 * fake_parent, and returns the thread roots.  Message-IDs come from
 * Message-ID, the chain of ancestors from References then In-Reply-To.
 * A reference that would make a loop is ignored; a missing message in
 * the chain is skipped (its children hang from the nearest ancestor that
 * is here, marked fake_parent); messages whose only common ancestor is
 * missing are grouped under the earliest of them; a root whose subject
 * is a reply ("Re: x") and that has no references at all joins the
 * thread of a root with subject "x".  Children are ordered by date,
 * roots by the date of the thread's first message.  At most
 * UI_THREAD_REFS_MAX references of a message are read.
 *
 * UI thread only; pure computation.
 */
#ifndef UI_MODEL_THREAD_H
#define UI_MODEL_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "ui/ui-msg.h"

#define UI_THREAD_REFS_MAX 100

/* Threads msgs[0..count) (the loaded ones; the others get no links).
 * Returns the roots in order (caller frees) and their number in
 * *nroots_r. */
uint32_t *ui_thread_build(struct ui_msg *msgs, size_t count, size_t *nroots_r);

#endif
