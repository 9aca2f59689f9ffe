/*
 * core-folder-msg: one message taken apart for a face that prints it.
 *
 * Wraps the MIME model (mime/mime-message.h) so the mailx face gets
 * decoded header fields, the body in the locale's charset, the list of
 * parts and safe attachment saving without including mime/.  Everything
 * shown has been sanitised.  A message is used by one thread at a time;
 * nothing here blocks except core_folder_msg_save_part (file I/O).
 */
#ifndef CORE_FOLDER_MSG_H
#define CORE_FOLDER_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "base/base-err.h"
#include "base/base-str.h"

struct core_folder_msg;

/* Sets up the MIME library: once, on the main thread, before any thread
 * starts; core_folder_msg_shutdown() once at exit after they stopped. */
void core_folder_msg_init(void);
void core_folder_msg_shutdown(void);

/* Parses raw message bytes (copied).  Free with core_folder_msg_free. */
int core_folder_msg_parse(const char *data, size_t len, struct core_folder_msg **msg_r,
			  struct err *err);
void core_folder_msg_free(struct core_folder_msg **msg);

/* Decides which header fields are shown: nonzero to show `name`. */
typedef int core_folder_msg_weed_fn(const char *name, void *ctx);

/*
 * Appends the message as a reader sees it: the header fields weed()
 * accepts (all when weed is NULL), decoded, then an empty line and the
 * body (text parts converted to charset, NULL for UTF-8; lines for
 * attachments and damage).  Terminal-safe.
 */
int core_folder_msg_render(struct core_folder_msg *msg, const char *charset,
			   core_folder_msg_weed_fn *weed, void *ctx, struct str *out,
			   struct err *err);

/* One MIME part, as `parts` lists it.  Strings are sanitised and live as
 * long as the message. */
struct core_folder_part {
	const char *path;     /* "1", "2.1"; "" for the top container */
	const char *type;     /* "image/png" */
	const char *filename; /* "" if none */
	uint64_t size;
	unsigned depth;
	int attachment;       /* not shown inline in the body */
	int container;        /* a multipart */
};

/* The parts in tree order; the array lives as long as the message. */
int core_folder_msg_parts(struct core_folder_msg *msg, const struct core_folder_part **parts_r,
			  size_t *count_r, struct err *err);

/* Appends part `path` decoded and made terminal-safe (text parts are
 * converted from their charset to UTF-8). */
int core_folder_msg_part_text(struct core_folder_msg *msg, const char *path, struct str *out,
			      struct err *err);

/*
 * Saves part `path` decoded into directory dir, under name (NULL: the
 * part's own file name, made safe).  The name never picks another
 * directory; an existing file is replaced only with overwrite.  *written_r
 * (caller frees; may be NULL) gets the path written.
 */
int core_folder_msg_save_part(struct core_folder_msg *msg, const char *path, const char *dir,
			      const char *name, int overwrite, char **written_r, struct err *err);

/* The decoded value of the first header field `name` (case ignored), UTF-8
 * and unfolded, or NULL; caller frees.  For building replies. */
char *core_folder_msg_header(struct core_folder_msg *msg, const char *name);

/* The bare addresses of every mailbox in the first field `name` (From,
 * To, Cc, Reply-To...), in order; *count_r 0 when there is none.  The
 * caller frees each string and the array. */
char **core_folder_msg_addresses(struct core_folder_msg *msg, const char *name,
				 size_t *count_r);

/* Appends the text a reply quotes: the body's text parts in UTF-8. */
int core_folder_msg_body_text(struct core_folder_msg *msg, struct str *out, struct err *err);

#endif
