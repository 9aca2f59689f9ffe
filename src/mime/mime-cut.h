/*
 * mime-cut: the beginning of a text part, as fetched, made a whole body.
 *
 * A reader shown only the first megabytes of a long text part (the rest
 * not fetched) still needs a body that decodes cleanly: the fetched bytes
 * stop anywhere, inside a base64 group, an =XX escape or a UTF-8
 * character.  This cuts them where the decoded text ends on a line end
 * (else on a character boundary) and appends a line holding a mark the
 * caller later replaces by a notice saying the part was cut.
 *
 * Pure computation on the bytes given: callable from any thread, never
 * blocks, needs no mime_init().
 */
#ifndef MIME_CUT_H
#define MIME_CUT_H

#include <stddef.h>

#include "base/base-str.h"

/*
 * data[0..len) is the beginning of a body as stored, in the part's
 * transfer encoding ("base64", "quoted-printable", any case; anything else
 * is taken as it is).  Appends to out a well-formed body in that encoding
 * that decodes to the text up to the last line end in its last 64 KB
 * (else up to a character boundary; never half a base64 group, an =XX
 * escape or a UTF-8 sequence), then a line holding mark.  A base64 body
 * keeps the groups before the cut as they are and encodes the last one
 * again with the mark.  Returns how many bytes of data the body keeps.
 */
size_t mime_cut_text(struct str *out, const char *data, size_t len, const char *encoding,
                     const char *mark);

#endif
