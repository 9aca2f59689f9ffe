#include "config.h"

#include <ctype.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "cmd/cmd-hdr.h"
#include "cmd/cmd-msglist.h"
#include "cmd/cmd-session.h"

int
cmd_fetch(struct cmd_session *s, size_t n, struct str *out)
{
	struct err err;

	if (core_folder_fetch(s->folder, n - 1, out, &err) < 0)
		return cmd_error(s, "message %zu: %s", n, err.msg);
	return 0;
}

struct core_folder_msg *
cmd_parse_msg(struct cmd_session *s, size_t n)
{
	struct str raw = STR_INIT;
	struct core_folder_msg *m = NULL;
	struct err err;

	if (cmd_fetch(s, n, &raw) == 0 &&
	    core_folder_msg_parse(raw.s ? raw.s : "", raw.len, &m, &err) < 0)
		cmd_error(s, "message %zu: %s", n, err.msg);
	str_free(&raw);
	return m;
}

char *
cmd_login_of(const char *addr)
{
	const char *lt = strchr(addr, '<'), *at;
	const char *start = lt != NULL ? lt + 1 : addr;
	struct str o = STR_INIT;

	at = strchr(start, '@');
	str_append(&o, "");
	for (; *start != '\0' && start != at && *start != '>'; start++) {
		unsigned char c = (unsigned char)*start;

		/* A file name: nothing that picks another directory. */
		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '+')
			str_append_char(&o, (char)c);
	}
	if (o.len == 0 || o.s[0] == '.')
		str_append(&o, "unknown");
	return str_detach(&o);
}

static void
mark_read(struct cmd_session *s, size_t n)
{
	s->msgs[n - 1].state |= CMD_MSG_READ | CMD_MSG_TOUCHED;
}

static const char *
locale_charset(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && *cs != '\0' ? cs : "US-ASCII";
}

int
cmd_type_msg(struct cmd_session *s, size_t n, int all, long maxlines)
{
	struct core_folder_msg *m = cmd_parse_msg(s, n);
	struct str text = STR_INIT;
	struct err err;
	int rc = -1;

	if (m == NULL)
		return -1;
	if (core_folder_msg_render(m, locale_charset(), all ? NULL : cmd_weed_show, s, &text,
				   &err) < 0) {
		cmd_error(s, "message %zu: %s", n, err.msg);
		goto out;
	}
	if (maxlines >= 0) {
		/* top: the header, then maxlines lines of the body. */
		const char *p = text.s ? text.s : "", *body = strstr(p, "\n\n");
		size_t cut = text.len;

		if (body != NULL) {
			const char *q = body + 2;
			long k;

			for (k = 0; k < maxlines && *q != '\0'; k++) {
				const char *nl = strchr(q, '\n');

				q = nl != NULL ? nl + 1 : q + strlen(q);
			}
			cut = (size_t)(q - p);
		}
		str_truncate(&text, cut);
	}
	cmd_out_len(s, text.s ? text.s : "", text.len);
	if (text.len > 0 && text.s[text.len - 1] != '\n')
		cmd_out(s, "\n");
	mark_read(s, n);
	rc = 0;
out:
	str_free(&text);
	core_folder_msg_free(&m);
	return rc;
}

int
cmd_do_type(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n;
	int first = 1, rc = 0;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++) {
		if (!s->sel[n - 1])
			continue;
		if (!cmd_var_set(s, "quiet"))
			cmd_out(s, "%sMessage %zu:\n", first ? "" : "\n", n);
		first = 0;
		if (cmd_type_msg(s, n, def->id == CMD_PRINT_ALL, -1) < 0)
			rc = -1;
		s->cur = n;
		s->dot_shown = 1;
	}
	return rc;
}

int
cmd_do_top(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	long lines = cmd_var_num(s, "toplines", 5);
	size_t n;
	int first = 1, rc = 0;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++) {
		if (!s->sel[n - 1])
			continue;
		if (!cmd_var_set(s, "quiet"))
			cmd_out(s, "%sMessage %zu:\n", first ? "" : "\n", n);
		first = 0;
		/* top does not count as reading the message. */
		{
			unsigned was = s->msgs[n - 1].state;

			if (cmd_type_msg(s, n, 0, lines < 0 ? 0 : lines) < 0)
				rc = -1;
			s->msgs[n - 1].state = was;
		}
		s->cur = n;
	}
	return rc;
}

int
cmd_do_headers(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n, around = s->cur;

	if (*args != '\0') {
		if (cmd_msglist(s, args, 0) < 0)
			return -1;
		for (n = 1; n <= s->count; n++)
			if (s->sel[n - 1]) {
				around = n;
				break;
			}
		s->cur = around;
	}
	cmd_headers_page(s, around);
	return 0;
}

