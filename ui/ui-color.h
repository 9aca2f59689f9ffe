/*
 * ui-color: what colour and attributes each part of the screen gets,
 * without curses.
 *
 * The configuration's color lines (color OBJECT FOREGROUND BACKGROUND
 * [REGEX]) are read into a table the drawing code turns into curses
 * pairs.  Colours: default, black, red, green, yellow, blue, magenta,
 * cyan, white, brightCOLOR (bold in 8-colour terminals, the bright one
 * with 16 or more), colorN (0-255, used when the terminal has that many).
 * A foreground may be an attribute instead (bold, underline, reverse,
 * standout, dim), written alone or before a colour with a "+" (bold+red).
 * Without colours (a monochrome terminal) each object keeps only its
 * attributes, so the cursor line and the status line stay visible in
 * reverse video.
 *
 * `color index FG BG PATTERN` colours the index lines matching a pattern
 * (ui-pattern.h), the last matching line winning; `color header FG BG
 * REGEX` colours the header fields whose name matches; `color body FG BG
 * REGEX` the matching text of message bodies.
 *
 * UI thread only.
 */
#ifndef UI_COLOR_H
#define UI_COLOR_H

#include <regex.h>
#include <stddef.h>
#include <time.h>

#include "core/core.h"
#include "ui/ui-pattern.h"
#include "ui/ui-util.h"

#define UI_QUOTED_LEVELS 10

enum ui_obj {
	UI_OBJ_NORMAL,
	UI_OBJ_INDEX,
	UI_OBJ_INDICATOR,
	UI_OBJ_STATUS,
	UI_OBJ_TREE,
	UI_OBJ_HEADER,
	UI_OBJ_HDRDEFAULT,
	UI_OBJ_SIGNATURE,
	UI_OBJ_ATTACHMENT,
	UI_OBJ_ERROR,
	UI_OBJ_MESSAGE,
	UI_OBJ_SEARCH,
	UI_OBJ_TILDE,
	UI_OBJ_MARKERS,
	UI_OBJ_TAGGED,
	UI_OBJ_DELETED,
	UI_OBJ_NEW,
	UI_OBJ_FLAGGED,
	UI_OBJ_BODY,
	UI_OBJ_PROMPT,
	UI_OBJ_SIDEBAR,
	UI_OBJ_SIDEBAR_HIGHLIGHT,
	UI_OBJ_QUOTED,                                             /* quoted, level 1 */
	UI_OBJ_QUOTED_LAST = UI_OBJ_QUOTED + UI_QUOTED_LEVELS - 1, /* quoted9 */
	UI_OBJ_COUNT
};

enum ui_attr {
	UI_ATTR_BOLD = 1 << 0,
	UI_ATTR_UNDERLINE = 1 << 1,
	UI_ATTR_REVERSE = 1 << 2,
	UI_ATTR_STANDOUT = 1 << 3,
	UI_ATTR_DIM = 1 << 4,
};

/* A colour: -1 the terminal's default, 0..255 a colour number. */
struct ui_style {
	int fg, bg;
	unsigned attrs; /* enum ui_attr */
	int set;        /* given by a color line (else the built-in default) */
};

/* A colour that applies to matches only. */
struct ui_color_rule {
	enum ui_obj obj; /* UI_OBJ_INDEX, UI_OBJ_HEADER or UI_OBJ_BODY */
	struct ui_style style;
	struct ui_pattern *pattern; /* index */
	regex_t re;                 /* header, body */
	int have_re;
	char *text;
};

struct ui_colors {
	struct ui_style obj[UI_OBJ_COUNT];
	struct ui_color_rule *rules;
	size_t nrules;
};

/* "quoted3" -> UI_OBJ_QUOTED + 3, ...; -1 for an unknown name. */
int ui_color_object(const char *name);
const char *ui_color_object_name(enum ui_obj obj);

/* The built-in look: attributes for monochrome terminals and a few
 * colours. */
void ui_colors_init(struct ui_colors *c);
void ui_colors_clear(struct ui_colors *c);

/* Applies one color (or uncolor) line's arguments.  Fails with a
 * sentence. */
int ui_colors_command(struct ui_colors *c, int uncolor, size_t argc, const char *const *argv,
                      time_t now, struct err *err);
/* Applies the configuration's color and uncolor lines in order; every
 * bad one adds "file:line: why" to errors. */
void ui_colors_load(struct ui_colors *c, const struct config *cfg, time_t now,
                    struct ui_strv *errors);

/* The style of an index line: the last index rule whose pattern matches,
 * else tagged / deleted / flagged / new, else index. */
const struct ui_style *ui_colors_index(const struct ui_colors *c, const struct ui_msg *m);
/* The style for header field name (a header rule, else hdrdefault). */
const struct ui_style *ui_colors_header(const struct ui_colors *c, const char *name);

#endif
