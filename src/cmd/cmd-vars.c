#include "config.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/base-xalloc.h"
#include "cmd/cmd-session.h"
#include "core/core-config.h"

/* Variables the config does not know but mailx gives a default. */
static const struct {
	const char *name;
	const char *value;
} builtin_defaults[] = {
	{"toplines", "5"},
	{"indentprefix", "> "},
};

static struct cmd_var *
find_var(struct cmd_session *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return &s->vars[i];
	return NULL;
}

const char *
cmd_var(struct cmd_session *s, const char *name)
{
	struct cmd_var *v = find_var(s, name);
	int id;
	size_t i;

	if (v != NULL)
		return v->value;
	if (s->cfg != NULL) {
		id = vars_lookup(name);
		if (id >= 0) {
			if (vars_def((enum var_id)id)->type == VAR_T_BOOL)
				return config_bool(s->cfg, NULL, (enum var_id)id) ? "" : NULL;
			if (!config_is_set(s->cfg, NULL, (enum var_id)id))
				return NULL;
			switch (vars_def((enum var_id)id)->type) {
			case VAR_T_STRING:
			case VAR_T_PATH:
			case VAR_T_FOLDER:
			case VAR_T_URL:
			case VAR_T_ENUM:
				return config_string(s->cfg, NULL, (enum var_id)id);
			default:
				return config_value_text(s->cfg, NULL, (enum var_id)id);
			}
		}
		if (config_user_var(s->cfg, name) != NULL)
			return config_user_var(s->cfg, name);
	}
	for (i = 0; i < sizeof(builtin_defaults) / sizeof(builtin_defaults[0]); i++)
		if (strcmp(builtin_defaults[i].name, name) == 0)
			return builtin_defaults[i].value;
	return NULL;
}

int
cmd_var_set(struct cmd_session *s, const char *name)
{
	const char *v = cmd_var(s, name);

	return v != NULL && strcmp(v, "no") != 0;
}

long
cmd_var_num(struct cmd_session *s, const char *name, long def)
{
	const char *v = cmd_var(s, name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtol(v, &end, 10);
	return *end == '\0' ? n : def;
}

int
cmd_var_assign(struct cmd_session *s, const char *name, const char *value, struct err *err)
{
	struct cmd_var *v;
	const char *p;
	int id;

	if (*name == '\0')
		return err_set(err, ERR_USAGE, "a variable needs a name");
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
			return err_set(err, ERR_USAGE, "%s: not a variable name", name);
	id = vars_lookup(name);
	if (id >= 0 && value != NULL) {
		const struct var_def *d = vars_def((enum var_id)id);
		char *end;

		if (d->type == VAR_T_NUMBER && *value != '\0') {
			long n = strtol(value, &end, 10);

			if (*end != '\0' || n < d->min || n > d->max)
				return err_set(err, ERR_USAGE, "%s: wants a number from %ld to %ld",
					       name, d->min, d->max);
		}
		if (d->type == VAR_T_BOOL && *value != '\0' && strcmp(value, "yes") != 0 &&
		    strcmp(value, "no") != 0)
			return err_set(err, ERR_USAGE, "%s is a yes/no variable: set %s or unset %s",
				       name, name, name);
		if (d->type == VAR_T_BOOL && strcmp(value, "no") == 0)
			value = NULL;
	}
	v = find_var(s, name);
	if (v == NULL) {
		s->vars = xreallocarray(s->vars, s->nvars + 1, sizeof(*s->vars));
		v = &s->vars[s->nvars++];
		v->name = xstrdup(name);
		v->value = NULL;
	}
	free(v->value);
	v->value = value != NULL ? xstrdup(value) : NULL;
	if (strcmp(name, "debug_file") == 0 && value != NULL)
		cmd_debug_file(value);
	return 0;
}

const char *
cmd_home(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h != NULL && *h != '\0')
		return h;
	pw = getpwuid(getuid());
	return pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : "/";
}

static const char *
user_name(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u == NULL || *u == '\0')
		u = getenv("LOGNAME");
	if (u != NULL && *u != '\0')
		return u;
	pw = getpwuid(getuid());
	return pw != NULL ? pw->pw_name : "unknown";
}

char *
cmd_system_mailbox(const char *user)
{
	const char *mail = getenv("MAIL");

	if (user == NULL && mail != NULL && *mail != '\0')
		return xstrdup(mail);
	return xasprintf("/var/mail/%s", user != NULL ? user : user_name());
}

