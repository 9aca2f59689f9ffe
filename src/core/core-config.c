/*
 * The configuration object: typed values (global and per account), their
 * defaults, the -S overrides, the getters, and the collected errors.  The
 * file syntax lives in core-config-parse.c.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/base-arena.h"
#include "base/base-log.h"
#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "core/core-config-int.h"
#include "core/core-config.h"

static const char *const quad_words[] = {"no", "yes", "ask-no", "ask-yes", NULL};

void
config_grow(void *array, size_t n, size_t size)
{
	void *p;

	/* Capacity is the next power of two: grow when n is one. */
	if (n != 0 && (n & (n - 1)) != 0)
		return;
	memcpy(&p, array, sizeof(p));
	p = xreallocarray(p, n ? n * 2 : 1, size);
	memcpy(array, &p, sizeof(p));
}

void
config_add_error(struct config *cfg, const char *where, const char *fmt, ...)
{
	struct str s = STR_INIT;
	va_list ap;
	char *r;

	if (where != NULL)
		str_appendf(&s, "%s: ", where);
	va_start(ap, fmt);
	str_appendvf(&s, fmt, ap);
	va_end(ap);
	/* The text comes from files: it must not drive the terminal. */
	r = arena_alloc(cfg->arena, s.len * 4 + 1);
	for (size_t i = 0, o = 0; i <= s.len; i++) {
		unsigned char c = (unsigned char)str_cstr(&s)[i];

		if ((c < 0x20 && c != '\0') || c == 0x7f)
			o += (size_t)snprintf(r + o, 5, "\\x%02x", c);
		else
			r[o++] = (char)c;
	}
	config_grow(&cfg->errors, cfg->n_errors, sizeof(*cfg->errors));
	cfg->errors[cfg->n_errors++] = r;
	log_trace(LOG_CH_CONFIG, "config: %s", r);
	str_free(&s);
}

const char *
config_display_name(struct config *cfg, const char *path)
{
	size_t n;

	if (cfg->home != NULL && (n = strlen(cfg->home)) > 1 && strncmp(path, cfg->home, n) == 0 &&
	    path[n] == '/')
		return arena_printf(cfg->arena, "~%s", path + n);
	return arena_strdup(cfg->arena, path);
}

const char *
config_quote(struct config *cfg, const char *text)
{
	return config_quote_max(cfg, text, 60);
}

const char *
config_quote_max(struct config *cfg, const char *text, size_t max)
{
	struct str s = STR_INIT;
	const char *r;
	size_t i;

	for (i = 0; text[i] != '\0'; i++) {
		unsigned char c = (unsigned char)text[i];

		/* Cut long text, but not inside a UTF-8 sequence. */
		if (s.len >= max && (c & 0xc0) != 0x80) {
			str_append(&s, "...");
			break;
		}
		if (c < 0x20 || c == 0x7f)
			str_appendf(&s, "\\x%02x", c);
		else
			str_append_char(&s, (char)c);
	}
	r = arena_strdup(cfg->arena, str_cstr(&s));
	str_free(&s);
	return r;
}

const char *
config_var_hint(struct config *cfg, const char *name)
{
	const char *best;

	/* "set nosmpt_url" meant "set nosmtp_url". */
	if (strncmp(name, "no", 2) == 0 && (best = vars_suggest(name + 2)) != NULL &&
	    strcmp(best, name + 2) != 0)
		return arena_printf(cfg->arena, " (did you mean \"no%s\"?)", best);
	if ((best = vars_suggest(name)) == NULL)
		return "";
	return arena_printf(cfg->arena, " (did you mean \"%s\"?)", best);
}

/* "a, b or c", each word with suffix after it. */
static const char *
join_words(struct config *cfg, const char *const *words, const char *suffix)
{
	struct str s = STR_INIT;
	const char *r;
	size_t n = 0;

	while (words[n] != NULL)
		n++;
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			str_append(&s, i + 1 == n ? " or " : ", ");
		str_appendf(&s, "%s%s", words[i], suffix);
	}
	r = arena_strdup(cfg->arena, str_cstr(&s));
	str_free(&s);
	return r;
}

