/*
 * cmd-lex: splitting a mailx command-mode line.
 *
 * A line is a command word followed by its arguments.  As in BSD mail,
 * the word ends at a blank or at the first character that can start a
 * message list ("p2", "d1-3", "t$" work), "!" and "|" are words of their
 * own (shell escape, pipe) and "#" starts a comment.  Arguments are split
 * like a shell does: blanks separate, '...' is literal, "..." and a
 * backslash escape.  Pure computation.
 */
#ifndef CMD_LEX_H
#define CMD_LEX_H

#include <stddef.h>

#include "base/base-err.h"

#define CMD_LEX_NAME_MAX 32
/* Bounds for what one line may split into (hostile scripts included). */
#define CMD_LEX_WORDS_MAX 4096

struct cmd_line {
	char name[CMD_LEX_NAME_MAX]; /* the command word as typed; "" for none */
	const char *args;            /* the rest, leading blanks skipped (points into line) */
	int comment;                 /* the line is blank or a comment */
};

/* Splits line (NUL-terminated, no newline) into a command word and its
 * arguments.  Fails with ERR_USAGE when the word is too long. */
int cmd_lex_line(const char *line, struct cmd_line *cl, struct err *err);

struct cmd_words {
	char **w;      /* n words, unquoted; each malloc'd, the array too */
	size_t *start; /* where each word began in the text split */
	size_t n;
};

/* Splits text into words (cleared first).  Fails with ERR_USAGE on an
 * unmatched quote or too many words; free with cmd_words_clear after
 * success or failure. */
int cmd_lex_words(const char *text, struct cmd_words *words, struct err *err);
void cmd_words_clear(struct cmd_words *words);

#endif
