#include "config.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "ui/ui-pattern.h"
#include "ui/ui-width.h"

/* Nesting of parentheses and negations accepted. */
#define PATTERN_DEPTH_MAX 64

enum node_kind { N_AND, N_OR, N_NOT, N_TEXT, N_DATE, N_SIZE, N_FLAG, N_BODY };

struct node {
	enum node_kind kind;
	struct node *a, *b;
	char field; /* N_TEXT: f t c C s i L x; N_FLAG: N O U R F T D Q A */
	int substring;
	int icase;
	int have_re;
	regex_t re;
	char *text;
	time_t lo, hi;     /* N_DATE, inclusive */
	uint64_t slo, shi; /* N_SIZE, inclusive */
	uint64_t *ids;     /* N_BODY: the messages the search found, sorted */
	size_t nids;
};

struct ui_pattern {
	struct node *root;
	struct node **body; /* the N_BODY nodes, in pattern order */
	size_t nbody;
};

struct parser {
	const char *s;
	size_t pos;
	time_t now;
	int depth;
	struct err *err;
	struct node **body; /* the ~b nodes met so far */
	size_t nbody;
};

static int
id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_free(n->a);
	node_free(n->b);
	if (n->have_re)
		regfree(&n->re);
	free(n->text);
	free(n->ids);
	free(n);
}

void
ui_pattern_free(struct ui_pattern **pp)
{
	if (*pp == NULL)
		return;
	node_free((*pp)->root);
	free((*pp)->body);
	free(*pp);
	*pp = NULL;
}

static struct node *
node_new(enum node_kind kind)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	return n;
}

static void
skip_ws(struct parser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t')
		p->pos++;
}

/* Whether s holds an upper-case letter: then matching is case-sensitive. */
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

/* Reads an argument: quoted, or up to a blank or an unbalanced ')'.
 * keep_backslash keeps "\x" as two characters (regular expressions). */
static char *
read_arg(struct parser *p, int keep_backslash)
{
	struct str o = STR_INIT;
	const char *s = p->s;
	int depth = 0;

	skip_ws(p);
	if (s[p->pos] == '"' || s[p->pos] == '\'') {
		char q = s[p->pos++];

		while (s[p->pos] != '\0' && s[p->pos] != q) {
			if (q == '"' && s[p->pos] == '\\' && s[p->pos + 1] != '\0') {
				if (keep_backslash && s[p->pos + 1] != '"' && s[p->pos + 1] != '\\')
					str_append_char(&o, '\\');
				p->pos++;
			}
			str_append_char(&o, s[p->pos++]);
		}
		if (s[p->pos] != q) {
			str_free(&o);
			err_set(p->err, ERR_USAGE, "unterminated quote in the pattern");
			return NULL;
		}
		p->pos++;
		return str_detach(&o);
	}
	while (s[p->pos] != '\0' && s[p->pos] != ' ' && s[p->pos] != '\t') {
		char c = s[p->pos];

		if (c == '\\' && s[p->pos + 1] != '\0') {
			if (keep_backslash)
				str_append_char(&o, '\\');
			str_append_char(&o, s[p->pos + 1]);
			p->pos += 2;
			continue;
		}
		if (c == '(')
			depth++;
		if (c == ')' && depth-- == 0)
			break;
		str_append_char(&o, c);
		p->pos++;
	}
	if (o.len == 0) {
		str_free(&o);
		return NULL;
	}
	return str_detach(&o);
}

static int
text_node(struct parser *p, struct node *n, const char *arg, int substring)
{
	n->kind = N_TEXT;
	n->substring = substring;
	n->icase = !has_upper(arg);
	n->text = xstrdup(arg);
	if (!substring) {
		int rc =
		    regcomp(&n->re, arg, REG_EXTENDED | REG_NOSUB | (n->icase ? REG_ICASE : 0));

		if (rc != 0) {
			char buf[128];

			regerror(rc, &n->re, buf, sizeof(buf));
			return err_set(p->err, ERR_USAGE, "bad regular expression \"%s\": %s", arg,
			               buf);
		}
		n->have_re = 1;
	}
	return 0;
}

