/*
 * base-arena: bump allocation for things that die together.
 *
 * One arena per lifetime: a response line, a command, a message crossing
 * threads, a folder's summaries.  Nothing in an arena is freed on its own;
 * arena_reset() or arena_free() releases everything at once.  Not
 * thread-safe: an arena has one owner at a time (handing it to another
 * thread hands over ownership).
 */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Frees the arena and everything in it; sets *arena to NULL. */
void arena_free(struct arena **arena);
/* Releases everything allocated so far; the arena stays usable. */
void arena_reset(struct arena *arena);
/* Zeroed memory, aligned for any type; valid until reset or free. */
void *arena_alloc(struct arena *arena, size_t size);
char *arena_strdup(struct arena *arena, const char *s);
char *arena_strndup(struct arena *arena, const char *s, size_t n);
void *arena_memdup(struct arena *arena, const void *p, size_t n);
char *arena_printf(struct arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Total bytes handed out since the last reset. */
size_t arena_used(const struct arena *arena);

#endif
