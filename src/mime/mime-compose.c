#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "mime/mime-compose.h"
#include "mime/mime-gmime.h"
#include "mime/mime-text.h"

#define DEFAULT_MAX_ATTACHMENT ((size_t)64 << 20)
/* RFC 5322 2.1.1: lines MUST be no longer than 998 characters. */
#define LINE_MAX_7BIT 998

/* Fields this module writes itself: setting them as extra headers would
 * duplicate them or break the MIME structure (and Bcc must never be
 * written at all). */
static const char *const reserved_fields[] = {
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
    "content-disposition",
};

static const struct {
	const char *ext;
	const char *type;
} extension_types[] = {
    {"txt", "text/plain"},
    {"text", "text/plain"},
    {"log", "text/plain"},
    {"md", "text/markdown"},
    {"csv", "text/csv"},
    {"html", "text/html"},
    {"htm", "text/html"},
    {"xml", "application/xml"},
    {"json", "application/json"},
    {"ics", "text/calendar"},
    {"vcf", "text/vcard"},
    {"diff", "text/x-diff"},
    {"patch", "text/x-diff"},
    {"c", "text/x-c"},
    {"h", "text/x-c"},
    {"py", "text/x-python"},
    {"sh", "application/x-sh"},
    {"pdf", "application/pdf"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"tgz", "application/gzip"},
    {"bz2", "application/x-bzip2"},
    {"xz", "application/x-xz"},
    {"tar", "application/x-tar"},
    {"7z", "application/x-7z-compressed"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"svg", "image/svg+xml"},
    {"bmp", "image/bmp"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"mp3", "audio/mpeg"},
    {"ogg", "audio/ogg"},
    {"wav", "audio/wav"},
    {"flac", "audio/flac"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"eml", "message/rfc822"},
    {"doc", "application/msword"},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xls", "application/vnd.ms-excel"},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
    {"asc", "application/pgp-signature"},
    {"sig", "application/pgp-signature"},
    {"p7s", "application/pkcs7-signature"},
};

const char *
mime_compose_guess_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot == NULL || dot == name || strchr(dot, '/') != NULL)
		return "application/octet-stream";
	for (size_t i = 0; i < sizeof(extension_types) / sizeof(extension_types[0]); i++)
		if (strcasecmp(dot + 1, extension_types[i].ext) == 0)
			return extension_types[i].type;
	return "application/octet-stream";
}

/* Values that reach a header: one line of UTF-8, or a header injection. */
static int
check_value(const char *what, const char *v, struct err *err)
{
	if (v == NULL)
		return 0;
	if (strpbrk(v, "\r\n") != NULL)
		return err_set(err, ERR_USAGE, "%s contains a line break", what);
	if (!mime_utf8_valid(v, strlen(v)))
		return err_set(err, ERR_USAGE, "%s is not valid UTF-8", what);
	return 0;
}

static int
check_field_name(const char *name, struct err *err)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > 76)
		return err_set(err, ERR_USAGE, "a header name must have 1 to 76 characters");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] <= 32 || (unsigned char)name[i] >= 127 || name[i] == ':')
			return err_set(err, ERR_USAGE,
			               "header name \"%s\" has a character "
			               "header names cannot have",
			               mime_text_is_safe(name, n, 0) ? name : "(unprintable)");
	for (size_t i = 0; i < sizeof(reserved_fields) / sizeof(reserved_fields[0]); i++)
		if (strcasecmp(name, reserved_fields[i]) == 0)
			return err_set(err, ERR_USAGE,
			               "%s is set through its own field, not as an "
			               "extra header",
			               name);
	return 0;
}

static int
is_blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* Every mailbox in the list must have an address: a name alone cannot
 * receive mail. */
