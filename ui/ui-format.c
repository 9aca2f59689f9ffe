#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui-format.h"
#include "ui/ui-width.h"

/* Bounds on widths and on %?...? nesting, against silly formats. */
#define WIDTH_MAX 1024
#define NEST_MAX 8

void
ui_format_size(struct str *out, unsigned long long size)
{
	if (size < 1024)
		str_appendf(out, "%llu", size);
	else if (size < 10 * 1024)
		str_appendf(out, "%.1fK", (double)size / 1024.0);
	else if (size < 1024 * 1024)
		str_appendf(out, "%lluK", (size + 512) / 1024);
	else if (size < 10ull * 1024 * 1024)
		str_appendf(out, "%.1fM", (double)size / (1024.0 * 1024.0));
	else
		str_appendf(out, "%lluM", (size + 512 * 1024) / (1024 * 1024));
}

static void
append_date(struct str *out, time_t t, const char *fmt)
{
	char buf[256];
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL) {
		str_append(out, "?");
		return;
	}
	/* The format is the user's index_format: strftime cannot overflow
	 * buf and reads nothing but tm. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, sizeof(buf), fmt, &tm) > 0)
		str_append(out, buf);
#pragma GCC diagnostic pop
}

static void
append_flags(struct str *out, const struct ui_msg *m, int one)
{
	unsigned f = m->s.flags;
	char c1 = ' ', c2 = ' ', c3 = ' ';

	if (f & MIME_FLAG_DELETED)
		c1 = 'D';
	else if (!(f & MIME_FLAG_SEEN))
		c1 = (f & MIME_FLAG_RECENT) ? 'N' : 'O';
	if (m->tagged)
		c2 = '*';
	else if (f & MIME_FLAG_FLAGGED)
		c2 = '!';
	if (f & MIME_FLAG_ANSWERED)
		c3 = 'r';
	else if (f & MIME_FLAG_PASSED)
		c3 = 'f';
	if (one) {
		str_append_char(out, c1 != ' ' ? c1 : c2 != ' ' ? c2 : c3);
		return;
	}
	str_append_char(out, c1);
	str_append_char(out, c2);
	str_append_char(out, c3);
}

static const char *
sender_name(const struct ui_msg *m)
{
	return *m->s.from_name ? m->s.from_name : m->s.from_addr;
}

/* The text of one conversion; *numeric_r when it is a number (zero
 * padding applies).  Returns 0 for an unknown conversion. */
static int
convert(struct str *v, char conv, const char *arg, const struct ui_format_ctx *c, int *numeric_r)
{
	const struct ui_msg *m = c->m;

	*numeric_r = 0;
	switch (conv) {
	case 'C':
		str_appendf(v, "%zu", c->number);
		*numeric_r = 1;
		break;
	case 'Z':
		append_flags(v, m, 0);
		break;
	case 'S':
		append_flags(v, m, 1);
		break;
	case 'd':
	case 'D':
		append_date(v, m->s.date, "%d %b %Y");
		break;
	case '{':
	case '[':
		append_date(v, m->s.date, arg);
		break;
	case '(':
		append_date(v, m->s.received, arg);
		break;
	case 'F':
	case 'L':
		if (c->is_me != NULL && *m->s.from_addr && c->is_me(m->s.from_addr, c->me_ctx) &&
		    *m->s.to) {
			str_append(v, "To ");
			str_append(v, m->s.to);
		} else {
			str_append(v, sender_name(m));
		}
		break;
	case 'n':
		str_append(v, sender_name(m));
		break;
	case 'a':
		str_append(v, m->s.from_addr);
		break;
	case 'u':
		str_append_len(v, m->s.from_addr, strcspn(m->s.from_addr, "@"));
		break;
	case 't':
		str_append(v, m->s.to);
		break;
	case 's':
		str_append(v, m->tree != NULL ? m->tree : "");
		if (m->subject_changed || m->parent == UI_NONE)
			str_append(v, m->s.subject);
		break;
	case 'c':
		ui_format_size(v, (unsigned long long)m->s.size);
		break;
	case 'l':
		str_appendf(v, "%u", m->s.lines);
		*numeric_r = 1;
		break;
	case 'i':
		str_append(v, m->s.message_id);
		break;
	case 'M':
		if (m->collapsed && m->descendants > 0)
			str_appendf(v, "%u", m->descendants);
		*numeric_r = 1;
		break;
	default:
		return 0;
	}
	return 1;
}

/* Whether %?x? is true. */
static int
cond_true(char conv, const char *arg, const struct ui_format_ctx *c)
{
	struct str v = STR_INIT;
	int numeric, yes;

	switch (conv) {
	case 'l':
		return c->m->s.lines > 0;
	case 'c':
		return c->m->s.size > 0;
	case 'M':
		return c->m->collapsed && c->m->descendants > 0;
	default:
		break;
	}
	if (!convert(&v, conv, arg, c, &numeric)) {
		str_free(&v);
		return 0;
	}
	yes = v.len > 0 && !(numeric && strcmp(v.s, "0") == 0) && strspn(v.s, " ") != v.len;
	str_free(&v);
	return yes;
}

struct fmt_state {
	const struct ui_format_ctx *c;
	size_t cols;
	int depth;
};

static void expand(struct fmt_state *st, struct str *out, const char *f, size_t len);

/* Finds the end of a %?x?...&...? branch at f: the '&' or '?' that ends
 * it at nesting level zero.  Returns its offset (or len). */
