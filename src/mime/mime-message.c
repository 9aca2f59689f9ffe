#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "mime/mime-charset.h"
#include "mime/mime-gmime.h"
#include "mime/mime-header.h"
#include "mime/mime-message.h"
#include "mime/mime-text.h"

#define DEFAULT_MAX_BYTES ((size_t)256 << 20)
#define DEFAULT_MAX_DEPTH 64
#define DEFAULT_MAX_PARTS 1000
#define DEFAULT_MAX_HEADERS 500
#define DEFAULT_MAX_TEXT ((size_t)8 << 20)
#define DEFAULT_MAX_HEADER_BYTES ((size_t)16 << 10)
#define DEFAULT_SAVE_MAX ((size_t)1 << 30)
/* Parts up to this size (encoded) are decoded to learn their exact size. */
#define EXACT_SIZE_LIMIT ((size_t)16 << 20)
#define MAX_WARNINGS 16
#define MAX_ALTERNATIVES 16
#define DECODE_CHUNK 65536

static GMimeParserOptions *options;
static gsize init_once;

/*
 * glibc loads the converter of most charsets from a shared object at
 * iconv_open() and unloads it soon after the last iconv_close(); GMime
 * opens and closes a converter for every encoded word, so a folder of
 * mail in mixed charsets loaded and unloaded them tens of thousands of
 * times (a third of the time spent reading 100,000 IMAP summaries).  One
 * converter of each common charset held open keeps them loaded.
 */
static const char *const pinned_charsets[] = {
	"ISO-8859-1",   "ISO-8859-2",   "ISO-8859-5",   "ISO-8859-7",  "ISO-8859-9",
	"ISO-8859-15",  "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252", "KOI8-R",
	"KOI8-U",       "ISO-2022-JP",  "SHIFT_JIS",    "EUC-JP",      "GB2312",
	"GBK",          "GB18030",      "BIG5",         "EUC-KR",      "UTF-16",
	"UTF-7",
};
static iconv_t pinned[sizeof(pinned_charsets) / sizeof(pinned_charsets[0])];

static void
pin_charsets(int on)
{
	for (size_t i = 0; i < sizeof(pinned) / sizeof(pinned[0]); i++) {
		if (on)
			pinned[i] = iconv_open("UTF-8", pinned_charsets[i]);
		else if (pinned[i] != (iconv_t)-1 && pinned[i] != NULL)
			iconv_close(pinned[i]);
		if (!on)
			pinned[i] = NULL;
	}
}

