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

size_t
cmd_hdr_fit(struct str *out, const char *s, size_t cols, int pad)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t len = strlen((const char *)p), used = 0, i = 0;
	int utf8 = locale_utf8();

	while (i < len) {
		char buf[8];
		size_t blen, n, w;

		if (p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
			buf[0] = ' ';
			blen = 1, n = 1, w = 1;
		} else {
			w = visible(p + i, len - i, utf8, buf, &blen, &n);
		}
		if (used + w > cols)
			break;
		str_append_len(out, buf, blen);
		used += w;
		i += n;
	}
	if (pad)
		for (; used < cols; used++)
			str_append_char(out, ' ');
	else
		str_append(out, "");
	return used;
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

void
cmd_hdr_line(struct str *out, const struct cmd_msg *m, size_t num, int current, size_t width,
	     int show_name)
{
	struct str line = STR_INIT;
	char head[64], date[32] = "", size[48];
	const char *sender;
	size_t used;

	snprintf(head, sizeof(head), "%c%c%3zu ", current ? '>' : ' ', cmd_hdr_status(m->state),
		 num);
	str_append(&line, head);
	used = strlen(head);
	sender = show_name && m->from_name[0] != '\0' ? m->from_name : m->from_addr;
	if (sender[0] == '\0')
		sender = m->from_name;
	used += cmd_hdr_fit(&line, sender, 20, 1);
	if (m->date != 0) {
		struct tm tm;

		if (localtime_r(&m->date, &tm) != NULL)
			strftime(date, sizeof(date), "%a %b %e %H:%M", &tm);
	}
	snprintf(size, sizeof(size), "  %-16.16s %4lu/%-6llu ", date, (unsigned long)m->lines,
		 (unsigned long long)m->size);
	str_append(&line, size);
	used += strlen(size);
	if (used < width)
		cmd_hdr_fit(&line, m->subject, width - used, 0);
	/* A narrow terminal cuts the fixed fields too. */
	if (used > width) {
		struct str cut = STR_INIT;

		cmd_hdr_fit(&cut, str_cstr(&line), width, 0);
		str_append_len(out, cut.s, cut.len);
		str_free(&cut);
	} else {
		str_append_len(out, str_cstr(&line), line.len);
	}
	str_free(&line);
}