/* "~/x" and "~" to the home directory; other text copied. */
static char *
tilde(const char *p)
{
	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0'))
		return xasprintf("%s%s", cmd_home(), p + 1);
	return xstrdup(p);
}

char *
cmd_mbox_path(struct cmd_session *s)
{
	const char *m = cmd_var(s, "MBOX");

	if (m == NULL || *m == '\0')
		return xasprintf("%s/mbox", cmd_home());
	return tilde(m);
}

/* $NAME and ${NAME} from the environment. */
static char *
env_expand(const char *p)
{
	struct str o = STR_INIT;

	str_append(&o, "");
	while (*p != '\0') {
		if (*p == '$' && (p[1] == '{' || isalpha((unsigned char)p[1]) || p[1] == '_')) {
			const char *start = p + 1, *end;
			char *name, *val;

			if (*start == '{') {
				start++;
				end = strchr(start, '}');
				if (end == NULL) {
					str_append(&o, p);
					break;
				}
			} else {
				for (end = start; isalnum((unsigned char)*end) || *end == '_'; end++)
					;
			}
			name = xstrndup(start, (size_t)(end - start));
			val = getenv(name);
			if (val != NULL)
				str_append(&o, val);
			free(name);
			p = *end == '}' ? end + 1 : end;
			continue;
		}
		str_append_char(&o, *p++);
	}
	return str_detach(&o);
}

char *
cmd_expand_folder(struct cmd_session *s, const char *name, struct err *err)
{
	char *t, *r;

	if (name == NULL || *name == '\0') {
		err_set(err, ERR_USAGE, "no folder named");
		return NULL;
	}
	if (strcmp(name, "%") == 0)
		return cmd_system_mailbox(s->opts != NULL ? s->opts->user : NULL);
	if (name[0] == '%')
		return cmd_system_mailbox(name + 1);
	if (strcmp(name, "#") == 0) {
		if (s->prev_folder == NULL) {
			err_set(err, ERR_USAGE, "no previous folder");
			return NULL;
		}
		return xstrdup(s->prev_folder);
	}
	if (strcmp(name, "&") == 0)
		return cmd_mbox_path(s);
	if (strstr(name, "://") != NULL)
		return xstrdup(name);
	if (name[0] == '+' || name[0] == '=') {
		const char *dir = cmd_var(s, "folder");
		char *d;

		if (dir == NULL || *dir == '\0') {
			err_set(err, ERR_USAGE,
				"%s: the folder variable is not set, so + names nothing", name);
			return NULL;
		}
		if (strstr(dir, "://") != NULL) {
			size_t l = strlen(dir);

			return xasprintf("%s%s%s", dir, l > 0 && dir[l - 1] == '/' ? "" : "/",
					 name + 1);
		}
		d = tilde(dir);
		t = d[0] == '/' ? xasprintf("%s/%s", d, name + 1)
				: xasprintf("%s/%s/%s", cmd_home(), d, name + 1);
		free(d);
		r = env_expand(t);
		free(t);
		return r;
	}
	t = tilde(name);
	r = env_expand(t);
	free(t);
	return r;
}

/* Aliases. */

static struct cmd_alias *
find_alias(struct cmd_session *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->naliases; i++)
		if (strcmp(s->aliases[i].name, name) == 0)
			return &s->aliases[i];
	return NULL;
}

static void
push_word(char ***v, size_t *n, const char *w)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrdup(w);
}

static void
expand_one(struct cmd_session *s, const char *word, char ***out, size_t *n, int depth)
{
	struct cmd_alias *a = depth < 16 ? find_alias(s, word) : NULL;
	size_t i;

	if (a == NULL) {
		for (i = 0; i < *n; i++)
			if (strcmp((*out)[i], word) == 0)
				return;
		push_word(out, n, word);
		return;
	}
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->addrs[i], word) == 0)
			push_word(out, n, word);
		else
			expand_one(s, a->addrs[i], out, n, depth + 1);
	}
}

void
cmd_alias_expand(struct cmd_session *s, const char *list, char ***out, size_t *n)
{
	const char *p = list;

	/* Commas separate addresses, but not inside quotes or angle brackets. */
	while (*p != '\0') {
		struct str w = STR_INIT;
		int quote = 0, angle = 0;
		char *t, *e;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		str_append(&w, "");
		while (*p != '\0' && (quote || angle || *p != ',')) {
			if (*p == '"')
				quote = !quote;
			else if (*p == '<' && !quote)
				angle = 1;
			else if (*p == '>' && !quote)
				angle = 0;
			str_append_char(&w, *p++);
		}
		t = str_detach(&w);
		e = t + strlen(t);
		while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*t != '\0')
			expand_one(s, t, out, n, 0);
		free(t);
	}
}