static void
setup(void)
{
	/* UTF-8 first: valid UTF-8 is almost never anything else; then what
	 * unlabelled 8-bit mail in the wild usually is. */
	static const char *fallback[] = {"UTF-8", "windows-1252", NULL};

	g_mime_init();
	pin_charsets(1);
	options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(options, fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(options, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(options, TRUE);
}

GMimeParserOptions *
mime_gmime_options(void)
{
	/* Set up on first use too, so a caller that forgot mime_init() (a
	 * unit test of another module) still works; g_once makes that safe
	 * even from several threads. */
	if (g_once_init_enter(&init_once)) {
		setup();
		g_once_init_leave(&init_once, 1);
	}
	if (options == NULL)
		setup(); /* after mime_shutdown(): single-threaded by contract */
	return options;
}

void
mime_init(void)
{
	(void)mime_gmime_options();
}

void
mime_shutdown(void)
{
	if (options == NULL)
		return;
	g_mime_parser_options_free(options);
	options = NULL;
	pin_charsets(0);
	g_mime_shutdown();
}

struct mime_message {
	GMimeMessage *gm;
	GByteArray *raw; /* the input; GMime's streams point into it */
	size_t body_off;
	int unparsed;
	int warned[32];
	const char *warnings[MAX_WARNINGS];
	size_t n_warnings;
};

static const char *
warning_text(GMimeParserWarning w)
{
	switch (w) {
	case GMIME_WARN_MALFORMED_MULTIPART:
		return "a multipart is malformed (a boundary is missing or misplaced)";
	case GMIME_WARN_TRUNCATED_MESSAGE:
		return "the message ends early (no body, or a part is cut off)";
	case GMIME_WARN_MALFORMED_MESSAGE:
		return "the message is malformed";
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		return "a multipart declares no boundary";
	case GMIME_CRIT_NESTING_OVERFLOW:
		return "parts are nested too deeply for the parser";
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
	case GMIME_WARN_PART_WITHOUT_CONTENT:
		return "a part has no content";
	case GMIME_WARN_INVALID_CONTENT_TYPE:
		return "a Content-Type is invalid";
	case GMIME_CRIT_INVALID_HEADER_NAME:
		return "a header line is invalid";
	default:
		return NULL;
	}
}

static void
on_warning(gint64 offset, GMimeParserWarning w, const gchar *item, gpointer user_data)
{
	struct mime_message *msg = user_data;
	const char *text = warning_text(w);

	(void)offset;
	(void)item;
	if (text == NULL || (unsigned)w >= sizeof(msg->warned) / sizeof(msg->warned[0]) ||
	    msg->warned[w] || msg->n_warnings >= MAX_WARNINGS)
		return;
	msg->warned[w] = 1;
	msg->warnings[msg->n_warnings++] = text;
}

static GMimeStream *
raw_stream(struct mime_message *msg)
{
	GMimeStream *s = g_mime_stream_mem_new_with_byte_array(msg->raw);

	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(s), FALSE);
	return s;
}

/* What GMime could not read at all is shown as one unlabelled text part,
 * so the reader still sees every byte. */
static void
make_unparsed(struct mime_message *msg)
{
	GMimeStream *s = raw_stream(msg);
	GMimeDataWrapper *w =
	    g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");

	if (msg->gm != NULL)
		g_object_unref(msg->gm);
	msg->gm = g_mime_message_new(FALSE);
	g_mime_part_set_content(GMIME_PART(part), w);
	g_mime_message_set_mime_part(msg->gm, GMIME_OBJECT(part));
	g_object_unref(part);
	g_object_unref(w);
	g_object_unref(s);
	msg->unparsed = 1;
	msg->body_off = 0;
}

int
mime_message_parse_mem(const void *data, size_t len, const struct mime_parse_params *params,
                       struct mime_message **msg_r, struct err *err)
{
	size_t max = params != NULL && params->max_bytes ? params->max_bytes : DEFAULT_MAX_BYTES;
	struct mime_message *msg;
	GMimeParserOptions *o;
	GMimeParser *parser;
	GMimeStream *s;

	*msg_r = NULL;
	if (len > max || len > G_MAXUINT)
		return err_set(err, ERR_PARSE, "the message is larger than %zu bytes", max);
	msg = xcalloc(1, sizeof(*msg));
	msg->raw = g_byte_array_sized_new((guint)len);
	g_byte_array_append(msg->raw, data, (guint)len);
	s = raw_stream(msg);
	parser = g_mime_parser_new_with_stream(s);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	o = g_mime_parser_options_clone(mime_gmime_options());
	g_mime_parser_options_set_warning_callback(o, on_warning, msg);
	msg->gm = g_mime_parser_construct_message(parser, o);
	g_mime_parser_options_free(o);
	g_object_unref(parser);
	g_object_unref(s);
	msg->body_off = mime_header_end((const char *)msg->raw->data, msg->raw->len);
	if (msg->gm == NULL || g_mime_message_get_mime_part(msg->gm) == NULL)
		make_unparsed(msg);
	*msg_r = msg;
	return 0;
}

int
mime_message_parse_fd(int fd, const struct mime_parse_params *params, struct mime_message **msg_r,
                      struct err *err)
{
	size_t max = params != NULL && params->max_bytes ? params->max_bytes : DEFAULT_MAX_BYTES;
	struct str buf = STR_INIT;
	int ret = -1;

	*msg_r = NULL;
	for (;;) {
		ssize_t n;

		str_reserve(&buf, DECODE_CHUNK);
		n = read(fd, buf.s + buf.len, buf.cap - buf.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(err, ERR_IO, errno, "cannot read the message");
			goto out;
		}
		if (n == 0)
			break;
		buf.len += (size_t)n;
		if (buf.len > max) {
			err_set(err, ERR_PARSE, "the message is larger than %zu bytes", max);
			goto out;
		}
	}
	ret = mime_message_parse_mem(buf.s ? buf.s : "", buf.len, params, msg_r, err);
out:
	str_free(&buf);
	return ret;
}

void
mime_message_free(struct mime_message **msg)
{
	if (*msg == NULL)
		return;
	/* The message first: its streams point into raw. */
	if ((*msg)->gm != NULL)
		g_object_unref((*msg)->gm);
	g_byte_array_unref((*msg)->raw);
	free(*msg);
	*msg = NULL;
}

const char *
mime_message_raw(const struct mime_message *msg, size_t *len_r, size_t *body_r)
{
	if (len_r != NULL)
		*len_r = msg->raw->len;
	if (body_r != NULL)
		*body_r = msg->body_off;
	return msg->raw->data != NULL ? (const char *)msg->raw->data : "";
}

/*
 * Content access.  Parsed parts are windows on the message buffer, so the
 * encoded bytes are read in place; anything else is copied out.
 */
static const char *
content_raw(GMimeDataWrapper *w, struct str *tmp, size_t *len_r)
{
	GMimeStream *s = g_mime_data_wrapper_get_stream(w);

	*len_r = 0;
	if (s == NULL)
		return "";
	if (GMIME_IS_STREAM_MEM(s) && GMIME_STREAM_MEM(s)->buffer != NULL) {
		GByteArray *b = GMIME_STREAM_MEM(s)->buffer;
		gint64 start = s->bound_start, end = s->bound_end;

		if (end < 0 || end > (gint64)b->len)
			end = b->len;
		if (start < 0 || start > end)
			start = end;
		if (b->data == NULL || end == start)
			return "";
		*len_r = (size_t)(end - start);
		return (const char *)b->data + start;
	}
	g_mime_stream_reset(s);
	for (;;) {
		ssize_t n;

		str_reserve(tmp, DECODE_CHUNK);
		n = g_mime_stream_read(s, tmp->s + tmp->len, DECODE_CHUNK);
		if (n <= 0)
			break;
		tmp->len += (size_t)n;
	}
	str_append_len(tmp, "", 0);
	*len_r = tmp->len;
	return tmp->s;
}

static int
b64_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '+' || c == '/';
}

static int
hex_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* 1 when the encoded bytes are damaged in a way decoding hides. */
static int
encoding_damaged(GMimeContentEncoding enc, const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i, quads = 0;
	int pad = 0;

	if (enc == GMIME_CONTENT_ENCODING_BASE64) {
		for (i = 0; i < len; i++) {
			if (b64_char(p[i])) {
				if (pad)
					pad = 0; /* concatenated base64 runs are common */
				quads++;
			} else if (p[i] == '=') {
				pad = 1;
				quads++;
			} else if (p[i] != '\r' && p[i] != '\n' && p[i] != ' ' && p[i] != '\t') {
				return 1;
			}
		}
		return quads % 4 != 0;
	}
	if (enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE) {
		for (i = 0; i < len; i++) {
			size_t j;

			if (p[i] != '=')
				continue;
			if (len - i >= 3 && hex_char(p[i + 1]) && hex_char(p[i + 2]))
				continue;
			for (j = i + 1; j < len && (p[j] == ' ' || p[j] == '\t'); j++)
				continue;
			if (j == len || p[j] == '\r' || p[j] == '\n')
				continue; /* a soft line break */
			return 1;
		}
	}
	return 0;
}

typedef int decode_sink_fn(const char *data, size_t len, void *ctx);

/*
 * Decodes the transfer encoding of w, passing the bytes to sink (which
 * returns -1 to stop).  Stops after max bytes (0: no bound) and sets
 * *truncated_r.  Returns the decoded byte count.
 */
