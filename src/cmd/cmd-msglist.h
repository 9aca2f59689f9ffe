/*
 * cmd-msglist: mailx message lists ("1-5 :u /meeting alice", POSIX
 * "Specifying Messages").
 *
 *   n  n-m  .  ^  $  +  -  *     numbers, ranges, current, first, last,
 *                               next, previous, all
 *   :n :o :r :u :d              new, old, read, unread, deleted (combinable)
 *   /string                     subject contains string (case ignored)
 *   address                     from a sender whose address or name
 *                               contains it (case ignored)
 *
 * Tokens are separated by blanks and may be quoted; the result is their
 * union.  Deleted messages are left out unless asked for with :d or when
 * the command works on deleted messages (undelete).  Pure computation.
 */
#ifndef CMD_MSGLIST_H
#define CMD_MSGLIST_H

#include <stddef.h>

#include "base/base-err.h"
#include "cmd/cmd-msg.h"

enum cmd_msglist_flags {
	CMD_MSGLIST_DELETED = 1 << 0, /* select among deleted messages (undelete) */
};

/*
 * Parses text against msgs[0..count) with `current` the 1-based current
 * message (0: none), setting selected[i] to 1 for each chosen message and
 * 0 for the rest (selected has count entries).  An empty text selects the
 * current message, or the nearest appropriate one.  Returns the number of
 * messages selected (at least 1), or -1 with ERR_USAGE and a sentence
 * when a token is invalid or nothing applies.
 */
int cmd_msglist_parse(const char *text, const struct cmd_msg *msgs, size_t count, size_t current,
		      unsigned flags, unsigned char *selected, struct err *err);

#endif