int
cmd_do_alias(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	struct cmd_alias *a;
	size_t i, j;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n == 0) {
		for (i = 0; i < s->naliases; i++) {
			cmd_out(s, "%s\t", s->aliases[i].name);
			for (j = 0; j < s->aliases[i].n; j++)
				cmd_out(s, "%s%s", j ? " " : "", s->aliases[i].addrs[j]);
			cmd_out(s, "\n");
		}
	} else if (w.n == 1) {
		a = find_alias(s, w.w[0]);
		if (a == NULL) {
			cmd_words_clear(&w);
			return cmd_error(s, "%s: no such alias", args);
		}
		cmd_out(s, "%s\t", a->name);
		for (j = 0; j < a->n; j++)
			cmd_out(s, "%s%s", j ? " " : "", a->addrs[j]);
		cmd_out(s, "\n");
	} else {
		a = find_alias(s, w.w[0]);
		if (a == NULL) {
			s->aliases = xreallocarray(s->aliases, s->naliases + 1, sizeof(*s->aliases));
			a = &s->aliases[s->naliases++];
			memset(a, 0, sizeof(*a));
			a->name = xstrdup(w.w[0]);
		}
		/* mailx adds to an existing alias rather than replacing it. */
		for (i = 1; i < w.n; i++) {
			char *p = w.w[i], *comma;

			while ((comma = strchr(p, ',')) != NULL) {
				*comma = '\0';
				if (*p != '\0')
					push_word(&a->addrs, &a->n, p);
				p = comma + 1;
			}
			if (*p != '\0')
				push_word(&a->addrs, &a->n, p);
		}
	}
	cmd_words_clear(&w);
	return 0;
}

static void
alias_free(struct cmd_alias *a)
{
	size_t j;

	for (j = 0; j < a->n; j++)
		free(a->addrs[j]);
	free(a->addrs);
	free(a->name);
}

int
cmd_do_unalias(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	size_t i, k;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	for (i = 0; i < w.n; i++) {
		for (k = 0; k < s->naliases; k++) {
			if (strcmp(w.w[i], "*") == 0 || strcmp(s->aliases[k].name, w.w[i]) == 0) {
				alias_free(&s->aliases[k]);
				memmove(&s->aliases[k], &s->aliases[k + 1],
					(s->naliases - k - 1) * sizeof(*s->aliases));
				s->naliases--;
				k--;
			}
		}
	}
	cmd_words_clear(&w);
	return 0;
}

/* Header weeding: ignore/discard and retain. */

static int
in_list(char **list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(list[i], name) == 0)
			return 1;
	return 0;
}

int
cmd_weed_show(const char *name, void *session)
{
	struct cmd_session *s = session;

	if (s->nretain > 0)
		return in_list(s->retain, s->nretain, name);
	return !in_list(s->ignore, s->nignore, name);
}

static int
list_cmd(struct cmd_session *s, char ***list, size_t *n, const char *args, int remove)
{
	struct cmd_words w;
	struct err err;
	size_t i, k;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n == 0 && !remove) {
		for (i = 0; i < *n; i++)
			cmd_out(s, "%s\n", (*list)[i]);
	}
	for (i = 0; i < w.n; i++) {
		if (remove) {
			for (k = 0; k < *n; k++) {
				if (strcmp(w.w[i], "*") == 0 || strcasecmp((*list)[k], w.w[i]) == 0) {
					free((*list)[k]);
					memmove(&(*list)[k], &(*list)[k + 1],
						(*n - k - 1) * sizeof(**list));
					(*n)--;
					k--;
				}
			}
		} else if (!in_list(*list, *n, w.w[i])) {
			push_word(list, n, w.w[i]);
		}
	}
	cmd_words_clear(&w);
	return 0;
}

int
cmd_do_ignore(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	if (def->id == CMD_RETAIN)
		return list_cmd(s, &s->retain, &s->nretain, args, 0);
	return list_cmd(s, &s->ignore, &s->nignore, args, 0);
}

int
cmd_do_unignore(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	if (def->id == CMD_UNRETAIN)
		return list_cmd(s, &s->retain, &s->nretain, args, 1);
	return list_cmd(s, &s->ignore, &s->nignore, args, 1);
}

