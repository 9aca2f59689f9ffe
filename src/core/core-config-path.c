/*
 * Expansion of file names in the configuration, the way a shell user
 * expects: ~ and ~user at the start, $NAME, ${NAME} and ${NAME:-word}
 * anywhere.  A variable that is not set is an error, not an empty string,
 * so a typo does not quietly turn ~/$MAILDIR/x into ~//x.
 */
#include "config.h"

#include <ctype.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"
#include "core/core-config-int.h"

static int
expand_tilde(const char **pp, const char *home, struct str *out, struct err *err)
{
	const char *p = *pp + 1;
	size_t n = strcspn(p, "/");

	if (n == 0) {
		if (home == NULL)
			return err_set(err, ERR_USAGE,
			               "\"~\" cannot be expanded: $HOME is not set");
		str_append(out, home);
	} else {
		struct passwd pw, *res = NULL;
		char user[256], buf[4096];

		if (n >= sizeof(user))
			return err_set(err, ERR_USAGE, "there is no user \"%.40s...\"", p);
		memcpy(user, p, n);
		user[n] = '\0';
		if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
			return err_set(err, ERR_USAGE, "there is no user \"%s\" (for \"~%s\")",
			               user, user);
		str_append(out, pw.pw_dir);
	}
	*pp = p + n;
	return 0;
}

static int
is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static int
is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int
expand(const char *text, const char *home, struct str *out, struct err *err)
{
	const char *p = text;

	if (p[0] == '~' && expand_tilde(&p, home, out, err) < 0)
		return -1;
	while (*p != '\0') {
		const char *value, *word = NULL;
		char name[128];
		size_t n, word_len = 0;

		if (p[0] != '$' || (p[1] != '{' && !is_name_start(p[1]))) {
			str_append_char(out, *p++);
			continue;
		}
		if (p[1] == '{') {
			const char *close = strchr(p + 2, '}');

			if (close == NULL)
				return err_set(err, ERR_USAGE, "unterminated \"${\" in \"%.60s\"",
				               text);
			n = 0;
			while (is_name_char(p[2 + n]))
				n++;
			if (n == 0 || !is_name_start(p[2]) ||
			    (p + 2 + n != close && strncmp(p + 2 + n, ":-", 2) != 0))
				return err_set(err, ERR_USAGE, "bad variable name in \"%.*s\"",
				               (int)(close - p + 1 > 60 ? 60 : close - p + 1), p);
			if (p + 2 + n != close) {
				word = p + 2 + n + 2;
				word_len = (size_t)(close - word);
			}
			if (n >= sizeof(name))
				return err_set(err, ERR_USAGE,
				               "variable name too long in \"%.60s\"", text);
			memcpy(name, p + 2, n);
			name[n] = '\0';
			p = close + 1;
		} else {
			n = 1;
			while (is_name_char(p[1 + n]))
				n++;
			if (n >= sizeof(name))
				return err_set(err, ERR_USAGE,
				               "variable name too long in \"%.60s\"", text);
			memcpy(name, p + 1, n);
			name[n] = '\0';
			p += 1 + n;
		}
		value = getenv(name);
		if (word != NULL && (value == NULL || value[0] == '\0')) {
			/* The word is shorter than text: this recursion ends. */
			char *w = xstrndup(word, word_len);
			int r = expand(w, home, out, err);

			free(w);
			if (r < 0)
				return -1;
			continue;
		}
		if (value == NULL)
			return err_set(err, ERR_USAGE, "environment variable \"%s\" is not set",
			               name);
		str_append(out, value);
	}
	return 0;
}

int
config_path_expand(const char *text, const char *home, char **result_r, struct err *err)
{
	struct str out = STR_INIT;

	if (expand(text, home, &out, err) < 0) {
		str_free(&out);
		return -1;
	}
	*result_r = str_detach(&out);
	return 0;
}