int
cmd_do_from(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++)
		if (s->sel[n - 1])
			cmd_header_line(s, n);
	return 0;
}

int
cmd_do_z(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t screen = cmd_screen(s), top;

	if (s->count == 0)
		return cmd_error(s, "no messages");
	top = s->page_top ? s->page_top : ((s->cur ? s->cur : 1) - 1) / screen * screen + 1;
	while (*args == ' ')
		args++;
	if (*args == '\0' || strcmp(args, "+") == 0) {
		if (s->page_top != 0) {
			if (top + screen > s->count) {
				cmd_out(s, "On last screenful of messages\n");
				return 0;
			}
			top += screen;
		}
	} else if (strcmp(args, "-") == 0) {
		if (top <= 1) {
			cmd_out(s, "On first screenful of messages\n");
			return 0;
		}
		top = top > screen ? top - screen : 1;
	} else {
		return cmd_error(s, "z takes + or -");
	}
	cmd_headers_page(s, top);
	return 0;
}

int
cmd_do_size(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++)
		if (s->sel[n - 1])
			cmd_out(s, "%zu: %lu/%llu\n", n, (unsigned long)s->msgs[n - 1].lines,
				(unsigned long long)s->msgs[n - 1].size);
	return 0;
}

int
cmd_do_number(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	cmd_out(s, "%zu\n", s->cur);
	return 0;
}

/* The next undeleted message after n, or 0. */
static size_t
next_after(struct cmd_session *s, size_t n)
{
	for (n = n + 1; n <= s->count; n++)
		if (!(s->msgs[n - 1].state & CMD_MSG_DELETED))
			return n;
	return 0;
}

static size_t
prev_before(struct cmd_session *s, size_t n)
{
	while (n-- > 1)
		if (!(s->msgs[n - 1].state & CMD_MSG_DELETED))
			return n;
	return 0;
}

int
cmd_do_next(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n = 0, k;

	if (s->count == 0)
		return cmd_error(s, "no messages");
	if (*args != '\0') {
		if (cmd_msglist(s, args, 0) < 0)
			return -1;
		for (k = 1; k <= s->count; k++)
			if (s->sel[k - 1]) {
				n = k;
				break;
			}
	} else if (!s->dot_shown && s->cur > 0 &&
		   !(s->msgs[s->cur - 1].state & CMD_MSG_DELETED)) {
		n = s->cur;
	} else {
		n = next_after(s, s->cur);
		if (n == 0) {
			cmd_out(s, "At EOF\n");
			return 0;
		}
	}
	s->cur = n;
	s->dot_shown = 1;
	if (!cmd_var_set(s, "quiet"))
		cmd_out(s, "Message %zu:\n", n);
	return cmd_type_msg(s, n, 0, -1);
}

int
cmd_do_delete(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n, last = 0, next;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++) {
		if (!s->sel[n - 1])
			continue;
		s->msgs[n - 1].state |= CMD_MSG_DELETED | CMD_MSG_TOUCHED;
		last = n;
	}
	next = next_after(s, last);
	if (next == 0)
		next = prev_before(s, last);
	if (next != 0)
		s->cur = next;
	s->dot_shown = 0;
	if (def->id == CMD_DP || cmd_var_set(s, "autoprint")) {
		if (next_after(s, last) == 0) {
			cmd_out(s, "At EOF\n");
			return 0;
		}
		s->cur = next_after(s, last);
		s->dot_shown = 1;
		return cmd_type_msg(s, s->cur, 0, -1);
	}
	return 0;
}

int
cmd_do_undelete(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n;

	if (cmd_msglist(s, args, (def->flags & CMD_F_DELETED) ? CMD_MSGLIST_DELETED : 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++) {
		if (!s->sel[n - 1])
			continue;
		s->msgs[n - 1].state &= ~(unsigned)CMD_MSG_DELETED;
		s->cur = n;
	}
	return 0;
}

int
cmd_do_mark(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++) {
		unsigned *st = &s->msgs[n - 1].state;

		if (!s->sel[n - 1])
			continue;
		switch (def->id) {
		case CMD_HOLD:
			*st = (*st | CMD_MSG_PRESERVED) & ~(unsigned)CMD_MSG_MBOX;
			break;
		case CMD_TOUCH:
			*st |= CMD_MSG_TOUCHED;
			break;
		case CMD_MBOX:
			*st = (*st | CMD_MSG_MBOX | CMD_MSG_TOUCHED) & ~(unsigned)CMD_MSG_PRESERVED;
			break;
		default:
			break;
		}
		s->cur = n;
	}
	return 0;
}

/* MIME extensions: parts, showpart, saveattachment. */

