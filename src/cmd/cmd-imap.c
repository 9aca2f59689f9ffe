/*
 * Commands for folders on a server (see the header).  The face asks the
 * store through core only: these work on any folder whose store can do
 * it, and say so clearly where it cannot.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/base-arena.h"
#include "base/base-url.h"
#include "base/base-xalloc.h"
#include "cmd/cmd-hdr.h"
#include "cmd/cmd-imap.h"
#include "cmd/cmd-lex.h"

/* getpart asks for the part this many bytes at a time. */
#define PART_CHUNK (1024 * 1024)
/* Progress shows only for jobs that run at least this long. */
#define PROGRESS_AFTER_MS 500

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- folders ---- */

static int
manage(struct cmd_session *s, const char *what, int op, const char *args)
{
	struct cmd_words w;
	struct err err;
	int rc = 0;

	if (cmd_lex_words(args, &w, &err) < 0)
		return cmd_error_err(s, &err);
	if (w.n == 0) {
		cmd_words_clear(&w);
		return cmd_error(s, "%s: which folder?", what);
	}
	if (op == CORE_FOLDER_RENAME && w.n != 2) {
		cmd_words_clear(&w);
		return cmd_error(s, "mvfolder takes a folder and its new name");
	}
	for (size_t i = 0; i < w.n && (op != CORE_FOLDER_RENAME || i == 0); i++) {
		char *from = cmd_expand_folder(s, w.w[i], &err), *to = NULL;

		if (from == NULL) {
			rc = cmd_error_err(s, &err);
			continue;
		}
		if (op == CORE_FOLDER_RENAME && (to = cmd_expand_folder(s, w.w[1], &err)) == NULL) {
			rc = cmd_error_err(s, &err);
		} else if (core_folder_manage(op, from, to, &err) < 0) {
			rc = cmd_error(s, "%s: %s", what, err.msg);
		}
		free(from);
		free(to);
	}
	cmd_words_clear(&w);
	return rc;
}

int
cmd_do_mkfolder(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	(void)def;
	return manage(s, "mkfolder", CORE_FOLDER_CREATE, args);
}

int
cmd_do_rmfolder(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	(void)def;
	return manage(s, "rmfolder", CORE_FOLDER_DELETE, args);
}

int
cmd_do_mvfolder(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	(void)def;
	return manage(s, "mvfolder", CORE_FOLDER_RENAME, args);
}

/* ---- one part ---- */

static int
part_name_ok(const char *p)
{
	if (*p == '\0' || *p == '.')
		return 0;
	for (; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] != '.' && p[1] != '\0')))
			return 0;
	return 1;
}

/* The first message of a list of one ("3", "$", "."). */
static size_t
one_msg(struct cmd_session *s, const char *word)
{
	if (cmd_msglist(s, word, 0) < 0)
		return 0;
	for (size_t n = 1; n <= s->count; n++)
		if (s->sel[n - 1])
			return n;
	return 0;
}

/* Lists message n's parts as the server describes them, as `parts` does
 * from the whole message. */
static int
list_parts(struct cmd_session *s, size_t n, const struct core_part *pl, size_t np)
{
	cmd_out(s, "Message %zu:\n", n);
	for (size_t i = 0; i < np; i++) {
		struct str line = STR_INIT, safe = STR_INIT;
		char size[32];

		if (pl[i].path[0] == '\0')
			continue;
		cmd_hdr_size(size, sizeof(size), pl[i].size);
		str_appendf(&line, "%*s%-6s %s %s", (int)(pl[i].depth * 2), "", pl[i].path,
		            pl[i].type, pl[i].container ? "" : size);
		if (pl[i].filename[0] != '\0')
			str_appendf(&line, " \"%s\"", pl[i].filename);
		if (strcmp(pl[i].disposition, "attachment") == 0)
			str_append(&line, " [attachment]");
		core_folder_sanitize(&safe, line.s, line.len, 0);
		cmd_out(s, "%s\n", str_cstr(&safe));
		str_free(&line);
		str_free(&safe);
	}
	return 0;
}

/* getpart draws its own progress line (bytes of the whole part), so the
 * per-range one from core is turned off meanwhile. */
static void progress(void *ctx, uint64_t done, uint64_t total, const char *label);

static void
quiet_progress(int quiet)
{
	if (quiet)
		core_folder_set_progress(NULL, NULL);
	else if (isatty(2))
		core_folder_set_progress(progress, NULL);
}

/*
 * getpart message: the part list from the server (BODYSTRUCTURE), without
 * the message.  getpart message part: the part's MIME header ("N.MIME")
 * and its raw body, in ranges, make a message of one part, which the MIME
 * layer decodes and saves with the safe naming saveattachment uses.
 * Nothing is written before every range arrived, so an interrupt (SIGINT
 * stops the job after its current range) leaves no partial file.
 */