static int
check_list(InternetAddressList *list, const char *what, int depth, size_t *mailboxes,
           struct err *err)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *addr =
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));

			if (addr == NULL || *addr == '\0' || strpbrk(addr, " \t\"<>,;") != NULL ||
			    addr[0] == '@' || addr[strlen(addr) - 1] == '@')
				return err_set(err, ERR_USAGE,
				               "%s has an entry that is not an address", what);
			(*mailboxes)++;
		} else if (INTERNET_ADDRESS_IS_GROUP(ia) && depth == 0) {
			if (check_list(
			        internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
			        what, 1, mailboxes, err) < 0)
				return -1;
		} else {
			return err_set(err, ERR_USAGE, "%s nests groups", what);
		}
	}
	return 0;
}

/* GMime would pick the smallest charset that fits a name (often latin1);
 * UTF-8 everywhere is what every reader handles best. */
static void
names_in_utf8(InternetAddressList *list, int depth)
{
	int n = internet_address_list_length(list);

	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		internet_address_set_charset(ia, "UTF-8");
		if (INTERNET_ADDRESS_IS_GROUP(ia) && depth == 0)
			names_in_utf8(
			    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), 1);
	}
}

static int
parse_addresses(const char *what, const char *text, InternetAddressList **list_r, struct err *err)
{
	size_t mailboxes = 0;

	*list_r = NULL;
	if (is_blank(text))
		return 0;
	if (check_value(what, text, err) < 0)
		return -1;
	*list_r = internet_address_list_parse(mime_gmime_options(), text);
	if (*list_r == NULL || internet_address_list_length(*list_r) == 0)
		return err_set(err, ERR_USAGE, "%s: cannot read \"%s\" as addresses", what, text);
	names_in_utf8(*list_r, 0);
	return check_list(*list_r, what, 0, &mailboxes, err);
}

static void
collect(InternetAddressList *list, struct arena *arena, const char ***v, size_t *n, size_t *cap,
        int depth)
{
	int count = list ? internet_address_list_length(list) : 0;

	for (int i = 0; i < count; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			if (depth == 0)
				collect(
				    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
				    arena, v, n, cap, 1);
			continue;
		}
		const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
		const char *at = strrchr(addr, '@');
		size_t k;

		/* Once each: the local part as written, the domain in any case. */
		for (k = 0; k < *n; k++) {
			const char *o = (*v)[k], *oat = strrchr(o, '@');

			if (at == NULL || oat == NULL) {
				if (strcmp(o, addr) == 0)
					break;
			} else if (oat - o == at - addr &&
			           strncmp(o, addr, (size_t)(at - addr)) == 0 &&
			           strcasecmp(oat, at) == 0) {
				break;
			}
		}
		if (k < *n)
			continue;
		if (*n + 1 >= *cap) {
			const char **nv;

			*cap = *cap ? *cap * 2 : 16;
			nv = arena_alloc(arena, *cap * sizeof(*nv));
			if (*n > 0)
				memcpy(nv, *v, *n * sizeof(*nv));
			*v = nv;
		}
		(*v)[(*n)++] = arena_strdup(arena, addr);
		(*v)[*n] = NULL;
	}
}

static const char **
address_array(struct arena *arena, InternetAddressList *const *lists, size_t n_lists,
              size_t *count_r)
{
	const char **v = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < n_lists; i++)
		collect(lists[i], arena, &v, &n, &cap, 0);
	if (v == NULL)
		v = arena_alloc(arena, sizeof(*v));
	*count_r = n;
	return v;
}

/* "<a@b> c@d" -> "<a@b> <c@d>"; ids are printable ASCII without spaces. */
static int
normalise_ids(const char *what, const char *in, struct str *out, struct err *err)
{
	const char *p = in;

	if (check_value(what, in, err) < 0)
		return -1;
	while (*p != '\0') {
		const char *start;
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != ',')
			p++;
		n = (size_t)(p - start);
		if ((start[0] == '<') != (start[n - 1] == '>') || (n == 1 && start[0] == '<'))
			return err_set(err, ERR_USAGE, "%s: \"%s\" is not a message id", what, in);
		if (start[0] == '<') {
			start++;
			n -= 2;
		}
		if (n == 0 || memchr(start, '<', n) != NULL || memchr(start, '>', n) != NULL)
			return err_set(err, ERR_USAGE, "%s: \"%s\" is not a message id", what, in);
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)start[i] <= 32 || (unsigned char)start[i] >= 127)
				return err_set(err, ERR_USAGE, "%s: a message id must be ASCII",
				               what);
		if (out->len > 0)
			str_append_char(out, ' ');
		str_append_char(out, '<');
		str_append_len(out, start, n);
		str_append_char(out, '>');
	}
	return 0;
}

