/*
 * base-xalloc: allocation that never returns NULL.
 *
 * Running out of memory aborts with a message.  That is only safe because
 * every parser of untrusted input has hard bounds (DESIGN.md), so no peer
 * can make petrel ask for unbounded memory.  Callers free with free().
 */
#ifndef BASE_XALLOC_H
#define BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* realloc for nmemb * size, aborting on overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Frees *p and sets it to NULL. */
void xfree(void *pp);
/* Overwrites len bytes of p (a secret: a password, a SASL response) with
 * zeros the compiler cannot drop, then frees it; NULL is fine. */
void xfree_wiped(void *p, size_t len);

#endif
