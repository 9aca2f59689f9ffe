#include "config.h"

#include <string.h>
#include <strings.h>

#include "base/base-str.h"
#include "imap/imap-internal.h"
#include "imap/imap-utf7.h"

/*
 * Typed values on top of the generic tree: flags, mailbox names, FETCH
 * items, ENVELOPE and BODYSTRUCTURE.  The tree's depth is bounded by the
 * parser, and the body decoder recurses at most `depth_max` levels, so no
 * server can make these walks deep.
 */

int
imap_decode_strings(struct arena *arena, const struct imap_arg *arg, int nil_ok,
		    struct imap_strings *out, const char **why_r)
{
	const char **v;

	out->v = NULL;
	out->n = 0;
	if (arg->type == IMAP_ARG_NIL && nil_ok)
		return 0;
	if (arg->type != IMAP_ARG_LIST) {
		*why_r = "expected a list";
		return -1;
	}
	v = arena_alloc(arena, (arg->len + 1) * sizeof(*v));
	for (size_t i = 0; i < arg->len; i++) {
		v[i] = imap_arg_astring(&arg->u.list[i]);
		if (v[i] == NULL) {
			*why_r = "expected an atom or a string in a list";
			return -1;
		}
	}
	out->v = v;
	out->n = arg->len;
	return 0;
}

int
imap_decode_flags(struct arena *arena, const struct imap_arg *arg, struct imap_flags *out,
		  const char **why_r)
{
	static const struct {
		const char *name;
		unsigned bit;
	} sys[] = {
		{"\\Seen", IMAP_FLAG_SEEN},	  {"\\Answered", IMAP_FLAG_ANSWERED},
		{"\\Flagged", IMAP_FLAG_FLAGGED}, {"\\Deleted", IMAP_FLAG_DELETED},
		{"\\Draft", IMAP_FLAG_DRAFT},	  {"\\Recent", IMAP_FLAG_RECENT},
		{"$Forwarded", IMAP_FLAG_FORWARDED}, {"\\*", IMAP_FLAG_ANY_KEYWORD},
	};

	out->bits = 0;
	if (imap_decode_strings(arena, arg, 0, &out->v, why_r) < 0) {
		*why_r = "bad flag list";
		return -1;
	}
	for (size_t i = 0; i < out->v.n; i++) {
		const char *f = out->v.v[i];

		if (f[0] != '\\' && f[0] != '$')
			continue;
		/* The second letter tells the system flags apart. */
		for (size_t k = 0; k < sizeof(sys) / sizeof(sys[0]); k++)
			if ((f[1] | 0x20) == (sys[k].name[1] | 0x20) && f[0] == sys[k].name[0] &&
			    strcasecmp(f, sys[k].name) == 0)
				out->bits |= sys[k].bit;
	}
	return 0;
}

int
imap_decode_mailbox(struct arena *arena, const struct imap_arg *arg, int utf8,
		    struct imap_mailbox *out, const char **why_r)
{
	const char *raw = imap_arg_astring(arg);
	struct str s = STR_INIT;

	if (raw == NULL) {
		*why_r = "mailbox name is not a string";
		return -1;
	}
	if (memchr(raw, '\0', arg->len) != NULL) {
		*why_r = "mailbox name holds a NUL byte";
		return -1;
	}
	out->raw = raw;
	out->name = raw;
	out->invalid = 0;
	if (utf8) {
		out->invalid = !imap_utf8_valid(raw, arg->len);
		return 0;
	}
	if (imap_utf7_decode(&s, raw, arg->len) < 0)
		out->invalid = 1;
	else if (s.len != arg->len || memcmp(s.s, raw, s.len) != 0)
		out->name = arena_strndup(arena, s.s, s.len);
	str_free(&s);
	return 0;
}

