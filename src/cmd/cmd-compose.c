#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-log.h"
#include "base/base-xalloc.h"
#include "cmd/cmd-msglist.h"
#include "cmd/cmd-session.h"

/* Largest file ~r, ~d or ~< reads into a message. */
#define READ_MAX ((size_t)64 << 20)

struct draft {
	char *subject;
	char **to, **cc, **bcc, **attach;
	size_t nto, ncc, nbcc, nattach;
	struct str body;
	char *in_reply_to;
	char *references;
	char *record;     /* followup: the file named after the author */
	size_t *answered; /* messages to flag answered once sent (0-based) */
	size_t nanswered;
};

enum collect_end { COLLECT_SEND, COLLECT_ABORT_SAVE, COLLECT_ABORT };

static void
strv_push(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(s);
}

static void
strv_free(char ***v, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

static void
draft_free(struct draft *d)
{
	free(d->subject);
	strv_free(&d->to, &d->nto);
	strv_free(&d->cc, &d->ncc);
	strv_free(&d->bcc, &d->nbcc);
	strv_free(&d->attach, &d->nattach);
	str_free(&d->body);
	free(d->in_reply_to);
	free(d->references);
	free(d->record);
	free(d->answered);
	memset(d, 0, sizeof(*d));
}

/* Adds each address of a comma or blank separated list. */
static void
add_addrs(struct cmd_session *s, char ***v, size_t *n, const char *list)
{
	char **out = NULL;
	size_t nout = 0, i;

	cmd_alias_expand(s, list, &out, &nout);
	for (i = 0; i < nout; i++)
		strv_push(v, n, out[i]);
	strv_free(&out, &nout);
}

static void
show_draft(struct cmd_session *s, struct draft *d)
{
	size_t i;

	cmd_out(s, "-------\nMessage contains:\n");
	if (d->nto) {
		cmd_out(s, "To:");
		for (i = 0; i < d->nto; i++)
			cmd_out(s, " %s", d->to[i]);
		cmd_out(s, "\n");
	}
	if (d->subject != NULL && *d->subject != '\0')
		cmd_out(s, "Subject: %s\n", d->subject);
	if (d->ncc) {
		cmd_out(s, "Cc:");
		for (i = 0; i < d->ncc; i++)
			cmd_out(s, " %s", d->cc[i]);
		cmd_out(s, "\n");
	}
	if (d->nbcc) {
		cmd_out(s, "Bcc:");
		for (i = 0; i < d->nbcc; i++)
			cmd_out(s, " %s", d->bcc[i]);
		cmd_out(s, "\n");
	}
	for (i = 0; i < d->nattach; i++)
		cmd_out(s, "Attachment: %s\n", d->attach[i]);
	cmd_out(s, "\n");
	core_folder_sanitize(&s->out, d->body.s ? d->body.s : "", d->body.len, 1);
	cmd_out(s, "(continue)\n");
}

static int
read_file_into(struct cmd_session *s, struct draft *d, const char *name)
{
	struct err err;
	char *path = cmd_expand_folder(s, name, &err), *data = NULL;
	size_t len = 0, lines = 0, i;

	if (path == NULL)
		return cmd_error_err(s, &err);
	if (file_read_all(path, READ_MAX, &data, &len, &err) < 0) {
		free(path);
		return cmd_error_err(s, &err);
	}
	str_append_len(&d->body, data, len);
	if (len > 0 && data[len - 1] != '\n')
		str_append_char(&d->body, '\n');
	for (i = 0; i < len; i++)
		lines += data[i] == '\n';
	cmd_out(s, "\"%s\" %zu/%zu\n", name, lines, len);
	free(data);
	free(path);
	return 0;
}

/* Runs the editor on the body (and reads it back). */
static int
edit_body(struct cmd_session *s, struct draft *d, const char *var)
{
	const char *tmpdir = getenv("TMPDIR");
	char *path, *data = NULL;
	size_t len = 0;
	struct err err;
	int fd, rc = -1;

	path = xasprintf("%s/petrel-draft-XXXXXX", tmpdir != NULL && *tmpdir ? tmpdir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0 || file_write_full(fd, d->body.s ? d->body.s : "", d->body.len) < 0) {
		cmd_error(s, "cannot write a temporary file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	if (cmd_run_editor(s, var, path) != 0)
		cmd_error(s, "the editor failed; the message is as it was before");
	else if (file_read_all(path, READ_MAX, &data, &len, &err) < 0)
		cmd_error_err(s, &err);
	else {
		str_reset(&d->body);
		str_append_len(&d->body, data, len);
		rc = 0;
	}
	cmd_out(s, "(continue)\n");
out:
	if (fd >= 0)
		unlink(path);
	free(path);
	free(data);
	return rc;
}

/* ~f and ~m: insert messages, quoted or not. */
static int
insert_messages(struct cmd_session *s, struct draft *d, const char *list, int quote, int all)
{
	const char *prefix = cmd_var(s, "indentprefix");
	struct str saved;
	size_t n;
	int rc = 0;

	if (s->folder == NULL)
		return cmd_error(s, "no folder is open: nothing to insert");
	if (*list == '\0' && s->cur == 0)
		return cmd_error(s, "no current message to insert");
	if (cmd_msglist(s, list, 0) < 0)
		return -1;
	saved = s->out;
	for (n = 1; n <= s->count; n++) {
		if (!s->sel[n - 1])
			continue;
		str_init(&s->out);
		if (cmd_type_msg(s, n, all, -1) < 0) {
			rc = -1;
		} else if (quote) {
			const char *p = s->out.s ? s->out.s : "";
			const char *end = p + s->out.len;

			while (p < end) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));
				size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

				str_append(&d->body, prefix != NULL ? prefix : "\t");
				str_append_len(&d->body, p, l);
				str_append_char(&d->body, '\n');
				p += l + (nl != NULL);
			}
		} else {
			str_append_len(&d->body, s->out.s ? s->out.s : "", s->out.len);
		}
		str_free(&s->out);
	}
	s->out = saved;
	cmd_out(s, "(continue)\n");
	return rc;
}

