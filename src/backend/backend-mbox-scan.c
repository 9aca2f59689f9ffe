/* The memory half of the mbox backend: splitting, quoting, From_ lines. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "backend/backend-mbox.h"
#include "base/base-xalloc.h"
#include "mime/mime-summary.h"

/*
 * Deciding whether a line is a quoted From_ line (^>+From ) needs no
 * bound on the run of '>': a small state machine eats it byte by byte,
 * so the splitter, the reader and the writer agree on every line however
 * long, and however the data was cut into pieces.
 */
enum quote_state {
	Q_START, /* nothing seen yet */
	Q_GT,    /* one or more '>' */
	Q_FROM,  /* '>'s, then part of "From " */
	Q_YES,   /* ^>+From  */
	Q_BARE,  /* ^From  (not quoted: a From_ line or body text) */
	Q_NO,
};

struct quote_match {
	enum quote_state state;
	unsigned matched; /* bytes of "From " matched in Q_FROM */
	int gt;           /* at least one '>' seen */
};

static void
quote_step(struct quote_match *q, char c)
{
	static const char from[] = "From ";

	switch (q->state) {
	case Q_START:
	case Q_GT:
		if (c == '>') {
			q->state = Q_GT;
			q->gt = 1;
			return;
		}
		q->state = Q_FROM;
		q->matched = 0;
		/* FALLTHROUGH */
	case Q_FROM:
		if (c != from[q->matched]) {
			q->state = Q_NO;
			return;
		}
		if (++q->matched == 5)
			q->state = q->gt ? Q_YES : Q_BARE;
		return;
	case Q_YES:
	case Q_BARE:
	case Q_NO:
		return;
	}
}

/* Runs the matcher over a whole line; returns the final state. */
static enum quote_state
quote_line(const char *p, size_t len)
{
	struct quote_match q = {Q_START, 0, 0};

	for (size_t i = 0; i < len && q.state != Q_YES && q.state != Q_BARE && q.state != Q_NO; i++)
		quote_step(&q, p[i]);
	return q.state;
}

static int
is_gt_run_from(const char *p, size_t len)
{
	enum quote_state st = quote_line(p, len);

	return st == Q_YES || st == Q_BARE;
}

void
backend_mbox_unquote(struct str *out, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	if (len > 0)
		str_reserve(out, len);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		size_t body = n;

		if (nl != NULL) {
			body--;
			if (body > 0 && p[body - 1] == '\r')
				body--;
		}
		if (quote_line(p, n) == Q_YES)
			str_append_len(out, p + 1, body - 1);
		else
			str_append_len(out, p, body);
		if (nl != NULL)
			str_append_char(out, '\n');
		p += n;
	}
}

void
backend_mbox_quote(struct str *out, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	if (len > 0)
		str_reserve(out, len + 2);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (nl != NULL && n > 0 && p[n - 1] == '\r')
			n--;
		if (is_gt_run_from(p, n))
			str_append_char(out, '>');
		str_append_len(out, p, n);
		str_append_char(out, '\n');
		p = nl ? nl + 1 : end;
	}
}

/* ---- From_ lines ---- */

static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

struct tok {
	const char *p;
	size_t len;
};

static int
tok_month(const struct tok *t)
{
	if (t->len < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (strncasecmp(t->p, month_names[i], 3) == 0 &&
		    (t->len == 3 || (t->len == 4 && t->p[3] == ',')))
			return i;
	return -1;
}

/* A number of 1..maxdigits digits, optionally followed by a comma. */
static long
tok_number(const struct tok *t, size_t maxdigits)
{
	size_t n = t->len;
	long v = 0;

	if (n > 0 && t->p[n - 1] == ',')
		n--;
	if (n == 0 || n > maxdigits)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)t->p[i]))
			return -1;
		v = v * 10 + (t->p[i] - '0');
	}
	return v;
}