/* ---- INTERNALDATE ---- */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
imap_parse_internaldate(const char *s, time_t *time_r)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	int day, mon = -1, year, hh, mm, ss, zh, zm;
	size_t dl;
	int64_t t;

	if (*s == ' ')
		s++;
	dl = s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' ? 2 : 1;
	if (digits(s, (int)dl, &day) < 0 || s[dl] != '-')
		return -1;
	s += dl + 1;
	/* Compared by hand: a FETCH of every message parses one date each. */
	if (s[0] != '\0' && s[1] != '\0' && s[2] != '\0') {
		char m0 = (char)(s[0] | 0x20), m1 = (char)(s[1] | 0x20), m2 = (char)(s[2] | 0x20);

		for (int i = 0; i < 12; i++)
			if (m0 == months[3 * i] && m1 == months[3 * i + 1] && m2 == months[3 * i + 2])
				mon = i + 1;
	}
	if (mon < 0 || s[3] != '-')
		return -1;
	s += 4;
	if (digits(s, 4, &year) < 0 || s[4] != ' ' || digits(s + 5, 2, &hh) < 0 || s[7] != ':' ||
	    digits(s + 8, 2, &mm) < 0 || s[10] != ':' || digits(s + 11, 2, &ss) < 0 ||
	    s[13] != ' ' || (s[14] != '+' && s[14] != '-') || digits(s + 15, 2, &zh) < 0 ||
	    digits(s + 17, 2, &zm) < 0 || s[19] != '\0')
		return -1;
	if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 || zm > 59)
		return -1;
	t = days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 + hh * 3600 + mm * 60 + ss;
	t -= (s[14] == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
	*time_r = (time_t)t;
	return 0;
}

/* ---- ENVELOPE ---- */

static int
decode_addresses(struct arena *arena, const struct imap_arg *arg, struct imap_addresses *out)
{
	struct imap_address *v;

	out->v = NULL;
	out->n = 0;
	if (arg->type == IMAP_ARG_NIL)
		return 0;
	if (arg->type != IMAP_ARG_LIST)
		return -1;
	v = arena_alloc(arena, (arg->len ? arg->len : 1) * sizeof(*v));
	for (size_t i = 0; i < arg->len; i++) {
		const struct imap_arg *a = &arg->u.list[i];
		int ok[4];

		if (a->type != IMAP_ARG_LIST || a->len != 4)
			return -1;
		v[i].name = imap_arg_nstring(&a->u.list[0], &ok[0]);
		v[i].adl = imap_arg_nstring(&a->u.list[1], &ok[1]);
		v[i].mailbox = imap_arg_nstring(&a->u.list[2], &ok[2]);
		v[i].host = imap_arg_nstring(&a->u.list[3], &ok[3]);
		if (!ok[0] || !ok[1] || !ok[2] || !ok[3])
			return -1;
	}
	out->v = v;
	out->n = arg->len;
	return 0;
}

int
imap_envelope_parse(struct arena *arena, const struct imap_arg *arg,
		    const struct imap_envelope **env_r, const char **why_r)
{
	struct imap_envelope *e;
	const struct imap_arg *a;
	int ok[4];

	*env_r = NULL;
	if (arg->type != IMAP_ARG_LIST || arg->len != 10) {
		*why_r = "ENVELOPE is not a list of 10 fields";
		return -1;
	}
	a = arg->u.list;
	e = arena_alloc(arena, sizeof(*e));
	e->date = imap_arg_nstring(&a[0], &ok[0]);
	e->subject = imap_arg_nstring(&a[1], &ok[1]);
	e->in_reply_to = imap_arg_nstring(&a[8], &ok[2]);
	e->message_id = imap_arg_nstring(&a[9], &ok[3]);
	if (!ok[0] || !ok[1] || !ok[2] || !ok[3] || decode_addresses(arena, &a[2], &e->from) < 0 ||
	    decode_addresses(arena, &a[3], &e->sender) < 0 ||
	    decode_addresses(arena, &a[4], &e->reply_to) < 0 ||
	    decode_addresses(arena, &a[5], &e->to) < 0 || decode_addresses(arena, &a[6], &e->cc) < 0 ||
	    decode_addresses(arena, &a[7], &e->bcc) < 0) {
		*why_r = "malformed ENVELOPE field";
		return -1;
	}
	*env_r = e;
	return 0;
}

