/*
 * ui-model-pager: a message laid out for the screen, without curses.
 *
 * Takes the text core renders for a message (header fields, an empty
 * line, the body with attachment and notice lines "[-- ... --]"; all
 * UTF-8 and sanitised) and splits it into screen lines of a given width:
 * tabs expanded, long lines wrapped at a blank where there is one, wide
 * characters never split across the edge and combining marks kept with
 * their base.  Each line knows what it is (a header field, body text,
 * quoted text and its level, the signature, an attachment line), so the
 * drawing code colours it; search finds lines matching a regular
 * expression and the ranges to highlight.
 *
 * Also here: which header fields to show (ignore/unignore, as mutt) and
 * the list of a message's parts for the attachment screen.
 *
 * UI thread only; pure computation.
 */
#ifndef UI_MODEL_PAGER_H
#define UI_MODEL_PAGER_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "core/core.h"
#include "ui/ui-util.h"

/* Tab stops, in columns. */
#define UI_TAB_WIDTH 8

enum ui_pline_kind {
	UI_PL_HEADER,
	UI_PL_BODY,
	UI_PL_QUOTED,
	UI_PL_SIGNATURE,
	UI_PL_ATTACH, /* "[-- ... --]" lines about parts and damage */
};

struct ui_pline {
	const char *text; /* UTF-8, tabs expanded, no newline */
	size_t len;
	enum ui_pline_kind kind;
	unsigned level;  /* UI_PL_QUOTED: 1 for "> ", 2 for "> > "... */
	size_t name_len; /* UI_PL_HEADER: bytes of "Name:" at the start (0 on
	                    continuation lines) */
	int cont;        /* continues the line above (wrapped); such lines are at
	                    most width - 1 columns, for the marker drawn first */
	size_t src;      /* the source line it comes from */
};

struct ui_pager {
	struct arena *arena;  /* the source text */
	struct arena *layout; /* the screen lines: remade by each layout */
	const char *text;
	size_t len;
	struct ui_pline *lines; /* screen lines at the current width */
	size_t nlines;
	size_t width;
	size_t top;
	size_t height;
	int hide_quoted;
	/* The last search. */
	regex_t re;
	int have_re;
};

/* A pager over a copy of text[0..len). */
struct ui_pager *ui_pager_new(const char *text, size_t len);
void ui_pager_free(struct ui_pager **p);

/* Lays the text out for width columns (at least 1), keeping the top
 * line's source line on top. */
void ui_pager_layout(struct ui_pager *p, size_t width);
void ui_pager_set_height(struct ui_pager *p, size_t height);
/* Hides runs of quoted lines (one line says how many), or shows them. */
void ui_pager_set_hide_quoted(struct ui_pager *p, int hide);

/* Scrolling, clamped so the last page stays full. */
void ui_pager_scroll(struct ui_pager *p, long delta);
void ui_pager_goto(struct ui_pager *p, long line);
/* Whether the last line is on screen. */
int ui_pager_at_end(const struct ui_pager *p);
/* The first body line (after the header and its empty line). */
size_t ui_pager_body_start(const struct ui_pager *p);

/*
 * Compiles a search (POSIX extended, case-insensitive unless it holds an
 * upper-case letter) and keeps it for ui_pager_search and highlighting.
 */
int ui_pager_set_search(struct ui_pager *p, const char *expr, struct err *err);
/* The next line after top (dir 1) or before it (dir -1) with a match,
 * wrapping around; *wrapped_r tells whether it did.  -1 when none. */
long ui_pager_search(const struct ui_pager *p, int dir, int *wrapped_r);
/* Byte ranges of line i the search matches, up to max; returns how many. */
size_t ui_pager_matches(const struct ui_pager *p, size_t i, size_t *starts, size_t *ends,
                        size_t max);

/* Which header fields to show: mutt's ignore and unignore. */
struct ui_weed {
	struct ui_strv ignore; /* lower-case prefixes; "*" is everything */
	struct ui_strv unignore;
};