/* hh:mm or hh:mm:ss */
static int
tok_time(const struct tok *t, int *h, int *m, int *s)
{
	const char *p = t->p;
	size_t n = t->len;

	if (n != 5 && n != 8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 2) {
			if (p[i] != ':')
				return 0;
		} else if (!isdigit((unsigned char)p[i])) {
			return 0;
		}
	}
	*h = (p[0] - '0') * 10 + (p[1] - '0');
	*m = (p[3] - '0') * 10 + (p[4] - '0');
	*s = n == 8 ? (p[6] - '0') * 10 + (p[7] - '0') : 0;
	return *h < 24 && *m < 60 && *s <= 60;
}

/* +hhmm / -hhmm, or GMT/UTC/UT/Z; returns 1 and the offset in seconds. */
static int
tok_zone(const struct tok *t, long *off)
{
	if (t->len == 5 && (t->p[0] == '+' || t->p[0] == '-')) {
		for (int i = 1; i < 5; i++)
			if (!isdigit((unsigned char)t->p[i]))
				return 0;
		*off = ((t->p[1] - '0') * 10 + (t->p[2] - '0')) * 3600L +
		       ((t->p[3] - '0') * 10 + (t->p[4] - '0')) * 60L;
		if (t->p[0] == '-')
			*off = -*off;
		return 1;
	}
	if ((t->len == 3 &&
	     (strncasecmp(t->p, "GMT", 3) == 0 || strncasecmp(t->p, "UTC", 3) == 0)) ||
	    (t->len == 2 && strncasecmp(t->p, "UT", 2) == 0) || (t->len == 1 && t->p[0] == 'Z')) {
		*off = 0;
		return 1;
	}
	return 0;
}

#define FROM_TOKENS 16

int
backend_mbox_from_line(const char *line, size_t len, time_t *received_r)
{
	struct tok toks[FROM_TOKENS];
	size_t ntok = 0, i;
	const char *p, *end;
	int month = -1, day = -1, h = 0, m = 0, s = 0, found = 0;
	long year = -1, zone = 0;
	int have_zone = 0;

	*received_r = 0;
	if (len > BACKEND_MBOX_LINE_PREFIX)
		len = BACKEND_MBOX_LINE_PREFIX;
	if (len < 5 || memcmp(line, "From ", 5) != 0)
		return 0;
	end = line + len;
	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (p = line + 5; p < end && ntok < FROM_TOKENS;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		toks[ntok].p = p;
		while (p < end && *p != ' ' && *p != '\t')
			p++;
		toks[ntok].len = (size_t)(p - toks[ntok].p);
		ntok++;
	}
	/*
	 * The sender may be missing, quoted with spaces, or itself look like
	 * a word of a date, so the date is searched for rather than expected
	 * at a fixed place: "Mon DD hh:mm[:ss]" (asctime and its variants),
	 * or "DD Mon YYYY hh:mm[:ss]" (RFC 5322 order, which some tools use).
	 */
	for (i = 0; i + 2 < ntok && !found; i++) {
		int mo = tok_month(&toks[i]);
		long d;

		if (mo >= 0 && (d = tok_number(&toks[i + 1], 2)) >= 1 && d <= 31 &&
		    tok_time(&toks[i + 2], &h, &m, &s)) {
			month = mo;
			day = (int)d;
			found = 1;
			for (size_t j = i + 3; j < ntok && j < i + 6; j++) {
				long y = tok_number(&toks[j], 4);

				if (year < 0 && toks[j].len >= 4 && y >= 0)
					year = y;
				else if (!have_zone)
					have_zone = tok_zone(&toks[j], &zone);
			}
		} else if (i + 3 < ntok && (d = tok_number(&toks[i], 2)) >= 1 && d <= 31 &&
		           (mo = tok_month(&toks[i + 1])) >= 0 &&
		           tok_time(&toks[i + 3], &h, &m, &s)) {
			long y = tok_number(&toks[i + 2], 4);

			month = mo;
			day = (int)d;
			found = 1;
			if (toks[i + 2].len >= 4 && y >= 0)
				year = y;
			if (i + 4 < ntok)
				have_zone = tok_zone(&toks[i + 4], &zone);
		}
	}
	if (!found)
		return 0;
	if (year >= 1970 && year <= 9999) {
		struct tm tm;
		time_t t;

		memset(&tm, 0, sizeof(tm));
		tm.tm_year = (int)year - 1900;
		tm.tm_mon = month;
		tm.tm_mday = day;
		tm.tm_hour = h;
		tm.tm_min = m;
		tm.tm_sec = s;
		if (have_zone) {
			t = timegm(&tm);
			if (t != (time_t)-1)
				*received_r = t - zone;
		} else {
			/* asctime dates are the writer's local time. */
			tm.tm_isdst = -1;
			t = mktime(&tm);
			if (t != (time_t)-1)
				*received_r = t;
		}
	}
	return 1;
}

