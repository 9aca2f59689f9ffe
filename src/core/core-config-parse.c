/*
 * The configuration file syntaxes: petrel's own, muttrc-like one, and
 * POSIX mailx's MAILRC, of which only set and unset are read here.
 *
 * A petrel file is a sequence of commands, one per line; a backslash at the
 * end of a line continues the command on the next.  Words are separated by
 * blanks; "..." (with backslash escapes) and '...' (literal) quote; a # at
 * the start of a word starts a comment.  Errors are collected, not fatal:
 * each names its file and line, the bad line is skipped and reading goes on.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/base-arena.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "core/core-config-int.h"

struct tok {
	char *s;
	size_t len;
	long eq; /* offset of the first unquoted '=', or -1 */
};

struct line {
	struct arena *arena; /* the tokens; reset for each command */
	struct tok *toks;
	size_t n;
	int lineno;
	struct str word;
};

/* One config_load_*: the files it has open and the errors it found. */
struct load {
	struct config *cfg;
	unsigned flags;
	size_t first_error;
	int n_errors;
	int stopped;
	enum err_kind first_kind;
	/* realpath() of each file being read, outermost first; NULL when
	 * unknown (text from memory). */
	char *open_files[CONFIG_MAX_DEPTH];
	int depth;
};

struct file_ctx {
	struct load *load;
	const char *path;    /* as opened: relative source paths start from here */
	const char *display; /* as shown in messages */
	const char *data;
	size_t len, pos;
	int line;
	struct config_account *acct;   /* the account commands apply to, or NULL */
	struct config_account *outer;  /* acct when this file was entered */
	struct config_account *opened; /* an account block opened in this file */
	int opened_line;
	int nested;   /* account lines inside an open block, after the error */
	int if_depth; /* MAILRC if/endif nesting */
	struct line ln;
};

struct cmd_def {
	const char *name;
	int min, max; /* argument counts; max -1: no limit */
	const char *usage;
	void (*run)(struct file_ctx *f, const struct cmd_def *cmd);
	enum config_rec_kind kind;
};

static const char *const map_names[] = {"index",   "pager",  "compose", "browser",
                                        "generic", "editor", NULL};

static void parse_file(struct load *load, const char *path, const char *display, const char *data,
                       size_t len, struct config_account *acct);

static void __attribute__((format(printf, 3, 4)))
file_error(struct file_ctx *f, int line, const char *fmt, ...)
{
	struct load *load = f->load;
	struct str msg = STR_INIT;
	va_list ap;

	if (load->stopped)
		return;
	va_start(ap, fmt);
	str_appendvf(&msg, fmt, ap);
	va_end(ap);
	config_add_error(load->cfg, arena_printf(load->cfg->arena, "%s:%d", f->display, line), "%s",
	                 str_cstr(&msg));
	str_free(&msg);
	if (++load->n_errors >= CONFIG_MAX_ERRORS) {
		config_add_error(load->cfg, f->display, "stopping after %d errors",
		                 CONFIG_MAX_ERRORS);
		load->stopped = 1;
	}
}

/* Reads a whole file; returns 0 or an errno value (EFBIG: too large). */
static int
read_file(const char *path, char **data_r, size_t *len_r)
{
	size_t len = 0, cap = 8192;
	char *buf;
	int fd, e = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	buf = xmalloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (len == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CONFIG_MAX_FILE_SIZE) {
			e = EFBIG;
			break;
		}
	}
	close(fd);
	if (e != 0) {
		free(buf);
		return e;
	}
	buf[len] = '\0';
	*data_r = buf;
	*len_r = len;
	return 0;
}

static const char *
read_error_text(int e)
{
	static char text[64];

	if (e == EFBIG) {
		snprintf(text, sizeof(text), "larger than %d bytes", CONFIG_MAX_FILE_SIZE);
		return text;
	}
	return strerror(e);
}

/* --- words --------------------------------------------------------------- */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static void
skip_line(struct file_ctx *f)
{
	const char *nl = memchr(f->data + f->pos, '\n', f->len - f->pos);

	if (nl == NULL) {
		f->pos = f->len;
		return;
	}
	f->pos = (size_t)(nl - f->data) + 1;
	f->line++;
}

