#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/base-str.h"
#include "mime/mime-gmime.h"
#include "mime/mime-header.h"
#include "mime/mime-text.h"

/* A raw value longer than this many times the output bound cannot show
 * more than the bound anyway; decoding less keeps huge headers cheap. */
#define RAW_FACTOR 8
#define RAW_SLACK 256
/* Message ids longer than RFC 5322's line limit are not ids. */
#define MSGID_MAX 998
#define REFERENCES_MAX 200

static int
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

int
mime_header_next(const char *data, size_t len, size_t *pos, struct mime_header_field *field)
{
	size_t p = *pos;

	if (p == 0 && len >= 5 && memcmp(data, "From ", 5) == 0) {
		const char *nl = memchr(data, '\n', len);

		p = nl ? (size_t)(nl - data) + 1 : len;
	}
	while (p < len) {
		const char *line = data + p, *nl = memchr(line, '\n', len - p);
		size_t line_len = nl ? (size_t)(nl - line) : len - p, n = 0, v, end;

		if (line_len == 0 || (line_len == 1 && line[0] == '\r')) {
			*pos = p + line_len + (nl ? 1 : 0);
			return 0;
		}
		if (is_wsp(line[0])) {
			/* A continuation with no field to continue. */
			p += line_len + (nl ? 1 : 0);
			continue;
		}
		while (n < line_len && (unsigned char)line[n] > 32 &&
		       (unsigned char)line[n] < 127 && line[n] != ':')
			n++;
		v = n;
		while (v < line_len && is_wsp(line[v]))
			v++;
		if (n == 0 || v >= line_len || line[v] != ':') {
			*pos = p;
			return 0;
		}
		field->name = line;
		field->name_len = n;
		field->value = line + v + 1;
		/* The value runs on over continuation lines. */
		end = p + line_len + (nl ? 1 : 0);
		while (end < len && is_wsp(data[end])) {
			const char *next = memchr(data + end, '\n', len - end);

			end = next ? (size_t)(next - data) + 1 : len;
		}
		*pos = end;
		while (end > p && (data[end - 1] == '\n' || data[end - 1] == '\r'))
			end--;
		field->value_len =
		    end > (size_t)(field->value - data) ? end - (size_t)(field->value - data) : 0;
		return 1;
	}
	*pos = len;
	return 0;
}

size_t
mime_header_end(const char *data, size_t len)
{
	struct mime_header_field f;
	size_t pos = 0;

	while (mime_header_next(data, len, &pos, &f) == 1)
		continue;
	return pos;
}

int
mime_header_name_is(const struct mime_header_field *field, const char *name)
{
	return strlen(name) == field->name_len &&
	       strncasecmp(field->name, name, field->name_len) == 0;
}

/* Unfolds into out: line breaks go, tabs become spaces, the ends are
 * trimmed; then raw 8-bit text becomes UTF-8. */
static void
unfold(struct str *out, const char *raw, size_t len)
{
	struct str tmp = STR_INIT;
	size_t i, start, end;

	str_reserve(&tmp, len);
	for (i = 0; i < len; i++) {
		char c = raw[i];

		if (c == '\r' || c == '\n')
			continue;
		str_append_char(&tmp, c == '\t' ? ' ' : c);
	}
	start = 0;
	end = tmp.len;
	while (start < end && tmp.s[start] == ' ')
		start++;
	while (end > start && tmp.s[end - 1] == ' ')
		end--;
	mime_text_8bit_to_utf8(out, tmp.s ? tmp.s + start : "", end - start);
	str_free(&tmp);
}

static size_t
raw_bound(size_t len, size_t max)
{
	if (max == 0 || len <= max * RAW_FACTOR + RAW_SLACK)
		return len;
	return max * RAW_FACTOR + RAW_SLACK;
}

/* Sanitises one line into the arena, cut to max bytes.  Tabs that
 * decoding produced become spaces: in a header they are only spacing. */
static char *
finish_line(struct arena *arena, const char *text, size_t len, size_t max, int cut)
{
	struct str s = STR_INIT, spaced = STR_INIT;
	char *r;

	if (memchr(text, '\t', len) != NULL) {
		for (size_t i = 0; i < len; i++)
			str_append_char(&spaced, text[i] == '\t' ? ' ' : text[i]);
		text = spaced.s;
	}
	mime_sanitize(&s, text, len, 0);
	if (max > 0 && s.len > max) {
		s.len = mime_utf8_cut(s.s, max);
		cut = 1;
	}
	if (cut)
		str_append(&s, MIME_HEADER_CUT);
	r = arena_strndup(arena, s.s ? s.s : "", s.len);
	str_free(&s);
	str_free(&spaced);
	return r;
}

