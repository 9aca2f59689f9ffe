#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-xalloc.h"
#include "ui/ui-color.h"

static const char *const obj_names[UI_OBJ_COUNT] = {
    [UI_OBJ_NORMAL] = "normal",
    [UI_OBJ_INDEX] = "index",
    [UI_OBJ_INDICATOR] = "indicator",
    [UI_OBJ_STATUS] = "status",
    [UI_OBJ_TREE] = "tree",
    [UI_OBJ_HEADER] = "header",
    [UI_OBJ_HDRDEFAULT] = "hdrdefault",
    [UI_OBJ_SIGNATURE] = "signature",
    [UI_OBJ_ATTACHMENT] = "attachment",
    [UI_OBJ_ERROR] = "error",
    [UI_OBJ_MESSAGE] = "message",
    [UI_OBJ_SEARCH] = "search",
    [UI_OBJ_TILDE] = "tilde",
    [UI_OBJ_MARKERS] = "markers",
    [UI_OBJ_TAGGED] = "tagged",
    [UI_OBJ_DELETED] = "deleted",
    [UI_OBJ_NEW] = "new",
    [UI_OBJ_FLAGGED] = "flagged",
    [UI_OBJ_BODY] = "body",
    [UI_OBJ_PROMPT] = "prompt",
    [UI_OBJ_SIDEBAR] = "sidebar",
    [UI_OBJ_SIDEBAR_HIGHLIGHT] = "sidebar_highlight",
    [UI_OBJ_QUOTED] = "quoted",
};

static const char *const color_names[] = {"black", "red",     "green", "yellow",
                                          "blue",  "magenta", "cyan",  "white"};

int
ui_color_object(const char *name)
{
	if (strncasecmp(name, "quoted", 6) == 0 && name[6] != '\0') {
		char *end;
		long n = strtol(name + 6, &end, 10);

		if (*end == '\0' && n >= 0 && n < UI_QUOTED_LEVELS &&
		    isdigit((unsigned char)name[6]))
			return UI_OBJ_QUOTED + (int)n;
		return -1;
	}
	for (int i = 0; i < UI_OBJ_COUNT; i++)
		if (obj_names[i] != NULL && strcasecmp(obj_names[i], name) == 0)
			return i;
	return -1;
}

const char *
ui_color_object_name(enum ui_obj obj)
{
	static char buf[UI_QUOTED_LEVELS][10];

	if (obj > UI_OBJ_QUOTED && obj <= UI_OBJ_QUOTED_LAST) {
		int n = obj - UI_OBJ_QUOTED;

		snprintf(buf[n], sizeof(buf[n]), "quoted%d", n);
		return buf[n];
	}
	return (unsigned)obj < UI_OBJ_COUNT && obj_names[obj] != NULL ? obj_names[obj] : "?";
}

static void
style(struct ui_colors *c, enum ui_obj obj, int fg, int bg, unsigned attrs)
{
	c->obj[obj].fg = fg;
	c->obj[obj].bg = bg;
	c->obj[obj].attrs = attrs;
	c->obj[obj].set = 0;
}

static void
defaults(struct ui_colors *c, enum ui_obj obj)
{
	static const int quoted_fg[] = {4, 2, 6, 3, 5, 1};

	if (obj >= UI_OBJ_QUOTED && obj <= UI_OBJ_QUOTED_LAST) {
		style(c, obj, quoted_fg[(obj - UI_OBJ_QUOTED) % 6], -1, 0);
		return;
	}
	switch (obj) {
	case UI_OBJ_INDICATOR:
		style(c, obj, -1, -1, UI_ATTR_REVERSE);
		break;
	case UI_OBJ_STATUS:
		style(c, obj, -1, -1, UI_ATTR_REVERSE);
		break;
	case UI_OBJ_SIDEBAR_HIGHLIGHT:
		style(c, obj, -1, -1, UI_ATTR_REVERSE);
		break;
	case UI_OBJ_SEARCH:
		style(c, obj, -1, -1, UI_ATTR_REVERSE);
		break;
	case UI_OBJ_ERROR:
		style(c, obj, 1, -1, UI_ATTR_BOLD);
		break;
	case UI_OBJ_TREE:
		style(c, obj, 5, -1, 0);
		break;
	case UI_OBJ_HEADER:
		style(c, obj, -1, -1, UI_ATTR_BOLD);
		break;
	case UI_OBJ_SIGNATURE:
		style(c, obj, 4, -1, UI_ATTR_DIM);
		break;
	case UI_OBJ_ATTACHMENT:
		style(c, obj, 3, -1, UI_ATTR_BOLD);
		break;
	case UI_OBJ_TILDE:
		style(c, obj, 4, -1, 0);
		break;
	case UI_OBJ_MARKERS:
		style(c, obj, 1, -1, UI_ATTR_BOLD);
		break;
	case UI_OBJ_TAGGED:
		style(c, obj, 6, -1, UI_ATTR_BOLD);
		break;
	case UI_OBJ_DELETED:
		style(c, obj, 1, -1, 0);
		break;
	case UI_OBJ_NEW:
		style(c, obj, -1, -1, UI_ATTR_BOLD);
		break;
	case UI_OBJ_FLAGGED:
		style(c, obj, 1, -1, UI_ATTR_BOLD);
		break;
	default:
		style(c, obj, -1, -1, 0);
		break;
	}
}