/* Whether a backslash at pos ends the physical line (a continuation). */
static size_t
continuation_len(const struct file_ctx *f, size_t pos)
{
	if (pos + 1 < f->len && f->data[pos + 1] == '\n')
		return 2;
	if (pos + 2 < f->len && f->data[pos + 1] == '\r' && f->data[pos + 2] == '\n')
		return 3;
	return 0;
}

static int
read_quoted(struct file_ctx *f, char q, int mailrc)
{
	struct str *w = &f->ln.word;
	int start = f->line;

	f->pos++;
	for (;;) {
		char c, c2;
		size_t cl;

		if (f->pos >= f->len || f->data[f->pos] == '\n') {
			file_error(f, start, "unterminated %s quote",
			           q == '"' ? "double" : "single");
			return -1;
		}
		c = f->data[f->pos];
		if (c == '\0') {
			file_error(f, f->line, "line contains a NUL byte");
			return -1;
		}
		if (c == q) {
			f->pos++;
			return 0;
		}
		if (c != '\\' || q != '"' || f->pos + 1 >= f->len) {
			str_append_char(w, c);
			f->pos++;
			continue;
		}
		c2 = f->data[f->pos + 1];
		if (!mailrc && (cl = continuation_len(f, f->pos)) > 0) {
			f->pos += cl;
			f->line++;
			continue;
		}
		if (c2 == '\n' || c2 == '\0') {
			/* Not an escape: the loop reports the newline or NUL. */
			str_append_char(w, c);
			f->pos++;
			continue;
		}
		f->pos += 2;
		switch (c2) {
		case '\\':
		case '"':
			str_append_char(w, c2);
			continue;
		}
		if (!mailrc) {
			switch (c2) {
			case 'n':
				str_append_char(w, '\n');
				continue;
			case 't':
				str_append_char(w, '\t');
				continue;
			case 'r':
				str_append_char(w, '\r');
				continue;
			case 'e':
				str_append_char(w, '\033');
				continue;
			}
		}
		/* Other backslashes stay, as in sh: "\." in a regex means "\.". */
		str_append_char(w, '\\');
		str_append_char(w, c2);
	}
}

static int
read_word(struct file_ctx *f, int mailrc)
{
	struct line *ln = &f->ln;
	struct str *w = &ln->word;
	struct tok *t;
	long eq = -1;

	str_reset(w);
	while (f->pos < f->len) {
		char c = f->data[f->pos];
		size_t cl;

		if (is_blank(c) || c == '\n')
			break;
		if (c == '\0') {
			file_error(f, f->line, "line contains a NUL byte");
			return -1;
		}
		if (c == '"' || c == '\'') {
			if (read_quoted(f, c, mailrc) < 0)
				return -1;
			continue;
		}
		if (c == '\\') {
			if (!mailrc && (cl = continuation_len(f, f->pos)) > 0) {
				f->pos += cl;
				f->line++;
				continue;
			}
			if (f->pos + 1 >= f->len || f->data[f->pos + 1] == '\n' ||
			    f->data[f->pos + 1] == '\0') {
				/* Nothing to escape: a backslash of its own. */
				str_append_char(w, c);
				f->pos++;
				continue;
			}
			str_append_char(w, f->data[f->pos + 1]);
			f->pos += 2;
			continue;
		}
		if (c == '=' && eq < 0)
			eq = (long)w->len;
		str_append_char(w, c);
		f->pos++;
	}
	config_grow(&ln->toks, ln->n, sizeof(*ln->toks));
	t = &ln->toks[ln->n++];
	t->len = w->len;
	t->s = arena_strndup(ln->arena, str_cstr(w), w->len);
	t->eq = eq;
	return 0;
}

/*
 * Reads the next command into f->ln.  Returns 1 (a command; for a MAILRC,
 * the rest of the current line, maybe empty), 0 at the end of the input,
 * or -1 after an error, having skipped the rest of the line.
 */