void
backend_mbox_from_line_write(struct str *out, const char *sender, time_t date)
{
	struct tm tm;

	if (sender == NULL || *sender == '\0')
		sender = "MAILER-DAEMON";
	str_append(out, "From ");
	for (const char *c = sender; *c; c++)
		str_append_char(out, (unsigned char)*c <= ' ' || *c == 0x7f ? '_' : *c);
	if (localtime_r(&date, &tm) == NULL) {
		time_t zero = 0;

		gmtime_r(&zero, &tm);
	}
	/* asctime's layout with English names, whatever the locale. */
	str_appendf(out, " %s %s %2d %02d:%02d:%02d %d\n", day_names[tm.tm_wday % 7],
	            month_names[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	            tm.tm_year + 1900);
}

/* ---- Status and X-Status ---- */

enum hdr_field { HF_OTHER, HF_STATUS, HF_XSTATUS };

static enum hdr_field
hdr_field_of(const char *p, size_t len)
{
	if (len >= 7 && strncasecmp(p, "Status:", 7) == 0)
		return HF_STATUS;
	if (len >= 9 && strncasecmp(p, "X-Status:", 9) == 0)
		return HF_XSTATUS;
	return HF_OTHER;
}

struct status_bits {
	unsigned flags;
	int old, read;
};

static void
status_letters(struct status_bits *sb, enum hdr_field field, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (field == HF_STATUS) {
			if (c == 'R')
				sb->read = 1;
			else if (c == 'O')
				sb->old = 1;
			else if (c == 'r')
				sb->flags |= MIME_FLAG_ANSWERED;
		} else if (field == HF_XSTATUS) {
			if (c == 'A')
				sb->flags |= MIME_FLAG_ANSWERED;
			else if (c == 'F')
				sb->flags |= MIME_FLAG_FLAGGED;
			else if (c == 'D')
				sb->flags |= MIME_FLAG_DELETED;
			else if (c == 'T')
				sb->flags |= MIME_FLAG_DRAFT;
		}
	}
}

static unsigned
status_flags(const struct status_bits *sb)
{
	unsigned flags = sb->flags;

	if (sb->read)
		flags |= MIME_FLAG_SEEN;
	if (!sb->read && !sb->old)
		flags |= MIME_FLAG_RECENT;
	return flags;
}

static void
write_status(struct str *out, unsigned flags, const char *eol)
{
	/* A message that was read is old too, as mutt and mailx write it. */
	if (flags & MIME_FLAG_SEEN) {
		str_append(out, "Status: RO");
		str_append(out, eol);
	} else if (!(flags & MIME_FLAG_RECENT)) {
		str_append(out, "Status: O");
		str_append(out, eol);
	}
	if (flags &
	    (MIME_FLAG_DELETED | MIME_FLAG_FLAGGED | MIME_FLAG_ANSWERED | MIME_FLAG_DRAFT)) {
		/* c-client's order */
		str_append(out, "X-Status: ");
		if (flags & MIME_FLAG_DELETED)
			str_append_char(out, 'D');
		if (flags & MIME_FLAG_FLAGGED)
			str_append_char(out, 'F');
		if (flags & MIME_FLAG_ANSWERED)
			str_append_char(out, 'A');
		if (flags & MIME_FLAG_DRAFT)
			str_append_char(out, 'T');
		str_append(out, eol);
	}
}