static uint64_t
decode_content(GMimeDataWrapper *w, size_t max, decode_sink_fn *sink, void *ctx, int *damaged_r,
               int *truncated_r)
{
	struct str tmp = STR_INIT;
	GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(w);
	GMimeEncoding state;
	size_t len, off = 0;
	const char *raw = content_raw(w, &tmp, &len);
	uint64_t total = 0;
	char *out = NULL;
	int truncated = 0;

	if (damaged_r != NULL)
		*damaged_r = encoding_damaged(enc, raw, len);
	if (enc == GMIME_CONTENT_ENCODING_UUENCODE) {
		/* GMime's decoder starts after the "begin" line; without one
		 * the text is shown as it is rather than lost. */
		const char *p = raw, *nl;

		while (p < raw + len && strncmp(p, "begin ", (size_t)MIN(6, raw + len - p)) != 0) {
			nl = memchr(p, '\n', (size_t)(raw + len - p));
			p = nl ? nl + 1 : raw + len;
		}
		nl = p < raw + len ? memchr(p, '\n', (size_t)(raw + len - p)) : NULL;
		if (nl == NULL) {
			enc = GMIME_CONTENT_ENCODING_DEFAULT;
			if (damaged_r != NULL)
				*damaged_r = 1;
		} else {
			off = (size_t)(nl + 1 - raw);
		}
	}
	if (enc != GMIME_CONTENT_ENCODING_BASE64 && enc != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
	    enc != GMIME_CONTENT_ENCODING_UUENCODE) {
		size_t n = len;

		if (max > 0 && n > max) {
			n = max;
			truncated = 1;
		}
		if (sink == NULL || sink(raw, n, ctx) == 0)
			total = n;
		goto out;
	}
	g_mime_encoding_init_decode(&state, enc);
	if (enc == GMIME_CONTENT_ENCODING_UUENCODE)
		state.state |= GMIME_UUDECODE_STATE_BEGIN;
	out = xmalloc(g_mime_encoding_outlen(&state, DECODE_CHUNK) + 16);
	for (;;) {
		size_t in = len - off > DECODE_CHUNK ? DECODE_CHUNK : len - off, n;
		int last = off + in == len;

		if (last)
			n = g_mime_encoding_flush(&state, raw + off, in, out);
		else
			n = g_mime_encoding_step(&state, raw + off, in, out);
		off += in;
		if (max > 0 && total + n > max) {
			n = max - (size_t)total;
			truncated = 1;
		}
		if (sink != NULL && n > 0 && sink(out, n, ctx) < 0)
			break;
		total += n;
		if (last || truncated)
			break;
	}
out:
	free(out);
	str_free(&tmp);
	if (truncated_r != NULL)
		*truncated_r = truncated;
	return total;
}

static int
sink_str(const char *data, size_t len, void *ctx)
{
	str_append_len(ctx, data, len);
	return 0;
}

/*
 * The view.
 */
struct vec {
	void *v;
	size_t n, cap, size;
};

static void *
vec_push(struct vec *vec)
{
	char *p;

	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? vec->cap * 2 : 16;
		vec->v = xreallocarray(vec->v, vec->cap, vec->size);
	}
	p = (char *)vec->v + vec->n * vec->size;
	memset(p, 0, vec->size);
	vec->n++;
	return p;
}

struct view_ctx {
	const struct mime_message *msg;
	struct arena *arena;
	struct mime_view_params p;
	const char *alts[MAX_ALTERNATIVES];
	size_t n_alts;
	struct vec parts, blocks;
	int capped, too_deep;
};

/* Converts sanitised UTF-8 to the target charset, into the arena. */
static const char *
to_target(struct view_ctx *c, const char *utf8, size_t len, size_t *len_r)
{
	struct str s = STR_INIT;
	const char *r;

	if (c->p.charset == NULL || mime_charset_is_utf8(c->p.charset)) {
		r = arena_strndup(c->arena, utf8, len);
		if (len_r != NULL)
			*len_r = len;
		return r;
	}
	mime_charset_from_utf8(&s, utf8, len, c->p.charset);
	r = arena_strndup(c->arena, s.s ? s.s : "", s.len);
	if (len_r != NULL)
		*len_r = s.len;
	str_free(&s);
	return r;
}

static struct mime_block *
add_block(struct view_ctx *c, enum mime_block_kind kind, int part, const char *utf8, size_t len)
{
	struct mime_block *b = vec_push(&c->blocks);

	b->kind = kind;
	b->part = part;
	b->text = to_target(c, utf8, len, &b->len);
	b->charset_used = "";
	return b;
}

static void add_notice(struct view_ctx *c, int part, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
add_notice(struct view_ctx *c, int part, const char *fmt, ...)
{
	struct str s = STR_INIT, safe = STR_INIT;
	va_list ap;

	str_append(&s, "[-- ");
	va_start(ap, fmt);
	str_appendvf(&s, fmt, ap);
	va_end(ap);
	str_append(&s, " --]");
	/* Notices quote charset names and such from the message. */
	mime_sanitize(&safe, s.s, s.len, 0);
	add_block(c, MIME_BLOCK_NOTICE, part, safe.s, safe.len);
	str_free(&s);
	str_free(&safe);
}

static const char *const address_fields[] = {
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "sender",
    "resent-from",
    "resent-to",
    "resent-cc",
    "resent-sender",
    "mail-followup-to",
    "mail-reply-to",
    "disposition-notification-to",
    "return-receipt-to",
};

static int
is_address_field(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(address_fields) / sizeof(address_fields[0]); i++)
		if (strlen(address_fields[i]) == len &&
		    strncasecmp(name, address_fields[i], len) == 0)
			return 1;
	return 0;
}

struct raw_field {
	const char *name, *value;
	size_t name_len, value_len;
};

/*
 * Chooses and decodes the fields to show, from a list of raw fields;
 * appends "Name: value" lines (UTF-8) to out when out is given, else adds
 * them to the view's header list.
 */
static void
show_fields(struct view_ctx *c, const struct raw_field *f, size_t n, struct str *out,
            struct vec *lines)
{
	const char *want = c->p.headers;
	int all = strcmp(want, "*") == 0;
	size_t shown = 0, skipped = 0;
	const char *p = want;

	/* Each name in the list's order, each field in the message's. */
	while (*p != '\0' || all) {
		const char *e = all ? "" : strchr(p, ',');
		size_t wlen;

		if (!all) {
			if (e == NULL)
				e = p + strlen(p);
			while (p < e && *p == ' ')
				p++;
			wlen = (size_t)(e - p);
			while (wlen > 0 && p[wlen - 1] == ' ')
				wlen--;
		}
		for (size_t i = 0; i < n; i++) {
			char *name, *value;

			if (!all && (f[i].name_len != wlen || strncasecmp(f[i].name, p, wlen) != 0))
				continue;
			if (all && shown >= c->p.max_headers) {
				skipped++;
				continue;
			}
			name = mime_sanitize_arena(c->arena, f[i].name, f[i].name_len, 0);
			if (is_address_field(f[i].name, f[i].name_len))
				value = mime_header_decode_addresses(
				    c->arena, f[i].value, f[i].value_len, c->p.max_header_bytes);
			else
				value = mime_header_decode_text(
				    c->arena, f[i].value, f[i].value_len, c->p.max_header_bytes);
			shown++;
			if (out != NULL) {
				str_appendf(out, "%s: %s\n", name, value);
			} else {
				struct mime_header_line *l = vec_push(lines);

				l->name = name;
				l->value = to_target(c, value, strlen(value), NULL);
			}
		}
		if (all)
			break;
		p = *e ? e + 1 : e;
	}
	if (skipped > 0)
		add_notice(c, -1, "%zu more header fields not shown", skipped);
}