static int
word_index(const char *const *words, const char *value)
{
	for (int i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], value) == 0)
			return i;
	return -1;
}

static int
parse_bool(const char *v)
{
	static const char *const yes[] = {"yes", "on", "true", "1", NULL};
	static const char *const no[] = {"no", "off", "false", "0", NULL};

	for (int i = 0; yes[i] != NULL; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	for (int i = 0; no[i] != NULL; i++)
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	return -1;
}

static int
parse_quad(const char *v)
{
	int b = parse_bool(v);

	if (b == 1)
		return CONFIG_QUAD_YES;
	if (b == 0)
		return CONFIG_QUAD_NO;
	if (strcasecmp(v, "ask-yes") == 0)
		return CONFIG_QUAD_ASK_YES;
	if (strcasecmp(v, "ask-no") == 0)
		return CONFIG_QUAD_ASK_NO;
	return -1;
}

static const char *
needs_word(enum var_type type)
{
	switch (type) {
	case VAR_T_NUMBER:
		return "NUMBER";
	case VAR_T_PATH:
		return "PATH";
	case VAR_T_FOLDER:
		return "FOLDER";
	case VAR_T_URL:
		return "URL";
	default:
		return "WORD";
	}
}

/* Whether text starts with SCHEME://, the sign it is meant as a URL. */
static int
looks_like_url(const char *text)
{
	size_t i = 0;

	if (!isalpha((unsigned char)text[0]))
		return 0;
	while (isalnum((unsigned char)text[i]) || text[i] == '+' || text[i] == '-' ||
	       text[i] == '.')
		i++;
	return strncmp(text + i, "://", 3) == 0;
}

static int
assign_url(struct config *cfg, const struct var_def *d, const char *value, struct config_value *v,
           struct err *err)
{
	struct config_url *url;
	struct err e = {0};

	if (config_url_parse(value, &url, &e) < 0)
		return err_set(err, ERR_USAGE, "\"%s\" takes a URL: %s", d->name, e.msg);
	config_grow(&cfg->urls, cfg->n_urls, sizeof(*cfg->urls));
	cfg->urls[cfg->n_urls++] = url;
	if (word_index(d->words, url->scheme) < 0) {
		char *red = xmalloc(strlen(value) + 4);
		const char *shown;

		config_url_redact(value, red, strlen(value) + 4);
		shown = config_quote(cfg, red);
		free(red);
		return err_set(err, ERR_USAGE, "\"%s\" takes %sa URL starting %s, not \"%s\"",
		               d->name, d->type == VAR_T_FOLDER ? "a path or " : "",
		               join_words(cfg, d->words, "://"), shown);
	}
	v->url = url;
	v->str = arena_strdup(cfg->arena, value);
	return 0;
}

static int
assign_path(struct config *cfg, const struct var_def *d, const char *value, int expand,
            struct config_value *v, struct err *err)
{
	struct err e = {0};
	char *path;

	if (!expand) {
		v->str = arena_strdup(cfg->arena, value);
		return 0;
	}
	if (config_path_expand(value, cfg->home, &path, &e) < 0)
		return err_set(err, ERR_USAGE, "\"%s\" takes a path: %s", d->name, e.msg);
	/* POSIX: a relative folder is relative to the home directory. */
	if (d == vars_def(VAR_FOLDER) && path[0] != '/' && cfg->home != NULL) {
		char *abs = xasprintf("%s/%s", cfg->home, path);

		free(path);
		path = abs;
	}
	v->str = arena_strdup(cfg->arena, path);
	free(path);
	return 0;
}

/* Parses value for d into *v (state and origin left to the caller). */
static int
parse_value(struct config *cfg, const struct var_def *d, const char *value, int expand,
            struct config_value *v, struct err *err)
{
	const char *why = NULL;
	char *end;
	long n;
	int i;

	if (value == NULL) {
		switch (d->type) {
		case VAR_T_BOOL:
		case VAR_T_QUAD:
			value = "yes";
			break;
		case VAR_T_STRING:
			value = "";
			break;
		case VAR_T_NUMBER:
			if (d->flags & VAR_F_BARE_ZERO) {
				value = "0";
				break;
			}
			/* fall through */
		default:
			return err_set(err, ERR_USAGE, "\"%s\" needs a value: set %s=%s", d->name,
			               d->name, needs_word(d->type));
		}
	}
	switch (d->type) {
	case VAR_T_BOOL:
		if ((i = parse_bool(value)) < 0)
			return err_set(err, ERR_USAGE, "\"%s\" takes yes or no, not \"%s\"",
			               d->name, config_quote(cfg, value));
		v->num = i;
		v->str = i ? "yes" : "no";
		return 0;
	case VAR_T_QUAD:
		if ((i = parse_quad(value)) < 0)
			return err_set(err, ERR_USAGE,
			               "\"%s\" takes yes, no, ask-yes or ask-no, not \"%s\"",
			               d->name, config_quote(cfg, value));
		v->num = i;
		v->str = quad_words[i];
		return 0;
	case VAR_T_NUMBER:
		errno = 0;
		n = strtol(value, &end, 10);
		if (end == value || *end != '\0' || isspace((unsigned char)value[0]))
			return err_set(err, ERR_USAGE, "\"%s\" takes a number, not \"%s\"", d->name,
			               config_quote(cfg, value));
		if (errno == ERANGE || n < d->min || n > d->max)
			return err_set(err, ERR_USAGE,
			               "\"%s\" takes a number from %ld to %ld, not \"%s\"", d->name,
			               d->min, d->max, config_quote(cfg, value));
		v->num = n;
		v->str = arena_printf(cfg->arena, "%ld", n);
		return 0;
	case VAR_T_STRING:
		if (d->check != NULL && d->check(value, &why) < 0)
			return err_set(err, ERR_USAGE, "\"%s\" takes %s, not \"%s\"", d->name, why,
			               config_quote(cfg, value));
		v->str = arena_strdup(cfg->arena, value);
		return 0;
	case VAR_T_PATH:
		return assign_path(cfg, d, value, expand, v, err);
	case VAR_T_FOLDER:
		if (looks_like_url(value))
			return assign_url(cfg, d, value, v, err);
		if (value[0] == '+' || value[0] == '=') {
			v->str = arena_strdup(cfg->arena, value);
			return 0;
		}
		return assign_path(cfg, d, value, expand, v, err);
	case VAR_T_URL:
		return assign_url(cfg, d, value, v, err);
	case VAR_T_ENUM:
		if ((i = word_index(d->words, value)) < 0)
			return err_set(err, ERR_USAGE, "\"%s\" takes %s, not \"%s\"", d->name,
			               join_words(cfg, d->words, ""), config_quote(cfg, value));
		v->num = i;
		v->str = d->words[i];
		return 0;
	case VAR_T_COUNT:
		break;
	}
	return err_set(err, ERR_INTERNAL, "\"%s\" has no type", d->name);
}

static struct config_value *
slot(struct config *cfg, struct config_account *acct, enum var_id id)
{
	return acct != NULL ? &acct->values[id] : &cfg->values[id];
}

static int
assign(struct config *cfg, struct config_account *acct, enum var_id id, const char *value,
       int expand, const char *origin, struct err *err)
{
	const struct var_def *d = vars_def(id);
	struct config_value v = {.state = CONFIG_SET, .origin = origin};

	/* An empty path or URL means "none", as in `set record=`. */
	if (value != NULL && value[0] == '\0' &&
	    (d->type == VAR_T_PATH || d->type == VAR_T_FOLDER || d->type == VAR_T_URL))
		v.state = CONFIG_UNSET;
	else if (parse_value(cfg, d, value, expand, &v, err) < 0)
		return -1;
	*slot(cfg, acct, id) = v;
	return 0;
}

int
config_assign(struct config *cfg, struct config_account *acct, enum var_id id, const char *value,
              const char *origin, struct err *err)
{
	return assign(cfg, acct, id, value, 1, origin, err);
}

int
config_unassign(struct config *cfg, struct config_account *acct, enum var_id id, const char *origin,
                struct err *err)
{
	const struct var_def *d = vars_def(id);
	struct config_value v = {.state = CONFIG_UNSET, .origin = origin};

	switch (d->type) {
	case VAR_T_BOOL:
	case VAR_T_QUAD:
		v.state = CONFIG_SET;
		v.num = 0;
		v.str = "no";
		break;
	case VAR_T_NUMBER:
	case VAR_T_ENUM:
		if (d->def != NULL)
			return err_set(
			    err, ERR_USAGE,
			    "\"%s\" cannot be unset; give it a value or use reset %s for "
			    "its default",
			    d->name, d->name);
		break;
	default:
		break;
	}
	*slot(cfg, acct, id) = v;
	return 0;
}

static void
set_default(struct config *cfg, enum var_id id)
{
	const struct var_def *d = vars_def(id);
	struct config_value *v = &cfg->values[id];
	struct err e = {0};

	if (d->env != NULL) {
		char *list = xstrdup(d->env), *save = NULL;

		for (char *name = strtok_r(list, ":", &save); name != NULL;
		     name = strtok_r(NULL, ":", &save)) {
			const char *value = getenv(name);

			if (value != NULL && value[0] != '\0' &&
			    assign(cfg, NULL, id, value, 0, "environment", &e) == 0) {
				free(list);
				return;
			}
		}
		free(list);
	}
	if (d->def == NULL || assign(cfg, NULL, id, d->def, 1, "default", &e) < 0) {
		/* A default that cannot be expanded (no home directory) is no value. */
		v->state = CONFIG_UNSET;
		v->origin = "default";
		if (d->def != NULL)
			log_trace(LOG_CH_CONFIG, "config: no default for %s: %s", d->name, e.msg);
	}
}

void
config_reset(struct config *cfg, struct config_account *acct, enum var_id id)
{
	if (acct != NULL)
		acct->values[id] = (struct config_value){.state = CONFIG_INHERIT};
	else
		set_default(cfg, id);
}

void
config_set_user_var(struct config *cfg, const char *name, const char *value)
{
	for (size_t i = 0; i < cfg->n_user_vars; i++) {
		if (strcmp(cfg->user_vars[i].name, name) == 0) {
			cfg->user_vars[i].value =
			    value != NULL ? arena_strdup(cfg->arena, value) : NULL;
			return;
		}
	}
	if (value == NULL)
		return;
	config_grow(&cfg->user_vars, cfg->n_user_vars, sizeof(*cfg->user_vars));
	cfg->user_vars[cfg->n_user_vars].name = arena_strdup(cfg->arena, name);
	cfg->user_vars[cfg->n_user_vars].value = arena_strdup(cfg->arena, value);
	cfg->n_user_vars++;
}

int
config_apply_set(struct config *cfg, struct config_account *acct, const char *name,
                 const char *value, const char *origin, int mailrc, int *id_r, struct err *err)
{
	int id = vars_lookup(name);

	if (id >= 0) {
		*id_r = id;
		return config_assign(cfg, acct, (enum var_id)id, value, origin, err);
	}
	if (value == NULL && strncmp(name, "no", 2) == 0 && (id = vars_lookup(name + 2)) >= 0) {
		*id_r = id;
		return config_unassign(cfg, acct, (enum var_id)id, origin, err);
	}
	*id_r = -1;
	if (mailrc) {
		/* POSIX mailx takes any name; the mailx face may use it. */
		if (value == NULL && strncmp(name, "no", 2) == 0)
			config_set_user_var(cfg, name + 2, NULL);
		else
			config_set_user_var(cfg, name, value != NULL ? value : "");
		return 0;
	}
	return err_set(err, ERR_USAGE, "unknown variable \"%s\"%s", config_quote(cfg, name),
	               config_var_hint(cfg, name));
}

struct config *
config_new(void)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	const char *home = getenv("HOME");

	cfg->arena = arena_new();
	if (home != NULL && home[0] != '\0') {
		cfg->home = arena_strdup(cfg->arena, home);
	} else {
		struct passwd pw, *res = NULL;
		char buf[4096];

		if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &res) == 0 && res != NULL &&
		    pw.pw_dir[0] != '\0')
			cfg->home = arena_strdup(cfg->arena, pw.pw_dir);
	}
	for (int id = 0; id < VAR_COUNT; id++)
		set_default(cfg, (enum var_id)id);
	return cfg;
}