/* D[/M[/Y]] at *s; fills *tm (midnight); advances *s. */
static int
parse_abs_date(const char **s, time_t now, struct tm *tm)
{
	struct tm cur;
	long v[3] = {0, 0, 0};
	int digits[3] = {0, 0, 0}, n = 0;
	const char *q = *s;

	localtime_r(&now, &cur);
	while (n < 3) {
		if (!isdigit((unsigned char)*q))
			return -1;
		while (isdigit((unsigned char)*q) && digits[n] < 5)
			v[n] = v[n] * 10 + (*q++ - '0'), digits[n]++;
		n++;
		if (*q != '/' || n == 3)
			break;
		q++;
	}
	memset(tm, 0, sizeof(*tm));
	tm->tm_mday = (int)v[0];
	tm->tm_mon = n >= 2 ? (int)v[1] - 1 : cur.tm_mon;
	if (n >= 3)
		tm->tm_year =
		    digits[2] <= 2 ? (int)(v[2] < 70 ? v[2] + 100 : v[2]) : (int)v[2] - 1900;
	else
		tm->tm_year = cur.tm_year;
	tm->tm_isdst = -1;
	if (tm->tm_mday < 1 || tm->tm_mday > 31 || tm->tm_mon < 0 || tm->tm_mon > 11 ||
	    tm->tm_year < 0 || tm->tm_year > 8000)
		return -1;
	*s = q;
	return 0;
}

