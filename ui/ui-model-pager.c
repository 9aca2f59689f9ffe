#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "core/core-part.h"
#include "ui/ui-format.h"
#include "ui/ui-model-pager.h"
#include "ui/ui-width.h"

/* A line longer than this is shown cut: a message of one 100 MB line
 * must not make a million screen lines. */
#define LINE_MAX_BYTES (256 * 1024)

struct ui_pager *
ui_pager_new(const char *text, size_t len)
{
	struct ui_pager *p = xcalloc(1, sizeof(*p));

	p->arena = arena_new();
	p->layout = arena_new();
	p->text = arena_memdup(p->arena, text, len + 1);
	((char *)p->text)[len] = '\0';
	p->len = len;
	p->width = 80;
	ui_pager_layout(p, 80);
	return p;
}

void
ui_pager_free(struct ui_pager **pp)
{
	struct ui_pager *p = *pp;

	if (p == NULL)
		return;
	if (p->have_re)
		regfree(&p->re);
	arena_free(&p->arena);
	arena_free(&p->layout);
	free(p->lines);
	free(p);
	*pp = NULL;
}

struct layout {
	struct ui_pager *p;
	size_t cap;
};

static void
emit(struct layout *l, const char *text, size_t len, enum ui_pline_kind kind, unsigned level,
     size_t name_len, int cont, size_t src)
{
	struct ui_pager *p = l->p;
	struct ui_pline *pl;

	if (p->nlines == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		p->lines = xreallocarray(p->lines, l->cap, sizeof(*p->lines));
	}
	pl = &p->lines[p->nlines++];
	pl->text = text;
	pl->len = len;
	pl->kind = kind;
	pl->level = level;
	pl->name_len = name_len;
	pl->cont = cont;
	pl->src = src;
}

/* The quote level of a body line: how many '>' open it (blanks between
 * them allowed). */
static unsigned
quote_level(const char *s, size_t len)
{
	unsigned level = 0;
	size_t i = 0;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t') && level > 0)
			i++;
		if (i < len && s[i] == '>') {
			level++;
			i++;
			continue;
		}
		return level;
	}
}

static int
is_notice(const char *s, size_t len)
{
	return len >= 8 && strncmp(s, "[-- ", 4) == 0 && strncmp(s + len - 4, " --]", 4) == 0;
}

/* A copy of s with tabs turned into spaces up to the next tab stop. */
static const char *
expand_tabs(struct arena *a, const char *s, size_t len, size_t *len_r)
{
	struct str o = STR_INIT;
	size_t col = 0, i = 0;
	const char *r;

	if (memchr(s, '\t', len) == NULL) {
		*len_r = len;
		return s;
	}
	while (i < len) {
		uint32_t cp;
		size_t n = ui_utf8_decode(s + i, len - i, &cp);

		if (cp == '\t') {
			do
				str_append_char(&o, ' ');
			while (++col % UI_TAB_WIDTH != 0);
		} else {
			str_append_len(&o, s + i, n);
			col += (size_t)ui_width_cp(cp);
		}
		i += n;
	}
	r = arena_memdup(a, o.s ? o.s : "", o.len + 1);
	*len_r = o.len;
	str_free(&o);
	return r;
}