static int
has_encoded_word(const char *s, size_t len)
{
	const char *p = memchr(s, '=', len);

	while (p != NULL && p + 1 < s + len) {
		if (p[1] == '?')
			return 1;
		p = memchr(p + 1, '=', (size_t)(s + len - p - 1));
	}
	return 0;
}

/*
 * Rewrites B encoded words as Q words with every byte escaped.  GMime joins
 * adjacent Q words before converting their charset, so a character split
 * across two words (which broken encoders produce) comes out whole; with
 * padded B words GMime 3.2 converts each word alone and loses it.
 */
static void
b_words_to_q(struct str *out, const char *s)
{
	const char *p = s;

	while (*p != '\0') {
		const char *start = strstr(p, "=?"), *cs_end, *text, *end;
		unsigned char buf[3 * 64];
		int state = 0;
		guint32 save = 0;

		if (start == NULL)
			break;
		cs_end = strchr(start + 2, '?');
		if (cs_end == NULL || cs_end == start + 2 ||
		    (cs_end[1] != 'B' && cs_end[1] != 'b') || cs_end[2] != '?' ||
		    memchr(start + 2, ' ', (size_t)(cs_end - start - 2)) != NULL) {
			str_append_len(out, p, (size_t)(start + 2 - p));
			p = start + 2;
			continue;
		}
		text = cs_end + 3;
		end = strstr(text, "?=");
		if (end == NULL || memchr(text, ' ', (size_t)(end - text)) != NULL) {
			str_append_len(out, p, (size_t)(start + 2 - p));
			p = start + 2;
			continue;
		}
		str_append_len(out, p, (size_t)(start - p));
		str_append_len(out, start, (size_t)(cs_end - start));
		str_append(out, "?Q?");
		for (const char *q = text; q < end; q += 64) {
			size_t in = (size_t)(end - q) > 64 ? 64 : (size_t)(end - q);
			size_t n = g_mime_encoding_base64_decode_step((const unsigned char *)q, in,
			                                              buf, &state, &save);

			/* (No printf per byte: this runs for every summary.) */
			for (size_t i = 0; i < n; i++) {
				char hex[3] = {'=', "0123456789ABCDEF"[buf[i] >> 4],
				               "0123456789ABCDEF"[buf[i] & 15]};

				str_append_len(out, hex, 3);
			}
		}
		str_append(out, "?=");
		p = end + 2;
	}
	str_append(out, p);
}

/* The decoded text of an unfolded UTF-8 value, as a g_malloc'd string. */
static char *
decode_words(const char *utf8)
{
	struct str q = STR_INIT;
	char *d;
	const char *p;

	b_words_to_q(&q, utf8);
	d = g_mime_utils_header_decode_text(mime_gmime_options(), q.s ? q.s : "");
	str_free(&q);

	if (d == NULL)
		return g_strdup(utf8);
	for (p = d; *p == ' '; p++)
		continue;
	if (*p == '\0' && *utf8 != '\0') {
		/* A word that decodes to nothing ("=?utf-8?B?!!!!?=") is
		 * shown as it came rather than vanishing. */
		g_free(d);
		return g_strdup(utf8);
	}
	return d;
}

char *
mime_header_decode_text(struct arena *arena, const char *raw, size_t len, size_t max)
{
	struct str u = STR_INIT;
	size_t bound = raw_bound(len, max);
	char *r;

	unfold(&u, raw, bound);
	if (u.len > 0 && has_encoded_word(u.s, u.len) && memchr(u.s, '\0', u.len) == NULL) {
		char *d = decode_words(u.s);

		r = finish_line(arena, d, strlen(d), max, bound < len);
		g_free(d);
	} else {
		r = finish_line(arena, u.s ? u.s : "", u.len, max, bound < len);
	}
	str_free(&u);
	return r;
}

static InternetAddressList *
parse_list(const char *utf8)
{
	struct str q = STR_INIT;
	InternetAddressList *list;

	b_words_to_q(&q, utf8);
	list = internet_address_list_parse(mime_gmime_options(), q.s ? q.s : "");
	str_free(&q);

	if (list != NULL && internet_address_list_length(list) == 0) {
		g_object_unref(list);
		list = NULL;
	}
	return list;
}

