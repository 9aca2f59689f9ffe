/*
 * ui-format: the index_format line of one message, as mutt writes it.
 *
 *   %C  number in the list      %Z  three status columns (see below)
 *   %S  one status character    %d %D  date ("%d %b %Y", local time)
 *   %{fmt} %[fmt]  date sent, strftime format, local time
 *   %(fmt)  date received       %F  sender, or "To recipient" for mail you sent
 *   %L  as %F                   %n  sender's name (else address)
 *   %a  sender's address        %u  sender's user name (before the @)
 *   %t  To                      %s  subject (after the thread tree)
 *   %c  size (1.2K, 34K, 5.6M)  %l  lines
 *   %i  Message-ID              %M  messages folded under a thread root
 *   %>X right-aligns what follows, filling with X; %|X fills to the end
 *   %*X as %>X                  %%  a percent sign
 *   %?x?then&else?  then when x is non-empty and non-zero, else else
 *
 * Each escape takes a width as in printf: %-20.20F left-aligns in exactly
 * 20 columns, %4C right-aligns in at least 4, %04C pads numbers with
 * zeros.  Widths count terminal columns (ui-width.h), so CJK and
 * combining characters line up.
 *
 * %Z: first column D (deleted), N (new), O (unread, seen before) or blank;
 * second * (tagged), ! (flagged) or blank; third r (replied), f
 * (forwarded) or blank.
 *
 * Pure; the output is UTF-8 at most cols columns wide (cols 0: no limit).
 */
#ifndef UI_FORMAT_H
#define UI_FORMAT_H

#include <stddef.h>

#include "base/base-str.h"
#include "ui/ui-msg.h"

struct ui_format_ctx {
	const struct ui_msg *m;
	size_t number; /* %C */
	/* Whether an address is the user's (for %F); NULL: none is. */
	int (*is_me)(const char *addr, void *ctx);
	void *me_ctx;
};

void ui_format_index(struct str *out, const char *fmt, const struct ui_format_ctx *c, size_t cols);

/* Appends a size as %c shows it. */
void ui_format_size(struct str *out, unsigned long long size);

#endif