static void
tilde_help(struct cmd_session *s)
{
	cmd_out(s, "-------------------- ~ escapes --------------------\n"
		   "~~ text     a line starting with ~     ~. end the message\n"
		   "~s subject  set the subject             ~t names   add To recipients\n"
		   "~c names    add Cc recipients          ~b names   add Bcc recipients\n"
		   "~h          edit To, Subject, Cc, Bcc  ~a file    attach a file (also ~@)\n"
		   "~a          insert $sign               ~A         insert $Sign\n"
		   "~r file     read a file in (also ~<)   ~<!cmd     read a command's output\n"
		   "~d          read in dead.letter        ~w file    write the message to a file\n"
		   "~e          edit with $EDITOR          ~v         edit with $VISUAL\n"
		   "~f msgs     insert messages            ~m msgs    insert them quoted\n"
		   "~F, ~M      the same with every header ~p         show the message so far\n"
		   "~| cmd      pipe the body through cmd  ~! cmd     run a shell command\n"
		   "~: cmd      run a mail command         ~q         abort, saving dead.letter\n"
		   "~x          abort without saving\n"
		   "---------------------------------------------------\n");
}

/* "command > 'path'", with path quoted for the shell. */
static char *
redirect(const char *command, const char *path)
{
	struct str o = STR_INIT;
	const char *p;

	str_appendf(&o, "(%s) > '", command);
	for (p = path; *p != '\0'; p++) {
		if (*p == '\'')
			str_append(&o, "'\\''");
		else
			str_append_char(&o, *p);
	}
	str_append_char(&o, '\'');
	return str_detach(&o);
}

/* ~| cmd: the body goes through the command and its output replaces it. */
static int
pipe_body(struct cmd_session *s, struct draft *d, const char *command)
{
	const char *tmpdir = getenv("TMPDIR");
	char *path, *full, *data = NULL;
	size_t len = 0;
	struct err err;
	int fd, rc = -1;

	path = xasprintf("%s/petrel-pipe-XXXXXX", tmpdir != NULL && *tmpdir ? tmpdir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return cmd_error(s, "cannot make a temporary file: %s", strerror(errno));
	}
	close(fd);
	full = redirect(command, path);
	if (cmd_run_shell(s, full, d->body.s ? d->body.s : "", d->body.len) != 0) {
		cmd_error(s, "~|: %s failed; the message is as it was", command);
	} else if (file_read_all(path, READ_MAX, &data, &len, &err) < 0) {
		cmd_error_err(s, &err);
	} else {
		str_reset(&d->body);
		str_append_len(&d->body, data, len);
		rc = 0;
	}
	cmd_out(s, "(continue)\n");
	unlink(path);
	free(path);
	free(full);
	free(data);
	return rc;
}

