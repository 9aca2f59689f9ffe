/*
 * ui-model-compose: a message being written, and the replies and
 * forwards it starts from, without curses.
 *
 * A draft holds the header fields the compose screen edits, the files to
 * attach and the body.  The body lives in a file that the user's editor
 * edits (with the header fields at its top when edit_headers is set);
 * ui_draft_file_text() writes what goes into that file and
 * ui_draft_read_file() takes it back.
 *
 * Replies: reply goes to Reply-To (when the caller says to use it) or
 * From; group reply adds every To and Cc address but the user's own;
 * list reply goes to the List-Post address.  The subject gets one "Re: ",
 * In-Reply-To and References point at the original, and the body starts
 * with the attribution line and the original quoted with "> ".  Forward
 * puts the original inline between "----- Forwarded message" lines, or
 * (mime_forward) attaches it whole.
 *
 * UI thread only; pure computation.
 */
#ifndef UI_MODEL_COMPOSE_H
#define UI_MODEL_COMPOSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/base-str.h"
#include "ui/ui-util.h"

enum ui_draft_kind {
	UI_DRAFT_NEW,
	UI_DRAFT_REPLY,
	UI_DRAFT_GROUP_REPLY,
	UI_DRAFT_LIST_REPLY,
	UI_DRAFT_FORWARD,
};

struct ui_draft {
	enum ui_draft_kind kind;
	char *from, *to, *cc, *bcc, *subject, *reply_to, *fcc; /* never NULL */
	char *in_reply_to, *references;                        /* NULL when none */
	struct ui_strv attach;                                 /* file names */
	struct str body;
};

/* What replies and forwards need of the original message (decoded,
 * UTF-8; NULL or "" where it has none). */
struct ui_reply_src {
	const char *from; /* From as shown: "Ann <ann@example.org>" */
	const char *reply_to;
	const char *to, *cc;
	const char *const *to_addrs; /* bare addresses of To and Cc */
	size_t nto_addrs;
	const char *const *cc_addrs;
	size_t ncc_addrs;
	const char *from_addr; /* bare */
	const char *from_name; /* the display name, else the address */
	const char *subject;
	const char *date;       /* the Date header as written */
	const char *message_id; /* without brackets */
	const char *references; /* as sent: "<a> <b>" */
	const char *list_post;  /* List-Post address, "mailto:" and brackets allowed */
	const char *body;       /* the text to quote or forward */
};

struct ui_reply_opts {
	int use_reply_to;         /* answer Reply-To rather than From */
	int include;              /* quote the original */
	int metoo;                /* keep the user's addresses in group replies */
	const struct ui_strv *me; /* the user's addresses, lower case */
	const char *attribution;  /* "On %d, %n wrote:" */
	const char *quote_prefix; /* "> " */
	const char *signature;    /* text after "-- \n", NULL for none */
};

void ui_draft_init(struct ui_draft *d, enum ui_draft_kind kind);
void ui_draft_clear(struct ui_draft *d);
/* Replaces one field (the pointer is one of d's). */
void ui_draft_set(char **field, const char *value);

/* A new message to `to` about `subject` (either may be NULL). */
void ui_draft_new_message(struct ui_draft *d, const char *to, const char *subject,
                          const char *signature);
/* A reply of kind (REPLY, GROUP_REPLY, LIST_REPLY).  Fails (ERR_USAGE)
 * for a list reply to a message without List-Post. */
int ui_draft_reply(struct ui_draft *d, enum ui_draft_kind kind, const struct ui_reply_src *src,
                   const struct ui_reply_opts *o, struct err *err);
void ui_draft_forward(struct ui_draft *d, const struct ui_reply_src *src, const char *signature);
/* A forward that attaches the original (mime_forward): the subject as
 * for ui_draft_forward, an empty note with the signature, and file (the
 * original as it was stored, named *.eml so that it goes as a
 * message/rfc822 part) appended to the attachments. */
void ui_draft_forward_attached(struct ui_draft *d, const struct ui_reply_src *src, const char *file,
                               const char *signature);

/* What the editor's file holds: the fields (with edit_headers) and the
 * body. */
void ui_draft_file_text(const struct ui_draft *d, int edit_headers, struct str *out);
/* Takes the file back: the fields (with edit_headers: From, To, Cc, Bcc,
 * Subject, Reply-To; unknown ones are dropped) and the body. */
void ui_draft_read_file(struct ui_draft *d, int edit_headers, const char *text, size_t len);

/*
 * The postponed messages offered for recall: a list with a cursor, one
 * line each ("   2  Jan 05  To: bob@example.org  Subject").
 */
struct ui_recall_entry {
	uint64_t id;      /* the store's key, for FETCH_MESSAGE */
	char *message_id; /* without brackets; "" when none */
	char *to, *subject;
	time_t date;
};

struct ui_recall {
	struct ui_recall_entry *v;
	size_t n, cap;
	size_t cursor, top;
};

void ui_recall_clear(struct ui_recall *r);
/* Adds an entry (the strings are copied; NULL is ""). */
void ui_recall_add(struct ui_recall *r, uint64_t id, const char *message_id, const char *to,
                   const char *subject, time_t date);
/* Moves the cursor by delta, within the list, keeping it in the rows
 * shown; returns 0 when it could not move. */
int ui_recall_move(struct ui_recall *r, long delta, int rows);
/* Entry i's line (date in local time), terminal-safe, into out. */
void ui_recall_line(const struct ui_recall *r, size_t i, struct str *out);

/* Splits an address list on commas outside quotes and angle brackets;
 * entries trimmed, empty ones dropped. */
void ui_addr_split(const char *list, struct ui_strv *out);
/* The bare address of one entry ("Ann <a@b>" -> "a@b"), lower-cased,
 * into out. */
void ui_addr_bare(const char *entry, struct str *out);

#endif