char *
mime_header_decode_addresses(struct arena *arena, const char *raw, size_t len, size_t max)
{
	struct str u = STR_INIT;
	size_t bound = raw_bound(len, max);
	InternetAddressList *list = NULL;
	char *r;

	unfold(&u, raw, bound);
	if (u.len == 0 || memchr(u.s, '\0', u.len) != NULL || !has_encoded_word(u.s, u.len)) {
		/* Nothing to decode: the text as sent reads fine and costs no
		 * parse (folder listings call this for every message). */
		r = finish_line(arena, u.s ? u.s : "", u.len, max, bound < len);
		goto out;
	}
	list = parse_list(u.s);
	if (list == NULL) {
		char *d = decode_words(u.s);

		r = finish_line(arena, d, strlen(d), max, bound < len);
		g_free(d);
	} else {
		char *s = internet_address_list_to_string(list, NULL, FALSE);

		r = finish_line(arena, s ? s : "", s ? strlen(s) : 0, max, bound < len);
		g_free(s);
	}
out:
	if (list != NULL)
		g_object_unref(list);
	str_free(&u);
	return r;
}

static InternetAddressMailbox *
first_mailbox(InternetAddressList *list, int depth)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			return INTERNET_ADDRESS_MAILBOX(ia);
		if (INTERNET_ADDRESS_IS_GROUP(ia) && depth < 2) {
			InternetAddressMailbox *m = first_mailbox(
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
			    depth + 1);

			if (m != NULL)
				return m;
		}
	}
	return NULL;
}

void
mime_header_first_mailbox(struct arena *arena, const char *raw, size_t len, const char **name_r,
                          const char **addr_r)
{
	struct str u = STR_INIT;
	InternetAddressList *list = NULL;
	InternetAddressMailbox *mb = NULL;
	size_t bound = raw_bound(len, 1024);

	*name_r = "";
	*addr_r = "";
	unfold(&u, raw, bound);
	if (u.len == 0)
		goto out;
	if (memchr(u.s, '\0', u.len) == NULL)
		list = parse_list(u.s);
	if (list != NULL)
		mb = first_mailbox(list, 0);
	if (mb == NULL) {
		*name_r = mime_header_decode_text(arena, raw, len, 1024);
		goto out;
	}
	{
		const char *name = internet_address_get_name(INTERNET_ADDRESS(mb));
		const char *addr = internet_address_mailbox_get_addr(mb);

		if (name != NULL && *name != '\0')
			*name_r = finish_line(arena, name, strlen(name), 1024, 0);
		if (addr != NULL)
			*addr_r = finish_line(arena, addr, strlen(addr), 1024, 0);
	}
out:
	if (list != NULL)
		g_object_unref(list);
	str_free(&u);
}

static void
collect_mailboxes(InternetAddressList *list, struct arena *arena, const char ***v, size_t *n,
                  size_t *cap, int depth)
{
	int count = internet_address_list_length(list);

	for (int i = 0; i < count; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *addr =
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));

			if (addr == NULL || *addr == '\0')
				continue;
			if (*n + 1 >= *cap) {
				const char **nv;

				*cap = *cap ? *cap * 2 : 8;
				nv = arena_alloc(arena, *cap * sizeof(*nv));
				if (*n > 0)
					memcpy(nv, *v, *n * sizeof(*nv));
				*v = nv;
			}
			(*v)[(*n)++] = mime_sanitize_arena(arena, addr, strlen(addr), 0);
		} else if (INTERNET_ADDRESS_IS_GROUP(ia) && depth < 2) {
			collect_mailboxes(
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), arena,
			    v, n, cap, depth + 1);
		}
	}
}

const char **
mime_header_mailboxes(struct arena *arena, const char *raw, size_t len, size_t *count_r)
{
	struct str u = STR_INIT;
	InternetAddressList *list = NULL;
	const char **v = NULL;
	size_t n = 0, cap = 0;

	unfold(&u, raw, len);
	if (u.len > 0 && memchr(u.s, '\0', u.len) == NULL)
		list = parse_list(u.s);
	if (list != NULL) {
		collect_mailboxes(list, arena, &v, &n, &cap, 0);
		g_object_unref(list);
	}
	if (v == NULL)
		v = arena_alloc(arena, sizeof(*v));
	v[n] = NULL;
	*count_r = n;
	str_free(&u);
	return v;
}