static char *
lower_type(struct view_ctx *c, GMimeObject *o)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	const char *t = ct ? g_mime_content_type_get_media_type(ct) : NULL;
	const char *s = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
	char *r, *q;

	r = arena_printf(c->arena, "%s/%s", t && *t ? t : "application",
	                 s && *s ? s : "octet-stream");
	for (q = r; *q != '\0'; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return mime_sanitize_arena(c->arena, r, strlen(r), 0);
}

static const char *
join_path(struct view_ctx *c, const char *prefix, int n)
{
	if (*prefix == '\0')
		return arena_printf(c->arena, "%d", n);
	return arena_printf(c->arena, "%s.%d", prefix, n);
}

static int
add_part(struct view_ctx *c, GMimeObject *o, const char *path, unsigned depth,
         enum mime_part_role role)
{
	struct mime_part *mp = vec_push(&c->parts);
	GMimeContentDisposition *d = g_mime_object_get_content_disposition(o);
	const char *cs = g_mime_object_get_content_type_parameter(o, "charset");
	GMimeHeaderList *hl = g_mime_object_get_header_list(o);
	GMimeHeader *desc = hl ? g_mime_header_list_get_header(hl, "Content-Description") : NULL;

	mp->path = path;
	mp->type = lower_type(c, o);
	mp->filename = "";
	mp->description = "";
	mp->charset = cs ? mime_sanitize_arena(c->arena, cs, strlen(cs), 0) : "";
	mp->encoding = "";
	mp->depth = depth;
	mp->role = role;
	if (d != NULL) {
		const char *disp = g_mime_content_disposition_get_disposition(d);

		mp->inline_disposition = disp != NULL && g_ascii_strcasecmp(disp, "inline") == 0;
	}
	if (desc != NULL) {
		const char *raw = g_mime_header_get_raw_value(desc);

		if (raw != NULL)
			mp->description = mime_header_decode_text(c->arena, raw, strlen(raw),
			                                          c->p.max_header_bytes);
	}
	if (GMIME_IS_PART(o)) {
		GMimePart *part = GMIME_PART(o);
		const char *fn = g_mime_part_get_filename(part);
		GMimeContentEncoding enc = g_mime_part_get_content_encoding(part);
		GMimeDataWrapper *w = g_mime_part_get_content(part);
		const char *es = g_mime_content_encoding_to_string(enc);

		if (fn != NULL)
			mp->filename = mime_header_decode_text(c->arena, fn, strlen(fn),
			                                       c->p.max_header_bytes);
		mp->encoding = es ? es : "7bit";
		if (w != NULL) {
			struct str tmp = STR_INIT;
			size_t len;

			content_raw(w, &tmp, &len);
			str_free(&tmp);
			if (len <= EXACT_SIZE_LIMIT) {
				mp->size = decode_content(w, 0, NULL, NULL, NULL, NULL);
				mp->size_exact = 1;
			} else {
				mp->size = mime_decoded_size_estimate(
				    (uint64_t)len, enc == GMIME_CONTENT_ENCODING_BASE64     ? "base64"
				                   : enc == GMIME_CONTENT_ENCODING_UUENCODE ? "x-uuencode"
				                                                            : "");
			}
		}
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));

		mp->encoding = "7bit";
		if (inner != NULL) {
			GMimeStream *null = g_mime_stream_null_new();

			mp->size = (uint64_t)g_mime_object_write_to_stream(GMIME_OBJECT(inner),
			                                                   NULL, null);
			mp->size_exact = 1;
			g_object_unref(null);
		}
	}
	return (int)(c->parts.n - 1);
}

static void
format_size(struct str *out, uint64_t size, int exact)
{
	if (!exact)
		str_append(out, "~");
	str_append_size(out, size);
}

static void
add_attachment_line(struct view_ctx *c, int idx)
{
	const struct mime_part *mp = (const struct mime_part *)c->parts.v + idx;
	struct str s = STR_INIT;

	str_appendf(&s, "[-- Attachment %s: %s", *mp->path ? mp->path : "(message)", mp->type);
	if (*mp->filename != '\0')
		str_appendf(&s, ", \"%s\"", mp->filename);
	str_append(&s, ", ");
	format_size(&s, mp->size, mp->size_exact);
	if (*mp->description != '\0')
		str_appendf(&s, ", %s", mp->description);
	str_append(&s, " --]");
	add_block(c, MIME_BLOCK_ATTACHMENT, idx, s.s, s.len);
	str_free(&s);
}

/* CRLF and lone CR line ends become LF... except that a lone CR is left
 * for the sanitiser to show: it would let text overwrite a line. */
static void
crlf_to_lf(struct str *s)
{
	size_t i, j = 0;

	for (i = 0; i < s->len; i++) {
		if (s->s[i] == '\r' && i + 1 < s->len && s->s[i + 1] == '\n')
			continue;
		s->s[j++] = s->s[i];
	}
	s->len = j;
	if (s->s != NULL)
		s->s[j] = '\0';
}