/* Wraps one source line into screen lines. */
static void
wrap(struct layout *l, const char *s, size_t len, enum ui_pline_kind kind, unsigned level,
     size_t name_len, size_t src)
{
	size_t width = l->p->width, used;
	int cont = 0;

	if (len == 0) {
		emit(l, s, 0, kind, level, name_len, 0, src);
		return;
	}
	while (len > 0) {
		/* Continuation lines are one column narrower: the drawing code
		 * puts a marker before them. */
		size_t w = cont && width > 1 ? width - 1 : width;
		size_t cut = ui_width_cut(s, len, w, &used), brk, next;

		if (cut == len) {
			emit(l, s, len, kind, level, cont ? 0 : name_len, cont, src);
			return;
		}
		if (cut == 0) {
			/* Narrower than one character: show it alone. */
			uint32_t cp;

			cut = ui_utf8_decode(s, len, &cp);
			while (cut < len) {
				size_t n = ui_utf8_decode(s + cut, len - cut, &cp);

				if (ui_width_cp(cp) != 0)
					break;
				cut += n;
			}
		}
		brk = cut;
		next = cut;
		/* Break at the last blank when it leaves a useful line (the
		 * one right after the part that fits counts). */
		for (size_t k = s[cut] == ' ' ? 0 : cut; k > 0; k--) {
			if (s[k - 1] == ' ') {
				if (k - 1 > 0 && k - 1 >= cut / 4) {
					brk = k - 1;
					next = k;
				}
				break;
			}
		}
		emit(l, s, brk, kind, level, cont ? 0 : name_len, cont, src);
		while (next < len && s[next] == ' ')
			next++;
		s += next;
		len -= next;
		cont = 1;
	}
}

void
ui_pager_layout(struct ui_pager *p, size_t width)
{
	struct layout l = {p, 0};
	size_t old_src = p->top < p->nlines ? p->lines[p->top].src : 0;
	size_t pos = 0, src = 0, sig_from = (size_t)-1, body_from = (size_t)-1;
	int in_header = 1;

	free(p->lines);
	p->lines = NULL;
	p->nlines = 0;
	arena_reset(p->layout);
	p->width = width > 0 ? width : 1;

	/* Where the body and the signature start. */
	for (size_t i = 0, s = 0; i <= p->len; s++) {
		const char *nl = memchr(p->text + i, '\n', p->len - i);
		size_t n = nl ? (size_t)(nl - (p->text + i)) : p->len - i;

		if (body_from == (size_t)-1 && n == 0)
			body_from = s + 1;
		else if (body_from != (size_t)-1 && n == 3 && strncmp(p->text + i, "-- ", 3) == 0)
			sig_from = s;
		if (nl == NULL)
			break;
		i += n + 1;
	}

	while (pos <= p->len) {
		const char *line = p->text + pos, *shown;
		const char *nl = memchr(line, '\n', p->len - pos);
		size_t n = nl ? (size_t)(nl - line) : p->len - pos, slen;
		enum ui_pline_kind kind;
		unsigned level = 0;
		size_t name_len = 0;

		if (nl == NULL && n == 0 && pos > 0)
			break;
		if (in_header && n == 0)
			in_header = 0;
		if (in_header) {
			size_t c = strcspn(line, ":\n");

			kind = UI_PL_HEADER;
			if (c < n && memchr(line, ' ', c) == NULL)
				name_len = c + 1;
		} else if (is_notice(line, n)) {
			kind = UI_PL_ATTACH;
		} else if (src >= sig_from) {
			kind = UI_PL_SIGNATURE;
		} else if ((level = quote_level(line, n)) > 0) {
			kind = UI_PL_QUOTED;
		} else {
			kind = UI_PL_BODY;
		}
		if (kind == UI_PL_QUOTED && p->hide_quoted) {
			size_t run = 0, q = pos, qsrc = src;

			while (q <= p->len) {
				const char *qn = memchr(p->text + q, '\n', p->len - q);
				size_t m = qn ? (size_t)(qn - (p->text + q)) : p->len - q;

				if (qsrc >= sig_from || quote_level(p->text + q, m) == 0 ||
				    is_notice(p->text + q, m) || (qn == NULL && m == 0))
					break;
				run++;
				qsrc++;
				if (qn == NULL) {
					q = p->len + 1;
					break;
				}
				q += m + 1;
			}
			shown = arena_printf(p->layout, "[-- %zu quoted line%s hidden --]", run,
			                     run == 1 ? "" : "s");
			emit(&l, shown, strlen(shown), UI_PL_ATTACH, 0, 0, 0, src);
			src = qsrc;
			pos = q;
			continue;
		}
		if (n > LINE_MAX_BYTES)
			n = LINE_MAX_BYTES;
		shown = expand_tabs(p->layout, line, n, &slen);
		wrap(&l, shown, slen, kind, level, name_len, src);
		src++;
		if (nl == NULL)
			break;
		pos += (size_t)(nl - line) + 1;
	}
	(void)body_from;
	p->top = 0;
	for (size_t i = 0; i < p->nlines; i++) {
		if (p->lines[i].src >= old_src) {
			p->top = i;
			break;
		}
	}
	ui_pager_scroll(p, 0);
}

