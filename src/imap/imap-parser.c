#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "imap/imap-internal.h"
#include "imap/imap-parser.h"
#include "imap/imap-utf7.h"

/*
 * Framing: a response is a line, and when the line ends with a literal
 * count "{n}", n bytes and another line, and so on.  Lines are found with
 * memchr from where the last search stopped, so bytes fed one at a time
 * cost no rescanning; a complete line is then tokenised in one pass into
 * the argument tree, whose open lists live on an explicit stack (no
 * recursion, depth bounded).  Only the end of a line can start a literal,
 * so the tokeniser knows what the literal belongs to before its bytes
 * arrive: that is what lets a FETCH body literal stream.
 */

/* Bump space for the strings of a response (bigger ones are allocated
 * alone). */
#define STRBUF_SIZE 16384

enum parser_state {
	P_IDLE,    /* between responses */
	P_LINE,    /* inside a response, waiting for the line after a literal */
	P_LITERAL, /* collecting a buffered literal */
	P_STREAM,  /* handing out a streamed literal */
	P_FAILED,
};

enum tok_result {
	TOK_FATAL = -1,
	TOK_DONE = 0,
	TOK_LITERAL = 1,
	TOK_MALFORMED = 2,
};

struct frame {
	struct imap_arg *v;
	size_t n, cap;
};

struct imap_parser {
	struct imap_parser_params params;
	struct arena *arena;
	enum parser_state state;
	int reset_pending;
	int utf8;
	struct err failure;

	/* Input: unparsed bytes are buf[start..end). */
	char *buf;
	size_t start, end, cap;
	size_t scan; /* bytes after start already searched for LF */

	/* The response being built. */
	struct imap_response *resp;
	int is_fetch;
	struct frame *frames; /* depth_max + 1 of them */
	unsigned depth;
	size_t mem;           /* bytes held for this response */
	const char *why;      /* why the response is malformed */
	char *strs;           /* bump space for strings: strbuf, else the arena */
	size_t strs_left;
	char *strbuf;         /* STRBUF_SIZE bytes kept from response to response */

	/* Literals.  Large ones are handed to the response as they are
	 * (no copy) and freed when the next response starts. */
	uint64_t lit_len, lit_got;
	int lit_binary;
	struct str lit;
	char **big_lits;
	size_t n_big_lits;

	/* Streaming. */
	struct imap_response chunk;
};

/* ---- helpers ---- */

static const char *
size_text(char *buf, size_t bufsize, uint64_t n)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(buf, bufsize, "%llu MB", (unsigned long long)(n >> 20));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, bufsize, "%llu KB", (unsigned long long)(n >> 10));
	else
		snprintf(buf, bufsize, "%llu bytes", (unsigned long long)n);
	return buf;
}

static int
fail(struct imap_parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
fail(struct imap_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(&p->failure, ERR_PROTO, fmt, ap);
	va_end(ap);
	p->state = P_FAILED;
	return TOK_FATAL;
}

static int
charge(struct imap_parser *p, size_t n)
{
	char a[32];

	p->mem += n;
	if (p->mem > p->params.response_max)
		return fail(p, "server sent a response larger than %s",
			    size_text(a, sizeof(a), p->params.response_max));
	return 0;
}

/* A NUL-terminated copy of s[0..len) in the arena, without the arena's
 * per-allocation alignment (most strings are short atoms). */
static char *
copy_str(struct imap_parser *p, const char *s, size_t len)
{
	char *d;

	if (len + 1 > p->strs_left) {
		if (len + 1 > 4096)
			d = arena_alloc(p->arena, len + 1);
		else if (p->strbuf == NULL) {
			/* Kept, not taken from the arena: from there a block
			 * that size was allocated, zeroed and freed again for
			 * every response, a fifth of the instructions of
			 * listing 100,000 summaries. */
			p->strbuf = xmalloc(STRBUF_SIZE);
			d = p->strbuf;
			p->strs = p->strbuf + len + 1;
			p->strs_left = STRBUF_SIZE - (len + 1);
		} else {
			p->strs = arena_alloc(p->arena, 16384);
			p->strs_left = 16384;
			d = p->strs;
			p->strs += len + 1;
			p->strs_left -= len + 1;
		}
	} else {
		d = p->strs;
		p->strs += len + 1;
		p->strs_left -= len + 1;
	}
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

static int
push(struct imap_parser *p, const struct imap_arg *arg)
{
	struct frame *f = &p->frames[p->depth];

	if (f->n >= p->params.list_items_max)
		return fail(p, "server sent a list of more than %u items",
			    p->params.list_items_max);
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	f->v[f->n++] = *arg;
	return charge(p, sizeof(*arg));
}

static struct imap_arg *
frame_copy(struct imap_parser *p, struct frame *f)
{
	struct imap_arg *v;

	if (f->n == 0)
		return NULL;
	v = arena_alloc(p->arena, f->n * sizeof(*v));
	memcpy(v, f->v, f->n * sizeof(*v));
	return v;
}

/* ---- public argument helpers ---- */

int
imap_arg_atom_is(const struct imap_arg *arg, const char *name)
{
	return arg->type == IMAP_ARG_ATOM && strcasecmp(arg->u.str, name) == 0;
}

const char *
imap_arg_astring(const struct imap_arg *arg)
{
	if (arg->type == IMAP_ARG_ATOM || arg->type == IMAP_ARG_STRING)
		return arg->u.str;
	return NULL;
}

const char *
imap_arg_nstring(const struct imap_arg *arg, int *ok_r)
{
	*ok_r = 1;
	if (arg->type == IMAP_ARG_STRING || arg->type == IMAP_ARG_ATOM)
		return arg->u.str;
	if (arg->type != IMAP_ARG_NIL)
		*ok_r = 0;
	return NULL;
}

int
imap_parse_number(const char *s, size_t len, uint64_t max, uint64_t *num_r)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*num_r = v;
	return 0;
}

int
imap_arg_number(const struct imap_arg *arg, uint32_t *num_r)
{
	uint64_t v;

	if (arg->type != IMAP_ARG_ATOM || imap_parse_number(arg->u.str, arg->len, UINT32_MAX, &v) < 0)
		return -1;
	*num_r = (uint32_t)v;
	return 0;
}

int
imap_arg_nz_number(const struct imap_arg *arg, uint32_t *num_r)
{
	if (imap_arg_number(arg, num_r) < 0 || *num_r == 0)
		return -1;
	return 0;
}

int
imap_arg_number64(const struct imap_arg *arg, uint64_t *num_r)
{
	if (arg->type != IMAP_ARG_ATOM ||
	    imap_parse_number(arg->u.str, arg->len, INT64_MAX, num_r) < 0)
		return -1;
	return 0;
}

/* ---- tokeniser ---- */

/* What a byte is to an atom outside brackets: ATOM_STOP ends it
 * (controls, DEL, space, parens and the quote); ATOM_BRACKET opens a
 * bracket in it.  Either ends a run of plain atom bytes. */
enum { ATOM_STOP = 1, ATOM_BRACKET = 2 };
static const unsigned char atom_class[256] = {
    [0x00] = ATOM_STOP, [0x01] = ATOM_STOP, [0x02] = ATOM_STOP, [0x03] = ATOM_STOP,
    [0x04] = ATOM_STOP, [0x05] = ATOM_STOP, [0x06] = ATOM_STOP, [0x07] = ATOM_STOP,
    [0x08] = ATOM_STOP, [0x09] = ATOM_STOP, [0x0a] = ATOM_STOP, [0x0b] = ATOM_STOP,
    [0x0c] = ATOM_STOP, [0x0d] = ATOM_STOP, [0x0e] = ATOM_STOP, [0x0f] = ATOM_STOP,
    [0x10] = ATOM_STOP, [0x11] = ATOM_STOP, [0x12] = ATOM_STOP, [0x13] = ATOM_STOP,
    [0x14] = ATOM_STOP, [0x15] = ATOM_STOP, [0x16] = ATOM_STOP, [0x17] = ATOM_STOP,
    [0x18] = ATOM_STOP, [0x19] = ATOM_STOP, [0x1a] = ATOM_STOP, [0x1b] = ATOM_STOP,
    [0x1c] = ATOM_STOP, [0x1d] = ATOM_STOP, [0x1e] = ATOM_STOP, [0x1f] = ATOM_STOP,
    [0x7f] = ATOM_STOP, ['('] = ATOM_STOP, [')'] = ATOM_STOP, ['"'] = ATOM_STOP,
    [' '] = ATOM_STOP, ['['] = ATOM_BRACKET,
};

/* End of a quoted string starting at s[0] == '"'; 0 when unterminated. */
static size_t
quoted_end(const char *s, size_t len, int *escapes_r)
{
	size_t i = 1;

	*escapes_r = 0;
	while (i < len) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] == '\\') {
			*escapes_r = 1;
			i++;
		}
		i++;
	}
	return 0;
}

