#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "cmd/cmd-fetch.h"
#include "cmd/cmd-hdr.h"
#include "cmd/cmd-imap.h"
#include "cmd/cmd-msglist.h"
#include "cmd/cmd-quit.h"
#include "cmd/cmd-session.h"
#include "cmd/cmd-tag.h"
#include "cmd/cmd.h"
#include "core/core-config.h"

/* Lines longer than this in a command file or on standard input are
 * refused: nothing a person types is that long. */
#define LINE_MAX_LEN (1024 * 1024)

static int intr_pipe[2] = {-1, -1};
static volatile sig_atomic_t got_intr;

static void
on_sigint(int sig)
{
	int e = errno;

	(void)sig;
	got_intr = 1;
	if (intr_pipe[1] >= 0 && write(intr_pipe[1], "", 1) < 0) {
		/* Nothing to do: the flag is set. */
	}
	errno = e;
}

static void
drain_interrupts(void)
{
	char buf[64];

	got_intr = 0;
	if (intr_pipe[0] >= 0)
		while (read(intr_pipe[0], buf, sizeof(buf)) > 0)
			;
}

static void
setup_signals(struct cmd_session *s)
{
	struct sigaction sa;

	if (s->opts->ignore_int || cmd_var_set(s, "ignore")) {
		signal(SIGINT, SIG_IGN);
		return;
	}
	if (!s->interactive)
		return;
	if (pipe2(intr_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return;
	core_folder_set_interrupt_fd(intr_pipe[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: an interrupted read returns */
	sigaction(SIGINT, &sa, NULL);
}

/* Output. */

void
cmd_out(struct cmd_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	str_appendvf(&s->out, fmt, ap);
	va_end(ap);
}

void
cmd_out_len(struct cmd_session *s, const char *data, size_t len)
{
	str_append_len(&s->out, data, len);
}

size_t
cmd_columns(struct cmd_session *s)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	long n;

	if (c != NULL && (n = strtol(c, NULL, 10)) > 0 && n < 100000)
		return (size_t)n;
	if (s->out_tty && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static size_t
rows(struct cmd_session *s)
{
	struct winsize ws;
	const char *c = getenv("LINES");
	long n;

	if (c != NULL && (n = strtol(c, NULL, 10)) > 0 && n < 100000)
		return (size_t)n;
	if (s->out_tty && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0)
		return ws.ws_row;
	return 24;
}

size_t
cmd_screen(struct cmd_session *s)
{
	long n = cmd_var_num(s, "screen", 0);

	if (n > 0)
		return (size_t)n;
	if (s->out_tty && rows(s) > 4)
		return rows(s) - 4;
	return 20;
}

void
cmd_flush(struct cmd_session *s, int paged)
{
	const char *crt = cmd_var(s, "crt");
	size_t lines = 0, i;

	if (s->out.len == 0)
		return;
	if (paged && s->out_tty && crt != NULL) {
		long limit = *crt != '\0' ? strtol(crt, NULL, 10) : (long)rows(s);

		for (i = 0; i < s->out.len; i++)
			lines += s->out.s[i] == '\n';
		if (limit > 0 && (long)lines > limit) {
			const char *pager = cmd_var(s, "PAGER");

			fflush(stdout);
			if (cmd_run_shell(s, pager != NULL && *pager != '\0' ? pager : "more",
					  s->out.s, s->out.len) >= 0) {
				str_reset(&s->out);
				return;
			}
		}
	}
	fwrite(s->out.s, 1, s->out.len, stdout);
	fflush(stdout);
	str_reset(&s->out);
}

int
cmd_error(struct cmd_session *s, const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	cmd_flush(s, 0);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "petrel: %s\n", line);
	fflush(stderr);
	s->exit_status = 1;
	return -1;
}

int
cmd_error_err(struct cmd_session *s, const struct err *err)
{
	return cmd_error(s, "%s", err->msg[0] != '\0' ? err->msg : "unknown error");
}

/* Debug trace file. */

static FILE *trace_file;

static void
trace_sink(enum log_level level, const char *line, void *ctx)
{
	FILE *f = ctx;

	(void)level;
	fprintf(f, "%s\n", line);
	fflush(f);
}

void
cmd_debug_file(const char *path)
{
	FILE *f = fopen(path, "ae");

	if (f == NULL) {
		fprintf(stderr, "petrel: cannot open trace file %s: %s\n", path, strerror(errno));
		return;
	}
	log_set_sink(trace_sink, f);
	if (trace_file != NULL)
		fclose(trace_file);
	trace_file = f;
	log_set_level(LOG_DEBUG);
	log_enable_channels(LOG_CH_ALL);
	log_trace(LOG_CH_CORE, "petrel %s: tracing to %s", PACKAGE_VERSION, path);
}

/* Reading lines. */

char *
cmd_read_line(struct cmd_session *s, const char *prompt)
{
	struct str line = STR_INIT;
	int c;

	cmd_flush(s, 0);
	if (s->interactive && prompt != NULL) {
		fputs(prompt, stdout);
		fflush(stdout);
	}
	str_append(&line, "");
	for (;;) {
		c = getc(stdin);
		if (c == EOF) {
			if (ferror(stdin) && errno == EINTR) {
				clearerr(stdin);
				s->interrupted = 1;
				fputs("\n", stdout);
				str_reset(&line);
				str_append(&line, "");
				return str_detach(&line);
			}
			if (line.len == 0) {
				str_free(&line);
				return NULL;
			}
			break;
		}
		if (c == '\n')
			break;
		if (line.len < LINE_MAX_LEN)
			str_append_char(&line, (char)c);
	}
	return str_detach(&line);
}

/* Conditions: is a command skipped because an if is false? */
static int
skipping(const struct cmd_session *s)
{
	size_t i;

	for (i = 0; i < s->nconds; i++)
		if (s->conds[i].dead || s->conds[i].cond == s->conds[i].in_else)
			return 1;
	return 0;
}

static int
do_if(struct cmd_session *s, const char *args)
{
	struct cmd_words w;
	struct err err;
	int cond, neg = 0;
	const char *what;

	if (s->nconds >= CMD_COND_MAX)
		return cmd_error(s, "if: nested too deep");
	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n != 1) {
		cmd_words_clear(&w);
		s->conds[s->nconds].cond = 0;
		s->conds[s->nconds].dead = 0;
		s->conds[s->nconds++].in_else = 0;
		return cmd_error(s, "if takes one condition: s, r, t or a variable name");
	}
	what = w.w[0];
	if (*what == '!')
		neg = 1, what++;
	if (strcmp(what, "s") == 0 || strcmp(what, "S") == 0)
		cond = s->sending;
	else if (strcmp(what, "r") == 0 || strcmp(what, "R") == 0)
		cond = !s->sending;
	else if (strcmp(what, "t") == 0 || strcmp(what, "T") == 0)
		cond = s->interactive;
	else
		cond = cmd_var(s, what) != NULL;
	s->conds[s->nconds].cond = neg ? !cond : cond;
	s->conds[s->nconds].dead = 0;
	s->conds[s->nconds++].in_else = 0;
	cmd_words_clear(&w);
	return 0;
}

int
cmd_msglist(struct cmd_session *s, const char *text, unsigned flags)
{
	struct err err;
	int n;

	if (s->folder == NULL)
		return cmd_error(s, "no folder is open");
	if (s->count == 0)
		return cmd_error(s, "no messages");
	n = cmd_msglist_parse(text, s->msgs, s->count, s->cur, flags, s->sel, &err);
	if (n < 0)
		return cmd_error_err(s, &err);
	return n;
}

typedef int handler_fn(struct cmd_session *, const struct cmd_def *, const char *);

static handler_fn *
handler_of(enum cmd_id id)
{
	switch (id) {
	case CMD_NEXT: return cmd_do_next;
	case CMD_ALIAS: return cmd_do_alias;
	case CMD_ALTERNATES: return cmd_do_alternates;
	case CMD_CHDIR: return cmd_do_chdir;
	case CMD_COPY: case CMD_COPY_AUTHOR: case CMD_SAVE: case CMD_SAVE_AUTHOR:
		return cmd_do_save;
	case CMD_DELETE: case CMD_DP: return cmd_do_delete;
	case CMD_DISCARD: case CMD_RETAIN: return cmd_do_ignore;
	case CMD_UNIGNORE: case CMD_UNRETAIN: return cmd_do_unignore;
	case CMD_ECHO: return cmd_do_echo;
	case CMD_EDIT: case CMD_VISUAL: return cmd_do_edit;
	case CMD_FILE: return cmd_do_file;
	case CMD_FOLDERS: return cmd_do_folders;
	case CMD_FOLLOWUP: case CMD_FOLLOWUP_ALL: return cmd_do_followup;
	case CMD_FROM: return cmd_do_from;
	case CMD_HEADERS: return cmd_do_headers;
	case CMD_HELP: return cmd_do_help;
	case CMD_HOLD: case CMD_TOUCH: case CMD_MBOX: return cmd_do_mark;
	case CMD_LIST: return cmd_do_list;
	case CMD_MAIL: return cmd_do_mail;
	case CMD_PIPE: return cmd_do_pipe;
	case CMD_PRINT: case CMD_PRINT_ALL: return cmd_do_type;
	case CMD_REPLY_SENDER: case CMD_REPLY_ALL: return cmd_do_reply;
	case CMD_SET: return cmd_do_set;
	case CMD_SHELL: case CMD_SHELL_ESCAPE: return cmd_do_shell;
	case CMD_SIZE: return cmd_do_size;
	case CMD_SOURCE: return cmd_do_source;
	case CMD_TOP: return cmd_do_top;
	case CMD_UNDELETE: return cmd_do_undelete;
	case CMD_UNSET: return cmd_do_unset;
	case CMD_UNALIAS: return cmd_do_unalias;
	case CMD_WRITE: return cmd_do_write;
	case CMD_Z: return cmd_do_z;
	case CMD_NUMBER: return cmd_do_number;
	case CMD_MIMEVIEW: return cmd_do_parts;
	case CMD_SAVEATTACHMENT: return cmd_do_saveattachment;
	case CMD_SHOWPART: return cmd_do_showpart;
	case CMD_VERSION: return cmd_do_version;
	case CMD_TAG: return cmd_do_tag;
	case CMD_MKFOLDER: return cmd_do_mkfolder;
	case CMD_RMFOLDER: return cmd_do_rmfolder;
	case CMD_MVFOLDER: return cmd_do_mvfolder;
	case CMD_GETPART: return cmd_do_getpart;
	default: return NULL;
	}
}

int
cmd_execute(struct cmd_session *s, const char *line)
{
	struct cmd_line cl;
	const struct cmd_def *def;
	struct err err;
	handler_fn *fn;
	int rc;

	if (cmd_lex_line(line, &cl, &err) < 0)
		return skipping(s) ? 0 : cmd_error_err(s, &err);
	if (cl.comment) {
		/* A blank line typed at the prompt means `next`, as in mail(1);
		 * in files and piped scripts it means nothing. */
		if (line[strspn(line, " \t")] == '#' || !s->interactive || s->source_depth > 0 ||
		    skipping(s))
			return 0;
	}
	def = cmd_table_lookup(cl.name);
	if (def == NULL)
		return skipping(s) ? 0 : cmd_error(s, "unknown command: %s", cl.name);
	if (def->id == CMD_IF) {
		if (skipping(s)) {
			/* Nested in a skipped branch: only track nesting. */
			if (s->nconds >= CMD_COND_MAX)
				return cmd_error(s, "if: nested too deep");
			s->conds[s->nconds].cond = 0;
			s->conds[s->nconds].in_else = 0;
			s->conds[s->nconds++].dead = 1;
			return 0;
		}
		return do_if(s, cl.args);
	}
	if (def->id == CMD_ELSE) {
		if (s->nconds == 0)
			return cmd_error(s, "else without if");
		if (s->conds[s->nconds - 1].in_else)
			return cmd_error(s, "else after else");
		s->conds[s->nconds - 1].in_else = 1;
		return 0;
	}
	if (def->id == CMD_ENDIF) {
		if (s->nconds == 0)
			return cmd_error(s, "endif without if");
		s->nconds--;
		return 0;
	}
	if (skipping(s))
		return 0;
	if ((def->flags & CMD_F_FOLDER) && s->folder == NULL)
		return cmd_error(s, "%s: no folder is open (send mode)", def->name);
	if (def->id == CMD_QUIT) {
		s->quit = 1;
		return 0;
	}
	if (def->id == CMD_EXIT) {
		s->quit = 2;
		return 0;
	}
	fn = handler_of(def->id);
	if (fn == NULL)
		return cmd_error(s, "%s: not available here", def->name);
	if (def->args == CMD_ARGS_NONE && *cl.args != '\0' && def->id != CMD_HELP)
		return cmd_error(s, "%s takes no arguments", def->name);
	rc = fn(s, def, cl.args);
	cmd_flush(s, 1);
	return rc;
}

int
cmd_source_file(struct cmd_session *s, const char *path, int optional)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	size_t conds = s->nconds;
	int rc = 0;

	if (s->source_depth >= CMD_SOURCE_MAX)
		return cmd_error(s, "source: %s: nested too deep", path);
	f = fopen(path, "re");
	if (f == NULL) {
		if (optional && errno == ENOENT)
			return 0;
		return cmd_error(s, "source: cannot read %s: %s", path, strerror(errno));
	}
	s->source_depth++;
	while ((n = getline(&line, &cap, f)) >= 0 && s->quit == 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (cmd_execute(s, line) < 0)
			rc = -1;
	}
	s->source_depth--;
	if (s->nconds > conds) {
		cmd_error(s, "source: %s: missing endif", path);
		s->nconds = conds;
	}
	free(line);
	fclose(f);
	return rc;
}

/* Folders. */

static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return 1;
	if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
		return 0;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static void
free_folder(struct cmd_session *s)
{
	free(s->msgs);
	free(s->sel);
	s->msgs = NULL;
	s->sel = NULL;
	s->count = 0;
	s->cur = 0;
}

static void
msg_from_summary(struct cmd_msg *m, const struct mime_summary *sum)
{
	memset(m, 0, sizeof(*m));
	m->from_addr = sum->from_addr ? sum->from_addr : "";
	m->from_name = sum->from_name ? sum->from_name : "";
	m->subject = sum->subject ? sum->subject : "";
	m->date = sum->date;
	m->size = sum->size;
	m->lines = sum->lines;
	if (sum->flags & MIME_FLAG_SEEN)
		m->state |= CMD_MSG_OLD_READ;
	else if (sum->flags & MIME_FLAG_RECENT)
		m->state |= CMD_MSG_NEW;
	if (sum->flags & MIME_FLAG_DELETED)
		m->state |= CMD_MSG_DELETED;
	if (sum->flags & MIME_FLAG_ANSWERED)
		m->state |= CMD_MSG_ANSWERED;
	if (sum->flags & MIME_FLAG_FLAGGED)
		m->state |= CMD_MSG_FLAGGED;
}

/*
 * Mail that came while the user sat at the prompt (IMAP IDLE, a local
 * folder that grew) joins the end of the list, so the numbers the user
 * has seen keep pointing at the same messages; a server that reset the
 * folder (new UIDVALIDITY) makes every number new, and says so.
 */
static void
take_news(struct cmd_session *s)
{
	size_t added, i, old = s->count;
	int reset;
	struct err err;

	if (s->folder == NULL)
		return;
	if (core_folder_take_news(s->folder, &added, &reset, &err) < 0) {
		cmd_error_err(s, &err);
		return;
	}
	if (!reset && added == 0)
		return;
	if (reset)
		old = 0;
	s->count = core_folder_count(s->folder);
	s->msgs = xreallocarray(s->msgs, s->count ? s->count : 1, sizeof(*s->msgs));
	s->sel = xrealloc(s->sel, s->count ? s->count : 1);
	for (i = old; i < s->count; i++) {
		msg_from_summary(&s->msgs[i], core_folder_summary(s->folder, i));
		s->sel[i] = 0;
	}
	if (reset) {
		s->cur = s->count ? 1 : 0;
		s->dot_shown = 0;
		s->page_top = 0;
		cmd_out(s, "%s was reset by the server: %zu messages, numbered anew.\n",
			s->folder_shown, s->count);
		return;
	}
	if (s->cur == 0)
		s->cur = old + 1;
	cmd_out(s, "New mail has arrived: %zu new message%s (%zu-%zu).\n", added,
		added == 1 ? "" : "s", old + 1, s->count);
}

int
cmd_folder_open(struct cmd_session *s, const char *path, int quiet_missing)
{
	struct core_folder_handle *h;
	struct err err;
	char *sysbox, *mbox;
	size_t i, first_new = 0, first_unread = 0;

	char *abs = NULL;

	/* A relative path must survive a later cd. */
	if (strstr(path, "://") == NULL && path[0] != '/') {
		char *cwd = getcwd(NULL, 0);

		if (cwd != NULL)
			abs = xasprintf("%s/%s", cwd, path);
		free(cwd);
	}
	if (core_folder_open(abs != NULL ? abs : path, 0, &h, &err) < 0) {
		free(abs);
		if (quiet_missing)
			return -1;
		return cmd_error(s, "%s", err.msg);
	}
	free_folder(s);
	s->folder = h;
	if (s->folder_name != NULL) {
		free(s->prev_folder);
		s->prev_folder = s->folder_name;
	}
	s->folder_name = abs != NULL ? abs : xstrdup(path);
	free(s->folder_shown);
	s->folder_shown = xstrdup(path);
	sysbox = cmd_system_mailbox(s->opts->user);
	mbox = cmd_mbox_path(s);
	s->system_mailbox = same_file(path, sysbox);
	s->is_mbox = same_file(path, mbox);
	free(sysbox);
	free(mbox);
	s->count = core_folder_count(h);
	s->msgs = xcalloc(s->count ? s->count : 1, sizeof(*s->msgs));
	s->sel = xcalloc(s->count ? s->count : 1, 1);
	for (i = 0; i < s->count; i++) {
		struct cmd_msg *m = &s->msgs[i];

		msg_from_summary(m, core_folder_summary(h, i));
		if (m->state & CMD_MSG_DELETED)
			continue;
		if (first_new == 0 && (m->state & CMD_MSG_NEW))
			first_new = i + 1;
		if (first_unread == 0 && !(m->state & CMD_MSG_OLD_READ))
			first_unread = i + 1;
	}
	s->cur = first_new ? first_new : first_unread ? first_unread : s->count ? 1 : 0;
	s->dot_shown = 0;
	s->page_top = 0;
	return 0;
}

static void
info_line(struct cmd_session *s)
{
	size_t i, nnew = 0, nunread = 0, ndel = 0;

	for (i = 0; i < s->count; i++) {
		unsigned st = s->msgs[i].state;

		if (st & CMD_MSG_DELETED)
			ndel++;
		else if ((st & CMD_MSG_NEW) && !(st & CMD_MSG_READ))
			nnew++;
		else if (!CMD_MSG_IS_READ(&s->msgs[i]))
			nunread++;
	}
	{
		struct str name = STR_INIT;

		cmd_imap_shown(&name, s->folder_shown, NULL);
		cmd_out(s, "\"%s\": %zu message%s", str_cstr(&name), s->count,
			s->count == 1 ? "" : "s");
		str_free(&name);
	}
	if (nnew)
		cmd_out(s, " %zu new", nnew);
	if (nunread)
		cmd_out(s, " %zu unread", nunread);
	if (ndel)
		cmd_out(s, " %zu deleted", ndel);
	if (core_folder_read_only(s->folder))
		cmd_out(s, " [Read only]");
	cmd_out(s, "\n");
}

void
cmd_header_line(struct cmd_session *s, size_t n)
{
	cmd_hdr_line(&s->out, &s->msgs[n - 1], n, n == s->cur, cmd_columns(s),
		     cmd_var_set(s, "showname"));
	cmd_out(s, "\n");
}

void
cmd_headers_page(struct cmd_session *s, size_t around)
{
	size_t screen = cmd_screen(s), top, n, shown = 0;

	if (s->count == 0) {
		cmd_out(s, "no messages\n");
		return;
	}
	if (around == 0)
		around = 1;
	top = ((around - 1) / screen) * screen + 1;
	s->page_top = top;
	for (n = top; n <= s->count && shown < screen; n++) {
		if (s->msgs[n - 1].state & CMD_MSG_DELETED)
			continue;
		cmd_header_line(s, n);
		shown++;
	}
}

/* mailx's `keep`: an emptied local folder file is removed unless set. */
static void
remove_if_empty(struct cmd_session *s, const char *path)
{
	struct stat st;

	if (cmd_var_set(s, "keep") || strstr(path, "://") != NULL)
		return;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
		unlink(path);
}

int
cmd_folder_close(struct cmd_session *s, int write)
{
	struct cmd_quit_opts qo;
	struct err err;
	size_t *to_mbox = NULL, *gone = NULL, *seen = NULL, *old = NULL;
	size_t nmbox = 0, ngone = 0, nseen = 0, nold = 0, nkept = 0, i;
	char *mbox = NULL;
	int rc = 0;

	if (s->folder == NULL)
		return 0;
	if (!write || core_folder_read_only(s->folder)) {
		core_folder_close(&s->folder, 0, NULL);
		free_folder(s);
		return 0;
	}
	memset(&qo, 0, sizeof(qo));
	qo.system_mailbox = s->system_mailbox;
	qo.is_mbox = s->is_mbox;
	qo.hold = cmd_var_set(s, "hold");
	qo.keepsave = cmd_var_set(s, "keepsave");
	to_mbox = xcalloc(s->count + 1, sizeof(size_t));
	gone = xcalloc(s->count + 1, sizeof(size_t));
	seen = xcalloc(s->count + 1, sizeof(size_t));
	old = xcalloc(s->count + 1, sizeof(size_t));
	for (i = 0; i < s->count; i++) {
		unsigned st = s->msgs[i].state;

		if (st & CMD_MSG_READ)
			seen[nseen++] = i;
		switch (cmd_quit_fate(st, &qo)) {
		case CMD_QUIT_MBOX:
			to_mbox[nmbox++] = i;
			break;
		case CMD_QUIT_REMOVE:
			gone[ngone++] = i;
			break;
		case CMD_QUIT_KEEP:
			nkept++;
			old[nold++] = i;
			break;
		}
	}
	/* Read messages are marked so before they are copied to mbox. */
	if (core_folder_set_flags(s->folder, seen, nseen, MIME_FLAG_SEEN, 0, &err) < 0) {
		cmd_error(s, "%s: %s; the folder is left as it was", s->folder_shown, err.msg);
		core_folder_close(&s->folder, 0, NULL);
		rc = -1;
		goto out;
	}
	if (nmbox > 0) {
		mbox = cmd_mbox_path(s);
		if ((cmd_var_set(s, "append") ? core_folder_copy(s->folder, to_mbox, nmbox, mbox, &err)
					      : core_folder_prepend(s->folder, to_mbox, nmbox, mbox,
								    &err)) < 0) {
			/* Nothing may be lost: keep them in the folder. */
			cmd_error(s, "%s; messages kept in %s", err.msg, s->folder_shown);
			for (i = 0; i < nmbox; i++)
				old[nold++] = to_mbox[i];
			nkept += nmbox;
			nmbox = 0;
			rc = -1;
		}
	}
	if (core_folder_set_flags(s->folder, to_mbox, nmbox, MIME_FLAG_DELETED, 0, &err) < 0 ||
	    core_folder_set_flags(s->folder, gone, ngone, MIME_FLAG_DELETED, 0, &err) < 0 ||
	    core_folder_set_flags(s->folder, old, nold, 0, MIME_FLAG_RECENT | MIME_FLAG_DELETED,
				  &err) < 0) {
		cmd_error(s, "%s: %s; the folder is left as it was", s->folder_shown, err.msg);
		core_folder_close(&s->folder, 0, NULL);
		rc = -1;
		goto out;
	}
	if (core_folder_close(&s->folder, 1, &err) < 0) {
		cmd_error(s, "%s: %s", s->folder_shown, err.msg);
		rc = -1;
		goto out;
	}
	if (nmbox > 0 && !cmd_var_set(s, "quiet"))
		cmd_out(s, "Saved %zu message%s in %s\n", nmbox, nmbox == 1 ? "" : "s", mbox);
	if (nkept == 0)
		remove_if_empty(s, s->folder_name);
	else if (s->system_mailbox && !cmd_var_set(s, "quiet"))
		cmd_out(s, "Held %zu message%s in %s\n", nkept, nkept == 1 ? "" : "s",
			s->folder_shown);
out:
	cmd_flush(s, 0);
	free(mbox);
	free(to_mbox);
	free(gone);
	free(seen);
	free(old);
	free_folder(s);
	return rc;
}

/* Start-up. */

static void
load_config(struct cmd_session *s)
{
	struct err err;
	char *path;
	size_t i;

	s->cfg = config_new();
	if (!s->opts->no_sysrc) {
		char *sys = xasprintf("%s/petrel.rc", PETREL_SYSCONFDIR);

		if (access(sys, F_OK) == 0)
			config_load_file(s->cfg, sys, CONFIG_LOAD_MAILRC | CONFIG_LOAD_OPTIONAL, &err);
		else
			config_load_file(s->cfg, "/etc/mail.rc",
					 CONFIG_LOAD_MAILRC | CONFIG_LOAD_OPTIONAL, &err);
		free(sys);
	}
	path = config_mailrc_path();
	if (path != NULL)
		config_load_file(s->cfg, path, CONFIG_LOAD_MAILRC | CONFIG_LOAD_OPTIONAL, &err);
	free(path);
	path = s->opts->config_file != NULL ? xstrdup(s->opts->config_file) : config_default_path();
	if (path != NULL)
		config_load_file(s->cfg, path,
				 s->opts->config_file != NULL ? 0 : CONFIG_LOAD_OPTIONAL, &err);
	free(path);
	for (i = 0; i < config_error_count(s->cfg); i++)
		fprintf(stderr, "petrel: %s\n", config_error(s->cfg, i));
	for (i = 0; i < s->opts->nvars; i++) {
		const char *a = s->opts->vars[i];
		const char *eq = strchr(a, '=');
		char *name = eq ? xstrndup(a, (size_t)(eq - a)) : xstrdup(a);

		/* mailx takes any name with -S; the config only its own. */
		if (config_set_override(s->cfg, a, &err) < 0 && vars_lookup(name) >= 0 &&
		    !(strncmp(name, "no", 2) == 0 && vars_lookup(name + 2) >= 0)) {
			fprintf(stderr, "petrel: -S %s: %s\n", a, err.msg);
		} else if (vars_lookup(name) < 0) {
			if (strncmp(name, "no", 2) == 0 && !eq)
				cmd_var_assign(s, name + 2, NULL, &err);
			else
				cmd_var_assign(s, name, eq ? eq + 1 : "", &err);
		}
		free(name);
	}
}

/* A command built from a record of petrel's own config file. */
static void
run_record(struct cmd_session *s, const char *command, const struct config_record *r)
{
	struct str line = STR_INIT;
	size_t i;

	str_append(&line, command);
	for (i = 0; i < r->argc; i++) {
		const char *p;

		str_append(&line, " '");
		for (p = r->argv[i]; *p != '\0'; p++) {
			if (*p == '\'')
				str_append(&line, "'\\''");
			else
				str_append_char(&line, *p);
		}
		str_append_char(&line, '\'');
	}
	cmd_execute(s, str_cstr(&line));
	str_free(&line);
}

/* The MAILRC lines the config handed back (alias, ignore, if...), after
 * the alias, ignore and alternates commands of petrel's own config. */
static void
run_mailrc_lines(struct cmd_session *s)
{
	const struct config_mailrc_line *lines;
	const struct config_record *recs;
	size_t n, i;
	int status = s->exit_status;

	recs = config_records(s->cfg, &n);
	s->source_depth++;
	for (i = 0; i < n; i++) {
		if (recs[i].account != NULL)
			continue;
		switch (recs[i].kind) {
		case CONFIG_REC_ALIAS: run_record(s, "alias", &recs[i]); break;
		case CONFIG_REC_UNALIAS: run_record(s, "unalias", &recs[i]); break;
		case CONFIG_REC_IGNORE: run_record(s, "ignore", &recs[i]); break;
		case CONFIG_REC_UNIGNORE: run_record(s, "unignore", &recs[i]); break;
		case CONFIG_REC_ALTERNATES: run_record(s, "alternates", &recs[i]); break;
		default: break;
		}
	}
	s->source_depth--;

	lines = config_mailrc_lines(s->cfg, &n);
	s->source_depth++;
	for (i = 0; i < n; i++)
		cmd_execute(s, lines[i].text);
	s->source_depth--;
	s->nconds = 0;
	/* A bad start-up line is reported but does not fail the run. */
	s->exit_status = status;
}

static void
session_free(struct cmd_session *s)
{
	size_t i, j;

	if (s->folder != NULL)
		core_folder_close(&s->folder, 0, NULL);
	free_folder(s);
	/* SMTP submission: QUIT on the connection the session's messages shared. */
	core_submit_free(&s->submit);
	for (i = 0; i < s->nvars; i++) {
		free(s->vars[i].name);
		free(s->vars[i].value);
	}
	free(s->vars);
	for (i = 0; i < s->naliases; i++) {
		for (j = 0; j < s->aliases[i].n; j++)
			free(s->aliases[i].addrs[j]);
		free(s->aliases[i].addrs);
		free(s->aliases[i].name);
	}
	free(s->aliases);
	for (i = 0; i < s->nignore; i++)
		free(s->ignore[i]);
	free(s->ignore);
	for (i = 0; i < s->nretain; i++)
		free(s->retain[i]);
	free(s->retain);
	for (i = 0; i < s->nalternates; i++)
		free(s->alternates[i]);
	free(s->alternates);
	free(s->folder_name);
	free(s->folder_shown);
	free(s->prev_folder);
	str_free(&s->out);
	config_free(&s->cfg);
}

static int
receive_mode(struct cmd_session *s)
{
	const struct cmd_opts *o = s->opts;
	struct err err;
	char *path;
	const char *name;

	if (o->folder_flag)
		name = o->noperands > 0 ? o->operands[0] : "&";
	else
		name = "%";
	path = cmd_expand_folder(s, name, &err);
	if (path == NULL)
		return cmd_error_err(s, &err), 1;
	if (o->check) {
		struct core_folder_handle *h;
		size_t i, n = 0;

		if (core_folder_open(path, 1, &h, &err) < 0) {
			free(path);
			return 1;
		}
		for (i = 0; i < core_folder_count(h); i++)
			if (!(core_folder_summary(h, i)->flags & MIME_FLAG_DELETED))
				n++;
		core_folder_close(&h, 0, NULL);
		free(path);
		return n > 0 ? 0 : 1;
	}
	if (cmd_folder_open(s, path, !o->folder_flag) < 0) {
		if (!o->folder_flag) {
			struct stat st;

			if (stat(path, &st) < 0 && errno == ENOENT) {
				cmd_error(s, "no mail for %s",
					  o->user != NULL ? o->user
							  : (getenv("USER") ? getenv("USER") : path));
			} else if (core_folder_open(path, 1, &s->folder, &err) < 0) {
				cmd_error(s, "%s", err.msg);
			}
			if (s->folder != NULL)
				core_folder_close(&s->folder, 0, NULL);
		}
		free(path);
		return 1;
	}
	free(path);
	if (!o->folder_flag && s->count == 0) {
		cmd_error(s, "no mail for %s", o->user != NULL ? o->user
					    : (getenv("USER") ? getenv("USER") : s->folder_name));
		cmd_folder_close(s, 0);
		return 1;
	}
	if (o->headers_only) {
		/* One line per message of a folder that may hold 100,000: the
		 * variables are read once, and the output goes out in pieces
		 * rather than held whole. */
		int show_name = cmd_var_set(s, "showname");
		size_t n, width = cmd_columns(s);

		/* Nothing more is asked of the folder: its store logs out and
		 * closes its caches while the listing is written. */
		core_folder_close_begin(s->folder);
		for (n = 1; n <= s->count; n++) {
			if (s->msgs[n - 1].state & CMD_MSG_DELETED)
				continue;
			cmd_hdr_line(&s->out, &s->msgs[n - 1], n, n == s->cur, width, show_name);
			str_append_char(&s->out, '\n');
			if (s->out.len >= 64 * 1024)
				cmd_flush(s, 0);
		}
		cmd_flush(s, 0);
		cmd_folder_close(s, 0);
		return s->exit_status;
	}
	if (s->interactive && !cmd_var_set(s, "quiet"))
		cmd_out(s, "petrel %s.  Type ? for help.\n", PACKAGE_VERSION);
	if (!o->no_header && cmd_var(s, "noheader") == NULL) {
		info_line(s);
		cmd_headers_page(s, s->cur);
	}
	cmd_flush(s, 0);
	for (;;) {
		const char *prompt = cmd_var(s, "prompt");
		char *line;

		drain_interrupts();
		s->interrupted = 0;
		/* Scripts keep the numbering they started with. */
		if (s->interactive)
			take_news(s);
		line = cmd_read_line(s, prompt != NULL ? prompt : "? ");
		if (line == NULL) {
			if (s->interactive && cmd_var_set(s, "ignoreeof")) {
				clearerr(stdin);
				cmd_out(s, "Use \"quit\" to quit.\n");
				continue;
			}
			s->quit = 1;
			break;
		}
		cmd_execute(s, line);
		free(line);
		cmd_flush(s, 0);
		if (s->quit)
			break;
	}
	cmd_folder_close(s, s->quit == 1);
	return s->exit_status;
}

int
cmd_main(const struct cmd_opts *opts, enum cmd_face face)
{
	struct cmd_session s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.opts = opts;
	s.interactive = isatty(0);
	s.out_tty = isatty(1);
	s.sending = face == CMD_FACE_SEND;
	core_folder_msg_init();
	/* What the layers below have to say (warnings, "created a new store
	 * in ...") reaches the user as "petrel: ..." lines on stderr; a trace
	 * file, when asked for, takes over. */
	log_set_sink(log_sink_stdio, stderr);
	log_set_level(LOG_INFO);
	if (opts->debug_file != NULL)
		cmd_debug_file(opts->debug_file);
	load_config(&s);
	/* Named notmuch queries and notmuch_db, for the workers to come. */
	core_store_setup(s.cfg);
	/* pop3:// folders: credentials, TLS and timeouts. */
	core_account_setup(s.cfg);
	/* imap:// folders: the password prompt and progress lines. */
	cmd_imap_setup(&s);
	if (opts->debug_file == NULL && cmd_var(&s, "debug_file") != NULL &&
	    *cmd_var(&s, "debug_file") != '\0')
		cmd_debug_file(cmd_var(&s, "debug_file"));
	run_mailrc_lines(&s);
	setup_signals(&s);
	if (face == CMD_FACE_SEND)
		rc = cmd_send_mode(&s);
	else if (face == CMD_FACE_INIT_STORE)
		rc = cmd_init_store(&s);
	else if (face == CMD_FACE_FETCH)
		rc = cmd_fetch_pop3(&s);
	else if (face == CMD_FACE_FLUSH_OUTBOX)
		rc = cmd_flush_outbox(&s);
	else
		rc = receive_mode(&s);
	session_free(&s);
	core_store_reset();
	core_account_reset();
	core_folder_msg_shutdown();
	log_set_sink(NULL, NULL);
	if (trace_file != NULL) {
		fclose(trace_file);
		trace_file = NULL;
	}
	return rc;
}
