/*
 * Helpers shared by the mime unit tests: an independent check that text
 * is safe for a terminal (written apart from mime_sanitize, so the tests
 * do not trust the code they test).
 */
#ifndef MIME_TEST_UTIL_H
#define MIME_TEST_UTIL_H

#include <stddef.h>

/* 1 when s holds no byte a terminal could act on: no C0 control but LF and
 * TAB, no DEL, and, read as UTF-8 (utf8 = 1), valid UTF-8 without C1
 * controls or bidi embeddings/overrides/isolates; read as an 8-bit
 * charset (utf8 = 0), no byte 0x80..0x9f. */
int mime_test_terminal_safe(const char *s, size_t len, int utf8);

#endif