static int
literal_header(struct imap_parser *p, const char *s, size_t len, size_t pos, int binary)
{
	size_t i = pos + 1, digits;
	uint64_t n;
	char a[32];

	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	digits = i - pos - 1;
	if (i < len && s[i] == '+')
		return fail(p, "server sent a non-synchronising literal, which only clients may send");
	if (digits == 0 || i >= len || s[i] != '}')
		return fail(p, "server sent a malformed literal count");
	if (i + 1 != len)
		return fail(p, "server sent a literal count that does not end its line");
	/* Leading zeros say nothing; only the value is bounded. */
	{
		size_t z = pos + 1;

		while (z + 1 < i && s[z] == '0')
			z++;
		if (imap_parse_number(s + z, i - z, UINT64_MAX, &n) < 0)
			n = UINT64_MAX;
	}
	if (n == UINT64_MAX ||
	    n > p->params.literal_max)
		return fail(p, "server sent a literal of %.*s bytes (limit %s)", (int)digits,
			    s + pos + 1, size_text(a, sizeof(a), p->params.literal_max));
	p->lit_len = n;
	p->lit_got = 0;
	p->lit_binary = binary;
	return TOK_LITERAL;
}

/* 1 when the literal about to come is a FETCH body item worth streaming. */
static int
streamable(struct imap_parser *p, struct imap_fetch_body *body)
{
	struct frame *f = &p->frames[1];
	const struct imap_arg *name;

	if (!p->is_fetch || p->depth != 1 || p->lit_len <= p->params.stream_min || f->n % 2 != 1)
		return 0;
	name = &f->v[f->n - 1];
	if (name->type != IMAP_ARG_ATOM)
		return 0;
	return imap_decode_section(p->arena, name->u.str, name->len, body);
}

static void
start_stream(struct imap_parser *p, const struct imap_fetch_body *body)
{
	struct imap_fetch_chunk *c = &p->chunk.u.chunk;
	struct frame *f = &p->frames[1];

	memset(&p->chunk, 0, sizeof(p->chunk));
	p->chunk.type = IMAP_RESP_FETCH_CHUNK;
	p->chunk.name = "FETCH";
	p->chunk.number = p->resp->number;
	c->seq = p->resp->number;
	for (size_t i = 0; i + 1 < f->n; i += 2)
		if (imap_arg_atom_is(&f->v[i], "UID"))
			(void)imap_arg_nz_number(&f->v[i + 1], &c->uid);
	c->body = *body;
	c->body.len = p->lit_len;
	c->body.streamed = 1;
	c->body.binary = p->lit_binary;
	c->offset = 0;
}

/*
 * Just inside a "[" of an atom, the common case: no quote and no nested
 * bracket before the next "]" (BODY[HEADER.FIELDS (FROM TO ...)] of every
 * summary).  Then *pos moves past that "]" and 0 is returned; else 1, with
 * *pos unchanged, and the caller goes byte by byte.  Called once per
 * opening bracket, so a hostile line costs at most two passes.
 */
static int
bracket_fast(const char *s, size_t len, size_t *pos)
{
	const char *from = s + *pos, *close = memchr(from, ']', len - *pos);
	size_t n;

	if (close == NULL)
		return 1;
	n = (size_t)(close - from);
	if (memchr(from, '"', n) != NULL || memchr(from, '[', n) != NULL)
		return 1;
	*pos += n + 1;
	return 0;
}

/*
 * Tokenises s[0..len) into the open lists.  In code mode (the inside of a
 * response code) there are no literals.
 */