int
cmd_do_getpart(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct str ent = STR_INIT;
	struct core_folder_msg *m = NULL;
	const struct core_folder_part *parts;
	struct arena *arena = arena_new();
	struct core_part *pl = NULL;
	char *mime = NULL, *written = NULL, *dir = NULL, *path = NULL, label[64];
	const char *name = NULL, *part;
	size_t n, nparts, first = 0, hdr, npl = 0;
	uint64_t off = 0, total = 0;
	struct err err;
	int force = 0, rc = -1, have_structure = 0, quiet = 0;

	(void)def;
	if (cmd_lex_words(args, &w, &err) < 0)
		return cmd_error_err(s, &err);
	if (w.n > 0 && strcmp(w.w[0], "-f") == 0)
		force = 1, first = 1;
	if (w.n - first < 1 || w.n - first > 3) {
		cmd_error(s, "getpart takes [-f] message [part [file]]");
		goto out;
	}
	n = one_msg(s, w.w[first]);
	if (n == 0)
		goto out;
	part = w.n - first >= 2 ? w.w[first + 1] : NULL;
	if (part != NULL && !part_name_ok(part)) {
		cmd_error(s, "getpart: %s is not a part number (1, 2.1...: see getpart %zu)", part,
		          n);
		goto out;
	}
	if (core_folder_fetch_structure(s->folder, n - 1, arena, &pl, &npl, &err) == 0) {
		have_structure = 1;
	} else if (err.kind == ERR_UNSUPPORTED && part == NULL) {
		/* A folder without partial fetch has the whole message at
		 * hand: list its parts from that. */
		rc = cmd_do_parts(s, def, w.w[first]);
		goto out;
	} else if (err.kind != ERR_UNSUPPORTED) {
		cmd_error(s, "message %zu: %s", n, err.msg);
		goto out;
	}
	if (part == NULL) {
		rc = list_parts(s, n, pl, npl);
		s->cur = n;
		goto out;
	}
	if (have_structure) {
		size_t i;

		for (i = 0; i < npl && strcmp(pl[i].path, part) != 0; i++)
			;
		if (i == npl) {
			cmd_error(s, "message %zu has no part %s", n, part);
			goto out;
		}
		if (pl[i].container) {
			cmd_error(s,
			          "message %zu part %s holds other parts: name one of them (see "
			          "getpart %zu)",
			          n, part, n);
			goto out;
		}
		total = pl[i].size;
	}
	mime = xasprintf("%s.MIME", part);
	if (core_folder_fetch_part(s->folder, n - 1, mime, 0, 0, &ent, &err) < 0) {
		cmd_error(s, "message %zu part %s: %s", n, part, err.msg);
		goto out;
	}
	if (ent.len == 0) {
		cmd_error(s, "message %zu has no part %s", n, part);
		goto out;
	}
	hdr = ent.len;
	snprintf(label, sizeof(label), "getpart %zu %s:", n, part);
	quiet_progress(quiet = 1);
	for (;;) {
		size_t was = ent.len;

		if (core_folder_fetch_part(s->folder, n - 1, part, off, PART_CHUNK, &ent, &err) <
		    0) {
			if (isatty(2))
				progress(NULL, 1, 1, NULL); /* erases the line */
			if (err.kind == ERR_CANCELLED)
				cmd_error(s,
				          "message %zu part %s: interrupted after %llu bytes; "
				          "nothing saved",
				          n, part, (unsigned long long)off);
			else
				cmd_error(s, "message %zu part %s: %s", n, part, err.msg);
			goto out;
		}
		off += ent.len - was;
		if (ent.len - was < PART_CHUNK)
			break;
		if (isatty(2))
			progress(NULL, off, total > off ? total : 0, label);
	}
	if (isatty(2))
		progress(NULL, 1, 1, NULL);
	quiet_progress(quiet = 0);
	if (core_folder_msg_parse(ent.s, ent.len, &m, &err) < 0 ||
	    core_folder_msg_parts(m, &parts, &nparts, &err) < 0) {
		cmd_error(s, "message %zu part %s: %s", n, part, err.msg);
		goto out;
	}
	if (nparts == 0 || parts[0].container) {
		cmd_error(s, "message %zu part %s holds other parts: name one of them (see parts)",
		          n, part);
		goto out;
	}
	if (w.n - first == 3) {
		char *slash;

		path = cmd_expand_folder(s, w.w[first + 2], &err);
		if (path == NULL) {
			cmd_error_err(s, &err);
			goto out;
		}
		slash = strrchr(path, '/');
		dir = slash != NULL ? xstrndup(path, (size_t)(slash - path) + (slash == path))
		                    : xstrdup(".");
		name = slash != NULL ? slash + 1 : path;
		if (*name == '\0') {
			cmd_error(s, "%s: names a directory, not a file", w.w[first + 2]);
			goto out;
		}
	} else {
		dir = xstrdup(".");
	}
	if (core_folder_msg_save_part(m, parts[0].path, dir, name, force, &written, &err) < 0) {
		cmd_error(s, "message %zu part %s: %s%s", n, part, err.msg,
		          err.kind == ERR_IO && !force ? " (getpart -f replaces it)" : "");
		goto out;
	}
	{
		struct str safe = STR_INIT;

		core_folder_sanitize(&safe, written, strlen(written), 0);
		cmd_out(s, "\"%s\" %llu bytes fetched\n", str_cstr(&safe),
		        (unsigned long long)(ent.len - hdr));
		str_free(&safe);
	}
	s->cur = n;
	rc = 0;
out:
	if (quiet)
		quiet_progress(0);
	arena_free(&arena);
	free(mime);
	free(written);
	free(dir);
	free(path);
	str_free(&ent);
	core_folder_msg_free(&m);
	cmd_words_clear(&w);
	return rc;
}