static int
tilde(struct cmd_session *s, struct draft *d, const char *line)
{
	char c = line[1];
	const char *arg = line + 2;
	struct err err;

	while (*arg == ' ' || *arg == '\t')
		arg++;
	switch (c) {
	case '.':
		return 1;
	case 'q':
	case 'Q':
		return 2;
	case 'x':
		return 3;
	case '?':
		tilde_help(s);
		return 0;
	case 's':
		free(d->subject);
		d->subject = xstrdup(arg);
		return 0;
	case 't':
		add_addrs(s, &d->to, &d->nto, arg);
		return 0;
	case 'c':
		add_addrs(s, &d->cc, &d->ncc, arg);
		return 0;
	case 'b':
		add_addrs(s, &d->bcc, &d->nbcc, arg);
		return 0;
	case 'a':
	case 'A':
	case '@':
		if (c != '@' && *arg == '\0') {
			const char *sign = cmd_var(s, c == 'a' ? "sign" : "Sign");

			if (sign != NULL) {
				str_append(&d->body, sign);
				str_append_char(&d->body, '\n');
			}
			return 0;
		}
		if (*arg == '\0')
			return cmd_error(s, "~@ needs a file name");
		{
			char *path = cmd_expand_folder(s, arg, &err);

			if (path == NULL)
				return cmd_error_err(s, &err);
			if (access(path, R_OK) < 0) {
				cmd_error(s, "cannot attach %s: %s", arg, strerror(errno));
				free(path);
				return -1;
			}
			strv_push(&d->attach, &d->nattach, path);
			free(path);
		}
		return 0;
	case 'r':
	case '<':
		if (*arg == '!') {
			char *data = NULL;
			char *path;
			size_t len = 0;
			const char *tmpdir = getenv("TMPDIR");
			int fd;

			path = xasprintf("%s/petrel-read-XXXXXX",
					 tmpdir != NULL && *tmpdir ? tmpdir : "/tmp");
			fd = mkstemp(path);
			if (fd >= 0) {
				char *full = redirect(arg + 1, path);

				close(fd);
				if (cmd_run_shell(s, full, NULL, 0) == 0 &&
				    file_read_all(path, READ_MAX, &data, &len, &err) == 0)
					str_append_len(&d->body, data, len);
				unlink(path);
				free(full);
			}
			free(path);
			free(data);
			return 0;
		}
		if (*arg == '\0')
			return cmd_error(s, "~r needs a file name");
		return read_file_into(s, d, arg);
	case 'd':
		{
			const char *dead = cmd_var(s, "DEAD");

			return read_file_into(s, d, dead != NULL ? dead : "~/dead.letter");
		}
	case 'w':
		{
			char *path;
			int rc = 0;

			if (*arg == '\0')
				return cmd_error(s, "~w needs a file name");
			path = cmd_expand_folder(s, arg, &err);
			if (path == NULL)
				return cmd_error_err(s, &err);
			if (file_write_atomic(path, d->body.s ? d->body.s : "", d->body.len, 0600,
					      &err) < 0)
				rc = cmd_error_err(s, &err);
			else
				cmd_out(s, "\"%s\" %zu bytes\n", arg, d->body.len);
			free(path);
			return rc;
		}
	case 'e':
		return edit_body(s, d, "EDITOR");
	case 'v':
		return edit_body(s, d, "VISUAL");
	case 'f':
	case 'F':
		return insert_messages(s, d, arg, 0, c == 'F');
	case 'm':
	case 'M':
		return insert_messages(s, d, arg, 1, c == 'M');
	case 'p':
		show_draft(s, d);
		return 0;
	case '|':
		if (*arg == '\0')
			return cmd_error(s, "~| needs a command");
		return pipe_body(s, d, arg);
	case '!':
		cmd_run_shell(s, *arg ? arg : (cmd_var(s, "SHELL") ? cmd_var(s, "SHELL") : "/bin/sh"),
			      NULL, 0);
		return 0;
	case ':':
	case '_':
		cmd_execute(s, arg);
		return 0;
	case 'h':
		if (!s->interactive)
			return cmd_error(s, "~h needs a terminal");
		{
			char *l;

			l = cmd_read_line(s, "To: ");
			if (l != NULL && *l)
				add_addrs(s, &d->to, &d->nto, l);
			free(l);
			l = cmd_read_line(s, "Subject: ");
			if (l != NULL && *l) {
				free(d->subject);
				d->subject = l;
				l = NULL;
			}
			free(l);
			l = cmd_read_line(s, "Cc: ");
			if (l != NULL && *l)
				add_addrs(s, &d->cc, &d->ncc, l);
			free(l);
			l = cmd_read_line(s, "Bcc: ");
			if (l != NULL && *l)
				add_addrs(s, &d->bcc, &d->nbcc, l);
			free(l);
		}
		return 0;
	default:
		return cmd_error(s, "unknown tilde escape ~%c (~? lists them)", c ? c : ' ');
	}
}

/* Reads the body until end of input, "." (dot) or ~.; escapes: tilde
 * escapes are read. */