void
config_free(struct config **cfgp)
{
	struct config *cfg = *cfgp;

	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->n_urls; i++)
		free(cfg->urls[i]);
	free(cfg->urls);
	free(cfg->accounts);
	free(cfg->records);
	free(cfg->mailrc);
	free(cfg->user_vars);
	free(cfg->errors);
	free(cfg->overrides);
	arena_free(&cfg->arena);
	free(cfg);
	*cfgp = NULL;
}

/* under_home inside the home directory; NULL when there is none. */
static char *
home_path(const char *under_home)
{
	const char *home = getenv("HOME");

	if (home == NULL || home[0] == '\0') {
		struct passwd *pw = getpwuid(getuid());

		home = pw != NULL ? pw->pw_dir : NULL;
	}
	return home != NULL ? xasprintf("%s/%s", home, under_home) : NULL;
}

char *
config_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");

	/* The XDG spec: a relative $XDG_CONFIG_HOME is invalid and ignored. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/petrel/config", xdg);
	return home_path(".config/petrel/config");
}

char *
config_mailrc_path(void)
{
	const char *mailrc = getenv("MAILRC");

	if (mailrc != NULL && mailrc[0] != '\0')
		return xstrdup(mailrc);
	return home_path(".mailrc");
}

static void
clear_accounts(struct config *cfg, enum var_id id)
{
	for (size_t i = 0; i < cfg->n_accounts; i++)
		cfg->accounts[i]->values[id] = (struct config_value){.state = CONFIG_INHERIT};
}

static int
apply_override(struct config *cfg, const char *assignment, struct err *err)
{
	const char *eq = strchr(assignment, '=');
	char *name = eq ? xstrndup(assignment, (size_t)(eq - assignment)) : xstrdup(assignment);
	struct err e = {0};
	int id, ret = -1;

	if (config_apply_set(cfg, NULL, name, eq ? eq + 1 : NULL, "-S", 0, &id, &e) < 0) {
		err_set(err, ERR_USAGE, "-S %s: %s", config_quote(cfg, assignment), e.msg);
		goto out;
	}
	clear_accounts(cfg, (enum var_id)id);
	ret = 0;
out:
	free(name);
	return ret;
}

int
config_set_override(struct config *cfg, const char *assignment, struct err *err)
{
	if (apply_override(cfg, assignment, err) < 0)
		return -1;
	config_grow(&cfg->overrides, cfg->n_overrides, sizeof(*cfg->overrides));
	cfg->overrides[cfg->n_overrides++] = arena_strdup(cfg->arena, assignment);
	return 0;
}

int
config_apply_overrides(struct config *cfg)
{
	int errors = 0;

	for (size_t i = 0; i < cfg->n_overrides; i++) {
		struct err e = {0};

		if (apply_override(cfg, cfg->overrides[i], &e) < 0) {
			config_add_error(cfg, NULL, "%s", e.msg);
			errors++;
		}
	}
	return errors;
}

int
config_check_default_account(struct config *cfg)
{
	const struct config_value *v = &cfg->values[VAR_DEFAULT_ACCOUNT];
	struct str names = STR_INIT;
	const char *where = NULL;

	if (v->state != CONFIG_SET || config_account_find(cfg, v->str) != NULL)
		return 0;
	for (size_t i = 0; i < cfg->n_accounts; i++)
		str_appendf(&names, "%s%s", i ? ", " : "", cfg->accounts[i]->name);
	if (strcmp(v->origin, "-S") == 0)
		where =
		    arena_printf(cfg->arena, "-S default_account=%s", config_quote(cfg, v->str));
	else if (strcmp(v->origin, "default") != 0 && strcmp(v->origin, "environment") != 0)
		where = v->origin;
	config_add_error(cfg, where, "default_account names no account: \"%s\" (%s%s)",
	                 config_quote(cfg, v->str), cfg->n_accounts ? "accounts: " : "no accounts",
	                 config_quote(cfg, str_cstr(&names)));
	str_free(&names);
	return 1;
}

int
config_load_buffer(struct config *cfg, const char *name, const char *data, size_t len,
                   unsigned flags, struct err *err)
{
	/* An empty buffer may come as NULL; NULL means "read the file" below. */
	return config_parse(cfg, name, data != NULL ? data : "", len, flags, err);
}