static int
tokenize(struct imap_parser *p, const char *s, size_t len, int code_mode)
{
	size_t pos = 0;

	while (pos < len) {
		unsigned char c = (unsigned char)s[pos];
		struct imap_arg arg;

		if (c == ' ') {
			pos++;
			continue;
		}
		if (c == '(') {
			if (p->depth >= p->params.depth_max)
				return fail(p, "server sent lists nested more than %u deep",
					    p->params.depth_max);
			p->depth++;
			p->frames[p->depth].n = 0;
			pos++;
			continue;
		}
		if (c == ')') {
			struct frame *f;

			if (p->depth == 0) {
				p->why = "unbalanced \")\"";
				return TOK_MALFORMED;
			}
			f = &p->frames[p->depth];
			arg.type = IMAP_ARG_LIST;
			arg.flags = 0;
			arg.len = f->n;
			arg.u.list = frame_copy(p, f);
			f->n = 0;
			p->depth--;
			if (push(p, &arg) < 0)
				return TOK_FATAL;
			pos++;
			continue;
		}
		if (c == '"') {
			int escapes;
			size_t end = quoted_end(s + pos, len - pos, &escapes);

			if (end == 0) {
				p->why = "unterminated quoted string";
				return TOK_MALFORMED;
			}
			arg.type = IMAP_ARG_STRING;
			arg.flags = 0;
			if (!escapes) {
				arg.len = end - 2;
				arg.u.str = copy_str(p, s + pos + 1, end - 2);
			} else {
				char *d = copy_str(p, s + pos + 1, end - 2);
				size_t o = 0;

				for (size_t i = 0; i < end - 2; i++) {
					if (d[i] == '\\')
						i++;
					d[o++] = d[i];
				}
				d[o] = '\0';
				arg.len = o;
				arg.u.str = d;
			}
			if (charge(p, end) < 0 || push(p, &arg) < 0)
				return TOK_FATAL;
			pos += end;
			continue;
		}
		if (!code_mode && (c == '{' || (c == '~' && pos + 1 < len && s[pos + 1] == '{'))) {
			if (c == '~')
				pos++;
			return literal_header(p, s, len, pos, c == '~');
		}
		/* An atom; inside [...] spaces, parentheses and quotes belong
		 * to it (BODY[HEADER.FIELDS (FROM "TO")]<0>). */
		{
			size_t start = pos;
			int brackets = 0;

			while (pos < len) {
				c = (unsigned char)s[pos];
				if (brackets == 0) {
					if (!code_mode) {
						while (pos < len && atom_class[(unsigned char)s[pos]] == 0)
							pos++;
						if (pos == len)
							break;
						c = (unsigned char)s[pos];
					}
					if (atom_class[c] == ATOM_STOP || (code_mode && c == ']'))
						break;
					pos++;
					if (c == '[' && bracket_fast(s, len, &pos))
						brackets++;
					continue;
				}
				if (c == '"') {
					int escapes;
					size_t end = quoted_end(s + pos, len - pos, &escapes);

					if (end == 0)
						break;
					pos += end;
					continue;
				}
				if (c == '[')
					brackets++;
				else if (c == ']')
					brackets--;
				pos++;
			}
			if (brackets != 0) {
				p->why = "unterminated \"[\" in an atom";
				return TOK_MALFORMED;
			}
			if (pos == start) {
				p->why = "unexpected character";
				return TOK_MALFORMED;
			}
			arg.flags = 0;
			if (pos - start == 3 && (s[start] | 0x20) == 'n' &&
			    strncasecmp(s + start, "NIL", 3) == 0) {
				arg.type = IMAP_ARG_NIL;
				arg.len = 0;
				arg.u.str = NULL;
			} else {
				arg.type = IMAP_ARG_ATOM;
				arg.len = pos - start;
				arg.u.str = copy_str(p, s + start, pos - start);
			}
			if (charge(p, pos - start) < 0 || push(p, &arg) < 0)
				return TOK_FATAL;
		}
	}
	return TOK_DONE;
}

/* After a tokenising problem: the response can still end cleanly unless
 * the line ended in what may have been a literal count, since then the
 * framing is lost. */
static int
malformed_line(struct imap_parser *p, const char *s, size_t len)
{
	if (len > 0 && s[len - 1] == '}')
		return fail(p, "server sent a malformed response (%s) ending in a literal count",
			    p->why);
	return TOK_MALFORMED;
}

/* Tokenises the rest of a data response's line. */
static int
data_tokens(struct imap_parser *p, const char *s, size_t len)
{
	int r = tokenize(p, s, len, 0);

	if (r == TOK_MALFORMED)
		return malformed_line(p, s, len);
	if (r == TOK_LITERAL) {
		struct imap_fetch_body body;

		if (streamable(p, &body)) {
			struct imap_arg arg = {IMAP_ARG_STREAMED, 0, 0, {NULL}};

			arg.len = p->lit_len;
			arg.flags = IMAP_ARG_F_LITERAL | (p->lit_binary ? IMAP_ARG_F_BINARY : 0);
			if (push(p, &arg) < 0)
				return TOK_FATAL;
			start_stream(p, &body);
			p->state = P_STREAM;
		} else {
			if (charge(p, p->lit_len) < 0)
				return TOK_FATAL;
			str_reset(&p->lit);
			/* Room for what is announced, up to a point: past it the
			 * buffer grows only as bytes really arrive. */
			str_reserve(&p->lit, p->lit_len < (1u << 20) ? (size_t)p->lit_len : (1u << 20));
			p->state = P_LITERAL;
		}
	}
	return r;
}

/* ---- response codes and text ---- */

static const struct {
	const char *name;
	enum imap_code_kind kind;
} code_names[] = {
	{"ALERT", IMAP_CODE_ALERT},
	{"CAPABILITY", IMAP_CODE_CAPABILITY},
	{"PERMANENTFLAGS", IMAP_CODE_PERMANENTFLAGS},
	{"UIDNEXT", IMAP_CODE_UIDNEXT},
	{"UIDVALIDITY", IMAP_CODE_UIDVALIDITY},
	{"UNSEEN", IMAP_CODE_UNSEEN},
	{"HIGHESTMODSEQ", IMAP_CODE_HIGHESTMODSEQ},
	{"NOMODSEQ", IMAP_CODE_NOMODSEQ},
	{"READ-ONLY", IMAP_CODE_READ_ONLY},
	{"READ-WRITE", IMAP_CODE_READ_WRITE},
	{"TRYCREATE", IMAP_CODE_TRYCREATE},
	{"APPENDUID", IMAP_CODE_APPENDUID},
	{"COPYUID", IMAP_CODE_COPYUID},
	{"CLOSED", IMAP_CODE_CLOSED},
	{"MODIFIED", IMAP_CODE_MODIFIED},
};

#define SEQSET_RANGES_MAX 100000

static int
code_seqset(struct imap_parser *p, const struct imap_arg *arg, struct imap_seqset *set)
{
	const char *why;

	if (arg->type != IMAP_ARG_ATOM)
		return -1;
	return imap_seqset_parse(p->arena, arg->u.str, arg->len, SEQSET_RANGES_MAX, set, &why);
}