static time_t
day_start(struct tm tm)
{
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static time_t
day_end(struct tm tm)
{
	tm.tm_hour = 23;
	tm.tm_min = tm.tm_sec = 59;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/* now moved back by n units. */
static time_t
back(time_t now, long n, char unit)
{
	struct tm tm;

	localtime_r(&now, &tm);
	switch (unit) {
	case 'S':
		tm.tm_sec -= (int)n;
		break;
	case 'M':
		tm.tm_min -= (int)n;
		break;
	case 'H':
		tm.tm_hour -= (int)n;
		break;
	case 'd':
		tm.tm_mday -= (int)n;
		break;
	case 'w':
		tm.tm_mday -= (int)(7 * n);
		break;
	case 'm':
		tm.tm_mon -= (int)n;
		break;
	case 'y':
		tm.tm_year -= (int)n;
		break;
	default:
		return (time_t)-1;
	}
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
date_node(struct parser *p, struct node *n, const char *arg)
{
	const char *s = arg;
	struct tm a, b;

	n->kind = N_DATE;
	n->lo = (time_t)0;
	n->hi = (time_t)((~(uint64_t)0) >> 2);
	if (*s == '<' || *s == '>' || *s == '=') {
		char op = *s++;
		char *end;
		long v = strtol(s, &end, 10);
		char unit = *end != '\0' ? *end : 'd';
		time_t t, t1;

		if (end == s || v < 0 || v > 100000 || (*end != '\0' && end[1] != '\0') ||
		    strchr("SMHdwmy", unit) == NULL)
			goto bad;
		t = back(p->now, v, unit);
		if (op == '<') {
			n->lo = t;
		} else if (op == '>') {
			n->hi = t;
		} else {
			t1 = back(p->now, v + 1, unit);
			n->lo = t1 + 1;
			n->hi = t;
		}
		return 0;
	}
	if (*s == '-') {
		s++;
		if (parse_abs_date(&s, p->now, &b) < 0 || *s != '\0')
			goto bad;
		n->hi = day_end(b);
		return 0;
	}
	if (parse_abs_date(&s, p->now, &a) < 0)
		goto bad;
	n->lo = day_start(a);
	if (*s == '\0') {
		n->hi = day_end(a);
		return 0;
	}
	if (*s != '-')
		goto bad;
	s++;
	if (*s == '\0')
		return 0;
	if (parse_abs_date(&s, p->now, &b) < 0 || *s != '\0')
		goto bad;
	n->hi = day_end(b);
	if (n->hi < n->lo)
		return err_set(p->err, ERR_USAGE, "the date range \"%s\" ends before it starts",
		               arg);
	return 0;
bad:
	return err_set(p->err, ERR_USAGE,
	               "bad date \"%s\": write D/M/Y, a range D/M/Y-D/M/Y, or <7d, >2w, =1m", arg);
}

static int
parse_size(const char *s, uint64_t *v_r, const char **end_r)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		v *= 1024, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1024 * 1024, end++;
	*v_r = v;
	*end_r = end;
	return 0;
}

static int
size_node(struct parser *p, struct node *n, const char *arg)
{
	const char *s = arg, *end;
	uint64_t v;

	n->kind = N_SIZE;
	n->slo = 0;
	n->shi = UINT64_MAX;
	if (*s == '<' || *s == '>') {
		if (parse_size(s + 1, &v, &end) < 0 || *end != '\0')
			goto bad;
		if (*s == '<')
			n->shi = v > 0 ? v - 1 : 0;
		else
			n->slo = v + 1;
		return 0;
	}
	if (*s != '-') {
		if (parse_size(s, &v, &end) < 0)
			goto bad;
		n->slo = v;
		s = end;
		if (*s == '\0') {
			n->shi = v;
			return 0;
		}
		if (*s != '-')
			goto bad;
	}
	s++;
	if (*s == '\0')
		return 0;
	if (parse_size(s, &v, &end) < 0 || *end != '\0')
		goto bad;
	n->shi = v;
	return 0;
bad:
	return err_set(p->err, ERR_USAGE, "bad size \"%s\": write 10K, <1M, >500 or 1K-2M", arg);
}

static struct node *parse_or(struct parser *p);

static struct node *
parse_atom(struct parser *p)
{
	char sigil = p->s[p->pos], letter;
	struct node *n;
	char *arg = NULL;

	if (sigil != '~' && sigil != '=') {
		if (sigil == ')')
			err_set(p->err, ERR_USAGE, "\")\" without \"(\" in the pattern");
		else
			err_set(
			    p->err, ERR_USAGE,
			    "unexpected \"%c\" in the pattern: a pattern starts with ~, =, ! or (",
			    sigil);
		return NULL;
	}
	letter = p->s[p->pos + 1];
	if (letter == '\0') {
		err_set(p->err, ERR_USAGE, "\"%c\" at the end of the pattern needs a letter",
		        sigil);
		return NULL;
	}
	p->pos += 2;
	n = node_new(N_FLAG);
	if (strchr("ftcCsiLx", letter) != NULL) {
		arg = read_arg(p, sigil == '~');
		if (arg == NULL) {
			if (p->err->kind == ERR_NONE)
				err_set(p->err, ERR_USAGE, "%c%c needs an expression", sigil,
				        letter);
			goto fail;
		}
		n->field = letter;
		if (text_node(p, n, arg, sigil == '=') < 0)
			goto fail;
	} else if (sigil == '=') {
		err_set(p->err, ERR_USAGE, "=%c is not a pattern (= works with f t c C s i L x)",
		        letter);
		goto fail;
	} else if (letter == 'd' || letter == 'z') {
		arg = read_arg(p, 0);
		if (arg == NULL) {
			if (p->err->kind == ERR_NONE)
				err_set(p->err, ERR_USAGE, "~%c needs %s", letter,
				        letter == 'd' ? "a date or a range of dates" : "a size");
			goto fail;
		}
		if ((letter == 'd' ? date_node(p, n, arg) : size_node(p, n, arg)) < 0)
			goto fail;
	} else if (strchr("NOURFTDQA", letter) != NULL) {
		n->field = letter;
	} else if (letter == 'b') {
		arg = read_arg(p, 0);
		if (arg == NULL || *arg == '\0') {
			if (p->err->kind == ERR_NONE)
				err_set(p->err, ERR_USAGE, "~b needs the text to look for");
			goto fail;
		}
		n->kind = N_BODY;
		n->text = arg;
		arg = NULL;
		p->body = xreallocarray(p->body, p->nbody + 1, sizeof(*p->body));
		p->body[p->nbody++] = n;
	} else if (letter == 'B' || letter == 'h') {
		err_set(p->err, ERR_USAGE,
		        "~%c searches whole messages, which the index cannot do yet: ~b searches "
		        "bodies",
		        letter);
		goto fail;
	} else {
		err_set(p->err, ERR_USAGE, "~%c is not a pattern", letter);
		goto fail;
	}
	free(arg);
	return n;
fail:
	free(arg);
	node_free(n);
	return NULL;
}

static struct node *
parse_unary(struct parser *p)
{
	struct node *n;

	skip_ws(p);
	if (++p->depth > PATTERN_DEPTH_MAX) {
		err_set(p->err, ERR_USAGE, "the pattern nests too deep");
		return NULL;
	}
	if (p->s[p->pos] == '!') {
		struct node *no;

		p->pos++;
		skip_ws(p);
		if (p->s[p->pos] == '\0' || p->s[p->pos] == '|' || p->s[p->pos] == ')') {
			err_set(p->err, ERR_USAGE, "\"!\" needs a pattern after it");
			return NULL;
		}
		n = parse_unary(p);
		if (n == NULL)
			return NULL;
		no = node_new(N_NOT);
		no->a = n;
		p->depth--;
		return no;
	}
	if (p->s[p->pos] == '(') {
		p->pos++;
		n = parse_or(p);
		if (n == NULL)
			return NULL;
		skip_ws(p);
		if (p->s[p->pos] != ')') {
			node_free(n);
			err_set(p->err, ERR_USAGE, "\"(\" without \")\" in the pattern");
			return NULL;
		}
		p->pos++;
		p->depth--;
		return n;
	}
	if (p->s[p->pos] == '\0') {
		err_set(p->err, ERR_USAGE, "the pattern ends where a pattern was expected");
		return NULL;
	}
	n = parse_atom(p);
	p->depth--;
	return n;
}

static struct node *
parse_and(struct parser *p)
{
	struct node *left = parse_unary(p);

	while (left != NULL) {
		struct node *right, *n;

		skip_ws(p);
		if (p->s[p->pos] == '\0' || p->s[p->pos] == '|' || p->s[p->pos] == ')')
			break;
		right = parse_unary(p);
		if (right == NULL) {
			node_free(left);
			return NULL;
		}
		n = node_new(N_AND);
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

static struct node *
parse_or(struct parser *p)
{
	struct node *left = parse_and(p);

	while (left != NULL) {
		struct node *right, *n;

		skip_ws(p);
		if (p->s[p->pos] != '|')
			break;
		p->pos++;
		skip_ws(p);
		if (p->s[p->pos] == '\0' || p->s[p->pos] == ')') {
			node_free(left);
			err_set(p->err, ERR_USAGE, "\"|\" needs a pattern after it");
			return NULL;
		}
		right = parse_and(p);
		if (right == NULL) {
			node_free(left);
			return NULL;
		}
		n = node_new(N_OR);
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

int
ui_pattern_compile(const char *text, time_t now, struct ui_pattern **p_r, struct err *err)
{
	struct parser p = {text, 0, now, 0, err, NULL, 0};
	struct node *root;

	*p_r = NULL;
	err_clear(err);
	while (*text == ' ' || *text == '\t')
		text++;
	if (*text == '\0')
		return err_set(err, ERR_USAGE, "empty pattern");
	p.s = text;
	if (strpbrk(text, "~=") == NULL) {
		struct node *f = node_new(N_TEXT), *s = node_new(N_TEXT);

		root = node_new(N_OR);
		root->a = f;
		root->b = s;
		f->field = 'f';
		s->field = 's';
		if (text_node(&p, f, text, 0) < 0 || text_node(&p, s, text, 0) < 0) {
			node_free(root);
			return -1;
		}
	} else {
		root = parse_or(&p);
		if (root == NULL) {
			free(p.body);
			return -1;
		}
		skip_ws(&p);
		if (p.s[p.pos] != '\0') {
			node_free(root);
			free(p.body);
			if (p.s[p.pos] == ')')
				return err_set(err, ERR_USAGE,
				               "\")\" without \"(\" in the pattern");
			return err_set(err, ERR_USAGE, "unexpected text in the pattern: %s",
			               p.s + p.pos);
		}
	}
	*p_r = xcalloc(1, sizeof(**p_r));
	(*p_r)->root = root;
	(*p_r)->body = p.body;
	(*p_r)->nbody = p.nbody;
	return 0;
}

size_t
ui_pattern_body_count(const struct ui_pattern *p)
{
	return p->nbody;
}

const char *
ui_pattern_body_text(const struct ui_pattern *p, size_t i)
{
	return i < p->nbody ? p->body[i]->text : NULL;
}

void
ui_pattern_body_set(struct ui_pattern *p, size_t i, const uint64_t *ids, size_t n)
{
	struct node *b;

	if (i >= p->nbody)
		return;
	b = p->body[i];
	free(b->ids);
	b->ids = n > 0 ? xcalloc(n, sizeof(*b->ids)) : NULL;
	if (n > 0)
		memcpy(b->ids, ids, n * sizeof(*ids));
	b->nids = n;
	if (n > 1)
		qsort(b->ids, n, sizeof(*b->ids), id_cmp);
}

static int
text_match(const struct node *n, const char *s)
{
	if (s == NULL || *s == '\0')
		return n->substring ? n->text[0] == '\0' : regexec(&n->re, "", 0, NULL, 0) == 0;
	if (n->substring)
		return (n->icase ? strcasestr(s, n->text) : strstr(s, n->text)) != NULL;
	return regexec(&n->re, s, 0, NULL, 0) == 0;
}

static int
field_match(const struct node *n, const struct mime_summary *s)
{
	switch (n->field) {
	case 'f':
		return text_match(n, s->from_name) || text_match(n, s->from_addr);
	case 't':
		return text_match(n, s->to);
	case 'c':
		return text_match(n, s->cc);
	case 'C':
		return text_match(n, s->to) || text_match(n, s->cc);
	case 's':
		return text_match(n, s->subject);
	case 'i':
		return text_match(n, s->message_id);
	case 'x':
		return text_match(n, s->references) || text_match(n, s->in_reply_to);
	case 'L':
		return text_match(n, s->from_name) || text_match(n, s->from_addr) ||
		       text_match(n, s->to) || text_match(n, s->cc);
	default:
		return 0;
	}
}

static int
flag_match(char f, const struct ui_msg *m)
{
	unsigned fl = m->s.flags;
	int unread = !(fl & MIME_FLAG_SEEN);

	switch (f) {
	case 'N':
		return unread && (fl & MIME_FLAG_RECENT);
	case 'O':
		return unread && !(fl & MIME_FLAG_RECENT);
	case 'U':
		return unread;
	case 'R':
		return !unread;
	case 'F':
		return (fl & MIME_FLAG_FLAGGED) != 0;
	case 'D':
		return (fl & MIME_FLAG_DELETED) != 0;
	case 'Q':
		return (fl & MIME_FLAG_ANSWERED) != 0;
	case 'T':
		return m->tagged;
	case 'A':
		return 1;
	default:
		return 0;
	}
}

static int
eval(const struct node *n, const struct ui_msg *m)
{
	switch (n->kind) {
	case N_AND:
		return eval(n->a, m) && eval(n->b, m);
	case N_OR:
		return eval(n->a, m) || eval(n->b, m);
	case N_NOT:
		return !eval(n->a, m);
	case N_TEXT:
		return field_match(n, &m->s);
	case N_DATE:
		return m->s.date >= n->lo && m->s.date <= n->hi;
	case N_SIZE:
		return m->s.size >= n->slo && m->s.size <= n->shi;
	case N_FLAG:
		return flag_match(n->field, m);
	case N_BODY:
		return n->nids > 0 &&
		       bsearch(&m->s.id, n->ids, n->nids, sizeof(*n->ids), id_cmp) != NULL;
	}
	return 0;
}

int
ui_pattern_match(const struct ui_pattern *p, const struct ui_msg *m)
{
	return m->loaded && eval(p->root, m);
}