/* ---- BODYSTRUCTURE ---- */

struct body_ctx {
	struct arena *arena;
	unsigned depth_max;
	const char *why;
};

static int
body_params(struct body_ctx *c, const struct imap_arg *arg, struct imap_body_params *out)
{
	struct imap_body_param *v;

	out->v = NULL;
	out->n = 0;
	if (arg->type == IMAP_ARG_NIL)
		return 0;
	if (arg->type != IMAP_ARG_LIST || arg->len % 2 != 0) {
		c->why = "bad body parameter list";
		return -1;
	}
	v = arena_alloc(c->arena, (arg->len / 2 + 1) * sizeof(*v));
	for (size_t i = 0; i < arg->len / 2; i++) {
		int ok;

		v[i].name = imap_arg_astring(&arg->u.list[2 * i]);
		v[i].value = imap_arg_nstring(&arg->u.list[2 * i + 1], &ok);
		if (v[i].name == NULL || !ok) {
			c->why = "bad body parameter";
			return -1;
		}
		if (v[i].value == NULL)
			v[i].value = "";
	}
	out->v = v;
	out->n = arg->len / 2;
	return 0;
}

/* body-ext-1part / body-ext-mpart after the MD5 (which only single parts
 * have): disposition, language, location; anything after is ignored. */
static int
body_ext(struct body_ctx *c, const struct imap_arg *a, size_t n, struct imap_body *b)
{
	int ok;

	if (n > 0) {
		if (a[0].type == IMAP_ARG_LIST) {
			if (a[0].len < 1 || (b->disposition = imap_arg_astring(&a[0].u.list[0])) == NULL ||
			    (a[0].len > 1 && body_params(c, &a[0].u.list[1], &b->disposition_params) < 0)) {
				c->why = "bad body disposition";
				return -1;
			}
		} else if (a[0].type == IMAP_ARG_STRING) {
			b->disposition = a[0].u.str;
		}
	}
	if (n > 1) {
		const char *why;

		if (a[1].type == IMAP_ARG_LIST) {
			if (imap_decode_strings(c->arena, &a[1], 1, &b->language, &why) < 0) {
				c->why = "bad body language";
				return -1;
			}
		} else if (a[1].type == IMAP_ARG_STRING || a[1].type == IMAP_ARG_ATOM) {
			const char **v = arena_alloc(c->arena, 2 * sizeof(*v));

			v[0] = a[1].u.str;
			b->language.v = v;
			b->language.n = 1;
		}
	}
	if (n > 2) {
		b->location = imap_arg_nstring(&a[2], &ok);
		if (!ok) {
			c->why = "bad body location";
			return -1;
		}
	}
	return 0;
}

static int
is_multipart(const struct imap_arg *arg)
{
	return arg->type == IMAP_ARG_LIST && arg->len > 0 && arg->u.list[0].type == IMAP_ARG_LIST;
}

static const char *
child_id(struct body_ctx *c, const char *parent, size_t i)
{
	if (parent[0] == '\0')
		return arena_printf(c->arena, "%zu", i + 1);
	return arena_printf(c->arena, "%s.%zu", parent, i + 1);
}

static int body_node(struct body_ctx *c, const struct imap_arg *arg, const char *id,
		     unsigned depth, struct imap_body *b);

static int
body_multipart(struct body_ctx *c, const struct imap_arg *arg, const char *id, unsigned depth,
	       struct imap_body *b)
{
	const struct imap_arg *a = arg->u.list;
	size_t nparts = 0, i;
	struct imap_body *parts;

