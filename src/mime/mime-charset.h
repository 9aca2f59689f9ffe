/*
 * mime-charset: converting message text to UTF-8 and UTF-8 to the
 * terminal's charset, with iconv.
 *
 * Labels in mail are often wrong, so decoding never fails: it tries the
 * declared charset, then UTF-8, then the declared charset again replacing
 * the few bytes it cannot read (when they are few), then windows-1252 with
 * latin1 for its holes, and says which one it used.  Labels of the latin1
 * family are read as windows-1252, as web browsers do, because mail
 * labelled iso-8859-1 is usually windows-1252; and text with such a label
 * that is valid UTF-8 (with 8-bit bytes) is read as UTF-8, since latin1
 * text almost never is.
 *
 * Needs mime_init() (charset aliases come from GMime).  Callable from any
 * thread; never blocks.
 */
#ifndef MIME_CHARSET_H
#define MIME_CHARSET_H

#include <stddef.h>

#include "base/base-str.h"

enum mime_charset_result {
	MIME_CHARSET_FALLBACK = 1 << 0, /* the declared charset was missing, unknown or
	                                   wrong: the text was read as another one */
	MIME_CHARSET_ERRORS = 1 << 1,   /* some bytes could not be read; each became U+FFFD */
};

/*
 * Appends data[0..len), declared as `declared` (NULL or "" when the part
 * names none), to out as UTF-8.  Returns enum mime_charset_result bits;
 * *used_r (may be NULL) gets the charset actually used: `declared` itself
 * or a static name.
 */
unsigned mime_charset_to_utf8(struct str *out, const char *data, size_t len, const char *declared,
                              const char **used_r);
/*
 * Appends UTF-8 text converted to `target` (NULL means UTF-8).  Characters
 * the target cannot hold become '?'; an unknown target gives ASCII with
 * '?' for everything else, which is safe on any terminal.
 */
void mime_charset_from_utf8(struct str *out, const char *utf8, size_t len, const char *target);
/*
 * Appends data[0..len) converted strictly to UTF-8 from the charset GMime's
 * header decoder reads for the label label[0..label_len) (its iconv name,
 * without this module's extra aliases), so that a success gives what GMime
 * gives.  Returns 0, or -1 with out unchanged when the charset is unknown
 * or any byte cannot be converted (the caller then takes a slower road).
 * Conversion descriptors are kept open between calls, since opening one
 * costs more than converting a subject.
 */
int mime_charset_decode_strict(struct str *out, const char *data, size_t len, const char *label,
                               size_t label_len);
/* 1 when `name` names UTF-8 ("UTF-8", "utf8", any case). */
int mime_charset_is_utf8(const char *name);

#endif
