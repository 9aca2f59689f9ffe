/*
 * mime-text: making message text safe to show, and small text transforms.
 *
 * Nothing taken from a message reaches a terminal without passing through
 * mime_sanitize().  Its notation (one per class, so a reader can tell them
 * apart):
 *
 *   C0 controls and DEL        caret notation: ESC -> "^[", NUL -> "^@",
 *                              BEL -> "^G", CR -> "^M", DEL -> "^?"
 *                              (tab and newline pass only when allowed)
 *   C1 controls U+0080..U+009F "<U+009B>"
 *   bidi embeddings, overrides and isolates U+202A..U+202E, U+2066..U+2069,
 *   line and paragraph separators U+2028, U+2029
 *                              "<U+202E>"
 *   bytes that are not UTF-8   "\x9b" (lowercase hex, one per byte)
 *
 * A literal "^[" in a message looks the same as an escaped ESC; that is the
 * price of a notation readers know, and it can never act on the terminal.
 * Display widths are left to the face (ncursesw knows the terminal's idea
 * of a cell); this module only decides which bytes may be shown.
 *
 * Pure functions on memory: callable from any thread, never block.
 */
#ifndef MIME_TEXT_H
#define MIME_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-arena.h"
#include "base/base-str.h"

enum mime_sanitize_flag {
	MIME_SANITIZE_NEWLINE = 1 << 0, /* keep LF as it is (bodies) */
	MIME_SANITIZE_TAB = 1 << 1,     /* keep TAB as it is */
};

/* Appends a terminal-safe UTF-8 copy of data[0..len) to out (flags: enum
 * mime_sanitize_flag).  The output is valid UTF-8 and holds no C0, C1, DEL,
 * ESC or bidi control except the allowed tab/newline. */
void mime_sanitize(struct str *out, const char *data, size_t len, unsigned flags);
/* The same, into arena memory (NUL-terminated). */
char *mime_sanitize_arena(struct arena *arena, const char *data, size_t len, unsigned flags);
/* 1 when mime_sanitize() would return data unchanged. */
int mime_text_is_safe(const char *data, size_t len, unsigned flags);

/* 1 when data[0..len) is valid UTF-8 (no overlongs, surrogates or values
 * past U+10FFFF). */
int mime_utf8_valid(const char *data, size_t len);
/* Length of the longest prefix of data[0..max) that ends on a character
 * boundary, for cutting UTF-8 text without splitting a character. */
size_t mime_utf8_cut(const char *data, size_t max);
/* Appends data as UTF-8: kept when valid UTF-8, else read as windows-1252
 * (latin1 where windows-1252 leaves a byte undefined).  Returns 1 when the
 * fallback was used. */
int mime_text_8bit_to_utf8(struct str *out, const char *data, size_t len);

/* Appends data read as windows-1252, with latin1 for the five bytes
 * windows-1252 leaves undefined: never fails. */
void mime_text_cp1252_to_utf8(struct str *out, const char *data, size_t len);

/*
 * A file name from a message made safe to create in a directory the user
 * chose: only the part after the last "/" or "\" is kept (RFC 2183), runs
 * of dots collapse to one, a leading dot becomes "_", control, bidi and
 * invalid bytes become "_", the result is at most 200 bytes (keeping the
 * extension).  A name left empty or with nothing but "_", "." and blanks
 * becomes `fallback` (the caller's own, e.g. "attachment-2.1", used as it
 * is).  Appends to out.
 */
void mime_filename_safe(struct str *out, const char *name, const char *fallback);

/*
 * Quotes text for a reply: every line gets `prefix` ("> "); empty lines get
 * the prefix without its trailing blanks so no line ends in white space.
 * CRLF line ends become LF.  Appends to out.
 */
void mime_quote_text(struct str *out, const char *text, size_t len, const char *prefix);

/*
 * A crude HTML-to-text fallback for when no converter is configured: drops
 * tags, script and style content and comments, turns block ends and <br>
 * into line breaks, decodes character references.  Output is UTF-8 but not
 * sanitised (callers sanitise).  Links and tables are not laid out.
 */
void mime_html_strip(struct str *out, const char *html, size_t len);

#endif