int
cmd_do_parts(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	size_t n, i;
	int rc = 0;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	for (n = 1; n <= s->count; n++) {
		const struct core_folder_part *parts;
		struct core_folder_msg *m;
		size_t np;
		struct err err;

		if (!s->sel[n - 1])
			continue;
		m = cmd_parse_msg(s, n);
		if (m == NULL) {
			rc = -1;
			continue;
		}
		if (core_folder_msg_parts(m, &parts, &np, &err) < 0) {
			rc = cmd_error(s, "message %zu: %s", n, err.msg);
			core_folder_msg_free(&m);
			continue;
		}
		cmd_out(s, "Message %zu:\n", n);
		for (i = 0; i < np; i++) {
			char size[32];
			struct str line = STR_INIT;

			if (parts[i].path[0] == '\0')
				continue;
			cmd_hdr_size(size, sizeof(size), parts[i].size);
			str_appendf(&line, "%*s%-6s %s %s", (int)(parts[i].depth * 2), "",
				    parts[i].path, parts[i].type,
				    parts[i].container ? "" : size);
			if (parts[i].filename[0] != '\0')
				str_appendf(&line, " \"%s\"", parts[i].filename);
			if (parts[i].attachment)
				str_append(&line, " [attachment]");
			cmd_hdr_fit(&s->out, str_cstr(&line), 4096, 0);
			cmd_out(s, "\n");
			str_free(&line);
		}
		core_folder_msg_free(&m);
	}
	return rc;
}

/* "message part" arguments; returns the 1-based message or 0. */
static size_t
msg_arg(struct cmd_session *s, const char *word)
{
	size_t n;

	if (cmd_msglist(s, word, 0) < 0)
		return 0;
	for (n = 1; n <= s->count; n++)
		if (s->sel[n - 1])
			return n;
	return 0;
}

int
cmd_do_showpart(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct core_folder_msg *m = NULL;
	struct str text = STR_INIT;
	struct err err;
	size_t n;
	int rc = -1;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_error_err(s, &err);
		goto out;
	}
	if (w.n != 2) {
		cmd_error(s, "showpart takes a message and a part number (see parts)");
		goto out;
	}
	n = msg_arg(s, w.w[0]);
	if (n == 0 || (m = cmd_parse_msg(s, n)) == NULL)
		goto out;
	if (core_folder_msg_part_text(m, w.w[1], &text, &err) < 0) {
		cmd_error(s, "message %zu: %s", n, err.msg);
		goto out;
	}
	cmd_out_len(s, text.s ? text.s : "", text.len);
	if (text.len > 0 && text.s[text.len - 1] != '\n')
		cmd_out(s, "\n");
	s->cur = n;
	rc = 0;
out:
	str_free(&text);
	core_folder_msg_free(&m);
	cmd_words_clear(&w);
	return rc;
}

int
cmd_do_saveattachment(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct core_folder_msg *m = NULL;
	struct err err;
	char *written = NULL, *dir = NULL, *path = NULL;
	const char *name = NULL;
	size_t n, first = 0;
	int force = 0, rc = -1;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_error_err(s, &err);
		goto out;
	}
	if (w.n > 0 && strcmp(w.w[0], "-f") == 0)
		force = 1, first = 1;
	if (w.n - first < 2 || w.n - first > 3) {
		cmd_error(s, "saveattachment takes [-f] message part [file]");
		goto out;
	}
	n = msg_arg(s, w.w[first]);
	if (n == 0 || (m = cmd_parse_msg(s, n)) == NULL)
		goto out;
	if (w.n - first == 3) {
		/* A file the user names: its directory is the user's choice. */
		char *slash;

		path = cmd_expand_folder(s, w.w[first + 2], &err);
		if (path == NULL) {
			cmd_error_err(s, &err);
			goto out;
		}
		slash = strrchr(path, '/');
		if (slash != NULL) {
			dir = xstrndup(path, (size_t)(slash - path) + (slash == path));
			name = slash + 1;
		} else {
			dir = xstrdup(".");
			name = path;
		}
		if (*name == '\0') {
			cmd_error(s, "%s: names a directory, not a file", w.w[first + 2]);
			goto out;
		}
	} else {
		dir = xstrdup(".");
	}
	if (core_folder_msg_save_part(m, w.w[first + 1], dir, name, force, &written, &err) < 0) {
		cmd_error(s, "message %zu part %s: %s%s", n, w.w[first + 1], err.msg,
			  err.kind == ERR_IO && !force ? " (saveattachment -f replaces it)" : "");
		goto out;
	}
	{
		struct str safe = STR_INIT;

		core_folder_sanitize(&safe, written, strlen(written), 0);
		cmd_out(s, "\"%s\"\n", str_cstr(&safe));
		str_free(&safe);
	}
	s->cur = n;
	rc = 0;
out:
	free(written);
	free(dir);
	free(path);
	core_folder_msg_free(&m);
	cmd_words_clear(&w);
	return rc;
}
