#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/base-xalloc.h"
#include "imap/imap-seqset.h"

/* Reads one nz-number at s[*pos]; 0 when there is none or it overflows. */
static uint32_t
read_nz(const char *s, size_t len, size_t *pos)
{
	uint64_t v = 0;
	size_t p = *pos;

	if (p >= len || s[p] < '1' || s[p] > '9')
		return 0;
	while (p < len && s[p] >= '0' && s[p] <= '9') {
		v = v * 10 + (uint64_t)(s[p] - '0');
		if (v > UINT32_MAX)
			return 0;
		p++;
	}
	*pos = p;
	return (uint32_t)v;
}

int
imap_seqset_parse(struct arena *arena, const char *s, size_t len, size_t ranges_max,
		  struct imap_seqset *set_r, const char **why_r)
{
	struct imap_range *r;
	size_t n = 1, pos = 0, i = 0;

	set_r->r = NULL;
	set_r->n = 0;
	if (len == 0) {
		*why_r = "empty sequence set";
		return -1;
	}
	for (size_t k = 0; k < len; k++)
		if (s[k] == ',')
			n++;
	if (n > ranges_max) {
		*why_r = "too many ranges in a sequence set";
		return -1;
	}
	r = arena_alloc(arena, n * sizeof(*r));
	while (pos < len) {
		uint32_t lo = read_nz(s, len, &pos), hi;

		if (lo == 0) {
			*why_r = pos < len && s[pos] == '*' ? "\"*\" in a server's sequence set"
							    : "bad number in a sequence set";
			return -1;
		}
		hi = lo;
		if (pos < len && s[pos] == ':') {
			pos++;
			hi = read_nz(s, len, &pos);
			if (hi == 0) {
				*why_r = "bad range in a sequence set";
				return -1;
			}
		}
		if (hi < lo) {
			uint32_t t = lo;
			lo = hi;
			hi = t;
		}
		r[i].lo = lo;
		r[i].hi = hi;
		i++;
		if (pos < len) {
			if (s[pos] != ',' || pos + 1 == len) {
				*why_r = "bad separator in a sequence set";
				return -1;
			}
			pos++;
		}
	}
	set_r->r = r;
	set_r->n = i;
	return 0;
}

uint64_t
imap_seqset_count(const struct imap_seqset *set)
{
	uint64_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		n += (uint64_t)set->r[i].hi - set->r[i].lo + 1;
	return n;
}

int
imap_seqset_contains(const struct imap_seqset *set, uint32_t value)
{
	for (size_t i = 0; i < set->n; i++)
		if (value >= set->r[i].lo && value <= set->r[i].hi)
			return 1;
	return 0;
}

uint32_t
imap_seqset_nth(const struct imap_seqset *set, uint64_t index)
{
	for (size_t i = 0; i < set->n; i++) {
		uint64_t width = (uint64_t)set->r[i].hi - set->r[i].lo + 1;

		if (index < width)
			return (uint32_t)(set->r[i].lo + index);
		index -= width;
	}
	return 0;
}

size_t
imap_seqset_format(struct str *out, const uint32_t *ids, size_t n, size_t max_len)
{
	size_t i = 0, written = 0;
	char buf[32];

	while (i < n) {
		uint32_t lo, hi;
		size_t j, blen;

		if (ids[i] == 0) {
			i++;
			continue;
		}
		lo = hi = ids[i];
		j = i + 1;
		while (j < n && (ids[j] == hi || (hi < UINT32_MAX && ids[j] == hi + 1))) {
			hi = ids[j];
			j++;
		}
		if (lo == hi)
			blen = (size_t)snprintf(buf, sizeof(buf), "%s%u", written ? "," : "", lo);
		else
			blen = (size_t)snprintf(buf, sizeof(buf), "%s%u:%u", written ? "," : "",
						lo, hi);
		if (written + blen <= max_len) {
			str_append_len(out, buf, blen);
			written += blen;
			i = j;
			continue;
		}
		/* The run does not fit whole: its first id may, and the first
		 * id of a set always goes, so every call makes progress. */
		blen = (size_t)snprintf(buf, sizeof(buf), "%s%u", written ? "," : "", lo);
		if (written == 0 || written + blen <= max_len) {
			str_append_len(out, buf, blen);
			while (i < n && ids[i] == lo)
				i++;
		}
		break;
	}
	return i;
}

int
imap_seqset_valid(const char *s)
{
	int need_value = 1, colon = 0;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '*' || (*s >= '0' && *s <= '9')) {
			if (*s == '0' && need_value)
				return 0;
			if (*s == '*' && !need_value)
				return 0;
			need_value = 0;
			if (*s == '*' && s[1] != '\0' && s[1] != ',' && s[1] != ':')
				return 0;
		} else if (*s == ',' || *s == ':') {
			if (need_value || (*s == ':' && colon))
				return 0;
			colon = *s == ':';
			need_value = 1;
		} else {
			return 0;
		}
	}
	return !need_value;
}