int
cmd_do_alternates(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	return list_cmd(s, &s->alternates, &s->nalternates, args, 0);
}

int
cmd_is_me(struct cmd_session *s, const char *addr)
{
	const char *u = user_name();
	size_t ul = strlen(u);
	const char *from = cmd_var(s, "from");

	if (in_list(s->alternates, s->nalternates, addr))
		return 1;
	if (from != NULL && strcasestr(from, addr) != NULL && *addr != '\0')
		return 1;
	if (strcasecmp(addr, u) == 0)
		return 1;
	/* user@this-host counts as the user too. */
	if (strncasecmp(addr, u, ul) == 0 && addr[ul] == '@') {
		char host[256];

		if (gethostname(host, sizeof(host)) == 0) {
			host[sizeof(host) - 1] = '\0';
			if (strcasecmp(addr + ul + 1, host) == 0)
				return 1;
		}
	}
	return 0;
}

/* set, unset. */

static int
show_var(struct cmd_session *s, const char *name)
{
	const char *v = cmd_var(s, name);
	int id = vars_lookup(name);

	if (v == NULL)
		return 0;
	if (id >= 0 && (vars_def((enum var_id)id)->flags & VAR_F_SECRET))
		v = "********";
	if (*v == '\0')
		cmd_out(s, "%s\n", name);
	else
		cmd_out(s, "%s=\"%s\"\n", name, v);
	return 1;
}

int
cmd_do_set(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	size_t i;
	int rc = 0;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n == 0) {
		for (i = 0; i < VAR_COUNT; i++) {
			const struct var_def *d = vars_def((enum var_id)i);

			if (find_var(s, d->name) == NULL)
				show_var(s, d->name);
		}
		for (i = 0; i < s->nvars; i++)
			show_var(s, s->vars[i].name);
	}
	for (i = 0; i < w.n; i++) {
		char *eq = strchr(w.w[i], '=');

		if (eq != NULL) {
			*eq = '\0';
			if (cmd_var_assign(s, w.w[i], eq + 1, &err) < 0)
				rc = cmd_error_err(s, &err);
		} else if (strncmp(w.w[i], "no", 2) == 0 && w.w[i][2] != '\0' &&
			   vars_lookup(w.w[i]) < 0) {
			if (cmd_var_assign(s, w.w[i] + 2, NULL, &err) < 0)
				rc = cmd_error_err(s, &err);
		} else if (cmd_var_assign(s, w.w[i], "", &err) < 0) {
			rc = cmd_error_err(s, &err);
		}
	}
	cmd_words_clear(&w);
	return rc;
}

int
cmd_do_unset(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	size_t i;
	int rc = 0;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	for (i = 0; i < w.n; i++)
		if (cmd_var_assign(s, w.w[i], NULL, &err) < 0)
			rc = cmd_error_err(s, &err);
	cmd_words_clear(&w);
	return rc;
}

int
cmd_do_source(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	struct cmd_words w;
	struct err err;
	char *path;
	int rc;

	if (cmd_lex_words(args, &w, &err) < 0) {
		cmd_words_clear(&w);
		return cmd_error_err(s, &err);
	}
	if (w.n != 1) {
		cmd_words_clear(&w);
		return cmd_error(s, "source needs one file name");
	}
	path = tilde(w.w[0]);
	cmd_words_clear(&w);
	rc = cmd_source_file(s, path, 0);
	free(path);
	return rc;
}

int
cmd_do_help(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	const struct cmd_def *t;
	size_t n, i;

	t = cmd_table_all(&n);
	cmd_out(s, "Commands (a message list is like 1-3 :u /subject alice; see petrel(1)):\n");
	for (i = 0; i < n; i++) {
		const char *sp = strstr(t[i].help, "  ");

		if (sp == NULL)
			continue;
		cmd_out(s, "  %s %.*s\n    %s\n", t[i].name, (int)(sp - t[i].help), t[i].help,
			sp + 2);
	}
	return 0;
}

int
cmd_do_list(struct cmd_session *s, const struct cmd_def *def, const char *args)
{
	const struct cmd_def *t;
	size_t n, i, col = 0;

	t = cmd_table_all(&n);
	for (i = 0; i < n; i++) {
		size_t l = strlen(t[i].name) + 1;

		if (col + l > 72) {
			cmd_out(s, "\n");
			col = 0;
		}
		cmd_out(s, "%s%s", col ? " " : "", t[i].name);
		col += l;
	}
	cmd_out(s, "\n");
	return 0;
}
