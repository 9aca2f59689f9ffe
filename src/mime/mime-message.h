/*
 * mime-message: a parsed message and the display model built from it.
 *
 * A message is parsed with GMime from memory or a file descriptor.  Its
 * view (struct mime_view) is what a face shows: the chosen header fields,
 * decoded and sanitised; the body as a list of blocks (text converted to
 * the caller's charset, attachment lines, notices about what was damaged);
 * and the list of every MIME part with its IMAP part number ("1", "2.1"),
 * so an IMAP partial fetch can name the same parts.  Every string in a view
 * has been through mime_sanitize(): none can act on a terminal.
 *
 * Malformed input never fails a parse: a message GMime cannot read at all
 * becomes one text part holding the input; damage (bad base64, missing
 * boundaries, unknown charsets, nesting past the bound) is shown as notices
 * and flags, not dropped.
 *
 * Threads: mime_init() once, before threads start.  After that a message
 * and its view may be used by one thread at a time (they can be handed to
 * another); different messages are independent.  Nothing here blocks
 * except mime_message_parse_fd() and mime_part_save(), which do file I/O.
 */
#ifndef MIME_MESSAGE_H
#define MIME_MESSAGE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/base-arena.h"
#include "base/base-err.h"
#include "base/base-str.h"

/* GMime setup: call once in main() before any thread starts, and
 * mime_shutdown() once at exit after they stopped.  (The first use of this
 * module also sets GMime up, safely from any thread, so a forgotten
 * mime_init() costs nothing but the order of start-up work.) */
void mime_init(void);
void mime_shutdown(void);

struct mime_message;

struct mime_parse_params {
	size_t max_bytes; /* larger input is refused (0: 256 MiB) */
};

/*
 * Parses data[0..len) (copied; the caller keeps its buffer).  Fails only
 * when the input is larger than params->max_bytes.  params may be NULL.
 * The caller owns *msg_r and frees it with mime_message_free().
 */
int mime_message_parse_mem(const void *data, size_t len, const struct mime_parse_params *params,
                           struct mime_message **msg_r, struct err *err);
/* Reads fd to its end (blocking) and parses what it read.  The caller
 * keeps fd. */
int mime_message_parse_fd(int fd, const struct mime_parse_params *params,
                          struct mime_message **msg_r, struct err *err);
void mime_message_free(struct mime_message **msg);
/* The raw bytes parsed and the offset where the body starts; valid as long
 * as the message. */
const char *mime_message_raw(const struct mime_message *msg, size_t *len_r, size_t *body_r);

enum mime_part_role {
	MIME_ROLE_CONTAINER,   /* a multipart: its children follow it */
	MIME_ROLE_TEXT,        /* shown in the body */
	MIME_ROLE_MESSAGE,     /* message/rfc822: its header and body are shown */
	MIME_ROLE_ATTACHMENT,  /* listed, not shown */
	MIME_ROLE_ALTERNATIVE, /* an alternative that was not chosen */
	MIME_ROLE_OPAQUE,      /* nested past max_depth: this part and all below it as one */
};

struct mime_part {
	const char *path;        /* IMAP part number: "1", "2.1"; "" for the top multipart;
	                            a multipart that is an attached message's body has the
	                            message's number (IMAP's "3.TEXT") */
	const char *type;        /* "image/png", lowercase */
	const char *filename;    /* decoded (RFC 2231/2047), sanitised; "" if none */
	const char *description; /* Content-Description, sanitised; "" if none */
	const char *charset;     /* the charset parameter; "" if none */
	const char *encoding;    /* "base64", "quoted-printable", "7bit"...; "" for containers */
	uint64_t size;           /* bytes after decoding when size_exact, else an estimate */
	int size_exact;
	unsigned depth; /* 0 for the message's own body */
	enum mime_part_role role;
	int inline_disposition; /* Content-Disposition: inline was given */
};

/* The decoded size of a part from its stored size and transfer encoding
 * ("base64", "x-uuencode": 3 bytes per 4 characters, less line ends; any
 * other: as stored), for when decoding it to count would cost too much. */
uint64_t mime_decoded_size_estimate(uint64_t stored, const char *encoding);

enum mime_block_kind {
	MIME_BLOCK_TEXT,       /* a text part, or an HTML part (flags say which) */
	MIME_BLOCK_HEADERS,    /* the header of an attached message */
	MIME_BLOCK_ATTACHMENT, /* one line describing a part that is not shown */
	MIME_BLOCK_NOTICE,     /* a line about damage or limits, "[-- ... --]" */
};