int
config_load_file(struct config *cfg, const char *path, unsigned flags, struct err *err)
{
	return config_parse(cfg, path, NULL, 0, flags, err);
}

size_t
config_error_count(const struct config *cfg)
{
	return cfg->n_errors;
}

const char *
config_error(const struct config *cfg, size_t i)
{
	return i < cfg->n_errors ? cfg->errors[i] : NULL;
}

static const struct config_value *
value_of(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	if ((unsigned)id >= VAR_COUNT) {
		log_error("internal error: configuration variable id %d out of range", (int)id);
		abort();
	}
	if (acct != NULL && acct->values[id].state != CONFIG_INHERIT)
		return &acct->values[id];
	return &cfg->values[id];
}

static void
type_bug(enum var_id id, const char *asked)
{
	const struct var_def *d = vars_def(id);

	log_error("internal error: %s is a %s, asked for as a %s", d->name, vars_type_name(d->type),
	          asked);
	abort();
}

int
config_bool(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	const struct config_value *v = value_of(cfg, acct, id);

	if (vars_def(id)->type != VAR_T_BOOL)
		type_bug(id, "boolean");
	return v->state == CONFIG_SET && v->num != 0;
}

long
config_number(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	const struct config_value *v = value_of(cfg, acct, id);

	if (vars_def(id)->type != VAR_T_NUMBER)
		type_bug(id, "number");
	return v->state == CONFIG_SET ? v->num : 0;
}

