#include "config.h"

#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "cmd/cmd-hdr.h"

char
cmd_hdr_status(unsigned st)
{
	if (st & CMD_MSG_DELETED)
		return 'D';
	if (st & CMD_MSG_SAVED)
		return '*';
	if (st & CMD_MSG_PRESERVED)
		return 'P';
	if (st & CMD_MSG_MBOX)
		return 'M';
	if (st & CMD_MSG_READ)
		return 'R';
	if (st & CMD_MSG_OLD_READ)
		return 'O';
	if (st & CMD_MSG_NEW)
		return 'N';
	return 'U';
}

static int
locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* str_append_len(), str_append_char() and a run of spaces without a call
 * and a capacity check in another file for every byte: a listing runs
 * them for every field of every message. */
static inline void
put(struct str *out, const void *p, size_t n)
{
	if (out->cap - out->len <= n)
		str_reserve(out, n);
	memcpy(out->s + out->len, p, n);
	out->len += n;
	out->s[out->len] = '\0';
}

static inline void
put_c(struct str *out, char c)
{
	if (out->cap - out->len <= 1)
		str_reserve(out, 1);
	out->s[out->len++] = c;
	out->s[out->len] = '\0';
}

static void
put_spaces(struct str *out, size_t n)
{
	if (out->cap - out->len <= n)
		str_reserve(out, n);
	memset(out->s + out->len, ' ', n);
	out->len += n;
	out->s[out->len] = '\0';
}

/* Decodes one UTF-8 sequence; returns its length, with *cp = -1 for an
 * invalid one (which then counts one byte). */
static size_t
utf8_next(const unsigned char *s, size_t len, long *cp)
{
	size_t n, i;
	long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		goto bad;
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = -1;
	return 1;
}

/* The visible form of one character and its width.  Returns the columns;
 * the bytes to show go to buf/buflen. */
static size_t
visible(const unsigned char *s, size_t len, int utf8, char *buf, size_t *buflen, size_t *used)
{
	long cp;
	size_t n = utf8_next(s, len, &cp);
	int w;

	*used = n;
	if (cp < 0) {
		buf[0] = '?';
		*buflen = 1;
		return 1;
	}
	if (cp < 0x20 || cp == 0x7f) {
		buf[0] = '^';
		buf[1] = cp == 0x7f ? '?' : (char)(cp + 0x40);
		*buflen = 2;
		return 2;
	}
	if (cp < 0x80) {
		buf[0] = (char)cp;
		*buflen = 1;
		return 1;
	}
	if (cp < 0xa0 || !utf8) {
		buf[0] = '?';
		*buflen = 1;
		return 1;
	}
	w = wcwidth((wchar_t)cp);
	if (w < 0) {
		buf[0] = '?';
		*buflen = 1;
		return 1;
	}
	memcpy(buf, s, n);
	*buflen = n;
	return (size_t)w;
}

/* cmd_hdr_fit with the locale's answer given: a listing asks it once a
 * line rather than once a field. */
static size_t
fit(struct str *out, const char *s, size_t cols, int pad, int utf8)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t len = strlen((const char *)p), used = 0, i = 0;

	while (i < len) {
		char buf[8];
		size_t blen, n, w, run = i, end;

		/* Printable ASCII, most of any listing, goes in by runs. */
		end = len - i < cols - used ? len : i + (cols - used);
		while (run < end && p[run] >= 0x20 && p[run] < 0x7f)
			run++;
		if (run > i) {
			put(out, p + i, run - i);
			used += run - i;
			i = run;
			continue;
		}
		if (p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			buf[0] = ' ';
			blen = 1, n = 1, w = 1;
		} else {
			w = visible(p + i, len - i, utf8, buf, &blen, &n);
		}
		if (used + w > cols)
			break;
		put(out, buf, blen);
		used += w;
		i += n;
	}
	if (pad && used < cols) {
		put_spaces(out, cols - used);
		used = cols;
	} else {
		put(out, "", 0);
	}
	return used;
}

size_t
cmd_hdr_fit(struct str *out, const char *s, size_t cols, int pad)
{
	return fit(out, s, cols, pad, locale_utf8());
}

void
cmd_hdr_safe(struct str *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int utf8 = locale_utf8();

	str_append(out, "");
	while (i < len) {
		char buf[8];
		size_t blen, n;

		if (p[i] == '\t' || p[i] == '\n') {
			str_append_char(out, (char)p[i]);
			i++;
			continue;
		}
		visible(p + i, len - i, utf8, buf, &blen, &n);
		str_append_len(out, buf, blen);
		i += n;
	}
}

/* Appends v in decimal, right-aligned in (or left-aligned and padded to)
 * `width` columns, as printf's %<width>llu and %-<width>llu do. */