static size_t
branch_end(const char *f, size_t len, int stop_at_amp)
{
	int nest = 0;

	for (size_t i = 0; i < len; i++) {
		if (f[i] == '%' && i + 1 < len) {
			if (f[i + 1] == '?' && i + 3 < len) {
				/* A nested "%?x?": its closing '?' is not ours. */
				nest++;
				i += 3;
				continue;
			}
			i++;
			continue;
		}
		if (f[i] == '?') {
			if (nest == 0)
				return i;
			nest--;
			continue;
		}
		if (f[i] == '&' && nest == 0 && stop_at_amp)
			return i;
	}
	return len;
}

static void
expand(struct fmt_state *st, struct str *out, const char *f, size_t len)
{
	size_t i = 0;

	while (i < len) {
		int left = 0, zero = 0, numeric;
		size_t min = 0, max = SIZE_MAX;
		char conv;
		const char *arg = NULL;
		char argbuf[128];
		struct str v = STR_INIT;

		if (f[i] != '%') {
			size_t n = strcspn(f + i, "%");

			if (n > len - i)
				n = len - i;
			str_append_len(out, f + i, n);
			i += n;
			continue;
		}
		if (++i >= len)
			break;
		if (f[i] == '%') {
			str_append_char(out, '%');
			i++;
			continue;
		}
		if (f[i] == '?' && st->depth < NEST_MAX) {
			/* %?x?then&else? */
			size_t t0, t1, e0 = 0, e1 = 0;
			char cc;
			int yes;

			if (i + 2 >= len)
				break;
			cc = f[i + 1];
			if (f[i + 2] != '?') {
				i += 2;
				continue;
			}
			t0 = i + 3;
			t1 = t0 + branch_end(f + t0, len - t0, 1);
			if (t1 < len && f[t1] == '&') {
				e0 = t1 + 1;
				e1 = e0 + branch_end(f + e0, len - e0, 0);
			} else {
				e0 = e1 = t1;
			}
			yes = cond_true(cc, "", st->c);
			st->depth++;
			if (yes)
				expand(st, out, f + t0, t1 - t0);
			else
				expand(st, out, f + e0, e1 - e0);
			st->depth--;
			i = (e1 < len ? e1 + 1 : len);
			continue;
		}
		if (f[i] == '>' || f[i] == '*' || f[i] == '|') {
			char op = f[i];
			char pad = i + 1 < len ? f[i + 1] : ' ';
			struct str right = STR_INIT;
			size_t lw, rw;

			if (op == '|') {
				lw = ui_width_str(out->s ? out->s : "", out->len);
				if (st->cols > lw)
					for (size_t k = lw; k < st->cols; k++)
						str_append_char(out, pad);
				return;
			}
			expand(st, &right, f + i + 2 > f + len ? f + len : f + i + 2,
			       i + 2 <= len ? len - i - 2 : 0);
			lw = ui_width_str(out->s ? out->s : "", out->len);
			rw = ui_width_str(right.s ? right.s : "", right.len);
			if (st->cols > 0 && lw + rw > st->cols) {
				/* The left part gives way. */
				size_t keep = st->cols > rw ? st->cols - rw : 0;
				size_t used,
				    cut = ui_width_cut(out->s ? out->s : "", out->len, keep, &used);

				str_truncate(out, cut);
				lw = used;
			}
			while (st->cols > 0 && lw + rw < st->cols) {
				str_append_char(out, pad);
				lw++;
			}
			str_append_len(out, right.s ? right.s : "", right.len);
			str_free(&right);
			return;
		}
		if (f[i] == '-') {
			left = 1;
			i++;
		}
		if (i < len && f[i] == '0') {
			zero = 1;
			i++;
		}
		while (i < len && isdigit((unsigned char)f[i])) {
			min = min * 10 + (size_t)(f[i] - '0');
			if (min > WIDTH_MAX)
				min = WIDTH_MAX;
			i++;
		}
		if (i < len && f[i] == '.') {
			max = 0;
			i++;
			while (i < len && isdigit((unsigned char)f[i])) {
				max = max * 10 + (size_t)(f[i] - '0');
				if (max > WIDTH_MAX)
					max = WIDTH_MAX;
				i++;
			}
		}
		if (i >= len)
			break;
		conv = f[i++];
		if (conv == '{' || conv == '[' || conv == '(') {
			char close = conv == '{' ? '}' : conv == '[' ? ']' : ')';
			size_t n = 0;

			while (i < len && f[i] != close) {
				if (n + 1 < sizeof(argbuf))
					argbuf[n++] = f[i];
				i++;
			}
			argbuf[n] = '\0';
			if (i < len)
				i++;
			arg = argbuf;
		}
		if (!convert(&v, conv, arg != NULL ? arg : "", st->c, &numeric)) {
			str_append_char(out, '%');
			str_append_char(out, conv);
			str_free(&v);
			continue;
		}
		ui_width_fit(out, v.s ? v.s : "", v.len, min, max, left,
		             zero && numeric && !left ? '0' : ' ');
		str_free(&v);
	}
}

void
ui_format_index(struct str *out, const char *fmt, const struct ui_format_ctx *c, size_t cols)
{
	struct fmt_state st = {c, cols, 0};
	struct str line = STR_INIT;

	expand(&st, &line, fmt, strlen(fmt));
	if (cols > 0)
		ui_width_fit(out, line.s ? line.s : "", line.len, 0, cols, 1, ' ');
	else
		str_append_len(out, line.s ? line.s : "", line.len);
	str_free(&line);
}