void
ui_pager_set_height(struct ui_pager *p, size_t height)
{
	p->height = height;
	ui_pager_scroll(p, 0);
}

void
ui_pager_set_hide_quoted(struct ui_pager *p, int hide)
{
	p->hide_quoted = hide != 0;
	ui_pager_layout(p, p->width);
}

void
ui_pager_goto(struct ui_pager *p, long line)
{
	long last = (long)p->nlines - (long)(p->height > 0 ? p->height : 1);

	if (line > last)
		line = last;
	if (line < 0)
		line = 0;
	p->top = (size_t)line;
}

void
ui_pager_scroll(struct ui_pager *p, long delta)
{
	ui_pager_goto(p, (long)p->top + delta);
}

int
ui_pager_at_end(const struct ui_pager *p)
{
	return p->top + p->height >= p->nlines;
}

size_t
ui_pager_body_start(const struct ui_pager *p)
{
	for (size_t i = 0; i < p->nlines; i++)
		if (p->lines[i].kind != UI_PL_HEADER)
			return i + 1 < p->nlines ? i + 1 : i;
	return 0;
}

static int
has_upper(const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		uint32_t cp;

		i += ui_utf8_decode(s + i, len - i, &cp);
		if (cp < 0x80 ? isupper((int)cp) : iswupper((wint_t)cp))
			return 1;
	}
	return 0;
}

int
ui_pager_set_search(struct ui_pager *p, const char *expr, struct err *err)
{
	regex_t re;
	int rc;

	if (*expr == '\0')
		return err_set(err, ERR_USAGE, "nothing to search for");
	rc = regcomp(&re, expr, REG_EXTENDED | (has_upper(expr) ? 0 : REG_ICASE));
	if (rc != 0) {
		char buf[128];

		regerror(rc, &re, buf, sizeof(buf));
		return err_set(err, ERR_USAGE, "bad regular expression \"%s\": %s", expr, buf);
	}
	if (p->have_re)
		regfree(&p->re);
	p->re = re;
	p->have_re = 1;
	return 0;
}

static int
line_matches(const struct ui_pager *p, size_t i)
{
	char *s;
	int rc;

	if (p->lines[i].len == 0)
		return 0;
	s = xstrndup(p->lines[i].text, p->lines[i].len);
	rc = regexec(&p->re, s, 0, NULL, 0) == 0;
	free(s);
	return rc;
}

long
ui_pager_search(const struct ui_pager *p, int dir, int *wrapped_r)
{
	size_t n = p->nlines;

	*wrapped_r = 0;
	if (!p->have_re || n == 0)
		return -1;
	for (size_t k = 1; k <= n; k++) {
		long i = (long)p->top + (dir > 0 ? (long)k : -(long)k);

		if (i < 0 || (size_t)i >= n) {
			i = (i + (long)n) % (long)n;
			*wrapped_r = 1;
		}
		if (line_matches(p, (size_t)i))
			return i;
	}
	return -1;
}

size_t
ui_pager_matches(const struct ui_pager *p, size_t i, size_t *starts, size_t *ends, size_t max)
{
	size_t count = 0, off = 0;
	char *s;

	if (!p->have_re || i >= p->nlines || p->lines[i].len == 0)
		return 0;
	s = xstrndup(p->lines[i].text, p->lines[i].len);
	while (count < max && off <= p->lines[i].len) {
		regmatch_t m;

		if (regexec(&p->re, s + off, 1, &m, off > 0 ? REG_NOTBOL : 0) != 0)
			break;
		if (m.rm_eo == m.rm_so) {
			/* An empty match highlights nothing; step over it. */
			off += (size_t)m.rm_eo + 1;
			continue;
		}
		starts[count] = off + (size_t)m.rm_so;
		ends[count] = off + (size_t)m.rm_eo;
		count++;
		off += (size_t)m.rm_eo;
	}
	free(s);
	return count;
}

