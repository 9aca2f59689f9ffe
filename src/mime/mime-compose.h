/*
 * mime-compose: building an RFC 5322 / MIME message to send or store.
 *
 * The caller fills struct mime_compose with what the user wrote (UTF-8)
 * and gets the message bytes plus the SMTP envelope.  GMime writes the
 * header: RFC 2047 words for non-ASCII text, RFC 2231 for non-ASCII file
 * names.  The body's transfer encoding follows its content: 7bit for
 * ASCII with lines of at most 998 bytes, quoted-printable for text that is
 * mostly ASCII, base64 otherwise.  A Bcc never appears in the message; its
 * addresses are only in the envelope.  A CR or LF inside any value given
 * here is refused (header injection), as is a header name that is not
 * RFC 5322 ftext or that names a field this struct sets itself.
 *
 * Needs mime_init().  Reads attachment files (blocks on them); otherwise
 * pure computation, callable from any thread.
 */
#ifndef MIME_COMPOSE_H
#define MIME_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "base/base-arena.h"
#include "base/base-err.h"

struct mime_compose_header {
	const char *name;  /* "X-Mailer", "Organization"... */
	const char *value; /* UTF-8, one line */
};

struct mime_compose_attachment {
	const char *path; /* the file to attach */
	const char *name; /* file name shown to the recipient; NULL: path's last component */
	const char *content_type; /* "type/subtype"; NULL: from the name's extension */
};

struct mime_compose {
	/* Address lists as users type them: "Ann <a@example.org>, b@example.net".
	 * NULL or "" when absent; From is required. */
	const char *from;
	const char *to;
	const char *cc;
	const char *bcc;
	bool keep_bcc; /* a draft: Bcc stays in the header, to be sent later */
	const char *reply_to;
	const char *subject;     /* UTF-8; NULL: none */
	const char *in_reply_to; /* "<id>" or "id" */
	const char *references;  /* space-separated ids, with or without brackets */
	const struct mime_compose_header *headers;
	size_t n_headers;
	const char *body; /* UTF-8 text; LF or CRLF line ends */
	size_t body_len;
	const struct mime_compose_attachment *attachments;
	size_t n_attachments;
	const char *hostname;        /* right side of the Message-ID; NULL: From's domain */
	time_t date;                 /* 0: now; written in the local time zone */
	int crlf;                    /* 1: CRLF line ends (SMTP); 0: LF (sendmail, local folders) */
	size_t max_attachment_bytes; /* per file (0: 64 MiB) */
};

struct mime_composed {
	const char *data; /* the whole message */
	size_t len;
	const char *message_id;  /* without brackets */
	const char *sender;      /* envelope sender: From's first address */
	const char **recipients; /* envelope: To, Cc and Bcc addresses, each once, NULL-ended */
	size_t n_recipients;
	const char **bcc; /* the Bcc addresses alone, NULL-ended */
	size_t n_bcc;
	const char *body_encoding; /* the transfer encoding chosen for the text */
};

/*
 * Builds the message; everything in *out lives in arena.  Fails with
 * ERR_USAGE for bad input (no From, unparsable address, injection, body not
 * UTF-8) and ERR_IO for an attachment that cannot be read.
 */
int mime_compose_build(const struct mime_compose *c, struct arena *arena, struct mime_composed *out,
                       struct err *err);

/* The Content-Type guessed for a file name (a small extension table;
 * "application/octet-stream" when unknown). */
const char *mime_compose_guess_type(const char *name);

#endif