static enum collect_end
collect(struct cmd_session *s, struct draft *d, int escapes)
{
	const char *esc = cmd_var(s, "escape");
	char e = esc != NULL && *esc != '\0' ? *esc : '~';
	int dot = cmd_var_set(s, "dot");

	for (;;) {
		char *line = cmd_read_line(s, NULL);
		int r;

		if (line == NULL)
			return COLLECT_SEND;
		if (s->interrupted) {
			free(line);
			cmd_out(s, "(Interrupt -- one more to kill letter)\n");
			s->interrupted = 0;
			line = cmd_read_line(s, NULL);
			if (line == NULL)
				return COLLECT_SEND;
			if (s->interrupted) {
				free(line);
				return COLLECT_ABORT_SAVE;
			}
		}
		if (dot && strcmp(line, ".") == 0) {
			free(line);
			return COLLECT_SEND;
		}
		if (escapes && line[0] == e && line[1] != '\0') {
			if (line[1] == e) {
				str_append(&d->body, line + 1);
				str_append_char(&d->body, '\n');
				free(line);
				continue;
			}
			r = tilde(s, d, line);
			free(line);
			cmd_flush(s, 0);
			if (r == 1)
				return COLLECT_SEND;
			if (r == 2)
				return COLLECT_ABORT_SAVE;
			if (r == 3)
				return COLLECT_ABORT;
			continue;
		}
		str_append(&d->body, line);
		str_append_char(&d->body, '\n');
		free(line);
	}
}

static int
save_dead(struct cmd_session *s, const char *data, size_t len)
{
	const char *dead = cmd_var(s, "DEAD");
	struct err err;
	char *path;
	int rc;

	if (!cmd_var_set(s, "save"))
		return 0;
	path = cmd_expand_folder(s, dead != NULL && *dead ? dead : "~/dead.letter", &err);
	if (path == NULL)
		return cmd_error_err(s, &err);
	rc = core_send_dead_letter(path, data, len, &err);
	if (rc < 0)
		cmd_error(s, "cannot save the message in %s: %s", path, err.msg);
	free(path);
	return rc;
}

/* Builds the MIME message of a draft and its envelope recipients. */
static int
compose(struct cmd_session *s, struct draft *d, struct str *out, char ***rcpt, size_t *nrcpt,
	struct err *err)
{
	struct core_send_msg m;
	const char *from = s->opts->from != NULL ? s->opts->from : cmd_var(s, "from");

	memset(&m, 0, sizeof(m));
	m.from = from != NULL && *from != '\0' ? from : NULL;
	m.to = (const char *const *)d->to;
	m.nto = d->nto;
	m.cc = (const char *const *)d->cc;
	m.ncc = d->ncc;
	m.bcc = (const char *const *)d->bcc;
	m.nbcc = d->nbcc;
	m.subject = d->subject;
	m.in_reply_to = d->in_reply_to;
	m.references = d->references;
	m.body = d->body.s != NULL ? d->body.s : "";
	m.body_len = d->body.len;
	m.attach = (const char *const *)d->attach;
	m.nattach = d->nattach;
	return core_send_compose(&m, out, rcpt, nrcpt, err);
}

/* --- SMTP submission (smtp_url): the outbox, one connection a session --- */

static const char *
submit_var(void *ctx, const char *name)
{
	return cmd_var(ctx, name);
}

/* Asks on the terminal, without echo; only when a person is there. */
static int
submit_ask_password(void *ctx, const char *prompt, char **password_r)
{
	struct cmd_session *s = ctx;
	struct termios old, quiet;
	struct str line = STR_INIT;
	int ok = 0;

	*password_r = NULL;
	if (!s->interactive || tcgetattr(0, &old) < 0)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	fputs(prompt, stderr);
	fflush(stderr);
	if (tcsetattr(0, TCSAFLUSH, &quiet) < 0)
		return -1;
	for (;;) {
		char c;
		ssize_t n = read(0, &c, 1);

		/* An interrupt gives up, as it does everywhere else. */
		if (n <= 0)
			break;
		if (c == '\n') {
			ok = 1;
			break;
		}
		str_append_char(&line, c);
	}
	tcsetattr(0, TCSAFLUSH, &old);
	if (ok && line.len > 0)
		*password_r = str_detach(&line);
	if (line.cap > 0)
		explicit_bzero(line.s, line.cap);
	str_free(&line);
	return *password_r != NULL ? 0 : -1;
}

/* "petrel: sending... 42%" on standard error while a job runs, when it is
 * a terminal; done == total == 0 clears the line. */
static void
submit_progress(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	(void)ctx;
	if (!isatty(2))
		return;
	if (done == 0 && total == 0)
		fprintf(stderr, "\r%*s\r", 60, "");
	else if (total > 0)
		fprintf(stderr, "\rpetrel: %.40s... %3u%%", label,
			(unsigned)(done >= total ? 100 : done * 100 / total));
	else
		fprintf(stderr, "\rpetrel: %.40s...", label);
	fflush(stderr);
}

