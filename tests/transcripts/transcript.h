/*
 * transcript: replays the *.t files of a tests/transcripts folder, in the
 * language tests/transcripts/README.md describes, against a sans-I/O
 * session that a protocol's test program wraps in the operations below.
 *
 * Each file runs twice, whole and byte by byte; each run is one TAP
 * result, with the first step that did not hold as a diagnostic.
 */
#ifndef TRANSCRIPT_H
#define TRANSCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/base-err.h"
#include "base/base-str.h"

enum transcript_item {
	TRANSCRIPT_NONE,  /* the session needs input (0) */
	TRANSCRIPT_EVENT, /* an event, printed as one line */
	TRANSCRIPT_SKIP,  /* an event kept by the wrapper, printed with a later one */
	TRANSCRIPT_ERROR, /* the session failed (-1) */
};

struct transcript_ops {
	/* One word of a "P:" line, before the session exists; -1 if unknown. */
	int (*param)(void *ctx, const char *word);
	/* Creates the session from the parameters seen; -1 with err. */
	int (*create)(void *ctx, struct err *err);
	void (*destroy)(void *ctx);
	void (*feed)(void *ctx, const void *data, size_t len);
	/* Takes the next event: the line in text, or err for an error. */
	enum transcript_item (*next)(void *ctx, struct str *text, struct err *err);
	/* The next run of output: 1 with data, len and whether it is secret;
	   0 when there is none. */
	int (*output)(void *ctx, const char **data, size_t *len, bool *secret);
	void (*consumed)(void *ctx, size_t n);
	/* An "X:" call; -1 with err when the session refused it.  A call
	   that only reports something puts its line in printed. */
	int (*call)(void *ctx, char **words, size_t n, struct str *printed, struct err *err);
};

/* Replays every *.t file of dir (name order), both ways, printing TAP
 * results without the plan; returns the number of failures and adds the
 * number of results to *count. */
int transcript_replay_dir(const char *dir, const struct transcript_ops *ops, void *ctx, int *count);

/* For calls: the value of "key=value" among words, or NULL; whether a word
 * is present. */
const char *transcript_opt(char **words, size_t n, const char *key);
bool transcript_flag(char **words, size_t n, const char *word);
/* Appends data as a quoted string: '"' and '\' escaped, CR, LF and tab as
 * \r \n \t, other bytes outside printable ASCII as \xNN. */
void transcript_quote(struct str *out, const void *data, size_t len);

#endif
