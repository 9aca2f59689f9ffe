#include "config.h"

#include <string.h>

#include "mime/mime-7bit.h"
#include "mime/mime-gmime.h"
#include "mime/mime-header.h"

/* RFC 5321 section 4.5.3.1.6: 1000 octets with the CRLF. */
#define LINE_OCTETS_MAX 998

bool
mime_7bit_body_ok(const char *data, size_t len)
{
	size_t pos = mime_header_end(data, len), line = 0;

	for (; pos < len; pos++) {
		unsigned char c = (unsigned char)data[pos];

		if (c == 0 || c >= 0x80)
			return false;
		if (c == '\n') {
			line = 0;
			continue;
		}
		/* A CR of a CRLF does not count towards the line. */
		if (c == '\r' && pos + 1 < len && data[pos + 1] == '\n')
			continue;
		if (++line > LINE_OCTETS_MAX)
			return false;
	}
	return true;
}

int
mime_7bit_encode(const char *data, size_t len, bool crlf, struct str *out, struct err *err)
{
	GMimeStream *in = NULL, *mem = NULL;
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	GMimeFormatOptions *fo = NULL;
	GMimeParserOptions *po = mime_gmime_options();
	int rc = -1;

	in = g_mime_stream_mem_new_with_buffer(data, len);
	parser = g_mime_parser_new_with_stream(in);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, po);
	if (msg == NULL || g_mime_message_get_mime_part(msg) == NULL) {
		err_set(err, ERR_PARSE, "the message cannot be read as MIME to re-encode it");
		goto out;
	}
	/* A message without MIME headers is text: once it gets a transfer
	 * encoding, readers need MIME-Version to decode it. */
	if (g_mime_object_get_header(GMIME_OBJECT(msg), "MIME-Version") == NULL)
		g_mime_object_set_header(GMIME_OBJECT(msg), "MIME-Version", "1.0", NULL);
	g_mime_object_encode(GMIME_OBJECT(msg), GMIME_ENCODING_CONSTRAINT_7BIT);
	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, crlf ? GMIME_NEWLINE_FORMAT_DOS
	                                                  : GMIME_NEWLINE_FORMAT_UNIX);
	mem = g_mime_stream_mem_new();
	if (g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, mem) < 0) {
		err_set(err, ERR_INTERNAL, "the re-encoded message could not be written");
		goto out;
	}
	{
		GByteArray *b = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));

		str_append_len(out, b->data, b->len);
	}
	rc = 0;
out:
	if (fo != NULL)
		g_mime_format_options_free(fo);
	if (mem != NULL)
		g_object_unref(mem);
	if (msg != NULL)
		g_object_unref(msg);
	if (parser != NULL)
		g_object_unref(parser);
	if (in != NULL)
		g_object_unref(in);
	return rc;
}