static void
add_text(struct view_ctx *c, GMimeObject *o, int idx, const char *subtype)
{
	GMimeDataWrapper *w = GMIME_IS_PART(o) ? g_mime_part_get_content(GMIME_PART(o)) : NULL;
	const char *charset = g_mime_object_get_content_type_parameter(o, "charset");
	struct str decoded = STR_INIT, utf8 = STR_INIT, safe = STR_INIT, stripped = STR_INIT;
	int damaged = 0, truncated = 0;
	const char *used = NULL;
	unsigned cs, flags = 0;
	struct mime_block *b;

	if (w != NULL)
		decode_content(w, c->p.max_text_bytes, sink_str, &decoded, &damaged, &truncated);
	cs = mime_charset_to_utf8(&utf8, decoded.s ? decoded.s : "", decoded.len, charset, &used);
	crlf_to_lf(&utf8);
	if (cs & MIME_CHARSET_FALLBACK)
		flags |= MIME_TEXT_CHARSET_FALLBACK;
	if (cs & MIME_CHARSET_ERRORS)
		flags |= MIME_TEXT_CHARSET_ERRORS;
	if (damaged)
		flags |= MIME_TEXT_BAD_ENCODING;
	if (truncated)
		flags |= MIME_TEXT_TRUNCATED;
	if (flags & MIME_TEXT_CHARSET_FALLBACK) {
		if (charset != NULL && *charset != '\0')
			add_notice(c, idx,
			           "part %s: declared charset \"%s\" does not fit; shown as %s",
			           ((struct mime_part *)c->parts.v)[idx].path, charset, used);
		else
			add_notice(c, idx, "part %s: no charset declared; shown as %s",
			           ((struct mime_part *)c->parts.v)[idx].path, used);
	}
	if (flags & MIME_TEXT_CHARSET_ERRORS)
		add_notice(c, idx, "part %s: some bytes are not valid %s",
		           ((struct mime_part *)c->parts.v)[idx].path, used);
	if (damaged)
		add_notice(c, idx, "part %s: damaged %s encoding; shown as far as it decodes",
		           ((struct mime_part *)c->parts.v)[idx].path,
		           g_mime_content_encoding_to_string(g_mime_data_wrapper_get_encoding(w)));
	if (g_ascii_strcasecmp(subtype, "html") == 0) {
		flags |= MIME_TEXT_HTML | MIME_TEXT_HTML_STRIPPED;
		mime_html_strip(&stripped, utf8.s ? utf8.s : "", utf8.len);
		mime_sanitize(&safe, stripped.s, stripped.len,
		              MIME_SANITIZE_NEWLINE | MIME_SANITIZE_TAB);
	} else {
		mime_sanitize(&safe, utf8.s ? utf8.s : "", utf8.len,
		              MIME_SANITIZE_NEWLINE | MIME_SANITIZE_TAB);
	}
	b = add_block(c, MIME_BLOCK_TEXT, idx, safe.s, safe.len);
	b->flags = flags;
	b->charset_used = used ? arena_strdup(c->arena, used) : "";
	if (flags & MIME_TEXT_HTML) {
		b->html = arena_strndup(c->arena, utf8.s ? utf8.s : "", utf8.len);
		b->html_len = utf8.len;
	}
	if (truncated)
		add_notice(c, idx, "part %s: only the first %zu bytes are shown",
		           ((struct mime_part *)c->parts.v)[idx].path, c->p.max_text_bytes);
	str_free(&decoded);
	str_free(&utf8);
	str_free(&safe);
	str_free(&stripped);
}

/* The type an alternative offers: a multipart/related offers its root. */
static GMimeObject *
related_root(GMimeMultipart *mp)
{
	GMimeObject *o = GMIME_OBJECT(mp);
	const char *start = g_mime_object_get_content_type_parameter(o, "start");
	int n = g_mime_multipart_get_count(mp);

	if (n == 0)
		return NULL;
	if (start != NULL) {
		for (int i = 0; i < n; i++) {
			GMimeObject *child = g_mime_multipart_get_part(mp, i);
			const char *id = g_mime_object_get_content_id(child);
			size_t sl = strlen(start);

			if (id == NULL)
				continue;
			if (start[0] == '<' && sl > 2 && strlen(id) == sl - 2 &&
			    strncmp(start + 1, id, sl - 2) == 0)
				return child;
			if (strcmp(start, id) == 0)
				return child;
		}
	}
	return g_mime_multipart_get_part(mp, 0);
}

static int
type_matches(GMimeObject *o, const char *want)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	const char *t, *s, *slash = strchr(want, '/');
	size_t tl;

	if (ct == NULL || slash == NULL)
		return 0;
	if (GMIME_IS_MULTIPART(o) &&
	    g_ascii_strcasecmp(g_mime_content_type_get_media_subtype(ct), "related") == 0) {
		GMimeObject *root = related_root(GMIME_MULTIPART(o));

		if (root != NULL && !GMIME_IS_MULTIPART(root))
			return type_matches(root, want);
	}
	t = g_mime_content_type_get_media_type(ct);
	s = g_mime_content_type_get_media_subtype(ct);
	tl = (size_t)(slash - want);
	if (t == NULL || s == NULL || strlen(t) != tl || g_ascii_strncasecmp(t, want, tl) != 0)
		return 0;
	return strcmp(slash + 1, "*") == 0 || g_ascii_strcasecmp(s, slash + 1) == 0;
}

static int
choose_alternative(struct view_ctx *c, GMimeMultipart *mp)
{
	int n = g_mime_multipart_get_count(mp);

	/* RFC 2046: the last of equals is the best. */
	for (size_t k = 0; k < c->n_alts; k++)
		for (int i = n - 1; i >= 0; i--)
			if (type_matches(g_mime_multipart_get_part(mp, i), c->alts[k]))
				return i;
	return n - 1;
}

static void walk(struct view_ctx *c, GMimeObject *o, const char *path, unsigned depth,
                 enum mime_part_role forced);

static void
show_embedded_header(struct view_ctx *c, GMimeMessage *inner, int idx)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(inner));
	int n = hl ? g_mime_header_list_get_count(hl) : 0;
	struct raw_field *f = xcalloc((size_t)n + 1, sizeof(*f));
	struct str s = STR_INIT;

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h), *raw = g_mime_header_get_raw_value(h);

		f[i].name = name ? name : "";
		f[i].name_len = strlen(f[i].name);
		f[i].value = raw ? raw : "";
		f[i].value_len = strlen(f[i].value);
	}
	show_fields(c, f, (size_t)n, &s, NULL);
	add_block(c, MIME_BLOCK_HEADERS, idx, s.s ? s.s : "", s.len);
	str_free(&s);
	free(f);
}

static void
walk_multipart(struct view_ctx *c, GMimeMultipart *mp, const char *path, unsigned depth,
               enum mime_part_role forced)
{
	GMimeObject *o = GMIME_OBJECT(mp);
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "";
	int n = g_mime_multipart_get_count(mp), chosen = -1, idx;
	GMimeObject *root = NULL;