enum mime_text_flag {
	MIME_TEXT_HTML = 1 << 0,             /* the part is HTML: see html below */
	MIME_TEXT_HTML_STRIPPED = 1 << 1,    /* text is a crude tag-stripping of the HTML */
	MIME_TEXT_CHARSET_FALLBACK = 1 << 2, /* charset missing, unknown or wrong: read as
	                                        charset_used */
	MIME_TEXT_CHARSET_ERRORS = 1 << 3,   /* some bytes could not be read (shown as U+FFFD) */
	MIME_TEXT_BAD_ENCODING = 1 << 4,     /* broken base64 or quoted-printable */
	MIME_TEXT_TRUNCATED = 1 << 5,        /* longer than max_text_bytes: the rest not shown */
};

struct mime_block {
	enum mime_block_kind kind;
	int part;         /* index into view->parts, -1 for none */
	const char *text; /* in the target charset, terminal-safe; LF and TAB kept */
	size_t len;
	unsigned flags;           /* enum mime_text_flag bits */
	const char *charset_used; /* TEXT: the charset the part was read as */
	/*
	 * HTML parts only: the decoded HTML in UTF-8, for a converter (lynx
	 * -dump, w3m) whose output the face then passes through
	 * mime_sanitize().  NOT safe for a terminal: never print it as is.
	 */
	const char *html;
	size_t html_len;
};

struct mime_header_line {
	const char *name;  /* as the message spells it, sanitised */
	const char *value; /* decoded, one line, in the target charset, terminal-safe */
};

struct mime_view {
	struct mime_header_line *headers;
	size_t n_headers;
	struct mime_part *parts; /* every part in tree order */
	size_t n_parts;
	struct mime_block *blocks; /* what the body shows, in order */
	size_t n_blocks;
	int unparsed; /* GMime could not read the message: one text part holds it all */
};

struct mime_view_params {
	const char *charset;           /* target charset (the locale's); NULL: UTF-8 */
	const char *alternative_order; /* multipart/alternative preference, comma-separated
	                                  types; NULL: "text/plain,text/html" */
	const char *headers;           /* fields to show, comma-separated, in that order;
	                                   "*" for all; NULL: "From,To,Cc,Date,Subject" */
	unsigned max_depth;            /* MIME nesting walked (0: 64) */
	unsigned max_parts;            /* parts listed (0: 1000) */
	unsigned max_headers;          /* fields shown with "*" (0: 500) */
	size_t max_text_bytes;         /* per text part shown, decoded (0: 8 MiB) */
	size_t max_header_bytes;       /* per header value shown (0: 16 KiB) */
};

/*
 * Builds the display model of msg; everything in *view_r lives in arena
 * and nothing points into msg, so the view may outlive it.
 * params may be NULL for the defaults.  Never fails on message content;
 * returns -1 only for bad params (an empty alternative list entry...).
 */
int mime_view_build(const struct mime_message *msg, const struct mime_view_params *params,
                    struct arena *arena, struct mime_view **view_r, struct err *err);
/*
 * Appends the whole view as text a pager can show: the header lines, a
 * blank line, then each block (attachment and notice lines included).
 * Safe for a terminal in the view's charset.
 */
void mime_view_render(const struct mime_view *view, struct str *out);

/*
 * Appends the decoded content of the part numbered `path` (as in
 * struct mime_part) to out, at most max bytes (0: no bound; more fails).
 * A message/rfc822 part gives the whole attached message.  Not sanitised:
 * this is data for files and viewers, never for the terminal.
 */
int mime_part_decode(const struct mime_message *msg, const char *path, size_t max, struct str *out,
                     struct err *err);

struct mime_save_params {
	const char *dir;  /* the directory to write in (the caller's choice) */
	const char *name; /* file name to use; NULL: the part's own, made safe */
	int overwrite;    /* replace an existing file; otherwise an existing name fails */
	mode_t mode;      /* 0: 0600 */
	size_t max_bytes; /* refuse parts larger than this decoded (0: 1 GiB) */
};

/*
 * Saves the decoded part `path` into params->dir.  The name (given or from
 * the message) goes through mime_filename_safe(), so it never names
 * another directory.  The data goes to a temporary file in the same
 * directory, is fsynced, and is renamed into place, without replacing an
 * existing file unless params->overwrite.  *written_r (caller frees, may
 * be NULL) gets the path written.  Blocks on file I/O.  An existing target
 * (a symlink included, which is never followed) fails with ERR_IO and errno
 * EEXIST, so the face can ask and call again with overwrite set.
 */
int mime_part_save(const struct mime_message *msg, const char *path,
                   const struct mime_save_params *params, char **written_r, struct err *err);

#endif