/* The session's submission handle for the settings as they are now. */
static int
submit_handle(struct cmd_session *s, struct err *err)
{
	struct core_submit_hooks h;
	const char *outbox = cmd_var(s, "outbox"), *dead = cmd_var(s, "DEAD");
	char *outbox_path = NULL, *dead_path = NULL;
	int rc = -1;

	if (outbox == NULL || *outbox == '\0')
		return err_set(err, ERR_USAGE,
			       "outbox is unset: messages for smtp_url need a place to wait");
	outbox_path = cmd_expand_folder(s, outbox, err);
	if (outbox_path == NULL)
		goto out;
	/* Refused messages go where interrupted ones go (save, DEAD). */
	if (cmd_var_set(s, "save")) {
		dead_path = cmd_expand_folder(s, dead != NULL && *dead ? dead : "~/dead.letter", err);
		if (dead_path == NULL)
			goto out;
	}
	memset(&h, 0, sizeof(h));
	h.ask_password = submit_ask_password;
	h.progress = submit_progress;
	h.ctx = s;
	h.outbox = outbox_path;
	h.dead_letter = dead_path;
	if (s->submit != NULL && !core_submit_matches(s->submit, submit_var, s, &h))
		core_submit_free(&s->submit);
	if (s->submit == NULL && core_submit_new(submit_var, s, &h, &s->submit, err) < 0)
		goto out;
	rc = 0;
out:
	free(outbox_path);
	free(dead_path);
	return rc;
}

