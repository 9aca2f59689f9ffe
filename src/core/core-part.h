/*
 * core-part: the bytes of one MIME part as a face fetched them.
 *
 * A face fetches a part (CORE_REQ_FETCH_PART, struct core_part in
 * core-event.h) as the store holds it, still in its transfer encoding.
 * What that encoding means is the MIME layer's business; a face that has
 * to work on such bytes calls here rather than knowing base64 or
 * quoted-printable itself.
 */
#ifndef CORE_PART_H
#define CORE_PART_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-str.h"

/*
 * Makes the body of a part fetched only in part: data[0..len) is the
 * beginning of the body as stored, in the part's transfer encoding
 * (struct core_part's encoding: "base64", "quoted-printable", anything
 * else taken as it is).  Appends to out a well-formed body in that
 * encoding that decodes to the text up to the last line end in its last
 * 64 KB (else up to a character boundary; never half a base64 group, an
 * =XX escape or a UTF-8 sequence), then a line holding mark, for the face
 * to replace by its own notice after rendering.  Returns how many bytes
 * of data the body keeps.  Pure computation: any thread, never blocks.
 */
size_t core_part_cut_text(struct str *out, const char *data, size_t len, const char *encoding,
                          const char *mark);
/* A part's size once decoded, estimated from its stored size and
 * encoding (mime_decoded_size_estimate()).  Any thread, never blocks. */
uint64_t core_part_decoded_size(uint64_t stored, const char *encoding);

#endif