/* Typed arguments of a known code; -1 when they do not parse. */
static int
decode_code(struct imap_parser *p, struct imap_code *code, const struct imap_arg *a, size_t n)
{
	const char *why;

	switch (code->kind) {
	case IMAP_CODE_CAPABILITY: {
		struct imap_arg list = {IMAP_ARG_LIST, 0, n, {NULL}};

		list.u.list = a;
		return n == 0 ? -1 : imap_decode_strings(p->arena, &list, 0, &code->u.caps, &why);
	}
	case IMAP_CODE_PERMANENTFLAGS:
		if (n != 1)
			return -1;
		return imap_decode_flags(p->arena, &a[0], &code->u.flags, &why);
	case IMAP_CODE_UIDNEXT:
	case IMAP_CODE_UIDVALIDITY:
	case IMAP_CODE_UNSEEN:
		return n == 1 ? imap_arg_nz_number(&a[0], &code->u.num) : -1;
	case IMAP_CODE_HIGHESTMODSEQ:
		if (n != 1 || imap_arg_number64(&a[0], &code->u.modseq) < 0 || code->u.modseq == 0)
			return -1;
		return 0;
	case IMAP_CODE_APPENDUID:
		if (n != 2 || imap_arg_nz_number(&a[0], &code->u.appenduid.uidvalidity) < 0)
			return -1;
		return code_seqset(p, &a[1], &code->u.appenduid.uids);
	case IMAP_CODE_COPYUID:
		if (n != 3 || imap_arg_nz_number(&a[0], &code->u.copyuid.uidvalidity) < 0 ||
		    code_seqset(p, &a[1], &code->u.copyuid.src) < 0 ||
		    code_seqset(p, &a[2], &code->u.copyuid.dst) < 0 ||
		    imap_seqset_count(&code->u.copyuid.src) != imap_seqset_count(&code->u.copyuid.dst))
			return -1;
		return 0;
	case IMAP_CODE_MODIFIED:
		return n == 1 ? code_seqset(p, &a[0], &code->u.modified) : -1;
	default:
		return 0;
	}
}

/* Finds the "]" closing a response code that starts at s[0] == '['. */
static size_t
code_end(const char *s, size_t len)
{
	int depth = 0;

	for (size_t i = 1; i < len; i++) {
		if (s[i] == '"') {
			int escapes;
			size_t e = quoted_end(s + i, len - i, &escapes);

			if (e == 0)
				return 0;
			i += e - 1;
		} else if (s[i] == '(') {
			depth++;
		} else if (s[i] == ')') {
			depth--;
		} else if (s[i] == ']' && depth <= 0) {
			return i;
		}
	}
	return 0;
}

/* resp-text: ["[" code "]" SP] text.  Never fails: a broken code is kept
 * as text. */
static int
parse_text(struct imap_parser *p, struct imap_response *r, const char *s, size_t len)
{
	struct imap_code *code = &r->code;

	if (len > 0 && s[0] == ' ') {
		s++;
		len--;
	}
	if (len > 0 && s[0] == '[') {
		size_t end = code_end(s, len), ne = 1;

		while (ne < len && s[ne] != ' ' && s[ne] != ']')
			ne++;
		code->name = copy_str(p, s + 1, ne - 1);
		code->kind = IMAP_CODE_OTHER;
		if (end == 0 || end < ne) {
			size_t rs = ne < len && s[ne] == ' ' ? ne + 1 : ne;

			code->malformed = 1;
			code->raw = copy_str(p, s + rs, len - rs);
			r->text = "";
			return 0;
		}
		{
			size_t rs = ne < end && s[ne] == ' ' ? ne + 1 : ne;
			int tr;

			code->raw = copy_str(p, s + rs, end - rs);
			for (size_t i = 0; i < sizeof(code_names) / sizeof(code_names[0]); i++)
				if (strcasecmp(code->name, code_names[i].name) == 0)
					code->kind = code_names[i].kind;
			p->depth = 0;
			p->frames[0].n = 0;
			tr = tokenize(p, s + rs, end - rs, 1);
			if (tr == TOK_FATAL)
				return TOK_FATAL;
			if (tr != TOK_DONE || p->depth != 0 ||
			    decode_code(p, code, p->frames[0].v, p->frames[0].n) < 0) {
				code->malformed = code->kind != IMAP_CODE_OTHER;
				code->kind = IMAP_CODE_OTHER;
			}
			p->depth = 0;
			p->frames[0].n = 0;
		}
		s += end + 1;
		len -= end + 1;
		if (len > 0 && s[0] == ' ') {
			s++;
			len--;
		}
	}
	r->text = copy_str(p, s, len);
	return 0;
}

static int
status_of(const char *w, size_t n, enum imap_status *st)
{
	static const char *const names[] = {"OK", "NO", "BAD", "PREAUTH", "BYE"};

	for (int i = 0; i < 5; i++)
		if (strlen(names[i]) == n && strncasecmp(w, names[i], n) == 0) {
			*st = (enum imap_status)i;
			return 0;
		}
	return -1;
}

static const struct {
	const char *name;
	enum imap_resp_type type;
} data_names[] = {
	{"CAPABILITY", IMAP_RESP_CAPABILITY},
	{"ENABLED", IMAP_RESP_ENABLED},
	{"FLAGS", IMAP_RESP_FLAGS},
	{"LIST", IMAP_RESP_LIST},
	{"LSUB", IMAP_RESP_LSUB},
	{"STATUS", IMAP_RESP_STATUS_DATA},
	{"SEARCH", IMAP_RESP_SEARCH},
	{"ESEARCH", IMAP_RESP_ESEARCH},
	{"VANISHED", IMAP_RESP_VANISHED},
	{"NAMESPACE", IMAP_RESP_NAMESPACE},
	{"ID", IMAP_RESP_ID},
};

static size_t
word_end(const char *s, size_t len, size_t pos)
{
	while (pos < len && s[pos] != ' ')
		pos++;
	return pos;
}