static void
put_num(struct str *out, unsigned long long v, int width, int left)
{
	char d[24];
	int n = 0;

	do
		d[sizeof(d) - 1 - n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (!left && n < width)
		put_spaces(out, (size_t)(width - n));
	put(out, d + sizeof(d) - n, (size_t)n);
	if (left && n < width)
		put_spaces(out, (size_t)(width - n));
}

/*
 * The local day of the last date formatted: localtime_r() and strftime()
 * were a tenth of a warm 100,000-message listing, and neighbouring
 * messages mostly share a day.  A day is used once two more localtime_r()
 * calls showed its first and last second with the same UTC offset (no
 * DST change inside); its weekday, month and day come from strftime(),
 * so the locale's names stay.  The listing runs on one thread, and each
 * thread keeps its own.
 */
struct hdr_day {
	time_t lo, hi;  /* [lo, hi): the day, UTC seconds */
	int state;      /* 0 none, 1 to be checked, 2 usable, 3 not usable */
	char head[24];  /* "%a %b %e " */
	size_t head_len;
};

static _Thread_local struct hdr_day hdr_day;

static int
day_check(struct hdr_day *d, long off)
{
	struct tm a, b;

	return localtime_r(&d->lo, &a) != NULL && localtime_r(&(time_t){d->hi - 1}, &b) != NULL &&
	       a.tm_gmtoff == off && b.tm_gmtoff == off && a.tm_hour == 0 && a.tm_min == 0 &&
	       a.tm_sec == 0 && b.tm_mday == a.tm_mday && b.tm_hour == 23 && b.tm_min == 59 &&
	       b.tm_sec == 59;
}

/* "%a %b %e %H:%M" of t, in date (at least 32 bytes); "" when the time
 * cannot be shown. */
static void
format_date(char *date, time_t t)
{
	struct hdr_day *d = &hdr_day;
	struct tm tm;

	if (d->state != 0 && t >= d->lo && t < d->hi) {
		if (d->state == 1) {
			if (localtime_r(&t, &tm) == NULL)
				goto slow;
			d->state = day_check(d, tm.tm_gmtoff) ? 2 : 3;
		}
		if (d->state == 2) {
			long sec = (long)(t - d->lo);

			memcpy(date, d->head, d->head_len);
			date[d->head_len] = (char)('0' + sec / 36000);
			date[d->head_len + 1] = (char)('0' + sec / 3600 % 10);
			date[d->head_len + 2] = ':';
			date[d->head_len + 3] = (char)('0' + sec % 3600 / 600);
			date[d->head_len + 4] = (char)('0' + sec % 600 / 60);
			date[d->head_len + 5] = '\0';
			return;
		}
	}
slow:
	date[0] = '\0';
	if (localtime_r(&t, &tm) == NULL)
		return;
	strftime(date, 32, "%a %b %e %H:%M", &tm);
	/* A day that failed its check stays refused. */
	if (d->state == 3 && t >= d->lo && t < d->hi)
		return;
	/* Remember the day, to be checked when a second date falls in it. */
	d->state = 0;
	if (strftime(d->head, sizeof(d->head), "%a %b %e ", &tm) > 0) {
		d->head_len = strlen(d->head);
		d->lo = t - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
		d->hi = d->lo + 86400;
		d->state = d->head_len + 6 <= 32 ? 1 : 0;
	}
}

void
cmd_hdr_line(struct str *out, const struct cmd_msg *m, size_t num, int current, size_t width,
	     int show_name)
{
	char date[32] = "";
	const char *sender;
	size_t used, start = out->len, dlen;
	int utf8 = locale_utf8();

	/* "%c%c%3zu ", without printf: this runs for every message. */
	put_c(out, current ? '>' : ' ');
	put_c(out, cmd_hdr_status(m->state));
	put_num(out, num, 3, 0);
	put_c(out, ' ');
	used = out->len - start;
	sender = show_name && m->from_name[0] != '\0' ? m->from_name : m->from_addr;
	if (sender[0] == '\0')
		sender = m->from_name;
	used += fit(out, sender, 20, 1, utf8);
	if (m->date != 0)
		format_date(date, m->date);
	/* "  %-16.16s %4lu/%-6llu " */
	{
		size_t was = out->len;

		dlen = strlen(date);
		if (dlen > 16)
			dlen = 16;
		put(out, "  ", 2);
		put(out, date, dlen);
		put_spaces(out, 16 - dlen + 1);
		/* No message has no lines: 0 is a count the store cannot know
		 * without the body (POP3's TOP, IMAP's header fetch), shown
		 * blank as mailx does. */
		if (m->lines == 0)
			put_spaces(out, 4);
		else
			put_num(out, (unsigned long)m->lines, 4, 0);
		put_c(out, '/');
		put_num(out, (unsigned long long)m->size, 6, 1);
		put_c(out, ' ');
		used += out->len - was;
	}
	if (used < width)
		fit(out, m->subject, width - used, 0, utf8);
	/* A narrow terminal cuts the fixed fields too. */
	if (used > width) {
		struct str line = STR_INIT;

		str_append_len(&line, out->s + start, out->len - start);
		str_truncate(out, start);
		fit(out, str_cstr(&line), width, 0, utf8);
		str_free(&line);
	}
}

void
cmd_hdr_size(char *buf, size_t len, uint64_t n)
{
	if (n < 10240)
		snprintf(buf, len, "%llu", (unsigned long long)n);
	else if (n < 10 * 1024 * 1024)
		snprintf(buf, len, "%lluK", (unsigned long long)(n + 512) / 1024);
	else
		snprintf(buf, len, "%lluM", (unsigned long long)(n + 512 * 1024) / (1024 * 1024));
}