/* One "petrel: ..." line, made safe for the terminal (server text). */
static void submit_say(struct cmd_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
submit_say(struct cmd_session *s, const char *fmt, ...)
{
	struct str raw = STR_INIT, clean = STR_INIT;
	va_list ap;

	va_start(ap, fmt);
	str_appendvf(&raw, fmt, ap);
	va_end(ap);
	core_folder_sanitize(&clean, str_cstr(&raw), raw.len, 0);
	cmd_error(s, "%s", str_cstr(&clean));
	str_free(&raw);
	str_free(&clean);
}

/* Tells what became of a message sent through smtp_url and sets the exit
 * status (75, EX_TEMPFAIL, while it waits in the outbox for the server).
 * Returns 0 when it was sent. */
static int
submit_outcome(struct cmd_session *s, const struct core_submit_report *rep, const char *data,
	       size_t len)
{
	int before = s->exit_status;

	switch (rep->outcome) {
	case CORE_SUBMIT_SENT:
		if (rep->err.kind != ERR_NONE)
			submit_say(s, "%s", rep->err.msg);
		if (rep->copy_failed)
			submit_say(s,
				   "sent, but the copy was not saved: %s; the message waits in "
				   "the outbox (%s) until petrel --flush-outbox saves it",
				   rep->copy_err.msg, rep->where);
		return 0;
	case CORE_SUBMIT_QUEUED:
		submit_say(s,
			   "%s; the message is queued in the outbox (%s): petrel --flush-outbox "
			   "sends it",
			   rep->err.msg, rep->where);
		if (before == 0 || before == EX_TEMPFAIL)
			s->exit_status = EX_TEMPFAIL;
		return -1;
	case CORE_SUBMIT_KEPT:
		submit_say(s,
			   "%s; the message is kept in the outbox (%s): once that is fixed, "
			   "petrel --flush-outbox sends it",
			   rep->err.msg, rep->where);
		return -1;
	case CORE_SUBMIT_REFUSED:
		if (rep->held)
			submit_say(s, "%s; the message is set aside in the outbox (%s)",
				   rep->err.msg, rep->where);
		else
			submit_say(s, "%s; the message is saved in %s", rep->err.msg, rep->where);
		return -1;
	case CORE_SUBMIT_UNSAVED:
		submit_say(s, "%s; the message is saved in dead.letter", rep->err.msg);
		save_dead(s, data, len);
		return -1;
	}
	return -1;
}

int
cmd_flush_outbox(struct cmd_session *s)
{
	struct core_submit_report rep;
	struct err err;
	const char *smtp = cmd_var(s, "smtp_url");
	int rc;

	if (smtp == NULL || *smtp == '\0') {
		cmd_error(s, "smtp_url is not set: there is no server to send the outbox to");
		return 1;
	}
	if (submit_handle(s, &err) < 0) {
		cmd_error_err(s, &err);
		return 1;
	}
	rc = core_submit_flush(s->submit, &rep, &err);
	for (size_t i = 0; i < rep.n_notes; i++)
		submit_say(s, "%s", rep.notes[i]);
	if (rc < 0 && rep.n_notes == 0)
		submit_say(s, "%s", err.msg);
	if (rc < 0 && rep.n_queued + rep.n_kept > 0)
		submit_say(s, "%zu sent; %zu still in the outbox (%s)", rep.n_sent,
			   rep.n_queued + rep.n_kept, rep.where);
	if (rep.held)
		log_warn("the outbox (%s) also holds messages the server refused for good; "
			 "they are set aside and not sent again",
			 rep.where);
	/* Only waiting for the server: try again later. */
	if (rc < 0 && rep.n_queued > 0 && rep.n_kept + rep.n_refused + rep.n_copy_failed == 0)
		s->exit_status = EX_TEMPFAIL;
	core_submit_report_clear(&rep);
	return s->exit_status;
}

/* Sends the draft; on failure it goes to dead.letter, or waits in the
 * outbox when it goes to smtp_url.  Returns 0 or -1. */
static int
send_draft(struct cmd_session *s, struct draft *d)
{
	struct core_send_params p;
	struct core_submit_report rep;
	struct str msg = STR_INIT;
	char **rcpt = NULL;
	size_t nrcpt = 0, i;
	struct err err;
	const char *record, *smtp;
	char *rec = NULL;
	int rc = -1;

	if (d->nto + d->ncc + d->nbcc == 0) {
		cmd_error(s, "no recipients: the message was not sent");
		goto dead_body;
	}
	if (compose(s, d, &msg, &rcpt, &nrcpt, &err) < 0) {
		cmd_error(s, "%s", err.msg);
		goto dead_body;
	}
	memset(&p, 0, sizeof(p));
	p.sendmail = cmd_var(s, "sendmail");
	p.envelope_from = s->opts->from;
	record = d->record != NULL ? d->record : cmd_var(s, "record");
	smtp = cmd_var(s, "smtp_url");
	if (smtp != NULL && *smtp != '\0') {
		/* The copy is the outbox's to make: the message leaves it
		 * only once it is both sent and copied. */
		if (record != NULL && *record != '\0' &&
		    (rec = cmd_expand_folder(s, record, &err)) == NULL)
			cmd_error(s, "no copy of the message can be kept in %s: %s", record, err.msg);
		if (submit_handle(s, &err) < 0) {
			cmd_error(s, "%s; the message is saved in dead.letter", err.msg);
			save_dead(s, msg.s, msg.len);
			goto out;
		}
		p.submit = s->submit;
		p.record = rec;
		p.report = &rep;
		core_send_deliver(&p, msg.s, msg.len, (const char *const *)rcpt, nrcpt, &err);
		rc = submit_outcome(s, &rep, msg.s, msg.len);
		core_submit_report_clear(&rep);
		if (rc < 0)
			goto out;
		rc = -1;
	} else {
		if (core_send_deliver(&p, msg.s, msg.len, (const char *const *)rcpt, nrcpt,
				      &err) < 0) {
			cmd_error(s, "%s; the message is saved in dead.letter", err.msg);
			save_dead(s, msg.s, msg.len);
			goto out;
		}
		/* A copy of what went out: record, or the followup/-F file. */
		if (record != NULL && *record != '\0') {
			rec = cmd_expand_folder(s, record, &err);
			if (rec == NULL ||
			    core_folder_append(rec, msg.s, msg.len, MIME_FLAG_SEEN, 0, &err) < 0)
				cmd_error(s, "sent, but no copy was kept in %s: %s", record, err.msg);
		}
	}
	if (s->folder != NULL && d->nanswered > 0) {
		for (i = 0; i < d->nanswered; i++)
			s->msgs[d->answered[i]].state |= CMD_MSG_ANSWERED;
		core_folder_set_flags(s->folder, d->answered, d->nanswered, MIME_FLAG_ANSWERED, 0,
				      &err);
	}
	rc = 0;
	goto out;
dead_body:
	/* Nothing could be built: keep the text itself. */
	{
		struct str raw = STR_INIT;

		str_appendf(&raw, "Subject: %s\n\n", d->subject ? d->subject : "");
		str_append_len(&raw, d->body.s ? d->body.s : "", d->body.len);
		save_dead(s, raw.s, raw.len);
		str_free(&raw);
	}
out:
	free(rec);
	core_send_strv_free(rcpt, nrcpt);
	str_free(&msg);
	return rc;
}

/* Asks for what is missing, reads the body and sends. */
static int
compose_and_send(struct cmd_session *s, struct draft *d, int escapes)
{
	enum collect_end end;

	if (s->interactive && d->subject == NULL && cmd_var_set(s, "asksub")) {
		d->subject = cmd_read_line(s, "Subject: ");
		if (d->subject == NULL)
			d->subject = xstrdup("");
	}
	if (s->interactive && cmd_var_set(s, "askbcc")) {
		char *l = cmd_read_line(s, "Bcc: ");

		if (l != NULL)
			add_addrs(s, &d->bcc, &d->nbcc, l);
		free(l);
	}
	end = collect(s, d, escapes);
	if (end == COLLECT_ABORT)
		return 0;
	if (end == COLLECT_ABORT_SAVE) {
		struct str raw = STR_INIT;

		str_append_len(&raw, d->body.s ? d->body.s : "", d->body.len);
		if (raw.len > 0)
			save_dead(s, raw.s, raw.len);
		str_free(&raw);
		cmd_out(s, "(message not sent)\n");
		return 0;
	}
	if (s->interactive && cmd_var_set(s, "askcc")) {
		char *l = cmd_read_line(s, "Cc: ");

		if (l != NULL)
			add_addrs(s, &d->cc, &d->ncc, l);
		free(l);
	}
	if (s->interactive)
		cmd_out(s, "EOT\n");
	cmd_flush(s, 0);
	return send_draft(s, d);
}

/* The message's author's address: Reply-To when given, else From. */
static void
add_author(struct cmd_session *s, struct draft *d, struct core_folder_msg *m, size_t n)
{
	char **a;
	size_t na = 0, i;

	a = core_folder_msg_addresses(m, "Reply-To", &na);
	if (na == 0) {
		core_send_strv_free(a, na);
		a = core_folder_msg_addresses(m, "From", &na);
	}
	if (na == 0 && s->msgs[n - 1].from_addr[0] != '\0')
		strv_push(&d->to, &d->nto, s->msgs[n - 1].from_addr);
	for (i = 0; i < na; i++)
		strv_push(&d->to, &d->nto, a[i]);
	core_send_strv_free(a, na);
}

static void
add_others(struct cmd_session *s, char ***v, size_t *n, struct core_folder_msg *m,
	   const char *field, struct draft *d)
{
	char **a;
	size_t na = 0, i, k;
	int metoo = cmd_var_set(s, "metoo");

	a = core_folder_msg_addresses(m, field, &na);
	for (i = 0; i < na; i++) {
		int dup = 0;

		if (!metoo && cmd_is_me(s, a[i]))
			continue;
		for (k = 0; k < d->nto; k++)
			dup |= strcasecmp(d->to[k], a[i]) == 0;
		for (k = 0; k < d->ncc; k++)
			dup |= strcasecmp(d->cc[k], a[i]) == 0;
		if (!dup)
			strv_push(v, n, a[i]);
	}
	core_send_strv_free(a, na);
}

static void
reply_headers(struct cmd_session *s, struct draft *d, struct core_folder_msg *m)
{
	char *subj = core_folder_msg_header(m, "Subject");
	char *id = core_folder_msg_header(m, "Message-ID");
	char *refs = core_folder_msg_header(m, "References");

	if (subj == NULL)
		subj = xstrdup("");
	if (strncasecmp(subj, "re:", 3) == 0)
		d->subject = subj;
	else {
		d->subject = xasprintf("Re: %s", subj);
		free(subj);
	}
	if (id != NULL && *id != '\0') {
		d->in_reply_to = xstrdup(id);
		d->references = refs != NULL && *refs != '\0' ? xasprintf("%s %s", refs, id)
							       : xstrdup(id);
	}
	free(id);
	free(refs);
}

/* The quoted original a reply starts with (the include variable). */
static void
quote_original(struct cmd_session *s, struct draft *d, struct core_folder_msg *m, size_t n)
{
	const char *inc = cmd_var(s, "include");
	const char *prefix = cmd_var(s, "indentprefix");
	const char *attr = cmd_var(s, "attribution");
	struct str text = STR_INIT;
	struct err err;
	const char *p, *end;

	if (inc != NULL && (strcmp(inc, "no") == 0 || strcmp(inc, "ask-no") == 0))
		return;
	if (core_folder_msg_body_text(m, &text, &err) < 0) {
		str_free(&text);
		return;
	}
	if (attr != NULL && *attr != '\0') {
		const struct cmd_msg *cm = &s->msgs[n - 1];

		for (p = attr; *p != '\0'; p++) {
			if (*p == '%' && p[1] == 'n') {
				str_append(&d->body, cm->from_name[0] ? cm->from_name : cm->from_addr);
				p++;
			} else if (*p == '%' && p[1] == 'a') {
				str_append(&d->body, cm->from_addr);
				p++;
			} else if (*p == '%' && p[1] == 'd') {
				char date[64] = "";
				struct tm tm;

				if (cm->date != 0 && localtime_r(&cm->date, &tm) != NULL)
					strftime(date, sizeof(date), "%a, %d %b %Y %H:%M", &tm);
				str_append(&d->body, date);
				p++;
			} else if (*p == '%' && p[1] == '%') {
				str_append_char(&d->body, '%');
				p++;
			} else {
				str_append_char(&d->body, *p);
			}
		}
		str_append_char(&d->body, '\n');
	}
	p = text.s ? text.s : "";
	end = p + text.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		str_append(&d->body, prefix != NULL ? prefix : "\t");
		str_append_len(&d->body, p, l);
		str_append_char(&d->body, '\n');
		p += l + (nl != NULL);
	}
	str_free(&text);
}