void
backend_mbox_header_write_flags(struct str *out, const char *data, size_t len, unsigned flags,
                                const char *eol)
{
	const char *p = data, *end = data + len;
	enum hdr_field skipping = HF_OTHER;
	size_t start = out->len;
	int written = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		if (*p == ' ' || *p == '\t') {
			if (skipping == HF_OTHER)
				str_append_len(out, p, n);
		} else {
			skipping = hdr_field_of(p, n);
			/*
			 * A header cut off by the end of the file after a lone CR:
			 * a newline after it would make an empty line that ends
			 * the header, so the fields go before it.
			 */
			if (nl == NULL && n == 1 && *p == '\r') {
				write_status(out, flags, eol);
				written = 1;
			}
			if (skipping == HF_OTHER)
				str_append_len(out, p, n);
		}
		p += n;
	}
	if (written)
		return;
	/* Any other unterminated last line gets its line end, never losing a byte. */
	if (out->len > start && out->s[out->len - 1] != '\n')
		str_append(out, eol);
	write_status(out, flags, eol);
}

/* ---- the splitter ---- */

struct backend_mbox_scan {
	struct backend_mbox_msg *msgs;
	size_t count, cap;
	uint64_t start, off, first;
	int tail, started;

	/* the line being assembled */
	char line[BACKEND_MBOX_LINE_PREFIX];
	size_t line_have;
	uint64_t line_len, line_off;
	char last_byte;
	struct quote_match quote;

	/* the line before it */
	int prev_blank, prev_was_hdr_end;
	uint64_t prev_off;

	/* the open message */
	struct backend_mbox_msg cur;
	int in_header;
	enum hdr_field field;
	struct status_bits status;
};

struct backend_mbox_scan *
backend_mbox_scan_new(uint64_t start, int tail)
{
	struct backend_mbox_scan *s = xcalloc(1, sizeof(*s));

	s->start = s->off = s->line_off = s->first = start;
	s->tail = tail;
	s->quote.state = Q_START;
	return s;
}

void
backend_mbox_scan_free(struct backend_mbox_scan **scan)
{
	if (*scan == NULL)
		return;
	free((*scan)->msgs);
	xfree(scan);
}

static void
msg_start(struct backend_mbox_scan *s, uint64_t off, uint64_t len, time_t received, int crlf)
{
	memset(&s->cur, 0, sizeof(s->cur));
	s->cur.from_off = off;
	s->cur.hdr_off = off + len;
	s->cur.received = received;
	s->cur.crlf = crlf ? 1 : 0;
	s->in_header = 1;
	s->field = HF_OTHER;
	memset(&s->status, 0, sizeof(s->status));
	s->started = 1;
	s->prev_blank = 0;
	s->prev_was_hdr_end = 0;
}

/* Closes the open message at `next`; a blank line just before is the separator. */
static void
msg_end(struct backend_mbox_scan *s, uint64_t next)
{
	struct backend_mbox_msg *m = &s->cur;

	m->next = next;
	m->end = next;
	if (s->prev_blank) {
		m->end = s->prev_off;
		m->size -= 1; /* the blank line's LF */
		if (s->prev_was_hdr_end) {
			m->hdr_end = m->body_off = m->end;
			s->in_header = 0;
		} else {
			m->lines--;
		}
	}
	if (s->in_header)
		m->hdr_end = m->body_off = m->end;
	m->flags = status_flags(&s->status);
	if (s->count == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->msgs = xreallocarray(s->msgs, s->cap, sizeof(*s->msgs));
	}
	s->msgs[s->count++] = *m;
	s->started = 0;
}

