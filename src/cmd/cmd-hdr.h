/*
 * cmd-hdr: header summary lines, in the shape mailx prints them.
 *
 *   >N  1 alice@example.org     Mon Jan  6 09:15   12/431   Lunch?
 *
 * current-message marker, status letter, number, sender, date,
 * lines/bytes, subject; cut to the terminal width.  Text from a message
 * arrives as UTF-8; control characters are shown as ^X, never emitted, and
 * characters the locale cannot show become '?'.  Pure computation apart
 * from reading the locale (setlocale must have run first).
 */
#ifndef CMD_HDR_H
#define CMD_HDR_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-str.h"
#include "cmd/cmd-msg.h"

/*
 * The status letter of a message: D deleted, * saved, P preserved,
 * M marked for mbox, N new, U unread, R read in this session, O read
 * before; ' ' when none applies.
 */
char cmd_hdr_status(unsigned state);

/*
 * Appends s to out as display text: at most `cols` terminal columns,
 * padded with spaces to exactly `cols` when pad is set.  Returns the
 * columns used.
 */
size_t cmd_hdr_fit(struct str *out, const char *s, size_t cols, int pad);

/* Appends the summary line of message number `num` (no newline), at most
 * `width` columns.  show_name: show the sender's display name rather than
 * the address (the showname variable). */
void cmd_hdr_line(struct str *out, const struct cmd_msg *m, size_t num, int current,
		  size_t width, int show_name);

/* Appends text with control characters made visible (no width limit), for
 * message bodies and header fields shown whole.  Newlines and tabs are
 * kept. */
void cmd_hdr_safe(struct str *out, const char *s, size_t len);

/* Writes a size as the part lists show it: bytes under 10 KB, then K,
 * then M, rounded. */
void cmd_hdr_size(char *buf, size_t len, uint64_t n);

#endif
