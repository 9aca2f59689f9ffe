#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/base-arena.h"
#include "base/base-xalloc.h"

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_block *head;
	size_t used;
};

struct arena *
arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

static void
free_blocks(struct arena_block *b)
{
	while (b != NULL) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
}

void
arena_free(struct arena **arena)
{
	if (*arena == NULL)
		return;
	free_blocks((*arena)->head);
	free(*arena);
	*arena = NULL;
}

void
arena_reset(struct arena *arena)
{
	/* Keep the newest block (usually the largest) for reuse. */
	if (arena->head != NULL) {
		free_blocks(arena->head->next);
		arena->head->next = NULL;
		arena->head->used = 0;
	}
	arena->used = 0;
}

void *
arena_alloc(struct arena *arena, size_t size)
{
	struct arena_block *b = arena->head;
	size_t rounded;
	void *p;

	if (size > SIZE_MAX - ARENA_ALIGN - ARENA_BLOCK)
		abort();
	rounded = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (rounded == 0)
		rounded = ARENA_ALIGN;
	if (b == NULL || b->size - b->used < rounded) {
		size_t bsize = rounded > ARENA_BLOCK ? rounded : ARENA_BLOCK;

		b = xmalloc(sizeof(*b) + bsize);
		b->size = bsize;
		b->used = 0;
		/* A big one-off allocation goes behind the current block so the
		 * current block's free space is not wasted. */
		if (arena->head != NULL && rounded > ARENA_BLOCK) {
			b->next = arena->head->next;
			arena->head->next = b;
		} else {
			b->next = arena->head;
			arena->head = b;
		}
	}
	p = b->data + b->used;
	b->used += rounded;
	arena->used += size;
	memset(p, 0, size);
	return p;
}

void *
arena_memdup(struct arena *arena, const void *src, size_t n)
{
	void *p = arena_alloc(arena, n);

	if (n > 0)
		memcpy(p, src, n);
	return p;
}

char *
arena_strndup(struct arena *arena, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = arena_alloc(arena, len + 1);

	memcpy(p, s, len);
	return p;
}

char *
arena_strdup(struct arena *arena, const char *s)
{
	return arena_memdup(arena, s, strlen(s) + 1);
}

char *
arena_printf(struct arena *arena, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(arena, "");
	p = arena_alloc(arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_used(const struct arena *arena)
{
	return arena->used;
}