const char *
config_string(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	const struct config_value *v = value_of(cfg, acct, id);
	enum var_type t = vars_def(id)->type;

	if (t == VAR_T_BOOL || t == VAR_T_NUMBER || t == VAR_T_QUAD)
		type_bug(id, "string");
	return v->state == CONFIG_SET ? v->str : NULL;
}

enum config_quad
config_quad(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	const struct config_value *v = value_of(cfg, acct, id);

	if (vars_def(id)->type != VAR_T_QUAD)
		type_bug(id, "quad-option");
	return v->state == CONFIG_SET ? (enum config_quad)v->num : CONFIG_QUAD_NO;
}

int
config_enum(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	const struct config_value *v = value_of(cfg, acct, id);

	if (vars_def(id)->type != VAR_T_ENUM)
		type_bug(id, "word");
	return v->state == CONFIG_SET ? (int)v->num : -1;
}

const struct config_url *
config_url(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	const struct config_value *v = value_of(cfg, acct, id);
	enum var_type t = vars_def(id)->type;

	if (t != VAR_T_URL && t != VAR_T_FOLDER)
		type_bug(id, "URL");
	return v->state == CONFIG_SET ? v->url : NULL;
}

int
config_is_set(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	return value_of(cfg, acct, id)->state == CONFIG_SET;
}