static int
valid_hostname(const char *h)
{
	if (*h == '\0' || strlen(h) > 253)
		return 0;
	for (const char *p = h; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

static int
random_bytes(unsigned char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

/* A Message-ID left side: the time and 128 random bits, base 32. */
static char *
make_message_id(struct arena *arena, const char *host, time_t now, struct err *err)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuv";
	unsigned char rnd[16];
	char left[64];
	size_t k = 0;
	unsigned long long t = (unsigned long long)now;
	unsigned acc = 0, bits = 0;

	if (random_bytes(rnd, sizeof(rnd)) < 0) {
		err_sys(err, ERR_INTERNAL, errno, "no random bytes for a Message-ID");
		return NULL;
	}
	do {
		left[k++] = digits[t % 32];
		t /= 32;
	} while (t > 0 && k < 16);
	left[k++] = '.';
	for (size_t i = 0; i < sizeof(rnd); i++) {
		acc = (acc << 8) | rnd[i];
		bits += 8;
		while (bits >= 5) {
			left[k++] = digits[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		left[k++] = digits[(acc << (5 - bits)) & 31];
	left[k] = '\0';
	return arena_printf(arena, "%s@%s", left, host);
}

struct text_stats {
	size_t chars;     /* characters, not bytes */
	size_t non_ascii; /* of those, how many are not ASCII */
	size_t max_line;  /* in bytes */
	int nul;
	int cr;
};

static void
text_stats(const char *data, size_t len, struct text_stats *st)
{
	size_t line = 0;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)data[i];

		if (ch == '\n') {
			line = 0;
			st->chars++;
			continue;
		}
		if (++line > st->max_line)
			st->max_line = line;
		if ((ch & 0xc0) != 0x80)
			st->chars++;
		if (ch >= 0xc0)
			st->non_ascii++;
		else if (ch == 0)
			st->nul = 1;
		else if (ch == '\r')
			st->cr = 1;
	}
}

/* 7bit when it already is; quoted-printable while it stays readable (at
 * most one character in five is not ASCII, as in most European text);
 * base64 otherwise (Cyrillic, CJK, binary). */
static GMimeContentEncoding
choose_encoding(const char *data, size_t len)
{
	struct text_stats st;

	text_stats(data, len, &st);
	if (st.nul)
		return GMIME_CONTENT_ENCODING_BASE64;
	if (st.non_ascii == 0 && !st.cr && st.max_line <= LINE_MAX_7BIT)
		return GMIME_CONTENT_ENCODING_7BIT;
	if (st.non_ascii * 5 <= st.chars)
		return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
	return GMIME_CONTENT_ENCODING_BASE64;
}

static int
all_ascii(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)data[i] >= 0x80)
			return 0;
	return 1;
}

static void
set_content(GMimePart *part, const char *data, size_t len, GMimeContentEncoding enc)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(data, len);
	GMimeDataWrapper *w =
	    g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);

	g_mime_part_set_content(part, w);
	g_mime_part_set_content_encoding(part, enc);
	g_object_unref(w);
	g_object_unref(s);
}

static void
params_in_utf8(GMimeParamList *list)
{
	int n = list ? g_mime_param_list_length(list) : 0;

	for (int i = 0; i < n; i++)
		g_mime_param_set_charset(g_mime_param_list_get_parameter_at(list, i), "UTF-8");
}