/* Starts as "ignore *; unignore date from to cc subject reply-to"; then
 * applies the ignore and unignore records of the configuration. */
void ui_weed_init(struct ui_weed *w, const struct config *cfg);
void ui_weed_apply(struct ui_weed *w, int unignore, const char *name);
void ui_weed_clear(struct ui_weed *w);
int ui_weed_show(const struct ui_weed *w, const char *name);

/* The attachment screen: a message's parts with a cursor. */
struct ui_attach_list {
	const struct core_folder_part *parts; /* the message's (not owned) */
	size_t count;
	size_t cursor;
	size_t top;
	/* The parts come from the store's part list (core_part, IMAP
	 * BODYSTRUCTURE), not from a message at hand: each is fetched alone
	 * when it is viewed, saved or piped.  info[i] describes parts[i]. */
	int remote;
	const struct core_part *info;
};

/*
 * The entries of the attachment screen for a part list from the store:
 * the same order and numbers; `attachment` for every part the body does
 * not show inline (attachments, and what is not text).  The array lives in arena, its
 * strings are the list's.
 */
struct core_folder_part *ui_attach_from_list(struct arena *arena, const struct core_part *parts,
                                             size_t n);

/*
 * Which parts the pager fetches to show the message's body (wanted[i] 1):
 * text parts (text/...) that are not attachments, and attached messages
 * (message/rfc822, fetched whole with what they hold), each at most max
 * bytes as stored; nothing inside an attached message on its own.
 * Everything else is listed, and fetched only when the user asks.
 */
void ui_pager_parts_wanted(const struct core_part *parts, size_t n, uint64_t max, int *wanted);

/*
 * The text parts ui_pager_parts_wanted left out for their size alone
 * (cut[i] 1): the pager shows their first max bytes rather than nothing,
 * so a long log or a big newsletter still reads in the pager.  Not a
 * choice of a multipart/alternative that also offers text/plain (the body
 * shows that one).  Sets wanted[i] for them too.  cut[] has n entries.
 */
void ui_pager_parts_cut(const struct core_part *parts, size_t n, uint64_t max, int *wanted,
                        int *cut);

/*
 * In text rendered from a message with cut parts (cut[i] 1, kept[i] bytes
 * of parts[i].size kept), replaces each "<mark>-<i>" that
 * core_part_cut_text left by the line "[-- part P: cut at N of M bytes; ...
 * --]" saying how to see the whole; a part whose mark is lost (an HTML
 * converter may drop it) gets that line at the top of the body, unless it
 * is a choice of a multipart/alternative (likely not the one shown).  A
 * notice already in the text is not repeated.
 */
void ui_pager_fix_cut_lines(struct str *text, const char *mark, const struct core_part *parts,
                            size_t n, const int *cut, const uint64_t *kept);

/*
 * Builds, for the MIME layer, a message of the same tree as the one the
 * part list describes: header (the message's header block) first, then
 * each multipart with its boundary, each wanted part with mime[i] (its
 * own header block, "N.MIME") and body[i]; every other part gets a header
 * made from the list (type, disposition, file name) and an empty body.
 * Attached messages (message/rfc822) are whole in body[i] when wanted
 * (mime[i] unused), else empty.  CRLF become LF.  Returns -1 when the list
 * cannot be rebuilt (a multipart without a boundary, a broken tree).
 */
int ui_pager_skeleton(struct str *out, const char *header, size_t hlen,
                      const struct core_part *parts, size_t n, const struct str *mime,
                      const struct str *body, const int *wanted);

/*
 * In text rendered from such a message, rewrites the attachment lines
 * "[-- Attachment N: ... --]" of the parts left out (wanted[i] 0) with the
 * type, file name and size from the list, since their bodies are empty
 * there.  The size is the stored one, decoded size estimated ("~").
 */
void ui_pager_fix_attach_lines(struct str *text, const struct core_part *parts, size_t n,
                               const int *wanted);

/* Appends the line shown for part i: tree indentation, number, type,
 * file name and size. */
void ui_attach_line(struct str *out, const struct core_folder_part *part);

#endif