static int
tokenize(struct file_ctx *f, int mailrc)
{
	struct line *ln = &f->ln;

	ln->n = 0;
	arena_reset(ln->arena);
	ln->lineno = f->line;
	for (;;) {
		size_t cl;
		char c;

		while (f->pos < f->len && is_blank(f->data[f->pos]))
			f->pos++;
		if (f->pos >= f->len)
			return ln->n > 0 || mailrc ? 1 : 0;
		c = f->data[f->pos];
		if (c == '\n') {
			f->pos++;
			f->line++;
			if (ln->n > 0 || mailrc)
				return 1;
			ln->lineno = f->line;
			continue;
		}
		if (c == '#') {
			const char *nl = memchr(f->data + f->pos, '\n', f->len - f->pos);

			f->pos = nl != NULL ? (size_t)(nl - f->data) : f->len;
			continue;
		}
		if (c == '\\' && !mailrc && (cl = continuation_len(f, f->pos)) > 0) {
			f->pos += cl;
			f->line++;
			continue;
		}
		if (ln->n == 0)
			ln->lineno = f->line;
		if (read_word(f, mailrc) < 0) {
			skip_line(f);
			return -1;
		}
	}
}

/* --- commands ------------------------------------------------------------ */

static const char *
origin(struct file_ctx *f)
{
	return arena_printf(f->load->cfg->arena, "%s:%d", f->display, f->ln.lineno);
}

static void
set_assignments(struct file_ctx *f, size_t first, int mailrc)
{
	struct line *ln = &f->ln;
	const char *where = origin(f);

	for (size_t i = first; i < ln->n; i++) {
		struct tok *t = &ln->toks[i];
		const char *value = NULL;
		char *name = t->s;
		struct err e = {0};
		int id;

		if (t->eq >= 0) {
			name[t->eq] = '\0';
			value = name + t->eq + 1;
		} else if (i + 1 < ln->n && ln->toks[i + 1].eq == 0) {
			/* set name = value */
			if (ln->toks[i + 1].len > 1) {
				value = ln->toks[i + 1].s + 1;
				i++;
			} else if (i + 2 < ln->n) {
				value = ln->toks[i + 2].s;
				i += 2;
			} else {
				file_error(f, ln->lineno, "missing value after \"=\" for \"%s\"",
				           config_quote(f->load->cfg, name));
				return;
			}
		}
		if (name[0] == '\0') {
			file_error(f, ln->lineno, "missing variable name before \"=\"");
			continue;
		}
		if (config_apply_set(f->load->cfg, f->acct, name, value, where, mailrc, &id, &e) <
		    0)
			file_error(f, ln->lineno, "%s", e.msg);
	}
}

static void
unset_names(struct file_ctx *f, size_t first, int mailrc, int reset)
{
	struct config *cfg = f->load->cfg;
	struct line *ln = &f->ln;
	const char *where = origin(f);

	for (size_t i = first; i < ln->n; i++) {
		const char *name = ln->toks[i].s;
		struct err e = {0};
		int id = vars_lookup(name);

		if (ln->toks[i].eq >= 0) {
			file_error(f, ln->lineno, "%s takes variable names, not \"%s\"",
			           reset ? "reset" : "unset", config_quote(cfg, name));
		} else if (id >= 0) {
			if (reset)
				config_reset(cfg, f->acct, (enum var_id)id);
			else if (config_unassign(cfg, f->acct, (enum var_id)id, where, &e) < 0)
				file_error(f, ln->lineno, "%s", e.msg);
		} else if (mailrc) {
			config_set_user_var(cfg, name, NULL);
		} else {
			file_error(f, ln->lineno, "unknown variable \"%s\"%s",
			           config_quote(cfg, name), config_var_hint(cfg, name));
		}
	}
}

static void
cmd_set(struct file_ctx *f, const struct cmd_def *cmd)
{
	set_assignments(f, 1, 0);
}

static void
cmd_unset(struct file_ctx *f, const struct cmd_def *cmd)
{
	unset_names(f, 1, 0, 0);
}

static void
cmd_reset(struct file_ctx *f, const struct cmd_def *cmd)
{
	unset_names(f, 1, 0, 1);
}