static int
scan_line(struct backend_mbox_scan *s, int has_nl, int crlf, struct err *err)
{
	const char *p = s->line;
	size_t plen = s->line_have;
	uint64_t len = s->line_len, off = s->line_off;
	int blank = has_nl && (len == 1 || (len == 2 && crlf));
	int bare_from = s->quote.state == Q_BARE;
	time_t received;

	if (s->count == 0 && !s->started) {
		if (blank && !s->tail) {
			s->first = off + len;
			return 0;
		}
		if (!bare_from)
			return err_set(
			    err, ERR_PARSE,
			    "not an mbox folder: it does not start with a \"From \" line");
		/* The first separator needs no date: the file says it is an mbox. */
		backend_mbox_from_line(p, plen, &received);
		s->first = off;
		msg_start(s, off, len, received, crlf);
		return 0;
	}
	if (s->prev_blank && bare_from && backend_mbox_from_line(p, plen, &received)) {
		msg_end(s, off);
		msg_start(s, off, len, received, crlf);
		return 0;
	}
	s->prev_was_hdr_end = 0;
	if (s->in_header) {
		if (blank) {
			s->cur.hdr_end = off;
			s->cur.body_off = off + len;
			s->in_header = 0;
			s->prev_was_hdr_end = 1;
		} else if (plen > 0 && (p[0] == ' ' || p[0] == '\t')) {
			status_letters(&s->status, s->field, p, plen);
		} else {
			s->field = hdr_field_of(p, plen);
			if (s->field == HF_STATUS)
				status_letters(&s->status, s->field, p + 7, plen - 7);
			else if (s->field == HF_XSTATUS)
				status_letters(&s->status, s->field, p + 9, plen - 9);
		}
	} else {
		s->cur.lines++;
	}
	s->cur.size += len - (crlf ? 1 : 0) - (s->quote.state == Q_YES ? 1 : 0);
	s->prev_blank = blank;
	s->prev_off = off;
	return 0;
}

static void
line_reset(struct backend_mbox_scan *s)
{
	s->line_have = 0;
	s->line_len = 0;
	s->line_off = s->off;
	s->quote.state = Q_START;
	s->quote.gt = 0;
	s->quote.matched = 0;
}

int
backend_mbox_scan_feed(struct backend_mbox_scan *s, const char *data, size_t len, struct err *err)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;
		size_t room = sizeof(s->line) - s->line_have;
		int crlf = 0;

		if (room > 0) {
			size_t c = n < room ? n : room;

			memcpy(s->line + s->line_have, data, c);
			s->line_have += c;
		}
		for (size_t i = 0; i < n && s->quote.state != Q_YES && s->quote.state != Q_BARE &&
		                   s->quote.state != Q_NO;
		     i++)
			quote_step(&s->quote, data[i]);
		if (nl != NULL)
			crlf = n >= 2 ? data[n - 2] == '\r' : s->last_byte == '\r';
		s->line_len += n;
		s->off += n;
		s->last_byte = data[n - 1];
		data += n;
		len -= n;
		if (nl != NULL) {
			if (scan_line(s, 1, crlf, err) < 0)
				return -1;
			line_reset(s);
		}
	}
	return 0;
}

int
backend_mbox_scan_finish(struct backend_mbox_scan *s, struct err *err)
{
	if (s->line_len > 0) {
		if (scan_line(s, 0, 0, err) < 0)
			return -1;
		line_reset(s);
	}
	if (s->started)
		msg_end(s, s->off);
	return 0;
}

const struct backend_mbox_msg *
backend_mbox_scan_messages(const struct backend_mbox_scan *s, size_t *count_r)
{
	*count_r = s->count;
	return s->msgs;
}

uint64_t
backend_mbox_scan_first(const struct backend_mbox_scan *s)
{
	return s->first;
}

struct backend_mbox_msg *
backend_mbox_scan_detach(struct backend_mbox_scan *s, size_t *count_r)
{
	struct backend_mbox_msg *msgs = s->msgs;

	*count_r = s->count;
	s->msgs = NULL;
	s->count = s->cap = 0;
	return msgs;
}
