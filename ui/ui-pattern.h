/*
 * ui-pattern: mutt's pattern language, for limit, search, tag-pattern and
 * coloured index lines.
 *
 *   ~f EXPR  From          ~t EXPR  To             ~c EXPR  Cc
 *   ~C EXPR  To or Cc      ~s EXPR  Subject        ~i EXPR  Message-ID
 *   ~L EXPR  From, To or Cc                        ~x EXPR  References
 *   ~d DATES date sent     ~z SIZE  size in bytes
 *   ~N new   ~O old (unread, seen before)   ~U unread   ~R read
 *   ~F flagged   ~T tagged   ~D deleted   ~Q replied   ~A all
 *   !P not P     P Q  both   P | Q  either   ( P )  grouping
 *
 * EXPR is a POSIX extended regular expression, case-insensitive unless it
 * holds an upper-case letter (as mutt does); =f =t =c =C =s =i =L =x take a
 * plain substring instead, with the same case rule.  Quote an expression
 * holding blanks ("..." or '...'); a backslash quotes one character.
 *
 * DATES: D/M/Y (Y of 2 or 4 digits; M and Y default to now's), a range
 * A-B, -B (up to), A- (from); or <Nu (younger than), >Nu (older than),
 * =Nu (exactly, to a unit) where u is d(ays), w(eeks), m(onths), y(ears),
 * H(ours), M(inutes) or S(econds).  SIZE: N, <N, >N or A-B, with K or M.
 *
 * Text without ~ or = is a simple search: it means ~f TEXT | ~s TEXT.
 *
 * ~b TEXT matches messages whose body holds TEXT (a plain string, case
 * ignored in ASCII).  Bodies are not in the summaries: the caller has the
 * folder's store search for each ~b term (ui_pattern_body_text) and hands
 * the ids found back with ui_pattern_body_set; until then ~b matches
 * nothing.  ~B and ~h (whole messages, headers) are refused with a
 * sentence saying so.
 *
 * Pure functions; dates are local time.
 */
#ifndef UI_PATTERN_H
#define UI_PATTERN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-err.h"
#include "ui/ui-msg.h"

struct ui_pattern;

/* Compiles text; now is the reference for relative dates.  Fails with
 * ERR_USAGE and a sentence pointing at what is wrong.  The caller frees
 * *p_r with ui_pattern_free. */
int ui_pattern_compile(const char *text, time_t now, struct ui_pattern **p_r, struct err *err);
void ui_pattern_free(struct ui_pattern **p);

/* 1 when m matches (an unloaded message never does). */
int ui_pattern_match(const struct ui_pattern *p, const struct ui_msg *m);

/* The ~b terms of p, in the order they appear: how many, and the text of
 * term i (owned by p; NULL past the end). */
size_t ui_pattern_body_count(const struct ui_pattern *p);
const char *ui_pattern_body_text(const struct ui_pattern *p, size_t i);
/* Term i matches the messages whose summary id is in ids[0..n) (copied). */
void ui_pattern_body_set(struct ui_pattern *p, size_t i, const uint64_t *ids, size_t n);

#endif