static void
cmd_source(struct file_ctx *f, const struct cmd_def *cmd)
{
	struct load *load = f->load;
	struct config *cfg = load->cfg;
	const char *arg = f->ln.toks[1].s, *display, *slash;
	char *expanded = NULL, *full = NULL, *real = NULL, *data = NULL;
	struct err e = {0};
	size_t len = 0;
	int lineno = f->ln.lineno, r;

	if (load->flags & CONFIG_LOAD_NO_SOURCE) {
		file_error(f, lineno, "source is not allowed here");
		return;
	}
	if (config_path_expand(arg, cfg->home, &expanded, &e) < 0) {
		file_error(f, lineno, "source: %s", e.msg);
		return;
	}
	slash = strrchr(f->path, '/');
	if (expanded[0] != '/' && slash != NULL)
		full = xasprintf("%.*s/%s", (int)(slash - f->path), f->path, expanded);
	else
		full = xstrdup(expanded);
	display = config_display_name(cfg, full);
	if (load->depth >= CONFIG_MAX_DEPTH) {
		file_error(f, lineno, "source nesting is deeper than %d files at \"%s\"",
		           CONFIG_MAX_DEPTH, config_quote_max(cfg, display, SIZE_MAX));
		goto out;
	}
	if ((real = realpath(full, NULL)) == NULL) {
		file_error(f, lineno, "cannot read \"%s\": %s", config_quote_max(cfg, display, SIZE_MAX),
		           strerror(errno));
		goto out;
	}
	for (int i = 0; i < load->depth; i++) {
		if (load->open_files[i] != NULL && strcmp(load->open_files[i], real) == 0) {
			file_error(f, lineno, "source loop: \"%s\" is already being read",
			           config_quote_max(cfg, display, SIZE_MAX));
			goto out;
		}
	}
	if ((r = read_file(real, &data, &len)) != 0) {
		file_error(f, lineno, "cannot read \"%s\": %s", config_quote_max(cfg, display, SIZE_MAX),
		           read_error_text(r));
		goto out;
	}
	log_trace(LOG_CH_CONFIG, "config: reading %s", display);
	load->open_files[load->depth++] = real;
	parse_file(load, full, display, data, len, f->acct);
	load->depth--;
out:
	free(data);
	free(real);
	free(full);
	free(expanded);
}

static void
cmd_account(struct file_ctx *f, const struct cmd_def *cmd)
{
	struct config *cfg = f->load->cfg;
	const char *name = f->ln.toks[1].s;
	const struct config_account *old;
	struct config_account *acct;

	if (strcmp(f->ln.toks[2].s, "{") != 0) {
		file_error(f, f->ln.lineno, "account takes a name and \"{\" (account NAME {)");
		return;
	}
	if (f->acct != NULL) {
		file_error(f, f->ln.lineno,
		           "account \"%s\" inside account \"%s\": account blocks may not nest",
		           config_quote(cfg, name), config_quote(cfg, f->acct->name));
		f->nested++;
		return;
	}
	if (name[0] == '\0') {
		file_error(f, f->ln.lineno, "account name must not be empty");
		/* The block still needs its "}". */
		f->nested++;
		return;
	}
	if ((old = config_account_find(cfg, name)) != NULL) {
		file_error(f, f->ln.lineno, "account \"%s\" is already defined at %s:%d",
		           config_quote(cfg, name), old->file, old->line);
		/* Go on with the old one, so its "}" matches. */
		acct = (struct config_account *)old;
	} else {
		acct = arena_alloc(cfg->arena, sizeof(*acct));
		acct->name = arena_strdup(cfg->arena, name);
		acct->file = f->display;
		acct->line = f->ln.lineno;
		config_grow(&cfg->accounts, cfg->n_accounts, sizeof(*cfg->accounts));
		cfg->accounts[cfg->n_accounts++] = acct;
	}
	f->acct = acct;
	f->opened = acct;
	f->opened_line = f->ln.lineno;
}

static void
cmd_close(struct file_ctx *f, const struct cmd_def *cmd)
{
	if (f->nested > 0) {
		f->nested--;
		return;
	}
	if (f->opened == NULL) {
		file_error(f, f->ln.lineno, "\"}\" without an open account block");
		return;
	}
	f->acct = f->outer;
	f->opened = NULL;
}

static void
add_record(struct file_ctx *f, enum config_rec_kind kind, size_t argc, const char *const *argv)
{
	struct config *cfg = f->load->cfg;
	struct config_record *r;

	config_grow(&cfg->records, cfg->n_records, sizeof(*cfg->records));
	r = &cfg->records[cfg->n_records++];
	r->kind = kind;
	r->file = f->display;
	r->line = f->ln.lineno;
	r->account = f->acct;
	r->argc = argc;
	r->argv = arena_alloc(cfg->arena, (argc + 1) * sizeof(*r->argv));
	for (size_t i = 0; i < argc; i++)
		r->argv[i] = arena_strdup(cfg->arena, argv[i]);
	r->argv[argc] = NULL;
}