static int
reply(struct cmd_session *s, const char *args, int all, int record_author, int one)
{
	struct draft d;
	struct core_folder_msg *m = NULL;
	size_t n, first = 0;
	int rc = -1;

	memset(&d, 0, sizeof(d));
	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	d.answered = xcalloc(s->count + 1, sizeof(size_t));
	for (n = 1; n <= s->count; n++) {
		if (!s->sel[n - 1])
			continue;
		if (first != 0 && one)
			break;
		m = cmd_parse_msg(s, n);
		if (m == NULL)
			goto out;
		add_author(s, &d, m, n);
		if (all) {
			add_others(s, &d.to, &d.nto, m, "To", &d);
			add_others(s, &d.cc, &d.ncc, m, "Cc", &d);
		}
		if (first == 0) {
			first = n;
			reply_headers(s, &d, m);
			quote_original(s, &d, m, n);
		}
		d.answered[d.nanswered++] = n - 1;
		core_folder_msg_free(&m);
	}
	if (record_author) {
		char *login = cmd_login_of(s->msgs[first - 1].from_addr);

		if (cmd_var_set(s, "outfolder"))
			d.record = xasprintf("+%s", login);
		else
			d.record = xstrdup(login);
		free(login);
	}
	s->cur = first;
	if (s->interactive) {
		size_t i;

		cmd_out(s, "To:");
		for (i = 0; i < d.nto; i++)
			cmd_out(s, " %s", d.to[i]);
		cmd_out(s, "\nSubject: %s\n", d.subject ? d.subject : "");
		cmd_flush(s, 0);
	}
	rc = compose_and_send(s, &d, 1);
out:
	core_folder_msg_free(&m);
	draft_free(&d);
	return rc;
}