	while (nparts < arg->len && a[nparts].type == IMAP_ARG_LIST)
		nparts++;
	if (nparts == arg->len || (b->subtype = imap_arg_astring(&a[nparts])) == NULL) {
		c->why = "multipart body without a subtype";
		return -1;
	}
	b->type = "MULTIPART";
	parts = arena_alloc(c->arena, nparts * sizeof(*parts));
	for (i = 0; i < nparts; i++)
		if (body_node(c, &a[i], child_id(c, id, i), depth + 1, &parts[i]) < 0)
			return -1;
	b->parts = parts;
	b->n_parts = nparts;
	i = nparts + 1;
	if (i < arg->len) {
		if (body_params(c, &a[i], &b->params) < 0)
			return -1;
		i++;
	}
	return body_ext(c, a + i, arg->len - i, b);
}

static int
body_single(struct body_ctx *c, const struct imap_arg *arg, const char *id, unsigned depth,
	    struct imap_body *b)
{
	const struct imap_arg *a = arg->u.list;
	size_t n = arg->len, i = 7;
	int ok[3];

	if (n < 7) {
		c->why = "body with fewer than 7 fields";
		return -1;
	}
	b->type = imap_arg_astring(&a[0]);
	b->subtype = imap_arg_astring(&a[1]);
	b->id = imap_arg_nstring(&a[3], &ok[0]);
	b->description = imap_arg_nstring(&a[4], &ok[1]);
	b->encoding = imap_arg_nstring(&a[5], &ok[2]);
	if (b->type == NULL || b->subtype == NULL || !ok[0] || !ok[1] || !ok[2]) {
		c->why = "bad body type or field";
		return -1;
	}
	if (body_params(c, &a[2], &b->params) < 0)
		return -1;
	if (imap_arg_number(&a[6], &b->size) < 0) {
		c->why = "body size is not a number";
		return -1;
	}
	if (strcasecmp(b->type, "MESSAGE") == 0 &&
	    (strcasecmp(b->subtype, "RFC822") == 0 || strcasecmp(b->subtype, "GLOBAL") == 0) &&
	    n >= 10 && a[7].type == IMAP_ARG_LIST && a[8].type == IMAP_ARG_LIST) {
		struct imap_body *inner = arena_alloc(c->arena, sizeof(*inner));
		const char *inner_id = is_multipart(&a[8]) ? id : arena_printf(c->arena, "%s.1", id);

		if (imap_envelope_parse(c->arena, &a[7], &b->envelope, &c->why) < 0 ||
		    body_node(c, &a[8], inner_id, depth + 1, inner) < 0)
			return -1;
		b->message = inner;
		if (imap_arg_number(&a[9], &b->lines) < 0) {
			c->why = "body lines is not a number";
			return -1;
		}
		i = 10;
	} else if (strcasecmp(b->type, "TEXT") == 0 && n >= 8) {
		if (imap_arg_number(&a[7], &b->lines) < 0) {
			c->why = "body lines is not a number";
			return -1;
		}
		i = 8;
	}
	if (i < n) {
		int md5ok;

		b->md5 = imap_arg_nstring(&a[i], &md5ok);
		if (!md5ok) {
			c->why = "bad body MD5";
			return -1;
		}
		i++;
	}
	return body_ext(c, a + i, n - i, b);
}

static int
body_node(struct body_ctx *c, const struct imap_arg *arg, const char *id, unsigned depth,
	  struct imap_body *b)
{
	memset(b, 0, sizeof(*b));
	b->part = id;
	if (depth > c->depth_max) {
		c->why = "BODYSTRUCTURE nested too deep";
		return -1;
	}
	if (arg->type != IMAP_ARG_LIST || arg->len == 0) {
		c->why = "body is not a list";
		return -1;
	}
	if (is_multipart(arg))
		return body_multipart(c, arg, id, depth, b);
	return body_single(c, arg, id, depth, b);
}

int
imap_body_parse(struct arena *arena, const struct imap_arg *arg, unsigned depth_max,
		const struct imap_body **body_r, const char **why_r)
{
	struct body_ctx c = {arena, depth_max, NULL};
	struct imap_body *b = arena_alloc(arena, sizeof(*b));

	*body_r = NULL;
	if (body_node(&c, arg, is_multipart(arg) ? "" : "1", 0, b) < 0) {
		*why_r = c.why;
		return -1;
	}
	*body_r = b;
	return 0;
}