	idx = add_part(c, o, path, depth,
	               forced == MIME_ROLE_ALTERNATIVE ? forced : MIME_ROLE_CONTAINER);
	if (sub == NULL)
		sub = "";
	if (n == 0) {
		const char *pro = g_mime_multipart_get_prologue(mp);
		const char *epi = g_mime_multipart_get_epilogue(mp);
		struct str raw = STR_INIT, utf8 = STR_INIT, safe = STR_INIT;
		const char *used;

		if (forced == MIME_ROLE_ALTERNATIVE)
			return;
		/* With no boundary found, everything sits in the prologue. */
		add_notice(c, idx,
		           "multipart %s has no parts (boundary missing?); its raw text follows",
		           *path ? path : "(message)");
		str_append(&raw, pro ? pro : "");
		str_append(&raw, epi ? epi : "");
		mime_charset_to_utf8(&utf8, raw.s ? raw.s : "", raw.len, NULL, &used);
		crlf_to_lf(&utf8);
		mime_sanitize(&safe, utf8.s ? utf8.s : "", utf8.len,
		              MIME_SANITIZE_NEWLINE | MIME_SANITIZE_TAB);
		add_block(c, MIME_BLOCK_TEXT, idx, safe.s, safe.len)->charset_used = used;
		str_free(&raw);
		str_free(&utf8);
		str_free(&safe);
		return;
	}
	if (forced == MIME_ROLE_CONTAINER) {
		if (g_ascii_strcasecmp(sub, "alternative") == 0)
			chosen = choose_alternative(c, mp);
		else if (g_ascii_strcasecmp(sub, "related") == 0)
			root = related_root(mp);
		else if (g_ascii_strcasecmp(sub, "signed") == 0)
			add_notice(c, idx, "signed part %s: the signature was not checked",
			           *path ? path : "(message)");
		else if (g_ascii_strcasecmp(sub, "encrypted") == 0)
			add_notice(c, idx, "encrypted part %s: not decrypted; its parts are listed",
			           *path ? path : "(message)");
	}
	for (int i = 0; i < n && !c->capped; i++) {
		GMimeObject *child = g_mime_multipart_get_part(mp, i);
		enum mime_part_role role = forced;

		if (role == MIME_ROLE_CONTAINER) {
			if (chosen >= 0 && i != chosen)
				role = MIME_ROLE_ALTERNATIVE;
			else if (root != NULL && child != root && !GMIME_IS_MULTIPART(child))
				role = MIME_ROLE_ATTACHMENT;
			else if (g_ascii_strcasecmp(sub, "signed") == 0 && i > 0)
				role = MIME_ROLE_ATTACHMENT;
			else if (g_ascii_strcasecmp(sub, "encrypted") == 0)
				role = MIME_ROLE_ATTACHMENT;
		}
		walk(c, child, join_path(c, path, i + 1), depth + 1, role);
	}
}

/* The body of a message: a multipart numbers its children from the
 * message's own number; any other body is part 1 of it (RFC 3501 6.4.5). */
static void
walk_message_body(struct view_ctx *c, GMimeObject *body, const char *path, unsigned depth,
                  enum mime_part_role forced)
{
	if (GMIME_IS_MULTIPART(body))
		walk(c, body, path, depth, forced);
	else
		walk(c, body, join_path(c, path, 1), depth, forced);
}

/*
 * forced: MIME_ROLE_CONTAINER means "decide by the part"; ALTERNATIVE and
 * ATTACHMENT are imposed by a parent on the whole subtree.
 */
static void
walk(struct view_ctx *c, GMimeObject *o, const char *path, unsigned depth,
     enum mime_part_role forced)
{
	int idx;

	if (c->parts.n >= c->p.max_parts) {
		c->capped = 1;
		return;
	}
	if (depth > c->p.max_depth) {
		idx = add_part(c, o, path, depth, MIME_ROLE_OPAQUE);
		if (!c->too_deep)
			add_notice(c, idx,
			           "part %s and everything below it are nested more than %u levels "
			           "deep: listed as one part",
			           path, c->p.max_depth);
		c->too_deep = 1;
		return;
	}
	if (GMIME_IS_MULTIPART(o)) {
		walk_multipart(c, GMIME_MULTIPART(o), path, depth, forced);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		GMimeObject *body = inner ? g_mime_message_get_mime_part(inner) : NULL;
		int hidden = forced == MIME_ROLE_ALTERNATIVE || forced == MIME_ROLE_ATTACHMENT;

		idx = add_part(c, o, path, depth, hidden ? forced : MIME_ROLE_MESSAGE);
		if (hidden) {
			if (forced == MIME_ROLE_ATTACHMENT)
				add_attachment_line(c, idx);
		} else if (inner != NULL) {
			show_embedded_header(c, inner, idx);
		}
		if (body == NULL) {
			if (!hidden)
				add_notice(c, idx, "attached message %s is empty", path);
			return;
		}
		walk_message_body(c, body, path, depth + 1, hidden ? forced : MIME_ROLE_CONTAINER);
		return;
	}
	{
		GMimeContentType *ct = g_mime_object_get_content_type(o);
		const char *type = ct ? g_mime_content_type_get_media_type(ct) : "";
		const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "";
		GMimeContentDisposition *d = g_mime_object_get_content_disposition(o);
		enum mime_part_role role = forced;

		if (role == MIME_ROLE_CONTAINER) {
			if (d != NULL && g_mime_content_disposition_is_attachment(d))
				role = MIME_ROLE_ATTACHMENT;
			else if (GMIME_IS_PART(o) && type != NULL &&
			         g_ascii_strcasecmp(type, "text") == 0)
				role = MIME_ROLE_TEXT;
			else
				role = MIME_ROLE_ATTACHMENT;
		}
		idx = add_part(c, o, path, depth, role);
		if (role == MIME_ROLE_TEXT)
			add_text(c, o, idx, sub ? sub : "");
		else if (role == MIME_ROLE_ATTACHMENT)
			add_attachment_line(c, idx);
	}
}

