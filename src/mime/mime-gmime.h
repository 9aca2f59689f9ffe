/*
 * mime-gmime: what the files of this module share about GMime.  Included
 * only by the .c files of src/mime, so no other module needs GMime's
 * include flags.
 */
#ifndef MIME_GMIME_H
#define MIME_GMIME_H

#include <gmime/gmime.h>

/* Parser options set up once by mime_init() (loose RFC 2047 and RFC 2231,
 * UTF-8 then windows-1252 for undeclared 8-bit text) and never changed
 * after, so any thread may read them. */
GMimeParserOptions *mime_gmime_options(void);

#endif
