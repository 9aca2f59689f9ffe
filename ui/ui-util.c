#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/base-xalloc.h"
#include "ui/ui-util.h"

void
ui_strv_take(struct ui_strv *sv, char *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 2, sizeof(*sv->v));
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void
ui_strv_push(struct ui_strv *sv, const char *s)
{
	ui_strv_take(sv, xstrdup(s));
}

void
ui_strv_remove(struct ui_strv *sv, size_t i)
{
	if (i >= sv->n)
		return;
	free(sv->v[i]);
	memmove(&sv->v[i], &sv->v[i + 1], (sv->n - i) * sizeof(*sv->v));
	sv->n--;
}

void
ui_strv_clear(struct ui_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

void
ui_shell_quote(struct str *out, const char *s)
{
	str_append_char(out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			str_append(out, "'\\''");
		else
			str_append_char(out, *s);
	}
	str_append_char(out, '\'');
}

const char *
ui_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	return t != NULL && *t == '/' ? t : "/tmp";
}

char *
ui_mkdtemp(const char *what, struct err *err)
{
	char *path = xasprintf("%s/petrel-%s-XXXXXX", ui_tmpdir(), what);

	if (mkdtemp(path) == NULL) {
		err_sys(err, ERR_IO, errno, "cannot create a temporary directory in %s",
		        ui_tmpdir());
		free(path);
		return NULL;
	}
	return path;
}

void
ui_rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *p;

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			p = xasprintf("%s/%s", dir, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

void
ui_lower_copy(char *dst, size_t size, const char *src)
{
	size_t i;

	if (size == 0)
		return;
	for (i = 0; i + 1 < size && src[i] != '\0'; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] - 'A' + 'a' : src[i]);
	dst[i] = '\0';
}

/* Length of a reply or forward prefix at s ("Re:", "Re[3]:", "Fwd:"), 0 if none. */
static size_t
prefix_len(const char *s)
{
	static const char *const words[] = {"re", "fwd", "fw", "aw", "sv", "wg", NULL};

	for (size_t i = 0; words[i] != NULL; i++) {
		size_t n = strlen(words[i]);
		const char *p = s + n;

		if (strncasecmp(s, words[i], n) != 0)
			continue;
		if (*p == '[') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
			if (*p != ']')
				continue;
			p++;
		}
		if (*p == ':')
			return (size_t)(p + 1 - s);
	}
	return 0;
}

const char *
ui_subject_base(const char *s)
{
	size_t n;

	if (s == NULL)
		return "";
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		n = prefix_len(s);
		if (n == 0)
			return s;
		s += n;
	}
}

void
ui_url_redact(struct str *out, const char *url)
{
	const char *scheme = strstr(url, "://"), *auth, *end, *at, *colon;

	if (scheme == NULL) {
		str_append(out, url);
		return;
	}
	auth = scheme + 3;
	end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	colon = at != NULL ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon == NULL) {
		str_append(out, url);
		return;
	}
	str_append_len(out, url, (size_t)(colon - url));
	str_append(out, at);
}
