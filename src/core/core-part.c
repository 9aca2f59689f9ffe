#include "config.h"

#include "core/core-part.h"
#include "mime/mime-cut.h"
#include "mime/mime-message.h"

size_t
core_part_cut_text(struct str *out, const char *data, size_t len, const char *encoding,
                   const char *mark)
{
	return mime_cut_text(out, data, len, encoding, mark);
}

uint64_t
core_part_decoded_size(uint64_t stored, const char *encoding)
{
	return mime_decoded_size_estimate(stored, encoding);
}