static int
parse_view_params(struct view_ctx *c, const struct mime_view_params *in, struct err *err)
{
	static const char default_order[] = "text/plain,text/html";
	const char *order, *p;

	if (in != NULL)
		c->p = *in;
	if (c->p.headers == NULL)
		c->p.headers = "From,To,Cc,Date,Subject";
	if (c->p.max_depth == 0)
		c->p.max_depth = DEFAULT_MAX_DEPTH;
	if (c->p.max_parts == 0)
		c->p.max_parts = DEFAULT_MAX_PARTS;
	if (c->p.max_headers == 0)
		c->p.max_headers = DEFAULT_MAX_HEADERS;
	if (c->p.max_text_bytes == 0)
		c->p.max_text_bytes = DEFAULT_MAX_TEXT;
	if (c->p.max_header_bytes == 0)
		c->p.max_header_bytes = DEFAULT_MAX_HEADER_BYTES;
	order = c->p.alternative_order ? c->p.alternative_order : default_order;
	for (p = order; *p != '\0';) {
		const char *e = strchr(p, ','), *s;
		size_t n;

		if (e == NULL)
			e = p + strlen(p);
		while (p < e && *p == ' ')
			p++;
		n = (size_t)(e - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		s = memchr(p, '/', n);
		if (n == 0 || s == NULL || s == p || s == p + n - 1)
			return err_set(err, ERR_USAGE,
			               "alternative order \"%s\": each entry is type/subtype",
			               order);
		if (c->n_alts == MAX_ALTERNATIVES)
			return err_set(err, ERR_USAGE, "alternative order: at most %d types",
			               MAX_ALTERNATIVES);
		c->alts[c->n_alts++] = arena_strndup(c->arena, p, n);
		p = *e ? e + 1 : e;
	}
	return 0;
}

int
mime_view_build(const struct mime_message *msg, const struct mime_view_params *params,
                struct arena *arena, struct mime_view **view_r, struct err *err)
{
	struct view_ctx c = {0};
	struct mime_view *view;
	struct vec headers = {0};
	struct vec fields = {0};
	struct mime_header_field f;
	GMimeObject *body;
	size_t pos = 0;

	*view_r = NULL;
	c.msg = msg;
	c.arena = arena;
	c.parts.size = sizeof(struct mime_part);
	c.blocks.size = sizeof(struct mime_block);
	headers.size = sizeof(struct mime_header_line);
	fields.size = sizeof(struct raw_field);
	if (parse_view_params(&c, params, err) < 0)
		return -1;
	view = arena_alloc(arena, sizeof(*view));
	view->unparsed = msg->unparsed;

	if (!msg->unparsed) {
		const char *raw = (const char *)msg->raw->data;

		while (mime_header_next(raw, msg->body_off, &pos, &f) == 1) {
			struct raw_field *rf = vec_push(&fields);

			rf->name = f.name;
			rf->name_len = f.name_len;
			rf->value = f.value;
			rf->value_len = f.value_len;
		}
		show_fields(&c, fields.v, fields.n, NULL, &headers);
	} else if (msg->raw->len == 0) {
		add_notice(&c, -1, "the message is empty");
	} else {
		add_notice(&c, -1, "this is not a message petrel can parse; it is shown as text");
	}
	for (size_t i = 0; i < msg->n_warnings; i++)
		add_notice(&c, -1, "damaged message: %s", msg->warnings[i]);

	body = g_mime_message_get_mime_part(msg->gm);
	if (body != NULL)
		walk_message_body(&c, body, "", 0, MIME_ROLE_CONTAINER);
	if (c.capped)
		add_notice(&c, -1, "more than %u parts: the rest are not listed", c.p.max_parts);

	view->headers = headers.n ? arena_memdup(arena, headers.v, headers.n * headers.size) : NULL;
	view->n_headers = headers.n;
	view->parts = c.parts.n ? arena_memdup(arena, c.parts.v, c.parts.n * c.parts.size) : NULL;
	view->n_parts = c.parts.n;
	view->blocks =
	    c.blocks.n ? arena_memdup(arena, c.blocks.v, c.blocks.n * c.blocks.size) : NULL;
	view->n_blocks = c.blocks.n;
	free(headers.v);
	free(fields.v);
	free(c.parts.v);
	free(c.blocks.v);
	*view_r = view;
	return 0;
}

void
mime_view_render(const struct mime_view *view, struct str *out)
{
	int after_text = 0;

	for (size_t i = 0; i < view->n_headers; i++)
		str_appendf(out, "%s: %s\n", view->headers[i].name, view->headers[i].value);
	str_append(out, "\n");
	for (size_t i = 0; i < view->n_blocks; i++) {
		const struct mime_block *b = &view->blocks[i];

		switch (b->kind) {
		case MIME_BLOCK_TEXT:
			if (after_text)
				str_append(out, "\n");
			if (b->flags & MIME_TEXT_HTML_STRIPPED)
				str_append(out, "[-- HTML shown with its tags stripped (no HTML "
				                "converter) --]\n");
			str_append_len(out, b->text, b->len);
			if (b->len > 0 && b->text[b->len - 1] != '\n')
				str_append(out, "\n");
			after_text = 1;
			break;
		case MIME_BLOCK_HEADERS:
			str_append(out, "\n[-- Attached message --]\n");
			str_append_len(out, b->text, b->len);
			str_append(out, "\n");
			after_text = 0;
			break;
		case MIME_BLOCK_ATTACHMENT:
		case MIME_BLOCK_NOTICE:
			str_append_len(out, b->text, b->len);
			str_append(out, "\n");
			after_text = 0;
			break;
		}
	}
	str_append_len(out, "", 0);
}

/*
 * Finding a part by its IMAP number.
 */
static GMimeObject *
find_part(const struct mime_message *msg, const char *path, struct err *err)
{
	GMimeObject *cur = g_mime_message_get_mime_part(msg->gm);
	int at_message = 1; /* cur is a message body: a leaf body is its part 1 */
	const char *p = path;
	unsigned depth = 0;

	if (cur == NULL)
		goto fail;
	if (*p == '\0')
		return cur;
	while (*p != '\0') {
		char *end;
		long n = strtol(p, &end, 10);

		if (end == p || n < 1 || n > INT_MAX || (*end != '.' && *end != '\0') ||
		    (*end == '.' && end[1] == '\0') || ++depth > 2 * DEFAULT_MAX_DEPTH + 2)
			goto fail;
		if (GMIME_IS_MULTIPART(cur)) {
			if (n > g_mime_multipart_get_count(GMIME_MULTIPART(cur)))
				goto fail;
			cur = g_mime_multipart_get_part(GMIME_MULTIPART(cur), (int)n - 1);
		} else if (at_message) {
			if (n != 1)
				goto fail;
		} else {
			goto fail;
		}
		at_message = 0;
		if (GMIME_IS_MESSAGE_PART(cur) && *end == '.') {
			GMimeMessage *inner =
			    g_mime_message_part_get_message(GMIME_MESSAGE_PART(cur));

			if (inner == NULL || g_mime_message_get_mime_part(inner) == NULL)
				goto fail;
			cur = g_mime_message_get_mime_part(inner);
			at_message = 1;
		}
		p = *end ? end + 1 : end;
	}
	return cur;
fail:
	err_set(err, ERR_USAGE, "the message has no part %s", path);
	return NULL;
}

static int
write_object(GMimeObject *o, decode_sink_fn *sink, void *ctx, size_t max, struct err *err)
{
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *b;
	int ret = 0;

	g_mime_object_write_to_stream(o, NULL, mem);
	b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (max > 0 && b->len > max)
		ret = err_set(err, ERR_IO, "the part is larger than %zu bytes", max);
	else if (sink((const char *)b->data, b->len, ctx) < 0)
		ret = -1;
	g_object_unref(mem);
	return ret;
}

static int
part_content(const struct mime_message *msg, const char *path, size_t max, decode_sink_fn *sink,
             void *ctx, GMimeObject **obj_r, struct err *err)
{
	GMimeObject *o = find_part(msg, path, err);
	GMimeDataWrapper *w;
	int truncated = 0;

	if (o == NULL)
		return -1;
	if (obj_r != NULL)
		*obj_r = o;
	if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));

		if (inner == NULL)
			return 0;
		return write_object(GMIME_OBJECT(inner), sink, ctx, max, err);
	}
	if (!GMIME_IS_PART(o))
		return write_object(o, sink, ctx, max, err);
	w = g_mime_part_get_content(GMIME_PART(o));
	if (w == NULL)
		return 0;
	/* One byte past the bound tells "exactly max" from "more". */
	decode_content(w, max ? max + 1 : 0, sink, ctx, NULL, &truncated);
	if (max > 0 && truncated)
		return err_set(err, ERR_IO, "part %s is larger than %zu bytes", path, max);
	return 0;
}