/* The first line of a response.  Returns enum tok_result. */
static int
first_line(struct imap_parser *p, const char *s, size_t len)
{
	struct imap_response *r = arena_alloc(p->arena, sizeof(*r));
	size_t pos, we;

	p->resp = r;
	p->is_fetch = 0;
	p->depth = 0;
	p->frames[0].n = 0;
	p->mem = 0;
	p->why = NULL;
	if (len == 0) {
		p->why = "empty line";
		return TOK_MALFORMED;
	}
	if (s[0] == '+') {
		r->type = IMAP_RESP_CONTINUE;
		r->name = "+";
		r->text = copy_str(p, s + 1 + (len > 1 && s[1] == ' '), len - 1 - (len > 1 && s[1] == ' '));
		return TOK_DONE;
	}
	if (s[0] == '*' && (len == 1 || s[1] == ' ')) {
		uint64_t num = 0;
		int have_num = 0, num_ok = 1;

		pos = len > 1 ? 2 : 1;
		we = word_end(s, len, pos);
		if (we > pos && s[pos] >= '0' && s[pos] <= '9') {
			have_num = 1;
			num_ok = imap_parse_number(s + pos, we - pos, UINT32_MAX, &num) == 0;
			r->number = num_ok ? (uint32_t)num : 0;
			pos = we < len ? we + 1 : we;
			we = word_end(s, len, pos);
		} else if (we > pos && s[pos] == '-') {
			have_num = 1;
			num_ok = 0;
			pos = we < len ? we + 1 : we;
			we = word_end(s, len, pos);
		}
		r->name = copy_str(p, s + pos, we - pos);
		if (we == pos) {
			p->why = "untagged response without a name";
			return TOK_MALFORMED;
		}
		if (have_num) {
			static const struct {
				const char *name;
				enum imap_resp_type type;
			} numbered[] = {{"EXISTS", IMAP_RESP_EXISTS},
					{"RECENT", IMAP_RESP_RECENT},
					{"EXPUNGE", IMAP_RESP_EXPUNGE}};

			for (int i = 0; i < 3; i++) {
				if (strcasecmp(r->name, numbered[i].name) != 0)
					continue;
				r->type = numbered[i].type;
				if (!num_ok) {
					p->why = "count is not a 32-bit number";
					return TOK_MALFORMED;
				}
				if (r->type == IMAP_RESP_EXPUNGE && r->number == 0) {
					p->why = "EXPUNGE of message 0";
					return TOK_MALFORMED;
				}
				return TOK_DONE;
			}
			if (strcasecmp(r->name, "FETCH") == 0) {
				r->type = IMAP_RESP_FETCH;
				p->is_fetch = 1;
				if (!num_ok || r->number == 0)
					p->why = "FETCH for an invalid message number";
			} else {
				r->type = IMAP_RESP_OTHER;
				if (!num_ok)
					p->why = "invalid number";
			}
			return data_tokens(p, s + we, len - we);
		}
		if (status_of(r->name, we - pos, &r->status) == 0) {
			r->type = IMAP_RESP_STATUS;
			return parse_text(p, r, s + we, len - we);
		}
		r->type = IMAP_RESP_OTHER;
		for (size_t i = 0; i < sizeof(data_names) / sizeof(data_names[0]); i++)
			if (strcasecmp(r->name, data_names[i].name) == 0)
				r->type = data_names[i].type;
		return data_tokens(p, s + we, len - we);
	}
	/* Tagged. */
	we = word_end(s, len, 0);
	r->type = IMAP_RESP_TAGGED;
	r->tag = copy_str(p, s, we);
	pos = we < len ? we + 1 : we;
	we = word_end(s, len, pos);
	r->name = copy_str(p, s + pos, we - pos);
	if (status_of(s + pos, we - pos, &r->status) < 0 || r->status > IMAP_BAD) {
		p->why = "tagged response without OK, NO or BAD";
		return TOK_MALFORMED;
	}
	return parse_text(p, r, s + we, len - we);
}

/* ---- typed data responses ---- */

