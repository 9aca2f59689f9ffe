/*
 * base-mechlist: SASL mechanism lists as servers announce them (SMTP's
 * "AUTH PLAIN LOGIN", POP3's "SASL PLAIN"), kept as one space-separated,
 * upper-cased, deduplicated string in a fixed buffer.  Pure computation.
 */
#ifndef BASE_MECHLIST_H
#define BASE_MECHLIST_H

#include <stdbool.h>
#include <stddef.h>

/* Whether list holds mech (case-insensitive). */
bool mechlist_has(const char *list, const char *mech);
/* Adds the valid names of text (RFC 4422: 1 to 20 letters, digits, '-',
 * '_') to list (size bytes, NUL-terminated), upper-cased, skipping names
 * already there, invalid ones and any that would not fit. */
void mechlist_add(char *list, size_t size, const char *text);

#endif