int
mime_part_decode(const struct mime_message *msg, const char *path, size_t max, struct str *out,
                 struct err *err)
{
	size_t start = out->len;

	if (part_content(msg, path, max, sink_str, out, NULL, err) < 0) {
		str_truncate(out, start);
		return -1;
	}
	str_append_len(out, "", 0);
	return 0;
}

struct fd_sink {
	int fd;
	int error;
	uint64_t written;
	uint64_t max;
};

static int
sink_fd(const char *data, size_t len, void *ctx)
{
	struct fd_sink *s = ctx;

	if (s->error)
		return -1;
	if (s->max > 0 && s->written + len > s->max) {
		s->error = EFBIG;
		return -1;
	}
	if (file_write_full(s->fd, data, len) < 0) {
		s->error = errno ? errno : EIO;
		return -1;
	}
	s->written += len;
	return 0;
}

/* Puts tmp at target without replacing what is there. */
static int
link_into_place(const char *tmp, const char *target)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
#endif
	/* File systems without RENAME_NOREPLACE: link() fails on an existing
	 * name just the same. */
	if (link(tmp, target) < 0)
		return -1;
	unlink(tmp);
	return 0;
}

int
mime_part_save(const struct mime_message *msg, const char *path,
               const struct mime_save_params *params, char **written_r, struct err *err)
{
	struct str name = STR_INIT, fallback = STR_INIT;
	char *tmp = NULL, *target = NULL;
	struct fd_sink sink = {-1, 0, 0, 0};
	GMimeObject *o = find_part(msg, path, err);
	const char *given = params->name;
	int ret = -1, saved_errno = 0;

	if (written_r != NULL)
		*written_r = NULL;
	if (o == NULL)
		return -1;
	if (params->dir == NULL || *params->dir == '\0')
		return err_set(err, ERR_USAGE, "no directory to save part %s in", path);
	if (given == NULL && GMIME_IS_PART(o))
		given = g_mime_part_get_filename(GMIME_PART(o));
	/* An attached message keeps a suffix that mail programs open. */
	str_appendf(&fallback, "attachment-%s%s", *path ? path : "0",
		    GMIME_IS_MESSAGE_PART(o) ? ".eml" : "");
	mime_filename_safe(&name, given, fallback.s);
	target = xasprintf("%s/%s", params->dir, name.s);
	tmp = xasprintf("%s/.petrel-save-XXXXXX", params->dir);
	sink.fd = mkostemp(tmp, O_CLOEXEC);
	if (sink.fd < 0) {
		err_sys(err, ERR_IO, errno, "cannot create a file in %s", params->dir);
		free(tmp);
		tmp = NULL;
		goto out;
	}
	if (fchmod(sink.fd, params->mode ? params->mode : 0600) < 0) {
		err_sys(err, ERR_IO, errno, "cannot set the mode of %s", tmp);
		goto fail;
	}
	sink.max = params->max_bytes ? params->max_bytes : DEFAULT_SAVE_MAX;
	if (part_content(msg, path, 0, sink_fd, &sink, NULL, err) < 0 || sink.error) {
		if (sink.error == EFBIG)
			err_set(err, ERR_IO, "part %s is larger than %llu bytes", path,
			        (unsigned long long)sink.max);
		else if (sink.error)
			err_sys(err, ERR_IO, sink.error, "cannot write %s", tmp);
		goto fail;
	}
	if (fsync(sink.fd) < 0) {
		err_sys(err, ERR_IO, errno, "cannot sync %s", tmp);
		goto fail;
	}
	if (close(sink.fd) < 0) {
		sink.fd = -1;
		err_sys(err, ERR_IO, errno, "cannot close %s", tmp);
		goto fail;
	}
	sink.fd = -1;
	if (params->overwrite ? rename(tmp, target) : link_into_place(tmp, target)) {
		saved_errno = errno;
		if (saved_errno == EEXIST)
			err_set(err, ERR_IO, "%s exists already", target);
		else
			err_sys(err, ERR_IO, saved_errno, "cannot create %s", target);
		goto fail;
	}
	if (file_fsync_dir_of(target, err) < 0)
		goto out;
	if (written_r != NULL) {
		*written_r = target;
		target = NULL;
	}
	ret = 0;
	goto out;
fail:
	if (sink.fd >= 0)
		close(sink.fd);
	unlink(tmp);
out:
	free(tmp);
	free(target);
	str_free(&name);
	str_free(&fallback);
	if (ret < 0 && saved_errno != 0)
		errno = saved_errno;
	return ret;
}

uint64_t
mime_decoded_size_estimate(uint64_t stored, const char *encoding)
{
	if (strcasecmp(encoding, "base64") == 0 || strcasecmp(encoding, "x-uuencode") == 0)
		return stored / 78 * 57;
	return stored;
}