void
ui_colors_init(struct ui_colors *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < UI_OBJ_COUNT; i++)
		defaults(c, (enum ui_obj)i);
}

static void
rule_free(struct ui_color_rule *r)
{
	ui_pattern_free(&r->pattern);
	if (r->have_re)
		regfree(&r->re);
	free(r->text);
}

void
ui_colors_clear(struct ui_colors *c)
{
	for (size_t i = 0; i < c->nrules; i++)
		rule_free(&c->rules[i]);
	free(c->rules);
	memset(c, 0, sizeof(*c));
}

static int
parse_attr(const char *w, unsigned *attrs)
{
	static const struct {
		const char *name;
		unsigned bit;
	} a[] = {{"bold", UI_ATTR_BOLD},
	         {"underline", UI_ATTR_UNDERLINE},
	         {"reverse", UI_ATTR_REVERSE},
	         {"standout", UI_ATTR_STANDOUT},
	         {"dim", UI_ATTR_DIM},
	         {"none", 0},
	         {"normal", 0}};

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		if (strcasecmp(w, a[i].name) == 0) {
			*attrs |= a[i].bit;
			return 0;
		}
	}
	return -1;
}

/* One colour word; attributes joined with '+' allowed when fg. */
static int
parse_color(const char *w, int *color, unsigned *attrs, struct err *err)
{
	const char *plus = strrchr(w, '+');
	const char *name = w;

	if (attrs != NULL && plus != NULL) {
		char *head = xstrndup(w, (size_t)(plus - w));
		const char *p = head;

		while (*p != '\0') {
			size_t n = strcspn(p, "+");
			char *one = xstrndup(p, n);
			int bad = parse_attr(one, attrs) < 0;

			free(one);
			if (bad) {
				free(head);
				return err_set(err, ERR_USAGE, "unknown attribute in \"%s\"", w);
			}
			p += n;
			if (*p == '+')
				p++;
		}
		free(head);
		name = plus + 1;
	}
	if (attrs != NULL && parse_attr(name, attrs) == 0) {
		*color = -1;
		return 0;
	}
	if (strcasecmp(name, "default") == 0) {
		*color = -1;
		return 0;
	}
	if (strncasecmp(name, "color", 5) == 0) {
		char *end;
		long n = strtol(name + 5, &end, 10);

		if (end != name + 5 && *end == '\0' && n >= 0 && n <= 255) {
			*color = (int)n;
			return 0;
		}
		return err_set(err, ERR_USAGE, "bad colour \"%s\": colorN takes N from 0 to 255",
		               name);
	}
	for (int i = 0; i < 8; i++) {
		if (strcasecmp(name, color_names[i]) == 0) {
			*color = i;
			return 0;
		}
		if (strncasecmp(name, "bright", 6) == 0 &&
		    strcasecmp(name + 6, color_names[i]) == 0) {
			*color = i + 8;
			return 0;
		}
	}
	return err_set(err, ERR_USAGE, "unknown colour \"%s\"", name);
}