/* Header weeding. */

static int
in_list(const struct ui_strv *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t n = strlen(l->v[i]);

		if (strcmp(l->v[i], "*") == 0 || strncasecmp(name, l->v[i], n) == 0)
			return 1;
	}
	return 0;
}

static void
drop(struct ui_strv *l, const char *name)
{
	if (strcmp(name, "*") == 0) {
		ui_strv_clear(l);
		return;
	}
	for (size_t i = 0; i < l->n;) {
		if (strcasecmp(l->v[i], name) == 0)
			ui_strv_remove(l, i);
		else
			i++;
	}
}

void
ui_weed_apply(struct ui_weed *w, int unignore, const char *name)
{
	char low[128];
	size_t n;

	ui_lower_copy(low, sizeof(low), name);
	n = strlen(low);
	if (n > 1 && low[n - 1] == ':')
		low[n - 1] = '\0';
	if (unignore) {
		drop(&w->ignore, low);
		if (strcmp(low, "*") != 0)
			ui_strv_push(&w->unignore, low);
	} else {
		drop(&w->unignore, low);
		ui_strv_push(&w->ignore, low);
	}
}

void
ui_weed_init(struct ui_weed *w, const struct config *cfg)
{
	static const char *const shown[] = {"date",    "from",     "to", "cc",
	                                    "subject", "reply-to", NULL};
	const struct config_record *recs;
	size_t n = 0;

	memset(w, 0, sizeof(*w));
	ui_weed_apply(w, 0, "*");
	for (size_t i = 0; shown[i] != NULL; i++)
		ui_weed_apply(w, 1, shown[i]);
	recs = cfg != NULL ? config_records(cfg, &n) : NULL;
	for (size_t i = 0; i < n; i++) {
		if (recs[i].kind != CONFIG_REC_IGNORE && recs[i].kind != CONFIG_REC_UNIGNORE)
			continue;
		for (size_t k = 0; k < recs[i].argc; k++)
			ui_weed_apply(w, recs[i].kind == CONFIG_REC_UNIGNORE, recs[i].argv[k]);
	}
}

void
ui_weed_clear(struct ui_weed *w)
{
	ui_strv_clear(&w->ignore);
	ui_strv_clear(&w->unignore);
}

int
ui_weed_show(const struct ui_weed *w, const char *name)
{
	return !in_list(&w->ignore, name) || in_list(&w->unignore, name);
}

void
ui_attach_line(struct str *out, const struct core_folder_part *part)
{
	for (unsigned d = 0; d < part->depth && d < 16; d++)
		str_append(out, "  ");
	str_appendf(out, "%-5s %-24s ", *part->path ? part->path : "-", part->type);
	if (*part->filename)
		str_append(out, part->filename);
	str_append(out, "  ");
	if (!part->container)
		ui_format_size(out, (unsigned long long)part->size);
	if (part->attachment)
		str_append(out, " [attachment]");
}

/* Parts from the store's part list. */

static int
is_rfc822(const struct core_part *p)
{
	return strcmp(p->type, "message/rfc822") == 0 || strcmp(p->type, "message/global") == 0;
}

static int
shown_inline(const struct core_part *p)
{
	return strncmp(p->type, "text/", 5) == 0 && strcmp(p->disposition, "attachment") != 0;
}

struct core_folder_part *
ui_attach_from_list(struct arena *arena, const struct core_part *parts, size_t n)
{
	struct core_folder_part *v = arena_alloc(arena, (n > 0 ? n : 1) * sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		v[i].path = parts[i].path;
		v[i].type = parts[i].type;
		v[i].filename = parts[i].filename;
		v[i].size = parts[i].size;
		v[i].depth = parts[i].depth;
		v[i].container = parts[i].container;
		v[i].attachment = !parts[i].container && !shown_inline(&parts[i]);
	}
	return v;
}