int
cmd_do_reply(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	int all = def->id == CMD_REPLY_ALL;

	if (cmd_var_set(s, "flipr"))
		all = !all;
	return reply(s, args, all, 0, all);
}

int
cmd_do_followup(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	return reply(s, args, 0, 1, def->id == CMD_FOLLOWUP);
}

int
cmd_do_mail(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct draft d;
	struct cmd_words w;
	struct err err;
	size_t i;
	int rc;

	memset(&d, 0, sizeof(d));
	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n == 0) {
		cmd_words_clear(&w);
		return cmd_error(s, "mail needs at least one address");
	}
	for (i = 0; i < w.n; i++)
		add_addrs(s, &d.to, &d.nto, w.w[i]);
	cmd_words_clear(&w);
	rc = compose_and_send(s, &d, 1);
	draft_free(&d);
	return rc;
}

int
cmd_send_mode(struct cmd_session *s)
{
	const struct cmd_opts *o = s->opts;
	struct draft d;
	size_t i;

	memset(&d, 0, sizeof(d));
	for (i = 0; i < o->noperands; i++)
		add_addrs(s, &d.to, &d.nto, o->operands[i]);
	for (i = 0; i < o->ncc; i++)
		add_addrs(s, &d.cc, &d.ncc, o->cc[i]);
	for (i = 0; i < o->nbcc; i++)
		add_addrs(s, &d.bcc, &d.nbcc, o->bcc[i]);
	for (i = 0; i < o->nattach; i++) {
		struct err err;
		char *path = cmd_expand_folder(s, o->attach[i], &err);

		if (path == NULL || access(path, R_OK) < 0) {
			cmd_error(s, "cannot attach %s: %s", o->attach[i],
				  path == NULL ? err.msg : strerror(errno));
			free(path);
			draft_free(&d);
			return 1;
		}
		strv_push(&d.attach, &d.nattach, path);
		free(path);
	}
	if (o->subject != NULL)
		d.subject = xstrdup(o->subject);
	if (o->record && d.nto > 0) {
		char *login = cmd_login_of(d.to[0]);

		d.record = cmd_var_set(s, "outfolder") ? xasprintf("+%s", login) : xstrdup(login);
		free(login);
	}
	/* Tilde escapes only when a person types the message: a script's
	 * body goes out as it is. */
	compose_and_send(s, &d, s->interactive);
	draft_free(&d);
	return s->exit_status;
}