/* A message travels as message/rfc822, which RFC 2046 allows only in
 * 7bit, 8bit or binary: the bytes go unchanged when their lines allow
 * it; otherwise GMime parses the message, so that its own parts can be
 * re-encoded. */
static GMimeObject *
make_message_part(const char *data, size_t len)
{
	struct text_stats st;
	GMimeMessagePart *mp;
	GMimeStream *s;
	GMimeParser *parser;
	GMimeMessage *inner;

	text_stats(data, len, &st);
	if (!st.nul && !st.cr && st.max_line <= LINE_MAX_7BIT) {
		GMimePart *raw = g_mime_part_new_with_type("message", "rfc822");

		set_content(raw, data, len,
		            all_ascii(data, len) ? GMIME_CONTENT_ENCODING_7BIT
		                                 : GMIME_CONTENT_ENCODING_8BIT);
		return GMIME_OBJECT(raw);
	}
	s = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(s);
	inner = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(s);
	if (inner == NULL) {
		/* Not a message after all: its bytes still go, unchanged. */
		GMimePart *bytes = g_mime_part_new_with_type("application", "octet-stream");

		set_content(bytes, data, len, GMIME_CONTENT_ENCODING_BASE64);
		return GMIME_OBJECT(bytes);
	}
	mp = g_mime_message_part_new_with_message("rfc822", inner);
	g_object_unref(inner);
	return GMIME_OBJECT(mp);
}

static int
make_attachment(const struct mime_compose *c, const struct mime_compose_attachment *a,
                GMimeObject **part_r, struct err *err)
{
	size_t max = c->max_attachment_bytes ? c->max_attachment_bytes : DEFAULT_MAX_ATTACHMENT;
	const char *name = a->name, *type = a->content_type, *slash;
	char *data = NULL, *ctype = NULL;
	size_t len = 0;
	GMimeObject *part;
	int is_text;

	*part_r = NULL;
	if (a->path == NULL || *a->path == '\0')
		return err_set(err, ERR_USAGE, "an attachment has no file");
	if (name == NULL) {
		name = strrchr(a->path, '/');
		name = name ? name + 1 : a->path;
	}
	if (check_value("an attachment name", name, err) < 0 ||
	    check_value("an attachment type", type, err) < 0)
		return -1;
	if (*name == '\0')
		return err_set(err, ERR_USAGE, "attachment %s has an empty name", a->path);
	if (file_read_all(a->path, max, &data, &len, err) < 0)
		return err_prefix(err, "attachment");
	if (type == NULL) {
		type = mime_compose_guess_type(name);
		/* An unknown extension on readable text is still text. */
		if (strcmp(type, "application/octet-stream") == 0 && len > 0 &&
		    memchr(data, '\0', len) == NULL && mime_utf8_valid(data, len))
			type = "text/plain";
	}
	slash = strchr(type, '/');
	if (slash == NULL || slash == type || slash[1] == '\0' || strchr(type, ';') != NULL ||
	    strpbrk(type, " \t\"") != NULL) {
		free(data);
		return err_set(err, ERR_USAGE, "attachment type \"%s\" is not type/subtype", type);
	}
	if (strcasecmp(type, "message/rfc822") == 0) {
		part = make_message_part(data, len);
		g_mime_object_set_disposition(part, GMIME_DISPOSITION_ATTACHMENT);
		g_mime_object_set_content_disposition_parameter(part, "filename", name);
	} else {
		GMimePart *leaf;

		ctype = xstrndup(type, (size_t)(slash - type));
		leaf = g_mime_part_new_with_type(ctype, slash + 1);
		free(ctype);
		is_text = strncasecmp(type, "text/", 5) == 0 && memchr(data, '\0', len) == NULL &&
		          mime_utf8_valid(data, len);
		if (is_text) {
			/* Text travels readable and says its charset; anything
			 * else is bytes, and base64 carries bytes unchanged. */
			g_mime_object_set_content_type_parameter(
			    GMIME_OBJECT(leaf), "charset",
			    all_ascii(data, len) ? "us-ascii" : "utf-8");
			set_content(leaf, data, len, choose_encoding(data, len));
		} else {
			set_content(leaf, data, len, GMIME_CONTENT_ENCODING_BASE64);
		}
		g_mime_part_set_filename(leaf, name);
		part = GMIME_OBJECT(leaf);
	}
	params_in_utf8(g_mime_content_type_get_parameters(g_mime_object_get_content_type(part)));
	params_in_utf8(
	    g_mime_content_disposition_get_parameters(g_mime_object_get_content_disposition(part)));
	free(data);
	*part_r = part;
	return 0;
}