/* The index after part i's subtree (the parts deeper than it that follow). */
static size_t
subtree_end(const struct core_part *parts, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && parts[j].depth > parts[i].depth)
		j++;
	return j;
}

void
ui_pager_parts_wanted(const struct core_part *parts, size_t n, uint64_t max, int *wanted)
{
	size_t i = 0;

	while (i < n) {
		wanted[i] = !parts[i].container && parts[i].size <= max &&
		            (shown_inline(&parts[i]) || is_rfc822(&parts[i]));
		if (is_rfc822(&parts[i])) {
			size_t end = subtree_end(parts, n, i);

			for (size_t k = i + 1; k < end; k++)
				wanted[k] = 0;
			i = end;
			continue;
		}
		i++;
	}
}

/* The index of part i's container, (size_t)-1 for the top. */
static size_t
parent_of(const struct core_part *parts, size_t i)
{
	for (size_t j = i; j-- > 0;)
		if (parts[j].depth < parts[i].depth)
			return j;
	return (size_t)-1;
}

/* The part standing for part i among its container's choices: a
 * multipart/related offers its root, so its parts count as it. */
static size_t
choice_of(const struct core_part *parts, size_t i)
{
	size_t j;

	while ((j = parent_of(parts, i)) != (size_t)-1 &&
	       strcasecmp(parts[j].type, "multipart/related") == 0)
		i = j;
	return i;
}

/* Whether part i is (in) one of a multipart/alternative's choices. */
static int
in_alternative(const struct core_part *parts, size_t i)
{
	size_t j = parent_of(parts, choice_of(parts, i));

	return j != (size_t)-1 && strcasecmp(parts[j].type, "multipart/alternative") == 0;
}

/* Whether the alternative holding part i also offers text/plain, which
 * the body shows rather than i (the MIME layer's order prefers it). */
static int
plain_offered(const struct core_part *parts, size_t n, size_t i)
{
	size_t j;

	i = choice_of(parts, i);
	j = parent_of(parts, i);
	for (size_t k = j + 1; k < n && parts[k].depth > parts[j].depth; k++)
		if (k != i && parts[k].depth == parts[i].depth &&
		    strcasecmp(parts[k].type, "text/plain") == 0)
			return 1;
	return 0;
}

void
ui_pager_parts_cut(const struct core_part *parts, size_t n, uint64_t max, int *wanted, int *cut)
{
	/* Without the size bound: every part the body would show. */
	ui_pager_parts_wanted(parts, n, UINT64_MAX, cut);
	for (size_t i = 0; i < n; i++) {
		cut[i] = cut[i] && !wanted[i] && parts[i].size > max && shown_inline(&parts[i]);
		/* The beginning of an HTML choice nobody sees is not worth the wait. */
		if (cut[i] && in_alternative(parts, i) &&
		    strcasecmp(parts[i].type, "text/plain") != 0 && plain_offered(parts, n, i))
			cut[i] = 0;
		if (cut[i])
			wanted[i] = 1;
	}
}

/* Appends n with a comma every three digits. */
static void
append_count(struct str *out, uint64_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			str_append_char(out, ',');
		str_append_char(out, digits[i]);
	}
}

static void
cut_notice(struct str *out, const struct core_part *p, uint64_t kept)
{
	str_appendf(out, "[-- part %s: cut at ", *p->path ? p->path : "1");
	append_count(out, kept);
	str_append(out, " of ");
	append_count(out, p->size);
	str_append(out, " bytes; to see it whole, v lists the parts: Enter views it, s saves it, "
	                "| pipes it --]");
}

