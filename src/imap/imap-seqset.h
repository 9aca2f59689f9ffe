/*
 * imap-seqset: IMAP sequence sets ("1:5,7,9:12"), read and written.
 *
 * Sets a server sends (VANISHED, COPYUID, APPENDUID, MODIFIED, ESEARCH
 * ALL) are parsed strictly into ranges, never expanded into arrays, so a
 * hostile "1:4294967295" costs one range.  Sets petrel sends are written
 * from UID lists with runs compressed into ranges and cut to a length
 * bound, so one long list becomes several commands.
 *
 * Pure functions: callable from any thread, never block.
 */
#ifndef IMAP_SEQSET_H
#define IMAP_SEQSET_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-arena.h"
#include "base/base-str.h"

struct imap_range {
	uint32_t lo, hi; /* lo <= hi, both >= 1 */
};

struct imap_seqset {
	const struct imap_range *r; /* in the order sent */
	size_t n;
};

/*
 * Parses a uid-set / sequence-set of numbers: no "*", no empty element, no
 * 0, a reversed range "9:3" read as 3:9 (RFC 3501 allows it).  At most
 * `ranges_max` ranges.  Ranges live in `arena`.  Returns 0 or -1 (*why_r:
 * static text).
 */
int imap_seqset_parse(struct arena *arena, const char *s, size_t len, size_t ranges_max,
		      struct imap_seqset *set_r, const char **why_r);
/* The number of values, counting overlaps again. */
uint64_t imap_seqset_count(const struct imap_seqset *set);
/* 1 when `value` is in the set. */
int imap_seqset_contains(const struct imap_seqset *set, uint32_t value);
/* The index-th value in set order (0-based); 0 when index is past the end.
 * Used to pair COPYUID source and destination UIDs. */
uint32_t imap_seqset_nth(const struct imap_seqset *set, uint64_t index);

/*
 * Appends to `out` a set for ids[0..n) (ascending runs become ranges,
 * zeros are skipped) of at most `max_len` bytes, stopping before the id
 * that would not fit; at least one id is written when n > 0.  Returns how
 * many ids were used, so a caller loops:
 *   while (n > 0) { used = imap_seqset_format(&s, ids, n, 8000); ids += used; n -= used; ... }
 */
size_t imap_seqset_format(struct str *out, const uint32_t *ids, size_t n, size_t max_len);
/* 1 when s is a sequence set petrel may send: numbers, ":", ",", "*". */
int imap_seqset_valid(const char *s);

#endif
