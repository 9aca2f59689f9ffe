/*
 * base-str: the one growable string type.
 *
 * Always NUL-terminated (once anything was appended) and length-aware, so
 * it holds binary data too.  Embedded in its owner: str_init / str_free.
 */
#ifndef BASE_STR_H
#define BASE_STR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	char *s;
	size_t len;
	size_t cap;
};

#define STR_INIT {NULL, 0, 0}

void str_init(struct str *str);
/* Frees the buffer; the struct can be reused. */
void str_free(struct str *str);
/* Empties the string, keeping the buffer. */
void str_reset(struct str *str);
void str_reserve(struct str *str, size_t more);
void str_append(struct str *str, const char *s);
void str_append_len(struct str *str, const void *data, size_t len);
void str_append_char(struct str *str, char c);
void str_appendf(struct str *str, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void str_appendvf(struct str *str, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Removes the first n bytes. */
void str_consume(struct str *str, size_t n);
void str_truncate(struct str *str, size_t len);
/* Returns the buffer (caller frees, never NULL) and leaves str empty. */
char *str_detach(struct str *str);
/* The contents, "" when empty; valid until the next change. */
const char *str_cstr(const struct str *str);

/* Appends a size in bytes as people read it: "812 bytes", "1.5 KB",
 * "12 KB", "1.5 MB". */
void str_append_size(struct str *str, uint64_t size);

/* The value of the hexadecimal digit c (either case), or -1. */
int str_hex_digit(int c);

/* Appends the text of the quoted string at *p ('"' there; \" and \\
 * stand for " and \) and moves *p past its closing quote: 0, or -1 when
 * the string is not closed (*p then at its end). */
int str_append_unquoted(struct str *str, const char **p);

#endif