/* CRLF -> LF: GMime writes the line ends the caller asked for. */
static char *
body_lf(const char *body, size_t len, size_t *len_r)
{
	char *r = xmalloc(len + 1);
	size_t j = 0;

	for (size_t i = 0; i < len; i++) {
		if (body[i] == '\r' && i + 1 < len && body[i + 1] == '\n')
			continue;
		r[j++] = body[i];
	}
	r[j] = '\0';
	*len_r = j;
	return r;
}

int
mime_compose_build(const struct mime_compose *c, struct arena *arena, struct mime_composed *out,
                   struct err *err)
{
	InternetAddressList *from = NULL, *to = NULL, *cc = NULL, *bcc = NULL, *reply_to = NULL;
	GMimeMessage *msg = NULL;
	GMimeObject *top = NULL;
	GMimeTextPart *text = NULL;
	GMimeFormatOptions *fo = NULL;
	GMimeStream *mem = NULL;
	GDateTime *dt = NULL;
	struct str ids = STR_INIT;
	char *body = NULL, *host = NULL;
	const char *mid;
	size_t body_len = 0;
	GMimeContentEncoding enc;
	time_t now = c->date ? c->date : time(NULL);
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (parse_addresses("From", c->from, &from, err) < 0 ||
	    parse_addresses("To", c->to, &to, err) < 0 ||
	    parse_addresses("Cc", c->cc, &cc, err) < 0 ||
	    parse_addresses("Bcc", c->bcc, &bcc, err) < 0 ||
	    parse_addresses("Reply-To", c->reply_to, &reply_to, err) < 0)
		goto out;
	if (from == NULL) {
		err_set(err, ERR_USAGE, "the message needs a From address");
		goto out;
	}
	if (check_value("the subject", c->subject, err) < 0 ||
	    check_value("the host name", c->hostname, err) < 0)
		goto out;
	for (size_t i = 0; i < c->n_headers; i++)
		if (check_field_name(c->headers[i].name, err) < 0 ||
		    check_value(c->headers[i].name, c->headers[i].value, err) < 0)
			goto out;
	if (c->body_len > 0 && !mime_utf8_valid(c->body, c->body_len)) {
		err_set(err, ERR_USAGE, "the message text is not valid UTF-8");
		goto out;
	}

	{
		size_t n;
		const char **senders = address_array(arena, &from, 1, &n);

		if (n == 0) {
			err_set(err, ERR_USAGE, "the From field has no address");
			goto out;
		}
		out->sender = senders[0];
	}
	if (c->hostname != NULL && *c->hostname != '\0') {
		host = xstrdup(c->hostname);
	} else {
		const char *at = strrchr(out->sender, '@');

		host = xstrdup(at != NULL && at[1] != '\0' ? at + 1 : "localhost");
	}
	if (!valid_hostname(host)) {
		err_set(err, ERR_USAGE, "\"%s\" cannot be the host name of a Message-ID",
		        mime_text_is_safe(host, strlen(host), 0) ? host : "(unprintable)");
		goto out;
	}