const char *
config_origin(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	return value_of(cfg, acct, id)->origin;
}

const char *
config_value_text(const struct config *cfg, const struct config_account *acct, enum var_id id)
{
	const struct config_value *v = value_of(cfg, acct, id);

	return v->state == CONFIG_SET ? v->str : NULL;
}

int
config_get_bool(const struct config *cfg, const struct config_account *acct, const char *name)
{
	int id = vars_lookup(name);

	if (id < 0 || vars_def((enum var_id)id)->type != VAR_T_BOOL)
		return -1;
	return config_bool(cfg, acct, (enum var_id)id);
}

int
config_get_number(const struct config *cfg, const struct config_account *acct, const char *name,
                  long *value_r)
{
	int id = vars_lookup(name);

	if (id < 0 || vars_def((enum var_id)id)->type != VAR_T_NUMBER)
		return -1;
	*value_r = config_number(cfg, acct, (enum var_id)id);
	return 0;
}

const char *
config_get_string(const struct config *cfg, const struct config_account *acct, const char *name)
{
	int id = vars_lookup(name);

	return id < 0 ? NULL : config_value_text(cfg, acct, (enum var_id)id);
}

int
config_get_quad(const struct config *cfg, const struct config_account *acct, const char *name)
{
	int id = vars_lookup(name);

	if (id < 0 || vars_def((enum var_id)id)->type != VAR_T_QUAD)
		return -1;
	return (int)config_quad(cfg, acct, (enum var_id)id);
}