int
ui_colors_command(struct ui_colors *c, int uncolor, size_t argc, const char *const *argv,
                  time_t now, struct err *err)
{
	struct ui_color_rule r;
	int obj;

	if (argc < 1)
		return err_set(err, ERR_USAGE, "%s needs an object", uncolor ? "uncolor" : "color");
	obj = ui_color_object(argv[0]);
	if (obj < 0)
		return err_set(err, ERR_USAGE,
		               "unknown object \"%s\" (see petrel-keymaps(5), COLOURS)", argv[0]);
	if (uncolor) {
		for (size_t i = 0; i < c->nrules;) {
			int hit = c->rules[i].obj == (enum ui_obj)obj;

			if (hit && argc > 1) {
				hit = 0;
				for (size_t k = 1; k < argc; k++)
					hit |= strcmp(argv[k], "*") == 0 ||
					       strcmp(argv[k], c->rules[i].text) == 0;
			}
			if (hit) {
				rule_free(&c->rules[i]);
				memmove(&c->rules[i], &c->rules[i + 1],
				        (c->nrules - i - 1) * sizeof(*c->rules));
				c->nrules--;
				continue;
			}
			i++;
		}
		if (argc == 1)
			defaults(c, (enum ui_obj)obj);
		return 0;
	}
	if (argc < 3 || argc > 4)
		return err_set(err, ERR_USAGE, "color takes OBJECT FOREGROUND BACKGROUND [REGEX]");
	memset(&r, 0, sizeof(r));
	r.obj = (enum ui_obj)obj;
	if (parse_color(argv[1], &r.style.fg, &r.style.attrs, err) < 0 ||
	    parse_color(argv[2], &r.style.bg, NULL, err) < 0)
		return -1;
	r.style.set = 1;
	if (argc == 3) {
		c->obj[obj] = r.style;
		return 0;
	}
	if (obj == UI_OBJ_INDEX) {
		if (ui_pattern_compile(argv[3], now, &r.pattern, err) < 0)
			return err_prefix(err, "color index");
	} else if (obj == UI_OBJ_HEADER || obj == UI_OBJ_BODY) {
		int rc = regcomp(&r.re, argv[3], REG_EXTENDED | REG_ICASE);

		if (rc != 0) {
			char buf[128];

			regerror(rc, &r.re, buf, sizeof(buf));
			return err_set(err, ERR_USAGE, "bad regular expression \"%s\": %s", argv[3],
			               buf);
		}
		r.have_re = 1;
	} else {
		return err_set(err, ERR_USAGE, "%s takes no pattern (index, header and body do)",
		               argv[0]);
	}
	r.text = xstrdup(argv[3]);
	c->rules = xreallocarray(c->rules, c->nrules + 1, sizeof(*c->rules));
	c->rules[c->nrules++] = r;
	return 0;
}

void
ui_colors_load(struct ui_colors *c, const struct config *cfg, time_t now, struct ui_strv *errors)
{
	const struct config_record *recs;
	size_t n = 0;

	recs = config_records(cfg, &n);
	for (size_t i = 0; i < n; i++) {
		struct err err;

		if (recs[i].kind != CONFIG_REC_COLOR && recs[i].kind != CONFIG_REC_UNCOLOR)
			continue;
		if (ui_colors_command(c, recs[i].kind == CONFIG_REC_UNCOLOR, recs[i].argc,
		                      (const char *const *)recs[i].argv, now, &err) < 0)
			ui_strv_take(errors,
			             xasprintf("%s:%d: %s", recs[i].file, recs[i].line, err.msg));
	}
}

const struct ui_style *
ui_colors_index(const struct ui_colors *c, const struct ui_msg *m)
{
	for (size_t i = c->nrules; i-- > 0;) {
		const struct ui_color_rule *r = &c->rules[i];

		if (r->obj == UI_OBJ_INDEX && r->pattern != NULL && ui_pattern_match(r->pattern, m))
			return &r->style;
	}
	if (m->tagged)
		return &c->obj[UI_OBJ_TAGGED];
	if (m->s.flags & MIME_FLAG_DELETED)
		return &c->obj[UI_OBJ_DELETED];
	if (m->s.flags & MIME_FLAG_FLAGGED)
		return &c->obj[UI_OBJ_FLAGGED];
	if (!(m->s.flags & MIME_FLAG_SEEN))
		return &c->obj[UI_OBJ_NEW];
	return &c->obj[UI_OBJ_INDEX];
}

const struct ui_style *
ui_colors_header(const struct ui_colors *c, const char *name)
{
	for (size_t i = c->nrules; i-- > 0;) {
		const struct ui_color_rule *r = &c->rules[i];

		if (r->obj == UI_OBJ_HEADER && r->have_re && regexec(&r->re, name, 0, NULL, 0) == 0)
			return &r->style;
	}
	return &c->obj[UI_OBJ_HDRDEFAULT];
}