	msg = g_mime_message_new(FALSE);
	internet_address_list_append(g_mime_message_get_from(msg), from);
	if (to != NULL)
		internet_address_list_append(g_mime_message_get_to(msg), to);
	if (cc != NULL)
		internet_address_list_append(g_mime_message_get_cc(msg), cc);
	if (c->keep_bcc && bcc != NULL)
		internet_address_list_append(g_mime_message_get_bcc(msg), bcc);
	else if (to == NULL && cc == NULL && bcc != NULL) {
		/* Without it some servers add a To that lists the Bcc. */
		InternetAddress *g = internet_address_group_new("undisclosed-recipients");

		internet_address_list_add(g_mime_message_get_to(msg), g);
		g_object_unref(g);
	}
	if (reply_to != NULL)
		internet_address_list_append(g_mime_message_get_reply_to(msg), reply_to);
	if (c->subject != NULL)
		g_mime_message_set_subject(msg, c->subject, "utf-8");
	dt = g_date_time_new_from_unix_local((gint64)now);
	if (dt == NULL) {
		err_set(err, ERR_USAGE, "the date is out of range");
		goto out;
	}
	g_mime_message_set_date(msg, dt);
	mid = make_message_id(arena, host, now, err);
	if (mid == NULL)
		goto out;
	g_mime_message_set_message_id(msg, mid);
	out->message_id = mid;
	if (!is_blank(c->in_reply_to)) {
		if (normalise_ids("In-Reply-To", c->in_reply_to, &ids, err) < 0)
			goto out;
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", ids.s, NULL);
		str_reset(&ids);
	}
	if (!is_blank(c->references)) {
		if (normalise_ids("References", c->references, &ids, err) < 0)
			goto out;
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", ids.s, NULL);
	}
	for (size_t i = 0; i < c->n_headers; i++)
		g_mime_object_append_header(GMIME_OBJECT(msg), c->headers[i].name,
		                            c->headers[i].value ? c->headers[i].value : "",
		                            "utf-8");
	g_mime_object_set_header(GMIME_OBJECT(msg), "MIME-Version", "1.0", NULL);

	body = body_lf(c->body ? c->body : "", c->body_len, &body_len);
	text = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_charset(text, all_ascii(body, body_len) ? "us-ascii" : "utf-8");
	enc = choose_encoding(body, body_len);
	set_content(GMIME_PART(text), body, body_len, enc);
	out->body_encoding = g_mime_content_encoding_to_string(enc);
	if (c->n_attachments > 0) {
		GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");

		top = GMIME_OBJECT(mixed);
		g_mime_multipart_add(mixed, GMIME_OBJECT(text));
		for (size_t i = 0; i < c->n_attachments; i++) {
			GMimeObject *part;

			if (make_attachment(c, &c->attachments[i], &part, err) < 0)
				goto out;
			g_mime_multipart_add(mixed, part);
			g_object_unref(part);
		}
	} else {
		top = GMIME_OBJECT(text);
		g_object_ref(top);
	}
	g_mime_message_set_mime_part(msg, top);

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, c->crlf ? GMIME_NEWLINE_FORMAT_DOS
	                                                     : GMIME_NEWLINE_FORMAT_UNIX);
	mem = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, mem) < 0) {
		err_set(err, ERR_INTERNAL, "cannot write the message");
		goto out;
	}
	{
		GByteArray *b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		InternetAddressList *rcpt[3] = {to, cc, bcc};

		out->data = arena_strndup(arena, (const char *)b->data, b->len);
		out->len = b->len;
		out->recipients = address_array(arena, rcpt, 3, &out->n_recipients);
		out->bcc = address_array(arena, &bcc, 1, &out->n_bcc);
	}
	ret = 0;
out:
	if (mem != NULL)
		g_object_unref(mem);
	if (fo != NULL)
		g_mime_format_options_free(fo);
	if (dt != NULL)
		g_date_time_unref(dt);
	if (top != NULL)
		g_object_unref(top);
	if (text != NULL)
		g_object_unref(text);
	if (msg != NULL)
		g_object_unref(msg);
	InternetAddressList *lists[] = {from, to, cc, bcc, reply_to};
	for (size_t i = 0; i < 5; i++)
		if (lists[i] != NULL)
			g_object_unref(lists[i]);
	str_free(&ids);
	free(body);
	free(host);
	return ret;
}