const char *
config_user_var(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_user_vars; i++)
		if (strcmp(cfg->user_vars[i].name, name) == 0)
			return cfg->user_vars[i].value;
	return NULL;
}

size_t
config_account_count(const struct config *cfg)
{
	return cfg->n_accounts;
}

const struct config_account *
config_account_at(const struct config *cfg, size_t i)
{
	return i < cfg->n_accounts ? cfg->accounts[i] : NULL;
}

const struct config_account *
config_account_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_accounts; i++)
		if (strcmp(cfg->accounts[i]->name, name) == 0)
			return cfg->accounts[i];
	return NULL;
}

const struct config_account *
config_account_default(const struct config *cfg)
{
	const char *name = config_string(cfg, NULL, VAR_DEFAULT_ACCOUNT);

	if (name != NULL)
		return config_account_find(cfg, name);
	return cfg->n_accounts > 0 ? cfg->accounts[0] : NULL;
}

const char *
config_account_name(const struct config_account *acct)
{
	return acct->name;
}

const struct config_record *
config_records(const struct config *cfg, size_t *count_r)
{
	*count_r = cfg->n_records;
	return cfg->records;
}

const struct config_mailrc_line *
config_mailrc_lines(const struct config *cfg, size_t *count_r)
{
	*count_r = cfg->n_mailrc;
	return cfg->mailrc;
}

int
config_expand_folder(const struct config *cfg, const struct config_account *acct, const char *name,
                     char **result_r, struct err *err)
{
	if (name[0] == '+' || name[0] == '=') {
		const char *folder = config_string(cfg, acct, VAR_FOLDER);
		size_t n;

		if (folder == NULL)
			return err_set(err, ERR_USAGE,
			               "\"%s\" is relative to folder, which is not set", name);
		n = strlen(folder);
		*result_r =
		    xasprintf("%s%s%s", folder, n > 0 && folder[n - 1] == '/' ? "" : "/", name + 1);
		return 0;
	}
	if (looks_like_url(name)) {
		*result_r = xstrdup(name);
		return 0;
	}
	return config_path_expand(name, cfg->home, result_r, err);
}
