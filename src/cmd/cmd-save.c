#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base-file.h"
#include "base/base-xalloc.h"
#include "cmd/cmd-imap.h"
#include "cmd/cmd-session.h"

static const char *
shell_of(struct cmd_session *s)
{
	const char *sh = cmd_var(s, "SHELL");

	return sh != NULL && *sh != '\0' ? sh : "/bin/sh";
}

/* Runs `shell -c command [arg]`, feeding data to it when data is not NULL. */
static int
run(struct cmd_session *s, const char *command, const char *arg, const char *data, size_t len)
{
	int in[2] = {-1, -1}, status;
	void (*old_pipe)(int);
	void (*old_int)(int);
	pid_t pid;

	cmd_flush(s, 0);
	fflush(stdout);
	fflush(stderr);
	if (data != NULL && pipe2(in, O_CLOEXEC) < 0)
		return cmd_error(s, "cannot run %s: %s", command, strerror(errno));
	pid = fork();
	if (pid < 0) {
		if (data != NULL) {
			close(in[0]);
			close(in[1]);
		}
		return cmd_error(s, "cannot run %s: %s", command, strerror(errno));
	}
	if (pid == 0) {
		const char *sh = shell_of(s);

		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		if (data != NULL)
			dup2(in[0], 0);
		if (arg != NULL)
			execl(sh, sh, "-c", command, "sh", arg, (char *)NULL);
		else
			execl(sh, sh, "-c", command, (char *)NULL);
		_exit(127);
	}
	old_int = signal(SIGINT, SIG_IGN);
	if (data != NULL) {
		close(in[0]);
		old_pipe = signal(SIGPIPE, SIG_IGN);
		file_write_full(in[1], data, len);
		close(in[1]);
		signal(SIGPIPE, old_pipe);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			break;
	signal(SIGINT, old_int);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int
cmd_run_shell(struct cmd_session *s, const char *command, const char *data, size_t len)
{
	return run(s, command, NULL, data, len);
}

int
cmd_run_editor(struct cmd_session *s, const char *var, const char *path)
{
	const char *ed = cmd_var(s, var);
	char *command;
	int rc;

	if (ed == NULL || *ed == '\0')
		ed = getenv(var);
	if (ed == NULL || *ed == '\0')
		ed = strcmp(var, "VISUAL") == 0 ? "vi" : "ed";
	/* The path goes in as $1, never through the shell's parser. */
	command = xasprintf("%s \"$1\"", ed);
	rc = run(s, command, path, NULL, 0);
	free(command);
	return rc;
}

/* Splits "[msglist] last" into the list text (caller frees) and the last
 * word (caller frees); last is NULL when there are no words. */
static int
split_last(struct cmd_session *s, const char *args, char **list_r, char **last_r)
{
	struct cmd_words w;
	struct err err;

	*list_r = NULL;
	*last_r = NULL;
	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n > 0) {
		*last_r = xstrdup(w.w[w.n - 1]);
		*list_r = xstrndup(args, w.start[w.n - 1]);
	} else {
		*list_r = xstrdup("");
	}
	cmd_words_clear(&w);
	return 0;
}

static size_t *
selected(struct cmd_session *s, size_t *n_r)
{
	size_t *idx = xcalloc(s->count + 1, sizeof(*idx)), n = 0, k;

	for (k = 0; k < s->count; k++)
		if (s->sel[k])
			idx[n++] = k;
	*n_r = n;
	return idx;
}

static void
report_saved(struct cmd_session *s, const char *path, int existed, size_t *idx, size_t n)
{
	unsigned long long bytes = 0;
	unsigned long lines = 0;
	struct str safe = STR_INIT;
	size_t k;
	int url;

	for (k = 0; k < n; k++) {
		bytes += s->msgs[idx[k]].size;
		lines += s->msgs[idx[k]].lines;
	}
	/* A URL is shown without its password; a store named by URL (a
	 * server's folder, the notmuch store) is appended to, never a new
	 * file. */
	cmd_imap_shown(&safe, path, &url);
	cmd_out(s, "\"%s\" %s %lu/%llu\n", str_cstr(&safe),
		existed || url ? "[Appended]" : "[New file]",
		lines, bytes);
	str_free(&safe);
}

/* The file Save and Copy use: the author's login name, under +folder when
 * outfolder is set. */
static char *
author_file(struct cmd_session *s, size_t n, struct err *err)
{
	char *login = cmd_login_of(s->msgs[n].from_addr[0] ? s->msgs[n].from_addr
							   : s->msgs[n].from_name);
	char *plus, *path;

	if (!cmd_var_set(s, "outfolder"))
		return login;
	plus = xasprintf("+%s", login);
	path = cmd_expand_folder(s, plus, err);
	free(plus);
	free(login);
	return path;
}

int
cmd_do_save(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	char *list = NULL, *file = NULL, *path = NULL;
	size_t *idx = NULL, n, k;
	struct stat st;
	struct err err;
	int existed, rc = -1;
	int by_author = def->id == CMD_SAVE_AUTHOR || def->id == CMD_COPY_AUTHOR;
	int mark = def->id == CMD_SAVE || def->id == CMD_SAVE_AUTHOR;

	if (by_author) {
		list = xstrdup(args);
	} else if (split_last(s, args, &list, &file) < 0) {
		goto out;
	}
	if (cmd_msglist(s, list, 0) < 0)
		goto out;
	idx = selected(s, &n);
	if (by_author)
		path = author_file(s, idx[0], &err);
	else
		path = cmd_expand_folder(s, file != NULL ? file : "&", &err);
	if (path == NULL) {
		cmd_error_err(s, &err);
		goto out;
	}
	existed = stat(path, &st) == 0;
	if (core_folder_copy(s->folder, idx, n, path, &err) < 0) {
		cmd_error_err(s, &err);
		goto out;
	}
	report_saved(s, path, existed, idx, n);
	for (k = 0; k < n; k++) {
		s->msgs[idx[k]].state |= CMD_MSG_TOUCHED;
		if (mark)
			s->msgs[idx[k]].state |= CMD_MSG_SAVED;
		s->cur = idx[k] + 1;
	}
	rc = 0;
out:
	free(list);
	free(file);
	free(path);
	free(idx);
	return rc;
}

int
cmd_do_write(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	char *list = NULL, *file = NULL, *path = NULL;
	size_t *idx = NULL, n, k;
	struct str body = STR_INIT;
	struct stat st;
	struct err err;
	int existed, fd = -1, rc = -1;

	if (split_last(s, args, &list, &file) < 0)
		goto out;
	if (file == NULL) {
		cmd_error(s, "write needs a file name");
		goto out;
	}
	if (cmd_msglist(s, list, 0) < 0)
		goto out;
	idx = selected(s, &n);
	path = cmd_expand_folder(s, file, &err);
	if (path == NULL) {
		cmd_error_err(s, &err);
		goto out;
	}
	for (k = 0; k < n; k++) {
		struct core_folder_msg *m = cmd_parse_msg(s, idx[k] + 1);

		if (m == NULL)
			goto out;
		if (core_folder_msg_body_text(m, &body, &err) < 0) {
			core_folder_msg_free(&m);
			cmd_error(s, "message %zu: %s", idx[k] + 1, err.msg);
			goto out;
		}
		core_folder_msg_free(&m);
	}
	existed = stat(path, &st) == 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || file_write_full(fd, body.s ? body.s : "", body.len) < 0 || fsync(fd) < 0) {
		cmd_error(s, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	report_saved(s, path, existed, idx, n);
	for (k = 0; k < n; k++) {
		s->msgs[idx[k]].state |= CMD_MSG_TOUCHED | CMD_MSG_SAVED;
		s->cur = idx[k] + 1;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	str_free(&body);
	free(list);
	free(file);
	free(path);
	free(idx);
	return rc;
}

int
cmd_do_file(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	char *path;
	int rc;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n == 0) {
		cmd_words_clear(&w);
		if (s->folder == NULL)
			return cmd_error(s, "no folder is open");
		{
			size_t i, nnew = 0, ndel = 0;
			struct str name = STR_INIT;

			for (i = 0; i < s->count; i++) {
				if (s->msgs[i].state & CMD_MSG_DELETED)
					ndel++;
				else if ((s->msgs[i].state & CMD_MSG_NEW) &&
					 !(s->msgs[i].state & CMD_MSG_READ))
					nnew++;
			}
			cmd_imap_shown(&name, s->folder_shown, NULL);
			cmd_out(s, "\"%s\": %zu message%s", str_cstr(&name), s->count,
				s->count == 1 ? "" : "s");
			if (nnew)
				cmd_out(s, " %zu new", nnew);
			if (ndel)
				cmd_out(s, " %zu deleted", ndel);
			cmd_out(s, "\n");
			str_free(&name);
		}
		return 0;
	}
	if (w.n > 1) {
		cmd_words_clear(&w);
		return cmd_error(s, "%s takes one folder", def->name);
	}
	path = cmd_expand_folder(s, w.w[0], &err);
	cmd_words_clear(&w);
	if (path == NULL)
		return cmd_error_err(s, &err);
	if (s->folder != NULL)
		cmd_folder_close(s, 1);
	rc = cmd_folder_open(s, path, 0);
	free(path);
	if (rc < 0)
		return -1;
	{
		struct str name = STR_INIT;

		cmd_imap_shown(&name, s->folder_shown, NULL);
		cmd_out(s, "\"%s\": %zu message%s\n", str_cstr(&name), s->count,
			s->count == 1 ? "" : "s");
		str_free(&name);
	}
	if (s->count > 0)
		cmd_headers_page(s, s->cur);
	return 0;
}

int
cmd_do_folders(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	const char *dir = cmd_var(s, "folder");
	char **names = NULL, *root;
	size_t n = 0, i;
	struct err err;
	int rc = 0;

	if (dir == NULL || *dir == '\0')
		return cmd_error(s, "the folder variable is not set: set folder=DIRECTORY");
	root = cmd_expand_folder(s, "+", &err);
	if (root == NULL)
		return cmd_error_err(s, &err);
	if (core_folder_list(root, &names, &n, &err) < 0) {
		rc = cmd_error(s, "%s", err.msg);
	} else {
		for (i = 0; i < n; i++) {
			struct str safe = STR_INIT;

			core_folder_sanitize(&safe, names[i], strlen(names[i]), 0);
			cmd_out(s, "%s\n", str_cstr(&safe));
			str_free(&safe);
		}
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(root);
	return rc;
}

int
cmd_do_pipe(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	char *list = NULL, *command = NULL;
	struct str text = STR_INIT;
	size_t k;
	int status, rc = -1;

	if (split_last(s, args, &list, &command) < 0)
		goto out;
	/* "pipe 2" with cmd set: the one word is the message list. */
	if (command != NULL && *list == '\0' && cmd_var(s, "cmd") != NULL &&
	    strchr("0123456789.^$*:/+-", command[0]) != NULL) {
		free(list);
		list = command;
		command = NULL;
	}
	if (command == NULL) {
		const char *c = cmd_var(s, "cmd");

		if (c == NULL || *c == '\0') {
			cmd_error(s, "pipe needs a command (or set cmd)");
			goto out;
		}
		command = xstrdup(c);
	}
	if (cmd_msglist(s, list, 0) < 0)
		goto out;
	/* What the command reads is what `type` shows; collect it first. */
	{
		struct str saved = s->out;

		str_init(&s->out);
		for (k = 1; k <= s->count; k++) {
			if (!s->sel[k - 1])
				continue;
			if (cmd_type_msg(s, k, 0, -1) < 0) {
				str_free(&s->out);
				s->out = saved;
				goto out;
			}
			if (cmd_var_set(s, "page"))
				cmd_out(s, "\f");
			s->cur = k;
		}
		text = s->out;
		s->out = saved;
	}
	status = cmd_run_shell(s, command, text.s ? text.s : "", text.len);
	if (status != 0) {
		cmd_error(s, "pipe: %s exited with status %d", command, status);
		goto out;
	}
	rc = 0;
out:
	str_free(&text);
	free(list);
	free(command);
	return rc;
}

int
cmd_do_edit(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	const char *var = def->id == CMD_VISUAL ? "VISUAL" : "EDITOR";
	const char *tmpdir = getenv("TMPDIR");
	size_t n;
	int rc = 0;

	if (cmd_msglist(s, args, 0) < 0)
		return -1;
	if (tmpdir == NULL || *tmpdir == '\0')
		tmpdir = "/tmp";
	for (n = 1; n <= s->count; n++) {
		struct str raw = STR_INIT;
		char *path;
		char *after = NULL;
		size_t alen = 0;
		struct err err;
		int fd, status;

		if (!s->sel[n - 1])
			continue;
		if (cmd_fetch(s, n, &raw) < 0) {
			rc = -1;
			continue;
		}
		path = xasprintf("%s/petrel-edit-XXXXXX", tmpdir);
		fd = mkstemp(path);
		if (fd < 0 || file_write_full(fd, raw.s ? raw.s : "", raw.len) < 0) {
			rc = cmd_error(s, "cannot write a temporary copy in %s: %s", tmpdir,
				       strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(path);
			}
			free(path);
			str_free(&raw);
			continue;
		}
		close(fd);
		status = cmd_run_editor(s, var, path);
		if (status != 0)
			rc = cmd_error(s, "the editor exited with status %d", status);
		if (file_read_all(path, (size_t)1 << 30, &after, &alen, &err) == 0 &&
		    (alen != raw.len || memcmp(after, raw.s ? raw.s : "", alen) != 0))
			cmd_out(s, "Message %zu was edited on a copy: the folder keeps the original\n",
				n);
		free(after);
		unlink(path);
		free(path);
		str_free(&raw);
		s->msgs[n - 1].state |= CMD_MSG_READ | CMD_MSG_TOUCHED;
		s->cur = n;
	}
	return rc;
}

int
cmd_do_shell(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	int status;

	if (def->id == CMD_SHELL_ESCAPE) {
		if (*args == '\0')
			return cmd_error(s, "! needs a command");
		status = cmd_run_shell(s, args, NULL, 0);
	} else {
		status = cmd_run_shell(s, shell_of(s), NULL, 0);
	}
	if (status < 0)
		return -1;
	if (s->interactive)
		cmd_out(s, "!\n");
	return 0;
}

int
cmd_do_echo(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	size_t i;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	for (i = 0; i < w.n; i++)
		cmd_out(s, "%s%s", i ? " " : "", w.w[i]);
	cmd_out(s, "\n");
	cmd_words_clear(&w);
	return 0;
}

int
cmd_do_chdir(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	char *dir;
	int rc = 0;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	dir = w.n > 0 ? cmd_expand_folder(s, w.w[0], &err) : xstrdup(cmd_home());
	if (dir == NULL)
		rc = cmd_error_err(s, &err);
	else if (chdir(dir) < 0)
		rc = cmd_error(s, "cannot change to %s: %s", dir, strerror(errno));
	free(dir);
	cmd_words_clear(&w);
	return rc;
}

int
cmd_do_version(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	cmd_out(s, "petrel %s\n", PACKAGE_VERSION);
	return 0;
}