/* ---- what the workers borrow ---- */

/* Asks for a password on the terminal, without echo, on a worker's
 * thread while the face waits for it. */
static int
prompt(void *ctx, const char *server, int cancel_fd, char **password_r, struct err *err)
{
	struct termios old, quiet;
	struct str pw = STR_INIT;
	int fd, rc = -1, echo_off = 0;
	char c;

	(void)ctx;
	*password_r = NULL;
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return err_set(err, ERR_AUTH,
		               "%s: no password (put it in the URL, or set imap_pass or "
		               "imap_pass_command)",
		               server);
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		echo_off = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	{
		char *q = xasprintf("Password for %s: ", server);

		(void)!write(fd, q, strlen(q));
		free(q);
	}
	for (;;) {
		struct pollfd pfd[2] = {{.fd = fd, .events = POLLIN},
		                        {.fd = cancel_fd, .events = POLLIN}};
		ssize_t r;

		if (poll(pfd, cancel_fd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			err_sys(err, ERR_IO, errno, "reading the password");
			goto out;
		}
		if (cancel_fd >= 0 && pfd[1].revents != 0) {
			err_set(err, ERR_CANCELLED, "%s: cancelled", server);
			goto out;
		}
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || c == '\n' || c == '\r')
			break;
		if (pw.len < 4096)
			str_append_char(&pw, c);
	}
	str_append(&pw, "");
	*password_r = str_detach(&pw);
	rc = 0;
out:
	if (echo_off)
		tcsetattr(fd, TCSAFLUSH, &old);
	(void)!write(fd, "\n", 1);
	close(fd);
	if (pw.s != NULL)
		explicit_bzero(pw.s, pw.cap);
	str_free(&pw);
	return rc;
}

/* "fetching 3.2 MB" on standard error, written over in place, for a job
 * that has run a while; erased when it is done. */
static struct {
	int64_t since;
	uint64_t last;
	int shown;
} bar;

static void
progress(void *ctx, uint64_t done, uint64_t total, const char *label)
{
	char line[128];

	(void)ctx;
	if (done < bar.last || bar.since == 0)
		bar.since = now_ms();
	bar.last = done;
	if (total != 0 && done >= total) {
		if (bar.shown)
			fprintf(stderr, "\r%*s\r", 60, "");
		bar.shown = 0;
		bar.since = 0;
		bar.last = 0;
		return;
	}
	if (now_ms() - bar.since < PROGRESS_AFTER_MS)
		return;
	if (total != 0)
		snprintf(line, sizeof(line), "%s %llu of %llu", label != NULL ? label : "",
		         (unsigned long long)done, (unsigned long long)total);
	else
		snprintf(line, sizeof(line), "%s %llu", label != NULL ? label : "",
		         (unsigned long long)done);
	fprintf(stderr, "\r%-60.60s", line);
	bar.shown = 1;
}

void
cmd_imap_shown(struct str *out, const char *name, int *url_r)
{
	struct url u;
	struct err err;

	if (url_r != NULL)
		*url_r = 0;
	if (strstr(name, "://") != NULL && url_parse(name, &u, &err) == 0) {
		char *d = url_display(&u);

		core_folder_sanitize(out, d, strlen(d), 0);
		free(d);
		url_clear(&u);
		if (url_r != NULL)
			*url_r = 1;
		return;
	}
	core_folder_sanitize(out, name, strlen(name), 0);
}

void
cmd_imap_setup(struct cmd_session *s)
{
	/* Only a user at a terminal can answer; scripts get the error
	 * naming imap_pass instead of a read that never ends. */
	if (s->interactive)
		core_account_set_prompt(prompt, NULL);
	if (isatty(2))
		core_folder_set_progress(progress, NULL);
}