const struct imap_body *
imap_body_find(const struct imap_body *root, const char *part)
{
	const struct imap_body *b = root;

	/* Walk down by number: the outermost node with the number wins (a
	 * message/rfc822 part before the multipart body that shares it). */
	for (;;) {
		if (strcmp(b->part, part) == 0)
			return b;
		if (b->message != NULL) {
			b = b->message;
			continue;
		}
		{
			const struct imap_body *next = NULL;

			for (size_t i = 0; i < b->n_parts; i++) {
				size_t l = strlen(b->parts[i].part);

				if (strncmp(b->parts[i].part, part, l) == 0 &&
				    (part[l] == '\0' || part[l] == '.')) {
					next = &b->parts[i];
					break;
				}
			}
			if (next == NULL)
				return NULL;
			b = next;
		}
	}
}

/* ---- FETCH ---- */

int
imap_decode_section(struct arena *arena, const char *name, size_t len,
		    struct imap_fetch_body *body)
{
	const char *lb = memchr(name, '[', len), *rb;
	size_t nl;

	memset(body, 0, sizeof(*body));
	if (lb == NULL) {
		if (strcasecmp(name, "RFC822") == 0)
			body->kind = IMAP_SECTION_RFC822;
		else if (strcasecmp(name, "RFC822.HEADER") == 0)
			body->kind = IMAP_SECTION_RFC822_HEADER;
		else if (strcasecmp(name, "RFC822.TEXT") == 0)
			body->kind = IMAP_SECTION_RFC822_TEXT;
		else
			return 0;
		body->section = "";
		return 1;
	}
	nl = (size_t)(lb - name);
	if (nl == 4 && strncasecmp(name, "BODY", 4) == 0)
		body->kind = IMAP_SECTION_BODY;
	else if (nl == 6 && strncasecmp(name, "BINARY", 6) == 0)
		body->kind = IMAP_SECTION_BINARY;
	else
		return 0;
	rb = name + len;
	while (rb > lb && rb[-1] != ']')
		rb--;
	if (rb == lb)
		return 0;
	rb--;
	body->section = arena_strndup(arena, lb + 1, (size_t)(rb - lb - 1));
	if (rb + 1 < name + len) {
		const char *o = rb + 1, *end = name + len;
		uint64_t v;

		if (*o != '<' || end[-1] != '>' ||
		    imap_parse_number(o + 1, (size_t)(end - o - 2), UINT32_MAX, &v) < 0)
			return 0;
		body->has_origin = 1;
		body->origin = (uint32_t)v;
	}
	return 1;
}

static void
item_invalid(struct imap_fetch *f, unsigned bit, const char *why)
{
	f->invalid |= bit;
	if (f->invalid_why == NULL)
		f->invalid_why = why;
}

/* Whether the item name atom is `name` (any case): lengths first, as
 * every response runs this for each of its items. */
static int
item_is(const struct imap_arg *atom, const char *name)
{
	size_t n = strlen(name);

	return atom->len == n && strncasecmp(atom->u.str, name, n) == 0;
}

int
imap_decode_fetch(struct arena *arena, const struct imap_arg *list, unsigned depth_max,
		  struct imap_fetch *f, const char **why_r)
{
	const struct imap_arg *a = list->u.list;
	size_t n = list->len, nsec = 0;
	struct imap_fetch_body *secs;