void
ui_pager_fix_cut_lines(struct str *text, const char *mark, const struct core_part *parts, size_t n,
                       const int *cut, const uint64_t *kept)
{
	struct str out = STR_INIT, body = STR_INIT, notice = STR_INIT;
	const char *s = text->s != NULL ? text->s : "", *end = s + text->len, *p;
	size_t mlen = strlen(mark), hlen;
	char *present = xcalloc(n > 0 ? n : 1, 1);
	int any = 0;

	for (size_t i = 0; i < n; i++) {
		if (!cut[i])
			continue;
		any = 1;
		str_reset(&notice);
		cut_notice(&notice, &parts[i], kept[i]);
		present[i] = memmem(s, text->len, notice.s, notice.len) != NULL;
	}
	if (!any)
		goto out;
	p = memmem(s, text->len, "\n\n", 2);
	hlen = p != NULL ? (size_t)(p - s) + 2 : 0;
	for (p = s + hlen; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end, *q = p;
		struct str line = STR_INIT, after = STR_INIT;
		int marked = 0;

		/* The line without its marks; a notice after it for each. */
		while (q < le) {
			const char *m = memmem(q, (size_t)(le - q), mark, mlen);
			const char *d;
			size_t idx = 0;

			if (m == NULL || (size_t)(le - m) < mlen + 2 || m[mlen] != '-' ||
			    m[mlen + 1] < '0' || m[mlen + 1] > '9') {
				str_append_len(&line, q,
				               m != NULL ? (size_t)(m - q) + 1 : (size_t)(le - q));
				q = m != NULL ? m + 1 : le;
				continue;
			}
			str_append_len(&line, q, (size_t)(m - q));
			for (d = m + mlen + 1; d < le && *d >= '0' && *d <= '9' && idx <= n; d++)
				idx = idx * 10 + (size_t)(*d - '0');
			q = d;
			marked = 1;
			if (idx < n && cut[idx] && !present[idx]) {
				cut_notice(&after, &parts[idx], kept[idx]);
				str_append_char(&after, '\n');
				present[idx] = 1;
			}
		}
		if (!marked || line.len > 0) {
			str_append_len(&body, line.s != NULL ? line.s : "", line.len);
			if (nl != NULL || marked)
				str_append_char(&body, '\n');
		}
		str_append_len(&body, after.s != NULL ? after.s : "", after.len);
		str_free(&line);
		str_free(&after);
		p = nl != NULL ? nl + 1 : end;
	}
	str_append_len(&out, s, hlen);
	/* A choice of an alternative not shown has no mark, and no notice. */
	for (size_t i = 0; i < n; i++)
		if (cut[i] && !present[i] && !in_alternative(parts, i)) {
			cut_notice(&out, &parts[i], kept[i]);
			str_append_char(&out, '\n');
		}
	str_append_len(&out, body.s != NULL ? body.s : "", body.len);
	str_reset(text);
	str_append_len(text, out.s != NULL ? out.s : "", out.len);
out:
	free(present);
	str_free(&out);
	str_free(&body);
	str_free(&notice);
}

/* Appends data with CRLF made LF. */
static void
append_lf(struct str *out, const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n'))
			str_append_char(out, data[i]);
}

/* A header parameter value, quoted; the list's strings hold no line ends. */
static void
append_param(struct str *out, const char *name, const char *value)
{
	str_appendf(out, "; %s=\"", name);
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			str_append_char(out, '\\');
		if (*p != '\n' && *p != '\r')
			str_append_char(out, *p);
	}
	str_append_char(out, '"');
}

/* A header block for a part made from the list. */
static void
made_header(struct str *out, const struct core_part *p)
{
	str_appendf(out, "Content-Type: %s", *p->type ? p->type : "application/octet-stream");
	if (p->container && *p->boundary)
		append_param(out, "boundary", p->boundary);
	if (*p->charset)
		append_param(out, "charset", p->charset);
	if (*p->filename && !p->container)
		append_param(out, "name", p->filename);
	str_append_char(out, '\n');
	if (!p->container && (*p->disposition || *p->filename)) {
		str_append(out, "Content-Disposition: ");
		str_append(out, *p->disposition ? p->disposition : "attachment");
		if (*p->filename)
			append_param(out, "filename", p->filename);
		str_append_char(out, '\n');
	}
	str_append_char(out, '\n');
}