time_t
mime_header_date(const char *raw, size_t len)
{
	struct str u = STR_INIT;
	GDateTime *dt = NULL;
	time_t t = 0;

	/* Dates are short; a long value is not a date worth reading. */
	unfold(&u, raw, len > 256 ? 256 : len);
	if (u.len > 0 && memchr(u.s, '\0', u.len) == NULL)
		dt = g_mime_utils_header_decode_date(u.s);
	if (dt != NULL) {
		gint64 v = g_date_time_to_unix(dt);

		if ((gint64)(time_t)v == v && v > 0)
			t = (time_t)v;
		g_date_time_unref(dt);
	}
	str_free(&u);
	return t;
}

/* Finds the next "<...>" at or after *p; returns its inside or NULL. */
static const char *
next_bracketed(const char **p, const char *end, size_t *len_r)
{
	const char *lt = memchr(*p, '<', (size_t)(end - *p)), *gt;

	if (lt == NULL)
		return NULL;
	gt = memchr(lt + 1, '>', (size_t)(end - lt - 1));
	if (gt == NULL)
		return NULL;
	*p = gt + 1;
	*len_r = (size_t)(gt - lt - 1);
	return lt + 1;
}

/* Appends an id with folding white space removed; 0 if it is empty or
 * too long to be one. */
static int
append_id(struct str *out, const char *id, size_t len)
{
	size_t start = out->len;

	for (size_t i = 0; i < len; i++)
		if (id[i] != ' ' && id[i] != '\t' && id[i] != '\r' && id[i] != '\n')
			str_append_char(out, id[i]);
	if (out->len == start || out->len - start > MSGID_MAX) {
		str_truncate(out, start);
		return 0;
	}
	return 1;
}

static char *
sanitized_or_empty(struct arena *arena, struct str *s)
{
	char *r = mime_sanitize_arena(arena, s->s ? s->s : "", s->len, 0);

	str_free(s);
	return r;
}

char *
mime_header_msgid(struct arena *arena, const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *id;
	struct str s = STR_INIT;
	size_t n;

	id = next_bracketed(&p, end, &n);
	if (id != NULL) {
		append_id(&s, id, n);
	} else {
		/* No brackets: the first word, as some software sends it. */
		const char *q = raw;

		while (q < end && (is_wsp(*q) || *q == '\r' || *q == '\n'))
			q++;
		p = q;
		while (q < end && !is_wsp(*q) && *q != '\r' && *q != '\n')
			q++;
		append_id(&s, p, (size_t)(q - p));
	}
	return sanitized_or_empty(arena, &s);
}

char *
mime_header_msgid_list(struct arena *arena, const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *id;
	const char *ids[REFERENCES_MAX];
	size_t lens[REFERENCES_MAX], n, count = 0, total = 0;
	struct str s = STR_INIT;

	/* Keep the first id and a ring of the last ones. */
	while ((id = next_bracketed(&p, end, &n)) != NULL) {
		size_t slot =
		    total < REFERENCES_MAX ? total : 1 + (total - 1) % (REFERENCES_MAX - 1);

		ids[slot] = id;
		lens[slot] = n;
		total++;
	}
	count = total < REFERENCES_MAX ? total : REFERENCES_MAX;
	for (size_t k = 0; k < count; k++) {
		size_t slot = k;
		size_t start = s.len;

		if (total > REFERENCES_MAX && k > 0)
			slot = 1 + (total - 1 + k - 1) % (REFERENCES_MAX - 1);
		if (s.len > 0)
			str_append_char(&s, ' ');
		str_append_char(&s, '<');
		if (!append_id(&s, ids[slot], lens[slot])) {
			str_truncate(&s, start);
			continue;
		}
		str_append_char(&s, '>');
	}
	return sanitized_or_empty(arena, &s);
}

char *
mime_header_list_post(struct arena *arena, const char *raw, size_t len)
{
	const char *p = raw, *end = raw + len, *inner;
	struct str s = STR_INIT;
	size_t n;

	while ((inner = next_bracketed(&p, end, &n)) != NULL) {
		size_t k = 0;

		if (n < 7 || strncasecmp(inner, "mailto:", 7) != 0)
			continue;
		inner += 7;
		n -= 7;
		while (k < n && inner[k] != '?')
			k++;
		append_id(&s, inner, k);
		break;
	}
	return sanitized_or_empty(arena, &s);
}