static void
cmd_record(struct file_ctx *f, const struct cmd_def *cmd)
{
	size_t argc = f->ln.n - 1;
	const char **v = xcalloc(argc + 1, sizeof(*v));

	for (size_t i = 0; i < argc; i++)
		v[i] = f->ln.toks[i + 1].s;
	add_record(f, cmd->kind, argc, v);
	free(v);
}

/* bind and macro: MAP is one map name or several, separated by commas. */
static void
cmd_keys(struct file_ctx *f, const struct cmd_def *cmd)
{
	struct config *cfg = f->load->cfg;
	const char *maps = f->ln.toks[1].s;

	for (const char *p = maps;;) {
		size_t n = strcspn(p, ",");
		char *map = xstrndup(p, n);
		int known = 0;

		for (size_t i = 0; map_names[i] != NULL; i++)
			known |= strcmp(map_names[i], map) == 0;
		if (!known) {
			const char *hint = vars_suggest_from(map, map_names);

			if (hint != NULL)
				file_error(f, f->ln.lineno,
				           "unknown map \"%s\" (did you mean \"%s\"?)",
				           config_quote(cfg, map), hint);
			else
				file_error(
				    f, f->ln.lineno,
				    "unknown map \"%s\" (maps: index, pager, compose, browser, "
				    "generic, editor)",
				    config_quote(cfg, map));
			free(map);
			return;
		}
		free(map);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	cmd_record(f, cmd);
}

static void
cmd_virtual_mailboxes(struct file_ctx *f, const struct cmd_def *cmd)
{
	size_t argc = f->ln.n - 1;

	if (argc % 2 != 0) {
		file_error(f, f->ln.lineno,
		           "virtual_mailboxes takes pairs of NAME and QUERY, not %zu arguments",
		           argc);
		return;
	}
	for (size_t i = 1; i + 1 < f->ln.n; i += 2) {
		const char *pair[2] = {f->ln.toks[i].s, f->ln.toks[i + 1].s};

		add_record(f, CONFIG_REC_QUERY, 2, pair);
	}
}

static void
cmd_query(struct file_ctx *f, const struct cmd_def *cmd)
{
	struct str q = STR_INIT;
	const char *pair[2];

	/* The words of an unquoted query are joined back with spaces. */
	for (size_t i = 2; i < f->ln.n; i++) {
		if (i > 2)
			str_append_char(&q, ' ');
		str_append(&q, f->ln.toks[i].s);
	}
	pair[0] = f->ln.toks[1].s;
	pair[1] = str_cstr(&q);
	add_record(f, CONFIG_REC_QUERY, 2, pair);
	str_free(&q);
}

static const struct cmd_def cmds[] = {
    {"set", 1, -1, "NAME[=VALUE]...", cmd_set, 0},
    {"unset", 1, -1, "NAME...", cmd_unset, 0},
    {"reset", 1, -1, "NAME...", cmd_reset, 0},
    {"source", 1, 1, "FILE", cmd_source, 0},
    {"account", 2, 2, "NAME {", cmd_account, 0},
    {"}", 0, 0, "", cmd_close, 0},
    {"bind", 3, 3, "MAP KEY FUNCTION", cmd_keys, CONFIG_REC_BIND},
    {"macro", 3, 4, "MAP KEY SEQUENCE [DESCRIPTION]", cmd_keys, CONFIG_REC_MACRO},
    {"color", 3, 4, "OBJECT FOREGROUND BACKGROUND [REGEX]", cmd_record, CONFIG_REC_COLOR},
    {"uncolor", 1, -1, "OBJECT [REGEX...]", cmd_record, CONFIG_REC_UNCOLOR},
    {"mailboxes", 1, -1, "FOLDER...", cmd_record, CONFIG_REC_MAILBOXES},
    {"unmailboxes", 1, -1, "FOLDER...", cmd_record, CONFIG_REC_UNMAILBOXES},
    {"alternates", 1, -1, "REGEX...", cmd_record, CONFIG_REC_ALTERNATES},
    {"unalternates", 1, -1, "REGEX...", cmd_record, CONFIG_REC_UNALTERNATES},
    {"alias", 2, -1, "NAME ADDRESS...", cmd_record, CONFIG_REC_ALIAS},
    {"unalias", 1, -1, "NAME...", cmd_record, CONFIG_REC_UNALIAS},
    {"ignore", 1, -1, "HEADER...", cmd_record, CONFIG_REC_IGNORE},
    {"unignore", 1, -1, "HEADER...", cmd_record, CONFIG_REC_UNIGNORE},
    {"virtual_mailboxes", 2, -1, "NAME QUERY...", cmd_virtual_mailboxes, 0},
    {"query", 2, -1, "NAME QUERY", cmd_query, 0},
};

#define N_CMDS (sizeof(cmds) / sizeof(cmds[0]))

static void
run_command(struct file_ctx *f)
{
	struct config *cfg = f->load->cfg;
	struct line *ln = &f->ln;
	const char *name = ln->toks[0].s;
	const struct cmd_def *cmd = NULL;
	size_t argc = ln->n - 1;

	for (size_t i = 0; i < N_CMDS; i++)
		if (strcmp(cmds[i].name, name) == 0)
			cmd = &cmds[i];
	if (cmd == NULL) {
		const char *names[N_CMDS + 1], *hint;

		if (ln->toks[0].eq > 0) {
			char *var = xstrndup(name, (size_t)ln->toks[0].eq);
			int known = vars_lookup(var) >= 0;

			free(var);
			if (known) {
				file_error(f, ln->lineno,
				           "unknown command \"%s\" (did you mean \"set %s\"?)",
				           config_quote(cfg, name), config_quote(cfg, name));
				return;
			}
		}
		for (size_t i = 0; i < N_CMDS; i++)
			names[i] = cmds[i].name;
		names[N_CMDS] = NULL;
		hint = vars_suggest_from(name, names);
		if (hint != NULL)
			file_error(f, ln->lineno, "unknown command \"%s\" (did you mean \"%s\"?)",
			           config_quote(cfg, name), hint);
		else
			file_error(f, ln->lineno, "unknown command \"%s\"",
			           config_quote(cfg, name));
		return;
	}
	if ((long)argc < cmd->min || (cmd->max >= 0 && (long)argc > cmd->max)) {
		const char *sep = cmd->usage[0] ? " " : "";

		if (cmd->max == 0)
			file_error(f, ln->lineno, "\"%s\" takes no arguments, not %zu", cmd->name,
			           argc);
		else if (cmd->min == cmd->max)
			file_error(f, ln->lineno, "%s takes %d argument%s (%s%s%s), not %zu",
			           cmd->name, cmd->min, cmd->min == 1 ? "" : "s", cmd->name, sep,
			           cmd->usage, argc);
		else if (cmd->max < 0)
			file_error(f, ln->lineno,
			           "%s takes at least %d argument%s (%s%s%s), not %zu", cmd->name,
			           cmd->min, cmd->min == 1 ? "" : "s", cmd->name, sep, cmd->usage,
			           argc);
		else
			file_error(f, ln->lineno, "%s takes %d or %d arguments (%s%s%s), not %zu",
			           cmd->name, cmd->min, cmd->max, cmd->name, sep, cmd->usage, argc);
		return;
	}
	cmd->run(f, cmd);
}

static void
parse_petrel(struct file_ctx *f)
{
	while (!f->load->stopped) {
		int r = tokenize(f, 0);

		if (r == 0)
			break;
		if (r > 0)
			run_command(f);
	}
	if (f->opened != NULL)
		file_error(f, f->opened_line, "missing \"}\" for account \"%s\" opened here",
		           config_quote(f->load->cfg, f->opened->name));
}

/* --- MAILRC -------------------------------------------------------------- */

/* Whether data[0..n) is an abbreviation of word at least min long (POSIX
 * mailx accepts "se" for set). */
static int
is_abbrev(const char *data, size_t n, const char *word, size_t min)
{
	return n >= min && n <= strlen(word) && strncmp(data, word, n) == 0;
}

static void
parse_mailrc(struct file_ctx *f)
{
	struct config *cfg = f->load->cfg;

	while (f->pos < f->len && !f->load->stopped) {
		const char *d = f->data;
		const char *nl = memchr(d + f->pos, '\n', f->len - f->pos);
		size_t eol = nl != NULL ? (size_t)(nl - d) : f->len, p = f->pos, q, end;
		struct config_mailrc_line *ml;
		int boundary;

		if (memchr(d + f->pos, '\0', eol - f->pos) != NULL) {
			file_error(f, f->line, "line contains a NUL byte");
			skip_line(f);
			continue;
		}
		while (p < eol && is_blank(d[p]))
			p++;
		if (p == eol || d[p] == '#') {
			skip_line(f);
			continue;
		}
		for (q = p; q < eol && isalpha((unsigned char)d[q]); q++)
			;
		boundary = q == eol || is_blank(d[q]);
		if (boundary && f->if_depth == 0) {
			int set = is_abbrev(d + p, q - p, "set", 2);
			int unset = is_abbrev(d + p, q - p, "unset", 3);

			/* A bare `set` lists the variables: the mailx face's job. */
			if (set || unset) {
				size_t save = f->pos;
				int line = f->line;

				f->pos = q;
				if (tokenize(f, 1) < 0)
					continue;
				if (f->ln.n > 0) {
					if (set)
						set_assignments(f, 0, 1);
					else
						unset_names(f, 0, 1, 0);
					continue;
				}
				f->pos = save;
				f->line = line;
			}
		}
		/* Inside if/endif a set depends on the mode: the mailx face runs it. */
		if (boundary && q - p == 2 && strncmp(d + p, "if", 2) == 0)
			f->if_depth++;
		else if (boundary && is_abbrev(d + p, q - p, "endif", 2) && f->if_depth > 0)
			f->if_depth--;
		end = eol;
		while (end > p && is_blank(d[end - 1]))
			end--;
		config_grow(&cfg->mailrc, cfg->n_mailrc, sizeof(*cfg->mailrc));
		ml = &cfg->mailrc[cfg->n_mailrc++];
		ml->file = f->display;
		ml->line = f->line;
		ml->text = arena_strndup(cfg->arena, d + p, end - p);
		skip_line(f);
	}
}

static void
parse_file(struct load *load, const char *path, const char *display, const char *data, size_t len,
           struct config_account *acct)
{
	struct file_ctx f = {
	    .load = load,
	    .path = path,
	    .display = display,
	    .data = data,
	    .len = len,
	    .line = 1,
	    .acct = acct,
	    .outer = acct,
	};

	f.ln.arena = arena_new();
	if (load->flags & CONFIG_LOAD_MAILRC)
		parse_mailrc(&f);
	else
		parse_petrel(&f);
	arena_free(&f.ln.arena);
	free(f.ln.toks);
	str_free(&f.ln.word);
}

int
config_parse(struct config *cfg, const char *path, const char *data, size_t len, unsigned flags,
             struct err *err)
{
	struct load load = {
	    .cfg = cfg,
	    .flags = flags,
	    .first_error = cfg->n_errors,
	    .first_kind = ERR_USAGE,
	};
	const char *display = config_display_name(cfg, path);
	char *buf = NULL;
	int r;

	if (data == NULL) {
		if ((r = read_file(path, &buf, &len)) != 0) {
			if (r == ENOENT && (flags & CONFIG_LOAD_OPTIONAL))
				return 0;
			config_add_error(cfg, display, "cannot read: %s", read_error_text(r));
			load.n_errors++;
			load.first_kind = ERR_IO;
			goto out;
		}
		data = buf;
	}
	log_trace(LOG_CH_CONFIG, "config: reading %s", display);
	load.open_files[0] = realpath(path, NULL);
	load.depth = 1;
	parse_file(&load, path, display, data, len, NULL);
	free(load.open_files[0]);
out:
	free(buf);
	load.n_errors += config_apply_overrides(cfg);
	if (!(flags & CONFIG_LOAD_MAILRC))
		load.n_errors += config_check_default_account(cfg);
	if (load.n_errors == 0)
		return 0;
	return err_set(err, load.first_kind, "%s", cfg->errors[load.first_error]);
}