	if (n % 2 != 0) {
		*why_r = "FETCH item without a value";
		return -1;
	}
	f->items = a;
	f->n_items = n;
	for (size_t i = 0; i < n; i += 2) {
		if (a[i].type != IMAP_ARG_ATOM) {
			*why_r = "FETCH item name is not an atom";
			return -1;
		}
		if (memchr(a[i].u.str, '[', a[i].len) != NULL || strncasecmp(a[i].u.str, "RFC822", 6) == 0)
			nsec++;
	}
	secs = arena_alloc(arena, (nsec ? nsec : 1) * sizeof(*secs));
	f->sections = secs;
	for (size_t i = 0; i < n; i += 2) {
		const char *name = a[i].u.str;
		const struct imap_arg *v = &a[i + 1];
		const char *why = NULL;

		/* Each value is decoded aside and stored only when it parsed, so
		 * a repeated item that is broken never spoils a good one. */
		if (item_is(&a[i], "UID")) {
			uint32_t uid;

			if (imap_arg_nz_number(v, &uid) < 0) {
				item_invalid(f, IMAP_FETCH_UID, "UID is not a valid UID");
			} else {
				f->uid = uid;
				f->present |= IMAP_FETCH_UID;
			}
		} else if (item_is(&a[i], "FLAGS")) {
			struct imap_flags flags;

			if (imap_decode_flags(arena, v, &flags, &why) < 0) {
				item_invalid(f, IMAP_FETCH_FLAGS, "bad FLAGS");
			} else {
				f->flags = flags;
				f->present |= IMAP_FETCH_FLAGS;
			}
		} else if (item_is(&a[i], "INTERNALDATE")) {
			time_t t;

			if (v->type != IMAP_ARG_STRING || imap_parse_internaldate(v->u.str, &t) < 0) {
				item_invalid(f, IMAP_FETCH_INTERNALDATE, "bad INTERNALDATE");
			} else {
				f->internaldate = v->u.str;
				f->internaldate_time = t;
				f->present |= IMAP_FETCH_INTERNALDATE;
			}
		} else if (item_is(&a[i], "RFC822.SIZE")) {
			uint64_t size;

			if (imap_arg_number64(v, &size) < 0) {
				item_invalid(f, IMAP_FETCH_RFC822_SIZE, "bad RFC822.SIZE");
			} else {
				f->rfc822_size = size;
				f->present |= IMAP_FETCH_RFC822_SIZE;
			}
		} else if (item_is(&a[i], "MODSEQ")) {
			uint64_t modseq;

			if (v->type != IMAP_ARG_LIST || v->len != 1 ||
			    imap_arg_number64(&v->u.list[0], &modseq) < 0) {
				item_invalid(f, IMAP_FETCH_MODSEQ, "bad MODSEQ");
			} else {
				f->modseq = modseq;
				f->present |= IMAP_FETCH_MODSEQ;
			}
		} else if (item_is(&a[i], "ENVELOPE")) {
			const struct imap_envelope *env;

			if (imap_envelope_parse(arena, v, &env, &why) < 0) {
				item_invalid(f, IMAP_FETCH_ENVELOPE, why);
			} else {
				f->envelope = env;
				f->present |= IMAP_FETCH_ENVELOPE;
			}
		} else if (item_is(&a[i], "BODYSTRUCTURE") ||
			   (item_is(&a[i], "BODY") && v->type == IMAP_ARG_LIST)) {
			const struct imap_body *body;

			if (imap_body_parse(arena, v, depth_max, &body, &why) < 0) {
				item_invalid(f, IMAP_FETCH_BODYSTRUCTURE, why);
			} else {
				f->body = body;
				f->present |= IMAP_FETCH_BODYSTRUCTURE;
			}
		} else {
			struct imap_fetch_body *s = &secs[f->n_sections];

			if (f->n_sections >= nsec || !imap_decode_section(arena, name, a[i].len, s))
				continue;
			if (v->type == IMAP_ARG_STREAMED) {
				s->streamed = 1;
				s->len = v->len;
			} else if (v->type == IMAP_ARG_STRING || v->type == IMAP_ARG_ATOM) {
				s->data = v->u.str;
				s->len = v->len;
			} else if (v->type != IMAP_ARG_NIL) {
				item_invalid(f, IMAP_FETCH_BODY, "body section value is not a string");
				continue;
			}
			s->binary = (v->flags & IMAP_ARG_F_BINARY) != 0;
			f->n_sections++;
			f->present |= IMAP_FETCH_BODY;
		}
	}
	return 0;
}