static int
decode_search(struct imap_parser *p, struct imap_response *r)
{
	size_t n = r->n_args;
	uint32_t *ids;

	if (n > 0 && r->args[n - 1].type == IMAP_ARG_LIST) {
		const struct imap_arg *l = &r->args[n - 1];

		if (l->len != 2 || !imap_arg_atom_is(&l->u.list[0], "MODSEQ") ||
		    imap_arg_number64(&l->u.list[1], &r->u.search.modseq) < 0) {
			p->why = "bad MODSEQ in SEARCH";
			return -1;
		}
		n--;
	}
	ids = arena_alloc(p->arena, (n ? n : 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		if (imap_arg_nz_number(&r->args[i], &ids[i]) < 0) {
			p->why = "SEARCH result is not a number";
			return -1;
		}
	r->u.search.ids = ids;
	r->u.search.n = n;
	return 0;
}

static int
decode_esearch(struct imap_parser *p, struct imap_response *r)
{
	struct imap_esearch *e = &r->u.esearch;
	const struct imap_arg *a = r->args;
	size_t n = r->n_args, i = 0;

	if (n > 0 && a[0].type == IMAP_ARG_LIST) {
		if (a[0].len != 2 || !imap_arg_atom_is(&a[0].u.list[0], "TAG") ||
		    (e->tag = imap_arg_astring(&a[0].u.list[1])) == NULL) {
			p->why = "bad search correlator in ESEARCH";
			return -1;
		}
		i++;
	}
	if (i < n && imap_arg_atom_is(&a[i], "UID")) {
		e->uid = 1;
		i++;
	}
	for (; i < n; i += 2) {
		const struct imap_arg *v = &a[i + 1];
		int bad = 0;

		if (a[i].type != IMAP_ARG_ATOM || i + 1 >= n) {
			p->why = "bad ESEARCH item";
			return -1;
		}
		if (imap_arg_atom_is(&a[i], "MIN")) {
			bad = imap_arg_nz_number(v, &e->min);
			e->present |= IMAP_ESEARCH_MIN;
		} else if (imap_arg_atom_is(&a[i], "MAX")) {
			bad = imap_arg_nz_number(v, &e->max);
			e->present |= IMAP_ESEARCH_MAX;
		} else if (imap_arg_atom_is(&a[i], "COUNT")) {
			bad = imap_arg_number(v, &e->count);
			e->present |= IMAP_ESEARCH_COUNT;
		} else if (imap_arg_atom_is(&a[i], "ALL")) {
			bad = code_seqset(p, v, &e->all);
			e->present |= IMAP_ESEARCH_ALL;
		} else if (imap_arg_atom_is(&a[i], "MODSEQ")) {
			bad = imap_arg_number64(v, &e->modseq);
			e->present |= IMAP_ESEARCH_MODSEQ;
		}
		if (bad) {
			p->why = "bad ESEARCH value";
			return -1;
		}
	}
	return 0;
}

static int
delimiter_of(const struct imap_arg *a, char *d)
{
	if (a->type == IMAP_ARG_NIL) {
		*d = 0;
		return 0;
	}
	if (a->type != IMAP_ARG_STRING || a->len != 1 || a->u.str[0] == 0 ||
	    (unsigned char)a->u.str[0] > 0x7e)
		return -1;
	*d = a->u.str[0];
	return 0;
}

static const struct {
	const char *name;
	unsigned bit;
} list_attrs[] = {
	{"\\Noinferiors", IMAP_LIST_NOINFERIORS},
	{"\\Noselect", IMAP_LIST_NOSELECT},
	{"\\Marked", IMAP_LIST_MARKED},
	{"\\Unmarked", IMAP_LIST_UNMARKED},
	{"\\NonExistent", IMAP_LIST_NONEXISTENT},
	{"\\Subscribed", IMAP_LIST_SUBSCRIBED},
	{"\\Remote", IMAP_LIST_REMOTE},
	{"\\HasChildren", IMAP_LIST_HASCHILDREN},
	{"\\HasNoChildren", IMAP_LIST_HASNOCHILDREN},
	{"\\All", IMAP_LIST_ALL},
	{"\\Archive", IMAP_LIST_ARCHIVE},
	{"\\Drafts", IMAP_LIST_DRAFTS},
	{"\\Flagged", IMAP_LIST_FLAGGED},
	{"\\Junk", IMAP_LIST_JUNK},
	{"\\Sent", IMAP_LIST_SENT},
	{"\\Trash", IMAP_LIST_TRASH},
	{"\\Important", IMAP_LIST_IMPORTANT},
};

static int
decode_list(struct imap_parser *p, struct imap_response *r)
{
	struct imap_list *l = &r->u.list;
	const struct imap_arg *a = r->args;
	const char *why;

	if (r->n_args < 3 || r->n_args > 4 ||
	    imap_decode_strings(p->arena, &a[0], 0, &l->attrs, &why) < 0 ||
	    delimiter_of(&a[1], &l->delimiter) < 0) {
		p->why = "bad LIST attributes or delimiter";
		return -1;
	}
	for (size_t i = 0; i < l->attrs.n; i++)
		for (size_t k = 0; k < sizeof(list_attrs) / sizeof(list_attrs[0]); k++)
			if (strcasecmp(l->attrs.v[i], list_attrs[k].name) == 0)
				l->flags |= list_attrs[k].bit;
	if (imap_decode_mailbox(p->arena, &a[2], p->utf8, &l->mailbox, &p->why) < 0)
		return -1;
	if (r->n_args == 4) {
		const struct imap_arg *x = &a[3];

		if (x->type != IMAP_ARG_LIST || x->len % 2 != 0) {
			p->why = "bad LIST extended data";
			return -1;
		}
		for (size_t i = 0; i < x->len; i += 2) {
			const struct imap_arg *v = &x->u.list[i + 1];

			if (imap_arg_atom_is(&x->u.list[i], "CHILDINFO") ||
			    (x->u.list[i].type == IMAP_ARG_STRING &&
			     strcasecmp(x->u.list[i].u.str, "CHILDINFO") == 0)) {
				struct imap_strings ci;

				if (imap_decode_strings(p->arena, v, 0, &ci, &why) < 0) {
					p->why = "bad CHILDINFO";
					return -1;
				}
				for (size_t k = 0; k < ci.n; k++)
					if (strcasecmp(ci.v[k], "SUBSCRIBED") == 0)
						l->flags |= IMAP_LIST_CHILD_SUBSCRIBED;
			} else if (imap_arg_atom_is(&x->u.list[i], "OLDNAME") ||
				   (x->u.list[i].type == IMAP_ARG_STRING &&
				    strcasecmp(x->u.list[i].u.str, "OLDNAME") == 0)) {
				if (v->type != IMAP_ARG_LIST || v->len != 1 ||
				    imap_decode_mailbox(p->arena, &v->u.list[0], p->utf8,
							&l->oldname, &p->why) < 0) {
					p->why = "bad OLDNAME";
					return -1;
				}
			}
		}
	}
	return 0;
}

static int
decode_status(struct imap_parser *p, struct imap_response *r)
{
	static const struct {
		const char *name;
		unsigned bit;
	} items[] = {
		{"MESSAGES", IMAP_STATUS_MESSAGES},	  {"RECENT", IMAP_STATUS_RECENT},
		{"UIDNEXT", IMAP_STATUS_UIDNEXT},	  {"UIDVALIDITY", IMAP_STATUS_UIDVALIDITY},
		{"UNSEEN", IMAP_STATUS_UNSEEN},		  {"DELETED", IMAP_STATUS_DELETED},
		{"SIZE", IMAP_STATUS_SIZE},		  {"HIGHESTMODSEQ", IMAP_STATUS_HIGHESTMODSEQ},
	};
	struct imap_status_data *st = &r->u.status;
	const struct imap_arg *l;

	if (r->n_args != 2 || r->args[1].type != IMAP_ARG_LIST || r->args[1].len % 2 != 0) {
		p->why = "STATUS without its attribute list";
		return -1;
	}
	if (imap_decode_mailbox(p->arena, &r->args[0], p->utf8, &st->mailbox, &p->why) < 0)
		return -1;
	l = &r->args[1];
	for (size_t i = 0; i < l->len; i += 2) {
		const struct imap_arg *v = &l->u.list[i + 1];
		uint64_t n64 = 0;
		uint32_t n32 = 0;
		unsigned bit = 0;

		for (size_t k = 0; k < sizeof(items) / sizeof(items[0]); k++)
			if (imap_arg_atom_is(&l->u.list[i], items[k].name))
				bit = items[k].bit;
		if (bit == 0)
			continue;
		if (bit == IMAP_STATUS_SIZE || bit == IMAP_STATUS_HIGHESTMODSEQ) {
			if (imap_arg_number64(v, &n64) < 0)
				goto bad;
		} else if (imap_arg_number(v, &n32) < 0) {
			goto bad;
		}
		st->present |= bit;
		switch (bit) {
		case IMAP_STATUS_MESSAGES: st->messages = n32; break;
		case IMAP_STATUS_RECENT: st->recent = n32; break;
		case IMAP_STATUS_UIDNEXT: st->uidnext = n32; break;
		case IMAP_STATUS_UIDVALIDITY: st->uidvalidity = n32; break;
		case IMAP_STATUS_UNSEEN: st->unseen = n32; break;
		case IMAP_STATUS_DELETED: st->deleted = n32; break;
		case IMAP_STATUS_SIZE: st->size = n64; break;
		default: st->highestmodseq = n64; break;
		}
	}
	return 0;
bad:
	p->why = "STATUS value is not a number";
	return -1;
}

static int
decode_namespace(struct imap_parser *p, struct imap_response *r)
{
	if (r->n_args != 3) {
		p->why = "NAMESPACE without three namespace lists";
		return -1;
	}
	for (int k = 0; k < 3; k++) {
		const struct imap_arg *a = &r->args[k];
		struct imap_namespace *v;

		if (a->type == IMAP_ARG_NIL)
			continue;
		if (a->type != IMAP_ARG_LIST || a->len == 0)
			goto bad;
		v = arena_alloc(p->arena, a->len * sizeof(*v));
		for (size_t i = 0; i < a->len; i++) {
			const struct imap_arg *d = &a->u.list[i];

			if (d->type != IMAP_ARG_LIST || d->len < 2 ||
			    d->u.list[0].type != IMAP_ARG_STRING ||
			    delimiter_of(&d->u.list[1], &v[i].delimiter) < 0)
				goto bad;
			v[i].prefix = d->u.list[0].u.str;
		}
		r->u.ns[k].v = v;
		r->u.ns[k].n = a->len;
	}
	return 0;
bad:
	p->why = "bad NAMESPACE description";
	return -1;
}

static int
decode_id(struct imap_parser *p, struct imap_response *r)
{
	const struct imap_arg *a = r->args;
	const char **k, **v;
	size_t n;

	if (r->n_args != 1 || (a->type != IMAP_ARG_NIL && a->type != IMAP_ARG_LIST) ||
	    (a->type == IMAP_ARG_LIST && a->len % 2 != 0)) {
		p->why = "bad ID parameter list";
		return -1;
	}
	if (a->type == IMAP_ARG_NIL)
		return 0;
	n = a->len / 2;
	k = arena_alloc(p->arena, (n + 1) * sizeof(*k));
	v = arena_alloc(p->arena, (n + 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		int ok;

		if (a->u.list[2 * i].type != IMAP_ARG_STRING) {
			p->why = "ID field name is not a string";
			return -1;
		}
		k[i] = a->u.list[2 * i].u.str;
		v[i] = imap_arg_nstring(&a->u.list[2 * i + 1], &ok);
		if (!ok) {
			p->why = "ID value is not a string";
			return -1;
		}
	}
	r->u.id.keys = k;
	r->u.id.values = v;
	r->u.id.n = n;
	return 0;
}

static int
decode_data(struct imap_parser *p, struct imap_response *r)
{
	const char *why = NULL;
	struct imap_arg list = {IMAP_ARG_LIST, 0, r->n_args, {NULL}};

	list.u.list = r->args;

	switch (r->type) {
	case IMAP_RESP_CAPABILITY:
	case IMAP_RESP_ENABLED:
		if (imap_decode_strings(p->arena, &list, 0, &r->u.caps, &why) < 0)
			goto bad;
		return 0;
	case IMAP_RESP_FLAGS:
		if (r->n_args != 1 || imap_decode_flags(p->arena, &r->args[0], &r->u.flags, &why) < 0)
			goto bad;
		return 0;
	case IMAP_RESP_LIST:
	case IMAP_RESP_LSUB:
		return decode_list(p, r);
	case IMAP_RESP_STATUS_DATA:
		return decode_status(p, r);
	case IMAP_RESP_SEARCH:
		return decode_search(p, r);
	case IMAP_RESP_ESEARCH:
		return decode_esearch(p, r);
	case IMAP_RESP_VANISHED: {
		size_t i = 0;

		if (r->n_args == 2 && r->args[0].type == IMAP_ARG_LIST && r->args[0].len == 1 &&
		    imap_arg_atom_is(&r->args[0].u.list[0], "EARLIER")) {
			r->u.vanished.earlier = 1;
			i = 1;
		}
		if (r->n_args != i + 1 || r->args[i].type != IMAP_ARG_ATOM ||
		    imap_seqset_parse(p->arena, r->args[i].u.str, r->args[i].len,
				      p->params.list_items_max, &r->u.vanished.uids, &why) < 0) {
			why = why ? why : "bad VANISHED";
			goto bad;
		}
		return 0;
	}
	case IMAP_RESP_FETCH:
		if (r->n_args != 1 || r->args[0].type != IMAP_ARG_LIST) {
			why = "FETCH without its item list";
			goto bad;
		}
		r->u.fetch.seq = r->number;
		if (imap_decode_fetch(p->arena, &r->args[0], p->params.depth_max, &r->u.fetch,
				      &why) < 0)
			goto bad;
		return 0;
	case IMAP_RESP_NAMESPACE:
		return decode_namespace(p, r);
	case IMAP_RESP_ID:
		return decode_id(p, r);
	default:
		return 0;
	}
bad:
	p->why = why ? why : "malformed";
	return -1;
}

/* The response is complete: typed decoding. */
static void
finish(struct imap_parser *p, int tok)
{
	struct imap_response *r = p->resp;

	if (tok == TOK_DONE && p->depth != 0)
		p->why = "unbalanced \"(\"";
	if (r->type != IMAP_RESP_TAGGED && r->type != IMAP_RESP_CONTINUE &&
	    r->type != IMAP_RESP_STATUS) {
		r->args = frame_copy(p, &p->frames[0]);
		r->n_args = p->frames[0].n;
		if (p->why == NULL)
			(void)decode_data(p, r);
	}
	if (p->why != NULL) {
		r->type = IMAP_RESP_MALFORMED;
		r->why = p->why;
		if (r->name == NULL)
			r->name = "";
	}
	for (unsigned d = 0; d <= p->depth; d++)
		p->frames[d].n = 0;
	p->depth = 0;
}

/* ---- the parser object ---- */

void
imap_parser_params_init(struct imap_parser_params *params)
{
	params->line_max = IMAP_PARSER_LINE_MAX;
	params->literal_max = IMAP_PARSER_LITERAL_MAX;
	params->response_max = IMAP_PARSER_RESPONSE_MAX;
	params->stream_min = IMAP_PARSER_STREAM_MIN;
	params->depth_max = IMAP_PARSER_DEPTH_MAX;
	params->list_items_max = IMAP_PARSER_LIST_ITEMS_MAX;
}

struct imap_parser *
imap_parser_new(const struct imap_parser_params *params)
{
	struct imap_parser *p = xcalloc(1, sizeof(*p));
	struct imap_parser_params def;

	imap_parser_params_init(&def);
	if (params != NULL) {
		p->params = *params;
		if (p->params.line_max == 0)
			p->params.line_max = def.line_max;
		if (p->params.literal_max == 0)
			p->params.literal_max = def.literal_max;
		if (p->params.response_max == 0)
			p->params.response_max = def.response_max;
		if (p->params.stream_min == 0)
			p->params.stream_min = def.stream_min;
		if (p->params.depth_max == 0)
			p->params.depth_max = def.depth_max;
		if (p->params.list_items_max == 0)
			p->params.list_items_max = def.list_items_max;
	} else {
		p->params = def;
	}
	p->arena = arena_new();
	p->frames = xcalloc((size_t)p->params.depth_max + 1, sizeof(*p->frames));
	str_init(&p->lit);
	return p;
}

static void
free_big_lits(struct imap_parser *p)
{
	for (size_t i = 0; i < p->n_big_lits; i++)
		free(p->big_lits[i]);
	p->n_big_lits = 0;
}

void
imap_parser_free(struct imap_parser **parser)
{
	struct imap_parser *p = *parser;

	if (p == NULL)
		return;
	for (unsigned d = 0; d <= p->params.depth_max; d++)
		free(p->frames[d].v);
	free(p->frames);
	free_big_lits(p);
	free(p->big_lits);
	arena_free(&p->arena);
	free(p->strbuf);
	str_free(&p->lit);
	free(p->buf);
	free(p);
	*parser = NULL;
}

void
imap_parser_feed(struct imap_parser *p, const void *data, size_t len)
{
	if (p->state == P_FAILED || len == 0)
		return;
	if (p->cap - p->end < len && p->start > 0) {
		memmove(p->buf, p->buf + p->start, p->end - p->start);
		p->end -= p->start;
		p->start = 0;
	}
	if (p->cap - p->end < len) {
		size_t cap = p->cap ? p->cap : 16384;

		while (cap - p->end < len)
			cap *= 2;
		p->buf = xrealloc(p->buf, cap);
		p->cap = cap;
	}
	memcpy(p->buf + p->end, data, len);
	p->end += len;
}

void
imap_parser_set_utf8(struct imap_parser *p, int on)
{
	p->utf8 = on;
}

int
imap_parser_in_response(const struct imap_parser *p)
{
	return p->state != P_IDLE && p->state != P_FAILED;
}

size_t
imap_parser_pending(const struct imap_parser *p)
{
	return p->end - p->start;
}

void
imap_parser_take_pending(struct imap_parser *p, const char **data_r, size_t *len_r)
{
	*data_r = p->buf != NULL ? p->buf + p->start : "";
	*len_r = p->end - p->start;
	p->start = p->end;
	p->scan = 0;
}

static void
begin_response(struct imap_parser *p)
{
	free_big_lits(p);
	arena_reset(p->arena);
	p->strs = p->strbuf;
	p->strs_left = p->strbuf != NULL ? STRBUF_SIZE : 0;
	p->reset_pending = 0;
}

int
imap_parser_next(struct imap_parser *p, const struct imap_response **resp_r, struct err *err)
{
	if (p->reset_pending)
		begin_response(p);
	for (;;) {
		switch (p->state) {
		case P_FAILED:
			if (err != NULL)
				*err = p->failure;
			return -1;
		case P_IDLE:
		case P_LINE: {
			size_t avail = p->end - p->start, len, used;
			const char *line, *lf;
			int r;
			char a[32];

			if (avail == 0)
				return 0;
			line = p->buf + p->start;
			lf = avail > p->scan ? memchr(line + p->scan, '\n', avail - p->scan) : NULL;
			if (lf == NULL) {
				if (avail > p->params.line_max) {
					fail(p, "server sent a line longer than %s",
					     size_text(a, sizeof(a), p->params.line_max));
					continue;
				}
				p->scan = avail;
				return 0;
			}
			len = (size_t)(lf - line);
			used = len + 1;
			if (len > 0 && line[len - 1] == '\r')
				len--;
			if (len > p->params.line_max) {
				fail(p, "server sent a line longer than %s",
				     size_text(a, sizeof(a), p->params.line_max));
				continue;
			}
			if (memchr(line, '\0', len) != NULL) {
				fail(p, "server sent a NUL byte in a response line");
				continue;
			}
			p->start += used;
			p->scan = 0;
			if (p->state == P_IDLE)
				r = first_line(p, line, len);
			else {
				r = data_tokens(p, line, len);
			}
			if (r == TOK_FATAL)
				continue;
			if (r == TOK_LITERAL)
				continue;
			finish(p, r);
			p->state = P_IDLE;
			p->reset_pending = 1;
			*resp_r = p->resp;
			return 1;
		}
		case P_LITERAL: {
			size_t avail = p->end - p->start;
			uint64_t want = p->lit_len - p->lit_got;
			size_t take = want < avail ? (size_t)want : avail;

			str_append_len(&p->lit, p->buf + p->start, take);
			p->start += take;
			p->lit_got += take;
			if (p->lit_got < p->lit_len)
				return 0;
			{
				struct imap_arg arg;

				arg.type = IMAP_ARG_STRING;
				arg.flags = IMAP_ARG_F_LITERAL | (p->lit_binary ? IMAP_ARG_F_BINARY : 0);
				arg.len = (size_t)p->lit_len;
				if (arg.len <= 4096) {
					arg.u.str = copy_str(p, p->lit.s ? p->lit.s : "", arg.len);
				} else {
					char *buf = xrealloc(str_detach(&p->lit), arg.len + 1);

					p->big_lits = xreallocarray(p->big_lits, p->n_big_lits + 1,
								    sizeof(*p->big_lits));
					p->big_lits[p->n_big_lits++] = buf;
					arg.u.str = buf;
				}
				if (push(p, &arg) < 0)
					continue;
			}
			p->state = P_LINE;
			continue;
		}
		case P_STREAM: {
			struct imap_fetch_chunk *c = &p->chunk.u.chunk;
			size_t avail = p->end - p->start;
			uint64_t want = c->body.len - c->offset - c->len;
			size_t take = want < avail ? (size_t)want : avail;

			if (take == 0)
				return 0;
			c->offset += c->len;
			c->data = p->buf + p->start;
			c->len = take;
			c->last = c->offset + take == c->body.len;
			p->start += take;
			if (c->last)
				p->state = P_LINE;
			*resp_r = &p->chunk;
			return 1;
		}
		}
	}
}
