#include "config.h"

#include <string.h>

#include "pop3/pop3-reply.h"

int
pop3_line_next(const char *buf, size_t len, size_t line_max, const char **line_r,
               size_t *line_len_r, size_t *used_r, struct err *err)
{
	/* A CR before the LF is allowed on top of line_max. */
	size_t scan = len < line_max + 2 ? len : line_max + 2;
	const char *nl = memchr(buf, '\n', scan);
	size_t n;

	if (nl == NULL) {
		if (len > line_max + 1)
			return err_set(err, ERR_PROTO,
			               "server response line longer than %zu "
			               "bytes",
			               line_max);
		return 0;
	}
	n = (size_t)(nl - buf);
	*used_r = n + 1;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n > line_max)
		return err_set(err, ERR_PROTO, "server response line longer than %zu bytes",
		               line_max);
	if (memchr(buf, '\0', n) != NULL)
		return err_set(err, ERR_PROTO, "NUL byte in a server response line");
	*line_r = buf;
	*line_len_r = n;
	return 1;
}

/* "[CODE]" (RFC 2449 section 8): letters, digits, '-' and '/'. */
static void
split_code(const char *text, struct pop3_status_line *st)
{
	const char *end;
	size_t n;

	st->code[0] = '\0';
	st->text = text;
	if (text[0] != '[')
		return;
	end = strchr(text, ']');
	if (end == NULL)
		return;
	n = (size_t)(end - text - 1);
	if (n == 0 || n >= sizeof(st->code))
		return;
	for (size_t i = 1; i <= n; i++) {
		char c = text[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '/'))
			return;
	}
	memcpy(st->code, text + 1, n);
	st->code[n] = '\0';
	st->text = end + 1;
	while (*st->text == ' ')
		st->text++;
}

int
pop3_status_parse(const char *line, bool cont_ok, struct pop3_status_line *st, struct err *err)
{
	memset(st, 0, sizeof(*st));
	if (strncmp(line, "+OK", 3) == 0 && (line[3] == '\0' || line[3] == ' ')) {
		st->status = POP3_OK;
		split_code(line[3] ? line + 4 : "", st);
		return 0;
	}
	if (strncmp(line, "-ERR", 4) == 0 && (line[4] == '\0' || line[4] == ' ')) {
		st->status = POP3_ERR;
		split_code(line[4] ? line + 5 : "", st);
		return 0;
	}
	if (cont_ok && line[0] == '+' && (line[1] == '\0' || line[1] == ' ')) {
		st->status = POP3_CONT;
		st->text = line[1] ? line + 2 : "";
		return 0;
	}
	return err_set(err, ERR_PROTO, "malformed status line from the server: \"%.40s\"%s", line,
	               strlen(line) > 40 ? "..." : "");
}

enum {
	U_LINE_START, /* at the start of a line */
	U_MID,        /* inside a line */
	U_MID_CR,     /* inside a line, just after a CR */
};

void
pop3_unstuff_init(struct pop3_unstuff *u)
{
	u->state = U_LINE_START;
}

size_t
pop3_unstuff(struct pop3_unstuff *u, const char *in, size_t len, size_t *data_len_r, bool *end_r)
{
	size_t i;

	*data_len_r = 0;
	*end_r = false;
	if (len == 0)
		return 0;
	if (u->state == U_LINE_START && in[0] == '.') {
		/* RFC 1939 section 3: a line starting with the termination
		   octet followed by CRLF ends the body; followed by anything
		   else, the octet goes. */
		if (len < 2)
			return 0;
		if (in[1] == '\r') {
			if (len < 3)
				return 0;
			if (in[2] == '\n') {
				*end_r = true;
				return 3;
			}
		}
		u->state = U_MID;
		return 1;
	}
	/* Line ends only matter: from one LF to the next with memchr, as a
	   byte-at-a-time loop costs a fifth of a whole fetch's CPU time. */
	i = 0;
	while (i < len) {
		const char *nl = memchr(in + i, '\n', len - i);
		size_t k;
		bool crlf;

		if (nl == NULL) {
			u->state = in[len - 1] == '\r' ? U_MID_CR : U_MID;
			i = len;
			break;
		}
		k = (size_t)(nl - in);
		crlf = k > 0 ? in[k - 1] == '\r' : u->state == U_MID_CR;
		u->state = crlf ? U_LINE_START : U_MID;
		i = k + 1;
		if (crlf && i < len && in[i] == '.')
			break; /* deal with it on its own, next call */
	}
	*data_len_r = i;
	return i;
}
