#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-str.h"
#include "base/base-xalloc.h"

void
str_init(struct str *str)
{
	str->s = NULL;
	str->len = 0;
	str->cap = 0;
}

void
str_free(struct str *str)
{
	free(str->s);
	str_init(str);
}

void
str_reset(struct str *str)
{
	str->len = 0;
	if (str->s != NULL)
		str->s[0] = '\0';
}

void
str_reserve(struct str *str, size_t more)
{
	size_t need = str->len + more + 1;
	size_t cap;

	if (need <= str->cap)
		return;
	cap = str->cap ? str->cap : 64;
	while (cap < need)
		cap *= 2;
	str->s = xrealloc(str->s, cap);
	str->cap = cap;
	/* Keep the contract "always NUL-terminated" even before any append. */
	str->s[str->len] = '\0';
}

void
str_append_len(struct str *str, const void *data, size_t len)
{
	str_reserve(str, len);
	if (len > 0)
		memcpy(str->s + str->len, data, len);
	str->len += len;
	str->s[str->len] = '\0';
}

void
str_append(struct str *str, const char *s)
{
	str_append_len(str, s, strlen(s));
}

void
str_append_char(struct str *str, char c)
{
	str_append_len(str, &c, 1);
}

void
str_appendvf(struct str *str, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	str_reserve(str, (size_t)n);
	vsnprintf(str->s + str->len, (size_t)n + 1, fmt, ap);
	str->len += (size_t)n;
}

void
str_appendf(struct str *str, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	str_appendvf(str, fmt, ap);
	va_end(ap);
}

void
str_consume(struct str *str, size_t n)
{
	if (n >= str->len) {
		str_reset(str);
		return;
	}
	memmove(str->s, str->s + n, str->len - n);
	str->len -= n;
	str->s[str->len] = '\0';
}

void
str_truncate(struct str *str, size_t len)
{
	if (len < str->len) {
		str->len = len;
		str->s[len] = '\0';
	}
}

char *
str_detach(struct str *str)
{
	char *s = str->s;

	if (s == NULL)
		s = xstrdup("");
	str_init(str);
	return s;
}

const char *
str_cstr(const struct str *str)
{
	return str->s != NULL ? str->s : "";
}

int
str_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
str_append_size(struct str *str, uint64_t size)
{
	if (size < 1024)
		str_appendf(str, "%llu bytes", (unsigned long long)size);
	else if (size < 10 * 1024)
		str_appendf(str, "%.1f KB", (double)size / 1024);
	else if (size < 1024 * 1024)
		str_appendf(str, "%llu KB", (unsigned long long)((size + 512) / 1024));
	else
		str_appendf(str, "%.1f MB", (double)size / (1024 * 1024));
}

int
str_append_unquoted(struct str *str, const char **p)
{
	const char *q = *p + 1;

	for (; *q != '\0' && *q != '"'; q++) {
		if (*q == '\\' && q[1] != '\0')
			q++;
		str_append_char(str, *q);
	}
	if (*q != '"') {
		*p = q;
		return -1;
	}
	*p = q + 1;
	return 0;
}
