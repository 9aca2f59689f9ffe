#include "config.h"

#include <string.h>

#include "smtp/smtp-dot.h"

void
smtp_dot_init(struct smtp_dot *dot, bool stuff)
{
	memset(dot, 0, sizeof(*dot));
	dot->stuff = stuff;
	dot->line_start = true;
}

static void
put(struct smtp_dot *dot, struct str *out, const char *s, size_t len)
{
	str_append_len(out, s, len);
	dot->out += len;
}

void
smtp_dot_encode(struct smtp_dot *dot, const void *data, size_t len, struct str *out)
{
	const char *p = data;
	size_t run = 0; /* bytes of p copied as they are, pending */

	if (len == 0)
		return;
	str_reserve(out, len + len / 16 + 8);
	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (dot->cr) {
			/* The CR before this byte ends a line whatever this byte is. */
			dot->cr = false;
			put(dot, out, "\r\n", 2);
			dot->line_start = true;
			if (c == '\n') {
				run = 0;
				continue;
			}
		}
		if (c == '\r' || c == '\n') {
			put(dot, out, p + i - run, run);
			run = 0;
			if (c == '\r') {
				dot->cr = true;
			} else {
				put(dot, out, "\r\n", 2);
				dot->line_start = true;
			}
			continue;
		}
		if (dot->line_start) {
			put(dot, out, p + i - run, run);
			run = 0;
			if (c == '.' && dot->stuff)
				put(dot, out, ".", 1);
			dot->line_start = false;
		}
		run++;
	}
	put(dot, out, p + len - run, run);
}

void
smtp_dot_finish(struct smtp_dot *dot, struct str *out)
{
	if (dot->cr || !dot->line_start)
		put(dot, out, "\r\n", 2);
	dot->cr = false;
	dot->line_start = true;
	if (dot->stuff)
		put(dot, out, ".\r\n", 3);
}

void
smtp_body_check_init(struct smtp_body_check *check)
{
	memset(check, 0, sizeof(*check));
}

void
smtp_body_check_update(struct smtp_body_check *check, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (check->cr) {
			check->cr = false;
			check->size += 2;
			check->line_len = 0;
			check->mid_line = false;
			if (c == '\n')
				continue;
		}
		if (c == '\r') {
			check->cr = true;
			continue;
		}
		if (c == '\n') {
			check->size += 2;
			check->line_len = 0;
			check->mid_line = false;
			continue;
		}
		check->size++;
		check->mid_line = true;
		if (++check->line_len > SMTP_LINE_OCTETS_MAX)
			check->long_lines = true;
		if (c >= 0x80)
			check->eight_bit = true;
		else if (c == 0)
			check->nul = true;
	}
}

void
smtp_body_check_finish(struct smtp_body_check *check)
{
	if (check->cr || check->mid_line)
		check->size += 2;
	check->cr = false;
	check->mid_line = false;
	check->line_len = 0;
}

bool
smtp_needs_8bit(const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		if (p[i] >= 0x80)
			return true;
	return false;
}