struct skeleton {
	struct str *out;
	const struct core_part *parts;
	size_t n;
	const struct str *mime, *body;
	const int *wanted;
};

/* Appends the body of part i; returns the index after its subtree, or
 * (size_t)-1 when the tree cannot be rebuilt. */
static size_t
skeleton_body(const struct skeleton *k, size_t i, unsigned level)
{
	const struct core_part *p = &k->parts[i];
	size_t j;

	if (level > 64)
		return (size_t)-1;
	if (!p->container) {
		if (k->wanted[i])
			append_lf(k->out, k->body[i].s != NULL ? k->body[i].s : "", k->body[i].len);
		return subtree_end(k->parts, k->n, i);
	}
	if (*p->boundary == '\0')
		return (size_t)-1;
	j = i + 1;
	while (j < k->n && k->parts[j].depth > p->depth) {
		if (k->parts[j].depth != p->depth + 1)
			return (size_t)-1;
		str_appendf(k->out, "\n--%s\n", p->boundary);
		if (k->wanted[j] && !is_rfc822(&k->parts[j]))
			append_lf(k->out, k->mime[j].s != NULL ? k->mime[j].s : "", k->mime[j].len);
		else
			made_header(k->out, &k->parts[j]);
		j = skeleton_body(k, j, level + 1);
		if (j == (size_t)-1)
			return j;
	}
	str_appendf(k->out, "\n--%s--\n", p->boundary);
	return j;
}

int
ui_pager_skeleton(struct str *out, const char *header, size_t hlen, const struct core_part *parts,
                  size_t n, const struct str *mime, const struct str *body, const int *wanted)
{
	struct skeleton k = {out, parts, n, mime, body, wanted};
	size_t was = out->len;

	if (n == 0 || parts[0].depth != 0) {
		return -1;
	}
	append_lf(out, header, hlen);
	if (out->len == was || out->s[out->len - 1] != '\n')
		str_append_char(out, '\n');
	if (out->len - was < 2 || out->s[out->len - 2] != '\n')
		str_append_char(out, '\n');
	if (skeleton_body(&k, 0, 0) != n) {
		str_truncate(out, was);
		return -1;
	}
	str_append(out, "");
	return 0;
}

/* The decoded size of a part from its stored size, as the MIME layer
 * estimates it, formatted as in its attachment lines. */
static void
estimated_size(struct str *out, const struct core_part *p)
{
	str_append(out, "~");
	str_append_size(out, core_part_decoded_size(p->size, p->encoding));
}

void
ui_pager_fix_attach_lines(struct str *text, const struct core_part *parts, size_t n,
                          const int *wanted)
{
	struct str out = STR_INIT;
	const char *p = text->s != NULL ? text->s : "", *end = p + text->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		size_t i = n;

		if (len > 15 && strncmp(p, "[-- Attachment ", 15) == 0) {
			size_t pl = strcspn(p + 15, ":\n");

			for (i = 0; i < n; i++)
				if (!wanted[i] && !parts[i].container &&
				    strlen(parts[i].path) == pl &&
				    strncmp(parts[i].path, p + 15, pl) == 0)
					break;
		}
		if (i < n) {
			str_appendf(&out, "[-- Attachment %s: %s", parts[i].path, parts[i].type);
			if (*parts[i].filename)
				str_appendf(&out, ", \"%s\"", parts[i].filename);
			str_append(&out, ", ");
			estimated_size(&out, &parts[i]);
			str_append(&out, " --]");
		} else {
			str_append_len(&out, p, len);
		}
		if (nl == NULL)
			break;
		str_append_char(&out, '\n');
		p = nl + 1;
	}
	str_reset(text);
	str_append_len(text, out.s != NULL ? out.s : "", out.len);
	str_free(&out);
}
